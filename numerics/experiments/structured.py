"""Structured-input experiments: Daniely–Malach parities and the Shi–Wei–Liang pattern model.

Data models, a two-layer network trained on a *finite* sample, and fixed-feature baselines trained on
the same sample (theory reference, section 4).

- :class:`DanielyMalach`: ``D_A`` = weight ``1 - q`` uniform on ``{-1,+1}^n`` plus weight ``q``
  "easy" points whose coordinates in ``A`` share one common value (``+1`` by default, or a fair
  random sign); label ``chi_A(x)`` (Daniely & Malach 2020).
- :class:`PatternModel`: the dictionary model of Shi, Wei & Liang 2022 (problem setup): ``M`` (d x D,
  orthonormal columns), hidden ``phi in {0,1}^D``, class-relevant ``A`` (``|A| = k``), label ``+1``
  iff ``sum_{i in A} phi_i in P``; background patterns Bernoulli(``p_o``); input
  ``x = (M phi - E[M phi]) / sigma`` with the scalar ``sigma`` chosen so that ``E||x||^2 = d``.
  With structure ``phi_A`` is uniform w.p. 1/2, all-ones w.p. 1/4, all-zeros w.p. 1/4 (balanced
  classes and ``gamma = 1/4 > 0`` for odd ``k``); without structure every pattern is Bernoulli(1/2).
- :func:`train_network`: ``f(x) = sum_i a_i sigma(<w_i, x> + b_i)`` trained by minibatch SGD or Adam
  over a fixed training set (``sigma`` = ReLU or the truncated ReLU ``min(1, max(z, 0))``; hinge or
  logistic loss).
- Baselines on the same training set: :func:`fit_random_features` (the network's initial first layer,
  frozen, ridge readout), :func:`fit_kernel` (two-layer ReLU NTK, exact kernel ridge regression on a
  stated subsample cap), :func:`fit_linear` (ridge on the raw input, then the bias re-chosen to
  maximise training accuracy, which gives linear its best shot at its ceiling).

Reproducibility: every random draw comes from ``generator(seed, Purpose.STRUCTURED_*, ...)`` (the RNG
registry, :mod:`featurecheck.numerics._kernels.rng`). Training uses float32 numpy matmuls (BLAS). OpenBLAS splits a GEMM over output
blocks, not over the reduction, so for a fixed thread count and BLAS build the same seed gives
bit-identical weights and accuracies (tested); across machines or thread counts results may differ in
the last bits and, through training dynamics, slightly in accuracy.

References
----------
A. Daniely, E. Malach, "Learning Parities with Neural Networks", NeurIPS 2020.
Z. Shi, J. Wei, Y. Liang, ICLR 2022, arXiv 2206.01717 (problem setup; synthetic experiments).
A. Jacot, F. Gabriel, C. Hongler, "Neural Tangent Kernel", NeurIPS 2018; Y. Cho, L. Saul,
"Kernel methods for deep learning", NeurIPS 2009 (arc-cosine kernels).
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

__all__ = [
    "DanielyMalach",
    "PatternModel",
    "NetConfig",
    "Network",
    "train_network",
    "fit_random_features",
    "fit_kernel",
    "fit_linear",
    "accuracy",
    "relu_ntk",
    "ltf_ceiling_enumeration",
    "dm_feature_correlation",
    "rng_for",
    "loss_and_grads",
    "cube_points",
    "ceiling_kind",
    "ltf_profiles_enumeration",
    "dm_first_order_signal_exact",
    "dm_embedding",
    "single_thread_blas",
    "init_network",
    "median_interval",
    "alignment",
    "ExperimentResult",
    "METHODS",
    "dm_default_config",
    "swl_default_config",
    "run_daniely_malach",
    "run_shi_wei_liang",
]

_PURPOSE = {"data-train": Purpose.STRUCTURED_TRAIN, "data-test": Purpose.STRUCTURED_TEST,
            "data-uniform": Purpose.STRUCTURED_UNIFORM, "init": Purpose.STRUCTURED_INIT,
            "batches": Purpose.STRUCTURED_BATCHES, "subset": Purpose.STRUCTURED_SUBSET,
            "dictionary": Purpose.STRUCTURED_DICTIONARY, "relevant": Purpose.STRUCTURED_RELEVANT}


def rng_for(seed: int, purpose: str, *extra: int) -> np.random.Generator:
    """A fresh generator for ``(seed, purpose, *extra)``; independent streams via SeedSequence.

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


# ---------------------------------------------------------------------------------------------------
# data models
# ---------------------------------------------------------------------------------------------------


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
        """Exact linear-threshold ceiling (:func:`featurecheck.theory.structured.daniely_malach_ceiling`): over all
        LTFs for ``k <= 6``, over thresholds of the sum (a lower bound) above."""
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
        m = phi[:, np.asarray(self.A)].sum(axis=1).astype(np.int64)
        pos = (m % 2 == 1) if self.labels == "parity" else (2 * m > self.k)
        return np.where(pos, 1.0, -1.0).astype(np.float32)

    def embed(self, phi: np.ndarray) -> np.ndarray:
        return ((phi.astype(np.float64) @ self.M.T - self.mean) / self.sigma).astype(np.float32)

    def sample(self, N: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Draw ``N`` points: ``(x float32 (N, d), y float32 ±1, phi uint8 (N, D))``."""
        phi = self.sample_phi(N, rng)
        return self.embed(phi), self.label(phi), phi

    def assumptions(self) -> dict[str, Any]:
        """Exact report of the paper's assumptions (balanced classes, ``gamma > 0`` on ``A``,
        ``p_o <= 1/2``, orthonormal ``M``); see :func:`featurecheck.theory.structured.pattern_assumptions`."""
        rep = TS.pattern_assumptions(self.k, self.labels, self.structure)
        rep["p_o"] = self.p_o if self.structure else 0.5
        rep["p_o_ok"] = rep["p_o"] <= 0.5
        rep["orthonormal_error"] = float(np.abs(self.M.T @ self.M - np.eye(self.D)).max())
        return rep

    def ceiling(self) -> Fraction:
        """Exact linear-threshold ceiling (:func:`featurecheck.theory.structured.pattern_ceiling`; all LTFs for
        ``k <= 6``, thresholds of the sum above)."""
        return TS.pattern_ceiling(self.k, self.labels, self.structure, kind=ceiling_kind(self.k))

    def relevant_direction(self) -> np.ndarray:
        """Unit vector along ``sum_{j in A} M_j``."""
        v = self.M[:, list(self.A)].sum(axis=1)
        return v / np.linalg.norm(v)


# ---------------------------------------------------------------------------------------------------
# the network
# ---------------------------------------------------------------------------------------------------

ACTIVATIONS = ("relu", "truncated-relu")
LOSSES = ("hinge", "logistic")
OPTIMIZERS = ("adam", "sgd")


@dataclass(frozen=True)
class NetConfig:
    """Two-layer network and its optimiser.

    ``W ~ N(0, w_scale^2 / d)``, ``b ~ U(-b_scale, b_scale)``, ``a ~ ±a_scale / width`` (random
    signs); all three layers are trained. Adam uses betas (0.9, 0.999), eps 1e-8.
    """

    width: int = 512
    steps: int = 4000
    batch: int = 128
    lr: float = 1e-3
    optimizer: str = "adam"
    activation: str = "relu"
    loss: str = "hinge"
    weight_decay: float = 0.0
    w_scale: float = 1.0
    b_scale: float = 1.0
    a_scale: float = 1.0

    def __post_init__(self) -> None:
        check_int("width", self.width, 1, 1 << 16)
        check_int("steps", self.steps, 0, 10**7)
        check_int("batch", self.batch, 1, 1 << 20)
        check_real("lr", self.lr, 0, 10)
        check_real("weight_decay", self.weight_decay, 0, 10)
        for name in ("w_scale", "b_scale", "a_scale"):
            check_real(name, getattr(self, name), 0, 1e3)
        for name, allowed in (("optimizer", OPTIMIZERS), ("activation", ACTIVATIONS), ("loss", LOSSES)):
            if getattr(self, name) not in allowed:
                raise ValueError(f"{name} must be one of {list(allowed)}, got {getattr(self, name)!r}")


def _act(z: np.ndarray, kind: str) -> np.ndarray:
    if kind == "relu":
        return np.maximum(z, 0)
    return np.clip(z, 0, 1)


def _act_grad(z: np.ndarray, kind: str) -> np.ndarray:
    if kind == "relu":
        return (z > 0).astype(np.float32)
    return ((z > 0) & (z < 1)).astype(np.float32)


@dataclass
class Network:
    """A trained two-layer network; ``W0, b0, a0`` keep the initialisation."""

    W: np.ndarray
    b: np.ndarray
    a: np.ndarray
    activation: str
    W0: np.ndarray
    b0: np.ndarray
    a0: np.ndarray
    train_loss: list[float] = field(default_factory=list)

    def decision(self, x: np.ndarray, chunk: int = 1 << 14) -> np.ndarray:
        out = np.empty(len(x), dtype=np.float32)
        for s in range(0, len(x), chunk):
            out[s:s + chunk] = _act(x[s:s + chunk] @ self.W.T + self.b, self.activation) @ self.a
        return out

    def predict(self, x: np.ndarray) -> np.ndarray:
        return np.where(self.decision(x) >= 0, 1.0, -1.0).astype(np.float32)


def init_network(d: int, cfg: NetConfig, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Initial ``(W, b, a)`` (float32) for input dimension ``d``."""
    g = rng_for(seed, "init")
    W = (g.standard_normal((cfg.width, d)) * (cfg.w_scale / math.sqrt(d))).astype(np.float32)
    b = g.uniform(-cfg.b_scale, cfg.b_scale, cfg.width).astype(np.float32)
    a = (np.where(g.random(cfg.width) < 0.5, -1.0, 1.0) * cfg.a_scale / cfg.width).astype(np.float32)
    return W, b, a


def single_thread_blas() -> Any:
    """Context manager pinning BLAS to one thread (``threadpoolctl`` if installed, else a no-op).

    Small GEMMs are faster on one thread here, and a fixed thread count makes runs bit-identical.
    """
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover
        from contextlib import nullcontext

        return nullcontext()
    return threadpool_limits(limits=1, user_api="blas")


def loss_and_grads(x: np.ndarray, y: np.ndarray, W: np.ndarray, b: np.ndarray, a: np.ndarray,
                   activation: str, loss: str) -> tuple[float, tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Mean loss of ``f(x) = sum_i a_i sigma(<w_i, x> + b_i)`` on a batch and its gradient
    ``(dW, db, da)``. Hinge: ``max(0, 1 - y f)`` with subgradient 0 at the kink; logistic:
    ``log(1 + exp(-y f))``. ``sigma'`` is ``1[z > 0]`` (ReLU) or ``1[0 < z < 1]`` (truncated ReLU).
    Works in the dtype of the inputs (float32 in training, float64 in gradient tests).

    Examples
    --------
    >>> x = np.array([[1.0, -1.0]]); W = np.array([[0.5, 0.0]]); b = np.zeros(1); a = np.ones(1)
    >>> L, (gW, gb, ga) = loss_and_grads(x, np.array([1.0]), W, b, a, "relu", "hinge")
    >>> L, gW.tolist(), ga.tolist()
    (0.5, [[-1.0, 1.0]], [-0.5])
    """
    B = len(x)
    z = x @ W.T + b
    h = _act(z, activation).astype(z.dtype, copy=False)
    margin = y * (h @ a)
    dt = z.dtype.type
    if loss == "hinge":
        gf = np.where(margin < 1, -y, 0).astype(z.dtype) / dt(B)
        L = float(np.maximum(0, 1 - margin).mean())
    else:
        gf = (-y / (1 + np.exp(np.clip(margin, -30, 30)))).astype(z.dtype) / dt(B)
        L = float(np.logaddexp(0, -margin).mean())
    ga = h.T @ gf
    gz = np.outer(gf, a) * _act_grad(z, activation).astype(z.dtype, copy=False)
    return L, (gz.T @ x, gz.sum(axis=0), ga)


def train_network(x: np.ndarray, y: np.ndarray, cfg: NetConfig, seed: int, log_every: int = 0) -> Network:
    """Train the two-layer network on the finite sample ``(x, y)``.

    Minibatches are drawn with replacement from the training set by a stream keyed by ``seed``.

    Parameters
    ----------
    x : float32 array (N, d)
    y : float32 array of ±1 (N,)
    cfg : NetConfig
    seed : int
        Keys the initialisation and the minibatch order.
    log_every : int
        If positive, record the minibatch loss every ``log_every`` steps in ``train_loss``.

    Examples
    --------
    >>> x = np.random.default_rng(0).choice([-1.0, 1.0], size=(256, 5)).astype(np.float32)
    >>> net = train_network(x, x[:, 0].copy(), NetConfig(width=16, steps=200, batch=32, lr=1e-2), seed=0)
    >>> accuracy(net.predict(x), x[:, 0]) > 0.95
    True
    """
    x = np.ascontiguousarray(x, dtype=np.float32)
    y = np.ascontiguousarray(y, dtype=np.float32)
    if x.ndim != 2 or y.shape != (len(x),) or len(x) == 0:
        raise ValueError(f"x must be (N, d) and y (N,) with N >= 1, got {x.shape} and {y.shape}")
    with single_thread_blas():
        return _train(x, y, cfg, seed, log_every)


def _train(x: np.ndarray, y: np.ndarray, cfg: NetConfig, seed: int, log_every: int) -> Network:
    N, d = x.shape
    W, b, a = init_network(d, cfg, seed)
    net = Network(W.copy(), b.copy(), a.copy(), cfg.activation, W, b, a)
    W, b, a = net.W, net.b, net.a
    params = (W, b, a)
    m1 = [np.zeros_like(p) for p in params]
    m2 = [np.zeros_like(p) for p in params]
    g = rng_for(seed, "batches")
    B = min(cfg.batch, N)
    lr, wd = np.float32(cfg.lr), np.float32(cfg.weight_decay)
    b1, b2, eps = np.float32(0.9), np.float32(0.999), np.float32(1e-8)
    for step in range(cfg.steps):
        idx = g.integers(0, N, size=B)
        loss, grads = loss_and_grads(x[idx], y[idx], W, b, a, cfg.activation, cfg.loss)
        if log_every and step % log_every == 0:
            net.train_loss.append(float(loss))
        if cfg.optimizer == "sgd":
            for p, gp in zip(params, grads, strict=True):
                if wd:
                    gp = gp + wd * p
                p -= lr * gp
        else:
            t = step + 1
            c1 = np.float32(1 - 0.9 ** t)
            c2 = np.float32(1 - 0.999 ** t)
            for p, gp, u, v in zip(params, grads, m1, m2, strict=True):
                if wd:
                    gp = gp + wd * p
                u *= b1
                u += (1 - b1) * gp
                v *= b2
                v += (1 - b2) * gp * gp
                p -= lr * (u / c1) / (np.sqrt(v / c2) + eps)
    return net


def accuracy(pred: np.ndarray, y: np.ndarray) -> float:
    """Fraction of ``pred == y``.

    Examples
    --------
    >>> accuracy(np.array([1, -1, 1]), np.array([1, 1, 1]))
    0.6666666666666666
    """
    return float(np.mean(np.asarray(pred) == np.asarray(y)))


# ---------------------------------------------------------------------------------------------------
# baselines
# ---------------------------------------------------------------------------------------------------


@dataclass
class LinearReadout:
    """``sign(<v, phi(x)> + c)`` on a fixed feature map."""

    v: np.ndarray
    c: float
    features: Any

    def decision(self, x: np.ndarray) -> np.ndarray:
        return self.features(x) @ self.v + np.float32(self.c)

    def predict(self, x: np.ndarray) -> np.ndarray:
        return np.where(self.decision(x) >= 0, 1.0, -1.0).astype(np.float32)


def _ridge(F_fn: Any, x: np.ndarray, y: np.ndarray, ridge: float, chunk: int = 1 << 14) -> tuple[np.ndarray, float]:
    # ridge with an unpenalised intercept; Gram matrix accumulated in float64 by chunks
    G = None
    r = None
    s = None
    N = len(x)
    for st in range(0, N, chunk):
        F = F_fn(x[st:st + chunk]).astype(np.float64)
        G = F.T @ F if G is None else G + F.T @ F
        r = F.T @ y[st:st + chunk] if r is None else r + F.T @ y[st:st + chunk]
        s = F.sum(axis=0) if s is None else s + F.sum(axis=0)
    assert G is not None and r is not None and s is not None
    mu, ybar = s / N, float(np.mean(y))
    C = G - N * np.outer(mu, mu)
    rc = r - N * mu * ybar
    p = C.shape[0]
    lam = ridge * max(np.trace(C) / p, 1e-12)
    v = np.linalg.solve(C + lam * np.eye(p), rc)
    return v.astype(np.float32), float(ybar - mu @ v)


def fit_random_features(x: np.ndarray, y: np.ndarray, net_or_init: Any, activation: str, ridge: float = 1e-3) -> LinearReadout:
    """Random features at the network's initialisation, ridge readout (relative ridge ``ridge``)."""
    if isinstance(net_or_init, Network):
        W, b = net_or_init.W0, net_or_init.b0
    else:
        W, b = net_or_init[0], net_or_init[1]

    def feats(z: np.ndarray) -> np.ndarray:
        return _act(z @ W.T + b, activation)

    v, c = _ridge(feats, x, y, ridge)
    return LinearReadout(v, c, feats)


def fit_linear(x: np.ndarray, y: np.ndarray, ridge: float = 1e-6) -> LinearReadout:
    """Ridge regression on the raw input; then the bias is re-chosen to maximise training accuracy.

    Examples
    --------
    >>> x = np.random.default_rng(0).choice([-1.0, 1.0], size=(500, 4)).astype(np.float32)
    >>> y = np.where(x[:, 0] + x[:, 1] + x[:, 2] >= 3, 1.0, -1.0).astype(np.float32)
    >>> accuracy(fit_linear(x, y).predict(x), y)
    1.0
    """
    v, c = _ridge(lambda z: z, x, y, ridge)
    s = x @ v
    order = np.argsort(-s, kind="stable")
    ys = y[order]
    # predict +1 on the top j scores: acc(j) = (#pos in top j) + (#neg outside top j)
    pos = np.concatenate([[0], np.cumsum(ys > 0)])
    neg_total = int(np.sum(ys < 0))
    negtop = np.concatenate([[0], np.cumsum(ys < 0)])
    acc = pos + (neg_total - negtop)
    j = int(np.argmax(acc))
    ss = s[order]
    if j == 0:
        c = -float(ss[0]) - 1.0
    elif j == len(ss):
        c = -float(ss[-1]) + 1.0
    else:
        c = -float(ss[j - 1] + ss[j]) / 2.0
    return LinearReadout(v, c, lambda z: z)


def relu_ntk(X: np.ndarray, Z: np.ndarray, bias: float = 1.0) -> np.ndarray:
    """NTK of a two-layer ReLU network ``sum_i a_i relu(<w_i, x> + b_i)`` with standard Gaussian
    ``w, b`` on the augmented input ``(x/sqrt(d), bias)``, both layers trained (Jacot et al. 2018):
    ``K = <u, v> kappa_0 + |u||v| kappa_1``, ``kappa_0 = (pi - t)/(2 pi)``,
    ``kappa_1 = (sin t + (pi - t) cos t)/(2 pi)`` (the arc-cosine kernels of Cho & Saul 2009).

    Examples
    --------
    >>> X = np.eye(3)
    >>> K = relu_ntk(X, X)
    >>> bool(np.allclose(K, K.T)) and bool(np.all(np.linalg.eigvalsh(K) > 0))
    True
    """
    d = X.shape[1]
    U = np.hstack([np.asarray(X, np.float64) / math.sqrt(d), np.full((len(X), 1), bias)])
    V = np.hstack([np.asarray(Z, np.float64) / math.sqrt(d), np.full((len(Z), 1), bias)])
    nu = np.linalg.norm(U, axis=1)
    nv = np.linalg.norm(V, axis=1)
    dot = U @ V.T
    cos = np.clip(dot / np.outer(nu, nv), -1.0, 1.0)
    t = np.arccos(cos)
    k0 = (np.pi - t) / (2 * np.pi)
    k1 = (np.sin(t) + (np.pi - t) * cos) / (2 * np.pi)
    return dot * k0 + np.outer(nu, nv) * k1


@dataclass
class KernelModel:
    Xs: np.ndarray
    alpha: np.ndarray
    c: float

    def decision(self, x: np.ndarray, chunk: int = 4096) -> np.ndarray:
        out = np.empty(len(x))
        for s in range(0, len(x), chunk):
            out[s:s + chunk] = relu_ntk(x[s:s + chunk], self.Xs) @ self.alpha
        return out + self.c

    def predict(self, x: np.ndarray) -> np.ndarray:
        return np.where(self.decision(x) >= 0, 1.0, -1.0).astype(np.float32)


def fit_kernel(x: np.ndarray, y: np.ndarray, cap: int, seed: int, ridge: float = 1e-3) -> KernelModel:
    """Exact kernel ridge regression with :func:`relu_ntk` on the first ``min(cap, N)`` training
    points (the training set is already i.i.d., so a prefix is a uniform subsample); relative ridge
    ``ridge * trace(K)/n`` and the mean label as intercept."""
    cap = check_int("cap", cap, 1, 40_000)
    n = min(cap, len(x))
    Xs = np.asarray(x[:n], np.float64)
    ys = np.asarray(y[:n], np.float64)
    K = relu_ntk(Xs, Xs)
    c = float(ys.mean())
    lam = ridge * np.trace(K) / n
    K[np.diag_indices(n)] += lam
    import scipy.linalg

    alpha = scipy.linalg.solve(K, ys - c, assume_a="pos")
    return KernelModel(Xs, alpha, c)


# ---------------------------------------------------------------------------------------------------
# exact routes: the linear-threshold ceiling by exhaustive LTF enumeration; the DM fixed-feature side
# ---------------------------------------------------------------------------------------------------


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
    from itertools import combinations_with_replacement
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
    pts = np.array([[1 - 2 * ((i >> j) & 1) for j in range(k)] for i in range(1 << k)], dtype=np.int64)
    mcount = (pts < 0).sum(axis=1)
    per_point = [ms[m] / comb(k, m) for m in range(k + 1)]
    L = lcm(*[v.denominator for v in per_point])
    c = np.array([int(per_point[m] * L) * int(labels[m]) for m in mcount], dtype=np.int64)
    total = int(sum(ms) * L)
    neg = int(sum(ms[m] for m in range(k + 1) if labels[m] == -1) * L)
    # constants first: all -1 (w = 0, theta = 0, s = 1) and all +1 (s = -1)
    best, arg = (neg, (tuple([0] * k), 0.0, 1)) if neg >= total - neg else (total - neg, (tuple([0] * k), 0.0, -1))
    combos = combinations_with_replacement(range(-max_weight, max_weight + 1), k)
    while True:
        block = np.array([w for _, w in zip(range(chunk), combos, strict=False)], dtype=np.int64)
        if len(block) == 0:
            break
        v = block @ pts.T
        order = np.argsort(-v, axis=1, kind="stable")
        vs = np.take_along_axis(v, order, axis=1)
        acc = neg + np.cumsum(c[order], axis=1)  # predict +1 on the top j+1 points
        valid = np.ones_like(acc, dtype=bool)
        valid[:, :-1] = vs[:, :-1] > vs[:, 1:]  # a cut after position j must separate distinct values
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
    """Every level profile ``(N_0, ..., N_k)`` of a threshold function of ``k`` variables
    (``N_m`` = number of points with ``m`` coordinates ``-1`` mapped to ``+1``), by the enumeration of
    :func:`ltf_ceiling_enumeration`. Slow for ``k = 6`` (minutes).

    Examples
    --------
    >>> sorted(ltf_profiles_enumeration(1))
    [(0, 0), (0, 1), (1, 0), (1, 1)]
    """
    from itertools import combinations_with_replacement

    k = check_int("k", k, 1, 6)
    W = check_int("max_weight", TS.MUROGA_MAX_WEIGHT[k] if max_weight is None else max_weight, 1, 64)
    pts = np.array([[1 - 2 * ((i >> j) & 1) for j in range(k)] for i in range(1 << k)], dtype=np.int64)
    onehot = np.eye(k + 1, dtype=np.int64)[(pts < 0).sum(axis=1)]
    out: set[tuple[int, ...]] = {tuple([0] * (k + 1))}
    combos = combinations_with_replacement(range(-W, W + 1), k)
    while True:
        block = np.array([w for _, w in zip(range(chunk), combos, strict=False)], dtype=np.int64)
        if len(block) == 0:
            break
        v = block @ pts.T
        order = np.argsort(-v, axis=1, kind="stable")
        vs = np.take_along_axis(v, order, axis=1)
        prof = np.cumsum(onehot[order], axis=1)
        valid = np.ones(vs.shape, dtype=bool)
        valid[:, :-1] = vs[:, :-1] > vs[:, 1:]
        out.update(map(tuple, np.unique(prof[valid], axis=0).tolist()))
    return out


def cube_points(n: int) -> np.ndarray:
    """All ``2^n`` points of ``{-1,+1}^n`` as float32 rows; bit ``i`` of the row index set means
    ``x_i = -1`` (the featurecheck bit order)."""
    n = check_int("n", n, 1, 22)
    idx = np.arange(1 << n, dtype=np.int64)
    return (1 - 2 * ((idx[:, None] >> np.arange(n)) & 1)).astype(np.float32)


def dm_feature_correlation(features: np.ndarray, n: int, k: int) -> float:
    """``avg_{|A| = k} ||E_unif[Psi(x) chi_A(x)]||^2`` for an embedding tabulated on the whole cube.

    ``features`` has shape ``(2^n, N)`` (row = :func:`cube_points` order). The Walsh transform of
    each column gives every ``hat Psi_j(A)``; the level-``k`` weights are summed and divided by
    ``C(n, k)``. This equals ``avg_A max_{||w|| <= 1} (E[<w, Psi> chi_A])^2`` (Daniely & Malach
    2020), whose bound is :func:`featurecheck.theory.structured.dm_fixed_feature_bound`.

    Examples
    --------
    >>> X = cube_points(4)
    >>> round(dm_feature_correlation(X[:, :2] * X[:, 2:3], 4, 2), 12)  # Psi = (chi_{0,2}, chi_{1,2})
    0.333333333333
    """
    n = check_int("n", n, 1, 22)
    k = check_int("k", k, 0, n)
    F = np.array(features, dtype=np.float64, copy=True)
    if F.ndim != 2 or F.shape[0] != 1 << n:
        raise ValueError(f"features must have shape (2^n, N) = ({1 << n}, N), got {F.shape}")
    h = 1
    while h < F.shape[0]:
        G = F.reshape(-1, 2, h, F.shape[1])
        a, b = G[:, 0].copy(), G[:, 1].copy()
        G[:, 0], G[:, 1] = a + b, a - b
        h *= 2
    F /= float(1 << n)
    pc = np.array([bin(i).count("1") for i in range(1 << n)])
    return float((F[pc == k] ** 2).sum() / math.comb(n, k))


# ---------------------------------------------------------------------------------------------------
# experiments: every method on the same training set, seeds, medians and intervals
# ---------------------------------------------------------------------------------------------------

METHODS = ("network", "random-features", "kernel", "linear")


def median_interval(accs: list[float], n_test: int, alpha: float) -> tuple[float, tuple[float, float]]:
    """Median over seeds and a ``1 - alpha`` interval for the median of the seeds' *population*
    test accuracies (given the trained predictors).

    Each seed's accuracy on ``n_test`` fresh points gets a two-sided Hoeffding interval at
    ``alpha / len(accs)``; with probability ``>= 1 - alpha`` all of them hold (union bound), and then
    the median of the true accuracies lies between the medians of the lower and of the upper ends
    (the median is monotone in each argument). Seed-to-seed variation is not an error here: the
    claim is about these seeds.

    Examples
    --------
    >>> med, (lo, hi) = median_interval([0.5, 0.6, 0.7], 10_000, 1e-3)
    >>> med, round(lo, 4), round(hi, 4)
    (0.6, 0.5791, 0.6209)
    """
    from featurecheck.numerics.estimators.intervals import interval_radius

    if not accs:
        raise ValueError("accs must be non-empty")
    r = interval_radius("hoeffding", n_test, 0.0, 0.0, 1.0, alpha / len(accs))
    med = float(np.median(accs))
    return med, (max(0.0, float(np.median([a - r for a in accs]))), min(1.0, float(np.median([a + r for a in accs]))))


@dataclass
class ExperimentResult:
    """``settings`` and one row per method (the CLI's JSON contract)."""

    settings: dict[str, Any]
    results: list[dict[str, Any]]

    def row(self, method: str) -> dict[str, Any]:
        for r in self.results:
            if r["method"] == method:
                return r
        raise KeyError(method)

    def to_json(self) -> dict[str, Any]:
        return {"settings": self.settings, "results": self.results}

    def table(self) -> str:
        """Plain-text table: method, per-seed accuracies, median and interval."""
        uni = "uniform_median" in self.results[0]
        lines = []
        head = f"{'method':<16} {'median':>7} {'interval':>17}  per-seed"
        if uni:
            head = f"{'method':<16} {'median':>7} {'interval':>17} {'uniform':>8} {'uniform interval':>17}  per-seed (uniform)"
        lines.append(head)
        for r in self.results:
            key = "uniform_accuracy" if uni else "test_accuracy"
            s = f"{r['method']:<16} {r['median']:7.4f} [{r['ci'][0]:.4f}, {r['ci'][1]:.4f}]"
            if uni:
                s += f" {r['uniform_median']:8.4f} [{r['uniform_ci'][0]:.4f}, {r['uniform_ci'][1]:.4f}]"
            s += "  " + ", ".join(f"{a:.4f}" for a in r[key])
            if "ceiling" in r:
                s += f"  (ceiling {r['ceiling']}"
                s += f", uniform {r['uniform_ceiling']})" if "uniform_ceiling" in r else ")"
            if "alignment_cosine_max" in r:
                s += f"  cos(w, sum_A M_j): max {np.median(r['alignment_cosine_max']):.3f}, top-|a| mean {np.median(r['alignment_cosine_top']):.3f}"
            lines.append(s)
        return "\n".join(lines)


def _fit_all(x: np.ndarray, y: np.ndarray, cfg: NetConfig, seed: int, kernel_cap: int,
             methods: tuple[str, ...]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    import time

    with single_thread_blas():
        for m in methods:
            t0 = time.perf_counter()
            if m == "network":
                out[m] = _train(x, y, cfg, seed, 0)
            elif m == "random-features":
                out[m] = fit_random_features(x, y, init_network(x.shape[1], cfg, seed), cfg.activation)
            elif m == "kernel":
                out[m] = fit_kernel(x, y, kernel_cap, seed)
            elif m == "linear":
                out[m] = fit_linear(x, y)
            else:
                raise ValueError(f"method must be one of {list(METHODS)}, got {m!r}")
            out[m + ":seconds"] = time.perf_counter() - t0
    return out


def _check_methods(methods: Any) -> tuple[str, ...]:
    methods = tuple(methods)
    for m in methods:
        if m not in METHODS:
            raise ValueError(f"method must be one of {list(METHODS)}, got {m!r}")
    return methods


def dm_default_config(n: int) -> NetConfig:
    """The network used by the Daniely–Malach experiment: ReLU, hinge loss, Adam (lr 1e-2),
    width 256, batch 128; steps 4000 for ``n <= 40`` and 10000 above."""
    return NetConfig(width=256, steps=4000 if n <= 40 else 10_000, batch=128, lr=1e-2,
                     optimizer="adam", activation="relu", loss="hinge")


def swl_default_config() -> NetConfig:
    """The network used by the Shi–Wei–Liang experiment: truncated ReLU ``min(1, max(z, 0))``,
    hinge loss (as in the paper), Adam (lr 3e-3), width 256, batch 128, 6000 steps. (With lr 1e-2
    and the same budget only one seed in three learned at d = 200, D = 100, k = 5; with lr 1e-2 it
    needed about 1e5 samples and 1.2e4 steps.)"""
    return NetConfig(width=256, steps=6000, batch=128, lr=3e-3, optimizer="adam",
                     activation="truncated-relu", loss="hinge")


def run_daniely_malach(n: int, k: int, *, seeds: int = 3, seed: int = 0, easy: bool = True,
                       q: float = 0.5, common: str = "plus", n_train: int | None = None,
                       n_test: int = 20_000, cfg: NetConfig | None = None, kernel_cap: int = 4000,
                       alpha: float = 1e-3, methods: Any = METHODS) -> ExperimentResult:
    """Network against fixed features on ``D_A`` (or, with ``easy=False``, the uniform k-parity).

    Every method is trained on the same ``n_train`` points of seed ``seed + i``; test accuracy is
    measured on ``n_test`` fresh points of the training distribution and on ``n_test`` fresh points
    of the uniform component.

    Parameters
    ----------
    n, k : int
    seeds : int
        Number of seeds (>= 1); medians over seeds are reported.
    easy : bool
        False sets ``q = 0`` (the control: plain uniform parity).
    n_train : int, optional
        Default 20000 for ``n <= 40``, else 100000.
    cfg : NetConfig, optional
        Default :func:`dm_default_config`.
    kernel_cap : int
        The NTK ridge regression uses the first ``kernel_cap`` training points (exact solve).
    alpha : float
        Level of the ``ci`` intervals (:func:`median_interval`).

    Examples
    --------
    >>> r = run_daniely_malach(8, 2, seeds=1, n_train=500, n_test=500, kernel_cap=200,
    ...                        cfg=NetConfig(width=16, steps=100, lr=1e-2))
    >>> r.row("linear")["ceiling_exact"], r.row("linear")["uniform_ceiling_exact"]
    ('7/8', '3/4')
    """
    n = check_int("n", n, 2, 4096)
    k = check_int("k", k, 1, n)
    seeds = check_int("seeds", seeds, 1, 1000)
    n_test = check_int("n_test", n_test, 2, 10**7)
    n_train = check_int("n_train", n_train if n_train is not None else (20_000 if n <= 40 else 100_000), 1, 10**7)
    cfg = cfg or dm_default_config(n)
    methods = _check_methods(methods)
    dm = DanielyMalach(n, k, q=q if easy else 0.0, common=common)
    acc: dict[str, list[float]] = {m: [] for m in methods}
    uacc: dict[str, list[float]] = {m: [] for m in methods}
    secs: dict[str, list[float]] = {m: [] for m in methods}
    for i in range(seeds):
        s = seed + i
        x, y, _ = dm.sample(n_train, rng_for(s, "data-train"))
        xt, yt, _ = dm.sample(n_test, rng_for(s, "data-test"))
        xu, yu, _ = dm.sample(n_test, rng_for(s, "data-uniform"), component="uniform")
        fits = _fit_all(x, y, cfg, s, kernel_cap, methods)
        for m in methods:
            with single_thread_blas():
                acc[m].append(accuracy(fits[m].predict(xt), yt))
                uacc[m].append(accuracy(fits[m].predict(xu), yu))
            secs[m].append(round(fits[m + ":seconds"], 3))
    rows = []
    for m in methods:
        med, ci = median_interval(acc[m], n_test, alpha)
        umed, uci = median_interval(uacc[m], n_test, alpha)
        row: dict[str, Any] = {"method": m, "test_accuracy": acc[m], "median": med, "ci": list(ci),
                               "uniform_accuracy": uacc[m], "uniform_median": umed, "uniform_ci": list(uci),
                               "train_seconds": secs[m]}
        if m == "linear":
            row["ceiling"] = float(dm.ceiling("mixture"))
            row["ceiling_exact"] = str(dm.ceiling("mixture"))
            row["uniform_ceiling"] = float(TS.uniform_parity_ceiling(k, ceiling_kind(k)))
            row["uniform_ceiling_exact"] = str(TS.uniform_parity_ceiling(k, ceiling_kind(k)))
            row["ceiling_kind"] = ceiling_kind(k)
            row["uniform_ceiling_of_mixture_fit"] = str(dm.ceiling("uniform"))
        rows.append(row)
    settings = {"experiment": "daniely-malach", "n": n, "k": k, "A": list(dm.A), "q": float(dm.q), "common": common,
                "easy": easy, "seeds": [seed + i for i in range(seeds)], "n_train": n_train, "n_test": n_test,
                "kernel": "relu-ntk (two-layer, bias 1), exact kernel ridge, relative ridge 1e-3",
                "kernel_cap": min(kernel_cap, n_train), "random_features": f"network init, width {cfg.width}, ridge 1e-3",
                "linear": "ridge on raw x, bias re-chosen for training accuracy",
                "network": _cfg_dict(cfg), "alpha": alpha,
                "interval": "per-seed Hoeffding at alpha/seeds, median of ends"}
    return ExperimentResult(settings, rows)


def _cfg_dict(cfg: NetConfig) -> dict[str, Any]:
    from dataclasses import asdict

    return asdict(cfg)


def alignment(net: Network, pm: PatternModel, top: int = 10) -> dict[str, float]:
    """Cosine similarity of first-layer weights with ``sum_{j in A} M_j``: maximum over neurons,
    and the mean over the ``top`` neurons with the largest ``|a_i| ||w_i||``; ``span_fraction`` is the
    ``|a_i| ||w_i||``-weighted mean of ``||P_{span M_A} w_i||^2 / ||w_i||^2``."""
    v = pm.relevant_direction()
    W = net.W.astype(np.float64)
    nw = np.linalg.norm(W, axis=1) + 1e-30
    cos = np.abs(W @ v) / nw
    imp = np.abs(net.a.astype(np.float64)) * nw
    order = np.argsort(-imp)[:top]
    MA = pm.M[:, list(pm.A)]
    span = ((W @ MA) ** 2).sum(axis=1) / nw**2
    v0 = np.abs(net.W0.astype(np.float64) @ v) / np.linalg.norm(net.W0, axis=1)
    return {"max": float(cos.max()), "top": float(cos[order].mean()),
            "span_fraction": float((imp * span).sum() / imp.sum()), "init_max": float(v0.max())}


def run_shi_wei_liang(d: int, D: int, k: int, *, seeds: int = 3, seed: int = 0, structure: bool = True,
                      p_o: float = 0.5, labels: str = "parity", n_train: int = 50_000, n_test: int = 20_000,
                      cfg: NetConfig | None = None, kernel_cap: int = 3000, alpha: float = 1e-3,
                      methods: Any = METHODS) -> ExperimentResult:
    """Network against fixed features on the Shi–Wei–Liang pattern model (seed ``s`` also draws the
    dictionary and ``A``). The network row reports the alignment of its first layer with
    ``sum_{j in A} M_j`` (:func:`alignment`).

    Examples
    --------
    >>> r = run_shi_wei_liang(12, 6, 3, seeds=1, n_train=400, n_test=400, kernel_cap=100,
    ...                       cfg=NetConfig(width=8, steps=50, activation="truncated-relu"))
    >>> r.row("linear")["ceiling_exact"]
    '7/8'
    """
    d = check_int("d", d, 1, 10_000)
    D = check_int("D", D, 1, d)
    k = check_int("k", k, 1, D)
    seeds = check_int("seeds", seeds, 1, 1000)
    n_train = check_int("n_train", n_train, 1, 10**7)
    n_test = check_int("n_test", n_test, 2, 10**7)
    cfg = cfg or swl_default_config()
    methods = _check_methods(methods)
    acc: dict[str, list[float]] = {m: [] for m in methods}
    secs: dict[str, list[float]] = {m: [] for m in methods}
    align: list[dict[str, float]] = []
    pm = None
    for i in range(seeds):
        s = seed + i
        pm = PatternModel(d, D, k, p_o=p_o, labels=labels, structure=structure, seed=s)
        x, y, _ = pm.sample(n_train, rng_for(s, "data-train"))
        xt, yt, _ = pm.sample(n_test, rng_for(s, "data-test"))
        fits = _fit_all(x, y, cfg, s, kernel_cap, methods)
        for m in methods:
            with single_thread_blas():
                acc[m].append(accuracy(fits[m].predict(xt), yt))
            secs[m].append(round(fits[m + ":seconds"], 3))
        if "network" in methods:
            align.append(alignment(fits["network"], pm))
    assert pm is not None
    rows = []
    for m in methods:
        med, ci = median_interval(acc[m], n_test, alpha)
        row: dict[str, Any] = {"method": m, "test_accuracy": acc[m], "median": med, "ci": list(ci),
                               "train_seconds": secs[m]}
        if m == "linear":
            row["ceiling"] = float(pm.ceiling())
            row["ceiling_exact"] = str(pm.ceiling())
            row["ceiling_kind"] = ceiling_kind(k)
        if m == "network":
            for key in ("max", "top", "span_fraction", "init_max"):
                row[f"alignment_cosine_{key}" if key in ("max", "top") else f"alignment_{key}"] = [a[key] for a in align]
        rows.append(row)
    rep = pm.assumptions()
    settings = {"experiment": "shi-wei-liang", "d": d, "D": D, "k": k, "p_o": p_o, "labels": labels,
                "structure": structure, "seeds": [seed + i for i in range(seeds)], "n_train": n_train,
                "n_test": n_test, "assumptions": {kk: (str(v) if isinstance(v, Fraction) else v) for kk, v in rep.items()},
                "kernel": "relu-ntk (two-layer, bias 1), exact kernel ridge, relative ridge 1e-3",
                "kernel_cap": min(kernel_cap, n_train),
                "random_features": f"network init, width {cfg.width}, {cfg.activation}, ridge 1e-3",
                "linear": "ridge on raw x, bias re-chosen for training accuracy",
                "network": _cfg_dict(cfg), "alpha": alpha,
                "interval": "per-seed Hoeffding at alpha/seeds, median of ends"}
    return ExperimentResult(settings, rows)


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
    X = cube_points(n).astype(np.int64)
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
    """A fixed embedding ``Psi: {-1,1}^n -> [-1,1]^N`` tabulated on the whole cube (rows in
    :func:`cube_points` order).

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
    X = cube_points(n)
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
