"""Pandera schemas derived from the Table Schemas, plus the checks Table Schema cannot say.

``schemas/*.schema.json`` stay the single source of truth: each field becomes a pandera
column with its type, required, unique, enum, pattern, length and range (dates really
dates, integers nullable, strict and coerce), and this module adds dataframe checks:

- every table: foreign keys (when the referenced tables are given);
- sections: a parent in the same document, one level up; heading lines in order;
- items: a parent in the same document; labels in order within a section;
  ``line_start <= line_end``; lines inside the source file and the text verbatim
  at its lines (when the source texts are given).

``lcplan.validation.validate`` runs them on a package folder; :func:`flatten` turns
pandera's failure cases into one problem a row: table, row (the CSV line, header = 1),
field, check, value, message. Imports pandera (the ``validate`` extra).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import pandas as pd
import pandera.pandas as pa
from pandera.engines import pandas_engine

from lcplan.registry import boolean_values, table_schema

__all__ = ["pandera_schema", "flatten", "Problem"]

Problem = dict[str, Any]
ISO_DATE = pandas_engine.DateTime(to_datetime_kwargs={"format": "%Y-%m-%d"})


_CHECK_NAMES: dict[str, str] = {}  # "field: message" -> short check name


def _check(fn: Any, name: str, error: str) -> pa.Check:
    """A dataframe-level check; ``error`` is "field: message", so a report can name the field."""
    _CHECK_NAMES[error] = name
    return pa.Check(fn, name=name, error=error)


def _field_dtype(field: dict[str, Any]) -> Any:
    return {
        "integer": "Int64", "number": "Float64", "boolean": "boolean", "date": ISO_DATE,
    }.get(field.get("type", "string"), pd.StringDtype())


def _boolean_parser(field: dict[str, Any]) -> Any:
    """Table Schema booleans: trueValues and falseValues (defaults true/True/TRUE/1, false/...).

    Other text is left as it is, so that coercion reports it at its row.
    """
    true, false = boolean_values(field)

    def parse(series: pd.Series) -> pd.Series:
        if pd.api.types.is_bool_dtype(series.dtype):
            return series
        values = series.astype("object")
        mapped = values.map(lambda v: True if v in true else False if v in false else v)
        return mapped.where(series.notna(), pd.NA)

    return parse


def _base_schema(schema: dict[str, Any]) -> pa.DataFrameSchema:
    """A Table Schema as pandera columns: type, required, unique, enum, pattern, length, range.

    pandera's own bridge (``pandera.io.pandas_io.from_frictionless_schema``) does the same
    but validates the descriptor through frictionless and jsonschema first, which costs
    seconds of imports on every run; it also leaves dates as text, integers non-nullable and
    unanchored patterns. Table Schema patterns match the whole value, so they are anchored here.
    """
    columns = {}
    for field in schema["fields"]:
        c = field.get("constraints", {})
        checks = []
        if "enum" in c:
            checks.append(pa.Check.isin(c["enum"]))
        if "pattern" in c:
            # Table Schema patterns match the whole value: \Z, as $ also matches before a final newline
            checks.append(pa.Check.str_matches(f"^(?:{c['pattern']})\\Z"))
        if "minLength" in c or "maxLength" in c:
            checks.append(pa.Check.str_length(c.get("minLength"), c.get("maxLength")))
        if "minimum" in c:
            checks.append(pa.Check.ge(c["minimum"]))
        if "maximum" in c:
            checks.append(pa.Check.le(c["maximum"]))
        parsers = [pa.Parser(_boolean_parser(field))] if field.get("type") == "boolean" else None
        columns[field["name"]] = pa.Column(
            _field_dtype(field), checks=checks, parsers=parsers, nullable=not c.get("required", False),
            unique=bool(c.get("unique")), coerce=False, title=field.get("title"),
            description=field.get("description"))
    pk = schema.get("primaryKey") or []
    pk = [pk] if isinstance(pk, str) else pk
    if len(pk) == 1:
        columns[pk[0]].unique = True
    return pa.DataFrameSchema(columns, unique=pk if len(pk) > 1 else None, strict=True, coerce=True)


def _arrow(series: pd.Series) -> Any:
    """The column as a pyarrow array (zero-copy for pyarrow-backed strings)."""
    import pyarrow as pa_

    if hasattr(series.array, "__arrow_array__"):
        return series.array.__arrow_array__()
    return pa_.chunked_array([pa_.array(series, from_pandas=True)])


def _bool(values: Any, index: pd.Index, missing: bool = True) -> pd.Series:
    """A pyarrow boolean result as a pandas Series on ``index``; nulls become ``missing``."""
    import pyarrow.compute as pc

    return pd.Series(pc.fill_null(values, missing).to_numpy(zero_copy_only=False), index=index)


_LOOKUPS: dict[tuple[int, int], tuple[Any, Any, Any]] = {}


def _lookup(keys: pd.Series, ids: pd.Series) -> Any:
    """Position of each key among ``ids`` (null where absent): a vectorised hash join.

    The last few results are kept (by the identity of the two columns' arrays), so the
    checks that follow parents (foreign key, same document, cycles) share one join.
    """
    import pyarrow.compute as pc

    k_arr, i_arr = keys.array, ids.array
    hit = _LOOKUPS.get((id(k_arr), id(i_arr)))
    if hit is not None and hit[0] is k_arr and hit[1] is i_arr:
        return hit[2]
    values = _arrow(ids)
    values = values.combine_chunks() if hasattr(values, "combine_chunks") else values
    result = pc.index_in(_arrow(keys), value_set=values, skip_nulls=True)  # a missing key finds nothing
    if len(_LOOKUPS) >= 4:
        _LOOKUPS.pop(next(iter(_LOOKUPS)))
    _LOOKUPS[(id(k_arr), id(i_arr))] = (k_arr, i_arr, result)
    return result


def group_codes(df: pd.DataFrame, columns: list[str]) -> Any:
    """One int64 code per distinct combination of ``columns`` (vectorised, no Python per row)."""
    import numpy as np

    import pyarrow.compute as pc

    key = np.zeros(len(df), dtype=np.int64)
    for c in columns:
        if hasattr(df[c].array, "__arrow_array__"):  # pyarrow's hash encoder is the fastest here
            enc = pc.dictionary_encode(_arrow(df[c]), null_encoding="encode").combine_chunks()
            codes, n = enc.indices.to_numpy(zero_copy_only=False).astype(np.int64), len(enc.dictionary)
        else:
            codes, uniques = pd.factorize(df[c], use_na_sentinel=False)
            n = len(uniques)
        key = key * (n + 1) + codes
    return pd.factorize(key)[0]


def as_float(series: pd.Series) -> Any:
    """Whole numbers as float64 (NaN where empty or not a number), vectorised for text columns."""
    import numpy as np

    if not (pd.api.types.is_string_dtype(series.dtype) or series.dtype == object):
        return pd.to_numeric(series, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    import pyarrow as pa_
    import pyarrow.compute as pc

    arr = _arrow(series)
    digits = pc.fill_null(pc.match_substring_regex(arr, r"^\s*-?[0-9]{1,15}\s*$"), False)
    clean = pc.if_else(digits, pc.utf8_trim_whitespace(arr), pa_.scalar(None, pa_.string()))
    return pc.cast(clean, pa_.float64()).to_numpy(zero_copy_only=False)


def ordered_numbers(df: pd.DataFrame, group: list[str]) -> tuple[Any, Any, Any]:
    """Numbered rows (label set) ordered by group, then position.

    Returns (order: row positions, same: whether each ordered row shares the previous
    one's group, num: label as float for every row).
    """
    import numpy as np

    g = group_codes(df, group)
    num, pos = as_float(df["label"]), as_float(df["position"])
    rows = np.flatnonzero(~np.isnan(num) & ~np.isnan(pos))  # a bad position is reported by its own check
    order = rows[np.lexsort((pos[rows], g[rows]))]
    return order, g[order][1:] == g[order][:-1], num


def is_in(values: pd.Series, known: pd.Series) -> pd.Series:
    """Vectorised ``values.isin(known)`` through pyarrow (pandas' own isin loops over arrow strings)."""
    import pyarrow.compute as pc

    return _bool(pc.is_valid(_lookup(values, known)), values.index, missing=False)


def _fk_check(fk: dict[str, Any], table: str, related: Mapping[str, pd.DataFrame]) -> pa.Check | None:
    target_table = fk["reference"].get("resource") or table
    if target_table != table and target_table not in related:
        return None
    (col,), (target_col,) = fk["fields"], fk["reference"]["fields"]

    def known(df: pd.DataFrame) -> pd.Series:
        import pyarrow.compute as pc

        target = df if target_table == table else related[target_table]
        return df[col].isna() | is_in(df[col], target[target_col])

    return _check(known, "foreign_key", f"{col}: must name a {target_col} of {target_table}")


def _parent_values(df: pd.DataFrame, id_col: str, parent_col: str, value_col: str) -> Any:
    """Each row's parent's ``value_col`` (null where no parent or an unknown one)."""
    import pyarrow.compute as pc

    return pc.take(_arrow(df[value_col]), _lookup(df[parent_col], df[id_col]))


def _same_document_parent(id_col: str, parent_col: str) -> pa.Check:
    def same(df: pd.DataFrame) -> pd.Series:
        import pyarrow.compute as pc

        parent_doc = _parent_values(df, id_col, parent_col, "document_id")
        return _bool(pc.equal(parent_doc, _arrow(df["document_id"])), df.index)

    return _check(same, "same_document", f"{parent_col}: must be in the same document")


def _no_cycle(id_col: str, parent_col: str) -> pa.Check:
    """Following parents from any row ends at a top-level row: no row is its own ancestor."""

    def acyclic(df: pd.DataFrame) -> pd.Series:
        import numpy as np
        import pyarrow.compute as pc

        parent_pos = _lookup(df[parent_col], df[id_col]).to_numpy(zero_copy_only=False)
        parent_pos = np.where(pd.isna(parent_pos), -1, parent_pos).astype(np.int64)
        # pointer jumping: after k rounds each row points 2**k steps up; a chain in a
        # cycle never reaches the top (-1)
        up = parent_pos.copy()
        for _ in range(max(1, int(np.ceil(np.log2(len(df) + 1)))) + 1):
            nxt = np.where(up >= 0, up[np.maximum(up, 0)], -1)
            nxt = np.where(up >= 0, nxt, -1)
            if np.array_equal(nxt, up):
                break
            up = nxt
        return pd.Series(up < 0, index=df.index)

    return _check(acyclic, "no_cycle", f"{parent_col}: parents form a cycle")


def _extra_checks(name: str) -> list[pa.Check]:
    checks: list[pa.Check] = []
    if name == "documents":
        checks.append(_check(lambda df: df["period_start"].isna() | df["period_end"].isna() | (df["period_start"] < df["period_end"]), "period_in_order",
                             "period_end: must come after period_start"))
    if name in ("sections", "items"):
        checks.append(_check(lambda df: (df["line_start"] <= df["line_end"]).fillna(True),
                             "lines_in_order", "line_start: must not come after line_end"))
    if name == "sections":
        checks.append(_same_document_parent("section_id", "parent_section_id"))
        checks.append(_no_cycle("section_id", "parent_section_id"))

        def one_level_down(df: pd.DataFrame) -> pd.Series:
            parent_level = pd.Series(
                _parent_values(df, "section_id", "parent_section_id", "level").to_numpy(zero_copy_only=False),
                index=df.index, dtype="Int64")
            top = df["parent_section_id"].isna() & (df["level"] == 1)
            child = df["parent_section_id"].notna() & (parent_level + 1 == df["level"]).fillna(True)
            return top | child

        checks.append(_check(one_level_down, "level_follows_parent",
                             "level: must be 1 for a top-level section, else its parent's level + 1"))
    if name == "items":
        checks.append(_same_document_parent("item_id", "parent_item_id"))
        checks.append(_no_cycle("item_id", "parent_item_id"))

        def labels_in_order(df: pd.DataFrame) -> pd.Series:
            import numpy as np

            order, same, num = ordered_numbers(df, ["section_id", "kind"])
            bad = np.zeros(len(df), dtype=bool)
            bad[order[1:]] = same & (num[order][1:] <= num[order][:-1])
            return pd.Series(~bad, index=df.index)

        checks.append(_check(labels_in_order, "labels_in_order",
                             "label: printed numbers must rise with position within a section"))

        def positions_unique(df: pd.DataFrame) -> pd.Series:
            return ~df.duplicated(["document_id", "position"], keep=False)

        checks.append(_check(positions_unique, "position_unique_in_document",
                             "position: two items of one document share a position"))
    return checks


def pandera_schema(name: str, related: Mapping[str, pd.DataFrame] | None = None,
                   sources: Mapping[str, list[str]] | None = None) -> pa.DataFrameSchema:
    """The pandera schema of a table, derived from ``schemas/<name>.schema.json``.

    Foreign keys to the table itself are always checked; ``related`` (table name -> frame)
    turns on those to other tables. ``sources`` (document_id -> source lines) turns on the
    line-range and verbatim checks of items.
    """
    ts = table_schema(name)
    checks = _extra_checks(name)
    for fk in ts.get("foreignKeys", []):
        check = _fk_check(fk, name, related or {})
        if check is not None:
            checks.append(check)
    if name == "items" and sources is not None:
        checks += _source_checks(sources)
    base = _base_schema(ts)
    return pa.DataFrameSchema(
        columns=base.columns, checks=[*base.checks, *checks], unique=base.unique,
        strict=True, coerce=True, name=name, title=ts.get("title"), description=ts.get("description"),
    )


class _Stream:
    """One source's statements as a reader joins them: every non-blank line stripped, ``**``
    dropped, joined to the line before with one space, or with none where a word hyphenated at
    the wrap is rejoined (the rule of :func:`lcplan.text.join_lines`, which depends only on two
    neighbouring lines). The text of any span of lines is then a slice of one string, so the
    verbatim check of a statement wrapped over many lines costs what a one-line one does."""

    def __init__(self, lines: list[str]):
        import numpy as np
        import pyarrow as pa_
        import pyarrow.compute as pc

        from lcplan.text import _HYPHEN_WRAP

        n = len(lines)
        arr = pa_.array(lines, type=pa_.string())
        content = pc.utf8_trim_whitespace(pc.replace_substring(arr, "**", ""))
        length = pc.utf8_length(content).to_numpy(zero_copy_only=False).astype(np.int64)
        nonblank = length > 0
        rows = np.flatnonzero(nonblank)  # 0-based line indexes of the non-blank lines
        kept = content.filter(pa_.array(nonblank))
        # a word hyphenated at a wrap: the line before ends "letter-" and this one starts in lower
        # case. Decided with ASCII patterns in pyarrow; where a character involved is not ASCII,
        # by join_lines' own rule in Python (those lines are few).
        joined = np.zeros(len(rows), dtype=bool)  # joined[j]: rows[j] rejoins the word ending rows[j - 1]
        if len(rows) > 1:
            ends = pc.ends_with(kept, "-").to_numpy(zero_copy_only=False)
            cand = np.flatnonzero(ends[:-1])
            if len(cand):
                before, after = kept.take(pa_.array(cand)), kept.take(pa_.array(cand + 1))
                letter = pc.match_substring_regex(before, r"[A-Za-z]-$").to_numpy(zero_copy_only=False)
                lower = pc.match_substring_regex(after, r"^[a-z]").to_numpy(zero_copy_only=False)
                exotic = ~(pc.match_substring_regex(before, r"[\x00-\x7f]-$").to_numpy(zero_copy_only=False)
                           & pc.match_substring_regex(after, r"^[\x00-\x7f]").to_numpy(zero_copy_only=False))
                decided = letter & lower
                for k in np.flatnonzero(exotic).tolist():
                    b_text, a_text = before[k].as_py(), after[k].as_py()
                    decided[k] = a_text[:1].islower() and bool(_HYPHEN_WRAP.search(b_text))
                joined[cand + 1] = decided
        drop = np.zeros(len(rows), dtype=bool)
        drop[:-1] = joined[1:]  # the hyphen of a line rejoined with the next is dropped
        sep = np.ones(len(rows), dtype=bool)
        if len(rows):
            sep[0] = False
        sep[joined] = False
        used = length[rows] - drop
        begin = np.cumsum(sep + used) - used  # where each non-blank line's text begins in the stream
        self.start = np.zeros(n + 2, dtype=np.int64)
        self.end = np.zeros(n + 2, dtype=np.int64)
        self.hyphen = np.zeros(n + 2, dtype=bool)
        self.start[rows + 1], self.end[rows + 1], self.hyphen[rows + 1] = begin, begin + used, drop
        # the stream itself, built in pyarrow: each line without its dropped hyphen, after its separator
        body = pc.if_else(pa_.array(drop), pc.utf8_slice_codeunits(kept, 0, -1), kept) if drop.any() else kept
        pieces = pc.binary_join_element_wise(pc.if_else(pa_.array(sep), " ", ""), body, "")
        whole = pa_.ListArray.from_arrays(pa_.array([0, len(pieces)], type=pa_.int32()), pieces)
        self.text = pc.binary_join(whole, "")[0].as_py() or ""
        nb = np.zeros(n + 2, dtype=bool)
        nb[rows + 1] = True
        idx = np.arange(n + 2)
        # the first non-blank line at or after each line, and the last at or before it
        self.next = np.minimum.accumulate(np.where(nb, idx, n + 1)[::-1])[::-1]
        self.prev = np.maximum.accumulate(np.where(nb, idx, 0))
        self.n = n

    def span(self, a: int, b: int) -> str:
        """The joined text of lines a..b (1-based, both included)."""
        k1, k2 = self.next[a], self.prev[b]
        if k1 > k2:
            return ""
        return self.text[self.start[k1]:self.end[k2]] + ("-" if self.hyphen[k2] else "")


def _streams(sources: Mapping[str, list[str]]) -> dict[str, _Stream]:
    """document_id -> its source's stream; documents that share a source share one stream."""
    made: dict[int, _Stream] = {}
    out = {}
    for doc, lines in sources.items():
        if id(lines) not in made:
            made[id(lines)] = _Stream(lines)
        out[doc] = made[id(lines)]
    return out


def verbatim_mask(df: pd.DataFrame, sources: Mapping[str, list[str]]) -> pd.Series:
    """True where an item's title and text are read off exactly its lines (or no source is given).

    Read off exactly: found in the joined text of line_start..line_end, and, for a span of
    several lines, not found without its first line or without its last one.
    """
    import numpy as np

    streams = _streams(sources)
    a = df["line_start"].to_numpy(dtype="int64", na_value=0)
    b = df["line_end"].to_numpy(dtype="int64", na_value=0)
    docs = df["document_id"].tolist()
    texts = df["text"].tolist()
    titles = df["title"].tolist()
    ok = np.ones(len(df), dtype=bool)
    for r, (doc, text, title, x, y) in enumerate(zip(docs, texts, titles, a.tolist(), b.tolist())):
        st = streams.get(doc) if isinstance(doc, str) else None
        if st is None or not isinstance(text, str) or not (1 <= x <= y <= st.n):
            continue  # no source, or lines reported by their own checks
        needle = f"{title} {text}" if isinstance(title, str) and title else text
        if needle not in st.span(x, y):
            ok[r] = False
        elif y > x and (needle in st.span(x + 1, y) or needle in st.span(x, y - 1)):
            ok[r] = False
    return pd.Series(ok, index=df.index)


def _source_checks(sources: Mapping[str, list[str]]) -> list[pa.Check]:
    def inside(df: pd.DataFrame) -> pd.Series:
        import numpy as np

        codes, docs = pd.factorize(df["document_id"])
        counts = np.array([len(sources[d]) if d in sources else -1 for d in docs] + [-1], dtype=np.int64)[codes]
        end = df["line_end"].to_numpy(dtype="int64", na_value=0)
        return pd.Series((counts < 0) | (end <= counts), index=df.index)

    return [
        _check(inside, "lines_inside_source", "line_end: past the end of the source file"),
        _check(lambda df: verbatim_mask(df, sources), "text_verbatim_at_lines",
               "text: not found verbatim (with title, if any) at line_start..line_end of the source"),
    ]


def flatten(failure_cases: pd.DataFrame, table: str) -> list[Problem]:
    """Pandera's failure cases as one problem per (row, field, check); rows as CSV lines."""
    problems: dict[tuple[Any, ...], Problem] = {}
    for case in failure_cases.itertuples(index=False):
        check = str(case.check)
        row = None if pd.isna(case.index) else int(case.index) + 2
        if case.schema_context == "DataFrameSchema" and ": " in check:
            field, message = check.split(": ", 1)
            if case.column != field:
                continue  # a dataframe check reports every column; keep the one it is about
            name = _CHECK_NAMES.get(check, "check")
        else:
            field, name = case.column, check
            if row is None:
                continue  # follows from a failed coercion reported on its rows
            message = _message(check)
            name = _check_type(check)
            if name == "isin":
                allowed = _enum(table, field)
                shown = ", ".join(allowed[:30]) + (f", ... ({len(allowed)} in all)" if len(allowed) > 30 else "")
                message = f"is not one of the allowed values: {shown}"
        key = (row, field, "type" if name in ("coerce_dtype", "dtype") else name)
        problems.setdefault(key, {
            "table": table, "row": row, "field": field, "check": name,
            "value": None if pd.isna(case.failure_case) else str(case.failure_case), "message": message,
        })
    return sorted(problems.values(), key=lambda p: (p["row"] or 0, str(p["field"])))


def _enum(table: str, field: str) -> list[str]:
    spec = next((f for f in table_schema(table)["fields"] if f["name"] == field), {})
    return [str(v) for v in spec.get("constraints", {}).get("enum", [])]


def _check_type(check: str) -> str:
    """A short, stable name for a check: 'coerce_dtype', 'isin', 'str_matches', 'foreign_key', ..."""
    head = re.split(r"[(:]", check, maxsplit=1)[0].strip()
    return {"field_uniqueness": "unique", "not_nullable": "required"}.get(head, head.replace(" ", "_"))


def _message(check: str) -> str:
    head = _check_type(check)
    return {
        "coerce_dtype": "cannot be read as the field's type",
        "dtype": "has the wrong type",
        "isin": "is not one of the allowed values",
        "str_matches": "does not match the field's pattern",
        "unique": "is not unique",
        "required": "is required but empty",
        "str_length": "has the wrong length",
        "greater_than_or_equal_to": "is below the minimum",
        "less_than_or_equal_to": "is above the maximum",
    }.get(head, check)
