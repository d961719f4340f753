"""How a statement's text is read off its source lines.

One rule, used by the builder to write ``text`` and by the validator to check it:
strip each line, drop markdown emphasis (``**``), join wrapped lines with one space and
rejoin a word hyphenated across a wrap. Nothing else changes: quotes, dashes and inner
spacing stay as printed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_HYPHEN_WRAP = re.compile(r"[^\W\d_]-$")


def source_lines(data: bytes) -> list[str]:
    """The lines of a UTF-8 source file, numbered from 1 as ``lines[n - 1]``; no line ends kept."""
    lines = data.decode("utf-8").split("\n")
    return lines[:-1] if lines and lines[-1] == "" else lines


def join_lines(lines: Sequence[str]) -> str:
    """Join source lines the way a reader does: the text a statement has in the plan."""
    out = ""
    for raw in lines:
        line = raw.replace("**", "").strip()
        if not line:
            continue
        if not out:
            out = line
        elif _HYPHEN_WRAP.search(out) and line[:1].islower():
            out = out[:-1] + line  # "devel-" + "opment"
        else:
            out = f"{out} {line}"
    return out


def occurs_at(text: str, lines: Sequence[str]) -> bool:
    """True when ``text`` is read off exactly ``lines``: found in them, and needing the first and last.

    ``lines`` are the source lines ``line_start`` to ``line_end``, both included.
    """
    if not text or not lines or text not in join_lines(lines):
        return False
    if len(lines) == 1:
        return True
    return text not in join_lines(lines[1:]) and text not in join_lines(lines[:-1])


def statement_occurs(title: str | None, text: str, lines: Sequence[str]) -> bool:
    """An item's printed name (if any) followed by its text, read off exactly ``lines``."""
    return occurs_at(" ".join(part for part in (title, text) if part), lines)
