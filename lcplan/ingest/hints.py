"""Guess the hints of a plan's text: from the layout where the format has one (furniture with
its reason, headings by type, tables, notes), otherwise from the text (wrapping, headings and
levels, furniture, titled statements, a symbol font's bullets). Each guess is a
:class:`~lcplan.ingest.model.Note`. Functions of the lines alone: no document, source or package file is
read or written."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from lcplan.ingest.kinds import KindGuesser
from lcplan.ingest.model import Layout, Note
from lcplan.plans import Furniture, Heading, Hints, Kind, Table, Titled
from lcplan.text import BULLET_GLYPHS, BULLETS, DASHES, column_keys, is_bullet, is_rule_row, join_lines, markdown_heading, marker, table_cells

__all__ = ["guess_hints"]

_TERMINAL = re.compile(r"[.,;:!?]['’\"”)]?$")
_SMALL = {"and", "or", "of", "the", "a", "an", "in", "on", "for", "to", "with", "by", "at", "from", "our", "its",
          "&", "vs", "into", "per"}
_PAGE_NUMBER = re.compile(r"^(?:page\s*)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?$", re.I)
_RULE_LINE = re.compile(r"^[-_*=·.]{3,}$")
_FOOTER_PAGE = re.compile(r"(?:^|[·|•–—-]\s*)page\s+\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?\s*$", re.I)
_TOP_LEVEL = re.compile(r"^(?:appendix|annex|part|chapter|schedule)\b", re.I)
# Committee and contact furniture: proposed for review, by the start of the line
_COMMITTEE = re.compile(
    r"^(?:contact officer|contact|telephone|tel|e-?mail|report by|item no|date|agenda item|summary|"
    r"recommendations?|financial implications|legal implications|equalit(?:y|ies) implications|"
    r"background papers|appendices|signed|for decision|for information|wards? affected)\b(?:[\s:]|$)", re.I)
_CONTACT_HEADING = re.compile(r"^(?:contact|contacts|contact us|contact details|further information):?$", re.I)
_CONTACT_LINE = re.compile(r"^(?:[\w.+-]+@[\w-]+(?:\.[\w-]+)+|(?:https?://|www\.)\S+|\+?[0-9][0-9 ()-]{7,}[0-9])\.?$")


def _titleish(s: str) -> bool:
    """Title Case ("Health and Adult Care"), or a short line in sentence case ("Our priorities")."""
    if re.fullmatch(r"\(?[0-9]{4}(?:\s*[-–/]\s*[0-9]{2,4})?\)?", s):
        return True  # a year or a span of years under a title
    words = re.findall(r"[^\W\d_][\w’'-]*", s)
    big = [w for w in words if w.lower() not in _SMALL]
    if not words or not (s[:1].isupper() or s[:1].isdigit()):
        return False
    if len(s.split()) <= 4 and s[:1].isupper():
        return True
    return bool(big) and sum(w[:1].isupper() for w in big) / len(big) >= 0.6


def _runs_on(lines: list[str], i: int) -> bool:
    """Whether line ``i`` reads as the end of a statement wrapped from the line above rather than a
    heading: that line stops on a small word ("... for", "... and the"), or, inside a numbered or
    bulleted statement, on a capitalised word that this line's one or two words continue
    ("4. Complete the review of the Town Centre" / "Parking Scheme")."""
    prev, line = lines[i - 2].strip(), lines[i - 1].strip()
    last = prev.split()[-1].strip("–-(") if prev.split() else ""
    if last.lower() in _SMALL or last.lower() in ("a", "as", "be", "is", "are", "that", "which", "their"):
        return True
    if not (last[:1].isupper() and len(prev.split()) > 1 and len(line.split()) <= 2):
        return False
    for j in range(i - 1, max(0, i - 10), -1):  # back to the start of the statement above
        above = lines[j - 1]
        if not above.strip() or (above.startswith(" ") and not is_bullet(above)):
            return False
        if marker(above.strip()) or is_bullet(above):
            return True
    return False


def _next_nonblank(lines: list[str], i: int, skipped: set[int]) -> int | None:
    """1-based number of the first non-blank line after line ``i``."""
    for j in range(i + 1, len(lines) + 1):
        if j not in skipped and lines[j - 1].strip():
            return j
    return None


def _wrapped(lines: list[str]) -> bool:
    """Hard-wrapped (a PDF extraction) when statements often run on to a line that starts in lower case."""
    text = [i for i, ln in enumerate(lines) if ln.strip()]
    if not text:
        return False
    runs_on = sum(1 for i in text if i + 1 < len(lines) and lines[i + 1].strip()[:1].islower())
    return runs_on / len(text) > 0.05


def _furniture(lines: list[str], pages: list[int]) -> tuple[list[Furniture], list[Note]]:
    notes: list[Note] = []
    marked: dict[int, str] = {}
    norm = {i: re.sub(r"\d+", "#", ln.strip().lower()) for i, ln in enumerate(lines, start=1) if ln.strip()}
    counts: dict[str, int] = {}
    for v in norm.values():
        counts[v] = counts.get(v, 0) + 1
    edges: set[int] = set()
    for k, first in enumerate(pages):  # the first and last two lines of each page
        last = (pages[k + 1] - 1) if k + 1 < len(pages) else len(lines)
        body = [i for i in range(first, last + 1) if i in norm]
        edges.update(body[:2] + body[-2:])
    for i, ln in enumerate(lines, start=1):
        s = ln.strip()
        if not s:
            continue
        if _PAGE_NUMBER.match(s):
            marked[i] = "a page number"
        elif _RULE_LINE.match(s):
            marked[i] = "a rule line"
        elif len(s) < 120 and _FOOTER_PAGE.search(s) and not _TERMINAL.search(s.rsplit("age", 1)[0].strip()):
            marked[i] = "a running header or footer (with a page number)"
        elif marker(s) or is_bullet(ln):
            continue  # a statement, however often its wording recurs
        elif (counts[norm[i]] >= 2 and i in edges) or (
                not pages and counts[norm[i]] >= 3 and "#" in norm[i] and len(s) < 100 and not _TERMINAL.search(s)):
            marked[i] = "a running header or footer (repeated)"
    proposed: dict[int, str] = {}
    for i, ln in enumerate(lines, start=1):
        if i not in marked and _CONTACT_LINE.match(ln.strip()):
            proposed[i] = "an address to write to (proposed: check it is not a statement)"
        if i not in marked and _COMMITTEE.match(ln.strip()):
            proposed[i] = "committee or contact furniture (proposed: check it is not a statement)"
            # a contact heading takes the block under it: the lines up to the next blank line
            if _CONTACT_HEADING.match(ln.strip()):
                j = _next_nonblank(lines, i, set())
                while j is not None and j not in marked:
                    proposed[j] = proposed[i]
                    if j == len(lines) or not lines[j].strip():
                        break
                    j += 1
            # a recommendations heading takes the list under it
            if re.match(r"^recommendations?\b", ln.strip(), re.I):
                j = _next_nonblank(lines, i, set())
                while j is not None and is_bullet(lines[j - 1]):
                    proposed[j] = proposed[i]
                    j = _next_nonblank(lines, j, set())
    entries: list[Furniture] = []
    for found, what in ((marked, "furniture"), (proposed, "proposed furniture")):
        for i in sorted(found):
            entries.append(Furniture((i, i), lines[i - 1].strip()[:40], found[i]))
            notes.append(Note(what, i, f"{found[i]}: {lines[i - 1].strip()[:60]!r}"))
    return sorted(entries, key=lambda f: f.lines), notes


def _titled(lines: list[str], skipped: set[int]) -> tuple[tuple[Titled, ...], list[Note]]:
    """Numbered names ("1) Resourcing the district") followed by a paragraph: titled statements."""
    hits = []
    for i, ln in enumerate(lines, start=1):
        m = marker(ln.strip()) if i not in skipped else None
        if m and m[0] == "decimal" and m[2] == ")" and len(m[3].split()) <= 8 and not _TERMINAL.search(m[3]) \
                and _titleish(m[3]):
            j = _next_nonblank(lines, i, skipped)
            if j is not None and lines[j - 1].strip()[:1].isupper() and not marker(lines[j - 1].strip()):
                hits.append(i)
    if len(hits) < 2:
        return (), []
    return (Titled(kind="theme", marker=")", children="theme_commitment"),), [
        Note("titled", i, f"a numbered name: {lines[i - 1].strip()!r}; the paragraph under it is its text, "
                          "kind theme (guess)") for i in hits]


def _layout_hints(lines: list[str], title: str, layout: Layout) -> tuple[Hints, list[Note]]:
    """Hints from what the layout showed: furniture with its reason, headings by type size and
    weight, tables; paragraphs end at the gaps the format wrote."""
    notes: list[Note] = []
    furniture: list[Furniture] = []
    for n in sorted(layout.furniture):
        why = layout.furniture[n]
        last = furniture[-1] if furniture else None
        if last is not None and last.lines[1] == n - 1 and last.why == why:
            furniture[-1] = replace(last, lines=(last.lines[0], n))
        else:
            furniture.append(Furniture((n, n), lines[n - 1].strip()[:40], why))
    for f in furniture:
        notes.append(Note("furniture", f.lines[0], f"{f.why}: {lines[f.lines[0] - 1].strip()[:60]!r}"
                                                   + (f" (lines {f.lines[0]}-{f.lines[1]})" if f.lines[1] > f.lines[0] else "")))
    skipped = set(layout.furniture)
    # headings: runs of heading lines (at most 4, one level); levels never deeper than one below the last
    groups: list[list[int]] = []
    for n in sorted(layout.headings):
        if groups and groups[-1][-1] == n - 1 and layout.headings[groups[-1][-1]] == layout.headings[n] \
                and len(groups[-1]) < 4:
            groups[-1].append(n)
        else:
            groups.append([n])
    headings: list[Heading] = []
    level = 0
    for g in groups:
        text = join_lines([lines[i - 1] for i in g])
        level = max(1, min(layout.headings[g[0]], level + 1))
        headings.append(Heading(title=text, level=level))
        notes.append(Note("heading", g[0], f"{text!r} at level {level} (from its type size and weight)"))
    first_text = next((i for i, ln in enumerate(lines, start=1) if ln.strip() and i not in skipped), None)
    if first_text is not None and (not groups or first_text < groups[0][0]):
        headings.insert(0, Heading(title=title or "Plan", level=1, slug="main", printed=False,
                                   note="No heading is printed before the first statement: named after the title."))
    tables = []
    guesser = KindGuesser()
    for t in layout.tables:
        text_col, fields = _table_columns(t.columns, lines, t)
        kind = t.kind or guesser.kind_of([text_col], "action")
        tables.append(Table(lines=(t.first, t.last), kind=kind, text=text_col, fields=fields, header=t.header))
        notes.append(Note("table", t.first, f"a table of {kind} rows: the text from {text_col!r}"
                                             + (f", fields {fields}" if fields else "")))
    kinds: list[Kind] = []  # notes, captions, a figure's words: items of their own kind, never dropped
    for n in sorted(layout.kinds):
        k = layout.kinds[n]
        last = kinds[-1] if kinds else None
        if last is not None and last.kind == k and all(not lines[i - 1].strip() for i in range(last.lines[1] + 1, n)):
            kinds[-1] = replace(last, lines=(last.lines[0], n))
        else:
            kinds.append(Kind((n, n), k))
    for k in kinds:
        notes.append(Note("kind", k.lines[0], f"{k.kind} (printed apart from the text): "
                                              f"{lines[k.lines[0] - 1].strip()[:60]!r}"))
    for page, why in layout.unreadable:
        notes.append(Note("unreadable page", None, f"page {page} could not be read ({why}): its text is not in "
                                                   "the draft; give the text of that page as a .txt if it matters"))
    titled, titled_notes = _titled(lines, skipped)
    return Hints(wrapped=True, paragraphs="gaps", headings=tuple(headings), furniture=tuple(furniture),
                 titled=titled, tables=tuple(tables), kinds=tuple(kinds)), notes + titled_notes


_TEXT_COLUMN = re.compile(r"action|commitment|recommendation|measure|milestone|objective|activit|deliverable|"
                          r"description|what (?:we|will)|we will|task|priorit|outcome|proposal|policy", re.I)
_RESPONSIBLE = re.compile(r"\b(?:lead|owner|responsib|who|agenc|department|service|partner|by whom|team)", re.I)
_DUE = re.compile(r"\b(?:date|when|timescale|timing|deadline|by when|due|year|quarter|target date|timeframe|"
                  r"completion)", re.I)


def _table_columns(columns: tuple[str, ...], lines: list[str], t: Any) -> tuple[str, dict[str, str]]:
    """The column that states each row's statement (named so, or the one with the most text), and the
    columns that say who is responsible and by when."""

    named = [c for c in columns if c and _TEXT_COLUMN.search(c)]
    if named:
        text = named[0]
    else:
        length = {c: 0 for c in columns}
        for n in range(t.first + (1 if t.header else 0), t.last + 1):
            for c, v in zip(columns, table_cells(lines[n - 1]) or []):
                length[c] = length.get(c, 0) + len(v)
        text = max(columns, key=lambda c: length.get(c, 0))
    fields: dict[str, str] = {}
    for c in columns:
        if c == text or not c.strip():
            continue
        if _RESPONSIBLE.search(c) and "responsible" not in fields.values():
            fields[c] = "responsible"
        elif _DUE.search(c) and "due" not in fields.values():
            fields[c] = "due"
    return text, fields


def guess_hints(lines: list[str], title: str = "", pages: list[int] | None = None,
                layout: Layout | None = None) -> tuple[Hints, list[Note]]:
    """Draft hints for a plan text, and a note for every guess. With the layout of a format that
    has one (a PDF's), from the layout; otherwise from the text: a PDF's text layer (``pages``
    given) is always hard-wrapped."""
    if layout is not None:
        return _layout_hints(lines, title, layout)
    hints, notes = _text_hints(lines, title, pages)
    tables, table_notes = _pipe_tables(lines)
    if tables:
        taken = {n for t in tables for n in range(t.lines[0], t.lines[1] + 1)}
        hints = replace(hints, tables=tables,
                        headings=tuple(h for h in hints.headings if not h.printed or not any(
                            lines[n - 1].strip() == h.title for n in taken)))
        notes += table_notes
    bullets = _bullet_glyphs(lines)
    if bullets:
        hints = replace(hints, bullets=tuple(bullets))
        notes.append(Note("bullets", None, f"lines that start with {bullets} are read as bullets (a symbol "
                                           "font's glyph, as the text extraction left it)"))
    return hints, notes


def _pipe_tables(lines: list[str]) -> tuple[tuple[Table, ...], list[Note]]:
    """Markdown pipe tables in a text: a header row, the rule under it, and the rows below."""
    from lcplan.ingest.model import TableSpan

    out, notes, n = [], [], 1
    guesser = KindGuesser()
    while n < len(lines):
        header = table_cells(lines[n - 1])
        if header is not None and is_rule_row(lines[n]):
            last = n + 1
            while last < len(lines) and table_cells(lines[last]) is not None:
                last += 1
            span = TableSpan(n, last, tuple(column_keys(header, len(header))))
            text, fields = _table_columns(span.columns, lines, span)
            kind = guesser.kind_of([text], "action")
            out.append(Table(lines=(n, last), kind=kind, text=text, fields=fields))
            notes.append(Note("table", n, f"a table of {kind} rows: the text from {text!r}"
                                          + (f", fields {fields}" if fields else "")))
            n = last + 1
        else:
            n += 1
    return tuple(out), notes


# a symbol font's bullet as extracted text: a private-use code point, or the letter a Wingdings glyph sits on
_GLYPH_LETTERS = ("n", "q", "o", "§", "Ø", "ü", "v", "Ÿ", "l", "¨", "ð", "à")


def _bullet_glyphs(lines: list[str]) -> list[str]:
    """Markers that start three or more lines and are not words: a private-use glyph (U+F0B7 ...), or
    a Wingdings letter followed by a capital in nearly every line it starts."""
    starts: dict[str, list[str]] = {}
    for ln in lines:
        m = re.match(r"^\s*(\S)\s+(\S)", ln)
        if m:
            starts.setdefault(m[1], []).append(m[2])
    out = []
    for glyph, nxt in starts.items():
        if len(nxt) < 3:
            continue
        if "\uf000" <= glyph <= "\uf8ff" or (glyph in BULLET_GLYPHS and glyph not in DASHES):
            out.append(glyph)
        elif glyph in _GLYPH_LETTERS and sum(c[:1].isupper() for c in nxt) >= 0.8 * len(nxt):
            out.append(glyph)
    return [g for g in out if g not in BULLETS]


def _text_hints(lines: list[str], title: str = "", pages: list[int] | None = None) -> tuple[Hints, list[Note]]:
    """Hints from a text alone (no layout)."""
    wrapped = bool(pages) or _wrapped(lines)
    furniture, notes = _furniture(lines, pages or [])
    skipped = {n for f in furniture for n in range(f.lines[0], f.lines[1] + 1)}
    titled, titled_notes = _titled(lines, skipped)
    notes += titled_notes
    md = any(markdown_heading(ln) for ln in lines)

    def blank(i: int) -> bool:
        return not (1 <= i <= len(lines)) or i in skipped or not lines[i - 1].strip()

    candidates: list[tuple[int, bool]] = []  # (line, numbered)
    if not md:  # markdown says its headings itself
        titleish: set[int] = set()
        for i, ln in enumerate(lines, start=1):
            s = ln.strip()
            if blank(i) or len(s) > 90 or len(s.split()) > 12 or _TERMINAL.search(s) or is_bullet(ln):
                continue
            m = marker(s)
            nxt = _next_nonblank(lines, i, skipped)
            if m:
                # "1. Homes for everyone" above "1.1 ...": a numbered heading
                nm = marker(lines[nxt - 1].strip()) if nxt else None
                if m[0] == "decimal" and len(m[3].split()) <= 8 and m[3][:1].isupper() and nm \
                        and nm[0] == "dotted" and nm[1].startswith(m[1] + "."):
                    candidates.append((i, True))
            elif _titleish(s) and nxt is not None:
                titleish.add(i)
        found: set[int] = set()
        for i in titleish:
            prev = lines[i - 2].strip() if i > 1 else ""
            nxt = _next_nonblank(lines, i, skipped)
            if not wrapped:  # one paragraph a line: a heading stands between blank lines
                if blank(i - 1) and blank(i + 1):
                    found.add(i)
            elif lines[nxt - 1].strip()[:1].islower():
                continue  # the next line runs on from it: the start of a wrapped statement
            elif not blank(i - 1) and not _TERMINAL.search(prev) and _runs_on(lines, i):
                continue  # it ends a statement wrapped from the line above
            elif blank(i - 1) or blank(i + 1) or _TERMINAL.search(prev) or is_bullet(lines[nxt - 1]) \
                    or marker(lines[nxt - 1].strip()):
                found.add(i)  # after a full stop or a gap, above a gap, or right above a list
        if wrapped:  # lines of heading stacked on one found: above it, and right under it above text
            for _ in range(2):
                found |= {i for i in titleish if i + 1 in found and not lines[i].strip()[:1].islower()
                          and (blank(i - 1) or _TERMINAL.search(lines[i - 2].strip()) or not _runs_on(lines, i))}
                found |= {i for i in titleish if i - 1 in found and i + 1 <= len(lines)
                          and not lines[i].strip()[:1].islower()}
        candidates = sorted([*candidates, *[(i, False) for i in found]])
    numbered_lines = {i for i, n in candidates if n}
    # consecutive lines of a wrapped text make one heading; the last line of a run printed right
    # above the text is a heading of its own ("... Priorities" / "Strategic Policy" / "1. ...")
    runs: list[list[int]] = []
    for i, numbered in candidates:
        if wrapped and runs and runs[-1][-1] == i - 1 and not numbered and runs[-1][-1] not in numbered_lines:
            runs[-1].append(i)
        else:
            runs.append([i])
    groups: list[list[int]] = []
    for run in runs:
        if len(run) >= 2 and not blank(run[-1] + 1):
            run, last = run[:-1], [run[-1]]
        else:
            last = []
        groups += [run[k:k + 3] for k in range(0, len(run), 3)] + ([last] if last else [])

    def content_between(a: int, b: int) -> bool:
        return any(not blank(i) for i in range(a + 1, b))

    # Levels from the layout: a heading printed right under another (nothing between) is inside it;
    # one after text sits at the level of the last heading that had text under it; "Appendix ...",
    # "Part ...", the title and lines in capitals are top-level; never deeper than one below the last.
    headings: list[Heading] = []
    level, leaf, unnumbered, leaf_numbered = 0, 2, 1, False
    for k, g in enumerate(groups):
        text = join_lines([lines[i - 1] for i in g])
        chained = k > 0 and not content_between(groups[k - 1][-1], g[0])
        if g[0] in numbered_lines:
            new = (level + 1) if chained else unnumbered + 1
        elif k == 0 or _TOP_LEVEL.match(text) or text == title or (text.isupper() and len(text) > 3):
            new = 1
        else:  # after text under a numbered heading, back to the level of the headings above it
            new = (level + 1) if chained else (unnumbered if leaf_numbered else leaf)
        level = max(1, min(new, level + 1, 6))
        if g[0] not in numbered_lines:
            unnumbered = level
        if k + 1 >= len(groups) or content_between(g[-1], groups[k + 1][0]):
            leaf = max(2, level) if level > 1 else 2
            leaf_numbered = g[0] in numbered_lines
        headings.append(Heading(title=text, level=level))
        notes.append(Note("heading", g[0], f"{text!r} at level {level} (guessed from the layout)"))
    # a plan needs a heading before its first statement: the title, unprinted, where none is printed
    first_text = next((i for i in range(1, len(lines) + 1) if not blank(i)), None)
    first_heading = groups[0][0] if groups else None
    if not md and first_text is not None and (first_heading is None or first_text < first_heading
                                              or headings[0].level != 1):
        headings.insert(0, Heading(title=title or "Plan", level=1, slug="main", printed=False,
                                   note="No heading is printed before the first statement: named after the title."))
    elif md and first_text is not None and not markdown_heading(lines[first_text - 1]):
        headings.insert(0, Heading(title=title or "Plan", level=1, slug="main", printed=False,
                                   note="No heading is printed before the first statement: named after the title."))
    return Hints(wrapped=wrapped, headings=tuple(headings), furniture=tuple(furniture), titled=titled), notes


# ----------------------------------------------------------------------------- kinds
