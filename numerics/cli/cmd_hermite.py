"""``featurecheck hermite LINK``: the Hermite expansion of a link function on N(0, 1).

"Coefficient" means ``c_j`` in ``f = sum_j c_j He_j`` with probabilists' Hermite polynomials, i.e.
``c_j = E[f(z) He_j(z)] / j!`` for ``z ~ N(0, 1)`` (the normalised-basis coefficient is
``sqrt(j!) c_j``). JSON contract: ``{"link", "coefficients", "information_exponent"}`` plus
``"exact"``, ``"precision"`` (absolute error bound of quadrature values, null when exact),
``"expanded"`` (the parsed polynomial, null for named links),
``"basis"`` and ``"method"``. Coefficients are strings: exact sympy forms where exact (``"1/2"``,
``"sqrt(2)/(2*sqrt(pi))"``), otherwise decimals rounded at the last decimal place the absolute
``precision`` justifies (``precision = 1e-27``: 26 decimals, so ``c_1 = 0.60570...`` gets 26
significant digits and ``c_5 = 0.0057...`` 24).
"""

from __future__ import annotations

import argparse
import math
from typing import TYPE_CHECKING, Any

from featurecheck.numerics.cli import add_json_arg, write_json
from featurecheck.theory._validate import check_int

if TYPE_CHECKING:
    from featurecheck.theory import hermite as H

_DEFAULT_DEGREE = 6


def register(sub: Any) -> None:
    """Add the ``featurecheck hermite`` command to the subparsers ``sub``."""
    p = sub.add_parser("hermite", help="Hermite coefficients c_j (f = sum c_j He_j) and information exponent")
    p.add_argument("link", help="relu, abs, sign, step, tanh, or a polynomial in z such as 'z**3 - 3*z'")
    p.add_argument("--degree", default=None,
                   help=f"highest j (default {_DEFAULT_DEGREE} for named links, the degree for polynomials)")
    add_json_arg(p)
    p.set_defaults(func=_cmd)


def justified_strings(exp: H.HermiteExpansion) -> list[str]:
    """Coefficient strings with as many digits as ``exp.precision`` justifies (exact forms unchanged).

    A value with absolute error at most ``eps`` is printed to ``d = floor(-log10 eps)`` decimal places,
    i.e. ``floor(log10 |c|) + 1 + d`` significant digits (at least one).

    Examples
    --------
    >>> import mpmath
    >>> from featurecheck.theory import hermite as H
    >>> e = H.HermiteExpansion("demo", [mpmath.mpf("0.123456789"), mpmath.mpf("-0.000123456789")], False, 1.5e-6,
    ...                        1, "demo")
    >>> justified_strings(e)
    ['0.12346', '-0.00012']
    """
    import mpmath

    if exp.exact or exp.precision is None:
        return exp.coefficient_strings()
    decimals = math.floor(-math.log10(exp.precision))
    out = []
    for c in exp.coefficients:
        if c == 0:
            out.append("0")
            continue
        sig = max(1, int(mpmath.floor(mpmath.log10(abs(c)))) + 1 + decimals)
        out.append(mpmath.nstr(c, sig, strip_zeros=False, min_fixed=-math.inf, max_fixed=math.inf))
    return out


def _cmd(args: argparse.Namespace) -> int:
    from featurecheck.theory import hermite as H

    link = args.link.strip()
    named = link in H.CLOSED_FORM_LINKS or link in H.NUMERIC_LINKS
    hi = 60 if link in H.NUMERIC_LINKS else H.MAX_DEGREE
    degree = None if args.degree is None else check_int("degree", args.degree, 0, hi)
    if named and degree is None:
        degree = _DEFAULT_DEGREE
    if not named:
        H.parse_polynomial(link)  # ValueError (exit 2) before any work
    exp = H.hermite_coefficients(link, degree)
    payload = {
        "link": link,
        "expanded": None if named else exp.link,
        "coefficients": justified_strings(exp),
        "information_exponent": exp.information_exponent,
        "exact": exp.exact,
        "precision": exp.precision,
        "basis": "probabilists' He_j; c_j = E[f He_j]/j!",
        "method": exp.method,
    }
    if args.json:
        write_json(args.json, payload)
        if args.json == "-":
            return 0
    shown = payload["link"] if named else f"{payload['link']} = {exp.link}"
    print(f"link = {shown}  ({exp.method})")
    print("f = sum_j c_j He_j(z), c_j = E[f(z) He_j(z)]/j!, z ~ N(0,1)")
    for j, c in enumerate(payload["coefficients"]):
        print(f"  c_{j:<3} = {c}")
    if not exp.exact:
        print(f"absolute precision: {exp.precision:.1e}")
    k = exp.information_exponent
    print(f"information exponent k* = {k if k is not None else 'none (constant link)'}")
    return 0
