"""Staircase (leap 1) against an isolated parity (leap k) under online SGD on the cube.

Targets on ``x`` uniform in ``{-1,1}^n``: the staircase ``x_0 + x_0 x_1 + ... + x_0...x_{k-1}`` (leap 1)
and the parity ``x_0 x_1 ... x_{k-1}`` (leap ``k``), leaps computed exactly by :mod:`featurecheck.theory.leap`. Both
are trained with the trainer of :mod:`featurecheck.numerics.experiments.sgd` (two-layer ReLU network, fresh batch per step,
square loss); ``t_c`` is the first checked step with 100% validation accuracy (``|f - y| < 1/2`` for
the real-valued staircase, ``y f > 0`` for the parity; see :mod:`featurecheck.numerics.experiments.sgd`). We fit
``t_c ~ n^e`` for each target. The conjecture of Abbe, Boix-Adsera, Misiakiewicz (2023) predicts
``d^{max(Leap - 1, 1)}`` online steps (up to logs): exponent 1 for the staircase, ``k - 1`` for the
``k``-parity. This is a conjecture, and fixed-size fits are only indicative.

References
----------
E. Abbe, E. Boix-Adsera, T. Misiakiewicz (2023), arXiv 2302.11055, Def. 1 and Conjecture 1.

Examples
--------
>>> leaps(3)
({'staircase': 1, 'parity': 3}, {'staircase': 1, 'parity': 2})

``compare([20, 40, 80, 160], k=3, seeds=3)`` runs the experiment (a few minutes on 2 cores).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from featurecheck.numerics.experiments.baselines import fit_exponent
from featurecheck.numerics.experiments.sgd import SGDConfig, Target, train
from featurecheck.theory import leap as Lp
from featurecheck.theory._validate import check_int

__all__ = ["compare", "leaps", "DEFAULT_CONFIG", "SGDConfig"]

DEFAULT_CONFIG = SGDConfig(width=100, loss="square", lr=0.05, max_steps=200_000)


def leaps(k: int) -> tuple[dict[str, int], dict[str, int]]:
    """Exact leaps of the ``k``-staircase and the ``k``-parity, and the conjectured step exponents."""
    k = check_int("k", k, 1, 8)
    walsh = {"staircase": [set(range(m)) for m in range(1, k + 1)], "parity": [set(range(k))]}
    lp = {name: Lp.leap(sets).leap for name, sets in walsh.items()}
    return lp, {name: Lp.sgd_steps_conjecture(L).exponent for name, L in lp.items()}


def compare(ns: Sequence[int], k: int = 3, seeds: int = 3, config: SGDConfig = DEFAULT_CONFIG,
            progress: Any = None) -> dict[str, Any]:
    """Median ``t_c`` over ``seeds`` for the staircase and the ``k``-parity at each ``n``; fitted exponents.

    Runs that do not converge by ``config.max_steps`` count as ``inf`` in the median (a median of
    ``inf`` is reported as None and that ``n`` is left out of the fit).
    """
    k = check_int("k", k, 1, 8)
    seeds = check_int("seeds", seeds, 1, 100)
    ns = [check_int("n", n, k, 4096) for n in ns]
    out: dict[str, Any] = {"ns": ns, "k": k, "seeds": seeds, "t_c": {"staircase": [], "parity": []}}
    for n in ns:
        for name, tgt in (("staircase", Target.staircase(n, k)), ("parity", Target.parity(n, k))):
            ts = []
            for s in range(seeds):
                r = train(tgt, config, seed=s)
                ts.append(float("inf") if r.t_c is None else float(r.t_c))
            med = float(np.median(ts))
            out["t_c"][name].append(None if not np.isfinite(med) else med)
            if progress:
                progress(name, n, ts)
    out["leap"], out["conjectured_exponent"] = leaps(k)
    out["fitted_exponent"] = {name: fit_exponent(ns, out["t_c"][name]) for name in ("staircase", "parity")}
    return out
