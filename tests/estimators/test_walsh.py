"""The exact integer Walsh–Hadamard transform and full spectra (featurecheck.numerics.estimators.walsh).

Independent routes for every expected value:

- ``sympy.discrete.transforms.fwht`` (natural = Hadamard order) for small n;
- the O(4^n) definition ``W(S) = sum_x a[x] (-1)^{|x & S|}`` written in pure Python here, n <= 8;
- the closed forms of ``featurecheck.theory.boolean`` (majority / threshold level values, ``threshold_count``),
  with the rules ``hat(f chi_P)(S) = hat f(S xor P)`` and ``hat(f(w o x))(S) = hat f(S) prod_{i in S} w_i``
  applied here, not in the code under test;
- the enumeration kernel of ``featurecheck.numerics.estimators.cube`` (a different kernel summing over all 2^n points);
- the textbook radix-2 kernel ``fwht_reference`` for the blocked kernels' many blockings.

All assertions are exact integer or Fraction equalities: there is no Monte Carlo in this module, so
there is no false-alarm budget (0 statistical checks, false-alarm rate 0). Negative controls show the
comparisons reject a wrong sign, a factor 1.05, the neighbouring level and a swapped bit order.
"""

from __future__ import annotations

import itertools
from dataclasses import replace
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sympy.discrete.transforms import fwht as sympy_fwht

from featurecheck.numerics._kernels import walsh as K
from featurecheck.numerics.estimators.cube import CubeFunction, fourier_coefficient_exact, majority, parity, threshold
from featurecheck.numerics.estimators.walsh import (
    MAX_SPECTRUM_N,
    coefficient,
    fwht,
    level_values,
    spectrum,
    spectrum_exact,
    truth_table,
)
from featurecheck.theory import boolean as B


# ---------------------------------------------------------------- independent references
def brute_walsh(a: list[int]) -> list[int]:
    """Compute the Walsh transform by the definition, O(4^n), pure Python ints."""
    N = len(a)
    return [sum(a[x] * (-1 if bin(x & S).count("1") & 1 else 1) for x in range(N)) for S in range(N)]


def popcounts(n: int) -> np.ndarray:
    return np.array([bin(S).count("1") for S in range(1 << n)], dtype=np.int64)


def expected_symmetric(n: int, levels: list[Fraction], P: int = 0, flip: int = 0) -> list[int]:
    """``2^n hat f(S)`` for ``f = F(w o x) chi_P`` with F symmetric of the given level values."""
    scaled = [v * (1 << n) for v in levels]
    assert all(v.denominator == 1 for v in scaled)
    ints = [int(v) for v in scaled]
    return [-ints[(S ^ P).bit_count()] if ((S ^ P) & flip).bit_count() & 1 else ints[(S ^ P).bit_count()]
            for S in range(1 << n)]


int_arrays = st.integers(0, 7).flatmap(
    lambda n: st.lists(st.integers(-(2**20), 2**20), min_size=1 << n, max_size=1 << n)
)


# ---------------------------------------------------------------- the transform itself
@given(int_arrays)
def test_fwht_matches_definition(a: list[int]) -> None:
    assert fwht(np.array(a, dtype=np.int64)).tolist() == brute_walsh(a)


@given(st.integers(0, 8).flatmap(lambda n: st.lists(st.integers(-1000, 1000), min_size=1 << n, max_size=1 << n)))
def test_fwht_matches_sympy(a: list[int]) -> None:
    # sympy's fwht uses the natural (Hadamard) order: entry (S, x) = (-1)^{popcount(S & x)}
    assert fwht(np.array(a, dtype=np.int32)).tolist() == [int(v) for v in sympy_fwht(a)]


def test_bit_order_is_coordinate_order() -> None:
    # W(S) of the dictator x_i is 2^n at S = {i} only: bit i of the index is coordinate i, and a
    # set bit in x means x_i = -1 (featurecheck.theory.boolean conventions)
    n = 5
    for i in range(n):
        a = np.array([-1 if (x >> i) & 1 else 1 for x in range(1 << n)], dtype=np.int32)
        out = fwht(a)
        assert out[1 << i] == 1 << n and np.count_nonzero(out) == 1
    # the same with sympy on the same indicator vector
    e = [0] * 8
    e[1] = 1
    assert fwht(np.array(e)).tolist() == [int(v) for v in sympy_fwht(e)] == [1, -1, 1, -1, 1, -1, 1, -1]


def test_negative_control_bit_order() -> None:
    # transforming with the bits reversed gives a different array: the cross-checks above can fail
    n = 4
    rng = np.random.default_rng(3)
    a = rng.integers(-5, 6, 1 << n)
    rev = np.array([int(format(x, f"0{n}b")[::-1], 2) for x in range(1 << n)])
    assert fwht(a).tolist() == brute_walsh(a.tolist())
    assert fwht(a[rev]).tolist() != brute_walsh(a.tolist())


@given(int_arrays)
def test_parseval_and_involution(a: list[int]) -> None:
    N = len(a)
    w = fwht(np.array(a, dtype=np.int64))
    assert sum(int(v) ** 2 for v in w) == N * sum(v * v for v in a)
    assert (fwht(w) == N * np.array(a, dtype=np.int64)).all()


@pytest.mark.parametrize("dtype", [np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32])
def test_integer_dtypes(dtype: type) -> None:
    a = np.arange(16, dtype=dtype)
    out = fwht(a)
    assert out.tolist() == brute_walsh(list(range(16)))
    assert out.dtype in (np.int32, np.int64)
    if dtype in (np.int32, np.int64):
        assert out.dtype == dtype  # signed 32/64-bit inputs keep their dtype when it cannot overflow


def test_copy_false_transforms_in_place() -> None:
    a = np.arange(64, dtype=np.int64)
    out = fwht(a, copy=False)
    assert out is a and a.tolist() == brute_walsh(list(range(64)))
    b = np.arange(64, dtype=np.int64)
    fwht(b)
    assert b.tolist() == list(range(64))  # copy=True (default) leaves the input alone


def test_copy_false_on_misaligned_view_uses_plain_stores() -> None:
    # a view one element into a buffer is not 64-byte aligned: pass 2 must fall back to ordinary stores
    n = 19
    raw = np.zeros((1 << n) + 1, dtype=np.int32)
    rng = np.random.default_rng(0)
    raw[1:] = rng.integers(-3, 4, 1 << n)
    view = raw[1:]
    ref = view.copy()
    K.fwht_reference(ref)
    out = fwht(view, copy=False)
    assert out is view and view.ctypes.data % 64 != 0 and np.array_equal(view, ref)


def test_strided_and_read_only_inputs() -> None:
    base = np.arange(128, dtype=np.int32)
    assert fwht(base[::2]).tolist() == brute_walsh(list(range(0, 128, 2)))
    ro = np.arange(16, dtype=np.int64)
    ro.flags.writeable = False
    out = fwht(ro, copy=False)  # cannot transform in place: a new array, input untouched
    assert out is not ro and out.tolist() == brute_walsh(list(range(16))) and ro.tolist() == list(range(16))
    assert fwht([1, 2, 3, 4]).tolist() == brute_walsh([1, 2, 3, 4])


def test_length_one_is_identity() -> None:
    assert fwht(np.array([7])).tolist() == [7]


# ---------------------------------------------------------------- blocked kernels: every blocking
@pytest.mark.parametrize("dtype", [np.int32, np.int64])
def test_blocked_equals_reference_for_all_blockings(dtype: type) -> None:
    rng = np.random.default_rng(1)
    for n in range(0, 11):
        a = rng.integers(-3, 4, 1 << n).astype(dtype)
        ref = a.copy()
        K.fwht_reference(ref)
        assert ref.tolist() == (brute_walsh(a.tolist()) if n <= 6 else ref.tolist())
        for L in range(0, n + 1):
            for lw in range(0, L + 1):
                for l1 in (0, 3, 6):
                    for threads in (1, 3):
                        y = a.copy()
                        K.fwht_blocked(y, L, lw, l1, parallel=threads > 1, threads=threads)
                        assert np.array_equal(y, ref), (n, L, lw, l1, threads)
                        z = np.zeros_like(a)  # pass 1 copying block by block from a source array
                        K.fwht_blocked(z, L, lw, l1, parallel=threads > 1, threads=threads, src=a)
                        assert np.array_equal(z, ref), (n, L, lw, l1, threads, "src")


@pytest.mark.parametrize("n", [18, 19, 20])
def test_parallel_equals_serial_default_plan(n: int) -> None:
    # n > 17 (int32) / n > 16 (int64): both passes run with the production blocking
    rng = np.random.default_rng(n)
    for dtype in (np.int32, np.int64):
        a = rng.integers(-(2**9), 2**9, 1 << n).astype(dtype)
        par = fwht(a, parallel=True)
        ser = fwht(a, parallel=False)
        ref = a.copy()
        K.fwht_reference(ref)
        assert np.array_equal(par, ser) and np.array_equal(par, ref)
        f = threshold(n, 2, weights=[(-1) ** (i // 3) for i in range(n)]).times_parity([1, n - 2])
        assert np.array_equal(spectrum(f, parallel=True), spectrum(f, parallel=False))


def test_spectrum_cube_many_blockings_and_threads() -> None:
    n = 11
    f = threshold(n, -1, weights=[(-1) ** i for i in range(n)]).times_parity([0, 3, 10])
    ref = truth_table(f)
    K.fwht_reference(ref)
    for L in range(0, n + 1):
        for l1 in (0, 3, 11):
            for threads in (1, 2, 5):
                out = np.empty(1 << n, dtype=np.int32)
                K.spectrum_cube(out, n, f.fmask, f.flip, f.t, f.a, f.b, f.pmask, L, l1,
                                parallel=threads > 1, threads=threads)
                assert np.array_equal(out, ref), (L, l1, threads)


def test_spectrum_cube_int64_values_and_misaligned_rows() -> None:
    # values near 2^52 (int64 result; the Krawtchouk sums wrap mod 2^64 in between) and an output
    # that is not 64-byte aligned (plain stores instead of streaming ones)
    # and a threshold of only some coordinates (the rows whose mask leaves them are zero)
    n = 10
    f = CubeFunction(n, fmask=0b1011011010, flip=0b0010001000, t=2, a=3 * 2**40 + 1, b=-(2**41) - 7,
                     pmask=0b0100000010)
    ref = truth_table(f)
    assert ref.dtype == np.int64
    K.fwht_reference(ref)
    raw = np.empty((1 << n) + 1, dtype=np.int64)
    for L in (0, 2, 5, 10):
        out = raw[1:]
        K.spectrum_cube(out, n, f.fmask, f.flip, f.t, f.a, f.b, f.pmask, L, 3, parallel=True, threads=2)
        assert np.array_equal(out, ref), L
        assert np.array_equal(spectrum(f), ref)


@given(st.integers(1, 9).flatmap(lambda n: st.tuples(
    st.just(n), st.integers(0, (1 << n) - 1), st.integers(0, (1 << n) - 1), st.integers(-1, n),
    st.integers(-(2**20), 2**20), st.integers(-(2**20), 2**20), st.integers(0, (1 << n) - 1), st.integers(0, n))))
def test_spectrum_cube_equals_the_definition(case: tuple[int, int, int, int, int, int, int, int]) -> None:
    # any cube function (partial threshold mask, flips, parity factor, any two values) at any split L,
    # against the character sums of its pointwise values
    n, fmask, flip, t, a, b, pmask, L = case
    f = CubeFunction(n, fmask=fmask, flip=flip, t=t, a=a, b=b, pmask=pmask)
    values = [f.evaluate([-1 if x >> i & 1 else 1 for i in range(n)]) for x in range(1 << n)]
    out = np.empty(1 << n, dtype=np.int64)
    K.spectrum_cube(out, n, fmask, flip, t, a, b, pmask, L, 2, parallel=False)
    assert out.tolist() == brute_walsh(values)


def test_krawtchouk_is_the_character_sum_over_a_level() -> None:
    for m in range(0, 7):
        kr = K.krawtchouk_table(m)
        for u in range(1 << m):
            for w in range(m + 1):
                direct = sum((-1) ** (u & y).bit_count() for y in range(1 << m) if y.bit_count() == w)
                assert kr[u.bit_count(), w] == direct, (m, u, w)


# ---------------------------------------------------------------- kernels vs their .py_func
def _pairs(dtype: type, n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    a = np.random.default_rng(seed).integers(-9, 10, 1 << n).astype(dtype)
    return a.copy(), a.copy()


@pytest.mark.parametrize("dtype", [np.int32, np.int64])
def test_leaf_kernels_match_py_func(dtype: type) -> None:
    i64 = np.int64
    for name, args in [("_low3", (i64(0), i64(64))), ("_mid3", (i64(0), i64(64))), ("_r2", (i64(0), i64(64), i64(4))),
                       ("_r4", (i64(0), i64(64), i64(2))), ("_r8", (i64(0), i64(64), i64(1))), ("_bits", (i64(0), i64(0), i64(6)))]:
        x, y = _pairs(dtype, 6, 7)
        getattr(K, name)(x, *args)
        getattr(K, name).py_func(y, *args)
        assert np.array_equal(x, y), name
    x, y = _pairs(dtype, 6, 8)
    K.fwht_reference(x)
    K.fwht_reference.py_func(y)
    assert np.array_equal(x, y)
    # the block and tile drivers (L = 4, lw = 3, l1 = 2 on 2^7 = 8 x 16; streaming or plain stores)
    for off in (0, 1):
        raw_x, raw_y = _pairs(dtype, 8, 9 + off)
        x, y = raw_x[off:off + 128], raw_y[off:off + 128]
        src = x.copy()
        for kern, args in ((K._blocks_range, (src, x, i64(4), i64(0), i64(2), True, i64(1), i64(7))),
                           (K._pass2_range, (x, i64(4), i64(3), i64(2), i64(0), i64(2)))):
            kern(*args)
            kern.py_func(*((y if v is x else v) for v in args))
            assert np.array_equal(x, y), kern


def test_cube_kernels_match_py_func() -> None:
    n = 6
    f = threshold(n, 1, weights=[1, -1, 1, 1, -1, 1]).times_parity([2, 5])
    i64, U = np.int64, np.uint64
    low = (1 << 3) - 1
    tx, ty = np.empty((n + 1, 8), np.int32), np.empty((n + 1, 8), np.int32)
    args = (i64(3), U(f.fmask & low), U(f.flip & low), i64(f.t), i64(f.a), i64(f.b), U(f.pmask & low), i64(2))
    K.cube_table(*args, tx, i64(0), i64(n + 1))
    K.cube_table.py_func(*args, ty, i64(0), i64(n + 1))
    assert np.array_equal(tx, ty)
    kr = K.krawtchouk_table(3)
    rx, ry = np.zeros((9, 8), np.int32), np.zeros((9, 8), np.int32)
    K.level_rows(tx[:4], kr, i64(1), rx, i64(0), i64(4))
    K.level_rows.py_func(ty[:4], kr, i64(1), ry, i64(0), i64(4))
    assert np.array_equal(rx, ry) and rx.any()
    ox, oy = np.zeros(1 << n, np.int32), np.zeros(1 << n, np.int32)
    # the 8 rows of the 8 x 8 view: L = 3, high masks of f
    hargs = (i64(3), rx, U((f.fmask >> 3) & 7), U(~(f.fmask >> 3) & 7), U(f.pmask >> 3), U((f.flip >> 3) & (f.fmask >> 3)))
    K._high_rows_range(ox, *hargs, i64(0), i64(8))
    K._high_rows_range.py_func(oy, *hargs, i64(0), i64(8))
    assert np.array_equal(ox, oy) and ox.any()
    tt_x, tt_y = np.empty(1 << n, np.int32), np.empty(1 << n, np.int32)
    targs = (i64(n), U(f.fmask), U(f.flip), i64(f.t), i64(f.a), i64(f.b), U(f.pmask))
    K._truth_table_range(*targs, tt_x, i64(0), i64(1 << n))
    K._truth_table_range.py_func(*targs, tt_y, i64(0), i64(1 << n))
    assert np.array_equal(tt_x, tt_y)
    assert tt_x.tolist() == [f.evaluate([-1 if (x >> i) & 1 else 1 for i in range(n)]) for x in range(1 << n)]


# ---------------------------------------------------------------- full spectra vs closed forms
odd_n = st.integers(0, 7).map(lambda j: 2 * j + 1)
thetas = st.one_of(st.integers(-17, 17), st.fractions(min_value=-17, max_value=17, max_denominator=5))


@given(odd_n, st.data())
def test_majority_spectrum_equals_closed_form(n: int, data: st.DataObject) -> None:
    P = data.draw(st.integers(0, (1 << n) - 1), label="parity mask")
    f = majority(n).times_parity(P)
    want = expected_symmetric(n, B.majority_levels(n), P=P)
    assert spectrum(f).tolist() == want
    if P == 0:
        assert level_values(spectrum(f)) == B.majority_levels(n)


@given(st.integers(1, 16), thetas, st.booleans(), st.data())
def test_threshold_spectrum_equals_closed_form(n: int, theta: Fraction, pm: bool, data: st.DataObject) -> None:
    flip = data.draw(st.integers(0, (1 << n) - 1), label="flipped weights")
    P = data.draw(st.integers(0, (1 << n) - 1), label="parity mask")
    w = [-1 if (flip >> i) & 1 else 1 for i in range(n)]
    f = threshold(n, theta, pm=pm, weights=w).times_parity(P)
    spec = spectrum(f)
    assert spec.tolist() == expected_symmetric(n, B.threshold_levels(n, theta, pm=pm), P=P, flip=flip)
    # Parseval with an independent count: sum_S W(S)^2 = 2^n sum_x f(x)^2
    ones = B.threshold_count(n, theta)
    sq = (1 << n) if pm else ones
    assert sum(int(v) ** 2 for v in spec.tolist()) == (1 << n) * sq


@given(st.integers(1, 16), st.data())
def test_parity_spectrum_is_a_delta(n: int, data: st.DataObject) -> None:
    S = data.draw(st.integers(0, (1 << n) - 1))
    spec = spectrum(parity(n, S))
    assert spec[S] == 1 << n and np.count_nonzero(spec) == 1


@pytest.mark.parametrize("n", [17, 19, 21])
def test_large_majority_level_values(n: int) -> None:
    # both passes of the fused kernel, checked against the closed form on every coefficient
    spec = spectrum(majority(n))
    levels = B.majority_levels(n)
    want = np.array([int(levels[k] * (1 << n)) for k in range(n + 1)], dtype=np.int64)[popcounts(n)]
    assert np.array_equal(spec, want)
    assert level_values(spec) == levels


def test_spectrum_agrees_with_enumeration_kernel() -> None:
    f = threshold(12, 3, weights=[1, -1] * 6).times_parity([0, 7])
    spec = spectrum(f)
    for S in (0, 1, 0b101, 0b100010000001, (1 << 12) - 1):
        assert coefficient(spec, S) == fourier_coefficient_exact(f, S)


def test_spectrum_exact_and_negative_controls() -> None:
    n = 5
    exact = spectrum_exact(majority(n))
    levels = B.majority_levels(n)
    assert exact == [levels[bin(S).count("1")] for S in range(1 << n)]
    wrong = [
        [-levels[bin(S).count("1")] for S in range(1 << n)],  # wrong sign
        [levels[bin(S).count("1")] * Fraction(21, 20) for S in range(1 << n)],  # factor 1.05
        [levels[min(n, bin(S).count("1") + 2)] for S in range(1 << n)],  # next odd level
    ]
    for w in wrong:
        assert exact != w
    assert level_values(spectrum(majority(n))) != B.majority_levels(n + 2)[: n + 1]


# ---------------------------------------------------------------- guards and bad input
def test_overflow_guard() -> None:
    assert fwht(np.array([2**30, 2**30], dtype=np.int32)).tolist() == [2**31, 0]  # promoted to int64
    with pytest.raises(ValueError, match=r"^a: integer FWHT would overflow int64"):
        fwht(np.array([2**62, 0], dtype=np.int64))
    assert fwht(np.full(1 << 4, 2**58, dtype=np.int64)).tolist() == [2**62] + [0] * 15  # 2^62 fits
    with pytest.raises(ValueError, match=r"^a: integer FWHT would overflow int64"):
        fwht(np.full(1 << 4, 2**59, dtype=np.int64))  # 2^63: off by one bit
    with pytest.raises(ValueError, match=r"^a: integer FWHT would overflow int64"):
        fwht(np.array([2**64 - 1, 0], dtype=np.uint64))
    big = majority(9)
    with pytest.raises(ValueError, match=r"^f: integer FWHT would overflow int64"):
        spectrum(replace(big, a=2**60, b=-(2**60)))  # 2^60 * 2^9 >= 2^63


@pytest.mark.parametrize("bad", [np.zeros(3, np.int32), np.zeros(12, np.int64), np.zeros(0, np.int32)])
def test_bad_length(bad: np.ndarray) -> None:
    with pytest.raises(ValueError, match=r"^a must have length 2\^n"):
        fwht(bad)


def test_bad_inputs_name_the_parameter() -> None:
    with pytest.raises(ValueError, match=r"^a must have an integer dtype.*float64"):
        fwht(np.zeros(8))
    with pytest.raises(ValueError, match=r"^a must have an integer dtype.*bool"):
        fwht(np.zeros(8, dtype=bool))
    with pytest.raises(ValueError, match=r"^a must be a 1-d array"):
        fwht(np.zeros((4, 4), dtype=np.int32))
    # n = 29 > MAX_SPECTRUM_N, without allocating 2^29 elements (zero-stride view)
    huge = np.broadcast_to(np.int8(0), (1 << (MAX_SPECTRUM_N + 1),))
    with pytest.raises(ValueError, match=rf"^a must have length 2\^n with 0 <= n <= {MAX_SPECTRUM_N}"):
        fwht(huge)
    with pytest.raises(ValueError, match=r"^n must be an integer in \[1, 28\], got 29"):
        spectrum(majority(29))
    with pytest.raises(ValueError, match=r"^n must be an integer in \[1, 28\]"):
        truth_table(threshold(30, 0))
    with pytest.raises(ValueError, match=r"^f must be a CubeFunction"):
        spectrum(np.ones(8, dtype=np.int32))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"^n must be an integer in \[1, 16\]"):
        spectrum_exact(majority(17))
    with pytest.raises(ValueError, match=r"^S must be an integer in \[0, 7\]"):
        coefficient(spectrum(majority(3)), 8)
    with pytest.raises(ValueError, match=r"^spec must be a 1-d integer spectrum"):
        level_values(np.zeros(6, dtype=np.int32))


def test_level_values_rejects_asymmetric_spectrum() -> None:
    spec = spectrum(threshold(6, 1).times_parity([0]))
    with pytest.raises(ValueError, match=r"^spec is not symmetric: spec\[2\] = 2 but level 1"):
        level_values(spec)
    # and a single perturbed coefficient deep in the array is found
    spec = spectrum(majority(9))
    spec[0b101010100] += 1
    with pytest.raises(ValueError, match=r"spec\[340\]"):
        level_values(spec)


def test_first_level_mismatch_over_ranges() -> None:
    # the smallest mismatching mask across the per-thread ranges (n = 17 >= PARALLEL_MIN: one range
    # per numba thread), against numpy's first index of spec != reps[|S|]
    n = 17
    spec = spectrum(majority(n)).astype(np.int64)
    reps = np.array([spec[(1 << k) - 1] for k in range(n + 1)], dtype=np.int64)
    for parallel in (False, True):
        assert K.first_level_mismatch(spec, reps, parallel=parallel) == -1
    for bad in ([(1 << n) - 2], [(1 << n) - 2, 3 << 15], [5, (1 << n) - 2]):
        s = spec.copy()
        s[bad] += 1
        want = int(np.flatnonzero(s != reps[popcounts(n)])[0])
        assert want == min(bad)
        for parallel in (False, True):
            assert K.first_level_mismatch(s, reps, parallel=parallel) == want, (bad, parallel)


def test_small_n_all_functions_exhaustive() -> None:
    # every n <= 3 threshold with every theta, weight pattern and parity: definition vs spectrum
    for n in range(1, 4):
        for theta, flip, P in itertools.product(range(-n - 1, n + 2), range(1 << n), range(1 << n)):
            w = [-1 if (flip >> i) & 1 else 1 for i in range(n)]
            f = threshold(n, theta, pm=True, weights=w).times_parity(P)
            assert spectrum(f).tolist() == brute_walsh(truth_table(f).tolist())


# ---------------------------------------------------------------- narrow inputs, the value scan, out=
@pytest.mark.parametrize(("src_dtype", "dst_dtype"), [(np.int8, np.int32), (np.int16, np.int32), (np.uint8, np.int32),
                                                      (np.int64, np.int32), (np.int16, np.int64)])
def test_blocked_pass1_converts_the_source(src_dtype: type, dst_dtype: type) -> None:
    # pass 1 reading (and converting) a source of another integer dtype, every blocking: equal to
    # the textbook kernel on an array converted by numpy beforehand
    rng = np.random.default_rng(11)
    for n in range(0, 9):
        a = rng.integers(0 if src_dtype is np.uint8 else -100, 101, 1 << n).astype(src_dtype)
        ref = a.astype(dst_dtype)
        K.fwht_reference(ref)
        for L in range(0, n + 1):
            for lw in range(0, L + 1):
                for threads in (1, 3):
                    z = np.zeros(1 << n, dtype=dst_dtype)
                    K.fwht_blocked(z, L, lw, 3, parallel=threads > 1, threads=threads, src=a)
                    assert np.array_equal(z, ref), (n, L, lw, threads)


def test_min_max_kernel() -> None:
    rng = np.random.default_rng(5)
    for dtype in (np.int8, np.int32, np.int64, np.uint16):
        info = np.iinfo(dtype)
        a = rng.integers(info.min, int(info.max) + 1, (1 << 17) + 3, dtype=dtype)
        for parallel in (False, True):
            assert K.min_max(a, parallel=parallel) == (int(a.min()), int(a.max()))
        out, out_py = np.empty(2, dtype=dtype), np.empty(2, dtype=dtype)
        K._minmax_range(a, out, np.int64(7), np.int64(1000))
        K._minmax_range.py_func(a, out_py, np.int64(7), np.int64(1000))
        assert out.tolist() == out_py.tolist() == [int(a[7:1000].min()), int(a[7:1000].max())]


def test_int32_boundary_widens() -> None:
    # 16 equal values m: W(0) = 16 m, every other entry 0. 16 * 2^27 = 2^31 does not fit int32
    m = 2**27
    out = fwht(np.full(16, m - 1, dtype=np.int32))
    assert out.dtype == np.int32 and out.tolist() == [16 * (m - 1)] + [0] * 15
    out = fwht(np.full(16, m, dtype=np.int32))
    assert out.dtype == np.int64 and out.tolist() == [2**31] + [0] * 15


def test_int8_table_dtype_follows_the_values() -> None:
    # n = 24: int8's range alone (128 * 2^24 = 2^31) does not settle int32, so the values are read
    n = 24
    a = np.ones(1 << n, dtype=np.int8)
    a[1::2] = -1  # the dictator x_0: W = 2^n at S = {0}
    out = fwht(a)
    assert out.dtype == np.int32 and int(out[1]) == 1 << n and np.count_nonzero(out) == 1
    a[0] = -128  # now max|a| 2^n = 2^31: int64, and W(S) moves by -129 (-1)^0 = -129 everywhere
    out = fwht(a)
    assert out.dtype == np.int64 and int(out[0]) == -129 and int(out[1]) == (1 << n) - 129
    assert int(out[2]) == -129
    # a small int8 table (n <= 23) needs no scan and is int32
    assert fwht(np.full(8, -128, dtype=np.int8)).tolist() == [-1024] + [0] * 7


def test_spectrum_into_out() -> None:
    n = 19
    f = threshold(n, 3, pm=True, weights=[(-1) ** (i // 2) for i in range(n)]).times_parity([0, 5])
    ref = truth_table(f)
    K.fwht_reference(ref)
    for dtype in (np.int32, np.int64):
        out = np.full(1 << n, 7, dtype=dtype)
        res = spectrum(f, out=out)
        assert res is out and np.array_equal(out, ref)
    with pytest.raises(ValueError, match=r"^out must be a writeable C-contiguous array of length 2\^19"):
        spectrum(f, out=np.zeros(1 << 18, dtype=np.int32))
    with pytest.raises(ValueError, match=r"^out must be"):
        spectrum(f, out=np.zeros(1 << n, dtype=np.float64))
    with pytest.raises(ValueError, match=r"^out must be"):
        spectrum(f, out=np.zeros(2 << n, dtype=np.int32)[::2])
    # |f| = 2^13: 2^13 * 2^19 = 2^32 needs int64, so an int32 out is refused before any kernel runs
    g = replace(majority(n), a=2**13, b=-(2**13))
    with pytest.raises(ValueError, match=r"dtype int64 \(allowed for this f\)"):
        spectrum(g, out=np.zeros(1 << n, dtype=np.int32))


def test_large_results_are_aligned() -> None:
    from featurecheck.numerics.estimators.walsh import _empty_aligned

    for size, dtype in ((1 << 21, np.int32), (1 << 20, np.int64), (1000, np.int32)):
        a = _empty_aligned(size, dtype)
        a[:] = 3
        assert a.shape == (size,) and a.dtype == dtype and a.ctypes.data % 64 == 0 and int(a.sum()) == 3 * size


def test_non_native_byte_order() -> None:
    for dt in (">i2", ">i4", ">i8"):
        assert fwht(np.arange(16, dtype=dt)).tolist() == brute_walsh(list(range(16)))


@pytest.mark.parametrize("dtype", [np.int32, np.int64])
def test_low3_vector_kernel_contiguous_and_strided(dtype: type) -> None:
    # the <8 x iN> shuffle kernel (contiguous) and its element-wise twin (strided views) against
    # the textbook kernel applied to each group of 8
    a = np.random.default_rng(2).integers(-99, 100, 256).astype(dtype)
    ref = a.copy()
    for q in range(32):
        g = ref[8 * q:8 * q + 8].copy()
        K.fwht_reference(g)
        ref[8 * q:8 * q + 8] = g
    x = a.copy()
    K._low3(x, np.int64(8), np.int64(256))
    assert np.array_equal(x[8:], ref[8:]) and np.array_equal(x[:8], a[:8])  # group 0 untouched
    raw = np.zeros(512, dtype=dtype)
    view = raw[::2]  # non-contiguous
    view[:] = a
    K._low3(view, np.int64(0), np.int64(256))
    assert np.array_equal(view, ref) and not raw[1::2].any()
