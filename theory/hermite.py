"""Hermite expansions on Gaussian space: exact, closed-form and quadrature (theory reference, section 0).

Conventions
-----------
- ``z ~ N(0, 1)``; ``He_j`` are the *probabilists'* Hermite polynomials (``He_0 = 1``, ``He_1 = z``,
  ``He_{j+1} = z He_j - j He_{j-1}``), orthogonal with ``E[He_j He_k] = j! 1[j = k]``.
- A link ``f`` in ``L^2(N(0,1))`` expands as ``f = sum_j c_j He_j`` with ``c_j = E[f He_j] / j!``.
  Every "coefficient" in this module (and in ``featurecheck hermite``) is this ``c_j``.
  In the normalised basis ``h_j = He_j / sqrt(j!)`` the coefficient is ``sqrt(j!) c_j`` and
  Parseval reads ``E[f^2] = sum_j j! c_j^2``.
- Information exponent ``k* = min{j >= 1 : c_j != 0}`` (Ben Arous, Gheissari, Jagannath 2021,
  Def. 1.2); ``None`` when ``f`` is constant.
- Several variables: ``x ~ N(0, I_d)``, ``He_alpha(x) = prod_i He_{alpha_i}(x_i)``,
  ``c_alpha = E[f He_alpha] / alpha!`` with ``alpha! = prod_i alpha_i!``.
- Tie rules: ``relu(z) = max(z, 0)``, ``sign(0) = 0``, ``step(z) = 1[z >= 0]``; ties have measure
  zero, so they do not change any coefficient.

Routes
------
Polynomials: exact, by the inversion ``z^m = sum_k m! / (k! 2^k (m-2k)!) He_{m-2k}`` (a second,
independent route is :func:`hermite_coefficient_by_moments`, which integrates against Gaussian
moments ``E[z^{2m}] = (2m-1)!!``). ReLU, ``|z|``, sign and step: exact closed forms (derived below by
``phi He_j = (-1)^j phi^{(j)}`` and integration by parts). Smooth links (tanh): mpmath quadrature at a
stated working precision, with the error estimated by repeating at ``dps + 10``.

References
----------
O'Donnell, *Analysis of Boolean Functions* (2014), ch. 11.2 (Hermite basis).
Ben Arous, Gheissari, Jagannath (2021), "Online stochastic gradient descent on non-convex losses from
high-dimensional inference", JMLR 22, Def. 1.2 (information exponent).

Examples
--------
>>> hermite_coefficients("z**3 - 3*z", 4).coefficients
[0, 0, 0, 1, 0]
>>> [str(c) for c in hermite_coefficients("relu", 4).coefficients]
['sqrt(2)/(2*sqrt(pi))', '1/2', 'sqrt(2)/(4*sqrt(pi))', '0', '-sqrt(2)/(48*sqrt(pi))']
>>> information_exponent("abs"), information_exponent("z**4 - 6*z**2")  # = He_4 - 3
(2, 4)
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cache
from typing import TYPE_CHECKING, Any, cast

from featurecheck.theory._validate import check_int

if TYPE_CHECKING:
    import mpmath
    import sympy as sp

    Z: sp.Symbol  # built on first use, served by ``__getattr__``

# sympy and mpmath are imported by the functions that use them, so importing this module (as the claim
# registry does) starts without them; Z is built on first use (``_symbols``, ``__getattr__``)

__all__ = [
    "Z",
    "CLOSED_FORM_LINKS",
    "NUMERIC_LINKS",
    "MAX_DEGREE",
    "HermiteExpansion",
    "he",
    "he_at_zero",
    "monomial_to_hermite",
    "polynomial_hermite_coefficients",
    "hermite_coefficient_by_moments",
    "gaussian_expectation",
    "closed_form_coefficient",
    "quadrature_coefficients",
    "hermite_coefficients",
    "information_exponent",
    "multi_hermite_coefficients",
    "composite_hermite_coefficients",
    "parse_polynomial",
]

CLOSED_FORM_LINKS = ("relu", "abs", "sign", "step")
NUMERIC_LINKS = ("tanh",)
MAX_DEGREE = 200
_MAX_POLY_DEGREE = 60


@cache
def _symbols() -> dict[str, sp.Symbol]:
    """``Z``, the real variable ``z`` of the links, built once."""
    import sympy as sp

    return {"Z": sp.Symbol("z", real=True)}


def __getattr__(name: str) -> Any:
    """``Z``, built on first use."""
    if name == "Z":
        return _symbols()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def he(j: int, z: Any = None) -> sp.Expr:
    """Probabilists' Hermite polynomial ``He_j(z)`` (``z`` defaults to :data:`Z`).

    Examples
    --------
    >>> he(3)
    z**3 - 3*z
    """
    import sympy as sp

    j = check_int("j", j, 0, MAX_DEGREE)
    return sp.expand(sp.hermite_prob(j, _symbols()["Z"] if z is None else z))


def he_at_zero(j: int) -> int:
    """``He_j(0)``: ``(-1)^m (2m-1)!!`` for ``j = 2m``, 0 for odd ``j``.

    Examples
    --------
    >>> [he_at_zero(j) for j in range(7)]
    [1, 0, -1, 0, 3, 0, -15]
    """
    j = check_int("j", j, 0, None)
    if j % 2:
        return 0
    m = j // 2
    return (-1) ** m * _double_factorial(2 * m - 1)


def _double_factorial(n: int) -> int:
    out = 1
    while n > 1:
        out *= n
        n -= 2
    return out


def monomial_to_hermite(m: int) -> dict[int, Fraction]:
    """``z^m = sum_k a_k He_k(z)``, exactly: ``a_{m-2i} = m! / (i! 2^i (m-2i)!)``.

    Examples
    --------
    >>> monomial_to_hermite(3)
    {3: Fraction(1, 1), 1: Fraction(3, 1)}
    """
    m = check_int("m", m, 0, None)
    return {m - 2 * i: Fraction(math.factorial(m), math.factorial(i) * 2**i * math.factorial(m - 2 * i))
            for i in range(m // 2 + 1)}


def gaussian_expectation(expr: Any, variables: Sequence[sp.Symbol]) -> sp.Expr:
    """Exact ``E[expr(x)]`` for a polynomial in ``variables`` with ``x ~ N(0, I)``.

    Uses ``E[prod x_i^{b_i}] = prod (b_i - 1)!!`` (0 if some ``b_i`` is odd). The coefficients may be
    symbolic (for example entries of a symbolic matrix ``U``).

    Examples
    --------
    >>> import sympy as sp
    >>> x, y = sp.symbols("x y")
    >>> gaussian_expectation(x**4 * y**2 + 3 * x * y, [x, y])
    3
    """
    import sympy as sp

    variables = list(variables)
    if not variables:
        return sp.sympify(expr)
    poly = sp.Poly(sp.expand(expr), *variables)
    total = sp.Integer(0)
    for exps, coef in poly.terms():
        if any(e % 2 for e in exps):
            continue
        w = 1
        for e in exps:
            w *= _double_factorial(e - 1)
        total += coef * w
    return sp.expand(total)


def polynomial_hermite_coefficients(expr: Any, degree: int | None = None, var: sp.Symbol | None = None) -> list[sp.Expr]:
    """Exact ``c_0..c_D`` of a polynomial link in ``var`` (``D = degree`` or the polynomial degree).

    ``var`` defaults to :data:`Z`. Coefficients past the polynomial degree are 0. Exact rationals for
    rational polynomials; symbolic parameters are allowed.

    Examples
    --------
    >>> from featurecheck.theory.hermite import Z
    >>> polynomial_hermite_coefficients(Z**4)
    [3, 0, 6, 0, 1]
    """
    import sympy as sp

    poly = sp.Poly(sp.expand(sp.sympify(expr)), _symbols()["Z"] if var is None else var)
    deg = poly.degree() if poly.degree() >= 0 else 0
    D = deg if degree is None else check_int("degree", degree, 0, MAX_DEGREE)
    out = [sp.Integer(0)] * (max(D, deg) + 1)
    for (m,), coef in poly.terms():
        for k, a in monomial_to_hermite(m).items():
            out[k] += coef * sp.Rational(a.numerator, a.denominator)
    return [sp.nsimplify(c) if c.is_number else sp.simplify(c) for c in out[: D + 1]]


def hermite_coefficient_by_moments(expr: Any, j: int, var: sp.Symbol | None = None) -> sp.Expr:
    """Compute ``c_j = E[f He_j] / j!`` from Gaussian moments (an independent route for polynomials).

    ``var`` defaults to :data:`Z`.

    Examples
    --------
    >>> from featurecheck.theory.hermite import Z
    >>> hermite_coefficient_by_moments(Z**4, 2)
    6
    """
    import sympy as sp

    j = check_int("j", j, 0, MAX_DEGREE)
    var = _symbols()["Z"] if var is None else var
    return sp.simplify(gaussian_expectation(sp.sympify(expr) * he(j, var), [var]) / sp.factorial(j))


def closed_form_coefficient(link: str, j: int) -> sp.Expr:
    """Exact ``c_j`` of ``relu``, ``abs``, ``sign`` or ``step``.

    Notes
    -----
    With ``phi`` the standard normal density, ``phi He_j = (-1)^j phi^{(j)}``. Integrating by parts,
    ``int_0^inf He_j phi = He_{j-1}(0) phi(0)`` (``j >= 1``) and ``int_0^inf z He_j phi = He_{j-2}(0)
    phi(0)`` (``j >= 2``). Hence, with ``phi(0) = 1/sqrt(2 pi)``:

    - relu: ``c_0 = 1/sqrt(2 pi)``, ``c_1 = 1/2``, ``c_j = He_{j-2}(0) / (sqrt(2 pi) j!)`` for ``j >= 2``
      (0 for odd ``j >= 3``);
    - abs = relu(z) + relu(-z): ``c_j = (1 + (-1)^j) c_j^relu``;
    - sign: ``c_j = 2 He_{j-1}(0) / (sqrt(2 pi) j!)`` for odd ``j``, 0 for even ``j``;
    - step = (1 + sign)/2: ``c_0 = 1/2``, ``c_j = c_j^sign / 2`` for ``j >= 1``.

    Examples
    --------
    >>> closed_form_coefficient("sign", 1)
    sqrt(2)/sqrt(pi)
    >>> closed_form_coefficient("step", 3)
    -sqrt(2)/(12*sqrt(pi))
    """
    import sympy as sp

    j = check_int("j", j, 0, MAX_DEGREE)
    inv = 1 / sp.sqrt(2 * sp.pi)
    if link == "relu":
        if j == 0:
            return inv
        if j == 1:
            return sp.Rational(1, 2)
        return he_at_zero(j - 2) * inv / sp.factorial(j)
    if link == "abs":
        return (1 + (-1) ** j) * closed_form_coefficient("relu", j)
    if link == "sign":
        return 2 * he_at_zero(j - 1) * inv / sp.factorial(j) if j % 2 else sp.Integer(0)
    if link == "step":
        return sp.Rational(1, 2) if j == 0 else closed_form_coefficient("sign", j) / 2
    raise ValueError(f"link must be one of {list(CLOSED_FORM_LINKS)}, got {link!r}")


_MP_LINKS = ("tanh",)  # mpmath functions by name
_ODD_LINKS = {"tanh"}


def quadrature_coefficients(func: Callable[[Any], Any] | str, degree: int, dps: int = 30,
                            parity: str | None = None) -> tuple[list[mpmath.mpf], float]:
    """``c_0..c_degree`` of a smooth link by mpmath quadrature, with an error estimate.

    Parameters
    ----------
    func : callable or str
        An mpmath-compatible function of one variable, or a name in :data:`NUMERIC_LINKS`.
    degree : int
    dps : int
        Working decimal digits. The integral ``int f He_j phi`` is computed by tanh-sinh quadrature on
        ``(-inf, 0] + [0, inf)`` at ``dps`` and again at ``dps + 10``.
    parity : {"odd", "even", None}
        A declared symmetry: coefficients of the other parity are then exactly 0 and not integrated.

    Returns
    -------
    coefficients : list of mpmath.mpf
    error : float
        ``max_j |c_j(dps) - c_j(dps + 10)|`` plus ``10^{-dps+3}``: the stated absolute precision.

    Examples
    --------
    >>> import mpmath
    >>> cs, err = quadrature_coefficients("tanh", 3, dps=20)
    >>> mpmath.nstr(cs[1], 8), cs[2] == 0, err < 1e-15
    ('0.60570551', True, True)
    """
    import mpmath
    import sympy as sp

    degree = check_int("degree", degree, 0, 60)
    dps = check_int("dps", dps, 15, 200)
    if isinstance(func, str):
        if func not in _MP_LINKS:
            raise ValueError(f"link must be one of {list(_MP_LINKS)}, got {func!r}")
        parity = parity or ("odd" if func in _ODD_LINKS else None)
        func = cast(Callable[[Any], Any], getattr(mpmath, func))

    def run(prec: int) -> list[mpmath.mpf]:
        with mpmath.workdps(prec):
            out = []
            for j in range(degree + 1):
                if (parity == "odd" and j % 2 == 0) or (parity == "even" and j % 2 == 1):
                    out.append(mpmath.mpf(0))
                    continue
                hj = sp.lambdify(_symbols()["Z"], he(j), modules="mpmath")
                val = mpmath.quad(lambda t, hj=hj: func(t) * hj(t) * mpmath.exp(-t * t / 2),
                                  [-mpmath.inf, 0, mpmath.inf])
                out.append(val / mpmath.sqrt(2 * mpmath.pi) / mpmath.factorial(j))
            return out

    a = run(dps)
    b = run(dps + 10)
    with mpmath.workdps(dps + 10):
        err = max((abs(x - y) for x, y in zip(a, b, strict=True)), default=mpmath.mpf(0))
    return b, float(err) + 10.0 ** (-dps + 3)


@dataclass(frozen=True)
class HermiteExpansion:
    """``f = sum_j c_j He_j`` truncated at ``degree``.

    Attributes
    ----------
    link : str
    coefficients : list
        ``c_0..c_degree``: sympy exact values, or mpmath floats when ``exact`` is False.
    exact : bool
    precision : float or None
        Absolute error bound of every inexact coefficient (quadrature), else None.
    information_exponent : int or None
        ``min{j >= 1 : c_j != 0}`` (None: constant link, or no nonzero coefficient up to ``degree``
        for a polynomial, which then is constant).
    method : str
    """

    link: str
    coefficients: list[Any]
    exact: bool
    precision: float | None
    information_exponent: int | None
    method: str
    notes: str = field(default="")

    def coefficient_strings(self, digits: int = 20) -> list[str]:
        """Strings: exact sympy forms, or ``digits`` significant digits for quadrature values."""
        import mpmath

        if self.exact:
            return [str(c) for c in self.coefficients]
        return [("0" if c == 0 else mpmath.nstr(c, digits)) for c in self.coefficients]

    def normalised(self) -> list[Any]:
        """Coefficients in the orthonormal basis ``h_j = He_j / sqrt(j!)``: ``sqrt(j!) c_j``."""
        import mpmath
        import sympy as sp

        if self.exact:
            return [sp.sqrt(sp.factorial(j)) * c for j, c in enumerate(self.coefficients)]
        return [mpmath.sqrt(mpmath.factorial(j)) * c for j, c in enumerate(self.coefficients)]


_ALLOWED_NAMES = {"z", "sqrt", "pi", "Rational", "He"}
_TOKEN = re.compile(r"[A-Za-z_][A-Za-z_0-9]*")
_CHARS = re.compile(r"^[A-Za-z0-9_+\-*/(). ]*$")


def _hermite_function(k: int) -> Callable[[Any], sp.Expr]:
    import sympy as sp

    def he_k(arg: Any) -> sp.Expr:
        return sp.hermite_prob(k, arg)

    return he_k


def parse_polynomial(text: str, variables: Sequence[str] = ("z",), name: str = "link",
                     hermite_functions: bool = True) -> sp.Expr:
    """Safely parse a polynomial such as ``"z**3 - 3*z"`` or ``"He2(z0)*He1(z1)"``.

    Only numbers, ``+ - * / ** ( )``, the given variable names and ``He<k>(var)`` (Hermite
    polynomials, ``k <= 60``) are accepted; anything else raises ``ValueError`` naming ``name``. The
    string goes through :func:`sympy.parsing.sympy_parser.parse_expr` with a namespace holding only
    these names (no builtins), after a character and identifier whitelist check.

    Examples
    --------
    >>> parse_polynomial("He3(z) + 2*z")
    z**3 - z
    >>> parse_polynomial("__import__('os')")
    Traceback (most recent call last):
    ...
    ValueError: link must be a polynomial in z (numbers, + - * / ** ( ), He<k>(z)), got "__import__('os')"
    """
    import sympy as sp
    from sympy.parsing.sympy_parser import parse_expr, standard_transformations

    allowed_vars = list(variables)
    msg = (f"{name} must be a polynomial in {', '.join(allowed_vars)} (numbers, + - * / ** ( ), "
           f"He<k>({allowed_vars[0]})), got {text!r}")
    if not isinstance(text, str) or not text.strip() or len(text) > 2000 or not _CHARS.match(text):
        raise ValueError(msg)
    local: dict[str, Any] = {v: sp.Symbol(v, real=True) for v in allowed_vars}
    for tok in _TOKEN.findall(text):
        if tok in local:
            continue
        m = re.fullmatch(r"He(\d{1,2})", tok)
        if hermite_functions and m and int(m.group(1)) <= _MAX_POLY_DEGREE:
            local[tok] = _hermite_function(int(m.group(1)))
            continue
        raise ValueError(msg)
    if "__" in text:
        raise ValueError(msg)
    glob = {"Integer": sp.Integer, "Float": sp.Float, "Rational": sp.Rational, "Symbol": sp.Symbol}
    try:
        expr = parse_expr(text, local_dict=local, global_dict=glob, transformations=standard_transformations,
                          evaluate=True)
    except Exception:  # any parse failure is a usage error
        raise ValueError(msg) from None
    expr = sp.expand(sp.sympify(expr))
    syms = [local[v] for v in allowed_vars]
    if not expr.free_symbols <= set(syms):
        raise ValueError(msg)
    try:
        poly = sp.Poly(expr, *syms)
    except sp.PolynomialError:
        raise ValueError(msg) from None
    if poly.total_degree() > _MAX_POLY_DEGREE:
        raise ValueError(f"{name} must have degree <= {_MAX_POLY_DEGREE}, got {poly.total_degree()}")
    if any(not c.is_number for c in poly.coeffs()):
        raise ValueError(msg)
    return sp.nsimplify(expr, rational=True) if expr.has(sp.Float) else expr


def hermite_coefficients(link: str | sp.Expr, degree: int | None = None, dps: int = 30) -> HermiteExpansion:
    """Hermite expansion ``c_0..c_degree`` of a named link or a polynomial in ``z``.

    Parameters
    ----------
    link : str or sympy expression
        ``relu``, ``abs``, ``sign``, ``step`` (exact closed forms), ``tanh`` (quadrature at ``dps``
        digits), or a polynomial in ``z`` (exact).
    degree : int, optional
        Highest ``j``; default 6 for named links, the polynomial degree for polynomials.
    dps : int
        Working precision of the quadrature route.

    Examples
    --------
    >>> e = hermite_coefficients("tanh", 3, dps=20)
    >>> e.exact, e.information_exponent, e.coefficient_strings(6)
    (False, 1, ['0', '0.605706', '0', '-0.0605992'])
    """
    import sympy as sp

    if isinstance(link, str) and link in CLOSED_FORM_LINKS:
        D = 6 if degree is None else check_int("degree", degree, 0, MAX_DEGREE)
        cs = [closed_form_coefficient(link, j) for j in range(D + 1)]
        k: int | None = next(j for j in range(1, 3) if closed_form_coefficient(link, j) != 0)
        return HermiteExpansion(link, cs, True, None, k, "closed form (integration by parts)")
    if isinstance(link, str) and link in NUMERIC_LINKS:
        D = 6 if degree is None else check_int("degree", degree, 0, 60)
        cs, err = quadrature_coefficients(link, D, dps=dps)
        # tanh is odd and tanh'(0) = 1 > 0, so c_1 = E[tanh'(z)] > 0: k* = 1 (Stein's lemma)
        k = next((j for j in range(1, D + 1) if abs(cs[j]) > 10 * err), None)
        return HermiteExpansion(link, cs, False, err, k, f"mpmath tanh-sinh quadrature, dps={dps}",
                                notes=f"absolute error <= {err:.1e}; even coefficients are 0 by symmetry")
    expr = parse_polynomial(link) if isinstance(link, str) else sp.sympify(link)
    z = _symbols()["Z"]
    if not expr.free_symbols <= {z}:
        raise ValueError(f"link must be a polynomial in z, got {link!r}")
    deg = sp.Poly(expr, z).degree()
    D = max(deg, 0) if degree is None else check_int("degree", degree, 0, MAX_DEGREE)
    cs = polynomial_hermite_coefficients(expr, D)
    full = polynomial_hermite_coefficients(expr)
    k = next((j for j in range(1, len(full)) if full[j] != 0), None)
    return HermiteExpansion(str(expr), cs, True, None, k, "exact (monomial inversion)")


def information_exponent(link: str | sp.Expr) -> int | None:
    """``k* = min{j >= 1 : c_j != 0}`` (None for a constant link).

    Examples
    --------
    >>> [information_exponent(s) for s in ("relu", "sign", "step", "abs", "tanh", "z**2 - 1", "He3(z)", "5")]
    [1, 1, 1, 2, 1, 2, 3, None]
    """
    return hermite_coefficients(link, degree=2 if isinstance(link, str) and link in NUMERIC_LINKS else None,
                                dps=20).information_exponent


def multi_hermite_coefficients(expr: Any, variables: Sequence[sp.Symbol]) -> dict[tuple[int, ...], sp.Expr]:
    """Exact ``c_alpha`` of a polynomial in several variables (``x ~ N(0, I)``), nonzero ones only.

    Each monomial ``x^beta`` expands as ``prod_i sum_k a^{(beta_i)}_k He_k(x_i)``
    (:func:`monomial_to_hermite`).

    Examples
    --------
    >>> import sympy as sp
    >>> x0, x1 = sp.symbols("x0 x1")
    >>> multi_hermite_coefficients(x0**2 * x1, [x0, x1])
    {(2, 1): 1, (0, 1): 1}
    """
    import sympy as sp

    variables = list(variables)
    poly = sp.Poly(sp.expand(sp.sympify(expr)), *variables)
    out: dict[tuple[int, ...], sp.Expr] = {}
    for exps, coef in poly.terms():
        parts: list[tuple[tuple[int, ...], Fraction]] = [((), Fraction(1))]
        for e in exps:
            conv = monomial_to_hermite(e)
            parts = [(a + (k,), w * c) for a, w in parts for k, c in conv.items()]
        for alpha, w in parts:
            out[alpha] = out.get(alpha, sp.Integer(0)) + coef * sp.Rational(w.numerator, w.denominator)
    res = {}
    for a, c in out.items():
        c = sp.simplify(c) if not c.is_number else c
        if c != 0:
            res[a] = c
    return res


def composite_hermite_coefficients(g: Any, zs: Sequence[sp.Symbol], U: Any,
                                   xs: Sequence[sp.Symbol] | None = None) -> dict[tuple[int, ...], sp.Expr]:
    """Hermite coefficients of ``f(x) = g(U x)`` in ``d`` variables, exactly.

    Parameters
    ----------
    g : sympy expression, polynomial in ``zs``
    zs : symbols ``z_1..z_r``
    U : r x d matrix (sympy Matrix or nested list; rational or symbolic entries)
    xs : symbols ``x_0..x_{d-1}`` (default ``x0, x1, ...``)

    Returns
    -------
    dict mapping multi-index ``alpha`` (length ``d``) to ``c_alpha = E[f He_alpha]/alpha!``.

    Notes
    -----
    When the rows of ``U`` are orthonormal, ``z = Ux ~ N(0, I_r)`` and the total-degree-``k`` part
    of ``f`` is the degree-``k`` Hermite part of ``g`` composed with ``U`` (Hermite degree is
    rotation invariant); tests check this against the moment route.

    Examples
    --------
    >>> import sympy as sp
    >>> z1 = sp.Symbol("z1")
    >>> composite_hermite_coefficients(z1**2 - 1, [z1], [[sp.Rational(3, 5), sp.Rational(4, 5)]])
    {(2, 0): 9/25, (1, 1): 24/25, (0, 2): 16/25}
    """
    import sympy as sp

    U = sp.Matrix(U)
    r, d = U.shape
    if r != len(zs):
        raise ValueError(f"U must have len(zs) = {len(zs)} rows, got {r}")
    xs = list(xs) if xs is not None else list(sp.symbols(f"x0:{d}", real=True))
    if len(xs) != d:
        raise ValueError(f"xs must have {d} symbols (columns of U), got {len(xs)}")
    subs = {zs[i]: sum(U[i, k] * xs[k] for k in range(d)) for i in range(r)}
    f = sp.expand(sp.sympify(g).xreplace(subs))
    return multi_hermite_coefficients(f, xs)
