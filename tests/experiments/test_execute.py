"""Tests of the executors and the results store (featurecheck.numerics.experiments.execute, .store).

- The same results everywhere: a parity-sgd grid on a 2-worker local Dask cluster (loopback), and on
  a separately started ``dask scheduler`` + ``dask worker``, equals the in-process run bit for bit
  (``t_c``, steps and the SHA-256 of the final weights of every run).
- Resuming: an interrupted sweep (an exception half-way) keeps its finished runs; the rerun computes
  only the rest and gives identical results; an identical rerun computes nothing.
- Faults and bad input: unreachable scheduler (exit 2, one line), Dask missing, a store of another
  version or not a store at all, --workers with --scheduler.
- Progress: a bar on a terminal only.
The tests start and stop every cluster they use.
"""

from __future__ import annotations

import io
import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
from typing import Any

import pytest

from featurecheck.numerics.cli import main
from featurecheck.numerics.experiments.execute import DASK_MISSING, run_tasks
from featurecheck.numerics.experiments.store import ResultStore, task_key
from featurecheck.numerics.experiments.sweep import run_task

SETTINGS = {"width": 30, "max_steps": 3000}
TASKS = [({**SETTINGS, "n": n, "k": k}, s) for k in (2, 3) for n in (8, 10) for s in range(3)]


def _repro(rows: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return [(r["n"], r["k"], r["seed"], r["t_c"], r["steps"], r["params_sha256"]) for r in rows]


@pytest.fixture(scope="module")
def in_process() -> list[tuple[Any, ...]]:
    return _repro(run_tasks(run_task, "parity-sgd", TASKS, progress=False))


def test_store_roundtrip_keys_and_export(tmp_path) -> None:
    path = str(tmp_path / "s.db")
    with ResultStore(path) as st:
        st.put("k", {"a": 1, "b": [1, 2]}, 3, {"x": 1.5}, 0.1)
        st.put("k", {"a": 1, "b": [1, 2]}, 3, {"x": 99.0}, 0.2)  # same key: the first result is kept
        assert st.get("k", {"b": [1, 2], "a": 1}, 3) == {"x": 1.5}
        assert st.get("k", {"a": 1, "b": [1, 2]}, 4) is None and st.get("other", {"a": 1, "b": [1, 2]}, 3) is None
        assert st.summary() == [("k", 1)]
        buf = io.StringIO()
        st.export("json", buf)
        assert json.loads(buf.getvalue())[0]["result"] == {"x": 1.5}
        buf = io.StringIO()
        st.export("csv", buf)
        header, row = buf.getvalue().splitlines()[:2]
        assert "settings.b" in header and "result.x" in header and "1.5" in row
    assert task_key("k", {"a": 1}, 0) != task_key("k", {"a": 1}, 1) != task_key("j", {"a": 1}, 1)


def test_store_refuses_other_versions_and_other_files(tmp_path) -> None:
    path = str(tmp_path / "s.db")
    ResultStore(path).close()
    db = sqlite3.connect(path)
    with db:
        db.execute("UPDATE meta SET value = '999' WHERE key = 'results'")
    db.close()
    with pytest.raises(ValueError, match="results version 999"):
        ResultStore(path)
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(ValueError, match="not a featurecheck results store"):
        ResultStore(str(junk))


def test_interrupted_sweep_resumes_with_identical_results(tmp_path, in_process) -> None:
    path = str(tmp_path / "s.db")
    calls: list[int] = []

    def dies_half_way(settings: dict[str, Any], seed: int) -> dict[str, Any]:
        if len(calls) == len(TASKS) // 2:
            raise KeyboardInterrupt
        calls.append(seed)
        return run_task(settings, seed)

    with pytest.raises(KeyboardInterrupt):
        run_tasks(dies_half_way, "parity-sgd", TASKS, store=path, progress=False)
    with ResultStore(path) as st:
        assert st.summary() == [("parity-sgd", len(TASKS) // 2)]
    calls.clear()
    calls.append(-1)  # never interrupt again

    def counted(settings: dict[str, Any], seed: int) -> dict[str, Any]:
        calls.append(seed)
        return run_task(settings, seed)

    assert _repro(run_tasks(counted, "parity-sgd", TASKS, store=path, progress=False)) == in_process
    assert len(calls) - 1 == len(TASKS) - len(TASKS) // 2  # only the unfinished runs ran
    calls.clear()
    assert _repro(run_tasks(counted, "parity-sgd", TASKS, store=path, progress=False)) == in_process
    assert calls == []  # an identical rerun computes nothing
    # an overlapping grid reuses the finished runs
    more = TASKS + [({**SETTINGS, "n": 12, "k": 2}, 0)]
    run_tasks(counted, "parity-sgd", more, store=path, progress=False)
    assert calls == [0]


def test_two_worker_local_cluster_is_bit_identical(in_process) -> None:
    pytest.importorskip("distributed")
    assert _repro(run_tasks(run_task, "parity-sgd", TASKS, workers=2, progress=False)) == in_process


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_a_separately_started_dask_scheduler_works_end_to_end(tmp_path, in_process) -> None:
    pytest.importorskip("distributed")
    port = _free_port()
    addr = f"tcp://127.0.0.1:{port}"
    bindir = os.path.dirname(sys.executable)
    sched = subprocess.Popen([os.path.join(bindir, "dask"), "scheduler", "--host", "127.0.0.1", "--port", str(port),
                              "--no-dashboard"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    worker = subprocess.Popen([os.path.join(bindir, "dask"), "worker", addr, "--nworkers", "1", "--nthreads", "1",
                               "--no-dashboard"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        from distributed import Client

        deadline = time.monotonic() + 60
        while True:  # wait for the scheduler and its worker
            try:
                with Client(addr, timeout=5) as c:
                    if c.scheduler_info()["workers"]:
                        break
            except OSError:
                pass
            assert time.monotonic() < deadline, "the dask scheduler/worker did not start"
            time.sleep(0.5)
        out = tmp_path / "a.json"
        code = main(["experiment", "parity-sgd", "--n", "8,10", "--k", "2,3", "--seeds", "3", "--width", "30",
                     "--max-steps", "3000", "--scheduler", addr, "--json", str(out), "--quiet"])
        assert code == 0
        doc = json.loads(out.read_text())
        got = {(r["n"], r["k"]): r["t_c"] for r in doc["results"]}
        want: dict[tuple[int, int], list[Any]] = {}
        for n, k, _s, tc, _st, _h in in_process:
            want.setdefault((n, k), []).append(tc)
        assert got == want
    finally:
        for p in (worker, sched):
            p.terminate()
        for p in (worker, sched):
            p.wait(timeout=30)


def test_bad_executor_input_is_one_line_exit_2(capsys, monkeypatch) -> None:
    pytest.importorskip("distributed")
    base = ["experiment", "parity-sgd", "--n", "8", "--k", "2", "--seeds", "1", "--quiet"]
    assert main(base + ["--scheduler", f"tcp://127.0.0.1:{_free_port()}"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "unreachable" in err[0]
    assert main(base + ["--workers", "2", "--scheduler", "tcp://127.0.0.1:1"]) == 2
    assert "not both" in capsys.readouterr().err
    assert main(base + ["--workers", "0"]) == 2
    assert "workers must be" in capsys.readouterr().err
    monkeypatch.setitem(sys.modules, "distributed", None)  # Dask not installed
    assert main(base + ["--workers", "2"]) == 2
    assert DASK_MISSING in capsys.readouterr().err


def test_progress_bar_only_on_a_terminal(monkeypatch) -> None:
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    tasks = TASKS[:2]
    pipe = io.StringIO()
    monkeypatch.setattr(sys, "stderr", pipe)
    run_tasks(run_task, "parity-sgd", tasks)
    assert pipe.getvalue() == ""
    tty = Tty()
    monkeypatch.setattr(sys, "stderr", tty)
    run_tasks(run_task, "parity-sgd", tasks)
    assert "2/2" in tty.getvalue()
    tty = Tty()
    monkeypatch.setattr(sys, "stderr", tty)
    run_tasks(run_task, "parity-sgd", tasks, progress=False)
    assert tty.getvalue() == ""


def test_results_cli_ls_show_export(tmp_path, capsys) -> None:
    path = str(tmp_path / "s.db")
    run_tasks(run_task, "parity-sgd", TASKS, store=path, progress=False)
    assert main(["results", "ls", "--store", path]) == 0
    assert f"parity-sgd\t{len(TASKS)} runs" in capsys.readouterr().out
    assert main(["results", "show", "--store", path]) == 0
    out = capsys.readouterr().out
    assert "median t_c" in out and out.count("\n") >= 5
    csv_path = tmp_path / "runs.csv"
    assert main(["results", "export", "--store", path, "--output", str(csv_path)]) == 0
    assert len(csv_path.read_text().splitlines()) == len(TASKS) + 1
    assert main(["results", "ls", "--store", str(tmp_path / "missing.db")]) == 2
    assert main(["results", "export", "--store", path, "--format", "xml"]) == 2


def test_verify_on_a_cluster_matches_in_process(capsys) -> None:
    pytest.importorskip("distributed")
    # --samples pins the Monte Carlo sample count (no clock), so every route is deterministic
    args = ["verify", "majority.coefficient", "sgd.hidden_progress", "--samples", "65536", "--json"]
    assert main(args) == 0
    here = json.loads(capsys.readouterr().out)
    assert main([*args, "--workers", "2"]) == 0
    there = json.loads(capsys.readouterr().out)
    drop = lambda rows: [{k: v for k, v in r.items() if k != "seconds"} for r in rows]  # noqa: E731
    assert drop(here) == drop(there) and len(here) >= 5


def test_sigint_half_way_then_resume_gives_identical_results(tmp_path) -> None:
    import signal

    store = tmp_path / "s.db"
    grid = ["experiment", "parity-sgd", "--n", "20,24", "--k", "3", "--seeds", "60", "--width", "100",
            "--lr", "0.1", "--max-steps", "100000", "--quiet"]
    exe = os.path.join(os.path.dirname(sys.executable), "featurecheck")
    # a background job (as CI runs us) inherits SIGINT ignored; restore the default so Python handles it
    proc = subprocess.Popen([exe, *grid, "--store", str(store)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.monotonic() + 120
    done = 0
    while done < 5:  # let some runs finish (read-only looks at the store), then interrupt
        assert proc.poll() is None, "the sweep ended before it could be interrupted"
        assert time.monotonic() < deadline
        time.sleep(0.02)
        try:
            db = sqlite3.connect(f"file:{store}?mode=ro", uri=True, timeout=1)
            try:
                done = db.execute("SELECT COUNT(*) FROM runs").fetchone()[0]
            finally:
                db.close()
        except sqlite3.Error:
            done = 0  # not created yet
    proc.send_signal(signal.SIGINT)
    assert proc.wait(timeout=60) == 130  # featurecheck: interrupted
    with ResultStore(str(store)) as st:
        kept = sum(c for _, c in st.summary())
    assert 5 <= kept < 120  # interrupted part-way, finished runs kept
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    assert main([*grid, "--store", str(store), "--json", str(a)]) == 0
    assert main([*grid, "--json", str(b)]) == 0  # in-process, no store
    ta = [r["t_c"] for r in json.loads(a.read_text())["results"]]
    tb = [r["t_c"] for r in json.loads(b.read_text())["results"]]
    assert ta == tb


def test_structured_experiments_on_a_cluster_are_bit_identical(tmp_path) -> None:
    pytest.importorskip("distributed")
    from featurecheck.numerics.experiments.structured import NetConfig, run_daniely_malach, run_shi_wei_liang

    cfg = NetConfig(width=16, steps=100, lr=1e-2)
    kw = {"seeds": 2, "n_train": 600, "n_test": 400, "kernel_cap": 200}
    here = run_daniely_malach(8, 2, cfg=cfg, **kw)
    there = run_daniely_malach(8, 2, cfg=cfg, workers=2, store=str(tmp_path / "s.db"), **kw)
    assert [r["test_accuracy"] for r in here.results] == [r["test_accuracy"] for r in there.results]
    again = run_daniely_malach(8, 2, cfg=cfg, store=str(tmp_path / "s.db"), **kw)  # read back from the store
    assert [r["uniform_accuracy"] for r in here.results] == [r["uniform_accuracy"] for r in again.results]
    cfg = NetConfig(width=8, steps=50, activation="truncated-relu")
    here = run_shi_wei_liang(12, 6, 3, cfg=cfg, **kw)
    there = run_shi_wei_liang(12, 6, 3, cfg=cfg, workers=2, **kw)
    assert [r["test_accuracy"] for r in here.results] == [r["test_accuracy"] for r in there.results]


def test_multi_index_sweep_on_a_cluster_is_bit_identical() -> None:
    pytest.importorskip("distributed")
    from featurecheck.numerics.experiments import multi_index as MI

    kw = {"seeds": 2, "n_grid": {8: [64, 128]}, "m": 32, "n_test": 500}
    for method in ("network", "kernel"):
        here = MI.sweep(method, [8], **kw)
        there = MI.sweep(method, [8], workers=2, **kw)
        assert here.errors == there.errors and here.angles == there.angles


def test_a_worker_that_dies_costs_only_its_task(tmp_path, in_process) -> None:
    pytest.importorskip("distributed")
    from common.tasks import dies_once

    marker = tmp_path / "died"
    tasks = [({**s, "marker": str(marker), "victim": 1}, seed) for s, seed in TASKS]
    out = run_tasks(dies_once, "parity-sgd", tasks, workers=2, progress=False, store=str(tmp_path / "s.db"))
    assert marker.exists()  # a worker did die mid-sweep
    assert _repro(out) == in_process


def test_verify_over_a_seed_range_equals_single_seeds(capsys) -> None:
    args = ["verify", "sgd.hidden_progress", "--json"]
    assert main([*args, "--seed", "3..5"]) == 0
    rows = json.loads(capsys.readouterr().out)
    single = []
    for s in (3, 4, 5):
        assert main([*args, "--seed", str(s)]) == 0
        single.extend(json.loads(capsys.readouterr().out))
    drop = lambda rs: [{k: v for k, v in r.items() if k != "seconds"} for r in rs]  # noqa: E731
    assert drop(rows) == drop(single) and len(rows) == 3
    assert main([*args, "--seed", "5..3"]) == 2


def test_verify_shows_example_and_monte_carlo_bars_only_on_a_terminal(monkeypatch) -> None:
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    args = ["verify", "majority.coefficient", "--param", "n=101", "--param", "k=1", "--budget", "1"]
    tty = Tty()
    monkeypatch.setattr(sys, "stderr", tty)
    assert main(args) == 0
    assert "monte-carlo:" in tty.getvalue() and "N = " in tty.getvalue() and "1/1" in tty.getvalue()
    tty = Tty()
    monkeypatch.setattr(sys, "stderr", tty)
    assert main([*args, "--json"]) == 0
    assert tty.getvalue() == ""
