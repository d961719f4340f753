"""Read a plan's text into sections and items.

Two steps, shared by both layouts:

1. *Segment*: cut the source lines into blocks (a heading, a paragraph, a bullet, a
   sub-bullet, a numbered statement, a theme title). Each layout has its own segmenter:
   the 2017/18 text is a PDF extraction with hard line wraps; the 2019/20 text has one
   paragraph a line.
2. *Assemble*: walk the blocks, keep the open sections, and turn every block of the
   plan's substance into an item with a stable id, its kind and its source lines.

The overrides (``overrides.toml``) say only what the text cannot: which lines are
headings in 2017/18, the level of some 2019/20 headings, what kind of statement a list
holds, and which lines are committee furniture.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from lcplan.text import join_lines


class BuildError(Exception):
    """The source and the parser (or the overrides) disagree: the build stops."""


@dataclass
class Block:
    kind: str  # heading | para | bullet | sub | num | theme_title
    start: int  # 1-based line numbers, both included
    end: int
    lines: list[str]
    label: str = ""
    level: int = 0
    slug: str = ""
    note: str = ""
    printed: bool = True

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


@dataclass
class Parsed:
    sections: list[Section] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    used_lead_ins: set[str] = field(default_factory=set)  # list_kinds overrides that matched


def slugify(title: str) -> str:
    """'Transport & Environment' -> 'transport-environment'; ASCII, lower case, hyphens."""
    s = title.lower().replace("’", "").replace("'", "")
    return re.sub(r"[^a-z0-9]+", "-", s).strip("-")


# ----------------------------------------------------------------------------- segmenters

_NUM = re.compile(r"^(\d+)([.)])\s+(\S.*)$")
_BULLET_2017 = re.compile(r"^([•−-])\s*(\S.*)$")
_SENTENCE_END = re.compile(r"[.!?:]['’\"”)]?$")


def _skipped(overrides: dict[str, Any], lines: list[str]) -> set[int]:
    skipped: set[int] = set()
    for rule in overrides.get("skip", []):
        first, last = rule["lines"]
        if not lines[first - 1].strip().startswith(rule["starts"]):
            raise BuildError(
                f"override skip {rule['lines']}: line {first} does not start with {rule['starts']!r}"
            )
        skipped.update(range(first, last + 1))
    return skipped


def _find_headings_2017(lines: list[str], overrides: dict[str, Any]) -> dict[int, Block]:
    """Locate each listed heading, in order, on whole lines; 1 to 4 lines joined."""
    found: dict[int, Block] = {}  # by first line; an unprinted heading by minus the line it opens before
    cursor = 1
    for h in overrides["headings"]:
        common = dict(level=h["level"], slug=h.get("slug", ""), note=h.get("note", ""))
        if not h.get("printed", True):
            found[-cursor] = Block("heading", cursor, cursor - 1, [h["title"]], printed=False, **common)
            continue
        hit = None
        for i in range(cursor, len(lines) + 1):
            for span in range(1, 5):
                chunk = lines[i - 1 : i - 1 + span]
                if join_lines(chunk) == h["title"] and all(c.strip() for c in chunk):
                    hit = (i, i + span - 1, chunk)
                    break
            if hit:
                break
        if hit is None:
            raise BuildError(f"override heading {h['title']!r} not found on whole lines after line {cursor}")
        start, end, chunk = hit
        found[start] = Block("heading", start, end, list(chunk), **common)
        cursor = end + 1
    return found


def segment_2017(lines: list[str], overrides: dict[str, Any]) -> list[Block]:
    """Blocks of the 2017/18 layout: PDF lines, hard wraps, blocks start on a leading space."""
    headings = _find_headings_2017(lines, overrides)
    opens_before = {-no: b for no, b in headings.items() if no < 0}
    headings = {no: b for no, b in headings.items() if no > 0}
    skipped = _skipped(overrides, lines)
    blocks: list[Block] = []
    cur: Block | None = None

    def close() -> None:
        nonlocal cur
        if cur is not None:
            blocks.append(cur)
            cur = None

    def start(kind: str, no: int, text: str, label: str = "") -> None:
        nonlocal cur
        close()
        cur = Block(kind, no, no, [text], label=label)

    no = 1
    while no <= len(lines):
        raw = lines[no - 1]
        if no in opens_before:  # a section with no printed heading opens here
            close()
            blocks.append(opens_before.pop(no))
            continue
        if no in headings:
            close()
            blocks.append(headings[no])
            no = headings[no].end + 1
            continue
        s = raw.strip()
        if no in skipped or not s:
            close()
            no += 1
            continue
        m_num = _NUM.match(s)
        m_bullet = _BULLET_2017.match(s)
        if m_num:
            start("theme_title" if m_num.group(2) == ")" else "num", no, m_num.group(3), m_num.group(1))
        elif m_bullet:
            start("bullet", no, m_bullet.group(2))
        elif raw.startswith(" ") or cur is None:
            start("para", no, s)
        elif cur.kind == "theme_title":
            if s[:1].islower():  # a theme's name wrapped onto a second line
                cur.lines.append(s)
                cur.end = no
            else:
                start("para", no, s)
        elif (
            cur.kind == "para"
            and _SENTENCE_END.search(cur.lines[-1].rstrip())
            and s[:1].isupper()
            and not (s.endswith(":") and len(s) < 20)  # "We will:" closes the paragraph above
        ):
            start("para", no, s)
        else:
            cur.lines.append(raw)
            cur.end = no
        no += 1
    close()
    return blocks


_HEADING_END = re.compile(r"[.,;:!?]$")


def segment_2019(lines: list[str], overrides: dict[str, Any]) -> list[Block]:
    """Blocks of the 2019/20 layout: one paragraph a line, '- ' bullets, ' - ' sub-bullets."""
    skipped = _skipped(overrides, lines)
    level_one = {h["title"]: h["slug"] for h in overrides["level_one"]}
    level_three = set(overrides["level_three"])
    subtitles = set(overrides["subtitles"])
    not_headings = set(overrides["not_headings"])
    theme_names = set(overrides.get("theme_names", []))
    unused = (set(level_one) | level_three | subtitles | not_headings | theme_names) - {ln.strip() for ln in lines}
    if unused:
        raise BuildError(f"overrides name headings the text does not have: {sorted(unused)}")

    def blank(no: int) -> bool:
        return not (1 <= no <= len(lines)) or not lines[no - 1].strip()

    def heading_like(no: int) -> bool:
        s = lines[no - 1].strip()
        return (
            bool(s)
            and len(s) <= 90
            and not _HEADING_END.search(s)
            and not s.startswith("-")
            and not _NUM.match(s)
            and blank(no - 1)
            and blank(no + 1)
            and s not in not_headings
        )

    started = False
    raw_blocks: list[Block] = []
    for no, raw in enumerate(lines, start=1):
        s = raw.strip()
        if not started:
            started = s in level_one
            if not started:
                continue
        if no in skipped or not s:
            continue
        m_num = _NUM.match(s)
        if s in level_one:
            raw_blocks.append(Block("heading", no, no, [raw], level=1, slug=level_one[s]))
        elif s in subtitles:
            continue  # recorded in the appendix's note
        elif heading_like(no):
            raw_blocks.append(Block("heading", no, no, [raw]))
        elif raw.startswith(" - "):
            raw_blocks.append(Block("sub", no, no, [raw[3:]]))
        elif raw.startswith("- "):
            raw_blocks.append(Block("bullet", no, no, [raw[2:]]))
        elif m_num:
            raw_blocks.append(Block("num", no, no, [m_num.group(3)], label=m_num.group(1)))
        else:
            raw_blocks.append(Block("para", no, no, [raw]))

    # Levels the text cannot show by itself, from the overrides' vocabulary:
    # portfolio (2) above a directorate (3), service (4) under a directorate.
    depth = 1
    for i, b in enumerate(raw_blocks):
        if b.kind != "heading" or b.level == 1:
            if b.kind == "heading":
                depth = 1
            continue
        title = b.text
        nxt = raw_blocks[i + 1] if i + 1 < len(raw_blocks) else None
        prev = raw_blocks[i - 1]
        if title in level_three:
            b.level = 3
        elif nxt is not None and nxt.kind == "heading" and nxt.text in level_three:
            b.level = 2
        elif (prev.kind == "heading" and prev.level == 3) or depth == 4:
            b.level = 4
        else:
            b.level = 2
        depth = b.level
    return raw_blocks


# ----------------------------------------------------------------------------- assembler


class _Assembler:
    """Turns blocks into sections and items, with ids that stay stable across releases."""

    def __init__(self, document_id: str, overrides: dict[str, Any], list_kinds: list[dict[str, str]]):
        self.doc = document_id
        self.ov = overrides
        self.list_kinds = list_kinds
        self.out = Parsed()
        self.stack: list[Section] = []
        self.counters: dict[str, int] = {}
        self.lead_in: Item | None = None
        self.list_kind: str | None = None
        self.last_top: Item | None = None  # last top-level list item (parent of sub-bullets)
        self.theme: Item | None = None
        self.expect_theme_text = False
        self.notes: dict[str, str] = overrides.get("notes", {})
        self.theme_names = set(overrides.get("theme_names", []))

    # -- helpers
    def _next(self, key: str) -> int:
        self.counters[key] = self.counters.get(key, 0) + 1
        return self.counters[key]

    @property
    def section(self) -> Section:
        if not self.stack:
            raise BuildError(f"{self.doc}: text before the first section")
        return self.stack[-1]

    def _item(self, kind: str, key: str, block: Block, *, text: str | None = None, title: str = "",
              parent: Item | None = None, label: str = "", start: int | None = None) -> Item:
        item = Item(
            item_id=f"{self.doc}/{key}",
            document_id=self.doc,
            section_id=self.section.section_id,
            parent_item_id=parent.item_id if parent else "",
            kind=kind,
            label=label,
            title=title,
            text=block.text if text is None else text,
            position=len(self.out.items) + 1,
            line_start=block.start if start is None else start,
            line_end=block.end,
        )
        self.out.items.append(item)
        return item

    # -- blocks
    def heading(self, b: Block) -> None:
        while self.stack and self.stack[-1].level >= b.level:
            self.stack.pop()
        if len(self.stack) != b.level - 1:
            raise BuildError(f"{self.doc} line {b.start}: heading {b.text!r} at level {b.level} has no parent")
        parent = self.stack[-1] if self.stack else None
        slug = b.slug or slugify(b.text)
        path = f"{parent.slug_path}/{slug}" if parent else slug
        sec = Section(
            section_id=f"{self.doc}/{path}",
            document_id=self.doc,
            parent_section_id=parent.section_id if parent else "",
            title=b.text,
            level=b.level,
            position=len(self.out.sections) + 1,
            line_start=b.start if b.printed else None,
            line_end=b.end if b.printed else None,
            note=b.note or self.notes.get(path, ""),
            slug_path=path,
        )
        self.out.sections.append(sec)
        self.stack.append(sec)
        self.lead_in, self.list_kind, self.last_top, self.theme = None, None, None, None
        self.expect_theme_text = False

    def para(self, b: Block) -> None:
        if self.expect_theme_text and self.theme is not None:
            # the description under a theme's name: the theme item's text
            self.theme.text = b.text
            self.theme.line_end = b.end
            self.expect_theme_text = False
            return
        self.theme = None
        item = self._item("narrative", f"narrative/{self._next('narrative')}", b)
        self.lead_in, self.last_top = item, None
        self.list_kind = self._kind_for_lead_in(item.text)

    def _kind_for_lead_in(self, text: str) -> str | None:
        for rule in self.list_kinds:
            if text.startswith(rule["lead_in"]):
                self.out.used_lead_ins.add(rule["lead_in"])
                return rule["kind"]
        top = self.stack[0].slug_path if self.stack else ""
        if top == "appendix-one" and len(self.stack) >= 2:
            return "pledge"  # the paragraph that opens a pledge area
        return None

    def theme_title(self, b: Block) -> None:
        n = self._next("theme")
        label = b.label
        if label and int(label) != n:
            raise BuildError(f"{self.doc} line {b.start}: theme {label} where {n} was expected")
        key = f"theme/{label or n}"
        self.theme = self._item("theme", key, b, text="", title=b.text, label=label)
        self.expect_theme_text = True
        self.list_kind = "theme_commitment"
        self.lead_in = None

    def bullet(self, b: Block) -> None:
        if self.expect_theme_text:
            raise BuildError(f"{self.doc} line {b.start}: theme {self.theme.title!r} has no description")
        if self.theme is not None:
            t = self.theme.item_id.rsplit("/", 1)[1]
            key = f"theme-commitment/{t}.{self._next('commitment/' + t)}"
            self._item("theme_commitment", key, b, parent=self.theme)
            return
        kind = self.list_kind
        if kind is None:
            raise BuildError(
                f"{self.doc} line {b.start}: a list whose lead-in is not in overrides.toml [[list_kinds]]: "
                f"{(self.lead_in.text if self.lead_in else '')[:60]!r}"
            )
        if kind == "narrative":
            parent = self.lead_in
            key = f"narrative/{self._next('narrative')}"
        elif kind == "pledge":
            area = self.section.slug_path.rsplit("/", 1)[1]
            key = f"pledge/{area}/{self._next('pledge/' + area)}"
            parent = None
        else:
            key = f"{kind.replace('_', '-')}/{self._next(kind)}"
            parent = None
        self.last_top = self._item(kind, key, b, parent=parent)

    def sub(self, b: Block) -> None:
        top = self.last_top
        if top is None or top.kind != "pledge":
            raise BuildError(f"{self.doc} line {b.start}: a sub-bullet with no pledge above it")
        n = self._next("sub/" + top.item_id)
        self._item("pledge", f"{top.item_id.split('/', 1)[1]}.{n}", b, parent=top)

    def num(self, b: Block) -> None:
        kind = self.ov["numbered_kind"]
        if kind == "priority":
            appendix = self.stack[0].slug_path
            key = f"priority/{appendix}/{b.label}"
            expected = self._next("priority/" + appendix)
        else:
            key = f"{kind.replace('_', '-')}/{b.label}"
            expected = self._next(kind)
        if int(b.label) != expected:
            raise BuildError(f"{self.doc} line {b.start}: number {b.label} where {expected} was expected")
        self._item(kind, key, b, label=b.label)

    def run(self, blocks: list[Block]) -> Parsed:
        for b in blocks:
            if b.kind == "heading" and b.text in self.theme_names:
                # a theme's name printed as a heading (2019/20): an item, not a section
                self.theme_title(Block("theme_title", b.start, b.end, b.lines))
                self.list_kind = None
                continue
            getattr(self, b.kind)(b)
        if self.expect_theme_text:
            raise BuildError(f"{self.doc}: the last theme has no description")
        return self.out


def parse_document(document_id: str, layout: str, lines: list[str], overrides: dict[str, Any]) -> Parsed:
    """Sections and items of one plan. ``lines`` are the source's lines, without line ends."""
    doc_ov = overrides[document_id]
    segment = {"2017": segment_2017, "2019": segment_2019}[layout]
    blocks = segment(lines, doc_ov)
    parsed = _Assembler(document_id, doc_ov, overrides["list_kinds"]).run(blocks)
    paths = {s.slug_path for s in parsed.sections}
    stale = set(doc_ov.get("notes", {})) - paths
    if stale:
        raise BuildError(f"{document_id}: overrides notes for sections that do not exist: {sorted(stale)}")
    return parsed
