"""The exact Bayes learner for sparse parities (featurecheck.numerics.experiments.bayes).

Every expected value comes from an independent route: a plain-Python posterior over all supports with
Fractions (the data regenerated from the documented streams), enumeration of every sample matrix (the
existing ERM kernel and a plain-Python loop), a numerical minimisation of the Cramer rate (scipy), and
numpy least squares.
"""

from __future__ import annotations

import itertools
import json
import math
from fractions import Fraction

import numpy as np
import pytest

from featurecheck.numerics._kernels.rng import Purpose, generator
from featurecheck.numerics.cli import main
from featurecheck.numerics.estimators.bound_checks import erm_success_enumerated
from featurecheck.numerics.estimators.seeds import median_interval
from featurecheck.numerics.experiments import bayes as BY


def _data(n: int, k: int, seed: int, eta: Fraction, m: int) -> tuple[tuple[int, ...], list[list[int]], list[int], list[int]]:
    """Truth, inputs, labels and flips of a run, regenerated from the streams the module documents."""
    C = math.comb(n, k)
    s = int(generator(seed, Purpose.BAYES_SUPPORT, n, k).integers(0, C))
    truth = list(itertools.combinations(range(n), k))[s]
    xs: list[list[int]] = []
    flips: list[int] = []
    for c in range(-(-m // BY.CHUNK)):
        bits = generator(seed, Purpose.BAYES_DATA, n, k, c).integers(0, 2, size=(BY.CHUNK, n), dtype=np.uint8)
        noise = generator(seed, Purpose.BAYES_NOISE, n, k, c).integers(0, eta.denominator, size=BY.CHUNK, dtype=np.int64)
        xs += bits.tolist()
        flips += [int(v < eta.numerator) for v in noise]
    xs, flips = xs[:m], flips[:m]
    ys = [(sum(x[i] for i in truth) + f) % 2 for x, f in zip(xs, flips, strict=True)]
    return truth, xs, ys, flips


def _brute_posterior(n: int, k: int, truth: tuple[int, ...], xs: list[list[int]], ys: list[int], eta: Fraction) -> Fraction:
    """Posterior mass of ``truth``: plain Python over every k-subset, likelihoods as Fractions."""
    weights = {}
    for T in itertools.combinations(range(n), k):
        like = Fraction(1)
        for x, y in zip(xs, ys, strict=True):
            like *= (1 - eta) if sum(x[i] for i in T) % 2 == y else eta
        weights[T] = like
    return weights[truth] / sum(weights.values())


@pytest.mark.parametrize("n,k,eta", [(6, 2, Fraction(0)), (6, 2, Fraction(1, 10)), (7, 3, Fraction(1, 5)), (5, 1, Fraction(1, 3))])
def test_stopping_sample_and_posterior_match_brute_force(n: int, k: int, eta: Fraction) -> None:
    delta = Fraction(1, 20)
    for seed in range(4):
        r = BY.bayes_run(n, k, seed, eta=eta, delta=delta)
        assert r.samples is not None
        truth, xs, ys, _ = _data(n, k, seed, eta, r.samples)
        assert r.support == truth
        posts = [_brute_posterior(n, k, truth, xs[:m], ys[:m], eta) for m in range(1, r.samples + 1)]
        assert posts[-1] == r.posterior >= 1 - delta  # exact
        assert all(p < 1 - delta for p in posts[:-1])  # the first such m
        # the public vectorised posterior (index rows) agrees too
        assert BY.posterior_mass(np.array(xs, dtype=np.uint8), np.array(ys), k, truth, eta) == posts[-1]


def test_all_parities_prior_matches_brute_force() -> None:
    n, k = 5, 2
    for seed in range(4):
        r = BY.bayes_run(n, k, seed, prior="all-parities")
        truth, xs, ys, _ = _data(n, k, seed, Fraction(0), r.samples)
        consistent = [T for j in range(1, n + 1) for T in itertools.combinations(range(n), j)
                      if all(sum(x[i] for i in T) % 2 == y for x, y in zip(xs, ys, strict=True))]
        assert truth in consistent and Fraction(1, len(consistent)) == r.posterior
        assert r.samples >= 1


def test_noiseless_count_does_not_depend_on_delta() -> None:
    for seed in range(5):
        assert BY.bayes_run(12, 3, seed, delta="1/20").samples == BY.bayes_run(12, 3, seed, delta="49/100").samples


def _enumerate(n: int, k: int, m: int) -> tuple[Fraction, Fraction, Fraction]:
    """Over all 2^(n m) sample matrices (truth {0..k-1}): P(no wrong support survives), E W, E W^2."""
    S = frozenset(range(k))
    wrong = [T for T in itertools.combinations(range(n), k) if frozenset(T) != S]
    diffs = [sum(1 << i for i in frozenset(T) ^ S) for T in wrong]
    ok = w1 = w2 = 0
    for rows in itertools.product(range(1 << n), repeat=m):
        W = sum(all(bin(r & d).count("1") % 2 == 0 for r in rows) for d in diffs)
        ok += W == 0
        w1 += W
        w2 += W * W
    total = 1 << (n * m)
    return Fraction(ok, total), Fraction(w1, total), Fraction(w2, total)


def test_moments_bounds_and_the_product_formula_against_enumeration() -> None:
    p, e1, e2 = _enumerate(4, 2, 2)
    assert p == Fraction(3, 16) == erm_success_enumerated(4, 2, 2)
    assert (e1, e2) == BY.expected_survivors(4, 2, 2)
    lo, hi = BY.identification_cdf_bounds(4, 2, 2)
    assert lo <= p <= hi
    assert BY.product_formula(4, 2, 2) != p  # supports share coordinates: not independent for k >= 2
    p1, _, _ = _enumerate(4, 1, 2)
    assert BY.product_formula(4, 1, 2) == p1  # k = 1: the columns are independent, the product is exact
    for n, k, m in [(5, 2, 3), (5, 3, 4), (7, 2, 3)]:
        exact = erm_success_enumerated(n, k, m)
        lo, hi = BY.identification_cdf_bounds(n, k, m)
        assert lo <= exact <= hi


def test_quantile_bracket_contains_the_exact_quantile() -> None:
    # n = 5, k = 2 (C - 1 = 9): the exact CDF by enumeration up to m = 4
    cdf = {m: erm_success_enumerated(5, 2, m) for m in range(1, 5)}
    for p in (Fraction(1, 10), Fraction(1, 4), Fraction(2, 5)):
        q = min(m for m in cdf if cdf[m] >= p)
        lo, hi = BY.quantile_bracket(5, 2, p)
        assert lo <= q <= hi
    for C1, (lo, hi) in ((119, BY.quantile_bracket(10, 3)), (4059, BY.quantile_bracket(30, 3))):
        assert math.log2(C1) <= lo <= hi < math.log2(C1) + 2


def test_quantile_interval_ranks_match_scipy_and_the_median_interval() -> None:
    from scipy import stats

    vals = list(np.random.default_rng(3).integers(0, 30, 101))
    assert BY.quantile_interval(vals, "1/2", 0.01)[1] == median_interval(vals, 0.01)[1]
    x = np.sort(np.array(vals, dtype=float))
    for p in (0.2, 0.9):
        lo_rank = max(r for r in range(0, 102) if r == 0 or stats.binom.cdf(r - 1, 101, p) <= 0.025)
        hi_rank = min(r for r in range(1, 103) if r == 102 or stats.binom.sf(r - 1, 101, p) <= 0.025)
        _, (lo, hi) = BY.quantile_interval(vals, Fraction(p).limit_denominator(10), 0.05)
        assert (lo, hi) == (x[lo_rank - 1], x[hi_rank - 1])


def test_noise_factor_is_the_quenched_cramer_rate() -> None:
    from scipy import optimize

    for eta in (0.05, 0.1, 0.2, 0.3):
        # -min_lambda E[log2 e^{-lambda step}] of the lead D = Bin((1-eta)m, 1/2) - Bin(eta m, 1/2), per sample
        def cgf(lam: float, e: float = eta) -> float:
            return ((1 - e) * np.log2((1 + np.exp(-lam)) / 2) + e * np.log2((1 + np.exp(lam)) / 2))
        rate = -optimize.minimize_scalar(cgf, bounds=(0, 20), method="bounded").fun
        assert abs(1 / BY.noise_factor(Fraction(eta).limit_denominator(100)) - rate) < 1e-6
    # near 1/2: 1/(1 - h) ~ 2 ln 2 / (1 - 2 eta)^2
    e = Fraction(499, 1000)
    assert abs(BY.noise_factor(e) / (2 * math.log(2) * BY.rough_noise_factor(e)) - 1) < 1e-3
    assert BY.pair_kl_factor("1/10") < 1 < BY.rough_noise_factor("1/10") < BY.noise_factor("1/10")


def test_expected_posterior_odds_given_the_flips_by_enumeration() -> None:
    # E[sum_{T != S} L_T / L_S | flip pattern] = (C-1) (2(1-eta))^-(m-f) (2 eta)^-f: every input of n = 4, m = 3
    n, k, m, eta = 4, 2, 3, Fraction(1, 4)
    S = (0, 1)
    r = (1 - eta) / eta
    for flips in ((0, 0, 0), (1, 0, 0), (1, 1, 0)):
        total = Fraction(0)
        for rows in itertools.product(range(1 << n), repeat=m):
            for T in itertools.combinations(range(n), k):
                if T == S:
                    continue
                lead = 0
                for x, f in zip(rows, flips, strict=True):
                    cs, ct = bin(x & 0b11).count("1") % 2, sum(x >> i & 1 for i in T) % 2
                    lead += 0 if cs == ct else (1 if not f else -1)
                total += r ** (-lead)
        f = sum(flips)
        assert total / (1 << (n * m)) == 5 * Fraction(1, 2 * (1 - eta)) ** (m - f) * Fraction(1, 2 * eta) ** f


def test_log_odds_match_the_posterior_and_rates_are_near_theory() -> None:
    n, k, eta = 9, 3, Fraction(1, 5)
    lo, f = BY.posterior_log_odds(n, k, 2, eta, 6)
    truth, xs, ys, flips = _data(n, k, 2, eta, 6)
    for m in range(1, 7):
        p = _brute_posterior(n, k, truth, xs[:m], ys[:m], eta)
        assert abs(lo[m - 1] - math.log2((1 - p) / p)) < 1e-9
        assert f[m - 1] == sum(flips[:m])
    # the mean rate over 60 seeds at n = 20 is within 5% of 1 - h(eta) (per-seed sd about 0.02)
    rates = [BY.posterior_rate(20, 3, s, eta) for s in range(60)]
    assert abs(np.mean(rates) / (1 - BY.binary_entropy(eta)) - 1) < 0.05


def test_fits_against_numpy() -> None:
    rng = np.random.default_rng(0)
    ns = [10, 15, 20]
    a = [list(rng.integers(90, 110, 9) * n**2) for n in ns]
    b = [list(rng.integers(9, 11, 9) * n) for n in ns]
    f = BY.ratio_slope(ns, a, b, n_boot=200)
    ratios = [np.median(x) / np.median(y) for x, y in zip(a, b, strict=True)]
    assert abs(f["slope"] - np.polyfit(np.log(ns), np.log(ratios), 1)[0]) < 1e-12
    assert f["slope_ci"][0] <= f["slope"] <= f["slope_ci"][1]
    g = BY.noise_factor_fit([[1.0, 1.2], [0.8, 1.0]], [[0.5, 0.4], [0.6, 0.5]], n_boot=200)
    assert abs(g["factor"] - 1.0 / 0.5) < 1e-12


def test_reproducible_and_bad_input() -> None:
    a = BY.bayes_run(15, 3, 7, eta="1/10")
    assert a == BY.bayes_run(15, 3, 7, eta="1/10")
    for kw, name in (({"eta": "1/2"}, "eta"), ({"delta": "1/2"}, "delta"), ({"prior": "x"}, "prior"),
                     ({"eta": "1/10", "prior": "all-parities"}, "prior")):
        with pytest.raises(ValueError, match=name):
            BY.bayes_run(10, 3, 0, **kw)
    with pytest.raises(ValueError, match="C\\(n,k\\)"):
        BY.bayes_run(400, 4, 0)
    sgd = BY.run_task({"learner": "sgd", "n": 8, "k": 2, "width": 20, "batch": 16, "max_steps": 2000}, 0)
    assert sgd["samples"] == 16 * sgd["t_c"]


def test_cli_json_keys_and_errors(tmp_path, capsys) -> None:
    out = tmp_path / "b.json"
    plot = tmp_path / "b.png"
    code = main(["experiment", "bayes-vs-sgd", "--n", "10,12", "--k", "2", "--seeds", "6", "--noise", "1/10",
                 "--max-steps", "3000", "--json", str(out), "--plot", str(plot), "--quiet"])
    assert code == 0 and plot.stat().st_size > 0
    doc = json.loads(out.read_text())
    row = doc["results"][0]
    for key in ("bayes_samples", "bayes_samples_ci", "sgd_samples", "sgd_samples_ci", "log2_C"):
        assert key in row
    assert row["log2_C"] == math.log2(45)
    assert {"bayes", "sgd", "ratio", "log2_C"} <= set(doc["fits"]) and "factor" in doc["noise"]
    assert main(["experiment", "bayes-vs-sgd", "--noise", "1/2"]) == 2
    assert "noise" in capsys.readouterr().err
