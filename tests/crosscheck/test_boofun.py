"""Cross-check of exact Boolean-function analysis against boofun 1.3.0 (MIT), an independent tool.

The pinned values in ``boofun_values.json`` were computed by boofun, not by featurecheck: spectra,
level weights, influences, total influence, degree, noise stability, restrictions, AND/OR and LTF truth
tables of seeded random functions. ``test_pinned_values`` runs without boofun; the ``live`` tests
import it (``pip install "featurecheck[crosscheck]"``, i.e. ``boofun==1.3.0``) and skip when it is absent.
Regenerate the file with ``FEATURECHECK_PIN_BOOFUN=write pytest -W ignore tests/crosscheck/test_boofun.py -k write``
(boofun imported with numba visible, as a user would).

Conventions shared by both tools (checked here, not assumed): truth-table index bit ``i`` is
variable ``i`` (LSB first), the bit ``b`` is the value ``(-1)^b``, ``hat f(S)`` is indexed by the mask of
``S``, ``Stab_rho = sum_S rho^|S| hat f(S)^2``, ``fix(i, b)`` sets bit ``i`` to ``b`` (our
``restrict({i: (-1)^b})``), and boofun's LTF is the bit ``1[w.x >= theta]`` (our ``ltf(..., pm=False)``).

Comparisons: every dyadic quantity (coefficients, level weights, influences) is an exact binary
float in boofun for these sizes, so it is compared exactly (``Fraction(float) == exact``); noise
stability at ``rho = 1/3`` or ``-0.3`` is not dyadic and is compared within ``1e-12`` (float rounding of
at most ``2^8`` terms of size ``<= 1``).
"""

from __future__ import annotations

import importlib.util
import json
import os
import random
import sys
import warnings
from fractions import Fraction
from pathlib import Path

import pytest

from featurecheck.numerics.estimators import boolean_function as BF

PIN = Path(__file__).with_name("boofun_values.json")
RHOS = (0.5, 1 / 3, -0.3)
LTFS = [([31, 31, 28, 21, 2, 2], 0), ([3, -2, 2, 1], 0), ([5, 3, 3, 1, 1], 2), ([1, 2, 4, 8, 16], 7)]


def cases(seed0: int, count: int) -> list[dict]:
    """Seeded random functions: ``n`` in 1..7 and a random bit string (plus a second one for AND/OR)."""
    out = []
    for s in range(seed0, seed0 + count):
        rng = random.Random(s)
        n = 1 + s % 7
        bits = "".join(rng.choice("01") for _ in range(2**n))
        other = "".join(rng.choice("01") for _ in range(2**n))
        out.append({"seed": s, "n": n, "bits": bits, "other": other,
                    "fix": [rng.randrange(n), rng.randrange(2)]})
    return out


def import_boofun() -> object:
    """boofun, imported with numba hidden from it (skip the test when boofun is not installed).

    With numba visible, boofun compiles its optional numba paths at import (about 15 s here) and then
    falls back to numpy for the calls used below anyway; hiding numba selects its numpy paths directly.
    ``test_live_pinned_file_is_boofun_output`` checks the values are those pinned from a run with numba
    visible. Warnings are silenced during the import only (boofun's notice that numba is absent).
    """
    if importlib.util.find_spec("boofun") is None:
        pytest.skip("boofun is not installed (pip install 'featurecheck[crosscheck]')")
    if "boofun" in sys.modules:
        return sys.modules["boofun"]
    saved = sys.modules.get("numba")
    sys.modules["numba"] = None  # type: ignore[assignment]  # makes `import numba` raise ImportError
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import boofun
    finally:
        if saved is None:
            del sys.modules["numba"]
        else:
            sys.modules["numba"] = saved
    return boofun


def boofun_values(case: dict) -> dict:
    """Everything the pinned file holds for one case, computed by boofun only."""
    import numpy as np

    bf = import_boofun()

    def tt(g: object) -> str:
        return "".join(str(int(v)) for v in np.asarray(g.get_representation("truth_table")))  # type: ignore[attr-defined]

    with warnings.catch_warnings():  # boofun's own numba fallback notices are not ours to judge
        warnings.simplefilter("ignore")
        return _values(bf, tt, case)


def _values(bf: object, tt: object, case: dict) -> dict:
    f = bf.create([int(c) for c in case["bits"]])  # type: ignore[attr-defined]
    g = bf.create([int(c) for c in case["other"]])  # type: ignore[attr-defined]
    i, b = case["fix"]
    return {
        "fourier": [float(v) for v in f.fourier()],
        "levels": [float(f.W(k)) for k in range(case["n"] + 1)],
        "influences": [float(v) for v in f.influences()],
        "total_influence": float(f.total_influence()),
        "degree": int(f.degree()),
        "stability": [float(f.noise_stability(r)) for r in RHOS],
        "fixed": tt(f.fix(i, b)) if case["n"] > 1 else None,
        "and": tt(f & g),
        "or": tt(f | g),
    }


def boofun_ltf(w: list[int], theta: int) -> str:
    import numpy as np

    bf = import_boofun()

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return "".join(str(int(v)) for v in np.asarray(bf.from_weights(w, theta).get_representation("truth_table")))


def compare(case: dict, ref: dict) -> None:
    f = BF.from_bits(case["bits"])
    g = BF.from_bits(case["other"])
    n = case["n"]
    assert f.spectrum() == [Fraction(v) for v in ref["fourier"]]
    assert f.level_weights() == [Fraction(v) for v in ref["levels"]]
    assert f.influences() == [Fraction(v) for v in ref["influences"]]
    assert f.total_influence() == Fraction(ref["total_influence"])
    assert f.degree() == ref["degree"]
    for r, v in zip(RHOS, ref["stability"], strict=True):
        assert abs(float(f.noise_stability_at(Fraction(r))) - v) <= 1e-12
    i, b = case["fix"]
    if n > 1:
        assert f.restrict({i: 1 - 2 * b}) == BF.from_bits(ref["fixed"])
    assert (f & g) == BF.from_bits(ref["and"])
    assert (f | g) == BF.from_bits(ref["or"])


PINNED_CASES = cases(0, 28)


def _load() -> dict:
    return json.loads(PIN.read_text())


def test_pinned_values() -> None:
    data = _load()
    assert data["tool"] == "boofun 1.3.0"
    assert [c["seed"] for c in data["cases"]] == [c["seed"] for c in PINNED_CASES]
    for case, ref in zip(PINNED_CASES, data["cases"], strict=True):
        assert ref["bits"] == case["bits"]
        compare(case, ref["values"])
    for (w, theta), tt in zip(LTFS, data["ltf"], strict=True):
        assert BF.ltf(w, theta, pm=False).table.tolist() == [int(c) for c in tt]


def test_live_pinned_file_is_boofun_output() -> None:
    bf = import_boofun()
    from importlib.metadata import version

    assert version("boofun") == "1.3.0", bf
    data = _load()
    for case, ref in zip(PINNED_CASES, data["cases"], strict=True):
        now = boofun_values(case)
        pinned = ref["values"]
        # boofun's numpy path (numba hidden) and its numba path round the non-dyadic noise stability
        # differently in the last bits; everything else is identical
        assert {k: v for k, v in now.items() if k != "stability"} == {k: v for k, v in pinned.items() if k != "stability"}
        assert all(abs(a - b) <= 1e-15 for a, b in zip(now["stability"], pinned["stability"], strict=True))
    assert [boofun_ltf(w, t) for w, t in LTFS] == data["ltf"]


def test_live_fresh_random_functions() -> None:
    import_boofun()
    for case in cases(1000, 42):
        compare(case, boofun_values(case))


@pytest.mark.skipif(os.environ.get("FEATURECHECK_PIN_BOOFUN") != "write", reason="writes the pinned file")
def test_write_pinned_file() -> None:  # pragma: no cover - run by hand
    pytest.importorskip("boofun")  # the pinned run imports boofun with numba visible
    payload = {
        "tool": "boofun 1.3.0",
        "note": "computed by boofun (tests/crosscheck/test_boofun.py::test_write_pinned_file), not by featurecheck",
        "cases": [{"seed": c["seed"], "n": c["n"], "bits": c["bits"], "values": boofun_values(c)}
                  for c in PINNED_CASES],
        "ltf": [boofun_ltf(w, t) for w, t in LTFS],
    }
    PIN.write_text(json.dumps(payload, indent=1) + "\n")
