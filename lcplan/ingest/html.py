"""A web page saved to a file (``text/html``): its text as Markdown, headings and lists from the markup.

A council's plan is often a web page. The page is read with the standard library's HTML parser:
``<h1>``-``<h6>`` become Markdown headings of their level, ``<li>`` items of ``<ul>``/``<ol>``
become ``-``/``1.`` list items (indented under their parent item), and paragraphs, table cells,
``<br>`` and other blocks become lines. What is not the page's own text is left out and said
in the plan file's provenance: ``<script>``, ``<style>``, ``<template>``, ``<noscript>``, the
page's ``<head>``, and its ``<nav>``, ``<header>`` and ``<footer>`` (site furniture). The
Markdown is the source lcplan stores; the page itself is kept beside it as the original.
"""

from __future__ import annotations

from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

from lcplan.ingest.model import Extracted, IngestError
from lcplan.text import markdown_blocks, source_lines

MEDIA_TYPES = {".html": "text/html", ".htm": "text/html"}
SUFFIXES = tuple(MEDIA_TYPES)
EXTRA = ""

SKIPPED = ("script", "style", "template", "noscript", "head", "nav", "header", "footer")
BLOCKS = ("p", "div", "section", "article", "main", "aside", "blockquote", "tr", "table", "dl", "dt", "dd",
          "figure", "figcaption", "caption", "pre", "address", "hr", "form", "fieldset", "body")
NOTE = ("Text of the web page read by lcplan ingest (the standard library's HTML parser): headings and list "
        "items from the markup, as Markdown; scripts, styles and the page's head, navigation, header and footer "
        "left out")


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.buffer: list[str] = []
        self.prefix = ""
        self.skipping: list[str] = []  # the open elements whose text is not the page's own
        self.lists: list[list[int | str]] = []  # per open list: [kind, number]
        self.cells: list[str] | None = None
        self.items = 0  # open <li> elements

    def _flush(self) -> None:
        """Write what has been read since the last block: a line with the pending heading or
        list-item prefix (kept for the block's first text, when the block starts empty), or a cell."""
        text = " ".join("".join(self.buffer).split())
        self.buffer = []
        if text:
            if self.cells is not None:
                self.cells.append(text)
            else:
                self.lines.append(self.prefix + text)
            self.prefix = ""

    def _row(self) -> None:
        """Write the open table row, if any: its cells joined by ' | '."""
        self._flush()
        cells, self.cells = self.cells, None
        if cells:
            self.lines.append(" | ".join(cells))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "body" and "head" in self.skipping:  # a page whose </head> is left out
            self.skipping.remove("head")
        if tag in SKIPPED:
            self.skipping.append(tag)
            return
        if self.skipping:
            return
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self._flush()
            self.prefix = "#" * int(tag[1]) + " "
        elif tag in ("ul", "ol"):
            self._flush()
            self.lists.append([tag, 0])
        elif tag == "li":
            self._flush()
            self.items += 1
            depth = max(0, len(self.lists) - 1)
            kind = self.lists[-1] if self.lists else ["ul", 0]
            if kind[0] == "ol":
                kind[1] = int(kind[1]) + 1
                self.prefix = "   " * depth + f"{kind[1]}. "
            else:
                self.prefix = "  " * depth + "- "
        elif tag == "tr":
            self._row()  # a row whose </tr> is left out ends where the next begins
            self.cells = []
        elif tag in ("td", "th"):
            self._flush()
        elif tag == "br" and self.items:
            self.buffer.append(" ")  # a line break inside a list item keeps the item whole
        elif tag == "br" or tag in BLOCKS:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIPPED:
            if tag in self.skipping:
                del self.skipping[len(self.skipping) - 1 - self.skipping[::-1].index(tag):]
            return
        if self.skipping:
            return
        if tag in ("ul", "ol"):
            self._flush()
            if self.lists:
                self.lists.pop()
        elif tag in ("td", "th"):
            self._flush()
        elif tag in ("tr", "table"):
            self._row()
        elif tag in ("h1", "h2", "h3", "h4", "h5", "h6", "li") or tag in BLOCKS:
            self._flush()
            if tag == "li":
                self.items = max(0, self.items - 1)
            if tag == "li" or tag.startswith("h") and tag[1:].isdigit():
                self.prefix = ""  # an empty heading or item gives nothing to what follows

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.buffer.append(data)


def markdown(page: str) -> list[str]:
    """A web page's text as Markdown lines: headings, list items and blocks, blank lines between blocks."""
    reader = _Reader()
    reader.feed(page)
    reader.close()
    reader._flush()
    return markdown_blocks(reader.lines)


def read(path: Path, progress: Callable[[int, int], None] | None = None) -> Extracted:
    data = path.read_bytes()
    try:
        page = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise IngestError(f"{path}: not UTF-8 (byte {exc.start}); save the page as UTF-8") from None
    lines = markdown(page)
    if not any(line.strip() for line in lines):
        raise IngestError(f"{path}: the page has no text outside scripts, styles, navigation, header and footer")
    text = ("\n".join(lines) + "\n").encode("utf-8")
    return Extracted(source_lines(text), text, ".md", original=data, original_suffix=path.suffix.lower(),
                     format_note=NOTE,
                     media_type=MEDIA_TYPES[path.suffix.lower()])
