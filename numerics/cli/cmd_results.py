"""``featurecheck results ls|show|export --store PATH``: what a results store holds.

``ls`` counts the runs per kind; ``show`` prints the parity-sgd summary (median ``t_c`` per (n, k)
for each settings group) rebuilt from the stored runs, without running anything; ``export`` writes
every run as csv or json (stdout, or ``--output FILE``) or parquet (``--output FILE``).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any


def register(sub: Any) -> None:
    p = sub.add_parser("results", help="list, summarise and export a results store (--store PATH)",
                       description=__doc__.splitlines()[0])
    p.add_argument("action", choices=("ls", "show", "export"), help="ls | show | export")
    p.add_argument("--store", required=True, metavar="PATH", help="the SQLite results store")
    p.add_argument("--format", default="csv", help="export format: csv (default) | json | parquet")
    p.add_argument("--output", default=None, metavar="FILE", help="export to FILE instead of stdout")
    p.set_defaults(func=_cmd)


def _cmd(args: argparse.Namespace) -> int:
    import os

    from featurecheck.numerics.experiments.store import ResultStore

    if not os.path.exists(args.store):
        raise ValueError(f"store {args.store!r} does not exist")
    with ResultStore(args.store) as st:
        if args.action == "ls":
            for kind, count in st.summary():
                print(f"{kind}\t{count} runs")
        elif args.action == "show":
            _show(st)
        elif args.format == "parquet":
            st.export("parquet", args.output)
        elif args.output:
            with open(args.output, "w", newline="") as fh:
                st.export(args.format, fh)
        else:
            st.export(args.format, sys.stdout)
    return 0


def _show(st: Any) -> None:
    from featurecheck.numerics.estimators.seeds import median_interval

    groups: dict[str, dict[tuple[int, int], list[Any]]] = {}
    for row in st.rows("parity-sgd"):
        rest = {k: v for k, v in row["settings"].items() if k not in ("n", "k")}
        cell = groups.setdefault(json.dumps(rest, sort_keys=True), {})
        cell.setdefault((row["settings"]["n"], row["settings"]["k"]), []).append(row["result"]["t_c"])
    for s, cells in groups.items():
        print(f"parity-sgd {s}")
        print(f"{'n':>5} {'k':>3} {'runs':>5} {'median t_c':>11}  95% order-statistic CI")
        for (n, k), tcs in sorted(cells.items(), key=lambda c: (c[0][1], c[0][0])):
            med, (lo, hi) = median_interval(tcs, 0.05)
            print(f"{n:>5} {k:>3} {len(tcs):>5} {med:>11g}  [{lo:g}, {hi:g}]")
