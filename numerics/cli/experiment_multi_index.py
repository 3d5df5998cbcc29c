"""``featurecheck experiment multi-index``: DLS one-step network against a kernel on f* = g(Ux).

Sweeps ``d`` (network: ``--d``; kernel: ``--kernel-d``, smaller because kernel ridge needs
``n ~ d^p`` samples and an ``n x n`` solve), measures the median test error (relative MSE) and the
network's largest principal angle against ``n`` over ``--seeds`` seeds, finds the sample size ``n*``
reaching ``--eps`` (log-interpolated), and fits ``n* ~ d^e`` for both methods. See
:mod:`featurecheck.numerics.experiments.multi_index` for the exact procedure. JSON: ``{"network": {...}, "kernel": {...},
"exponents": {"network": e, "kernel": e}, "params": {...}}``. ``--labels independent`` is the random-label
negative control (labels independent of the inputs; no ``n*`` is reached).

The registered claims ``multi_index.subspace_recovery`` and ``multi_index.kernel_vs_network`` judge the
same procedure at one sample size ``n = c d^2`` over i.i.d. seeds (``featurecheck verify <id>``; paper
scale with ``--param size=full``); their thresholds are calibrated in
``tests/calibration/multi_index.json``.
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
    """Add ``featurecheck experiment multi-index`` to the experiment subparsers ``sub``."""
    p = sub.add_parser("multi-index", help="Damian-Lee-Soltanolkotabi one-step network vs kernel ridge on g(Ux)")
    p.add_argument("--d", default="20,40,80", help="network dimensions, comma-separated (default 20,40,80)")
    p.add_argument("--kernel-d", default="8,10,12,14,16", help="kernel dimensions (default 8,10,12,14,16)")
    p.add_argument("--r", default="2", help="number of index directions r (1..8)")
    p.add_argument("--p", default="3", help="degree p of the target (3..6)")
    p.add_argument("--seeds", default="5", help="seeds per (d, n) (median reported)")
    p.add_argument("--eps", default="0.25", help="relative test error that defines n* (0 < eps < 1)")
    p.add_argument("--quad-weight", default="0.5", help="share of the target variance in degree 2 (0 < w < 1)")
    p.add_argument("--width", default="256", help="network width m (even)")
    p.add_argument("--kernel-max-n", default="4000", help="largest kernel sample size (n x n solve)")
    p.add_argument("--labels", default="target", choices=("target", "independent"),
                   help="training labels: f*(x) (default) or independent of x (random-label control)")
    add_json_arg(p)
    add_plot_arg(p, "a figure (error and angle against n)")
    add_executor_args(p)
    p.set_defaults(func=_cmd)


def _cmd(args: argparse.Namespace) -> int:
    from featurecheck.numerics.experiments import multi_index as MI

    ds = parse_int_list("d", args.d, 4, 512)
    kds = parse_int_list("kernel-d", args.kernel_d, 4, 64)
    r = check_int("r", args.r, 1, 8)
    if r > min(ds + kds):
        raise ValueError(f"r must be <= the smallest d ({min(ds + kds)}), got {r}")
    p = check_int("p", args.p, 3, 6)
    seeds = check_int("seeds", args.seeds, 1, 100)
    eps = float(check_real("eps", args.eps, 0, 1, exact=False))
    if not 0 < eps < 1:
        raise ValueError(f"eps must be a real in (0, 1), got {args.eps}")
    m = check_int("width", args.width, 2, 8192)
    if m % 2:
        raise ValueError(f"width must be an even integer in [2, 8192], got {m}")
    kmax = check_int("kernel-max-n", args.kernel_max_n, 16, 20000)

    def progress(method: str, d: int, n: int, e: float, ang: float | None) -> None:
        extra = f"  max angle {ang:5.1f} deg" if ang is not None else ""
        print(f"  {method:7s} d={d:<4d} n={n:<8d} test error {e:.3f}{extra}", file=sys.stderr, flush=True)

    w = float(check_real("quad-weight", args.quad_weight, 0, 1, exact=False))
    if not 0 < w < 1:
        raise ValueError(f"quad-weight must be a real in (0, 1), got {args.quad_weight}")
    ex = executor_kwargs(args)
    net = MI.sweep("network", ds, r=r, p=p, seeds=seeds, eps=eps, m=m, progress=progress, quad_weight=w,
                   labels=args.labels, **ex)
    ker = MI.sweep("kernel", kds, r=r, p=p, seeds=seeds, eps=eps, n_max=kmax, progress=progress, quad_weight=w,
                   labels=args.labels, **ex)
    payload = {
        "params": {"d": ds, "kernel_d": kds, "r": r, "p": p, "seeds": seeds, "eps": eps, "width": m,
                   "kernel_max_n": kmax, "quad_weight": w, "labels": args.labels},
        "network": net.to_json(),
        "kernel": ker.to_json(),
        "exponents": {"network": net.exponent, "kernel": ker.exponent},
    }
    for res in (net, ker):
        print(f"{res.method}: n* (error <= {eps}) by d: "
              + ", ".join(f"d={d}: {_fmt_n_star(res.n_star[d], res.grids[d])}" for d in res.ds)
              + f";  fitted exponent n* ~ d^{res.exponent:.2f}" if res.exponent is not None else
              f"{res.method}: fewer than two d reached eps={eps}; no exponent")
    print("theory: network n ~ d^2 r + d r^p (DLS 2022); kernel n ~ d^p (Ghorbani et al. 2021)")
    write_json(args.json, payload)
    if args.plot:
        _plot(net, ker, args.plot)
    return 0


def _fmt_n_star(n_star: float | None, grid: list[int]) -> str:
    """``n*`` rounded, or ``>N`` (largest n tried) when eps was not reached."""
    return ">" + str(grid[-1]) if n_star is None else str(round(n_star))


def _plot(net: Any, ker: Any, path: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(1, 3, figsize=(14, 4))
    for d in net.ds:
        ax[0].loglog(net.grids[d], net.errors[d], "o-", label=f"network d={d}")
        ax[1].semilogx(net.grids[d], net.angles[d], "o-", label=f"d={d}")
    for d in ker.ds:
        ax[0].loglog(ker.grids[d], ker.errors[d], "s--", label=f"kernel d={d}")
    ax[0].axhline(net.eps, color="k", lw=0.5)
    ax[0].set(xlabel="n", ylabel="test error (relative MSE)")
    ax[0].legend(fontsize=6)
    ax[1].set(xlabel="n", ylabel="largest principal angle (deg)")
    ax[1].legend(fontsize=6)
    for res, mk in ((net, "o"), (ker, "s")):
        pts = [(d, res.n_star[d]) for d in res.ds if res.n_star[d] is not None]
        if pts:
            ax[2].loglog(*zip(*pts, strict=True), mk + "-", label=f"{res.method}: d^{res.exponent:.2f}" if res.exponent else res.method)
    ax[2].set(xlabel="d", ylabel=f"n* (error <= {net.eps})")
    ax[2].legend()
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
