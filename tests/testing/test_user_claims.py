"""User claims end to end.

The constructor/decorator, the CLI (module:attr, --module, entry points), replayable failures, and the
pytest plugin on a user's own test file.

The example user module is ``tests/common/example_user_pkg/fc_example_claims.py`` (two right claims, one
with a missing factor of 2). Statistical budget on true claims: 6 in-process Monte Carlo checks at
family-wise alpha <= 1e-6 each (assert_claim over routes and looks, or one interval), 6 Monte Carlo
checks run through the CLI at the routes' alpha = 1e-6, 3 passing tests in the pytest-plugin run and
1 in-process property test at a per-test budget of 1e-6 each: a false alarm in this module has
probability <= 1.6e-5 (union bound). Seeds are derived from the examples or fixed; the run is
deterministic.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from dataclasses import replace
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
import sympy as sp

from featurecheck.numerics.checking.budget import Budget
from featurecheck.numerics.checking.engine import check, verify_claim
from featurecheck.numerics.checking.replay import derive_seed
from featurecheck.numerics.estimators.cube import majority, threshold
from featurecheck.numerics.estimators.intervals import sample_mean_estimate
from featurecheck.numerics.testing.assertions import assert_claim
from featurecheck.numerics.testing.user import claim, cube_points
from featurecheck.theory.claims import REGISTRY, Param

EXAMPLE_DIR = Path(__file__).resolve().parent.parent / "common" / "example_user_pkg"
SMALL = Budget(max_samples=1 << 18)


@pytest.fixture
def example(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.syspath_prepend(str(EXAMPLE_DIR))
    import fc_example_claims

    return fc_example_claims


def _env(*paths: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([*map(str, paths), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    return env


def _cli(*args: str, paths: tuple[Path, ...] = (EXAMPLE_DIR,)) -> subprocess.CompletedProcess:
    """Run the installed console script in a fresh interpreter."""
    return subprocess.run(["featurecheck", *args], capture_output=True, text=True, env=_env(*paths), timeout=300)


def _main(capsys: pytest.CaptureFixture, *args: str) -> tuple[int, str]:
    """Run the CLI in this process (cheaper than a subprocess)."""
    from featurecheck.numerics.cli import main

    code = main(list(args))
    return code, capsys.readouterr().out


# ------------------------------------------------------------------ the constructor and decorator


def test_sympy_value_and_plain_estimator(example) -> None:
    c = example.biased_parity_mean
    assert [r.name for r in c.routes] == ["monte-carlo"]
    assert c.expected(c.bind({"n": 5, "k": 3, "mu": "-1/2"})) == sp.Rational(-1, 8)
    assert c.expected(c.bind({"n": 5, "k": 0, "mu": "0"})) == 1  # mu^0 = 1, including mu = 0
    assert assert_claim(c, n=6, k=2, mu="2/3", budget=SMALL).passed


def test_decorator_builds_routes_and_detects_the_wrong_claim(example) -> None:
    right, wrong = example.majority_level1, example.majority_level1_wrong
    assert [r.name for r in right.routes] == ["enumeration", "monte-carlo"]
    assert right.statement.startswith(r"$\hat{\mathrm{Maj}}_n")  # taken from the docstring
    assert right.id not in REGISTRY  # not registered unless asked
    assert assert_claim(right, n=21, budget=SMALL).passed
    v = verify_claim(wrong, {"n": 21}, budget=SMALL)
    assert [r.verdict for r in v.results] == ["fail", "fail"]


def test_mean_of_exact_and_numba_estimator_routes() -> None:
    from numba import njit

    @njit(cache=False)
    def first_k_products(x, k):  # plain numba kernel over points drawn by cube_points
        out = np.ones(x.shape[0], dtype=np.int8)
        for i in range(x.shape[0]):
            for j in range(k):
                out[i] *= x[i, j]
        return out

    c = claim(
        id="user.threshold_mean", statement="Pr[sum x >= theta]", source="counting",
        params=(Param("n", "int", low=1, high=200, default=12), Param("theta", "real", default=2)),
        value=lambda n, theta: Fraction(sum(sp.binomial(n, j) for j in range(n + 1) if n - 2 * j >= theta), 2**n),
        mean_of=lambda p: threshold(p["n"], p["theta"]),
        exact=lambda n, theta: Fraction(sum(1 for x in range(2**n) if n - 2 * bin(x).count("1") >= theta), 2**n),
        exact_applies=lambda p: p["n"] <= 14,
        examples=({"n": 12, "theta": 2}, {"n": 40, "theta": "-3/2"}),
    )
    assert [r.name for r in c.routes] == ["exact", "enumeration", "monte-carlo"]
    for ex in c.examples:
        assert assert_claim(c, ex, budget=SMALL).passed
    mu = Fraction(-1, 4)
    nb = claim(
        id="user.numba_parity", statement="E_mu[x0 x1 x2] = mu^3", source="independence",
        params=(Param("mu", "real", low=-1, high=1, default="-1/4"),), value=sp.Symbol("mu") ** 3,
        estimator=lambda samples, seed, mu: first_k_products(cube_points(3, samples, seed, mean=mu), 3),
        value_range=(-1, 1), atol=0.005,  # checked to +-0.005: the value -1/64 is below 5% of what 2^22 draws resolve
    )
    assert assert_claim(nb, mu=mu, budget=replace(SMALL, max_samples=1 << 22)).passed
    wrong = claim(id="user.numba_parity_wrong", statement="exponent off by one", source="control",
                  params=nb.params, value=sp.Symbol("mu") ** 2, routes=nb.routes)
    with pytest.raises(AssertionError, match="contradicted"):
        assert_claim(wrong, mu=mu, budget=replace(SMALL, max_samples=1 << 22))


def test_constructor_rejects_bad_definitions() -> None:
    n = Param("n", "odd", low=1, high=99, default=9)
    with pytest.raises(ValueError, match="needs value_range"):
        claim(id="u.a", params=(n,), value=0, estimator=lambda s, seed, n: np.zeros(s))
    with pytest.raises(ValueError, match=r"uses \['m'\], which are not parameters"):
        claim(id="u.b", params=(n,), value=sp.Symbol("m"), cube=lambda p: (majority(p["n"]), [0]))
    with pytest.raises(ValueError, match="n must be an odd integer"):
        claim(id="u.c", params=(n,), value=0, cube=lambda p: (majority(p["n"]), [0]), examples=({"n": 8},))
    with pytest.raises(ValueError, match="no numeric route"):
        claim(id="u.d", params=(n,), value=0)


def test_sample_mean_estimate_validates_draws() -> None:
    with pytest.raises(ValueError, match="must lie in value_range"):
        sample_mean_estimate(lambda N, s: np.full(N, 2.0), 100, 0, value_range=(-1, 1))
    with pytest.raises(ValueError, match="returned 3 draws, expected 100"):
        sample_mean_estimate(lambda N, s: np.zeros(3), 100, 0, value_range=(-1, 1))


def test_cube_points_bias_is_exact_in_expectation() -> None:
    # E[x_i] = mu: 2^16 draws at alpha 1e-6 (empirical Bernstein via sample_mean_estimate)
    est = sample_mean_estimate(lambda N, s: cube_points(1, N, s, mean=Fraction(3, 5))[:, 0], 1 << 16, 9, 1e-6,
                               value_range=(-1, 1))
    assert est.contains(0.6)
    with pytest.raises(ValueError, match="mean must be a finite real number in"):
        cube_points(2, 10, 0, mean=2)


# ------------------------------------------------------------------ the CLI, end to end


def test_cli_verify_module_attr_and_module(example, capsys: pytest.CaptureFixture) -> None:
    code, out = _main(capsys, "verify", "fc_example_claims:majority_level1", "--param", "n=21")
    assert code == 0, out
    assert "PASS  example.majority_level1[n=21]  route=enumeration" in out
    code, out = _main(capsys, "verify", "--module", "fc_example_claims")
    assert code == 1
    fails = [ln for ln in out.splitlines() if ln.startswith("FAIL")]
    assert fails and all("example.majority_level1_wrong" in ln for ln in fails)
    assert "5 passed, 3 failed" in out


def test_entry_point_claims_are_listed_and_verifiable(tmp_path: Path) -> None:
    dist = tmp_path / "fc_example_dist-0.1.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: fc-example-dist\nVersion: 0.1\n")
    (dist / "entry_points.txt").write_text("[featurecheck.claims]\nexample = fc_example_claims:RIGHT\n")
    # a fresh interpreter, so the entry points are loaded from this test distribution only
    script = ("import sys\nfrom featurecheck.numerics.cli import main\n"
              "a = main(['list'])\nb = main(['verify', 'example.majority_level1', '--param', 'n=9'])\n"
              "sys.exit(10 * a + b)\n")
    r = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                       env=_env(tmp_path, EXAMPLE_DIR), timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "example.biased_parity_mean" in r.stdout and "example.majority_level1 " in r.stdout
    assert "majority_level1_wrong" not in r.stdout
    assert "PASS  example.majority_level1[n=9]  route=enumeration" in r.stdout


def test_failure_message_replays_from_the_shell(example) -> None:
    wrong = example.majority_level1_wrong
    with pytest.raises(AssertionError) as exc:
        assert_claim(wrong, n=101)  # only Monte Carlo applies at n = 101
    msg = str(exc.value)
    seed = derive_seed(wrong.id, {"n": 101})
    m = re.search(r"reproduce\s*: (featurecheck verify \S+ .*)", msg)
    assert m, msg
    cmd = m.group(1)
    assert cmd.startswith("featurecheck verify fc_example_claims:majority_level1_wrong --param n=101 "
                          f"--seed {seed} --samples ")
    measured = float(re.search(r"measured\s*: (\S+)", msg).group(1))
    r = _cli(*cmd.split()[1:])
    assert r.returncode == 1, r.stdout
    est = float(re.search(r"estimate=(\S+)", r.stdout).group(1))
    assert est == pytest.approx(measured, rel=1e-5)  # the CLI prints 6 significant digits
    # and the same replay in Python
    (res,) = check(wrong, {"n": 101}, seed=seed, samples=int(cmd.split("--samples ")[1]))
    assert res.estimate == pytest.approx(measured, rel=1e-9) and not res.passed


# ------------------------------------------------------------------ the pytest plugin on a user's test file

USER_TEST_FILE = '''
import fc_example_claims as ex

featurecheck_claims = [ex.majority_level1, ex.majority_level1_wrong, "fc_example_claims:biased_parity_mean"]
featurecheck_settings = {"max_examples": 6, "budget": {"max_samples": 2**16},
                         "overrides": {"n": None}}


def test_fixture_checks_a_point(featurecheck):
    featurecheck.plan(2)
    featurecheck.assert_claim(ex.majority_level1, n=13)
    featurecheck.assert_claim(ex.biased_parity_mean, {"n": 3, "k": 2}, mu="1/3")
'''


def test_pytest_plugin_property_tests_user_claims(tmp_path: Path) -> None:
    # overrides must name a parameter of every listed claim; keep it simple: no overrides
    (tmp_path / "test_my_claims.py").write_text(textwrap.dedent(USER_TEST_FILE).replace(
        ',\n                         "overrides": {"n": None}', ""))
    r = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly",
                        "test_my_claims.py"], capture_output=True, text=True, cwd=tmp_path,
                       env=_env(EXAMPLE_DIR), timeout=600)
    out = r.stdout
    assert r.returncode == 1, out + r.stderr
    assert re.search(r"1 failed, 3 passed", out), out
    assert "FAILED test_my_claims.py::featurecheck[example.majority_level1_wrong]" in out
    # Hypothesis shrank the counterexample to the smallest n, and the message says how to replay it
    assert "example.majority_level1_wrong[n=1]" in out
    assert "featurecheck verify fc_example_claims:majority_level1_wrong --param n=1 --seed" in out


def test_property_test_in_process(example) -> None:
    from featurecheck.numerics.testing.properties import property_test

    budget = {"max_samples": 1 << 16}
    ok = property_test(example.majority_level1, max_examples=4, budget=budget)
    assert ok.__name__ == "test_example_majority_level1"
    ok()
    bad = property_test(example.majority_level1_wrong, max_examples=4, budget=budget)
    with pytest.raises(AssertionError, match=r"majority_level1_wrong\[n=1\] is contradicted"):
        bad()  # Hypothesis shrinks the counterexample to the smallest n
