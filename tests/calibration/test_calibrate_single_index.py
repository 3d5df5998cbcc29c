"""Calibration of ``single_index.exponent`` and ``single_index.order`` (slow).

For every default example of the two claims this runs the per-seed outcomes (samples ``T`` to
``|w . w*| >= 1/2``) of seeds ``0..99 + m - 1`` at each ``d`` (``m`` = the example's seeds, so
``--seed S`` for ``S = 0..99`` uses windows of these), and records per-``d`` quantiles of ``T``, the
censored count, the quantiles of the fitted exponent over the 100 windows, and each claim's verdict at
``S = 0..99`` through the engine; the negative controls' verdicts follow from the same intervals by the
stated rule (recomputed here, and checked against the engine at a few windows). The fitted exponent of every
window is recomputed here by ``numpy.polyfit`` on the window's medians (not by the claim's code) and
must equal the engine's estimate, which also checks that a window's result depends on its seeds only.

Thresholds rest on these numbers: no window of a true claim may ``fail`` (the false-alarm probability
per window is about <= 5e-4, so 100 windows give a fail with probability <= 0.05 under the model),
at most 10 of 100 may be inconclusive, and no control window may ``pass`` (at least 90 must fail).
The tolerance 0.5 of ``single_index.exponent`` covers the spread of the windows' exponents (asserted:
their 0.01..0.99 quantiles lie within ``v +- tol``). ``FEATURECHECK_CALIBRATE=write pytest -m slow
tests/calibration/test_calibrate_single_index.py`` rewrites ``single_index.json``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from featurecheck.numerics.checking.engine import verify_claim
from featurecheck.numerics.claims import single_index as SC
from featurecheck.numerics.experiments.single_index import predicted_exponent, resolve_link, simulate

from ._summary import check_summary

WINDOWS = 100
QS = (0.0, 0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99, 1.0)


def _q(x: Any) -> dict[str, float]:
    a = np.array([np.inf if v is None else v for v in x], dtype=float)
    return {f"{q:g}": float(np.quantile(a, q)) for q in QS}


def _count(verdicts: list[str]) -> dict[str, int]:
    return {k: verdicts.count(k) for k in ("pass", "fail", "inconclusive")}


def _polyfit_exponent(ds: list[int], pool: dict[int, list[int | None]], s: int, m: int) -> float:
    meds = [np.median(np.array([np.inf if v is None else v for v in pool[d][s:s + m]], dtype=float)) for d in ds]
    return float(np.polyfit(np.log(ds), np.log(meds), 1)[0])


def _windows(claim: Any, params: dict[str, Any]) -> tuple[list[str], list[Any], list[Any]]:
    """Engine verdicts, estimates and intervals of the true claim at S = 0..99."""
    verdicts, est, ivs = [], [], []
    for S in range(WINDOWS):
        rep = verify_claim(claim, dict(params), seed=S)
        verdicts.append(rep.verdict)
        est.append(rep.results[0].estimate)
        ivs.append(rep.results[0].interval)
    return verdicts, est, ivs


def _side(lo: float | None, hi: float | None, lower: float, upper: float) -> str:
    """Apply the stated rule: pass if [lo, hi] lies inside [lower, upper], fail if wholly outside."""
    if lo is None or hi is None:
        return "inconclusive"
    return "pass" if lower <= lo and hi <= upper else "fail" if hi < lower or lo > upper else "inconclusive"


@pytest.mark.slow
def test_calibrate_single_index() -> None:
    summary: dict[str, Any] = {"alpha": SC.ALPHA, "windows": WINDOWS}
    for ex in SC.EXPONENT.examples:
        p = SC.EXPONENT.bind(ex)
        link, m = p["link"], p["seeds"]
        ds = [int(v) for v in p["ds"].split(",")]
        pool = {d: simulate(link, d, range(WINDOWS + m - 1), lr=float(p["lr"])) for d in ds}
        verdicts, est, ivs = _windows(SC.EXPONENT, dict(ex))
        mine = [_polyfit_exponent(ds, pool, s, m) for s in range(WINDOWS)]
        np.testing.assert_allclose(est, mine, rtol=1e-9)
        v, tol = predicted_exponent(resolve_link(link).k_star, ds), float(p["tol"])
        # the verdicts follow the stated rule from the intervals (recomputed here), and so do the controls'
        assert verdicts == [_side(*(iv or (None, None)), v - tol, v + tol) for iv in ivs]
        counts = {"none": _count(verdicts)}
        for ctl, shift in (("exponent-plus-one", 1.0), ("exponent-minus-one", -1.0)):
            counts[ctl] = _count([_side(*(iv or (None, None)), v + shift - tol, v + shift + tol) for iv in ivs])
            for S in (0, 41):  # the engine agrees with the derived control verdicts
                assert verify_claim(SC.EXPONENT, {**ex, "control": ctl}, seed=S).verdict == \
                    _side(*(ivs[S] or (None, None)), v + shift - tol, v + shift + tol)
        qs = _q(mine)
        summary[f"exponent[{link}]"] = {
            "ds": ds, "seeds": m, "tol": tol, "predicted": v, "censored": {str(d): sum(t is None for t in pool[d]) for d in ds},
            "samples_quantiles": {str(d): _q(pool[d]) for d in ds}, "window_exponent_quantiles": qs,
            "window_interval_quantiles": {"lower": _q([iv[0] for iv in ivs]), "upper": _q([iv[1] for iv in ivs])},
            "verdicts": counts}
        assert v - tol < qs["0.01"] and qs["0.99"] < v + tol, (link, qs)
        assert counts["none"]["fail"] == 0 and counts["none"]["inconclusive"] <= 10, (link, counts)
        for ctl in ("exponent-plus-one", "exponent-minus-one"):
            assert counts[ctl]["pass"] == 0 and counts[ctl]["fail"] >= 90, (link, ctl, counts)
    for ex in SC.ORDER.examples:
        p = SC.ORDER.bind(ex)
        links, m = p["links"].split(","), p["seeds"]
        ds = [int(v) for v in p["ds"].split(",")]
        verdicts, est, _ = _windows(SC.ORDER, dict(ex))
        mine = {link: [_polyfit_exponent(ds, {d: simulate(link, d, range(WINDOWS + m - 1)) for d in ds}, s, m)
                       for s in range(WINDOWS)] for link in links}
        for s in range(WINDOWS):
            np.testing.assert_allclose([est[s][link] for link in links], [mine[link][s] for link in links], rtol=1e-9)
        # reversed control: the reversed claim's intervals are the negated ones (same paired resamples), so it
        # fails where the true claim passes; checked through the engine at three windows
        rev = ["fail" if v == "pass" else "pass" if v == "fail" else "inconclusive" for v in verdicts]
        for S in (0, 17, 63):
            assert verify_claim(SC.ORDER, {**ex, "control": "reversed"}, seed=S).verdict == rev[S]
        counts = {"none": _count(verdicts), "reversed": _count(rev)}
        summary[f"order[{p['links']}]"] = {
            "ds": ds, "seeds": m, "window_exponent_quantiles": {link: _q(mine[link]) for link in links},
            "window_difference_quantiles": _q(np.array(mine[links[1]]) - np.array(mine[links[0]])), "verdicts": counts}
        assert counts["none"]["fail"] == 0 and counts["none"]["inconclusive"] <= 10, (links, counts)
        assert counts["reversed"]["pass"] == 0 and counts["reversed"]["fail"] >= 90, (links, counts)
    check_summary("single_index", summary)
