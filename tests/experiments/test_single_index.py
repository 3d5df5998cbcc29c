"""Online SGD on single-index targets: the kernel, its wrapper, the link constants, the statistics and the CLI.

Independent routes: the kernel's one-step drift against the population drift ``phi'(m) (1 - m^2)``
from the exact Hermite coefficients of :mod:`featurecheck.theory.hermite` (Monte Carlo over many
one-step runs, a 5-sigma band); ``.py_func`` against the compiled kernel; the parallel kernel against
the serial one at 1 and 2 threads; link constants from orthogonality of ``He_j`` and scipy quadrature;
the ``k* = 2`` exponent from a two-point formula.
"""

from __future__ import annotations

import json
import math

import numba
import numpy as np
import pytest
from scipy import integrate

from featurecheck.numerics._kernels import single_index as K
from featurecheck.numerics._kernels.rng import Purpose, stream_key
from featurecheck.numerics.cli import main
from featurecheck.numerics.experiments import single_index as SI
from featurecheck.theory import hermite as H


def _args(link: str, d: int, seed: int, eta: float, cap: int) -> tuple:
    spec = SI.resolve_link(link)
    ws, w0 = SI.start_vectors(d, seed)
    return (ws, w0, stream_key(seed, Purpose.SINGLE_INDEX_DATA, d), spec.code, np.array(spec.poly or (0.0,)),
            np.array(spec.dpoly or (0.0,)), np.zeros((0, 0)), 0, eta, 0.5, cap)


def test_kernel_matches_py_func_on_a_tiny_run() -> None:
    a = _args("He3", 4, 3, 0.05, 30)
    b = tuple(v.copy() if isinstance(v, np.ndarray) else v for v in a)
    tr1, tr2 = np.full(31, np.nan), np.full(31, np.nan)
    t1 = K.run_one(*a, 1, tr1)
    t2 = K.run_one.py_func(*b, 1, tr2)
    assert t1 == t2
    np.testing.assert_array_equal(a[1], b[1])  # final w, bit for bit
    np.testing.assert_array_equal(tr1, tr2)


def test_parallel_over_seeds_equals_serial_at_any_thread_count() -> None:
    seeds = list(range(6))
    serial = []
    for s in seeds:
        a = _args("He2", 12, s, SI.step_size(SI.resolve_link("He2"), 12), 5000)
        serial.append(int(K.run_one(*a, 0, np.empty(0))))
    serial_l = [None if t < 0 else t for t in serial]
    old = numba.get_num_threads()
    try:
        for n in (1, min(2, numba.config.NUMBA_NUM_THREADS)):
            numba.set_num_threads(n)
            assert SI.simulate("He2", 12, seeds, max_samples=5000) == serial_l
    finally:
        numba.set_num_threads(old)
    assert [SI.run_task({"link": "He2", "d": 12, "max_samples": 5000}, s)["samples"] for s in seeds] == serial_l


@pytest.mark.parametrize("link,m0,loss", [("He3", 0.5, 0), ("relu", 0.2, 0), ("He2", 0.4, 1)])
def test_one_step_drift_matches_the_population_drift(link: str, m0: float, loss: int) -> None:
    # E[(m_1 - m_0) / eta] -> phi'(m0) (1 - m0^2) as eta -> 0, phi(m) = sum_j j! c_j^2 m^j (Hermite, exact); the
    # square loss adds -E[sigma(u) sigma'(u) (x - u w)] . w*, which is 0 (x . w* - u m is independent of u = w . x)
    d, n, eta = 6, 30_000, 1e-7
    spec = SI.resolve_link(link)
    ws = np.zeros(d)
    ws[0] = 1.0
    w0 = np.zeros(d)
    w0[0], w0[1] = m0, math.sqrt(1 - m0 * m0)
    wst = np.tile(ws, (n, 1))
    W = np.tile(w0, (n, 1))
    # distinct keys give independent streams (the kernel mixes each key with SplitMix64's finaliser)
    keys = stream_key(0, Purpose.SINGLE_INDEX_DATA, 99) + np.arange(n, dtype=np.uint64)
    out = np.empty(n, dtype=np.int64)
    K.run_seeds(wst, W, keys, spec.code, np.array(spec.poly or (0.0,)), np.array(spec.dpoly or (0.0,)), np.zeros((0, 0)),
                loss, eta, 2.0, 1, out)
    inc = (W[:, 0] - m0) / eta
    cs = [float(c) for c in H.hermite_coefficients(link if link == "relu" else f"He{link[2]}(z)", degree=40).coefficients]
    dphi = sum(j * math.factorial(j) * c * c * m0 ** (j - 1) for j, c in enumerate(cs) if j >= 1)
    want = dphi * (1 - m0 * m0)
    # budget: 5 standard errors for the Monte Carlo; 1e-3 relative covers the O(eta) retraction term
    # (about eta C d m0 / 2 <= 2e-5 absolute here) and relu's Hermite truncation at degree 40 (m0^40 < 1e-27)
    assert abs(inc.mean() - want) < 5 * inc.std() / math.sqrt(n) + 1e-3 * abs(want), (inc.mean(), want)


def test_even_link_dynamics_is_equivariant_under_sign_flip() -> None:
    a = _args("He2", 10, 1, 0.01, 3000)
    b = list(_args("He2", 10, 1, 0.01, 3000))
    b[1] = -b[1]
    assert K.run_one(*a, 0, np.empty(0)) == K.run_one(*b, 0, np.empty(0))
    np.testing.assert_allclose(a[1], -b[1], rtol=0, atol=1e-12)


def test_link_constants_from_independent_routes() -> None:
    for k in (1, 2, 3, 4):
        s = SI.resolve_link(f"He{k}")
        # c_k = 1; E[He_k^2] = k!, E[(k He_{k-1})^2] = k^2 (k-1)!
        assert s.k_star == k and s.drift == pytest.approx(k * math.factorial(k))
        assert s.noise == pytest.approx(math.factorial(k) * k * k * math.factorial(k - 1), rel=1e-10)
    phi = lambda z: math.exp(-z * z / 2) / math.sqrt(2 * math.pi)  # noqa: E731
    e2 = integrate.quad(lambda z: math.tanh(z) ** 2 * phi(z), -np.inf, np.inf)[0]
    d2 = integrate.quad(lambda z: (1 - math.tanh(z) ** 2) ** 2 * phi(z), -np.inf, np.inf)[0]
    assert SI.resolve_link("tanh").noise == pytest.approx(e2 * d2, rel=1e-8)
    assert SI.resolve_link("relu").noise == 0.25 and SI.resolve_link("abs").k_star == 2
    assert SI.resolve_link("z**3 - 3*z").drift == pytest.approx(18.0)


def test_predicted_exponents() -> None:
    d1, d2 = 16, 64
    two_point = (math.log(d2 * math.log(d2)) - math.log(d1 * math.log(d1))) / (math.log(d2) - math.log(d1))
    assert SI.predicted_exponent(2, [d1, d2]) == pytest.approx(two_point, rel=1e-12)
    assert SI.predicted_exponent(1, [16, 32]) == 1.0 and SI.predicted_exponent(4, [16, 32]) == 3.0


@pytest.mark.parametrize("kw,match", [
    ({"d": 1}, r"d must be an integer in \[2, 4096\]"),
    ({"lr": 0}, r"lr must be a real in \(0, 1e6\]"),
    ({"loss": "hinge"}, "loss must be one of"),
    ({"max_samples": 0}, "max_samples must be an integer"),
])
def test_bad_input_is_rejected_before_any_kernel(kw: dict, match: str) -> None:
    args = {"d": 8, **kw}
    d = args.pop("d")
    with pytest.raises(ValueError, match=match):
        SI.simulate("He1", d, [0], **args)


@pytest.mark.parametrize("link", ["sign", "step", "3", "z**2 + x", "He0"])
def test_bad_links_are_rejected(link: str) -> None:
    with pytest.raises(ValueError, match="link"):
        SI.resolve_link(link)


def test_censoring_and_summary() -> None:
    data = {16: SI.simulate("He3", 16, range(7), max_samples=5), 32: SI.simulate("He3", 32, range(7), max_samples=5)}
    assert sum(t is None for t in data[32]) >= 4  # 5 samples are far too few at d = 32
    doc = SI.summarize("He3", data, n_boot=200)
    assert doc["rows"][1]["median_samples"] is None and doc["fit"]["exponent"] is None
    assert doc["rows"][1]["n_censored"] == sum(t is None for t in data[32])


def test_exponent_differences_flag_censoring_as_undefined() -> None:
    a = {16: [10, 12, 11, 13], 32: [20, 24, 22, 26]}
    b = {16: [10, 12, 11, 13], 32: [None, None, None, 50]}
    (r,) = SI.exponent_differences([a, b], [16, 32], alpha=0.05, n_boot=500)
    assert r["interval"] == [None, None] and r["difference"] is None


def test_sweep_through_the_executor_and_store(tmp_path) -> None:
    store = str(tmp_path / "runs.sqlite")
    got = SI.sweep("He1", [16, 24], 3, seed=5, store=store, progress=False)
    assert got == {16: SI.simulate("He1", 16, range(5, 8)), 24: SI.simulate("He1", 24, range(5, 8))}
    assert SI.sweep("He1", [16, 24], 3, seed=5, store=store, progress=False) == got


def test_cli_json_and_plot(tmp_path, capsys) -> None:
    out, fig = tmp_path / "si.json", tmp_path / "si.png"
    assert main(["experiment", "single-index", "--link", "He1", "--d", "16,32", "--seeds", "8",
                 "--json", str(out), "--plot", str(fig)]) == 0
    doc = json.loads(out.read_text())
    assert [r["d"] for r in doc["rows"]] == [16, 32] and doc["k_star"] == 1
    assert doc["rows"][0]["samples"] == SI.simulate("He1", 16, range(8))
    assert set(doc["fit"]) >= {"exponent", "exponent_interval", "predicted"} and fig.stat().st_size > 0
    assert "fitted exponent" in capsys.readouterr().out
    assert main(["experiment", "single-index", "--link", "sign"]) == 2
    assert main(["experiment", "single-index", "--d", "16", "--seeds", "0"]) == 2


def test_sphere_moments_match_the_beta_distribution() -> None:
    from scipy.special import beta

    # zeta^2 ~ Beta(1/2, (D - 1)/2) for a coordinate of a uniform point on the sphere of R^D
    for D in (3, 7, 40):
        for j in (1, 2, 3):
            want = beta(j + 0.5, (D - 1) / 2) / beta(0.5, (D - 1) / 2)
            assert float(SI.sphere_moment(j, D)) == pytest.approx(want, rel=1e-12)


def _poly2(M: np.ndarray, u: float, r: float) -> float:
    return float(sum(M[a, b] * u**a * r**b for a in range(M.shape[0]) for b in range(M.shape[1])))


@pytest.mark.parametrize("link", ["He3", "He4", "z**5 - z**2"])
def test_smoothed_link_matches_monte_carlo_over_the_smoothing_direction(link: str) -> None:
    d, lam, n = 7, 1.3, 200_000
    spec = SI.resolve_link(link)
    G, _ = SI.smoothing_polynomial(spec, d, lam)
    rng = np.random.default_rng(5)
    w = rng.standard_normal(d)
    w /= np.linalg.norm(w)
    x = rng.standard_normal(d)
    z = rng.standard_normal((n, d))
    z -= np.outer(z @ w, w)
    z /= np.linalg.norm(z, axis=1, keepdims=True)
    v = (w + lam * z) / math.sqrt(1 + lam * lam)
    vals = np.polynomial.polynomial.polyval(v @ x, np.array(spec.poly))
    u = float(w @ x)
    want = _poly2(G, u, float(x @ x) - u * u)
    assert abs(vals.mean() - want) < 5 * vals.std() / math.sqrt(n), (vals.mean(), want)


def test_smoothed_derivative_is_the_tangent_derivative_of_the_smoothed_link() -> None:
    d, lam = 9, 0.8
    G, Hs = SI.smoothing_polynomial(SI.resolve_link("He4"), d, lam)
    rng = np.random.default_rng(2)
    w = rng.standard_normal(d)
    w /= np.linalg.norm(w)
    x = rng.standard_normal(d)
    e = rng.standard_normal(d)
    e -= (e @ w) * w
    e /= np.linalg.norm(e)

    def g_hat(vec: np.ndarray) -> float:  # the extension g(w.x, |x|^2 - (w.x)^2) off the sphere
        u = float(vec @ x)
        return _poly2(G, u, float(x @ x) - u * u)

    h = 1e-6
    fd = (g_hat(w + h * e) - g_hat(w - h * e)) / (2 * h)
    u = float(w @ x)
    assert _poly2(Hs, u, float(x @ x) - u * u) * float(x @ e) == pytest.approx(fd, rel=1e-6)
    assert np.allclose(SI.smoothing_polynomial(SI.resolve_link("He4"), d, 0.0)[1][:4, 0], [0, -12, 0, 4])


def test_smoothed_arm_runs_and_validates() -> None:
    assert SI.simulate("He3", 16, [0, 1], smoothing=0.0) == SI.simulate("He3", 16, [0, 1])
    got = SI.simulate("He3", 16, range(4), smoothing=1.0)
    assert all(t is not None for t in got) and got != SI.simulate("He3", 16, range(4))
    with pytest.raises(ValueError, match="link must be a polynomial"):
        SI.simulate("relu", 16, [0], smoothing=1.0)
    with pytest.raises(ValueError, match="loss must be 'correlation'"):
        SI.simulate("He3", 16, [0], smoothing=1.0, loss="square")
    with pytest.raises(ValueError, match=r"smoothing must be a finite real number in \[0, 100\]"):
        SI.simulate("He3", 16, [0], smoothing=-1)
