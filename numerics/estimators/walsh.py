"""Exact Walsh–Hadamard spectra on the Boolean cube.

``spectrum(f)`` returns the raw integer Walsh sums ``W_f(S) = sum_x f(x) (-1)^{|x & S|}`` indexed by
the mask of ``S`` (bit ``i`` = coordinate ``i``, the convention of :mod:`featurecheck.theory.boolean`); divide by
``2^n`` for ``hat f(S) = E[f(x) chi_S(x)]``. Integer arithmetic, so the results are exact: the working
dtype is int32 when ``max|f| * 2^n < 2^31``, int64 when ``max|f| * 2^n < 2^63``, otherwise a
ValueError is raised before any kernel runs (every partial sum of the transform is bounded by
``max|f| * 2^n``, so nothing can overflow).

The transform is a cache-blocked integer FWHT (two passes over memory, see
:mod:`featurecheck.numerics._kernels.walsh`): full spectra for ``n <= 28`` (``2^28`` int32 = 1 GiB). For a
:class:`featurecheck.numerics.estimators.cube.CubeFunction` the truth table is never stored: the first pass builds it in
cache, tile by tile, from the ``n + 1`` possible transforms of a low block. Exact
enumeration of single coefficients up to ``n = 30`` is :func:`featurecheck.numerics.estimators.cube.fourier_coefficient_exact`.

References
----------
R. O'Donnell, *Analysis of Boolean Functions*, Cambridge 2014, §1.2 (Walsh expansion) and
Thm 1.16 (Parseval). J. Arndt, *Matters Computational*, Springer 2011, §23.3 (Walsh transform,
locality of memory access).
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np
from numpy.typing import DTypeLike

from featurecheck.numerics._kernels import walsh as K
from featurecheck.numerics.estimators.cube import CubeFunction
from featurecheck.theory._validate import check_int

__all__ = [
    "fwht",
    "spectrum",
    "spectrum_exact",
    "truth_table",
    "coefficient",
    "level_values",
    "MAX_SPECTRUM_N",
    "MAX_EXACT_N",
]

MAX_SPECTRUM_N = 28
MAX_EXACT_N = 16  # spectrum_exact builds 2^n Fractions

# cache geometry (bytes): L1 sub-blocks, L2-resident blocks of pass 1, pass-2 tile rows and buffers
_L1_BYTES = 1 << 14
_BLOCK_BYTES = 1 << 19
_ROW_BYTES = 1 << 10
_MAX_TILE_ROWS_LOG = 10
# source dtypes that pass 1 reads and converts block by block (no separate conversion pass)
_FUSED_SRC = tuple(np.dtype(d) for d in (np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16))


def _dtype_for(n: int, max_abs: int, prefer: np.dtype | None = None, name: str = "f") -> type:
    bound = max(1, int(max_abs)) << n
    for dt, lim in ((np.int32, 2**31), (np.int64, 2**63)):
        if prefer is not None and np.dtype(dt).itemsize < prefer.itemsize:
            continue
        if bound < lim:
            return dt
    raise ValueError(
        f"{name}: integer FWHT would overflow int64: max|{name}| * 2^n = {bound} >= 2^63 "
        f"(allowed: max|{name}| * 2^n < 2^63); reduce n or the values, or use exact Python arithmetic"
    )


def _plan(n: int, itemsize: int) -> tuple[int, int, int]:
    """``(L, lw, l1)``: pass-1 block bits, pass-2 tile width bits, L1 sub-block bits."""
    l1 = (_L1_BYTES // itemsize).bit_length() - 1
    lb = (_BLOCK_BYTES // itemsize).bit_length() - 1
    lw = (_ROW_BYTES // itemsize).bit_length() - 1
    L = n if n <= lb else max(lb, n - _MAX_TILE_ROWS_LOG)
    return L, min(lw, L), l1


def _empty_aligned(size: int, dtype: DTypeLike) -> np.ndarray:
    """``np.empty`` whose data starts on a 64-byte boundary (the streaming stores need it).

    (numpy already advises transparent huge pages for large arrays on Linux.)
    """
    itemsize = np.dtype(dtype).itemsize
    raw: np.ndarray = np.empty(size + 64 // itemsize, dtype=dtype)
    off = (-raw.ctypes.data % 64) // itemsize
    return raw[off:off + size]


def _check_function(f: object) -> CubeFunction:
    if not isinstance(f, CubeFunction):
        raise ValueError(f"f must be a CubeFunction (use majority/threshold/parity), got {type(f).__name__}")
    return f


def truth_table(f: CubeFunction, dtype: type | None = None) -> np.ndarray:
    """Values ``f(x)`` for all ``x < 2^n`` (bit i set <=> x_i = -1), ``n <= 28``.

    Parameters
    ----------
    f : CubeFunction
        The function; ``1 <= f.n <= 28``.
    dtype : numpy integer dtype, optional
        Default: int32 or int64, whichever holds the spectrum without overflow.

    Examples
    --------
    >>> from featurecheck.numerics.estimators.cube import majority
    >>> truth_table(majority(3)).tolist()
    [1, 1, 1, -1, 1, -1, -1, -1]
    """
    f = _check_function(f)
    n = check_int("n", f.n, 1, MAX_SPECTRUM_N)
    dt = dtype or _dtype_for(n, max(abs(f.a), abs(f.b)))
    out: np.ndarray = np.empty(1 << n, dtype=dt)
    K.truth_table(n, f.fmask, f.flip, f.t, f.a, f.b, f.pmask, out)
    return out


def _run(work: np.ndarray, n: int, parallel: bool, src: np.ndarray | None = None) -> None:
    L, lw, l1 = _plan(n, work.itemsize)
    K.fwht_blocked(work, L, lw, l1, parallel=parallel and work.shape[0] >= K.PARALLEL_MIN, src=src)


def fwht(a: np.ndarray, *, copy: bool = True, parallel: bool = True) -> np.ndarray:
    """Exact unnormalised integer fast Walsh–Hadamard transform of a length-``2^n`` array.

    ``out[S] = sum_x a[x] (-1)^{popcount(x & S)}`` (natural = Hadamard order, bit ``i`` of the index
    is coordinate ``i``); applying it twice gives ``2^n a``.

    Parameters
    ----------
    a : array_like of integers
        One-dimensional, length ``2^n`` with ``0 <= n <= 28``; any integer dtype (not bool).
    copy : bool
        If False and ``a`` is a C-contiguous writeable int32/int64 array wide enough for the result,
        ``a`` is transformed in place and returned; otherwise a new array is returned.
    parallel : bool
        Use all numba threads (the result is identical either way).

    Returns
    -------
    ndarray of int32 or int64
        The input's dtype if it is int32/int64 and cannot overflow, else the narrower of int32 and
        int64 that cannot overflow (``max|a| * 2^n`` bounds every partial sum).

    Raises
    ------
    ValueError
        If ``a`` is not 1-d, its length is not ``2^n`` with ``n <= 28``, its dtype is not an
        integer dtype, or the transform could overflow int64.

    Examples
    --------
    >>> fwht(np.array([1, 0, 0, 0])).tolist()
    [1, 1, 1, 1]
    >>> fwht(np.array([0, 1, 0, 0])).tolist()   # x_0: +1 where bit 0 of S is clear
    [1, -1, 1, -1]
    """
    arr = np.asarray(a)
    if arr.ndim != 1:
        raise ValueError(f"a must be a 1-d array of length 2^n, got shape {arr.shape}")
    size = arr.shape[0]
    if size == 0 or size & (size - 1) or size > 1 << MAX_SPECTRUM_N:
        raise ValueError(
            f"a must have length 2^n with 0 <= n <= {MAX_SPECTRUM_N} (MAX_SPECTRUM_N), got length {size}"
        )
    if arr.dtype == np.bool_ or not np.issubdtype(arr.dtype, np.integer):
        raise ValueError(f"a must have an integer dtype (the transform is exact), got dtype {arr.dtype}")
    n = size.bit_length() - 1
    prefer = arr.dtype if arr.dtype in (np.dtype(np.int32), np.dtype(np.int64)) else None
    info = np.iinfo(arr.dtype)
    dt = np.dtype(_dtype_for(n, 0, prefer, name="a"))
    try:
        settled = dt == np.dtype(_dtype_for(n, max(-int(info.min), int(info.max)), prefer, name="a"))
    except ValueError:
        settled = False
    if not settled:
        # the dtype's range alone does not settle it: read the values (one pass, all threads)
        if arr.flags.c_contiguous and arr.dtype.isnative:
            lo, hi = K.min_max(arr, parallel=parallel)
        else:
            lo, hi = int(arr.min()), int(arr.max())
        dt = np.dtype(_dtype_for(n, max(-lo, hi), prefer, name="a"))
    inplace = (not copy and arr.dtype == dt and arr.flags.c_contiguous and arr.flags.writeable)
    src = None
    if inplace:
        work = arr
    else:
        work = _empty_aligned(size, dt)
        if arr.flags.c_contiguous and arr.dtype in _FUSED_SRC:
            src = arr  # pass 1 copies (and converts) block by block
        else:
            work[:] = arr
    _run(work, n, parallel, src)
    return work


def spectrum(f: Any, *, parallel: bool = True, out: np.ndarray | None = None) -> np.ndarray:
    """Integer Walsh spectrum of ``f`` (raw sums; ``hat f(S) = spectrum[S] / 2^n``), ``n <= 28``.

    Parameters
    ----------
    f : CubeFunction or BooleanFunction
        Majority, threshold, parity, or a product of one of these with parities (``1 <= f.n <= 28``),
        or any :class:`~featurecheck.numerics.estimators.boolean_function.BooleanFunction` (its truth
        table's transform).
    parallel : bool
        Use all numba threads (the result is identical either way).
    out : ndarray, optional
        For a CubeFunction: a writeable C-contiguous int32 or int64 array of length ``2^n`` to
        write the spectrum into (and return); int32 only where the spectrum fits
        (``max|f| * 2^n < 2^31``). Reusing one array skips the page faults of a fresh 512 MiB
        result at ``n = 27``, which on some VMs cost more than the transform itself.

    Returns
    -------
    ndarray of int32 or int64, length ``2^n``
        ``spectrum[S] = sum_x f(x) chi_S(x) = 2^n hat f(S)`` with ``S`` a bit mask.

    Notes
    -----
    Equal to ``fwht(truth_table(f))``, without a truth table: on a block of the low ``L`` bits, ``f``
    depends on the high bits only through their threshold count and parity sign, so the high transform
    is a Krawtchouk combination of at most ``n + 1`` transformed blocks and every output row is ``±``
    one of them or zero (:func:`featurecheck.numerics._kernels.walsh.spectrum_cube`). The result is
    written once and never read: at ``n = 27`` the time is about that of writing 512 MiB.

    Examples
    --------
    >>> from featurecheck.numerics.estimators.cube import majority
    >>> spectrum(majority(3)).tolist()
    [0, 4, 4, 0, 4, 0, 0, -4]
    >>> from featurecheck.numerics.estimators.boolean_function import from_hex
    >>> spectrum(from_hex("0xE8")).tolist() == spectrum(majority(3)).tolist()
    True
    """
    from featurecheck.numerics.estimators.boolean_function import BooleanFunction

    if isinstance(f, BooleanFunction):
        if out is not None:
            raise ValueError("out is supported for a CubeFunction only (a BooleanFunction's walsh() allocates)")
        return f.walsh()
    f = _check_function(f)
    n = check_int("n", f.n, 1, MAX_SPECTRUM_N)
    dt = _dtype_for(n, max(abs(f.a), abs(f.b)))
    if out is None:
        out = _empty_aligned(1 << n, dt)
    elif not (isinstance(out, np.ndarray) and out.ndim == 1 and out.shape[0] == 1 << n
              and out.dtype in (np.dtype(np.int32), np.dtype(np.int64)) and out.flags.c_contiguous
              and out.flags.writeable and out.itemsize >= np.dtype(dt).itemsize):
        raise ValueError(
            f"out must be a writeable C-contiguous array of length 2^{n} = {1 << n} and dtype "
            f"{'int32 or int64' if dt is np.int32 else 'int64'} (allowed for this f), got "
            f"{type(out).__name__} of shape {getattr(out, 'shape', None)} and dtype {getattr(out, 'dtype', None)}"
        )
    L, _, l1 = _plan(n, out.itemsize)
    K.spectrum_cube(out, n, f.fmask, f.flip, f.t, f.a, f.b, f.pmask, L, l1,
                    parallel=parallel and out.shape[0] >= K.PARALLEL_MIN)
    return out


def spectrum_exact(f: CubeFunction) -> list[Fraction]:
    """All coefficients ``hat f(S)`` as Fractions, indexed by the mask of ``S`` (``n <= 16``).

    Examples
    --------
    >>> from featurecheck.numerics.estimators.cube import majority
    >>> [str(c) for c in spectrum_exact(majority(3))]
    ['0', '1/2', '1/2', '0', '1/2', '0', '0', '-1/2']
    """
    f = _check_function(f)
    n = check_int("n", f.n, 1, MAX_EXACT_N)
    return [Fraction(int(v), 1 << n) for v in spectrum(f).tolist()]


def coefficient(spec: np.ndarray, S: int) -> Fraction:
    """``hat f(S)`` from a raw spectrum and the mask of ``S``.

    Examples
    --------
    >>> from featurecheck.numerics.estimators.cube import majority
    >>> coefficient(spectrum(majority(3)), 0b111)
    Fraction(-1, 2)
    """
    spec = _check_spectrum(spec)
    n = spec.shape[0].bit_length() - 1
    S = check_int("S", S, 0, spec.shape[0] - 1)
    return Fraction(int(spec[S]), 1 << n)


def _check_spectrum(spec: object) -> np.ndarray:
    arr = np.asarray(spec)
    size = arr.shape[0] if arr.ndim == 1 else 0
    if arr.ndim != 1 or size == 0 or size & (size - 1) or not np.issubdtype(arr.dtype, np.integer):
        raise ValueError(
            f"spec must be a 1-d integer spectrum of length 2^n, got shape {arr.shape} and dtype {arr.dtype}"
        )
    return arr


def level_values(spec: np.ndarray) -> list[Fraction]:
    """Per-level coefficients ``hat f(k)``, ``k = 0..n``, of a symmetric function's spectrum.

    Checks that every ``S`` with ``|S| = k`` carries the same value (all ``2^n`` entries), and
    returns ``spec[2^k - 1] / 2^n`` for each level ``k``.

    Raises
    ------
    ValueError
        If ``spec`` is not a length-``2^n`` integer array, or some level is not constant (the
        function is not symmetric); the message names the first offending mask.

    Examples
    --------
    >>> from featurecheck.numerics.estimators.cube import majority
    >>> [str(v) for v in level_values(spectrum(majority(5)))]
    ['0', '3/8', '0', '-1/8', '0', '3/8']
    """
    arr = _check_spectrum(spec)
    n = arr.shape[0].bit_length() - 1
    arr = np.ascontiguousarray(arr, dtype=np.int64) if arr.dtype not in (np.int32, np.int64) else \
        np.ascontiguousarray(arr)
    reps = np.array([arr[(1 << k) - 1] for k in range(n + 1)], dtype=arr.dtype)
    bad = int(K.first_level_mismatch(arr, reps))
    if bad >= 0:
        k = bin(bad).count("1")
        raise ValueError(
            f"spec is not symmetric: spec[{bad}] = {int(arr[bad])} but level {k} starts with "
            f"spec[{(1 << k) - 1}] = {int(reps[k])}"
        )
    return [Fraction(int(v), 1 << n) for v in reps.tolist()]
