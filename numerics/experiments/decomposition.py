"""End-to-end against decomposition on a product of k tasks (Shalev-Shwartz, Shamir, Shammah 2017, Sec. 3).

Image family (one image; ``G = grid``, defaults in brackets)
------------------------------------------------------------
A ``G x G`` grid [8 x 8] of pixels with centres ``q = (u + 1/2, v + 1/2)``, ``u, v in {0..G-1}``
(flattened row-major, index ``v G + u``). A label ``f in {+1, -1}`` is drawn by a fair coin; the angle
is ``theta = margin + U (pi/2 - 2 margin)`` plus ``pi/2`` if ``f = -1``, with ``U ~ U[0, 1)``, so
``theta ~ U([margin, pi/2 - margin] u [pi/2 + margin, pi - margin])`` and ``f = +1`` iff
``theta in [0, pi/2)`` (the orientation label of the paper). ``margin`` [pi/12 = 15 deg] keeps the two
classes apart: at ``theta = 0`` and ``theta = pi`` (and around ``pi/2``) the images coincide, so with
``margin = 0`` no predictor is exact and the product of ``k = 20`` labels would be near chance for any
method. The segment has centre ``m = (G/2, G/2) + o``, ``o ~ U[-offset, offset]^2`` [offset 1],
direction ``(cos theta, sin theta)`` and half-length ``half_length`` [3], and the pixel value is
``s max(0, 1 - dist(q, segment) / width) + sigma Z_q`` [width 1, sigma 0.1], ``Z_q ~ N(0, 1)`` i.i.d.,
with the contrast polarity ``s = +-1`` a fair coin independent of the rest (a bright or a dark line;
``polarity=False``: ``s = 1``). The polarity makes ``E[x | f]`` the same (zero line) for both labels,
so no linear function of the pixels carries the label: a random initial network is only weakly
correlated with ``f``, the regime of the paper's argument. (Without it, a random network's output
already correlates with the orientation through the class-mean images, and end-to-end training at
the claims' budget of 400 steps escaped its plateau in 4 of 30 seeds measured at ``k = 12``.)

Task. A tuple is ``k`` i.i.d. images ``x_1..x_k`` with labels ``f_1..f_k``; its label is
``y = f_1 f_2 ... f_k`` (the product, i.e. the XOR of the orientation bits).

Network. One shared per-image MLP ``g(x) = a . relu(W x + b) + c`` (``width`` [32] hidden units; init
``W ~ N(0, 2/G^2)``, ``b = 0``, ``a ~ N(0, 1/width)``, ``c = 0``), and the product head
``p(x_1..x_k) = prod_j tanh(g(x_j))``; the prediction of either arm is ``sign(p)``.

Training (both arms: the same ``steps`` [1500] Adam steps, lr [0.01], betas (0.9, 0.999), eps 1e-8,
on the same fresh batches of ``batch`` [32] tuples, i.e. the same budget of ``steps * batch`` tuples
= ``steps * batch * k`` images, and the same initial weights):

- **end-to-end**: square loss ``(p - y)^2 / 2`` on the tuple label only;
- **decomposition**: logistic loss ``log(1 + exp(-f_j g(x_j)))`` on every image's own label (the
  intermediate supervision), then combined by the same product head.

Outcome: accuracy of ``sign(p)`` on ``n_test`` [2000] fresh tuples (ties ``p = 0`` count as errors).

Gradient signal-to-noise ratio (:func:`gradient_snr`). ``H_k = {y_S = prod_{j in S} f_j : S subset [k]}``,
the ``2^k`` labelings of a tuple that the per-image labels express. With balanced ``f`` they are
orthonormal (``E[y_S y_T] = 1[S = T]``), so Bessel's inequality gives the bound checked by
``sss.gradient_variance`` (Shalev-Shwartz et al. 2017, Thm 1):
``|H_k| Var_{S} ||grad F_S - mean||^2 <= G^2 = E ||grad_w p||^2``, with ``F_S(w) = E[(p_w - y_S)^2 / 2]``.
So ``SNR(k) = Var_S / G^2 <= 2^{-k}``. It is computed exactly (up to float rounding) for the
*empirical product measure*: ``n_images`` images, half of each label (so ``E f = 0`` exactly),
tuples drawn as ``k`` independent uniform picks among them. By independence across the ``k`` slots,
``grad F_S`` only needs the per-image moments (see :func:`gradient_snr`), so ``k = 20`` costs the
same as ``k = 1``, and Bessel holds exactly for the plug-in values.

Randomness: every draw comes from ``generator(seed, Purpose.DECOMP_*, k, ...)`` (the RNG registry);
a run is a pure function of its arguments, computed with BLAS pinned to one thread (the same bits on
every executor and at any thread count).

References
----------
S. Shalev-Shwartz, O. Shamir, S. Shammah (2017), "Failures of Gradient-Based Deep Learning", ICML 2017,
arXiv 1703.07950, Sec. 3 (decomposition vs end-to-end) and Thm 1 (the variance bound).

Examples
--------
>>> X, f = sample_images(4, np.random.default_rng(0))
>>> X.shape, sorted(set(f.tolist())) <= [-1, 1]
((4, 64), True)
>>> r = train_arm("decomposition", k=2, seed=0, steps=150, n_test=500)
>>> r.accuracy > 0.8
True
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from featurecheck.numerics._kernels.decomposition import render_lines
from featurecheck.numerics._kernels.rng import Purpose, generator
from featurecheck.theory._validate import check_int, check_real

__all__ = ["ImageFamily", "sample_images", "example_images", "Net", "init_net", "train_arm", "RunResult", "ARMS", "loss_grads", "LABELS",
           "gradient_snr", "SNR", "snr_curve", "fit_rate", "run_task", "per_image_accuracy", "sweep", "snr_rows"]

#: The two training arms.
ARMS = ("end-to-end", "decomposition")
#: Training labels: the images' orientation labels, or labels independent of the images (control).
LABELS = ("orientation", "random")


@dataclass(frozen=True)
class ImageFamily:
    """The image family of the module docstring (all lengths in pixels, angles in radians)."""

    grid: int = 8
    half_length: float = 3.0
    offset: float = 1.0
    width: float = 1.0
    noise: float = 0.1
    margin: float = math.pi / 12
    polarity: bool = True

    def __post_init__(self) -> None:
        check_int("grid", self.grid, 4, 64)
        check_real("half_length", self.half_length, 0.5, 64, exact=False)
        check_real("offset", self.offset, 0, 32, exact=False)
        check_real("width", self.width, 0.1, 16, exact=False)
        check_real("noise", self.noise, 0, 10, exact=False)
        check_real("margin", self.margin, 0, math.pi / 4, exact=False)

    @property
    def dim(self) -> int:
        """Number of pixels ``grid^2``, the input dimension of an image."""
        return self.grid * self.grid


def sample_images(n: int, rng: np.random.Generator, family: ImageFamily = ImageFamily(),
                  labels: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """``n`` images of ``family`` and their orientation labels ``f`` (``+1`` iff ``theta < pi/2``).

    Draw order from ``rng``: labels (fair coins, unless ``labels`` is given), ``U``, the offsets, the
    polarities (if ``family.polarity``), the noise.

    Examples
    --------
    >>> X, f = sample_images(2, np.random.default_rng(1), ImageFamily(noise=0.0), labels=np.array([1, -1]))
    >>> X.shape, f.tolist(), bool(np.abs(X).max() <= 1.0)
    ((2, 64), [1, -1], True)
    """
    n = check_int("n", n, 1, 1 << 26)
    G = family.grid
    if labels is None:
        f = np.where(rng.integers(0, 2, size=n) == 1, 1, -1).astype(np.int64)
    else:
        f = np.asarray(labels, dtype=np.int64)
        if f.shape != (n,) or not np.all(np.abs(f) == 1):
            raise ValueError(f"labels must be n={n} values in {{-1, +1}}, got shape {f.shape}")
    u = rng.random(n)
    theta = family.margin + u * (math.pi / 2 - 2 * family.margin) + np.where(f < 0, math.pi / 2, 0.0)
    off = rng.uniform(-family.offset, family.offset, size=(n, 2)) if family.offset > 0 else np.zeros((n, 2))
    cx, cy = G / 2 + off[:, 0], G / 2 + off[:, 1]
    X = np.empty((n, G * G))
    render_lines(theta, cx, cy, np.int64(G), np.float64(family.half_length), np.float64(family.width), X)
    if family.polarity:
        X *= np.where(rng.integers(0, 2, size=n) == 1, 1.0, -1.0)[:, None]
    if family.noise > 0:
        X = X + family.noise * rng.standard_normal((n, G * G))
    return X, f


def example_images(n: int, seed: int, family: ImageFamily = ImageFamily()) -> tuple[np.ndarray, np.ndarray]:
    """``n`` images of ``family`` with their labels from the stream ``(seed, DECOMP_IMAGES)`` (figures, inspection).

    Examples
    --------
    >>> X, f = example_images(3, 0)
    >>> X.shape, bool(np.array_equal(X, example_images(3, 0)[0]))
    ((3, 64), True)
    """
    return sample_images(n, generator(check_int("seed", seed, 0, 2**63 - 1), Purpose.DECOMP_IMAGES), family)


@dataclass
class Net:
    """Weights of the per-image MLP ``g(x) = a . relu(W x + b) + c`` (float64)."""

    W: np.ndarray
    b: np.ndarray
    a: np.ndarray
    c: np.ndarray

    def params(self) -> list[np.ndarray]:
        """Return the weight arrays ``[W, b, a, c]`` themselves (not copies; the optimiser updates them in place)."""
        return [self.W, self.b, self.a, self.c]

    @property
    def n_params(self) -> int:
        """Total number of weights and biases."""
        return sum(p.size for p in self.params())

    def forward(self, X: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(g, Z, H)``: outputs, pre-activations and hidden activations."""
        Z = X @ self.W.T + self.b
        H = np.maximum(Z, 0.0)
        return H @ self.a + self.c[0], Z, H

    def backward(self, X: np.ndarray, Z: np.ndarray, H: np.ndarray, delta: np.ndarray) -> list[np.ndarray]:
        """Gradients of ``sum_i delta_i g(x_i)`` with respect to ``(W, b, a, c)`` (ReLU'(0) = 0)."""
        dZ = (delta[:, None] * self.a[None, :]) * (Z > 0)
        return [dZ.T @ X, dZ.sum(axis=0), H.T @ delta, np.array([delta.sum()])]


def init_net(dim: int, width: int, rng: np.random.Generator) -> Net:
    """``W ~ N(0, 2/dim)``, ``b = 0``, ``a ~ N(0, 1/width)``, ``c = 0``.

    Examples
    --------
    >>> init_net(64, 32, np.random.default_rng(0)).n_params
    2113
    """
    W = rng.standard_normal((width, dim)) * math.sqrt(2.0 / dim)
    a = rng.standard_normal(width) / math.sqrt(width)
    return Net(W, np.zeros(width), a, np.zeros(1))


def _pinned() -> Any:
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=1, user_api="blas")


def _tuple_grad_factor(T: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``p = prod_j T[:, j]`` and ``dp/dT[:, j] = prod_{i != j} T[:, i]`` by prefix/suffix products."""
    B, k = T.shape
    pre = np.ones((B, k + 1))
    suf = np.ones((B, k + 1))
    for j in range(k):
        pre[:, j + 1] = pre[:, j] * T[:, j]
        suf[:, k - 1 - j] = suf[:, k - j] * T[:, k - 1 - j]
    return pre[:, k], pre[:, :k] * suf[:, 1:]


def loss_grads(net: Net, arm: str, X: np.ndarray, f: np.ndarray, k: int) -> tuple[float, list[np.ndarray]]:
    """Mean loss of one batch and its gradients with respect to ``(W, b, a, c)``.

    ``X`` holds ``B k`` images, tuple ``i`` being rows ``i k .. i k + k - 1``, and ``f`` their labels.
    ``end-to-end``: ``mean_i (p_i - y_i)^2 / 2`` with ``p_i = prod_j tanh g(x_ij)`` and ``y_i = prod_j f_ij``;
    ``decomposition``: ``mean_{i,j} log(1 + exp(-f_ij g(x_ij)))``.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> X, f = sample_images(6, rng)
    >>> loss, grads = loss_grads(init_net(64, 4, rng), "end-to-end", X, f, 3)
    >>> [g.shape for g in grads]
    [(4, 64), (4,), (4,), (1,)]
    """
    n = X.shape[0]
    if n % k:
        raise ValueError(f"X must hold a multiple of k={k} images, got {n}")
    g, Z, H = net.forward(X)
    if arm == "end-to-end":
        batch = n // k
        y = f.reshape(batch, k).prod(axis=1)
        T = np.tanh(g).reshape(batch, k)
        p, dp = _tuple_grad_factor(T)
        loss = float(np.mean((p - y) ** 2) / 2)
        delta = (((p - y) / batch)[:, None] * dp * (1.0 - T * T)).ravel()
    elif arm == "decomposition":
        loss = float(np.mean(np.logaddexp(0.0, -f * g)))
        # d/dg log(1 + exp(-f g)) = -f sigmoid(-f g), averaged over the images
        delta = -f / (1.0 + np.exp(f * g)) / n
    else:
        raise ValueError(f"arm must be one of {list(ARMS)}, got {arm!r}")
    return loss, net.backward(X, Z, H, delta)


@dataclass(frozen=True)
class RunResult:
    """One training run: its test accuracy and per-image accuracy of ``sign(g)`` (same test tuples)."""

    arm: str
    k: int
    seed: int
    accuracy: float
    image_accuracy: float
    settings: dict[str, Any] = field(default_factory=dict)


def train_arm(arm: str, k: int, seed: int, *, steps: int = 1500, batch: int = 32, width: int = 32,
              lr: float = 0.01, n_test: int = 2000, labels: str = "orientation",
              family: ImageFamily = ImageFamily()) -> RunResult:
    """Train one arm on ``k``-tuples and return its test accuracy (module docstring).

    Parameters
    ----------
    arm : {"end-to-end", "decomposition"}
    k : int
        Images per tuple, ``1 <= k <= 64``.
    seed : int
        Keys the init (``DECOMP_INIT``), the training batches (``DECOMP_BATCHES``), the test tuples
        (``DECOMP_TEST``) and the random labels (``DECOMP_LABELINGS``), each with ``k``; both arms at the
        same ``(k, seed)`` start from the same weights and see the same images.
    steps, batch, width, lr, n_test : training budget and network (module docstring).
    labels : {"orientation", "random"}
        ``random``: the training labels ``f_j`` are fair coins independent of the images (a negative
        control); the test tuples keep their true labels.

    Examples
    --------
    >>> train_arm("end-to-end", 1, 0, steps=150, n_test=500).accuracy > 0.8
    True
    """
    if arm not in ARMS:
        raise ValueError(f"arm must be one of {list(ARMS)}, got {arm!r}")
    if labels not in LABELS:
        raise ValueError(f"labels must be one of {list(LABELS)}, got {labels!r}")
    k = check_int("k", k, 1, 64)
    seed = check_int("seed", seed, 0, 2**63 - 1)
    steps = check_int("steps", steps, 1, 10**7)
    batch = check_int("batch", batch, 1, 1 << 14)
    width = check_int("width", width, 1, 4096)
    n_test = check_int("n_test", n_test, 1, 1 << 20)
    lr = float(check_real("lr", lr, 0, 10, exact=False))
    with _pinned():
        net = init_net(family.dim, width, generator(seed, Purpose.DECOMP_INIT, k))
        data = generator(seed, Purpose.DECOMP_BATCHES, k)
        noise = generator(seed, Purpose.DECOMP_LABELINGS, k)
        m1 = [np.zeros_like(p) for p in net.params()]
        m2 = [np.zeros_like(p) for p in net.params()]
        b1, b2, eps = 0.9, 0.999, 1e-8
        n_img = batch * k
        for t in range(1, steps + 1):
            X, f = sample_images(n_img, data, family)
            if labels == "random":
                f = np.where(noise.integers(0, 2, size=n_img) == 1, 1, -1)
            grads = loss_grads(net, arm, X, f, k)[1]
            c1, c2 = 1.0 - b1**t, 1.0 - b2**t
            for P, G_, M1, M2 in zip(net.params(), grads, m1, m2, strict=True):
                M1 *= b1
                M1 += (1 - b1) * G_
                M2 *= b2
                M2 += (1 - b2) * G_ * G_
                P -= lr * (M1 / c1) / (np.sqrt(M2 / c2) + eps)
        Xt, ft = sample_images(n_test * k, generator(seed, Purpose.DECOMP_TEST, k), family)
        gt = net.forward(Xt)[0]
    yt = ft.reshape(n_test, k).prod(axis=1)
    pt = np.tanh(gt).reshape(n_test, k).prod(axis=1)
    acc = float(np.mean(np.sign(pt) == yt))
    img = float(np.mean(np.sign(gt) == ft))
    return RunResult(arm, k, seed, acc, img, {"steps": steps, "batch": batch, "width": width, "lr": lr,
                                              "n_test": n_test, "labels": labels})


def per_image_accuracy(accuracy_of_product: float, k: int) -> float:
    """Per-image accuracy ``q`` whose independent errors give tuple accuracy ``(1 + (2q - 1)^k) / 2``.

    Examples
    --------
    >>> round(per_image_accuracy(0.9, 20), 4)
    0.9945
    """
    return (1.0 + (2.0 * accuracy_of_product - 1.0) ** (1.0 / k)) / 2.0


def run_task(settings: Mapping[str, Any], seed: int) -> dict[str, Any]:
    """Executor task: one ``(arm, k, seed)`` run (:func:`featurecheck.numerics.experiments.execute.run_tasks`)."""
    import time

    t0 = time.perf_counter()
    s = dict(settings)
    arm, k = s.pop("arm"), s.pop("k")
    r = train_arm(arm, k, seed, **s)
    return {"arm": arm, "k": k, "seed": seed, "accuracy": r.accuracy, "image_accuracy": r.image_accuracy,
            "seconds": time.perf_counter() - t0}


# ----------------------------------------------------------------- gradient SNR at initialisation

@dataclass(frozen=True)
class SNR:
    """Gradient variance across the ``2^k`` labelings ``H_k`` at one network, on the empirical product measure.

    ``variance`` is ``Var_S ||grad F_S - mean||^2``, ``g2`` is ``G^2 = E||grad p||^2``,
    ``bessel = 2^k variance / G^2`` (``<= 1`` by Bessel's inequality) and ``snr = variance / G^2``.
    """

    k: int
    variance: float
    g2: float

    @property
    def snr(self) -> float:
        """Signal-to-noise ratio ``variance / G^2``."""
        return self.variance / self.g2

    @property
    def bessel(self) -> float:
        """Bessel ratio ``2^k variance / G^2`` (``<= 1``)."""
        return self.variance * 2.0**self.k / self.g2


def _moments(net: Net, X: np.ndarray, f: np.ndarray) -> dict[str, Any]:
    """Per-image moments under the empirical measure of ``X`` (module docstring of :func:`gradient_snr`)."""
    n = X.shape[0]
    g, Z, H = net.forward(X)
    t = np.tanh(g)
    tp = 1.0 - t * t

    def mean_grad(w: np.ndarray) -> np.ndarray:
        return np.concatenate([q.ravel() for q in net.backward(X, Z, H, w / n)])

    mask = (Z > 0).astype(float)
    am2 = (mask * net.a[None, :] ** 2).sum(axis=1)  # ||a * relu'(z)||^2
    grad_sq = am2 * (np.einsum("ij,ij->i", X, X) + 1.0) + np.einsum("ij,ij->i", H, H) + 1.0  # ||grad g(x)||^2
    return {"a": float(t.mean()), "b": float((f * t).mean()), "c2": float((t * t).mean()),
            "A": mean_grad(tp), "B": mean_grad(f * tp), "C": mean_grad(t * tp),
            "D": float((tp * tp * grad_sq).mean())}


def gradient_snr(net: Net, X: np.ndarray, f: np.ndarray, ks: Sequence[int]) -> list[SNR]:
    """Exact gradient variance across ``H_k`` and ``G^2`` for the empirical product measure of ``(X, f)``.

    Parameters
    ----------
    net : Net
        The per-image network (the end-to-end model is ``p = prod_j tanh(g(x_j))``).
    X, f : arrays
        ``n`` images and their labels; ``f`` must be balanced (``sum f = 0``) so that ``H_k`` is orthonormal.
    ks : sequence of int
        Tuple sizes.

    Notes
    -----
    A tuple is ``k`` independent uniform picks among the ``n`` images. With ``t = tanh g``,
    ``t' = 1 - t^2``, ``grad p = sum_j (prod_{i != j} t_i) t'_j grad g(x_j)`` and independence across
    slots, the per-labeling gradient ``g_S = E[y_S grad p]`` depends on ``s = |S|`` only:
    ``g_s = s b^{s-1} a^{k-s} B + (k - s) b^s a^{k-s-1} A`` with ``a = E t``, ``b = E f t``,
    ``A = E t' grad g``, ``B = E f t' grad g``; and
    ``G^2 = k c^{k-1} D + k (k-1) c^{k-2} ||C||^2`` with ``c = E t^2``, ``D = E t'^2 ||grad g||^2``,
    ``C = E t t' grad g``. Since ``grad F_S = E[p grad p] - g_S``, the variance across ``S`` is
    ``2^{-k} sum_s C(k, s) ||g_s - gbar||^2`` with ``gbar = 2^{-k} sum_s C(k, s) g_s``.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> X, f = sample_images(512, rng, labels=np.repeat([1, -1], 256))
    >>> out = gradient_snr(init_net(64, 8, rng), X, f, [1, 4])
    >>> all(s.bessel <= 1 for s in out), out[1].snr < out[0].snr
    (True, True)
    """
    f = np.asarray(f)
    if int(f.sum()) != 0:
        raise ValueError(f"f must be balanced (sum f = 0) for H_k to be orthonormal, got sum f = {int(f.sum())}")
    with _pinned():
        m = _moments(net, X, f)
    a, b, c2, D = m["a"], m["b"], m["c2"], m["D"]
    A, B, C = m["A"], m["B"], m["C"]
    out = []
    for k in ks:
        k = check_int("k", k, 1, 512)
        gs = []
        for s in range(k + 1):
            v = np.zeros_like(A)
            if s >= 1:
                v = v + s * b ** (s - 1) * a ** (k - s) * B
            if s <= k - 1:
                v = v + (k - s) * b**s * a ** (k - s - 1) * A
            gs.append(v)
        w = np.array([math.comb(k, s) / 2.0**k for s in range(k + 1)])
        gbar = sum(wi * gi for wi, gi in zip(w, gs, strict=True))
        var = float(sum(wi * float(np.dot(gi - gbar, gi - gbar)) for wi, gi in zip(w, gs, strict=True)))
        g2 = k * c2 ** (k - 1) * D + (k * (k - 1) * c2 ** (k - 2) * float(np.dot(C, C)) if k >= 2 else 0.0)
        out.append(SNR(k, var, g2))
    return out


def snr_curve(ks: Sequence[int], seed: int, *, width: int = 32, n_images: int = 8192,
              family: ImageFamily = ImageFamily(), labels: str = "orientation") -> list[SNR]:
    """:func:`gradient_snr` at the initial network of ``seed`` on ``n_images`` balanced images.

    The network is ``init_net(..., generator(seed, DECOMP_SNR, 0))`` and the images come from
    ``generator(seed, DECOMP_SNR, 1)`` (half of each label). ``labels="random"`` replaces ``f`` by a
    balanced labeling independent of the images (``generator(seed, DECOMP_SNR, 2)``): still orthonormal.

    Examples
    --------
    >>> c = snr_curve([1, 2, 3], 0, n_images=1024)
    >>> [s.k for s in c], all(s.bessel <= 1 for s in c)
    ([1, 2, 3], True)
    """
    if labels not in LABELS:
        raise ValueError(f"labels must be one of {list(LABELS)}, got {labels!r}")
    n_images = check_int("n_images", n_images, 2, 1 << 22)
    if n_images % 2:
        raise ValueError(f"n_images must be an even integer in [2, {1 << 22}], got {n_images}")
    seed = check_int("seed", seed, 0, 2**63 - 1)
    width = check_int("width", width, 1, 4096)
    net = init_net(family.dim, width, generator(seed, Purpose.DECOMP_SNR, 0))
    X, f = sample_images(n_images, generator(seed, Purpose.DECOMP_SNR, 1), family,
                         labels=np.repeat([1, -1], n_images // 2))
    if labels == "random":
        f = generator(seed, Purpose.DECOMP_SNR, 2).permutation(f)
    return gradient_snr(net, X, f, ks)


def fit_rate(ks: Sequence[int], snrs: Sequence[float]) -> float:
    """Least-squares decay rate ``r`` of ``log SNR(k) ~ const - r k`` (natural log, per unit k).

    Examples
    --------
    >>> round(fit_rate([1, 2, 3], [0.5, 0.25, 0.125]), 6) == round(math.log(2), 6)
    True
    """
    x = np.asarray(ks, dtype=float)
    y = np.log(np.asarray(snrs, dtype=float))
    if x.size < 2 or np.ptp(x) == 0:
        raise ValueError(f"ks must hold two or more distinct values, got {list(ks)}")
    return float(-np.polyfit(x, y, 1)[0])


# ----------------------------------------------------------------- sweeps (the CLI)

def sweep(ks: Sequence[int], arms: Sequence[str], seeds: int, settings: dict[str, Any] | None = None, *,
          alpha: float = 0.05, workers: int | None = None, scheduler: str | None = None, store: str | None = None,
          progress: bool = True) -> list[dict[str, Any]]:
    """One row per ``(k, arm)``: the median test accuracy over seeds ``0..seeds-1``, its interval and the values.

    The runs go through :func:`featurecheck.numerics.experiments.execute.run_tasks` (in-process or on a
    Dask cluster, with an optional results store); ``settings`` are :func:`train_arm` keywords. The
    interval is the order-statistic ``1 - alpha`` interval of the median
    (:func:`featurecheck.numerics.estimators.seeds.median_interval`).

    Examples
    --------
    >>> rows = sweep([1], ["decomposition"], 2, {"steps": 50, "n_test": 100}, progress=False)
    >>> [(r["k"], r["arm"], len(r["values"])) for r in rows]
    [(1, 'decomposition', 2)]
    """
    from featurecheck.numerics.estimators.seeds import median_interval
    from featurecheck.numerics.experiments.execute import run_tasks

    for arm in arms:
        if arm not in ARMS:
            raise ValueError(f"arm must be one of {list(ARMS)}, got {arm!r}")
    seeds = check_int("seeds", seeds, 1, 100_000)
    base = dict(settings or {})
    tasks = [({**base, "arm": arm, "k": int(k)}, s) for k in ks for arm in arms for s in range(seeds)]
    res = run_tasks(run_task, "decomposition", tasks, workers=workers, scheduler=scheduler, store=store,
                    progress=progress)
    rows = []
    for k in ks:
        for arm in arms:
            vals = [r["accuracy"] for r in res if r["k"] == k and r["arm"] == arm]
            img = [r["image_accuracy"] for r in res if r["k"] == k and r["arm"] == arm]
            med, (lo, hi) = median_interval(vals, alpha)
            rows.append({"k": int(k), "arm": arm, "median": med, "median_interval": [lo, hi], "alpha": alpha,
                         "values": vals, "image_accuracy": img})
    return rows


def snr_rows(ks: Sequence[int], seeds: int, *, width: int = 32, n_images: int = 8192, alpha: float = 0.05,
             family: ImageFamily = ImageFamily()) -> dict[str, Any]:
    """Build the SNR table: per ``k`` the median ``SNR(k)`` over seeds with its interval, Bessel ratios, and the rate.

    Returns ``{"rows": [...], "rate": {...}}``; ``rate`` holds the per-seed fitted rates (:func:`fit_rate`),
    their median and order-statistic ``1 - alpha`` interval, and ``ln 2`` (the rate of Bessel's envelope
    ``2^-k``).

    Examples
    --------
    >>> out = snr_rows([1, 2, 4], 2, n_images=512)
    >>> [r["k"] for r in out["rows"]], out["rate"]["median"] > 0
    ([1, 2, 4], True)
    """
    from featurecheck.numerics.estimators.seeds import median_interval

    seeds = check_int("seeds", seeds, 1, 100_000)
    curves = [snr_curve(ks, s, width=width, n_images=n_images, family=family) for s in range(seeds)]
    rows = []
    for i, k in enumerate(ks):
        vals = [c[i].snr for c in curves]
        med, (lo, hi) = median_interval(vals, alpha)
        rows.append({"k": int(k), "median_snr": med, "median_interval": [lo, hi], "values": vals,
                     "bessel": [c[i].bessel for c in curves], "bound": 2.0 ** (-k)})
    rates = [fit_rate(ks, [s.snr for s in c]) for c in curves] if len(set(ks)) >= 2 else []
    rate: dict[str, Any] = {"values": rates, "ln2": math.log(2), "alpha": alpha}
    if rates:
        med, (lo, hi) = median_interval(rates, alpha)
        rate.update({"median": med, "median_interval": [lo, hi]})
    return {"rows": rows, "rate": rate}
