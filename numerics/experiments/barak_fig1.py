"""Barak et al. 2022, Fig. 1 (right): the digitised median convergence times, panel by panel.

Median ``t_c`` over seeds (steps to 100% accuracy on a fresh validation batch of 2^13) of online SGD
on the ``(n, k)``-parity, for the four networks of the figure (:data:`featurecheck.numerics.experiments.sgd.ARCHITECTURES`),
read off the published plot at ``n = 10, 15, 20, 25, 30``. The figure states width 100 for the MLPs;
batch 32 is our reading. Digitising a log-scale plot is accurate to a few percent, far below the
factor the claims allow.

:func:`paper_slope` is the least-squares slope of ``log t_c`` on ``log n`` through the digitised
medians: the exponent ``alpha k`` of ``t_c ~ n^{alpha k}`` that the figure shows.

References
----------
B. Barak, B. L. Edelman, S. Goel, S. Kakade, E. Malach, C. Zhang, "Hidden Progress in Deep Learning:
SGD Learns Parities Near the Computational Limit", NeurIPS 2022 (arXiv 2207.08799), Fig. 1 (right) and
App. D.1.7 (PolyNet learning rate 0.05).

Examples
--------
>>> paper_median("relu-mlp", 20, 3)
91
>>> round(paper_slope("relu-mlp", 2), 3)
0.41
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from featurecheck.numerics.experiments.sgd import ARCHITECTURES

__all__ = ["FIG1_NS", "FIG1_MEDIANS", "PANEL_SETTINGS", "REPRODUCED_KS", "paper_median", "paper_slope"]

FIG1_NS: tuple[int, ...] = (10, 15, 20, 25, 30)

#: arch -> k -> digitised median t_c at n = 10, 15, 20, 25, 30.
FIG1_MEDIANS: dict[str, dict[int, tuple[int, ...]]] = {
    "relu-mlp": {2: (14, 16, 18, 20, 22), 3: (46, 67, 91, 119, 149), 4: (62, 108, 201, 453, 806)},
    "xk-mlp": {2: (16, 26, 36, 43, 52), 3: (41, 69, 95, 118, 143), 4: (76, 153, 236, 335, 447)},
    "sin-neuron": {2: (32, 33, 36, 37, 42), 3: (74, 102, 131, 151, 173)},
    "polynet": {2: (34, 37, 41, 44, 46), 3: (82, 109, 126, 144, 161), 4: (183, 272, 371, 463, 537)},
}

#: arch -> the training settings (SGDConfig fields besides the architecture's own) of our reproduction.
#: Stated by the paper: width 100, hinge loss, PyTorch-default init, PolyNet lr 0.05 (App. D.1.7).
#: Not stated for Fig. 1 in our sources, so measured (25 seeds per cell, n = 10, 20, 30; the search is
#: summarised in the README): batch 64 with lr 1 (ReLU), lr 0.1 (z^k: at batch 32 it diverges at
#: (30, 4)) and lr 0.15 (sin). Batch 32 with lr 1 makes every ReLU cell 1.0-2.4x slower than the paper.
PANEL_SETTINGS: dict[str, dict[str, Any]] = {
    "relu-mlp": {"width": 100, "batch": 64, "lr": 1.0, "loss": "hinge"},
    "xk-mlp": {"width": 100, "batch": 64, "lr": 0.1, "loss": "hinge"},
    "sin-neuron": {"batch": 64, "lr": 0.15, "loss": "hinge"},
    "polynet": {"batch": 32, "lr": 0.05, "loss": "hinge"},
}

#: arch -> the k whose medians we reproduce within a factor 1.5 at n = 10..30 (the default of the
#: ``sgd.fig1_medians`` claim). Not reproduced, and reported as such:
#: ReLU k = 4 (the paper's t_c grows 13x from n = 10 to 30; ours at most 9x under any setting tried:
#: (10, 4) is 1.6x the paper and (30, 4) 0.5x at the settings above), and sin k = 2 (2.4-3.1x slower:
#: with PyTorch's small bias init the bias must travel to +-pi/2 to represent an even parity).
REPRODUCED_KS: dict[str, tuple[int, ...]] = {
    "relu-mlp": (2, 3), "xk-mlp": (2, 3, 4), "sin-neuron": (3,), "polynet": (2, 3, 4),
}
assert set(FIG1_MEDIANS) == set(ARCHITECTURES) == set(PANEL_SETTINGS) == set(REPRODUCED_KS)


def _row(arch: str, k: int) -> tuple[int, ...]:
    if arch not in FIG1_MEDIANS:
        raise ValueError(f"arch must be one of {list(FIG1_MEDIANS)}, got {arch!r}")
    if k not in FIG1_MEDIANS[arch]:
        raise ValueError(f"k must be one of {sorted(FIG1_MEDIANS[arch])} for arch={arch!r}, got {k!r}")
    return FIG1_MEDIANS[arch][k]


def paper_median(arch: str, n: int, k: int) -> int:
    """Return the digitised median ``t_c`` of panel ``arch`` at ``(n, k)``."""
    if n not in FIG1_NS:
        raise ValueError(f"n must be one of {list(FIG1_NS)}, got {n!r}")
    return _row(arch, k)[FIG1_NS.index(n)]


def paper_slope(arch: str, k: int, ns: Any = FIG1_NS) -> float:
    """Least-squares slope of ``log t_c`` on ``log n`` through the digitised medians at ``ns``."""
    ns = [int(v) for v in ns]
    if len(set(ns)) < 2 or any(v not in FIG1_NS for v in ns):
        raise ValueError(f"ns must hold two or more distinct values of {list(FIG1_NS)}, got {ns}")
    ly = [math.log(paper_median(arch, v, k)) for v in ns]
    return float(np.polyfit(np.log(ns), ly, 1)[0])
