"""Experiment claims on online SGD for sparse parities (Barak et al. 2022; theory reference section 2).

Every claim here is an *experiment*: its routes train networks with :func:`featurecheck.numerics.experiments.sgd.train` at fixed
seeds, so each verdict is deterministic, and each rule states the statistics behind it.

Statistical budget (default examples, all seeds fixed):
- ``sgd.parity_converges``: exact count (every seed converges within the cap); no randomness in the rule.
- ``sgd.tc_scaling``: the one-sided 95% seed-bootstrap lower bound of ``slope(k_hi) - slope(k_lo)``
  must be positive, and the medians must increase in n. Under the null "equal slopes" a pass happens
  with probability about 0.05 (bootstrap approximation).
- ``sgd.no_early_success``: one-sided Clopper-Pearson upper bound (alpha = 0.05) of the fraction of
  runs with ``t_c <= median/10`` must fall below the random-search value ``1 - 2^{-1/10}``; under the
  null (fraction >= that value) a pass has probability <= 0.05.
- ``sgd.hidden_progress``: every true-label run beats every random-label run in ``||W_t - W_0||_inf``
  at the pre-registered step; under the null (labels do not matter, runs exchangeable) this has
  probability ``1 / C(s + m, s)`` (= 1/495 for s = 4, m = 8).
These are probabilities of wrongly *confirming* the claims (Type I error of the experiment); with fixed
seeds the verdicts never change between runs.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import replace
from fractions import Fraction
from typing import Any

import numpy as np

from featurecheck.numerics._kernels.rng import Purpose, generator
from featurecheck.numerics.experiments.sgd import SGDConfig, Target, train
from featurecheck.numerics.experiments.sweep import fit_slope, median_ci
from featurecheck.theory.claims import Claim, Evidence, Param, Route, Rule, register

__all__ = ["CLAIMS", "clopper_pearson_upper", "RANDOM_SEARCH_EARLY"]

_SOURCE = "Barak, Edelman, Goel, Kakade, Malach, Zhang (2022), 'Hidden Progress in Deep Learning', arXiv 2207.08799"

#: P(T <= median/10) for a geometric success time (random search): 1 - 2^{-1/10} (continuous limit).
RANDOM_SEARCH_EARLY = 1.0 - 2.0 ** (-0.1)


def clopper_pearson_upper(successes: int, trials: int, alpha: float) -> float:
    """One-sided ``1 - alpha`` Clopper-Pearson upper bound of a binomial proportion.

    Examples
    --------
    >>> round(clopper_pearson_upper(0, 44, 0.05), 4)  # = 1 - 0.05^(1/44)
    0.0658
    """
    if successes >= trials:
        return 1.0
    from scipy.stats import beta

    return float(beta.ppf(1 - alpha, successes + 1, trials - successes))


def _ints(text: Any) -> list[int]:
    return [int(v) for v in str(text).split(",") if v.strip()]


def _cfg(p: Mapping[str, Any], **kw: Any) -> SGDConfig:
    return SGDConfig(width=p["width"], batch=p["batch"], lr=float(p["lr"]), max_steps=p["max_steps"], **kw)


# ---------------------------------------------------------------- (50,3) converges for every seed

def _converge_run(p: Mapping[str, Any], *, seed: int = 0, **_: Any) -> Evidence:
    cfg = _cfg(p)
    tcs = [train(Target.parity(p["n"], p["k"]), cfg, seed + s).t_c for s in range(p["seeds"])]
    conv = sum(t is not None for t in tcs)
    lo = 1.0 - clopper_pearson_upper(p["seeds"] - conv, p["seeds"], 0.05)
    return Evidence(Fraction(conv, p["seeds"]), n_samples=p["seeds"],
                    note=f"t_c over seeds {seed}..{seed + p['seeds'] - 1}: {tcs}; cap {p['max_steps']} steps; "
                         f"95% Clopper-Pearson lower bound of the success probability {lo:.3f}")


CONVERGES = register(Claim(
    id="sgd.parity_converges",
    statement=r"online SGD (2-layer ReLU MLP, hinge, $B=32$) reaches 100% accuracy on a fresh batch of $2^{13}$ "
              r"on the $(n,k)$ parity within the step cap, for every seed",
    source=_SOURCE + ", Sec. 3 (the (n,k) = (50,3) setting, width 1000, lr 0.1)",
    params=(Param("n", "int", low=2, high=4096, default=50, doc="input dimension"),
            Param("k", "int", low=1, high=64, default=3, doc="parity size; S = {0..k-1}"),
            Param("width", "int", low=1, high=100_000, default=1000),
            Param("batch", "int", low=1, high=65536, default=32),
            Param("lr", "real", low=0, high=100, default="0.1", exact=False),
            Param("seeds", "int", low=1, high=10_000, default=1, doc="runs (seeds seed..seed+seeds-1)"),
            Param("max_steps", "int", low=1, high=10**9, default=20_000, doc="step cap")),
    value=lambda **_: Fraction(1),
    routes=(Route("sgd-runs", _converge_run, Rule.exact(), applies_doc="always (trains `seeds` networks)"),),
    examples=({},),
    constraints=(lambda p: None if p["k"] <= p["n"] else f"k must be <= n={p['n']}, got {p['k']}",),
    status="experiment",
    tags=("sgd", "parity", "experiment"),
    notes="Full version: --param seeds=25 --param max_steps=50000 (tests: pytest -m slow).",
))


# ---------------------------------------------------------------- t_c grows with n, slope grows with k

def _scaling_run(p: Mapping[str, Any], *, seed: int = 0, alpha: float | None = None, **_: Any) -> Evidence:
    ns = _ints(p["ns"])
    k_lo, k_hi = p["k_lo"], p["k_hi"]
    cfg = _cfg(p)
    data: dict[int, list[list[int | None]]] = {}
    for k in (k_lo, k_hi):
        data[k] = [[train(Target.parity(n, k), cfg, seed + s).t_c for s in range(p["seeds"])] for n in ns]
    meds = {k: [median_ci(v, n_boot=10)[0] for v in data[k]] for k in data}
    increasing = all(all(m[i] < m[i + 1] for i in range(len(m) - 1)) for m in meds.values())
    # bootstrap of the slope difference: seeds resampled independently in each (n, k) cell
    a = 0.05 if alpha is None else alpha
    n_boot = 2000
    rng = generator(seed, Purpose.SGD_SLOPE_BOOTSTRAP)
    lx = np.log(np.array(ns, dtype=float))
    xm = lx.mean()
    diffs = np.full(n_boot, -np.inf)
    slopes = {}
    for k in (k_lo, k_hi):
        reps = np.empty((n_boot, len(ns)))
        for q, v in enumerate(data[k]):
            x = np.array([math.inf if t is None else float(t) for t in v])
            reps[:, q] = np.median(x[rng.integers(0, x.size, size=(n_boot, x.size))], axis=1)
        with np.errstate(invalid="ignore"):
            ly = np.log(reps)
            slopes[k] = ((lx - xm) * (ly - ly.mean(axis=1, keepdims=True))).sum(axis=1) / ((lx - xm) ** 2).sum()
    ok = np.isfinite(slopes[k_lo]) & np.isfinite(slopes[k_hi])
    diffs[ok] = slopes[k_hi][ok] - slopes[k_lo][ok]  # undefined replicates count against the claim
    lower = float(np.quantile(diffs, a, method="inverted_cdf"))
    fits = {k: fit_slope(ns, data[k], n_boot=200)["slope"] for k in data}
    passed = bool(increasing and lower > 0)
    return Evidence({f"slope_k{k}": fits[k] for k in fits}, interval=(lower, math.inf), n_samples=p["seeds"],
                    passed=passed,
                    note=f"medians {meds}; slopes {fits}; one-sided {1 - a:g} bootstrap lower bound of "
                         f"slope(k={k_hi}) - slope(k={k_lo}) = {lower:.3f}; medians increasing in n: {increasing}")


SCALING = register(Claim(
    id="sgd.tc_scaling",
    statement=r"median $t_c$ increases with $n$ for fixed $k$, and the log-log slope of $t_c$ in $n$ is larger "
              r"for $k_{hi}$ than for $k_{lo}$ ($t_c \approx n^{O(k)}$)",
    source=_SOURCE + ", Sec. 3 and Fig. 1 (t_c grows like n^{alpha k})",
    params=(Param("ns", "str", default="8,12,16", doc="comma-separated n values"),
            Param("k_lo", "int", low=1, high=64, default=2),
            Param("k_hi", "int", low=1, high=64, default=4),
            Param("width", "int", low=1, high=100_000, default=100),
            Param("batch", "int", low=1, high=65536, default=32),
            Param("lr", "real", low=0, high=100, default="1", exact=False),
            Param("seeds", "int", low=2, high=10_000, default=7),
            Param("max_steps", "int", low=1, high=10**9, default=50_000)),
    value=lambda **_: "slope(k_hi) > slope(k_lo) > 0",
    routes=(Route("sgd-sweep", _scaling_run,
                  Rule.predicate("medians strictly increasing in n for both k, and the one-sided 95% seed-bootstrap "
                                 "lower bound of slope(k_hi) - slope(k_lo) is > 0", alpha=0.05)),),
    examples=({},),
    constraints=(lambda p: None if p["k_lo"] < p["k_hi"] <= min(_ints(p["ns"]))
                 else f"need k_lo < k_hi <= min(ns), got k_lo={p['k_lo']}, k_hi={p['k_hi']}, ns={p['ns']}",
                 lambda p: None if len(set(_ints(p["ns"]))) >= 2 else f"ns needs two distinct values, got {p['ns']}"),
    status="experiment",
    tags=("sgd", "parity", "scaling", "experiment"),
    notes="Full version: --param ns=10,15,20,25,30 --param seeds=25 (width 100, B 32).",
))


# ---------------------------------------------------------------- no early successes

def _early_run(p: Mapping[str, Any], *, value: Any, seed: int = 0, alpha: float | None = None, **_: Any) -> Evidence:
    a = 0.05 if alpha is None else alpha
    cfg = _cfg(p)
    tcs = [train(Target.parity(p["n"], p["k"]), cfg, seed + s).t_c for s in range(p["seeds"])]
    med = median_ci(tcs, n_boot=10)[0]
    early = sum(t is not None and t <= med / 10 for t in tcs)
    upper = clopper_pearson_upper(early, len(tcs), a)
    frac = early / len(tcs)
    return Evidence(frac, interval=(0.0, upper), n_samples=len(tcs), passed=bool(upper < float(value)),
                    note=f"{early}/{len(tcs)} runs with t_c <= median/10 = {med / 10:g}; one-sided {1 - a:g} "
                         f"Clopper-Pearson upper bound {upper:.4f} vs the stated bound {float(value):.4f}; "
                         f"min t_c {min((t for t in tcs if t is not None), default=None)}")


NO_EARLY = register(Claim(
    id="sgd.no_early_success",
    statement=r"$\Pr[t_c \le \mathrm{median}(t_c)/10]$ is below $1 - 2^{-1/10} \approx 0.067$, its value for random "
              r"search (geometric success time, mode 0)",
    source=_SOURCE + ", Sec. 3 ('no early successes', contrasted with random search)",
    params=(Param("n", "int", low=2, high=4096, default=12),
            Param("k", "int", low=1, high=64, default=3),
            Param("width", "int", low=1, high=100_000, default=100),
            Param("batch", "int", low=1, high=65536, default=32),
            Param("lr", "real", low=0, high=100, default="1", exact=False),
            Param("seeds", "int", low=1, high=100_000, default=48, doc=">= 44 needed to beat 0.067 at alpha 0.05"),
            Param("max_steps", "int", low=1, high=10**9, default=50_000)),
    value=lambda **_: RANDOM_SEARCH_EARLY,
    routes=(Route("sgd-runs", _early_run,
                  Rule.predicate("one-sided 95% Clopper-Pearson upper bound of the early fraction < 1 - 2^{-1/10}",
                                 alpha=0.05), takes_value=True),),
    examples=({},),
    constraints=(lambda p: None if p["k"] <= p["n"] else f"k must be <= n={p['n']}, got {p['k']}",),
    status="experiment",
    tags=("sgd", "parity", "experiment"),
))


# ---------------------------------------------------------------- hidden progress vs random labels

def _hidden_run(p: Mapping[str, Any], *, seed: int = 0, **_: Any) -> Evidence:
    ts = p["step"]
    cfg = replace(_cfg(p, stop_on_converge=False, record_every=ts), max_steps=ts)
    tgt = Target.parity(p["n"], p["k"])
    true_rho, rand_rho, flat = [], [], []
    for s in range(p["true_runs"]):
        h = train(tgt, cfg, seed + s).history
        true_rho.append(float(h["rho"][-1]))
        flat.append(bool(h["loss"][-1] >= 0.95 * h["loss"][0]))
    rcfg = replace(cfg, random_labels=True)
    for s in range(p["random_runs"]):
        rand_rho.append(float(train(tgt, rcfg, seed + 10_000 + s).history["rho"][-1]))
    sep = min(true_rho) > max(rand_rho)
    pval = 1.0 / math.comb(p["true_runs"] + p["random_runs"], p["true_runs"])
    return Evidence({"min_true": min(true_rho), "max_random": max(rand_rho)}, n_samples=p["true_runs"] + p["random_runs"],
                    passed=bool(sep and all(flat)),
                    note=f"rho at step {ts}: true {[round(v, 4) for v in true_rho]}, random {[round(v, 4) for v in rand_rho]}; "
                         f"loss still >= 0.95 x initial for every true run: {all(flat)}; "
                         f"null probability of full separation 1/C({p['true_runs'] + p['random_runs']},{p['true_runs']}) = {pval:.2g}")


HIDDEN = register(Claim(
    id="sgd.hidden_progress",
    statement=r"during the loss plateau, $\|W_t - W_0\|_\infty$ on the true parity labels exceeds its value on random "
              r"labels (where it behaves like the max of unbiased walks)",
    source=_SOURCE + ", Sec. 3 (hidden progress measure) and the random-label comparison",
    params=(Param("n", "int", low=2, high=4096, default=20),
            Param("k", "int", low=1, high=64, default=3),
            Param("width", "int", low=1, high=100_000, default=100),
            Param("batch", "int", low=1, high=65536, default=256, doc="large B lowers the noise walk"),
            Param("lr", "real", low=0, high=100, default="0.1", exact=False),
            Param("step", "int", low=1, high=10**8, default=250, doc="pre-registered comparison step"),
            Param("true_runs", "int", low=1, high=1000, default=4),
            Param("random_runs", "int", low=1, high=1000, default=8),
            Param("max_steps", "int", low=1, high=10**9, default=10**6, doc="unused (runs stop at `step`)")),
    value=lambda **_: "min over true-label runs > max over random-label runs, loss not yet moved",
    routes=(Route("sgd-runs", _hidden_run,
                  Rule.predicate("every true-label rho > every random-label rho at the pre-registered step, with each "
                                 "true run's loss still >= 0.95 x its initial loss (null probability 1/C(s+m,s))")),),
    examples=({},),
    constraints=(lambda p: None if p["k"] <= p["n"] else f"k must be <= n={p['n']}, got {p['k']}",),
    status="experiment",
    tags=("sgd", "hidden-progress", "experiment"),
))

CLAIMS = (CONVERGES, SCALING, NO_EARLY, HIDDEN)
