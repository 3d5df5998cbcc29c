"""Experiment claim on the spiked-covariance thresholds (Ba, Erdogdu, Suzuki, Wang, Wu 2023).

Model and learners: :mod:`featurecheck.numerics.experiments.spiked` (``x ~ N(0, I + d^beta mu mu^T)``,
``y = sigma*(<x, mu>/sqrt(1 + d^beta))``, ``n = psi d``; arc-cosine kernel ridge against the one-step
network). Theory: kernel ridge learns iff ``beta >= 1 - 1/p`` (``p`` the degree of ``sigma*``), the
network when ``beta > 1 - 1/k*`` (``k*`` the information exponent), so for ``k* < p`` the network
learns at smaller ``beta`` than the kernel, by ``1/k* - 1/p``. The claim trains both learners by
default at a reduced size (``d = 48``, about 10 s of CPU; ``size=medium``: ``d = 64``, also calibrated;
``size=full``: ``d = 256``, the planning size, many minutes, not calibrated).

Crossover estimator
-------------------
Per seed and learner: the relative test errors on the grid ``beta = 0, 0.1, ..., 1``
(:data:`BETAS`), and the first level crossing of ``level`` (default 0.25), linearly interpolated
between grid points; ``0`` when the error is already ``<= level`` at ``beta = 0``; ``+inf`` if never
(:func:`featurecheck.numerics.experiments.spiked.crossover`). ``C_K`` is the kernel's crossover,
``C_N`` the network's, ``G = C_K - C_N`` the gap (``0`` if neither reaches the level).

Statistical model (module :mod:`featurecheck.numerics.estimators.seeds`)
------------------------------------------------------------------------
Seeds are i.i.d. trials: at ``--seed S`` the claim trains seeds ``S, ..., S + m - 1`` (``m = seeds``,
default 24), and seed ``s`` fixes the spike direction, every sample, the initial weights and the
biases (streams ``SPIKED_*`` keyed by ``s``), so ``(C_K, C_N)`` are i.i.d. over seeds. The claim makes
two tests, each with the distribution-free order-statistic interval of a median at level
``1 - ALPHA/2`` (Bonferroni; ``ALPHA = 1e-3``):

1. ordering: ``median(G) >= (1/k* - 1/p) - tol`` (pass if the interval's lower end is ``>=`` the bound,
   fail if its upper end is below it);
2. anchoring: ``|median(C_K) - (1 - 1/p)| <= tol`` (pass if the interval lies in the band, fail if
   wholly outside).

The claim passes iff both pass, fails iff either fails (``all_of``). ``tol`` is the finite-``d``
tolerance on crossover positions, and it must be below ``1/k* - 1/p`` so that test 1 states a
strictly positive gap: the network learns first.

False alarms: a test of a true statement fails only if its interval misses the true median on one
side, probability ``<= ALPHA/4``; the claim fails a true statement with probability ``<= ALPHA/2 =
5e-4`` per run, and passes a false one with probability ``<= 5e-4`` likewise. The one default example
false-alarms with probability ``<= 5e-4`` per ``verify``. With 24 seeds the intervals are
``[X_(4), X_(21)]`` (``median_rank(24, 5e-4) = 4``); 12 seeds is the least for which a pass is possible.

Calibration: ``tests/calibration/test_calibrate_spiked.py``, summary ``tests/calibration/spiked.json``
(per-seed crossovers of seeds 0..122, quantiles, and the verdict at every ``--seed S``, ``S = 0..99``,
at the default size and under each negative control); numbers in the claim's notes.

Negative controls (``tests/claims/test_experiment_controls_spiked.py``), each a false statement that
must ``fail``: ``kernel-as-network`` (kernel ridge in the network's place: ``G = 0`` on every seed,
below the stated gap) and ``swapped-thresholds`` (the claim states ``1 - 1/p`` for the network and
``1 - 1/k*`` for the kernel: the kernel's crossover lies far outside its stated band). A link with
``k* = p`` is no negative control at these sizes: the theory predicts no gap there, but at ``d = 48``
the network still crosses first (median gap 0.32 at level 0.25 over seeds 0..122; the thresholds are
asymptotic); the calibration records it. The claim holds for ``k* = 2, p = 3`` as well (calibrated
at ``d = 48``, ``--param kstar=2``).

References
----------
J. Ba, M. A. Erdogdu, T. Suzuki, Z. Wang, D. Wu (2023), "Learning in the presence of low-dimensional
structure: a spiked random matrix perspective", NeurIPS 2023 (thresholds: ``single-index.ba_kernel``
and ``single-index.ba_network`` in :mod:`featurecheck.theory.bounds.catalogue`).
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from featurecheck.numerics.claims._experiment import ALPHA, claim_alpha
from featurecheck.theory.claims import Claim, Evidence, Param, Route, Rule, register

__all__ = ["CLAIMS", "ALPHA", "BETAS", "SIZES", "SEEDS", "stated_thresholds", "crossovers"]

#: Seeds per run by default (interval ranks 4 and 21 at level 1 - ALPHA/2).
SEEDS = 24
#: The beta grid of the crossover estimator.
BETAS = tuple(round(0.1 * i, 1) for i in range(11))
#: ``size`` presets: (d, psi = n/d, network width, test sample size).
SIZES = {"reduced": (48, 8, 256, 1000), "medium": (64, 8, 256, 1000), "full": (256, 8, 256, 2000)}
_CALIBRATION = "tests/calibration/spiked.json (tests/calibration/test_calibrate_spiked.py, seeds 0..122)"
_SOURCE = ("Ba, Erdogdu, Suzuki, Wang, Wu (2023), 'Learning in the presence of low-dimensional structure: a spiked "
           "random matrix perspective', NeurIPS 2023: kernel ridge learns iff beta >= 1 - 1/p, the trained two-layer "
           "network when beta > 1 - 1/k*")
CONTROLS = ("none", "kernel-as-network", "swapped-thresholds")


def stated_thresholds(kstar: int, p: int, control: str = "none") -> dict[str, Fraction]:
    """Return the stated thresholds: ``{"network": 1 - 1/k*, "kernel": 1 - 1/p}`` (swapped under that control).

    Examples
    --------
    >>> stated_thresholds(1, 3)
    {'network': Fraction(0, 1), 'kernel': Fraction(2, 3)}
    >>> stated_thresholds(1, 3, "swapped-thresholds")
    {'network': Fraction(2, 3), 'kernel': Fraction(0, 1)}
    """
    net, ker = 1 - Fraction(1, kstar), 1 - Fraction(1, p)
    if control == "swapped-thresholds":
        net, ker = ker, net
    return {"network": net, "kernel": ker}


def crossovers(p: Mapping[str, Any], seed: int) -> tuple[list[float], list[float]]:
    """Per-seed crossovers ``(C_K, C_N)`` of seeds ``seed..seed+seeds-1`` under the bound parameters ``p``.

    Under the control ``kernel-as-network`` kernel ridge stands in the network's place.
    """
    from featurecheck.numerics.experiments import spiked as Sp

    d, psi, width, n_test = SIZES[p["size"]]
    kstar = p["kstar"]
    net = "kernel" if p["control"] == "kernel-as-network" else "network"
    level = float(p["level"])
    ks, ns = [], []
    for s in range(seed, seed + p["seeds"]):
        ks.append(Sp.seed_crossover("kernel", d, kstar, p["p"], s, BETAS, level, psi, width, n_test)[0])
        ns.append(Sp.seed_crossover(net, d, kstar, p["p"], s, BETAS, level, psi, width, n_test)[0])
    return ks, ns


def _fmt(ci: tuple[float, float]) -> str:
    return f"[{ci[0]:.3f}, {ci[1]:.3f}]"


def _order_run(p: Mapping[str, Any], *, value: Any, seed: int = 0, alpha: float | None = None, **_: Any) -> Evidence:
    from featurecheck.numerics.estimators.seeds import all_of, interval_test, median_interval
    from featurecheck.numerics.experiments import spiked as Sp

    a = claim_alpha(alpha)
    tol = float(p["tol"])
    th_n, th_k = float(value["network"]), float(value["kernel"])
    bound = (th_k - th_n) - tol
    ks, ns = crossovers(p, seed)
    gaps = [Sp.gap(k, n) for k, n in zip(ks, ns, strict=True)]
    g_med, g_ci = median_interval(gaps, a / 2)
    k_med, k_ci = median_interval(ks, a / 2)
    n_med, n_ci = median_interval(ns, a / 2)
    t_order = interval_test(g_ci, lower=bound)
    t_anchor = interval_test(k_ci, th_k - tol, th_k + tol)
    word = {True: "pass", False: "fail", None: "inconclusive"}
    d = SIZES[p["size"]][0]
    return Evidence(
        g_med, interval=g_ci, n_samples=p["seeds"], passed=all_of([t_order, t_anchor]),
        note=f"d = {d}, k* = {p['kstar']}, p = {p['p']}, level {float(p['level']):g}, seeds {seed}..{seed + p['seeds'] - 1}: "
             f"crossover medians kernel {k_med:.3f} {_fmt(k_ci)} (stated 1 - 1/p = {th_k:.3f}), network {n_med:.3f} "
             f"{_fmt(n_ci)} (stated 1 - 1/k* = {th_n:.3f}); gap {g_med:.3f} {_fmt(g_ci)} >= {bound:.3f} "
             f"({word[t_order]}); kernel within {tol:g} of {th_k:.3f} ({word[t_anchor]}); order-statistic intervals at "
             f"1 - {a / 2:g} each" + ("" if p["control"] == "none" else f"; negative control {p['control']}: the claim is false"))


def _constraint(p: Mapping[str, Any]) -> str | None:
    if p["kstar"] > p["p"]:
        return f"kstar must be <= p = {p['p']}, got {p['kstar']}"
    gap = Fraction(1, p["kstar"]) - Fraction(1, p["p"])
    if not float(p["tol"]) < gap:
        return (f"tol must be < 1/k* - 1/p = {gap} (the predicted gap; else no ordering is claimed), "
                f"got tol={p['tol']} with k*={p['kstar']}, p={p['p']}")
    return None


ORDER = register(Claim(
    id="spiked.crossover_order",
    statement=r"In the spiked model $x \sim N(0, I + d^\beta \mu\mu^T)$, $y = \sigma^*(\langle x,\mu\rangle/\sqrt{1+d^\beta})$, "
              r"$n = 8d$, the one-step network's error crosses the level at smaller $\beta$ than kernel ridge's: the "
              r"median gap of the crossovers is at least $(1/k^* - 1/p) - \mathrm{tol}$, and the kernel's median "
              r"crossover is within tol of $1 - 1/p$",
    source=_SOURCE + "; thresholds as single-index.ba_kernel and single-index.ba_network of the bound catalogue",
    params=(Param("size", "choice", choices=tuple(SIZES), default="reduced",
                  doc="reduced: d = 48 (default), medium: d = 64 (both n = 8d, width 256, 1000 test points, "
                      "calibrated); full: d = 256, 2000 test points (the planning size, minutes; not calibrated)"),
            Param("kstar", "int", low=1, high=8, default=1, doc="information exponent k* of the link (h_k* + h_p)/sqrt 2"),
            Param("p", "int", low=1, high=8, default=3, doc="degree p of the link; p >= k*"),
            Param("level", "real", low=0, high=1, default="0.25", exact=False,
                  doc="relative test error that defines a crossover (calibrated at 0.25)"),
            Param("tol", "real", low=0, high=1, default="0.15", exact=False,
                  doc="finite-d tolerance on crossover positions (calibrated); < 1/k* - 1/p"),
            Param("seeds", "int", low=12, high=200, default=SEEDS,
                  doc="i.i.d. seeds seed..seed+seeds-1; >= 12 for a pass at alpha 1e-3"),
            Param("control", "choice", choices=CONTROLS, default="none",
                  doc="none, or a negative control that makes the claim false (must fail): kernel-as-network, "
                      "swapped-thresholds")),
    value=lambda size, kstar, p, level, tol, seeds, control: stated_thresholds(kstar, p, control),
    routes=(Route("kernel-vs-network-sweep", _order_run,
                  Rule.predicate("order-statistic median intervals (1 - alpha/2 each): gap >= (1/k* - 1/p) - tol and "
                                 "kernel crossover within tol of 1 - 1/p", alpha=ALPHA),
                  applies_doc="always (trains kernel ridge and the network on the beta grid)", takes_value=True),),
    examples=({},),
    constraints=(_constraint,),
    status="experiment",
    tags=("spiked", "kernel", "experiment"),
    notes="Statistical model and false-alarm arithmetic: module docstring. Calibration (" + _CALIBRATION + ", "
          "k* = 1, p = 3, level 0.25): kernel crossover C_K per seed in [0.558, 0.740] (d = 48; median 0.618) and "
          "[0.550, 0.732] (d = 64; median 0.608) against 1 - 1/p = 0.667; network C_N median 0 (0.99 quantile 0.041 "
          "and 0.026) against 1 - 1/k* = 0; gap G in [0.528, 0.740] and [0.550, 0.732] against the bound "
          "2/3 - 0.15 = 0.517. No seed outside the band or below the bound; verdicts at --seed 0..99: 100 pass at "
          "both d; under each negative control: 100 fail. The link (h_2 + h_3)/sqrt 2 (--param kstar=2; bound 1/6 - 0.15 = 0.017) is calibrated too "
          "at d = 48: gap in [0.255, 0.702], kernel in [0.537, 0.756], 100 of 100 windows pass. For the record, the "
          "link h_3 (k* = p = 3, no gap predicted) at d = 48 still shows a median gap 0.32 (kernel 0.89, network 0.60; "
          "20% of kernel runs never reach the level). Planning size d = 256 (10 seeds, featurecheck experiment "
          "spiked): kernel crossover 0.577 [0.570, 0.594] (k* = 1) and 0.578 [0.567, 0.602] (k* = 2), network 0 and "
          "0.201 [0.180, 0.229] (95% order-statistic intervals).",
))

CLAIMS: tuple[Claim, ...] = (ORDER,)
