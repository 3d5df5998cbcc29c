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

Vector width (AVX-512)
----------------------
LLVM tunes Intel AVX-512 cores (Skylake-X to Sapphire Rapids, which it may report as ``rocketlake``)
with ``prefer-256-bit``: it vectorises with 256-bit ymm registers even where 512-bit zmm are
available, so the cube kernels never use 512-bit ``VPOPCNTQ``. When the host has AVX-512F and
AVX512-VPOPCNTDQ, this module sets ``NUMBA_CPU_FEATURES`` to the host's features plus
``-prefer-256-bit`` before numba creates its code generator (:func:`vector_width_features`), so every
kernel may use zmm registers (clang's ``-mprefer-vector-width=512``). Counted in the compiled hot
loop of the one-word Monte Carlo kernel (``benchmarks/mc_fourier.py``; AVX-512 counts from code
generated for LLVM's ``rocketlake`` with AVX-512 features): 2.7 instructions per sample with zmm
against 5.3 with ymm and 11.4 on AVX2 without a vector popcount. The environment variable
``FEATURECHECK_VECTOR_WIDTH=256`` keeps LLVM's default (``512`` forces the change); an explicit
``NUMBA_CPU_FEATURES`` always wins, and nothing changes if numba created its code generator
before this module was imported. Integer results do not depend on the width (the Monte Carlo
kernels count exactly), and numba never reassociates float reductions without ``fastmath``. The
CPU features are part of numba's cache key, so the two widths never share a cached kernel.

Why serial and parallel twins are separate functions: numba's on-disk cache key is the function's
qualified name, source file and signature, not its target options, so one Python function compiled
both with and without ``parallel=True`` would share (and overwrite) one cache entry. The parallel
twin also costs thread-pool start-up on small inputs, so small runs call the serial one. Tests check
each parallel kernel equal to its serial twin and to ``.py_func`` on tiny inputs.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from typing import Any

import numba
import numpy as np
from numba import types
from numba.extending import intrinsic, overload

__all__ = ["jit", "pjit", "popcount64", "vector_width_features"]


def vector_width_features(host: Mapping[str, bool], env: Mapping[str, str]) -> str | None:
    """Return the ``NUMBA_CPU_FEATURES`` string that lets LLVM use 512-bit vectors, or None to leave numba alone.

    ``host`` maps LLVM feature names to booleans (``llvmlite.binding.get_host_cpu_features()``),
    ``env`` is the environment. None when ``NUMBA_CPU_FEATURES`` is already set, when
    ``FEATURECHECK_VECTOR_WIDTH`` is ``"256"``, or when it is ``"auto"`` (the default) and the host
    lacks ``avx512f`` or ``avx512vpopcntdq``; otherwise the host's features followed by
    ``-prefer-256-bit`` (``"512"`` forces it; without AVX-512 it is a no-op for LLVM).

    Examples
    --------
    >>> vector_width_features({"avx2": True, "avx512f": True, "avx512vpopcntdq": True}, {})
    '+avx2,+avx512f,+avx512vpopcntdq,-prefer-256-bit'
    >>> vector_width_features({"avx2": True, "avx512f": False}, {}) is None
    True
    >>> vector_width_features({"avx512f": True, "avx512vpopcntdq": True}, {"FEATURECHECK_VECTOR_WIDTH": "256"}) is None
    True
    """
    width = env.get("FEATURECHECK_VECTOR_WIDTH", "auto")
    if width not in ("auto", "512", "256"):
        raise ValueError(f"FEATURECHECK_VECTOR_WIDTH must be one of auto, 512, 256, got {width!r}")
    if env.get("NUMBA_CPU_FEATURES") is not None or width == "256":
        return None
    if width == "auto" and not (host.get("avx512f") and host.get("avx512vpopcntdq")):
        return None
    flags = ",".join(("+" if on else "-") + name for name, on in sorted(host.items()))
    return flags + ",-prefer-256-bit"


def _set_vector_width() -> None:
    try:
        from llvmlite import binding as ll

        host = dict(ll.get_host_cpu_features())
    except (RuntimeError, ImportError):
        return
    feats = vector_width_features(host, os.environ)
    if feats is not None:
        # both: numba reads the config when it creates its code generator, and re-reads it from the
        # environment before every compilation
        os.environ["NUMBA_CPU_FEATURES"] = feats
        setattr(numba.config, "CPU_FEATURES", feats)  # noqa: B010  (not in numba's stubs)


_set_vector_width()


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
    """Count the set bits of ``x``, as a uint64 (two's complement for negative integers).

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
