"""Stage 2, the files: each table read with pyarrow as text (encoding, delimiter, header, shape
and size checked first), and each source read once, however many documents share it."""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from lcplan.registry import schema
from lcplan.tableschema import csv_row
from lcplan.validate.problems import MAX_CELL_CHARS, MAX_COLUMNS, Problems, Unusable, display_path, printable

if TYPE_CHECKING:
    from lcplan.text import SourceText

MAX_SOURCE_BYTES = 200_000_000
MAX_SOURCE_LINE_CHARS = 1_000_000  # a source line longer than this is not a plan's line
BLOCK_SIZE = 1 << 24  # pyarrow's parse block: 16 MiB, larger than any cell we accept


def safe_path(folder: Path, rel: Any, what: str) -> Path:
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


MAX_BLANK_LINES = 100_000


def _blank_lines(path: Path) -> int:
    """How many lines of the file are empty, streaming (CRLF or LF)."""
    import numpy as np

    count, last = 0, 10
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 22):
            if b"\r" in chunk:
                chunk = chunk.replace(b"\r\n", b"\n")  # (a CR at a chunk's end before its LF is rare and harmless)
            text = np.frombuffer(chunk, dtype=np.uint8)
            newline = text == 10
            count += int((newline[1:] & newline[:-1]).sum()) + int(last == 10 and bool(newline[0]))
            last = int(text[-1])
    return count


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


def read_table(name: str, path: Path, out: Problems) -> pd.DataFrame | None:
    """A table's file as strings (missing as NA), or None after reporting why it cannot be read."""
    try:
        return _read_table_file(name, path, out)
    except OSError as exc:  # permission denied, a name too long, ...
        out.error(name, printable(display_path(path)), "unreadable", f"cannot be read: {exc.strerror or exc}")
    except UnicodeDecodeError:
        line, col = _first_bad_utf8(path)
        out.error(name, printable(display_path(path)), "encoding",
                  f"bytes that are not UTF-8 at line {line}, byte {col} of the line")
    except csv.Error as exc:
        out.error(name, printable(display_path(path)), "csv", f"cannot be read as CSV: {exc}")
    return None


def _read_table_file(name: str, path: Path, out: Problems) -> pd.DataFrame | None:
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pcsv

    shown = printable(display_path(path))
    if path.is_dir():
        out.error(name, shown, "missing_file", "the path is a folder, not a file")
        return None
    if not path.is_file():
        out.error(name, shown, "missing_file", "the file does not exist")
        return None
    if path.stat().st_size == 0:
        out.error(name, shown, "empty_file", "the file is empty")
        return None
    fields = schema(name).field_names
    header, cr_only = _header(path)
    if cr_only:
        out.error(name, shown, "line_ends", "the lines end with CR alone (an old Mac format)", row=1)
        return None
    if len(header) > MAX_COLUMNS:
        out.error(name, shown, "too_many_columns", f"the header has {len(header):,} columns", row=1)
        return None
    blank = _blank_lines(path)
    if blank > MAX_BLANK_LINES:  # reading them as rows would take memory out of all proportion to the file
        out.error(name, shown, "blank_row", f"{blank:,} blank lines: remove them (rows are not checked until then)")
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
                out.error(name, shown, "huge_cell", f"a cell of {lengths[r].as_py():,} characters", row=csv_row(r), field=c)
            return None
    frame = table.to_pandas(types_mapper={pa.string(): pd.StringDtype("pyarrow")}.get)
    blank = frame.isna().all(axis=1)  # a blank line (read, so that row numbers stay the file's)
    for r in blank[blank].index[:200]:
        out.error(name, shown, "blank_row", "a blank line where a row was expected", row=csv_row(r))
    return frame[~blank] if blank.any() else frame


def read_sources(documents: pd.DataFrame, folder: Path, label: str, out: Problems) -> dict[str, SourceText]:
    """document_id -> its source's lines. Each file is read once, however many documents share it."""
    from lcplan.text import SourceText

    found: dict[str, SourceText] = {}
    read: dict[Path, tuple[str, SourceText | None, str | None]] = {}  # path -> (sha256, lines, problem)
    for i, (doc, rel, sha) in enumerate(zip(documents["document_id"], documents["source_path"],
                                            documents["source_sha256"])):
        if pd.isna(doc) or pd.isna(rel):
            continue
        where = dict(row=csv_row(i), field="source_path", value=rel)
        try:

            path = safe_path(folder, rel, "source_path")
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
                codecs.decode(data, "utf-8")  # validates; the lines stay bytes (SourceText)
                lines = SourceText(data)
            except UnicodeDecodeError as exc:
                bad_line = data[:exc.start].count(b"\n") + 1
                column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
                problem = f"the source file is not UTF-8 at line {bad_line}, byte {column} of the line"
            if lines is not None and lines.max_line_chars() > MAX_SOURCE_LINE_CHARS:
                lines, problem = None, f"the source file has a line over {MAX_SOURCE_LINE_CHARS:,} characters"
            read[path] = (hashlib.sha256(data).hexdigest(), lines, problem)
            del data
        digest, lines, problem = read[path]
        if not pd.isna(sha) and digest != sha:
            out.error("documents", label, "source_checksum", "the source file's sha256 differs from source_sha256",
                      row=csv_row(i), field="source_sha256", value=sha)
        if problem:
            out.error("documents", label, "encoding" if "UTF-8" in problem else "huge_cell", problem, **where)
        elif lines is not None:
            found[doc] = lines  # shared, not copied, by the documents of one source
    return found
