"""Exact and mpmath evaluation of bound formulas.

:func:`evaluate_expr` gives the exact rational value when there is one with at most
:data:`EXACT_MAX_DIGITS` digits, and ``log10`` (mpmath, arbitrary exponent range) always.
:func:`log10_binomial` is ``log10 C(n, k)`` for any ``n``.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from featurecheck.theory._exact import binomial as _binomial
from featurecheck.theory.bounds.model import BoundValue

if TYPE_CHECKING:
    import mpmath
    import sympy as sp

# sympy and mpmath are imported by the functions that use them, so importing the bounds package starts
# without them

__all__ = ["EXACT_MAX_DIGITS", "evaluate_expr", "log10_binomial"]

EXACT_MAX_DIGITS = 60
_DPS = 40


def evaluate_expr(expr: sp.Expr, env: Mapping[sp.Symbol, Fraction]) -> BoundValue:
    """Evaluate a formula: exact rational when it fits, log10 (mpmath) always.

    Examples
    --------
    >>> import sympy as sp
    >>> from featurecheck.theory.bounds.model import n
    >>> evaluate_expr(sp.binomial(n, 2) / 2, {n: Fraction(5)}).exact
    5
    >>> evaluate_expr(n / 4, {n: Fraction(5)}).exact
    Fraction(5, 4)
    """
    import mpmath

    with mpmath.workdps(_DPS):
        val = _mp(expr, env)
        if not isinstance(val, mpmath.mpf) and not mpmath.isinf(val):
            val = mpmath.re(val)
        lg = float(mpmath.log10(val)) if val > 0 else None
        approx = float(val) if (val == 0 or abs(mpmath.log10(abs(val))) < 300) else None
    ex = None
    if lg is None or lg <= EXACT_MAX_DIGITS:
        ex = _exact(expr, env)
    if ex is not None and abs(ex) >= Fraction(10) ** EXACT_MAX_DIGITS:
        ex = None
    if ex is not None and ex.denominator == 1:
        return BoundValue(int(ex), lg, approx)
    return BoundValue(ex, lg, approx)


# ----------------------------------------------------------------- evaluators
def _mp_of(x: Fraction) -> mpmath.mpf:
    import mpmath

    return mpmath.mpf(x.numerator) / x.denominator


def _int_or_none(x: Any) -> int | None:
    if isinstance(x, Fraction) and x.denominator == 1:
        return int(x)
    return None


def _mp(e: sp.Expr, env: Mapping[sp.Symbol, Fraction]) -> Any:
    import mpmath
    import sympy as sp

    from featurecheck.theory.bounds.model import log2

    if e.is_Symbol:
        return _mp_of(env[e])
    if e.is_Rational:
        return mpmath.mpf(int(e.p)) / int(e.q)
    if e.is_Number or e.is_NumberSymbol:
        return mpmath.mpf(sp.N(e, _DPS + 5))
    if e.is_Add:
        return mpmath.fsum(_mp(a, env) for a in e.args)
    if e.is_Mul:
        out = mpmath.mpf(1)
        for a in e.args:
            out *= _mp(a, env)
        return out
    if e.is_Pow:
        b, x = _mp(e.args[0], env), _mp(e.args[1], env)
        return mpmath.power(b, x)
    if isinstance(e, sp.binomial):
        nn, kk = (_exact(a, env) for a in e.args)
        ni, ki = _int_or_none(nn), _int_or_none(kk)
        if ni is None or ki is None:
            raise ValueError(f"binomial needs integer arguments, got {nn}, {kk}")
        if ki < 0 or ki > ni:
            return mpmath.mpf(0)
        if min(ki, ni - ki) <= 2000:
            return mpmath.mpf(_binomial(ni, ki))
        return mpmath.power(10, log10_binomial(ni, ki, as_mpf=True))
    if isinstance(e, sp.log):
        if len(e.args) == 2:
            return mpmath.log(_mp(e.args[0], env)) / mpmath.log(_mp(e.args[1], env))
        return mpmath.log(_mp(e.args[0], env))
    if isinstance(e, log2):
        return mpmath.log(_mp(e.args[0], env), 2)
    if isinstance(e, sp.exp):
        return mpmath.exp(_mp(e.args[0], env))
    if isinstance(e, (sp.Max, sp.Min)):
        vals = [_mp(a, env) for a in e.args]
        return max(vals) if isinstance(e, sp.Max) else min(vals)
    if isinstance(e, sp.Piecewise):
        return _mp(_pick_piece(e, env), env)
    raise ValueError(f"cannot evaluate {type(e).__name__} in a bound formula: {e}")


def _pick_piece(e: sp.Piecewise, env: Mapping[sp.Symbol, Fraction]) -> sp.Expr:
    import sympy as sp

    subs = {s: sp.Rational(v.numerator, v.denominator) for s, v in env.items()}
    for expr, cond in e.args:
        c = cond.subs(subs) if hasattr(cond, "subs") else cond
        if c is sp.true or c is True:
            return expr
    raise ValueError(f"no branch of {e} applies at {env}")


_MAX_EXACT_BITS = 40_000  # refuse exact intermediates larger than this


def _exact(e: sp.Expr, env: Mapping[sp.Symbol, Fraction]) -> Fraction | None:
    """Exact rational value, or None if irrational or too large."""
    import sympy as sp

    from featurecheck.theory.bounds.model import log2

    if e.is_Symbol:
        return env[e]
    if e.is_Rational:
        return Fraction(int(e.p), int(e.q))
    if e.is_Add:
        tot = Fraction(0)
        for a in e.args:
            v = _exact(a, env)
            if v is None:
                return None
            tot += v
        return tot
    if e.is_Mul:
        prod = Fraction(1)
        for a in e.args:
            v = _exact(a, env)
            if v is None:
                return None
            prod *= v
            if prod.numerator.bit_length() + prod.denominator.bit_length() > _MAX_EXACT_BITS:
                return None
        return prod
    if e.is_Pow:
        b, x = _exact(e.args[0], env), _exact(e.args[1], env)
        if b is None or x is None:
            return None
        return _rational_power(b, x)
    if isinstance(e, sp.binomial):
        nn, kk = _exact(e.args[0], env), _exact(e.args[1], env)
        ni, ki = _int_or_none(nn) if nn is not None else None, _int_or_none(kk) if kk is not None else None
        if ni is None or ki is None:
            return None
        if 0 <= ki <= ni and log10_binomial(ni, ki) * 3.33 > _MAX_EXACT_BITS:
            return None
        return Fraction(_binomial(ni, ki))
    if isinstance(e, (sp.Max, sp.Min)):
        vals = [_exact(a, env) for a in e.args]
        if any(v is None for v in vals):
            return None
        return max(vals) if isinstance(e, sp.Max) else min(vals)  # type: ignore[type-var]
    if isinstance(e, sp.Piecewise):
        return _exact(_pick_piece(e, env), env)
    if isinstance(e, log2):
        x = _exact(e.args[0], env)
        return _exact_log2(x) if x is not None else None
    if isinstance(e, sp.log) and len(e.args) == 1:
        return Fraction(0) if _exact(e.args[0], env) == 1 else None
    return None


def _exact_log2(x: Fraction) -> Fraction | None:
    """``log2(x)`` when ``x`` is a power of two (positive or negative exponent), else None."""
    if x <= 0:
        return None
    a, b = x.numerator, x.denominator
    if a & (a - 1) == 0 and b == 1:
        return Fraction(a.bit_length() - 1)
    if b & (b - 1) == 0 and a == 1:
        return Fraction(-(b.bit_length() - 1))
    return None


def _rational_power(b: Fraction, x: Fraction) -> Fraction | None:
    if b == 0:
        return Fraction(0) if x > 0 else None
    if x.denominator != 1:
        q = x.denominator
        if b < 0:
            return None
        rn, rd = _iroot(b.numerator, q), _iroot(b.denominator, q)
        if rn is None or rd is None:
            return None
        b, x = Fraction(rn, rd), Fraction(x.numerator)
    e = int(x)
    mag = abs(e) * max(b.numerator.bit_length(), b.denominator.bit_length())
    if mag > _MAX_EXACT_BITS:
        return None
    return b**e


def _iroot(a: int, q: int) -> int | None:
    import mpmath

    if a < 0:
        return None
    r0 = round(a ** (1.0 / q)) if a < 2**1000 else int(mpmath.nint(mpmath.root(a, q)))
    for c in (r0 - 1, r0, r0 + 1):
        if c >= 0 and c**q == a:
            return c
    return None


def log10_binomial(n_: int, k_: int, *, as_mpf: bool = False) -> Any:
    """``log10 C(n, k)`` without overflow, via ``log Gamma`` in mpmath (exact ints for tiny n).

    Parameters
    ----------
    n_, k_ : int
        ``0 <= k <= n``; any size (``n = 10^9`` and beyond).
    as_mpf : bool
        Return an mpmath number at the working precision instead of a float.

    Notes
    -----
    ``log C(n,k) = lnGamma(n+1) - lnGamma(k+1) - lnGamma(n-k+1)``; the precision is raised by the
    number of digits of ``n log n`` so that the cancellation keeps ``_DPS`` significant digits.

    Examples
    --------
    >>> round(log10_binomial(10**9, 4), 9)
    34.619788756
    >>> log10_binomial(5, 0)
    0.0
    """
    import mpmath

    n_, k_ = int(n_), int(k_)
    if not 0 <= k_ <= n_:
        raise ValueError(f"k must be in [0, n={n_}], got {k_}")
    if n_ < 64:
        v = mpmath.log10(_binomial(n_, k_)) if k_ not in (0, n_) else mpmath.mpf(0)
        return v if as_mpf else float(v)
    extra = len(str(n_)) * 2 + 5
    with mpmath.workdps(_DPS + extra):
        v = (mpmath.loggamma(n_ + 1) - mpmath.loggamma(k_ + 1) - mpmath.loggamma(n_ - k_ + 1)) / mpmath.log(10)
    with mpmath.workdps(_DPS):
        return +v if as_mpf else float(v)
