"""The random streams of featurecheck.numerics._kernels.rng: counter-based SplitMix64 and xoshiro256++ lanes.

Independent routes: a pure-Python SplitMix64 and xoshiro256++ written here from Vigna's reference
``splitmix64.c`` and ``xoshiro256plusplus.c`` (prng.di.unimi.it), checked against their published
outputs (SplitMix64 seeded with 0; xoshiro256++ from the state (1, 2, 3, 4)); ``numpy.random.
SeedSequence`` for the seeding; numpy popcounts and ``scipy.stats`` for the statistical checks.

False-alarm arithmetic
----------------------
For each of the two word streams the Monte Carlo kernels use (SplitMix64 words, xoshiro256++ lane
words), four statistical checks on 2^20 words from four chunks of one seed, each at ``ALPHA = 1e-6``:

1. the popcount histogram of the words against Binomial(64, 1/2) (chi-square, tails pooled to
   expected counts >= 20);
2. each of the 64 bit positions of the 2^18 words of one chunk against Binomial(2^18, 1/2) (exact
   two-sided binomial tests, Bonferroni: each at ``1e-6 / 64``);
3. the popcount of ``word_j xor word_{j+1}`` (consecutive counters) against Binomial(64, 1/2);
4. the popcount of ``word_j(chunk c) xor word_j(chunk c + 1)`` (neighbouring streams) likewise;

plus one birthday bound: 2^20 uniform 64-bit words collide with probability
``< 2^40 / 2^65 = 3e-8``. That is 8 checks and 2 birthday bounds: family-wise false-alarm rate
``<= 8e-6 + 6e-8`` (union bound). The seed is fixed, so the run is deterministic.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

from featurecheck.numerics._kernels.rng import (
    CHUNK_GAMMA,
    GAMMA,
    LANES,
    Purpose,
    chunk_key,
    fill_lane_words,
    fill_words,
    mix64,
    rotl64,
    seed_sequence,
    stream_key,
    xoshiro_next,
    xoshiro_seed_lanes,
    xoshiro_step,
)

ALPHA = 1e-6
M64 = (1 << 64) - 1


def ref_mix(z: int) -> int:
    """Vigna's splitmix64.c output function, in Python ints."""
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
    return z ^ (z >> 31)


def ref_splitmix64(state: int, count: int) -> list[int]:
    out = []
    for _ in range(count):
        state = (state + 0x9E3779B97F4A7C15) & M64
        out.append(ref_mix(state))
    return out


def ref_rotl(x: int, r: int) -> int:
    return ((x << r) | (x >> (64 - r))) & M64


def ref_xoshiro(state: list[int], count: int) -> list[int]:
    """Vigna's xoshiro256plusplus.c ``next()``, in Python ints (``state`` is advanced in place)."""
    out = []
    for _ in range(count):
        s0, s1, s2, s3 = state
        out.append((ref_rotl((s0 + s3) & M64, 23) + s0) & M64)
        t = (s1 << 17) & M64
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        state[:] = [s0, s1, s2, ref_rotl(s3, 45)]
    return out


def test_xoshiro_reference_matches_published_outputs() -> None:
    # xoshiro256++ from the state (1, 2, 3, 4) (reference implementation outputs, as in rand_xoshiro)
    assert ref_xoshiro([1, 2, 3, 4], 10) == [
        41943041, 58720359, 3588806011781223, 3591011842654386, 9228616714210784205,
        9973669472204895162, 14011001112246962877, 12406186145184390807, 15849039046786891736,
        10450023813501588000]


def test_xoshiro_step_matches_reference() -> None:
    state = np.array([[1, 7], [2, 8], [3, 9], [4, 2**64 - 1]], dtype=np.uint64)
    py = state.copy()
    got = [int(xoshiro_step(state, np.uint64(0))) for _ in range(6)]
    assert got == ref_xoshiro([1, 2, 3, 4], 6)
    got1 = [int(xoshiro_step(state, np.uint64(1))) for _ in range(6)]
    assert got1 == ref_xoshiro([7, 8, 9, 2**64 - 1], 6)
    with np.errstate(over="ignore"):
        assert [int(xoshiro_step.py_func(py, 1)) for _ in range(6)] == got1
    assert int(rotl64(np.uint64(1 << 63 | 1), np.uint64(1))) == 3


def test_xoshiro_next_matches_reference() -> None:
    st = (np.uint64(7), np.uint64(8), np.uint64(9), np.uint64(2**64 - 1))
    got = []
    for _ in range(6):
        z, *rest = xoshiro_next(*st)
        st = tuple(np.uint64(v) for v in rest)  # numba returns Python ints
        got.append(int(z))
    assert got == ref_xoshiro([7, 8, 9, 2**64 - 1], 6)
    with np.errstate(over="ignore"):
        assert int(xoshiro_next.py_func(np.uint64(1), np.uint64(2), np.uint64(3), np.uint64(4))[0]) == \
            ref_xoshiro([1, 2, 3, 4], 1)[0]


@pytest.mark.parametrize("key,chunk", [(0, 0), (5, 3), (M64, 2**33)])
def test_lane_words_are_xoshiro_lanes_seeded_by_splitmix(key: int, chunk: int) -> None:
    kc = ref_mix(key ^ ((chunk * int(CHUNK_GAMMA)) & M64))
    seeds = ref_splitmix64(kc, 4 * LANES)
    lanes = [seeds[4 * lane: 4 * lane + 4] for lane in range(LANES)]
    steps = 3
    per_lane = [ref_xoshiro(st, steps) for st in lanes]
    m = steps * LANES - 5
    expected = [per_lane[i % LANES][i // LANES] for i in range(m)]
    out = np.empty(m, dtype=np.uint64)
    fill_lane_words(np.uint64(key), np.uint64(chunk), out)
    assert out.tolist() == expected
    st = np.empty((4, LANES), dtype=np.uint64)
    xoshiro_seed_lanes(np.uint64(key), np.uint64(chunk), st)
    assert st.T.tolist() == [seeds[4 * lane: 4 * lane + 4] for lane in range(LANES)]
    py = np.empty(m, dtype=np.uint64)
    with np.errstate(over="ignore"):
        fill_lane_words.py_func(np.uint64(key), np.uint64(chunk), py)
    assert py.tolist() == expected


def test_reference_matches_published_outputs() -> None:
    # First outputs of SplitMix64 seeded with 0 (Vigna, splitmix64.c test vectors)
    assert ref_splitmix64(0, 4) == [0xE220A8397B1DCDAF, 0x6E789E6AA1B965F4, 0x06C45D188009454F,
                                    0xF88BB8A8724C81EC]


@pytest.mark.parametrize("z", [0, 1, 2**63, M64, 0x0123456789ABCDEF, int(GAMMA)])
def test_mix64_matches_reference(z: int) -> None:
    assert int(mix64(np.uint64(z))) == ref_mix(z)
    with np.errstate(over="ignore"):  # uint64 wrap-around is intended
        assert int(mix64.py_func(np.uint64(z))) == ref_mix(z)


@pytest.mark.parametrize("key,chunk", [(0, 0), (1, 0), (0, 1), (M64, 12345), (2**40 + 3, 2**33)])
def test_chunk_key_and_words_are_splitmix64_streams(key: int, chunk: int) -> None:
    kc = ref_mix(key ^ ((chunk * int(CHUNK_GAMMA)) & M64))
    assert int(chunk_key(np.uint64(key), np.uint64(chunk))) == kc
    with np.errstate(over="ignore"):
        assert int(chunk_key.py_func(np.uint64(key), np.uint64(chunk))) == kc
    out = np.empty(9, dtype=np.uint64)
    fill_words(np.uint64(key), np.uint64(chunk), np.uint64(0), out)
    assert out.tolist() == ref_splitmix64(kc, 9)
    # counter-based: any window of the stream is computed directly
    win = np.empty(4, dtype=np.uint64)
    fill_words(np.uint64(key), np.uint64(chunk), np.uint64(5), win)
    assert win.tolist() == out[5:].tolist()
    py = np.empty(4, dtype=np.uint64)
    with np.errstate(over="ignore"):
        fill_words.py_func(np.uint64(key), np.uint64(chunk), np.uint64(5), py)
    assert py.tolist() == win.tolist()


def test_stream_key_is_a_seed_sequence_and_separates_seeds_and_purposes() -> None:
    ss = np.random.SeedSequence([7, 0x6D63]).generate_state(1, dtype=np.uint64)[0]
    assert int(stream_key(7, Purpose.CUBE_MC)) == int(ss)
    keys = {int(stream_key(s, p)) for s in range(50) for p in (Purpose.SGD_BATCH, Purpose.SGD_LABEL, Purpose.CUBE_MC)}
    assert len(keys) == 150
    # injective in the seed for a fixed non-zero purpose, also across the 2^32 word boundary
    seeds = [0, 1, 2**32 - 1, 2**32, 2**32 + 1, 0x6D63 << 32, (0x6D63 << 32) + 5, 5, 2**63 - 1]
    assert len({int(stream_key(s, Purpose.CUBE_MC)) for s in seeds}) == len(seeds)


def test_stream_key_trailing_zero_caveat_is_documented() -> None:
    # SeedSequence pads its entropy with zero words, so trailing zero purpose words are invisible:
    # call sites must use non-zero purpose words (featurecheck.numerics._kernels.rng docstring).
    assert int(stream_key(3, Purpose.CUBE_MC)) == int(stream_key(3, Purpose.CUBE_MC, 0))
    assert "non-zero" in (Purpose.__doc__ or "")


# --------------------------------------------------------------------------------------------------
# Statistical quality of the words the Monte Carlo kernels use
# --------------------------------------------------------------------------------------------------

N_WORDS = 1 << 18  # per chunk; four chunks


@pytest.fixture(scope="module", params=["splitmix64", "xoshiro-lanes"])
def words(request: pytest.FixtureRequest) -> np.ndarray:
    key = stream_key(2024, Purpose.CUBE_MC)
    out = np.empty((4, N_WORDS), dtype=np.uint64)
    for c in range(4):
        if request.param == "splitmix64":
            fill_words(key, np.uint64(c), np.uint64(0), out[c])
        else:
            fill_lane_words(key, np.uint64(c), out[c])
    return out


def _popcount_chisq_p(w: np.ndarray) -> float:
    counts = np.bincount(np.bitwise_count(w.ravel()).astype(np.int64), minlength=65).astype(float)
    expected = stats.binom.pmf(np.arange(65), 64, 0.5) * w.size
    # pool tails so that every cell expects >= 20
    lo = int(np.argmax(np.cumsum(expected) >= 20))
    hi = 64 - int(np.argmax(np.cumsum(expected[::-1]) >= 20))
    obs = np.concatenate([[counts[: lo + 1].sum()], counts[lo + 1 : hi], [counts[hi:].sum()]])
    exp = np.concatenate([[expected[: lo + 1].sum()], expected[lo + 1 : hi], [expected[hi:].sum()]])
    exp *= obs.sum() / exp.sum()
    return float(stats.chisquare(obs, exp).pvalue)


def test_popcount_distribution_is_binomial(words: np.ndarray) -> None:
    assert _popcount_chisq_p(words) > ALPHA


def test_every_bit_is_fair(words: np.ndarray) -> None:
    flat = words[0]
    n = flat.size
    # little-endian byte order: bit b of byte j is bit 8 j + b of the word
    assert np.little_endian
    ones = np.unpackbits(flat.view(np.uint8).reshape(n, 8), axis=1, bitorder="little").sum(axis=0, dtype=np.int64)
    assert int(ones[5]) == int(((flat >> np.uint64(5)) & np.uint64(1)).sum())
    for b in range(64):
        p = stats.binomtest(int(ones[b]), n, 0.5).pvalue
        assert p > ALPHA / 64, f"bit {b}: {ones[b]} ones in {n}"


def test_consecutive_words_are_independent(words: np.ndarray) -> None:
    assert _popcount_chisq_p(words[:, 1:] ^ words[:, :-1]) > ALPHA


def test_neighbouring_chunks_are_independent(words: np.ndarray) -> None:
    assert _popcount_chisq_p(words[1:] ^ words[:-1]) > ALPHA


def test_no_collisions(words: np.ndarray) -> None:
    s = np.sort(words.ravel())
    assert (s[1:] != s[:-1]).all()


def test_negative_control_detects_a_biased_stream(words: np.ndarray) -> None:
    # AND of two words: popcount ~ Bin(64, 1/4), must be rejected; XOR with itself shifted by one
    # chunk index (a colliding stream) likewise
    assert _popcount_chisq_p(words[0] & words[1]) < ALPHA
    assert _popcount_chisq_p(words[:, 1:] ^ words[:, 1:]) < ALPHA
    biased = words[0] | (words[1] & words[2] & np.uint64(1))  # bit 0 set with prob 5/8
    ones = int((biased & np.uint64(1)).sum())
    assert stats.binomtest(ones, biased.size, 0.5).pvalue < ALPHA / 64


def test_same_seed_same_words_different_seed_different_words() -> None:
    a = np.empty(64, dtype=np.uint64)
    b = np.empty(64, dtype=np.uint64)
    c = np.empty(64, dtype=np.uint64)
    fill_words(stream_key(1, Purpose.CUBE_MC), np.uint64(3), np.uint64(0), a)
    fill_words(stream_key(1, Purpose.CUBE_MC), np.uint64(3), np.uint64(0), b)
    fill_words(stream_key(2, Purpose.CUBE_MC), np.uint64(3), np.uint64(0), c)
    assert a.tolist() == b.tolist()
    assert not np.intersect1d(a, c).size


# ------------------------------------------------------------------ the registry of purposes

SOURCE = Path(__file__).resolve().parents[2]


def test_purposes_are_distinct_and_non_zero() -> None:
    values = [int(p) for p in Purpose]
    assert len(set(values)) == len(values)
    assert 0 not in values  # SeedSequence drops trailing zero words, so 0 would be no purpose at all
    assert all(0 < v < 2**32 for v in values)


def test_different_purposes_never_share_a_stream() -> None:
    """The entropy words of (seed, P, *words) differ in position 2 for P != P', whatever the rest."""
    seq = {p: seed_sequence(5, p, 7, 0, 3) for p in Purpose}
    entropies = {tuple(s.entropy) for s in seq.values()}
    assert len(entropies) == len(Purpose)
    keys = {int(stream_key(5, p)) for p in Purpose}
    assert len(keys) == len(Purpose)


def test_purpose_is_required_and_typed() -> None:
    with pytest.raises(TypeError, match="purpose must be a member of Purpose"):
        stream_key(1, 0x6D63)  # type: ignore[arg-type]


def test_no_module_builds_a_stream_outside_the_registry() -> None:
    """Every SeedSequence / Generator of the package comes from rng.py (docstring examples aside)."""
    pattern = re.compile(r"SeedSequence\(|default_rng\(|PCG64\(|np\.random\.(seed|rand|randn|normal|choice)\(")
    offenders = []
    for path in sorted((SOURCE / "numerics").rglob("*.py")) + sorted((SOURCE / "theory").rglob("*.py")):
        if path.name == "rng.py":
            continue
        for i, line in enumerate(path.read_text().splitlines(), 1):
            if pattern.search(line) and ">>>" not in line and "..." not in line.lstrip()[:3]:
                offenders.append(f"{path.relative_to(SOURCE)}:{i}: {line.strip()}")
    assert offenders == []


def test_every_purpose_is_used_once() -> None:
    """A member no code uses is dead; a member used by two modules is a shared stream."""
    uses: dict[str, set[str]] = {p.name: set() for p in Purpose}
    for path in sorted((SOURCE / "numerics").rglob("*.py")):
        if path.name == "rng.py":
            continue
        for name in re.findall(r"Purpose\.([A-Z0-9_]*[A-Z0-9])\b", path.read_text()):
            uses[name].add(str(path.relative_to(SOURCE)))
    assert {k: v for k, v in uses.items() if len(v) != 1} == {}
