"""Reusable numeric routes for claims on the Boolean cube.

``enumeration_route`` and ``mc_route`` turn a builder ``params -> (CubeFunction, S)`` into a
:class:`featurecheck.theory.claims.Route`: exact enumeration with an exact-equality rule, or Monte Carlo with an
interval rule at the stated ``alpha``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from featurecheck.numerics.estimators.cube import (
    MAX_ENUM_N,
    CubeFunction,
    fourier_coefficient_exact,
    fourier_coefficient_mc,
)
from featurecheck.numerics.estimators.intervals import DEFAULT_ALPHA
from featurecheck.theory.claims import Evidence, Route, Rule

__all__ = ["enumeration_route", "mc_route", "DEFAULT_SAMPLES", "DEFAULT_ALPHA", "MAX_ENUM_N"]

DEFAULT_SAMPLES = 1 << 22

Builder = Callable[[Mapping[str, Any]], tuple[CubeFunction, Iterable[int]]]


def enumeration_route(build: Builder, max_n: int = MAX_ENUM_N, name: str = "enumeration") -> Route:
    """Exact enumeration of ``hat f(S)`` over all ``2^n`` points, for ``n <= max_n``."""

    def run(p: Mapping[str, Any], *, samples: int | None = None, seed: int = 0, alpha: float | None = None) -> Evidence:
        f, S = build(p)
        return Evidence(fourier_coefficient_exact(f, S), note=f"exact sum over 2^{f.n} points")

    return Route(name, run, Rule.exact(), applies=lambda p: int(p["n"]) <= max_n,
                 applies_doc=f"n <= {max_n}")


def mc_route(
    build: Builder,
    alpha: float = DEFAULT_ALPHA,
    default_samples: int = DEFAULT_SAMPLES,
    interval: str = "bernstein",
    name: str = "monte-carlo",
) -> Route:
    """Monte Carlo ``hat f(S)`` with a two-sided ``1 - alpha`` empirical-Bernstein interval."""

    def run(p: Mapping[str, Any], *, samples: int | None = None, seed: int = 0, alpha: float | None = alpha) -> Evidence:
        f, S = build(p)
        est = fourier_coefficient_mc(f, S, samples=samples or default_samples, seed=seed,
                                     alpha=alpha if alpha is not None else DEFAULT_ALPHA, interval=interval)
        return Evidence(est.value, est.ci, est.n_samples,
                        note=f"{interval} interval, alpha={est.alpha:g}, seed={seed}")

    return Route(name, run, Rule.interval(alpha, f"value in the {interval} 1-alpha interval, alpha={alpha:g}"),
                 applies_doc="any n <= 4096")
