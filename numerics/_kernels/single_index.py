"""Private numba kernels: spherical online SGD on a Gaussian single-index target.

One run (:func:`run_one`, serial) keeps ``w`` on the unit sphere of ``R^d`` and consumes one fresh
sample ``(x_t, y_t = sigma(w* . x_t))``, ``x_t ~ N(0, I_d)``, per step (Ben Arous, Gheissari,
Jagannath 2021, JMLR 22, Sec. 1.1 and eq. (1.3)):

    u_t = w_t . x_t,  g_t = -r_t sigma'(u_t) x_t,
    w_{t+1} = (w_t - eta (g_t - (g_t . w_t) w_t)) / || ... ||,

with ``r_t = y_t`` (correlation loss ``-y sigma(w.x)``) or ``r_t = y_t - sigma(u_t)`` (square loss
``(y - sigma(w.x))^2 / 2``): the spherical gradient step followed by the retraction
``w -> w / ||w||``. Smoothed arm (Damian, Nichani, Ge, Lee 2023; correlation loss, polynomial
links): ``sigma'(u_t)`` is replaced by ``h(u_t, r_t)``, ``r_t = ||x_t||^2 - u_t^2``, a bivariate
polynomial given by its coefficient matrix ``hmat[a, b]`` (of ``u^a r^b``; built and derived in
:func:`featurecheck.numerics.experiments.single_index.smoothing_polynomial`); an empty ``hmat`` means
no smoothing. The run stops at the first ``t`` with ``|w_t . w*| >= threshold`` (returns ``t``, the
number of samples used) or returns ``-1`` after ``max_steps`` samples (censored).

Randomness: sample ``t`` uses the Box-Muller pairs ``t P .. t P + P - 1`` (``P = ceil(d / 2)``) of the
counter-based stream ``chunk_key(data_key, 0)`` (:func:`featurecheck.numerics._kernels.gaussian.fill_normals`). Counters stay below ``2^63`` because
the wrapper caps ``max_steps * P`` (int64-safe). :func:`run_seeds` runs independent seeds in
``prange``: each seed's run is the serial code on its own streams and writes its own outputs, so the
results are bit-identical at any thread count (tested against :func:`run_one` and ``.py_func``).
"""

from __future__ import annotations

import math

import numpy as np
from numba import prange

from featurecheck.numerics._kernels.gaussian import ABS, POLY, RELU, TANH, fill_normals, link_value
from featurecheck.numerics._kernels.jit import jit, pjit
from featurecheck.numerics._kernels.rng import chunk_key

__all__ = ["ABS", "CORRELATION", "POLY", "RELU", "SQUARE", "TANH", "link_derivative", "run_one", "run_seeds",
           "smoothed_derivative"]  # the link codes are those of gaussian.link_value

CORRELATION, SQUARE = 0, 1  # loss codes


@jit
def link_derivative(code: np.int64, z: float, dpoly: np.ndarray) -> float:
    """``sigma'(z)``: relu ``1[z > 0]``, abs ``sign(z)``, tanh ``1 - tanh^2``, polynomial (Horner)."""
    if code == RELU:
        return 1.0 if z > 0.0 else 0.0
    if code == ABS:
        return 1.0 if z > 0.0 else (-1.0 if z < 0.0 else 0.0)
    if code == TANH:
        t = math.tanh(z)
        return 1.0 - t * t
    acc = 0.0
    for j in range(dpoly.shape[0] - 1, -1, -1):
        acc = acc * z + dpoly[j]
    return acc


@jit
def smoothed_derivative(u: float, r: float, hmat: np.ndarray) -> float:
    """``sum_{a,b} hmat[a, b] u^a r^b`` (Horner in both variables)."""
    acc = 0.0
    for a in range(hmat.shape[0] - 1, -1, -1):
        row = 0.0
        for b in range(hmat.shape[1] - 1, -1, -1):
            row = row * r + hmat[a, b]
        acc = acc * u + row
    return acc


@jit
def run_one(wstar: np.ndarray, w: np.ndarray, data_key: np.uint64, code: np.int64,
            poly: np.ndarray, dpoly: np.ndarray, hmat: np.ndarray, loss: np.int64, eta: float, threshold: float,
            max_steps: np.int64, trace_every: np.int64, trace: np.ndarray) -> int:
    """One run from ``w`` (unit norm, updated in place); samples to ``|w . w*| >= threshold`` or -1.

    ``trace[i]`` receives ``|w_t . w*|`` at ``t = i * trace_every`` while ``i < trace.shape[0]``
    (``trace_every = 0``: no trace).
    """
    d = w.shape[0]
    kx = np.uint64(chunk_key(data_key, np.uint64(0)))  # np.uint64: a Python int under .py_func
    x = np.empty(d)
    m = 0.0
    for i in range(d):
        m += w[i] * wstar[i]
    for t in range(max_steps + 1):
        am = abs(m)
        if trace_every > 0 and t % trace_every == 0 and t // trace_every < trace.shape[0]:
            trace[t // trace_every] = am
        if am >= threshold:
            return t
        if t == max_steps:
            break
        fill_normals(kx, t, d, x)
        u = 0.0
        a = 0.0
        xx = 0.0
        for i in range(d):
            u += w[i] * x[i]
            a += wstar[i] * x[i]
            xx += x[i] * x[i]
        y = link_value(code, a, poly)
        r = y if loss == CORRELATION else y - link_value(code, u, poly)
        # minus the gradient, -g = r sigma'(u) x; its tangent part at w is r sigma'(u) (x - u w)
        if hmat.shape[0] > 0:
            c = eta * r * smoothed_derivative(u, xx - u * u, hmat)
        else:
            c = eta * r * link_derivative(code, u, dpoly)
        nn = 0.0
        for i in range(d):
            w[i] += c * (x[i] - u * w[i])
            nn += w[i] * w[i]
        inv = 1.0 / math.sqrt(nn)
        m = 0.0
        for i in range(d):
            w[i] *= inv
            m += w[i] * wstar[i]
    return -1


@pjit
def run_seeds(wstars: np.ndarray, ws: np.ndarray, data_keys: np.ndarray, code: np.int64,
              poly: np.ndarray, dpoly: np.ndarray, hmat: np.ndarray, loss: np.int64, eta: float, threshold: float,
              max_steps: np.int64, out: np.ndarray) -> None:
    """``out[s] = run_one(...)`` for independent seeds ``s`` (rows of ``wstars``, ``ws``; ``ws`` updated)."""
    empty = np.empty(0)
    for s in prange(ws.shape[0]):
        out[s] = run_one(wstars[s], ws[s], data_keys[s], code, poly, dpoly, hmat, loss, eta, threshold, max_steps,
                         0, empty)
