"""Tests of the parallel SGD step (``featurecheck.numerics.experiments.sgd.train(..., parallel=True)``).

The independent route is the serial trainer, itself checked against a dense numpy float64
reference and PyTorch in ``tests/experiments/test_sgd.py``: the parallel step must reproduce it bit for bit
(weights, biases, second layer, records, traces, ``t_c``) with numba at 1 and at 2 threads, for both
dtypes, both activations, several losses, biases off, a fixed second layer, weight decay, a batch
smaller than the number of blocks and fewer inputs than blocks. The split kernels are also compared
with their Python source on small inputs.
Negative controls: a 1.05x learning rate and a different seed are detected by the same comparison.

There are no Monte Carlo assertions in this module (all seeds fixed, all checks deterministic), so its
false-alarm rate is 0.
"""

from __future__ import annotations

import numba
import numpy as np
import pytest

from featurecheck.numerics._kernels import sgd as K
from featurecheck.numerics.experiments.sgd import SGDConfig, Target, train

THREADS = [t for t in (1, 2) if t <= numba.config.NUMBA_NUM_THREADS]

CASES = [
    # (target, config kwargs, seed)
    (Target.parity(30, 3), {"width": 600, "max_steps": 40, "record_every": 20}, 1),
    (Target.parity(12, 2), {"width": 200, "max_steps": 60, "dtype": "float64", "loss": "logistic",
                            "activation": "poly", "power": 3, "bias": False, "lr": 0.05}, 2),
    (Target.parity(10, 2), {"width": 130, "max_steps": 40, "loss": "square", "lr": 0.01,
                            "weight_decay": 0.01, "train_second_layer": False, "dtype": "float64"}, 3),
    (Target.parity(5, 2), {"width": 37, "batch": 3, "max_steps": 200}, 4),  # batch, n < PAR_BLOCKS
    (Target.parity(20, 4), {"structure": "polynet", "width": 4, "bias": False, "lr": 0.05, "max_steps": 60}, 6),
    (Target.parity(20, 3), {"structure": "neuron", "width": 1, "activation": "sin", "lr": 0.2, "max_steps": 60}, 7),
    (Target.parity(10, 2), {"width": 100, "batch": 32, "max_steps": 1500, "lr": 0.1}, 5),  # converges
]


def _same(r1, r2) -> bool:
    return (r1.t_c == r2.t_c and r1.steps == r2.steps
            and all(np.array_equal(r1.params[k], r2.params[k]) for k in "Wbac")
            and set(r1.history) == set(r2.history)
            and all(np.array_equal(r1.history[k], r2.history[k], equal_nan=True) for k in r1.history))


@pytest.mark.parametrize("case", range(len(CASES)))
def test_parallel_step_is_bit_identical_to_serial_at_1_and_2_threads(case: int) -> None:
    target, kw, seed = CASES[case]
    cfg = SGDConfig(stop_on_converge=False, **kw)
    serial = train(target, cfg, seed, trace_steps=10)
    assert np.isfinite(serial.params["W"]).all()
    before = numba.get_num_threads()
    try:
        for th in THREADS:
            numba.set_num_threads(th)
            par = train(target, cfg, seed, trace_steps=10, parallel=True)
            assert _same(par, serial), (case, th)
    finally:
        numba.set_num_threads(before)
    if case == len(CASES) - 1:
        assert serial.t_c is not None  # the convergence check runs on the parallel path too
    # negative controls: the comparison sees a 1.05x learning rate and another seed
    lr_off = train(target, SGDConfig(stop_on_converge=False, **{**kw, "lr": cfg.lr * 1.05}), seed,
                   trace_steps=10, parallel=True)
    assert not _same(lr_off, serial)
    assert not _same(train(target, cfg, seed + 1, trace_steps=10, parallel=True), serial)


def _tiny(dt: type, rng: np.random.Generator, n: int = 5, r: int = 21, nb: int = 11):
    WT = rng.normal(size=(n, r)).astype(dt)
    b, a, c = rng.normal(size=r).astype(dt), rng.normal(size=r).astype(dt), np.array([0.3], dt)
    negs = np.zeros((nb, n), np.int64)
    nneg = np.zeros(nb, np.int64)
    for s in range(nb):
        idx = np.flatnonzero(rng.random(n) < 0.5)
        negs[s, :idx.size] = idx
        nneg[s] = idx.size
    g = (rng.normal(size=nb) * (rng.random(nb) < 0.7)).astype(dt)  # some g_s = 0 (skipped samples)
    return WT, b, a, c, negs, nneg, g


def test_split_kernels_match_py_func_on_tiny_inputs() -> None:
    rng = np.random.default_rng(12)
    for dt in (np.float32, np.float64):
        tol = 1e-6 if dt == np.float32 else 1e-14
        WT, b, a, c, negs, nneg, g = _tiny(dt, rng, n=4, r=6, nb=5)
        n, r = WT.shape
        nb = negs.shape[0]
        T = np.empty(r, dt)
        K.row_totals(WT, b, T)
        outs = []
        for fn in (K.forward_rows, K.forward_rows.py_func):
            o = [np.zeros((nb, r), dt), np.zeros((nb, r), dt), np.zeros(nb, dt)]
            fn(WT, T, a, c, negs, nneg, 1, 4, K.ACT_RELU, 1, *o, np.zeros(r, dt))
            outs.append(o)
        assert all(np.allclose(x, y, rtol=tol) for x, y in zip(*outs, strict=True))
        assert np.all(outs[0][2][[0, 4]] == 0) and np.any(outs[0][2][1:4] != 0)  # only rows 1..3
        pre, h = outs[0][0], outs[0][1]
        res = []
        for jit_ in (True, False):
            f = (lambda k: k) if jit_ else (lambda k: k.py_func)
            st = [WT.copy(), b.copy(), a.copy(), c.copy()]
            deltaT, D, ga = np.zeros((nb, r), dt), np.zeros(r, dt), np.zeros(r, dt)
            negcol, ncol = np.zeros((n, nb), np.int64), np.zeros(n, np.int64)
            gc = f(K.update_delta)(st[2], negs, nneg, nb, K.ACT_RELU, 1, pre, h, g, deltaT, D, ga, negcol, ncol)
            f(K.update_rows)(st[0], 0.1, 0.0, D, deltaT, negcol, ncol, 0, n, np.zeros(r, dt), K.ACT_RELU)
            f(K.update_tail)(st[1], st[2], st[3], D, ga, gc, 0.1, 0.0, True, True)
            res.append(st + [np.array([gc])])
        assert all(np.allclose(x, y, rtol=tol) for x, y in zip(*res, strict=True))


def test_parallel_flag_is_validated() -> None:
    with pytest.raises(ValueError, match="parallel must be True or False, got 'yes'"):
        train(Target.parity(5, 2), SGDConfig(width=4, max_steps=1), 0, parallel="yes")  # type: ignore[arg-type]
