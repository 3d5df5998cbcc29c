"""CLI contracts of ``featurecheck hermite`` and ``featurecheck leap`` (exact; no statistical checks).

Expected values come from independent routes: scipy quadrature (relu c_2 = 1/(2 sqrt(2 pi))) and
brute force over orderings (leap).
"""

from __future__ import annotations

import json
import math

import pytest
import sympy as sp
from scipy import integrate

from featurecheck.numerics.cli import main
from featurecheck.theory.leap import leap_bruteforce, parse_hermite, parse_walsh


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_hermite_json_relu(capsys) -> None:
    code, out, _ = _run(capsys, "hermite", "relu", "--degree", "4", "--json")
    d = json.loads(out)
    assert code == 0 and {"link", "coefficients", "information_exponent"} <= set(d)
    assert d["link"] == "relu" and d["information_exponent"] == 1 and len(d["coefficients"]) == 5
    ref = integrate.quad(lambda t: t * (t * t - 1) * math.exp(-t * t / 2) / math.sqrt(2 * math.pi), 0, 30)[0] / 2
    assert abs(float(sp.sympify(d["coefficients"][2])) - ref) < 1e-12
    assert d["exact"] is True and d["precision"] is None


def test_hermite_json_polynomial_and_tanh(capsys) -> None:
    code, out, _ = _run(capsys, "hermite", "z**3 - 3*z", "--json")
    d = json.loads(out)
    assert code == 0 and d["coefficients"] == ["0", "0", "0", "1"] and d["information_exponent"] == 3
    code, out, _ = _run(capsys, "hermite", "tanh", "--degree", "3", "--json")
    d = json.loads(out)
    assert d["exact"] is False and d["precision"] < 1e-20 and d["information_exponent"] == 1
    assert d["coefficients"][0] == "0" and abs(float(d["coefficients"][1]) - 0.6057055096) < 1e-9
    code, out, _ = _run(capsys, "hermite", "abs")
    assert code == 0 and "k* = 2" in out


@pytest.mark.parametrize("argv", [("hermite", "__import__('os').system('true')"), ("hermite", "exp(z)"),
                                  ("hermite", "relu", "--degree", "-1"), ("hermite", "tanh", "--degree", "61"),
                                  ("leap", "x0*y"), ("leap", "lambda: 0"), ("leap", "--hermite", "He2(x0)")])
def test_bad_input_exit_2(capsys, argv) -> None:
    code, out, err = _run(capsys, *argv)
    assert code == 2 and out == "" and len(err.strip().splitlines()) == 1


def test_leap_json(capsys) -> None:
    code, out, _ = _run(capsys, "leap", "x0*x1 + x0*x1*x2", "--json")
    d = json.loads(out)
    assert code == 0 and d["leap"] == leap_bruteforce(parse_walsh("x0*x1 + x0*x1*x2")).leap == 2
    assert d["order"] == ["x0*x1", "x0*x1*x2"]
    code, out, _ = _run(capsys, "leap", "x0 + x0*x1 + x0*x1*x2", "--json")
    assert json.loads(out)["leap"] == 1
    text = "He2(z0)*He1(z1) + He1(z0) + He3(z2)"
    code, out, _ = _run(capsys, "leap", "--hermite", text, "--json")
    d = json.loads(out)
    assert d["leap"] == leap_bruteforce(parse_hermite(text), kind="hermite").leap == 3
    assert d["conjectured_sgd_steps"]["status"] == "conjecture"


def test_tanh_prints_the_digits_its_precision_justifies(capsys) -> None:
    # was: precision 1e-27 with 20 significant digits
    import mpmath

    from featurecheck.theory.hermite import hermite_coefficients

    code, out, _ = _run(capsys, "hermite", "tanh", "--json")
    d = json.loads(out)
    eps = d["precision"]
    decimals = math.floor(-math.log10(eps))
    ref = hermite_coefficients("tanh", 6, dps=60).coefficients  # a second run at twice the precision
    for s, c in zip(d["coefficients"], ref, strict=True):
        if s == "0":
            assert abs(c) < eps
            continue
        assert len(s.split(".")[1]) == decimals  # exactly the justified decimal places
        with mpmath.workdps(60):
            assert abs(mpmath.mpf(s) - c) <= eps + mpmath.mpf(10) ** -decimals / 2
