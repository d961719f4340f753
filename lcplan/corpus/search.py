"""Search the statements of one or more packages: ``lcplan.search("net zero")``.

Every word typed must occur (stemmed: "commit" finds "commitments"); words in double quotes
must occur together, as a phrase. Results are ranked by BM25 and carry the statement whole,
its organisation, plan, kind and source lines. Filters: organisation, kind and plan year.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from lcplan.corpus.index import COLUMNS, index_for

__all__ = ["search", "search_rows", "SearchError", "fts_query", "RESULT"]

# a result's columns, in order
RESULT = ("item_id", "organisation", "plan_year", "kind", "title", "text", "line_start", "line_end", "document_id",
          "package", "score")


class SearchError(ValueError):
    """A query with no words to look for."""


def fts_query(text: str) -> str:
    """The FTS5 query for what a person typed: each word, or "quoted phrase", must occur; nothing
    typed is read as FTS5 syntax (``NEAR``, ``*``, ``:``, brackets are words or nothing)."""
    parts = []
    for m in re.finditer(r'"([^"]*)"|(\S+)', text):
        words = re.findall(r"\w+", m.group(1) if m.group(1) is not None else m.group(2))
        if words:
            parts.append('"' + " ".join(words) + '"')
    if not parts:
        raise SearchError(f"nothing to search for in {text!r}: type one or more words")
    return " ".join(parts)


def _many(value: str | Iterable[str] | None) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def search_rows(query: str, packages: str | Path | list[str | Path | None] | tuple | None = None,
                organisation: str | Iterable[str] | None = None, kind: str | Iterable[str] | None = None,
                years: str | Iterable[str] | None = None, limit: int | None = 50) -> list[dict[str, Any]]:
    """:func:`search` as a list of dicts (no pandas: what the command line prints)."""
    from lcplan.corpus.corpus import is_corpus, read_corpus

    listed = list(packages) if isinstance(packages, (list, tuple)) else [packages] if packages is not None else None
    if listed is not None:  # a corpus stands for its packages
        listed = [p for where in listed for p in (read_corpus(where).packages if is_corpus(where) else [where])]
    where, args = ["statements MATCH ?"], [fts_query(query)]
    path = index_for(listed)
    for column, value in (("organisation", organisation), ("kind", kind), ("plan_year", years)):
        values = _many(value)
        if values:  # compared case-blind, Unicode and all (SQLite's own lower() knows only ASCII)
            where.append(f"casefold({column}) IN ({', '.join('?' * len(values))})")
            args += [v.casefold() for v in values]
    sql = (f"SELECT {', '.join(COLUMNS)}, title, text, bm25(statements) AS score FROM statements "
           f"WHERE {' AND '.join(where)} ORDER BY score" + (" LIMIT ?" if limit is not None else ""))
    if limit is not None:
        args.append(int(limit))
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    con.create_function("casefold", 1, lambda v: v.casefold() if isinstance(v, str) else v, deterministic=True)
    try:
        rows = con.execute(sql, args).fetchall()
    finally:
        con.close()
    return [{k: r[i] for i, k in enumerate((*COLUMNS, "title", "text", "score"))} for r in rows]


def search(query: str, packages: str | Path | list[str | Path | None] | None = None,
           organisation: str | Iterable[str] | None = None, kind: str | Iterable[str] | None = None,
           years: str | Iterable[str] | None = None, limit: int | None = 50):
    """Statements matching ``query``, best first, as a DataFrame: ``item_id``, ``organisation``,
    ``plan_year``, ``kind``, ``title``, ``text``, ``line_start``, ``line_end``, ``document_id``,
    ``package``, ``score`` (BM25: lower is better). ``packages``: one package or a list (default:
    the shipped one; None in a list is the shipped one; a corpus stands for its packages); ``organisation``, ``kind``, ``years``
    (plan years as the documents table prints them): one value or several; ``limit``: at most this many
    rows (None: all)."""
    import pandas as pd

    rows = search_rows(query, packages, organisation, kind, years, limit)
    out = pd.DataFrame(rows, columns=[*COLUMNS, "title", "text", "score"])[list(RESULT)]
    return out.astype({c: "string" for c in RESULT if c not in ("line_start", "line_end", "score")})
