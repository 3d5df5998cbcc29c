"""Claims on Gaussian space: Hermite coefficients, information exponents, Stein identities, leap.

Theory reference sections 0, 3 and 4 (conventions: probabilists' ``He_j``, ``c_j = E[f He_j]/j!``).

Statistical budget: the Monte Carlo routes use two-sided batch-means Student-t intervals
(:mod:`featurecheck.numerics.estimators.gaussian`) at ``alpha = 1e-6``. The default ``featurecheck verify`` runs 10 such
intervals from this module (5 coefficient checks, 3 in the information-exponent scans of relu and
abs, 2 Stein checks), so a false alarm here has probability below 1e-5 (union bound; the t
intervals are asymptotic). The two multi-index claims are experiments judged by a predicate at fixed
seeds (deterministic; their margins at the default examples are reported in the route notes).
Deterministic routes: sympy exact equality, and quadrature with stated absolute tolerances.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

import mpmath
import numpy as np
import sympy as sp

from featurecheck.numerics._kernels.rng import Purpose, generator
from featurecheck.numerics.estimators import gaussian as G
from featurecheck.theory import hermite as H
from featurecheck.theory import leap as Lp
from featurecheck.theory import stein as S
from featurecheck.theory.claims import DEFAULT_ALPHA, Claim, Evidence, Param, Route, Rule, register

__all__ = ["CLAIMS"]

_ALPHA = DEFAULT_ALPHA
_MC_SAMPLES = 1 << 21
_STEIN_SAMPLES = 1 << 20
_LINKS = ("relu", "abs", "sign", "step", "tanh")


@functools.lru_cache(maxsize=64)
def _coef_value(link: str, j: int) -> Any:
    if link in H.CLOSED_FORM_LINKS:
        return H.closed_form_coefficient(link, j)
    cs, _ = H.quadrature_coefficients(link, j, dps=30)
    return sp.Float(mpmath.nstr(cs[j], 30), 30)


def _mpmath_route(p: Mapping[str, Any], **_: Any) -> Evidence:
    # mpmath tanh-sinh on the link's own definition (not the closed form), split at the kink z = 0
    f = {"relu": lambda t: max(t, 0), "abs": abs, "sign": mpmath.sign, "step": lambda t: 1 if t >= 0 else 0}[p["link"]]
    j = p["j"]
    hj = sp.lambdify(H.Z, H.he(j), modules="mpmath")
    with mpmath.workdps(20):
        val = mpmath.quad(lambda t: f(t) * hj(t) * mpmath.npdf(t), [-mpmath.inf, 0, mpmath.inf], error=True)
        c = val[0] / mpmath.factorial(j)
    return Evidence(float(c), note=f"mpmath tanh-sinh at 20 digits, error estimate {float(val[1]):.1e}")


def _scipy_route(p: Mapping[str, Any], **_: Any) -> Evidence:
    from scipy import integrate

    fn = {"relu": lambda t: max(t, 0.0), "abs": abs, "sign": lambda t: float(np.sign(t)),
          "step": lambda t: 1.0 if t >= 0 else 0.0, "tanh": math.tanh}[p["link"]]
    hj = sp.lambdify(H.Z, H.he(p["j"]), "math")

    def g(t: float) -> float:
        return fn(t) * hj(t) * math.exp(-t * t / 2) / math.sqrt(2 * math.pi)

    val = sum(integrate.quad(g, a, b, limit=200, epsabs=1e-13, epsrel=1e-13, full_output=1)[0]
              for a, b in ((-14, 0), (0, 14)))
    return Evidence(val / math.factorial(p["j"]), note="scipy QUADPACK on [-14, 0] + [0, 14], |err| < 1e-9")


def _mc_coef_route(p: Mapping[str, Any], *, samples: int | None = None, seed: int = 0,
                   alpha: float | None = None, **_: Any) -> Evidence:
    a = alpha if alpha is not None else _ALPHA
    e = G.hermite_coefficient_mc(p["link"], p["j"], samples=samples or _MC_SAMPLES, seed=seed, alpha=a)
    return Evidence(e.value, e.ci, e.n_samples, note=f"batch-t interval, alpha={a:g}, seed={seed}")


HERMITE_COEF = register(Claim(
    id="hermite.coefficient",
    statement=r"$c_j = E[f(z) He_j(z)]/j!$: relu $c_j = He_{j-2}(0)/(\sqrt{2\pi} j!)$ ($j\ge2$), "
              r"sign $c_j = 2He_{j-1}(0)/(\sqrt{2\pi}j!)$ ($j$ odd), abs, step; tanh by quadrature",
    source="featurecheck theory reference section 0 (derived: phi He_j = (-1)^j phi^(j), integration by parts); "
           "O'Donnell (2014) ch. 11.2",
    params=(Param("link", "choice", choices=_LINKS, default="relu", doc="link function of z ~ N(0,1)"),
            Param("j", "int", low=0, high=20, default=2, typical=(0, 8), doc="Hermite index")),
    value=lambda link, j: _coef_value(link, j),
    routes=(
        Route("mpmath-quad", _mpmath_route, Rule.close(1e-15, "|quadrature - closed form| <= 1e-15 (20-digit quadrature)"),
              applies=lambda p: p["link"] in H.CLOSED_FORM_LINKS, applies_doc="closed-form links"),
        Route("scipy-quad", _scipy_route, Rule.close(1e-9, "|QUADPACK - value| <= 1e-9 (double precision)"),
              applies=lambda p: p["j"] <= 12, applies_doc="j <= 12"),
        Route("monte-carlo", _mc_coef_route, Rule.interval(_ALPHA, "value in the batch-t 1-alpha interval, alpha=1e-6"),
              applies=lambda p: p["j"] <= 6, applies_doc="j <= 6"),
    ),
    examples=({"link": "relu", "j": 2}, {"link": "abs", "j": 4}, {"link": "sign", "j": 3},
              {"link": "step", "j": 1}, {"link": "tanh", "j": 3}),
    status="derived",
    tags=("hermite", "gaussian"),
))


def _ie_value(link: str) -> int:
    k = H.information_exponent(link)
    if k is None:
        raise ValueError(f"link must be non-constant, got {link!r}")
    return k


def _ie_scan_quad(p: Mapping[str, Any], **_: Any) -> Evidence:
    link = p["link"]
    if link in _LINKS:
        for j in range(1, 9):
            c = _scipy_route({"link": link, "j": j}).estimate
            if abs(c) > 1e-8:
                return Evidence(j, note=f"first j >= 1 with |c_j| > 1e-8 by QUADPACK: c_{j} = {c:.6g}")
        return Evidence(None, note="no |c_j| > 1e-8 for j <= 8")
    expr = H.parse_polynomial(link)
    for j in range(1, H.MAX_DEGREE):
        c = H.hermite_coefficient_by_moments(expr, j)
        if c != 0:
            return Evidence(j, note=f"first nonzero E[f He_j]/j! by Gaussian moments: c_{j} = {c}")
    return Evidence(None, note="constant")


def _ie_scan_mc(p: Mapping[str, Any], *, samples: int | None = None, seed: int = 0,
                alpha: float | None = None, **_: Any) -> Evidence:
    a = alpha if alpha is not None else _ALPHA
    notes = []
    for j in range(1, 5):
        e = G.hermite_coefficient_mc(p["link"], j, samples=samples or _MC_SAMPLES, seed=seed + j, alpha=a)
        notes.append(f"c_{j} in [{e.ci[0]:.4g}, {e.ci[1]:.4g}]")
        if not e.contains(0.0):
            return Evidence(j, e.ci, e.n_samples, note="first batch-t interval excluding 0: " + "; ".join(notes))
    return Evidence(None, note="; ".join(notes))


INFO_EXP = register(Claim(
    id="hermite.information_exponent",
    statement=r"$k^* = \min\{j \ge 1 : c_j \ne 0\}$: relu, sign, step, tanh $\to 1$; $|z| \to 2$; $He_k \to k$",
    source="Ben Arous, Gheissari, Jagannath (2021), JMLR 22, Def. 1.2; theory reference section 0",
    params=(Param("link", "str", default="abs", doc="relu, abs, sign, step, tanh or a polynomial in z"),),
    value=lambda link: _ie_value(link),
    routes=(
        Route("coefficient-scan", _ie_scan_quad, Rule.exact()),
        Route("monte-carlo-scan", _ie_scan_mc,
              Rule.exact(),  # alpha: each interval at 1e-6 (see module docstring)
              applies=lambda p: p["link"] in ("relu", "abs", "sign"), applies_doc="relu, abs, sign"),
    ),
    examples=({"link": "relu"}, {"link": "abs"}, {"link": "tanh"}, {"link": "z**3 - 3*z"}, {"link": "He2(z) + He4(z)"}),
    constraints=(lambda p: None if p["link"] in _LINKS else (H.parse_polynomial(p["link"]) and None),),
    status="derived",
    tags=("hermite", "information-exponent"),
))

_Z1, _Z2 = sp.symbols("z1 z2", real=True)  # the symbols parse_polynomial creates


def _g_of(p: Mapping[str, Any]) -> tuple[sp.Expr, list[sp.Symbol]]:
    zs = [_Z1, _Z2][: p["r"]]
    names = [str(z) for z in zs]
    g = H.parse_polynomial(p["g"], names, name="g", hermite_functions=True)
    if not g.free_symbols <= set(zs) or sp.Poly(g, *zs).total_degree() < 1:
        raise ValueError(f"g must be a non-constant polynomial in {', '.join(names)}, got {p['g']!r}")
    return g, zs


def _first_nonzero(m: sp.Matrix) -> sp.Expr:
    for v in m:
        v = sp.cancel(sp.together(v))
        if v != 0:
            return v
    return sp.Integer(0)


def _stein_sym_route(p: Mapping[str, Any], **_: Any) -> Evidence:
    g, zs = _g_of(p)
    U = S.symbolic_matrix(p["r"], p["d"])
    c = (S.stein_first if p["order"] == 1 else S.stein_second)(g, zs, U)
    return Evidence(_first_nonzero(c.lhs - c.rhs),
                    note=f"first nonzero entry of E[f x{'x^T - I' if p['order'] == 2 else ''}] - E[D^{p['order']} f] "
                         f"with symbolic {p['r']}x{p['d']} U (0 = identity holds)")


def _stein_factor_route(p: Mapping[str, Any], **_: Any) -> Evidence:
    g, zs = _g_of(p)
    U = S.symbolic_matrix(p["r"], p["d"])
    st = S.hessian_structure(g, zs, U)
    return Evidence(_first_nonzero(st.expected_hessian - U.T * st.inner * U),
                    note="first nonzero entry of E[Hess f] - U^T E[(Hess g)(Ux)] U (rank <= r, columns in span(U^T))")


STEIN_SYMBOLIC = register(Claim(
    id="stein.symbolic",
    statement=r"$E[f(x)x] = E[\nabla f]$, $E[f(x)(xx^T - I)] = E[\nabla^2 f] = U^T E[\nabla^2 g] U$ for $f = g(Ux)$, symbolic $U$",
    source="Stein (1981), Lemma 1; Damian, Lee, Soltanolkotabi (2022), arXiv 2206.15144, Sec. 4",
    params=(Param("g", "str", default="z1**2*z2 + z1*z2", doc="polynomial in z1..zr"),
            Param("r", "int", low=1, high=2, default=2), Param("d", "int", low=1, high=4, default=2),
            Param("order", "int", low=1, high=2, default=2)),
    value=lambda g, r, d, order: sp.Integer(0),
    routes=(Route("sympy-moments", _stein_sym_route, Rule.exact()),
            Route("hessian-factorisation", _stein_factor_route, Rule.exact(),
                  applies=lambda p: p["order"] == 2, applies_doc="order 2")),
    examples=({"g": "z1**2*z2 + z1*z2", "r": 2, "d": 2, "order": 2}, {"g": "z1**3 + z1**2", "r": 1, "d": 3, "order": 1}),
    constraints=(lambda p: None if p["r"] <= p["d"] else f"r must be <= d={p['d']}, got {p['r']}",),
    tags=("stein", "gaussian", "multi-index"),
))


def _stein_mc_setup(p: Mapping[str, Any]) -> tuple[sp.Expr, list[sp.Symbol], np.ndarray, np.ndarray]:
    g, zs = _g_of({"g": p["g"], "r": 2})
    U = G.random_orthonormal(2, p["d"], seed=p["u_seed"])
    rng = generator(p["u_seed"], Purpose.STEIN_DIRECTION)
    w = rng.standard_normal(p["d"])
    if p["direction"] == "span":
        v = U.T @ (U @ w)
    else:
        v = w - U.T @ (U @ w)
    return g, zs, U, v / np.linalg.norm(v)


def _stein_mc_value(g: str, d: int, order: int, direction: str, u_seed: int) -> Any:
    if direction == "orthogonal":
        return Fraction(0)  # U v = 0 exactly for v orthogonal to span(U^T)
    gg, zs, U, v = _stein_mc_setup({"g": g, "d": d, "direction": direction, "u_seed": u_seed})
    return G.stein_expected(gg, zs, U, v, order)


def _stein_moments_route(p: Mapping[str, Any], **_: Any) -> Evidence:
    """The left side by its definition, with exact Gaussian moments: ``v^T x = c.z + s xi`` with
    ``c = U v``, ``s^2 = 1 - |c|^2`` and ``xi ~ N(0, 1)`` independent of ``z = U x``, so
    ``E[f(x) v^T x] = E[g(z) c.z]`` and ``E[f(x)((v^T x)^2 - 1)] = E[g(z) (c.z)^2] + (s^2 - 1) E[g(z)]``."""
    g, zs, U, v = _stein_mc_setup(p)
    c = [sp.Rational(float(x)) for x in U @ v]
    cz = sum((ci * z for ci, z in zip(c, zs, strict=True)), sp.Integer(0))
    if p["order"] == 1:
        lhs = H.gaussian_expectation(g * cz, zs)
    else:
        s2m1 = -sum((ci**2 for ci in c), sp.Integer(0))
        lhs = H.gaussian_expectation(g * cz**2, zs) + s2m1 * H.gaussian_expectation(g, zs)
    return Evidence(float(lhs), note="E[f(x) v^T x] or E[f(x)((v^T x)^2 - 1)] by exact Gaussian moments; "
                                     "U, v rounded to float64")


def _stein_mc_route(p: Mapping[str, Any], *, samples: int | None = None, seed: int = 0,
                    alpha: float | None = None, **_: Any) -> Evidence:
    a = alpha if alpha is not None else _ALPHA
    g, zs, U, v = _stein_mc_setup(p)
    e = G.stein_mc(g, zs, U, v, p["order"], samples=samples or _STEIN_SAMPLES, seed=seed, alpha=a)
    return Evidence(e.value, e.ci, e.n_samples, note=f"batch-t interval, alpha={a:g}, seed={seed}")


STEIN_MC = register(Claim(
    id="stein.monte_carlo",
    statement=r"$E[f(x)\,v^T x] = v^T U^T E[\nabla g]$, $E[f(x)\,v^T(xx^T - I)v] = v^T U^T E[\nabla^2 g] U v$ "
              r"(0 for $v \perp \mathrm{span}(U^T)$), random orthonormal $U \in R^{2\times d}$",
    source="Stein (1981), Lemma 1; Damian, Lee, Soltanolkotabi (2022), arXiv 2206.15144, Sec. 4",
    params=(Param("g", "str", default="z1**2 + z1*z2", doc="polynomial in z1, z2"),
            Param("d", "int", low=2, high=512, default=20),
            Param("order", "int", low=1, high=2, default=2),
            Param("direction", "choice", choices=("span", "orthogonal"), default="span",
                  doc="unit v inside span(U^T) or orthogonal to it"),
            Param("u_seed", "int", low=0, high=2**31, default=0, doc="seed of the random U and v")),
    value=_stein_mc_value,
    routes=(Route("gaussian-moments", _stein_moments_route,
                  Rule.close(1e-9, "|definition by exact moments - Stein side| <= 1e-9 (float64 U, v)")),
            Route("monte-carlo", _stein_mc_route, Rule.interval(_ALPHA, "value in the batch-t 1-alpha interval, alpha=1e-6"))),
    examples=({"g": "z1**2 + z1*z2", "d": 10, "order": 2, "direction": "span"},
              {"g": "z1**2*z2 + z1*z2 + z2", "d": 10, "order": 2, "direction": "orthogonal"},
              {"g": "z1**3 + z1*z2", "d": 100, "order": 1, "direction": "span"}),
    atol=0.02,  # the Monte Carlo route checks values of order 1 to +-0.02 absolute (0 for v orthogonal)
    tags=("stein", "gaussian", "multi-index"),
))


def _leap_value(polynomial: str, hermite: str) -> int:
    return Lp.leap_of_text(polynomial, hermite=hermite == "yes").leap


def _leap_monos(p: Mapping[str, Any]) -> tuple[list[Any], str]:
    if p["hermite"] == "yes":
        return Lp.parse_hermite(p["polynomial"]), "hermite"
    return Lp.parse_walsh(p["polynomial"]), "walsh"


def _leap_brute(p: Mapping[str, Any], **_: Any) -> Evidence:
    ms, kind = _leap_monos(p)
    r = Lp.leap_bruteforce(ms, kind=kind)
    return Evidence(r.leap, note=f"minimum over all {r.nodes} orderings")


def _leap_search(p: Mapping[str, Any], **_: Any) -> Evidence:
    ms, kind = _leap_monos(p)
    r = Lp.leap(ms, kind=kind, method="search")
    return Evidence(r.leap, note=f"branch and bound, {r.nodes} nodes")


LEAP = register(Claim(
    id="leap.value",
    statement=r"$\mathrm{Leap} = \min_\pi \max_i |S_{\pi(i)} \setminus \cup_{j<i} S_{\pi(j)}|$ (with multiplicity for Hermite); "
              r"staircase 1, $k$-parity $k$",
    source="Abbe, Boix-Adsera, Misiakiewicz (2023), arXiv 2302.11055, Def. 1",
    params=(Param("polynomial", "str", default="x0 + x0*x1 + x0*x1*x2", doc="Walsh polynomial in x_i or Hermite in z_i"),
            Param("hermite", "choice", choices=("no", "yes"), default="no")),
    value=_leap_value,
    routes=(Route("brute-force", _leap_brute, Rule.exact(),
                  applies=lambda p: len(_leap_monos(p)[0]) <= Lp.MAX_MONOMIALS_BRUTE, applies_doc="<= 9 monomials"),
            Route("branch-and-bound", _leap_search, Rule.exact(),
                  applies=lambda p: len(_leap_monos(p)[0]) <= Lp.MAX_MONOMIALS_SEARCH, applies_doc="<= 40 monomials")),
    examples=({"polynomial": "x0 + x0*x1 + x0*x1*x2", "hermite": "no"},
              {"polynomial": "x0*x1*x2", "hermite": "no"},
              {"polynomial": "x0*x1 + x2*x3*x4 + x0*x2 + x5", "hermite": "no"},
              {"polynomial": "He1(z0) + He3(z0)*He1(z1) + He2(z2)*He1(z3)", "hermite": "yes"}),
    status="derived",
    tags=("leap",),
))

CLAIMS: tuple[Claim, ...] = (HERMITE_COEF, INFO_EXP, STEIN_SYMBOLIC, STEIN_MC, LEAP)


# ------------------------------------------------------------------ multi-index (DLS 2022)

def _mi_runs(p: Mapping[str, Any], n: int, seed: int, kind: str = "network") -> list[Any]:
    from featurecheck.numerics.experiments import multi_index as MI

    out = []
    for s in range(p["seeds"]):
        t = MI.MultiIndexTarget.default(p["d"], 2, 3, seed=seed + s)
        if kind == "network":
            out.append(MI.run_network(t, n, p["m"], seed + s))
        else:
            out.append(MI.run_random_features(t, n, p["m"], seed + s))
    return out


def _recovery_route(p: Mapping[str, Any], *, value: Any, seed: int = 0, **_: Any) -> Evidence:
    d, th = p["d"], float(value)
    n = p["c"] * d * d
    hi = float(np.median([r.max_angle_deg for r in _mi_runs(p, n, seed)]))
    lo = float(np.median([r.max_angle_deg for r in _mi_runs(p, d, seed)]))
    return Evidence(hi, passed=hi < th < lo,
                    note=f"median largest principal angle over {p['seeds']} seeds: {hi:.1f} deg at n = {p['c']} d^2 = {n}, "
                         f"{lo:.1f} deg at n = d = {d} (control); threshold {th:g} deg")


RECOVERY = register(Claim(
    id="multi_index.subspace_recovery",
    statement=r"One gradient step (DLS Algorithm 1) on $f^* = g(Ux)$: the largest principal angle between the "
              r"top-$r$ row space of $W_1$ and $\mathrm{span}(U^T)$ falls below a threshold at $n = c\,d^2$ (and not at $n = d$)",
    source="Damian, Lee, Soltanolkotabi (2022), arXiv 2206.15144, Sec. 4 and Thm 1 (n ~ d^2 r samples)",
    params=(Param("d", "int", low=6, high=256, default=16, typical=(8, 40)),
            Param("c", "int", low=1, high=64, default=8, doc="n = c d^2 samples per stage"),
            Param("threshold_deg", "real", low=1, high=89, default=35, exact=False),
            Param("seeds", "int", low=1, high=20, default=3),
            Param("m", "even", low=2, high=4096, default=256, doc="width")),
    value=lambda d, c, threshold_deg, seeds, m: threshold_deg,
    routes=(Route("one-step-network", _recovery_route,
                  Rule.predicate("median max angle < threshold at n = c d^2 and > threshold at n = d"), takes_value=True),),
    examples=({"d": 16, "c": 8},),
    status="experiment",
    tags=("multi-index", "representation-learning"),
))


def _kvn_route(p: Mapping[str, Any], *, value: Any, seed: int = 0, **_: Any) -> Evidence:
    d, eps = p["d"], float(value)
    n = p["c"] * d * d
    net = float(np.median([r.test_error for r in _mi_runs(p, n, seed)]))
    rf = float(np.median([r.test_error for r in _mi_runs(p, n, seed, kind="rf")]))
    return Evidence(net, passed=net < eps < rf,
                    note=f"n = {n}: median relative test error network {net:.3f}, random features on the initial "
                         f"network (same width {p['m']}, same n) {rf:.3f}; eps = {eps:g}")


KERNEL_VS_NET = register(Claim(
    id="multi_index.kernel_vs_network",
    statement=r"On a degree-3 target $g(Ux)$, at $n = c\,d^2$ the one-step network reaches relative error $< \varepsilon$ "
              r"while ridge on the initial network's random features (a kernel method, same width and $n$) does not",
    source="Damian, Lee, Soltanolkotabi (2022), arXiv 2206.15144, Thm 1 vs Sec. 3 (kernels need n ~ d^p); "
           "Ghorbani, Mei, Misiakiewicz, Montanari (2021), Ann. Stat. 49(2)",
    params=(Param("d", "int", low=6, high=256, default=16, typical=(8, 40)),
            Param("c", "int", low=1, high=64, default=8, doc="n = c d^2"),
            Param("eps", "real", low=0, high=1, default="0.35", exact=False),
            Param("seeds", "int", low=1, high=20, default=3),
            Param("m", "even", low=2, high=4096, default=256, doc="width")),
    value=lambda d, c, eps, seeds, m: eps,
    routes=(Route("network-vs-random-features", _kvn_route,
                  Rule.predicate("median network error < eps < median random-features error"), takes_value=True),),
    examples=({"d": 16, "c": 8},),
    status="experiment",
    tags=("multi-index", "kernel"),
))

CLAIMS = CLAIMS + (RECOVERY, KERNEL_VS_NET)
