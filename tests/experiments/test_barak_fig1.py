"""Tests of the digitised Barak et al. Fig. 1 table (featurecheck.numerics.experiments.barak_fig1).

The slope is checked against the two-point closed form ``log(t2/t1) / log(n2/n1)`` and a three-point
least-squares slope computed by hand; bad input names the parameter.
"""

from __future__ import annotations

import math

import pytest

from featurecheck.numerics.experiments.barak_fig1 import FIG1_MEDIANS, paper_median, paper_slope


def test_two_point_slope_is_the_log_ratio() -> None:
    for arch, rows in FIG1_MEDIANS.items():
        for k, row in rows.items():
            assert math.isclose(paper_slope(arch, k, (10, 20)), math.log(row[2] / row[0]) / math.log(2), rel_tol=1e-12)


def test_three_point_least_squares_by_hand() -> None:
    # ReLU k = 3 at n = 10, 15, 20: medians 46, 67, 91
    x = [math.log(n) for n in (10, 15, 20)]
    y = [math.log(t) for t in (46, 67, 91)]
    xm, ym = sum(x) / 3, sum(y) / 3
    want = sum((a - xm) * (b - ym) for a, b in zip(x, y, strict=True)) / sum((a - xm) ** 2 for a in x)
    assert math.isclose(paper_slope("relu-mlp", 3, (10, 15, 20)), want, rel_tol=1e-12)
    assert not math.isclose(paper_slope("relu-mlp", 4, (10, 15, 20)), want, rel_tol=0.1)  # another row differs


def test_bad_input() -> None:
    assert paper_median("polynet", 30, 4) == 537
    with pytest.raises(ValueError, match="arch must be one of"):
        paper_median("cnn", 10, 2)
    with pytest.raises(ValueError, match="k must be one of"):
        paper_median("sin-neuron", 10, 4)
    with pytest.raises(ValueError, match="n must be one of"):
        paper_median("relu-mlp", 12, 2)
    with pytest.raises(ValueError, match="two or more distinct"):
        paper_slope("relu-mlp", 2, (10, 10))
