"""A results store: every finished run of a sweep, in one SQLite file.

Why SQLite: it ships with Python (no extra dependency), one file holds the whole store, a reader
never sees a half-written run (each run is one transaction), and ``SELECT`` by key makes resuming a
sweep a lookup. DuckDB would add SQL over Parquet, which nothing here needs; Parquet export is
available through pandas when it is installed.

Only the client writes: results come back from the executor (in-process or Dask workers) to the
process that owns the store, which writes each run the moment it arrives, so concurrent workers never
write the file.

Schema (:data:`SCHEMA`)
-----------------------
``meta(key, value)``: ``schema`` and ``results`` versions and the featurecheck version that created it.
``runs(key, kind, settings, seed, result, seconds, version, finished)``: ``key`` is the SHA-256 of the
canonical JSON of ``(kind, settings, seed)``; ``settings`` and ``result`` are JSON; ``seconds`` the
wall time of the run (the one field that is not reproducible); ``version`` the featurecheck version
that computed it.

A store is refused (``ValueError``) when its schema or results version differs from this code's:
:data:`RESULTS_VERSION` changes whenever a random stream or a training rule changes, so a stored
result is always the result this code would compute.

Examples
--------
>>> import tempfile, os
>>> path = os.path.join(tempfile.mkdtemp(), "runs.db")
>>> with ResultStore(path) as st:
...     st.put("parity-sgd", {"n": 10, "k": 2}, 0, {"t_c": 14}, 0.01)
...     st.get("parity-sgd", {"k": 2, "n": 10}, 0)
{'t_c': 14}
"""

from __future__ import annotations

import csv
import hashlib
import json
import sqlite3
import sys
import time
from collections.abc import Iterator, Mapping
from typing import Any

__all__ = ["ResultStore", "task_key", "featurecheck_version", "SCHEMA", "RESULTS_VERSION", "EXPORT_FORMATS"]

#: Layout of the tables.
SCHEMA = 1
#: Bumped whenever a stored result would change (random streams, training rules).
RESULTS_VERSION = 1
EXPORT_FORMATS = ("csv", "json", "parquet")


def featurecheck_version() -> str:
    """Return the installed featurecheck version (``0+unknown`` in an uninstalled tree)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("featurecheck")
    except PackageNotFoundError:  # pragma: no cover - source checkout without install
        return "0+unknown"


def task_key(kind: str, settings: Mapping[str, Any], seed: int) -> str:
    """SHA-256 of the canonical JSON of ``(kind, settings, seed)`` (key order does not matter)."""
    text = json.dumps({"kind": kind, "settings": settings, "seed": int(seed)}, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


class ResultStore:
    """The SQLite store at ``path`` (created if missing).

    Parameters
    ----------
    path : str
        File name of the store.

    Raises
    ------
    ValueError
        If the file is not a featurecheck store, or was written with another schema or results version.
    """

    def __init__(self, path: str) -> None:
        self.path = str(path)
        try:
            self._db = sqlite3.connect(self.path, timeout=60)
            with self._db:  # one transaction: concurrent openers of a new store never race
                self._db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
                self._db.execute("CREATE TABLE IF NOT EXISTS runs (key TEXT PRIMARY KEY, kind TEXT NOT NULL, "
                                 "settings TEXT NOT NULL, seed INTEGER NOT NULL, result TEXT NOT NULL, seconds REAL, "
                                 "version TEXT, finished REAL)")
                self._db.executemany("INSERT OR IGNORE INTO meta VALUES (?, ?)", [
                    ("schema", str(SCHEMA)), ("results", str(RESULTS_VERSION)), ("created_by", featurecheck_version())])
            meta = dict(self._db.execute("SELECT key, value FROM meta").fetchall())
        except sqlite3.DatabaseError as exc:
            raise ValueError(f"store {self.path!r} is not a featurecheck results store (SQLite: {exc})") from None
        if meta.get("schema") != str(SCHEMA) or meta.get("results") != str(RESULTS_VERSION):
            self._db.close()
            raise ValueError(
                f"store {self.path!r} has schema {meta.get('schema')} and results version {meta.get('results')} "
                f"(written by featurecheck {meta.get('created_by')}); this featurecheck reads schema {SCHEMA}, "
                f"results version {RESULTS_VERSION}: use a new --store file")

    def __enter__(self) -> ResultStore:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def close(self) -> None:
        """Close the SQLite connection."""
        self._db.close()

    def get(self, kind: str, settings: Mapping[str, Any], seed: int) -> dict[str, Any] | None:
        """Return the stored result of one run, or None."""
        row = self._db.execute("SELECT result FROM runs WHERE key = ?", (task_key(kind, settings, seed),)).fetchone()
        return None if row is None else json.loads(row[0])

    def put(self, kind: str, settings: Mapping[str, Any], seed: int, result: Mapping[str, Any],
            seconds: float | None = None) -> None:
        """Store one finished run (its own transaction; an existing run with the same key is kept)."""
        with self._db:
            self._db.execute(
                "INSERT OR IGNORE INTO runs VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (task_key(kind, settings, seed), kind, json.dumps(dict(settings), sort_keys=True), int(seed),
                 json.dumps(dict(result), sort_keys=True), seconds, featurecheck_version(), time.time()))

    def rows(self, kind: str | None = None) -> Iterator[dict[str, Any]]:
        """Every stored run (``kind``, ``settings``, ``seed``, ``result``, ``seconds``, ``version``), in insertion order."""
        q = "SELECT kind, settings, seed, result, seconds, version FROM runs"
        args: tuple[Any, ...] = ()
        if kind is not None:
            q += " WHERE kind = ?"
            args = (kind,)
        for k, s, seed, r, sec, ver in self._db.execute(q + " ORDER BY rowid", args):
            yield {"kind": k, "settings": json.loads(s), "seed": seed, "result": json.loads(r), "seconds": sec,
                   "version": ver}

    def summary(self) -> list[tuple[str, int]]:
        """``(kind, number of runs)`` per kind."""
        return [(str(k), int(c)) for k, c in self._db.execute("SELECT kind, COUNT(*) FROM runs GROUP BY kind ORDER BY kind")]

    def export(self, fmt: str, out: Any = None, kind: str | None = None) -> None:
        """Write every run (of ``kind``, or all) as ``csv``, ``json`` or ``parquet`` to ``out``.

        For ``csv`` and ``json``, ``out`` is a text stream (stdout by default); for ``parquet`` it is a file
        name (needs pandas and pyarrow).
        """
        if fmt not in EXPORT_FORMATS:
            raise ValueError(f"format must be one of {list(EXPORT_FORMATS)}, got {fmt!r}")
        flat = [{"kind": r["kind"], "seed": r["seed"], "seconds": r["seconds"], "version": r["version"],
                 **{f"settings.{a}": _cell(b) for a, b in r["settings"].items()},
                 **{f"result.{a}": _cell(b) for a, b in r["result"].items()}} for r in self.rows(kind)]
        if fmt == "parquet":
            if not isinstance(out, str):
                raise ValueError("parquet export needs an output file name (--output FILE)")
            try:
                import pandas as pd
            except ImportError:
                raise ValueError("parquet export needs pandas and pyarrow: pip install pandas pyarrow") from None
            pd.DataFrame(flat).to_parquet(out)
            return
        stream = sys.stdout if out is None else out
        if fmt == "json":
            json.dump(list(self.rows(kind)), stream, indent=1)
            stream.write("\n")
            return
        cols: list[str] = []
        for row in flat:
            cols.extend(c for c in row if c not in cols)
        w = csv.DictWriter(stream, fieldnames=cols)
        w.writeheader()
        w.writerows(flat)


def _cell(v: Any) -> Any:
    return json.dumps(v) if isinstance(v, (list, dict)) else v
