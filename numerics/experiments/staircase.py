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

``compare([20, 40, 80, 160], k=3, seeds=3)`` runs the experiment (a few minutes on 2 cores). The registered
claim is ``leap.scaling`` (:mod:`featurecheck.numerics.claims.leap`).

>>> r = compare([8, 12], k=2, seeds=2)
>>> sorted(r["fit"])[:3], r["leap"]
(['difference', 'difference_ci', 'medians_a'], {'staircase': 1, 'parity': 2})
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import numpy as np

from featurecheck.numerics.experiments.baselines import fit_exponent
from featurecheck.numerics.experiments.sgd import SGDConfig
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
            progress: Any = None, alpha: float = 0.05, n_boot: int = 2000, **executor: Any) -> dict[str, Any]:
    """Median ``t_c`` over ``seeds`` for the staircase and the ``k``-parity at each ``n``; fitted exponents.

    Runs go through :func:`featurecheck.numerics.experiments.leap_dynamics.scaling_runs` (``executor``:
    ``workers``, ``scheduler``, ``store`` of ``run_tasks``). Runs that do not converge by
    ``config.max_steps`` count as ``inf`` in the median (a median of ``inf`` is reported as None and
    that ``n`` is left out of the point fit). ``fit`` holds both exponents and their difference
    (parity minus staircase) with paired seed-bootstrap ``1 - alpha`` intervals
    (:func:`~featurecheck.numerics.experiments.leap_dynamics.fit_difference`); the registered claim is
    ``leap.scaling``. ``progress``: True shows the progress bar of ``run_tasks``; a callable is called
    as ``progress(name, n, ts)`` per cell after the runs.
    """
    from featurecheck.numerics.experiments.leap_dynamics import CONFIG_KEYS as keys
    from featurecheck.numerics.experiments.leap_dynamics import fit_difference, scaling_runs

    k = check_int("k", k, 1, 8)
    seeds = check_int("seeds", seeds, 1, 100_000)
    ns = [check_int("n", n, k, 4096) for n in ns]
    if replace(config, **{key: getattr(DEFAULT_CONFIG, key) for key in keys}) != DEFAULT_CONFIG:
        raise ValueError(f"config may differ from DEFAULT_CONFIG only in {list(keys)}, got {config}")
    runs = scaling_runs(ns, k, range(seeds), {key: getattr(config, key) for key in keys},
                        progress=progress is True, **executor)
    out: dict[str, Any] = {"ns": ns, "k": k, "seeds": seeds, "t_c": {"staircase": [], "parity": []}}
    for name in ("staircase", "parity"):
        for n, ts in zip(ns, runs[name], strict=True):
            vals = [float("inf") if t is None else float(t) for t in ts]
            med = float(np.median(vals))
            out["t_c"][name].append(None if not np.isfinite(med) else med)
            if callable(progress):
                progress(name, n, vals)
    out["leap"], out["conjectured_exponent"] = leaps(k)
    out["fitted_exponent"] = {name: fit_exponent(ns, out["t_c"][name]) for name in ("staircase", "parity")}
    if len(set(ns)) >= 2:
        out["fit"] = fit_difference(ns, runs["parity"], runs["staircase"], alpha=alpha, n_boot=n_boot)
    return out
