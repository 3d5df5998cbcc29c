"""Private numba kernels over the Boolean cube (bit-packed: bit i set <=> x_i = -1).

The estimand of every kernel is ``f(x) = g(c(x)) * chi_P(x)`` with
``c(x) = popcount((x ^ flip) & fmask)`` and ``g(c) = a if c <= t else b``. Kernels return integer
sums per chunk ``(sum sign*[c<=t], sum sign, sum [c<=t])``, from which the mean and second moment
follow exactly (``f`` takes the values ``±a``, ``±b``).
"""

from __future__ import annotations

import numpy as np
from numba import prange

from numerics._jit import jit, pjit, popcount64
from numerics._rng import GAMMA, chunk_key, mix64

ONE = np.uint64(1)


@jit
def _mc_chunk_1w(key: np.uint64, chunk: np.uint64, m: np.int64, fmask: np.uint64, flip: np.uint64,
                 t: np.int64, pmask: np.uint64, row: np.ndarray) -> None:
    k = chunk_key(key, chunk)
    s_le = np.int64(0)
    s_all = np.int64(0)
    n_le = np.int64(0)
    for i in range(m):
        z = mix64(k + np.uint64(i + 1) * GAMMA)
        c = np.int64(popcount64((z ^ flip) & fmask))
        sgn = np.int64(1) - np.int64(2) * np.int64(popcount64(z & pmask) & ONE)
        le = np.int64(1) if c <= t else np.int64(0)
        s_le += sgn * le
        s_all += sgn
        n_le += le
    row[0] = s_le
    row[1] = s_all
    row[2] = n_le


@jit
def _mc_chunk_mw(key: np.uint64, chunk: np.uint64, m: np.int64, fmask: np.ndarray, flip: np.ndarray,
                 t: np.int64, pmask: np.ndarray, row: np.ndarray) -> None:
    k = chunk_key(key, chunk)
    W = fmask.shape[0]
    s_le = np.int64(0)
    s_all = np.int64(0)
    n_le = np.int64(0)
    for i in range(m):
        c = np.int64(0)
        par = np.uint64(0)
        for w in range(W):
            z = mix64(k + np.uint64(i * W + w + 1) * GAMMA)
            c += np.int64(popcount64((z ^ flip[w]) & fmask[w]))
            par += popcount64(z & pmask[w])
        sgn = np.int64(1) - np.int64(2) * np.int64(par & ONE)
        le = np.int64(1) if c <= t else np.int64(0)
        s_le += sgn * le
        s_all += sgn
        n_le += le
    row[0] = s_le
    row[1] = s_all
    row[2] = n_le


@pjit
def mc_sums_1w(key: np.uint64, first_chunk: np.int64, n_chunks: np.int64, chunk_size: np.int64,
               last_size: np.int64, fmask: np.uint64, flip: np.uint64, t: np.int64,
               pmask: np.uint64, out: np.ndarray) -> None:
    """Per-chunk integer sums for n <= 64 (one word per sample); rows of ``out``."""
    for c in prange(n_chunks):
        m = chunk_size if c < n_chunks - 1 else last_size
        _mc_chunk_1w(key, np.uint64(first_chunk + c), m, fmask, flip, t, pmask, out[c])


@pjit
def mc_sums_mw(key: np.uint64, first_chunk: np.int64, n_chunks: np.int64, chunk_size: np.int64,
               last_size: np.int64, fmask: np.ndarray, flip: np.ndarray, t: np.int64,
               pmask: np.ndarray, out: np.ndarray) -> None:
    """Per-chunk integer sums for n > 64 (``len(fmask)`` words per sample)."""
    for c in prange(n_chunks):
        m = chunk_size if c < n_chunks - 1 else last_size
        _mc_chunk_mw(key, np.uint64(first_chunk + c), m, fmask, flip, t, pmask, out[c])


@jit
def _enum_block(start: np.int64, stop: np.int64, fmask: np.uint64, flip: np.uint64, t: np.int64,
                pmask: np.uint64, row: np.ndarray) -> None:
    s_le = np.int64(0)
    s_all = np.int64(0)
    n_le = np.int64(0)
    for x in range(start, stop):
        z = np.uint64(x)
        c = np.int64(popcount64((z ^ flip) & fmask))
        sgn = np.int64(1) - np.int64(2) * np.int64(popcount64(z & pmask) & ONE)
        le = np.int64(1) if c <= t else np.int64(0)
        s_le += sgn * le
        s_all += sgn
        n_le += le
    row[0] = s_le
    row[1] = s_all
    row[2] = n_le


@pjit
def enum_sums(n: np.int64, fmask: np.uint64, flip: np.uint64, t: np.int64, pmask: np.uint64,
              out: np.ndarray) -> None:
    """Exact sums over all 2^n points, split into ``out.shape[0]`` blocks."""
    nb = out.shape[0]
    total = np.int64(1) << n
    size = (total + nb - 1) // nb
    for b in prange(nb):
        start = b * size
        stop = min(total, start + size)
        _enum_block(start, stop, fmask, flip, t, pmask, out[b])
