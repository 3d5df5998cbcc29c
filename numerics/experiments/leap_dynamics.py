"""Leap dynamics of online SGD: saddle-to-saddle order, curricula and history (Abbe et al. 2023).

Three experiments on ``x`` uniform in ``{-1,1}^n``, all trained with the trainer of
:mod:`featurecheck.numerics.experiments.sgd` (two-layer ReLU network, square loss, fresh batch per
step; :data:`DEFAULT_CONFIG`):

- **Saddle-to-saddle order** (:func:`track`, :func:`learning_times`): on a sum of monomials
  ``y = sum_S c_S chi_S``, the per-monomial correlation ``rho_S(t) = E[f_t(x) chi_S(x)] / c_S`` of the
  network over training. Monomial ``S`` is *learned* at the first recorded step with
  ``rho_S >= 1/2`` (:data:`LEARNED`). The detected order is compared with the *greedy leap orders*
  (:func:`greedy_leap_orders`): each next monomial has the least new degree given the coordinates
  already covered. Every greedy order is a leap-optimal ordering of :func:`featurecheck.theory.leap.leap`
  (each step's new degree is at most the leap, see Notes); the saddle-to-saddle picture of Abbe,
  Boix-Adsera, Misiakiewicz (2023) says SGD follows one.
- **Curriculum and history** (:func:`history_run`): the final target (a ``k``-parity) is learned from
  scratch, after a curriculum of pre-training targets (the leap-1 chain ``x0 -> x0x1 -> ...`` ending
  at the parity: :func:`staircase_chain`), or after a decoy chain on other coordinates
  (:func:`decoy_chain`). Each pre-training phase runs to its own convergence (capped).
- **Scaling** (:func:`scaling_runs`): ``t_c`` of the ``k``-staircase and the isolated ``k``-parity
  against ``n``, with fitted exponents (:func:`featurecheck.numerics.experiments.sweep.fit_slope`).

Conventions
-----------
- The final target of a history run starts from the same initial weights and sees the same batches
  in every arm (a paired design): the weights are :func:`~featurecheck.numerics.experiments.sgd.init_params`
  at the run seed, and the final phase is ``train(final, config, seed, params=...)`` at the run seed.
  So the scratch arm is exactly ``train(final, config, seed)``. Pre-training phase ``p`` trains with
  the trainer seed ``chunk_seed(seed, Purpose.LEAP_PRETRAIN, p)``; tracking chunk ``c`` with
  ``chunk_seed(seed, Purpose.LEAP_BATCHES, c)``. The measurement batch of :func:`track` is drawn
  from ``generator(seed, Purpose.LEAP_VALID)``, the bootstrap of :func:`fit_difference` from
  ``generator(seed, Purpose.LEAP_BOOTSTRAP)``. Results depend on (target, config, seed) only.
- ``t_c`` is the trainer's (first checked step with 100% accuracy on a fresh validation batch of
  ``2^13``; for real-valued targets a sample is correct iff ``|f - y| < 1/2``).
- Steps of a curriculum: ``total = sum(pre-training t_c) + final t_c``.

Bayes contrast (:func:`bayes_posterior`): with a uniform prior over the ``C(n, k)`` supports of a
``k``-parity and noiseless samples, the posterior is uniform on the supports consistent with the
data. The likelihood is a product over samples, so the posterior does not depend on the order in
which the samples arrive, and data labelled by another (independent) target carry no likelihood for
the final support: the Bayes learner has no history. SGD does (the history experiment).

References
----------
E. Abbe, E. Boix-Adsera, T. Misiakiewicz (2023), "SGD learning on neural networks: leap complexity
and saddle-to-saddle dynamics", COLT 2023, arXiv 2302.11055, Def. 1, Conjecture 1, Sec. 1.1
(saddle-to-saddle). E. Abbe, E. Cornacchia, A. Lotfi (2023), "Provable advantage of curriculum
learning on parity targets with mixed inputs", NeurIPS 2023, arXiv 2306.16921.

Examples
--------
>>> greedy_leap_orders([{0}, {0, 1}, {2, 3}], cost="degree")
[[frozenset({0}), frozenset({0, 1}), frozenset({2, 3})]]
>>> [sorted(S) for S in staircase_chain(3)], [sorted(S) for S in decoy_chain(3)]
([[0], [0, 1]], [[3], [3, 4]])
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from fractions import Fraction
from typing import Any

import numpy as np

from featurecheck.numerics._kernels.rng import Purpose, chunk_seed, generator
from featurecheck.numerics.estimators.seeds import ols_slope, percentile_interval
from featurecheck.numerics.experiments.sgd import SGDConfig, Target, init_params, train
from featurecheck.numerics.experiments.staircase import DEFAULT_CONFIG
from featurecheck.theory import leap as Lp
from featurecheck.theory._validate import check_int, check_real

__all__ = [
    "DEFAULT_CONFIG", "CONFIG_KEYS", "LEARNED", "COSTS", "step_cost", "parse_target", "greedy_leap_orders", "is_greedy_order", "matches_leap_order", "measure_batch",
    "network_output", "monomial_correlations", "track", "learning_times", "detect_order", "staircase_chain",
    "decoy_chain", "history_run", "history_task", "curriculum_task", "track_task", "scaling_task",
    "config_of", "scaling_runs", "fit_difference", "bayes_posterior", "bayes_survivors",
]

# DEFAULT_CONFIG, the trainer settings of every leap experiment, is the staircase experiment's (imported above).
#: The :class:`SGDConfig` fields a task's settings may override (:func:`config_of`).
CONFIG_KEYS = ("width", "batch", "lr", "loss", "max_steps")
#: A monomial is learned when ``rho_S = E[f chi_S] / c_S`` first reaches this.
LEARNED = 0.5
MAX_TRACK_POINTS = 100_000


def parse_target(text: str, n: int) -> Target:
    """Build a :class:`~featurecheck.numerics.experiments.sgd.Target` from a polynomial in ``x0, x1, ...``.

    Reduced on the cube (``x_i^2 = 1``); the constant term is dropped (it needs no learning).

    Examples
    --------
    >>> parse_target("x0 + x0*x1 - 2*x1*x2**3", 5).terms
    ((1.0, (0,)), (1.0, (0, 1)), (-2.0, (1, 2)))
    """
    import sympy as sp

    from featurecheck.theory.hermite import parse_polynomial

    n = check_int("n", n, 1, 4096)
    names = Lp._vars_in(text, Lp._WALSH_TOK, "x") if isinstance(text, str) else []
    if not names:
        raise ValueError(f"target must be a polynomial in x0, x1, ... (e.g. 'x0 + x0*x1'), got {text!r}")
    coords = [int(v[1:]) for v in names]
    if max(coords) >= n:
        raise ValueError(f"target coordinates must be < n={n}, got x{max(coords)} in {text!r}")
    expr = parse_polynomial(text, names, name="target", hermite_functions=False)
    syms = [sp.Symbol(v, real=True) for v in names]
    acc: dict[tuple[int, ...], Any] = {}
    for exps, c in sp.Poly(expr, *syms).terms():
        S = tuple(sorted(coords[j] for j, e in enumerate(exps) if e % 2))
        acc[S] = acc.get(S, 0) + c
    terms = [(float(c), S) for S, c in acc.items() if c != 0 and S]
    if not terms:
        raise ValueError(f"target must have a non-constant term, got {text!r}")
    return Target(n, tuple(sorted(terms, key=lambda t: (len(t[1]), t[1]))))


def _sets(monomials: Iterable[Iterable[int]]) -> list[frozenset[int]]:
    out = []
    for m in monomials:
        s = frozenset(int(i) for i in m)
        if s and s not in out:
            out.append(s)
    return out


COSTS = ("time", "degree")


def step_cost(new: int, cost: str = "time") -> int:
    """Cost of a step of new degree ``new``: the degree itself, or the conjectured time exponent.

    ``cost="time"``: ``max(new - 1, 1)`` for ``new >= 1`` (Abbe et al. 2023, Conjecture 1: a step of
    leap ``c`` takes ``d^{max(c-1, 1)}`` online steps, so leaps 1 and 2 both take about ``d``), 0 for a
    free step. ``cost="degree"``: ``new``.

    Examples
    --------
    >>> [step_cost(c) for c in range(5)], [step_cost(c, "degree") for c in range(5)]
    ([0, 1, 1, 2, 3], [0, 1, 2, 3, 4])
    """
    new = check_int("new", new, 0, None)
    if cost not in COSTS:
        raise ValueError(f"cost must be one of {list(COSTS)}, got {cost!r}")
    if cost == "degree" or new == 0:
        return new
    return Lp.sgd_steps_conjecture(new).exponent


def greedy_leap_orders(monomials: Iterable[Iterable[int]], cost: str = "time") -> list[list[frozenset[int]]]:
    r"""Every greedy leap order: each next monomial has the least step cost given the covered coordinates.

    The cost of taking ``S`` with covered set ``C`` is :func:`step_cost` of ``|S \ C|``:
    ``cost="time"`` (default) compares conjectured time exponents ``max(c - 1, 1)`` (steps of leap 1
    and 2 tie), ``cost="degree"`` compares new degrees (the closure order of
    :func:`featurecheck.theory.leap.leap`). Exhaustive (``M <= 8`` monomials).

    Notes
    -----
    Every ``degree``-greedy order is leap-optimal, and so is every ``time``-greedy order when the leap
    ``L`` is ``>= 2``. Proof: by the closure property of :mod:`featurecheck.theory.leap`, from any covered
    set some remaining monomial has new degree ``<= L``; the greedy choice has a cost ``<=`` that
    monomial's cost, and both cost functions are non-decreasing in ``c`` with ``max(c - 1, 1) <= L - 1``
    forcing ``c <= L`` when ``L >= 2``. (For ``L = 1`` a time-greedy order may take a degree-2 step.)
    Tested against :func:`featurecheck.theory.leap.leap`.

    Examples
    --------
    >>> [[sorted(S) for S in o] for o in greedy_leap_orders([{0}, {1}])]
    [[[0], [1]], [[1], [0]]]
    >>> len(greedy_leap_orders([{0}, {0, 1}, {2, 3}], "degree")), len(greedy_leap_orders([{0}, {0, 1}, {2, 3}]))
    (1, 5)
    """
    ms = _sets(monomials)
    if len(ms) > 8:
        raise ValueError(f"number of monomials must be <= 8, got {len(ms)}")
    if cost not in COSTS:
        raise ValueError(f"cost must be one of {list(COSTS)}, got {cost!r}")
    out: list[list[frozenset[int]]] = []

    def rec(order: list[frozenset[int]], cov: frozenset[int]) -> None:
        rest = [S for S in ms if S not in order]
        if not rest:
            out.append(list(order))
            return
        c = min(step_cost(len(S - cov), cost) for S in rest)
        for S in rest:
            if step_cost(len(S - cov), cost) == c:
                rec(order + [S], cov | S)

    rec([], frozenset())
    return out


def _greedy_orders_fitting(times: Mapping[frozenset[int], float], cost: str) -> Iterator[tuple[frozenset[int], ...]]:
    """Yield the greedy leap orders that fit the learning times (monomials learned at one step in any order)."""
    groups: dict[float, list[frozenset[int]]] = {}
    for S, t in times.items():
        groups.setdefault(float(t), []).append(S)
    blocks = [groups[t] for t in sorted(groups)]
    orders = {tuple(o) for o in greedy_leap_orders(times, cost)}
    for combo in itertools.product(*(itertools.permutations(b) for b in blocks)):
        order = tuple(S for block in combo for S in block)
        if order in orders:
            yield order


def is_greedy_order(times: Mapping[frozenset[int], float], cost: str = "time") -> bool:
    """Whether learning times (ties allowed; ``inf`` = never) fit some greedy leap order.

    Monomials learned at the same recorded step may be taken in any order among themselves; a
    monomial never learned (``inf``) makes the answer False.

    Examples
    --------
    >>> is_greedy_order({frozenset({0}): 10, frozenset({0, 1}): 20, frozenset({2, 3, 4}): 90})
    True
    >>> is_greedy_order({frozenset({0}): 10, frozenset({0, 1}): 95, frozenset({2, 3, 4}): 90})
    False
    >>> is_greedy_order({frozenset({0}): 10, frozenset({0, 1}): 30, frozenset({2, 3}): 20}, "degree")
    False
    """
    if any(not math.isfinite(t) for t in times.values()):
        return False
    return next(_greedy_orders_fitting(times, cost), None) is not None


def matches_leap_order(times: Mapping[frozenset[int], float]) -> bool:
    """Whether the learning times fit an order that is time-greedy *and* leap-optimal.

    Leap-optimal: the largest new degree along the order equals
    :func:`featurecheck.theory.leap.leap` of the monomials. Ties (same recorded step) may be taken in
    any order; a monomial never learned makes the answer False.

    Examples
    --------
    >>> matches_leap_order({frozenset({0}): 10, frozenset({0, 1}): 20, frozenset({2, 3, 4}): 90})
    True
    >>> matches_leap_order({frozenset({0, 1}): 10, frozenset({0}): 20})   # time-greedy, leap 2 > 1
    False
    """
    if any(not math.isfinite(t) for t in times.values()):
        return False
    L = Lp.leap([sorted(S) for S in times]).leap
    for order in _greedy_orders_fitting(times, "time"):
        cov: frozenset[int] = frozenset()
        worst = 0
        for S in order:
            worst = max(worst, len(S - cov))
            cov = cov | S
        if worst == L:
            return True
    return False


def measure_batch(n: int, seed: int, size: int) -> np.ndarray:
    """Return the fixed ``(size, n)`` ±1 measurement batch of :func:`track` (``generator(seed, LEAP_VALID)``).

    Examples
    --------
    >>> measure_batch(4, 0, 3).shape
    (3, 4)
    """
    n = check_int("n", n, 1, 4096)
    size = check_int("size", size, 1, 1 << 20)
    rng = generator(seed, Purpose.LEAP_VALID)
    return 1.0 - 2.0 * rng.integers(0, 2, size=(size, n)).astype(np.float64)


def network_output(params: Mapping[str, np.ndarray], X: np.ndarray, config: SGDConfig = DEFAULT_CONFIG) -> np.ndarray:
    """``f(x) = c + sum_j a_j sigma(W_j . x + b_j)`` on the rows of ``X``, in float64 (``mlp`` only).

    Examples
    --------
    >>> p = {"W": np.array([[1.0, -1.0]]), "b": np.array([0.5]), "a": np.array([2.0]), "c": np.array([0.1])}
    >>> network_output(p, np.array([[1.0, 1.0], [1.0, -1.0]]), SGDConfig()).tolist()
    [1.1, 5.1]
    """
    if config.structure != "mlp":
        raise ValueError(f"structure must be 'mlp' for the leap experiments, got {config.structure!r}")
    W = np.asarray(params["W"], dtype=np.float64)
    # einsum, not a BLAS matmul: no thread pool (BLAS threads contend on a busy machine)
    pre = np.einsum("si,ji->sj", np.asarray(X, dtype=np.float64), W) + np.asarray(params["b"], dtype=np.float64)
    if config.activation == "relu":
        h = np.maximum(pre, 0.0)
    elif config.activation == "poly":
        h = pre ** config.power
    else:
        h = np.sin(pre)
    return np.einsum("sj,j->s", h, np.asarray(params["a"], dtype=np.float64)) + float(np.asarray(params["c"]).reshape(-1)[0])


def monomial_correlations(f: np.ndarray, X: np.ndarray, target: Target) -> np.ndarray:
    """``rho_S = mean(f chi_S(X)) / c_S`` for each term ``(c_S, S)`` of ``target``.

    Examples
    --------
    >>> X = np.array([[1.0, 1.0], [1.0, -1.0], [-1.0, 1.0], [-1.0, -1.0]])
    >>> t = Target(2, ((1.0, (0,)), (2.0, (0, 1))))
    >>> monomial_correlations(X[:, 0] + 2 * X[:, 0] * X[:, 1], X, t).tolist()
    [1.0, 1.0]
    """
    return np.array([float(np.mean(f * np.prod(X[:, list(S)], axis=1))) / c for c, S in target.terms])


def track(target: Target, config: SGDConfig = DEFAULT_CONFIG, seed: int = 0, *, steps: int = 20_000,
          every: int = 100, measure: int = 4096, stop_when_learned: bool = True,
          random_labels: bool = False, params: Mapping[str, np.ndarray] | None = None) -> dict[str, Any]:
    """Per-monomial correlations and loss over online SGD, recorded every ``every`` steps.

    Training runs in chunks of ``every`` steps (the trainer's ``params=`` continues the weights; chunk
    ``c`` draws its batches with the trainer seed ``chunk_seed(seed, LEAP_BATCHES, c)``). After each
    chunk, on the fixed measurement batch (:func:`measure_batch`, ``measure`` points): the square loss
    ``mean((f - y)^2)`` and ``rho_S`` (:func:`monomial_correlations`).

    Parameters
    ----------
    target : Target
    config : SGDConfig
        ``mlp`` network; its ``max_steps``, checks and recording are replaced per chunk.
    seed : int
    steps, every : int
        Step cap and recording period.
    measure : int
        Size of the measurement batch.
    stop_when_learned : bool
        Stop once every monomial is learned (``rho_S >= LEARNED``) and stays so for 5 records.
    random_labels : bool
        Train on labels independent of ``x`` (negative control); measurements use the true target.
    params : dict, optional
        Initial ``W, b, a, c`` (for instance after pre-training); default :func:`init_params` at ``seed``.

    Returns
    -------
    dict
        ``step`` (list), ``rho`` (list of per-monomial lists), ``loss``, ``monomials`` (supports).

    Examples
    --------
    >>> r = track(Target(10, ((1.0, (0,)), (1.0, (0, 1)))), seed=0, steps=600, every=200, measure=256)
    >>> r["step"], len(r["rho"][0])
    ([0, 200, 400, 600], 2)
    """
    seed = check_int("seed", seed, 0, 2**63 - 1)
    steps = check_int("steps", steps, 1, 1 << 40)
    every = check_int("every", every, 1, steps)
    if steps // every > MAX_TRACK_POINTS:
        raise ValueError(f"steps / every must be <= {MAX_TRACK_POINTS}, got {steps // every}")
    measure = check_int("measure", measure, 16, 1 << 20)
    X = measure_batch(target.n, seed, measure)
    y = sum(c * np.prod(X[:, list(S)], axis=1) for c, S in target.terms)
    cfg = replace(config, max_steps=every, stop_on_converge=False, record_every=0, gap_every=0,
                  check_schedule=((2**62, every),), n_valid=1, random_labels=bool(random_labels))
    p = init_params(target.n, config, seed) if params is None else {k: np.array(v) for k, v in params.items()}
    out: dict[str, Any] = {"step": [], "rho": [], "loss": [], "monomials": [list(S) for _, S in target.terms]}
    streak = 0

    def record(t: int) -> None:
        f = network_output(p, X, config)
        out["step"].append(t)
        out["rho"].append([float(v) for v in monomial_correlations(f, X, target)])
        out["loss"].append(float(np.mean((f - y) ** 2)))

    record(0)
    for c in range(steps // every):
        p = train(target, cfg, chunk_seed(seed, Purpose.LEAP_BATCHES, c), params=p).params
        record((c + 1) * every)
        if stop_when_learned:
            streak = streak + 1 if min(out["rho"][-1]) >= LEARNED else 0
            if streak >= 5:
                break
    return out


def learning_times(tr: Mapping[str, Any], threshold: float = LEARNED) -> dict[frozenset[int], float]:
    """First recorded step with ``rho_S >= threshold``, per monomial (``inf`` if never).

    Examples
    --------
    >>> learning_times({"step": [0, 10, 20], "rho": [[0, 0], [0.6, 0.1], [0.9, 0.7]], "monomials": [[0], [0, 1]]})
    {frozenset({0}): 10.0, frozenset({0, 1}): 20.0}
    """
    rho = np.asarray(tr["rho"], dtype=np.float64)
    out = {}
    for q, S in enumerate(tr["monomials"]):
        hit = np.nonzero(rho[:, q] >= threshold)[0]
        out[frozenset(S)] = float(tr["step"][hit[0]]) if hit.size else math.inf
    return out


def detect_order(times: Mapping[frozenset[int], float]) -> dict[str, Any]:
    """Order of the learned monomials, plateau lengths between successive learning events, greedy check.

    ``plateaus[i]`` is the time between the ``i``-th and ``(i+1)``-th distinct learning steps (the
    first is the time to the first event).

    Examples
    --------
    >>> d = detect_order({frozenset({0}): 100.0, frozenset({0, 1}): 300.0, frozenset({2, 3, 4}): 2000.0})
    >>> d["order"], d["plateaus"], d["greedy"]
    ([[0], [0, 1], [2, 3, 4]], [100.0, 200.0, 1700.0], True)
    """
    items = sorted(times.items(), key=lambda kv: (kv[1], len(kv[0]), sorted(kv[0])))
    learned = sorted({t for _, t in items if math.isfinite(t)})
    plateaus = [float(b - a) for a, b in zip([0.0] + learned[:-1], learned, strict=False)]
    return {"order": [sorted(S) for S, _ in items], "times": [t for _, t in items], "plateaus": plateaus,
            "greedy": is_greedy_order(times), "leap_order": matches_leap_order(times), "degree_greedy": is_greedy_order(times, "degree"),
            "all_learned": all(math.isfinite(t) for _, t in items)}


def staircase_chain(k: int) -> list[frozenset[int]]:
    """Pre-training targets ``x0, x0x1, ..., x0..x_{k-2}`` of the curriculum ending at ``x0..x_{k-1}``.

    Examples
    --------
    >>> staircase_chain(2)
    [frozenset({0})]
    """
    k = check_int("k", k, 2, 16)
    return [frozenset(range(m)) for m in range(1, k)]


def decoy_chain(k: int) -> list[frozenset[int]]:
    """Return :func:`staircase_chain` shifted to coordinates ``k .. 2k-2`` (disjoint from the final parity's).

    Examples
    --------
    >>> decoy_chain(2)
    [frozenset({2})]
    """
    k = check_int("k", k, 2, 16)
    return [frozenset(range(k, k + m)) for m in range(1, k)]


def history_run(final: Target, pretrain: Sequence[Target], config: SGDConfig = DEFAULT_CONFIG,
                seed: int = 0) -> dict[str, Any]:
    """Count the steps to learn ``final`` after pre-training on ``pretrain`` (in order); ``[]`` is from scratch.

    Each pre-training phase ``p`` trains from the previous weights with the trainer seed
    ``chunk_seed(seed, LEAP_PRETRAIN, p)`` until its own ``t_c`` (cap ``config.max_steps``); the final
    phase is ``train(final, config, seed, params=...)`` (module conventions: paired across arms).

    Returns
    -------
    dict
        ``pre`` (list of pre-training ``t_c``, None if capped), ``final`` (``t_c`` of the final target
        or None), ``total`` (sum, None if any is None).

    Examples
    --------
    >>> r = history_run(Target.parity(10, 2), [Target.parity(10, 1)], seed=0)
    >>> r["final"] == train(Target.parity(10, 2), DEFAULT_CONFIG, 0, params=r["params_pre"]).t_c
    True
    """
    seed = check_int("seed", seed, 0, 2**63 - 1)
    p = init_params(final.n, config, seed)
    pre: list[int | None] = []
    for q, tgt in enumerate(pretrain):
        if tgt.n != final.n:
            raise ValueError(f"pretrain targets must have n={final.n}, got n={tgt.n}")
        r = train(tgt, config, chunk_seed(seed, Purpose.LEAP_PRETRAIN, q), params=p)
        pre.append(r.t_c)
        p = r.params
    fin = train(final, config, seed, params=p).t_c
    total = None if fin is None or any(t is None for t in pre) else int(fin + sum(t for t in pre if t is not None))
    return {"pre": pre, "final": fin, "total": total, "params_pre": p}


def _task_targets(s: Mapping[str, Any]) -> tuple[Target, list[Target]]:
    n, k = int(s["n"]), int(s["k"])
    final = Target.parity(n, k)
    arm = s["arm"]
    chain = [] if arm == "scratch" else staircase_chain(k) if arm == "curriculum" else decoy_chain(k)
    return final, [Target.parity(n, sorted(S)) for S in chain]


def config_of(s: Mapping[str, Any]) -> SGDConfig:
    """Return the :class:`SGDConfig` of a task's settings (:data:`DEFAULT_CONFIG` with overrides)."""
    return replace(DEFAULT_CONFIG, **{k: s[k] for k in CONFIG_KEYS if k in s})


def history_task(settings: Mapping[str, Any], seed: int) -> dict[str, Any]:
    """Task of :func:`~featurecheck.numerics.experiments.execute.run_tasks` (kind ``"leap-history"``).

    ``settings``: ``n, k, arm`` (``scratch | curriculum | decoy``) and optional SGDConfig overrides.
    """
    final, pre = _task_targets(settings)
    r = history_run(final, pre, config_of(settings), seed)
    return {"seed": seed, "n": int(settings["n"]), "k": int(settings["k"]), "arm": settings["arm"],
            "pre": r["pre"], "final": r["final"], "total": r["total"]}


def curriculum_task(settings: Mapping[str, Any], seed: int) -> dict[str, Any]:
    """Task (kind ``"leap-curriculum"``): :func:`history_run` of the polynomial ``target`` after ``pretrain``.

    ``pretrain`` is a list of polynomials (``[]`` = scratch); all are read at ``n``.
    """
    n = int(settings["n"])
    r = history_run(parse_target(settings["target"], n), [parse_target(t, n) for t in settings["pretrain"]],
                    config_of(settings), seed)
    return {"seed": seed, "n": n, "pre": r["pre"], "final": r["final"], "total": r["total"]}


def track_task(settings: Mapping[str, Any], seed: int) -> dict[str, Any]:
    """Task (kind ``"leap-track"``): :func:`detect_order` of a tracked run of the polynomial ``target`` at ``n``."""
    n = int(settings["n"])
    tr = track(parse_target(settings["target"], n), config_of(settings), seed, steps=int(settings["steps"]),
               every=int(settings["every"]), measure=int(settings.get("measure", 2048)))
    d = detect_order(learning_times(tr))
    return {"seed": seed, "n": n, **d, "times": [None if not math.isfinite(t) else t for t in d["times"]]}


def scaling_task(settings: Mapping[str, Any], seed: int) -> dict[str, Any]:
    """Task (kind ``"leap-scaling"``): ``t_c`` of ``target`` (``staircase | parity``) at ``n, k``."""
    n, k = int(settings["n"]), int(settings["k"])
    tgt = Target.staircase(n, k) if settings["target"] == "staircase" else Target.parity(n, k)
    return {"seed": seed, "n": n, "k": k, "target": settings["target"],
            "t_c": train(tgt, config_of(settings), seed).t_c}


def scaling_runs(ns: Sequence[int], k: int = 3, seeds: Sequence[int] = range(10),
                 config: Mapping[str, Any] | None = None, **executor: Any) -> dict[str, list[list[int | None]]]:
    """``t_c`` of the staircase and the parity, per ``n`` and seed (through ``run_tasks``).

    Examples
    --------
    >>> r = scaling_runs([8, 12], k=2, seeds=[0], progress=False)
    >>> sorted(r), len(r["parity"])
    (['parity', 'staircase'], 2)
    """
    from featurecheck.numerics.experiments.execute import run_tasks

    k = check_int("k", k, 1, 8)
    ns = [check_int("n", n, k, 4096) for n in ns]
    extra = dict(config or {})
    tasks = [({"n": n, "k": k, "target": name, **extra}, int(s)) for name in ("staircase", "parity")
             for n in ns for s in seeds]
    res = run_tasks(scaling_task, "leap-scaling", tasks, **executor)
    out: dict[str, list[list[int | None]]] = {"staircase": [], "parity": []}
    it = iter(res)
    for name in ("staircase", "parity"):
        for _n in ns:
            out[name].append([next(it)["t_c"] for _ in seeds])
    return out


def fit_difference(ns: Sequence[int], a: Sequence[Sequence[float | None]], b: Sequence[Sequence[float | None]],
                   *, alpha: float = 0.05, n_boot: int = 2000, seed: int = 0, ratio: bool = False) -> dict[str, Any]:
    """Log-log slopes of the medians of ``a`` and ``b`` against ``n`` and of their difference.

    Percentile bootstrap over seeds: each replicate resamples the seeds at each ``n`` (the same
    resampled seed indices for ``a`` and ``b``: paired when both come from the same seeds), recomputes
    the medians and the OLS slopes. ``None`` counts as ``inf``; a replicate with an infinite median is
    undefined, and the interval is reported (not None) only if the undefined mass is ``<= alpha/2``.
    With ``ratio=True`` the difference is the slope of ``median(a) / median(b)`` (identical: the log
    of a ratio of medians is the difference of log medians).

    Returns
    -------
    dict
        ``slope_a``, ``slope_b``, ``difference`` and their ``*_ci`` (1 - alpha), ``medians_a``,
        ``medians_b``, ``undefined_fraction``.

    Examples
    --------
    >>> f = fit_difference([10, 20, 40], [[10, 11], [40, 44], [160, 176]], [[5, 6], [10, 12], [20, 24]], n_boot=200)
    >>> round(f["slope_a"], 6), round(f["slope_b"], 6), round(f["difference"], 6)
    (2.0, 1.0, 1.0)
    """
    if len(ns) != len(a) or len(ns) != len(b) or len(set(ns)) < 2:
        raise ValueError(f"ns must hold at least two distinct values matching the data, got ns={list(ns)}")
    alpha = float(check_real("alpha", alpha, 0, 1))
    n_boot = check_int("n_boot", n_boot, 10, 10**7)
    lx = np.log(np.asarray(ns, dtype=np.float64))

    def arr(v: Sequence[float | None]) -> np.ndarray:
        return np.array([math.inf if t is None else float(t) for t in v])

    A, B = [arr(v) for v in a], [arr(v) for v in b]
    if any(x.size == 0 for x in A + B):
        raise ValueError("every n must have at least one run in both arms")
    ma = np.array([np.median(x) for x in A])
    mb = np.array([np.median(x) for x in B])

    def slope(med: np.ndarray) -> np.ndarray:
        return ols_slope(lx, np.log(med))

    out: dict[str, Any] = {"ns": [int(v) for v in ns], "medians_a": ma.tolist(), "medians_b": mb.tolist()}
    if not (np.all(np.isfinite(ma)) and np.all(np.isfinite(mb))):
        out.update(slope_a=None, slope_b=None, difference=None, slope_a_ci=(None, None), slope_b_ci=(None, None),
                   difference_ci=(None, None), undefined_fraction=1.0)
        return out
    sa, sb = float(slope(ma)), float(slope(mb))
    rng = generator(seed, Purpose.LEAP_BOOTSTRAP)
    ra = np.empty((n_boot, len(ns)))
    rb = np.empty((n_boot, len(ns)))
    for q in range(len(ns)):
        ia = rng.integers(0, A[q].size, size=(n_boot, A[q].size))
        ra[:, q] = np.median(A[q][ia], axis=1)
        ib = ia if B[q].size == A[q].size else rng.integers(0, B[q].size, size=(n_boot, B[q].size))
        rb[:, q] = np.median(B[q][ib], axis=1)
    ok = np.all(np.isfinite(ra), axis=1) & np.all(np.isfinite(rb), axis=1)
    und = float(1.0 - ok.mean())
    bsa, bsb = slope(ra[ok]), slope(rb[ok])

    out.update(slope_a=sa, slope_b=sb, difference=sa - sb, slope_a_ci=percentile_interval(bsa, und, alpha),
               slope_b_ci=percentile_interval(bsb, und, alpha), difference_ci=percentile_interval(bsa - bsb, und, alpha),
               undefined_fraction=und)
    return out


# ------------------------------------------------------------------------------------------------ Bayes


def bayes_posterior(samples: Sequence[tuple[Sequence[int], int]], n: int, k: int) -> dict[tuple[int, ...], Fraction]:
    """Exact posterior over the ``C(n, k)`` supports of a ``k``-parity after noiseless samples, in order.

    Uniform prior; sample ``(x, y)`` (``x`` in ``{-1,1}^n``, ``y = chi_S(x)``) multiplies the weight of
    ``S'`` by ``1[chi_S'(x) = y]``; the weights are renormalised after every sample (sequential Bayes).
    The result is a product of per-sample factors, so it does not depend on the sample order
    (tested by permuting).

    Examples
    --------
    >>> post = bayes_posterior([((1, -1, 1), -1), ((-1, -1, 1), -1)], 3, 1)
    >>> {S: str(p) for S, p in post.items()}
    {(0,): '0', (1,): '1', (2,): '0'}
    """
    n = check_int("n", n, 1, 24)
    k = check_int("k", k, 0, n)
    supports = list(itertools.combinations(range(n), k))
    if len(supports) > 200_000:
        raise ValueError(f"C(n, k) must be <= 200000 for the exact posterior, got C({n}, {k}) = {len(supports)}")
    w = {S: Fraction(1, len(supports)) for S in supports}
    for x, yv in samples:
        if len(x) != n:
            raise ValueError(f"each sample x must have n={n} entries, got {len(x)}")
        for S in supports:
            if w[S] and math.prod(int(x[i]) for i in S) != int(yv):
                w[S] = Fraction(0)
        z = sum(w.values())
        if z == 0:
            raise ValueError("samples must be consistent with some k-parity, got contradictory labels")
        w = {S: v / z for S, v in w.items()}
    return w


def bayes_survivors(n: int, k: int, m: int) -> Fraction:
    """``E[# wrong supports consistent with m uniform samples] = (C(n, k) - 1) 2^{-m}`` (exact).

    A wrong support ``S' != S`` satisfies ``chi_S'(x) = chi_S(x)`` iff ``chi_{S xor S'}(x) = 1``, which
    has probability 1/2 per uniform sample, independently across samples. It does not depend on the
    order of the samples or on any other target's data.

    Examples
    --------
    >>> bayes_survivors(10, 3, 7)
    Fraction(119, 128)
    """
    n = check_int("n", n, 1, 1 << 20)
    k = check_int("k", k, 0, n)
    m = check_int("m", m, 0, 1 << 20)
    return Fraction(math.comb(n, k) - 1, 2**m)
