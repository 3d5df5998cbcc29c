"""Gaussian Stein identities, symbolically (theory reference, section 4; Damian, Lee, Soltanolkotabi 2022).

For ``x ~ N(0, I_d)`` with density ``phi_d`` and ``f`` of polynomial growth:

- first order: ``E[f(x) x] = E[grad f(x)]``;
- second order: ``E[f(x) (x x^T - I)] = E[Hess f(x)]``.

Derivation. ``x_i phi_d = -d_i phi_d`` and ``(x_i x_j - delta_ij) phi_d = d_i d_j phi_d``
(:func:`density_identities` checks both with sympy); integrate by parts once or twice, the boundary
terms vanish because ``phi_d`` decays faster than any polynomial. In Hermite terms, ``x_i = He_{e_i}``
and ``x_i x_j - delta_ij = He_{e_i + e_j}``, so both sides are the degree-1 and degree-2 Hermite
coefficients of ``f`` (up to ``alpha!``).

Multi-index targets. For ``f(x) = g(U x)`` with ``U`` of shape ``r x d``, the chain rule gives
``grad f = U^T (grad g)(U x)`` and ``Hess f = U^T (Hess g)(U x) U``, so
``E[Hess f] = U^T H U`` with ``H = E[(Hess g)(U x)]`` (``r x r``): its rank is at most ``r`` and its
column space lies in ``span(U^T)`` (the row space of ``U``). This is the identity behind the one-step
subspace recovery of Damian, Lee, Soltanolkotabi (2022), Sec. 4 (their ``E[f(x)(x x^T - I)]``).

Every function here works with exact rationals or fully symbolic ``U`` (see :func:`symbolic_matrix`);
``g`` must be a polynomial, so all expectations are exact through Gaussian moments.

References
----------
C. Stein (1981), "Estimation of the mean of a multivariate normal distribution", Ann. Stat. 9, Lemma 1.
A. Damian, J. Lee, M. Soltanolkotabi (2022), "Neural networks can learn representations with gradient
descent", COLT 2022, arXiv 2206.15144, Sec. 4 (second-order Stein identity), Assumption 2.

Examples
--------
>>> import sympy as sp
>>> z1, z2 = sp.symbols("z1 z2")
>>> U = symbolic_matrix(2, 3)
>>> stein_second(z1**2 * z2 + z2**2, [z1, z2], U).holds
True
>>> s = hessian_structure(z1 * z2, [z1, z2], [[1, 0, 0], [0, 1, 0]])
>>> s.rank, s.in_row_space_of_U, s.factorises
(2, True, True)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from featurecheck.theory._validate import check_int
from featurecheck.theory.hermite import gaussian_expectation

if TYPE_CHECKING:
    import sympy as sp

# sympy is imported by the functions that use it, so importing this module (as the claim registry does)
# starts without it

__all__ = ["SteinCheck", "HessianStructure", "symbolic_matrix", "density_identities", "stein_first",
           "stein_second", "hessian_structure", "compose"]


@dataclass(frozen=True)
class SteinCheck:
    """Both sides of a Stein identity, computed independently, and whether they agree exactly.

    Attributes
    ----------
    lhs : sympy.Matrix
        ``E[f x]`` (d x 1) or ``E[f (x x^T - I)]`` (d x d), by Gaussian moments of ``f * x``.
    rhs : sympy.Matrix
        ``E[grad f]`` or ``E[Hess f]``, by Gaussian moments of the symbolic derivatives.
    holds : bool
        ``simplify(lhs - rhs) == 0`` entrywise.
    """

    lhs: sp.Matrix
    rhs: sp.Matrix
    holds: bool


@dataclass(frozen=True)
class HessianStructure:
    """Structure of ``E[Hess f]`` for ``f = g(U x)``.

    Attributes
    ----------
    expected_hessian : sympy.Matrix (d x d)
    inner : sympy.Matrix (r x r), ``H = E[(Hess g)(U x)]``
    factorises : bool
        ``E[Hess f] == U^T H U`` exactly.
    rank : int or None
        Exact rank (None when ``U`` is symbolic: then ``rank <= r`` follows from the factorisation).
    in_row_space_of_U : bool or None
        ``(I - P) E[Hess f] == 0`` with ``P = U^T (U U^T)^{-1} U`` the projector on ``span(U^T)``
        (None when ``U U^T`` is singular).
    """

    expected_hessian: sp.Matrix
    inner: sp.Matrix
    factorises: bool
    rank: int | None
    in_row_space_of_U: bool | None


def symbolic_matrix(r: int, d: int, name: str = "u") -> sp.Matrix:
    """Build an ``r x d`` matrix of real symbols ``u_i_j``.

    Examples
    --------
    >>> symbolic_matrix(1, 2)
    Matrix([[u_0_0, u_0_1]])
    """
    import sympy as sp

    r = check_int("r", r, 1, 8)
    d = check_int("d", d, 1, 16)
    return sp.Matrix(r, d, lambda i, j: sp.Symbol(f"{name}_{i}_{j}", real=True))


def density_identities(d: int = 3) -> bool:
    """Check ``x_i phi = -d_i phi`` and ``(x_i x_j - delta_ij) phi = d_i d_j phi`` symbolically.

    Examples
    --------
    >>> density_identities(2)
    True
    """
    import sympy as sp

    d = check_int("d", d, 1, 6)
    xs = sp.symbols(f"x0:{d}", real=True)
    phi = sp.exp(-sum(x**2 for x in xs) / 2) / (2 * sp.pi) ** sp.Rational(d, 2)
    ok = all(sp.simplify(xs[i] * phi + sp.diff(phi, xs[i])) == 0 for i in range(d))
    ok &= all(sp.simplify((xs[i] * xs[j] - (1 if i == j else 0)) * phi - sp.diff(phi, xs[i], xs[j])) == 0
              for i in range(d) for j in range(d))
    return bool(ok)


def compose(g: Any, zs: Sequence[sp.Symbol], U: Any) -> tuple[sp.Expr, list[sp.Symbol], sp.Matrix]:
    """``f(x) = g(U x)`` as an expanded polynomial in fresh symbols ``x0..x{d-1}``."""
    import sympy as sp

    U = sp.Matrix(U)
    r, d = U.shape
    if r != len(zs):
        raise ValueError(f"U must have len(zs) = {len(zs)} rows, got {r}")
    xs = list(sp.symbols(f"x0:{d}", real=True))
    subs = {zs[i]: sum(U[i, k] * xs[k] for k in range(d)) for i in range(r)}
    return sp.expand(sp.sympify(g).xreplace(subs)), xs, U


def _zero(m: sp.Matrix) -> bool:
    import sympy as sp

    # entries are rational functions of the entries of U: cancel() is an exact zero test for them
    return all(sp.cancel(sp.together(v)) == 0 for v in m)


def stein_first(g: Any, zs: Sequence[sp.Symbol], U: Any) -> SteinCheck:
    """``E[f x]`` against ``E[grad f]`` for ``f = g(U x)``, both exact.

    Examples
    --------
    >>> import sympy as sp
    >>> z = sp.Symbol("z")
    >>> c = stein_first(z**3, [z], [[sp.Rational(1, 2), 2]])
    >>> c.holds, list(c.lhs)
    (True, [51/8, 51/2])
    """
    import sympy as sp

    f, xs, _ = compose(g, zs, U)
    lhs = sp.Matrix([gaussian_expectation(f * x, xs) for x in xs])
    rhs = sp.Matrix([gaussian_expectation(sp.diff(f, x), xs) for x in xs])
    return SteinCheck(lhs, rhs, _zero(lhs - rhs))


def stein_second(g: Any, zs: Sequence[sp.Symbol], U: Any) -> SteinCheck:
    """``E[f (x x^T - I)]`` against ``E[Hess f]`` for ``f = g(U x)``, both exact."""
    import sympy as sp

    f, xs, _ = compose(g, zs, U)
    d = len(xs)
    lhs = sp.Matrix(d, d, lambda i, j: gaussian_expectation(f * (xs[i] * xs[j] - (1 if i == j else 0)), xs))
    rhs = sp.Matrix(d, d, lambda i, j: gaussian_expectation(sp.diff(f, xs[i], xs[j]), xs))
    return SteinCheck(lhs, rhs, _zero(lhs - rhs))


def hessian_structure(g: Any, zs: Sequence[sp.Symbol], U: Any) -> HessianStructure:
    """``E[Hess f] = U^T E[(Hess g)(U x)] U``: factorisation, rank and column space.

    Examples
    --------
    >>> import sympy as sp
    >>> z1, z2 = sp.symbols("z1 z2")
    >>> s = hessian_structure(z1**2 + z1 * z2, [z1, z2], [[1, 1, 0], [0, 1, -1]])
    >>> s.factorises, s.rank, s.in_row_space_of_U
    (True, 2, True)
    """
    import sympy as sp

    f, xs, U = compose(g, zs, U)
    d = len(xs)
    r = len(zs)
    E = sp.Matrix(d, d, lambda i, j: gaussian_expectation(sp.diff(f, xs[i], xs[j]), xs))
    subs = {zs[i]: sum(U[i, k] * xs[k] for k in range(d)) for i in range(r)}
    hg = sp.hessian(sp.sympify(g), list(zs))
    inner = sp.Matrix(r, r, lambda a, b: gaussian_expectation(sp.expand(hg[a, b].xreplace(subs)), xs))
    factorises = _zero(E - U.T * inner * U)
    symbolic = bool(U.free_symbols)
    rank = None if symbolic else int(E.rank())
    in_span: bool | None
    G = U * U.T
    if symbolic:
        det = sp.simplify(G.det())
        in_span = None if det == 0 else _zero((sp.eye(d) - U.T * G.adjugate() * U / det) * E)
    else:
        in_span = None if G.det() == 0 else _zero((sp.eye(d) - U.T * G.inv() * U) * E)
    return HessianStructure(E, inner, factorises, rank, in_span)
