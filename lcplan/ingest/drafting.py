"""Drafting a plan: from what a format read (:class:`lcplan.ingest.model.Extracted`) to a plan file,
built and validated.

1. **Extract** (:func:`extract`): the module of the file's format reads it (``lcplan.ingest.pdf``
   by its layout, ``lcplan.ingest.docx`` and ``lcplan.ingest.html`` from their markup into
   Markdown, ``lcplan.ingest.text`` as it is).
2. **Guess the hints** (:func:`guess_hints`): from the layout where the format has one (furniture
   with its reason, headings by type, tables, notes), otherwise from the text (wrapping, headings
   and levels, furniture, titled statements, a symbol font's bullets). Each guess is a :class:`Note`.
3. **Read** with :func:`lcplan.reader.read_plan_text`, asking :class:`KindGuesser` for the kind
   of every list and numbered style the hints do not give, widening a numbering's scope where the
   printed numbers restart, reading what is out of sequence as printed (``strict = false``); then
   read again with the completed hints, exactly as ``lcplan build`` will.
4. **Write** the plan file (metadata, the hints, a page map, coverage, a ``[[claims]]`` entry for
   every claim found, marked for review), the source (and the PDF as ``[original]``), and build and
   validate the package; a reading that does not validate is read again plainly.

Given ``hints`` (a plan file, or just its ``[reader]``), what they say is used as it is and what
they leave out entirely is guessed (unless ``[reader] guess = false``), so a reviewed draft is
rebuilt with the same IDs for unchanged statements.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
import tomllib
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any, Callable

from lcplan.claims import UNREVIEWED
from lcplan.plans import (DOCUMENT_FIELDS, SCOPES, Furniture, Heading, Hints, Kind, ListRule, Numbered, PlanError,
                          Table, Titled,
                          parse_reader)
from lcplan.ingest import docx as docx_format
from lcplan.ingest import html as html_format
from lcplan.ingest import pdf as pdf_format
from lcplan.ingest import text as text_format
from lcplan.coverage import Coverage, coverage
from lcplan.ingest.model import Extracted, IngestError, Layout, Note
from lcplan.reader import NumberingError, ReadError, marker, read_plan_text, slugify
from lcplan.text import join_lines

__all__ = ["Draft", "Result", "extract", "guess_hints", "KindGuesser", "draft", "progress_bar",
           "ingest", "plan_toml"]


# ----------------------------------------------------------------------------- extract

FORMATS = (text_format, pdf_format, html_format, docx_format)  # one module a format, each with its media type


def extract(path: Path, progress: Callable[[int, int], None] | None = None) -> Extracted:
    """The text of a plan file, read by the module of its format; for a PDF, by its layout."""
    suffix = path.suffix.lower()
    if path.is_dir():
        raise IngestError(f"{path}: is a folder; give the plan's file (PDF, Word, web page, .txt or .md)")
    if not path.is_file():
        raise IngestError(f"{path}: no such file")
    for fmt in FORMATS:
        if suffix in fmt.SUFFIXES:
            return fmt.read(path, progress)
    known = ", ".join(s for fmt in FORMATS for s in fmt.SUFFIXES)
    raise IngestError(f"{path}: a plan is a file of one of these kinds: {known}")


# ----------------------------------------------------------------------------- guess the hints

_TERMINAL = re.compile(r"[.,;:!?]['’\"”)]?$")
_SMALL = {"and", "or", "of", "the", "a", "an", "in", "on", "for", "to", "with", "by", "at", "from", "our", "its",
          "&", "vs", "into", "per"}
_PAGE_NUMBER = re.compile(r"^(?:page\s*)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?$", re.I)
_RULE_LINE = re.compile(r"^[-_*=·.]{3,}$")
_FOOTER_PAGE = re.compile(r"(?:^|[·|•–—-]\s*)page\s+\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?\s*$", re.I)
_BULLET_START = re.compile(r"^\s*(?:[•−▪◦●]|[-–*]\s)")
_MD_HEADING = re.compile(r"^#{1,6}\s")
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
        if not above.strip() or (above.startswith(" ") and not _BULLET_START.match(above)):
            return False
        if marker(above.strip()) or _BULLET_START.match(above):
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
        elif marker(s) or _BULLET_START.match(ln):
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
                while j is not None and _BULLET_START.match(lines[j - 1]):
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
    from lcplan.reader import table_cells

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
    from lcplan.reader import column_keys, is_rule_row, table_cells

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
        if "\uf000" <= glyph <= "\uf8ff" or glyph in "\u25aa\u25cf\u2022\u00b7\u2023\u2043\u25e6\u27a2\u2713":
            out.append(glyph)
        elif glyph in _GLYPH_LETTERS and sum(c[:1].isupper() for c in nxt) >= 0.8 * len(nxt):
            out.append(glyph)
    return [g for g in out if g not in "•−▪◦●"]


def _text_hints(lines: list[str], title: str = "", pages: list[int] | None = None) -> tuple[Hints, list[Note]]:
    """Hints from a text alone (no layout)."""
    wrapped = bool(pages) or _wrapped(lines)
    furniture, notes = _furniture(lines, pages or [])
    skipped = {n for f in furniture for n in range(f.lines[0], f.lines[1] + 1)}
    titled, titled_notes = _titled(lines, skipped)
    notes += titled_notes
    md = any(_MD_HEADING.match(ln) for ln in lines)

    def blank(i: int) -> bool:
        return not (1 <= i <= len(lines)) or i in skipped or not lines[i - 1].strip()

    candidates: list[tuple[int, bool]] = []  # (line, numbered)
    if not md:  # markdown says its headings itself
        titleish: set[int] = set()
        for i, ln in enumerate(lines, start=1):
            s = ln.strip()
            if blank(i) or len(s) > 90 or len(s.split()) > 12 or _TERMINAL.search(s) or _BULLET_START.match(ln):
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
            elif blank(i - 1) or blank(i + 1) or _TERMINAL.search(prev) or _BULLET_START.match(lines[nxt - 1]) \
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
    elif md and first_text is not None and not _MD_HEADING.match(lines[first_text - 1]):
        headings.insert(0, Heading(title=title or "Plan", level=1, slug="main", printed=False,
                                   note="No heading is printed before the first statement: named after the title."))
    return Hints(wrapped=wrapped, headings=tuple(headings), furniture=tuple(furniture), titled=titled), notes


# ----------------------------------------------------------------------------- kinds


def _kinds() -> list[str]:
    from lcplan.registry import categories

    return [c["value"] for c in categories("items", "kind")]


# words in a lead-in or a heading -> the kind of the list (first match wins); every kind is in schemas/
KIND_WORDS = [("pledge", "pledge"), ("work area", "work_area"), ("priorit", "priority"), ("objective", "objective"),
              ("outcome", "objective"), ("goal", "objective"), ("aim", "objective"), ("principle", "principle"),
              ("value", "principle"), ("target", "target"), ("measure", "measure"), ("indicator", "measure"),
              ("we will know", "measure"), ("action", "action"), ("we will", "commitment"),
              ("commit", "commitment"), ("promise", "commitment")]


class KindGuesser:
    """Guesses the kind of a list from its lead-in, then the headings above it; records each guess."""

    def __init__(self) -> None:
        self.notes: list[Note] = []
        self.list_kinds: set[str] = set()
        self.numbered_kinds: set[str] = set()
        kinds = set(_kinds())
        self.words = [(w, k) for w, k in KIND_WORDS if k in kinds]

    def kind_of(self, texts: list[str], default: str) -> str:
        """The kind the first of ``texts`` that names one names (a lead-in, a heading, a column's header)."""
        for text in texts:
            low = text.lower()
            for word, kind in self.words:
                if re.search(rf"\b{re.escape(word)}", low):
                    return kind
        return default

    def list_rule(self, lead_in: str, section_titles: list[str], line: int) -> ListRule:
        kind = self.kind_of([lead_in, *reversed(section_titles)], "narrative")
        if kind in self.numbered_kinds:  # bullets and numbers of one kind would share IDs
            kind = "narrative"
        self.list_kinds.add(kind)
        lead = _lead_in_key(lead_in)
        self.notes.append(Note("list kind", line, f"{kind} (guessed from "
                                                  f"{'the lead-in ' + repr(lead) if lead else 'the heading'})"))
        return ListRule(kind=kind, lead_in=lead) if lead else ListRule(kind=kind, section="*")

    def numbered(self, style: str, section_titles: list[str], nested: bool, line: int) -> Numbered:
        # sub-points under a numbered statement are the actions (or measures) that deliver it
        kind = "action" if nested else self.kind_of(list(reversed(section_titles)), "commitment")
        for other in (kind, "commitment", "action", "objective", "target"):
            if other not in self.list_kinds:  # bullets and numbers of one kind would share IDs
                kind = other
                break
        self.numbered_kinds.add(kind)
        self.notes.append(Note("numbered kind", line, f"{style} numbers are {kind} (guessed)"))
        return Numbered(style=style, kind=kind)


class PlainGuesser(KindGuesser):
    """Every list and numbered statement is narrative: the plain reading a draft falls back to."""

    def list_rule(self, lead_in: str, section_titles: list[str], line: int) -> ListRule:
        return ListRule(kind="narrative", section="*")

    def numbered(self, style: str, section_titles: list[str], nested: bool, line: int) -> Numbered:
        return Numbered(style=style, kind="narrative", scope="restart")


def _lead_in_key(text: str) -> str:
    """The start of a lead-in that a list rule matches on: its first words, up to 60 characters."""
    if len(text) <= 60:
        return text
    cut = text[:60]
    return cut[: cut.rfind(" ")] if " " in cut else cut


# ----------------------------------------------------------------------------- draft


@dataclass
class Draft:
    hints: Hints
    parsed: Any
    notes: list[Note]
    coverage: "Coverage | None" = None


def draft(document_id: str, lines: list[str], title: str = "", hints: Hints | None = None,
          pages: list[int] | None = None, layout: Layout | None = None, plain: bool = False) -> Draft:
    """Read a plan text into a draft: guessed hints (unless given; with ``[reader] guess`` on, what the
    given hints leave out is still guessed), then the reading ``lcplan build`` will make with them.

    Never all-or-nothing: a number out of sequence, a heading with no parent, a label printed twice
    are noted and read as printed (the plan file then says ``strict = false``), so a draft is always
    written; only hints a person wrote that do not match the text stop it."""
    notes: list[Note] = []
    guesser = None
    if hints is None:
        hints, notes = guess_hints(lines, title, pages, layout)
        guesser = KindGuesser()
    elif hints.guess:
        guesser = KindGuesser()
    if plain:  # a reading that cannot fail: every list and number narrative, read as printed
        guesser = PlainGuesser()
        hints = replace(hints, lists=(), numbered=(), titled=(), strict=False)
    parsed = None
    for _ in range(3 * len(SCOPES)):
        if guesser is not None:
            guesser.notes, guesser.list_kinds, guesser.numbered_kinds = [], set(), set()
        try:
            parsed = read_plan_text(document_id, lines, hints, guess=guesser,
                                    strict_numbers=True if guesser is not None else None)
            break
        except NumberingError as exc:
            if guesser is None or exc.rule.scope == SCOPES[-1]:
                break
            wider = replace(exc.rule, scope=SCOPES[SCOPES.index(exc.rule.scope) + 1])
            hints = replace(hints, numbered=tuple(n for n in hints.numbered if n.style != wider.style) + (wider,))
            notes.append(Note("numbered kind", None, f"{wider.style} numbers restart: numbered within each "
                                                     f"{wider.scope.replace('_', ' ')}"))
        except ReadError as exc:
            raise IngestError(f"{exc}: correct the hints (--hints FILE)") from None
    if parsed is None:  # the numbers do not run on in any scope: read them as printed, and say where
        try:
            parsed = read_plan_text(document_id, lines, replace(hints, strict=False), guess=guesser,
                                    strict_numbers=False)
        except ReadError as exc:
            raise IngestError(f"{exc}: correct the hints (--hints FILE)") from None
    if guesser is not None:
        lists = list(hints.lists)
        for rule in parsed.guessed:
            if isinstance(rule, ListRule) and rule not in lists:
                lists.append(rule)
        numbered = {n.style: n for n in hints.numbered}
        for rule in parsed.guessed:
            if isinstance(rule, Numbered):
                numbered.setdefault(rule.style, rule)
        hints = replace(hints, lists=tuple(lists), numbered=tuple(numbered.values()))
        notes += guesser.notes
    if parsed.warnings:
        hints = replace(hints, strict=False)
        notes += [Note("read as printed", line, what.split(": ", 1)[-1]) for line, what in parsed.warnings]
    if guesser is not None:
        try:  # what `lcplan build` will read: the completed hints, nothing guessed
            parsed = read_plan_text(document_id, lines, hints)
        except ReadError as exc:
            raise IngestError(f"the draft hints do not read back ({exc}); give hints (--hints FILE)") from None
    cover = coverage(lines, hints, [(i.line_start, i.line_end) for i in parsed.items],
                     [(c.line_start, c.line_end) for c in parsed.sections if c.line_start is not None])
    return Draft(hints, parsed, sorted(notes, key=lambda n: (n.line or 0, n.what)), cover)


# ----------------------------------------------------------------------------- plan file


def _q(value: Any) -> str:
    """A TOML value: a JSON string or number is one (DEL, which JSON leaves as it is, escaped)."""
    return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")


def plan_toml(document: dict[str, str], provenance: dict[str, str], hints: Hints, claims: list[dict[str, Any]],
              original: dict[str, str] | None = None, pages: list[int] | None = None,
              notes: list[Note] | None = None, cover: Coverage | None = None) -> str:
    """A plan file: the format ``lcplan build`` reads (see :mod:`lcplan.plans`)."""
    out = [f"# {document['title']}: drafted by `lcplan ingest` on {date.today().isoformat()}.",
           "# Review the guesses (listed at the end of this file), correct the hints, and run `lcplan build`.", "",
           "[document]", *[f"{k} = {_q(document.get(k, ''))}" for k in DOCUMENT_FIELDS], "",
           "[provenance]", *[f"{k} = {_q(v)}" for k, v in provenance.items()], ""]
    if original:
        out += ["[original]", f"path = {_q(original['path'])}", f"sha256 = {_q(original['sha256'])}",
                *([f"mediatype = {_q(original['mediatype'])}"] if original.get("mediatype") else []), ""]
    if pages:
        out += ["# The first line of each page of the original.", "[pages]", f"first_lines = {_q(pages)}", ""]
    if cover is not None:
        out += [f"# Coverage: {cover.share:.1%} of the text's characters are in statements and headings; "
                f"{len(cover.furniture)} line(s) are furniture, each listed below with why"
                + (f"; {len(cover.unaccounted)} line(s) in none of these: {cover.unaccounted[:20]}"
                   if cover.unaccounted else "") + ".", ""]
    out += ["[reader]", f"wrapped = {'true' if hints.wrapped else 'false'}"]
    out += [f"paragraphs = {_q(hints.paragraphs)}"] if hints.paragraphs != "sentences" else []
    out += [f"bullets = {json.dumps(list(hints.bullets))}"] if hints.bullets else []  # escaped: glyphs are unprintable
    out += ["strict = false  # numbers out of sequence and the like are read as printed (listed at the end)"] \
        if not hints.strict else []
    out += ["guess = false"] if not hints.guess else []
    out.append("")
    for t in hints.tables:
        out += ["[[reader.tables]]", f"lines = {_q(list(t.lines))}", f"kind = {_q(t.kind)}", f"text = {_q(t.text)}"]
        out += ["header = false"] if not t.header else []
        if t.fields:
            out.append("fields = { " + ", ".join(f"{_q(k)} = {_q(v)}" for k, v in t.fields.items()) + " }")
        out.append("")
    for k in hints.kinds:
        out += ["[[reader.kinds]]", f"lines = {_q(list(k.lines))}", f"kind = {_q(k.kind)}", ""]
    for n in hints.numbered:
        out += ["[[reader.numbered]]", f"style = {_q(n.style)}", f"kind = {_q(n.kind)}"]
        out += [f"scope = {_q(n.scope)}"] if n.scope != "document" else []
        out.append("")
    for t in hints.titled:
        out += ["[[reader.titled]]", f"kind = {_q(t.kind)}"]
        out += [f"marker = {_q(t.marker)}"] if t.marker else [f"names = {_q(list(t.names))}"]
        out += [f"children = {_q(t.children)}", ""] if t.children else [""]
    for r in hints.lists:
        out += ["[[reader.lists]]", f"lead_in = {_q(r.lead_in)}" if r.lead_in else f"section = {_q(r.section)}",
                f"kind = {_q(r.kind)}"]
        out += [f"scope = {_q(r.scope)}"] if r.scope != "document" else []
        out.append("")
    for f in hints.furniture:
        out += ["[[reader.furniture]]", f"lines = {_q(list(f.lines))}", f"starts = {_q(f.starts)}"]
        out += [f"why = {_q(f.why)}"] if f.why else []
        out.append("")
    for h in hints.headings:
        out += ["[[reader.headings]]", f"title = {_q(h.title)}", f"level = {h.level}"]
        out += [f"slug = {_q(h.slug)}"] if h.slug else []
        out += ["printed = false"] if not h.printed else []
        out += [f"note = {_q(h.note)}"] if h.note else []
        out.append("")
    for c in claims:
        out += ["[[claims]]", *[f"{k} = {_q(v)}" for k, v in c.items() if v is not None], ""]
    if notes:
        out += ["# What the draft guessed, for review:"]
        out += [f"#   line {n.line or '-'}: {n.what}: {' '.join(n.detail.split())}" for n in notes]
    return "\n".join(out).rstrip("\n") + "\n"


def _claim_reviews(items: list[Any]) -> tuple[list[dict[str, Any]], list[Note]]:
    """A [[claims]] entry for every claim found, its type guessed and its subject to be written."""
    from lcplan.claims import CURRENCIES, DURATIONS, extract_claims, kinds_without_claims

    rows, notes = [], []
    skip = kinds_without_claims()
    for item in items:
        if item.kind in skip:
            continue
        seen: dict[str, int] = {}
        for claim in extract_claims(item.text):
            seen[claim.quote] = seen.get(claim.quote, 0) + 1
            if claim.is_target:  # the text commits to it: a level, a change or an end state
                kind = "target"
            elif claim.unit in DURATIONS:
                kind = "horizon"
            elif claim.unit in CURRENCIES.values():
                kind = "cost"
            elif claim.unit == "count":
                kind = "count"
            else:  # a share, a ratio or a physical quantity that is not a target
                kind = "measure"
            words = item.text[max(0, claim.char_start - 40):claim.char_end + 40].strip()
            guess = f"{claim.subject} ({words})" if claim.subject else words
            rows.append({"item_id": item.item_id, "quote": claim.quote,
                         **({"occurrence": seen[claim.quote]} if seen[claim.quote] > 1 else {}),
                         "claim_type": kind, "subject": f"{UNREVIEWED}{guess}"})
            notes.append(Note("claim", item.line_start, f"{claim.quote!r}: {kind} (guessed); write its subject"))
    return rows, notes


# ----------------------------------------------------------------------------- ingest


@dataclass
class Result:
    package: Path
    plan_path: Path
    draft: Draft
    claims: int
    report: Any
    crosswalk_draft: Path | None = None
    topics_draft: Path | None = None


def _period(plan_year: str, start: str | None, end: str | None) -> tuple[str, str]:
    m = re.fullmatch(r"([0-9]{4})/([0-9]{2})", plan_year)
    if not m:
        raise IngestError(f"--plan-year {plan_year!r}: write it as YYYY/YY (2024/25, or 2024/28 for several years)")
    first = int(m[1])
    last = (first // 100) * 100 + int(m[2])
    last += 100 if last < first else 0
    start, end = start or f"{first}-04-01", end or f"{max(last, first + 1)}-03-31"
    for option, value in (("--period-start", start), ("--period-end", end)):
        try:
            date.fromisoformat(value)
            ok = bool(re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value))
        except ValueError:
            ok = False
        if not ok:
            raise IngestError(f"{option} {value!r}: a date written YYYY-MM-DD (e.g. 2024-04-01)")
    if start > end:
        raise IngestError(f"--period-start {start} is after --period-end {end}")
    return start, end


def _document_type(title: str) -> str:
    low = title.lower()
    for words, kind in (("corporate plan", "corporate_plan"), ("council plan", "corporate_plan"),
                        ("strategy", "strategy"), ("annual report", "annual_report"), ("manifesto", "manifesto"),
                        ("committee", "committee_report")):
        if words in low:
            return kind
    return "business_plan"


def _read_hints(path: Path) -> tuple[Hints, set[str], dict[tuple[str, str, int], dict[str, Any]], dict[str, str]]:
    """The hints of a plan file (or a file with just its [reader]), the [reader] keys it gives, its
    reviewed claims by (item_id, quote, occurrence), and its provenance."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise IngestError(f"{path}: cannot read the hints: {exc}") from None
    try:
        hints = parse_reader(raw, str(path))[1]
    except PlanError as exc:
        raise IngestError(str(exc)) from None
    claims: dict[tuple[str, str, int], dict[str, Any]] = {}
    entries = raw.get("claims", [])
    for i, c in enumerate(entries if isinstance(entries, list) else [], start=1):
        if not isinstance(c, dict):
            raise IngestError(f"{path}: [[claims]] entry {i} is not a table")
        missing = [k for k in ("item_id", "quote") if not c.get(k) or not isinstance(c.get(k), str)] + \
                  ([] if c.get("exclude") or c.get("subject") else ["subject (or exclude)"])
        if not isinstance(c.get("occurrence", 1), int) or c.get("occurrence", 1) < 1:
            missing.append("occurrence as a whole number from 1")
        if missing:
            raise IngestError(f"{path}: [[claims]] entry {i} ({c.get('item_id', '?')!r}, {c.get('quote', '?')!r}) "
                              f"lacks {', '.join(missing)}")
        key = (c["item_id"], c["quote"], int(c.get("occurrence", 1)))
        claims[key] = c
    prov = raw.get("provenance") if isinstance(raw.get("provenance"), dict) else {}
    reader = raw.get("reader") if isinstance(raw.get("reader"), dict) else {}
    return hints, set(reader), claims, {k: str(v) for k, v in prov.items()}


def _with_guesses(given: Hints, keys: set[str], guessed: Hints) -> Hints:
    """The given hints, and for what they do not say at all (no such key in [reader]), the guesses."""
    take = {}
    for name in ("wrapped", "paragraphs", "bullets", "headings", "furniture", "titled", "tables", "kinds"):
        if name not in keys:
            take[name] = getattr(guessed, name)
    return replace(given, **take)


def _package_toml(folder: Path, organisation: str, title: str) -> str:
    name = slugify(folder.name) or "plans"
    return "\n".join([
        "# The package's own metadata, written by `lcplan ingest`: edit it freely.",
        "[package]",
        f"name = {_q(name)}",
        f"title = {_q(organisation + ' plans')}",
        f"description = {_q('Every statement of ' + organisation + ' plans, verbatim, one per row (made with lcplan).')}",
        f"created = {_q(date.today().isoformat() + 'T00:00:00Z')}",
        "keywords = [\"plans\"]", "",
        "[[package.licenses]]", 'name = "CC-BY-4.0"', 'path = "https://creativecommons.org/licenses/by/4.0/"',
        'title = "Creative Commons Attribution 4.0: covers the structure and annotations, not the plan texts"', "",
        "[[package.contributors]]", 'title = "lcplan contributors"', 'roles = ["creator"]', "",
        "[[package.contributors]]", f"title = {_q(organisation)}", 'roles = ["rightsHolder"]', ""])


def _names(bodies: list[str]) -> str:
    return bodies[0] if len(bodies) == 1 else ", ".join(bodies[:-1]) + " and " + bodies[-1]


def _with_body(text: str, organisation: str) -> str | None:
    """A package.toml that names ``organisation`` too, when a plan of a body it does not name is
    added: the body becomes a rights holder, and a title and description still as ingest wrote
    them name every body. None when the body is already named. The steward's own edits stay."""
    import tomllib

    try:
        pkg = tomllib.loads(text).get("package", {})
    except tomllib.TOMLDecodeError:
        return None  # the build reports a package.toml it cannot read
    holders = [c.get("title", "") for c in pkg.get("contributors", []) if "rightsHolder" in c.get("roles", [])]
    if organisation in holders or not holders or "[[package.contributors]]" not in text:
        return None  # named already, or contributors written another way: the steward's file stays as it is
    names = _names([*holders, organisation])
    if pkg.get("title") in ({f"{holders[0]} plans"} if len(holders) == 1 else set()) | {f"Plans of {_names(holders)}"}:
        text = text.replace(f"title = {_q(pkg['title'])}", f"title = {_q('Plans of ' + names)}", 1)
    written = f"Every statement of {_names(holders)} plans"
    if pkg.get("description", "").startswith(written):
        text = text.replace(written, f"Every statement of {names} plans", 1)
    return text.rstrip("\n") + "\n\n" + "\n".join(
        ["[[package.contributors]]", f"title = {_q(organisation)}", 'roles = ["rightsHolder"]', ""])


def ingest(source: Path, document_id: str, organisation: str, title: str, plan_year: str, *,
           out: Path | None = None, into: Path | None = None, period_start: str | None = None,
           period_end: str | None = None, hints: Path | None = None, document_type: str | None = None,
           progress: Callable[[int, int], None] | None = None) -> Result:
    """Draft a plan from ``source`` into a new package ``out`` or an existing package ``into``;
    build and validate it."""
    from lcplan.builder import BuildError, build

    if (out is None) == (into is None):
        raise IngestError("give exactly one of --out DIR (a new package) or --into PACKAGE (an existing one)")
    if not re.fullmatch(r"[a-z][a-z0-9]*(-[a-z0-9]+)*-[0-9]{4}-[0-9]{2}", document_id):
        raise IngestError(f"--document-id {document_id!r}: lower case, hyphens, ending in the years "
                          "(e.g. kb-cp-2024-28)")
    start, end = _period(plan_year, period_start, period_end)
    package = Path(into or out)
    if package.exists() and not package.is_dir():
        raise IngestError(f"{package}: is a file, not a folder; give a folder for the package")
    if into is not None and not (package / "package.toml").is_file():
        raise IngestError(f"{package}: not a package in lcplan's layout (no package.toml); use --out for a new one")
    if out is not None and package.exists() and any(package.iterdir()) and not (package / "package.toml").is_file():
        raise IngestError(f"{package}: exists and is not an lcplan package; give an empty or new folder")
    if (package / "plans" / f"{document_id}.toml").is_file() and hints is None:
        plan = package / "plans" / f"{document_id}.toml"
        raise IngestError(f"{plan} is already there, perhaps reviewed: to read the plan again with its review, "
                          f"give --hints {plan}; to start afresh, remove it first")
    got = extract(Path(source), progress)
    given, keys, reviewed, given_provenance = _read_hints(hints) if hints else (None, set(), {}, {})
    guess_notes: list[Note] = []
    if given is not None and given.guess:  # --hints: what they leave out is still guessed
        guessed, guess_notes = guess_hints(got.lines, title, got.pages, got.layout)
        given = _with_guesses(given, keys, guessed)
        guess_notes = [n for n in guess_notes if n.what in ("heading", "furniture", "table", "titled")
                       and ({"heading": "headings", "furniture": "furniture", "table": "tables",
                             "titled": "titled"}[n.what] not in keys)]
    d = draft(document_id, got.lines, title, given, got.pages, got.layout)
    d.notes = sorted(d.notes + guess_notes, key=lambda n: (n.line or 0, n.what))
    reviews, claim_notes = _claim_reviews(d.parsed.items)
    # a claim reviewed in the hints file keeps its review; the others are drafted afresh. A review
    # a person wrote that matches no claim now stops the run, as it stops the build (a draft's
    # placeholder that no longer matches, after the structure was corrected, is drafted again)
    def key(r: dict[str, Any]) -> tuple[str, str, int]:
        return r["item_id"], r["quote"], int(r.get("occurrence", 1))

    drafted = {key(r) for r in reviews}
    stale = sorted(k for k, r in reviewed.items()
                   if k not in drafted and not str(r.get("subject", "")).startswith(UNREVIEWED))
    if stale:
        raise IngestError("[[claims]] entries of the hints that match no claim of this reading (has the "
                          "statement's item_id changed?): " + "; ".join(f"{k}" for k in stale))
    reviews = [reviewed.get(key(r), r) for r in reviews]
    d.notes += [n for n, r in zip(claim_notes, reviews) if str(r.get("subject", "")).startswith(UNREVIEWED)]
    stem = slugify(Path(source).stem) or document_id
    text_rel = f"sources/{stem}{got.suffix}"
    document = {"document_id": document_id, "organisation": organisation, "title": title, "plan_year": plan_year,
                "period_start": start, "period_end": end, "document_type": document_type or _document_type(title),
                "published": "", "source_path": text_rel, "source_sha256": hashlib.sha256(got.text).hexdigest(),
                "source_url": ""}
    provenance = {"producer": organisation, "rights": f"© {organisation}", "accessed": date.today().isoformat(),
                  "format_note": (got.format_note or f"{got.suffix.lstrip('.')} text")
                                 + (", hard-wrapped" if d.hints.wrapped else ""),
                  **given_provenance}
    original = None
    files: dict[str, bytes] = {text_rel: got.text}
    if got.original is not None:
        original = {"path": f"sources/{stem}{got.original_suffix}", "sha256": hashlib.sha256(got.original).hexdigest(),
                    **({"mediatype": got.media_type} if got.media_type else {})}
        files[original["path"]] = got.original
    plan_rel = f"plans/{document_id}.toml"
    files[plan_rel] = plan_toml(document, provenance, d.hints, reviews, original, got.pages, d.notes,
                                d.coverage).encode("utf-8")
    for rel in (text_rel, *([original["path"]] if original else [])):
        existing = package / rel
        if existing.exists() and existing.read_bytes() != files[rel]:
            raise IngestError(f"{existing}: a different file is already there; sources are never replaced "
                              "(rename the source file)")
    existed = (package / "package.toml").is_file()
    if existed:
        widened = _with_body((package / "package.toml").read_text(encoding="utf-8"), organisation)
        if widened is not None:
            files["package.toml"] = widened.encode("utf-8")
    backup = {rel: (package / rel).read_bytes() for rel in files if (package / rel).is_file()}
    try:
        package.mkdir(parents=True, exist_ok=True)
        if not existed:
            (package / "package.toml").write_text(_package_toml(package, organisation, title), encoding="utf-8")
        for rel, data in files.items():
            (package / rel).parent.mkdir(parents=True, exist_ok=True)
            (package / rel).write_bytes(data)
    except OSError as exc:
        raise IngestError(f"{package}: cannot write the package there: {exc.strerror or exc}") from None
    try:
        try:
            build(package=package)
        except BuildError as exc:
            if given is not None:
                raise
            # never all-or-nothing: the reading did not pass validation, so read the text plainly (every
            # list and number a narrative statement, nothing out of sequence stops it) and say why
            d = draft(document_id, got.lines, title, None, got.pages, got.layout, plain=True)
            d.notes.insert(0, Note("plain reading", None, f"the structured reading did not validate ({exc}); "
                                                          "lists and numbers are read as narrative: correct the "
                                                          "hints and read it again"))
            reviews, _ = _claim_reviews(d.parsed.items)
            files[plan_rel] = plan_toml(document, provenance, d.hints, reviews, original, got.pages, d.notes,
                                        d.coverage).encode("utf-8")
            (package / plan_rel).write_bytes(files[plan_rel])
            build(package=package)
    except BuildError as exc:
        if existed:  # leave an existing package as it was
            for rel in files:
                if rel in backup:
                    (package / rel).write_bytes(backup[rel])
                else:
                    (package / rel).unlink(missing_ok=True)
            raise IngestError(f"the draft does not build, so {package} is left as it was: {exc}") from None
        raise IngestError(f"the draft does not build: {exc}\nThe plan file is at {package / plan_rel}: correct "
                          f"its hints and run `lcplan ingest ... --hints {package / plan_rel}` again.") from None
    from lcplan.validate import validate

    result = Result(package, package / plan_rel, d, len(reviews), validate(package))
    result.crosswalk_draft = _crosswalk_draft(package, document_id, organisation, start)
    result.topics_draft = _topics_draft(package, document_id, d.parsed.items, d.parsed.sections)
    return result


def _topics_draft(package: Path, document_id: str, items: list[Any], sections: list[Any]) -> Path | None:
    """Suggested topics for the statements of the kinds that are coded, each read with its
    context (parent, section and the document's title), for review (needs the analysis extra).
    ``status`` says what to do with each row: ``suggested`` is a confident first topic (score at
    least :data:`lcplan.topics.CONFIDENT`), ``alternative`` another topic of that statement, and
    ``to review`` every topic of a statement the coder is not confident of: a reader codes it."""
    from dataclasses import asdict

    import pandas as pd

    from lcplan.loaders import forget, load
    from lcplan.registry import coded_kinds

    try:
        from lcplan.topics import code_topics, item_context, statement
    except ImportError:
        return None
    coded = [i for i in items if i.kind in coded_kinds()]
    if not coded:
        return None
    frame = pd.DataFrame([asdict(i) for i in items]).assign(document_id=document_id)
    headings = pd.DataFrame([asdict(s) for s in sections]) if sections else pd.DataFrame(columns=["section_id", "title"])
    forget()
    documents = load("documents", package)
    context = item_context(frame, headings, documents=documents[documents["document_id"] == document_id])
    try:
        got = code_topics([statement(asdict(i)) for i in coded], context=[context[i.item_id] for i in coded])
    except ImportError:  # scikit-learn is not installed: no suggestions
        return None
    per = len(got) // len(coded)  # the same number of suggestions for every statement, in order
    got.insert(0, "item_id", [i.item_id for i in coded for _ in range(per)])
    sure = set(got.loc[got["confident"], "item_id"])
    got["status"] = ["suggested" if c else "alternative" if i in sure else "to review"
                     for i, c in zip(got["item_id"], got["confident"])]
    path = package / "drafts" / f"{document_id}-topics.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    got.drop(columns="confident").to_csv(path, index=False)
    return path


def _crosswalk_draft(package: Path, document_id: str, organisation: str, start: str) -> Path | None:
    """A draft crosswalk against the organisation's latest earlier plan, with both texts, for review."""
    from lcplan.loaders import forget, load

    forget()
    docs = load("documents", package)
    earlier = docs[(docs["organisation"] == organisation) & (docs["period_start"] < start)]
    if earlier.empty:
        return None
    try:
        from lcplan.matching import draft_crosswalk
    except ImportError:
        return None
    from lcplan.registry import kinds_where

    old = earlier.sort_values("period_start")["document_id"].iloc[-1]
    # statements are compared within a role (work with work, commitments with commitments, ...)
    groups = [kinds_where("role", role) for role in ("work", "commitment", "purpose")]
    cw = draft_crosswalk(old, document_id, groups=groups, package=package)
    text = load("items", package).set_index("item_id")["text"]
    cw = cw.assign(from_text=cw["from_item_id"].map(text), to_text=cw["to_item_id"].map(text))
    path = package / "drafts" / f"{document_id}-crosswalk.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    cw.to_csv(path, index=False)
    return path


def progress_bar(stream: Any = sys.stderr) -> Callable[[int, int], None]:
    """A progress bar for long documents: redrawn in place on a terminal, every 10% otherwise."""
    def show(k: int, n: int) -> None:
        if n < 10:
            return
        filled = int(30 * k / n)
        line = f"pages [{'#' * filled}{'.' * (30 - filled)}] {k}/{n}"
        if stream.isatty():
            stream.write("\r" + line + ("\n" if k == n else ""))
        elif k == n or k % max(1, n // 10) == 0:
            stream.write(line + "\n")
        stream.flush()

    return show
