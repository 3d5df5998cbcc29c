"""Tests of the leap-dynamics experiments (featurecheck.numerics.experiments.leap_dynamics) against independent routes.

- Greedy leap orders: against a brute force over all permutations with the greedy rule re-stated
  here, and against :func:`featurecheck.theory.leap.leap` (every degree-greedy order, and every
  time-greedy order of a leap >= 2 set, is leap-optimal); with a negative control (a non-greedy order).
- Network output: against the trainer's own forward pass (``trace_steps``) on the batch of step 0.
- Correlations: exact Walsh coefficients of a known polynomial on the whole cube.
- History runs: the scratch arm is exactly the trainer's run at the seed; pre-training changes it.
- Fits: exact power laws give the exact exponents; identical arms give a zero difference.
- Bayes: order invariance over every permutation of the samples; the expected number of surviving
  wrong supports against direct counting over every sample sequence.
- CLI: ``featurecheck experiment leap`` on a tiny size, JSON parsed back.

No Monte Carlo assertions (all seeds fixed, all checks deterministic): false-alarm rate 0.
"""

from __future__ import annotations

import itertools
import json
import math
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from featurecheck.numerics.experiments import leap_dynamics as LD
from featurecheck.numerics.experiments.sgd import SGDConfig, Target, batch, init_params, train
from featurecheck.theory.leap import leap


def _brute_greedy(ms: list[frozenset[int]], cost: str) -> set[tuple[frozenset[int], ...]]:
    def c(new: int) -> int:
        if cost == "degree" or new == 0:
            return new
        return max(new - 1, 1)

    out = set()
    for perm in itertools.permutations(ms):
        cov: frozenset[int] = frozenset()
        ok = True
        for i, S in enumerate(perm):
            if c(len(S - cov)) > min(c(len(T - cov)) for T in perm[i:]):
                ok = False
                break
            cov |= S
        if ok:
            out.add(perm)
    return out


SETS = [
    [{0}, {0, 1}, {0, 1, 2}, {3, 4, 5}],
    [{0}, {0, 1}, {0, 1, 2}, {3, 4}],
    [{0, 1}, {0, 1, 2}, {3}],
    [{0, 1, 2, 3}, {4}, {4, 5}, {0, 4}],
    [{0}, {1}, {2, 3}, {1, 2, 3, 4}],
]


@pytest.mark.parametrize("sets", SETS, ids=str)
@pytest.mark.parametrize("cost", ["time", "degree"])
def test_greedy_orders_match_brute_force_and_are_leap_optimal(sets: list[set[int]], cost: str) -> None:
    ms = [frozenset(S) for S in sets]
    got = {tuple(o) for o in LD.greedy_leap_orders(ms, cost)}
    assert got == _brute_greedy(ms, cost)
    L = leap([sorted(S) for S in ms]).leap
    for o in got:
        cov: frozenset[int] = frozenset()
        worst = 0
        for S in o:
            worst = max(worst, len(S - cov))
            cov |= S
        if cost == "degree" or L >= 2:
            assert worst == L


def test_time_greedy_differs_from_degree_greedy_and_rejects_a_late_leap() -> None:
    t = {frozenset({0}): 50.0, frozenset({0, 1}): 100.0, frozenset({3, 4}): 100.0, frozenset({0, 1, 2}): 150.0}
    assert LD.is_greedy_order(t, "time") and not LD.is_greedy_order(t, "degree")
    bad = {frozenset({0}): 50.0, frozenset({0, 1}): 100.0, frozenset({3, 4, 5}): 150.0, frozenset({0, 1, 2}): 400.0}
    assert not LD.is_greedy_order(bad) and not LD.matches_leap_order(bad)
    good = {**bad, frozenset({3, 4, 5}): 500.0}
    assert LD.matches_leap_order(good)
    assert not LD.matches_leap_order({**good, frozenset({3, 4, 5}): math.inf})


def test_parse_target_reduces_on_the_cube() -> None:
    t = LD.parse_target("x0 + 2*x0*x1**3 - x1*x1 + 0.5*x2*x0", 4)
    # x1**3 = x1 and x1*x1 = 1 on the cube (the constant is dropped)
    assert t.terms == ((1.0, (0,)), (2.0, (0, 1)), (0.5, (0, 2)))
    with pytest.raises(ValueError, match="n=3"):
        LD.parse_target("x0*x3", 3)
    with pytest.raises(ValueError, match="non-constant"):
        LD.parse_target("x0*x0", 3)


def test_network_output_matches_the_trainer_forward_pass() -> None:
    cfg = SGDConfig(width=30, batch=16, loss="square", lr=0.05, max_steps=1)
    tgt = Target.parity(9, 2)
    res = train(tgt, cfg, seed=4, trace_steps=1)
    X, _ = batch(tgt, 4, 0, 16)
    f = LD.network_output(init_params(9, cfg, 4), X, cfg)
    assert np.allclose(f, res.history["trace"][0], atol=1e-5)
    assert not np.allclose(f, res.history["trace"][0] + 1e-3, atol=1e-5)  # control


def test_monomial_correlations_are_exact_walsh_coefficients_on_the_cube() -> None:
    X = np.array(list(itertools.product((1.0, -1.0), repeat=4)))
    f = 0.3 + 1.5 * X[:, 0] - 2.0 * X[:, 1] * X[:, 3] + 0.25 * X[:, 0] * X[:, 1] * X[:, 2]
    t = Target(4, ((1.0, (0,)), (-1.0, (1, 3)), (2.0, (0, 1, 2)), (1.0, (2,))))
    assert LD.monomial_correlations(f, X, t).tolist() == [1.5, 2.0, 0.125, 0.0]


def test_track_is_reproducible_and_detects_the_staircase() -> None:
    tgt = LD.parse_target("x0 + x0*x1", 10)
    a = LD.track(tgt, seed=2, steps=2000, every=100, measure=512)
    b = LD.track(tgt, seed=2, steps=2000, every=100, measure=512)
    assert a == b
    d = LD.detect_order(LD.learning_times(a))
    assert d["all_learned"] and d["order"] == [[0], [0, 1]]
    assert LD.track(tgt, seed=3, steps=2000, every=100, measure=512) != a


def test_history_scratch_arm_is_the_trainers_run_and_pretraining_changes_it() -> None:
    final = Target.parity(12, 3)
    r = LD.history_run(final, [], LD.DEFAULT_CONFIG, 5)
    assert r["final"] == train(final, LD.DEFAULT_CONFIG, 5).t_c and r["pre"] == [] and r["total"] == r["final"]
    c = LD.history_task({"n": 12, "k": 3, "arm": "curriculum"}, 5)
    assert len(c["pre"]) == 2 and c["total"] == c["final"] + sum(c["pre"])
    assert c["final"] != r["final"]


def test_fit_difference_recovers_exact_power_laws() -> None:
    ns = [10, 20, 40]
    a = [[3 * n**2, 3 * n**2 * 1.1, 3 * n**2 * 0.9] for n in ns]
    b = [[5 * n**0.5, 5 * n**0.5 * 1.2, 5 * n**0.5 * 0.8] for n in ns]
    f = LD.fit_difference(ns, a, b, alpha=0.1, n_boot=500)
    assert f["slope_a"] == pytest.approx(2.0, abs=1e-12) and f["slope_b"] == pytest.approx(0.5, abs=1e-12)
    assert f["difference"] == pytest.approx(1.5, abs=1e-12)
    lo, hi = f["difference_ci"]
    assert lo <= 1.5 <= hi
    same = LD.fit_difference(ns, a, a, n_boot=200)
    assert same["difference"] == 0 and same["difference_ci"] == (0.0, 0.0)
    assert LD.fit_difference(ns, [[None]] * 3, b, n_boot=100)["difference"] is None


def test_bayes_posterior_is_order_free_and_matches_counting() -> None:
    n, k = 4, 2
    S = (1, 3)
    xs = [(1, -1, 1, 1), (-1, 1, 1, -1), (1, 1, -1, 1)]
    data = [(x, x[S[0]] * x[S[1]]) for x in xs]
    ref = LD.bayes_posterior(data, n, k)
    for perm in itertools.permutations(data):
        assert LD.bayes_posterior(list(perm), n, k) == ref
    consistent = [T for T in itertools.combinations(range(n), k) if all(math.prod(x[i] for i in T) == y for x, y in data)]
    assert ref == {T: (Fraction(1, len(consistent)) if T in consistent else Fraction(0))
                   for T in itertools.combinations(range(n), k)}


@pytest.mark.parametrize(("n", "k", "m"), [(3, 1, 2), (4, 2, 2), (3, 2, 3)])
def test_bayes_survivors_by_direct_counting(n: int, k: int, m: int) -> None:
    cube = list(itertools.product((1, -1), repeat=n))
    supports = list(itertools.combinations(range(n), k))
    tot = 0
    for S in supports:
        for xs in itertools.product(cube, repeat=m):
            tot += sum(1 for T in supports if T != S and all(math.prod(x[i] for i in T) == math.prod(x[i] for i in S)
                                                             for x in xs))
    assert LD.bayes_survivors(n, k, m) == Fraction(tot, len(supports) * len(cube) ** m)


def test_validation_errors_name_the_parameter() -> None:
    with pytest.raises(ValueError, match="cost"):
        LD.greedy_leap_orders([{0}], cost="leap")
    with pytest.raises(ValueError, match="every"):
        LD.track(Target.parity(5, 1), steps=10, every=20)
    with pytest.raises(ValueError, match="number of monomials"):
        LD.greedy_leap_orders([{i} for i in range(9)])


def test_cli_track_and_curriculum(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from featurecheck.numerics.cli import main

    out = tmp_path / "t.json"
    assert main(["experiment", "leap", "--target", "x0 + x0*x1", "--n", "8", "--seeds", "2", "--steps", "3000",
                 "--every", "100", "--json", str(out), "--quiet"]) == 0
    doc = json.loads(out.read_text())
    assert doc["leap"] == 1 and len(doc["runs"]) == 2 and doc["summary"][0]["all_learned"] == 2
    # x0 then x0*x1: new degrees 1 and 1, conjectured time exponent max(c - 1, 1) = 1 each
    assert doc["conjectured_step_exponents"] == {"x0": 1, "x0*x1": 1}
    capsys.readouterr()
    assert main(["experiment", "leap", "--target", "x0*x1*x2", "--curriculum", "staircase", "--n", "8,10",
                 "--seeds", "2", "--json", "--quiet"]) == 0
    doc = json.loads(capsys.readouterr().out)  # bare --json: the JSON alone on stdout
    assert doc["curriculum"] == {"8": ["x0", "x0 * x1"], "10": ["x0", "x0 * x1"]}
    assert doc["conjectured_step_exponents"] == {"x0*x1*x2": 2}  # one step of new degree 3: max(3 - 1, 1)
    assert [r["total"] == r["final"] + sum(r["pre"]) for r in doc["runs"] if r["pre"]] == [True] * 4
    assert main(["experiment", "leap", "--target", "x0 + x1", "--curriculum", "staircase", "--n", "8"]) == 2
