"""Slow structured-input checks (``pytest -m slow``): the k = 6 LTF table and the full-size training claims.

The training claims judge medians over 3 seeds through per-seed Hoeffding intervals on 20000 test points at
alpha = 1e-3 per claim (4 claims: family-wise false alarm from test-set noise below 4e-3). Seeds are fixed
(0, 1, 2), so each run is deterministic for a fixed BLAS build (BLAS is pinned to one thread). Expect
several minutes per training claim on 2 cores.
"""

from __future__ import annotations

import numpy as np
import pytest

from featurecheck.numerics.checking.engine import check
from featurecheck.numerics.claims import structured as CS
from featurecheck.numerics.experiments import structured as NS
from featurecheck.theory import structured as TS

pytestmark = pytest.mark.slow


def test_k6_hull_table_and_ceilings_by_enumeration() -> None:
    from scipy.spatial import ConvexHull

    P = NS.ltf_profiles_enumeration(6)
    A = np.array(sorted(P), dtype=float)
    assert {tuple(int(v) for v in A[i]) for i in ConvexHull(A).vertices} == set(TS.ltf_profiles(6))
    for model, kw in [("uniform", {}), ("daniely-malach", {}), ("daniely-malach", {"common": "random"})]:
        ms = TS.count_masses(6, model, **kw)
        labs = [TS.label_of_count(m, 6, "dm") for m in range(7)]
        assert TS.ltf_ceiling(ms, labs) == NS.ltf_ceiling_enumeration(ms, labs), (model, kw)


@pytest.mark.parametrize("claim", [CS.DM_SEPARATION, CS.DM_MECHANISM, CS.SWL_SEPARATION, CS.SWL_NO_STRUCTURE],
                         ids=lambda c: c.id)
def test_full_size_training_claims(claim) -> None:
    res = check(claim, {"size": "full"}, seed=0)
    assert [r.route for r in res] == ["training"]
    assert res[0].passed, res[0].note
