"""Numeric checks behind the bound catalogue (:mod:`featurecheck.theory.bounds`).

SQ dimension, CSQ Bessel, the Shalev-Shwartz et al. gradient variance, the GF(2) learner and brute-force ERM.

Public wrappers around :mod:`featurecheck.numerics._kernels.bounds`: they validate arguments before any kernel runs,
own the seeding (counter-based streams keyed by (seed, purpose, chunk), :mod:`featurecheck.numerics._kernels.rng`) and the
chunking, and return typed results. Conventions: bit ``i`` of a word is coordinate ``i``; a set bit
means ``x_i = -1``; ``chi_S(x) = prod_{i in S} x_i``; expectations are over the uniform cube.

Intervals: success probabilities get two-sided Clopper-Pearson (exact binomial, scipy.stats.beta) or
Wilson intervals at a stated ``alpha``; the gradient-variance Monte Carlo uses the empirical Bernstein
interval of :func:`featurecheck.numerics.estimators.intervals.interval_radius` with the almost-sure range of one draw.

References
----------
Shalev-Shwartz, Shamir, Shammah 2017, "Failures of Gradient-Based Deep Learning", Thm 1.
Blum, Furst, Jackson, Kearns, Mansour, Rudich 1994 (SQ dimension). Clopper & Pearson 1934;
Wilson 1927.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from itertools import combinations
from typing import Literal

import numpy as np

from featurecheck.numerics._kernels import bounds as K
from featurecheck.numerics._kernels.rng import Purpose, generator, stream_key
from featurecheck.numerics.estimators.intervals import DEFAULT_ALPHA, Estimate, clopper_pearson, interval_radius, wilson
from featurecheck.theory._exact import binomial
from featurecheck.theory._validate import check_int, check_probability, check_real
from featurecheck.theory.bounds import krawtchouk

__all__ = [
    "BinomialEstimate",
    "clopper_pearson",
    "wilson",
    "parity_tables",
    "orthonormal_count",
    "random_queries",
    "span_query",
    "level_weight_ratio",
    "ReluNet",
    "relu_net",
    "gradient_table",
    "GradientVariance",
    "gradient_variance_exact",
    "gradient_variance_family",
    "gradient_variance_mc",
    "gf2_success_mc",
    "gf2_full_rank_enumerated",
    "erm_success_mc",
    "erm_success_enumerated",
    "subset_masks",
    "MAX_TABLE_N",
    "MAX_ENUM_BITS",
]

MAX_TABLE_N = 16  # truth tables / FWHT of 2^n entries
MAX_ENUM_BITS = 24  # exact enumeration over 2^(n m) sample matrices
TRIAL_CHUNK = 4096
_MAX_TRIALS = 1 << 40

IntervalName = Literal["clopper-pearson", "wilson"]


# ----------------------------------------------------------------- binomial intervals
@dataclass(frozen=True)
class BinomialEstimate:
    """A Monte Carlo success probability.

    Attributes
    ----------
    successes, trials : int
    value : float
        ``successes / trials``.
    ci : (float, float)
        Two-sided ``1 - alpha`` interval of kind ``interval``.
    alpha : float
    interval : {"clopper-pearson", "wilson"}
    seed : int
    anomalies : int
        Trials where the learner returned a wrong answer despite claiming success (must be 0).
    """

    successes: int
    trials: int
    value: float
    ci: tuple[float, float]
    alpha: float
    interval: str
    seed: int
    anomalies: int = 0

    def contains(self, p: float | Fraction) -> bool:
        """Return whether ``p`` lies in the interval (exact comparison for Fractions)."""
        return Fraction(self.ci[0]) <= Fraction(p) <= Fraction(self.ci[1])


def _binomial_estimate(succ: int, trials: int, alpha: float, interval: str, seed: int, anomalies: int = 0
                       ) -> BinomialEstimate:
    if interval == "clopper-pearson":
        ci = clopper_pearson(succ, trials, alpha)
    elif interval == "wilson":
        ci = wilson(succ, trials, alpha)
    else:
        raise ValueError(f"interval must be 'clopper-pearson' or 'wilson', got {interval!r}")
    return BinomialEstimate(succ, trials, succ / trials, ci, alpha, interval, seed, anomalies)


def _chunks(trials: int) -> tuple[int, int]:
    n_chunks = (trials + TRIAL_CHUNK - 1) // TRIAL_CHUNK
    return n_chunks, trials - (n_chunks - 1) * TRIAL_CHUNK


def _use_parallel(n_chunks: int, parallel: bool | None) -> bool:
    return n_chunks >= 8 if parallel is None else bool(parallel)


# ----------------------------------------------------------------- SQ dimension
def subset_masks(n: int, k: int) -> np.ndarray:
    """Bit masks of all k-subsets of ``{0..n-1}`` in lexicographic order (uint64, ``n <= 64``).

    Examples
    --------
    >>> [int(v) for v in subset_masks(3, 2)]
    [3, 5, 6]
    """
    n = check_int("n", n, 1, 64)
    k = check_int("k", k, 0, n)
    count = binomial(n, k)
    if count > 1 << 22:
        raise ValueError(f"C(n={n}, k={k}) = {count} subsets exceed the limit 2^22")
    return np.array([sum(1 << i for i in c) for c in combinations(range(n), k)], dtype=np.uint64)


def parity_tables(n: int, k: int) -> np.ndarray:
    """Truth tables (int8, ±1) of the C(n,k) k-parities, one row per subset (``n <= 16``).

    Examples
    --------
    >>> parity_tables(2, 1).tolist()
    [[1, -1, 1, -1], [1, 1, -1, -1]]
    """
    n = check_int("n", n, 1, MAX_TABLE_N)
    k = check_int("k", k, 0, n)
    masks = subset_masks(n, k)
    x = np.arange(1 << n, dtype=np.uint64)
    par = np.bitwise_count(x[None, :] & masks[:, None]) & 1
    return (1 - 2 * par.astype(np.int8)).astype(np.int8)


def orthonormal_count(tables: np.ndarray) -> int:
    """Count the rows ``f`` of an integer truth-table matrix with ``E[f g] = 1[f = g]`` against every row.

    The Gram matrix ``T T^T`` is computed in float64 BLAS; it is exact because every partial sum is an
    integer below 2^53 (checked). For the k-parities the count is C(n,k) (the SQ dimension).

    Examples
    --------
    >>> orthonormal_count(parity_tables(4, 2))
    6
    >>> orthonormal_count(np.array([[1, 1, 1, 1], [1, 1, 1, -1]]))
    0
    """
    T = np.asarray(tables)
    if T.ndim != 2 or T.shape[1] == 0 or T.shape[1] & (T.shape[1] - 1):
        raise ValueError(f"tables must be a 2-d array with 2^n columns, got shape {T.shape}")
    if not np.issubdtype(T.dtype, np.integer):
        raise ValueError(f"tables must be integer-valued (exact Gram matrix), got {T.dtype}")
    N = T.shape[1]
    mx = int(np.abs(T.astype(np.int64)).max())
    if mx * mx * N >= 2**53:
        raise ValueError(f"max|f|^2 * 2^n = {mx * mx * N} >= 2^53: the float64 Gram matrix would not be exact")
    Tf = T.astype(np.float64)
    G = Tf @ Tf.T
    ok = np.all(G == N * np.eye(T.shape[0]), axis=1)
    return int(ok.sum())


# ----------------------------------------------------------------- CSQ / Bessel
def random_queries(n: int, count: int, seed: int, levels: int = 8) -> np.ndarray:
    """``count`` random bounded queries ``q: {-1,1}^n -> [-1,1]`` as integers ``a(x) = levels q(x)``.

    Values are uniform on ``{-levels..levels}`` independently per point, keyed by (seed, query, x).

    Examples
    --------
    >>> A = random_queries(3, 2, seed=0)
    >>> A.shape, int(abs(A).max()) <= 8
    ((2, 8), True)
    """
    n = check_int("n", n, 1, MAX_TABLE_N)
    count = check_int("count", count, 1, 4096)
    levels = check_int("levels", levels, 1, 1 << 20)
    seed = check_int("seed", seed, 0, 2**63 - 1)
    out = np.empty((count, 1 << n), dtype=np.int64)
    K.query_values(stream_key(seed, Purpose.QUERIES), np.int64(levels), out)
    return out


def span_query(n: int, k: int, seed: int, terms: int = 2) -> np.ndarray:
    """Return an integer query in the span of ``terms`` random k-parities (random signs): Bessel is tight.

    Examples
    --------
    >>> q = span_query(4, 2, seed=1)
    >>> level_weight_ratio(q, 2)
    Fraction(1, 1)
    """
    n = check_int("n", n, 1, MAX_TABLE_N)
    k = check_int("k", k, 1, n)
    masks = subset_masks(n, k)
    rng = generator(check_int("seed", seed, 0), Purpose.QUERIES, n, k)
    pick = rng.choice(masks.size, size=min(terms, masks.size), replace=False)
    signs = rng.choice(np.array([-1, 1]), size=pick.size)
    x = np.arange(1 << n, dtype=np.uint64)
    q = np.zeros(1 << n, dtype=np.int64)
    for s, i in zip(signs, pick, strict=True):
        q += int(s) * (1 - 2 * (np.bitwise_count(x & masks[i]) & 1).astype(np.int64))
    return q


def level_weight_ratio(q: np.ndarray, k: int) -> Fraction:
    """``sum_{|S|=k} hat q(S)^2 / E[q^2]`` exactly (integer FWHT), for an integer-valued query.

    Bessel's inequality over the orthonormal k-parities says the ratio is at most 1.

    Examples
    --------
    >>> level_weight_ratio(np.array([1, 1, 1, -1]), 1)
    Fraction(1, 2)
    """
    a = np.asarray(q)
    if a.ndim != 1 or a.size < 2 or a.size & (a.size - 1):
        raise ValueError(f"q must be a 1-d integer array of length 2^n, got shape {a.shape}")
    n = a.size.bit_length() - 1
    k = check_int("k", k, 0, n)
    norm = sum(int(v) * int(v) for v in a.tolist())
    if norm == 0:
        raise ValueError("q must not be identically zero (E[q^2] = 0)")
    spec = _fwht_columns(a.astype(np.int64).reshape(-1, 1))[:, 0]
    idx = np.bitwise_count(np.arange(a.size, dtype=np.uint64)) == k
    level = sum(int(v) * int(v) for v in spec[idx].tolist())
    # hat q(S) = spec[S] / 2^n, E[q^2] = norm / 2^n
    return Fraction(level, norm << n)


# ----------------------------------------------------------------- ReLU network gradients
@dataclass(frozen=True)
class ReluNet:
    """``p(x) = sum_j a_j ReLU(w_j . x + b_j)`` with integer ``W``, ``a`` and half-integer ``b = b2 / 2``."""

    n: int
    W: np.ndarray
    b2: np.ndarray
    a: np.ndarray

    @property
    def width(self) -> int:
        """The number of hidden units (rows of ``W``)."""
        return int(self.W.shape[0])

    @property
    def n_params(self) -> int:
        """The number of parameters: ``n`` weights, a bias and an output weight per unit."""
        return self.width * (self.n + 2)

    def max_grad_norm2(self) -> Fraction:
        """Return an almost-sure bound on ``||grad_theta p(x)||^2``: ``sum_j (|w_j|_1 + |b_j|)^2 + a_j^2 (n+1)``."""
        tot = Fraction(0)
        for j in range(self.width):
            z = Fraction(int(np.abs(self.W[j]).sum())) + Fraction(abs(int(self.b2[j])), 2)
            tot += z * z + int(self.a[j]) ** 2 * (self.n + 1)
        return tot


def relu_net(n: int, width: int = 4, net: int = 0, wmax: int = 2) -> ReluNet:
    """Return a random small ReLU network, keyed by ``net`` (not by the checking seed).

    ``W_ji`` is uniform on ``{-wmax..wmax}``, ``b_j`` on ``{-2.5, -1.5, ..., 2.5}``, ``a_j = ±1``.

    Examples
    --------
    >>> f = relu_net(5, width=3, net=7)
    >>> f.W.shape, f.n_params, bool(np.all(f.b2 % 2 == 1))
    ((3, 5), 21, True)
    """
    n = check_int("n", n, 1, 64)
    width = check_int("width", width, 1, 64)
    net = check_int("net", net, 0, 2**32)
    wmax = check_int("wmax", wmax, 1, 1000)
    rng = generator(net, Purpose.RELU_NET, n, width, wmax)
    W = rng.integers(-wmax, wmax + 1, size=(width, n), dtype=np.int64)
    b2 = 2 * rng.integers(-3, 3, size=width, dtype=np.int64) + 1
    a = rng.choice(np.array([-1, 1], dtype=np.int64), size=width)
    return ReluNet(n, W, b2, a)


def gradient_table(net: ReluNet) -> np.ndarray:
    """``2 grad_theta p(x)`` for every ``x`` (int64, ``2^n x n_params``), ``n <= 16``.

    Examples
    --------
    >>> gradient_table(relu_net(3, width=2)).shape
    (8, 10)
    """
    check_int("n", net.n, 1, MAX_TABLE_N)
    out = np.empty((1 << net.n, net.n_params), dtype=np.int64)
    K.relu_grad_table(np.int64(net.n), net.W, net.b2, net.a, out)
    return out


@dataclass(frozen=True)
class GradientVariance:
    """Exact ``|H| Var_h ||grad F_h - mean||^2`` and ``G^2 = E ||grad p||^2`` for one network and family.

    ``delta = var_times_size - G2`` is at most 0 when the family is pairwise orthogonal with unit norm
    (Shalev-Shwartz et al. 2017, Thm 1; Bessel).
    """

    var_times_size: Fraction
    G2: Fraction
    size: int

    @property
    def delta(self) -> Fraction:
        """``|H| Var - G^2``: at most 0 when the family is pairwise orthonormal (Bessel)."""
        return self.var_times_size - self.G2

    @property
    def ratio(self) -> Fraction | None:
        """``|H| Var / G^2`` (at most 1 under the theorem); None when ``G^2 = 0``.

        ``G^2 = 0`` is a network whose gradient vanishes at every point (every unit dead on the cube,
        e.g. ``ReLU(-x_0 - 3/2)``); then ``|H| Var = 0`` too and ``delta = 0``, and the ratio is undefined.
        """
        return None if self.G2 == 0 else self.var_times_size / self.G2


def _sum_sq_int(a: np.ndarray) -> int:
    # exact sum of squares of an int64 array, column by column in int64 with an overflow guard
    tot = 0
    for j in range(a.shape[1]):
        col = a[:, j]
        mx = int(np.abs(col).max()) if col.size else 0
        if mx * mx * col.size < 2**63:
            tot += int(np.dot(col, col))
        else:  # pragma: no cover - not reached for n <= 16
            tot += sum(int(v) * int(v) for v in col.tolist())
    return tot


def _fwht_columns(D: np.ndarray) -> np.ndarray:
    """Unnormalised integer FWHT of every column of a ``2^n x P`` int64 array (butterflies over axis 0).

    The transform of :func:`featurecheck.numerics.estimators.walsh.fwht` (``out[S] = sum_x D[x] (-1)^{|S & x|}``), batched over
    columns in numpy so one call transforms all P gradient coordinates.

    Exact: ``|entries| <= 2^n max|D| < 2^63`` is checked first.
    """
    N, P = D.shape
    n = N.bit_length() - 1
    mx = int(np.abs(D).max()) if D.size else 0
    if (mx << n) >= 2**62:
        raise ValueError(f"FWHT would overflow int64: max|D| * 2^n = {mx << n}")
    a = D.copy()
    h = 1
    while h < N:
        v = a.reshape(N // (2 * h), 2, h, P)
        lo = v[:, 0].copy()
        v[:, 0] += v[:, 1]
        v[:, 1] = lo - v[:, 1]
        h *= 2
    return a


def gradient_variance_exact(net: ReluNet, family: str = "sparse", k: int | None = None) -> GradientVariance:
    """Compute the exact gradient variance over a parity family by an integer FWHT of each gradient column.

    The family is the k-parities (``family="sparse"``) or all ``2^n`` parities (``family="all"``), with
    the squared loss ``F_h = E[(p - h)^2 / 2]``; ``n <= 16``.

    Notes
    -----
    ``grad F_h = E[(p - h) grad p]``, so ``grad F_h - mean_h' grad F_h' = -(g_h - gbar)`` with
    ``g_h = E[h grad p]``. With ``D = 2 grad p`` and ``W_i[S] = sum_x D_i(x) chi_S(x)``,
    ``|H| Var = (sum_S ||W[S]||^2 - ||sum_S W[S]||^2 / |H|) / (4 4^n)`` and
    ``G^2 = sum_x ||D(x)||^2 / (4 2^n)``.

    Examples
    --------
    >>> gv = gradient_variance_exact(relu_net(6), "sparse", 2)
    >>> gv.size, gv.delta <= 0
    (15, True)
    """
    n = check_int("n", net.n, 1, MAX_TABLE_N)
    if family not in ("sparse", "all"):
        raise ValueError(f"family must be 'sparse' or 'all', got {family!r}")
    D = gradient_table(net)
    spec = _fwht_columns(D)
    if family == "sparse":
        k = check_int("k", k, 0, n)
        sel = np.bitwise_count(np.arange(1 << n, dtype=np.uint64)) == k
        spec = spec[sel]
    size = spec.shape[0]
    A = _sum_sq_int(spec)
    colsum = [int(v) for v in spec.sum(axis=0, dtype=np.int64).tolist()]  # |sum| <= 2^16 * 2^n * max|D|
    B = sum(v * v for v in colsum)
    N = 1 << n
    var_times_size = (Fraction(A) - Fraction(B, size)) / (4 * N * N)
    G2 = Fraction(_sum_sq_int(D), 4 * N)
    return GradientVariance(var_times_size, G2, size)


def gradient_variance_family(net: ReluNet, family_tables: np.ndarray) -> GradientVariance:
    """Exact ``|H| Var`` and ``G^2`` for an arbitrary integer-valued family (rows = truth tables).

    Used for negative controls: a family that is not pairwise orthogonal can exceed the bound.

    Examples
    --------
    >>> f = relu_net(4)
    >>> gradient_variance_family(f, parity_tables(4, 2)) == gradient_variance_exact(f, "sparse", 2)
    True
    """
    n = check_int("n", net.n, 1, MAX_TABLE_N)
    H = np.asarray(family_tables)
    if H.ndim != 2 or H.shape[1] != 1 << n or not np.issubdtype(H.dtype, np.integer):
        raise ValueError(f"family_tables must be an integer array of shape (|H|, 2^n={1 << n}), got {H.shape}")
    D = gradient_table(net)
    size = H.shape[0]
    hmax = int(np.abs(H.astype(np.int64)).max()) if H.size else 0
    dmax = int(np.abs(D).max()) if D.size else 0
    if hmax * dmax * (1 << n) * max(size, 1) < 2**62:
        G = H.astype(np.int64) @ D  # exact: every partial sum is below 2^62
        A = _sum_sq_int(G)
        B = sum(int(v) * int(v) for v in G.sum(axis=0).tolist())
    else:  # pragma: no cover - huge families only
        Go = H.astype(object) @ D.astype(object)
        A = sum(int(v) * int(v) for v in Go.ravel().tolist())
        B = sum(int(v) * int(v) for v in Go.sum(axis=0).tolist())
    N = 1 << n
    var_times_size = (Fraction(A) - Fraction(B, size)) / (4 * N * N)
    return GradientVariance(var_times_size, Fraction(_sum_sq_int(D), 4 * N), size)


def gradient_variance_mc(net: ReluNet, k: int, pairs: int = 1 << 20, seed: int = 0, alpha: float = DEFAULT_ALPHA,
                         interval: str = "bernstein", parallel: bool | None = None,
                         c_g: float | Fraction = 1) -> Estimate:
    """Monte Carlo estimate of ``|H| Var_h - c_g G^2`` over the k-parities from independent pairs ``(x, x')``.

    The theorem says the mean is at most 0 for ``c_g = 1``; other ``c_g`` serve negative controls.

    Notes
    -----
    With ``K_k(c)`` the Krawtchouk value (:func:`featurecheck.theory.bounds.krawtchouk`), ``sum_{|S|=k} chi_S(x)
    chi_S(x') = K_k(|x xor x'|)`` and ``sum_S chi_S(x) = K_k(|x|)``, so
    ``Y = <dp(x), dp(x')> (K_k(|x xor x'|) - K_k(|x|) K_k(|x'|) / C(n,k)) - ||dp(x)||^2`` has mean
    ``sum_S ||g_S||^2 - C(n,k) ||gbar||^2 - G^2`` exactly. Almost surely
    ``-M (2 C(n,k) + c_g) <= Y <= 2 M C(n,k)`` with ``M`` = :meth:`ReluNet.max_grad_norm2`, the range used by the
    interval. The per-chunk float sums are added in chunk order (thread-count independent).

    Examples
    --------
    >>> est = gradient_variance_mc(relu_net(12, net=1), 2, pairs=1 << 16, seed=0, alpha=1e-3)
    >>> exact = gradient_variance_exact(relu_net(12, net=1), "sparse", 2).delta
    >>> bool(est.ci[0] <= exact <= est.ci[1])
    True
    """
    n = check_int("n", net.n, 2, 63)
    k = check_int("k", k, 1, n)
    pairs = check_int("pairs", pairs, 2, _MAX_TRIALS)
    seed = check_int("seed", seed, 0, 2**63 - 1)
    alpha = check_probability("alpha", alpha)
    c_g = float(check_real("c_g", c_g, 0.0, 1e6))
    cnk = binomial(n, k)
    if cnk >= 2**53:
        raise ValueError(f"C(n={n}, k={k}) = {cnk} >= 2^53: Krawtchouk values would not be exact in float64")
    kr = np.array([float(krawtchouk(n, k, c)) for c in range(n + 1)])
    n_chunks, last = _chunks(pairs)
    out = np.zeros((n_chunks, K.ROW), dtype=np.float64)
    kern = K.sss_pairs if _use_parallel(n_chunks, parallel) else K.sss_pairs_serial
    kern(stream_key(seed, Purpose.SSS_VARIANCE), np.int64(0), np.int64(n_chunks), np.int64(TRIAL_CHUNK), np.int64(last),
         np.int64(n), net.W, net.b2, net.a, kr, np.float64(cnk), np.float64(c_g), out)
    s1 = math.fsum(out[:, 0].tolist())
    s2 = math.fsum(out[:, 1].tolist())
    mean = s1 / pairs
    var = max(0.0, (s2 - pairs * mean * mean) / (pairs - 1))
    M = float(net.max_grad_norm2())
    lo_y, hi_y = -M * (2 * cnk + c_g), M * 2 * cnk
    rad = interval_radius(interval, pairs, var, lo_y, hi_y, alpha)
    return Estimate(mean, math.sqrt(var / pairs), (mean - rad, mean + rad), pairs, seed, alpha, interval)


# ----------------------------------------------------------------- GF(2) learner
def gf2_success_mc(n: int, m: int, trials: int = 200_000, seed: int = 0, alpha: float = DEFAULT_ALPHA,
                   interval: IntervalName = "clopper-pearson", parallel: bool | None = None) -> BinomialEstimate:
    """Run the bit-packed Gaussian-elimination learner on ``trials`` fresh noiseless parity problems.

    Each trial draws a uniform secret ``s`` in ``F_2^n`` and ``m`` uniform samples ``(x_j, <x_j, s>)``,
    eliminates, and succeeds iff the system has a unique solution (rank n); ``anomalies`` counts
    unique solutions different from ``s`` (a learner bug; must be 0).

    Examples
    --------
    >>> est = gf2_success_mc(10, 12, trials=20_000, seed=0, alpha=1e-3)
    >>> from featurecheck.theory.bounds import gf2_full_rank_probability
    >>> est.contains(gf2_full_rank_probability(10, 12)), est.anomalies
    (True, 0)
    """
    n = check_int("n", n, 1, 63)
    m = check_int("m", m, 1, 4096)
    trials = check_int("trials", trials, 1, _MAX_TRIALS)
    seed = check_int("seed", seed, 0, 2**63 - 1)
    alpha = check_probability("alpha", alpha)
    n_chunks, last = _chunks(trials)
    out = np.zeros((n_chunks, K.ROW), dtype=np.int64)
    kern = K.gf2_trials if _use_parallel(n_chunks, parallel) else K.gf2_trials_serial
    kern(stream_key(seed, Purpose.GF2), np.int64(0), np.int64(n_chunks), np.int64(TRIAL_CHUNK), np.int64(last),
         np.int64(n), np.int64(m), out)
    succ, wrong = int(out[:, 0].sum()), int(out[:, 1].sum())
    return _binomial_estimate(succ, trials, alpha, interval, seed, wrong)


def gf2_full_rank_enumerated(n: int, m: int) -> Fraction:
    """Exact fraction of the ``2^(n m)`` sample matrices with rank n, by enumeration (``n m <= 24``).

    Examples
    --------
    >>> gf2_full_rank_enumerated(2, 2)
    Fraction(3, 8)
    """
    n = check_int("n", n, 1, 63)
    m = check_int("m", m, 1, MAX_ENUM_BITS)
    if n * m > MAX_ENUM_BITS:
        raise ValueError(f"n*m must be <= {MAX_ENUM_BITS} for enumeration, got n*m = {n * m}")
    return Fraction(int(K.gf2_enum_full_rank(np.int64(n), np.int64(m))), 1 << (n * m))


# ----------------------------------------------------------------- brute-force ERM
def _erm_args(n: int, k: int, m: int) -> tuple[int, int, int, np.ndarray, np.uint64]:
    n = check_int("n", n, 1, 63)
    k = check_int("k", k, 1, n)
    m = check_int("m", m, 1, 4096)
    masks = subset_masks(n, k)
    return n, k, m, masks, np.uint64((1 << k) - 1)


def erm_success_mc(n: int, k: int, m: int, trials: int = 100_000, seed: int = 0, alpha: float = DEFAULT_ALPHA,
                   interval: IntervalName = "clopper-pearson", parallel: bool | None = None) -> BinomialEstimate:
    """Success probability of brute-force ERM over the C(n,k) subsets with ``m`` noiseless samples.

    Success means the true subset (``{0..k-1}``; by symmetry any fixed subset) is the only k-subset
    consistent with all labels.

    Examples
    --------
    >>> from featurecheck.theory.bounds import erm_union_bound
    >>> est = erm_success_mc(12, 2, 9, trials=20_000, seed=0, alpha=1e-3)
    >>> est.ci[1] >= erm_union_bound(12, 2, 9)
    True
    """
    n, k, m, masks, secret = _erm_args(n, k, m)
    trials = check_int("trials", trials, 1, _MAX_TRIALS)
    seed = check_int("seed", seed, 0, 2**63 - 1)
    alpha = check_probability("alpha", alpha)
    n_chunks, last = _chunks(trials)
    out = np.zeros((n_chunks, K.ROW), dtype=np.int64)
    kern = K.erm_trials if _use_parallel(n_chunks, parallel) else K.erm_trials_serial
    kern(stream_key(seed, Purpose.ERM), np.int64(0), np.int64(n_chunks), np.int64(TRIAL_CHUNK), np.int64(last),
         np.int64(n), np.int64(m), secret, masks, out)
    return _binomial_estimate(int(out[:, 0].sum()), trials, alpha, interval, seed)


def erm_success_enumerated(n: int, k: int, m: int) -> Fraction:
    """Exact ERM success probability by enumerating all ``2^(n m)`` sample matrices (``n m <= 24``).

    Examples
    --------
    >>> erm_success_enumerated(3, 1, 2)
    Fraction(9, 16)
    """
    n, k, m, masks, secret = _erm_args(n, k, m)
    if n * m > MAX_ENUM_BITS:
        raise ValueError(f"n*m must be <= {MAX_ENUM_BITS} for enumeration, got n*m = {n * m}")
    return Fraction(int(K.erm_enum_success(np.int64(n), np.int64(m), secret, masks)), 1 << (n * m))
