"""Statistics over seeds: the exact tests behind every experiment claim.

Statistical model
-----------------
An experiment claim runs ``m`` seeds. Each seed is an independent trial: its initial weights, its
batches and its test data come from streams keyed by the seed alone
(:mod:`featurecheck.numerics._kernels.rng`), so the per-seed outcomes ``X_1, ..., X_m`` are i.i.d.
draws of the experiment's random outcome (a success indicator, a step count ``t_c``, an accuracy).
A claim is a statement about that outcome's distribution: a success probability, or a median.

Each test here gives a three-way verdict at a stated two-sided level ``1 - alpha``:

- :func:`success_test`: the claim ``p >= p0`` on a success probability, through the exact
  Clopper–Pearson interval ``[lo, hi]`` of the success count (Clopper & Pearson 1934). Pass if
  ``lo >= p0``, fail if ``hi < p0``, otherwise inconclusive. If ``p < p0`` a pass has probability
  at most ``alpha/2``; if ``p >= p0`` a fail has probability at most ``alpha/2``.
- :func:`median_interval`: the distribution-free order-statistic interval of a median
  ``[X_(l), X_(m+1-l)]``, with ``l`` the largest rank with ``P(Bin(m, 1/2) <= l - 1) <= alpha/2``
  (David & Nagaraja, *Order Statistics*, 3rd ed., Sec. 7.1). Its coverage is at least ``1 - alpha``
  for any continuous or discrete distribution; ``inf`` (a run that never converged) is an ordinary
  value.
- :func:`interval_test`: a claim ``L <= theta <= U`` against an interval for ``theta``: pass if the
  interval lies inside ``[L, U]``, fail if it lies wholly outside, otherwise inconclusive. On the
  interval's ``1 - alpha`` event the verdict is never wrong.
- :func:`ols_slope` and :func:`percentile_interval`: the least-squares slope through per-n medians and
  the percentile seed-bootstrap interval of it (approximate level), shared by the scaling fits.

False alarms: a claim that runs ``c`` such tests splits its ``alpha`` over them (``alpha / c`` each,
Bonferroni), so the claim's false-alarm probability (fail although true) is at most ``alpha / 2``
and its false-pass probability (pass although false) at most ``alpha / 2``.

Examples
--------
>>> success_test(30, 30, 0.8, 0.05)[0]
True
>>> median_interval([3, 1, 2, 5, 4, 9, 7, 8, 6], 0.1)
(5.0, (2.0, 8.0))
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from fractions import Fraction

import numpy as np

from featurecheck.numerics.estimators.intervals import clopper_pearson
from featurecheck.theory._validate import check_int, check_probability

__all__ = ["json_number", "success_test", "median_interval", "median_rank", "interval_test", "all_of", "Tri", "percentile_interval",
           "ols_slope"]

#: A three-way outcome: True (pass), False (fail), None (inconclusive).
Tri = bool | None


def success_test(successes: int, trials: int, p0: float, alpha: float) -> tuple[Tri, tuple[float, float]]:
    """Test ``p >= p0`` on a success probability from ``successes`` of ``trials`` i.i.d. seeds.

    Parameters
    ----------
    successes, trials : int
        Seeds that succeeded, seeds run (``0 <= successes <= trials``, ``trials >= 1``).
    p0 : float
        The claimed lower bound of the success probability, in ``[0, 1]``.
    alpha : float
        Two-sided level of the Clopper–Pearson interval.

    Returns
    -------
    (verdict, (lo, hi))
        ``True`` if ``lo >= p0``, ``False`` if ``hi < p0``, else ``None``.

    Examples
    --------
    >>> success_test(0, 30, 0.5, 0.05)[0], success_test(20, 30, 0.5, 0.05)[0]
    (False, None)
    """
    trials = check_int("trials", trials, 1)
    successes = check_int("successes", successes, 0, trials)
    p0 = check_probability("p0", p0)
    lo, hi = clopper_pearson(successes, trials, check_probability("alpha", alpha))
    return (True if lo >= p0 else False if hi < p0 else None), (lo, hi)


def median_rank(m: int, alpha: float) -> int:
    """Return the rank ``l`` of the order-statistic median interval ``[X_(l), X_(m+1-l)]`` (0 if none exists).

    The largest ``l <= (m + 1) / 2`` with ``P(Bin(m, 1/2) <= l - 1) <= alpha / 2``.

    Examples
    --------
    >>> median_rank(25, 0.05), median_rank(5, 0.05)
    (8, 0)
    """
    m = check_int("m", m, 1)
    alpha = check_probability("alpha", alpha)
    # exact: P(Bin(m, 1/2) <= rank - 1) = sum_{i < rank} C(m, i) / 2^m, compared in rationals
    limit = Fraction(alpha) / 2 * 2**m
    best, tail = 0, 0
    for rank in range(1, (m + 1) // 2 + 1):
        tail += math.comb(m, rank - 1)
        if tail > limit:
            break
        best = rank
    return best


def median_interval(values: Iterable[float | int | None], alpha: float) -> tuple[float, tuple[float, float]]:
    """Sample median and its distribution-free ``1 - alpha`` order-statistic interval.

    ``None`` counts as ``+inf`` (a run that did not converge). With too few values for the level
    (``median_rank == 0``) the interval is ``(-inf, inf)``.

    Examples
    --------
    >>> median_interval([None, None, None, 1, 2], 0.5)
    (inf, (2.0, inf))
    """
    x = np.sort(np.array([math.inf if v is None else float(v) for v in values], dtype=float))
    if x.size == 0:
        raise ValueError("values must contain at least one seed's outcome, got none")
    med = float(np.median(x))
    rank = median_rank(x.size, alpha)
    if rank == 0:
        return med, (-math.inf, math.inf)
    return med, (float(x[rank - 1]), float(x[x.size - rank]))


def percentile_interval(replicates: np.ndarray, undefined: float, alpha: float) -> tuple[float | None, float | None]:
    """Percentile bootstrap interval at level ``1 - alpha`` of the finite ``replicates``.

    ``undefined`` is the fraction of replicates left out as undefined (an infinite median): they could
    fall on either side, so both bounds are None when that mass exceeds ``alpha / 2`` (or none is finite).

    Examples
    --------
    >>> percentile_interval(np.arange(1.0, 101.0), 0.0, 0.1)
    (5.0, 95.0)
    >>> percentile_interval(np.arange(1.0, 101.0), 0.06, 0.1)
    (None, None)
    """
    if undefined > alpha / 2 or replicates.size == 0:
        return (None, None)
    return (float(np.quantile(replicates, alpha / 2, method="inverted_cdf")),
            float(np.quantile(replicates, 1 - alpha / 2, method="inverted_cdf")))


def ols_slope(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Return the least-squares slope of ``y`` on ``x`` along the last axis of ``y``.

    ``y`` is one fit (shape ``x.shape``) or a stack of them, e.g. one row per bootstrap replicate; the
    slope is ``sum (x - mean x)(y - mean y) / sum (x - mean x)^2``, each row in the same float order.

    Examples
    --------
    >>> x = np.log(np.array([10.0, 20.0, 40.0]))
    >>> round(float(ols_slope(x, 2 * x + 1)), 12), np.round(ols_slope(x, np.stack([x, 3 * x])), 12).tolist()
    (2.0, [1.0, 3.0])
    """
    xc = x - x.mean()
    return (xc * (y - y.mean(axis=-1, keepdims=True))).sum(axis=-1) / (xc ** 2).sum()


def interval_test(interval: Sequence[float], lower: float = -math.inf, upper: float = math.inf) -> Tri:
    """Test ``lower <= theta <= upper`` against an interval for ``theta``.

    Examples
    --------
    >>> interval_test((0.2, 0.3), upper=0.5), interval_test((0.6, 0.7), upper=0.5), interval_test((0.4, 0.6), upper=0.5)
    (True, False, None)
    """
    lo, hi = (float(v) for v in interval)
    if lower <= lo and hi <= upper:
        return True
    if hi < lower or lo > upper:
        return False
    return None


def all_of(outcomes: Iterable[Tri]) -> Tri:
    """Combine three-way outcomes: any fail fails, all pass passes, otherwise inconclusive.

    Examples
    --------
    >>> all_of([True, None]), all_of([True, False, None]), all_of([True, True])
    (None, False, True)
    """
    seen = list(outcomes)
    if any(o is False for o in seen):
        return False
    return True if all(o is True for o in seen) else None


def json_number(x: float | None) -> float | int | None:
    """Return a summary number for strict JSON: None for a missing or infinite value, an int when integral.

    Examples
    --------
    >>> json_number(12.0), json_number(2.5), json_number(float("inf")), json_number(None)
    (12, 2.5, None, None)
    """
    if x is None or not math.isfinite(x):
        return None
    return int(x) if float(x).is_integer() else float(x)
