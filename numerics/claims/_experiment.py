"""Shared pieces of the experiment claims (bayes, decomposition, leap, sgd, single_index, spiked).

Examples
--------
>>> int_list("20, 40,80"), claim_alpha(None) == ALPHA, claim_alpha(0.01)
([20, 40, 80], True, 0.01)
"""

from __future__ import annotations

from typing import Any

__all__ = ["ALPHA", "int_list", "claim_alpha"]

#: the false-alarm budget of each experiment claim (each module splits it over its tests)
ALPHA = 1e-3


def int_list(text: Any) -> list[int]:
    """Parse a comma-separated parameter such as ``"20,40,80"`` into integers (empty items skipped)."""
    return [int(v) for v in str(text).split(",") if v.strip()]


def claim_alpha(alpha: float | None) -> float:
    """Return the alpha a route was given, or :data:`ALPHA` when it was given none."""
    return ALPHA if alpha is None else float(alpha)
