"""Exact sums over Hamming weights for symmetric functions on ``{-1,1}^n``.

Fourier coefficients, influences and noise stability of symmetric functions at any ``n``, without
enumerating the ``2^n`` points.

A symmetric function depends on ``x`` only through ``c(x) = #{i : x_i = -1}``; it is given here by its
value table ``values[c] = g(c)``, ``c = 0..n`` (integers). For ``|S| = k`` split the ``c`` minus-ones of
``x`` into ``a`` inside ``S`` and ``b`` outside. The definition ``2^n hat g(S) = sum_x g(c(x)) chi_S(x)``
becomes

``sum_{a=0}^{k} sum_{b=0}^{n-k} (-1)^a C(k, a) C(n-k, b) g(a + b) = sum_c g(c) K_k(c)``,

``K_k(c) = sum_a (-1)^a C(k, a) C(n-k, c-a)`` the Krawtchouk polynomial. The sum over ``a`` is, for each
``b``, ``(-1)^k`` times the ``k``-th forward difference of the table (int64 numpy when it fits, else
Python ints); the sum over ``b``, ``sum_b w_b C(n-k, b)``, is evaluated by binary splitting
(Haible & Papanikolaou 1998) over the terms ``C(N, b+1) = C(N, b) (N-b)/(b+1)``, modulo ``2^K`` with
``K`` bits above the result's size and the 2-adic valuation of the denominator, and finished by a
2-adic (Hensel) exact division with a Newton inverse (Jebelean 1993). Every step is an integer
operation, so the result is exact; ``O(n min(k, n-k))`` small-integer work plus ``O(M(n) log n)``
big-integer work, where ``M`` is the cost of a multiplication. Levels above ``n/2`` use
``chi_S = chi_[n] chi_{[n] minus S}`` and ``chi_[n](x) = (-1)^c``.

Big integers are Python ints, or ``gmpy2.mpz`` when gmpy2 is installed (``pip install
featurecheck[fast]``); ``backend=`` picks one, and both give the same integers (tested).

Nothing here uses a closed form for majority or threshold coefficients: these are the independent
exact routes against which :mod:`featurecheck.theory.boolean` is checked at any ``n``.

References
----------
R. O'Donnell, *Analysis of Boolean Functions* (2014), sec. 1.2 (``hat f(S) = E[f chi_S]``), Def. 2.42
(noise stability) and Def. 2.13 (influence, ``E[(D_i f)^2]``); F. J. MacWilliams and N. J. A. Sloane,
*The Theory of Error-Correcting Codes* (1977), ch. 5 sec. 7 (Krawtchouk polynomials and their generating
function ``(1-z)^k (1+z)^{n-k}``); B. Haible and T. Papanikolaou, "Fast multiprecision evaluation of
series of rational numbers", ANTS-III (1998); T. Jebelean, "An algorithm for exact division", J.
Symbolic Computation 15 (1993).
"""

from __future__ import annotations

import math
import numbers
from bisect import bisect_left
from collections.abc import Callable, Sequence
from fractions import Fraction
from typing import Any

import numpy as np

from featurecheck.theory._exact import coprime_fraction
from featurecheck.theory._validate import check_int, check_real

try:  # optional: GMP big integers (featurecheck[fast])
    import gmpy2
except ImportError:  # pragma: no cover - exercised where gmpy2 is absent
    gmpy2 = None

__all__ = [
    "BACKENDS",
    "MAX_N",
    "MAX_LEVELS_N",
    "MAX_STABILITY_N",
    "krawtchouk_sum",
    "symmetric_coefficient",
    "symmetric_levels",
    "symmetric_influence",
    "symmetric_noise_stability",
    "weight_sum_cost",
]

#: the big-integer backends available here (``"int"`` always)
BACKENDS: tuple[str, ...] = ("int", "gmpy2") if gmpy2 is not None else ("int",)
MAX_N = 10**7  # the big-int limit of the exact routes (featurecheck.theory.boolean.MAX_N is 10**7 + 1, so that Maj_{10^7+1} is in)
MAX_LEVELS_N = 2001  # symmetric_levels: O(n^2) big-integer additions (about 2 s at 2001)
MAX_STABILITY_N = 1001  # symmetric_noise_stability: O(n^2) big-integer operations (about 1 s at 1001)

_LEAF = 64  # binary-splitting leaves: products of at most this many consecutive integers
_INT64_BITS = 62  # numpy differences are used while every value stays below 2^62 in magnitude


def _backend(name: str | None) -> Callable[[int], Any]:
    if name is None:
        name = BACKENDS[-1]
    if name not in ("int", "gmpy2"):
        raise ValueError(f"backend must be one of ['int', 'gmpy2'] or None, got {name!r}")
    if name == "gmpy2":
        if gmpy2 is None:
            raise ValueError("backend='gmpy2' needs gmpy2 (pip install featurecheck[fast]); available: ['int']")
        return gmpy2.mpz  # type: ignore[no-any-return]
    return int


def _table(values: Any, name: str = "values") -> np.ndarray | list[int]:
    """Return the value table as an int64 array (small entries) or a list of Python ints."""
    if isinstance(values, np.ndarray):
        if values.ndim != 1 or values.dtype.kind not in "iu":
            raise ValueError(f"{name} must be a 1-d integer sequence g(0..n), got an array of dtype {values.dtype} "
                             f"and shape {values.shape}")
        vals: list[int] | None = None
        arr = values.astype(np.int64) if values.dtype.kind == "i" or values.max(initial=0) < 2**62 else None
        if arr is None:
            vals = [int(v) for v in values.tolist()]
    else:
        try:
            vals = list(values)
        except TypeError:
            raise ValueError(f"{name} must be a sequence of integers g(0..n), got {values!r}") from None
        for c, v in enumerate(vals):
            if isinstance(v, bool) or not isinstance(v, numbers.Integral):
                raise ValueError(f"{name}[{c}] must be an integer, got {v!r}")
        vals = [int(v) for v in vals]
        arr = None
    size = len(vals) if vals is not None else len(arr)  # type: ignore[arg-type]
    if not 1 <= size <= MAX_N + 1:
        raise ValueError(f"{name} must hold g(0..n) for 0 <= n <= {MAX_N} (length 1..{MAX_N + 1}), got length {size}")
    if vals is not None:
        big = max(abs(v) for v in vals)
        if big < 2**_INT64_BITS:
            return np.array(vals, dtype=np.int64)
        return vals
    assert arr is not None
    return arr


def _max_bits(t: np.ndarray | list[int]) -> int:
    if isinstance(t, np.ndarray):
        return int(np.abs(t).max(initial=0)).bit_length() if len(t) else 0
    return max((abs(v) for v in t), default=0).bit_length()


def _reflect(t: np.ndarray | list[int]) -> np.ndarray | list[int]:
    """``(-1)^c g(c)``: level ``k`` of ``g`` is level ``n - k`` of this."""
    if isinstance(t, np.ndarray):
        out = t.copy()
        out[1::2] = -out[1::2]
        return out
    return [-v if c % 2 else v for c, v in enumerate(t)]


def _inner_sums(t: np.ndarray | list[int], k: int) -> np.ndarray | list[int]:
    """``w_b = sum_{a=0}^{k} (-1)^a C(k, a) g(a + b) = (-1)^k (Delta^k g)(b)``, ``b = 0..n-k``."""
    if isinstance(t, np.ndarray) and _max_bits(t) + k < _INT64_BITS:
        w = np.diff(t, n=k) if k else t.copy()
        return -w if k % 2 else w
    cur = [int(v) for v in t] if isinstance(t, np.ndarray) else list(t)
    for _ in range(k):
        cur = [y - x for x, y in zip(cur, cur[1:], strict=False)]
    return [-v for v in cur] if k % 2 else cur


def _nonzero(w: np.ndarray | list[int]) -> list[int]:
    if isinstance(w, np.ndarray):
        return [int(i) for i in np.flatnonzero(w)]
    return [b for b, v in enumerate(w) if v]


def _inverse_2adic(a: Any, bits: int) -> Any:
    """``a^{-1} mod 2^bits`` for odd ``a`` by Newton's iteration ``x <- x (2 - a x)`` (precision doubles)."""
    precs = [bits]
    while precs[-1] > 3:
        precs.append((precs[-1] + 1) // 2)
    x = a & 7  # a odd: a * a = 1 (mod 8)
    for p in reversed(precs[:-1]):
        mask = (1 << p) - 1
        x = (x * (2 - (a & mask) * x)) & mask
    return x


def _binomial_sum(N: int, w: np.ndarray | list[int], Z: Callable[[int], Any]) -> int:
    """``sum_{b=0}^{N} w_b C(N, b)`` exactly (``len(w) = N + 1``), by binary splitting."""
    nz = _nonzero(w)
    if not nz:
        return 0
    wl = w if isinstance(w, list) else None
    if N - nz[0] < nz[-1]:  # C(N, b) = C(N, N - b): walk from the nearer end
        nz = sorted(N - b for b in nz)
        wl = (w[::-1].tolist() if isinstance(w, np.ndarray) else w[::-1])
    elif wl is None:
        wl = w.tolist()  # type: ignore[union-attr]
    r_end = nz[-1] + 1  # terms b >= r_end are zero
    # modulus 2^K: |result| < 2^(N + bits(max|w|) + 1); Q = r_end! has 2-adic valuation r_end - popcount(r_end)
    v2q = r_end - bin(r_end).count("1")
    kk = N + max(abs(int(wl[b])) for b in nz).bit_length() + 2
    K = kk + v2q
    mask = Z((1 << K) - 1)

    def trunc(x: Any) -> Any:
        return x & mask if x.bit_length() > K else x

    def split(lo: int, hi: int, need_p: bool) -> tuple[Any, Any, Any]:
        # (P, Q, T): P = prod_{lo<=i<hi} (N - i), Q = prod (i + 1),
        # T / Q = sum_{lo<=b<hi} w_b prod_{lo<=i<b} (N - i)/(i + 1)
        i0 = bisect_left(nz, lo)
        zero = i0 == len(nz) or nz[i0] >= hi
        if zero and hi - lo <= _LEAF:
            p = math.prod(range(N - hi + 1, N - lo + 1)) if need_p else 0
            return Z(p), Z(math.prod(range(lo + 1, hi + 1))), Z(0)
        if hi - lo <= _LEAF:
            P, Q, T = 1, 1, 0
            for b in range(lo, hi):
                q = b + 1
                wb = wl[b]
                T = T * q + P * wb * q if wb else T * q
                P *= N - b
                Q *= q
            return Z(P), Z(Q), Z(T)
        mid = (lo + hi) // 2
        P1, Q1, T1 = split(lo, mid, True)
        P2, Q2, T2 = split(mid, hi, need_p)
        T = trunc(T1 * Q2 + P1 * T2) if T2 else trunc(T1 * Q2)
        return (trunc(P1 * P2) if need_p else Z(0)), trunc(Q1 * Q2), T

    _, Q, T = split(0, r_end, False)
    # exact division T / Q: both are known mod 2^K and Q has exactly v2q factors 2
    Qo = Q >> v2q
    To = T >> v2q
    kmask = (1 << kk) - 1
    R = int((To * _inverse_2adic(Qo & kmask, kk)) & kmask)
    return R - (1 << kk) if R >> (kk - 1) else R


def weight_sum_cost(n: int, k: int) -> int:
    """Small-integer operations of :func:`krawtchouk_sum` at level ``k`` beyond the binary splitting.

    ``0`` when the inner sums run in numpy (``min(k, n-k) <= 56`` for small values), else
    ``n min(k, n-k)``. Routes use it to decide whether they apply.

    Examples
    --------
    >>> weight_sum_cost(10**6, 3), weight_sum_cost(1000, 500)
    (0, 500000)
    """
    n = check_int("n", n, 0, MAX_N)
    k = check_int("k", k, 0, n)
    m = min(k, n - k)
    return 0 if m <= _INT64_BITS - 6 else n * m


def krawtchouk_sum(values: Sequence[int] | np.ndarray, k: int, *, backend: str | None = None) -> int:
    """``sum_c g(c) K_k(c) = sum_x g(c(x)) chi_S(x)`` for any ``|S| = k``: ``2^n hat g(S)``, exactly.

    Parameters
    ----------
    values : sequence of int
        ``g(0), ..., g(n)``: the value at Hamming weight ``c`` (number of coordinates equal to -1),
        ``0 <= n <= 10^7``.
    k : int
        Level ``|S|``, ``0 <= k <= n``.
    backend : {None, "int", "gmpy2"}
        Big-integer type; None takes gmpy2 when installed. The result is the same Python int.

    Returns
    -------
    int

    Examples
    --------
    >>> maj3 = [1, 1, -1, -1]            # Maj_3 by the number of -1 coordinates
    >>> krawtchouk_sum(maj3, 1), krawtchouk_sum(maj3, 3)   # hat Maj_3 = 1/2, -1/2
    (4, -4)
    """
    t = _table(values)
    n = len(t) - 1
    k = check_int("k", k, 0, n)
    Z = _backend(backend)
    if 2 * k > n:
        t, k = _reflect(t), n - k
    return _binomial_sum(n - k, _inner_sums(t, k), Z)


def _over_2n(total: int, n: int) -> Fraction:
    if total == 0:
        return Fraction(0)
    tz = min((total & -total).bit_length() - 1, n)
    return coprime_fraction(total >> tz, 1 << (n - tz))


def symmetric_coefficient(values: Sequence[int] | np.ndarray, k: int, *, backend: str | None = None) -> Fraction:
    """``hat g(S) = E[g(c(x)) chi_S(x)]`` for any ``|S| = k`` (``k = 0``: the mean), exactly, at any ``n``.

    The sum over Hamming weights of the module docstring; ``values`` and ``backend`` as in
    :func:`krawtchouk_sum`. About 0.5 s at ``n = 10^6``, ``k = 3`` with gmpy2 (6 s with Python ints).

    Examples
    --------
    >>> n = 5
    >>> maj = [1 if c <= n // 2 else -1 for c in range(n + 1)]
    >>> symmetric_coefficient(maj, 1), symmetric_coefficient(maj, 3), symmetric_coefficient(maj, 2)
    (Fraction(3, 8), Fraction(-1, 8), Fraction(0, 1))
    """
    t = _table(values)
    return _over_2n(krawtchouk_sum(t, k, backend=backend), len(t) - 1)


def symmetric_levels(values: Sequence[int] | np.ndarray) -> list[Fraction]:
    """Every level ``hat g(k)``, ``k = 0..n``, from the Krawtchouk generating function (``n <= 2001``).

    Column ``k`` of the Krawtchouk table is the coefficient list of ``(1-z)^k (1+z)^{n-k}``; the next is
    this times ``(1-z)/(1+z)`` (an exact division by ``1+z``), so the whole table costs ``O(n^2)``
    big-integer additions.

    Examples
    --------
    >>> [str(v) for v in symmetric_levels([1, 1, -1, -1])]
    ['0', '1/2', '0', '-1/2']
    """
    t = _table(values)
    n = len(t) - 1
    if n > MAX_LEVELS_N:
        raise ValueError(f"values must hold g(0..n) with n <= {MAX_LEVELS_N} for all levels, got n = {n}")
    g = [int(v) for v in t]
    col = [1] * (n + 1)  # C(n, c), built by ratios
    for c in range(n):
        col[c + 1] = col[c] * (n - c) // (c + 1)
    out = []
    for k in range(n + 1):
        out.append(_over_2n(sum(v * kc for v, kc in zip(g, col, strict=True) if v), n))
        if k < n:
            q = [0] * n  # col / (1 + z): degree n - 1
            q[0] = col[0]
            for j in range(1, n):
                q[j] = col[j] - q[j - 1]
            col = [q[0]] + [q[j] - q[j - 1] for j in range(1, n)] + [-q[n - 1]]
    return out


def symmetric_influence(values: Sequence[int] | np.ndarray, *, backend: str | None = None) -> Fraction:
    """``Inf_i[g] = E[(D_i g)^2]`` of a symmetric ``g`` (the same for every coordinate), exactly.

    ``D_i g(x) = (g(x^{i -> 1}) - g(x^{i -> -1}))/2 = (g(c') - g(c'+1))/2`` with ``c'`` the number of
    -1 among the other ``n - 1`` coordinates, so ``Inf_i = 2^{1-n} sum_{c'} C(n-1, c') (g(c') - g(c'+1))^2 / 4``
    (O'Donnell 2014, Def. 2.13 and Prop. 2.21), a weight sum at level 0 on ``n - 1`` coordinates.

    Examples
    --------
    >>> symmetric_influence([1, 1, -1, -1])   # Maj_3: the other two coordinates disagree w.p. 1/2
    Fraction(1, 2)
    """
    t = _table(values)
    n = len(t) - 1
    if n < 1:
        raise ValueError("values must hold g(0..n) with n >= 1 for an influence, got n = 0")
    g = [int(v) for v in t]
    d2 = [(g[c] - g[c + 1]) ** 2 for c in range(n)]
    return _over_2n(krawtchouk_sum(d2, 0, backend=backend), n - 1) / 4


def symmetric_noise_stability(values: Sequence[int] | np.ndarray, rho: Any) -> Fraction:
    """``Stab_rho[g] = E[g(x) g(y)]`` with ``y`` rho-correlated to ``x``, exactly, for rational ``rho`` (``n <= 1001``).

    Summed over the weights ``c = c(x)`` and ``c' = c(y)``:
    ``sum_c Pr[c] g(c) sum_{c'} Pr[c' | c] g(c')``, where ``y_i = -x_i`` independently with probability
    ``(1 - rho)/2``, so ``sum_{c'} Pr[c' | c] z^{c'} = (u z + q)^c (q z + u)^{n-c}`` with
    ``u = (1 + rho)/2``, ``q = (1 - rho)/2``. Consecutive ``c`` differ by the factor
    ``(u z + q)/(q z + u)`` (one exact polynomial division), so this is ``O(n^2)`` integer operations.
    No Fourier coefficient is used: this is the definition (O'Donnell 2014, Def. 2.42), not Thm 2.49.

    Parameters
    ----------
    values : sequence of int
        ``g(0..n)``.
    rho : rational
        Correlation in ``[-1, 1]`` (int, Fraction, ``"1/3"``; floats at their exact binary value).

    Examples
    --------
    >>> symmetric_noise_stability([1, 1, -1, -1], "1/3")   # Maj_3: 3/4 rho + 1/4 rho^3
    Fraction(7, 27)
    """
    t = _table(values)
    n = len(t) - 1
    if n > MAX_STABILITY_N:
        raise ValueError(f"values must hold g(0..n) with n <= {MAX_STABILITY_N}, got n = {n}")
    r = Fraction(check_real("rho", rho, -1, 1, exact=True))
    g = [int(v) for v in t]
    A = r.denominator + r.numerator  # 2s u
    B = r.denominator - r.numerator  # 2s q
    # H(z) = (2s)^n sum_{c'} Pr[c' | c] z^{c'}, starting at c = 0: (B z + A)^n
    H = [0] * (n + 1)
    coef = A**n
    for j in range(n + 1):
        H[j] = coef
        if j < n:
            coef = (coef * (n - j) // (j + 1)) * B // A if A else 0
    if A == 0:  # rho = -1: y = -x
        H = [0] * n + [B**n]
    total = 0
    binom = 1
    for c in range(n + 1):
        if g[c]:
            total += binom * g[c] * sum(v * h for v, h in zip(g, H, strict=True) if v)
        if c < n:
            H = _times_ratio(H, A, B)
            binom = binom * (n - c) // (c + 1)
    return Fraction(total, (2 * r.denominator) ** n * (1 << n))


def _times_ratio(H: list[int], A: int, B: int) -> list[int]:
    """``H (A z + B) / (B z + A)``; ``H`` has the factor ``B z + A``."""
    n = len(H) - 1
    if A:
        q = [0] * n
        q[0] = H[0] // A
        for j in range(1, n):
            q[j] = (H[j] - B * q[j - 1]) // A
    else:  # divide by B z
        q = [h // B for h in H[1:]]
    # multiply the degree n-1 quotient by (A z + B)
    return [B * q[0]] + [A * q[j - 1] + B * q[j] for j in range(1, n)] + [A * q[n - 1]]
