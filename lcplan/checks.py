"""Pandera schemas derived from the Table Schemas, plus the checks Table Schema cannot say.

``schemas/*.schema.json`` stay the single source of truth: pandera's frictionless
bridge gives types, required, unique, enum, pattern and length; this module fixes what
the bridge misses (dates really dates, nullable integers, strict and coerce) and adds
dataframe checks:

- every table: foreign keys (when the referenced tables are given);
- sections: a parent in the same document, one level up; heading lines in order;
- items: a parent in the same document; labels in order within a section;
  ``line_start <= line_end``; lines inside the source file and the text verbatim
  at its lines (when the source texts are given).

``check_package`` runs them all on a folder and returns the problems flattened, one
row each: table, row (the CSV line, header = 1), field, check, value, message.
Imports pandera (the ``validate`` extra).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd
import pandera.pandas as pa
from pandera.engines import pandas_engine
from pandera.io.pandas_io import from_frictionless_schema

from lcplan.registry import table_schema
from lcplan.text import statement_occurs

__all__ = ["pandera_schema", "check_package", "Problem", "PROBLEM_COLUMNS"]

PROBLEM_COLUMNS = ["table", "row", "field", "check", "value", "message"]
Problem = dict[str, Any]
ISO_DATE = pandas_engine.DateTime(to_datetime_kwargs={"format": "%Y-%m-%d"})


_CHECK_NAMES: dict[str, str] = {}  # "field: message" -> short check name


def _check(fn: Any, name: str, error: str) -> pa.Check:
    """A dataframe-level check; ``error`` is "field: message", so a report can name the field."""
    _CHECK_NAMES[error] = name
    return pa.Check(fn, name=name, error=error)


def _base_schema(schema: dict[str, Any]) -> pa.DataFrameSchema:
    """The bridge's schema, corrected where it falls short (see shared notes on the bridge)."""
    derived = from_frictionless_schema(schema)
    updates: dict[str, dict[str, Any]] = {}
    for field in schema["fields"]:
        required = field.get("constraints", {}).get("required", False)
        if field["type"] == "integer":
            updates[field["name"]] = {"dtype": "Int64", "nullable": not required}
        elif field["type"] == "date":
            updates[field["name"]] = {"dtype": ISO_DATE, "nullable": not required}
    return derived.update_columns(updates)


def _fk_check(fk: dict[str, Any], table: str, related: Mapping[str, pd.DataFrame]) -> pa.Check | None:
    target_table = fk["reference"].get("resource") or table
    if target_table not in related:
        return None
    (col,), (target_col,) = fk["fields"], fk["reference"]["fields"]

    def known(df: pd.DataFrame) -> pd.Series:
        target = df if target_table == table else related[target_table]
        return df[col].isna() | df[col].isin(set(target[target_col].dropna()))

    return _check(known, "foreign_key",
                    error=f"{col}: must name a {target_col} of {target_table}")


def _same_document_parent(id_col: str, parent_col: str) -> pa.Check:
    def same(df: pd.DataFrame) -> pd.Series:
        doc_of = dict(zip(df[id_col], df["document_id"]))
        parent_doc = df[parent_col].map(doc_of)
        return df[parent_col].isna() | (parent_doc == df["document_id"]).fillna(True)

    return _check(same, "same_document", f"{parent_col}: must be in the same document")


def _extra_checks(name: str) -> list[pa.Check]:
    checks: list[pa.Check] = []
    if name == "documents":
        checks.append(_check(lambda df: df["period_start"] < df["period_end"], "period_in_order",
                               error="period_end: must come after period_start"))
    if name in ("sections", "items"):
        checks.append(_check(lambda df: df["line_start"].isna() | (df["line_start"] <= df["line_end"]),
                               "lines_in_order", "line_end: must not come before line_start"))
    if name == "sections":
        checks.append(_same_document_parent("section_id", "parent_section_id"))

        def one_level_down(df: pd.DataFrame) -> pd.Series:
            level_of = dict(zip(df["section_id"], df["level"]))
            parent_level = df["parent_section_id"].map(level_of)
            top = df["parent_section_id"].isna() & (df["level"] == 1)
            return top | (parent_level.astype("Int64") + 1 == df["level"]).fillna(False)

        checks.append(_check(one_level_down, "level_follows_parent",
                               error="level: must be 1 for a top-level section, else its parent's level + 1"))
    if name == "items":
        checks.append(_same_document_parent("item_id", "parent_item_id"))

        def labels_in_order(df: pd.DataFrame) -> pd.Series:
            numbered = df[df["label"].notna()].sort_values(["document_id", "position"])
            num = pd.to_numeric(numbered["label"], errors="coerce")
            prev = num.groupby([numbered["section_id"], numbered["kind"]], observed=True).shift()
            ok = prev.isna() | (num > prev)
            return ok.reindex(df.index, fill_value=True)

        checks.append(_check(labels_in_order, "labels_in_order",
                               error="label: printed numbers must rise with position within a section"))

        def positions_unique(df: pd.DataFrame) -> pd.Series:
            return ~df.duplicated(["document_id", "position"], keep=False)

        checks.append(_check(positions_unique, "position_unique_in_document",
                               error="position: two items of one document share a position"))
    return checks


def pandera_schema(name: str, related: Mapping[str, pd.DataFrame] | None = None,
                   sources: Mapping[str, list[str]] | None = None) -> pa.DataFrameSchema:
    """The pandera schema of a table, derived from ``schemas/<name>.schema.json``.

    ``related`` (table name -> frame) turns on foreign-key checks against those frames;
    ``sources`` (document_id -> source lines) turns on the line-range and verbatim checks
    of items.
    """
    ts = table_schema(name)
    checks = _extra_checks(name)
    for fk in ts.get("foreignKeys", []):
        check = _fk_check(fk, name, related or {name: pd.DataFrame()})
        if check is not None:
            checks.append(check)
    if name == "items" and sources is not None:
        checks += _source_checks(sources)
    base = _base_schema(ts)
    return pa.DataFrameSchema(
        columns=base.columns, checks=[*base.checks, *checks], unique=base.unique,
        strict=True, coerce=True, name=name, title=ts.get("title"), description=ts.get("description"),
    )


def _source_checks(sources: Mapping[str, list[str]]) -> list[pa.Check]:
    def inside(df: pd.DataFrame) -> pd.Series:
        n_lines = df["document_id"].map({k: len(v) for k, v in sources.items()})
        return n_lines.isna() | (df["line_end"] <= n_lines).fillna(False)

    def verbatim(df: pd.DataFrame) -> pd.Series:
        ok = []
        for doc, title, text, a, b in zip(df["document_id"], df["title"], df["text"],
                                          df["line_start"], df["line_end"]):
            lines = sources.get(doc)
            if lines is None or pd.isna(a) or pd.isna(b) or pd.isna(text) or b > len(lines):
                ok.append(True)  # no source, or reported by another check
            else:
                ok.append(statement_occurs(None if pd.isna(title) else title, text, lines[int(a) - 1:int(b)]))
        return pd.Series(ok, index=df.index)

    return [
        _check(inside, "lines_inside_source", "line_end: past the end of the source file"),
        _check(verbatim, "text_verbatim_at_lines",
                 error="text: not found verbatim (with title, if any) at line_start..line_end of the source"),
    ]


def flatten(failure_cases: pd.DataFrame, table: str) -> list[Problem]:
    """Pandera's failure cases as one problem per (row, field, check); rows as CSV lines."""
    problems: dict[tuple[Any, ...], Problem] = {}
    for case in failure_cases.itertuples(index=False):
        check = str(case.check)
        row = None if pd.isna(case.index) else int(case.index) + 2
        if case.schema_context == "DataFrameSchema" and ": " in check:
            field, message = check.split(": ", 1)
            if case.column != field:
                continue  # a dataframe check reports every column; keep the one it is about
            name = _CHECK_NAMES.get(check, "check")
        else:
            field, name = case.column, check
            if row is None:
                continue  # follows from a failed coercion reported on its rows
            message = _message(check)
            name = _check_type(check)
        key = (row, field, "type" if name in ("coerce_dtype", "dtype") else name)
        problems.setdefault(key, {
            "table": table, "row": row, "field": field, "check": name,
            "value": None if pd.isna(case.failure_case) else str(case.failure_case), "message": message,
        })
    return sorted(problems.values(), key=lambda p: (p["row"] or 0, str(p["field"])))


def _check_type(check: str) -> str:
    """A short, stable name for a check: 'coerce_dtype', 'isin', 'str_matches', 'foreign_key', ..."""
    head = re.split(r"[(:]", check, maxsplit=1)[0].strip()
    return {"field_uniqueness": "unique", "not_nullable": "required"}.get(head, head.replace(" ", "_"))


def _message(check: str) -> str:
    head = _check_type(check)
    return {
        "coerce_dtype": "cannot be read as the field's type",
        "dtype": "has the wrong type",
        "isin": "is not one of the allowed values",
        "str_matches": "does not match the field's pattern",
        "unique": "is not unique",
        "required": "is required but empty",
        "str_length": "has the wrong length",
        "greater_than_or_equal_to": "is below the minimum",
        "less_than_or_equal_to": "is above the maximum",
    }.get(head, check)


def read_table(path: Path) -> pd.DataFrame:
    """A CSV table as strings, empty cells missing: what the pandera schemas coerce from."""
    return pd.read_csv(path, dtype="string", keep_default_na=False, na_values=[""], encoding="utf-8")


def read_sources(folder: Path, documents: pd.DataFrame) -> dict[str, list[str]]:
    """Source lines by document, for files that exist inside ``folder`` (never outside it)."""
    from lcplan.text import source_lines

    root = folder.resolve()
    found = {}
    for doc, rel in zip(documents["document_id"], documents["source_path"]):
        if pd.isna(doc) or pd.isna(rel):
            continue
        path = (folder / rel).resolve()
        if path.is_relative_to(root) and path.is_file():
            found[doc] = source_lines(path.read_bytes())
    return found


def check_package(folder: Path, tables: list[str] | None = None) -> list[Problem]:
    """Run every pandera schema on the package in ``folder``; the problems, flattened."""
    from lcplan.registry import table_names

    names = tables or [n for n in table_names() if (folder / "data" / f"{n}.csv").is_file()]
    frames = {n: read_table(folder / "data" / f"{n}.csv") for n in names}
    sources = read_sources(folder, frames["documents"]) if "documents" in frames else {}
    problems: list[Problem] = []
    for name, frame in frames.items():
        try:
            pandera_schema(name, frames, sources).validate(frame, lazy=True)
        except pa.errors.SchemaErrors as exc:
            problems += flatten(exc.failure_cases, name)
    return problems
