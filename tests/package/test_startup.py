"""Start-up: the commands that need no symbolic algebra run without importing sympy or mpmath.

Issue 18: ``featurecheck list`` in under a second. Listing the claims (id, kind, routes, sources),
``featurecheck --help`` and ``featurecheck fourier majority`` need neither sympy nor mpmath, so the claim
modules, the theory they import and the bound catalogue import them inside the functions that build
expressions (module-level symbols and the catalogue are built on first use). Each command runs in a
fresh interpreter, which then reports the heavy modules it imported; nothing here is timed.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

LAZY = ("sympy", "mpmath")

_PROBE = """
import contextlib, io, json, sys
from featurecheck.numerics.cli import main
out = io.StringIO()
with contextlib.redirect_stdout(out):
    try:
        code = main(sys.argv[1:])
    except SystemExit as e:  # --help
        code = e.code
print(json.dumps({"code": code, "stdout": out.getvalue(), "modules": sorted(sys.modules)}))
"""


def _run(*argv: str) -> dict:
    proc = subprocess.run([sys.executable, "-c", _PROBE, *argv], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.splitlines()[-1])


@pytest.mark.parametrize("argv", [("list",), ("--help",), ("fourier", "majority", "--n", "9")],
                         ids=lambda a: " ".join(a))
def test_command_runs_without_sympy_and_mpmath(argv: tuple[str, ...]) -> None:
    res = _run(*argv)
    assert res["code"] == 0 and res["stdout"], res
    loaded = [m for m in LAZY if m in res["modules"]]
    assert loaded == [], f"`featurecheck {' '.join(argv)}` imported {loaded}"


def test_list_shows_every_claim_of_the_registry() -> None:
    """The lazy imports change nothing that ``list`` shows: every registered claim is listed."""
    from featurecheck.numerics.claims import all_claims

    out = _run("list")["stdout"]
    assert all(c.id in out for c in all_claims())


def test_lazily_built_names_are_built_once() -> None:
    """Names served by a module ``__getattr__`` are one object each, whichever module they are reached through."""
    from featurecheck.theory import bounds, hermite, relu
    from featurecheck.theory.bounds import catalogue, model

    assert bounds.CATALOGUE is catalogue.CATALOGUE and bounds.PROBLEMS is catalogue.PROBLEMS
    assert bounds.PARITY is catalogue.PARITY is catalogue.PROBLEMS["parity"]
    assert bounds.log2 is model.log2 and model.n is model.symbols()["n"]
    assert catalogue.get("parity.erm").formula.has(model.log2)
    assert hermite.Z is hermite.Z and relu.N_SYM is relu.N_SYM
    with pytest.raises(AttributeError):
        catalogue.NOT_A_NAME  # noqa: B018
