"""Exact routes: the linear-threshold ceiling and the Daniely–Malach fixed-feature side.

The ceiling comes from exhaustive LTF enumeration; the fixed-feature side covers the first-order signal,
embeddings tabulated on the cube, and their level-``k`` Walsh weight.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

import numpy as np

from featurecheck.numerics.estimators.walsh import fwht
from featurecheck.numerics.experiments.structured.network import NetConfig, init_network
from featurecheck.theory import structured as TS
from featurecheck.theory._validate import check_int, check_real

__all__ = [
    "ltf_ceiling_enumeration",
    "ltf_profiles_enumeration",
    "all_cube_points",
    "dm_feature_correlation",
    "dm_first_order_signal_exact",
    "dm_embedding",
]


def _sign_points(k: int) -> np.ndarray:
    """Return the ``2^k`` points of ``{-1,+1}^k`` as int64 rows (bit ``j`` of the row index set: ``x_j = -1``)."""
    return np.array([[1 - 2 * ((i >> j) & 1) for j in range(k)] for i in range(1 << k)], dtype=np.int64)


def _sorted_cuts(pts: np.ndarray, max_weight: int, chunk: int) -> Any:
    """Enumerate every sorted integer weight vector ``w in [-max_weight, max_weight]^k``, in blocks of ``chunk``.

    Yields ``(block, order, vs, valid)`` with ``vs`` the values ``<w, x>`` over ``pts`` sorted in
    decreasing order (``order`` the permutation) and ``valid[:, j]`` true iff a cut after position
    ``j`` separates distinct values (the last position always: everything above).
    """
    from itertools import combinations_with_replacement

    combos = combinations_with_replacement(range(-max_weight, max_weight + 1), pts.shape[1])
    while True:
        block = np.array([w for _, w in zip(range(chunk), combos, strict=False)], dtype=np.int64)
        if len(block) == 0:
            return
        v = block @ pts.T
        order = np.argsort(-v, axis=1, kind="stable")
        vs = np.take_along_axis(v, order, axis=1)
        valid = np.ones(vs.shape, dtype=bool)
        valid[:, :-1] = vs[:, :-1] > vs[:, 1:]
        yield block, order, vs, valid


def ltf_ceiling_enumeration(masses: Any, labels: Any, max_weight: int | None = None,
                            chunk: int = 8192, return_argmax: bool = False) -> Any:
    """Best accuracy of *every* linear threshold of ``k`` ±1 variables, by exhaustive enumeration.

    The distribution of ``x`` in ``{-1,+1}^k`` is permutation-symmetric with ``Pr[m] = masses[m]``
    (``m`` = number of ``-1`` coordinates) and label ``labels[m]``. Every threshold function of
    ``k <= 6`` variables has integer weights of magnitude at most ``1, 1, 2, 3, 5, 9`` (Muroga 1971);
    by symmetry only sorted weight vectors are needed, and every threshold is a cut between two
    consecutive distinct values of ``<w, x>``. Exact: integer arithmetic on the common denominator.
    This is independent of the tabulated hull in :mod:`featurecheck.theory.structured` (no profiles, no hull).

    Parameters
    ----------
    masses : sequence of rationals, length ``k + 1``
    labels : sequence of ±1, length ``k + 1``
    max_weight : int, optional
        Weight range ``[-max_weight, max_weight]``; default Muroga's bound for ``k`` (``k <= 6``).
    return_argmax : bool
        Also return one maximiser ``(w, theta, s)``: predict ``+1`` iff ``s (<w, x> - theta) > 0``.

    Examples
    --------
    >>> from featurecheck.theory.structured import count_masses
    >>> ltf_ceiling_enumeration(count_masses(3), [1, -1, 1, -1])
    Fraction(3, 4)
    >>> ltf_ceiling_enumeration(count_masses(1), [-1, 1], return_argmax=True)
    (Fraction(1, 1), (-1,), 0.0, 1)
    """
    from math import comb, lcm

    ms = [Fraction(v) for v in masses]
    k = len(ms) - 1
    if k < 1 or len(labels) != k + 1:
        raise ValueError(f"masses and labels must have the same length k+1 >= 2, got {len(ms)} and {len(labels)}")
    if max_weight is None:
        if k not in TS.MUROGA_MAX_WEIGHT:
            raise ValueError(f"k must be in [1, 6] for exhaustive enumeration, got k={k}")
        max_weight = TS.MUROGA_MAX_WEIGHT[k]
    max_weight = check_int("max_weight", max_weight, 1, 64)
    pts = _sign_points(k)
    mcount = (pts < 0).sum(axis=1)
    per_point = [ms[m] / comb(k, m) for m in range(k + 1)]
    L = lcm(*[v.denominator for v in per_point])
    c = np.array([int(per_point[m] * L) * int(labels[m]) for m in mcount], dtype=np.int64)
    total = int(sum(ms) * L)
    neg = int(sum(ms[m] for m in range(k + 1) if labels[m] == -1) * L)
    # constants first: all -1 (w = 0, theta = 0, s = 1) and all +1 (s = -1)
    best, arg = (neg, (tuple([0] * k), 0.0, 1)) if neg >= total - neg else (total - neg, (tuple([0] * k), 0.0, -1))
    for block, order, vs, valid in _sorted_cuts(pts, max_weight, chunk):
        acc = neg + np.cumsum(c[order], axis=1)  # predict +1 on the top j+1 points
        a = np.where(valid, np.maximum(acc, total - acc), -1)
        flat = int(np.argmax(a))
        if int(a.flat[flat]) > best:
            r, j = divmod(flat, a.shape[1])
            best = int(a.flat[flat])
            theta = (float(vs[r, j]) + float(vs[r, j + 1])) / 2 if j + 1 < vs.shape[1] else float(vs[r, j]) - 1.0
            arg = (tuple(int(t) for t in block[r]), theta, 1 if acc[r, j] >= total - acc[r, j] else -1)
    val = Fraction(best, L)
    return (val, *arg) if return_argmax else val


def ltf_profiles_enumeration(k: int, max_weight: int | None = None, chunk: int = 4096) -> set[tuple[int, ...]]:
    """Every level profile ``(N_0, ..., N_k)`` of a threshold function of ``k`` variables, by exhaustive enumeration.

    ``N_m`` is the number of points with ``m`` coordinates ``-1`` mapped to ``+1``; the enumeration is that
    of :func:`ltf_ceiling_enumeration`. Slow for ``k = 6`` (minutes).

    Examples
    --------
    >>> sorted(ltf_profiles_enumeration(1))
    [(0, 0), (0, 1), (1, 0), (1, 1)]
    """
    k = check_int("k", k, 1, 6)
    W = check_int("max_weight", TS.MUROGA_MAX_WEIGHT[k] if max_weight is None else max_weight, 1, 64)
    pts = _sign_points(k)
    onehot = np.eye(k + 1, dtype=np.int64)[(pts < 0).sum(axis=1)]
    out: set[tuple[int, ...]] = {tuple([0] * (k + 1))}
    for _, order, _, valid in _sorted_cuts(pts, W, chunk):
        prof = np.cumsum(onehot[order], axis=1)
        out.update(map(tuple, np.unique(prof[valid], axis=0).tolist()))
    return out


def all_cube_points(n: int) -> np.ndarray:
    """All ``2^n`` points of ``{-1,+1}^n`` as float32 rows, in the featurecheck bit order.

    Bit ``i`` of the row index set means ``x_i = -1``. (Random cube samples: ``featurecheck.cube_points``.)

    Examples
    --------
    >>> all_cube_points(2).tolist()
    [[1.0, 1.0], [-1.0, 1.0], [1.0, -1.0], [-1.0, -1.0]]
    """
    n = check_int("n", n, 1, 22)
    idx = np.arange(1 << n, dtype=np.int64)
    return (1 - 2 * ((idx[:, None] >> np.arange(n)) & 1)).astype(np.float32)


def _walsh_columns(F: np.ndarray, n: int) -> np.ndarray:
    """Walsh sums ``sum_x F[x, j] (-1)^{|x & S|}`` of every column (float64, C order).

    The transform is the integer :func:`featurecheck.numerics.estimators.walsh.fwht`.

    Each float64 value is a dyadic rational; ``F`` is split exactly into limbs ``I_l 2^{-g_l}`` with
    integer ``I_l``, ``max|I_l| <= 2^(53 - n)``, so every limb's transform is exact in int64 and in
    float64. One limb holds ``F`` when its values span at most ``53 - n`` bits (integer features, and
    the float32-weight embeddings of :func:`dm_embedding`): the result is then the exact transform.
    More limbs are summed in float64, largest first.
    """
    out = np.zeros(F.shape, dtype=np.float64)
    rest = F
    while rest.size and (m := float(np.abs(rest).max())) > 0:
        g = 53 - n - math.frexp(m)[1]  # m < 2^(53 - n - g)
        ints = np.rint(np.ldexp(rest, g))
        T = np.ascontiguousarray(ints.T, dtype=np.int64)  # one row per column of F
        for j in range(len(T)):
            T[j] = fwht(T[j], copy=False)
        out += np.ldexp(T.T.astype(np.float64), -g)
        rest = rest - np.ldexp(ints, -g)  # exact: the bits of rest below 2^-g
    return out


def dm_feature_correlation(features: np.ndarray, n: int, k: int) -> float:
    """``avg_{|A| = k} ||E_unif[Psi(x) chi_A(x)]||^2`` for an embedding tabulated on the whole cube.

    ``features`` has shape ``(2^n, N)`` (row = :func:`all_cube_points` order). The Walsh transform of
    each column gives every ``hat Psi_j(A)``; the level-``k`` weights are summed and divided by
    ``C(n, k)``. This equals ``avg_A max_{||w|| <= 1} (E[<w, Psi> chi_A])^2`` (Daniely & Malach
    2020), whose bound is :func:`featurecheck.theory.structured.dm_fixed_feature_bound`.

    Examples
    --------
    >>> X = all_cube_points(4)
    >>> round(dm_feature_correlation(X[:, :2] * X[:, 2:3], 4, 2), 12)  # Psi = (chi_{0,2}, chi_{1,2})
    0.333333333333
    """
    n = check_int("n", n, 1, 22)
    k = check_int("k", k, 0, n)
    F = np.array(features, dtype=np.float64, copy=True)
    if F.ndim != 2 or F.shape[0] != 1 << n:
        raise ValueError(f"features must have shape (2^n, N) = ({1 << n}, N), got {F.shape}")
    if not np.isfinite(F).all():
        raise ValueError("features must be finite")
    F = _walsh_columns(F, n)
    F /= float(1 << n)
    pc = np.array([bin(i).count("1") for i in range(1 << n)])
    return float((F[pc == k] ** 2).sum() / math.comb(n, k))


def dm_first_order_signal_exact(n: int, k: int, q: Any = Fraction(1, 2), common: str = "plus",
                                i: int = 0) -> Fraction:
    """``E_{D_A}[chi_A(x) x_i]`` (``A = {0..k-1}``) by exact enumeration of the cube (``n <= 16``).

    The uniform part is the integer sum over all ``2^n`` points; the easy part sums over the points
    whose coordinates in ``A`` all equal the common value (both signs for ``common="random"``).

    Examples
    --------
    >>> dm_first_order_signal_exact(8, 4, i=0), dm_first_order_signal_exact(8, 4, i=5)
    (Fraction(1, 2), Fraction(0, 1))
    >>> dm_first_order_signal_exact(8, 4, common="random", i=0)
    Fraction(0, 1)
    """
    n = check_int("n", n, 1, 16)
    k = check_int("k", k, 1, n)
    i = check_int("i", i, 0, n - 1)
    q = Fraction(check_real("q", q, 0, 1, exact=True))
    if common not in TS.COMMON_VALUES:
        raise ValueError(f"common must be one of {list(TS.COMMON_VALUES)}, got {common!r}")
    X = all_cube_points(n).astype(np.int64)
    chi = np.prod(X[:, :k], axis=1)
    g = chi * X[:, i]
    uni = Fraction(int(g.sum()), 1 << n)
    vals = (1,) if common == "plus" else (1, -1)
    easy = Fraction(0)
    for v in vals:
        mask = np.all(X[:, :k] == v, axis=1)
        easy += Fraction(int(g[mask].sum()), int(mask.sum())) / len(vals)
    return (1 - q) * uni + q * easy


def dm_embedding(n: int, N: int, kind: str, k: int = 1, seed: int = 0) -> np.ndarray:
    """Tabulate a fixed embedding ``Psi: {-1,1}^n -> [-1,1]^N`` on the whole cube.

    The rows are in :func:`all_cube_points` order.

    ``kind``: ``truncated-relu-init`` (``min(1, max(<w, x> + b, 0))`` at the network's initialisation,
    ``w ~ N(0, I/n)``, ``b ~ U(-1, 1)``), ``sign-init`` (``sign(<w, x> + b)``), or ``parities``
    (``N`` distinct k-parities, the case where the Daniely–Malach bound is tight).

    Examples
    --------
    >>> dm_embedding(4, 3, "parities", k=2).shape
    (16, 3)
    """
    n = check_int("n", n, 1, 20)
    N = check_int("N", N, 1, 1 << 14)
    X = all_cube_points(n)
    if kind in ("truncated-relu-init", "sign-init"):
        W, b, _ = init_network(n, NetConfig(width=N), seed)
        Z = X.astype(np.float64) @ W.T.astype(np.float64) + b
        return np.clip(Z, 0, 1) if kind == "truncated-relu-init" else np.where(Z >= 0, 1.0, -1.0)
    if kind == "parities":
        from itertools import combinations, islice

        k = check_int("k", k, 0, n)
        subsets = list(islice(combinations(range(n), k), N))
        if len(subsets) < N:
            raise ValueError(f"N must be at most C(n, k) = {math.comb(n, k)} for parities, got {N}")
        return np.stack([np.prod(X[:, list(S)], axis=1) for S in subsets], axis=1).astype(np.float64)
    raise ValueError(f"kind must be one of ['truncated-relu-init', 'sign-init', 'parities'], got {kind!r}")
