"""Online SGD of a two-layer network on sparse Boolean targets (Barak et al. 2022, Sec. 3).

The network (``SGDConfig.structure``) is, on ``x`` uniform in ``{-1,1}^n``:

- ``"mlp"``: the two-layer network ``f(x) = c + sum_{j<r} a_j sigma(w_j . x + b_j)``;
- ``"neuron"``: one neuron ``f(x) = sigma(w . x + b)`` (width 1, no second layer);
- ``"polynet"``: the disjoint PolyNet ``f(x) = prod_{j<r} <w_j, x_{P_j}>`` with the interleaved blocks
  ``P_j = {i : i mod r = j}`` (Barak et al. 2022, Sec. 4.3 and App. D.1.7; the parity's support must
  meet every block once, as there), no biases;

trained by plain SGD (PyTorch ``torch.optim.SGD`` semantics, weight decay included in the gradient) on
a fresh batch at every step. The target is any sparse Fourier expansion ``sum_T c_T chi_{S_T}(x)``:
a k-parity, a staircase, or any list of ``(coefficient, subset)`` terms.

Public API
----------
- :class:`Target`: ``Target.parity(n, k)``, ``Target.staircase(n, k)``, ``Target(n, terms)``.
- :class:`SGDConfig`: every training option (architecture, width, batch, lr, weight decay, loss,
  activation, init, biases, trainable second layer, dtype, step cap, check schedule, recording).
- :data:`ARCHITECTURES`, :func:`architecture`: the four networks of Barak et al.'s Fig. 1
  (``relu-mlp``, ``xk-mlp``, ``sin-neuron``, ``polynet``) as SGDConfig settings.
- :func:`train` ``(target, config, seed) -> RunResult``: one run, a pure function of its inputs.
- :func:`init_params`, :func:`batch`: the exact initial weights and batches a run uses (for
  cross-checks against other frameworks).
- :func:`neuron_fourier`, :func:`fourier_gaps`: exact Walsh coefficients ``hat T_j(S xor {i})`` of
  each neuron's threshold function ``T_j(x) = 1[w_j . x + b_j > 0]`` by enumeration (``n <= 20``).

Conventions
-----------
- Bit order and signs as everywhere in featurecheck: a set bit means ``x_i = -1``; coordinate ``i``
  is bit ``i``. Subsets are 0-based.
- Losses are batch means of: hinge ``max(0, 1 - y f)`` (gradient ``-y`` iff ``y f < 1``), square
  ``(f - y)^2`` (like ``nn.MSELoss``), logistic ``log(1 + e^{-y f})``, correlation ``-y f``.
- ReLU'(0) = 0 (as in PyTorch). ``activation="poly"`` is ``sigma(z) = z^power``; ``"sin"`` is ``sin z``.
- Accuracy: for ±1-valued labels (a single term with coefficient ±1, or ``sign_labels=True``) a sample
  is correct iff ``y f > 0`` (``f = 0`` is wrong); for real-valued targets iff ``|f - y| < 1/2``.
- Convergence (Barak et al. 2022, Sec. 3): 100% accuracy on a fresh validation batch of
  ``n_valid = 2^13`` samples. ``t_c`` is the number of SGD steps taken when it first holds, checked on
  a schedule: by default every step up to 1,000, every 10 steps up to 10,000, then every 100
  (``t_c`` is exact up to 1,000 and rounded up by less than 1% beyond). A run that has not
  converged by ``max_steps`` reports ``t_c = None``.
- Randomness (streams of :class:`featurecheck.numerics._kernels.rng.Purpose`): the initial weights come
  from ``generator(seed, Purpose.SGD_INIT)``; the batch of step ``t`` is chunk ``t`` of the
  counter-based stream ``stream_key(seed, Purpose.SGD_BATCH)``, validation batches use
  ``Purpose.SGD_VALID`` and the measurement batch ``Purpose.SGD_MEASURE``. Results depend only on
  (target, config, seed), never on the thread count.

References
----------
B. Barak, B. L. Edelman, S. Goel, S. Kakade, E. Malach, C. Zhang, "Hidden Progress in Deep Learning:
SGD Learns Parities Near the Computational Limit", NeurIPS 2022 (arXiv 2207.08799), Sec. 3 (setup,
convergence criterion, hidden progress ``||w_t - w_0||_inf``) and Sec. 4.1 (Fourier gap).

Examples
--------
>>> res = train(Target.parity(10, 2), SGDConfig(width=50, max_steps=3000), seed=0)
>>> res.converged, res.t_c == res.steps
(True, True)
>>> train(Target.parity(10, 2), SGDConfig(width=50, max_steps=3000), seed=0).t_c == res.t_c
True
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from featurecheck.numerics._kernels import sgd as K
from featurecheck.numerics._kernels.rng import Purpose, generator, stream_key
from featurecheck.theory._validate import check_int, check_real, check_subset

__all__ = [
    "Target",
    "SGDConfig",
    "RunResult",
    "train",
    "init_params",
    "batch",
    "neuron_fourier",
    "fourier_gaps",
    "check_steps",
    "LOSSES",
    "ACTIVATIONS",
    "STRUCTURES",
    "ARCHITECTURES",
    "architecture",
    "INITS",
    "DEFAULT_SCHEDULE",
    "MAX_N",
    "MAX_GAP_N",
    "PAR_BLOCKS",
]

LOSSES = ("hinge", "square", "logistic", "correlation")
ACTIVATIONS = ("relu", "poly", "sin")
STRUCTURES = ("mlp", "neuron", "polynet")
INITS = ("uniform", "gaussian", "sign")
MAX_N = 4096
MAX_GAP_N = 20
#: maximal number of hidden-unit blocks of a parallel step (fixed, independent of the thread count)
PAR_BLOCKS = 8
#: ((until, every), ...): check every ``every`` steps while ``t <= until``.
DEFAULT_SCHEDULE: tuple[tuple[int, int], ...] = ((1000, 1), (10_000, 10), (2**62, 100))

#: The networks of Barak et al. 2022, Fig. 1 (right), as :class:`SGDConfig` settings; ``"k"`` stands
#: for the parity size of the run (``xk-mlp`` uses ``z^k``; ``polynet`` has one block per relevant bit).
ARCHITECTURES: dict[str, dict[str, Any]] = {
    "relu-mlp": {"structure": "mlp", "activation": "relu"},
    "xk-mlp": {"structure": "mlp", "activation": "poly", "power": "k"},
    "sin-neuron": {"structure": "neuron", "activation": "sin", "width": 1},
    "polynet": {"structure": "polynet", "width": "k", "bias": False},
}


def architecture(name: str, k: int) -> dict[str, Any]:
    """SGDConfig settings of the Fig. 1 network ``name`` for a ``k``-parity.

    Examples
    --------
    >>> architecture("xk-mlp", 3)
    {'structure': 'mlp', 'activation': 'poly', 'power': 3}
    >>> SGDConfig(**architecture("polynet", 4)).width
    4
    """
    if name not in ARCHITECTURES:
        raise ValueError(f"arch must be one of {list(ARCHITECTURES)}, got {name!r}")
    k = check_int("k", k, 1, 8 if name == "xk-mlp" else MAX_N)
    return {key: (k if v == "k" else v) for key, v in ARCHITECTURES[name].items()}


def _mask_words(S: Iterable[int], nw: int) -> np.ndarray:
    out = np.zeros(nw, dtype=np.uint64)
    for i in S:
        out[i >> 6] |= np.uint64(1 << (i & 63))
    return out


@dataclass(frozen=True)
class Target:
    """A sparse Fourier expansion ``y(x) = sum_T c_T chi_{S_T}(x)`` on ``{-1,1}^n``.

    Parameters
    ----------
    n : int
        Input dimension, ``1 <= n <= 4096``.
    terms : sequence of (coefficient, subset)
        The monomials; subsets are 0-based coordinate lists (duplicates rejected).
    sign_labels : bool
        Train on ``sign(y)`` (with sign(0) = +1) instead of ``y``.

    Examples
    --------
    >>> Target.parity(20, 3).terms
    ((1.0, (0, 1, 2)),)
    >>> Target.staircase(10, 3).terms
    ((1.0, (0,)), (1.0, (0, 1)), (1.0, (0, 1, 2)))
    >>> Target.parity(20, 3).boolean, Target.staircase(10, 3).boolean
    (True, False)
    """

    n: int
    terms: tuple[tuple[float, tuple[int, ...]], ...]
    sign_labels: bool = False

    def __post_init__(self) -> None:
        n = check_int("n", self.n, 1, MAX_N)
        terms = []
        if len(self.terms) == 0:
            raise ValueError("terms must contain at least one (coefficient, subset) pair, got none")
        for item in self.terms:
            try:
                coef, S = item
            except (TypeError, ValueError):
                raise ValueError(f"each term must be a (coefficient, subset) pair, got {item!r}") from None
            cf = float(check_real("coefficient", coef))
            s = tuple(int(i) for i in check_subset("S", S, n))
            terms.append((cf, tuple(sorted(s))))
        object.__setattr__(self, "n", n)
        object.__setattr__(self, "terms", tuple(terms))

    @staticmethod
    def parity(n: int, S: int | Iterable[int]) -> Target:
        """``chi_S``; an int ``S = k`` means ``S = {0, ..., k-1}``."""
        n = check_int("n", n, 1, MAX_N)
        if isinstance(S, (int, np.integer)):
            k = check_int("k", S, 0, n)
            S = range(k)
        return Target(n, ((1.0, tuple(S)),))

    @staticmethod
    def staircase(n: int, k: int) -> Target:
        """``x_0 + x_0 x_1 + ... + x_0 ... x_{k-1}`` (Abbe, Boix-Adsera, Misiakiewicz 2023: leap 1)."""
        n = check_int("n", n, 1, MAX_N)
        k = check_int("k", k, 1, n)
        return Target(n, tuple((1.0, tuple(range(m))) for m in range(1, k + 1)))

    @property
    def boolean(self) -> bool:
        """True if the labels are ±1 (so accuracy means ``y f > 0``)."""
        return self.sign_labels or (len(self.terms) == 1 and abs(self.terms[0][0]) == 1.0)

    @property
    def relevant(self) -> tuple[int, ...]:
        """Union of the supports (the set S of the hidden-progress measures)."""
        return tuple(sorted({i for _, s in self.terms for i in s}))

    def to_json(self) -> dict[str, Any]:
        """Return the target as a JSON-ready dict (``terms`` as ``[coefficient, support]`` lists)."""
        return {"n": self.n, "terms": [[c, list(s)] for c, s in self.terms], "sign_labels": self.sign_labels}


@dataclass(frozen=True)
class SGDConfig:
    """Training options. Defaults are Barak et al.'s width-100 setting (hinge, B = 32, lr 0.1).

    Parameters
    ----------
    structure : {"mlp", "neuron", "polynet"}
        The network (module docstring). ``neuron`` needs ``width = 1`` and has no second layer;
        ``polynet`` has ``width`` blocks, no biases, no second layer, and ignores ``activation``.
    width : int
        Hidden units ``r`` (PolyNet: blocks).
    batch : int
        Fresh samples per step ``B``.
    lr, weight_decay : float
        SGD step size and L2 coefficient (``p <- p - lr (grad + weight_decay p)``, all parameters).
    loss : {"hinge", "square", "logistic", "correlation"}
    activation : {"relu", "poly", "sin"}
        ``poly`` is ``z^power``.
    power : int
        Exponent of the ``poly`` activation (1..8).
    init : {"uniform", "gaussian", "sign"}
        ``uniform``: PyTorch's ``nn.Linear`` default, ``U(-1/sqrt(fan_in), 1/sqrt(fan_in))`` for weights
        and biases of both layers; ``gaussian``: ``N(0, s^2)``; ``sign``: ``±s`` uniformly; ``s =
        init_scale / sqrt(fan_in)`` (``init_scale`` defaults to 1). With ``sign``, no bias and even ``n``,
        pre-activations are exactly 0 on many inputs at step 0, and which side of the ReLU kink
        they land on after rounding depends on the summation order (here: documented in
        ``featurecheck.numerics._kernels.sgd.forward``), so another framework may diverge from step 1 on.
    init_scale : float
        Multiplies the standard scale ``1/sqrt(fan_in)`` for every init.
    bias : bool
        Biases ``b_j`` and ``c`` on (True) or off (fixed at 0).
    train_second_layer : bool
        Train ``a`` and ``c`` (True) or keep them at their initial values.
    dtype : {"float32", "float64"}
    max_steps : int
        Step cap; a run not converged by then reports ``t_c = None``.
    n_valid : int
        Validation batch size of the convergence test (2^13 in the paper).
    check_schedule : tuple of (until, every)
        Convergence checks every ``every`` steps while ``t <= until`` (see :data:`DEFAULT_SCHEDULE`).
    stop_on_converge : bool
        Stop at ``t_c`` (True) or train to ``max_steps`` (for curves after the drop).
    record_every : int
        Record loss/accuracy on a fixed measurement batch and the weight measures every this many
        steps (0: never).
    measure_batch : int
        Size of the fixed measurement batch.
    gap_every : int
        Record each neuron's exact Fourier gap every this many steps (0: never; needs ``n <= 20``).
    random_labels : bool
        Replace the labels by independent uniform ±1 labels (the control of Barak et al. Fig. 4).
    """

    structure: str = "mlp"
    width: int = 100
    batch: int = 32
    lr: float = 0.1
    weight_decay: float = 0.0
    loss: str = "hinge"
    activation: str = "relu"
    power: int = 2
    init: str = "uniform"
    init_scale: float = 1.0
    bias: bool = True
    train_second_layer: bool = True
    dtype: str = "float32"
    max_steps: int = 100_000
    n_valid: int = 8192
    check_schedule: tuple[tuple[int, int], ...] = DEFAULT_SCHEDULE
    stop_on_converge: bool = True
    record_every: int = 0
    measure_batch: int = 1024
    gap_every: int = 0
    random_labels: bool = False

    def __post_init__(self) -> None:
        check_int("width", self.width, 1, 1 << 20)
        check_int("batch", self.batch, 1, 1 << 16)
        check_real("lr", self.lr, 0, 1e6)
        check_real("weight_decay", self.weight_decay, 0, 1e6)
        for name, val, allowed in (("structure", self.structure, STRUCTURES), ("loss", self.loss, LOSSES),
                                   ("activation", self.activation, ACTIVATIONS),
                                   ("init", self.init, INITS), ("dtype", self.dtype, ("float32", "float64"))):
            if val not in allowed:
                raise ValueError(f"{name} must be one of {list(allowed)}, got {val!r}")
        check_int("power", self.power, 1, 8)
        if self.structure == "neuron" and self.width != 1:
            raise ValueError(f"width must be 1 for structure='neuron', got {self.width}")
        if self.structure == "polynet" and self.bias:
            raise ValueError("bias must be False for structure='polynet' (the disjoint PolyNet has no biases), got True")
        check_real("init_scale", self.init_scale, 0, 1e6)
        check_int("max_steps", self.max_steps, 0, 1 << 40)
        check_int("n_valid", self.n_valid, 1, 1 << 24)
        check_int("record_every", self.record_every, 0, 1 << 40)
        check_int("measure_batch", self.measure_batch, 1, 1 << 20)
        check_int("gap_every", self.gap_every, 0, 1 << 40)
        sched = tuple((int(u), int(e)) for u, e in self.check_schedule)
        if not sched:
            raise ValueError("check_schedule must have at least one (until, every) pair, got ()")
        prev = -1
        for u, e in sched:
            check_int("check_schedule every", e, 1, 1 << 40)
            if u <= prev:
                raise ValueError(f"check_schedule 'until' values must increase, got {list(sched)}")
            prev = u
        object.__setattr__(self, "check_schedule", sched)

    def to_json(self) -> dict[str, Any]:
        """Return the config as a JSON-ready dict (``check_schedule`` as lists)."""
        d = asdict(self)
        d["check_schedule"] = [list(p) for p in self.check_schedule]
        return d


@dataclass
class RunResult:
    """One training run.

    Attributes
    ----------
    t_c : int or None
        First checked step with 100% validation accuracy; None if not converged by ``max_steps``.
    steps : int
        SGD steps taken.
    history : dict of numpy arrays
        Keys ``step, loss, accuracy, rho, rms_S, rms_rest, train_loss`` (empty without
        ``record_every``): loss/accuracy on the fixed measurement batch, ``rho = ||W_t - W_0||_inf``
        over the first-layer weights, RMS of first-layer weights on the relevant coordinates and on the
        rest, and the mean training-batch loss since the previous record.
    gaps, gap_steps : numpy arrays
        ``gaps[q, j]``: Fourier gap of neuron ``j`` at step ``gap_steps[q]`` (see :func:`fourier_gaps`).
    params : dict
        Final ``W, b, a, c``.
    """

    t_c: int | None
    steps: int
    seed: int
    target: Target
    config: SGDConfig
    history: dict[str, np.ndarray] = field(default_factory=dict)
    gaps: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))
    gap_steps: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    params: dict[str, np.ndarray] = field(default_factory=dict)

    @property
    def converged(self) -> bool:
        """True if the run reached the convergence criterion by ``max_steps`` (``t_c`` is not None)."""
        return self.t_c is not None


def _dtype(config: SGDConfig) -> type:
    return np.float32 if config.dtype == "float32" else np.float64


def init_params(n: int, config: SGDConfig = SGDConfig(), seed: int = 0) -> dict[str, np.ndarray]:
    """Draw the initial ``W (r, n), b (r,), a (r,), c (1,)`` of a run, in the config's dtype.

    Drawn in float64 from ``generator(seed, Purpose.SGD_INIT)`` in the order W, b,
    a, c, then rounded to the dtype. Biases are zero when ``config.bias`` is False. A ``neuron`` has
    ``a = 1, c = 0``. A ``polynet`` block ``j`` is PyTorch's default for ``Linear(|P_j|, 1)``:
    ``W_ji ~ U(-s, s)``, ``s = init_scale / sqrt(|P_j|)``, for ``i in P_j``, and 0 elsewhere.

    Examples
    --------
    >>> p = init_params(50, SGDConfig(width=4), seed=1)
    >>> p["W"].shape, p["W"].dtype, bool(np.abs(p["W"]).max() <= 50 ** -0.5)
    ((4, 50), dtype('float32'), True)
    """
    n = check_int("n", n, 1, MAX_N)
    seed = check_int("seed", seed, 0, 2**63 - 1)
    r = config.width
    rng = generator(seed, Purpose.SGD_INIT)

    def draw(shape: tuple[int, ...], fan_in: int) -> np.ndarray:
        s = config.init_scale / math.sqrt(fan_in)
        if config.init == "uniform":
            return rng.uniform(-s, s, size=shape)
        if config.init == "gaussian":
            return rng.normal(0.0, s, size=shape)
        return s * (1.0 - 2.0 * rng.integers(0, 2, size=shape))

    dt = _dtype(config)
    W = draw((r, n), n)
    b = draw((r,), n)
    a = draw((r,), r)
    c = draw((1,), r)
    if config.structure == "neuron":
        a[:] = 1.0
        c[:] = 0.0
    if config.structure == "polynet":
        blocks = np.arange(n) % r
        sizes = np.bincount(blocks, minlength=r)
        # rescale each block from the fan-in n to its own fan-in |P_j|; zero outside the block
        W = np.where(blocks[None, :] == np.arange(r)[:, None], W * np.sqrt(n / np.maximum(sizes, 1))[:, None], 0.0)
        a[:] = 1.0
        c[:] = 0.0
    if not config.bias:
        b[:] = 0.0
        c[:] = 0.0
    return {k: np.ascontiguousarray(v, dtype=dt) for k, v in (("W", W), ("b", b), ("a", a), ("c", c))}


def batch(target: Target, seed: int, t: int, size: int, *, dtype: str = "float32",
          random_labels: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Return the training batch ``(X (size, n) of ±1, y (size,))`` that step ``t`` of a run with ``seed`` uses.

    Examples
    --------
    >>> X, y = batch(Target.parity(5, 2), seed=0, t=0, size=4)
    >>> X.shape, bool(np.all(y == X[:, 0] * X[:, 1]))
    ((4, 5), True)
    """
    n = target.n
    nw = (n + 63) // 64
    size = check_int("size", size, 1, 1 << 20)
    t = check_int("t", t, 0, 2**63 - 1)
    dt = np.float32 if dtype == "float32" else np.float64
    words = np.empty((size, nw), np.uint64)
    X = np.empty((size, n), dt)
    y = np.empty(size, np.float64)
    K.fill_batch(stream_key(seed, Purpose.SGD_BATCH), np.int64(t), np.int64(n), np.int64(nw), np.int64(size), words, X)
    if random_labels:
        K.random_labels(stream_key(seed, Purpose.SGD_LABEL), np.int64(t), np.int64(size), y)
    else:
        masks, coefs = _target_arrays(target)
        K.target_values(words, np.int64(size), masks, coefs, bool(target.sign_labels), y)
    return X, y.astype(dt)


def _target_arrays(target: Target) -> tuple[np.ndarray, np.ndarray]:
    nw = (target.n + 63) // 64
    masks = np.stack([_mask_words(s, nw) for _, s in target.terms])
    coefs = np.array([c for c, _ in target.terms], dtype=np.float64)
    return masks, coefs


def check_steps(schedule: Sequence[tuple[int, int]], upto: int) -> np.ndarray:
    """Return the steps ``0..upto`` at which convergence is checked under ``schedule``.

    Examples
    --------
    >>> check_steps(((3, 1), (10, 5)), 12).tolist()
    [0, 1, 2, 3, 5, 10]
    """
    until = np.array([u for u, _ in schedule], dtype=np.int64)
    every = np.array([e for _, e in schedule], dtype=np.int64)
    return np.array([t for t in range(upto + 1) if K.in_schedule(np.int64(t), until, every)], dtype=np.int64)


def train(target: Target, config: SGDConfig = SGDConfig(), seed: int = 0, *,
          params: Mapping[str, np.ndarray] | None = None, trace_steps: int = 0,
          parallel: bool = False) -> RunResult:
    """Train the two-layer network on ``target`` by online SGD; a pure function of its arguments.

    Parameters
    ----------
    target : Target
    config : SGDConfig
    seed : int
        Run seed (``0 <= seed < 2^63``): initial weights, batches and validation batches.
    params : dict, optional
        Initial ``W, b, a, c`` overriding :func:`init_params` (copied, converted to the dtype).
    trace_steps : int
        Keep the network output on the training batch of the first ``trace_steps`` steps in
        ``result.history["trace"]`` (for cross-checks).
    parallel : bool
        Split each step over numba's threads: hidden units in at most ``PAR_BLOCKS`` fixed blocks,
        each updating, summing and running the forward pass of its own units in one parallel region
        per step. Every sum keeps its order, so the result is bit-identical to the serial run (the
        default) at any thread count. It pays only for wide networks on otherwise idle cores (one
        thread barrier per step); on a busy machine, or inside a pool of runs (sweeps), it is much
        slower than serial.

    Returns
    -------
    RunResult

    Notes
    -----
    Per step: draw batch ``t``, forward, loss gradient (batch mean), then one SGD update of every
    trainable parameter. Before step 0 and after every step on the check schedule, the network is
    tested on a fresh validation batch (early exit at the first error, so the test costs almost
    nothing until the network is nearly right).

    Examples
    --------
    >>> cfg = SGDConfig(width=50, max_steps=200, stop_on_converge=False, record_every=100)
    >>> res = train(Target.parity(10, 2), cfg, seed=3)
    >>> res.history["step"].tolist(), res.steps
    ([0.0, 100.0, 200.0], 200)
    """
    if not isinstance(target, Target):
        raise ValueError(f"target must be a featurecheck.numerics.experiments.sgd.Target, got {type(target).__name__}")
    if not isinstance(config, SGDConfig):
        raise ValueError(f"config must be a featurecheck.numerics.experiments.sgd.SGDConfig, got {type(config).__name__}")
    seed = check_int("seed", seed, 0, 2**63 - 1)
    if not isinstance(parallel, bool):
        raise ValueError(f"parallel must be True or False, got {parallel!r}")
    trace_steps = check_int("trace_steps", trace_steps, 0, min(config.max_steps, 1 << 20))
    n = target.n
    if config.gap_every and n > MAX_GAP_N:
        raise ValueError(f"gap_every needs n <= {MAX_GAP_N} (exact enumeration), got n={n}")
    if config.structure == "polynet":
        S = target.relevant
        if len(target.terms) != 1 or len(S) != config.width or len({i % config.width for i in S}) != config.width:
            raise ValueError(f"target must be a parity with one relevant coordinate in each of the width={config.width} "
                             f"PolyNet blocks P_j = {{i : i mod {config.width} = j}}, got support {list(S)}")
    dt = _dtype(config)
    if params is None:
        p = init_params(n, config, seed)
    else:
        p = {}
        shapes = {"W": (config.width, n), "b": (config.width,), "a": (config.width,), "c": (1,)}
        for k, shp in shapes.items():
            if k not in params:
                raise ValueError(f"params must contain {list(shapes)}, missing {k!r}")
            v: np.ndarray = np.array(params[k], dtype=dt, copy=True).reshape(-1 if k != "W" else shp[0], *shp[1:])
            if v.shape != shp:
                raise ValueError(f"params[{k!r}] must have shape {shp}, got {np.shape(params[k])}")
            p[k] = np.ascontiguousarray(v)
    masks, coefs = _target_arrays(target)
    rel = target.relevant
    smask = np.zeros(n, dtype=np.int64)
    smask[list(rel)] = 1
    smask_bits = np.uint64(sum(1 << i for i in rel) if n <= 64 else 0)
    rec_n = config.max_steps // config.record_every + 1 if config.record_every else 0
    rec = np.full((rec_n, 7), np.nan)
    gap_n = config.max_steps // config.gap_every + 1 if config.gap_every else 0
    gap_rec = np.zeros((gap_n, config.width))
    gap_steps = np.zeros(gap_n, dtype=np.int64)
    trace: np.ndarray = np.zeros((trace_steps, config.batch), dtype=dt)
    until = np.array([u for u, _ in config.check_schedule], dtype=np.int64)
    every = np.array([e for _, e in config.check_schedule], dtype=np.int64)
    act = (K.ACT_PRODUCT if config.structure == "polynet" else
           {"relu": K.ACT_RELU, "poly": K.ACT_POLY, "sin": K.ACT_SIN}[config.activation])
    train_second = bool(config.train_second_layer) and config.structure == "mlp"
    loss = LOSSES.index(config.loss)
    WT = np.ascontiguousarray(p["W"].T)
    args = (
        WT, p["b"], p["a"], p["c"], np.int64(n), np.int64(config.batch), float(config.lr),
        float(config.weight_decay), np.int64(loss), np.int64(act), np.int64(config.power),
        bool(config.bias), train_second,
        masks, coefs, bool(target.sign_labels), bool(target.boolean), bool(config.random_labels),
        stream_key(seed, Purpose.SGD_BATCH), stream_key(seed, Purpose.SGD_LABEL), stream_key(seed, Purpose.SGD_VALID),
        stream_key(seed, Purpose.SGD_MEASURE),
        np.int64(config.max_steps), np.int64(config.n_valid), until, every, bool(config.stop_on_converge),
        np.int64(config.record_every), np.int64(config.measure_batch), smask, rec,
        np.int64(config.gap_every), smask_bits, gap_rec, gap_steps, trace,
    )
    tc, steps, nrec, ngap = K.train_par(*args, np.int64(PAR_BLOCKS)) if parallel else K.train(*args)
    p["W"] = np.ascontiguousarray(WT.T)
    names = ("step", "loss", "accuracy", "rho", "rms_S", "rms_rest", "train_loss")
    history = {k: rec[:nrec, i].copy() for i, k in enumerate(names)}
    if trace_steps:
        history["trace"] = trace
    return RunResult(
        t_c=None if tc < 0 else int(tc), steps=int(steps), seed=seed, target=target, config=config,
        history=history, gaps=gap_rec[:ngap].copy(), gap_steps=gap_steps[:ngap].copy(), params=p,
    )


def neuron_fourier(W: np.ndarray, b: np.ndarray | None, S: Iterable[int]) -> np.ndarray:
    """Exact ``2^n hat T_j(S xor {i})`` (column ``i``) and ``2^n hat T_j(S)`` (column ``n``), as int64.

    ``T_j(x) = 1[W_j . x + b_j > 0]`` (0/1-valued, strict: ReLU'(0) = 0), enumerated over all ``2^n``
    points (``n <= 20``). By Barak et al. 2022, Sec. 4.1 (theory reference GRAD), the population
    correlation-loss gradient of neuron ``j`` is ``-a_j hat T_j(S xor {i})`` in coordinate ``i``.

    Examples
    --------
    >>> # all-ones weights, no bias, n = 5 odd: T = (1 + Maj_5)/2; hat Maj_5({0}) = 3/8
    >>> c = neuron_fourier(np.ones((1, 5)), None, [])
    >>> c[0, :5].tolist(), 2 ** 5
    ([6, 6, 6, 6, 6], 32)
    """
    W = np.atleast_2d(np.asarray(W, dtype=np.float64))
    r, n = W.shape
    check_int("n", n, 1, MAX_GAP_N)
    b = np.zeros(r) if b is None else np.asarray(b, dtype=np.float64).reshape(r)
    s = check_subset("S", S, n)
    bits = np.uint64(sum(1 << i for i in s))
    out = np.zeros((r, n + 1), dtype=np.int64)
    for j in range(r):
        K.neuron_walsh_counts(np.ascontiguousarray(W[j]), float(b[j]), bits, np.int64(n), out[j])
    return out


def fourier_gaps(W: np.ndarray, b: np.ndarray | None, S: Iterable[int]) -> np.ndarray:
    """Per-neuron Fourier gap ``min_{i in S} |hat T_j(S - i)| - max_{i notin S} |hat T_j(S + i)|``.

    Positive gap: the relevant coordinates get the larger population gradient (theory reference GAP).

    Examples
    --------
    >>> # n = 9, k = 2, w = 1, b = 0: T = (1 + Maj_9)/2, gap = (|hat Maj_9(1)| - |hat Maj_9(3)|) / 2
    >>> from featurecheck.theory.boolean import majority_coefficient as mc
    >>> float(fourier_gaps(np.ones((1, 9)), None, [0, 1])[0]) == float((mc(9, 1) - abs(mc(9, 3))) / 2)
    True
    """
    W = np.atleast_2d(np.asarray(W, dtype=np.float64))
    n = W.shape[1]
    c = neuron_fourier(W, b, S)
    s = set(check_subset("S", S, n))
    ins = np.abs(c[:, [i for i in range(n) if i in s]])
    outs = np.abs(c[:, [i for i in range(n) if i not in s]])
    lo = ins.min(axis=1) if ins.shape[1] else np.zeros(len(c), dtype=np.int64)
    hi = outs.max(axis=1) if outs.shape[1] else np.zeros(len(c), dtype=np.int64)
    return (lo - hi).astype(np.float64) / 2.0**n
