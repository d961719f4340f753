"""The declared schemas: every table's fields as a pandera schema derived from ``schemas/``
(type, required, unique, enum, pattern matched by the whole value, length, range; dates really
dates, integers nullable), for people who check frames with pandera. :func:`flatten` turns
pandera's failure cases into one problem per (row, field, check), rows as CSV lines (header = 1).

``lcplan validate`` runs the same Table Schemas compiled to Arrow kernels
(:mod:`lcplan.validate.columns`, which also checks the lexical forms pandera does not see);
a test holds the two to the same cells. What neither can express runs as rules
(:mod:`lcplan.validate.integrity`, :mod:`lcplan.validate.rules`).
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd
import pandera.pandas as pa
from pandera.engines import pandas_engine

from lcplan.registry import boolean_values, schema
from lcplan.tableschema import Field, csv_row
from lcplan.validate.columns import key_message
from lcplan.validate.problems import CHECKS

__all__ = ["pandera_schema", "flatten"]

ISO_DATE = pandas_engine.DateTime(to_datetime_kwargs={"format": "%Y-%m-%d"})


def _field_dtype(field: Field) -> Any:
    return {
        "integer": "Int64", "number": "Float64", "boolean": "boolean", "date": ISO_DATE,
    }.get(field.type, pd.StringDtype())


def _boolean_parser(field: Field) -> Any:
    """Table Schema booleans: trueValues and falseValues (defaults true/True/TRUE/1, false/...).

    Other text is left as it is, so that coercion reports it at its row.
    """
    true, false = boolean_values(field)

    def parse(series: pd.Series) -> pd.Series:
        if pd.api.types.is_bool_dtype(series.dtype):
            return series
        values = series.astype("object")
        mapped = values.map(lambda v: True if v in true else False if v in false else v)
        return mapped.where(series.notna(), pd.NA)

    return parse


def _base_schema(ts: Any) -> pa.DataFrameSchema:
    """A Table Schema as pandera columns: type, required, unique, enum, pattern, length, range.

    pandera's own bridge (``pandera.io.pandas_io.from_frictionless_schema``) does the same
    but validates the descriptor through frictionless and jsonschema first, which costs
    seconds of imports on every run; it also leaves dates as text, integers non-nullable and
    unanchored patterns. Table Schema patterns match the whole value, so they are anchored here.
    """
    columns = {}
    for field in ts.fields:
        c = field.constraints
        checks = []
        if "enum" in c:
            checks.append(pa.Check.isin(c["enum"]))
        if "pattern" in c:
            # Table Schema patterns match the whole value: \Z, as $ also matches before a final newline
            checks.append(pa.Check.str_matches(f"^(?:{c['pattern']})\\Z"))
        if "minLength" in c or "maxLength" in c:
            checks.append(pa.Check.str_length(c.get("minLength"), c.get("maxLength")))
        if "minimum" in c:
            checks.append(pa.Check.ge(c["minimum"]))
        if "maximum" in c:
            checks.append(pa.Check.le(c["maximum"]))
        parsers = [pa.Parser(_boolean_parser(field))] if field.type == "boolean" else None
        columns[field.name] = pa.Column(
            _field_dtype(field), checks=checks, parsers=parsers, nullable=not field.required,
            unique=field.unique, coerce=False, title=field.title or None, description=field.description or None)
    pk = list(ts.primary_key)
    if len(pk) == 1:
        columns[pk[0]].unique = True
    return pa.DataFrameSchema(columns, unique=pk if len(pk) > 1 else None, strict=True, coerce=True)


def pandera_schema(name: str) -> pa.DataFrameSchema:
    """The pandera schema of a table (its columns' types and constraints), derived from
    ``schemas/<name>.schema.json``."""
    ts = schema(name)
    base = _base_schema(ts)
    return pa.DataFrameSchema(columns=base.columns, unique=base.unique, strict=True, coerce=True, name=name,
                              title=ts.title or None, description=ts.description or None)


def flatten(failure_cases: pd.DataFrame, table: str) -> list[dict[str, Any]]:
    """Pandera's failure cases as one problem per (row, field, check); rows as CSV lines."""
    problems: dict[tuple[Any, ...], dict[str, Any]] = {}
    for case in failure_cases.itertuples(index=False):
        row = None if pd.isna(case.index) else csv_row(case.index)
        if row is None:
            continue  # follows from a failed coercion reported on its rows
        field, name = case.column, _check_type(str(case.check))
        message = CHECKS[name].message if name in CHECKS else str(case.check)
        if name == "multiple_fields_uniqueness":  # the primary key's fields together: one problem a row
            pk = list(schema(table).primary_key)
            if field != pk[0]:
                continue
            name, message = "unique", key_message(pk)
        if name == "isin":
            allowed = _enum(table, field)
            shown = ", ".join(allowed[:30]) + (f", ... ({len(allowed)} in all)" if len(allowed) > 30 else "")
            message = f"is not one of the allowed values: {shown}"
        key = (row, field, "type" if name in ("coerce_dtype", "dtype") else name)
        problems.setdefault(key, {
            "table": table, "row": row, "field": field, "check": name if name in CHECKS else "dtype",
            "value": None if pd.isna(case.failure_case) else str(case.failure_case), "message": message,
        })
    return sorted(problems.values(), key=lambda p: (p["row"] or 0, str(p["field"])))


def _enum(table: str, field: str) -> list[str]:
    return [str(v) for v in (schema(table).field(field).enum or ())]


def _check_type(check: str) -> str:
    """A short, stable name for a check: 'coerce_dtype', 'isin', 'str_matches', 'foreign_key', ..."""
    head = re.split(r"[(:]", check, maxsplit=1)[0].strip()
    return {"field_uniqueness": "unique", "not_nullable": "required"}.get(head, head.replace(" ", "_"))
