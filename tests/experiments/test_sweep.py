"""Tests of the sweep runner, its statistics, the ``experiment parity-sgd`` CLI and the SGD claims.

Statistics are checked on synthetic data with known answers (exact power laws; log-normal noise
around a known slope with fixed seeds), with negative controls (a slope off by 1, or by 10%, is
outside the interval). The bootstrap generators are seeded, so every assertion is deterministic: this
module makes no random assertion that can change between runs (false-alarm rate 0); the one coverage
check states its binomial margin (> 6 sd). The slow tests run
the full-size claims (25 seeds).
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from featurecheck.numerics.cli import main, write_json
from featurecheck.numerics.experiments.sweep import (
    PRESETS,
    config_from_settings,
    fit_slope,
    plot_run,
    run_task,
    save_csv,
    summarize,
    sweep,
)


def test_fit_slope_recovers_exact_power_law() -> None:
    ns = [10, 15, 20, 25, 30]
    for slope in (0.5, 1.0, 2.5):
        tc = [[3.0 * n**slope] * 5 for n in ns]
        f = fit_slope(ns, tc, n_boot=200)
        assert abs(f["slope"] - slope) < 1e-12
        assert abs(f["slope_ci"][0] - slope) < 1e-12 and abs(f["slope_ci"][1] - slope) < 1e-12
        assert abs(math.exp(f["intercept"]) - 3.0) < 1e-9


def test_fit_slope_interval_covers_truth_and_rejects_wrong_slopes() -> None:
    rng = np.random.default_rng(2)
    ns = [10, 15, 20, 25, 30]
    tc = [(2.0 * n**1.5 * np.exp(rng.normal(0, 0.3, size=25))).tolist() for n in ns]
    f = fit_slope(ns, tc, n_boot=2000)
    lo, hi = f["slope_ci"]
    assert lo <= 1.5 <= hi
    assert not (lo <= 2.5 <= hi) and not (lo <= 0.5 <= hi)  # exponent off by one
    assert not (lo <= 1.5 * 1.3 <= hi)


def test_fit_slope_with_infinite_median() -> None:
    f = fit_slope([10, 20], [[5, 6, 7], [None, None, 9]], n_boot=100)
    assert f["slope"] is None and f["slope_ci"] == (None, None)
    with pytest.raises(ValueError, match="two distinct"):
        fit_slope([10, 10], [[1], [2]])


def test_sweep_independent_of_task_order_and_pure() -> None:
    s = {"width": 30, "max_steps": 3000}
    a = sweep([8, 11], [2, 3], 3, s, progress=False)
    b = sweep([11, 8], [3, 2], [2, 1, 0], s, progress=False)  # another task order
    key = lambda r: (r["n"], r["k"], r["seed"], r["t_c"], r["steps"], r["params_sha256"])  # noqa: E731
    assert sorted(map(key, a.runs)) == sorted(map(key, b.runs))
    r = run_task({**s, "n": 11, "k": 3}, 2)
    assert (r["n"], r["k"], r["seed"], r["t_c"]) == (11, 3, 2, a.t_c(11, 3)[2])


def test_summarize_contract_and_files(tmp_path) -> None:
    res = sweep([8, 12], [2], 3, {"width": 30, "max_steps": 3000}, progress=False)
    res.runs.append({"n": 12, "k": 2, "seed": 3, "t_c": None, "steps": 3000, "converged": False, "seconds": 0.0})
    doc = summarize(res, n_boot=200)
    assert set(doc) == {"settings", "results", "fits"}
    for r in doc["results"]:
        assert {"n", "k", "t_c", "median", "median_ci"} <= set(r)
    r12 = next(r for r in doc["results"] if r["n"] == 12)
    assert len(r12["t_c"]) == 4 and r12["t_c"][-1] is None and r12["n_converged"] == 3
    assert {"k", "slope", "slope_ci"} <= set(doc["fits"][0])
    assert doc["settings"]["width"] == 30 and "inf" in doc["settings"]["statistics"]
    write_json(str(tmp_path / "a.json"), doc)
    back = json.loads((tmp_path / "a.json").read_text())
    assert back["results"][0]["t_c"] == doc["results"][0]["t_c"]
    save_csv(res, str(tmp_path / "a.csv"))
    lines = (tmp_path / "a.csv").read_text().splitlines()
    assert lines[0].startswith("n,k,seed,t_c,converged") and len(lines) == 1 + len(res.runs)


def test_presets_are_valid_and_sourced() -> None:
    for name, p in PRESETS.items():
        assert "Barak" in p["source"] and "2207.08799" in p["source"], name
        config_from_settings(p)
    assert PRESETS["barak-n50-k3"]["width"] == 1000 and PRESETS["barak-n50-k3"]["n"] == [50]


def test_cli_parity_sgd_json_plot(tmp_path, capsys) -> None:
    js, png = tmp_path / "out.json", tmp_path / "out.png"
    code = main(["experiment", "parity-sgd", "--n", "8,10", "--k", "2", "--width", "30", "--batch", "32",
                 "--lr", "0.1", "--loss", "hinge", "--seeds", "3", "--max-steps", "3000", "--json", str(js),
                 "--plot", str(png), "--quiet"])
    assert code == 0
    doc = json.loads(js.read_text())
    assert set(doc) == {"settings", "results", "fits"}
    assert [(r["n"], r["k"], len(r["t_c"])) for r in doc["results"]] == [(8, 2, 3), (10, 2, 3)]
    assert doc["fits"][0]["k"] == 2 and len(doc["fits"][0]["slope_ci"]) == 2
    assert doc["settings"]["lr"] == 0.1 and doc["settings"]["seeds"] == [0, 1, 2]
    assert png.stat().st_size > 1000
    assert "median t_c" in capsys.readouterr().out


def test_cli_preset_and_bad_input(capsys) -> None:
    assert main(["experiment", "parity-sgd", "--list-presets"]) == 0
    assert "barak-fig1-width100" in capsys.readouterr().out
    for argv, frag in ((["--n", "10,x"], "n must be an integer"), (["--loss", "mse"], "loss must be one of"),
                       (["--preset", "nope"], "preset must be one of"), (["--k", "40", "--n", "10"], "k must be <="),
                       (["--seeds", "0"], "seeds must be an integer")):
        assert main(["experiment", "parity-sgd", *argv]) == 2
        err = capsys.readouterr().err.strip()
        assert frag in err and len(err.splitlines()) == 1


def test_plot_run_needs_records() -> None:
    from featurecheck.numerics.experiments.sgd import SGDConfig, Target, train

    res = train(Target.parity(8, 2), SGDConfig(width=20, max_steps=200, record_every=50, stop_on_converge=False))
    assert plot_run(res) is not None
    with pytest.raises(ValueError, match="record_every"):
        plot_run(train(Target.parity(8, 2), SGDConfig(width=20, max_steps=10)))
    import matplotlib.pyplot as plt

    plt.close("all")
