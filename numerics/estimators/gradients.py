r"""ReLU-neuron gradients on sparse parities, measured: exact enumeration, Monte Carlo, minibatches.

The population gradient of ``L = -E[chi_S(x) ReLU(w.x + b)]`` (``ReLU'(0) = 0``) is
``dL/dw_i = -E[chi_S(x) x_i 1[w.x + b > 0]]`` and ``dL/db = -E[chi_S(x) 1[w.x + b > 0]]``
(:mod:`featurecheck.theory.relu`). Here the gate is the foundation's ``featurecheck.numerics.estimators.cube.threshold(n, -b, strict=True,
weights=w)`` and the expectation is taken by its bit-packed kernels (exact enumeration or Monte
Carlo with a stated interval), so there is one sampler in the code base, or exactly at any ``n`` by
the sum over Hamming weights (:func:`relu_gradient_symmetric`).

The minibatch experiment estimates ``p(B) = Pr[top-k coordinates of |g| = S]`` for the gradient ``g``
of one fresh batch of ``B`` samples (ties count as failures), with a two-sided Clopper-Pearson
interval (exact binomial; ``scipy.stats.beta`` quantiles), sweeps ``B`` over a fixed geometric grid to
bracket ``B_1/2`` (where ``p`` crosses 1/2), and fits the exponent of ``B_1/2`` against ``n``.
Each grid point uses its own counter-based stream keyed by ``(seed, n, k, b, w, B)`` and one chunk per
trial, so results do not depend on the thread count.

References
----------
Barak et al. (2022), arXiv:2207.08799, Sec. 4.1; Clopper & Pearson (1934), Biometrika 26(4).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from featurecheck.numerics._kernels import gradient as K
from featurecheck.numerics._kernels.rng import Purpose, stream_key
from featurecheck.numerics.estimators.cube import (
    MAX_MC_N,
    MAX_N,
    CubeFunction,
    fourier_coefficient_exact,
    fourier_coefficient_mc,
    fourier_coefficient_symmetric,
    threshold,
)
from featurecheck.numerics.estimators.intervals import DEFAULT_ALPHA, Estimate, clopper_pearson
from featurecheck.theory import relu as R
from featurecheck.theory._validate import check_int, check_probability, check_real, check_subset

__all__ = [
    "gate",
    "relu_gradient_exact",
    "relu_gradient_symmetric",
    "relu_gradient_mc",
    "GradientEstimates",
    "relu_gradients_mc",
    "clopper_pearson",
    "SuccessEstimate",
    "batch_success",
    "BatchSweepResult",
    "batch_sweep",
    "ExponentFit",
    "fit_loglog",
    "minibatch_exponent",
    "MAX_BATCH_N",
]

MAX_BATCH_N = 64
_MAX_B = 1 << 34
_MAX_TRIALS = 1 << 24


def gate(n: int, b: object = 0, w: object = None) -> CubeFunction:
    """Return the ReLU gate ``1[w.x + b > 0]`` as a foundation cube function.

    The gate is a :class:`~featurecheck.numerics.estimators.cube.CubeFunction`.

    Examples
    --------
    >>> gate(3, 0).evaluate([1, 1, -1]), gate(4, 0).evaluate([1, 1, -1, -1])
    (1, 0)
    """
    n = check_int("n", n, 1, MAX_N)
    bb = check_real("b", b, exact=True)
    ww = R.parse_weights(n, w)
    return threshold(n, -bb, strict=True, weights=ww)


def _target(n: int, S: Iterable[int] | int, i: int | None) -> tuple[int, ...]:
    s = check_subset("S", S, n)
    if not s:
        raise ValueError(f"S must be a non-empty set of coordinates in [0, {n - 1}], got {S!r}")
    if i is None:
        return s
    i = check_int("i", i, 0, n - 1)
    return tuple(sorted(set(s) ^ {i}))


def relu_gradient_exact(n: int, S: Iterable[int] | int, i: int | None, b: object = 0, w: object = None) -> Fraction:
    """``dL/dw_i`` (``i`` a coordinate) or ``dL/db`` (``i=None``) by enumerating all ``2^n`` points (n <= 30).

    Examples
    --------
    >>> relu_gradient_exact(9, [0, 1], 0), relu_gradient_exact(9, [0, 1], 8)
    (Fraction(-35, 256), Fraction(5, 256))
    """
    n = check_int("n", n, 1, 30)
    U = _target(n, S, i)
    return -fourier_coefficient_exact(gate(n, b, w), U)


def relu_gradient_symmetric(n: int, S: Iterable[int] | int, i: int | None, b: object = 0, w: object = None) -> Fraction:
    """``dL/dw_i`` (or ``dL/db`` for ``i=None``) exactly at any ``n <= 10^7``, by the sum over Hamming weights.

    ``-E[chi_U(x) 1[w.x + b > 0]]``, ``U = S Δ {i}``: the gate depends on ``x`` only through the number
    ``c`` of coordinates with ``w_j x_j = -1`` (``w.x = n - 2c``), so this is
    ``-chi_U(w) 2^{-n} sum_c 1[n - 2c + b > 0] K_{|U|}(c)`` (Krawtchouk), evaluated by
    :func:`featurecheck.numerics.estimators.cube.fourier_coefficient_symmetric`; no enumeration and no
    closed form of :mod:`featurecheck.theory.relu`.

    Examples
    --------
    >>> relu_gradient_symmetric(9, [0, 1], 0), relu_gradient_symmetric(9, [0, 1], 8)
    (Fraction(-35, 256), Fraction(5, 256))
    >>> relu_gradient_symmetric(10**5 + 1, [0, 1], 10**5) > 0   # the irrelevant coordinate, k = 2
    True
    """
    n = check_int("n", n, 1, MAX_N)
    U = _target(n, S, i)
    return -fourier_coefficient_symmetric(gate(n, b, w), U)


def _negate(est: Estimate) -> Estimate:
    return Estimate(-est.value, est.stderr, (-est.ci[1], -est.ci[0]), est.n_samples, est.seed, est.alpha,
                    est.interval)


def relu_gradient_mc(
    n: int,
    S: Iterable[int] | int,
    i: int | None,
    b: object = 0,
    w: object = None,
    *,
    samples: int = 1 << 22,
    seed: int = 0,
    alpha: float = DEFAULT_ALPHA,
    interval: str = "bernstein",
) -> Estimate:
    """Monte Carlo ``dL/dw_i`` (or ``dL/db`` for ``i=None``) with a two-sided ``1 - alpha`` interval.

    ``-hat T(S Δ {i})`` through :func:`featurecheck.numerics.estimators.cube.fourier_coefficient_mc` (bit-packed kernel).

    Examples
    --------
    >>> est = relu_gradient_mc(101, [0, 1], 0, samples=200_000, seed=1, alpha=1e-3)
    >>> from featurecheck.theory.relu import relevant_gradient
    >>> est.contains(relevant_gradient(101, 2))
    True
    """
    n = check_int("n", n, 1, MAX_MC_N)
    U = _target(n, S, i)
    est = fourier_coefficient_mc(gate(n, b, w), U, samples=samples, seed=seed, alpha=alpha, interval=interval)
    return _negate(est)


@dataclass(frozen=True)
class GradientEstimates:
    """Monte Carlo relevant (``dL/dw_0``), irrelevant (``dL/dw_{n-1}``, None if k = n) and bias values."""

    relevant: Estimate
    irrelevant: Estimate | None
    bias: Estimate


def relu_gradients_mc(
    n: int, k: int, b: object = 0, *, samples: int = 1 << 22, seed: int = 0, alpha: float = DEFAULT_ALPHA,
    interval: str = "bernstein",
) -> GradientEstimates:
    """Estimate the three CLI values for ``S = {0..k-1}``, ``w`` all ones, each at level ``1 - alpha``.

    The three estimates use seeds ``seed``, ``seed + 1``, ``seed + 2``.

    Examples
    --------
    >>> g = relu_gradients_mc(31, 2, samples=100_000, seed=0, alpha=1e-3)
    >>> g.irrelevant is not None
    True
    """
    n = check_int("n", n, 1, MAX_MC_N)
    k = check_int("k", k, 1, n)
    S = range(k)
    kw = dict(samples=samples, alpha=alpha, interval=interval)
    rel = relu_gradient_mc(n, S, 0, b, seed=seed, **kw)  # type: ignore[arg-type]
    irr = None if k == n else relu_gradient_mc(n, S, n - 1, b, seed=seed + 1, **kw)  # type: ignore[arg-type]
    bias = relu_gradient_mc(n, S, None, b, seed=seed + 2, **kw)  # type: ignore[arg-type]
    return GradientEstimates(rel, irr, bias)


# ---------------------------------------------------------------- minibatch success probability

@dataclass(frozen=True)
class SuccessEstimate:
    """``Pr[top-k of one B-sample gradient = S]`` with a Clopper-Pearson ``1 - alpha`` interval."""

    B: int
    successes: int
    trials: int
    p: float
    ci: tuple[float, float]
    alpha: float
    seed: int
    interval: str = "clopper-pearson"


def _bias_words(b: Fraction) -> tuple[int, int]:
    return (b.numerator & (2**64 - 1), b.denominator & (2**64 - 1))


def _setup(n: int, k: int, b: object, w: object) -> tuple[int, int, Fraction, CubeFunction, int]:
    n = check_int("n", n, 2, MAX_BATCH_N)
    k = check_int("k", k, 1, n - 1)
    bb = Fraction(check_real("b", b, exact=True))
    f = gate(n, bb, w)
    smask = (1 << k) - 1
    return n, k, bb, f, smask


def _successes(n: int, k: int, bb: Fraction, f: CubeFunction, smask: int, B: int, trials: int,
               seed: int) -> int:
    key = stream_key(seed, Purpose.GRADIENT, n, k, *_bias_words(bb), f.flip, B)
    out = np.zeros(trials, dtype=np.int8)
    K.batch_successes(key, np.int64(0), np.int64(B), np.int64(n), np.uint64(f.fmask), np.uint64(f.flip),
                      np.int64(f.t), np.uint64(smask), out)
    return int(out.sum())


def batch_success(
    n: int, k: int, B: int, b: object = 0, w: object = None, *, trials: int = 400, seed: int = 0,
    alpha: float = 1e-3,
) -> SuccessEstimate:
    """Estimate ``p(B) = Pr[the k largest |g_i| are exactly S = {0..k-1}]`` for one ``B``-sample gradient.

    Parameters
    ----------
    n : int
        ``2 <= n <= 64`` (one 64-bit word per sample).
    k : int
        ``1 <= k <= n - 1``.
    B : int
        Batch size, ``1 <= B <= 2^34``.
    b, w
        Bias and sign vector of the neuron (as in :func:`featurecheck.theory.relu.relu_gradient`).
    trials : int
        Independent batches.
    seed : int
    alpha : float
        Two-sided level of the Clopper-Pearson interval.

    Examples
    --------
    >>> est = batch_success(9, 2, 400, trials=200, seed=0)
    >>> est.p > 0.5, est.interval
    (True, 'clopper-pearson')
    """
    n, k, bb, f, smask = _setup(n, k, b, w)
    B = check_int("B", B, 1, _MAX_B)
    trials = check_int("trials", trials, 1, _MAX_TRIALS)
    seed = check_int("seed", seed, 0, 2**63 - 1)
    alpha = check_probability("alpha", alpha)
    s = _successes(n, k, bb, f, smask, B, trials, seed)
    return SuccessEstimate(B, s, trials, s / trials, clopper_pearson(s, trials, alpha), alpha, seed)


@dataclass(frozen=True)
class BatchSweepResult:
    """A sweep of ``p(B)`` over a geometric grid and the bracket of ``B_1/2``.

    Attributes
    ----------
    rows : tuple of SuccessEstimate
        Evaluated grid points, in increasing ``B``; each interval at level ``1 - alpha_point``.
    B_half : float
        Point estimate: log-linear interpolation at the first crossing of ``p_hat`` through 1/2.
    interval : (float, float)
        ``(B_lo, B_hi)``: ``B_hi`` is the first grid ``B`` whose interval lies above 1/2, ``B_lo`` the
        last ``B < B_hi`` whose interval lies below 1/2 (1 if none). Every interval holds
        simultaneously with probability ``>= 1 - alpha`` (union bound over the ``grid_size`` grid
        points fixed in advance), so ``p(B_lo) < 1/2 < p(B_hi)``; if ``p`` is non-decreasing in ``B``
        this brackets ``B_1/2``.
    bound : float or None
        The Hoeffding + union bound ``8 log(4n) / gamma^2`` (delta = 1/2) of :mod:`featurecheck.theory.relu`.
    """

    n: int
    k: int
    b: Fraction
    rows: tuple[SuccessEstimate, ...]
    B_half: float
    interval: tuple[float, float]
    bound: float | None
    alpha: float
    alpha_point: float
    grid_size: int
    trials: int
    seed: int


def _grid(B_min: int, B_max: int, ratio: float) -> list[int]:
    out: list[int] = []
    j = 0
    while True:
        v = int(math.ceil(B_min * ratio**j - 1e-9))
        if v > B_max:
            break
        if not out or v > out[-1]:
            out.append(v)
        j += 1
    return out


def batch_sweep(
    n: int, k: int, b: object = 0, w: object = None, *, trials: int = 400, seed: int = 0, alpha: float = 1e-3,
    ratio: float = 2**0.25, B_min: int = 1, B_max: int | None = None,
) -> BatchSweepResult:
    """Sweep ``B`` on ``B_min * ratio^j`` until ``p(B)`` is surely above 1/2; bracket ``B_1/2``.

    ``B_max`` defaults to ``max(64, 4 * bound)``; a ValueError is raised if the gap is not positive
    (then no ``B`` recovers ``S`` with probability -> 1) or if no crossing is found below ``B_max``.

    Examples
    --------
    >>> r = batch_sweep(9, 2, trials=200, seed=0)
    >>> r.interval[0] <= r.B_half <= r.interval[1] <= r.bound
    True
    """
    n, k, bb, f, smask = _setup(n, k, b, w)
    trials = check_int("trials", trials, 1, _MAX_TRIALS)
    seed = check_int("seed", seed, 0, 2**63 - 1)
    alpha = check_probability("alpha", alpha)
    ratio = float(check_real("ratio", ratio, 1.01, 16.0))
    gap = R.fourier_gap(n, k, bb)
    if gap is None or gap <= 0:
        raise ValueError(f"the Fourier gap gamma(n={n}, k={k}, b={bb}) = {gap} is not positive; "
                         "the top-k of a minibatch gradient does not concentrate on S")
    bound_expr = R.one_step_bound(n, k, bb, "1/2")
    bound = None if bound_expr is None else float(bound_expr)
    B_min = check_int("B_min", B_min, 1, _MAX_B)
    if B_max is None:
        B_max = min(_MAX_B, max(64, int(4 * (bound or 64))))
    B_max = check_int("B_max", B_max, B_min, _MAX_B)
    grid = _grid(B_min, B_max, ratio)
    alpha_point = alpha / len(grid)
    rows: list[SuccessEstimate] = []
    for B in grid:
        s = _successes(n, k, bb, f, smask, B, trials, seed)
        row = SuccessEstimate(B, s, trials, s / trials, clopper_pearson(s, trials, alpha_point), alpha_point, seed)
        rows.append(row)
        if row.ci[0] > 0.5:
            break
    else:
        raise ValueError(f"p(B) did not cross 1/2 surely below B_max={B_max} (n={n}, k={k}, b={bb}); "
                         "raise B_max or trials")
    B_hi = float(rows[-1].B)
    below = [r.B for r in rows[:-1] if r.ci[1] < 0.5]
    B_lo = float(below[-1]) if below else 1.0
    B_half = _first_crossing(rows)
    return BatchSweepResult(n, k, bb, tuple(rows), B_half, (B_lo, B_hi), bound, alpha, alpha_point, len(grid),
                       trials, seed)


def _first_crossing(rows: Sequence[SuccessEstimate]) -> float:
    for j, r in enumerate(rows):
        if r.p >= 0.5:
            if j == 0:
                return float(r.B)
            p0, p1 = rows[j - 1].p, r.p
            l0, l1 = math.log(rows[j - 1].B), math.log(r.B)
            return math.exp(l0 + (0.5 - p0) / (p1 - p0) * (l1 - l0))
    return float(rows[-1].B)  # pragma: no cover - the sweep stops at a sure crossing


# ---------------------------------------------------------------- exponent fit

@dataclass(frozen=True)
class ExponentFit:
    """Least-squares fit ``log B_1/2 = c + e log n`` and the theory's exponents on the same ``n``.

    Attributes
    ----------
    exponent, stderr : float
        Fitted ``e`` and its standard error (nan with two points).
    theory_exponent : int
        ``k - 1`` (``1/gamma^2 ~ n^{k-1}``, up to the ``log n`` factor).
    finite_n_exponent : float
        Slope of ``log(log(n) / gamma(n,k,b)^2)`` on the same ``n`` (exact gaps): what a
        ``log(n)/gamma^2`` law predicts at these finite sizes.
    """

    k: int
    ns: tuple[int, ...]
    B_half: tuple[float, ...]
    intervals: tuple[tuple[float, float], ...]
    exponent: float
    stderr: float
    intercept: float
    theory_exponent: int
    finite_n_exponent: float


def fit_loglog(xs: Sequence[float], ys: Sequence[float]) -> tuple[float, float, float]:
    """Slope, its standard error and intercept of ``log y`` on ``log x`` (ordinary least squares).

    Examples
    --------
    >>> s, se, c = fit_loglog([1, 2, 4], [3, 12, 48])
    >>> round(s, 12), round(math.exp(c), 12)
    (2.0, 3.0)
    """
    if len(xs) != len(ys) or len(xs) < 2:
        raise ValueError(f"need at least two (x, y) pairs of equal length, got {len(xs)} and {len(ys)}")
    if min(xs) <= 0 or min(ys) <= 0:
        raise ValueError("x and y must be positive for a log-log fit")
    lx = np.log(np.asarray(xs, dtype=float))
    ly = np.log(np.asarray(ys, dtype=float))
    A = np.vstack([lx, np.ones_like(lx)]).T
    coef, *_ = np.linalg.lstsq(A, ly, rcond=None)
    slope, icpt = float(coef[0]), float(coef[1])
    m = len(xs)
    if m > 2:
        resid = ly - (slope * lx + icpt)
        s2 = float(resid @ resid) / (m - 2)
        se = math.sqrt(s2 / float(((lx - lx.mean()) ** 2).sum()))
    else:
        se = float("nan")
    return slope, se, icpt


def minibatch_exponent(
    k: int, ns: Sequence[int], b: object = 0, *, trials: int = 400, seed: int = 0, alpha: float = 1e-3,
    ratio: float = 2**0.25,
) -> ExponentFit:
    """Sweep ``B`` at each ``n`` in ``ns`` and fit the exponent of ``B_1/2`` against ``n``.

    Examples
    --------
    >>> fit = minibatch_exponent(2, [9, 17], trials=100, seed=0)
    >>> fit.theory_exponent
    1
    """
    k = check_int("k", k, 1, MAX_BATCH_N - 1)
    ns = [check_int("n", v, k + 1, MAX_BATCH_N) for v in ns]
    if len(set(ns)) < 2:
        raise ValueError(f"ns must hold at least two distinct sizes, got {ns}")
    sweeps = [batch_sweep(n, k, b, trials=trials, seed=seed, alpha=alpha, ratio=ratio) for n in ns]
    bh = [s.B_half for s in sweeps]
    e, se, c = fit_loglog(ns, bh)
    th = [math.log(n) / float(R.fourier_gap(n, k, b)) ** 2 for n in ns]  # type: ignore[arg-type]
    e_th, _, _ = fit_loglog(ns, th)
    return ExponentFit(k, tuple(ns), tuple(bh), tuple(s.interval for s in sweeps), e, se, c, k - 1, e_th)
