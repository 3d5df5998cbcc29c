"""Private numba kernels for Gaussian Monte Carlo (Hermite coefficients, Stein identities).

Gaussians come from the counter-based SplitMix64 stream of :mod:`featurecheck.numerics._kernels.rng` through the
Box-Muller transform: pair ``c`` of a chunk uses the words at counters ``2c + 1`` and ``2c + 2`` of the
chunk key. In ``d`` dimensions sample ``i`` uses pairs ``i P .. i P + P - 1`` (``P = ceil(d/2)``); the
one-dimensional kernel uses both normals of pair ``i`` as samples ``2i`` and ``2i + 1``.
``u1 = (w1 >> 11 + 1) 2^-53`` lies in ``(0, 1]`` so ``log u1`` is finite. Each chunk writes its own
row ``(sum y, sum y^2)`` of ``out``; the wrapper reduces the rows in order, so results do not depend
on the thread count.
"""

from __future__ import annotations

import math

import numpy as np
from numba import prange

from featurecheck.numerics._kernels.jit import jit, pjit
from featurecheck.numerics._kernels.rng import GAMMA, chunk_key, mix64

_S11 = np.uint64(11)
_TWO_M53 = 1.0 / 9007199254740992.0
_TWO_PI = 2.0 * math.pi

RELU, ABS, SIGN, STEP, TANH, POLY = 0, 1, 2, 3, 4, 5


@jit
def normal_pair(k: np.uint64, c: np.uint64) -> tuple[float, float]:
    """Box-Muller pair from the words at counters ``2c + 1`` and ``2c + 2`` of key ``k``."""
    w1 = mix64(k + (np.uint64(2) * c + np.uint64(1)) * GAMMA)
    w2 = mix64(k + (np.uint64(2) * c + np.uint64(2)) * GAMMA)
    u1 = (np.float64(w1 >> _S11) + 1.0) * _TWO_M53
    u2 = np.float64(w2 >> _S11) * _TWO_M53
    r = math.sqrt(-2.0 * math.log(u1))
    return r * math.cos(_TWO_PI * u2), r * math.sin(_TWO_PI * u2)


@jit
def fill_normals(k: np.uint64, i: np.int64, d: np.int64, out: np.ndarray) -> None:
    """Write the ``d`` standard normals of sample ``i`` of the chunk with key ``k`` into ``out``."""
    P = (d + 1) // 2
    for p in range(P):
        a, b = normal_pair(k, np.uint64(i * P + p))
        out[2 * p] = a
        if 2 * p + 1 < d:
            out[2 * p + 1] = b


@jit
def hermite_he(j: np.int64, z: float) -> float:
    """``He_j(z)`` by the three-term recurrence."""
    if j == 0:
        return 1.0
    a = 1.0
    b = z
    for k in range(1, j):
        a, b = b, z * b - k * a
    return b


@jit
def link_value(code: np.int64, z: float, poly: np.ndarray) -> float:
    """relu, abs, sign (sign(0) = 0), step (1[z >= 0]), tanh, or a polynomial (Horner, low to high)."""
    if code == 0:
        return z if z > 0.0 else 0.0
    if code == 1:
        return abs(z)
    if code == 2:
        return 1.0 if z > 0.0 else (-1.0 if z < 0.0 else 0.0)
    if code == 3:
        return 1.0 if z >= 0.0 else 0.0
    if code == 4:
        return math.tanh(z)
    acc = 0.0
    for t in range(poly.shape[0] - 1, -1, -1):
        acc = acc * z + poly[t]
    return acc


@jit
def _hermite_chunk(key: np.uint64, chunk: np.uint64, m: np.int64, code: np.int64, poly: np.ndarray,
                   j: np.int64, inv_jfact: float, row: np.ndarray) -> None:
    k = chunk_key(key, chunk)
    s1 = 0.0
    s2 = 0.0
    for i in range(m // 2):  # both normals of each Box-Muller pair are used (m is even)
        z1, z2 = normal_pair(k, np.uint64(i))
        y = link_value(code, z1, poly) * hermite_he(j, z1) * inv_jfact
        s1 += y
        s2 += y * y
        y = link_value(code, z2, poly) * hermite_he(j, z2) * inv_jfact
        s1 += y
        s2 += y * y
    row[0] = s1
    row[1] = s2


@pjit
def hermite_sums(key: np.uint64, first_chunk: np.int64, n_chunks: np.int64, chunk_size: np.int64,
                 code: np.int64, poly: np.ndarray, j: np.int64, inv_jfact: float, out: np.ndarray) -> None:
    """Rows ``(sum y, sum y^2)`` of ``y = f(z) He_j(z) / j!`` per chunk."""
    for c in prange(n_chunks):
        _hermite_chunk(key, np.uint64(first_chunk + c), chunk_size, code, poly, j, inv_jfact, out[c])


@jit
def poly_eval(z: np.ndarray, exps: np.ndarray, coefs: np.ndarray) -> float:
    """``sum_t coefs[t] prod_a z[a]^exps[t, a]``."""
    acc = 0.0
    for t in range(coefs.shape[0]):
        term = coefs[t]
        for a in range(exps.shape[1]):
            for _ in range(exps[t, a]):
                term *= z[a]
        acc += term
    return acc


@jit
def _stein_chunk(key: np.uint64, chunk: np.uint64, m: np.int64, U: np.ndarray, exps: np.ndarray,
                 coefs: np.ndarray, v: np.ndarray, order: np.int64, row: np.ndarray) -> None:
    k = chunk_key(key, chunk)
    r, d = U.shape
    x = np.empty(d)
    z = np.empty(r)
    vv = 0.0
    for a in range(d):
        vv += v[a] * v[a]
    s1 = 0.0
    s2 = 0.0
    for i in range(m):
        fill_normals(k, i, d, x)
        for a in range(r):
            acc = 0.0
            for b in range(d):
                acc += U[a, b] * x[b]
            z[a] = acc
        f = poly_eval(z, exps, coefs)
        vx = 0.0
        for b in range(d):
            vx += v[b] * x[b]
        y = f * vx if order == 1 else f * (vx * vx - vv)
        s1 += y
        s2 += y * y
    row[0] = s1
    row[1] = s2


@pjit
def stein_sums(key: np.uint64, first_chunk: np.int64, n_chunks: np.int64, chunk_size: np.int64,
               U: np.ndarray, exps: np.ndarray, coefs: np.ndarray, v: np.ndarray, order: np.int64,
               out: np.ndarray) -> None:
    """Rows ``(sum y, sum y^2)`` of ``y = f(x) v.x`` (order 1) or ``f(x) (v^T (x x^T - I) v)`` (order 2)."""
    for c in prange(n_chunks):
        _stein_chunk(key, np.uint64(first_chunk + c), chunk_size, U, exps, coefs, v, order, out[c])
