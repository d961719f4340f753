"""Stage 6, warnings: what is legal but suspicious (the same text twice in a section, empty
sections, gaps in numbering, cells a spreadsheet would run as formulas, claims not reviewed).

:func:`row_warnings` are the warnings of a row alone (they run on a batch of rows as on the
whole table); :func:`table_warnings` compare rows. The same text twice is found from a digest
of each text (:func:`text_digests`, taken batch by batch where the texts are not held), and
every pair the digests find is compared again in full before it is reported."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import pandas as pd

from lcplan.registry import schema
from lcplan.tableschema import csv_row
from lcplan.validate.problems import Problems

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # OWASP: tab and carriage return too
SHOWN = {"duplicate_text": 200, "numbering_gap": 200, "empty_section": 200, "claim_not_reviewed": 200,
         "formula_injection": 50}  # warnings listed per check (and field), the rest not


def row_warnings(name: str, frame: pd.DataFrame, fields: set[str] | None = None) \
        -> Iterator[tuple[str, str, str, pd.Series]]:
    """(check, field, message, where) of each warning of a row alone, over ``frame``'s rows
    (``fields``: only those fields' warnings)."""
    if name == "claims" and "subject" in frame and (fields is None or "subject" in fields):
        from lcplan.claims import UNREVIEWED

        yield ("claim_not_reviewed", "subject", "the subject is still the draft's guess: write it in the plan "
               "file's [[claims]] entry and build again", frame["subject"].str.startswith(UNREVIEWED).fillna(False))
    for field in schema(name).fields:
        if field.type != "string" or field.name not in frame or (fields is not None and field.name not in fields):
            continue
        # a negative number is not a formula: the number fields are not strings
        yield ("formula_injection", field.name, "the cell starts with a formula character",
               _starts_with_any(frame[field.name], FORMULA_START))


def _starts_with_any(column: pd.Series, prefixes: tuple[str, ...]) -> pd.Series:
    """Whether each cell starts with one of ``prefixes`` (false where empty): one pass of
    pyarrow over a text column (pandas' startswith makes one a prefix)."""
    import re

    import pyarrow.compute as pc

    from lcplan.validate.kernels import as_bool, string_buffers, to_arrow

    if not hasattr(column.array, "__arrow_array__"):
        return column.str.startswith(prefixes).fillna(False).astype(bool)
    if all(len(p) == 1 and p.isascii() for p in prefixes):  # each cell's first byte, from the Arrow buffers
        first = []  # -1: an empty or missing cell
        for offsets, data, valid in string_buffers(to_arrow(column)):
            filled = (offsets[1:] > offsets[:-1]) & valid
            first.append(np.where(filled, data[np.minimum(offsets[:-1], max(len(data) - 1, 0))] if len(data)
                                  else -1, -1))
        first_bytes = np.concatenate(first) if first else np.zeros(0, dtype=np.int64)
        return pd.Series(np.isin(first_bytes, [ord(p) for p in prefixes]), index=column.index)
    pattern = "^(?:" + "|".join(re.escape(p) for p in prefixes) + ")"
    return as_bool(pc.match_substring_regex(to_arrow(column), pattern), column.index, missing=False)


DIGEST_WINDOWS = 4  # 8-byte windows of a text sampled for its digest: at its start, a third, two thirds, its end
WHOLE_DIGEST_BYTES = 128  # a text of up to this many bytes is read whole for its digest (8 bytes at a time)


def text_digests(items: pd.DataFrame) -> pd.DataFrame:
    """A digest of each item's text that two equal texts share: its length in bytes and
    :data:`DIGEST_WINDOWS` windows of 8 bytes spread across it, read from the Arrow buffers and
    mixed into one 64-bit number (no Python per row; 9 bytes a row are kept, not the text); a
    text of up to :data:`WHOLE_DIGEST_BYTES` bytes is then mixed in whole, 8 bytes at a time, so
    that short statements that differ only between the windows ("statement 23", "statement 29")
    do not agree. Two texts with one digest are candidates; the texts decide (read again, which
    costs a pass over the file). ``filled``: the text is not empty."""
    from lcplan.validate.kernels import string_buffers, to_arrow

    column = to_arrow(items["text"])
    digests, filled = [], []
    for offsets, raw, valid in string_buffers(column):
        start, length = offsets[:-1], np.diff(offsets)
        short = np.minimum(length, 8).astype(np.uint64)  # a text under 8 bytes: its bytes only
        mask = np.where(short >= 8, np.uint64(2**64 - 1), (np.uint64(1) << (np.uint64(8) * short)) - np.uint64(1))
        digest = length.astype(np.uint64)
        with np.errstate(over="ignore"):
            for w in range(DIGEST_WINDOWS):
                at = start + np.maximum(length - 8, 0) * w // (DIGEST_WINDOWS - 1)  # from the start to the last 8 bytes
                digest = _mix(digest, _windows(raw, at) & mask)
            some = np.flatnonzero((length > 8 * DIGEST_WINDOWS) & (length <= WHOLE_DIGEST_BYTES))  # (shorter: read whole)
            if len(some):
                part, at, end = digest[some], start[some], start[some] + length[some] - 8
                for w in range(WHOLE_DIGEST_BYTES // 8):  # 8 bytes at a time, the last window at the text's end
                    part = _mix(part, _windows(raw, np.minimum(at + 8 * w, end)))
                digest[some] = part
        digests.append(digest.view(np.int64))
        filled.append(valid)
    return pd.DataFrame({"digest": np.concatenate(digests) if digests else np.zeros(0, dtype=np.int64),
                         "filled": np.concatenate(filled) if filled else np.zeros(0, dtype=bool)}, index=items.index)


def _mix(digest: np.ndarray, words: np.ndarray) -> np.ndarray:
    """A digest with 8 more bytes of each text mixed in (multiply and shift, 64 bits; overflow is
    meant: the caller silences numpy's warning)."""
    digest = (digest ^ words) * np.uint64(0x9E3779B97F4A7C15)
    return digest ^ (digest >> np.uint64(29))


def _windows(raw: np.ndarray, at: np.ndarray) -> np.ndarray:
    """The 8 bytes of ``raw`` from each of ``at`` as little-endian 64-bit numbers, read in place;
    a window that would run past the buffer's end (only a text of under 8 bytes starts there)
    is read from a copy of the last bytes, padded with zeros."""
    tail_from = max(len(raw) - 8, 0)
    pad = np.zeros(16, dtype=np.uint8)
    pad[:len(raw) - tail_from] = raw[tail_from:]
    tail = np.ndarray((9,), dtype="<u8", buffer=pad, strides=(1,))
    near = at > len(raw) - 8
    if len(raw) < 8:
        return tail[at - tail_from]
    windows = np.ndarray((len(raw) - 7,), dtype="<u8", buffer=raw, strides=(1,))  # the 8 bytes from each byte on
    if not near.any():
        return windows[at]
    out = windows[np.where(near, 0, at)]
    out[near] = tail[at[near] - tail_from]
    return out


def batch_digests(name: str, batch: pd.DataFrame, streamed: tuple[str, ...]) -> pd.DataFrame | None:
    """The digests of a batch's texts (by its index), where a table read in batches does not hold them."""
    return text_digests(batch) if name == "items" and "text" in streamed else None


def table_warnings(frames: dict[str, pd.DataFrame], files: dict[str, str], out: Problems,
                   digests: pd.DataFrame | None = None,
                   reread: dict[str, Callable[[Callable], pd.DataFrame]] | None = None) -> None:
    """The warnings that compare rows. Where the items' texts are not held, ``digests`` (by the
    items' index) find the candidates and ``reread`` reads those texts again."""
    from lcplan.validate.kernels import is_in, ordered_numbers

    texts = None
    if reread and "items" in reread:
        def texts(positions: np.ndarray) -> pd.Series:
            wanted = reread["items"](lambda b: b.index.isin(positions), fields=["text"],
                                     until=int(positions.max()) if len(positions) else None)
            return wanted["text"].reindex(positions)

    items, sections = frames.get("items"), frames.get("sections")
    if items is not None:
        f = files["items"]
        dup = _duplicate_text(items, digests, texts)[:SHOWN["duplicate_text"]]
        shown = items.loc[dup, "text"] if "text" in items else texts(np.asarray(dup)) if dup else []
        for r, value in zip(dup, shown):
            out.warning("items", f, "duplicate_text", "the same text appears earlier in this section",
                        row=csv_row(r), field="text", value=value)
        order, same, num = ordered_numbers(items, ["document_id", "kind"])
        step = num[order][1:] - num[order][:-1]
        for k in np.flatnonzero(same & (step > 1))[:SHOWN["numbering_gap"]]:
            r = order[k + 1]
            out.warning("items", f, "numbering_gap", f"number {int(num[r])} follows {int(num[order[k]])}",
                        row=csv_row(items.index[r]), field="label", value=items["label"].iloc[r])
    if sections is not None and items is not None:
        used = pd.concat([items["section_id"], sections["parent_section_id"]], ignore_index=True)
        empty = ~is_in(sections["section_id"], used)
        for r in empty[empty].index[:SHOWN["empty_section"]]:
            out.warning("sections", files["sections"], "empty_section", "the section has no items and no subsections",
                        row=csv_row(r), field="section_id", value=sections.at[r, "section_id"])


def _duplicate_text(items: pd.DataFrame, digests: pd.DataFrame | None,
                    texts: Callable[[np.ndarray], pd.Series] | None) -> list[Any]:
    """The index labels of items whose text appeared earlier in their section."""
    from lcplan.validate.kernels import group_codes

    if "text" in items:
        dup = pd.Series(pd.Series(group_codes(items, ["section_id", "text"])).duplicated().to_numpy(),
                        index=items.index) & items["text"].notna()
        return dup[dup].index.tolist()
    if digests is None or texts is None:
        return []
    keyed = digests.reindex(items.index)
    keyed["section_id"] = items["section_id"]
    codes = pd.Series(group_codes(keyed, list(keyed.columns)), index=items.index)
    candidates = codes.index[(codes.duplicated(keep=False) & keyed["filled"].fillna(False).astype(bool)).to_numpy()]
    if not len(candidates):
        return []
    # the digests may agree by chance: the texts themselves decide
    again = items.loc[candidates, ["section_id"]].assign(text=texts(np.asarray(candidates)).to_numpy())
    same = pd.Series(group_codes(again, ["section_id", "text"]), index=candidates).duplicated()
    return same[same.to_numpy()].index.tolist()
