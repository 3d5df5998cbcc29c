"""The data model of the bound catalogue: parameter symbols, ``log2``, :class:`BoundValue`, :class:`Bound`, :class:`Problem`.

Also the vocabularies a bound is checked against: :data:`QUANTITIES`, :data:`STATUSES`, :data:`KINDS`
and :data:`HIDDEN`. :meth:`Bound.evaluate` calls :func:`featurecheck.theory.bounds.evaluate.evaluate_expr`
(imported inside the method, so that ``evaluate`` may import this module).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import sympy as sp

    log2: type[sp.Function]  # built on first use, served by ``__getattr__``

# sympy is imported on first use: the parameter symbols and ``log2`` are built by ``_symbolic`` and
# served as module attributes by ``__getattr__``, so the bound model (and ``featurecheck list``) starts
# without sympy

__all__ = [
    "Bound",
    "BoundValue",
    "Problem",
    "QUANTITIES",
    "STATUSES",
    "KINDS",
    "HIDDEN",
    "log2",
    "symbols",
]

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
#: the parameter symbols by name, in this order (``kstar`` prints as ``k_*``, ``leap`` as ``L``)
_PARAMETERS = ("n", "k", "d", "p", "r", "kstar", "leap", "delta", "eps", "tau")
#: the hidden constants of the catalogue (set to 1 when a table is evaluated)
_CONSTANTS = ("C_gap", "C_w", "C_B", "C_T", "c_w")


@cache
def _symbolic() -> dict[str, Any]:
    """Build the module attributes that are sympy objects (parameter symbols, hidden constants, ``log2``), once."""
    import sympy as sp

    class log2(sp.Function):
        r"""Binary logarithm kept unevaluated (prints as ``\log_2``; exact when the argument is a power of 2)."""

        nargs = 1

        def _latex(self, printer: Any, exp: Any = None) -> str:
            s = r"\log_2{\left(" + printer._print(self.args[0]) + r" \right)}"
            return s if exp is None else s + "^{" + str(exp) + "}"

    log2.__qualname__ = "log2"  # found (and pickled) as this module's attribute, like a class defined at the top

    n, k = sp.symbols("n k", positive=True, integer=True)
    d, p, r = sp.symbols("d p r", positive=True, integer=True)
    kstar = sp.Symbol("k_*", positive=True, integer=True)
    leap = sp.Symbol("L", positive=True, integer=True)
    delta = sp.Symbol("delta", positive=True)
    eps = sp.Symbol("epsilon", positive=True)
    tau = sp.Symbol("tau", positive=True)
    C_gap, C_w, C_B, C_T, c_w = sp.symbols("C_gap C_w C_B C_T c_w", positive=True)
    return {"n": n, "k": k, "d": d, "p": p, "r": r, "kstar": kstar, "leap": leap, "delta": delta, "eps": eps,
            "tau": tau, "C_gap": C_gap, "C_w": C_w, "C_B": C_B, "C_T": C_T, "c_w": c_w, "log2": log2}


@cache
def _name_of() -> dict[sp.Symbol, str]:
    """Parameter symbol -> parameter name."""
    return {_symbolic()[name]: name for name in _PARAMETERS}


def __getattr__(name: str) -> Any:
    """Return a parameter symbol, hidden constant or ``log2``, built on first use.

    The parameter symbols are ``n, k, d, p, r, kstar, leap, delta, eps, tau``, the hidden constants
    ``C_gap, C_w, C_B, C_T, c_w``, and ``log2`` is the sympy function.
    """
    if name in _PARAMETERS or name in _CONSTANTS or name == "log2":
        return _symbolic()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def symbols() -> dict[str, sp.Symbol]:
    """Parameter name -> sympy symbol (``kstar`` prints as ``k_*``, ``leap`` as ``L``).

    Examples
    --------
    >>> symbols()["kstar"]
    k_*
    """
    return {name: _symbolic()[name] for name in _PARAMETERS}


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
        stray = self.formula.free_symbols - set(_name_of()) - set(self.constants)
        if stray:
            raise ValueError(f"bound {self.id}: formula has undeclared symbols {sorted(map(str, stray))}")

    @property
    def parameters(self) -> tuple[str, ...]:
        """Names of the problem parameters the formula uses (sorted)."""
        name_of = _name_of()
        return tuple(sorted(name_of[s] for s in self.formula.free_symbols if s in name_of))

    def latex(self) -> str:
        r"""LaTeX of the formula (hidden constants included as symbols).

        Examples
        --------
        >>> from featurecheck.theory.bounds import get
        >>> get("parity.csq_bessel").latex()
        '\\tau^{2} \\left({\\binom{n}{k}} - 1\\right)'
        """
        import sympy as sp

        return sp.latex(self.formula)

    def evaluate(self, **params: Any) -> BoundValue:
        """Evaluate at ``params`` (ints / Fractions); hidden constants are set to 1.

        Examples
        --------
        >>> from featurecheck.theory.bounds import get
        >>> get("parity.sq_dimension").evaluate(n=6, k=3).exact
        20
        >>> v = get("single-index.online_sgd").evaluate(d=1000, kstar=2, p=4)
        >>> v.exact is None, round(v.log10, 6)
        (True, 3.839337)
        """
        from featurecheck.theory.bounds.evaluate import evaluate_expr  # local: evaluate imports this module

        env: dict[sp.Symbol, Fraction] = {c: Fraction(1) for c in self.constants}
        names = symbols()
        for name, val in params.items():
            if name in names:
                env[names[name]] = Fraction(val)
        name_of = _name_of()
        missing = [name_of[s] for s in self.formula.free_symbols if s not in env]
        if missing:
            raise ValueError(f"bound {self.id} needs parameter(s) {sorted(missing)}")
        if self.applies is not None:
            why = self.applies({**{name_of[s]: v for s, v in env.items() if s in name_of}})
            if why:
                return BoundValue(None, None, None, applicable=False, reason=why)
        return evaluate_expr(self.formula, env)


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
