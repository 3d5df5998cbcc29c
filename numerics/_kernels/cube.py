"""Private numba kernels over the Boolean cube (bit-packed: bit i set <=> x_i = -1).

The estimand of every kernel is ``f(x) = g(c(x)) * chi_P(x)`` with
``c(x) = popcount((x ^ flip) & fmask)`` and ``g(c) = a if c < t1 else b`` (``t1 = t + 1 >= 0``, so
``t1 = 0`` means "never"). Kernels never evaluate ``f``: they count, per chunk of samples,

- ``n_le``  = #{x : c(x) < t1},
- ``p_le``  = #{x : c(x) < t1 and chi_P(x) = -1},
- ``p_all`` = #{x : chi_P(x) = -1},

into slots ``0, 1, 2`` of the chunk's row of ``out``. The sum and the second moment of ``f`` follow
exactly (``f`` takes the values ``±a``, ``±b``): ``sum f = a (n_le - 2 p_le) + b (N - n_le - 2 (p_all
- p_le))``. Counts are unsigned and at most the chunk size, so nothing can overflow; the wrappers add
rows as Python ints.

Random words (:mod:`featurecheck.numerics._kernels.rng`): for ``n <= 64`` sample ``i`` of a chunk is one word from
``LANES`` xoshiro256++ lanes seeded from the chunk's SplitMix64 stream (``fill_lane_words``); for
``n > 64`` sample ``i`` takes its words from lane ``i % LANES`` too, one output per active word
(see :func:`_mc_chunk_mw`). Keyed by (seed, chunk index) only.

Speed notes (performance.md): the one-word kernel takes ``UNROLL = 8`` steps of a lane per load and
store of its state (the counts do not depend on the visiting order), so the lane state stays in
registers; this was about 1.2-1.35x faster per CPU-second than one step per load/store, and the
``++`` scrambler a further ~1.1x (measured interleaved in one run on a shared machine). What is left
is ALU work, about 20 ymm ops per 4 words (generator ~10, counts ~10); ``UNROLL = 16`` spills
(4x slower), and select-based counting was no faster. Counted in the compiled hot loop
(``benchmarks/mc_fourier.py`` has the table and the limits): 2.7 instructions per sample with
512-bit vectors (AVX-512 hosts, :mod:`featurecheck.numerics._kernels.jit` lifts LLVM's 256-bit
preference), 5.3 at 256 bits with VPOPCNTQ, 11.4 on AVX2 (nibble-table popcounts, spills; there
``UNROLL = 8`` beat 4 and 2, and scalar POPCNT on the integer ports after a vector generator was
0.6x). The code and the stream are the same on every path; only LLVM's vector width differs, and
the counts are exact integers, so results are bit-identical across widths. The inner loops are branch-free, all in uint64 (no int64/uint64 mixing,
which numba promotes to float64), with unsigned loop indices, so LLVM vectorises them (shifts and
VPROLQ for xoshiro256++, VPOPCNTQ for the popcounts, mask compares). Rows are ``ROW = 8`` int64 wide (one 64-byte
cache line each) so chunks finished by different threads never share a line. The parallel kernels
are one ``prange`` over chunks; each chunk's randomness depends only on (key, chunk index), so the
result is bit-identical at any thread count and equal to the ``*_serial`` kernels.
"""

from __future__ import annotations

import numpy as np
from numba import prange

from featurecheck.numerics._kernels.jit import jit, pjit, popcount64
from featurecheck.numerics._kernels.rng import LANES, xoshiro_next, xoshiro_seed_lanes, xoshiro_step

__all__ = [
    "ROW",
    "UNROLL",
    "mc_sums_1w",
    "mc_sums_1w_serial",
    "mc_sums_mw",
    "mc_sums_mw_serial",
    "enum_sums",
    "enum_sums_serial",
]

ROW = 8
UNROLL = 8  # xoshiro steps per lane per state load/store in the one-word kernel
ONE = np.uint64(1)
ZERO = np.uint64(0)


@jit
def _tally(z: np.uint64, fmask: np.uint64, flip: np.uint64, t1: np.uint64,
           pmask: np.uint64) -> tuple[np.uint64, np.uint64, np.uint64]:
    """Return the tallies ``(neg, par & neg, par)`` of one word.

    ``neg`` is all ones iff ``c(x) < t1``, ``par`` is ``1`` iff ``chi_P(x) = -1``.
    """
    neg = ZERO - np.uint64(popcount64((z ^ flip) & fmask) < t1)
    par = popcount64(z & pmask) & ONE
    return neg, par & neg, par


@jit
def _mc_chunk_1w(key: np.uint64, chunk: np.uint64, m: np.uint64, fmask: np.uint64, flip: np.uint64,
                 t1: np.uint64, pmask: np.uint64, row: np.ndarray) -> None:
    """Write the counts of ``m`` samples of one chunk into ``row``.

    Sample ``i`` is output ``i // LANES`` of xoshiro256++ lane ``i % LANES``
    (:func:`featurecheck.numerics._kernels.rng.fill_lane_words`).

    Counts do not depend on the order in which samples are visited, so the main loop takes
    ``UNROLL`` consecutive outputs of each lane in turn: a lane's state is loaded once, stays in
    registers for ``UNROLL`` steps and is stored once (instead of 4 loads and 4 stores per word),
    and the lane loop (constant trip count) vectorises. The remaining ``full % UNROLL`` steps and the
    partial last step (lanes ``j < m % LANES``) go one step at a time, so every lane produces exactly
    the outputs of the stream.
    """
    state = np.empty((4, LANES), dtype=np.uint64)
    xoshiro_seed_lanes(key, chunk, state)
    L = np.uint64(LANES)
    U = np.uint64(UNROLL)
    n_le = ZERO
    p_le = ZERO
    p_all = ZERO
    full = m // L
    for _ in range(full // U):
        for j in range(L):
            s0 = state[0, j]
            s1 = state[1, j]
            s2 = state[2, j]
            s3 = state[3, j]
            for _u in range(UNROLL):  # constant trip count: unrolled, state in registers
                z, s0, s1, s2, s3 = xoshiro_next(s0, s1, s2, s3)
                neg, pn, par = _tally(z, fmask, flip, t1, pmask)
                n_le -= neg
                p_le += pn
                p_all += par
            state[0, j] = s0
            state[1, j] = s1
            state[2, j] = s2
            state[3, j] = s3
    for _ in range(full % U):
        for j in range(L):
            neg, pn, par = _tally(xoshiro_step(state, j), fmask, flip, t1, pmask)
            n_le -= neg
            p_le += pn
            p_all += par
    for j in range(m - full * L):
        neg, pn, par = _tally(xoshiro_step(state, j), fmask, flip, t1, pmask)
        n_le -= neg
        p_le += pn
        p_all += par
    row[0] = np.int64(n_le)
    row[1] = np.int64(p_le)
    row[2] = np.int64(p_all)


@pjit
def mc_sums_1w(key: np.uint64, first_chunk: np.int64, n_chunks: np.int64, chunk_size: np.int64,
               last_size: np.int64, fmask: np.uint64, flip: np.uint64, t1: np.uint64,
               pmask: np.uint64, out: np.ndarray) -> None:
    """Write per-chunk counts for n <= 64 (one word per sample) into rows of ``out``.

    Chunks ``first_chunk .. first_chunk + n_chunks - 1``, all of ``chunk_size`` samples but the last.
    """
    for c in prange(n_chunks):
        m = chunk_size if c < n_chunks - 1 else last_size
        _mc_chunk_1w(key, np.uint64(first_chunk + c), np.uint64(m), fmask, flip, t1, pmask, out[c])


@jit
def mc_sums_1w_serial(key: np.uint64, first_chunk: np.int64, n_chunks: np.int64, chunk_size: np.int64,
                      last_size: np.int64, fmask: np.uint64, flip: np.uint64, t1: np.uint64,
                      pmask: np.uint64, out: np.ndarray) -> None:
    """Compute the rows of :func:`mc_sums_1w` serially (same rows, no parallel-region cost for small runs)."""
    for c in range(n_chunks):
        m = chunk_size if c < n_chunks - 1 else last_size
        _mc_chunk_1w(key, np.uint64(first_chunk + c), np.uint64(m), fmask, flip, t1, pmask, out[c])


@jit
def _mc_chunk_mw(key: np.uint64, chunk: np.uint64, m: np.uint64, fmask: np.ndarray, flip: np.ndarray,
                 t1: np.uint64, pmask: np.ndarray, row: np.ndarray) -> None:
    """Write the counts of ``m`` samples of ``W = len(fmask)`` words on the xoshiro256++ lanes into ``row``.

    Only the ``A`` active words (``fmask[w] | pmask[w] != 0``, in increasing ``w``) are drawn: sample
    ``i`` takes outputs ``(i // LANES) A .. (i // LANES) A + A - 1`` of lane ``i % LANES``. Per group
    of ``LANES`` samples the word loop is outside and the lane loop inside (vectorised), accumulating
    per-lane popcounts in two small buffers.
    """
    state = np.empty((4, LANES), dtype=np.uint64)
    xoshiro_seed_lanes(key, chunk, state)
    W = fmask.shape[0]
    active = np.empty(W, dtype=np.int64)
    n_act = 0
    for w in range(W):
        if (fmask[w] | pmask[w]) != ZERO:
            active[n_act] = w
            n_act += 1
    cnt = np.empty(LANES, dtype=np.uint64)
    par = np.empty(LANES, dtype=np.uint64)
    L = np.uint64(LANES)
    n_le = ZERO
    p_le = ZERO
    p_all = ZERO
    done = ZERO
    while done < m:
        nb = min(L, m - done)
        for j in range(L):
            cnt[j] = ZERO
            par[j] = ZERO
        for a in range(n_act):
            w = active[a]
            fm = fmask[w]
            fl = flip[w]
            pm = pmask[w]
            if nb == L:
                for j in range(L):  # constant trip count: fully vectorised
                    z = xoshiro_step(state, j)
                    cnt[j] += popcount64((z ^ fl) & fm)
                    par[j] += popcount64(z & pm)
            else:
                for j in range(nb):
                    z = xoshiro_step(state, j)
                    cnt[j] += popcount64((z ^ fl) & fm)
                    par[j] += popcount64(z & pm)
        for j in range(nb):
            le = np.uint64(cnt[j] < t1)
            p = par[j] & ONE
            n_le += le
            p_le += p & le
            p_all += p
        done += nb
    row[0] = np.int64(n_le)
    row[1] = np.int64(p_le)
    row[2] = np.int64(p_all)


@pjit
def mc_sums_mw(key: np.uint64, first_chunk: np.int64, n_chunks: np.int64, chunk_size: np.int64,
               last_size: np.int64, fmask: np.ndarray, flip: np.ndarray, t1: np.uint64,
               pmask: np.ndarray, out: np.ndarray) -> None:
    """Per-chunk counts for n > 64 (``len(fmask)`` uint64 words per sample)."""
    for c in prange(n_chunks):
        m = chunk_size if c < n_chunks - 1 else last_size
        _mc_chunk_mw(key, np.uint64(first_chunk + c), np.uint64(m), fmask, flip, t1, pmask, out[c])


@jit
def mc_sums_mw_serial(key: np.uint64, first_chunk: np.int64, n_chunks: np.int64, chunk_size: np.int64,
                      last_size: np.int64, fmask: np.ndarray, flip: np.ndarray, t1: np.uint64,
                      pmask: np.ndarray, out: np.ndarray) -> None:
    """Compute the rows of :func:`mc_sums_mw` serially (its serial twin)."""
    for c in range(n_chunks):
        m = chunk_size if c < n_chunks - 1 else last_size
        _mc_chunk_mw(key, np.uint64(first_chunk + c), np.uint64(m), fmask, flip, t1, pmask, out[c])


@jit
def _enum_block(start: np.uint64, stop: np.uint64, fmask: np.uint64, flip: np.uint64, t1: np.uint64,
                pmask: np.uint64, row: np.ndarray) -> None:
    n_le = ZERO
    p_le = ZERO
    p_all = ZERO
    for z in range(start, stop):
        le = np.uint64(popcount64((z ^ flip) & fmask) < t1)
        par = popcount64(z & pmask) & ONE
        n_le += le
        p_le += par & le
        p_all += par
    row[0] = np.int64(n_le)
    row[1] = np.int64(p_le)
    row[2] = np.int64(p_all)


@pjit
def enum_sums(n: np.int64, fmask: np.uint64, flip: np.uint64, t1: np.uint64, pmask: np.uint64,
              out: np.ndarray) -> None:
    """Exact counts over all 2^n points (n <= 62), split into ``out.shape[0]`` blocks."""
    nb = out.shape[0]
    total = np.int64(1) << n
    size = (total + nb - 1) // nb
    for b in prange(nb):
        start = min(total, b * size)
        stop = min(total, start + size)
        _enum_block(np.uint64(start), np.uint64(stop), fmask, flip, t1, pmask, out[b])


@jit
def enum_sums_serial(n: np.int64, fmask: np.uint64, flip: np.uint64, t1: np.uint64, pmask: np.uint64,
                     out: np.ndarray) -> None:
    """Compute the rows of :func:`enum_sums` serially (its serial twin)."""
    nb = out.shape[0]
    total = np.int64(1) << n
    size = (total + nb - 1) // nb
    for b in range(nb):
        start = min(total, b * size)
        stop = min(total, start + size)
        _enum_block(np.uint64(start), np.uint64(stop), fmask, flip, t1, pmask, out[b])
