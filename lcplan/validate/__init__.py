"""``lcplan validate``: check a data package in lcplan's layout, fast, safe on files from anyone.

The stages, one module each:

1. :mod:`~lcplan.validate.descriptor`: the descriptor, read safely; the tables lcplan knows.
2. :mod:`~lcplan.validate.files`: each table's file (encoding, delimiter, header, shape, size),
   read with pyarrow as text; each source read once.
3. :mod:`~lcplan.validate.rows`: every field's type and constraints (pandera schemas derived
   from ``schemas/``, after Table Schema's lexical forms).
4. :mod:`~lcplan.validate.integrity`: keys, parents, levels, line ranges, verbatim text, as
   vectorised kernels (:mod:`~lcplan.validate.kernels`).
5. :mod:`~lcplan.validate.rules`: the rules of the curated tables (crosswalk, topics, links,
   claims, evidence), the same ones ``lcplan build`` applies.
6. :mod:`~lcplan.validate.warnings`: what is legal but suspicious.
7. :mod:`~lcplan.validate.formats`: text, JSON and GitHub output.

Every check is defined once (:mod:`~lcplan.validate.problems` and the rules): name, message,
hint. ``validate(path)`` returns a :class:`Report`; it never raises for bad data, never
writes, never reads outside the package's folder, never touches the network.
Rows are numbered as in the CSV file: the header is row 1, the first record row 2.

``lcplan.validate`` is both this package and the function: ``lcplan.validate(path)`` works.
"""

from __future__ import annotations

import sys
import types
from pathlib import Path

import pandas as pd

from lcplan.registry import table_names
from lcplan.tableschema import csv_row
from lcplan.validate.formats import format_github, format_json, format_problem, format_text
from lcplan.validate.problems import (EXIT_INVALID, EXIT_OK, EXIT_UNUSABLE, MAX_PER_CHECK, PROBLEM_FIELDS, Problems,
                                      Report, Unusable, ValidationError)

__all__ = ["validate", "Report", "Unusable", "ValidationError", "PROBLEM_FIELDS", "EXIT_OK", "EXIT_INVALID",
           "EXIT_UNUSABLE", "format_text", "format_json", "format_github", "format_problem"]


def validate(path: str | Path) -> Report:
    """Validate the data package at ``path`` (a datapackage.json or its folder).

    Raises :class:`Unusable` only when there is nothing to validate; problems in the
    data are in the returned report's ``errors`` and ``warnings``. Needs the ``validate`` extra.
    """
    from lcplan.extras import require

    require("validate", "pyarrow", "pandera")
    import pandera.pandas as pa

    from lcplan.validate.descriptor import check_descriptor, locate, read_descriptor
    from lcplan.validate.files import SourceFile, read_sources, read_table
    from lcplan.validate.problems import display_path, printable
    from lcplan.validate.rows import flatten, pandera_schema, type_formats
    from lcplan.validate.rules import Frames
    from lcplan.validate.warnings import collect_warnings

    file = locate(path)
    folder = file.parent
    label = display_path(file)
    out = Problems()
    descriptor = read_descriptor(file)
    paths = check_descriptor(descriptor, folder, label, out)
    frames: dict[str, pd.DataFrame] = {}
    shown: dict[str, str] = {}
    for name in table_names():
        if name in paths:
            shown[name] = printable(display_path(paths[name]))
            frame = read_table(name, paths[name], out)
            if frame is not None:
                frames[name] = frame
    unchecked: dict[str, str] = {}
    sources = read_sources(frames["documents"], folder, shown["documents"], out, unchecked) \
        if "documents" in frames else {}
    for name, frame in frames.items():
        typed, typed_badly = type_formats(name, frame, shown[name], out)
        try:
            pandera_schema(name).validate(typed, lazy=True)
        except pa.errors.SchemaErrors as exc:
            counted: dict[tuple[str, str], int] = {}
            beyond: dict[tuple[str, str], list[int]] = {}  # the first and last rows not listed
            for p in flatten(exc.failure_cases, name):
                if (p["row"], p["field"]) in typed_badly:
                    continue  # the cell's type is reported; its emptiness here follows from that
                key = (p["field"], p["check"])
                counted[key] = counted.get(key, 0) + 1
                if counted[key] <= MAX_PER_CHECK:
                    out.error(name, shown[name], p["check"], p["message"], row=p["row"], field=p["field"],
                              value=p["value"])
                elif p["row"] is not None:
                    span = beyond.setdefault(key, [p["row"], p["row"]])
                    span[0], span[1] = min(span[0], p["row"]), max(span[1], p["row"])
            for (field, check), n in counted.items():
                if n > MAX_PER_CHECK:
                    _summary(out, "error", name, shown[name], check, field, n - MAX_PER_CHECK, "fail this check",
                             beyond.get((field, check)))
    try:
        _run_rules(Frames(frames, sources, unchecked), shown, out)
    finally:
        SourceFile.release()
    collect_warnings(frames, shown, out)
    return Report(path=label, errors=out.frame("error"), warnings=out.frame("warning"),
                  rows={n: len(f) for n, f in frames.items()})


def _run_rules(frames, files: dict[str, str], out: Problems) -> None:
    """Integrity and the curated tables' rules (one registry), on the text as read."""
    from lcplan.validate.rules import rules_for

    for r in rules_for(frames):
        frame = frames[r.table]
        bad = ~r.test(frames).reindex(frame.index).fillna(True).astype(bool)
        rows = bad[bad].index
        for idx in rows[:MAX_PER_CHECK]:
            out.add(r.severity, r.table, files[r.table], r.name, r.message, row=csv_row(idx), field=r.field,
                    value=frame.at[idx, r.field], hint=r.hint)
        if len(rows) > MAX_PER_CHECK:
            rest = [csv_row(idx) for idx in (rows[MAX_PER_CHECK], rows[-1])]
            _summary(out, r.severity, r.table, files[r.table], r.name, r.field, len(rows) - MAX_PER_CHECK,
                     "break this rule", rest, hint=r.hint)


def _summary(out: Problems, severity: str, table: str, file: str, check: str, field: str | None, n: int,
             what: str, rows: list[int] | None, hint: str | None = None) -> None:
    """The problems of one check past the first MAX_PER_CHECK, counted: at the first of their rows,
    the message naming the first and the last (the first offending rows are listed before it)."""
    where = f", rows {rows[0]:,} to {rows[1]:,}" if rows else ""
    out.add(severity, table, file, check, f"{n:,} more rows {what}{where} (the first {MAX_PER_CHECK:,} are listed)",
            row=rows[0] if rows else None, field=field, hint=hint)


class _CallableModule(types.ModuleType):
    """So that ``lcplan.validate(path)`` keeps working now that ``lcplan.validate`` is a package."""

    def __call__(self, path: str | Path) -> Report:
        return validate(path)


sys.modules[__name__].__class__ = _CallableModule
