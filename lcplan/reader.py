"""Read a plan's text into sections and items: one reader for every plan, steered by its hints.

Two steps:

1. *Segment*: cut the source lines into blocks (a heading, a paragraph, a bullet, a
   sub-bullet, a numbered statement, a titled statement's name). The same rules read a
   hard-wrapped PDF extraction (``wrapped = true``: a statement runs on over the lines
   below it, a leading space starts a paragraph) and a text with one paragraph a line
   (``wrapped = false``: every line is a block, an indented bullet is a sub-bullet).
   Markers: bullets ``•`` ``−`` ``-`` ``–`` ``*`` ``▪`` ``◦`` ``●``; numbers ``1.`` ``1)``
   ``1.1`` ``(a)`` ``a)`` ``iv.``; markdown headings ``#``.
2. *Assemble*: walk the blocks, keep the open sections, and turn every block of the
   plan's substance into an item with a stable ID, its kind and its source lines.

The hints (:class:`lcplan.plans.Hints`) say only what the text cannot: which lines are
headings and at which level, what kind of statement a list or a numbered statement is,
which numbers start a titled statement, and which lines are furniture.

IDs: ``<document>/<kind>[/<scope>]/<number>``. The number is the printed one for decimal
and dotted labels, an ordinal otherwise; the scope (``top_section`` or ``section``) is
the slug of the section a numbering restarts in. A sub-point's ID is its parent's with
``.<n>`` added (``pledge/housing/2.1``, ``theme-commitment/1.3``, ``measure/1.1.2``).
"""

from __future__ import annotations

import fnmatch
import json
import re
from dataclasses import dataclass, field
from typing import Any, Protocol

from lcplan.plans import Hints, ListRule, Numbered, Table, Titled
from lcplan.text import bullet_pattern, column_keys, is_rule_row, join_lines, markdown_heading, marker, table_cells

__all__ = ["ReadError", "NumberingError", "Guesser", "Block", "Section", "Item", "Parsed", "slugify", "segment",
           "read_plan_text"]


class ReadError(Exception):
    """The source and the hints disagree: the build stops."""


class _Empty(Exception):
    """A block with no text once read: it makes no statement."""


class NumberingError(ReadError):
    """Printed numbers that do not run on within the rule's scope (they may restart per section)."""

    def __init__(self, message: str, rule: Numbered):
        super().__init__(message)
        self.rule = rule


class Guesser(Protocol):
    """What a draft reading (``lcplan ingest``) asks for where the hints are silent."""

    def list_rule(self, lead_in: str, section_titles: list[str], line: int) -> ListRule: ...

    def numbered(self, style: str, section_titles: list[str], nested: bool, line: int) -> Numbered: ...


@dataclass
class Block:
    kind: str  # heading | para | bullet | sub | num | titled
    start: int  # 1-based line numbers, both included
    end: int
    lines: list[str]
    label: str = ""
    style: str = ""
    level: int = 0
    slug: str = ""
    note: str = ""
    printed: bool = True
    rule: Titled | None = None
    hang: int = 0  # a list item's text column: lines indented to it continue the item
    table: Table | None = None  # a table's row: its rule
    cells: dict[str, str] = field(default_factory=dict)  # a table's row: its cells by column header

    @property
    def text(self) -> str:
        return join_lines(self.lines)


@dataclass
class Section:
    section_id: str
    document_id: str
    parent_section_id: str
    title: str
    level: int
    position: int
    line_start: int | None
    line_end: int | None
    note: str = ""
    slug_path: str = ""


@dataclass
class Item:
    item_id: str
    document_id: str
    section_id: str
    parent_item_id: str
    kind: str
    label: str
    title: str
    text: str
    position: int
    line_start: int
    line_end: int
    responsible: str = ""  # a table's row: who is responsible (a cell of the row)
    due: str = ""  # a table's row: by when (a cell of the row)
    fields: str = ""  # a table's row: its other cells, as a JSON object by column header


@dataclass
class Parsed:
    sections: list[Section] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    used: set[Any] = field(default_factory=set)  # list rules that matched
    guessed: list[Any] = field(default_factory=list)  # rules a Guesser gave, in the order asked
    warnings: list[tuple[int, str]] = field(default_factory=list)  # (line, what) a draft read past


def slugify(title: str) -> str:
    """'Transport & Environment' -> 'transport-environment'; ASCII, lower case, hyphens."""
    s = title.lower().replace("’", "").replace("'", "")
    return re.sub(r"[^a-z0-9]+", "-", s).strip("-")


# ----------------------------------------------------------------------------- markers

_SENTENCE_END = re.compile(r"[.!?:]['’\"”)]?$")


def _ordinal(style: str, label: str) -> int | None:
    if style == "decimal":
        return int(label)
    if style == "alpha" and len(label) == 1:
        return ord(label) - ord("a") + 1
    if style == "roman":
        values = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}
        total = 0
        for a, b in zip(label, label[1:] + " "):
            total += -values[a] if values.get(b, 0) > values[a] else values[a]
        return total
    return None


# ----------------------------------------------------------------------------- segmenter


def _furniture(hints: Hints, lines: list[str]) -> set[int]:
    skipped: set[int] = set()
    for rule in hints.furniture:
        first, last = rule.lines
        if last > len(lines):
            raise ReadError(f"furniture {list(rule.lines)}: the source has {len(lines)} lines")
        head = next((lines[n - 1].strip() for n in range(first, last + 1) if lines[n - 1].strip()), "")
        if not head.startswith(rule.starts):
            raise ReadError(f"furniture {list(rule.lines)}: its first line does not start with {rule.starts!r}")
        skipped.update(range(first, last + 1))
    return skipped


def _whole_lines(lines: list[str], title: str, cursor: int, skipped: set[int]) -> tuple[int, int] | None:
    """The first run of 1 to 4 non-blank lines from ``cursor`` whose joined text is ``title``."""
    for i in range(cursor, len(lines) + 1):
        if i in skipped:
            continue
        for span in range(1, 5):
            chunk = lines[i - 1: i - 1 + span]
            if len(chunk) < span or not all(c.strip() for c in chunk):
                break
            if join_lines(chunk) == title:
                return i, i + span - 1
    return None


def _find_headings(lines: list[str], hints: Hints, skipped: set[int]) -> tuple[dict[int, Block], dict[int, Block]]:
    """Each listed heading, in order, on whole lines. Returns (printed by first line, unprinted by the
    line they open before)."""
    found: dict[int, Block] = {}
    opens_before: dict[int, Block] = {}
    cursor = 1
    for h in hints.headings:
        common = dict(level=h.level, slug=h.slug, note=h.note)
        if not h.printed:
            opens_before[cursor] = Block("heading", cursor, cursor - 1, [h.title], printed=False, **common)
            continue
        hit = _whole_lines(lines, h.title, cursor, skipped)
        if hit is None:
            raise ReadError(f"heading {h.title!r} not found on whole lines after line {cursor}")
        start, end = hit
        found[start] = Block("heading", start, end, lines[start - 1:end], **common)
        cursor = end + 1
    return found, opens_before


def _find_names(lines: list[str], hints: Hints, skipped: set[int]) -> dict[int, Block]:
    found: dict[int, Block] = {}
    for rule in hints.titled:
        cursor = 1
        for name in rule.names:
            hit = _whole_lines(lines, name, cursor, skipped)
            if hit is None:
                raise ReadError(f"titled name {name!r} not found on whole lines after line {cursor}")
            found[hit[0]] = Block("titled", hit[0], hit[1], lines[hit[0] - 1:hit[1]], rule=rule)
            cursor = hit[1] + 1
    return found


def _hangs_under(cur: Block | None, no: int, indent: int) -> bool:
    """Whether line ``no``, indented by ``indent``, hangs under the list item just above it: the
    item's text starts at a column of 2 or more and the line is indented at least that far (a
    Markdown list's wrapped line, or a sub-bullet)."""
    return (cur is not None and cur.kind in ("num", "bullet", "sub") and cur.end == no - 1
            and cur.hang >= 2 and indent >= cur.hang)


def _runs_on_into(cur: Block, no: int, num: tuple[str, str, str, str] | None, gaps: bool) -> bool:
    """Whether a line that starts with a number or a marker continues the statement above it: the
    line above ends mid-sentence and, in text read by its layout, no gap parts them; in other
    text, only when the number cannot be a list's (a year, a leading zero, a number over 99)."""
    above = cur.lines[-1].rstrip()
    if cur.kind == "heading" or not above or re.search(r"[.:;!?]['’\"”)]?$", above):
        return False
    if gaps:
        return True
    if num is None or num[0] != "decimal":
        return False
    label = num[1]
    return (len(label) > 1 and label.startswith("0")) or int(label) > 99


def _table_rows(lines: list[str], hints: Hints) -> dict[int, Block | None]:
    """The rows of each table the hints name, by line: a row's block, or None for its header and rule."""
    out: dict[int, Block | None] = {}
    for t in hints.tables:
        first, last = t.lines
        where = f"table {list(t.lines)}"
        if last > len(lines):
            raise ReadError(f"{where}: the source has {len(lines)} lines")
        rows = {}
        for no in range(first, last + 1):
            cells = table_cells(lines[no - 1])
            if cells is None:
                if lines[no - 1].strip():
                    raise ReadError(f"{where}: line {no} is not a row of it (| a | b |)")
                continue
            rows[no] = cells
        if not rows:
            raise ReadError(f"{where}: no rows")
        width = max(len(c) for c in rows.values())
        header = rows.pop(first) if t.header and first in rows else None
        if t.header and header is None:
            raise ReadError(f"{where}: line {first} is not a table's header row (| a | b |)")
        keys = column_keys(header, width)
        if t.text not in keys:
            raise ReadError(f"{where}: no column {t.text!r} (its columns: {keys})")
        unknown = sorted(set(t.fields) - set(keys))
        if unknown:
            raise ReadError(f"{where}: fields name columns that are not in it: {unknown} (its columns: {keys})")
        if header is not None:
            out[first] = None
        for no, cells in rows.items():
            if is_rule_row(lines[no - 1]):
                out[no] = None  # the rule under the header
                continue
            by = dict(zip(keys, cells + [""] * (width - len(cells))))
            text = by.get(t.text, "")
            out[no] = Block("row", no, no, [text] if text else [], table=t, cells=by)
    return out


def segment(lines: list[str], hints: Hints) -> list[Block]:
    """The blocks of a plan text, in order."""
    skipped = _furniture(hints, lines)
    headings, opens_before = _find_headings(lines, hints, skipped)
    names = _find_names(lines, hints, skipped)
    clash = sorted(set(headings) & set(names))
    if clash:
        raise ReadError(f"lines {clash} are both a heading and a titled name in the hints")
    marked = {t.marker: t for t in hints.titled if t.marker}
    bullet_re = bullet_pattern(hints.bullets)
    gaps = hints.paragraphs == "gaps"
    rows = _table_rows(lines, hints)
    blocks: list[Block] = []
    cur: Block | None = None

    def close() -> None:
        nonlocal cur
        if cur is not None:
            blocks.append(cur)
            cur = None

    def start(block: Block) -> None:
        nonlocal cur
        close()
        cur = block

    no = 1
    while no <= len(lines):
        raw = lines[no - 1]
        if no in opens_before:  # a section with no printed heading opens here
            close()
            blocks.append(opens_before.pop(no))
            continue
        if no in headings or no in names:
            close()
            b = headings.get(no) or names[no]
            blocks.append(b)
            no = b.end + 1
            continue
        s = raw.strip()
        if no in rows:
            close()
            if rows[no] is not None:
                blocks.append(rows[no])
            no += 1
            continue
        if no in skipped or not s:
            close()
            no += 1
            continue
        md = markdown_heading(s)
        num = marker(s)
        bullet = bullet_re.match(raw)
        if cur is not None and cur.end < no and (num or bullet) and hints.wrapped \
                and _runs_on_into(cur, no, num, gaps):
            # "... in" / "2015. The council ...": a number (or a dash) that a wrapped line starts with
            cur.lines.append(raw)
            cur.end = no
            no += 1
            continue
        if md:
            close()
            blocks.append(Block("heading", no, no, [md[1]], level=md[0]))
        elif num:
            style, label, close_mark, text = num
            rule = marked.get(close_mark) if style == "decimal" else None
            if rule is not None:
                start(Block("titled", no, no, [text], label=label, style=style, rule=rule))
            else:
                start(Block("num", no, no, [text], label=label, style=style, hang=raw.rfind(text)))
        elif bullet:
            # indented: a sub-bullet (in hard-wrapped text, only when indented under a list item's text)
            sub = bool(bullet["indent"]) and (not hints.wrapped or gaps or _hangs_under(cur, no, len(bullet["indent"])))
            start(Block("sub" if sub else "bullet", no, no, [bullet["text"]], hang=bullet.start("text")))
        elif _hangs_under(cur, no, len(raw) - len(raw.lstrip())):  # "1. Build ...\n   into use": one item
            cur.lines.append(raw)
            cur.end = no
        elif gaps and cur is not None and cur.kind != "titled":  # a block runs on to the next blank line
            cur.lines.append(raw)
            cur.end = no
        elif not hints.wrapped or cur is None or (raw.startswith(" ") and (
                cur.kind == "heading" or _SENTENCE_END.search(cur.lines[-1].rstrip()))):
            # in hard-wrapped text an indented line starts a paragraph only after a sentence ends: a line
            # indented to continue a bullet's sentence ("... management" / "   decisions.") runs on
            start(Block("para", no, no, [s if hints.wrapped else raw]))
        elif cur.kind == "titled":
            if s[:1].islower():  # a name wrapped onto a second line
                cur.lines.append(s)
                cur.end = no
            else:
                start(Block("para", no, no, [s]))
        elif (
            cur.kind == "para"
            and _SENTENCE_END.search(cur.lines[-1].rstrip())
            and s[:1].isupper()
            and not (s.endswith(":") and len(s) < 20)  # "We will:" closes the paragraph above
        ):
            start(Block("para", no, no, [s]))
        else:  # a wrapped line of the statement above
            cur.lines.append(raw)
            cur.end = no
        no += 1
    close()
    if opens_before:
        raise ReadError("unprinted headings after the last line of the text")
    return blocks


# ----------------------------------------------------------------------------- assembler


def _kind_slug(kind: str) -> str:
    return kind.replace("_", "-")


class _Assembler:
    """Turns blocks into sections and items, with IDs that stay stable across releases."""

    def __init__(self, document_id: str, hints: Hints, guess: Guesser | None = None,
                 strict_numbers: bool | None = None):
        self.doc = document_id
        self.hints = hints
        self.guess = guess
        self.lists = list(hints.lists)
        self.numbered_rules = {n.style: n for n in hints.numbered}
        self.out = Parsed()
        self.stack: list[Section] = []
        self.counters: dict[str, int] = {}
        self.lead_in: Item | None = None
        self.list_rule: ListRule | None = None
        self.last_top: Item | None = None  # last top-level list item (parent of sub-bullets)
        self.titled: Item | None = None  # the titled statement whose bullets follow
        self.titled_rule: Titled | None = None
        self.expect_titled_text = False
        self.numbered: list[tuple[str, Item]] = []  # open numbered statements, outermost first
        self.runs: dict[str, list[Any]] = {}  # kind -> [section slug where its numbering last restarted, count]
        # a draft (and a plan whose [reader] strict = false) reads past what would stop the build, and says where
        self.lenient = guess is not None or not hints.strict
        self.strict_numbers = (not self.lenient) if strict_numbers is None else strict_numbers
        self.ids: set[str] = set()
        self.table_no: dict[tuple[int, int], int] = {}  # a table's lines -> its number in the document
        self.under_num: Item | None = None  # the numbered statement whose bullets follow it directly
        self.value_runs: dict[str, tuple[int, tuple[int, ...]]] = {}  # ID prefix -> (run, last number printed)

    def _problem(self, line: int, message: str) -> None:
        """What stops the build; a draft notes it and reads on."""
        if not self.lenient:
            raise ReadError(message)
        self.out.warnings.append((line, message))

    def _kind_at(self, line: int, kind: str) -> str:
        for k in self.hints.kinds:
            if k.lines[0] <= line <= k.lines[1]:
                return k.kind
        return kind

    # -- helpers
    def _next(self, key: str) -> int:
        self.counters[key] = self.counters.get(key, 0) + 1
        return self.counters[key]

    @property
    def section(self) -> Section:
        if not self.stack:
            if not self.lenient:
                raise ReadError(f"{self.doc}: text before the first heading (list the headings in [[reader.headings]])")
            self.out.warnings.append((0, f"{self.doc}: text before the first heading: read under an unprinted one"))
            self.heading(Block("heading", 0, -1, ["Plan"], level=1, slug="main", printed=False,
                               note="No heading is printed before this text."))
        return self.stack[-1]

    def _scope(self, scope: str) -> str:
        if scope == "top_section":
            return self.stack[0].slug_path
        if scope == "section":
            return self.section.slug_path.rsplit("/", 1)[-1]
        return ""

    def _key(self, kind: str, scope: str, number: int | str) -> str:
        where = self._scope(scope)
        return f"{_kind_slug(kind)}/{where + '/' if where else ''}{number}"

    def _child_key(self, kind: str, parent: Item) -> str:
        n = self._next("child/" + kind + "/" + parent.item_id)
        return f"{_kind_slug(kind)}/{parent.item_id.split('/', 2)[2]}.{n}"

    def _item(self, kind: str, key: str, block: Block, *, text: str | None = None, title: str = "",
              parent: Item | None = None, label: str = "") -> Item:
        if text is None and not block.text and not title:  # nothing left once read ("**" alone): no statement
            raise _Empty()
        forced = self._kind_at(block.start, kind)
        if forced != kind:  # [[reader.kinds]]: this statement is of the kind the hints give
            key = f"{_kind_slug(forced)}/{self._next('forced/' + forced)}" if key.startswith(_kind_slug(kind) + "/") \
                else key
            kind = forced
        item_id = f"{self.doc}/{key}"
        if item_id in self.ids:  # a label printed twice ("1.1" again): the second run gets its own ID
            head, number = key.rsplit("/", 1)
            n = 2
            while f"{self.doc}/{head}/run-{n}/{number}" in self.ids:
                n += 1
            item_id = f"{self.doc}/{head}/run-{n}/{number}"
            self._problem(block.start, f"{self.doc} line {block.start}: {key} is printed again; read as {item_id}")
        self.ids.add(item_id)
        item = Item(
            item_id=item_id,
            document_id=self.doc,
            section_id=self.section.section_id,
            parent_item_id=parent.item_id if parent else "",
            kind=kind,
            label=label,
            title=title,
            text=block.text if text is None else text,
            position=len(self.out.items) + 1,
            line_start=block.start,
            line_end=block.end,
        )
        self.out.items.append(item)
        return item

    def _reset(self) -> None:
        self.lead_in, self.list_rule, self.last_top, self.titled = None, None, None, None
        self.expect_titled_text = False
        self.numbered = []

    # -- blocks
    def _untexted(self, b: Block) -> None:
        """A titled statement's name with no text under it."""
        if self.expect_titled_text:
            self._problem(b.start, f"{self.doc} line {b.start}: {self.titled.title!r} has no text under its name")
            self.titled.text, self.titled.title = self.titled.title, ""  # the name is all it has
            self.expect_titled_text = False

    def heading(self, b: Block) -> None:
        self._untexted(b)
        if not b.text:  # a heading with no text once read ("# **"): no section
            self._problem(b.start, f"{self.doc} line {b.start}: a heading with no text (left out)")
            return
        while self.stack and self.stack[-1].level >= b.level:
            self.stack.pop()
        if len(self.stack) != b.level - 1:
            self._problem(b.start, f"{self.doc} line {b.start}: heading {b.text!r} at level {b.level} has no parent "
                                   f"(the open sections are at levels {[s.level for s in self.stack]})")
            b.level = len(self.stack) + 1
        parent = self.stack[-1] if self.stack else None
        slug = b.slug or slugify(b.text) or "section"
        path = f"{parent.slug_path}/{slug}" if parent else slug
        taken = {s.slug_path for s in self.out.sections}
        n = 2
        while path in taken:  # two sibling headings with one title: the second gets -2
            path = f"{parent.slug_path + '/' if parent else ''}{slug}-{n}"
            n += 1
        sec = Section(
            section_id=f"{self.doc}/{path}",
            document_id=self.doc,
            parent_section_id=parent.section_id if parent else "",
            title=b.text,
            level=b.level,
            position=len(self.out.sections) + 1,
            line_start=b.start if b.printed else None,
            line_end=b.end if b.printed else None,
            note=b.note,
            slug_path=path,
        )
        self.out.sections.append(sec)
        self.stack.append(sec)
        self._reset()
        self.list_rule = self._rule_for_section()  # a list printed right under the heading

    def para(self, b: Block) -> None:
        if self.expect_titled_text and self.titled is not None:
            # the description under a statement's name: the statement's text
            self.titled.text = b.text
            self.titled.line_end = b.end
            self.expect_titled_text = False
            return
        self.titled = None
        item = self._item("narrative", f"narrative/{self._next('narrative')}", b)
        if item.kind != "narrative":  # a kind the hints give (a note, a caption): no list's lead-in
            return
        self.lead_in, self.last_top = item, None
        self.list_rule = self._rule_for_lead_in(item.text)

    def _rule_for_lead_in(self, text: str) -> ListRule | None:
        for rule in self.lists:
            if rule.lead_in and text.startswith(rule.lead_in):
                self.out.used.add(rule)
                return rule
        return self._rule_for_section()

    def _rule_for_section(self) -> ListRule | None:
        path = self.section.slug_path
        for rule in self.lists:
            if rule.section and fnmatch.fnmatchcase(path, rule.section):
                self.out.used.add(rule)
                return rule
        return None

    def _titles(self) -> list[str]:
        return [s.title for s in self.stack]

    def titled_(self, b: Block) -> None:
        self._untexted(b)
        rule = b.rule
        n = self._next("titled/" + rule.kind)
        if b.label and _ordinal(b.style, b.label) != n:
            self._problem(b.start, f"{self.doc} line {b.start}: {rule.kind} {b.label} where {n} was expected")
        self.titled = self._item(rule.kind, f"{_kind_slug(rule.kind)}/{b.label or n}", b, text="",
                                 title=b.text, label=b.label)
        self.titled_rule = rule
        self.expect_titled_text = True
        self.lead_in, self.list_rule, self.last_top = None, None, None

    def bullet(self, b: Block) -> None:
        self._untexted(b)
        if self.titled is not None and self.titled_rule is not None and self.titled_rule.children:
            kind = self.titled_rule.children
            self.last_top = self._item(kind, self._child_key(kind, self.titled), b, parent=self.titled)
            return
        if self.under_num is not None:  # bullets right under a numbered statement are its points
            parent = self.under_num
            self.last_top = self._item(parent.kind, self._child_key(parent.kind, parent), b, parent=parent)
            self.under_num = parent
            return
        rule = self.list_rule
        if rule is None and self.guess is not None:
            if self.lead_in is not None:
                rule = self.guess.list_rule(self.lead_in.text, self._titles(), b.start)
            else:
                rule = self.guess.list_rule("", self._titles(), b.start)
                rule = ListRule(kind=rule.kind, section=self.section.slug_path, scope=rule.scope)
            self.lists.append(rule)
            self.out.guessed.append(rule)
            self.out.used.add(rule)
            self.list_rule = rule
        if rule is None:
            lead = (self.lead_in.text if self.lead_in else "")[:60]
            raise ReadError(
                f"{self.doc} line {b.start}: a list whose kind the hints do not give: add a [[reader.lists]] "
                f"with lead_in = {lead!r} or a section glob for {self.section.slug_path!r}")
        if rule.kind == "narrative":  # the bullets of a narrative list are part of its lead-in
            self.last_top = self._item("narrative", f"narrative/{self._next('narrative')}", b, parent=self.lead_in)
            return
        scope = self._scope(rule.scope)
        n = self._next(f"{rule.kind}/{scope}")
        self.last_top = self._item(rule.kind, self._key(rule.kind, rule.scope, n), b)

    def sub(self, b: Block) -> None:
        top = self.last_top
        if top is None:
            self._problem(b.start, f"{self.doc} line {b.start}: a sub-bullet with no bullet above it")
            return self.bullet(b)
        self._item(top.kind, self._child_key(top.kind, top), b, parent=top)

    def num(self, b: Block) -> None:
        self._untexted(b)
        # a style already open closes what is nested in it; a new style nests in the last one
        depth = next((i for i, (style, _) in enumerate(self.numbered) if style == b.style), len(self.numbered))
        del self.numbered[depth:]
        parent = self.numbered[-1][1] if self.numbered else None
        rule = self.numbered_rules.get(b.style)
        if rule is None and self.guess is not None:
            rule = self.guess.numbered(b.style, self._titles(), parent is not None, b.start)
            self.numbered_rules[b.style] = rule
            self.out.guessed.append(rule)
        if rule is None:
            raise ReadError(f"{self.doc} line {b.start}: a {b.style} numbered statement ({b.label}) whose kind the "
                            f"hints do not give: add [[reader.numbered]] style = {b.style!r}")
        if parent is not None:
            item = self._item(rule.kind, self._child_key(rule.kind, parent), b, parent=parent, label=b.label)
        else:
            if rule.scope == "restart":
                run = self.runs.get(rule.kind)
                if run is None or (b.style == "decimal" and b.label == "1"):
                    where, n = self.section.slug_path.rsplit("/", 1)[-1], 2
                    while f"run/{rule.kind}/{where}" in self.counters:  # a second run in one section
                        where, n = f"{self.section.slug_path.rsplit('/', 1)[-1]}-{n}", n + 1
                    self.counters[f"run/{rule.kind}/{where}"] = 1
                    run = self.runs[rule.kind] = [where, 0]
                run[1] += 1
                expected, where = run[1], run[0]
            else:
                expected, where = self._next(f"numbered/{rule.kind}/{self._scope(rule.scope)}"), ""
            number = b.label if b.style in ("decimal", "dotted") else expected
            if b.style == "decimal" and int(b.label) != expected:
                message = (f"{self.doc} line {b.start}: number {b.label} where {expected} was expected "
                           f"(does the numbering restart? set scope in [[reader.numbered]])")
                if self.strict_numbers:
                    raise NumberingError(message, rule)
                self.out.warnings.append((b.start, message))
                if rule.scope == "restart":  # read on from the number as printed
                    self.runs[rule.kind][1] = int(b.label)
                else:
                    self.counters[f"numbered/{rule.kind}/{self._scope(rule.scope)}"] = int(b.label)
            key = (f"{_kind_slug(rule.kind)}/{where}/{number}" if rule.scope == "restart"
                   else self._key(rule.kind, rule.scope, number))
            if b.style in ("decimal", "dotted"):  # a number not above the last of its run starts a new run
                prefix = key.rsplit("/", 1)[0]
                value = tuple(int(p) for p in b.label.split("."))
                run_no, last = self.value_runs.get(prefix, (1, None))
                if last is not None and value <= last:
                    run_no += 1
                    self._problem(b.start, f"{self.doc} line {b.start}: number {b.label} after {'.'.join(map(str, last))}"
                                           f": read as a new run of numbers")
                self.value_runs[prefix] = (run_no, value)
                if run_no > 1:
                    key = f"{prefix}/run-{run_no}/{number}"
            item = self._item(rule.kind, key, b, label=b.label)
        self.numbered.append((b.style, item))
        self.last_top = item  # a sub-bullet indented under it is its child
        self.under_num = item

    def row(self, b: Block) -> None:
        """A table's row: one statement, its text the rule's column, its other cells its fields."""
        self._untexted(b)
        rule = b.table
        if not b.lines:  # nothing in the statement's column: the row's first cell stands in, never dropped
            self._problem(b.start, f"{self.doc} line {b.start}: a table row with an empty {rule.text!r} cell")
            first = next((c for c, v in b.cells.items() if v), None)
            if first is None:
                return
            b.lines, b.cells = [b.cells[first]], {c: v for c, v in b.cells.items() if c != first}
        kind = self._kind_at(b.start, rule.kind)
        label = ""
        num = marker(b.lines[0])
        if num is not None and num[0] in ("decimal", "dotted"):  # "1.1 Assess data assets ...": its number
            label, b.lines = num[1], [num[3]]
        named = {field: b.cells.get(column, "") for column, field in rule.fields.items()}
        others = {c: v for c, v in b.cells.items() if c != rule.text and c not in rule.fields and v}
        # each table numbers its rows apart (its own scope in the ID), and a number printed again starts a run
        where = f"table-{self.table_no.setdefault(rule.lines, len(self.table_no) + 1)}"
        key = f"{_kind_slug(kind)}/{where}/{self._next('row/' + kind + '/' + where)}"
        if label:
            value = tuple(int(p) for p in label.split("."))
            run_no, last = self.value_runs.get(where, (1, None))
            run_no += 1 if last is not None and value <= last else 0
            self.value_runs[where] = (run_no, value)
            if run_no > 1:
                key = f"{_kind_slug(kind)}/{where}/run-{run_no}/{self._next('row/' + kind + '/' + where)}"
        item = self._item(kind, key, b, label=label)
        item.responsible = named.get("responsible", "")
        item.due = named.get("due", "")
        item.fields = json.dumps(others, ensure_ascii=False) if others else ""
        self.last_top = item
        self.lead_in, self.list_rule, self.titled, self.numbered = None, None, None, []

    def run(self, blocks: list[Block]) -> Parsed:
        handlers = {"heading": self.heading, "para": self.para, "titled": self.titled_, "bullet": self.bullet,
                    "sub": self.sub, "num": self.num, "row": self.row}
        for b in blocks:
            if b.kind not in ("bullet", "sub", "num"):
                self.under_num = None
            try:
                handlers[b.kind](b)
            except _Empty:
                self.out.warnings.append((b.start, f"{self.doc} line {b.start}: no text once read (left out)"))
        if self.expect_titled_text:
            self._problem(self.titled.line_start, f"{self.doc}: the last titled statement has no text under its name")
            self.titled.text, self.titled.title = self.titled.title, ""
        return self.out


def read_plan_text(document_id: str, lines: list[str], hints: Hints, guess: Guesser | None = None,
                   strict_numbers: bool | None = None) -> Parsed:
    """Sections and items of one plan. ``lines`` are the source's lines, without line ends.

    ``guess``: asked for the kind of a list or a numbered style the hints do not give (a draft);
    without it, such a list stops the reading.
    """
    return _Assembler(document_id, hints, guess, strict_numbers).run(segment(lines, hints))
