"""Negative controls of the single-index experiment claims: a false version must ``fail`` through the engine.

``single_index.exponent`` stated with BGJ's exponent off by one (``exponent-plus-one``: 3 for the
k* = 3 link, the exponent of k* = 4; ``exponent-minus-one``: 1) and ``single_index.order`` with its
links reversed (the exponents claimed to decrease in k*) are false; under each, the bootstrap interval
lies wholly on the wrong side, so the verdict must be ``fail``, not merely ``inconclusive``.

Statistical budget: the claims test at alpha = 1e-3; a false claim passes with probability about
<= 5e-4 per run. Seeds are fixed (S = 0): the runs are deterministic. The controls reuse the default
examples' runs (memoised per seed), so they add only bootstrap time.
"""

from __future__ import annotations

import pytest

from featurecheck.numerics.checking.engine import verify_claim
from featurecheck.numerics.claims import single_index  # noqa: F401  (registers the claims)
from featurecheck.theory.claims import REGISTRY

EXPONENT = REGISTRY.get("single_index.exponent")
ORDER = REGISTRY.get("single_index.order")


@pytest.mark.parametrize("control", ["exponent-plus-one", "exponent-minus-one"])
def test_exponent_fails_when_stated_off_by_one(control: str) -> None:
    rep = verify_claim(EXPONENT, {"control": control}, seed=0)
    (res,) = rep.results
    assert rep.verdict == "fail", rep.message()
    lo, hi = res.interval
    assert hi < 2.5 if control == "exponent-plus-one" else lo > 1.5  # the interval is what excludes [v - tol, v + tol]


def test_exponent_of_k1_fails_against_the_k2_exponent() -> None:
    rep = verify_claim(EXPONENT, {"link": "He1", "ds": "16,32,64,128", "seeds": 200, "control": "exponent-plus-one"},
                       seed=0)
    assert rep.verdict == "fail", rep.message()


def test_order_fails_when_reversed() -> None:
    for ex in ORDER.examples:
        rep = verify_claim(ORDER, {**ex, "control": "reversed"}, seed=0)
        assert rep.verdict == "fail", rep.message()


def test_controls_are_documented_parameters() -> None:
    for claim in (EXPONENT, ORDER):
        ctl = next(p for p in claim.params if p.name == "control")
        assert ctl.default == "none" and ctl.doc
        with pytest.raises(ValueError, match="control must be one of"):
            claim.bind({"control": "shuffled"})
    with pytest.raises(ValueError, match="strictly increasing information exponents"):
        ORDER.bind({"links": "He3,He1"})
    with pytest.raises(ValueError, match="ds must hold two or more distinct integers"):
        EXPONENT.bind({"ds": "16"})
