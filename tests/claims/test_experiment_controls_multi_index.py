"""Negative controls of the multi-index experiment claims: a false version must ``fail`` through the engine.

Each claim is run through :func:`verify_claim` (the one judging path) with a ``control`` that makes
its statement false: angles measured against an independent random subspace, labels independent of
the inputs, or ``n = d`` samples for the effect; and wrong thresholds: an angle threshold below every
angle (the effect side fails) and an error threshold above every random-features error (the control
side fails). Under each, the effect side (or the control side) lies wholly on the wrong
side of the threshold, so the verdict must be ``fail``, not merely ``inconclusive``.

Statistical budget: the claims test at alpha = 1e-3 (1 - 5e-4 order-statistic intervals per side); a
false claim *passes* with probability <= 5e-4 per run, and the controls are far from the threshold
(per-seed angles 70-90 deg against 50; errors about 1 against 0.4), so ``fail`` is the expected
outcome, not a borderline one. Seeds are fixed (S = 0): the run is deterministic. Every control runs
the claim's default 24 seeds at its default size (d = 16).
"""

from __future__ import annotations

import pytest

from featurecheck.numerics.checking.engine import verify_claim
from featurecheck.numerics.claims import gaussian  # noqa: F401  (registers the multi-index claims)
from featurecheck.theory.claims import REGISTRY

RECOVERY = REGISTRY.get("multi_index.subspace_recovery")
KERNEL_VS_NET = REGISTRY.get("multi_index.kernel_vs_network")


@pytest.mark.parametrize("control", ["random-subspace", "random-labels", "few-samples"])
def test_subspace_recovery_fails_under_its_negative_controls(control: str) -> None:
    rep = verify_claim(RECOVERY, {"control": control}, seed=0)
    (res,) = rep.results
    assert rep.verdict == "fail", rep.message()
    assert res.estimate > 50  # the effect's median angle is on the wrong side of the 50 deg threshold


def test_subspace_recovery_fails_with_a_threshold_below_every_angle() -> None:
    # a stated threshold of 5 deg: the effect's interval lies wholly above it (angles of 10+ deg at n = 8 d^2)
    rep = verify_claim(RECOVERY, {"threshold_deg": 5}, seed=0)
    (res,) = rep.results
    assert rep.verdict == "fail", rep.message()
    assert res.interval[0] > 5


@pytest.mark.parametrize("control", ["random-labels", "few-samples"])
def test_kernel_vs_network_fails_under_its_negative_controls(control: str) -> None:
    rep = verify_claim(KERNEL_VS_NET, {"control": control}, seed=0)
    (res,) = rep.results
    assert rep.verdict == "fail", rep.message()
    assert res.estimate > 0.4  # the network's median error is above eps


def test_kernel_vs_network_fails_when_the_random_features_clear_eps() -> None:
    # eps = 0.95 lies above every random-features error: the control side fails while the effect passes
    rep = verify_claim(KERNEL_VS_NET, {"eps": 0.95}, seed=0)
    (res,) = rep.results
    assert rep.verdict == "fail", rep.message()
    assert res.interval[1] < 0.95  # the network side is not what failed


def test_controls_are_documented_parameters() -> None:
    for claim in (RECOVERY, KERNEL_VS_NET):
        ctl = next(p for p in claim.params if p.name == "control")
        assert ctl.default == "none" and ctl.doc
        with pytest.raises(ValueError, match="control must be one of"):
            claim.bind({"control": "shuffled"})
        with pytest.raises(ValueError, match=r"seeds must be an integer in \[12, 200\]"):
            claim.bind({"seeds": 3})
