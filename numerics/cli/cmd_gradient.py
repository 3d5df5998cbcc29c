"""``featurecheck gradient relu``: exact ReLU-neuron gradients on a sparse parity, and the minibatch sweep.

Conventions: coordinates are 0-based, ``S = {0..k-1}``, ``w`` = all ones, ``ReLU'(0) = 0``.
"relevant" is ``dL/dw_0``, "irrelevant" is ``dL/dw_{n-1}`` (null if ``k = n``), "bias" is ``dL/db``
for ``L = -E[chi_S(x) ReLU(sum x + b)]``; ``ratio = |irrelevant|/|relevant|`` and
``gap = |relevant| - |irrelevant|`` (null where undefined). Exact values print as fractions
(``"-35/256"``).
"""

from __future__ import annotations

import argparse
from typing import Any

from featurecheck.numerics.cli import add_json_arg, exact_str, write_json
from featurecheck.theory._validate import check_int, check_probability, check_real

_MAX_N = 10**6


def register(sub: Any) -> None:
    """Add the ``featurecheck gradient`` command and its ``relu`` model to the subparsers ``sub``."""
    p = sub.add_parser("gradient", help="exact population gradients of a ReLU neuron on a sparse parity")
    gs = p.add_subparsers(dest="model", metavar="MODEL")
    gs.required = True
    r = gs.add_parser(
        "relu",
        help="L = -E[chi_S(x) ReLU(sum x + b)], S = {0..k-1}: dL/dw_0, dL/dw_{n-1}, dL/db",
        description="Exact gradients (fractions) of the correlation loss of one ReLU neuron with w = all ones "
        "on the (n,k)-parity S = {0..k-1}; with --batch-sweep, the probability that one B-sample gradient "
        "ranks S on top, swept over B to bracket B_1/2.",
    )
    r.add_argument("--n", required=True, help="number of variables, 1 <= n <= 10^6 (2 <= n <= 64 with --batch-sweep)")
    r.add_argument("--k", required=True, help="parity size |S|, 1 <= k <= n")
    r.add_argument("--bias", default="0", help="bias b (any real: 0, 2, -1.5, -3/2); default 0")
    r.add_argument("--batch-sweep", action="store_true", help="run the minibatch experiment and print B_1/2")
    r.add_argument("--seed", default=None, help="seed of the minibatch experiment (default 0)")
    r.add_argument("--trials", default=None, help="batches per grid point (default 400)")
    r.add_argument("--alpha", default=None, help="simultaneous two-sided level of the B_1/2 bracket (default 1e-3)")
    add_json_arg(r)
    r.set_defaults(func=_cmd_relu)


def _s(x: Any) -> str | None:
    # exact values at large n have more than Python's default 4300 decimal digits
    return None if x is None else exact_str(x)


def exact_payload(n: int, k: int, b: Any) -> dict[str, Any]:
    """Return the JSON object of ``featurecheck gradient relu`` (exact values as fraction strings)."""
    from featurecheck.theory import relu as R

    return {
        "n": n,
        "k": k,
        "b": exact_str(b),
        "relevant": exact_str(R.relevant_gradient(n, k, b)),
        "irrelevant": _s(R.irrelevant_gradient(n, k, b)),
        "bias": exact_str(R.bias_gradient(n, k, b)),
        "ratio": _s(R.gradient_ratio(n, k, b)),
        "gap": _s(R.fourier_gap(n, k, b)),
    }


def _cmd_relu(args: argparse.Namespace) -> int:
    b = check_real("bias", args.bias, exact=True)
    if args.batch_sweep:
        return _sweep(args, b)
    for opt in ("seed", "trials", "alpha"):
        if getattr(args, opt) is not None:
            raise ValueError(f"--{opt} only applies with --batch-sweep, got --{opt} {getattr(args, opt)}")
    n = check_int("n", args.n, 1, _MAX_N)
    k = check_int("k", args.k, 1, n)
    out = exact_payload(n, k, b)
    if args.json:
        write_json(args.json, out)
        if args.json == "-":
            return 0
    print(f"ReLU neuron, n={n}, k={k}, b={b}: L = -E[chi_S(x) ReLU(sum x + b)], S = {{0..{k - 1}}}, ReLU'(0) = 0")
    print(f"  relevant    dL/dw_0      = {out['relevant']}")
    print(f"  irrelevant  dL/dw_{n - 1:<6} = {out['irrelevant'] if out['irrelevant'] is not None else 'undefined (k = n)'}")
    print(f"  bias        dL/db        = {out['bias']}")
    print(f"  ratio       |irr|/|rel|  = {out['ratio'] if out['ratio'] is not None else 'undefined'}")
    print(f"  gap         |rel|-|irr|  = {out['gap'] if out['gap'] is not None else 'undefined (k = n)'}")
    return 0


def _sweep(args: argparse.Namespace, b: Any) -> int:
    from featurecheck.numerics.estimators.gradients import MAX_BATCH_N, batch_sweep
    from featurecheck.theory import relu as R

    n = check_int("n", args.n, 2, MAX_BATCH_N)
    k = check_int("k", args.k, 1, n - 1)
    seed = check_int("seed", 0 if args.seed is None else args.seed, 0, 2**63 - 1)
    trials = check_int("trials", 400 if args.trials is None else args.trials, 10, 1 << 20)
    alpha = check_probability("alpha", 1e-3 if args.alpha is None else args.alpha)
    gap = R.fourier_gap(n, k, b)
    if gap is None or gap <= 0:
        raise ValueError(f"--batch-sweep needs a positive Fourier gap, got gamma(n={n}, k={k}, b={b}) = {gap}")
    r = batch_sweep(n, k, b, trials=trials, seed=seed, alpha=alpha)
    payload = {
        "n": n, "k": k, "b": str(b), "seed": seed, "trials": trials, "alpha": alpha,
        "interval_kind": "clopper-pearson (simultaneous over the grid, union bound)",
        "B_half": r.B_half, "interval": [r.interval[0], r.interval[1]], "bound": r.bound, "gap": str(gap),
        "grid": [{"B": row.B, "successes": row.successes, "trials": row.trials, "p": row.p,
                  "ci": [row.ci[0], row.ci[1]]} for row in r.rows],
    }
    if args.json:
        write_json(args.json, payload)
        if args.json == "-":
            return 0
    print(f"minibatch top-k recovery, n={n}, k={k}, b={b}, gap={gap}, {trials} batches per B, seed={seed}")
    print(f"{'B':>10} {'p_hat':>7}  Clopper-Pearson interval (alpha={r.alpha_point:.2g} per point)")
    for row in r.rows:
        print(f"{row.B:>10} {row.p:>7.3f}  [{row.ci[0]:.3f}, {row.ci[1]:.3f}]")
    bound = f"{r.bound:.6g}" if r.bound is not None else "undefined"
    print(f"B_1/2 = {r.B_half:.6g}, interval [{r.interval[0]:g}, {r.interval[1]:g}] "
          f"(simultaneous level {1 - alpha:g}); one-step bound 8 log(4n)/gamma^2 = {bound}")
    return 0
