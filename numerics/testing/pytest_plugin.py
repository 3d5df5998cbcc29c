"""pytest plugin (entry point ``pytest11: featurecheck``): property-test your claims with plain ``pytest``.

Two ways to use it in your own test file:

1. **Declare the claims** at module level; the plugin generates one Hypothesis property test per claim
   (named ``featurecheck[<claim id>]``), drawing parameters from the claim's ``Param`` domains and
   checking each draw with :func:`featurecheck.numerics.testing.assertions.assert_claim` at a per-test false-alarm budget::

       import mypkg.claims
       featurecheck_claims = [mypkg.claims.my_claim]        # or the string "mypkg.claims"
       featurecheck_settings = {"max_examples": 20}          # optional: alpha, overrides, budget

2. **Use the fixture** ``featurecheck`` in an ordinary test; every ``featurecheck.assert_claim(...)`` call
   in one test shares the per-test budget (split by :class:`featurecheck.numerics.checking.budget.AlphaLedger`)::

       def test_my_claim_at_a_point(featurecheck):
           featurecheck.assert_claim(my_claim, n=31, k=5)

The per-test budget is ``--featurecheck-alpha`` (default ``1e-6``). This module is imported by every
pytest run in an environment where featurecheck is installed, so it imports nothing heavy at load time.
"""

from __future__ import annotations

from typing import Any

import pytest

from featurecheck.numerics.checking.budget import DEFAULT_TEST_ALPHA

_SETTINGS_KEYS = {"alpha", "max_examples", "overrides", "budget"}


def pytest_addoption(parser: pytest.Parser) -> None:
    """Add the ``--featurecheck-alpha`` command-line option (pytest hook)."""
    group = parser.getgroup("featurecheck", "featurecheck claim property tests")
    group.addoption("--featurecheck-alpha", type=float, default=None, metavar="ALPHA",
                    help="per-test family-wise false-alarm probability of featurecheck claim tests "
                         f"(default {DEFAULT_TEST_ALPHA:g})")


def _alpha(config: pytest.Config) -> float:
    a = config.getoption("featurecheck_alpha", default=None)
    if a is None:
        return DEFAULT_TEST_ALPHA
    if not 0 < a < 1:
        raise pytest.UsageError(f"--featurecheck-alpha must be a probability in (0, 1), got {a}")
    return float(a)


class ClaimChecker:
    """The ``featurecheck`` fixture: calibrated claim assertions sharing one per-test budget."""

    def __init__(self, alpha: float, planned: int = 1) -> None:
        from featurecheck.numerics.checking.budget import AlphaLedger

        self.alpha = alpha
        self.ledger = AlphaLedger(alpha, planned=planned)

    def plan(self, n_calls: int) -> ClaimChecker:
        """Declare how many assertions this test will make (sharper levels; the total stays <= alpha)."""
        from featurecheck.numerics.checking.budget import AlphaLedger

        self.ledger = AlphaLedger(self.alpha, planned=n_calls)
        return self

    def assert_claim(self, claim: Any, params: Any = None, /, **kw: Any) -> Any:
        """Assert that ``claim`` holds, on the next budget of the test's shared ledger.

        Arguments and result are those of :func:`~featurecheck.numerics.testing.assertions.assert_claim`.
        """
        from featurecheck.numerics.testing.assertions import assert_claim

        return assert_claim(claim, params, budget=self.ledger.next(), **kw)


@pytest.fixture
def featurecheck(request: pytest.FixtureRequest) -> ClaimChecker:
    """Calibrated ``assert_claim`` for one test; all its calls share ``--featurecheck-alpha``."""
    return ClaimChecker(_alpha(request.config))


def _claims_from(obj: Any) -> list[Any]:
    from featurecheck.numerics.claims import resolve
    from featurecheck.theory.claims import Claim

    items = obj if isinstance(obj, (list, tuple)) else [obj]
    out: list[Any] = []
    for it in items:
        if isinstance(it, Claim):
            out.append(it)
        elif isinstance(it, str):
            out.extend(resolve(it))
        else:
            raise TypeError(f"featurecheck_claims must hold Claims or module/claim specs, got {type(it).__name__}")
    return out


@pytest.hookimpl(tryfirst=True)
def pytest_pycollect_makeitem(collector: Any, name: str, obj: Any) -> Any:
    """Collect a module's ``featurecheck_claims`` as one property test per claim (pytest hook).

    ``featurecheck_settings`` in the module (keys ``alpha``, ``max_examples``, ``overrides``, ``budget``)
    configures the tests; ``alpha`` defaults to ``--featurecheck-alpha``.
    """
    if name != "featurecheck_claims" or not isinstance(collector, pytest.Module):
        return None
    from featurecheck.numerics.testing.properties import property_test

    opts = dict(getattr(collector.obj, "featurecheck_settings", {}) or {})
    bad = sorted(set(opts) - _SETTINGS_KEYS)
    if bad:
        raise pytest.UsageError(f"featurecheck_settings has unknown key {bad[0]!r}; allowed: {sorted(_SETTINGS_KEYS)}")
    alpha = float(opts.pop("alpha", _alpha(collector.config)))
    items = []
    for c in _claims_from(obj):
        fn = property_test(c, alpha=alpha, **opts)
        items.append(pytest.Function.from_parent(collector, name=f"featurecheck[{c.id}]", callobj=fn))
    return items
