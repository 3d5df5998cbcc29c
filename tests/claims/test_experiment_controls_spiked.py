"""Negative controls of ``"spiked.crossover_order"``: a false version must ``fail`` through the engine.

The claim is run through :func:`verify_claim` (the one judging path) with a ``control`` that makes its
statement false: kernel ridge in the network's place (the gap is 0 on every seed, below the stated
``2/3 - 0.15``), and the thresholds stated the wrong way round (the kernel's crossover, about 0.6, lies
far outside the stated band ``[-0.15, 0.15]`` around ``1 - 1/k* = 0``). A tolerance that claims too much
(``tol = 0.0``: a gap of at least the full ``2/3`` at d = 48) must not pass either. Then the parameter
checks: ``k* <= p``, ``tol < 1/k* - 1/p`` (otherwise no ordering is claimed), the documented controls.

Statistical budget: the claim tests at alpha = 1e-3 (1 - 5e-4 order-statistic intervals per test); a
false claim *passes* with probability <= 5e-4 per run, and the controls are far from their bounds
(calibration: tests/calibration/spiked.json, 100 of 100 windows fail under each control), so ``fail``
is the expected outcome, not a borderline one. Seeds are fixed (S = 0): the run is deterministic, and
the per-seed errors are memoised, so the three runs train the 24 seeds once (about 5 s of CPU).
"""

from __future__ import annotations

import pytest

from featurecheck.numerics.checking.engine import verify_claim
from featurecheck.numerics.claims import spiked  # noqa: F401  (registers the claim)
from featurecheck.theory.claims import REGISTRY

ORDER = REGISTRY.get("spiked.crossover_order")


def test_kernel_as_network_fails() -> None:
    rep = verify_claim(ORDER, {"control": "kernel-as-network"}, seed=0)
    (res,) = rep.results
    assert rep.verdict == "fail", rep.message()
    assert res.estimate == 0.0 and tuple(res.interval) == (0.0, 0.0)  # kernel minus kernel on every seed


def test_swapped_thresholds_fail() -> None:
    rep = verify_claim(ORDER, {"control": "swapped-thresholds"}, seed=0)
    (res,) = rep.results
    assert rep.verdict == "fail", rep.message()
    assert res.interval[0] > 0.4  # the gap itself is large and positive: the kernel's band is what fails
    assert "kernel within 0.15 of 0.000 (fail)" in res.note


def test_a_tolerance_of_zero_does_not_pass() -> None:
    # the finite-d crossovers sit below the asymptotic thresholds (gap ~0.6 < 2/3): with no tolerance the
    # stated gap is not seen
    rep = verify_claim(ORDER, {"tol": 0}, seed=0)
    assert rep.verdict != "pass", rep.message()


def test_parameters_are_checked() -> None:
    with pytest.raises(ValueError, match="kstar must be <= p = 2, got 3"):
        ORDER.bind({"kstar": 3, "p": 2})
    with pytest.raises(ValueError, match=r"tol must be < 1/k\* - 1/p = 1/6"):
        ORDER.bind({"kstar": 2, "p": 3, "tol": 0.2})  # a tolerance above the predicted gap 1/6 claims no order
    with pytest.raises(ValueError, match=r"tol must be < 1/k\* - 1/p = 0"):
        ORDER.bind({"kstar": 3, "p": 3, "tol": 0})  # k* = p: no gap predicted, no ordering to claim
    with pytest.raises(ValueError, match=r"seeds must be an integer in \[12, 200\]"):
        ORDER.bind({"seeds": 3})
    ctl = next(p for p in ORDER.params if p.name == "control")
    assert ctl.default == "none" and ctl.doc
    with pytest.raises(ValueError, match="control must be one of"):
        ORDER.bind({"control": "shuffled"})
