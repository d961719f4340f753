"""A Word document (``.docx``): its text as Markdown, headings and lists from its paragraph styles.

Read with python-docx (the ``ingest`` extra), paragraphs and tables in the order they are
printed: a paragraph styled ``Title`` or ``Heading N`` becomes a Markdown heading of that level;
one styled as a list (``List Bullet``, ``List Number``, ``List Paragraph`` or any paragraph with
Word numbering), a ``-`` or ``1.`` list item, indented by its list level; a table row, its
cells joined by `` | ``; other paragraphs, lines of their own. Headers, footers and comments
are not read (site furniture of a document), and the plan file's provenance says so. The
Markdown is the source lcplan stores; the document itself is kept beside it as the original.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from lcplan.ingest.model import Extracted, IngestError
from lcplan.text import markdown_blocks, source_lines

MEDIA_TYPES = {".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
SUFFIXES = tuple(MEDIA_TYPES)
EXTRA = "ingest"

NOTE = ("Text of the Word document read by lcplan ingest (python-docx): headings and list items from its "
        "paragraph styles, as Markdown; page headers, footers and comments not read")
_LEVEL = re.compile(r"(\d+)\s*$")


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _text(element) -> str:
    """The text of a paragraph (or cell) as printed: every run's text, tracked insertions included
    (deletions are ``w:delText`` and stay out), tabs and breaks as spaces."""
    out = []
    for el in element.iter():
        if el.tag == _W + "t" and el.text:
            out.append(el.text)
        elif el.tag in (_W + "tab", _W + "br", _W + "cr"):
            out.append(" ")
    return " ".join("".join(out).split())


def _numbered(document, num_id: int, level: int, cache: dict) -> bool:
    """Whether Word's numbering ``num_id`` prints numbers (not bullets) at ``level``."""
    key = (num_id, level)
    if key not in cache:
        fmt = ""
        try:
            root = document.part.numbering_part.element
            num = next(n for n in root.iter(_W + "num") if n.get(_W + "numId") == str(num_id))
            abstract = num.find(_W + "abstractNumId").get(_W + "val")
            spec = next(a for a in root.iter(_W + "abstractNum") if a.get(_W + "abstractNumId") == abstract)
            lvl = next(lv for lv in spec.iter(_W + "lvl") if lv.get(_W + "ilvl") == str(level))
            fmt = lvl.find(_W + "numFmt").get(_W + "val")
        except (AttributeError, KeyError, NotImplementedError, StopIteration):
            fmt = ""
        cache[key] = bool(fmt) and fmt not in ("bullet", "none")
    return cache[key]


def _paragraph_line(document, par, numbers: dict[int, int], formats: dict) -> str | None:
    text = _text(par._p)
    if not text:
        return None
    style = (par.style.name if par.style is not None else "") or ""
    if style == "Title":
        return "# " + text
    if style.startswith("Heading"):
        m = _LEVEL.search(style)
        return "#" * min(6, int(m.group(1)) if m else 1) + " " + text
    num = par._p.pPr.numPr if par._p.pPr is not None else None
    if style.startswith("List") or num is not None:
        level = int(num.ilvl.val) if num is not None and num.ilvl is not None else (
            int(_LEVEL.search(style).group(1)) - 1 if _LEVEL.search(style) else 0)
        numbered = "Number" in style or (num is not None and num.numId is not None
                                         and _numbered(document, int(num.numId.val), level, formats))
        if numbered:
            for deeper in [k for k in numbers if k > level]:
                del numbers[deeper]
            numbers[level] = numbers.get(level, 0) + 1
            return "   " * level + f"{numbers[level]}. " + text
        return "  " * level + "- " + text
    numbers.clear()
    return text


def markdown(document) -> list[str]:
    """A python-docx Document's text as Markdown lines, blank lines between blocks; paragraphs and
    tables inside content controls (``w:sdt``) are read where they stand."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    lines: list[str] = []
    numbers: dict[int, int] = {}
    formats: dict = {}

    def walk(parent) -> None:
        for child in parent.iterchildren():
            tag = child.tag.rsplit("}", 1)[-1]
            if tag == "p":
                line = _paragraph_line(document, Paragraph(child, document), numbers, formats)
                if line is not None:
                    lines.append(line)
            elif tag == "tbl":
                numbers.clear()
                for row in Table(child, document).rows:
                    cells = [_text(c._tc) for c in row.cells]
                    if any(cells):
                        lines.append(" | ".join(cells))
            elif tag == "sdt":
                content = child.find(_W + "sdtContent")
                if content is not None:
                    walk(content)

    walk(document.element.body)
    return markdown_blocks(lines)


def read(path: Path, progress: Callable[[int, int], None] | None = None) -> Extracted:
    from lcplan.extras import require

    docx = require("ingest", "docx")
    data = path.read_bytes()
    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises several kinds of error for a file that is not a .docx
        raise IngestError(f"{path}: cannot be read as a Word document ({type(exc).__name__}: {exc})") from None
    lines = markdown(document)
    if not lines:
        raise IngestError(f"{path}: the document has no text in its body")
    text = ("\n".join(lines) + "\n").encode("utf-8")
    return Extracted(source_lines(text), text, ".md", original=data, original_suffix=".docx", format_note=NOTE,
                     media_type=MEDIA_TYPES[".docx"])
