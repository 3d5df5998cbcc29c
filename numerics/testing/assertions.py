"""Calibrated assertions for your own tests: a claim, an estimator or a sampler against a stated value.

:func:`assert_claim` checks a claim at one example (the sequential test of
:mod:`featurecheck.numerics.checking.sequential`); :func:`assert_estimate_matches` and :func:`assert_mean_matches` check one
estimator or sampler with the same sequential schedule and family-wise budget
(:mod:`featurecheck.numerics.checking.budget` gives the false-alarm arithmetic).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

from featurecheck.numerics.checking.budget import Budget
from featurecheck.numerics.checking.engine import Report, show, verify_claim
from featurecheck.numerics.checking.sequential import Look, sequential_test
from featurecheck.numerics.estimators.intervals import sample_mean_estimate
from featurecheck.theory.claims import Claim

__all__ = ["assert_claim", "assert_estimate_matches", "assert_mean_matches"]


def assert_claim(
    claim: Claim,
    params: Mapping[str, Any] | None = None,
    /,
    *,
    budget: Budget | None = None,
    seed: int | None = None,
    salt: int = 0,
    **kw_params: Any,
) -> Report:
    """Assert that ``claim`` holds at the given parameters, at family-wise level ``budget.alpha``.

    Parameters are given as a dict, as keywords, or both (``assert_claim(c, n=31, k=5)``). The verdict
    comes from :func:`featurecheck.numerics.checking.engine.verify_claim`, the same engine as
    ``featurecheck verify``. Raises ``AssertionError`` unless the verdict is ``pass``: a ``fail``
    or an ``inconclusive`` check (the budget did not resolve the value; raise ``budget.seconds`` or
    state the claim's ``rtol``/``atol``). The message shows, per route that did not pass, both sides,
    the interval, the resolution, the sample count, the seed and the ``featurecheck verify ... --seed
    ... --samples ...`` replay command. Returns the :class:`Report` when the claim holds.

    Examples
    --------
    >>> from featurecheck.numerics.claims import load_builtin_claims
    >>> from featurecheck.theory.claims import REGISTRY
    >>> load_builtin_claims()
    >>> assert_claim(REGISTRY.get("majority.coefficient"), n=25, k=1).passed
    True
    >>> from dataclasses import replace
    >>> wrong = replace(REGISTRY.get("majority.coefficient"), id="demo.wrong", value=lambda n, k: 0)
    >>> assert_claim(wrong, n=25, k=1)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    AssertionError: claim demo.wrong[n=25,k=1] is contradicted ...
    """
    merged = dict(params or {})
    merged.update(kw_params)
    rep = verify_claim(claim, merged, budget=budget, seed=seed, salt=salt)
    if not rep.passed:
        raise AssertionError(rep.message())
    return rep


def assert_estimate_matches(
    expected: Any,
    estimator: Callable[[int, int, float], Any],
    *,
    seed: int,
    budget: Budget | None = None,
    kind: str = "interval",
    label: str = "estimate",
    rtol: float = 0.05,
    atol: float = 0.0,
) -> tuple[Look, ...]:
    """Assert ``expected`` agrees with an estimator returning an object with ``value``, ``ci``, ``n_samples``.

    ``estimator(samples, seed, alpha)`` is e.g. ``lambda N, s, a: fourier_coefficient_mc(f, S, N, s, a)``
    or :func:`featurecheck.numerics.estimators.cube.mean_mc`. The sequential schedule and alpha split of ``budget`` apply;
    ``rtol``/``atol`` is the resolution a pass needs. Raises ``AssertionError`` on ``fail`` and on ``inconclusive``.

    Examples
    --------
    >>> from fractions import Fraction
    >>> from featurecheck.numerics.estimators.cube import mean_mc, threshold
    >>> looks = assert_estimate_matches(Fraction(1, 2), lambda N, s, a: mean_mc(threshold(5, 1), N, s, a), seed=1)
    >>> looks[-1].verdict
    'pass'
    """
    def at(N: int, a: float) -> tuple[Any, Any, Any, str]:
        est = estimator(N, seed, a)
        return est.value, est.ci, est.n_samples, getattr(est, "interval", "")

    b = budget or Budget()
    verdict, resolution, looks, note = sequential_test(expected, at, budget=b, kind=kind, rtol=rtol, atol=atol)
    if verdict != "pass":
        lk = looks[-1]
        lo, hi = lk.interval or (math.nan, math.nan)
        raise AssertionError(
            f"{label}: {verdict.upper()}, {resolution}: stated {show(expected)}, measured {show(lk.estimate)} from "
            f"{lk.n_samples} samples, interval [{lo:.10g}, {hi:.10g}] at alpha {lk.alpha:.3g} ({note}), seed {seed}")
    return looks


def assert_mean_matches(
    expected: Any,
    sample: Callable[[int, int], Any],
    *,
    value_range: tuple[float, float],
    seed: int,
    budget: Budget | None = None,
    interval: str = "bernstein",
    kind: str = "interval",
    label: str = "mean",
    rtol: float = 0.05,
    atol: float = 0.0,
) -> tuple[Look, ...]:
    """Assert ``expected == E[X]`` for a plain Python/numba sampler ``sample(samples, seed) -> array of X``.

    The interval is computed by :func:`featurecheck.numerics.estimators.intervals.interval_radius` from the sample mean and
    variance, with ``value_range`` the almost-sure range of ``X`` (Bernstein and Hoeffding need it).

    Examples
    --------
    >>> import numpy as np
    >>> from fractions import Fraction
    >>> draw = lambda N, s: np.random.default_rng(s).integers(0, 2, N)  # fair coin
    >>> _ = assert_mean_matches(Fraction(1, 2), draw, value_range=(0, 1), seed=0)
    """
    def est(N: int, s: int, a: float) -> Any:
        return sample_mean_estimate(sample, N, s, a, value_range=value_range, interval=interval)

    return assert_estimate_matches(expected, est, seed=seed, budget=budget, kind=kind, label=label, rtol=rtol, atol=atol)
