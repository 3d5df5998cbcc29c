"""Kernel of the decomposition experiment: rendering line segments on a pixel grid.

Used by :mod:`featurecheck.numerics.experiments.decomposition` (the image family is stated there). Serial,
no randomness: the angles, centres and noise come in from numpy generators of the RNG registry.
"""

from __future__ import annotations

import numpy as np

from featurecheck.numerics._kernels.jit import jit

__all__ = ["render_lines"]


@jit
def render_lines(theta: np.ndarray, cx: np.ndarray, cy: np.ndarray, grid: np.int64, half_length: np.float64,
                 width: np.float64, out: np.ndarray) -> None:
    """``out[i, v G + u] = max(0, 1 - dist(q, segment_i) / width)`` with ``q = (u + 1/2, v + 1/2)``.

    Segment ``i`` has centre ``(cx[i], cy[i])``, direction ``(cos theta[i], sin theta[i])`` and
    half-length ``half_length``; ``out`` has shape ``(n, grid * grid)``.

    Examples
    --------
    >>> out = np.zeros((1, 16))
    >>> render_lines(np.array([0.0]), np.array([2.0]), np.array([2.5]), np.int64(4), 1.0, 1.0, out)
    >>> out[0, 8:12].tolist()  # the row v = 2 (y = 2.5) holds the horizontal segment x in [1, 3]
    [0.5, 1.0, 1.0, 0.5]
    """
    n = theta.shape[0]
    for i in range(n):
        dx = np.cos(theta[i])
        dy = np.sin(theta[i])
        for v in range(grid):
            qy = v + 0.5 - cy[i]
            for u in range(grid):
                qx = u + 0.5 - cx[i]
                s = qx * dx + qy * dy
                if s > half_length:
                    s = half_length
                elif s < -half_length:
                    s = -half_length
                ex = qx - s * dx
                ey = qy - s * dy
                val = 1.0 - np.sqrt(ex * ex + ey * ey) / width
                out[i, v * grid + u] = val if val > 0.0 else 0.0
