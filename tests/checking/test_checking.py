"""The checking engine and its rules reject wrong values (negative controls, STYLE.md example 9).

Statistical budget: 6 Monte Carlo checks below run at alpha = 1e-6 each (empirical Bernstein,
two-sided), 4M samples, fixed seeds. The negative controls are designed so that the wrong value lies
at least 5 interval radii from the truth; the probability that a control wrongly passes is below 1e-6
each. The family-wise false-alarm rate of the passing (true) checks is at most 6e-6.
"""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

import pytest

from featurecheck.numerics.checking.engine import check, jsonable
from featurecheck.numerics.claims import load_builtin_claims, resolve
from featurecheck.theory.claims import REGISTRY, Evidence, Rule

load_builtin_claims()
MAJ = REGISTRY.get("majority.coefficient")
THR = REGISTRY.get("threshold.coefficient")


def _wrong(claim, transform):
    return replace(claim, id=claim.id + ".wrong", value=lambda **p: transform(claim.value(**p), p))


@pytest.mark.parametrize("route", ["enumeration", "monte-carlo"])
@pytest.mark.parametrize("name,transform", [
    ("sign", lambda v, p: -v),
    ("factor-1.05", lambda v, p: v * Fraction(105, 100)),
    ("next-level", lambda v, p: MAJ.value(n=p["n"], k=p["k"] + 2)),
])
def test_majority_wrong_variants_rejected(route: str, name: str, transform) -> None:
    params = {"n": 9, "k": 1}  # hat Maj_9(1) = 35/128 ~ 0.27: well resolved by 4M samples
    assert check(MAJ, params, routes=[route])[0].passed
    bad = check(_wrong(MAJ, transform), params, routes=[route])
    assert not bad[0].passed, (name, route, bad[0])


@pytest.mark.parametrize("route", ["enumeration", "monte-carlo"])
def test_threshold_off_by_one_theta_rejected(route: str) -> None:
    params = {"n": 12, "theta": 2, "k": 1}
    wrong = replace(THR, id="thr.wrong", value=lambda n, theta, k: THR.value(n=n, theta=theta + 2, k=k))
    assert check(THR, params, routes=[route])[0].passed
    assert not check(wrong, params, routes=[route])[0].passed


def test_rule_semantics() -> None:
    ev = Evidence(0.5, (0.4, 0.6))
    assert Rule.interval().judge(Fraction(1, 2), ev)
    assert not Rule.interval().judge(Fraction(7, 10), ev)
    assert Rule.upper().judge(Fraction(1, 2), ev) and not Rule.upper().judge(Fraction(3, 10), ev)
    assert Rule.lower().judge(Fraction(1, 2), ev) and not Rule.lower().judge(Fraction(7, 10), ev)
    assert Rule.exact().judge(Fraction(1, 3), Evidence(Fraction(1, 3)))
    assert not Rule.exact().judge(Fraction(1, 3), Evidence(1 / 3))  # a float is never exact
    assert Rule.close(1e-9).judge(0.1, Evidence(0.1 + 1e-12))
    assert not Rule.close(1e-9).judge(0.1, Evidence(0.1 + 1e-6))
    with pytest.raises(ValueError, match="predicate"):
        Rule.predicate("x").judge(0, Evidence(0))


def test_sympy_limit_route_rejects_wrong_constant() -> None:
    claim = REGISTRY.get("majority.level_weight_limit")
    wrong = replace(claim, id="lim.wrong", value=lambda k: 2 * claim.value(k=k))  # missing factor 2
    res = {r.route: r.passed for r in check(wrong, {"k": 1})}
    assert res == {"sympy-limit": False, "exact-sequence": False, "weight-sum-sequence": False}


def test_decay_rate_route_rejects_wrong_exponent() -> None:
    # constant right but the claimed exponent off by one: n^{-(k+1)/2} gives limit 0
    claim = REGISTRY.get("majority.coefficient_decay")
    wrong = replace(claim, id="decay.wrong", value=lambda k: claim.value(k=k) * 0)
    assert not any(r.passed for r in check(wrong, {"k": 1}))


def test_bind_errors_name_parameter() -> None:
    with pytest.raises(ValueError, match="n must be an odd integer"):
        MAJ.bind({"n": 8, "k": 1})
    with pytest.raises(ValueError, match="k must be in"):
        MAJ.bind({"n": 7, "k": 9})
    with pytest.raises(ValueError, match="no parameter 'm'"):
        MAJ.bind({"m": 3})


def test_resolve_errors() -> None:
    with pytest.raises(ValueError, match="unknown claim id"):
        resolve("no.such.claim")
    with pytest.raises(ValueError, match="cannot import module"):
        resolve("no_such_module_xyz:claim")
    assert resolve("majority.coefficient") == [MAJ]


def test_jsonable() -> None:
    assert jsonable(Fraction(63, 256)) == "63/256"
    assert jsonable({"a": (Fraction(1, 2), 3)}) == {"a": ["1/2", 3]}


def test_same_seed_same_result() -> None:
    a = check(MAJ, {"n": 63, "k": 3}, seed=5, routes=["monte-carlo"])[0]
    b = check(MAJ, {"n": 63, "k": 3}, seed=5, routes=["monte-carlo"])[0]
    c = check(MAJ, {"n": 63, "k": 3}, seed=6, routes=["monte-carlo"])[0]
    assert a.estimate == b.estimate and a.interval == b.interval
    assert a.estimate != c.estimate
