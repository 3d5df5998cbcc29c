"""Representation learning on a multi-index target: Damian, Lee, Soltanolkotabi (2022) against a kernel.

Target. ``x ~ N(0, I_d)``, ``U`` an ``r x d`` matrix with orthonormal rows (random), ``f*(x) = g(U x)``
with the degree-``p`` polynomial, ``3 <= p <= 6`` (``h_k = He_k / sqrt(k!)``, so ``E[f*] = 0``, ``E[f*^2] = 1`` and
``E[grad f*] = 0``):

    g(z) = sqrt(w / r) sum_{i<r} h_2(z_i)  +  sqrt(1 - w) h_{p-1}(z_0) h_1(z_1)      (r >= 2)
    g(z) = sqrt(w) h_2(z_0) + sqrt(1 - w) h_p(z_0)                                  (r = 1)

with ``w = quad_weight`` (default 1/2) the share of the variance in degree 2.
``E[Hess f*] = sqrt(2 w / r) U^T U`` has rank ``r`` (theory/stein.py), and a share ``1 - w`` of the
variance sits in degree ``p``: a kernel that has only learned degrees ``< p`` has relative error about
``1 - w``.

Network procedure (DLS 2022, Algorithm 1, simplified as stated):

1. width ``m`` (even), ReLU, symmetric init: ``w_j ~ N(0, I_d / d)``, ``b_j = 0``, ``a_j = +-1/m`` in
   pairs sharing ``w_j``, so ``f_0 = 0``;
2. one gradient step on ``W`` for the square loss ``(1/2n) sum (f(x_i) - y_i)^2`` with weight decay
   ``lambda = 1/eta``: ``W_1 = W_0 - eta (grad_W L + W_0 / eta) = -eta grad_W L``, i.e.
   ``w_j = eta a_j (1/n) sum_i y_i 1[w_j . x_i > 0] x_i`` (ReLU'(0) = 0). ``eta`` only scales ``W_1``;
   we fix it so that the mean row norm of ``W_1`` is 1;
3. re-initialise the biases ``b_j ~ N(0, 1)``, then fit the second layer by ridge regression on a fresh
   sample of the same size ``n`` (sample splitting, as in the paper), with the ridge chosen on a 20%
   hold-out out of ``{1e-6, 1e-4, 1e-2, 1}``.

``n`` is the sample size *per stage* (the network sees ``2n`` samples, the kernel ``n``; exponents are
unaffected). Subspace recovery: principal angles between the top-``r`` right singular space of ``W_1``
and ``span(U^T)``.

Kernel baseline: kernel ridge with the infinite-width kernel of the initial random features
``sigma(w . x + b)``, ``w ~ N(0, I/d)``, ``b ~ N(0, 1)``: the degree-1 arc-cosine kernel of
``u = (x / sqrt d, 1)`` (Cho & Saul 2009), ``k(x, x') = |u||u'| (sin t + (pi - t) cos t) / (2 pi)``, ridge
``1e-3`` times the mean diagonal. It is a fixed-feature method: by Ghorbani, Mei, Misiakiewicz,
Montanari (2021) it needs ``n ~ d^p`` samples for the degree-``p`` part; DLS's network needs
``n ~ d^2 r + d r^p``.

Per-seed outcomes (:func:`seed_outcome`): the largest principal angle after the step, the network's
and the random features' test errors, each a pure function of ``(d, n, m, seed)``; the claims
``multi_index.*`` treat seeds as i.i.d. trials of these outcomes. Negative controls: labels
independent of ``x`` (``labels="independent"``, :data:`LABELS`) and angles against an independent
random subspace (:func:`random_frame` with ``stream > 0``).

Randomness: every draw comes from ``generator(seed, Purpose.MULTI_INDEX_*, d, n, ...)`` (the RNG registry);
a run is a pure function of its arguments (thread count does not matter: BLAS results of the same
inputs are used only through well-conditioned solves; :func:`seed_outcome` pins BLAS to one thread,
so the per-seed outcomes the claims are calibrated on are bit-identical for a given BLAS build).

References
----------
A. Damian, J. D. Lee, M. Soltanolkotabi (2022), "Neural Networks can Learn Representations with
Gradient Descent", COLT 2022, arXiv 2206.15144, Algorithm 1, Thm 1 and Sec. 4.
B. Ghorbani, S. Mei, T. Misiakiewicz, A. Montanari (2021), "Linearized two-layers neural networks in
high dimension", Ann. Stat. 49(2).
Y. Cho, L. Saul (2009), "Kernel methods for deep learning", NeurIPS (arc-cosine kernels).

Examples
--------
>>> t = MultiIndexTarget.default(d=10, r=2, p=3, seed=0)
>>> t.U.shape, bool(np.allclose(t.U @ t.U.T, np.eye(2)))
((2, 10), True)
>>> res = run_network(t, n=400, m=64, seed=0)
>>> res.max_angle_deg < 90 and 0 <= res.test_error
True
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
from threadpoolctl import threadpool_limits

from featurecheck.numerics._kernels.rng import Purpose, generator
from featurecheck.numerics.experiments.baselines import arccos_kernel, first_layer_gradient, fit_exponent, hermite_h
from featurecheck.theory._validate import check_int, check_real

__all__ = ["MultiIndexTarget", "gaussian_inputs", "principal_angles", "run_network", "run_kernel", "MethodResult",
           "sweep", "sweep_seed", "run_random_features", "samples_for_error", "MultiIndexSweepResult", "random_frame",
           "first_step", "subspace_angles", "seed_outcome", "LABELS", "OUTCOMES"]

#: Training labels: ``"target"`` (``y = f*(x)``) or ``"independent"`` (``y = f*(x')`` for an independent
#: copy ``x'``: labels with the right marginal but independent of ``x``, the random-label control).
LABELS = ("target", "independent")
#: Per-seed outcomes of :func:`seed_outcome`.
OUTCOMES = ("angle", "network-error", "rf-error")


def gaussian_inputs(n: int, d: int, seed: int, purpose: Purpose = Purpose.MULTI_INDEX_DATA,
                    extra: int = 0) -> np.ndarray:
    """``n x d`` standard normals from the stream ``(seed, purpose, d, n, extra)``."""
    return generator(seed, purpose, d, n, extra).standard_normal((n, d))


@dataclass(frozen=True)
class MultiIndexTarget:
    """``f*(x) = g(U x)`` with the default degree-``p`` link of the module docstring."""

    U: np.ndarray
    p: int
    quad_weight: float = 0.5

    @property
    def d(self) -> int:
        """Input dimension (columns of ``U``)."""
        return self.U.shape[1]

    @property
    def r(self) -> int:
        """Number of relevant directions (rows of ``U``)."""
        return self.U.shape[0]

    @staticmethod
    def default(d: int, r: int = 2, p: int = 3, seed: int = 0, quad_weight: float = 0.5) -> MultiIndexTarget:
        """Build the target of the module docstring on the random frame ``random_frame(d, r, seed)``."""
        d = check_int("d", d, 2, 4096)
        r = check_int("r", r, 1, min(d, 8))
        p = check_int("p", p, 3, 6)  # p = 2 makes the cross term collide with the Hessian (rank 1)
        w = float(check_real("quad_weight", quad_weight, 0, 1, exact=False))
        if not 0 < w < 1:
            raise ValueError(f"quad_weight must be a real in (0, 1), got {quad_weight}")
        return MultiIndexTarget(random_frame(d, r, seed), p, w)

    def g(self, z: np.ndarray) -> np.ndarray:
        """Evaluate the link ``g`` row-wise on projected inputs ``z = X U^T`` of shape ``(n, r)``."""
        r, p = self.r, self.p
        a, b = math.sqrt(self.quad_weight), math.sqrt(1.0 - self.quad_weight)
        if r == 1:
            return a * hermite_h(2, z[:, 0]) + b * hermite_h(p, z[:, 0])
        quad = sum(hermite_h(2, z[:, i]) for i in range(r)) / math.sqrt(r)
        return a * quad + b * hermite_h(p - 1, z[:, 0]) * hermite_h(1, z[:, 1])

    def __call__(self, X: np.ndarray) -> np.ndarray:
        """Evaluate ``f*`` on the rows of ``X`` (shape ``(n, d)``)."""
        return self.g(X @ self.U.T)


def random_frame(d: int, r: int, seed: int, stream: int = 0) -> np.ndarray:
    """Draw an ``r x d`` matrix with orthonormal rows, uniformly random (QR of a Gaussian matrix).

    ``stream = 0`` is the frame ``U`` of :meth:`MultiIndexTarget.default`; any other ``stream`` gives a
    frame independent of it (the random-subspace control of ``multi_index.subspace_recovery``).

    Examples
    --------
    >>> V = random_frame(6, 2, seed=0, stream=1)
    >>> bool(np.allclose(V @ V.T, np.eye(2))), bool(np.allclose(V, MultiIndexTarget.default(6, 2, seed=0).U))
    (True, False)
    """
    d = check_int("d", d, 2, 4096)
    r = check_int("r", r, 1, d)
    stream = check_int("stream", stream, 0, 2**32)
    words = (d, r, stream) if stream else (d, r)  # stream 0: the target's own frame (unchanged key)
    q, _ = np.linalg.qr(generator(seed, Purpose.MULTI_INDEX_FRAME, *words).standard_normal((d, r)))
    return np.ascontiguousarray(q.T)


def principal_angles(A: np.ndarray, B: np.ndarray) -> np.ndarray:
    """Principal angles (radians, ascending) between the column spaces of ``A`` and ``B``.

    Examples
    --------
    >>> np.round(np.degrees(principal_angles(np.eye(3)[:, :1], np.array([[1.0], [1.0], [0.0]]))), 6)
    array([45.])
    """
    qa, _ = np.linalg.qr(A)
    qb, _ = np.linalg.qr(B)
    s = np.clip(np.linalg.svd(qa.T @ qb, compute_uv=False), -1.0, 1.0)
    return np.sort(np.arccos(s))


@dataclass(frozen=True)
class MethodResult:
    """One run: test error (relative MSE, ``E[f*^2] = 1``) and, for the network, principal angles."""

    method: str
    d: int
    n: int
    seed: int
    test_error: float
    max_angle_deg: float | None = None
    angles_deg: tuple[float, ...] = ()


_CHUNK = 8192
_LAMS = (1e-6, 1e-4, 1e-2, 1.0)


def _chunks(n: int) -> list[tuple[int, int]]:
    return [(c, min(_CHUNK, n - c * _CHUNK)) for c in range(-(-n // _CHUNK))]


def _inputs_chunk(d: int, n: int, seed: int, purpose: Purpose, c: int, size: int) -> np.ndarray:
    # one Generator per chunk (SeedSequence keyed by the chunk index): memory O(chunk), reproducible
    return generator(seed, purpose, d, n, c).standard_normal((size, d))


def _check_labels(labels: str) -> str:
    if labels not in LABELS:
        raise ValueError(f"labels must be one of {list(LABELS)}, got {labels!r}")
    return labels


def _labels_chunk(target: MultiIndexTarget, X: np.ndarray, labels: str, seed: int, purpose: Purpose,
                  n: int, c: int) -> np.ndarray:
    if labels == "target":
        return target(X)
    # f* of an independent copy x' (extra word 1 keeps the stream apart from the inputs' own)
    return target(generator(seed, purpose, target.d, n, c, 1).standard_normal(X.shape))


def _check_nm(n: int, m: int) -> tuple[int, int]:
    n = check_int("n", n, 4, 10**8)
    m = check_int("m", m, 2, 1 << 14)
    if m % 2:
        raise ValueError(f"m must be an even integer in [2, 16384], got {m}")
    return n, m


def first_step(target: MultiIndexTarget, n: int, m: int = 256, seed: int = 0, labels: str = "target") -> np.ndarray:
    """``W_1`` after the one gradient step (steps 1-2 of the module docstring), mean row norm 1.

    Parameters
    ----------
    target : MultiIndexTarget
    n : int
        Samples of the gradient step, in ``[4, 10^8]``.
    m : int
        Width, even, in ``[2, 16384]``.
    seed : int
        Seed of the streams ``MULTI_INDEX_INIT`` (symmetric init) and ``MULTI_INDEX_STEP1`` (data).
    labels : {"target", "independent"}
        ``"independent"``: train on ``f*(x')`` for an independent copy ``x'`` (see :data:`LABELS`).

    Returns
    -------
    ndarray, shape (m, d)

    Examples
    --------
    >>> t = MultiIndexTarget.default(d=8, r=2, seed=0)
    >>> W1 = first_step(t, n=256, m=16, seed=0)
    >>> W1.shape, round(float(np.mean(np.linalg.norm(W1, axis=1))), 12)
    ((16, 8), 1.0)
    """
    d = target.d
    n, m = _check_nm(n, m)
    labels = _check_labels(labels)
    rng = generator(seed, Purpose.MULTI_INDEX_INIT, d, n)
    half = rng.standard_normal((m // 2, d)) / math.sqrt(d)
    W0 = np.vstack([half, half])
    a = np.concatenate([np.full(m // 2, 1.0 / m), np.full(m // 2, -1.0 / m)])
    grad = np.zeros((m, d))
    for c, size in _chunks(n):
        X = _inputs_chunk(d, n, seed, Purpose.MULTI_INDEX_STEP1, c, size)
        y = _labels_chunk(target, X, labels, seed, Purpose.MULTI_INDEX_STEP1, n, c)
        grad += first_layer_gradient(W0, a, X, y) * (size / n)
    W1 = -grad  # W0 - eta (grad + W0 / eta) = -eta grad; eta fixed by the normalisation below
    W1 /= float(np.mean(np.linalg.norm(W1, axis=1)))
    return W1


def subspace_angles(W1: np.ndarray, reference: np.ndarray) -> np.ndarray:
    """Compute the principal angles (degrees, ascending) between two ``r``-dimensional subspaces.

    They are the top-``r`` right singular space of ``W1`` and the row space of ``reference`` (``r x d``,
    usually the target's ``U``).

    Examples
    --------
    >>> U = np.eye(4)[:2]
    >>> W = np.array([[3.0, 0, 0, 0], [0, 2.0, 0, 0], [0, 0, 0.1, 0]])
    >>> subspace_angles(W, U).tolist()
    [0.0, 0.0]
    """
    r = reference.shape[0]
    if not 1 <= r <= min(W1.shape):
        raise ValueError(f"reference must have 1..{min(W1.shape)} rows, got {r}")
    _, _, Vt = np.linalg.svd(W1, full_matrices=False)
    return np.degrees(principal_angles(Vt[:r].T, reference.T))


def run_network(target: MultiIndexTarget, n: int, m: int = 256, seed: int = 0, n_test: int = 4000,
                labels: str = "target") -> MethodResult:
    """Run the DLS one-step procedure on ``n`` samples per stage; see the module docstring.

    Data are drawn and processed in chunks of 8192 rows, so memory is ``O(8192 m + m^2)``.
    ``labels="independent"`` trains both stages on labels independent of the inputs (:data:`LABELS`);
    the test error is always measured against ``f*``.
    """
    d = target.d
    n, m = _check_nm(n, m)
    W1 = first_step(target, n, m, seed, labels)
    ang = subspace_angles(W1, target.U)
    b = generator(seed, Purpose.MULTI_INDEX_BIAS, d, n).standard_normal(m)
    n_tr = max(int(0.8 * n), 1)
    Gt, ct, Gv, cv, sv = np.zeros((m, m)), np.zeros(m), np.zeros((m, m)), np.zeros(m), 0.0
    row = 0
    for c, size in _chunks(n):
        X = _inputs_chunk(d, n, seed, Purpose.MULTI_INDEX_STEP2, c, size)
        F = np.maximum(X @ W1.T + b, 0.0)
        y = _labels_chunk(target, X, labels, seed, Purpose.MULTI_INDEX_STEP2, n, c)
        k = min(max(n_tr - row, 0), size)  # rows [0, n_tr) train, the rest validate
        Gt += F[:k].T @ F[:k]
        ct += F[:k].T @ y[:k]
        Gv += F[k:].T @ F[k:]
        cv += F[k:].T @ y[k:]
        sv += float(y[k:] @ y[k:])
        row += size
    n_v = n - n_tr
    lam = _LAMS[0]
    if n_v >= 10:
        best = math.inf
        for L in _LAMS:
            coef = np.linalg.solve(Gt / n_tr + L * np.eye(m), ct / n_tr)
            e = float(coef @ Gv @ coef - 2 * coef @ cv + sv) / n_v
            if e < best:
                best, lam = e, L
    coef = np.linalg.solve((Gt + Gv) / n + lam * np.eye(m), (ct + cv) / n)
    Xt = gaussian_inputs(n_test, d, seed, Purpose.MULTI_INDEX_TEST)
    err = float(np.mean((np.maximum(Xt @ W1.T + b, 0.0) @ coef - target(Xt)) ** 2))
    return MethodResult("network", d, n, seed, err, float(ang.max()), tuple(float(v) for v in ang))


def run_random_features(target: MultiIndexTarget, n: int, m: int = 256, seed: int = 0, n_test: int = 4000,
                        labels: str = "target") -> MethodResult:
    """Run the pipeline of :func:`run_network` without the gradient step.

    Ridge on the *initial* features ``relu(w_j . x + b_j)`` (``w_j ~ N(0, I/d)``, ``b_j ~ N(0, 1)``): a
    width-``m`` random-features kernel method with the network's own initialisation. ``labels`` as in
    :func:`run_network`.
    """
    d = target.d
    n = check_int("n", n, 4, 10**8)
    m = check_int("m", m, 2, 1 << 14)
    labels = _check_labels(labels)
    W0 = generator(seed, Purpose.MULTI_INDEX_INIT, d, n).standard_normal((m, d)) / math.sqrt(d)
    b = generator(seed, Purpose.MULTI_INDEX_BIAS, d, n).standard_normal(m)
    G, c = np.zeros((m, m)), np.zeros(m)
    for ch, size in _chunks(n):
        X = _inputs_chunk(d, n, seed, Purpose.MULTI_INDEX_STEP2, ch, size)
        F = np.maximum(X @ W0.T + b, 0.0)
        G += F.T @ F
        c += F.T @ _labels_chunk(target, X, labels, seed, Purpose.MULTI_INDEX_STEP2, n, ch)
    coef = np.linalg.solve(G / n + 1e-6 * np.eye(m), c / n)
    Xt = gaussian_inputs(n_test, d, seed, Purpose.MULTI_INDEX_TEST)
    err = float(np.mean((np.maximum(Xt @ W0.T + b, 0.0) @ coef - target(Xt)) ** 2))
    return MethodResult("random-features", d, n, seed, err)


def run_kernel(target: MultiIndexTarget, n: int, seed: int = 0, n_test: int = 4000, ridge: float = 1e-3,
               labels: str = "target") -> MethodResult:
    """Kernel ridge with :func:`arccos_kernel` on ``n`` samples (``labels`` as in :func:`run_network`)."""
    d = target.d
    n = check_int("n", n, 2, 20000)
    labels = _check_labels(labels)
    X = gaussian_inputs(n, d, seed, Purpose.MULTI_INDEX_DATA)
    y = _labels_chunk(target, X, labels, seed, Purpose.MULTI_INDEX_DATA, n, 0)
    K = arccos_kernel(X, X)
    lam = ridge * float(np.mean(np.diag(K)))
    alpha = np.linalg.solve(K + lam * np.eye(n), y)
    Xt = gaussian_inputs(n_test, d, seed, Purpose.MULTI_INDEX_TEST)
    err = float(np.mean((arccos_kernel(Xt, X) @ alpha - target(Xt)) ** 2))
    return MethodResult("kernel", d, n, seed, err)


def seed_outcome(outcome: str, d: int, n: int, m: int = 256, seed: int = 0, *, r: int = 2, p: int = 3,
                 labels: str = "target", reference_stream: int = 0, n_test: int = 4000) -> float:
    """One seed's outcome in the multi-index claims: a pure function of its arguments.

    The target is ``MultiIndexTarget.default(d, r, p, seed=seed)`` and every draw of the run comes
    from streams keyed by ``seed`` (and ``d``, ``n``), so seeds are i.i.d. trials and a claim run at
    seeds ``S..S+k-1`` sees the same per-seed outcomes as any other window containing them.

    Parameters
    ----------
    outcome : {"angle", "network-error", "rf-error"}
        ``"angle"``: the largest principal angle (degrees) between the top-``r`` right singular space
        of :func:`first_step` and the row space of ``random_frame(d, r, seed, reference_stream)``
        (stream 0: ``span(U^T)`` itself). ``"network-error"``: :func:`run_network`'s test error.
        ``"rf-error"``: :func:`run_random_features`'s test error (relative MSE, ``E[f*^2] = 1``).
    d, n, m, seed : int
        Dimension, samples per stage, width (even), seed.
    r, p : int
        Index count and degree of the target.
    labels : {"target", "independent"}
        See :data:`LABELS`.
    reference_stream : int
        For ``"angle"``: 0 measures against the target's subspace; any other value against an
        independent random subspace (a negative control).
    n_test : int
        Test points of the error outcomes.

    Examples
    --------
    >>> a = seed_outcome("angle", d=8, n=512, m=32, seed=3)
    >>> t = MultiIndexTarget.default(8, 2, 3, seed=3)
    >>> abs(a - run_network(t, 512, 32, 3).max_angle_deg) < 1e-9  # the same step (BLAS threads aside)
    True
    """
    if outcome not in OUTCOMES:
        raise ValueError(f"outcome must be one of {list(OUTCOMES)}, got {outcome!r}")
    t = MultiIndexTarget.default(d, r, p, seed=seed)
    # one BLAS thread: the products are small (faster so on shared cores), and a fixed thread count
    # keeps the calibrated per-seed outcomes bit-identical (tests/calibration/multi_index.json)
    with threadpool_limits(limits=1, user_api="blas"):
        if outcome == "angle":
            ref = random_frame(d, r, seed, reference_stream) if reference_stream else t.U
            return float(subspace_angles(first_step(t, n, m, seed, labels), ref).max())
        if outcome == "network-error":
            return run_network(t, n, m, seed, n_test, labels).test_error
        return run_random_features(t, n, m, seed, n_test, labels).test_error


def samples_for_error(ns: Sequence[int], errors: Sequence[float], eps: float) -> float | None:
    """Smallest ``n`` with error ``<= eps``, log-linearly interpolated; None if never reached.

    Examples
    --------
    >>> round(samples_for_error([100, 400], [0.8, 0.2], 0.5), 6)  # log e linear in log n
    160.0
    """
    pts = list(zip(ns, errors, strict=True))
    for k, (n, e) in enumerate(pts):
        if e <= eps:
            if k == 0:
                return float(n)
            n0, e0 = pts[k - 1]
            t = (math.log(e0) - math.log(eps)) / (math.log(e0) - math.log(e))
            return float(math.exp(math.log(n0) + t * (math.log(n) - math.log(n0))))
    return None


@dataclass
class MultiIndexSweepResult:
    """Median test error (and network angles) over seeds on an ``n`` grid per ``d``."""

    method: str
    eps: float
    ds: list[int]
    grids: dict[int, list[int]] = field(default_factory=dict)
    errors: dict[int, list[float]] = field(default_factory=dict)
    angles: dict[int, list[float]] = field(default_factory=dict)
    n_star: dict[int, float | None] = field(default_factory=dict)
    exponent: float | None = None

    def to_json(self) -> dict[str, Any]:
        """Return the fields as a JSON-ready dict (the integer keys of the per-``d`` maps as strings)."""
        return {k: ({str(kk): vv for kk, vv in v.items()} if isinstance(v, dict) else v) for k, v in asdict(self).items()}


def sweep(method: str, ds: Sequence[int], r: int = 2, p: int = 3, seeds: int = 3, eps: float = 0.25,
          n_grid: dict[int, list[int]] | None = None, m: int = 256, n_max: int | None = None,
          n_test: int = 4000, progress: Any = None, quad_weight: float = 0.5,
          labels: str = "target", workers: int | None = None, scheduler: str | None = None,
          store: str | None = None) -> MultiIndexSweepResult:
    """Test error (median over ``seeds``) on a geometric ``n`` grid for each ``d``; fit ``n*(d) ~ d^e``.

    The grid for ``d`` is ``n_k = n_lo(d) 2^{k/2}`` up to ``n_max`` (network: ``n_lo = 2 d``, default
    ``n_max = 32 d^2``; kernel: ``n_lo = 2 d``, default ``n_max = 6000``) and stops after the first two
    grid points with median error ``<= eps``. ``labels="independent"`` is the random-label control
    (:data:`LABELS`): ``eps`` is then never reached. The seeds of each grid point are tasks
    (:func:`sweep_seed`) for :func:`featurecheck.numerics.experiments.execute.run_tasks` (``workers``,
    ``scheduler``, ``store``); results do not depend on where they run.
    """
    from featurecheck.numerics.experiments.execute import run_tasks

    if method not in ("network", "kernel"):
        raise ValueError(f"method must be 'network' or 'kernel', got {method!r}")
    labels = _check_labels(labels)
    seeds = check_int("seeds", seeds, 1, 100)
    res = MultiIndexSweepResult(method, eps, list(ds))
    for d in ds:
        cap = n_max or (32 * d * d if method == "network" else 6000)
        grid = (n_grid or {}).get(d) or _geom(2 * d, cap)
        errs, angs, used = [], [], []
        below = 0
        for n in grid:
            task = {"method": method, "d": d, "r": r, "p": p, "quad_weight": quad_weight, "n": n, "m": m,
                    "n_test": n_test, "labels": labels}
            runs = run_tasks(sweep_seed, "multi-index", [(task, s) for s in range(seeds)], workers=workers,
                             scheduler=scheduler, store=store, progress=False)
            e = float(np.median([x["test_error"] for x in runs]))
            used.append(n)
            errs.append(e)
            if method == "network":
                angs.append(float(np.median([x["max_angle_deg"] for x in runs])))
            if progress:
                progress(method, d, n, e, angs[-1] if angs else None)
            below = below + 1 if e <= eps else 0
            if below >= 2:
                break
        res.grids[d], res.errors[d] = used, errs
        if angs:
            res.angles[d] = angs
        res.n_star[d] = samples_for_error(used, errs, eps)
    res.exponent = fit_exponent(res.ds, [res.n_star[d] for d in res.ds])
    return res


def sweep_seed(task: Mapping[str, Any], seed: int) -> dict[str, Any]:
    """One seed of one grid point of :func:`sweep`: ``test_error`` (and ``max_angle_deg`` for the network).

    A pure function of ``task`` (JSON settings) and ``seed``.
    """
    with threadpool_limits(limits=1, user_api="blas"):  # one BLAS thread: the same bits on every executor
        t = MultiIndexTarget.default(task["d"], task["r"], task["p"], seed=seed, quad_weight=task["quad_weight"])
        if task["method"] == "network":
            run = run_network(t, task["n"], task["m"], seed, task["n_test"], task["labels"])
            ang = None if run.max_angle_deg is None else float(run.max_angle_deg)
            return {"test_error": float(run.test_error), "max_angle_deg": ang}
        return {"test_error": float(run_kernel(t, task["n"], seed, task["n_test"], labels=task["labels"]).test_error)}


def _geom(lo: int, hi: int) -> list[int]:
    out = []
    k = 0
    while True:
        n = int(round(lo * 2 ** (k / 2)))
        if n > hi:
            break
        out.append(n)
        k += 1
    return out or [lo]
