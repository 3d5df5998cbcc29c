"""Exact Walsh–Hadamard spectra on the Boolean cube.

``spectrum(f)`` returns the raw integer Walsh sums ``sum_x f(x) (-1)^{|x & S|}`` indexed by the mask of
``S`` (bit i = coordinate i); divide by ``2^n`` for ``hat f(S)``. Integer arithmetic, so results are
exact: int32 when ``max|f| * 2^n < 2^31``, int64 when it fits in int64, otherwise a ValueError.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from numerics import _walsh_kernels as K
from numerics.cube import CubeFunction
from theory._validate import check_int

__all__ = ["fwht", "spectrum", "truth_table", "coefficient", "MAX_SPECTRUM_N"]

MAX_SPECTRUM_N = 28


def _dtype_for(n: int, max_abs: int) -> type:
    bound = max(1, int(max_abs)) << n
    if bound < 2**31:
        return np.int32
    if bound < 2**63:
        return np.int64
    raise ValueError(
        f"integer FWHT would overflow int64: max|f| * 2^n = {bound} >= 2^63; "
        "reduce n or the values, or use theory/ exact Python arithmetic"
    )


def truth_table(f: CubeFunction, dtype: type | None = None) -> np.ndarray:
    """Values ``f(x)`` for all ``x < 2^n`` (bit i set <=> x_i = -1), ``n <= 28``.

    Examples
    --------
    >>> from numerics.cube import majority
    >>> truth_table(majority(3)).tolist()
    [1, 1, 1, -1, 1, -1, -1, -1]
    """
    n = check_int("n", f.n, 1, MAX_SPECTRUM_N)
    dt = dtype or _dtype_for(n, max(abs(f.a), abs(f.b)))
    out = np.empty(1 << n, dtype=dt)
    K.truth_table(np.int64(n), np.uint64(f.fmask), np.uint64(f.flip), np.int64(f.t), np.int64(f.a),
                  np.int64(f.b), np.uint64(f.pmask), out)
    return out


def fwht(a: np.ndarray, *, copy: bool = True) -> np.ndarray:
    """Exact unnormalised integer FWHT of a length-``2^n`` integer array.

    Raises ValueError if the length is not a power of two or if int64 could overflow.

    Examples
    --------
    >>> fwht(np.array([1, 0, 0, 0])).tolist()
    [1, 1, 1, 1]
    """
    arr = np.asarray(a)
    if arr.ndim != 1 or arr.size == 0 or arr.size & (arr.size - 1):
        raise ValueError(f"a must be a 1-d array of length 2^n, got shape {arr.shape}")
    if not np.issubdtype(arr.dtype, np.integer):
        raise ValueError(f"a must have an integer dtype (exact transform), got {arr.dtype}")
    n = arr.size.bit_length() - 1
    m = int(np.abs(arr.astype(np.int64)).max()) if arr.size else 0
    dt = _dtype_for(n, m)
    work = arr.astype(dt, copy=True) if (copy or arr.dtype != dt) else arr
    K.fwht_inplace(work)
    return work


def spectrum(f: CubeFunction) -> np.ndarray:
    """Integer Walsh spectrum of ``f`` (raw sums; ``hat f(S) = spectrum[S] / 2^n``), ``n <= 28``.

    Examples
    --------
    >>> from numerics.cube import majority
    >>> spectrum(majority(3)).tolist()
    [0, 4, 4, 0, 4, 0, 0, -4]
    """
    tt = truth_table(f)
    K.fwht_inplace(tt)
    return tt


def coefficient(spec: np.ndarray, S: int) -> Fraction:
    """``hat f(S)`` from a raw spectrum and the mask of ``S``."""
    n = spec.size.bit_length() - 1
    return Fraction(int(spec[S]), 1 << n)
