"""Arbitrary Boolean functions (``estimators.boolean_function``) against brute force.

Every expected value comes from plain-Python sums over ``{-1,1}^n`` written here (points in index
order, ``x_i = -1`` iff bit ``i`` of the index is set), from a second route (influence as the
probability of a flip changing ``f``, noise stability as an exact sum over pairs ``(x, y)``), or from
an independent closed form (``theory.boolean.majority_coefficient``). Monte Carlo checks use fixed
seeds and ``alpha = 1e-6`` intervals: each could fail with probability ``<= 1e-6`` over seeds, and
with the seed fixed the outcome is deterministic (no flakiness).
"""

from __future__ import annotations

import itertools
import random
import re
from fractions import Fraction

import numpy as np
import pytest

from featurecheck.numerics.estimators import boolean_function as BF
from featurecheck.theory.boolean import majority_coefficient


# ---------------------------------------------------------------- brute force (independent)
def points(n: int) -> list[tuple[int, ...]]:
    """All of {-1,1}^n in index order: x_i = -1 iff bit i of the index is set."""
    return [tuple(-1 if (x >> i) & 1 else 1 for i in range(n)) for x in range(2**n)]


def brute_coef(vals: list[int], n: int, S: int) -> Fraction:
    tot = 0
    for x, p in enumerate(points(n)):
        c = 1
        for i in range(n):
            if S >> i & 1:
                c *= p[i]
        tot += vals[x] * c
    return Fraction(tot, 2**n)


def brute_levels(vals: list[int], n: int) -> list[Fraction]:
    w = [Fraction(0)] * (n + 1)
    for S in range(2**n):
        w[bin(S).count("1")] += brute_coef(vals, n, S) ** 2
    return w


def flip_influence(vals: list[int], n: int, i: int) -> Fraction:
    """Pr[f(x) != f(x with coordinate i flipped)] (a ±1-valued f)."""
    return Fraction(sum(vals[x] != vals[x ^ (1 << i)] for x in range(2**n)), 2**n)


def pair_stability(vals: list[int], n: int, rho: Fraction) -> Fraction:
    """E[f(x) f(y)] summed over all pairs, Pr[y_i = x_i] = (1 + rho)/2 independently."""
    tot = Fraction(0)
    same, diff = (1 + rho) / 2, (1 - rho) / 2
    for x in range(2**n):
        for y in range(2**n):
            d = bin(x ^ y).count("1")
            tot += vals[x] * vals[y] * same ** (n - d) * diff**d
    return tot / 2**n


def random_pm(rng: random.Random, n: int) -> list[int]:
    return [rng.choice((1, -1)) for _ in range(2**n)]


# ---------------------------------------------------------------- conventions
def test_conventions_bits_hex_and_encoding() -> None:
    f = BF.from_bits("0001")  # the bit at index 3 = (x0, x1) = (-1, -1)
    assert f.table.tolist() == [1, 1, 1, -1]
    assert f([-1, -1]) == -1 and f([1, -1]) == 1
    # AND_2 with True = -1: (1 + x0 + x1 - x0 x1)/2
    assert [str(c) for c in f.spectrum()] == ["1/2", "1/2", "1/2", "-1/2"]
    maj3 = [1 if sum(p) > 0 else -1 for p in points(3)]
    assert BF.from_hex("0xE8").table.tolist() == maj3
    assert BF.from_hex("0xe8", n=3) == BF.from_expression("maj(x0,x1,x2)")
    assert BF.from_hex("0x2", n=1).table.tolist() == [1, -1]
    assert BF.from_bits("0001", pm=False).table.tolist() == [0, 0, 0, 1]
    assert BF.from_expression("x0", n=2) == BF.from_bits("0101")


@pytest.mark.parametrize("n", [1, 2, 3, 4, 5])
def test_hex_and_bits_agree(n: int) -> None:
    rng = random.Random(100 + n)
    bits = "".join(rng.choice("01") for _ in range(2**n))
    f = BF.from_bits(bits)
    assert f.table.tolist() == [1 - 2 * int(b) for b in bits]
    h = hex(int(bits[::-1], 2))  # bit x of the number = character x
    assert BF.from_hex(h, n=n) == f
    assert BF.from_hex(f.to_hex()) == f if n >= 2 else BF.from_hex(f.to_hex(), n=n) == f


# ---------------------------------------------------------------- exact quantities vs brute force
@pytest.mark.parametrize("n", [0, 1, 2, 3, 4, 5])
def test_random_functions_against_brute_force(n: int) -> None:
    rng = random.Random(7 * n + 1)
    for _ in range(3):
        vals = random_pm(rng, n)
        f = BF.from_table(vals)
        assert f.n == n and f.is_boolean
        spec = f.spectrum()
        brute = [brute_coef(vals, n, S) for S in range(2**n)]
        assert spec == brute
        assert f.coefficient(2**n - 1) == brute[-1]
        assert f.level_weights() == brute_levels(vals, n)
        assert sum(f.level_weights()) == 1  # Parseval
        infl = f.influences()
        assert infl == [flip_influence(vals, n, i) for i in range(n)]
        assert f.total_influence() == sum(infl, Fraction(0))
        nz = [bin(S).count("1") for S in range(2**n) if brute[S]]
        assert f.degree() == max(nz, default=0)
        assert f.chow() == (brute[0], *(brute[1 << i] for i in range(n)))
        assert f.mean() == brute[0]
        if n <= 4:
            for rho in (Fraction(1, 3), Fraction(-2, 5)):
                stab = pair_stability(vals, n, rho)
                assert f.noise_stability_at(rho) == stab
                assert f.noise_stability().eval(rho) == stab  # sympy Rational == Fraction


@pytest.mark.parametrize("n", [2, 3, 4])
def test_integer_valued_tables(n: int) -> None:
    rng = random.Random(n)
    vals = [rng.randint(-5, 9) for _ in range(2**n)]
    f = BF.from_table(np.array(vals, dtype=np.int16))
    assert not f.is_boolean
    assert f.spectrum() == [brute_coef(vals, n, S) for S in range(2**n)]
    assert f.level_weights() == brute_levels(vals, n)
    assert sum(f.level_weights()) == Fraction(sum(v * v for v in vals), 2**n)  # Parseval: E[f^2]


def test_level_sums_big_values_use_python_ints() -> None:
    vals = [2**40, -(2**40), 3, 2**41]  # squares of the Walsh sums overflow int64
    f = BF.from_table(vals)
    assert f.level_weights() == brute_levels(vals, 2)
    coefs = [brute_coef(vals, 2, S) for S in range(4)]
    assert f.influences() == [coefs[1] ** 2 + coefs[3] ** 2, coefs[2] ** 2 + coefs[3] ** 2]


# ---------------------------------------------------------------- restrictions and combinations
def test_restrictions_against_brute_force() -> None:
    rng = random.Random(5)
    n = 5
    vals = random_pm(rng, n)
    f = BF.from_table(vals)
    for fixed in ({0: 1}, {4: -1}, {1: -1, 3: 1}, {0: 1, 1: 1, 2: -1, 3: -1, 4: 1}):
        g = f.restrict(fixed)
        free = [i for i in range(n) if i not in fixed]
        assert g.n == len(free)
        for y in points(len(free)):
            x = [0] * n
            for i, v in fixed.items():
                x[i] = v
            for j, i in enumerate(free):
                x[i] = y[j]
            assert g(y) == f(x)


def test_and_or_xor_product_against_brute_force() -> None:
    rng = random.Random(9)
    n = 4
    a, b = random_pm(rng, n), random_pm(rng, n)
    f, g = BF.from_table(a), BF.from_table(b)
    # encoding: True = -1
    assert (f & g).table.tolist() == [-1 if (u == -1 and v == -1) else 1 for u, v in zip(a, b, strict=True)]
    assert (f | g).table.tolist() == [-1 if (u == -1 or v == -1) else 1 for u, v in zip(a, b, strict=True)]
    assert (f ^ g).table.tolist() == [u * v for u, v in zip(a, b, strict=True)]
    assert (f * g) == (f ^ g)
    assert (~f).table.tolist() == [-u for u in a]
    assert (f & g).spectrum() == [brute_coef([-1 if (u == -1 and v == -1) else 1 for u, v in zip(a, b, strict=True)],
                                             n, S) for S in range(2**n)]


def test_operations_validate() -> None:
    f = BF.from_bits("0110")
    with pytest.raises(ValueError, match="n=2 and n=3"):
        f & BF.from_bits("01101001")
    with pytest.raises(ValueError, match="±1-valued"):
        f | BF.from_table([0, 1, 1, 0])
    with pytest.raises(ValueError, match=r"fixed\[0\] must be \+1 or -1, got 0"):
        f.restrict({0: 0})
    with pytest.raises(ValueError, match=r"fixed coordinate must be an integer in \[0, 1\], got 2"):
        f.restrict({2: 1})


# ---------------------------------------------------------------- expressions
def random_expression(rng: random.Random, n: int, depth: int) -> tuple[str, object]:
    """Draw a random expression as text and as an independent Python evaluator on bit tuples."""
    if depth == 0 or rng.random() < 0.25:
        i = rng.randrange(n)
        return f"x{i}", lambda b, i=i: b[i]
    kind = rng.choice(["&", "|", "^", "~", "maj", "thr"])
    if kind == "~":
        t, e = random_expression(rng, n, depth - 1)
        return f"~{t}", lambda b, e=e: 1 - e(b)
    if kind in "&|^":
        (t1, e1), (t2, e2) = random_expression(rng, n, depth - 1), random_expression(rng, n, depth - 1)
        ops = {"&": lambda u, v: u & v, "|": lambda u, v: u | v, "^": lambda u, v: u ^ v}
        return f"({t1} {kind} {t2})", lambda b, e1=e1, e2=e2, op=ops[kind]: op(e1(b), e2(b))
    m = rng.choice([1, 3, 5]) if kind == "maj" else rng.randint(1, 4)
    args = [random_expression(rng, n, depth - 1) for _ in range(m)]
    k = (m + 1) // 2 if kind == "maj" else rng.randint(0, m + 1)
    text = f"maj({', '.join(t for t, _ in args)})" if kind == "maj" else f"thr({k}, {', '.join(t for t, _ in args)})"
    return text, lambda b, es=[e for _, e in args], k=k: int(sum(e(b) for e in es) >= k)


@pytest.mark.parametrize("seed", range(6))
def test_random_expressions_against_python_evaluation(seed: int) -> None:
    rng = random.Random(seed)
    n = rng.randint(1, 5)
    text, ev = random_expression(rng, n, 4)
    f = BF.from_expression(text, n)
    bits = [tuple((x >> i) & 1 for i in range(n)) for x in range(2**n)]
    expect = [1 - 2 * ev(b) for b in bits]
    assert f.table.tolist() == expect, text
    assert f.spectrum() == [brute_coef(expect, n, S) for S in range(2**n)]
    e = BF.parse_expression(text, n)
    assert [e.evaluate_bits(b) for b in bits] == [ev(b) for b in bits]


@pytest.mark.parametrize("text,py", [
    ("x0 | x1 & x2", lambda b: b[0] | (b[1] & b[2])),
    ("x0 ^ x1 & x2", lambda b: b[0] ^ (b[1] & b[2])),
    ("x0 | x1 ^ x2", lambda b: b[0] | (b[1] ^ b[2])),
    ("~x0 & x1", lambda b: (1 - b[0]) & b[1]),
    ("~(x0 & x1) | 0", lambda b: 1 - (b[0] & b[1])),
    ("thr(0, x0, x1) ^ 1 ^ x2", lambda b: 1 ^ 1 ^ b[2]),
])
def test_expression_precedence(text: str, py) -> None:  # noqa: ANN001
    f = BF.from_expression(text, 3)
    assert f.table.tolist() == [1 - 2 * py(tuple((x >> i) & 1 for i in range(3))) for x in range(8)]


@pytest.mark.parametrize("text,fragment", [
    ("__import__('os').system('true')", "unexpected character"),
    ("x0 + x1", re.escape("unexpected character '+' at position 3")),
    ("x0 & (x1", re.escape("expected ')', got end of input")),
    ("x0 x1", "expected an operator or the end"),
    ("maj(x0, x1)", "odd number of arguments"),
    ("thr(5, x0, x1)", r"k in \[0, 3\], got 5"),
    ("thr(x0, x1)", "the integer k"),
    ("", "non-empty"),
    ("x5000", r"indices must be in \[0, 4095\]"),
    ("~" * 300 + "x0", "nesting depth"),
    ("(" * 300 + "x0" + ")" * 300, "nesting depth"),
])
def test_expression_parser_rejects(text: str, fragment: str) -> None:
    with pytest.raises(ValueError, match=fragment):
        BF.parse_expression(text)


def test_expression_n_validation() -> None:
    assert BF.parse_expression("x2", n=5).n == 5
    with pytest.raises(ValueError, match=r"n must be an integer in \[3, 4096\], got 2"):
        BF.parse_expression("x0 & x2", n=2)
    with pytest.raises(ValueError, match=r"n must be an integer in \[0, 20\], got 21"):
        BF.from_expression("x20")


# ---------------------------------------------------------------- LTFs
def brute_ltf(w: list[Fraction], theta: Fraction, strict: bool = False) -> list[int]:
    out = []
    for p in points(len(w)):
        d = sum(wi * xi for wi, xi in zip(w, p, strict=True))
        out.append(1 if (d > theta if strict else d >= theta) else -1)
    return out


@pytest.mark.parametrize("w,theta", [
    ([31, 31, 28, 21, 2, 2], 0),
    ([5, 3, 3, 1, 1], 2),
    ([1, -2, 3, -4], Fraction(-1, 2)),
    ([Fraction(1, 2), Fraction(2, 3), 1], Fraction(1, 6)),
    ([2**61, 2**61, 1], 1),  # beyond int64 sums: the Python-int route
])
def test_ltf_against_brute_force(w: list, theta: Fraction) -> None:
    fw = [Fraction(v) for v in w]
    expect = brute_ltf(fw, Fraction(theta))
    f = BF.ltf(w, theta)
    assert f.table.tolist() == expect
    assert f.spectrum() == [brute_coef(expect, len(w), S) for S in range(2 ** len(w))]
    assert BF.ltf(w, theta, pm=False).table.tolist() == [(1 + v) // 2 for v in expect]


def test_ltf_tie_rule_and_cube_threshold() -> None:
    # w.x = 0 at x = (1, -1): >= gives +1, > gives -1
    assert BF.ltf([1, 1], 0).table.tolist() == [1, 1, 1, -1]
    assert BF.ltf([1, 1], 0, strict=True).table.tolist() == [1, -1, -1, -1]
    # a second route: the existing ±1-weight threshold of estimators.cube
    from featurecheck.numerics.estimators.cube import threshold
    from featurecheck.numerics.estimators.walsh import truth_table

    for theta in (-2, 0, 1, Fraction(3, 2)):
        t = threshold(4, theta, weights=[1, -1, 1, 1])
        assert BF.ltf([1, -1, 1, 1], theta, pm=False).table.tolist() == truth_table(t).tolist()


@pytest.mark.parametrize("kwargs,fragment", [
    ({"weights": [1, 2, 3], "n": 4}, "weights must have n = 4 entries"),
    ({"weights": []}, "between 1 and 20 entries"),
    ({"weights": [1, "a"]}, r"weights\[1\] must be a finite real"),
    ({"weights": "123"}, "weights must be a sequence"),
    ({"weights": [1, 2], "theta": "nan"}, "theta must be a finite real"),
])
def test_ltf_validation(kwargs: dict, fragment: str) -> None:
    with pytest.raises(ValueError, match=fragment):
        BF.ltf(**kwargs)


# ---------------------------------------------------------------- truth table validation
@pytest.mark.parametrize("make,fragment", [
    (lambda: BF.from_table([1, -1, 1]), "got length 3 .not a power of two"),
    (lambda: BF.from_table([]), "got length 0"),
    (lambda: BF.from_table([[1, 1], [1, 1]]), "1-d array"),
    (lambda: BF.from_table([1, 0.5]), r"table\[1\] must be an integer, got 0.5"),
    (lambda: BF.from_table([True, False]), "got booleans"),
    (lambda: BF.from_table("0110"), "use from_bits"),
    (lambda: BF.from_bits("012"), "0s and 1s"),
    (lambda: BF.from_bits("011"), "length 2\\^n .* got length 3"),
    (lambda: BF.from_hex("0xE8", n=2), r"more than 2\^n = 4 bits"),
    (lambda: BF.from_hex("0xABC"), "3 digits = 12 bits, not a power of two"),
    (lambda: BF.from_hex("0xZZ"), "hexadecimal"),
    (lambda: BF.from_hex("0x1", n=21), r"n must be an integer in \[0, 20\], got 21"),
    (lambda: BF.from_callable(lambda x: 0.5, 2), r"table\[0\] must be an integer"),
    (lambda: BF.from_callable(3, 2), "func must be callable"),
])
def test_table_validation(make, fragment: str) -> None:  # noqa: ANN001
    with pytest.raises(ValueError, match=fragment):
        make()


def test_from_callable_point_and_vectorized() -> None:
    f = BF.from_callable(lambda x: x[0] * x[2], 3)
    assert f.spectrum() == [Fraction(1) if S == 0b101 else Fraction(0) for S in range(8)]
    g = BF.from_callable(lambda X: np.where(X.sum(axis=1) > 0, 1, -1), 5, vectorized=True)
    assert g == BF.from_callable(lambda x: 1 if sum(x) > 0 else -1, 5)
    assert g.coefficient([0, 1, 2]) == majority_coefficient(5, 3)


# ---------------------------------------------------------------- Monte Carlo
def test_expression_mc_beyond_tabulation() -> None:
    # n = 130 > MAX_TABLE_N, variables in three words; Maj3(x0,x64,x129) xor x100 in ±1 is Maj3 * x100
    e = "maj(x0, x64, x129) ^ x100"
    est = BF.coefficient_mc(e, [0, 100], n=130, samples=200_000, seed=3, alpha=1e-6)
    assert est.contains(0.5) and est.n_samples == 200_000
    assert BF.coefficient_mc(e, [0, 100], n=130, samples=200_000, seed=3, alpha=1e-6) == est  # reproducible
    est0 = BF.coefficient_mc(e, [0, 64], n=130, samples=200_000, seed=4, alpha=1e-6)
    assert est0.contains(0.0)
    # 0/1 values: Pr[at least 2 of 3 True] = 1/2
    m = BF.coefficient_mc("thr(2, x60, x70, x130)", (), samples=100_000, seed=5, alpha=1e-6, pm=False)
    assert m.contains(0.5) and m.ci[1] - m.ci[0] < 0.05


def test_expression_mc_matches_exact_small_n() -> None:
    text = "(x0 & x1) | (x2 ^ ~x3)"
    exact = BF.from_expression(text)
    for S in (0, 0b0001, 0b1100, 0b1111):
        est = BF.coefficient_mc(text, S, samples=100_000, seed=S, alpha=1e-6)
        assert est.contains(exact.coefficient(S)), (S, est)


def test_callable_mc_against_closed_form() -> None:
    n = 101

    def maj(X: np.ndarray) -> np.ndarray:
        return np.where(X.sum(axis=1, dtype=np.int64) > 0, 1, -1)

    est = BF.coefficient_mc(maj, [0, 1, 2], n=n, samples=200_000, seed=1, alpha=1e-6)
    assert est.contains(majority_coefficient(n, 3))
    slow = BF.coefficient_mc(lambda x: 1 if sum(x) > 0 else -1, [5], n=7, samples=3_000, seed=2, alpha=1e-6,
                             vectorized=False)
    assert slow.contains(majority_coefficient(7, 1))


def test_mc_validation() -> None:
    with pytest.raises(ValueError, match="n is required for a callable"):
        BF.coefficient_mc(lambda X: X[:, 0], [0])
    with pytest.raises(ValueError, match=r"value_range\[1\] must be an integer in \[-1, 1048576\]"):
        BF.coefficient_mc(lambda X: X[:, 0], [0], n=3, samples=10, value_range=(-1, 2**40))
    with pytest.raises(ValueError, match="outside value_range"):
        BF.coefficient_mc(lambda X: 2 * X[:, 0], [0], n=3, samples=10)
    with pytest.raises(ValueError, match=r"samples must be an integer in \[2, "):
        BF.coefficient_mc("x0", [0], samples=1)
    with pytest.raises(ValueError, match="interval must be one of"):
        BF.coefficient_mc("x0", [0], samples=10, interval="exact")
    with pytest.raises(ValueError, match=r"S element must be an integer in \[0, 1\], got 5"):
        BF.coefficient_mc("x1", [5], samples=10)


def test_evaluate_bits_beyond_one_word_and_validation() -> None:
    e = BF.parse_expression("x0 & ~x64 | thr(2, x1, x70, x3)")  # n = 71: the bits span two words
    point = [0] * 71
    assert e.evaluate_bits(point) == 0
    point[0] = 1
    assert e.evaluate_bits(point) == 1  # x0 & ~x64
    point[64] = 1
    assert e.evaluate_bits(point) == 0
    point[70] = point[3] = 1
    assert e.evaluate_bits(point) == 1  # two of x1, x70, x3
    with pytest.raises(ValueError, match="length n = 71"):
        e.evaluate_bits([1, 0])
    with pytest.raises(ValueError, match="0/1 sequence"):
        e.evaluate_bits([2] + [0] * 70)


def test_kernels_match_py_func() -> None:
    from featurecheck.numerics._kernels import boolfunc as K
    from featurecheck.numerics._kernels.rng import Purpose, stream_key

    e = BF.parse_expression("thr(2, x0, ~x1, x3 ^ x2) | maj(x4, x0, x1)")
    key = stream_key(11, Purpose.BOOLEAN_MC)
    smask = np.array([0b10011], dtype=np.uint64)
    a, b = np.zeros(2, dtype=np.int64), np.zeros(2, dtype=np.int64)
    args = (e.program, np.int64(e.depth), np.int64(1), key, np.uint64(2), np.int64(64), smask)
    K.expression_chunk(*args, True, a)
    K.expression_chunk.py_func(*args, True, b)
    assert a.tolist() == b.tolist()
    words = K.chunk_words(np.int64(1), key, np.uint64(2), np.int64(64))
    assert words.tolist() == K.chunk_words.py_func(np.int64(1), key, np.uint64(2), np.int64(64)).tolist()
    # the kernel's sums equal the table's values at the sampled points
    tab = e.table()
    pts = words[:, 0] & np.uint64(31)
    vals = [int(tab[int(x)]) * (-1) ** bin(int(x) & 0b10011).count("1") for x in pts]
    assert a.tolist() == [sum(vals), sum(v * v for v in vals)]


def test_all_points_of_itertools_order() -> None:
    # the brute-force point order above is the module's index order (a check on the test itself)
    f = BF.from_callable(lambda x: -1 if x == (-1, 1, 1) else 1, 3)
    assert f.table.tolist() == [1, -1, 1, 1, 1, 1, 1, 1]
    assert points(3)[1] == (-1, 1, 1)
    assert sorted(points(3)) == sorted(itertools.product((1, -1), repeat=3))
