"""Sample, query and resource bounds of feature-learning theory, held as declarative symbolic objects.

A :class:`Bound` states one bound of one method: the quantity it bounds (samples, queries, steps,
width, ...), a sympy formula in the problem's parameters, whether it is an upper bound (what the
method provably suffices with) or a lower bound (what every method of the class needs), the
conditions, the status (``theorem``, ``conjecture``, ``derived``) and the source down to the theorem.
Constants that a source hides are either explicit symbols (``C_T``, ...; set to 1 when a table is
evaluated) or declared in ``hidden`` ("up to constants", "up to constants and logs").

Three catalogues (theory reference, sections 2-5): :data:`PARITY` (parameters ``n, k``; auxiliary
``delta, eps, tau``), :data:`SINGLE_INDEX` (``d, kstar, p``) and :data:`MULTI_INDEX`
(``d, r, p``; auxiliary ``leap``).

Evaluation (:meth:`Bound.evaluate`) is exact (Python ints / Fractions) when the value is rational
and has at most :data:`EXACT_MAX_DIGITS` digits, and is always given as ``log10`` computed with
mpmath (arbitrary exponent range), so nothing overflows for ``n`` up to ``10^9`` and beyond.

Kind convention: ``upper`` = the method provably succeeds with at most this much of the quantity
(a sufficient amount); ``lower`` = every method of the stated class needs at least this much.

Examples
--------
>>> b = get("parity.gaussian_elimination")
>>> b.kind, b.quantity, b.status
('upper', 'samples', 'derived')
>>> v = b.evaluate(n=20, k=3, delta=Fraction(1, 8))
>>> v.exact, round(v.log10, 6)
(23, 1.361728)
>>> get("parity.sq_dimension").evaluate(n=10**9, k=4).exact
41666666416666667124999999750000000
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import mpmath
import sympy as sp

from featurecheck.theory._exact import binomial as _binomial

__all__ = [
    "Bound",
    "BoundValue",
    "Problem",
    "PROBLEMS",
    "PARITY",
    "SINGLE_INDEX",
    "MULTI_INDEX",
    "CATALOGUE",
    "QUANTITIES",
    "STATUSES",
    "KINDS",
    "EXACT_MAX_DIGITS",
    "get",
    "log10_binomial",
    "log2",
    "evaluate_expr",
    "gf2_full_rank_probability",
    "erm_union_bound",
    "erm_bonferroni_upper",
    "krawtchouk",
    "symbols",
]

EXACT_MAX_DIGITS = 60
_DPS = 40

QUANTITIES: dict[str, str] = {
    "samples": "number of labelled examples",
    "batch": "samples per step (batch size)",
    "queries": "number of statistical queries",
    "1/tolerance": "inverse query tolerance (the precision of each statistical query)",
    "steps": "number of (online) SGD steps",
    "width": "number of neurons",
    "time": "total computation (arithmetic operations, up to constants)",
    "resources": "r T / tau^2: parameters x steps / gradient-noise^2",
    "features*norm^2": "D R^2: number of fixed features x squared readout norm",
    "sq-dimension": "statistical-query dimension of the class",
    "variance/G^2": "Var_h ||grad F_h - mean||^2 divided by G^2",
    "spike-exponent": "spike strength exponent beta (theta ~ d^beta)",
}
STATUSES = ("theorem", "conjecture", "derived")
KINDS = ("upper", "lower")
HIDDEN = ("", "up to constants", "up to constants and logs")

# ----------------------------------------------------------------- symbols
n, k = sp.symbols("n k", positive=True, integer=True)
d, p, r = sp.symbols("d p r", positive=True, integer=True)
kstar = sp.Symbol("k_*", positive=True, integer=True)
leap = sp.Symbol("L", positive=True, integer=True)
delta = sp.Symbol("delta", positive=True)
eps = sp.Symbol("epsilon", positive=True)
tau = sp.Symbol("tau", positive=True)
C_gap, C_w, C_B, C_T, c_w = sp.symbols("C_gap C_w C_B C_T c_w", positive=True)

_NAME_OF: dict[sp.Symbol, str] = {n: "n", k: "k", d: "d", p: "p", r: "r", kstar: "kstar", leap: "leap",
                                  delta: "delta", eps: "eps", tau: "tau"}


def symbols() -> dict[str, sp.Symbol]:
    """Parameter name -> sympy symbol (``kstar`` prints as ``k_*``, ``leap`` as ``L``).

    Examples
    --------
    >>> symbols()["kstar"]
    k_*
    """
    return {v: s for s, v in _NAME_OF.items()}


class log2(sp.Function):
    """Binary logarithm kept unevaluated (prints as ``\\log_2``; exact when the argument is a power of 2)."""

    nargs = 1

    def _latex(self, printer: Any, exp: Any = None) -> str:
        s = r"\log_2{\left(" + printer._print(self.args[0]) + r" \right)}"
        return s if exp is None else s + "^{" + str(exp) + "}"


def _log2(x: sp.Expr) -> sp.Expr:
    return log2(x)


# ----------------------------------------------------------------- value objects
@dataclass(frozen=True)
class BoundValue:
    """A bound evaluated at one parameter point.

    Attributes
    ----------
    exact : int, Fraction or None
        Exact value when it is rational and has at most ``EXACT_MAX_DIGITS`` digits.
    log10 : float or None
        ``log10`` of the value (None if the value is not positive or the bound does not apply).
    approx : float or None
        The value as a float when it lies in float range, else None.
    applicable : bool
        False when the bound's conditions exclude this point (then ``reason`` says why).
    reason : str
    """

    exact: int | Fraction | None
    log10: float | None
    approx: float | None
    applicable: bool = True
    reason: str = ""


@dataclass(frozen=True)
class Bound:
    """One bound of one method, as data.

    Parameters
    ----------
    id : str
        Unique dotted id, e.g. ``parity.gaussian_elimination``.
    problem : {"parity", "single-index", "multi-index"}
    method : str
        Method or bound name as shown in tables.
    quantity : str
        A key of :data:`QUANTITIES`.
    kind : {"upper", "lower"}
        ``upper``: sufficient for the method; ``lower``: necessary for every method of the class.
    formula : sympy.Expr
        In the problem's parameters, auxiliary parameters and explicit hidden constants.
    status : {"theorem", "conjecture", "derived"}
    source : str
        Paper (with arXiv id or venue) and theorem / proposition / section.
    conditions : tuple of str
        When the bound holds.
    constants : tuple of sympy.Symbol
        Hidden constants written as explicit symbols; tables set them to 1.
    hidden : str
        "", "up to constants" or "up to constants and logs" (what the formula leaves out).
    applies : callable, optional
        ``applies(params) -> str | None``; a string means "not applicable here" and says why.
    notes : str
        Caveats, including every [unsure] point of the theory reference.
    checked_by : tuple of str
        Ids of registered claims that check this bound numerically.
    """

    id: str
    problem: str
    method: str
    quantity: str
    kind: str
    formula: sp.Expr
    status: str
    source: str
    conditions: tuple[str, ...] = ()
    constants: tuple[sp.Symbol, ...] = ()
    hidden: str = ""
    applies: Callable[[Mapping[str, Any]], str | None] | None = None
    notes: str = ""
    checked_by: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.quantity not in QUANTITIES:
            raise ValueError(f"bound {self.id}: quantity must be one of {list(QUANTITIES)}, got {self.quantity!r}")
        if self.kind not in KINDS:
            raise ValueError(f"bound {self.id}: kind must be one of {list(KINDS)}, got {self.kind!r}")
        if self.status not in STATUSES:
            raise ValueError(f"bound {self.id}: status must be one of {list(STATUSES)}, got {self.status!r}")
        if self.hidden not in HIDDEN:
            raise ValueError(f"bound {self.id}: hidden must be one of {list(HIDDEN)}, got {self.hidden!r}")
        if not self.source.strip():
            raise ValueError(f"bound {self.id}: a source is required")
        stray = self.formula.free_symbols - set(_NAME_OF) - set(self.constants)
        if stray:
            raise ValueError(f"bound {self.id}: formula has undeclared symbols {sorted(map(str, stray))}")

    @property
    def parameters(self) -> tuple[str, ...]:
        """Names of the problem parameters the formula uses (sorted)."""
        return tuple(sorted(_NAME_OF[s] for s in self.formula.free_symbols if s in _NAME_OF))

    def latex(self) -> str:
        """LaTeX of the formula (hidden constants included as symbols).

        Examples
        --------
        >>> get("parity.csq_bessel").latex()
        '\\\\tau^{2} \\\\left({\\\\binom{n}{k}} - 1\\\\right)'
        """
        return sp.latex(self.formula)

    def evaluate(self, **params: Any) -> BoundValue:
        """Evaluate at ``params`` (ints / Fractions); hidden constants are set to 1.

        Examples
        --------
        >>> get("parity.sq_dimension").evaluate(n=6, k=3).exact
        20
        >>> v = get("single-index.online_sgd").evaluate(d=1000, kstar=2, p=4)
        >>> v.exact is None, round(v.log10, 6)
        (True, 3.839337)
        """
        env: dict[sp.Symbol, Fraction] = {c: Fraction(1) for c in self.constants}
        names = symbols()
        for name, val in params.items():
            if name in names:
                env[names[name]] = Fraction(val)
        missing = [_NAME_OF[s] for s in self.formula.free_symbols if s not in env]
        if missing:
            raise ValueError(f"bound {self.id} needs parameter(s) {sorted(missing)}")
        if self.applies is not None:
            why = self.applies({**{_NAME_OF[s]: v for s, v in env.items() if s in _NAME_OF}})
            if why:
                return BoundValue(None, None, None, applicable=False, reason=why)
        return evaluate_expr(self.formula, env)


def evaluate_expr(expr: sp.Expr, env: Mapping[sp.Symbol, Fraction]) -> BoundValue:
    """Evaluate a formula: exact rational when it fits, log10 (mpmath) always.

    Examples
    --------
    >>> evaluate_expr(sp.binomial(n, 2) / 2, {n: Fraction(5)}).exact
    5
    >>> evaluate_expr(n / 4, {n: Fraction(5)}).exact
    Fraction(5, 4)
    """
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
    return mpmath.mpf(x.numerator) / x.denominator


def _int_or_none(x: Any) -> int | None:
    if isinstance(x, Fraction) and x.denominator == 1:
        return int(x)
    return None


def _mp(e: sp.Expr, env: Mapping[sp.Symbol, Fraction]) -> Any:
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
    subs = {s: sp.Rational(v.numerator, v.denominator) for s, v in env.items()}
    for expr, cond in e.args:
        c = cond.subs(subs) if hasattr(cond, "subs") else cond
        if c is sp.true or c is True:
            return expr
    raise ValueError(f"no branch of {e} applies at {env}")


_MAX_EXACT_BITS = 40_000  # refuse exact intermediates larger than this


def _exact(e: sp.Expr, env: Mapping[sp.Symbol, Fraction]) -> Fraction | None:
    """Exact rational value, or None if irrational or too large."""
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


# ----------------------------------------------------------------- problems
@dataclass(frozen=True)
class Problem:
    """A problem family with its grid parameters, auxiliary parameters and bounds."""

    name: str
    title: str
    grid: tuple[str, ...]
    aux: Mapping[str, Fraction | int]
    bounds: tuple[Bound, ...] = field(default=())

    def validate(self, point: Mapping[str, Any]) -> str | None:
        """Cross-parameter check; returns an error message or None."""
        if self.name == "parity" and point["k"] > point["n"]:
            return f"k must be in [1, n={point['n']}], got k={point['k']}"
        if self.name == "single-index" and point["kstar"] > point["p"]:
            return (f"kstar must be in [1, p={point['p']}] (the information exponent of a degree-p link "
                    f"is at most p), got kstar={point['kstar']}")
        if self.name == "multi-index":
            if point["r"] > point["d"]:
                return f"r must be in [1, d={point['d']}], got r={point['r']}"
            if point["leap"] > point["p"]:
                return f"leap must be in [1, p={point['p']}] (a degree-p target has leap <= p), got {point['leap']}"
        return None


C = sp.binomial(n, k)


def _k_even(pt: Mapping[str, Any]) -> str | None:
    return None if int(pt["k"]) % 2 == 0 else "stated for even k only"


def _k_is_2(pt: Mapping[str, Any]) -> str | None:
    return None if int(pt["k"]) == 2 else "stated for k = 2 (XOR) only"


def _k_below_n(pt: Mapping[str, Any]) -> str | None:
    return None if int(pt["k"]) < int(pt["n"]) else "needs k < n (a wrong subset must exist)"


_BAREK = "Barak, Edelman, Goel, Kakade, Malach, Zhang 2022, 'Hidden Progress in Deep Learning' (arXiv 2207.08799)"
_ABM = "Abbe, Boix-Adsera, Misiakiewicz 2023, 'SGD learning on neural networks: leap complexity and saddle-to-saddle dynamics' (arXiv 2302.11055)"
_GMMM = "Ghorbani, Mei, Misiakiewicz, Montanari 2021, 'Linearized two-layers neural networks in high dimension' (Ann. Statist. 49(2)), main theorem"

_thm4_width = C_w * 2**k * k * sp.log(k / eps)

PARITY_BOUNDS: tuple[Bound, ...] = (
    Bound(
        "parity.information_theoretic", "parity", "Information-theoretic (Fano)", "samples", "lower",
        (1 - delta) * _log2(C) - 1, "derived",
        "Fano's inequality (Cover & Thomas 2006, Thm 2.10.1): m noiseless labels carry at most m bits about S",
        conditions=("S uniform over the C(n,k) k-subsets", "exact recovery with probability >= 1 - delta"),
    ),
    Bound(
        "parity.erm", "parity", "Brute-force ERM over k-subsets", "samples", "upper",
        _log2(C - 1) + _log2(1 / delta), "derived",
        "union bound over the C(n,k)-1 wrong subsets, each consistent with prob 2^-m (Occam; theory reference sec. 3)",
        conditions=("noiseless labels", "success = the true subset is the only consistent one"),
        applies=_k_below_n, checked_by=("erm.union_bound",),
    ),
    Bound(
        "parity.erm_time", "parity", "Brute-force ERM over k-subsets", "time", "upper",
        C * (_log2(C - 1) + _log2(1 / delta)), "derived",
        "enumerate the C(n,k) subsets, check each on m samples (theory reference sec. 3)",
        hidden="up to constants", applies=_k_below_n,
    ),
    Bound(
        "parity.gaussian_elimination", "parity", "Gaussian elimination over GF(2)", "samples", "upper",
        n + _log2(1 / delta), "derived",
        "P[m uniform vectors span F_2^n] = prod_{i<n}(1 - 2^{i-m}) >= 1 - 2^{n-m} (theory reference sec. 3)",
        conditions=("noiseless labels", "success = the linear system has a unique solution"),
        checked_by=("gf2.full_rank_probability",),
    ),
    Bound(
        "parity.gaussian_elimination_time", "parity", "Gaussian elimination over GF(2)", "time", "upper",
        n**2 * (n + _log2(1 / delta)), "derived",
        "row reduction of an m x n matrix over GF(2): O(n^2 m) bit operations",
        hidden="up to constants",
    ),
    Bound(
        "parity.sq_dimension", "parity", "SQ dimension (orthogonal k-parities)", "sq-dimension", "lower",
        C, "derived",
        "the C(n,k) k-parities are pairwise orthogonal (theory reference SQ-DIM; Blum et al. 1994)",
        checked_by=("sq.parity_orthogonality",),
    ),
    Bound(
        "parity.sq_queries", "parity", "SQ lower bound (Blum et al. 1994)", "queries", "lower",
        C ** sp.Rational(1, 3) / 2, "theorem",
        "Blum, Furst, Jackson, Kearns, Mansour, Rudich 1994 (STOC), in the form quoted by Shi, Wei, Liang 2022 (arXiv 2206.01717), Thm 3",
        conditions=("tolerance tau > C(n,k)^(-1/3)", "target error < 1/2 - C(n,k)^(-3)"),
        notes="constants as quoted by Shi-Wei-Liang; not re-derived here [unsure]",
    ),
    Bound(
        "parity.sq_tolerance", "parity", "SQ lower bound (Blum et al. 1994)", "1/tolerance", "lower",
        C ** sp.Rational(1, 3), "theorem",
        "Blum, Furst, Jackson, Kearns, Mansour, Rudich 1994 (STOC), in the form quoted by Shi, Wei, Liang 2022 (arXiv 2206.01717), Thm 3",
        conditions=("fewer than C(n,k)^(1/3)/2 queries", "target error < 1/2 - C(n,k)^(-3)"),
        notes="the other branch of the same statement: tolerance <= C(n,k)^(-1/3); constants [unsure]",
    ),
    Bound(
        "parity.csq_bessel", "parity", "CSQ lower bound (Bessel)", "queries", "lower",
        (C - 1) * tau**2, "derived",
        "Bessel's inequality: one query q with E[q^2] <= 1 has |E[q chi_S]| > tau for fewer than 1/tau^2 sets S (theory reference SQ-DIM)",
        conditions=("correlational queries with E[q^2] <= 1 answered to tolerance tau",),
        checked_by=("csq.bessel",),
    ),
    Bound(
        "parity.sss_variance", "parity", "Gradient variance (Shalev-Shwartz et al. 2017)", "variance/G^2", "upper",
        1 / C, "theorem",
        "Shalev-Shwartz, Shamir, Shammah 2017, 'Failures of Gradient-Based Deep Learning' (ICML), Thm 1",
        conditions=("targets pairwise orthogonal (k-parities)", "F_h(w) = E[(p_w(x) - h(x))^2 / 2]"),
        checked_by=("sss.gradient_variance",),
    ),
    Bound(
        "parity.edelman_prop3", "parity", "Resource trade-off (Edelman et al. 2023, Prop. 3)", "resources", "lower",
        (1 - delta) * C / 2, "theorem",
        "Edelman, Goel, Kakade, Malach, Zhang 2023, 'Pareto Frontiers in Neural Feature Learning' (arXiv 2309.03800), Prop. 3",
        conditions=("r parameters, T steps, gradient noise tau ~ 1/sqrt(batch)", "success probability 1 - delta"),
        notes="the source writes r T / (tau^2 delta') > C(n,k)/2 with delta' the success probability",
    ),
    Bound(
        "parity.fixed_features", "parity", "Fixed features / kernel (Barak et al. 2022, Thm 5)", "features*norm^2", "lower",
        eps**2 * C, "theorem",
        f"{_BAREK}, Thm 5",
        conditions=("D fixed features, linear readout of norm <= R", "error parameter eps as in the source"),
    ),
    Bound(
        "parity.daniely_malach", "parity", "Fixed embedding (Daniely & Malach 2020)", "features*norm^2", "lower",
        eps**2 * C, "derived",
        "Daniely & Malach 2020, 'Learning Parities with Neural Networks' (NeurIPS 2020): "
        "avg_A E[<w, Psi(x)> chi_A]^2 <= B^2 N / C(n,k) for Psi: X -> [-1,1]^N, ||w|| <= B",
        conditions=("linear model on a fixed embedding with N features and norm B",
                    "average squared correlation eps^2 with the k-parities"),
        notes="N B^2 >= eps^2 C(n,k) follows from the quoted inequality; its exact constants are [unsure]",
    ),
    Bound(
        "parity.one_step", "parity", "One-step Fourier-gap estimator (Barak et al. 2022, Sec. 4.1)", "samples", "upper",
        C_gap * n ** (k - 1) * sp.log(n / delta), "derived",
        f"{_BAREK}, Sec. 4.1; Hoeffding + union bound over n coordinates with gap gamma = Theta(n^-(k-1)/2)",
        conditions=("single ReLU neuron, w = all ones, b = 0, n odd, k even, n >= 2k+1 (gap > 0)",
                    "odd k needs a bias (the paper's appendix)"),
        constants=(C_gap,), hidden="up to constants",
        notes="the constant of the gap is [unsure]; gamma (n-1)^((k-1)/2) -> sqrt(2/pi)(k-3)!!",
    ),
    Bound(
        "parity.barak_thm4_width", "parity", "ReLU MLP + SGD (Barak et al. 2022, Thm 4)", "width", "upper",
        _thm4_width, "theorem", f"{_BAREK}, Thm 4",
        conditions=("k even", "error eps"), constants=(C_w,), hidden="up to constants", applies=_k_even,
    ),
    Bound(
        "parity.barak_thm4_batch", "parity", "ReLU MLP + SGD (Barak et al. 2022, Thm 4)", "batch", "upper",
        C_B * n**k * sp.log(n / eps), "theorem", f"{_BAREK}, Thm 4",
        conditions=("k even", "error eps"), constants=(C_B,), hidden="up to constants", applies=_k_even,
    ),
    Bound(
        "parity.barak_thm4_steps", "parity", "ReLU MLP + SGD (Barak et al. 2022, Thm 4)", "steps", "upper",
        C_T * k**3 * _thm4_width**2 * n / eps**2, "theorem", f"{_BAREK}, Thm 4",
        conditions=("k even", "error eps", "r = the width of the same theorem"),
        constants=(C_T, C_w), hidden="up to constants", applies=_k_even,
        notes="O(k^3 r^2 n / eps^2) iterations; r read as the width [unsure]",
    ),
    Bound(
        "parity.barak_thm7", "parity", "Disjoint PolyNet, online SGD (Barak et al. 2022, Thm 7)", "steps", "upper",
        (n / k) ** (2 * k - 1) * sp.log(1 / eps), "theorem", f"{_BAREK}, Thm 7",
        conditions=("error eps",), hidden="up to constants and logs",
    ),
    Bound(
        "parity.kou_sign_sgd", "parity", "Sign SGD (Kou et al. 2024)", "samples", "upper",
        n ** (k - 1), "theorem",
        "Kou, Chen, Gu, Kakade 2024, 'Matching the Statistical Query Lower Bound for k-Sparse Parity Problems with Sign Stochastic Gradient Descent' (NeurIPS 2024, arXiv 2404.12376), main theorem",
        conditions=("k <= O(sqrt(n))", "two-layer network, sign SGD"), hidden="up to constants and logs",
    ),
    Bound(
        "parity.kou_sign_sgd_width", "parity", "Sign SGD (Kou et al. 2024)", "width", "upper",
        2 ** (c_w * k), "theorem",
        "Kou, Chen, Gu, Kakade 2024 (NeurIPS 2024, arXiv 2404.12376), main theorem: 2^Theta(k) neurons",
        conditions=("k <= O(sqrt(n))",), constants=(c_w,), hidden="up to constants",
    ),
    Bound(
        "parity.glasgow", "parity", "SGD on XOR (Glasgow 2023)", "samples", "upper",
        n, "theorem",
        "Glasgow 2023, 'SGD Finds then Tunes Features in Two-Layer Neural Networks with near-Optimal Sample Complexity: A Case Study in the XOR problem', main theorem",
        conditions=("k = 2",), hidden="up to constants and logs", applies=_k_is_2,
    ),
    Bound(
        "parity.leap_steps", "parity", "Leap conjecture, online SGD (Abbe et al. 2023)", "steps", "upper",
        n ** sp.Max(k - 1, 1), "conjecture", f"{_ABM}, Conjecture (a k-parity has leap k)",
        hidden="up to constants and logs",
        notes="translation from total compute d^max(Leap,2) to online steps [unsure]",
    ),
    Bound(
        "parity.leap_time", "parity", "Leap conjecture, online SGD (Abbe et al. 2023)", "time", "upper",
        n ** sp.Max(k, 2), "conjecture", f"{_ABM}, Conjecture (a k-parity has leap k)",
        hidden="up to constants and logs",
    ),
)

_DNGL = "Damian, Nichani, Ge, Lee 2023, 'Smoothing the Landscape Boosts the Signal for SGD' (arXiv 2305.10633)"
_BA = "Ba, Erdogdu, Suzuki, Wang, Wu 2023, 'Learning in the presence of low-dimensional structure: a spiked random matrix perspective' (NeurIPS 2023)"

SINGLE_INDEX_BOUNDS: tuple[Bound, ...] = (
    Bound(
        "single-index.information_theoretic", "single-index", "Information-theoretic (parameter counting)", "samples",
        "lower", d, "derived", "a unit direction in R^d has d-1 free parameters (theory reference sec. 3)",
        hidden="up to constants",
    ),
    Bound(
        "single-index.kernel", "single-index", "Kernel / random features (Ghorbani et al. 2021)", "samples", "lower",
        d**p, "theorem", _GMMM,
        conditions=("rotation-invariant kernel; with n << d^p samples only degree < p is fitted", "link of degree p"),
        hidden="up to constants and logs",
    ),
    Bound(
        "single-index.csq", "single-index", "CSQ lower bound (Damian et al. 2023)", "samples", "lower",
        d ** (kstar / 2), "theorem", f"{_DNGL}, CSQ lower bound",
        conditions=("correlational statistical queries", "information exponent k*"),
        hidden="up to constants and logs",
        notes="a bound on q / tau^2, read as samples with tau ~ n^(-1/2)",
    ),
    Bound(
        "single-index.online_sgd", "single-index", "Online SGD (Ben Arous et al. 2021)", "samples", "upper",
        sp.Piecewise((d, sp.Eq(kstar, 1)), (d * sp.log(d), sp.Eq(kstar, 2)), (d ** (kstar - 1), True)), "theorem",
        "Ben Arous, Gheissari, Jagannath 2021, 'Online stochastic gradient descent on non-convex losses from high-dimensional inference' (JMLR 22), main theorem",
        conditions=("online SGD on the sphere from a random start", "information exponent k*"),
        hidden="up to constants and logs",
    ),
    Bound(
        "single-index.smoothed_sgd", "single-index", "Smoothed online SGD (Damian et al. 2023)", "samples", "upper",
        d ** sp.Max(1, kstar / 2), "theorem", f"{_DNGL}, main theorem",
        conditions=("information exponent k*",), hidden="up to constants and logs",
    ),
    Bound(
        "single-index.ba_kernel", "single-index", "Kernel ridge, spiked covariance (Ba et al. 2023)", "spike-exponent",
        "lower", 1 - 1 / p, "theorem", _BA,
        conditions=("x ~ N(0, I + theta mu mu^T), theta ~ d^beta, n/d -> psi", "learns iff beta >= 1 - 1/p"),
    ),
    Bound(
        "single-index.ba_network", "single-index", "Two-layer net + GD, spiked covariance (Ba et al. 2023)",
        "spike-exponent", "upper", 1 - 1 / kstar, "theorem", _BA,
        conditions=("x ~ N(0, I + theta mu mu^T), theta ~ d^beta, n/d -> psi", "learns if beta > 1 - 1/k*"),
    ),
)

MULTI_INDEX_BOUNDS: tuple[Bound, ...] = (
    Bound(
        "multi-index.information_theoretic", "multi-index", "Information-theoretic (parameter counting)", "samples",
        "lower", d * r, "derived", "an r-dimensional subspace of R^d has r(d-r) free parameters (theory reference sec. 4)",
        hidden="up to constants",
    ),
    Bound(
        "multi-index.kernel", "multi-index", "Kernel / random features (Ghorbani et al. 2021)", "samples", "lower",
        d**p, "theorem", _GMMM, conditions=("target of degree p",), hidden="up to constants and logs",
    ),
    Bound(
        "multi-index.dls", "multi-index", "One large gradient step (Damian, Lee, Soltanolkotabi 2022)", "samples",
        "upper", d**2 * r + d * r**p, "theorem",
        "Damian, Lee, Soltanolkotabi 2022, 'Neural Networks can Learn Representations with Gradient Descent' (COLT 2022, arXiv 2206.15144), main theorem",
        conditions=("f* = g(Ux), U in R^{r x d}, degree p", "E[Hessian f*] has rank r"),
        hidden="up to constants and logs",
    ),
    Bound(
        "multi-index.leap_steps", "multi-index", "Leap conjecture, online SGD (Abbe et al. 2023)", "steps", "upper",
        d ** sp.Max(leap - 1, 1), "conjecture", f"{_ABM}, Conjecture", conditions=("target with leap L",),
        hidden="up to constants and logs",
        notes="translation from total compute d^max(L,2) to online steps [unsure]",
    ),
    Bound(
        "multi-index.leap_time", "multi-index", "Leap conjecture, online SGD (Abbe et al. 2023)", "time", "upper",
        d ** sp.Max(leap, 2), "conjecture", f"{_ABM}, Conjecture", conditions=("target with leap L",),
        hidden="up to constants and logs",
    ),
)

PARITY = Problem("parity", r"Parity on $\{-1,1\}^n$ with sparsity $k$", ("n", "k"),
                 {"delta": Fraction(1, 10), "eps": Fraction(1, 10), "tau": Fraction(1, 10)}, PARITY_BOUNDS)
SINGLE_INDEX = Problem("single-index", r"Gaussian single-index model, information exponent $k_*$, link degree $p$",
                       ("d", "kstar", "p"), {}, SINGLE_INDEX_BOUNDS)
MULTI_INDEX = Problem("multi-index", r"Gaussian multi-index model $f = g(Ux)$, rank $r$, degree $p$",
                      ("d", "r", "p"), {"leap": 1}, MULTI_INDEX_BOUNDS)
PROBLEMS: dict[str, Problem] = {pr.name: pr for pr in (PARITY, SINGLE_INDEX, MULTI_INDEX)}
CATALOGUE: dict[str, Bound] = {b.id: b for pr in PROBLEMS.values() for b in pr.bounds}
if len(CATALOGUE) != sum(len(pr.bounds) for pr in PROBLEMS.values()):  # pragma: no cover
    raise RuntimeError("duplicate bound ids in the catalogue")


def get(bound_id: str) -> Bound:
    """The bound with this id (ValueError listing close ids otherwise).

    Examples
    --------
    >>> get("multi-index.dls").quantity
    'samples'
    """
    try:
        return CATALOGUE[bound_id]
    except KeyError:
        close = [b for b in CATALOGUE if bound_id.split(".")[0] in b][:5]
        raise ValueError(f"unknown bound id {bound_id!r}; known ids start with "
                         f"{sorted({b.split('.')[0] for b in CATALOGUE})}" + (f"; similar: {close}" if close else "")) from None


# ----------------------------------------------------------------- exact finite-sample formulas
def gf2_full_rank_probability(n_: int, m_: int) -> Fraction:
    """``P[m uniform vectors of F_2^n span F_2^n] = prod_{i<n} (1 - 2^{i-m})`` (0 if ``m < n``).

    Notes
    -----
    Build the m x n matrix column by column: given that the first ``i`` columns (vectors of
    ``F_2^m``) are independent, the next avoids their span (``2^i`` vectors) with probability
    ``1 - 2^{i-m}``. This is the success probability of Gaussian elimination for a noiseless parity
    (the solution is unique iff the sample matrix has rank n). Theory reference sec. 3.

    Examples
    --------
    >>> gf2_full_rank_probability(1, 1), gf2_full_rank_probability(2, 2)
    (Fraction(1, 2), Fraction(3, 8))
    """
    n_, m_ = int(n_), int(m_)
    if n_ < 0 or m_ < 0:
        raise ValueError(f"n and m must be non-negative, got n={n_}, m={m_}")
    if m_ < n_:
        return Fraction(0)
    num, den = 1, 1
    for i in range(n_):
        num *= (1 << (m_ - i)) - 1
        den <<= m_ - i
    return Fraction(num, den)


def erm_union_bound(n_: int, k_: int, m_: int) -> Fraction:
    """Union-bound lower bound on the success of brute-force ERM over k-subsets with m samples.

    ``P[the true subset is the only consistent one] >= 1 - (C(n,k) - 1) 2^{-m}``: a wrong subset T is
    consistent iff ``<x_j, T xor S> = 0`` for all m samples, probability ``2^{-m}`` each.

    Examples
    --------
    >>> erm_union_bound(4, 2, 3)
    Fraction(3, 8)
    """
    return 1 - Fraction(_binomial(int(n_), int(k_)) - 1, 1 << int(m_))


def erm_bonferroni_upper(n_: int, k_: int, m_: int) -> Fraction:
    """Upper bound on the ERM success probability (second Bonferroni inequality).

    The events "T consistent" for distinct wrong T are pairwise independent (``T xor S`` are distinct
    non-zero vectors), so for any ``j <= N - 1`` of them ``P[fail] >= j 2^{-m} - C(j, 2) 4^{-m}``
    (``N = C(n,k)``); the best ``j`` is the integer nearest ``2^m + 1/2`` within ``[0, N-1]``.

    Examples
    --------
    >>> erm_bonferroni_upper(4, 2, 3)
    Fraction(17, 32)
    """
    wrong = _binomial(int(n_), int(k_)) - 1
    m_ = int(m_)

    def fail_lo(j: int) -> Fraction:
        return Fraction(j, 1 << m_) - Fraction(j * (j - 1) // 2, 1 << (2 * m_))

    best = max(fail_lo(min(wrong, j)) for j in (1 << m_, (1 << m_) + 1)) if wrong > 0 else Fraction(0)
    return 1 - max(Fraction(0), best)


def krawtchouk(n_: int, k_: int, c: int) -> int:
    """``K_k(c) = sum_{|S|=k} chi_S(x)`` for any x with c coordinates equal to -1.

    Examples
    --------
    >>> [krawtchouk(3, 1, c) for c in range(4)]
    [3, 1, -1, -3]
    """
    return sum((-1) ** j * _binomial(c, j) * _binomial(n_ - c, k_ - j) for j in range(0, k_ + 1))
