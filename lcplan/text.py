"""How a plan's text is read: its line grammar, and a statement's text off its source lines.

**The line grammar**, one definition used by every reader and guesser (the reader of plan texts,
the hint guesser, the PDF reader): a *bullet* line starts, after any indent, with one of
:data:`BULLETS`, or a dash or asterisk and a space, or a plan's own marker (``[reader] bullets``);
a *numbered* line starts with a :func:`marker` (``1.``, ``1)``, ``1.1``, ``(a)``, ``a)``, ``iv.``);
a *heading* in Markdown starts with one to six ``#`` (:func:`markdown_heading`); a table row is
a Markdown pipe row (:func:`table_cells`, :func:`is_rule_row`). A PDF's bullet glyphs
(:data:`BULLET_GLYPHS`) are written as ``•`` when its text is extracted.

**The text of a statement:**

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


LINE_SCAN_PIECE = 1 << 18  # bytes of a source looked through at a time for its newlines


def _newlines(data: bytes):
    """(where a piece of ``data`` starts, a mask of its newlines) for each piece of
    :data:`LINE_SCAN_PIECE` bytes in turn: one buffer serves every piece (a mask of a whole
    source would be as large as the source, fresh memory each time one is read). Each mask is
    good until the next piece is asked for."""
    import numpy as np

    view = np.frombuffer(data, dtype=np.uint8)
    hits = np.empty(min(LINE_SCAN_PIECE, len(view)), dtype=bool)
    for at in range(0, len(view), LINE_SCAN_PIECE):
        piece = view[at:at + LINE_SCAN_PIECE]
        yield at, np.equal(piece, 10, out=hits[:len(piece)])


def count_lines(data: bytes) -> int:
    """The lines of a source, as :class:`SourceText` numbers them, counted without finding where
    each one starts."""
    if len(data) <= LINE_SCAN_PIECE:  # one piece: bytes.count is quicker than making the mask
        ends = data.count(b"\n")
    else:
        import numpy as np

        ends = sum(int(np.count_nonzero(hits)) for _, hits in _newlines(data))
    return ends + (bool(data) and not data.endswith(b"\n"))


def has_line_over(data: bytes, limit: int) -> bool:
    """Whether some line of ``data`` may have more than ``limit`` bytes (its newline not counted):
    such a line holds a whole stretch of ``limit // 2`` bytes, from a multiple of that, with no
    newline, and only those stretches are looked through. True means "look at the lines": a line
    of between ``limit // 2`` and ``limit`` bytes says so too; False is certain."""
    step = max(limit // 2, 1)
    return any(data.find(b"\n", at, at + step) < 0 for at in range(0, len(data) - step + 1, step))


class SourceText(Sequence[str]):
    """A source file's lines, numbered from 1 as ``lines[n - 1]`` like :func:`source_lines`,
    held as the file's bytes and where each line starts: no Python string per line. A line is
    decoded when asked for; :meth:`arrow` gives every line (with its newline) as one pyarrow
    array over the same bytes, for kernels that read all of them. ``data`` must be UTF-8."""

    def __init__(self, data: bytes):
        import numpy as np

        self.data = data
        starts = [np.flatnonzero(hits) + (at + 1) for at, hits in _newlines(data)]  # where each next line starts
        last = bool(data) and not data.endswith(b"\n")  # a last line with no newline
        # line k spans offsets[k]..offsets[k + 1]
        self.offsets = np.concatenate([np.zeros(1, dtype=np.int64), *starts] + ([np.array([len(data)])] if last else []))

    def __len__(self) -> int:
        return len(self.offsets) - 1

    @property
    def nbytes(self) -> int:
        return len(self.data)

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


def markdown_blocks(lines: Sequence[str]) -> list[str]:
    """Markdown lines (as the Word and web-page readers write them: items ``- `` and ``1. ``) with
    a blank line between blocks; the items of one list stay together (:func:`starts_item`)."""
    out: list[str] = []
    for line in lines:
        if out and not (starts_item(line) and starts_item(out[-1])):
            out.append("")
        out.append(line)
    return out


# ----------------------------------------------------------------------------- the line grammar

BULLETS = "•−▪◦●"  # a bullet whatever follows it
DASHES = "-–*"  # a bullet when a space follows
# glyphs a PDF prints as bullets (symbol fonts aside): the PDF reader writes each as "•"
BULLET_GLYPHS = frozenset("•●▪◦■□◆◇►▶➢➤✓✔–-*·○‣⁃")
_BULLET = re.compile(rf"^(?P<indent>\s*)(?:[{BULLETS}]|[{DASHES}](?=\s))\s*(?P<text>\S.*)$")


def bullet_pattern(extra: tuple[str, ...] = ()) -> re.Pattern[str]:
    """A bullet line (groups ``indent`` and ``text``): the usual markers, and a plan's own (a symbol
    font's glyph, given in ``[reader] bullets``; one that is a letter or a word must be followed by
    a space)."""
    if not extra:
        return _BULLET
    alts = "|".join(re.escape(b) + (r"(?=\s)" if b[-1:].isalnum() else "") for b in sorted(extra, key=len, reverse=True))
    return re.compile(rf"^(?P<indent>\s*)(?:[{BULLETS}]|[{DASHES}](?=\s)|" + alts + r")\s*(?P<text>\S.*)$")


def is_bullet(line: str, extra: tuple[str, ...] = ()) -> bool:
    """Whether the line is a bullet item (see :func:`bullet_pattern`)."""
    return bullet_pattern(extra).match(line) is not None


_NUMBER = re.compile(
    r"^\s*(?:\((?P<paren>[0-9]+|[a-z]|[ivxlc]+)\)"
    r"|(?P<dotted>[0-9]+(?:\.[0-9]+)+)\.?"
    r"|(?P<label>[0-9]+|[a-z]|[ivxlc]+)(?P<close>[.)]))\s+(?P<text>\S.*)$")
_ROMAN = re.compile(r"^(?:x{0,3})(?:ix|iv|v?i{0,3})$")


def marker(line: str) -> tuple[str, str, str, str] | None:
    """A numbered line's (style, label, closing mark, text), or None.

    ``1.`` and ``1)`` are decimal, ``1.1`` dotted, ``(a)``/``a)``/``a.`` alpha, ``iv.``/``(iv)``
    roman (a lone ``i``, ``v`` or ``x`` is read as a letter only after ``h``, ``u`` or ``w``).
    """
    m = _NUMBER.match(line)
    if not m:
        return None
    if m["dotted"]:
        return "dotted", m["dotted"], ".", m["text"]
    label = m["paren"] or m["label"]
    close = ")" if m["paren"] else m["close"]
    if label.isdigit():
        return "decimal", label, close, m["text"]
    if _ROMAN.match(label) and label:
        return "roman", label, close, m["text"]
    return "alpha", label, close, m["text"]


def starts_item(line: str, extra: tuple[str, ...] = ()) -> bool:
    """Whether a line starts a list item: a bullet or a numbered line."""
    return is_bullet(line, extra) or marker(line.strip()) is not None


_MD_HEADING = re.compile(r"^(?P<hashes>#{1,6})\s+(?P<text>\S.*?)\s*#*\s*$")


def markdown_heading(line: str) -> tuple[int, str] | None:
    """A Markdown heading's (level, text), the line stripped first; None if the line is not one."""
    m = _MD_HEADING.match(line.strip())
    return (len(m["hashes"]), m["text"]) if m else None


def table_cells(line: str) -> list[str] | None:
    """The cells of a Markdown pipe row (``| a | b |``), stripped; None if the line is not one."""
    s = line.strip()
    if len(s) < 2 or not (s.startswith("|") and s.endswith("|")):
        return None
    return [c.strip() for c in s[1:-1].split(" | ")] if s != "|" else None


_RULE_ROW = re.compile(r"^\|(?:\s*:?-{3,}:?\s*\|)+$")


def is_rule_row(line: str) -> bool:
    """The rule under a table's header (``|---|---|``)."""
    return bool(_RULE_ROW.match(line.strip()))


def column_keys(header: list[str] | None, width: int) -> list[str]:
    """How a table's columns are named in the hints and in ``fields``: the header as printed, or
    ``#N`` where it is blank, repeated or absent."""
    names = list(header or []) + [""] * (width - len(header or []))
    return [n if n and names.count(n) == 1 else f"#{k + 1}" for k, n in enumerate(names)]
