"""Calibration of the Bayes-vs-SGD experiment claims (featurecheck.numerics.claims.bayes) over >= 100 seeds (slow).

For each default example: the per-seed outcomes over every seed the windows ``--seed S``, ``S = 0..99``
use (Bayes counts, SGD ``B t_c``, per-seed posterior rates), the quantities the thresholds rest on (the
empirical CDF of the Bayes count against the exact bracket, the slope of the SGD/Bayes ratio, the mean
rates and the measured noise factor against ``1/(1 - h(eta))``), and the verdict of
``verify_claim(claim, example, seed=S)`` for ``S = 0..99``. The committed summary is
``tests/calibration/bayes.json``; the test fails if any true claim gives ``fail`` at any ``S``.
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Any

import numpy as np
import pytest

from featurecheck.numerics.checking.engine import verify_claim
from featurecheck.numerics.claims import bayes as C
from featurecheck.numerics.claims import load_builtin_claims
from featurecheck.numerics.experiments import bayes as BY
from featurecheck.theory.claims import REGISTRY

from ._summary import check_summary

pytestmark = pytest.mark.slow
load_builtin_claims()
WINDOWS = range(100)


def _verdicts(claim_id: str, example: dict[str, Any]) -> dict[str, int]:
    claim = REGISTRY.get(claim_id)
    counts = Counter(verify_claim(claim, example, seed=S).verdict for S in WINDOWS)
    return {v: counts.get(v, 0) for v in ("pass", "fail", "inconclusive")}


def _quantiles(xs: list[int | None]) -> dict[str, float]:
    x = np.array([np.inf if v is None else v for v in xs], dtype=float)
    q = np.quantile(x, [0.1, 0.5, 0.9])
    return {"p10": float(q[0]), "median": float(q[1]), "p90": float(q[2]), "mean": float(x.mean()), "runs": int(x.size)}


def test_calibrate_bayes() -> None:
    summary: dict[str, Any] = {}
    # bayes.sample_count: the empirical CDF of the noiseless count next to the exact bracket of the median
    claim = REGISTRY.get("bayes.sample_count")
    b = claim.bind(claim.examples[0])
    total = b["seeds"] + len(WINDOWS) - 1
    cells = {}
    for n in C._ints(b["ns"]):
        runs = C.bayes_runs(n, b["k"], range(total), delta=b["delta"])
        x = np.array(runs, dtype=float)
        lo, hi = BY.quantile_bracket(n, b["k"], b["p"])
        cells[f"n={n}"] = {"bracket": [lo, hi], "log2_C_minus_1": math.log2(math.comb(n, b["k"]) - 1),
                           "cdf": {str(m): float((x <= m).mean()) for m in range(lo - 2, hi + 3)},
                           "cdf_bounds": {str(m): [float(v) for v in BY.identification_cdf_bounds(n, b["k"], m)]
                                          for m in range(lo - 2, hi + 3)}, **_quantiles(runs)}
    summary["bayes.sample_count"] = {"seeds_used": total, "cells": cells,
                                     "verdicts": _verdicts(claim.id, claim.examples[0])}
    # bayes.sgd_ratio_growth: the two arms and the fitted slope per window
    claim = REGISTRY.get("bayes.sgd_ratio_growth")
    b = claim.bind(claim.examples[0])
    total = b["seeds"] + len(WINDOWS) - 1
    arms = {}
    for n in C._ratio_ns(b):
        arms[f"n={n}"] = {"sgd_B_t_c": _quantiles(C._sgd_samples(n, b["k"], range(total), b["max_steps"])),
                          "bayes": _quantiles(C.bayes_runs(n, b["k"], range(total), delta=b["delta"]))}
    slopes = [verify_claim(claim, claim.examples[0], seed=S).results[0] for S in range(0, 100, 10)]
    summary["bayes.sgd_ratio_growth"] = {
        "seeds_used": total, "arms": arms,
        "slopes_at_S_0_10_to_90": [[r.estimate, list(r.interval) if r.interval else None] for r in slopes],
        "verdicts": _verdicts(claim.id, claim.examples[0])}
    # bayes.noise_factor: mean rates over every seed used, the factor per window
    claim = REGISTRY.get("bayes.noise_factor")
    b = claim.bind(claim.examples[0])
    total = b["seeds"] + len(WINDOWS) - 1
    rates = {}
    for n in C._ints(b["ns"]):
        clean = [C._rate(n, b["k"], "0", s) for s in range(total)]
        noisy = [C._rate(n, b["k"], str(b["eta"]), s) for s in range(total)]
        rates[f"n={n}"] = {"window": [BY.rate_window(n, b["k"], 0), BY.rate_window(n, b["k"], b["eta"])],
                           "rate_noiseless": [float(np.mean(clean)), float(np.std(clean))],
                           "rate_noisy": [float(np.mean(noisy)), float(np.std(noisy))],
                           "theory": [1.0, 1.0 - BY.binary_entropy(b["eta"])]}
    factors = [verify_claim(claim, claim.examples[0], seed=S).results[0] for S in range(0, 100, 10)]
    summary["bayes.noise_factor"] = {
        "seeds_used": total, "eta": str(b["eta"]), "stated": BY.noise_factor(b["eta"]), "rates": rates,
        "factors_at_S_0_10_to_90": [[r.estimate, list(r.interval)] for r in factors],
        "verdicts": _verdicts(claim.id, claim.examples[0])}
    check_summary("bayes", summary)
    fails = {k: v["verdicts"]["fail"] for k, v in summary.items() if v["verdicts"]["fail"]}
    assert not fails, fails
