"""One contract test over the claim registry (STYLE.md examples 2-3).

Every registered claim is checked at each of its default examples through every applicable route.
Statistical budget: the Monte Carlo routes use alpha = 1e-6 each (empirical Bernstein); with fewer than
100 such checks in the registry, the family-wise false-alarm probability of this module is below 1e-4.
The seed is fixed (0), so the run is deterministic.
"""

from __future__ import annotations

import importlib

import pytest

from featurecheck.numerics.checking.engine import check
from featurecheck.numerics.claims import load_builtin_claims
from featurecheck.theory.claims import REGISTRY, Claim, Route, Rule, register

load_builtin_claims()

CASES = [(c, ex) for c in REGISTRY for ex in c.examples]


@pytest.mark.parametrize("claim,params", CASES, ids=[c.label(c.bind(ex)) for c, ex in CASES])
def test_claim_default_examples_pass(claim: Claim, params: dict) -> None:
    results = check(claim, params, seed=0)
    assert results, "no route ran"
    bad = [(r.route, r.expected, r.estimate, r.interval) for r in results if not r.passed]
    assert not bad, bad


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
