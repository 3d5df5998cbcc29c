"""Private numba kernels behind :mod:`featurecheck.numerics.estimators.bound_checks` (bit-packed: bit i of a word = coordinate i).

- GF(2) elimination on bit-packed rows (``n <= 63`` unknowns, the label in bit ``n``).
- Monte Carlo trials of the GF(2) learner and of brute-force ERM over k-subsets, and their exact
  enumeration over all ``2^(n m)`` sample matrices for tiny ``n m``.
- Random bounded queries on the cube, the gradient table of a small ReLU network, and the pair
  estimator of the Shalev-Shwartz et al. gradient variance.

Randomness: trial ``t`` of chunk ``c`` draws its words from ``mix64(chunk_key(key, c) + j GAMMA)``
with a per-chunk counter ``j``; each chunk writes its own ``ROW``-wide row of ``out`` (one 64-byte
line), so results do not depend on the thread count and the parallel kernels equal the serial twins.
"""

from __future__ import annotations

import numpy as np
from numba import prange

from featurecheck.numerics._kernels.jit import jit, pjit, popcount64
from featurecheck.numerics._kernels.rng import GAMMA, chunk_key, mix64

__all__ = [
    "ROW",
    "gf2_eliminate",
    "gf2_trials",
    "gf2_trials_serial",
    "gf2_enum_full_rank",
    "erm_trials",
    "erm_trials_serial",
    "erm_enum_success",
    "query_values",
    "relu_grad_table",
    "sss_pairs",
    "sss_pairs_serial",
]

ROW = 8
ONE = np.uint64(1)
ZERO = np.uint64(0)


@jit
def gf2_eliminate(rows: np.ndarray, m: np.int64, n: np.int64) -> tuple[np.int64, np.uint64]:
    """Bring ``rows`` to reduced row echelon form over GF(2), in place; return ``(rank, s)``.

    Bits ``0..n-1`` of a row are the coefficients, bit ``n`` the right-hand side. ``s`` is the unique
    solution when ``rank == n`` (else 0).
    """
    rank = 0
    for col in range(n):
        bit = ONE << np.uint64(col)
        piv = -1
        for i in range(rank, m):
            if rows[i] & bit:
                piv = i
                break
        if piv < 0:
            continue
        tmp = rows[rank]
        rows[rank] = rows[piv]
        rows[piv] = tmp
        pr = rows[rank]
        for i in range(m):
            if i != rank and (rows[i] & bit):
                rows[i] ^= pr
        rank += 1
    s = ZERO
    if rank == n:
        for col in range(n):  # full rank: row col has its pivot in column col
            if (rows[col] >> np.uint64(n)) & ONE:
                s |= ONE << np.uint64(col)
    return np.int64(rank), s


@jit
def _gf2_chunk(key: np.uint64, chunk: np.uint64, trials: np.int64, n: np.int64, m: np.int64,
               row_out: np.ndarray) -> None:
    kc = chunk_key(key, chunk)
    nmask = (ONE << np.uint64(n)) - ONE
    rows = np.empty(m, dtype=np.uint64)
    ctr = ZERO
    succ = 0
    wrong = 0
    for _ in range(trials):
        ctr += ONE
        secret = mix64(kc + ctr * GAMMA) & nmask
        for j in range(m):
            ctr += ONE
            x = mix64(kc + ctr * GAMMA) & nmask
            y = popcount64(x & secret) & ONE
            rows[j] = x | (y << np.uint64(n))
        rank, s = gf2_eliminate(rows, m, n)
        if rank == n:
            succ += 1
            if s != secret:
                wrong += 1
    row_out[0] = succ
    row_out[1] = wrong


@pjit
def gf2_trials(key: np.uint64, first_chunk: np.int64, n_chunks: np.int64, chunk_size: np.int64,
               last_size: np.int64, n: np.int64, m: np.int64, out: np.ndarray) -> None:
    """Count, per chunk, the trials with a full-rank m x n system and those solved wrongly.

    ``out[c, 0]`` = trials where the m x n system had rank n, ``out[c, 1]`` = those whose solution
    differed from the secret (must be 0).
    """
    for c in prange(n_chunks):
        t = chunk_size if c < n_chunks - 1 else last_size
        _gf2_chunk(key, np.uint64(first_chunk + c), t, n, m, out[c])


@jit
def gf2_trials_serial(key: np.uint64, first_chunk: np.int64, n_chunks: np.int64, chunk_size: np.int64,
                      last_size: np.int64, n: np.int64, m: np.int64, out: np.ndarray) -> None:
    """Compute the rows of :func:`gf2_trials` serially (its serial twin)."""
    for c in range(n_chunks):
        t = chunk_size if c < n_chunks - 1 else last_size
        _gf2_chunk(key, np.uint64(first_chunk + c), t, n, m, out[c])


@jit
def gf2_enum_full_rank(n: np.int64, m: np.int64) -> np.int64:
    """Count the m x n matrices over GF(2) (of all ``2^(n m)``) with rank n, by enumeration (``n m <= 24``)."""
    nmask = (ONE << np.uint64(n)) - ONE
    rows = np.empty(m, dtype=np.uint64)
    total = np.uint64(1) << np.uint64(n * m)
    count = 0
    for t in range(total):
        tt = np.uint64(t)
        for j in range(m):
            rows[j] = (tt >> np.uint64(j * n)) & nmask
        rank, _ = gf2_eliminate(rows, m, n)
        if rank == n:
            count += 1
    return np.int64(count)


@jit
def _erm_consistent_unique(xs: np.ndarray, m: np.int64, secret: np.uint64, masks: np.ndarray) -> bool:
    count = 0
    for s_i in range(masks.shape[0]):
        dmask = masks[s_i] ^ secret
        ok = True
        for j in range(m):
            if popcount64(xs[j] & dmask) & ONE:
                ok = False
                break
        if ok:
            count += 1
            if count > 1:
                return False
    return count == 1


@jit
def _erm_chunk(key: np.uint64, chunk: np.uint64, trials: np.int64, n: np.int64, m: np.int64,
               secret: np.uint64, masks: np.ndarray, row_out: np.ndarray) -> None:
    kc = chunk_key(key, chunk)
    nmask = (ONE << np.uint64(n)) - ONE
    xs = np.empty(m, dtype=np.uint64)
    ctr = ZERO
    succ = 0
    for _ in range(trials):
        for j in range(m):
            ctr += ONE
            xs[j] = mix64(kc + ctr * GAMMA) & nmask
        if _erm_consistent_unique(xs, m, secret, masks):
            succ += 1
    row_out[0] = succ


@pjit
def erm_trials(key: np.uint64, first_chunk: np.int64, n_chunks: np.int64, chunk_size: np.int64,
               last_size: np.int64, n: np.int64, m: np.int64, secret: np.uint64, masks: np.ndarray,
               out: np.ndarray) -> None:
    """Count, per chunk, the trials in which ERM over ``masks`` recovers ``secret``.

    ``out[c, 0]`` = trials in which ``secret`` is the only mask in ``masks`` consistent with all m
    noiseless labels (labels need not be drawn: mask T is consistent iff ``<x_j, T xor secret> = 0``
    for every sample).
    """
    for c in prange(n_chunks):
        t = chunk_size if c < n_chunks - 1 else last_size
        _erm_chunk(key, np.uint64(first_chunk + c), t, n, m, secret, masks, out[c])


@jit
def erm_trials_serial(key: np.uint64, first_chunk: np.int64, n_chunks: np.int64, chunk_size: np.int64,
                      last_size: np.int64, n: np.int64, m: np.int64, secret: np.uint64, masks: np.ndarray,
                      out: np.ndarray) -> None:
    """Compute the rows of :func:`erm_trials` serially (its serial twin)."""
    for c in range(n_chunks):
        t = chunk_size if c < n_chunks - 1 else last_size
        _erm_chunk(key, np.uint64(first_chunk + c), t, n, m, secret, masks, out[c])


@jit
def erm_enum_success(n: np.int64, m: np.int64, secret: np.uint64, masks: np.ndarray) -> np.int64:
    """Count the sample matrices (of all ``2^(n m)``) on which ERM succeeds, by enumeration (``n m <= 24``)."""
    nmask = (ONE << np.uint64(n)) - ONE
    xs = np.empty(m, dtype=np.uint64)
    total = np.uint64(1) << np.uint64(n * m)
    count = 0
    for t in range(total):
        tt = np.uint64(t)
        for j in range(m):
            xs[j] = (tt >> np.uint64(j * n)) & nmask
        if _erm_consistent_unique(xs, m, secret, masks):
            count += 1
    return np.int64(count)


@jit
def query_values(key: np.uint64, levels: np.int64, out: np.ndarray) -> None:
    """``out[q, x]`` uniform on ``{-levels, ..., levels}`` (up to a 2^-60 modulo bias), keyed by (q, x)."""
    nq, N = out.shape
    span = np.uint64(2 * levels + 1)
    for q in range(nq):
        kq = chunk_key(key, np.uint64(q))
        for x in range(N):
            out[q, x] = np.int64(mix64(kq + np.uint64(x + 1) * GAMMA) % span) - levels


@jit
def relu_grad_table(n: np.int64, W: np.ndarray, b2: np.ndarray, a: np.ndarray, out: np.ndarray) -> None:
    """Twice the parameter gradient of ``p(x) = sum_j a_j ReLU(w_j.x + b_j)`` at every ``x < 2^n``.

    ``W`` (h x n) and ``a`` are integers, ``b2 = 2 b`` is odd, so ``2 (w_j.x + b_j)`` is odd and never 0.
    Columns: ``0..h-1`` = d/da_j, then ``h + j n + i`` = d/dW_ji, then ``h + h n + j`` = d/db_j.
    """
    h = W.shape[0]
    for x in range(1 << n):
        for j in range(h):
            z2 = b2[j]
            for i in range(n):
                xi = 1 - 2 * ((x >> i) & 1)
                z2 += 2 * W[j, i] * xi
            if z2 > 0:
                out[x, j] = z2
                for i in range(n):
                    out[x, h + j * n + i] = 2 * a[j] * (1 - 2 * ((x >> i) & 1))
                out[x, h + h * n + j] = 2 * a[j]
            else:
                out[x, j] = 0
                for i in range(n):
                    out[x, h + j * n + i] = 0
                out[x, h + h * n + j] = 0


@jit
def _preact(x: np.uint64, n: np.int64, W: np.ndarray, b2: np.ndarray, relu: np.ndarray, act: np.ndarray) -> None:
    h = W.shape[0]
    for j in range(h):
        z2 = b2[j]
        for i in range(n):
            bit = np.int64((x >> np.uint64(i)) & ONE)
            z2 += 2 * W[j, i] * (1 - 2 * bit)
        if z2 > 0:
            relu[j] = 0.5 * z2
            act[j] = 1.0
        else:
            relu[j] = 0.0
            act[j] = 0.0


@jit
def _sss_chunk(key: np.uint64, chunk: np.uint64, pairs: np.int64, n: np.int64, W: np.ndarray, b2: np.ndarray,
               a: np.ndarray, kr: np.ndarray, cnk: np.float64, c_g: np.float64, row_out: np.ndarray) -> None:
    kc = chunk_key(key, chunk)
    nmask = (ONE << np.uint64(n)) - ONE if n < 64 else ~ZERO
    h = W.shape[0]
    r1 = np.empty(h)
    a1 = np.empty(h)
    r2 = np.empty(h)
    a2 = np.empty(h)
    s1 = 0.0
    s2 = 0.0
    ctr = ZERO
    for _ in range(pairs):
        ctr += ONE
        x = mix64(kc + ctr * GAMMA) & nmask
        ctr += ONE
        y = mix64(kc + ctr * GAMMA) & nmask
        _preact(x, n, W, b2, r1, a1)
        _preact(y, n, W, b2, r2, a2)
        cx = popcount64(x)
        cy = popcount64(y)
        cz = popcount64(x ^ y)
        xdoty = np.float64(n) - 2.0 * np.float64(cz)
        dot = 0.0
        nrm = 0.0
        for j in range(h):
            aj2 = np.float64(a[j] * a[j])
            dot += r1[j] * r2[j] + aj2 * a1[j] * a2[j] * (xdoty + 1.0)
            nrm += r1[j] * r1[j] + aj2 * a1[j] * (np.float64(n) + 1.0)
        coef = kr[cz] - kr[cx] * kr[cy] / cnk
        val = dot * coef - c_g * nrm
        s1 += val
        s2 += val * val
    row_out[0] = s1
    row_out[1] = s2


@pjit
def sss_pairs(key: np.uint64, first_chunk: np.int64, n_chunks: np.int64, chunk_size: np.int64,
              last_size: np.int64, n: np.int64, W: np.ndarray, b2: np.ndarray, a: np.ndarray, kr: np.ndarray,
              cnk: np.float64, c_g: np.float64, out: np.ndarray) -> None:
    """Sum, per chunk, the pair statistic ``Y`` and its square into ``out[c, 0]`` and ``out[c, 1]``.

    ``Y = <dp(x), dp(x')> (K_k(|x xor x'|) - K_k(|x|) K_k(|x'|) / C(n,k)) - c_g ||dp(x)||^2``
    (``K_k`` the Krawtchouk values ``kr``), whose mean is ``|H| Var_h - c_g G^2`` for the k-parities.
    """
    for c in prange(n_chunks):
        t = chunk_size if c < n_chunks - 1 else last_size
        _sss_chunk(key, np.uint64(first_chunk + c), t, n, W, b2, a, kr, cnk, c_g, out[c])


@jit
def sss_pairs_serial(key: np.uint64, first_chunk: np.int64, n_chunks: np.int64, chunk_size: np.int64,
                     last_size: np.int64, n: np.int64, W: np.ndarray, b2: np.ndarray, a: np.ndarray,
                     kr: np.ndarray, cnk: np.float64, c_g: np.float64, out: np.ndarray) -> None:
    """Compute the rows of :func:`sss_pairs` serially (its serial twin)."""
    for c in range(n_chunks):
        t = chunk_size if c < n_chunks - 1 else last_size
        _sss_chunk(key, np.uint64(first_chunk + c), t, n, W, b2, a, kr, cnk, c_g, out[c])
