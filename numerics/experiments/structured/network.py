"""The two-layer network of the structured-input experiments, its gradients and its training loop.

``f(x) = sum_i a_i sigma(<w_i, x> + b_i)`` (``sigma`` = ReLU or the truncated ReLU ``min(1, max(z, 0))``;
hinge or logistic loss), trained by minibatch SGD or Adam over a fixed training set in float32.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from featurecheck.numerics.experiments.structured.data import rng_for
from featurecheck.theory._validate import check_int, check_real

__all__ = [
    "ACTIVATIONS",
    "LOSSES",
    "OPTIMIZERS",
    "NetConfig",
    "Network",
    "init_network",
    "single_thread_blas",
    "loss_and_grads",
    "train_network",
    "accuracy",
]


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
        """Return the output ``f(x)`` (float32) of each row of ``x``, ``chunk`` rows at a time."""
        out = np.empty(len(x), dtype=np.float32)
        for s in range(0, len(x), chunk):
            out[s:s + chunk] = _act(x[s:s + chunk] @ self.W.T + self.b, self.activation) @ self.a
        return out

    def predict(self, x: np.ndarray) -> np.ndarray:
        """Return the ±1 labels (float32): ``+1`` where :meth:`decision` is ``>= 0``."""
        return np.where(self.decision(x) >= 0, 1.0, -1.0).astype(np.float32)


def init_network(d: int, cfg: NetConfig, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Draw the initial ``(W, b, a)`` (float32) for input dimension ``d``."""
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
    """Mean loss of ``f(x) = sum_i a_i sigma(<w_i, x> + b_i)`` on a batch and its gradient ``(dW, db, da)``.

    Hinge: ``max(0, 1 - y f)`` with subgradient 0 at the kink; logistic:
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
