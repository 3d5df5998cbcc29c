"""One contract test over the claim registry (STYLE.md examples 2-3): every claim passes, and can fail.

Every registered claim except the experiment claims (see ``NUMERIC_CASES``) is checked at each of its
default examples through every applicable route, by the one engine with the default budget: the
example's verdict must be ``pass`` and no route may fail.
Then its stated value is perturbed (sign flip, a factor ``1 +- 2 rtol``, ``+-1`` on integers, a shifted
limit for asymptotic values) and the verdict must never be ``pass``: every claim can fail.

Statistical budget: each example runs at family-wise alpha 1e-6 (the engine spends it over routes and
looks); with about 100 default examples the false-alarm probability of the first test is below 1e-4.
A perturbed value is wrong, so a ``pass`` there is a real miss, not a false alarm. The seed is fixed
(0), so the run is deterministic.
"""

from __future__ import annotations

import importlib
from dataclasses import replace
from fractions import Fraction
from typing import Any

import pytest
import sympy as sp

from featurecheck.numerics.checking.engine import verify_claim
from featurecheck.numerics.claims import load_builtin_claims
from featurecheck.theory.claims import REGISTRY, Claim, Route, Rule, register

load_builtin_claims()

CASES = [(c, ex) for c in REGISTRY for ex in c.examples]
#: Experiment claims (status ``experiment``) state thresholds, tables and sentences judged by their own
#: statistical model; each has explicit negative controls in ``tests/claims/test_experiment_controls_*.py``
#: instead of the generic perturbations (see :func:`test_every_experiment_claim_has_a_negative_control`).
EXPERIMENTS = {c.id for c in REGISTRY if c.status == "experiment"}
# experiment claims train networks: their default examples run once in CI, in `featurecheck verify` (the
# README's main job, same seed 0), their thresholds in tests/calibration (slow) and their negative
# controls in tests/claims/test_experiment_controls_*.py; here they would only run a second time
NUMERIC_CASES = [(c, ex) for c, ex in CASES if c.id not in EXPERIMENTS]
IDS = [c.label(c.bind(ex)) for c, ex in NUMERIC_CASES]


@pytest.mark.parametrize("claim,params", NUMERIC_CASES, ids=IDS)
def test_claim_default_examples_pass(claim: Claim, params: dict) -> None:
    rep = verify_claim(claim, params, seed=0)
    assert rep.results, "no route ran"
    assert rep.verdict == "pass" and not rep.failures, rep.message()


def perturbations(value: Any, rtol: float) -> list[tuple[str, Any]]:
    """Wrong versions of a stated value: sign flipped, off by a factor 1 +- 2 rtol, +-1 on integers."""
    if isinstance(value, bool) or isinstance(value, str):
        return []
    out: list[tuple[str, Any]] = []
    if isinstance(value, (int, Fraction, float)) or (isinstance(value, sp.Basic) and value.is_number):
        v = value
        if v != 0:
            out.append(("sign", -v))
        up, down = (Fraction(1) + Fraction(2 * rtol).limit_denominator(10**6),
                    Fraction(1) - Fraction(2 * rtol).limit_denominator(10**6))
        if isinstance(v, float):
            up, down = float(up), float(down)
        elif isinstance(v, sp.Basic):
            up, down = sp.Rational(up.numerator, up.denominator), sp.Rational(down.numerator, down.denominator)
        if v != 0:
            out += [("factor-up", v * up), ("factor-down", v * down)]
        if isinstance(v, int) or (isinstance(v, Fraction) and v.denominator == 1) or (isinstance(v, sp.Basic) and v.is_Integer):
            out += [("plus-one", v + 1), ("minus-one", v - 1)]
        elif v == 0:
            out += [("shift", Fraction(1, 10) if not isinstance(v, float) else 0.1)]
    return out


def bound_like(claim: Claim) -> bool:
    """Return whether ``claim`` is a bound or a threshold (all its routes are upper, lower or predicate).

    For those a looser value is still true, so only a value past the truth is wrong.
    """
    return all(r.rule.kind in ("upper", "lower", "predicate") for r in claim.routes)


def past_the_truth(claim: Claim, params: dict) -> list[tuple[str, float]]:
    """Return ``(label, value)`` pairs just beyond what the routes measure.

    Below it for an upper bound, above it for a lower bound, both for a threshold predicate (one of the
    two is wrong).
    """
    rep = verify_claim(claim, params, seed=0)
    r = next(r for r in rep.results if isinstance(r.estimate, (int, float, Fraction)))
    q = float(r.estimate)
    half = 0.0 if r.interval is None else (float(r.interval[1]) - float(r.interval[0])) / 2
    step = max(2 * claim.rtol * abs(q), 4 * half, claim.atol * 2) or 0.1
    kinds = {route.rule.kind for route in claim.routes}
    if kinds == {"upper"}:
        return [("below-measured", q - step)]
    if kinds == {"lower"}:
        return [("above-measured", q + step)]
    return [("below-measured", q - step), ("above-measured", q + step)]


#: claims whose stated value is a sentence, not a number
UNPERTURBABLE = {c.id for c, ex in CASES if isinstance(c.expected(c.bind(ex)), str)} - EXPERIMENTS

PCASES = [pytest.param(c, ex, name, wrong, id=f"{c.label(c.bind(ex))}-{name}")
          for c, ex in CASES if not bound_like(c) and c.id not in EXPERIMENTS
          for name, wrong in perturbations(c.expected(c.bind(ex)), c.rtol)]
BCASES = [pytest.param(c, ex, id=c.label(c.bind(ex)))
          for c, ex in CASES if bound_like(c) and c.id not in UNPERTURBABLE | EXPERIMENTS]


@pytest.mark.parametrize("claim,params,name,wrong", PCASES)
def test_a_perturbed_claim_never_passes(claim: Claim, params: dict, name: str, wrong: Any) -> None:
    bad = replace(claim, id=f"perturbed.{claim.id}", value=lambda **_: wrong)
    rep = verify_claim(bad, params, seed=0)
    assert rep.verdict != "pass", rep.message() + "\n" + "; ".join(f"{r.route}: {r.verdict} {r.resolution}" for r in rep.results)


@pytest.mark.parametrize("claim,params", BCASES)
def test_a_bound_past_the_truth_never_passes(claim: Claim, params: dict) -> None:
    verdicts = []
    for name, wrong in past_the_truth(claim, params):
        bad = replace(claim, id=f"perturbed.{claim.id}", value=lambda _w=wrong, **_: _w)
        verdicts.append((name, verify_claim(bad, params, seed=0).verdict))
    assert any(v != "pass" for _, v in verdicts), verdicts


def test_every_numeric_claim_is_perturbed() -> None:
    assert UNPERTURBABLE == set(), UNPERTURBABLE


def test_every_experiment_claim_has_a_negative_control() -> None:
    from pathlib import Path

    text = "".join(p.read_text() for p in Path(__file__).parent.glob("test_experiment_controls_*.py"))
    missing = sorted(cid for cid in EXPERIMENTS if f'"{cid}"' not in text)
    assert not missing, f"experiment claims without a negative-control test: {missing}"


def test_registry_guard_every_claim_has_numeric_route_and_source() -> None:
    assert len(REGISTRY) >= 8
    for c in REGISTRY:
        assert c.routes, c.id
        assert c.source.strip(), c.id
        assert c.examples, c.id


def test_export_lists_match_registry() -> None:
    import featurecheck.numerics.claims as pkg

    exported = set()
    for name in pkg.MODULES:
        mod = importlib.import_module(f"featurecheck.numerics.claims.{name}")
        exported |= {c.id for c in mod.CLAIMS}
    # no other module registers into the global registry (user claims default to register=False)
    assert exported == set(REGISTRY.ids())


def test_duplicate_id_rejected() -> None:
    c = next(iter(REGISTRY))
    clone = Claim(id=c.id, statement="x", source="y", params=(), value=lambda: 0,
                  routes=(Route("r", lambda p, **k: None, Rule.exact()),))
    with pytest.raises(ValueError, match="duplicate claim id"):
        register(clone)


def test_claim_without_route_rejected() -> None:
    with pytest.raises(ValueError, match="no numeric route"):
        Claim(id="x.y", statement="s", source="s", params=(), value=lambda: 0, routes=())
