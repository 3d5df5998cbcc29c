"""Execute every notebook in notebooks/ at small sizes (FEATURECHECK_QUICK=1).

Notebooks are consumers of the public API; executing them keeps them honest. The code cells of each
notebook run in order, in a fresh Python subprocess (no Jupyter kernel needed, so the test extra stays
small), with ``MPLBACKEND=Agg``; IPython magics (lines starting with ``%`` or ``!``) are skipped and
``display`` prints. Each notebook gets 300 s.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[2] / "notebooks").glob("*.ipynb"))

PRELUDE = "def display(*objs, **kw):\n    for o in objs:\n        print(o)\n\n"


def notebook_source(path: Path) -> str:
    """The notebook's code cells as one Python script (magics dropped)."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    cells = []
    for i, cell in enumerate(nb.get("cells", [])):
        if cell.get("cell_type") != "code":
            continue
        src = cell.get("source", "")
        src = "".join(src) if isinstance(src, list) else src
        lines = [ln for ln in src.splitlines() if not ln.lstrip().startswith(("%", "!"))]
        cells.append(f"# ---- cell {i}\n" + "\n".join(lines))
    return PRELUDE + "\n\n".join(cells) + "\n"


def test_notebooks_present() -> None:
    assert NOTEBOOKS, "notebooks/ holds no notebook"


@pytest.mark.notebook
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_executes(path: Path, tmp_path: Path) -> None:
    script = tmp_path / f"{path.stem}.py"
    script.write_text(notebook_source(path), encoding="utf-8")
    env = dict(os.environ, FEATURECHECK_QUICK="1", MPLBACKEND="Agg")
    proc = subprocess.run([sys.executable, str(script)], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, f"{path.name} failed:\n{proc.stderr[-4000:]}"
