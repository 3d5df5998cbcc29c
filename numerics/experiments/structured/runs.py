"""The structured-input experiments: every method on the same training set, seeds, medians and intervals."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from featurecheck.numerics.experiments.execute import run_tasks
from featurecheck.numerics.experiments.structured.baselines import fit_kernel, fit_linear, fit_random_features
from featurecheck.numerics.experiments.structured.data import DanielyMalach, PatternModel, ceiling_kind, rng_for
from featurecheck.numerics.experiments.structured.network import (
    NetConfig,
    Network,
    _train,
    accuracy,
    init_network,
    single_thread_blas,
)
from featurecheck.theory import structured as TS
from featurecheck.theory._validate import check_int

__all__ = [
    "METHODS",
    "SIZES",
    "dm_budget",
    "swl_budget",
    "median_interval",
    "ExperimentResult",
    "dm_default_config",
    "swl_default_config",
    "run_daniely_malach",
    "run_shi_wei_liang",
    "alignment",
]


METHODS = ("network", "random-features", "kernel", "linear")
#: Training sizes of the experiment claims: ``reduced`` (the default, about a second per seed on one
#: core) and ``full`` (the paper-scale setting of ``featurecheck experiment``, minutes per seed).
SIZES = ("reduced", "full")


def median_interval(accs: list[float], n_test: int, alpha: float) -> tuple[float, tuple[float, float]]:
    """Median over seeds and a ``1 - alpha`` interval for the median of the seeds' *population* test accuracies.

    The interval is conditional on the trained predictors.

    Each seed's accuracy on ``n_test`` fresh points gets a two-sided Hoeffding interval at
    ``alpha / len(accs)``; with probability ``>= 1 - alpha`` all of them hold (union bound), and then
    the median of the true accuracies lies between the medians of the lower and of the upper ends
    (the median is monotone in each argument). Seed-to-seed variation is not an error here: the
    claim is about these seeds.

    Examples
    --------
    >>> med, (lo, hi) = median_interval([0.5, 0.6, 0.7], 10_000, 1e-3)
    >>> med, round(lo, 4), round(hi, 4)
    (0.6, 0.5791, 0.6209)
    """
    from featurecheck.numerics.estimators.intervals import interval_radius

    if not accs:
        raise ValueError("accs must be non-empty")
    r = interval_radius("hoeffding", n_test, 0.0, 0.0, 1.0, alpha / len(accs))
    med = float(np.median(accs))
    return med, (max(0.0, float(np.median([a - r for a in accs]))), min(1.0, float(np.median([a + r for a in accs]))))


@dataclass
class ExperimentResult:
    """``settings`` and one row per method (the CLI's JSON contract)."""

    settings: dict[str, Any]
    results: list[dict[str, Any]]

    def row(self, method: str) -> dict[str, Any]:
        """Return the result row of ``method`` (KeyError if there is none)."""
        for r in self.results:
            if r["method"] == method:
                return r
        raise KeyError(method)

    def to_json(self) -> dict[str, Any]:
        """Return the JSON document ``{"settings", "results"}`` (the fields themselves, not copies)."""
        return {"settings": self.settings, "results": self.results}

    def table(self) -> str:
        """Plain-text table: method, per-seed accuracies, median and interval."""
        uni = "uniform_median" in self.results[0]
        lines = []
        head = f"{'method':<16} {'median':>7} {'interval':>17}  per-seed"
        if uni:
            head = f"{'method':<16} {'median':>7} {'interval':>17} {'uniform':>8} {'uniform interval':>17}  per-seed (uniform)"
        lines.append(head)
        for r in self.results:
            key = "uniform_accuracy" if uni else "test_accuracy"
            s = f"{r['method']:<16} {r['median']:7.4f} [{r['ci'][0]:.4f}, {r['ci'][1]:.4f}]"
            if uni:
                s += f" {r['uniform_median']:8.4f} [{r['uniform_ci'][0]:.4f}, {r['uniform_ci'][1]:.4f}]"
            s += "  " + ", ".join(f"{a:.4f}" for a in r[key])
            if "ceiling" in r:
                s += f"  (ceiling {r['ceiling']}"
                s += f", uniform {r['uniform_ceiling']})" if "uniform_ceiling" in r else ")"
            if "alignment_cosine_max" in r:
                s += f"  cos(w, sum_A M_j): max {np.median(r['alignment_cosine_max']):.3f}, top-|a| mean {np.median(r['alignment_cosine_top']):.3f}"
            lines.append(s)
        return "\n".join(lines)


def _fit_all(x: np.ndarray, y: np.ndarray, cfg: NetConfig, seed: int, kernel_cap: int,
             methods: tuple[str, ...]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    import time

    with single_thread_blas():
        for m in methods:
            t0 = time.perf_counter()
            if m == "network":
                out[m] = _train(x, y, cfg, seed, 0)
            elif m == "random-features":
                out[m] = fit_random_features(x, y, init_network(x.shape[1], cfg, seed), cfg.activation)
            elif m == "kernel":
                out[m] = fit_kernel(x, y, kernel_cap, seed)
            elif m == "linear":
                out[m] = fit_linear(x, y)
            else:
                raise ValueError(f"method must be one of {list(METHODS)}, got {m!r}")
            out[m + ":seconds"] = time.perf_counter() - t0
    return out


def _check_methods(methods: Any) -> tuple[str, ...]:
    methods = tuple(methods)
    for m in methods:
        if m not in METHODS:
            raise ValueError(f"method must be one of {list(METHODS)}, got {m!r}")
    return methods


def dm_default_config(n: int) -> NetConfig:
    """Return the network of the Daniely–Malach experiment: ReLU, hinge loss, Adam (lr 1e-2), width 256, batch 128.

    It trains 4000 steps for ``n <= 40`` and 10000 above.
    """
    return NetConfig(width=256, steps=4000 if n <= 40 else 10_000, batch=128, lr=1e-2,
                     optimizer="adam", activation="relu", loss="hinge")


def swl_default_config() -> NetConfig:
    """Return the network of the Shi–Wei–Liang experiment: truncated ReLU ``min(1, max(z, 0))``, hinge loss.

    The hinge loss is as in the paper; Adam (lr 3e-3), width 256, batch 128, 6000 steps. (With lr 1e-2
    and the same budget only one seed in three learned at d = 200, D = 100, k = 5; at that rate the
    default budget was about 1e5 samples and 1.2e4 steps.)
    """
    return NetConfig(width=256, steps=6000, batch=128, lr=3e-3, optimizer="adam",
                     activation="truncated-relu", loss="hinge")


def _check_size(size: str) -> str:
    if size not in SIZES:
        raise ValueError(f"size must be one of {list(SIZES)}, got {size!r}")
    return size


def dm_budget(n: int, size: str = "reduced") -> dict[str, Any]:
    """Training budget of the Daniely–Malach experiment: ``n_train, cfg, kernel_cap, n_test``.

    ``full`` (the ``featurecheck experiment daniely-malach`` defaults): 20000 samples and 4000 Adam
    steps for ``n <= 40`` (100000 and 10000 above), width 256, lr 1e-2; NTK ridge on the first 4000
    samples; 20000 test points per test set. ``reduced`` (the claims' default): 10000 samples and 2000
    steps at lr 3e-2, width 128, batch 128 for ``n <= 40``; 40000 samples, 4000 steps at lr 2e-2,
    width 32, batch 256 above (at ``n = 60``, 20000 samples or 3000 steps left about one seed in eight
    below 0.95);
    NTK ridge on the first 2000 samples (an exact solve on all of them costs minutes); 2000 test points
    per test set. Random features and the linear model always use every training sample.

    Examples
    --------
    >>> b = dm_budget(30)
    >>> b["n_train"], b["cfg"].width, b["cfg"].steps, b["kernel_cap"], b["n_test"]
    (10000, 128, 2000, 2000, 2000)
    >>> dm_budget(60, "full")["n_train"]
    100000
    """
    n = check_int("n", n, 2, 4096)
    if _check_size(size) == "full":
        return {"n_train": 20_000 if n <= 40 else 100_000, "cfg": dm_default_config(n), "kernel_cap": 4000,
                "n_test": 20_000}
    if n <= 40:
        cfg = NetConfig(width=128, steps=2000, batch=128, lr=3e-2, optimizer="adam", activation="relu", loss="hinge")
        return {"n_train": 10_000, "cfg": cfg, "kernel_cap": 2000, "n_test": 2000}
    cfg = NetConfig(width=32, steps=4000, batch=256, lr=2e-2, optimizer="adam", activation="relu", loss="hinge")
    return {"n_train": 40_000, "cfg": cfg, "kernel_cap": 2000, "n_test": 2000}


def swl_budget(size: str = "reduced") -> dict[str, Any]:
    """Training budget of the Shi–Wei–Liang experiment: ``n_train, cfg, kernel_cap, n_test``.

    ``full`` (the ``featurecheck experiment shi-wei-liang`` defaults): 50000 samples,
    :func:`swl_default_config` (width 256, 6000 steps), NTK ridge on the first 3000 samples, 20000
    test points. ``reduced`` (the claims' default): 20000 samples, width 32, 2000 Adam steps at lr
    2e-2, batch 256, truncated ReLU and hinge loss; NTK ridge on the first 1000 samples; 2000 test
    points. Random features (the network's initial first layer, same width) and the linear model
    always use every training sample.

    Examples
    --------
    >>> b = swl_budget()
    >>> b["n_train"], b["cfg"].width, b["cfg"].steps, b["kernel_cap"], b["n_test"]
    (20000, 32, 2000, 1000, 2000)
    """
    if _check_size(size) == "full":
        return {"n_train": 50_000, "cfg": swl_default_config(), "kernel_cap": 3000, "n_test": 20_000}
    cfg = NetConfig(width=32, steps=2000, batch=256, lr=2e-2, optimizer="adam", activation="truncated-relu",
                    loss="hinge")
    return {"n_train": 20_000, "cfg": cfg, "kernel_cap": 1000, "n_test": 2000}


def run_daniely_malach(n: int, k: int, *, seeds: int = 3, seed: int = 0, easy: bool = True,
                       q: float = 0.5, common: str = "plus", n_train: int | None = None,
                       n_test: int = 20_000, cfg: NetConfig | None = None, kernel_cap: int = 4000,
                       alpha: float = 1e-3, methods: Any = METHODS, random_labels: bool = False,
                       workers: int | None = None, scheduler: str | None = None, store: str | None = None,
                       progress: bool = False) -> ExperimentResult:
    """Network against fixed features on ``D_A`` (or, with ``easy=False``, the uniform k-parity).

    Every method is trained on the same ``n_train`` points of seed ``seed + i``; test accuracy is
    measured on ``n_test`` fresh points of the training distribution and on ``n_test`` fresh points
    of the uniform component.

    Parameters
    ----------
    n, k : int
    seeds : int
        Number of seeds (>= 1); medians over seeds are reported.
    easy : bool
        False sets ``q = 0`` (the control: plain uniform parity).
    n_train : int, optional
        Default 20000 for ``n <= 40``, else 100000.
    cfg : NetConfig, optional
        Default :func:`dm_default_config`.
    kernel_cap : int
        The NTK ridge regression uses the first ``kernel_cap`` training points (exact solve).
    alpha : float
        Level of the ``ci`` intervals (:func:`median_interval`).
    random_labels : bool
        Negative control: the training labels are replaced by independent fair signs (test labels
        stay ``chi_A``), so no learner can beat chance on fresh points.
    workers, scheduler, store, progress
        Where the seeds run (one task :func:`dm_seed` per seed) and where finished seeds are kept
        (:func:`featurecheck.numerics.experiments.execute.run_tasks`); results do not depend on them.

    Examples
    --------
    >>> r = run_daniely_malach(8, 2, seeds=1, n_train=500, n_test=500, kernel_cap=200,
    ...                        cfg=NetConfig(width=16, steps=100, lr=1e-2))
    >>> r.row("linear")["ceiling_exact"], r.row("linear")["uniform_ceiling_exact"]
    ('7/8', '3/4')
    """
    n = check_int("n", n, 2, 4096)
    k = check_int("k", k, 1, n)
    seeds = check_int("seeds", seeds, 1, 1000)
    n_test = check_int("n_test", n_test, 2, 10**7)
    n_train = check_int("n_train", n_train if n_train is not None else (20_000 if n <= 40 else 100_000), 1, 10**7)
    cfg = cfg or dm_default_config(n)
    methods = _check_methods(methods)
    dm = DanielyMalach(n, k, q=q if easy else 0.0, common=common)
    task = {"n": n, "k": k, "q": float(dm.q), "common": common, "n_train": n_train, "n_test": n_test,
            "cfg": _cfg_dict(cfg), "kernel_cap": kernel_cap, "methods": list(methods), "random_labels": random_labels}
    per_seed = run_tasks(dm_seed, "daniely-malach", [(task, seed + i) for i in range(seeds)], workers=workers,
                         scheduler=scheduler, store=store, progress=progress)
    acc = {m: [r["acc"][m] for r in per_seed] for m in methods}
    uacc = {m: [r["uacc"][m] for r in per_seed] for m in methods}
    secs = {m: [r["secs"][m] for r in per_seed] for m in methods}
    rows = []
    for m in methods:
        med, ci = median_interval(acc[m], n_test, alpha)
        umed, uci = median_interval(uacc[m], n_test, alpha)
        row: dict[str, Any] = {"method": m, "test_accuracy": acc[m], "median": med, "ci": list(ci),
                               "uniform_accuracy": uacc[m], "uniform_median": umed, "uniform_ci": list(uci),
                               "train_seconds": secs[m]}
        if m == "linear":
            row["ceiling"] = float(dm.ceiling("mixture"))
            row["ceiling_exact"] = str(dm.ceiling("mixture"))
            row["uniform_ceiling"] = float(TS.uniform_parity_ceiling(k, ceiling_kind(k)))
            row["uniform_ceiling_exact"] = str(TS.uniform_parity_ceiling(k, ceiling_kind(k)))
            row["ceiling_kind"] = ceiling_kind(k)
            row["uniform_ceiling_of_mixture_fit"] = str(dm.ceiling("uniform"))
        rows.append(row)
    settings = {"experiment": "daniely-malach", "n": n, "k": k, "A": list(dm.A), "q": float(dm.q), "common": common,
                "easy": easy, "random_labels": random_labels, "seeds": [seed + i for i in range(seeds)],
                "n_train": n_train, "n_test": n_test,
                "kernel": "relu-ntk (two-layer, bias 1), exact kernel ridge, relative ridge 1e-3",
                "kernel_cap": min(kernel_cap, n_train), "random_features": f"network init, width {cfg.width}, ridge 1e-3",
                "linear": "ridge on raw x, bias re-chosen for training accuracy",
                "network": _cfg_dict(cfg), "alpha": alpha,
                "interval": "per-seed Hoeffding at alpha/seeds, median of ends"}
    return ExperimentResult(settings, rows)


def dm_seed(task: Mapping[str, Any], seed: int) -> dict[str, Any]:
    """One seed of :func:`run_daniely_malach`: test accuracies and training seconds per method.

    The test accuracies are on the training distribution and on its uniform component. A pure function
    of ``task`` (JSON settings) and ``seed``.
    """
    dm = DanielyMalach(task["n"], task["k"], q=task["q"], common=task["common"])
    x, y, _ = dm.sample(task["n_train"], rng_for(seed, "data-train"))
    if task["random_labels"]:
        y = _coin_labels(task["n_train"], seed)
    xt, yt, _ = dm.sample(task["n_test"], rng_for(seed, "data-test"))
    xu, yu, _ = dm.sample(task["n_test"], rng_for(seed, "data-uniform"), component="uniform")
    methods = tuple(task["methods"])
    fits = _fit_all(x, y, NetConfig(**task["cfg"]), seed, task["kernel_cap"], methods)
    out: dict[str, Any] = {"acc": {}, "uacc": {}, "secs": {}}
    for m in methods:
        with single_thread_blas():
            out["acc"][m] = accuracy(fits[m].predict(xt), yt)
            out["uacc"][m] = accuracy(fits[m].predict(xu), yu)
        out["secs"][m] = round(fits[m + ":seconds"], 3)
    return out


def swl_seed(task: Mapping[str, Any], seed: int) -> dict[str, Any]:
    """One seed of :func:`run_shi_wei_liang`: test accuracy and training seconds per method, and network alignment.

    A pure function of ``task`` (JSON settings) and ``seed``.
    """
    with single_thread_blas():  # the dictionary's QR and the embedding: one thread, reproducible
        pm = PatternModel(task["d"], task["D"], task["k"], p_o=task["p_o"], labels=task["labels"],
                          structure=task["structure"], seed=seed)
        x, y, _ = pm.sample(task["n_train"], rng_for(seed, "data-train"))
        xt, yt, _ = pm.sample(task["n_test"], rng_for(seed, "data-test"))
    if task["random_labels"]:
        y = _coin_labels(task["n_train"], seed)
    methods = tuple(task["methods"])
    fits = _fit_all(x, y, NetConfig(**task["cfg"]), seed, task["kernel_cap"], methods)
    out: dict[str, Any] = {"acc": {}, "secs": {}}
    for m in methods:
        with single_thread_blas():
            out["acc"][m] = accuracy(fits[m].predict(xt), yt)
        out["secs"][m] = round(fits[m + ":seconds"], 3)
    if "network" in methods:
        out["align"] = alignment(fits["network"], pm)
    return out


def _coin_labels(N: int, seed: int) -> np.ndarray:
    # the negative control's training labels: fair signs from their own stream (data-train, extra key 1)
    return (1 - 2 * rng_for(seed, "data-train", 1).integers(0, 2, size=N, dtype=np.int8)).astype(np.float32)


def _cfg_dict(cfg: NetConfig) -> dict[str, Any]:
    from dataclasses import asdict

    return asdict(cfg)


def alignment(net: Network, pm: PatternModel, top: int = 10) -> dict[str, float]:
    """Cosine similarity of first-layer weights with ``sum_{j in A} M_j``, and their weight in ``span M_A``.

    The cosine is reported as the maximum over neurons (``max``; ``init_max`` at initialisation) and as
    the mean over the ``top`` neurons with the largest ``|a_i| ||w_i||`` (``top``); ``span_fraction`` is
    the ``|a_i| ||w_i||``-weighted mean of ``||P_{span M_A} w_i||^2 / ||w_i||^2``.
    """
    v = pm.relevant_direction()
    W = net.W.astype(np.float64)
    nw = np.linalg.norm(W, axis=1) + 1e-30
    cos = np.abs(W @ v) / nw
    imp = np.abs(net.a.astype(np.float64)) * nw
    order = np.argsort(-imp)[:top]
    MA = pm.M[:, list(pm.A)]
    span = ((W @ MA) ** 2).sum(axis=1) / nw**2
    v0 = np.abs(net.W0.astype(np.float64) @ v) / np.linalg.norm(net.W0, axis=1)
    return {"max": float(cos.max()), "top": float(cos[order].mean()),
            "span_fraction": float((imp * span).sum() / imp.sum()), "init_max": float(v0.max())}


def run_shi_wei_liang(d: int, D: int, k: int, *, seeds: int = 3, seed: int = 0, structure: bool = True,
                      p_o: float = 0.5, labels: str = "parity", n_train: int = 50_000, n_test: int = 20_000,
                      cfg: NetConfig | None = None, kernel_cap: int = 3000, alpha: float = 1e-3,
                      methods: Any = METHODS, random_labels: bool = False, workers: int | None = None,
                      scheduler: str | None = None, store: str | None = None,
                      progress: bool = False) -> ExperimentResult:
    """Network against fixed features on the Shi–Wei–Liang pattern model.

    Seed ``s`` also draws the dictionary and ``A``. The network row reports the alignment of its first
    layer with ``sum_{j in A} M_j`` (:func:`alignment`). ``random_labels`` (negative control) replaces
    the training labels by independent fair signs; every method trains on the same ``n_train`` points.
    ``workers, scheduler, store, progress``: as in :func:`run_daniely_malach` (one task
    :func:`swl_seed` per seed).

    Examples
    --------
    >>> r = run_shi_wei_liang(12, 6, 3, seeds=1, n_train=400, n_test=400, kernel_cap=100,
    ...                       cfg=NetConfig(width=8, steps=50, activation="truncated-relu"))
    >>> r.row("linear")["ceiling_exact"]
    '7/8'
    """
    d = check_int("d", d, 1, 10_000)
    D = check_int("D", D, 1, d)
    k = check_int("k", k, 1, D)
    seeds = check_int("seeds", seeds, 1, 1000)
    n_train = check_int("n_train", n_train, 1, 10**7)
    n_test = check_int("n_test", n_test, 2, 10**7)
    cfg = cfg or swl_default_config()
    methods = _check_methods(methods)
    task = {"d": d, "D": D, "k": k, "p_o": p_o, "labels": labels, "structure": structure, "n_train": n_train,
            "n_test": n_test, "cfg": _cfg_dict(cfg), "kernel_cap": kernel_cap, "methods": list(methods),
            "random_labels": random_labels}
    per_seed = run_tasks(swl_seed, "shi-wei-liang", [(task, seed + i) for i in range(seeds)], workers=workers,
                         scheduler=scheduler, store=store, progress=progress)
    acc = {m: [r["acc"][m] for r in per_seed] for m in methods}
    secs = {m: [r["secs"][m] for r in per_seed] for m in methods}
    align = [r["align"] for r in per_seed if "align" in r]
    with single_thread_blas():  # the last seed's model reports the ceiling and the assumptions
        pm = PatternModel(d, D, k, p_o=p_o, labels=labels, structure=structure, seed=seed + seeds - 1)
    rows = []
    for m in methods:
        med, ci = median_interval(acc[m], n_test, alpha)
        row: dict[str, Any] = {"method": m, "test_accuracy": acc[m], "median": med, "ci": list(ci),
                               "train_seconds": secs[m]}
        if m == "linear":
            row["ceiling"] = float(pm.ceiling())
            row["ceiling_exact"] = str(pm.ceiling())
            row["ceiling_kind"] = ceiling_kind(k)
        if m == "network":
            for key in ("max", "top", "span_fraction", "init_max"):
                row[f"alignment_cosine_{key}" if key in ("max", "top") else f"alignment_{key}"] = [a[key] for a in align]
        rows.append(row)
    rep = pm.assumptions()
    settings = {"experiment": "shi-wei-liang", "d": d, "D": D, "k": k, "p_o": p_o, "labels": labels,
                "structure": structure, "random_labels": random_labels, "seeds": [seed + i for i in range(seeds)],
                "n_train": n_train,
                "n_test": n_test, "assumptions": {kk: (str(v) if isinstance(v, Fraction) else v) for kk, v in rep.items()},
                "kernel": "relu-ntk (two-layer, bias 1), exact kernel ridge, relative ridge 1e-3",
                "kernel_cap": min(kernel_cap, n_train),
                "random_features": f"network init, width {cfg.width}, {cfg.activation}, ridge 1e-3",
                "linear": "ridge on raw x, bias re-chosen for training accuracy",
                "network": _cfg_dict(cfg), "alpha": alpha,
                "interval": "per-seed Hoeffding at alpha/seeds, median of ends"}
    return ExperimentResult(settings, rows)
