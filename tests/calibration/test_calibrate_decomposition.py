"""Calibration of the ``decomposition.*`` claims (slow).

At the claims' default size (``size=reduced``: 400 Adam steps of 32 tuples, width 32, 2000 test tuples)
this computes the per-seed outcomes of seeds ``0..118`` (``100 + 20 - 1``: the end-to-end claim runs 20
seeds, the decomposition claim 12, so ``--seed S`` for ``S = 0..99`` uses windows of these): the end-to-end test accuracy at
``k_small = 2`` and ``k_chance = 8``, the decomposition accuracy at ``k = 8``, the same under random
per-image training labels (the negative control), and, for seeds ``0..122`` (the SNR claim runs 24),
the fitted SNR rate and the largest Bessel ratio ``2^k SNR(k)``. From them: quantiles, the fraction of
seeds on the wrong side of each threshold, and each claim's verdict at ``S = 0..99``. The verdicts are
recomputed here from the claims' stated model (order-statistic median intervals with ranks from
``scipy.stats.binom``, two-sided level ``1 - alpha/c`` for ``c`` tests, ``alpha = 1e-3``), not from the
claim module's code; the engine's verdicts are checked against the windows at two seeds, which also
checks that a seed's outcome depends on that seed only.

Thresholds rest on these numbers: no window of a true claim may ``fail`` (a true claim's false-alarm
probability per window is <= 5e-4, so 100 windows give a fail with probability <= 0.05 under the
model), inconclusive windows are rare, and under the negative controls no window passes.
``FEATURECHECK_CALIBRATE=write pytest -m slow tests/calibration/test_calibrate_decomposition.py``
rewrites ``decomposition.json``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from scipy import stats

from featurecheck.numerics.checking.engine import verify_claim
from featurecheck.numerics.claims import decomposition as DC
from featurecheck.numerics.experiments import decomposition as D

from ._summary import check_summary

ALPHA = 1e-3  # per claim, as stated in the claims' model
M_E2E, M, M_SNR = 20, 12, 24  # seeds per claim: end_to_end, intermediate, snr_decay
WINDOWS = 100
QS = (0.0, 0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99, 1.0)


def _rank(m: int, level_alpha: float) -> int:
    """Largest l with P(Bin(m, 1/2) <= l - 1) <= level_alpha / 2 (two-sided order-statistic interval)."""
    ls = [k for k in range(1, (m + 1) // 2 + 1) if stats.binom.cdf(k - 1, m, 0.5) <= level_alpha / 2]
    return max(ls, default=0)


def _test(x: np.ndarray, lower: float, upper: float, rank: int) -> str:
    s = np.sort(x)
    if rank == 0:
        return "inconclusive"
    lo, hi = s[rank - 1], s[len(s) - rank]
    return "pass" if lower <= lo and hi <= upper else "fail" if hi < lower or lo > upper else "inconclusive"


def _combine(outcomes: list[str]) -> str:
    return "fail" if "fail" in outcomes else "pass" if all(o == "pass" for o in outcomes) else "inconclusive"


def _count(per: list[str]) -> dict[str, int]:
    return {v: per.count(v) for v in ("pass", "fail", "inconclusive")}


def _quantiles(x: np.ndarray) -> dict[str, float]:
    return {f"{q:g}": float(np.quantile(x, q)) for q in QS}


def _acc(arm: str, k: int, labels: str = "orientation") -> np.ndarray:
    s = {key: v for key, v in DC.SIZES["reduced"].items() if key != "n_images"}
    return np.array([D.train_arm(arm, k, seed, labels=labels, **s).accuracy for seed in range(WINDOWS + M_E2E - 1)])


def _e2e_windows(small: np.ndarray, chance: np.ndarray, th: float, band: float) -> list[str]:
    r = _rank(M_E2E, ALPHA / 2)
    return [_combine([_test(small[S:S + M_E2E], th, 1.0, r), _test(chance[S:S + M_E2E], 0.5 - band, 0.5 + band, r)])
            for S in range(WINDOWS)]


def _dec_windows(acc: np.ndarray, th: float) -> list[str]:
    r = _rank(M, ALPHA)
    return [_test(acc[S:S + M], th, 1.0, r) for S in range(WINDOWS)]


@pytest.mark.slow
def test_calibrate_decomposition() -> None:
    e2e, dec, snr = DC.END_TO_END.bind({}), DC.INTERMEDIATE.bind({}), DC.SNR_DECAY.bind({})
    assert e2e["seeds"] == M_E2E and dec["seeds"] == M and snr["seeds"] == M_SNR and dec["ks"] == "8"
    assert e2e["k_small"] == 2  # the k_chance=2 control below reads the k_small runs
    ks, kc, th, band = e2e["k_small"], e2e["k_chance"], float(e2e["threshold"]), float(e2e["band"])
    r0 = float(snr["r0"])
    out = {"e2e_small": _acc("end-to-end", ks), "e2e_chance": _acc("end-to-end", kc),
           "decomposition": _acc("decomposition", 8),
           "e2e_small_random_labels": _acc("end-to-end", ks, "random"),
           "decomposition_random_labels": _acc("decomposition", 8, "random")}
    n_img = DC.SIZES["reduced"]["n_images"]
    curves = [D.snr_curve(DC.SNR_KS, s, width=DC.SIZES["reduced"]["width"], n_images=n_img)
              for s in range(WINDOWS + M_SNR - 1)]
    rates = np.array([D.fit_rate(DC.SNR_KS, [c.snr for c in cur]) for cur in curves])
    bessel = np.array([max(c.bessel for c in cur) for cur in curves])
    e2e_per = _e2e_windows(out["e2e_small"], out["e2e_chance"], th, band)
    dec_per = _dec_windows(out["decomposition"], th)
    r_snr = _rank(M_SNR, ALPHA)
    snr_per = ["fail" if bessel[S:S + M_SNR].max() > 1 else _test(rates[S:S + M_SNR], r0, np.inf, r_snr)
               for S in range(WINDOWS)]
    controls = {
        "end_to_end:random-labels": _count(_e2e_windows(out["e2e_small_random_labels"], out["e2e_chance"], th, band)),
        # k_small=1, k_chance=2: the chance side sees the k = 2 runs (the k = 1 side can only pass or not)
        "end_to_end:k_chance=2": _count([_test(out["e2e_small"][S:S + M_E2E], 0.5 - band, 0.5 + band,
                                                _rank(M_E2E, ALPHA / 2))
                                          for S in range(WINDOWS)]),
        "intermediate:random-labels": _count(_dec_windows(out["decomposition_random_labels"], th)),
        "snr_decay:r0=2x_max_rate": _count([_test(rates[S:S + M_SNR], 2 * rates.max(), np.inf, r_snr)
                                            for S in range(WINDOWS)]),
    }
    summary: dict[str, Any] = {
        "alpha": ALPHA, "seeds_per_claim": {"end_to_end": M_E2E, "intermediate": M, "snr": M_SNR}, "seeds": [0, WINDOWS + M_E2E - 2],
        "snr_seeds": [0, WINDOWS + M_SNR - 2], "size": DC.SIZES["reduced"],
        "order_statistic_rank": {"end_to_end": _rank(M_E2E, ALPHA / 2), "intermediate": _rank(M, ALPHA),
                                 "snr_decay": r_snr},
        "params": {"k_small": ks, "k_chance": kc, "threshold": th, "band": band, "r0": r0},
        "quantiles": {**{k: _quantiles(v) for k, v in out.items()}, "snr_rate": _quantiles(rates),
                      "bessel_max": _quantiles(bessel)},
        "wrong_side": {"e2e_small_below_threshold": float(np.mean(out["e2e_small"] < th)),
                       "e2e_chance_outside_band": float(np.mean(np.abs(out["e2e_chance"] - 0.5) > band)),
                       "decomposition_below_threshold": float(np.mean(out["decomposition"] < th)),
                       "snr_rate_below_r0": float(np.mean(rates < r0))},
        "verdicts": {"end_to_end": _count(e2e_per), "intermediate": _count(dec_per), "snr_decay": _count(snr_per)},
        "negative_controls": controls,
    }
    # a true claim never fails on a window; inconclusive is rare; Bessel holds on every seed
    for name, per in (("end_to_end", e2e_per), ("intermediate", dec_per), ("snr_decay", snr_per)):
        assert per.count("fail") == 0 and per.count("inconclusive") <= 10, (name, _count(per))
    assert bessel.max() <= 1.0
    # under each negative control no window passes
    for name, c in controls.items():
        assert c["pass"] == 0 and c["fail"] >= 90, (name, c)
    # the engine at --seed S sees the window S..S+M-1 of these per-seed outcomes (seed-only dependence)
    for S in (0, 61):
        for claim, per in ((DC.END_TO_END, e2e_per), (DC.INTERMEDIATE, dec_per), (DC.SNR_DECAY, snr_per)):
            rep = verify_claim(claim, {}, seed=S)
            assert rep.verdict == per[S], (claim.id, S, rep.message())
        (res,) = verify_claim(DC.SNR_DECAY, {}, seed=S).results
        assert res.estimate == float(np.median(rates[S:S + M_SNR]))
    check_summary("decomposition", summary)
