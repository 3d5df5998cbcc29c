"""The exact Bayes learner for k-sparse parities, and the Bayes-vs-SGD sample-count experiment.

Theory reference section 6 (BAYES-VS-SGD): the Bayes posterior over the ``C(n,k)`` supports of a
k-sparse parity concentrates on the true support after about ``log2 C(n,k)`` noiseless samples, while
online SGD needs ``B t_c = n^{Theta(k)}`` (Barak et al. 2022); with labels flipped at rate ``eta`` the
Bayes count grows by the factor ``1 / (1 - h(eta))``, about ``2 ln 2 / (1 - 2 eta)^2`` as
``eta -> 1/2`` (Notes).

The learner
-----------
Prior: uniform over the ``C(n,k)`` supports (``prior="k-sparse"``), or, as a deliberately wrong prior,
uniform over all ``2^n - 1`` non-empty parities (``prior="all-parities"``, noiseless only).
Data: ``x`` uniform on ``{-1,1}^n``, ``y = chi_{S*}(x)`` flipped with probability ``eta`` (rational).
The likelihood of a support ``S`` after ``m`` samples is ``(1-eta)^{a_S} eta^{m - a_S}``, where ``a_S``
counts the samples whose label ``chi_S`` agrees with, so the posterior mass of the truth,

    ``pi_m(S*) = (1-eta)^{a*} eta^{m-a*} / sum_a h_m(a) (1-eta)^a eta^{m-a}``,

depends only on the histogram ``h_m`` of the agreement counts over all supports (``eta = 0``: ``pi_m``
is ``1 / #consistent supports``). :func:`bayes_run` computes ``h_m`` by enumerating the supports
(vectorised over them; ``C(n,k) <= MAX_SUPPORTS``) and decides ``pi_m(S*) >= 1 - delta`` **exactly**,
with Python integers (``eta = u/v``, ``delta`` rational). Its sample count is the first such ``m``.

Conventions
-----------
- Bits as everywhere in featurecheck: a set bit means ``x_i = -1``; ``chi_S`` is the XOR of the bits in
  ``S``; supports are 0-based, in the lexicographic order of :func:`supports`.
- Randomness (streams of :class:`featurecheck.numerics._kernels.rng.Purpose`, per seed): the truth is
  drawn from the prior (``BAYES_SUPPORT``); samples come in chunks of :data:`CHUNK`, chunk ``c`` from
  ``generator(seed, BAYES_DATA, n, k, c)`` and its label flips from ``generator(seed, BAYES_NOISE, n, k,
  c)`` (a flip iff a uniform integer in ``[0, v)`` is ``< u``: rate exactly ``u/v``). The same seed gives
  the same inputs at every ``eta`` and under both priors (common random numbers across arms).
- A run that has not reached ``1 - delta`` by ``max_samples`` reports ``samples = None`` (``+inf`` in
  medians, never dropped), as the SGD sweeps do.

Exact facts about the noiseless sample count (``delta < 1/2``)
--------------------------------------------------------------
In the noiseless case ``pi_m(S*) = 1/(1 + W_m)``, ``W_m`` = number of wrong supports consistent with
the data, so for every ``delta < 1/2`` the sample count is the identification time
``M = min{m : W_m = 0}`` and does not depend on ``delta``. A wrong ``T`` survives a sample iff
``<x, 1_T xor 1_{S*}> = 0``: probability 1/2, and for two wrong supports the events are independent
(two distinct non-zero vectors of ``F_2^n`` are linearly independent), so

    ``E W_m = (C - 1) 2^{-m}``,   ``E W_m^2 = E W_m + (C - 1)(C - 2) 4^{-m}``   (exact).

Three or more are **not** independent (``{1,2} + {0,3} = {0,1,2,3}`` for ``S* = {0,1}``), so the
product formula ``P(M <= m) = (1 - 2^{-m})^{C-1}`` is exact for ``k = 1`` only (the columns of the
sample matrix are independent) and wrong for ``k >= 2`` (``n = 4, k = 2, m = 2``: 3/16 against
243/1024). What is exact: ``1 - E W_m <= P(M <= m) <= 1 - (E W_m)^2 / E W_m^2`` (union bound; second
moment), which brackets every quantile of ``M`` (:func:`quantile_bracket`):
``q_p(M) in [log2(C-1) + log2(p/(1-p)), log2(C-1) + log2(1/(1-p)) + 1)``, so the samples needed to
identify the support with probability ``1 - delta`` are ``log2(C - 1) + log2(1/delta) + c`` with
``-log2(1/(1 - delta)) - 1 < c < 1``; the median (``p = 1/2``) is ``ceil(log2(C-1))`` or one more.

Statistics (stated once)
------------------------
Medians over seeds with the order-statistic interval of
:func:`featurecheck.numerics.estimators.seeds.median_interval`; log-log slopes by least squares through
the per-n medians with a percentile seed bootstrap (:func:`ratio_slope`, and
:func:`featurecheck.numerics.experiments.sweep.fit_slope` for each arm); the noise factor as the ratio
of the mean per-seed information rates (:func:`posterior_rate`) without and with noise, with a paired
seed bootstrap (:func:`noise_factor_fit`). Bootstrap streams are ``generator(seed, BAYES_BOOTSTRAP, ...)``.

References
----------
B. Barak, B. L. Edelman, S. Goel, S. Kakade, E. Malach, C. Zhang, "Hidden Progress in Deep Learning: SGD
Learns Parities Near the Computational Limit", NeurIPS 2022 (arXiv 2207.08799), Sec. 3 and Fig. 1 (t_c).
T. M. Cover, J. A. Thomas, *Elements of Information Theory*, 2nd ed., Sec. 7.1 (BSC capacity
``1 - h(eta)``) and Sec. 11.9 (Chernoff information). R. R. Bahadur, R. Ranga Rao (1960), Ann. Math.
Statist. 31, "On deviations of the sample mean" (the ``m^{-1/2}`` prefactor).

Examples
--------
>>> r = bayes_run(10, 3, seed=0)
>>> r.samples, r.posterior
(6, Fraction(1, 1))
>>> quantile_bracket(10, 3)  # the median of the noiseless count: 7 or 8 samples (C(10,3) = 120)
(7, 8)
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from typing import Any

import numpy as np

from featurecheck.numerics._kernels.rng import Purpose, generator
from featurecheck.numerics.estimators.seeds import json_number, median_interval, percentile_interval
from featurecheck.theory._exact import binomial
from featurecheck.theory._validate import check_int, check_real

__all__ = [
    "MAX_SUPPORTS",
    "CHUNK",
    "PRIORS",
    "SGD_SETTINGS",
    "supports",
    "BayesRun",
    "bayes_run",
    "posterior_mass",
    "run_task",
    "expected_survivors",
    "identification_cdf_bounds",
    "product_formula",
    "quantile_bracket",
    "gf2_median",
    "quantile_interval",
    "binary_entropy",
    "noise_factor",
    "rough_noise_factor",
    "pair_kl_factor",
    "rate_window",
    "posterior_log_odds",
    "posterior_rate",
    "noise_factor_fit",
    "ratio_slope",
    "bayes_vs_sgd",
    "plot_bayes_vs_sgd",
]

#: Largest number of supports ``C(n,k)`` the enumeration accepts (about 2 million).
MAX_SUPPORTS = 1 << 21
#: Samples per random chunk (chunk ``c`` is its own stream, so results never depend on batching).
CHUNK = 32
PRIORS = ("k-sparse", "all-parities")
#: SGD side of the comparison: the ReLU panel of Barak et al. Fig. 1 as reproduced here
#: (``barak_fig1.PANEL_SETTINGS["relu-mlp"]``: width 100, batch 64, lr 1, hinge), step cap 100,000.
SGD_SETTINGS: dict[str, Any] = {"arch": "relu-mlp", "width": 100, "batch": 64, "lr": 1.0, "loss": "hinge",
                                "max_steps": 100_000}


# ---------------------------------------------------------------------------------------- validation

def _rational(name: str, value: Any, low: Fraction, high: Fraction, open_low: bool) -> Fraction:
    v = check_real(name, value, exact=True)
    assert isinstance(v, Fraction)
    if v < low or v >= high or (open_low and v == low):
        lo = "(" if open_low else "["
        raise ValueError(f"{name} must be a rational in {lo}{low}, {high}), got {value!r}")
    return v


def _eta(value: Any) -> Fraction:
    return _rational("eta", value, Fraction(0), Fraction(1, 2), open_low=False)


def _delta(value: Any) -> Fraction:
    return _rational("delta", value, Fraction(0), Fraction(1, 2), open_low=True)


def _nk(n: Any, k: Any) -> tuple[int, int, int]:
    n = check_int("n", n, 1, 4096)
    k = check_int("k", k, 1, n)
    C = binomial(n, k)
    if C > MAX_SUPPORTS:
        raise ValueError(f"C(n,k) must be <= {MAX_SUPPORTS} for enumeration, got C({n},{k}) = {C}")
    return n, k, C


# ---------------------------------------------------------------------------------------- the learner

@lru_cache(maxsize=8)
def _supports(n: int, k: int) -> np.ndarray:
    C = binomial(n, k)
    out = np.fromiter(itertools.chain.from_iterable(itertools.combinations(range(n), k)), dtype=np.int16,
                      count=C * k).reshape(C, k)
    out.flags.writeable = False
    return out


def supports(n: int, k: int) -> np.ndarray:
    """All k-subsets of ``{0..n-1}`` as a read-only ``(C(n,k), k)`` array, in lexicographic order.

    Examples
    --------
    >>> supports(4, 2).tolist()
    [[0, 1], [0, 2], [0, 3], [1, 2], [1, 3], [2, 3]]
    """
    n, k, _ = _nk(n, k)
    return _supports(n, k)


def _chunk(seed: int, n: int, k: int, c: int, v: int) -> tuple[np.ndarray, np.ndarray]:
    """Draw samples ``c CHUNK .. (c+1) CHUNK - 1``: input bits ``(CHUNK, n)`` and uniform integers in ``[0, v)``."""
    bits = generator(seed, Purpose.BAYES_DATA, n, k, c).integers(0, 2, size=(CHUNK, n), dtype=np.uint8)
    noise = generator(seed, Purpose.BAYES_NOISE, n, k, c).integers(0, v, size=CHUNK, dtype=np.int64)
    return bits, noise


@lru_cache(maxsize=8)
def _table(n: int, k: int) -> np.ndarray:
    """Return the supports as uint64 bit masks (``n <= 64``: one popcount per parity) or as index rows."""
    T = _supports(n, k)
    if n > 64:
        return T
    out = np.bitwise_or.reduce(np.left_shift(np.uint64(1), T.astype(np.uint64)), axis=1)
    out.flags.writeable = False
    return out


def _parities(bits: np.ndarray, T: np.ndarray) -> np.ndarray:
    """Compute ``out[j, t] = chi_{T_t}(x_j)`` as a bit (uint8), for the rows ``bits`` and the supports ``T``.

    ``T`` holds bit masks or index rows, as :func:`_table` gives them.
    """
    if T.dtype == np.uint64:
        xs = np.bitwise_or.reduce(bits.astype(np.uint64) << np.arange(bits.shape[1], dtype=np.uint64), axis=1)
        return (np.bitwise_count(T[None, :] & xs[:, None]) & np.uint8(1)).astype(np.uint8)
    out = bits[:, T[:, 0]]
    for j in range(1, T.shape[1]):
        out ^= bits[:, T[:, j]]
    return out


def _truth_weight_and_total(hist: np.ndarray, a_star: int, m: int, eta: Fraction) -> tuple[int, int]:
    """Likelihoods times ``v^m`` (integers): of the truth, and summed over all supports."""
    u, v = eta.numerator, eta.denominator
    P, Q = v - u, u  # weight per agreeing / disagreeing sample; 0**0 == 1 makes eta = 0 exact
    total = 0
    for a in np.flatnonzero(hist):
        total += int(hist[a]) * P ** int(a) * Q ** (m - int(a))
    return P ** a_star * Q ** (m - a_star), total


def posterior_mass(bits: np.ndarray, labels: np.ndarray, k: int, truth: Sequence[int], eta: Any = 0) -> Fraction:
    """Exact posterior mass of ``truth`` under the uniform prior on the k-subsets, given the data.

    Parameters
    ----------
    bits : (m, n) array of 0/1
        Inputs (a set bit means ``x_i = -1``).
    labels : (m,) array of 0/1
        Observed labels (bit 1 means ``y = -1``).
    k : int
    truth : sequence of int
        A k-subset.
    eta : rational in [0, 1/2)
        Label-flip rate of the likelihood.

    Examples
    --------
    >>> bits = np.array([[1, 0, 0], [0, 1, 0]], dtype=np.uint8)
    >>> posterior_mass(bits, np.array([1, 0]), 1, [0]), posterior_mass(bits, np.array([1, 0]), 1, [0], eta="1/4")
    (Fraction(1, 1), Fraction(9, 13))
    """
    eta = _eta(eta)
    bits = np.asarray(bits, dtype=np.uint8)
    labels = np.asarray(labels, dtype=np.uint8)
    if bits.ndim != 2 or labels.shape != (bits.shape[0],):
        raise ValueError(f"bits must be (m, n) and labels (m,), got shapes {bits.shape} and {labels.shape}")
    m, n = bits.shape
    T = supports(n, k)
    tr = tuple(sorted(int(i) for i in truth))
    if len(tr) != k or len(set(tr)) != k or tr[0] < 0 or tr[-1] >= n:
        raise ValueError(f"truth must be a {k}-subset of 0..{n - 1}, got {list(truth)}")
    agree = (_parities(bits, T) == labels[:, None]).sum(axis=0)
    a_star = int(m - ((bits[:, list(tr)].sum(axis=1) + labels) % 2).sum())
    w, total = _truth_weight_and_total(np.bincount(agree, minlength=m + 1), a_star, m, eta)
    return Fraction(w, total)


@dataclass(frozen=True)
class BayesRun:
    """One run of :func:`bayes_run`: the sample count, the true support and the posterior mass on it.

    ``samples`` is None if ``max_samples`` was reached first; ``posterior`` is the exact posterior mass on
    ``support`` at the stopping sample (or at ``max_samples``).
    """

    n: int
    k: int
    eta: Fraction
    delta: Fraction
    prior: str
    seed: int
    support: tuple[int, ...]
    samples: int | None
    posterior: Fraction
    max_samples: int


def default_max_samples(n: int, k: int, eta: Fraction, prior: str = "k-sparse") -> int:
    """Return the step cap of :func:`bayes_run`: far beyond the sample count (``P(reached) < 2^-60`` noiseless).

    Examples
    --------
    >>> default_max_samples(10, 3, Fraction(0)), default_max_samples(10, 3, Fraction(1, 10))
    (71, 134)
    """
    if prior == "all-parities":
        return n + 64
    bits = math.log2(binomial(n, k)) + 64
    return math.ceil(bits / (1.0 - binary_entropy(eta)) if eta else bits)


def bayes_run(n: int, k: int, seed: int, *, eta: Any = 0, delta: Any = "1/20", prior: str = "k-sparse",
              max_samples: int | None = None) -> BayesRun:
    """Sample until the exact posterior puts mass ``>= 1 - delta`` on the true support (module notes).

    Parameters
    ----------
    n, k : int
        The ``(n, k)``-parity; ``C(n,k) <= MAX_SUPPORTS``.
    seed : int
        Determines the true support (drawn from the prior), the inputs and the label flips.
    eta : rational in [0, 1/2)
        Label-flip rate (also the learner's likelihood: the Bayes posterior is well specified).
    delta : rational in (0, 1/2)
        The posterior threshold is ``1 - delta``.
    prior : {"k-sparse", "all-parities"}
        The learner's prior; ``all-parities`` (uniform over the ``2^n - 1`` non-empty parities, a wrong
        prior for a k-sparse truth, decided by GF(2) elimination) needs ``eta = 0``.
    max_samples : int, optional
        Cap (default :func:`default_max_samples`).

    Returns
    -------
    BayesRun

    Examples
    --------
    >>> r = bayes_run(10, 3, seed=0, eta="1/10")
    >>> r.samples, r.posterior >= Fraction(19, 20)
    (14, True)
    >>> bayes_run(10, 3, seed=0, prior="all-parities").samples  # the wrong prior needs >= n samples
    11
    """
    n, k, C = _nk(n, k)
    seed = check_int("seed", seed, 0, 2**63 - 1)
    eta, delta = _eta(eta), _delta(delta)
    if prior not in PRIORS:
        raise ValueError(f"prior must be one of {list(PRIORS)}, got {prior!r}")
    if prior == "all-parities" and eta:
        raise ValueError(f"prior 'all-parities' needs eta = 0 (2^n supports), got eta={eta}")
    cap = default_max_samples(n, k, eta, prior) if max_samples is None else check_int("max_samples", max_samples, 1, 10**6)
    T = _supports(n, k)
    s = int(generator(seed, Purpose.BAYES_SUPPORT, n, k).integers(0, C))
    truth = tuple(int(i) for i in T[s])
    u, v = eta.numerator, eta.denominator
    dn, dd = delta.numerator, delta.denominator

    def done(samples: int | None, post: Fraction) -> BayesRun:
        return BayesRun(n, k, eta, delta, prior, seed, truth, samples, post, cap)

    if prior == "all-parities":
        return _all_parities_run(n, k, seed, truth, cap, delta, done)
    table = _table(n, k)
    alive = table  # noiseless: the supports consistent so far (the truth among them)
    agree = np.zeros(C, dtype=np.int32)
    m = 0
    post = Fraction(1, C)
    for c in range(-(-cap // CHUNK)):
        bits, noise = _chunk(seed, n, k, c, v)
        rows = min(CHUNK, cap - m)
        y = (bits[:rows, list(truth)].sum(axis=1) + (noise[:rows] < u)) % 2
        if u == 0:
            b = 0
            while b < rows:  # blocks of rows over the consistent set, which halves with every sample
                R = min(rows - b, max(1, int(alive.shape[0]).bit_length() - 3))
                cons = _parities(bits[b:b + R], alive) == y[b:b + R, None].astype(np.uint8)
                for j in range(1, R):
                    cons[j] &= cons[j - 1]
                for j, N in enumerate(cons.sum(axis=1).tolist()):
                    if dd >= (dd - dn) * N:  # pi = 1/N >= 1 - delta
                        return done(m + j + 1, Fraction(1, N))
                alive = alive[cons[-1]]
                m += R
                b += R
            post = Fraction(1, alive.shape[0])
            continue
        R = max(1, min(CHUNK, (1 << 22) // C))  # rows per block: at most ~16 MB of agreement counts
        for b in range(0, rows, R):
            blk = slice(b, min(rows, b + R))
            cum = agree + np.cumsum(_parities(bits[blk], table) == y[blk, None].astype(np.uint8), axis=0, dtype=np.int32)
            a_star = cum[:, s]
            # a wrong support at least as likely as the truth gives pi <= 1/2 < 1 - delta (exact): skip the row
            lead = np.count_nonzero(cum >= a_star[:, None], axis=1) == 1
            for j in np.flatnonzero(lead).tolist():
                mj = m + j + 1
                w, total = _truth_weight_and_total(np.bincount(cum[j], minlength=mj + 1), int(a_star[j]), mj, eta)
                post = Fraction(w, total)
                if dd * w >= (dd - dn) * total:
                    return done(mj, post)
            m += cum.shape[0]
            agree = cum[-1]
    if u:
        w, total = _truth_weight_and_total(np.bincount(agree, minlength=m + 1), int(agree[s]), m, eta)
        post = Fraction(w, total)
    return done(None, post)


def _all_parities_run(n: int, k: int, seed: int, truth: tuple[int, ...], cap: int, delta: Fraction,
                      done: Callable[[int | None, Fraction], BayesRun]) -> BayesRun:
    """Run :func:`bayes_run` under the uniform prior on the non-empty parities.

    The consistent parities form an affine subspace of size ``2^(n - rank)`` (minus the empty set while
    every label is +1), tracked by GF(2) elimination.
    """
    basis: dict[int, int] = {}  # pivot bit -> reduced row
    all_plus = True
    dn, dd = delta.numerator, delta.denominator
    m = 0
    post = Fraction(0)
    weights = [1 << i for i in range(n)]
    for c in range(-(-cap // CHUNK)):
        bits, _ = _chunk(seed, n, k, c, 1)
        for j in range(min(CHUNK, cap - m)):
            m += 1
            row = sum(w for w, b in zip(weights, bits[j].tolist(), strict=True) if b)
            all_plus = all_plus and sum(int(bits[j, i]) for i in truth) % 2 == 0
            for p in sorted(basis, reverse=True):
                if row >> p & 1:
                    row ^= basis[p]
            if row:
                basis[row.bit_length() - 1] = row
            N = (1 << (n - len(basis))) - (1 if all_plus else 0)
            post = Fraction(1, N)
            if dd >= (dd - dn) * N:
                return done(m, post)
    return done(None, post)


def run_task(settings: Mapping[str, Any], seed: int) -> dict[str, Any]:
    """One task of the Bayes-vs-SGD sweep, a pure function of ``settings`` and ``seed``.

    ``settings["learner"] == "bayes"``: :func:`bayes_run` with ``n, k, eta, delta, prior`` (rationals as
    strings); returns ``samples`` and the exact ``posterior`` (a string). ``"bayes-rate"``:
    :func:`posterior_rate` at ``n, k, eta``. ``"sgd"``: one run of
    :func:`featurecheck.numerics.experiments.sweep.run_task` (the other keys are its settings);
    ``samples = batch * t_c``.

    Examples
    --------
    >>> run_task({"learner": "bayes", "n": 10, "k": 3, "eta": "0", "delta": "1/20"}, 0)["samples"]
    6
    """
    learner = settings.get("learner")
    rest = {a: b for a, b in settings.items() if a != "learner"}
    if learner == "bayes":
        r = bayes_run(int(rest["n"]), int(rest["k"]), seed, eta=rest.get("eta", 0), delta=rest.get("delta", "1/20"),
                      prior=rest.get("prior", "k-sparse"))
        return {"learner": "bayes", "n": r.n, "k": r.k, "seed": int(seed), "samples": r.samples,
                "support": list(r.support), "posterior": str(r.posterior)}
    if learner == "bayes-rate":
        return {"learner": "bayes-rate", "n": int(rest["n"]), "k": int(rest["k"]), "seed": int(seed),
                "rate": posterior_rate(int(rest["n"]), int(rest["k"]), seed, rest.get("eta", 0))}
    if learner == "sgd":
        from featurecheck.numerics.experiments.sweep import run_task as sgd_task

        out = sgd_task(rest, seed)
        t_c = out["t_c"]
        return {"learner": "sgd", "n": out["n"], "k": out["k"], "seed": int(seed), "t_c": t_c,
                "samples": None if t_c is None else int(rest.get("batch", 32)) * int(t_c),
                "params_sha256": out["params_sha256"]}
    raise ValueError(f"settings['learner'] must be 'bayes', 'bayes-rate' or 'sgd', got {learner!r}")


# ---------------------------------------------------------------------------------------- exact facts

def expected_survivors(n: int, k: int, m: int) -> tuple[Fraction, Fraction]:
    """``(E W_m, E W_m^2)`` for the number ``W_m`` of wrong supports consistent with ``m`` noiseless samples.

    ``E W_m = (C-1) 2^{-m}``; ``E W_m^2 = E W_m + (C-1)(C-2) 4^{-m}`` (pairwise independence).

    Examples
    --------
    >>> expected_survivors(4, 2, 1)
    (Fraction(5, 2), Fraction(15, 2))
    """
    C = binomial(check_int("n", n, 1), check_int("k", k, 0, n))
    m = check_int("m", m, 0)
    mu = Fraction(C - 1, 1 << m)
    return mu, mu + Fraction((C - 1) * (C - 2), 1 << (2 * m))


def identification_cdf_bounds(n: int, k: int, m: int) -> tuple[Fraction, Fraction]:
    """Exact bounds ``lo <= P(M <= m) <= hi`` on the noiseless identification time ``M``.

    ``lo = 1 - E W_m`` (union bound, clipped at 0), ``hi = 1 - (E W_m)^2 / E W_m^2`` (second moment).

    Examples
    --------
    >>> identification_cdf_bounds(4, 2, 2)  # the exact value is 3/16 (brute force over 2^8 matrices)
    (Fraction(0, 1), Fraction(3, 8))
    """
    mu, second = expected_survivors(n, k, m)
    if mu == 0:
        return Fraction(1), Fraction(1)
    return max(Fraction(0), 1 - mu), 1 - mu * mu / second


def product_formula(n: int, k: int, m: int) -> Fraction:
    """Return ``(1 - 2^{-m})^{C(n,k) - 1}``: ``P(M <= m)`` if wrong supports survived independently.

    The formula is exact for ``k = 1`` only (module notes).

    Examples
    --------
    >>> product_formula(4, 2, 2)
    Fraction(243, 1024)
    """
    C = binomial(check_int("n", n, 1), check_int("k", k, 0, n))
    m = check_int("m", m, 0)
    return (1 - Fraction(1, 1 << m)) ** (C - 1)


def quantile_bracket(n: int, k: int, p: Any = "1/2") -> tuple[int, int]:
    """Return an exact bracket ``(lo, hi)`` of the ``p``-quantile ``q_p = min{m : P(M <= m) >= p}``.

    ``M`` is the noiseless identification time (the Bayes sample count for any ``delta < 1/2``).
    ``hi``: the first ``m`` whose union bound reaches ``p``; ``lo``: the first ``m`` whose second-moment
    bound does not exclude ``p``. Both lie in ``[log2(C-1) + log2(p/(1-p)), log2(C-1) + log2(1/(1-p)) + 1)``.

    Examples
    --------
    >>> quantile_bracket(30, 3), quantile_bracket(30, 3, "19/20")
    ((12, 13), (17, 17))
    """
    n, k, C = _nk(n, k)
    p = _rational("p", p, Fraction(0), Fraction(1), open_low=True)
    if C == 1:
        return 0, 0
    lo = hi = None
    m = 0
    while hi is None:
        low, high = identification_cdf_bounds(n, k, m)
        if lo is None and high >= p:
            lo = m
        if low >= p:
            hi = m
        m += 1
    assert lo is not None
    return lo, hi


def gf2_median(n: int) -> int:
    """Return the exact median sample count of Gaussian elimination over GF(2) (the non-Bayes baseline).

    It is the first ``m`` with ``P(m samples span F_2^n) = prod_{i<n} (1 - 2^{i-m}) >= 1/2``.

    Examples
    --------
    >>> gf2_median(10)
    11
    """
    from featurecheck.theory.bounds import gf2_full_rank_probability

    n = check_int("n", n, 1, 4096)
    m = n
    while gf2_full_rank_probability(n, m) < Fraction(1, 2):
        m += 1
    return m


def quantile_interval(values: Sequence[int | float | None], p: Any, alpha: float) -> tuple[float, tuple[float, float]]:
    """Sample ``p``-quantile and its distribution-free ``1 - alpha`` order-statistic interval.

    The quantile ``q_p = min{x : F(x) >= p}``; the interval is ``[X_(l), X_(u)]`` with ``l`` the largest
    rank with ``P(Bin(m, p) <= l - 1) <= alpha/2`` and ``u`` the smallest with ``P(Bin(m, p) >= u) <=
    alpha/2`` (exact integer binomial tails), so ``P(X_(l) > q_p) <= alpha/2`` and ``P(X_(u) < q_p) <=
    alpha/2`` for every distribution, discrete ones included (David & Nagaraja, *Order Statistics*, 3rd
    ed., Sec. 7.1). At ``p = 1/2`` it is :func:`featurecheck.numerics.estimators.seeds.median_interval`'s
    interval. ``None`` counts as ``+inf``; with too few values an end is infinite.

    Examples
    --------
    >>> quantile_interval(list(range(1, 101)), "9/10", 0.05)
    (90.0, (84.0, 96.0))
    """
    p = _rational("p", p, Fraction(0), Fraction(1), open_low=True)
    x = np.sort(_arr(values))
    m = x.size
    if m == 0:
        raise ValueError("values must contain at least one seed's outcome, got none")
    a, b = p.numerator, p.denominator
    limit = Fraction(alpha) / 2 * b**m
    pmf = [math.comb(m, i) * a**i * (b - a) ** (m - i) for i in range(m + 1)]
    lo_rank, tail = 0, 0
    for rank in range(1, m + 1):  # P(Bin <= rank - 1)
        tail += pmf[rank - 1]
        if tail > limit:
            break
        lo_rank = rank
    hi_rank, tail = m + 1, 0
    for rank in range(m, 0, -1):  # P(Bin >= rank)
        tail += pmf[rank]
        if tail > limit:
            break
        hi_rank = rank
    q = float(x[min(m - 1, max(0, math.ceil(m * p) - 1))])
    lo = float(x[lo_rank - 1]) if lo_rank >= 1 else -math.inf
    hi = float(x[hi_rank - 1]) if hi_rank <= m else math.inf
    return q, (lo, hi)


# ---------------------------------------------------------------------------------------- noise factors

def binary_entropy(eta: Any) -> float:
    """``h(eta) = -eta log2 eta - (1-eta) log2 (1-eta)`` in bits.

    Examples
    --------
    >>> round(binary_entropy("1/10"), 6)
    0.468996
    """
    e = float(check_real("eta", eta, 0, 1))
    return 0.0 if e in (0.0, 1.0) else -e * math.log2(e) - (1 - e) * math.log2(1 - e)


def noise_factor(eta: Any) -> float:
    """``1 / (1 - h(eta))``: the asymptotic noisy/noiseless ratio of Bayes sample counts (Notes).

    Notes
    -----
    A typical seed flips about ``eta m`` of its ``m`` labels, and the flips are shared by all supports.
    Given them, a wrong support's likelihood lead ``D = Bin((1-eta) m, 1/2) - Bin(eta m, 1/2)`` is
    ``<= 0`` with probability ``2^{-m (1 - h(eta)) + o(m)}`` (Cramer; the optimal tilt is
    ``e^lambda = (1-eta)/eta``), so the posterior concentrates once ``m (1 - h(eta)) ~ log2 C``: each
    sample carries ``1 - h(eta) = D(Bern(eta) || Bern(1/2))`` bits, the capacity of the binary symmetric
    channel, against 1 bit without noise. As ``eta -> 1/2``, ``1 - h(eta) ~ (1 - 2 eta)^2 / (2 ln 2)``: the
    reference's "about ``1/(1 - 2 eta)^2``" with the constant ``2 ln 2``. Two other constants are
    wrong for this stopping rule and serve as negative controls: :func:`rough_noise_factor` and
    :func:`pair_kl_factor`. (The Chernoff information ``-log2(1/2 + sqrt(eta(1-eta)))`` would be the rate
    if every support saw its own independent noise; it governs the average over noise draws, not the
    typical seed.) Equivalently: given the flips ``f`` among ``m`` labels, the expected posterior odds
    against the truth are ``(C-1) (2(1-eta))^{-(m-f)} (2 eta)^{-f}``, which is ``(C-1) 2^{-m (1-h(eta))}`` at
    ``f = eta m``; :func:`posterior_rate` measures that slope. The stopping time also carries lower-order
    terms (a Bahadur-Rao ``(1/2) log2 m`` and the threshold ``delta``), so at ``n = 10..30`` the ratio of
    median counts is within about 10% of the factor, approaching it as ``C`` grows.

    Examples
    --------
    >>> round(noise_factor("1/10"), 4), round(noise_factor(0), 4)
    (1.8832, 1.0)
    """
    e = _eta(eta)
    return 1.0 / (1.0 - binary_entropy(e))


def rough_noise_factor(eta: Any) -> float:
    """``1 / (1 - 2 eta)^2`` (the rough constant; the true factor is about ``2 ln 2`` times it near 1/2).

    Examples
    --------
    >>> rough_noise_factor("1/10")
    1.5625
    """
    return float(1 / (1 - 2 * _eta(eta)) ** 2)


def pair_kl_factor(eta: Any) -> float:
    """Return ``1 / D(P_S* || P_T)`` in bits per sample (a wrong support against the truth).

    This is the rate of a single pairwise test, wrong for the C-way posterior (noiseless it would be
    infinite). ``D = (1/2)(1 - 2 eta) log2((1 - eta)/eta)``.

    Examples
    --------
    >>> round(pair_kl_factor("1/10"), 4)
    0.7887
    """
    e = float(_eta(eta))
    if e == 0:
        return 0.0
    return 1.0 / (0.5 * (1 - 2 * e) * math.log2((1 - e) / e))


# ---------------------------------------------------------------------------------------- fits

def _arr(values: Sequence[int | float | None]) -> np.ndarray:
    return np.array([math.inf if v is None else float(v) for v in values], dtype=np.float64)


def rate_window(n: int, k: int, eta: Any) -> int:
    """Last sample ``m_w`` of the window ``1..m_w`` of :func:`posterior_rate`.

    Given the flips, the posterior odds against the truth are a sum of ``C - 1`` terms whose relative
    variance is ``rho^m / (C - 1)``, ``rho = 2 (1 + r^-2) / (1 + r^-1)^2``, ``r = (1 - eta)/eta``
    (``rho = 2`` noiseless); ``m_w`` is the last ``m`` with ``rho^m <= (C - 1)/16``, where the sum still
    self-averages (its log is within about 0.05 bit of the log of its conditional mean).

    Examples
    --------
    >>> rate_window(30, 3, 0), rate_window(30, 3, "1/5")
    (7, 18)
    """
    n, k, C = _nk(n, k)
    e = _eta(eta)
    rho = 2.0 if e == 0 else 2 * (1 + (e / (1 - e)) ** 2) / (1 + e / (1 - e)) ** 2
    return int(math.floor(math.log2((C - 1) / 16) / math.log2(float(rho))))


def posterior_log_odds(n: int, k: int, seed: int, eta: Any, m: int) -> tuple[np.ndarray, np.ndarray]:
    """Return the ``log2`` exact posterior odds against the true support, and the flip counts, after ``1..m`` samples.

    Both are for the data of :func:`bayes_run` at ``seed``; the flip count is the number of flipped labels
    among the samples so far.

    The odds are ``sum_{T != S*} L_T / L_{S*}`` (``W_m``, the consistent wrong supports, when
    ``eta = 0``; ``-inf`` once ``W_m = 0``), computed in integers and then taken to ``log2``.

    Examples
    --------
    >>> lo, f = posterior_log_odds(10, 3, 0, 0, 3)
    >>> lo.round(3).tolist(), f.tolist()
    ([5.781, 4.755, 3.7], [0, 0, 0])
    """
    n, k, C = _nk(n, k)
    e = _eta(eta)
    m = check_int("m", m, 1, 10**5)
    T = _table(n, k)
    s = int(generator(seed, Purpose.BAYES_SUPPORT, n, k).integers(0, C))
    truth = [int(i) for i in _supports(n, k)[s]]
    u, v = e.numerator, e.denominator
    out = np.empty(m)
    flips = np.empty(m, dtype=np.int64)
    agree = np.zeros(C, dtype=np.int32)
    done, nflip = 0, 0
    for c in range(-(-m // CHUNK)):
        bits, noise = _chunk(seed, n, k, c, v)
        rows = min(CHUNK, m - done)
        f = noise[:rows] < u
        y = (bits[:rows, truth].sum(axis=1) + f) % 2
        cum = agree + np.cumsum(_parities(bits[:rows], T) == y[:, None].astype(np.uint8), axis=0, dtype=np.int32)
        for j in range(rows):
            mj = done + j + 1
            nflip += int(f[j])
            flips[mj - 1] = nflip
            w, total = _truth_weight_and_total(np.bincount(cum[j], minlength=mj + 1), int(cum[j, s]), mj, e)
            out[mj - 1] = math.log2(total - w) - math.log2(w) if total > w else -math.inf
        agree = cum[-1]
        done += rows
    return out, flips


def posterior_rate(n: int, k: int, seed: int, eta: Any = 0) -> float:
    """Bits per sample by which the posterior odds against the truth shrink, for one seed.

    Minus the least-squares slope, over ``m = 1..rate_window(n, k, eta)`` (points with odds 0 left
    out), of ``log2 odds_m - (f_m - eta m) log2((1-eta)/eta)``, ``f_m`` the flips among the first ``m``
    labels. The subtracted term has mean 0 and removes the shared-noise fluctuation: given the flips,
    ``log2 E[odds_m] = log2(C-1) - m (1 - h(eta)) + (f_m - eta m) log2((1-eta)/eta)`` exactly
    (:func:`noise_factor`, Notes), so the expected rate is ``1 - h(eta)`` (1 bit noiseless) up to the
    self-averaging error of the window.

    Examples
    --------
    >>> round(posterior_rate(30, 3, 0), 3), round(posterior_rate(30, 3, 0, "1/5"), 3)
    (1.008, 0.281)
    """
    e = _eta(eta)
    mw = rate_window(n, k, e)
    if mw < 2:
        raise ValueError(f"C(n,k) - 1 must be >= 64 for a rate window of 2 or more samples, got n={n}, k={k}")
    lo, f = posterior_log_odds(n, k, seed, e, mw)
    m = np.arange(1, mw + 1, dtype=np.float64)
    if e:
        lo = lo - (f - float(e) * m) * math.log2(float((1 - e) / e))
    ok = np.isfinite(lo)
    x, y = m[ok], lo[ok]
    return float(-((x - x.mean()) * (y - y.mean())).sum() / ((x - x.mean()) ** 2).sum())


def noise_factor_fit(clean: Sequence[Sequence[float]], noisy: Sequence[Sequence[float]], alpha: float = 0.05,
                     n_boot: int = 2000, seed: int = 0) -> dict[str, Any]:
    """Estimate the noise factor ``R_0 / R_eta`` from per-seed :func:`posterior_rate` values.

    The interval ``factor_ci`` is a paired percentile seed bootstrap.
    ``clean[q]``, ``noisy[q]``: the rates of the same seeds at the ``q``-th n. ``R`` is the average over
    n of the per-n mean rate; a replicate resamples the seeds of every n, jointly for both arms.

    Examples
    --------
    >>> f = noise_factor_fit([[1.0, 1.0], [1.0, 1.0]], [[0.5, 0.5], [0.5, 0.5]], n_boot=50)
    >>> f["factor"], f["factor_ci"]
    (2.0, (2.0, 2.0))
    """
    c = [np.asarray(v, dtype=np.float64) for v in clean]
    z = [np.asarray(v, dtype=np.float64) for v in noisy]
    if len(c) != len(z) or not c or any(a.size != b.size or a.size == 0 for a, b in zip(c, z, strict=True)):
        raise ValueError("clean and noisy must list the rates of the same seeds at every n")
    r0 = float(np.mean([a.mean() for a in c]))
    r1 = float(np.mean([b.mean() for b in z]))
    rng = generator(seed, Purpose.BAYES_BOOTSTRAP, 1)
    s0 = np.zeros(n_boot)
    s1 = np.zeros(n_boot)
    for a, b in zip(c, z, strict=True):
        idx = rng.integers(0, a.size, size=(n_boot, a.size))
        s0 += a[idx].mean(axis=1) / len(c)
        s1 += b[idx].mean(axis=1) / len(c)
    ci = percentile_interval(s0 / s1, 0.0, alpha)
    return {"rate_clean": r0, "rate_noisy": r1, "factor": r0 / r1, "factor_ci": ci,
            "rate_clean_by_n": [float(a.mean()) for a in c], "rate_noisy_by_n": [float(b.mean()) for b in z]}


def ratio_slope(ns: Sequence[int], numer: Sequence[Sequence[int | None]], denom: Sequence[Sequence[int | None]],
                alpha: float = 0.05, n_boot: int = 2000, seed: int = 0) -> dict[str, Any]:
    """Log-log slope of ``median(numer) / median(denom)`` against ``n``, with a percentile seed bootstrap.

    Least squares of ``log(ratio of medians)`` on ``log n``; the two arms are resampled independently
    within every n (they use independent streams). None counts as ``+inf``; a replicate with an infinite
    median is undefined, and a bound is None when more than ``alpha / 2`` of the replicates are undefined.

    Examples
    --------
    >>> f = ratio_slope([10, 20], [[100, 100], [400, 400]], [[5, 5], [10, 10]], n_boot=50)
    >>> round(f["slope"], 12), [round(v, 12) for v in f["slope_ci"]]
    (1.0, [1.0, 1.0])
    """
    if len(ns) != len(numer) or len(ns) != len(denom) or len(set(ns)) < 2:
        raise ValueError(f"ns must hold at least two distinct values matching both arms, got ns={list(ns)}")
    lx = np.log(np.asarray(ns, dtype=np.float64))
    xm = lx.mean()
    sxx = float(((lx - xm) ** 2).sum())
    A = [_arr(v) for v in numer]
    B = [_arr(v) for v in denom]
    ratios = np.array([np.median(a) / np.median(b) for a, b in zip(A, B, strict=True)])
    out: dict[str, Any] = {"ns": [int(v) for v in ns], "ratios": [float(r) for r in ratios]}
    if not np.all(np.isfinite(ratios)):
        out.update(slope=None, slope_ci=(None, None), undefined_fraction=1.0)
        return out
    ly = np.log(ratios)
    slope = float(((lx - xm) * (ly - ly.mean())).sum() / sxx)
    rng = generator(seed, Purpose.BAYES_BOOTSTRAP, 2)
    reps = np.empty((n_boot, len(ns)))
    for q, (a, b) in enumerate(zip(A, B, strict=True)):
        ia = rng.integers(0, a.size, size=(n_boot, a.size))
        ib = rng.integers(0, b.size, size=(n_boot, b.size))
        reps[:, q] = np.median(a[ia], axis=1) / np.median(b[ib], axis=1)
    ok = np.all(np.isfinite(reps), axis=1)
    ly = np.log(reps[ok])
    slopes = ((lx - xm) * (ly - ly.mean(axis=1, keepdims=True))).sum(axis=1) / sxx
    undefined = float(1.0 - ok.mean())
    out.update(slope=slope, slope_ci=percentile_interval(slopes, undefined, alpha), undefined_fraction=undefined)
    return out


# ---------------------------------------------------------------------------------------- the experiment


def bayes_vs_sgd(ns: Sequence[int], k: int, seeds: int, *, eta: Any = 0, delta: Any = "1/20",
                 sgd: Mapping[str, Any] | None = None, alpha: float = 0.05, n_boot: int = 2000,
                 workers: int | None = None, scheduler: str | None = None, store: str | None = None,
                 progress: bool = True) -> dict[str, Any]:
    """Bayes and SGD sample counts per n over seeds ``0..seeds-1``: the ``experiment bayes-vs-sgd`` document.

    Runs, as tasks of :func:`featurecheck.numerics.experiments.execute.run_tasks` (kind
    ``"bayes-vs-sgd"``): the exact Bayes learner at ``eta`` (and, if ``eta > 0``, also noiseless, on the
    same seeds) and online SGD with ``sgd`` settings (default :data:`SGD_SETTINGS`) on the ``(n, k)``
    parity.

    Returns
    -------
    dict
        ``{"settings", "results", "fits"}`` (plus ``"noise"`` if ``eta > 0``). ``results``: one row per n
        with ``log2_C``, ``bayes_samples`` (median) and ``bayes_samples_ci`` (order-statistic interval at
        ``1 - alpha``), ``bayes_bracket`` (exact bracket of the noiseless median), ``sgd_samples``
        (median ``B t_c``) and ``sgd_samples_ci``, ``gf2_samples`` (exact median of GF(2) elimination),
        ``ratio`` and the per-seed counts. ``fits``: log-log slopes with seed-bootstrap intervals of the
        Bayes and SGD medians and of their ratio, and the exact log-log slope of ``log2 C``.

    Examples
    --------
    >>> doc = bayes_vs_sgd([8, 10], 2, 6, sgd={"width": 50, "batch": 32, "lr": 1.0, "max_steps": 3000},
    ...                    n_boot=100, progress=False)
    >>> [r["bayes_samples"] for r in doc["results"]], doc["results"][0]["bayes_bracket"]
    ([6, 5.5], [5, 6])
    """
    from featurecheck.numerics.experiments.execute import run_tasks
    from featurecheck.numerics.experiments.sweep import config_from_settings, fit_slope

    ns = [check_int("n", v, 2, 4096) for v in ns]
    if len(set(ns)) < 2:
        raise ValueError(f"n must hold at least two distinct values, got {ns}")
    k = check_int("k", k, 1, min(ns))
    for n in ns:
        _nk(n, k)
    seeds = check_int("seeds", seeds, 1, 10**6)
    eta, delta = _eta(eta), _delta(delta)
    sgd_settings = dict(SGD_SETTINGS if sgd is None else sgd)
    config_from_settings(sgd_settings, k)  # validate before any run
    etas = [eta] if eta == 0 else [Fraction(0), eta]
    tasks: list[tuple[dict[str, Any], int]] = []
    for n in ns:
        for e in etas:
            tasks += [({"learner": "bayes", "n": n, "k": k, "eta": str(e), "delta": str(delta)}, s) for s in range(seeds)]
        tasks += [({"learner": "sgd", **sgd_settings, "n": n, "k": k}, s) for s in range(seeds)]
    rate_ns = [n for n in ns if binomial(n, k) - 1 >= 64] if eta else []
    for n in rate_ns:  # the noise factor's posterior rates (noiseless and noisy, same seeds)
        for e in (Fraction(0), eta):
            tasks += [({"learner": "bayes-rate", "n": n, "k": k, "eta": str(e)}, s) for s in range(seeds)]
    runs = run_tasks(run_task, "bayes-vs-sgd", tasks, workers=workers, scheduler=scheduler, store=store,
                     progress=progress)

    def arm(n: int, learner: str, e: Fraction | None = None) -> list[int | None]:
        rows = [(t[1], r) for t, r in zip(tasks, runs, strict=True) if t[0]["n"] == n and t[0]["learner"] == learner
                and (e is None or t[0]["eta"] == str(e))]
        return [r["samples"] for _, r in sorted(rows, key=lambda p: p[0])]

    bayes = {n: arm(n, "bayes", eta) for n in ns}
    sgd_runs = {n: arm(n, "sgd") for n in ns}
    results = []
    for n in ns:
        C = binomial(n, k)
        bm, (blo, bhi) = median_interval(bayes[n], alpha)
        sm, (slo, shi) = median_interval(sgd_runs[n], alpha)
        row: dict[str, Any] = {
            "n": n, "k": k, "C": C, "log2_C": math.log2(C),
            "bayes_samples": json_number(bm), "bayes_samples_ci": [json_number(blo), json_number(bhi)],
            "bayes_bracket": list(quantile_bracket(n, k)) if eta == 0 else None,
            "bayes_mean": float(np.mean(_arr(bayes[n]))),
            "sgd_samples": json_number(sm), "sgd_samples_ci": [json_number(slo), json_number(shi)],
            "sgd_converged": sum(v is not None for v in sgd_runs[n]), "runs": seeds,
            "gf2_samples": gf2_median(n),
            "ratio": json_number(sm / bm) if math.isfinite(sm) and bm > 0 else None,
            "bayes_runs": bayes[n], "sgd_runs": sgd_runs[n],
        }
        if eta:
            cm, (clo, chi) = median_interval(arm(n, "bayes", Fraction(0)), alpha)
            row.update(bayes_noiseless_samples=json_number(cm), bayes_noiseless_samples_ci=[json_number(clo), json_number(chi)],
                       bayes_noiseless_bracket=list(quantile_bracket(n, k)))
        results.append(row)
    lx = np.log(np.asarray(ns, dtype=np.float64))
    lc = np.log(np.array([math.log2(binomial(n, k)) for n in ns]))
    c_slope = float(((lx - lx.mean()) * (lc - lc.mean())).sum() / ((lx - lx.mean()) ** 2).sum())
    fits: dict[str, Any] = {}
    for name, data in (("bayes", bayes), ("sgd", sgd_runs)):
        f = fit_slope(ns, [data[n] for n in ns], alpha=alpha, n_boot=n_boot)
        fits[name] = {"slope": f["slope"], "slope_ci": list(f["slope_ci"]), "intercept": f["intercept"]}
    r = ratio_slope(ns, [sgd_runs[n] for n in ns], [bayes[n] for n in ns], alpha=alpha, n_boot=n_boot)
    fits["ratio"] = {"slope": r["slope"], "slope_ci": list(r["slope_ci"])}
    fits["log2_C"] = {"slope": c_slope, "slope_ci": [c_slope, c_slope]}
    doc: dict[str, Any] = {
        "settings": {"n": ns, "k": k, "seeds": seeds, "eta": str(eta), "delta": str(delta), "prior": "k-sparse",
                     "sgd": sgd_settings, "alpha": alpha, "n_boot": n_boot,
                     "statistics": "medians over seeds 0..seeds-1 with order-statistic intervals at 1 - alpha "
                                   "(runs that did not finish count as +inf; null in JSON); log-log slopes by least "
                                   "squares through the medians with percentile seed-bootstrap intervals"},
        "results": results, "fits": fits,
    }
    if eta:
        rates = {(n, str(e)): [r["rate"] for t, r in zip(tasks, runs, strict=True)
                               if t[0]["learner"] == "bayes-rate" and t[0]["n"] == n and t[0]["eta"] == str(e)]
                 for n in rate_ns for e in (Fraction(0), eta)}
        noise: dict[str, Any] = {"eta": str(eta), "bsc_factor": noise_factor(eta), "rough_factor": rough_noise_factor(eta),
                                 "pair_kl_factor": pair_kl_factor(eta), "rate_ns": rate_ns,
                                 "median_count_ratio": [None if r["bayes_samples"] is None or not r["bayes_noiseless_samples"]
                                                        else r["bayes_samples"] / r["bayes_noiseless_samples"] for r in results]}
        if rate_ns:
            nf = noise_factor_fit([rates[(n, "0")] for n in rate_ns], [rates[(n, str(eta))] for n in rate_ns],
                                  alpha=alpha, n_boot=n_boot)
            noise.update(factor=nf["factor"], factor_ci=list(nf["factor_ci"]), rate_noiseless=nf["rate_clean"],
                         rate_noisy=nf["rate_noisy"])
        doc["noise"] = noise
    return doc


def plot_bayes_vs_sgd(doc: Mapping[str, Any], path: str) -> None:
    """Log-log plot of the median sample counts against n (Bayes, SGD, GF(2), ``log2 C``) with slopes."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = doc["results"]
    ns = np.array([r["n"] for r in rows], dtype=float)
    fig, ax = plt.subplots(figsize=(6, 4.5))
    fits = doc["fits"]

    def lab(name: str, key: str) -> str:
        f = fits[key]
        if f["slope"] is None:
            return f"{name}: slope undefined"
        ci = f["slope_ci"]
        return f"{name}: slope {f['slope']:.2f}" + (f" [{ci[0]:.2f}, {ci[1]:.2f}]" if ci[0] is not None else "")

    for key, name, col, mk in (("sgd", f"SGD (B t_c, {doc['settings']['sgd'].get('arch', 'mlp')})", "C1", "s"),
                               ("bayes", f"exact Bayes (eta = {doc['settings']['eta']})", "C0", "o")):
        med = [r[f"{key}_samples"] for r in rows]
        ci = [r[f"{key}_samples_ci"] for r in rows]
        pts = [(n, m, c) for n, m, c in zip(ns, med, ci, strict=True) if m is not None]
        if pts:
            x = np.array([p[0] for p in pts])
            y = np.array([p[1] for p in pts], dtype=float)
            lo = y - np.array([p[2][0] if p[2][0] is not None else p[1] for p in pts], dtype=float)
            hi = np.array([p[2][1] if p[2][1] is not None else 3 * p[1] for p in pts], dtype=float) - y
            ax.errorbar(x, y, yerr=[lo, hi], fmt=mk, color=col, capsize=3, label=lab(name, key))
            f = fits[key]
            if f["slope"] is not None and len(x) >= 2:
                b = np.polyfit(np.log(x), np.log(y), 1)
                grid = np.linspace(ns.min(), ns.max(), 50)
                ax.plot(grid, np.exp(np.polyval(b, np.log(grid))), "-", color=col, alpha=0.6)
    ax.plot(ns, [r["gf2_samples"] for r in rows], "--", color="C2", label="GF(2) elimination (exact median)")
    ax.plot(ns, [r["log2_C"] for r in rows], ":", color="k", label=lab("log2 C(n,k)", "log2_C"))
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("n")
    ax.set_ylabel("samples (median over seeds)")
    r = fits["ratio"]
    ratio = "undefined" if r["slope"] is None else f"{r['slope']:.2f}"
    ax.set_title(f"k = {doc['settings']['k']}: SGD/Bayes ratio grows like n^{ratio}")
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
