"""Private FWHT kernels (simple reference version; see numerics.walsh)."""

from __future__ import annotations

import numpy as np
from numba import prange

from numerics._jit import jit, pjit, popcount64


@jit
def fwht_inplace(a: np.ndarray) -> None:
    """Unnormalised Walsh-Hadamard transform in place: a[S] <- sum_x a[x] (-1)^{|x & S|}."""
    n = a.shape[0]
    h = 1
    while h < n:
        for i in range(0, n, 2 * h):
            for j in range(i, i + h):
                u = a[j]
                v = a[j + h]
                a[j] = u + v
                a[j + h] = u - v
        h *= 2


@pjit
def truth_table(n: np.int64, fmask: np.uint64, flip: np.uint64, t: np.int64, a: np.int64, b: np.int64,
                pmask: np.uint64, out: np.ndarray) -> None:
    """out[x] = g(popcount((x ^ flip) & fmask)) * (-1)^{|x & pmask|} for x < 2^n."""
    N = np.int64(1) << n
    for x in prange(N):
        z = np.uint64(x)
        c = np.int64(popcount64((z ^ flip) & fmask))
        v = a if c <= t else b
        if popcount64(z & pmask) & np.uint64(1):
            v = -v
        out[x] = v
