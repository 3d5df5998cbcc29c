"""Claims on majority and threshold functions (theory reference, sections 0-1; O'Donnell ch. 5).

Every claim here has an exact route at every default example and, where the work allows, at any ``n``:
the sum over Hamming weights ("weight-sum", :mod:`featurecheck.numerics.estimators.symmetric`) evaluates
each definition (``E[f chi_S]``, ``E[(D_i f)^2]``, ``E[f(x) f(y)]``) without enumeration and without
the closed forms of :mod:`featurecheck.theory.boolean`.

Statistical budget: each Monte Carlo route uses a two-sided empirical-Bernstein interval at
``alpha = 1e-6``. The default ``featurecheck verify`` runs at most 12 such checks from this module,
so a false alarm here has probability at most 1.2e-5 (union bound).
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from featurecheck.numerics.checking.routes import MAX_WEIGHT_SUM_COST, enumeration_route, mc_route, symmetric_route
from featurecheck.numerics.estimators import symmetric as W
from featurecheck.numerics.estimators.cube import (
    fourier_coefficient_symmetric,
    majority,
    symmetric_cost,
    symmetric_values,
    threshold,
)
from featurecheck.theory import boolean as B
from featurecheck.theory._exact import binomial
from featurecheck.theory.claims import Claim, Evidence, Param, Route, Rule, register

# sympy and mpmath are imported by the routes that use them, so `featurecheck list` starts without them

__all__ = ["CLAIMS"]

_N_ODD = Param("n", "odd", low=1, high=10**6, default=31, typical=(1, 1001), doc="number of variables (odd)")
_N = Param("n", "int", low=1, high=10**6, default=30, typical=(1, 1000), doc="number of variables")
_K = Param("k", "int", low=0, high=10**6, default=3, typical=(0, 9), doc="level |S|; S = {0..k-1}")
_K_ODD = Param("k", "odd", low=1, high=99, default=1, typical=(1, 9), doc="odd level")
_THETA = Param("theta", "real", default=0, typical=(-10, 10), doc="threshold: T = 1[sum x >= theta]")


def _k_le_n(p: Mapping[str, Any]) -> str | None:
    return None if p["k"] <= p["n"] else f"k must be in [0, n={p['n']}], got k={p['k']}"


def _maj_build(p: Mapping[str, Any]) -> tuple[Any, range]:
    return majority(p["n"]), range(p["k"])


def _thr_build(p: Mapping[str, Any]) -> tuple[Any, range]:
    return threshold(p["n"], p["theta"]), range(p["k"])


MAJ_COEF = register(Claim(
    id="majority.coefficient",
    statement=r"$\hat{\mathrm{Maj}}_n(S) = (-1)^j \binom{(n-1)/2}{j}\binom{n-1}{2j}^{-1} 2^{1-n}\binom{n-1}{(n-1)/2}$ for $|S|=2j+1$, 0 for even $|S|$",
    source="O'Donnell, Analysis of Boolean Functions (2014), Thm 5.19",
    params=(_N_ODD, _K),
    value=lambda n, k: B.majority_coefficient(n, k),
    routes=(enumeration_route(_maj_build), symmetric_route(_maj_build), mc_route(_maj_build)),
    examples=({"n": 7, "k": 3}, {"n": 21, "k": 5}, {"n": 63, "k": 3}, {"n": 1001, "k": 1}),
    constraints=(_k_le_n,),
    tags=("majority", "fourier"),
))

THR_COEF = register(Claim(
    id="threshold.coefficient",
    statement=r"$\hat T_\theta(S) = 2^{-n}\sum_{j<k}(-1)^j\binom{k-1}{j}\binom{n-k}{w-j}$, $T_\theta = 1[\sum x \ge \theta]$, $|S| = k \ge 1$",
    source="featurecheck theory reference LTF-COEF (derivative + Krawtchouk sum); O'Donnell ch. 5",
    params=(_N, _THETA, _K),
    value=lambda n, theta, k: B.threshold_coefficient(n, theta, k),
    routes=(enumeration_route(_thr_build), symmetric_route(_thr_build), mc_route(_thr_build)),
    examples=({"n": 10, "theta": 2, "k": 3}, {"n": 21, "theta": "-5/2", "k": 4}, {"n": 200, "theta": 7, "k": 2}),
    constraints=(_k_le_n,),
    status="derived",
    tags=("threshold", "fourier"),
))


def _levels_of(p: Mapping[str, Any]) -> list[Fraction]:
    if p["function"] == "majority":
        if p["n"] % 2 == 0:
            raise ValueError(f"n must be odd for majority, got {p['n']}")
        return B.majority_levels(p["n"])
    return B.threshold_levels(p["n"], p["theta"])


def _square_mean(p: Mapping[str, Any]) -> Fraction:
    # E[f^2]: 1 for the ±1 majority, Pr[sum x >= theta] for the 0/1 threshold (f^2 = f)
    if p["function"] == "majority":
        return Fraction(1)
    return Fraction(B.threshold_count(p["n"], p["theta"]), 1 << p["n"])


def _parseval_fwht(p: Mapping[str, Any], **_: Any) -> Evidence:
    from featurecheck.numerics.estimators.walsh import spectrum

    f = majority(p["n"]) if p["function"] == "majority" else threshold(p["n"], p["theta"])
    spec = spectrum(f)
    total = sum(int(v) * int(v) for v in spec.tolist())
    return Evidence(Fraction(total, 1 << (2 * p["n"])), note="sum of squared FWHT spectrum / 4^n")


def _parseval_weights(p: Mapping[str, Any], **_: Any) -> Evidence:
    f = majority(p["n"]) if p["function"] == "majority" else threshold(p["n"], p["theta"])
    total, c_nk = Fraction(0), 1
    for k, v in enumerate(W.symmetric_levels(symmetric_values(f))):
        total += c_nk * v * v
        c_nk = c_nk * (p["n"] - k) // (k + 1)
    return Evidence(total, note="sum_k C(n,k) hat f(k)^2, levels from the Krawtchouk generating function")


def _parseval_closed(p: Mapping[str, Any], **_: Any) -> Evidence:
    return Evidence(B.parseval_sum(_levels_of(p)), note="sum_k C(n,k) (closed-form level value)^2")


PARSEVAL = register(Claim(
    id="fourier.parseval",
    statement=r"$\sum_S \hat f(S)^2 = E[f^2]$ for $f = \mathrm{Maj}_n$ (=1) and $f = T_\theta$ (= $\Pr[\sum x \ge \theta]$)",
    source="O'Donnell (2014), Thm 1.16 (Parseval)",
    params=(Param("function", "choice", choices=("majority", "threshold"), default="majority"),
            Param("n", "int", low=1, high=2001, default=15, typical=(1, 201)), _THETA),
    value=lambda function, n, theta: _square_mean({"function": function, "n": n, "theta": theta}),
    routes=(
        Route("closed-form-sum", _parseval_closed, Rule.exact()),
        Route("fwht", _parseval_fwht, Rule.exact(), applies=lambda p: p["n"] <= 20, applies_doc="n <= 20"),
        Route("weight-sum", _parseval_weights, Rule.exact(), applies=lambda p: p["n"] <= W.MAX_LEVELS_N,
              applies_doc=f"n <= {W.MAX_LEVELS_N}"),
    ),
    examples=({"function": "majority", "n": 15}, {"function": "threshold", "n": 16, "theta": 3},
              {"function": "majority", "n": 1001}),
    constraints=(lambda p: "n must be odd for majority" if p["function"] == "majority" and p["n"] % 2 == 0 else None,),
    tags=("fourier", "parseval"),
))


def _sym_build(p: Mapping[str, Any]) -> tuple[Any, range]:
    return majority(p["n"]), range(p["n"] + 1 - p["k"])


def _mirror_closed(p: Mapping[str, Any], **_: Any) -> Evidence:
    return Evidence(abs(B.majority_coefficient(p["n"], p["n"] + 1 - p["k"])), note="|closed form at level n+1-k|")


def _mirror_enum(p: Mapping[str, Any], **kw: Any) -> Evidence:
    ev = enumeration_route(_sym_build).run(p, **kw)
    return Evidence(abs(ev.estimate), note="|enumerated coefficient at level n+1-k|")


_MIRROR_SUM = symmetric_route(_sym_build)


def _mirror_weights(p: Mapping[str, Any], **kw: Any) -> Evidence:
    ev = _MIRROR_SUM.run(p, **kw)
    return Evidence(abs(ev.estimate), note="|coefficient at level n+1-k| by the sum over Hamming weights")


SYMMETRY = register(Claim(
    id="majority.level_symmetry",
    statement=r"$|\hat{\mathrm{Maj}}_n(k)| = |\hat{\mathrm{Maj}}_n(n+1-k)|$, $1 \le k \le n$",
    source="featurecheck theory reference MAJ-SYMM (derived from Thm 5.19 of O'Donnell 2014)",
    params=(_N_ODD, Param("k", "int", low=1, high=10**6, default=3, typical=(1, 9))),
    value=lambda n, k: abs(B.majority_coefficient(n, k)),
    routes=(Route("closed-form-mirror", _mirror_closed, Rule.exact()),
            Route("enumeration", _mirror_enum, Rule.exact(), applies=lambda p: p["n"] <= 21, applies_doc="n <= 21"),
            Route("weight-sum", _mirror_weights, Rule.exact(), applies=_MIRROR_SUM.applies,
                  applies_doc=_MIRROR_SUM.applies_doc)),
    examples=({"n": 9, "k": 3}, {"n": 21, "k": 4}, {"n": 101, "k": 7}),
    constraints=(lambda p: None if 1 <= p["k"] <= p["n"] else f"k must be in [1, n={p['n']}], got {p['k']}",),
    status="derived",
    tags=("majority",),
))


def _influence_fourier(p: Mapping[str, Any], **_: Any) -> Evidence:
    return Evidence(B.influences(B.majority_levels(p["n"]), p["n"]), note="sum_{S ∋ i} hat Maj(S)^2 from the closed form")


def _influence_enum(p: Mapping[str, Any], **_: Any) -> Evidence:
    from featurecheck.numerics.estimators.cube import mean_exact

    # Pr[coordinate 0 is pivotal] = Pr[sum_{i>0} x_i = 0] = E[1[c <= m] - 1[c <= m-1]] on n-1 coordinates
    n = p["n"]
    if n == 1:
        return Evidence(Fraction(1), note="n = 1: the only coordinate is always pivotal")
    m = (n - 1) // 2
    le = mean_exact(threshold(n - 1, 0))  # 1[sum >= 0] over the other n-1 coordinates
    gt = mean_exact(threshold(n - 1, 0, strict=True))
    return Evidence(le - gt, note=f"Pr[the other {n - 1} coordinates tie], by enumeration; m={m}")


def _influence_weights(p: Mapping[str, Any], **_: Any) -> Evidence:
    return Evidence(W.symmetric_influence(symmetric_values(majority(p["n"]))),
                    note="E[(D_0 Maj)^2] summed over the Hamming weights of the other n-1 coordinates")


INFLUENCE = register(Claim(
    id="majority.influence",
    statement=r"$\mathrm{Inf}_i[\mathrm{Maj}_n] = \binom{n-1}{(n-1)/2} 2^{1-n}$",
    source="O'Donnell (2014), Example 2.22 / Thm 2.33",
    params=(_N_ODD,),
    value=lambda n: B.majority_influence(n),
    routes=(Route("fourier-sum", _influence_fourier, Rule.exact(), applies=lambda p: p["n"] <= 100_001,
                  applies_doc="n <= 100001 (all closed-form levels)"),
            Route("enumeration", _influence_enum, Rule.exact(), applies=lambda p: p["n"] <= 23, applies_doc="n <= 23"),
            Route("weight-sum", _influence_weights, Rule.exact())),
    examples=({"n": 7}, {"n": 21}, {"n": 501}),
    tags=("majority", "influence"),
))


# ------------------------------------------------------------------ limits and rates

def _grid(k: int) -> list[int]:
    base = [2 * k + 1, 4 * k + 1, 10 * k + 1, 100 * k + 1, 1000 * k + 1, 10000 * k + 1]
    return sorted({n if n % 2 else n + 1 for n in base})


def _series(seq: list[tuple[int, Any]], note: str) -> Evidence:
    n_last, a_last = seq[-1]
    return Evidence(float(a_last), series=tuple(seq), note=f"{note}; last n={n_last}")


def _weight(n: int, k: int) -> Fraction:
    return binomial(n, k) * B.majority_coefficient(n, k) ** 2


def _wk_exact_seq(p: Mapping[str, Any], **_: Any) -> Evidence:
    k = p["k"]
    return _series([(n, _weight(n, k)) for n in _grid(k)], "exact W^k[Maj_n] on a grid of n")


def _weights_apply(p: Mapping[str, Any]) -> bool:
    k = p["k"]
    return all(symmetric_cost(majority(n), range(k)) <= MAX_WEIGHT_SUM_COST for n in _grid(k))


def _sym_coef(n: int, k: int) -> Fraction:
    return fourier_coefficient_symmetric(majority(n), range(k))


def _wk_weight_seq(p: Mapping[str, Any], **_: Any) -> Evidence:
    k = p["k"]
    return _series([(n, binomial(n, k) * _sym_coef(n, k) ** 2) for n in _grid(k)],
                   "W^k[Maj_n] from coefficients summed over Hamming weights, on a grid of n")


def _wk_sympy(p: Mapping[str, Any], **_: Any) -> Evidence:
    return Evidence(B.majority_level_weight_limit(p["k"]), note="sympy.limit of C(n,k) * (Gamma form)^2")


LEVEL_LIMIT = register(Claim(
    id="majority.level_weight_limit",
    statement=r"$W^k[\mathrm{Maj}_n] \downarrow \frac{2}{\pi}\frac{((k-2)!!)^2}{k!}$ as $n\to\infty$ ($k$ odd; $W^1 \to 2/\pi$, $W^3 \to 1/(3\pi)$)",
    source="O'Donnell (2014), Thm 5.22 and Ex. 5.9",
    params=(_K_ODD,),
    value=lambda k: B.majority_level_weight_limit_formula(k),
    routes=(
        Route("sympy-limit", _wk_sympy, Rule.exact()),
        Route("exact-sequence", _wk_exact_seq, Rule.monotone_limit()),
        Route("weight-sum-sequence", _wk_weight_seq, Rule.monotone_limit(), applies=_weights_apply,
              applies_doc=f"n min(k, n-k) <= {MAX_WEIGHT_SUM_COST:.0e} on the grid (k <= 56 always)"),
    ),
    examples=({"k": 1}, {"k": 3}),
    tags=("majority", "asymptotics"),
))


def _decay_seq(p: Mapping[str, Any], **_: Any) -> Evidence:
    import mpmath

    k = p["k"]
    seq = []
    with mpmath.workdps(60):
        for n in _grid(k):
            c = abs(B.majority_coefficient(n, k))
            seq.append((n, mpmath.sqrt(mpmath.mpf(n) ** k) * c.numerator / c.denominator))
    return _series(seq, "n^{k/2} |hat Maj_n(k)| from the exact coefficient, 60 digits, on a grid of n")


def _decay_weight_seq(p: Mapping[str, Any], **_: Any) -> Evidence:
    import mpmath

    k = p["k"]
    seq = []
    with mpmath.workdps(60):
        for n in _grid(k):
            c = abs(_sym_coef(n, k))
            seq.append((n, mpmath.sqrt(mpmath.mpf(n) ** k) * c.numerator / c.denominator))
    return _series(seq, "n^{k/2} |hat Maj_n(k)|, coefficients summed over Hamming weights, 60 digits")


def _decay_sympy(p: Mapping[str, Any], **_: Any) -> Evidence:
    return Evidence(B.majority_coefficient_asymptote(p["k"]), note="sympy.limit of |Gamma form| n^{k/2}")


DECAY = register(Claim(
    id="majority.coefficient_decay",
    statement=r"$|\hat{\mathrm{Maj}}_n(S)| \sim \sqrt{2/\pi}\,(k-2)!!\, n^{-k/2}$ for fixed odd $k=|S|$",
    source="featurecheck theory reference MAJ-DECAY (from O'Donnell Thm 5.19 and Stirling); Barak et al. 2022, Sec. 4.1",
    params=(_K_ODD,),
    value=lambda k: B.majority_coefficient_asymptote_constant(k),
    routes=(
        Route("sympy-limit", _decay_sympy, Rule.exact()),
        Route("exact-sequence", _decay_seq, Rule.monotone_limit()),
        Route("weight-sum-sequence", _decay_weight_seq, Rule.monotone_limit(), applies=_weights_apply,
              applies_doc=f"n min(k, n-k) <= {MAX_WEIGHT_SUM_COST:.0e} on the grid (k <= 56 always)"),
    ),
    examples=({"k": 1},),
    status="derived",
    tags=("majority", "asymptotics"),
))


def _stab_enum(p: Mapping[str, Any], **_: Any) -> Evidence:
    """E[f(x) f(y)] at rho = r by exact enumeration of x and the flip pattern (n <= 11)."""
    n, rho = p["n"], Fraction(p["rho"])
    # y = x with each coordinate flipped independently w.p. (1 - rho)/2
    q = (1 - rho) / 2
    f = [1 if bin(x).count("1") < n / 2 else -1 for x in range(1 << n)]
    total = Fraction(0)
    for flips in range(1 << n):
        c = bin(flips).count("1")
        w = q**c * (1 - q) ** (n - c)
        s = sum(f[x] * f[x ^ flips] for x in range(1 << n))
        total += w * s
    return Evidence(total / (1 << n), note="sum over x and flip patterns, exact")


def _stab_weights(p: Mapping[str, Any], **_: Any) -> Evidence:
    val = W.symmetric_noise_stability(symmetric_values(majority(p["n"])), p["rho"])
    return Evidence(val, note="sum_c sum_c' Pr[c] Pr[c'|c] Maj(c) Maj(c') over Hamming weights, exact")


def _stab_value(n: int, rho: Fraction) -> Fraction:
    import sympy as sp

    poly = B.noise_stability(B.majority_levels(n))
    v = poly.eval(sp.Rational(rho.numerator, rho.denominator))
    return Fraction(int(v.p), int(v.q))


STABILITY = register(Claim(
    id="majority.noise_stability",
    statement=r"$\mathrm{Stab}_\rho[\mathrm{Maj}_n] = E[f(x)f(y)] = \sum_k W^k \rho^k$ ($y$ $\rho$-correlated)",
    source="O'Donnell (2014), Def. 2.42 and Thm 2.49",
    params=(Param("n", "odd", low=1, high=501, default=5, typical=(1, 11)),
            Param("rho", "real", low=-1, high=1, default="1/3", typical=(-1, 1))),
    value=_stab_value,
    routes=(Route("enumeration", _stab_enum, Rule.exact(), applies=lambda p: p["n"] <= 9, applies_doc="n <= 9"),
            Route("weight-sum", _stab_weights, Rule.exact(), applies_doc=f"n <= {W.MAX_STABILITY_N}")),
    examples=({"n": 5, "rho": "1/3"}, {"n": 7, "rho": "-3/5"}, {"n": 301, "rho": "9/10"}),
    tags=("majority", "noise-stability"),
))

CLAIMS = (MAJ_COEF, THR_COEF, PARSEVAL, SYMMETRY, INFLUENCE, LEVEL_LIMIT, DECAY, STABILITY)
