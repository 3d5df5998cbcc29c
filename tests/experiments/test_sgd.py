"""Tests of the SGD trainer (featurecheck.numerics.experiments.sgd) against independent routes.

- Batches: re-derived with a pure-numpy SplitMix64 (not the numba kernels); labels from products of
  the ±1 columns.
- Trajectories: a dense numpy float64 reference implementation of forward, backward and the
  ``torch.optim.SGD`` update, for every loss, both activations, every init, biases off, fixed second
  layer and weight decay; optionally PyTorch itself (skipped when torch is not installed).
- ``t_c``: the validation batches are re-derived independently and the network is evaluated in numpy
  at ``t_c`` (all correct) and at ``t_c - 1`` (an error on that step's validation batch).
- Fourier gaps: exact enumeration against ``featurecheck.numerics.estimators.cube`` thresholds with ±1 weights and against a
  brute-force Python sum for real weights.
Every comparison has a negative control (a perturbed learning rate, a wrong sign, a wrong seed).

There are no Monte Carlo assertions in this module (all seeds fixed, all checks deterministic), so its
false-alarm rate is 0.
"""

from __future__ import annotations

import itertools
from dataclasses import replace
from fractions import Fraction

import numpy as np
import pytest

from featurecheck.numerics._kernels import sgd as K
from featurecheck.numerics.estimators.cube import fourier_coefficient_exact, threshold
from featurecheck.numerics.experiments.sgd import (
    SGDConfig,
    Target,
    batch,
    check_steps,
    fourier_gaps,
    init_params,
    neuron_fourier,
    train,
)
from featurecheck.theory.boolean import majority_coefficient

# ------------------------------------------------------------------ pure-numpy SplitMix64

_G = np.uint64(0x9E3779B97F4A7C15)
_CG = np.uint64(0xD1B54A32D192ED03)


def _mix(z: np.ndarray) -> np.ndarray:
    z = np.asarray(z, dtype=np.uint64)
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


def _stream_key(seed: int, purpose: int) -> np.uint64:
    return np.random.SeedSequence([seed, purpose]).generate_state(1, dtype=np.uint64)[0]


def _ref_samples(seed: int, purpose: int, t: int, size: int, n: int) -> np.ndarray:
    """±1 samples (size, n) of chunk t of stream (seed, purpose), n <= 64."""
    key = np.array([_stream_key(seed, purpose)], dtype=np.uint64)
    ck = _mix(key ^ (np.array([t], dtype=np.uint64) * _CG))
    idx = np.arange(1, size + 1, dtype=np.uint64)
    words = _mix(ck + idx * _G)
    bits = (words[:, None] >> np.arange(n, dtype=np.uint64)[None, :]) & np.uint64(1)
    return 1.0 - 2.0 * bits.astype(np.float64)


# ------------------------------------------------------------------ numpy reference trainer


def _act(z: np.ndarray, cfg: SGDConfig) -> tuple[np.ndarray, np.ndarray]:
    if cfg.activation == "relu":
        return np.maximum(z, 0.0), (z > 0).astype(z.dtype)
    if cfg.activation == "sin":
        return np.sin(z), np.cos(z)
    return z**cfg.power, cfg.power * z ** (cfg.power - 1)


def _dloss(out: np.ndarray, y: np.ndarray, loss: str) -> np.ndarray:
    if loss == "hinge":
        return np.where(y * out < 1, -y, 0.0)
    if loss == "square":
        return 2 * (out - y)
    if loss == "logistic":
        return -y / (1 + np.exp(y * out))
    return -y


def _ref_train(p: dict, batches: list, cfg: SGDConfig, lr_scale: float = 1.0) -> tuple[list, dict]:
    W, b, a, c = (p[k].astype(np.float64).copy() for k in ("W", "b", "a", "c"))
    lr, wd = cfg.lr * lr_scale, cfg.weight_decay
    outs = []
    r, n = W.shape
    block = (np.arange(n)[None, :] % r) == np.arange(r)[:, None]
    for X, y in batches:
        pre = X @ W.T + b
        if cfg.structure == "polynet":  # out = prod_j <w_j, x_{P_j}>; W is zero outside the blocks
            out = np.prod(pre, axis=1)
            outs.append(out)
            g = _dloss(out, y, cfg.loss) / len(y)
            others = np.stack([np.prod(np.delete(pre, j, axis=1), axis=1) for j in range(r)], axis=1)
            W -= lr * (((g[:, None] * others).T @ X) * block + wd * W)
            continue
        h, dh = _act(pre, cfg)
        out = h @ a + c[0]
        outs.append(out)
        g = _dloss(out, y, cfg.loss) / len(y)
        ga, gc = h.T @ g, g.sum()
        delta = g[:, None] * a[None, :] * dh
        gW, gb = delta.T @ X, delta.sum(0)
        W -= lr * (gW + wd * W)
        if cfg.bias:
            b -= lr * (gb + wd * b)
        if cfg.train_second_layer and cfg.structure == "mlp":
            a -= lr * (ga + wd * a)
            if cfg.bias:
                c -= lr * (gc + wd * c)
    return outs, {"W": W, "b": b, "a": a, "c": c}


# ------------------------------------------------------------------ batches and targets


def test_batches_match_independent_splitmix_stream() -> None:
    tgt = Target.parity(23, [1, 4, 20])
    for t in (0, 7):
        X, y = batch(tgt, seed=5, t=t, size=40, dtype="float64")
        ref = _ref_samples(5, 1, t, 40, 23)
        assert np.array_equal(X, ref)
        assert np.array_equal(y, ref[:, 1] * ref[:, 4] * ref[:, 20])
    # negative controls: another seed or step gives another batch
    assert not np.array_equal(batch(tgt, 6, 0, 40)[0], _ref_samples(5, 1, 0, 40, 23))
    assert not np.array_equal(batch(tgt, 5, 1, 40)[0], _ref_samples(5, 1, 0, 40, 23))


def test_batches_multiword_n_above_64() -> None:
    X, y = batch(Target.parity(130, [0, 64, 129]), seed=1, t=3, size=50)
    assert X.shape == (50, 130) and set(np.unique(X)) == {-1.0, 1.0}
    assert np.array_equal(y, X[:, 0] * X[:, 64] * X[:, 129])
    assert abs(X.mean()) < 0.1  # 6500 fair ±1 values: mean 0 +- 0.0124 (sd); 8 sd margin, deterministic seed


def test_staircase_and_general_targets() -> None:
    tgt = Target(8, ((0.5, (0,)), (-2.0, (1, 2)), (1.0, ())))
    X, y = batch(tgt, 2, 0, 64, dtype="float64")
    assert np.allclose(y, 0.5 * X[:, 0] - 2.0 * X[:, 1] * X[:, 2] + 1.0, rtol=0, atol=0)
    st = Target.staircase(6, 3)
    X, y = batch(st, 2, 0, 64, dtype="float64")
    assert np.array_equal(y, X[:, 0] + X[:, 0] * X[:, 1] + X[:, 0] * X[:, 1] * X[:, 2])
    sg = Target(6, st.terms, sign_labels=True)
    assert np.array_equal(batch(sg, 2, 0, 64, dtype="float64")[1], np.sign(y))
    assert not st.boolean and sg.boolean and Target.parity(6, 2).boolean


def test_random_labels_are_independent_of_x() -> None:
    tgt = Target.parity(10, 2)
    X, y = batch(tgt, 0, 0, 2000, random_labels=True)
    # agreement with the parity: Binomial(2000, 1/2), sd 22.4; |dev| <= 150 is > 6 sd (fixed seed)
    assert abs(int((y == X[:, 0] * X[:, 1]).sum()) - 1000) <= 150
    assert abs(int((y > 0).sum()) - 1000) <= 150


# ------------------------------------------------------------------ init


def test_init_matches_pytorch_default_ranges_and_scales() -> None:
    n, r = 40, 300
    p = init_params(n, SGDConfig(width=r), seed=3)
    assert np.abs(p["W"]).max() <= n**-0.5 and np.abs(p["a"]).max() <= r**-0.5
    assert np.abs(p["W"]).max() > 0.99 * n**-0.5  # 12000 uniform draws reach the edge
    g = init_params(n, SGDConfig(width=r, init="gaussian", init_scale=2.0, dtype="float64"), seed=3)
    # sd of 12000 N(0, (2/sqrt(40))^2) draws: relative error of the sample sd ~ 0.0065; 5% margin
    assert abs(g["W"].std() / (2 * n**-0.5) - 1) < 0.05
    s = init_params(n, SGDConfig(width=r, init="sign", dtype="float64"), seed=3)
    assert set(np.unique(np.abs(s["W"]))) == {n**-0.5}
    nb = init_params(n, SGDConfig(width=r, bias=False), seed=3)
    assert not nb["b"].any() and not nb["c"].any()
    assert np.array_equal(init_params(n, SGDConfig(width=r), 3)["W"], p["W"])
    assert not np.array_equal(init_params(n, SGDConfig(width=r), 4)["W"], p["W"])


# ------------------------------------------------------------------ trajectories vs numpy reference

_CASES = {
    "hinge-relu-uniform": SGDConfig(width=20, lr=0.3),
    "square-poly2-gaussian-wd": SGDConfig(width=20, lr=0.05, loss="square", activation="poly", power=2,
                                          init="gaussian", weight_decay=0.01),
    "logistic-relu-sign-nobias": SGDConfig(width=20, lr=0.5, loss="logistic", init="sign", bias=False),
    "correlation-relu-fixed-second": SGDConfig(width=20, lr=0.2, loss="correlation", train_second_layer=False),
    "hinge-poly3-batch7": SGDConfig(width=9, batch=7, lr=0.1, activation="poly", power=3),
    "hinge-sin-neuron": SGDConfig(structure="neuron", width=1, lr=0.5, activation="sin"),
    "square-sin-mlp-wd": SGDConfig(width=7, lr=0.2, loss="square", activation="sin", weight_decay=0.01),
    "hinge-polynet": SGDConfig(structure="polynet", width=3, bias=False, lr=0.05),
    "logistic-polynet-gaussian-wd": SGDConfig(structure="polynet", width=3, bias=False, lr=0.1, loss="logistic",
                                              init="gaussian", weight_decay=0.01),
}


@pytest.mark.parametrize("name", sorted(_CASES))
def test_float64_trajectory_matches_numpy_reference(name: str) -> None:
    steps = 40
    cfg = replace(_CASES[name], dtype="float64", max_steps=steps, stop_on_converge=False)
    # n odd: with the sign init a pre-activation is an odd multiple of the scale, never a ReLU tie at 0
    tgt = Target.parity(13, [0, 4, 8])  # one coordinate in each PolyNet block i mod 3
    res = train(tgt, cfg, seed=11, trace_steps=steps)
    p0 = init_params(13, cfg, 11)
    batches = [batch(tgt, 11, t, cfg.batch, dtype="float64") for t in range(steps)]
    outs, fin = _ref_train(p0, batches, cfg)
    tol = 1e-10
    assert np.abs(res.history["trace"] - np.array(outs)).max() <= tol
    for k in ("W", "b", "a", "c"):
        assert np.abs(res.params[k] - fin[k]).max() <= tol, k
    # negative control: a learning rate off by 5% is rejected by the same tolerance
    outs_bad, fin_bad = _ref_train(p0, batches, cfg, lr_scale=1.05)
    assert np.abs(res.params["W"] - fin_bad["W"]).max() > tol


def test_float32_trajectory_close_to_float64_reference() -> None:
    steps = 20
    cfg = SGDConfig(width=30, lr=0.2, max_steps=steps, stop_on_converge=False)
    tgt = Target.parity(16, 2)
    res = train(tgt, cfg, seed=2)
    p0 = init_params(16, cfg, 2)
    _, fin = _ref_train(p0, [batch(tgt, 2, t, 32, dtype="float64") for t in range(steps)], cfg)
    # float32 rounding: ~1e-7 relative per operation, 20 steps of O(1) gradients -> well below 1e-4
    assert np.abs(res.params["W"] - fin["W"]).max() < 1e-4
    assert np.abs(res.params["W"] - p0["W"]).max() > 1e-3  # the weights did move (control)


# ------------------------------------------------------------------ convergence time


def _numpy_correct(p: dict, X: np.ndarray, y: np.ndarray) -> np.ndarray:
    out = np.maximum(X @ p["W"].T + p["b"], 0) @ p["a"] + p["c"][0]
    return y * out > 0


def test_tc_is_first_step_with_full_validation_accuracy() -> None:
    tgt = Target.parity(12, 2)
    cfg = SGDConfig(width=40, dtype="float64", max_steps=2000)
    res = train(tgt, cfg, seed=4)
    tc = res.t_c
    assert tc is not None and 1 < tc < 1000  # inside the every-step part of the schedule
    Xv = _ref_samples(4, 3, tc, 8192, 12)
    assert _numpy_correct(res.params, Xv, Xv[:, 0] * Xv[:, 1]).all()
    before = train(tgt, replace(cfg, max_steps=tc - 1), seed=4)
    assert before.t_c is None and before.steps == tc - 1
    Xb = _ref_samples(4, 3, tc - 1, 8192, 12)
    assert not _numpy_correct(before.params, Xb, Xb[:, 0] * Xb[:, 1]).all()
    # continuing past t_c does not change it
    assert train(tgt, replace(cfg, max_steps=tc + 30, stop_on_converge=False), seed=4).t_c == tc


def test_check_schedule_resolution() -> None:
    steps = check_steps(((1000, 1), (10_000, 10), (2**62, 100)), 10_300)
    assert steps[:1001].tolist() == list(range(1001))
    assert steps[1001] == 1010 and steps[-1] == 10_300 and 10_100 in steps and 10_050 not in steps
    cfg = SGDConfig(width=40, max_steps=3000, check_schedule=((0, 1), (10**6, 50)))
    tc = train(Target.parity(12, 2), cfg, seed=4).t_c
    assert tc is not None and tc % 50 == 0
    assert tc >= train(Target.parity(12, 2), replace(cfg, check_schedule=((10**6, 1),)), seed=4).t_c


def test_not_converged_reports_none() -> None:
    res = train(Target.parity(30, 4), SGDConfig(width=20, max_steps=5), seed=0)
    assert res.t_c is None and not res.converged and res.steps == 5


def test_reproducible_and_seed_dependent() -> None:
    cfg = SGDConfig(width=30, max_steps=3000)
    a = train(Target.parity(14, 3), cfg, seed=9)
    b = train(Target.parity(14, 3), cfg, seed=9)
    c = train(Target.parity(14, 3), cfg, seed=10)
    assert a.t_c == b.t_c and np.array_equal(a.params["W"], b.params["W"])
    assert not np.array_equal(a.params["W"], c.params["W"])


def test_params_override_and_square_loss_real_target_accuracy() -> None:
    tgt = Target.staircase(8, 2)  # values in {-2, 0, 2}: accuracy means |f - y| < 1/2
    cfg = SGDConfig(width=40, loss="square", lr=0.05, max_steps=4000, dtype="float64")
    p0 = init_params(8, cfg, 1)
    r1 = train(tgt, cfg, 1)
    r2 = train(tgt, cfg, 1, params=p0)
    assert r1.t_c == r2.t_c and r1.t_c is not None
    Xv = _ref_samples(1, 3, r1.t_c, 8192, 8)
    yv = Xv[:, 0] + Xv[:, 0] * Xv[:, 1]
    out = np.maximum(Xv @ r1.params["W"].T + r1.params["b"], 0) @ r1.params["a"] + r1.params["c"][0]
    assert (np.abs(out - yv) < 0.5).all()


# ------------------------------------------------------------------ measures


def test_recorded_measures_match_numpy() -> None:
    tgt = Target.parity(10, [2, 5])
    cfg = SGDConfig(width=16, dtype="float64", max_steps=60, stop_on_converge=False, record_every=20, gap_every=30)
    res = train(tgt, cfg, seed=7)
    h = res.history
    assert h["step"].tolist() == [0, 20, 40, 60]
    p0 = init_params(10, cfg, 7)
    assert h["rho"][0] == 0.0
    assert h["rho"][-1] == np.abs(res.params["W"] - p0["W"]).max()
    S = [2, 5]
    rest = [i for i in range(10) if i not in S]
    assert np.isclose(h["rms_S"][-1], np.sqrt((res.params["W"][:, S] ** 2).mean()), rtol=1e-12)
    assert np.isclose(h["rms_rest"][-1], np.sqrt((res.params["W"][:, rest] ** 2).mean()), rtol=1e-12)
    # loss / accuracy on the measurement batch (stream purpose 4, chunk 0)
    Xm = _ref_samples(7, 4, 0, 1024, 10)
    ym = Xm[:, 2] * Xm[:, 5]
    out = np.maximum(Xm @ res.params["W"].T + res.params["b"], 0) @ res.params["a"] + res.params["c"][0]
    assert np.isclose(h["loss"][-1], np.maximum(0, 1 - ym * out).mean(), rtol=1e-12)
    assert h["accuracy"][-1] == (ym * out > 0).mean()
    assert res.gap_steps.tolist() == [0, 30, 60]
    assert np.array_equal(res.gaps[0], fourier_gaps(p0["W"], p0["b"], S))
    assert np.array_equal(res.gaps[-1], fourier_gaps(res.params["W"], res.params["b"], S))
    assert np.isnan(h["train_loss"][0]) and h["train_loss"][1] > 0


# ------------------------------------------------------------------ Fourier gaps by enumeration


def test_neuron_fourier_pm1_weights_match_cube_thresholds() -> None:
    n = 7
    rng = np.random.default_rng(0)
    for _ in range(4):
        w = rng.choice([-1, 1], size=n)
        b = float(rng.choice([0.0, 0.5, -1.0, 2.0]))
        S = sorted(rng.choice(n, size=3, replace=False).tolist())
        got = neuron_fourier(w[None, :].astype(float), np.array([b]), S)[0]
        T = threshold(n, -b, strict=True, weights=w.tolist())  # 1[w.x > -b]
        for i in range(n):
            exp = fourier_coefficient_exact(T, sorted(set(S) ^ {i}))
            assert Fraction(int(got[i]), 2**n) == exp
        assert Fraction(int(got[n]), 2**n) == fourier_coefficient_exact(T, S)


def test_neuron_fourier_real_weights_brute_force() -> None:
    n = 6
    rng = np.random.default_rng(1)
    W = rng.normal(size=(3, n))
    b = rng.normal(size=3)
    S = [0, 4]
    got = neuron_fourier(W, b, S)
    pts = np.array(list(itertools.product([1, -1], repeat=n)))[:, ::-1]  # any order: sums over the cube
    for j in range(3):
        T = (pts @ W[j] + b[j] > 0).astype(int)
        chi = pts[:, S].prod(axis=1)
        exp = [int((T * chi * pts[:, i]).sum()) for i in range(n)] + [int((T * chi).sum())]
        assert got[j].tolist() == exp
    # negative control: flipping a weight sign changes the coefficients
    W2 = W.copy()
    W2[0, 0] *= -1
    assert neuron_fourier(W2, b, S)[0].tolist() != got[0].tolist()


def test_fourier_gap_matches_majority_theory() -> None:
    # theory reference GRAD/GAP: w = 1, b = 0, n odd, k even: T = (1 + Maj_n)/2
    for n, k in ((9, 2), (11, 4)):
        gap = fourier_gaps(np.ones((1, n)), None, range(k))[0]
        exp = (abs(majority_coefficient(n, k - 1)) - abs(majority_coefficient(n, k + 1))) / 2
        assert Fraction(gap) == exp
        assert Fraction(gap) != exp * Fraction(105, 100)


# ------------------------------------------------------------------ kernels vs their Python source


def test_kernels_match_py_func_on_tiny_inputs() -> None:
    rng = np.random.default_rng(3)
    n, r, nb = 5, 6, 4
    for dt in (np.float32, np.float64):
        WT = rng.normal(size=(n, r)).astype(dt)
        b, a, c = rng.normal(size=r).astype(dt), rng.normal(size=r).astype(dt), np.array([0.3], dt)
        negs = np.zeros((nb, n), np.int64)
        nneg = np.array([2, 0, 5, 1], np.int64)
        negs[0, :2] = [1, 3]
        negs[2, :5] = range(5)
        negs[3, :1] = [4]
        T = np.empty(r, dt)
        K.row_totals(WT, b, T)
        T2 = np.empty(r, dt)
        K.row_totals.py_func(WT, b, T2)
        assert np.array_equal(T, T2)
        for act in (K.ACT_RELU, K.ACT_POLY):
            o1 = [np.zeros((nb, r), dt), np.zeros((nb, r), dt), np.zeros(nb, dt)]
            o2 = [np.zeros((nb, r), dt), np.zeros((nb, r), dt), np.zeros(nb, dt)]
            K.forward(WT, T, a, c, negs, nneg, nb, act, 3, *o1, np.zeros(r, dt))
            K.forward.py_func(WT, T, a, c, negs, nneg, nb, act, 3, *o2, np.zeros(r, dt))
            assert all(np.allclose(x, y, rtol=1e-6 if dt == np.float32 else 1e-14) for x, y in zip(o1, o2, strict=True))
            g = np.array([0.1, 0.0, -0.2, 0.05], dt)
            states = []
            for fn in (K.sgd_update, K.sgd_update.py_func):
                st = [WT.copy(), b.copy(), a.copy(), c.copy()]
                fn(*st, negs, nneg, nb, act, 3, o1[0], o1[1], g, 0.1, 0.01, True, True,
                   np.zeros((nb, r), dt), np.zeros(r, dt), np.zeros(r, dt), np.zeros(r, dt),
                   np.zeros((n, nb), np.int64), np.zeros(n, np.int64))
                states.append(st)
            for x, y in zip(*states, strict=True):
                assert np.allclose(x, y, rtol=1e-6 if dt == np.float32 else 1e-14)
    y = np.array([1.0, -1.0, 1.0])
    out = np.array([0.3, 0.5, 2.0], np.float32)
    for loss in range(4):
        g1, g2 = np.zeros(3), np.zeros(3)
        assert np.isclose(K.loss_grad(out, y, 3, loss, g1), K.loss_grad.py_func(out, y, 3, loss, g2), rtol=1e-12)
        assert np.allclose(g1, g2, rtol=1e-12)
    c1, c2 = np.zeros(5, np.int64), np.zeros(5, np.int64)
    K.neuron_walsh_counts(np.array([0.5, -1.0, 2.0, 0.1]), 0.2, np.uint64(0b0101), 4, c1)
    K.neuron_walsh_counts.py_func(np.array([0.5, -1.0, 2.0, 0.1]), 0.2, np.uint64(0b0101), 4, c2)
    assert np.array_equal(c1, c2)


# ------------------------------------------------------------------ validation


@pytest.mark.parametrize("kw,match", [
    ({"loss": "mse"}, "loss must be one of"),
    ({"activation": "tanh"}, "activation must be one of"),
    ({"init": "xavier"}, "init must be one of"),
    ({"width": 0}, "width must be an integer"),
    ({"batch": -1}, "batch must be an integer"),
    ({"lr": -0.1}, "lr must be"),
    ({"dtype": "float16"}, "dtype must be one of"),
    ({"power": 9}, "power must be an integer"),
    ({"check_schedule": ((10, 1), (5, 2))}, "must increase"),
    ({"structure": "cnn"}, "structure must be one of"),
    ({"structure": "neuron", "width": 2}, "width must be 1 for structure='neuron'"),
    ({"structure": "polynet", "width": 3}, "bias must be False for structure='polynet'"),
])
def test_config_validation(kw: dict, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        SGDConfig(**kw)


def test_architecture_inits_and_polynet_support() -> None:
    # neuron: a = 1, c = 0 and they never move; W in PyTorch's Linear(n, 1) range
    cfg = SGDConfig(structure="neuron", width=1, activation="sin", max_steps=30, stop_on_converge=False)
    res = train(Target.parity(9, 2), cfg, seed=4)
    assert res.params["a"].tolist() == [1.0] and res.params["c"].tolist() == [0.0]
    # polynet: block j = {i : i mod r = j}, W_ji in U(-1/sqrt|P_j|, 1/sqrt|P_j|), zero outside, and stays zero
    p = init_params(10, SGDConfig(structure="polynet", width=3, bias=False), seed=1)
    sizes = [4, 3, 3]
    for j in range(3):
        inside = [i for i in range(10) if i % 3 == j]
        outside = [i for i in range(10) if i % 3 != j]
        assert np.all(p["W"][j, outside] == 0) and np.all(p["W"][j, inside] != 0)
        assert np.abs(p["W"][j, inside]).max() <= sizes[j] ** -0.5
    res = train(Target.parity(10, [0, 1, 2]), SGDConfig(structure="polynet", width=3, bias=False, lr=0.05,
                                                        max_steps=50, stop_on_converge=False), seed=1)
    assert np.all((res.params["W"] != 0) == (p["W"] != 0))
    with pytest.raises(ValueError, match="one relevant coordinate in each of the width=3 PolyNet blocks"):
        train(Target.parity(10, [0, 3, 1]), SGDConfig(structure="polynet", width=3, bias=False), seed=0)


def test_target_and_train_validation() -> None:
    with pytest.raises(ValueError, match="n must be an integer"):
        Target.parity(0, 1)
    with pytest.raises(ValueError, match="k must be an integer"):
        Target.parity(5, 6)
    with pytest.raises(ValueError, match="S"):
        Target(5, ((1.0, (7,)),))
    with pytest.raises(ValueError, match="terms must contain"):
        Target(5, ())
    with pytest.raises(ValueError, match="gap_every needs n <= 20"):
        train(Target.parity(21, 2), SGDConfig(gap_every=5, max_steps=1))
    with pytest.raises(ValueError, match="seed must be an integer"):
        train(Target.parity(5, 2), SGDConfig(max_steps=1), seed=-1)
    with pytest.raises(ValueError, match="shape"):
        train(Target.parity(5, 2), SGDConfig(width=3, max_steps=1), params={"W": np.zeros((3, 4)), "b": np.zeros(3),
                                                                              "a": np.zeros(3), "c": np.zeros(1)})
    with pytest.raises(ValueError, match="target must be"):
        train("parity", SGDConfig())  # type: ignore[arg-type]


# ------------------------------------------------------------------ PyTorch cross-check (optional)


def _torch_run(p0: dict, batches: list, cfg: SGDConfig, lr_scale: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    torch = pytest.importorskip("torch")
    torch.set_num_threads(1)
    n = p0["W"].shape[1]
    l1 = torch.nn.Linear(n, cfg.width, dtype=torch.float64)
    l2 = torch.nn.Linear(cfg.width, 1, dtype=torch.float64)
    with torch.no_grad():
        l1.weight.copy_(torch.from_numpy(p0["W"]))
        l1.bias.copy_(torch.from_numpy(p0["b"]))
        l2.weight.copy_(torch.from_numpy(p0["a"]).reshape(1, -1))
        l2.bias.copy_(torch.from_numpy(p0["c"]))
    opt = torch.optim.SGD(list(l1.parameters()) + list(l2.parameters()), lr=cfg.lr * lr_scale,
                          weight_decay=cfg.weight_decay)
    outs = []
    for X, y in batches:
        Xt, yt = torch.from_numpy(X), torch.from_numpy(y)
        out = l2(torch.relu(l1(Xt))).squeeze(-1)
        outs.append(out.detach().numpy().copy())
        if cfg.loss == "hinge":
            loss = torch.clamp(1 - yt * out, min=0).mean()
        else:
            loss = ((out - yt) ** 2).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
    return np.array(outs), l1.weight.detach().numpy().copy()


@pytest.mark.parametrize("loss,wd", [("hinge", 0.0), ("square", 0.01)])
def test_pytorch_cross_check_float64_200_steps(loss: str, wd: float) -> None:
    pytest.importorskip("torch")
    steps = 200
    cfg = SGDConfig(width=100, batch=32, lr=0.1, loss=loss, weight_decay=wd, dtype="float64", max_steps=steps,
                    stop_on_converge=False)
    tgt = Target.parity(20, 3)
    res = train(tgt, cfg, seed=0, trace_steps=steps)
    p0 = init_params(20, cfg, 0)
    batches = [batch(tgt, 0, t, 32, dtype="float64") for t in range(steps)]
    outs, W = _torch_run(p0, batches, cfg)
    assert np.abs(res.history["trace"] - outs).max() <= 1e-5
    assert np.abs(res.params["W"] - W).max() <= 1e-5
    # negative control: PyTorch with a 5% larger learning rate disagrees beyond 1e-5
    outs_bad, W_bad = _torch_run(p0, batches, cfg, lr_scale=1.05)
    assert np.abs(res.params["W"] - W_bad).max() > 1e-5
