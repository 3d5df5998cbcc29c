"""Stein identities (theory/stein.py), exact.

Independent routes: the Hermite coefficients of f = g(Ux) from featurecheck.theory.hermite (E[f x_i] = c_{e_i},
E[f (x_i x_j - delta_ij)] = alpha! c_{e_i + e_j}), and exact rank computations with rational U. No
Monte Carlo here (the Monte Carlo check of the same identities is in tests/estimators/test_gaussian.py): 0
statistical checks, false-alarm rate 0.
"""

from __future__ import annotations

import random

import sympy as sp

from featurecheck.theory import hermite as H
from featurecheck.theory import stein as S

z1, z2 = sp.symbols("z1 z2")


def _rand_U(rng: random.Random, r: int, d: int) -> sp.Matrix:
    return sp.Matrix(r, d, lambda i, j: sp.Rational(rng.randint(-4, 4), rng.randint(1, 3)))


def test_density_identities() -> None:
    assert S.density_identities(3)


def test_symbolic_U_both_identities() -> None:
    U = S.symbolic_matrix(2, 3)
    g = z1**3 - z1 * z2 + z2**2
    assert S.stein_first(g, [z1, z2], U).holds
    assert S.stein_second(g, [z1, z2], U).holds
    st = S.hessian_structure(g, [z1, z2], U)
    assert st.factorises and st.rank is None  # rank <= r from the U^T H U factorisation


def test_against_hermite_coefficients() -> None:
    rng = random.Random(1)
    g = z1**2 * z2 - 3 * z1 + z2**2
    for _ in range(3):
        U = _rand_U(rng, 2, 3)
        c = H.composite_hermite_coefficients(g, [z1, z2], U)
        first = S.stein_first(g, [z1, z2], U)
        second = S.stein_second(g, [z1, z2], U)
        for i in range(3):
            e = tuple(1 if k == i else 0 for k in range(3))
            assert first.lhs[i] == c.get(e, 0)
            for j in range(3):
                a = tuple((k == i) + (k == j) for k in range(3))
                fact = 2 if i == j else 1
                assert sp.simplify(second.rhs[i, j] - fact * c.get(a, 0)) == 0


def test_rank_and_span_random_rational_U() -> None:
    rng = random.Random(2)
    for g in (z1**2 + z1 * z2, z1**2 * z2 + z2**3 + z1 * z2, z1 * z2):
        U = _rand_U(rng, 2, 5)
        st = S.hessian_structure(g, [z1, z2], U)
        assert st.factorises and st.in_row_space_of_U
        assert st.rank <= 2 and st.rank == st.inner.rank()  # U has full row rank here
        assert U.rank() == 2


def test_negative_controls() -> None:
    # dropping the -I term breaks the second identity when E[f] != 0; E[f x] != E[f] * 1 etc.
    g = z1**2 + 1
    U = sp.Matrix([[1, 0]])
    f, xs, _ = S.compose(g, [z1], U)
    wrong = sp.Matrix(2, 2, lambda i, j: H.gaussian_expectation(f * xs[i] * xs[j], xs))
    right = S.stein_second(g, [z1], U)
    assert right.holds and wrong != right.rhs
    # a vector outside span(U^T) is detected: (I - P) applied to a full-rank matrix is not zero
    st = S.hessian_structure(z1**2, [z1], [[1, 0, 0]])
    assert st.rank == 1 and st.in_row_space_of_U
    assert (sp.eye(3) - sp.Matrix([[1, 0, 0], [0, 0, 0], [0, 0, 0]])) * sp.eye(3) != sp.zeros(3)
