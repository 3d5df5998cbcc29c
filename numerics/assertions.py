"""Calibrated statistical assertions: a claim's exact value against its numeric routes, adaptively.

``assert_claim(claim, n=31, k=5)`` runs every applicable route of ``claim`` and raises
``AssertionError`` with a reproducible counterexample if one disagrees. Exact routes are compared
exactly; statistical routes (rule kinds ``interval``, ``upper``, ``lower``, or a ``predicate`` with an
``alpha``) are run with a *sequential* sample schedule and a stated family-wise false-alarm budget.

Error budget (the arithmetic)
-----------------------------
Let ``A`` be the family-wise false-alarm probability of one :func:`assert_claim` call
(``Budget.alpha``). It is split by a union bound

- equally over the ``m`` statistical routes that apply at the example: ``A / m`` each, and
- equally over the ``L`` looks of the sample schedule ``N_0 < N_1 < ... < N_{L-1}``
  (``N_j = min_samples * growth^j``, capped at ``max_samples``): ``A / (m L)`` per look.

Each look's two-sided interval holds with probability ``>= 1 - A/(mL)`` whatever happened at the
other looks, so a true claim fails with probability ``<= sum_looks sum_routes A/(mL) = A``, however the
stopping decisions depend on the data (stopping only ever *removes* chances to fail).

When Hypothesis draws many examples in one test, the per-test budget ``T`` (default ``1e-6``) is
split over the examples by :class:`AlphaLedger`: with ``M`` planned examples (``max_examples``), each
of the first ``M`` calls gets ``A = T / (2M)``, and call ``M + j`` (replays, shrinking) gets
``(T/2) M / ((M + j - 1)(M + j))``; the sum telescopes, ``sum_{j>=1} M/((M+j-1)(M+j)) = 1``, so the test
never spends more than ``T/2 + T/2 = T`` however many calls Hypothesis makes.
With the defaults (``T = 1e-6``, ``M = 40`` as in the ``ci`` profile, one statistical route, ``L = 4``
looks) each look runs at ``alpha = 1e-6 / 80 / 4 = 3.1e-9``; the empirical Bernstein radius grows only
like ``sqrt(log(4/alpha))``, so splitting costs about 18% in width compared with ``alpha = 1e-6``
(``sqrt(log(4/3.1e-9) / log(4/1e-6)) = sqrt(21.0 / 15.2) = 1.18``).

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

Seeds
-----
The seed of an example is derived from ``(claim id, bound parameters, salt)`` by BLAKE2b
(:func:`derive_seed`), so the same example always draws the same samples; looks reuse it (the
counter-based streams make ``N_j`` samples a prefix of ``N_{j+1}``). A failure message ends with a
command that replays the failing look exactly::

    featurecheck verify mypkg.claims:my_claim --param n=31 --param k=5 --seed 123 --samples 1048576

The CLI judges the replay at the route's own ``alpha`` (1e-6 by default), whose interval is narrower
than the split one, so the replay fails too.
"""

from __future__ import annotations

import hashlib
import math
import shlex
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import Any

from theory.claims import REGISTRY, Claim, Evidence, Route, Rule, to_fraction

__all__ = [
    "Budget",
    "AlphaLedger",
    "Look",
    "RouteOutcome",
    "Verdict",
    "DEFAULT_TEST_ALPHA",
    "derive_seed",
    "sequential_test",
    "verify_claim",
    "assert_claim",
    "assert_estimate_matches",
    "assert_mean_matches",
    "property_test",
    "claim_spec",
    "reproduce_command",
]

DEFAULT_TEST_ALPHA = 1e-6
STATISTICAL_KINDS = ("interval", "upper", "lower")


@dataclass(frozen=True)
class Budget:
    """Error and sample budget of one assertion (one claim at one parameter set).

    Parameters
    ----------
    alpha : float
        Family-wise false-alarm probability of the whole assertion (all statistical routes, all
        looks), in (0, 1).
    min_samples, max_samples : int
        First and largest Monte Carlo sample count (``2 <= min_samples <= max_samples``).
    growth : int
        Ratio between consecutive looks (``>= 2``).
    rtol, atol : float
        Resolution for an early pass: stop once the interval contains the claimed value ``e`` and its
        radius is ``<= max(rtol |e|, atol)``.
    confirm : bool
        Escalate once to confirm an exclusion before failing (see the module notes).

    Examples
    --------
    >>> Budget().schedule()
    (65536, 262144, 1048576, 4194304)
    >>> Budget(alpha=1e-6).look_alpha(routes=2)
    1.25e-07
    """

    alpha: float = DEFAULT_TEST_ALPHA
    min_samples: int = 1 << 16
    max_samples: int = 1 << 22
    growth: int = 4
    rtol: float = 0.02
    atol: float = 0.0
    confirm: bool = True

    def __post_init__(self) -> None:
        if not (isinstance(self.alpha, (int, float)) and 0 < self.alpha < 1):
            raise ValueError(f"alpha must be a probability in (0, 1), got {self.alpha!r}")
        if not (isinstance(self.min_samples, int) and 2 <= self.min_samples <= 2**50):
            raise ValueError(f"min_samples must be an integer in [2, 2^50], got {self.min_samples!r}")
        if not (isinstance(self.max_samples, int) and self.min_samples <= self.max_samples <= 2**50):
            raise ValueError(f"max_samples must be an integer in [min_samples={self.min_samples}, 2^50], "
                             f"got {self.max_samples!r}")
        if not (isinstance(self.growth, int) and self.growth >= 2):
            raise ValueError(f"growth must be an integer in [2, inf], got {self.growth!r}")
        if self.rtol < 0 or self.atol < 0:
            raise ValueError(f"rtol and atol must be >= 0, got rtol={self.rtol!r}, atol={self.atol!r}")

    def schedule(self) -> tuple[int, ...]:
        """Sample counts of the looks: ``min_samples * growth^j`` capped at ``max_samples``."""
        out = [self.min_samples]
        while out[-1] < self.max_samples:
            out.append(min(out[-1] * self.growth, self.max_samples))
        return tuple(out)

    def look_alpha(self, routes: int = 1) -> float:
        """``alpha / (routes * looks)``: the level of one look of one route."""
        return self.alpha / (max(1, routes) * len(self.schedule()))


class AlphaLedger:
    """Splits a per-test false-alarm budget over the examples Hypothesis draws.

    Call :meth:`next` once per example; the returned :class:`Budget` has ``alpha = T / (2M)`` for the
    first ``M = planned`` calls and ``(T/2) M / ((M+j-1)(M+j))`` for call ``M + j``, so the total spent
    is at most ``T`` however many calls happen (module notes).

    Parameters
    ----------
    total : float
        Per-test family-wise budget ``T`` (default ``1e-6``).
    planned : int, optional
        Expected number of examples ``M``; default the active Hypothesis profile's ``max_examples``.
    **budget : Budget fields (``max_samples``, ``rtol``, ...) applied to every example.

    Examples
    --------
    >>> led = AlphaLedger(1e-6, planned=40)
    >>> led.next().alpha
    1.25e-08
    >>> _ = [led.next() for _ in range(39)]
    >>> round(led.next().alpha / 1e-6 * 2 * 41, 12)  # call 41 = M + 1 gets T / (2 (M + 1))
    1.0
    >>> _ = [led.next() for _ in range(10_000)]
    >>> led.spent < 1e-6
    True
    """

    def __init__(self, total: float = DEFAULT_TEST_ALPHA, planned: int | None = None, **budget: Any) -> None:
        if not 0 < total < 1:
            raise ValueError(f"total must be a probability in (0, 1), got {total!r}")
        if planned is None:
            from hypothesis import settings

            planned = int(settings().max_examples)  # the active profile's
        if planned < 1:
            raise ValueError(f"planned must be an integer in [1, inf], got {planned!r}")
        self.total = float(total)
        self.planned = int(planned)
        self.calls = 0
        self.spent = 0.0
        self._budget = Budget(**budget)

    def next(self) -> Budget:
        self.calls += 1
        if self.calls <= self.planned:
            a = self.total / (2 * self.planned)
        else:
            M, j = self.planned, self.calls - self.planned
            a = self.total / 2 * M / ((M + j - 1) * (M + j))
        self.spent += a
        return replace(self._budget, alpha=a)


# ------------------------------------------------------------------ seeds and replay commands


def _canon(v: Any) -> str:
    if isinstance(v, Fraction):
        return str(v) if v.denominator != 1 else str(v.numerator)
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def derive_seed(claim_id: str, params: Mapping[str, Any], salt: int = 0) -> int:
    """Deterministic 63-bit seed of an example: BLAKE2b of ``claim_id``, the parameters and ``salt``.

    Independent of ``PYTHONHASHSEED``, the process and the order of ``params``.

    Examples
    --------
    >>> derive_seed("majority.coefficient", {"n": 7, "k": 3}) == derive_seed("majority.coefficient", {"k": 3, "n": 7})
    True
    >>> derive_seed("a", {"n": 7}) != derive_seed("a", {"n": 7}, salt=1)
    True
    """
    text = claim_id + "|" + ";".join(f"{k}={_canon(params[k])}" for k in sorted(params)) + f"|{int(salt)}"
    h = hashlib.blake2b(text.encode(), digest_size=8).digest()
    return int.from_bytes(h, "little") & (2**63 - 1)


_ORIGINS: dict[int, tuple[Claim, str]] = {}


def _remember_origin(claim: Claim, module: str) -> None:
    """Record the module a user claim was defined in (used to name it in replay commands)."""
    _ORIGINS[id(claim)] = (claim, module)


def _attr_in(mod_name: str, claim: Claim) -> str | None:
    mod = sys.modules.get(mod_name)
    if mod is None:
        return None
    for k, v in list(vars(mod).items()):
        if v is claim and not k.startswith("_"):
            return k
    for k, v in list(vars(mod).items()):
        if v is claim:
            return k
    return None


def claim_spec(claim: Claim) -> str | None:
    """How ``featurecheck verify`` can find ``claim``: its id if registered, else ``module:attr``.

    Returns None when the claim lives only in ``__main__`` (a script or notebook cell) and is not
    registered, since the CLI cannot import it.

    Examples
    --------
    >>> from numerics.checking import load_builtin_claims
    >>> load_builtin_claims()
    >>> claim_spec(REGISTRY.get("majority.coefficient"))
    'majority.coefficient'
    """
    if claim.id in REGISTRY and REGISTRY.get(claim.id) is claim:
        return claim.id
    origin = _ORIGINS.get(id(claim))
    if origin is not None and origin[0] is claim and origin[1] != "__main__":
        attr = _attr_in(origin[1], claim)
        if attr:
            return f"{origin[1]}:{attr}"
    for name in sorted(sys.modules):
        if name == "__main__" or name.startswith(("_", "hypothesis", "numpy", "sympy", "numba", "scipy")):
            continue
        attr = _attr_in(name, claim)
        if attr:
            return f"{name}:{attr}"
    return None


def _cli_value(v: Any) -> str:
    return _canon(v)


def reproduce_command(claim: Claim, params: Mapping[str, Any], seed: int, samples: int | None = None) -> str:
    """The ``featurecheck verify ...`` command replaying one example (or a hint if not importable).

    Examples
    --------
    >>> from numerics.checking import load_builtin_claims
    >>> load_builtin_claims()
    >>> reproduce_command(REGISTRY.get("threshold.coefficient"), {"n": 21, "theta": Fraction(-5, 2), "k": 4}, 7, 1024)
    'featurecheck verify threshold.coefficient --param n=21 --param theta=-5/2 --param k=4 --seed 7 --samples 1024'
    """
    spec = claim_spec(claim)
    args = " ".join(f"--param {shlex.quote(f'{k}={_cli_value(v)}')}" for k, v in params.items())
    tail = f" --seed {seed}" + ("" if samples is None else f" --samples {samples}")
    if spec is None:
        return (f"(define {claim.id} in an importable module to replay it from the shell) "
                f"numerics.checking.check(claim, {dict((k, _cli_value(v)) for k, v in params.items())!r}, "
                f"seed={seed}{'' if samples is None else f', samples={samples}'})")
    return f"featurecheck verify {spec}{' ' + args if args else ''}{tail}"


# ------------------------------------------------------------------ the sequential test


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
            lines.append(f"    claimed value : {_show(o.expected)}")
            est = f"    measured      : {_show(o.estimate)}"
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


def _show(x: Any) -> str:
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
    >>> from numerics.cube import fourier_coefficient_mc, majority
    >>> def at(N, a):
    ...     est = fourier_coefficient_mc(majority(25), [0], samples=N, seed=3, alpha=a)
    ...     return est.value, est.ci, est.n_samples, ""
    >>> from theory.boolean import majority_coefficient
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

    Like :func:`numerics.checking.check`, but statistical routes run the sequential schedule of
    ``budget`` at split levels (module notes), and the seed defaults to :func:`derive_seed`.
    Returns a :class:`Verdict`; :func:`assert_claim` raises on a failing one.

    Examples
    --------
    >>> from numerics.checking import load_builtin_claims
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


def assert_claim(
    claim: Claim,
    params: Mapping[str, Any] | None = None,
    /,
    *,
    budget: Budget | None = None,
    seed: int | None = None,
    salt: int = 0,
    **kw_params: Any,
) -> Verdict:
    """Assert that ``claim`` holds at the given parameters, at family-wise level ``budget.alpha``.

    Parameters are given as a dict, as keywords, or both (``assert_claim(c, n=31, k=5)``). Raises
    ``AssertionError`` whose message shows, per failing route, both sides, the interval, the sample
    count, the seed and the ``featurecheck verify ... --seed ... --samples ...`` replay command.
    Returns the :class:`Verdict` when the claim holds.

    Examples
    --------
    >>> from numerics.checking import load_builtin_claims
    >>> load_builtin_claims()
    >>> assert_claim(REGISTRY.get("majority.coefficient"), n=25, k=1).passed
    True
    >>> from dataclasses import replace
    >>> wrong = replace(REGISTRY.get("majority.coefficient"), id="demo.wrong", value=lambda n, k: 0)
    >>> assert_claim(wrong, n=25, k=1)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    AssertionError: claim demo.wrong[n=25,k=1] is contradicted ...
    """
    merged = dict(params or {})
    merged.update(kw_params)
    v = verify_claim(claim, merged, budget=budget, seed=seed, salt=salt)
    if not v.passed:
        raise AssertionError(v.message())
    return v


# ------------------------------------------------------------------ lower-level helpers


def assert_estimate_matches(
    expected: Any,
    estimator: Callable[[int, int, float], Any],
    *,
    seed: int,
    budget: Budget | None = None,
    kind: str = "interval",
    label: str = "estimate",
) -> tuple[Look, ...]:
    """Assert ``expected`` agrees with an estimator returning an object with ``value``, ``ci``, ``n_samples``.

    ``estimator(samples, seed, alpha)`` is e.g. ``lambda N, s, a: fourier_coefficient_mc(f, S, N, s, a)``
    or :func:`numerics.cube.mean_mc`. The sequential schedule and alpha split of ``budget`` apply.

    Examples
    --------
    >>> from numerics.cube import mean_mc, threshold
    >>> looks = assert_estimate_matches(Fraction(1, 2), lambda N, s, a: mean_mc(threshold(5, 1), N, s, a), seed=1)
    >>> looks[-1].excluded
    False
    """
    def at(N: int, a: float) -> tuple[Any, Any, Any, str]:
        est = estimator(N, seed, a)
        return est.value, est.ci, est.n_samples, getattr(est, "interval", "")

    b = budget or Budget()
    passed, decided, looks, note = sequential_test(expected, at, budget=b, kind=kind)
    if not passed:
        lk = looks[-1]
        lo, hi = lk.interval or (math.nan, math.nan)
        raise AssertionError(
            f"{label}: claimed {_show(expected)} but measured {_show(lk.estimate)} from {lk.n_samples} samples, "
            f"interval [{lo:.10g}, {hi:.10g}] at alpha {lk.alpha:.3g} ({note}), seed {seed}; decided by {decided}")
    return looks


def assert_mean_matches(
    expected: Any,
    sample: Callable[[int, int], Any],
    *,
    value_range: tuple[float, float],
    seed: int,
    budget: Budget | None = None,
    interval: str = "bernstein",
    kind: str = "interval",
    label: str = "mean",
) -> tuple[Look, ...]:
    """Assert ``expected == E[X]`` for a plain Python/numba sampler ``sample(samples, seed) -> array of X``.

    The interval is computed by :func:`numerics.estimate.interval_radius` from the sample mean and
    variance, with ``value_range`` the almost-sure range of ``X`` (Bernstein and Hoeffding need it).

    Examples
    --------
    >>> import numpy as np
    >>> draw = lambda N, s: np.random.default_rng(s).integers(0, 2, N)  # fair coin
    >>> _ = assert_mean_matches(Fraction(1, 2), draw, value_range=(0, 1), seed=0)
    """
    from numerics.user import sample_mean_estimate

    def est(N: int, s: int, a: float) -> Any:
        return sample_mean_estimate(sample, N, s, a, value_range=value_range, interval=interval)

    return assert_estimate_matches(expected, est, seed=seed, budget=budget, kind=kind, label=label)


# ------------------------------------------------------------------ Hypothesis driver


def property_test(
    claim: Claim,
    *,
    alpha: float = DEFAULT_TEST_ALPHA,
    max_examples: int | None = None,
    overrides: Mapping[str, Any] | None = None,
    budget: Mapping[str, Any] | None = None,
    name: str | None = None,
) -> Callable[[], None]:
    """A pytest test function that property-tests ``claim`` over :func:`params_for` draws.

    The per-test false-alarm budget ``alpha`` is split over the examples by :class:`AlphaLedger`
    (module notes), and each example is checked by :func:`assert_claim` with a derived seed, so a
    failure shrinks to the simplest parameters and replays from the printed command.

    Parameters
    ----------
    claim : Claim
    alpha : float
        Family-wise false-alarm probability of the whole test.
    max_examples : int, optional
        Examples to draw; default the active Hypothesis profile's.
    overrides : dict, optional
        Parameter strategies or fixed values (see :func:`numerics.strategies.params_for`).
    budget : dict, optional
        :class:`Budget` fields other than ``alpha`` (``max_samples``, ``rtol``, ...).
    name : str, optional
        The test's ``__name__`` (default ``test_<claim id with dots as underscores>``).

    Examples
    --------
    In a test file::

        from numerics.assertions import property_test
        from mypkg.claims import my_claim

        test_my_claim = property_test(my_claim, max_examples=20)
    """
    from hypothesis import HealthCheck, given, settings

    from numerics.strategies import params_for

    strategy = params_for(claim, overrides)
    extra = dict(budget or {})

    def test() -> None:
        # Monte Carlo examples take longer than Hypothesis's default deadline (and numba compiles once)
        quiet = {*settings().suppress_health_check, HealthCheck.too_slow, HealthCheck.filter_too_much}
        base = settings(deadline=None, suppress_health_check=sorted(quiet, key=lambda h: h.name))
        s = base if max_examples is None else settings(base, max_examples=max_examples)
        ledger = AlphaLedger(alpha, planned=s.max_examples, **extra)

        @s
        @given(strategy)
        def inner(params: dict[str, Any]) -> None:
            assert_claim(claim, params, budget=ledger.next())

        inner()

    test.__name__ = name or "test_" + claim.id.replace(".", "_").replace("-", "_")
    test.__qualname__ = test.__name__
    test.__doc__ = f"Property test of {claim.id} at family-wise alpha {alpha:g}."
    return test
