"""Calibrated assertions (featurecheck.numerics.testing.assertions): budget arithmetic, sequential decisions, messages, controls.

Statistical budget of this module: the Monte Carlo assertions on *true* values below are 7
``verify_claim``/``assert_claim`` calls at family-wise alpha 1e-6 each (every look and route included,
see the module notes of featurecheck.numerics.checking.budget), so a false alarm here has probability <= 7e-6. All seeds
are derived deterministically from the examples, so the module is deterministic. The negative
controls (sign flipped, x1.1, exponent off by one, level off by one, missing factor 2) must be rejected;
their expected values come from featurecheck.theory.boolean's closed form perturbed by hand, and the true values
are cross-checked by brute-force enumeration in this file.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import replace
from fractions import Fraction

import pytest

from featurecheck.numerics.checking.budget import AlphaLedger, Budget
from featurecheck.numerics.checking.engine import verify_claim
from featurecheck.numerics.checking.replay import claim_spec, derive_seed, reproduce_command
from featurecheck.numerics.checking.sequential import sequential_test
from featurecheck.numerics.claims import load_builtin_claims
from featurecheck.numerics.estimators.cube import fourier_coefficient_mc, majority
from featurecheck.numerics.testing.assertions import assert_claim, assert_estimate_matches, assert_mean_matches
from featurecheck.numerics.testing.user import cube_points, estimator_route
from featurecheck.theory.claims import REGISTRY, Claim, Evidence, Param, Route, Rule

load_builtin_claims()
MAJ = REGISTRY.get("majority.coefficient")
SMALL = Budget(max_samples=1 << 20)


def _maj_brute(n: int, k: int) -> Fraction:
    """Hat Maj_n({0..k-1}) by brute force over all 2^n points (independent of theory/ and the kernels)."""
    total = 0
    for x in itertools.product((1, -1), repeat=n):
        total += (1 if sum(x) > 0 else -1) * math.prod(x[:k])
    return Fraction(total, 2**n)


# ------------------------------------------------------------------ budget arithmetic


def test_budget_schedule_and_alpha_spending() -> None:
    b = Budget(alpha=1e-6, min_samples=1000, max_samples=50_000, growth=4)
    assert b.schedule() == (1000, 4000, 16000, 50_000)
    assert [b.look_alpha(j) for j in range(3)] == [pytest.approx(1e-6 / 2), pytest.approx(1e-6 / 6),
                                                   pytest.approx(1e-6 / 12)]
    assert b.look_alpha(0, routes=3) == pytest.approx(1e-6 / 6)
    # the spending sums to at most alpha over any number of looks: sum 1/((j+1)(j+2)) = 1 - 1/(J+1)
    assert sum(b.look_alpha(j) for j in range(10_000)) == pytest.approx(1e-6 * (1 - 1 / 10_001), rel=1e-9)
    assert Budget(min_samples=7, max_samples=7).schedule() == (7,)
    assert Budget().replay(5000).schedule() == (5000,) and Budget().replay(5000).seconds is None
    assert Budget(max_samples=1 << 20).replay(1 << 18).schedule() == (1 << 16, 1 << 18)


@pytest.mark.parametrize("kw,match", [
    ({"alpha": 0}, "alpha must be a probability"),
    ({"alpha": 1.5}, "alpha must be a probability"),
    ({"min_samples": 1}, "min_samples must be an integer in"),
    ({"max_samples": 10}, "max_samples must be an integer in"),
    ({"growth": 1}, "growth must be an integer in"),
    ({"rtol": -1}, "rtol must be a number >= 0"),
    ({"seconds": 0}, "seconds must be a number in"),
])
def test_budget_rejects_bad_values(kw: dict, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        Budget(**kw)


def test_ledger_never_overspends_and_splits_evenly() -> None:
    led = AlphaLedger(1e-6, planned=40)
    first = [led.next().alpha for _ in range(40)]
    assert first == [pytest.approx(1e-6 / 80)] * 40
    for _ in range(20_000):  # replays and shrinking beyond the plan
        led.next()
    assert led.spent < 1e-6
    # the tail sum telescopes: sum_{j=1}^{J} M/((M+j-1)(M+j)) = 1 - M/(M+J)
    M, J = 40, 20_000
    assert led.spent == pytest.approx(1e-6 / 2 + 1e-6 / 2 * (1 - M / (M + J)), rel=1e-9)
    with pytest.raises(ValueError, match="planned must be an integer"):
        AlphaLedger(1e-6, planned=0)


def test_derive_seed_is_deterministic_and_sensitive() -> None:
    a = derive_seed("c", {"n": 7, "theta": Fraction(-5, 2)})
    assert a == derive_seed("c", {"theta": Fraction(-5, 2), "n": 7})
    assert a == derive_seed("c", {"n": "7", "theta": "-5/2"})  # raw CLI strings canonicalise alike
    assert len({a, derive_seed("c", {"n": 9, "theta": Fraction(-5, 2)}), derive_seed("d", {"n": 7, "theta": -2.5}),
                derive_seed("c", {"n": 7, "theta": Fraction(-5, 2)}, salt=1)}) == 4
    assert 0 <= a < 2**63


# ------------------------------------------------------------------ the sequential decision rule


def _fake(intervals):
    """Build an estimator replaying fixed (lo, hi) intervals, one per look; return it and its call log."""
    calls = []

    def at(N, a):
        lo, hi = intervals[min(len(calls), len(intervals) - 1)]
        calls.append((N, a))
        return (lo + hi) / 2, (lo, hi), N, "fake"

    return at, calls


B4 = Budget(alpha=0.04, min_samples=10, max_samples=640, seconds=None)  # looks N = 10, 40, 160, 640


def test_an_exclusion_fails_at_once_and_each_look_spends_its_share() -> None:
    at, calls = _fake([(0.5, 0.6)])
    verdict, resolution, looks, _ = sequential_test(0.0, at, budget=B4)
    assert (verdict, [lk.n_samples for lk in looks]) == ("fail", [10])
    assert "excludes" in resolution
    assert calls[0][1] == pytest.approx(0.04 / 2)


def test_a_narrow_interval_containing_the_value_passes() -> None:
    at, calls = _fake([(-0.5, 0.5), (0.098, 0.102)])
    verdict, resolution, looks, _ = sequential_test(0.1, at, budget=B4)
    assert (verdict, len(looks)) == ("pass", 2)
    assert resolution == "agrees to ±2%"
    assert [a for _, a in calls] == [pytest.approx(0.04 / 2), pytest.approx(0.04 / 6)]


def test_wide_intervals_escalate_then_are_inconclusive_never_pass() -> None:
    at, calls = _fake([(-1, 1)])
    verdict, resolution, looks, _ = sequential_test(0.0, at, budget=B4)
    assert (verdict, [N for N, _ in calls]) == ("inconclusive", [10, 40, 160, 640])
    assert "does not resolve" in resolution and "max_samples = 640" in resolution


def test_the_value_zero_needs_an_absolute_resolution() -> None:
    at, _ = _fake([(-0.001, 0.001)])
    assert sequential_test(0.0, at, budget=B4)[0] == "inconclusive"  # rtol * 0 = 0
    assert sequential_test(0.0, at, budget=B4, atol=0.01)[0] == "pass"


def test_the_clock_stops_escalation() -> None:
    now = [0.0]

    def clock() -> float:
        return now[0]

    def at(N, a):
        now[0] += N / 10  # a look of N samples takes N/10 seconds
        return 0.0, (-1.0, 1.0), N, ""

    verdict, resolution, looks, _ = sequential_test(0.0, at, budget=replace(B4, seconds=10.0), clock=clock)
    # 1 s, then 4 s (total 5 s); the next look would take 16 s more
    assert (verdict, [lk.n_samples for lk in looks]) == ("inconclusive", [10, 40])
    assert "time budget 10 s" in resolution


def test_estimator_ignoring_samples_is_not_escalated() -> None:
    def at(N, a):
        return 0.0, (-1.0, 1.0), 100, ""

    verdict, resolution, looks, _ = sequential_test(0.0, at, budget=B4)
    assert (verdict, len(looks)) == ("inconclusive", 2) and "does not take more samples" in resolution


@pytest.mark.parametrize("kind,iv,want", [
    ("upper", (0.2, 0.3), "fail"),        # bound 0.1 exceeded by the whole interval
    ("upper", (-0.3, -0.2), "pass"),      # interval entirely below the bound
    ("upper", (0.05, 0.103), "pass"),     # exceeds the bound by at most tol = 0.005
    ("upper", (0.0, 0.2), "inconclusive"),
    ("lower", (-0.3, -0.2), "fail"),
    ("lower", (0.2, 0.3), "pass"),
    ("lower", (0.0, 0.2), "inconclusive"),
])
def test_one_sided_rules(kind: str, iv, want) -> None:
    at, _ = _fake([iv])
    assert sequential_test(0.1, at, budget=replace(B4, max_samples=10), kind=kind)[0] == want


# ------------------------------------------------------------------ claims: true values and negative controls


def test_brute_force_agrees_with_the_closed_form_used_below() -> None:
    for n, k in [(7, 1), (7, 3), (9, 2), (9, 5)]:
        assert _maj_brute(n, k) == MAJ.value(n, k)


def test_true_claims_pass_with_the_right_routes() -> None:
    v = verify_claim(MAJ, {"n": 7, "k": 3})  # enumeration + weight sum + Monte Carlo, default budget
    assert v.passed and [r.route for r in v.results] == ["enumeration", "weight-sum", "monte-carlo"]
    assert [r.verdict for r in v.results] == ["pass", "pass", "pass"]
    v = assert_claim(MAJ, n=33, k=1)  # no enumeration (n > MAX_ENUM_N = 30), default budget
    assert [(r.route, r.verdict) for r in v.results] == [("weight-sum", "pass"), ("monte-carlo", "pass")]
    assert v.results[1].resolution.startswith("agrees to ±")
    assert assert_claim(REGISTRY.get("threshold.coefficient"), {"n": 30, "theta": 2}, k=2, budget=SMALL).passed


def _variant(value, tag: str) -> Claim:
    return replace(MAJ, id=f"control.{tag}", value=value)


# (name, wrong value function, parameters where only Monte Carlo applies)
CONTROLS = [
    ("sign_flipped", lambda n, k: -MAJ.value(n, k), {"n": 33, "k": 1}),
    ("times_1_1", lambda n, k: MAJ.value(n, k) * Fraction(11, 10), {"n": 33, "k": 1}),
    ("exponent_off_by_one", lambda n, k: MAJ.value(n, k) * 2, {"n": 33, "k": 1}),  # 2^{2-n} for 2^{1-n}
    ("level_off_by_one", lambda n, k: MAJ.value(n, k + 2), {"n": 33, "k": 1}),     # next nonzero level
    ("missing_factor_2", lambda n, k: MAJ.value(n, k) / 2, {"n": 33, "k": 1}),
]


@pytest.mark.parametrize("tag,value,params", CONTROLS, ids=[c[0] for c in CONTROLS])
def test_negative_controls_are_rejected_with_a_full_message(tag: str, value, params: dict) -> None:
    wrong = _variant(value, tag)
    with pytest.raises(AssertionError) as exc:
        assert_claim(wrong, params)
    msg = str(exc.value)
    seed = derive_seed(wrong.id, wrong.bind(params))
    for needle in ("stated value", "measured", "samples", "interval", f"seed          : {seed}",
                   "reproduce", f"seed={seed}", "alpha =", "FAIL"):
        assert needle in msg, (needle, msg)


def test_negative_control_on_the_exact_route_is_rejected_exactly() -> None:
    wrong = _variant(lambda n, k: MAJ.value(n, k) * Fraction(11, 10), "exact_times_1_1")
    v = verify_claim(wrong, {"n": 7, "k": 1}, budget=SMALL)
    by_route = {r.route: r for r in v.results}
    assert (by_route["enumeration"].verdict, by_route["enumeration"].resolution) == ("fail", "exact")
    assert v.verdict == "fail"


def test_failure_replays_exactly_with_the_reported_seed_and_samples() -> None:
    wrong = _variant(lambda n, k: -MAJ.value(n, k), "replay")
    v = verify_claim(wrong, {"n": 33, "k": 1})
    (o,) = [r for r in v.failures if r.route == "monte-carlo"]
    est = fourier_coefficient_mc(majority(33), [0], samples=o.n_samples, seed=o.seed, alpha=o.alpha)
    assert (est.value, est.ci) == (o.estimate, o.interval)
    again = verify_claim(wrong, {"n": 33, "k": 1}, seed=v.seed, samples=o.n_samples)  # what --samples replays
    assert [(r.verdict, r.estimate, r.interval) for r in again.results if r.route == "monte-carlo"] == \
        [("fail", o.estimate, o.interval)]


def test_reproduce_command_for_registered_and_unimportable_claims() -> None:
    assert claim_spec(MAJ) == "majority.coefficient"
    cmd = reproduce_command(MAJ, {"n": 25, "k": 1}, 11, 4096)
    assert cmd == "featurecheck verify majority.coefficient --param n=25 --param k=1 --seed 11 --samples 4096"
    local = _variant(MAJ.value, "local_only")  # lives in no module attribute
    assert claim_spec(local) is None
    assert "importable module" in reproduce_command(local, {"n": 25, "k": 1}, 11)


# ------------------------------------------------------------------ lower-level helpers and one-sided routes


def test_assert_estimate_matches_and_its_negative_control() -> None:
    f = majority(25)
    est = lambda N, s, a: fourier_coefficient_mc(f, [0], samples=N, seed=s, alpha=a)  # noqa: E731
    truth = _maj_brute_level1(25)
    assert_estimate_matches(truth, est, seed=5, budget=SMALL)
    with pytest.raises(AssertionError, match="FAIL, interval .* excludes"):
        assert_estimate_matches(truth * Fraction(11, 10), est, seed=5, budget=SMALL)


def _maj_brute_level1(n: int) -> Fraction:
    # Pr[the other n-1 coordinates tie] = C(n-1, (n-1)/2) / 2^(n-1): counting, independent of theory/
    return Fraction(math.comb(n - 1, (n - 1) // 2), 2 ** (n - 1))


def test_assert_mean_matches_on_a_biased_cube() -> None:
    mu = Fraction(1, 3)
    draw = lambda N, s: cube_points(2, N, s, mean=mu).prod(axis=1)  # noqa: E731
    assert_mean_matches(mu**2, draw, value_range=(-1, 1), seed=2, budget=replace(SMALL, max_samples=1 << 22))
    with pytest.raises(AssertionError):
        assert_mean_matches(mu**3, draw, value_range=(-1, 1), seed=2, budget=SMALL)  # exponent off by one


def _bound_claim(bound: Fraction, kind: str) -> Claim:
    # E[x_0] = mu under the mu-biased cube; the claim states a bound on it
    route = estimator_route(lambda samples, seed, mu: cube_points(1, samples, seed, mean=mu)[:, 0], (-1, 1), rule=kind)
    return Claim(id=f"control.bound_{kind}", statement="bound", source="test",
                 params=(Param("mu", "real", low=-1, high=1, default="1/2"),), value=lambda mu: bound,
                 routes=(route,))


def test_upper_and_lower_bound_claims() -> None:
    assert assert_claim(_bound_claim(Fraction(3, 5), "upper"), mu="1/2", budget=SMALL).passed  # 1/2 <= 3/5
    assert assert_claim(_bound_claim(Fraction(2, 5), "lower"), mu="1/2", budget=SMALL).passed  # 1/2 >= 2/5
    with pytest.raises(AssertionError, match="contradicted"):
        assert_claim(_bound_claim(Fraction(9, 20), "upper"), mu="1/2", budget=SMALL)  # 1/2 > 0.45
    with pytest.raises(AssertionError, match="contradicted"):
        assert_claim(_bound_claim(Fraction(11, 20), "lower"), mu="1/2", budget=SMALL)


def test_no_applicable_route_and_bad_params_raise_value_error() -> None:
    only_small = Claim(id="control.small", statement="s", source="s", params=(Param("n", "int", low=1, high=99),),
                       value=lambda n: 0, routes=(Route("r", lambda p, **k: Evidence(0), Rule.exact(),
                                                        applies=lambda p: p["n"] < 5, applies_doc="n < 5"),))
    rep = verify_claim(only_small, {"n": 50})
    assert rep.verdict == "inconclusive" and "no route applies" in rep.results[0].resolution
    with pytest.raises(AssertionError, match="could not be decided"):
        assert_claim(only_small, n=50)
    with pytest.raises(ValueError, match="n must be an integer in"):
        assert_claim(only_small, n=500)


def test_message_of_a_failed_exact_bracket_with_fraction_endpoints() -> None:
    """Regression: Fraction interval endpoints used to raise TypeError in the message (:.10g)."""
    bracket = Claim(id="control.bracket", statement="s", source="s", params=(), value=lambda: Fraction(1, 3),
                    routes=(Route("bracket", lambda p, **k: Evidence(Fraction(1, 2), (Fraction(2, 5), Fraction(3, 5))),
                                  Rule("upper", description="exact bracket")),))
    rep = verify_claim(bracket, {})
    assert rep.verdict == "fail"
    assert "interval      : [0.4, 0.6]" in rep.message()
