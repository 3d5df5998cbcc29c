"""``featurecheck experiment daniely-malach``: network vs fixed features on ``D_A`` (Daniely & Malach 2020).

``D_A`` is the Daniely–Malach distribution (theory reference, section 4). Prints a table (median over
seeds, interval, per-seed accuracies, on ``D_A`` and on its uniform component) and optionally writes
``{"settings": {...}, "results": [...]}`` (``--json``) and a bar chart (``--plot``).
"""

from __future__ import annotations

import argparse
from typing import Any

from featurecheck.numerics.cli import executor_kwargs, summary
from featurecheck.numerics.cli._structured_common import add_training_args, parse_training_args, write_outputs
from featurecheck.theory._validate import check_int, check_real

HELP = """\
Defaults (chosen to show the effect at n = 30, k = 6 on 2 cores, about 1-2 minutes per seed):
  training samples 20000 for n <= 40, else 100000;  network steps 4000 for n <= 40, else 10000;
  width 256, batch 128, Adam lr 1e-2, ReLU, hinge loss; q = 1/2, common value +1;
  random features = the network's initial first layer (width 256) + ridge readout;
  kernel = two-layer ReLU NTK, exact kernel ridge on the first 4000 training points;
  linear = ridge on raw x with the bias re-chosen for training accuracy;
  test sets of 20000 fresh points from D_A and from its uniform component;
  ci = 1-alpha interval (alpha 1e-3) for the median over seeds (per-seed Hoeffding at alpha/seeds).
--size reduced: the budget of the experiment claims (featurecheck.numerics.experiments.structured.dm_budget):
  10000 samples, 2000 steps at lr 3e-2 for n <= 40 (20000 / 3000 / 2e-2 above; see dm_budget), width 128,
  NTK on the first 2000 samples, 2000 test points per test set; about a second per seed.
--random-labels: negative control, training labels replaced by fair coins (tests keep chi_A).
Example: featurecheck experiment daniely-malach --n 60 --k 6 --seeds 3 --no-easy --json out.json
"""


def register(sub: Any) -> None:
    """Add ``featurecheck experiment daniely-malach`` to the experiment subparsers ``sub``."""
    p = sub.add_parser("daniely-malach", help="network vs fixed features on the Daniely-Malach parity mixture",
                       description=summary(__doc__), epilog=HELP)
    p.add_argument("--n", default="30", help="input dimension (default 30)")
    p.add_argument("--k", default="6", help="parity size |A| (default 6)")
    p.add_argument("--seeds", default="3", help="number of seeds; medians are reported (default 3)")
    p.add_argument("--seed", default="0", help="first seed (default 0)")
    p.add_argument("--no-easy", action="store_true", help="control: no easy component (plain uniform k-parity)")
    p.add_argument("--q", default="0.5", help="weight of the easy component (default 0.5)")
    p.add_argument("--random-labels", action="store_true", help="control: fair-coin training labels")
    p.add_argument("--common", default="plus", choices=("plus", "random"),
                   help="shared value of x_A on easy points: +1 (default) or a random sign")
    add_training_args(p, samples="20000 if n <= 40 else 100000", steps="4000 if n <= 40 else 10000",
                      lr="0.01", kernel_cap="4000", test_help="test points per test set (default 20000)")
    p.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    from featurecheck.numerics.experiments.structured import dm_budget, run_daniely_malach

    n = check_int("--n", args.n, 2, 4096)
    k = check_int("--k", args.k, 1, n)
    seeds = check_int("--seeds", args.seeds, 1, 100)
    seed = check_int("--seed", args.seed, 0, 2**62)
    q = float(check_real("--q", args.q, 0, 1))
    t = parse_training_args(args, dm_budget(n, args.size))
    n_train, steps, cfg, cap, n_test, alpha = (t[k] for k in ("n_train", "steps", "cfg", "kernel_cap", "n_test", "alpha"))
    width = cfg.width
    res = run_daniely_malach(n, k, seeds=seeds, seed=seed, easy=not args.no_easy, q=q, common=args.common,
                             n_train=n_train, n_test=n_test, cfg=cfg, kernel_cap=cap, alpha=alpha,
                             random_labels=args.random_labels, **executor_kwargs(args), progress=True)
    s = res.settings
    print(f"Daniely-Malach: n={n} k={k} A={s['A']} q={s['q']} common={args.common} easy={not args.no_easy} "
          f"random_labels={args.random_labels} seeds={s['seeds']} size={args.size} samples={n_train} steps={steps} width={width} kernel_cap={s['kernel_cap']} "
          f"test={n_test} alpha={alpha:g}")
    print(res.table())
    write_outputs(res, args, uniform=True)
    return 0
