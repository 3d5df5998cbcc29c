"""The one numba policy of featurecheck (STYLE.md, example 6).

- ``jit``: ``njit(cache=True, fastmath=False, nogil=True)``; everything compared against theory uses it.
- ``pjit``: the same with ``parallel=True``. Parallel kernels only ever reduce *integers* or write
  per-chunk rows, so their results are bit-identical to the serial kernels at any thread count.
- ``popcount64``: LLVM ``ctpop`` on uint64 (compiles to POPCNT / VPOPCNTQ).
"""

from __future__ import annotations

from typing import Any, Callable

import numba
from numba import types
from numba.extending import intrinsic

__all__ = ["jit", "pjit", "popcount64"]


def jit(fn: Callable[..., Any]) -> Any:
    return numba.njit(cache=True, fastmath=False, nogil=True)(fn)


def pjit(fn: Callable[..., Any]) -> Any:
    return numba.njit(cache=True, fastmath=False, nogil=True, parallel=True)(fn)


@intrinsic
def popcount64(typingctx: Any, x: Any) -> Any:
    """Population count of a uint64 (LLVM ctpop)."""
    if not isinstance(x, types.Integer):
        return None
    sig = types.uint64(types.uint64)

    def codegen(context: Any, builder: Any, signature: Any, args: Any) -> Any:
        (val,) = args
        val = context.cast(builder, val, signature.args[0], types.uint64) if signature.args[0] != types.uint64 else val
        return builder.ctpop(val)

    return sig, codegen
