"""Gaussian Monte Carlo kernels (numerics/estimators/gaussian.py) against exact theory.

Statistical budget: every Monte Carlo assertion uses a two-sided batch-means Student-t interval
(``batch-t``, 32+ chunks of 2^16 draws) at alpha = 1e-6, plus one Kolmogorov-Smirnov test at
alpha = 1e-6. 18 positive checks run, so the false-alarm probability of this module is below
2e-5 (union bound; the t intervals are asymptotic, chunk means of 65,536 draws). Negative controls
(value x1.05, wrong sign, wrong index) must be rejected by the same intervals. Seeds are fixed.
"""

from __future__ import annotations

import numba
import numpy as np
import pytest
import sympy as sp
from scipy import stats

from featurecheck.numerics._kernels import gaussian as K
from featurecheck.numerics._kernels.rng import Purpose, stream_key
from featurecheck.numerics.estimators import gaussian as G
from featurecheck.theory import hermite as H

ALPHA = 1e-6
N = 1 << 21
z1, z2 = sp.symbols("z1 z2")


def test_normals_distribution() -> None:
    x = G.normals(20000, 3, seed=5).ravel()
    assert stats.kstest(x, "norm").pvalue > ALPHA
    assert np.all(np.isfinite(x))


def test_kernels_match_py_func_and_threads() -> None:
    key = stream_key(3, Purpose.HERMITE_MC)
    a = np.zeros((4, 2))
    b = np.zeros((4, 2))
    K.hermite_sums(key, 0, 4, 64, K.RELU, np.zeros(1), 2, 0.5, a)
    K.hermite_sums.py_func(key, 0, 4, 64, K.RELU, np.zeros(1), 2, 0.5, b)
    assert np.array_equal(a, b)
    U = G.random_orthonormal(2, 4, seed=1)
    exps, coefs = G.polynomial_arrays(z1**2 * z2 + z2, [z1, z2])
    v = np.arange(4.0)
    a = np.zeros((3, 2))
    b = np.zeros((3, 2))
    K.stein_sums(key, 0, 3, 32, U, exps, coefs, v, 2, a)
    K.stein_sums.py_func(key, 0, 3, 32, U, exps, coefs, v, 2, b)
    assert np.allclose(a, b, rtol=1e-13, atol=1e-13)
    old = numba.get_num_threads()
    try:
        numba.set_num_threads(1)
        e1 = G.hermite_coefficient_mc("tanh", 1, samples=1 << 18, seed=9)
        numba.set_num_threads(min(2, numba.config.NUMBA_NUM_THREADS))
        e2 = G.hermite_coefficient_mc("tanh", 1, samples=1 << 18, seed=9)
    finally:
        numba.set_num_threads(old)
    assert e1 == e2


@pytest.mark.parametrize("link,j", [("relu", 0), ("relu", 1), ("relu", 2), ("abs", 2), ("sign", 1),
                                    ("sign", 3), ("step", 0), ("step", 1), ("z**3 - 3*z", 3),
                                    ("z**3 - 3*z", 1)])
def test_hermite_mc_contains_closed_form(link: str, j: int) -> None:
    exact = (float(H.closed_form_coefficient(link, j)) if link in H.CLOSED_FORM_LINKS
             else float(H.polynomial_hermite_coefficients(H.parse_polynomial(link), 4)[j]))
    e = G.hermite_coefficient_mc(link, j, samples=N, seed=j, alpha=ALPHA)
    assert e.contains(exact), (link, j, exact, e.ci)
    if abs(exact) > 0.05:  # negative controls: factor 1.05 (1.1 for the heavy-tailed He_3^2), sign, index
        factor = 1.05 if link in H.CLOSED_FORM_LINKS else 1.1
        assert not e.contains(factor * exact) and not e.contains(-exact)
        wrong = float(H.closed_form_coefficient(link, j + 2)) if link in H.CLOSED_FORM_LINKS else 0.0
        assert not e.contains(wrong)


def test_tanh_mc_contains_quadrature() -> None:
    cs, err = H.quadrature_coefficients("tanh", 3, dps=20)
    e = G.hermite_coefficient_mc("tanh", 3, samples=N, seed=4, alpha=ALPHA)
    assert e.contains(float(cs[3])) and not e.contains(1.1 * float(cs[3]))


@pytest.mark.parametrize("order", [1, 2])
def test_stein_mc_random_U(order: int) -> None:
    U = G.random_orthonormal(2, 6, seed=order)
    g = z1**2 * z2 + z1 * z2 + 2 * z1 if order == 1 else z1 * z2 + z1**2
    rng = np.random.default_rng(order)
    v = U.T @ np.array([1.0, 0.5]) + 0.3 * rng.standard_normal(6)  # mostly inside span(U^T)
    exact = G.stein_expected(g, [z1, z2], U, v, order)
    e = G.stein_mc(g, [z1, z2], U, v, order, samples=N, seed=order, alpha=ALPHA)
    assert e.contains(exact), (exact, e.ci)
    assert not e.contains(1.1 * exact) and not e.contains(-exact)
    # v orthogonal to span(U^T): the second-order moment vanishes (E[Hess f] lives in span(U^T))
    w = v - U.T @ (U @ v)
    e0 = G.stein_mc(g, [z1, z2], U, w, 2, samples=N, seed=10 + order, alpha=ALPHA)
    assert e0.contains(0.0)


def test_validation_errors() -> None:
    with pytest.raises(ValueError, match="samples"):
        G.hermite_coefficient_mc("relu", 1, samples=10)
    with pytest.raises(ValueError, match="j must"):
        G.hermite_coefficient_mc("relu", 31)
    with pytest.raises(ValueError, match="link"):
        G.hermite_coefficient_mc("exp(z)", 1)
    with pytest.raises(ValueError, match="orthonormal"):
        G.stein_expected(z1, [z1], np.array([[2.0, 0.0]]), np.ones(2), 1)
    with pytest.raises(ValueError, match="order"):
        G.stein_mc(z1, [z1], np.array([[1.0, 0.0]]), np.ones(2), 3)
