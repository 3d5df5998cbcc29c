"""Private numba kernels for the minibatch ReLU-gradient experiment (bit-packed, n <= 64).

One trial draws ``B`` samples ``x`` (bit ``i`` set <=> ``x_i = -1``) from the counter-based stream of
chunk ``trial`` and forms the integer minibatch gradient ``G_i = sum_t s_t x_{t,i}`` with
``s_t = chi_S(x_t) 1[w.x_t + b > 0]`` (so the loss gradient is ``-G/B``). The gate is the foundation's
``c(x) = popcount((x ^ flip) & fmask) <= t`` form (``featurecheck.numerics.estimators.cube.threshold``), the label the parity
mask ``pmask``. Per-coordinate bit counts are kept in bit-sliced vertical counters (carry-save
planes, amortised two word operations per sample) instead of a loop over its bits. Everything is
integer, so the parallel kernel is bit-identical to the serial one.
"""

from __future__ import annotations

import numpy as np
from numba import prange

from featurecheck.numerics._kernels.jit import jit, pjit, popcount64
from featurecheck.numerics._kernels.rng import GAMMA, chunk_key, mix64

ONE = np.uint64(1)
PLANES = 64


@jit
def _add_vertical(planes: np.ndarray, word: np.uint64) -> None:
    carry = word
    j = 0
    while carry != 0:
        tmp = planes[j] & carry
        planes[j] = planes[j] ^ carry
        carry = tmp
        j += 1


@jit
def _column(planes: np.ndarray, i: np.int64) -> np.int64:
    c = np.int64(0)
    sh = np.uint64(i)
    for j in range(PLANES):
        c += np.int64((planes[j] >> sh) & ONE) << np.int64(j)
    return c


@jit
def batch_gradient(key: np.uint64, trial: np.int64, B: np.int64, n: np.int64, fmask: np.uint64,
                   flip: np.uint64, t: np.int64, pmask: np.uint64, out: np.ndarray) -> None:
    """Integer minibatch gradient ``G_i`` (``i < n``) of one trial into ``out[:n]``.

    With ``u = x ^ (all ones if chi_S(x) = -1)``, bit ``i`` of ``u`` is set iff ``s x_i = -1``, so
    ``G_i = (#active) - 2 #{active t : bit i of u_t}``: one vertical counter over the active words.
    """
    kc = chunk_key(key, np.uint64(trial))
    planes = np.zeros(PLANES, dtype=np.uint64)
    nact = np.int64(0)
    for s in range(B):
        z = mix64(kc + np.uint64(s + 1) * GAMMA) & fmask
        c = np.int64(popcount64((z ^ flip) & fmask))
        if c <= t:
            nact += 1
            par = popcount64(z & pmask) & ONE
            _add_vertical(planes, z ^ (fmask * par))
    for i in range(n):
        out[i] = nact - 2 * _column(planes, i)


@jit
def top_k_is_set(G: np.ndarray, n: np.int64, smask: np.uint64) -> np.int8:
    """1 iff ``min_{i in S} |G_i| > max_{i not in S} |G_i|`` (ties count as failure)."""
    min_in = np.int64(1) << np.int64(62)
    max_out = np.int64(-1)
    for i in range(n):
        a = abs(G[i])
        if (smask >> np.uint64(i)) & ONE:
            if a < min_in:
                min_in = a
        elif a > max_out:
            max_out = a
    return np.int8(1) if min_in > max_out else np.int8(0)


@jit
def _one_trial(key: np.uint64, trial: np.int64, B: np.int64, n: np.int64, fmask: np.uint64, flip: np.uint64,
               t: np.int64, pmask: np.uint64) -> np.int8:
    G = np.empty(n, dtype=np.int64)
    batch_gradient(key, trial, B, n, fmask, flip, t, pmask, G)
    return top_k_is_set(G, n, pmask)


@pjit
def batch_successes(key: np.uint64, first_trial: np.int64, B: np.int64, n: np.int64, fmask: np.uint64,
                    flip: np.uint64, t: np.int64, pmask: np.uint64, out: np.ndarray) -> None:
    """``out[r]`` = success of trial ``first_trial + r`` (one stream per trial, parallel over trials)."""
    for r in prange(out.shape[0]):
        out[r] = _one_trial(key, first_trial + r, B, n, fmask, flip, t, pmask)


@jit
def batch_successes_serial(key: np.uint64, first_trial: np.int64, B: np.int64, n: np.int64, fmask: np.uint64,
                           flip: np.uint64, t: np.int64, pmask: np.uint64, out: np.ndarray) -> None:
    """Compute :func:`batch_successes` serially (its serial twin, for the parallel == serial test)."""
    for r in range(out.shape[0]):
        out[r] = _one_trial(key, first_trial + r, B, n, fmask, flip, t, pmask)
