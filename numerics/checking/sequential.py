"""The sequential test: a stated value against a Monte Carlo estimator, escalating the sample count.

At look ``j`` the estimator gives a two-sided interval at level ``a_j`` (alpha-spending, module
notes of :mod:`featurecheck.numerics.checking.budget`); with ``e`` the stated value and
``tol = max(rtol |e|, atol)``:

- the interval excludes ``e`` (for a bound: lies wholly beyond it): **fail**. Every look's interval
  is covered by the union bound, so no confirmation look is needed;
- the interval contains ``e`` and its half-width is at most ``tol``: **pass**. On the ``1 - alpha``
  event this certifies ``|true - e| <= 2 tol``;
- otherwise escalate to ``N_{j+1} = growth N_j``, unless the next look would exceed ``max_samples``
  or the time left (predicted from the last look, scaled by ``growth``). Then the check is
  **inconclusive**: the interval never became narrow enough to tell.

A look whose sample count the route rejects (a ValueError naming ``samples``) is skipped, and a
route that does not honour ``samples`` (the same ``n_samples`` twice) is not escalated further.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from featurecheck.numerics.checking.budget import Budget
from featurecheck.theory.claims import Evidence, Rule, to_fraction

__all__ = ["Look", "sequential_test", "EstimateAt"]


@dataclass(frozen=True)
class Look:
    """One look of a sequential test: the sample count, its level, the estimate and interval, and the verdict."""

    n_samples: int | None
    alpha: float
    estimate: Any
    interval: tuple[float, float] | None
    verdict: str
    seconds: float = 0.0

    @property
    def excluded(self) -> bool:
        """Whether this look failed: its interval excludes the stated value (or lies beyond the bound)."""
        return self.verdict == "fail"


#: ``estimate_at(samples, alpha) -> (estimate, (lo, hi), n_samples, note)``
EstimateAt = Callable[[int, float], tuple[Any, "tuple[float, float] | None", "int | None", str]]


def sequential_test(
    expected: Any,
    estimate_at: EstimateAt,
    *,
    budget: Budget | None = None,
    kind: str = "interval",
    routes: int = 1,
    rtol: float = 0.05,
    atol: float = 0.0,
    clock: Callable[[], float] = time.perf_counter,
) -> tuple[str, str, tuple[Look, ...], str]:
    """Adaptive comparison of ``expected`` with a Monte Carlo estimator (module notes).

    Parameters
    ----------
    expected : number or sympy expression
        The stated value (compared as a float; exact values convert via ``to_fraction``).
    estimate_at : callable
        ``estimate_at(samples, alpha) -> (estimate, (lo, hi), n_samples, note)``: a two-sided
        ``1 - alpha`` interval from ``samples`` samples (the same seed at every call).
    budget : Budget
    kind : {"interval", "upper", "lower"}
        ``upper``/``lower``: ``expected`` is stated to be an upper/lower bound.
    routes : int
        Number of statistical routes sharing ``budget.alpha`` at this example.
    rtol, atol : float
        The claim's resolution (``budget.rtol``/``budget.atol`` override them).

    Returns
    -------
    (verdict, resolution, looks, note)
        ``verdict`` is ``"pass"``, ``"fail"`` or ``"inconclusive"``.

    Examples
    --------
    >>> from fractions import Fraction
    >>> from featurecheck.numerics.estimators.cube import fourier_coefficient_mc, majority
    >>> from featurecheck.theory.boolean import majority_coefficient
    >>> def at(N, a):
    ...     est = fourier_coefficient_mc(majority(25), [0], samples=N, seed=3, alpha=a)
    ...     return est.value, est.ci, est.n_samples, ""
    >>> small = Budget(max_samples=1 << 22, seconds=None)
    >>> sequential_test(majority_coefficient(25, 1), at, budget=small)[0]
    'pass'
    >>> sequential_test(majority_coefficient(25, 1) * Fraction(11, 10), at, budget=small)[0]
    'fail'
    >>> sequential_test(majority_coefficient(25, 1), at, budget=small, rtol=0.001)[0]
    'inconclusive'
    """
    budget = budget or Budget()
    rule = Rule(kind, alpha=budget.alpha)  # type: ignore[arg-type]
    if not rule.statistical or kind not in ("interval", "upper", "lower"):
        raise ValueError(f"kind must be one of ['interval', 'upper', 'lower'], got {kind!r}")
    e = float(to_fraction(expected))
    tol = budget.tolerance(e, rtol, atol)
    sched = budget.schedule()
    if budget.seconds is not None:
        # compile the route's kernels before the clock starts: a tiny call whose result is discarded
        # (it is not a look and spends no alpha), so the time budget measures sampling, not numba
        try:
            estimate_at(max(2, min(sched[0], 1024)), budget.alpha)
        except ValueError:
            pass
    bar = _bar(budget)
    try:
        return _looks(expected, estimate_at, budget, rule, tol, sched, routes, clock, bar)
    finally:
        if bar is not None:
            bar.close()


def _bar(budget: Budget) -> Any:
    """Return a transient tqdm bar over the time budget (stderr terminals only), or None."""
    if not budget.progress or budget.seconds is None or not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    return tqdm(total=budget.seconds, file=sys.stderr, leave=False, desc="monte-carlo",
                bar_format="{desc}: {n:.1f}/{total:g} s |{bar}| {postfix}")


def _looks(expected: Any, estimate_at: EstimateAt, budget: Budget, rule: Rule, tol: float, sched: tuple[int, ...],
           routes: int, clock: Callable[[], float], bar: Any) -> tuple[str, str, tuple[Look, ...], str]:
    start = clock()
    looks: list[Look] = []
    note = ""
    resolution = "no look ran"
    for j, N in enumerate(sched):
        if looks and budget.seconds is not None:
            last = looks[-1]
            ratio = N / max(1, last.n_samples or N)
            if clock() - start + last.seconds * ratio > budget.seconds:
                resolution += f"; stopped at {last.n_samples} samples (time budget {budget.seconds:g} s)"
                break
        a = budget.look_alpha(j, routes)
        t0 = clock()
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
        verdict, resolution = rule.verdict(expected, Evidence(est, (float(iv[0]), float(iv[1]))), tol)
        looks.append(Look(n_used, a, est, (float(iv[0]), float(iv[1])), verdict, clock() - t0))
        if bar is not None:
            bar.n = min(float(budget.seconds or 0.0), clock() - start)
            bar.set_postfix_str(f"N = {n_used}, half-width {(float(iv[1]) - float(iv[0])) / 2:.2g}, tol {tol:.2g}")
        if verdict != "inconclusive":
            return verdict, resolution, tuple(looks), note
        if n_used is None or (len(looks) > 1 and n_used == looks[-2].n_samples):
            resolution += "; the route does not take more samples"
            break
    else:
        if looks:
            resolution += f"; stopped at max_samples = {looks[-1].n_samples}"
    return "inconclusive", resolution, tuple(looks), note
