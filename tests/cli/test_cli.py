"""The `featurecheck` CLI contract: JSON keys, exit codes, one-line errors.

Expected fourier values come from pure-Python brute force (independent of theory/). The verify runs
below use exact routes only, except one Monte Carlo check at alpha = 1e-6 (false-alarm rate 1e-6).
"""

from __future__ import annotations

import argparse
import itertools
import json
import subprocess
import sys
import textwrap
from fractions import Fraction

import pytest
from common.brute import brute_coefficient

from featurecheck.numerics.cli import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_fourier_majority_json(capsys) -> None:
    code, out, err = run(capsys, "fourier", "majority", "--n", "7", "--json")
    assert code == 0 and err == ""
    data = json.loads(out)
    assert set(data) == {"function", "n", "levels"}
    assert data["function"] == "majority" and data["n"] == 7
    assert list(data["levels"]) == [str(k) for k in range(1, 8)]
    for k in range(1, 8):
        expect = brute_coefficient(lambda x: 1 if sum(x) > 0 else -1, 7, k)
        assert Fraction(data["levels"][str(k)]) == expect


def test_fourier_majority_single_level(capsys) -> None:
    code, out, _ = run(capsys, "fourier", "majority", "--n", "9", "--k", "3", "--json")
    data = json.loads(out)
    assert code == 0 and list(data["levels"]) == ["3"]
    assert Fraction(data["levels"]["3"]) == brute_coefficient(lambda x: 1 if sum(x) > 0 else -1, 9, 3)


@pytest.mark.parametrize("theta", ["2", "-1.5", "7/3", "0"])
def test_fourier_threshold_json(capsys, theta: str) -> None:
    code, out, _ = run(capsys, "fourier", "threshold", "--n", "6", "--theta", theta, "--json")
    data = json.loads(out)
    assert code == 0 and data["function"] == "threshold" and data["n"] == 6
    assert list(data["levels"]) == [str(k) for k in range(0, 7)]
    th = Fraction(theta)
    for k in range(7):
        assert Fraction(data["levels"][str(k)]) == brute_coefficient(lambda x: int(sum(x) >= th), 6, k)


@pytest.mark.parametrize("args,fragment", [
    (["fourier", "majority", "--n", "8"], "n must be an odd integer"),
    (["fourier", "majority", "--n", "0"], "n must be an integer in [1, 10000001], got 0"),
    (["fourier", "majority", "--n", "abc"], "n must be an integer"),
    (["fourier", "majority", "--n", "7", "--k", "9"], "k must be an integer in [1, 7]"),
    (["fourier", "threshold", "--n", "5", "--theta", "x"], "theta must be a finite real"),
    (["fourier", "threshold", "--n", "-3", "--theta", "1"], "n must be an integer"),
    (["fourier", "threshold", "--n", "5"], "required"),
    (["verify", "no.such.claim"], "unknown claim id"),
    (["verify", "no_such_module_zz:claim"], "cannot import module"),
    (["verify", "majority.coefficient", "--param", "n=8"], "n must be an odd integer"),
    (["verify", "majority.coefficient", "--param", "n=7", "--param", "k=9"], "k must be in"),
    (["verify", "majority.coefficient", "--param", "nk"], "--param must look like name=value"),
    (["verify", "majority.coefficient", "--samples", "1"], "samples must be an integer"),
    (["verify", "majority.coefficient", "--seed", "-4"], "seed must be an integer"),
    (["nosuchcommand"], "invalid choice"),
])
def test_bad_input_is_one_line_exit_2(capsys, args, fragment: str) -> None:
    code, out, err = run(capsys, *args)
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert fragment in lines[0]


def test_verify_json_contract(capsys) -> None:
    code, out, _ = run(capsys, "verify", "majority.coefficient", "--param", "n=9", "--param", "k=3", "--json")
    assert code == 0
    rows = json.loads(out)
    assert [r["route"] for r in rows] == ["enumeration", "weight-sum", "monte-carlo"]
    for r in rows:
        assert set(r) == {"id", "params", "route", "expected", "estimate", "interval", "passed",  # the contract
                          "verdict", "resolution", "n_samples", "seconds", "alpha"}
        assert r["id"] == "majority.coefficient" and r["params"] == {"n": 9, "k": 3}
        assert Fraction(r["expected"]) == brute_coefficient(lambda x: 1 if sum(x) > 0 else -1, 9, 3)
        assert r["passed"] is True and r["verdict"] == "pass"
    for r in rows[:2]:  # enumeration and the sum over Hamming weights: exact
        assert r["resolution"] == "exact" and r["alpha"] is None
        assert r["interval"] is None and r["estimate"] == r["expected"]
    assert rows[2]["resolution"].startswith("agrees to ±") and rows[2]["n_samples"] >= 1 << 16
    lo, hi = rows[2]["interval"]
    assert lo <= float(Fraction(rows[2]["expected"])) <= hi


def test_verify_text_output(capsys) -> None:
    code, out, _ = run(capsys, "verify", "majority.influence", "--param", "n=9")
    assert code == 0
    assert "PASS" in out and "route=enumeration" in out and "route=weight-sum" in out and "3 passed, 0 failed" in out


def test_list(capsys) -> None:
    code, out, _ = run(capsys, "list", "--json")
    rows = json.loads(out)
    ids = {r["id"] for r in rows}
    assert {"majority.coefficient", "threshold.coefficient", "fourier.parseval"} <= ids
    assert all(r["source"] and r["routes"] for r in rows)
    code, out, _ = run(capsys, "list")
    assert code == 0 and "majority.coefficient" in out


USER_MODULE = textwrap.dedent('''
    from fractions import Fraction
    from featurecheck.theory.claims import Claim, Param
    from featurecheck.theory.boolean import majority_coefficient
    from featurecheck.numerics.estimators.cube import majority
    from featurecheck.numerics.checking.routes import enumeration_route

    build = lambda p: (majority(p["n"]), range(p["k"]))
    params = (Param("n", "odd", low=1, high=21, default=7), Param("k", "int", low=0, high=21, default=1))
    right = Claim(id="user.right", statement="hat Maj", source="O'Donnell Thm 5.19", params=params,
                  value=lambda n, k: majority_coefficient(n, k), routes=(enumeration_route(build),))
    wrong = Claim(id="user.wrong", statement="hat Maj, sign flipped", source="nowhere", params=params,
                  value=lambda n, k: -majority_coefficient(n, k), routes=(enumeration_route(build),))
''')


def test_user_module_claims(capsys, tmp_path, monkeypatch) -> None:
    (tmp_path / "fc_user_cli_mod.py").write_text(USER_MODULE)
    monkeypatch.syspath_prepend(str(tmp_path))
    code, out, _ = run(capsys, "verify", "fc_user_cli_mod:right", "--param", "n=9")
    assert code == 0 and "PASS" in out
    code, out, err = run(capsys, "verify", "fc_user_cli_mod:wrong")
    assert code == 1 and "FAIL" in out and "failed" in err
    code, out, _ = run(capsys, "verify", "--module", "fc_user_cli_mod", "--json")
    rows = json.loads(out)
    assert code == 1 and {r["id"]: r["passed"] for r in rows} == {"user.right": True, "user.wrong": False}
    code, _, err = run(capsys, "verify", "fc_user_cli_mod:nothing")
    assert code == 2 and "has no attribute" in err


def test_console_script_runs() -> None:
    proc = subprocess.run([sys.executable, "-m", "featurecheck.numerics.cli", "fourier", "majority", "--n", "4"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr


# ---------------------------------------------------------------- regressions


def test_fourier_prints_a_million_digit_value(capsys) -> None:
    # was: exit 2 with "Exceeds the limit (4300 digits) for integer string conversion"
    n = 1_000_001
    code, out, err = run(capsys, "fourier", "majority", "--n", str(n), "--k", "3", "--json")
    assert code == 0 and err == ""
    data = json.loads(out)
    num, den = data["levels"]["3"].split("/")
    assert len(num) + len(den) > 600_000  # every digit, no truncation
    from featurecheck.numerics.estimators.cube import fourier_coefficient_symmetric, majority

    # second route: the sum over Hamming weights (no closed form); compared as CPython's own decimal strings
    expect = fourier_coefficient_symmetric(majority(n), range(3))
    old = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(0)
    try:
        assert (num, den) == (str(expect.numerator), str(expect.denominator))
    finally:
        sys.set_int_max_str_digits(old)


@pytest.mark.parametrize("theta", ["-3/2", "-1.5", "-.5", "-1e-1", "-7/3", "-12"])
def test_fourier_threshold_negative_values(capsys, theta: str) -> None:
    # was: argparse took "-3/2" for an option ("expected one argument")
    code, out, err = run(capsys, "fourier", "threshold", "--n", "5", "--theta", theta, "--json")
    assert code == 0 and err == "", err
    data = json.loads(out)
    th = Fraction(theta)
    for k in range(6):
        assert Fraction(data["levels"][str(k)]) == brute_coefficient(lambda x: int(sum(x) >= th), 5, k)


def test_negative_fraction_bias_in_gradient(capsys) -> None:
    code, out, err = run(capsys, "gradient", "relu", "--n", "6", "--k", "2", "--bias", "-3/2", "--json")
    assert code == 0 and err == "", err
    d = json.loads(out)
    # dL/dw_0 = -E[x_0 x_1 x_0 1[sum x - 3/2 > 0]] by plain enumeration
    pts = list(itertools.product((1, -1), repeat=6))
    rel = -Fraction(sum(x[1] for x in pts if sum(x) - Fraction(3, 2) > 0), 64)
    assert Fraction(d["relevant"]) == rel and d["b"] == "-3/2"


def test_negative_numbers_in_every_subcommand_parser() -> None:
    from featurecheck.numerics.cli import Parser, build_parser

    parser = build_parser()
    seen = []

    def walk(p: argparse.ArgumentParser) -> None:
        seen.append(p)
        for a in p._actions:
            if isinstance(a, argparse._SubParsersAction):
                for sp in a.choices.values():
                    walk(sp)

    walk(parser)
    assert len(seen) > 5 and all(isinstance(p, Parser) and p._negative_number_matcher.match("-3/2") for p in seen)


def test_gradient_variance_of_a_dead_network_is_computed(capsys) -> None:
    # was: ZeroDivisionError traceback (G^2 = 0 for ReLU(-x_0 - 3/2), which never fires); delta = 0 <= 0 holds
    args = ["verify", "sss.gradient_variance", "--param", "family=sparse", "--param", "n=2", "--param", "k=1",
            "--param", "width=1", "--param", "net=0"]
    code, out, err = run(capsys, *args, "--json")
    assert code == 0 and err == ""
    [row] = json.loads(out)
    assert row["passed"] and Fraction(row["estimate"]) == 0
    code, out, err = run(capsys, *args[:-1], "net=0", "--param", "family=all")
    assert code == 0 and "PASS" in out
