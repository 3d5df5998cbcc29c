"""Shared test configuration.

Hypothesis profiles: ``ci`` (the default) is derandomised with ``deadline=None`` (numba JIT compile
time) so every run draws the same examples and no test is flaky; ``nightly`` explores with fresh
randomness and more examples (``HYPOTHESIS_PROFILE=nightly pytest``).
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    derandomize=True,
    deadline=None,
    max_examples=40,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    print_blob=True,
)
settings.register_profile("nightly", deadline=None, max_examples=1000,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
