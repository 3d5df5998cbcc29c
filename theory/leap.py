r"""Leap complexity of a set of monomials (Abbe, Boix-Adsera, Misiakiewicz 2023).

Definition
----------
A target's nonzero basis elements are monomials ``m_1..m_M``, each a map coordinate -> multiplicity:
Walsh sets ``S`` on the cube (multiplicity 1 on ``S``) or Hermite multi-indices ``alpha`` on Gaussian
space (multiplicity ``alpha_i``). For a set ``C`` of already-covered coordinates the *new degree*
of ``m`` is ``new(m, C) = sum_{i not in C} m_i`` (for Walsh sets ``|S \ C|``). Then

    Leap = min over orderings pi  max_i  new(m_pi(i), supp m_pi(1) u ... u supp m_pi(i-1)).

So the staircase ``x0 + x0x1 + x0x1x2`` has leap 1, a ``k``-parity has leap ``k``, ``He_3(z0)`` has
leap 3 (the information exponent for one index), and ``He_1(z0) + He_3(z0)He_1(z1)`` has leap 1
(coordinates already covered cost nothing, whatever their multiplicity).

Algorithms and cost
-------------------
- :func:`leap` (``method="closure"``, exact): ``new(m, C)`` only decreases as ``C`` grows, so for a
  threshold ``L`` the set of monomials reachable with steps ``<= L`` does not depend on the order in
  which they are added (adding a reachable monomial never blocks another). ``Leap`` is the least
  ``L`` whose closure contains every monomial. Cost ``O(D M^2 s)`` for ``M`` monomials of support at
  most ``s`` and ``D`` distinct candidate values of ``L``.
- ``method="search"`` (exact): depth-first branch and bound over orderings; monomials with new
  degree 0 are taken at once (dominance), branches whose running maximum reaches the best leap found
  so far are pruned, and states are memoised on the covered set. Worst case ``O(2^M M s)``; in
  practice a few hundred nodes for ``M <= 20``.
- :func:`leap_bruteforce` (exact, for tests): all ``M!`` orderings, ``M <= 9``.

Conjecture (labelled as such)
-----------------------------
Abbe, Boix-Adsera, Misiakiewicz (2023), Conjecture 1: online SGD on a two-layer network learns a
target of leap ``L`` in ``Theta~(d^{max(L-1, 1)})`` steps (``Theta~(d^{max(L, 2)})`` total compute).
:func:`sgd_steps_conjecture` returns the exponent with ``status = "conjecture"``; it is not a theorem
and no claim treats it as one.

References
----------
E. Abbe, E. Boix-Adsera, T. Misiakiewicz (2023), "SGD learning on neural networks: leap complexity
and saddle-to-saddle dynamics", COLT 2023, arXiv 2302.11055, Def. 1 (leap), Conjecture 1.

Examples
--------
>>> leap([{0}, {0, 1}, {0, 1, 2}]).leap
1
>>> leap([{0, 1, 2}]).leap
3
>>> leap([(2, 1), (0, 0, 3)], kind="hermite").leap   # He2(z0)He1(z1) + He3(z2)
3
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from featurecheck.theory._validate import check_int

if TYPE_CHECKING:
    import sympy as sp

# sympy is imported by the functions that use it, so importing this module (as the claim registry does)
# starts without it

__all__ = ["Monomial", "LeapResult", "leap", "leap_bruteforce", "new_degree", "sgd_steps_conjecture",
           "parse_walsh", "parse_hermite", "MAX_MONOMIALS_SEARCH", "MAX_MONOMIALS_BRUTE"]

Monomial = tuple[tuple[int, int], ...]  # sorted (coordinate, multiplicity) pairs, multiplicity >= 1
MAX_MONOMIALS_SEARCH = 40
MAX_MONOMIALS_BRUTE = 9
MAX_MONOMIALS = 5000


def _canon(m: Any, kind: str) -> Monomial:
    if kind == "walsh":
        items = sorted({check_int("coordinate", i, 0, None) for i in m})
        return tuple((i, 1) for i in items)
    if kind == "hermite":
        if isinstance(m, Mapping):
            pairs = [(check_int("coordinate", i, 0, None), check_int("multiplicity", a, 0, None))
                     for i, a in m.items()]
        else:
            pairs = [(i, check_int("multiplicity", a, 0, None)) for i, a in enumerate(m)]
        return tuple(sorted((i, a) for i, a in pairs if a > 0))
    raise ValueError(f"kind must be 'walsh' or 'hermite', got {kind!r}")


def new_degree(m: Monomial, covered: frozenset[int] | set[int]) -> int:
    """``sum_{i not in covered} m_i``.

    Examples
    --------
    >>> new_degree(((0, 2), (3, 1)), {0})
    1
    """
    return sum(a for i, a in m if i not in covered)


@dataclass(frozen=True)
class LeapResult:
    """Leap of a monomial set with an optimal ordering.

    Attributes
    ----------
    leap : int
    order : tuple of Monomial
        An optimal ordering (each step's new degree is ``<= leap``).
    steps : tuple of int
        The new degree of each step of ``order``.
    method : str
    nodes : int
        Work done: closure passes (``closure``), search nodes (``search``) or orderings (``brute``).
    kind : str
    """

    leap: int
    order: tuple[Monomial, ...]
    steps: tuple[int, ...]
    method: str
    nodes: int
    kind: str

    def order_strings(self) -> list[str]:
        """Return the ordering as ``"x0*x1"`` (Walsh) or ``"He2(z0)*He1(z1)"`` (Hermite) strings."""
        return [format_monomial(m, self.kind) for m in self.order]


def format_monomial(m: Monomial, kind: str) -> str:
    """``"x0*x1"`` or ``"He2(z0)*He1(z1)"``; the empty monomial is ``"1"``.

    Examples
    --------
    >>> format_monomial(((0, 2), (1, 1)), "hermite")
    'He2(z0)*He1(z1)'
    """
    if not m:
        return "1"
    if kind == "walsh":
        return "*".join(f"x{i}" for i, _ in m)
    return "*".join(f"He{a}(z{i})" for i, a in m)


def _prepare(monomials: Iterable[Any], kind: str) -> list[Monomial]:
    ms = []
    seen = set()
    for m in monomials:
        c = _canon(m, kind)
        if c and c not in seen:  # constants (empty monomials) never need learning
            seen.add(c)
            ms.append(c)
        if len(ms) > MAX_MONOMIALS:
            raise ValueError(f"number of monomials must be <= {MAX_MONOMIALS}, got more")
    return ms


def _closure(ms: list[Monomial], L: int) -> tuple[list[int], list[int], int]:
    covered: set[int] = set()
    done = [False] * len(ms)
    order: list[int] = []
    steps: list[int] = []
    passes = 0
    progress = True
    while progress:
        progress = False
        passes += 1
        for k, m in enumerate(ms):
            if not done[k]:
                c = new_degree(m, covered)
                if c <= L:
                    done[k] = True
                    order.append(k)
                    steps.append(c)
                    covered.update(i for i, _ in m)
                    progress = True
    return order, steps, passes


def _search(ms: list[Monomial]) -> tuple[int, list[int], list[int], int]:
    M = len(ms)
    best_max = max(sum(a for _, a in m) for m in ms) + 1
    best_order: list[int] = []
    best_steps: list[int] = []
    memo: dict[frozenset[int], int] = {}  # covered set -> best running max already explored with it
    nodes = 0

    def dfs(covered: frozenset[int], used: int, run_max: int, order: list[int], steps: list[int]) -> None:
        nonlocal nodes, best_max, best_order, best_steps
        nodes += 1
        # dominance: take every monomial that costs nothing now
        order, steps = list(order), list(steps)
        cov = set(covered)
        changed = True
        while changed:
            changed = False
            for k in range(M):
                if not used >> k & 1 and new_degree(ms[k], cov) == 0:
                    used |= 1 << k
                    order.append(k)
                    steps.append(0)
                    cov.update(i for i, _ in ms[k])
                    changed = True
        if used == (1 << M) - 1:
            if run_max < best_max:
                best_max, best_order, best_steps = run_max, order, steps
            return
        key = frozenset(cov)
        if memo.get(key, best_max + 1) <= run_max:
            return
        memo[key] = run_max
        cand = sorted((new_degree(ms[k], cov), k) for k in range(M) if not used >> k & 1)
        for c, k in cand:
            if max(run_max, c) >= best_max:
                break  # sorted by cost: every later branch is pruned too
            dfs(frozenset(cov | {i for i, _ in ms[k]}), used | 1 << k, max(run_max, c), order + [k], steps + [c])

    dfs(frozenset(), 0, 0, [], [])
    return best_max, best_order, best_steps, nodes


def leap(monomials: Iterable[Any], kind: str = "walsh", method: str = "closure") -> LeapResult:
    """Exact leap complexity with an optimal ordering.

    Parameters
    ----------
    monomials : iterable
        Walsh sets (iterables of coordinates) for ``kind="walsh"``; multi-indices (tuples of
        multiplicities by coordinate, or dicts coordinate -> multiplicity) for ``kind="hermite"``.
        Constants and duplicates are dropped.
    kind : {"walsh", "hermite"}
    method : {"closure", "search"}
        See the module docstring for both algorithms and their cost.

    Returns
    -------
    LeapResult (leap 0 for a constant target)

    Examples
    --------
    >>> r = leap([{0, 1}, {0, 1, 2}, {3}])
    >>> r.leap, r.order_strings()
    (2, ['x0*x1', 'x0*x1*x2', 'x3'])
    >>> leap([{0, 1}, {0, 1, 2}, {3}], method="search").leap
    2
    """
    ms = _prepare(monomials, kind)
    if not ms:
        return LeapResult(0, (), (), method, 0, kind)
    if method == "closure":
        cands = sorted({new_degree(m, set()) for m in ms} | {1})
        total = 0
        for L in range(1, max(cands) + 1):
            order, steps, passes = _closure(ms, L)
            total += passes
            if len(order) == len(ms):
                return LeapResult(max(steps), tuple(ms[k] for k in order), tuple(steps), method, total, kind)
        raise AssertionError("unreachable: L = max degree always succeeds")
    if method == "search":
        if len(ms) > MAX_MONOMIALS_SEARCH:
            raise ValueError(f"method='search' needs at most {MAX_MONOMIALS_SEARCH} monomials, got {len(ms)}")
        L, order, steps, nodes = _search(ms)
        return LeapResult(L, tuple(ms[k] for k in order), tuple(steps), method, nodes, kind)
    raise ValueError(f"method must be 'closure' or 'search', got {method!r}")


def leap_bruteforce(monomials: Iterable[Any], kind: str = "walsh") -> LeapResult:
    """Leap by trying all ``M!`` orderings (``M <= 9``); the independent route for tests.

    Examples
    --------
    >>> leap_bruteforce([{0}, {0, 1}, {1, 2, 3}]).leap
    2
    """
    ms = _prepare(monomials, kind)
    if len(ms) > MAX_MONOMIALS_BRUTE:
        raise ValueError(f"leap_bruteforce needs at most {MAX_MONOMIALS_BRUTE} monomials, got {len(ms)}")
    if not ms:
        return LeapResult(0, (), (), "brute", 1, kind)
    best: tuple[int, tuple[int, ...], tuple[int, ...]] | None = None
    count = 0
    for perm in itertools.permutations(range(len(ms))):
        count += 1
        cov: set[int] = set()
        steps = []
        for k in perm:
            steps.append(new_degree(ms[k], cov))
            cov.update(i for i, _ in ms[k])
        if best is None or max(steps) < best[0]:
            best = (max(steps), perm, tuple(steps))
    assert best is not None
    return LeapResult(best[0], tuple(ms[k] for k in best[1]), best[2], "brute", count, kind)


@dataclass(frozen=True)
class Conjecture:
    """A conjectured scaling, labelled as such."""

    exponent: int
    expression: sp.Expr
    status: str
    source: str


def sgd_steps_conjecture(leap_value: int, d: Any = None) -> Conjecture:
    """Conjectured number of online SGD steps ``d^{max(Leap - 1, 1)}`` (up to polylog factors).

    ``d`` defaults to the positive symbol ``d``. This is **Conjecture 1** of Abbe, Boix-Adsera,
    Misiakiewicz (2023), not a theorem.

    Examples
    --------
    >>> c = sgd_steps_conjecture(3)
    >>> c.expression, c.status
    (d**2, 'conjecture')
    >>> sgd_steps_conjecture(1).exponent
    1
    """
    import sympy as sp

    L = check_int("leap", leap_value, 0, None)
    e = max(L - 1, 1)
    d = sp.Symbol("d", positive=True) if d is None else d
    return Conjecture(e, sp.sympify(d) ** e, "conjecture",
                      "Abbe, Boix-Adsera, Misiakiewicz (2023), arXiv 2302.11055, Conjecture 1 "
                      "(Theta~(d^{max(L-1,1)}) online steps)")


_WALSH_TOK = re.compile(r"x(\d{1,5})")
_HERM_TOK = re.compile(r"z(\d{1,5})")


def _vars_in(text: str, pat: re.Pattern[str], prefix: str) -> list[str]:
    idx = sorted({int(m.group(1)) for m in pat.finditer(text)})
    return [f"{prefix}{i}" for i in idx]


def parse_walsh(text: str) -> list[frozenset[int]]:
    """Walsh supports of a polynomial in ``x0, x1, ...`` on the cube (``x_i^2 = 1``).

    Examples
    --------
    >>> parse_walsh("x0*x1 + x0*x1*x2 - 2*x3**3")
    [frozenset({3}), frozenset({0, 1}), frozenset({0, 1, 2})]
    """
    import sympy as sp

    from featurecheck.theory.hermite import parse_polynomial

    names = _vars_in(text, _WALSH_TOK, "x") if isinstance(text, str) else []
    if not names:
        raise ValueError(f"polynomial must be a polynomial in x0, x1, ... (e.g. 'x0*x1 + x0*x1*x2'), got {text!r}")
    expr = parse_polynomial(text, names, name="polynomial", hermite_functions=False)
    syms = [sp.Symbol(v, real=True) for v in names]
    coords = [int(v[1:]) for v in names]
    acc: dict[frozenset[int], Any] = {}
    for exps, c in sp.Poly(expr, *syms).terms():
        S = frozenset(coords[k] for k, e in enumerate(exps) if e % 2)  # x_i^2 = 1 on the cube
        acc[S] = acc.get(S, 0) + c
    out = [S for S, c in acc.items() if c != 0 and S]
    return sorted(out, key=lambda S: (len(S), sorted(S)))


def parse_hermite(text: str) -> list[dict[int, int]]:
    """Hermite multi-indices of a polynomial in ``z0, z1, ...`` (``He<k>(z<i>)`` allowed).

    The polynomial is expanded exactly in the product Hermite basis, so products such as
    ``He1(z0)*He1(z0) = He2(z0) + 1`` are handled correctly.

    Examples
    --------
    >>> parse_hermite("He2(z0)*He1(z1) + He3(z2)")
    [{0: 2, 1: 1}, {2: 3}]
    """
    import sympy as sp

    from featurecheck.theory.hermite import multi_hermite_coefficients, parse_polynomial

    names = _vars_in(text, _HERM_TOK, "z") if isinstance(text, str) else []
    if not names:
        raise ValueError(f"polynomial must be a polynomial in z0, z1, ... (e.g. 'He2(z0)*He1(z1)'), got {text!r}")
    expr = parse_polynomial(text, names, name="polynomial", hermite_functions=True)
    syms = [sp.Symbol(v, real=True) for v in names]
    coords = [int(v[1:]) for v in names]
    cs = multi_hermite_coefficients(expr, syms)
    out = [{coords[k]: a for k, a in enumerate(alpha) if a} for alpha, c in cs.items() if any(alpha)]
    return sorted(out, key=lambda m: (sum(m.values()), sorted(m.items())))


def leap_of_text(text: str, hermite: bool = False) -> LeapResult:
    """Leap of a polynomial given as text (the ``featurecheck leap`` contract).

    Examples
    --------
    >>> r = leap_of_text("x0*x1 + x0*x1*x2")
    >>> r.leap, r.order_strings()
    (2, ['x0*x1', 'x0*x1*x2'])
    """
    if hermite:
        return leap(parse_hermite(text), kind="hermite")
    return leap(parse_walsh(text), kind="walsh")
