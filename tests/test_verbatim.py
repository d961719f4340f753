"""Every item's text is in its source at the lines it cites.

The check here is written independently of lcplan.text: the item's words must be a
contiguous run of the source's words on lines line_start..line_end, starting on the
first cited line and ending on the last.
"""

from __future__ import annotations

import pytest


def _words(lines, first_line_no):
    out = []
    for offset, line in enumerate(lines):
        for w in line.replace("**", "").split():
            out.append((w, first_line_no + offset))
    return out


def _found(words, target, start, end):
    n = len(target)
    for i in range(len(words) - n + 1):
        run = words[i:i + n]
        if [w for w, _ in run] == target:
            if run[0][1] == start and run[-1][1] == end:
                return True
    return False


def test_every_item_verbatim_at_its_lines(items, source_lines):
    bad = []
    for row in items.itertuples():
        lines = source_lines[row.document_id][row.line_start - 1:row.line_end]
        words = _words(lines, row.line_start)
        target = ((row.title + " ") if isinstance(row.title, str) else "").split() + row.text.split()
        if not _found(words, target, row.line_start, row.line_end):
            bad.append(row.item_id)
    assert bad == []


def test_texts_are_clean(items):
    assert not items["text"].str.contains(r"\*\*|\s{3,}|^\s|\s$", regex=True).any()
    assert not items["text"].str.match(r"^([•−-]|\d+[.)])\s").any()  # bullets and numbers removed


@pytest.mark.parametrize("column", ["line_start", "line_end"])
def test_lines_inside_source(items, source_lines, column):
    n_lines = items["document_id"].map({k: len(v) for k, v in source_lines.items()})
    assert (items[column] <= n_lines).all() and (items[column] >= 1).all()
