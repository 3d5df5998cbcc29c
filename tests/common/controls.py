"""The verdict of a registered claim at given parameters, optionally with a mis-stated value.

The one helper of the negative-control tests (tests/claims/test_experiment_controls_*.py).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from featurecheck.numerics.checking.engine import verify_claim
from featurecheck.numerics.claims import load_builtin_claims
from featurecheck.theory.claims import REGISTRY


def verdict(claim_id: str, params: dict[str, Any], value: Any = None) -> str:
    """``verify_claim`` at seed 0 of claim ``claim_id`` (its stated value replaced by ``value`` if given)."""
    load_builtin_claims()
    claim = REGISTRY.get(claim_id)
    if value is not None:
        claim = replace(claim, value=value)
    return verify_claim(claim, params, seed=0).verdict
