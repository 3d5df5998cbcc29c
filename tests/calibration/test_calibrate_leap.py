"""Calibration of the leap experiment claims (featurecheck.numerics.claims.leap) over >= 100 seeds (slow).

For each default example: the per-seed outcomes over seeds ``0..99 + m - 1`` (the windows of
``--seed S`` for ``S = 0..99``, ``m`` seeds each), the rates and exponents the thresholds rest on, and
the verdict of ``verify_claim(claim, example, seed=S)`` for ``S = 0..99``; the same for the negative
controls (which must never pass). The committed summary is ``tests/calibration/leap.json``; the test
fails if any true claim gives ``fail`` or any control gives ``pass`` at any ``S``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from typing import Any

import numpy as np
import pytest

from featurecheck.numerics.checking.engine import verify_claim
from featurecheck.numerics.claims import leap as C
from featurecheck.numerics.claims import load_builtin_claims
from featurecheck.numerics.experiments.leap_dynamics import fit_difference
from featurecheck.theory.claims import REGISTRY

from ._summary import check_summary

pytestmark = pytest.mark.slow
load_builtin_claims()
WINDOWS = range(100)


def _verdicts(claim_id: str, example: dict[str, Any], value: Any = None) -> tuple[dict[str, int], list[Any]]:
    claim = REGISTRY.get(claim_id)
    if value is not None:
        claim = replace(claim, value=value)
    reps = [verify_claim(claim, example, seed=S) for S in WINDOWS]
    counts = Counter(r.verdict for r in reps)
    return {v: counts.get(v, 0) for v in ("pass", "fail", "inconclusive")}, [r.results[0] for r in reps]


def _q(x: list[float]) -> list[float]:
    return [float(v) for v in np.quantile(np.array(x, dtype=float), [0.0, 0.1, 0.5, 0.9, 1.0])]


def _inf(v: Any) -> float:
    return float("inf") if v is None else float(v)


def test_calibrate_leap() -> None:
    summary: dict[str, Any] = {}
    # leap.saddle_order
    claim = REGISTRY.get("leap.saddle_order")
    b = claim.bind(claim.examples[0])
    m = b["seeds"]
    outs = [C.saddle_outcome(b["target"], b["n"], b["steps"], b["every"], False, s) for s in range(100 + m - 1)]
    times = np.array([o["times"] for o in outs])
    verdicts, _ = _verdicts(claim.id, {})
    ctrl = {"steps": 1000, "every": 100, "control": "random-labels"}
    cverdicts, _ = _verdicts(claim.id, ctrl)
    summary["leap.saddle_order"] = {
        "seeds": len(outs), "leap_order_events": sum(o["leap_order"] for o in outs),
        "degree_greedy_events": sum(o["degree_greedy"] for o in outs),
        "order_seed_0": outs[0]["order"],
        "learning_step_quantiles_0_10_50_90_100": {str(o): _q(list(times[:, q])) for q, o in enumerate(outs[0]["order"])},
        "last_plateau_quantiles": _q([o["plateaus"][-1] for o in outs]),
        "verdicts": verdicts, "control_random_labels_steps_1000": cverdicts}
    # leap.history
    claim = REGISTRY.get("leap.history")
    b = claim.bind(claim.examples[0])
    m = b["seeds"]
    seeds = range(100 + m - 1)
    cur = [C.history_outcome(b["n"], b["k"], "curriculum", s)["final"] for s in seeds]
    dec = [C.history_outcome(b["n"], b["k"], "decoy", s)["final"] for s in seeds]
    scr = [C.history_outcome(b["n"], b["k"], "scratch", s)["final"] for s in seeds]
    verdicts, _ = _verdicts(claim.id, {})
    cverdicts, _ = _verdicts(claim.id, {"control": "swap"})
    summary["leap.history"] = {
        "seeds": len(cur), "curriculum_faster_than_decoy": sum(_inf(a) < _inf(d) for a, d in zip(cur, dec, strict=True)),
        "final_steps_quantiles": {"curriculum": _q([_inf(v) for v in cur]), "decoy": _q([_inf(v) for v in dec]),
                                  "scratch": _q([_inf(v) for v in scr])},
        "verdicts": verdicts, "control_swap": cverdicts}
    # leap.curriculum_advantage and leap.scaling: the fits over all seeds, and per window
    for cid, ctrl_params in (("leap.curriculum_advantage", {"control": "decoy"}), ("leap.scaling", {"control": "swap"})):
        claim = REGISTRY.get(cid)
        b = claim.bind(claim.examples[0])
        m, k, ns = b["seeds"], b["k"], [int(v) for v in b["ns"].split(",")]
        seeds = range(100 + m - 1)
        scratch = [[C.history_outcome(n, k, "scratch", s)["final"] for s in seeds] for n in ns]
        other = ([[C.history_outcome(n, k, "curriculum", s)["total"] for s in seeds] for n in ns]
                 if cid == "leap.curriculum_advantage" else [[C.staircase_t_c(n, k, s) for s in seeds] for n in ns])
        fit = fit_difference(ns, scratch, other, alpha=C.ALPHA, n_boot=4000, seed=0)
        verdicts, evs = _verdicts(cid, {})
        cverdicts, cevs = _verdicts(cid, ctrl_params)
        entry = {"all_seeds_fit": {k2: fit[k2] for k2 in ("ns", "medians_a", "medians_b", "slope_a", "slope_a_ci", "slope_b",
                                                           "slope_b_ci", "difference", "difference_ci")},
                 "window_interval_low_quantiles": _q([e.interval[0] for e in evs]),
                 "window_interval_high_quantiles": _q([e.interval[1] for e in evs]),
                 "verdicts": verdicts,
                 f"control_{ctrl_params['control']}": cverdicts,
                 "control_window_interval_high_quantiles": _q([e.interval[1] for e in cevs if e.interval is not None])}
        if cid == "leap.curriculum_advantage":
            dec = [[C.history_outcome(n, k, "decoy", s)["total"] for s in seeds] for n in ns]
            dfit = fit_difference(ns, scratch, dec, alpha=C.ALPHA, n_boot=4000, seed=0)
            entry["decoy_all_seeds_fit"] = {k2: dfit[k2] for k2 in ("medians_b", "difference", "difference_ci")}
        summary[cid] = entry
    check_summary("leap", summary)
    fails = {k: v["verdicts"]["fail"] for k, v in summary.items() if v["verdicts"]["fail"]}
    assert not fails, fails
    control_passes = {k: c for k, v in summary.items() for c, cv in v.items() if c.startswith("control_")
                      and isinstance(cv, dict) and cv.get("pass")}
    assert not control_passes, control_passes
