"""``featurecheck experiment NAME``: sub-experiments discovered from ``numerics/cli/experiment_*.py``.

Each such module defines ``register(subparsers)`` adding one experiment.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any


def register(sub: Any) -> None:
    """Add ``featurecheck experiment`` to the subparsers ``sub``, one sub-experiment per ``experiment_*`` module."""
    p = sub.add_parser("experiment", help="run a reproducible experiment (SGD, structured inputs, ...)")
    es = p.add_subparsers(dest="experiment", metavar="EXPERIMENT")
    es.required = True
    pkg = importlib.import_module("featurecheck.numerics.cli")
    for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda m: m.name):
        if info.name.startswith("experiment_"):
            importlib.import_module(f"featurecheck.numerics.cli.{info.name}").register(es)
