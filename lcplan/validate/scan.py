"""One streaming pass over a table's CSV file with the standard library's reader, for what the
fast reader (pyarrow) cannot say: on which row, and on which line of the file, a problem is.

A row is a record as the reports count them (the header is row 1); a line is a line of the
file. They differ after a cell that holds a line break, so the GitHub annotations, which point
at lines, take them from :meth:`Scan.line_of`. Bytes that are not UTF-8 are replaced while
scanning, so that a bad byte does not hide the rows around it (the encoding check reports it,
at its row: :meth:`Scan.row_of`). Memory stays bounded: the first ``limit`` problems of each
kind are kept with their rows, the rest counted, and the row-to-line map holds only the rows
where the two stop moving together.
"""

from __future__ import annotations

import bisect
import csv
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["Scan", "scan"]


@dataclass
class Scan:
    rows: int = 0  # records after the header
    ragged: list[tuple[int, int]] = field(default_factory=list)  # (row, cells) of rows of the wrong width
    n_ragged: int = 0
    blank: list[int] = field(default_factory=list)  # rows that are blank lines
    n_blank: int = 0
    big: list[tuple[int, int, int]] = field(default_factory=list)  # (row, column index, characters)
    n_big: int = 0
    # where the file stops being CSV: (row, first line of the row, last line read, what the reader said)
    broken: tuple[int, int, int, str] | None = None
    # (row, line) wherever a row's first line stops being its row number (after a cell with a line break)
    _shifts: list[tuple[int, int]] = field(default_factory=lambda: [(1, 1)])

    def line_of(self, row: int) -> int:
        """The line of the file that ``row`` starts on."""
        at_row, at_line = self._shifts[bisect.bisect_right(self._shifts, (row, float("inf"))) - 1]
        return at_line + (row - at_row)

    def row_of(self, line: int) -> int:
        """The row that holds ``line`` of the file (the row it belongs to when a cell spans lines)."""
        k = bisect.bisect_right([ln for _, ln in self._shifts], line) - 1
        at_row, at_line = self._shifts[k]
        following = self._shifts[k + 1] if k + 1 < len(self._shifts) else None
        row = at_row + (line - at_line)
        if following is not None and row >= following[0]:  # inside the cell that spans lines
            return following[0] - 1
        return row


def scan(path: Path, width: int, max_cell: int, limit: int = 20) -> Scan:
    """Scan ``path`` (a table of ``width`` columns; cells over ``max_cell`` characters are big)."""
    out = Scan()
    csv.field_size_limit(1 << 30)
    previous_end = 0  # the last line of the previous record
    row = 0
    with open(path, encoding="utf-8-sig", errors="replace", newline="") as fh:
        reader = csv.reader(fh, strict=True)
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                out.broken = (row + 1, previous_end + 1, reader.line_num, str(exc))
                break
            row += 1
            start = previous_end + 1
            previous_end = reader.line_num
            if out._shifts[-1][1] - out._shifts[-1][0] != start - row:
                out._shifts.append((row, start))
            if row == 1:
                continue
            if not cells:
                out.n_blank += 1
                if len(out.blank) < limit:
                    out.blank.append(row)
                continue
            if len(cells) != width:
                out.n_ragged += 1
                if len(out.ragged) < limit:
                    out.ragged.append((row, len(cells)))
            longest = max(range(len(cells)), key=lambda i: len(cells[i]))
            if len(cells[longest]) > max_cell:
                out.n_big += 1
                if len(out.big) < limit:
                    out.big.append((row, longest, len(cells[longest])))
    out.rows = max(row - 1, 0)
    return out
