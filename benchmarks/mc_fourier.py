"""Benchmark: Monte Carlo estimate of hat Maj_63({0,1,2}), featurecheck vs a bit-packed numpy baseline.

Usage (from the repository root)::

    python benchmarks/mc_fourier.py [--quick] [--json [FILE]]

Both estimators draw uniform points of {-1,1}^63 as one uint64 word per sample (bit i set <=> x_i = -1)
and average ``Maj_63(x) chi_{0,1,2}(x)``:

- featurecheck: :func:`featurecheck.numerics.estimators.cube.fourier_coefficient_mc` (numba; per chunk of 2^16 samples, 32
  xoshiro256++ lanes seeded from the chunk's SplitMix64 stream; vectorised popcounts; one ``prange``
  over chunks, all numba threads);
- numpy (the fair baseline of performance.md, about 1.3e8 samples/s there): the fastest honest numpy
  route we found. Raw 64-bit words straight from the bit generator (``SFC64(seed).random_raw``;
  numpy's SFC64 passes PractRand, and raw words skip the bounded-integer path of
  ``Generator.integers(0, 2**63, dtype=uint64)``, which runs at only about 5e7/s), masked to 63 bits,
  then ``np.bitwise_count`` for the popcounts. Blocks of ``--numpy-block`` samples (2^16 by default:
  faster than 2^14 or 2^18 here, as the block stays in cache), one thread. Measured in one session:
  ``integers`` 5.5e7 words/s, PCG64 ``random_raw`` 1.9e8, SFC64 ``random_raw`` 2.4e8; the whole
  SFC64 estimator about 1.2-1.3e8 samples/s (PCG64 raw about 1.1e8). Preallocated ``out=`` buffers
  were not faster.

Both are timed in the same run, interleaved (one numpy repeat, then featurecheck repeats back to back,
so the first featurecheck repeat of each round pays the wake-up of the idle numba threads, about 5-7
ms on the development VM); the figures are medians over repeats, and ``ratio`` is the ratio of the
medians. numba is warmed up (compiled or loaded from cache) before timing. On a shared machine the
absolute figures are noisy; only the ratio measured in one run is comparable across runs. The
``*_per_cpu_s`` keys divide by process CPU time instead of wall time (for featurecheck, summed over
its threads): a load-independent measure of the work per sample; ``ratio_cpu`` compares those.
``samples_per_s`` (featurecheck, wall clock, all threads) and ``ratio`` are the headline keys.

The limit: counted instructions per sample
------------------------------------------
The one-word kernel (:mod:`featurecheck.numerics._kernels.cube`) is ALU-bound: per sample it runs one
xoshiro256++ step (about 9 vector ops) and the tally (threshold popcount, compare, parity popcount,
three counts: about 12), on ``VF`` samples per vector instruction; no memory traffic beyond
registers. Counted in the hot loop of the compiled kernel (``inspect_asm`` of
``mc_sums_1w_serial``, the loop with the popcounts; the same loop runs in every chunk):

=================================================  ==========  ===================  ===============
target (LLVM CPU, vectors)                         instrs per  vector ports          limit, 2 cores
                                                   sample                            at ~3 GHz
=================================================  ==========  ===================  ===============
AVX2 without vector popcount (``znver3``, ymm;       11.4      4 (Zen 3)            ~2.1e9/s
popcount by nibble table: 7 ops per vector)
AVX-512 at 256 bits (``rocketlake``, ymm, VPOPCNTQ)  5.3       3 (p0, p1, p5)       ~3.4e9/s
AVX-512 at 512 bits (same, ``-prefer-256-bit``, zmm) 2.7       2 (p0+p1, p5)        ~4.5e9/s
=================================================  ==========  ===================  ===============

The limit is ``cores * clock * ports / (instructions per sample)``. The 256-bit AVX-512 row matches
the 3.3e9/s measured on the Sapphire Rapids VM (performance.md); :mod:`featurecheck.numerics._kernels.jit`
now lets LLVM use zmm registers on such hosts (``FEATURECHECK_VECTOR_WIDTH``), the last row. A
hand-minimal step is 9 ops for xoshiro256++ (3 ternary-logic ops merge its five xors) and 9 for the
tally, 18 per 8 samples, so even a perfect schedule is about 5.3e9/s on 2 such cores at 3 GHz: 6e9/s
needs a higher clock or fewer ops per sample than this stream and estimand allow. On the AVX2 row
the nibble-table popcounts (2 x 7 ops per 4 samples) and register spills (16 ymm registers) dominate;
``UNROLL = 8`` measured best there (2: 0.87x, 4: 0.95x per CPU-second, same run).

The stream floor, measured in the same run: ``rng_floor_words_per_s`` is the rate of the kernel's
loop with the tally replaced by one xor (same lanes, seeding, unrolling and threads): the words
every sampler of this stream must generate. ``floor_fraction = samples_per_s /
rng_floor_words_per_s`` is the share of the time not spent on the tally; on the AVX2 row the two
nibble-table popcounts cost more than the generator.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

# Run as ``python benchmarks/mc_fourier.py`` from a checkout: make the repo importable.
_ROOT = Path(__file__).resolve().parent.parent
if str(_ROOT) not in sys.path:
    sys.path.insert(0, str(_ROOT))

import numba  # noqa: E402
import numpy as np  # noqa: E402

from featurecheck.numerics._kernels.cube import UNROLL  # noqa: E402
from featurecheck.numerics._kernels.rng import LANES, xoshiro_next, xoshiro_seed_lanes  # noqa: E402
from featurecheck.numerics.cli import add_json_arg, write_json  # noqa: E402
from featurecheck.numerics.estimators.cube import fourier_coefficient_mc, majority  # noqa: E402
from featurecheck.theory.boolean import majority_coefficient  # noqa: E402

N_VARS = 63
S = (0, 1, 2)


def numpy_estimate(samples: int, seed: int, block: int = 1 << 16) -> float:
    """Hat Maj_63({0,1,2}) with numpy only: one uint64 per sample, ``np.bitwise_count``.

    ``Maj_63(x) = +1`` iff at most 31 of the 63 bits are set; ``chi_S(x) = (-1)^popcount(x & 0b111)``.
    So ``Maj chi_S = +1`` iff ``[popcount(x) <= 31] != parity(x & 0b111)``. Words are raw SFC64
    outputs masked to the low 63 bits (uniform on {-1,1}^63).
    """
    bitgen = np.random.SFC64(seed)
    mask63 = np.uint64((1 << N_VARS) - 1)
    low3 = np.uint64(0b111)
    agree = 0
    done = 0
    while done < samples:
        m = min(block, samples - done)
        x = bitgen.random_raw(m)
        x &= mask63
        le = np.bitwise_count(x) <= 31
        odd = (np.bitwise_count(x & low3) & np.uint8(1)).view(np.bool_)
        agree += int(np.count_nonzero(le != odd))
        done += m
    return (2 * agree - samples) / samples


def featurecheck_estimate(samples: int, seed: int) -> float:
    """Estimate hat Maj_63({0,1,2}) with :func:`fourier_coefficient_mc` (the numba kernels)."""
    return fourier_coefficient_mc(majority(N_VARS), S, samples=samples, seed=seed).value


@numba.njit(parallel=True, cache=False, nogil=True)
def _rng_floor_kernel(key, n_chunks, chunk_size, out):  # pragma: no cover - compiled
    """Run the featurecheck kernel's loop with the tally replaced by one xor.

    The same lanes, seeding and ``UNROLL`` state-in-registers steps, ``chunk_size`` words per chunk (a
    multiple of ``LANES * UNROLL``), one ``prange`` over chunks. ``out[c]`` = xor of the chunk's words
    (kept, so that nothing is optimised away).
    """
    for c in numba.prange(n_chunks):
        state = np.empty((4, LANES), dtype=np.uint64)
        xoshiro_seed_lanes(key, np.uint64(c), state)
        acc = np.uint64(0)
        for _ in range(chunk_size // (LANES * UNROLL)):
            for j in range(LANES):
                s0 = state[0, j]
                s1 = state[1, j]
                s2 = state[2, j]
                s3 = state[3, j]
                for _u in range(UNROLL):
                    z, s0, s1, s2, s3 = xoshiro_next(s0, s1, s2, s3)
                    acc ^= z
                state[0, j] = s0
                state[1, j] = s1
                state[2, j] = s2
                state[3, j] = s3
        out[c] = acc


def rng_floor(samples: int) -> int:
    """Generate (and xor together) ``samples`` words of the estimator's stream; return the xor.

    This is the work no sampler of this stream can skip.
    """
    chunk = 1 << 16
    out = np.empty(samples // chunk, dtype=np.uint64)
    _rng_floor_kernel(np.uint64(12345), out.shape[0], chunk, out)
    return int(np.bitwise_xor.reduce(out))


def _timed(fn, *args) -> tuple[float, float, float]:
    c0 = time.process_time()
    t0 = time.perf_counter()
    value = fn(*args)
    return time.perf_counter() - t0, time.process_time() - c0, value


def _cpu_name() -> str:
    from numba.core.registry import cpu_target

    return str(cpu_target.target_context.codegen().magic_tuple()[1])


def _vector_width() -> str:
    """Describe the vectors LLVM may use for the kernels, from the code generator's CPU features."""
    from numba.core.registry import cpu_target

    feats = cpu_target.target_context.codegen().magic_tuple()[2]
    if "+avx512f" in feats:
        return "zmm (512-bit)" if "-prefer-256-bit" in feats else "ymm (AVX-512 at 256-bit)"
    return "ymm (AVX2)" if "+avx2" in feats else "xmm"


def run(quick: bool = False, numpy_block: int = 1 << 16) -> dict:
    """Time both estimators and the stream floor, interleaved over rounds; return the result keys."""
    fc_samples = 10**8
    np_samples = 10**7 if quick else 10**8
    rounds = 3 if quick else 5
    fc_per_round = 3

    # Warm-up: compile (or load from cache) the serial and parallel kernels, start the thread pool.
    featurecheck_estimate(1 << 10, 0)
    featurecheck_estimate(1 << 22, 0)
    numpy_estimate(1 << 16, 0, numpy_block)
    rng_floor(1 << 22)

    fc_times: list[float] = []
    np_times: list[float] = []
    fc_cpu: list[float] = []
    np_cpu: list[float] = []
    fc_vals: list[float] = []
    rng_times: list[float] = []
    np_vals: list[float] = []
    for r in range(rounds):
        dt, cpu, v = _timed(numpy_estimate, np_samples, r, numpy_block)
        np_times.append(dt)
        np_cpu.append(cpu)
        np_vals.append(v)
        for j in range(fc_per_round):
            dt, cpu, v = _timed(featurecheck_estimate, fc_samples, r * fc_per_round + j)
            fc_times.append(dt)
            fc_cpu.append(cpu)
            fc_vals.append(v)
        dt, _, _ = _timed(rng_floor, fc_samples)
        rng_times.append(dt)

    fc_rate = fc_samples / statistics.median(fc_times)
    np_rate = np_samples / statistics.median(np_times)
    rng_rate = fc_samples / statistics.median(rng_times)
    exact = majority_coefficient(N_VARS, len(S))
    return {
        "benchmark": "mc_fourier",
        "target": "hat Maj_63({0,1,2})",
        "exact": str(exact),
        "exact_float": float(exact),
        "featurecheck_estimate_mean": statistics.fmean(fc_vals),
        "numpy_estimate_mean": statistics.fmean(np_vals),
        "featurecheck_samples": fc_samples,
        "numpy_samples": np_samples,
        "numpy_block": numpy_block,
        "featurecheck_repeats": len(fc_times),
        "numpy_repeats": len(np_times),
        "threads": numba.get_num_threads(),
        "threading_layer": numba.threading_layer(),
        "cpu_count": os.cpu_count(),
        "cpu_name": _cpu_name(),
        "vector_width": _vector_width(),
        "featurecheck_seconds_median": statistics.median(fc_times),
        "numpy_seconds_median": statistics.median(np_times),
        "samples_per_s": fc_rate,
        "featurecheck_samples_per_s": fc_rate,
        "featurecheck_samples_per_s_min": fc_samples / max(fc_times),
        "featurecheck_samples_per_s_max": fc_samples / min(fc_times),
        "numpy_samples_per_s": np_rate,
        "ratio": fc_rate / np_rate,
        "rng_floor_words_per_s": rng_rate,
        "floor_fraction": fc_rate / rng_rate,
        "featurecheck_samples_per_cpu_s": fc_samples / statistics.median(fc_cpu),
        "numpy_samples_per_cpu_s": np_samples / statistics.median(np_cpu),
        "ratio_cpu": (fc_samples / statistics.median(fc_cpu)) / (np_samples / statistics.median(np_cpu)),
        "quick": quick,
    }


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark from the command line; print the figures or write them as JSON."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="smaller numpy run and fewer repeats (< 60 s)")
    add_json_arg(ap, "the timings")
    ap.add_argument("--numpy-block", type=int, default=1 << 16, help="numpy samples per block (default 2^16)")
    args = ap.parse_args(argv)
    if args.numpy_block < 1:
        print(f"error: --numpy-block must be a positive integer, got {args.numpy_block}", file=sys.stderr)
        return 2
    res = run(quick=args.quick, numpy_block=args.numpy_block)
    if args.json is not None:
        write_json(args.json, res)
        if args.json == "-":
            return 0
    print(f"{res['target']}: exact {res['exact']} = {res['exact_float']:.6g}")
    print(f"threads={res['threads']} ({res['threading_layer']}), cpu_count={res['cpu_count']}, "
          f"LLVM cpu {res['cpu_name']}, vectors: {res['vector_width']}")
    print(f"featurecheck: {res['featurecheck_samples']:.0e} samples x {res['featurecheck_repeats']}, "
          f"median {res['featurecheck_seconds_median']:.3f} s, {res['featurecheck_samples_per_s']:.3g} samples/s "
          f"(spread {res['featurecheck_samples_per_s_min']:.3g}..{res['featurecheck_samples_per_s_max']:.3g}), "
          f"mean estimate {res['featurecheck_estimate_mean']:.6g}")
    print(f"numpy:        {res['numpy_samples']:.0e} samples x {res['numpy_repeats']}, "
          f"median {res['numpy_seconds_median']:.3f} s, {res['numpy_samples_per_s']:.3g} samples/s, "
          f"mean estimate {res['numpy_estimate_mean']:.6g}")
    print(f"ratio {res['ratio']:.1f}")
    print(f"stream floor (the same xoshiro lanes, words only): {res['rng_floor_words_per_s']:.3g} words/s; "
          f"featurecheck at {res['floor_fraction']:.0%} of it")
    print(f"per CPU-second: featurecheck {res['featurecheck_samples_per_cpu_s']:.3g}, "
          f"numpy {res['numpy_samples_per_cpu_s']:.3g}, ratio_cpu {res['ratio_cpu']:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
