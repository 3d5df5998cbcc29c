"""Execute every notebook in notebooks/ through a real Jupyter kernel, at small sizes (FEATURECHECK_QUICK=1).

Notebooks are consumers of the public API; executing them keeps them honest. Each runs top to bottom
in a fresh ``python3`` kernel (nbclient + ipykernel, from the ``test`` extra) in a scratch folder, with
300 s per cell; any cell error fails the test.

The notebooks are committed with their outputs (executed at the quick sizes, so figures are small
PNGs) so that a reader on the web sees the figures without running anything.
``FEATURECHECK_NOTEBOOKS=write pytest -m notebook tests/docs/test_notebooks.py`` re-executes them and
writes the outputs back.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[2] / "notebooks").glob("*.ipynb"))
WRITE = os.environ.get("FEATURECHECK_NOTEBOOKS") == "write"


def test_notebooks_present() -> None:
    assert NOTEBOOKS, "notebooks/ holds no notebook"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_is_committed_with_its_outputs(path: Path) -> None:
    nbformat = pytest.importorskip("nbformat")
    nb = nbformat.read(path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code and all(c.execution_count is not None for c in code), f"{path.name} is stored unexecuted"
    counts = [c.execution_count for c in code]
    assert counts == list(range(1, len(code) + 1)), f"{path.name} was not executed top to bottom: {counts}"
    assert not [o for c in code for o in c.outputs if o.output_type == "error"], f"{path.name} stores an error"
    plots = "plt." in "".join(c.source for c in code) or ".plot(" in "".join(c.source for c in code)
    images = [o for c in code for o in c.outputs if "image/png" in o.get("data", {})]
    assert images or not plots, f"{path.name} draws figures but stores none"


@pytest.mark.notebook
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_executes_in_a_kernel(path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    monkeypatch.setenv("FEATURECHECK_QUICK", "1")
    monkeypatch.setenv("JUPYTER_PLATFORM_DIRS", "1")
    monkeypatch.delenv("MPLBACKEND", raising=False)  # the kernel's inline backend stores PNGs
    nb = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(nb, timeout=300, kernel_name="python3",
                                     resources={"metadata": {"path": str(tmp_path)}})
    try:
        client.execute()
    except nbclient.exceptions.CellExecutionError as e:
        pytest.fail(f"{path.name} failed in a kernel:\n{str(e)[-4000:]}")
    if WRITE:
        for cell in nb.cells:
            cell.get("metadata", {}).pop("execution", None)
        nbformat.write(nb, path)
