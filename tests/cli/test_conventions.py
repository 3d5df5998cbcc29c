"""One output convention across every command, and a ``--help`` a reader can use.

The convention: ``--json [FILE]``, ``-o/--output`` with ``--format``. The ``--help``: ordered commands,
complete descriptions, no RST markup, defaults shown.
"""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Iterator

import pytest

from featurecheck.numerics.cli import build_parser, main


def leaves(p: argparse.ArgumentParser, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], argparse.ArgumentParser]]:
    subs = [a for a in p._actions if isinstance(a, argparse._SubParsersAction)]
    if not subs:
        yield path, p
    for a in subs:
        for name, sp in a.choices.items():
            yield from leaves(sp, (*path, name))


LEAVES = list(leaves(build_parser()))
IDS = [" ".join(path) for path, _ in LEAVES]


def all_parsers() -> Iterator[argparse.ArgumentParser]:
    def walk(p: argparse.ArgumentParser) -> Iterator[argparse.ArgumentParser]:
        yield p
        for a in p._actions:
            if isinstance(a, argparse._SubParsersAction):
                for sp in a.choices.values():
                    yield from walk(sp)
    yield from walk(build_parser())


@pytest.mark.parametrize("path,parser", LEAVES, ids=IDS)
def test_every_command_has_the_one_json_option(path: tuple[str, ...], parser: argparse.ArgumentParser) -> None:
    (act,) = [a for a in parser._actions if "--json" in a.option_strings]
    assert act.nargs == "?" and act.const == "-" and act.default is None, path


@pytest.mark.parametrize("path,parser", LEAVES, ids=IDS)
def test_options_show_their_defaults(path: tuple[str, ...], parser: argparse.ArgumentParser) -> None:
    fmt = parser._get_formatter()
    for a in parser._actions:
        if a.option_strings and a.default not in (None, False, [], argparse.SUPPRESS) and a.nargs != 0:
            assert "default" in fmt._get_help_string(a), (path, a.option_strings)


def test_help_has_no_markup_and_every_command_is_described() -> None:
    for p in all_parsers():
        text = p.format_help()
        assert "``" not in text and not re.search(r":(func|mod|class|math):`", text), p.prog
        for a in p._actions:
            if isinstance(a, argparse._SubParsersAction):
                for choice in a._choices_actions:
                    assert choice.help and not choice.help.endswith(("...", ",")), \
                        (p.prog, choice.dest)


def test_commands_are_listed_by_use() -> None:
    text = build_parser().format_help()
    order = [m.group(1) for m in re.finditer(r"^    (\w[\w-]*)", text, re.M)]
    assert order[:3] == ["verify", "list", "table"] and order[-2:] == ["experiment", "results"]


def test_bare_json_prints_json_and_json_file_writes_it(tmp_path, capsys) -> None:
    assert main(["leap", "--json", "x0 + x0*x1"]) == 0  # a bare --json before the positional
    doc = json.loads(capsys.readouterr().out)
    assert doc["leap"] == 1
    out = tmp_path / "leap.json"
    assert main(["leap", "x0*x1*x2", "--json", str(out)]) == 0
    assert capsys.readouterr().out.startswith("leap")  # the human form still prints
    assert json.loads(out.read_text())["leap"] == 3


def test_experiment_json_on_stdout_sends_the_table_to_stderr(capsys) -> None:
    code = main(["experiment", "parity-sgd", "--n", "6", "--k", "2", "--seeds", "2", "--width", "20",
                 "--lr", "0.2", "--quiet", "--json"])
    assert code == 0
    cap = capsys.readouterr()
    doc = json.loads(cap.out)
    assert {"settings", "results", "fits"} == set(doc) and "median" in cap.err


@pytest.mark.parametrize("suffix,marker", [("tex", r"\toprule"), ("csv", "method,quantity"), ("md", "| "),
                                           ("json", '"method"')])
def test_table_format_follows_the_output_suffix(tmp_path, suffix: str, marker: str) -> None:
    out = tmp_path / f"t.{suffix}"
    assert main(["table", "parity", "--n", "20", "--k", "2", "-o", str(out)]) == 0
    assert marker in out.read_text()


def test_table_exact_values_are_strings(capsys) -> None:
    assert main(["table", "parity", "--n", "20", "--k", "3", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    (sq,) = [r for r in rows if r["quantity"] == "sq-dimension"]
    assert sq["value"] == "1140" and sq["float"] == 1140.0  # C(20, 3)


def test_json_and_format_together_is_a_usage_error(capsys) -> None:
    assert main(["table", "parity", "--n", "20", "--k", "2", "--json", "--format", "md"]) == 2
    assert "not both" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [
    ["leap", "x0*x1", "--json", "{path}"],                       # write_json
    ["fourier", "majority", "--n", "5", "--json", "{path}"],     # the streaming writer
    ["table", "parity", "--n", "20", "--k", "2", "-o", "{path}"],  # write_text
])
def test_unwritable_output_is_a_one_line_usage_error(tmp_path, capsys, argv: list[str]) -> None:
    path = str(tmp_path / "missing-folder" / "out.json")
    assert main([a.format(path=path) for a in argv]) == 2
    err = capsys.readouterr().err
    assert err == f"featurecheck: error: output: cannot write {path!r}: No such file or directory\n"
