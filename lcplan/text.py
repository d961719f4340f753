"""How a statement's text is read off its source lines.

One rule, used by the reader to write ``text`` and by the validator to check it (its
stream of a source, :class:`lcplan.validate.kernels._Stream`, joins lines the same way):
strip each line, drop markdown emphasis (``**``), join wrapped lines with one space and
rejoin a word hyphenated across a wrap. Nothing else changes: quotes, dashes and inner
spacing stay as printed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

HYPHEN_WRAP = re.compile(r"[^\W\d_]-$")


def source_lines(data: bytes) -> list[str]:
    """The lines of a UTF-8 source file, numbered from 1 as ``lines[n - 1]``; no line ends kept."""
    lines = data.decode("utf-8").split("\n")
    return lines[:-1] if lines and lines[-1] == "" else lines


class SourceText(Sequence[str]):
    """A source file's lines, numbered from 1 as ``lines[n - 1]`` like :func:`source_lines`,
    held as the file's bytes and where each line starts: no Python string per line. A line is
    decoded when asked for; :meth:`arrow` gives every line (with its newline) as one pyarrow
    array over the same bytes, for kernels that read all of them. ``data`` must be UTF-8."""

    def __init__(self, data: bytes):
        import numpy as np

        self.data = data
        newlines = np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == 10)
        ends = newlines + 1
        if not data.endswith(b"\n"):
            ends = np.append(ends, len(data)) if data else ends
        self.offsets = np.concatenate(([0], ends)).astype(np.int64)  # line k spans offsets[k]..offsets[k + 1]

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def __getitem__(self, k):  # type: ignore[override]
        if isinstance(k, slice):
            return [self[i] for i in range(*k.indices(len(self)))]
        if k < 0:
            k += len(self)
        if not 0 <= k < len(self):
            raise IndexError(k)
        return self.data[self.offsets[k]:self.offsets[k + 1]].decode("utf-8").removesuffix("\n")

    def arrow(self):
        """Every line, newline included, as a pyarrow ``large_string`` array over the file's bytes."""
        import pyarrow as pa

        return pa.Array.from_buffers(pa.large_string(), len(self),
                                     [None, pa.py_buffer(self.offsets.tobytes()), pa.py_buffer(self.data)])

    def max_line_chars(self) -> int:
        """The length in characters of the longest line (its newline not counted)."""
        import pyarrow.compute as pc

        if not len(self):
            return 0
        lengths = pc.utf8_length(self.arrow()).to_numpy(zero_copy_only=False).astype("int64")
        lengths[: len(self) - 1] -= 1  # every line but the last ends with its newline
        if self.data.endswith(b"\n"):
            lengths[-1] -= 1
        return int(lengths.max())


def join_lines(lines: Sequence[str]) -> str:
    """Join source lines the way a reader does: the text a statement has in the plan."""
    out = ""
    for raw in lines:
        line = raw.replace("**", "").strip()
        if not line:
            continue
        if not out:
            out = line
        elif HYPHEN_WRAP.search(out) and line[:1].islower():
            out = out[:-1] + line  # "devel-" + "opment"
        else:
            out = f"{out} {line}"
    return out


_MD_ITEM = re.compile(r"\s*(?:- |\d+\. )")


def markdown_blocks(lines: Sequence[str]) -> list[str]:
    """Markdown lines with a blank line between blocks; the items of one list stay together
    (a line is a list item when it starts, after any indent, with ``- `` or ``1. ``)."""
    out: list[str] = []
    for line in lines:
        if out and not (_MD_ITEM.match(line) and _MD_ITEM.match(out[-1])):
            out.append("")
        out.append(line)
    return out
