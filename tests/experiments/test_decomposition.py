"""End-to-end vs decomposition (numerics/experiments/decomposition.py, Shalev-Shwartz et al. 2017, Sec. 3).

Independent routes: the line renderer against the distance to 6001 points sampled along the segment;
the orientation label against the sign of the pixel-coordinate covariance of a noiseless image; the
loss gradients against PyTorch autograd (skipped without torch); the semi-analytic gradient SNR against
brute force over every tuple of a tiny empirical measure (PyTorch autograd per tuple, the 2^k
labelings enumerated); the tuple accuracy of independent per-image errors against the sum over even
error counts. All checks are deterministic (fixed seeds); no statistical budget is spent. The claims'
negative controls are in tests/claims/test_experiment_controls_decomposition.py.
"""

from __future__ import annotations

import itertools
import json
import math

import numpy as np
import pytest

from featurecheck.numerics._kernels.decomposition import render_lines
from featurecheck.numerics.experiments import decomposition as D


def test_render_matches_sampled_distance_and_py_func() -> None:
    rng = np.random.default_rng(5)
    n, G, L, w = 3, 8, 3.0, 1.0
    theta, cx, cy = rng.uniform(0, math.pi, n), rng.uniform(3, 5, n), rng.uniform(3, 5, n)
    out = np.empty((n, G * G))
    render_lines(theta, cx, cy, np.int64(G), L, w, out)
    out_py = np.empty_like(out)
    render_lines.py_func(theta, cx, cy, np.int64(G), L, w, out_py)
    assert np.array_equal(out, out_py)
    s = np.linspace(-L, L, 6001)  # spacing 0.001: sampled distances within 5e-4 of the true one
    for i in range(n):
        px = cx[i] + s * math.cos(theta[i])
        py = cy[i] + s * math.sin(theta[i])
        for v in range(G):
            for u in range(G):
                dist = np.min(np.hypot(u + 0.5 - px, v + 0.5 - py))
                assert out[i, v * G + u] == pytest.approx(max(0.0, 1 - dist / w), abs=1e-3)


def test_label_is_the_sign_of_the_coordinate_covariance() -> None:
    # theta in (0, pi/2) <=> the segment rises to the right <=> cov(x, y) > 0 under the intensity weights
    fam = D.ImageFamily(noise=0.0)
    X, f = D.sample_images(400, np.random.default_rng(2), fam)
    G = fam.grid
    xs, ys = np.tile(np.arange(G) + 0.5, G), np.repeat(np.arange(G) + 0.5, G)
    w = X / X.sum(axis=1, keepdims=True)
    mx, my = w @ xs, w @ ys
    cov = w @ (xs * ys) - mx * my
    assert np.array_equal(np.sign(cov).astype(int), f)
    assert 150 < (f == 1).sum() < 250  # fair coins


def test_sample_images_validates_and_is_reproducible() -> None:
    a = D.sample_images(5, np.random.default_rng(0))
    b = D.sample_images(5, np.random.default_rng(0))
    assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])
    with pytest.raises(ValueError, match=r"n must be an integer"):
        D.sample_images(0, np.random.default_rng(0))
    with pytest.raises(ValueError, match=r"margin must be"):
        D.ImageFamily(margin=1.0)


@pytest.mark.parametrize("arm", D.ARMS)
def test_loss_grads_match_torch_autograd(arm: str) -> None:
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(3)
    k, B = 3, 4
    X, f = D.sample_images(B * k, rng)
    net = D.init_net(64, 5, rng)
    net.b[:] = rng.normal(0, 0.1, 5)
    loss, grads = D.loss_grads(net, arm, X, f, k)
    P = [torch.tensor(p, requires_grad=True) for p in net.params()]
    Xt, ft = torch.tensor(X), torch.tensor(f, dtype=torch.float64)
    g = torch.relu(Xt @ P[0].T + P[1]) @ P[2] + P[3]
    if arm == "end-to-end":
        p = torch.tanh(g).reshape(B, k).prod(dim=1)
        lt = ((p - ft.reshape(B, k).prod(dim=1)) ** 2).mean() / 2
    else:
        lt = torch.nn.functional.softplus(-ft * g).mean()
    lt.backward()
    assert loss == pytest.approx(lt.item(), rel=1e-12)
    for mine, ref in zip(grads, P, strict=True):
        np.testing.assert_allclose(mine, ref.grad.numpy(), rtol=1e-10, atol=1e-14)


def test_gradient_snr_matches_brute_force_over_every_tuple() -> None:
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(4)
    n = 4
    X, f = D.sample_images(n, rng, labels=np.array([1, -1, 1, -1]))
    net = D.init_net(64, 4, rng)
    net.b[:] = rng.normal(0, 0.3, 4)
    P = [torch.tensor(p, requires_grad=True) for p in net.params()]
    Xt = torch.tensor(X)
    for k in (1, 2, 3):
        grads, labs = [], []
        for tup in itertools.product(range(n), repeat=k):
            g = torch.relu(Xt[list(tup)] @ P[0].T + P[1]) @ P[2] + P[3]
            gr = torch.autograd.grad(torch.tanh(g).prod(), P)
            grads.append(np.concatenate([q.numpy().ravel() for q in gr]))
            labs.append([f[j] for j in tup])
        Gm, Lm = np.array(grads), np.array(labs)
        gS = [np.mean(Lm[:, list(S)].prod(axis=1)[:, None] * Gm, axis=0)
              for r in range(k + 1) for S in itertools.combinations(range(k), r)]
        gS = np.array(gS)
        var = float(np.mean(np.sum((gS - gS.mean(axis=0)) ** 2, axis=1)))
        g2 = float(np.mean(np.sum(Gm**2, axis=1)))
        (got,) = D.gradient_snr(net, X, f, [k])
        assert got.variance == pytest.approx(var, rel=1e-9)
        assert got.g2 == pytest.approx(g2, rel=1e-12)
        assert got.bessel <= 1.0


def test_gradient_snr_needs_balanced_labels() -> None:
    X, f = D.sample_images(4, np.random.default_rng(0), labels=np.array([1, 1, 1, -1]))
    with pytest.raises(ValueError, match="f must be balanced"):
        D.gradient_snr(D.init_net(64, 4, np.random.default_rng(0)), X, f, [2])


def test_snr_obeys_bessel_and_decays() -> None:
    c = D.snr_curve([1, 2, 4, 8, 16], 0, n_images=2048)
    assert all(s.bessel <= 1.0 for s in c)
    assert all(b.snr < a.snr for a, b in itertools.pairwise(c))
    assert D.fit_rate([s.k for s in c], [s.snr for s in c]) > math.log(2) / 2


def test_fit_rate_and_per_image_accuracy_against_independent_routes() -> None:
    assert D.fit_rate([2, 5, 9], [3 * math.exp(-0.7 * k) for k in (2, 5, 9)]) == pytest.approx(0.7, rel=1e-12)
    for q, k in ((0.99, 5), (0.9, 3), (0.7, 4)):
        even = sum(math.comb(k, j) * (1 - q) ** j * q ** (k - j) for j in range(0, k + 1, 2))
        assert D.per_image_accuracy(even, k) == pytest.approx(q, rel=1e-12)


def test_train_arm_is_reproducible_and_learns_small_k() -> None:
    a = D.train_arm("end-to-end", 2, 7, steps=150, n_test=300)
    b = D.train_arm("end-to-end", 2, 7, steps=150, n_test=300)
    assert a == b
    assert D.train_arm("decomposition", 3, 7, steps=150, n_test=300).accuracy > 0.9


def test_random_labels_destroy_the_decomposition() -> None:
    r = D.train_arm("decomposition", 2, 0, steps=150, n_test=1000, labels="random")
    assert abs(r.accuracy - 0.5) < 0.1 and abs(r.image_accuracy - 0.5) < 0.1


@pytest.mark.parametrize("kwargs,match", [({"arm": "both"}, "arm must be one of"), ({"k": 0}, "k must be an integer"),
                                          ({"steps": 0}, "steps must be an integer"),
                                          ({"labels": "noisy"}, "labels must be one of")])
def test_train_arm_validates(kwargs: dict, match: str) -> None:
    args = {"arm": "end-to-end", "k": 2, "seed": 0, **kwargs}
    with pytest.raises(ValueError, match=match):
        D.train_arm(args.pop("arm"), args.pop("k"), args.pop("seed"), **args)


def test_cli_writes_rows_snr_and_plot(tmp_path: pytest.TempPathFactory, capsys: pytest.CaptureFixture) -> None:
    from featurecheck.numerics.cli import main

    out, fig = tmp_path / "d.json", tmp_path / "d.png"  # type: ignore[operator]
    code = main(["experiment", "decomposition", "--k", "1,3", "--seeds", "3", "--steps", "60", "--test-samples", "200",
                 "--snr-images", "512", "--json", str(out), "--plot", str(fig)])
    assert code == 0
    doc = json.loads(out.read_text())
    assert [(r["k"], r["arm"]) for r in doc["rows"]] == [(1, "end-to-end"), (1, "decomposition"),
                                                          (3, "end-to-end"), (3, "decomposition")]
    for r in doc["rows"]:
        assert len(r["values"]) == 3 and r["median"] == sorted(r["values"])[1]
        assert r["median_interval"] == [None, None]  # 3 seeds cannot bound a median at alpha 0.1
    assert [r["k"] for r in doc["snr"]] == [1, 3] and doc["snr_rate"]["median"] > 0
    assert fig.stat().st_size > 0
    assert main(["experiment", "decomposition", "--arms", "end-to-end,both"]) == 2
    assert "arms must be" in capsys.readouterr().err
