"""Power of the checker: deliberately wrong variants of the built-in claims, one engine, default budget.

Each variant states a wrong value for a registered claim, in one of the mistake classes a derivation
makes: a flipped sign, a constant off by 2-10%, an exponent off by one or by 1/2, ``>`` for ``>=``, a
level or ratio off by one, a finite-n value replaced by its asymptote, a bound stated past the truth,
and a stated value the route must read (a threshold). Claim modules covered: boolean, gradient,
gaussian (Hermite, Stein, leap), bounds (SQ, CSQ, GF(2), ERM, SSS), structured inputs. Every
variant must end in ``fail`` (with a replay command) at the default budget of
:func:`featurecheck.numerics.checking.engine.verify_claim`; none may ever ``pass``.
Fast: one seed (salt 0) per variant. Slow: 30 salts per variant, detection rates printed (``-s``).

The true values are not taken on trust: the contract test checks each claim against its routes, and
this module's variants only need to differ from them. No false alarm is possible here (every variant
is wrong); a miss is a real failure.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from fractions import Fraction
from typing import Any

import pytest
import sympy as sp

from featurecheck.numerics.checking.budget import Budget
from featurecheck.numerics.checking.engine import verify_claim
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


def _v(cid: str, **params: Any) -> Any:
    c = REGISTRY.get(cid)
    return c.expected(c.bind(params))


def _off_by(factor: Any) -> Callable[..., Callable[..., Any]]:
    return lambda cid: (lambda **p: _v(cid, **p) * factor)


def _asymptote_maj1(n: int, k: int) -> Any:
    return sp.sqrt(sp.Rational(2) / (sp.pi * n))  # hat Maj_n({0}) ~ sqrt(2/(pi n)), not its finite-n value


def _ratio_off_by_one(n: int, k: int) -> Fraction:
    v = _v("gradient.ratio", n=n, k=k)
    return 1 / (1 / v + 1)


X105 = Fraction(105, 100)
X102 = Fraction(102, 100)

# (variant name, claim id, wrong value, params)
VARIANTS: list[tuple[str, str, Callable[..., Any], dict[str, Any]]] = [
    ("sign_flipped", "majority.coefficient", lambda n, k: -_maj(n, k), {"n": 25, "k": 3}),
    ("sign_flipped", "majority.coefficient", lambda n, k: -_maj(n, k), {"n": 7, "k": 3}),
    ("sign_flipped", "threshold.coefficient", lambda n, theta, k: -_thr(n, theta, k), {"n": 30, "theta": 2, "k": 1}),
    ("sign_flipped", "threshold.coefficient", lambda n, theta, k: -_thr(n, theta, k), {"n": 200, "theta": 7, "k": 2}),
    ("times_1.1", "majority.coefficient", lambda n, k: _maj(n, k) * Fraction(11, 10), {"n": 25, "k": 1}),
    ("times_1.1", "majority.coefficient", lambda n, k: _maj(n, k) * Fraction(11, 10), {"n": 1001, "k": 3}),
    ("times_1.05", "threshold.coefficient", lambda n, theta, k: _thr(n, theta, k) * X105, {"n": 30, "theta": 2, "k": 1}),
    ("times_1.02", "majority.coefficient", lambda n, k: _maj(n, k) * X102, {"n": 63, "k": 3}),
    ("times_1.1", "majority.influence", lambda n: B.majority_influence(n) * Fraction(11, 10), {"n": 21}),
    ("exponent_off_by_one", "majority.coefficient", lambda n, k: _maj(n, k) * 2, {"n": 45, "k": 1}),
    ("exponent_off_by_one", "majority.noise_stability", _stab_exponent_off, {"n": 7, "rho": "-3/5"}),
    ("exponent_off_by_half", "majority.coefficient", lambda n, k: _maj(n, k) * sp.sqrt(sp.Rational(n - 2, n)),
     {"n": 41, "k": 1}),
    ("gt_for_ge", "threshold.coefficient", lambda n, theta, k: _thr(n, theta + 2, k), {"n": 10, "theta": 2, "k": 3}),
    ("gt_for_ge", "threshold.coefficient", lambda n, theta, k: _thr(n, theta + 2, k), {"n": 31, "theta": 3, "k": 1}),
    ("level_off_by_one", "majority.coefficient", lambda n, k: _maj(n, k + 2), {"n": 25, "k": 1}),
    ("level_off_by_one", "threshold.coefficient", lambda n, theta, k: _thr(n, theta, k + 1), {"n": 30, "theta": 2, "k": 1}),
    ("missing_factor_2", "majority.coefficient", lambda n, k: _maj(n, k) / 2, {"n": 63, "k": 1}),
    ("missing_factor_2", "majority.influence", lambda n: B.majority_influence(n) / 2, {"n": 501}),
    ("asymptote_for_finite_n", "majority.coefficient", _asymptote_maj1, {"n": 9, "k": 1}),
    ("asymptote_for_finite_n", "majority.coefficient", _asymptote_maj1, {"n": 31, "k": 1}),
    ("times_1.05", "majority.level_weight_limit", _off_by(X105)("majority.level_weight_limit"), {"k": 1}),
    ("sign_flipped", "gradient.relu_closed_form", _off_by(-1)("gradient.relu_closed_form"),
     {"n": 9, "k": 2, "b": 0, "which": "relevant"}),
    ("times_1.05", "gradient.relu_closed_form", _off_by(X105)("gradient.relu_closed_form"),
     {"n": 301, "k": 3, "b": 3, "which": "irrelevant"}),
    ("ratio_off_by_one", "gradient.ratio", _ratio_off_by_one, {"n": 9, "k": 2}),
    ("nonzero_for_zero", "gradient.odd_k_symmetry", lambda **_: Fraction(1, 100), {"n": 9, "k": 3, "b": 0, "which": "relevant"}),
    ("plus_one", "gradient.gap_onset", lambda **p: _v("gradient.gap_onset", **p) + 1, {"k": 2, "parity": "odd"}),
    ("times_1.05", "hermite.coefficient", _off_by(X105)("hermite.coefficient"), {"link": "relu", "j": 2}),
    ("sign_flipped", "hermite.coefficient", _off_by(-1)("hermite.coefficient"), {"link": "tanh", "j": 3}),
    ("plus_one", "hermite.information_exponent", lambda **p: _v("hermite.information_exponent", **p) + 1, {"link": "relu"}),
    ("plus_one", "leap.value", lambda **p: _v("leap.value", **p) + 1, {"polynomial": "x0*x1*x2", "hermite": "no"}),
    ("times_1.05", "stein.monte_carlo", _off_by(X105)("stein.monte_carlo"),
     {"g": "z1**2 + z1*z2", "d": 10, "order": 2, "direction": "span"}),
    ("dropped_minus_identity", "stein.monte_carlo", lambda **_: Fraction(1, 10),
     {"g": "z1**2*z2 + z1*z2 + z2", "d": 10, "order": 2, "direction": "orthogonal"}),
    ("times_1.05", "gf2.full_rank_probability", _off_by(X105)("gf2.full_rank_probability"), {"n": 4, "m": 4}),
    ("bound_past_truth", "erm.union_bound", lambda **_: Fraction(1), {"n": 4, "k": 2, "m": 4}),
    ("bound_past_truth", "sss.gradient_variance", lambda **_: Fraction(-10**6),
     {"family": "sparse", "n": 10, "k": 3, "width": 4, "net": 0}),
    ("plus_one", "sq.parity_orthogonality", lambda **p: _v("sq.parity_orthogonality", **p) + 1, {"n": 10, "k": 3}),
    ("times_1.05", "structured.linear_ceiling", _off_by(X105)("structured.linear_ceiling"), {"model": "uniform", "k": 4}),
    ("sign_flipped", "daniely_malach.first_order_signal", _off_by(-1)("daniely_malach.first_order_signal"),
     {"n": 12, "k": 6}),
]
def _ids(vs: list) -> list[str]:
    return [f"{v[0]}:{v[1]}[{','.join(f'{k}={x}' for k, x in v[3].items())}]" for v in vs]


def _verdict(variant: tuple, salt: int, budget: Budget | None = None) -> tuple[str, str]:
    name, cid, wrong, params = variant
    c = replace(REGISTRY.get(cid), id=f"power.{name}.{cid}", value=wrong)
    rep = verify_claim(c, params, budget=budget, salt=salt)
    return rep.verdict, rep.message()


def test_the_suite_covers_the_mistake_classes_and_modules() -> None:
    assert len(VARIANTS) >= 30
    modules = {REGISTRY.get(v[1]).id.split(".")[0] for v in VARIANTS}
    assert {"majority", "threshold", "gradient", "hermite", "stein", "leap", "gf2", "erm", "sss", "sq",
            "structured", "daniely_malach"} <= modules


@pytest.mark.parametrize("variant", VARIANTS, ids=_ids(VARIANTS))
def test_wrong_variant_is_rejected_at_the_default_budget(variant: tuple) -> None:
    verdict, msg = _verdict(variant, salt=0)
    assert verdict == "fail", f"{variant[0]} of {variant[1]} at {variant[3]}: {verdict}\n{msg}"
    assert "reproduce" in msg


@pytest.mark.slow
def test_detection_rates_over_many_seeds() -> None:
    salts = range(30)
    lines = []
    missed = []
    for v, label in zip(VARIANTS, _ids(VARIANTS), strict=True):
        verdicts = [_verdict(v, s)[0] for s in salts]
        lines.append(f"{label:80s} fail {verdicts.count('fail')}/{len(salts)}, "
                     f"inconclusive {verdicts.count('inconclusive')}, pass {verdicts.count('pass')}")
        if verdicts.count("fail") < len(salts):
            missed.append(label)
    print("\ndetection rates at the default budget:\n" + "\n".join(lines))
    assert not missed, missed
