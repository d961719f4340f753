"""Vectorised kernels the checks share: hash joins, group codes, numbers from text, and the
joined stream of a source that makes the verbatim check of any span a slice (pyarrow, numpy)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd


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


def _parent_values(df: pd.DataFrame, id_col: str, parent_col: str, value_col: str) -> Any:
    """Each row's parent's ``value_col`` (null where no parent or an unknown one)."""
    import pyarrow.compute as pc

    return pc.take(_arrow(df[value_col]), _lookup(df[parent_col], df[id_col]))


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
    a = np.nan_to_num(as_float(df["line_start"]), nan=0).astype(np.int64)
    b = np.nan_to_num(as_float(df["line_end"]), nan=0).astype(np.int64)
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
