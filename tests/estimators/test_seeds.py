"""Tests of the exact tests over seeds (featurecheck.numerics.estimators.seeds).

Expected values come from independent routes: binomial tails summed with ``math.comb`` (not scipy),
exact coverage by enumerating every success count, and a fixed-seed coverage experiment on lognormal
samples. Every test has a negative control.
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest

from featurecheck.numerics.estimators.seeds import all_of, interval_test, median_interval, median_rank, success_test


def _binom_cdf(x: int, m: int) -> Fraction:
    return Fraction(sum(math.comb(m, i) for i in range(x + 1)), 2**m)


@pytest.mark.parametrize("m", [1, 5, 6, 9, 25, 40, 100])
@pytest.mark.parametrize("alpha", [0.5, 0.05, 1e-3])
def test_median_rank_is_largest_rank_with_exact_tail(m: int, alpha: float) -> None:
    from scipy import stats

    # exact integer tails in the code; scipy's float binomial cdf is the second route (the 1e-12 relative
    # slack covers its rounding; no tail here lies within 1e-9 of alpha/2)
    rank = median_rank(m, alpha)
    ok = [r for r in range(1, (m + 1) // 2 + 1) if stats.binom.cdf(r - 1, m, 0.5) <= alpha / 2 * (1 + 1e-12)]
    assert rank == (max(ok) if ok else 0)


def test_median_interval_handles_nonconverged_and_ranks() -> None:
    med, (lo, hi) = median_interval([5, 7, 9, 11, None], 0.5)
    assert med == 9.0 and (lo, hi) == (7.0, 11.0)  # rank 2: P(Bin(5,1/2) <= 1) = 6/32 <= 1/4
    med, (lo, hi) = median_interval([None, None, 3], 0.9)
    assert med == math.inf and hi == math.inf
    assert median_interval([5, 7, 9, 11], 0.05) == (8.0, (-math.inf, math.inf))  # too few seeds: no interval
    with pytest.raises(ValueError, match="at least one"):
        median_interval([], 0.05)


def test_median_interval_coverage_on_lognormal_samples() -> None:
    # 400 samples of 40 draws of exp(N(log 100, 0.5^2)) (true median 100), fixed seed. The interval at
    # alpha = 0.05 has exact coverage 1 - 2 P(Bin(40, 1/2) <= l - 1) >= 0.95 (here l = 14: 0.9615); the
    # hit count is Binomial(400, 0.9615) (sd 3.8), so [370, 397] is a > 5 sd window.
    rng = np.random.default_rng(5)
    rank = median_rank(40, 0.05)
    assert rank == 14
    assert 1 - 2 * _binom_cdf(rank - 1, 40) >= Fraction(95, 100)
    hits = 0
    for _ in range(400):
        x = np.exp(rng.normal(math.log(100), 0.5, size=40))
        _, (lo, hi) = median_interval(x.tolist(), 0.05)
        hits += lo <= 100 <= hi
    assert 370 <= hits <= 397
    x = np.exp(rng.normal(math.log(100), 0.5, size=40))
    _, (lo, hi) = median_interval(x.tolist(), 0.05)
    assert not (lo <= 150 <= hi) and not (lo <= 66 <= hi)  # negative controls: factor 1.5 either way


@pytest.mark.parametrize("m,p0", [(30, 0.8), (60, 0.9), (12, 0.5)])
def test_success_test_error_probabilities_are_bounded_exactly(m: int, p0: float) -> None:
    # Enumerate every success count x: P(pass) under p just below p0 and P(fail) at p = p0 are <= alpha/2.
    alpha = 0.05
    verdicts = {x: success_test(x, m, p0, alpha)[0] for x in range(m + 1)}
    for p, bad in ((p0 - 1e-9, True), (p0, False)):
        prob = sum(math.comb(m, x) * p**x * (1 - p) ** (m - x) for x in range(m + 1) if verdicts[x] is bad)
        assert prob <= alpha / 2 + 1e-12
    assert verdicts[m] is True and verdicts[0] is False  # the test can pass and can fail


def test_interval_test_and_all_of() -> None:
    assert interval_test((1.0, 2.0), 0.5, 3.0) is True
    assert interval_test((1.0, 2.0), 2.5, 3.0) is False
    assert interval_test((1.0, 2.0), 1.5, 3.0) is None
    assert interval_test((1.0, math.inf), upper=10.0) is None
    assert all_of([]) is True and all_of([None, False]) is False and all_of([True, None]) is None


def test_success_test_closed_forms_at_the_ends() -> None:
    # 0 of m: hi = 1 - (alpha/2)^(1/m); m of m: lo = (alpha/2)^(1/m) (Clopper-Pearson in closed form)
    for m in (10, 45, 100):
        _, (lo, hi) = success_test(0, m, 0.5, 1e-3)
        assert lo == 0.0 and abs(hi - (1 - 5e-4 ** (1 / m))) < 1e-12
        _, (lo, hi) = success_test(m, m, 0.5, 1e-3)
        assert hi == 1.0 and abs(lo - 5e-4 ** (1 / m)) < 1e-12
