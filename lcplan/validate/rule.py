"""What a rule is: one definition holding its name (the ``check`` of a report), table, field,
message, hint, the tables it needs and its test; and the registry the rules of
:mod:`lcplan.validate.rules` and :mod:`lcplan.validate.integrity` add themselves to."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import pandas as pd

__all__ = ["Frames", "Rule", "RULES", "rule"]


class Frames(dict):
    """The package's tables by name (text as read from the CSV files, missing values NA),
    ``sources``: document_id -> the lines of its source text, where the source was read, and
    ``unchecked``: document_id -> why a source in the package could not be read as lines."""

    def __init__(self, frames: Mapping[str, pd.DataFrame], sources: Mapping[str, list[str]] | None = None,
                 unchecked: Mapping[str, str] | None = None):
        super().__init__(frames)
        self.sources = dict(sources or {})
        # document_id -> why its source, though in the package, cannot be read as lines (not UTF-8, a line
        # too long to be a plan's): its items cannot be checked against it
        self.unchecked = dict(unchecked or {})


@dataclass(frozen=True)
class Rule:
    name: str
    table: str
    field: str
    message: str
    hint: str
    needs: tuple[str, ...]
    test: Callable[[Frames], pd.Series]
    severity: str = "error"


RULES: list[Rule] = []


def rule(name: str, table: str, field: str, message: str, hint: str, needs: tuple[str, ...] = ()) -> Callable:
    """Register the decorated function as a rule (one definition: name, table, field, message, hint)."""
    def register(fn: Callable[[Frames], pd.Series]) -> Callable[[Frames], pd.Series]:
        RULES.append(Rule(name, table, field, message, hint, (table, *needs), fn))
        return fn

    return register
