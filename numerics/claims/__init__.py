"""Built-in claims. Every submodule registers its claims in ``theory.claims.REGISTRY`` on import and
lists them in a module-level ``CLAIMS`` tuple; this package imports them all (auto-discovery, so a
new claim module needs no edit here), then loads claims contributed by installed packages through
the entry-point group ``featurecheck.claims``.
"""

from __future__ import annotations

import importlib
import pkgutil
from importlib import metadata

from theory.claims import REGISTRY, Claim

__all__ = ["MODULES", "all_claims"]

MODULES: list[str] = []

for _info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
    if _info.name.startswith("_"):
        continue
    importlib.import_module(f"{__name__}.{_info.name}")
    MODULES.append(_info.name)


def _load_entry_points() -> None:
    try:
        eps = metadata.entry_points(group="featurecheck.claims")
    except TypeError:  # pragma: no cover
        eps = metadata.entry_points().get("featurecheck.claims", [])  # type: ignore[attr-defined,arg-type]  # pre-3.10 dict API
    for ep in eps:
        obj = ep.load()
        items = obj if isinstance(obj, (list, tuple)) else [obj]
        for c in items:
            if isinstance(c, Claim) and c.id not in REGISTRY:
                REGISTRY.register(c)


_load_entry_points()


def all_claims() -> list[Claim]:
    """Every registered claim, sorted by id."""
    return list(REGISTRY)
