"""Monte Carlo Fourier coefficients of featurecheck.numerics.estimators.cube against the closed forms of featurecheck.theory.boolean.

Expected values come from independent routes only: the exact closed forms of :mod:`featurecheck.theory.boolean`
(O'Donnell 2014, Thm 5.19; the LTF Krawtchouk sum), the identities ``hat(f chi_P)(S) = hat f(S xor P)``
and ``hat T_w(S) = prod_{i in S} w_i hat T(S)`` (substitute ``y_i = w_i x_i``), a pure-Python
evaluation of the functions, and numpy popcounts of the very words the kernels draw.

False-alarm arithmetic
----------------------
Every Monte Carlo assertion below is "the exact value lies in the two-sided 1 - ALPHA interval" with
``ALPHA = 1e-6`` and the interval named at the assertion (empirical Bernstein unless stated;
Hoeffding where drawn). The checks are

- 5 Hypothesis property tests x at most ``max_examples`` examples each (40 in the ``ci`` profile)
  = at most 200 interval checks,
- 11 multi-word boundary checks (``test_multiword_boundaries``),
- 4 positive checks inside the negative-control tests,

so at most ``MAX_CHECKS = 215`` checks in the ``ci`` profile and, by the union bound, a family-wise
false-alarm probability of at most ``215 * 1e-6 = 2.2e-4`` per run (``test_false_alarm_budget``
recomputes this from the loaded profile; the ``nightly`` profile, 1000 examples, stays below 6e-3).
Seeds are fixed and Hypothesis is derandomised, so a run is deterministic: the bound is the chance
that this fixed configuration is a false alarm. The negative controls (wrong sign, factor 1.05, the
next level) are rejections; each asserts first that the perturbation is larger than the interval
width, so the rejection is forced by the sample size, not by luck.
"""

from __future__ import annotations

import math
from fractions import Fraction

import numba
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from featurecheck.numerics._kernels import cube as K
from featurecheck.numerics._kernels.rng import LANES, Purpose, fill_lane_words, stream_key
from featurecheck.numerics.estimators import cube
from featurecheck.numerics.estimators.cube import (
    CHUNK,
    constant,
    fourier_coefficient_exact,
    fourier_coefficient_mc,
    majority,
    mean_exact,
    mean_mc,
    parity,
    threshold,
)
from featurecheck.theory import boolean as B

ALPHA = 1e-6
N_PROPERTY_TESTS = 5
N_FIXED_CHECKS = 11 + 4
SAMPLES = 1 << 15
MAX_N = 1001


def _sym_diff_size(S, P) -> int:
    return len(set(S) ^ set(P))


def _assert_in(est, exact, what: str) -> None:
    assert est.contains(exact), (
        f"{what}: exact {float(exact):.6g} not in the {est.interval} 1-{est.alpha:g} interval {est.ci} "
        f"(estimate {est.value:.6g}, N={est.n_samples}, seed={est.seed})"
    )


def test_false_alarm_budget() -> None:
    max_checks = N_PROPERTY_TESTS * settings.default.max_examples + N_FIXED_CHECKS
    fwer = max_checks * ALPHA
    assert ALPHA == 1e-6
    if settings.default.max_examples <= 40:
        assert max_checks <= 215 and fwer <= 2.2e-4
    assert fwer <= 6e-3


# --------------------------------------------------------------------------------------------------
# Property tests: closed forms inside the Monte Carlo interval, n up to about 1000
# --------------------------------------------------------------------------------------------------

odd_n = st.integers(0, (MAX_N - 1) // 2).map(lambda j: 2 * j + 1)
seeds = st.integers(0, 2**32)
kinds = st.sampled_from(["bernstein", "hoeffding"])


def _subset(data: st.DataObject, n: int, max_k: int = 7) -> list[int]:
    k = data.draw(st.integers(0, min(n, max_k)), label="k")
    return data.draw(st.lists(st.integers(0, n - 1), min_size=k, max_size=k, unique=True), label="S")


def _thetas(n: int) -> st.SearchStrategy:
    return st.one_of(
        st.integers(-n - 2, n + 2),
        st.fractions(min_value=-n - 2, max_value=n + 2, max_denominator=4),
    )


@given(odd_n, seeds, kinds, st.data())
def test_majority_closed_form_in_interval(n: int, seed: int, kind: str, data: st.DataObject) -> None:
    S = _subset(data, n)
    est = fourier_coefficient_mc(majority(n), S, samples=SAMPLES, seed=seed, alpha=ALPHA, interval=kind)
    _assert_in(est, B.majority_coefficient(n, len(S)), f"hat Maj_{n}({S})")


@given(st.integers(1, MAX_N - 1), seeds, st.booleans(), st.booleans(), st.data())
def test_threshold_closed_form_in_interval(n: int, seed: int, pm: bool, strict: bool, data: st.DataObject) -> None:
    theta = data.draw(_thetas(n), label="theta")
    S = _subset(data, n)
    est = fourier_coefficient_mc(threshold(n, theta, pm=pm, strict=strict), S, samples=SAMPLES, seed=seed,
                                 alpha=ALPHA, interval="bernstein")
    # 1[sum > theta] = 1[sum >= theta'] with theta' the next attainable sum (sums step by 2, parity of n)
    th = Fraction(theta)
    if strict:
        th = Fraction(math.floor(th) + 1) if (math.floor(th) + 1 - n) % 2 == 0 else Fraction(math.floor(th) + 2)
    _assert_in(est, B.threshold_coefficient(n, th, len(S), pm=pm), f"hat T_{n},{theta},strict={strict}({S})")


@given(st.integers(1, MAX_N - 1), seeds, st.booleans(), st.integers(0, 2**32), st.data())
def test_weighted_threshold_closed_form_in_interval(n: int, seed: int, pm: bool, wseed: int,
                                                    data: st.DataObject) -> None:
    theta = data.draw(_thetas(n), label="theta")
    S = _subset(data, n)
    w = np.random.default_rng(wseed).choice([-1, 1], size=n).tolist()
    est = fourier_coefficient_mc(threshold(n, theta, pm=pm, weights=w), S, samples=SAMPLES, seed=seed,
                                 alpha=ALPHA, interval="bernstein")
    sign = math.prod(w[i] for i in S)
    _assert_in(est, sign * B.threshold_coefficient(n, theta, len(S), pm=pm), f"hat T_w({S}), n={n}")


@given(odd_n, seeds, st.data())
def test_majority_times_parity_in_interval(n: int, seed: int, data: st.DataObject) -> None:
    S = _subset(data, n)
    P = _subset(data, n)
    f = majority(n) * parity(n, P)
    est = fourier_coefficient_mc(f, S, samples=SAMPLES, seed=seed, alpha=ALPHA, interval="bernstein")
    _assert_in(est, B.majority_coefficient(n, _sym_diff_size(S, P)), f"hat(Maj_{n} chi_{P})({S})")


@given(st.integers(1, MAX_N - 1), seeds, st.data())
def test_threshold_times_parity_and_constants_in_interval(n: int, seed: int, data: st.DataObject) -> None:
    theta = data.draw(_thetas(n), label="theta")
    S = _subset(data, n)
    P = _subset(data, n)
    which = data.draw(st.sampled_from(["threshold", "parity", "constant"]), label="which")
    if which == "threshold":
        f = parity(n, P) * threshold(n, theta, pm=True)
        exact = B.threshold_coefficient(n, theta, _sym_diff_size(S, P), pm=True)
    elif which == "parity":
        f = parity(n, P)
        exact = Fraction(int(sorted(S) == sorted(P)))
    else:
        f = constant(n, 3) * parity(n, P)
        exact = Fraction(3 * int(sorted(S) == sorted(P)))
    est = fourier_coefficient_mc(f, S, samples=SAMPLES, seed=seed, alpha=ALPHA, interval="bernstein")
    _assert_in(est, exact, f"{which}: hat({f.name})({S})")


# --------------------------------------------------------------------------------------------------
# Multi-word samples (n > 64): word boundaries, coordinates in the last word
# --------------------------------------------------------------------------------------------------

BOUNDARY_CASES = [
    (63, (0, 62)), (64, (63,)), (65, (64,)), (65, (0, 63, 64)), (127, (126,)), (128, (63, 64, 127)),
    (129, (128,)), (191, (0, 64, 128, 190)), (257, (256,)), (513, (5, 300, 512)), (1001, (1000,)),
]


@pytest.mark.parametrize("n,S", BOUNDARY_CASES, ids=[f"n={n},S={S}" for n, S in BOUNDARY_CASES])
def test_multiword_boundaries(n: int, S: tuple[int, ...]) -> None:
    theta = 1 if n % 2 else 0
    f = threshold(n, theta, pm=True, weights=[1 if i % 3 else -1 for i in range(n)])
    est = fourier_coefficient_mc(f, S, samples=1 << 17, seed=n, alpha=ALPHA, interval="bernstein")
    sign = math.prod(1 if i % 3 else -1 for i in S)
    _assert_in(est, sign * B.threshold_coefficient(n, theta, len(S), pm=True), f"n={n}, S={S}")


# --------------------------------------------------------------------------------------------------
# Negative controls: the interval rule rejects perturbed values
# --------------------------------------------------------------------------------------------------

NEG_CASES = [
    # (name, function, S, exact, exact at the next level, samples)
    ("Maj_9", lambda: majority(9), (0,), B.majority_coefficient(9, 1), B.majority_coefficient(9, 3), 1 << 20),
    ("T_15,theta=3 (0/1)", lambda: threshold(15, 3), (0,), B.threshold_coefficient(15, 3, 1),
     B.threshold_coefficient(15, 3, 2), 1 << 21),
    ("Maj_65 (two words)", lambda: majority(65), (64,), B.majority_coefficient(65, 1),
     B.majority_coefficient(65, 3), 1 << 23),
    ("T_130,theta=10 (+-1) * chi_{0,64,129} (three words)",
     lambda: threshold(130, 10, pm=True) * parity(130, [0, 64, 129]), (0, 64, 129),
     B.threshold_coefficient(130, 10, 0, pm=True), B.threshold_coefficient(130, 10, 1, pm=True), 1 << 18),
]


@pytest.mark.parametrize("name,make,S,exact,nxt,samples", NEG_CASES, ids=[c[0] for c in NEG_CASES])
def test_negative_controls_rejected(name, make, S, exact, nxt, samples) -> None:
    est = fourier_coefficient_mc(make(), S, samples=samples, seed=11, alpha=ALPHA, interval="bernstein")
    _assert_in(est, exact, name)  # positive check (counted in the budget)
    width = est.ci[1] - est.ci[0]
    wrong = {"wrong sign": -exact, "factor 1.05": exact * Fraction(105, 100), "next level": nxt}
    for label, value in wrong.items():
        assert abs(float(value) - float(exact)) > width, f"{name}: {label} not resolvable at N={samples}"
        assert not est.contains(value), f"{name}: {label} value {float(value):.6g} was accepted by {est.ci}"


# --------------------------------------------------------------------------------------------------
# Kernels: against .py_func, serial == parallel, 1 thread == 2 threads, against numpy popcounts
# --------------------------------------------------------------------------------------------------

def _mw(mask: int, W: int) -> np.ndarray:
    return np.array([(mask >> (64 * w)) & (2**64 - 1) for w in range(W)], dtype=np.uint64)


KEY = np.uint64(0x0123456789ABCDEF)
ONE_WORD = (np.uint64((1 << 63) - 1), np.uint64(0x5555), np.uint64(32), np.uint64(0b10110))
# three words; the middle word has fmask = pmask = 0 (never drawn)
MULTI_WORD = (_mw((1 << 40) - 1 | ((1 << 20) - 1) << 128, 3), _mw(0xF0F0 | 1 << 130, 3), np.uint64(31),
              _mw(0b1001 | 1 << 129, 3))


def _run(kern, masks, n_chunks, size, last, first=0):
    out = np.full((n_chunks, K.ROW), -7, dtype=np.int64)
    kern(KEY, np.int64(first), np.int64(n_chunks), np.int64(size), np.int64(last), *masks, out)
    return out


@pytest.mark.parametrize("kern,masks,size", [
    # (UNROLL + 3) LANES + 5: the unrolled lane blocks, the leftover whole steps and a partial step
    (K.mc_sums_1w, ONE_WORD, (K.UNROLL + 3) * LANES + 5), (K.mc_sums_1w_serial, ONE_WORD, (K.UNROLL + 3) * LANES + 5),
    (K.mc_sums_mw, MULTI_WORD, 3 * LANES + 5), (K.mc_sums_mw_serial, MULTI_WORD, 3 * LANES + 5),
], ids=["1w", "1w_serial", "mw", "mw_serial"])
def test_mc_kernels_match_py_func(kern, masks, size) -> None:
    jitted = _run(kern, masks, 3, size, 5, first=4)
    out = np.full((3, K.ROW), -7, dtype=np.int64)
    with np.errstate(over="ignore"):  # uint64 wrap-around is intended (SplitMix64)
        kern.py_func(KEY, np.int64(4), np.int64(3), np.int64(size), np.int64(5), *masks, out)
    np.testing.assert_array_equal(jitted[:, :3], out[:, :3])


@pytest.mark.parametrize("kern", [K.enum_sums, K.enum_sums_serial], ids=["parallel", "serial"])
def test_enum_kernels_match_py_func(kern) -> None:
    args = (np.int64(9), np.uint64(0b110111011), np.uint64(0b101), np.uint64(4), np.uint64(0b11))
    a = np.zeros((5, K.ROW), dtype=np.int64)
    b = np.zeros((5, K.ROW), dtype=np.int64)
    kern(*args, a)
    kern.py_func(*args, b)
    np.testing.assert_array_equal(a, b)


def test_parallel_kernels_equal_serial() -> None:
    np.testing.assert_array_equal(_run(K.mc_sums_1w, ONE_WORD, 40, 4096, 77),
                                  _run(K.mc_sums_1w_serial, ONE_WORD, 40, 4096, 77))
    np.testing.assert_array_equal(_run(K.mc_sums_mw, MULTI_WORD, 24, 1500, 3),
                                  _run(K.mc_sums_mw_serial, MULTI_WORD, 24, 1500, 3))
    args = (np.int64(20), np.uint64((1 << 20) - 1), np.uint64(0xF00F), np.uint64(11), np.uint64(0b111))
    a = np.zeros((64, K.ROW), dtype=np.int64)
    b = np.zeros((64, K.ROW), dtype=np.int64)
    K.enum_sums(*args, a)
    K.enum_sums_serial(*args, b)
    np.testing.assert_array_equal(a, b)


def _numpy_counts(words: np.ndarray, fmask, flip, t1, pmask):
    """(n_le, p_le, p_all) from numpy popcounts; ``words`` has shape (m, W)."""
    c = np.bitwise_count((words ^ flip) & fmask).astype(np.int64).sum(axis=1)
    par = (np.bitwise_count(words & pmask).astype(np.int64).sum(axis=1) & 1).astype(bool)
    le = c < int(t1)
    return int(le.sum()), int((le & par).sum()), int(par.sum())


def test_one_word_kernel_counts_match_numpy_on_the_same_words() -> None:
    fmask, flip, t1, pmask = ONE_WORD
    out = _run(K.mc_sums_1w_serial, ONE_WORD, 3, 5000, 1234 + LANES // 2)  # a partial last lane step
    for c, m in enumerate((5000, 5000, 1234 + LANES // 2)):
        words = np.empty(m, dtype=np.uint64)
        fill_lane_words(KEY, np.uint64(c), words)
        assert tuple(out[c, :3]) == _numpy_counts(words[:, None], fmask, flip, t1, pmask)


def _lane_sample_words(key, chunk: int, m: int, n_active: int) -> np.ndarray:
    """(m, n_active) words: sample i takes outputs (i // L) A .. (i // L) A + A - 1 of lane i % L."""
    steps = -(-m // LANES) * n_active
    flat = np.empty(steps * LANES, dtype=np.uint64)  # flat[q L + j] = output q of lane j
    fill_lane_words(key, np.uint64(chunk), flat)
    i = np.arange(m)
    q = (i // LANES)[:, None] * n_active + np.arange(n_active)[None, :]
    return flat[q * LANES + (i % LANES)[:, None]]


def test_multi_word_kernel_counts_match_numpy_on_the_same_words() -> None:
    fmask, flip, t1, pmask = MULTI_WORD
    active = [0, 2]  # the middle word has fmask = pmask = 0 and is never drawn
    sizes = (5 * LANES + 7, 300)
    out = _run(K.mc_sums_mw_serial, MULTI_WORD, 2, sizes[0], sizes[1], first=5)
    for c, m in enumerate(sizes):
        words = _lane_sample_words(KEY, 5 + c, m, len(active))
        assert tuple(out[c, :3]) == _numpy_counts(words, fmask[active], flip[active], t1, pmask[active])


@pytest.mark.parametrize("n", [63, 200])
def test_bit_identical_at_one_and_two_threads(n: int) -> None:
    f = threshold(n, 1, pm=True)
    samples = 40 * CHUNK + 123  # above the serial cut-off: the parallel kernel runs
    before = numba.get_num_threads()
    try:
        results = []
        for threads in (1, min(2, numba.config.NUMBA_NUM_THREADS)):
            numba.set_num_threads(threads)
            results.append(fourier_coefficient_mc(f, [0, n - 1], samples=samples, seed=5))
            results.append(cube._run_mc(f, samples, 5, parallel=True))
    finally:
        numba.set_num_threads(before)
    assert results[0] == results[2] and results[1] == results[3]
    assert results[1] == cube._run_mc(f, samples, 5, parallel=False)


@pytest.mark.parametrize("samples", [2, 3, LANES - 1, LANES + 1, CHUNK - 1, CHUNK + 1])
def test_small_and_ragged_sample_counts_match_numpy(samples: int) -> None:
    f = majority(63).times_parity([0, 1, 2])
    n_le, p_le, p_all = cube._run_mc(f, samples, 4)
    words = np.empty(min(samples, CHUNK), dtype=np.uint64)
    fill_lane_words(stream_key(4, Purpose.CUBE_MC), np.uint64(0), words)
    if samples > CHUNK:
        tail = np.empty(samples - CHUNK, dtype=np.uint64)
        fill_lane_words(stream_key(4, Purpose.CUBE_MC), np.uint64(1), tail)
        words = np.concatenate([words, tail])
    assert (n_le, p_le, p_all) == _numpy_counts(words[:, None], np.uint64(f.fmask), np.uint64(f.flip),
                                                cube._t1(f), np.uint64(f.pmask))


def test_batches_do_not_change_results(monkeypatch: pytest.MonkeyPatch) -> None:
    f = majority(63).times_parity([1, 2, 3])
    g = majority(101).times_parity([100])
    samples = 7 * CHUNK + 999
    ref = (cube._run_mc(f, samples, 3), cube._run_mc(g, samples, 3))
    monkeypatch.setattr(cube, "_BATCH_CHUNKS", 3)
    assert (cube._run_mc(f, samples, 3), cube._run_mc(g, samples, 3)) == ref


def test_stream_is_keyed_by_seed_and_chunk_only() -> None:
    # sample i of chunk c is lane word i of chunk c of the stream keyed by stream_key(seed, "mc")
    f = parity(63, [0])
    n_le, p_le, p_all = cube._run_mc(f, 1000, 9)
    words = np.empty(1000, dtype=np.uint64)
    fill_lane_words(stream_key(9, Purpose.CUBE_MC), np.uint64(0), words)
    assert p_all == int((words & np.uint64(1)).astype(bool).sum())
    # n > 64: a parity on word 1 only draws one word (the only active one) per sample
    g = parity(130, [64])
    _, _, p_all = cube._run_mc(g, 1000, 9)
    assert p_all == int((words & np.uint64(1)).astype(bool).sum())


# --------------------------------------------------------------------------------------------------
# Exact enumeration against a pure-Python evaluation
# --------------------------------------------------------------------------------------------------

def _python_mean(f) -> Fraction:
    total = 0
    for bits in range(1 << f.n):
        total += f.evaluate([-1 if bits >> i & 1 else 1 for i in range(f.n)])
    return Fraction(total, 1 << f.n)


@pytest.mark.parametrize("f", [
    majority(7), threshold(8, 2, weights=[1, -1, 1, 1, -1, 1, 1, 1]), threshold(6, -1, strict=True, pm=True),
    majority(5) * parity(5, [0, 4]), parity(6, [1, 2]), constant(4, 5), threshold(5, 99), threshold(5, -99),
], ids=lambda f: f.name)
def test_mean_exact_matches_python_evaluation(f) -> None:
    assert mean_exact(f) == _python_mean(f)
    assert mean_exact(f, blocks=3) == mean_exact(f, blocks=1)


def test_exact_coefficient_matches_closed_form_small() -> None:
    for n in (1, 3, 9, 21):
        for k in range(n + 1):
            assert fourier_coefficient_exact(majority(n), range(k)) == B.majority_coefficient(n, k)


# --------------------------------------------------------------------------------------------------
# Bad input: ValueError naming the parameter, raised before any kernel runs
# --------------------------------------------------------------------------------------------------

@pytest.fixture
def no_kernels(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*args, **kwargs):
        raise AssertionError("a kernel ran before validation")

    for name in ("mc_sums_1w", "mc_sums_1w_serial", "mc_sums_mw", "mc_sums_mw_serial", "enum_sums",
                 "enum_sums_serial"):
        monkeypatch.setattr(K, name, boom)


@pytest.mark.parametrize("kwargs,param", [
    ({"samples": 1}, "samples"), ({"samples": 0}, "samples"), ({"samples": -5}, "samples"),
    ({"samples": 2.5}, "samples"), ({"samples": "many"}, "samples"), ({"samples": 2**50 + 1}, "samples"),
    ({"seed": -1}, "seed"), ({"seed": 2**63}, "seed"), ({"seed": 1.5}, "seed"),
    ({"alpha": 0.0}, "alpha"), ({"alpha": 1.0}, "alpha"), ({"alpha": 1.5}, "alpha"), ({"alpha": -0.1}, "alpha"),
    ({"alpha": float("nan")}, "alpha"), ({"interval": "wald"}, "interval"), ({"interval": None}, "interval"),
])
def test_bad_arguments_name_the_parameter(no_kernels, kwargs, param) -> None:
    with pytest.raises(ValueError, match=param):
        fourier_coefficient_mc(majority(65), [0], **kwargs)
    with pytest.raises(ValueError, match=param):
        mean_mc(threshold(10, 0), **kwargs)


@pytest.mark.parametrize("S", [[5], [-1], [0, 0], [1.5], 1 << 5, -1, "ab", None])
def test_bad_subset_names_S(no_kernels, S) -> None:
    with pytest.raises(ValueError, match="S"):
        fourier_coefficient_mc(majority(5), S)
    with pytest.raises(ValueError, match="S"):
        fourier_coefficient_exact(majority(5), S)


def test_bad_function_and_sizes(no_kernels) -> None:
    with pytest.raises(ValueError, match="f must be a CubeFunction"):
        fourier_coefficient_mc(lambda x: 1, [0])
    with pytest.raises(ValueError, match="n"):
        majority(4)
    with pytest.raises(ValueError, match="n"):
        majority(cube.MAX_N + 2)
    with pytest.raises(ValueError, match="n"):
        mean_exact(majority(31))
    with pytest.raises(ValueError, match="blocks"):
        mean_exact(majority(5), blocks=0)
    with pytest.raises(ValueError, match="weights"):
        threshold(3, 0, weights=[1, 0, 1])
