"""What a rule is: one definition holding its name (the ``check`` of a report), table, field,
message, hint, the tables it needs and its test; and the registry the rules of
:mod:`lcplan.validate.rules` and :mod:`lcplan.validate.integrity` add themselves to."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

__all__ = ["Frames", "Rule", "RULES", "rule"]


class Frames(dict):
    """The package's tables by name (text as read from the CSV files, missing values NA),
    ``sources``: document_id -> the lines of its source text, where the source was read, and
    ``unchecked``: document_id -> why a source in the package could not be read as lines.

    A table too large to hold whole is held without its free-text fields (``streamed``: table ->
    those fields, and ``reread``: table -> a function that reads again the rows a test asks for);
    the rules that read such a field run batch by batch (``per_row``), and a rule that looks up a
    free-text field of another table gets the rows it names by :meth:`cited`."""

    def __init__(self, frames: Mapping[str, pd.DataFrame], sources: Mapping[str, list[str]] | None = None,
                 unchecked: Mapping[str, str] | None = None, memo: dict[str, Any] | None = None,
                 streamed: Mapping[str, tuple[str, ...]] | None = None,
                 reread: Mapping[str, Callable[[Callable[[pd.DataFrame], Any]], pd.DataFrame]] | None = None):
        super().__init__(frames)
        self.sources = dict(sources or {})
        # document_id -> why its source, though in the package, cannot be read as lines (not UTF-8, a line
        # too long to be a plan's): its items cannot be checked against it
        self.unchecked = dict(unchecked or {})
        # what a check keeps for the next batch of rows of one validation (given: shared by the batches)
        self.memo: dict[Any, Any] = {} if memo is None else memo
        self.streamed = dict(streamed or {})
        self.reread = dict(reread or {})

    def cited(self, table: str, column: str, keys: pd.Series) -> pd.DataFrame:
        """The rows of ``table`` whose ``column`` is one of ``keys``, with every field (the whole
        table where it is held whole: a lookup in it finds the same rows)."""
        if table not in self.streamed:
            return self[table]
        import pyarrow as pa
        import pyarrow.compute as pc

        fetched, rows = self.memo.get(("cited", table, column), (set(), None))
        missing = set(keys.dropna().unique().tolist()) - fetched
        if missing or rows is None:
            wanted = pa.array(sorted(missing), type=pa.string())

            def keep(batch: pd.DataFrame) -> Any:
                values = pa.array(batch[column].astype("object"), type=pa.string(), from_pandas=True)
                return pc.fill_null(pc.is_in(values, value_set=wanted), False).to_numpy(zero_copy_only=False)

            more = self.reread[table](keep)
            rows = more if rows is None else pd.concat([rows, more])
            self.memo[("cited", table, column)] = (fetched | missing, rows)
        return rows


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
    # the test of a row reads that row alone (and other tables): it can run on a batch of the rows
    per_row: bool = False


RULES: list[Rule] = []


def rule(name: str, table: str, field: str, message: str, hint: str, needs: tuple[str, ...] = (),
         per_row: bool = False) -> Callable:
    """Register the decorated function as a rule (one definition: name, table, field, message,
    hint; ``per_row``: its answer for a row depends on that row and other tables alone)."""
    def register(fn: Callable[[Frames], pd.Series]) -> Callable[[Frames], pd.Series]:
        RULES.append(Rule(name, table, field, message, hint, (table, *needs), fn, per_row=per_row))
        return fn

    return register
