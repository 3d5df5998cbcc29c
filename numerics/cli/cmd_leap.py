"""``featurecheck leap POLY``: exact leap complexity (Abbe, Boix-Adsera, Misiakiewicz 2023).

``POLY`` is a polynomial in ``x0, x1, ...`` on the cube (Walsh monomials; ``x_i^2 = 1``), or with
``--hermite`` a polynomial in ``z0, z1, ...`` written with ``He<k>(z<i>)`` (expanded exactly in the
product Hermite basis, multiplicities counted). JSON contract: ``{"leap", "order"}`` where ``order``
is an optimal ordering of the monomials (strings), plus ``"steps"`` (new degree of each step),
``"kind"`` and ``"conjectured_sgd_steps"`` (``d^{max(leap-1,1)}``, labelled as a conjecture).
"""

from __future__ import annotations

import argparse
from typing import Any

from featurecheck.numerics.cli import add_json_arg, write_json


def register(sub: Any) -> None:
    """Add the ``featurecheck leap`` command to the subparsers ``sub``."""
    p = sub.add_parser("leap", help="leap complexity of a polynomial's monomials, with an optimal order")
    p.add_argument("polynomial", help="e.g. 'x0*x1 + x0*x1*x2', or with --hermite 'He2(z0)*He1(z1) + He3(z2)'")
    p.add_argument("--hermite", action="store_true", help="Hermite multi-indices in z0, z1, ... (Gaussian)")
    add_json_arg(p)
    p.set_defaults(func=_cmd)


def _cmd(args: argparse.Namespace) -> int:
    from featurecheck.theory import leap as Lp

    r = Lp.leap_of_text(args.polynomial, hermite=args.hermite)
    conj = Lp.sgd_steps_conjecture(r.leap)
    order = r.order_strings()
    payload = {
        "leap": r.leap,
        "order": order,
        "steps": list(r.steps),
        "kind": r.kind,
        "conjectured_sgd_steps": {"scaling": f"d^{conj.exponent}", "status": conj.status, "source": conj.source},
    }
    if args.json:
        write_json(args.json, payload)
        if args.json == "-":
            return 0
    print(f"leap = {r.leap}  ({r.kind}; exact, {r.method}, {r.nodes} passes)")
    print("optimal order (new degree per step):")
    for m, s in zip(order, r.steps, strict=True):
        print(f"  +{s}  {m}")
    print(f"[conjecture] online SGD steps ~ d^{conj.exponent}  ({conj.source})")
    return 0
