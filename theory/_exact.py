"""Exact integer helpers: binomials and factorial ratios that stay fast for n up to ~10^7.

``math.comb(10**6, 5*10**5)`` takes over ten seconds on Python 3.11. Here a ratio of factorials is
evaluated through Legendre's formula on prime exponents, so numerator and denominator come out
coprime (no big gcd) and are assembled by a product tree.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Iterable
from fractions import Fraction
from functools import lru_cache
from typing import Any

__all__ = ["binomial", "factorial_ratio", "coprime_fraction", "exact_str", "binomial_ratio"]

_SMALL = 4096  # below this, plain math.comb/factorial is faster


@lru_cache(maxsize=4)
def _primes_upto(limit: int) -> tuple[int, ...]:
    sieve = bytearray([1]) * (limit + 1)
    sieve[0:2] = b"\x00\x00"
    for i in range(2, math.isqrt(limit) + 1):
        if sieve[i]:
            sieve[i * i :: i] = bytearray(len(range(i * i, limit + 1, i)))
    return tuple(i for i in range(limit + 1) if sieve[i])


def _product(xs: list[int]) -> int:
    if not xs:
        return 1
    while len(xs) > 1:
        nxt = [xs[i] * xs[i + 1] for i in range(0, len(xs) - 1, 2)]
        if len(xs) % 2:
            nxt.append(xs[-1])
        xs = nxt
    return xs[0]


def coprime_fraction(num: int, den: int) -> Fraction:
    """Build a Fraction from a numerator and denominator already known to be coprime (den > 0).

    Skips the gcd, which costs seconds for million-bit operands.
    """
    if hasattr(Fraction, "_from_coprime_ints"):  # Python >= 3.12
        return Fraction._from_coprime_ints(num, den)  # type: ignore[attr-defined]
    try:
        return Fraction(num, den, _normalize=False)  # type: ignore[call-overload]  # private kwarg, not in stubs
    except TypeError:  # pragma: no cover - future Pythons
        return Fraction(num, den)


def factorial_ratio(num_args: Iterable[int], den_args: Iterable[int], pow2: int = 0) -> Fraction:
    """Exact value of ``prod(a! for a in num_args) / prod(b! for b in den_args) * 2**pow2``.

    Examples
    --------
    >>> factorial_ratio([4], [2, 2])
    Fraction(6, 1)
    >>> factorial_ratio([2], [1, 1], pow2=-2)
    Fraction(1, 2)
    """
    na = [int(a) for a in num_args]
    da = [int(b) for b in den_args]
    if any(a < 0 for a in na + da):
        raise ValueError("factorial arguments must be non-negative")
    top = max(na + da + [1])
    if top < _SMALL:
        num = _product([math.factorial(a) for a in na])
        den = _product([math.factorial(b) for b in da])
        f = Fraction(num, den)
        return f * (1 << pow2) if pow2 >= 0 else f / (1 << -pow2)
    pos: list[int] = []
    neg: list[int] = []
    e2 = pow2
    root = math.isqrt(top)
    for p in _primes_upto(top):
        e = 0
        if p <= root:
            for a in na:
                while a:
                    a //= p
                    e += a
            for b in da:
                while b:
                    b //= p
                    e -= b
        else:  # p^2 > every argument: one Legendre term
            for a in na:
                e += a // p
            for b in da:
                e -= b // p
        if p == 2:
            e2 += e
        elif e > 0:
            pos.append(p**e if e > 1 else p)
        elif e < 0:
            neg.append(p ** (-e) if e < -1 else p)
    num = _product(pos)
    den = _product(neg)
    if e2 >= 0:
        num <<= e2
    else:
        den <<= -e2
    return coprime_fraction(num, den)


def _gmpy2() -> Any:
    try:
        import gmpy2  # GMP big integers (featurecheck[fast]); results are identical without it

        return gmpy2
    except ImportError:  # pragma: no cover - exercised where gmpy2 is absent
        return None


def binomial_ratio(num: Iterable[tuple[int, int]], den: Iterable[tuple[int, int]], pow2: int = 0) -> Fraction:
    """Exact ``prod C(a, b) over num / prod C(a, b) over den * 2**pow2``, in lowest terms.

    With gmpy2 the binomials are GMP's (subquadratic) and the reduction is one gcd plus a shift;
    without it, :func:`factorial_ratio` through prime exponents. Both give the same Fraction.

    Examples
    --------
    >>> binomial_ratio([(4, 2), (3, 1)], [(5, 2)], pow2=-2)
    Fraction(9, 20)
    """
    num, den = [(int(a), int(b)) for a, b in num], [(int(a), int(b)) for a, b in den]
    if any(not 0 <= b <= a for a, b in num + den):
        raise ValueError("binomial_ratio needs 0 <= b <= a in every C(a, b)")
    g = _gmpy2()
    if g is None or max([a for a, _ in num + den] + [0]) < _SMALL:
        return factorial_ratio([a for a, _ in num] + [a - b for a, b in den] + [b for _, b in den],
                               [a for a, _ in den] + [a - b for a, b in num] + [b for _, b in num], pow2)
    top, bottom = g.mpz(1), g.mpz(1)
    for a, b in num:
        top *= g.comb(a, b)
    for a, b in den:
        bottom *= g.comb(a, b)
    c = g.gcd(top, bottom)
    top, bottom = top // c, bottom // c
    if pow2 >= 0:
        z = min(g.bit_scan1(bottom) or 0, pow2)
        top, bottom = top << (pow2 - z), bottom >> z
    else:
        z = min(g.bit_scan1(top) or 0, -pow2) if top else 0
        top, bottom = top >> z, bottom << (-pow2 - z)
    return coprime_fraction(int(top), int(bottom))


def binomial(n: int, k: int) -> int:
    """Exact binomial coefficient C(n, k) (0 outside 0 <= k <= n), fast for huge n.

    Examples
    --------
    >>> binomial(5, 2), binomial(5, 7), binomial(5, -1)
    (10, 0, 0)
    """
    if k < 0 or k > n or n < 0:
        return 0
    k = min(k, n - k)
    if k < 64 or n < _SMALL:
        return math.comb(n, k)
    f = factorial_ratio([n], [k, n - k])
    return f.numerator


def _int_str(v: int) -> str:
    if v.bit_length() < 8192:
        return str(v)
    try:
        import gmpy2  # subquadratic conversion (featurecheck[fast])

        return str(gmpy2.mpz(v).digits(10))
    except ImportError:
        old = sys.get_int_max_str_digits()
        sys.set_int_max_str_digits(0)  # CPython's limit of 4300 digits; about 1.3 s per 10^6 bits
        try:
            return str(v)
        finally:
            sys.set_int_max_str_digits(old)


def exact_str(x: Any) -> str:
    """``str`` of an exact int or Fraction of any size (``"-35/256"``), without Python's 4300-digit limit.

    Examples
    --------
    >>> from fractions import Fraction
    >>> exact_str(Fraction(-35, 256)), exact_str(Fraction(4, 2)), len(exact_str(Fraction(1, 2**20000)))
    ('-35/256', '2', 6023)
    """
    if isinstance(x, Fraction):
        if x.denominator == 1:
            return _int_str(x.numerator)
        return f"{_int_str(x.numerator)}/{_int_str(x.denominator)}"
    if isinstance(x, int) and not isinstance(x, bool):
        return _int_str(x)
    return str(x)
