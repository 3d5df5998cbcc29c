"""Every docstring example of the installed package, run once per module under its one import name.

``pytest --doctest-modules`` over the source folders would import each file a second time under a bare
name (``theory.boolean`` beside ``featurecheck.theory.boolean``); walking the installed package keeps one
module identity. The examples themselves are the specification (STYLE.md, example 10): each states
its expected output, computed by hand or taken from the cited source.
"""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import featurecheck


def _modules() -> list[str]:
    names = ["featurecheck"]
    for root in ("featurecheck.theory", "featurecheck.numerics"):
        pkg = importlib.import_module(root)
        names.append(root)
        for info in pkgutil.walk_packages(pkg.__path__, root + "."):
            if info.name.startswith("featurecheck.numerics.facade") or info.name.endswith(".__main__"):
                continue  # the source folder of `featurecheck` itself; `python -m` entry points
            names.append(info.name)
    return sorted(names)


MODULES = _modules()


def test_the_walk_sees_every_layer() -> None:
    """A walk that silently found nothing would pass every parametrised case below."""
    layers = {m.split(".")[2] for m in MODULES if m.startswith("featurecheck.numerics.")}
    assert {"_kernels", "estimators", "experiments", "checking", "claims", "testing", "cli"} <= layers
    assert sum(m.startswith("featurecheck.theory.") for m in MODULES) >= 10


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    finder = doctest.DocTestFinder(exclude_empty=True)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    tests = [t for t in finder.find(module, name, globs=dict(vars(module))) if t.examples]
    report: list[str] = []
    for t in tests:
        runner.run(t, out=report.append)
    failed, attempted = runner.failures, runner.tries
    assert failed == 0, f"{failed} of {attempted} examples failed in {name}:\n" + "".join(report)


def test_facade_exports() -> None:
    featurecheck._check_exports()  # type: ignore[attr-defined]
