"""``featurecheck table parity|single-index|multi-index``: bound tables regenerated from ``featurecheck.theory.bounds``.

Examples::

    featurecheck table parity --n 20,50,100 --k 2,3,4 --format md
    featurecheck table single-index --d 100,1000 --kstar 1,2,3,4 --p 4 --format latex
    featurecheck table multi-index --d 100,1000 --r 2 --p 3 --format json
"""

from __future__ import annotations

import argparse
from typing import Any

from featurecheck.numerics.cli import add_json_arg, add_output_args, output_format, parse_int_list, write_text
from featurecheck.theory.formats import FORMATS


def register(sub: Any) -> None:
    """Add the ``featurecheck table`` command and its problems to the subparsers ``sub``."""
    p = sub.add_parser("table", help="sample/query bounds of many methods, as md/LaTeX/CSV/JSON tables",
                       description="Evaluate every catalogued bound of a problem on a parameter grid "
                       "(comma-separated lists; the table covers their product).")
    ps = p.add_subparsers(dest="problem", metavar="PROBLEM")
    ps.required = True

    def common(q: argparse.ArgumentParser) -> None:
        add_output_args(q, FORMATS)
        add_json_arg(q, "the table (one row per bound and grid point; exact values as strings)")

    par = ps.add_parser("parity", help="k-sparse parity on {-1,1}^n")
    par.add_argument("--n", required=True, help="number of bits, e.g. 20,50,100 (1..1e9)")
    par.add_argument("--k", required=True, help="sparsity, e.g. 2,3,4 (1..n)")
    par.add_argument("--delta", default=None, help="failure probability in (0, 1), default 1/10")
    par.add_argument("--eps", default=None, help="target error in (0, 1), default 1/10")
    par.add_argument("--tau", default=None, help="query tolerance in (0, 1), default 1/10")
    common(par)
    par.set_defaults(func=_cmd, grid=("n", "k"), aux=("delta", "eps", "tau"), problem_name="parity")

    si = ps.add_parser("single-index", help="Gaussian single-index model")
    si.add_argument("--d", required=True, help="dimension, e.g. 100,1000")
    si.add_argument("--kstar", required=True, help="information exponent(s), e.g. 1,2,3,4")
    si.add_argument("--p", required=True, help="link degree(s) (>= kstar)")
    common(si)
    si.set_defaults(func=_cmd, grid=("d", "kstar", "p"), aux=(), problem_name="single-index")

    mi = ps.add_parser("multi-index", help="Gaussian multi-index model f = g(Ux)")
    mi.add_argument("--d", required=True, help="dimension, e.g. 100,1000")
    mi.add_argument("--r", required=True, help="rank(s) (1..d)")
    mi.add_argument("--p", required=True, help="degree(s)")
    mi.add_argument("--leap", default=None, help="leap complexity of the target (1..p), default 1")
    common(mi)
    mi.set_defaults(func=_cmd, grid=("d", "r", "p"), aux=("leap",), problem_name="multi-index")


def _cmd(args: argparse.Namespace) -> int:
    from featurecheck.theory.tables import GRID_LIMITS, build, render

    grid = {}
    for name in args.grid:
        lo, hi = GRID_LIMITS[name]
        grid[name] = parse_int_list(name, getattr(args, name), lo, hi)
    aux = {name: getattr(args, name) for name in args.aux if getattr(args, name) is not None}
    fmt = output_format(args, FORMATS)
    text = render(build(args.problem_name, grid, aux), fmt)
    write_text(args.json if fmt == "json" and args.json is not None else args.output, text)
    return 0
