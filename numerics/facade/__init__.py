"""featurecheck: check theorems of feature-learning theory, exactly and with calibrated Monte Carlo.

This is the public API in one place. The source folder ``numerics/facade/`` is installed as the
top-level package ``featurecheck``; the folders ``theory/`` and ``numerics/`` are installed as
:mod:`featurecheck.theory` (exact and symbolic) and :mod:`featurecheck.numerics` (kernels,
estimators, the checker, experiments, claims, the CLI). Names load on first use, so
``import featurecheck`` does not start numba.

Examples
--------
>>> import featurecheck as fc
>>> fc.fourier_coefficient_exact(fc.majority(5), [0, 1, 2])
Fraction(-1, 8)
>>> fc.load_builtin_claims()
>>> fc.check(fc.REGISTRY.get("majority.coefficient"), {"n": 7, "k": 3}, routes=["enumeration"])[0].passed
True
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if __name__ != "featurecheck":  # pragma: no cover  (an editable install can reach this folder by path)
    raise ImportError(f"import the public API as `featurecheck`, not as {__name__!r}")

from featurecheck.numerics.experiments.store import featurecheck_version

__version__ = featurecheck_version()

_THEORY = "featurecheck.theory"
_NUM = "featurecheck.numerics"

#: public name -> the module that defines it (a trailing ":" exports the module itself)
_EXPORTS: dict[str, str] = {
    # claims as data
    "Claim": f"{_THEORY}.claims",
    "Param": f"{_THEORY}.claims",
    "Route": f"{_THEORY}.claims",
    "Rule": f"{_THEORY}.claims",
    "Evidence": f"{_THEORY}.claims",
    "REGISTRY": f"{_THEORY}.claims",
    "register": f"{_THEORY}.claims",
    # cube functions and estimators
    "CubeFunction": f"{_NUM}.estimators.cube",
    "majority": f"{_NUM}.estimators.cube",
    "threshold": f"{_NUM}.estimators.cube",
    "parity": f"{_NUM}.estimators.cube",
    "constant": f"{_NUM}.estimators.cube",
    "mean_exact": f"{_NUM}.estimators.cube",
    "mean_mc": f"{_NUM}.estimators.cube",
    "fourier_coefficient_exact": f"{_NUM}.estimators.cube",
    "fourier_coefficient_mc": f"{_NUM}.estimators.cube",
    "fourier_coefficient_symmetric": f"{_NUM}.estimators.cube",
    "mean_symmetric": f"{_NUM}.estimators.cube",
    "spectrum": f"{_NUM}.estimators.walsh",
    # any Boolean function, exactly (truth table, expression, LTF, callable)
    "BooleanFunction": f"{_NUM}.estimators.boolean_function",
    "from_table": f"{_NUM}.estimators.boolean_function",
    "from_bits": f"{_NUM}.estimators.boolean_function",
    "from_hex": f"{_NUM}.estimators.boolean_function",
    "from_expression": f"{_NUM}.estimators.boolean_function",
    "from_callable": f"{_NUM}.estimators.boolean_function",
    "ltf": f"{_NUM}.estimators.boolean_function",
    "fwht": f"{_NUM}.estimators.walsh",
    "Estimate": f"{_NUM}.estimators.intervals",
    # the checker
    "check": f"{_NUM}.checking.engine",
    "CheckResult": f"{_NUM}.checking.engine",
    "enumeration_route": f"{_NUM}.checking.routes",
    "mc_route": f"{_NUM}.checking.routes",
    "symmetric_route": f"{_NUM}.checking.routes",
    "Budget": f"{_NUM}.checking.budget",
    "verify_claim": f"{_NUM}.checking.engine",
    "Report": f"{_NUM}.checking.engine",
    "reproduce_command": f"{_NUM}.checking.replay",
    "load_builtin_claims": f"{_NUM}.claims",
    "resolve": f"{_NUM}.claims",
    # testing your own claims
    "claim": f"{_NUM}.testing.user",
    "cube_points": f"{_NUM}.testing.user",
    "estimator_route": f"{_NUM}.testing.user",
    "sympy_value": f"{_NUM}.testing.user",
    "assert_claim": f"{_NUM}.testing.assertions",
    "assert_estimate_matches": f"{_NUM}.testing.assertions",
    "assert_mean_matches": f"{_NUM}.testing.assertions",
    "property_test": f"{_NUM}.testing.properties",
    "strategies": f"{_NUM}.testing.strategies:",
}

__all__ = sorted([*_EXPORTS, "__version__"])

if TYPE_CHECKING:  # the same names, for type checkers and IDEs
    from featurecheck.numerics.checking.budget import Budget
    from featurecheck.numerics.checking.engine import CheckResult, Report, check, verify_claim
    from featurecheck.numerics.checking.replay import reproduce_command
    from featurecheck.numerics.checking.routes import enumeration_route, mc_route, symmetric_route
    from featurecheck.numerics.claims import load_builtin_claims, resolve
    from featurecheck.numerics.estimators.cube import (
        CubeFunction,
        constant,
        fourier_coefficient_exact,
        fourier_coefficient_mc,
        fourier_coefficient_symmetric,
        majority,
        mean_exact,
        mean_mc,
        mean_symmetric,
        parity,
        threshold,
    )
    from featurecheck.numerics.estimators.intervals import Estimate
    from featurecheck.numerics.estimators.walsh import fwht, spectrum
    from featurecheck.numerics.testing import strategies
    from featurecheck.numerics.testing.assertions import assert_claim, assert_estimate_matches, assert_mean_matches
    from featurecheck.numerics.testing.properties import property_test
    from featurecheck.numerics.testing.user import claim, cube_points, estimator_route, sympy_value
    from featurecheck.theory.claims import REGISTRY, Claim, Evidence, Param, Route, Rule, register


def __getattr__(name: str) -> Any:
    where = _EXPORTS.get(name)
    if where is None:
        raise AttributeError(f"module 'featurecheck' has no attribute {name!r}")
    if where.endswith(":"):
        value = importlib.import_module(where[:-1])
    else:
        value = getattr(importlib.import_module(where), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


def _check_exports() -> None:
    """Assert that every public name resolves, and to an object defined where the table says.

    In the spirit of Hypothesis's ``strategies._check_exports``: the export list is exactly the table
    (plus ``__version__``), and each exported function or class was defined in its table module, so a
    name cannot silently re-export something else.

    Examples
    --------
    >>> _check_exports()
    """
    assert __all__ == sorted([*_EXPORTS, "__version__"]), "__all__ differs from the export table"
    for name, where in _EXPORTS.items():
        value = __getattr__(name)
        if where.endswith(":"):
            assert getattr(value, "__name__", None) == where[:-1], (name, where)
        elif isinstance(value, type) or callable(value) and hasattr(value, "__module__"):
            defined = getattr(value, "__module__", where)
            assert defined == where, f"featurecheck.{name} comes from {defined}, the table says {where}"
