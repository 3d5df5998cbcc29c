"""The one checking engine: run a claim's routes at one example and judge each against the stated value.

:func:`verify_claim` is the single judging path of featurecheck: ``featurecheck verify``, the
calibrated assertions (:func:`featurecheck.numerics.testing.assertions.assert_claim`) and the pytest
plugin all call it, with one :class:`featurecheck.numerics.checking.budget.Budget`. Every route ends
in one of three verdicts:

- ``pass``: an exact route agrees exactly, or a statistical interval contains the stated value *and*
  resolves it (half-width at most ``max(rtol |value|, atol)``, the claim's resolution);
- ``fail``: the route contradicts the stated value (exactly, or outside a ``1 - alpha`` interval);
- ``inconclusive``: the budget ran out before the interval resolved the value.

An example's verdict is ``fail`` if any route fails; else ``pass`` if every route passes or a
deterministic route (exact, bracket, tolerance) passes, since an exact agreement decides the claim
whatever a Monte Carlo cross-check could resolve; else ``inconclusive``. Deterministic routes run
first; once one has passed, each statistical cross-check gets at most ``CROSS_CHECK_SECONDS`` and
``CROSS_CHECK_SAMPLES``. Statistical routes share the example's family-wise ``alpha`` (default
``1e-6``) equally and spend it over their looks (:mod:`featurecheck.numerics.checking.budget` gives the
arithmetic), so ``featurecheck verify`` over ``K`` examples raises a false ``fail`` with probability at
most ``K alpha`` (a union bound). Predicate routes (experiments that decide with their own stated
statistical model) run once at their rule's ``alpha``.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import Any

from featurecheck.numerics.checking.budget import Budget
from featurecheck.numerics.checking.replay import derive_seed, reproduce_command
from featurecheck.numerics.checking.sequential import Look, sequential_test
from featurecheck.theory._exact import exact_str
from featurecheck.theory.claims import Claim, Evidence, Route, to_fraction

__all__ = ["CheckResult", "Report", "verify_claim", "check", "jsonable", "show", "combine",
           "CROSS_CHECK_SECONDS"]

#: Time and samples per statistical route when an exact route has already decided the example.
CROSS_CHECK_SECONDS = 2.0
CROSS_CHECK_SAMPLES = 1 << 22


@dataclass(frozen=True)
class CheckResult:
    """The verdict of one route of one claim at one parameter set."""

    id: str
    params: dict[str, Any]
    route: str
    expected: Any
    estimate: Any
    interval: tuple[Any, Any] | None
    verdict: str
    resolution: str = ""
    alpha: float | None = None
    n_samples: int | None = None
    seed: int | None = None
    rule: str = ""
    note: str = ""
    seconds: float = 0.0
    label: str = ""
    looks: tuple[Look, ...] = ()

    @property
    def passed(self) -> bool:
        """Whether this route's verdict is ``pass``."""
        return self.verdict == "pass"

    def to_json(self) -> dict[str, Any]:
        """Return this result as one JSON row of ``featurecheck verify --json``.

        The CLI contract (``id, params, route, expected, estimate, interval, passed``) plus
        ``verdict, resolution, n_samples, seconds, alpha``.
        """
        return {
            "id": self.id,
            "params": {k: jsonable(v) for k, v in self.params.items()},
            "route": self.route,
            "expected": jsonable(self.expected),
            "estimate": jsonable(self.estimate),
            "interval": None if self.interval is None else [float(self.interval[0]), float(self.interval[1])],
            "passed": self.passed,
            "verdict": self.verdict,
            "resolution": self.resolution,
            "n_samples": self.n_samples,
            "seconds": round(self.seconds, 4),
            "alpha": self.alpha,
        }


def combine(verdicts: Iterable[str]) -> str:
    """``fail`` if any fails, else ``inconclusive`` if any is (or there are none), else ``pass``.

    Examples
    --------
    >>> combine(["pass", "inconclusive"]), combine(["pass", "fail", "inconclusive"]), combine([])
    ('inconclusive', 'fail', 'inconclusive')
    """
    vs = list(verdicts)
    if "fail" in vs:
        return "fail"
    if not vs or "inconclusive" in vs:
        return "inconclusive"
    return "pass"


@dataclass(frozen=True)
class Report:
    """All routes of one claim at one example: :func:`verify_claim`'s result."""

    claim: Claim
    params: dict[str, Any]
    expected: Any
    seed: int
    budget: Budget
    results: tuple[CheckResult, ...] = field(default_factory=tuple)

    @property
    def verdict(self) -> str:
        """The routes' verdicts by :func:`combine`; inconclusive becomes ``pass`` if a deterministic route passed."""
        v = combine(r.verdict for r in self.results)
        if v == "inconclusive" and any(r.verdict == "pass" and r.alpha is None for r in self.results):
            return "pass"  # decided by a deterministic route
        return v

    @property
    def passed(self) -> bool:
        """Whether the combined :attr:`verdict` is ``pass``."""
        return self.verdict == "pass"

    @property
    def failures(self) -> list[CheckResult]:
        """The route results whose verdict is ``fail``."""
        return [r for r in self.results if r.verdict == "fail"]

    def message(self) -> str:
        """Describe the report in human-readable lines.

        Both sides, interval, resolution, sample count, seed and a replay command for each route
        that did not pass.
        """
        label = self.claim.label(self.params)
        head = {"fail": "is contradicted", "inconclusive": "could not be decided", "pass": "holds"}[self.verdict]
        lines = [f"claim {label} {head} ({self.claim.source})"]
        for r in self.results:
            if r.verdict == "pass":
                continue
            lines.append(f"  route {r.route!r} ({r.rule}): {r.verdict.upper()}, {r.resolution}")
            lines.append(f"    stated value  : {show(r.expected)}")
            est = f"    measured      : {show(r.estimate)}"
            if r.n_samples is not None:
                est += f"  from {r.n_samples} samples"
            lines.append(est)
            if r.interval is not None:
                lo, hi = float(r.interval[0]), float(r.interval[1])
                lvl = "" if r.alpha is None else (f"  (two-sided, alpha = {r.alpha:.3g} for this look)" if r.looks
                                                  else f"  (the route's stated test at alpha = {r.alpha:.3g})")
                lines.append(f"    interval      : [{lo:.10g}, {hi:.10g}]{lvl}")
            if len(r.looks) > 1:
                lines.append("    looks         : " + ", ".join(f"N={lk.n_samples}:{lk.verdict}" for lk in r.looks))
            if r.note:
                lines.append(f"    note          : {r.note}")
            lines.append(f"    seed          : {r.seed}")
            lines.append("    reproduce     : " + reproduce_command(self.claim, self.params, self.seed, r.n_samples,
                                                                   self.budget.alpha))
        n_stat = sum(bool(r.looks) for r in self.results)
        if n_stat:
            lines.append(f"  budget: family-wise alpha {self.budget.alpha:.3g} for this example, split over "
                         f"{n_stat} statistical route(s) and spent over the looks; resolution rtol "
                         f"{self.claim.rtol if self.budget.rtol is None else self.budget.rtol:g}, atol "
                         f"{self.claim.atol if self.budget.atol is None else self.budget.atol:g}")
        for r in self.results:
            if not r.looks and r.alpha is not None:
                lines.append(f"  route {r.route!r} decides by its own stated test at alpha {r.alpha:.3g} "
                             f"(the claim's docstring gives its statistical model)")
        return "\n".join(lines)


def show(x: Any) -> str:
    """Format a value for a message: its exact form, then its float where they differ."""
    if x is None:
        return "none"
    if isinstance(x, float):
        return f"{x:.10g}"
    s = exact_str(x) if isinstance(x, (int, Fraction)) else str(x)
    if len(s) > 80:
        s = f"{s[:30]}...{s[-20:]} ({len(s)} characters)"
    try:
        f = float(to_fraction(x))
        if str(f) != s:
            s += f" = {f:.10g}"
    except (TypeError, ValueError, ArithmeticError, AttributeError):
        pass
    return s


def jsonable(x: Any) -> Any:
    """JSON-friendly form: exact rationals become strings like ``"63/256"``; sympy becomes str."""
    if x is None or isinstance(x, (bool, str)):
        return x
    if isinstance(x, int):
        return x if abs(x) < 10**4000 else exact_str(x)  # json cannot print a longer int
    if isinstance(x, Fraction):
        return exact_str(x)
    if isinstance(x, float):
        return x
    if isinstance(x, (list, tuple)):
        return [jsonable(v) for v in x]
    if isinstance(x, Mapping):
        return {str(k): jsonable(v) for k, v in x.items()}
    try:
        import numpy as np

        if isinstance(x, np.integer):
            return int(x)
        if isinstance(x, np.floating):
            return float(x)
    except ImportError:  # pragma: no cover
        pass
    return str(x)


def verify_claim(
    claim: Claim,
    params: Mapping[str, Any] | None = None,
    *,
    budget: Budget | None = None,
    seed: int | None = None,
    salt: int = 0,
    routes: Iterable[str] | None = None,
    samples: int | None = None,
) -> Report:
    """Check ``claim`` at ``params`` through every applicable route: the one judging path.

    Parameters
    ----------
    claim : Claim
    params : dict, optional
        Raw parameter values; validated by ``claim.bind`` before any route runs.
    budget : Budget, optional
        Alpha, resolution, samples and seconds (default :class:`Budget`).
    seed : int, optional
        Seed of the routes' random streams; default :func:`derive_seed` of the claim and parameters.
    salt : int
        Varies the derived seed.
    routes : iterable of str, optional
        Restrict to these route names.
    samples : int, optional
        Replay: run the looks up to exactly ``samples`` samples, without the clock.

    Examples
    --------
    >>> from featurecheck.numerics.claims import load_builtin_claims
    >>> from featurecheck.theory.claims import REGISTRY
    >>> load_builtin_claims()
    >>> rep = verify_claim(REGISTRY.get("majority.coefficient"), {"n": 7, "k": 3})
    >>> rep.verdict, [(r.route, r.verdict, r.resolution) for r in rep.results][:1]
    ('pass', [('enumeration', 'pass', 'exact')])
    """
    budget = budget or Budget()
    if samples is not None:
        budget = budget.replay(int(samples))
    bound = claim.bind(params)
    seed = derive_seed(claim.id, bound, salt) if seed is None else int(seed)
    expected = claim.expected(bound)
    wanted = None if routes is None else set(routes)
    active = [r for r in claim.routes if (wanted is None or r.name in wanted) and r.applies(bound)]
    if not active:
        why = "no route applies at these parameters: " + "; ".join(f"{r.name} ({r.applies_doc})" for r in claim.routes)
        none = CheckResult(id=claim.id, params=dict(bound), route="none", expected=expected, estimate=None,
                           interval=None, verdict="inconclusive", resolution=why, seed=seed, label=claim.label(bound))
        return Report(claim, dict(bound), expected, seed, budget, (none,))
    m = sum(r.rule.statistical and r.rule.kind != "predicate" for r in active)
    done: dict[int, CheckResult] = {}
    for i, r in enumerate(active):  # deterministic routes first: they may decide the example
        if not r.rule.statistical:
            done[i] = _run_route(claim, r, bound, expected, seed, budget, m)
    decided = any(res.verdict == "pass" for res in done.values())
    cross = budget
    if decided and budget.seconds is not None:  # a cross-check of a decided value: a short clock
        cross = replace(budget, seconds=min(budget.seconds, CROSS_CHECK_SECONDS))
    elif decided:  # without a clock: at most CROSS_CHECK_SAMPLES
        cross = replace(budget, max_samples=max(min(budget.max_samples, CROSS_CHECK_SAMPLES), budget.min_samples))
    for i, r in enumerate(active):
        if i not in done:
            done[i] = _run_route(claim, r, bound, expected, seed, cross, m)
    return Report(claim, dict(bound), expected, seed, budget, tuple(done[i] for i in range(len(active))))


def _run_route(claim: Claim, r: Route, bound: Mapping[str, Any], expected: Any, seed: int, budget: Budget,
               m: int) -> CheckResult:
    rule = r.rule
    desc = rule.description or rule.kind
    t0 = time.perf_counter()
    common = dict(id=claim.id, params=dict(bound), route=r.name, expected=expected, seed=seed, rule=desc,
                  label=claim.label(bound))
    if rule.statistical and rule.kind != "predicate":
        # the example's alpha (or the route's own, if smaller) is split over its m statistical routes
        # by Budget.look_alpha, and spent over the looks
        b = replace(budget, alpha=min(float(rule.alpha or budget.alpha), budget.alpha),
                    min_samples=min(r.start_samples or budget.min_samples, budget.max_samples))

        def at(N: int, a: float) -> tuple[Any, Any, Any, str]:
            ev: Evidence = r.run(dict(bound), samples=N, seed=seed, alpha=a)
            return ev.estimate, ev.interval, ev.n_samples, ev.note

        verdict, resolution, looks, note = sequential_test(expected, at, budget=b, kind=rule.kind, routes=m,
                                                           rtol=claim.rtol, atol=claim.atol)
        lk = looks[-1] if looks else Look(None, b.look_alpha(0, m), None, None, verdict)
        return CheckResult(estimate=lk.estimate, interval=lk.interval, verdict=verdict, resolution=resolution,
                           alpha=lk.alpha, n_samples=lk.n_samples, note=note, seconds=time.perf_counter() - t0,
                           looks=looks, **common)
    extra = {"value": expected} if r.takes_value else {}
    ev = r.run(dict(bound), samples=None, seed=seed, alpha=rule.alpha, **extra)
    verdict, resolution = rule.verdict(expected, ev)
    return CheckResult(estimate=ev.estimate, interval=ev.interval, verdict=verdict, resolution=resolution,
                       alpha=rule.alpha, n_samples=ev.n_samples, note=ev.note, seconds=time.perf_counter() - t0,
                       **common)


def check(
    claim: Claim,
    params: Mapping[str, Any] | None = None,
    *,
    samples: int | None = None,
    seed: int = 0,
    routes: Iterable[str] | None = None,
    budget: Budget | None = None,
) -> list[CheckResult]:
    """Return the results of :func:`verify_claim` as a list (seed 0 by default, as ``featurecheck verify``).

    Examples
    --------
    >>> from featurecheck.numerics.claims import load_builtin_claims
    >>> from featurecheck.theory.claims import REGISTRY
    >>> load_builtin_claims()
    >>> rs = check(REGISTRY.get("majority.coefficient"), {"n": 7, "k": 3}, routes=["enumeration"])
    >>> rs[0].verdict, str(rs[0].expected)
    ('pass', '-1/16')
    """
    return list(verify_claim(claim, params, budget=budget, seed=seed, routes=routes, samples=samples).results)
