"""Claims on ReLU-neuron gradients on sparse parities (Barak et al. 2022, Sec. 4.1; theory reference sec. 2).

Statistical budget: the Monte Carlo routes use two-sided empirical-Bernstein intervals at
``alpha = 1e-6`` and the one-step route a simultaneous Clopper-Pearson bracket at ``alpha = 1e-6``. The
default ``featurecheck verify`` runs 11 such checks from this module (5 closed-form and 3 odd-k Monte
Carlo checks, 3 one-step sweeps), so a false alarm here has
probability at most 1.1e-5 (union bound). All other routes are exact; the "weight-sum" routes
evaluate ``-E[chi_U(x) 1[w.x + b > 0]]`` as a sum over Hamming weights at any ``n``
(:func:`featurecheck.numerics.estimators.gradients.relu_gradient_symmetric`), independently of the
closed forms of :mod:`featurecheck.theory.relu`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from fractions import Fraction
from itertools import product
from typing import TYPE_CHECKING, Any

from featurecheck.numerics.checking.routes import MAX_WEIGHT_SUM_COST
from featurecheck.numerics.estimators.gradients import (
    batch_sweep,
    relu_gradient_exact,
    relu_gradient_mc,
    relu_gradient_symmetric,
)
from featurecheck.numerics.estimators.symmetric import weight_sum_cost
from featurecheck.theory import relu as R
from featurecheck.theory.claims import DEFAULT_ALPHA, Claim, Evidence, Param, Route, Rule, register

if TYPE_CHECKING:
    import mpmath

# sympy and mpmath are imported by the routes that use them, so `featurecheck list` starts without them

__all__ = ["CLAIMS"]

ALPHA = DEFAULT_ALPHA
ENUM_N = 22

_WHICH = Param("which", "choice", choices=("relevant", "irrelevant", "bias"), default="relevant",
               doc="relevant = dL/dw_0, irrelevant = dL/dw_{n-1}, bias = dL/db")
_B = Param("b", "real", default=0, typical=(-5, 5), doc="bias of the neuron ReLU(w.x + b)")
_W = Param("w", "str", default="ones", doc="first-layer signs: ones, alternating, or a string of n '+'/'-'")


def _coord(p: Mapping[str, Any]) -> int | None:
    return {"relevant": 0, "irrelevant": p["n"] - 1, "bias": None}[p["which"]]


def _closed_value(n: int, k: int, b: Any, which: str, w: str = "ones") -> Fraction:
    g = R.relu_gradient(n, range(k), b, w)
    i = _coord({"n": n, "which": which})
    return g.db if i is None else g.dw[i]


def _check_which(p: Mapping[str, Any]) -> str | None:
    if not 1 <= p["k"] <= p["n"]:
        return f"k must be in [1, n={p['n']}], got k={p['k']}"
    if p["which"] == "irrelevant" and p["k"] == p["n"]:
        return "which=irrelevant needs k < n (there is no irrelevant coordinate when k = n)"
    R.parse_weights(p["n"], p.get("w", "ones"))
    return None


def _grad_enum(p: Mapping[str, Any], **_: Any) -> Evidence:
    v = relu_gradient_exact(p["n"], range(p["k"]), _coord(p), p["b"], p.get("w", "ones"))
    return Evidence(v, note=f"-E[chi_S x_i 1[w.x+b>0]] summed over all 2^{p['n']} points")


def _grad_mc(p: Mapping[str, Any], *, samples: int | None = None, seed: int = 0, alpha: float | None = ALPHA,
             **_: Any) -> Evidence:
    est = relu_gradient_mc(p["n"], range(p["k"]), _coord(p), p["b"], p.get("w", "ones"),
                           samples=samples or (1 << 22), seed=seed, alpha=alpha or ALPHA)
    return Evidence(est.value, est.ci, est.n_samples, note=f"bernstein interval, alpha={est.alpha:g}, seed={seed}")


def _grad_sym(p: Mapping[str, Any], **_: Any) -> Evidence:
    v = relu_gradient_symmetric(p["n"], range(p["k"]), _coord(p), p["b"], p.get("w", "ones"))
    return Evidence(v, note=f"-E[chi_S x_i 1[w.x+b>0]] summed over the {p['n'] + 1} Hamming weights of w*x")


def _sym_cheap(n: int, k: int) -> bool:
    """Check that the weight sums at levels k-1, k, k+1 stay within the route budget."""
    return all(weight_sum_cost(n, lv) <= MAX_WEIGHT_SUM_COST for lv in (k - 1, k, min(k + 1, n)))


_SYM_DOC = f"any n when min(k, n-k) <= 55, else n min(k+1, n-k+1) <= {MAX_WEIGHT_SUM_COST:.0e}"
_SYM = Route("weight-sum", _grad_sym, Rule.exact(), applies=lambda p: _sym_cheap(p["n"], p["k"]), applies_doc=_SYM_DOC)

_ENUM = Route("enumeration", _grad_enum, Rule.exact(), applies=lambda p: p["n"] <= ENUM_N,
              applies_doc=f"n <= {ENUM_N}")
_MC = Route("monte-carlo", _grad_mc, Rule.interval(ALPHA, f"value in the bernstein 1-alpha interval, alpha={ALPHA:g}"),
            applies_doc="n <= 4096")

CLOSED_FORM = register(Claim(
    id="gradient.relu_closed_form",
    statement=r"$\partial L/\partial w_i = -\chi_{S\triangle\{i\}}(w)\,\hat T(|S\triangle\{i\}|)$, $\partial L/\partial b = -\chi_S(w)\hat T(|S|)$, "
              r"$L = -E[\chi_S(x)\mathrm{ReLU}(w\cdot x+b)]$, $T = 1[\sum x \ge \theta']$, $\theta'$ the least integer $\equiv n$ (mod 2) above $-b$",
    source="Barak et al. (2022), arXiv:2207.08799, Sec. 4.1; featurecheck theory reference GRAD",
    params=(Param("n", "int", low=1, high=4096, default=9, typical=(1, 64)),
            Param("k", "int", low=1, high=4096, default=2, typical=(1, 8), doc="|S|; S = {0..k-1}"),
            _B, _WHICH, _W),
    value=_closed_value,
    routes=(_ENUM, _SYM, _MC),
    examples=({"n": 9, "k": 2, "b": 0, "which": "relevant"},
              {"n": 12, "k": 3, "b": "1/2", "which": "irrelevant", "w": "alternating"},
              {"n": 10, "k": 4, "b": -2, "which": "bias", "w": "+-+--+-++-"},
              {"n": 201, "k": 2, "b": 0, "which": "relevant"},
              {"n": 301, "k": 3, "b": 3, "which": "irrelevant"}),
    constraints=(_check_which,),
    status="derived",
    tags=("relu", "gradient", "fourier"),
))


def _odd_n_even_k(p: Mapping[str, Any]) -> str | None:
    if not 2 <= p["k"] < p["n"]:
        return f"k must be an even integer in [2, n-1={p['n'] - 1}], got k={p['k']}"
    return None


def _ratio_closed(p: Mapping[str, Any], **_: Any) -> Evidence:
    return Evidence(R.gradient_ratio(p["n"], p["k"], 0), note="|hat T(k+1)| / |hat T(k-1)| from the LTF closed form")


def _ratio_enum(p: Mapping[str, Any], **_: Any) -> Evidence:
    n, k = p["n"], p["k"]
    rel = relu_gradient_exact(n, range(k), 0)
    irr = relu_gradient_exact(n, range(k), n - 1)
    return Evidence(abs(irr) / abs(rel), note=f"|dL/dw_{n - 1}| / |dL/dw_0| by enumeration of 2^{n} points")


def _ratio_sym(p: Mapping[str, Any], **_: Any) -> Evidence:
    n, k = p["n"], p["k"]
    rel = relu_gradient_symmetric(n, range(k), 0)
    irr = relu_gradient_symmetric(n, range(k), n - 1)
    return Evidence(abs(irr) / abs(rel), note=f"|dL/dw_{n - 1}| / |dL/dw_0| summed over Hamming weights")


RATIO = register(Claim(
    id="gradient.ratio",
    statement=r"$|\partial L/\partial w_{\mathrm{irr}}| / |\partial L/\partial w_{\mathrm{rel}}| = (k-1)/(n-k)$ for $n$ odd, $k$ even, $b = 0$",
    source="featurecheck theory reference RATIO (from O'Donnell Thm 5.19, consecutive majority levels); Barak et al. (2022), Sec. 4.1",
    params=(Param("n", "odd", low=3, high=10**6, default=9, typical=(3, 1001)),
            Param("k", "even", low=2, high=10**6, default=2, typical=(2, 10))),
    value=lambda n, k: R.ratio_formula(n, k),
    routes=(Route("closed-form", _ratio_closed, Rule.exact()),
            Route("enumeration", _ratio_enum, Rule.exact(), applies=lambda p: p["n"] <= 21, applies_doc="n <= 21"),
            Route("weight-sum", _ratio_sym, Rule.exact(), applies=lambda p: _sym_cheap(p["n"], p["k"]),
                  applies_doc=_SYM_DOC)),
    examples=({"n": 9, "k": 2}, {"n": 15, "k": 4}, {"n": 1001, "k": 6}),
    constraints=(_odd_n_even_k,),
    status="derived",
    tags=("relu", "gradient"),
))


def _sign(x: Fraction) -> int:
    return (x > 0) - (x < 0)


def _gap_sign_closed(p: Mapping[str, Any], **_: Any) -> Evidence:
    g = R.fourier_gap(p["n"], p["k"], 0)
    return Evidence(_sign(g), note=f"gamma = {float(g):.6g} from the LTF closed form")  # type: ignore[arg-type]


def _gap_sign_enum(p: Mapping[str, Any], **_: Any) -> Evidence:
    n, k = p["n"], p["k"]
    g = abs(relu_gradient_exact(n, range(k), 0)) - abs(relu_gradient_exact(n, range(k), n - 1))
    return Evidence(_sign(g), note=f"gamma = {g} by enumeration of 2^{n} points")


def _sym_gap(n: int, k: int) -> Fraction:
    return abs(relu_gradient_symmetric(n, range(k), 0)) - abs(relu_gradient_symmetric(n, range(k), n - 1))


def _gap_sign_sym(p: Mapping[str, Any], **_: Any) -> Evidence:
    g = _sym_gap(p["n"], p["k"])
    return Evidence(_sign(g), note=f"gamma = {float(g):.6g} summed over Hamming weights")


GAP_SIGN = register(Claim(
    id="gradient.gap_sign",
    statement=r"$\mathrm{sign}\,\gamma(n,k,0) = \mathrm{sign}(\lfloor n/2\rfloor - k + 1)$ for even $k$: among odd $n$, "
              r"$\gamma > 0$ iff $n \ge 2k+1$; over all $n$ (strict gate) iff $n \ge 2k$",
    source="featurecheck theory reference GAP (odd n); even n derived in theory/relu.py; Barak et al. (2022), Sec. 4.1",
    params=(Param("n", "int", low=3, high=10**6, default=9, typical=(3, 101)),
            Param("k", "even", low=2, high=10**6, default=4, typical=(2, 10))),
    value=lambda n, k: R.gap_sign_formula(n, k),
    routes=(Route("closed-form", _gap_sign_closed, Rule.exact()),
            Route("enumeration", _gap_sign_enum, Rule.exact(), applies=lambda p: p["n"] <= 20, applies_doc="n <= 20"),
            Route("weight-sum", _gap_sign_sym, Rule.exact(), applies=lambda p: _sym_cheap(p["n"], p["k"]),
                  applies_doc=_SYM_DOC)),
    examples=({"n": 5, "k": 4}, {"n": 7, "k": 4}, {"n": 8, "k": 4}, {"n": 13, "k": 6}, {"n": 401, "k": 10}),
    constraints=(lambda p: None if p["k"] < p["n"] else f"k must be in [2, n-1={p['n'] - 1}], got k={p['k']}",),
    status="derived",
    tags=("relu", "gap"),
))


def _onset_scan(gap: Any, k: int, parity: str, top: int) -> tuple[int | None, bool]:
    first = None
    stays = True
    for n in range(k + 1, top + 1):
        if parity == "odd" and n % 2 == 0:
            continue
        g = gap(n)
        if first is None and g > 0:
            first = n
        elif first is not None and g <= 0:
            stays = False
    return first, stays


def _onset_closed(p: Mapping[str, Any], **_: Any) -> Evidence:
    k, par = p["k"], p["parity"]
    top = 4 * k + 64
    first, stays = _onset_scan(lambda n: R.fourier_gap(n, k, 0), k, par, top)
    return Evidence(first if stays else None,
                    note=f"exact scan n in [{k + 1}, {top}] ({par} n): first positive gap at {first}, stays positive: {stays}")


def _onset_enum(p: Mapping[str, Any], **_: Any) -> Evidence:
    k, par = p["k"], p["parity"]
    top = 2 * k + 3

    def gap(n: int) -> Fraction:
        return abs(relu_gradient_exact(n, range(k), 0)) - abs(relu_gradient_exact(n, range(k), n - 1))

    first, _stays = _onset_scan(gap, k, par, top)
    return Evidence(first, note=f"enumerated gaps for n in [{k + 1}, {top}] ({par} n)")


def _onset_sym(p: Mapping[str, Any], **_: Any) -> Evidence:
    k, par = p["k"], p["parity"]
    top = 2 * k + 3
    first, stays = _onset_scan(lambda n: _sym_gap(n, k), k, par, top)
    return Evidence(first if stays else None,
                    note=f"gaps summed over Hamming weights, n in [{k + 1}, {top}] ({par} n): first positive at "
                         f"{first}, stays positive: {stays}")


GAP_ONSET = register(Claim(
    id="gradient.gap_onset",
    statement=r"smallest $n$ with $\gamma(n,k,0) > 0$ ($k$ even): $2k+1$ among odd $n$, $2k$ among all $n$",
    source="featurecheck theory reference GAP ('gamma > 0 iff n >= 2k+1', n odd); Barak et al. (2022), Sec. 4.1",
    params=(Param("k", "even", low=2, high=200, default=4, typical=(2, 10)),
            Param("parity", "choice", choices=("odd", "any"), default="odd")),
    value=lambda k, parity: R.gap_onset_formula(k, parity),
    routes=(Route("closed-form-scan", _onset_closed, Rule.exact()),
            Route("enumeration-scan", _onset_enum, Rule.exact(), applies=lambda p: p["k"] <= 8, applies_doc="k <= 8"),
            Route("weight-sum-scan", _onset_sym, Rule.exact(), applies_doc="n in [k+1, 2k+3], any k")),
    examples=({"k": 2, "parity": "odd"}, {"k": 4, "parity": "any"}, {"k": 6, "parity": "odd"}, {"k": 20, "parity": "any"}),
    status="derived",
    tags=("relu", "gap"),
))


def _asym_sympy(p: Mapping[str, Any], **_: Any) -> Evidence:
    return Evidence(R.gap_asymptote_limit(p["k"]),
                    note="sympy: limit of the algebraic factor times exp(limit of the loggamma asymptotic series)")


def _mp(x: Any) -> mpmath.mpf:
    import mpmath
    import sympy as sp

    if isinstance(x, Fraction):
        return mpmath.mpf(x.numerator) / x.denominator
    return mpmath.mpf(sp.N(x, 50))


def _asym_sequence(p: Mapping[str, Any], **_: Any) -> Evidence:
    return sequence_evidence(p["k"], R.gap_asymptote_constant(p["k"]))


def _asym_weight_sequence(p: Mapping[str, Any], **_: Any) -> Evidence:
    return sequence_evidence(p["k"], R.gap_asymptote_constant(p["k"]), gap=_sym_gap)


def sequence_evidence(k: int, c_expr: Any, gap: Any = None) -> Evidence:
    """Predicate: a_n = gamma (n-1)^{(k-1)/2} increases strictly to ``c``, stays below, n (c - a_n) shrinks.

    ``gap(n, k)`` gives ``gamma(n, k, 0)`` (default: the closed form :func:`featurecheck.theory.relu.fourier_gap`).
    """
    import mpmath

    ns = sorted({2 * k + 1, 4 * k + 1, 10 * k + 1, 100 * k + 1, 1000 * k + 1, 10000 * k + 1})
    with mpmath.workdps(50):
        c = _mp(c_expr)
        vals = []
        for n in ns:
            g = R.fourier_gap(n, k, 0) if gap is None else gap(n, k)
            vals.append((n, _mp(g) * mpmath.power(n - 1, mpmath.mpf(k - 1) / 2)))  # type: ignore[arg-type]
        inc = all(vals[i + 1][1] > vals[i][1] for i in range(len(vals) - 1))
        below = all(v < c for _, v in vals)
        scaled = [n * (c - v) for n, v in vals]
        rate = all(scaled[i + 1] <= scaled[i] for i in range(1, len(scaled) - 1))
        last_n, last = vals[-1]
        return Evidence(float(last), passed=bool(inc and below and rate),
                        note=(f"n={last_n}: {mpmath.nstr(last, 12)} vs c={mpmath.nstr(c, 12)}; n(c-a_n) from "
                              f"{mpmath.nstr(scaled[1], 6)} to {mpmath.nstr(scaled[-1], 6)}; increasing={inc}, "
                              f"below={below}, O(1/n) rate={rate}"))


GAP_ASYMPTOTE = register(Claim(
    id="gradient.gap_asymptote",
    statement=r"$\gamma(n,k,0)\,(n-1)^{(k-1)/2} \to (k-3)!!/\sqrt{2\pi} = \tfrac12\sqrt{2/\pi}\,(k-3)!!$ ($k$ even, $n$ odd; "
              r"the reference's $\sqrt{2/\pi}(k-3)!!$ is the $\pm1$-gate gap, twice the ReLU one)",
    source="featurecheck theory reference GAP [constants unsure], corrected for the 0/1 ReLU gate (1+Maj_n)/2; "
           "O'Donnell (2014) Thm 5.19 + Stirling; Barak et al. (2022), Sec. 4.1",
    params=(Param("k", "even", low=2, high=40, default=2, typical=(2, 10)),),
    value=lambda k: R.gap_asymptote_constant(k),
    routes=(Route("sympy-limit", _asym_sympy, Rule.exact()),
            Route("exact-sequence", _asym_sequence,
                  Rule.predicate("exact gamma(n,k,0)(n-1)^{(k-1)/2} increases strictly to c with an O(1/n) gap")),
            Route("weight-sum-sequence", _asym_weight_sequence,
                  Rule.predicate("gamma(n,k,0)(n-1)^{(k-1)/2}, gaps summed over Hamming weights, increases strictly "
                                 "to c with an O(1/n) gap"))),
    examples=({"k": 2}, {"k": 4}),
    status="derived",
    tags=("relu", "gap", "asymptotics"),
))


# ---------------------------------------------------------------- loss equivalence (finite differences)

def _has_ties(n: int, b: Fraction) -> bool:
    return b.denominator == 1 and (int(b) - n) % 2 == 0 and abs(int(b)) <= n


def _relu(z: Fraction) -> Fraction:
    return z if z > 0 else Fraction(0)


def _loss(name: str, y: int, f: Fraction) -> Fraction:
    if name == "hinge":
        return max(Fraction(0), 1 - y * f)
    if name == "square":
        return (y - f) ** 2 / 2
    return -y * f  # correlation


def _fd_gradients(n: int, k: int, b: Fraction, a: Fraction, loss: str | None) -> list[Fraction]:
    """Central differences of the mean loss over all 2^n points in each w_i and in b (first neuron only).

    ``loss=None``: the single neuron's correlation loss -E[y ReLU(w.x + b)] (w = all ones).
    Otherwise the network a ReLU(w.x + b) - a ReLU(w0.x + b) at w = w0 (output 0) under ``loss``.
    Without ties (w.x + b never 0) and with h below the distance to every kink, these are exact.
    """
    pts = list(product((-1, 1), repeat=n))
    d = min(abs(sum(x) + b) for x in pts)
    h = d / 2
    if a != 0:
        h = min(h, 1 / (2 * abs(a)))

    rows = [(math.prod(x[:k]), x, sum(x) + b) for x in pts]

    def mean_loss(i: int, step: Fraction) -> Fraction:
        tot = Fraction(0)
        for y, x, z0 in rows:
            z = z0 + (step * x[i] if i < n else step)
            if loss is None:
                tot += -y * _relu(z)
            else:
                tot += _loss(loss, y, a * _relu(z) - a * _relu(z0))
        return tot / len(rows)

    return [(mean_loss(i, h) - mean_loss(i, -h)) / (2 * h) for i in range(n + 1)]


def _loss_fd(p: Mapping[str, Any], **_: Any) -> Evidence:
    n, k, b, a, loss = p["n"], p["k"], Fraction(p["b"]), Fraction(p["a"]), p["loss"]
    net = _fd_gradients(n, k, b, a, loss)
    neuron = _fd_gradients(n, k, b, Fraction(1), None)
    ratios = {g / g0 for g, g0 in zip(net, neuron, strict=True) if g0 != 0}
    zeros_ok = all(g == 0 for g, g0 in zip(net, neuron, strict=True) if g0 == 0)
    if len(ratios) == 1 and zeros_ok:
        r = ratios.pop()
        return Evidence(r, note=f"finite differences over 2^{n} points: grad_w,b of the {loss} loss = {r} x neuron gradient")
    return Evidence("not proportional", note=f"ratios {sorted(ratios)}; zero pattern respected: {zeros_ok}")


def _loss_constraints(p: Mapping[str, Any]) -> str | None:
    if not 1 <= p["k"] <= p["n"]:
        return f"k must be in [1, n={p['n']}], got k={p['k']}"
    return None


LOSS_EQUIV = register(Claim(
    id="gradient.loss_equivalence",
    statement=r"at an init with output 0 and output weight $a$: $\nabla_{w,b}E[\ell(y,f)] = a\,\nabla_{w,b}(-E[y\,\mathrm{ReLU}(w\cdot x+b)])$ "
              r"for the hinge, square $(y-f)^2/2$ and correlation losses",
    source="featurecheck theory reference GRAD ('hinge and square loss at an initialisation where the output is 0'); "
           "Barak et al. (2022), Sec. 4.1",
    params=(Param("n", "int", low=1, high=12, default=7, typical=(1, 10)),
            Param("k", "int", low=1, high=12, default=2, typical=(1, 6)),
            _B,
            Param("loss", "choice", choices=("hinge", "square", "correlation"), default="hinge"),
            Param("a", "real", default=1, typical=(-3, 3), doc="second-layer weight of the gradient-carrying neuron")),
    value=lambda n, k, b, loss, a: R.loss_gradient_factor(loss, a),
    routes=(Route("finite-differences", _loss_fd, Rule.exact(),
                  applies=lambda p: not _has_ties(p["n"], Fraction(p["b"])) and Fraction(p["a"]) != 0,
                  applies_doc="no ties (w.x + b != 0 on the cube) and a != 0: central differences are exact"),),
    examples=({"n": 7, "k": 2, "b": 0, "loss": "hinge", "a": 1},
              {"n": 6, "k": 3, "b": "1/2", "loss": "square", "a": "-2/3"},
              {"n": 7, "k": 4, "b": 0, "loss": "correlation", "a": 3}),
    constraints=(_loss_constraints,),
    status="derived",
    tags=("relu", "gradient", "loss"),
))


# ---------------------------------------------------------------- odd k symmetry

def _odd_sym_constraints(p: Mapping[str, Any]) -> str | None:
    if not 3 <= p["k"] < p["n"]:
        return f"k must be an odd integer in [3, n-1={p['n'] - 1}], got k={p['k']}"
    b = Fraction(p["b"])
    if not -1 < b <= 1:
        return f"b must be in (-1, 1] (outside, the bias breaks the symmetry), got b={b}"
    if p["which"] == "bias":
        return "which must be relevant or irrelevant (the bias gradient is an odd level and does not vanish)"
    return None


ODD_K = register(Claim(
    id="gradient.odd_k_symmetry",
    statement=r"$n$ odd, $k \ge 3$ odd, $b \in (-1, 1]$: $\partial L/\partial w_{\mathrm{rel}} = \partial L/\partial w_{\mathrm{irr}} = 0$ "
              r"($T = (1+\mathrm{Maj}_n)/2$ and $\mathrm{Maj}_n$ is odd)",
    source="featurecheck theory reference GAP (odd k) and Barak et al. (2022), appendix on biases",
    params=(Param("n", "odd", low=5, high=4095, default=9, typical=(5, 101)),
            Param("k", "odd", low=3, high=4095, default=3, typical=(3, 9)),
            _B, _WHICH),
    value=lambda n, k, b, which: Fraction(0),
    routes=(_ENUM, _SYM, _MC),
    examples=({"n": 9, "k": 3, "b": 0, "which": "relevant"}, {"n": 11, "k": 5, "b": "1/2", "which": "irrelevant"},
              {"n": 101, "k": 3, "b": 1, "which": "relevant"}),
    constraints=(_odd_sym_constraints,),
    status="derived",
    tags=("relu", "gradient", "symmetry"),
))


# ---------------------------------------------------------------- one-step bound

ONE_STEP_TRIALS = 200


def _one_step_sweep(p: Mapping[str, Any], *, samples: int | None = None, seed: int = 0, alpha: float | None = ALPHA,
                    **_: Any) -> Evidence:
    trials = samples or ONE_STEP_TRIALS
    r = batch_sweep(p["n"], p["k"], p["b"], trials=trials, seed=seed, alpha=alpha or ALPHA)
    return Evidence(r.B_half, r.interval, trials * len(r.rows),
                    note=(f"B_1/2 bracket from {len(r.rows)} grid points x {trials} batches; simultaneous "
                          f"Clopper-Pearson, alpha={r.alpha:g} ({r.alpha_point:.2g} per point), seed={seed}"))


def _one_step_constraints(p: Mapping[str, Any]) -> str | None:
    if not 1 <= p["k"] < p["n"]:
        return f"k must be in [1, n-1={p['n'] - 1}], got k={p['k']}"
    g = R.fourier_gap(p["n"], p["k"], p["b"])
    if g is None or g <= 0:
        return f"the Fourier gap gamma(n={p['n']}, k={p['k']}, b={p['b']}) = {g} must be positive"
    return None


ONE_STEP = register(Claim(
    id="gradient.one_step_bound",
    statement=r"$B_{1/2} \le 8\log(4n)/\gamma^2$: a batch of $B \ge 8\log(2n/\delta)/\gamma^2$ samples puts $S$ on top of $|g|$ w.p. $\ge 1-\delta$ "
              r"(Hoeffding + union over $n$ coordinates; $\delta = 1/2$); $O(n^{k-1}\log(n/\delta))$",
    source="featurecheck theory reference ONE-STEP; Hoeffding (1963) Thm 2; Barak et al. (2022), Sec. 4.1",
    params=(Param("n", "int", low=2, high=64, default=9, typical=(4, 33)),
            Param("k", "int", low=1, high=63, default=2, typical=(1, 4)),
            _B),
    value=lambda n, k, b: R.one_step_bound(n, k, b, "1/2"),
    routes=(Route("minibatch-sweep", _one_step_sweep,
                  Rule.upper(ALPHA, "the simulated B_1/2 bracket does not lie above the bound"),
                  applies_doc="n <= 64 (samples = batches per grid point, default 200)",
                  start_samples=ONE_STEP_TRIALS),),
    examples=({"n": 9, "k": 2, "b": 0}, {"n": 17, "k": 2, "b": "1/2"}, {"n": 9, "k": 3, "b": 2}),
    constraints=(_one_step_constraints,),
    status="derived",
    tags=("relu", "sample-complexity", "bound"),
))

CLAIMS = (CLOSED_FORM, RATIO, GAP_SIGN, GAP_ONSET, GAP_ASYMPTOTE, LOSS_EQUIV, ODD_K, ONE_STEP)
