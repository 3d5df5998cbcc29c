"""Sweep throughput: runs per second in-process and on a 2-worker local Dask cluster.

Usage (from the repository root; needs ``pip install -e ".[distributed]"``)::

    python benchmarks/sweep_throughput.py            # 240 runs of the (n, k) = (30, 3) parity, width 100
    python benchmarks/sweep_throughput.py --quick    # 60 runs

Both sides run the same tasks (:func:`featurecheck.numerics.experiments.sweep.run_task`) through
:func:`featurecheck.numerics.experiments.execute.run_tasks`; the results are checked to be identical
(t_c, steps and the SHA-256 of the final weights of every run) before anything is printed. The cluster
is started once and warmed up (each worker compiles or loads the kernels) before the clock starts.
Scheduling overhead = 1 - (sum of per-run seconds / workers) / wall time on the cluster.
"""

from __future__ import annotations

import argparse
import time

from featurecheck.numerics.experiments.execute import run_tasks
from featurecheck.numerics.experiments.sweep import run_task


def main() -> None:
    """Run the same sweep in-process and on a 2-worker Dask cluster, check the results agree, print the rates."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    m = 60 if args.quick else 240
    settings = {"n": 30, "k": 3, "width": 100, "batch": 32, "lr": 0.1, "max_steps": 100_000}
    tasks = [(settings, s) for s in range(m)]
    run_task(settings, 10**6)  # compile before the clock
    t0 = time.perf_counter()
    local = run_tasks(run_task, "bench", tasks, progress=False)
    t_local = time.perf_counter() - t0

    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, host="127.0.0.1", dashboard_address=None) as cluster, \
            Client(cluster) as client:
        client.run(run_task, settings, 10**6)  # warm every worker
        addr = cluster.scheduler_address
        t0 = time.perf_counter()
        remote = run_tasks(run_task, "bench", tasks, scheduler=addr, progress=False)
        t_remote = time.perf_counter() - t0
    key = [(r["seed"], r["t_c"], r["steps"], r["params_sha256"]) for r in local]
    assert key == [(r["seed"], r["t_c"], r["steps"], r["params_sha256"]) for r in remote], "executors disagree"
    busy = sum(r["seconds"] for r in remote) / 2
    print(f"sweep of {m} runs ((30,3) parity, width 100, B 32, lr 0.1), identical results on both executors")
    print(f"  in-process (baseline): {m / t_local:8.2f} runs/s  ({t_local:.2f} s)")
    print(f"  dask, 2 workers      : {m / t_remote:8.2f} runs/s  ({t_remote:.2f} s)")
    print(f"  ratio dask/in-process: {t_local / t_remote:.2f}; scheduling overhead {max(0.0, 1 - busy / t_remote):.1%}")


if __name__ == "__main__":
    main()
