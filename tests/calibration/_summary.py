"""Committed calibration summaries of the experiment claims.

Every ``test_calibrate_<family>.py`` here is marked ``slow``: it computes, at the claim's default
size, the per-seed outcomes over at least 100 seeds, the success rates the thresholds were
calibrated on, and the verdict ``featurecheck verify <claim> --seed S`` gives for ``S = 0..99``
(a claim with ``m`` seeds at ``--seed S`` uses seeds ``S..S+m-1``, so the verdicts are sliding
windows over the same per-seed outcomes). The summary is committed as ``<family>.json`` beside the
test and cited by the claims; the test checks that it is current (training is bit-reproducible).
``FEATURECHECK_CALIBRATE=write pytest -m slow tests/calibration`` rewrites the summaries.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


def _round(x: Any) -> Any:
    if isinstance(x, float):
        return round(x, 6)
    if isinstance(x, dict):
        return {str(k): _round(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_round(v) for v in x]
    return x


def check_summary(name: str, summary: dict[str, Any]) -> None:
    """Write (``FEATURECHECK_CALIBRATE=write``) or compare with the committed ``<name>.json``."""
    path = HERE / f"{name}.json"
    doc = _round(summary)
    if os.environ.get("FEATURECHECK_CALIBRATE") == "write":
        path.write_text(json.dumps(doc, indent=1, sort_keys=True) + "\n")
        return
    assert path.exists(), f"no committed summary {path.name}; run with FEATURECHECK_CALIBRATE=write"
    assert json.loads(path.read_text()) == doc, f"{path.name} is stale; rerun with FEATURECHECK_CALIBRATE=write"
