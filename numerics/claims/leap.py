"""Claims on leap dynamics: saddle-to-saddle order, history, curricula, staircase-vs-parity scaling.

Abbe, Boix-Adsera, Misiakiewicz 2023; theory reference section 6, LEAP-DYNAMICS.

Experiment claims (``leap.saddle_order``, ``leap.history``, ``leap.curriculum_advantage``,
``leap.scaling``) train two-layer ReLU networks by online SGD by default, at a reduced size
(:mod:`featurecheck.numerics.experiments.leap_dynamics`, ``DEFAULT_CONFIG``: width 100, batch 32,
square loss, lr 0.05); ``size=full`` runs larger ``n``. ``leap.bayes_history_free`` is exact.

Statistical model (module :mod:`featurecheck.numerics.estimators.seeds`)
------------------------------------------------------------------------
Seeds are i.i.d. trials: a claim at ``--seed S`` with ``m`` seeds trains seeds ``S, ..., S + m - 1``,
each run a pure function of its seed (initial weights, batches, measurement batch). Every claim
decides at two-sided level ``alpha = 1e-3`` (:data:`ALPHA`):

- ``leap.saddle_order``: per seed, the event "every monomial is learned within the cap and the
  learning order is a time-greedy, leap-optimal order"; Clopper–Pearson test of ``P(event) >= p0``
  (``p0 = 1/2``: the typical seed), pass iff the interval's lower end is ``>= p0``, fail iff its upper
  end is ``< p0``. With ``m = 16`` a pass needs ``>= 15`` events, a fail ``<= 1``.
- ``leap.history``: per seed (paired: same initial weights, same final-phase batches), the event
  "the final parity is learned in fewer steps after the staircase pre-training than after the decoy
  pre-training"; the same Clopper–Pearson test against ``p0 = 1/2``.
- ``leap.curriculum_advantage`` and ``leap.scaling``: the percentile seed-bootstrap interval (level
  ``1 - alpha``) of a difference of fitted log-log slopes of medians
  (:func:`~featurecheck.numerics.experiments.leap_dynamics.fit_difference`), against a stated lower
  bound ``e_min``: pass iff the interval lies above it, fail iff wholly below, else inconclusive.
  The bootstrap is approximate (its level is not exact).

False alarms: each claim fails a true statement with probability at most ``alpha / 2 = 5e-4`` (the
bootstrap claims only approximately); over the 4 default experiment examples, at most ``2e-3`` per
``verify`` run (union bound). The exact claim has no statistical error.

Calibration: every threshold was calibrated at the default size over at least 100 seeds by
``tests/calibration/test_calibrate_leap.py``; its committed summary ``tests/calibration/leap.json``
holds the per-seed outcomes and the verdict at every ``--seed S``, ``S = 0..99``. The thresholds
``e_min`` are below the conjecture's exponents (Conjecture 1 predicts a curriculum advantage
``n^{k-2}`` and a parity-minus-staircase gap ``k - 2``, i.e. 1 for ``k = 3``) because fixed-``n``
fits at small ``n`` sit below them; they are stated as measured properties of the named learner.

Negative controls (``tests/claims/test_experiment_controls_leap.py``): random labels
(``saddle_order``), swapped pre-training arms (``history``), the decoy chain in place of the
curriculum (``curriculum_advantage``) and swapped targets (``scaling``) each give ``fail``.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping
from fractions import Fraction
from functools import lru_cache
from typing import Any

from featurecheck.numerics.claims._experiment import ALPHA, claim_alpha, int_list
from featurecheck.numerics.estimators.seeds import interval_test, success_test
from featurecheck.theory.claims import Claim, Evidence, Param, Route, Rule, register

__all__ = ["CLAIMS", "ALPHA", "saddle_outcome", "history_outcome", "staircase_t_c"]

_SOURCE = ("Abbe, Boix-Adsera, Misiakiewicz (2023), 'SGD learning on neural networks: leap complexity and "
           "saddle-to-saddle dynamics', COLT 2023, arXiv 2302.11055")
_CALIBRATION = "calibration: tests/calibration/leap.json (tests/calibration/test_calibrate_leap.py, >= 100 seeds)"
_SADDLE_TARGET = "x0 + x0*x1 + x0*x1*x2 + x3*x4*x5"




# ---------------------------------------------------------------- memoised runs (pure functions of their inputs)

@lru_cache(maxsize=1 << 14)
def saddle_outcome(target: str, n: int, steps: int, every: int, random_labels: bool, seed: int) -> dict[str, Any]:
    """Return the detected order of one tracked run.

    The order is the one :func:`~featurecheck.numerics.experiments.leap_dynamics.detect_order` detects.
    """
    from featurecheck.numerics.experiments import leap_dynamics as LD

    tr = LD.track(LD.parse_target(target, n), LD.DEFAULT_CONFIG, seed, steps=steps, every=every,
                  measure=2048, random_labels=random_labels)
    return LD.detect_order(LD.learning_times(tr))


@lru_cache(maxsize=1 << 16)
def history_outcome(n: int, k: int, arm: str, seed: int) -> dict[str, Any]:
    """``pre``, ``final``, ``total`` steps of one history run (arm ``scratch | curriculum | decoy``)."""
    from featurecheck.numerics.experiments.leap_dynamics import history_task

    return history_task({"n": n, "k": k, "arm": arm}, seed)


@lru_cache(maxsize=1 << 16)
def staircase_t_c(n: int, k: int, seed: int) -> int | None:
    """``t_c`` of the ``k``-staircase at ``n`` (the parity's is ``history_outcome(n, k, "scratch", seed)``)."""
    from featurecheck.numerics.experiments.leap_dynamics import DEFAULT_CONFIG
    from featurecheck.numerics.experiments.sgd import Target, train

    return train(Target.staircase(n, k), DEFAULT_CONFIG, seed).t_c


# ---------------------------------------------------------------- saddle-to-saddle order

def _saddle_check(p: Mapping[str, Any]) -> str | None:
    from featurecheck.numerics.experiments.leap_dynamics import parse_target

    try:
        t = parse_target(p["target"], p["n"])
    except ValueError as exc:
        return str(exc)
    if len(t.terms) > 8:
        return f"target must have at most 8 monomials, got {len(t.terms)}"
    return None


def _saddle_run(p: Mapping[str, Any], *, seed: int = 0, alpha: float | None = None, **_: Any) -> Evidence:
    from featurecheck.numerics.experiments.leap_dynamics import parse_target
    from featurecheck.theory.leap import leap

    a = claim_alpha(alpha)
    m = p["seeds"]
    rl = p["control"] == "random-labels"
    outs = [saddle_outcome(p["target"], p["n"], p["steps"], p["every"], rl, s) for s in range(seed, seed + m)]
    hits = sum(o["leap_order"] for o in outs)
    verdict, (lo, hi) = success_test(hits, m, float(p["p0"]), a)
    tg = parse_target(p["target"], p["n"])
    lp = leap([S for _, S in tg.terms])
    plateaus = [o["plateaus"] for o in outs if o["all_learned"]]
    med_plateau = [float(sorted(col)[len(col) // 2]) for col in zip(*plateaus, strict=False)] if plateaus else []
    return Evidence(hits / m, interval=(lo, hi), n_samples=m, passed=verdict,
                    note=f"target {p['target']} (n={p['n']}, leap {lp.leap}, leap-optimal order {lp.order_strings()}): "
                         f"{hits}/{m} seeds ({seed}..{seed + m - 1}) learn every monomial (rho_S >= 1/2, recorded every "
                         f"{p['every']} steps, cap {p['steps']}) in a time-greedy leap-optimal order; "
                         f"{sum(o['degree_greedy'] for o in outs)}/{m} in a new-degree-greedy order; seed {seed}: order "
                         f"{outs[0]['order']} at steps {outs[0]['times']}; median plateau lengths {med_plateau}; "
                         f"Clopper-Pearson {1 - a:g} interval [{lo:.4f}, {hi:.4f}] vs p0 = {float(p['p0']):g}")


SADDLE = register(Claim(
    id="leap.saddle_order",
    statement=r"online SGD on a sum of monomials picks them up saddle to saddle in a greedy order of the conjectured "
              r"step times $d^{\max(c-1,1)}$ ($c$ = new degree) that is leap-optimal (theory/leap.py), for a seed "
              r"with probability at least $p_0$",
    source=_SOURCE + ", Sec. 1.1 (saddle-to-saddle dynamics), Def. 1 (leap), Conjecture 1 (step times)",
    params=(Param("target", "str", default=_SADDLE_TARGET, doc="sum of monomials in x0, x1, ... (<= 8 monomials)"),
            Param("n", "int", low=2, high=4096, default=20, doc="input dimension"),
            Param("seeds", "int", low=1, high=10_000, default=16, doc="runs (seeds seed..seed+seeds-1)"),
            Param("steps", "int", low=1, high=10**8, default=20_000, doc="step cap per run"),
            Param("every", "int", low=1, high=10**6, default=50, doc="recording period (steps)"),
            Param("p0", "real", low=0, high=1, default="1/2", exact=False, doc="claimed probability"),
            Param("control", "choice", choices=("none", "random-labels"), default="none",
                  doc="negative control: train on labels independent of x (nothing is learned: must fail)")),
    value=lambda **p: float(p["p0"]),
    routes=(Route("sgd-runs", _saddle_run,
                  Rule.predicate("Clopper-Pearson interval of P(time-greedy leap-optimal order) >= p0 (pass) / < p0 "
                                 "(fail)", alpha=ALPHA), applies_doc="always (tracks `seeds` networks)"),),
    examples=({},),
    constraints=(_saddle_check,
                 lambda p: None if p["every"] <= p["steps"] else f"every must be <= steps={p['steps']}, got {p['every']}"),
    status="experiment",
    tags=("sgd", "leap", "saddle-to-saddle", "experiment"),
    notes="Default: x0 + x0x1 + x0x1x2 + x3x4x5 (leap 3) at n = 20; the leap-3 monomial must come last, after a "
          "plateau. Leap-1 and leap-2 steps tie in time (both ~d under Conjecture 1), so a leap-2 monomial may "
          "precede a leap-1 one: that is why the order is greedy in time exponents, not in new degrees. " + _CALIBRATION,
))


# ---------------------------------------------------------------- history

def _history_run(p: Mapping[str, Any], *, seed: int = 0, alpha: float | None = None, **_: Any) -> Evidence:
    from featurecheck.numerics.experiments.leap_dynamics import bayes_survivors

    a = claim_alpha(alpha)
    m, n, k = p["seeds"], p["n"], p["k"]
    first, second = ("decoy", "curriculum") if p["control"] == "swap" else ("curriculum", "decoy")
    A = [history_outcome(n, k, first, s)["final"] for s in range(seed, seed + m)]
    B = [history_outcome(n, k, second, s)["final"] for s in range(seed, seed + m)]
    S = [history_outcome(n, k, "scratch", s)["final"] for s in range(seed, seed + m)]
    inf = math.inf
    wins = sum((x if x is not None else inf) < (y if y is not None else inf) for x, y in zip(A, B, strict=True))
    verdict, (lo, hi) = success_test(wins, m, float(p["p0"]), a)

    def med(v: list[int | None]) -> float:
        return float(sorted(inf if t is None else t for t in v)[len(v) // 2])

    return Evidence(wins / m, interval=(lo, hi), n_samples=m, passed=verdict,
                    note=f"final target x0..x{k - 1} at n={n}, seeds {seed}..{seed + m - 1} (same init and final batches "
                         f"in every arm): final-phase steps after the {first} pre-training < after the {second} one in "
                         f"{wins}/{m} seeds; medians {first} {med(A):g}, {second} {med(B):g}, scratch {med(S):g}; "
                         f"Clopper-Pearson {1 - a:g} interval [{lo:.4f}, {hi:.4f}] vs p0 = {float(p['p0']):g}. "
                         f"Bayes contrast (exact): E[# wrong supports surviving m samples] = (C({n},{k}) - 1) 2^-m "
                         f"(= {bayes_survivors(n, k, 20)} at m = 20) whatever the order and the pre-training data")


HISTORY = register(Claim(
    id="leap.history",
    statement=r"the online-SGD steps to learn a $k$-parity depend on the history: after pre-training on the leap-1 "
              r"chain $x_0 \to x_0x_1 \to \dots$ ending at the parity, the parity is learned in fewer steps than after "
              r"the same chain on other coordinates, for a seed with probability at least $p_0$ (the Bayes posterior has no "
              r"such history dependence)",
    source=_SOURCE + ", Sec. 1.1 and Conjecture 1; Abbe, Cornacchia, Lotfi (2023), arXiv 2306.16921 (curricula on parities)",
    params=(Param("n", "int", low=4, high=4096, default=20),
            Param("k", "int", low=2, high=8, default=3, doc="parity size (final target x0..x_{k-1})"),
            Param("seeds", "int", low=1, high=10_000, default=16),
            Param("p0", "real", low=0, high=1, default="1/2", exact=False),
            Param("control", "choice", choices=("none", "swap"), default="none",
                  doc="negative control: the claim with the two pre-training arms swapped (must fail)")),
    value=lambda **p: float(p["p0"]),
    routes=(Route("sgd-runs", _history_run,
                  Rule.predicate("Clopper-Pearson interval of P(staircase history faster than decoy history) >= p0 "
                                 "(pass) / < p0 (fail)", alpha=ALPHA)),),
    examples=({},),
    constraints=(lambda p: None if 2 * p["k"] - 1 <= p["n"] else f"n must be >= 2k - 1 = {2 * p['k'] - 1} (decoy chain), "
                 f"got n={p['n']}",),
    status="experiment",
    tags=("sgd", "leap", "curriculum", "history", "experiment"),
    notes=_CALIBRATION,
))


# ---------------------------------------------------------------- curriculum advantage and scaling

def _ns(p: Mapping[str, Any]) -> list[int]:
    return [20, 40, 80] if p["size"] == "full" else int_list(p["ns"])


def _ns_check(p: Mapping[str, Any]) -> str | None:
    ns = _ns(p)
    if len(set(ns)) < 2:
        return f"ns must hold two or more distinct values, got {p['ns']}"
    if min(ns) < 2 * p["k"] - 1:
        return f"ns must be >= 2k - 1 = {2 * p['k'] - 1}, got {min(ns)}"
    return None


def _advantage_run(p: Mapping[str, Any], *, value: Any, seed: int = 0, alpha: float | None = None, **_: Any) -> Evidence:
    from featurecheck.numerics.experiments.leap_dynamics import fit_difference

    a = claim_alpha(alpha)
    ns, k, m = _ns(p), p["k"], p["seeds"]
    arm = "decoy" if p["control"] == "decoy" else "curriculum"
    scratch = [[history_outcome(n, k, "scratch", s)["final"] for s in range(seed, seed + m)] for n in ns]
    curr = [[history_outcome(n, k, arm, s)["total"] for s in range(seed, seed + m)] for n in ns]
    fit = fit_difference(ns, scratch, curr, alpha=a, n_boot=p["n_boot"], seed=seed)
    lo, hi = fit["difference_ci"]
    e_min = float(value)
    verdict = None if lo is None else interval_test((lo, hi), lower=e_min)
    conj = max(k - 1, 1) - 1
    return Evidence(fit["difference"], interval=None if lo is None else (lo, hi), n_samples=2 * m * len(ns),
                    passed=verdict,
                    note=f"k={k}, n={ns}, seeds {seed}..{seed + m - 1}: median steps scratch {fit['medians_a']} "
                         f"(exponent {_r(fit['slope_a'])}, CI {_ri(fit['slope_a_ci'])}), {arm} total {fit['medians_b']} "
                         f"(exponent {_r(fit['slope_b'])}, CI {_ri(fit['slope_b_ci'])}); advantage exponent "
                         f"{_r(fit['difference'])}, {1 - a:g} paired seed-bootstrap interval {_ri(fit['difference_ci'])} vs "
                         f"e_min = {e_min:g} (Conjecture 1: {conj})")


def _r(v: float | None) -> str:
    return "undefined" if v is None else f"{v:.3f}"


def _ri(ci: Any) -> str:
    return "undefined" if ci[0] is None else f"[{ci[0]:.3f}, {ci[1]:.3f}]"


ADVANTAGE = register(Claim(
    id="leap.curriculum_advantage",
    statement=r"the curriculum's advantage (median steps of the $k$-parity from scratch over the median total steps of "
              r"the leap-1 chain curriculum) grows with $n$: its fitted log-log exponent is at least $e_{\min}$",
    source=_SOURCE + ", Conjecture 1 (scratch ~ d^{k-1}, each leap-1 phase ~ d: advantage ~ d^{k-2}); Abbe, "
                     "Cornacchia, Lotfi (2023), arXiv 2306.16921",
    params=(Param("k", "int", low=2, high=8, default=3),
            Param("ns", "str", default="10,20,30", doc="comma-separated n (reduced size)"),
            Param("seeds", "int", low=2, high=10_000, default=24),
            Param("e_min", "real", low=-10, high=10, default="0.5", exact=False, doc="stated lower bound of the exponent"),
            Param("n_boot", "int", low=100, high=10**6, default=4000, doc="bootstrap resamples"),
            Param("size", "choice", choices=("reduced", "full"), default="reduced", doc="full: n = 20, 40, 80"),
            Param("control", "choice", choices=("none", "decoy"), default="none",
                  doc="negative control: the decoy chain (other coordinates) in place of the curriculum (must fail)")),
    value=lambda **p: float(p["e_min"]),
    routes=(Route("sgd-sweep", _advantage_run,
                  Rule.predicate("paired seed-bootstrap interval of the advantage exponent >= e_min (pass); wholly below "
                                 "(fail)", alpha=ALPHA), takes_value=True),),
    examples=({},),
    constraints=(_ns_check,),
    status="experiment",
    tags=("sgd", "leap", "curriculum", "scaling", "experiment"),
    notes=_CALIBRATION,
))


def _scaling_run(p: Mapping[str, Any], *, value: Any, seed: int = 0, alpha: float | None = None, **_: Any) -> Evidence:
    from featurecheck.numerics.experiments.leap_dynamics import fit_difference
    from featurecheck.numerics.experiments.staircase import leaps

    a = claim_alpha(alpha)
    ns, k, m = _ns(p), p["k"], p["seeds"]
    par = [[history_outcome(n, k, "scratch", s)["final"] for s in range(seed, seed + m)] for n in ns]
    st = [[staircase_t_c(n, k, s) for s in range(seed, seed + m)] for n in ns]
    first, second = (st, par) if p["control"] == "swap" else (par, st)
    fit = fit_difference(ns, first, second, alpha=a, n_boot=p["n_boot"], seed=seed)
    lo, hi = fit["difference_ci"]
    e_min = float(value)
    verdict = None if lo is None else interval_test((lo, hi), lower=e_min)
    lp, conj = leaps(k)
    sa, sb = ("staircase", "parity") if p["control"] == "swap" else ("parity", "staircase")
    return Evidence({"parity_exponent": fit["slope_a" if sa == "parity" else "slope_b"],
                     "staircase_exponent": fit["slope_b" if sa == "parity" else "slope_a"],
                     "difference": fit["difference"]},
                    interval=None if lo is None else (lo, hi), n_samples=2 * m * len(ns), passed=verdict,
                    note=f"k={k}, n={ns}, seeds {seed}..{seed + m - 1}: median t_c {sa} {fit['medians_a']} (exponent "
                         f"{_r(fit['slope_a'])}, CI {_ri(fit['slope_a_ci'])}), {sb} {fit['medians_b']} (exponent "
                         f"{_r(fit['slope_b'])}, CI {_ri(fit['slope_b_ci'])}); {sa} minus {sb} exponent "
                         f"{_r(fit['difference'])}, {1 - a:g} paired seed-bootstrap interval {_ri(fit['difference_ci'])} "
                         f"vs e_min = {e_min:g}; leaps {lp}, Conjecture 1 exponents {conj}")


SCALING = register(Claim(
    id="leap.scaling",
    statement=r"the fitted exponent of $t_c \sim n^e$ of the isolated $k$-parity (leap $k$) exceeds that of the "
              r"$k$-staircase (leap 1) by at least $e_{\min}$",
    source=_SOURCE + ", Conjecture 1 (d^{max(L-1,1)}: staircase 1, k-parity k-1)",
    params=(Param("k", "int", low=2, high=8, default=3),
            Param("ns", "str", default="10,20,30", doc="comma-separated n (reduced size)"),
            Param("seeds", "int", low=2, high=10_000, default=24),
            Param("e_min", "real", low=-10, high=10, default="0.3", exact=False,
                  doc="stated lower bound of the exponent difference"),
            Param("n_boot", "int", low=100, high=10**6, default=4000),
            Param("size", "choice", choices=("reduced", "full"), default="reduced", doc="full: n = 20, 40, 80"),
            Param("control", "choice", choices=("none", "swap"), default="none",
                  doc="negative control: the claim with the targets swapped (staircase steeper; must fail)")),
    value=lambda **p: float(p["e_min"]),
    routes=(Route("sgd-sweep", _scaling_run,
                  Rule.predicate("paired seed-bootstrap interval of the exponent difference >= e_min (pass); wholly "
                                 "below (fail)", alpha=ALPHA), takes_value=True),),
    examples=({},),
    constraints=(_ns_check,),
    status="experiment",
    tags=("sgd", "leap", "staircase", "scaling", "experiment"),
    notes="The parity runs are the scratch arm of leap.history (the same trainer runs). " + _CALIBRATION,
))


# ---------------------------------------------------------------- Bayes: no history (exact)

def _bayes_value(n: int, k: int, m: int, **_: Any) -> Fraction:
    from math import comb

    return Fraction(comb(n, k) - 1, 2**m)


def _bayes_enum(p: Mapping[str, Any], **_: Any) -> Evidence:
    """Count the wrong supports consistent with the data, averaged over every sample sequence and true support.

    Sample sequences are all x in {-1,1}^n, m samples. The data are processed in reverse order after a
    pre-training batch labelled by another target (which a Bayes learner of the final support ignores).
    """
    from featurecheck.numerics.experiments.leap_dynamics import bayes_posterior

    n, k, m = p["n"], p["k"], p["m"]
    cube = list(itertools.product((1, -1), repeat=n))
    supports = list(itertools.combinations(range(n), k))
    total = Fraction(0)
    count = 0
    for S in supports:
        for xs in itertools.product(cube, repeat=m):
            data = [(x, math.prod(x[i] for i in S)) for x in xs]
            fwd = bayes_posterior(data, n, k)
            rev = bayes_posterior(data[::-1], n, k)
            if fwd != rev:
                return Evidence(None, note=f"posterior depends on the order at S={S}, data={data}")
            total += sum(1 for T, w in fwd.items() if w and T != S)
            count += 1
    return Evidence(total / count, note=f"exact average over the {len(supports)} supports and all {len(cube)}^{m} sample "
                                        f"sequences; posteriors identical in forward and reverse order")


BAYES = register(Claim(
    id="leap.bayes_history_free",
    statement=r"for the uniform prior over $k$-parities and $m$ noiseless uniform samples, "
              r"$E[\#\text{wrong supports in the posterior}] = (\binom{n}{k} - 1) 2^{-m}$, and the posterior does not depend "
              r"on the order of the samples (no history, unlike SGD)",
    source="featurecheck theory reference section 6 (BAYES-VS-SGD, LEAP-DYNAMICS: the Bayes posterior is a product of "
           "per-sample likelihoods)",
    params=(Param("n", "int", low=1, high=6, default=4),
            Param("k", "int", low=0, high=6, default=2),
            Param("m", "int", low=0, high=4, default=1, doc="samples")),
    value=_bayes_value,
    routes=(Route("enumeration", _bayes_enum, Rule.exact(),
                  applies=lambda p: (2 ** p["n"]) ** p["m"] * math.comb(p["n"], p["k"]) <= 200_000,
                  applies_doc="C(n,k) 2^{nm} <= 200000"),),
    examples=({}, {"n": 3, "k": 1, "m": 2}),
    constraints=(lambda p: None if p["k"] <= p["n"] else f"k must be <= n={p['n']}, got {p['k']}",),
    status="derived",
    tags=("bayes", "leap", "history"),
))

CLAIMS = (SADDLE, HISTORY, ADVANTAGE, SCALING, BAYES)
