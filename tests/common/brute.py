"""Independent brute-force references for tests (pure Python, no featurecheck code)."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from fractions import Fraction


def brute_coefficient(f: Callable[[Sequence[int]], int], n: int, k: int) -> Fraction:
    """E[f(x) x_0 ... x_{k-1}] by summing over all of {-1,1}^n."""
    total = 0
    for x in itertools.product((1, -1), repeat=n):
        c = 1
        for i in range(k):
            c *= x[i]
        total += f(x) * c
    return Fraction(total, 2**n)


def maj(x: Sequence[int]) -> int:
    """Majority of a ±1 sequence of odd length."""
    return 1 if sum(x) > 0 else -1
