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

Submodules (the names in ``__all__`` are re-exported here):

- :mod:`~featurecheck.theory.bounds.model`: symbols, ``log2``, :class:`Bound`, :class:`BoundValue`, :class:`Problem`.
- :mod:`~featurecheck.theory.bounds.evaluate`: exact / mpmath evaluation (:func:`evaluate_expr`, :func:`log10_binomial`).
- :mod:`~featurecheck.theory.bounds.catalogue`: every bound, :data:`PROBLEMS`, :data:`CATALOGUE`, :func:`get`.
- :mod:`~featurecheck.theory.bounds.finite_sample`: exact GF(2) rank, ERM success and Krawtchouk formulas.

Examples
--------
>>> from fractions import Fraction
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

from typing import TYPE_CHECKING, Any

from featurecheck.theory.bounds import catalogue, model
from featurecheck.theory.bounds.catalogue import get
from featurecheck.theory.bounds.evaluate import EXACT_MAX_DIGITS, evaluate_expr, log10_binomial
from featurecheck.theory.bounds.finite_sample import (
    erm_bonferroni_upper,
    erm_union_bound,
    gf2_full_rank_probability,
    krawtchouk,
)
from featurecheck.theory.bounds.model import KINDS, QUANTITIES, STATUSES, Bound, BoundValue, Problem, symbols

if TYPE_CHECKING:  # built on first use (they hold sympy objects) and served by ``__getattr__``
    from featurecheck.theory.bounds.catalogue import CATALOGUE, MULTI_INDEX, PARITY, PROBLEMS, SINGLE_INDEX
    from featurecheck.theory.bounds.model import log2

#: re-exported names that are built on first use, and the module that builds them
_LAZY = {"CATALOGUE": catalogue, "MULTI_INDEX": catalogue, "PARITY": catalogue, "PROBLEMS": catalogue,
         "SINGLE_INDEX": catalogue, "log2": model}

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


def __getattr__(name: str) -> Any:
    """Return the catalogue (:data:`CATALOGUE`, :data:`PROBLEMS`, :data:`PARITY`, ...) and ``log2``, built on first use.

    Built lazily so importing this package (for :func:`krawtchouk`, say) does not import sympy.
    """
    if name in _LAZY:
        return getattr(_LAZY[name], name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
