"""Private integer Walsh–Hadamard kernels (see :mod:`featurecheck.numerics.estimators.walsh` for the public wrappers).

All transforms are unnormalised and in place: ``a[S] <- sum_x a[x] (-1)^{|x & S|}`` with bit ``i`` of
the index = coordinate ``i``. Integer arithmetic only; the wrapper picks a dtype that cannot overflow.

Layout of the cache-blocked transform (``fwht_blocked``), for ``N = 2^n`` viewed as ``R x C`` with
``C = 2^L`` contiguous columns and ``R = 2^H`` rows, ``H = n - L``:

- pass 1: every contiguous block of ``2^L`` elements (L2-resident) gets the transform of its low
  ``L`` bits; bits ``< l1`` first on L1-sized sub-blocks, the rest in radix-8/4/2 sweeps;
- pass 2: tiles of ``W = 2^lw`` contiguous columns by all ``R`` rows are copied to a per-thread
  buffer (rows of ``W`` elements, ~1 KiB, so the strided reads stream), transformed over the high ``H``
  bits and written back.

Every memory word is read and written twice; pass 2 writes its rows with streaming (non-temporal)
stores when the destination is 64-byte aligned. Inner loops run over contiguous slices with unsigned
indices and same-width integer arithmetic (``wadd``/``wsub``), which is what LLVM needs to vectorise
them (signed indices carry numba's wraparound check; int32 + int32 is int64 in numba).

``spectrum_cube`` builds the spectrum of a :class:`featurecheck.numerics.estimators.cube.CubeFunction` without a truth table
and without a pass over memory that reads: on a block of the low ``L`` bits the function depends on the
high part only through the high threshold count and the sign of the high parity, so the high transform
is a Krawtchouk combination of ``m + 1`` transformed blocks, and each output row is ``±`` one of
``m + 1`` precomputed rows or zero (written once with streaming stores).

Parallelism is plain threads: every kernel here is serial and ``nogil``; the drivers cut the blocks or
tiles into ranges and run them on a thread pool (:func:`run_ranges`). Integer arithmetic on disjoint
ranges, so results do not depend on the thread count.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import numba
import numpy as np
from llvmlite import ir
from numba import types
from numba.core import cgutils
from numba.extending import intrinsic, overload
from numpy.typing import DTypeLike

from featurecheck.numerics._kernels.jit import jit, popcount64
from featurecheck.theory.bounds.finite_sample import krawtchouk

U1 = np.uint64(1)
U3 = np.uint64(3)


# ---------------------------------------------------------------- same-width integer arithmetic
# numba promotes int32 + int32 to int64; LLVM then vectorises with widening loads and narrowing
# stores (half the lanes, slow stores). These add/subtract in the operand width instead; the public
# wrappers choose the dtype so that nothing can overflow. Python fallbacks keep ``.py_func`` usable.
def wadd(x, y):  # noqa: ANN001, ANN201  (numba compares the unannotated signatures)
    """``x + y`` in the common integer width of ``x`` and ``y``."""
    return x + y


def wsub(x, y):  # noqa: ANN001, ANN201
    """``x - y`` in the common integer width of ``x`` and ``y``."""
    return x - y


def _same_int(x: types.Type, y: types.Type) -> bool:
    return isinstance(x, types.Integer) and x == y


@intrinsic
def _wadd(typingctx, x, y):  # noqa: ANN001, ANN201
    if not _same_int(x, y):
        return None

    def codegen(context, builder, sig, args):  # noqa: ANN001, ANN202
        return builder.add(args[0], args[1])

    return x(x, y), codegen


@intrinsic
def _wsub(typingctx, x, y):  # noqa: ANN001, ANN201
    if not _same_int(x, y):
        return None

    def codegen(context, builder, sig, args):  # noqa: ANN001, ANN202
        return builder.sub(args[0], args[1])

    return x(x, y), codegen


@overload(wadd)
def _wadd_ol(x, y):  # noqa: ANN001, ANN202
    if _same_int(x, y):
        return lambda x, y: _wadd(x, y)
    return None


@overload(wsub)
def _wsub_ol(x, y):  # noqa: ANN001, ANN202
    if _same_int(x, y):
        return lambda x, y: _wsub(x, y)
    return None


# ---------------------------------------------------------------- streaming (non-temporal) stores
# Pass 2 writes rows of 1 KiB that are 2^L elements apart; ordinary stores first read every line
# (read-for-ownership) and the rows conflict in the cache sets. Non-temporal stores write the lines
# without reading them, which made the write-out ~3x faster here. A fence after the last streaming
# store orders them before the range returns to the driver thread.
NT_BYTES = 64


def nt_copy(dst, src):  # noqa: ANN001, ANN201
    """``dst[:] = src`` with non-temporal stores; ``dst`` 64-byte aligned, ``nbytes % 64 == 0``."""
    dst[:] = src


def fence():  # noqa: ANN201
    """Full memory fence (orders streaming stores); a no-op in Python."""
    return None


@intrinsic
def _nt_copy(typingctx, dst, src):  # noqa: ANN001, ANN201
    if not (isinstance(dst, types.Array) and isinstance(src, types.Array) and dst.dtype == src.dtype
            and isinstance(dst.dtype, types.Integer) and dst.ndim == 1 and src.ndim == 1):
        return None

    def codegen(context, builder, sig, args):  # noqa: ANN001, ANN202
        dstty, srcty = sig.args
        d = context.make_array(dstty)(context, builder, args[0])
        s = context.make_array(srcty)(context, builder, args[1])
        n = builder.extract_value(d.shape, 0)
        lanes = NT_BYTES // (dstty.dtype.bitwidth // 8)
        vty = ir.VectorType(context.get_data_type(dstty.dtype), lanes)
        nvec = builder.udiv(n, ir.Constant(n.type, lanes))
        md = builder.module.add_metadata([ir.Constant(ir.IntType(32), 1)])
        dv = builder.bitcast(d.data, vty.as_pointer())
        sv = builder.bitcast(s.data, vty.as_pointer())
        with cgutils.for_range(builder, nvec) as loop:
            v = builder.load(builder.gep(sv, [loop.index]), align=dstty.dtype.bitwidth // 8)
            st = builder.store(v, builder.gep(dv, [loop.index]), align=NT_BYTES)
            st.set_metadata("nontemporal", md)
        return context.get_dummy_value()

    return types.void(dst, src), codegen


@intrinsic
def _fence(typingctx):  # noqa: ANN001, ANN201
    def codegen(context, builder, sig, args):  # noqa: ANN001, ANN202
        builder.fence("seq_cst")
        return context.get_dummy_value()

    return types.void(), codegen


@overload(nt_copy)
def _nt_copy_ol(dst, src):  # noqa: ANN001, ANN202
    return lambda dst, src: _nt_copy(dst, src)


@overload(fence)
def _fence_ol():  # noqa: ANN202
    return lambda: _fence()


# ---------------------------------------------------------------- radix 8 inside one 8-element vector
# The lowest three index bits pair elements inside one group of 8 consecutive elements, where
# LLVM's own vectorisation of ``_low3`` needs ~2 shuffles per element. Here each group is one
# ``<8 x iN>`` vector and each bit one shuffle, one add, one subtract and one blend: 14 vector ops
# per 8 elements with the load and store (1.8x faster than LLVM's code for int32 and 1.5x for int64,
# measured here in L1; that was about a fifth of the generic transform's CPU time).
def low3_groups(a, q0, q1):  # noqa: ANN001, ANN201
    """Radix-8 transform of bits 0..2 on groups ``q0 <= q < q1`` of 8 elements (``a[8q : 8q + 8]``)."""
    for q in range(int(q0), int(q1)):
        g = a[8 * q:8 * q + 8]
        for h in (1, 2, 4):
            for i in range(8):
                if not i & h:
                    u, v = g[i], g[i + h]
                    g[i], g[i + h] = u + v, u - v


_LOW3_LEVELS = (  # (partner permutation, blend: lanes < 8 from the sum, >= 8 from the difference)
    ((1, 0, 3, 2, 5, 4, 7, 6), (0, 9, 2, 11, 4, 13, 6, 15)),
    ((2, 3, 0, 1, 6, 7, 4, 5), (0, 1, 10, 11, 4, 5, 14, 15)),
    ((4, 5, 6, 7, 0, 1, 2, 3), (0, 1, 2, 3, 12, 13, 14, 15)),
)


@intrinsic
def _low3_vec(typingctx, a, q0, q1):  # noqa: ANN001, ANN201
    if not (isinstance(a, types.Array) and a.ndim == 1 and a.layout == "C" and isinstance(a.dtype, types.Integer)
            and isinstance(q0, types.Integer) and isinstance(q1, types.Integer)):
        return None

    def codegen(context, builder, sig, args):  # noqa: ANN001, ANN202
        aty = sig.args[0]
        arr = context.make_array(aty)(context, builder, args[0])
        lo = context.cast(builder, args[1], sig.args[1], types.int64)
        hi = context.cast(builder, args[2], sig.args[2], types.int64)
        ety = context.get_data_type(aty.dtype)
        vty = ir.VectorType(ety, 8)
        base = builder.bitcast(arr.data, vty.as_pointer())
        align = aty.dtype.bitwidth // 8
        count = builder.sub(hi, lo)
        with cgutils.for_range(builder, count) as loop:
            ptr = builder.gep(base, [builder.add(lo, loop.index)])
            v = builder.load(ptr, align=align)
            for perm, blend in _LOW3_LEVELS:
                p = builder.shuffle_vector(v, v, ir.Constant(ir.VectorType(ir.IntType(32), 8), list(perm)))
                sm = builder.add(v, p)
                df = builder.sub(p, v)
                v = builder.shuffle_vector(sm, df, ir.Constant(ir.VectorType(ir.IntType(32), 8), list(blend)))
            builder.store(v, ptr, align=align)
        return context.get_dummy_value()

    return types.void(a, q0, q1), codegen


@overload(low3_groups)
def _low3_groups_ol(a, q0, q1):  # noqa: ANN001, ANN202
    if not isinstance(a, types.Array):
        return None
    if a.layout == "C":
        return lambda a, q0, q1: _low3_vec(a, q0, q1)

    def strided(a, q0, q1):  # noqa: ANN001, ANN202  (non-contiguous views: element by element)
        for q in range(q0, q1):
            g = a[8 * q:8 * q + 8]
            for h in (1, 2, 4):
                for i in range(8):
                    if not i & h:
                        u = g[i]
                        v = g[i + h]
                        g[i] = wadd(u, v)
                        g[i + h] = wsub(u, v)

    return strided


# ---------------------------------------------------------------- reference (textbook) transform
@jit
def fwht_reference(a: np.ndarray) -> None:
    """Textbook radix-2 in-place transform (serial; the reference the fast kernels are tested against)."""
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


# ---------------------------------------------------------------- butterfly sweeps
@jit
def _low3(a: np.ndarray, s: np.int64, e: np.int64) -> None:
    """Radix-8 transform of bits 0..2 on ``a[s:e]`` (``s, e`` multiples of 8), one vector per group."""
    low3_groups(a, np.uint64(s) >> U3, np.uint64(e) >> U3)


@jit
def _mid3(a: np.ndarray, s: np.int64, e: np.int64) -> None:
    """Radix-8 transform of bits 3..5 on ``a[s:e]`` (``s, e`` multiples of 64).

    The strides are literal constants, so LLVM vectorises without the runtime alias checks that
    make the slice-based sweeps slow for short strides.
    """
    for q in range(np.uint64(s) >> np.uint64(6), np.uint64(e) >> np.uint64(6)):
        g = q << np.uint64(6)
        for j in range(g, g + np.uint64(8)):
            p0 = a[j]
            p1 = a[j + np.uint64(8)]
            p2 = a[j + np.uint64(16)]
            p3 = a[j + np.uint64(24)]
            p4 = a[j + np.uint64(32)]
            p5 = a[j + np.uint64(40)]
            p6 = a[j + np.uint64(48)]
            p7 = a[j + np.uint64(56)]
            q0 = wadd(p0, p1)
            q1 = wsub(p0, p1)
            q2 = wadd(p2, p3)
            q3 = wsub(p2, p3)
            q4 = wadd(p4, p5)
            q5 = wsub(p4, p5)
            q6 = wadd(p6, p7)
            q7 = wsub(p6, p7)
            r0 = wadd(q0, q2)
            r2 = wsub(q0, q2)
            r1 = wadd(q1, q3)
            r3 = wsub(q1, q3)
            r4 = wadd(q4, q6)
            r6 = wsub(q4, q6)
            r5 = wadd(q5, q7)
            r7 = wsub(q5, q7)
            a[j] = wadd(r0, r4)
            a[j + np.uint64(32)] = wsub(r0, r4)
            a[j + np.uint64(8)] = wadd(r1, r5)
            a[j + np.uint64(40)] = wsub(r1, r5)
            a[j + np.uint64(16)] = wadd(r2, r6)
            a[j + np.uint64(48)] = wsub(r2, r6)
            a[j + np.uint64(24)] = wadd(r3, r7)
            a[j + np.uint64(56)] = wsub(r3, r7)


@jit
def _r2(a: np.ndarray, s: np.int64, e: np.int64, h: np.int64) -> None:
    """One radix-2 stage of stride ``h`` on ``a[s:e]``."""
    hu = np.uint64(h)
    for i in range(s, e, 2 * h):
        x0 = a[i:i + h]
        x1 = a[i + h:i + 2 * h]
        for j in range(hu):
            p0 = x0[j]
            p1 = x1[j]
            x0[j] = wadd(p0, p1)
            x1[j] = wsub(p0, p1)


@jit
def _r4(a: np.ndarray, s: np.int64, e: np.int64, h: np.int64) -> None:
    """Two fused stages (strides ``h``, ``2h``) on ``a[s:e]``."""
    hu = np.uint64(h)
    for i in range(s, e, 4 * h):
        x0 = a[i:i + h]
        x1 = a[i + h:i + 2 * h]
        x2 = a[i + 2 * h:i + 3 * h]
        x3 = a[i + 3 * h:i + 4 * h]
        for j in range(hu):
            p0 = x0[j]
            p1 = x1[j]
            p2 = x2[j]
            p3 = x3[j]
            q0 = wadd(p0, p1)
            q1 = wsub(p0, p1)
            q2 = wadd(p2, p3)
            q3 = wsub(p2, p3)
            x0[j] = wadd(q0, q2)
            x1[j] = wadd(q1, q3)
            x2[j] = wsub(q0, q2)
            x3[j] = wsub(q1, q3)


@jit
def _r8(a: np.ndarray, s: np.int64, e: np.int64, h: np.int64) -> None:
    """Three fused stages (strides ``h``, ``2h``, ``4h``) on ``a[s:e]``."""
    hu = np.uint64(h)
    for i in range(s, e, 8 * h):
        x0 = a[i:i + h]
        x1 = a[i + h:i + 2 * h]
        x2 = a[i + 2 * h:i + 3 * h]
        x3 = a[i + 3 * h:i + 4 * h]
        x4 = a[i + 4 * h:i + 5 * h]
        x5 = a[i + 5 * h:i + 6 * h]
        x6 = a[i + 6 * h:i + 7 * h]
        x7 = a[i + 7 * h:i + 8 * h]
        for j in range(hu):
            p0 = x0[j]
            p1 = x1[j]
            p2 = x2[j]
            p3 = x3[j]
            p4 = x4[j]
            p5 = x5[j]
            p6 = x6[j]
            p7 = x7[j]
            q0 = wadd(p0, p1)
            q1 = wsub(p0, p1)
            q2 = wadd(p2, p3)
            q3 = wsub(p2, p3)
            q4 = wadd(p4, p5)
            q5 = wsub(p4, p5)
            q6 = wadd(p6, p7)
            q7 = wsub(p6, p7)
            r0 = wadd(q0, q2)
            r2 = wsub(q0, q2)
            r1 = wadd(q1, q3)
            r3 = wsub(q1, q3)
            r4 = wadd(q4, q6)
            r6 = wsub(q4, q6)
            r5 = wadd(q5, q7)
            r7 = wsub(q5, q7)
            x0[j] = wadd(r0, r4)
            x4[j] = wsub(r0, r4)
            x1[j] = wadd(r1, r5)
            x5[j] = wsub(r1, r5)
            x2[j] = wadd(r2, r6)
            x6[j] = wsub(r2, r6)
            x3[j] = wadd(r3, r7)
            x7[j] = wsub(r3, r7)


@jit
def _bits(a: np.ndarray, s: np.int64, blo: np.int64, bhi: np.int64) -> None:
    """Transform index bits ``[blo, bhi)`` of ``a[s : s + 2^bhi]`` (``s`` a multiple of ``2^bhi``)."""
    e = s + (np.int64(1) << bhi)
    b = blo
    if b == 0 and bhi >= 3:
        _low3(a, s, e)
        b = np.int64(3)
    if b == 3 and bhi >= 6:
        _mid3(a, s, e)
        b = np.int64(6)
    while bhi - b >= 3:
        _r8(a, s, e, np.int64(1) << b)
        b += 3
    while bhi - b >= 2:
        _r4(a, s, e, np.int64(1) << b)
        b += 2
    if b < bhi:
        _r2(a, s, e, np.int64(1) << b)


@jit
def _copy(dst: np.ndarray, src: np.ndarray) -> None:
    for k in range(np.uint64(dst.shape[0])):
        dst[k] = src[k]


@jit
def _write_rows(a: np.ndarray, c0: np.int64, L: np.int64, H: np.int64, lw: np.int64, buf: np.ndarray) -> None:
    """Rows of ``buf`` (width ``2^lw``) to columns ``[c0, c0 + 2^lw)`` of ``a`` (``2^H x 2^L``)."""
    W = np.int64(1) << lw
    C = np.int64(1) << L
    nbytes = W * a.itemsize
    stream = nbytes % NT_BYTES == 0 and (a.ctypes.data + c0 * a.itemsize) % NT_BYTES == 0 and \
        (C * a.itemsize) % NT_BYTES == 0
    for r in range(np.int64(1) << H):
        if stream:
            nt_copy(a[r * C + c0:r * C + c0 + W], buf[r * W:(r + 1) * W])
        else:
            _copy(a[r * C + c0:r * C + c0 + W], buf[r * W:(r + 1) * W])


# ---------------------------------------------------------------- drivers
# Parallelism: the range kernels below are serial and nogil; the Python drivers split the blocks
# (pass 1) or tiles (pass 2) into one contiguous range per thread and run them on a thread pool.
# Integer arithmetic on disjoint ranges, so the result does not depend on the thread count. (A
# prange version compiled ~5x slower, and compile time counts in CI with a cold cache.)
@jit
def _pass2_range(a: np.ndarray, L: np.int64, lw: np.int64, l1: np.int64, k0: np.int64, k1: np.int64) -> None:
    """Tiles ``k0 <= k < k1``: the high ``H`` bits of columns ``[k W, (k + 1) W)`` of ``a`` (``2^H x 2^L``)."""
    H = _log2(np.int64(a.shape[0]) >> L)
    W = np.int64(1) << lw
    C = np.int64(1) << L
    R = np.int64(1) << H
    S = min(H, max(np.int64(0), l1 - lw))  # row bits that fit in L1 together
    SR = np.int64(1) << S
    buf = np.empty(R * W, dtype=a.dtype)  # one L2-sized buffer per range
    for k in range(k0, k1):
        c0 = k * W
        for r0 in range(0, R, SR):
            for r in range(r0, r0 + SR):
                _copy(buf[r * W:(r + 1) * W], a[r * C + c0:r * C + c0 + W])
            _bits(buf, r0 * W, lw, lw + S)
        _bits(buf, np.int64(0), lw + S, lw + H)
        _write_rows(a, c0, L, H, lw, buf)
    fence()


@jit
def _log2(N: np.int64) -> np.int64:
    n = np.int64(0)
    while (np.int64(1) << n) < N:
        n += 1
    return n


_POOL: list[tuple[int, ThreadPoolExecutor]] = []  # (pid, pool): a forked child makes its own pool
SPLIT = 4  # ranges per thread


def _pool(workers: int) -> ThreadPoolExecutor:
    if _POOL and _POOL[0][0] == os.getpid() and _POOL[0][1]._max_workers >= workers:
        return _POOL[0][1]
    if _POOL and _POOL[0][0] == os.getpid():
        _POOL[0][1].shutdown(wait=False)
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="featurecheck-walsh")
    _POOL[:] = [(os.getpid(), pool)]
    return pool


def _ranges(total: int, parts: int) -> list[tuple[int, int]]:
    parts = max(1, min(parts, total))
    per = -(-total // parts)
    return [(i, min(total, i + per)) for i in range(0, total, per)]


def run_ranges(kernel: Callable[..., None], args: tuple, total: int, parallel: bool,
               threads: int | None = None) -> None:
    """``kernel(*args, i0, i1)`` over ``[0, total)``: one call, or ranges spread over threads.

    ``threads`` defaults to ``numba.get_num_threads()`` (so ``NUMBA_NUM_THREADS`` applies). There are
    ``SPLIT`` ranges per thread, taken from a queue, so one descheduled thread (shared machines) does
    not hold up the others for a whole half of the work.
    """
    if not parallel:
        threads = 1
    elif threads is None:
        threads = numba.get_num_threads()
    rs = _ranges(total, threads * SPLIT if threads > 1 else 1)
    if len(rs) == 1:
        kernel(*args, np.int64(0), np.int64(total))
        return
    pool = _pool(threads)
    futs = [pool.submit(kernel, *args, np.int64(i0), np.int64(i1)) for i0, i1 in rs]
    for fu in futs:
        fu.result()


def fwht_blocked(a: np.ndarray, L: int, lw: int, l1: int, parallel: bool = True, threads: int | None = None,
                 src: np.ndarray | None = None) -> None:
    """Cache-blocked transform in place (``len(a) = 2^n``, ``lw <= L <= n``).

    With ``src`` (same length, C-contiguous, any integer dtype whose values ``a.dtype`` holds: the
    caller checks), pass 1 copies (and converts, e.g. int8 to int32) each block from ``src`` first,
    so ``a`` receives the transform of ``src`` without a separate copy pass.
    """
    n = a.shape[0].bit_length() - 1
    args = (a if src is None else src, a, np.int64(L), np.int64(0), np.int64(l1), src is not None)
    run_ranges(_blocks_range, args, 1 << (n - L), parallel, threads)
    if L < n:
        run_ranges(_pass2_range, (a, np.int64(L), np.int64(lw), np.int64(l1)), 1 << (L - lw), parallel, threads)


# ---------------------------------------------------------------- range of values (overflow guard)
@jit
def _minmax_range(a: np.ndarray, out: np.ndarray, i0: np.int64, i1: np.int64) -> None:
    """``out[0], out[1] = min(a[i0:i1]), max(a[i0:i1])`` (one read; ``i0 < i1``)."""
    x = a[i0:i1]
    lo = x[0]
    hi = x[0]
    for k in range(np.uint64(x.shape[0])):  # unsigned index: vectorised min/max
        v = x[k]
        lo = min(lo, v)
        hi = max(hi, v)
    out[0] = lo
    out[1] = hi


def map_ranges(kernel: Callable[..., None], args: tuple, total: int, parallel: bool, width: int,
               dtype: DTypeLike) -> list[np.ndarray]:
    """``kernel(*args, out_k, i0, i1)`` on one contiguous range of ``[0, total)`` per thread; the ``out_k``.

    Each range writes its own ``out_k`` (length ``width``, in range order); one range on the calling
    thread when not ``parallel`` or ``total < PARALLEL_MIN``.
    """
    threads = numba.get_num_threads() if parallel and total >= PARALLEL_MIN else 1
    rs = _ranges(total, threads)
    outs = [np.empty(width, dtype=dtype) for _ in rs]
    if len(rs) == 1:
        kernel(*args, outs[0], np.int64(0), np.int64(total))
    else:
        futs = [_pool(len(rs)).submit(kernel, *args, o, np.int64(i0), np.int64(i1))
                for o, (i0, i1) in zip(outs, rs, strict=True)]
        for fu in futs:
            fu.result()
    return outs


def min_max(a: np.ndarray, parallel: bool = True) -> tuple[int, int]:
    """``(min(a), max(a))`` as Python ints in one pass over ``a`` (1-d, C-contiguous, non-empty)."""
    outs = map_ranges(_minmax_range, (a,), a.shape[0], parallel, 2, a.dtype)
    return min(int(o[0]) for o in outs), max(int(o[1]) for o in outs)


# ---------------------------------------------------------------- truth tables of cube functions
@jit
def _truth_table_range(n: np.int64, fmask: np.uint64, flip: np.uint64, t: np.int64, a: np.int64, b: np.int64,
                       pmask: np.uint64, out: np.ndarray, x0: np.int64, x1: np.int64) -> None:
    """out[x] = g(popcount((x ^ flip) & fmask)) * (-1)^{|x & pmask|} for x0 <= x < x1."""
    for x in range(x0, x1):
        z = np.uint64(x)
        c = np.int64(popcount64((z ^ flip) & fmask))
        v = a if c <= t else b
        if popcount64(z & pmask) & np.uint64(1):
            v = -v
        out[x] = v


PARALLEL_MIN = 1 << 16  # below this many elements the drivers stay on the calling thread


def truth_table(n: int, fmask: int, flip: int, t: int, a: int, b: int, pmask: int, out: np.ndarray,
                parallel: bool = True) -> None:
    """Write the truth table of ``g(popcount((x^flip)&fmask)) chi_pmask(x)`` into ``out`` (length ``2^n``)."""
    args = (np.int64(n), np.uint64(fmask), np.uint64(flip), np.int64(t), np.int64(a), np.int64(b),
            np.uint64(pmask), out)
    run_ranges(_truth_table_range, args, 1 << n, parallel and (1 << n) >= PARALLEL_MIN)


@jit
def cube_table(L: np.int64, fmask: np.uint64, flip: np.uint64, t: np.int64, a: np.int64, b: np.int64,
               pmask: np.uint64, l1: np.int64, tab: np.ndarray, c0: np.int64, c1: np.int64) -> None:
    """Fill ``tab[c]`` with the low-block transform ``FWHT_L(y -> g(c + c_lo(y)) chi_P(y))`` for ``c0 <= c < c1``.

    ``fmask, flip, pmask`` hold the low ``L`` bits only; bits below ``l1`` go on L1-sized sub-blocks first.
    """
    m = np.int64(1) << L
    for c in range(c0, c1):
        row = tab[c]
        for y in range(m):
            z = np.uint64(y)
            cc = c + np.int64(popcount64((z ^ flip) & fmask))
            v = a if cc <= t else b
            if popcount64(z & pmask) & U1:
                v = -v
            row[y] = v
        _block_bits(row, np.int64(0), np.int64(0), L, l1)


@jit
def _block_bits(a: np.ndarray, s: np.int64, blo: np.int64, L: np.int64, l1: np.int64) -> None:
    """Transform bits ``[blo, L)`` of the block ``a[s : s + 2^L]``; bits below ``l1`` on L1-sized sub-blocks first."""
    if l1 > blo and L > l1:
        for t in range(s, s + (np.int64(1) << L), np.int64(1) << l1):
            _bits(a, t, blo, l1)
        _bits(a, s, l1, L)
    else:
        _bits(a, s, blo, L)


@jit
def _blocks_range(src: np.ndarray, a: np.ndarray, L: np.int64, blo: np.int64, l1: np.int64, copy: bool,
                  b0: np.int64, b1: np.int64) -> None:
    """Transform bits ``[blo, L)`` of the blocks ``b0 <= b < b1`` of ``2^L`` elements of ``a``.

    If ``copy``, each block is first copied from ``src``. Bits below ``l1`` go on L1-sized sub-blocks first.
    """
    for b in range(b0, b1):
        s = b << L
        if copy:
            _copy(a[s:s + (np.int64(1) << L)], src[s:s + (np.int64(1) << L)])
        _block_bits(a, s, blo, L, l1)


@jit
def level_rows(tab: np.ndarray, kr: np.ndarray, scale: np.int64, rows: np.ndarray, j0: np.int64, j1: np.int64) -> None:
    """Fill ``rows[j]`` with ``scale * sum_w kr[j, w] tab[w]`` and ``rows[nl + j]`` with ``-rows[j]``, ``j0 <= j < j1``.

    Here ``nl = len(tab)``; int64 arithmetic, which wraps mod 2^64, so each value is exact when it fits.
    """
    nl = tab.shape[0]
    M = np.uint64(tab.shape[1])
    acc = np.empty(tab.shape[1], dtype=np.int64)
    for j in range(j0, j1):
        for s in range(M):
            acc[s] = 0
        for w in range(nl):
            k = kr[j, w]
            if k == 0:
                continue
            row = tab[w]
            for s in range(M):
                acc[s] += k * np.int64(row[s])
        dst = rows[j]
        neg = rows[nl + j]
        for s in range(M):
            v = acc[s] * scale
            dst[s] = v
            neg[s] = -v


@jit
def _high_rows_range(out: np.ndarray, L: np.int64, rows: np.ndarray, fm: np.uint64, gm: np.uint64, pm: np.uint64,
                     xm: np.uint64, r0: np.int64, r1: np.int64) -> None:
    """Write rows ``r0 <= r < r1`` of ``out``, viewed as ``2^H x 2^L``, each a copy of one of ``rows``.

    With ``u = r ^ pm``, row ``r`` is zero if ``u & gm``, else ``rows[|u & fm| + nl * (|u & xm| mod 2)]``
    (``nl = (len(rows) - 1) // 2``; the last row is zero).
    """
    C = np.int64(1) << L
    nl = (rows.shape[0] - 1) // 2
    stream = (C * out.itemsize) % NT_BYTES == 0 and out.ctypes.data % NT_BYTES == 0
    for r in range(r0, r1):
        u = np.uint64(r) ^ pm
        if u & gm:
            j = 2 * nl
        else:
            j = np.int64(popcount64(u & fm))
            if popcount64(u & xm) & U1:
                j += nl
        dst = out[r * C:(r + 1) * C]
        if stream:
            nt_copy(dst, rows[j])
        else:
            _copy(dst, rows[j])
    fence()


def krawtchouk_table(m: int) -> np.ndarray:
    """Return ``K[j, w] = sum_{|y| = w} (-1)^{|u & y|}`` for any ``|u| = j`` on ``m`` bits, as int64.

    The Krawtchouk values of :func:`featurecheck.theory.bounds.krawtchouk` (``|K| <= C(m, m // 2)``).

    Examples
    --------
    >>> krawtchouk_table(2).tolist()
    [[1, 2, 1], [1, 0, -1], [1, -2, 1]]
    """
    return np.array([[krawtchouk(m, w, j) for w in range(m + 1)] for j in range(m + 1)], dtype=np.int64)


def spectrum_cube(out: np.ndarray, n: int, fmask: int, flip: int, t: int, a: int, b: int, pmask: int,
                  L: int, l1: int, parallel: bool = True, threads: int | None = None) -> None:
    """Write the spectrum of ``f(x) = g(popcount((x^flip)&fmask)) chi_pmask(x)`` (length ``2^n``) into ``out``.

    With ``x = (x_hi, y)``, ``y`` the low ``L`` bits and ``H = n - L``: ``f`` depends on ``x_hi`` only
    through the count ``c = |(x_hi ^ flip) & F|`` (``F`` the high bits of ``fmask``, ``m = |F|``) and
    the sign ``chi_P(x_hi)``. So the low transform of the row ``x_hi`` is the table row ``tab[c]``
    (:func:`cube_table`, ``m + 1`` rows), and, with ``u = s_hi ^ P``,
    ``hat(s_hi, .) = sum_{x_hi} (-1)^{|u & x_hi|} tab[c(x_hi)]`` is ``0`` if ``u`` has a bit outside
    ``F`` and otherwise ``(-1)^{|u & flip & F|} 2^{H - m} sum_w K_{|u & F|}(w) tab[w]`` with the
    Krawtchouk table ``K`` (:func:`krawtchouk_table`). The ``m + 1`` combinations (and their negatives) are
    built once (:func:`level_rows`); the output is written once, row by row, with streaming stores:
    no pass reads it. Needs ``0 <= L <= n``.
    """
    H = n - L
    low = (1 << L) - 1
    fm = (fmask >> L) & ((1 << H) - 1)
    m = fm.bit_count()
    tab = np.empty((m + 1, 1 << L), dtype=out.dtype)
    targs = (np.int64(L), np.uint64(fmask & low), np.uint64(flip & low), np.int64(t), np.int64(a), np.int64(b),
             np.uint64(pmask & low), np.int64(l1), tab)
    run_ranges(cube_table, targs, m + 1, parallel, threads)
    rows = np.zeros((2 * (m + 1) + 1, 1 << L), dtype=out.dtype)
    run_ranges(level_rows, (tab, krawtchouk_table(m), np.int64(1 << (H - m)), rows), m + 1, parallel, threads)
    hargs = (out, np.int64(L), rows, np.uint64(fm), np.uint64(((1 << H) - 1) & ~fm), np.uint64(pmask >> L),
             np.uint64((flip >> L) & fm))
    run_ranges(_high_rows_range, hargs, 1 << H, parallel, threads)


# ---------------------------------------------------------------- symmetric spectra
@jit
def _first_mismatch_range(spec: np.ndarray, reps: np.ndarray, out: np.ndarray, s0: np.int64, s1: np.int64) -> None:
    """``out[0]`` (per range) = first ``S`` in ``[s0, s1)`` with ``spec[S] != reps[|S|]``, else -1."""
    out[0] = -1
    for S in range(s0, s1):
        if spec[S] != reps[popcount64(np.uint64(S))]:
            out[0] = S
            return


def first_level_mismatch(spec: np.ndarray, reps: np.ndarray, parallel: bool = True) -> int:
    """Smallest mask ``S`` with ``spec[S] != reps[|S|]``, or -1."""
    outs = map_ranges(_first_mismatch_range, (spec, reps), spec.shape[0], parallel, 1, np.int64)
    hits = [int(o[0]) for o in outs if o[0] >= 0]
    return hits[0] if hits else -1
