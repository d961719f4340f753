"""Guess the kind of a list, a numbered style or a table's rows from the words of its lead-in,
its headings or its column (every kind is one of ``schemas/``' item kinds); each guess is
recorded as a :class:`~lcplan.ingest.model.Note`. No file is read or written."""

from __future__ import annotations

import re

from lcplan.ingest.model import Note
from lcplan.plans import ListRule, Numbered

__all__ = ["KIND_WORDS", "KindGuesser", "PlainGuesser"]


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
