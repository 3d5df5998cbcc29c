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

from featurecheck.numerics.cli import add_json_arg, add_output_args, json_stdout, open_output, output_format


def register(sub: Any) -> None:
    """Add the ``featurecheck results`` command to the subparsers ``sub``."""
    p = sub.add_parser("results", help="list, summarise and export a results store (--store PATH)",
                       description="What a results store holds: ls counts the runs per kind, show prints the "
                       "parity-sgd summary rebuilt from the stored runs,\nexport writes every run as csv, json or "
                       "parquet.")
    p.add_argument("action", choices=("ls", "show", "export"), help="ls, show or export")
    p.add_argument("--store", required=True, metavar="PATH", help="the SQLite results store")
    add_output_args(p, EXPORT_FORMATS)
    add_json_arg(p, "export: every run")
    p.set_defaults(func=_cmd)


#: export formats (parquet needs --output FILE and pyarrow or pandas)
EXPORT_FORMATS = ("csv", "json", "parquet")


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
        else:
            fmt = output_format(args, EXPORT_FORMATS)
            target = args.json if fmt == "json" and args.json is not None else args.output
            if fmt == "parquet":
                if target is None:
                    raise ValueError("results export --format parquet needs -o/--output FILE")
                st.export("parquet", target)
            elif target in (None, "-"):
                st.export(fmt, json_stdout() if target == "-" else sys.stdout)
            else:
                with open_output(target) as fh:
                    st.export(fmt, fh)
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
