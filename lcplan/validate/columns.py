"""Stage 3, the columns: every field's type and constraints, checked straight on the Arrow
arrays of the text as read (``pyarrow.compute``), compiled from the Table Schemas of
``schemas/``: the lexical form of integers, numbers and dates (Table Schema's ASCII forms),
values that cannot be read as the field's type (an integer past int64, a date that is not in
the calendar, a boolean not among the field's true and false values), required, unique (one
field, or the primary key's fields together), enum, pattern (the whole value), length and range.

This is the engine ``lcplan validate`` runs. The declared schema is
:func:`lcplan.validate.rows.pandera_schema`, derived from the same Table Schemas for people
who work with pandera; a test runs both over the bad packages and asserts they report the same
cells. Two differences are deliberate: after a cell of a column fails to be read as its type,
pandera checks no other value of that column against its range or enum, this engine checks
them all; and a repeated primary key of several fields is one ``unique`` problem a row, not a
``multiple_fields_uniqueness`` per field.

No Python runs per row: a package of a million rows costs what its columns' compute kernels
cost. The checks are named as pandera names them (``coerce_dtype``, ``isin``,
``str_matches``...), so that reports read as they always have.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from lcplan.registry import boolean_values, schema
from lcplan.tableschema import Field
from lcplan.validate.problems import CHECKS, MAX_PER_CHECK

__all__ = ["Failure", "FORMATS", "column_failures", "format_failures", "free_text_fields", "key_message"]

# Table Schema's lexical forms: type -> (pattern, what the form is, said to a steward)
FORMATS = {
    "integer": (r"^[+-]?[0-9]+$", "an integer is written with the digits 0-9 only"),
    "number": (r"^(?:[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|NaN|INF|-INF)$",
               "a number is written with the digits 0-9, a point and an exponent only"),
    "date": (r"^(?:000[1-9]|00[1-9][0-9]|0[1-9][0-9]{2}|[1-9][0-9]{3})-[0-9]{2}-[0-9]{2}$",
             "a date is written YYYY-MM-DD, year 0001 or later"),
}
INT64_DIGITS = 19  # an integer of fewer digits always fits in int64


@dataclass(frozen=True)
class Failure:
    """The cells of one field that fail one check: ``positions`` (0-based, ascending) in the
    frame, and the values to show (``values[k]`` for ``positions[k]``; None where empty)."""

    field: str
    check: str
    message: str
    positions: np.ndarray
    values: Any  # a pyarrow array aligned with positions, or None
    rank: tuple[int, int] = (0, 0)  # (the field's place in the schema, the check's among a field's checks)

    def value(self, k: int) -> Any:
        return None if self.values is None else self.values[k].as_py()


def _arrow(series: pd.Series) -> Any:
    """The column as pyarrow strings (zero-copy for pyarrow-backed strings; chunks kept as read)."""
    import pyarrow as pa

    if hasattr(series.array, "__arrow_array__"):
        return series.array.__arrow_array__()
    return pa.array(series.astype("object"), type=pa.string(), from_pandas=True)


def _mask(values: Any) -> np.ndarray:
    """A pyarrow boolean array as numpy (null as False)."""
    import pyarrow.compute as pc

    return np.asarray(pc.fill_null(values, False).to_numpy(zero_copy_only=False), dtype=bool)


REPEATS_SAMPLE = 4096  # the first values of a column looked at to see whether it repeats them


def _repeats(arr: Any) -> bool:
    """Whether a column's values repeat (its first :data:`REPEATS_SAMPLE` hold at most one distinct
    value in eight), so that it is quicker read a distinct value at a time."""
    import pyarrow.compute as pc

    if len(arr) <= REPEATS_SAMPLE:
        return False
    head = arr.slice(0, REPEATS_SAMPLE)
    return pc.count_distinct(head, mode="only_valid").as_py() * 8 <= REPEATS_SAMPLE


def _matches(arr: Any, pattern: str) -> np.ndarray:
    """Where the whole value matches ``pattern`` (null as True: emptiness is the required check's).

    RE2 (pyarrow) reads the pattern where it can; a pattern RE2 does not support (look-around,
    back-references) is matched by Python's ``re``, once a distinct value."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if _repeats(arr):  # each distinct value matched once (keys of another table: few, named often)
        enc = pc.dictionary_encode(arr)
        enc = enc.combine_chunks() if hasattr(enc, "combine_chunks") else enc
        return np.asarray(pc.fill_null(pc.take(pa.array(_matches(enc.dictionary, pattern)), enc.indices), True)
                          .to_numpy(zero_copy_only=False), dtype=bool)
    try:
        # without (?m), RE2's $ is the end of the text, as Python's \Z
        found = pc.match_substring_regex(arr, f"^(?:{pattern})$")
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        rx = re.compile(f"(?:{pattern})\\Z")
        enc = pc.dictionary_encode(arr)
        enc = enc.combine_chunks() if hasattr(enc, "combine_chunks") else enc
        words = enc.dictionary.to_pylist()
        hits = pa.array([rx.match(w) is not None for w in words], type=pa.bool_())
        found = pc.take(hits, enc.indices)
    return np.asarray(pc.fill_null(found, True).to_numpy(zero_copy_only=False), dtype=bool)


def format_failures(field: Field, arr: Any) -> np.ndarray:
    """Where a cell of an integer, number or date field is not in Table Schema's lexical form
    (a boolean array over the cells; empty cells pass)."""
    spec = FORMATS.get(field.type)
    if spec is None:
        return np.zeros(len(arr), dtype=bool)
    return ~_matches(arr, spec[0])


def _as_integers(arr: Any, ok: np.ndarray) -> tuple[Any, np.ndarray]:
    """The cells in integer form (``ok``) as int64, null elsewhere; and where a cell in that form
    lies past int64 (it cannot be read as the field's type)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    text = pc.if_else(pa.array(ok), arr, pa.scalar(None, pa.string()))
    if _mask(pc.starts_with(text, "+")).any():  # Table Schema allows a plus sign; Arrow's cast does not
        text = pc.utf8_ltrim(text, characters="+")
    long = _mask(pc.greater_equal(pc.binary_length(text), INT64_DIGITS))  # the only ones that may not fit
    past = np.zeros(len(arr), dtype=bool)
    if long.any():
        for k in np.flatnonzero(long).tolist():
            past[k] = not -(2 ** 63) <= int(text[k].as_py()) < 2 ** 63
        text = pc.if_else(pa.array(past), pa.scalar(None, pa.string()), text)
    return pc.cast(text, pa.int64()), past


def _as_dates(arr: Any, ok: np.ndarray) -> tuple[Any, np.ndarray]:
    """The cells in date form as dates (null elsewhere), and where one is not a day of the
    calendar (2023-02-29, 2020-13-01): parsed and written again, it is not the same text."""
    import pyarrow as pa
    import pyarrow.compute as pc

    text = pc.if_else(pa.array(ok), arr, pa.scalar(None, pa.string()))
    parsed = pc.strptime(text, format="%Y-%m-%d", unit="s", error_is_null=True)
    same = pc.equal(pc.strftime(parsed, format="%Y-%m-%d"), text)
    bad = ok & ~_mask(pc.fill_null(same, False)) & _mask(pc.is_valid(text))
    return pc.if_else(pa.array(bad), pa.scalar(None, parsed.type), parsed), bad


def _as_booleans(field: Field, arr: Any) -> tuple[Any, np.ndarray]:
    """The cells as booleans by the field's trueValues and falseValues; and the cells that are neither."""
    import pyarrow as pa
    import pyarrow.compute as pc

    true, false = boolean_values(field)
    is_true = pc.is_in(arr, value_set=pa.array(list(true), type=pa.string()))
    is_false = pc.is_in(arr, value_set=pa.array(list(false), type=pa.string()))
    bad = _mask(pc.is_valid(arr)) & ~_mask(is_true) & ~_mask(is_false)
    return pc.if_else(pa.array(bad), pa.scalar(None, pa.bool_()), is_true), bad


def _typed(field: Field, arr: Any, ok: np.ndarray) -> tuple[Any, np.ndarray]:
    """The column as its type (null where empty or unreadable), and the cells in the right form
    that still cannot be read as the type."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if field.type == "integer":
        return _as_integers(arr, ok)
    if field.type == "number":
        text = pc.if_else(pa.array(ok), arr, pa.scalar(None, pa.string()))
        return pc.cast(text, pa.float64()), np.zeros(len(arr), dtype=bool)
    if field.type == "date":
        return _as_dates(arr, ok)
    if field.type == "boolean":
        return _as_booleans(field, arr)
    return arr, np.zeros(len(arr), dtype=bool)


def _wrong_length(arr: Any, low: int | None, high: int | None) -> np.ndarray:
    """Where a value has fewer than ``low`` or more than ``high`` characters. A value's bytes
    (known without reading it) bound its characters (one to four bytes each): only the values the
    bounds leave open are counted character by character."""
    import pyarrow as pa
    import pyarrow.compute as pc

    size = np.nan_to_num(np.asarray(pc.binary_length(arr).to_numpy(zero_copy_only=False), dtype="float64"), nan=0)
    low_, high_ = low if low is not None else 0, high if high is not None else np.inf
    open_ = ~((size >= 4 * low_) & (size <= high_)) & ~((size < low_) | (size > 4 * high_))
    wrong = (size < low_) | (size > 4 * high_)
    if open_.any():
        rows = np.flatnonzero(open_)
        chars = np.asarray(pc.utf8_length(arr.take(pa.array(rows))).to_numpy(zero_copy_only=False), dtype="float64")
        wrong[rows] = (chars < low_) | (chars > high_)
    return wrong


def _bound(field: Field, value: Any) -> Any:
    """A minimum or maximum of the schema in the field's type."""
    import datetime

    if field.type == "date" and isinstance(value, str):
        return datetime.datetime.strptime(value, "%Y-%m-%d")
    return value


def _duplicated(keys: list[Any]) -> np.ndarray:
    """Where the row's key (the values of ``keys`` together, every one present) occurs more than
    once: the values hashed to codes by pyarrow, the codes counted by numpy."""
    import pyarrow.compute as pc

    present = np.ones(len(keys[0]), dtype=bool)
    key = np.zeros(len(keys[0]), dtype=np.int64)
    for k in keys:
        present &= _mask(pc.is_valid(k))
        enc = pc.dictionary_encode(k, null_encoding="encode")
        enc = enc.combine_chunks() if hasattr(enc, "combine_chunks") else enc  # one dictionary for every chunk
        codes = enc.indices.to_numpy(zero_copy_only=False).astype(np.int64)
        if len(keys) == 1:  # one field: its codes are already one per distinct value
            key = codes
            break
        key = pd.factorize(key * (len(enc.dictionary) + 1) + codes)[0]  # kept small: one code per distinct key
    if not len(key):
        return present
    return present & (np.bincount(key[present], minlength=int(key.max()) + 1)[key] > 1)


def free_text_fields(name: str) -> tuple[str, ...]:
    """The fields of a table that hold free text: strings with no pattern or enum, not unique, in
    no key (primary or foreign, either side). Their checks need no other row, so a table too large
    to hold whole is held without them (they are checked batch by batch)."""
    from lcplan.registry import table_names

    ts = schema(name)
    keys = set(ts.primary_key) | {c for fk in ts.foreign_keys for c in fk.fields}
    for other in table_names():
        keys |= {c for fk in schema(other).foreign_keys if fk.resource == name for c in fk.reference}
    return tuple(f.name for f in ts.fields if f.type == "string" and not {"pattern", "enum"} & set(f.constraints)
                 and not f.unique and f.name not in keys)


def column_failures(name: str, frame: pd.DataFrame, fields: Collection[str] | None = None) -> Iterator[Failure]:
    """Every cell of ``frame`` (a table's text as read, missing as NA) that fails its field's
    type or constraints, one :class:`Failure` per field and check, in the schema's order
    (``fields``: those fields only; a key of several fields is checked when all are among them)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    ts = schema(name)
    pk = list(ts.primary_key)
    typed_keys: dict[str, Any] = {}
    for place, field in enumerate(ts.fields):
        if field.name not in frame or (fields is not None and field.name not in fields):
            continue
        arr = _arrow(frame[field.name])
        present = _mask(pc.is_valid(arr))
        bad_form = present & format_failures(field, arr)
        if bad_form.any():
            yield _failure((place, 0), field, "coerce_dtype",
                           f"cannot be read as {field.type}: {FORMATS[field.type][1]}", bad_form, arr)
        typed, unreadable = _typed(field, arr, present & ~bad_form)
        if unreadable.any():
            yield _failure((place, 1), field, "coerce_dtype", CHECKS["coerce_dtype"].message, unreadable, arr)
        readable = present & ~bad_form & ~unreadable
        if field.required:
            empty = ~present
            if empty.any():
                yield _failure((place, 2), field, "required", CHECKS["required"].message, empty, None)
        if field.unique or pk == [field.name]:
            dup = readable & _duplicated([typed])
            if dup.any():
                yield _failure((place, 3), field, "unique", CHECKS["unique"].message, dup, arr)
        typed_keys[field.name] = typed
        c = field.constraints
        if "enum" in c:
            allowed = [str(v) for v in c["enum"]]
            outside = readable & ~_mask(pc.is_in(arr, value_set=pa.array(allowed, type=pa.string())))
            if outside.any():
                shown = ", ".join(allowed[:30]) + (f", ... ({len(allowed)} in all)" if len(allowed) > 30 else "")
                yield _failure((place, 4), field, "isin", f"is not one of the allowed values: {shown}", outside, arr)
        if "pattern" in c:
            unmatched = readable & ~_matches(arr, c["pattern"])
            if unmatched.any():
                yield _failure((place, 5), field, "str_matches", CHECKS["str_matches"].message, unmatched, arr)
        if "minLength" in c or "maxLength" in c:
            wrong = readable & _wrong_length(arr, c.get("minLength"), c.get("maxLength"))
            if wrong.any():
                yield _failure((place, 6), field, "str_length", CHECKS["str_length"].message, wrong, arr)
        for kind, key, check, compare in ((7, "minimum", "greater_than_or_equal_to", pc.less),
                                          (8, "maximum", "less_than_or_equal_to", pc.greater)):
            if key in c and field.type in ("integer", "number", "date"):
                beyond = readable & _mask(compare(typed, pa.scalar(_bound(field, c[key]), typed.type)))
                if beyond.any():
                    shown = pc.cast(typed, pa.string()) if field.type != "date" else arr
                    yield _failure((place, kind), field, check, CHECKS[check].message, beyond, shown)
    if len(pk) > 1 and all(k in typed_keys for k in pk):
        dup = _duplicated([typed_keys[k] for k in pk])
        if dup.any():
            joined = pc.binary_join_element_wise(*[pc.cast(typed_keys[k], pa.string()) for k in pk], ", ")
            yield Failure(pk[0], "unique", key_message(pk),
                          np.flatnonzero(dup), joined.take(pa.array(np.flatnonzero(dup)[:MAX_PER_CHECK])),
                          (len(ts.fields), 0))


def key_message(pk: list[str]) -> str:
    """The message of a primary key of several fields repeated."""
    names = " and ".join(pk) if len(pk) == 2 else ", ".join(pk[:-1]) + f" and {pk[-1]}"
    return f"the same {names} appear in another row (the primary key)"


def _failure(rank: tuple[int, int], field: Field, check: str, message: str, mask: np.ndarray, arr: Any) -> Failure:
    import pyarrow as pa

    positions = np.flatnonzero(mask)
    return Failure(field.name, check, message, positions,
                   None if arr is None else arr.take(pa.array(positions[:MAX_PER_CHECK])), rank)  # those listed
