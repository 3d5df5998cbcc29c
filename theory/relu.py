r"""Exact population gradients of one ReLU neuron on a sparse parity (Barak et al. 2022, Sec. 4.1).

Setup and conventions
---------------------
``x`` is uniform on ``{-1,+1}^n``, the target is ``y = chi_S(x)`` with ``|S| = k``, ``1 <= k <= n``,
and the neuron is ``ReLU(w.x + b)`` with ``w in {-1,+1}^n`` (default all ones) and a real bias ``b``.
The correlation loss is ``L(w, b) = -E[chi_S(x) ReLU(w.x + b)]`` and ``ReLU'(0) = 0``, so the gate is
the STRICT indicator ``T(x) = 1[w.x + b > 0]``. Then

``dL/dw_i = -E[chi_S(x) x_i T(x)] = -hat T(S Δ {i})`` and ``dL/db = -E[chi_S(x) T(x)] = -hat T(S)``

because ``x_i^2 = 1`` turns ``chi_S(x) x_i`` into ``chi_{S Δ {i}}(x)``. For ``i in S`` that is a level
``k - 1`` coefficient ("relevant"), for ``i not in S`` a level ``k + 1`` one ("irrelevant").

**Strict to non-strict.** ``featurecheck.theory.boolean.threshold_coefficient`` is for ``1[sum x >= theta]``. Since
``sum x`` only takes integer values congruent to ``n`` mod 2, ``1[sum x > -b] = 1[sum x >= theta']`` for
``theta' = floor(-b) + 1`` (the least integer above ``-b``) and equally for the least integer
``= n (mod 2)`` above ``-b`` (:func:`strict_threshold`, which returns the latter; both name the same
function on the cube; the tests check both against enumeration).

**Sign vectors.** With ``u_i = w_i x_i`` (again uniform), ``w.x = sum u`` and
``chi_U(x) = chi_U(w) chi_U(u)``, so ``dL/dw_i = -chi_{S Δ {i}}(w) hat T(|S Δ {i}|)`` with ``T`` the
all-ones gate and ``chi_U(w) = prod_{j in U} w_j``: coordinate sign flips only.

**Majority form.** For odd ``n`` and ``b in (-1, 1]``, ``T = 1[sum x >= 1] = (1 + Maj_n)/2``, so every
non-empty coefficient is half a majority coefficient. For even ``k`` the relevant and irrelevant
values are then ``-hat Maj_n(k -/+ 1)/2``, with ``|irrelevant| / |relevant| = (k-1)/(n-k)`` exactly
(the ratio of consecutive odd majority levels, O'Donnell Thm 5.19). For odd ``k >= 3`` both levels
``k -/+ 1`` are even and vanish because ``Maj_n`` is odd (:func:`vanishes_by_symmetry`); ``k = 1`` is
the exception (level 0: ``dL/dw_0 = -Pr[T = 1] = -1/2``). A bias outside ``(-1, 1]`` moves the gate to
another threshold whose ±1 version is not odd and the even levels come back (e.g. ``b = 2``).

**Fourier gap.** ``gamma(n, k, b) = |dL/dw_0| - |dL/dw_{n-1}|`` (relevant minus irrelevant magnitude;
undefined when ``k = n``). For even ``k`` and ``b = 0``:
``sign gamma = sign(floor(n/2) - k + 1)``, so among odd ``n`` the gap is positive iff ``n >= 2k + 1``
(the reference statement) and over all ``n`` the first positive gap is at ``n = 2k`` (even, with the
strict gate). Proof of the even-``n`` case: for ``n = 2m + 1`` average out the last coordinate:
``T_{2m+1} = (1[s >= 2] + 1[s >= 0])/2`` with ``s`` the sum of the other ``2m``; on odd levels the two
halves have equal coefficients (``x -> -x``), so odd-level coefficients of ``T_{2m+1}`` not involving
the last coordinate equal those of ``1[s > 0] = T_{2m}``: ``gamma(2m, k, 0) = gamma(2m+1, k, 0)``.

**Asymptote.** For even ``k``, ``b = 0``, odd ``n``:
``gamma (n-1)^{(k-1)/2} -> (k-3)!! / sqrt(2 pi) = sqrt(2/pi) (k-3)!! / 2``. The theory reference states
``sqrt(2/pi)(k-3)!!`` [constants unsure]: that is the gap of the ±1 gate ``sign(w.x + b)`` (``Maj_n``),
twice the ReLU gate ``(1 + Maj_n)/2`` used here. :func:`gap_asymptote_limit` evaluates the limit with
sympy; the claim checks it, and rejects the reference constant for the ReLU gradient.

**Other losses.** For a network whose output is 0 at initialisation (e.g. a mirrored pair
``a ReLU(w.x + b) - a ReLU(w0.x + b)`` at ``w = w0``) the gradient of ``E[l(y, f(x))]`` w.r.t. ``w`` is
``E[d_f l(y, 0) a T(x) x]``, and ``d_f l(y, 0) = -y`` for the hinge ``max(0, 1 - y f)``, the square
``(y - f)^2 / 2`` and the correlation ``-y f`` losses (``-y/2`` for the logistic loss
``log(1 + e^{-y f})``; ``-2y`` for ``(y - f)^2`` without the 1/2). So all are ``a`` times (logistic
``a/2`` times) the neuron gradient above: the same direction (:func:`loss_gradient_factor`).

**One step.** Each per-sample term ``-y x_i T(x)`` lies in ``[-1, 1]``; by Hoeffding
``Pr[|g_i - dL/dw_i| >= gamma/2] <= 2 exp(-B gamma^2 / 8)`` for a ``B``-sample gradient ``g``, and a
union bound over the ``n`` coordinates gives: if ``B >= 8 log(2n/delta) / gamma^2`` then with
probability ``>= 1 - delta`` every ``|g_i - dL/dw_i| < gamma/2``, so every relevant ``|g_i|`` exceeds
every irrelevant one and the top-``k`` coordinates by ``|g_i|`` are exactly ``S``. With
``gamma ~ c_k n^{-(k-1)/2}`` this is ``8 c_k^{-2} n^{k-1} log(2n/delta)``: ``O(n^{k-1} log(n/delta))``.

References
----------
B. Barak, B. L. Edelman, S. Goel, S. Kakade, E. Malach, C. Zhang, "Hidden Progress in Deep Learning:
SGD Learns Parities Near the Computational Limit", NeurIPS 2022, arXiv:2207.08799, Sec. 4.1.
R. O'Donnell, *Analysis of Boolean Functions* (2014), Thm 5.19. W. Hoeffding (1963), Thm 2.
featurecheck theory reference, section 2 (GRAD, RATIO, GAP, ONE-STEP).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any, cast

from featurecheck.theory._validate import check_int, check_probability, check_real, check_subset
from featurecheck.theory.boolean import threshold_coefficient

if TYPE_CHECKING:
    import sympy as sp

# sympy is imported by the functions that build expressions, so the exact rational routes start without
# it; M_SYM, N_SYM, DELTA_SYM and GAMMA_SYM are built on first use (``_symbols``, ``__getattr__``)

__all__ = [
    "MAX_N",
    "MAX_VECTOR_N",
    "LOSSES",
    "ReluGradient",
    "strict_threshold",
    "relu_gradient",
    "relu_gradient_coordinate",
    "relevant_gradient",
    "irrelevant_gradient",
    "bias_gradient",
    "gradient_ratio",
    "ratio_formula",
    "fourier_gap",
    "gap_sign_formula",
    "smallest_positive_gap_n",
    "gap_onset_formula",
    "vanishes_by_symmetry",
    "gap_asymptote_constant",
    "reference_gap_asymptote_constant",
    "gap_scaled_expr",
    "gap_asymptote_limit",
    "loss_gradient_factor",
    "one_step_bound",
    "one_step_bound_expr",
    "one_step_bound_asymptotic",
    "parse_weights",
]

MAX_N = 10**7  # the big-int limit of the exact routes (featurecheck.theory.boolean.MAX_N is 10**7 + 1, so that Maj_{10^7+1} is in)
MAX_VECTOR_N = 100_000  # full gradient vectors (n Fractions) are refused above this
LOSSES = ("hinge", "square", "correlation", "logistic")


@cache
def _symbols() -> dict[str, sp.Symbol]:
    """Build the symbolic forms' symbols once: ``M_SYM`` (``n = 2m + 1``), ``N_SYM``, ``DELTA_SYM``, ``GAMMA_SYM``."""
    import sympy as sp

    return {"M_SYM": sp.Symbol("m", positive=True), "N_SYM": sp.Symbol("n", positive=True),
            "DELTA_SYM": sp.Symbol("delta", positive=True), "GAMMA_SYM": sp.Symbol("gamma", positive=True)}


def __getattr__(name: str) -> Any:
    """``M_SYM``, ``N_SYM``, ``DELTA_SYM`` and ``GAMMA_SYM``, built on first use."""
    if name in ("M_SYM", "N_SYM", "DELTA_SYM", "GAMMA_SYM"):
        return _symbols()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _check_nk(n: object, k: object, n_high: int = MAX_N) -> tuple[int, int]:
    n = check_int("n", n, 1, n_high)
    k = check_int("k", k, 1, n)
    return n, k


def _bias(b: object) -> Fraction:
    return Fraction(check_real("b", b, exact=True))


def parse_weights(n: int, w: object) -> tuple[int, ...] | None:
    """Validate a sign vector: None / ``"ones"`` (all ones), a ±1 sequence, or a ``"+-"`` string.

    Examples
    --------
    >>> parse_weights(3, "+-+"), parse_weights(2, [1, -1]), parse_weights(4, "ones")
    ((1, -1, 1), (1, -1), None)
    """
    if w is None or (isinstance(w, str) and w.strip().lower() in ("ones", "")):
        return None
    if isinstance(w, str):
        s = w.strip()
        if s.lower() == "alternating":
            return tuple(1 if i % 2 == 0 else -1 for i in range(n))
        if any(c not in "+-" for c in s):
            raise ValueError(f"w must be 'ones', 'alternating' or a string of {n} '+'/'-' signs, got {w!r}")
        vals = tuple(1 if c == "+" else -1 for c in s)
    else:
        try:
            vals = tuple(int(v) for v in cast(Iterable[Any], w))
        except (TypeError, ValueError):
            raise ValueError(f"w must be a ±1 vector of length n={n}, got {w!r}") from None
    if len(vals) != n or any(v not in (-1, 1) for v in vals):
        raise ValueError(f"w must be a ±1 vector of length n={n}, got {w!r}")
    return vals


def strict_threshold(n: int, b: object) -> int:
    r"""``theta'`` with ``1[sum x > -b] = 1[sum x >= theta']`` on ``{-1,1}^n``.

    ``theta'`` is the least integer ``= n (mod 2)`` strictly above ``-b``. (``floor(-b) + 1`` names
    the same indicator: ``sum x`` takes only values ``= n (mod 2)``.)

    Examples
    --------
    >>> strict_threshold(5, 0), strict_threshold(4, 0), strict_threshold(5, "1/2"), strict_threshold(5, 1)
    (1, 2, 1, 1)
    """
    n = check_int("n", n, 1, MAX_N)
    bb = _bias(b)
    t = math.floor(-bb) + 1
    if (t - n) % 2:
        t += 1
    return t


def _level_value(n: int, theta: int, level: int) -> Fraction:
    return threshold_coefficient(n, theta, level)


@dataclass(frozen=True)
class ReluGradient:
    """Exact population gradient of ``L = -E[chi_S(x) ReLU(w.x + b)]``.

    Attributes
    ----------
    n : int
    S : tuple of int
        0-based hidden set.
    b : Fraction
    w : tuple of int or None
        Sign vector (None = all ones).
    dw : tuple of Fraction
        ``dL/dw_i`` for ``i = 0..n-1``.
    db : Fraction
        ``dL/db``.
    """

    n: int
    S: tuple[int, ...]
    b: Fraction
    w: tuple[int, ...] | None
    dw: tuple[Fraction, ...]
    db: Fraction


def _chi_w(w: Sequence[int] | None, U: Iterable[int]) -> int:
    if w is None:
        return 1
    s = 1
    for j in U:
        s *= w[j]
    return s


def relu_gradient(n: int, S: Iterable[int] | int, b: object = 0, w: object = None) -> ReluGradient:
    r"""All partial derivatives of ``L = -E[chi_S(x) ReLU(w.x + b)]`` (``ReLU'(0) = 0``), exactly.

    Parameters
    ----------
    n : int
        Number of variables, ``1 <= n <= 10^5``.
    S : iterable of int or int
        Hidden set (0-based coordinates, or a bit mask), non-empty.
    b : real
        Bias (int, Fraction, ``"3/2"``...; floats are taken at their exact binary value).
    w : None, "ones", "alternating", "+-..." string or ±1 sequence
        First-layer weights.

    Returns
    -------
    ReluGradient
        ``dw[i] = -chi_{S Δ {i}}(w) hat T(|S Δ {i}|)`` and ``db = -chi_S(w) hat T(|S|)`` with
        ``T = 1[sum x >= strict_threshold(n, b)]``.

    References
    ----------
    Barak et al. (2022), Sec. 4.1; featurecheck theory reference GRAD.

    Examples
    --------
    >>> g = relu_gradient(5, [0, 1])
    >>> [str(v) for v in g.dw], g.db
    (['-3/16', '-3/16', '1/16', '1/16', '1/16'], Fraction(0, 1))
    >>> [str(v) for v in relu_gradient(3, [0], w="+-+").dw]
    ['-1/2', '0', '0']
    """
    n = check_int("n", n, 1, MAX_VECTOR_N)
    s = check_subset("S", S, n)
    if not s:
        raise ValueError(f"S must be a non-empty set of coordinates in [0, {n - 1}], got {S!r}")
    bb = _bias(b)
    ww = parse_weights(n, w)
    theta = strict_threshold(n, bb)
    k = len(s)
    lo = _level_value(n, theta, k - 1)
    hi = _level_value(n, theta, k + 1) if k < n else Fraction(0)
    sset = set(s)
    dw = []
    for i in range(n):
        U = sset ^ {i}
        dw.append(-_chi_w(ww, U) * (lo if i in sset else hi))
    db = -_chi_w(ww, s) * _level_value(n, theta, k)
    return ReluGradient(n, s, bb, ww, tuple(dw), db)


def relu_gradient_coordinate(n: int, S: Iterable[int] | int, i: int, b: object = 0, w: object = None) -> Fraction:
    """``dL/dw_i`` alone (any ``n <= 10^7`` when ``w`` is all ones).

    Examples
    --------
    >>> relu_gradient_coordinate(5, [0, 1], 4)
    Fraction(1, 16)
    """
    n = check_int("n", n, 1, MAX_N)
    s = check_subset("S", S, n)
    if not s:
        raise ValueError(f"S must be a non-empty set of coordinates in [0, {n - 1}], got {S!r}")
    i = check_int("i", i, 0, n - 1)
    ww = parse_weights(n, w) if w is not None else None
    theta = strict_threshold(n, b)
    U = set(s) ^ {i}
    return -_chi_w(ww, U) * _level_value(n, theta, len(U))


def relevant_gradient(n: int, k: int, b: object = 0) -> Fraction:
    """``dL/dw_0`` for ``S = {0..k-1}``, ``w`` all ones: ``-hat T(level k-1)``.

    Examples
    --------
    >>> relevant_gradient(9, 2)
    Fraction(-35, 256)
    """
    n, k = _check_nk(n, k)
    return -_level_value(n, strict_threshold(n, b), k - 1)


def irrelevant_gradient(n: int, k: int, b: object = 0) -> Fraction | None:
    """``dL/dw_{n-1}`` for ``S = {0..k-1}``: ``-hat T(level k+1)``; None when ``k = n``.

    Examples
    --------
    >>> irrelevant_gradient(9, 2), irrelevant_gradient(3, 3)
    (Fraction(5, 256), None)
    """
    n, k = _check_nk(n, k)
    if k == n:
        _bias(b)
        return None
    return -_level_value(n, strict_threshold(n, b), k + 1)


def bias_gradient(n: int, k: int, b: object = 0) -> Fraction:
    """``dL/db = -hat T(level k)``.

    Examples
    --------
    >>> bias_gradient(9, 2), bias_gradient(9, 3)
    (Fraction(0, 1), Fraction(5, 256))
    """
    n, k = _check_nk(n, k)
    return -_level_value(n, strict_threshold(n, b), k)


def gradient_ratio(n: int, k: int, b: object = 0) -> Fraction | None:
    """``|irrelevant| / |relevant|``; None if ``k = n`` or the relevant value is 0.

    Examples
    --------
    >>> gradient_ratio(9, 2)
    Fraction(1, 7)
    """
    rel = relevant_gradient(n, k, b)
    irr = irrelevant_gradient(n, k, b)
    if irr is None or rel == 0:
        return None
    return abs(irr) / abs(rel)


def ratio_formula(n: int, k: int) -> Fraction:
    """Return the stated ratio ``(k-1)/(n-k)`` (n odd, k even, ``k < n``, ``b = 0``).

    Examples
    --------
    >>> ratio_formula(9, 2)
    Fraction(1, 7)
    """
    n = check_int("n", n, 1, MAX_N)
    if n % 2 == 0:
        raise ValueError(f"n must be an odd integer in [3, {MAX_N}], got {n}")
    k = check_int("k", k, 1, n - 1)
    if k % 2:
        raise ValueError(f"k must be an even integer in [2, {n - 1}], got {k}")
    return Fraction(k - 1, n - k)


def fourier_gap(n: int, k: int, b: object = 0) -> Fraction | None:
    """``gamma(n, k, b) = |relevant| - |irrelevant|``; None when ``k = n``.

    Examples
    --------
    >>> fourier_gap(9, 2), fourier_gap(5, 4)
    (Fraction(15, 128), Fraction(-1, 8))
    """
    irr = irrelevant_gradient(n, k, b)
    if irr is None:
        return None
    return abs(relevant_gradient(n, k, b)) - abs(irr)


def gap_sign_formula(n: int, k: int) -> int:
    """Stated sign of ``gamma(n, k, 0)`` for even ``k < n``: ``sign(floor(n/2) - k + 1)``.

    For odd ``n`` this is ``sign(n - 2k + 1)`` (positive iff ``n >= 2k + 1``).

    Examples
    --------
    >>> [gap_sign_formula(n, 4) for n in (5, 6, 7, 8, 9)]
    [-1, 0, 0, 1, 1]
    """
    n = check_int("n", n, 2, MAX_N)
    k = check_int("k", k, 2, n - 1)
    if k % 2:
        raise ValueError(f"k must be an even integer in [2, {n - 1}], got {k}")
    d = n // 2 - k + 1
    return (d > 0) - (d < 0)


def smallest_positive_gap_n(k: int, b: object = 0, parity: str = "odd", n_max: int | None = None) -> int | None:
    """Smallest ``n > k`` (odd ``n`` only, or any ``n``) with ``gamma(n, k, b) > 0``, by exact scan.

    Parameters
    ----------
    k : int
        ``|S|``, ``1 <= k <= 10^4``.
    b : real
        Bias.
    parity : {"odd", "any"}
    n_max : int, optional
        Scan limit (default ``4k + 64``); None is returned if no positive gap is found.

    Examples
    --------
    >>> smallest_positive_gap_n(4), smallest_positive_gap_n(4, parity="any")
    (9, 8)
    """
    k = check_int("k", k, 1, 10_000)
    if parity not in ("odd", "any"):
        raise ValueError(f"parity must be 'odd' or 'any', got {parity!r}")
    top = 4 * k + 64 if n_max is None else check_int("n_max", n_max, k + 1, MAX_N)
    bb = _bias(b)
    for n in range(k + 1, top + 1):
        if parity == "odd" and n % 2 == 0:
            continue
        g = fourier_gap(n, k, bb)
        if g is not None and g > 0:
            return n
    return None


def gap_onset_formula(k: int, parity: str = "odd") -> int:
    """Stated first ``n`` with a positive gap (``k`` even, ``b = 0``): ``2k + 1`` (odd n), ``2k`` (any n).

    Examples
    --------
    >>> gap_onset_formula(2), gap_onset_formula(2, "any")
    (5, 4)
    """
    k = check_int("k", k, 2, 10_000)
    if k % 2:
        raise ValueError(f"k must be an even integer in [2, 10000], got {k}")
    if parity not in ("odd", "any"):
        raise ValueError(f"parity must be 'odd' or 'any', got {parity!r}")
    return 2 * k + 1 if parity == "odd" else 2 * k


def vanishes_by_symmetry(n: int, k: int, b: object = 0) -> bool:
    """Return True when the symmetry argument forces relevant = irrelevant = 0.

    That is: ``n`` odd, ``k`` odd ``>= 3``, ``b in (-1, 1]`` (then ``T = (1 + Maj_n)/2`` and levels
    ``k -/+ 1`` are even and non-empty). For ``k = 1`` the relevant level is 0 and equals ``-1/2``.

    Examples
    --------
    >>> vanishes_by_symmetry(9, 3), vanishes_by_symmetry(9, 3, 2), vanishes_by_symmetry(9, 1)
    (True, False, False)
    """
    n, k = _check_nk(n, k)
    bb = _bias(b)
    return n % 2 == 1 and k % 2 == 1 and k >= 3 and -1 < bb <= 1


# ---------------------------------------------------------------- asymptotics (sympy)

def gap_asymptote_constant(k: int) -> sp.Expr:
    """``(k-3)!! / sqrt(2 pi)``: the limit of ``gamma(n,k,0) (n-1)^{(k-1)/2}`` (k even, n odd).

    Examples
    --------
    >>> gap_asymptote_constant(2), gap_asymptote_constant(6)
    (sqrt(2)/(2*sqrt(pi)), 3*sqrt(2)/(2*sqrt(pi)))
    """
    import sympy as sp

    k = _check_even_k(k)
    return sp.factorial2(k - 3) / sp.sqrt(2 * sp.pi)


def reference_gap_asymptote_constant(k: int) -> sp.Expr:
    """Return the theory reference's constant ``sqrt(2/pi) (k-3)!!`` (the ±1-gate gap; twice the ReLU one).

    Examples
    --------
    >>> reference_gap_asymptote_constant(2) / gap_asymptote_constant(2)
    2
    """
    import sympy as sp

    k = _check_even_k(k)
    return sp.sqrt(2 / sp.pi) * sp.factorial2(k - 3)


def _check_even_k(k: object) -> int:
    k = check_int("k", k, 2, 98)
    if k % 2:
        raise ValueError(f"k must be an even integer in [2, 98], got {k}")
    return k


def _gap_parts(k: int) -> tuple[sp.Expr, sp.Expr]:
    """``gamma(2m+1, k, 0) (2m)^{(k-1)/2} = G(m) * R(m)`` with ``G = Gamma(m+1/2) sqrt(m) / Gamma(m+1)``."""
    import sympy as sp

    j = (k - 2) // 2  # relevant level k - 1 = 2j + 1
    m = _symbols()["M_SYM"]
    half = sp.Rational(1, 2)
    n = 2 * m + 1
    G = sp.gamma(m + half) * sp.sqrt(m) / sp.gamma(m + 1)
    # |hat Maj_n(2j+1)| = (2j-1)!!/2^j Gamma(m+1/2-j)/(sqrt(pi) Gamma(m+1)); gap = |rel| (n-2k+1)/(n-k)
    poch = sp.Mul(*[(m + half - i) for i in range(1, j + 1)])
    R = (sp.factorial2(2 * j - 1) / 2**j / sp.sqrt(sp.pi) / poch / 2
         * (n - 2 * k + 1) / (n - k) * 2 ** (j + half) * m**j)
    return G, R


def gap_scaled_expr(k: int) -> sp.Expr:
    r"""``gamma(n, k, 0) (n-1)^{(k-1)/2}`` at ``n = 2m + 1`` as a sympy expression in ``m`` (k even).

    Examples
    --------
    >>> import sympy as sp
    >>> from featurecheck.theory.relu import M_SYM
    >>> e = gap_scaled_expr(2)
    >>> sp.nsimplify(sp.gammasimp(e.subs(M_SYM, 4)) / sp.sqrt(8))   # gamma(9, 2, 0) = 15/128
    15/128
    """
    G, R = _gap_parts(_check_even_k(k))
    return G * R


@lru_cache(maxsize=1)
def _gamma_ratio_limit() -> sp.Expr:
    import sympy as sp

    # lim Gamma(m+1/2) sqrt(m) / Gamma(m+1) through the asymptotic series of loggamma (fast in sympy)
    x = sp.Symbol("x", positive=True)
    half = sp.Rational(1, 2)
    ser = (sp.loggamma(x + half) - sp.loggamma(x + 1)).series(x, sp.oo, 3).removeO()
    return sp.exp(sp.limit(ser + sp.log(x) / 2, x, sp.oo))


@cache
def gap_asymptote_limit(k: int) -> sp.Expr:
    r"""``lim_{n -> inf, n odd} gamma(n, k, 0) (n-1)^{(k-1)/2}`` evaluated by sympy (k even; cached).

    The scaled gap factors as ``G(m) R(m)`` (:func:`gap_scaled_expr`): ``R`` is algebraic and goes to
    its limit by ``sympy.limit``; ``G = Gamma(m+1/2) sqrt(m)/Gamma(m+1)`` by ``sympy.limit`` of the
    asymptotic series of ``log G`` (a one-shot ``sympy.limit`` of ``G R`` gives the same value but takes
    20-30 s; the slow tests compare the two). About 2-3 s on the first call, so no doctest here:
    ``gap_asymptote_limit(4)`` returns ``sqrt(2)/(2*sqrt(pi))``.
    """
    import sympy as sp

    k = _check_even_k(k)
    _, R = _gap_parts(k)
    return sp.simplify(_gamma_ratio_limit() * sp.limit(R, _symbols()["M_SYM"], sp.oo))


# ---------------------------------------------------------------- other losses

def loss_gradient_factor(loss: str, a: object = 1) -> Fraction:
    r"""``c`` with ``grad_w E[l(y, f)] = c * grad_w L`` at a zero-output init with output weight ``a``.

    ``d_f l(y, 0) = -y`` for ``hinge`` (``max(0, 1 - y f)``), ``square`` (``(y - f)^2 / 2``) and
    ``correlation`` (``-y f``), and ``-y/2`` for ``logistic`` (``log(1 + exp(-y f))``), so ``c = a`` or
    ``a/2``.

    Examples
    --------
    >>> loss_gradient_factor("hinge", 3), loss_gradient_factor("logistic")
    (Fraction(3, 1), Fraction(1, 2))
    """
    if loss not in LOSSES:
        raise ValueError(f"loss must be one of {list(LOSSES)}, got {loss!r}")
    aa = Fraction(check_real("a", a, exact=True))
    return aa / 2 if loss == "logistic" else aa


# ---------------------------------------------------------------- one-step sample complexity

def one_step_bound_expr() -> sp.Expr:
    r"""``B >= 8 log(2 n / delta) / gamma^2`` as a sympy expression in ``n, delta, gamma``.

    Examples
    --------
    >>> one_step_bound_expr()
    8*log(2*n/delta)/gamma**2
    """
    import sympy as sp

    sym = _symbols()
    return 8 * sp.log(2 * sym["N_SYM"] / sym["DELTA_SYM"]) / sym["GAMMA_SYM"] ** 2


def one_step_bound(n: int, k: int, b: object = 0, delta: object = "1/2") -> sp.Expr | None:
    r"""Hoeffding + union-bound batch size ``8 log(2n/delta) / gamma(n,k,b)^2`` (exact sympy number).

    With a ``B``-sample gradient and ``B`` at least this, the top-``k`` coordinates by ``|g_i|`` are
    exactly ``S`` with probability ``>= 1 - delta``. None when the gap is undefined or ``<= 0``.

    Examples
    --------
    >>> round(float(one_step_bound(9, 2)), 2)
    2087.55
    """
    import sympy as sp

    delta_f = Fraction(check_real("delta", delta, exact=True))
    check_probability("delta", float(delta_f))
    g = fourier_gap(n, k, b)
    if g is None or g <= 0:
        return None
    sym = _symbols()
    return one_step_bound_expr().subs({sym["N_SYM"]: int(n),
                                       sym["DELTA_SYM"]: sp.Rational(delta_f.numerator, delta_f.denominator),
                                       sym["GAMMA_SYM"]: sp.Rational(g.numerator, g.denominator)})


def one_step_bound_asymptotic(k: int) -> sp.Expr:
    r"""Return the bound with ``gamma = c_k (n-1)^{-(k-1)/2}`` (``c_k`` = :func:`gap_asymptote_constant`).

    ``16 pi / ((k-3)!!)^2 * (n-1)^{k-1} log(2n/delta)``, i.e. ``O(n^{k-1} log(n/delta))``.

    Examples
    --------
    >>> one_step_bound_asymptotic(4)
    16*pi*(n - 1)**3*log(2*n/delta)
    """
    import sympy as sp

    k = _check_even_k(k)
    c2 = gap_asymptote_constant(k) ** 2
    sym = _symbols()
    return 8 / c2 * (sym["N_SYM"] - 1) ** (k - 1) * sp.log(2 * sym["N_SYM"] / sym["DELTA_SYM"])
