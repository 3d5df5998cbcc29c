"""Boolean-cube functions, exact enumeration and Monte Carlo Fourier coefficients.

Public wrappers around the private kernels in ``featurecheck.numerics._kernels.cube``: they validate arguments,
own the seeding and chunking, and return typed results.

Conventions are those of :mod:`featurecheck.theory.boolean`: bit ``i`` of a sample word set means ``x_i = -1``;
sets are 0-based coordinate tuples or bit masks; ``hat f(S) = E[f(x) chi_S(x)]``.

Reproducibility: samples are drawn in chunks of ``CHUNK`` samples; chunk ``c`` takes its words from
32 xoshiro256++ lanes seeded by the SplitMix64 stream keyed by (seed, chunk index)
(:mod:`featurecheck.numerics._kernels.rng`). The kernels return exact integer counts per chunk, added as Python ints, so
the same seed gives bit-identical results at any thread count (``numba.set_num_threads``), and the
serial and parallel kernels agree exactly.

Exactness and overflow: ``samples <= 2^50``; per-chunk counts are at most ``CHUNK = 2^16`` and are
summed per batch of ``2^14`` chunks (at most ``2^30``) in int64, then as Python ints, so no integer
can overflow. Mean and sample variance are formed in exact rationals and rounded once.

Speed: about 2e9 samples/s on 2 cores for ``Maj_63`` on an idle development VM is the design target
(performance.md); ``benchmarks/mc_fourier.py`` measures it against a bit-packed numpy baseline.

Sizes: a :class:`CubeFunction` may have up to ``MAX_N = 10^7`` variables; exact enumeration takes
``n <= MAX_ENUM_N = 30``, Monte Carlo ``n <= MAX_MC_N = 4096``, and the exact sum over Hamming
weights (:func:`fourier_coefficient_symmetric`, :mod:`featurecheck.numerics.estimators.symmetric`) any
``n``: every ``CubeFunction`` is a symmetric function of the coordinates in ``F`` (after the sign flips)
times a parity.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Any

import numpy as np

from featurecheck.numerics._kernels import cube as K
from featurecheck.numerics._kernels.rng import CHUNK, Purpose, stream_key
from featurecheck.numerics.estimators.intervals import DEFAULT_ALPHA, INTERVAL_KINDS, Estimate, interval_radius
from featurecheck.numerics.estimators.symmetric import symmetric_coefficient, weight_sum_cost
from featurecheck.theory._validate import check_int, check_odd, check_probability, check_real, check_subset

__all__ = [
    "CubeFunction",
    "majority",
    "threshold",
    "parity",
    "constant",
    "fourier_coefficient_mc",
    "fourier_coefficient_exact",
    "fourier_coefficient_symmetric",
    "mean_exact",
    "mean_symmetric",
    "symmetric_cost",
    "symmetric_values",
    "mean_mc",
    "CHUNK",
    "MAX_ENUM_N",
    "MAX_MC_N",
    "MAX_N",
]

MAX_ENUM_N = 30
MAX_MC_N = 4096
MAX_N = 10**7  # a CubeFunction is a few n-bit masks; Monte Carlo stops at MAX_MC_N
_MAX_SAMPLES = 1 << 50
_BATCH_CHUNKS = 1 << 14
_SERIAL_MAX_CHUNKS = 16
_SERIAL_MAX_ENUM_N = 20


def _mask(coords: Iterable[int]) -> int:
    cs = list(coords)
    if len(cs) <= 64:
        m = 0
        for i in cs:
            m |= 1 << i
        return m
    bits = np.zeros(max(cs) + 1, dtype=bool)  # linear time for large sets (no n-bit int per coordinate)
    bits[cs] = True
    return int.from_bytes(np.packbits(bits, bitorder="little").tobytes(), "little")


def _set_name(s: tuple[int, ...]) -> str:
    return str(list(s)) if len(s) <= 8 else f"[{s[0]}, {s[1]}, ..., {s[-1]}] ({len(s)} coordinates)"


@dataclass(frozen=True)
class CubeFunction:
    """``f(x) = g(c(x)) * chi_P(x)`` on ``{-1,1}^n``: one threshold-type factor times a parity.

    ``c(x) = #{i in F : w_i x_i = -1}`` (``F`` = ``fmask``, ``w_i = -1`` on ``flip``) and
    ``g(c) = a if c <= t else b``. So ``sum_{i in F} w_i x_i = |F| - 2 c``. This covers majority,
    thresholds ``1[w.x >= theta]`` or ``1[w.x + bias > 0]`` with ``w in {-1,1}^F``, their ±1 versions,
    parities and every product of one of these with a parity.

    Use the constructors :func:`majority`, :func:`threshold`, :func:`parity`; multiply by a parity
    with ``f * parity(n, S)``.
    """

    n: int
    fmask: int
    flip: int
    t: int
    a: int
    b: int
    pmask: int = 0
    name: str = "f"

    @property
    def values(self) -> tuple[int, int]:
        """The two values ``(a, b)`` of the threshold factor ``g``."""
        return (self.a, self.b)

    @property
    def value_range(self) -> tuple[int, int]:
        """The least and greatest value ``f`` can take (``±a``, ``±b`` when a parity factor flips signs)."""
        vals = [self.a, self.b]
        if self.pmask:
            vals += [-self.a, -self.b]
        return (min(vals), max(vals))

    def times_parity(self, S: Iterable[int] | int) -> CubeFunction:
        """``f * chi_S``."""
        s = check_subset("S", S, self.n)
        return replace(self, pmask=self.pmask ^ _mask(s), name=f"{self.name}*chi{_set_name(s)}")

    def __mul__(self, other: CubeFunction) -> CubeFunction:
        if not isinstance(other, CubeFunction):
            return NotImplemented
        if other.n != self.n:
            raise ValueError(f"cannot multiply functions on n={self.n} and n={other.n} variables")
        if other.fmask == 0 or other.t >= bin(other.fmask).count("1"):
            # other = const * chi_P
            const = other.a if other.t >= 0 else other.b
            return replace(self, a=self.a * const, b=self.b * const, pmask=self.pmask ^ other.pmask,
                           name=f"{self.name}*{other.name}")
        if self.fmask == 0 or self.t >= bin(self.fmask).count("1"):
            return other * self
        raise ValueError("products of two threshold factors are not supported; multiply by parities only")

    def evaluate(self, x: Iterable[int]) -> int:
        """Value at one point given as a ±1 sequence (slow; for tests and examples).

        Examples
        --------
        >>> majority(3).evaluate([1, -1, 1])
        1
        """
        xs = list(x)
        if len(xs) != self.n or any(v not in (-1, 1) for v in xs):
            raise ValueError(f"x must be a ±1 sequence of length {self.n}")
        bits = sum(1 << i for i, v in enumerate(xs) if v == -1)
        c = bin((bits ^ self.flip) & self.fmask).count("1")
        sgn = -1 if bin(bits & self.pmask).count("1") % 2 else 1
        return sgn * (self.a if c <= self.t else self.b)


def majority(n: int, pm: bool = True) -> CubeFunction:
    """``Maj_n`` (n odd), ±1-valued; with ``pm=False`` the 0/1 indicator ``1[sum x > 0]``.

    Examples
    --------
    >>> majority(3).evaluate([1, 1, -1]), majority(3).evaluate([-1, 1, -1])
    (1, -1)
    """
    n = check_odd("n", n, 1, MAX_N)
    return CubeFunction(n, (1 << n) - 1, 0, (n - 1) // 2, 1, -1 if pm else 0, 0, f"Maj_{n}")


def threshold(
    n: int,
    theta: float | Fraction | int | str = 0,
    *,
    pm: bool = False,
    strict: bool = False,
    weights: Iterable[int] | None = None,
) -> CubeFunction:
    """``T(x) = 1[w.x >= theta]`` (or ``> theta`` with ``strict``), 0/1-valued; ±1 with ``pm``.

    ``weights`` is a ±1 vector (default all ones). ``1[w.x + b > 0]`` is
    ``threshold(n, -b, strict=True, weights=w)``.

    Examples
    --------
    >>> threshold(3, 1).evaluate([1, 1, -1]), threshold(3, 1, strict=True).evaluate([1, 1, -1])
    (1, 0)
    """
    n = check_int("n", n, 1, MAX_N)
    th = check_real("theta", theta, exact=True)
    flip = 0
    if weights is not None:
        w = list(weights)
        if len(w) != n or any(v not in (-1, 1) for v in w):
            raise ValueError(f"weights must be a ±1 vector of length n={n}, got {w!r}")
        flip = _mask(i for i, v in enumerate(w) if v == -1)
    # w.x = n - 2c ; (>= theta) <=> c <= floor((n - theta)/2) ; (> theta) <=> c <= ceil((n-theta)/2) - 1
    half = (Fraction(n) - Fraction(th)) / 2
    t = math.ceil(half) - 1 if strict else math.floor(half)
    t = max(-1, min(int(t), n))
    op = ">" if strict else ">="
    return CubeFunction(n, (1 << n) - 1, flip, t, 1, -1 if pm else 0, 0, f"1[w.x{op}{th}]")


def parity(n: int, S: Iterable[int] | int) -> CubeFunction:
    """``chi_S`` (0-based coordinates or a bit mask).

    Examples
    --------
    >>> parity(3, [0, 2]).evaluate([-1, 1, 1])
    -1
    """
    n = check_int("n", n, 1, MAX_N)
    s = check_subset("S", S, n)
    return CubeFunction(n, 0, 0, 0, 1, 1, _mask(s), f"chi{_set_name(s)}")


def constant(n: int, value: int = 1) -> CubeFunction:
    """Return the constant function ``value`` on ``{-1,1}^n``."""
    n = check_int("n", n, 1, MAX_N)
    return CubeFunction(n, 0, 0, 0, int(value), int(value), 0, str(value))


def _words(mask: int, W: int) -> np.ndarray:
    return np.array([(mask >> (64 * w)) & (2**64 - 1) for w in range(W)], dtype=np.uint64)


def _counts_to_sums(n_le: int, p_le: int, p_all: int, N: int) -> tuple[int, int, int]:
    """Kernel counts -> ``(sum chi_P [c<=t], sum chi_P, #[c<=t])`` over ``N`` points."""
    return n_le - 2 * p_le, N - 2 * p_all, n_le


def _sums_to_moments(f: CubeFunction, s_le: int, s_all: int, n_le: int, N: int) -> tuple[Fraction, Fraction]:
    """Exact sum of f and of f^2 from the integer sums."""
    total = f.a * s_le + f.b * (s_all - s_le)
    sq = f.a * f.a * n_le + f.b * f.b * (N - n_le)
    return Fraction(total), Fraction(sq)


def _t1(f: CubeFunction) -> np.uint64:
    """Return the kernels' unsigned bound ``t1 = t + 1`` (``c <= t`` iff ``c < t1``), clipped to ``[0, n + 1]``."""
    return np.uint64(max(0, min(f.t, f.n) + 1))


def _check_function(f: CubeFunction) -> CubeFunction:
    if not isinstance(f, CubeFunction):
        raise ValueError(f"f must be a CubeFunction (use majority/threshold/parity), got {type(f).__name__}")
    return f


def _enum_counts(f: CubeFunction, blocks: int = 64, parallel: bool | None = None) -> tuple[int, int, int]:
    nb = max(1, min(blocks, 1 << f.n))
    out = np.zeros((nb, K.ROW), dtype=np.int64)
    use_par = f.n > _SERIAL_MAX_ENUM_N if parallel is None else parallel
    kern = K.enum_sums if use_par else K.enum_sums_serial
    kern(np.int64(f.n), np.uint64(f.fmask), np.uint64(f.flip), _t1(f), np.uint64(f.pmask), out)
    s = out[:, :3].sum(axis=0)
    return int(s[0]), int(s[1]), int(s[2])


def mean_exact(f: CubeFunction, *, blocks: int = 64) -> Fraction:
    """``E[f(x)]`` over all ``2^n`` points, exactly (``n <= 30``).

    Examples
    --------
    >>> mean_exact(threshold(3, 1))
    Fraction(1, 2)
    """
    f = _check_function(f)
    check_int("n", f.n, 1, MAX_ENUM_N)
    blocks = check_int("blocks", blocks, 1, 1 << 20)
    N = 1 << f.n
    total, _ = _sums_to_moments(f, *_counts_to_sums(*_enum_counts(f, blocks), N), N)
    return total / N


def fourier_coefficient_exact(f: CubeFunction, S: Iterable[int] | int) -> Fraction:
    """``hat f(S)`` by exact enumeration of all ``2^n`` points (``n <= 30``).

    Examples
    --------
    >>> fourier_coefficient_exact(majority(3), [0, 1, 2])
    Fraction(-1, 2)
    """
    f = _check_function(f)
    return mean_exact(f.times_parity(S))


def _weight_table(f: CubeFunction) -> np.ndarray | list[int]:
    """``g(0..|F|)``: the threshold factor by the number of coordinates in ``F`` with ``w_i x_i = -1``."""
    m = f.fmask.bit_count()
    if max(abs(f.a), abs(f.b)) < 2**62:
        return np.where(np.arange(m + 1) <= f.t, np.int64(f.a), np.int64(f.b))
    return [f.a if c <= f.t else f.b for c in range(m + 1)]


def fourier_coefficient_symmetric(f: CubeFunction, S: Iterable[int] | int, *, backend: str | None = None) -> Fraction:
    """``hat f(S)`` exactly at any ``n`` by a sum over Hamming weights (no enumeration, no closed form).

    Parameters
    ----------
    f : CubeFunction
        ``f(x) = g(c(x)) chi_P(x)`` (any of :func:`majority`, :func:`threshold` with ±1 weights,
        :func:`parity`, :func:`constant` and their products with parities), ``n <= MAX_N``.
    S : iterable of int or int
        0-based coordinates in ``[0, n-1]`` or a bit mask.
    backend : {None, "int", "gmpy2"}
        Big-integer type (None: gmpy2 when installed); the value does not depend on it.

    Returns
    -------
    Fraction

    Notes
    -----
    With ``U = S Δ P`` and ``u_i = w_i x_i`` (uniform, ``w_i = -1`` on the flipped coordinates),
    ``hat f(S) = E[g(c) chi_U(x)] = chi_U(w) E[g(c(u)) chi_U(u)]``. If ``U`` has a coordinate outside
    ``F`` it is independent of ``g(c)`` and the value is 0; otherwise it is the level-``|U|`` coefficient
    of the symmetric function ``g`` on the ``|F|`` coordinates of ``F``,
    ``2^{-|F|} sum_c g(c) K_{|U|}(c)`` (:func:`featurecheck.numerics.estimators.symmetric.symmetric_coefficient`).
    ``hat Maj_n({0,1,2})`` takes about 0.03 s at ``n = 100001`` and 0.5 s at ``n = 10^6`` with gmpy2
    (0.15 s and 6 s with Python ints).

    References
    ----------
    O'Donnell (2014), sec. 1.2; MacWilliams and Sloane (1977), ch. 5 sec. 7 (Krawtchouk polynomials).

    Examples
    --------
    >>> fourier_coefficient_symmetric(majority(3), [0, 1, 2])
    Fraction(-1, 2)
    >>> fourier_coefficient_symmetric(majority(100001), [0, 1, 2]) < 0
    True
    >>> f = threshold(4, 1, weights=[1, -1, 1, 1])
    >>> fourier_coefficient_symmetric(f, [1]) == fourier_coefficient_exact(f, [1])
    True
    """
    f = _check_function(f)
    U = f.pmask ^ _mask(check_subset("S", S, f.n))
    if U & ~f.fmask:  # a coordinate of chi_U outside F is independent of g(c)
        return Fraction(0)
    val = symmetric_coefficient(_weight_table(f), U.bit_count(), backend=backend)
    return -val if (U & f.flip).bit_count() % 2 else val


def _level(f: CubeFunction, S: Iterable[int] | int) -> int | None:
    """``|U|`` with ``U = S Δ P``, or None when ``U`` leaves ``F`` (then ``hat f(S) = 0``)."""
    U = f.pmask ^ _mask(check_subset("S", S, f.n))
    return None if U & ~f.fmask else U.bit_count()


def symmetric_cost(f: CubeFunction, S: Iterable[int] | int) -> int:
    """Small-integer work of :func:`fourier_coefficient_symmetric` beyond its binary splitting.

    0 when the value is 0 by independence or the inner sums fit numpy (``min(k, n-k) <= 56``), else
    ``n min(k, n-k)`` (:func:`featurecheck.numerics.estimators.symmetric.weight_sum_cost`).

    Examples
    --------
    >>> symmetric_cost(majority(10**6 + 1), range(5)), symmetric_cost(majority(1001), range(500))
    (0, 500500)
    """
    f = _check_function(f)
    k = _level(f, S)
    return 0 if k is None else weight_sum_cost(f.fmask.bit_count(), k)


def symmetric_values(f: CubeFunction) -> np.ndarray | list[int]:
    """Return the table ``v[c] = f(x)``, ``c = #{i : x_i = -1}``, ``c = 0..n``, of a permutation-symmetric ``f``.

    ``f`` is symmetric when its threshold set, flips and parity are each all coordinates or none
    (:func:`majority`, :func:`threshold` with all-equal weights, :func:`parity` of all coordinates,
    :func:`constant`, and their products); otherwise a ValueError is raised. The input format of
    :mod:`featurecheck.numerics.estimators.symmetric` (influences, noise stability, every level).

    Examples
    --------
    >>> [int(v) for v in symmetric_values(majority(3))], [int(v) for v in symmetric_values(threshold(3, 1, weights=[-1] * 3))]
    ([1, 1, -1, -1], [0, 0, 1, 1])
    """
    f = _check_function(f)
    full = (1 << f.n) - 1
    if f.fmask not in (0, full) or f.flip not in (0, full) or f.pmask not in (0, full):
        raise ValueError(f"f must be symmetric (threshold set, flips and parity each all {f.n} coordinates or none), "
                         f"got {f.name}")
    g = _weight_table(f)
    c = np.arange(f.n + 1)
    idx = (f.n - c if f.flip else c) if f.fmask else np.zeros(f.n + 1, dtype=np.int64)
    sign = np.where(c % 2 == 1, -1, 1) if f.pmask else np.ones(f.n + 1, dtype=np.int64)
    if isinstance(g, np.ndarray):
        return g[idx] * sign
    return [g[int(j)] * int(sg) for j, sg in zip(idx, sign, strict=True)]


def mean_symmetric(f: CubeFunction, *, backend: str | None = None) -> Fraction:
    """``E[f(x)]`` exactly at any ``n`` (:func:`fourier_coefficient_symmetric` at ``S = {}``).

    Examples
    --------
    >>> mean_symmetric(threshold(3, 1)), mean_symmetric(threshold(1001, 0)) == mean_symmetric(threshold(1001, 1))
    (Fraction(1, 2), True)
    """
    return fourier_coefficient_symmetric(f, (), backend=backend)


def _run_mc(f: CubeFunction, samples: int, seed: int, parallel: bool | None = None) -> tuple[int, int, int]:
    """Kernel counts ``(n_le, p_le, p_all)`` over ``samples`` draws (see :mod:`featurecheck.numerics._kernels.cube`).

    Chunks of ``CHUNK`` samples, chunk ``c`` keyed by ``(seed, c)``; batches of ``_BATCH_CHUNKS`` chunks
    per kernel call bound the row buffer (1 MiB) for any ``samples <= 2^50``. ``parallel=None`` picks
    the serial kernel for runs of at most ``_SERIAL_MAX_CHUNKS`` chunks (no parallel-region entry cost);
    both kernels give identical counts.
    """
    key = stream_key(seed, Purpose.CUBE_MC)
    n_chunks = (samples + CHUNK - 1) // CHUNK
    last = samples - (n_chunks - 1) * CHUNK
    use_par = n_chunks > _SERIAL_MAX_CHUNKS if parallel is None else parallel
    t1 = _t1(f)
    if f.n <= 64:
        kern = K.mc_sums_1w if use_par else K.mc_sums_1w_serial
        masks: tuple[Any, ...] = (np.uint64(f.fmask), np.uint64(f.flip), t1, np.uint64(f.pmask))
    else:
        kern = K.mc_sums_mw if use_par else K.mc_sums_mw_serial
        W = (f.n + 63) // 64
        masks = (_words(f.fmask, W), _words(f.flip, W), t1, _words(f.pmask, W))
    out = np.empty((min(n_chunks, _BATCH_CHUNKS), K.ROW), dtype=np.int64)
    tot = [0, 0, 0]
    for first in range(0, n_chunks, _BATCH_CHUNKS):
        nc = min(_BATCH_CHUNKS, n_chunks - first)
        last_size = last if first + nc == n_chunks else CHUNK
        kern(key, np.int64(first), np.int64(nc), np.int64(CHUNK), np.int64(last_size), *masks, out)
        s = out[:nc, :3].sum(axis=0)  # <= 2^14 rows of counts <= 2^16 each: no int64 overflow
        for j in range(3):
            tot[j] += int(s[j])
    return tot[0], tot[1], tot[2]


def mean_mc(
    f: CubeFunction,
    samples: int = 1_000_000,
    seed: int = 0,
    alpha: float = DEFAULT_ALPHA,
    interval: str = "bernstein",
) -> Estimate:
    """Monte Carlo estimate of ``E[f(x)]`` with a two-sided ``1 - alpha`` interval.

    Parameters
    ----------
    f : CubeFunction
    samples : int
        Number of uniform samples, ``2 <= samples <= 2^50``.
    seed : int
        Non-negative seed; the same seed gives the same result at any thread count.
    alpha : float
        Two-sided false-alarm probability of the interval, in (0, 1).
    interval : {"bernstein", "hoeffding", "z"}
        See :mod:`featurecheck.numerics.estimators.intervals`.

    Examples
    --------
    >>> est = mean_mc(threshold(5, 1), samples=100_000, seed=1, alpha=1e-3)
    >>> est.contains(0.5)
    True
    """
    f = _check_function(f)
    check_int("n", f.n, 1, MAX_MC_N)
    samples = check_int("samples", samples, 2, _MAX_SAMPLES)
    seed = check_int("seed", seed, 0, 2**63 - 1)
    alpha = check_probability("alpha", alpha)
    if interval not in INTERVAL_KINDS:
        raise ValueError(f"interval must be one of {list(INTERVAL_KINDS)}, got {interval!r}")
    s_le, s_all, n_le = _counts_to_sums(*_run_mc(f, samples, seed), samples)
    total, sq = _sums_to_moments(f, s_le, s_all, n_le, samples)
    mean = total / samples
    var = float((sq - total * total / samples) / (samples - 1))
    lo, hi = f.value_range
    r = interval_radius(interval, samples, var, lo, hi, alpha)
    m = float(mean)
    return Estimate(m, math.sqrt(var / samples), (m - r, m + r), samples, seed, alpha, interval)


def fourier_coefficient_mc(
    f: CubeFunction,
    S: Iterable[int] | int,
    samples: int = 1_000_000,
    seed: int = 0,
    alpha: float = DEFAULT_ALPHA,
    interval: str = "bernstein",
) -> Estimate:
    """Monte Carlo estimate of ``hat f(S) = E[f(x) chi_S(x)]`` with a ``1 - alpha`` interval.

    Parameters
    ----------
    f : CubeFunction
        A threshold-type function times a parity (:func:`majority`, :func:`threshold`,
        :func:`parity`, :func:`constant` and their products with parities), ``n <= MAX_MC_N``.
    S : iterable of int or int
        0-based coordinates in ``[0, n-1]`` or a bit mask.
    samples : int
        Number of uniform samples, ``2 <= samples <= 2^50``.
    seed : int
        Non-negative seed (``< 2^63``); the same seed gives bit-identical results at any thread count.
    alpha : float
        Two-sided false-alarm probability of the interval, in (0, 1).
    interval : {"bernstein", "hoeffding", "z"}
        Interval kind, see :mod:`featurecheck.numerics.estimators.intervals`.

    Returns
    -------
    Estimate
        ``value`` (the sample mean of ``f chi_S``), ``stderr``, ``ci`` and the settings used.

    Notes
    -----
    ``f chi_S`` takes at most four values ``±a, ±b``, so the kernels only count samples (see
    :mod:`featurecheck.numerics._kernels.cube`) and the mean and sample variance are exact rationals.

    References
    ----------
    R. O'Donnell, *Analysis of Boolean Functions* (2014), sec. 1.2 (``hat f(S) = E[f chi_S]``) and
    sec. 3.4 (estimating one Fourier coefficient from uniform random examples).

    Examples
    --------
    >>> from featurecheck.theory.boolean import majority_coefficient
    >>> est = fourier_coefficient_mc(majority(63), [0, 1, 2], samples=1_000_000, seed=0)
    >>> est.n_samples, est.contains(majority_coefficient(63, 3))
    (1000000, True)
    """
    f = _check_function(f)
    return mean_mc(f.times_parity(S), samples=samples, seed=seed, alpha=alpha, interval=interval)
