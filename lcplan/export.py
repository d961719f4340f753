"""Exports for people outside Python: Parquet, SQLite, DuckDB, Excel and JSON.

``export(fmt, out)`` writes every table of the data package with its types. SQLite and
DuckDB declare primary and foreign keys; the workbook has one sheet per table and a README
sheet, with text written as text, so a cell such as ``=1+1`` is never run as a formula.
``read_export(fmt, out)`` reads an export back into typed DataFrames (for round-trip tests
and for users). The Frictionless package stays the canonical form.

Parquet needs pyarrow, DuckDB duckdb, Excel openpyxl (the ``export`` extra); SQLite and JSON
need only the standard library and pandas.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from lcplan._version import __version__
from lcplan.loaders import PackageLike, descriptor, load, table, tables, typed

__all__ = ["FORMATS", "export", "read_export"]

FORMATS = ("parquet", "sqlite", "duckdb", "xlsx", "json")
SQL_TYPES = {"string": "TEXT", "integer": "INTEGER", "number": "DOUBLE", "boolean": "BOOLEAN", "date": "DATE"}
FORMULA_START = ("=", "+", "-", "@")


def _frames(package: PackageLike = None) -> dict[str, pd.DataFrame]:
    return {name: load(name, package) for name in tables(package)}


def _name(package: PackageLike = None) -> str:
    """The package's name (its descriptor's ``name``): what the single-file exports are called."""
    return descriptor(package)["name"]


def _ddl(name: str, dialect: str, package: PackageLike = None) -> str:
    s = table(name, package)
    cols = []
    for f in s.fields:
        t = SQL_TYPES[f.type]
        if dialect == "sqlite" and t in ("DOUBLE", "BOOLEAN", "DATE"):
            t = {"DOUBLE": "REAL", "BOOLEAN": "INTEGER", "DATE": "TEXT"}[t]
        null = " NOT NULL" if f.required else ""
        cols.append(f'"{f.name}" {t}{null}')
    if s.primary_key:
        cols.append("PRIMARY KEY (" + ", ".join(f'"{c}"' for c in s.primary_key) + ")")
    for fk in s.foreign_keys:
        cols.append(f'FOREIGN KEY ({", ".join(chr(34) + c + chr(34) for c in fk.fields)}) REFERENCES "{fk.resource}" '
                    f'({", ".join(chr(34) + c + chr(34) for c in fk.reference)})')
    return f'CREATE TABLE "{name}" (\n  ' + ",\n  ".join(cols) + "\n)"


def _self_parent(name: str) -> tuple[str, str] | None:
    for fk in table(name).foreign_keys:
        if fk.resource == name:
            return fk.fields[0], fk.reference[0]
    return None


def _insert_order(name: str, frame: pd.DataFrame) -> list[pd.DataFrame]:
    """Rows in batches so that a row's parent (self foreign key) is inserted before it."""
    link = _self_parent(name)
    if link is None:
        return [frame]
    child, parent = link
    depth = pd.Series(0, index=frame.index)
    parent_of = dict(zip(frame[parent], frame[child]))
    for i, key in zip(frame.index, frame[parent]):
        d, p = 0, parent_of.get(key)
        while isinstance(p, str) and d < len(frame):
            d, p = d + 1, parent_of.get(p)
        depth[i] = d
    return [frame[depth == d] for d in sorted(depth.unique())]


def _plain(value: Any) -> Any:
    """A cell as a plain Python value: None for missing, ISO text for dates, int/float/bool/str."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def _sql_rows(frame: pd.DataFrame) -> list[tuple[Any, ...]]:
    columns = [frame[c].astype(object).tolist() for c in frame.columns]
    return [tuple(_plain(v) for v in row) for row in zip(*columns)]


def _export_sql(path: Path, dialect: str, frames: dict[str, pd.DataFrame], package: PackageLike = None) -> None:
    if dialect == "sqlite":
        import sqlite3

        con = sqlite3.connect(path)
        con.execute("PRAGMA foreign_keys = ON")
        con.execute("PRAGMA defer_foreign_keys = ON")  # checked at commit: rows keep the package's order
        con.execute("BEGIN")
    else:
        import duckdb

        con = duckdb.connect(str(path))
    try:
        for name in frames:
            con.execute(_ddl(name, dialect, package))
            marks = ", ".join("?" for _ in frames[name].columns)
            batches = [frames[name]] if dialect == "sqlite" else _insert_order(name, frames[name])
            for batch in batches:
                con.executemany(f'INSERT INTO "{name}" VALUES ({marks})', _sql_rows(batch))
        if dialect == "sqlite":
            con.commit()
    finally:
        con.close()


def _export_xlsx(path: Path, frames: dict[str, pd.DataFrame], package: PackageLike = None) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    readme = wb.active
    readme.title = "README"
    readme.append([f"{descriptor(package)['title']} (lcplan {__version__})"])
    readme.append(["One sheet per table; the Frictionless data package is the canonical form. "
                   "Plan texts © their publishers."])
    readme.append([])
    readme.append(["table", "field", "type", "description"])
    for name in frames:
        for f in table(name, package).fields:
            readme.append([name, f.name, f.type, f.description])
    readme["A1"].font = Font(bold=True)
    for name in frames:
        ws = wb.create_sheet(name[:31])
        frame = frames[name]
        ws.append(list(frame.columns))
        for row in _sql_rows(frame):
            ws.append(list(row))
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # text, never a formula, whatever it starts with
        for cell in ws[1]:
            cell.font = Font(bold=True)
        ws.freeze_panes = "A2"
    wb.save(path)


def export(fmt: str, out: Path, package: PackageLike = None) -> list[Path]:
    """Write every table of ``package`` (default: the shipped one) in ``fmt`` under ``out``; a
    single-file format is named after the package (``<name>.sqlite``). Returns the files written."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    out.mkdir(parents=True, exist_ok=True)
    frames = _frames(package)
    name = _name(package)
    written: list[Path] = []
    if fmt == "parquet":
        for name, frame in frames.items():
            path = out / f"{name}.parquet"
            frame.to_parquet(path, index=False)
            written.append(path)
    elif fmt in ("sqlite", "duckdb"):
        path = out / f"{name}.{fmt}"
        path.unlink(missing_ok=True)
        _export_sql(path, fmt, frames, package)
        written.append(path)
    elif fmt == "xlsx":
        path = out / f"{name}.xlsx"
        _export_xlsx(path, frames, package)
        written.append(path)
    else:
        for name, frame in frames.items():
            path = out / f"{name}.json"
            path.write_text(json.dumps(_sql_rows_dicts(frame), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
            written.append(path)
    return written


def _sql_rows_dicts(frame: pd.DataFrame) -> list[dict[str, Any]]:
    cols = list(frame.columns)
    return [dict(zip(cols, r)) for r in _sql_rows(frame)]


def _as_strings(frame: pd.DataFrame, name: str, package: PackageLike = None) -> pd.DataFrame:
    """Back to the CSV form (text, missing as NA) so that ``typed`` gives the loader's types."""
    out = pd.DataFrame(index=frame.index)
    for f in table(name, package).fields:
        col = frame[f.name]
        kind = f.type
        if kind == "date":
            col = pd.to_datetime(col).dt.strftime("%Y-%m-%d")
        elif kind == "boolean":
            col = col.map(lambda v: None if v is None or pd.isna(v) else ("true" if bool(v) else "false"))
        elif kind == "integer":
            col = col.map(lambda v: None if v is None or pd.isna(v) else str(int(v)))
        elif kind == "number":
            col = col.map(lambda v: None if v is None or pd.isna(v) else repr(float(v)))
        out[f.name] = pd.array(col.astype(object).where(col.notna(), None), dtype="string")
    return out


def read_export(fmt: str, out: Path, name: str | None = None, package: PackageLike = None) -> dict[str, pd.DataFrame]:
    """Read an export of ``package`` (default: the shipped one) back, every table typed as
    ``lcplan.load`` types it; ``name``: the package's name, for the single-file formats
    (default: ``package``'s)."""
    name = name or _name(package)
    names = tables(package)
    raw: dict[str, pd.DataFrame] = {}
    if fmt == "parquet":
        raw = {n: pd.read_parquet(out / f"{n}.parquet") for n in names}
    elif fmt == "sqlite":
        import sqlite3

        with sqlite3.connect(out / f"{name}.sqlite") as con:
            raw = {n: pd.read_sql_query(f'SELECT * FROM "{n}"', con) for n in names}
    elif fmt == "duckdb":
        import duckdb

        con = duckdb.connect(str(out / f"{name}.duckdb"), read_only=True)
        raw = {n: con.execute(f'SELECT * FROM "{n}"').df() for n in names}
        con.close()
    elif fmt == "xlsx":
        raw = pd.read_excel(out / f"{name}.xlsx", sheet_name=None, dtype=object)
        raw = {n: raw[n[:31]] for n in names}
    elif fmt == "json":
        raw = {n: pd.DataFrame(json.loads((out / f"{n}.json").read_text(encoding="utf-8")),
                               columns=table(n, package).field_names) for n in names}
    return {n: typed(_as_strings(frame, n, package), table(n, package), n) for n, frame in raw.items()}
