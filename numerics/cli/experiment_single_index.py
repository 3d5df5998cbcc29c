"""``featurecheck experiment single-index``: online SGD on ``y = sigma(w* . x)``, samples to weak recovery against d.

Runs ``--seeds`` seeds at every ``--d`` (spherical online SGD, correlation loss by default, step
``eta = c (a / C) d^{-max(1, k*/2)}``, hemisphere start; see
:mod:`featurecheck.numerics.experiments.single_index`), and reports per ``d`` the median number of
samples to ``|w . w*| >= 1/2`` with its order-statistic interval, and the fitted exponent of
``median ~ d^e`` with a seed-bootstrap interval next to Ben Arous, Gheissari and Jagannath's exponent.
``--link`` takes a comma-separated list (one fit per link). ``--smoothing L`` runs the smoothed-loss
arm of Damian, Nichani, Ge and Lee (2023) with radius ``lambda = L d^{1/4}`` (exact smoothed
gradient, polynomial links; predicted exponent ``max(1, k*/2)`` up to logarithms). JSON: one document per link,
``{"link", "k_star", "settings", "rows": [{"d", "samples", "median_samples", "median_interval",
"n_censored", ...}], "fit": {"exponent", "exponent_interval", "predicted", ...}}`` (a list of them
for several links). The registered claims ``single_index.exponent`` and ``single_index.order`` judge
the same runs (``featurecheck verify single_index.exponent``).
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
    write_json,
)
from featurecheck.theory._validate import check_int, check_real


def register(sub: Any) -> None:
    """Add ``featurecheck experiment single-index`` to the experiment subparsers ``sub``."""
    p = sub.add_parser("single-index", help="online SGD on a Gaussian single-index target: samples to weak recovery vs d")
    p.add_argument("--link", default="He3",
                   help="He1..He4, relu, abs, tanh or a polynomial in z (as `featurecheck hermite`); comma-separated "
                        "for several (default He3)")
    p.add_argument("--d", default="16,32,64", help="dimensions, comma-separated (default 16,32,64)")
    p.add_argument("--seeds", default="10", help="seeds per d (default 10)")
    p.add_argument("--seed", default="0", help="first seed S: runs use seeds S..S+seeds-1 (default 0)")
    p.add_argument("--lr", default="1", help="constant c of the step size c (a/C) d^-max(1, k*/2) (default 1)")
    p.add_argument("--loss", default="correlation", choices=("correlation", "square"), help="per-sample loss")
    p.add_argument("--smoothing", default="0",
                   help="L >= 0: the smoothed-loss arm of Damian et al. 2023 with radius lambda = L d^(1/4) (polynomial "
                        "links, correlation loss; default 0 = plain online SGD)")
    p.add_argument("--max-samples", default=None,
                   help="cap per run (default 200 d^max(1, k*-1), times log d for k* = 2); capped runs are censored")
    p.add_argument("--alpha", default="0.05", help="level of the median and exponent intervals (default 0.05)")
    p.add_argument("--n-boot", default="4000", help="bootstrap resamples of the exponent (default 4000)")
    add_json_arg(p)
    add_plot_arg(p, "median samples against d (log-log) with the fits")
    add_executor_args(p)
    p.set_defaults(func=_cmd)


def _cmd(args: argparse.Namespace) -> int:
    from featurecheck.numerics.experiments import single_index as SI

    links = [v.strip() for v in str(args.link).split(",") if v.strip()]
    if not links:
        raise ValueError(f"link must name at least one link, got {args.link!r}")
    specs = [SI.resolve_link(v) for v in links]
    ds = parse_int_list("d", args.d, 2, SI.MAX_D)
    seeds = check_int("seeds", args.seeds, 1, 100_000)
    seed = check_int("seed", args.seed, 0, 2**62)
    lr = float(check_real("lr", args.lr, 0, 1e6, exact=False))
    if not lr > 0:
        raise ValueError(f"lr must be a real in (0, 1e6], got {args.lr}")
    cap = None if args.max_samples is None else check_int("max-samples", args.max_samples, 1, 10**12)
    alpha = float(check_real("alpha", args.alpha, 0, 1, exact=False))
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must be a real in (0, 1), got {args.alpha}")
    n_boot = check_int("n-boot", args.n_boot, 100, 10**6)
    smoothing = float(check_real("smoothing", args.smoothing, 0, 100, exact=False))
    ex = executor_kwargs(args)
    docs = []
    for spec in specs:
        data = SI.sweep(spec.name, ds, seeds, seed=seed, lr=lr, max_samples=cap, loss=args.loss, smoothing=smoothing, **ex)
        settings = {"d": ds, "seeds": seeds, "seed": seed, "lr": lr, "loss": args.loss, "max_samples": cap,
                    "smoothing": smoothing,
                    "smoothing_radius": {str(d): SI.smoothing_radius(d, smoothing) for d in ds},
                    "step_size": {str(d): SI.step_size(spec, d, lr, SI.smoothing_radius(d, smoothing)) for d in ds},
                    "start": "uniform on the hemisphere w.w* >= 0"}
        doc = SI.summarize(spec.name, data, alpha=alpha, n_boot=n_boot, seed=seed, settings=settings,
                           smoothing=smoothing)
        docs.append(doc)
        f = doc["fit"]
        out = sys.stderr if args.json == "-" else sys.stdout
        print(f"{spec.name} (k* = {spec.k_star}): median samples to |w.w*| >= 1/2 by d: "
              + ", ".join(f"d={r['d']}: {_fmt(r['median_samples'])} [{_fmt(r['median_interval'][0], '-inf')}, "
                          f"{_fmt(r['median_interval'][1])}]" + (f" ({r['n_censored']} censored)" if r["n_censored"] else "")
                          for r in doc["rows"]), file=out)
        if f["exponent"] is not None:
            lo, hi = f["exponent_interval"]
            print(f"  fitted exponent d^{f['exponent']:.3f}, {1 - alpha:g} seed-bootstrap interval [{_fmt(lo, 'undefined')}, "
                  f"{_fmt(hi, 'undefined')}]; "
                  f"{'Damian et al. 2023 (up to logs)' if smoothing > 0 else 'BGJ 2021'}: {f['predicted']:.3f}", file=out)
        elif len(ds) >= 2:
            print("  no exponent: a median is censored (half or more runs hit the cap)", file=out)
    write_json(args.json, docs[0] if len(docs) == 1 else docs)
    if args.plot:
        SI.plot(docs, args.plot)
    return 0


def _fmt(x: Any, none: str = "inf") -> str:
    if x is None:
        return none
    return f"{x:.3g}" if isinstance(x, float) else str(x)
