"""The Hypothesis driver: property-test a claim over drawn parameters at a per-test false-alarm budget.

The budget is split over the examples by :class:`featurecheck.numerics.checking.budget.AlphaLedger`
(its module docstring gives the arithmetic); each example is judged by
:func:`featurecheck.numerics.checking.engine.verify_claim`. An example that fails fails the test (Hypothesis
then shrinks it); an *inconclusive* example (its value below the resolution the budget reaches) is
rejected, not counted as a pass, and a test in which no example passes fails.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from featurecheck.numerics.checking.budget import DEFAULT_TEST_ALPHA, AlphaLedger
from featurecheck.numerics.checking.engine import verify_claim
from featurecheck.theory.claims import Claim

__all__ = ["property_test"]


def property_test(
    claim: Claim,
    *,
    alpha: float = DEFAULT_TEST_ALPHA,
    max_examples: int | None = None,
    overrides: Mapping[str, Any] | None = None,
    budget: Mapping[str, Any] | None = None,
    name: str | None = None,
) -> Callable[[], None]:
    """Return a pytest test function that property-tests ``claim`` over :func:`params_for` draws.

    The per-test false-alarm budget ``alpha`` is split over the examples by :class:`AlphaLedger`
    (module notes), and each example is checked by :func:`assert_claim` with a derived seed, so a
    failure shrinks to the simplest parameters and replays from the printed command.

    Parameters
    ----------
    claim : Claim
    alpha : float
        Family-wise false-alarm probability of the whole test.
    max_examples : int, optional
        Examples to draw; default the active Hypothesis profile's.
    overrides : dict, optional
        Parameter strategies or fixed values (see :func:`featurecheck.numerics.testing.strategies.params_for`).
    budget : dict, optional
        :class:`Budget` fields other than ``alpha`` (``max_samples``, ``rtol``, ...).
    name : str, optional
        The test's ``__name__`` (default ``test_<claim id with dots as underscores>``).

    Examples
    --------
    In a test file::

        from featurecheck.numerics.testing.properties import property_test
        from mypkg.claims import my_claim

        test_my_claim = property_test(my_claim, max_examples=20)
    """
    from hypothesis import HealthCheck, given, reject, settings

    from featurecheck.numerics.testing.strategies import params_for

    strategy = params_for(claim, overrides)
    extra = dict(budget or {})

    def test() -> None:
        # Monte Carlo examples take longer than Hypothesis's default deadline (and numba compiles once)
        quiet = {*settings().suppress_health_check, HealthCheck.too_slow, HealthCheck.filter_too_much}
        base = settings(deadline=None, suppress_health_check=sorted(quiet, key=lambda h: h.name))
        s = base if max_examples is None else settings(base, max_examples=max_examples)
        ledger = AlphaLedger(alpha, planned=s.max_examples, **extra)

        seen = {"pass": 0, "inconclusive": 0}

        @s
        @given(strategy)
        def inner(params: dict[str, Any]) -> None:
            rep = verify_claim(claim, params, budget=ledger.next())
            if rep.verdict == "fail":
                raise AssertionError(rep.message())
            seen[rep.verdict] += 1
            if rep.verdict == "inconclusive":
                reject()

        inner()
        if seen["pass"] == 0:
            raise AssertionError(f"no example of {claim.id} could be decided ({seen['inconclusive']} inconclusive): "
                                 "narrow the parameter ranges, raise the budget, or state the claim's rtol/atol")

    test.__name__ = name or "test_" + claim.id.replace(".", "_").replace("-", "_")
    test.__qualname__ = test.__name__
    test.__doc__ = f"Property test of {claim.id} at family-wise alpha {alpha:g}."
    return test
