"""Calibration of ``multi_index.subspace_recovery`` and ``multi_index.kernel_vs_network`` (slow).

At each calibrated size (``small``: d = 16, ``medium``: d = 32; width 256, ``n = 8 d^2``) this computes
the per-seed outcomes of seeds ``0..122`` (``100 + 24 - 1``: the default claim runs 24 seeds, so
``--seed S`` for ``S = 0..99`` uses windows of these): the largest principal angle after one step at
``n = 8 d^2`` and at ``n = d``, and the relative test errors of the network and of random features.
From them: quantiles, the fraction of seeds on the wrong side of each threshold, and each claim's
verdict at ``S = 0..99``. The verdicts are recomputed here from the claims' stated model (median
intervals of order statistics with ranks from the binomial distribution, level ``1 - alpha/2`` per
side, ``alpha = 1e-3``), not from the claim module's code; the engine's verdict and estimate are
checked against the windows at three seeds, which also checks that a seed's outcome depends on that
seed only. The negative controls of tests/claims/test_experiment_controls_multi_index.py are run over
the same windows at d = 16: none may pass.

Thresholds rest on these numbers: each claim's threshold lies between the effect's 0.95 quantile and
the control's 0.05 quantile at both sizes (asserted), and no window may ``fail`` (a true claim's
false-alarm probability per window is <= 5e-4, so 100 windows give a fail with probability <= 0.05
under the model). ``FEATURECHECK_CALIBRATE=write pytest -m slow tests/calibration/test_calibrate_multi_index.py``
rewrites ``multi_index.json``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from scipy import stats

from featurecheck.numerics.checking.engine import verify_claim
from featurecheck.numerics.claims import gaussian as GC
from featurecheck.numerics.experiments import multi_index as MI

from ._summary import check_summary

ALPHA = 1e-3  # per claim, as stated in the claims' model
M = 24  # seeds per claim
WINDOWS = 100
C = 8
SIZES = {"small": (16, 256), "medium": (32, 256)}
QS = (0.0, 0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99, 1.0)


def _rank(m: int, level_alpha: float) -> int:
    """Largest l with P(Bin(m, 1/2) <= l - 1) <= level_alpha / 2 (two-sided order-statistic interval)."""
    ls = [k for k in range(1, (m + 1) // 2 + 1) if stats.binom.cdf(k - 1, m, 0.5) <= level_alpha / 2]
    return max(ls, default=0)


def _side(x: np.ndarray, threshold: float, effect_below: bool, rank: int) -> str:
    """Verdict of one side from its window: the interval is [x_(rank), x_(m+1-rank)]."""
    s = np.sort(x)
    lo, hi = s[rank - 1], s[len(s) - rank]
    if effect_below:
        return "pass" if hi <= threshold else "fail" if lo > threshold else "inconclusive"
    return "pass" if lo >= threshold else "fail" if hi < threshold else "inconclusive"


def _claim_verdicts(eff: np.ndarray, ctl: np.ndarray, threshold: float) -> tuple[dict[str, int], list[str]]:
    rank = _rank(M, ALPHA / 2)
    out = {"pass": 0, "fail": 0, "inconclusive": 0}
    per = []
    for s in range(WINDOWS):
        a = _side(eff[s:s + M], threshold, True, rank)
        b = _side(ctl[s:s + M], threshold, False, rank)
        v = "fail" if "fail" in (a, b) else "pass" if a == b == "pass" else "inconclusive"
        out[v] += 1
        per.append(v)
    return out, per


def _quantiles(x: np.ndarray) -> dict[str, float]:
    return {f"{q:g}": float(np.quantile(x, q)) for q in QS}


@pytest.mark.slow
def test_calibrate_multi_index() -> None:
    rec, kvn = GC.RECOVERY, GC.KERNEL_VS_NET
    th = float(rec.bind({})["threshold_deg"])
    eps = float(kvn.bind({})["eps"])
    assert rec.bind({})["seeds"] == kvn.bind({})["seeds"] == M and rec.bind({})["c"] == kvn.bind({})["c"] == C
    seeds = range(WINDOWS + M - 1)
    summary: dict[str, Any] = {"alpha": ALPHA, "seeds_per_claim": M, "seeds": [0, seeds[-1]], "c": C,
                               "order_statistic_rank": _rank(M, ALPHA / 2), "threshold_deg": th, "eps": eps}
    for size, (d, m) in SIZES.items():
        n = C * d * d
        out = {k: np.array([MI.seed_outcome(o, d, nn, m, s) for s in seeds]) for k, o, nn in
               (("angle", "angle", n), ("angle_control", "angle", d),
                ("network_error", "network-error", n), ("rf_error", "rf-error", n))}
        rv, rper = _claim_verdicts(out["angle"], out["angle_control"], th)
        kv, kper = _claim_verdicts(out["network_error"], out["rf_error"], eps)
        summary[size] = {
            "d": d, "width": m, "n": n,
            "quantiles": {k: _quantiles(v) for k, v in out.items()},
            "subspace_recovery": {"effect_above_threshold": float(np.mean(out["angle"] > th)),
                                  "control_below_threshold": float(np.mean(out["angle_control"] < th)),
                                  "verdicts": rv},
            "kernel_vs_network": {"effect_above_eps": float(np.mean(out["network_error"] > eps)),
                                  "control_below_eps": float(np.mean(out["rf_error"] < eps)),
                                  "verdicts": kv},
        }
        # the thresholds sit between the effect's 0.95 and the control's 0.05 quantile
        assert np.quantile(out["angle"], 0.95) < th < np.quantile(out["angle_control"], 0.05), size
        assert np.quantile(out["network_error"], 0.95) < eps < np.quantile(out["rf_error"], 0.05), size
        # no window of a true claim fails; inconclusive is rare
        assert rv["fail"] == 0 and kv["fail"] == 0, (size, rv, kv)
        assert rv["inconclusive"] <= 5 and kv["inconclusive"] <= 5, (size, rv, kv)
        # the engine at --seed S sees the window S..S+M-1 of these per-seed outcomes (seed-only dependence)
        for S in (0, 57) if size == "small" else (31,):
            for claim, eff, per in ((rec, out["angle"], rper), (kvn, out["network_error"], kper)):
                rep = verify_claim(claim, {"size": size}, seed=S)
                (res,) = rep.results
                assert res.estimate == float(np.median(eff[S:S + M])), (claim.id, S)
                assert rep.verdict == per[S], (claim.id, S, rep.message())
    summary["negative_controls"] = _negative_controls(seeds, th, eps)
    check_summary("multi_index", summary)


def _negative_controls(seeds: range, th: float, eps: float) -> dict[str, dict[str, int]]:
    """Verdicts at S = 0..99 of each claim under its ``control`` (size small): never ``pass``."""
    d, m = SIZES["small"]
    n = C * d * d

    def o(outcome: str, nn: int, **kw: Any) -> np.ndarray:
        return np.array([MI.seed_outcome(outcome, d, nn, m, s, **kw) for s in seeds])

    ind = {"labels": "independent"}
    cases = {
        "subspace_recovery:random-subspace": (o("angle", n, reference_stream=1), o("angle", d, reference_stream=1), th),
        "subspace_recovery:random-labels": (o("angle", n, **ind), o("angle", d, **ind), th),
        "subspace_recovery:few-samples": (o("angle", d), o("angle", d), th),
        "kernel_vs_network:random-labels": (o("network-error", n, **ind), o("rf-error", n, **ind), eps),
        "kernel_vs_network:few-samples": (o("network-error", d), o("rf-error", d), eps),
    }
    out = {}
    for name, (eff, ctl, t) in cases.items():
        out[name], _ = _claim_verdicts(eff, ctl, t)
        assert out[name]["pass"] == 0 and out[name]["fail"] >= 90, (name, out[name])
    return out
