"""Bound tables (featurecheck.theory.tables) and ``featurecheck table``: golden files, JSON schema, CLI errors.

Golden files live in ``tests/golden/``; regenerate them after an intended change with
``FEATURECHECK_REGEN_GOLDEN=1 pytest tests/theory/test_tables.py`` and review the diff. No Monte Carlo here:
the false-alarm rate is 0.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from featurecheck.numerics.cli import main
from featurecheck.theory import bounds as B
from featurecheck.theory import tables as T

GOLDEN = Path(__file__).parent.parent / "golden"
REGEN = os.environ.get("FEATURECHECK_REGEN_GOLDEN") == "1"
EXT = {"md": "md", "latex": "tex", "csv": "csv", "json": "json"}
CASES = {
    "parity": ["parity", "--n", "20,50,100", "--k", "2,3,4"],
    "single-index": ["single-index", "--d", "100,1000", "--kstar", "1,2,3,4", "--p", "4"],
    "multi-index": ["multi-index", "--d", "100,1000", "--r", "2", "--p", "3"],
}
GRIDS = {
    "parity": {"n": [20, 50, 100], "k": [2, 3, 4]},
    "single-index": {"d": [100, 1000], "kstar": [1, 2, 3, 4], "p": [4]},
    "multi-index": {"d": [100, 1000], "r": [2], "p": [3]},
}
KEYS = {"method", "quantity", "kind", "formula", "params", "value", "float", "log10", "status", "source"}


@pytest.mark.parametrize("problem", list(CASES))
@pytest.mark.parametrize("fmt", list(EXT))
def test_golden_tables(problem: str, fmt: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["table", *CASES[problem], "--format", fmt]) == 0
    out = capsys.readouterr().out
    path = GOLDEN / f"{problem}.{EXT[fmt]}"
    if REGEN:
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(out, encoding="utf-8")
        pytest.skip(f"regenerated {path.name}")
    assert path.exists(), f"missing golden file {path.name}; run with FEATURECHECK_REGEN_GOLDEN=1"
    assert out == path.read_text(encoding="utf-8")


def test_default_format_is_md(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["table", *CASES["multi-index"]]) == 0
    assert capsys.readouterr().out == T.render(T.build("multi-index", GRIDS["multi-index"]), "md")


@pytest.mark.parametrize("problem", list(GRIDS))
def test_json_schema_and_values(problem: str) -> None:
    table = T.build(problem, GRIDS[problem])
    rows = json.loads(T.render(table, "json"))
    pr = B.PROBLEMS[problem]
    assert isinstance(rows, list) and len(rows) == len(pr.bounds) * math.prod(len(v) for v in GRIDS[problem].values())
    for r in rows:
        assert set(r) == KEYS
        assert r["quantity"] in B.QUANTITIES and r["kind"] in B.KINDS and r["status"] in B.STATUSES
        assert isinstance(r["formula"], str) and r["formula"] and r["source"].strip()
        assert set(pr.grid) <= set(r["params"]) and all(isinstance(r["params"][g], int) for g in pr.grid)
        v, f, lg = r["value"], r["float"], r["log10"]
        assert v is None or isinstance(v, str)  # exact values are strings: "190", "189/4"
        assert lg is None or isinstance(lg, float)
        assert f is None or isinstance(f, float)
        if v is not None:
            v = Fraction(v)
            assert f is None or f == pytest.approx(float(v), rel=1e-9)
        if v is not None and v > 0:
            ref = math.log10(v.numerator) - math.log10(v.denominator)
            assert lg == pytest.approx(ref, abs=1e-9)
        if f is not None and f > 0:
            assert lg == pytest.approx(math.log10(f), abs=1e-8)
        if v is None and f is None:
            assert lg is None or lg > 300  # not applicable, or beyond float range


def test_json_exact_values_against_math_comb() -> None:
    rows = T.records(T.build("parity", {"n": [20, 50], "k": [3]}))
    sq = [r for r in rows if r["quantity"] == "sq-dimension"]
    assert [r["value"] for r in sq] == [str(math.comb(20, 3)), str(math.comb(50, 3))]
    csq = [r for r in rows if r["method"].startswith("CSQ")]
    assert [Fraction(r["value"]) for r in csq] == [Fraction(math.comb(20, 3) - 1, 100), Fraction(math.comb(50, 3) - 1, 100)]


def test_md_structure() -> None:
    table = T.build("parity", GRIDS["parity"])
    md = T.render(table, "md")
    rows = [ln for ln in md.splitlines() if ln.startswith("|")]
    ncol = 6 + 9
    assert len(rows) == 2 + len(B.PARITY.bounds)
    assert rows[1].count("|") == ncol + 1
    for ln in rows[:1] + rows[2:]:
        assert ln.count(" | ") == ncol - 1, ln
    notes = [ln for ln in md.splitlines() if ln[:1].isdigit() and ". `parity." in ln]
    assert len(notes) == len(B.PARITY.bounds)
    assert "n/a" in md  # Glasgow (k = 2 only) and Barak Thm 4 (even k only)


def test_latex_booktabs_and_escaping() -> None:
    tex = T.render(T.build("parity", GRIDS["parity"]), "latex")
    for rule in (r"\toprule", r"\midrule", r"\bottomrule", r"\begin{tabular}", r"\end{table}"):
        assert tex.count(rule) == 1, rule
    body = tex[tex.index(r"\midrule") + len(r"\midrule"):tex.index(r"\bottomrule")].strip().splitlines()
    assert len(body) == len(B.PARITY.bounds)
    for ln in body:
        # 6 leading cells + 9 values; '&' inside math ($...$) does not occur in these formulas
        assert ln.count(" & ") == 14 and ln.endswith(r"\\"), ln
    assert "$$" not in tex  # adjacent math shifts would open display math
    assert r"information\_theoretic" in tex


def test_csv_round_trip() -> None:
    table = T.build("single-index", GRIDS["single-index"])
    rows = list(csv.reader(io.StringIO(T.render(table, "csv"))))
    head, body = rows[0], rows[1:]
    assert head == ["method", "quantity", "kind", "status", "d", "kstar", "p", "value", "float", "log10", "formula",
                    "source"]
    assert len(body) == len(B.SINGLE_INDEX.bounds) * 8
    recs = T.records(table)
    for row, rec in zip(body, recs, strict=True):
        assert row[0] == rec["method"] and row[10] == rec["formula"]
        assert (row[7] == "" and rec["value"] is None) or row[7] == str(rec["value"])


def test_aux_parameters_change_values(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["table", "parity", "--n", "20", "--k", "2", "--format", "json", "--delta", "1/8", "--tau", "1/2"]) == 0
    rows = json.loads(capsys.readouterr().out)
    ge = next(r for r in rows if r["method"].startswith("Gaussian elimination") and r["quantity"] == "samples")
    assert ge["value"] == "23" and ge["params"]["delta"] == "1/8"
    csq = next(r for r in rows if r["method"].startswith("CSQ"))
    assert Fraction(csq["value"]) == Fraction(189, 4)


def test_huge_n_has_no_overflow(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["table", "parity", "--n", "1000000000", "--k", "2,50", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert all(r["log10"] is None or math.isfinite(r["log10"]) for r in rows)
    sq = [r for r in rows if r["quantity"] == "sq-dimension"]
    assert sq[0]["value"] == str(math.comb(10**9, 2))
    big = math.comb(10**9, 50)
    assert sq[1]["value"] is None
    assert sq[1]["log10"] == pytest.approx(len(str(big)) - 1 + math.log10(int(str(big)[:17]) / 1e16), abs=1e-9)


def test_output_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "t.tex"
    assert main(["table", *CASES["multi-index"], "--format", "latex", "--output", str(out)]) == 0
    assert capsys.readouterr().out == ""
    assert out.read_text() == T.render(T.build("multi-index", GRIDS["multi-index"]), "latex")


@pytest.mark.parametrize("argv,needle", [
    (["parity", "--n", "20", "--k", "30"], "k must be in [1, n=20], got k=30"),
    (["parity", "--n", "0", "--k", "1"], "n must be an integer in [1, 1000000000], got 0"),
    (["parity", "--n", "20,x", "--k", "2"], "n must be an integer"),
    (["parity", "--n", "", "--k", "2"], "n must be a comma-separated list"),
    (["parity", "--n", "20", "--k", "2", "--format", "xml"], "invalid choice: 'xml'"),
    (["parity", "--n", "20", "--k", "2", "--delta", "1"], "delta must be a real number in the open interval (0, 1)"),
    (["parity", "--n", "20", "--k", "2", "--eps", "abc"], "eps must be a finite real number"),
    (["parity", "--n", "20"], "the following arguments are required: --k"),
    (["single-index", "--d", "100", "--kstar", "5", "--p", "4"], "kstar must be in [1, p=4]"),
    (["single-index", "--d", "100", "--kstar", "1", "--p", "1001"], "p must be an integer in [1, 1000]"),
    (["multi-index", "--d", "10", "--r", "20", "--p", "3"], "r must be in [1, d=10]"),
    (["multi-index", "--d", "10", "--r", "2", "--p", "3", "--leap", "4"], "leap must be in [1, p=3]"),
    (["parity", "--n", ",".join(str(i) for i in range(1, 101)), "--k", "1,2,3"], "grid has 300 points"),
    (["hermite-index", "--d", "1"], "invalid choice"),
])
def test_cli_bad_input_exit_2_one_line(argv: list[str], needle: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["table", *argv]) == 2
    cap = capsys.readouterr()
    assert cap.out == ""
    lines = cap.err.strip().splitlines()
    assert len(lines) == 1 and needle in lines[0], cap.err


def test_build_validation() -> None:
    with pytest.raises(ValueError, match="problem must be one of"):
        T.build("xor", {})
    with pytest.raises(ValueError, match="no grid parameter 'd'"):
        T.build("parity", {"n": [5], "k": [2], "d": [1]})
    with pytest.raises(ValueError, match="needs a list of values for 'k'"):
        T.build("parity", {"n": [5]})
    with pytest.raises(ValueError, match="no auxiliary parameter 'leap'"):
        T.build("parity", {"n": [5], "k": [2]}, {"leap": 2})
    with pytest.raises(ValueError, match="format must be one of"):
        T.render(T.build("parity", {"n": [5], "k": [2]}), "html")


@given(n=st.integers(1, 10**9), k=st.integers(1, 60), d=st.integers(1, 10**9), p=st.integers(1, 40),
       fmt=st.sampled_from(list(EXT)))
def test_any_grid_renders_and_log10_matches_exact(n: int, k: int, d: int, p: int, fmt: str) -> None:
    k = min(k, n)
    for problem, grid in (("parity", {"n": [n], "k": [k]}), ("single-index", {"d": [d], "kstar": [min(k, p)], "p": [p]}),
                          ("multi-index", {"d": [d], "r": [min(k, d)], "p": [p]})):
        table = T.build(problem, grid)
        assert T.render(table, fmt)
        for row in table.rows:
            v = row.value
            if v.exact is not None and v.exact > 0:
                ex = Fraction(v.exact)
                ref = math.log10(ex.numerator) - math.log10(ex.denominator)
                assert v.log10 == pytest.approx(ref, abs=1e-9), row.bound.id
            if v.log10 is not None:
                assert math.isfinite(v.log10)
