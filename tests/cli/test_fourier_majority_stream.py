"""``featurecheck fourier majority`` with every level: the streamed exact spectrum.

The CLI streams ``p_k / 2^e`` from the recurrence of
:func:`featurecheck.theory.boolean.majority_level_numerators`. Expected values come from other routes:
brute-force sums over ``{-1,1}^n`` for ``n <= 11`` (``common.brute``, pure Python), and the closed form
:func:`~featurecheck.theory.boolean.majority_coefficient` (binomials, no recurrence) at large ``n``, whose
``exact_str`` and ``write_json`` rendering is also the byte-for-byte reference for the output format.
"""

from __future__ import annotations

import json
from decimal import Decimal
from fractions import Fraction

import pytest
from common.brute import brute_coefficient, maj

from featurecheck.numerics.cli import exact_str, main
from featurecheck.theory import boolean as B


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def parse(value: str) -> tuple[Fraction, int]:
    """``"p/q"`` (any length: Python's int() refuses over 4300 digits, Decimal does not) and q as written."""
    num, _, den = value.partition("/")
    q = int(Decimal(den)) if den else 1
    return Fraction(int(Decimal(num)), q), q


def closed_form_outputs(n: int) -> tuple[str, str]:
    """Text and JSON of all levels, rendered from the closed form as the Fraction route did."""
    levels = {str(k): exact_str(B.majority_coefficient(n, k)) for k in range(1, n + 1)}
    text = (f"function=majority, n={n}\nhat f(S) for any |S| = level (E[f chi_S]):\n"
            + "".join(f"  level {k:>4}: {v}\n" for k, v in levels.items()))
    return text, json.dumps({"function": "majority", "n": n, "levels": levels}, indent=2) + "\n"


@pytest.mark.parametrize("n", [1, 3, 5, 7, 9, 11])
def test_every_level_against_brute_force(capsys, n: int) -> None:
    code, out, err = run(capsys, "fourier", "majority", "--n", str(n), "--json")
    assert code == 0 and err == ""
    data = json.loads(out)
    assert list(data) == ["function", "n", "levels"] and data["n"] == n
    assert list(data["levels"]) == [str(k) for k in range(1, n + 1)]
    for k in range(1, n + 1):
        value, den = parse(data["levels"][str(k)])
        assert value == brute_coefficient(maj, n, k)
        assert den == value.denominator  # written in lowest terms


def test_n9_values() -> None:
    assert [(k, str(p), e) for k, p, e in B.majority_level_numerators(9)] == [
        (1, "35", 7), (3, "-5", 7), (5, "3", 7), (7, "-5", 7), (9, "35", 7)]


@pytest.mark.parametrize("n", [1, 9, 101])
def test_bytes_match_the_closed_form_route(capsys, tmp_path, n: int) -> None:
    text, js = closed_form_outputs(n)
    assert run(capsys, "fourier", "majority", "--n", str(n)) == (0, text, "")
    assert run(capsys, "fourier", "majority", "--n", str(n), "--json") == (0, js, "")
    target = tmp_path / "maj.json"
    assert run(capsys, "fourier", "majority", "--n", str(n), "--json", str(target)) == (0, text, "")
    assert target.read_text() == js


def test_large_n_levels_against_closed_form(capsys) -> None:
    n = 20001  # numerators up to about 6000 digits
    code, out, err = run(capsys, "fourier", "majority", "--n", str(n), "--json")
    assert code == 0 and err == ""
    levels = json.loads(out)["levels"]
    assert list(levels) == [str(k) for k in range(1, n + 1)]
    assert all(levels[str(k)] == "0" for k in range(2, n, 2))
    dens = {v.partition("/")[2] for k, v in levels.items() if int(k) % 2}
    assert len(dens) == 1  # one denominator 2^e for every odd level
    for k in (1, 3, 5001, 10001, n - 2, n):
        value, den = parse(levels[str(k)])
        expect = B.majority_coefficient(n, k)
        assert value == expect and den == expect.denominator
        assert levels[str(k)] == exact_str(expect)


def test_recurrence_at_n_100001_against_closed_form() -> None:
    n = 100001
    want = {1, 3, 50001, n}
    got = {k: (p, e) for k, p, e in B.majority_level_numerators(n) if k in want}
    assert set(got) == want
    for k, (p, e) in got.items():
        assert Fraction(int(p), 1 << e) == B.majority_coefficient(n, k)
        assert int(p) % 2 == 1  # lowest terms over 2^e


def test_single_level_at_large_n(capsys) -> None:
    code, out, _ = run(capsys, "fourier", "majority", "--n", "20001", "--k", "3", "--json")
    assert code == 0 and json.loads(out)["levels"] == {"3": exact_str(B.majority_coefficient(20001, 3))}


@pytest.mark.parametrize("args,message", [
    (["--n", "8"], f"n must be an odd integer in [1, {B.MAX_N}], got 8"),
    (["--n", "0"], f"n must be an integer in [1, {B.MAX_N}], got 0"),
    (["--n", str(B.MAX_N + 2)], f"n must be an integer in [1, {B.MAX_N}], got {B.MAX_N + 2}"),
    (["--n", str(B.MAX_N + 2), "--json"], f"n must be an integer in [1, {B.MAX_N}], got {B.MAX_N + 2}"),
    (["--n", "5003", "--plot", "unused.png"], "--plot needs every level: n must be at most 5001, got 5003"),
])
def test_bad_n_one_line_exit_2(capsys, args: list[str], message: str) -> None:
    code, out, err = run(capsys, "fourier", "majority", *args)
    assert code == 2 and out == ""
    assert err.startswith(f"featurecheck: error: {message}") and err.count("\n") == 1, err
