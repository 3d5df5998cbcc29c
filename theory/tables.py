r"""Bound tables regenerated from the catalogue in :mod:`featurecheck.theory.bounds`, as md, LaTeX, CSV or JSON.

:func:`build` evaluates every bound of a problem on the Cartesian product of a parameter grid;
:func:`render` turns the result into text. The JSON form is a list of rows with exactly the keys
``method, quantity, kind, formula, params, value, float, log10, status, source`` (one row per bound
and grid point); ``formula`` is LaTeX, ``value`` is the exact value as a string (``"190"``,
``"189/4"``) when it is rational and short, otherwise null; ``float`` is the value as a float with 10
significant digits when it lies in float range, otherwise null; ``log10`` is a float rounded to 10
decimals (null when the value is not positive or the bound does not apply). CSV has the same columns. LaTeX output uses booktabs rules (``\toprule``, ``\midrule``,
``\bottomrule``). Hidden constants written as symbols are set to 1; formulas that hold only up to
constants (and logs) are marked with a dagger and say so in the notes.

Examples
--------
>>> t = build("parity", {"n": [20], "k": [2]})
>>> rows = records(t)
>>> sorted(rows[0])
['float', 'formula', 'kind', 'log10', 'method', 'params', 'quantity', 'source', 'status', 'value']
>>> [r["value"] for r in rows if r["quantity"] == "sq-dimension"]
['190']
>>> print(render(build("single-index", {"d": [100], "kstar": [2], "p": [2]}), "csv").splitlines()[0])
method,quantity,kind,status,d,kstar,p,value,float,log10,formula,source
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from featurecheck.theory._validate import check_int, check_real
from featurecheck.theory.bounds import PROBLEMS, Bound, BoundValue, Problem
from featurecheck.theory.formats import FORMATS

__all__ = ["BoundTable", "TableRow", "build", "render", "records", "FORMATS", "GRID_LIMITS", "MAX_POINTS"]

MAX_POINTS = 256
GRID_LIMITS: dict[str, tuple[int, int]] = {
    "n": (1, 10**9),
    "k": (1, 10**9),
    "d": (1, 10**9),
    "kstar": (1, 1000),
    "p": (1, 1000),
    "r": (1, 10**9),
    "leap": (1, 1000),
}
# auxiliary parameters: (low, high, open_low, open_high)
AUX_LIMITS: dict[str, tuple[Fraction, Fraction]] = {
    "delta": (Fraction(0), Fraction(1)),
    "eps": (Fraction(0), Fraction(1)),
    "tau": (Fraction(0), Fraction(1)),
}
_HIDDEN_MARK = {"up to constants": "\u2021", "up to constants and logs": "\u2020"}
_HIDDEN_TEX = {"up to constants": r"\textsuperscript{\ddag}", "up to constants and logs": r"\textsuperscript{\dag}"}


@dataclass(frozen=True)
class TableRow:
    """One bound at one grid point."""

    bound: Bound
    params: dict[str, Any]
    value: BoundValue


@dataclass(frozen=True)
class BoundTable:
    """Every bound of ``problem`` at every point of the grid (bound-major order)."""

    problem: Problem
    points: tuple[dict[str, int], ...]
    aux: dict[str, Any]
    rows: tuple[TableRow, ...]


def _validate_aux(problem: Problem, aux: Mapping[str, Any] | None) -> dict[str, Any]:
    out: dict[str, Any] = dict(problem.aux)
    for name, val in (aux or {}).items():
        if name not in problem.aux:
            raise ValueError(f"problem {problem.name} has no auxiliary parameter {name!r}; "
                             f"its auxiliary parameters are {sorted(problem.aux) or 'none'}")
        if name in AUX_LIMITS:
            lo, hi = AUX_LIMITS[name]
            v = check_real(name, val, float(lo), float(hi), exact=True)
            if v <= lo or v >= hi:
                raise ValueError(f"{name} must be a real number in the open interval ({lo}, {hi}), got {val!r}")
            out[name] = v
        else:
            lo_i, hi_i = GRID_LIMITS[name]
            out[name] = check_int(name, val, lo_i, hi_i)
    return out


def build(problem: str, grid: Mapping[str, Sequence[Any]], aux: Mapping[str, Any] | None = None) -> BoundTable:
    """Evaluate every bound of ``problem`` on the product of ``grid``.

    Parameters
    ----------
    problem : {"parity", "single-index", "multi-index"}
    grid : dict
        One list of integer values per grid parameter of the problem (``n, k``; ``d, kstar, p``;
        ``d, r, p``). The product has at most ``MAX_POINTS`` points.
    aux : dict, optional
        Auxiliary parameters (parity: ``delta, eps, tau`` in (0, 1), default 1/10 each;
        multi-index: ``leap`` in [1, p], default 1).

    Returns
    -------
    BoundTable

    Raises
    ------
    ValueError
        Naming the parameter, the value and the allowed range, before anything is evaluated.

    Examples
    --------
    >>> t = build("multi-index", {"d": [100], "r": [2], "p": [3]})
    >>> [(r.bound.id, r.value.exact) for r in t.rows][:2]
    [('multi-index.information_theoretic', 200), ('multi-index.kernel', 1000000)]
    """
    if problem not in PROBLEMS:
        raise ValueError(f"problem must be one of {list(PROBLEMS)}, got {problem!r}")
    pr = PROBLEMS[problem]
    unknown = sorted(set(grid) - set(pr.grid))
    if unknown:
        raise ValueError(f"problem {problem} has no grid parameter {unknown[0]!r}; its grid parameters are {list(pr.grid)}")
    values: dict[str, list[int]] = {}
    for name in pr.grid:
        if name not in grid:
            raise ValueError(f"problem {problem} needs a list of values for {name!r}")
        raw = list(grid[name])
        if not raw:
            raise ValueError(f"{name} needs at least one value, got an empty list")
        lo, hi = GRID_LIMITS[name]
        vals = [check_int(name, v, lo, hi) for v in raw]
        values[name] = list(dict.fromkeys(vals))
    n_points = math.prod(len(v) for v in values.values())
    if n_points > MAX_POINTS:
        raise ValueError(f"grid has {n_points} points; at most {MAX_POINTS} are allowed")
    aux_v = _validate_aux(pr, aux)
    points = tuple(dict(zip(pr.grid, combo, strict=True)) for combo in itertools.product(*(values[g] for g in pr.grid)))
    for pt in points:
        msg = pr.validate({**pt, **aux_v})
        if msg:
            raise ValueError(msg)
    rows = tuple(
        TableRow(b, {**pt, **aux_v}, b.evaluate(**pt, **aux_v)) for b in pr.bounds for pt in points
    )
    return BoundTable(pr, points, aux_v, rows)


# ----------------------------------------------------------------- value formatting
def _sci(log10: float) -> tuple[str, int]:
    e = math.floor(log10)
    m = f"{10 ** (log10 - e):.2f}"
    if m == "10.00":
        e, m = e + 1, "1.00"
    return m, e


def _cell(v: BoundValue, tex: bool = False) -> str:
    if not v.applicable:
        return "n/a"
    ex = v.exact
    if isinstance(ex, int) and abs(ex) < 10**7:
        return str(ex)
    if isinstance(ex, Fraction) and abs(ex.numerator) < 10**4 and ex.denominator < 10**4:
        return f"${ex.numerator}/{ex.denominator}$" if tex else f"{ex.numerator}/{ex.denominator}"
    if v.approx is not None and (v.approx == 0 or 1e-3 <= abs(v.approx) < 1e4):
        return f"{v.approx:.4g}"
    if v.log10 is not None:
        m, e = _sci(v.log10)
        return f"${m}\\times 10^{{{e}}}$" if tex else f"{m}e{e}"
    return f"{v.approx:.4g}" if v.approx is not None else "n/a"


def _json_value(v: BoundValue) -> str | None:
    if not v.applicable or v.exact is None:
        return None
    return str(v.exact)


def _json_float(v: BoundValue) -> float | None:
    return None if not v.applicable or v.approx is None else float(f"{v.approx:.10g}")


def _json_param(x: Any) -> Any:
    if isinstance(x, Fraction):
        return str(x) if x.denominator != 1 else int(x)
    return x


def _point_label(pt: Mapping[str, int], tex: bool = False) -> str:
    if tex:
        import sympy as sp

        from featurecheck.theory.bounds import symbols  # local: keep the module namespace small

        syms = symbols()
        return "$" + ", ".join(f"{sp.latex(syms[kname])}={v}" for kname, v in pt.items()) + "$"
    return ", ".join(f"{kname}={v}" for kname, v in pt.items())


def records(table: BoundTable) -> list[dict[str, Any]]:
    """Return the JSON rows (one per bound and grid point).

    Examples
    --------
    >>> r = records(build("parity", {"n": [4], "k": [4]}))
    >>> [x["value"] for x in r if x["method"].startswith("SGD on XOR")]
    [None]
    """
    out = []
    for row in table.rows:
        b, v = row.bound, row.value
        out.append({
            "method": b.method,
            "quantity": b.quantity,
            "kind": b.kind,
            "formula": b.latex(),
            "params": {kname: _json_param(x) for kname, x in row.params.items()},
            "value": _json_value(v),
            "float": _json_float(v),
            "log10": None if v.log10 is None or not v.applicable else round(v.log10, 10),
            "status": b.status,
            "source": b.source,
        })
    return out


def _aux_text(table: BoundTable) -> str:
    return ", ".join(f"{kname} = {v}" for kname, v in table.aux.items())


def _aux_tex(table: BoundTable) -> str:
    import sympy as sp

    from featurecheck.theory.bounds import symbols

    syms = symbols()
    return ", ".join(f"${sp.latex(syms[kname])} = {v}$" for kname, v in table.aux.items())


def _notes(b: Bound) -> str:
    parts = [f"source: {b.source}"]
    if b.conditions:
        parts.append("conditions: " + "; ".join(b.conditions))
    if b.hidden:
        parts.append(f"holds {b.hidden}")
    if b.constants:
        parts.append("hidden constants " + ", ".join(str(c) for c in b.constants) + " set to 1")
    if b.notes:
        parts.append(b.notes)
    if b.checked_by:
        parts.append("checked by claim " + ", ".join(b.checked_by))
    return ". ".join(parts)


def _by_bound(table: BoundTable) -> list[tuple[Bound, list[TableRow]]]:
    out: list[tuple[Bound, list[TableRow]]] = []
    for row in table.rows:
        if not out or out[-1][0] is not row.bound:
            out.append((row.bound, []))
        out[-1][1].append(row)
    return out


def _md(table: BoundTable) -> str:
    pr = table.problem
    head = ["#", "Method", "Quantity", "Kind", "Status", "Formula"] + [_point_label(pt) for pt in table.points]
    lines = [f"## Bounds: {pr.title}", ""]
    lines.append("Auxiliary parameters: " + (_aux_text(table) or "none") + ". Hidden constants written as symbols "
                 "are set to 1. \u2020 = up to constants and logs, \u2021 = up to constants. "
                 "Kind: upper = sufficient for the method, lower = necessary for its class.")
    lines += ["", "| " + " | ".join(head) + " |", "|" + "|".join(["--:", "---", "---", "---", "---", "---"]
                                                                  + ["--:"] * len(table.points)) + "|"]
    groups = _by_bound(table)
    for i, (b, rows) in enumerate(groups, 1):
        mark = _HIDDEN_MARK.get(b.hidden, "")
        formula = f"${b.latex()}$" + (f" {mark}" if mark else "")
        cells = [str(i), b.method, b.quantity, b.kind, b.status, formula] + [_cell(r.value) for r in rows]
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    lines += ["", "Notes:", ""]
    for i, (b, _) in enumerate(groups, 1):
        lines.append(f"{i}. `{b.id}`: {_notes(b)}.")
    return "\n".join(lines) + "\n"


_TEX_ESC = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
            "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}


def _tex(s: str) -> str:
    return "".join(_TEX_ESC.get(ch, ch) for ch in s)


def _latex(table: BoundTable) -> str:
    pr = table.problem
    ncol = len(table.points)
    aux = _aux_tex(table)
    lines = [
        f"% featurecheck bound table: {pr.name}",
        r"\begin{table}[ht]",
        r"\centering",
        r"\caption{" + pr.title + (f"; {aux}" if aux else "") + r". Hidden constants set to 1; "
        r"\textsuperscript{\dag} up to constants and logs, \textsuperscript{\ddag} up to constants.}",
        r"\begin{tabular}{rlllll" + "r" * ncol + "}",
        r"\toprule",
        r"\# & Method & Quantity & Kind & Status & Formula & "
        + " & ".join(_point_label(pt, tex=True) for pt in table.points) + r" \\",
        r"\midrule",
    ]
    groups = _by_bound(table)
    for i, (b, rows) in enumerate(groups, 1):
        formula = f"${b.latex()}$" + _HIDDEN_TEX.get(b.hidden, "")
        cells = [str(i), _tex(b.method), _tex(b.quantity), b.kind, b.status, formula] + [
            _cell(r.value, tex=True) for r in rows]
        lines.append(" & ".join(cells) + r" \\")
    lines += [r"\bottomrule", r"\end{tabular}", "", r"\par\smallskip\footnotesize", r"\begin{enumerate}"]
    for b, _ in groups:
        lines.append(r"\item \texttt{" + _tex(b.id) + "}: " + _tex(_notes(b)) + ".")
    lines += [r"\end{enumerate}", r"\end{table}"]
    return "\n".join(lines) + "\n"


def _csv(table: BoundTable) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    grid = list(table.problem.grid)
    aux = list(table.aux)
    w.writerow(["method", "quantity", "kind", "status", *grid, *aux, "value", "float", "log10", "formula", "source"])
    for rec in records(table):
        val = rec["value"]
        w.writerow([rec["method"], rec["quantity"], rec["kind"], rec["status"],
                    *[rec["params"][g] for g in grid], *[rec["params"][a] for a in aux],
                    "" if val is None else val, "" if rec["float"] is None else repr(rec["float"]),
                    "" if rec["log10"] is None else repr(rec["log10"]),
                    rec["formula"], rec["source"]])
    return buf.getvalue()


def render(table: BoundTable, fmt: str = "md") -> str:
    r"""Render ``table`` as ``md``, ``latex`` (booktabs), ``csv`` or ``json``.

    Examples
    --------
    >>> tex = render(build("multi-index", {"d": [100], "r": [2], "p": [3]}), "latex")
    >>> all(rule in tex for rule in (r"\toprule", r"\midrule", r"\bottomrule"))
    True
    """
    if fmt == "md":
        return _md(table)
    if fmt == "latex":
        return _latex(table)
    if fmt == "csv":
        return _csv(table)
    if fmt == "json":
        return json.dumps(records(table), indent=2, ensure_ascii=False) + "\n"
    raise ValueError(f"format must be one of {list(FORMATS)}, got {fmt!r}")
