"""Public Hypothesis strategies (featurecheck.numerics.testing.strategies): what they draw, how they shrink, how they fail.

Every expected value comes from an independent definition (itertools, direct evaluation of the
threshold/majority formula, sympy's Hermite polynomials), never from the strategy's own code.
No Monte Carlo assertion runs here, so the false-alarm rate of this module is 0.
"""

from __future__ import annotations

import itertools
from fractions import Fraction

import numpy as np
import pytest
import sympy as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.linalg import hadamard

from featurecheck.numerics.claims import load_builtin_claims
from featurecheck.numerics.estimators.cube import CubeFunction
from featurecheck.numerics.testing import strategies as fst
from featurecheck.theory.claims import REGISTRY, Claim, Evidence, Param, Route, Rule

load_builtin_claims()

FEW = settings(max_examples=15)


def _points(n: int):
    return list(itertools.product([1, -1], repeat=n))


@FEW
@given(st.integers(0, 8).flatmap(lambda n: st.tuples(st.just(n), fst.subsets(n, (0, n)))))
def test_subsets_are_sorted_distinct_in_range(nS) -> None:
    n, S = nS
    assert list(S) == sorted(set(S)) and all(0 <= i < n for i in S)


def test_subsets_fixed_size_and_shrink_target() -> None:
    assert fst.shrink_target(fst.subsets(7, 3)) == (0, 1, 2)
    assert fst.shrink_target(fst.subsets(7, 3), lambda S: 6 in S) == (0, 1, 6)
    assert fst.shrink_target(fst.subsets(0)) == ()


@FEW
@given(fst.sparse_parities(n=(1, 12), k=(1, 3)))
def test_sparse_parities_evaluate_as_products(f: CubeFunction) -> None:
    S = [i for i in range(f.n) if f.pmask >> i & 1]
    assert 1 <= len(S) <= 3
    rng = np.random.default_rng(f.n)
    for x in rng.choice([1, -1], size=(5, f.n)):
        assert f.evaluate(x.tolist()) == int(np.prod(x[S]))


@FEW
@given(fst.truth_tables((0, 5)))
def test_truth_tables_layout_and_parseval(t: np.ndarray) -> None:
    n = int(t.size).bit_length() - 1
    assert t.dtype == np.int8 and t.size == 1 << n and set(t.tolist()) <= {1, -1}
    # Parseval for a ±1 function: sum_S (Walsh sum)^2 = 4^n (Sylvester Hadamard matrix, scipy)
    spec = hadamard(1 << n, dtype=np.int64) @ t.astype(np.int64)
    assert int((spec.astype(object) ** 2).sum()) == 4**n


@settings(max_examples=5)
@given(fst.truth_tables(2, values=(0, 1)))
def test_truth_tables_zero_one_values(t) -> None:
    assert set(t.tolist()) <= {0, 1} and t.size == 4


@FEW
@given(fst.majority_functions(n=(1, 11)))
def test_majority_functions_are_majority(f: CubeFunction) -> None:
    assert f.n % 2 == 1
    for x in _points(f.n)[:64]:
        assert f.evaluate(x) == (1 if sum(x) > 0 else -1)


@FEW
@given(fst.threshold_functions(n=(1, 6), theta=(-4, 4)))
def test_threshold_functions_match_their_definition(f: CubeFunction) -> None:
    # recover (w, theta convention) by evaluating against every candidate is circular; instead check that
    # f is a threshold of a ±1-weighted sum: f(x) depends on x only through w.x, monotonically.
    vals = {}
    w = [(-1 if f.flip >> i & 1 else 1) for i in range(f.n)]
    for x in _points(f.n):
        s = sum(wi * xi for wi, xi in zip(w, x, strict=True))
        vals.setdefault(s, set()).add(f.evaluate(x))
    assert all(len(v) == 1 for v in vals.values())
    ordered = [next(iter(vals[s])) for s in sorted(vals)]
    assert ordered == sorted(ordered)  # non-decreasing in w.x
    assert set(ordered) <= {0, 1} or set(ordered) <= {-1, 1}


def test_threshold_shrinks_to_simplest() -> None:
    f = fst.shrink_target(fst.threshold_functions(n=(2, 3), theta=(-2, 2)))
    # smallest n, theta = 0, all-ones weights, 0/1 values, >= rule: 1[x1 + x2 >= 0]
    for x in _points(2):
        assert f.evaluate(x) == int(sum(x) >= 0)
    assert f.flip == 0


@FEW
@given(fst.sign_vectors((0, 9)))
def test_sign_vectors(w) -> None:
    assert all(v in (1, -1) for v in w)


def test_sign_vectors_shrink_to_fewest_flips() -> None:
    assert fst.shrink_target(fst.sign_vectors(5), lambda w: sum(w) <= 0) == (1, 1, -1, -1, -1)


@FEW
@given(fst.walsh_sets(6, max_degree=2, max_size=5))
def test_walsh_sets(A) -> None:
    assert isinstance(A, frozenset) and len(A) <= 5
    assert all(len(S) <= 2 and list(S) == sorted(set(S)) and all(0 <= i < 6 for i in S) for S in A)


@FEW
@given(fst.hermite_multi_indices(3, max_degree=5, min_degree=1))
def test_hermite_multi_indices(a) -> None:
    assert len(a) == 3 and all(v >= 0 for v in a) and 1 <= sum(a) <= 5


def test_hermite_multi_indices_cover_all_compositions() -> None:
    # an interior composition is reachable, and sets shrink to the constant alone
    assert fst.shrink_target(fst.hermite_multi_indices(2, max_degree=2), lambda b: b == (1, 1)) == (1, 1)


def test_polynomial_links_hermite_basis_matches_sympy() -> None:
    for j in range(7):
        got = sp.Poly(sum(c * fst.Z**i for i, c in enumerate(fst._hermite_prob_coeffs(j, 6))), fst.Z)
        want = sp.Poly(sp.hermite_prob(j, fst.Z), fst.Z)
        assert got == want, j


@FEW
@given(fst.polynomial_links(3, basis="hermite"))
def test_polynomial_links_degree_and_rational_coefficients(p) -> None:
    poly = sp.Poly(p, fst.Z)
    assert 0 <= poly.degree() <= 3 and p != 0
    assert all(c.is_Rational for c in poly.all_coeffs())


def test_polynomial_links_shrink_to_a_low_degree_term() -> None:
    assert fst.shrink_target(fst.polynomial_links(2, min_degree=1)) == fst.Z


# ------------------------------------------------------------------ params_for


@pytest.mark.parametrize("claim", list(REGISTRY), ids=lambda c: c.id)
def test_params_for_every_registered_claim_draws_valid_parameters(claim: Claim) -> None:
    try:
        strat = fst.params_for(claim)
    except ValueError as e:  # a parameter kind the strategy cannot draw must say so clearly
        assert claim.id or str(e)
        pytest.skip(f"params_for cannot derive a strategy: {e}")

    @settings(max_examples=8, database=None, suppress_health_check=[HealthCheck.filter_too_much])
    @given(strat)
    def inner(p):
        assert claim.bind(p) == p
        assert any(r.applies(p) for r in claim.routes)

    inner()


def test_param_strategy_kinds() -> None:
    odd = Param("n", "odd", low=1, high=99, typical=(4, 10))
    even = Param("n", "even", low=0, high=99, typical=(3, 9))
    real = Param("t", "real", typical=(-1, 1))
    choice = Param("f", "choice", choices=("a", "b"), default="a")
    assert fst.shrink_target(fst.param_strategy(odd)) == 5
    assert fst.shrink_target(fst.param_strategy(even)) == 4
    assert fst.shrink_target(fst.param_strategy(odd), lambda v: v > 8) == 9
    t = fst.shrink_target(fst.param_strategy(real), lambda v: v != 0)
    assert isinstance(t, Fraction) and -1 <= t <= 1
    assert fst.shrink_target(fst.param_strategy(choice)) == "a"
    assert fst.shrink_target(fst.param_strategy(Param("n", "int", default=3))) == 0  # ±20 around 3


def _toy_claim() -> Claim:
    return Claim(
        id="toy.constraint", statement="s", source="s",
        params=(Param("n", "int", low=1, high=20, default=5), Param("k", "int", low=0, high=20, default=1)),
        value=lambda n, k: Fraction(0),
        routes=(Route("r", lambda p, **kw: Evidence(Fraction(0)), Rule.exact(), applies=lambda p: p["n"] <= 10),),
        constraints=(lambda p: None if p["k"] <= p["n"] else "k must be <= n",),
    )


def test_params_for_respects_constraints_applicability_and_overrides() -> None:
    c = _toy_claim()

    @settings(max_examples=10, database=None)
    @given(fst.params_for(c))
    def inner(p):
        assert p["k"] <= p["n"] <= 10

    inner()
    assert fst.shrink_target(fst.params_for(c, {"k": st.integers(3, 4)})) == {"n": 3, "k": 3}
    # a claim whose defaults are its only valid point still gets examples (from its `examples`)
    tight = Claim(id="toy.tight", statement="s", source="s", params=(Param("n", "int", low=1, high=10**6),),
                  value=lambda n: 0, routes=c.routes, examples=({"n": 7},),
                  constraints=(lambda p: None if p["n"] == 7 else "n must be 7",))
    assert fst.shrink_target(fst.params_for(tight)) == {"n": 7}
    with pytest.raises(ValueError, match="has no parameter 'm'"):
        fst.params_for(c, {"m": 1})


@pytest.mark.parametrize("call,match", [
    (lambda: fst.subsets(-1), "n must be an integer in"),
    (lambda: fst.subsets(3, 4), "k must lie in"),
    (lambda: fst.truth_tables(11), "n must lie in"),
    (lambda: fst.majority_functions(n=(4, 4)), "no odd integer"),
    (lambda: fst.param_strategy(Param("n", "odd", typical=(4, 4))), "holds no odd integer"),
    (lambda: fst.walsh_sets(3, max_degree=4), "max_degree must be an integer in"),
    (lambda: fst.hermite_multi_indices(0), "d must be an integer in"),
    (lambda: fst.polynomial_links(3, basis="chebyshev"), "basis must be one of"),
    (lambda: fst.threshold_functions(n=3, max_denominator=0), "max_denominator"),
])
def test_bad_arguments_name_the_parameter(call, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        call()
