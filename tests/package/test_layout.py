"""The package's shape: one import namespace, layers that import only downwards, no import circles.

Read from the source text (``ast``), so a violation is found without running anything: a module in
``numerics/<layer>/`` may import only from its own layer, a layer below it, or ``featurecheck.theory``;
``theory/`` imports neither numerics nor numba; the packages that pyproject.toml installs are exactly
the source folders with an ``__init__.py``.
"""

from __future__ import annotations

import ast
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
#: bottom to top; ``facade`` is the public API (installed as ``featurecheck``) and may import anything
LAYERS = ["_kernels", "estimators", "experiments", "checking", "claims", "testing", "cli", "facade"]
SOURCES = {"featurecheck.theory": ROOT / "theory", "featurecheck.numerics": ROOT / "numerics"}


def _module_name(path: Path) -> str:
    for pkg, folder in SOURCES.items():
        if folder in path.parents:
            rel = path.relative_to(folder).with_suffix("")
            parts = [p for p in rel.parts if p != "__init__"]
            if parts[:1] == ["facade"]:
                return "featurecheck"
            return ".".join([pkg, *parts])
    raise AssertionError(path)


def _imports(path: Path, top_level_only: bool = False) -> list[tuple[str, int]]:
    """List ``(module, line)`` for every absolute import in ``path`` (``from X import y`` gives X and X.y)."""
    tree = ast.parse(path.read_text(), filename=str(path))
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    out: list[tuple[str, int]] = []
    for node in nodes:
        if isinstance(node, ast.Import):
            out += [(a.name, node.lineno) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.append((node.module, node.lineno))
            out += [(f"{node.module}.{a.name}", node.lineno) for a in node.names]
    return out


FILES = sorted(p for folder in SOURCES.values() for p in folder.rglob("*.py"))


def _layer(module: str) -> str | None:
    if module == "featurecheck":
        return "facade"
    parts = module.split(".")
    if parts[:2] == ["featurecheck", "numerics"] and len(parts) > 2:
        return parts[2]
    return None


def test_every_numerics_module_is_in_a_layer() -> None:
    loose = [p.name for p in (ROOT / "numerics").glob("*.py") if p.name != "__init__.py"]
    assert loose == [], f"modules outside a layer folder: {loose}"
    folders = sorted(p.name for p in (ROOT / "numerics").iterdir() if (p / "__init__.py").exists())
    assert folders == sorted(LAYERS), folders


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_imports_point_down(path: Path) -> None:
    me = _module_name(path)
    bad = []
    for target, line in _imports(path):
        if me.startswith("featurecheck.theory"):
            if target.split(".")[0] in {"numba", "numerics", "theory"} or target.startswith("featurecheck.numerics") \
                    or target == "featurecheck":
                bad.append(f"line {line}: theory imports {target}")
            continue
        if target.split(".")[0] in {"theory", "numerics"}:
            bad.append(f"line {line}: bare top-level import {target} (use featurecheck.*)")
        mine, theirs = _layer(me), _layer(target)
        if mine and theirs in LAYERS and LAYERS.index(theirs) > LAYERS.index(mine):
            bad.append(f"line {line}: layer {mine} imports {target} from the layer above, {theirs}")
    assert not bad, "\n".join(bad)


def test_no_import_circle() -> None:
    """Module-level imports between featurecheck modules form a DAG."""
    names = {_module_name(p): p for p in FILES}
    graph = {m: sorted({t for t, _ in _imports(p, top_level_only=True) if t in names and t != m})
             for m, p in names.items()}
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(m: str) -> None:
        state[m] = 1
        stack.append(m)
        for t in graph[m]:
            if state.get(t) == 1:
                raise AssertionError("import circle: " + " -> ".join(stack[stack.index(t):] + [t]))
            if t not in state:
                visit(t)
        stack.pop()
        state[m] = 2

    for m in sorted(graph):
        if m not in state:
            visit(m)


def test_pyproject_installs_every_package_and_no_top_level_theory_or_numerics() -> None:
    cfg = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    listed = set(cfg["packages"])
    found = {_module_name(p) for p in FILES if p.name == "__init__.py"}
    assert listed == found, f"pyproject lists {sorted(listed ^ found)} differently from the source folders"
    assert all(p == "featurecheck" or p.startswith("featurecheck.") for p in listed)
    assert cfg["package-dir"] == {"featurecheck": "numerics/facade", "featurecheck.theory": "theory",
                                  "featurecheck.numerics": "numerics"}


def test_installed_package_has_one_identity() -> None:
    import featurecheck
    import featurecheck.numerics.estimators.cube as cube

    assert "theory" not in sys.modules and "numerics" not in sys.modules
    assert featurecheck.majority is cube.majority
    with pytest.raises(ImportError, match="import the public API as `featurecheck`"):
        __import__("featurecheck.numerics.facade")
