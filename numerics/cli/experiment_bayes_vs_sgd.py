"""``featurecheck experiment bayes-vs-sgd``: samples the exact Bayes learner and online SGD need on sparse parities.

For each n: the exact Bayes learner (uniform prior on the C(n,k) supports; samples until its posterior puts
``1 - delta`` on the true support, decided exactly) and online SGD (ReLU MLP of Barak et al. 2022 Fig. 1 as
reproduced here: width 100, B = 64, lr 1, hinge; samples ``B t_c``) over ``--seeds`` seeds; medians with
order-statistic intervals, log-log slopes with seed-bootstrap intervals, the exact median of GF(2) elimination
and ``log2 C(n,k)``. With ``--noise ETA`` the Bayes arm sees labels flipped at rate ETA, and the noise factor
(ratio of posterior information rates, against ``1/(1 - h(ETA))``) is reported. See
:mod:`featurecheck.numerics.experiments.bayes`; the claims ``bayes.*`` judge the same quantities
(``featurecheck verify bayes.sample_count`` ...).
"""

from __future__ import annotations

import argparse
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


def register(es: Any) -> None:
    """Add ``featurecheck experiment bayes-vs-sgd`` to the experiment subparsers ``es``."""
    p = es.add_parser("bayes-vs-sgd", help="exact Bayes vs online SGD sample counts on sparse parities",
                      description=__doc__.splitlines()[0])
    p.add_argument("--n", default="10,15,20,25,30", help="comma-separated input dimensions (default 10,15,20,25,30)")
    p.add_argument("--k", default="3", help="parity size (default 3)")
    p.add_argument("--seeds", default="25", help="seeds per n and learner (default 25)")
    p.add_argument("--noise", default="0", metavar="ETA", help="label-flip rate of the Bayes arm, rational in [0, 1/2) (default 0)")
    p.add_argument("--delta", default="1/20", metavar="D", help="posterior threshold 1 - D, D in (0, 1/2) (default 1/20)")
    p.add_argument("--max-steps", dest="max_steps", default="100000", help="SGD step cap (default 100000)")
    p.add_argument("--alpha", default="0.05", help="1 - confidence of the intervals (default 0.05)")
    add_json_arg(p, '{"settings", "results", "fits"} (and "noise")')
    add_plot_arg(p, "log-log samples against n with fitted slopes")
    add_executor_args(p)
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=_cmd)


def _fmt(v: Any) -> str:
    return "inf" if v is None else f"{v:g}"


def _cmd(args: argparse.Namespace) -> int:
    from fractions import Fraction

    from featurecheck.numerics.experiments import bayes as BY

    ns = parse_int_list("n", args.n, 2, 4096)
    k = check_int("k", args.k, 1, 64)
    seeds = check_int("seeds", args.seeds, 1, 100_000)
    eta = check_real("noise", args.noise, 0, 1, exact=True)
    if not 0 <= eta < Fraction(1, 2):
        raise ValueError(f"noise must be a rational in [0, 1/2), got {args.noise}")
    delta = check_real("delta", args.delta, 0, 1, exact=True)
    if not 0 < delta < Fraction(1, 2):
        raise ValueError(f"delta must be a rational in (0, 1/2), got {args.delta}")
    alpha = float(check_real("alpha", args.alpha, 1e-6, 0.5))
    sgd = {**BY.SGD_SETTINGS, "max_steps": check_int("max-steps", args.max_steps, 1, 1 << 40)}
    doc = BY.bayes_vs_sgd(ns, k, seeds, eta=eta, delta=delta, sgd=sgd, alpha=alpha, **executor_kwargs(args),
                          progress=not args.quiet)
    if args.json != "-":
        ci = int(round(100 * (1 - alpha)))
        print(f"bayes-vs-sgd: k={k} seeds={seeds} eta={eta} delta={delta}; SGD {sgd}")
        print(f"{'n':>4} {'log2 C':>7} {'Bayes median':>13} {f'{ci}% CI':>12} {'exact bracket':>14} "
              f"{'SGD B*t_c':>10} {f'{ci}% CI':>16} {'GF(2)':>6} {'SGD/Bayes':>10}")
        for r in doc["results"]:
            br = r["bayes_bracket"] or r.get("bayes_noiseless_bracket")
            print(f"{r['n']:>4} {r['log2_C']:>7.2f} {_fmt(r['bayes_samples']):>13} "
                  f"{'[' + _fmt(r['bayes_samples_ci'][0]) + ', ' + _fmt(r['bayes_samples_ci'][1]) + ']':>12} "
                  f"{str(br) if r['bayes_bracket'] else '(noisy)':>14} {_fmt(r['sgd_samples']):>10} "
                  f"{'[' + _fmt(r['sgd_samples_ci'][0]) + ', ' + _fmt(r['sgd_samples_ci'][1]) + ']':>16} "
                  f"{r['gf2_samples']:>6} {_fmt(r['ratio']):>10}")
        for name, f in doc["fits"].items():
            lo, hi = f["slope_ci"]
            s = "undefined" if f["slope"] is None else f"{f['slope']:.3f}"
            rng = "" if lo is None else f" [{lo:.3f}, {hi:.3f}]"
            print(f"log-log slope {name}: {s}{rng}")
        if "noise" in doc:
            nz = doc["noise"]
            if "factor" in nz:
                print(f"noise factor (posterior rates at n = {nz['rate_ns']}): {nz['factor']:.3f} "
                      f"[{nz['factor_ci'][0]:.3f}, {nz['factor_ci'][1]:.3f}]; 1/(1-h(eta)) = {nz['bsc_factor']:.3f}, "
                      f"rough 1/(1-2 eta)^2 = {nz['rough_factor']:.3f}")
            print("ratio of median counts noisy/noiseless by n: "
                  + ", ".join(_fmt(v) if v is None else f"{v:.2f}" for v in nz["median_count_ratio"]))
    write_json(args.json, doc)
    if args.plot:
        BY.plot_bayes_vs_sgd(doc, args.plot)
    return 0
