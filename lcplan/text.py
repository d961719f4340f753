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
