"""Exact Walsh spectra at n = 27: the fused Maj_n spectrum, the generic ``fwht``, a numpy reshape FWHT.

Usage (from the repository root)::

    python benchmarks/walsh.py            # n = 27
    python benchmarks/walsh.py --quick    # n = 25, under a minute including numba compilation
    python benchmarks/walsh.py --json     # one JSON object (--json FILE writes it to FILE)

Every route produces the full integer spectrum ``W(S) = sum_x Maj_n(x) (-1)^{|x & S|}`` (int32, exact):

- fused (``seconds_fused``): ``featurecheck.numerics.estimators.walsh.spectrum(majority(n))``, with
  allocation of the result: the ``H + 1`` transformed low blocks, their Krawtchouk combinations, and
  one streaming write of every result row (``numerics/_kernels/walsh.py``, ``spectrum_cube``).
  Also timed into a reused result array (``spectrum(f, out=spec)``, ``seconds_fused_out``): the
  same arithmetic without the page faults of 512 MiB of fresh memory.
- generic (``seconds_generic``): ``featurecheck.numerics.estimators.walsh.fwht(tt)`` of the int32
  truth table ``tt``: scan of the values for the overflow guard, a new 64-byte aligned result,
  pass 1 copying block by block, pass 2. Also timed: the same with an int8 truth table
  (``seconds_generic_int8``, converted to int32 inside pass 1) and in place (``fwht(work,
  copy=False)`` on an array that already holds the table, ``seconds_generic_inplace``; the refill
  is not timed), the case comparable to a C library transforming its buffer.
- baseline (``seconds_numpy``): the textbook numpy FWHT, one ``reshape(-1, 2, 2^i)`` butterfly per
  bit, in place on a copy of the int32 truth table (its construction is not timed), one run.
- library (``seconds_library``, only when the optional ``fht-cpu`` package is importable:
  ``pip install fht-cpu``, MIT, a SIMD C transform): ``fht_cpu.fht_1d_f32`` in place on a float32
  copy of the table (the copy is not timed; single-threaded), the median of ``--repeat`` runs, and
  ``ratio_library = seconds_library / seconds_generic_inplace`` (both in place). float32 holds
  integers exactly only below 2^24, so its result is compared, not required equal:
  ``library_max_abs_error`` is the largest difference from the exact spectrum.

``ratio = seconds_numpy / seconds_fused`` and ``ratio_generic = seconds_numpy / seconds_generic``.
featurecheck figures are medians over ``--repeat`` interleaved rounds after a warm-up that compiles;
the spread (min, max) is printed and stored as ``*_min`` / ``*_max``.

Memory floor
------------
The transform cannot beat one read and one write of its ``2^n`` 4-byte result: every coefficient
depends on every input, so each output word is written at least once after the last input word is
read, and a result larger than the caches (512 MiB at n = 27) must stream through memory. The
benchmark measures that floor in the same run: ``seconds_floor`` is the median time of one
block-by-block copy of the table into a pre-faulted array with all threads (the pass-1 driver with no
butterflies, so the same threads and blocks). The generic transform moves the data twice (pass 1
and pass 2 each read and write every word), so its floor is ``2 * seconds_floor``. The fused
spectrum only writes the result (nothing reads it back), so its floor is ``seconds_write_floor``:
the median time of streaming one zero row into every row of a pre-faulted array (the fused route's
own write-out with no arithmetic). The printed fractions are ``floor / measured`` (1 = at the
floor). Page faults on the fresh result arrays of the fused and allocating generic routes are not
part of the floors (numpy backs large arrays with transparent huge pages; compare ``seconds_fused``
with ``seconds_fused_out``, which writes into a reused array).

Checks before anything is printed: all spectra are equal element for element, and the level values
(one per |S|) equal ``2^n * featurecheck.theory.boolean.majority_levels(n)`` exactly. Figures from a
shared machine are noisy; only ratios measured in one run are meaningful (performance.md).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

# Run as ``python benchmarks/walsh.py`` from a checkout: make the repo importable.
_ROOT = Path(__file__).resolve().parent.parent
if str(_ROOT) not in sys.path:
    sys.path.insert(0, str(_ROOT))

import numba  # noqa: E402
import numpy as np  # noqa: E402

from featurecheck.numerics._kernels import walsh as K  # noqa: E402
from featurecheck.numerics.cli import add_json_arg, write_json  # noqa: E402
from featurecheck.numerics.estimators import walsh as W  # noqa: E402
from featurecheck.numerics.estimators.cube import majority  # noqa: E402
from featurecheck.theory.boolean import majority_levels  # noqa: E402


def numpy_fwht(a: np.ndarray) -> np.ndarray:
    """Unnormalised FWHT in place with numpy reshapes (bit i = axis of length 2 at stride 2^i)."""
    n = a.shape[0].bit_length() - 1
    for i in range(n):
        v = a.reshape(-1, 2, 1 << i)
        lo = v[:, 0, :].copy()
        v[:, 0, :] += v[:, 1, :]
        np.subtract(lo, v[:, 1, :], out=v[:, 1, :])
    return a


def copy_pass(dst: np.ndarray, src: np.ndarray) -> None:
    """One read and one write of every word, block by block on all threads (the floor's pass)."""
    n = src.shape[0].bit_length() - 1
    L, _, l1 = W._plan(n, src.itemsize)
    K.run_ranges(K._blocks_range, (src, dst, np.int64(L), np.int64(L), np.int64(l1), True), 1 << (n - L), True)


def write_pass(dst: np.ndarray) -> None:
    """One streaming write of every word of ``dst`` from a zero row, on all threads (the fused floor)."""
    n = dst.shape[0].bit_length() - 1
    L, _, _ = W._plan(n, dst.itemsize)
    rows = np.zeros((3, 1 << L), dtype=dst.dtype)
    z = np.uint64(0)
    K.run_ranges(K._high_rows_range, (dst, np.int64(L), rows, z, z, z, z), 1 << (n - L), True)


def _library(tt: np.ndarray, spec: object, repeat: int) -> dict[str, object]:
    """Time ``fht_cpu.fht_1d_f32`` in place on float32 copies of ``tt`` (empty dict if not installed)."""
    try:
        import fht_cpu  # type: ignore[import-not-found]
    except ImportError:
        return {}
    f32 = tt.astype(np.float32)
    fht_cpu.fht_1d_f32(f32[:1 << 10].copy())  # warm-up
    times = []
    work = f32.copy()
    for _ in range(repeat):
        work[:] = f32
        dt, _ = _time(lambda: fht_cpu.fht_1d_f32(work))
        times.append(dt)
    err = float(np.max(np.abs(work.astype(np.float64) - np.asarray(spec, dtype=np.float64))))
    return {"library": "fht-cpu (fht_1d_f32, in place, 1 thread)", "seconds_library": statistics.median(times),
            "library_max_abs_error": err}


def _time(fn: Callable[[], object], cpu: list[float] | None = None) -> tuple[float, object]:
    c0 = time.process_time()
    t0 = time.perf_counter()
    out = fn()
    dt = time.perf_counter() - t0
    if cpu is not None:
        cpu.append(time.process_time() - c0)  # all threads of the process, user + system
    return dt, out


def run(n: int, repeat: int) -> dict[str, object]:
    """Time every route at ``n`` over ``repeat`` interleaved rounds, check the spectra agree, return the figures."""
    # warm-up: compile every kernel used below (cached on disk after the first run); n = 19 > 17 so
    # that both passes of the blocked transform run
    tt19 = W.truth_table(majority(19))
    W.spectrum(majority(19))
    W.fwht(tt19)
    W.fwht(tt19.astype(np.int8))
    W.fwht(tt19.copy(), copy=False)
    copy_pass(np.empty_like(tt19), tt19)
    write_pass(W._empty_aligned(tt19.shape[0], tt19.dtype))
    numpy_fwht(W.truth_table(majority(5)))

    f = majority(n)
    tt = W.truth_table(f)
    tt8 = tt.astype(np.int8)
    work = W._empty_aligned(tt.shape[0], tt.dtype)
    work[:] = tt  # pre-faulted
    floor_dst = W._empty_aligned(tt.shape[0], tt.dtype)
    floor_dst[:] = 0
    keys = ("fused", "fused_out", "generic", "generic_int8", "generic_inplace", "floor", "write_floor")
    times: dict[str, list[float]] = {k: [] for k in keys}
    cpu: dict[str, list[float]] = {k: [] for k in keys}
    spec = gen = gen8 = None
    for _ in range(repeat):
        del spec
        dt, spec = _time(lambda: W.spectrum(f), cpu["fused"])
        times["fused"].append(dt)
        dt, _ = _time(lambda: W.spectrum(f, out=floor_dst), cpu["fused_out"])
        times["fused_out"].append(dt)
        del gen
        dt, gen = _time(lambda: W.fwht(tt), cpu["generic"])
        times["generic"].append(dt)
        del gen8
        dt, gen8 = _time(lambda: W.fwht(tt8), cpu["generic_int8"])
        times["generic_int8"].append(dt)
        work[:] = tt
        dt, _ = _time(lambda: W.fwht(work, copy=False), cpu["generic_inplace"])
        times["generic_inplace"].append(dt)
        dt, _ = _time(lambda: copy_pass(floor_dst, tt), cpu["floor"])
        times["floor"].append(dt)
        dt, _ = _time(lambda: write_pass(floor_dst), cpu["write_floor"])
        times["write_floor"].append(dt)
    fused_out = W.spectrum(f, out=floor_dst.copy())
    base = tt.copy()
    np_seconds, _ = _time(lambda: numpy_fwht(base))
    lib = _library(tt, spec, repeat)

    for name, other in (("numpy", base), ("fwht", gen), ("fwht int8", gen8), ("fwht in place", work),
                        ("spectrum(out=)", fused_out)):
        if not np.array_equal(spec, other):
            raise SystemExit(f"spectra differ at n={n}: spectrum(majority(n)) and {name}")
    assert isinstance(spec, np.ndarray)
    if W.level_values(spec) != majority_levels(n):
        raise SystemExit(f"level values at n={n} differ from featurecheck.theory.boolean.majority_levels")

    med = {k: statistics.median(v) for k, v in times.items()}
    res: dict[str, object] = {
        "benchmark": "walsh",
        "n": n,
        "dtype": str(spec.dtype),
        "threads": numba.get_num_threads(),
        "repeat": repeat,
        "seconds_fused": med["fused"],
        "seconds_fused_out": med["fused_out"],
        "seconds_generic": med["generic"],
        "seconds_generic_int8": med["generic_int8"],
        "seconds_generic_inplace": med["generic_inplace"],
        "seconds_numpy": np_seconds,
        **lib,
        "seconds_floor": med["floor"],
        "seconds_write_floor": med["write_floor"],
        "ratio": np_seconds / med["fused"],
        "ratio_generic": np_seconds / med["generic"],
        "floor_fraction_fused": med["write_floor"] / med["fused"],
        "floor_fraction_fused_out": med["write_floor"] / med["fused_out"],
        "floor_fraction_generic": 2 * med["floor"] / med["generic"],
        "floor_fraction_generic_inplace": 2 * med["floor"] / med["generic_inplace"],
    }
    if lib:
        res["ratio_library"] = lib["seconds_library"] / med["generic_inplace"]  # type: ignore[operator]
    for k, v in times.items():
        res[f"seconds_{k}_min"] = min(v)
        res[f"seconds_{k}_max"] = max(v)
        res[f"cpu_seconds_{k}"] = statistics.median(cpu[k])
    return res


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark from the command line; print the timings or write them as JSON."""
    p = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    p.add_argument("--quick", action="store_true", help="n = 25 instead of 27")
    add_json_arg(p, "the timings")
    p.add_argument("--n", type=int, default=None, help="override n (odd, 19..27)")
    p.add_argument("--repeat", type=int, default=5, help="featurecheck rounds (median reported)")
    args = p.parse_args(argv)
    n = args.n if args.n is not None else (25 if args.quick else 27)
    if n % 2 == 0 or not 19 <= n <= 27:
        p.error(f"--n must be odd in [19, 27], got {n}")
    if args.repeat < 1:
        p.error(f"--repeat must be >= 1, got {args.repeat}")
    res = run(n, args.repeat)
    if args.json is not None:
        write_json(args.json, res)
        if args.json == "-":
            return 0
    r = args.repeat

    def line(label: str, key: str, floor: float | None) -> None:
        extra = f"; {floor:.0%} of the memory floor" if floor is not None else ""
        print(f"  {label:34s}: {res[f'seconds_{key}']:.3f} s (median of {r}; "
              f"min {res[f'seconds_{key}_min']:.3f}, max {res[f'seconds_{key}_max']:.3f}; "
              f"CPU {res[f'cpu_seconds_{key}']:.3f} s){extra}")

    print(f"exact Walsh spectrum of Maj_{n} (2^{n} int32 coefficients), {res['threads']} threads")
    line("fused spectrum(majority(n))", "fused", res["floor_fraction_fused"])  # type: ignore[arg-type]
    line("fused, reused result (out=)", "fused_out", res["floor_fraction_fused_out"])  # type: ignore[arg-type]
    line("generic fwht(int32 table)", "generic", res["floor_fraction_generic"])  # type: ignore[arg-type]
    line("generic fwht(int8 table)", "generic_int8", None)
    line("generic fwht(work, copy=False)", "generic_inplace", res["floor_fraction_generic_inplace"])  # type: ignore[arg-type]
    line("memory floor (one copy pass)", "floor", None)
    line("write floor (one streaming write)", "write_floor", None)
    print(f"  {'numpy reshape FWHT':34s}: {res['seconds_numpy']:.3f} s (one run)")
    if "seconds_library" in res:
        print(f"  {'library: ' + str(res['library']):34s}: {res['seconds_library']:.3f} s (median of {r}; "
              f"max |error| {res['library_max_abs_error']:g}); ratio_library (library / fwht in place) "
              f"{res['ratio_library']:.2f}")
    print(f"  ratio (numpy / fused) {res['ratio']:.1f}; ratio_generic (numpy / generic) {res['ratio_generic']:.1f}")
    print("  check: spectra equal; level values == 2^n * featurecheck.theory.boolean.majority_levels(n)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
