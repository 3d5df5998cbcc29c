"""Exact finite-sample formulas behind the parity bounds: GF(2) full rank, ERM success, Krawtchouk values.

Python ints and Fractions only; the numeric checks in :mod:`featurecheck.numerics.estimators.bound_checks`
compare against these.
"""

from __future__ import annotations

from fractions import Fraction

from featurecheck.theory._exact import binomial as _binomial

__all__ = ["gf2_full_rank_probability", "erm_union_bound", "erm_bonferroni_upper", "krawtchouk"]


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
