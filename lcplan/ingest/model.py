"""What every input format hands to the draft: the text ``lcplan`` stores, its page map, and
what the layout showed (furniture with its reason, heading levels, tables), where the format has one."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["IngestError", "Note", "Layout", "TableSpan", "Extracted"]


class IngestError(Exception):
    """The source or the arguments cannot make a draft (exit 2)."""


@dataclass(frozen=True)
class Note:
    """Something the draft was unsure of, for the reviewer: what, where, and the guess."""

    what: str  # heading | furniture | proposed furniture | list kind | numbered kind | titled | claim | numbering
    line: int | None
    detail: str


@dataclass(frozen=True)
class TableSpan:
    """A table written as pipe rows: its first and last lines, its columns (as the hints name them:
    :func:`lcplan.reader.column_keys`), and whether its first line is a header row."""

    first: int
    last: int
    columns: tuple[str, ...]
    header: bool = True
    kind: str = ""  # the kind its rows are, when the layout says (a grid inside a figure: figure_text)


@dataclass
class Layout:
    """What a format that knows the page's layout saw, by line of the text it wrote."""

    furniture: dict[int, str] = field(default_factory=dict)  # line -> why it is not the plan's text
    headings: dict[int, int] = field(default_factory=dict)  # line -> level (1 = largest type)
    kinds: dict[int, str] = field(default_factory=dict)  # line -> the kind of what is printed apart (note...)
    tables: list[TableSpan] = field(default_factory=list)
    unreadable: list[tuple[int, str]] = field(default_factory=list)  # (page, why) the PDF library failed on


@dataclass
class Extracted:
    lines: list[str]
    text: bytes  # the source text as written to sources/ (UTF-8, "\n" line ends)
    suffix: str  # ".txt" or ".md"
    pages: list[int] = field(default_factory=list)  # first line of each page (PDFs)
    original: bytes | None = None  # the file the text was read from, kept beside it, where it is not the text
    layout: Layout | None = None
    original_suffix: str = ""  # ".pdf", ".docx", ".html"
    media_type: str = ""  # the original's, as its format module declares it
    format_note: str = ""  # how the text was read from the original, for the plan file's provenance
