"""Damian-Lee-Soltanolkotabi procedure and kernel baseline (numerics/experiments/multi_index.py).

Independent routes: the target's Hermite expansion from featurecheck.theory.hermite (exact E[f*] = 0, E[f*^2] = 1,
E[Hess f*] rank r by featurecheck.theory.stein), finite differences for the first-layer gradient, a closed-form
principal angle, and Monte Carlo random features for the arc-cosine kernel. Statistical budget: one
z-interval check at alpha = 1e-6 (the kernel against 200,000 random features; false-alarm rate 1e-6,
asymptotic). The learning checks are deterministic (fixed seeds) and have wide margins. The per-seed
outcome API the claims use (``first_step``, ``subspace_angles``, ``seed_outcome``) is checked against
an eigen-decomposition route and for seed-only dependence; the random-label control must destroy the
signal. The claims' own negative controls are in tests/claims/test_experiment_controls_multi_index.py.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import sympy as sp
from scipy import stats

from featurecheck.numerics._kernels.rng import Purpose
from featurecheck.numerics.experiments import baselines as BL
from featurecheck.numerics.experiments import multi_index as MI
from featurecheck.theory import hermite as H
from featurecheck.theory import stein as S


def _g_sym(r: int, p: int, w: sp.Rational = sp.Rational(1, 2)) -> tuple[sp.Expr, list[sp.Symbol]]:
    zs = list(sp.symbols(f"z0:{r}", real=True))

    def h(k: int, z: sp.Symbol) -> sp.Expr:
        return H.he(k, z) / sp.sqrt(sp.factorial(k))

    if r == 1:
        return sp.sqrt(w) * h(2, zs[0]) + sp.sqrt(1 - w) * h(p, zs[0]), zs
    return sp.sqrt(w / r) * sum(h(2, z) for z in zs) + sp.sqrt(1 - w) * h(p - 1, zs[0]) * h(1, zs[1]), zs


@pytest.mark.parametrize("r,p,w", [(1, 3, "1/2"), (2, 3, "1/2"), (3, 4, "1/2"), (2, 5, "1/2"), (2, 3, "1/5")])
def test_target_matches_symbolic_and_is_normalised(r: int, p: int, w: str) -> None:
    g, zs = _g_sym(r, p, sp.Rational(w))
    t = MI.MultiIndexTarget.default(d=6, r=r, p=p, seed=1, quad_weight=float(sp.Rational(w)))
    Z = np.random.default_rng(0).standard_normal((50, r))
    fn = sp.lambdify(zs, g, "numpy")
    assert np.allclose(t.g(Z), fn(*Z.T))
    c = H.multi_hermite_coefficients(g, zs)
    assert c.get((0,) * r, 0) == 0  # E[f*] = 0
    parseval = sum(v**2 * sp.Mul(*[sp.factorial(a) for a in al]) for al, v in c.items())
    assert sp.simplify(parseval - 1) == 0  # E[f*^2] = 1
    assert all(sum(al) != 1 for al in c)  # E[grad f*] = 0
    st = S.hessian_structure(g, zs, sp.eye(r))
    assert st.rank == r


def test_first_layer_gradient_finite_differences() -> None:
    rng = np.random.default_rng(3)
    W = rng.standard_normal((4, 3))
    a = rng.standard_normal(4)
    X = rng.standard_normal((7, 3))
    y = rng.standard_normal(7)

    def L(W: np.ndarray) -> float:
        return 0.5 * np.mean((np.maximum(X @ W.T, 0) @ a - y) ** 2)

    G = BL.first_layer_gradient(W, a, X, y)
    h = 1e-6
    for j in range(4):
        for k in range(3):
            E = np.zeros_like(W)
            E[j, k] = h
            assert abs((L(W + E) - L(W - E)) / (2 * h) - G[j, k]) < 1e-6


def test_principal_angles() -> None:
    A = np.eye(4)[:, :2]
    th = 0.3
    B = np.array([[1, 0], [0, math.cos(th)], [0, math.sin(th)], [0, 0]])
    assert np.allclose(MI.principal_angles(A, B), [0.0, th])


def test_arccos_kernel_against_random_features() -> None:
    d = 5
    X = MI.gaussian_inputs(2, d, seed=1, purpose=Purpose.MULTI_INDEX_TEST)
    K = BL.arccos_kernel(X, X)[0, 1]
    rng = np.random.default_rng(4)
    N = 200_000
    W = rng.standard_normal((N, d)) / math.sqrt(d)
    b = rng.standard_normal(N)
    v = np.maximum(W @ X[0] + b, 0) * np.maximum(W @ X[1] + b, 0)
    half = stats.norm.ppf(1 - 0.5e-6) * v.std(ddof=1) / math.sqrt(N)
    assert abs(v.mean() - K) <= half  # z interval, alpha = 1e-6
    assert abs(v.mean() - 1.1 * K) > half  # negative control


def test_network_learns_and_recovers_subspace_small() -> None:
    t = MI.MultiIndexTarget.default(d=12, r=2, p=3, seed=0)
    lo = MI.run_network(t, n=24, m=128, seed=0)
    hi = MI.run_network(t, n=8 * 144, m=128, seed=0)
    assert hi.max_angle_deg < 35 < lo.max_angle_deg
    assert hi.test_error < 0.35 < lo.test_error
    assert MI.run_network(t, n=8 * 144, m=128, seed=0) == hi  # reproducible


def test_kernel_cannot_fit_degree_3_part_at_d2() -> None:
    # at n ~ d^2 the kernel has learned at most the degree-2 half of the variance
    t = MI.MultiIndexTarget.default(d=16, r=2, p=3, seed=0)
    k = MI.run_kernel(t, n=512, seed=0)
    net = MI.run_network(t, n=8 * 256, m=128, seed=0)
    assert k.test_error > 0.3 > net.test_error


def test_sample_size_and_exponent_helpers() -> None:
    assert MI.samples_for_error([10, 20], [0.5, 0.4], 0.3) is None
    assert MI.samples_for_error([10, 20], [0.2, 0.1], 0.3) == 10.0
    assert abs(BL.fit_exponent([10, 20, 40], [100, 400, 1600]) - 2.0) < 1e-12
    assert BL.fit_exponent([10, 20], [100, None]) is None


def test_validation() -> None:
    t = MI.MultiIndexTarget.default(d=6, r=2, p=3)
    with pytest.raises(ValueError, match="m must"):
        MI.run_network(t, n=100, m=5)
    with pytest.raises(ValueError, match="r must"):
        MI.MultiIndexTarget.default(d=4, r=5)
    with pytest.raises(ValueError, match="p must"):  # p = 2 would give a rank-1 E[Hess f*]
        MI.MultiIndexTarget.default(d=4, r=2, p=2)
    with pytest.raises(ValueError, match="method"):
        MI.sweep("svm", [8])


def test_first_step_and_angles_match_the_network_run() -> None:
    t = MI.MultiIndexTarget.default(d=10, r=2, p=3, seed=2)
    net = MI.run_network(t, n=600, m=32, seed=5)
    W1 = MI.first_step(t, n=600, m=32, seed=5)
    # the top-r right singular space of W1, from an independent route: eigenvectors of W1^T W1
    _, vecs = np.linalg.eigh(W1.T @ W1)
    direct = np.degrees(MI.principal_angles(vecs[:, -2:], t.U.T))
    assert np.allclose(MI.subspace_angles(W1, t.U), direct, atol=1e-9)
    assert np.allclose(net.angles_deg, direct, atol=1e-9)


def test_seed_outcome_depends_on_its_seed_only() -> None:
    # the same seed gives the same outcome whatever was computed before (pure function of the arguments)
    first = [MI.seed_outcome("angle", 8, 256, 16, s) for s in (4, 5, 6)]
    again = [MI.seed_outcome("angle", 8, 256, 16, s) for s in (6, 5, 4)][::-1]
    assert first == again
    assert len(set(first)) == 3  # distinct seeds are distinct trials
    t = MI.MultiIndexTarget.default(8, 2, 3, seed=5)
    # the same runs (seed_outcome pins BLAS to one thread: equal up to summation order)
    assert MI.seed_outcome("network-error", 8, 256, 16, 5, n_test=500) == pytest.approx(
        MI.run_network(t, 256, 16, 5, 500).test_error, rel=1e-9)
    assert MI.seed_outcome("rf-error", 8, 256, 16, 5, n_test=500) == pytest.approx(
        MI.run_random_features(t, 256, 16, 5, 500).test_error, rel=1e-9)


def test_random_frame_is_orthonormal_and_independent_of_the_target() -> None:
    t = MI.MultiIndexTarget.default(d=12, r=2, p=3, seed=7)
    assert np.array_equal(MI.random_frame(12, 2, 7), t.U)
    V = MI.random_frame(12, 2, 7, stream=1)
    assert np.allclose(V @ V.T, np.eye(2))
    assert MI.principal_angles(V.T, t.U.T).max() > 0.1


def test_independent_labels_destroy_the_signal() -> None:
    # with y independent of x, E[W_1] carries no information on U: angles near those of a random
    # subspace and a test error near E[f*^2] = 1 (the signal run at the same size recovers U)
    t = MI.MultiIndexTarget.default(d=12, r=2, p=3, seed=0)
    good = MI.run_network(t, n=8 * 144, m=128, seed=0)
    bad = MI.run_network(t, n=8 * 144, m=128, seed=0, labels="independent")
    assert good.max_angle_deg < 35 < 60 < bad.max_angle_deg
    assert good.test_error < 0.35 < 0.7 < bad.test_error
    rf = MI.run_random_features(t, n=8 * 144, m=128, seed=0, labels="independent")
    assert rf.test_error > 0.7


def test_new_api_validation() -> None:
    t = MI.MultiIndexTarget.default(d=6, r=2, p=3)
    with pytest.raises(ValueError, match="labels must be one of"):
        MI.run_network(t, n=100, m=8, labels="shuffled")
    with pytest.raises(ValueError, match="labels must be one of"):
        MI.run_random_features(t, n=100, m=8, labels="x")
    with pytest.raises(ValueError, match="outcome must be one of"):
        MI.seed_outcome("loss", 6, 100, 8, 0)
    with pytest.raises(ValueError, match=r"m must be an even integer in \[2, 16384\], got 7"):
        MI.first_step(t, n=100, m=7)
    with pytest.raises(ValueError, match=r"r must be an integer in \[1, 6\]"):
        MI.random_frame(6, 7, 0)
    with pytest.raises(ValueError, match="reference must have"):
        MI.subspace_angles(np.ones((3, 6)), np.eye(6)[:4])


def test_experiment_cli_contract(tmp_path, capsys) -> None:
    import json

    from featurecheck.numerics.cli import main

    out = tmp_path / "mi.json"
    code = main(["experiment", "multi-index", "--d", "8,10", "--kernel-d", "6,8", "--seeds", "1", "--width", "32",
                 "--kernel-max-n", "300", "--json", str(out)])
    assert code == 0
    d = json.loads(out.read_text())
    assert set(d) >= {"network", "kernel", "exponents", "params"}
    assert d["params"]["r"] == 2 and d["params"]["p"] == 3
    assert set(d["network"]["errors"]) == {"8", "10"}
    assert d["params"]["labels"] == "target"
    # the random-label control: same sweep, labels independent of x, errors near E[f*^2] = 1 or above
    ctl = tmp_path / "ctl.json"
    assert main(["experiment", "multi-index", "--d", "8", "--kernel-d", "6", "--seeds", "1", "--width", "32",
                 "--kernel-max-n", "100", "--labels", "independent", "--json", str(ctl)]) == 0
    dc = json.loads(ctl.read_text())
    assert dc["params"]["labels"] == "independent"
    assert min(dc["network"]["errors"]["8"]) > 0.7 and dc["network"]["n_star"]["8"] is None
    capsys.readouterr()
    for bad in (["--d", "8,x"], ["--p", "2"], ["--r", "9"], ["--width", "33"], ["--eps", "1.5"], ["--quad-weight", "1"],
                ["--labels", "shuffled"]):
        assert main(["experiment", "multi-index", *bad]) == 2
        err = capsys.readouterr().err
        assert len(err.strip().splitlines()) == 1
