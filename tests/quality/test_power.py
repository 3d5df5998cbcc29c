"""Power of the checker: deliberately wrong variants of the built-in majority/threshold claims.

Each variant perturbs the stated value of a claim in ``numerics/claims/boolean.py`` (sign flipped,
constant x 1.1, exponent off by one, level off by one, a missing factor of 2) and must be rejected by
:func:`featurecheck.numerics.testing.assertions.assert_claim` at its **default budget** (family-wise alpha 1e-6 per example,
looks of 2^16 ... 2^22 samples). Each variant is judged by the route it names (Monte Carlo, or exact
enumeration, which applies up to ``n = MAX_ENUM_N = 30``), whatever the other routes say. Fast: one seed (salt 0) per variant, all must be rejected.
Slow: 30 salts per variant, detection rates printed (run with ``-s``) and required to be 1 for the
listed variants; a few *hard* variants (an error below the Monte Carlo resolution at the default
budget) are reported, not asserted, to show where the power ends.

The true values are not taken on trust: the contract test checks each claim against enumeration, and
this module's negative controls only need the wrong values to differ from them.
No false alarm is possible here (every variant is wrong); a missed detection is a real failure.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from fractions import Fraction
from typing import Any

import pytest

from featurecheck.numerics.checking.budget import Budget
from featurecheck.numerics.checking.sequential import verify_claim
from featurecheck.numerics.claims import load_builtin_claims
from featurecheck.theory import boolean as B
from featurecheck.theory.claims import REGISTRY

pytestmark = pytest.mark.quality

load_builtin_claims()


def _maj(n: int, k: int) -> Fraction:
    return B.majority_coefficient(n, k)


def _thr(n: int, theta: Any, k: int) -> Fraction:
    return B.threshold_coefficient(n, theta, k)


def _stab_exponent_off(n: int, rho: Fraction) -> Any:
    # sum_k W^k rho^(k+1) instead of sum_k W^k rho^k
    w = B.level_weights(B.majority_levels(n))
    return sum(wk * rho ** (k + 1) for k, wk in enumerate(w))


# (variant name, claim id, wrong value, params, route that should catch it)
VARIANTS: list[tuple[str, str, Callable[..., Any], dict[str, Any], str]] = [
    ("sign_flipped", "majority.coefficient", lambda n, k: -_maj(n, k), {"n": 25, "k": 3}, "monte-carlo"),
    ("sign_flipped", "threshold.coefficient", lambda n, theta, k: -_thr(n, theta, k),
     {"n": 30, "theta": 2, "k": 1}, "monte-carlo"),
    ("sign_flipped", "majority.coefficient", lambda n, k: -_maj(n, k), {"n": 7, "k": 3}, "enumeration"),
    ("times_1.1", "majority.coefficient", lambda n, k: _maj(n, k) * Fraction(11, 10), {"n": 25, "k": 1}, "monte-carlo"),
    ("times_1.1", "threshold.coefficient", lambda n, theta, k: _thr(n, theta, k) * Fraction(11, 10),
     {"n": 30, "theta": 2, "k": 1}, "monte-carlo"),
    ("times_1.1", "majority.influence", lambda n: B.majority_influence(n) * Fraction(11, 10), {"n": 21}, "enumeration"),
    ("exponent_off_by_one", "majority.coefficient", lambda n, k: _maj(n, k) * 2, {"n": 45, "k": 1}, "monte-carlo"),
    ("exponent_off_by_one", "majority.noise_stability", _stab_exponent_off, {"n": 7, "rho": "-3/5"}, "enumeration"),
    ("level_off_by_one", "majority.coefficient", lambda n, k: _maj(n, k + 1), {"n": 25, "k": 2}, "monte-carlo"),
    ("level_off_by_one", "majority.coefficient", lambda n, k: _maj(n, k + 2), {"n": 25, "k": 1}, "monte-carlo"),
    ("level_off_by_one", "threshold.coefficient", lambda n, theta, k: _thr(n, theta, k + 1),
     {"n": 30, "theta": 2, "k": 1}, "monte-carlo"),
    ("missing_factor_2", "majority.coefficient", lambda n, k: _maj(n, k) / 2, {"n": 63, "k": 1}, "monte-carlo"),
    ("missing_factor_2", "threshold.coefficient", lambda n, theta, k: _thr(n, theta, k) / 2,
     {"n": 40, "theta": 0, "k": 1}, "monte-carlo"),
    ("missing_factor_2", "majority.influence", lambda n: B.majority_influence(n) / 2, {"n": 501}, "fourier-sum"),
]

# Below the default budget's resolution (|error| ~ 1e-4 .. 2e-3 against a radius ~ 3e-3): reported only.
HARD = [
    ("times_1.1", "majority.coefficient", lambda n, k: _maj(n, k) * Fraction(11, 10), {"n": 63, "k": 3}, "monte-carlo"),
    ("sign_flipped", "threshold.coefficient", lambda n, theta, k: -_thr(n, theta, k),
     {"n": 200, "theta": 7, "k": 2}, "monte-carlo"),
]


def _ids(vs: list) -> list[str]:
    return [f"{v[0]}:{v[1]}[{','.join(f'{k}={x}' for k, x in v[3].items())}]" for v in vs]


def _detected(variant: tuple, salt: int, budget: Budget | None = None) -> tuple[bool, str]:
    name, cid, wrong, params, route = variant
    c = replace(REGISTRY.get(cid), id=f"power.{name}.{cid}", value=wrong)
    v = verify_claim(c, params, budget=budget, salt=salt)
    by_route = {o.route: o for o in v.outcomes}
    assert route in by_route, (route, list(by_route))
    return not by_route[route].passed, v.message() if not v.passed else ""


@pytest.mark.parametrize("variant", VARIANTS, ids=_ids(VARIANTS))
def test_wrong_variant_is_rejected_at_the_default_budget(variant: tuple) -> None:
    caught, msg = _detected(variant, salt=0)
    assert caught, f"{variant[0]} of {variant[1]} at {variant[3]} was not rejected by route {variant[4]}"
    assert "reproduce" in msg


@pytest.mark.slow
def test_detection_rates_over_many_seeds() -> None:
    salts = range(30)
    lines = []
    missed = []
    for v, label in zip(VARIANTS + HARD, _ids(VARIANTS) + _ids(HARD), strict=True):
        hits = sum(_detected(v, s)[0] for s in salts)
        lines.append(f"{label:70s} route={v[4]:12s} detected {hits}/{len(salts)}")
        if v in VARIANTS and hits < len(salts):
            missed.append(label)
    print("\ndetection rates at the default budget:\n" + "\n".join(lines))
    assert not missed, missed
