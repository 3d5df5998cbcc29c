"""The vector-width policy of featurecheck.numerics._kernels.jit (512-bit vectors on AVX-512 hosts).

No statistics here (exact comparisons only, false-alarm rate 0). The expected feature strings are
written out by hand from the rule in the module docstring; the slow test checks the end-to-end
effect in fresh processes: the code generator's features and a Monte Carlo count that must not
depend on the width.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from featurecheck.numerics._kernels.jit import vector_width_features

AVX512 = {"avx2": True, "avx512f": True, "avx512vpopcntdq": True, "sse2": True}


def test_avx512_hosts_get_512_bit_vectors() -> None:
    assert vector_width_features(AVX512, {}) == "+avx2,+avx512f,+avx512vpopcntdq,+sse2,-prefer-256-bit"
    assert vector_width_features(AVX512, {"FEATURECHECK_VECTOR_WIDTH": "auto"}) is not None


def test_other_hosts_and_overrides_are_left_alone() -> None:
    assert vector_width_features({**AVX512, "avx512vpopcntdq": False}, {}) is None  # no VPOPCNTQ
    assert vector_width_features({"avx2": True}, {}) is None
    assert vector_width_features(AVX512, {"FEATURECHECK_VECTOR_WIDTH": "256"}) is None
    assert vector_width_features(AVX512, {"NUMBA_CPU_FEATURES": "+avx2"}) is None  # the user's choice wins
    # forcing on a host without AVX-512: the flag is appended (a no-op for LLVM there)
    assert vector_width_features({"avx2": True, "avx512f": False}, {"FEATURECHECK_VECTOR_WIDTH": "512"}) == \
        "+avx2,-avx512f,-prefer-256-bit"
    with pytest.raises(ValueError, match=r"^FEATURECHECK_VECTOR_WIDTH must be one of auto, 512, 256, got '1024'"):
        vector_width_features(AVX512, {"FEATURECHECK_VECTOR_WIDTH": "1024"})


_PROBE = """
import json
from numba.core.registry import cpu_target
from featurecheck.numerics.estimators.cube import _run_mc, majority
counts = _run_mc(majority(63).times_parity([0, 1, 2]), 3 * 65536 + 5, 17)
print(json.dumps({"features": cpu_target.target_context.codegen().magic_tuple()[2], "counts": counts}))
"""


@pytest.mark.slow
def test_width_setting_reaches_numba_and_results_do_not_depend_on_it() -> None:
    out = {}
    for width in ("256", "512"):
        env = {k: v for k, v in os.environ.items() if k != "NUMBA_CPU_FEATURES"}
        env["FEATURECHECK_VECTOR_WIDTH"] = width
        res = subprocess.run([sys.executable, "-c", _PROBE], env=env, capture_output=True, text=True, check=True)
        out[width] = json.loads(res.stdout.strip().splitlines()[-1])
    assert out["512"]["features"].endswith(",-prefer-256-bit")
    assert "prefer-256-bit" not in out["256"]["features"]
    assert out["512"]["counts"] == out["256"]["counts"]
