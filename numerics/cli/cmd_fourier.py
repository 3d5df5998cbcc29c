"""``featurecheck fourier``: exact Fourier coefficients.

``majority|threshold``: exact level values of symmetric functions. Values print as exact fractions of
any length (``--n 1000001 --k 3`` has about 600 000 digits; with gmpy2 installed the decimal
conversion is subquadratic).

``majority`` without ``--k`` prints every level ``1..n`` for any odd ``n <= 10^7 + 1``, streamed level
by level from the exact recurrence of :func:`~featurecheck.theory.boolean.majority_level_numerators`
(each odd level is ``p_k / 2^e`` with one ``e``), so memory stays at a few values whatever the size.
The output grows like ``n^2``: at ``n = 100001`` it is about 2.5 GB of text (the JSON is as large),
written in about 4 s on a 2-core machine; about 100 times that at ``n = 10^6 + 1``. ``threshold``
lists every level for ``n <= 5001``, and ``--plot`` needs ``n <= 5001``.

``table|expr|ltf``: the exact spectrum of any function of ``n <= 20`` variables
(:mod:`featurecheck.numerics.estimators.boolean_function`, whose docstring states the conventions: index
bit ``i`` set means ``x_i = -1``; a bit ``b`` is the value ``(-1)^b``; an LTF is ``+1`` iff
``w.x >= theta``). With ``--json`` they print ``{"function", "n", "coefficients", "levels", ...}``:
``coefficients`` maps the decimal mask of ``S`` (bit ``i`` = ``x_i``) to ``hat f(S)`` as an exact
fraction (nonzero ones unless ``--all``), ``levels`` maps ``k`` to the level weight ``W^k``.
"""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, TextIO

from featurecheck.numerics.cli import add_json_arg, add_plot_arg, exact_str, json_stdout, open_output, write_json
from featurecheck.theory import boolean as B
from featurecheck.theory._validate import check_int, check_odd, check_real


def register(sub: Any) -> None:
    """Add the ``featurecheck fourier`` command and its functions to the subparsers ``sub``."""
    p = sub.add_parser("fourier", help="exact Fourier coefficients by level")
    fs = p.add_subparsers(dest="function", metavar="FUNCTION")
    fs.required = True
    m = fs.add_parser("majority", help="Maj_n = sign(sum x), n odd; levels 1..n "
                       "(all of them stream: about 2.5 GB at n = 100001)")
    m.add_argument("--n", required=True, help="number of variables (odd)")
    m.add_argument("--k", default=None, help="only this level")
    add_json_arg(m, "function, n and levels")
    add_plot_arg(m, "the level weights W^k = C(n,k) hat f(k)^2 against k, with their n -> infinity limit")
    m.set_defaults(func=_cmd_majority)
    t = fs.add_parser("threshold", help="T_theta = 1[sum x >= theta] (0/1 valued); levels 0..n")
    t.add_argument("--n", required=True, help="number of variables")
    t.add_argument("--theta", required=True, help="threshold (any real, e.g. 2, -1.5, 7/3, -3/2)")
    t.add_argument("--k", default=None, help="only this level")
    add_json_arg(t, "function, n, theta and levels")
    t.set_defaults(func=_cmd_threshold)
    tb = fs.add_parser("table", help="any function given by its truth table (bit x of the table = f at index x)")
    src = tb.add_mutually_exclusive_group(required=True)
    src.add_argument("--hex", default=None, help="truth table as a hex number, bit x (LSB first) = bit at index x; "
                     "0xE8 is Maj_3")
    src.add_argument("--bits", default=None, help="truth table as 2^n characters 0/1, character x = bit at index x")
    tb.add_argument("--n", default=None, help="number of variables for --hex (default: log2 of 4 x the hex digits)")
    _common(tb)
    tb.set_defaults(func=_cmd_table)
    ex = fs.add_parser("expr", help='a Boolean expression in x0..x{n-1}, e.g. "x0&x1 | x2" or "maj(x0,x1,x2) ^ x3"')
    ex.add_argument("expression", help="operators & | ^ ~, parentheses, 0, 1, maj(e1,...,em), thr(k,e1,...,em); "
                    "xi is True iff x_i = -1")
    ex.add_argument("--n", default=None, help="number of variables (default: 1 + the largest index used)")
    _common(ex)
    ex.set_defaults(func=_cmd_expr)
    lt = fs.add_parser("ltf", help="linear threshold function f = +1 if w.x >= theta else -1")
    lt.add_argument("--weights", required=True, help="comma-separated weights w_0,...,w_{n-1} (integers or "
                    "rationals such as 3/2), n <= 20")
    lt.add_argument("--theta", default="0", help="threshold (any rational; default 0)")
    lt.add_argument("--strict", action="store_true", help="use w.x > theta instead of w.x >= theta")
    _common(lt)
    lt.set_defaults(func=_cmd_ltf)


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--zero-one", action="store_true",
                   help="0/1 values instead of ±1: the bit b itself (table, expr), the indicator 1[w.x >= theta] (ltf)")
    p.add_argument("--all", action="store_true", help="list zero coefficients too")
    add_json_arg(p, "function, n, coefficients by mask and level weights")


_MAX_LEVELS_N = 5001  # all levels of a threshold function, and --plot (floats of every level)


class _ChunkWriter:
    """Text streams written in chunks of about 1 MB by one background thread.

    With ``fourier majority --n 100001`` (2.5 GB) the kernel's copy into a file takes seconds; the
    thread's ``write`` releases the GIL, so that copy overlaps the computation of the next levels.
    Chunks much larger than 1 MB are slower: each is a fresh allocation, paid for in page faults.
    ``put(i, *texts)`` appends to stream ``i``. Used as a context manager: a normal exit writes the
    rest, waits for the thread and flushes; an error of the thread (a closed pipe, a full disk) is
    raised in the caller, at the next ``put`` or at the exit.
    """

    CHUNK = 1 << 20

    def __init__(self, streams: Sequence[TextIO]) -> None:
        import queue
        import threading

        self._streams = streams
        self._parts: list[list[str]] = [[] for _ in streams]
        self._size = [0] * len(streams)
        self._queue: queue.Queue[tuple[int, str] | None] = queue.Queue(maxsize=4)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="featurecheck-writer", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while (item := self._queue.get()) is not None:
            if self._error is None:  # after an error, keep taking chunks so that put() never blocks
                try:
                    self._streams[item[0]].write(item[1])
                except BaseException as e:  # noqa: BLE001 - re-raised in the caller
                    self._error = e

    def put(self, i: int, *texts: str) -> None:
        self._parts[i].extend(texts)
        self._size[i] += sum(map(len, texts))
        if self._size[i] >= self.CHUNK:
            self._send(i)

    def _send(self, i: int) -> None:
        if self._error is not None:
            raise self._error
        self._queue.put((i, "".join(self._parts[i])))
        self._parts[i], self._size[i] = [], 0

    def __enter__(self) -> _ChunkWriter:
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        try:
            if exc_type is None:
                for i, parts in enumerate(self._parts):
                    if parts:
                        self._send(i)
        finally:
            self._queue.put(None)
            self._thread.join()
        if exc_type is None:
            if self._error is not None:
                raise self._error
            for stream in self._streams:
                stream.flush()


def _emit(args: argparse.Namespace, head: dict[str, Any], levels: Iterable[tuple[int, Sequence[str]]]) -> int:
    """Print ``head`` and the levels as text on stdout and/or as JSON (``--json``), one level at a time.

    ``levels`` yields ``(k, parts)``: the exact value of level ``k`` is ``"".join(parts)`` (a long
    numerator and the shared ``/2^e`` are not joined), and the output of any size is never held in
    memory. The JSON is byte for byte what :func:`write_json` prints for
    ``{**head, "levels": {str(k): value}}``; the values are exact rationals, which need no escaping.
    """
    import json

    fh = open_output(args.json) if args.json not in (None, "-") else None  # closed below
    streams: list[TextIO] = []
    js = text = None  # their indices in streams
    if args.json is not None:
        js = len(streams)
        streams.append(json_stdout() if fh is None else fh)
    if args.json != "-":
        text = len(streams)
        streams.append(sys.stdout)
    try:
        with _ChunkWriter(streams) as out:
            if js is not None:
                out.put(js, "{\n", *(f"  {json.dumps(key)}: {json.dumps(v)},\n" for key, v in head.items()),
                        '  "levels": {')
            if text is not None:
                out.put(text, ", ".join(f"{key}={v}" for key, v in head.items()),
                        "\nhat f(S) for any |S| = level (E[f chi_S]):\n")
            sep = "\n"
            for k, parts in levels:
                if js is not None:
                    out.put(js, f'{sep}    "{k}": "', *parts, '"')
                    sep = ",\n"
                if text is not None:
                    out.put(text, f"  level {k:>4}: ", *parts, "\n")
            if js is not None:
                out.put(js, "}\n}\n" if sep == "\n" else "\n  }\n}\n")
    finally:
        if fh is not None:
            fh.close()
    return 0


def _majority_all_levels(n: int) -> Iterator[tuple[int, Sequence[str]]]:
    """Levels ``1..n`` of ``Maj_n`` as ``(k, parts)`` for :func:`_emit`, from the exact recurrence.

    :func:`~featurecheck.theory.boolean.majority_level_numerators` gives ``p_k / 2^e`` with one ``e``, so
    the denominator's digits are computed once.
    """
    den: str | None = None
    for k, p, e in B.majority_level_numerators(n):
        if den is None:
            den = "/" + exact_str(1 << e) if e else ""
        if k > 1:
            yield k - 1, ("0",)
        yield k, (str(p), den)


def _cmd_majority(args: argparse.Namespace) -> int:
    n = check_odd("n", args.n, 1, B.MAX_N)
    levels: Iterable[tuple[int, Sequence[str]]]
    if args.k is None:
        levels = _majority_all_levels(n)
    else:
        k = check_int("k", args.k, 1, n)
        levels = [(k, (exact_str(B.majority_coefficient(n, k)),))]
    if args.plot:
        _plot_majority(n, args.plot)
    return _emit(args, {"function": "majority", "n": n}, levels)


def _plot_majority(n: int, path: str) -> None:
    """Level weights of ``Maj_n`` (exact) against the limit ``2/pi ((k-2)!!)^2 / k!`` (O'Donnell 2014, Thm 5.19)."""
    if n > _MAX_LEVELS_N:
        raise ValueError(f"--plot needs every level: n must be at most {_MAX_LEVELS_N}, got {n}")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ws = B.level_weights(B.majority_levels(n), n)
    ks = [k for k in range(1, n + 1, 2)]
    limit = [float(B.majority_level_weight_limit_formula(k)) for k in ks]
    fig, ax = plt.subplots(figsize=(5.5, 3.6))
    ax.loglog(ks, [float(ws[k]) for k in ks], "o", ms=4, label=f"W^k of Maj_{n} (exact)")
    ax.loglog(ks, limit, "-", lw=1, label="limit 2/pi ((k-2)!!)^2 / k!")
    ax.loglog(ks, [(2 / math.pi) ** 1.5 * k ** -1.5 for k in ks], ":", lw=1,
              label="(2/pi)^(3/2) k^(-3/2)")
    ax.set(xlabel="level k (odd)", ylabel="level weight W^k",
           title=f"Majority spectrum by level, n = {n} (sum of W^k = 1)")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def _cmd_threshold(args: argparse.Namespace) -> int:
    theta = check_real("theta", args.theta, exact=True)
    if args.k is None:
        n = check_int("n", args.n, 1, _MAX_LEVELS_N)
        ks: Sequence[int] = range(0, n + 1)
    else:
        n = check_int("n", args.n, 1, B.MAX_N)
        ks = [check_int("k", args.k, 0, n)]
    levels = [(k, (exact_str(B.threshold_coefficient(n, theta, k)),)) for k in ks]
    return _emit(args, {"function": "threshold", "n": n, "theta": str(theta)}, levels)


def _spectrum_payload(args: argparse.Namespace, function: str, f: Any, extra: dict[str, Any]) -> dict[str, Any]:
    coeffs = {str(S): exact_str(c) for S, c in enumerate(f.spectrum()) if c or args.all}
    return {"function": function, "n": f.n, **extra, "values": "01" if args.zero_one else "pm",
            "coefficients": coeffs,
            "levels": {str(k): exact_str(w) for k, w in enumerate(f.level_weights())},
            "degree": f.degree(),
            "influences": [exact_str(v) for v in f.influences()],
            "total_influence": exact_str(f.total_influence())}


def _set_str(S: int) -> str:
    return "{" + ",".join(str(i) for i in range(S.bit_length()) if S >> i & 1) + "}"


def _emit_spectrum(args: argparse.Namespace, payload: dict[str, Any]) -> int:
    write_json(args.json, payload)
    if args.json == "-":
        return 0
    head = {k: v for k, v in payload.items() if k not in ("coefficients", "levels", "influences")}
    print(", ".join(f"{k}={v}" for k, v in head.items()))
    print("hat f(S) = E[f chi_S] (S as a set of coordinates; x_i = -1 <=> bit i of the index):")
    for S, v in payload["coefficients"].items():
        print(f"  {_set_str(int(S)):>12}: {v}")
    print("level weights W^k = sum_{|S|=k} hat f(S)^2:")
    for k, v in payload["levels"].items():
        print(f"  k = {k:>2}: {v}")
    print("influences Inf_i:", ", ".join(payload["influences"]))
    return 0


def _cmd_table(args: argparse.Namespace) -> int:
    from featurecheck.numerics.estimators import boolean_function as BF

    pm = not args.zero_one
    if args.hex is not None:
        n = None if args.n is None else check_int("n", args.n, 0, BF.MAX_TABLE_N)
        f = BF.from_hex(args.hex, n, pm=pm)
        extra = {"hex": args.hex}
    else:
        if args.n is not None:
            raise ValueError("--n applies to --hex only (a bit string's length is 2^n)")
        f = BF.from_bits(args.bits, pm=pm)
        extra = {"bits": args.bits}
    return _emit_spectrum(args, _spectrum_payload(args, "table", f, extra))


def _cmd_expr(args: argparse.Namespace) -> int:
    from featurecheck.numerics.estimators import boolean_function as BF

    n = None if args.n is None else check_int("n", args.n, 1, BF.MAX_TABLE_N)
    e = BF.parse_expression(args.expression, n)
    check_int("n", e.n, 1, BF.MAX_TABLE_N)
    f = BF.from_expression(e, pm=not args.zero_one)
    return _emit_spectrum(args, _spectrum_payload(args, "expr", f, {"expression": args.expression}))


def _cmd_ltf(args: argparse.Namespace) -> int:
    from featurecheck.numerics.estimators import boolean_function as BF

    parts = [p.strip() for p in str(args.weights).split(",")]
    if not parts or any(p == "" for p in parts):
        raise ValueError(f"weights must be a comma-separated list of rationals, got {args.weights!r}")
    ws = [check_real(f"weights[{i}]", p, exact=True) for i, p in enumerate(parts)]
    theta = check_real("theta", args.theta, exact=True)
    f = BF.ltf(ws, theta, strict=args.strict, pm=not args.zero_one)
    extra = {"weights": [exact_str(w) for w in ws], "theta": exact_str(theta),
             "rule": "w.x > theta" if args.strict else "w.x >= theta"}
    return _emit_spectrum(args, _spectrum_payload(args, "ltf", f, extra))
