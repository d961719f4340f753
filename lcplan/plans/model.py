"""What a plan file holds, as types: its document, provenance, reading hints and claim
reviews, and the vocabularies of its keys. Read by :mod:`lcplan.plans.read`, written by
:mod:`lcplan.plans.write`."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# The columns of the documents table a plan file fills (the rest of [document] is refused).
DOCUMENT_FIELDS = ("document_id", "organisation", "title", "plan_year", "period_start", "period_end",
                   "document_type", "published", "source_path", "source_sha256", "source_url")
PROVENANCE_FIELDS = ("producer", "rights", "accessed", "format_note")
STYLES = ("decimal", "dotted", "alpha", "roman")  # 1.  1.1  (a) a)  iv.
# what an ID's number counts within: the document, each top-level section, each section, or each run of
# numbers that restarts at 1 (the ID then carries the section where the run starts)
SCOPES = ("document", "top_section", "section", "restart")
READERS = ("text", "tables")
PARAGRAPHS = ("sentences", "gaps")
FIELDS = ("responsible", "due")  # the items' columns a table's cells can fill


class PlanError(Exception):
    """A plan file that cannot be used: unknown key, wrong type, a hint that matches nothing."""


@dataclass(frozen=True)
class Heading:
    title: str
    level: int
    slug: str = ""
    note: str = ""
    printed: bool = True


@dataclass(frozen=True)
class Furniture:
    lines: tuple[int, int]
    starts: str
    why: str = ""


@dataclass(frozen=True)
class ListRule:
    kind: str
    lead_in: str = ""  # a paragraph starting with this introduces the list ...
    section: str = ""  # ... or a paragraph in a section whose slug path matches this glob
    scope: str = "document"


@dataclass(frozen=True)
class Numbered:
    style: str
    kind: str
    scope: str = "document"


@dataclass(frozen=True)
class Titled:
    kind: str
    marker: str = ""  # "1) Name": a number closed by this marker starts a titled statement
    names: tuple[str, ...] = ()  # or these whole lines are statements' names
    children: str = ""  # the kind of the bullets under it


@dataclass(frozen=True)
class Table:
    """A table written as pipe rows (``| a | b |``), a row a line; with ``header`` (the default) its
    first line is the header row and a rule (``|---|``) may follow. Each other row is one statement of
    ``kind``: its text the cell of column ``text``, its other cells its fields (``fields`` maps a column
    to ``responsible`` or ``due``; the rest are kept by column). A column is named by its header as
    printed, or as ``#N`` (the Nth column) where the header is blank, repeated or absent."""

    lines: tuple[int, int]
    kind: str
    text: str
    fields: dict[str, str] = field(default_factory=dict)
    header: bool = True


@dataclass(frozen=True)
class Kind:
    """The statements that start on these lines are of this kind, whatever their list or numbering says."""

    lines: tuple[int, int]
    kind: str


@dataclass(frozen=True)
class Hints:
    wrapped: bool = False
    # "sentences": in a wrapped text a paragraph also ends where a line ends a sentence and the next
    # starts one; "gaps": only a blank line, a heading or a list marker ends it (text read by its layout)
    paragraphs: str = "sentences"
    bullets: tuple[str, ...] = ()  # more bullet markers than the usual ones (a symbol font's glyph: "\uf0b7", "n")
    guess: bool = True  # lcplan ingest --hints: guess what the hints do not say (false: stop instead)
    # false: numbers out of sequence, a heading with no parent, a name with no text are read as printed and
    # noted (a draft of a real document), instead of stopping the build
    strict: bool = True
    headings: tuple[Heading, ...] = ()
    furniture: tuple[Furniture, ...] = ()
    lists: tuple[ListRule, ...] = ()
    numbered: tuple[Numbered, ...] = ()
    titled: tuple[Titled, ...] = ()
    tables: tuple[Table, ...] = ()
    kinds: tuple[Kind, ...] = ()


@dataclass(frozen=True)
class ClaimReview:
    item_id: str
    quote: str
    claim_type: str = ""
    subject: str = ""
    target_date: str | None = None
    exclude: str = ""  # why this figure is not a claim (a name with a number in it, a list number...)
    occurrence: int = 1  # the same quote printed twice in one statement: 1 for the first, 2 for the second


@dataclass
class Plan:
    """One document: its ``documents`` row, provenance, reading hints and reviewed claims."""

    path: Path
    document: dict[str, str]
    provenance: dict[str, str]
    reader: str = "text"
    hints: Hints = field(default_factory=Hints)
    claims: tuple[ClaimReview, ...] = ()
    original: dict[str, str] | None = None  # the published file (PDF, Word, web page) beside the text: path, sha256, mediatype
    pages: tuple[int, ...] = ()  # the first line of each page of the original, where the text was extracted

    def page_of(self, line: int) -> int | None:
        """The page of the original that a line of the text was printed on (None without a page map)."""
        import bisect

        return bisect.bisect_right(self.pages, line) if self.pages else None

    @property
    def document_id(self) -> str:
        return self.document["document_id"]

    @property
    def parsed(self) -> bool:
        return self.reader == "text"

    def source_lines(self, package: Path) -> list[str]:
        """The source's lines (numbered from 1 as ``lines[n - 1]``), its sha256 checked."""
        from lcplan.text import source_lines

        path = package / self.document["source_path"]
        if not path.is_file():
            raise PlanError(f"{self.path}: source {self.document['source_path']} is not in the package")
        data = path.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        if digest != self.document["source_sha256"]:
            raise PlanError(f"{path}: sha256 {digest} differs from {self.path.name}'s source_sha256 "
                            f"{self.document['source_sha256']}; sources are never edited")
        if self.original is not None:
            orig = package / self.original["path"]
            if not orig.is_file() or hashlib.sha256(orig.read_bytes()).hexdigest() != self.original["sha256"]:
                raise PlanError(f"{self.path}: [original] {self.original['path']} is missing or its sha256 differs")
        return source_lines(data)

    def check_used(self, used: set[Any]) -> None:
        """Every list rule and titled name must have matched something: no hint goes stale."""
        stale = [r.lead_in or r.section for r in self.hints.lists if r not in used]
        if stale:
            raise PlanError(f"{self.path}: [[reader.lists]] that match no paragraph: {stale}")
