"""Spiked covariance model (numerics/experiments/spiked.py).

Statistical budget: two exact chi-square interval checks at alpha = 1e-6 (variance along mu and along
a direction orthogonal to mu), false-alarm rate 2e-6. The learning checks are deterministic (fixed
seeds) with wide margins (observed errors 0.1 against 1.0).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from featurecheck.numerics.experiments import spiked as Sp

ALPHA = 1e-6


def _chi2_contains(sample: np.ndarray, var: float) -> bool:
    n = sample.size
    q = float(np.sum(sample**2)) / var  # mean-zero normal: sum x^2 / var ~ chi2_n
    return stats.chi2.ppf(ALPHA / 2, n) <= q <= stats.chi2.ppf(1 - ALPHA / 2, n)


def test_covariance_along_and_across_spike() -> None:
    m = Sp.SpikedModel(d=50, beta=0.7, seed=3)
    X, y = m.sample(20000, split=5)
    mu = m.mu
    assert abs(np.linalg.norm(mu) - 1) < 1e-12
    assert _chi2_contains(X @ mu, 1 + m.theta)
    assert not _chi2_contains(X @ mu, 1.1 * (1 + m.theta))  # negative control
    v = np.random.default_rng(0).standard_normal(50)
    v -= (v @ mu) * mu
    v /= np.linalg.norm(v)
    assert _chi2_contains(X @ v, 1.0)
    assert np.allclose(y, Sp.default_link(X @ mu / math.sqrt(1 + m.theta)))


def test_default_link_hermite() -> None:
    from featurecheck.theory.hermite import information_exponent

    z = np.linspace(-3, 3, 7)
    ref = ((z**2 - 1) / math.sqrt(2) + (z**3 - 3 * z) / math.sqrt(6)) / math.sqrt(2)
    assert np.allclose(Sp.default_link(z), ref)
    assert information_exponent("z**2 - 1 + z**3 - 3*z") == 2  # He2 + He3 up to positive weights: k* = 2


def test_kernel_improves_with_spike_and_network_learns() -> None:
    lo = Sp.SpikedModel(d=48, beta=0.0, seed=0)
    hi = Sp.SpikedModel(d=48, beta=1.0, seed=0)
    k_lo, k_hi = Sp.run_kernel(lo, 384), Sp.run_kernel(hi, 384)
    assert k_hi < 0.5 < k_lo
    assert Sp.run_network(hi, 384, m=64) < 0.5
    assert Sp.run_kernel(hi, 384) == k_hi  # reproducible


def test_validation() -> None:
    with pytest.raises(ValueError, match="beta"):
        Sp.SpikedModel(d=10, beta=3)
    with pytest.raises(ValueError, match="d must"):
        Sp.SpikedModel(d=1, beta=0.5)


# ---------------------------------------------------------------- links, thresholds, crossovers, command


@pytest.mark.parametrize("kstar,p", [(1, 3), (2, 3), (3, 3), (2, 5)])
def test_hermite_link_by_gauss_hermite_quadrature(kstar: int, p: int) -> None:
    # independent route: probabilists' Gauss-Hermite nodes (exact for polynomials of degree <= 2*40-1)
    z, w = np.polynomial.hermite_e.hermegauss(40)
    w = w / w.sum()
    f = Sp.hermite_link(kstar, p)(z)
    he = [np.polynomial.hermite_e.hermeval(z, [0] * j + [1]) for j in range(p + 2)]
    coef = [float(np.sum(w * f * he[j])) / math.factorial(j) for j in range(p + 2)]  # c_j = E[f He_j]/j!
    assert abs(float(np.sum(w * f * f)) - 1) < 1e-12  # unit variance
    assert all(abs(c) < 1e-12 for c in coef[:kstar])  # information exponent k*
    assert abs(coef[kstar]) > 0.1 and abs(coef[p]) > 0.01 and abs(coef[p + 1]) < 1e-12  # degree p


def test_hermite_link_explicit_polynomials() -> None:
    z = np.linspace(-2, 2, 5)
    assert np.allclose(Sp.hermite_link(1, 3)(z), (z + (z**3 - 3 * z) / math.sqrt(6)) / math.sqrt(2))
    assert np.allclose(Sp.hermite_link(3, 3)(z), (z**3 - 3 * z) / math.sqrt(6))
    with pytest.raises(ValueError, match=r"kstar must be an integer in \[1, 3\], got 4"):
        Sp.hermite_link(4, 3)
    with pytest.raises(ValueError, match=r"p must be an integer in \[1, 8\], got 9"):
        Sp.thresholds(1, 9)


@pytest.mark.parametrize("kstar,p", [(1, 3), (2, 3), (2, 4), (3, 5)])
def test_thresholds_match_the_bound_catalogue(kstar: int, p: int) -> None:
    import sympy as sp

    from featurecheck.theory.bounds import catalogue
    from featurecheck.theory.bounds.model import symbols

    th = Sp.thresholds(kstar, p)
    sym = symbols()
    for key, bid in (("kernel", "single-index.ba_kernel"), ("network", "single-index.ba_network")):
        val = catalogue.get(bid).formula.subs({sym["p"]: p, sym["kstar"]: kstar})
        assert sp.Rational(th[key].numerator, th[key].denominator) == val, (key, val)


def test_crossover_estimator_by_hand() -> None:
    b = [0.0, 0.25, 0.5, 0.75]
    assert Sp.crossover(b, [0.9, 0.7, 0.2, 0.1], 0.3) == pytest.approx(0.25 + 0.25 * 0.4 / 0.5)  # (0.7-0.3)/(0.7-0.2)
    assert Sp.crossover(b, [0.9, 0.3, 0.2, 0.1], 0.3) == 0.25  # reaching the level counts (<=)
    assert Sp.crossover(b, [0.9, 0.2, 0.5, 0.1], 0.3) == pytest.approx(0.25 * 0.6 / 0.7)  # the first crossing
    assert Sp.crossover(b, [0.1, 0.9, 0.9, 0.9], 0.3) == 0.0
    assert Sp.crossover(b, [0.9, 0.8, 0.7, 0.6], 0.3) == math.inf
    assert Sp.gap(math.inf, math.inf) == 0.0 and Sp.gap(0.5, math.inf) == -math.inf


def test_lazy_crossover_equals_the_full_curve_and_seeds_are_independent() -> None:
    s = {"d": 16, "kstar": 1, "p": 3, "betas": [0.0, 0.5, 1.0, 1.5], "level": 0.35, "psi": 4, "width": 32, "n_test": 300}
    full = Sp.curve_task(s, 3)
    for method in Sp.METHODS:
        c, errs = Sp.seed_crossover(method, 16, 1, 3, 3, s["betas"], 0.35, 4, 32, 300)
        assert errs == full["errors"][method][:len(errs)]
        assert (c if math.isfinite(c) else None) == full["crossover"][method]
    both = Sp.sweep(16, s["betas"], 1, 3, 2, seed=2, level=0.35, psi=4, width=32, n_test=300)["runs"]
    assert both[1]["errors"] == full["errors"]  # seed 3's outcome does not depend on the window it is in


def test_sweep_validation() -> None:
    with pytest.raises(ValueError, match="beta must be a non-empty increasing grid"):
        Sp.sweep(16, [0.5, 0.1], 1, 3, 1)
    with pytest.raises(ValueError, match="width must be even"):
        Sp.sweep(16, [0.0], 1, 3, 1, width=33)
    with pytest.raises(ValueError, match=r"kstar must be an integer in \[1, 2\]"):
        Sp.sweep(16, [0.0], 3, 2, 1)


def test_command_json_plot_and_bad_input(tmp_path, capsys) -> None:
    import json

    from featurecheck.numerics.cli import main
    from featurecheck.numerics.cli.experiment_spiked import parse_grid

    assert parse_grid("0,0.1,...,0.9") == [i / 10 for i in range(10)]
    out, png = tmp_path / "s.json", tmp_path / "s.png"
    argv = ["experiment", "spiked", "--d", "16", "--beta", "0,0.5,...,1.5", "--seeds", "3", "--psi", "4", "--width",
            "32", "--test-samples", "300", "--level", "0.35", "--quiet", "--json", str(out), "--plot", str(png)]
    assert main(argv) == 0
    doc = json.loads(out.read_text())
    assert png.stat().st_size > 1000
    assert [r["beta"] for r in doc["rows"]] == [0.0, 0.5, 1.0, 1.5] and len(doc["runs"]) == 3
    assert doc["crossovers"]["kernel"]["theory"] == "2/3" and doc["crossovers"]["network"]["theory"] == "0"
    ref = Sp.sweep(16, [0.0, 0.5, 1.0, 1.5], 1, 3, 3, level=0.35, psi=4, width=32, n_test=300)["runs"]
    for key in ("kernel", "network"):
        per = [math.inf if r["crossover"][key] is None else r["crossover"][key] for r in ref]
        assert doc["crossovers"][key]["per_seed"] == [None if math.isinf(v) else v for v in per]
        assert doc["rows"][1][key]["median"] == float(np.median([r["errors"][key][1] for r in ref]))
    text = capsys.readouterr().out
    assert "theory" in text and "1 - 1/p" in text
    for bad, msg in ((["--kstar", "4"], "kstar must be an integer in [1, 3]"), (["--beta", "0.5,0.1"], "increasing"),
                     (["--width", "33"], "width must be even"), (["--beta", "0,0.3,...,0.5"], "does not reach")):
        assert main(["experiment", "spiked", "--d", "16", *bad]) == 2
        err = capsys.readouterr().err.strip()
        assert msg in err and "\n" not in err
