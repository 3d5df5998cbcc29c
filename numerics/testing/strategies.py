"""Public Hypothesis strategies for property-testing claims of feature-learning theory.

Import them in your own test suite::

    from hypothesis import given
    from featurecheck.numerics.testing import strategies as fst

    @given(fst.majority_functions(n=(1, 31)), fst.subsets(n=31, k=3))
    def test_something(f, S): ...

Every strategy documents **how it shrinks**: when a property fails, Hypothesis reports the simplest
counterexample in that order, so a failing claim is shown at the smallest ``n``, the lowest level, the
all-ones weight vector, the zero polynomial, and so on.

Conventions are the toolkit's (see the README): coordinates are 0-based, a set ``S`` is a sorted
tuple of coordinates (bit ``i`` of its mask is coordinate ``i``), truth tables are indexed by the point
index with bit ``i`` set iff ``x_i = -1``, and ``T_theta = 1[w.x >= theta]`` (``>=``, 0/1-valued).

Integer-range arguments accept either an ``int`` (a fixed value) or a ``(low, high)`` pair (drawn
uniformly-ish by Hypothesis, shrinking towards ``low``).

Examples
--------
>>> from hypothesis import given, settings
>>> @settings(max_examples=5, database=None)
... @given(subsets(n=6, k=2))
... def check(S):
...     assert len(S) == 2 and all(0 <= i < 6 for i in S)
>>> check()
>>> shrink_target(subsets(n=6, k=2), lambda S: sum(S) > 6)  # the simplest counterexample
(2, 5)
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

from hypothesis import strategies as st

from featurecheck.numerics.estimators.cube import CubeFunction, majority, parity, threshold
from featurecheck.theory.claims import Claim, Param

__all__ = [
    "subsets",
    "sparse_parities",
    "truth_tables",
    "majority_functions",
    "threshold_functions",
    "sign_vectors",
    "walsh_sets",
    "hermite_multi_indices",
    "hermite_index_sets",
    "polynomial_links",
    "params_for",
    "param_strategy",
    "shrink_target",
    "Z",
]

IntSpec = int | tuple[int, int]

#: The variable of polynomial links (``sympy.Symbol("z", real=True)``).
Z: Any = None  # set lazily by polynomial_links (keeps the sympy import off the module import path)

_MAX_TT_N = 10
_INT_SPAN = 20  # half-width drawn around the default when a parameter has no bounds


def _fractions(lo: Any, hi: Any, max_denominator: int) -> st.SearchStrategy[Fraction]:
    """Fractions in [lo, hi] with denominator <= max_denominator; shrinks to denominator 1, then to 0.

    (Cheaper per draw than ``st.fractions``.)
    """
    lo, hi = Fraction(lo), Fraction(hi)
    if lo == hi:
        return st.just(lo)

    def for_d(d: int) -> st.SearchStrategy[Fraction]:
        a, b = math.ceil(lo * d), math.floor(hi * d)
        if a > b:  # no multiple of 1/d in range: fall back to an endpoint
            return st.just(lo)
        return st.integers(a, b).map(lambda m: Fraction(m, d))

    return st.integers(1, max_denominator).flatmap(for_d)


def _ints(name: str, spec: IntSpec, low: int = 0, high: int | None = None) -> st.SearchStrategy[int]:
    if isinstance(spec, bool):
        raise ValueError(f"{name} must be an int or a (low, high) pair, got {spec!r}")
    if isinstance(spec, int):
        lo = hi = spec
    else:
        try:
            lo, hi = (int(v) for v in spec)
        except (TypeError, ValueError):
            raise ValueError(f"{name} must be an int or a (low, high) pair, got {spec!r}") from None
    rng = f"[{low}, {'inf' if high is None else high}]"
    if lo > hi or lo < low or (high is not None and hi > high):
        raise ValueError(f"{name} must lie in {rng} with low <= high, got {spec!r}")
    return st.just(lo) if lo == hi else st.integers(lo, hi)


def subsets(n: IntSpec, k: IntSpec | None = None) -> st.SearchStrategy[tuple[int, ...]]:
    """Subsets of ``[n] = {0, ..., n-1}`` of size ``k``, as sorted tuples.

    Parameters
    ----------
    n : int
        Ground-set size (``>= 0``).
    k : int or (low, high), optional
        Size, or a range of sizes (default ``(0, n)``).

    Shrinks towards the smallest size, and within a size towards ``{0, 1, ..., k-1}`` (each element
    shrinks towards 0; duplicates are rejected).

    Examples
    --------
    >>> shrink_target(subsets(5, 2))
    (0, 1)
    >>> shrink_target(subsets(5, (1, 3)))
    (0,)
    """
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise ValueError(f"n must be an integer in [0, inf], got {n!r}")
    _ints("k", (0, n) if k is None else k, 0, n)
    klo, khi = (k, k) if isinstance(k, int) else ((0, n) if k is None else k)
    if n == 0:
        return st.just(())
    return st.lists(st.integers(0, n - 1), min_size=klo, max_size=khi, unique=True).map(
        lambda xs: tuple(sorted(xs)))


def sparse_parities(n: IntSpec = (1, 64), k: IntSpec = (1, 4)) -> st.SearchStrategy[CubeFunction]:
    """Parities ``chi_S`` on ``n`` variables with ``|S| = k`` (``k`` capped at ``n``), as CubeFunctions.

    The support is recoverable as ``[i for i in range(f.n) if f.pmask >> i & 1]``.

    Shrinks towards the smallest ``n``, then the smallest ``k``, then ``S = {0, ..., k-1}``.

    Examples
    --------
    >>> f = shrink_target(sparse_parities(n=(4, 8), k=3))
    >>> f.n, f.pmask
    (4, 7)
    """
    ns = _ints("n", n, 1, 4096)
    _ints("k", k, 0, None)  # validate eagerly
    klo, khi = (k, k) if isinstance(k, int) else k

    def for_n(nn: int) -> st.SearchStrategy[CubeFunction]:
        lo, hi = min(klo, nn), min(khi, nn)
        return subsets(nn, (lo, hi)).map(lambda S: parity(nn, S))

    return ns.flatmap(for_n)


def truth_tables(n: IntSpec = (1, 6), values: tuple[int, int] = (1, -1)) -> st.SearchStrategy[Any]:
    """Truth tables of Boolean functions on ``n <= 10`` variables: int8 arrays of length ``2^n``.

    Entry ``x`` is ``f`` at the point whose bit ``i`` is set iff ``x_i = -1`` (the layout of
    :func:`featurecheck.numerics.estimators.walsh.truth_table`; :func:`featurecheck.numerics.estimators.walsh.fwht` accepts it).

    Parameters
    ----------
    n : int or (low, high)
        Number of variables, at most 10.
    values : pair of int
        The two values; default ``(1, -1)`` (±1 functions). Use ``(0, 1)`` for indicators.

    Shrinks towards the smallest ``n`` and then towards the constant function ``values[0]`` (each
    entry shrinks to the first value), so a counterexample is the constant plus as few flips as needed.

    Examples
    --------
    >>> sorted(shrink_target(truth_tables((1, 3)), lambda t: t.sum() == 0).tolist())
    [-1, 1]
    """
    import numpy as np
    from hypothesis.extra import numpy as hnp

    ns = _ints("n", n, 0, _MAX_TT_N)
    if len(values) != 2 or values[0] == values[1]:
        raise ValueError(f"values must be two distinct ints, got {values!r}")
    elems = st.sampled_from([int(values[0]), int(values[1])])
    return ns.flatmap(lambda nn: hnp.arrays(np.int8, 1 << nn, elements=elems))


def majority_functions(n: IntSpec = (1, 101), pm: bool = True) -> st.SearchStrategy[CubeFunction]:
    """``Maj_n`` for odd ``n`` in the range (``±1``-valued; 0/1 ``1[sum x > 0]`` with ``pm=False``).

    Shrinks towards the smallest odd ``n`` in the range.

    Examples
    --------
    >>> shrink_target(majority_functions(n=(4, 9))).n
    5
    """
    lo, hi = (n, n) if isinstance(n, int) else n
    _ints("n", (lo, hi), 1, 4096)
    a, b = lo // 2, (hi - 1) // 2  # odd n = 2m + 1 in [lo, hi]  <=>  m in [ceil((lo-1)/2), floor((hi-1)/2)]
    if a > b:
        raise ValueError(f"n range {n!r} contains no odd integer (majority needs odd n)")
    return st.integers(a, b).map(lambda m: majority(2 * m + 1, pm=pm))


def threshold_functions(
    n: IntSpec = (1, 64),
    theta: tuple[Any, Any] | None = None,
    *,
    weights: bool = True,
    pm: bool | None = None,
    strict: bool | None = None,
    max_denominator: int = 4,
) -> st.SearchStrategy[CubeFunction]:
    """Threshold functions ``1[w.x >= theta]`` with a bias ``theta`` and ``±1`` weights ``w``.

    Parameters
    ----------
    n : int or (low, high)
        Number of variables.
    theta : (low, high), optional
        Range of the bias, drawn as a Fraction with denominator ``<= max_denominator``; default
        ``(-n, n)``. ``1[w.x + b > 0]`` is the case ``theta = -b``, ``strict=True``.
    weights : bool
        Draw the weight vector with :func:`sign_vectors` (default) or use all ones.
    pm, strict : bool, optional
        Fix the value convention (0/1 or ±1) and the tie rule (``>=`` or ``>``); None draws it.

    Shrinks towards the smallest ``n``, ``theta = 0`` (or the bound closest to 0), the all-ones weight
    vector, then 0/1 values and the non-strict ``>=`` rule.

    Examples
    --------
    >>> f = shrink_target(threshold_functions(n=3, theta=(-1, 1), weights=False, pm=False, strict=False))
    >>> f.n, f.name
    (3, '1[w.x>=0]')
    """
    ns = _ints("n", n, 1, 4096)
    if max_denominator < 1:
        raise ValueError(f"max_denominator must be an integer in [1, inf], got {max_denominator}")
    pms = st.booleans() if pm is None else st.just(bool(pm))
    stricts = st.booleans() if strict is None else st.just(bool(strict))

    def for_n(nn: int) -> st.SearchStrategy[CubeFunction]:
        lo, hi = (Fraction(-nn), Fraction(nn)) if theta is None else (Fraction(theta[0]), Fraction(theta[1]))
        if lo > hi:
            raise ValueError(f"theta must be a (low, high) pair with low <= high, got {theta!r}")
        thetas = _fractions(lo, hi, max_denominator)
        ws = sign_vectors(nn) if weights else st.just(None)
        return st.builds(lambda t, w, p, s: threshold(nn, t, weights=w, pm=p, strict=s), thetas, ws, pms, stricts)

    return ns.flatmap(for_n)


def sign_vectors(n: IntSpec) -> st.SearchStrategy[tuple[int, ...]]:
    """``±1`` weight vectors of length ``n``, as tuples of ints.

    Shrinks towards the all-ones vector (each entry shrinks to ``+1``), so a counterexample shows
    the fewest sign flips needed.

    Examples
    --------
    >>> shrink_target(sign_vectors(4), lambda w: sum(w) < 0)
    (1, -1, -1, -1)
    """
    ns = _ints("n", n, 0, 4096)
    return ns.flatmap(lambda nn: st.lists(st.sampled_from([1, -1]), min_size=nn, max_size=nn).map(tuple))


def walsh_sets(
    n: int, max_degree: int | None = None, min_size: int = 0, max_size: int = 8
) -> st.SearchStrategy[frozenset[tuple[int, ...]]]:
    """Generate sets of Walsh monomials: a frozenset of distinct subsets ``S`` of ``[n]`` with ``|S| <= max_degree``.

    This is the support of a sparse Fourier expansion ``sum_{S in A} c_S chi_S``.

    Shrinks towards fewer monomials, each monomial towards fewer and smaller coordinates (the empty
    set ``{}`` is the simplest monomial, i.e. the constant).

    Examples
    --------
    >>> sorted(shrink_target(walsh_sets(2, max_degree=1, min_size=2)))
    [(), (0,)]
    """
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise ValueError(f"n must be an integer in [0, inf], got {n!r}")
    d = n if max_degree is None else max_degree
    if not 0 <= d <= n:
        raise ValueError(f"max_degree must be an integer in [0, n={n}], got {max_degree!r}")
    total = sum(math.comb(n, j) for j in range(d + 1))
    if not 0 <= min_size <= max_size or min_size > total:
        raise ValueError(f"min_size must be in [0, min(max_size, {total})], got {min_size}")
    mono = subsets(n, (0, d))
    return st.lists(mono, min_size=min_size, max_size=min(max_size, total), unique=True).map(frozenset)


def hermite_multi_indices(d: int, max_degree: int = 4, min_degree: int = 0) -> st.SearchStrategy[tuple[int, ...]]:
    """Hermite multi-indices ``alpha in N^d`` with ``min_degree <= |alpha| <= max_degree``.

    ``alpha`` names the product ``prod_i He_{alpha_i}(z_i)`` of probabilists' Hermite polynomials.

    Shrinks towards the lowest total degree, with the degree pushed onto the first coordinates
    (each entry shrinks towards 0; the multi-index ``(0, ..., 0)`` is the constant).

    Examples
    --------
    >>> shrink_target(hermite_multi_indices(3, max_degree=4), lambda a: sum(a) >= 2)
    (2, 0, 0)
    """
    if isinstance(d, bool) or not isinstance(d, int) or d < 1:
        raise ValueError(f"d must be an integer in [1, inf], got {d!r}")
    if not 0 <= min_degree <= max_degree:
        raise ValueError(f"min_degree must be an integer in [0, max_degree={max_degree}], got {min_degree}")

    def build(deg: int) -> st.SearchStrategy[tuple[int, ...]]:
        # a composition of deg into d parts: d-1 cut points in [0, deg]
        return st.lists(st.integers(0, deg), min_size=d - 1, max_size=d - 1).map(
            lambda cuts: _composition(deg, sorted(cuts)))

    return st.integers(min_degree, max_degree).flatmap(build)


def _hermite_prob_coeffs(j: int, size: int) -> list[Fraction]:
    """Coefficients of He_j (He_0 = 1, He_1 = z, He_{k+1} = z He_k - k He_{k-1}), padded to size + 1."""
    prev, cur = [Fraction(0)] * (size + 2), [Fraction(0)] * (size + 2)
    prev[0] = Fraction(1)
    if j == 0:
        return prev[: size + 1]
    cur[1] = Fraction(1)
    for k in range(1, j):
        nxt = [Fraction(0)] * (size + 2)
        for i in range(size + 1):
            nxt[i + 1] += cur[i]
            nxt[i] -= k * prev[i]
        prev, cur = cur, nxt
    return cur[: size + 1]


def _composition(deg: int, cuts: Sequence[int]) -> tuple[int, ...]:
    bounds = [0, *cuts, deg]
    parts = [bounds[i + 1] - bounds[i] for i in range(len(bounds) - 1)]
    return tuple(reversed(parts))  # shrinking cuts to 0 puts the degree on the first coordinate


def hermite_index_sets(
    d: int, max_degree: int = 4, min_size: int = 0, max_size: int = 6
) -> st.SearchStrategy[frozenset[tuple[int, ...]]]:
    """Generate sets of distinct Hermite multi-indices (the support of a Hermite expansion in ``d`` variables).

    Shrinks towards fewer multi-indices of lower degree.

    Examples
    --------
    >>> sorted(shrink_target(hermite_index_sets(2, max_degree=1, min_size=2)))
    [(0, 0), (1, 0)]
    """
    total = math.comb(max_degree + d, d)
    if not 0 <= min_size <= max_size or min_size > total:
        raise ValueError(f"min_size must be in [0, min(max_size, {total})], got {min_size}")
    return st.lists(hermite_multi_indices(d, max_degree), min_size=min_size,
                    max_size=min(max_size, total), unique=True).map(frozenset)


def polynomial_links(
    max_degree: int = 4,
    *,
    min_degree: int = 0,
    basis: str = "monomial",
    coefficients: tuple[int, int] = (-3, 3),
    max_denominator: int = 4,
    nonzero: bool = True,
) -> st.SearchStrategy[Any]:
    """Polynomial link functions ``sigma(z) = sum_j c_j b_j(z)`` as sympy expressions in :data:`Z`.

    Parameters
    ----------
    max_degree, min_degree : int
        Degree range of the basis functions used (``0 <= min_degree <= max_degree <= 20``).
    basis : {"monomial", "hermite"}
        ``b_j = z^j`` or the probabilists' Hermite polynomial ``He_j(z)`` (orthogonal under N(0, 1),
        ``E[He_j He_k] = j! [j = k]``), so in the Hermite basis ``c_j`` is the ``j``-th Hermite
        coefficient times ``j!`` ... i.e. ``E[sigma(z) He_j(z)] = j! c_j``.
    coefficients : (int, int)
        Range of each coefficient, drawn as a Fraction with denominator ``<= max_denominator``.
    nonzero : bool
        Reject the zero polynomial (default).

    Shrinks towards fewer nonzero coefficients, each towards 0 (then small integers), so the
    simplest link is a single low-degree term such as ``z`` or ``1``.

    Examples
    --------
    >>> shrink_target(polynomial_links(2, basis="hermite", min_degree=2))
    z**2 - 1
    """
    import sympy as sp

    global Z
    if Z is None:
        Z = sp.Symbol("z", real=True)
    if not 0 <= min_degree <= max_degree <= 20:
        raise ValueError(f"degrees must satisfy 0 <= min_degree <= max_degree <= 20, got {min_degree}, {max_degree}")
    if basis not in ("monomial", "hermite"):
        raise ValueError(f"basis must be one of ['monomial', 'hermite'], got {basis!r}")
    # coefficient vectors (constant term first) of the basis functions, in exact rationals
    if basis == "monomial":
        vecs = [[Fraction(int(i == j)) for i in range(max_degree + 1)] for j in range(max_degree + 1)]
    else:
        vecs = [_hermite_prob_coeffs(j, max_degree) for j in range(max_degree + 1)]
    lo, hi = coefficients
    coef = _fractions(lo, hi, max_denominator)
    n_terms = max_degree - min_degree + 1

    def build(cs: list[Fraction]) -> Any:
        # cs[0] multiplies the highest degree: Hypothesis zeroes early entries first, so the
        # shrunk link keeps its lowest-degree terms
        total = [Fraction(0)] * (max_degree + 1)
        for j, c in enumerate(cs):
            if c:
                for i, v in enumerate(vecs[max_degree - j]):
                    total[i] += c * v
        return sum((sp.Rational(v.numerator, v.denominator) * Z**i for i, v in enumerate(total) if v),
                   sp.Integer(0))

    out = st.lists(coef, min_size=n_terms, max_size=n_terms).map(build)
    return out.filter(lambda e: e != 0) if nonzero else out


def shrink_target(strategy: st.SearchStrategy[Any], condition: Any = None) -> Any:
    """Return the simplest value of ``strategy`` satisfying ``condition``: where Hypothesis shrinks to.

    A thin wrapper of :func:`hypothesis.find` with the example database off (nothing is written to
    disk). Handy to see how a strategy shrinks before relying on its counterexamples.

    Examples
    --------
    >>> shrink_target(subsets(6, 3))
    (0, 1, 2)
    """
    from hypothesis import find, settings

    return find(strategy, condition or (lambda _: True), settings=settings(database=None, max_examples=500))


# ------------------------------------------------------------------ claims' declared domains


def param_strategy(p: Param, *, max_denominator: int = 8) -> st.SearchStrategy[Any]:
    """Strategy for one declared :class:`featurecheck.theory.claims.Param`, over its ``typical_range``.

    - ``int``: integers in the typical range; shrinks towards 0, or the bound closest to 0.
    - ``odd`` / ``even``: ``2m + 1`` / ``2m`` with ``m`` drawn so the value stays in range; shrinks
      towards the smallest admissible value.
    - ``real``: exact Fractions (denominator ``<= max_denominator``) when ``p.exact``, else floats;
      shrinks towards 0 and simple fractions.
    - ``choice``: one of ``p.choices``; shrinks towards the first choice.
    - ``str``: the default.

    A missing bound falls back to the other bound, the default, or 0, +-20 around it.

    Examples
    --------
    >>> shrink_target(param_strategy(Param("n", "odd", low=1, high=99, typical=(4, 10))))
    5
    >>> shrink_target(param_strategy(Param("theta", "real", typical=(-3, 3))), lambda t: t > 1)
    Fraction(2, 1)
    """
    lo, hi = p.typical_range
    if p.kind == "choice":
        if not p.choices:
            raise ValueError(f"parameter {p.name} of kind 'choice' has no choices")
        return st.sampled_from(list(p.choices))
    if p.kind == "str":
        if p.default is None:
            raise ValueError(f"parameter {p.name} of kind 'str' needs a default to draw from")
        return st.just(p.default)
    lo, hi = _fill_range(p, lo, hi)
    if p.kind in ("int", "odd", "even"):
        ilo, ihi = math.ceil(Fraction(lo)), math.floor(Fraction(hi))
        if p.kind == "int":
            return st.integers(ilo, ihi)
        r = 1 if p.kind == "odd" else 0
        mlo, mhi = math.ceil(Fraction(ilo - r, 2)), math.floor(Fraction(ihi - r, 2))
        if mlo > mhi:
            raise ValueError(f"parameter {p.name}: range [{lo}, {hi}] holds no {p.kind} integer")
        return st.integers(mlo, mhi).map(lambda m: 2 * m + r)
    if p.kind == "real":
        flo, fhi = Fraction(lo), Fraction(hi)
        if p.exact:
            return _fractions(flo, fhi, max_denominator)
        return st.floats(float(flo), float(fhi), allow_nan=False, allow_infinity=False)
    raise ValueError(f"unknown parameter kind {p.kind!r} for {p.name}")


def _fill_range(p: Param, lo: Any, hi: Any) -> tuple[Any, Any]:
    if lo is None and hi is None:
        centre = 0 if p.default is None else p.validate(p.default)
        return centre - _INT_SPAN, centre + _INT_SPAN
    if lo is None:
        return Fraction(hi) - 2 * _INT_SPAN, hi
    if hi is None:
        return lo, Fraction(lo) + 2 * _INT_SPAN
    return lo, hi


def _applies(route: Any, params: Mapping[str, Any]) -> bool:
    try:
        return bool(route.applies(params))
    except ValueError:  # a route that cannot even assess these parameters does not apply
        return False


def params_for(
    claim: Claim,
    overrides: Mapping[str, Any] | None = None,
    *,
    require_route: bool = True,
    max_denominator: int = 8,
    include_examples: bool = True,
) -> st.SearchStrategy[dict[str, Any]]:
    """Parameter dictionaries for ``claim``, drawn from its declared ``Param`` domains.

    Each parameter is drawn by :func:`param_strategy` over its ``typical`` range (``Param.typical``,
    else ``(low, high)``). Draws that violate the domain or the claim's cross-parameter
    ``constraints`` are rejected (``claim.bind`` raises), and so are draws at which no numeric route
    applies when ``require_route``. The dictionaries hold *bound* values (ints, Fractions, choices).

    Parameters
    ----------
    claim : Claim
    overrides : dict, optional
        ``name -> strategy or fixed value`` replacing the derived strategy of that parameter.
    require_route : bool
        Reject parameter sets at which none of the claim's routes applies.
    max_denominator : int
        Largest denominator of drawn ``real`` parameters.
    include_examples : bool
        Also draw the claim's default ``examples`` (as a second branch of ``one_of``; fixed overrides
        replace their entries; skipped when an override is a strategy), so claims whose cross-parameter
        constraints reject most independent draws still get valid examples. Tests over such claims
        should suppress ``HealthCheck.filter_too_much`` (``property_test`` does).

    Shrinks parameter by parameter as :func:`param_strategy` describes (smallest ``n``, lowest ``k``,
    ``theta = 0``, first choice).

    Examples
    --------
    >>> from featurecheck.numerics.claims import load_builtin_claims
    >>> from featurecheck.theory.claims import REGISTRY
    >>> load_builtin_claims()
    >>> claim = REGISTRY.get("majority.coefficient")
    >>> shrink_target(params_for(claim, include_examples=False))
    {'n': 1, 'k': 0}
    """
    overrides = dict(overrides or {})
    unknown = sorted(set(overrides) - {p.name for p in claim.params})
    if unknown:
        raise ValueError(f"claim {claim.id} has no parameter {unknown[0]!r}; "
                         f"its parameters are {[p.name for p in claim.params]}")
    fields: dict[str, st.SearchStrategy[Any]] = {}
    for p in claim.params:
        if p.name in overrides:
            o = overrides[p.name]
            fields[p.name] = o if isinstance(o, st.SearchStrategy) else st.just(o)
        else:
            fields[p.name] = param_strategy(p, max_denominator=max_denominator)

    def bound_or_none(raw: dict[str, Any]) -> dict[str, Any] | None:
        try:
            b = claim.bind(raw)
        except ValueError:
            return None
        if require_route and not any(_applies(r, b) for r in claim.routes):
            return None
        return b

    derived = st.fixed_dictionaries(fields).map(bound_or_none).filter(lambda b: b is not None)
    if include_examples and not any(isinstance(o, st.SearchStrategy) for o in overrides.values()):
        known = [b for b in (bound_or_none({**ex, **overrides}) for ex in claim.examples) if b is not None]
        if known:
            return st.one_of(derived, st.sampled_from(known))  # type: ignore[return-value]
    return derived  # type: ignore[return-value]
