"""The column checks `lcplan validate` runs (Table Schemas compiled to Arrow kernels) and the
declared pandera schemas (derived from the same Table Schemas) find the same cells.

Each table of each bad package, of the shipped package and of generated hostile tables is
checked by both engines; the (row, field, check) sets must agree, but for the two differences
`lcplan.validate.columns` declares: pandera checks no value of a column against its range or
enum once one cell of it fails to be read as the type, and it reports a repeated primary key of
several fields on every field of the key (the columns engine: once, on the first field), and
counts a key with an empty part as repeated (the columns engine: the part is required, no more).
"""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from lcplan.registry import schema, table_names
from lcplan.tableschema import csv_row
from lcplan.validate.columns import column_failures, format_failures
from lcplan.validate.problems import Problems

from test_validate import CASES, assemble

pa = pytest.importorskip("pandera.pandas")

VALUE_CHECKS = {"isin", "greater_than_or_equal_to", "less_than_or_equal_to", "str_matches", "str_length", "unique"}


def _by_columns(name: str, frame: pd.DataFrame) -> set[tuple]:
    index = frame.index.to_numpy()
    return {(csv_row(index[p]), f.field, f.check) for f in column_failures(name, frame) for p in f.positions}


def _by_pandera(name: str, frame: pd.DataFrame) -> tuple[set[tuple], set[str]]:
    """What the pandera schema finds, after the lexical forms (which pandera does not see) are
    blanked and reported as the columns engine reports them; and the fields where a cell could not
    be read as the type (pandera's value checks stop there)."""
    import pyarrow as pa_

    from lcplan.validate.rows import flatten, pandera_schema

    found, blanked = set(), frame.copy()
    for field in schema(name).fields:
        if field.name not in frame:
            continue
        col = frame[field.name]
        arr = pa_.array(col.astype("object"), type=pa_.string(), from_pandas=True)
        bad = format_failures(field, arr)
        for pos in np.flatnonzero(bad):
            found.add((csv_row(frame.index[pos]), field.name, "coerce_dtype"))
        blanked.loc[frame.index[bad], field.name] = pd.NA
    stopped: set[str] = set()
    try:
        pandera_schema(name).validate(blanked, lazy=True)
    except pa.errors.SchemaErrors as exc:
        for p in flatten(exc.failure_cases, name):
            key = (p["row"], p["field"], p["check"])
            if p["check"] == "required" and (p["row"], p["field"], "coerce_dtype") in found:
                continue  # blanked above: its type is reported
            if p["check"] == "coerce_dtype":
                stopped.add(p["field"])
            found.add(key)
    return found, stopped


def _agree(name: str, frame: pd.DataFrame) -> None:
    ours = _by_columns(name, frame)
    theirs, stopped = _by_pandera(name, frame)
    pk = list(schema(name).primary_key)
    # pandera takes a key of several fields with an empty or unreadable part as repeated when
    # another row has the same parts; the columns engine reports that part (required, coerce_dtype)
    if len(pk) > 1:
        part_empty = {csv_row(i) for i in frame.index[frame[pk].isna().any(axis=1).to_numpy()]}
        part_empty |= {p[0] for p in ours if p[1] in pk and p[2] == "coerce_dtype"}
        theirs = {p for p in theirs if not (p[2] == "unique" and p[1] == pk[0] and p[0] in part_empty)}
    # once a cell of a column cannot be read as the type, pandera checks no other value of the
    # column against its constraints; the columns engine checks every one
    if len(pk) > 1 and stopped & set(pk):
        stopped = stopped | {pk[0]}  # a repeated key of several fields: compared on all of them
    ours_compared = {p for p in ours if not (p[1] in stopped and p[2] in VALUE_CHECKS)}
    theirs_compared = {p for p in theirs if not (p[1] in stopped and p[2] in VALUE_CHECKS)}
    assert ours_compared == theirs_compared, (name, sorted(ours_compared ^ theirs_compared)[:10])
    # what pandera does check in such a column, the columns engine finds too (a cell that cannot be
    # read as the type is reported for that alone, not also as a repeated value)
    assert {p for p in theirs if p[1] in stopped and p[2] in VALUE_CHECKS
            and (p[0], p[1], "coerce_dtype") not in ours} <= ours


@pytest.mark.parametrize("case", CASES)
def test_engines_agree_on_the_bad_packages(case, tmp_path):
    from lcplan.validate.files import read_table

    pkg, _ = assemble(case, tmp_path)
    for name in table_names():
        path = pkg / "data" / f"{name}.csv"
        if not path.is_file():
            continue
        frame = read_table(name, path, Problems())
        if frame is not None:
            _agree(name, frame)


def test_engines_agree_on_the_shipped_package(pkg):
    from lcplan.validate.files import read_table

    for name in table_names():
        frame = read_table(name, Path(pkg) / "data" / f"{name}.csv", Problems())
        assert frame is not None
        _agree(name, frame)
        assert not _by_columns(name, frame), name


# what a hostile table's cell may hold, by the field's type: good forms, bad forms, edge values
POOL = {
    "integer": ["1", "2", "7", "+3", "007", "-1", "0", "9223372036854775807", "9223372036854775808", "1.0", "1e3",
                " 4", "x", "٣", "99999999999999999999999999"],
    "number": ["1", "1.5", ".5", "5.", "-2e3", "NaN", "INF", "-INF", "1e999", "1,000", "£5", "nan", "1.2.3"],
    "date": ["2020-01-01", "2024-02-29", "2023-02-29", "2020-13-01", "2020-00-10", "0001-01-01", "9999-12-31",
             "0000-01-01", "20-01-01", "2020/01/01", "2020-1-1"],
    "boolean": ["true", "false", "True", "FALSE", "1", "0", "yes", "t", "maybe"],
}


def _cell(field, rng: random.Random, row: int) -> str | None:
    if rng.random() < 0.12:
        return None
    if field.type in POOL:
        return rng.choice(POOL[field.type])
    enum = field.constraints.get("enum")
    if enum and rng.random() < 0.8:
        return rng.choice([str(v) for v in enum])
    return rng.choice([f"a-{row % 7}", "a", "A b", "x/work-area/1", "", "a" * rng.randint(0, 3), f"id-{row}",
                       "doc/work-area/1.2", "café", "line\nbreak", "trailing\n"]) or None


@pytest.mark.parametrize("name", table_names())
def test_engines_agree_on_hostile_tables(name):
    rng = random.Random(f"columns-{name}")  # seeded: the same tables every run
    for _ in range(4):
        n = rng.choice([3, 40, 300])
        frame = pd.DataFrame({f.name: pd.array([_cell(f, rng, r) for r in range(n)], dtype=pd.StringDtype("pyarrow"))
                              for f in schema(name).fields})
        _agree(name, frame)


def test_a_value_past_its_range_is_reported_though_another_cell_is_unreadable():
    """The declared difference, as a steward sees it: every cell is checked."""
    fields = schema("sections").field_names
    frame = pd.DataFrame({f: pd.array([None, None], dtype=pd.StringDtype("pyarrow")) for f in fields})
    frame["level"] = pd.array(["9223372036854775808", "7"], dtype=pd.StringDtype("pyarrow"))
    found = _by_columns("sections", frame)
    assert (2, "level", "coerce_dtype") in found and (3, "level", "less_than_or_equal_to") in found
    theirs, _ = _by_pandera("sections", frame)
    assert (3, "level", "less_than_or_equal_to") not in theirs  # what pandera leaves out


def test_a_repeated_key_of_several_fields_is_one_problem_a_row():
    frame = pd.DataFrame({"item_id": ["d/work-area/1", "d/work-area/1", "d/work-area/2"],
                          "topic_code": ["4", "04", "4"], "primary": ["true", "false", "true"]},
                         dtype=pd.StringDtype("pyarrow"))
    failures = [f for f in column_failures("item_topics", frame) if f.check == "unique"]
    assert len(failures) == 1 and list(failures[0].positions) == [0, 1]  # "04" is the integer 4
    assert failures[0].field == "item_id" and "item_id and topic_code" in failures[0].message
    assert failures[0].value(1) == "d/work-area/1, 4"
