"""``featurecheck list`` and ``featurecheck verify``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from featurecheck.numerics.checking.budget import CLI_MAX_SAMPLES, DEFAULT_SECONDS, Budget
from featurecheck.numerics.claims import load_builtin_claims, resolve
from featurecheck.numerics.cli import add_json_arg, executor_kwargs, parse_params, write_json
from featurecheck.theory._validate import check_int, check_probability, check_real
from featurecheck.theory.claims import DEFAULT_ALPHA, REGISTRY, Claim

if TYPE_CHECKING:
    from featurecheck.numerics.checking.engine import CheckResult

# the checking engine (numba kernels) is imported by the handlers, so `featurecheck --help` starts without it


def register(sub: Any) -> None:
    """Add the ``featurecheck list`` and ``featurecheck verify`` commands to the subparsers ``sub``."""
    p = sub.add_parser("list", help="list the registered claims")
    add_json_arg(p, "the claims (id, statement, source, parameters, routes)")
    p.set_defaults(func=_cmd_list)

    v = sub.add_parser(
        "verify",
        help="check claims: closed form vs enumeration vs Monte Carlo",
        description="Check claims (all registered ones by default). CLAIM is a claim id, "
        "module:attr (a Claim in your own module) or a module path. Each route ends in pass (checked to the "
        "stated resolution), fail (contradicted) or inconclusive (not resolved within the budget). Exit code: "
        "0 all pass, 1 some check fails, 3 none fails but some are inconclusive, 2 bad input, 4 internal error.",
    )
    v.add_argument("claims", nargs="*", metavar="CLAIM", help="claim id, module:attr, or module")
    v.add_argument("--module", action="append", default=[], metavar="MODULE",
                   help="verify every Claim defined in MODULE (repeatable)")
    v.add_argument("--param", action="append", default=[], metavar="NAME=VALUE",
                   help="parameter value (repeatable); without it each claim's default examples run")
    v.add_argument("--budget", type=str, default=None, metavar="SECONDS",
                   help=f"time per check: Monte Carlo escalates its samples until resolved, refuted or out of time "
                   f"(default {DEFAULT_SECONDS:g})")
    v.add_argument("--samples", type=str, default=None,
                   help="replay: run the looks up to exactly this many Monte Carlo samples, without the clock")
    v.add_argument("--alpha", type=str, default=None,
                   help=f"family-wise false-alarm probability per example (default {DEFAULT_ALPHA:g})")
    v.add_argument("--seed", type=str, default="0",
                   help="seed (default 0), or a range A..B: every example at every seed A..B (e.g. a calibration "
                        "sweep, --seed 0..99 --workers 2)")
    add_json_arg(v, "one row per route result")
    v.add_argument("--workers", default=None, metavar="N",
                   help='check the (claim, example) tasks on a local Dask cluster of N worker processes '
                        '(pip install "featurecheck[distributed]")')
    v.add_argument("--scheduler", default=None, metavar="ADDRESS", help="check them on an existing Dask cluster")
    v.set_defaults(func=_cmd_verify, store=None)


def _claim_row(c: Claim) -> dict[str, Any]:
    from featurecheck.numerics.checking.engine import jsonable

    return {
        "id": c.id,
        "statement": c.statement,
        "source": c.source,
        "status": c.status,
        "params": [
            {"name": p.name, "kind": p.kind, "low": jsonable(p.low), "high": jsonable(p.high),
             "default": jsonable(p.default), "doc": p.doc}
            for p in c.params
        ],
        "routes": [{"name": r.name, "rule": r.rule.kind, "alpha": r.rule.alpha, "applies": r.applies_doc}
                   for r in c.routes],
    }


def _cmd_list(args: argparse.Namespace) -> int:
    load_builtin_claims()
    claims = list(REGISTRY)
    if args.json:
        write_json(args.json, [_claim_row(c) for c in claims])
        if args.json == "-":
            return 0
    width = max((len(c.id) for c in claims), default=10)
    for c in claims:
        routes = ",".join(r.name for r in c.routes)
        print(f"{c.id:<{width}}  [{c.status}]  routes: {routes}")
        print(f"{'':<{width}}  {c.source}")
    print(f"{len(claims)} claims")
    return 0


def _fmt(x: Any, width: int = 28) -> str:
    from featurecheck.numerics.checking.engine import jsonable

    s = str(jsonable(x))
    if isinstance(x, float):
        s = f"{x:.6g}"
    return s if len(s) <= width else s[: width - 3] + "..."


def _seed_range(text: str) -> list[int]:
    """``"S"`` or ``"A..B"`` (inclusive) as a list of seeds."""
    if ".." in str(text):
        a, b = str(text).split("..", 1)
        lo, hi = check_int("seed", a, 0, 2**63 - 1), check_int("seed", b, 0, 2**63 - 1)
        if hi < lo or hi - lo >= 1_000_000:
            raise ValueError(f"seed range must be A..B with A <= B and at most 10^6 seeds, got {text!r}")
        return list(range(lo, hi + 1))
    return [check_int("seed", text, 0, 2**63 - 1)]


def _line(r: CheckResult) -> str:
    iv = "" if r.interval is None else f"  interval=[{float(r.interval[0]):.6g}, {float(r.interval[1]):.6g}]"
    n = "" if r.n_samples is None else f"  N={r.n_samples}"
    return (f"{r.verdict.upper()}  {r.label}  route={r.route}  {r.resolution}  expected={_fmt(r.expected)}  "
            f"estimate={_fmt(r.estimate)}{iv}{n}")


def verify_task(settings: Mapping[str, Any], seed: int) -> dict[str, Any]:
    """One (claim, example) of ``featurecheck verify``: a task for any executor.

    ``settings``: ``claim`` (a spec for :func:`featurecheck.numerics.claims.resolve`), ``index`` (which
    of its claims), ``params``, ``alpha``, ``seconds``, ``samples``. Returns the printed lines, the JSON
    rows, the example's verdict and, if it failed, the replay message.
    """
    from featurecheck.numerics.checking.engine import verify_claim

    claim = resolve(settings["claim"])[settings["index"]]
    budget = Budget(alpha=settings["alpha"], seconds=settings["seconds"], max_samples=CLI_MAX_SAMPLES,
                    progress=bool(settings.get("progress")))
    rep = verify_claim(claim, settings["params"], budget=budget, seed=seed, samples=settings["samples"])
    tag = f"  seed={seed}" if settings.get("show_seed") else ""
    return {"verdict": rep.verdict, "lines": [_line(r) + tag for r in rep.results],
            "results": [r.to_json() for r in rep.results],
            "message": rep.message() if rep.verdict == "fail" else ""}


def _cmd_verify(args: argparse.Namespace) -> int:
    load_builtin_claims()
    params = parse_params(args.param)
    samples = None if args.samples is None else check_int("samples", args.samples, 2, 2**50)
    seeds = _seed_range(args.seed)
    seconds = DEFAULT_SECONDS if args.budget is None else float(check_real("budget", args.budget, 0.01, 1e6, exact=False))
    alpha = DEFAULT_ALPHA if args.alpha is None else float(check_probability("alpha", args.alpha))
    Budget(alpha=alpha, seconds=seconds, max_samples=CLI_MAX_SAMPLES)  # validate before any task runs
    execution = executor_kwargs(args)
    # Monte Carlo escalations show a bar in-process (not on workers, never with --json)
    progress = args.json != "-" and execution["workers"] is None and execution["scheduler"] is None
    # each claim with the spec that resolves it (and its index there), so a worker can resolve it again
    claims: list[tuple[Claim, str, int]] = []
    for spec in [*args.claims, *args.module]:
        claims.extend((c, spec, i) for i, c in enumerate(resolve(spec)))
    if not claims:
        claims = [(c, c.id, 0) for c in REGISTRY]
    # validate every parameter set before running anything
    plans: list[tuple[dict[str, Any], int]] = []
    for c, spec, i in claims:
        sets = [params] if params else [dict(e) for e in c.examples]
        for s in sets:
            c.bind(s)
            plans.extend(({"claim": spec, "index": i, "params": s, "alpha": alpha, "seconds": seconds,
                           "samples": samples, "show_seed": len(seeds) > 1, "progress": progress}, seed)
                         for seed in seeds)
    results: list[dict[str, Any]] = []
    replays: list[str] = []
    examples: list[str] = []

    def show(out: dict[str, Any]) -> None:
        results.extend(out["results"])
        examples.append(out["verdict"])
        if out["verdict"] == "fail":
            replays.append(out["message"])
        if args.json != "-":
            for line in out["lines"]:
                tqdm.write(line, file=sys.stdout)  # above the progress bar, if one is shown

    from tqdm import tqdm

    from featurecheck.numerics.experiments.execute import run_tasks

    # a progress bar (examples done / total, ETA) on stderr when it is a terminal, never with --json;
    # in-process each example prints as it finishes, on a cluster all print in order at the end
    local = execution["workers"] is None and execution["scheduler"] is None
    outs = run_tasks(verify_task, "verify", plans, workers=execution["workers"], scheduler=execution["scheduler"],
                     progress=args.json != "-", on_result=show if local else None)
    if not local:
        for out in outs:
            show(out)
    counts = {v: sum(r["verdict"] == v for r in results) for v in ("pass", "fail", "inconclusive")}
    ex = {v: examples.count(v) for v in ("pass", "fail", "inconclusive")}
    write_json(args.json, results)
    if args.json != "-":
        print(f"routes: {counts['pass']} passed, {counts['fail']} failed, {counts['inconclusive']} inconclusive; "
              f"examples: {ex['pass']} passed, {ex['fail']} failed, {ex['inconclusive']} inconclusive")
    for m in replays:
        print(m, file=sys.stderr)
    from featurecheck.numerics.checking.engine import combine

    overall = combine(examples)
    if overall == "fail":
        print(f"featurecheck: {counts['fail']} check(s) failed", file=sys.stderr)
        return 1
    if overall == "inconclusive":
        print(f"featurecheck: {ex['inconclusive']} example(s) inconclusive (raise --budget, or state rtol/atol)",
              file=sys.stderr)
        return 3
    return 0
