"""Gaussian Monte Carlo: Hermite coefficients and Stein identities with confidence intervals.

Estimands (``z ~ N(0,1)``, ``x ~ N(0, I_d)``, ``f = g(U x)``):

- :func:`hermite_coefficient_mc`: ``c_j = E[f(z) He_j(z)] / j!`` (probabilists' ``He_j``, the
  convention of :mod:`featurecheck.theory.hermite`);
- :func:`stein_mc`: ``E[f(x) v.x]`` (order 1; equals ``v . E[grad f]``) or
  ``E[f(x) v^T (x x^T - I) v]`` (order 2; equals ``v^T E[Hess f] v``).

Randomness: counter-based SplitMix64 streams keyed by ``stream_key(seed, purpose)`` and the chunk
index, turned into normals by Box-Muller (:mod:`featurecheck.numerics._kernels.gaussian`); bit-identical at any
thread count. Random orthonormal ``U`` come from ``numpy.random.Generator`` seeded with
stream ``(seed, Purpose.GAUSSIAN_FRAME)``.

Interval: the draws are unbounded, so Hoeffding/Bernstein do not apply. We use *batch means*: the
``K`` chunk means (``chunk_size = 2^16`` draws each) are independent and, by the CLT, close to normal;
the two-sided ``1 - alpha`` interval is ``mean +- t_{K-1, 1-alpha/2} s_K / sqrt(K)`` with ``s_K`` the
standard deviation of the chunk means (a Student-t interval; asymptotic, stated as ``batch-t``).

Examples
--------
>>> e = hermite_coefficient_mc("relu", 1, samples=1 << 18, seed=0, alpha=1e-3)
>>> e.ci[0] < 0.5 < e.ci[1], e.interval
(True, 'batch-t')
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from featurecheck.numerics._kernels import gaussian as K
from featurecheck.numerics._kernels.rng import Purpose, generator, stream_key
from featurecheck.numerics.estimators.intervals import DEFAULT_ALPHA, Estimate
from featurecheck.theory._validate import check_int, check_probability
from featurecheck.theory.hermite import gaussian_expectation, parse_polynomial

if TYPE_CHECKING:
    import sympy as sp

# sympy is imported by the functions that use it, so the claim registry imports this module without it

__all__ = ["hermite_coefficient_mc", "stein_mc", "stein_expected", "random_orthonormal", "link_code",
           "polynomial_arrays", "CHUNK_SIZE", "DEFAULT_SAMPLES", "normals"]

CHUNK_SIZE = 1 << 16
DEFAULT_SAMPLES = 1 << 22
_MAX_SAMPLES = 1 << 34
_CODES = {"relu": K.RELU, "abs": K.ABS, "sign": K.SIGN, "step": K.STEP, "tanh": K.TANH}


def link_code(link: Any) -> tuple[int, np.ndarray, str]:
    """Kernel code and monomial coefficients (low to high) of a named link or a polynomial in ``z``.

    Examples
    --------
    >>> link_code("z**2 - 1")[1].tolist()
    [-1.0, 0.0, 1.0]
    """
    import sympy as sp

    from featurecheck.theory.hermite import Z

    if isinstance(link, str) and link in _CODES:
        return _CODES[link], np.zeros(1), link
    expr = parse_polynomial(link) if isinstance(link, str) else sp.sympify(link)
    poly = sp.Poly(expr, Z)
    coefs = [float(c) for c in reversed(poly.all_coeffs())]
    return K.POLY, np.asarray(coefs, dtype=np.float64), str(expr)


def polynomial_arrays(g: Any, zs: Sequence[sp.Symbol]) -> tuple[np.ndarray, np.ndarray]:
    """Exponent matrix (M x r, int64) and float coefficients (M) of a polynomial in ``zs``."""
    import sympy as sp

    terms = sp.Poly(sp.expand(sp.sympify(g)), *zs).terms()
    exps = np.array([t[0] for t in terms], dtype=np.int64).reshape(len(terms), len(zs))
    coefs = np.array([float(t[1]) for t in terms], dtype=np.float64)
    return exps, coefs


def _batch_t(rows: np.ndarray, chunk_size: int, seed: int, alpha: float) -> Estimate:
    from scipy import stats  # lazy: scipy.stats costs ~1 s to import
    Kc = rows.shape[0]
    N = Kc * chunk_size
    means = rows[:, 0] / chunk_size
    value = float(rows[:, 0].sum() / N)
    var_all = max(float(rows[:, 1].sum() / N - value * value), 0.0) * N / (N - 1)
    sK = float(np.std(means, ddof=1))
    half = float(stats.t.ppf(1.0 - alpha / 2.0, Kc - 1)) * sK / math.sqrt(Kc)
    return Estimate(value, math.sqrt(var_all / N), (value - half, value + half), N, seed, alpha, "batch-t")


def _chunks(samples: int, chunk_size: int) -> int:
    samples = check_int("samples", samples, 2 * chunk_size, _MAX_SAMPLES)
    return -(-samples // chunk_size)


def hermite_coefficient_mc(link: Any, j: int, samples: int = DEFAULT_SAMPLES, seed: int = 0,
                           alpha: float = DEFAULT_ALPHA, chunk_size: int = CHUNK_SIZE) -> Estimate:
    """Monte Carlo ``c_j = E[f(z) He_j(z)] / j!`` with a batch-means Student-t interval.

    Parameters
    ----------
    link : str or sympy expression
        relu, abs, sign, step, tanh, or a polynomial in ``z``.
    j : int
        Hermite index, ``0 <= j <= 30``.
    samples : int
        Rounded up to a multiple of ``chunk_size`` (at least two chunks).
    seed : int
    alpha : float
        Two-sided false-alarm level of the interval.
    chunk_size : int

    Examples
    --------
    >>> e = hermite_coefficient_mc("z**3 - 3*z", 3, samples=1 << 17, seed=1, alpha=1e-3)
    >>> e.contains(1.0)
    True
    """
    j = check_int("j", j, 0, 30)
    alpha = check_probability("alpha", alpha)
    chunk_size = check_int("chunk_size", chunk_size, 16, 1 << 24)
    if chunk_size % 2:
        raise ValueError(f"chunk_size must be an even integer in [16, 16777216], got {chunk_size}")
    code, poly, _ = link_code(link)
    n_chunks = _chunks(samples, chunk_size)
    out = np.zeros((n_chunks, 2))
    key = stream_key(seed, Purpose.HERMITE_MC, j)
    K.hermite_sums(key, 0, n_chunks, chunk_size, code, poly, j, 1.0 / math.factorial(j), out)
    return _batch_t(out, chunk_size, seed, alpha)


def random_orthonormal(r: int, d: int, seed: int = 0) -> np.ndarray:
    """Return an ``r x d`` matrix with orthonormal rows (QR of a Gaussian matrix).

    The Gaussian matrix is drawn from the stream ``(seed, Purpose.GAUSSIAN_FRAME)``.

    Examples
    --------
    >>> U = random_orthonormal(2, 5, seed=3)
    >>> bool(np.allclose(U @ U.T, np.eye(2)))
    True
    """
    r = check_int("r", r, 1, 64)
    d = check_int("d", d, r, 4096)
    rng = generator(seed, Purpose.GAUSSIAN_FRAME)
    q, _ = np.linalg.qr(rng.standard_normal((d, r)))
    return np.ascontiguousarray(q.T)


def stein_expected(g: Any, zs: Sequence[sp.Symbol], U: np.ndarray, v: np.ndarray, order: int) -> float:
    """``v . U^T E[grad g(z)]`` (order 1) or ``v^T U^T E[Hess g(z)] U v`` (order 2), ``z ~ N(0, I_r)``.

    Requires orthonormal rows of ``U`` (then ``z = U x ~ N(0, I_r)``). The inner expectations are exact
    (Gaussian moments); only the products with the float ``U`` and ``v`` are rounded.

    Examples
    --------
    >>> import sympy as sp
    >>> z1, z2 = sp.symbols("z1 z2")
    >>> stein_expected(z1 * z2, [z1, z2], np.eye(2), np.array([1.0, 1.0]), 2)
    2.0
    """
    import sympy as sp

    zs = list(zs)
    U = np.asarray(U, dtype=np.float64)
    v = np.asarray(v, dtype=np.float64)
    if not np.allclose(U @ U.T, np.eye(U.shape[0]), atol=1e-10):
        raise ValueError("U must have orthonormal rows (U U^T = I_r)")
    g = sp.sympify(g)
    u = U @ v
    if order == 1:
        grad = np.array([float(gaussian_expectation(sp.diff(g, s), zs)) for s in zs])
        return float(u @ grad)
    if order == 2:
        H = np.array([[float(gaussian_expectation(sp.diff(g, a, b), zs)) for b in zs] for a in zs])
        return float(u @ H @ u)
    raise ValueError(f"order must be 1 or 2, got {order!r}")


def stein_mc(g: Any, zs: Sequence[sp.Symbol], U: np.ndarray, v: np.ndarray, order: int,
             samples: int = DEFAULT_SAMPLES, seed: int = 0, alpha: float = DEFAULT_ALPHA,
             chunk_size: int = CHUNK_SIZE) -> Estimate:
    """Monte Carlo ``E[f(x) v.x]`` (order 1) or ``E[f(x) v^T(x x^T - I)v]`` (order 2), ``f = g(U x)``.

    Examples
    --------
    >>> import sympy as sp
    >>> z1 = sp.Symbol("z1")
    >>> e = stein_mc(z1**2, [z1], np.array([[0.6, 0.8]]), np.array([0.6, 0.8]), 2, samples=1 << 17, alpha=1e-3)
    >>> e.contains(2.0)
    True
    """
    if order not in (1, 2):
        raise ValueError(f"order must be 1 or 2, got {order!r}")
    alpha = check_probability("alpha", alpha)
    chunk_size = check_int("chunk_size", chunk_size, 16, 1 << 24)
    U = np.ascontiguousarray(np.asarray(U, dtype=np.float64))
    v = np.ascontiguousarray(np.asarray(v, dtype=np.float64))
    if U.ndim != 2 or U.shape[0] != len(zs):
        raise ValueError(f"U must be a matrix with len(zs) = {len(zs)} rows, got shape {U.shape}")
    if v.shape != (U.shape[1],):
        raise ValueError(f"v must have length d = {U.shape[1]}, got shape {v.shape}")
    exps, coefs = polynomial_arrays(g, zs)
    n_chunks = _chunks(samples, chunk_size)
    out = np.zeros((n_chunks, 2))
    key = stream_key(seed, Purpose.STEIN_MC, order)
    K.stein_sums(key, 0, n_chunks, chunk_size, U, exps, coefs, v, order, out)
    return _batch_t(out, chunk_size, seed, alpha)


def normals(n: int, d: int, seed: int = 0, chunk: int = 0) -> np.ndarray:
    """Return the ``n x d`` normals the kernels draw for one chunk (for tests).

    They are chunk ``chunk`` of the stream ``stream_key(seed, Purpose.NORMALS)``.

    Examples
    --------
    >>> normals(3, 2).shape
    (3, 2)
    """
    from featurecheck.numerics._kernels.rng import chunk_key

    n = check_int("n", n, 1, 1 << 20)
    d = check_int("d", d, 1, 4096)
    k = np.uint64(chunk_key(stream_key(seed, Purpose.NORMALS), np.uint64(chunk)))
    out = np.empty((n, d))
    for i in range(n):
        K.fill_normals(k, i, d, out[i])
    return out
