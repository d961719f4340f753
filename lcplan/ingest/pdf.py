"""PDF (``application/pdf``): a plan's text read by its layout, not by its extracted lines.

pdfplumber (on pdfminer.six) gives every character with its position, font name and size, the
text lines pdfminer's layout analysis groups into boxes (a column's paragraph), and the page's
ruled tables. From them, page by page:

- **Lines**: pdfminer's lines, with the fragments it splits off a line (a footnote mark, a bullet
  glyph in a box of its own) put back on it; runs of spaces inside a line are one space.
- **Furniture by position**: a line in the top or bottom band of the page whose wording (numbers
  aside) recurs on other pages at about the same height is a running header or footer; a number
  alone in that band is a page number; small print at the foot of a page under the body is a
  footnote; short small print elsewhere is a figure's labels. A short line alone is never
  furniture for being short.
- **Bullets by glyph and font**: a line that starts with a glyph from a symbol font (Symbol,
  Wingdings, Dingbats: ``n``, ``q``, ``§``, private-use code points) or a bullet character is
  written with ``•``; one indented right of the page's first bullets is a sub-bullet (indented).
- **Headings by font**: lines set larger than the body, or in bold on their own, short, with no
  closing full stop; their level is the rank of their size among the headings' sizes.
- **Paragraphs by layout**: one block per pdfminer box, cut again where a line starts a list item
  or the style changes; a blank line between blocks; a block that ends mid-sentence and is
  continued (in lower case) at the top of the next column or page is not cut.
- **Tables as tables**: a ruled table whose cells hold text (not a chart's grid) is written as
  Markdown pipe rows, one line a row, its cells' lines joined; the lines inside it are not read
  again as text.

The result is the text ``lcplan`` stores (each statement cites its lines in it) and the layout's
evidence (:class:`Layout`) for the draft's hints.
"""

from __future__ import annotations

import logging
import re
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from lcplan.ingest.model import Extracted, IngestError, Layout, TableSpan
from lcplan.text import BULLET_GLYPHS, BULLETS, column_keys, join_lines, marker, source_lines

MEDIA_TYPE = "application/pdf"
SUFFIXES = (".pdf",)
EXTRA = "ingest"

_SYMBOL_FONT = re.compile(r"symbol|wingding|dingbat|webding|zapf", re.I)
_TERMINAL = re.compile(r"[.!?:;]['’\"”)]?$")
_NUMBERISH = re.compile(r"^(?:page\s*)?[0-9ivxlc]{1,4}(?:\s*(?:of|/)\s*[0-9]{1,4})?$", re.I)
_NOTE_START = re.compile(r"^(?:[0-9]{1,3}|[*†‡§])\s*\S")
_SOURCE = re.compile(r"^(?:sources?|notes?)\s*:", re.I)
_CID = re.compile(r"\(cid:[0-9]+\)")
_CONTENTS = re.compile(r"^(?:table of )?contents$", re.I)
_TOC_ENTRY = re.compile(r"(?:\.{4,}|…{2,}|(?:\. ){4,})\s*[0-9ivx]{1,4}$")
_CAPTION = re.compile(r"^(?:(?:figure|fig\.|chart|graph|map|diagram|exhibit|illustration)\s+[0-9]+(?:\.[0-9A-Z]+|[A-Z])?\s*[:.–-]"
                      r"|sources?\s*:|notes?\s*:)", re.I)
_LABEL_ALONE = re.compile(r"^(?:\(?[0-9]{1,3}(?:\.[0-9]{1,3})*[.)]?|\([a-z]\)|[a-z]\)|\(?[ivx]{1,4}\))$")


def _starts_item(text: str) -> bool:
    """A line that starts a list item: a bullet glyph or a numbered marker (a dash is a bullet only
    where :func:`_mark_bullets` decides so, by the layout)."""
    return text[:1] in BULLETS or marker(text) is not None


@dataclass
class _Line:
    page: int
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool
    text: str
    box: int
    bullet: str = ""  # the bullet glyph it started with ("" if none)
    indent: int = 0  # 1 for a sub-bullet
    why: str = ""  # furniture: the reason
    kind: str = ""  # printed apart from the text, kept as an item of this kind: note, caption, figure_text
    heading: float = 0.0  # the size that makes it a heading candidate (0: not one)

    @property
    def height(self) -> float:
        return self.bottom - self.top


@dataclass
class _Table:
    page: int
    top: float
    bottom: float
    x0: float
    x1: float
    rows: list[list[str]] = field(default_factory=list)
    kind: str = ""  # figure_text: a grid inside a figure


def _is_bold(fontname: str) -> bool:
    return bool(re.search(r"bold|black|heavy|semibold|demi", fontname, re.I))


def _chars_of(line: Any) -> list[Any]:
    from pdfminer.layout import LTChar

    return [c for c in line if isinstance(c, LTChar)]


def _line_text_of(line: Any, size: float) -> str:
    """A line's text from its characters: pdfminer's spaces, runs of spaces as one, and no footnote
    marks (digits set small and raised above the line's baseline)."""
    from pdfminer.layout import LTChar

    parts: list[str] = []
    base = min((c.y0 for c in line if isinstance(c, LTChar) and abs(c.size - size) < 0.2), default=None)
    for c in line:
        t = c.get_text()
        if isinstance(c, LTChar) and base is not None and c.size < 0.8 * size and c.y0 > base + 0.15 * size \
                and (t.isdigit() or t in "*†‡,"):
            continue
        parts.append(t)
    return re.sub(r"\s+", " ", "".join(parts)).strip()


def _page_lines(page: Any, number: int, box_base: int) -> tuple[list[_Line], int]:
    """The text lines of one page, top to bottom within pdfminer's boxes, in its reading order."""
    from pdfminer.layout import LTTextBox, LTTextLine

    height = page.height
    out: list[_Line] = []
    box_no = box_base

    def walk(obj: Any) -> None:
        nonlocal box_no
        for child in obj:
            if isinstance(child, (LTTextBox, LTTextLine)):  # a line pdfminer left outside a box is a box of its own
                box_no += 1
                for line in (child if isinstance(child, LTTextBox) else [child]):
                    if not isinstance(line, LTTextLine):
                        continue
                    chars = _chars_of(line)
                    visible = [c for c in chars if c.get_text().strip()]
                    if not visible:
                        continue
                    sizes = Counter(round(c.size, 1) for c in visible)
                    size = sizes.most_common(1)[0][0]
                    text = _line_text_of(line, size)
                    if not text:
                        continue
                    bold = sum(_is_bold(c.fontname) for c in visible) >= 0.8 * len(visible)
                    first = visible[0]
                    bullet = ""
                    glyph = first.get_text()
                    rest = text[len(glyph):] if text.startswith(glyph) else text
                    unmapped = bool(_CID.fullmatch(glyph))  # a glyph with no character: pdfminer's (cid:N)
                    if ((_SYMBOL_FONT.search(first.fontname) or unmapped) and (len(glyph) == 1 or unmapped)
                            and (rest[:1] in (" ", "") or len(visible) == 1)) \
                            or (len(glyph) == 1 and "\uf000" <= glyph <= "\uf8ff") \
                            or (glyph in BULLET_GLYPHS and glyph not in "-–*" and rest[:1] == " ") \
                            or (glyph in BULLET_GLYPHS and not rest.strip()):
                        bullet, text = glyph, rest.strip()
                    sideways = sum(1 for c in visible if not getattr(c, "upright", True)) > len(visible) / 2
                    out.append(_Line(number, line.x0, line.x1, height - line.y1, height - line.y0, size, bold,
                                     text, box_no, bullet=bullet,
                                     kind="figure_text" if sideways else ""))
            elif hasattr(child, "__iter__"):
                try:
                    walk(child)
                except TypeError:
                    pass

    walk(page.layout)
    return _merge_fragments(out), box_no


def _merge_fragments(lines: list[_Line]) -> list[_Line]:
    """Put back on a line the fragments pdfminer split off it: a bullet glyph in a box of its own,
    a footnote mark or a run after it, printed on the same baseline just beside it."""
    import bisect

    taken: set[int] = set()
    # the lines beside each line (sharing half the smaller height), found through the lines sorted by top:
    # a line's top and bottom never change here, so this is computed once (a dense page stays fast)
    order = sorted(range(len(lines)), key=lambda k: lines[k].top)
    tops = [lines[k].top for k in order]
    tallest = max((ln.height for ln in lines), default=0.0)
    beside: list[list[int]] = []
    for a in lines:
        lo, hi = bisect.bisect_left(tops, a.top - tallest), bisect.bisect_right(tops, a.bottom)
        near = sorted(k for k in order[lo:hi]
                      if min(a.bottom, lines[k].bottom) - max(a.top, lines[k].top) >= 0.5 * min(a.height, lines[k].height))
        beside.append(near)
    for i, a in enumerate(lines):
        if i in taken:
            continue
        for j in beside[i]:
            b = lines[j]
            if j == i or j in taken:
                continue
            gap = b.x0 - a.x1
            if a.bullet and not a.text and -1 <= gap <= 4 * max(a.size, b.size) and not b.bullet:
                b.bullet, b.x0 = a.bullet, a.x0  # a glyph alone, then its item's text: the text keeps its box
                taken.add(i)
                break
            if _LABEL_ALONE.match(a.text) and not a.bullet and not b.bullet and 0 <= gap <= 12 * max(a.size, b.size) \
                    and not _LABEL_ALONE.match(b.text) and b.text[:1].isalpha():
                b.text, b.x0 = f"{a.text} {b.text}", a.x0  # a paragraph's number in the margin, then its text
                taken.add(i)
                break
            # a run split off at a footnote mark or a font change: nearly touching (a column's gutter is wider)
            if not b.bullet and -1 <= gap <= 0.6 * max(a.size, b.size) and a.text and b.text \
                    and a.size >= b.size * 0.6 and b.size >= a.size * 0.6 and not _starts_item(b.text):
                a.text = f"{a.text} {b.text}" if gap > 0.15 * a.size else a.text + b.text
                a.x1 = b.x1
                taken.add(j)
    kept = [ln for k, ln in enumerate(lines) if k not in taken]
    for ln in kept:
        if ln.bullet and not ln.text:
            ln.text, ln.bullet = ln.bullet, ""
            ln.why = "a bullet glyph with no text beside it"
    return kept


def _tables(page: Any, number: int) -> list[_Table]:
    """The page's ruled tables whose cells hold statements' text (a chart's grid is not one)."""
    out = []
    for t in page.find_tables():
        rows = [[_CID.sub("•", join_lines((c or "").split("\n"))) for c in r] for r in t.extract()]
        rows = [r for r in rows if any(r)]
        if len(rows) < 2 or max(len(r) for r in rows) < 2:
            continue
        filled = [r for r in rows if sum(1 for c in r if c) >= 2]
        longest = max(statistics.mean(len(r[k]) for r in rows if k < len(r)) for k in range(max(len(r) for r in rows)))
        if len(filled) < 2 or longest < 20:
            continue
        x0, top, x1, bottom = t.bbox
        # drop columns that are empty in every row (a merged cell's ghosts)
        width = max(len(r) for r in rows)
        keep = [k for k in range(width) if any(k < len(r) and r[k] for r in rows)]
        rows = [[(r[k] if k < len(r) else "") for k in keep] for r in rows]
        out.append(_Table(number, top, bottom, x0, x1, rows))
    return out


def _mark_figures(lines: list[_Line], widths: dict[int, float]) -> list[tuple[int, float, float, float, float]]:
    """A figure's words: what is printed between a figure's caption ("Figure 2: ...") and its source
    or note line below it, on one page, in the caption's column (or across the page when the caption
    or the source line crosses the middle)."""
    regions = []  # (page, top, bottom, left, right)
    by_page: dict[int, list[_Line]] = defaultdict(list)
    for ln in lines:
        by_page[ln.page].append(ln)
    for p, page_lines in by_page.items():
        middle = widths[p] / 2
        for cap in page_lines:
            if cap.kind != "caption" or _SOURCE.match(cap.text):
                continue
            below = [ln for ln in page_lines if _SOURCE.match(ln.text) and ln.top > cap.bottom
                     and ln.x0 < cap.x1 and ln.x1 > cap.x0]
            if not below:
                continue
            src = min(below, key=lambda ln: ln.top)
            left = min(cap.x0, src.x0) - 5
            right = widths[p] if max(cap.x1, src.x1) > middle + 20 or min(cap.x0, src.x0) > middle else middle + 10
            for ln in page_lines:
                if cap.bottom <= ln.top and ln.bottom <= src.top and left <= ln.x0 and ln.x1 <= right \
                        and not ln.why and not ln.kind:
                    ln.kind = "figure_text"
            src.kind = "caption"
            regions.append((p, cap.bottom, src.top, left, right))
    return regions


def _mark_furniture(lines: list[_Line], heights: dict[int, float], body: float,
                    widths: dict[int, float]) -> list[tuple[int, float, float, float, float]]:
    """Running headers and footers, page numbers, footnotes and figures' labels, by position."""
    band = {p: 0.09 * h for p, h in heights.items()}
    pages = len(heights)

    def edge(ln: _Line) -> bool:
        return ln.top < band[ln.page] or ln.bottom > heights[ln.page] - band[ln.page]

    norm = {id(ln): re.sub(r"[0-9]+", "#", ln.text.lower()) for ln in lines}
    where: dict[str, set[int]] = defaultdict(set)
    for ln in lines:
        if edge(ln):
            where[norm[id(ln)]].add(ln.page)
    for ln in lines:
        if ln.bullet:
            continue
        if edge(ln) and _NUMBERISH.match(ln.text):
            ln.why = "a page number (a number alone at the page's edge)"
        elif edge(ln) and len(where[norm[id(ln)]]) >= max(2, min(3, pages // 4)) and len(ln.text) < 150:
            ln.why = "a running header or footer (the same words at the page's edge on several pages)"
    # contents pages: a page titled "Contents", or lines that end in dot leaders and a page number
    by_page_all: dict[int, list[_Line]] = defaultdict(list)
    for ln in lines:
        by_page_all[ln.page].append(ln)
    for page_lines in by_page_all.values():
        titled = any(_CONTENTS.match(ln.text) for ln in page_lines[:6])
        numbered = [ln for ln in page_lines if _TOC_ENTRY.search(ln.text)]
        if titled or len(numbered) >= 4:
            title = next((ln for ln in page_lines[:6] if _CONTENTS.match(ln.text)), None)
            ends = [ln.bottom for ln in page_lines if _TOC_ENTRY.search(ln.text) or (
                title is not None and ln.top >= title.top and re.search(r"(?:^|\s)[0-9ivx]{1,4}$", ln.text))]
            last = max(ends, default=title.bottom if title is not None else 0)
            for ln in page_lines:  # the entries, and the short lines among them (a part's name)
                entry = _TOC_ENTRY.search(ln.text) or (title is not None and title.top <= ln.top and ln.bottom <= last + 1
                                                       and (ln is title or len(ln.text) < 90))
                if not ln.why and entry:
                    ln.why = "a table of contents"
        # an imprint: a copyright notice and the licence on one page
        text = " ".join(ln.text for ln in page_lines)
        if "©" in text and re.search(r"licen[cs]e", text, re.I) and len(page_lines) <= 25:
            for ln in page_lines:
                if not ln.why:
                    ln.kind = "imprint"  # sentences: kept, as the document's imprint
    for ln in lines:
        if not ln.why and _CAPTION.match(ln.text) and len(ln.text) < 200:
            ln.kind = "caption"
    figures = _mark_figures(lines, widths)
    for a, b in zip(lines, lines[1:]):  # a caption's second line
        if a.kind == "caption" and not b.kind and not b.why and b.box == a.box and abs(b.size - a.size) < 0.3 \
                and b.bold == a.bold and 0 <= b.top - a.bottom < a.height:
            b.kind = "caption"
    # footnotes: small print below the body at the foot of the page, and figures' labels
    by_page: dict[int, list[_Line]] = defaultdict(list)
    for ln in lines:
        by_page[ln.page].append(ln)
    for p, page_lines in by_page.items():
        body_lines = [ln for ln in page_lines if abs(ln.size - body) <= 0.6 and not ln.why]
        lowest = max((ln.bottom for ln in body_lines), default=0)
        for ln in page_lines:
            if ln.why or ln.kind or ln.size > body * 0.85:
                continue
            if ln.top >= lowest - 1 and ln.top > heights[p] * 0.6:
                ln.kind = "note"  # small print at the foot of the page, under the text
            elif len(ln.text.split()) <= 6 and not ln.bullet:
                ln.kind = "figure_text"  # short, set smaller than the text
    return figures


def _mark_headings(lines: list[_Line], body: float) -> None:
    """Heading candidates: set larger than the body text, or in bold in a box of at most three lines
    (a paragraph set in bold is not a heading); short, starting with a capital or a number, not
    ending a sentence."""
    box_lines = Counter(ln.box for ln in lines)
    for ln in lines:
        if ln.why or ln.kind or ln.bullet or len(ln.text) > 120 or len(ln.text.split()) > 16:
            continue
        if not re.search(r"[^\W\d_]", ln.text) or not (ln.text[:1].isupper() or ln.text[:1].isdigit()):
            continue
        if _TERMINAL.search(ln.text) and not ln.text.endswith(":"):
            continue
        larger = (ln.size >= body * 1.15 and box_lines[ln.box] <= 6) or (ln.size >= body * 1.05 and box_lines[ln.box] <= 2)
        if larger or (ln.bold and ln.size >= body * 0.95 and box_lines[ln.box] <= 3):
            ln.heading = round(ln.size * 2) / 2 + (0.25 if ln.bold else 0)
    for a, b in zip(lines, lines[1:]):  # a heading's second line may start in lower case
        if a.heading and not b.heading and not b.why and not b.kind and not b.bullet and abs(b.size - a.size) < 0.3 \
                and b.bold == a.bold and len(b.text) <= 120 and not _TERMINAL.search(b.text) \
                and 0 <= b.top - a.bottom < a.height and b.text[:1].islower():
            b.heading = a.heading
        elif a.heading and not b.heading and not b.why and not b.kind and abs(b.size - a.size) < 0.3 \
                and 0 <= b.top - a.bottom < a.height and b.text[:1].islower():
            a.heading = 0.0  # a sentence in bold that runs on ("... the Federal Government" / "will:")


_DASH = re.compile(r"^[–—-] (?=\S)")


def _mark_bullets(lines: list[_Line]) -> None:
    """A line that starts with a dash is a bullet when its text hangs (the line under it starts
    right of the dash) or the line above ended a sentence or a clause; a bullet indented right of
    the first bullets of its column is a sub-bullet."""
    for k, ln in enumerate(lines):
        if ln.bullet or ln.why or ln.kind or not _DASH.match(ln.text):
            continue
        prev = lines[k - 1] if k and lines[k - 1].page == ln.page else None
        nxt = lines[k + 1] if k + 1 < len(lines) and lines[k + 1].page == ln.page else None
        hangs = nxt is not None and nxt.box == ln.box and nxt.x0 > ln.x0 + 3 and abs(nxt.top - ln.bottom) < ln.height
        after = prev is None or prev.bullet or re.search(r"[.;:!?]$", prev.text) is not None
        if hangs or (after and (prev is None or prev.x0 > ln.x0 - 1)):
            ln.bullet, ln.text = ln.text[0], ln.text[2:]
    by_page: dict[int, list[_Line]] = defaultdict(list)
    for ln in lines:
        if ln.bullet and not ln.why and not ln.kind:
            by_page[ln.page].append(ln)
    for bullets in by_page.values():
        for ln in bullets:
            left = [b.x0 for b in bullets if abs(b.x0 - ln.x0) < 150 and b.x0 <= ln.x0]
            if left and ln.x0 - min(left) > 8:
                ln.indent = 1


def _blocks(lines: list[_Line], body_gap: float) -> list[list[_Line]]:
    """Lines cut into blocks: pdfminer's boxes, cut again where a line starts a list item, the
    style changes (a heading over its text), or the gap between lines is wider than a paragraph's."""
    blocks: list[list[_Line]] = []
    for ln in lines:
        cur = blocks[-1] if blocks else None
        if cur is None or ln.why or cur[-1].why or ln.kind != cur[-1].kind:
            blocks.append([ln])
            continue
        prev = cur[-1]
        if ln.kind:  # notes, captions, a figure's words: a block a box, and a note a number
            if ln.box != prev.box or (ln.kind == "note" and _NOTE_START.match(ln.text)):
                blocks.append([ln])
            else:
                cur.append(ln)
            continue
        new_item = bool(ln.bullet) or bool(_starts_item(ln.text)) and not prev.text.endswith((",", "-"))
        style_change = bool(ln.heading) != bool(prev.heading) or (ln.heading and abs(ln.heading - prev.heading) > 0.1)
        gap = ln.top - prev.bottom
        # a gap wider than a paragraph's own, or a jump up or across to another column
        wide = gap > max(body_gap * 1.5, body_gap + 0.35 * prev.height) or gap < -prev.height \
            or abs(ln.x0 - prev.x0) > 200
        # a sentence closed, and the next line indented as a paragraph's first line, or in another of
        # pdfminer's boxes a little further down (pdfminer starts a box where a hanging indent changes)
        closed = _TERMINAL.search(prev.text) is not None and not ln.text[:1].islower()
        new_box = closed and ((ln.x0 > prev.x0 + 6 and not ln.bullet) or
                              (ln.box != prev.box and gap > body_gap * 1.2 + 0.5))
        heading_run = bool(ln.heading) and not style_change and 0 <= gap < 1.2 * ln.height and len(cur) < 4
        if heading_run:
            cur.append(ln)
        elif new_box or new_item or style_change or wide:
            blocks.append([ln])
        else:
            cur.append(ln)
    return blocks


_WORD = re.compile(r"[^\W\d_]+(?:[-‐][^\W\d_]+)*")
_BROKEN = re.compile(r"(?<![^\W\d_])([^\W\d_]+)[-‐‑\u00ad]$")


def _vocabulary(lines: list[_Line]) -> tuple[set[str], set[str]]:
    """The document's words, and its words printed with a hyphen inside a line (lower case)."""
    words: set[str] = set()
    hyphenated: set[str] = set()
    broken_before = False
    for ln in lines:
        found = _WORD.findall(ln.text.lower())
        breaks = bool(_BROKEN.search(ln.text))
        # the halves of a word broken at a wrap are not words: the first word after a break, the last before one
        found = found[(1 if broken_before else 0):(len(found) - 1 if breaks else len(found))]
        broken_before = breaks
        for w in found:
            if "-" in w or "‐" in w:
                hyphenated.add(w.replace("‐", "-"))
                words.update(re.split(r"[-‐]", w))
            else:
                words.add(w)
    return words, hyphenated


def _mend_hyphens(block: list[_Line], words: set[str], hyphenated: set[str]) -> None:
    """A word broken at a line's end is written whole on the line where it starts: without the
    hyphen when it only breaks the word (``protec-`` / ``tions``), with it when the document prints
    the word with its hyphen elsewhere or both halves are words of the document and the whole is not
    (``dementia-`` / ``friendly``)."""
    for a, b in zip(block, block[1:]):
        m = _BROKEN.search(a.text)
        if not m or a.why or b.why or not b.text[:1].isalpha() or not b.text[:1].islower():
            continue
        head = m[1]
        tail = re.match(r"[^\W\d_]+", b.text)[0]
        joined, kept = (head + tail).lower(), f"{head}-{tail}".lower()
        keep = kept in hyphenated or (joined not in words and head.lower() in words and tail.lower() in words
                                      and len(tail) > 2)
        rest = b.text[len(tail):]
        trailing = re.match(r"[^\s]*", rest)[0]  # the word's punctuation comes along ("friendly,")
        a.text = a.text[:-1] + ("-" if keep else "") + tail + trailing
        b.text = rest[len(trailing):].lstrip()


def _line_text(ln: _Line) -> str:
    if ln.bullet:
        return ("  " * ln.indent) + "• " + ln.text
    return ln.text


def read(path: Path, progress: Callable[[int, int], None] | None = None) -> Extracted:
    """A PDF's text by its layout, with a page map and the layout's evidence for the hints."""
    from lcplan.extras import require

    pdfplumber = require("ingest", "pdfplumber")
    for name in ("pdfminer", "pdfplumber"):
        logging.getLogger(name).setLevel(logging.ERROR)
    try:
        pdf = pdfplumber.open(str(path), laparams={"line_margin": 0.5, "char_margin": 2.0})
        n = len(pdf.pages)
    except Exception as exc:  # pdfminer raises many kinds of error for a damaged file
        raise IngestError(f"{path}: cannot be read as a PDF ({type(exc).__name__}: {exc})") from None
    all_lines: list[_Line] = []
    tables: list[_Table] = []
    heights: dict[int, float] = {}
    widths: dict[int, float] = {}
    unreadable: list[tuple[int, str]] = []
    box_base = 0
    with pdf:
        for k, page in enumerate(pdf.pages, start=1):
            heights[k] = float(page.height)
            widths[k] = float(page.width)
            got, found = [], []
            try:
                got, box_base = _page_lines(page, k, box_base)
            except Exception as exc:  # one unreadable page does not stop the draft: it is said
                unreadable.append((k, f"{type(exc).__name__}: {exc}"[:120]))
            try:
                found = _tables(page, k) if got else []
            except Exception as exc:  # its tables then are read as its text
                unreadable.append((k, f"tables: {type(exc).__name__}: {exc}"[:120]))
            for t in found:  # lines inside a table are read as its cells
                got = [ln for ln in got if not (t.top - 1 <= (ln.top + ln.bottom) / 2 <= t.bottom + 1
                                                 and t.x0 - 1 <= (ln.x0 + ln.x1) / 2 <= t.x1 + 1)]
            all_lines += got
            tables += found
            if progress:
                progress(k, n)
    if not all_lines and not tables:
        raise IngestError(f"{path}: the PDF has no text layer (a scan?): run OCR on it first, or give the text "
                          "as a .txt or .md file")
    sizes = Counter()
    for ln in all_lines:
        sizes[round(ln.size, 1)] += len(ln.text)
    body = sizes.most_common(1)[0][0] if sizes else 10.0
    # the usual gap between two lines of a paragraph: the median over consecutive body lines of a column
    gaps = [b.top - a.bottom for a, b in zip(all_lines, all_lines[1:])
            if a.page == b.page and abs(a.x0 - b.x0) < 50 and abs(a.size - body) < 0.6 and abs(b.size - body) < 0.6
            and 0 <= b.top - a.bottom < 2 * body]
    body_gap = statistics.median(gaps) if gaps else body * 0.3
    figures = _mark_furniture(all_lines, heights, body, widths)
    # a table whose cells print " | " cannot be written one row a line: its cells are read as text
    for t in [t for t in tables if any("|" in c for r in t.rows for c in r)]:
        tables.remove(t)
        cells = [_Line(t.page, t.x0, t.x1, t.top + k, t.top + k + 1, body, False, c, -1 - k)
                 for k, c in enumerate(c for r in t.rows for c in r if c)]
        at = next((i for i, ln in enumerate(all_lines) if ln.page > t.page or (ln.page == t.page and ln.top > t.top)),
                  len(all_lines))
        all_lines[at:at] = cells  # where the table stood, a cell a block
    for t in tables:  # a grid drawn inside a figure is the figure's words, not a table of statements
        if any(p == t.page and top - 1 <= t.top and t.bottom <= bottom + 1 and left - 5 <= t.x0 and t.x1 <= right + 5
               for p, top, bottom, left, right in figures):
            t.kind = "figure_text"
    _mark_bullets(all_lines)
    _mark_headings(all_lines, body)
    got = _write(all_lines, tables, n, path, body_gap)
    got.layout.unreadable = unreadable
    return got


def _write(lines: list[_Line], tables: list[_Table], n_pages: int, path: Path, body_gap: float) -> Extracted:
    """The text, block by block with a blank line between; a page's furniture is written after the
    block it interrupts, so a statement that runs on over a page break stays on consecutive lines
    (its lines are then counted on the page where it starts)."""
    out: list[str] = []
    page_of: list[int] = []
    layout = Layout()
    heading_sizes = sorted({ln.heading for ln in lines if ln.heading}, reverse=True)
    rank = {s: min(i + 1, 4) for i, s in enumerate(heading_sizes)}
    by_page: dict[int, list[_Line]] = defaultdict(list)
    for ln in lines:
        by_page[ln.page].append(ln)
    t_by_page: dict[int, list[_Table]] = defaultdict(list)
    for t in tables:
        t_by_page[t.page].append(t)
    deferred: list[list[_Line]] = []  # furniture and notes met since the last block, written once it is closed
    state = {"open": False, "page": 1, "full": False}

    def emit(text: str) -> int:
        out.append(text)
        page_of.append(state["page"])
        return len(out)

    def gap() -> None:
        if out and out[-1] != "":
            emit("")

    def flush() -> None:
        for block in deferred:
            state["page"] = block[0].page
            if block[0].kind:  # a note, a caption, a figure's words: a block of their own
                gap()
                for ln in block:
                    layout.kinds[emit(_line_text(ln))] = ln.kind
                gap()
            else:
                for ln in block:
                    layout.furniture[emit(ln.text)] = ln.why
        deferred.clear()

    def table(t: _Table) -> None:
        flush()
        gap()
        state["page"] = t.page
        _write_table(t, layout, emit)
        state["open"] = False

    words, hyphenated = _vocabulary(lines)
    for p in range(1, n_pages + 1):
        pending = sorted(t_by_page.get(p, []), key=lambda t: t.top)
        for block in _blocks(by_page.get(p, []), body_gap):
            _mend_hyphens(block, words, hyphenated)
            first = block[0]
            if first.why or first.kind:
                deferred.append(block)
                continue
            while pending and pending[0].top <= first.top:
                table(pending.pop(0))
            # a block that ended mid-sentence runs on here: this one starts in lower case, or the last
            # line above was full (justified to the block's width, so the sentence went on)
            continues = state["open"] and not first.bullet and not first.heading \
                and not _starts_item(first.text) and (first.text[:1].islower() or state["full"])
            if not continues:
                flush()
                gap()
            state["page"] = p
            for ln in block:
                if not ln.text:  # its only word went up to the line above (a mended hyphen)
                    continue
                no = emit(_line_text(ln))
                if ln.heading:
                    layout.headings[no] = rank[ln.heading]
            # the furniture a statement ran over is written once the statement is closed
            last = block[-1]
            width = max(ln.x1 - ln.x0 for ln in block)
            state["full"] = len(block) > 1 and (last.x1 - last.x0) >= 0.93 * width
            state["open"] = not first.heading and not _TERMINAL.search(last.text) and not last.text.endswith(("”", "’"))
        for t in pending:
            table(t)
    flush()
    while out and out[-1] == "":
        out.pop()
        page_of.pop()
    pages, seen = [], 0
    for k in range(1, n_pages + 1):  # the first line of each page: lines written for it, in order
        first_line = next((i + 1 for i in range(seen, len(page_of)) if page_of[i] >= k), len(out) + 1)
        pages.append(max(first_line, pages[-1] if pages else 1))
        seen = max(seen, first_line - 1)
    data = ("\n".join(out) + "\n").encode("utf-8")
    return Extracted(source_lines(data), data, ".txt", pages, path.read_bytes(), layout, original_suffix=".pdf",
                     media_type=MEDIA_TYPE, format_note="Text of the PDF read by its layout by lcplan ingest (pdfplumber): furniture, "
                                 "tables and bullets as listed in [reader]")


def _write_table(t: _Table, layout: Layout, emit: Callable[[str], int]) -> None:
    """A table as pipe rows, a row a line (its cells' lines joined); the first row is a header (with a
    rule under it) when its cells are short labels and no row above the body's is longer."""

    width = max(len(r) for r in t.rows)
    rows = [r + [""] * (width - len(r)) for r in t.rows]
    top = rows[0]
    header = len(rows) > 1 and all(len(c) <= 60 and not _TERMINAL.search(c) for c in top) and \
        max(len(c) for c in top) < max(len(c) for r in rows[1:] for c in r)
    first = emit("| " + " | ".join(c or " " for c in rows[0]) + " |")
    last = first
    if header:
        last = emit("|" + "---|" * width)
    for r in rows[1:]:
        last = emit("| " + " | ".join(c or " " for c in r) + " |")
    layout.tables.append(TableSpan(first, last, tuple(column_keys(top if header else None, width)), header, t.kind))
