"""Claims behind the bound catalogue (theory reference, section 3; :mod:`featurecheck.theory.bounds`).

- ``sq.parity_orthogonality``: the C(n,k) k-parities are orthonormal (SQ dimension C(n,k)).
- ``csq.bessel``: ``sum_{|S|=k} hat q(S)^2 <= E[q^2]`` for bounded queries (tight in the span).
- ``sss.gradient_variance``: ``|H| Var_h ||grad F_h - mean||^2 <= G^2`` for small ReLU networks, over
  the k-parities and over all parities (Shalev-Shwartz, Shamir, Shammah 2017, Thm 1).
- ``gf2.full_rank_probability``: the Gaussian-elimination learner succeeds with probability
  ``prod_{i<n}(1 - 2^{i-m})``.
- ``erm.union_bound``: brute-force ERM over k-subsets succeeds with probability at least
  ``1 - (C(n,k) - 1) 2^{-m}``.

Statistical budget: the Monte Carlo routes use two-sided Clopper-Pearson intervals (success
probabilities) or empirical-Bernstein intervals (gradient variance) at ``alpha = 1e-6`` each. The default
examples run 7 such checks (3 GF(2), 3 ERM, 1 gradient variance), so a false alarm here has
probability at most 7e-6 (union bound). The other routes are exact.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from featurecheck.numerics.estimators import bound_checks as BC
from featurecheck.theory._exact import binomial
from featurecheck.theory.bounds import erm_union_bound, gf2_full_rank_probability
from featurecheck.theory.claims import DEFAULT_ALPHA, Claim, Evidence, Param, Route, Rule, register

__all__ = ["CLAIMS"]

ALPHA = DEFAULT_ALPHA
GF2_TRIALS = 100_000
ERM_TRIALS = 100_000
SSS_PAIRS = 1 << 20


def _k_in(low: int) -> Any:
    def c(p: Mapping[str, Any]) -> str | None:
        return None if low <= p["k"] <= p["n"] else f"k must be in [{low}, n={p['n']}], got k={p['k']}"
    return c


def _exact_upper(description: str) -> Rule:
    return Rule("upper", description=description)


def _point(x: Fraction) -> tuple[Fraction, Fraction]:
    return (x, x)  # exact evidence: a degenerate interval of Fractions (compared exactly)


# ----------------------------------------------------------------- SQ dimension
def _sq_enum(p: Mapping[str, Any], **_: Any) -> Evidence:
    T = BC.parity_tables(p["n"], p["k"])
    cnt = BC.orthonormal_count(T)
    return Evidence(cnt, note=f"rows of the exact Gram matrix of the {T.shape[0]} k-parities equal to 2^n e_S")


SQ_ORTHO = register(Claim(
    id="sq.parity_orthogonality",
    statement=r"the $\binom{n}{k}$ parities $\chi_S$, $|S|=k$, satisfy $E[\chi_S\chi_T] = 1[S=T]$, so the SQ dimension is $\binom{n}{k}$",
    source="Blum, Furst, Jackson, Kearns, Mansour, Rudich 1994 (SQ dimension); theory reference SQ-DIM",
    params=(Param("n", "int", low=1, high=14, default=10, typical=(1, 12), doc="number of bits"),
            Param("k", "int", low=0, high=14, default=3, typical=(0, 6), doc="parity size")),
    value=lambda n, k: binomial(n, k),
    routes=(Route("enumeration", _sq_enum, Rule.exact()),),
    examples=({"n": 10, "k": 3}, {"n": 12, "k": 6}),
    constraints=(_k_in(0),),
    status="derived",
    tags=("sq", "bounds"),
))


# ----------------------------------------------------------------- CSQ Bessel
def _bessel(p: Mapping[str, Any], *, seed: int = 0, **_: Any) -> Evidence:
    n, k = p["n"], p["k"]
    Q = BC.random_queries(n, p["queries"], seed=seed)
    rand = max(BC.level_weight_ratio(q, k) for q in Q)
    span = BC.level_weight_ratio(BC.span_query(n, k, seed=seed), k)
    best = max(rand, span)
    return Evidence(best, _point(best),
                    note=f"max over {p['queries']} random queries {float(rand):.4g}; span query {span} (exact FWHT)")


CSQ_BESSEL = register(Claim(
    id="csq.bessel",
    statement=r"$\max_q \sum_{|S|=k}\hat q(S)^2 / E[q^2] \le 1$ for bounded $q$ (Bessel); equality for $q$ in the span of k-parities",
    source="Bessel's inequality over the orthonormal k-parities; CSQ lower bound (C(n,k)-1) tau^2, theory reference SQ-DIM",
    params=(Param("n", "int", low=1, high=16, default=10, typical=(1, 12), doc="number of bits"),
            Param("k", "int", low=1, high=16, default=3, typical=(1, 6), doc="parity size"),
            Param("queries", "int", low=1, high=256, default=16, doc="random queries q: {-1,1}^n -> [-1,1]")),
    value=lambda n, k, queries: Fraction(1),
    routes=(Route("fwht", _bessel, _exact_upper("exact: max ratio <= 1 (rational comparison)"),
                  applies_doc="n <= 16"),),
    examples=({"n": 10, "k": 3}, {"n": 12, "k": 2, "queries": 8}),
    constraints=(_k_in(1),),
    status="derived",
    tags=("csq", "bounds"),
))


# ----------------------------------------------------------------- Shalev-Shwartz et al. variance
def _net(p: Mapping[str, Any]) -> BC.ReluNet:
    return BC.relu_net(p["n"], width=p["width"], net=p["net"])


def _sss_exact(p: Mapping[str, Any], **_: Any) -> Evidence:
    gv = BC.gradient_variance_exact(_net(p), p["family"], p["k"])
    ratio = "undefined (G^2 = 0: the network's gradient vanishes on the cube)" if gv.ratio is None \
        else f"{float(gv.ratio):.6g}"
    return Evidence(gv.delta, _point(gv.delta),
                    note=f"|H| = {gv.size}, |H| Var / G^2 = {ratio} (exact FWHT over 2^{p['n']} points)")


def _sss_mc(p: Mapping[str, Any], *, samples: int | None = None, seed: int = 0, alpha: float | None = ALPHA,
            **_: Any) -> Evidence:
    est = BC.gradient_variance_mc(_net(p), p["k"], pairs=samples or SSS_PAIRS, seed=seed, alpha=alpha or ALPHA)
    return Evidence(est.value, est.ci, est.n_samples,
                    note=f"pair estimator, empirical-Bernstein interval, alpha={est.alpha:g}, seed={seed}")


def _sss_constraints(p: Mapping[str, Any]) -> str | None:
    if p["family"] == "sparse" and not 1 <= p["k"] <= p["n"]:
        return f"k must be in [1, n={p['n']}], got k={p['k']}"
    if p["family"] == "sparse" and binomial(p["n"], p["k"]) >= 2**53:
        return f"C(n,k) must be < 2^53, got C({p['n']},{p['k']})"
    return None


SSS_VAR = register(Claim(
    id="sss.gradient_variance",
    statement=r"$|H|\,\mathrm{Var}_h\|\nabla F_h - \mathbb{E}_{h'}\nabla F_{h'}\|^2 - G^2 \le 0$, $G^2 = E\|\nabla_\theta p(x)\|^2$, $H$ = k-parities or all parities",
    source="Shalev-Shwartz, Shamir, Shammah 2017, 'Failures of Gradient-Based Deep Learning' (ICML), Thm 1; theory reference SSS-VAR",
    params=(Param("family", "choice", choices=("sparse", "all"), default="sparse", doc="k-parities or all 2^n parities"),
            Param("n", "int", low=2, high=63, default=10, typical=(2, 16), doc="number of bits"),
            Param("k", "int", low=1, high=63, default=3, typical=(1, 4), doc="parity size (family=sparse)"),
            Param("width", "int", low=1, high=16, default=4, doc="hidden ReLU units"),
            Param("net", "int", low=0, high=2**32, default=0, doc="network index (weights keyed by it)")),
    value=lambda family, n, k, width, net: Fraction(0),
    routes=(
        Route("fwht", _sss_exact, _exact_upper("exact: |H| Var - G^2 <= 0 (rational comparison)"),
              applies=lambda p: p["n"] <= 12, applies_doc="n <= 12"),
        Route("monte-carlo", _sss_mc, Rule.upper(ALPHA, "empirical-Bernstein interval not entirely above 0"),
              applies=lambda p: p["n"] > 12 and p["family"] == "sparse", applies_doc="n > 12, family=sparse"),
    ),
    examples=({"family": "sparse", "n": 10, "k": 3}, {"family": "all", "n": 10},
              {"family": "sparse", "n": 20, "k": 2, "net": 1}),
    constraints=(_sss_constraints, lambda p: None if p["family"] == "sparse" or p["n"] <= 12
                 else f"family=all is checked exactly for n <= 12 only, got n={p['n']}"),
    tags=("gradient", "bounds"),
))


# ----------------------------------------------------------------- GF(2) elimination
def _gf2_enum(p: Mapping[str, Any], **_: Any) -> Evidence:
    return Evidence(BC.gf2_full_rank_enumerated(p["n"], p["m"]), note=f"all 2^{p['n'] * p['m']} sample matrices")


def _gf2_mc(p: Mapping[str, Any], *, samples: int | None = None, seed: int = 0, alpha: float | None = ALPHA,
            **_: Any) -> Evidence:
    est = BC.gf2_success_mc(p["n"], p["m"], trials=samples or GF2_TRIALS, seed=seed, alpha=alpha or ALPHA)
    if est.anomalies:
        raise RuntimeError(f"GF(2) learner returned {est.anomalies} wrong unique solutions")
    return Evidence(est.value, est.ci, est.trials,
                    note=f"{est.successes}/{est.trials} unique solutions, Clopper-Pearson alpha={est.alpha:g}, seed={seed}")


GF2_RANK = register(Claim(
    id="gf2.full_rank_probability",
    statement=r"Gaussian elimination on $m$ noiseless parity samples recovers $S$ with probability $\prod_{i<n}(1-2^{i-m})$",
    source="rank of a uniform m x n matrix over GF(2); theory reference sec. 3 (non-SQ baselines)",
    params=(Param("n", "int", low=1, high=63, default=20, typical=(1, 63), doc="number of bits"),
            Param("m", "int", low=1, high=4096, default=22, typical=(1, 80), doc="number of samples")),
    value=lambda n, m: gf2_full_rank_probability(n, m),
    routes=(
        Route("enumeration", _gf2_enum, Rule.exact(), applies=lambda p: p["n"] * p["m"] <= 20,
              applies_doc="n*m <= 20"),
        Route("monte-carlo", _gf2_mc, Rule.interval(ALPHA, "value in the Clopper-Pearson 1-alpha interval")),
    ),
    examples=({"n": 4, "m": 4}, {"n": 20, "m": 20}, {"n": 48, "m": 50}),
    status="derived",
    tags=("gf2", "bounds"),
))


# ----------------------------------------------------------------- brute-force ERM
def _erm_enum(p: Mapping[str, Any], **_: Any) -> Evidence:
    v = BC.erm_success_enumerated(p["n"], p["k"], p["m"])
    return Evidence(v, _point(v), note=f"all 2^{p['n'] * p['m']} sample matrices")


def _erm_mc(p: Mapping[str, Any], *, samples: int | None = None, seed: int = 0, alpha: float | None = ALPHA,
            **_: Any) -> Evidence:
    est = BC.erm_success_mc(p["n"], p["k"], p["m"], trials=samples or ERM_TRIALS, seed=seed, alpha=alpha or ALPHA)
    return Evidence(est.value, est.ci, est.trials,
                    note=f"{est.successes}/{est.trials} unique consistent subsets, Clopper-Pearson alpha={est.alpha:g}")


ERM_UNION = register(Claim(
    id="erm.union_bound",
    statement=r"brute-force ERM over $k$-subsets with $m$ samples succeeds w.p. $\ge 1 - (\binom{n}{k}-1)2^{-m}$",
    source="union bound over the C(n,k)-1 wrong subsets (Occam); theory reference sec. 3",
    params=(Param("n", "int", low=2, high=63, default=20, typical=(2, 40), doc="number of bits"),
            Param("k", "int", low=1, high=62, default=2, typical=(1, 4), doc="parity size"),
            Param("m", "int", low=1, high=4096, default=12, typical=(1, 40), doc="number of samples")),
    value=lambda n, k, m: erm_union_bound(n, k, m),
    routes=(
        Route("enumeration", _erm_enum, Rule("lower", description="exact: success >= union bound"),
              applies=lambda p: p["n"] * p["m"] <= 20, applies_doc="n*m <= 20"),
        Route("monte-carlo", _erm_mc, Rule.lower(ALPHA, "Clopper-Pearson interval not entirely below the bound")),
    ),
    examples=({"n": 4, "k": 2, "m": 4}, {"n": 20, "k": 2, "m": 12}, {"n": 16, "k": 3, "m": 11}),
    constraints=(lambda p: None if 1 <= p["k"] < p["n"] and binomial(p["n"], p["k"]) <= 1 << 16
                 else f"k must be in [1, n-1] with C(n,k) <= 65536, got n={p['n']}, k={p['k']}",),
    status="derived",
    tags=("erm", "bounds"),
))

CLAIMS = (SQ_ORTHO, CSQ_BESSEL, SSS_VAR, GF2_RANK, ERM_UNION)
