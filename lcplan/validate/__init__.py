"""``lcplan validate``: check a data package in lcplan's layout, fast, safe on files from anyone.

The stages, one module each:

1. :mod:`~lcplan.validate.descriptor`: the descriptor, read safely; the tables lcplan knows.
2. :mod:`~lcplan.validate.files`: each table's file (encoding, delimiter, header, shape, size),
   read with pyarrow as text; each source read once.
3. :mod:`~lcplan.validate.columns`: every field's type and constraints, compiled from
   ``schemas/`` to Arrow compute kernels (:mod:`~lcplan.validate.rows` declares the same
   schemas for pandera).
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
from lcplan.validate.problems import (EXIT_INVALID, EXIT_OK, EXIT_UNUSABLE, PROBLEM_FIELDS, Problems, Report,
                                      Unusable, ValidationError)

__all__ = ["validate", "Report", "Unusable", "ValidationError", "PROBLEM_FIELDS", "EXIT_OK", "EXIT_INVALID",
           "EXIT_UNUSABLE", "format_text", "format_json", "format_github", "format_problem"]


def validate(path: str | Path) -> Report:
    """Validate the data package at ``path`` (a datapackage.json or its folder).

    Raises :class:`Unusable` only when there is nothing to validate; problems in the
    data are in the returned report's ``errors`` and ``warnings``. Needs pyarrow (the
    ``validate`` extra).
    """
    from lcplan.extras import require

    require("validate", "pyarrow")

    from lcplan.validate.descriptor import check_descriptor, locate, read_descriptor
    from lcplan.validate.files import SourceFile, read_sources, read_table
    from lcplan.validate.problems import display_path, printable
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
        _check_columns(name, frame, shown[name], out)
    try:
        _run_rules(Frames(frames, sources, unchecked), shown, out)
    finally:
        SourceFile.release()
    collect_warnings(frames, shown, out)
    return Report(path=label, errors=out.frame("error"), warnings=out.frame("warning"),
                  rows={n: len(f) for n, f in frames.items()})


def _check_columns(name: str, frame: pd.DataFrame, file: str, out: Problems) -> None:
    """Every field's type and constraints (:mod:`lcplan.validate.columns`), each check's cells at their rows."""
    from lcplan.validate.columns import column_failures

    index = frame.index.to_numpy()
    for f in column_failures(name, frame):
        rows = [csv_row(i) for i in index[f.positions]]
        out.capped("error", name, file, f.check, f.message, rows, field=f.field, value=f.value)


def _run_rules(frames, files: dict[str, str], out: Problems) -> None:
    """Integrity and the curated tables' rules (one registry), on the text as read."""
    from lcplan.validate.rules import rules_for

    for r in rules_for(frames):
        frame = frames[r.table]
        bad = ~r.test(frames).reindex(frame.index).fillna(True).astype(bool)
        rows = bad[bad].index
        column = frame[r.field]
        out.capped(r.severity, r.table, files[r.table], r.name, r.message, [csv_row(i) for i in rows], field=r.field,
                   value=lambda k, rows=rows, column=column: column.at[rows[k]], hint=r.hint, what="break this rule")


class _CallableModule(types.ModuleType):
    """So that ``lcplan.validate(path)`` keeps working now that ``lcplan.validate`` is a package."""

    def __call__(self, path: str | Path) -> Report:
        return validate(path)


sys.modules[__name__].__class__ = _CallableModule
