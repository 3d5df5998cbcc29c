"""False alarms of the checker on true claims (null hypothesis: every registered claim is true).

Like Hypothesis's ``tests/quality``, this module tests the checker rather than the theory.

1. **Route calibration.** Every statistical route (rule ``interval``/``upper``/``lower`` with an
   ``alpha``) of every registered claim is run with its interval at ``alpha_q = 0.05`` instead of 1e-6,
   so that false alarms are frequent enough to count. Under the null each check fails with probability
   ``<= 0.05``, independently across seeds, so the failure count ``F`` over ``N`` checks is
   stochastically below ``Binomial(N, 0.05)``. A test fails iff ``P(Binomial(N, 0.05) >= F) < 1e-6``, so
   its own false-alarm rate is ``<= 1e-6``. Fast version: each claim's first default example, seeds 1-2.
   Slow version: every example, up to 100 seeds per route (fewer, at least 5, for routes whose single
   call takes more than 0.6 s: ``round(60 s / time of the first call)``).
2. **The adaptive pipeline** (:func:`featurecheck.numerics.checking.engine.verify_claim`: alpha split over routes and
   looks, sequential looks with confirmation) at a family-wise ``alpha = 0.05`` per example, on the
   built-in majority/threshold Monte Carlo claims, many salts (seeds) per example; same binomial test.
   Fast: 6 salts per example. Slow: 200.

Observed rates are printed (run with ``-s``). Empirical-Bernstein intervals are conservative, so the
observed rates are usually far below 0.05: this is a one-sided test (no over-alarming).

Predicate routes (e.g. SGD success-rate tests) decide their own verdict and are not counted here.
"""

from __future__ import annotations

import time
from typing import Any

import pytest
from scipy import stats

from featurecheck.numerics.checking.budget import Budget
from featurecheck.numerics.checking.engine import verify_claim
from featurecheck.numerics.claims import load_builtin_claims
from featurecheck.theory.claims import REGISTRY, Claim, Route

pytestmark = pytest.mark.quality

load_builtin_claims()
ALPHA_Q = 0.05
LEVEL = 1e-6


def _statistical(route: Route) -> bool:
    return route.rule.kind in ("interval", "upper", "lower") and route.rule.alpha is not None


def _cases(all_examples: bool) -> list[tuple[Claim, Route, dict[str, Any]]]:
    out = []
    for c in REGISTRY:
        for ex in (c.examples if all_examples else c.examples[:1]):
            b = c.bind(ex)
            out.extend((c, r, b) for r in c.routes if _statistical(r) and r.applies(b))
    return out


def _binomial_ok(F: int, N: int, p: float = ALPHA_Q) -> tuple[bool, float]:
    pval = float(stats.binom.sf(F - 1, N, p)) if F > 0 else 1.0  # P(Binom(N, p) >= F)
    return pval >= LEVEL, pval


def _route_calibration(all_examples: bool, max_seeds: int, seconds_per_route: float) -> None:
    F = N = 0
    rows = []
    skipped = []
    for c, r, b in _cases(all_examples):
        expected = c.expected(b)
        fails = runs = 0
        n_seeds = max_seeds
        for s in range(1, max_seeds + 1):
            if s > n_seeds:
                break
            t0 = time.perf_counter()
            try:
                ev = r.run(dict(b), samples=None, seed=s, alpha=ALPHA_Q)
            except ValueError as e:  # a route that cannot run at alpha_q is reported, not counted
                skipped.append(f"{c.label(b)}/{r.name}: {e}")
                break
            if s == 1:
                dt = time.perf_counter() - t0
                n_seeds = max(min(max_seeds, 5), min(max_seeds, round(seconds_per_route / max(dt, 1e-9))))
            runs += 1
            fails += not r.rule.judge(expected, ev)
        F += fails
        N += runs
        rows.append(f"{c.label(b)}/{r.name}: {fails}/{runs}")
    ok, pval = _binomial_ok(F, N)
    print(f"\nroute calibration at alpha_q={ALPHA_Q}: {F} false alarms in {N} checks "
          f"(rate {F / max(N, 1):.4f}); P(Binom >= F) = {pval:.3g}")
    print("\n".join(rows))
    if skipped:
        print("skipped:", *skipped, sep="\n  ")
    assert N > 0
    assert ok, f"{F} false alarms in {N} checks at alpha {ALPHA_Q}: P = {pval:.3g} < {LEVEL}"


def test_route_calibration_fast() -> None:
    _route_calibration(all_examples=False, max_seeds=2, seconds_per_route=1.2)


@pytest.mark.slow
def test_route_calibration_many_seeds() -> None:
    _route_calibration(all_examples=True, max_seeds=100, seconds_per_route=60.0)


PIPELINE_CLAIMS = ("majority.coefficient", "threshold.coefficient")
PIPE_BUDGET = Budget(alpha=ALPHA_Q, min_samples=1 << 10, max_samples=1 << 16)


def _pipeline(salts: int) -> None:
    F = N = 0
    for cid in PIPELINE_CLAIMS:
        c = REGISTRY.get(cid)
        mc = [r.name for r in c.routes if _statistical(r)]
        for ex in c.examples:
            for salt in range(1, salts + 1):
                v = verify_claim(c, ex, budget=PIPE_BUDGET, salt=salt, routes=mc)
                N += 1
                F += v.verdict == "fail"
    ok, pval = _binomial_ok(F, N)
    print(f"\nadaptive pipeline at family-wise alpha={ALPHA_Q} per example: {F} false alarms in {N} examples "
          f"(rate {F / N:.4f}); P(Binom >= F) = {pval:.3g}")
    assert ok, f"{F} false alarms in {N} examples: P = {pval:.3g} < {LEVEL}"


def test_adaptive_pipeline_false_alarms_fast() -> None:
    _pipeline(salts=6)


@pytest.mark.slow
def test_adaptive_pipeline_false_alarms_many_salts() -> None:
    _pipeline(salts=200)


# ------------------------------------------------------------------ the default verify over many seeds


def _default_verify(seed: int) -> dict[str, list[str]]:
    """Every registered non-experiment claim at every default example, default budget, one seed."""
    out: dict[str, list[str]] = {"fail": [], "inconclusive": []}
    for c in REGISTRY:
        if c.status == "experiment":
            continue  # trained claims state their own statistics over seeds
        for ex in c.examples:
            rep = verify_claim(c, ex, seed=seed)
            if rep.verdict != "pass":
                out[rep.verdict].append(c.label(rep.params))
    return out


@pytest.mark.slow
def test_default_verify_over_100_seeds_has_no_false_alarm_and_no_inconclusive() -> None:
    """Null: every registered claim is true.

    Each example runs at family-wise alpha 1e-6, so over 100 seeds x about 100 examples a false ``fail``
    has probability <= 1e-2; 0 are expected. An ``inconclusive`` is not a statistical event but a budget
    too small for a default example: 0.
    """
    fails: list[str] = []
    inconclusive: list[str] = []
    for seed in range(100):
        r = _default_verify(seed)
        fails += [f"seed {seed}: {x}" for x in r["fail"]]
        inconclusive += [f"seed {seed}: {x}" for x in r["inconclusive"]]
    print(f"\ndefault verify over 100 seeds: {len(fails)} fail, {len(inconclusive)} inconclusive")
    assert not fails and not inconclusive, (fails[:10], inconclusive[:10])
