"""User claims: state your own lemma once, then verify and property-test it like a built-in claim.

:func:`claim` builds a :class:`featurecheck.theory.claims.Claim` (the same fields as the built-in claims) from

- an **exact side**: a Python function of the parameters returning an exact value (int, Fraction,
  sympy number), or a **sympy expression** whose free symbols are parameter names; and
- a **numeric side**, any of:

  - ``cube=build``: ``build(params) -> (CubeFunction, S)``; the claim is ``hat f(S)``, checked by exact
    enumeration (``n <= max_enum_n``) and by the toolkit's numba Monte Carlo kernels;
  - ``mean_of=build``: ``build(params) -> CubeFunction``; the claim is ``E[f(x)]``, same two routes;
  - ``estimator=fn``: ``fn(samples, seed, **params) -> array`` of i.i.d. draws of a bounded variable
    whose mean is the claim (plain Python/numpy, or a wrapper around your numba kernel), with
    ``value_range`` the almost-sure range; :func:`cube_points` gives reproducible (biased) cube samples;
  - ``exact=fn``: a second, independent exact computation (brute force), compared exactly;
  - ``routes=(...)``: any :class:`featurecheck.theory.claims.Route` objects.

Used as a decorator, the decorated function is the exact side::

    @claim(id="mine.level1", statement=..., source=..., params=(...), cube=build)
    def level1(n, k): ...

Claims are not put in the global registry unless ``register=True`` (or listed under the
``featurecheck.claims`` entry-point group of an installed package). Either way
``featurecheck verify mypkg.module:level1`` and ``featurecheck verify --module mypkg.module`` check them,
and :func:`featurecheck.numerics.testing.properties.property_test` / the pytest plugin property-test them.

Monte Carlo budget of the ``estimator`` route: a two-sided interval of kind ``interval`` at the route's
``alpha`` (default 1e-6; :func:`featurecheck.numerics.testing.assertions.assert_claim` passes its split levels instead).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from fractions import Fraction
from typing import Any

import numpy as np

from featurecheck.numerics._kernels.rng import CHUNK, Purpose, chunk_seed
from featurecheck.numerics.checking.routes import DEFAULT_ALPHA, MAX_ENUM_N, enumeration_route, mc_route
from featurecheck.numerics.estimators.cube import CubeFunction, mean_exact, mean_mc
from featurecheck.numerics.estimators.intervals import sample_mean_estimate
from featurecheck.theory._validate import check_int, check_real
from featurecheck.theory.claims import DEFAULT_RTOL, Claim, Evidence, Param, Route, Rule

__all__ = ["claim", "cube_points", "estimator_route", "sympy_value"]

def cube_points(n: int, samples: int, seed: int, mean: Any = 0) -> np.ndarray:
    """Draw ``samples`` i.i.d. points of ``{-1, 1}^n`` as an int8 array of shape ``(samples, n)``.

    Each coordinate is ``+1`` with probability ``(1 + mean) / 2`` (``mean = 0``: uniform; otherwise the
    ``mean``-biased product measure of O'Donnell 2014, Sec. 8.4). Reproducible: rows are drawn in
    chunks of ``featurecheck.numerics.estimators.cube.CHUNK`` from Philox streams keyed by ``(seed, chunk index)``, so the first
    ``m`` rows do not depend on ``samples >= m``.

    Examples
    --------
    >>> x = cube_points(3, 5, seed=0)
    >>> x.shape, x.dtype, set(np.unique(x).tolist()) <= {-1, 1}
    ((5, 3), dtype('int8'), True)
    >>> bool((cube_points(3, 5, seed=0)[:2] == cube_points(3, 2, seed=0)).all())
    True
    """
    n = check_int("n", n, 1, 4096)
    samples = check_int("samples", samples, 1, 2**40)
    seed = check_int("seed", seed, 0, 2**63 - 1)
    mu = float(check_real("mean", mean, -1, 1))
    p_plus = (1.0 + mu) / 2.0
    out = np.empty((samples, n), dtype=np.int8)
    for c in range(0, (samples + CHUNK - 1) // CHUNK):
        lo, hi = c * CHUNK, min(samples, (c + 1) * CHUNK)
        rng = np.random.Generator(np.random.Philox(chunk_seed(seed, Purpose.USER_POINTS, c)))
        u = rng.random((CHUNK, n))[: hi - lo]
        out[lo:hi] = np.where(u < p_plus, 1, -1)
    return out


def estimator_route(
    estimator: Callable[..., Any],
    value_range: tuple[float, float] | Callable[[Mapping[str, Any]], tuple[float, float]],
    *,
    alpha: float = DEFAULT_ALPHA,
    default_samples: int = 1 << 20,
    interval: str = "bernstein",
    rule: str = "interval",
    name: str = "monte-carlo",
    applies: Callable[[Mapping[str, Any]], bool] | None = None,
    applies_doc: str = "always",
) -> Route:
    """Build a Monte Carlo route from a per-draw estimator ``estimator(samples, seed, **params) -> array``.

    ``rule`` is ``"interval"`` (the claim is the mean), ``"upper"`` (the claim bounds the mean from
    above) or ``"lower"``.

    Examples
    --------
    >>> r = estimator_route(lambda samples, seed, n: cube_points(n, samples, seed)[:, 0], (-1, 1))
    >>> ev = r.run({"n": 3}, samples=4096, seed=0, alpha=1e-3)
    >>> ev.interval[0] <= 0 <= ev.interval[1]
    True
    """
    kinds = {"interval": Rule.interval, "upper": Rule.upper, "lower": Rule.lower}
    if rule not in kinds:
        raise ValueError(f"rule must be one of {list(kinds)}, got {rule!r}")

    def run(p: Mapping[str, Any], *, samples: int | None = None, seed: int = 0,
            alpha: float | None = alpha) -> Evidence:
        vr = value_range(p) if callable(value_range) else value_range
        est = sample_mean_estimate(lambda N, s: estimator(N, s, **p), samples or default_samples, seed,
                                   alpha if alpha is not None else DEFAULT_ALPHA, value_range=vr,
                                   interval=interval)
        return Evidence(est.value, est.ci, est.n_samples,
                        note=f"{interval} interval, alpha={est.alpha:g}, seed={seed}")

    return Route(name, run, kinds[rule](alpha, f"value in the {interval} 1-alpha interval ({rule}), alpha={alpha:g}"),
                 applies=applies or (lambda p: True), applies_doc=applies_doc)


def _to_sympy(v: Any) -> Any:
    import sympy as sp

    if isinstance(v, Fraction):
        return sp.Rational(v.numerator, v.denominator)
    if isinstance(v, bool):
        return v
    if isinstance(v, (int, float, str)):
        return sp.sympify(v)
    return v


def sympy_value(expr: Any, names: Sequence[str]) -> Callable[..., Any]:
    """Exact-side callable from a sympy expression whose free symbols are parameter names.

    The result is a sympy number (Rational when the value is rational).

    Examples
    --------
    >>> import sympy as sp
    >>> mu, k = sp.symbols("mu k")
    >>> sympy_value(mu**k, ["mu", "k"])(mu=Fraction(1, 2), k=3)
    1/8
    """
    import sympy as sp

    e = sp.sympify(expr)
    free = {s.name: s for s in e.free_symbols}
    missing = sorted(set(free) - set(names))
    if missing:
        raise ValueError(f"the value expression uses {missing}, which are not parameters {list(names)}")

    def value(**params: Any) -> Any:
        out = e.subs({free[k]: _to_sympy(v) for k, v in params.items() if k in free})
        out = sp.nsimplify(out) if out.is_Float else sp.simplify(out)
        return out

    value.__doc__ = f"sympy: {e}"
    return value


def _mean_routes(build: Callable[[Mapping[str, Any]], CubeFunction], alpha: float, samples: int,
                 interval: str, max_enum_n: int) -> tuple[Route, Route]:
    def enum(p: Mapping[str, Any], **_: Any) -> Evidence:
        f = build(p)
        return Evidence(mean_exact(f), note=f"exact mean over 2^{f.n} points")

    def mc(p: Mapping[str, Any], *, samples: int | None = None, seed: int = 0,
           alpha: float | None = alpha) -> Evidence:
        est = mean_mc(build(p), samples=samples or default, seed=seed,
                      alpha=alpha if alpha is not None else DEFAULT_ALPHA, interval=interval)
        return Evidence(est.value, est.ci, est.n_samples, note=f"{interval} interval, alpha={est.alpha:g}, seed={seed}")

    default = samples
    return (Route("enumeration", enum, Rule.exact(), applies=lambda p: build(p).n <= max_enum_n,
                  applies_doc=f"n <= {max_enum_n}"),
            Route("monte-carlo", mc, Rule.interval(alpha, f"value in the {interval} 1-alpha interval, alpha={alpha:g}"),
                  applies_doc="any n <= 4096"))


def claim(
    id: str,
    statement: str = "",
    source: str = "",
    params: Iterable[Param] = (),
    value: Any = None,
    *,
    routes: Iterable[Route] = (),
    cube: Callable[[Mapping[str, Any]], tuple[CubeFunction, Iterable[int]]] | None = None,
    mean_of: Callable[[Mapping[str, Any]], CubeFunction] | None = None,
    estimator: Callable[..., Any] | None = None,
    value_range: tuple[float, float] | Callable[[Mapping[str, Any]], tuple[float, float]] | None = None,
    exact: Callable[..., Any] | None = None,
    exact_applies: Callable[[Mapping[str, Any]], bool] | None = None,
    bound: str = "interval",
    examples: Iterable[Mapping[str, Any]] = ({},),
    constraints: Iterable[Callable[[Mapping[str, Any]], str | None]] = (),
    status: str = "conjecture",
    tags: Iterable[str] = (),
    notes: str = "",
    alpha: float = DEFAULT_ALPHA,
    samples: int = 1 << 22,
    interval: str = "bernstein",
    max_enum_n: int = MAX_ENUM_N,
    register: bool = False,
    rtol: float = DEFAULT_RTOL,
    atol: float = 0.0,
) -> Any:
    """Build a user :class:`featurecheck.theory.claims.Claim` (or, without ``value``, a decorator that builds one).

    Parameters
    ----------
    id, statement, source, params, examples, constraints, status, tags, notes
        As for built-in claims (:class:`featurecheck.theory.claims.Claim`). ``examples`` are validated now.
    value : callable or sympy expression, optional
        The exact side. Omit it to use ``@claim(...)`` as a decorator on the exact-side function.
    routes : iterable of Route
        Extra numeric routes.
    cube : callable, optional
        ``cube(params) -> (f, S)``: the claim is ``hat f(S)`` (enumeration + numba Monte Carlo).
    mean_of : callable, optional
        ``mean_of(params) -> f``: the claim is ``E[f(x)]`` (enumeration + numba Monte Carlo).
    estimator : callable, optional
        ``estimator(samples, seed, **params) -> array`` of draws whose mean is the claim; needs
        ``value_range`` (a pair, or ``value_range(params) -> pair``).
    exact : callable, optional
        ``exact(**params)``: an independent exact computation, compared exactly (route ``exact``);
        ``exact_applies(params)`` limits where it runs.
    bound : {"interval", "upper", "lower"}
        For ``estimator``: the claim is the mean, an upper bound, or a lower bound on it.
    alpha, samples, interval
        Monte Carlo level, default sample count and interval kind of the generated routes.
    register : bool
        Also register the claim in the global registry (``featurecheck list`` shows it).
    rtol, atol : float
        The resolution a statistical route must reach for ``pass`` (half-width at most
        ``max(rtol |value|, atol)``); state ``atol`` when the value can be 0 or tiny.

    Returns
    -------
    Claim, or a decorator returning a Claim.

    Examples
    --------
    >>> from featurecheck.numerics.estimators.cube import majority
    >>> from featurecheck.theory.boolean import majority_coefficient
    >>> @claim(id="demo.maj_level1", statement="hat Maj_n({0})", source="O'Donnell Thm 5.19",
    ...        params=(Param("n", "odd", low=1, high=999, default=9),),
    ...        cube=lambda p: (majority(p["n"]), [0]))
    ... def maj_level1(n):
    ...     return majority_coefficient(n, 1)
    >>> [r.name for r in maj_level1.routes]
    ['enumeration', 'monte-carlo']
    >>> from featurecheck.numerics.checking.engine import check
    >>> [r.passed for r in check(maj_level1, {"n": 9})]
    [True, True]
    """
    frame_module = sys._getframe(1).f_globals.get("__name__", "__main__")
    opts = dict(statement=statement, source=source, params=tuple(params), routes=tuple(routes), cube=cube,
                mean_of=mean_of, estimator=estimator, value_range=value_range, exact=exact,
                exact_applies=exact_applies, bound=bound, examples=tuple(examples), constraints=tuple(constraints),
                status=status, tags=tuple(tags), notes=notes, alpha=alpha, samples=samples, interval=interval,
                max_enum_n=max_enum_n, register=register, module=frame_module, rtol=rtol, atol=atol)
    if value is None:
        def decorate(fn: Callable[..., Any]) -> Claim:
            o = dict(opts)
            if not o["statement"]:
                o["statement"] = (fn.__doc__ or fn.__name__).strip().splitlines()[0]
            o["module"] = getattr(fn, "__module__", frame_module)
            return _build(id, fn, **o)

        return decorate
    return _build(id, value, **opts)


def _build(id: str, value: Any, *, statement: str, source: str, params: tuple[Param, ...], routes: tuple[Route, ...],
           cube: Any, mean_of: Any, estimator: Any, value_range: Any, exact: Any, exact_applies: Any, bound: str,
           examples: tuple[Mapping[str, Any], ...], constraints: tuple[Any, ...], status: str, tags: tuple[str, ...],
           notes: str, alpha: float, samples: int, interval: str, max_enum_n: int, register: bool,
           module: str, rtol: float, atol: float) -> Claim:
    names = [p.name for p in params]
    if callable(value):
        fn = value
    else:
        try:
            import sympy as sp

            is_expr = isinstance(value, sp.Basic)
        except ImportError:  # pragma: no cover
            is_expr = False
        if is_expr:
            fn = sympy_value(value, names)
        else:
            const = value

            def fn(**_: Any) -> Any:
                return const
    all_routes: list[Route] = []
    if exact is not None:
        def run_exact(p: Mapping[str, Any], **_: Any) -> Evidence:
            return Evidence(exact(**p), note="independent exact computation")

        all_routes.append(Route("exact", run_exact, Rule.exact(), applies=exact_applies or (lambda p: True),
                                applies_doc="see exact_applies" if exact_applies else "always"))
    if cube is not None:
        all_routes.append(enumeration_route(cube, max_n=max_enum_n))
        all_routes.append(mc_route(cube, alpha=alpha, default_samples=samples, interval=interval))
    if mean_of is not None:
        all_routes.extend(_mean_routes(mean_of, alpha, samples, interval, max_enum_n))
    if estimator is not None:
        if value_range is None:
            raise ValueError(f"claim {id}: an estimator needs value_range=(low, high), the range of one draw")
        all_routes.append(estimator_route(estimator, value_range, alpha=alpha, default_samples=min(samples, 1 << 20),
                                          interval=interval, rule=bound))
    all_routes.extend(routes)
    c = Claim(id=id, statement=statement or id, source=source or "user claim", params=params, value=fn,
              routes=tuple(all_routes), examples=examples, constraints=constraints, status=status, tags=tags,
              notes=notes, origin=module, rtol=rtol, atol=atol)
    for ex in examples:
        c.bind(ex)  # fail at definition time on a bad example
    if register:
        from featurecheck.theory.claims import register as _register

        _register(c)
    return c
