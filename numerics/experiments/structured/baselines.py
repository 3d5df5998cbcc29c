"""Fixed-feature baselines trained on the network's training set.

They are random features at the network's initialisation, the two-layer ReLU NTK (exact kernel ridge
regression) and a linear threshold on the raw input.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from featurecheck.numerics.experiments.structured.network import Network, _act
from featurecheck.theory._validate import check_int

__all__ = ["LinearReadout", "fit_random_features", "fit_linear", "relu_ntk", "KernelModel", "fit_kernel"]


@dataclass
class LinearReadout:
    """``sign(<v, phi(x)> + c)`` on a fixed feature map."""

    v: np.ndarray
    c: float
    features: Any

    def decision(self, x: np.ndarray) -> np.ndarray:
        """Return the real-valued score ``<v, phi(x)> + c`` of each row of ``x``."""
        return self.features(x) @ self.v + np.float32(self.c)

    def predict(self, x: np.ndarray) -> np.ndarray:
        """Return the ±1 labels (float32): ``+1`` where :meth:`decision` is ``>= 0``."""
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
    >>> from featurecheck.numerics.experiments.structured.network import accuracy
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
    """NTK of a two-layer ReLU network ``sum_i a_i relu(<w_i, x> + b_i)``, both layers trained (Jacot et al. 2018).

    The weights ``w, b`` are standard Gaussian on the augmented input ``(x/sqrt(d), bias)``:
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
    nn = np.multiply.outer(nu, nv)
    # K = <u,v> kappa_0 + |u||v| kappa_1 = (2 <u,v> (pi - t) + |u||v| sin t) / (2 pi), using
    # |u||v| cos t = <u,v> and sin t = sqrt(1 - cos^2 t) on [0, pi]; in place (no sin, few temporaries)
    c = np.divide(dot, nn)
    np.clip(c, -1.0, 1.0, out=c)
    sn = np.multiply(c, c)
    np.subtract(1.0, sn, out=sn)
    np.sqrt(sn, out=sn)
    sn *= nn
    np.arccos(c, out=c)
    np.subtract(np.pi, c, out=c)
    c *= dot
    c *= 2.0
    c += sn
    c *= 1.0 / (2 * np.pi)
    return c


@dataclass
class KernelModel:
    """Kernel ridge predictor ``sign(sum_i alpha_i K(x, Xs_i) + c)``, ``K`` = :func:`relu_ntk` (:func:`fit_kernel`)."""

    Xs: np.ndarray
    alpha: np.ndarray
    c: float

    def decision(self, x: np.ndarray, chunk: int = 4096) -> np.ndarray:
        """Return the real-valued score ``K(x, Xs) alpha + c`` of each row of ``x`` (``chunk`` rows at a time)."""
        out = np.empty(len(x))
        for s in range(0, len(x), chunk):
            out[s:s + chunk] = relu_ntk(x[s:s + chunk], self.Xs) @ self.alpha
        return out + self.c

    def predict(self, x: np.ndarray) -> np.ndarray:
        """Return the ±1 labels (float32): ``+1`` where :meth:`decision` is ``>= 0``."""
        return np.where(self.decision(x) >= 0, 1.0, -1.0).astype(np.float32)


def fit_kernel(x: np.ndarray, y: np.ndarray, cap: int, seed: int, ridge: float = 1e-3) -> KernelModel:
    """Exact kernel ridge regression with :func:`relu_ntk` on the first ``min(cap, N)`` training points.

    The training set is already i.i.d., so a prefix is a uniform subsample. The ridge is relative,
    ``ridge * trace(K)/n``, and the intercept is the mean label.
    """
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
