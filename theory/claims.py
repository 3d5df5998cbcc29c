"""Claims as data: the declarative objects that featurecheck verifies, and their registry.

A :class:`Claim` states a value (exact or symbolic, computed by ``theory/``) together with one or
more numeric :class:`Route` s (computed by ``numerics/`` or by user code) and, per route, the
:class:`Rule` that compares the two with a stated false-alarm budget ``alpha``. Claims are frozen;
tests, CLI listings and tables are generated from the :data:`REGISTRY`.

This module is pure Python: a route is any callable, so ``theory/`` never imports ``numerics/``.

Examples
--------
>>> from fractions import Fraction
>>> c = Claim(
...     id="demo.half",
...     statement=r"$E[x_1] = 0$",
...     source="textbook",
...     params=(Param("n", "int", low=1, high=10, default=3),),
...     value=lambda n: Fraction(0),
...     routes=(Route("enumeration", lambda p, **kw: Evidence(Fraction(0)), Rule.exact()),),
... )
>>> c.bind({"n": "4"})
{'n': 4}
>>> c.bind({"n": 11})
Traceback (most recent call last):
...
ValueError: n must be an integer in [1, 10], got 11
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Literal

from featurecheck.theory._validate import check_int, check_real

__all__ = [
    "Param",
    "Rule",
    "Evidence",
    "Route",
    "Claim",
    "Registry",
    "REGISTRY",
    "register",
    "to_fraction",
    "VERDICTS",
    "STATISTICAL_KINDS",
    "DEFAULT_RTOL",
    "DEFAULT_ALPHA",
]

ParamKind = Literal["int", "odd", "even", "real", "choice", "str"]


@dataclass(frozen=True)
class Param:
    """A claim parameter with its domain.

    Parameters
    ----------
    name : str
        Parameter name as used on the command line (``--param name=value``).
    kind : {"int", "odd", "even", "real", "choice", "str"}
        Domain type. ``real`` values are kept exact (``Fraction``) when ``exact`` is True.
    low, high : number, optional
        Inclusive bounds of the domain.
    default : object
        Value used when the caller does not give one.
    typical : tuple, optional
        Range that property tests draw from (defaults to ``(low, high)``).
    choices : tuple, optional
        Allowed values for ``kind="choice"``.
    doc : str
        One line on meaning and convention.
    exact : bool
        For ``real``: convert to an exact Fraction.
    """

    name: str
    kind: ParamKind = "int"
    low: Any = None
    high: Any = None
    default: Any = None
    typical: tuple[Any, Any] | None = None
    choices: tuple[Any, ...] = ()
    doc: str = ""
    exact: bool = True

    def validate(self, value: Any) -> Any:
        """Convert and range-check ``value``; raise ``ValueError`` naming the parameter."""
        if self.kind in ("int", "odd", "even"):
            v = check_int(self.name, value, self.low, self.high)
            if self.kind == "odd" and v % 2 == 0:
                raise ValueError(f"{self.name} must be an odd integer in [{self.low}, {self.high}], got {v}")
            if self.kind == "even" and v % 2:
                raise ValueError(f"{self.name} must be an even integer in [{self.low}, {self.high}], got {v}")
            return v
        if self.kind == "real":
            return check_real(self.name, value, self.low, self.high, exact=self.exact)
        if self.kind == "choice":
            for c in self.choices:
                if value == c or str(value) == str(c):
                    return c
            raise ValueError(f"{self.name} must be one of {list(self.choices)}, got {value!r}")
        if self.kind == "str":
            return str(value)
        raise ValueError(f"unknown parameter kind {self.kind!r} for {self.name}")

    @property
    def typical_range(self) -> tuple[Any, Any]:
        """Range that property tests draw from: ``typical``, else ``(low, high)``."""
        return self.typical if self.typical is not None else (self.low, self.high)


@dataclass(frozen=True)
class Evidence:
    """What a numeric route measured.

    Parameters
    ----------
    estimate : object
        The measured value (exact Fraction for enumeration, float for Monte Carlo, or any
        JSON-friendly summary).
    interval : (float, float), optional
        Confidence interval at the rule's ``alpha`` (two-sided unless stated); exact routes may give
        Fraction endpoints.
    n_samples : int, optional
        Monte Carlo sample count.
    passed : bool, optional
        Set by routes that decide their own verdict (rule kind ``"predicate"``).
    note : str
        Human-readable detail (interval type, seed streams, ...).
    """

    estimate: Any
    interval: tuple[Any, Any] | None = None
    n_samples: int | None = None
    passed: bool | None = None
    note: str = ""
    series: tuple[tuple[int, Any], ...] | None = None


RuleKind = Literal["exact", "interval", "upper", "lower", "predicate", "close", "monotone-limit"]
VerdictKind = Literal["pass", "fail", "inconclusive"]
VERDICTS: tuple[str, ...] = ("pass", "fail", "inconclusive")
STATISTICAL_KINDS: tuple[str, ...] = ("interval", "upper", "lower")
#: Default resolution of a statistical check: the interval's half-width at most 5% of the value.
DEFAULT_RTOL = 0.05
#: Default family-wise false-alarm probability of checking one claim at one example (the one place).
DEFAULT_ALPHA = 1e-6


@dataclass(frozen=True)
class Rule:
    """How a route's evidence is compared with the claim's value.

    - ``exact``: ``estimate == expected`` as exact rationals (or sympy-equal).
    - ``interval``: ``expected`` lies in the evidence interval (a ``1 - alpha`` interval).
    - ``upper``: the claim's value is an upper bound; pass unless the whole interval lies above it.
    - ``lower``: the claim's value is a lower bound; pass unless the whole interval lies below it.
    - ``close``: ``|estimate - expected| <= tol`` for a deterministic numeric tolerance ``tol``
      derived from a stated error bound (quadrature error, truncation error).
    - ``monotone-limit``: ``Evidence.series`` holds exact ``(n, a_n)`` pairs on an increasing grid;
      pass iff ``a_n`` is strictly decreasing, stays above the claimed limit ``L``, and
      ``n (a_n - L)`` is non-increasing (an O(1/n) approach). A wrong ``L`` breaks one of the three.
    - ``predicate``: the route decides (``Evidence.passed``); use only where the claim's value is not
      a number the evidence can be compared with.

    ``alpha`` is the false-alarm probability of one check for the statistical kinds.
    """

    kind: RuleKind
    alpha: float | None = None
    tol: float | None = None
    description: str = ""

    @staticmethod
    def exact() -> Rule:
        """Return the ``exact`` rule: ``estimate == expected`` as exact rationals (or sympy-equal)."""
        return Rule("exact", description="exact rational equality")

    @staticmethod
    def interval(alpha: float = DEFAULT_ALPHA, description: str = "") -> Rule:
        """Return the ``interval`` rule: ``expected`` lies in the evidence's ``1 - alpha`` interval."""
        return Rule("interval", alpha=alpha, description=description or f"value in {1 - alpha:g} interval")

    @staticmethod
    def upper(alpha: float = DEFAULT_ALPHA, description: str = "") -> Rule:
        """Return the ``upper`` rule: the claim's value is an upper bound, at false-alarm probability ``alpha``."""
        return Rule("upper", alpha=alpha, description=description or "bound not exceeded at level alpha")

    @staticmethod
    def lower(alpha: float = DEFAULT_ALPHA, description: str = "") -> Rule:
        """Return the ``lower`` rule: the claim's value is a lower bound, at false-alarm probability ``alpha``."""
        return Rule("lower", alpha=alpha, description=description or "bound not undercut at level alpha")

    @staticmethod
    def close(tol: float, description: str = "") -> Rule:
        """Return the ``close`` rule: ``|estimate - expected| <= tol`` for a deterministic tolerance ``tol``."""
        return Rule("close", tol=tol, description=description or f"|estimate - expected| <= {tol:g}")

    @staticmethod
    def monotone_limit(description: str = "") -> Rule:
        """Return the ``monotone-limit`` rule: ``Evidence.series`` decreases strictly to the claimed limit, O(1/n)."""
        return Rule("monotone-limit", description=description
                    or "a_n decreases strictly to the limit with n (a_n - limit) non-increasing")

    @staticmethod
    def predicate(description: str, alpha: float | None = None) -> Rule:
        """Return the ``predicate`` rule: the route decides; ``alpha`` is its false-alarm probability, if any."""
        return Rule("predicate", alpha=alpha, description=description)

    @property
    def statistical(self) -> bool:
        """True for rules with a false-alarm probability (a Monte Carlo interval, or a predicate with alpha)."""
        return self.alpha is not None and (self.kind in STATISTICAL_KINDS or self.kind == "predicate")

    def verdict(self, expected: Any, evidence: Evidence, tol: float = 0.0) -> tuple[str, str]:
        """``(verdict, resolution)`` of ``expected`` against ``evidence``: ``pass``, ``fail`` or ``inconclusive``.

        Deterministic rules (``exact``, ``close``, ``monotone-limit``, a bracket without ``alpha``)
        decide. A statistical interval (``alpha`` set) fails when it excludes ``expected`` (for
        ``upper``/``lower``: lies wholly beyond the bound), passes when it contains it *and* its
        half-width is at most ``tol`` (for a bound: when it exceeds the bound by at most ``tol``), and
        is otherwise inconclusive: the interval was too wide to tell. A predicate route decides
        through ``Evidence.passed`` (``None``: inconclusive).

        Examples
        --------
        >>> ev = Evidence(0.26, (0.25, 0.27))
        >>> Rule.interval(1e-6).verdict(Fraction(1, 4), ev, tol=0.0125)
        ('pass', 'agrees to ±4%')
        >>> Rule.interval(1e-6).verdict(Fraction(1, 4), ev, tol=0.001)
        ('inconclusive', 'interval ±0.01 does not resolve 0.25 to ±0.001')
        >>> Rule.interval(1e-6).verdict(Fraction(1, 5), ev, tol=0.01)[0]
        'fail'
        """
        if self.kind == "predicate":
            if evidence.passed is None:
                return "inconclusive", evidence.note or "the route could not decide"
            return ("pass" if evidence.passed else "fail"), self.description or "predicate"
        if not self.statistical or self.kind not in STATISTICAL_KINDS:
            ok = self.judge(expected, evidence)
            if self.kind == "close":
                return ("pass" if ok else "fail"), f"agrees to ±{self.tol:.2g}" if ok else f"differs by more than {self.tol:.2g}"
            return ("pass" if ok else "fail"), "exact" if self.kind in ("exact", "monotone-limit") else "bracket"
        if evidence.interval is None:
            raise ValueError(f"rule {self.kind!r} needs an interval in the evidence")
        e = float(to_fraction(expected))
        lo, hi = float(evidence.interval[0]), float(evidence.interval[1])
        half = (hi - lo) / 2
        if (self.kind == "interval" and not lo <= e <= hi) or (self.kind == "upper" and lo > e) \
                or (self.kind == "lower" and hi < e):
            return "fail", f"interval [{lo:.6g}, {hi:.6g}] excludes {e:.6g}"
        if self.kind == "interval" and half <= tol:
            return "pass", _agrees(half, e)
        if self.kind == "upper" and hi <= e + tol:
            return "pass", "bound holds" + ("" if hi <= e else f" to ±{tol:.2g}")
        if self.kind == "lower" and lo >= e - tol:
            return "pass", "bound holds" + ("" if lo >= e else f" to ±{tol:.2g}")
        return "inconclusive", f"interval ±{half:.2g} does not resolve {e:.6g} to ±{tol:.2g}"

    def judge(self, expected: Any, evidence: Evidence) -> bool:
        """Whether ``expected`` is consistent with ``evidence`` (no resolution requirement)."""
        if self.kind == "predicate":
            if evidence.passed is None:
                raise ValueError("a predicate route must set Evidence.passed")
            return bool(evidence.passed)
        if self.kind == "exact":
            return _exact_equal(expected, evidence.estimate)
        if self.kind == "monotone-limit":
            return _monotone_limit(expected, evidence.series)
        if self.kind == "close":
            assert self.tol is not None
            return abs(_as_float(evidence.estimate) - _as_float(expected)) <= self.tol
        if evidence.interval is None:
            raise ValueError(f"rule {self.kind!r} needs an interval in the evidence")
        lo, hi = evidence.interval
        e = to_fraction(expected)
        flo, fhi = Fraction(lo), Fraction(hi)
        if self.kind == "interval":
            return flo <= e <= fhi
        if self.kind == "upper":
            return flo <= e
        if self.kind == "lower":
            return fhi >= e
        raise ValueError(f"unknown rule kind {self.kind!r}")


def _agrees(half: float, e: float) -> str:
    if e != 0 and half <= abs(e):
        return f"agrees to ±{100 * half / abs(e):.2g}%"
    return f"agrees to ±{half:.2g}"


def _monotone_limit(limit: Any, series: Any) -> bool:
    import mpmath

    if not series or len(series) < 3:
        raise ValueError("a monotone-limit route must give at least 3 (n, a_n) pairs in Evidence.series")
    with mpmath.workdps(60):
        L = _mpf(limit)
        ns = [int(n) for n, _ in series]
        vals = [_mpf(a) for _, a in series]
        if any(ns[i + 1] <= ns[i] for i in range(len(ns) - 1)):
            raise ValueError("the n grid of a monotone-limit series must increase")
        dec = all(vals[i + 1] < vals[i] for i in range(len(vals) - 1))
        above = all(v > L for v in vals)
        scaled = [n * (v - L) for n, v in zip(ns, vals, strict=True)]
        rate = all(scaled[i + 1] <= scaled[i] for i in range(len(scaled) - 1))
        return bool(dec and above and rate)


def _mpf(x: Any) -> Any:
    import mpmath

    if isinstance(x, Fraction):
        return mpmath.mpf(x.numerator) / x.denominator
    if isinstance(x, (int, float, mpmath.mpf)):
        return mpmath.mpf(x)
    import sympy as sp

    return mpmath.mpf(str(sp.N(sp.sympify(x), 60)))


def _as_float(x: Any) -> float:
    try:
        return float(x)
    except TypeError:
        import sympy as sp

        return float(sp.N(x, 30))


def to_fraction(x: Any) -> Fraction:
    """Exact Fraction of an int, Fraction, float, sympy Rational, or sympy real number (30 digits).

    Examples
    --------
    >>> to_fraction(0.5), to_fraction(Fraction(1, 3))
    (Fraction(1, 2), Fraction(1, 3))
    """
    if isinstance(x, Fraction):
        return x
    if isinstance(x, numbers.Rational):
        return Fraction(int(x.numerator), int(x.denominator))
    if isinstance(x, (float, int)):
        return Fraction(x)
    import sympy as sp

    sx = sp.sympify(x)
    if sx.is_Rational:
        return Fraction(int(sx.p), int(sx.q))
    return Fraction(str(sp.N(sx, 30)))


def _exact_equal(a: Any, b: Any) -> bool:
    if isinstance(a, (int, Fraction)) and isinstance(b, (int, Fraction)):
        return Fraction(a) == Fraction(b)
    if isinstance(a, float) or isinstance(b, float):
        return False  # floats are never "exact"
    import sympy as sp

    try:
        return bool(sp.simplify(sp.sympify(a) - sp.sympify(b)) == 0)
    except (sp.SympifyError, TypeError):
        return bool(a == b)


def _always(params: Mapping[str, Any]) -> bool:
    return True


RouteFn = Callable[..., Evidence]


@dataclass(frozen=True)
class Route:
    """A numeric route: ``run(params, *, samples, seed, alpha) -> Evidence``.

    Parameters
    ----------
    name : str
        Short name shown in reports (``enumeration``, ``monte-carlo``, ``fwht``, ``sympy-limit``...).
    run : callable
        ``run(params: dict, *, samples: int | None, seed: int, alpha: float | None) -> Evidence``.
        ``samples`` is None when the caller keeps the route's default.
    rule : Rule
        How the evidence is judged against the claim's value.
    applies : callable
        ``applies(params) -> bool``; False skips this route for these parameters (for example
        enumeration above ``n = 22``).
    applies_doc : str
        One line saying when the route applies.
    takes_value : bool
        The route decides by itself (a ``predicate``) against the claim's stated value: ``run`` also
        receives ``value=`` (the stated value at these parameters), so a wrong statement makes the
        route fail rather than being ignored.
    start_samples : int, optional
        The first look's ``samples`` for a statistical route whose unit is expensive (trials of a
        learner, batches of a sweep); default the budget's ``min_samples``.
    """

    name: str
    run: RouteFn
    rule: Rule
    applies: Callable[[Mapping[str, Any]], bool] = _always
    applies_doc: str = "always"
    takes_value: bool = False
    start_samples: int | None = None


@dataclass(frozen=True)
class Claim:
    """A checkable statement.

    Parameters
    ----------
    id : str
        Unique dotted id, e.g. ``majority.coefficient``.
    statement : str
        One line; LaTeX allowed.
    source : str
        Paper/book with section, theorem or equation.
    params : tuple of Param
        Parameter domains.
    value : callable
        ``value(**params)``: the exact or symbolic value the theory states (Fraction, int, sympy).
    routes : tuple of Route
        Numeric routes with their comparison rules.
    examples : tuple of dict
        Parameter sets checked by default (``featurecheck verify`` with no ``--param``).
    constraints : tuple of callable
        ``constraint(params) -> str | None``; a string is the error message (cross-parameter
        checks such as ``k <= n``), raised as ValueError before any route runs.
    status : {"theorem", "derived", "conjecture", "experiment"}
    tags : tuple of str
    notes : str
    origin : str
        The module that defines the claim (``__name__`` there), so a replay command can name it as
        ``module:attr``; empty when unknown. Not part of the claim's identity (``compare=False``).
    rtol, atol : float
        The resolution a statistical route must reach for ``pass``: its interval's half-width at most
        ``max(rtol |value|, atol)`` (default 5% relative, no absolute floor). A claim whose value can be
        0 or tiny states an ``atol``; otherwise such a check ends ``inconclusive``, never ``pass``.
    """

    id: str
    statement: str
    source: str
    params: tuple[Param, ...]
    value: Callable[..., Any]
    routes: tuple[Route, ...]
    examples: tuple[Mapping[str, Any], ...] = ({},)
    constraints: tuple[Callable[[Mapping[str, Any]], str | None], ...] = ()
    status: str = "theorem"
    tags: tuple[str, ...] = ()
    notes: str = ""
    origin: str = field(default="", compare=False)
    rtol: float = DEFAULT_RTOL
    atol: float = 0.0

    def __post_init__(self) -> None:
        if not (0 <= self.rtol < 1 and self.atol >= 0) or (self.rtol == 0 and self.atol == 0):
            raise ValueError(f"claim {self.id!r}: rtol must be in [0, 1) and atol >= 0, not both 0; "
                             f"got rtol={self.rtol!r}, atol={self.atol!r}")
        if not self.id or any(c.isspace() for c in self.id):
            raise ValueError(f"claim id must be non-empty without spaces, got {self.id!r}")
        if not self.routes:
            raise ValueError(f"claim {self.id!r} has no numeric route")
        names = [p.name for p in self.params]
        if len(set(names)) != len(names):
            raise ValueError(f"claim {self.id!r} has duplicate parameter names {names}")

    def bind(self, given: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """Validate ``given`` against the parameter domains, fill defaults, run constraints."""
        given = dict(given or {})
        known = {p.name for p in self.params}
        unknown = sorted(set(given) - known)
        if unknown:
            raise ValueError(
                f"claim {self.id} has no parameter {unknown[0]!r}; its parameters are {sorted(known) or 'none'}"
            )
        out: dict[str, Any] = {}
        for p in self.params:
            if p.name in given:
                out[p.name] = p.validate(given[p.name])
            elif p.default is not None:
                out[p.name] = p.validate(p.default)
            else:
                raise ValueError(f"claim {self.id} needs parameter {p.name!r} ({p.doc or p.kind})")
        for c in self.constraints:
            msg = c(out)
            if msg:
                raise ValueError(f"claim {self.id}: {msg}")
        return out

    def expected(self, params: Mapping[str, Any]) -> Any:
        """Return the claim's stated value at (already bound) ``params``."""
        return self.value(**params)

    def label(self, params: Mapping[str, Any]) -> str:
        """Readable id such as ``majority.coefficient[n=31,k=5]``."""
        inner = ",".join(f"{k}={v}" for k, v in params.items())
        return f"{self.id}[{inner}]" if inner else self.id


class Registry:
    """Claims by id. Duplicate ids are rejected.

    Examples
    --------
    >>> r = Registry()
    >>> len(r)
    0
    """

    def __init__(self) -> None:
        self._claims: dict[str, Claim] = {}

    def register(self, claim: Claim) -> Claim:
        """Add ``claim`` and return it; raise ``ValueError`` if another claim has its id."""
        if not isinstance(claim, Claim):
            raise TypeError(f"expected a Claim, got {type(claim).__name__}")
        if claim.id in self._claims and self._claims[claim.id] is not claim:
            raise ValueError(f"duplicate claim id {claim.id!r}")
        self._claims[claim.id] = claim
        return claim

    def get(self, claim_id: str) -> Claim:
        """Return the claim with id ``claim_id``; raise ``ValueError`` (naming up to 5 similar ids) if unknown."""
        try:
            return self._claims[claim_id]
        except KeyError:
            close = [c for c in self._claims if claim_id.split(".")[0] in c][:5]
            hint = f"; similar: {', '.join(close)}" if close else ""
            raise ValueError(
                f"unknown claim id {claim_id!r} (see `featurecheck list`){hint}"
            ) from None

    def __contains__(self, claim_id: object) -> bool:
        return claim_id in self._claims

    def __iter__(self) -> Iterator[Claim]:
        return iter(sorted(self._claims.values(), key=lambda c: c.id))

    def __len__(self) -> int:
        return len(self._claims)

    def ids(self) -> list[str]:
        """Return the registered ids, sorted."""
        return sorted(self._claims)


REGISTRY = Registry()


def register(claim: Claim, registry: Registry | None = None) -> Claim:
    """Register ``claim`` in the global registry (or ``registry``) and return it."""
    return (registry or REGISTRY).register(claim)

