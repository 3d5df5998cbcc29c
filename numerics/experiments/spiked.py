"""Spiked covariance: kernel against a one-step network as the spike grows (Ba et al. 2023).

Model (Ba, Erdogdu, Suzuki, Wang, Wu 2023): ``x ~ N(0, I_d + theta mu mu^T)``, ``|mu| = 1``,
``theta = d^beta``, ``f*(x) = sigma*(<x, mu> / sqrt(1 + theta))`` (the argument is ``N(0, 1)``),
``n = psi d`` samples. Their results: kernel ridge regression learns ``f*`` iff
``beta >= 1 - 1/p`` (``p`` the degree of ``sigma*``); a two-layer network trained by gradient descent
learns it when ``beta > 1 - 1/k*`` (``k*`` the information exponent of ``sigma*``).

Here ``sigma* = (h_2 + h_3)/sqrt 2`` by default (``h_k = He_k / sqrt(k!)``; ``k* = 2``, ``p = 3``: thresholds
``1/2`` for the network and ``2/3`` for the kernel); :func:`hermite_link` gives the link of any degree
``p`` and information exponent ``k* <= p``. The kernel is the arc-cosine kernel of
:mod:`featurecheck.numerics.experiments.multi_index`; the network is the same one-step procedure (symmetric init, one gradient
step on ``W`` with weight decay ``1/eta``, re-initialised biases, ridge on the second layer on a fresh
sample). At the sizes this machine affords (``d <= 256``) the thresholds are blurred by finite-size
effects; the sweep shows the trend, not a sharp transition.

Crossover estimator (:func:`crossover`): for one seed, the relative test errors ``e_0, e_1, ...`` on an
increasing grid ``beta_0 < beta_1 < ...``; ``i`` is the first index with ``e_i <= level``. The crossover
is ``beta_0`` if ``i = 0`` (learned already at the grid's start: a left-censored value), the linear
interpolation of the level crossing between ``(beta_{i-1}, e_{i-1})`` and ``(beta_i, e_i)`` otherwise,
and ``+inf`` if no ``e_i <= level``. The gap is ``kernel - network`` (:func:`gap`; ``0`` if neither
reaches the level). The estimator needs the errors only up to the first crossing
(:func:`seed_crossover` stops there). :func:`sweep` runs whole curves over seeds through
:func:`featurecheck.numerics.experiments.execute.run_tasks`.

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

import functools
import math
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from featurecheck.numerics._kernels.rng import Purpose, generator
from featurecheck.numerics.experiments.baselines import arccos_kernel, first_layer_gradient, hermite_h
from featurecheck.theory._validate import check_int, check_real

__all__ = ["SpikedModel", "run_kernel", "run_network", "sweep_beta", "default_link", "hermite_link", "thresholds",
           "crossover", "gap", "seed_error", "seed_crossover", "curve_task", "sweep", "METHODS", "MAX_DEGREE"]

#: The two learners: kernel ridge (:func:`run_kernel`) and the one-step network (:func:`run_network`).
METHODS = ("kernel", "network")
#: Largest link degree ``p`` accepted.
MAX_DEGREE = 8


def default_link(z: np.ndarray) -> np.ndarray:
    """``(h_2 + h_3)/sqrt 2``: unit variance, information exponent 2, degree 3."""
    return (hermite_h(2, z) + hermite_h(3, z)) / math.sqrt(2)


def hermite_link(kstar: int, p: int) -> Callable[[np.ndarray], np.ndarray]:
    """Return the link ``(h_{k*} + h_p)/sqrt 2`` (``k* < p``) or ``h_p`` (``k* = p``).

    It has unit variance, degree ``p`` and information exponent ``k*`` (``h_k = He_k/sqrt(k!)`` orthonormal
    under ``N(0, 1)``).

    Parameters
    ----------
    kstar : int
        Information exponent, ``1 <= kstar <= p``.
    p : int
        Degree, ``1 <= p <=`` :data:`MAX_DEGREE`.

    Examples
    --------
    >>> z = np.array([0.0, 1.0, 2.0])
    >>> bool(np.allclose(hermite_link(2, 3)(z), default_link(z)))
    True
    >>> hermite_link(3, 2)
    Traceback (most recent call last):
    ...
    ValueError: kstar must be an integer in [1, 2], got 3
    """
    p = check_int("p", p, 1, MAX_DEGREE)
    kstar = check_int("kstar", kstar, 1, p)
    if kstar == p:
        return functools.partial(hermite_h, p)
    return functools.partial(_two_term, kstar, p)


def _two_term(k: int, p: int, z: np.ndarray) -> np.ndarray:
    return (hermite_h(k, z) + hermite_h(p, z)) / math.sqrt(2)


def thresholds(kstar: int, p: int) -> dict[str, Fraction]:
    """Ba et al.'s thresholds on ``beta``, exact: network ``1 - 1/k*`` (learns above), kernel ``1 - 1/p`` (iff at or above).

    Examples
    --------
    >>> thresholds(1, 3)
    {'network': Fraction(0, 1), 'kernel': Fraction(2, 3)}
    """
    p = check_int("p", p, 1, MAX_DEGREE)
    kstar = check_int("kstar", kstar, 1, p)
    return {"network": 1 - Fraction(1, kstar), "kernel": 1 - Fraction(1, p)}


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
        """Spike strength ``d^beta``."""
        return float(self.d) ** float(self.beta)

    @property
    def mu(self) -> np.ndarray:
        """Unit spike direction, uniformly random from ``(seed, d)``."""
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
               progress: Any = None, kstar: int = 2, p: int = 3) -> dict[str, Any]:
    """Median relative test error of kernel and network over ``seeds`` for each ``beta`` (``n = psi d``).

    Examples
    --------
    >>> out = sweep_beta(16, [0.0, 1.0], psi=4, seeds=1, m=32)
    >>> sorted(out)
    ['betas', 'd', 'kernel', 'n', 'network', 'thresholds']
    """
    d = check_int("d", d, 2, 4096)
    link = hermite_link(kstar, p)
    th = thresholds(kstar, p)
    n = int(round(float(psi) * d))
    out: dict[str, Any] = {"d": d, "n": n, "betas": list(betas), "kernel": [], "network": [],
                           "thresholds": {f"network (1 - 1/k*, k*={kstar})": float(th["network"]),
                                          f"kernel (1 - 1/p, p={p})": float(th["kernel"])}}
    for beta in betas:
        ks, ns = [], []
        for s in range(seeds):
            model = SpikedModel(d, beta, seed=s, link=link)
            ks.append(run_kernel(model, n))
            ns.append(run_network(model, n, m))
        out["kernel"].append(float(np.median(ks)))
        out["network"].append(float(np.median(ns)))
        if progress:
            progress(beta, out["kernel"][-1], out["network"][-1])
    return out


def crossover(betas: Sequence[float], errors: Sequence[float], level: float) -> float:
    """Where one seed's error curve first reaches ``level`` (module docstring: the crossover estimator).

    ``beta_0`` if ``errors[0] <= level``; ``+inf`` if no error is ``<= level``; otherwise the linear
    interpolation of the crossing between the last grid point above ``level`` and the first at or below it.
    ``errors`` may be shorter than ``betas`` (a curve stopped at its first crossing).

    Examples
    --------
    >>> crossover([0.0, 0.5, 1.0], [0.9, 0.5, 0.1], 0.3)
    0.75
    >>> crossover([0.0, 0.1], [0.2, 0.1], 0.3), crossover([0.0, 0.1], [0.9, 0.8], 0.3)
    (0.0, inf)
    """
    b = [float(v) for v in betas]
    e = [float(v) for v in errors]
    level = float(level)
    for i, ei in enumerate(e):
        if ei <= level:
            if i == 0:
                return b[0]
            return b[i - 1] + (b[i] - b[i - 1]) * (e[i - 1] - level) / (e[i - 1] - ei)
    return math.inf


def gap(kernel: float, network: float) -> float:
    """Return the crossover gap ``kernel - network``; ``0`` when neither learner reaches the level (no ordering seen).

    Examples
    --------
    >>> gap(0.6, 0.0), gap(math.inf, 0.3), gap(math.inf, math.inf)
    (0.6, inf, 0.0)
    """
    if math.isinf(kernel) and math.isinf(network):
        return 0.0
    return float(kernel) - float(network)


@functools.lru_cache(maxsize=1 << 14)
def seed_error(method: str, d: int, kstar: int, p: int, beta: float, seed: int, psi: float = 8.0,
               m: int = 256, n_test: int = 2000) -> float:
    """Relative test error of ``method`` (``"kernel"`` or ``"network"``) at one ``(beta, seed)``, ``n = psi d``.

    A pure function of its arguments (memoised); the seed fixes the spike direction, the samples, the
    initialisation and the biases (:class:`SpikedModel`, :func:`run_network`).

    Examples
    --------
    >>> seed_error("kernel", 16, 1, 3, 1.0, 0, psi=4) == seed_error("kernel", 16, 1, 3, 1.0, 0, psi=4)
    True
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {list(METHODS)}, got {method!r}")
    model = SpikedModel(d, beta, seed=seed, link=hermite_link(kstar, p))
    n = int(round(float(psi) * d))
    return run_kernel(model, n, n_test=n_test) if method == "kernel" else run_network(model, n, m, n_test=n_test)


def seed_crossover(method: str, d: int, kstar: int, p: int, seed: int, betas: Sequence[float], level: float,
                   psi: float = 8.0, m: int = 256, n_test: int = 2000) -> tuple[float, list[float]]:
    """``(crossover, errors)`` of one seed; the errors are computed along ``betas`` up to the first ``<= level``.

    Examples
    --------
    >>> c, errs = seed_crossover("kernel", 16, 1, 3, 0, [0.0, 1.0], 2.0, psi=4)
    >>> c, len(errs)
    (0.0, 1)
    """
    errs: list[float] = []
    for beta in betas:
        errs.append(seed_error(method, d, kstar, p, round(float(beta), 9), seed, psi, m, n_test))
        if errs[-1] <= level:
            break
    return crossover(betas, errs, level), errs


def _check_grid(betas: Sequence[float]) -> list[float]:
    bs = [float(check_real("beta", b, 0, 2)) for b in betas]
    if not bs or any(b1 <= b0 for b0, b1 in zip(bs, bs[1:], strict=False)):
        raise ValueError(f"beta must be a non-empty increasing grid in [0, 2], got {list(betas)}")
    return bs


def curve_task(settings: Mapping[str, Any], seed: int) -> dict[str, Any]:
    """One seed's error curves and crossovers (a :func:`~featurecheck.numerics.experiments.execute.run_tasks` task).

    ``settings``: ``d``, ``kstar``, ``p``, ``betas`` (increasing), ``level``, ``psi``, ``width``, ``n_test``.

    Examples
    --------
    >>> r = curve_task({"d": 16, "kstar": 1, "p": 3, "betas": [0.0, 1.0], "level": 0.3, "psi": 4, "width": 32}, 0)
    >>> sorted(r)
    ['crossover', 'errors', 'seconds', 'seed']
    """
    t0 = time.perf_counter()
    s = settings
    out: dict[str, Any] = {"seed": int(seed), "errors": {}, "crossover": {}}
    for method in METHODS:
        errs = [seed_error(method, int(s["d"]), int(s["kstar"]), int(s["p"]), round(float(b), 9), int(seed),
                           float(s["psi"]), int(s["width"]), int(s.get("n_test", 2000))) for b in s["betas"]]
        out["errors"][method] = errs
        c = crossover(s["betas"], errs, float(s["level"]))
        out["crossover"][method] = None if math.isinf(c) else c  # JSON: None = never reached
    out["seconds"] = time.perf_counter() - t0
    return out


def sweep(d: int, betas: Sequence[float], kstar: int, p: int, seeds: int, *, seed: int = 0, level: float = 0.25,
          psi: float = 8.0, width: int = 256, n_test: int = 2000, workers: int | None = None, scheduler: str | None = None,
          store: str | None = None, progress: bool = False) -> dict[str, Any]:
    """Error curves and crossovers of seeds ``seed..seed+seeds-1`` (one task per seed, via ``run_tasks``).

    Returns ``{"settings": {...}, "runs": [curve_task results, in seed order]}``.

    Examples
    --------
    >>> out = sweep(16, [0.0, 1.0], 1, 3, 2, psi=4, width=32)
    >>> [r["seed"] for r in out["runs"]]
    [0, 1]
    """
    from featurecheck.numerics.experiments.execute import run_tasks

    settings: dict[str, Any] = {
        "d": check_int("d", d, 4, 4096), "kstar": check_int("kstar", kstar, 1, MAX_DEGREE),
        "p": check_int("p", p, 1, MAX_DEGREE), "betas": _check_grid(betas),
        "level": float(check_real("level", level, 0, 10)), "psi": float(check_real("psi", psi, 0.5, 1000)),
        "width": check_int("width", width, 2, 1 << 14), "n_test": check_int("n_test", n_test, 10, 1 << 20)}
    thresholds(settings["kstar"], settings["p"])  # validates p >= kstar >= 1
    if settings["width"] % 2:
        raise ValueError(f"width must be even (symmetric initialisation), got {settings['width']}")
    seeds = check_int("seeds", seeds, 1, 100_000)
    seed = check_int("seed", seed, 0, 2**63 - 1)
    runs = run_tasks(curve_task, "spiked", [(settings, s) for s in range(seed, seed + seeds)], workers=workers,
                     scheduler=scheduler, store=store, progress=progress)
    return {"settings": settings, "runs": runs}
