"""Hermite expansions (theory/hermite.py) against independent routes.

Routes used as references: Gaussian moments (E[z^{2m}] = (2m-1)!!), sympy exact integration, scipy
adaptive quadrature (double precision, a different library and rule from the mpmath route), and
reconstruction sum_j c_j He_j == f. No Monte Carlo assertion runs here (0 statistical checks, so the
false-alarm rate of this module is 0).
"""

from __future__ import annotations

import math

import mpmath
import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st
from scipy import integrate

from featurecheck.theory import hermite as H

Z = H.Z
PHI = sp.exp(-Z**2 / 2) / sp.sqrt(2 * sp.pi)


def _scipy_coef(fn, j: int) -> float:
    hj = sp.lambdify(Z, H.he(j), "math")

    def g(t: float) -> float:
        return fn(t) * hj(t) * math.exp(-t * t / 2) / math.sqrt(2 * math.pi)

    # full_output returns quadpack's roundoff message instead of warning (zero coefficients have no
    # attainable relative accuracy); the assertions use an absolute tolerance of 1e-10
    a = integrate.quad(g, -14, 0, limit=200, epsabs=1e-13, epsrel=1e-13, full_output=1)[0]
    b = integrate.quad(g, 0, 14, limit=200, epsabs=1e-13, epsrel=1e-13, full_output=1)[0]
    return (a + b) / math.factorial(j)


@given(st.lists(st.integers(-5, 5), min_size=1, max_size=8))
def test_polynomial_coefficients_match_moment_route(coefs: list[int]) -> None:
    f = sum(c * Z**i for i, c in enumerate(coefs))
    cs = H.polynomial_hermite_coefficients(f)
    for j, c in enumerate(cs):
        assert c == H.hermite_coefficient_by_moments(f, j)
    assert sp.expand(sum(c * H.he(j) for j, c in enumerate(cs)) - f) == 0


def test_hermite_recurrence_and_orthogonality() -> None:
    for j in range(1, 8):
        assert sp.expand(H.he(j + 1) - (Z * H.he(j) - j * H.he(j - 1))) == 0
    for j in range(6):
        for k in range(6):
            assert H.gaussian_expectation(H.he(j) * H.he(k), [Z]) == (math.factorial(j) if j == k else 0)


@pytest.mark.parametrize("link,expr", [
    ("relu", sp.Piecewise((Z, Z > 0), (0, True))),
    ("abs", sp.Abs(Z)),
    ("sign", sp.sign(Z)),
    ("step", sp.Piecewise((1, Z >= 0), (0, True))),
])
def test_closed_forms_match_sympy_integration(link: str, expr: sp.Expr) -> None:
    pos = {"relu": Z, "abs": Z, "sign": 1, "step": 1}[link]
    neg = {"relu": 0, "abs": -Z, "sign": -1, "step": 0}[link]
    for j in range(5):
        integral = (sp.integrate(pos * H.he(j) * PHI, (Z, 0, sp.oo))
                    + sp.integrate(neg * H.he(j) * PHI, (Z, -sp.oo, 0)))
        assert sp.simplify(integral / sp.factorial(j) - H.closed_form_coefficient(link, j)) == 0, (link, j)


@pytest.mark.parametrize("link,fn", [("relu", lambda t: max(t, 0.0)), ("abs", abs),
                                     ("sign", lambda t: math.copysign(1.0, t) if t else 0.0),
                                     ("step", lambda t: 1.0 if t >= 0 else 0.0)])
def test_closed_forms_match_scipy_quadrature_to_degree_12(link, fn) -> None:
    # error budget: scipy quad on a smooth integrand split at the kink, |err| < 1e-10 at these degrees
    for j in range(13):
        ref = _scipy_coef(fn, j)
        got = float(H.closed_form_coefficient(link, j))
        assert abs(got - ref) < 1e-10, (link, j, got, ref)


def test_closed_form_negative_controls() -> None:
    # a wrong constant (x1.05), a sign flip and an index shift are all rejected by the same tolerance
    for j in (1, 2, 4):
        ref = _scipy_coef(lambda t: max(t, 0.0), j)
        c = float(H.closed_form_coefficient("relu", j))
        assert abs(1.05 * c - ref) > 1e-10
        assert abs(-c - ref) > 1e-10
        assert abs(float(H.closed_form_coefficient("relu", j + 2)) - ref) > 1e-10


def test_parseval_partial_sums() -> None:
    # E[sign^2] = 1, E[relu^2] = 1/2: partial sums of j! c_j^2 increase towards these and stay below
    # (sign converges like j^{-1/2}: the tail after j = 101 is about 0.05)
    for link, total in (("sign", 1.0), ("relu", 0.5), ("abs", 1.0), ("step", 0.5)):
        terms = [sp.factorial(j) * H.closed_form_coefficient(link, j) ** 2 for j in range(102)]
        s = float(sp.Add(*terms))
        assert total - 0.1 < s <= total + 1e-12, (link, s)


def test_tanh_quadrature_matches_scipy_and_stein() -> None:
    cs, err = H.quadrature_coefficients("tanh", 7, dps=25)
    assert err < 1e-18
    for j in range(8):
        assert abs(float(cs[j]) - _scipy_coef(math.tanh, j)) < 1e-10
    # Stein: c_1 = E[tanh'(z)] = E[sech^2 z], c_3 = E[tanh'''(z)]/3!
    with mpmath.workdps(25):
        c1 = mpmath.quad(lambda t: mpmath.sech(t) ** 2 * mpmath.npdf(t), [-mpmath.inf, 0, mpmath.inf])
        assert abs(cs[1] - c1) < 1e-18
        assert abs(cs[1] * 1.05 - c1) > 1e-3  # negative control


def test_information_exponents() -> None:
    assert [H.information_exponent(s) for s in ("relu", "abs", "sign", "step", "tanh")] == [1, 2, 1, 1, 1]
    assert H.information_exponent("z**3 - 3*z") == 3
    assert H.information_exponent("z**3") == 1  # z^3 = He_3 + 3 He_1
    assert H.information_exponent("z**4 - 6*z**2 + 3") == 4
    assert H.information_exponent("7") is None
    # brute force through the moment route for He_k + He_m
    for k in range(1, 6):
        f = H.he(k) + H.he(k + 2)
        first = next(j for j in range(1, 10) if H.hermite_coefficient_by_moments(f, j) != 0)
        assert H.information_exponent(f) == first == k


def test_expansion_object_and_strings() -> None:
    e = H.hermite_coefficients("z**3 - 3*z", 5)
    assert e.coefficient_strings() == ["0", "0", "0", "1", "0", "0"]
    assert e.normalised()[3] == sp.sqrt(6)
    t = H.hermite_coefficients("tanh", 4, dps=20)
    assert not t.exact and t.precision < 1e-15 and t.coefficient_strings()[0] == "0"


@pytest.mark.parametrize("text", ["__import__('os')", "exp(z)", "z**y", "open('x')", "z;1", "lambda: 1",
                                  "1/z", "He99(z)", "", "z.__class__", "sqrt(z)"])
def test_parse_rejects(text: str) -> None:
    with pytest.raises(ValueError, match="link"):
        H.parse_polynomial(text)


def test_parse_accepts() -> None:
    assert H.parse_polynomial("z**3 - 3*z") == Z**3 - 3 * Z
    assert H.parse_polynomial("He2(z)/2") == (Z**2 - 1) / 2
    assert H.parse_polynomial("0.5*z") == Z / 2


def test_composite_coefficients_match_moment_route() -> None:
    z1, z2 = sp.symbols("z1 z2")
    U = sp.Matrix([[sp.Rational(3, 5), sp.Rational(4, 5), 0], [0, 0, 1]])
    g = z1**3 + z1 * z2 - 2 * z2**2
    xs = sp.symbols("x0:3")
    cs = H.composite_hermite_coefficients(g, [z1, z2], U, xs)
    f = sp.expand(g.subs({z1: U[0, 0] * xs[0] + U[0, 1] * xs[1], z2: xs[2]}))
    import itertools
    for alpha in itertools.product(range(4), repeat=3):
        if sum(alpha) > 3:
            continue
        hea = sp.Mul(*[H.he(a, x) for a, x in zip(alpha, xs, strict=True)])
        ref = H.gaussian_expectation(f * hea, xs) / sp.Mul(*[sp.factorial(a) for a in alpha])
        assert cs.get(alpha, 0) == ref, alpha
    # orthonormal rows: the degree-k part has the same L2 mass as g's degree-k part
    gc = H.multi_hermite_coefficients(g, [z1, z2])
    def mass(c: dict, k: int) -> sp.Expr:
        return sum(v**2 * sp.Mul(*[sp.factorial(a) for a in al]) for al, v in c.items() if sum(al) == k)

    for k in range(4):
        assert sp.simplify(mass(cs, k) - mass(gc, k)) == 0
