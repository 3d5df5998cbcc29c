"""Built-in claims, and the loader that finds every claim.

Every submodule registers its claims in ``featurecheck.theory.claims.REGISTRY`` on import and lists
them in a module-level ``CLAIMS`` tuple. :func:`load_builtin_claims` imports them all (auto-discovery,
so a new claim module needs no edit here), then loads claims contributed by installed packages
through the entry-point group ``featurecheck.claims``. Importing this package alone loads nothing,
so the CLI starts without numba. :func:`resolve` turns a claim id or ``module:attr`` into claims.

Layer 5: may import :mod:`featurecheck.numerics.checking` and every layer below it, and
:mod:`featurecheck.theory`.
"""

from __future__ import annotations

import importlib
import pkgutil
from importlib import metadata
from typing import Any

from featurecheck.theory.claims import REGISTRY, Claim, Registry

__all__ = ["MODULES", "all_claims", "load_builtin_claims", "resolve"]

#: The built-in claim modules, filled by :func:`load_builtin_claims`.
MODULES: list[str] = []


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


def all_claims() -> list[Claim]:
    """Every registered claim (built-in ones loaded first), sorted by id."""
    load_builtin_claims()
    return list(REGISTRY)


_LOADED = False


def load_builtin_claims() -> None:
    """Import every module of this package (each registers its claims), then the entry points."""
    global _LOADED
    if _LOADED:
        return
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if not info.name.startswith("_"):
            importlib.import_module(f"{__name__}.{info.name}")
            MODULES.append(info.name)
    _load_entry_points()
    _LOADED = True


def resolve(spec: str, registry: Registry = REGISTRY) -> list[Claim]:
    """Resolve a claim id, ``module:attr`` (a Claim or a list of Claims) or ``module`` (all Claims).

    Raises ValueError with one clear line when the id is unknown or the module does not import.
    """
    load_builtin_claims()
    if ":" in spec:
        mod_name, attr = spec.split(":", 1)
        mod = _import(mod_name)
        try:
            obj = getattr(mod, attr)
        except AttributeError:
            raise ValueError(f"module {mod_name!r} has no attribute {attr!r}") from None
        return _claims_of(obj, spec)
    if spec in registry:
        return [registry.get(spec)]
    if "." in spec or spec.isidentifier():
        # a bare id that is not registered: maybe a module path
        try:
            mod = importlib.import_module(spec)
        except Exception:
            raise ValueError(
                f"unknown claim id {spec!r} (see `featurecheck list`), and no importable module of that "
                "name (is it on PYTHONPATH?)"
            ) from None
        found = [v for v in vars(mod).values() if isinstance(v, Claim)]
        if not found:
            raise ValueError(f"module {spec!r} defines no Claim objects")
        return found
    return [registry.get(spec)]


def _import(mod_name: str) -> Any:
    try:
        return importlib.import_module(mod_name)
    except Exception as e:  # any import failure is a user error here
        raise ValueError(f"cannot import module {mod_name!r}: {type(e).__name__}: {e}") from None


def _claims_of(obj: Any, spec: str) -> list[Claim]:
    if isinstance(obj, Claim):
        return [obj]
    if isinstance(obj, (list, tuple)) and obj and all(isinstance(c, Claim) for c in obj):
        return list(obj)
    raise ValueError(f"{spec} is not a Claim (got {type(obj).__name__})")
