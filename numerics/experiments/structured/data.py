"""Structured-input data models: Daniely–Malach parities and the Shi–Wei–Liang pattern model.

Also the seeded streams of every structured experiment (:func:`rng_for`) and which exact linear-threshold
ceiling applies (:func:`ceiling_kind`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np

from featurecheck.numerics._kernels.rng import Purpose, generator
from featurecheck.theory import structured as TS
from featurecheck.theory._validate import check_int, check_real

__all__ = ["DanielyMalach", "PatternModel", "rng_for", "ceiling_kind"]


_PURPOSE = {"data-train": Purpose.STRUCTURED_TRAIN, "data-test": Purpose.STRUCTURED_TEST,
            "data-uniform": Purpose.STRUCTURED_UNIFORM, "init": Purpose.STRUCTURED_INIT,
            "batches": Purpose.STRUCTURED_BATCHES, "subset": Purpose.STRUCTURED_SUBSET,
            "dictionary": Purpose.STRUCTURED_DICTIONARY, "relevant": Purpose.STRUCTURED_RELEVANT}


def rng_for(seed: int, purpose: str, *extra: int) -> np.random.Generator:
    """Return a fresh generator for ``(seed, purpose, *extra)``; independent streams via SeedSequence.

    Examples
    --------
    >>> float(rng_for(0, "init").random()) == float(rng_for(0, "init").random())
    True
    """
    seed = check_int("seed", seed, 0, 2**63 - 1)
    return generator(seed, _PURPOSE[purpose], *extra)


def ceiling_kind(k: int) -> str:
    """``"ltf"`` (all linear thresholds, exact) for ``k <= 6``, else ``"sum"`` (thresholds of the sum)."""
    return "ltf" if k <= TS.LTF_MAX_K else "sum"


@dataclass(frozen=True)
class DanielyMalach:
    """The Daniely–Malach distribution ``D_A`` on ``{-1,+1}^n`` with label ``chi_A(x)``.

    Parameters
    ----------
    n : int
        Input dimension, in ``[1, 4096]``.
    k : int
        ``|A|``, in ``[1, n]``.
    q : float
        Weight of the easy component, in ``[0, 1]`` (0 gives the plain uniform k-parity).
    common : {"plus", "random"}
        Shared value of ``x_A`` on easy points: ``+1``, or a fair random sign (which gives the
        first-order signal ``E[y x_i]`` only for odd ``k``).
    A : tuple of int
        The relevant set (default ``0..k-1``; the learners are permutation-equivariant).

    Examples
    --------
    >>> dm = DanielyMalach(10, 3)
    >>> x, y, easy = dm.sample(4, np.random.default_rng(0))
    >>> x.shape, x.dtype, bool(np.all(y == np.prod(x[:, :3], axis=1)))
    ((4, 10), dtype('float32'), True)
    """

    n: int
    k: int
    q: float = 0.5
    common: str = "plus"
    A: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        n = check_int("n", self.n, 1, 4096)
        k = check_int("k", self.k, 1, n)
        check_real("q", self.q, 0, 1)
        if self.common not in TS.COMMON_VALUES:
            raise ValueError(f"common must be one of {list(TS.COMMON_VALUES)}, got {self.common!r}")
        A = tuple(self.A) or tuple(range(k))
        if len(A) != k or len(set(A)) != k or min(A) < 0 or max(A) >= n:
            raise ValueError(f"A must be {k} distinct coordinates in [0, {n - 1}], got {self.A!r}")
        object.__setattr__(self, "A", tuple(sorted(A)))

    def sample(self, N: int, rng: np.random.Generator, component: str = "mixture") -> tuple[np.ndarray, ...]:
        """Draw ``N`` points: ``(x float32 (N, n), y float32 ±1, easy bool)``.

        ``component``: ``mixture`` (``D_A``), ``uniform`` (the uniform component only).
        """
        N = check_int("N", N, 0, 10**8)
        x = (1 - 2 * rng.integers(0, 2, size=(N, self.n), dtype=np.int8)).astype(np.float32)
        if component == "mixture":
            easy = rng.random(N) < float(self.q)
        elif component == "uniform":
            easy = np.zeros(N, dtype=bool)
        else:
            raise ValueError(f"component must be 'mixture' or 'uniform', got {component!r}")
        if self.common == "plus":
            val = np.ones(N, dtype=np.float32)
        else:
            val = (1 - 2 * rng.integers(0, 2, size=N, dtype=np.int8)).astype(np.float32)
        idx = np.asarray(self.A)
        x[np.ix_(easy, idx)] = val[easy, None]
        y = np.prod(x[:, idx], axis=1).astype(np.float32)
        return x, y, easy

    def ceiling(self, component: str = "mixture") -> Fraction:
        """Exact linear-threshold ceiling (:func:`featurecheck.theory.structured.daniely_malach_ceiling`).

        Over all LTFs for ``k <= 6``, over thresholds of the sum (a lower bound) above.
        """
        kind = ceiling_kind(self.k)
        if self.q == 0:
            return TS.uniform_parity_ceiling(self.k, kind)
        return TS.daniely_malach_ceiling(self.k, Fraction(self.q).limit_denominator(10**9), self.common,
                                         component, kind)


@dataclass(frozen=True)
class PatternModel:
    """The Shi–Wei–Liang dictionary (pattern) model.

    Parameters
    ----------
    d, D : int
        Input dimension and number of patterns, ``1 <= D <= d <= 10000``.
    k : int
        ``|A|``. With structure and parity labels ``k`` must be odd (balanced classes).
    p_o : float
        Pr[background pattern present], in ``(0, 1/2]``.
    labels : {"parity", "threshold"}
    structure : bool
        False: every pattern (in ``A`` too) is Bernoulli(1/2) (the paper's Thm 3 setting).
    seed : int
        Seeds the dictionary ``M`` (QR of a Gaussian matrix) and the relevant set ``A``.

    Examples
    --------
    >>> pm = PatternModel(20, 10, 3, seed=0)
    >>> x, y, phi = pm.sample(5, np.random.default_rng(1))
    >>> x.shape, pm.assumptions()["gamma"], bool(np.allclose(pm.M.T @ pm.M, np.eye(10)))
    ((5, 20), Fraction(1, 4), True)
    """

    d: int
    D: int
    k: int
    p_o: float = 0.5
    labels: str = "parity"
    structure: bool = True
    seed: int = 0
    M: np.ndarray = field(init=False, repr=False, compare=False)
    A: tuple[int, ...] = field(init=False)
    mean: np.ndarray = field(init=False, repr=False, compare=False)
    sigma: float = field(init=False)

    def __post_init__(self) -> None:
        d = check_int("d", self.d, 1, 10_000)
        D = check_int("D", self.D, 1, d)
        k = check_int("k", self.k, 1, D)
        p_o = float(check_real("p_o", self.p_o, 0, 0.5))
        if p_o <= 0:
            raise ValueError(f"p_o must be in (0, 1/2], got {self.p_o!r}")
        if self.labels not in TS.LABEL_SETS:
            raise ValueError(f"labels must be one of {list(TS.LABEL_SETS)}, got {self.labels!r}")
        rep = TS.pattern_assumptions(k, self.labels, self.structure)
        if self.structure and not (rep["balanced"] and rep["gamma_positive"]):
            raise ValueError(f"k must be odd for the structured {self.labels} model (balanced classes, gamma > 0), "
                             f"got k={k}: Pr[y=+1]={rep['pr_positive']}, gamma={rep['gamma']}")
        g = rng_for(self.seed, "dictionary")
        Q, R = np.linalg.qr(g.standard_normal((d, D)))
        M = Q * np.sign(np.diag(R))
        A = tuple(sorted(rng_for(self.seed, "relevant").choice(D, size=k, replace=False).tolist()))
        ephi = np.full(D, 0.5 if not self.structure else p_o)
        ephi[list(A)] = 0.5  # the mixture on phi_A has marginal 1/2 per coordinate as well
        var = ephi * (1 - ephi)
        object.__setattr__(self, "M", M)
        object.__setattr__(self, "A", A)
        object.__setattr__(self, "mean", M @ ephi)
        object.__setattr__(self, "sigma", float(math.sqrt(var.sum() / d)))

    def sample_phi(self, N: int, rng: np.random.Generator) -> np.ndarray:
        """Hidden patterns ``phi`` (uint8, shape (N, D))."""
        N = check_int("N", N, 0, 10**8)
        p = 0.5 if not self.structure else float(self.p_o)
        phi = (rng.random((N, self.D)) < p).astype(np.uint8)
        idx = np.asarray(self.A)
        pa = rng.integers(0, 2, size=(N, self.k), dtype=np.uint8)
        if self.structure:
            u = rng.random(N)
            pa[u < 0.25] = 1
            pa[(u >= 0.25) & (u < 0.5)] = 0
        phi[:, idx] = pa
        return phi

    def label(self, phi: np.ndarray) -> np.ndarray:
        """Return the ±1 labels (float32): ``+1`` iff ``m = |phi_A|`` is odd (parity) or ``2 m > k`` (threshold)."""
        m = phi[:, np.asarray(self.A)].sum(axis=1).astype(np.int64)
        pos = (m % 2 == 1) if self.labels == "parity" else (2 * m > self.k)
        return np.where(pos, 1.0, -1.0).astype(np.float32)

    def embed(self, phi: np.ndarray) -> np.ndarray:
        """Map patterns to inputs ``x = (M phi - mean) / sigma`` (float32, shape ``(N, d)``)."""
        return ((phi.astype(np.float64) @ self.M.T - self.mean) / self.sigma).astype(np.float32)

    def sample(self, N: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Draw ``N`` points: ``(x float32 (N, d), y float32 ±1, phi uint8 (N, D))``."""
        phi = self.sample_phi(N, rng)
        return self.embed(phi), self.label(phi), phi

    def assumptions(self) -> dict[str, Any]:
        """Exact report of the paper's assumptions (:func:`featurecheck.theory.structured.pattern_assumptions`).

        The assumptions are balanced classes, ``gamma > 0`` on ``A``, ``p_o <= 1/2`` and orthonormal ``M``.
        """
        rep = TS.pattern_assumptions(self.k, self.labels, self.structure)
        rep["p_o"] = self.p_o if self.structure else 0.5
        rep["p_o_ok"] = rep["p_o"] <= 0.5
        rep["orthonormal_error"] = float(np.abs(self.M.T @ self.M - np.eye(self.D)).max())
        return rep

    def ceiling(self) -> Fraction:
        """Exact linear-threshold ceiling (:func:`featurecheck.theory.structured.pattern_ceiling`).

        Over all LTFs for ``k <= 6``, over thresholds of the sum above.
        """
        return TS.pattern_ceiling(self.k, self.labels, self.structure, kind=ceiling_kind(self.k))

    def relevant_direction(self) -> np.ndarray:
        """Return the unit vector along ``sum_{j in A} M_j``."""
        v = self.M[:, list(self.A)].sum(axis=1)
        return v / np.linalg.norm(v)
