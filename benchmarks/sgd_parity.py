"""Benchmark: online SGD on the (n, k) = (50, 3) parity, width 1000, B = 32, lr 0.1, hinge loss.

featurecheck's numba trainer (serial, the default, and ``parallel=True``, which is bit-identical)
against PyTorch CPU (2 threads, and 1 thread) on the same run: the same initial weights
(``featurecheck.numerics.experiments.sgd.init_params``) and the same batches (``featurecheck.numerics.experiments.sgd.batch``), float32. Prints steps/s of
each and ``ratio`` = featurecheck / PyTorch (goal >= 3), measured in the same process run. PyTorch gets
its batches pre-built as tensors (not timed); featurecheck draws them inside its kernel (timed).
It also times a fresh Python process that imports featurecheck and trains one step (numba's on-disk
cache makes this compile-free after the first run; goal < 1 s).

Usage: ``python benchmarks/sgd_parity.py [--quick] [--json]``. Figures on a shared machine are noisy;
only the ratio measured in one run is meaningful.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time

N, K, WIDTH, BATCH, LR = 50, 3, 1000, 32, 0.1


def _featurecheck(steps: int, seed: int, repeats: int, parallel: bool = False) -> dict:
    import numba
    import numpy as np

    from featurecheck.numerics.experiments.sgd import SGDConfig, Target, train

    tgt = Target.parity(N, K)
    fixed = SGDConfig(width=WIDTH, batch=BATCH, lr=LR, max_steps=steps, stop_on_converge=False,
                      check_schedule=((0, 1), (2**62, 1 << 40)))
    train(tgt, SGDConfig(width=WIDTH, max_steps=2), seed, parallel=parallel)  # compile / load the cache
    best, cpu = float("inf"), float("inf")
    for _ in range(repeats):
        c0, t0 = time.process_time(), time.perf_counter()
        res = train(tgt, fixed, seed, parallel=parallel)
        best = min(best, time.perf_counter() - t0)
        cpu = min(cpu, time.process_time() - c0)
    solve_cfg = SGDConfig(width=WIDTH, batch=BATCH, lr=LR, max_steps=50_000)
    t0 = time.perf_counter()
    sol = train(tgt, solve_cfg, seed, parallel=parallel)
    solve_s = time.perf_counter() - t0
    return {"parallel": parallel, "threads": numba.get_num_threads() if parallel else 1, "steps": steps,
            "seconds": best, "steps_per_s": steps / best, "cpu_seconds": cpu, "t_c": sol.t_c,
            "solve_seconds": solve_s, "solve_steps_per_s": sol.steps / solve_s,
            "weights_sum": float(np.sum(res.params["W"], dtype=np.float64))}


def _torch(steps: int, seed: int, repeats: int, threads: int) -> dict | None:
    try:
        import torch
    except ImportError:
        return None
    from featurecheck.numerics.experiments.sgd import SGDConfig, Target, batch, init_params

    torch.set_num_threads(threads)
    tgt = Target.parity(N, K)
    p = init_params(N, SGDConfig(width=WIDTH), seed)
    Xs, ys = [], []
    for t in range(steps):
        X, y = batch(tgt, seed, t, BATCH)
        Xs.append(torch.from_numpy(X))
        ys.append(torch.from_numpy(y))
    best = float("inf")
    for _ in range(repeats):
        l1 = torch.nn.Linear(N, WIDTH)
        l2 = torch.nn.Linear(WIDTH, 1)
        with torch.no_grad():
            l1.weight.copy_(torch.from_numpy(p["W"]))
            l1.bias.copy_(torch.from_numpy(p["b"]))
            l2.weight.copy_(torch.from_numpy(p["a"]).reshape(1, -1))
            l2.bias.copy_(torch.from_numpy(p["c"]))
        net = torch.nn.Sequential(l1, torch.nn.ReLU(), l2)
        opt = torch.optim.SGD(net.parameters(), lr=LR)
        t0 = time.perf_counter()
        for t in range(steps):
            out = net(Xs[t]).squeeze(-1)
            loss = torch.clamp(1 - ys[t] * out, min=0).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
        best = min(best, time.perf_counter() - t0)
    return {"steps": steps, "seconds": best, "steps_per_s": steps / best, "threads": threads,
            "version": torch.__version__}


def _startup() -> dict:
    """A fresh process: import time, numba's one-off first-dispatch set-up (any cached kernel), and the
    load of the cached trainer plus one step."""
    code = ("import time; t0 = time.perf_counter(); import numpy as np; from featurecheck.numerics.experiments.sgd import SGDConfig, "
            "Target, train; from featurecheck.numerics._kernels.rng import mix64; t1 = time.perf_counter(); mix64(np.uint64(1)); "
            "t2 = time.perf_counter(); train(Target.parity(50, 3), SGDConfig(width=1000, max_steps=1), 0); "
            "t3 = time.perf_counter(); print(t1 - t0, t2 - t1, t3 - t2)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ})
    imp, first, tr = (float(v) for v in out.stdout.strip().splitlines()[-1].split())
    return {"import_s": imp, "numba_first_dispatch_s": first, "trainer_load_and_first_step_s": tr,
            "total_s": imp + first + tr}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="fewer steps and repeats")
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    args = ap.parse_args(argv)
    steps, repeats = (300, 2) if args.quick else (2000, 3)
    fc = _featurecheck(steps, 0, repeats)
    fcp = _featurecheck(steps, 0, repeats, parallel=True)
    th = _torch(steps, 0, repeats, threads=2)
    th1 = _torch(steps, 0, repeats, threads=1)
    if fcp["weights_sum"] != fc["weights_sum"] or fcp["t_c"] != fc["t_c"]:
        raise AssertionError("parallel and serial trainers disagree")
    _startup()  # make sure the cache is written
    startup = min((_startup() for _ in range(2)), key=lambda d: d["total_s"])
    doc = {
        "setting": {"n": N, "k": K, "width": WIDTH, "batch": BATCH, "lr": LR, "loss": "hinge", "dtype": "float32"},
        "featurecheck": fc,
        "featurecheck_parallel": fcp,
        "pytorch": th,
        "ratio": None if th is None else fc["steps_per_s"] / th["steps_per_s"],
        "ratio_parallel": None if th is None else fcp["steps_per_s"] / th["steps_per_s"],
        "pytorch_1_thread": th1,
        "ratio_vs_1_thread": None if th1 is None else fc["steps_per_s"] / th1["steps_per_s"],
        "loadavg_1min": os.getloadavg()[0] if hasattr(os, "getloadavg") else None,
        "second_process": startup,
        "cpu_count": os.cpu_count(),
    }
    if args.json:
        print(json.dumps(doc, indent=1))
        return 0
    print(f"1-min load average {doc['loadavg_1min']} on {doc['cpu_count']} CPUs (this run counts about 1; figures are noisy above that)")
    print(f"(n,k)=({N},{K}) width {WIDTH}, B {BATCH}, lr {LR}, hinge, float32, {steps} steps, best of {repeats}")
    print(f"featurecheck : {fc['steps_per_s']:10.0f} steps/s  (solve to t_c={fc['t_c']}: "
          f"{fc['solve_seconds']:.2f} s, {fc['solve_steps_per_s']:.0f} steps/s incl. convergence checks)")
    print(f"featurecheck parallel=True ({fcp['threads']} threads): {fcp['steps_per_s']:10.0f} steps/s "
          f"(bit-identical to serial; t_c={fcp['t_c']})")
    if th is None:
        print("pytorch      : not installed (pip install torch==2.13.0); no ratio")
    else:
        print(f"pytorch {th['version']} ({th['threads']} threads): {th['steps_per_s']:10.0f} steps/s")
        print(f"ratio        : {doc['ratio']:.2f}  (goal >= 3); parallel=True: {doc['ratio_parallel']:.2f}")
        print(f"pytorch (1 thread): {th1['steps_per_s']:10.0f} steps/s; ratio vs 1 thread {doc['ratio_vs_1_thread']:.2f}")
    st = doc["second_process"]
    print(f"second process (numba cache warm): import {st['import_s']:.2f} s, numba first dispatch "
          f"{st['numba_first_dispatch_s']:.2f} s, trainer load + first step {st['trainer_load_and_first_step_s']:.2f} s "
          f"(goal: training starts < 1 s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
