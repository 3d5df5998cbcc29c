"""Negative controls of the decomposition experiment claims: a false version must ``fail`` through the engine.

Each claim is run through :func:`verify_claim` (the one judging path) with a control that makes its
statement false: training labels independent of the images (``control=random-labels``: nothing to
learn, the accuracy is at chance), a mis-stated ``k_chance`` (``k = 2``, which end-to-end training
learns in every calibrated seed), and a mis-stated SNR rate (``r0`` above every calibrated seed's
rate). Under each, the tested side lies wholly on the wrong side of its threshold, so the verdict must
be ``fail``, not merely ``inconclusive``.

Statistical budget: the claims test at alpha = 1e-3; a false claim *passes* with probability <= 5e-4
per run, and the controls are far from their thresholds (accuracies about 0.5 against 0.9, about 1.0
against the chance band [0.4, 0.6], rates at most 5.5 against 15; tests/calibration/decomposition.json), so
``fail`` is the expected outcome, not a borderline one. Seeds are fixed (S = 0): the runs are
deterministic. To keep the tests cheap they run 12 seeds (the least for which a pass is possible, so
a fail is still decisive) and small ``k``: the random-label control of ``decomposition.end_to_end``
states ``k_chance = 3`` (the chance side passes either way, the ``k_small`` side fails), that of
``decomposition.intermediate`` ``ks = 2``; the calibration runs the same controls at the default
sizes over 100 windows (100 fail each).
"""

from __future__ import annotations

import pytest

from featurecheck.numerics.checking.engine import verify_claim
from featurecheck.numerics.claims import decomposition  # noqa: F401  (registers the decomposition claims)
from featurecheck.theory.claims import REGISTRY

END_TO_END = REGISTRY.get("decomposition.end_to_end")
INTERMEDIATE = REGISTRY.get("decomposition.intermediate")
SNR_DECAY = REGISTRY.get("decomposition.snr_decay")


def test_end_to_end_fails_on_random_labels() -> None:
    rep = verify_claim(END_TO_END, {"control": "random-labels", "k_chance": 3, "seeds": 12}, seed=0)
    (res,) = rep.results
    assert rep.verdict == "fail", rep.message()
    assert abs(res.estimate["k=2"] - 0.5) < 0.1  # the k_small side is what failed


def test_end_to_end_fails_when_k_chance_is_a_learnable_k() -> None:
    rep = verify_claim(END_TO_END, {"k_small": 1, "k_chance": 2, "seeds": 12}, seed=0)
    (res,) = rep.results
    assert rep.verdict == "fail", rep.message()
    assert res.estimate["k=2"] > 0.9


def test_intermediate_fails_on_random_labels() -> None:
    rep = verify_claim(INTERMEDIATE, {"control": "random-labels", "ks": "2"}, seed=0)
    (res,) = rep.results
    assert rep.verdict == "fail", rep.message()
    assert abs(res.estimate["k=2"] - 0.5) < 0.1


def test_snr_decay_fails_with_a_misstated_rate() -> None:
    rep = verify_claim(SNR_DECAY, {"r0": 15}, seed=0)
    (res,) = rep.results
    assert rep.verdict == "fail", rep.message()
    assert res.interval[1] < 15


def test_controls_are_documented_parameters() -> None:
    for claim in (END_TO_END, INTERMEDIATE):
        ctl = next(p for p in claim.params if p.name == "control")
        assert ctl.default == "none" and ctl.doc
        with pytest.raises(ValueError, match="control must be one of"):
            claim.bind({"control": "shuffled"})
    with pytest.raises(ValueError, match=r"seeds must be an integer in \[12, 1000\]"):
        END_TO_END.bind({"seeds": 3})
    with pytest.raises(ValueError, match="k_small must be < k_chance"):
        END_TO_END.bind({"k_small": 8, "k_chance": 8})
    with pytest.raises(ValueError, match="ks must be one or two"):
        INTERMEDIATE.bind({"ks": "2,4,8"})
