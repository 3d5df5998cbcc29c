"""``featurecheck list`` and ``featurecheck verify``."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from featurecheck.numerics.checking.engine import CheckResult, check, jsonable
from featurecheck.numerics.claims import load_builtin_claims, resolve
from featurecheck.numerics.cli import parse_params
from featurecheck.theory._validate import check_int
from featurecheck.theory.claims import REGISTRY, Claim


def register(sub: Any) -> None:
    p = sub.add_parser("list", help="list the registered claims")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=_cmd_list)

    v = sub.add_parser(
        "verify",
        help="check claims: closed form vs enumeration vs Monte Carlo",
        description="Check claims (all registered ones by default). CLAIM is a claim id, "
        "module:attr (a Claim in your own module) or a module path. Exit code 0 iff all checks pass.",
    )
    v.add_argument("claims", nargs="*", metavar="CLAIM", help="claim id, module:attr, or module")
    v.add_argument("--module", action="append", default=[], metavar="MODULE",
                   help="verify every Claim defined in MODULE (repeatable)")
    v.add_argument("--param", action="append", default=[], metavar="NAME=VALUE",
                   help="parameter value (repeatable); without it each claim's default examples run")
    v.add_argument("--samples", type=str, default=None, help="Monte Carlo samples per check")
    v.add_argument("--seed", type=str, default="0", help="seed (default 0)")
    v.add_argument("--json", action="store_true", help="print a JSON list of results")
    v.set_defaults(func=_cmd_verify)


def _claim_row(c: Claim) -> dict[str, Any]:
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
        print(json.dumps([_claim_row(c) for c in claims], indent=2))
        return 0
    width = max((len(c.id) for c in claims), default=10)
    for c in claims:
        routes = ",".join(r.name for r in c.routes)
        print(f"{c.id:<{width}}  [{c.status}]  routes: {routes}")
        print(f"{'':<{width}}  {c.source}")
    print(f"{len(claims)} claims")
    return 0


def _fmt(x: Any, width: int = 28) -> str:
    s = str(jsonable(x))
    if isinstance(x, float):
        s = f"{x:.6g}"
    return s if len(s) <= width else s[: width - 3] + "..."


def _cmd_verify(args: argparse.Namespace) -> int:
    load_builtin_claims()
    params = parse_params(args.param)
    samples = None if args.samples is None else check_int("samples", args.samples, 2, 2**50)
    seed = check_int("seed", args.seed, 0, 2**63 - 1)
    claims: list[Claim] = []
    for spec in args.claims:
        claims.extend(resolve(spec))
    for mod in args.module:
        claims.extend(resolve(mod if ":" not in mod else mod))
    if not claims:
        claims = list(REGISTRY)
    # validate every parameter set before running anything
    plans: list[tuple[Claim, dict[str, Any]]] = []
    for c in claims:
        sets = [params] if params else [dict(e) for e in c.examples]
        for s in sets:
            c.bind(s)
            plans.append((c, s))
    results: list[CheckResult] = []
    for c, s in plans:
        rs = check(c, s, samples=samples, seed=seed)
        results.extend(rs)
        if not args.json:
            for r in rs:
                mark = "PASS" if r.passed else "FAIL"
                iv = "" if r.interval is None else f"  interval=[{float(r.interval[0]):.6g}, {float(r.interval[1]):.6g}]"
                print(f"{mark}  {r.label}  route={r.route}  expected={_fmt(r.expected)}  "
                      f"estimate={_fmt(r.estimate)}{iv}", flush=True)
    n_fail = sum(not r.passed for r in results)
    if args.json:
        print(json.dumps([r.to_json() for r in results], indent=2))
    else:
        print(f"{len(results) - n_fail} passed, {n_fail} failed")
    if n_fail:
        print(f"featurecheck: {n_fail} check(s) failed", file=sys.stderr)
    return 1 if n_fail else 0
