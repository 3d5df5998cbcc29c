"""``featurecheck experiment shi-wei-liang``: network vs fixed features on the pattern model of Shi, Wei & Liang 2022.

The Shi–Wei–Liang pattern model is described in the theory reference, section 4. Prints a table (median
over seeds, interval, per-seed accuracies, the linear ceiling and the alignment of the network's first
layer with ``sum_{j in A} M_j``) and optionally writes ``{"settings": {...}, "results": [...]}``
(``--json``) and a bar chart (``--plot``).
"""

from __future__ import annotations

import argparse
from typing import Any

from featurecheck.numerics.cli import executor_kwargs, summary
from featurecheck.numerics.cli._structured_common import add_training_args, parse_training_args, write_outputs
from featurecheck.theory._validate import check_int, check_real

HELP = """\
Defaults (chosen to show the effect at d = 200, D = 100, k = 5 on 2 cores, about 1-3 minutes per seed):
  training samples 50000, network steps 6000, width 256, batch 128, Adam lr 3e-3
  (lr 1e-2 at this budget learned on 1 seed of 3),
  truncated ReLU min(1, max(z, 0)) and hinge loss (as in the paper); p_o = 1/2, parity labels;
  phi_A: uniform w.p. 1/2, all-ones w.p. 1/4, all-zeros w.p. 1/4 (balanced, gamma = 1/4; k odd);
  x = (M phi - E[M phi]) / sigma with E||x||^2 = d; M, A drawn from each seed;
  random features = the network's initial first layer (width 256) + ridge readout;
  kernel = two-layer ReLU NTK, exact kernel ridge on the first 3000 training points;
  linear = ridge on raw x with the bias re-chosen for training accuracy;
  test set of 20000 fresh points; ci = 1-alpha interval (alpha 1e-3) for the median over seeds.
--size reduced: the budget of the experiment claims (featurecheck.numerics.experiments.structured.swl_budget):
  20000 samples, width 32, 2000 steps at lr 2e-2, batch 256, NTK on the first 1000 samples, 2000 test points.
--random-labels: negative control, training labels replaced by fair coins.
Example: featurecheck experiment shi-wei-liang --d 200 --D 100 --k 5 --seeds 3 --no-structure --json out.json
"""


def register(sub: Any) -> None:
    """Add ``featurecheck experiment shi-wei-liang`` to the experiment subparsers ``sub``."""
    p = sub.add_parser("shi-wei-liang", help="network vs fixed features on the Shi-Wei-Liang pattern model",
                       description=summary(__doc__), epilog=HELP)
    p.add_argument("--d", default="200", help="input dimension (default 200)")
    p.add_argument("--D", default="100", help="number of patterns, <= d (default 100)")
    p.add_argument("--k", default="5", help="number of class-relevant patterns |A| (default 5; odd with structure)")
    p.add_argument("--seeds", default="3", help="number of seeds; medians are reported (default 3)")
    p.add_argument("--seed", default="0", help="first seed (default 0)")
    p.add_argument("--no-structure", action="store_true", help="control: every pattern Bernoulli(1/2)")
    p.add_argument("--p-o", default="0.5", help="background pattern probability p_o in (0, 1/2] (default 0.5)")
    p.add_argument("--random-labels", action="store_true", help="control: fair-coin training labels")
    p.add_argument("--labels", default="parity", choices=("parity", "threshold"), help="label set P (default parity)")
    add_training_args(p, samples="50000", steps="6000", lr="0.003", kernel_cap="3000",
                      test_help="test points (default 20000)")
    p.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    from featurecheck.numerics.experiments.structured import run_shi_wei_liang, swl_budget

    d = check_int("--d", args.d, 1, 10_000)
    D = check_int("--D", args.D, 1, d)
    k = check_int("--k", args.k, 1, D)
    seeds = check_int("--seeds", args.seeds, 1, 100)
    seed = check_int("--seed", args.seed, 0, 2**62)
    p_o = float(check_real("--p-o", args.p_o, 0, 0.5))
    if p_o <= 0:
        raise ValueError(f"--p-o must be in (0, 0.5], got {args.p_o}")
    if not args.no_structure and args.labels == "parity" and k % 2 == 0:
        raise ValueError(f"--k must be odd for the structured parity model (balanced classes), got {k}")
    t = parse_training_args(args, swl_budget(args.size))
    n_train, steps, cfg, cap, n_test, alpha = (t[k] for k in ("n_train", "steps", "cfg", "kernel_cap", "n_test", "alpha"))
    width = cfg.width
    res = run_shi_wei_liang(d, D, k, seeds=seeds, seed=seed, structure=not args.no_structure, p_o=p_o,
                            labels=args.labels, n_train=n_train, n_test=n_test, cfg=cfg, kernel_cap=cap, alpha=alpha,
                            random_labels=args.random_labels, **executor_kwargs(args), progress=True)
    s = res.settings
    a = s["assumptions"]
    print(f"Shi-Wei-Liang: d={d} D={D} k={k} p_o={p_o} labels={args.labels} structure={not args.no_structure} "
          f"random_labels={args.random_labels} seeds={s['seeds']} size={args.size} samples={n_train} steps={steps} width={width} kernel_cap={s['kernel_cap']} "
          f"test={n_test} alpha={alpha:g}")
    print(f"assumptions: Pr[y=+1]={a['pr_positive']} gamma={a['gamma']} p_o={a['p_o']} "
          f"max|M^T M - I|={a['orthonormal_error']:.1e}")
    print(res.table())
    write_outputs(res, args, uniform=False)
    return 0
