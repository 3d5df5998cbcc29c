"""The sequential test: a claim's exact value against its numeric routes, adaptively.

``assert_claim(claim, n=31, k=5)`` runs every applicable route of ``claim`` and raises
``AssertionError`` with a reproducible counterexample if one disagrees. Exact routes are compared
exactly; statistical routes (rule kinds ``interval``, ``upper``, ``lower``, or a ``predicate`` with an
``alpha``) are run with a *sequential* sample schedule and a stated family-wise false-alarm budget.

The false-alarm arithmetic is in :mod:`featurecheck.numerics.checking.budget`; seeds and replay
commands in :mod:`featurecheck.numerics.checking.replay`.

Adaptive sample sizes
---------------------
At each look ``j`` (with ``e`` the claimed value and ``[lo, hi]`` the interval):

- ``e`` outside the interval: if this is the last look or the previous look also excluded ``e``,
  **fail**; otherwise escalate to ``N_{j+1}`` to confirm (a failure is never declared on the smallest
  sample alone, unless it is the only look).
- ``e`` inside and the radius ``<= max(rtol |e|, atol)``: **pass early**. On the ``1 - alpha`` event
  this certifies ``|true - e| <= 2 max(rtol |e|, atol)``: with ``rtol = 0.02`` a relative error above
  4% cannot pass early; it is carried to a larger sample where the interval excludes it.
- otherwise escalate; at the last look (``max_samples``) pass iff ``e`` is inside.

A look whose sample count the route rejects (ValueError naming ``samples``) is skipped, and a route
that does not honour ``samples`` (same ``n_samples`` twice) is not escalated further.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from featurecheck.numerics.checking.budget import STATISTICAL_KINDS, Budget
from featurecheck.numerics.checking.replay import derive_seed, reproduce_command
from featurecheck.theory.claims import Claim, Evidence, Route, Rule, to_fraction

__all__ = ["Look", "RouteOutcome", "Verdict", "sequential_test", "verify_claim", "show"]


@dataclass(frozen=True)
class Look:
    """One look of a sequential test."""

    n_samples: int | None
    alpha: float
    estimate: Any
    interval: tuple[float, float] | None
    excluded: bool


@dataclass(frozen=True)
class RouteOutcome:
    """The verdict of one route at one example."""

    route: str
    rule: str
    passed: bool
    expected: Any
    estimate: Any
    interval: tuple[float, float] | None
    n_samples: int | None
    seed: int
    alpha: float | None
    decided: str  # "exact", "excluded", "resolved", "budget", "no-escalation", "predicate"
    looks: tuple[Look, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class Verdict:
    """The outcome of :func:`verify_claim`: one :class:`RouteOutcome` per applicable route."""

    claim: Claim
    params: dict[str, Any]
    expected: Any
    seed: int
    budget: Budget
    outcomes: tuple[RouteOutcome, ...] = field(default_factory=tuple)

    @property
    def passed(self) -> bool:
        return all(o.passed for o in self.outcomes)

    @property
    def failures(self) -> list[RouteOutcome]:
        return [o for o in self.outcomes if not o.passed]

    def message(self) -> str:
        """Both sides, interval, sample count, seed and a replay command for each failing route."""
        label = self.claim.label(self.params)
        lines = [f"claim {label} is contradicted ({self.claim.source})"]
        for o in self.failures:
            lines.append(f"  route {o.route!r} ({o.rule}), decided by: {o.decided}")
            lines.append(f"    claimed value : {show(o.expected)}")
            est = f"    measured      : {show(o.estimate)}"
            if o.n_samples is not None:
                est += f"  from {o.n_samples} samples"
            lines.append(est)
            if o.interval is not None:
                lines.append(f"    interval      : [{o.interval[0]:.10g}, {o.interval[1]:.10g}]  "
                             f"(two-sided, alpha = {o.alpha:.3g} for this look)")
            if len(o.looks) > 1:
                lines.append("    looks         : " + ", ".join(
                    f"N={lk.n_samples}:{'out' if lk.excluded else 'in'}" for lk in o.looks))
            if o.note:
                lines.append(f"    note          : {o.note}")
            lines.append(f"    seed          : {o.seed}")
            lines.append("    reproduce     : " + reproduce_command(self.claim, self.params, o.seed, o.n_samples))
        lines.append(f"  budget: family-wise alpha {self.budget.alpha:.3g} for this example, split over "
                     f"{_n_stat(self.outcomes)} statistical route(s) x {len(self.budget.schedule())} looks "
                     f"(samples {self.budget.schedule()})")
        return "\n".join(lines)


def _n_stat(outcomes: Sequence[RouteOutcome]) -> int:
    return sum(o.alpha is not None and o.decided != "exact" for o in outcomes)


def show(x: Any) -> str:
    """A value for a failure message: exact form, then its float when they differ."""
    if isinstance(x, float):
        return f"{x:.10g}"
    s = str(x)
    try:
        f = float(to_fraction(x))
        if str(f) != s:
            s += f" = {f:.10g}"
    except (TypeError, ValueError, ArithmeticError):
        pass
    return s


def _excluded(kind: str, e: float, lo: float, hi: float) -> bool:
    if kind == "interval":
        return not lo <= e <= hi
    if kind == "upper":  # e is an upper bound: contradicted when the whole interval lies above it
        return lo > e
    if kind == "lower":
        return hi < e
    raise ValueError(f"rule kind must be one of {list(STATISTICAL_KINDS)}, got {kind!r}")


def _resolved(kind: str, e: float, lo: float, hi: float, rtol: float, atol: float) -> bool:
    tol = max(rtol * abs(e), atol)
    narrow = (hi - lo) / 2 <= tol
    if kind == "interval":
        return lo <= e <= hi and narrow
    if kind == "upper":
        return hi <= e or (lo <= e and narrow)
    return lo >= e or (hi >= e and narrow)


EstimateAt = Callable[[int, float], tuple[Any, "tuple[float, float] | None", "int | None", str]]


def sequential_test(
    expected: Any,
    estimate_at: EstimateAt,
    *,
    budget: Budget | None = None,
    kind: str = "interval",
    routes: int = 1,
) -> tuple[bool, str, tuple[Look, ...], str]:
    """Adaptive comparison of ``expected`` with a Monte Carlo estimator (module notes).

    Parameters
    ----------
    expected : number or sympy expression
        The claimed value (compared as a float; exact values convert via ``to_fraction``).
    estimate_at : callable
        ``estimate_at(samples, alpha) -> (estimate, (lo, hi), n_samples, note)``: a two-sided
        ``1 - alpha`` interval from ``samples`` samples (the same seed at every call).
    budget : Budget
    kind : {"interval", "upper", "lower"}
        ``upper``/``lower``: ``expected`` is claimed to be an upper/lower bound.
    routes : int
        Number of statistical routes sharing ``budget.alpha`` at this example.

    Returns
    -------
    (passed, decided, looks, note)

    Examples
    --------
    >>> from featurecheck.numerics.estimators.cube import fourier_coefficient_mc, majority
    >>> def at(N, a):
    ...     est = fourier_coefficient_mc(majority(25), [0], samples=N, seed=3, alpha=a)
    ...     return est.value, est.ci, est.n_samples, ""
    >>> from fractions import Fraction
    >>> from featurecheck.theory.boolean import majority_coefficient
    >>> sequential_test(majority_coefficient(25, 1), at)[:2]
    (True, 'resolved')
    >>> sequential_test(majority_coefficient(25, 1) * Fraction(11, 10), at)[:2]
    (False, 'excluded')
    """
    budget = budget or Budget()
    e = float(to_fraction(expected))
    sched = budget.schedule()
    a = budget.look_alpha(routes)
    looks: list[Look] = []
    prev_n: int | None = -1
    note = ""
    for j, N in enumerate(sched):
        try:
            est, iv, n_used, note = estimate_at(N, a)
        except ValueError as err:
            # a route may reject small sample counts (e.g. a minimum of two chunks): skip this look;
            # its share of alpha is simply not spent
            if j == len(sched) - 1 or "samples" not in str(err):
                raise
            continue
        if iv is None:
            raise ValueError("a statistical route must return an interval (Evidence.interval)")
        lo, hi = float(iv[0]), float(iv[1])
        out = _excluded(kind, e, lo, hi)
        looks.append(Look(n_used, a, est, (lo, hi), out))
        last = j == len(sched) - 1
        stuck = n_used is None or n_used == prev_n or n_used >= sched[-1]  # cannot escalate further
        if out and (last or stuck or not budget.confirm or (len(looks) > 1 and looks[-2].excluded)):
            return False, "excluded", tuple(looks), note
        if out:
            prev_n = n_used
            continue  # escalate to confirm
        if _resolved(kind, e, lo, hi, budget.rtol, budget.atol):
            return True, "resolved", tuple(looks), note
        if last:
            return True, "budget", tuple(looks), note
        if stuck:
            return True, "no-escalation", tuple(looks), note
        prev_n = n_used
    raise AssertionError("unreachable")  # pragma: no cover


def _is_statistical(rule: Rule) -> bool:
    """Rules with a false-alarm probability: interval/upper/lower/predicate with an ``alpha``.

    ``upper``/``lower`` rules without ``alpha`` judge a deterministic interval (e.g. an exact value
    against a bound) and run once.
    """
    return rule.alpha is not None and (rule.kind in STATISTICAL_KINDS or rule.kind == "predicate")


def verify_claim(
    claim: Claim,
    params: Mapping[str, Any] | None = None,
    *,
    budget: Budget | None = None,
    seed: int | None = None,
    salt: int = 0,
    routes: Iterable[str] | None = None,
) -> Verdict:
    """Check ``claim`` at ``params`` through every applicable route with the adaptive budget.

    Like :func:`featurecheck.numerics.checking.engine.check`, but statistical routes run the sequential schedule of
    ``budget`` at split levels (module notes), and the seed defaults to :func:`derive_seed`.
    Returns a :class:`Verdict`; :func:`assert_claim` raises on a failing one.

    Examples
    --------
    >>> from featurecheck.numerics.claims import load_builtin_claims
    >>> from featurecheck.theory.claims import REGISTRY
    >>> load_builtin_claims()
    >>> v = verify_claim(REGISTRY.get("majority.coefficient"), {"n": 7, "k": 3})
    >>> v.passed, [(o.route, o.decided) for o in v.outcomes]
    (True, [('enumeration', 'exact'), ('monte-carlo', 'budget')])
    """
    budget = budget or Budget()
    bound = claim.bind(params)
    seed = derive_seed(claim.id, bound, salt) if seed is None else int(seed)
    expected = claim.expected(bound)
    wanted = None if routes is None else set(routes)
    active = [r for r in claim.routes if (wanted is None or r.name in wanted) and r.applies(bound)]
    if not active:
        raise ValueError(
            f"no numeric route of claim {claim.id} applies at {bound}; routes: "
            + "; ".join(f"{r.name} ({r.applies_doc})" for r in claim.routes))
    m = sum(_is_statistical(r.rule) for r in active)
    outcomes = [_run_route(r, bound, expected, seed, budget, m) for r in active]
    return Verdict(claim, dict(bound), expected, seed, budget, tuple(outcomes))


def _run_route(r: Route, bound: Mapping[str, Any], expected: Any, seed: int, budget: Budget, m: int) -> RouteOutcome:
    rule = r.rule
    desc = rule.description or rule.kind
    if rule.kind in STATISTICAL_KINDS and rule.alpha is not None:
        def at(N: int, a: float) -> tuple[Any, Any, Any, str]:
            ev: Evidence = r.run(dict(bound), samples=N, seed=seed, alpha=a)
            return ev.estimate, ev.interval, ev.n_samples, ev.note

        passed, decided, looks, note = sequential_test(expected, at, budget=budget, kind=rule.kind, routes=m)
        lk = looks[-1]
        return RouteOutcome(r.name, desc, passed, expected, lk.estimate, lk.interval, lk.n_samples, seed,
                            lk.alpha, decided, looks, note)
    a = budget.look_alpha(m) * len(budget.schedule()) if _is_statistical(rule) else rule.alpha
    ev = r.run(dict(bound), samples=None, seed=seed, alpha=a)
    passed = rule.judge(expected, ev)
    return RouteOutcome(r.name, desc, passed, expected, ev.estimate, ev.interval, ev.n_samples, seed,
                        a if _is_statistical(rule) else None,
                        "predicate" if rule.kind == "predicate" else "exact", (), ev.note)
