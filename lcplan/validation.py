"""Validate a data package in lcplan's layout: fast, safe on files from anyone, and precise.

``validate(path)`` reads a ``datapackage.json`` (or the folder holding one) and checks, in
order: the descriptor, each table's file (encoding, delimiter, header, shape), every row
against the pandera schemas derived from ``schemas/``, integrity across tables and with the
source texts, and warnings for what is legal but suspicious. It returns a :class:`Report`;
it never raises for bad data, never writes, never reads outside the package's folder and
never touches the network (frictionless is not handed untrusted descriptors).

Rows are numbered as in the CSV file: the header is row 1, the first record row 2.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from lcplan.registry import table_names, table_schema

__all__ = ["validate", "Report", "Unusable", "ValidationError", "PROBLEM_FIELDS", "EXIT_OK", "EXIT_INVALID",
           "EXIT_UNUSABLE"]

EXIT_OK, EXIT_INVALID, EXIT_UNUSABLE = 0, 1, 2
REQUIRED_TABLES = ("documents", "sections", "items")
MAX_CELL_CHARS = 100_000  # a longer cell is refused as "huge"
MAX_DESCRIPTOR_BYTES = 10_000_000
MAX_SOURCE_BYTES = 200_000_000
BLOCK_SIZE = 1 << 24  # pyarrow's parse block: 16 MiB, larger than any cell we accept
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # OWASP: tab and carriage return too
MAX_COLUMNS = 1_000  # a wider header is refused before it is read
MAX_PER_CHECK = 1000  # problems reported per rule; the rest are counted
MAX_SOURCE_LINE_CHARS = 1_000_000  # a source line longer than this is not a plan's line
PROBLEM_FIELDS = ["severity", "table", "file", "row", "field", "value", "check", "message", "hint"]

HINTS = {
    "coerce_dtype": "Write the value in the field's type: integers as digits, dates as YYYY-MM-DD.",
    "isin": "Use one of the values listed in the field's enum constraint.",
    "str_matches": "See the field's pattern in schemas/; identifiers are lower case with hyphens and slashes.",
    "unique": "Each value of this field may appear once: give the row its own identifier.",
    "required": "Fill in the cell: the field is required.",
    "foreign_key": "Name an existing row of the referenced table, or leave the cell empty if the field allows it.",
    "same_document": "A parent must belong to the same document as its child.",
    "no_cycle": "Break the loop: a row cannot be its own ancestor.",
    "labels_in_order": "Printed numbers rise with position within a section: check the label and the position.",
    "lines_in_order": "line_start is the first line of the statement, line_end the last.",
    "lines_inside_source": "Line numbers count the lines of the source file from 1.",
    "text_verbatim_at_lines": "Copy the text from the source exactly (wraps joined with one space) or fix the line numbers.",
    "position_unique_in_document": "Give each item of a document its own position.",
    "level_follows_parent": "A top-level section has level 1; a subsection its parent's level + 1.",
    "period_in_order": "period_start is the first day of the plan year, period_end the last.",
    "source_checksum": "Sources are never edited: restore the original file or record its true sha256.",
    "missing_file": "Add the file or correct the resource's path.",
    "empty_file": "A table file needs at least its header row.",
    "encoding": "Save the file as UTF-8.",
    "delimiter": "Separate fields with commas.",
    "ragged_row": "Every row needs as many cells as the header; quote cells that contain commas.",
    "blank_row": "Remove the blank line.",
    "missing_column": "Add the column (in any order); see schemas/ for the fields.",
    "unknown_column": "Remove the column or rename it to a field of the schema.",
    "duplicate_column": "Each column name may appear once in the header.",
    "huge_cell": f"Cells are limited to {MAX_CELL_CHARS:,} characters.",
    "unreadable": "Make the file readable by the user who runs lcplan validate, or fix the path.",
    "too_many_columns": f"A table has the columns of its schema; more than {MAX_COLUMNS:,} is not a table of ours.",
    "line_ends": "Save the file with LF (or CRLF) line ends.",
    "schema_mismatch": "Embed lcplan's schema for this table (schemas/<table>.schema.json).",
    "missing_table": "Add the table to the descriptor's resources.",
    "unknown_resource": "Resources lcplan does not know are not checked.",
    "duplicate_text": "Check that the statement is not entered twice.",
    "empty_section": "Remove the section or add its items.",
    "numbering_gap": "Check for a missing statement.",
    "formula_injection": "A spreadsheet may run this cell as a formula; prefix it with an apostrophe if it is text.",
    "no_rows": "The table has a header and no rows.",
    "csv": "Check the file is a comma-separated table with a header row.",
    "profile": "Use a Data Package descriptor ($schema .../datapackage.json).",
    "unsafe_path": "Sources live in the package's sources/ folder; links and paths outside it are refused.",
}


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
            return [{k: (None if pd.isna(v) else (int(v) if k == "row" else v)) for k, v in r.items()}
                    for r in frame.to_dict("records")]

        return {
            "valid": self.ok,
            "path": self.path,
            "summary": {"errors": len(self.errors), "warnings": len(self.warnings), "rows": self.rows},
            "errors": records(self.errors),
            "warnings": records(self.warnings),
        }


# ----------------------------------------------------------------------------- collecting


class _Problems:
    def __init__(self) -> None:
        self.items: list[dict[str, Any]] = []

    def add(self, severity: str, table: str | None, file: str | None, check: str, message: str, *,
            row: int | None = None, field: str | None = None, value: Any = None, hint: str | None = None) -> None:
        if value is not None and not isinstance(value, str):
            value = None if pd.isna(value) else str(value)
        if isinstance(value, str) and len(value) > 200:
            value = value[:197] + "..."
        # names from a descriptor or the file system may hold lone surrogates: keep them as escapes
        table, file, field, value, message = (_no_surrogates(x) for x in (table, file, field, value, message))
        self.items.append({"severity": severity, "table": table, "file": file, "row": row, "field": field,
                           "value": value, "check": check, "message": message,
                           "hint": HINTS.get(check, "") if hint is None else hint})

    def error(self, *args: Any, **kw: Any) -> None:
        self.add("error", *args, **kw)

    def warning(self, *args: Any, **kw: Any) -> None:
        self.add("warning", *args, **kw)

    def frame(self, severity: str) -> pd.DataFrame:
        rows = [{k: p[k] for k in PROBLEM_FIELDS} for p in self.items if p["severity"] == severity]
        frame = pd.DataFrame(rows, columns=PROBLEM_FIELDS)
        frame["row"] = frame["row"].astype("Int64")
        order = {n: i for i, n in enumerate(table_names())}
        frame["_t"] = frame["table"].map(lambda t: order.get(t, -1 if t is None else len(order)))
        frame = frame.sort_values(["_t", "table", "row", "field"], na_position="first", kind="stable")
        return frame.drop(columns="_t").reset_index(drop=True)


# ----------------------------------------------------------------------------- safety


def _safe_path(folder: Path, rel: Any, what: str) -> Path:
    """A path from the descriptor, refused unless it is a relative path inside ``folder``."""
    if not isinstance(rel, str) or not rel:
        raise Unusable(f"{what}: the path must be a non-empty string, not {rel!r}")
    lowered = rel.strip().lower()
    if "://" in lowered or lowered.startswith(("//", "\\\\")) or lowered.startswith(("http:", "https:", "ftp:", "file:")):
        raise Unusable(f"{what}: refused the URL {rel!r}: validation reads only files inside the package folder "
                       "and never uses the network")
    if "\x00" in rel:
        raise Unusable(f"{what}: refused the path {rel!r}: it holds a NUL character")
    p = Path(rel)
    if p.is_absolute() or rel.startswith(("/", "\\")) or (len(rel) > 1 and rel[1] == ":"):
        raise Unusable(f"{what}: refused the absolute path {rel!r}: paths must be relative to the package folder")
    if ".." in p.parts or "\\" in rel:
        raise Unusable(f"{what}: refused the path {rel!r}: it leaves the package folder")
    full = folder / p
    try:
        root = folder.resolve()
        inside = full.resolve().is_relative_to(root)
    except RuntimeError:  # a loop of links
        raise Unusable(f"{what}: refused the path {rel!r}: its links form a loop") from None
    except OSError as exc:
        raise Unusable(f"{what}: refused the path {rel!r}: {exc.strerror or exc}") from None
    if not inside:
        raise Unusable(f"{what}: refused the path {rel!r}: a link leads outside the package folder")
    return full


def _locate(path: str | Path) -> Path:
    """The descriptor to read: a regular file inside the package folder (a link to a file
    elsewhere is refused, so nothing outside the folder is ever read)."""
    p = Path(path)
    try:
        if p.is_dir():
            p = p / "datapackage.json"
        if p.is_symlink():
            target = p.resolve(strict=True)
            if not target.is_relative_to(p.parent.resolve()):
                raise Unusable(f"{_printable(str(p))}: refused: the descriptor is a link to a file outside the "
                               "package folder")
        if not p.is_file():
            raise Unusable(f"{_printable(str(path))}: no such file (give a datapackage.json or the folder that "
                           "holds one)")
    except RuntimeError:
        raise Unusable(f"{_printable(str(path))}: its links form a loop") from None
    except OSError as exc:
        raise Unusable(f"{_printable(str(path))}: cannot be read: {exc.strerror or exc}") from None
    return p


def _no_json_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON (write a number or null)")


def _read_descriptor(file: Path) -> dict[str, Any]:
    shown = _printable(str(file))
    try:
        if file.stat().st_size > MAX_DESCRIPTOR_BYTES:
            raise Unusable(f"{shown}: the descriptor is larger than {MAX_DESCRIPTOR_BYTES:,} bytes")
        data = file.read_bytes()
    except OSError as exc:
        raise Unusable(f"{shown}: cannot be read: {exc.strerror or exc}") from None
    file = shown
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise Unusable(f"{file}: not UTF-8 (byte {exc.start})") from None
    try:
        descriptor = json.loads(text, parse_constant=_no_json_constant)
    except ValueError as exc:
        if not isinstance(exc, json.JSONDecodeError):  # NaN or Infinity, or an integer of 4,300+ digits
            raise Unusable(f"{file}: not valid JSON: {exc}") from None
        raise Unusable(f"{file}: not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}") from None
    except json.JSONDecodeError as exc:
        raise Unusable(f"{file}: not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}") from None
    except RecursionError:
        raise Unusable(f"{file}: the JSON is nested too deeply to be a descriptor") from None
    if not isinstance(descriptor, dict) or not isinstance(descriptor.get("resources"), list):
        raise Unusable(f"{file}: not a Data Package descriptor (a JSON object with a 'resources' list)")
    return descriptor


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value] if isinstance(value, str) else []


def _schema_key(schema: Any) -> dict[str, Any]:
    """What must equal ours for a table to be read with our rules (any JSON in, never an exception)."""
    schema = schema if isinstance(schema, dict) else {}
    fields = [(str(f.get("name")), str(f.get("type", "string"))) for f in _listed(schema.get("fields"))
              if isinstance(f, dict)]
    fks = []
    for fk in _listed(schema.get("foreignKeys")):
        if isinstance(fk, dict):
            ref = fk.get("reference") if isinstance(fk.get("reference"), dict) else {}
            fks.append((tuple(map(str, _listed(fk.get("fields")))), str(ref.get("resource") or ""),
                        tuple(map(str, _listed(ref.get("fields"))))))
        else:
            fks.append(((), repr(fk), ()))
    return {"fields": fields, "primaryKey": [str(k) for k in _listed(schema.get("primaryKey"))],
            "foreignKeys": sorted(fks)}


def _check_descriptor(descriptor: dict[str, Any], folder: Path, label: str, out: _Problems) -> dict[str, Path]:
    """Known tables -> their files. Unsafe paths raise Unusable."""
    profile = str(descriptor.get("$schema") or descriptor.get("profile") or "")
    if profile and "datapackage" not in profile.replace("-", "").replace("_", "") and profile not in (
            "data-package", "tabular-data-package"):
        out.error(None, label, "profile", f"the descriptor's profile {profile!r} is not a Data Package profile")
    known = set(table_names())
    files: dict[str, Path] = {}
    seen: set[str] = set()
    for i, res in enumerate(descriptor["resources"]):
        if not isinstance(res, dict):
            out.error(None, label, "profile", f"resource {i + 1} is not a JSON object")
            continue
        name = res.get("name")
        if not isinstance(name, str) or not name:
            out.error(None, label, "profile", f"resource {i + 1} has no name (a non-empty string)")
            continue
        what = f"{label}: resource {name!r}"
        if "path" not in res:
            out.error(name, label, "missing_file", "the resource has no path (inline data is not supported)")
            continue
        path = _safe_path(folder, res["path"], what)
        if name in seen:
            out.error(name, label, "profile", f"two resources are named {name!r}")
            continue
        seen.add(name)
        if name not in known:
            if not str(res["path"]).startswith("sources/"):
                out.warning(name, label, "unknown_resource", f"resource {name!r} is not a table lcplan knows; not checked")
            continue
        ours, theirs = _schema_key(table_schema(name)), _schema_key(res.get("schema") or {})
        if not isinstance(res.get("schema"), dict):
            out.error(name, label, "schema_mismatch", "the schema must be embedded in the descriptor as an object")
        elif theirs != ours:
            for (fn, ft), (gn, gt) in zip(ours["fields"], theirs["fields"]):
                if (fn, ft) != (gn, gt):
                    out.error(name, label, "schema_mismatch", f"field {gn!r} ({gt}) where lcplan has {fn!r} ({ft})",
                              field=gn)
                    break
            else:
                out.error(name, label, "schema_mismatch",
                          "fields, primary key or foreign keys differ from lcplan's schema")
        files[name] = path
    for name in REQUIRED_TABLES:
        if name not in files and name in known:
            out.error(name, label, "missing_table", f"the descriptor has no resource {name!r}")
    return files


# ----------------------------------------------------------------------------- reading


def _display(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except (ValueError, OSError):  # not below the working directory, or that directory is gone
        return str(path)


_UNPRINTABLE = None


def _printable(text: str) -> str:
    """``text`` with control characters, line and paragraph separators and lone surrogates (from
    file names that are not UTF-8) escaped, so that a value can never start a new line or a CI
    workflow command, and always encodes."""
    global _UNPRINTABLE
    import re

    if _UNPRINTABLE is None:
        _UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
    return _UNPRINTABLE.sub(lambda m: m.group(0).encode("unicode_escape", "backslashreplace").decode("ascii")
                            if not "\ud800" <= m.group(0) <= "\udfff" else f"\\u{ord(m.group(0)):04x}", text)


def _first_bad_utf8(path: Path) -> tuple[int, int]:
    """(line, byte in the line) of the first bytes that are not UTF-8, streaming."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset = 0
    with open(path, "rb") as fh:
        while True:
            chunk = fh.read(1 << 20)
            try:
                decoder.decode(chunk, final=not chunk)
                if not chunk:
                    break
            except UnicodeDecodeError as exc:
                bad = offset + exc.start
                with open(path, "rb") as again:
                    head = again.read(bad)
                line = head.count(b"\n") + 1
                line_start = head.rfind(b"\n") + 1
                return line, bad - line_start + 1
            offset += len(chunk)
    # the bad bytes are a character cut off at the end of the file
    with open(path, "rb") as fh:
        data = fh.read()
    return data.count(b"\n") + 1, len(data) - (data.rfind(b"\n") + 1)


def _ragged_rows(path: Path, width: int, limit: int = 20) -> list[tuple[int, int]]:
    """(row, cells) of rows whose width differs from the header's, streaming."""
    found = []
    csv.field_size_limit(1 << 30)
    with open(path, encoding="utf-8-sig", newline="") as fh:
        for row_no, row in enumerate(csv.reader(fh), start=1):
            if row_no > 1 and len(row) != width:
                found.append((row_no, len(row)))
                if len(found) >= limit:
                    break
    return found


def _header(path: Path) -> tuple[list[str], bool]:
    """The header's cells, and whether the file's line ends are CR only."""
    with open(path, "rb") as fh:
        head = fh.read(1 << 20)
    cr_only = b"\r" in head and b"\n" not in head
    text = head.decode("utf-8-sig", errors="replace")
    first = text.split("\n", 1)[0].split("\r", 1)[0]
    csv.field_size_limit(1 << 30)
    return next(csv.reader(io.StringIO(first)), []), cr_only


def _read_table(name: str, path: Path, out: _Problems) -> pd.DataFrame | None:
    """A table's file as strings (missing as NA), or None after reporting why it cannot be read."""
    try:
        return _read_table_file(name, path, out)
    except OSError as exc:  # permission denied, a name too long, ...
        out.error(name, _printable(_display(path)), "unreadable", f"cannot be read: {exc.strerror or exc}")
    except UnicodeDecodeError:
        line, col = _first_bad_utf8(path)
        out.error(name, _printable(_display(path)), "encoding",
                  f"bytes that are not UTF-8 at line {line}, byte {col} of the line")
    except csv.Error as exc:
        out.error(name, _printable(_display(path)), "csv", f"cannot be read as CSV: {exc}")
    return None


def _read_table_file(name: str, path: Path, out: _Problems) -> pd.DataFrame | None:
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pcsv

    shown = _printable(_display(path))
    if path.is_dir():
        out.error(name, shown, "missing_file", "the path is a folder, not a file")
        return None
    if not path.is_file():
        out.error(name, shown, "missing_file", "the file does not exist")
        return None
    if path.stat().st_size == 0:
        out.error(name, shown, "empty_file", "the file is empty")
        return None
    fields = [f["name"] for f in table_schema(name)["fields"]]
    header, cr_only = _header(path)
    if cr_only:
        out.error(name, shown, "line_ends", "the lines end with CR alone (an old Mac format)", row=1)
        return None
    if len(header) > MAX_COLUMNS:
        out.error(name, shown, "too_many_columns", f"the header has {len(header):,} columns", row=1)
        return None
    if len(header) == 1 and any(d in header[0] for d in (";", "\t", "|")):
        sep = next(d for d in (";", "\t", "|") if d in header[0])
        out.error(name, shown, "delimiter", f"the header is separated by {sep!r}, not commas", row=1)
        return None
    dupes = sorted({c for c in header if header.count(c) > 1})
    for c in dupes:
        out.error(name, shown, "duplicate_column", f"the column {c!r} appears {header.count(c)} times", row=1, field=c)
    missing = [c for c in fields if c not in header]
    for c in missing:
        out.error(name, shown, "missing_column", f"the column {c!r} is missing", row=1, field=c)
    for c in header:
        if c not in fields:
            out.error(name, shown, "unknown_column", f"the column {c!r} is not a field of {name}", row=1, field=c)
    if dupes or missing:
        return None
    try:
        try:
            str(path).encode("utf-8")
            source: Any = path
        except UnicodeEncodeError:  # a name that is not UTF-8: pyarrow takes the open file instead
            source = open(path, "rb")
        try:
            table = pcsv.read_csv(
                source,
                read_options=pcsv.ReadOptions(block_size=BLOCK_SIZE),
                parse_options=pcsv.ParseOptions(newlines_in_values=True, ignore_empty_lines=False),
                convert_options=pcsv.ConvertOptions(
                    column_types={c: pa.string() for c in header}, include_columns=fields,
                    null_values=[""], strings_can_be_null=True, quoted_strings_can_be_null=True),
            )
        finally:
            if source is not path:
                source.close()
    except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
        msg = str(exc)
        if "Empty CSV file" in msg:  # a header and nothing else, with no final newline
            out.warning(name, shown, "no_rows", "the table has no rows")
            return pd.DataFrame({c: pd.array([], dtype=pd.StringDtype("pyarrow")) for c in fields})
        if "UTF8" in msg or "utf-8" in msg.lower():
            line, col = _first_bad_utf8(path)
            out.error(name, shown, "encoding", f"bytes that are not UTF-8 at line {line}, byte {col} of the line")
        elif "Expected" in msg and "columns" in msg:
            for row, cells in _ragged_rows(path, len(header)):
                if cells == 0:
                    out.error(name, shown, "blank_row", "a blank line where a row was expected", row=row)
                else:
                    out.error(name, shown, "ragged_row", f"{cells} cells where the header has {len(header)}", row=row)
        elif "straddling" in msg:
            out.error(name, shown, "huge_cell", f"a cell is larger than {BLOCK_SIZE:,} bytes")
        else:
            out.error(name, shown, "csv", f"cannot be read as CSV: {msg.splitlines()[0]}")
        return None
    if table.num_rows == 0:
        out.warning(name, shown, "no_rows", "the table has no rows")
    for c in fields:
        lengths = pc.utf8_length(table[c])
        if (pc.max(lengths).as_py() or 0) > MAX_CELL_CHARS:
            big = pc.indices_nonzero(pc.greater(pc.fill_null(lengths, 0), MAX_CELL_CHARS)).to_pylist()
            for r in big[:20]:
                out.error(name, shown, "huge_cell", f"a cell of {lengths[r].as_py():,} characters", row=r + 2, field=c)
            return None
    frame = table.to_pandas(types_mapper={pa.string(): pd.StringDtype("pyarrow")}.get)
    blank = frame.isna().all(axis=1)  # a blank line (read, so that row numbers stay the file's)
    for r in blank[blank].index[:200]:
        out.error(name, shown, "blank_row", "a blank line where a row was expected", row=int(r) + 2)
    return frame[~blank] if blank.any() else frame


def _read_sources(documents: pd.DataFrame, folder: Path, label: str, out: _Problems) -> dict[str, list[str]]:
    """document_id -> its source's lines. Each file is read once, however many documents share it."""
    from lcplan.text import source_lines

    found: dict[str, list[str]] = {}
    read: dict[Path, tuple[bytes, list[str] | None, str | None]] = {}  # path -> (sha256, lines, problem)
    for i, (doc, rel, sha) in enumerate(zip(documents["document_id"], documents["source_path"],
                                            documents["source_sha256"])):
        if pd.isna(doc) or pd.isna(rel):
            continue
        where = dict(row=i + 2, field="source_path", value=rel)
        try:
            path = _safe_path(folder, rel, "source_path")
        except Unusable as exc:
            out.error("documents", label, "unsafe_path", str(exc), **where)
            continue
        if path not in read:
            try:
                if not path.is_file():
                    out.warning("documents", label, "missing_file",
                                "the source file is not in the package; its items' text is not checked against it",
                                **where)
                    continue
                if path.stat().st_size > MAX_SOURCE_BYTES:
                    out.error("documents", label, "huge_cell",
                              f"the source file is larger than {MAX_SOURCE_BYTES:,} bytes", **where)
                    continue
                data = path.read_bytes()
            except OSError as exc:
                out.error("documents", label, "unreadable", f"the source file cannot be read: {exc.strerror or exc}",
                          **where)
                continue
            lines, problem = None, None
            try:
                lines = source_lines(data)
            except UnicodeDecodeError as exc:
                bad_line = data[:exc.start].count(b"\n") + 1
                problem = f"the source file is not UTF-8 at line {bad_line}"
            if lines is not None and max(map(len, lines), default=0) > MAX_SOURCE_LINE_CHARS:
                lines, problem = None, f"the source file has a line over {MAX_SOURCE_LINE_CHARS:,} characters"
            read[path] = (hashlib.sha256(data).hexdigest(), lines, problem)
            del data
        digest, lines, problem = read[path]
        if not pd.isna(sha) and digest != sha:
            out.error("documents", label, "source_checksum", "the source file's sha256 differs from source_sha256",
                      row=i + 2, field="source_sha256", value=sha)
        if problem:
            out.error("documents", label, "encoding" if "UTF-8" in problem else "huge_cell", problem, **where)
        elif lines is not None:
            found[doc] = lines  # shared, not copied, by the documents of one source
    return found


# ----------------------------------------------------------------------------- type formats

# Table Schema's lexical forms, ASCII only: Python's int() and float() also take other scripts'
# digits, underscores (3_0) and more, and pandas reads 2019-1-5 as a date.
_FORMATS = {
    "integer": (r"^[+-]?[0-9]+$", "an integer is written with the digits 0-9 only"),
    "number": (r"^(?:[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|NaN|INF|-INF)$",
               "a number is written with the digits 0-9, a point and an exponent only"),
    "date": (r"^(?:000[1-9]|00[1-9][0-9]|0[1-9][0-9]{2}|[1-9][0-9]{3})-[0-9]{2}-[0-9]{2}$",
             "a date is written YYYY-MM-DD, year 0001 or later"),
}


def _type_formats(name: str, frame: pd.DataFrame, file: str, out: _Problems) -> tuple[pd.DataFrame, set]:
    """Report cells of integer, number and date fields not written in Table Schema's form, and
    blank them for the schema checks (so each is reported once). Vectorised with pyarrow."""
    import pyarrow.compute as pc

    from lcplan.checks import _arrow

    bad_cells: set[tuple[int, str]] = set()
    blanked = None
    for field in table_schema(name)["fields"]:
        spec = _FORMATS.get(field.get("type", "string"))
        if spec is None or field["name"] not in frame:
            continue
        col = frame[field["name"]]
        ok = pc.fill_null(pc.match_substring_regex(_arrow(col), spec[0]), True).to_numpy(zero_copy_only=False)
        rows = frame.index[~ok]
        if not len(rows):
            continue
        for r in rows[:MAX_PER_CHECK]:
            out.error(name, file, "coerce_dtype", f"cannot be read as {field['type']}: {spec[1]}", row=int(r) + 2,
                      field=field["name"], value=col.at[r])
        bad_cells |= {(int(r) + 2, field["name"]) for r in rows}
        blanked = frame.copy() if blanked is None else blanked
        blanked.loc[rows, field["name"]] = pd.NA
    return (frame if blanked is None else blanked), bad_cells


# ----------------------------------------------------------------------------- rules




def _rules(frames: dict[str, pd.DataFrame], files: dict[str, str], out: _Problems) -> None:
    """The rules across tables (lcplan.rules), the same ones the build applies."""
    from lcplan.rules import rules_for

    for r in rules_for(frames):
        frame = frames[r.table]
        bad = ~r.test(frames).reindex(frame.index).fillna(True).astype(bool)
        rows = bad[bad].index
        for idx in rows[:MAX_PER_CHECK]:
            out.add(r.severity, r.table, files[r.table], r.name, r.message, row=int(idx) + 2, field=r.field,
                    value=frame.at[idx, r.field], hint=r.hint)
        if len(rows) > MAX_PER_CHECK:
            out.add(r.severity, r.table, files[r.table], r.name,
                    f"{len(rows) - MAX_PER_CHECK:,} more rows break this rule (the first {MAX_PER_CHECK:,} are listed)",
                    field=r.field, hint=r.hint)


# ----------------------------------------------------------------------------- warnings


def _warnings(frames: dict[str, pd.DataFrame], files: dict[str, str], out: _Problems) -> None:
    import numpy as np

    from lcplan.checks import group_codes, is_in, ordered_numbers

    items, sections = frames.get("items"), frames.get("sections")
    if items is not None:
        f = files["items"]
        dup = pd.Series(pd.Series(group_codes(items, ["section_id", "text"])).duplicated().to_numpy(),
                        index=items.index) & items["text"].notna()
        for r in dup[dup].index[:200]:
            out.warning("items", f, "duplicate_text", "the same text appears earlier in this section",
                        row=r + 2, field="text", value=items.at[r, "text"])
        order, same, num = ordered_numbers(items, ["document_id", "kind"])
        step = num[order][1:] - num[order][:-1]
        for k in np.flatnonzero(same & (step > 1))[:200]:
            r = order[k + 1]
            out.warning("items", f, "numbering_gap", f"number {int(num[r])} follows {int(num[order[k]])}",
                        row=int(r) + 2, field="label", value=items["label"].iloc[r])
    if sections is not None and items is not None:
        used = pd.concat([items["section_id"], sections["parent_section_id"]], ignore_index=True)
        empty = ~is_in(sections["section_id"], used)
        for r in empty[empty].index[:200]:
            out.warning("sections", files["sections"], "empty_section", "the section has no items and no subsections",
                        row=r + 2, field="section_id", value=sections.at[r, "section_id"])
    for name, frame in frames.items():
        text_fields = [f["name"] for f in table_schema(name)["fields"] if f.get("type", "string") == "string"]
        for c in text_fields:  # a negative number is not a formula
            col = frame[c]
            hit = col.str.startswith(FORMULA_START).fillna(False)
            for r in hit[hit].index[:50]:
                out.warning(name, files[name], "formula_injection", "the cell starts with a formula character",
                            row=r + 2, field=c, value=col.at[r])


# ----------------------------------------------------------------------------- main


def validate(path: str | Path) -> Report:
    """Validate the data package at ``path`` (a datapackage.json or its folder).

    Raises :class:`Unusable` only when there is nothing to validate; problems in the
    data are in the returned report's ``errors`` and ``warnings``. Needs the ``validate`` extra.
    """
    from lcplan.extras import require

    require("validate", "pyarrow", "pandera")
    from lcplan.checks import flatten, pandera_schema

    file = _locate(path)
    folder = file.parent
    label = _display(file)
    out = _Problems()
    descriptor = _read_descriptor(file)
    paths = _check_descriptor(descriptor, folder, label, out)
    frames: dict[str, pd.DataFrame] = {}
    shown: dict[str, str] = {}
    for name in table_names():
        if name in paths:
            shown[name] = _display(paths[name])
            frame = _read_table(name, paths[name], out)
            if frame is not None:
                frames[name] = frame
    sources = _read_sources(frames["documents"], folder, label, out) if "documents" in frames else {}
    import pandera.pandas as pa

    for name, frame in frames.items():
        frame, typed_badly = _type_formats(name, frame, shown[name], out)
        try:
            pandera_schema(name, frames, sources).validate(frame, lazy=True)
        except pa.errors.SchemaErrors as exc:
            for p in flatten(exc.failure_cases, name):
                if (p["row"], p["field"]) in typed_badly:
                    continue  # the cell's type is reported; its emptiness here follows from that
                out.error(name, shown[name], p["check"], p["message"], row=p["row"], field=p["field"],
                          value=p["value"])
    _rules(frames, shown, out)
    _warnings(frames, shown, out)
    return Report(path=label, errors=out.frame("error"), warnings=out.frame("warning"),
                  rows={n: len(f) for n, f in frames.items()})


# ----------------------------------------------------------------------------- output


def format_problem(p: Any, root: Path | None = None) -> str:
    """One problem (a row of ``Report.errors``) on one line: file, row, column, value, message, check.

    ``root``: a folder whose path is cut from the file's name.
    """
    file = str(p.file)
    if root is not None:
        for base in (str(root) + "/", str(root.resolve()) + "/"):
            file = file.removeprefix(base)
    where = ", ".join(x for x in (f"row {p.row}" if not pd.isna(p.row) else "",
                                  f"column {_printable(p.field)}" if isinstance(p.field, str) else "") if x)
    value = f" {_printable(repr(p.value))}:" if isinstance(p.value, str) else ""
    return f"{_printable(file)}{': ' + where if where else ''}:{value} {_printable(p.message)} [{p.check}]"


def format_text(report: Report, strict: bool = False) -> str:
    """For people: problems grouped by table, each on one line with its hint; every value escaped."""
    lines = [f"lcplan validate: {_printable(report.path)}"]
    problems = pd.concat([report.errors, report.warnings]) if not report.warnings.empty else report.errors
    if not problems.empty:
        problems = problems.assign(_t=problems["table"].fillna("(package)"))
        for table, group in problems.groupby("_t", sort=False):
            n_err = int((group["severity"] == "error").sum())
            n_warn = len(group) - n_err
            lines.append(f"\n{_printable(str(table))} ({_printable(str(group['file'].iloc[0]))}): {n_err} error(s), "
                         f"{n_warn} warning(s)")
            for p in group.sort_values(["severity", "row"], na_position="first").itertuples():
                where = ", ".join(x for x in (
                    f"row {p.row}" if not pd.isna(p.row) else "",
                    f"column {_printable(p.field)}" if isinstance(p.field, str) else "") if x)
                value = f" {_printable(repr(p.value))}:" if isinstance(p.value, str) else ""
                lines.append(f"  {p.severity:<7} {where + ':' if where else ''}{value} {_printable(p.message)} "
                             f"[{p.check}]")
                if p.hint:
                    lines.append(f"          hint: {_printable(p.hint)}")
    rows = ", ".join(f"{n} {_printable(k)}" for k, n in report.rows.items())
    verdict = "INVALID" if report.exit_code(strict) else "VALID"
    why = " (--strict: warnings fail)" if report.ok and verdict == "INVALID" else ""
    lines.append(f"\n{verdict}{why}: {len(report.errors)} error(s), {len(report.warnings)} warning(s); "
                 f"rows read: {rows}")
    return "\n".join(lines)


def _gh_escape(text: str, prop: bool = False) -> str:
    """GitHub's escaping for workflow commands (% CR LF, and : , in properties), then every other
    control character escaped, so that a value can never end the command or start another."""
    text = _printable(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))
    return text.replace(":", "%3A").replace(",", "%2C") if prop else text


def format_github(report: Report, strict: bool = False) -> str:
    """GitHub Actions workflow commands: one ::error or ::warning line a problem."""
    lines = []
    for frame in (report.errors, report.warnings):
        for p in frame.itertuples():
            props = [f"file={_gh_escape(str(p.file), True)}"]
            if not pd.isna(p.row):
                props.append(f"line={int(p.row)}")
            title = ".".join(x for x in (p.table, p.field) if isinstance(x, str)) or "package"
            props.append(f"title={_gh_escape(f'{title} {p.check}', True)}")
            value = f" (value: {p.value})" if isinstance(p.value, str) else ""
            lines.append(f"::{p.severity} {','.join(props)}::{_gh_escape(p.message + value)}")
    verdict = "invalid" if report.exit_code(strict) else "valid"
    lines.append(f"lcplan validate: {_gh_escape(report.path)} is {verdict}: {len(report.errors)} error(s), "
                 f"{len(report.warnings)} warning(s)")
    return "\n".join(lines)


def _no_surrogates(value: Any) -> Any:
    if isinstance(value, str):
        return value.encode("utf-8", "backslashreplace").decode("utf-8")
    if isinstance(value, dict):
        return {_no_surrogates(k): _no_surrogates(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_no_surrogates(v) for v in value]
    return value


def format_json(report: Report, strict: bool = False) -> str:
    """The stable JSON shape; a file name that is not UTF-8 is written with backslash escapes."""
    return json.dumps(_no_surrogates(report.to_dict()), indent=2, ensure_ascii=False)
