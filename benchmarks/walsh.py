"""Exact Walsh spectrum of Maj_n: featurecheck's cache-blocked integer FWHT vs a numpy reshape FWHT.

Usage (from the repository root)::

    python benchmarks/walsh.py            # n = 27
    python benchmarks/walsh.py --quick    # n = 25, under a minute including numba compilation
    python benchmarks/walsh.py --json     # one JSON object: n, featurecheck_seconds, numpy_seconds, ratio, threads

Both sides produce the full integer spectrum ``W(S) = sum_x Maj_n(x) (-1)^{|x & S|}`` (int32, exact).

- featurecheck: ``featurecheck.numerics.estimators.walsh.spectrum(majority(n))``: allocation, truth-table construction and
  the transform (two passes over memory), median of ``--repeat`` runs after a warm-up that compiles.
- baseline: the textbook numpy FWHT, one ``reshape(-1, 2, 2^i)`` butterfly per bit, in place on the
  int32 truth table (which it gets for free: its construction is not timed), one run.
- also timed: ``featurecheck.numerics.estimators.walsh.fwht`` on the same truth table (the generic transform of any integer
  array, including its copy), reported as ``fwht_seconds``.

Checks before anything is printed: the two spectra are equal element for element, and the level
values (one per |S|) equal ``2^n * featurecheck.theory.boolean.majority_levels(n)`` exactly. Figures from a shared
machine are noisy; only the ratio measured in one run is meaningful (see the performance notes).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time

import numba
import numpy as np

from featurecheck.numerics.estimators.cube import majority
from featurecheck.numerics.estimators.walsh import fwht, level_values, spectrum, truth_table
from featurecheck.theory.boolean import majority_levels


def numpy_fwht(a: np.ndarray) -> np.ndarray:
    """Unnormalised FWHT in place with numpy reshapes (bit i = axis of length 2 at stride 2^i)."""
    n = a.shape[0].bit_length() - 1
    for i in range(n):
        v = a.reshape(-1, 2, 1 << i)
        lo = v[:, 0, :].copy()
        v[:, 0, :] += v[:, 1, :]
        np.subtract(lo, v[:, 1, :], out=v[:, 1, :])
    return a


def _timed(fn, repeat: int) -> tuple[list[float], object]:  # noqa: ANN001
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
        if _ < repeat - 1:
            del out
    return times, out


def run(n: int, repeat: int) -> dict[str, object]:
    f = majority(n)
    # warm-up: compile every kernel used below (cached on disk after the first run); n = 19 > 17 so
    # that both passes of the blocked transform run
    spectrum(majority(19))
    fwht(truth_table(majority(19)))
    numpy_fwht(truth_table(majority(5)))

    fc_times, spec = _timed(lambda: spectrum(f), repeat)
    tt = truth_table(f)
    fw_times, spec2 = _timed(lambda: fwht(tt), max(1, repeat // 2))
    base = tt.copy()
    t0 = time.perf_counter()
    numpy_fwht(base)
    np_seconds = time.perf_counter() - t0

    if not (np.array_equal(spec, base) and np.array_equal(spec, spec2)):
        raise SystemExit(f"spectra differ at n={n}: featurecheck and numpy disagree")
    want = majority_levels(n)
    got = level_values(spec)
    if got != want:
        raise SystemExit(f"level values at n={n} differ from featurecheck.theory.boolean.majority_levels")

    fc = statistics.median(fc_times)
    return {
        "n": n,
        "featurecheck_seconds": fc,
        "featurecheck_min_seconds": min(fc_times),
        "fwht_seconds": statistics.median(fw_times),
        "numpy_seconds": np_seconds,
        "ratio": np_seconds / fc,
        "threads": numba.get_num_threads(),
        "dtype": str(spec.dtype),
        "repeat": repeat,
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--quick", action="store_true", help="n = 25 instead of 27")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--n", type=int, default=None, help="override n (odd, 3..27)")
    p.add_argument("--repeat", type=int, default=5, help="featurecheck runs (median reported)")
    args = p.parse_args(argv)
    n = args.n if args.n is not None else (25 if args.quick else 27)
    if n % 2 == 0 or not 3 <= n <= 27:
        p.error(f"--n must be odd in [3, 27], got {n}")
    if args.repeat < 1:
        p.error(f"--repeat must be >= 1, got {args.repeat}")
    res = run(n, args.repeat)
    if args.json:
        print(json.dumps(res))
    else:
        print(f"exact Walsh spectrum of Maj_{n} (2^{n} int32 coefficients), {res['threads']} threads")
        print(f"  featurecheck spectrum(majority(n)) : {res['featurecheck_seconds']:.3f} s "
              f"(median of {args.repeat}; min {res['featurecheck_min_seconds']:.3f} s)")
        print(f"  featurecheck fwht(truth table)     : {res['fwht_seconds']:.3f} s")
        print(f"  numpy reshape FWHT                 : {res['numpy_seconds']:.3f} s")
        print(f"  ratio                              : {res['ratio']:.1f}")
        print("  check: spectra equal; level values == 2^n * featurecheck.theory.boolean.majority_levels(n)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
