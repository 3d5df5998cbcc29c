"""The ``featurecheck`` command line.

Subcommands live in ``numerics/cli/cmd_*.py``; each module defines ``register(subparsers)`` and is
discovered automatically. Every user error (bad parameter, unknown claim, module that does not import)
prints one line on stderr and exits with code 2.

Layer 7, the top of :mod:`featurecheck.numerics`: may import every layer below it and
:mod:`featurecheck.theory`. Subcommand modules import heavy layers (numba kernels) inside their
handlers, so ``featurecheck --help`` starts without numba.
"""

from __future__ import annotations

import argparse
import importlib
import math
import os
import pkgutil
import re
import sys
from collections.abc import Sequence
from typing import Any, NoReturn, TextIO

from featurecheck.theory._exact import exact_str

__all__ = ["main", "json_finite", "build_parser", "Parser", "UsageError", "exact_str", "add_executor_args", "executor_kwargs",
           "add_json_arg", "write_json", "add_plot_arg", "RenamedOption",
           "add_output_args", "output_format", "write_text", "open_output", "plain", "summary"]


#: Exit codes: 0 pass, 1 a check failed, 2 bad input, 3 inconclusive, 4 internal error.
INTERNAL_ERROR = 4


class UsageError(ValueError):
    """A command-line usage error (exit code 2)."""


#: a negative number as an option value: ``-3``, ``-1.5``, ``-.5``, ``-1e-3``, ``-3/2`` (argparse's own
#: pattern knows only ``-3`` and ``-1.5`` and takes ``--theta -3/2`` for a missing value and an option)
NEGATIVE_NUMBER = re.compile(r"^-(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?(/\d+)?$")


def plain(text: str) -> str:
    """``text`` without reStructuredText markup (double backquotes, ``:func:`x```-style roles).

    Examples
    --------
    >>> plain("``featurecheck verify``: see :func:`~featurecheck.numerics.cli.main`")
    'featurecheck verify: see featurecheck.numerics.cli.main'
    """
    text = re.sub(r":[a-z]+:`~?([^`]*)`", r"\1", text)
    return re.sub(r"``([^`]*)``", r"\1", text)


def summary(doc: str | None) -> str:
    """Return the first paragraph of a docstring as one line of plain text (a command's ``--help`` description)."""
    return plain(" ".join((doc or "").strip().split("\n\n")[0].split()))


class HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Descriptions and epilogs as written, without RST markup; every option with a value shows its default."""

    def _format_text(self, text: str) -> str:
        return super()._format_text(plain(text))

    def _get_help_string(self, action: argparse.Action) -> str:
        text = action.help or ""
        d = action.default
        if (d is None or d is argparse.SUPPRESS or isinstance(d, bool) or d == [] or not action.option_strings
                or "default" in text or action.nargs == 0):
            return text
        return f"{text} (default {d})"


#: ``featurecheck --help`` lists the commands in this order (others follow, alphabetically)
COMMAND_ORDER = ("verify", "list", "table", "fourier", "gradient", "hermite", "leap", "experiment", "results")


class Parser(argparse.ArgumentParser):
    """ArgumentParser whose errors are one line on stderr and exit code 2.

    It also reads negative numbers and fractions (``--theta -3/2``) as values; subcommand parsers
    inherit both.

    Examples
    --------
    >>> p = Parser(prog="demo")
    >>> _ = p.add_argument("--theta")
    >>> p.parse_args(["--theta", "-3/2"]).theta, p.parse_args(["--theta", "-1e-3"]).theta
    ('-3/2', '-1e-3')
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["formatter_class"] = HelpFormatter
        super().__init__(*args, **kwargs)
        self._negative_number_matcher = NEGATIVE_NUMBER
        for group in self._action_groups:
            group._negative_number_matcher = NEGATIVE_NUMBER  # type: ignore[attr-defined]

    def error(self, message: str) -> NoReturn:
        """Raise :class:`UsageError` with ``message`` (argparse would print the usage and exit)."""
        raise UsageError(f"{self.prog}: {message}")


def build_parser() -> Parser:
    """Build the ``featurecheck`` parser with every ``cmd_*`` subcommand, listed in ``COMMAND_ORDER``."""
    parser = Parser(
        prog="featurecheck",
        description="Check theorems of feature-learning theory: exact symbolic values against "
        "enumeration and calibrated Monte Carlo.",
    )
    from featurecheck.numerics.experiments.store import featurecheck_version

    parser.add_argument("--version", action="version", version=f"featurecheck {featurecheck_version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    sub.required = True
    pkg = importlib.import_module(__name__)
    for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda m: m.name):
        if info.name.startswith("cmd_"):
            mod = importlib.import_module(f"{__name__}.{info.name}")
            mod.register(sub)
    rank = {name: i for i, name in enumerate(COMMAND_ORDER)}
    sub._choices_actions.sort(key=lambda a: (rank.get(a.dest, len(rank)), a.dest))
    return parser


def _json_option(argv: list[str]) -> list[str]:
    """``--json`` followed by a word that is not a ``.json`` file is the bare flag (``verify --json ID``)."""
    out = list(argv)
    for i, tok in enumerate(argv[:-1]):
        nxt = argv[i + 1]
        if tok == "--json" and not nxt.startswith("-") and not nxt.lower().endswith(".json"):
            out[i] = "--json=-"
    return out


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``featurecheck`` console script; returns the exit code."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    try:
        parser = build_parser()
        args = parser.parse_args(_json_option(args_list))
        if getattr(args, "json", None) != "-":
            return int(args.func(args) or 0)
        # JSON on stdout: every human-readable line goes to stderr, so stdout parses as JSON
        _JSON_STDOUT[0], sys.stdout = sys.stdout, sys.stderr
        try:
            return int(args.func(args) or 0)
        finally:
            sys.stdout, _JSON_STDOUT[0] = _JSON_STDOUT[0], None
    except (ValueError, OverflowError) as e:  # every validation error is a ValueError
        msg = str(e).splitlines()[0] if str(e) else type(e).__name__
        if not msg.startswith("featurecheck"):
            msg = f"featurecheck: error: {msg}"
        print(msg, file=sys.stderr)
        return 2
    except BrokenPipeError:  # output piped into `head` and closed early
        try:
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115
        except OSError:  # pragma: no cover
            pass
        return 0
    except KeyboardInterrupt:  # pragma: no cover
        print("featurecheck: interrupted", file=sys.stderr)
        return 130
    except Exception as e:  # a bug, never a verdict: exit code 1 means "a check failed"
        print(f"featurecheck: internal error: {type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''} "
              "(please report it)", file=sys.stderr)
        return INTERNAL_ERROR


def run() -> NoReturn:
    """Console-script wrapper."""
    sys.exit(main())


def parse_params(items: Sequence[str] | None) -> dict[str, str]:
    """Parse ``--param name=value`` items into a dict (values stay strings; claims validate)."""
    out: dict[str, str] = {}
    for it in items or []:
        if "=" not in it:
            raise ValueError(f"--param must look like name=value, got {it!r}")
        k, v = it.split("=", 1)
        if not k.strip():
            raise ValueError(f"--param must look like name=value, got {it!r}")
        out[k.strip()] = v.strip()
    return out


def parse_int_list(name: str, text: str, low: int | None = None, high: int | None = None) -> list[int]:
    """Parse ``"10,15,20"`` into ints, validating each (names ``name`` in errors)."""
    from featurecheck.theory._validate import check_int

    parts = [p for p in str(text).split(",") if p.strip()]
    if not parts:
        raise ValueError(f"{name} must be a comma-separated list of integers, got {text!r}")
    return [check_int(name, p, low, high) for p in parts]


def add_executor_args(p: argparse.ArgumentParser) -> None:
    """``--workers N``, ``--scheduler ADDRESS`` and ``--store PATH`` of every sweep-shaped command."""
    p.add_argument("--workers", default=None, metavar="N",
                   help='run on a local Dask cluster of N worker processes (pip install "featurecheck[distributed]")')
    p.add_argument("--scheduler", default=None, metavar="ADDRESS",
                   help="run on an existing Dask cluster (e.g. tcp://10.0.0.5:8786)")
    p.add_argument("--store", default=None, metavar="PATH",
                   help="SQLite results store: finished runs are kept and reused (resume, overlapping grids)")


def executor_kwargs(args: argparse.Namespace) -> dict[str, Any]:
    """``workers``, ``scheduler``, ``store`` from :func:`add_executor_args` options, validated."""
    from featurecheck.theory._validate import check_int

    workers = None if args.workers is None else check_int("workers", args.workers, 1, 1024)
    if workers is not None and args.scheduler is not None:
        raise ValueError(f"give --workers or --scheduler, not both (got --workers {workers} --scheduler {args.scheduler})")
    return {"workers": workers, "scheduler": args.scheduler, "store": args.store}


def add_json_arg(p: argparse.ArgumentParser, what: str = "the results") -> None:
    """``--json [FILE]``, the one JSON option of every command: bare, it prints on stdout; with FILE it writes there."""
    p.add_argument("--json", nargs="?", const="-", default=None, metavar="FILE",
                   help=f"{what} as JSON: on stdout, or written to FILE (a name ending in .json, or --json=FILE)")


class RenamedOption(argparse.Action):
    """Stores the value; an old name (any option string after the first) warns that it is deprecated.

    Examples
    --------
    >>> p = Parser(prog="demo")
    >>> _ = p.add_argument("--train-samples", "--samples", action=RenamedOption)
    >>> p.parse_args(["--train-samples", "5"]).train_samples
    '5'
    """

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: Any,
                 option_string: str | None = None) -> None:
        """Store ``values``, warning on stderr when the option was given by a deprecated alias."""
        if option_string is not None and option_string != self.option_strings[0]:
            print(f"featurecheck: warning: {option_string} is deprecated and will be removed in the next release; "
                  f"use {self.option_strings[0]}", file=sys.stderr)
        setattr(namespace, self.dest, values)


#: ``--format`` values and the file suffixes that imply them
FORMAT_SUFFIXES = {"json": ("json",), "csv": ("csv",), "md": ("md", "markdown"), "latex": ("tex", "latex")}


def add_output_args(p: argparse.ArgumentParser, formats: Sequence[str]) -> None:
    """``-o/--output FILE`` and ``--format`` (default: from FILE's suffix, else the first of ``formats``)."""
    p.add_argument("--format", default=None, choices=tuple(formats),
                   help=f"output format (default: from the suffix of --output, else {formats[0]})")
    p.add_argument("-o", "--output", default=None, metavar="FILE", help="write to FILE instead of stdout")


def output_format(args: argparse.Namespace, formats: Sequence[str]) -> str:
    """Return the format of :func:`add_output_args`: ``--json`` (json), ``--format``, FILE's suffix, or the default.

    Examples
    --------
    >>> output_format(argparse.Namespace(format=None, output="t.tex"), ("md", "latex"))
    'latex'
    """
    if getattr(args, "json", None) is not None:
        if args.format not in (None, "json") or args.output is not None:
            raise ValueError("give --json [FILE], or --format/--output, not both")
        return "json"
    if args.format is not None:
        return str(args.format)
    if args.output:
        suffix = args.output.rsplit(".", 1)[-1].lower() if "." in args.output else ""
        for fmt, sfx in FORMAT_SUFFIXES.items():
            if suffix in sfx and fmt in formats:
                return fmt
    return formats[0]


def write_text(target: str | None, text: str) -> None:
    """``text`` on stdout (``target`` None, or ``"-"``: the JSON stream) or into the file ``target``."""
    if target in (None, "-"):
        (json_stdout() if target == "-" else sys.stdout).write(text)
        return
    try:
        with open_output(target) as fh:
            fh.write(text)
    except OSError as e:
        raise ValueError(f"output: cannot write {target!r}: {e.strerror}") from None


def open_output(target: str) -> TextIO:
    """Open the file ``target`` for writing text (UTF-8, newlines as written); a ValueError if it cannot be."""
    try:
        return open(target, "w", encoding="utf-8", newline="")
    except OSError as e:
        raise ValueError(f"output: cannot write {target!r}: {e.strerror}") from None


def add_plot_arg(p: argparse.ArgumentParser, what: str = "a figure") -> None:
    """``--plot FILE``: a figure (png, pdf or svg, by the file's suffix)."""
    p.add_argument("--plot", default=None, metavar="FILE", help=f"write {what} (png, pdf or svg)")


def json_finite(x: Any) -> Any:
    """Return ``x`` with every ``inf``/``nan`` float (in dicts and lists too) replaced by None, for strict JSON.

    Examples
    --------
    >>> json_finite({"median": float("inf"), "interval": [1.5, float("nan")], "n": 3})
    {'median': None, 'interval': [1.5, None], 'n': 3}
    """
    if isinstance(x, float):
        return x if math.isfinite(x) else None
    if isinstance(x, dict):
        return {k: json_finite(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [json_finite(v) for v in x]
    return x


def write_json(target: str | None, payload: Any) -> None:
    """Write ``payload`` in the one JSON style (2-space indent, key order kept) to ``target``.

    ``target`` is the value of :func:`add_json_arg`'s option: ``None`` does nothing, ``"-"`` prints on
    stdout, anything else is a file path. Exact values belong in ``payload`` as strings (``"3/8"``).

    Examples
    --------
    >>> write_json("-", {"n": 3, "value": "3/8"})
    {
      "n": 3,
      "value": "3/8"
    }
    """
    import json

    if target is None:
        return
    write_text(target, json.dumps(payload, indent=2, allow_nan=False, default=_json_default) + "\n")


#: where ``--json`` with no FILE prints: the real stdout while :func:`main` sends human-readable text to stderr
_JSON_STDOUT: list[Any] = [None]


def json_stdout() -> Any:
    """Return where ``--json`` with no FILE prints (stdout; :func:`main` moves human-readable text to stderr)."""
    return _JSON_STDOUT[0] or sys.stdout


def _json_default(obj: Any) -> Any:
    import numbers
    from fractions import Fraction

    if isinstance(obj, Fraction):
        return exact_str(obj)
    if isinstance(obj, numbers.Integral):
        return int(obj)
    if isinstance(obj, numbers.Real):
        return float(obj)
    if hasattr(obj, "tolist"):
        return obj.tolist()
    raise TypeError(f"{type(obj).__name__} is not JSON serialisable")
