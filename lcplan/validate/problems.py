"""Problems: every check's definition in one place, the collector, and the report.

A check is one :class:`Check`: its name (the ``check`` of a report), the stage that runs it,
its severity, the message used where the check does not give a more precise one, and its
hint. The rules across tables (:mod:`lcplan.validate.rules`, :mod:`lcplan.validate.integrity`)
carry their own name, field, message and hint in the same way.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from lcplan.registry import table_names

__all__ = ["Check", "CHECKS", "Findings", "Problems", "Report", "Unusable", "ValidationError", "PROBLEM_FIELDS",
           "EXIT_OK", "EXIT_INVALID", "EXIT_UNUSABLE"]

EXIT_OK, EXIT_INVALID, EXIT_UNUSABLE = 0, 1, 2
PROBLEM_FIELDS = ["severity", "table", "file", "row", "line", "field", "value", "check", "message", "hint"]
MAX_CELL_CHARS = 100_000  # a longer cell is refused as "huge"
MAX_COLUMNS = 1_000  # a wider header is refused before it is read
MAX_PER_CHECK = 1000  # problems reported per check; the rest are counted


@dataclass(frozen=True)
class Check:
    name: str
    stage: str  # descriptor | file | row | warning
    hint: str
    message: str = ""
    severity: str = "error"


CHECKS: dict[str, Check] = {c.name: c for c in [
    # descriptor
    Check("profile", "descriptor", "Use a Data Package descriptor ($schema .../datapackage.json)."),
    Check("schema_mismatch", "descriptor", "Embed lcplan's schema for this table (schemas/<table>.schema.json)."),
    Check("missing_table", "descriptor", "Add the table to the descriptor's resources."),
    Check("unknown_resource", "descriptor", "Resources lcplan does not know are not checked.", severity="warning"),
    Check("unsafe_path", "descriptor",
          "Sources live in the package's sources/ folder; links and paths outside it are refused."),
    # files
    Check("missing_file", "file", "Add the file or correct the resource's path."),
    Check("unreadable", "file", "Make the file readable by the user who runs lcplan validate, or fix the path."),
    Check("empty_file", "file", "A table file needs at least its header row."),
    Check("encoding", "file", "Save the file as UTF-8."),
    Check("line_ends", "file", "Save the file with LF (or CRLF) line ends."),
    Check("delimiter", "file", "Separate fields with commas."),
    Check("ragged_row", "file", "Every row needs as many cells as the header; quote cells that contain commas."),
    Check("blank_row", "file", "Remove the blank line."),
    Check("missing_column", "file", "Add the column (in any order); see schemas/ for the fields."),
    Check("unknown_column", "file", "Remove the column or rename it to a field of the schema."),
    Check("duplicate_column", "file", "Each column name may appear once in the header."),
    Check("too_many_columns", "file",
          f"A table has the columns of its schema; more than {MAX_COLUMNS:,} is not a table of ours."),
    Check("huge_cell", "file", f"Cells are limited to {MAX_CELL_CHARS:,} characters."),
    Check("csv", "file", "Check the file is a comma-separated table with a header row."),
    Check("unclosed_quote", "file", "Close the quote where the cell ends (a quote inside a cell is written twice: \"\")."),
    Check("source_checksum", "file", "Sources are never edited: restore the original file or record its true sha256."),
    Check("no_rows", "file", "The table has a header and no rows.", severity="warning"),
    # rows: the field's type and constraints (pandera's checks, by pandera's names)
    Check("coerce_dtype", "row", "Write the value in the field's type: integers as digits, dates as YYYY-MM-DD.",
          "cannot be read as the field's type"),
    Check("dtype", "row", "Write the value in the field's type.", "has the wrong type"),
    Check("isin", "row", "Use one of the values listed in the field's enum constraint.",
          "is not one of the allowed values"),
    Check("str_matches", "row",
          "See the field's pattern in schemas/; identifiers are lower case with hyphens and slashes.",
          "does not match the field's pattern"),
    Check("unique", "row", "Each value of this field may appear once: give the row its own identifier.",
          "is not unique"),
    Check("required", "row", "Fill in the cell: the field is required.", "is required but empty"),
    Check("str_length", "row", "See the field's length constraints in schemas/.", "has the wrong length"),
    Check("greater_than_or_equal_to", "row", "See the field's minimum in schemas/.", "is below the minimum"),
    Check("less_than_or_equal_to", "row", "See the field's maximum in schemas/.", "is above the maximum"),
    # warnings
    Check("duplicate_text", "warning", "Check that the statement is not entered twice.", severity="warning"),
    Check("empty_section", "warning", "Remove the section or add its items.", severity="warning"),
    Check("numbering_gap", "warning", "Check for a missing statement.", severity="warning"),
    Check("formula_injection", "warning",
          "A spreadsheet may run this cell as a formula; prefix it with an apostrophe if it is text.",
          severity="warning"),
    Check("claim_not_reviewed", "warning",
          "Write the claim's subject in its [[claims]] entry of plans/<document_id>.toml, then build again.",
          severity="warning"),
]}


class Unusable(Exception):
    """Input that cannot be validated at all: no descriptor, not JSON, an unsafe path (exit 2)."""


class ValidationError(Exception):
    """Raised by :meth:`Report.raise_for_errors`."""

    def __init__(self, report: Report):
        self.report = report
        super().__init__(f"{len(report.errors)} error(s) in {report.path}")


@dataclass
class Report:
    """What ``validate`` found. ``errors`` and ``warnings`` are DataFrames with PROBLEM_FIELDS."""

    path: str
    errors: pd.DataFrame
    warnings: pd.DataFrame
    rows: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.errors.empty

    def raise_for_errors(self) -> None:
        if not self.ok:
            raise ValidationError(self)

    def exit_code(self, strict: bool = False) -> int:
        return EXIT_INVALID if (not self.ok or (strict and not self.warnings.empty)) else EXIT_OK

    def to_dict(self) -> dict[str, Any]:
        def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
            return [{k: (None if pd.isna(v) else (int(v) if k in ("row", "line") else v)) for k, v in r.items()}
                    for r in frame.to_dict("records")]

        return {
            "valid": self.ok,
            "path": self.path,
            "summary": {"errors": len(self.errors), "warnings": len(self.warnings), "rows": self.rows},
            "errors": records(self.errors),
            "warnings": records(self.warnings),
        }


def no_surrogates(value: Any) -> Any:
    """Names from a descriptor or the file system may hold lone surrogates: keep them as escapes."""
    if isinstance(value, str):
        return value.encode("utf-8", "backslashreplace").decode("utf-8")
    if isinstance(value, dict):
        return {no_surrogates(k): no_surrogates(v) for k, v in value.items()}
    if isinstance(value, list):
        return [no_surrogates(v) for v in value]
    return value


class Problems:
    """Collects problems; the hint comes from the check's definition unless a rule gives its own."""

    def __init__(self) -> None:
        self.items: list[dict[str, Any]] = []
        # file (as shown) -> its scan, where a cell spans lines: a row's line of the file (:mod:`.scan`)
        self.lines: dict[str, Any] = {}

    def add(self, severity: str, table: str | None, file: str | None, check: str, message: str, *,
            row: int | None = None, field: str | None = None, value: Any = None, hint: str | None = None) -> None:
        if hint is None:
            hint = CHECKS[check].hint  # every check is defined in CHECKS (a KeyError otherwise)
        if value is not None and not isinstance(value, str):
            value = None if pd.isna(value) else str(value)
        if isinstance(value, str) and len(value) > 200:
            value = value[:197] + "..."
        table, file, field, value, message = (no_surrogates(x) for x in (table, file, field, value, message))
        self.items.append({"severity": severity, "table": table, "file": file, "row": row, "line": None,
                           "field": field, "value": value, "check": check, "message": message, "hint": hint})

    def capped(self, severity: str, table: str, file: str, check: str, message: str, rows: Sequence[int], *,
               field: str | None = None, value: Callable[[int], Any] | None = None, hint: str | None = None,
               what: str = "fail this check") -> None:
        """The problems of one check at ``rows`` (CSV rows, ascending): the first
        :data:`MAX_PER_CHECK` each at its row (``value(k)``: the value of the k-th), then the rest
        counted at the first of their rows, the message naming the first and the last."""
        for k, row in enumerate(rows[:MAX_PER_CHECK]):
            self.add(severity, table, file, check, message, row=int(row), field=field,
                     value=value(k) if value is not None else None, hint=hint)
        if len(rows) > MAX_PER_CHECK:
            first, last = int(rows[MAX_PER_CHECK]), int(rows[-1])
            self.add(severity, table, file, check, f"{len(rows) - MAX_PER_CHECK:,} more rows {what}, rows {first:,} "
                     f"to {last:,} (the first {MAX_PER_CHECK:,} are listed)", row=first, field=field, hint=hint)

    def error(self, *args: Any, **kw: Any) -> None:
        self.add("error", *args, **kw)

    def warning(self, *args: Any, **kw: Any) -> None:
        self.add("warning", *args, **kw)

    def frame(self, severity: str) -> pd.DataFrame:
        """The problems of one severity; ``line``: the line of the file a problem's row starts on
        (the row's number unless a cell before it spans lines)."""
        rows = [{k: p[k] for k in PROBLEM_FIELDS} for p in self.items if p["severity"] == severity]
        for p in rows:
            if p["row"] is not None:
                found = self.lines.get(p["file"])
                p["line"] = found.line_of(int(p["row"])) if found is not None else int(p["row"])
        frame = pd.DataFrame(rows, columns=PROBLEM_FIELDS)
        frame["row"] = frame["row"].astype("Int64")
        frame["line"] = frame["line"].astype("Int64")
        order = {n: i for i, n in enumerate(table_names())}
        frame["_t"] = frame["table"].map(lambda t: order.get(t, -1 if t is None else len(order)))
        frame = frame.sort_values(["_t", "table", "row", "field"], na_position="first", kind="stable")
        return frame.drop(columns="_t").reset_index(drop=True)


class Findings:
    """Problems of the checks that read a row alone, gathered batch by batch (the same checks on
    each batch of a table's rows) and reported as if found on the whole table: each check's rows
    in order, the first ``cap`` listed with their values, the rest counted (``count_rest``) or not
    listed. Checks are reported in the order of their ``rank``, whatever batch first found them."""

    def __init__(self) -> None:
        self._checks: dict[tuple, dict[str, Any]] = {}

    def add(self, rank: tuple, severity: str, table: str, file: str, check: str, message: str, field: str | None,
            rows: Any, value: Callable[[int], Any] | None, *, hint: str | None = None, cap: int = MAX_PER_CHECK,
            count_rest: bool = True, what: str = "fail this check") -> None:
        """``rows``: the CSV rows where the check fails in this batch (ascending); ``value(k)``: the value
        of the k-th, read now for as many as will be listed."""
        if not len(rows):
            return
        entry = self._checks.setdefault((rank, severity, table, check, field, message), dict(
            file=file, hint=hint, cap=cap, count_rest=count_rest, what=what, rows=[], values=[], n=0))
        take = min(len(rows), max(0, cap - entry["n"]))
        entry["values"].extend(value(k) if value is not None else None for k in range(take))
        entry["rows"].append(rows)
        entry["n"] += len(rows)

    def merge(self, other: Findings) -> None:
        """Take ``other``'s findings: those of another table (so no check is in both)."""
        self._checks.update(other._checks)

    def report(self, out: Problems, severity: str) -> None:
        import numpy as np

        for key in sorted((k for k in self._checks if k[1] == severity), key=lambda k: k[0]):
            _, _, table, check, field, message = key
            entry = self._checks[key]
            rows = np.concatenate([np.asarray(r, dtype=np.int64) for r in entry["rows"]])
            values = entry["values"]
            if entry["count_rest"]:
                out.capped(severity, table, entry["file"], check, message, rows, field=field,
                           value=values.__getitem__, hint=entry["hint"], what=entry["what"])
            else:
                for k, row in enumerate(rows[:entry["cap"]]):
                    out.add(severity, table, entry["file"], check, message, row=int(row), field=field,
                            value=values[k], hint=entry["hint"])


def display_path(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except (ValueError, OSError):  # not below the working directory, or that directory is gone
        return str(path)


_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def printable(text: str) -> str:
    """``text`` with control characters, line and paragraph separators and lone surrogates (from
    file names that are not UTF-8) escaped, so that a value can never start a new line or a CI
    workflow command, and always encodes."""
    return _UNPRINTABLE.sub(lambda m: m.group(0).encode("unicode_escape", "backslashreplace").decode("ascii")
                            if not "\ud800" <= m.group(0) <= "\udfff" else f"\\u{ord(m.group(0)):04x}", text)
