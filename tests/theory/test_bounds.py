"""Bound objects and catalogues (featurecheck.theory.bounds).

Formulas against independent values, exact vs log10 evaluation without overflow, honest statuses and
sources.

No Monte Carlo here: every comparison is exact or against an independent closed form (math.comb,
Stirling series in mpmath, brute-force enumeration in pure Python), so the false-alarm rate is 0.
"""

from __future__ import annotations

import itertools
import math
from fractions import Fraction

import mpmath
import pytest
import sympy as sp

from featurecheck.theory import bounds as B


# ----------------------------------------------------------------- catalogue integrity
def test_every_bound_has_source_status_kind_and_quantity() -> None:
    assert len(B.CATALOGUE) >= 30
    for b in B.CATALOGUE.values():
        assert b.source.strip() and b.method.strip(), b.id
        assert b.status in B.STATUSES and b.kind in B.KINDS and b.quantity in B.QUANTITIES, b.id
        assert b.id.startswith(b.problem + "."), b.id
        assert b.hidden in ("", "up to constants", "up to constants and logs"), b.id
        # explicit hidden constants appear in the formula and are declared
        assert set(b.constants) <= b.formula.free_symbols, b.id


def test_issue_catalogue_is_complete() -> None:
    ids = set(B.CATALOGUE)
    for need in ("parity.information_theoretic", "parity.erm", "parity.gaussian_elimination", "parity.sq_dimension",
                 "parity.sq_queries", "parity.csq_bessel", "parity.edelman_prop3", "parity.fixed_features",
                 "parity.one_step", "parity.barak_thm4_width", "parity.barak_thm7", "parity.kou_sign_sgd",
                 "parity.glasgow", "parity.leap_steps", "single-index.information_theoretic", "single-index.kernel",
                 "single-index.csq", "single-index.online_sgd", "single-index.smoothed_sgd", "single-index.ba_kernel",
                 "single-index.ba_network", "multi-index.kernel", "multi-index.dls", "multi-index.leap_steps"):
        assert need in ids, need


def test_statuses_are_honest() -> None:
    # the leap statements are conjectures (Abbe et al. 2023); union-bound / counting rows are derived
    for bid in ("parity.leap_steps", "parity.leap_time", "multi-index.leap_steps", "multi-index.leap_time"):
        assert B.get(bid).status == "conjecture"
    for bid in ("parity.erm", "parity.gaussian_elimination", "parity.sq_dimension", "parity.csq_bessel"):
        assert B.get(bid).status == "derived"
    # points the theory reference marks [unsure] carry the mark in their notes
    for bid in ("parity.sq_queries", "parity.barak_thm4_steps", "parity.one_step", "parity.leap_steps"):
        assert "[unsure]" in B.get(bid).notes, bid
    # asymptotic statements must say what they hide
    for bid in ("parity.kou_sign_sgd", "parity.glasgow", "single-index.kernel", "multi-index.dls"):
        assert B.get(bid).hidden == "up to constants and logs", bid


def test_bound_validation_rejects_bad_objects() -> None:
    n = B.symbols()["n"]
    with pytest.raises(ValueError, match="quantity"):
        B.Bound("x.y", "parity", "m", "apples", "upper", n, "theorem", "src")
    with pytest.raises(ValueError, match="status"):
        B.Bound("x.y", "parity", "m", "samples", "upper", n, "folklore", "src")
    with pytest.raises(ValueError, match="source"):
        B.Bound("x.y", "parity", "m", "samples", "upper", n, "theorem", " ")
    with pytest.raises(ValueError, match="undeclared symbols"):
        B.Bound("x.y", "parity", "m", "samples", "upper", n * sp.Symbol("Z"), "theorem", "src")
    with pytest.raises(ValueError, match="unknown bound id"):
        B.get("parity.nope")


def test_checked_by_ids_are_registered_claims() -> None:
    from featurecheck.numerics.claims import load_builtin_claims
    from featurecheck.theory.claims import REGISTRY

    load_builtin_claims()
    for b in B.CATALOGUE.values():
        for cid in b.checked_by:
            assert cid in REGISTRY, (b.id, cid)


# ----------------------------------------------------------------- log10 C(n, k)
@pytest.mark.parametrize("n,k", [(1, 0), (1, 1), (10, 3), (63, 31), (64, 32), (200, 7), (1000, 500), (5000, 17)])
def test_log10_binomial_matches_math_comb(n: int, k: int) -> None:
    exact = math.comb(n, k)
    with mpmath.workdps(50):
        ref = float(mpmath.log10(exact))
    assert B.log10_binomial(n, k) == pytest.approx(ref, abs=1e-12)


def test_log10_binomial_at_1e9_against_stirling_series() -> None:
    # log C(2m, m) = 2m log 2 - log(pi m)/2 - 1/(8m) + 1/(192 m^3) + O(m^-5): independent of lgamma
    m = 5 * 10**8
    with mpmath.workdps(60):
        ln = 2 * m * mpmath.log(2) - mpmath.log(mpmath.pi * m) / 2 - mpmath.mpf(1) / (8 * m) + mpmath.mpf(1) / (192 * m**3)
        ref = ln / mpmath.log(10)
    got = B.log10_binomial(2 * m, m, as_mpf=True)
    assert abs(got - ref) < mpmath.mpf(10) ** -20
    # small k at n = 1e9 against the exact integer
    assert B.log10_binomial(10**9, 4) == pytest.approx(math.log10(math.comb(10**9, 4)), abs=1e-12)


def test_log10_binomial_rejects_bad_k() -> None:
    with pytest.raises(ValueError, match="k must be in"):
        B.log10_binomial(5, 6)


# ----------------------------------------------------------------- formula values
def _ev(bid: str, **kw: object):
    pr = B.PROBLEMS[B.get(bid).problem]
    return B.get(bid).evaluate(**{**pr.aux, **kw})


def test_exact_values_against_hand_computation() -> None:
    assert _ev("parity.gaussian_elimination", n=20, k=3, delta=Fraction(1, 8)).exact == 23
    assert _ev("parity.sq_dimension", n=20, k=2).exact == math.comb(20, 2)
    assert _ev("parity.csq_bessel", n=20, k=2, tau=Fraction(1, 10)).exact == Fraction(math.comb(20, 2) - 1, 100)
    assert _ev("parity.edelman_prop3", n=10, k=3, delta=Fraction(1, 10)).exact == Fraction(9, 10) * 120 / 2
    assert _ev("parity.fixed_features", n=10, k=3, eps=Fraction(1, 2)).exact == 30
    assert _ev("parity.sss_variance", n=10, k=3).exact == Fraction(1, 120)
    assert _ev("parity.leap_steps", n=50, k=1).exact == 50 and _ev("parity.leap_steps", n=50, k=3).exact == 2500
    assert _ev("parity.leap_time", n=50, k=1).exact == 2500
    assert _ev("parity.kou_sign_sgd_width", n=50, k=3).exact == 8
    assert _ev("single-index.kernel", d=100, kstar=2, p=4).exact == 10**8
    assert _ev("single-index.smoothed_sgd", d=100, kstar=3, p=4).exact == 1000  # 100^(3/2), a perfect power
    assert _ev("single-index.smoothed_sgd", d=100, kstar=1, p=4).exact == 100  # max(1, 1/2) = 1
    assert _ev("single-index.ba_kernel", d=100, kstar=2, p=4).exact == Fraction(3, 4)
    assert _ev("single-index.ba_network", d=100, kstar=3, p=4).exact == Fraction(2, 3)
    assert _ev("multi-index.dls", d=100, r=2, p=3).exact == 100**2 * 2 + 100 * 2**3
    assert _ev("multi-index.leap_steps", d=100, r=2, p=3, leap=3).exact == 100**2


def test_irrational_values_are_log10_only() -> None:
    v = _ev("single-index.smoothed_sgd", d=1000, kstar=3, p=4)
    assert v.exact is None and v.log10 == pytest.approx(4.5, abs=1e-12)
    v = _ev("single-index.online_sgd", d=1000, kstar=2, p=4)  # d log d (natural log)
    assert v.exact is None and v.approx == pytest.approx(1000 * math.log(1000), rel=1e-14)
    v = _ev("parity.erm", n=20, k=2, delta=Fraction(1, 10))
    assert v.approx == pytest.approx(math.log2(math.comb(20, 2) - 1) + math.log2(10), rel=1e-14)
    v = _ev("parity.information_theoretic", n=20, k=2, delta=Fraction(1, 10))
    assert v.approx == pytest.approx(0.9 * math.log2(190) - 1, rel=1e-14)


def test_piecewise_online_sgd_branches() -> None:
    assert _ev("single-index.online_sgd", d=100, kstar=1, p=4).exact == 100
    assert _ev("single-index.online_sgd", d=100, kstar=3, p=4).exact == 100**2
    assert _ev("single-index.online_sgd", d=100, kstar=4, p=4).exact == 100**3


def test_exact_log2_of_powers_of_two() -> None:
    assert _ev("parity.gaussian_elimination", n=5, k=1, delta=Fraction(1, 1024)).exact == 15
    assert _ev("parity.gaussian_elimination", n=5, k=1, delta=Fraction(1, 3)).exact is None


def test_not_applicable_rows_say_why() -> None:
    v = _ev("parity.glasgow", n=20, k=3)
    assert not v.applicable and "k = 2" in v.reason and v.log10 is None
    v = _ev("parity.barak_thm4_width", n=20, k=3)
    assert not v.applicable and "even" in v.reason
    assert _ev("parity.erm", n=4, k=4).applicable is False


def test_no_overflow_at_n_1e9() -> None:
    for b in B.PARITY.bounds:
        for k in (1, 2, 7, 40):
            v = b.evaluate(n=10**9, k=k, **B.PARITY.aux)
            if v.applicable and v.log10 is not None:
                assert math.isfinite(v.log10), (b.id, k)
    # C(1e9, 40) is exact (Python int) and has 290 digits: log10 only, agreeing with the exact int
    v = B.get("parity.sq_dimension").evaluate(n=10**9, k=40)
    exact = math.comb(10**9, 40)
    assert v.exact is None and v.approx is None
    assert v.log10 == pytest.approx(len(str(exact)) - 1 + math.log10(int(str(exact)[:17]) / 1e16), abs=1e-12)
    # a huge power: d^p with d = 1e9, p = 1000 is 10^9000
    v = B.get("single-index.kernel").evaluate(d=10**9, kstar=1, p=1000)
    assert v.exact is None and v.log10 == pytest.approx(9000.0, abs=1e-9)
    # an enormous binomial through lgamma: C(1e9, 5e8)
    v = B.get("parity.sq_dimension").evaluate(n=10**9, k=5 * 10**8)
    assert v.log10 == pytest.approx(B.log10_binomial(10**9, 5 * 10**8), rel=1e-15)


def test_exact_values_respect_the_digit_limit() -> None:
    small = B.get("parity.kou_sign_sgd").evaluate(n=10**9, k=4)
    assert small.exact == 10**27
    big = B.get("parity.kou_sign_sgd").evaluate(n=10**9, k=12)  # 10^99 > 10^EXACT_MAX_DIGITS
    assert big.exact is None and big.log10 == pytest.approx(99.0, abs=1e-12)


def test_latex_uses_problem_symbols() -> None:
    assert B.get("single-index.csq").latex() == r"d^{\frac{k_{*}}{2}}"
    assert r"\log_2" in B.get("parity.gaussian_elimination").latex()
    assert "C_{T}" in B.get("parity.barak_thm4_steps").latex()


# ----------------------------------------------------------------- exact finite-sample formulas
def _rank_gf2(rows: list[int]) -> int:
    rank, rows = 0, list(rows)
    while rows:
        piv = rows.pop()
        if piv:
            rank += 1
            low = piv & -piv
            rows = [r ^ piv if r & low else r for r in rows]
    return rank


@pytest.mark.parametrize("n,m", [(1, 1), (1, 3), (2, 2), (2, 4), (3, 3), (3, 4), (2, 1), (4, 3)])
def test_gf2_full_rank_probability_by_pure_python_enumeration(n: int, m: int) -> None:
    full = sum(_rank_gf2(list(rows)) == n for rows in itertools.product(range(1 << n), repeat=m))
    assert B.gf2_full_rank_probability(n, m) == Fraction(full, 1 << (n * m))


def test_gf2_formula_negative_controls() -> None:
    # off-by-one exponents give different numbers (the MC tests show they are rejected)
    p = B.gf2_full_rank_probability(3, 4)
    wrong = math.prod(1 - Fraction(1, 2 ** (4 - i + 1)) for i in range(3))
    assert wrong != p


def _erm_success_pure(n: int, k: int, m: int) -> Fraction:
    subsets = [sum(1 << i for i in c) for c in itertools.combinations(range(n), k)]
    secret = (1 << k) - 1
    good = 0
    for xs in itertools.product(range(1 << n), repeat=m):
        cons = [T for T in subsets if all(bin(x & T).count("1") % 2 == bin(x & secret).count("1") % 2 for x in xs)]
        good += cons == [secret]
    return Fraction(good, 1 << (n * m))


@pytest.mark.parametrize("n,k,m", [(3, 1, 2), (3, 1, 3), (4, 2, 2), (4, 2, 3), (4, 1, 3)])
def test_erm_union_and_bonferroni_bracket_the_exact_success(n: int, k: int, m: int) -> None:
    exact = _erm_success_pure(n, k, m)
    assert B.erm_union_bound(n, k, m) <= exact <= B.erm_bonferroni_upper(n, k, m)


def test_krawtchouk_against_brute_force() -> None:
    n, k = 6, 3
    for x in range(1 << n):
        c = bin(x).count("1")
        direct = sum((-1) ** bin(x & sum(1 << i for i in S)).count("1") for S in itertools.combinations(range(n), k))
        assert B.krawtchouk(n, k, c) == direct
