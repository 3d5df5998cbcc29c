"""Per-level inputs of ``theory.boolean`` refuse per-set spectra and malformed values (issue 17).

A per-set spectrum (``2^n`` values indexed by the set) read as per-level values gives a wrong number
without any error; with ``n`` given, every function taking levels checks the length. Expected values
are brute-force sums over ``{-1,1}^3`` written here.
"""

from __future__ import annotations

import itertools
from fractions import Fraction

import pytest

from featurecheck.theory import boolean as B

MAJ3_BY_SET = [0, Fraction(1, 2), Fraction(1, 2), 0, Fraction(1, 2), 0, 0, Fraction(-1, 2)]  # 2^3 values


def brute_level_weights_maj3() -> list[Fraction]:
    w = [Fraction(0)] * 4
    pts = list(itertools.product((1, -1), repeat=3))
    for S in itertools.product((0, 1), repeat=3):
        c = Fraction(sum((1 if sum(x) > 0 else -1) * (-1) ** sum(s * (x_ == -1) for s, x_ in zip(S, x, strict=True))
                         for x in pts), 8)
        w[sum(S)] += c * c
    return w


@pytest.mark.parametrize("func", [B.level_weights, B.parseval_sum, B.total_influence, B.noise_stability])
def test_per_set_spectrum_refused_with_n(func) -> None:  # noqa: ANN001
    with pytest.raises(ValueError, match=r"levels must hold the n\+1 = 4 per-level values .* got 8 values "
                                         r"\(a per-set spectrum has 2\^n = 8"):
        func(MAJ3_BY_SET, n=3)
    with pytest.raises(ValueError, match="levels must be a sequence"):
        func({0: 0, 1: Fraction(1, 2)}, n=1)
    with pytest.raises(ValueError, match=r"levels\[1\] must be a rational number, got 'x'"):
        func([0, "x", 0, 0], n=3)
    with pytest.raises(ValueError, match=r"n must be an integer in \[0, "):
        func([0, 1], n=-1)


def test_levels_with_n_give_brute_force_values() -> None:
    levels = B.majority_levels(3)
    expect = brute_level_weights_maj3()
    assert B.level_weights(levels, n=3) == expect == B.level_weights(levels)
    assert B.parseval_sum(levels, n=3) == 1
    assert B.total_influence(levels, n=3) == sum(k * w for k, w in enumerate(expect))
    coeffs = B.noise_stability(levels, n=3).all_coeffs()  # highest power first
    assert [Fraction(int(c.p), int(c.q)) for c in coeffs] == expect[::-1]

def test_influences_still_refuses_per_set_spectrum() -> None:
    with pytest.raises(ValueError, match="a per-set spectrum has 2\\^n = 8"):
        B.influences(MAJ3_BY_SET, 3)
