"""Calibration of the SGD experiment claims (featurecheck.numerics.claims.sgd) over >= 100 seeds (slow).

For each default example: the per-seed outcomes over seeds 0..199 (the windows of ``--seed S`` for
``S = 0..99`` with up to 100 seeds each), the rates and quantiles the thresholds rest on, and the
verdict of ``verify_claim(claim, example, seed=S)`` for ``S = 0..99``. The committed summary is
``tests/calibration/sgd.json``; the test fails if any true claim gives ``fail`` at any ``S``.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np
import pytest

from featurecheck.numerics.checking.engine import verify_claim
from featurecheck.numerics.claims import load_builtin_claims
from featurecheck.numerics.claims import sgd as C
from featurecheck.numerics.experiments.barak_fig1 import PANEL_SETTINGS, paper_median
from featurecheck.theory.claims import REGISTRY

from ._summary import check_summary

pytestmark = pytest.mark.slow
load_builtin_claims()
WINDOWS = range(100)


def _quantiles(tcs: list[int | None]) -> dict[str, Any]:
    x = np.array([np.inf if t is None else t for t in tcs], dtype=float)
    q = np.quantile(x, [0.1, 0.5, 0.9])
    return {"p10": float(q[0]), "median": float(q[1]), "p90": float(q[2]), "max": float(x.max()),
            "converged": int(np.isfinite(x).sum()), "runs": int(x.size)}


def _verdicts(claim_id: str, example: dict[str, Any]) -> dict[str, int]:
    claim = REGISTRY.get(claim_id)
    counts = Counter(verify_claim(claim, example, seed=S).verdict for S in WINDOWS)
    return {v: counts.get(v, 0) for v in ("pass", "fail", "inconclusive")}


def test_calibrate_sgd() -> None:
    summary: dict[str, Any] = {}
    # sgd.parity_converges: default (30, 3), width 100, lr 1, cap 4000
    claim = REGISTRY.get("sgd.parity_converges")
    ex = claim.bind(claim.examples[0])
    settings = {"width": ex["width"], "batch": ex["batch"], "lr": float(ex["lr"]), "max_steps": ex["max_steps"],
                "random_labels": False}
    tcs = C.t_c_runs(settings, ex["n"], ex["k"], range(200))
    summary["sgd.parity_converges"] = {"t_c": _quantiles(tcs), "verdicts": _verdicts(claim.id, claim.examples[0])}
    # sgd.fig1_medians: every panel, every default cell
    claim = REGISTRY.get("sgd.fig1_medians")
    for example in claim.examples:
        b = claim.bind(example)
        settings = {**PANEL_SETTINGS[b["arch"]], "arch": b["arch"], "max_steps": b["max_steps"]}
        cells = {}
        for n, k in C._fig1_cells(b):
            q = _quantiles(C.t_c_runs(settings, n, k, range(200)))
            cells[f"n={n},k={k}"] = {**q, "paper": paper_median(b["arch"], n, k),
                                     "ratio": q["median"] / paper_median(b["arch"], n, k)}
        summary[f"sgd.fig1_medians[{b['arch']}]"] = {"cells": cells, "verdicts": _verdicts(claim.id, example)}
    # sgd.tc_scaling: the same runs, the fitted slope per window
    claim = REGISTRY.get("sgd.tc_scaling")
    for example in claim.examples:
        b = claim.bind(example)
        slopes = [verify_claim(claim, example, seed=S).results[0].estimate for S in range(0, 100, 10)]
        summary[f"sgd.tc_scaling[{b['arch']},k={b['k']}]"] = {
            "paper_slope": C._scaling_value(**b), "slopes_at_S_0_10_to_90": slopes,
            "verdicts": _verdicts(claim.id, example)}
    # sgd.no_early_success
    claim = REGISTRY.get("sgd.no_early_success")
    b = claim.bind(claim.examples[0])
    settings = {"width": b["width"], "batch": b["batch"], "lr": float(b["lr"]), "max_steps": b["max_steps"]}
    tcs = C.t_c_runs(settings, b["n"], b["k"], range(250))
    med = float(np.median([np.inf if t is None else t for t in tcs]))
    summary["sgd.no_early_success"] = {"t_c": _quantiles(tcs), "early_fraction_250_seeds":
                                       sum(t is not None and t <= med / 10 for t in tcs) / 250,
                                       "min_t_c_over_median": min(t for t in tcs if t is not None) / med,
                                       "verdicts": _verdicts(claim.id, claim.examples[0])}
    # sgd.hidden_progress
    claim = REGISTRY.get("sgd.hidden_progress")
    b = claim.bind(claim.examples[0])
    args = (b["n"], b["k"], b["width"], b["batch"], float(b["lr"]), b["step"])
    true = [C._rho(*args, False, s) for s in range(110)]
    rand = [C._rho(*args, True, s) for s in range(110)]
    summary["sgd.hidden_progress"] = {
        "rho_true_quantiles": np.quantile([r for r, _ in true], [0.1, 0.5, 0.9]).tolist(),
        "rho_random_quantiles": np.quantile([r for r, _ in rand], [0.1, 0.5, 0.9]).tolist(),
        "loss_ratio_true_min": min(f for _, f in true),
        "verdicts": _verdicts(claim.id, claim.examples[0])}
    check_summary("sgd", summary)
    fails = {k: v["verdicts"]["fail"] for k, v in summary.items() if v["verdicts"]["fail"]}
    assert not fails, fails
