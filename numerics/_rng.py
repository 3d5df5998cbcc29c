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
"""

from __future__ import annotations

import numpy as np

from numerics._jit import jit

__all__ = ["stream_key", "mix64", "chunk_key", "fill_words", "GAMMA", "CHUNK_GAMMA"]

GAMMA = np.uint64(0x9E3779B97F4A7C15)
CHUNK_GAMMA = np.uint64(0xD1B54A32D192ED03)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_S30 = np.uint64(30)
_S27 = np.uint64(27)
_S31 = np.uint64(31)


def stream_key(seed: int, *purpose: int) -> np.uint64:
    """64-bit stream key from a user seed (and optional purpose words), via SeedSequence.

    The key is ``SeedSequence([seed, *purpose]).generate_state(1, uint64)[0]``. SeedSequence pads
    its entropy with zero words, so trailing zero purpose words are not distinguished
    (``stream_key(s) == stream_key(s, 0)``): give every call site its own non-zero purpose word
    first. With one fixed non-zero purpose the key is injective in ``seed`` (``0 <= seed < 2^64``).

    Examples
    --------
    >>> int(stream_key(0)) == int(stream_key(0))
    True
    >>> int(stream_key(0)) != int(stream_key(1))
    True
    """
    ss = np.random.SeedSequence([int(seed) & (2**64 - 1), *[int(p) for p in purpose]])
    return ss.generate_state(1, dtype=np.uint64)[0]


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
