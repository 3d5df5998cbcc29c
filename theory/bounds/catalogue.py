"""The bound catalogue (theory reference, sections 2-5): every :class:`~featurecheck.theory.bounds.model.Bound`.

Three problems, :data:`PARITY`, :data:`SINGLE_INDEX` and :data:`MULTI_INDEX`, collected in
:data:`PROBLEMS`; :data:`CATALOGUE` maps each bound id to its bound and :func:`get` looks one up.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from functools import cache
from typing import TYPE_CHECKING, Any

from featurecheck.theory.bounds.model import Bound, Problem

if TYPE_CHECKING:  # built by ``_build`` on first use and served by ``__getattr__``
    PARITY_BOUNDS: tuple[Bound, ...]
    SINGLE_INDEX_BOUNDS: tuple[Bound, ...]
    MULTI_INDEX_BOUNDS: tuple[Bound, ...]
    PARITY: Problem
    SINGLE_INDEX: Problem
    MULTI_INDEX: Problem
    PROBLEMS: dict[str, Problem]
    CATALOGUE: dict[str, Bound]

# the formulas are sympy expressions: the catalogue is built on first use (``_build``), so importing the
# bounds package (and ``featurecheck list``) starts without sympy

__all__ = ["PARITY", "SINGLE_INDEX", "MULTI_INDEX", "PROBLEMS", "CATALOGUE", "get"]

_LAZY = ("C", "PARITY_BOUNDS", "SINGLE_INDEX_BOUNDS", "MULTI_INDEX_BOUNDS", "PARITY", "SINGLE_INDEX", "MULTI_INDEX",
         "PROBLEMS", "CATALOGUE")


def _k_even(pt: Mapping[str, Any]) -> str | None:
    return None if int(pt["k"]) % 2 == 0 else "stated for even k only"


def _k_is_2(pt: Mapping[str, Any]) -> str | None:
    return None if int(pt["k"]) == 2 else "stated for k = 2 (XOR) only"


def _k_below_n(pt: Mapping[str, Any]) -> str | None:
    return None if int(pt["k"]) < int(pt["n"]) else "needs k < n (a wrong subset must exist)"


_BAREK = "Barak, Edelman, Goel, Kakade, Malach, Zhang 2022, 'Hidden Progress in Deep Learning' (arXiv 2207.08799)"
_ABM = "Abbe, Boix-Adsera, Misiakiewicz 2023, 'SGD learning on neural networks: leap complexity and saddle-to-saddle dynamics' (arXiv 2302.11055)"
_GMMM = "Ghorbani, Mei, Misiakiewicz, Montanari 2021, 'Linearized two-layers neural networks in high dimension' (Ann. Statist. 49(2)), main theorem"
_DNGL = "Damian, Nichani, Ge, Lee 2023, 'Smoothing the Landscape Boosts the Signal for SGD' (arXiv 2305.10633)"
_BA = "Ba, Erdogdu, Suzuki, Wang, Wu 2023, 'Learning in the presence of low-dimensional structure: a spiked random matrix perspective' (NeurIPS 2023)"


@cache
def _build() -> dict[str, Any]:
    """Build the catalogue: every bound as a sympy formula, the three problems, :data:`CATALOGUE` (built once)."""
    import sympy as sp

    from featurecheck.theory.bounds.model import (
        C_B,
        C_T,
        C_gap,
        C_w,
        c_w,
        d,
        delta,
        eps,
        k,
        kstar,
        leap,
        log2,
        n,
        p,
        r,
        tau,
    )

    C = sp.binomial(n, k)
    _thm4_width = C_w * 2**k * k * sp.log(k / eps)

    PARITY_BOUNDS: tuple[Bound, ...] = (
        Bound(
            "parity.information_theoretic", "parity", "Information-theoretic (Fano)", "samples", "lower",
            (1 - delta) * log2(C) - 1, "derived",
            "Fano's inequality (Cover & Thomas 2006, Thm 2.10.1): m noiseless labels carry at most m bits about S",
            conditions=("S uniform over the C(n,k) k-subsets", "exact recovery with probability >= 1 - delta"),
        ),
        Bound(
            "parity.erm", "parity", "Brute-force ERM over k-subsets", "samples", "upper",
            log2(C - 1) + log2(1 / delta), "derived",
            "union bound over the C(n,k)-1 wrong subsets, each consistent with prob 2^-m (Occam; theory reference sec. 3)",
            conditions=("noiseless labels", "success = the true subset is the only consistent one"),
            applies=_k_below_n, checked_by=("erm.union_bound",),
        ),
        Bound(
            "parity.erm_time", "parity", "Brute-force ERM over k-subsets", "time", "upper",
            C * (log2(C - 1) + log2(1 / delta)), "derived",
            "enumerate the C(n,k) subsets, check each on m samples (theory reference sec. 3)",
            hidden="up to constants", applies=_k_below_n,
        ),
        Bound(
            "parity.gaussian_elimination", "parity", "Gaussian elimination over GF(2)", "samples", "upper",
            n + log2(1 / delta), "derived",
            "P[m uniform vectors span F_2^n] = prod_{i<n}(1 - 2^{i-m}) >= 1 - 2^{n-m} (theory reference sec. 3)",
            conditions=("noiseless labels", "success = the linear system has a unique solution"),
            checked_by=("gf2.full_rank_probability",),
        ),
        Bound(
            "parity.gaussian_elimination_time", "parity", "Gaussian elimination over GF(2)", "time", "upper",
            n**2 * (n + log2(1 / delta)), "derived",
            "row reduction of an m x n matrix over GF(2): O(n^2 m) bit operations",
            hidden="up to constants",
        ),
        Bound(
            "parity.sq_dimension", "parity", "SQ dimension (orthogonal k-parities)", "sq-dimension", "lower",
            C, "derived",
            "the C(n,k) k-parities are pairwise orthogonal (theory reference SQ-DIM; Blum et al. 1994)",
            checked_by=("sq.parity_orthogonality",),
        ),
        Bound(
            "parity.sq_queries", "parity", "SQ lower bound (Blum et al. 1994)", "queries", "lower",
            C ** sp.Rational(1, 3) / 2, "theorem",
            "Blum, Furst, Jackson, Kearns, Mansour, Rudich 1994 (STOC), in the form quoted by Shi, Wei, Liang 2022 (arXiv 2206.01717), Thm 3",
            conditions=("tolerance tau > C(n,k)^(-1/3)", "target error < 1/2 - C(n,k)^(-3)"),
            notes="constants as quoted by Shi-Wei-Liang; not re-derived here [unsure]",
        ),
        Bound(
            "parity.sq_tolerance", "parity", "SQ lower bound (Blum et al. 1994)", "1/tolerance", "lower",
            C ** sp.Rational(1, 3), "theorem",
            "Blum, Furst, Jackson, Kearns, Mansour, Rudich 1994 (STOC), in the form quoted by Shi, Wei, Liang 2022 (arXiv 2206.01717), Thm 3",
            conditions=("fewer than C(n,k)^(1/3)/2 queries", "target error < 1/2 - C(n,k)^(-3)"),
            notes="the other branch of the same statement: tolerance <= C(n,k)^(-1/3); constants [unsure]",
        ),
        Bound(
            "parity.csq_bessel", "parity", "CSQ lower bound (Bessel)", "queries", "lower",
            (C - 1) * tau**2, "derived",
            "Bessel's inequality: one query q with E[q^2] <= 1 has |E[q chi_S]| > tau for fewer than 1/tau^2 sets S (theory reference SQ-DIM)",
            conditions=("correlational queries with E[q^2] <= 1 answered to tolerance tau",),
            checked_by=("csq.bessel",),
        ),
        Bound(
            "parity.sss_variance", "parity", "Gradient variance (Shalev-Shwartz et al. 2017)", "variance/G^2", "upper",
            1 / C, "theorem",
            "Shalev-Shwartz, Shamir, Shammah 2017, 'Failures of Gradient-Based Deep Learning' (ICML), Thm 1",
            conditions=("targets pairwise orthogonal (k-parities)", "F_h(w) = E[(p_w(x) - h(x))^2 / 2]"),
            checked_by=("sss.gradient_variance",),
        ),
        Bound(
            "parity.edelman_prop3", "parity", "Resource trade-off (Edelman et al. 2023, Prop. 3)", "resources", "lower",
            (1 - delta) * C / 2, "theorem",
            "Edelman, Goel, Kakade, Malach, Zhang 2023, 'Pareto Frontiers in Neural Feature Learning' (arXiv 2309.03800), Prop. 3",
            conditions=("r parameters, T steps, gradient noise tau ~ 1/sqrt(batch)", "success probability 1 - delta"),
            notes="the source writes r T / (tau^2 delta') > C(n,k)/2 with delta' the success probability",
        ),
        Bound(
            "parity.fixed_features", "parity", "Fixed features / kernel (Barak et al. 2022, Thm 5)", "features*norm^2", "lower",
            eps**2 * C, "theorem",
            f"{_BAREK}, Thm 5",
            conditions=("D fixed features, linear readout of norm <= R", "error parameter eps as in the source"),
        ),
        Bound(
            "parity.daniely_malach", "parity", "Fixed embedding (Daniely & Malach 2020)", "features*norm^2", "lower",
            eps**2 * C, "derived",
            "Daniely & Malach 2020, 'Learning Parities with Neural Networks' (NeurIPS 2020): "
            "avg_A E[<w, Psi(x)> chi_A]^2 <= B^2 N / C(n,k) for Psi: X -> [-1,1]^N, ||w|| <= B",
            conditions=("linear model on a fixed embedding with N features and norm B",
                        "average squared correlation eps^2 with the k-parities"),
            notes="N B^2 >= eps^2 C(n,k) follows from the quoted inequality; its exact constants are [unsure]",
        ),
        Bound(
            "parity.one_step", "parity", "One-step Fourier-gap estimator (Barak et al. 2022, Sec. 4.1)", "samples", "upper",
            C_gap * n ** (k - 1) * sp.log(n / delta), "derived",
            f"{_BAREK}, Sec. 4.1; Hoeffding + union bound over n coordinates with gap gamma = Theta(n^-(k-1)/2)",
            conditions=("single ReLU neuron, w = all ones, b = 0, n odd, k even, n >= 2k+1 (gap > 0)",
                        "odd k needs a bias (the paper's appendix)"),
            constants=(C_gap,), hidden="up to constants",
            notes="the constant of the gap is [unsure]; gamma (n-1)^((k-1)/2) -> sqrt(2/pi)(k-3)!!",
        ),
        Bound(
            "parity.barak_thm4_width", "parity", "ReLU MLP + SGD (Barak et al. 2022, Thm 4)", "width", "upper",
            _thm4_width, "theorem", f"{_BAREK}, Thm 4",
            conditions=("k even", "error eps"), constants=(C_w,), hidden="up to constants", applies=_k_even,
        ),
        Bound(
            "parity.barak_thm4_batch", "parity", "ReLU MLP + SGD (Barak et al. 2022, Thm 4)", "batch", "upper",
            C_B * n**k * sp.log(n / eps), "theorem", f"{_BAREK}, Thm 4",
            conditions=("k even", "error eps"), constants=(C_B,), hidden="up to constants", applies=_k_even,
        ),
        Bound(
            "parity.barak_thm4_steps", "parity", "ReLU MLP + SGD (Barak et al. 2022, Thm 4)", "steps", "upper",
            C_T * k**3 * _thm4_width**2 * n / eps**2, "theorem", f"{_BAREK}, Thm 4",
            conditions=("k even", "error eps", "r = the width of the same theorem"),
            constants=(C_T, C_w), hidden="up to constants", applies=_k_even,
            notes="O(k^3 r^2 n / eps^2) iterations; r read as the width [unsure]",
        ),
        Bound(
            "parity.barak_thm7", "parity", "Disjoint PolyNet, online SGD (Barak et al. 2022, Thm 7)", "steps", "upper",
            (n / k) ** (2 * k - 1) * sp.log(1 / eps), "theorem", f"{_BAREK}, Thm 7",
            conditions=("error eps",), hidden="up to constants and logs",
        ),
        Bound(
            "parity.kou_sign_sgd", "parity", "Sign SGD (Kou et al. 2024)", "samples", "upper",
            n ** (k - 1), "theorem",
            "Kou, Chen, Gu, Kakade 2024, 'Matching the Statistical Query Lower Bound for k-Sparse Parity Problems with Sign Stochastic Gradient Descent' (NeurIPS 2024, arXiv 2404.12376), main theorem",
            conditions=("k <= O(sqrt(n))", "two-layer network, sign SGD"), hidden="up to constants and logs",
        ),
        Bound(
            "parity.kou_sign_sgd_width", "parity", "Sign SGD (Kou et al. 2024)", "width", "upper",
            2 ** (c_w * k), "theorem",
            "Kou, Chen, Gu, Kakade 2024 (NeurIPS 2024, arXiv 2404.12376), main theorem: 2^Theta(k) neurons",
            conditions=("k <= O(sqrt(n))",), constants=(c_w,), hidden="up to constants",
        ),
        Bound(
            "parity.glasgow", "parity", "SGD on XOR (Glasgow 2023)", "samples", "upper",
            n, "theorem",
            "Glasgow 2023, 'SGD Finds then Tunes Features in Two-Layer Neural Networks with near-Optimal Sample Complexity: A Case Study in the XOR problem', main theorem",
            conditions=("k = 2",), hidden="up to constants and logs", applies=_k_is_2,
        ),
        Bound(
            "parity.leap_steps", "parity", "Leap conjecture, online SGD (Abbe et al. 2023)", "steps", "upper",
            n ** sp.Max(k - 1, 1), "conjecture", f"{_ABM}, Conjecture (a k-parity has leap k)",
            hidden="up to constants and logs",
            notes="translation from total compute d^max(Leap,2) to online steps [unsure]",
        ),
        Bound(
            "parity.leap_time", "parity", "Leap conjecture, online SGD (Abbe et al. 2023)", "time", "upper",
            n ** sp.Max(k, 2), "conjecture", f"{_ABM}, Conjecture (a k-parity has leap k)",
            hidden="up to constants and logs",
        ),
    )

    SINGLE_INDEX_BOUNDS: tuple[Bound, ...] = (
        Bound(
            "single-index.information_theoretic", "single-index", "Information-theoretic (parameter counting)", "samples",
            "lower", d, "derived", "a unit direction in R^d has d-1 free parameters (theory reference sec. 3)",
            hidden="up to constants",
        ),
        Bound(
            "single-index.kernel", "single-index", "Kernel / random features (Ghorbani et al. 2021)", "samples", "lower",
            d**p, "theorem", _GMMM,
            conditions=("rotation-invariant kernel; with n << d^p samples only degree < p is fitted", "link of degree p"),
            hidden="up to constants and logs",
        ),
        Bound(
            "single-index.csq", "single-index", "CSQ lower bound (Damian et al. 2023)", "samples", "lower",
            d ** (kstar / 2), "theorem", f"{_DNGL}, CSQ lower bound",
            conditions=("correlational statistical queries", "information exponent k*"),
            hidden="up to constants and logs",
            notes="a bound on q / tau^2, read as samples with tau ~ n^(-1/2)",
        ),
        Bound(
            "single-index.online_sgd", "single-index", "Online SGD (Ben Arous et al. 2021)", "samples", "upper",
            sp.Piecewise((d, sp.Eq(kstar, 1)), (d * sp.log(d), sp.Eq(kstar, 2)), (d ** (kstar - 1), True)), "theorem",
            "Ben Arous, Gheissari, Jagannath 2021, 'Online stochastic gradient descent on non-convex losses from high-dimensional inference' (JMLR 22), main theorem",
            conditions=("online SGD on the sphere from a random start", "information exponent k*"),
            hidden="up to constants and logs",
        ),
        Bound(
            "single-index.smoothed_sgd", "single-index", "Smoothed online SGD (Damian et al. 2023)", "samples", "upper",
            d ** sp.Max(1, kstar / 2), "theorem", f"{_DNGL}, main theorem",
            conditions=("information exponent k*",), hidden="up to constants and logs",
        ),
        Bound(
            "single-index.ba_kernel", "single-index", "Kernel ridge, spiked covariance (Ba et al. 2023)", "spike-exponent",
            "lower", 1 - 1 / p, "theorem", _BA,
            conditions=("x ~ N(0, I + theta mu mu^T), theta ~ d^beta, n/d -> psi", "learns iff beta >= 1 - 1/p"),
        ),
        Bound(
            "single-index.ba_network", "single-index", "Two-layer net + GD, spiked covariance (Ba et al. 2023)",
            "spike-exponent", "upper", 1 - 1 / kstar, "theorem", _BA,
            conditions=("x ~ N(0, I + theta mu mu^T), theta ~ d^beta, n/d -> psi", "learns if beta > 1 - 1/k*"),
        ),
    )

    MULTI_INDEX_BOUNDS: tuple[Bound, ...] = (
        Bound(
            "multi-index.information_theoretic", "multi-index", "Information-theoretic (parameter counting)", "samples",
            "lower", d * r, "derived", "an r-dimensional subspace of R^d has r(d-r) free parameters (theory reference sec. 4)",
            hidden="up to constants",
        ),
        Bound(
            "multi-index.kernel", "multi-index", "Kernel / random features (Ghorbani et al. 2021)", "samples", "lower",
            d**p, "theorem", _GMMM, conditions=("target of degree p",), hidden="up to constants and logs",
        ),
        Bound(
            "multi-index.dls", "multi-index", "One large gradient step (Damian, Lee, Soltanolkotabi 2022)", "samples",
            "upper", d**2 * r + d * r**p, "theorem",
            "Damian, Lee, Soltanolkotabi 2022, 'Neural Networks can Learn Representations with Gradient Descent' (COLT 2022, arXiv 2206.15144), main theorem",
            conditions=("f* = g(Ux), U in R^{r x d}, degree p", "E[Hessian f*] has rank r"),
            hidden="up to constants and logs",
        ),
        Bound(
            "multi-index.leap_steps", "multi-index", "Leap conjecture, online SGD (Abbe et al. 2023)", "steps", "upper",
            d ** sp.Max(leap - 1, 1), "conjecture", f"{_ABM}, Conjecture", conditions=("target with leap L",),
            hidden="up to constants and logs",
            notes="translation from total compute d^max(L,2) to online steps [unsure]",
        ),
        Bound(
            "multi-index.leap_time", "multi-index", "Leap conjecture, online SGD (Abbe et al. 2023)", "time", "upper",
            d ** sp.Max(leap, 2), "conjecture", f"{_ABM}, Conjecture", conditions=("target with leap L",),
            hidden="up to constants and logs",
        ),
    )

    PARITY = Problem("parity", r"Parity on $\{-1,1\}^n$ with sparsity $k$", ("n", "k"),
                     {"delta": Fraction(1, 10), "eps": Fraction(1, 10), "tau": Fraction(1, 10)}, PARITY_BOUNDS)
    SINGLE_INDEX = Problem("single-index", r"Gaussian single-index model, information exponent $k_*$, link degree $p$",
                           ("d", "kstar", "p"), {}, SINGLE_INDEX_BOUNDS)
    MULTI_INDEX = Problem("multi-index", r"Gaussian multi-index model $f = g(Ux)$, rank $r$, degree $p$",
                          ("d", "r", "p"), {"leap": 1}, MULTI_INDEX_BOUNDS)
    PROBLEMS: dict[str, Problem] = {pr.name: pr for pr in (PARITY, SINGLE_INDEX, MULTI_INDEX)}
    CATALOGUE: dict[str, Bound] = {b.id: b for pr in PROBLEMS.values() for b in pr.bounds}
    if len(CATALOGUE) != sum(len(pr.bounds) for pr in PROBLEMS.values()):  # pragma: no cover
        raise RuntimeError("duplicate bound ids in the catalogue")
    return {"C": C, "PARITY_BOUNDS": PARITY_BOUNDS, "SINGLE_INDEX_BOUNDS": SINGLE_INDEX_BOUNDS,
            "MULTI_INDEX_BOUNDS": MULTI_INDEX_BOUNDS, "PARITY": PARITY, "SINGLE_INDEX": SINGLE_INDEX,
            "MULTI_INDEX": MULTI_INDEX, "PROBLEMS": PROBLEMS, "CATALOGUE": CATALOGUE}


def __getattr__(name: str) -> Any:
    """Return :data:`PARITY`, :data:`SINGLE_INDEX`, :data:`MULTI_INDEX`, :data:`PROBLEMS` or :data:`CATALOGUE`.

    These and the bound tuples ``PARITY_BOUNDS``, ``SINGLE_INDEX_BOUNDS``, ``MULTI_INDEX_BOUNDS`` are
    built on first use.
    """
    if name in _LAZY:
        return _build()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def get(bound_id: str) -> Bound:
    """Return the bound with this id (raise ValueError listing close ids otherwise).

    Examples
    --------
    >>> get("multi-index.dls").quantity
    'samples'
    """
    catalogue: dict[str, Bound] = _build()["CATALOGUE"]
    try:
        return catalogue[bound_id]
    except KeyError:
        close = [b for b in catalogue if bound_id.split(".")[0] in b][:5]
        raise ValueError(f"unknown bound id {bound_id!r}; known ids start with "
                         f"{sorted({b.split('.')[0] for b in catalogue})}" + (f"; similar: {close}" if close else "")) from None
