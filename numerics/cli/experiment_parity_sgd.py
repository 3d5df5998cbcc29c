"""``featurecheck experiment parity-sgd``: convergence time of online SGD on (n, k)-parities.

Reproduces the scaling experiment of Barak et al. 2022 (arXiv 2207.08799), Sec. 3 / Fig. 1: a two-layer
ReLU network trained by online SGD on fresh batches; ``t_c`` = first step with 100% accuracy on a fresh
validation batch of 2^13; median over seeds per (n, k) with an order-statistic interval; log-log slope of the
medians against n per k. Non-converged runs count as +inf in medians (never dropped).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from featurecheck.numerics.cli import (
    add_executor_args,
    add_json_arg,
    add_plot_arg,
    executor_kwargs,
    parse_int_list,
    summary,
    write_json,
)
from featurecheck.theory._validate import check_int, check_real

_DEFAULTS: dict[str, Any] = {"n": "10,15,20,25,30", "k": "2,3,4", "width": 100, "batch": 32, "lr": 0.1,
                             "loss": "hinge", "seeds": 25, "max_steps": 100_000, "init": "uniform"}


def register(es: Any) -> None:
    """Add ``featurecheck experiment parity-sgd`` to the experiment subparsers ``es``."""
    p = es.add_parser("parity-sgd", help="SGD convergence time on sparse parities (Barak et al. 2022)",
                      description=summary(__doc__))
    p.add_argument("--preset", default=None, help="published setting (see --list-presets); flags override it")
    p.add_argument("--list-presets", action="store_true", help="print the presets with their sources and exit")
    p.add_argument("--arch", default=None,
                   help="network of Barak et al. Fig. 1: relu-mlp (default) | xk-mlp | sin-neuron | polynet; "
                        "sets that panel's training settings (flags override them)")
    p.add_argument("--n", default=None, help="comma-separated input dimensions (default 10,15,20,25,30)")
    p.add_argument("--k", default=None, help="comma-separated parity sizes (default 2,3,4)")
    p.add_argument("--width", default=None, help="hidden units r (default 100)")
    p.add_argument("--batch", default=None, help="batch size B (default 32)")
    p.add_argument("--lr", default=None, help="learning rate (default 0.1)")
    p.add_argument("--loss", default=None, help="hinge | square | logistic | correlation (default hinge)")
    p.add_argument("--seeds", default=None, help="number of seeds per (n, k) (default 25)")
    p.add_argument("--max-steps", dest="max_steps", default=None, help="step cap per run (default 100000)")
    p.add_argument("--weight-decay", dest="weight_decay", default=None, help="L2 coefficient (default 0)")
    p.add_argument("--init", default=None, help="uniform (PyTorch default) | gaussian | sign")
    p.add_argument("--init-scale", dest="init_scale", default=None, help="multiplies 1/sqrt(fan_in) (default 1)")
    p.add_argument("--activation", default=None, help="relu | poly (z^power)")
    p.add_argument("--power", default=None, help="exponent of the poly activation")
    p.add_argument("--no-bias", dest="no_bias", action="store_true", help="no biases")
    p.add_argument("--fixed-second-layer", dest="fixed_second", action="store_true",
                   help="keep the second layer at its initial values")
    p.add_argument("--dtype", default=None, help="float32 (default) | float64")
    p.add_argument("--target", default=None, help="parity (default) | staircase")
    add_executor_args(p)
    p.add_argument("--alpha", default="0.05", help="1 - confidence of the median and slope intervals (default 0.05)")
    add_json_arg(p, '{"settings", "results", "fits"}')
    p.add_argument("--csv", default=None, metavar="FILE", help="write one row per run")
    add_plot_arg(p, "median t_c vs n with fitted lines, and one run")
    p.add_argument("--quiet", action="store_true", help="no progress line")
    p.set_defaults(func=_cmd)


def _settings(args: argparse.Namespace) -> tuple[list[int], list[int], int, dict[str, Any]]:
    from featurecheck.numerics.experiments.sgd import ACTIVATIONS, INITS, LOSSES
    from featurecheck.numerics.experiments.sweep import PRESETS

    vals = dict(_DEFAULTS)
    preset: dict[str, Any] = {}
    if args.preset is not None:
        if args.preset not in PRESETS:
            raise ValueError(f"preset must be one of {sorted(PRESETS)}, got {args.preset!r}")
        preset = PRESETS[args.preset]
        vals.update({k: (",".join(map(str, v)) if isinstance(v, list) else v)
                     for k, v in preset.items() if k != "source"})
    if args.arch is not None:
        from featurecheck.numerics.experiments.barak_fig1 import PANEL_SETTINGS
        from featurecheck.numerics.experiments.sgd import ARCHITECTURES

        if args.arch not in ARCHITECTURES:
            raise ValueError(f"arch must be one of {list(ARCHITECTURES)}, got {args.arch!r}")
        vals.update(PANEL_SETTINGS[args.arch])
        fixed = {key for key in ARCHITECTURES[args.arch] if key in ("width", "activation", "power")}
        for key in sorted(fixed | {"activation", "power"}):
            if getattr(args, key, None) is not None:
                raise ValueError(f"--{key} is set by --arch {args.arch}; got --{key} {getattr(args, key)}")
    for key in ("n", "k", "width", "batch", "lr", "loss", "seeds", "max_steps", "weight_decay", "init",
                "init_scale", "activation", "power", "dtype", "target"):
        v = getattr(args, key)
        if v is not None:
            vals[key] = v
    ns = parse_int_list("n", str(vals["n"]), 1, 4096)
    ks = parse_int_list("k", str(vals["k"]), 1, 4096)
    for k in ks:
        if k > max(ns):
            raise ValueError(f"k must be <= max(n) = {max(ns)}, got k={k}")
    seeds = check_int("seeds", vals["seeds"], 1, 100_000)
    s: dict[str, Any] = {
        "width": check_int("width", vals["width"], 1, 1 << 20),
        "batch": check_int("batch", vals["batch"], 1, 1 << 16),
        "lr": float(check_real("lr", vals["lr"], 0, 1e6)),
        "max_steps": check_int("max_steps", vals["max_steps"], 1, 1 << 40),
    }
    for key, allowed in (("loss", LOSSES), ("init", INITS), ("activation", ACTIVATIONS),
                         ("dtype", ("float32", "float64")), ("target", ("parity", "staircase"))):
        if key in vals:
            if vals[key] not in allowed:
                raise ValueError(f"{key} must be one of {list(allowed)}, got {vals[key]!r}")
            s[key] = vals[key]
    if "weight_decay" in vals:
        s["weight_decay"] = float(check_real("weight_decay", vals["weight_decay"], 0, 1e6))
    if "init_scale" in vals:
        s["init_scale"] = float(check_real("init_scale", vals["init_scale"], 0, 1e6))
    if "power" in vals:
        s["power"] = check_int("power", vals["power"], 1, 8)
    if args.no_bias:
        s["bias"] = False
    if args.fixed_second:
        s["train_second_layer"] = False
    if args.arch is not None:
        s["arch"] = args.arch
        from featurecheck.numerics.experiments.sgd import ARCHITECTURES

        if "width" in ARCHITECTURES[args.arch]:  # one neuron, or one PolyNet block per relevant bit
            s.pop("width")
    if preset:
        s["preset"] = args.preset
        s["preset_source"] = preset["source"]
    return ns, ks, seeds, s


def _cmd(args: argparse.Namespace) -> int:
    from featurecheck.numerics.experiments.sweep import PRESETS, save_csv, save_figure, summarize, sweep

    if args.list_presets:
        for name, p in PRESETS.items():
            print(f"{name}: {p['source']}")
        return 0
    ns, ks, seeds, settings = _settings(args)
    alpha = float(check_real("alpha", args.alpha, 1e-6, 0.5))
    res = sweep(ns, ks, seeds, settings, **executor_kwargs(args), progress=not args.quiet)
    doc = summarize(res, alpha=alpha)
    print(f"parity-sgd: arch={settings.get('arch', 'relu-mlp')} width={settings.get('width', 'by arch')} B={settings['batch']} lr={settings['lr']} "
          f"loss={settings.get('loss', 'hinge')} seeds={seeds} max_steps={settings['max_steps']}")
    print(f"{'n':>5} {'k':>3} {'conv':>7} {'median t_c':>11}  {int(100 * (1 - alpha))}% order-statistic CI")

    def fmt(v: Any) -> str:
        return "inf" if v is None else str(v)

    for r in doc["results"]:
        lo, hi = r["median_ci"]
        print(f"{r['n']:>5} {r['k']:>3} {r['n_converged']:>3}/{r['n_runs']:<3} {fmt(r['median']):>11}  "
              f"[{fmt(lo)}, {fmt(hi)}]")
    for f in doc["fits"]:
        if f["slope"] is None:
            print(f"k={f['k']}: slope undefined (a median is infinite: raise --max-steps)")
        else:
            lo, hi = f["slope_ci"]
            ci = "undefined" if lo is None else f"[{lo:.3f}, {hi:.3f}]"
            print(f"k={f['k']}: log-log slope {f['slope']:.3f}, CI {ci}; slope/k = {f['slope_over_k']:.3f}")
    write_json(args.json, doc)
    if args.csv:
        save_csv(res, args.csv)
    if args.plot:
        run, control = _example_run(doc, settings)
        save_figure(doc, args.plot, run, control)
    sys.stdout.flush()
    return 0


def _example_run(doc: dict[str, Any], settings: dict[str, Any]) -> tuple[Any, Any]:
    """Seed 0 of the middle converged (n, k) cell, recorded past t_c, and its random-label control."""
    from dataclasses import replace

    from featurecheck.numerics.experiments.sgd import Target, train
    from featurecheck.numerics.experiments.sweep import config_from_settings

    cells = [r for r in doc["results"] if r["t_c"] and r["t_c"][0] is not None]
    if not cells:
        return None, None
    cell = cells[len(cells) // 2]
    tc = cell["t_c"][0]
    cfg = config_from_settings(settings, cell["k"])
    steps = max(20, int(1.5 * tc))
    cfg = replace(cfg, max_steps=steps, stop_on_converge=False, record_every=max(1, steps // 150))
    tgt = Target.parity(cell["n"], cell["k"]) if settings.get("target", "parity") == "parity" \
        else Target.staircase(cell["n"], cell["k"])
    return train(tgt, cfg, 0), train(tgt, replace(cfg, random_labels=True), 0)
