"""Confidence intervals of featurecheck.numerics.estimators.intervals: formulas, coverage on a known mean, the estimator's arithmetic.

Independent routes: the radii are checked by plugging them back into the tail bounds they come from
(Hoeffding 1963, Thm 2: ``2 exp(-2 N r^2 / w^2) = alpha``; Maurer & Pontil 2009, Thm 4, rescaled from
[0, 1]) and the z quantile by :class:`statistics.NormalDist` (not scipy, which the module uses).
The estimator's mean, standard error and interval are recomputed with numpy from the very words the
kernels draw (:func:`featurecheck.numerics._kernels.rng.fill_lane_words`).

False-alarm arithmetic
----------------------
The coverage experiment estimates the mean ``29/128`` of ``T = 1[x_1 + ... + x_7 >= 3]`` (0/1) with
``R = 1000`` independent seeds, ``N = 500`` samples each, at interval level ``ALPHA_CI = 0.1``, and
applies one binomial test per interval kind at level ``ALPHA_TEST = 1e-4``:

- hoeffding, bernstein (distribution-free, so coverage >= 0.9): one-sided, reject if
  ``P[Bin(R, 0.1) >= misses] < 1e-4``;
- z (asymptotically exact): two-sided, reject if the exact two-sided binomial p-value of
  ``misses`` under ``Bin(R, 0.1)`` is below ``1e-4``.

Three tests at 1e-4 give a family-wise false-alarm rate of at most ``3e-4`` (union bound; for the z
interval this also budgets the finite-N error of the normal approximation, which at N = 500 moves
the miss rate by well under the test's resolution of about +-0.03). The negative control (a z
interval of half the radius, true miss rate about 0.41) must be rejected; its chance of escaping is
below 1e-100. All seeds are fixed: the run is deterministic. The remaining tests are exact or
floating-point identities (relative tolerance 1e-12), not statistical.
"""

from __future__ import annotations

import math
from fractions import Fraction
from statistics import NormalDist

import numpy as np
import pytest
from scipy import stats

from featurecheck.numerics._kernels.rng import Purpose, fill_lane_words, stream_key
from featurecheck.numerics.estimators.cube import mean_mc, threshold
from featurecheck.numerics.estimators.intervals import INTERVAL_KINDS, Estimate, interval_radius
from featurecheck.theory import boolean as B

ALPHA_CI = 0.1
ALPHA_TEST = 1e-4
R = 1000
N = 500


# --------------------------------------------------------------------------------------------------
# Radii against the bounds they come from
# --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("n", [2, 17, 10_000, 2**40])
@pytest.mark.parametrize("alpha", [0.5, 0.05, 1e-6, 1e-12])
@pytest.mark.parametrize("lo,hi", [(-1.0, 1.0), (0.0, 1.0), (-3.0, 5.0)])
def test_hoeffding_radius_solves_the_tail_bound(n: int, alpha: float, lo: float, hi: float) -> None:
    r = interval_radius("hoeffding", n, 0.3, lo, hi, alpha)
    assert math.isclose(2 * math.exp(-2 * n * r * r / (hi - lo) ** 2), alpha, rel_tol=1e-9)


@pytest.mark.parametrize("n", [2, 17, 10_000, 2**40])
@pytest.mark.parametrize("alpha", [0.5, 1e-6])
@pytest.mark.parametrize("var01", [0.0, 0.01, 0.25])
def test_bernstein_radius_is_maurer_pontil_rescaled(n: int, alpha: float, var01: float) -> None:
    lo, hi = -1.0, 3.0
    w = hi - lo
    delta = alpha / 2  # each side
    # Maurer & Pontil (2009), Thm 4 for Z in [0, 1]: sqrt(2 V ln(2/delta) / n) + 7 ln(2/delta) / (3 (n - 1))
    r01 = math.sqrt(2 * var01 * math.log(2 / delta) / n) + 7 * math.log(2 / delta) / (3 * (n - 1))
    assert math.isclose(interval_radius("bernstein", n, var01 * w * w, lo, hi, alpha), w * r01, rel_tol=1e-12)


@pytest.mark.parametrize("alpha", [0.5, 0.05, 1e-6])
def test_z_radius_uses_the_normal_quantile(alpha: float) -> None:
    z = NormalDist().inv_cdf(1 - alpha / 2)
    assert math.isclose(interval_radius("z", 400, 0.81, -1, 1, alpha), z * 0.9 / 20, rel_tol=1e-9)


def test_radius_orderings() -> None:
    h = [interval_radius("hoeffding", n, 0.0, -1, 1, 1e-3) for n in (10, 100, 1000)]
    assert h[0] > h[1] > h[2]
    assert interval_radius("hoeffding", 100, 0, -1, 1, 1e-6) > interval_radius("hoeffding", 100, 0, -1, 1, 1e-3)
    # Bernstein beats Hoeffding for small variance and large N, never reaches 0
    assert interval_radius("bernstein", 10**6, 0.01, -1, 1, 1e-6) < interval_radius("hoeffding", 10**6, 0, -1, 1, 1e-6)
    assert interval_radius("bernstein", 10**6, 0.0, -1, 1, 1e-6) > 0
    assert interval_radius("z", 10**6, 0.0, -1, 1, 1e-6) == 0.0
    assert interval_radius("z", 100, -1e-18, -1, 1, 0.1) == 0.0  # rounding noise counts as 0


def test_estimate_contains_is_closed_and_frozen() -> None:
    e = Estimate(0.5, 0.1, (0.25, 0.75), 100, 0, 0.05, "z")
    assert e.contains(0.25) and e.contains(0.75) and e.contains(Fraction(1, 2))
    assert not e.contains(0.2499) and not e.contains(0.7501)
    with pytest.raises(AttributeError):
        e.value = 1.0  # type: ignore[misc]


# --------------------------------------------------------------------------------------------------
# Coverage on a known mean
# --------------------------------------------------------------------------------------------------

F = threshold(7, 3)  # 0/1-valued, mean 29/128 (sums 7, 5, 3)
MEAN = B.threshold_coefficient(7, 3, 0)


def _misses() -> dict[str, int]:
    misses = dict.fromkeys(INTERVAL_KINDS, 0)
    misses["z/2"] = 0
    for seed in range(R):
        for kind in INTERVAL_KINDS:
            est = mean_mc(F, samples=N, seed=seed, alpha=ALPHA_CI, interval=kind)
            misses[kind] += not est.contains(MEAN)
            if kind == "z":
                half = (est.ci[1] - est.ci[0]) / 4
                misses["z/2"] += not (est.value - half <= MEAN <= est.value + half)
    return misses


@pytest.fixture(scope="module")
def misses() -> dict[str, int]:
    return _misses()


def _one_sided_p(k: int) -> float:
    return float(stats.binom.sf(k - 1, R, ALPHA_CI))  # P[Bin(R, alpha) >= k]


def _two_sided_p(k: int) -> float:
    return float(stats.binomtest(k, R, ALPHA_CI).pvalue)


def test_known_mean_is_exact() -> None:
    assert MEAN == Fraction(29, 128) == Fraction(1 + 7 + 21, 128)


@pytest.mark.parametrize("kind", ["hoeffding", "bernstein"])
def test_distribution_free_intervals_cover(misses: dict[str, int], kind: str) -> None:
    p = _one_sided_p(misses[kind])
    assert p >= ALPHA_TEST, f"{kind}: {misses[kind]}/{R} misses at alpha={ALPHA_CI}, one-sided p={p:.2g}"


def test_z_interval_has_nominal_coverage(misses: dict[str, int]) -> None:
    p = _two_sided_p(misses["z"])
    assert p >= ALPHA_TEST, f"z: {misses['z']}/{R} misses at alpha={ALPHA_CI}, two-sided p={p:.2g}"


def test_coverage_test_rejects_a_too_narrow_interval(misses: dict[str, int]) -> None:
    # negative control: half the z radius misses about 2 * (1 - Phi(0.82)) = 41% of the time
    assert _two_sided_p(misses["z/2"]) < ALPHA_TEST
    assert _one_sided_p(misses["z/2"]) < ALPHA_TEST


# --------------------------------------------------------------------------------------------------
# The estimator's arithmetic, recomputed with numpy from the same words
# --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", INTERVAL_KINDS)
@pytest.mark.parametrize("pm", [False, True])
def test_mean_mc_matches_numpy_on_the_drawn_words(kind: str, pm: bool) -> None:
    n, theta, samples, seed, alpha = 63, 3, 3000, 21, 1e-3
    f = threshold(n, theta, pm=pm)
    est = mean_mc(f, samples=samples, seed=seed, alpha=alpha, interval=kind)
    words = np.empty(samples, dtype=np.uint64)  # one chunk: sample i is lane word i of chunk 0
    fill_lane_words(stream_key(seed, Purpose.CUBE_MC), np.uint64(0), words)
    s = n - 2 * np.bitwise_count(words & np.uint64(2**63 - 1)).astype(np.int64)  # sum of x
    vals = np.where(s >= theta, 1, -1 if pm else 0).astype(np.float64)
    mean, var = vals.mean(), vals.var(ddof=1)
    lo, hi = (-1.0, 1.0) if pm else (0.0, 1.0)
    assert math.isclose(est.value, mean, rel_tol=1e-12)
    assert math.isclose(est.stderr, math.sqrt(var / samples), rel_tol=1e-12)
    r = interval_radius(kind, samples, var, lo, hi, alpha)
    assert math.isclose(est.ci[0], mean - r, rel_tol=1e-12, abs_tol=1e-15)
    assert math.isclose(est.ci[1], mean + r, rel_tol=1e-12, abs_tol=1e-15)
    assert (est.n_samples, est.seed, est.alpha, est.interval) == (samples, seed, alpha, kind)


# --------------------------------------------------------------------------------------------------
# Bad input
# --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("args,param", [
    (("hoeffding", 1, 0.0, -1, 1, 0.05), "n_samples"),
    (("hoeffding", 2.5, 0.0, -1, 1, 0.05), "n_samples"),
    (("hoeffding", 100, 0.0, -1, 1, 0.0), "alpha"),
    (("hoeffding", 100, 0.0, -1, 1, 1.0), "alpha"),
    (("hoeffding", 100, 0.0, -1, 1, -0.5), "alpha"),
    (("hoeffding", 100, 0.0, -1, 1, float("nan")), "alpha"),
    (("wald", 100, 0.0, -1, 1, 0.05), "interval"),
    (("hoeffding", 100, 0.0, 1, -1, 0.05), "hi"),
    (("hoeffding", 100, 0.0, float("-inf"), 1, 0.05), "lo"),
    (("bernstein", 100, float("nan"), -1, 1, 0.05), "variance"),
])
def test_bad_arguments_name_the_parameter(args, param: str) -> None:
    with pytest.raises(ValueError, match=param):
        interval_radius(*args)
