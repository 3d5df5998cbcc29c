"""The `featurecheck` CLI contract: JSON keys, exit codes, one-line errors.

Expected fourier values come from pure-Python brute force (independent of theory/). The verify runs
below use exact routes only, except one Monte Carlo check at alpha = 1e-6 (false-alarm rate 1e-6).
"""

from __future__ import annotations

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
    (["fourier", "majority", "--n", "0"], "n must be an integer in [1, 5001], got 0"),
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
    code, out, _ = run(capsys, "verify", "majority.coefficient", "--param", "n=9", "--param", "k=3",
                       "--json", "--samples", "200000")
    assert code == 0
    rows = json.loads(out)
    assert [r["route"] for r in rows] == ["enumeration", "monte-carlo"]
    for r in rows:
        assert set(r) == {"id", "params", "route", "expected", "estimate", "interval", "passed"}
        assert r["id"] == "majority.coefficient" and r["params"] == {"n": 9, "k": 3}
        assert Fraction(r["expected"]) == brute_coefficient(lambda x: 1 if sum(x) > 0 else -1, 9, 3)
        assert r["passed"] is True
    assert rows[0]["interval"] is None and rows[0]["estimate"] == rows[0]["expected"]
    lo, hi = rows[1]["interval"]
    assert lo <= float(Fraction(rows[1]["expected"])) <= hi


def test_verify_text_output(capsys) -> None:
    code, out, _ = run(capsys, "verify", "majority.influence", "--param", "n=9")
    assert code == 0
    assert "PASS" in out and "route=enumeration" in out and "2 passed, 0 failed" in out


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
