"""``featurecheck experiment spiked``: kernel ridge against the one-step network as the spike grows (Ba et al. 2023).

``x ~ N(0, I + d^beta mu mu^T)``, ``y = sigma*(<x, mu>/sqrt(1 + d^beta))`` with the link
``(h_k* + h_p)/sqrt 2`` (``h_p`` when ``k* = p``), ``n = psi d``. For each ``beta`` of the grid and each
seed: the relative test error of arc-cosine kernel ridge and of the one-step network
(:mod:`featurecheck.numerics.experiments.spiked`); the median over seeds with its order-statistic
interval; and per seed the crossover, the first ``beta`` where the error reaches ``--level``
(linearly interpolated between grid points), summarised by its median and interval next to the
theory's thresholds ``1 - 1/p`` (kernel learns iff ``beta >= 1 - 1/p``) and ``1 - 1/k*`` (network
learns when ``beta > 1 - 1/k*``). The plot marks both thresholds.

The registered claim ``spiked.crossover_order`` judges the same estimator over i.i.d. seeds at a
reduced size (``featurecheck verify spiked.crossover_order``).
"""

from __future__ import annotations

import argparse
import math
from fractions import Fraction
from typing import Any

from featurecheck.numerics.cli import (
    add_executor_args,
    add_json_arg,
    add_plot_arg,
    executor_kwargs,
    json_finite,
    write_json,
)
from featurecheck.theory._validate import check_int, check_real


def register(es: Any) -> None:
    """Add ``featurecheck experiment spiked`` to the experiment subparsers ``es``."""
    p = es.add_parser("spiked", help="spiked covariance: kernel ridge vs one-step network against beta (Ba et al. 2023)",
                      description=__doc__.splitlines()[0])
    p.add_argument("--d", default="256", help="dimension d (default 256)")
    p.add_argument("--beta", default="0,0.1,...,1",
                   help='increasing grid of spike exponents in [0, 2]: "0,0.25,0.5" or "0,0.1,...,0.9" (default 0,0.1,...,1)')
    p.add_argument("--p", default="3", help="degree p of the link (1..8, default 3)")
    p.add_argument("--kstar", default="1", help="information exponent k* of the link (1..p, default 1)")
    p.add_argument("--seeds", default="5", help="seeds per beta (default 5)")
    p.add_argument("--seed", default="0", help="first seed S: seeds S..S+seeds-1 (default 0)")
    p.add_argument("--level", default="0.25", help="relative test error that defines a crossover (default 0.25)")
    p.add_argument("--psi", default="8", help="samples per dimension, n = psi d (default 8)")
    p.add_argument("--width", default="256", help="network width m, even (default 256)")
    p.add_argument("--test-samples", dest="n_test", default="2000", help="test sample size (default 2000)")
    p.add_argument("--alpha", default="0.05", help="1 - confidence of the order-statistic intervals (default 0.05)")
    add_executor_args(p)
    add_json_arg(p)
    add_plot_arg(p, "test error against beta with the thresholds 1 - 1/k* and 1 - 1/p")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=_cmd)


def parse_grid(text: str) -> list[float]:
    """Parse ``"0,0.25,0.5"`` or an arithmetic progression ``"a,b,...,c"`` (exact steps) into floats.

    Examples
    --------
    >>> parse_grid("0,0.1,...,0.5")
    [0.0, 0.1, 0.2, 0.3, 0.4, 0.5]
    >>> parse_grid("0.5, 1")
    [0.5, 1.0]
    >>> parse_grid("0,0.3,...,0.5")
    Traceback (most recent call last):
    ...
    ValueError: beta: the progression 0,0.3,...,0.5 does not reach 0.5 (step 3/10)
    """
    parts = [t.strip() for t in str(text).split(",") if t.strip()]
    if "..." in parts:
        i = parts.index("...")
        if i < 2 or i != len(parts) - 2 or parts.count("...") != 1:
            raise ValueError(f'beta must look like "a,b,...,c" around its "...", got {text!r}')
        vals = [check_real("beta", t, 0, 2, exact=True) for t in parts[:i]]
        a, b = vals[-2], vals[-1]
        c = check_real("beta", parts[-1], 0, 2, exact=True)
        step = b - a
        if step <= 0 or (c - b) % step != 0 or c < b:
            raise ValueError(f"beta: the progression {text.replace(' ', '')} does not reach {parts[-1]} (step {step})")
        vals += [b + step * j for j in range(1, int((c - b) / step) + 1)]
    else:
        vals = [check_real("beta", t, 0, 2, exact=True) for t in parts]
    if not vals or any(y <= x for x, y in zip(vals, vals[1:], strict=False)):
        raise ValueError(f"beta must be a non-empty increasing grid in [0, 2], got {text!r}")
    return [float(Fraction(v)) for v in vals]



def summarize(out: dict[str, Any], alpha: float) -> dict[str, Any]:
    """Per-beta medians and intervals, per-method crossover medians and intervals, next to the thresholds.

    JSON conventions: a crossover of ``None`` was never reached (``+inf``: the gap is ``-inf`` / ``+inf``
    when only one learner reached the level, also ``None``); an ``interval`` of ``None`` means too few
    seeds for a ``1 - alpha`` order-statistic interval (``median_rank == 0``).
    """
    from featurecheck.numerics.estimators.seeds import median_interval, median_rank
    from featurecheck.numerics.experiments.spiked import METHODS, gap, thresholds

    s = out["settings"]
    runs = out["runs"]
    th = thresholds(s["kstar"], s["p"])
    bounded = median_rank(len(runs), alpha) > 0  # else too few seeds for a 1 - alpha interval: None

    def ci_of(ci: tuple[float, float]) -> list[float | None] | None:
        return [json_finite(ci[0]), json_finite(ci[1])] if bounded else None

    rows = []
    for i, beta in enumerate(s["betas"]):
        row: dict[str, Any] = {"beta": beta}
        for m in METHODS:
            med, ci = median_interval([r["errors"][m][i] for r in runs], alpha)
            row[m] = {"median": med, "interval": ci_of(ci)}
        rows.append(row)
    cross: dict[str, Any] = {}
    per = {m: [math.inf if r["crossover"][m] is None else r["crossover"][m] for r in runs] for m in METHODS}
    per["gap"] = [gap(k, n) for k, n in zip(per["kernel"], per["network"], strict=True)]
    theory = {"kernel": th["kernel"], "network": th["network"], "gap": th["kernel"] - th["network"]}
    for key, vals in per.items():
        med, ci = median_interval(vals, alpha)
        cross[key] = {"median": json_finite(med), "interval": ci_of(ci),
                      "per_seed": [json_finite(v) for v in vals], "theory": theory[key]}
    return {"settings": s, "alpha": alpha, "thresholds": {"network (1 - 1/k*)": th["network"], "kernel (1 - 1/p)": th["kernel"]},
            "rows": rows, "crossovers": cross, "runs": runs}


def _cmd(args: argparse.Namespace) -> int:
    from featurecheck.numerics.experiments.spiked import MAX_DEGREE, sweep, thresholds

    d = check_int("d", args.d, 4, 4096)
    betas = parse_grid(args.beta)
    p = check_int("p", args.p, 1, MAX_DEGREE)
    kstar = check_int("kstar", args.kstar, 1, p)
    thresholds(kstar, p)
    seeds = check_int("seeds", args.seeds, 1, 100_000)
    seed = check_int("seed", args.seed, 0, 2**63 - 1)
    level = float(check_real("level", args.level, 0, 10))
    psi = float(check_real("psi", args.psi, 0.5, 1000))
    width = check_int("width", args.width, 2, 1 << 14)
    if width % 2:
        raise ValueError(f"width must be even (symmetric initialisation), got {width}")
    n_test = check_int("test-samples", args.n_test, 10, 1 << 20)
    alpha = float(check_real("alpha", args.alpha, 1e-6, 0.5))
    ex = executor_kwargs(args)
    out = sweep(d, betas, kstar, p, seeds, seed=seed, level=level, psi=psi, width=width, n_test=n_test,
                progress=not args.quiet, **ex)
    doc = summarize(out, alpha)
    if args.json != "-":
        _print(doc)
    write_json(args.json, doc)
    if args.plot:
        _plot(doc, args.plot)
    return 0


def _num(v: float | None) -> str:
    return "-" if v is None else f"{v:.3f}"


def _ci(ci: list[float | None] | None, fmt: Any) -> str:
    return "[needs more seeds]" if ci is None else f"[{fmt(ci[0])}, {fmt(ci[1])}]"


def _print(doc: dict[str, Any]) -> None:
    s = doc["settings"]
    link = f"h_{s['p']}" if s["kstar"] == s["p"] else f"(h_{s['kstar']} + h_{s['p']})/sqrt 2"
    seeds = [r["seed"] for r in doc["runs"]]
    conf = f"{100 * (1 - doc['alpha']):g}%"
    print(f"spiked: d={s['d']} n={round(s['psi'] * s['d'])} width={s['width']} link {link} (k*={s['kstar']}, p={s['p']}) "
          f"seeds {seeds[0]}..{seeds[-1]}; relative test MSE, median [{conf} order-statistic interval]")
    print(f"{'beta':>6}  {'kernel ridge':>26}  {'one-step network':>26}")
    for r in doc["rows"]:
        cells = [f"{r[m]['median']:.3f} {_ci(r[m]['interval'], _num)}" for m in ("kernel", "network")]
        print(f"{r['beta']:>6.3g}  {cells[0]:>26}  {cells[1]:>26}")

    def f(v: float | None) -> str:
        return "never" if v is None else f"{v:.3f}"  # a gap of None: only one learner reached the level

    print(f"crossover (first beta with error <= {s['level']:g}, interpolated), median [{conf} interval] vs theory:")
    for key, name in (("network", "network  1 - 1/k*"), ("kernel", "kernel   1 - 1/p "), ("gap", "gap      1/k* - 1/p")):
        c = doc["crossovers"][key]
        th = c["theory"]
        print(f"  {key:<8} {f(c['median'])} {_ci(c['interval'], f)}   theory {name} = {th} = {float(th):.3f}")


def _plot(doc: dict[str, Any], path: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    s = doc["settings"]
    fig, ax = plt.subplots(figsize=(6.5, 4.2))
    betas = [r["beta"] for r in doc["rows"]]
    for m, mk, color, name in (("kernel", "s-", "tab:blue", "kernel ridge"), ("network", "o-", "tab:red", "one-step network")):
        med = [r[m]["median"] for r in doc["rows"]]
        ax.plot(betas, med, mk, color=color, label=name)
        if doc["rows"][0][m]["interval"] is not None:
            ax.fill_between(betas, [r[m]["interval"][0] for r in doc["rows"]], [r[m]["interval"][1] for r in doc["rows"]],
                            color=color, alpha=0.15, lw=0)
        c = doc["crossovers"][m]
        if c["median"] is not None and c["interval"] is not None and None not in c["interval"]:
            ax.errorbar([c["median"]], [s["level"]], xerr=[[c["median"] - c["interval"][0]], [c["interval"][1] - c["median"]]],
                        fmt="D", color=color, ms=5, capsize=3)
    th = doc["crossovers"]
    ax.axvline(float(th["network"]["theory"]), ls=":", color="tab:red", label=f"1 - 1/k* = {th['network']['theory']} (network)")
    ax.axvline(float(th["kernel"]["theory"]), ls="--", color="tab:blue", label=f"1 - 1/p = {th['kernel']['theory']} (kernel)")
    ax.axhline(s["level"], color="k", lw=0.5)
    ax.set(xlabel=r"spike exponent $\beta$ ($\theta = d^\beta$)", ylabel="relative test MSE",
           title=f"d = {s['d']}, n = {round(s['psi'] * s['d'])}, k* = {s['kstar']}, p = {s['p']} "
                 f"({len(doc['runs'])} seeds; diamonds: crossovers)")
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
