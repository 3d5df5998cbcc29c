"""``featurecheck experiment decomposition``: end-to-end against decomposition on a product of k tasks.

Shalev-Shwartz, Shamir, Shammah (2017), Sec. 3: a tuple of ``k`` line images is labelled by the product
of the images' orientation labels. The same shared per-image MLP with a product head is trained end to
end on the tuple label only, or on the per-image labels (decomposition), at the same budget of examples;
see :mod:`featurecheck.numerics.experiments.decomposition` for the exact family, network and training.
Prints and writes (``--json``) one row per ``(k, arm)`` with the median test accuracy over the seeds,
its order-statistic interval and the per-seed values, then the gradient SNR at initialisation per ``k``
(variance across the ``2^k`` labelings over ``G^2``; Bessel's bound ``2^-k``) and its fitted
exponential rate. An interval the seeds cannot bound at ``--alpha`` is ``null`` in the JSON.
"""

from __future__ import annotations

import argparse
import math
from typing import Any

from featurecheck.numerics.cli import (
    add_executor_args,
    add_json_arg,
    add_plot_arg,
    executor_kwargs,
    json_finite,
    parse_int_list,
    write_json,
)
from featurecheck.theory._validate import check_int, check_real


def register(es: Any) -> None:
    """Add ``featurecheck experiment decomposition`` to the experiment subparsers ``es``."""
    p = es.add_parser("decomposition", help="end-to-end vs decomposition on a product of k line images "
                                            "(Shalev-Shwartz et al. 2017, Sec. 3)", description=__doc__.splitlines()[0])
    p.add_argument("--k", default="1,2,3,4,6,8,12,16,20", help="comma-separated tuple sizes (1..64)")
    p.add_argument("--arms", default="end-to-end,decomposition", help="comma-separated: end-to-end, decomposition")
    p.add_argument("--seeds", default="5", help="seeds per (k, arm): 0..seeds-1 (default 5)")
    p.add_argument("--steps", default="1500", help="Adam steps per run (default 1500; the claims' reduced size is 400)")
    p.add_argument("--batch", default="32", help="tuples per step (default 32)")
    p.add_argument("--width", default="32", help="hidden units of the per-image MLP (default 32)")
    p.add_argument("--lr", default="0.01", help="Adam learning rate (default 0.01)")
    p.add_argument("--test-samples", dest="n_test", default="2000", help="fresh test tuples per run (default 2000)")
    p.add_argument("--labels", default="orientation", choices=("orientation", "random"),
                   help="training labels: the orientation (default) or independent of the images (control)")
    p.add_argument("--snr-images", dest="snr_images", default="65536",
                   help="balanced images of the empirical measure of the SNR (default 65536; 0: no SNR)")
    p.add_argument("--alpha", default="0.1",
                   help="1 - confidence of the order-statistic median intervals (default 0.1: [min, max] at 5 seeds)")
    add_json_arg(p, "the rows (k, arm), the SNR rows and the fitted rate")
    add_plot_arg(p, "accuracy against k for both arms, and the SNR against k")
    add_executor_args(p)
    p.set_defaults(func=_cmd)



def _cmd(args: argparse.Namespace) -> int:
    from featurecheck.numerics.experiments import decomposition as D

    ks = parse_int_list("k", args.k, 1, 64)
    arms = [a.strip() for a in str(args.arms).split(",") if a.strip()]
    for a in arms:
        if a not in D.ARMS:
            raise ValueError(f"arms must be a comma-separated subset of {list(D.ARMS)}, got {a!r}")
    if not arms:
        raise ValueError(f"arms must name at least one of {list(D.ARMS)}, got {args.arms!r}")
    seeds = check_int("seeds", args.seeds, 1, 10_000)
    settings = {"steps": check_int("steps", args.steps, 1, 10**7), "batch": check_int("batch", args.batch, 1, 1 << 14),
                "width": check_int("width", args.width, 1, 4096),
                "lr": float(check_real("lr", args.lr, 0, 10, exact=False)),
                "n_test": check_int("test-samples", args.n_test, 1, 1 << 20), "labels": args.labels}
    snr_images = check_int("snr-images", args.snr_images, 0, 1 << 22)
    if snr_images % 2:
        raise ValueError(f"snr-images must be an even integer in [0, {1 << 22}], got {snr_images}")
    alpha = float(check_real("alpha", args.alpha, 1e-6, 0.5, exact=False))
    ex = executor_kwargs(args)
    rows = D.sweep(ks, arms, seeds, settings, alpha=alpha, **ex)
    for r in rows:
        r["median_interval"] = [json_finite(v) for v in r["median_interval"]]
    print(f"decomposition: {seeds} seeds, {settings['steps']} steps x {settings['batch']} tuples, width "
          f"{settings['width']}, lr {settings['lr']}, labels {settings['labels']}; median test accuracy on "
          f"{settings['n_test']} tuples, {1 - alpha:g} order-statistic interval")
    print(f"{'k':>3}  " + "  ".join(f"{a:>30}" for a in arms))
    for k in ks:
        cells = []
        for a in arms:
            r = next(r for r in rows if r["k"] == k and r["arm"] == a)
            lo, hi = r["median_interval"]
            ci = "unbounded" if lo is None or hi is None else f"[{lo:.3f}, {hi:.3f}]"
            cells.append(f"{r['median']:.3f} {ci:>22}")
        print(f"{k:>3}  " + "  ".join(f"{c:>30}" for c in cells))
    payload: dict[str, Any] = {"settings": {**settings, "k": ks, "arms": arms, "seeds": seeds, "alpha": alpha},
                               "rows": rows}
    if snr_images:
        snr = D.snr_rows(ks, seeds, width=settings["width"], n_images=snr_images, alpha=alpha)
        for r in snr["rows"]:
            r["median_interval"] = [json_finite(v) for v in r["median_interval"]]
        if "median_interval" in snr["rate"]:
            snr["rate"]["median_interval"] = [json_finite(v) for v in snr["rate"]["median_interval"]]
        payload["snr"] = snr["rows"]
        payload["snr_rate"] = snr["rate"]
        payload["settings"]["snr_images"] = snr_images
        print("gradient SNR at initialisation (variance across the 2^k labelings / G^2; Bessel: <= 2^-k)")
        for r in snr["rows"]:
            print(f"{r['k']:>3}  median SNR {r['median_snr']:.3e}   2^-k {r['bound']:.3e}   max 2^k SNR "
                  f"{max(r['bessel']):.3f}")
        rate = snr["rate"]
        if "median" in rate:
            lo, hi = rate["median_interval"]
            ci = "unbounded" if lo is None or hi is None else f"[{lo:.3f}, {hi:.3f}]"
            print(f"fitted rate of ln SNR(k) in k: median {rate['median']:.3f} per image, {1 - alpha:g} interval {ci} "
                  f"(Bessel's envelope 2^-k: ln 2 = {math.log(2):.3f})")
    write_json(args.json, payload)
    if args.plot:
        _plot(payload, args.plot)
    return 0


def _plot(payload: dict[str, Any], path: str) -> None:
    import matplotlib
    import numpy as np

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from featurecheck.numerics.experiments.decomposition import example_images

    has_snr = "snr" in payload
    fig, axes = plt.subplots(1, 3 if has_snr else 2, figsize=(15 if has_snr else 10, 4), squeeze=False)
    X, f = example_images(8, 0)
    tile = np.full((2 * 9 - 1, 4 * 9 - 1), np.nan)
    for i in range(8):
        r, c = divmod(i, 4)
        tile[9 * (1 - r):9 * (1 - r) + 8, 9 * c:9 * c + 8] = X[i].reshape(8, 8)  # first four on top
    axes[0, -1].imshow(tile, cmap="gray", origin="lower")
    axes[0, -1].set(xticks=[], yticks=[], title="example images, labels " + " ".join(f"{v:+d}" for v in f.tolist()))
    ax = axes[0, 0]
    for arm, mk in (("end-to-end", "o-"), ("decomposition", "s-")):
        rs = [r for r in payload["rows"] if r["arm"] == arm]
        if not rs:
            continue
        ks = [r["k"] for r in rs]
        med = [r["median"] for r in rs]
        lo = [r["median"] - (r["median_interval"][0] if r["median_interval"][0] is not None else r["median"]) for r in rs]
        hi = [(r["median_interval"][1] if r["median_interval"][1] is not None else r["median"]) - r["median"] for r in rs]
        ax.errorbar(ks, med, yerr=[lo, hi], fmt=mk, capsize=3, label=arm)
    ax.axhline(0.5, color="k", lw=0.5, ls="--")
    ax.set(xlabel="k (images per tuple)", ylabel="median test accuracy", ylim=(0.4, 1.02),
           title=f"{payload['settings']['seeds']} seeds, {payload['settings']['steps']} steps")
    ax.legend()
    if has_snr:
        ax = axes[0, 1]
        ks = [r["k"] for r in payload["snr"]]
        ax.semilogy(ks, [r["median_snr"] for r in payload["snr"]], "o-", label="median SNR(k)")
        ax.semilogy(ks, [r["bound"] for r in payload["snr"]], "k--", label="Bessel bound 2^-k")
        rate = payload["snr_rate"].get("median")
        ax.set(xlabel="k", ylabel="Var across labelings / G^2",
               title="gradient SNR at init" + (f" (rate {rate:.2f} per image)" if rate is not None else ""))
        ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
