"""``featurecheck experiment daniely-malach``: network against fixed features on the Daniely–Malach
distribution ``D_A`` (Daniely & Malach 2020; theory reference, section 4).

Prints a table (median over seeds, interval, per-seed accuracies, on ``D_A`` and on its uniform
component) and optionally writes ``{"settings": {...}, "results": [...]}`` (``--json``) and a bar
chart (``--plot``).
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from theory._validate import check_int, check_real

HELP = """\
Defaults (chosen to show the effect at n = 30, k = 6 on 2 cores, about 1-2 minutes per seed):
  training samples 20000 for n <= 40, else 100000;  network steps 4000 for n <= 40, else 10000;
  width 256, batch 128, Adam lr 1e-2, ReLU, hinge loss; q = 1/2, common value +1;
  random features = the network's initial first layer (width 256) + ridge readout;
  kernel = two-layer ReLU NTK, exact kernel ridge on the first 4000 training points;
  linear = ridge on raw x with the bias re-chosen for training accuracy;
  test sets of 20000 fresh points from D_A and from its uniform component;
  ci = 1-alpha interval (alpha 1e-3) for the median over seeds (per-seed Hoeffding at alpha/seeds).
Example: featurecheck experiment daniely-malach --n 60 --k 6 --seeds 3 --no-easy --json out.json
"""


def register(sub: Any) -> None:
    p = sub.add_parser("daniely-malach", help="network vs fixed features on the Daniely-Malach parity mixture",
                       description=__doc__.splitlines()[0], epilog=HELP,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--n", default="30", help="input dimension (default 30)")
    p.add_argument("--k", default="6", help="parity size |A| (default 6)")
    p.add_argument("--seeds", default="3", help="number of seeds; medians are reported (default 3)")
    p.add_argument("--seed", default="0", help="first seed (default 0)")
    p.add_argument("--no-easy", action="store_true", help="control: no easy component (plain uniform k-parity)")
    p.add_argument("--q", default="0.5", help="weight of the easy component (default 0.5)")
    p.add_argument("--common", default="plus", choices=("plus", "random"),
                   help="shared value of x_A on easy points: +1 (default) or a random sign")
    p.add_argument("--samples", default=None, help="training-set size (default 20000 if n <= 40 else 100000)")
    p.add_argument("--steps", default=None, help="network steps (default 4000 if n <= 40 else 10000)")
    p.add_argument("--width", default="256", help="network width = number of random features (default 256)")
    p.add_argument("--lr", default="0.01", help="Adam learning rate (default 0.01)")
    p.add_argument("--batch", default="128", help="minibatch size (default 128)")
    p.add_argument("--kernel-cap", default="4000", help="kernel ridge subsample cap (default 4000)")
    p.add_argument("--test", default="20000", help="test points per test set (default 20000)")
    p.add_argument("--alpha", default="1e-3", help="interval level (default 1e-3)")
    p.add_argument("--json", metavar="FILE", default=None, help="write {settings, results} as JSON")
    p.add_argument("--plot", metavar="FILE", default=None, help="write a bar chart (png/pdf/svg)")
    p.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    from numerics.structured import NetConfig, dm_default_config, run_daniely_malach

    n = check_int("--n", args.n, 2, 4096)
    k = check_int("--k", args.k, 1, n)
    seeds = check_int("--seeds", args.seeds, 1, 100)
    seed = check_int("--seed", args.seed, 0, 2**62)
    q = float(check_real("--q", args.q, 0, 1))
    base = dm_default_config(n)
    n_train = check_int("--samples", args.samples, 1, 10**7) if args.samples is not None else (20_000 if n <= 40 else 100_000)
    steps = check_int("--steps", args.steps, 0, 10**7) if args.steps is not None else base.steps
    width = check_int("--width", args.width, 1, 1 << 14)
    lr = float(check_real("--lr", args.lr, 0, 10))
    batch = check_int("--batch", args.batch, 1, 1 << 16)
    cap = check_int("--kernel-cap", args.kernel_cap, 1, 40_000)
    n_test = check_int("--test", args.test, 2, 10**7)
    alpha = float(check_real("--alpha", args.alpha, 0, 1))
    if not 0 < alpha < 1:
        raise ValueError(f"--alpha must be in (0, 1), got {args.alpha}")
    cfg = NetConfig(width=width, steps=steps, batch=batch, lr=lr, optimizer=base.optimizer,
                    activation=base.activation, loss=base.loss)
    res = run_daniely_malach(n, k, seeds=seeds, seed=seed, easy=not args.no_easy, q=q, common=args.common,
                             n_train=n_train, n_test=n_test, cfg=cfg, kernel_cap=cap, alpha=alpha)
    s = res.settings
    print(f"Daniely-Malach: n={n} k={k} A={s['A']} q={s['q']} common={args.common} easy={not args.no_easy} "
          f"seeds={s['seeds']} samples={n_train} steps={steps} width={width} kernel_cap={s['kernel_cap']} "
          f"test={n_test} alpha={alpha:g}")
    print(res.table())
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(res.to_json(), fh, indent=1)
    if args.plot:
        plot_result(res, args.plot, uniform=True)
    return 0


def plot_result(res: Any, path: str, uniform: bool) -> None:
    """Bar chart of medians with intervals; the linear ceiling(s) as dashed lines."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = res.results
    fig, ax = plt.subplots(figsize=(6, 3.5))
    keys = [("median", "ci", "test distribution")] + ([("uniform_median", "uniform_ci", "uniform component")] if uniform else [])
    w = 0.8 / len(keys)
    for j, (mk, ck, lab) in enumerate(keys):
        xs = [i + (j - (len(keys) - 1) / 2) * w for i in range(len(rows))]
        med = [r[mk] for r in rows]
        err = [[r[mk] - r[ck][0] for r in rows], [r[ck][1] - r[mk] for r in rows]]
        ax.bar(xs, med, w, yerr=err, capsize=3, label=lab)
    lin = next((r for r in rows if r["method"] == "linear"), None)
    if lin is not None:
        ax.axhline(lin["ceiling"], ls="--", c="k", lw=1, label=f"linear ceiling {lin['ceiling_exact']}")
        if uniform and "uniform_ceiling" in lin:
            ax.axhline(lin["uniform_ceiling"], ls=":", c="k", lw=1,
                       label=f"linear ceiling, uniform {lin['uniform_ceiling_exact']}")
    ax.set_xticks(range(len(rows)), [r["method"] for r in rows])
    ax.set_ylim(0.4, 1.02)
    ax.set_ylabel("test accuracy (median over seeds)")
    ax.legend(fontsize=7, loc="lower left")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
