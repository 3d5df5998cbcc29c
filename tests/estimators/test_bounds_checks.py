"""Numeric checks behind the bounds (featurecheck.numerics.estimators.bound_checks, featurecheck.numerics.claims.bounds), with negative controls.

Statistical budget: 5 Monte Carlo assertions with a stated two-sided level alpha = 1e-6 each
(2 Clopper-Pearson for the GF(2) learner, 1 for ERM success, 2 empirical Bernstein for the
gradient-variance pair estimator), so the false-alarm probability of this module is at most 5e-6 by
the union bound. Seeds are fixed (no retries), so every run is identical. Negative controls use the
same fixed seeds and check that a deliberately wrong value is rejected. Everything else is exact.
"""

from __future__ import annotations

import itertools
import math
from fractions import Fraction

import numpy as np
import pytest
from scipy import stats

from featurecheck.numerics._kernels import bounds as K
from featurecheck.numerics._kernels.rng import Purpose, stream_key
from featurecheck.numerics.checking.engine import check
from featurecheck.numerics.claims import bounds as CB
from featurecheck.numerics.estimators import bound_checks as BC
from featurecheck.theory.bounds import erm_bonferroni_upper, erm_union_bound, gf2_full_rank_probability
from featurecheck.theory.claims import Evidence, Rule

ALPHA = 1e-6


# ----------------------------------------------------------------- intervals
@pytest.mark.parametrize("x,N", [(0, 10), (3, 10), (10, 10), (517, 1000), (1, 100000)])
def test_clopper_pearson_and_wilson_match_scipy_binomtest(x: int, N: int) -> None:
    res = stats.binomtest(x, N)
    for alpha in (0.05, 1e-6):
        ci = res.proportion_ci(confidence_level=1 - alpha, method="exact")
        assert BC.clopper_pearson(x, N, alpha) == pytest.approx((ci.low, ci.high), abs=1e-9)
        ci = res.proportion_ci(confidence_level=1 - alpha, method="wilson")
        assert BC.wilson(x, N, alpha) == pytest.approx((ci.low, ci.high), abs=1e-9)


def test_interval_inputs_validated() -> None:
    with pytest.raises(ValueError, match="successes must be an integer in \\[0, 10\\]"):
        BC.clopper_pearson(11, 10, 0.05)
    with pytest.raises(ValueError, match="alpha"):
        BC.wilson(1, 10, 1.5)


# ----------------------------------------------------------------- SQ dimension
def test_parity_tables_against_direct_evaluation() -> None:
    n, k = 5, 2
    T = BC.parity_tables(n, k)
    for row, S in zip(T, itertools.combinations(range(n), k), strict=True):
        for x in range(1 << n):
            xs = [-1 if (x >> i) & 1 else 1 for i in range(n)]
            assert row[x] == math.prod(xs[i] for i in S)


@pytest.mark.parametrize("n,k", [(1, 1), (6, 0), (8, 4), (11, 2), (12, 6)])
def test_k_parities_are_orthonormal(n: int, k: int) -> None:
    assert BC.orthonormal_count(BC.parity_tables(n, k)) == math.comb(n, k)


def test_sq_negative_control_non_orthogonal_family_rejected() -> None:
    n, k = 6, 2
    rule = CB.SQ_ORTHO.routes[0].rule
    # AND-monomials prod_{i in S} (1 - x_i) (values 0 or 2^k): not orthogonal
    x = np.arange(1 << n, dtype=np.uint64)
    ands = np.array([np.where((x & np.uint64(sum(1 << i for i in S))) == sum(1 << i for i in S), 1 << k, 0)
                     for S in itertools.combinations(range(n), k)], dtype=np.int64)
    cnt = BC.orthonormal_count(ands)
    assert cnt < math.comb(n, k)
    assert not rule.judge(math.comb(n, k), Evidence(cnt))
    # one duplicated parity breaks orthogonality of exactly two rows
    T = BC.parity_tables(n, k)
    dup = np.vstack([T, T[:1]])
    assert BC.orthonormal_count(dup) == math.comb(n, k) - 1
    # the claimed count off by one is rejected
    assert not rule.judge(math.comb(n, k) + 1, Evidence(BC.orthonormal_count(T)))


def test_orthonormal_count_validates() -> None:
    with pytest.raises(ValueError, match="2\\^n columns"):
        BC.orthonormal_count(np.ones((2, 3), dtype=np.int64))
    with pytest.raises(ValueError, match="integer"):
        BC.orthonormal_count(np.ones((2, 4)))


# ----------------------------------------------------------------- CSQ Bessel
def _level_ratio_pure(q: list[int], n: int, k: int) -> Fraction:
    tot = Fraction(0)
    for S in itertools.combinations(range(n), k):
        m = sum(1 << i for i in S)
        c = Fraction(sum(q[x] * (-1) ** bin(x & m).count("1") for x in range(1 << n)), 1 << n)
        tot += c * c
    return tot / Fraction(sum(v * v for v in q), 1 << n)


def test_level_weight_ratio_against_direct_sums() -> None:
    q = BC.random_queries(5, 3, seed=4)
    for row in q:
        for k in (1, 2, 3):
            assert BC.level_weight_ratio(row, k) == _level_ratio_pure(row.tolist(), 5, k)


def test_bessel_holds_for_random_and_span_queries() -> None:
    for n, k in [(6, 2), (9, 3), (12, 5)]:
        Q = BC.random_queries(n, 6, seed=n)
        assert max(BC.level_weight_ratio(q, k) for q in Q) <= 1
        assert BC.level_weight_ratio(BC.span_query(n, k, seed=n), k) == 1
    # summed over all levels it is Parseval (= 1 exactly)
    q = BC.random_queries(7, 1, seed=1)[0]
    assert sum(BC.level_weight_ratio(q, k) for k in range(8)) == 1


def test_bessel_negative_controls() -> None:
    rule = CB.CSQ_BESSEL.routes[0].rule
    ev = check(CB.CSQ_BESSEL, {"n": 8, "k": 3, "queries": 4})[0]
    assert ev.passed and ev.estimate == 1
    # a bound 5% too strong is rejected (the span query attains 1)
    assert not rule.judge(Fraction(95, 100), Evidence(ev.estimate, ev.interval))
    # a non-orthonormal family: chi_S and chi_S + chi_T (norm 2) -- Bessel's sum exceeds E[q^2]
    n = 6
    x = np.arange(1 << n, dtype=np.uint64)
    chi = [1 - 2 * (np.bitwise_count(x & np.uint64(m)) & 1).astype(np.int64) for m in (0b11, 0b101)]
    fam = [chi[0], chi[0] + chi[1]]
    q = chi[0] + chi[1]
    bessel = sum(Fraction(int(q @ f), 1 << n) ** 2 for f in fam) / Fraction(int(q @ q), 1 << n)
    assert bessel > 1 and not rule.judge(1, Evidence(bessel, (bessel, bessel)))


# ----------------------------------------------------------------- gradient variance
def _grad_pure(net: BC.ReluNet, x: int) -> list[Fraction]:
    """D p / d theta by exact one-sided differences in Fractions (p is linear near theta: no kink)."""
    n, h = net.n, net.width
    xs = [-1 if (x >> i) & 1 else 1 for i in range(n)]
    W = [[Fraction(int(v)) for v in row] for row in net.W]
    b = [Fraction(int(v), 2) for v in net.b2]
    a = [Fraction(int(v)) for v in net.a]

    def p(W: list, b: list, a: list) -> Fraction:
        return sum(a[j] * max(Fraction(0), sum(W[j][i] * xs[i] for i in range(n)) + b[j]) for j in range(h))

    eps = Fraction(1, 1000)  # |w.x + b| >= 1/2, so a step of 1/1000 never crosses the kink
    base = p(W, b, a)
    g: list[Fraction] = []
    for j in range(h):
        a2 = list(a)
        a2[j] += eps
        g.append((p(W, b, a2) - base) / eps)
    for j in range(h):
        for i in range(n):
            W2 = [list(r) for r in W]
            W2[j][i] += eps
            g.append((p(W2, b, a) - base) / eps)
    for j in range(h):
        b2 = list(b)
        b2[j] += eps
        g.append((p(W, b2, a) - base) / eps)
    return g


def test_gradient_table_against_finite_differences() -> None:
    net = BC.relu_net(4, width=3, net=5)
    D = BC.gradient_table(net)
    for x in range(16):
        assert [Fraction(int(v), 2) for v in D[x]] == _grad_pure(net, x)


def test_relu_grad_kernel_matches_py_func() -> None:
    net = BC.relu_net(3, width=2, net=2)
    a = np.empty((8, net.n_params), dtype=np.int64)
    b = np.empty_like(a)
    K.relu_grad_table(np.int64(3), net.W, net.b2, net.a, a)
    K.relu_grad_table.py_func(3, net.W, net.b2, net.a, b)
    assert np.array_equal(a, b)


def _variance_pure(net: BC.ReluNet, family: list[list[int]]) -> tuple[Fraction, Fraction]:
    """|H| Var_h ||grad F_h - mean||^2 and G^2 straight from the definitions (squared loss)."""
    n = net.n
    N = 1 << n
    grads = [_grad_pure(net, x) for x in range(N)]
    P = len(grads[0])
    pvals = [sum(Fraction(int(net.a[j])) * max(Fraction(0), sum(int(net.W[j][i]) * (-1 if (x >> i) & 1 else 1)
                                                          for i in range(n)) + Fraction(int(net.b2[j]), 2))
                 for j in range(net.width)) for x in range(N)]
    gF = []
    for h in family:
        gF.append([sum((pvals[x] - h[x]) * grads[x][i] for x in range(N)) / N for i in range(P)])
    mean = [sum(g[i] for g in gF) / len(gF) for i in range(P)]
    var = sum(sum((g[i] - mean[i]) ** 2 for i in range(P)) for g in gF) / len(gF)
    G2 = sum(sum(v * v for v in gr) for gr in grads) / N
    return len(family) * var, G2


def test_gradient_variance_exact_against_definition() -> None:
    net = BC.relu_net(4, width=2, net=3)
    fam = BC.parity_tables(4, 2).astype(int).tolist()
    vt, G2 = _variance_pure(net, fam)
    gv = BC.gradient_variance_exact(net, "sparse", 2)
    assert (gv.var_times_size, gv.G2, gv.size) == (vt, G2, 6)
    allfam = [[(-1) ** bin(x & S).count("1") for x in range(16)] for S in range(16)]
    vt, G2 = _variance_pure(net, allfam)
    gv = BC.gradient_variance_exact(net, "all")
    assert (gv.var_times_size, gv.G2) == (vt, G2)


@pytest.mark.parametrize("n,k,width,net", [(6, 1, 1, 0), (8, 2, 4, 1), (10, 3, 6, 2), (12, 2, 3, 3), (12, 6, 2, 4)])
def test_sss_bound_holds_exactly(n: int, k: int, width: int, net: int) -> None:
    f = BC.relu_net(n, width=width, net=net)
    assert BC.gradient_variance_exact(f, "sparse", k).delta <= 0
    assert BC.gradient_variance_exact(f, "all").delta <= 0
    assert BC.gradient_variance_family(f, BC.parity_tables(n, k)) == BC.gradient_variance_exact(f, "sparse", k)


def test_sss_negative_controls() -> None:
    f = BC.relu_net(10, width=4, net=0)
    # over all parities the bound is nearly tight: a constant 5% smaller is violated
    gv = BC.gradient_variance_exact(f, "all")
    assert gv.ratio > Fraction(95, 100)
    rule = CB.SSS_VAR.routes[0].rule
    wrong = gv.var_times_size - Fraction(95, 100) * gv.G2
    assert not rule.judge(0, Evidence(wrong, (wrong, wrong)))
    # a family that is not pairwise orthogonal (one parity repeated with both signs many times) breaks it
    chi = BC.parity_tables(10, 1)[:1].astype(np.int64)
    fam = np.vstack([chi, -chi] * 200)
    bad = BC.gradient_variance_family(f, fam)
    assert bad.delta > 0 and not rule.judge(0, Evidence(bad.delta, (bad.delta, bad.delta)))


def test_sss_monte_carlo_interval_contains_exact_and_rejects_wrong_constant() -> None:
    # 2 MC assertions (alpha = 1e-6 each, empirical Bernstein) + 1 negative control
    for k in (1, 2):
        f = BC.relu_net(12, width=4, net=1)
        exact = BC.gradient_variance_exact(f, "sparse", k)
        est = BC.gradient_variance_mc(f, k, pairs=1 << 19, seed=0, alpha=ALPHA)
        assert est.ci[0] <= float(exact.delta) <= est.ci[1]
    # negative control: the wrong bound Var <= G^2 / |H|^2 (exponent off by one) is rejected
    exact = BC.gradient_variance_exact(f, "sparse", 1)
    assert exact.var_times_size - exact.G2 / exact.size > 0
    wrong = BC.gradient_variance_mc(f, 1, pairs=1 << 19, seed=1, alpha=ALPHA, c_g=Fraction(1, exact.size))
    assert not Rule.upper(ALPHA).judge(0, Evidence(wrong.value, wrong.ci))


def test_sss_parallel_equals_serial_and_py_func() -> None:
    f = BC.relu_net(9, width=3, net=2)
    a = BC.gradient_variance_mc(f, 2, pairs=40_000, seed=3, parallel=True)
    b = BC.gradient_variance_mc(f, 2, pairs=40_000, seed=3, parallel=False)
    assert (a.value, a.ci) == (b.value, b.ci)
    kr = np.array([float(x) for x in (36, 20, 8, 0, -4, -4, 0, 8, 20, 36)])  # K_2(c) for n = 9
    out1 = np.zeros((2, K.ROW))
    out2 = np.zeros((2, K.ROW))
    args = (stream_key(0, Purpose.SSS_VARIANCE), np.int64(0), np.int64(2), np.int64(50), np.int64(30), np.int64(9), f.W, f.b2, f.a, kr,
            np.float64(36.0), np.float64(1.0))
    K.sss_pairs_serial(*args, out1)
    with np.errstate(over="ignore"):
        K.sss_pairs_serial.py_func(*args, out2)
    assert np.allclose(out1, out2, rtol=1e-13, atol=0)


# ----------------------------------------------------------------- GF(2) learner
def test_gf2_eliminate_matches_py_func_and_solves() -> None:
    rng = np.random.default_rng(0)
    for n, m in [(3, 3), (5, 7), (8, 8), (20, 24)]:
        for _ in range(20):
            s = int(rng.integers(0, 1 << n))
            xs = rng.integers(0, 1 << n, size=m).astype(np.uint64)
            rows = np.array([int(x) | ((bin(int(x) & s).count("1") & 1) << n) for x in xs], dtype=np.uint64)
            r1, s1 = K.gf2_eliminate(rows.copy(), np.int64(m), np.int64(n))
            r2, s2 = K.gf2_eliminate.py_func(rows.copy(), m, n)
            assert (int(r1), int(s1)) == (int(r2), int(s2))
            # rank against numpy's rank over GF(2) via a pure-Python elimination
            rank = 0
            work = [int(x) for x in xs]
            for col in range(n):
                piv = next((i for i in range(rank, m) if work[i] >> col & 1), None)
                if piv is None:
                    continue
                work[rank], work[piv] = work[piv], work[rank]
                work = [w ^ work[rank] if (i != rank and w >> col & 1) else w for i, w in enumerate(work)]
                rank += 1
            assert int(r1) == rank
            if rank == n:
                assert int(s1) == s


@pytest.mark.parametrize("n,m", [(1, 1), (2, 2), (2, 5), (3, 4), (4, 4), (3, 6)])
def test_gf2_enumeration_equals_formula(n: int, m: int) -> None:
    assert BC.gf2_full_rank_enumerated(n, m) == gf2_full_rank_probability(n, m)


def test_gf2_enum_kernel_matches_py_func() -> None:
    assert K.gf2_enum_full_rank(np.int64(2), np.int64(3)) == K.gf2_enum_full_rank.py_func(2, 3)


def test_gf2_learner_within_clopper_pearson_and_negative_controls() -> None:
    # 2 MC assertions (Clopper-Pearson, alpha = 1e-6 each)
    for n, m in [(20, 20), (30, 32)]:
        est = BC.gf2_success_mc(n, m, trials=100_000, seed=0, alpha=ALPHA)
        assert est.anomalies == 0
        p = gf2_full_rank_probability(n, m)
        assert est.contains(p)
        # wrong rank formulas: exponent off by one either way, and a factor 1.05
        off1 = math.prod(1 - Fraction(1, 2 ** (m + 1 - i)) for i in range(n))
        off2 = math.prod(1 - Fraction(1, 2 ** (m - i)) for i in range(n + 1)) if m > n else Fraction(0)
        assert not est.contains(off1)
        assert not est.contains(off2)
        assert not est.contains(p * Fraction(105, 100))


def test_gf2_parallel_equals_serial_and_py_func() -> None:
    a = BC.gf2_success_mc(12, 13, trials=50_000, seed=5, parallel=True)
    b = BC.gf2_success_mc(12, 13, trials=50_000, seed=5, parallel=False)
    assert (a.successes, a.anomalies) == (b.successes, b.anomalies)
    o1 = np.zeros((2, K.ROW), dtype=np.int64)
    o2 = np.zeros((2, K.ROW), dtype=np.int64)
    args = (stream_key(1, Purpose.GF2), np.int64(0), np.int64(2), np.int64(40), np.int64(25), np.int64(6), np.int64(7))
    K.gf2_trials_serial(*args, o1)
    with np.errstate(over="ignore"):
        K.gf2_trials_serial.py_func(*args, o2)
    assert np.array_equal(o1, o2)


# ----------------------------------------------------------------- brute-force ERM
@pytest.mark.parametrize("n,k,m", [(3, 1, 2), (4, 2, 3), (5, 2, 3), (4, 3, 4)])
def test_erm_enumeration_is_bracketed(n: int, k: int, m: int) -> None:
    p = BC.erm_success_enumerated(n, k, m)
    assert erm_union_bound(n, k, m) <= p <= erm_bonferroni_upper(n, k, m)


def test_erm_enum_kernel_matches_py_func() -> None:
    masks = BC.subset_masks(4, 2)
    a = K.erm_enum_success(np.int64(4), np.int64(2), np.uint64(3), masks)
    b = K.erm_enum_success.py_func(4, 2, np.uint64(3), masks)
    assert a == b


def test_erm_mc_between_union_and_bonferroni_and_negative_control() -> None:
    # 1 MC assertion (Clopper-Pearson, alpha = 1e-6): the interval meets [union, Bonferroni]
    n, k, m = 12, 2, 9
    est = BC.erm_success_mc(n, k, m, trials=200_000, seed=0, alpha=ALPHA)
    lo, hi = erm_union_bound(n, k, m), erm_bonferroni_upper(n, k, m)
    assert est.ci[1] >= lo and est.ci[0] <= hi
    rule = CB.ERM_UNION.routes[1].rule
    assert rule.judge(lo, Evidence(est.value, est.ci))
    # a bound that is too strong (10% less failure than the union bound) is rejected
    too_strong = 1 - Fraction(9, 10) * Fraction(math.comb(n, k) - 1, 1 << m)
    assert too_strong > hi
    assert not rule.judge(too_strong, Evidence(est.value, est.ci))


def test_erm_parallel_equals_serial_and_py_func() -> None:
    a = BC.erm_success_mc(10, 2, 7, trials=40_000, seed=2, parallel=True)
    b = BC.erm_success_mc(10, 2, 7, trials=40_000, seed=2, parallel=False)
    assert a.successes == b.successes
    masks = BC.subset_masks(6, 2)
    o1 = np.zeros((2, K.ROW), dtype=np.int64)
    o2 = np.zeros((2, K.ROW), dtype=np.int64)
    args = (stream_key(2, Purpose.ERM), np.int64(0), np.int64(2), np.int64(30), np.int64(20), np.int64(6), np.int64(5),
            np.uint64(3), masks)
    K.erm_trials_serial(*args, o1)
    with np.errstate(over="ignore"):
        K.erm_trials_serial.py_func(*args, o2)
    assert np.array_equal(o1, o2)


def test_query_kernel_matches_py_func_and_is_bounded() -> None:
    a = np.empty((2, 16), dtype=np.int64)
    b = np.empty_like(a)
    K.query_values(stream_key(9, Purpose.QUERIES), np.int64(3), a)
    with np.errstate(over="ignore"):  # uint64 wrap-around is intended (SplitMix64)
        K.query_values.py_func(stream_key(9, Purpose.QUERIES), 3, b)
    assert np.array_equal(a, b) and np.abs(a).max() <= 3


# ----------------------------------------------------------------- claims and validation
def test_claims_verify_at_small_examples() -> None:
    # exact routes only (the registry contract test runs every default example through every route)
    for c, ex in [(CB.SQ_ORTHO, {"n": 8, "k": 3}), (CB.CSQ_BESSEL, {"n": 8, "k": 2}),
                  (CB.SSS_VAR, {"family": "sparse", "n": 8, "k": 2}), (CB.GF2_RANK, {"n": 3, "m": 4}),
                  (CB.ERM_UNION, {"n": 4, "k": 2, "m": 4})]:
        rs = check(c, ex, seed=0, routes=["enumeration", "fwht"])
        assert rs and all(r.passed for r in rs), [(r.label, r.route, r.estimate) for r in rs]


@pytest.mark.parametrize("fn,kwargs,match", [
    (BC.gf2_success_mc, {"n": 64, "m": 70}, "n must be an integer in \\[1, 63\\]"),
    (BC.gf2_full_rank_enumerated, {"n": 5, "m": 5}, "n\\*m must be <= 24"),
    (BC.erm_success_mc, {"n": 10, "k": 11, "m": 5}, "k must be an integer in \\[1, 10\\]"),
    (BC.parity_tables, {"n": 17, "k": 2}, "n must be an integer in \\[1, 16\\]"),
    (BC.relu_net, {"n": 5, "width": 0}, "width must be an integer in \\[1, 64\\]"),
    (BC.random_queries, {"n": 4, "count": 0, "seed": 0}, "count must be an integer"),
])
def test_bad_inputs_rejected_before_kernels(fn, kwargs, match) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match=match):
        fn(**kwargs)


def test_claim_constraints() -> None:
    with pytest.raises(ValueError, match="family=all is checked exactly for n <= 12"):
        check(CB.SSS_VAR, {"family": "all", "n": 14})
    with pytest.raises(ValueError, match="k must be in \\[1, n-1\\]"):
        check(CB.ERM_UNION, {"n": 5, "k": 5, "m": 3})
