"""``featurecheck fourier majority|threshold``: exact level values of symmetric functions.

Values print as exact fractions of any length (``--n 1000001 --k 3`` has about 600 000 digits; with
gmpy2 installed the decimal conversion is subquadratic).
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from featurecheck.numerics.cli import exact_str
from featurecheck.theory import boolean as B
from featurecheck.theory._validate import check_int, check_odd, check_real


def register(sub: Any) -> None:
    p = sub.add_parser("fourier", help="exact Fourier coefficients by level")
    fs = p.add_subparsers(dest="function", metavar="FUNCTION")
    fs.required = True
    m = fs.add_parser("majority", help="Maj_n = sign(sum x), n odd; levels 1..n")
    m.add_argument("--n", required=True, help="number of variables (odd)")
    m.add_argument("--k", default=None, help="only this level")
    m.add_argument("--json", action="store_true")
    m.set_defaults(func=_cmd_majority)
    t = fs.add_parser("threshold", help="T_theta = 1[sum x >= theta] (0/1 valued); levels 0..n")
    t.add_argument("--n", required=True, help="number of variables")
    t.add_argument("--theta", required=True, help="threshold (any real, e.g. 2, -1.5, 7/3, -3/2)")
    t.add_argument("--k", default=None, help="only this level")
    t.add_argument("--json", action="store_true")
    t.set_defaults(func=_cmd_threshold)


_MAX_LEVELS_N = 5001


def _emit(args: argparse.Namespace, payload: dict[str, Any]) -> int:
    if args.json:
        print(json.dumps(payload))
    else:
        head = ", ".join(f"{k}={v}" for k, v in payload.items() if k != "levels")
        print(head)
        print("hat f(S) for any |S| = level (E[f chi_S]):")
        for lvl, v in payload["levels"].items():
            print(f"  level {lvl:>4}: {v}")
    return 0


def _cmd_majority(args: argparse.Namespace) -> int:
    if args.k is None:
        n = check_odd("n", args.n, 1, _MAX_LEVELS_N)
        vals = B.majority_levels(n)
        levels = {str(k): exact_str(vals[k]) for k in range(1, n + 1)}
    else:
        n = check_odd("n", args.n, 1, B.MAX_N)
        k = check_int("k", args.k, 1, n)
        levels = {str(k): exact_str(B.majority_coefficient(n, k))}
    return _emit(args, {"function": "majority", "n": n, "levels": levels})


def _cmd_threshold(args: argparse.Namespace) -> int:
    theta = check_real("theta", args.theta, exact=True)
    if args.k is None:
        n = check_int("n", args.n, 1, _MAX_LEVELS_N)
        levels = {str(k): exact_str(B.threshold_coefficient(n, theta, k)) for k in range(0, n + 1)}
    else:
        n = check_int("n", args.n, 1, B.MAX_N)
        k = check_int("k", args.k, 0, n)
        levels = {str(k): exact_str(B.threshold_coefficient(n, theta, k))}
    return _emit(args, {"function": "threshold", "n": n, "theta": str(theta), "levels": levels})
