"""A user's own ``theory.py``, ``numerics.py`` and ``theory/`` package cannot shadow featurecheck.

The scenario of the namespace issue: a researcher's project folder holds modules with these common
names, and Python puts the working directory first on ``sys.path``. The user's ``theory/boolean.py``
defines a wrong ``majority_coefficient``; featurecheck must neither fail to import nor compute with it.
Each check runs in a fresh interpreter started in that folder.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("user_project")
    (d / "theory.py").write_text("WHO = 'user theory.py'\n")
    (d / "numerics.py").write_text("WHO = 'user numerics.py'\n")
    (d / "theory").mkdir()
    (d / "theory" / "__init__.py").write_text("WHO = 'user theory package'\n")
    (d / "theory" / "boolean.py").write_text("def majority_coefficient(n, k):\n    return 0\n")
    (d / "claims.py").write_text('''\
import theory.boolean
from featurecheck import Param, claim, majority
from featurecheck.theory.boolean import majority_coefficient

PARAMS = (Param("n", "odd", low=1, high=99, default=9),)


@claim(id="user.right", source="O'Donnell (2014), Thm 5.19", params=PARAMS, cube=lambda p: (majority(p["n"]), [0]))
def right(n):
    """hat Maj_n({0}) from featurecheck's theory"""
    return majority_coefficient(n, 1)


@claim(id="user.wrong", source="the user's theory/boolean.py", params=PARAMS, cube=lambda p: (majority(p["n"]), [0]))
def wrong(n):
    """hat Maj_n({0}) from the user's own (wrong) theory package"""
    return theory.boolean.majority_coefficient(n, 1)
''')
    (d / "test_user.py").write_text('''\
import claims

featurecheck_claims = [claims.right, claims.wrong]
featurecheck_settings = {"max_examples": 3}


def test_fixture(featurecheck):
    featurecheck.assert_claim(claims.right, n=11)
''')
    return d


def _run(cmd: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "PYTHONSTARTUP"}}
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


def test_import_from_a_shadowing_folder(project: Path) -> None:
    code = ("import featurecheck, featurecheck.numerics, featurecheck.theory.relu, theory; "
            "from featurecheck.theory.boolean import majority_coefficient as m; "
            "print(theory.WHO, m(5, 1))")
    r = _run([sys.executable, "-c", code], project)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["user", "theory", "package", "3/8"]  # hat Maj_5({0}) = C(4,2)/2^4


def test_verify_from_a_shadowing_folder(project: Path) -> None:
    r = _run([str(BIN / "featurecheck"), "verify", "majority.coefficient", "--param", "n=9", "--param", "k=1"],
             project)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "35/128" in r.stdout  # hat Maj_9({0}) = C(8,4)/2^8 = 70/256


def test_plugin_from_a_shadowing_folder(project: Path) -> None:
    """Only the claim built on the user's module fails.

    ``theory.boolean`` is the user's (wrong) module and ``featurecheck.theory.boolean`` ours.
    """
    r = _run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_user.py"], project)
    assert r.returncode == 1, r.stdout + r.stderr  # 1: tests ran and failed (not a collection error)
    assert "1 failed, 2 passed" in r.stdout, r.stdout
    assert "FAILED test_user.py::featurecheck[user.wrong]" in r.stdout, r.stdout
