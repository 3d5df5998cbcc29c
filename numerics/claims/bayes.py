"""Experiment claims on the exact Bayes learner for sparse parities against online SGD.

Theory reference section 6, BAYES-VS-SGD; :mod:`featurecheck.numerics.experiments.bayes`.

- ``bayes.sample_count``: the noiseless Bayes sample count (samples until the exact posterior puts
  ``1 - delta`` on the true support) has its ``p``-quantile in the exact bracket of
  :func:`~featurecheck.numerics.experiments.bayes.quantile_bracket`, which lies within
  ``[log2(C-1) + log2(p/(1-p)), log2(C-1) + log2(1/(1-p)) + 1)``: ``log2 C(n,k) + log2(1/delta')`` up to
  an additive constant for success probability ``p = 1 - delta'`` (default the median, ``p = 1/2``).
- ``bayes.sgd_ratio_growth``: the SGD/Bayes ratio of median sample counts (``B t_c`` of the ReLU network
  of Barak et al. Fig. 1 against the Bayes count) grows with n: its fitted log-log slope is above ``s0``.
- ``bayes.noise_factor``: with labels flipped at rate ``eta``, the exact posterior odds against the truth
  shrink by ``1 - h(eta)`` bits per sample instead of 1 (BSC capacity), so the Bayes count grows by the
  factor ``1 / (1 - h(eta))`` (about ``2 ln 2 / (1 - 2 eta)^2`` near ``eta = 1/2``), measured as the ratio
  of the mean per-seed information rates (bits per sample) without and with noise on the same seeds.

Every claim runs the exact learner (and, for the ratio, trains the networks) by default, at a reduced
size; ``--param size=full`` of ``bayes.sgd_ratio_growth`` uses the paper's ``n = 10..30``.

Statistical model (module :mod:`featurecheck.numerics.estimators.seeds`)
------------------------------------------------------------------------
Seeds are i.i.d. trials: a claim at ``--seed S`` with ``m`` seeds runs seeds ``S, ..., S + m - 1``
(Bayes: the true support, the inputs and the label flips; SGD: initialisation and batches), each run a
function of its seed only. Each claim decides at two-sided level ``alpha = 1e-3`` (:data:`ALPHA`):

- ``bayes.sample_count``: per n, the distribution-free order-statistic interval of the ``p``-quantile
  (:func:`~featurecheck.numerics.experiments.bayes.quantile_interval`; at ``p = 1/2``
  :func:`~featurecheck.numerics.estimators.seeds.median_interval`) at ``alpha / len(ns)`` (Bonferroni),
  against the exact bracket: pass if every interval lies inside its bracket, fail if one lies wholly
  outside. The bracket contains the true quantile, so a fail needs an interval to miss it: probability
  at most ``alpha / 2`` in total (exact, no approximation).
- ``bayes.sgd_ratio_growth``: the percentile seed-bootstrap interval (``1 - alpha``) of the slope,
  pass if its lower end is ``>= s0``, fail if its upper end is ``< s0``.
- ``bayes.noise_factor``: the paired percentile seed-bootstrap interval (``1 - alpha``) of the measured
  factor against ``[v (1 - tol), v (1 + tol)]``.

False alarms: each claim fails a true statement with probability at most ``alpha / 2 = 5e-4`` (the two
bootstrap intervals only approximately); over the 3 default examples of this module, at most
``1.5e-3`` per ``verify`` run (union bound). Each threshold was calibrated over at least 100 seeds by
``tests/calibration/test_calibrate_bayes.py``, whose committed summary ``tests/calibration/bayes.json``
records the per-seed counts, the per-n quantiles and the verdicts at every ``--seed S``, ``S = 0..99``.
``bayes.sample_count`` has no tuned threshold: its bracket is an exact computation.
``bayes.sgd_ratio_growth`` states ``s0 = 0`` ("grows"); the fitted rate and its interval are reported.
The tolerance of ``bayes.noise_factor`` (5%) covers the self-averaging bias of the rate window (about
1% in the calibration) and is far below the gap to the rough constant ``1/(1 - 2 eta)^2`` (23% at
``eta = 1/5``) and to ``2 ln 2 / (1 - 2 eta)^2`` (7%).

Negative controls (``tests/claims/test_experiment_controls_bayes.py``): the wrong support prior (all
parities: about ``n`` samples) and a mis-stated constant (``log2 C + log2(1/delta)`` for the median)
for ``sample_count``; the arms swapped and a mis-stated rate for ``sgd_ratio_growth``; the rough
constant ``1/(1-2 eta)^2``, the pairwise-KL constant and swapped noise arms for ``noise_factor``: each
gives ``fail``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from fractions import Fraction
from functools import lru_cache
from typing import Any

from featurecheck.numerics.claims._experiment import ALPHA, claim_alpha, int_list
from featurecheck.numerics.estimators.seeds import all_of, interval_test, median_interval
from featurecheck.numerics.experiments import bayes as BY
from featurecheck.numerics.experiments.barak_fig1 import FIG1_NS, PANEL_SETTINGS
from featurecheck.theory._exact import binomial
from featurecheck.theory.claims import Claim, Evidence, Param, Route, Rule, register

__all__ = ["CLAIMS", "ALPHA", "bayes_runs"]

_SOURCE = ("theory reference sec. 6 (BAYES-VS-SGD); Barak, Edelman, Goel, Kakade, Malach, Zhang (2022), "
           "'Hidden Progress in Deep Learning', arXiv 2207.08799")
_CALIBRATION = "calibration: tests/calibration/bayes.json (tests/calibration/test_calibrate_bayes.py, >= 100 seeds)"


@lru_cache(maxsize=1 << 18)
def _samples(n: int, k: int, eta: str, delta: str, prior: str, seed: int) -> int | None:
    """Sample count of one Bayes run (memoised: a pure function of its inputs)."""
    return BY.bayes_run(n, k, seed, eta=eta, delta=delta, prior=prior).samples


def bayes_runs(n: int, k: int, seeds: range, *, eta: Any = 0, delta: Any = "1/20",
               prior: str = "k-sparse") -> list[int | None]:
    """Bayes sample counts of the ``(n, k)`` runs at ``seeds`` (memoised per run)."""
    e, d = str(Fraction(eta)), str(Fraction(delta))
    return [_samples(n, k, e, d, prior, s) for s in seeds]


def _sgd_samples(n: int, k: int, seeds: range, max_steps: int) -> list[int | None]:
    """``B t_c`` of the ReLU panel runs (the memoised runs of ``sgd.fig1_medians`` / ``sgd.tc_scaling``)."""
    from featurecheck.numerics.claims.sgd import t_c_runs

    settings = {**PANEL_SETTINGS["relu-mlp"], "arch": "relu-mlp", "max_steps": max_steps}
    B = int(settings["batch"])
    return [None if t is None else B * t for t in t_c_runs(settings, n, k, seeds)]


def _ns_ok(p: Mapping[str, Any]) -> str | None:
    ns = int_list(p["ns"])
    if len(set(ns)) < 2:
        return f"ns must hold two or more distinct values, got {p['ns']!r}"
    for n in ns:
        if not p["k"] < n <= 4096 or binomial(n, p["k"]) > BY.MAX_SUPPORTS:
            return f"every n must satisfy k < n and C(n,k) <= {BY.MAX_SUPPORTS}, got n={n}, k={p['k']}"
    return None


def _delta_ok(p: Mapping[str, Any]) -> str | None:
    return None if 0 < p["delta"] < Fraction(1, 2) else f"delta must be in (0, 1/2), got {p['delta']}"


# ---------------------------------------------------------------- (a) the sample count

def _count_value(**p: Any) -> dict[str, list[int]]:
    return {f"n={n}": list(BY.quantile_bracket(n, p["k"], p["p"])) for n in int_list(p["ns"])}


def _count_run(p: Mapping[str, Any], *, value: Any, seed: int = 0, alpha: float | None = None, **_: Any) -> Evidence:
    ns = int_list(p["ns"])
    a = claim_alpha(alpha) / len(ns)
    rows: dict[str, dict[str, Any]] = {}
    outcomes = []
    for n in ns:
        runs = bayes_runs(n, p["k"], range(seed, seed + p["seeds"]), delta=p["delta"], prior=p["prior"])
        q, (lo, hi) = (median_interval(runs, a) if p["p"] == Fraction(1, 2) else BY.quantile_interval(runs, p["p"], a))
        L, U = value[f"n={n}"]
        outcomes.append(interval_test((lo, hi), L, U))
        rows[f"n={n}"] = {"quantile": q, "interval": [lo, hi], "bracket": [L, U],
                          "log2_C_minus_1": math.log2(binomial(n, p["k"]) - 1)}
    return Evidence(rows, n_samples=p["seeds"] * len(ns), passed=all_of(outcomes),
                    note=f"prior {p['prior']}, delta {p['delta']}, seeds {seed}..{seed + p['seeds'] - 1}: "
                         + ", ".join(f"{c}: q_{p['p']} {r['quantile']:g} in [{r['interval'][0]:g}, {r['interval'][1]:g}] "
                                     f"vs [{r['bracket'][0]}, {r['bracket'][1]}]" for c, r in rows.items())
                         + f"; order-statistic intervals at alpha {a:.2g} per n")


SAMPLE_COUNT = register(Claim(
    id="bayes.sample_count",
    statement=r"the $p$-quantile of the number of noiseless samples until the exact Bayes posterior (uniform prior on the "
              r"$\binom{n}{k}$ supports) puts mass $\ge 1-\delta$ on the true support lies in the exact bracket of "
              r"the union and second-moment bounds, inside $[\log_2(C-1) + \log_2\frac{p}{1-p},\ "
              r"\log_2(C-1) + \log_2\frac{1}{1-p} + 1)$; the median is $\lceil\log_2(C-1)\rceil$ or one more",
    source=_SOURCE + "; the bracket: E W_m = (C-1) 2^-m and pairwise independence of the wrong supports "
                     "(featurecheck.numerics.experiments.bayes, module notes)",
    params=(Param("k", "int", low=1, high=8, default=3, doc="parity size"),
            Param("ns", "str", default="10,15,20,25,30", doc="comma-separated n"),
            Param("seeds", "int", low=2, high=10**6, default=1000, doc="runs per n (seeds seed..seed+seeds-1)"),
            Param("delta", "real", low=0, high=1, default="1/20",
                  doc="posterior threshold 1 - delta, delta in (0, 1/2) (the count does not depend on it)"),
            Param("p", "real", low=0, high=1, default="1/2",
                  doc="quantile level: p = 1 - delta' is the success probability 1 - delta'"),
            Param("prior", "choice", choices=BY.PRIORS, default="k-sparse",
                  doc="negative control: all-parities (uniform on the 2^n - 1 parities, a wrong prior; must fail)")),
    value=_count_value,
    routes=(Route("bayes-runs", _count_run,
                  Rule.predicate("every n's order-statistic quantile interval inside the exact bracket (pass); some "
                                 "interval wholly outside (fail)", alpha=ALPHA), takes_value=True),),
    examples=({},),
    constraints=(_ns_ok, _delta_ok,
                 lambda p: None if 0 < p["p"] < 1 else f"p must be in (0, 1), got {p['p']}"),
    status="experiment",
    tags=("bayes", "parity", "experiment"),
    notes="The count equals the identification time for every delta < 1/2 (the posterior is uniform on the "
          "consistent supports). Quantiles near 1 need many seeds: at p = 19/20 the bracket is one value and "
          "P(M <= q - 1) is within 0.02 of p at n = 10..30. " + _CALIBRATION,
))


# ---------------------------------------------------------------- (b) the SGD/Bayes ratio

def _ratio_ns(p: Mapping[str, Any]) -> list[int]:
    return list(FIG1_NS) if p["size"] == "full" else int_list(p["ns"])


def _ratio_run(p: Mapping[str, Any], *, value: Any, seed: int = 0, alpha: float | None = None, **_: Any) -> Evidence:
    a = claim_alpha(alpha)
    ns = _ratio_ns(p)
    seeds = range(seed, seed + p["seeds"])
    sgd = [_sgd_samples(n, p["k"], seeds, p["max_steps"]) for n in ns]
    bay = [bayes_runs(n, p["k"], seeds, delta=p["delta"]) for n in ns]
    num, den = (bay, sgd) if p["control"] == "swap-arms" else (sgd, bay)
    fit = BY.ratio_slope(ns, num, den, alpha=a, n_boot=p["n_boot"], seed=seed)
    lo, hi = fit["slope_ci"]
    s0 = float(value)
    verdict = None if lo is None or hi is None else interval_test((lo, hi), lower=s0)
    meds = {n: (median_interval(s, a)[0], median_interval(b, a)[0]) for n, s, b in zip(ns, sgd, bay, strict=True)}
    return Evidence(fit["slope"], interval=None if lo is None else (lo, hi), n_samples=2 * p["seeds"] * len(ns),
                    passed=verdict,
                    note=f"median samples (SGD B t_c, Bayes) by n: {meds}; "
                         f"{'Bayes/SGD (control)' if p['control'] == 'swap-arms' else 'SGD/Bayes'} ratios "
                         f"{[round(r, 2) for r in fit['ratios']]}; log-log slope {fit['slope']}, {1 - a:g} seed-bootstrap "
                         f"interval {fit['slope_ci']} vs the stated lower bound {s0:g}")


RATIO = register(Claim(
    id="bayes.sgd_ratio_growth",
    statement=r"the ratio of the median online-SGD sample count $B\,t_c$ (ReLU MLP of Barak et al. Fig. 1) to the "
              r"median exact-Bayes sample count on the $(n,k)$ parity grows with $n$: its log-log slope exceeds $s_0$",
    source=_SOURCE + ", Sec. 3 and Fig. 1 (t_c); the statistical-computational gap of theory reference sec. 6",
    params=(Param("k", "int", low=2, high=4, default=3),
            Param("ns", "str", default="10,15,20", doc="comma-separated n (subset of 10,15,20,25,30)"),
            Param("seeds", "int", low=2, high=10_000, default=100, doc="runs per n and arm"),
            Param("s0", "real", low=-10, high=10, default="0", exact=False,
                  doc="stated lower bound of the slope (0: the ratio grows)"),
            Param("delta", "real", low=0, high=1, default="1/20", doc="Bayes posterior threshold 1 - delta"),
            Param("n_boot", "int", low=100, high=10**6, default=4000, doc="bootstrap resamples"),
            Param("max_steps", "int", low=1, high=10**9, default=100_000, doc="SGD step cap"),
            Param("size", "choice", choices=("reduced", "full"), default="reduced",
                  doc="reduced: ns (default 10, 15, 20); full: n = 10..30"),
            Param("control", "choice", choices=("none", "swap-arms"), default="none",
                  doc="negative control: Bayes/SGD instead of SGD/Bayes (must fail)")),
    value=lambda **p: float(p["s0"]),
    routes=(Route("bayes-and-sgd-runs", _ratio_run,
                  Rule.predicate("seed-bootstrap interval of the slope >= s0 (pass); wholly below s0 (fail)",
                                 alpha=ALPHA), takes_value=True),),
    examples=({},),
    constraints=(lambda p: _ns_ok({**p, "ns": ",".join(map(str, _ratio_ns(p)))}),
                 lambda p: None if all(n in FIG1_NS for n in _ratio_ns(p))
                 else f"ns must be a subset of {list(FIG1_NS)} (the Fig. 1 grid), got {p['ns']}", _delta_ok),
    status="experiment",
    tags=("bayes", "sgd", "parity", "experiment"),
    notes="SGD settings: barak_fig1.PANEL_SETTINGS['relu-mlp'] (width 100, B = 64, lr 1, hinge); the runs are those "
          "of sgd.fig1_medians / sgd.tc_scaling (memoised in one process). " + _CALIBRATION,
))


# ---------------------------------------------------------------- (c) the noise factor

@lru_cache(maxsize=1 << 16)
def _rate(n: int, k: int, eta: str, seed: int) -> float:
    return BY.posterior_rate(n, k, seed, eta)


def _noise_run(p: Mapping[str, Any], *, value: Any, seed: int = 0, alpha: float | None = None, **_: Any) -> Evidence:
    a = claim_alpha(alpha)
    ns = int_list(p["ns"])
    seeds = range(seed, seed + p["seeds"])
    zero, eta = "0", str(p["eta"])
    if p["control"] == "swap-arms":
        zero, eta = eta, zero
    clean = [[_rate(n, p["k"], zero, s) for s in seeds] for n in ns]
    noisy = [[_rate(n, p["k"], eta, s) for s in seeds] for n in ns]
    fit = BY.noise_factor_fit(clean, noisy, alpha=a, n_boot=p["n_boot"], seed=seed)
    v, tol = float(value), float(p["tol"])
    lo, hi = fit["factor_ci"]
    verdict = interval_test((lo, hi), v * (1 - tol), v * (1 + tol))
    return Evidence(fit["factor"], interval=(lo, hi), n_samples=2 * p["seeds"] * len(ns), passed=verdict,
                    note=f"eta {p['eta']}{' (arms swapped)' if p['control'] == 'swap-arms' else ''}: mean posterior "
                         f"rates (bits/sample) by n = {ns}: noiseless {[round(x, 4) for x in fit['rate_clean_by_n']]}, "
                         f"noisy {[round(x, 4) for x in fit['rate_noisy_by_n']]}; factor {fit['factor']:.4f}, {1 - a:g} "
                         f"paired seed-bootstrap interval [{lo:.4f}, {hi:.4f}] vs the stated {v:.4f} x "
                         f"[1 - {tol:g}, 1 + {tol:g}] (1/(1-h) = {BY.noise_factor(p['eta']):.4f}, rough 1/(1-2 eta)^2 = "
                         f"{BY.rough_noise_factor(p['eta']):.4f}, 2 ln 2/(1-2 eta)^2 = "
                         f"{2 * math.log(2) * BY.rough_noise_factor(p['eta']):.4f})")


NOISE = register(Claim(
    id="bayes.noise_factor",
    statement=r"with labels flipped at rate $\eta$ the exact posterior odds against the true support shrink by "
              r"$1 - h(\eta)$ bits per sample instead of 1 ($h$ the binary entropy: the BSC capacity), so the Bayes "
              r"sample count grows by the factor $1/(1 - h(\eta))$ ($\approx 2\ln 2/(1-2\eta)^2$ as "
              r"$\eta \to 1/2$), within a relative tolerance",
    source=_SOURCE + "; Cover & Thomas, Elements of Information Theory, 2nd ed., Sec. 7.1 (BSC capacity); the "
                     "derivation in featurecheck.numerics.experiments.bayes.noise_factor",
    params=(Param("k", "int", low=1, high=8, default=3),
            Param("ns", "str", default="20,30", doc="comma-separated n (C(n,k) - 1 >= 64)"),
            Param("eta", "real", low=0, high=1, default="1/5", doc="label-flip rate in (0, 1/2)"),
            Param("seeds", "int", low=2, high=10**6, default=200, doc="runs per n and arm (paired seeds)"),
            Param("tol", "real", low=0, high=1, default="0.05", exact=False, doc="relative tolerance"),
            Param("n_boot", "int", low=100, high=10**6, default=2000, doc="bootstrap resamples"),
            Param("control", "choice", choices=("none", "swap-arms"), default="none",
                  doc="negative control: the noiseless and noisy arms swapped (must fail)")),
    value=lambda **p: BY.noise_factor(p["eta"]),
    routes=(Route("bayes-runs", _noise_run,
                  Rule.predicate("paired seed-bootstrap interval of the factor inside [v (1 - tol), v (1 + tol)] "
                                 "(pass); wholly outside (fail)", alpha=ALPHA), takes_value=True),),
    examples=({},),
    constraints=(lambda p: _ns_ok(p) or (None if all(binomial(n, p["k"]) - 1 >= 64 for n in int_list(p["ns"]))
                                         else f"every n needs C(n,k) - 1 >= 64 (a rate window of >= 2 samples), "
                                              f"got ns={p['ns']}, k={p['k']}"),
                 lambda p: None if 0 < p["eta"] < Fraction(1, 2) else f"eta must be in (0, 1/2), got {p['eta']}"),
    status="experiment",
    tags=("bayes", "noise", "parity", "experiment"),
    notes="Per seed, the rate is minus the least-squares slope of log2(posterior odds against the truth) - "
          "(f_m - eta m) log2((1-eta)/eta) over the window of experiments.bayes.rate_window (f_m: flips among the first "
          "m labels; the term has mean 0 and removes the shared-noise fluctuation); the factor is the ratio of the mean "
          "noiseless and noisy rates, averaged over ns. The tolerance (5%) covers the window's self-averaging bias "
          "(about 1% in the calibration) and is far below the gaps to the rough 1/(1-2 eta)^2 (-23% at eta = 1/5), "
          "to 2 ln 2/(1-2 eta)^2 (+7%) and to the pairwise-KL constant (-54%): each fails (controls). " + _CALIBRATION,
))

CLAIMS = (SAMPLE_COUNT, RATIO, NOISE)
