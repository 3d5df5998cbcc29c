"""Run independent tasks in-process or on a Dask cluster, with an optional results store and a progress bar.

A task is ``fn(settings, seed) -> dict``: a pure function of a JSON-friendly settings dict and a seed,
defined at module level (so Dask can ship it by reference). The result of a task therefore does not
depend on where it runs: in-process, on a local cluster of worker processes (``workers=N``), or on an
existing Dask cluster (``scheduler="tcp://host:8786"``). Results are returned in task order.

- **Store** (:class:`featurecheck.numerics.experiments.store.ResultStore`): before any task runs, the
  store is read and every task already there is skipped; each finished task is written by this
  (client) process the moment its result arrives. An interrupted sweep resumes; an overlapping grid
  reuses finished runs.
- **Faults**: a task whose worker dies is retried by Dask (``retries=2``); an unreachable scheduler
  raises ``ValueError`` within ``CONNECT_TIMEOUT`` seconds; Dask missing raises ``ValueError`` with
  the install command.
- **Progress**: a tqdm bar on stderr (completed/total, ETA), only when stderr is a terminal.
- **Numba on workers**: kernels are compiled with ``cache=True``; each worker process loads them from
  the on-disk cache next to the installed package (``__pycache__``) or compiles them once on its first
  task. On a multi-machine cluster every machine keeps its own cache; set ``NUMBA_CACHE_DIR`` to a
  writable local directory if the install location is read-only.

Examples
--------
>>> from featurecheck.numerics.experiments.sweep import run_task
>>> out = run_tasks(run_task, "parity-sgd", [({"n": 8, "k": 2, "width": 20, "max_steps": 2000}, s) for s in (0, 1)],
...                 progress=False)
>>> [r["seed"] for r in out]
[0, 1]
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from featurecheck.theory._validate import check_int

__all__ = ["run_tasks", "CONNECT_TIMEOUT", "DASK_MISSING"]

#: Seconds to wait for a scheduler before giving up.
CONNECT_TIMEOUT = 5
DASK_MISSING = 'needs Dask: pip install "featurecheck[distributed]"'

Task = tuple[Mapping[str, Any], int]


def _progress(total: int, enabled: bool) -> Any:
    from tqdm import tqdm

    return tqdm(total=total, file=sys.stderr, unit="run", disable=not (enabled and sys.stderr.isatty()),
                leave=True)


def _client(workers: int | None, scheduler: str | None) -> tuple[Any, Any]:
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        opt = "--workers" if workers is not None else "--scheduler"
        raise ValueError(f"{opt} {DASK_MISSING}") from None
    if scheduler is not None:
        try:
            return Client(scheduler, timeout=CONNECT_TIMEOUT), None
        except (OSError, TimeoutError) as exc:
            raise ValueError(f"scheduler {scheduler!r} is unreachable within {CONNECT_TIMEOUT} s ({type(exc).__name__})") from None
    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                           dashboard_address=None, silence_logs=logging.ERROR)
    return Client(cluster), cluster


def run_tasks(fn: Callable[[Mapping[str, Any], int], dict[str, Any]], kind: str, tasks: Sequence[Task], *,
              workers: int | None = None, scheduler: str | None = None, store: str | None = None,
              progress: bool = True, on_result: Callable[[dict[str, Any]], None] | None = None) -> list[dict[str, Any]]:
    """Results of ``fn(settings, seed)`` for every task, in task order.

    Parameters
    ----------
    fn : callable
        A module-level pure function ``(settings, seed) -> dict`` (JSON-friendly).
    kind : str
        Name of the task family in the store (e.g. ``"parity-sgd"``).
    tasks : sequence of (settings, seed)
    workers : int, optional
        Start a local Dask cluster of this many worker processes (loopback only).
    scheduler : str, optional
        Address of an existing Dask scheduler (exclusive with ``workers``).
    store : str, optional
        Path of a results store: read before running, written as results arrive.
    progress : bool
        Show a progress bar on stderr when it is a terminal.
    on_result : callable, optional
        Called with each result as it arrives (stored or computed).
    """
    if workers is not None and scheduler is not None:
        raise ValueError(f"give --workers or --scheduler, not both (got workers={workers}, scheduler={scheduler!r})")
    if workers is not None:
        workers = check_int("workers", workers, 1, 1024)
    from featurecheck.numerics.experiments.store import ResultStore

    st = None if store is None else ResultStore(store)
    out: list[dict[str, Any] | None] = [None] * len(tasks)
    todo = []
    for i, (settings, seed) in enumerate(tasks):
        hit = st.get(kind, settings, seed) if st is not None else None
        if hit is None:
            todo.append(i)
        else:
            out[i] = hit
    bar = _progress(len(tasks), progress)
    bar.update(len(tasks) - len(todo))

    def done(i: int, res: dict[str, Any]) -> None:
        out[i] = res
        if st is not None:
            st.put(kind, tasks[i][0], tasks[i][1], res, res.get("seconds"))
        if on_result is not None:
            on_result(res)
        bar.update(1)

    try:
        for i in range(len(tasks)):
            if out[i] is not None and on_result is not None:
                on_result(out[i])  # type: ignore[arg-type]
        if todo and workers is None and scheduler is None:
            for i in todo:
                done(i, fn(tasks[i][0], tasks[i][1]))
        elif todo:
            client, cluster = _client(workers, scheduler)
            from distributed import as_completed

            try:
                futures = {client.submit(fn, dict(tasks[i][0]), tasks[i][1], pure=False, retries=2): i for i in todo}
                for fut in as_completed(futures):
                    done(futures[fut], fut.result())
            finally:
                client.close()
                if cluster is not None:
                    cluster.close()
    finally:
        bar.close()
        if st is not None:
            st.close()
    return [r for r in out if r is not None]
