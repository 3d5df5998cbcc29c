"""Spiked covariance: kernel against a one-step network as the spike grows (Ba et al. 2023).

Model (Ba, Erdogdu, Suzuki, Wang, Wu 2023): ``x ~ N(0, I_d + theta mu mu^T)``, ``|mu| = 1``,
``theta = d^beta``, ``f*(x) = sigma*(<x, mu> / sqrt(1 + theta))`` (the argument is ``N(0, 1)``),
``n = psi d`` samples. Their results: kernel ridge regression learns ``f*`` iff
``beta >= 1 - 1/p`` (``p`` the degree of ``sigma*``); a two-layer network trained by gradient descent
learns it when ``beta > 1 - 1/k*`` (``k*`` the information exponent of ``sigma*``).

Here ``sigma* = (h_2 + h_3)/sqrt 2`` by default (``h_k = He_k / sqrt(k!)``; ``k* = 2``, ``p = 3``: thresholds
``1/2`` for the network and ``2/3`` for the kernel). The kernel is the arc-cosine kernel of
:mod:`featurecheck.numerics.experiments.multi_index`; the network is the same one-step procedure (symmetric init, one gradient
step on ``W`` with weight decay ``1/eta``, re-initialised biases, ridge on the second layer on a fresh
sample). At the sizes this machine affords (``d <= 256``) the thresholds are blurred by finite-size
effects; the sweep shows the trend, not a sharp transition.

References
----------
J. Ba, M. A. Erdogdu, T. Suzuki, Z. Wang, D. Wu (2023), "Learning in the presence of low-dimensional
structure: a spiked random matrix perspective", NeurIPS 2023, Thm 1-3 (thresholds above).

Examples
--------
>>> m = SpikedModel(d=32, beta=0.5, seed=0)
>>> X, y = m.sample(200, split=0)
>>> X.shape, y.shape
((200, 32), (200,))
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from featurecheck.numerics._kernels.rng import Purpose, generator
from featurecheck.numerics.experiments.baselines import arccos_kernel, first_layer_gradient, hermite_h
from featurecheck.theory._validate import check_int, check_real

__all__ = ["SpikedModel", "run_kernel", "run_network", "sweep_beta", "default_link"]


def default_link(z: np.ndarray) -> np.ndarray:
    """``(h_2 + h_3)/sqrt 2``: unit variance, information exponent 2, degree 3."""
    return (hermite_h(2, z) + hermite_h(3, z)) / math.sqrt(2)


@dataclass(frozen=True)
class SpikedModel:
    """``x ~ N(0, I + d^beta mu mu^T)``, ``y = link(<x, mu>/sqrt(1 + theta))``."""

    d: int
    beta: float
    seed: int = 0
    link: Callable[[np.ndarray], np.ndarray] = default_link

    def __post_init__(self) -> None:
        check_int("d", self.d, 2, 1 << 14)
        check_real("beta", self.beta, 0, 2, exact=False)

    @property
    def theta(self) -> float:
        return float(self.d) ** float(self.beta)

    @property
    def mu(self) -> np.ndarray:
        v = generator(self.seed, Purpose.SPIKED_DIRECTION, self.d).standard_normal(self.d)
        return v / np.linalg.norm(v)

    def sample(self, n: int, split: int) -> tuple[np.ndarray, np.ndarray]:
        """``n`` pairs ``(x, y)`` of sample split ``split`` (distinct splits are independent)."""
        rng = generator(self.seed, Purpose.SPIKED_SAMPLE, self.d, n, split, int(round(1000 * float(self.beta))))
        mu = self.mu
        s = rng.standard_normal(n)
        X = rng.standard_normal((n, self.d)) + math.sqrt(self.theta) * s[:, None] * mu[None, :]
        return X, self.link((X @ mu) / math.sqrt(1.0 + self.theta))


def _test_error(model: SpikedModel, predict: Callable[[np.ndarray], np.ndarray], n_test: int) -> float:
    Xt, yt = model.sample(n_test, split=9)
    return float(np.mean((predict(Xt) - yt) ** 2) / np.mean(yt**2))


def run_kernel(model: SpikedModel, n: int, ridge: float = 1e-3, n_test: int = 2000) -> float:
    """Relative test MSE of arc-cosine kernel ridge on ``n`` samples (inputs scaled by ``1/sqrt(1+theta/d)``)."""
    X, y = model.sample(n, split=1)
    K = arccos_kernel(X, X)
    alpha = np.linalg.solve(K + ridge * float(np.mean(np.diag(K))) * np.eye(n), y)
    return _test_error(model, lambda Z: arccos_kernel(Z, X) @ alpha, n_test)


def run_network(model: SpikedModel, n: int, m: int = 256, n_test: int = 2000) -> float:
    """Relative test MSE of the one-step network (``n`` samples per stage)."""
    d = model.d
    rng = generator(model.seed, Purpose.SPIKED_INIT, d, n)
    half = rng.standard_normal((m // 2, d)) / math.sqrt(d)
    W0 = np.vstack([half, half])
    a = np.concatenate([np.full(m // 2, 1.0 / m), np.full(m // 2, -1.0 / m)])
    X1, y1 = model.sample(n, split=2)
    W1 = -first_layer_gradient(W0, a, X1, y1)
    W1 /= float(np.mean(np.linalg.norm(W1, axis=1)))
    scale = 1.0 / math.sqrt(1.0 + model.theta / d)  # keep w.x of order 1 as the spike grows
    b = generator(model.seed, Purpose.SPIKED_BIAS, d, n).standard_normal(m)
    X2, y2 = model.sample(n, split=3)

    def feats(Z: np.ndarray) -> np.ndarray:
        return np.maximum(scale * Z @ W1.T + b, 0.0)

    F = feats(X2)
    k = int(0.8 * n)
    best, coef = math.inf, None
    for lam in (1e-6, 1e-4, 1e-2, 1.0):
        c = np.linalg.solve(F[:k].T @ F[:k] / k + lam * np.eye(m), F[:k].T @ y2[:k] / k)
        e = float(np.mean((F[k:] @ c - y2[k:]) ** 2))
        if e < best:
            best, lam_best = e, lam
    coef = np.linalg.solve(F.T @ F / n + lam_best * np.eye(m), F.T @ y2 / n)
    return _test_error(model, lambda Z: feats(Z) @ coef, n_test)


def sweep_beta(d: int, betas: Sequence[float], psi: float = 8.0, seeds: int = 3, m: int = 256,
               progress: Any = None) -> dict[str, Any]:
    """Median relative test error of kernel and network over ``seeds`` for each ``beta`` (``n = psi d``).

    Examples
    --------
    >>> out = sweep_beta(16, [0.0, 1.0], psi=4, seeds=1, m=32)
    >>> sorted(out)
    ['betas', 'd', 'kernel', 'n', 'network', 'thresholds']
    """
    d = check_int("d", d, 2, 4096)
    n = int(round(float(psi) * d))
    out: dict[str, Any] = {"d": d, "n": n, "betas": list(betas), "kernel": [], "network": [],
                           "thresholds": {"network (1 - 1/k*, k*=2)": 0.5, "kernel (1 - 1/p, p=3)": 2 / 3}}
    for beta in betas:
        ks, ns = [], []
        for s in range(seeds):
            model = SpikedModel(d, beta, seed=s)
            ks.append(run_kernel(model, n))
            ns.append(run_network(model, n, m))
        out["kernel"].append(float(np.median(ks)))
        out["network"].append(float(np.median(ns)))
        if progress:
            progress(beta, out["kernel"][-1], out["network"][-1])
    return out
