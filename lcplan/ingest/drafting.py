"""Draft: read a text with its hints, asking :class:`KindGuesser` for the kind of every list and
numbered style the hints do not give, widening a numbering's scope where the printed numbers
restart, reading what is out of sequence as printed (``strict = false``); then read again with
the completed hints, exactly as ``lcplan build`` will. Also the ``[[claims]]`` entries a draft
offers for review. No document, source or package file is read or written here."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from lcplan.claims import UNREVIEWED
from lcplan.coverage import Coverage, coverage
from lcplan.ingest.hints import guess_hints
from lcplan.ingest.kinds import KindGuesser, PlainGuesser
from lcplan.ingest.model import IngestError, Layout, Note
from lcplan.plans import SCOPES, Hints, ListRule, Numbered
from lcplan.reader import NumberingError, ReadError, read_plan_text

__all__ = ["Draft", "draft", "claim_reviews"]


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


def claim_reviews(items: list[Any]) -> tuple[list[dict[str, Any]], list[Note]]:
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
