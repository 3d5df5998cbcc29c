"""Exact tests of featurecheck.theory.relu against independent routes (Barak et al. 2022, Sec. 4.1).

Independent routes used here: plain-Python enumeration of {-1,1}^n (no numerics, no theory code),
and a second closed form (a direct double sum over how many -1s fall inside and outside the set),
plus sympy for the symbolic statements. Every check here is exact; no Monte Carlo, so the
false-alarm rate of this module is 0. Negative controls: wrong sign, factor 1.05-1.1, off-by-one
level or threshold, the reference's (factor-2) gap constant, non-strict gate.
"""

from __future__ import annotations

import math
from fractions import Fraction
from itertools import product

import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st

from featurecheck.theory import relu as R
from featurecheck.theory.boolean import threshold_coefficient

# ---------------------------------------------------------------- independent routes


def brute_gradient(n, S, b, w=None):
    """-E[chi_S x_i 1[w.x + b > 0]] and -E[chi_S 1[w.x + b > 0]] by enumeration (plain Python)."""
    w = w or (1,) * n
    dw = [Fraction(0)] * n
    db = Fraction(0)
    for x in product((-1, 1), repeat=n):
        if sum(wi * xi for wi, xi in zip(w, x, strict=True)) + b > 0:
            chi = math.prod(x[j] for j in S)
            for i in range(n):
                dw[i] -= chi * x[i]
            db -= chi
    N = 2**n
    return [v / N for v in dw], db / N


def double_sum_coefficient(n, m, b):
    """Hat T(U), |U| = m, T = 1[sum x + b > 0]: sum over a (-1s in U) and c (-1s outside U)."""
    tot = 0
    for a in range(m + 1):
        for c in range(n - m + 1):
            if n - 2 * (a + c) + b > 0:
                tot += (-1) ** a * math.comb(m, a) * math.comb(n - m, c)
    return Fraction(tot, 2**n)


biases = st.one_of(st.integers(-12, 12), st.fractions(min_value=-12, max_value=12, max_denominator=4))


@st.composite
def instances(draw, max_n=9):
    n = draw(st.integers(1, max_n))
    S = draw(st.sets(st.integers(0, n - 1), min_size=1, max_size=n))
    b = draw(biases)
    w = tuple(draw(st.lists(st.sampled_from((-1, 1)), min_size=n, max_size=n)))
    return n, tuple(sorted(S)), Fraction(b), w


@given(instances())
def test_gradient_equals_enumeration_random_sign_vectors(inst):
    n, S, b, w = inst
    g = R.relu_gradient(n, S, b, w)
    dw, db = brute_gradient(n, S, b, w)
    assert list(g.dw) == dw
    assert g.db == db


@given(instances(max_n=8))
def test_single_coordinate_matches_vector(inst):
    n, S, b, w = inst
    g = R.relu_gradient(n, S, b, w)
    for i in range(n):
        assert R.relu_gradient_coordinate(n, S, i, b, w) == g.dw[i]


def test_gradient_threshold_identity_exhaustive_small():
    """dL/dw_i = -chi_{S Δ {i}}(w) hat T(|S Δ {i}|), for every n <= 4, S, i, w and every bias class.

    The gate only depends on where -b falls among the sums n, n-2, ..., -n; the integers in
    [-n-1, n+1] hit every sum (ties), every gap between sums and both ends, so they exhaust all gates.
    """
    for n in range(1, 5):
        bias_classes = [Fraction(j) for j in range(-n - 1, n + 2)]
        for smask in range(1, 1 << n):
            S = [j for j in range(n) if smask >> j & 1]
            for w in product((-1, 1), repeat=n):
                for b in bias_classes:
                    g = R.relu_gradient(n, S, b, w)
                    dw, db = brute_gradient(n, S, b, w)
                    assert list(g.dw) == dw and g.db == db


def test_strict_threshold_is_an_identity_on_the_cube():
    """1[sum x > -b] == 1[sum x >= theta'] for every point, n <= 12, and b on a grid of quarters."""
    for n in range(1, 13):
        sums = range(-n, n + 1, 2)
        for q in range(-4 * (n + 3), 4 * (n + 3) + 1):
            b = Fraction(q, 4)
            th = R.strict_threshold(n, b)
            assert th % 2 == n % 2
            for s in sums:
                assert (s + b > 0) == (s >= th) == (s >= math.floor(-b) + 1)


def test_closed_form_equals_double_sum_large_n():
    for n in (50, 101, 202):
        for k in (1, 2, 3, 4, 7):
            for b in (0, 1, -2, Fraction(5, 2), 9):
                assert R.relevant_gradient(n, k, b) == -double_sum_coefficient(n, k - 1, b)
                assert R.irrelevant_gradient(n, k, b) == -double_sum_coefficient(n, k + 1, b)
                assert R.bias_gradient(n, k, b) == -double_sum_coefficient(n, k, b)


@given(st.integers(1, 150), st.data())
def test_closed_form_equals_double_sum_random(n, data):
    k = data.draw(st.integers(1, n))
    b = Fraction(data.draw(biases)) * (n // 4 + 1)
    assert R.relevant_gradient(n, k, b) == -double_sum_coefficient(n, k - 1, b)
    if k < n:
        assert R.irrelevant_gradient(n, k, b) == -double_sum_coefficient(n, k + 1, b)


def test_negative_controls_non_strict_gate_and_off_by_one():
    # non-strict gate (ReLU'(0) = 1) differs whenever ties exist (n even, b = 0)
    n, S = 6, (0, 1)
    non_strict = -threshold_coefficient(n, 0, 2)  # dL/db with 1[sum x >= 0]
    assert R.relu_gradient(n, S, 0).db == brute_gradient(n, S, 0)[1] != non_strict
    # off-by-one level and wrong sign are rejected by the exact comparison
    g = R.relevant_gradient(9, 2)
    assert g != -threshold_coefficient(9, 1, 2)
    assert g != -g
    assert g != g * Fraction(21, 20)


# ---------------------------------------------------------------- ratio, gap, onset


def test_ratio_brute_force_and_formula():
    for n in (5, 7, 9, 11):
        for k in range(2, n, 2):
            dw, _ = brute_gradient(n, range(k), 0)
            assert abs(dw[n - 1]) / abs(dw[0]) == R.ratio_formula(n, k) == R.gradient_ratio(n, k, 0)
    assert R.ratio_formula(9, 2) != Fraction(2, 7)  # (k)/(n-k) off by one is not it
    assert R.gradient_ratio(9, 2) != Fraction(1, 7) * Fraction(11, 10)


def test_ratio_large_n_closed_form():
    for n in (101, 1001, 10001):
        for k in (2, 4, 10):
            assert R.gradient_ratio(n, k, 0) == Fraction(k - 1, n - k)


def test_gap_sign_over_all_n_by_enumeration():
    for k in (2, 4, 6):
        for n in range(k + 1, min(2 * k + 4, 13)):
            dw, _ = brute_gradient(n, range(k), 0)
            gap = abs(dw[0]) - abs(dw[n - 1])
            s = (gap > 0) - (gap < 0)
            assert s == R.gap_sign_formula(n, k), (n, k, gap)
            assert gap == R.fourier_gap(n, k, 0)


def test_gap_even_n_equals_next_odd_n():
    for k in (2, 4, 6, 8):
        for m in range(k // 2 + 1, 60):
            assert R.fourier_gap(2 * m, k, 0) == R.fourier_gap(2 * m + 1, k, 0)


def test_gap_onset_scan_and_formula():
    for k in (2, 4, 6, 10, 20):
        assert R.smallest_positive_gap_n(k) == R.gap_onset_formula(k) == 2 * k + 1
        assert R.smallest_positive_gap_n(k, parity="any") == R.gap_onset_formula(k, "any") == 2 * k
        # stays positive afterwards, and the off-by-one n = 2k - 1 is not positive
        assert all(R.fourier_gap(n, k, 0) > 0 for n in range(2 * k, 6 * k))
        assert R.fourier_gap(2 * k - 1, k, 0) <= 0


def test_gap_onset_with_a_bias_is_computed_not_assumed():
    # with b = 2 the first positive odd-n gap for k = 3 exists (symmetry broken), unlike b = 0
    assert R.smallest_positive_gap_n(3, b=0) is None
    n0 = R.smallest_positive_gap_n(3, b=2)
    assert n0 is not None
    dw, _ = brute_gradient(n0, range(3), 2)
    assert abs(dw[0]) > abs(dw[n0 - 1])


# ---------------------------------------------------------------- odd k and bias


def test_odd_k_vanishes_and_bias_breaks_symmetry():
    for n in (5, 7, 9):
        for k in range(3, n, 2):
            for b in (0, Fraction(1, 2), 1, Fraction(-1, 3)):
                dw, db = brute_gradient(n, range(k), b)
                assert R.vanishes_by_symmetry(n, k, b)
                assert dw[0] == 0 and dw[n - 1] == 0
                assert db != 0  # level k is odd
            dw, _ = brute_gradient(n, range(k), 2)
            assert not R.vanishes_by_symmetry(n, k, 2)
            assert dw[0] != 0 and dw[n - 1] != 0
    # k = 1 is the exception: level 0 is Pr[T = 1] = 1/2
    assert R.relevant_gradient(9, 1, 0) == Fraction(-1, 2)
    assert not R.vanishes_by_symmetry(9, 1, 0)


# ---------------------------------------------------------------- asymptote (sympy)


def test_gap_scaled_expr_is_exact_at_finite_n():
    for k in (2, 4, 6):
        e = R.gap_scaled_expr(k)
        for m in range(k, k + 5):
            n = 2 * m + 1
            val = sp.nsimplify(sp.gammasimp(e.subs(R.M_SYM, m)) / sp.sqrt(2 * m) ** (k - 1))
            g = R.fourier_gap(n, k, 0)
            assert val == sp.Rational(g.numerator, g.denominator)


def test_gap_asymptote_limit_by_sympy_and_reference_constant_rejected():
    for k in (2, 4):
        L = R.gap_asymptote_limit(k)
        assert sp.simplify(L - R.gap_asymptote_constant(k)) == 0
        assert sp.simplify(L - R.reference_gap_asymptote_constant(k)) != 0  # the factor-2 constant
        assert sp.simplify(L - R.gap_asymptote_constant(k) * sp.Rational(21, 20)) != 0


def test_gap_asymptote_numerically_at_huge_n():
    for k in (2, 4, 6):
        n = 200_001
        c = float(R.gap_asymptote_constant(k))
        val = float(R.fourier_gap(n, k, 0)) * (n - 1) ** ((k - 1) / 2)
        assert abs(val / c - 1) < 1e-3
        assert abs(val / float(R.reference_gap_asymptote_constant(k)) - 1) > 0.4


@pytest.mark.slow
def test_gap_asymptote_one_shot_sympy_limit_agrees():
    """The one-shot sympy.limit of the whole Gamma expression (20-30 s) equals the split evaluation."""
    from featurecheck.theory.boolean import N_SYM, majority_coefficient_expr

    k = 2
    n = N_SYM
    e = sp.Abs(majority_coefficient_expr(k - 1)) / 2 * (n - 2 * k + 1) / (n - k) * (n - 1) ** sp.Rational(k - 1, 2)
    assert sp.simplify(sp.limit(e.rewrite(sp.gamma), n, sp.oo) - R.gap_asymptote_limit(k)) == 0


# ---------------------------------------------------------------- losses, one-step bound


def test_loss_factor_by_per_sample_derivative():
    """D l(y, f)/df at f = 0 by exact one-sided difference quotients, compared with the stated factor."""
    h = Fraction(1, 1000)
    losses = {
        "hinge": lambda y, f: max(Fraction(0), 1 - y * f),
        "square": lambda y, f: (y - f) ** 2 / 2,
        "correlation": lambda y, f: -y * f,
    }
    for name, ell in losses.items():
        for y in (-1, 1):
            d = (ell(y, h) - ell(y, -h)) / (2 * h)
            assert d == -y * R.loss_gradient_factor(name, 1)
    # logistic: derivative -y * sigmoid(0) = -y/2 (sympy)
    f, yy = sp.symbols("f y")
    d = sp.diff(sp.log(1 + sp.exp(-yy * f)), f).subs(f, 0)
    assert sp.simplify(d + yy * sp.Rational(1, 2)) == 0
    assert R.loss_gradient_factor("logistic", 2) == 1
    with pytest.raises(ValueError, match="loss must be one of"):
        R.loss_gradient_factor("huber")


def test_one_step_bound_solves_the_hoeffding_union_bound():
    B, n, delta, gamma = sp.symbols("B n delta gamma", positive=True)
    # per coordinate: terms in [-1, 1], deviation gamma/2: 2 exp(-2 B (gamma/2)^2 / 2^2)
    tail = 2 * sp.exp(-2 * B * (gamma / 2) ** 2 / 4)
    sol = sp.solve(sp.Eq(n * tail, delta), B)
    assert len(sol) == 1
    assert sp.simplify(sp.expand_log(sol[0] - R.one_step_bound_expr(), force=True)) == 0
    # scaling n^{k-1} log(n/delta): the ratio to n^{k-1} log(n) tends to 16 pi / ((k-3)!!)^2
    for k in (2, 4):
        asym = R.one_step_bound_asymptotic(k).subs(R.DELTA_SYM, sp.Rational(1, 2))
        lim = sp.limit(asym / (R.N_SYM ** (k - 1) * sp.log(R.N_SYM)), R.N_SYM, sp.oo)
        assert lim == 16 * sp.pi / sp.factorial2(k - 3) ** 2
        wrong = sp.limit(asym / (R.N_SYM**k * sp.log(R.N_SYM)), R.N_SYM, sp.oo)
        assert wrong == 0  # exponent k is off by one


def test_one_step_bound_value_and_undefined_cases():
    g = R.fourier_gap(9, 2)
    assert float(R.one_step_bound(9, 2)) == pytest.approx(8 * math.log(36) / float(g) ** 2, rel=1e-12)
    assert R.one_step_bound(5, 4) is None  # negative gap
    assert R.one_step_bound(3, 3) is None  # k = n


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: R.relevant_gradient(0, 1), r"n must be an integer in \[1, "),
        (lambda: R.relevant_gradient(5, 6), r"k must be an integer in \[1, 5\], got 6"),
        (lambda: R.relevant_gradient(5, 0), r"k must be an integer in \[1, 5\], got 0"),
        (lambda: R.relevant_gradient(5, 2, "x"), r"b must be a finite real number"),
        (lambda: R.relevant_gradient(5, 2, float("nan")), r"b must be a finite real number"),
        (lambda: R.relu_gradient(3, [0], 0, "+-"), r"w must be a ±1 vector of length n=3"),
        (lambda: R.relu_gradient(3, [0], 0, "+-x"), r"w must be 'ones'"),
        (lambda: R.relu_gradient(3, [], 0), r"S must be a non-empty set"),
        (lambda: R.relu_gradient(3, [3], 0), r"S element must be an integer in \[0, 2\]"),
        (lambda: R.ratio_formula(8, 2), r"n must be an odd integer"),
        (lambda: R.ratio_formula(9, 3), r"k must be an even integer in \[2, 8\], got 3"),
        (lambda: R.gap_asymptote_constant(3), r"k must be an even integer in \[2, 98\], got 3"),
        (lambda: R.one_step_bound(9, 2, 0, 1), r"delta must be a probability"),
        (lambda: R.smallest_positive_gap_n(2, parity="even"), r"parity must be 'odd' or 'any'"),
    ],
)
def test_bad_input_names_parameter_and_range(call, match):
    with pytest.raises(ValueError, match=match):
        call()
