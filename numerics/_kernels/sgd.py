"""Private numba kernels of the two-layer SGD trainer (public API: :mod:`featurecheck.numerics.experiments.sgd`).

Network ``f(x) = c + sum_j a_j sigma(W_j . x + b_j)``. The kernels hold the first layer transposed,
``WT = W.T`` of shape ``(n, r)``, so that every inner loop runs over the ``r`` neurons. Inputs are uniform on ``{-1,1}^n``; sample ``i`` of batch ``t`` is the bit word(s)
``mix64(chunk_key(key, t) + (i * nw + w + 1) * GAMMA)`` (a set bit means ``x = -1``, the repo's
convention), so every batch depends only on ``(seed, purpose, t)``.

Because ``x`` is ±1, ``W_j . x + b_j = T_j - 2 sum_{i: x_i = -1} W_ji`` with ``T_j = b_j + sum_i W_ji``,
and the weight gradient ``sum_s delta_sj x_si = D_j - 2 sum_{s: x_si = -1} delta_sj``: half the
additions of a dense product and no multiplications. Inner loops are element-wise over neurons (they
vectorise without reassociation); every reduction has a fixed order, documented per kernel, so a run
is bit-identical whatever the thread count.

Two trainers run the same arithmetic: :func:`train` (serial) calls one kernel per phase of a step
(:func:`forward`, :func:`loss_grad`, :func:`sgd_update`); :func:`train_par` splits the columns
(hidden units) in fixed blocks of whole ``CHUNK``-column chunks and runs one parallel region per
step (:func:`pass_par`): each block applies the previous step's update to its columns, their row
totals and the forward pass of the new batch (:func:`chunk_pass`); between regions one thread
sums the outputs in the fixed tree, takes the loss gradient and draws the next batch
(:func:`step_tail`). Every element sees the same operations in the same order as in :func:`train`
(two groups of four rows per pass: ``(p - 2 G1) - 2 G2`` is the serial ``p -= 2 G1; p -= 2 G2``),
so the bits depend neither on the split nor on the thread count (sweeps parallelise over runs
instead).
"""

from __future__ import annotations

import numpy as np
from numba import prange

from featurecheck.numerics._kernels.jit import jit, pjit, popcount64
from featurecheck.numerics._kernels.rng import GAMMA, chunk_key, mix64

# activation codes
ACT_RELU = 0
ACT_POLY = 1
ACT_SIN = 2
#: the disjoint PolyNet (Barak et al. 2022, App. D.1.7): identity units on disjoint input blocks
#: (row ``i`` of ``WT`` feeds only unit ``i mod r``) and the product head ``out = prod_j pre_j``
ACT_PRODUCT = 3
# loss codes
LOSS_HINGE = 0
LOSS_SQUARE = 1
LOSS_LOGISTIC = 2
LOSS_CORRELATION = 3

_ONE = np.uint64(1)


@jit
def draw_samples(ck, first, n, nw, nb, words, negs, nneg):  # pragma: no cover - compiled
    """Draw samples ``first .. first + nb - 1`` of the stream with chunk key ``ck``.

    Each sample gives its bit words and the list of coordinates equal to -1 (``negs[s, :nneg[s]]``,
    increasing).
    """
    for s in range(nb):
        for w in range(nw):
            words[s, w] = mix64(ck + np.uint64((first + s) * nw + w + 1) * GAMMA)
        q = 0
        for i in range(n):
            if (words[s, i >> 6] >> np.uint64(i & 63)) & _ONE:
                negs[s, q] = i
                q += 1
        nneg[s] = q


@jit
def fill_batch(key, t, n, nw, nb, words, X):  # pragma: no cover - compiled
    """Batch ``t`` of ``key`` as ±1 rows of ``X`` (nb, n) (used by the public ``batch`` helper)."""
    ck = chunk_key(key, np.uint64(t))
    for s in range(nb):
        for w in range(nw):
            words[s, w] = mix64(ck + np.uint64(s * nw + w + 1) * GAMMA)
        for i in range(n):
            bit = (words[s, i >> 6] >> np.uint64(i & 63)) & _ONE
            X[s, i] = 1.0 - 2.0 * np.float64(bit)


@jit
def target_values(words, nb, masks, coefs, sign_labels, y):  # pragma: no cover - compiled
    """``y[s] = sum_T coef_T chi_{S_T}(x_s)`` (then ``sign``, with sign(0) = +1, if ``sign_labels``)."""
    nt, nw = masks.shape
    for s in range(nb):
        acc = 0.0
        for t in range(nt):
            par = np.uint64(0)
            for w in range(nw):
                par += popcount64(words[s, w] & masks[t, w])
            acc += coefs[t] * (1.0 - 2.0 * np.float64(par & _ONE))
        if sign_labels:
            acc = 1.0 if acc >= 0.0 else -1.0
        y[s] = acc


@jit
def random_labels(key, t, nb, y):  # pragma: no cover - compiled
    """Uniform ±1 labels independent of x (the random-label control of Barak et al. 2022)."""
    ck = chunk_key(key, np.uint64(t))
    for s in range(nb):
        y[s] = 1.0 - 2.0 * np.float64(mix64(ck + np.uint64(s + 1) * GAMMA) >> np.uint64(63))


@jit
def row_totals(WT, bias, T):  # pragma: no cover - compiled
    """``T_j = b_j + sum_i W_ji`` (sum over i in index order), so that ``W_j . x + b_j = T_j - 2 sum_{x_i = -1} W_ji``."""
    n, r = WT.shape
    for j in range(r):
        T[j] = bias[j]
    for i in range(n):
        for j in range(r):
            T[j] += WT[i, j]


@jit
def forward(WT, T, a, c, negs, nneg, nb, act, power, preT, hT, out, red):  # pragma: no cover - compiled
    """Run the forward pass on the batch: pre-activations ``preT``, activations ``hT`` and outputs ``out``.

    ``preT[s, j] = T_j - 2 sum_{i in neg(s)} W_ji`` (the i in increasing order, grouped in fours
    ``((w1 + w2) + (w3 + w4))``), ``hT = sigma(preT)``, and
    ``out[s] = c + sum_j a_j hT[s, j]`` summed by the fixed halving tree of :func:`out_tree` in the
    scratch row ``red`` (r,).
    """
    forward_rows(WT, T, a, c, negs, nneg, 0, nb, act, power, preT, hT, out, red)


@jit
def out_tree(a, hh, c, red):  # pragma: no cover - compiled
    """Return ``c + sum_j a_j hh_j`` summed by a fixed halving tree (``red`` (r,) is scratch).

    ``red[j] = a_j hh_j``; with ``m = r``, repeat ``h = m // 2; red[j] += red[m - h + j] (j < h); m -= h``
    until ``m = 1``. Shared by :func:`forward_rows` and :func:`step_tail`.
    """
    r = a.shape[0]
    for j in range(r):
        red[j] = a[j] * hh[j]
    m = r
    while m > 1:
        h = m >> 1
        off = m - h
        top = red[off:m]  # a view keeps the index non-negative, so the loop vectorises
        for j in range(h):
            red[j] += top[j]
        m = off
    return c + red[0]


@jit
def forward_rows(WT, T, a, c, negs, nneg, s0, s1, act, power, preT, hT, out, red):  # pragma: no cover - compiled
    """Run :func:`forward` on samples ``s0 .. s1 - 1`` only.

    Samples are independent: any split of the batch gives the same bits.
    """
    n, r = WT.shape
    dt = WT.dtype.type
    two = dt(2.0)
    zero = dt(0.0)
    for s in range(s0, s1):
        p = preT[s]
        hh = hT[s]
        for j in range(r):
            p[j] = T[j]
        # rows four at a time (fewer stores): p -= 2 ((w1 + w2) + (w3 + w4)), then the remainder
        m = nneg[s]
        q = 0
        while q + 3 < m:
            w1 = WT[negs[s, q]]
            w2 = WT[negs[s, q + 1]]
            w3 = WT[negs[s, q + 2]]
            w4 = WT[negs[s, q + 3]]
            for j in range(r):
                p[j] -= two * ((w1[j] + w2[j]) + (w3[j] + w4[j]))
            q += 4
        while q < m:
            w1 = WT[negs[s, q]]
            for j in range(r):
                p[j] -= two * w1[j]
            q += 1
        if act == ACT_RELU:
            for j in range(r):
                v = p[j]
                hh[j] = v if v > zero else zero
        elif act == ACT_SIN:
            for j in range(r):
                hh[j] = np.sin(p[j])
        elif act == ACT_PRODUCT:
            prod = p[0]
            for j in range(r):
                hh[j] = p[j]
            for j in range(1, r):
                prod *= p[j]
            out[s] = prod
            continue
        else:
            for j in range(r):
                v = p[j]
                m = v
                for _ in range(power - 1):
                    m *= v
                hh[j] = m
        out[s] = out_tree(a, hh, c[0], red)


@jit
def loss_grad(out, y, nb, loss, g):  # pragma: no cover - compiled
    """Per-sample loss (returned as the batch sum, float64) and ``g[s] = dl/dout_s``."""
    tot = 0.0
    for s in range(nb):
        f = np.float64(out[s])
        ys = np.float64(y[s])
        if loss == LOSS_HINGE:
            m = 1.0 - ys * f
            if m > 0.0:
                tot += m
                g[s] = -ys
            else:
                g[s] = 0.0
        elif loss == LOSS_SQUARE:
            d = f - ys
            tot += d * d
            g[s] = 2.0 * d
        elif loss == LOSS_LOGISTIC:
            z = -ys * f
            if z > 0.0:
                tot += z + np.log1p(np.exp(-z))
                g[s] = -ys / (1.0 + np.exp(-z))
            else:
                ez = np.exp(z)
                tot += np.log1p(ez)
                g[s] = -ys * ez / (1.0 + ez)
        else:
            tot += -ys * f
            g[s] = -ys
    return tot


@jit
def n_correct(out, y, nb, boolean):  # pragma: no cover - compiled
    """Correct predictions: ``y f > 0`` for ±1 labels (f = 0 is wrong), else ``|f - y| < 1/2``."""
    c = 0
    for s in range(nb):
        if boolean:
            if np.float64(y[s]) * np.float64(out[s]) > 0.0:
                c += 1
        else:
            if abs(np.float64(out[s]) - np.float64(y[s])) < 0.5:
                c += 1
    return c


@jit
def sgd_update(WT, bias, a, c, negs, nneg, nb, act, power, preT, hT, g, lr, wd, use_bias, train_second,
               deltaT, D, ga, acc, negcol, ncol):  # pragma: no cover - compiled
    """One SGD step from the forward pass (``preT, hT``) and ``g[s] = dL/dout_s`` (already / B).

    ``delta[s, j] = g_s a_j sigma'(pre_sj)``; ``dL/dW_ji = sum_s delta_sj x_si = D_j - 2 sum_{s: x_si = -1}
    delta_sj`` with ``D_j = sum_s delta_sj = dL/db_j`` (sums over s in increasing order, samples with
    ``g_s = 0`` skipped; the sum over ``x_si = -1`` grouped in fours like :func:`forward`). PyTorch ``torch.optim.SGD`` semantics: ``p <- p - lr (grad + wd p)``, every
    gradient taken at the pre-step parameters.
    """
    n, r = WT.shape
    gc = update_delta(a, negs, nneg, nb, act, power, preT, hT, g, deltaT, D, ga, negcol, ncol)
    update_rows(WT, lr, wd, D, deltaT, negcol, ncol, 0, n, acc, act)
    update_tail(bias, a, c, D, ga, gc, lr, wd, use_bias, train_second)


@jit
def update_delta(a, negs, nneg, nb, act, power, preT, hT, g, deltaT, D, ga, negcol, ncol):  # pragma: no cover - compiled
    """Compute the first part of :func:`sgd_update`; return ``gc = sum_s g_s``.

    Fills ``deltaT``, ``D``, ``ga`` and the column lists ``negcol[i, :ncol[i]]`` (samples with
    ``x_si = -1`` and ``g_s != 0``, increasing).
    """
    r = a.shape[0]
    n = ncol.shape[0]
    dt = preT.dtype.type
    zero = dt(0.0)
    pw = dt(power)
    for j in range(r):
        D[j] = zero
        ga[j] = zero
    gc = zero
    for i in range(n):
        ncol[i] = 0
    for s in range(nb):
        gs = g[s]
        if gs == zero:
            continue
        gc += gs
        p = preT[s]
        hh = hT[s]
        d = deltaT[s]
        if act == ACT_RELU:
            for j in range(r):
                d[j] = gs * a[j] if p[j] > zero else zero
        elif act == ACT_SIN:
            for j in range(r):
                d[j] = gs * a[j] * np.cos(p[j])
        elif act == ACT_PRODUCT:
            # d_j = g_s prod_{l != j} pre_l, by prefix products (left to right) times suffix products
            pre = dt(1.0)
            for j in range(r):
                d[j] = pre
                pre *= p[j]
            suf = dt(1.0)
            for j in range(r - 1, -1, -1):
                d[j] = gs * (d[j] * suf)
                suf *= p[j]
        else:
            for j in range(r):
                v = p[j]
                m = pw
                for _ in range(power - 1):
                    m *= v
                d[j] = gs * a[j] * m
        for j in range(r):
            D[j] += d[j]
            ga[j] += gs * hh[j]
        for q in range(nneg[s]):
            i = negs[s, q]
            negcol[i, ncol[i]] = s
            ncol[i] += 1
    return gc


@jit
def update_rows(WT, lr, wd, D, deltaT, negcol, ncol, i0, i1, acc, act):  # pragma: no cover - compiled
    """Update the first-layer rows ``i0 .. i1 - 1`` (input coordinates).

    Rows are independent: any split gives the same bits; ``acc`` (r,) is scratch. Under ``ACT_PRODUCT``
    row ``i`` updates only its own unit ``i mod r`` (the other entries stay 0: disjoint blocks).
    """
    n, r = WT.shape
    dt = WT.dtype.type
    lr_ = dt(lr)
    wd_ = dt(wd)
    two = dt(2.0)
    zero = dt(0.0)
    for i in range(i0, i1):
        for j in range(r):
            acc[j] = zero
        m = ncol[i]
        q = 0
        while q + 3 < m:  # four rows at a time: acc += (d1 + d2) + (d3 + d4)
            d1 = deltaT[negcol[i, q]]
            d2 = deltaT[negcol[i, q + 1]]
            d3 = deltaT[negcol[i, q + 2]]
            d4 = deltaT[negcol[i, q + 3]]
            for j in range(r):
                acc[j] += (d1[j] + d2[j]) + (d3[j] + d4[j])
            q += 4
        while q < m:
            d1 = deltaT[negcol[i, q]]
            for j in range(r):
                acc[j] += d1[j]
            q += 1
        w = WT[i]
        if act == ACT_PRODUCT:
            j = i % r
            w[j] -= lr_ * ((D[j] - two * acc[j]) + wd_ * w[j])
            continue
        for j in range(r):
            w[j] -= lr_ * ((D[j] - two * acc[j]) + wd_ * w[j])


@jit
def update_tail(bias, a, c, D, ga, gc, lr, wd, use_bias, train_second):  # pragma: no cover - compiled
    """Last part of :func:`sgd_update`: biases and second layer."""
    r = a.shape[0]
    dt = a.dtype.type
    lr_ = dt(lr)
    wd_ = dt(wd)
    if use_bias:
        for j in range(r):
            bias[j] -= lr_ * (D[j] + wd_ * bias[j])
    if train_second:
        for j in range(r):
            a[j] -= lr_ * (ga[j] + wd_ * a[j])
        if use_bias:
            c[0] -= lr_ * (dt(gc) + wd_ * c[0])


@jit
def all_correct(WT, bias, a, c, T, key, t, n_valid, masks, coefs, sign_labels, boolean, act, power,
                words, negs, nneg, y, preT, hT, out, red):  # pragma: no cover - compiled
    """Return True iff every one of ``n_valid`` fresh samples (chunk ``t`` of ``key``) is classified correctly.

    Samples are drawn in blocks (8 first, then up to the buffer size); the scan stops at the first
    block with an error, so an untrained network costs about one 8-sample forward pass.
    ``T`` must hold :func:`row_totals` of the current weights.
    """
    n, r = WT.shape
    nw = words.shape[1]
    cap = preT.shape[0]
    ck = chunk_key(key, np.uint64(t))
    done = 0
    blk = 8
    while done < n_valid:
        nb = min(blk, n_valid - done, cap)
        draw_samples(ck, done, n, nw, nb, words, negs, nneg)
        target_values(words, nb, masks, coefs, sign_labels, y)
        forward(WT, T, a, c, negs, nneg, nb, act, power, preT, hT, out, red)
        if n_correct(out, y, nb, boolean) != nb:
            return False
        done += nb
        blk = cap
    return True


@jit
def evaluate(WT, bias, a, c, T, key, m, masks, coefs, sign_labels, boolean, loss, act, power,
             words, negs, nneg, y, preT, hT, out, red, g):  # pragma: no cover - compiled
    """Mean loss and accuracy on the ``m`` samples of chunk 0 of ``key`` (a fixed measurement batch)."""
    n, r = WT.shape
    nw = words.shape[1]
    cap = preT.shape[0]
    ck = chunk_key(key, np.uint64(0))
    done = 0
    tot = 0.0
    corr = 0
    while done < m:
        nb = min(cap, m - done)
        draw_samples(ck, done, n, nw, nb, words, negs, nneg)
        target_values(words, nb, masks, coefs, sign_labels, y)
        forward(WT, T, a, c, negs, nneg, nb, act, power, preT, hT, out, red)
        tot += loss_grad(out, y, nb, loss, g)
        corr += n_correct(out, y, nb, boolean)
        done += nb
    return tot / m, corr / m


@jit
def weight_stats(WT, WT0, smask):  # pragma: no cover - compiled
    """``max |W - W0|``, RMS of the first-layer weights on S (``smask[i] = 1``) and RMS of the rest."""
    n, r = WT.shape
    rho = 0.0
    ss = 0.0
    sr = 0.0
    ns = 0
    for i in range(n):
        ns += smask[i]
    for i in range(n):
        for j in range(r):
            w = np.float64(WT[i, j])
            d = abs(w - np.float64(WT0[i, j]))
            if d > rho:
                rho = d
            if smask[i]:
                ss += w * w
            else:
                sr += w * w
    rs = np.sqrt(ss / (r * ns)) if ns > 0 else 0.0
    rr = np.sqrt(sr / (r * (n - ns))) if n > ns else 0.0
    return rho, rs, rr


@jit
def neuron_walsh_counts(w, b, smask_bits, n, out):  # pragma: no cover - compiled
    """Exact ``2^n hat T(S xor {i})`` for all i (``out[i]``) and ``2^n hat T(S)`` (``out[n]``).

    ``T(x) = 1[w . x + b > 0]`` with the pre-activation evaluated in float64 as
    ``(b + sum_{i >= L} w_i x_i) + sum_{i < L} w_i x_i`` (``L = n // 2``, each partial sum in index
    order). Cost ``O(2^n)``: for each point only two table look-ups and two integer updates; the
    level-one sums are taken at the end from the per-half marginals.
    """
    L = n // 2
    H = n - L
    NL = 1 << L
    NH = 1 << H
    sL = np.empty(NL, np.float64)
    sH = np.empty(NH, np.float64)
    cL = np.empty(NL, np.int64)
    cH = np.empty(NH, np.int64)
    accL = np.zeros(NL, np.int64)
    accH = np.zeros(NH, np.int64)
    mL = smask_bits & np.uint64(NL - 1)
    mH = smask_bits >> np.uint64(L)
    for u in range(NL):
        acc = 0.0
        for i in range(L):
            acc += w[i] if ((u >> i) & 1) == 0 else -w[i]
        sL[u] = acc
        cL[u] = 1 - 2 * np.int64(popcount64(np.uint64(u) & mL) & _ONE)
    for v in range(NH):
        acc = b
        for i in range(H):
            acc += w[L + i] if ((v >> i) & 1) == 0 else -w[L + i]
        sH[v] = acc
        cH[v] = 1 - 2 * np.int64(popcount64(np.uint64(v) & mH) & _ONE)
    total = 0
    for v in range(NH):
        hv = sH[v]
        ch = cH[v]
        rowsum = 0
        for u in range(NL):
            if hv + sL[u] > 0.0:
                val = ch * cL[u]
                accL[u] += val
                rowsum += val
        accH[v] += rowsum
        total += rowsum
    # sum_x T chi_S x_i = sum over the half containing i of acc * (1 - 2 bit_i)
    for i in range(L):
        t = 0
        for u in range(NL):
            t += accL[u] if ((u >> i) & 1) == 0 else -accL[u]
        out[i] = t
    for i in range(H):
        t = 0
        for v in range(NH):
            t += accH[v] if ((v >> i) & 1) == 0 else -accH[v]
        out[L + i] = t
    out[n] = total


@jit
def fourier_gaps(WT, bias, smask_bits, counts, gaps):  # pragma: no cover - compiled
    """Per neuron: ``min_{i in S} |hat T(S - i)| - max_{i notin S} |hat T(S + i)|`` (exact counts / 2^n)."""
    n, r = WT.shape
    w = np.empty(n, np.float64)
    for j in range(r):
        for i in range(n):
            w[i] = WT[i, j]
        neuron_walsh_counts(w, np.float64(bias[j]), smask_bits, n, counts[j])
        lo = np.int64(1) << 62
        hi = np.int64(0)
        for i in range(n):
            v = abs(counts[j, i])
            if (smask_bits >> np.uint64(i)) & _ONE:
                if v < lo:
                    lo = v
            elif v > hi:
                hi = v
        if lo == np.int64(1) << 62:
            lo = 0
        gaps[j] = (np.float64(lo) - np.float64(hi)) / np.float64(np.int64(1) << n)


@jit
def in_schedule(t, until, every):  # pragma: no cover - compiled
    """Return whether step ``t`` is a convergence check under the schedule ``((until, every), ...)``."""
    for s in range(until.shape[0]):
        if t <= until[s]:
            return t % every[s] == 0
    return False


@jit
def train(WT, bias, a, c, n, batch, lr, wd, loss, act, power, use_bias, train_second,
          masks, coefs, sign_labels, boolean, rand_labels,
          key_batch, key_label, key_valid, key_measure,
          max_steps, n_valid, sched_until, sched_every, stop_on_converge,
          record_every, m_measure, smask, rec,
          gap_every, smask_bits, gap_rec, gap_steps,
          trace_out):  # pragma: no cover - compiled
    """Run the whole training on ``WT`` (the transposed first layer, ``(n, r)``), in place.

    One kernel per phase of each step (:func:`forward`, :func:`loss_grad`, :func:`sgd_update`).
    Returns ``(t_c or -1, steps run, records written, gap records written)``.
    ``rec[q] = (step, loss, acc, rho, rms_S, rms_rest, mean train loss since last record)``;
    ``gap_rec[q]`` = per-neuron Fourier gap at ``gap_steps[q]``; ``trace_out`` (if it has rows) gets the
    network output on the training batch of each of the first steps (for cross-checks).
    """
    r = WT.shape[1]
    nw = masks.shape[1]
    dt = WT.dtype.type
    cap = max(batch, 64)
    words = np.empty((cap, nw), np.uint64)
    negs = np.empty((cap, n), np.int64)
    nneg = np.empty(cap, np.int64)
    negcol = np.empty((n, cap), np.int64)
    ncol = np.empty(n, np.int64)
    y = np.empty(cap, np.float64)
    preT = np.empty((cap, r), WT.dtype)
    hT = np.empty((cap, r), WT.dtype)
    deltaT = np.empty((cap, r), WT.dtype)
    T = np.empty(r, WT.dtype)
    D = np.empty(r, WT.dtype)
    ga = np.empty(r, WT.dtype)
    acc = np.empty(r, WT.dtype)
    red = np.empty(r, WT.dtype)
    out = np.empty(cap, WT.dtype)
    g = np.empty(cap, np.float64)
    gd = np.empty(cap, WT.dtype)
    WT0 = WT.copy()
    counts = np.empty((r, n + 1), np.int64)
    nrec = 0
    ngap = 0
    tc = -1
    run_loss = 0.0
    run_cnt = 0
    ntrace = trace_out.shape[0]
    t = 0
    while True:
        row_totals(WT, bias, T)
        tc0 = tc
        tc, nrec, ngap, run_loss, run_cnt = step_checks(
            t, WT, bias, a, c, T, WT0, n, key_valid, key_measure, n_valid, sched_until, sched_every,
            record_every, m_measure, smask, rec, gap_every, smask_bits, gap_rec, gap_steps,
            masks, coefs, sign_labels, boolean, loss, act, power, words, negs, nneg, y, preT, hT, out,
            red, g, counts, tc, nrec, ngap, run_loss, run_cnt)
        if tc >= 0 and tc0 < 0 and stop_on_converge:
            break
        if t >= max_steps:
            break
        # one SGD step on a fresh batch (chunk t of the batch stream)
        draw_samples(chunk_key(key_batch, np.uint64(t)), 0, n, nw, batch, words, negs, nneg)
        if rand_labels:
            random_labels(key_label, t, batch, y)
        else:
            target_values(words, batch, masks, coefs, sign_labels, y)
        forward(WT, T, a, c, negs, nneg, batch, act, power, preT, hT, out, red)
        if t < ntrace:
            for s in range(batch):
                trace_out[t, s] = out[s]
        run_loss += loss_grad(out, y, batch, loss, g) / batch
        run_cnt += 1
        for s in range(batch):
            gd[s] = dt(g[s] / batch)
        sgd_update(WT, bias, a, c, negs, nneg, batch, act, power, preT, hT, gd, lr, wd, use_bias, train_second,
                   deltaT, D, ga, acc, negcol, ncol)
        t += 1
    return tc, t, nrec, ngap



#: column-chunk width of the fused pass: a chunk of ``WT`` (n x CHUNK) and of the deltas stays in L1
CHUNK = 512


@jit
def chunk_pass(WT, bias, a, T, j0, j1, pend, fwd, act, power, lr, wd, use_bias, train_second,
               gd, sact, nact, negcol, ncol, negs, nneg, nb, preT, hT, dbuf, Dc, gac, accc, Z):  # pragma: no cover - compiled
    """Run columns ``j0 .. j1 - 1`` of one fused step, chunk by chunk.

    Chunks of ``CHUNK`` columns; columns are independent, so any split gives the same bits.

    If ``pend``: the SGD update of the previous step, the arithmetic of :func:`sgd_update` element for
    element (deltas of the active samples ``sact[:nact]`` from ``preT, hT, gd``, ``D, ga``, rows updated
    from the column lists ``negcol, ncol``, then ``b`` and ``a``). Then ``T = b + sum_i W_i`` (as
    :func:`row_totals`, accumulated while the rows are updated) and, if ``fwd``, the forward pass of
    the new batch (``negs, nneg``) into ``preT, hT`` as in :func:`forward_rows` (not the output sum).
    Element-wise activations only (not ``ACT_PRODUCT``). ``dbuf (cap, CHUNK)``, ``Dc, gac, accc
    (CHUNK,)`` are scratch.
    """
    n = WT.shape[0]
    dt = WT.dtype.type
    two = dt(2.0)
    zero = dt(0.0)
    lr_ = dt(lr)
    wd_ = dt(wd)
    pw = dt(power)
    for c0 in range(j0, j1, CHUNK):
        c1 = min(c0 + CHUNK, j1)
        m = c1 - c0
        ac = a[c0:c1]
        bc = bias[c0:c1]
        Tc = T[c0:c1]
        if pend:
            D = Dc[:m]
            ga = gac[:m]
            acc = accc[:m]
            for j in range(m):
                D[j] = zero
                ga[j] = zero
            for qa in range(nact):
                s = sact[qa]
                gs = gd[s]
                p = preT[s, c0:c1]
                hh = hT[s, c0:c1]
                d = dbuf[s, :m]
                if act == ACT_RELU:
                    for j in range(m):
                        d[j] = gs * ac[j] if p[j] > zero else zero
                elif act == ACT_SIN:
                    for j in range(m):
                        d[j] = gs * ac[j] * np.cos(p[j])
                else:
                    for j in range(m):
                        v = p[j]
                        mp = pw
                        for _ in range(power - 1):
                            mp *= v
                        d[j] = gs * ac[j] * mp
                for j in range(m):
                    D[j] += d[j]
                    ga[j] += gs * hh[j]
            if use_bias:
                for j in range(m):
                    bc[j] -= lr_ * (D[j] + wd_ * bc[j])
            for j in range(m):
                Tc[j] = bc[j]
            Zm = Z[:m]
            for i in range(n):
                # acc = sum of the groups ((d1 + d2) + (d3 + d4)), two groups per pass, then the single
                # rows in one pass; a missing group or row reads the zero row Z (acc + 0 = acc exactly:
                # acc starts at +0 and is never -0). At most 8 arrays per loop beside the one written,
                # so that LLVM's runtime alias checks allow vectorising.
                mm = ncol[i]
                gq = mm - (mm & 3)
                for j in range(m):
                    acc[j] = zero
                q = 0
                while q < gq:
                    d1 = dbuf[negcol[i, q], :m]
                    d2 = dbuf[negcol[i, q + 1], :m]
                    d3 = dbuf[negcol[i, q + 2], :m]
                    d4 = dbuf[negcol[i, q + 3], :m]
                    d5, d6, d7, d8 = Zm, Zm, Zm, Zm
                    if q + 4 < gq:
                        d5 = dbuf[negcol[i, q + 4], :m]
                        d6 = dbuf[negcol[i, q + 5], :m]
                        d7 = dbuf[negcol[i, q + 6], :m]
                        d8 = dbuf[negcol[i, q + 7], :m]
                    for j in range(m):
                        acc[j] = (acc[j] + ((d1[j] + d2[j]) + (d3[j] + d4[j]))) + ((d5[j] + d6[j]) + (d7[j] + d8[j]))
                    q += 8
                if gq < mm:
                    d1, d2, d3 = Zm, Zm, Zm
                    d1 = dbuf[negcol[i, gq], :m]
                    if gq + 1 < mm:
                        d2 = dbuf[negcol[i, gq + 1], :m]
                    if gq + 2 < mm:
                        d3 = dbuf[negcol[i, gq + 2], :m]
                    for j in range(m):
                        acc[j] = ((acc[j] + d1[j]) + d2[j]) + d3[j]
                w = WT[i, c0:c1]
                for j in range(m):
                    wn = w[j] - lr_ * ((D[j] - two * acc[j]) + wd_ * w[j])
                    w[j] = wn
                    Tc[j] += wn
            if train_second:
                for j in range(m):
                    ac[j] -= lr_ * (ga[j] + wd_ * ac[j])
        else:
            for j in range(m):
                Tc[j] = bc[j]
            for i in range(n):
                w = WT[i, c0:c1]
                for j in range(m):
                    Tc[j] += w[j]
        if not fwd:
            continue
        Zc = Z[c0:c1]
        for s in range(nb):
            p = preT[s, c0:c1]
            hh = hT[s, c0:c1]
            # p = T - 2 ((w1 + w2) + (w3 + w4)) - ... group by group, two groups per pass, then the single
            # rows in one pass; a missing group or row reads the zero row Z (p - 0 = p exactly)
            for j in range(m):
                p[j] = Tc[j]
            mneg = nneg[s]
            gq = mneg - (mneg & 3)
            q = 0
            while q < gq:
                w1 = WT[negs[s, q], c0:c1]
                w2 = WT[negs[s, q + 1], c0:c1]
                w3 = WT[negs[s, q + 2], c0:c1]
                w4 = WT[negs[s, q + 3], c0:c1]
                w5, w6, w7, w8 = Zc, Zc, Zc, Zc
                if q + 4 < gq:
                    w5 = WT[negs[s, q + 4], c0:c1]
                    w6 = WT[negs[s, q + 5], c0:c1]
                    w7 = WT[negs[s, q + 6], c0:c1]
                    w8 = WT[negs[s, q + 7], c0:c1]
                for j in range(m):
                    p[j] = (p[j] - two * ((w1[j] + w2[j]) + (w3[j] + w4[j]))) - two * ((w5[j] + w6[j]) + (w7[j] + w8[j]))
                q += 8
            if gq < mneg:
                w1, w2, w3 = Zc, Zc, Zc
                w1 = WT[negs[s, gq], c0:c1]
                if gq + 1 < mneg:
                    w2 = WT[negs[s, gq + 1], c0:c1]
                if gq + 2 < mneg:
                    w3 = WT[negs[s, gq + 2], c0:c1]
                for j in range(m):
                    p[j] = ((p[j] - two * w1[j]) - two * w2[j]) - two * w3[j]
            if act == ACT_RELU:
                for j in range(m):
                    v = p[j]
                    hh[j] = v if v > zero else zero
            elif act == ACT_SIN:
                for j in range(m):
                    hh[j] = np.sin(p[j])
            else:
                for j in range(m):
                    v = p[j]
                    mp = v
                    for _ in range(power - 1):
                        mp *= v
                    hh[j] = mp


@jit
def step_checks(t, WT, bias, a, c, T, WT0, n, key_valid, key_measure, n_valid, sched_until, sched_every,
                record_every, m_measure, smask, rec, gap_every, smask_bits, gap_rec, gap_steps,
                masks, coefs, sign_labels, boolean, loss, act, power, words, negs, nneg, y, preT, hT, out,
                red, g, counts, tc, nrec, ngap, run_loss, run_cnt):  # pragma: no cover - compiled
    """Do the bookkeeping at the top of step ``t`` of :func:`train`; return ``(tc, nrec, ngap, run_loss, run_cnt)``.

    Records, gaps and the convergence check, on its own scratch buffers.
    """
    if record_every > 0 and t % record_every == 0 and nrec < rec.shape[0]:
        lo, ac = evaluate(WT, bias, a, c, T, key_measure, m_measure, masks, coefs, sign_labels, boolean,
                          loss, act, power, words, negs, nneg, y, preT, hT, out, red, g)
        rho, rs, rr = weight_stats(WT, WT0, smask)
        rec[nrec, 0] = t
        rec[nrec, 1] = lo
        rec[nrec, 2] = ac
        rec[nrec, 3] = rho
        rec[nrec, 4] = rs
        rec[nrec, 5] = rr
        rec[nrec, 6] = run_loss / run_cnt if run_cnt > 0 else np.nan
        run_loss = 0.0
        run_cnt = 0
        nrec += 1
    if gap_every > 0 and t % gap_every == 0 and ngap < gap_rec.shape[0]:
        fourier_gaps(WT, bias, smask_bits, counts, gap_rec[ngap])
        gap_steps[ngap] = t
        ngap += 1
    if tc < 0 and in_schedule(t, sched_until, sched_every):
        if all_correct(WT, bias, a, c, T, key_valid, t, n_valid, masks, coefs, sign_labels, boolean, act,
                       power, words, negs, nneg, y, preT, hT, out, red):
            tc = t
    return tc, nrec, ngap, run_loss, run_cnt


@jit
def step_tail(t, a, c, hT, y, batch, loss, lr, wd, use_bias, train_second, negs, nneg, trace_out,
              out, red, g, gd, sact, negcol, ncol):  # pragma: no cover - compiled
    """Run the serial middle of a fused step; return ``(batch loss / B, nact)``.

    Outputs (:func:`out_tree`), trace, loss gradient, ``gd = g / B`` in the dtype, the active samples
    ``sact`` (``gd_s != 0``, increasing), the column lists ``negcol, ncol`` of :func:`update_delta` and
    the update of ``c``.
    """
    dt = a.dtype.type
    zero = dt(0.0)
    for s in range(batch):
        out[s] = out_tree(a, hT[s], c[0], red)
    if t < trace_out.shape[0]:
        for s in range(batch):
            trace_out[t, s] = out[s]
    lo = loss_grad(out, y, batch, loss, g) / batch
    n = ncol.shape[0]
    for i in range(n):
        ncol[i] = 0
    gc = zero
    nact = 0
    for s in range(batch):
        gs = dt(g[s] / batch)
        gd[s] = gs
        if gs == zero:
            continue
        gc += gs
        sact[nact] = s
        nact += 1
        for q in range(nneg[s]):
            i = negs[s, q]
            negcol[i, ncol[i]] = s
            ncol[i] += 1
    if use_bias and train_second:
        c[0] -= dt(lr) * (gc + dt(wd) * c[0])
    return lo, nact


@pjit
def pass_par(WT, bias, a, T, pend, fwd, act, power, lr, wd, use_bias, train_second,
             gd, sact, nact, negcol, ncol, negs, nneg, nb, preT, hT, dB, DB, gaB, accB, Z):  # pragma: no cover - compiled
    """Run :func:`chunk_pass` on all columns, split in ``len(DB)`` fixed blocks of whole chunks; bit-identical.

    One ``prange`` iteration per block (block ``k`` owns the scratch ``dB[k], DB[k], gaB[k], accB[k]``).
    """
    r = WT.shape[1]
    nch = (r + CHUNK - 1) // CHUNK
    nbk = min(DB.shape[0], nch)
    for bk in prange(nbk):
        j0 = (bk * nch // nbk) * CHUNK
        j1 = min(((bk + 1) * nch // nbk) * CHUNK, r)
        chunk_pass(WT, bias, a, T, j0, j1, pend, fwd, act, power, lr, wd, use_bias, train_second,
                   gd, sact, nact, negcol, ncol, negs, nneg, nb, preT, hT, dB[bk], DB[bk], gaB[bk], accB[bk], Z)


@jit
def train_par(WT, bias, a, c, n, batch, lr, wd, loss, act, power, use_bias, train_second,
              masks, coefs, sign_labels, boolean, rand_labels,
              key_batch, key_label, key_valid, key_measure,
              max_steps, n_valid, sched_until, sched_every, stop_on_converge,
              record_every, m_measure, smask, rec,
              gap_every, smask_bits, gap_rec, gap_steps,
              trace_out, nblk):  # pragma: no cover - compiled
    """Run :func:`train` with the column pass of each step split over threads in ``nblk`` fixed blocks.

    The blocks go through :func:`pass_par`; bit-identical to :func:`train`. A separate kernel (the same
    loop, keep the two in sync), so that the serial trainer does not pay the parallel compile time.
    """
    if act == ACT_PRODUCT:  # a few units: nothing to split
        return train(WT, bias, a, c, n, batch, lr, wd, loss, act, power, use_bias, train_second,
                           masks, coefs, sign_labels, boolean, rand_labels, key_batch, key_label, key_valid,
                           key_measure, max_steps, n_valid, sched_until, sched_every, stop_on_converge,
                           record_every, m_measure, smask, rec, gap_every, smask_bits, gap_rec, gap_steps,
                           trace_out)
    r = WT.shape[1]
    nw = masks.shape[1]
    cap = max(batch, 64)
    words = np.empty((cap, nw), np.uint64)
    negs = np.empty((cap, n), np.int64)
    nneg = np.empty(cap, np.int64)
    y = np.empty(cap, np.float64)
    preT = np.empty((cap, r), WT.dtype)
    hT = np.empty((cap, r), WT.dtype)
    out = np.empty(cap, WT.dtype)
    g = np.empty(cap, np.float64)
    gd = np.empty(cap, WT.dtype)
    sact = np.empty(cap, np.int64)
    negcol = np.empty((n, cap), np.int64)
    ncol = np.zeros(n, np.int64)
    red = np.empty(r, WT.dtype)
    T = np.empty(r, WT.dtype)
    nbk = max(nblk, 1)
    dB = np.empty((nbk, cap, CHUNK), WT.dtype)
    DB = np.empty((nbk, CHUNK), WT.dtype)
    gaB = np.empty((nbk, CHUNK), WT.dtype)
    accB = np.empty((nbk, CHUNK), WT.dtype)
    Z = np.zeros(max(r, CHUNK), WT.dtype)
    words2 = np.empty((cap, nw), np.uint64)
    negs2 = np.empty((cap, n), np.int64)
    nneg2 = np.empty(cap, np.int64)
    y2 = np.empty(cap, np.float64)
    preT2 = np.empty((cap, r), WT.dtype)
    hT2 = np.empty((cap, r), WT.dtype)
    out2 = np.empty(cap, WT.dtype)
    g2 = np.empty(cap, np.float64)
    WT0 = WT.copy()
    counts = np.empty((r, n + 1), np.int64)
    nrec = 0
    ngap = 0
    tc = -1
    run_loss = 0.0
    run_cnt = 0
    nact = 0
    t = 0
    pend = False
    while True:
        fwd = t < max_steps
        if fwd:
            draw_samples(chunk_key(key_batch, np.uint64(t)), 0, n, nw, batch, words, negs, nneg)
            if rand_labels:
                random_labels(key_label, t, batch, y)
            else:
                target_values(words, batch, masks, coefs, sign_labels, y)
        pass_par(WT, bias, a, T, pend, fwd, act, power, lr, wd, use_bias, train_second,
                 gd, sact, nact, negcol, ncol, negs, nneg, batch, preT, hT, dB, DB, gaB, accB, Z)
        tc0 = tc
        tc, nrec, ngap, run_loss, run_cnt = step_checks(
            t, WT, bias, a, c, T, WT0, n, key_valid, key_measure, n_valid, sched_until, sched_every,
            record_every, m_measure, smask, rec, gap_every, smask_bits, gap_rec, gap_steps,
            masks, coefs, sign_labels, boolean, loss, act, power, words2, negs2, nneg2, y2, preT2, hT2, out2,
            red, g2, counts, tc, nrec, ngap, run_loss, run_cnt)
        if tc >= 0 and tc0 < 0 and stop_on_converge:
            break
        if not fwd:
            break
        lo, nact = step_tail(t, a, c, hT, y, batch, loss, lr, wd, use_bias, train_second, negs, nneg,
                             trace_out, out, red, g, gd, sact, negcol, ncol)
        run_loss += lo
        run_cnt += 1
        pend = True
        t += 1
    return tc, t, nrec, ngap
