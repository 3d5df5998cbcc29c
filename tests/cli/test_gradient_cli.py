"""The ``featurecheck gradient relu`` contract.

JSON keys and exact fractions, null where undefined, one-line errors with exit code 2, and the
``--batch-sweep`` output.

Expected values come from plain-Python enumeration of {-1,1}^n (independent of theory/ and numerics/).
The one sweep here is checked only for structure and self-consistency (no statistical assertion),
so the false-alarm rate of this module is 0.
"""

from __future__ import annotations

import json
import math
from fractions import Fraction
from itertools import product

import pytest

from featurecheck.numerics.cli import main


def brute(n, k, b):
    rel = irr = bias = Fraction(0)
    for x in product((-1, 1), repeat=n):
        if sum(x) + b > 0:
            chi = math.prod(x[:k])
            rel -= chi * x[0]
            irr -= chi * x[n - 1]
            bias -= chi
    N = 2**n
    return rel / N, (irr / N if k < n else None), bias / N


def run_json(capsys, *args):
    code = main(["gradient", "relu", *args, "--json"])
    out, err = capsys.readouterr()
    assert code == 0 and err == ""
    return json.loads(out)


@pytest.mark.parametrize("n,k,b", [(9, 2, "0"), (10, 3, "1/2"), (7, 4, "-1"), (3, 3, "0"), (12, 1, "2.5")])
def test_json_contract_matches_enumeration(capsys, n, k, b):
    d = run_json(capsys, "--n", str(n), "--k", str(k), "--bias", b)
    assert {"relevant", "irrelevant", "bias", "ratio", "gap"} <= set(d)
    rel, irr, bias = brute(n, k, Fraction(b))
    assert Fraction(d["relevant"]) == rel and Fraction(d["bias"]) == bias
    if irr is None:
        assert d["irrelevant"] is None and d["ratio"] is None and d["gap"] is None
    else:
        assert Fraction(d["irrelevant"]) == irr
        assert Fraction(d["gap"]) == abs(rel) - abs(irr)
        if rel == 0:
            assert d["ratio"] is None
        else:
            assert Fraction(d["ratio"]) == abs(irr) / abs(rel)
    for key in ("relevant", "irrelevant", "bias", "ratio", "gap"):
        assert d[key] is None or isinstance(d[key], str)


def test_json_example_values(capsys):
    d = run_json(capsys, "--n", "9", "--k", "2")
    assert d["relevant"] == "-35/256" and d["irrelevant"] == "5/256" and d["bias"] == "0"
    assert d["ratio"] == "1/7" and d["gap"] == "15/128"


def test_text_output(capsys):
    assert main(["gradient", "relu", "--n", "9", "--k", "2"]) == 0
    out = capsys.readouterr().out
    assert "-35/256" in out and "5/256" in out and "dL/dw_8" in out and "15/128" in out


def test_large_n_runs(capsys):
    d = run_json(capsys, "--n", "100001", "--k", "4")  # exact values with ~30000 digits
    assert not d["gap"].startswith("-") and d["gap"] != "0" and "/" in d["gap"]
    assert d["ratio"] == "3/99997"  # (k-1)/(n-k)


@pytest.mark.parametrize(
    "args, match",
    [
        (["--n", "0", "--k", "1"], "n must be an integer in [1, 1000000], got 0"),
        (["--n", "9", "--k", "10"], "k must be an integer in [1, 9], got 10"),
        (["--n", "nine", "--k", "1"], "n must be an integer"),
        (["--n", "9", "--k", "2", "--bias", "inf"], "bias must be a finite real number"),
        (["--n", "9", "--k", "2", "--seed", "1"], "--seed only applies with --batch-sweep"),
        (["--n", "65", "--k", "2", "--batch-sweep"], "n must be an integer in [2, 64], got 65"),
        (["--n", "5", "--k", "4", "--batch-sweep"], "needs a positive Fourier gap"),
        (["--n", "9", "--k", "2", "--batch-sweep", "--seed", "-1"], "seed must be an integer"),
        (["--n", "9"], "the following arguments are required: --k"),
    ],
)
def test_bad_input_one_line_exit_2(capsys, args, match):
    code = main(["gradient", "relu", *args])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert match in err and err.count("\n") == 1


def test_batch_sweep_json(capsys):
    d = run_json(capsys, "--n", "9", "--k", "2", "--batch-sweep", "--seed", "3", "--trials", "200")
    lo, hi = d["interval"]
    assert lo <= d["B_half"] <= hi <= d["bound"]
    assert d["seed"] == 3 and d["trials"] == 200 and "clopper-pearson" in d["interval_kind"]
    assert d["grid"][-1]["ci"][0] > 0.5
    assert all(g["trials"] == 200 and 0 <= g["successes"] <= 200 for g in d["grid"])
    assert main(["gradient", "relu", "--n", "9", "--k", "2", "--batch-sweep", "--seed", "3", "--trials", "200"]) == 0
    text = capsys.readouterr().out
    assert "B_1/2 =" in text and f"{d['B_half']:.6g}" in text
