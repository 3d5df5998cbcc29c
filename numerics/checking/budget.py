"""False-alarm budgets of a statistical check: one claim at one example, and one test of many examples.

A check of a claim at one parameter set has a family-wise false-alarm probability ``A``
(:class:`Budget`); a property test that draws many examples has a per-test budget ``T`` split over the
examples (:class:`AlphaLedger`). The sequential test that spends them is
:mod:`featurecheck.numerics.checking.sequential`.

Error budget (the arithmetic)
-----------------------------
Let ``A`` be the family-wise false-alarm probability of one :func:`assert_claim` call
(``Budget.alpha``). It is split by a union bound

- equally over the ``m`` statistical routes that apply at the example: ``A / m`` each, and
- equally over the ``L`` looks of the sample schedule ``N_0 < N_1 < ... < N_{L-1}``
  (``N_j = min_samples * growth^j``, capped at ``max_samples``): ``A / (m L)`` per look.

Each look's two-sided interval holds with probability ``>= 1 - A/(mL)`` whatever happened at the
other looks, so a true claim fails with probability ``<= sum_looks sum_routes A/(mL) = A``, however the
stopping decisions depend on the data (stopping only ever *removes* chances to fail).

When Hypothesis draws many examples in one test, the per-test budget ``T`` (default ``1e-6``) is
split over the examples by :class:`AlphaLedger`: with ``M`` planned examples (``max_examples``), each
of the first ``M`` calls gets ``A = T / (2M)``, and call ``M + j`` (replays, shrinking) gets
``(T/2) M / ((M + j - 1)(M + j))``; the sum telescopes, ``sum_{j>=1} M/((M+j-1)(M+j)) = 1``, so the test
never spends more than ``T/2 + T/2 = T`` however many calls Hypothesis makes.
With the defaults (``T = 1e-6``, ``M = 40`` as in the ``ci`` profile, one statistical route, ``L = 4``
looks) each look runs at ``alpha = 1e-6 / 80 / 4 = 3.1e-9``; the empirical Bernstein radius grows only
like ``sqrt(log(4/alpha))``, so splitting costs about 18% in width compared with ``alpha = 1e-6``
(``sqrt(log(4/3.1e-9) / log(4/1e-6)) = sqrt(21.0 / 15.2) = 1.18``).

"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

__all__ = ["Budget", "AlphaLedger", "DEFAULT_TEST_ALPHA", "STATISTICAL_KINDS"]

DEFAULT_TEST_ALPHA = 1e-6
STATISTICAL_KINDS = ("interval", "upper", "lower")


@dataclass(frozen=True)
class Budget:
    """Error and sample budget of one assertion (one claim at one parameter set).

    Parameters
    ----------
    alpha : float
        Family-wise false-alarm probability of the whole assertion (all statistical routes, all
        looks), in (0, 1).
    min_samples, max_samples : int
        First and largest Monte Carlo sample count (``2 <= min_samples <= max_samples``).
    growth : int
        Ratio between consecutive looks (``>= 2``).
    rtol, atol : float
        Resolution for an early pass: stop once the interval contains the claimed value ``e`` and its
        radius is ``<= max(rtol |e|, atol)``.
    confirm : bool
        Escalate once to confirm an exclusion before failing (see the module notes).

    Examples
    --------
    >>> Budget().schedule()
    (65536, 262144, 1048576, 4194304)
    >>> Budget(alpha=1e-6).look_alpha(routes=2)
    1.25e-07
    """

    alpha: float = DEFAULT_TEST_ALPHA
    min_samples: int = 1 << 16
    max_samples: int = 1 << 22
    growth: int = 4
    rtol: float = 0.02
    atol: float = 0.0
    confirm: bool = True

    def __post_init__(self) -> None:
        if not (isinstance(self.alpha, (int, float)) and 0 < self.alpha < 1):
            raise ValueError(f"alpha must be a probability in (0, 1), got {self.alpha!r}")
        if not (isinstance(self.min_samples, int) and 2 <= self.min_samples <= 2**50):
            raise ValueError(f"min_samples must be an integer in [2, 2^50], got {self.min_samples!r}")
        if not (isinstance(self.max_samples, int) and self.min_samples <= self.max_samples <= 2**50):
            raise ValueError(f"max_samples must be an integer in [min_samples={self.min_samples}, 2^50], "
                             f"got {self.max_samples!r}")
        if not (isinstance(self.growth, int) and self.growth >= 2):
            raise ValueError(f"growth must be an integer in [2, inf], got {self.growth!r}")
        if self.rtol < 0 or self.atol < 0:
            raise ValueError(f"rtol and atol must be >= 0, got rtol={self.rtol!r}, atol={self.atol!r}")

    def schedule(self) -> tuple[int, ...]:
        """Sample counts of the looks: ``min_samples * growth^j`` capped at ``max_samples``."""
        out = [self.min_samples]
        while out[-1] < self.max_samples:
            out.append(min(out[-1] * self.growth, self.max_samples))
        return tuple(out)

    def look_alpha(self, routes: int = 1) -> float:
        """``alpha / (routes * looks)``: the level of one look of one route."""
        return self.alpha / (max(1, routes) * len(self.schedule()))


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
        self.calls += 1
        if self.calls <= self.planned:
            a = self.total / (2 * self.planned)
        else:
            M, j = self.planned, self.calls - self.planned
            a = self.total / 2 * M / ((M + j - 1) * (M + j))
        self.spent += a
        return replace(self._budget, alpha=a)
