"""Helpers the Gaussian-input experiments share.

They are the Hermite features, the one-step first-layer gradient, the arc-cosine kernel baseline, and
the fitted scaling exponent.

References
----------
A. Damian, J. D. Lee, M. Soltanolkotabi (2022), "Neural Networks can Learn Representations with
Gradient Descent", COLT 2022, arXiv 2206.15144, Algorithm 1 (the first-layer step).
Y. Cho, L. Saul (2009), "Kernel methods for deep learning", NeurIPS (the degree-1 arc-cosine kernel).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

__all__ = ["hermite_h", "first_layer_gradient", "arccos_kernel", "fit_exponent"]


def hermite_h(k: int, z: np.ndarray) -> np.ndarray:
    """Evaluate the normalised Hermite polynomial ``h_k = He_k / sqrt(k!)`` at ``z`` (three-term recurrence).

    Examples
    --------
    >>> hermite_h(2, np.array([0.0, 1.0])) * np.sqrt(2)  # He_2 = z^2 - 1
    array([-1.,  0.])
    """
    a, b = np.ones_like(z), z
    if k == 0:
        return a
    for i in range(1, k):
        a, b = b, z * b - i * a
    return b / math.sqrt(math.factorial(k))


def first_layer_gradient(W: np.ndarray, a: np.ndarray, X: np.ndarray, y: np.ndarray) -> np.ndarray:
    """``grad_W`` of ``(1/2n) sum_i (f(x_i) - y_i)^2`` for ``f = sum_j a_j relu(w_j . x)`` (ReLU'(0) = 0).

    Examples
    --------
    >>> W = np.array([[1.0, 0.0], [1.0, 0.0]]); a = np.array([0.5, -0.5])
    >>> first_layer_gradient(W, a, np.array([[1.0, 2.0]]), np.array([1.0]))  # f = 0 at symmetric init
    array([[-0.5, -1. ],
           [ 0.5,  1. ]])
    """
    Z = X @ W.T
    resid = np.maximum(Z, 0.0) @ a - y
    S = (Z > 0.0).astype(np.float64)
    return (a[:, None] * (S.T @ (resid[:, None] * X))) / X.shape[0]


def arccos_kernel(X: np.ndarray, Y: np.ndarray) -> np.ndarray:
    """``E_{w ~ N(0, I/d), b ~ N(0,1)}[relu(w.x + b) relu(w.y + b)]`` in closed form (Cho & Saul 2009).

    Examples
    --------
    >>> X = np.array([[1.0, 0.0, 2.0, -1.0], [0.5, 0.5, 0.0, 3.0], [0.0, -2.0, 1.0, 1.0]])
    >>> K = arccos_kernel(X, X)
    >>> bool(np.allclose(np.diag(K), (np.sum(X**2, 1) / 4 + 1) / 2))
    True
    """
    d = X.shape[1]
    nx = np.sqrt(np.sum(X * X, 1) / d + 1.0)
    ny = np.sqrt(np.sum(Y * Y, 1) / d + 1.0)
    dot = X @ Y.T / d + 1.0
    c = np.clip(dot / np.outer(nx, ny), -1.0, 1.0)
    t = np.arccos(c)
    return np.outer(nx, ny) * (np.sin(t) + (np.pi - t) * c) / (2 * np.pi)


def fit_exponent(ds: Sequence[int], ns: Sequence[float | None]) -> float | None:
    """Least-squares slope of ``log n`` against ``log d`` over the reached points (None if < 2)."""
    pts = [(math.log(d), math.log(n)) for d, n in zip(ds, ns, strict=True) if n is not None]
    if len(pts) < 2:
        return None
    x = np.array([p[0] for p in pts])
    y = np.array([p[1] for p in pts])
    return float(np.polyfit(x, y, 1)[0])
