"""Online SGD on Gaussian single-index targets: samples to weak recovery against d (theory reference, section 6).

The experiment
--------------
Target ``y = sigma(w* . x)``, ``x ~ N(0, I_d)``, ``w*`` uniform on the unit sphere. Spherical online
SGD (Ben Arous, Gheissari, Jagannath 2021, JMLR 22, "BGJ"): ``w`` stays on the unit sphere, each step
uses one fresh sample, the spherical gradient of the per-sample loss (correlation ``-y sigma(w.x)`` by
default, or square ``(y - sigma(w.x))^2 / 2``), then the retraction ``w -> w / ||w||``
(:mod:`featurecheck.numerics._kernels.single_index`). The outcome of one run is the number of samples
``T`` until the overlap ``|w_t . w*| >= 1/2`` (the absolute value: for even links ``w`` and ``-w``
are equally good, and the dynamics is exactly equivariant under ``w -> -w``), or ``None`` (censored)
if that has not happened after ``max_samples`` samples.

Start: ``w_0`` uniform on the hemisphere ``{w . w* >= 0}`` (a uniform point, negated if needed), so
``w_0 . w* ~ d^{-1/2}`` with the sign of the signal, as in BGJ's theorems (a uniform start lies there
with probability 1/2; from the other hemisphere an odd link with ``k* >= 3`` has a drift ``m^{k*-1}``
that vanishes at the equator, and the run waits for noise to cross it).

Step size (stated schedule)
---------------------------
``eta = c (a / C) d^{-max(1, k*/2)}`` with ``a = k* k*! c_{k*}^2`` (the population correlation
``E[y sigma(w.x)] = sum_j j! c_j^2 m^j`` has slope ``a m^{k*-1}`` at small overlap ``m``), ``C =
E[sigma(z)^2] E[sigma'(z)^2]`` (the per-sample gradient's squared norm is about ``C d`` at ``m = 0``)
and the dimensionless constant ``c`` (default 1). In BGJ's form ``delta_N / N`` this is
``delta_N ~ N^{-(k*-2)/2}`` for ``k* >= 3`` and ``delta_N`` of order one for ``k* <= 2``, the scaling of
the step in their Thm. 1.3 as we read it (their constants and log factors are not transcribed; the
heuristic below derives the scaling). Heuristic behind it: the retraction shrinks ``m`` by ``eta^2 C d m / 2`` per step
while the drift adds ``eta a m^{k*-1}``; at ``m ~ d^{-1/2}`` the drift wins iff
``eta < 2 a m^{k*-2} / (C d)``, i.e. ``eta ~ d^{-k*/2}`` for ``k* >= 3``, and the escape then takes
``~ 1 / (eta a m^{k*-2})`` = ``d^{k*-1}`` steps (``d log d`` for ``k* = 2``, growth rate ``eta a``
from ``m_0 ~ d^{-1/2}``; ``d`` for ``k* = 1``).

Predicted exponents of ``T ~ d^e`` (BGJ Thm. 1.3): ``e = 1`` (``k* = 1``), the least-squares slope of
``log(d log d)`` on ``log d`` over the ``d`` used (``k* = 2``; about 1.29 over d = 16..64), and
``e = k* - 1`` (``k* >= 3``). All up to logarithms and finite-d corrections (the start overlap
``d^{-1/2}`` is 0.25 at ``d = 16``, not small against 1/2).

Smoothed arm
------------
``smoothing = L > 0``: the correlation loss averaged over ``v = (w + lambda z) / sqrt(1 + lambda^2)``,
``z`` uniform on the unit sphere of ``w^perp``, ``lambda = L d^{1/4}`` (Damian, Nichani, Ge, Lee 2023,
Sec. 3); its per-sample spherical gradient is exact for polynomial links
(:func:`smoothing_polynomial`). Stated step: ``eta = c (a / C) d^{-max(1, k*/2)} (1 + lambda^2)^{k*-1}``
(the same drift-against-retraction balance as the plain step: the smoothed per-sample gradient is
about ``(1 + lambda^2)^{-k*/2}`` times the plain one, and the balance binds at the overlap
``m ~ lambda d^{-1/2}``, which gives the factor; a stated choice, not Damian et al.'s constants).
Predicted exponent ``max(1, k*/2)``, up to logarithms.

Statistics
----------
Per ``d``: the median of ``T`` over seeds with its distribution-free order-statistic interval
(:func:`featurecheck.numerics.estimators.seeds.median_interval`; censored runs count as ``+inf``,
never dropped: if half or more are censored the median is infinite and the fit is undefined). The
exponent: least squares of ``log median T`` on ``log d``, with the percentile bootstrap over seeds
within each ``d`` (:func:`featurecheck.numerics.experiments.sweep.fit_slope`).

References
----------
Ben Arous, Gheissari, Jagannath (2021), "Online stochastic gradient descent on non-convex losses from
high-dimensional inference", JMLR 22(106), Def. 1.2 (information exponent), Thm. 1.3 (sample
complexity ``N``, ``N log N``, ``N^{k-1}``).
Damian, Nichani, Ge, Lee (2023), "Smoothing the landscape boosts the signal for SGD", NeurIPS, Sec. 3
(online SGD on the smoothed loss needs ``d^{max(1, k*/2)}`` samples up to logarithms, with
``lambda ~ d^{1/4}``).

Examples
--------
>>> spec = resolve_link("He3")
>>> spec.k_star, spec.drift, spec.noise
(3, 18.0, 108.0)
>>> simulate("He1", 32, range(3))
[17, 7, 21]
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from typing import Any

import numpy as np

from featurecheck.numerics._kernels import single_index as K
from featurecheck.numerics._kernels.rng import Purpose, generator, stream_key
from featurecheck.numerics.estimators.seeds import json_number, median_interval, percentile_interval
from featurecheck.numerics.experiments.execute import run_tasks
from featurecheck.numerics.experiments.sweep import fit_slope
from featurecheck.theory import hermite as H
from featurecheck.theory._validate import check_int, check_real

__all__ = ["LinkSpec", "resolve_link", "step_size", "default_max_samples", "predicted_exponent",
           "predicted_exponent_smoothed", "smoothing_radius", "sphere_moment", "smoothing_polynomial", "start_vectors",
           "simulate", "trace", "run_task", "sweep", "summarize", "exponent_differences", "plot", "LOSSES",
           "THRESHOLD", "MAX_D"]

#: Overlap that counts as weak recovery.
THRESHOLD = 0.5
LOSSES = ("correlation", "square")
MAX_D = 4096
_MAX_COUNTER = 2**62  # max_samples * ceil(d / 2) stays below this (int64 counters)
_HE = re.compile(r"^He(\d{1,2})$")
_GH_NODES = 120


@dataclass(frozen=True)
class LinkSpec:
    """A link ``sigma`` ready for the kernel.

    Attributes
    ----------
    name : str
        As given (``He3``, ``relu``, ``z**3 - 3*z``, ...).
    code : int
        Kernel link code (relu, abs, tanh or polynomial).
    poly, dpoly : tuple of float
        Coefficients of ``sigma`` and ``sigma'`` from degree 0 up (polynomial links; else empty).
    k_star : int
        Information exponent (:func:`featurecheck.theory.hermite.information_exponent`).
    drift : float
        ``a = k* k*! c_{k*}^2``.
    noise : float
        ``C = E[sigma(z)^2] E[sigma'(z)^2]``.
    """

    name: str
    code: int
    poly: tuple[float, ...]
    dpoly: tuple[float, ...]
    k_star: int
    drift: float
    noise: float


def _gauss_mean(f: Any) -> float:
    z, wts = np.polynomial.hermite_e.hermegauss(_GH_NODES)
    return float(np.sum(wts * f(z)) / math.sqrt(2 * math.pi))


@lru_cache(maxsize=256)
def resolve_link(link: str) -> LinkSpec:
    """Return the :class:`LinkSpec` of ``He<k>`` (``k = 1..60``), ``relu``, ``abs``, ``tanh`` or a polynomial in ``z``.

    Accepts what ``featurecheck hermite`` accepts (its parser), except ``sign`` and ``step``, whose
    derivative vanishes almost everywhere (a gradient step never moves), and constant links.
    Memoised (the ``tanh`` constants need quadrature; a sweep resolves its link once per run).

    Examples
    --------
    >>> resolve_link("z**2 - 1").k_star, resolve_link("relu").noise
    (2, 0.25)
    >>> resolve_link("sign")
    Traceback (most recent call last):
    ...
    ValueError: link must have a derivative that is not 0 almost everywhere (online SGD needs sigma'), got 'sign'
    """
    if not isinstance(link, str):
        raise ValueError(f"link must be a string, got {link!r}")
    text = link.strip()
    if text in ("sign", "step"):
        raise ValueError("link must have a derivative that is not 0 almost everywhere (online SGD needs sigma'), "
                         f"got {text!r}")
    m = _HE.match(text)
    expr_text = f"He{m.group(1)}(z)" if m else text
    if text in ("relu", "abs", "tanh"):
        named = H.hermite_coefficients(text, degree=2, dps=20)  # k* <= 2 for these three
        k = named.information_exponent
        assert k is not None
        ck = float(named.coefficients[k])
        code = {"relu": K.RELU, "abs": K.ABS, "tanh": K.TANH}[text]
        e2 = {"relu": 0.5, "abs": 1.0}.get(text) or _gauss_mean(lambda z: np.tanh(z) ** 2)
        d2 = {"relu": 0.5, "abs": 1.0}.get(text) or _gauss_mean(lambda z: (1 - np.tanh(z) ** 2) ** 2)
        return LinkSpec(text, code, (), (), k, k * math.factorial(k) * ck * ck, e2 * d2)
    if m and not 1 <= int(m.group(1)) <= 60:
        raise ValueError(f"link He<k> must have k in [1, 60], got {text!r}")
    import sympy as sp

    expr = H.parse_polynomial(expr_text)
    exp = H.hermite_coefficients(expr)
    k = exp.information_exponent
    if k is None:
        raise ValueError(f"link must not be constant (no information exponent), got {text!r}")

    coeffs = [float(c) for c in reversed(sp.Poly(expr, H.Z).all_coeffs())]
    dpoly = np.array([j * coeffs[j] for j in range(1, len(coeffs))]) if len(coeffs) > 1 else np.zeros(1)
    ck = float(exp.coefficients[k])
    # exact: E[sigma^2] = sum_j j! c_j^2 and, with sigma' = sum_j j c_j He_{j-1}, E[sigma'^2] = sum_j j j! c_j^2
    e2 = float(sum(sp.factorial(j) * c**2 for j, c in enumerate(exp.coefficients)))
    d2 = float(sum(j * sp.factorial(j) * c**2 for j, c in enumerate(exp.coefficients)))
    return LinkSpec(text, K.POLY, tuple(coeffs), tuple(float(v) for v in dpoly), k,
                    k * math.factorial(k) * ck * ck, e2 * d2)


def step_size(spec: LinkSpec, d: int, c: float = 1.0, lam: float = 0.0) -> float:
    """``eta = c (a / C) d^{-max(1, k*/2)} (1 + lam^2)^{k*-1}`` (module notes; ``lam = 0``: plain SGD).

    Examples
    --------
    >>> round(step_size(resolve_link("He3"), 16) * 16**1.5 * 108 / 18, 12)  # (18 / 108) / 16^1.5
    1.0
    """
    return float(c) * spec.drift / spec.noise * float(d) ** (-max(1.0, spec.k_star / 2)) \
        * (1.0 + float(lam) ** 2) ** (spec.k_star - 1)


def default_max_samples(k_star: int, d: int) -> int:
    """Return the default cap: ``200 d^{max(1, k*-1)}``, times ``log d`` for ``k* = 2`` (at least 2000).

    Examples
    --------
    >>> default_max_samples(3, 32), default_max_samples(1, 16)
    (204800, 3200)
    """
    base = float(d) ** max(1, k_star - 1) * (math.log(d) if k_star == 2 else 1.0)
    return max(2000, int(200 * base))


def predicted_exponent_smoothed(k_star: int, ds: Sequence[int]) -> float:
    """Damian et al.'s exponent ``max(1, k*/2)`` of the smoothed arm (logarithms dropped).

    Examples
    --------
    >>> predicted_exponent_smoothed(3, [16, 32]), predicted_exponent_smoothed(2, [16, 32])
    (1.5, 1.0)
    """
    return max(1.0, k_star / 2)


def predicted_exponent(k_star: int, ds: Sequence[int]) -> float:
    """BGJ's exponent ``e`` of ``T ~ d^e`` over ``ds``: 1, the log-log slope of ``d log d``, or ``k* - 1``.

    Examples
    --------
    >>> predicted_exponent(3, [16, 32]), round(predicted_exponent(2, [16, 32, 64]), 3)
    (2.0, 1.292)
    """
    if k_star == 1:
        return 1.0
    if k_star >= 3:
        return float(k_star - 1)
    lx = np.log(np.asarray(ds, dtype=float))
    ly = lx + np.log(lx)
    return float(np.polyfit(lx, ly, 1)[0])


def smoothing_radius(d: int, smoothing: float) -> float:
    """``lambda = L d^{1/4}`` for ``--smoothing L`` (Damian et al.'s scale ``lambda ~ d^{1/4}``).

    Examples
    --------
    >>> smoothing_radius(16, 1.5)
    3.0
    """
    return float(smoothing) * float(d) ** 0.25


def sphere_moment(j: int, dim: int) -> Fraction:
    """``E[zeta^(2j)]`` for ``zeta`` a coordinate of a uniform point on the unit sphere of ``R^dim``.

    ``prod_{l < j} (2l + 1) / (dim + 2l)``, exactly.

    Examples
    --------
    >>> sphere_moment(1, 5), sphere_moment(2, 5)
    (Fraction(1, 5), Fraction(3, 35))
    """
    out = Fraction(1)
    for lo in range(j):
        out *= Fraction(2 * lo + 1, dim + 2 * lo)
    return out


def smoothing_polynomial(spec: LinkSpec, d: int, lam: float) -> tuple[np.ndarray, np.ndarray]:
    """``(G, Hs)``: coefficient matrices (``[a, b]`` of ``u^a r^b``) of the smoothed link and its derivative.

    Notes
    -----
    Damian, Nichani, Ge, Lee (2023), Sec. 3: the smoothed loss at ``w`` averages the loss at
    ``v = (w + lam z) / s``, ``s = sqrt(1 + lam^2)``, over ``z`` uniform on the unit sphere of
    ``w^perp``. For one sample, ``v . x = (u + lam sqrt(r) zeta) / s`` with ``u = w . x``,
    ``r = ||x||^2 - u^2`` and ``zeta`` a coordinate of a uniform point on the sphere of ``R^{d-1}``, so
    for ``sigma(t) = sum_n p_n t^n`` the smoothed link is the polynomial

        g(u, r) = E_zeta[sigma(v . x)] = sum_n p_n s^{-n} sum_j C(n, 2j) lam^{2j} E[zeta^{2j}] u^{n-2j} r^j

    (odd moments vanish). As a function of ``w`` in ``R^d``, ``g(w . x, ||x||^2 - (w . x)^2)`` agrees
    with the smoothed link on the sphere, so the spherical gradient of the smoothed correlation loss
    ``-y g`` is ``-y h (x - u w)`` with ``h = dg/du - 2 u dg/dr`` (the ``Hs`` returned). With
    ``lam = 0``, ``g = sigma`` and ``h = sigma'``.

    Examples
    --------
    >>> G, Hs = smoothing_polynomial(resolve_link("He2"), 5, 0.0)
    >>> G[:, 0].tolist(), Hs[:, 0].tolist(), bool(np.all(G[:, 1:] == 0))  # lam = 0: sigma and sigma'
    ([-1.0, 0.0, 1.0], [0.0, 2.0, 0.0], True)
    """
    if spec.code != K.POLY:
        raise ValueError(f"link must be a polynomial for the smoothed arm (exact smoothing), got {spec.name!r}")
    n_max = len(spec.poly) - 1
    s2 = 1.0 + float(lam) ** 2
    Gf = np.zeros((n_max + 1, n_max // 2 + 1))
    for n, pn in enumerate(spec.poly):
        if pn == 0:
            continue
        sn = s2 ** (-n / 2)
        for j in range(n // 2 + 1):
            Gf[n - 2 * j, j] += pn * sn * math.comb(n, 2 * j) * lam ** (2 * j) * float(sphere_moment(j, d - 1))
    Hs = np.zeros_like(Gf)
    for a in range(Gf.shape[0]):
        for b in range(Gf.shape[1]):
            if a >= 1:
                Hs[a - 1, b] += a * Gf[a, b]
            if b >= 1 and Gf[a, b] != 0:  # then a + 2 b <= n_max, so a + 1 <= n_max - 1
                Hs[a + 1, b - 1] -= 2 * b * Gf[a, b]
    return Gf, Hs


def start_vectors(d: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """``(w*, w_0)`` of seed ``seed``: uniform unit vectors, ``w_0`` negated if ``w_0 . w* < 0``.

    Examples
    --------
    >>> ws, w0 = start_vectors(8, 0)
    >>> bool(ws @ w0 >= 0), round(float(np.linalg.norm(w0)), 12)
    (True, 1.0)
    """
    ws = generator(seed, Purpose.SINGLE_INDEX_TARGET, d).standard_normal(d)
    ws /= np.linalg.norm(ws)
    w0 = generator(seed, Purpose.SINGLE_INDEX_INIT, d).standard_normal(d)
    w0 /= np.linalg.norm(w0)
    if ws @ w0 < 0:
        w0 = -w0
    return ws, w0


def _validate(d: Any, lr: Any, max_samples: Any, loss: Any, k_star: int, smoothing: Any = 0.0,
              spec: LinkSpec | None = None) -> tuple[int, float, int, int, np.ndarray]:
    d = check_int("d", d, 2, MAX_D)
    c = float(check_real("lr", lr, 0, 1e6, exact=False))
    if not c > 0:
        raise ValueError(f"lr must be a real in (0, 1e6], got {lr}")
    cap_hi = _MAX_COUNTER // ((d + 1) // 2)
    cap = default_max_samples(k_star, d) if max_samples is None else check_int("max_samples", max_samples, 1, cap_hi)
    if cap > cap_hi:
        raise ValueError(f"max_samples must be an integer in [1, {cap_hi}] at d={d}, got {cap}")
    if loss not in LOSSES:
        raise ValueError(f"loss must be one of {list(LOSSES)}, got {loss!r}")
    L = float(check_real("smoothing", smoothing, 0, 100, exact=False))
    hmat = np.zeros((0, 0))
    if L > 0:
        if loss != "correlation":
            raise ValueError(f"loss must be 'correlation' with smoothing > 0 (the exact smoothed gradient), got {loss!r}")
        if spec is None or spec.code != K.POLY:
            raise ValueError("link must be a polynomial in z (He<k> or an expression) with smoothing > 0, got "
                             f"{None if spec is None else spec.name!r}")
        hmat = smoothing_polynomial(spec, d, smoothing_radius(d, L))[1]
    return d, c, cap, LOSSES.index(loss), hmat


def simulate(link: str | LinkSpec, d: int, seeds: Iterable[int], *, lr: float = 1.0, max_samples: int | None = None,
             loss: str = "correlation", smoothing: float = 0.0) -> list[int | None]:
    """Count the samples to ``|w . w*| >= 1/2`` for each seed (None: censored at ``max_samples``).

    Parameters
    ----------
    link : str or LinkSpec
        See :func:`resolve_link`.
    d : int
        Dimension, ``2..4096``.
    seeds : iterable of int
        Independent runs (each depends on its seed only; parallel over seeds, bit-identical at any
        thread count).
    lr : float
        The constant ``c`` of :func:`step_size`.
    max_samples : int, optional
        Cap (default :func:`default_max_samples`).
    loss : {"correlation", "square"}
    smoothing : float
        ``L >= 0``: the smoothed arm with radius ``lambda = L d^{1/4}`` (:func:`smoothing_polynomial`;
        polynomial links, correlation loss); 0 is plain online SGD.

    Examples
    --------
    >>> simulate("He2", 16, [0, 1])
    [3, 28]
    """
    spec = link if isinstance(link, LinkSpec) else resolve_link(link)
    d, c, cap, lcode, hmat = _validate(d, lr, max_samples, loss, spec.k_star, smoothing, spec)
    seeds = [check_int("seed", s, 0, 2**63 - 1) for s in seeds]
    if not seeds:
        return []
    W = np.empty((len(seeds), d))
    S = np.empty((len(seeds), d))
    for i, s in enumerate(seeds):
        S[i], W[i] = start_vectors(d, s)
    keys = np.array([stream_key(s, Purpose.SINGLE_INDEX_DATA, d) for s in seeds], dtype=np.uint64)
    out = np.empty(len(seeds), dtype=np.int64)
    K.run_seeds(S, W, keys, spec.code, np.array(spec.poly or (0.0,)), np.array(spec.dpoly or (0.0,)), hmat, lcode,
                step_size(spec, d, c, smoothing_radius(d, float(smoothing))), THRESHOLD, cap, out)
    return [None if v < 0 else int(v) for v in out]


def trace(link: str, d: int, seed: int, *, lr: float = 1.0, max_samples: int | None = None,
          loss: str = "correlation", smoothing: float = 0.0, points: int = 200) -> tuple[np.ndarray, np.ndarray, int | None]:
    """``(t, |w_t . w*|, T)`` of one run, recorded at about ``points`` evenly spaced steps up to the cap.

    Examples
    --------
    >>> t, m, T = trace("He1", 16, 1, max_samples=40, points=40)
    >>> T, len(t) == T + 1, bool(m[-1] >= 0.5 > m[-2])
    (8, True, True)
    """
    spec = resolve_link(link)
    d, c, cap, lcode, hmat = _validate(d, lr, max_samples, loss, spec.k_star, smoothing, spec)
    points = check_int("points", points, 1, 10**6)
    every = max(1, cap // points)
    buf = np.full(cap // every + 1, np.nan)
    ws, w0 = start_vectors(d, check_int("seed", seed, 0, 2**63 - 1))
    T = K.run_one(ws, w0, stream_key(seed, Purpose.SINGLE_INDEX_DATA, d), spec.code, np.array(spec.poly or (0.0,)),
                  np.array(spec.dpoly or (0.0,)), hmat, lcode, step_size(spec, d, c, smoothing_radius(d, float(smoothing))),
                  THRESHOLD, cap, every, buf)
    ok = ~np.isnan(buf)
    return (np.arange(buf.size) * every)[ok], buf[ok], None if T < 0 else int(T)


def run_task(settings: Mapping[str, Any], seed: int) -> dict[str, Any]:
    """One run for :func:`featurecheck.numerics.experiments.execute.run_tasks`.

    ``settings``: ``link``, ``d``, ``lr``, ``max_samples`` (None: default), ``loss``, ``smoothing``. Returns
    ``{"d", "seed", "samples", "seconds"}`` (``samples`` None if censored).

    Examples
    --------
    >>> run_task({"link": "He1", "d": 32, "lr": 1.0, "max_samples": None, "loss": "correlation"}, 2)["samples"]
    21
    """
    t0 = time.perf_counter()
    (T,) = simulate(str(settings["link"]), int(settings["d"]), [seed], lr=float(settings.get("lr", 1.0)),
                    max_samples=settings.get("max_samples"), loss=str(settings.get("loss", "correlation")),
                    smoothing=float(settings.get("smoothing", 0.0)))
    return {"d": int(settings["d"]), "seed": int(seed), "samples": T, "seconds": time.perf_counter() - t0}


def sweep(link: str, ds: Sequence[int], seeds: int, *, seed: int = 0, lr: float = 1.0, max_samples: int | None = None,
          loss: str = "correlation", smoothing: float = 0.0, workers: int | None = None, scheduler: str | None = None,
          store: str | None = None, progress: bool = True) -> dict[int, list[int | None]]:
    """``{d: [T over seeds seed..seed+seeds-1]}`` through the executor (in-process or Dask; optional store).

    Examples
    --------
    >>> sweep("He1", [16, 32], 2, progress=False)
    {16: [3, 8], 32: [17, 7]}
    """
    spec = resolve_link(link)
    ds = [check_int("d", v, 2, MAX_D) for v in ds]
    seeds = check_int("seeds", seeds, 1, 100_000)
    seed = check_int("seed", seed, 0, 2**62)
    for d in ds:
        _validate(d, lr, max_samples, loss, spec.k_star, smoothing, spec)
    base = {"lr": float(lr), "max_samples": max_samples, "loss": loss}
    if float(smoothing) > 0:  # the key only when used: stored plain runs keep their settings
        base["smoothing"] = float(smoothing)
    tasks = [({"link": spec.name, "d": d, **base}, s) for d in ds for s in range(seed, seed + seeds)]
    runs = run_tasks(run_task, "single-index", tasks, workers=workers, scheduler=scheduler, store=store,
                     progress=progress)
    out: dict[int, list[int | None]] = {d: [] for d in ds}
    for d, r in zip([d for d in ds for _ in range(seeds)], runs, strict=True):
        out[d].append(r["samples"])
    return out



def summarize(link: str, data: Mapping[int, Sequence[int | None]], *, alpha: float = 0.05, n_boot: int = 2000,
              seed: int = 0, settings: Mapping[str, Any] | None = None, smoothing: float = 0.0) -> dict[str, Any]:
    """Build the JSON document of ``featurecheck experiment single-index``.

    ``rows``: one per ``d`` with ``samples`` (per seed, null = censored), ``median_samples``,
    ``median_interval`` (order statistics, level ``1 - alpha``; null = infinite), ``n_censored``;
    ``fit``: ``exponent``, ``exponent_interval`` (seed bootstrap, level ``1 - alpha``), ``predicted``
    (BGJ; Damian et al.'s ``max(1, k*/2)`` when ``smoothing > 0``), ``k_star``.

    Examples
    --------
    >>> doc = summarize("He1", {16: [10, 16, 12], 32: [20, 30, 25]}, n_boot=100)
    >>> doc["rows"][0]["median_samples"], round(doc["fit"]["exponent"], 6), doc["fit"]["predicted"]
    (12, 1.058894, 1.0)
    """
    spec = resolve_link(link)
    ds = sorted(data)
    rows = []
    for d in ds:
        med, (lo, hi) = median_interval(data[d], alpha)
        rows.append({"d": d, "samples": list(data[d]), "median_samples": json_number(med),
                     "median_interval": [json_number(lo), json_number(hi)], "n_seeds": len(data[d]),
                     "n_censored": sum(v is None for v in data[d])})
    pred = predicted_exponent_smoothed if smoothing > 0 else predicted_exponent
    fit: dict[str, Any] = {"k_star": spec.k_star, "predicted": pred(spec.k_star, ds) if len(ds) > 1 else None,
                           "predicted_source": "Damian, Nichani, Ge, Lee 2023 (smoothed loss)" if smoothing > 0
                           else "Ben Arous, Gheissari, Jagannath 2021, Thm. 1.3",
                           "exponent": None, "exponent_interval": [None, None], "undefined_fraction": None}
    if len(ds) >= 2:
        f = fit_slope(ds, [data[d] for d in ds], alpha=alpha, n_boot=n_boot, seed=seed)
        fit.update(exponent=f["slope"], exponent_interval=list(f["slope_ci"]), intercept=f["intercept"],
                   undefined_fraction=f["undefined_fraction"])
    return {"link": spec.name, "k_star": spec.k_star, "settings": {**dict(settings or {}), "alpha": alpha,
            "n_boot": n_boot, "threshold": THRESHOLD,
            "statistics": "median over seeds, censored runs as +inf (never dropped); order-statistic interval; "
                          "exponent = least squares of log median on log d, percentile seed bootstrap"},
            "rows": rows, "fit": fit}


def exponent_differences(data: Sequence[Mapping[int, Sequence[int | None]]], ds: Sequence[int], *, alpha: float,
                         n_boot: int = 10_000, seed: int = 0) -> list[dict[str, Any]]:
    """Exponent differences ``e_{q+1} - e_q`` of consecutive links with paired seed-bootstrap intervals.

    ``data[q][d]`` lists ``T`` over the same seeds for link ``q`` (the links share each seed's start
    and data stream, so their runs are paired). Each replicate resamples the seed indices within every
    ``d`` once and applies them to every link. Each interval is the percentile interval at level
    ``1 - alpha / (L - 1)`` (Bonferroni over the ``L - 1`` pairs); a bound is None when more than
    that level's tail mass of the replicates is undefined (an infinite median).

    Examples
    --------
    >>> a = {16: [10, 12, 11], 32: [20, 24, 22]}
    >>> b = {16: [10, 12, 11], 32: [40, 48, 44]}
    >>> r = exponent_differences([a, b], [16, 32], alpha=0.05, n_boot=200)
    >>> round(r[0]["difference"], 6), [round(v, 6) for v in r[0]["interval"]]
    (1.0, [1.0, 1.0])
    """
    if len(data) < 2 or len(set(ds)) < 2:
        raise ValueError(f"data must hold at least two links and ds two distinct values, got {len(data)} and {list(ds)}")
    lx = np.log(np.asarray(ds, dtype=float))
    xc = lx - lx.mean()
    arr = [[np.array([math.inf if v is None else float(v) for v in dd[d]]) for d in ds] for dd in data]
    m = [a.size for a in arr[0]]
    rng = generator(seed, Purpose.SINGLE_INDEX_BOOTSTRAP)
    reps = np.empty((len(data), n_boot, len(ds)))
    for q in range(len(ds)):
        idx = rng.integers(0, m[q], size=(n_boot, m[q]))
        for li in range(len(data)):
            reps[li, :, q] = np.median(arr[li][q][idx], axis=1)
    with np.errstate(invalid="ignore"):
        slopes = (np.log(reps) * xc).sum(axis=2) / (xc ** 2).sum()
    point = [float((np.log([np.median(a) for a in arr[li]]) * xc).sum() / (xc ** 2).sum()) for li in range(len(data))]
    a = alpha / (len(data) - 1)
    out = []
    for li in range(len(data) - 1):
        diff = slopes[li + 1] - slopes[li]
        ok = np.isfinite(diff)
        undefined = float(1.0 - ok.mean())
        ci = list(percentile_interval(diff[ok], undefined, a))
        pd = point[li + 1] - point[li]
        out.append({"difference": pd if math.isfinite(pd) else None, "interval": ci, "undefined_fraction": undefined,
                    "exponents": [point[li], point[li + 1]]})
    return out


def plot(docs: Sequence[Mapping[str, Any]], path: str) -> None:
    """Median samples against ``d`` (log-log, order-statistic intervals, fitted lines) for each document."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5.5, 4.2))
    for q, doc in enumerate(docs):
        col = f"C{q}"
        rows = [r for r in doc["rows"] if r["median_samples"] is not None]
        xs = [r["d"] for r in rows]
        ys = [r["median_samples"] for r in rows]
        lo = [y - (r["median_interval"][0] or y) for y, r in zip(ys, rows, strict=True)]
        hi = [(r["median_interval"][1] or 3 * y) - y for y, r in zip(ys, rows, strict=True)]
        f = doc["fit"]
        lab = f"{doc['link']} (k*={doc['k_star']})"
        if f["exponent"] is not None:
            ci = f["exponent_interval"]
            lab += f": d^{f['exponent']:.2f}" + (f" [{ci[0]:.2f}, {ci[1]:.2f}]" if ci[0] is not None else "")
            lab += f", theory {f['predicted']:.2f}" + (" (smoothed)" if "smoothed" in f.get("predicted_source", "") else "")
        ax.errorbar(xs, ys, yerr=[lo, hi], fmt="o", color=col, capsize=3, label=lab)
        if f["exponent"] is not None:
            grid = np.linspace(min(xs), max(xs), 50)
            ax.plot(grid, np.exp(f["intercept"]) * grid ** f["exponent"], "-", color=col, alpha=0.7)
    ax.set(xscale="log", yscale="log", xlabel="d", ylabel="median samples to |w.w*| >= 1/2",
           title="online SGD on single-index targets")
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
