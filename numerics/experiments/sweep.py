"""Sweeps of SGD runs over (n, k, seed) grids: medians with bootstrap intervals, log-log slopes, plots.

Each run is an independent task, :func:`run_task` ``(settings, seed) -> dict``, a pure function of a
JSON-friendly settings dict and a seed, so the same grid runs on any executor
(:mod:`featurecheck.numerics.experiments.execute`: in-process, or a Dask cluster) and can be kept in
a results store; results never depend on where they ran.

Statistics (stated once, used everywhere)
-----------------------------------------
- Runs that do not converge by the step cap have ``t_c = None`` and count as ``+inf`` in every median
  and bootstrap replicate: they are never dropped. A median or interval bound that is infinite is
  written as ``null`` in JSON.
- The median of each (n, k) cell has the distribution-free order-statistic interval of
  :func:`featurecheck.numerics.estimators.seeds.median_interval` (``1 - alpha`` two-sided,
  ``alpha = 0.05`` by default; it needs at least 6 seeds at 0.05).
- :func:`fit_slope`: least squares of ``log t_c`` on ``log n`` through the per-n medians; the interval
  is the percentile bootstrap of the slope, resampling seeds independently within every n. If a
  replicate has an infinite median the replicate is undefined; if more than ``alpha/2`` of the
  replicates are undefined the corresponding bound is ``None``.

References
----------
Barak et al. 2022 (arXiv 2207.08799), Sec. 3 and Fig. 1: median convergence time over seeds against n,
on log-log axes, with t_c growing like ``n^{O(k)}``.

Examples
--------
>>> fit = fit_slope([10, 20, 40], [[100.0] * 3, [400.0] * 3, [1600.0] * 3], n_boot=100)
>>> round(fit["slope"], 12), fit["slope_ci"]
(2.0, (2.0, 2.0))
"""

from __future__ import annotations

import csv
import hashlib
import math
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from typing import Any

import numpy as np

from featurecheck.numerics._kernels.rng import Purpose, generator
from featurecheck.numerics.estimators.seeds import json_number, median_interval, ols_slope, percentile_interval
from featurecheck.numerics.experiments.barak_fig1 import FIG1_MEDIANS, FIG1_NS
from featurecheck.numerics.experiments.execute import run_tasks
from featurecheck.numerics.experiments.sgd import ARCHITECTURES, SGDConfig, Target, architecture, train
from featurecheck.theory._validate import check_int

__all__ = [
    "run_task",
    "sweep",
    "SweepResult",
    "fit_slope",
    "summarize",
    "save_csv",
    "plot_scaling",
    "plot_run",
    "config_from_settings",
    "PRESETS",
]

_CONFIG_FIELDS = {f.name for f in fields(SGDConfig)}

#: Published settings of Barak et al. 2022 (arXiv 2207.08799), each with its source.
PRESETS: dict[str, dict[str, Any]] = {
    "barak-fig1-width100": {
        "source": "Barak et al. 2022 (arXiv 2207.08799), Sec. 3, Fig. 1 (right): MLP width 100, B = 32, "
                  "lr 0.1, hinge loss, PyTorch-default init, n = 10..30, k = 2, 3, 4",
        "width": 100, "batch": 32, "lr": 0.1, "loss": "hinge", "init": "uniform",
        "n": [10, 15, 20, 25, 30], "k": [2, 3, 4],
    },
    "barak-fig1-width100-lr1": {
        "source": "Barak et al. 2022 (arXiv 2207.08799), Sec. 3: width 100 with lr 1 (the setting whose "
                  "medians are closest to Fig. 1 (right)), B = 32, hinge, PyTorch-default init",
        "width": 100, "batch": 32, "lr": 1.0, "loss": "hinge", "init": "uniform",
        "n": [10, 15, 20, 25, 30], "k": [2, 3, 4],
    },
    "barak-width1000": {
        "source": "Barak et al. 2022 (arXiv 2207.08799), Sec. 3: MLP width 1000, B = 32, lr 0.1, hinge, "
                  "PyTorch-default init",
        "width": 1000, "batch": 32, "lr": 0.1, "loss": "hinge", "init": "uniform",
        "n": [10, 20, 30, 40, 50], "k": [2, 3],
    },
    "barak-n50-k3": {
        "source": "Barak et al. 2022 (arXiv 2207.08799), Sec. 3: the (n, k) = (50, 3) parity, width 1000, "
                  "B = 32, lr 0.1, hinge, PyTorch-default init",
        "width": 1000, "batch": 32, "lr": 0.1, "loss": "hinge", "init": "uniform",
        "n": [50], "k": [3],
    },
}


def config_from_settings(settings: Mapping[str, Any], k: int | None = None) -> SGDConfig:
    """Return the :class:`SGDConfig` named by the config keys of ``settings`` (other keys ignored).

    A key ``"arch"`` (a name in :data:`featurecheck.numerics.experiments.sgd.ARCHITECTURES`) sets the
    network of that Fig. 1 panel for a ``k``-parity (``k`` from the argument or ``settings["k"]``);
    its keys take precedence over the same keys in ``settings``.

    Examples
    --------
    >>> cfg = config_from_settings({"arch": "xk-mlp", "lr": 0.05}, k=3)
    >>> cfg.activation, cfg.power, cfg.lr
    ('poly', 3, 0.05)
    """
    kw = {k: v for k, v in settings.items() if k in _CONFIG_FIELDS}
    if settings.get("arch") is not None:
        kk = settings.get("k") if k is None else k
        if kk is None:
            raise ValueError("settings with an 'arch' need the parity size k, got none")
        kw.update(architecture(str(settings["arch"]), int(kk)))
    if "check_schedule" in kw:
        kw["check_schedule"] = tuple(tuple(p) for p in kw["check_schedule"])
    return SGDConfig(**kw)


def _target(settings: Mapping[str, Any]) -> Target:
    kind = settings.get("target", "parity")
    n, k = int(settings["n"]), int(settings["k"])
    if kind == "parity":
        return Target.parity(n, k)
    if kind == "staircase":
        return Target.staircase(n, k)
    raise ValueError(f"target must be 'parity' or 'staircase', got {kind!r}")


def run_task(settings: Mapping[str, Any], seed: int) -> dict[str, Any]:
    """One run: a pure function of ``settings`` (``n``, ``k``, ``target``, SGDConfig fields) and ``seed``.

    Returns ``{"n", "k", "seed", "t_c", "steps", "converged", "params_sha256", "seconds"}``:
    ``params_sha256`` is the SHA-256 of the final ``W, b, a, c`` bytes (so two executors can be shown to
    agree bit for bit); ``seconds`` is the only field that is not reproducible.

    Examples
    --------
    >>> r = run_task({"n": 10, "k": 2, "width": 50, "max_steps": 3000}, seed=0)
    >>> r["t_c"], r["converged"]
    (64, True)
    """
    cfg = config_from_settings(settings, int(settings["k"]))
    t0 = time.perf_counter()
    res = train(_target(settings), cfg, seed)
    digest = hashlib.sha256(b"".join(np.ascontiguousarray(res.params[p]).tobytes() for p in "Wbac")).hexdigest()
    return {"n": int(settings["n"]), "k": int(settings["k"]), "seed": int(seed), "t_c": res.t_c,
            "steps": res.steps, "converged": res.converged, "params_sha256": digest,
            "seconds": time.perf_counter() - t0}


def _inf(values: Iterable[int | float | None]) -> np.ndarray:
    return np.array([math.inf if v is None else float(v) for v in values], dtype=np.float64)


def _median(x: np.ndarray, axis: int = -1) -> np.ndarray:
    # np.median averages the two middle values; with an inf among them the mean is inf (no nan)
    return np.median(x, axis=axis)


def fit_slope(ns: Sequence[int], t_c: Sequence[Sequence[int | float | None]], alpha: float = 0.05,
              n_boot: int = 2000, seed: int = 0) -> dict[str, Any]:
    """Log-log slope of the median ``t_c`` against ``n``, with a seed-bootstrap interval.

    Parameters
    ----------
    ns : sequence of int
        At least two distinct values.
    t_c : sequence of sequences
        ``t_c[q]`` lists the runs at ``ns[q]`` (None = not converged).

    Returns
    -------
    dict
        ``slope``, ``intercept`` (of ``log t_c = intercept + slope log n``), ``slope_ci`` (None
        entries where undefined), ``medians``, ``undefined_fraction``; ``slope`` is None if a median is
        infinite.
    """
    if len(ns) != len(t_c) or len(set(ns)) < 2:
        raise ValueError(f"ns must hold at least two distinct values matching t_c, got ns={list(ns)}")
    lx = np.log(np.asarray(ns, dtype=np.float64))
    data = [_inf(v) for v in t_c]
    meds = np.array([_median(d) for d in data])
    out: dict[str, Any] = {"ns": [int(v) for v in ns], "medians": [float(m) for m in meds]}
    if not np.all(np.isfinite(meds)):
        out.update(slope=None, intercept=None, slope_ci=(None, None), undefined_fraction=1.0)
        return out
    lm = np.log(meds)
    slope = float(ols_slope(lx, lm))
    icpt = float(lm.mean() - slope * lx.mean())
    rng = generator(seed, Purpose.SWEEP_SLOPE)
    reps = np.empty((n_boot, len(data)))
    for q, d in enumerate(data):
        idx = rng.integers(0, d.size, size=(n_boot, d.size))
        reps[:, q] = _median(d[idx], axis=1)
    ok = np.all(np.isfinite(reps), axis=1)
    slopes = ols_slope(lx, np.log(reps[ok]))  # of the defined replicates
    undefined = float(1.0 - ok.mean())
    # undefined replicates (an infinite median) sort above every finite slope only if t_c grows with n;
    # we do not guess: a bound is reported only when the undefined mass cannot reach it
    ci = percentile_interval(slopes, undefined, alpha)
    out.update(slope=float(slope), intercept=float(icpt), slope_ci=ci, undefined_fraction=undefined)
    return out


@dataclass
class SweepResult:
    """All runs of a sweep, with the settings that produced them."""

    settings: dict[str, Any]
    runs: list[dict[str, Any]] = field(default_factory=list)

    def t_c(self, n: int, k: int) -> list[int | None]:
        """``t_c`` over seeds (in seed order) at ``(n, k)``."""
        rows = sorted((r for r in self.runs if r["n"] == n and r["k"] == k), key=lambda r: r["seed"])
        return [r["t_c"] for r in rows]


def sweep(ns: Sequence[int], ks: Sequence[int], seeds: Sequence[int] | int, settings: Mapping[str, Any],
          *, workers: int | None = None, scheduler: str | None = None, store: str | None = None,
          progress: bool = True) -> SweepResult:
    """Run every ``(n, k, seed)`` task of the grid (``k <= n`` only) and collect the results.

    Parameters
    ----------
    ns, ks : sequences of int
    seeds : int or sequence of int
        An int ``m`` means seeds ``0..m-1``.
    settings : mapping
        SGDConfig fields plus ``target`` ("parity" or "staircase") and ``arch``.
    workers, scheduler, store, progress
        Where the tasks run and where finished runs are kept
        (:func:`featurecheck.numerics.experiments.execute.run_tasks`); results never depend on them.

    Examples
    --------
    >>> res = sweep([8, 10], [2], 3, {"width": 50, "max_steps": 5000}, progress=False)
    >>> [len(res.t_c(n, 2)) for n in (8, 10)]
    [3, 3]
    """
    ns = [check_int("n", v, 1, 4096) for v in ns]
    ks = [check_int("k", v, 0, 4096) for v in ks]
    seed_list = list(range(check_int("seeds", seeds, 1, 10**6))) if isinstance(seeds, (int, np.integer)) \
        else [check_int("seed", s, 0, 2**63 - 1) for s in seeds]
    base = dict(settings)
    for k in ks:
        config_from_settings(base, k)  # validate before any run
    tasks = [({**base, "n": n, "k": k}, s) for k in ks for n in ns if k <= n for s in seed_list]
    per_k = set(ARCHITECTURES[base["arch"]]) if base.get("arch") is not None else set()  # set per k by the arch
    all_settings = {**{key: v for key, v in config_from_settings(base, ks[0]).to_json().items() if key not in per_k},
                    "target": base.get("target", "parity"),
                    "n": ns, "k": ks, "seeds": seed_list,
                    **{k: v for k, v in base.items() if k not in _CONFIG_FIELDS and k not in ("n", "k")}}
    runs = run_tasks(run_task, "parity-sgd", tasks, workers=workers, scheduler=scheduler, store=store,
                     progress=progress)
    return SweepResult(all_settings, runs)



def summarize(result: SweepResult, alpha: float = 0.05, n_boot: int = 2000) -> dict[str, Any]:
    """Build the JSON document ``{"settings", "results", "fits"}`` of the ``experiment parity-sgd`` contract.

    ``results``: one entry per (n, k) with ``n, k, t_c`` (list over seeds, None = not converged),
    ``median``, ``median_ci``, ``n_converged``; ``fits``: one per k with ``k, slope, slope_ci`` (plus
    ``intercept`` and ``slope_over_k``, the exponent ``alpha`` of ``t_c ~ n^{alpha k}``).
    """
    ns = sorted({r["n"] for r in result.runs})
    ks = sorted({r["k"] for r in result.runs})
    results = []
    fits = []
    for k in ks:
        nk = [n for n in ns if any(r["n"] == n and r["k"] == k for r in result.runs)]
        for n in nk:
            tc = result.t_c(n, k)
            med, (lo, hi) = median_interval(tc, alpha)
            results.append({"n": n, "k": k, "t_c": tc, "median": json_number(med), "median_ci": [json_number(lo), json_number(hi)],
                            "n_converged": sum(v is not None for v in tc), "n_runs": len(tc)})
        if len(nk) >= 2:
            f = fit_slope(nk, [result.t_c(n, k) for n in nk], alpha=alpha, n_boot=n_boot)
            s = f["slope"]
            fits.append({"k": k, "slope": s, "slope_ci": list(f["slope_ci"]), "intercept": f["intercept"],
                         "slope_over_k": None if s is None else s / k, "ns": nk,
                         "undefined_fraction": f["undefined_fraction"]})
    settings = {**result.settings, "alpha": alpha, "n_boot": n_boot,
                "statistics": "median over seeds with non-converged runs as +inf (never dropped; infinite "
                              "values written as null); percentile bootstrap intervals; slope = least squares "
                              "of log median t_c on log n, seed-bootstrap interval"}
    return {"settings": settings, "results": results, "fits": fits}


def save_csv(result: SweepResult, path: str) -> None:
    """One row per run: ``n, k, seed, t_c, converged, steps, seconds`` and every scalar setting."""
    scalar = {k: v for k, v in result.settings.items() if isinstance(v, (int, float, str, bool))}
    cols = ["n", "k", "seed", "t_c", "converged", "steps", "seconds", *sorted(scalar)]
    with open(path, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(cols)
        for r in sorted(result.runs, key=lambda r: (r["k"], r["n"], r["seed"])):
            row = {**scalar, **r}
            w.writerow(["" if row.get(c) is None else row.get(c) for c in cols])


def _plt() -> Any:
    import sys

    import matplotlib

    if "matplotlib.pyplot" not in sys.modules:  # headless by default; keep a notebook's inline backend
        matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def plot_scaling(doc: Mapping[str, Any], ax: Any = None, title: str | None = None) -> Any:
    """Median ``t_c`` against ``n`` per k (log-log, order-statistic intervals) with the fitted lines.

    Non-converged medians (null) are drawn as upward triangles at the top of the axes. For parity
    sweeps the digitised medians of Barak et al. Fig. 1 (right) for the sweep's ``arch`` (default
    ``relu-mlp``) are overlaid as hollow squares.
    """
    plt = _plt()
    if ax is None:
        _, ax = plt.subplots(figsize=(5, 4))
    ks = sorted({r["k"] for r in doc["results"]})
    fits = {f["k"]: f for f in doc["fits"]}
    for q, k in enumerate(ks):
        rows = [r for r in doc["results"] if r["k"] == k]
        col = f"C{q}"
        xs = [r["n"] for r in rows if r["median"] is not None]
        ys = [r["median"] for r in rows if r["median"] is not None]
        lo = [r["median"] - (r["median_ci"][0] or r["median"]) for r in rows if r["median"] is not None]
        hi = [((r["median_ci"][1] if r["median_ci"][1] is not None else r["median"] * 3) - r["median"])
              for r in rows if r["median"] is not None]
        f = fits.get(k)
        lab = f"k={k}"
        if f and f["slope"] is not None:
            ci = f["slope_ci"]
            cis = f" [{ci[0]:.2f}, {ci[1]:.2f}]" if ci[0] is not None else ""
            lab += f": slope {f['slope']:.2f}{cis}"
        ax.errorbar(xs, ys, yerr=[lo, hi], fmt="o", color=col, capsize=3, label=lab)
        if f and f["slope"] is not None:
            grid = np.linspace(min(f["ns"]), max(f["ns"]), 50)
            ax.plot(grid, np.exp(f["intercept"]) * grid ** f["slope"], "-", color=col, alpha=0.7)
        arch = doc.get("settings", {}).get("arch") or "relu-mlp"
        paper = FIG1_MEDIANS.get(arch, {}).get(k) if doc.get("settings", {}).get("target", "parity") == "parity" else None
        if paper is not None:
            ax.plot(FIG1_NS, paper, "s", color=col, mfc="none", ms=7, alpha=0.8,
                    label=f"k={k}: Barak et al. Fig. 1 ({arch})")
        nc = [r["n"] for r in rows if r["median"] is None]
        if nc:
            ax.plot(nc, [max(ys or [1]) * 3] * len(nc), "^", color=col, mfc="none")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("n")
    ax.set_ylabel("median t_c (steps)")
    ax.set_title(title or "convergence time vs n")
    ax.legend(fontsize=8)
    return ax


def plot_run(res: Any, ax: Any = None, control: Any = None) -> Any:
    """Loss and accuracy (left axis) and ``||W_t - W_0||_inf`` (right axis) of a recorded run.

    ``control``: an optional second run (e.g. random labels) whose ``rho`` is drawn dashed.
    """
    plt = _plt()
    if ax is None:
        _, ax = plt.subplots(figsize=(5, 4))
    h = res.history
    if not len(h.get("step", [])):
        raise ValueError("the run has no records: train with SGDConfig(record_every=...)")
    ax.plot(h["step"], h["loss"], color="C0", label="loss")
    ax.plot(h["step"], 1 - h["accuracy"], color="C1", label="error")
    ax.set_xlabel("step")
    ax.set_ylabel("loss / error (measurement batch)")
    ax2 = ax.twinx()
    ax2.plot(h["step"], h["rho"], color="C2", label=r"$\|W_t-W_0\|_\infty$")
    if control is not None:
        ax2.plot(control.history["step"], control.history["rho"], "--", color="C2", label="rho, random labels")
    ax2.set_ylabel(r"$\|W_t - W_0\|_\infty$")
    if res.t_c is not None:
        ax.axvline(res.t_c, color="k", lw=0.8, ls=":")
    lines = ax.get_legend_handles_labels()
    lines2 = ax2.get_legend_handles_labels()
    ax.legend(lines[0] + lines2[0], lines[1] + lines2[1], fontsize=8, loc="center left")
    return ax


def save_figure(doc: Mapping[str, Any], path: str, run: Any = None, control: Any = None) -> None:
    """Scaling plot (and, if given, a recorded run with its random-label control) to ``path``."""
    plt = _plt()
    ncol = 2 if run is not None else 1
    fig, axes = plt.subplots(1, ncol, figsize=(5.5 * ncol, 4.2))
    axes = np.atleast_1d(axes)
    plot_scaling(doc, axes[0])
    if run is not None:
        plot_run(run, axes[1], control=control)
        axes[1].set_title(f"one run: n={run.target.n}, S={list(run.target.relevant)}, seed={run.seed}")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


Callback = Callable[[dict[str, Any]], None]
