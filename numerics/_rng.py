"""Counter-based random bits: SplitMix64 over (stream key, counter).

Sample ``i`` of chunk ``c`` uses word ``mix64(key_c + (i + 1) * GAMMA)`` with
``key_c = mix64(key ^ (c * CHUNK_GAMMA))``: one stream per chunk, keyed by (seed, chunk index), never
per thread, so results do not depend on the thread count (STYLE.md, example 7). The user seed enters
through ``numpy.random.SeedSequence`` (``stream_key``). SplitMix64 is the output function of Steele,
Lea & Flood (2014), "Fast splittable pseudorandom number generators"; it passes BigCrush.
"""

from __future__ import annotations

import numpy as np

from numerics._jit import jit

__all__ = ["stream_key", "mix64", "chunk_key", "GAMMA"]

GAMMA = np.uint64(0x9E3779B97F4A7C15)
CHUNK_GAMMA = np.uint64(0xD1B54A32D192ED03)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_S30 = np.uint64(30)
_S27 = np.uint64(27)
_S31 = np.uint64(31)


def stream_key(seed: int, *purpose: int) -> np.uint64:
    """64-bit stream key from a user seed (and optional purpose words), via SeedSequence.

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
    """SplitMix64 finaliser."""
    z = (z ^ (z >> _S30)) * _M1
    z = (z ^ (z >> _S27)) * _M2
    return z ^ (z >> _S31)


@jit
def chunk_key(key: np.uint64, chunk: np.uint64) -> np.uint64:
    """Key of the stream for one chunk."""
    return mix64(key ^ (chunk * CHUNK_GAMMA))
