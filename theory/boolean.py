"""Exact Walsh–Fourier analysis of majority and threshold functions on the Boolean cube.

Conventions (fixed here, used everywhere in featurecheck)
---------------------------------------------------------
- ``x`` is uniform on ``{-1, +1}^n``; ``chi_S(x) = prod_{i in S} x_i``;
  ``hat f(S) = E[f(x) chi_S(x)]`` (normalised: the raw Walsh sum divided by ``2^n``).
- Bit order: coordinate ``i`` is bit ``i`` of an integer index (LSB = coordinate 0); a set ``S`` is
  the bit mask ``sum_{i in S} 2^i``. In bit-packed samples a set bit means ``x_i = -1``, so
  ``chi_S(x) = (-1)^popcount(bits & S)``.
- ``Maj_n(x) = sign(sum_i x_i)`` is defined for odd ``n`` only; even ``n`` raises a ValueError
  (use a threshold with an explicit tie rule instead).
- ``T_theta(x) = 1[sum_i x_i >= theta]`` is 0/1-valued (note ``>=``); its ±1 version is
  ``2 T_theta - 1``. ``theta`` may be any real (a Fraction is kept exact).
- Influence: ``Inf_i[f] = E[(D_i f)^2] = sum_{S ∋ i} hat f(S)^2`` (for ±1-valued ``f`` this is
  ``Pr[f(x) != f(x^{(i)})]``).
- Noise stability: ``Stab_rho[f] = E[f(x) f(y)]`` with ``y`` rho-correlated to ``x``
  (``E[x_i y_i] = rho``), so ``Stab_rho[f] = sum_S rho^{|S|} hat f(S)^2``. This is *not* the
  agreement probability (which is ``1/2 + Stab_rho/2`` for ±1-valued ``f``).

All coefficients are symmetric: ``hat f(S)`` depends on ``|S|`` only, so functions take a level
``k`` and return the value for any ``|S| = k``.

References
----------
R. O'Donnell, *Analysis of Boolean Functions*, Cambridge 2014, ch. 5 (Thm 5.19, Ex. 5.9, 5.22).
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Iterator, Sequence
from fractions import Fraction
from functools import cache
from typing import TYPE_CHECKING, Any

from featurecheck.theory._exact import binomial, binomial_ratio, coprime_fraction, exact_str, factorial_ratio
from featurecheck.theory._validate import check_int, check_odd, check_real

if TYPE_CHECKING:
    from decimal import Decimal

    import sympy as sp

# sympy is imported by the functions that build expressions, so the exact rational routes (and
# `featurecheck fourier majority`) start without it; RHO and N_SYM are built on first use

__all__ = [
    "majority_coefficient",
    "majority_levels",
    "majority_level_numerators",
    "majority_influence",
    "threshold_coefficient",
    "threshold_levels",
    "threshold_count",
    "level_weights",
    "parseval_sum",
    "influences",
    "total_influence",
    "noise_stability",
    "stability_polynomial",
    "majority_coefficient_expr",
    "majority_level_weight_limit",
    "majority_level_weight_limit_formula",
    "majority_coefficient_asymptote",
    "majority_coefficient_asymptote_constant",
]

MAX_N = 10**7 + 1  # exact big-int arithmetic beyond this is refused, not attempted


def _check_level(k: object, n: int, low: int = 0) -> int:
    return check_int("k", k, low, n)


def majority_coefficient(n: int, k: int) -> Fraction:
    r"""Exact Fourier coefficient ``hat Maj_n(S)`` for any ``|S| = k`` (n odd).

    Parameters
    ----------
    n : int
        Number of variables, odd, ``1 <= n <= 10^7``.
    k : int
        Level ``|S|``, ``0 <= k <= n``.

    Returns
    -------
    Fraction
        0 for even ``k``; for ``k = 2j + 1``,
        ``(-1)^j C((n-1)/2, j) / C(n-1, 2j) * 2^{1-n} C(n-1, (n-1)/2)``.

    Notes
    -----
    Evaluated as ``(-1)^j C(n-1, m) C(m, j) / C(n-1, 2j) * 2^{1-n}`` with ``m = (n-1)/2`` by
    :func:`~featurecheck.theory._exact.binomial_ratio`: GMP binomials and one gcd with gmpy2 installed
    (``n = 10^7 + 1`` in well under a second), prime exponents of the factorial form otherwise.

    References
    ----------
    O'Donnell (2014), Theorem 5.19.

    Examples
    --------
    >>> majority_coefficient(3, 1), majority_coefficient(3, 3)
    (Fraction(1, 2), Fraction(-1, 2))
    >>> majority_coefficient(5, 2)
    Fraction(0, 1)
    """
    n = check_odd("n", n, 1, MAX_N)
    k = _check_level(k, n)
    if k % 2 == 0:
        return Fraction(0)
    j = (k - 1) // 2
    m = (n - 1) // 2
    val = binomial_ratio([(n - 1, m), (m, j)], [(n - 1, 2 * j)], pow2=1 - n)
    return -val if j % 2 else val


def majority_levels(n: int) -> list[Fraction]:
    """All level values ``hat Maj_n(level k)`` for ``k = 0..n`` (index = level).

    The recurrence of :func:`majority_level_numerators` in Python ints: every odd level is
    ``p_k / 2^e`` in lowest terms, one exact division per level and no gcd.

    Examples
    --------
    >>> [str(c) for c in majority_levels(3)]
    ['0', '1/2', '0', '-1/2']
    """
    n = check_odd("n", n, 1, 100_001)
    out = [Fraction(0)] * (n + 1)
    for k, p, e in _majority_numerators(n, digits=False):
        out[k] = coprime_fraction(p, 1 << e)
    return out


def majority_level_numerators(n: int) -> Iterator[tuple[int, Decimal, int]]:
    r"""Every nonzero level of ``Maj_n`` as ``(k, p_k, e)``, ``hat Maj_n(k) = p_k / 2^e`` in lowest terms.

    A stream for the whole spectrum at large ``n``: one value is held at a time, and each step and
    each ``str(p_k)`` cost time linear in its number of digits (at ``n = 100001`` the numerators
    have up to about 30 000 digits).

    Parameters
    ----------
    n : int
        Number of variables, odd, ``1 <= n <= 10^7 + 1``.

    Yields
    ------
    k : int
        The odd levels ``1, 3, ..., n`` in order (even levels are 0).
    p_k : decimal.Decimal
        The numerator, an odd integer with exponent 0, so ``str(p_k)`` is its decimal digits and
        ``int(p_k)`` its value. Arithmetic on it in the default decimal context rounds to 28 digits:
        convert it first, or use a context of unlimited precision.
    e : int
        The exponent of the denominator, the same at every level: ``n - 1 - s`` where ``2^s`` is
        the power of two dividing ``C(n-1, (n-1)/2)``.

    Notes
    -----
    The closed form of :func:`majority_coefficient` gives
    ``hat Maj_n(k) / hat Maj_n(k-2) = -(k-2) / (n-k+1)`` for odd ``k >= 3``. Both ``k-2`` and
    ``n-k+1`` are odd, so from ``p_1 / 2^e = C(n-1, (n-1)/2) / 2^{n-1}`` in lowest terms (``p_1``
    odd) every ``p_k = -p_{k-2} (k-2) / (n-k+1)`` is an odd integer, an exact division, over the
    same ``2^e``. The arithmetic is :mod:`decimal`'s (libmpdec, base ``10^19``) in a local context
    of unlimited precision that traps rounding; a nonzero remainder raises ArithmeticError.
    Multiplying or dividing by a word-sized integer and ``str`` are linear in the size, where
    ``str`` of a Python int is quadratic.

    References
    ----------
    O'Donnell (2014), Theorem 5.19.

    Examples
    --------
    >>> [(k, int(p), e) for k, p, e in majority_level_numerators(9)]   # 35/128, -5/128, ...
    [(1, 35, 7), (3, -5, 7), (5, 3, 7), (7, -5, 7), (9, 35, 7)]
    """
    n = check_odd("n", n, 1, MAX_N)
    return _majority_numerators(n, digits=True)


def _majority_numerators(n: int, *, digits: bool) -> Iterator[tuple[int, Any, int]]:
    """``(k, p_k, e)`` of :func:`majority_level_numerators`; ``p_k`` a Decimal (``digits``) or an int.

    A Decimal's ``str`` is linear in its size, an int's is quadratic, and so is ``int(Decimal)``:
    :func:`majority_levels` takes the ints.
    """
    first = majority_coefficient(n, 1)
    e = first.denominator.bit_length() - 1
    p: Any = first.numerator
    mul: Callable[[Any, int], Any] = operator.mul
    div: Callable[[Any, int], tuple[Any, Any]] = divmod
    if digits:
        import decimal

        ctx = decimal.Context(prec=decimal.MAX_PREC, Emax=decimal.MAX_EMAX, Emin=decimal.MIN_EMIN,
                              traps=[decimal.Inexact, decimal.Rounded, decimal.InvalidOperation,
                                     decimal.DivisionByZero, decimal.Overflow])
        p = ctx.create_decimal(exact_str(p))  # from a string: linear; from an int: quadratic
        mul, div = ctx.multiply, ctx.divmod
    yield 1, p, e
    for k in range(3, n + 1, 2):
        p, r = div(mul(p, 2 - k), n - k + 1)
        if r:
            raise ArithmeticError(f"majority level {k} of n = {n}: inexact division by {n - k + 1}")
        yield k, p, e


def majority_influence(n: int) -> Fraction:
    """Influence of each coordinate on ``Maj_n``: ``C(n-1, (n-1)/2) / 2^{n-1}``.

    This is a second, combinatorial route (a coordinate is pivotal iff the others tie), used to
    check the Fourier route ``sum_{S ∋ i} hat Maj(S)^2``.

    Examples
    --------
    >>> majority_influence(3)
    Fraction(1, 2)
    """
    n = check_odd("n", n, 1, MAX_N)
    m = (n - 1) // 2
    return factorial_ratio([n - 1], [m, m], pow2=1 - n)


def _threshold_w(n: int, theta: Fraction) -> int:
    """Return the integer ``w`` of the LTF closed form (see ``threshold_coefficient``); it may be out of range."""
    # v: unique integer in [theta-1, theta+1) with v = n-1 (mod 2)
    v = math.ceil(theta - 1)
    if (v - (n - 1)) % 2:
        v += 1
    return (n - 1 - v) // 2


def threshold_count(n: int, theta: float | Fraction | int | str) -> int:
    """Count the points of ``{-1,1}^n`` with ``sum x >= theta``.

    Examples
    --------
    >>> threshold_count(3, 1)  # sums 3, 1, 1, 1
    4
    """
    n = check_int("n", n, 1, MAX_N)
    th = check_real("theta", theta, exact=True)
    # sum = n - 2c >= theta  <=>  c <= (n - theta)/2
    cmax = math.floor((n - th) / 2)
    if cmax < 0:
        return 0
    if cmax >= n:
        return 1 << n
    return sum(binomial(n, c) for c in range(cmax + 1))


def threshold_coefficient(
    n: int, theta: float | Fraction | int | str, k: int, *, pm: bool = False
) -> Fraction:
    r"""Exact Fourier coefficient of ``T_theta(x) = 1[sum_i x_i >= theta]`` at any ``|S| = k``.

    Parameters
    ----------
    n : int
        Number of variables, ``1 <= n <= 10^7``.
    theta : real
        Threshold; any real number (floats are taken at their exact binary value).
    k : int
        Level ``|S|``, ``0 <= k <= n``.
    pm : bool
        If True, return the coefficient of the ±1 version ``2 T_theta - 1``.

    Returns
    -------
    Fraction

    Notes
    -----
    For ``k >= 1`` let ``v`` be the unique integer in ``[theta-1, theta+1)`` with
    ``v = n-1 (mod 2)`` and ``w = (n-1-v)/2``. Then
    ``hat T(S) = 2^{-n} sum_{j=0}^{k-1} (-1)^j C(k-1, j) C(n-k, w-j)``.
    (The derivative ``D_1 T = (1/2) 1[sum_{i>1} x_i = v]``, then a Krawtchouk sum.)
    For ``k = 0`` it is ``Pr[sum x >= theta]``.

    References
    ----------
    featurecheck theory reference, LTF-COEF; O'Donnell (2014), ch. 5.

    Examples
    --------
    >>> threshold_coefficient(3, 0, 1)   # T = (1 + Maj_3)/2
    Fraction(1, 4)
    >>> threshold_coefficient(3, 0, 1, pm=True)
    Fraction(1, 2)
    """
    n = check_int("n", n, 1, MAX_N)
    th = check_real("theta", theta, exact=True)
    k = _check_level(k, n)
    if k == 0:
        val = Fraction(threshold_count(n, th), 1 << n)
        return 2 * val - 1 if pm else val
    w = _threshold_w(n, Fraction(th))
    top = n - k
    js = [j for j in range(k) if 0 <= w - j <= top]
    if not js:
        return Fraction(0)
    # consecutive binomials C(top, w-j) by exact ratios from the first one
    j0 = js[0]
    b = binomial(top, w - j0)
    total = 0
    sign_ck = 1 if j0 % 2 == 0 else -1
    ck = math.comb(k - 1, j0)
    for j in range(j0, js[-1] + 1):
        total += sign_ck * ck * b
        r = w - j  # next: C(top, r-1) = C(top, r) * r / (top - r + 1)
        if j + 1 <= js[-1]:
            b = b * r // (top - r + 1)
            ck = ck * (k - 1 - j) // (j + 1)
            sign_ck = -sign_ck
    if pm:
        total *= 2
    if total == 0:
        return Fraction(0)
    tz = min((total & -total).bit_length() - 1, n)
    return coprime_fraction(total >> tz, 1 << (n - tz))


def threshold_levels(n: int, theta: float | Fraction | int | str, *, pm: bool = False) -> list[Fraction]:
    """All level values ``hat T_theta(level k)``, ``k = 0..n``.

    Examples
    --------
    >>> [str(c) for c in threshold_levels(2, 2)]   # T = 1[x1 = x2 = 1] = (1+x1)(1+x2)/4
    ['1/4', '1/4', '1/4']
    """
    n = check_int("n", n, 1, 100_001)
    th = check_real("theta", theta, exact=True)
    return [threshold_coefficient(n, th, k, pm=pm) for k in range(n + 1)]


def _check_levels(levels: object, n: int | None) -> list[Fraction]:
    """``levels`` as ``n + 1`` Fractions (any length ``>= 1`` when ``n`` is None), or a ValueError.

    Refuses a mapping, a string, a non-rational entry and, when ``n`` is given, a length other than
    ``n + 1`` (naming a per-set spectrum of ``2^n`` values when that is what it looks like).
    """
    if isinstance(levels, (str, bytes)) or not hasattr(levels, "__len__") or hasattr(levels, "keys"):
        what = "" if n is None else f"the n+1 = {n + 1} "
        raise ValueError(f"levels must be a sequence of {what}per-level values, got {type(levels).__name__}")
    seq = list(levels)  # type: ignore[call-overload]
    if n is not None and len(seq) != n + 1:
        hint = f" (a per-set spectrum has 2^n = {2**n}: give one value per level)" if len(seq) == 2**n else ""
        raise ValueError(f"levels must hold the n+1 = {n + 1} per-level values hat f(level k), k = 0..{n}, "
                         f"got {len(seq)} values{hint}")
    if not seq:
        raise ValueError("levels must hold at least one value (hat f(level 0))")
    vals = []
    for k, c in enumerate(seq):
        try:
            vals.append(Fraction(c))
        except (TypeError, ValueError):
            raise ValueError(f"levels[{k}] must be a rational number, got {c!r}") from None
    return vals


def level_weights(levels: Sequence[Fraction], n: int | None = None) -> list[Fraction]:
    """Level weights ``W^k = C(n, k) * level_k^2`` of a symmetric function (``n = len(levels) - 1``).

    ``levels`` holds one value per level (as :func:`majority_levels` returns), never a per-set
    spectrum; pass ``n`` to have the length checked (a per-set list of ``2^n`` values is refused).

    Examples
    --------
    >>> [str(w) for w in level_weights(majority_levels(3))]
    ['0', '3/4', '0', '1/4']
    >>> level_weights([0, 1, 1, 0], n=2)   # hat Maj by set, not by level
    Traceback (most recent call last):
    ...
    ValueError: levels must hold the n+1 = 3 per-level values hat f(level k), k = 0..2, got 4 values (a per-set spectrum has 2^n = 4: give one value per level)
    """
    if n is not None:
        n = check_int("n", n, 0, MAX_N)
    vals = _check_levels(levels, n)
    m = len(vals) - 1
    return [binomial(m, k) * c**2 for k, c in enumerate(vals)]


def parseval_sum(levels: Sequence[Fraction], n: int | None = None) -> Fraction:
    """Return ``sum_S hat f(S)^2``; equals ``E[f^2]`` by Parseval (1 for ±1-valued, ``E[f]`` for 0/1).

    Examples
    --------
    >>> parseval_sum(majority_levels(7))
    Fraction(1, 1)
    """
    return sum(level_weights(levels, n), Fraction(0))


def influences(levels: Sequence[Fraction], n: int) -> Fraction:
    """Influence of any one coordinate of a symmetric ``f``, ``Inf_i = sum_k C(n-1, k-1) level_k^2``.

    Parameters
    ----------
    levels : sequence of rationals
        Per-level values ``hat f(S)`` for ``|S| = k``, ``k = 0..n``: exactly ``n + 1`` of them (as
        :func:`majority_levels` returns). A per-set spectrum (``2^n`` values indexed by the set) is
        refused: read as levels it would give a wrong number.
    n : int
        Number of variables, ``1 <= n <= 10^7``.

    Examples
    --------
    >>> influences(majority_levels(5), 5) == majority_influence(5)
    True
    >>> influences([0, 1, 1, 0], 2)   # hat Maj_3 by set, not by level
    Traceback (most recent call last):
    ...
    ValueError: levels must hold the n+1 = 3 per-level values hat f(level k), k = 0..2, got 4 values (a per-set spectrum has 2^n = 4: give one value per level)
    """
    n = check_int("n", n, 1, MAX_N)
    vals = _check_levels(levels, n)
    return sum((binomial(n - 1, k - 1) * c**2 for k, c in enumerate(vals) if k), Fraction(0))


def total_influence(levels: Sequence[Fraction], n: int | None = None) -> Fraction:
    """Total influence ``I[f] = sum_k k W^k = n Inf_1``.

    Examples
    --------
    >>> total_influence(majority_levels(3))
    Fraction(3, 2)
    """
    return sum((k * w for k, w in enumerate(level_weights(levels, n))), Fraction(0))


def noise_stability(levels: Sequence[Fraction], n: int | None = None) -> sp.Poly:
    """Noise stability ``Stab_rho[f] = E[f(x) f(y)] = sum_k W^k rho^k`` as an exact sympy polynomial.

    Examples
    --------
    >>> noise_stability(majority_levels(3)).as_expr()
    rho**3/4 + 3*rho/4
    """
    return stability_polynomial(level_weights(levels, n))


def stability_polynomial(weights: Sequence[Fraction]) -> sp.Poly:
    """Return ``sum_k weights[k] rho^k``, the noise stability of a function with these level weights ``W^k``.

    Examples
    --------
    >>> stability_polynomial([Fraction(0), Fraction(3, 4), Fraction(0), Fraction(1, 4)]).as_expr()
    rho**3/4 + 3*rho/4
    """
    import sympy as sp

    return sp.Poly([sp.Rational(w.numerator, w.denominator) for w in reversed(weights)], sp.Symbol("rho"),
                   domain="QQ")


# ---------------------------------------------------------------- symbolic forms and asymptotics

def majority_coefficient_expr(k: int) -> sp.Expr:
    r"""``hat Maj_n(S)``, ``|S| = k`` odd, as a sympy expression in ``n`` (printable as LaTeX).

    With ``m = (n-1)/2`` and the duplication formula,
    ``hat Maj_n(2j+1) = (-1)^j (2j-1)!! / 2^j * Gamma(n/2 - j) / (sqrt(pi) Gamma((n+1)/2))``.

    Examples
    --------
    >>> import sympy as sp
    >>> e = majority_coefficient_expr(3)
    >>> sp.nsimplify(e.subs(sp.Symbol("n", positive=True), 5))
    -1/8
    >>> print(sp.latex(majority_coefficient_expr(1)))
    \frac{\Gamma\left(\frac{n}{2}\right)}{\sqrt{\pi} \Gamma\left(\frac{n}{2} + \frac{1}{2}\right)}
    """
    import sympy as sp

    k = check_int("k", k, 1)
    if k % 2 == 0:
        return sp.Integer(0)
    j = (k - 1) // 2
    n = sp.Symbol("n", positive=True)
    return (
        (-1) ** j
        * sp.factorial2(2 * j - 1)
        / 2**j
        * sp.gamma(n / 2 - j)
        / (sp.sqrt(sp.pi) * sp.gamma((n + 1) / 2))
    )


def majority_level_weight_limit_formula(k: int) -> sp.Expr:
    """Return the stated limit ``(2/pi) ((k-2)!!)^2 / k!`` of ``W^k[Maj_n]`` (k odd), as a sympy number.

    Examples
    --------
    >>> majority_level_weight_limit_formula(3)
    1/(3*pi)
    """
    import sympy as sp

    k = check_int("k", k, 1)
    if k % 2 == 0:
        return sp.Integer(0)
    return 2 / sp.pi * sp.factorial2(k - 2) ** 2 / sp.factorial(k)


@cache
def majority_level_weight_limit(k: int) -> sp.Expr:
    """``lim_{n -> inf} W^k[Maj_n]`` evaluated by ``sympy.limit`` (seconds per call; cached).

    Examples
    --------
    >>> majority_level_weight_limit(1)
    2/pi
    """
    import sympy as sp

    k = check_int("k", k, 1, 99)
    if k % 2 == 0:
        return sp.Integer(0)
    n = sp.Symbol("n", positive=True)
    expr = sp.binomial(n, k) * majority_coefficient_expr(k) ** 2
    return sp.limit(expr, n, sp.oo)


def majority_coefficient_asymptote_constant(k: int) -> sp.Expr:
    """Return the stated constant ``sqrt(2/pi) (k-2)!!`` in ``|hat Maj_n(S)| ~ c n^{-k/2}``.

    Examples
    --------
    >>> majority_coefficient_asymptote_constant(3)
    sqrt(2)/sqrt(pi)
    """
    import sympy as sp

    k = check_int("k", k, 1)
    return sp.sqrt(2 / sp.pi) * sp.factorial2(k - 2)


@cache
def majority_coefficient_asymptote(k: int) -> sp.Expr:
    """``lim_{n -> inf} |hat Maj_n(S)| n^{k/2}`` evaluated by ``sympy.limit`` (cached).

    Examples
    --------
    >>> majority_coefficient_asymptote(1)
    sqrt(2)/sqrt(pi)
    """
    import sympy as sp

    k = check_int("k", k, 1, 99)
    if k % 2 == 0:
        return sp.Integer(0)
    n = sp.Symbol("n", positive=True)
    expr = sp.Abs(majority_coefficient_expr(k)) * n ** sp.Rational(k, 2)
    return sp.limit(expr.rewrite(sp.gamma), n, sp.oo)


def __getattr__(name: str) -> Any:
    """``RHO`` (the noise-stability variable) and ``N_SYM`` (``n`` in symbolic forms), built on first use."""
    if name in ("RHO", "N_SYM"):
        import sympy as sp

        return sp.Symbol("rho") if name == "RHO" else sp.Symbol("n", positive=True)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
