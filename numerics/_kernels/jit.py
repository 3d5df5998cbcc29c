"""The one numba policy of featurecheck (STYLE.md, example 6).

- ``jit``: ``njit(cache=True, fastmath=False, nogil=True)``; everything compared against theory uses it.
- ``pjit``: the same with ``parallel=True``. Parallel kernels only ever reduce *integers* or write
  per-chunk rows, so their results are bit-identical to the serial kernels at any thread count.
- ``popcount64``: LLVM ``ctpop`` on uint64 (compiles to POPCNT / VPOPCNTQ) inside numba code, and
  a pure-Python fallback outside it, so every kernel using it runs under ``.py_func`` (tests).

Threading: three mechanisms, each deterministic
-----------------------------------------------
1. ``prange`` in ``pjit`` kernels (numba's thread pool, ``NUMBA_NUM_THREADS``): Monte Carlo over
   chunks (:mod:`.cube`, :mod:`.gaussian`, :mod:`.bounds`, :mod:`.gradient`) and the optional parallel
   SGD step (:mod:`.sgd`). Work is cut into a fixed number of chunks or blocks, never per thread.
2. A Python thread pool over serial ``nogil`` kernels in :mod:`.walsh` (``run_ranges``): the Walsh
   transform cuts its blocks into ranges; integer arithmetic on disjoint ranges. The pool is created
   per process, so it survives ``fork``.
3. BLAS threads in the structured-input experiments (numpy matmuls), pinned with ``threadpoolctl``
   where bit-identical results are promised.

Why serial and parallel twins are separate functions: numba's on-disk cache key is the function's
qualified name, source file and signature, not its target options, so one Python function compiled
both with and without ``parallel=True`` would share (and overwrite) one cache entry. The parallel
twin also costs thread-pool start-up on small inputs, so small runs call the serial one. Tests check
each parallel kernel equal to its serial twin and to ``.py_func`` on tiny inputs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numba
import numpy as np
from numba import types
from numba.extending import intrinsic, overload

__all__ = ["jit", "pjit", "popcount64"]


def jit(fn: Callable[..., Any]) -> Any:
    return numba.njit(cache=True, fastmath=False, nogil=True)(fn)


def pjit(fn: Callable[..., Any]) -> Any:
    return numba.njit(cache=True, fastmath=False, nogil=True, parallel=True)(fn)


@intrinsic
def _ctpop64(typingctx: Any, x: Any) -> Any:
    """LLVM ``ctpop`` on a uint64 (other integer types are cast to uint64 first)."""
    if not isinstance(x, types.Integer):
        return None
    sig = types.uint64(x)

    def codegen(context: Any, builder: Any, signature: Any, args: Any) -> Any:
        (val,) = args
        if signature.args[0] != types.uint64:
            val = context.cast(builder, val, signature.args[0], types.uint64)
        return builder.ctpop(val)

    return sig, codegen


def popcount64(x: Any) -> np.uint64:
    """Population count of ``x`` as a uint64 (two's complement for negative integers).

    Inside numba code this is LLVM ``ctpop`` (POPCNT / VPOPCNTQ); from Python it is the pure-Python
    fallback below, so kernels calling it can be run through ``.py_func``.

    Examples
    --------
    >>> int(popcount64(np.uint64(0b1011))), int(popcount64(-1))
    (3, 64)
    """
    return np.uint64((int(x) & 0xFFFF_FFFF_FFFF_FFFF).bit_count())


@overload(popcount64, inline="never")
def _popcount64_ol(x):  # type: ignore[no-untyped-def]  # numba compares unannotated signatures
    if isinstance(x, types.Integer):
        return lambda x: _ctpop64(x)
    return None
