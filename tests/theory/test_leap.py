"""Leap complexity (theory/leap.py): closure and branch-and-bound search against brute force.

The reference route is exhaustive enumeration of all M! orderings (``leap_bruteforce``), plus hand
values from the definition (staircase 1, k-parity k). No Monte Carlo: 0 statistical checks, false-alarm
rate 0.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from featurecheck.theory import leap as Lp

walsh_sets = st.lists(st.frozensets(st.integers(0, 6), min_size=1, max_size=4), min_size=1, max_size=6)
herm_idx = st.lists(st.dictionaries(st.integers(0, 4), st.integers(1, 3), min_size=1, max_size=3),
                    min_size=1, max_size=6)


def _check_order(r: Lp.LeapResult) -> None:
    cov: set[int] = set()
    for m, s in zip(r.order, r.steps, strict=True):
        assert Lp.new_degree(m, cov) == s <= r.leap
        cov.update(i for i, _ in m)


@given(walsh_sets)
def test_walsh_closure_and_search_match_bruteforce(sets) -> None:
    b = Lp.leap_bruteforce(sets).leap
    for method in ("closure", "search"):
        r = Lp.leap(sets, method=method)
        assert r.leap == b
        assert len(r.order) == len({frozenset(s) for s in sets})
        _check_order(r)


@given(herm_idx)
def test_hermite_closure_and_search_match_bruteforce(idx) -> None:
    b = Lp.leap_bruteforce(idx, kind="hermite").leap
    for method in ("closure", "search"):
        r = Lp.leap(idx, kind="hermite", method=method)
        assert r.leap == b
        _check_order(r)


def test_hand_values() -> None:
    assert Lp.leap([{0}, {0, 1}, {0, 1, 2}, {0, 1, 2, 3}]).leap == 1  # staircase
    for k in range(1, 6):
        assert Lp.leap([set(range(k))]).leap == k  # isolated k-parity
        assert Lp.leap([{i: 1 for i in range(k)}], kind="hermite").leap == k
        assert Lp.leap([{0: k}], kind="hermite").leap == k  # He_k(z0): information exponent k
    assert Lp.leap([{0: 1}, {0: 3, 1: 1}], kind="hermite").leap == 1
    assert Lp.leap([{0: 2}, {0: 1, 1: 2}], kind="hermite").leap == 2
    assert Lp.leap([]).leap == 0
    # negative controls: an off-by-one value is never what brute force says
    for sets in ([{0, 1, 2}], [{0}, {0, 1}, {2, 3, 4}]):
        assert Lp.leap(sets).leap != Lp.leap_bruteforce(sets).leap + 1


def test_search_prunes() -> None:
    sets = [set(range(i + 1)) for i in range(20)]  # long staircase: leap 1
    r = Lp.leap(sets, method="search")
    assert r.leap == 1 and r.nodes < 100


def test_parsers() -> None:
    assert Lp.parse_walsh("x0*x1 + x0*x1*x2") == [frozenset({0, 1}), frozenset({0, 1, 2})]
    assert Lp.parse_walsh("x0**2*x1") == [frozenset({1})]  # x0^2 = 1 on the cube
    assert Lp.parse_walsh("x0*x1 - x1*x0 + x2") == [frozenset({2})]
    assert Lp.parse_hermite("He1(z0)*He1(z0)") == [{0: 2}]  # He1^2 = He2 + 1
    assert Lp.leap_of_text("He2(z0)*He1(z1) + He3(z2)", hermite=True).leap == 3
    for bad in ("x0*y", "import os", "x0 +* x1", "__class__", "exp(x0)"):
        with pytest.raises(ValueError, match="polynomial"):
            Lp.parse_walsh(bad)


def test_conjecture_labelled() -> None:
    for L, e in ((0, 1), (1, 1), (2, 1), (3, 2), (5, 4)):
        c = Lp.sgd_steps_conjecture(L)
        assert c.exponent == e and c.status == "conjecture"
    with pytest.raises(ValueError, match="leap"):
        Lp.sgd_steps_conjecture(-1)
