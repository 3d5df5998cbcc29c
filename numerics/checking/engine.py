"""The checking engine: run a claim's numeric routes and judge them against its stated value.

``check(claim, params)`` returns one :class:`CheckResult` per applicable route. The verdict comes from
the route's :class:`featurecheck.theory.claims.Rule`; for Monte Carlo routes the false-alarm probability of one
check is the rule's ``alpha`` (default 1e-6), so ``featurecheck verify`` over all defaults raises a
false alarm with probability at most ``alpha`` times the number of statistical checks (a union bound).
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from featurecheck.theory.claims import Claim, Evidence

__all__ = ["CheckResult", "check", "check_all", "jsonable"]


@dataclass(frozen=True)
class CheckResult:
    """One route of one claim at one parameter set."""

    id: str
    params: dict[str, Any]
    route: str
    expected: Any
    estimate: Any
    interval: tuple[float, float] | None
    passed: bool
    alpha: float | None = None
    n_samples: int | None = None
    seed: int | None = None
    rule: str = ""
    note: str = ""
    seconds: float = 0.0
    label: str = ""

    def to_json(self) -> dict[str, Any]:
        """The CLI contract: keys ``id, params, route, expected, estimate, interval, passed``."""
        return {
            "id": self.id,
            "params": {k: jsonable(v) for k, v in self.params.items()},
            "route": self.route,
            "expected": jsonable(self.expected),
            "estimate": jsonable(self.estimate),
            "interval": None if self.interval is None else [float(self.interval[0]), float(self.interval[1])],
            "passed": bool(self.passed),
        }


def jsonable(x: Any) -> Any:
    """JSON-friendly form: exact rationals become strings like ``"63/256"``; sympy becomes str."""
    if x is None or isinstance(x, (bool, str)):
        return x
    if isinstance(x, int):
        return x
    if isinstance(x, Fraction):
        return str(x)
    if isinstance(x, float):
        return x
    if isinstance(x, (list, tuple)):
        return [jsonable(v) for v in x]
    if isinstance(x, Mapping):
        return {str(k): jsonable(v) for k, v in x.items()}
    try:
        import numpy as np

        if isinstance(x, np.integer):
            return int(x)
        if isinstance(x, np.floating):
            return float(x)
    except ImportError:  # pragma: no cover
        pass
    return str(x)


def check(
    claim: Claim,
    params: Mapping[str, Any] | None = None,
    *,
    samples: int | None = None,
    seed: int = 0,
    routes: Iterable[str] | None = None,
) -> list[CheckResult]:
    """Check ``claim`` at ``params`` through every applicable route.

    Parameters
    ----------
    claim : Claim
    params : dict, optional
        Raw parameter values; validated by ``claim.bind`` before anything runs.
    samples : int, optional
        Monte Carlo sample count for statistical routes (None: each route's default).
    seed : int
        Seed for the routes' random streams.
    routes : iterable of str, optional
        Restrict to these route names.

    Examples
    --------
    >>> from featurecheck.numerics.claims import load_builtin_claims
    >>> from featurecheck.theory.claims import REGISTRY
    >>> load_builtin_claims()
    >>> rs = check(REGISTRY.get("majority.coefficient"), {"n": 7, "k": 3}, routes=["enumeration"])
    >>> rs[0].passed, str(rs[0].expected)
    (True, '-1/16')
    """
    bound = claim.bind(params)
    wanted = set(routes) if routes is not None else None
    expected = claim.expected(bound)
    out: list[CheckResult] = []
    for r in claim.routes:
        if wanted is not None and r.name not in wanted:
            continue
        if not r.applies(bound):
            continue
        t0 = time.perf_counter()
        ev: Evidence = r.run(dict(bound), samples=samples, seed=seed, alpha=r.rule.alpha)
        passed = r.rule.judge(expected, ev)
        out.append(
            CheckResult(
                id=claim.id,
                params=dict(bound),
                route=r.name,
                expected=expected,
                estimate=ev.estimate,
                interval=ev.interval,
                passed=passed,
                alpha=r.rule.alpha,
                n_samples=ev.n_samples,
                seed=seed,
                rule=r.rule.description or r.rule.kind,
                note=ev.note,
                seconds=time.perf_counter() - t0,
                label=claim.label(bound),
            )
        )
    if not out:
        raise ValueError(
            f"no numeric route of claim {claim.id} applies at {bound}; routes: "
            + "; ".join(f"{r.name} ({r.applies_doc})" for r in claim.routes)
        )
    return out


def check_all(
    claims: Iterable[Claim],
    params: Mapping[str, Any] | None = None,
    *,
    samples: int | None = None,
    seed: int = 0,
) -> list[CheckResult]:
    """Check each claim at ``params`` if given, else at each of its default examples."""
    results: list[CheckResult] = []
    for c in claims:
        sets = [params] if params else list(c.examples)
        for p in sets:
            results.extend(check(c, p, samples=samples, seed=seed))
    return results
