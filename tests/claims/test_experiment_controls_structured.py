"""Negative controls of the structured-input experiment claims: each must end ``fail``.

Under each control the claim is false, so its verdict through the one engine must be ``fail`` (STYLE.md
example 9).

Controls (parameter ``control`` of each claim; ``size=reduced``, the default seeds):

- ``kernel-as-network`` (``daniely_malach.separation``, ``daniely_malach.mechanism``,
  ``shi_wei_liang.separation``): the NTK ridge predictor takes the network's role. A fixed-feature
  learner at these samples stays near chance on the Daniely–Malach uniform component and near
  0.76 on the pattern model, far below the claimed 0.95, so no seed meets the event and the
  Clopper–Pearson upper end ``1 - (0.45e-3)^(1/m) < 1/2`` gives ``fail``. Fast: no network trains.
- ``structure`` (``shi_wei_liang.no_structure``): the inputs get the pattern structure back, the
  network learns (above 0.95) and random features and the NTK exceed 0.55, so the claim fails.
- ``random-labels`` (all but ``no_structure``) and ``no-structure`` (``shi_wei_liang.separation``):
  fair-coin training labels or unstructured inputs leave the network at chance; these train every
  network, so they run under ``pytest -m slow``.
- ``size=proxy`` with a control: the proxy route checks the first-order signal or the structure on
  the generator, which the control removes, so it fails too (fast).

Statistics: under a control the per-seed event has probability near 0; a ``pass`` would need the
lower Clopper–Pearson end above 1/2 (probability <= 0.45e-3 even if the event had probability 1/2),
and the verdict is ``fail`` as soon as no seed meets the event. Seeds are fixed (0), so the verdicts
are deterministic.
"""

from __future__ import annotations

import pytest

from featurecheck.numerics.checking.engine import verify_claim
from featurecheck.numerics.claims import structured as CS
from featurecheck.theory.claims import Claim

FAST = [
    (CS.DM_SEPARATION, {"control": "kernel-as-network"}),
    (CS.DM_MECHANISM, {"control": "kernel-as-network"}),
    (CS.SWL_SEPARATION, {"control": "kernel-as-network"}),
    (CS.SWL_NO_STRUCTURE, {"control": "structure"}),
    (CS.DM_SEPARATION, {"size": "proxy", "control": "random-labels"}),
    (CS.DM_MECHANISM, {"size": "proxy", "control": "random-labels"}),
    (CS.SWL_SEPARATION, {"size": "proxy", "control": "no-structure"}),
    (CS.SWL_SEPARATION, {"size": "proxy", "control": "random-labels"}),
    (CS.SWL_NO_STRUCTURE, {"size": "proxy", "control": "structure"}),
]
SLOW = [
    (CS.DM_SEPARATION, {"control": "random-labels"}),
    (CS.DM_MECHANISM, {"control": "random-labels"}),
    (CS.SWL_SEPARATION, {"control": "random-labels"}),
    (CS.SWL_SEPARATION, {"control": "no-structure"}),
]


def _id(case: tuple[Claim, dict]) -> str:
    c, p = case
    return c.id + "[" + ",".join(f"{k}={v}" for k, v in p.items()) + "]"


CASES = [pytest.param(c, p, id=_id((c, p))) for c, p in FAST] + [
    pytest.param(c, p, id=_id((c, p)), marks=pytest.mark.slow) for c, p in SLOW]


@pytest.mark.parametrize("claim,params", CASES)
def test_claim_fails_under_its_negative_control(claim: Claim, params: dict) -> None:
    rep = verify_claim(claim, params, seed=0)
    assert rep.results and rep.verdict == "fail", "; ".join(f"{r.route}: {r.verdict} {r.note}" for r in rep.results)


def test_every_experiment_claim_has_a_fast_training_control() -> None:
    trained = {c.id for c, p in FAST if p.get("size", "reduced") != "proxy"}
    assert trained == {"daniely_malach.separation", "daniely_malach.mechanism", "shi_wei_liang.separation",
                       "shi_wei_liang.no_structure"}
    for c, p in FAST + SLOW:
        choices = next(q for q in c.params if q.name == "control").choices
        assert p["control"] in choices and choices[0] == "none"


def test_a_stated_threshold_past_the_measured_accuracies_fails() -> None:
    # perturbed values, judged on the committed per-seed outcomes of seeds 0..m-1 (tests/calibration/structured.json):
    # a network threshold above every measured accuracy (or, for no_structure, an upper bound below every one)
    # leaves no seed meeting the event, so the verdict is fail; the stated value passes on the same outcomes
    import json
    from fractions import Fraction
    from pathlib import Path

    doc = json.loads((Path(__file__).parents[1] / "calibration" / "structured.json").read_text())
    for claim, judge in [(CS.DM_SEPARATION, CS.judge_dm_separation), (CS.SWL_SEPARATION, CS.judge_swl_separation),
                         (CS.SWL_NO_STRUCTURE, CS.judge_swl_no_structure)]:
        rec = doc[claim.id]
        m, n_test, k = rec["seeds_per_claim"], rec["n_test"], int(rec["params"]["k"])
        acc = {meth: v[:m] for meth, v in rec["per_seed"].items()}
        net = acc["network"]
        wrong = Fraction(max(net)) + Fraction(1, 100) if claim is not CS.SWL_NO_STRUCTURE else \
            Fraction(min(net)) - Fraction(1, 100)
        assert judge(acc, Fraction(rec["value"]), k, n_test).passed is True, claim.id
        assert judge(acc, wrong, k, n_test).passed is False, claim.id
    rec = doc["daniely_malach.mechanism"]
    m = rec["seeds_per_claim"]
    easy, plain = rec["per_seed"]["easy"][:m], rec["per_seed"]["plain"][:m]
    assert CS.judge_dm_mechanism(easy, plain, Fraction(rec["value"]), 6).passed is True
    assert CS.judge_dm_mechanism(easy, plain, Fraction(max(easy)) + Fraction(1, 100), 6).passed is False
