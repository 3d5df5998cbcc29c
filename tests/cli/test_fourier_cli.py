"""``featurecheck fourier table|expr|ltf``: JSON contract and values against brute force.

Expected coefficients and level weights are plain-Python sums over ``{-1,1}^n`` written here
(``x_i = -1`` iff bit ``i`` of the index is set), independent of the code under test.
"""

from __future__ import annotations

import json
from fractions import Fraction

import pytest

from featurecheck.numerics.cli import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def points(n: int) -> list[tuple[int, ...]]:
    return [tuple(-1 if (x >> i) & 1 else 1 for i in range(n)) for x in range(2**n)]


def brute(f, n: int) -> tuple[dict[int, Fraction], list[Fraction]]:  # noqa: ANN001
    """All hat f(S) (by mask) and the level weights, by direct sums."""
    vals = [f(p) for p in points(n)]
    coefs = {}
    for S in range(2**n):
        tot = 0
        for v, p in zip(vals, points(n), strict=True):
            c = v
            for i in range(n):
                if S >> i & 1:
                    c *= p[i]
            tot += c
        coefs[S] = Fraction(tot, 2**n)
    levels = [Fraction(0)] * (n + 1)
    for S, c in coefs.items():
        levels[bin(S).count("1")] += c * c
    return coefs, levels


def check_payload(data: dict, f, n: int, function: str) -> None:  # noqa: ANN001
    assert data["function"] == function and data["n"] == n
    coefs, levels = brute(f, n)
    got = {int(k): Fraction(v) for k, v in data["coefficients"].items()}
    assert got == {S: c for S, c in coefs.items() if c}  # nonzero ones, exact
    assert data["levels"] == {str(k): str(w) for k, w in enumerate(levels)}
    assert [Fraction(v) for v in data["influences"]] == [
        sum((c * c for S, c in coefs.items() if S >> i & 1), Fraction(0)) for i in range(n)]


def test_ltf_json_issue_example(capsys) -> None:
    code, out, err = run(capsys, "fourier", "ltf", "--weights", "31,31,28,21,2,2", "--theta", "0", "--json")
    assert code == 0 and err == ""
    data = json.loads(out)
    w = [31, 31, 28, 21, 2, 2]
    check_payload(data, lambda x: 1 if sum(a * b for a, b in zip(w, x, strict=True)) >= 0 else -1, 6, "ltf")
    assert data["weights"] == [str(v) for v in w] and data["theta"] == "0" and data["values"] == "pm"


@pytest.mark.parametrize("args,f,n", [
    (["--weights", "3,-2,2,1", "--theta", "-3/2"],
     lambda x: 1 if 3 * x[0] - 2 * x[1] + 2 * x[2] + x[3] >= Fraction(-3, 2) else -1, 4),
    (["--weights", "1,1", "--theta", "0", "--strict"], lambda x: 1 if x[0] + x[1] > 0 else -1, 2),
    (["--weights", "1/2,1,1", "--theta", "1", "--zero-one"], lambda x: int(x[0] / 2 + x[1] + x[2] >= 1), 3),
])
def test_ltf_variants(capsys, args: list[str], f, n: int) -> None:  # noqa: ANN001
    code, out, _ = run(capsys, "fourier", "ltf", *args, "--json")
    assert code == 0
    check_payload(json.loads(out), f, n, "ltf")


@pytest.mark.parametrize("text,f,n", [
    ("x0&x1 | x2", lambda b: (b[0] & b[1]) | b[2], 3),
    ("maj(x0, x1, x2) ^ x3", lambda b: int(b[0] + b[1] + b[2] >= 2) ^ b[3], 4),
    ("thr(2, x0, ~x1, x2, x4)", lambda b: int(b[0] + (1 - b[1]) + b[2] + b[4] >= 2), 5),
])
def test_expr_json(capsys, text: str, f, n: int) -> None:  # noqa: ANN001
    code, out, _ = run(capsys, "fourier", "expr", text, "--json")
    assert code == 0
    data = json.loads(out)
    # xi is the bit "x_i = -1"; the expression's bit b is the value (-1)^b
    check_payload(data, lambda x: (-1) ** f([int(v == -1) for v in x]), n, "expr")
    assert data["expression"] == text


@pytest.mark.parametrize("args,f,n", [
    (["--hex", "0xE8"], lambda x: 1 if sum(x) > 0 else -1, 3),
    (["--hex", "0x8"], lambda x: -1 if x == (-1, -1) else 1, 2),
    (["--hex", "0x2", "--n", "1"], lambda x: x[0], 1),
    (["--bits", "0110 1001"], lambda x: x[0] * x[1] * x[2], 3),
    (["--bits", "0001", "--zero-one"], lambda x: int(x == (-1, -1)), 2),
])
def test_table_json(capsys, args: list[str], f, n: int) -> None:  # noqa: ANN001
    code, out, _ = run(capsys, "fourier", "table", *args, "--json")
    assert code == 0
    check_payload(json.loads(out), f, n, "table")


def test_all_flag_lists_every_mask_and_json_file(capsys, tmp_path) -> None:
    target = tmp_path / "spec.json"
    code, out, _ = run(capsys, "fourier", "table", "--hex", "0x6", "--all", "--json", str(target))
    assert code == 0 and "{0,1}: 1" in out  # the human text still goes to stdout
    data = json.loads(target.read_text())
    assert data["coefficients"] == {"0": "0", "1": "0", "2": "0", "3": "1"}  # XOR_2 = x0 x1


def test_text_output(capsys) -> None:
    code, out, _ = run(capsys, "fourier", "expr", "x0 & x1")
    assert code == 0
    assert "{0,1}: -1/2" in out and "k =  2: 1/4" in out and "influences Inf_i: 1/2, 1/2" in out


@pytest.mark.parametrize("args,fragment", [
    (["table", "--bits", "011"], "bits must have length 2^n"),
    (["table", "--hex", "0xABC"], "not a power of two"),
    (["table", "--hex", "0xE8", "--n", "2"], "more than 2^n = 4 bits"),
    (["table", "--bits", "0110", "--n", "2"], "--n applies to --hex only"),
    (["table"], "one of the arguments --hex --bits is required"),
    (["expr", "x0 + x1"], "unexpected character '+'"),
    (["expr", "x25"], "n must be an integer in [1, 20], got 26"),
    (["expr", "x3", "--n", "2"], "n must be an integer in [4, 4096], got 2"),
    (["ltf", "--weights", "1,,2"], "comma-separated list of rationals"),
    (["ltf", "--weights", "1,a"], "weights[1] must be a finite real"),
    (["ltf", "--weights", ",".join(["1"] * 21)], "between 1 and 20 entries"),
    (["ltf", "--weights", "1,2", "--theta", "t"], "theta must be a finite real"),
])
def test_errors_one_line_exit_2(capsys, args: list[str], fragment: str) -> None:
    code, out, err = run(capsys, "fourier", *args)
    assert code == 2 and out == ""
    assert fragment in err and err.count("\n") == 1, err


def test_majority_contract_unchanged(capsys, tmp_path) -> None:
    code, out, _ = run(capsys, "fourier", "majority", "--n", "3", "--json")
    assert code == 0 and json.loads(out) == {"function": "majority", "n": 3,
                                             "levels": {"1": "1/2", "2": "0", "3": "-1/2"}}
    target = tmp_path / "t.json"
    code, out, _ = run(capsys, "fourier", "threshold", "--n", "2", "--theta", "2", "--json", str(target))
    assert code == 0 and "level    2: 1/4" in out  # T = 1[x1 = x2 = 1] = (1 + x1)(1 + x2)/4
    assert json.loads(target.read_text()) == {"function": "threshold", "n": 2, "theta": "2",
                                              "levels": {"0": "1/4", "1": "1/4", "2": "1/4"}}


def test_majority_plot_writes_a_figure(tmp_path) -> None:
    from featurecheck.numerics.cli import main

    out = tmp_path / "maj.png"
    assert main(["fourier", "majority", "--n", "21", "--plot", str(out)]) == 0
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert main(["fourier", "majority", "--n", "10001", "--k", "3", "--plot", str(tmp_path / "x.png")]) == 2
