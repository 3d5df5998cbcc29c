"""Closed forms of featurecheck.theory.boolean pinned to exact enumeration and to second closed forms.

Every expected value here comes from an independent route: a pure-Python brute force over
{-1,1}^n written in this file, the numba enumeration of featurecheck.numerics.estimators.cube, sympy's own binomials, or a
literature value (O'Donnell 2014, with the equation). No Monte Carlo: all assertions are exact, so
there is no false-alarm budget to state in this module.
"""

from __future__ import annotations

import itertools
import math
from fractions import Fraction

import pytest
import sympy as sp
from common.brute import brute_coefficient, maj
from hypothesis import given
from hypothesis import strategies as st

from featurecheck.numerics.estimators.cube import fourier_coefficient_exact, majority, threshold
from featurecheck.theory import boolean as B


def test_majority_3_orientation_literature() -> None:
    # O'Donnell (2014), eq. (1.4): Maj_3(x) = x1/2 + x2/2 + x3/2 - x1 x2 x3 / 2
    assert [B.majority_coefficient(3, k) for k in range(4)] == [0, Fraction(1, 2), 0, Fraction(-1, 2)]


@given(st.integers(0, 4).map(lambda j: 2 * j + 1), st.data())
def test_majority_matches_python_brute_force(n: int, data: st.DataObject) -> None:
    k = data.draw(st.integers(0, n))
    assert B.majority_coefficient(n, k) == brute_coefficient(maj, n, k)


@given(st.integers(0, 10).map(lambda j: 2 * j + 1), st.data())
def test_majority_matches_numba_enumeration(n: int, data: st.DataObject) -> None:
    k = data.draw(st.integers(0, n))
    assert B.majority_coefficient(n, k) == fourier_coefficient_exact(majority(n), range(k))


thetas = st.one_of(
    st.integers(-25, 25),
    st.fractions(min_value=-25, max_value=25, max_denominator=7),
    st.floats(min_value=-25, max_value=25, allow_nan=False, allow_infinity=False),
)


@given(st.integers(1, 9), thetas, st.data())
def test_threshold_matches_python_brute_force(n: int, theta, data: st.DataObject) -> None:
    k = data.draw(st.integers(0, n))
    th = Fraction(theta)
    assert B.threshold_coefficient(n, theta, k) == brute_coefficient(lambda x: int(sum(x) >= th), n, k)


@given(st.integers(1, 21), thetas, st.data())
def test_threshold_matches_numba_enumeration(n: int, theta, data: st.DataObject) -> None:
    k = data.draw(st.integers(0, n))
    assert B.threshold_coefficient(n, theta, k) == fourier_coefficient_exact(threshold(n, theta), range(k))


@given(st.integers(1, 12), thetas, st.data())
def test_threshold_pm_version(n: int, theta, data: st.DataObject) -> None:
    k = data.draw(st.integers(0, n))
    th = Fraction(theta)
    expect = brute_coefficient(lambda x: 1 if sum(x) >= th else -1, n, k)
    assert B.threshold_coefficient(n, theta, k, pm=True) == expect


@given(st.integers(0, 300).map(lambda j: 2 * j + 1))
def test_majority_levels_recurrence_equals_closed_form(n: int) -> None:
    levels = B.majority_levels(n)
    for k in sorted({1, 2, 3, n // 2, n} & set(range(n + 1))):
        assert levels[k] == B.majority_coefficient(n, k)


@pytest.mark.parametrize("n,k", [(2001, 1), (2001, 7), (4097, 5), (10001, 3)])
def test_majority_large_n_against_sympy_binomials(n: int, k: int) -> None:
    # the theory reference's binomial form, evaluated by sympy (a different code path)
    j, m = (k - 1) // 2, (n - 1) // 2
    expect = sp.Integer(-1) ** j * sp.binomial(m, j) / sp.binomial(n - 1, 2 * j) * sp.Rational(2) ** (1 - n) * sp.binomial(n - 1, m)
    got = B.majority_coefficient(n, k)
    assert sp.Rational(got.numerator, got.denominator) == expect


def test_majority_one_million_is_fast_and_consistent() -> None:
    n = 10**6 + 1
    c1 = B.majority_coefficient(n, 1)
    c3 = B.majority_coefficient(n, 3)
    # ratio of consecutive odd levels: c_{j+1} / c_j = -(2j+1)/(n-2j-2) at j = 0
    assert c3 / c1 == Fraction(-1, n - 2)
    # level 1 equals the influence, C(n-1, m)/2^{n-1} (O'Donnell Thm 2.33)
    assert c1 == B.majority_influence(n)


def test_threshold_large_n_against_python_sum() -> None:
    n, theta, k = 3001, 17, 4
    w = B._threshold_w(n, Fraction(theta))
    direct = sum((-1) ** j * math.comb(k - 1, j) * math.comb(n - k, w - j) for j in range(k))
    assert B.threshold_coefficient(n, theta, k) == Fraction(direct, 2**n)
    # and a brute-force-free identity: 1[sum >= theta] = (1 + sign)/2 agrees with majority at theta = 0, n odd
    assert B.threshold_coefficient(n, 0, 3) == B.majority_coefficient(n, 3) / 2


@given(st.integers(0, 40).map(lambda j: 2 * j + 1), st.data())
def test_level_symmetry(n: int, data: st.DataObject) -> None:
    k = data.draw(st.integers(1, n))
    assert abs(B.majority_coefficient(n, k)) == abs(B.majority_coefficient(n, n + 1 - k))


@given(st.integers(1, 14), thetas)
def test_parseval_threshold(n: int, theta) -> None:
    th = Fraction(theta)
    mean = Fraction(sum(1 for x in itertools.product((1, -1), repeat=n) if sum(x) >= th), 2**n)
    assert B.parseval_sum(B.threshold_levels(n, theta)) == mean  # f^2 = f for 0/1 f


@pytest.mark.parametrize("n", [1, 3, 5, 9, 21, 101, 1001])
def test_parseval_majority(n: int) -> None:
    assert B.parseval_sum(B.majority_levels(n)) == 1


@pytest.mark.parametrize("n", [1, 3, 5, 7, 9, 11])
def test_influence_and_total_influence_by_flipping(n: int) -> None:
    # Inf_0 = Pr[Maj(x) != Maj(x with x_0 flipped)], by enumeration
    flips = sum(1 for x in itertools.product((1, -1), repeat=n) if maj(x) != maj((-x[0],) + x[1:]))
    inf = Fraction(flips, 2**n)
    levels = B.majority_levels(n)
    assert B.influences(levels, n) == inf == B.majority_influence(n)
    assert B.total_influence(levels) == n * inf


@pytest.mark.parametrize("n", [1, 3, 5])
@pytest.mark.parametrize("rho", [Fraction(1, 2), Fraction(-1, 3), Fraction(9, 10)])
def test_noise_stability_against_pair_enumeration(n: int, rho: Fraction) -> None:
    # E[f(x) f(y)], y_i = x_i w.p. (1+rho)/2, enumerating x and y
    p_same = (1 + rho) / 2
    total = Fraction(0)
    for x in itertools.product((1, -1), repeat=n):
        for y in itertools.product((1, -1), repeat=n):
            same = sum(a == b for a, b in zip(x, y, strict=True))
            total += maj(x) * maj(y) * p_same**same * (1 - p_same) ** (n - same)
    total /= 2**n
    poly = B.noise_stability(B.majority_levels(n))
    assert poly.eval(sp.Rational(rho.numerator, rho.denominator)) == sp.Rational(total.numerator, total.denominator)


@pytest.mark.parametrize("k", [1, 3, 5, 7])
def test_symbolic_coefficient_expression(k: int) -> None:
    e = B.majority_coefficient_expr(k)
    for n in (k if k % 2 else k + 1, 2 * k + 1, 4 * k + 3):
        val = sp.nsimplify(sp.gammasimp(e.subs(B.N_SYM, n)))
        got = B.majority_coefficient(n, k)
        assert val == sp.Rational(got.numerator, got.denominator)
    assert "\\Gamma" in sp.latex(e)


def test_level_weight_limit_formula_literature_values() -> None:
    # O'Donnell (2014) Thm 5.22 / Ex. 5.9: W^1 -> 2/pi, W^3 -> 1/(3 pi)
    assert B.majority_level_weight_limit_formula(1) == 2 / sp.pi
    assert B.majority_level_weight_limit_formula(3) == 1 / (3 * sp.pi)


def test_influences_refuses_a_per_set_spectrum() -> None:
    # was: a Walsh spectrum indexed by set (2^n values) was read as 2^n levels, giving a wrong number
    n = 3
    by_set = [brute_set_coefficient(n, S) for S in range(2**n)]
    with pytest.raises(ValueError, match=r"^levels must hold the n\+1 = 4 per-level values .* got 8 values"):
        B.influences(by_set, n)
    with pytest.raises(ValueError, match=r"^levels must hold the n\+1 = 6"):
        B.influences(B.majority_levels(3), 5)
    with pytest.raises(ValueError, match=r"^levels\[1\] must be a rational number"):
        B.influences([0, "x", 0, 0], 3)
    with pytest.raises(ValueError, match=r"^levels must be a sequence"):
        B.influences({0: 0, 1: 1}, 1)
    with pytest.raises(ValueError, match=r"^n must be an integer"):
        B.influences([0, 1], 0)
    levels = [by_set[(1 << k) - 1] for k in range(n + 1)]  # one set of each size
    assert B.influences(levels, n) == Fraction(1, 2)  # Maj_3: the other two disagree w.p. 1/2


def brute_set_coefficient(n: int, S: int) -> Fraction:
    tot = 0
    for x in itertools.product((1, -1), repeat=n):
        tot += maj(x) * math.prod(x[i] for i in range(n) if S >> i & 1)
    return Fraction(tot, 2**n)


@pytest.mark.parametrize("call,param", [
    (lambda: B.majority_coefficient(4, 1), "n"),
    (lambda: B.majority_coefficient(5, 6), "k"),
    (lambda: B.majority_coefficient(0, 0), "n"),
    (lambda: B.majority_coefficient("x", 1), "n"),
    (lambda: B.threshold_coefficient(5, "abc", 1), "theta"),
    (lambda: B.threshold_coefficient(5, float("nan"), 1), "theta"),
    (lambda: B.threshold_coefficient(5, 1, -1), "k"),
    (lambda: B.majority_coefficient(10**8 + 1, 1), "n"),
])
def test_bad_inputs_name_the_parameter(call, param: str) -> None:
    with pytest.raises(ValueError, match=rf"^{param} "):
        call()


@pytest.mark.parametrize("n", [4097, 4099, 6001, 20001])
@pytest.mark.parametrize("k", [1, 3, 5, 9, 101])
def test_majority_coefficient_large_n_matches_math_comb(n: int, k: int) -> None:
    # O'Donnell (2014), Thm 5.19, evaluated independently with math.comb (the library uses GMP or prime exponents)
    j, m = (k - 1) // 2, (n - 1) // 2
    ref = Fraction((-1) ** j * math.comb(n - 1, m) * math.comb(m, j), math.comb(n - 1, 2 * j) * 2 ** (n - 1))
    assert B.majority_coefficient(n, k) == ref


def test_binomial_ratio_with_and_without_gmpy2(monkeypatch: pytest.MonkeyPatch) -> None:
    from featurecheck.theory import _exact as E

    args = ([(9000, 4500), (4500, 7)], [(9000, 14)], -8999)
    with_gmp = E.binomial_ratio(*args)
    monkeypatch.setattr(E, "_gmpy2", lambda: None)  # the pure-Python route (prime exponents)
    assert E.binomial_ratio(*args) == with_gmp
    assert with_gmp == Fraction(math.comb(9000, 4500) * math.comb(4500, 7), math.comb(9000, 14) * 2**8999)
