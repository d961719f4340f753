"""Stage 2, the files: each table read with pyarrow as text (encoding, delimiter, header, shape
and size checked first), and each source read once, however many documents share it."""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
from collections.abc import Callable, Generator, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from lcplan.registry import schema
from lcplan.tableschema import csv_row
from lcplan.validate.problems import MAX_CELL_CHARS, MAX_COLUMNS, Problems, Unusable, display_path, printable
from lcplan.validate.scan import Scan, scan


MAX_SOURCE_BYTES = 200_000_000
MAX_SOURCE_LINE_CHARS = 1_000_000  # a source line longer than this is not a plan's line
BLOCK_SIZE = 1 << 24  # pyarrow's parse block: 16 MiB, larger than any cell we accept
# a table read in batches: pyarrow reads blocks ahead of the one handed over, so they are smaller
# (4 MiB: still ten of the largest cells a row may have), and are handed on about 16 MiB at a time
STREAM_BLOCK = 1 << 22
BATCH_BYTES = 1 << 24


def _inside(full: Path, root: Path, folders: dict[str, str] | None) -> bool:
    """Whether ``full``, its links followed (as ``Path.resolve``), lies in ``root``. With
    ``folders`` (a cache the caller keeps for many paths), each folder is resolved once: the file's
    own name is then followed only if it is a link (one lstat), as resolving the folder has
    followed the rest; done on strings, as pathlib's parsing would cost more than the lstat."""
    import os
    import stat

    if folders is None:
        return full.resolve().is_relative_to(root)
    parent, name = os.path.split(str(full))
    real = folders.get(parent)
    if real is None:
        real = folders[parent] = str(Path(parent).resolve())
    try:
        if stat.S_ISLNK(os.lstat(full).st_mode):
            return full.resolve().is_relative_to(root)
    except OSError:
        pass  # as resolve, which reads a name it cannot lstat as no link (the file is reported when read)
    top, path = str(root), os.path.join(real, name)
    return path == top or path.startswith(top if top.endswith(os.sep) else top + os.sep)


def safe_path(folder: Path, rel: Any, what: str, root: Path | None = None,
              folders: dict[str, str] | None = None) -> Path:
    """A path from the descriptor, refused unless it is a relative path inside ``folder``
    (``root``: the folder with its links followed, where the caller has it for many paths;
    ``folders``: a cache of folders resolved, kept by a caller that checks many paths)."""
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
        root = folder.resolve() if root is None else root
        inside = _inside(full, root, folders)
    except RuntimeError:  # a loop of links
        raise Unusable(f"{what}: refused the path {rel!r}: its links form a loop") from None
    except OSError as exc:
        raise Unusable(f"{what}: refused the path {rel!r}: {exc.strerror or exc}") from None
    if not inside:
        raise Unusable(f"{what}: refused the path {rel!r}: a link leads outside the package folder")
    return full


MAX_BLANK_LINES = 100_000


def _blank_lines(path: Path) -> tuple[int, int]:
    """How many lines of the file are empty, and how many lines it has, streaming (CRLF or LF)."""
    import numpy as np

    count, lines, last = 0, 0, 10
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 22):
            if b"\r" in chunk:
                chunk = chunk.replace(b"\r\n", b"\n")  # (a CR at a chunk's end before its LF is rare and harmless)
            if b"\n\n" in chunk:  # blank lines in the chunk: count every pair (a run of three is two)
                newline = np.frombuffer(chunk, dtype=np.uint8) == 10
                count += int((newline[1:] & newline[:-1]).sum())
            count += int(last == 10 and chunk[0] == 10)
            lines += chunk.count(b"\n")
            last = chunk[-1]
    return count, lines + int(last != 10)


def _first_bad_utf8(path: Path) -> tuple[int, int] | None:
    """(line, byte in the line) of the first bytes that are not UTF-8, streaming; None if there are none."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset = 0
    with open(path, "rb") as fh:
        while True:
            chunk = fh.read(1 << 20)
            try:
                decoder.decode(chunk, final=not chunk)
                if not chunk:
                    return None
            except UnicodeDecodeError as exc:
                bad = offset + exc.start
                with open(path, "rb") as again:
                    head = again.read(bad)
                line = head.count(b"\n") + 1
                line_start = head.rfind(b"\n") + 1
                return line, bad - line_start + 1
            offset += len(chunk)


def _header(path: Path) -> tuple[list[str], bool]:
    """The header's cells, and whether the file's line ends are CR only."""
    with open(path, "rb") as fh:
        head = fh.read(1 << 20)
    cr_only = b"\r" in head and b"\n" not in head
    text = head.decode("utf-8-sig", errors="replace")
    first = text.split("\n", 1)[0].split("\r", 1)[0]
    csv.field_size_limit(1 << 30)
    return next(csv.reader(io.StringIO(first)), []), cr_only


def read_table(name: str, path: Path, out: Problems, batch: Callable[[pd.DataFrame], None] | None = None,
               held: Sequence[str] | None = None) -> pd.DataFrame | None:
    """A table's file as strings (missing as NA), or None after reporting why it cannot be read.

    Given ``batch``, the file is read in batches of rows, each handed to ``batch`` as a frame of
    every field (its index the rows' positions in the table, as in the whole table), and only the
    ``held`` fields are kept: the memory of reading follows the held fields and one batch, not the
    file. If the file turns out not to be readable after some batches were handed over, None is
    returned as for a whole read (the caller drops what the batches found)."""
    shown = printable(display_path(path))
    try:
        return _read_table_file(name, path, out, batch, held)
    except OSError as exc:  # permission denied, a name too long, ...
        out.error(name, shown, "unreadable", f"cannot be read: {_why(exc)}")
    except UnicodeDecodeError:
        _report_encoding(name, shown, path, len(schema(name).field_names), out)
    except csv.Error as exc:
        out.error(name, shown, "csv", f"cannot be read as CSV: {exc}")
    return None


def _why(exc: OSError) -> str:
    """An OS error in words a steward can act on."""
    import errno

    if exc.errno == errno.ENAMETOOLONG:
        return ("its name is longer than the file system allows (a folder or file name over 255 bytes, or the "
                "whole path over 4,096): shorten the resource's path in datapackage.json")
    if exc.errno in (errno.EACCES, errno.EPERM):
        return f"{exc.strerror} (the file, or a folder on its path, is not readable by this user)"
    return str(exc.strerror or exc)


def _scan(path: Path, width: int) -> Scan:
    return scan(path, width, MAX_CELL_CHARS)


def _report_scan(name: str, shown: str, header: list[str], found: Scan, out: Problems) -> None:
    """What a scan found wrong with the file's shape, each at its row (the first ones; then a count)."""
    width = len(header)
    if found.broken is not None:
        row, first, last, what = found.broken
        if "end of data" in what:
            out.error(name, shown, "unclosed_quote", f"a quote opens a cell in this row (line {first:,}) and is never "
                      f"closed: the rest of the file, to line {last:,}, would be one cell", row=row)
        else:
            out.error(name, shown, "csv", f"not CSV from this row (line {first:,}): {what}", row=row)
    for row in found.blank:
        out.error(name, shown, "blank_row", "a blank line where a row was expected", row=row)
    if found.n_blank > len(found.blank):
        out.error(name, shown, "blank_row", f"{found.n_blank - len(found.blank):,} more blank lines (the first "
                  f"{len(found.blank)} are listed)", row=found.blank[-1])
    for row, cells in found.ragged:
        out.error(name, shown, "ragged_row", f"{cells} cells where the header has {width}", row=row)
    if found.n_ragged > len(found.ragged):
        out.error(name, shown, "ragged_row", f"{found.n_ragged - len(found.ragged):,} more rows of the wrong width "
                  f"(the first {len(found.ragged)} are listed)", row=found.ragged[-1][0])
    for row, column, chars in found.big:
        out.error(name, shown, "huge_cell", f"a cell of {chars:,} characters", row=row,
                  field=header[column] if column < width else f"column {column + 1}")
    if found.n_big > len(found.big):
        out.error(name, shown, "huge_cell", f"{found.n_big - len(found.big):,} more rows with a huge cell (the "
                  f"first {len(found.big)} are listed)", row=found.big[-1][0])


def _report_encoding(name: str, shown: str, path: Path, width: int, out: Problems) -> bool:
    """Bytes that are not UTF-8, at their row and line; and what else is wrong with the file's
    shape, read with those bytes replaced (a bad byte hides nothing else). False if every byte
    is UTF-8 and the scan found nothing wrong."""
    bad = _first_bad_utf8(path)
    header, _ = _header(path)
    found = _scan(path, len(header) or width)
    before = len(out.items)
    if bad is not None:
        line, col = bad
        out.error(name, shown, "encoding", f"bytes that are not UTF-8 at line {line:,}, byte {col:,} of the line",
                  row=found.row_of(line))
    _report_scan(name, shown, header, found, out)
    return len(out.items) > before


def _checked_header(name: str, path: Path, shown: str, out: Problems, count: bool = True) \
        -> tuple[list[str], int | None] | None:
    """The header and the file's line count, once the file, its header and its lines are fit to be
    read as rows; None after reporting why not. Without ``count`` the lines are not counted (a
    file read in batches counts its blank rows as it is read: see :func:`_read_table_file`)."""
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
        unknown = [c for c in header if c not in fields]
        missing = [c for c in fields if c not in header]
        out.error(name, shown, "too_many_columns", f"the header has {len(header):,} columns, {len(unknown):,} of "
                  f"them not fields of {name}: {', '.join(repr(c) for c in unknown[:10])}"
                  + (f" and {len(unknown) - 10:,} more" if len(unknown) > 10 else "")
                  + (f"; missing: {', '.join(missing)}" if missing else ""), row=1,
                  field=unknown[0] if unknown else None)
        return None
    # a column that is not a field is not read as rows: a line break in it is found only by counting
    blank, lines = _blank_lines(path) if count or set(header) - set(fields) else (0, None)
    if blank > MAX_BLANK_LINES:  # reading them as rows would take memory out of all proportion to the file
        _too_many_blank_lines(name, path, shown, header, blank, out)
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
    return header, lines


def _has_newline(strings: Any) -> bool:
    """Whether a cell of a pyarrow string column holds a line feed: looked for in the bytes its
    cells take in their data buffers, :data:`NEWLINE_PIECE` bytes at a time into one buffer (numpy,
    not one search a cell), stopping at the first."""
    from lcplan.validate.kernels import cell_bytes

    parts = cell_bytes(strings)  # (not every cell's offsets, nor a mask of its nulls: each batch, every column)
    # (one buffer, not a fresh array of a column's size each batch: fresh pages cost more than the compare)
    hits = np.empty(min(NEWLINE_PIECE, max((end - begin for begin, end, _ in parts), default=0)), dtype=bool)
    for begin, end, data in parts:
        for at in range(begin, end, NEWLINE_PIECE):
            piece = data[at:min(at + NEWLINE_PIECE, end)]
            if np.equal(piece, 10, out=hits[:len(piece)]).any():
                return True
    return False


NEWLINE_PIECE = 1 << 18


def _too_many_blank_lines(name: str, path: Path, shown: str, header: list[str], blank: int, out: Problems,
                          first: int | None = None) -> None:
    """The file refused for its blank lines (or, read in batches, rows with every cell empty),
    at the first the scan finds (else at ``first``, a CSV row)."""
    found = _scan(path, len(header))
    out.error(name, shown, "blank_row", f"{blank:,} blank lines, the first at this row: remove them (the "
              "rows are not checked until then)", row=found.blank[0] if found.blank else first)


def _csv_options(header: list[str], fields: Sequence[str], block: int = 0) -> dict[str, Any]:
    """pyarrow's CSV options: every cell text, an empty cell missing, cells may hold line breaks,
    blank lines kept as rows (so that rows keep the file's numbers). The text is read as
    ``large_string``, as pandas holds it: read as ``string``, each column of each batch would be
    converted again, its offsets copied to 64 bits."""
    import pyarrow as pa
    import pyarrow.csv as pcsv

    return dict(read_options=pcsv.ReadOptions(block_size=block or BLOCK_SIZE),
                parse_options=pcsv.ParseOptions(newlines_in_values=True, ignore_empty_lines=False),
                convert_options=pcsv.ConvertOptions(
                    column_types={c: pa.large_string() for c in header}, include_columns=list(fields),
                    null_values=[""], strings_can_be_null=True, quoted_strings_can_be_null=True))


def _open(path: Path) -> Any:
    """The path for pyarrow, or the open file where the name is not UTF-8 (pyarrow takes that instead)."""
    try:
        str(path).encode("utf-8")
        return path
    except UnicodeEncodeError:
        return open(path, "rb")


def _as_frame(table: Any, positions: Any = None) -> pd.DataFrame:
    """A pyarrow table of strings as a frame (the index: the rows' positions in the table, given)."""
    import pyarrow as pa

    text = pd.StringDtype("pyarrow")
    frame = table.to_pandas(types_mapper={pa.string(): text, pa.large_string(): text}.get)
    if positions is not None and not (len(positions) and positions[0] == 0 and positions[-1] == len(positions) - 1):
        frame.index = pd.Index(positions)
    return frame


def _no_rows(fields: Sequence[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.array([], dtype=pd.StringDtype("pyarrow")) for c in fields})


def _filled(table: Any) -> np.ndarray:
    """Which rows of a pyarrow table have a cell that is not empty (a blank line has none)."""
    filled = np.zeros(table.num_rows, dtype=bool)
    for column in table.columns:
        filled |= np.asarray(column.is_valid().to_numpy(zero_copy_only=False), dtype=bool)
    return filled


def _read_table_file(name: str, path: Path, out: Problems, batch: Callable[[pd.DataFrame], None] | None,
                     held: Sequence[str] | None) -> pd.DataFrame | None:
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pcsv

    shown = printable(display_path(path))
    checked = _checked_header(name, path, shown, out, count=batch is None)
    if checked is None:
        return None
    header, lines = checked
    # read in batches, the file's lines are not counted first: its blank rows are counted as they
    # are read (past MAX_BLANK_LINES, no more batches are handed over and the file is refused as a
    # whole read refuses it), and a cell holding a line break is looked for in the cells
    n_blank, breaks = 0, False
    fields = schema(name).field_names
    keep = list(fields) if batch is None or held is None else [c for c in fields if c in held]
    block = BLOCK_SIZE if batch is None else STREAM_BLOCK
    source = _open(path)
    rows, parts, positions, blank_rows = 0, [], [], []
    try:
        def tables() -> Any:  # the whole table at once, or batches of about BATCH_BYTES
            if batch is None:
                yield pcsv.read_csv(source, **_csv_options(header, fields, block))
                return
            pending, size = [], 0
            for record_batch in pcsv.open_csv(source, **_csv_options(header, fields, block)):
                pending.append(record_batch)
                size += record_batch.nbytes
                if size >= BATCH_BYTES:
                    yield pa.Table.from_batches(pending)
                    pending, size = [], 0
            if pending:
                yield pa.Table.from_batches(pending)

        batches = tables() if batch is None else _ahead(tables())
        while True:
            try:
                table = next(batches)
            except StopIteration:
                break
            except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
                return _unreadable(name, shown, path, header, str(exc), rows, out, fields, block)
            for c in fields:
                if (pc.max(pc.binary_length(table.column(c))).as_py() or 0) <= MAX_CELL_CHARS:
                    continue  # no more characters than bytes
                lengths = pc.utf8_length(table.column(c))
                if (pc.max(lengths).as_py() or 0) > MAX_CELL_CHARS:
                    big = pc.indices_nonzero(pc.greater(pc.fill_null(lengths, 0), MAX_CELL_CHARS)).to_pylist()
                    for r in big[:20]:
                        out.error(name, shown, "huge_cell", f"a cell of {lengths[r].as_py():,} characters",
                                  row=csv_row(rows + r), field=c)
                    return None
            filled = _filled(table)  # a blank line is read as a row, so that rows keep the file's numbers
            at = rows + np.flatnonzero(filled)
            if not filled.all():
                blank = rows + np.flatnonzero(~filled)
                blank_rows.extend(blank[:max(0, 200 - len(blank_rows))].tolist())
                n_blank += len(blank)
                table = table.filter(pa.array(filled))
            rows += len(filled)
            if lines is None and not breaks:
                breaks = any(_has_newline(table.column(c)) for c in fields)
            if lines is None and n_blank > MAX_BLANK_LINES:  # (a whole read counted them before reading)
                parts, positions = [], []
                continue
            if batch is not None:
                batch(_as_frame(table, at))
                table = table.select(keep)
            parts.append(table)
            positions.append(at)
            del table
    finally:
        if batch is not None:
            batches.close()  # the batch being read ahead is dropped, its thread gone, before the file closes
        if source is not path:
            source.close()
    if lines is None and n_blank > MAX_BLANK_LINES:
        _too_many_blank_lines(name, path, shown, header, n_blank, out, first=csv_row(blank_rows[0]))
        return None
    if rows == 0:
        out.warning(name, shown, "no_rows", "the table has no rows")
    if (breaks if lines is None else lines > rows + 1):  # a cell holds a line break (or a quote swallowed lines): rows are not lines
        found = _scan(path, len(header))
        if found.broken is not None:
            _report_scan(name, shown, header, found, out)
            return None
        out.lines[shown] = found
    for r in blank_rows:
        out.error(name, shown, "blank_row", "a blank line where a row was expected", row=csv_row(r))
    if not parts:
        return _no_rows(keep)
    return _as_frame(pa.concat_tables(parts) if len(parts) > 1 else parts[0], np.concatenate(positions))


def _ahead(items: Iterator[Any]) -> Generator[Any, None, None]:
    """``items`` in order, the next one made in a thread of its own while this one is used
    (pyarrow parses a CSV block without the GIL, so the next batch is read while this one is
    checked): one item ahead, no more, as the thread makes an item only once the one before has
    been taken. What making one raised is raised where it is asked for; closing this generator
    stops the thread before it returns."""
    import queue
    import threading

    ready: queue.SimpleQueue = queue.SimpleQueue()
    turn = threading.Semaphore(1)  # the thread's turn to make the next item
    stop = threading.Event()

    def make() -> None:
        try:
            it = iter(items)
            while True:
                while not turn.acquire(timeout=0.05):
                    if stop.is_set():
                        return
                if stop.is_set():
                    return
                item = next(it, ready)  # (the queue itself marks the end)
                if item is ready:
                    ready.put((None, None, True))
                    return
                ready.put((item, None, False))
                del item
        except BaseException as exc:  # noqa: BLE001 - raised again in the reading thread
            ready.put((None, exc, True))

    thread = threading.Thread(target=make, daemon=True)
    thread.start()
    try:
        while True:
            item, exc, done = ready.get()
            if exc is not None:
                try:
                    raise exc
                finally:  # (its traceback holds the reader's frames: not kept alive by this one)
                    exc = None
            if done:
                return
            turn.release()
            yield item
            del item
    finally:
        stop.set()
        turn.release()
        thread.join()


def read_rows(name: str, path: Path, keep: Callable[[pd.DataFrame], Any], fields: Sequence[str] | None = None,
              until: int | None = None) -> pd.DataFrame:
    """The rows of a table, read before and found readable, that ``keep`` picks from each batch
    (a boolean array over the batch's rows), with every field (or ``fields`` only: a row none of
    them fills is not read); the index their positions in the table. Given ``until`` (a
    position), the file is read no further than the batch that holds it."""
    import pyarrow as pa
    import pyarrow.csv as pcsv

    fields = list(fields) if fields is not None else schema(name).field_names
    header, _ = _header(path)
    source, rows, parts = _open(path), 0, []
    try:
        for record_batch in pcsv.open_csv(source, **_csv_options(header, fields, STREAM_BLOCK)):
            table = pa.Table.from_batches([record_batch])
            filled = _filled(table)
            frame = _as_frame(table.filter(pa.array(filled)), rows + np.flatnonzero(filled))
            rows += table.num_rows
            parts.append(frame[keep(frame)])
            if until is not None and rows > until:
                break
    finally:
        if source is not path:
            source.close()
    if not parts:
        return _no_rows(fields)
    return pd.concat(parts) if len(parts) > 1 else parts[0]


def _unreadable(name: str, shown: str, path: Path, header: list[str], msg: str, rows: int, out: Problems,
                fields: Sequence[str], block: int) -> pd.DataFrame | None:
    """What to say when pyarrow cannot read the file (from ``rows`` on): its bytes, then its shape."""
    if "Empty CSV file" in msg and not rows:  # a header and nothing else, with no final newline
        out.warning(name, shown, "no_rows", "the table has no rows")
        return _no_rows(fields)
    if not _report_encoding(name, shown, path, len(header), out):  # nothing found: say what the reader said
        out.error(name, shown, "huge_cell" if "straddling" in msg else "csv",
                  f"a row is larger than {block:,} bytes" if "straddling" in msg
                  else f"cannot be read as CSV: {msg.splitlines()[0]}")
    return None


class SourceFile(Sequence):
    """A source checked once (sha256, UTF-8, line lengths) and read again when a check needs its
    lines: only the source last read is held (and what a check holding it keeps), so the memory
    of validation does not grow with the sources of the package. Behaves as its
    :class:`~lcplan.text.SourceText` (``len``, lines from 0, ``data``, ``arrow()``)."""

    _held: tuple[Path, Any] | None = None  # the one source held, shared by every SourceFile

    def __init__(self, path: Path, n_lines: int, stamp: tuple[int, int]):
        self.path, self.n_lines, self.stamp = path, n_lines, stamp  # stamp: size and time when it was checked

    def text(self) -> Any:
        held = SourceFile._held
        if held is None or held[0] != self.path:
            SourceFile._held = held = (self.path, self.unheld())
        return held[1]

    def unheld(self) -> Any:
        """The source read again (as it was checked), and not held."""
        from lcplan.text import SourceText

        got = _read_regular(self.path)
        if isinstance(got, str) or (len(got[0]), got[1]) != self.stamp:  # changed since it was checked
            raise Unusable(f"{printable(display_path(self.path))}: the source changed while it was validated")
        return SourceText(got[0])

    @staticmethod
    def release() -> None:
        """Let go of the source held (validation calls it when it ends)."""
        SourceFile._held = None

    def __len__(self) -> int:
        return self.n_lines

    @property
    def nbytes(self) -> int:
        return self.stamp[0]  # the size it had when it was checked (read again, it must have it still)

    def __getitem__(self, k):  # type: ignore[override]
        return self.text()[k]

    @property
    def data(self) -> bytes:
        return self.text().data

    @property
    def offsets(self) -> Any:
        return self.text().offsets

    def arrow(self) -> Any:
        return self.text().arrow()


SMALL_SOURCE_BYTES = 1 << 16  # a source this small is checked by plain Python calls, quicker than arrays for it


def _utf8(data: bytes) -> None:
    """Raise UnicodeDecodeError (with where) unless ``data`` is UTF-8: checked by pyarrow, which
    is quicker than decoding; Python's decoder says where the first bad bytes are."""
    if len(data) <= SMALL_SOURCE_BYTES:  # decoded outright: building the arrays would cost more
        codecs.decode(data, "utf-8")
        return
    import pyarrow as pa

    bounds = pa.py_buffer(np.array([0, len(data)], dtype=np.int64).tobytes())
    try:
        pa.Array.from_buffers(pa.large_string(), 1, [None, bounds, pa.py_buffer(data)]).validate(full=True)
    except pa.ArrowInvalid:
        codecs.decode(data, "utf-8")


def _read_regular(path: Path, limit: int = MAX_SOURCE_BYTES, known: Any = None) -> tuple[bytes, int] | str:
    """A regular file's bytes and its mtime (ns), read with one stat, one open and one fstat (a
    package of many small sources pays these per file); or ``"missing"`` (not there, or not a
    regular file: a folder, a pipe, a socket or a device is not a source, and is never opened) or
    ``"too_large"`` (over ``limit`` bytes). OSError where it cannot be read. ``known``: the name's
    stat, where the caller has it (:func:`read_sources` stats each source once)."""
    import os
    import stat

    try:  # its kind first, from the name: a device is not opened, a socket or a locked folder cannot be
        if not stat.S_ISREG((known or os.stat(path)).st_mode):
            return "missing"
        # (no wait on a pipe put in its place since: O_NONBLOCK, and fstat says what was opened)
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except (FileNotFoundError, NotADirectoryError):
        return "missing"
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            return "missing"
        if st.st_size > limit:
            return "too_large"
        with open(fd, "rb", closefd=False) as fh:
            return fh.read(), st.st_mtime_ns
    finally:
        os.close(fd)


def _check_source(path: Path, known: Any = None) -> tuple:
    """Read one source file and check it: ``("read", sha256, SourceFile or None, problem or None)``,
    or why it was not read: ``("missing",)``, ``("too_large",)``, ``("unreadable", OSError)``.
    ``known``: its stat, where the caller has it."""
    from lcplan.text import SourceText, count_lines, has_line_over

    try:
        got = _read_regular(path, known=known)
    except OSError as exc:
        return ("unreadable", exc)
    if isinstance(got, str):
        return (got,)
    data, mtime = got
    stamp = (len(data), mtime)
    n_lines, problem = None, None
    try:
        _utf8(data)  # the lines stay bytes (SourceText), counted here, found when a check reads them
        n_lines = count_lines(data)
    except UnicodeDecodeError as exc:
        bad_line = data[:exc.start].count(b"\n") + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        problem = f"the source file is not UTF-8 at line {bad_line}, byte {column} of the line"
    # a line's bytes are no fewer than its characters: only a source with a line that long is measured
    longest = SourceText(data).max_line_chars() if n_lines is not None and has_line_over(data, MAX_SOURCE_LINE_CHARS) \
        else 0
    if longest > MAX_SOURCE_LINE_CHARS:
        n_lines, problem = None, (f"the source file has a line of {longest:,} characters, over the "
                                  f"{MAX_SOURCE_LINE_CHARS:,} a plan's line may have")
    digest = hashlib.sha256(data).hexdigest()
    # held again only while a check reads it
    return ("read", digest, SourceFile(path, n_lines, stamp) if n_lines is not None else None, problem)


SOURCE_READERS = 2  # sources read and checked at once (hashing, UTF-8 and line ends run outside the GIL)
POOLED_SOURCE_BYTES = 1 << 20  # a smaller source is checked on the main thread


def _stat(path: Path) -> Any:
    """A file's stat, None where it cannot be had (reading it says why)."""
    import os

    try:
        return os.stat(path)
    except OSError:
        return None


def file_size(path: Path) -> int:
    """A file's size in bytes, 0 where it cannot be known (reading it says why)."""
    st = _stat(path)
    return st.st_size if st is not None else 0


def read_sources(documents: pd.DataFrame, folder: Path, label: str, out: Problems,
                 unchecked: dict[str, str] | None = None) -> dict[str, SourceFile]:
    """document_id -> its source's lines. Each file is read once, however many documents share it,
    :data:`SOURCE_READERS` at a time; what is found is reported in the documents' order.
    ``unchecked`` (given) gets document_id -> why, for a source in the package that cannot be read as a
    plan's lines (not UTF-8, or a line too long to be a plan's): its items are then reported, not passed."""
    from concurrent.futures import ThreadPoolExecutor

    rows = []  # (row, document_id, path or the reason it is refused, sha256 given)
    try:  # the package folder with its links followed, once for every source (not once a source)
        root = folder.resolve()
    except (OSError, RuntimeError):
        root = None  # safe_path says why, for each source
    folders: dict[str, str] = {}  # and each sources folder once
    for i, (doc, rel, sha) in enumerate(zip(documents["document_id"], documents["source_path"],
                                            documents["source_sha256"])):
        if pd.isna(doc) or pd.isna(rel):
            continue
        try:
            rows.append((i, doc, rel, safe_path(folder, rel, "source_path", root, folders), sha))
        except Unusable as exc:
            rows.append((i, doc, rel, exc, sha))
    paths = list(dict.fromkeys(p for *_, p, _ in rows if isinstance(p, Path)))
    # a large source is read and checked in the pool (hashing, UTF-8 and line ends let go of the GIL);
    # small ones here, meanwhile: for them the threads would mostly hand the GIL to each other
    stats = {p: _stat(p) for p in paths}  # once a source: its size here, its kind when it is read
    large = [p for p in paths if stats[p] is not None and stats[p].st_size >= POOLED_SOURCE_BYTES]
    in_pool = set(large)
    with ThreadPoolExecutor(SOURCE_READERS) as pool:
        pooled = pool.map(_check_source, large, [stats[p] for p in large])
        checked = {p: _check_source(p, stats[p]) for p in paths if p not in in_pool}
        checked.update(zip(large, pooled))
    found: dict[str, SourceFile] = {}
    for i, doc, rel, path, sha in rows:
        where = dict(row=csv_row(i), field="source_path", value=rel)
        if isinstance(path, Unusable):
            out.error("documents", label, "unsafe_path", str(path), **where)
            continue
        result = checked[path]
        if result[0] == "missing":
            out.warning("documents", label, "missing_file",
                        "the source file is not in the package; its items' text is not checked against it", **where)
        elif result[0] == "too_large":
            out.error("documents", label, "huge_cell", f"the source file is larger than {MAX_SOURCE_BYTES:,} bytes",
                      **where)
        elif result[0] == "unreadable":
            out.error("documents", label, "unreadable", f"the source file cannot be read: {result[1].strerror or result[1]}",
                      **where)
        if result[0] != "read":
            continue
        _, digest, lines, problem = result
        if not pd.isna(sha) and digest != sha:
            out.error("documents", label, "source_checksum", "the source file's sha256 differs from source_sha256",
                      row=csv_row(i), field="source_sha256", value=sha)
        if problem:
            out.error("documents", label, "encoding" if "UTF-8" in problem else "huge_cell", problem, **where,
                      hint=None if "UTF-8" in problem else "Keep the source's lines as the plan prints them: break "
                      "the line where the plan's lines end (its items cite lines).")
            if unchecked is not None:
                unchecked[doc] = problem
        elif lines is not None:
            found[doc] = lines  # shared, not copied, by the documents of one source
    return found
