"""Budgets of a check: false-alarm probability, resolution, samples and seconds.

One :class:`Budget` drives every check, from ``featurecheck verify`` and from the pytest assertions
alike. A property test that draws many examples splits a per-test budget over them with
:class:`AlphaLedger`. The sequential test that spends a budget is
:func:`featurecheck.numerics.checking.sequential.sequential_test`.

Error budget (the arithmetic)
-----------------------------
Let ``A`` be the family-wise false-alarm probability of one check of a claim at one example
(``Budget.alpha``, default ``1e-6``). By a union bound it is split

- equally over the ``m`` statistical routes that apply at the example: ``A / m`` each, and
- over the looks ``j = 0, 1, 2, ...`` of the sample schedule ``N_j = min_samples * growth^j`` by
  alpha-spending: look ``j`` runs at ``a_j = (A / m) / ((j + 1)(j + 2))``, and
  ``sum_{j>=0} 1/((j+1)(j+2)) = 1``.

Each look's two-sided interval holds with probability ``>= 1 - a_j`` whatever happened before, so
with probability ``>= 1 - A`` *every* interval of every look and route contains the true value at
once: a confidence sequence over the looks. Any stopping rule, including one driven by the data or by
the clock (``seconds``), keeps a false ``fail`` below ``A`` (Howard, Ramdas, McAuliffe & Sekhon 2021,
"Time-uniform, nonparametric, nonasymptotic confidence sequences", Ann. Statist. 49(2), Sec. 3: a
union bound over a geometric grid of looks is the simplest valid construction). On the same event a
``pass`` certifies ``|true - stated| <= 2 tol`` with ``tol = max(rtol |stated|, atol)``.

With the defaults (``A = 1e-6``, one route) look 0 runs at ``5e-7`` and look 5 (``2^26`` samples) at
``3.6e-8``; the empirical Bernstein radius grows like ``sqrt(log(4/a))``, so spending costs
``sqrt(log(4/3.6e-8) / log(4/1e-6)) = 1.17`` in width at look 5, against a fixed-``N`` test at ``A``.

Per-test budget
---------------
When Hypothesis draws many examples in one test, the per-test budget ``T`` (default ``1e-6``) is
split over the examples by :class:`AlphaLedger`: with ``M`` planned examples (``max_examples``), each
of the first ``M`` calls gets ``A = T / (2M)``, and call ``M + j`` (replays, shrinking) gets
``(T/2) M / ((M + j - 1)(M + j))``; the sum telescopes, ``sum_{j>=1} M/((M+j-1)(M+j)) = 1``, so the test
never spends more than ``T/2 + T/2 = T`` however many calls Hypothesis makes.
With the defaults (``T = 1e-6``, ``M = 40`` as in the ``ci`` profile) each example runs at
``A = 1.25e-8``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any

from featurecheck.theory.claims import DEFAULT_ALPHA

__all__ = ["Budget", "AlphaLedger", "DEFAULT_TEST_ALPHA", "DEFAULT_SECONDS", "MAX_SAMPLES", "CLI_MAX_SAMPLES"]

#: Per-test family-wise false-alarm budget of a property test (split over its examples).
DEFAULT_TEST_ALPHA = DEFAULT_ALPHA
#: Time per route of ``featurecheck verify`` (one route of one claim at one example), in seconds.
DEFAULT_SECONDS = 10.0
#: Default cap on the Monte Carlo samples of one route in the Python API (no clock: deterministic).
MAX_SAMPLES = 1 << 24
#: Cap on the Monte Carlo samples of one route of ``featurecheck verify`` (the clock usually stops first).
CLI_MAX_SAMPLES = 1 << 30


@dataclass(frozen=True)
class Budget:
    """What one check may spend: false-alarm probability, resolution, samples and seconds.

    Parameters
    ----------
    alpha : float
        Family-wise false-alarm probability of the check of one claim at one example (all statistical
        routes, all looks), in (0, 1).
    seconds : float or None
        Time per route: a Monte Carlo route escalates its sample count until it is resolved, refuted,
        at ``max_samples``, or would exceed ``seconds``. The sample count reached is recorded, so a
        replay with ``samples=`` reproduces the verdict without the clock. Default None (no clock):
        ``assert_claim`` and the pytest plugin are deterministic, bounded by ``max_samples``;
        ``featurecheck verify`` sets ``seconds`` (``--budget``, default 10) and ``max_samples = 2^30``.
    min_samples, max_samples : int
        First and largest Monte Carlo sample count (``2 <= min_samples <= max_samples <= 2^50``).
    growth : int
        Ratio between consecutive looks (``>= 2``).
    rtol, atol : float or None
        Resolution required for ``pass`` (None: the claim's own ``rtol``/``atol``).
    progress : bool
        Show each Monte Carlo escalation as a progress bar over ``seconds`` (samples reached, time
        spent) on stderr when it is a terminal; ``featurecheck verify`` sets it, never under ``--json``.

    Examples
    --------
    >>> Budget(max_samples=1 << 22).schedule()
    (65536, 262144, 1048576, 4194304)
    >>> Budget(alpha=1e-6).look_alpha(0, routes=2)
    2.5e-07
    >>> Budget().replay(3000).schedule()
    (3000,)
    """

    alpha: float = DEFAULT_ALPHA
    seconds: float | None = None
    min_samples: int = 1 << 16
    max_samples: int = MAX_SAMPLES
    growth: int = 4
    rtol: float | None = None
    atol: float | None = None
    progress: bool = False

    def __post_init__(self) -> None:
        if not (isinstance(self.alpha, (int, float)) and 0 < self.alpha < 1):
            raise ValueError(f"alpha must be a probability in (0, 1), got {self.alpha!r}")
        if self.seconds is not None and not (isinstance(self.seconds, (int, float)) and 0 < self.seconds <= 1e6):
            raise ValueError(f"seconds must be a number in (0, 1e6] or None, got {self.seconds!r}")
        if not (isinstance(self.min_samples, int) and 2 <= self.min_samples <= 2**50):
            raise ValueError(f"min_samples must be an integer in [2, 2^50], got {self.min_samples!r}")
        if not (isinstance(self.max_samples, int) and self.min_samples <= self.max_samples <= 2**50):
            raise ValueError(f"max_samples must be an integer in [min_samples={self.min_samples}, 2^50], "
                             f"got {self.max_samples!r}")
        if not (isinstance(self.growth, int) and self.growth >= 2):
            raise ValueError(f"growth must be an integer in [2, inf], got {self.growth!r}")
        for name in ("rtol", "atol"):
            v = getattr(self, name)
            if v is not None and not (isinstance(v, (int, float)) and 0 <= v and math.isfinite(v)):
                raise ValueError(f"{name} must be a number >= 0 or None, got {v!r}")

    def schedule(self) -> tuple[int, ...]:
        """Sample counts of the looks: ``min_samples * growth^j`` capped at ``max_samples``."""
        out = [self.min_samples]
        while out[-1] < self.max_samples:
            out.append(min(out[-1] * self.growth, self.max_samples))
        return tuple(out)

    def look_alpha(self, look: int, routes: int = 1) -> float:
        """``alpha / routes / ((look + 1)(look + 2))``: the level of look ``look`` of one route."""
        return self.alpha / max(1, routes) / ((look + 1) * (look + 2))

    def replay(self, samples: int) -> Budget:
        """Return the same budget without the clock, stopping at ``samples``: replays a recorded check."""
        return replace(self, seconds=None, min_samples=min(self.min_samples, samples), max_samples=samples)

    def tolerance(self, expected: float, rtol: float, atol: float) -> float:
        """``max(rtol |expected|, atol)``, with this budget's ``rtol``/``atol`` overriding the claim's."""
        r = rtol if self.rtol is None else self.rtol
        a = atol if self.atol is None else self.atol
        return max(r * abs(expected), a)


class AlphaLedger:
    """Splits a per-test false-alarm budget over the examples Hypothesis draws.

    Call :meth:`next` once per example; the returned :class:`Budget` has ``alpha = T / (2M)`` for the
    first ``M = planned`` calls and ``(T/2) M / ((M+j-1)(M+j))`` for call ``M + j``, so the total spent
    is at most ``T`` however many calls happen (module notes).

    Parameters
    ----------
    total : float
        Per-test family-wise budget ``T`` (default ``1e-6``).
    planned : int, optional
        Expected number of examples ``M``; default the active Hypothesis profile's ``max_examples``.
    **budget : Budget fields (``max_samples``, ``rtol``, ...) applied to every example.

    Examples
    --------
    >>> led = AlphaLedger(1e-6, planned=40)
    >>> led.next().alpha
    1.25e-08
    >>> _ = [led.next() for _ in range(39)]
    >>> round(led.next().alpha / 1e-6 * 2 * 41, 12)  # call 41 = M + 1 gets T / (2 (M + 1))
    1.0
    >>> _ = [led.next() for _ in range(10_000)]
    >>> led.spent < 1e-6
    True
    """

    def __init__(self, total: float = DEFAULT_TEST_ALPHA, planned: int | None = None, **budget: Any) -> None:
        if not 0 < total < 1:
            raise ValueError(f"total must be a probability in (0, 1), got {total!r}")
        if planned is None:
            from hypothesis import settings

            planned = int(settings().max_examples)  # the active profile's
        if planned < 1:
            raise ValueError(f"planned must be an integer in [1, inf], got {planned!r}")
        self.total = float(total)
        self.planned = int(planned)
        self.calls = 0
        self.spent = 0.0
        self._budget = Budget(**budget)

    def next(self) -> Budget:
        """Return the :class:`Budget` of the next example, its ``alpha`` added to :attr:`spent`."""
        self.calls += 1
        if self.calls <= self.planned:
            a = self.total / (2 * self.planned)
        else:
            M, j = self.planned, self.calls - self.planned
            a = self.total / 2 * M / ((M + j - 1) * (M + j))
        self.spent += a
        return replace(self._budget, alpha=a)
