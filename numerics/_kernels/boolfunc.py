"""Private kernels of :mod:`featurecheck.numerics.estimators.boolean_function`: Boolean expressions on sampled points.

An expression is a postfix program, one row ``(op, a, b)`` per instruction, run on a stack of bits:

- ``OP_VAR i``: push bit ``i`` of the sample (bit set <=> ``x_i = -1``, the cube convention);
- ``OP_CONST b``: push ``b``;
- ``OP_NOT``, ``OP_AND``, ``OP_OR``, ``OP_XOR``: the usual operators on bits;
- ``OP_THR k m``: pop ``m`` bits, push 1 iff at least ``k`` of them are 1 (majority is ``k = (m+1)/2``).

A sample is ``W`` consecutive uint64 words (coordinate ``i`` is bit ``i % 64`` of word ``i // 64``),
word ``j`` of chunk ``c`` being word ``j`` of the counter-based stream of :mod:`.rng` (:func:`fill_words`),
so a chunk's result depends on (seed, chunk) only. The kernel returns exact integer sums.
"""

from __future__ import annotations

import numpy as np

from featurecheck.numerics._kernels.jit import jit, popcount64
from featurecheck.numerics._kernels.rng import fill_words

OP_VAR = 0
OP_CONST = 1
OP_NOT = 2
OP_AND = 3
OP_OR = 4
OP_XOR = 5
OP_THR = 6


@jit
def eval_program(prog: np.ndarray, words: np.ndarray, stack: np.ndarray) -> np.int64:
    """Value (0 or 1) of the postfix program ``prog`` at the point whose bits are ``words``."""
    sp = 0
    for r in range(prog.shape[0]):
        op = prog[r, 0]
        if op == OP_VAR:
            i = prog[r, 1]
            stack[sp] = np.int64((words[i >> 6] >> np.uint64(i & 63)) & np.uint64(1))
            sp += 1
        elif op == OP_CONST:
            stack[sp] = prog[r, 1]
            sp += 1
        elif op == OP_NOT:
            stack[sp - 1] = 1 - stack[sp - 1]
        elif op == OP_AND:
            stack[sp - 2] = stack[sp - 2] & stack[sp - 1]
            sp -= 1
        elif op == OP_OR:
            stack[sp - 2] = stack[sp - 2] | stack[sp - 1]
            sp -= 1
        elif op == OP_XOR:
            stack[sp - 2] = stack[sp - 2] ^ stack[sp - 1]
            sp -= 1
        else:  # OP_THR
            k = prog[r, 1]
            m = prog[r, 2]
            c = 0
            for j in range(sp - m, sp):
                c += stack[j]
            sp -= m
            stack[sp] = 1 if c >= k else 0
            sp += 1
    return stack[0]


@jit
def expression_chunk(prog: np.ndarray, depth: np.int64, W: np.int64, key: np.uint64, chunk: np.uint64,
                     m: np.int64, smask: np.ndarray, pm: bool, out: np.ndarray) -> None:
    """Over the ``m`` samples of chunk ``chunk``: ``out[0] = sum f chi_S``, ``out[1] = sum (f chi_S)^2``.

    ``f`` is ``(-1)^b`` (``pm``) or ``b`` for the program's bit ``b``; ``smask`` holds ``S`` in ``W`` words.
    Both sums are at most ``m <= 2^16`` in absolute value: no overflow.
    """
    words = np.empty(m * W, dtype=np.uint64)
    fill_words(key, chunk, np.uint64(0), words)
    stack = np.empty(depth, dtype=np.int64)
    s1 = np.int64(0)
    s2 = np.int64(0)
    for i in range(m):
        x = words[i * W:(i + 1) * W]
        b = eval_program(prog, x, stack)
        v = np.int64(1 - 2 * b) if pm else np.int64(b)
        par = np.uint64(0)
        for w in range(W):
            par += popcount64(x[w] & smask[w])
        if par & np.uint64(1):
            v = -v
        s1 += v
        s2 += v * v
    out[0] = s1
    out[1] = s2


@jit
def chunk_words(W: np.int64, key: np.uint64, chunk: np.uint64, m: np.int64) -> np.ndarray:
    """Draw the ``(m, W)`` sample words of one chunk (the points a callable is evaluated on)."""
    words = np.empty(m * W, dtype=np.uint64)
    fill_words(key, chunk, np.uint64(0), words)
    return words.reshape((m, W))
