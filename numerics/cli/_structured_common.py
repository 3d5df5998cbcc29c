"""Shared command-line pieces of the structured-input experiments (finite-sample training)."""

from __future__ import annotations

import argparse
from typing import Any

from featurecheck.numerics.cli import RenamedOption, add_executor_args, add_json_arg, add_plot_arg, write_json
from featurecheck.theory._validate import check_int, check_real

__all__ = ["add_training_args", "parse_training_args", "write_outputs", "plot_result"]


def add_training_args(p: argparse.ArgumentParser, *, samples: str, steps: str, lr: str, kernel_cap: str,
                      test_help: str) -> None:
    """Budget, network, baseline and output options common to the structured-input experiments.

    ``--size`` picks the budget preset (``full``: the defaults described here; ``reduced``: the
    experiment claims' default budget); every other option overrides one entry of the preset.
    """
    p.add_argument("--size", default="full", choices=("reduced", "full"),
                   help="budget preset: full (default, the paper-scale setting) or reduced (the claims' default)")
    p.add_argument("--train-samples", "--samples", dest="train_samples", default=None, action=RenamedOption,
                   help=f"training-set size (default {samples}; --samples is a deprecated alias)")
    p.add_argument("--steps", default=None, help=f"network steps (default {steps})")
    p.add_argument("--width", default=None, help="network width = number of random features (default 256)")
    p.add_argument("--lr", default=None, help=f"Adam learning rate (default {lr})")
    p.add_argument("--batch", default=None, help="minibatch size (default 128)")
    p.add_argument("--kernel-cap", default=None, help=f"kernel ridge subsample cap (default {kernel_cap})")
    p.add_argument("--test-samples", "--test", dest="test_samples", default=None, action=RenamedOption,
                   help=f"{test_help}; --test is a deprecated alias")
    p.add_argument("--alpha", default="1e-3", help="interval level (default 1e-3)")
    add_json_arg(p, "{settings, results}")
    add_plot_arg(p, "a bar chart")
    add_executor_args(p)


def parse_training_args(args: argparse.Namespace, budget: dict[str, Any]) -> dict[str, Any]:
    """Validate the common options against the preset ``budget`` (``n_train, cfg, kernel_cap, n_test``).

    Returns ``n_train, steps, cfg, kernel_cap, n_test, alpha``.
    """
    from featurecheck.numerics.experiments.structured import NetConfig

    base = budget["cfg"]
    n_train = check_int("--train-samples", args.train_samples, 1, 10**7) if args.train_samples is not None else budget["n_train"]
    steps = check_int("--steps", args.steps, 0, 10**7) if args.steps is not None else base.steps
    width = check_int("--width", args.width, 1, 1 << 14) if args.width is not None else base.width
    lr = float(check_real("--lr", args.lr, 0, 10)) if args.lr is not None else base.lr
    batch = check_int("--batch", args.batch, 1, 1 << 16) if args.batch is not None else base.batch
    cap = (check_int("--kernel-cap", args.kernel_cap, 1, 40_000) if args.kernel_cap is not None
           else budget["kernel_cap"])
    n_test = check_int("--test-samples", args.test_samples, 2, 10**7) if args.test_samples is not None else budget["n_test"]
    alpha = float(check_real("--alpha", args.alpha, 0, 1))
    if not 0 < alpha < 1:
        raise ValueError(f"--alpha must be in (0, 1), got {args.alpha}")
    cfg = NetConfig(width=width, steps=steps, batch=batch, lr=lr, optimizer=base.optimizer,
                    activation=base.activation, loss=base.loss)
    return {"n_train": n_train, "steps": steps, "cfg": cfg, "kernel_cap": cap, "n_test": n_test, "alpha": alpha}


def write_outputs(res: Any, args: argparse.Namespace, uniform: bool) -> None:
    """``--json`` and ``--plot`` outputs of an experiment result."""
    write_json(args.json, res.to_json())
    if args.plot:
        plot_result(res, args.plot, uniform=uniform)


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
