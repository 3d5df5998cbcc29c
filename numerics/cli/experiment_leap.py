"""``featurecheck experiment leap``: saddle-to-saddle order and curricula of online SGD (Abbe et al. 2023).

Without ``--curriculum``: tracks the per-monomial correlations ``rho_S(t) = E[f_t chi_S] / c_S`` of a
two-layer ReLU network trained by online SGD on ``--target`` (a sum of monomials in x0, x1, ...),
detects the order in which the monomials are learned (``rho_S >= 1/2``) and the plateau lengths, and
compares the order with the greedy leap orders of ``featurecheck.theory.leap``. With ``--curriculum
SPEC``: the steps to learn ``--target`` from scratch and after the pre-training targets of SPEC
(``staircase``: the chain x0 -> x0*x1 -> ... ending at a monomial target; ``decoy``: the same chain on
other coordinates; or polynomials separated by ``;``), with the fitted exponent of the advantage.
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
    json_finite,
    parse_int_list,
)
from featurecheck.theory._validate import check_int, check_real

_DEFAULT_TARGET = "x0 + x0*x1 + x0*x1*x2 + x3*x4*x5"


def register(es: Any) -> None:
    """Add ``featurecheck experiment leap`` to the experiment subparsers ``es``."""
    p = es.add_parser("leap", help="saddle-to-saddle order and curricula of online SGD (Abbe et al. 2023)",
                      description=__doc__.splitlines()[0])
    p.add_argument("--target", default=_DEFAULT_TARGET, help=f"sum of monomials in x0, x1, ... (default {_DEFAULT_TARGET!r})")
    p.add_argument("--curriculum", default=None, metavar="SPEC",
                   help="pre-training before the target: staircase | decoy | 'x0; x0*x1' (polynomials separated by ';')")
    p.add_argument("--n", default="20", help="comma-separated input dimensions (default 20)")
    p.add_argument("--seeds", default="8", help="number of seeds per n (default 8; seeds 0..seeds-1 from --seed)")
    p.add_argument("--seed", default="0", help="first seed (default 0)")
    p.add_argument("--steps", default="20000", help="step cap of a tracked run / of each phase (default 20000)")
    p.add_argument("--every", default="50", help="recording period of the correlations in steps (default 50)")
    p.add_argument("--alpha", default="0.05", help="1 - confidence of the intervals (default 0.05)")
    add_executor_args(p)
    add_json_arg(p)
    add_plot_arg(p, "the per-monomial correlations and the loss of seed --seed over training")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=_cmd)


def _pretrain(spec: str, target_text: str, n: int) -> list[str]:
    from featurecheck.numerics.experiments.leap_dynamics import decoy_chain, parse_target, staircase_chain

    spec = spec.strip()
    if spec in ("staircase", "decoy"):
        tgt = parse_target(target_text, n)
        S = tgt.terms[0][1]
        if len(tgt.terms) != 1 or tuple(S) != tuple(range(len(S))) or len(S) < 2:
            raise ValueError(f"curriculum {spec!r} needs a target x0*x1*...*x(k-1) with k >= 2, got {target_text!r}")
        k = len(S)
        chain = staircase_chain(k) if spec == "staircase" else decoy_chain(k)
        if spec == "decoy" and 2 * k - 1 > n:
            raise ValueError(f"n must be >= 2k - 1 = {2 * k - 1} for the decoy chain, got n={n}")
        return [" * ".join(f"x{i}" for i in sorted(T)) for T in chain]
    parts = [t.strip() for t in spec.split(";") if t.strip()]
    if not parts:
        raise ValueError(f"curriculum must be staircase, decoy or polynomials separated by ';', got {spec!r}")
    for t in parts:
        parse_target(t, n)
    return parts


def _cmd(args: argparse.Namespace) -> int:
    from featurecheck.numerics.experiments import leap_dynamics as LD
    from featurecheck.numerics.experiments.execute import run_tasks
    from featurecheck.theory import leap as Lp

    ns = parse_int_list("n", args.n, 1, 4096)
    seeds = check_int("seeds", args.seeds, 1, 100_000)
    seed0 = check_int("seed", args.seed, 0, 2**62)
    steps = check_int("steps", args.steps, 1, 10**9)
    every = check_int("every", args.every, 1, steps)
    alpha = float(check_real("alpha", args.alpha, 1e-6, 0.5))
    targets = {n: LD.parse_target(args.target, n) for n in ns}  # validates the target at every n
    ex = executor_kwargs(args)
    sl = range(seed0, seed0 + seeds)
    monos = [sorted(S) for _, S in targets[ns[0]].terms]
    lp = Lp.leap(monos)
    doc: dict[str, Any] = {"target": args.target, "ns": ns, "seeds": list(sl), "config": LD.config_of({"max_steps": steps}).to_json()
                           if args.curriculum is not None else LD.DEFAULT_CONFIG.to_json(),
                           "leap": lp.leap, "leap_optimal_order": lp.order_strings(),
                           "conjectured_step_exponents": {Lp.format_monomial(tuple((i, 1) for i in S), "walsh"): None
                                                          for S in monos}}
    for S, c in zip(lp.order, lp.steps, strict=True):  # conjectured time exponent of each step, leap-optimal order
        doc["conjectured_step_exponents"][Lp.format_monomial(S, "walsh")] = LD.step_cost(c)
    if args.curriculum is None:
        tasks = [({"target": args.target, "n": n, "steps": steps, "every": every}, s) for n in ns for s in sl]
        res = run_tasks(LD.track_task, "leap-track", tasks, **ex, progress=not args.quiet)
        doc["runs"] = res
        doc["summary"] = _track_summary(res, ns, monos)
        _print_track(doc)
    else:
        pre = {n: _pretrain(args.curriculum, args.target, n) for n in ns}
        ctasks = [({"target": args.target, "n": n, "pretrain": arm_pre, "max_steps": steps}, s)
                  for n in ns for arm_pre in ([], pre[n]) for s in sl]
        res = run_tasks(LD.curriculum_task, "leap-curriculum", ctasks, **ex, progress=not args.quiet)
        doc["curriculum"] = {str(n): pre[n] for n in ns}
        doc["runs"] = res
        doc["summary"] = _curriculum_summary(res, ns, seeds, alpha)
        doc["bayes"] = _bayes(targets[ns[0]], ns)
        _print_curriculum(doc)
    if args.plot:
        _plot(args, targets[ns[-1]], pre[ns[-1]] if args.curriculum is not None else None, steps, every, seed0)
    from featurecheck.numerics.cli import write_json

    write_json(args.json, json_finite(doc))
    sys.stdout.flush()
    return 0



def _track_summary(res: list[dict[str, Any]], ns: list[int], monos: list[list[int]]) -> list[dict[str, Any]]:
    import math

    import numpy as np

    out = []
    for n in ns:
        rows = [r for r in res if r["n"] == n]
        times: dict[str, list[float]] = {"*".join(f"x{i}" for i in S): [] for S in monos}
        for r in rows:
            for S, t in zip(r["order"], r["times"], strict=True):
                times["*".join(f"x{i}" for i in S)].append(math.inf if t is None else t)
        med = {k: float(np.median(v)) for k, v in times.items()}
        out.append({"n": n, "runs": len(rows), "leap_order": sum(r["leap_order"] for r in rows),
                    "degree_greedy": sum(r["degree_greedy"] for r in rows),
                    "all_learned": sum(r["all_learned"] for r in rows),
                    "median_learning_step": {k: (None if not math.isfinite(v) else v) for k, v in med.items()}})
    return out


def _print_track(doc: dict[str, Any]) -> None:
    print(f"leap: target {doc['target']}; leap {doc['leap']}, leap-optimal order {doc['leap_optimal_order']}; "
          f"conjectured step exponents {doc['conjectured_step_exponents']}")
    for s in doc["summary"]:
        print(f"n={s['n']}: {s['leap_order']}/{s['runs']} runs in a time-greedy leap-optimal order "
              f"({s['degree_greedy']} new-degree greedy, {s['all_learned']} learned all); median learning step "
              + ", ".join(f"{k}: {'never' if v is None else f'{v:g}'}" for k, v in s["median_learning_step"].items()))
    r0 = doc["runs"][0]
    print(f"seed {r0['seed']} (n={r0['n']}): order {r0['order']} at steps {r0['times']}, plateaus {r0['plateaus']}")


def _curriculum_summary(res: list[dict[str, Any]], ns: list[int], seeds: int, alpha: float) -> dict[str, Any]:
    from featurecheck.numerics.estimators.seeds import median_interval
    from featurecheck.numerics.experiments.leap_dynamics import fit_difference

    rows = []
    scratch, curr = [], []
    for q, n in enumerate(ns):
        block = res[2 * q * seeds:(2 * q + 2) * seeds]
        sc = [r["final"] for r in block[:seeds]]
        cu = [r["total"] for r in block[seeds:]]
        cf = [r["final"] for r in block[seeds:]]
        scratch.append(sc)
        curr.append(cu)
        m_s, ci_s = median_interval(sc, alpha)
        m_c, ci_c = median_interval(cu, alpha)
        m_f, ci_f = median_interval(cf, alpha)
        rows.append({"n": n, "median_scratch": m_s, "scratch_ci": ci_s, "median_curriculum_total": m_c,
                     "curriculum_total_ci": ci_c, "median_curriculum_final": m_f, "curriculum_final_ci": ci_f,
                     "advantage": m_s / m_c if m_c not in (0, float("inf")) else None})
    out: dict[str, Any] = {"rows": rows}
    if len(set(ns)) >= 2:
        out["fit"] = fit_difference(ns, scratch, curr, alpha=alpha, n_boot=2000, seed=0)
    return out


def _print_curriculum(doc: dict[str, Any]) -> None:
    import math

    def f(v: Any) -> str:
        return "inf" if v is None or (isinstance(v, float) and not math.isfinite(v)) else f"{v:g}"

    print(f"leap: final target {doc['target']} (leap {doc['leap']}); curriculum {doc['curriculum']}")
    print(f"{'n':>5} {'scratch':>9} {'curr total':>11} {'curr final':>11} {'advantage':>10}")
    for r in doc["summary"]["rows"]:
        print(f"{r['n']:>5} {f(r['median_scratch']):>9} {f(r['median_curriculum_total']):>11} "
              f"{f(r['median_curriculum_final']):>11} {f(r['advantage']):>10}")
    fit = doc["summary"].get("fit")
    if fit and fit["difference"] is not None:
        ci = fit["difference_ci"]
        print(f"exponents: scratch {fit['slope_a']:.3f}, curriculum {fit['slope_b']:.3f}; advantage exponent "
              f"{fit['difference']:.3f}, bootstrap CI " + ("undefined" if ci[0] is None else f"[{ci[0]:.3f}, {ci[1]:.3f}]"))
    print(f"Bayes (exact): {doc['bayes']['statement']}")


def _bayes(target: Any, ns: list[int]) -> dict[str, Any]:
    from featurecheck.numerics.experiments.leap_dynamics import bayes_survivors

    k = len(target.terms[0][1])
    return {"statement": "uniform prior over k-parities: E[# wrong supports after m samples] = (C(n,k)-1) 2^-m, "
                         "independent of the sample order and of any pre-training data",
            "k": k, "survivors_at_m_20": {str(n): bayes_survivors(n, k, 20) for n in ns}}


def _plot(args: argparse.Namespace, target: Any, pre: list[str] | None, steps: int, every: int, seed: int) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from featurecheck.numerics.experiments import leap_dynamics as LD

    runs = [("from scratch", None)]
    if pre is not None:
        r = LD.history_run(target, [LD.parse_target(t, target.n) for t in pre], LD.DEFAULT_CONFIG, seed)
        runs.append(("after " + " -> ".join(pre), r["params_pre"]))
    fig, axes = plt.subplots(1, len(runs), figsize=(6.5 * len(runs), 4.2), squeeze=False)
    for ax, (title, params) in zip(axes[0], runs, strict=True):
        tr = LD.track(target, LD.DEFAULT_CONFIG, seed, steps=steps, every=every, measure=2048, params=params)
        t = tr["step"]
        for q, S in enumerate(tr["monomials"]):
            ax.plot(t, [row[q] for row in tr["rho"]], label="*".join(f"x{i}" for i in S))
        ax.axhline(LD.LEARNED, color="grey", lw=0.6, ls=":")
        ax.plot(t, tr["loss"], color="black", lw=1.2, ls="--", label="loss")
        ax.set_xlabel("SGD step")
        ax.set_ylabel("correlation E[f chi_S]/c_S  and  loss")
        ax.set_title(f"n={target.n}, seed {seed}: {title}", fontsize=9)
        ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(args.plot)
    plt.close(fig)
