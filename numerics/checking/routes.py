"""Reusable numeric routes for claims on the Boolean cube.

``enumeration_route``, ``symmetric_route`` and ``mc_route`` turn a builder ``params -> (CubeFunction, S)``
into a :class:`featurecheck.theory.claims.Route`: exact enumeration (``n <= 30``) or the exact sum over
Hamming weights (any ``n``) with an exact-equality rule, or Monte Carlo (``n <= 4096``) with an interval
rule at the stated ``alpha``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from featurecheck.numerics.estimators.cube import (
    MAX_ENUM_N,
    MAX_MC_N,
    CubeFunction,
    fourier_coefficient_exact,
    fourier_coefficient_mc,
    fourier_coefficient_symmetric,
    symmetric_cost,
)
from featurecheck.numerics.estimators.intervals import DEFAULT_ALPHA
from featurecheck.theory.claims import Evidence, Route, Rule

__all__ = [
    "enumeration_route",
    "symmetric_route",
    "mc_route",
    "DEFAULT_SAMPLES",
    "DEFAULT_ALPHA",
    "MAX_ENUM_N",
    "MAX_MC_N",
    "MAX_WEIGHT_SUM_COST",
]

DEFAULT_SAMPLES = 1 << 22
MAX_WEIGHT_SUM_COST = 2 * 10**7  # Python-int inner sums (about a second); numpy ones are free

Builder = Callable[[Mapping[str, Any]], tuple[CubeFunction, Iterable[int]]]


def enumeration_route(build: Builder, max_n: int = MAX_ENUM_N, name: str = "enumeration") -> Route:
    """Exact enumeration of ``hat f(S)`` over all ``2^n`` points, for ``n <= max_n``."""

    def run(p: Mapping[str, Any], *, samples: int | None = None, seed: int = 0, alpha: float | None = None) -> Evidence:
        f, S = build(p)
        return Evidence(fourier_coefficient_exact(f, S), note=f"exact sum over 2^{f.n} points")

    return Route(name, run, Rule.exact(), applies=lambda p: int(p["n"]) <= max_n,
                 applies_doc=f"n <= {max_n}")


def symmetric_route(build: Builder, max_cost: int = MAX_WEIGHT_SUM_COST, name: str = "weight-sum") -> Route:
    """Exact ``hat f(S)`` at any ``n`` by the sum over Hamming weights (no enumeration, no closed form).

    Every :class:`~featurecheck.numerics.estimators.cube.CubeFunction` is a symmetric function of the
    coordinates it thresholds (after its sign flips) times a parity, so the route applies to each one, at
    any ``n``, unless the level is far from both ends with a large ``n``: it applies when
    ``min(k, n - k) <= 56`` or ``n min(k, n - k) <= max_cost``
    (:func:`featurecheck.numerics.estimators.cube.symmetric_cost`).

    Examples
    --------
    >>> from featurecheck.numerics.estimators.cube import majority
    >>> r = symmetric_route(lambda p: (majority(p["n"]), range(p["k"])))
    >>> r.run({"n": 100001, "k": 3}).estimate < 0, r.rule.kind, r.applies({"n": 10**6 + 1, "k": 5})
    (True, 'exact', True)
    """

    def cost(p: Mapping[str, Any]) -> int:
        f, S = build(p)
        return symmetric_cost(f, S)

    def run(p: Mapping[str, Any], *, samples: int | None = None, seed: int = 0, alpha: float | None = None) -> Evidence:
        f, S = build(p)
        return Evidence(fourier_coefficient_symmetric(f, S),
                        note=f"exact sum over the {f.n + 1} Hamming weights (Krawtchouk), n={f.n}")

    return Route(name, run, Rule.exact(), applies=lambda p: cost(p) <= max_cost,
                 applies_doc=f"any n when min(k, n-k) <= 56, else n min(k, n-k) <= {max_cost:.0e}")


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
                 applies=lambda p: build(p)[0].n <= MAX_MC_N, applies_doc=f"n <= {MAX_MC_N}")
