"""Negative controls of the SGD experiment claims: under each control the verdict must be ``fail``.

Each control is a wrong statement the claim must reject through the one engine
(:func:`featurecheck.numerics.checking.engine.verify_claim`): random labels (nothing to converge to),
medians and exponents mis-stated by a factor of 2 or by +-1, a bound below random search's early
fraction, and the hidden-progress arms swapped. The sizes are reduced to keep the test fast;
the same rule and alpha as the default examples decide.
"""

from __future__ import annotations

from typing import Any

import pytest
from common.controls import verdict


def test_parity_converges_fails_on_random_labels() -> None:
    params = {"n": 20, "k": 3, "seeds": 12, "max_steps": 1000, "p0": "0.5"}
    assert verdict("sgd.parity_converges", params) == "pass"  # the same size without the control passes
    assert verdict("sgd.parity_converges", {**params, "control": "random-labels"}) == "fail"


@pytest.mark.parametrize("factor", [2.0, 0.5])
def test_fig1_medians_fail_when_misstated(factor: float) -> None:
    from featurecheck.numerics.experiments.barak_fig1 import paper_median

    params = {"arch": "relu-mlp", "ns": "10,15", "ks": "2,3", "seeds": 40}

    def wrong(**p: Any) -> dict[str, float]:
        return {f"n={n},k={k}": factor * paper_median("relu-mlp", n, k) for k in (2, 3) for n in (10, 15)}

    assert verdict("sgd.fig1_medians", params, wrong) == "fail"


@pytest.mark.parametrize("shift", [1.0, -1.0])
def test_tc_scaling_rejects_a_misstated_exponent(shift: float) -> None:
    from featurecheck.numerics.experiments.barak_fig1 import paper_slope

    params = {"arch": "relu-mlp", "k": 3, "seeds": 40}
    assert verdict("sgd.tc_scaling", params) == "pass"
    assert verdict("sgd.tc_scaling", params, lambda **p: paper_slope("relu-mlp", 3, (10, 15, 20)) + shift) == "fail"


def test_no_early_success_rejects_random_search() -> None:
    # random search has Pr[T <= median/10] = 1 - 2^{-1/10} = 0.067 (geometric T): a bound of 0.03 is wrong
    # and must fail; the stated bound 0.067 is its exact boundary, which must not pass
    params = {"control": "random-search", "seeds": 3000}
    assert verdict("sgd.no_early_success", params, lambda **p: 0.03) == "fail"
    assert verdict("sgd.no_early_success", params) != "pass"


def test_hidden_progress_fails_with_swapped_arms() -> None:
    assert verdict("sgd.hidden_progress", {"control": "swap-labels"}) == "fail"
