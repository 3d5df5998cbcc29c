"""Counter-based random bits: SplitMix64 over (stream key, counter).

Word ``j`` of chunk ``c`` is ``mix64(key_c + (j + 1) * GAMMA)`` with
``key_c = mix64(key ^ (c * CHUNK_GAMMA))``, i.e. the ``(j+1)``-th output of SplitMix64 started from
state ``key_c``: one stream per chunk, keyed by (seed, chunk index), never per thread, so results do
not depend on the thread count (STYLE.md, example 7). Being counter-based, word ``j`` is computed
directly (no sequential state), so loops over ``j`` vectorise. Multi-word samples (``W`` words each)
use words ``i W .. i W + W - 1`` for sample ``i``. The user seed enters
through ``numpy.random.SeedSequence`` (``stream_key``). SplitMix64 is the output function of Steele,
Lea & Flood (2014), "Fast splittable pseudorandom number generators" (OOPSLA), with the constants of
Vigna's reference ``splitmix64.c``; it passes BigCrush.

Purposes (one registry)
-----------------------
Every random stream of featurecheck is ``SeedSequence([seed, purpose, *words])``, where ``purpose``
is a member of :class:`Purpose`: counter-based streams take their key from it (:func:`stream_key`),
numpy generators are built on it (:func:`generator`), and per-chunk integer seeds come from it
(:func:`chunk_seed`). The purpose word always sits right after the seed and the members are distinct
and non-zero, so two call sites with different purposes never share entropy, whatever their other
words (``tests/kernels/test_rng.py`` checks the registry and that no module builds a SeedSequence
elsewhere). ``CHUNK`` is the chunk size of the sampling estimators.

Lanes (the fast one-word path of the cube kernels)
--------------------------------------------------
``LANES = 32`` independent xoshiro256++ generators per chunk (Blackman & Vigna 2021, "Scrambled
linear pseudorandom number generators", ACM TOMS 47(4), with the reference ``xoshiro256plusplus.c``),
lane ``l`` seeded with words ``4 l .. 4 l + 3`` of the chunk's SplitMix64 stream above (Vigna's
recommended seeding). Sample ``i`` of the chunk is output ``i // LANES`` of lane ``i % LANES``
(:func:`fill_lane_words`). The ``++`` scrambler (``rotl(s0 + s3, 23) + s0``) and the linear
engine need no 64-bit multiply, so a loop over the lanes vectorises to shifts, rotates, adds and
xors (about 10% faster here than the ``**`` scrambler, 3 vector ops per word instead of 5), about
twice the throughput of SplitMix64's two VPMULLQ per word on AVX-512 machines. Still keyed by
(seed, chunk) only.
"""

from __future__ import annotations

from enum import IntEnum, unique

import numpy as np

from featurecheck.numerics._kernels.jit import jit

__all__ = [
    "Purpose", "seed_sequence", "generator", "chunk_seed", "CHUNK",
    "stream_key", "mix64", "chunk_key", "fill_words", "GAMMA", "CHUNK_GAMMA", "LANES", "rotl64",
    "xoshiro_seed_lanes", "xoshiro_step", "xoshiro_next", "fill_lane_words",
]

GAMMA = np.uint64(0x9E3779B97F4A7C15)
CHUNK_GAMMA = np.uint64(0xD1B54A32D192ED03)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_S30 = np.uint64(30)
_S27 = np.uint64(27)
_S31 = np.uint64(31)
LANES = 32
CHUNK = 1 << 16


@unique
class Purpose(IntEnum):
    """The registry of random streams: the word that follows the seed in every SeedSequence.

    Values are distinct and non-zero (``@unique``; zero would vanish, since SeedSequence drops
    trailing zero words). Values below 0x100 and the ASCII-tag values predate the registry and are
    kept so that seeded results do not change; the ``0x73740001``... (structured inputs),
    ``0x6D690001``... (multi-index) and ``0x73700001``... (spiked covariance) blocks were assigned
    when the registry was introduced; ``0x64630001``... (decomposition), ``0x62790001``... (Bayes vs
    SGD), ``0x6C700001``... (leap dynamics) and ``0x73690001``... (single-index online SGD) later.
    """

    SGD_BATCH = 1
    SGD_LABEL = 2
    SGD_VALID = 3
    SGD_MEASURE = 4
    SGD_INIT = 5
    GAUSSIAN_FRAME = 7
    STEIN_DIRECTION = 8
    HERMITE_MC = 11
    STEIN_MC = 12
    NORMALS = 13
    SGD_RANDOM_SEARCH = 0x5C42
    CUBE_MC = 0x6D63
    USER_POINTS = 0x7074
    USER_CHUNK = 0x7573
    GRADIENT = 0x67726164
    GF2 = 0x676632
    ERM = 0x65726D
    QUERIES = 0x717279
    RELU_NET = 0x6E6574
    SSS_VARIANCE = 0x737373
    SWEEP_SLOPE = 0x736C6F
    STRUCTURED_TRAIN = 0x73740001
    STRUCTURED_TEST = 0x73740002
    STRUCTURED_UNIFORM = 0x73740003
    STRUCTURED_INIT = 0x73740004
    STRUCTURED_BATCHES = 0x73740005
    STRUCTURED_SUBSET = 0x73740006
    STRUCTURED_DICTIONARY = 0x73740007
    STRUCTURED_RELEVANT = 0x73740008
    MULTI_INDEX_DATA = 0x6D690001
    MULTI_INDEX_STEP1 = 0x6D690002
    MULTI_INDEX_STEP2 = 0x6D690003
    MULTI_INDEX_TEST = 0x6D690004
    MULTI_INDEX_INIT = 0x6D690005
    MULTI_INDEX_BIAS = 0x6D690006
    MULTI_INDEX_FRAME = 0x6D690007
    SPIKED_DIRECTION = 0x73700001
    SPIKED_SAMPLE = 0x73700002
    SPIKED_INIT = 0x73700003
    SPIKED_BIAS = 0x73700004
    DECOMP_IMAGES = 0x64630001
    DECOMP_INIT = 0x64630002
    DECOMP_BATCHES = 0x64630003
    DECOMP_TEST = 0x64630004
    DECOMP_LABELINGS = 0x64630005
    DECOMP_SNR = 0x64630006
    BAYES_DATA = 0x62790001
    BAYES_SUPPORT = 0x62790002
    BAYES_NOISE = 0x62790003
    BAYES_BOOTSTRAP = 0x62790004
    LEAP_BATCHES = 0x6C700002
    LEAP_VALID = 0x6C700003
    LEAP_PRETRAIN = 0x6C700004
    LEAP_BOOTSTRAP = 0x6C700005
    SINGLE_INDEX_TARGET = 0x73690001
    SINGLE_INDEX_INIT = 0x73690002
    SINGLE_INDEX_DATA = 0x73690003
    SINGLE_INDEX_BOOTSTRAP = 0x73690005
    BOOLEAN_MC = 0x62660001  # general Boolean functions (estimators.boolean_function, issue 17)


def seed_sequence(seed: int, purpose: Purpose, *words: int) -> np.random.SeedSequence:
    """``SeedSequence([seed, purpose, *words])``: the root of every stream (module notes).

    Examples
    --------
    >>> seed_sequence(0, Purpose.CUBE_MC).entropy
    [0, 28003]
    """
    if not isinstance(purpose, Purpose):
        raise TypeError(f"purpose must be a member of Purpose, got {purpose!r}")
    return np.random.SeedSequence([int(seed) & (2**64 - 1), int(purpose), *[int(w) for w in words]])


def stream_key(seed: int, purpose: Purpose, *words: int) -> np.uint64:
    """64-bit key of the counter-based stream ``(seed, purpose, *words)``.

    The key is ``seed_sequence(seed, purpose, *words).generate_state(1, uint64)[0]``; for a fixed
    purpose it is injective in ``seed`` (``0 <= seed < 2^64``). SeedSequence drops trailing zero
    words, so ``stream_key(s, P) == stream_key(s, P, 0)``.

    Examples
    --------
    >>> int(stream_key(0, Purpose.CUBE_MC)) != int(stream_key(1, Purpose.CUBE_MC))
    True
    """
    return seed_sequence(seed, purpose, *words).generate_state(1, dtype=np.uint64)[0]


def generator(seed: int, purpose: Purpose, *words: int) -> np.random.Generator:
    """Return a numpy ``Generator(PCG64(seed_sequence(seed, purpose, *words)))``.

    Examples
    --------
    >>> a = generator(3, Purpose.SWEEP_SLOPE).integers(0, 10**9)
    >>> bool(a == generator(3, Purpose.SWEEP_SLOPE).integers(0, 10**9))
    True
    """
    return np.random.Generator(np.random.PCG64(seed_sequence(seed, purpose, *words)))


def chunk_seed(seed: int, purpose: Purpose, chunk: int) -> int:
    """Return a 63-bit integer seed for chunk ``chunk`` of stream ``(seed, purpose)`` (for user samplers).

    Examples
    --------
    >>> 0 <= chunk_seed(0, Purpose.USER_CHUNK, 5) < 2**63
    True
    """
    return int(stream_key(seed, purpose, chunk)) & (2**63 - 1)


@jit
def mix64(z: np.uint64) -> np.uint64:
    """SplitMix64 finaliser (output function): ``mix64(s + GAMMA)`` is the output for state ``s``.

    Examples
    --------
    >>> hex(mix64(GAMMA))  # first output of SplitMix64 seeded with 0 (Vigna's splitmix64.c)
    '0xe220a8397b1dcdaf'
    """
    z = (z ^ (z >> _S30)) * _M1
    z = (z ^ (z >> _S27)) * _M2
    return z ^ (z >> _S31)


@jit
def chunk_key(key: np.uint64, chunk: np.uint64) -> np.uint64:
    """Key of the stream for one chunk: ``mix64(key ^ (chunk * CHUNK_GAMMA))``."""
    return mix64(key ^ (chunk * CHUNK_GAMMA))


@jit
def fill_words(key: np.uint64, chunk: np.uint64, start: np.uint64, out: np.ndarray) -> None:
    """``out[j] = `` word ``start + j`` of chunk ``chunk`` (the exact words the cube kernels use).

    Examples
    --------
    >>> out = np.empty(2, dtype=np.uint64)
    >>> fill_words(np.uint64(1), np.uint64(0), np.uint64(0), out)
    >>> int(out[0]) == int(mix64(chunk_key(np.uint64(1), np.uint64(0)) + GAMMA))
    True
    """
    k = chunk_key(key, chunk)
    one = np.uint64(1)
    for j in range(np.uint64(out.shape[0])):
        out[j] = mix64(k + (start + j + one) * GAMMA)


@jit
def rotl64(x: np.uint64, r: np.uint64) -> np.uint64:
    """Rotate left by ``0 < r < 64`` (compiles to VPROLQ / ROL)."""
    return (x << r) | (x >> (np.uint64(64) - r))


@jit
def xoshiro_seed_lanes(key: np.uint64, chunk: np.uint64, state: np.ndarray) -> None:
    """Seed the ``(4, L)`` uint64 state of ``L`` xoshiro256++ lanes for one chunk.

    ``state[r, l]`` is word ``4 l + r`` of the chunk's SplitMix64 stream (never all zero in
    practice: probability ``2^-256`` per lane).
    """
    k = chunk_key(key, chunk)
    one = np.uint64(1)
    four = np.uint64(4)
    for lane in range(np.uint64(state.shape[1])):
        for r in range(np.uint64(4)):
            state[r, lane] = mix64(k + (four * lane + r + one) * GAMMA)


@jit
def xoshiro_next(s0: np.uint64, s1: np.uint64, s2: np.uint64,
                 s3: np.uint64) -> tuple[np.uint64, np.uint64, np.uint64, np.uint64, np.uint64]:
    """One xoshiro256++ step on a state held in scalars: ``(output, s0', s1', s2', s3')``.

    Kernels keep a lane's state in locals across several steps with this (no memory traffic).

    Examples
    --------
    >>> int(xoshiro_next(np.uint64(1), np.uint64(2), np.uint64(3), np.uint64(4))[0])  # Vigna's reference
    41943041
    """
    out = rotl64(s0 + s3, np.uint64(23)) + s0
    t = s1 << np.uint64(17)
    s2 ^= s0
    s3 ^= s1
    s1 ^= s2
    s0 ^= s3
    s2 ^= t
    return out, s0, s1, s2, rotl64(s3, np.uint64(45))


@jit
def xoshiro_step(state: np.ndarray, lane: np.uint64) -> np.uint64:
    """Next output of lane ``lane`` (xoshiro256++), advancing its state in place."""
    out, s0, s1, s2, s3 = xoshiro_next(state[0, lane], state[1, lane], state[2, lane], state[3, lane])
    state[0, lane] = s0
    state[1, lane] = s1
    state[2, lane] = s2
    state[3, lane] = s3
    return out


@jit
def fill_lane_words(key: np.uint64, chunk: np.uint64, out: np.ndarray) -> None:
    """``out[i]`` = sample word ``i`` of chunk ``chunk`` on the lanes path (for tests and baselines).

    Examples
    --------
    >>> a = np.empty(40, dtype=np.uint64)
    >>> fill_lane_words(np.uint64(1), np.uint64(0), a)
    >>> st = np.empty((4, LANES), dtype=np.uint64)
    >>> xoshiro_seed_lanes(np.uint64(1), np.uint64(0), st)
    >>> int(a[LANES + 1]) == [int(xoshiro_step(st, np.uint64(1))) for _ in range(2)][1]
    True
    """
    state = np.empty((4, LANES), dtype=np.uint64)
    xoshiro_seed_lanes(key, chunk, state)
    L = np.uint64(LANES)
    for i in range(np.uint64(out.shape[0])):
        out[i] = xoshiro_step(state, i % L)
