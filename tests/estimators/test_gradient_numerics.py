"""Monte Carlo, kernels and minibatch experiment of featurecheck.numerics.estimators.gradients, and the gradient claims' rules.

Statistical budget (fixed seeds, no retries):
- Monte Carlo gradient containment: 15 empirical-Bernstein intervals at alpha = 1e-6 each;
- minibatch success probability vs exact enumeration of all batches: 3 Clopper-Pearson intervals at
  alpha = 1e-6 each;
- the claims checked through ``featurecheck.numerics.checking.engine.check``: 3 statistical checks at alpha = 1e-6.
So the false-alarm probability of this module is at most 2e-5 (union bound). Negative controls
(wrong sign, factor 1.1, off-by-one exponent/threshold, the factor-2 reference constant, a bound below
the simulated bracket) must be rejected; with the fixed seeds their outcome is deterministic too.
"""

from __future__ import annotations

import dataclasses
import math
from fractions import Fraction
from itertools import product

import numba
import numpy as np
import pytest
import sympy as sp
from scipy import stats

from featurecheck.numerics._kernels import gradient as K
from featurecheck.numerics._kernels.rng import GAMMA, chunk_key, mix64
from featurecheck.numerics.checking.engine import check
from featurecheck.numerics.claims import load_builtin_claims
from featurecheck.numerics.estimators import gradients as G
from featurecheck.theory import relu as R
from featurecheck.theory.claims import REGISTRY, Evidence, Rule

load_builtin_claims()

ALPHA = 1e-6
M64 = 2**64 - 1

# ---------------------------------------------------------------- Monte Carlo gradients


@pytest.mark.parametrize("n,k,b", [(101, 2, 0), (257, 4, 0), (300, 3, 2), (1000, 1, "-5/2")])
def test_mc_gradients_contain_exact_values(n, k, b):
    est = G.relu_gradients_mc(n, k, b, samples=1 << 21, seed=7, alpha=ALPHA)
    assert est.relevant.contains(R.relevant_gradient(n, k, b))
    assert est.irrelevant is not None and est.irrelevant.contains(R.irrelevant_gradient(n, k, b))
    assert est.bias.contains(R.bias_gradient(n, k, b))
    assert est.relevant.alpha == ALPHA and est.relevant.interval == "bernstein"


def test_mc_gradient_with_sign_vector():
    n, S, w = 150, range(3), "alternating"
    for i in (0, 149):
        est = G.relu_gradient_mc(n, S, i, 1, w, samples=1 << 21, seed=11, alpha=ALPHA)
        assert est.contains(R.relu_gradient_coordinate(n, S, i, 1, w))


def test_mc_negative_controls():
    est = G.relu_gradient_mc(31, range(2), 0, 0, samples=1 << 21, seed=3, alpha=ALPHA)
    v = float(R.relevant_gradient(31, 2))
    assert est.contains(v)
    assert not est.contains(-v)
    assert not est.contains(1.1 * v)
    assert not est.contains(float(-threshold_level(31, 3, 1)))  # non-strict gate off by one threshold


def threshold_level(n, theta, level):
    from featurecheck.theory.boolean import threshold_coefficient

    return threshold_coefficient(n, theta, level)


def test_exact_enumeration_route_matches_theory_with_signs():
    for w in ("ones", "+--+-+-", "alternating"):
        for b in (0, 1, Fraction(-3, 2)):
            g = R.relu_gradient(7, [0, 2, 5], b, w)
            for i in range(7):
                assert G.relu_gradient_exact(7, [0, 2, 5], i, b, w) == g.dw[i]
            assert G.relu_gradient_exact(7, [0, 2, 5], None, b, w) == g.db


# ---------------------------------------------------------------- kernels


def _python_gradient(key, trial, B, n, fmask, flip, t, pmask):
    """Plain-Python replica: same counter-based words, per-coordinate sums without bit slicing."""
    kc = int(chunk_key(np.uint64(key), np.uint64(trial)))
    Gv = [0] * n
    for s in range(B):
        z = int(mix64(np.uint64((kc + (s + 1) * int(GAMMA)) & M64))) & fmask
        if bin((z ^ flip) & fmask).count("1") <= t:
            chi = -1 if bin(z & pmask).count("1") % 2 else 1
            for i in range(n):
                Gv[i] += chi * (-1 if z >> i & 1 else 1)
    return Gv


@pytest.mark.parametrize("n,k,b,w", [(5, 2, 0, None), (9, 3, 2, "+-+-+--++"), (64, 4, 0, None), (12, 1, -3, None)])
def test_batch_gradient_equals_python_replica(n, k, b, w):
    f = G.gate(n, b, w)
    key, B = 0x1234ABCD, 300
    out = np.zeros(n, dtype=np.int64)
    pmask = (1 << k) - 1
    K.batch_gradient(np.uint64(key), np.int64(5), np.int64(B), np.int64(n), np.uint64(f.fmask), np.uint64(f.flip),
                     np.int64(f.t), np.uint64(pmask), out)
    assert out.tolist() == _python_gradient(key, 5, B, n, f.fmask, f.flip, f.t, pmask)


def test_kernels_match_py_func_on_tiny_inputs():
    f = G.gate(6, 0)
    args = (np.uint64(99), np.int64(2), np.int64(40), np.int64(6), np.uint64(f.fmask), np.uint64(f.flip),
            np.int64(f.t), np.uint64(3))
    a = np.zeros(6, dtype=np.int64)
    b = np.zeros(6, dtype=np.int64)
    K.batch_gradient(*args, a)
    with np.errstate(over="ignore"):
        K.batch_gradient.py_func(*args, b)
    assert a.tolist() == b.tolist()
    for Gv, smask in ([np.array([5, -4, 3, 3]), 3], [np.array([5, -3, 3, 3]), 3], [np.array([1, 0, 0]), 1]):
        assert K.top_k_is_set(Gv, np.int64(len(Gv)), np.uint64(smask)) == K.top_k_is_set.py_func(
            Gv, np.int64(len(Gv)), np.uint64(smask))
    assert K.top_k_is_set(np.array([5, -4, 3, 3]), np.int64(4), np.uint64(3)) == 1
    assert K.top_k_is_set(np.array([5, -3, 3, 3]), np.int64(4), np.uint64(3)) == 0  # a tie is a failure


def test_parallel_equals_serial_and_thread_count():
    f = G.gate(17, 0)
    args = (np.uint64(2024), np.int64(0), np.int64(200), np.int64(17), np.uint64(f.fmask), np.uint64(f.flip),
            np.int64(f.t), np.uint64(3))
    par = np.zeros(64, dtype=np.int8)
    ser = np.zeros(64, dtype=np.int8)
    K.batch_successes(*args, par)
    K.batch_successes_serial(*args, ser)
    assert par.tolist() == ser.tolist()
    old = numba.get_num_threads()
    try:
        numba.set_num_threads(1)
        one = G.batch_success(17, 2, 200, trials=64, seed=5)
    finally:
        numba.set_num_threads(old)
    assert one == G.batch_success(17, 2, 200, trials=64, seed=5)


# ---------------------------------------------------------------- minibatch success probability


def _exact_success(n, k, b, B):
    """Pr[top-k of |g| = S] over all (2^n)^B batches (ties fail), plain Python."""
    pts = list(product((-1, 1), repeat=n))
    contrib = []
    for x in pts:
        if sum(x) + b > 0:
            chi = math.prod(x[:k])
            contrib.append(tuple(chi * xi for xi in x))
        else:
            contrib.append((0,) * n)
    wins = 0
    for batch in product(range(len(pts)), repeat=B):
        g = [sum(contrib[t][i] for t in batch) for i in range(n)]
        if min(abs(v) for v in g[:k]) > max(abs(v) for v in g[k:]):
            wins += 1
    return Fraction(wins, len(pts) ** B)


@pytest.mark.parametrize("n,k,b,B,control", [(3, 1, 0, 5, True), (4, 2, 0, 3, False), (4, 1, "1/2", 4, True)])
def test_success_probability_matches_exact_enumeration(n, k, b, B, control):
    p = _exact_success(n, k, Fraction(b), B)
    est = G.batch_success(n, k, B, b, trials=20_000, seed=1, alpha=ALPHA)
    assert est.ci[0] <= p <= est.ci[1], (p, est)
    assert not est.ci[0] <= 1 - p <= est.ci[1]  # negative control: the complement
    if control:  # p >= 1/4: the interval resolves a 10% relative error
        assert p >= Fraction(1, 4)
        assert not est.ci[0] <= p * Fraction(11, 10) <= est.ci[1]


def test_clopper_pearson_matches_scipy_binomtest():
    for x, N, a in [(0, 10, 0.05), (3, 10, 0.01), (10, 10, 0.1), (412, 1000, 1e-6)]:
        ci = stats.binomtest(x, N).proportion_ci(confidence_level=1 - a, method="exact")
        lo, hi = G.clopper_pearson(x, N, a)
        assert lo == pytest.approx(ci.low, abs=1e-12) and hi == pytest.approx(ci.high, abs=1e-12)


def test_sweep_brackets_and_stays_below_bound():
    r = G.batch_sweep(9, 2, trials=300, seed=4)
    assert r.interval[0] <= r.B_half <= r.interval[1]
    assert r.rows[-1].ci[0] > 0.5
    assert r.bound is not None and r.interval[0] <= r.bound
    assert r.alpha_point == pytest.approx(r.alpha / r.grid_size)
    assert [row.B for row in r.rows] == sorted({row.B for row in r.rows})
    again = G.batch_sweep(9, 2, trials=300, seed=4)
    assert again.B_half == r.B_half and again.rows == r.rows
    other = G.batch_sweep(9, 2, trials=300, seed=5)
    assert other.rows != r.rows


def test_fit_loglog_exact_power_law_and_errors():
    s, se, c = G.fit_loglog([3, 9, 27, 81], [2 * v**1.5 for v in (3, 9, 27, 81)])
    assert s == pytest.approx(1.5, abs=1e-12) and se == pytest.approx(0, abs=1e-9)
    assert math.exp(c) == pytest.approx(2, rel=1e-12)
    with pytest.raises(ValueError, match="at least two"):
        G.fit_loglog([1], [1])
    with pytest.raises(ValueError, match="positive"):
        G.fit_loglog([1, 2], [0, 1])


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: G.batch_success(65, 2, 10), r"n must be an integer in \[2, 64\], got 65"),
        (lambda: G.batch_success(9, 9, 10), r"k must be an integer in \[1, 8\], got 9"),
        (lambda: G.batch_success(9, 2, 0), r"B must be an integer in \[1, "),
        (lambda: G.batch_success(9, 2, 10, trials=0), r"trials must be an integer in \[1, "),
        (lambda: G.batch_success(9, 2, 10, alpha=1.5), r"alpha must be"),
        (lambda: G.batch_sweep(5, 4), r"Fourier gap .* is not positive"),
        (lambda: G.batch_sweep(9, 2, ratio=1.0), r"ratio must be a finite real number in \[1.01, 16.0\]"),
        (lambda: G.relu_gradient_mc(10, [0], 10), r"i must be an integer in \[0, 9\], got 10"),
        (lambda: G.relu_gradient_exact(31, [0], 0), r"n must be an integer in \[1, 30\], got 31"),
        (lambda: G.gate(4, 0, "+-+"), r"w must be a ±1 vector of length n=4"),
        (lambda: G.minibatch_exponent(2, [9, 9]), r"at least two distinct sizes"),
    ],
)
def test_bad_input(call, match):
    with pytest.raises(ValueError, match=match):
        call()


# ---------------------------------------------------------------- claims: pass, and negative controls


def _with_value(cid, fn):
    return dataclasses.replace(REGISTRY.get(cid), value=fn)


def test_closed_form_claim_rules_reject_perturbations():
    c = REGISTRY.get("gradient.relu_closed_form")
    p = {"n": 13, "k": 2, "b": 0, "which": "relevant"}
    assert all(r.passed for r in check(c, p, seed=2))
    for factor in (-1, Fraction(11, 10)):
        bad = _with_value(c.id, lambda n, k, b, which, w="ones", f=factor: f * c.value(n, k, b, which, w))
        res = {r.route: r.passed for r in check(bad, p, seed=2)}
        assert res == {"enumeration": False, "weight-sum": False, "monte-carlo": False}, (factor, res)
    assert not all(r.passed for r in check(_with_value(c.id, lambda n, k, b, which, w="ones": Fraction(21, 20)
                                                       * c.value(n, k, b, which, w)), p, routes=["enumeration"]))


def test_exact_claims_reject_off_by_one():
    ratio = _with_value("gradient.ratio", lambda n, k: Fraction(k, n - k))
    assert not any(r.passed for r in check(ratio, {"n": 9, "k": 2}))
    onset = _with_value("gradient.gap_onset", lambda k, parity: 2 * k - 1)
    assert not any(r.passed for r in check(onset, {"k": 4, "parity": "odd"}))
    sign = _with_value("gradient.gap_sign", lambda n, k: 1 if n >= 2 * k - 1 else -1)
    assert not any(r.passed for r in check(sign, {"n": 7, "k": 4}))
    loss = _with_value("gradient.loss_equivalence", lambda n, k, b, loss, a: 2 * Fraction(a))
    assert not any(r.passed for r in check(loss, {"n": 5, "k": 2, "b": 0, "loss": "hinge", "a": 1}))


def test_gap_asymptote_rejects_reference_constant():
    from featurecheck.numerics.claims.gradient import sequence_evidence

    c = _with_value("gradient.gap_asymptote", lambda k: R.reference_gap_asymptote_constant(k))
    assert not any(r.passed for r in check(c, {"k": 2}, routes=["sympy-limit"]))
    assert sequence_evidence(4, R.gap_asymptote_constant(4)).passed
    assert not sequence_evidence(4, R.reference_gap_asymptote_constant(4)).passed
    assert not sequence_evidence(4, R.gap_asymptote_constant(4) * sp.Rational(21, 20)).passed


def test_one_step_upper_rule_rejects_a_bound_below_the_bracket():
    c = REGISTRY.get("gradient.one_step_bound")
    p = {"n": 9, "k": 2, "b": 0}
    [res] = check(c, p, seed=0)
    assert res.passed
    lo, hi = res.interval
    assert not Rule.upper(ALPHA).judge(lo / 2, Evidence(res.estimate, res.interval))
    bad = _with_value(c.id, lambda n, k, b: sp.Rational(1, 2) * sp.Integer(int(lo)))
    assert not check(bad, p, seed=0)[0].passed


def test_odd_k_claim_rejects_nonzero_value():
    c = _with_value("gradient.odd_k_symmetry", lambda n, k, b, which: Fraction(1, 64))
    assert not any(r.passed for r in check(c, {"n": 9, "k": 3, "b": 0, "which": "relevant"}, seed=1))


def test_claim_constraints_are_clear():
    with pytest.raises(ValueError, match="which=irrelevant needs k < n"):
        check(REGISTRY.get("gradient.relu_closed_form"), {"n": 3, "k": 3, "which": "irrelevant"})
    with pytest.raises(ValueError, match="must be positive"):
        check(REGISTRY.get("gradient.one_step_bound"), {"n": 5, "k": 4})
    with pytest.raises(ValueError, match=r"b must be in \(-1, 1\]"):
        check(REGISTRY.get("gradient.odd_k_symmetry"), {"n": 9, "k": 3, "b": 2})


@pytest.mark.slow
def test_minibatch_exponents_against_theory():
    """Fitted exponent of B_1/2 vs n: within 0.35 of the finite-n log(n)/gamma^2 slope (k = 2, 4)."""
    for k, ns in ((2, [9, 17, 33, 63]), (4, [13, 17, 25, 33])):
        fit = G.minibatch_exponent(k, ns, trials=400, seed=0)
        assert abs(fit.exponent - fit.finite_n_exponent) < 0.35, fit
        assert fit.theory_exponent == k - 1
