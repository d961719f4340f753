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
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from lcplan.registry import schema, table_names
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

    from concurrent.futures import ThreadPoolExecutor

    from lcplan.validate.columns import free_text_fields
    from lcplan.validate.descriptor import check_descriptor, locate, read_descriptor
    from lcplan.validate.files import SourceFile, file_size, read_rows, read_sources, read_table
    from lcplan.validate.problems import Findings, display_path, printable
    from lcplan.validate.rules import Frames  # (first: the curated rules register before the structural ones)
    from lcplan.validate.integrity import verbatim_check  # noqa: I001
    from lcplan.validate.warnings import batch_digests, table_warnings

    file = locate(path)
    folder = file.parent
    label = display_path(file)
    out = Problems()
    descriptor = read_descriptor(file)
    paths = check_descriptor(descriptor, folder, label, out)
    shown = {name: printable(display_path(paths[name])) for name in table_names() if name in paths}
    # a table too large to hold whole is held without its free-text fields, which are checked batch by
    # batch as it is read (the documents table, which says where the sources are, is always read whole)
    streamed = {name: free_text_fields(name) for name in shown if name != "documents"
                and file_size(paths[name]) > STREAM_TABLE_BYTES and free_text_fields(name)}
    frames: dict[str, pd.DataFrame] = {}
    for name in shown:  # the tables held whole first
        if name not in streamed:
            frame = read_table(name, paths[name], out)
            if frame is not None:
                frames[name] = frame
    unchecked: dict[str, str] = {}
    sources = read_sources(frames["documents"], folder, shown["documents"], out, unchecked) \
        if "documents" in frames else {}
    memo: dict = {}
    reread = {name: (lambda keep, fields=None, until=None, name=name: read_rows(name, paths[name], keep, fields, until))
              for name in streamed}

    def context(name: str | None = None, batch: pd.DataFrame | None = None) -> Frames:
        tables = {**frames, name: batch} if name is not None else frames
        return Frames(tables, sources, unchecked, memo, streamed, reread)

    found = Findings()
    digests: list[pd.Series] = []
    try:
        if sources:
            verbatim_check(context()).prepare()  # the first source's stream, built while the rows are read
        for name, fields in streamed.items():  # then the others, a batch of rows at a time
            staged = Findings()  # kept only if the whole file can be read

            def on_batch(batch: pd.DataFrame, name: str = name, fields: tuple = fields, staged: Findings = staged):
                _row_checks(name, batch, set(fields), context(name, batch), shown, staged)
                digest = batch_digests(name, batch, fields)
                if digest is not None:
                    digests.append(digest)

            held = [f for f in schema(name).field_names if f not in fields]
            frame = read_table(name, paths[name], out, batch=on_batch, held=held)
            if frame is not None:
                frames[name] = frame
                found.merge(staged)
        whole = context()
        for name, frame in frames.items():
            if name not in streamed:
                _row_checks(name, frame, None, whole, shown, found)
        _close_verbatim(memo)  # the sources' streams: no check reads them after the rows' own
        SourceFile.release()
        # the fields a streamed table holds whole are checked in a thread of their own while the
        # rules are tested and the warnings that compare rows are found here (all mostly Arrow and
        # numpy kernels, which let go of the GIL); what each finds is reported in the order it
        # always was: the rows' checks, then the rules
        whole_found = Findings()
        with ThreadPoolExecutor(1) as beside:  # (leaving the block waits for the thread, whatever is raised)
            done = [beside.submit(_row_checks, name, frames[name], set(frames[name].columns), whole, shown,
                                  whole_found, rules=False) for name in streamed if name in frames]
            tested = _test_rules(whole)
            table_warnings(frames, shown, out, digests=pd.concat(digests) if digests else None, reread=reread)
            for job in done:
                job.result()  # raises here what the thread raised
        found.merge(whole_found)
        found.report(out, "error")
        _report_rules(whole, tested, shown, out)
    finally:
        _close_verbatim(memo)
        SourceFile.release()
    found.report(out, "warning")
    return Report(path=label, errors=out.frame("error"), warnings=out.frame("warning"),
                  rows={n: len(f) for n, f in frames.items()})


STREAM_TABLE_BYTES = 64 << 20  # a table file larger than this is read in batches, its free text not held


def _row_checks(name: str, batch: pd.DataFrame, fields: set[str] | None, frames, files: dict[str, str],
                found, rules: bool = True) -> None:
    """The checks that read a row alone, on a batch of a table's rows (or the whole table): the
    fields' types and constraints (``fields``: those only), the rules marked per row (``rules``),
    the warnings of a row. What they find goes to ``found``, to be reported as one."""
    from lcplan.validate.columns import column_failures
    from lcplan.validate.rules import rules_for
    from lcplan.validate.warnings import SHOWN, row_warnings

    index = batch.index.to_numpy() + csv_row(0)  # the rows as the CSV file numbers them
    file = files[name]
    for f in column_failures(name, batch, fields):
        found.add((0, *f.rank), "error", name, file, f.check, f.message, f.field, index[f.positions], f.value)
    if rules:
        for k, r in enumerate(rules_for(frames)):
            if r.per_row and r.table == name:
                bad = np.flatnonzero(~r.test(frames).reindex(batch.index).fillna(True).astype(bool).to_numpy())
                found.add((1, k), r.severity, name, file, r.name, r.message, r.field, index[bad],
                          _cells(batch[r.field], bad), hint=r.hint, what="break this rule")
    places = {f: k for k, f in enumerate(schema(name).field_names)}
    for check, field, message, where in row_warnings(name, batch, fields):
        hit = np.flatnonzero(where.to_numpy(dtype=bool))
        found.add((2, places[field], check), "warning", name, file, check, message, field, index[hit],
                  _cells(batch[field], hit), cap=SHOWN[check], count_rest=False)


def _cells(column: pd.Series, positions: Any) -> Callable[[int], Any]:
    """The value of the k-th of ``positions`` in ``column``, read when asked (only the rows that
    are listed are made Python objects, not the column)."""
    return lambda k: column.iat[int(positions[k])]


def _close_verbatim(memo: dict) -> None:
    """Let go of the verbatim check's streams, waiting for any still being built (a stream no row
    asked for, as when the items cannot be read), so that no thread reads sources after this."""
    check = memo.pop("verbatim", None)
    if check is not None:
        check.close()


def _test_rules(frames) -> list[tuple[Any, pd.Index]]:
    """Integrity and the curated tables' rules (one registry), on the text as read: each rule
    that reads the whole package (not one row alone), with the index of the rows that break it."""
    from lcplan.validate.rules import rules_for

    tested = []
    for r in rules_for(frames):
        if r.per_row:  # run with the rows' other checks
            continue
        bad = ~r.test(frames).reindex(frames[r.table].index).fillna(True).astype(bool)
        tested.append((r, bad[bad].index))
    return tested


def _report_rules(frames, tested: list[tuple[Any, pd.Index]], files: dict[str, str], out: Problems) -> None:
    """The rows that break each rule tested (see :func:`_test_rules`), in the registry's order."""
    for r, rows in tested:
        column = frames[r.table][r.field]
        out.capped(r.severity, r.table, files[r.table], r.name, r.message, [csv_row(i) for i in rows], field=r.field,
                   value=lambda k, rows=rows, column=column: column.at[rows[k]], hint=r.hint, what="break this rule")


class _CallableModule(types.ModuleType):
    """So that ``lcplan.validate(path)`` keeps working now that ``lcplan.validate`` is a package."""

    def __call__(self, path: str | Path) -> Report:
        return validate(path)


sys.modules[__name__].__class__ = _CallableModule
