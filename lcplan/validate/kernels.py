"""Vectorised kernels the checks share: hash joins, group codes, numbers from text, and the
joined stream of a source that makes the verbatim check of any span a slice (pyarrow, numpy)."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

import pandas as pd


def to_arrow(series: pd.Series) -> Any:
    """The column as a pyarrow array (zero-copy for pyarrow-backed strings)."""
    import pyarrow as pa_

    if hasattr(series.array, "__arrow_array__"):
        return series.array.__arrow_array__()
    return pa_.chunked_array([pa_.array(series, from_pandas=True)])


def as_bool(values: Any, index: pd.Index, missing: bool = True) -> pd.Series:
    """A pyarrow boolean result as a pandas Series on ``index``; nulls become ``missing``."""
    import pyarrow.compute as pc

    return pd.Series(pc.fill_null(values, missing).to_numpy(zero_copy_only=False), index=index)


def numbers_by_key(keys: pd.Series, numbers: Mapping[str, float]) -> Any:
    """The number ``numbers`` gives each key of a text column, NaN where it gives none (a float
    array): a hash lookup in Arrow (pandas' ``map`` makes a Python string of every cell)."""
    import numpy as np
    import pyarrow as pa_
    import pyarrow.compute as pc

    known = list(numbers)
    at = pc.index_in(to_arrow(keys).cast(pa_.large_string()), value_set=pa_.array(known, type=pa_.large_string()))
    at = np.asarray(pc.fill_null(at, len(known)).to_numpy(zero_copy_only=False), dtype=np.int64)
    return np.array([float(numbers[k]) for k in known] + [np.nan], dtype=np.float64)[at]


_LOOKUPS: dict[tuple[int, int], tuple[Any, Any, Any]] = {}


def lookup(keys: pd.Series, ids: pd.Series) -> Any:
    """Position of each key among ``ids`` (null where absent): a vectorised hash join.

    The last few results are kept (by the identity of the two columns' arrays), so the
    checks that follow parents (foreign key, same document, cycles) share one join.
    """

    k_arr, i_arr = keys.array, ids.array
    hit = _LOOKUPS.get((id(k_arr), id(i_arr)))
    if hit is not None and hit[0] is k_arr and hit[1] is i_arr:
        return hit[2]
    result = _index_in(to_arrow(keys), to_arrow(ids))
    if len(_LOOKUPS) >= 4:
        _LOOKUPS.pop(next(iter(_LOOKUPS)))
    _LOOKUPS[(id(k_arr), id(i_arr))] = (k_arr, i_arr, result)
    return result


FEW_KEYS = 4  # keys fewer than 1 in this many of the values: the keys are hashed, not the values


def _index_in(keys: Any, values: Any) -> Any:
    """Position of each key among ``values`` (its first, null where absent or a key is null), as
    ``pc.index_in``. That hashes every value; where the keys are few (parents are named by a few
    items, or by none), the distinct keys are hashed instead and the values looked up among them
    (a package of a million items, one in five a sub-item: 0.25 s to 0.1 s; none: 0.27 s to 0)."""
    import numpy as np
    import pyarrow as pa_
    import pyarrow.compute as pc

    named = len(keys) - keys.null_count
    if named * FEW_KEYS > len(values):
        flat = values.combine_chunks() if hasattr(values, "combine_chunks") else values
        return pc.index_in(keys, value_set=flat, skip_nulls=True)  # a missing key finds nothing
    if not named:
        return pa_.nulls(len(keys), type=pa_.int32())
    enc = pc.dictionary_encode(keys)
    enc = enc.combine_chunks() if hasattr(enc, "combine_chunks") else enc
    at = pc.index_in(values, value_set=enc.dictionary.cast(values.type), skip_nulls=True)  # each value's key, if one names it
    at = np.asarray(pc.fill_null(at, -1).to_numpy(zero_copy_only=False), dtype=np.int64)
    hit = np.flatnonzero(at >= 0)
    first = np.full(len(enc.dictionary) + 1, -1, dtype=np.int64)  # (the last: a null key)
    if len(hit):
        found, where = np.unique(at[hit], return_index=True)  # a key's first value (hits are in order)
        first[found] = hit[where]
    codes = np.asarray(pc.fill_null(enc.indices, len(enc.dictionary)).to_numpy(zero_copy_only=False), dtype=np.int64)
    position = first[codes]
    return pa_.array(position, type=pa_.int32(), mask=position < 0)


def group_codes(df: pd.DataFrame, columns: list[str]) -> Any:
    """One int64 code per distinct combination of ``columns`` (vectorised, no Python per row)."""
    import numpy as np

    import pyarrow.compute as pc

    key = np.zeros(len(df), dtype=np.int64)
    for c in columns:
        if hasattr(df[c].array, "__arrow_array__"):  # pyarrow's hash encoder is the fastest here
            enc = pc.dictionary_encode(to_arrow(df[c]), null_encoding="encode").combine_chunks()
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

    arr = to_arrow(series)
    if (pc.max(pc.binary_length(arr)).as_py() or 0) <= 15:  # no cell has more than 15 digits
        try:  # every cell a whole number as written ("-"? digits): pyarrow's parser, no pattern
            return pc.cast(pc.cast(arr, pa_.int64()), pa_.float64()).to_numpy(zero_copy_only=False)
        except (pa_.ArrowInvalid, pa_.ArrowNotImplementedError):
            pass
    digits = pc.fill_null(pc.match_substring_regex(arr, r"^\s*-?[0-9]{1,15}\s*$"), False)
    clean = pc.if_else(digits, pc.utf8_trim_whitespace(arr), pa_.scalar(None, pa_.string()))
    return pc.cast(clean, pa_.float64()).to_numpy(zero_copy_only=False)


def string_buffers(arr: Any) -> list[tuple[Any, Any, Any]]:
    """Each chunk of a pyarrow string array (or column) as numpy views of its own buffers, no
    copy: (offsets as int64, ``n + 1`` of them, absolute in ``data``; ``data``, the uint8 data
    buffer, empty if none; ``valid``, a boolean array)."""
    import numpy as np

    return [(offsets.astype(np.int64), data, np.asarray(chunk.is_valid(), dtype=bool))
            for chunk, offsets, data in _chunk_views(arr)]


def cell_bytes(arr: Any) -> list[tuple[int, int, Any]]:
    """Where the cells of each chunk of a pyarrow string array begin and end in its data buffer,
    and the buffer (uint8, no copy): its first and last offsets only, no per-cell array."""
    return [(int(offsets[0]), int(offsets[-1]), data) for _, offsets, data in _chunk_views(arr) if len(offsets) > 1]


def _chunk_views(arr: Any) -> list[tuple[Any, Any, Any]]:
    """Each chunk of a pyarrow string array (or column), with numpy views of its own offsets
    (``n + 1``, as stored: int32 or int64, absolute in the buffer) and data buffer (empty if none)."""
    import numpy as np
    import pyarrow as pa_

    out = []
    for chunk in (arr.chunks if isinstance(arr, pa_.ChunkedArray) else [arr]):
        wide = np.int64 if pa_.types.is_large_string(chunk.type) else np.int32
        offsets = np.frombuffer(chunk.buffers()[1], dtype=wide)[chunk.offset:chunk.offset + len(chunk) + 1]
        buffer = chunk.buffers()[2]
        out.append((chunk, offsets, np.frombuffer(buffer, dtype=np.uint8) if buffer is not None
                    else np.zeros(0, dtype=np.uint8)))
    return out


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

    return as_bool(pc.is_valid(lookup(values, known)), values.index, missing=False)


def parent_values(df: pd.DataFrame, id_col: str, parent_col: str, value_col: str) -> Any:
    """Each row's parent's ``value_col`` (null where no parent or an unknown one)."""
    import pyarrow.compute as pc

    return pc.take(to_arrow(df[value_col]), lookup(df[parent_col], df[id_col]))


TRIM_STEPS = 64  # whitespace at a line's edge longer than this is trimmed in Python (rare)


@functools.lru_cache(maxsize=1)
def _wide_spaces() -> tuple[Any, Any]:
    """The UTF-8 encodings of the characters beyond ASCII that ``str.strip`` removes (two and
    three bytes long), as integer codes: a line that starts or ends with one is read in Python."""
    import numpy as np

    chars = [chr(c).encode("utf-8") for c in range(0x80, 0x3001) if chr(c).isspace()]
    code = [int.from_bytes(c, "big") for c in chars]
    return (np.array([c for c, e in zip(code, chars) if len(e) == 2], dtype=np.int64),
            np.array([c for c, e in zip(code, chars) if len(e) == 3], dtype=np.int64))


def _lines_of(part: Any) -> tuple[bytes, Any]:
    """A source's bytes, every line ending in a newline, and where each line starts (``n + 1``
    offsets, the last the end): from a :class:`~lcplan.text.SourceText` (or a source that has its
    ``data`` and ``offsets``) or from a list of lines."""
    import numpy as np

    if hasattr(part, "data"):
        data = part.data
        offsets = getattr(part, "offsets", None)
        if data and not data.endswith(b"\n"):
            data += b"\n"
    else:
        data = "".join(f"{line}\n" for line in part).encode("utf-8")
        offsets = None
    if offsets is None or offsets[-1] != len(data):
        ends = np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == 10) + 1
        offsets = np.zeros(len(ends) + 1, dtype=np.int64)
        offsets[1:] = ends
    return data, np.asarray(offsets, dtype=np.int64)


FEW_DROPPED = 8  # a stream's mask is made from the bytes dropped when they are at most 1 in 8 of its source's


class _Stream:
    """One source's statements as a reader joins them: every non-blank line stripped, ``**``
    dropped, joined to the line before with one space, or with none where a word hyphenated at
    the wrap is rejoined (the rule of :func:`lcplan.text.join_lines`, which depends only on two
    neighbouring lines). The text of any span of lines is then a slice of one UTF-8 buffer
    (``buf``; ``start``/``end`` in bytes), so the verbatim check of a statement wrapped over
    many lines costs what a one-line one does, and no Python string is made per line.

    Built in numpy over the source's own bytes: each line's edges are trimmed of ASCII
    whitespace a step at a time (few lines are indented far), and the stream is the bytes kept,
    each line's newline turned into the space that joins it to the next. A line that needs more
    than that (``**`` in it, whitespace beyond ASCII at an edge, a long indent) is read by
    ``join_lines``' own rule in Python and written back in place (those lines are few)."""

    def __init__(self, lines: Any, *more: Any):
        """The stream of one source's lines, or of several end to end (``more``): their lines are
        numbered on from the first's (see ``base``), and no word is rejoined across two sources,
        so a span within one source reads as in a stream of its own."""
        import numpy as np

        from lcplan.text import HYPHEN_WRAP

        parts = [_lines_of(p) for p in (lines, *more)]
        counts = [len(o) - 1 for _, o in parts]
        self.base = np.concatenate(([0], np.cumsum(counts)[:-1])).astype(np.int64)  # lines before each part
        n = int(sum(counts))
        if len(parts) == 1:
            data, offsets = parts[0]
        else:
            shift = np.cumsum([0] + [len(d) for d, _ in parts])
            offsets = np.concatenate([o[:-1] + s for (_, o), s in zip(parts, shift)] + [shift[-1:]])
            data = b"".join(d for d, _ in parts)
        del parts
        buf = np.frombuffer(data, dtype=np.uint8)
        first, end = offsets[:-1], offsets[1:] - 1  # each line's bytes, its newline at ``end``
        ts, te = first.copy(), end.copy()
        space = np.zeros(256, dtype=bool)
        space[[9, 10, 11, 12, 13, 28, 29, 30, 31, 32]] = True  # what str.strip removes in ASCII
        odd = np.zeros(n, dtype=bool)
        for at, step in ((ts, 1), (te, -1)):  # the leading whitespace, then the trailing
            live = np.flatnonzero(ts < te)
            for _ in range(TRIM_STEPS):
                if not len(live):
                    break
                live = live[space[buf[at[live] - (step < 0)]]]
                at[live] += step
                live = live[ts[live] < te[live]]
            odd[live] = True
        stars = np.flatnonzero(buf == 42) if data.find(b"*") >= 0 else ()  # (memchr first: most sources have none)
        if len(stars) > 1:
            pairs = stars[:-1][np.diff(stars) == 1]  # "**"
            odd[np.searchsorted(first, pairs, side="right") - 1] = True
        wide2, wide3 = _wide_spaces()
        last = len(buf) - 1
        for edge in (ts, te - 1):  # a line's first byte, then its last: beyond ASCII?
            cand = np.flatnonzero((ts < te) & (buf[np.minimum(edge, last)] >= 0x80))
            if len(cand):
                c = edge[cand]
                lead = c if edge is ts else c - 1  # a two-byte character starts here
                b0, b1 = buf[lead].astype(np.int64), buf[np.minimum(lead + 1, last)].astype(np.int64)
                two = np.isin((b0 << 8) | b1, wide2)
                lead3 = c if edge is ts else c - 2
                lead3 = np.clip(lead3, 0, last)
                three = np.isin((buf[lead3].astype(np.int64) << 16) | (buf[np.minimum(lead3 + 1, last)].astype(np.int64) << 8)
                                | buf[np.minimum(lead3 + 2, last)], wide3)
                odd[cand[two | three]] = True
        if odd.any():
            buf = buf.copy()
            for k in np.flatnonzero(odd).tolist():
                a = int(first[k])
                line = data[a:int(end[k])].decode("utf-8").replace("**", "").strip().encode("utf-8")
                buf[a:a + len(line)] = np.frombuffer(line, dtype=np.uint8)
                ts[k], te[k] = a, a + len(line)
        del data
        length = te - ts
        rows = np.flatnonzero(length > 0)  # 0-based line indexes of the non-blank lines
        # a word hyphenated at a wrap: the line before ends "letter-" and this one starts in lower
        # case. Decided on ASCII bytes; where a character involved is not ASCII, by join_lines'
        # own rule in Python (those lines are few).
        joined = np.zeros(len(rows), dtype=bool)  # joined[j]: rows[j] rejoins the word ending rows[j - 1]
        if len(rows) > 1:
            prev, nxt = rows[:-1], rows[1:]
            cand = np.flatnonzero(buf[te[prev] - 1] == 45)
            if len(cand):
                p, q = prev[cand], nxt[cand]
                has_before = te[p] - 2 >= ts[p]
                before = np.where(has_before, buf[np.maximum(te[p] - 2, 0)], 32)
                after = buf[ts[q]]
                letter = ((before | 32) >= 97) & ((before | 32) <= 122)
                lower = (after >= 97) & (after <= 122)
                decided = letter & lower
                for k in np.flatnonzero((before >= 0x80) | (after >= 0x80)).tolist():
                    b_text = buf[ts[p[k]]:te[p[k]]].tobytes().decode("utf-8")
                    a_text = buf[ts[q[k]]:te[q[k]]].tobytes().decode("utf-8")
                    decided[k] = a_text[:1].islower() and bool(HYPHEN_WRAP.search(b_text))
                joined[cand + 1] = decided
            if len(counts) > 1:  # never across two sources
                part = np.searchsorted(self.base, rows, side="right") - 1
                joined[1:] &= part[1:] == part[:-1]
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
        # the stream: each non-blank line's text, after the byte before it where a space joins
        # it to the line before (its newline or its indent, made a space): runs of the source's
        # bytes, in order, kept by a mask. The bytes between two runs are dropped (blank lines,
        # edges' whitespace, a rejoined word's hyphen and newline): few, as a rule, so the mask
        # is made from them; where they are many, run by run
        run_start = ts[rows] - sep
        run_end = ts[rows] + used
        gap_from = np.concatenate(([0], run_end))
        gap = np.concatenate((run_start, [len(buf)])) - gap_from
        if gap.sum() * FEW_DROPPED <= len(buf):
            keep = np.ones(len(buf), dtype=bool)
            some = np.flatnonzero(gap > 0)
            width = gap[some]
            before = np.cumsum(width) - width  # the dropped bytes of the gaps before each
            keep[np.repeat(gap_from[some] - before, width) + np.arange(int(width.sum()))] = False
        else:
            lengths = np.empty(2 * len(rows) + 1, dtype=np.int64)
            lengths[0::2] = gap
            lengths[1::2] = used + sep
            keep = np.repeat(np.arange(len(lengths)) % 2 == 1, lengths)
        self.buf = buf[keep]
        del keep, buf
        self.buf[begin[sep] - 1] = 32
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
        return self.buf[self.start[k1]:self.end[k2]].tobytes().decode("utf-8") + ("-" if self.hyphen[k2] else "")


LARGEST_VIEW_BUFFER = 2**31 - 1  # a string view's offset is an int32


def _suffix_equal(buf: Any, at: Any, needles: Any) -> Any:
    """For each row, whether ``buf[at : at + len(needle)]`` equals the row's needle (a pyarrow
    string array): the slices of ``buf`` become a pyarrow ``string_view`` array over ``buf``
    itself (no copy of the text; views built in numpy), compared in C++."""
    import numpy as np
    import pyarrow as pa_
    import pyarrow.compute as pc

    view = pa_.string_view()
    lengths = pc.binary_length(needles).to_numpy(zero_copy_only=False).astype(np.int64)
    needles = needles.cast(view)
    n = len(at)
    if n == 0:
        return np.zeros(0, dtype=bool)
    if len(buf) >= LARGEST_VIEW_BUFFER:  # a view's offset is int32: compare in Python
        return np.array([buf[x:x + k].tobytes() == s.encode("utf-8") for x, k, s in
                         zip(at.tolist(), lengths.tolist(), needles.to_pylist())], dtype=bool)
    raw = np.zeros((n, 16), dtype=np.uint8)
    ints = raw.view(np.int32).reshape(n, 4)
    ints[:, 0] = lengths
    short = np.flatnonzero(lengths <= 12)  # inline: the bytes themselves
    if len(short) and len(buf):
        pos = np.minimum(at[short, None] + np.arange(12), len(buf) - 1)
        raw[short, 4:16] = np.where(np.arange(12)[None, :] < lengths[short, None], buf[pos], 0)
    long = np.flatnonzero(lengths > 12)  # a 4-byte prefix, buffer 0, the offset
    if len(long):
        raw[long, 4:8] = buf[at[long, None] + np.arange(4)]
        ints[long, 3] = at[long]
    slices = pa_.Array.from_buffers(view, n, [None, pa_.py_buffer(raw), pa_.py_buffer(buf)])
    return pc.fill_null(pc.equal(slices, needles), False).to_numpy(zero_copy_only=False)


STREAM_BYTES = 1 << 25  # the source text one stream holds at most (a larger source is a stream of its own)


def _size(lines: Any) -> int:
    """A source's bytes, known without reading it again where the source says (``nbytes``)."""
    return lines.nbytes if hasattr(lines, "nbytes") else sum(len(x) + 1 for x in lines)


class _Ahead:
    """A group's stream built in a thread of its own (numpy lets go of the GIL for most of the
    work), its sources read there without being held; :meth:`result` waits for it, or builds it
    here if the thread failed."""

    def __init__(self, group: list[Any]):
        import threading

        self.group, self.stream, self.failed = group, None, None
        self.thread = threading.Thread(target=self._build, daemon=True)
        self.thread.start()

    def _build(self) -> None:
        try:
            self.stream = _Stream(*[g.unheld() if hasattr(g, "unheld") else g for g in self.group])
        except Exception as exc:  # noqa: BLE001 - built again where it is needed, which reports it
            self.failed = exc

    def result(self) -> _Stream:
        self.thread.join()
        if self.stream is None:
            self.failed = None  # (its traceback would hold the failed build's arrays)
            return _Stream(*self.group)
        return self.stream


class Verbatim:
    """The verbatim check over a package's sources, for the items of the whole package or of one
    batch of its rows at a time.

    The distinct sources (documents may share one), in the order given, are packed into groups of
    at most :data:`STREAM_BYTES` of text (each source whole; a larger source is a group of its own).
    A group's stream is built when items of its documents are checked and kept for the items that
    follow (the last ones built, up to :data:`STREAM_BYTES` of sources, and always the last): rows
    read in the package's order build each stream once, and memory follows the largest group,
    not the package."""

    def __init__(self, sources: Mapping[str, Any]):
        self.sources = dict(sources)
        distinct = list({id(lines): lines for lines in self.sources.values()}.values())
        self.groups: list[list[Any]] = [[]]
        size = 0
        for lines in distinct:
            n = _size(lines)
            if self.groups[-1] and size + n > STREAM_BYTES:
                self.groups.append([])
                size = 0
            self.groups[-1].append(lines)
            size += n
        group_of = {id(lines): k for k, group in enumerate(self.groups) for lines in group}
        self.group = {d: group_of[id(lines)] for d, lines in self.sources.items()}
        self._built: dict[int, tuple[_Stream, dict[str, tuple[int, int]]]] = {}
        self._sizes: dict[int, int] = {}
        self._ahead: dict[int, _Ahead] = {}

    def prepare(self) -> None:
        """Start building the first group's stream in a thread of its own (rows in the package's
        order need it first), so that it is built while something else is done."""
        if self.groups[0] and 0 not in self._built and 0 not in self._ahead:
            self._ahead[0] = _Ahead(self.groups[0])

    def close(self) -> None:
        """Wait for the streams still being built in threads, and let go of every stream."""
        for ahead in self._ahead.values():
            ahead.thread.join()
        self._ahead.clear()
        self._built.clear()

    def stream(self, k: int) -> tuple[_Stream, dict[str, tuple[int, int]]]:
        """Group k's stream, and document_id -> (lines before its source in the stream, its line count)."""
        if k not in self._built:
            group = self.groups[k]
            size = sum(_size(lines) for lines in group)
            while self._built and size + sum(self._sizes[j] for j in self._built) > STREAM_BYTES:
                self._built.pop(next(iter(self._built)))  # the oldest goes first
            self._sizes[k] = size
            st = self._ahead.pop(k).result() if k in self._ahead else _Stream(*group)
            base = {id(lines): int(st.base[j]) for j, lines in enumerate(group)}
            self._built[k] = (st, {d: (base[id(lines)], len(lines)) for d, lines in self.sources.items()
                                   if self.group[d] == k})
            if k + 1 < len(self.groups) and k + 1 not in self._ahead and k + 1 not in self._built:
                # the next group's, while this one's rows are checked
                self._ahead.clear()
                self._ahead[k + 1] = _Ahead(self.groups[k + 1])
        return self._built[k]

    def mask(self, df: pd.DataFrame) -> Any:
        """True where an item's title and text are read off exactly its lines (or no source is
        given): a boolean array over ``df``'s rows (see :func:`_verbatim_mask`)."""
        import numpy as np

        ok = np.ones(len(df), dtype=bool)
        if not self.sources or not len(df):
            return ok
        code = np.nan_to_num(numbers_by_key(df["document_id"], self.group), nan=-1).astype(np.int64)
        order = np.argsort(code, kind="stable")
        bounds = np.searchsorted(code[order], np.arange(len(self.groups) + 1))
        needed = df[["document_id", "line_start", "line_end", "text", "title"]]  # what the check reads, no more
        for k in range(len(self.groups)):
            rows = order[bounds[k]:bounds[k + 1]]
            if not len(rows):
                continue
            if rows[-1] - rows[0] + 1 == len(rows):  # rows in the package's order: a slice, not a copy
                part = needed.iloc[int(rows[0]):int(rows[-1]) + 1]
            else:
                part = needed.iloc[rows]
            st, where = self.stream(k)
            ok[rows] = _verbatim_mask(part, st, where)
        return ok


def verbatim_mask(df: pd.DataFrame, sources: Mapping[str, Any]) -> pd.Series:
    """True where an item's title and text are read off exactly its lines (or no source is given)."""
    return pd.Series(Verbatim(sources).mask(df), index=df.index)


def _verbatim_mask(df: pd.DataFrame, st: _Stream, where: Mapping[str, tuple[int, int]]) -> Any:
    """The verbatim check of ``df``'s rows whose documents are in one stream (``where``:
    document_id -> its lines before in the stream, its line count): a boolean array over the rows.

    Read off exactly: found in the joined text of line_start..line_end, and, for a span of
    several lines, not found without its first line or without its last one.

    Vectorised: a statement that ends where its last line ends and begins within its first
    line (the shape every reader writes) is accepted by comparing its bytes with the stream's
    in numpy; only the others (a statement that ends mid-line, a hyphen restored at its end,
    or one that fails the comparison) are decided by the rule above in Python, so a valid
    package costs no Python per row however its statements wrap.
    """
    import numpy as np
    import pyarrow as pa_
    import pyarrow.compute as pc

    ok = np.ones(len(df), dtype=bool)
    if not len(df):
        return ok
    a = np.nan_to_num(as_float(df["line_start"]), nan=0).astype(np.int64)
    b = np.nan_to_num(as_float(df["line_end"]), nan=0).astype(np.int64)
    large = pa_.large_string()
    text = to_arrow(df["text"]).cast(large)
    title = to_arrow(df["title"]).cast(large)
    has_title = pc.fill_null(pc.greater(pc.binary_length(title), 0), False)
    needle = (pc.if_else(has_title, pc.binary_join_element_wise(title, text, pa_.scalar(" ", large)), text)
              if pc.any(has_title).as_py() else text)
    needle = needle.cast(large)  # (chunks kept as read: combined, the batch's text would be copied)
    valid = np.asarray(pc.is_valid(needle).to_numpy(zero_copy_only=False), dtype=bool)
    n_len = pc.fill_null(pc.binary_length(needle), 0).to_numpy(zero_copy_only=False).astype(np.int64)
    known = list(where)
    at_doc = pc.index_in(to_arrow(df["document_id"]), value_set=pa_.array(known, type=pa_.string()))
    at_doc = np.asarray(pc.fill_null(at_doc, len(known)).to_numpy(zero_copy_only=False), dtype=np.int64)
    base = np.array([float(where[d][0]) for d in known] + [np.nan])[at_doc]
    count = np.array([float(where[d][1]) for d in known] + [np.nan])[at_doc]
    rows = np.flatnonzero(~np.isnan(base) & valid & (a >= 1) & (a <= b) & (b <= np.nan_to_num(count, nan=-1)))
    slow: list[int] = []
    if len(rows):
        off = base[rows].astype(np.int64)
        x, y = a[rows] + off, b[rows] + off  # lines of the stream (1-based)
        last = off + count[rows].astype(np.int64)  # the source's last line in the stream
        k1, k2 = st.next[x], st.prev[y]
        length = n_len[rows]
        at = st.end[k2] - length
        # where the first non-blank line after the first line starts (if within the span)
        nxt = st.next[np.minimum(x + 1, last + 1)]
        after_first = np.where(nxt <= k2, st.start[nxt], st.end[k2] + 1)
        p = st.prev[np.maximum(y - 1, 0)]  # the last non-blank line before the last line
        without_last = np.where((y > x) & (p >= k1), st.end[p] - st.start[k1] + st.hyphen[p], -1)
        shape = (k1 <= k2) & ~st.hyphen[k2] & (length > 0) & (at >= st.start[k1]) \
            & ((y == x) | ((at < after_first) & (length > without_last)))
        fast = rows[shape]
        every = len(fast) == len(needle) and (not len(fast) or fast[-1] == len(fast) - 1)  # all, in order
        equal = _suffix_equal(st.buf, at[shape], needle if every else needle.take(pa_.array(fast)))
        slow.extend(fast[~equal].tolist())
        slow.extend(rows[~shape].tolist())
    if slow:
        slow.sort()
        picked = pa_.array(slow, type=pa_.int64())  # their texts and titles made Python strings at once
        bodies, heads = text.take(picked).to_pylist(), title.take(picked).to_pylist()
        for r, body, head in zip(slow, bodies, heads):
            off = int(base[r])
            x, y = int(a[r]) + off, int(b[r]) + off
            target = f"{head} {body}" if isinstance(head, str) and head else body
            if target not in st.span(x, y):
                ok[r] = False
            elif y > x and (target in st.span(x + 1, y) or target in st.span(x, y - 1)):
                ok[r] = False
    return ok
