"""Module-level task functions for the executor tests (Dask workers import them by name)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from featurecheck.numerics.experiments.sweep import run_task


def dies_once(settings: Mapping[str, Any], seed: int) -> dict[str, Any]:
    """Run ``run_task``, except that the worker process running seed ``settings["victim"]`` dies the first time.

    A marker file records that it happened.
    """
    marker = str(settings["marker"])
    if seed == settings["victim"] and not os.path.exists(marker):
        with open(marker, "w") as fh:
            fh.write("died")
        os._exit(1)
    return run_task({k: v for k, v in settings.items() if k not in ("marker", "victim")}, seed)
