"""Exact hat Maj_n({0,1,2}) by the sum over Hamming weights: binary splitting vs the binomial chain.

Usage (from the repository root)::

    python benchmarks/weight_sum.py            # n = 100001 and 1000001
    python benchmarks/weight_sum.py --quick    # n = 100001 only, a few seconds
    python benchmarks/weight_sum.py --json     # one JSON object per n

Both sides compute the same integer ``sum_c Maj_n(c) K_3(c) = 2^n hat Maj_n({0,1,2})`` exactly.

- featurecheck: ``featurecheck.numerics.estimators.cube.fourier_coefficient_symmetric(majority(n), range(3))``
  with each available big-integer backend (``int``; ``gmpy2`` if installed), median of ``--repeat``.
- baseline: the direct chain over every weight, ``C(m, j+1) = C(m, j) (m - j)/(j + 1)`` in Python ints,
  with the Krawtchouk inner sum over a sliding window of four binomials (``O(n)`` big-integer steps of
  ``n`` bits each: quadratic), one run; skipped above ``--baseline-max`` (default 200001).

Checked before anything is printed: every value equals ``featurecheck.theory.boolean.majority_coefficient``
(O'Donnell 2014, Thm 5.19), a second, closed-form route. Only ratios measured in one run are meaningful.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from fractions import Fraction

from featurecheck.numerics.estimators import symmetric as W
from featurecheck.numerics.estimators.cube import fourier_coefficient_symmetric, majority
from featurecheck.theory.boolean import majority_coefficient


def chain(n: int) -> Fraction:
    """``2^-n sum_c Maj(c) K_3(c)`` with ``K_3(c) = sum_a (-1)^a C(3,a) C(n-3, c-a)``, binomials by ratios."""
    m, N = (n - 1) // 2, n - 3
    window = [0, 0, 0, 0]  # C(N, c - a) for a = 0..3
    B = 1  # C(N, c)
    total = 0
    for c in range(n + 1):
        window = [B if c <= N else 0, *window[:3]]
        K = window[0] - 3 * window[1] + 3 * window[2] - window[3]
        total += K if c <= m else -K
        if c < N:
            B = B * (N - c) // (c + 1)
    return Fraction(total, 1 << n)


def main() -> None:
    """Time each backend (and the chain up to ``--baseline-max``) per ``n``; check the values, print a row each."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--baseline-max", type=int, default=200_001)
    args = ap.parse_args()
    rows = []
    for n in ((100_001,) if args.quick else (100_001, 1_000_001)):
        expect = majority_coefficient(n, 3)
        row: dict[str, object] = {"n": n}
        for be in W.BACKENDS:
            times = []
            for _ in range(args.repeat):
                t0 = time.perf_counter()
                v = fourier_coefficient_symmetric(majority(n), range(3), backend=be)
                times.append(time.perf_counter() - t0)
                assert v == expect, (n, be)
            row[f"{be}_seconds"] = statistics.median(times)
        if n <= args.baseline_max:
            t0 = time.perf_counter()
            assert chain(n) == expect
            row["chain_seconds"] = time.perf_counter() - t0
            for be in W.BACKENDS:
                row[f"chain_over_{be}"] = row["chain_seconds"] / row[f"{be}_seconds"]  # type: ignore[operator]
        rows.append(row)
        if args.json:
            print(json.dumps(row))
        else:
            print(", ".join(f"{k}={v:.3g}" if isinstance(v, float) else f"{k}={v}" for k, v in row.items()))


if __name__ == "__main__":
    main()
