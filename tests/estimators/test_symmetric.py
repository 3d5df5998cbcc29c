"""Exact sums over Hamming weights (featurecheck.numerics.estimators.symmetric and the CubeFunction wrappers).

Expected values come from independent routes only: exact enumeration of all 2^n points by the numba
kernels (``fourier_coefficient_exact``, ``mean_exact``, ``relu_gradient_exact``), plain-Python brute force
over ``itertools.product`` (this file and ``tests/common/brute.py``), and the closed forms of
:mod:`featurecheck.theory.boolean` / :mod:`featurecheck.theory.relu` (O'Donnell 2014 Thm 5.19, the LTF
Krawtchouk sum), which share no code with the weight sums. Everything here is exact: no tolerance.
"""

from __future__ import annotations

import itertools
import math
import random
from fractions import Fraction

import numpy as np
import pytest
from common.brute import brute_coefficient

from featurecheck.numerics.checking.routes import MAX_MC_N, mc_route, symmetric_route
from featurecheck.numerics.estimators import symmetric as W
from featurecheck.numerics.estimators.cube import (
    constant,
    fourier_coefficient_exact,
    fourier_coefficient_symmetric,
    majority,
    mean_exact,
    mean_symmetric,
    parity,
    symmetric_cost,
    symmetric_values,
    threshold,
)
from featurecheck.numerics.estimators.gradients import relu_gradient_exact, relu_gradient_symmetric
from featurecheck.theory import boolean as B
from featurecheck.theory import relu as R

HAS_GMPY2 = "gmpy2" in W.BACKENDS


def _brute_sym(g: list[int], S: tuple[int, ...]) -> Fraction:
    """E[g(#{x_i = -1}) chi_S(x)] by summing over every point."""
    n = len(g) - 1
    tot = 0
    for x in itertools.product((1, -1), repeat=n):
        tot += g[x.count(-1)] * math.prod(x[i] for i in S)
    return Fraction(tot, 2**n)


def _subsets(n: int, rng: random.Random, per_level: int = 2) -> list[tuple[int, ...]]:
    out = []
    for k in range(n + 1):
        for _ in range(per_level if 0 < k < n else 1):
            out.append(tuple(sorted(rng.sample(range(n), k))))
    return out


# ---------------------------------------------------------------- against enumeration, every n <= 14


@pytest.mark.parametrize("n", range(1, 15))
def test_cube_functions_agree_with_enumeration(n: int) -> None:
    rng = random.Random(n)
    fs = [threshold(n, theta) for theta in (-n - 1, -1, 0, Fraction(1, 2), 2, n)]
    fs += [threshold(n, Fraction(rng.randint(-2 * n, 2 * n), 2), pm=rng.random() < 0.5,
                     strict=rng.random() < 0.5, weights=[rng.choice((-1, 1)) for _ in range(n)])
           for _ in range(4)]
    if n % 2:
        fs += [majority(n), majority(n, pm=False), majority(n) * parity(n, rng.sample(range(n), n // 2))]
    fs += [parity(n, rng.sample(range(n), rng.randint(0, n))), constant(n, -3),
           threshold(n, 1, weights=[rng.choice((-1, 1)) for _ in range(n)]) * parity(n, [0])]
    for f in fs:
        assert mean_symmetric(f) == mean_exact(f), f.name
        for S in _subsets(n, rng):
            assert fourier_coefficient_symmetric(f, S) == fourier_coefficient_exact(f, S), (f.name, S)


def test_thresholds_on_a_subset_of_coordinates() -> None:
    # fmask is not every coordinate: chi_U with a coordinate outside F has coefficient 0
    from dataclasses import replace

    f = replace(threshold(6, 0, weights=[1, -1, 1, 1, -1, 1]), fmask=0b011011, pmask=0b000100)
    for S in itertools.chain.from_iterable(itertools.combinations(range(6), k) for k in range(7)):
        assert fourier_coefficient_symmetric(f, S) == fourier_coefficient_exact(f, S), S


# ---------------------------------------------------------------- against plain-Python brute force


@pytest.mark.parametrize("n", range(0, 10))
def test_value_tables_agree_with_brute_force(n: int) -> None:
    rng = random.Random(100 + n)
    tables = [[rng.randint(-3, 3) for _ in range(n + 1)],
              [rng.randint(-(2**70), 2**70) for _ in range(n + 1)]]  # beyond int64: the Python-int path
    for g in tables:
        levels = W.symmetric_levels(g)
        for k in range(n + 1):
            S = tuple(range(k))
            expect = _brute_sym(g, S)
            assert W.symmetric_coefficient(g, k) == expect, (g, k)
            assert W.krawtchouk_sum(g, k) == expect * 2**n
            assert levels[k] == expect


def test_majority_against_the_common_brute_force() -> None:
    for n in (1, 3, 5, 7, 9, 11):
        for k in range(n + 1):
            expect = brute_coefficient(lambda x: 1 if sum(x) > 0 else -1, n, k)
            assert fourier_coefficient_symmetric(majority(n), range(k)) == expect


def _brute_stability(g: list[int], rho: Fraction) -> Fraction:
    n = len(g) - 1
    q = (1 - rho) / 2
    tot = Fraction(0)
    for x in itertools.product((1, -1), repeat=n):
        for flips in itertools.product((0, 1), repeat=n):
            m = sum(flips)
            y = [-v if fl else v for v, fl in zip(x, flips, strict=True)]
            tot += q**m * (1 - q) ** (n - m) * g[x.count(-1)] * g[y.count(-1)]
    return tot / 2**n


@pytest.mark.parametrize("rho", [Fraction(1, 3), Fraction(-3, 5), Fraction(0), Fraction(1), Fraction(-1),
                                 Fraction(7, 8)])
def test_noise_stability_against_brute_force(rho: Fraction) -> None:
    rng = random.Random(7)
    for n in range(0, 6):
        g = [rng.randint(-2, 2) for _ in range(n + 1)]
        assert W.symmetric_noise_stability(g, rho) == _brute_stability(g, rho), (g, rho)


def test_noise_stability_of_majority_against_the_fourier_formula() -> None:
    # a second route: Stab = sum_k rho^k W^k with the closed-form levels (O'Donnell Thm 2.49 and 5.19)
    import sympy as sp

    for n, rho in ((9, Fraction(1, 3)), (31, Fraction(-2, 7)), (201, Fraction(9, 10))):
        poly = B.noise_stability(B.majority_levels(n)).eval(sp.Rational(rho.numerator, rho.denominator))
        got = W.symmetric_noise_stability(symmetric_values(majority(n)), rho)
        assert got == Fraction(int(poly.p), int(poly.q))


def test_influence_against_brute_force_and_pivotality() -> None:
    rng = random.Random(3)
    for n in range(1, 8):
        g = [rng.randint(-3, 3) for _ in range(n + 1)]
        tot = Fraction(0)
        for x in itertools.product((1, -1), repeat=n - 1):
            c = x.count(-1)
            tot += Fraction(g[c] - g[c + 1], 2) ** 2  # x_0 = +1 vs x_0 = -1
        assert W.symmetric_influence(g) == tot / 2 ** (n - 1)
    for n in (3, 101, 1001, 100001):  # Maj_n: coordinate pivotal iff the others tie, C(n-1, m) 2^{1-n}
        m = (n - 1) // 2
        assert W.symmetric_influence(symmetric_values(majority(n))) == Fraction(math.comb(n - 1, m), 2 ** (n - 1))


# ---------------------------------------------------------------- against the closed forms (a second route)


def test_majority_and_threshold_at_n_1001_agree_with_theory() -> None:
    n = 1001
    ks = [*range(0, 13), 55, 56, 57, 58, 100, 499, 500, 501, 502, *range(990, 1002)]
    for k in ks:
        assert fourier_coefficient_symmetric(majority(n), range(k)) == B.majority_coefficient(n, k), k
    for theta in (-7, Fraction(5, 2), 40):
        for k in (0, 1, 2, 3, 8, 57, 1000):
            assert fourier_coefficient_symmetric(threshold(n, theta), range(k)) == B.threshold_coefficient(n, theta, k)


def test_majority_beyond_the_old_limit_agrees_with_theory() -> None:
    for n in (4097, 100001):
        for k in (1, 3, 6, 7):
            assert fourier_coefficient_symmetric(majority(n), range(k)) == B.majority_coefficient(n, k)


def test_levels_and_parseval() -> None:
    assert W.symmetric_levels(symmetric_values(majority(301))) == B.majority_levels(301)
    lv = W.symmetric_levels(symmetric_values(threshold(200, 7)))
    assert lv == B.threshold_levels(200, 7)
    # Parseval for the 0/1 threshold: sum_k C(n,k) level_k^2 = E[f^2] = E[f] = level_0
    assert sum(math.comb(200, k) * v * v for k, v in enumerate(lv)) == lv[0]


# ---------------------------------------------------------------- backends


@pytest.mark.skipif(not HAS_GMPY2, reason="gmpy2 not installed (pip install featurecheck[fast])")
def test_gmpy2_and_python_ints_give_identical_results() -> None:
    rng = np.random.default_rng(5)
    for n in (1, 2, 17, 64, 65, 1001, 5001, 100001):
        maj = np.where(np.arange(n + 1) <= (n - 1) // 2, 1, -1)
        rand = rng.integers(-5, 6, size=n + 1)
        big = [int(v) * 2**80 + 1 for v in rand]
        for g in ((maj, rand, big) if n <= 5001 else (maj,)):
            mid = {n // 2} if n <= 1001 else set()  # O(n min(k, n-k)) inner sums
            for k in sorted(({0, 1, 2, 3, 60, n} | mid) & set(range(n + 1))):
                a = W.krawtchouk_sum(g, k, backend="int")
                b = W.krawtchouk_sum(g, k, backend="gmpy2")
                assert type(a) is int and type(b) is int and a == b, (n, k)
    assert fourier_coefficient_symmetric(majority(10001), range(3), backend="int") == \
        fourier_coefficient_symmetric(majority(10001), range(3), backend="gmpy2")


def test_python_int_backend_is_always_available() -> None:
    assert "int" in W.BACKENDS
    assert W.symmetric_coefficient(symmetric_values(majority(5001)), 5, backend="int") == B.majority_coefficient(5001, 5)


def test_gmpy2_missing_is_a_clean_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(W, "gmpy2", None)
    with pytest.raises(ValueError, match=r"backend='gmpy2' needs gmpy2"):
        W.krawtchouk_sum([1, -1], 1, backend="gmpy2")


# ---------------------------------------------------------------- ReLU gradients


def test_relu_gradient_agrees_with_enumeration() -> None:
    rng = random.Random(11)
    for n in range(1, 13):
        for _ in range(4):
            k = rng.randint(1, n)
            S = rng.sample(range(n), k)
            b = Fraction(rng.randint(-2 * n - 2, 2 * n + 2), rng.choice((1, 2, 3)))
            w = rng.choice([None, "alternating", [rng.choice((-1, 1)) for _ in range(n)]])
            for i in [*range(n), None]:
                assert relu_gradient_symmetric(n, S, i, b, w) == relu_gradient_exact(n, S, i, b, w), (n, S, i, b, w)


def test_relu_gradient_at_large_n_agrees_with_theory() -> None:
    for n, k, b in ((201, 2, 0), (301, 3, 3), (1001, 6, 0), (10**5, 4, "1/2")):
        g = [R.relevant_gradient(n, k, b), R.irrelevant_gradient(n, k, b), R.bias_gradient(n, k, b)]
        got = [relu_gradient_symmetric(n, range(k), i, b) for i in (0, n - 1, None)]
        assert got == g, (n, k, b)


# ---------------------------------------------------------------- routes


def test_symmetric_route_applies_at_any_n_and_mc_route_stops_at_4096() -> None:
    build = lambda p: (majority(p["n"]), range(p["k"]))  # noqa: E731
    r, mc = symmetric_route(build), mc_route(build)
    assert r.applies({"n": 10**6 + 1, "k": 7}) and r.applies({"n": 1001, "k": 500})
    assert not r.applies({"n": 10**6 + 1, "k": 5000})  # 10^6 x 5000 small-integer steps: too slow
    assert mc.applies({"n": MAX_MC_N - 1, "k": 3}) and not mc.applies({"n": MAX_MC_N + 1, "k": 3})
    assert r.run({"n": 4097, "k": 3}).estimate == B.majority_coefficient(4097, 3)
    assert symmetric_cost(majority(1001), range(3)) == 0
    assert symmetric_cost(majority(1001), range(500)) == 1001 * 500


# ---------------------------------------------------------------- validation


@pytest.mark.parametrize("call, match", [
    (lambda: W.krawtchouk_sum([], 0), r"values must hold g\(0..n\) for 0 <= n <= 10000000 \(length 1..10000001\), got length 0"),
    (lambda: W.krawtchouk_sum([1, 0.5], 0), r"values\[1\] must be an integer, got 0.5"),
    (lambda: W.krawtchouk_sum([1, True], 0), r"values\[1\] must be an integer, got True"),
    (lambda: W.krawtchouk_sum(5, 0), r"values must be a sequence of integers g\(0..n\), got 5"),
    (lambda: W.krawtchouk_sum(np.zeros(3), 0), r"values must be a 1-d integer sequence"),
    (lambda: W.krawtchouk_sum([1, -1], 3), r"k must be an integer in \[0, 1\], got 3"),
    (lambda: W.krawtchouk_sum([1, -1], -1), r"k must be an integer in \[0, 1\], got -1"),
    (lambda: W.krawtchouk_sum([1, -1], 1, backend="flint"), r"backend must be one of \['int', 'gmpy2'\] or None, got 'flint'"),
    (lambda: W.symmetric_levels([0] * 2003), r"values must hold g\(0..n\) with n <= 2001 for all levels, got n = 2002"),
    (lambda: W.symmetric_noise_stability([1, -1], 2), r"rho must be a finite real number in \[-1, 1\], got 2"),
    (lambda: W.symmetric_noise_stability([1, -1], "x"), r"rho must be a finite real number"),
    (lambda: W.symmetric_noise_stability([0] * 1003, 0), r"n <= 1001, got n = 1002"),
    (lambda: W.symmetric_influence([1]), r"n >= 1 for an influence, got n = 0"),
    (lambda: W.weight_sum_cost(5, 6), r"k must be an integer in \[0, 5\], got 6"),
    (lambda: fourier_coefficient_symmetric(lambda x: 1, [0]), r"f must be a CubeFunction"),
    (lambda: fourier_coefficient_symmetric(majority(5), [5]), r"S element must be an integer in \[0, 4\], got 5"),
    (lambda: fourier_coefficient_symmetric(majority(5), [0], backend="mpz"), r"backend must be one of"),
    (lambda: symmetric_values(threshold(3, 0, weights=[1, -1, 1])), r"f must be symmetric"),
    (lambda: relu_gradient_symmetric(10**7 + 1, [0], 0), r"n must be an integer in \[1, 10000000\], got 10000001"),
    (lambda: relu_gradient_symmetric(5, [], 0), r"S must be a non-empty set"),
    (lambda: relu_gradient_symmetric(5, [0], 5), r"i must be an integer in \[0, 4\], got 5"),
    (lambda: majority(10**7 + 2), r"n must be an integer in \[1, 10000000\], got 10000002"),
])
def test_bad_input_names_the_parameter(call, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        call()


def test_monte_carlo_still_refuses_n_above_4096() -> None:
    from featurecheck.numerics.estimators.cube import fourier_coefficient_mc

    with pytest.raises(ValueError, match=r"n must be an integer in \[1, 4096\], got 4097"):
        fourier_coefficient_mc(majority(4097), [0], samples=10)
