"""A plan is a folder of data: ``plans/<document_id>.toml`` beside its source.

Each file holds one document's metadata (the ``documents`` row and its provenance), the
hints that steer the reader of its text (headings, list kinds by lead-in or section,
numbered and titled statements, furniture lines), and the reviewed claims found in it.
:func:`load_plans` reads every plan of a package folder into typed :class:`Plan` objects;
a plan owns its staleness checks (:meth:`Plan.check_used`), so a hint that no longer
matches the text stops the build instead of going quietly stale.

A plan whose ``[reader] kind = "tables"`` is curated by hand as rows of the package's
tables: the build keeps those rows and validates them, and reads no text for it.
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

__all__ = ["Plan", "Hints", "Heading", "Furniture", "ListRule", "Numbered", "Titled", "Table", "Kind", "ClaimReview",
           "PlanError", "load_plans", "parse_reader", "DOCUMENT_FIELDS", "STYLES", "SCOPES"]

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


def _table(raw: dict[str, Any], key: str, where: str) -> dict[str, Any]:
    value = raw.get(key, {})
    if not isinstance(value, dict):
        raise PlanError(f"{where}: [{key}] must be a table")
    return value


def _make(cls: type, raw: Any, where: str) -> Any:
    """A dataclass from a TOML table: unknown keys and wrong types are refused by name."""
    if not isinstance(raw, dict):
        raise PlanError(f"{where}: must be a table, not {raw!r}")
    known = {f.name: f for f in fields(cls)}
    unknown = sorted(set(raw) - set(known))
    if unknown:
        raise PlanError(f"{where}: unknown key(s) {unknown}; known: {sorted(known)}")
    kw = {}
    for name, value in raw.items():
        if name in ("lines", "names", "bullets"):
            if not isinstance(value, list):
                raise PlanError(f"{where}: {name} must be a list")
            value = tuple(value)
        kw[name] = value
    try:
        obj = cls(**kw)
    except TypeError as exc:
        raise PlanError(f"{where}: {exc}") from None
    for f in fields(cls):
        v = getattr(obj, f.name)
        expected = {"int": int, "str": str, "bool": bool, "dict[str, str]": dict}.get(str(f.type))
        if expected is not None and not isinstance(v, expected):
            raise PlanError(f"{where}: {f.name} must be a {expected.__name__}, not {v!r}")
    return obj


def parse_reader(raw: dict[str, Any], where: str) -> tuple[str, Hints]:
    """A plan file's [reader] (given the whole file as parsed TOML): its reader kind and its hints, checked."""
    reader = _table(raw, "reader", where)
    kind = reader.get("kind", "text")
    if kind not in READERS:
        raise PlanError(f"{where}: [reader] kind must be one of {list(READERS)}, not {kind!r}")
    allowed = {"kind", "wrapped", "paragraphs", "bullets", "guess", "strict", "headings", "furniture", "lists", "numbered",
               "titled", "tables", "kinds"}
    unknown = sorted(set(reader) - allowed)
    if unknown:
        raise PlanError(f"{where}: [reader] has unknown key(s) {unknown}; known: {sorted(allowed)}")

    def many(key: str, cls: type) -> tuple[Any, ...]:
        entries = reader.get(key, [])
        if not isinstance(entries, list):
            raise PlanError(f"{where}: reader.{key} must be an array of tables ([[reader.{key}]])")
        return tuple(_make(cls, e, f"{where}: [[reader.{key}]] {i + 1}") for i, e in enumerate(entries))

    paragraphs = reader.get("paragraphs", "sentences")
    if paragraphs not in PARAGRAPHS:
        raise PlanError(f"{where}: [reader] paragraphs must be one of {list(PARAGRAPHS)}, not {paragraphs!r}")
    bullets = reader.get("bullets", [])
    if not isinstance(bullets, list) or not all(isinstance(b, str) and b.strip() and " " not in b for b in bullets):
        raise PlanError(f"{where}: [reader] bullets must be a list of markers, each a glyph or word with no space "
                        f"(e.g. [\"\\uf0b7\", \"n\"]), not {bullets!r}")
    for key in ("wrapped", "guess", "strict"):
        if key in reader and not isinstance(reader[key], bool):
            raise PlanError(f"{where}: [reader] {key} must be true or false, not {reader[key]!r}")
    hints = Hints(wrapped=bool(reader.get("wrapped", False)), paragraphs=paragraphs, bullets=tuple(bullets),
                  guess=reader.get("guess", True), strict=reader.get("strict", True), headings=many("headings", Heading),
                  furniture=many("furniture", Furniture), lists=many("lists", ListRule),
                  numbered=many("numbered", Numbered), titled=many("titled", Titled), tables=many("tables", Table),
                  kinds=many("kinds", Kind))
    for key, entries in (("furniture", hints.furniture), ("tables", hints.tables), ("kinds", hints.kinds)):
        for i, f in enumerate(entries):
            if len(f.lines) != 2 or not all(isinstance(n, int) for n in f.lines) or not 1 <= f.lines[0] <= f.lines[1]:
                raise PlanError(f"{where}: [[reader.{key}]] {i + 1}: lines must be [first, last], 1 <= first <= last")
    for i, t in enumerate(hints.tables):
        bad = {k: v for k, v in t.fields.items() if v not in FIELDS}
        if bad:
            raise PlanError(f"{where}: [[reader.tables]] {i + 1}: fields map a column to one of {list(FIELDS)}, "
                            f"not {bad}")
    for i, r in enumerate(hints.lists):
        if bool(r.lead_in) == bool(r.section):
            raise PlanError(f"{where}: [[reader.lists]] {i + 1}: give exactly one of lead_in or section")
    for rule in (*hints.lists, *hints.numbered):
        if rule.scope not in SCOPES:
            raise PlanError(f"{where}: scope {rule.scope!r} is not one of {list(SCOPES)}")
    for n in hints.numbered:
        if n.style not in STYLES:
            raise PlanError(f"{where}: [[reader.numbered]] style {n.style!r} is not one of {list(STYLES)}")
    for t in hints.titled:
        if bool(t.marker) == bool(t.names):
            raise PlanError(f"{where}: [[reader.titled]]: give exactly one of marker or names")
    return kind, hints


def read_plan(path: Path) -> Plan:
    """One plan file, checked for shape (not yet against its text)."""
    where = str(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise PlanError(f"{where}: not valid TOML: {exc}") from None
    unknown = sorted(set(raw) - {"document", "provenance", "reader", "claims", "original", "pages"})
    if unknown:
        raise PlanError(f"{where}: unknown table(s) {unknown}")
    doc = _table(raw, "document", where)
    extra = sorted(set(doc) - set(DOCUMENT_FIELDS))
    missing = [k for k in ("document_id", "source_path", "source_sha256") if not doc.get(k)]
    if extra or missing:
        raise PlanError(f"{where}: [document] " + (f"unknown key(s) {extra}" if extra else f"needs {missing}"))
    if doc["document_id"] != path.stem:
        raise PlanError(f"{where}: the file must be named after its document_id ({doc['document_id']}.toml)")
    document = {k: str(doc.get(k, "")) for k in DOCUMENT_FIELDS}
    prov = _table(raw, "provenance", where)
    extra = sorted(set(prov) - set(PROVENANCE_FIELDS))
    if extra:
        raise PlanError(f"{where}: [provenance] unknown key(s) {extra}")
    kind, hints = parse_reader(raw, where)
    claims = raw.get("claims", [])
    if not isinstance(claims, list):
        raise PlanError(f"{where}: claims must be an array of tables ([[claims]])")
    reviews = tuple(_make(ClaimReview, c, f"{where}: [[claims]] {i + 1}") for i, c in enumerate(claims))
    for i, r in enumerate(reviews):
        missing = [k for k in ("item_id", "quote") if not getattr(r, k)] + \
                  ([] if r.subject or r.exclude else ["subject (or exclude, saying why it is not a claim)"])
        if missing:
            raise PlanError(f"{where}: [[claims]] {i + 1} ({r.item_id or '?'}, {r.quote or '?'!r}) lacks "
                            f"{', '.join(missing)}")
        if not isinstance(r.occurrence, int) or r.occurrence < 1:
            raise PlanError(f"{where}: [[claims]] {i + 1}: occurrence must be a whole number from 1")
    original = raw.get("original")
    if original is not None and (not isinstance(original, dict) or not {"path", "sha256"} <= set(original)
                                 or not set(original) <= {"path", "sha256", "mediatype"}):
        raise PlanError(f"{where}: [original] needs path and sha256, and may give mediatype")
    pages = _table(raw, "pages", where).get("first_lines", [])
    if not isinstance(pages, list) or not all(isinstance(n, int) and n >= 1 for n in pages) or pages != sorted(pages):
        raise PlanError(f"{where}: [pages] first_lines must be rising line numbers")
    return Plan(path=path, document=document, provenance={k: str(prov.get(k, "")) for k in PROVENANCE_FIELDS},
                reader=kind, hints=hints, claims=reviews, original=original, pages=tuple(pages))


def load_plans(package: Path) -> list[Plan]:
    """Every plan of a package folder (``plans/*.toml``), oldest first (by period, then ID)."""
    plans = [read_plan(p) for p in sorted((package / "plans").glob("*.toml"))]
    return sorted(plans, key=lambda p: (p.document["period_start"], p.document_id))
