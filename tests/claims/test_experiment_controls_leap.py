"""Negative controls of the leap experiment claims: under each control the verdict must be ``fail``.

Each control is a wrong statement the claim must reject through the one engine
(:func:`featurecheck.numerics.checking.engine.verify_claim`): random labels (nothing is learned, so no
order), the two pre-training arms swapped, an advantage exponent mis-stated above the truth, and the
staircase and parity swapped. Sizes are reduced to keep the test fast; the same rules and alpha as the
default examples decide. The decoy control of ``leap.curriculum_advantage`` at the default size is
slow (it trains the decoy chain at every n): it runs under ``-m slow`` and in the calibration
(``tests/calibration/leap.json`` records its verdict at every ``--seed S``, ``S = 0..99``).
"""

from __future__ import annotations

import pytest
from common.controls import verdict


def test_saddle_order_fails_on_random_labels() -> None:
    params = {"n": 12, "seeds": 12, "steps": 1000, "every": 100}
    assert verdict("leap.saddle_order", params) == "pass"  # the same size without the control passes
    assert verdict("leap.saddle_order", {**params, "control": "random-labels"}) == "fail"


def test_history_fails_with_swapped_arms() -> None:
    params = {"n": 16, "seeds": 12}
    assert verdict("leap.history", params) == "pass"
    assert verdict("leap.history", {**params, "control": "swap"}) == "fail"


def test_curriculum_advantage_rejects_a_misstated_exponent() -> None:
    # the conjecture's exponent is k - 2 = 1 for k = 3; an advantage growing like n^3 is wrong
    params = {"ns": "10,20", "seeds": 12}
    assert verdict("leap.curriculum_advantage", params, lambda **p: 3.0) == "fail"


@pytest.mark.slow
def test_curriculum_advantage_fails_with_the_decoy_chain() -> None:
    assert verdict("leap.curriculum_advantage", {"control": "decoy"}) == "fail"


def test_scaling_fails_with_swapped_targets() -> None:
    params = {"ns": "10,20", "seeds": 12}
    assert verdict("leap.scaling", {**params, "control": "swap"}) == "fail"
