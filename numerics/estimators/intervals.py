"""Monte Carlo estimates and their confidence intervals.

Three interval kinds, each at a stated two-sided level ``1 - alpha``:

- ``hoeffding``: distribution-free for values in ``[lo, hi]``; radius
  ``(hi - lo) sqrt(log(2/alpha) / (2 N))`` (Hoeffding 1963, Thm 2).
- ``bernstein``: the empirical Bernstein bound of Maurer & Pontil (2009, Thm 4), applied to each
  side at ``alpha/2``: radius ``sqrt(2 V log(4/alpha) / N) + 7 (hi - lo) log(4/alpha) / (3 (N - 1))``
  with ``V`` the unbiased sample variance. Distribution-free and much sharper when ``V`` is small.
- ``z``: the normal approximation ``z_{1-alpha/2} s / sqrt(N)`` (scipy.stats.norm); asymptotic only.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from featurecheck.numerics._kernels.rng import CHUNK, Purpose, chunk_seed
from featurecheck.theory._validate import check_int, check_probability, check_real
from featurecheck.theory.claims import DEFAULT_ALPHA  # defined once, in the lowest layer

__all__ = ["Estimate", "interval_radius", "IntervalKind", "INTERVAL_KINDS", "clopper_pearson", "wilson",
           "sample_mean_estimate", "DEFAULT_ALPHA"]
IntervalKind = Literal["hoeffding", "bernstein", "z"]
INTERVAL_KINDS: tuple[str, ...] = ("hoeffding", "bernstein", "z")


@dataclass(frozen=True)
class Estimate:
    """A Monte Carlo estimate.

    Attributes
    ----------
    value : float
        Sample mean.
    stderr : float
        ``s / sqrt(N)``.
    ci : (float, float)
        Two-sided ``1 - alpha`` interval of kind ``interval``.
    n_samples : int
    seed : int
    alpha : float
    interval : str
        ``hoeffding``, ``bernstein`` or ``z``.
    """

    value: float
    stderr: float
    ci: tuple[float, float]
    n_samples: int
    seed: int
    alpha: float
    interval: str

    def contains(self, x: float) -> bool:
        """Return whether ``x`` lies in the interval."""
        return self.ci[0] <= float(x) <= self.ci[1]


def interval_radius(
    kind: str, n: int, variance: float, lo: float, hi: float, alpha: float
) -> float:
    """Radius of a two-sided ``1 - alpha`` interval for the mean of ``n`` draws in ``[lo, hi]``.

    Parameters
    ----------
    kind : {"hoeffding", "bernstein", "z"}
    n : int
        Number of samples (>= 2).
    variance : float
        Unbiased sample variance (ignored by ``hoeffding``); finite, negative values count as 0.
    lo, hi : float
        Almost-sure range of one draw, ``lo <= hi``, finite.
    alpha : float
        Two-sided false-alarm probability.

    Returns
    -------
    float
        ``r`` such that ``[mean - r, mean + r]`` is the interval.

    Raises
    ------
    ValueError
        Naming the parameter: ``n_samples < 2``, ``alpha`` outside (0, 1), ``hi < lo``, a non-finite
        bound or variance, or an unknown ``interval`` kind.

    References
    ----------
    W. Hoeffding (1963), "Probability inequalities for sums of bounded random variables", JASA 58,
    Thm 2. A. Maurer & M. Pontil (2009), "Empirical Bernstein bounds and sample variance
    penalization", COLT, Thm 4.

    Examples
    --------
    >>> round(interval_radius("hoeffding", 10_000, 0.0, -1.0, 1.0, 0.05), 5)
    0.02716
    >>> interval_radius("bernstein", 10_000, 0.01, -1.0, 1.0, 0.05) < interval_radius("hoeffding", 10_000, 0.0, -1.0, 1.0, 0.05)
    True
    """
    from scipy import stats  # lazy: scipy.stats costs ~1 s to import
    n = check_int("n_samples", n, 2)
    alpha = check_probability("alpha", alpha)
    lo = float(check_real("lo", lo))
    hi = float(check_real("hi", hi, lo))
    variance = max(float(check_real("variance", variance)), 0.0)  # tiny negative rounding -> 0
    width = hi - lo
    if kind == "hoeffding":
        return width * math.sqrt(math.log(2.0 / alpha) / (2.0 * n))
    if kind == "bernstein":
        L = math.log(4.0 / alpha)
        return math.sqrt(2.0 * variance * L / n) + 7.0 * width * L / (3.0 * (n - 1))
    if kind == "z":
        return float(stats.norm.ppf(1.0 - alpha / 2.0)) * math.sqrt(variance / n)
    raise ValueError(f"interval must be one of {list(INTERVAL_KINDS)}, got {kind!r}")


def clopper_pearson(successes: int, trials: int, alpha: float) -> tuple[float, float]:
    """Exact (Clopper-Pearson 1934) two-sided ``1 - alpha`` interval for a binomial proportion.

    ``[B(alpha/2; x, N-x+1), B(1-alpha/2; x+1, N-x)]`` with ``B`` the beta quantile (0 / 1 at the ends).

    Examples
    --------
    >>> lo, hi = clopper_pearson(5, 10, 0.05)
    >>> round(lo, 4), round(hi, 4)
    (0.1871, 0.8129)
    """
    from scipy import stats  # lazy: scipy.stats costs ~1 s to import
    trials = check_int("trials", trials, 1)
    successes = check_int("successes", successes, 0, trials)
    alpha = check_probability("alpha", alpha)
    lo = 0.0 if successes == 0 else float(stats.beta.ppf(alpha / 2, successes, trials - successes + 1))
    hi = 1.0 if successes == trials else float(stats.beta.ppf(1 - alpha / 2, successes + 1, trials - successes))
    return lo, hi


def wilson(successes: int, trials: int, alpha: float) -> tuple[float, float]:
    """Wilson (1927) score interval, two-sided ``1 - alpha`` (asymptotic).

    Examples
    --------
    >>> lo, hi = wilson(5, 10, 0.05)
    >>> round(lo, 4), round(hi, 4)
    (0.2366, 0.7634)
    """
    from scipy import stats  # lazy: scipy.stats costs ~1 s to import
    trials = check_int("trials", trials, 1)
    successes = check_int("successes", successes, 0, trials)
    alpha = check_probability("alpha", alpha)
    z = float(stats.norm.ppf(1 - alpha / 2))
    ph = successes / trials
    den = 1 + z * z / trials
    mid = (ph + z * z / (2 * trials)) / den
    rad = z * math.sqrt(ph * (1 - ph) / trials + z * z / (4 * trials * trials)) / den
    return max(0.0, mid - rad), min(1.0, mid + rad)


def sample_mean_estimate(
    sample: Callable[[int, int], Any],
    samples: int,
    seed: int,
    alpha: float = DEFAULT_ALPHA,
    *,
    value_range: tuple[float, float],
    interval: str = "bernstein",
) -> Estimate:
    """Mean of the draws of ``sample(size, chunk_seed)`` over ``samples`` draws, with a ``1 - alpha`` interval.

    ``sample`` is called once per chunk of ````CHUNK```` draws with a chunk seed derived
    from ``(seed, chunk index)``, so memory stays bounded and results are reproducible. Draws outside
    ``value_range`` raise ValueError (the interval would be invalid).

    Examples
    --------
    >>> coin = lambda N, s: np.random.Generator(np.random.Philox(s)).integers(0, 2, N) * 2 - 1
    >>> est = sample_mean_estimate(coin, 10_000, 1, 1e-3, value_range=(-1, 1))
    >>> est.contains(0.0), est.n_samples
    (True, 10000)
    """
    samples = check_int("samples", samples, 2, 2**50)
    seed = check_int("seed", seed, 0, 2**63 - 1)
    alpha = check_probability("alpha", alpha)
    if interval not in INTERVAL_KINDS:
        raise ValueError(f"interval must be one of {list(INTERVAL_KINDS)}, got {interval!r}")
    lo, hi = (float(v) for v in value_range)
    if not lo <= hi:
        raise ValueError(f"value_range must be (low, high) with low <= high, got {value_range!r}")
    total = 0.0
    total_sq = 0.0
    comp = 0.0
    for c in range(0, (samples + CHUNK - 1) // CHUNK):
        size = min(CHUNK, samples - c * CHUNK)
        x = np.asarray(sample(size, chunk_seed(seed, Purpose.USER_CHUNK, c)), dtype=np.float64).ravel()
        if x.shape[0] != size:
            raise ValueError(f"the estimator returned {x.shape[0]} draws, expected {size}")
        if x.size and (x.min() < lo or x.max() > hi or not np.isfinite(x).all()):
            raise ValueError(f"estimator draws must lie in value_range [{lo}, {hi}], got "
                             f"[{x.min()}, {x.max()}]")
        # Kahan-compensated running sum (chunk sums are exact enough; this keeps 1e-16 relative)
        y = float(x.sum()) - comp
        t = total + y
        comp = (t - total) - y
        total = t
        total_sq += float((x * x).sum())
    mean = total / samples
    var = max(0.0, (total_sq - samples * mean * mean) / (samples - 1))
    r = interval_radius(interval, samples, var, lo, hi, alpha)
    return Estimate(mean, math.sqrt(var / samples), (mean - r, mean + r), samples, seed, alpha, interval)
