"""The pandera schemas derived from schemas/ catch what Table Schema cannot say.

Each case breaks one thing in a copy of the shipped tables and asserts the flattened
report: [[table, row, field, check]], rows as CSV lines (header = 1).
"""

from __future__ import annotations

import pandas as pd
import pytest

from lcplan.validate import validate


def read_table(path):
    return pd.read_csv(path, dtype="string", keep_default_na=False, na_values=[""])


def check_package(folder):
    return validate(folder).errors.to_dict("records")


@pytest.fixture()
def copy(pkg, tmp_path):
    import shutil

    dest = tmp_path / "pkg"
    shutil.copytree(pkg, dest)
    return dest


def _edit(folder, table, row, field, value):
    path = folder / "data" / f"{table}.csv"
    frame = read_table(path)
    frame.loc[row - 2, field] = value
    frame.to_csv(path, index=False, lineterminator="\n")


def _flat(problems):
    return [[p["table"], p["row"], p["field"], p["check"]] for p in problems]


def _row_of(folder, table, column, value):
    frame = read_table(folder / "data" / f"{table}.csv")
    return int(frame.index[frame[column] == value][0]) + 2


CASES = [
    # (table, key column, key, field, bad value, expected check)
    ("documents", "document_id", "lc-bp-2019-20", "published", "2019-02-30", "coerce_dtype"),
    ("documents", "document_id", "lc-bp-2019-20", "period_end", "2019-03-31", "period_in_order"),
    ("documents", "document_id", "lc-bp-2019-20", "document_type", "memo", "isin"),
    ("sections", "section_id", "lc-bp-2019-20/appendix-two/transport-environment/transport-and-mobility-services/trace", "parent_section_id", "lc-bp-2017-18/main", "same_document"),
    ("sections", "section_id", "lc-bp-2019-20/main/purpose", "level", "3", "level_follows_parent"),
    ("items", "item_id", "lc-bp-2019-20/work-area/17", "text", "Act to ensure every Londoner feels happy.", "text_verbatim_at_lines"),
    ("items", "item_id", "lc-bp-2019-20/work-area/17", "line_start", "301", "lines_in_order"),
    ("items", "item_id", "lc-bp-2019-20/work-area/55", "line_end", "391", "lines_inside_source"),
    ("items", "item_id", "lc-bp-2019-20/work-area/18", "label", "16", "labels_in_order"),
    ("items", "item_id", "lc-bp-2019-20/work-area/18", "section_id", "lc-bp-2019-20/appendix-nine", "foreign_key"),
    ("items", "item_id", "lc-bp-2019-20/pledge/housing/2.1", "parent_item_id", "lc-bp-2017-18/theme/1", "same_document"),
    ("items", "item_id", "lc-bp-2019-20/pledge/housing/2.1", "parent_item_id", "lc-bp-2019-20/pledge/housing/9", "foreign_key"),
    ("items", "item_id", "lc-bp-2019-20/work-area/18", "kind", "wish", "isin"),
    ("items", "item_id", "lc-bp-2019-20/work-area/18", "position", "x", "coerce_dtype"),
    ("items", "item_id", "lc-bp-2019-20/work-area/18", "text", None, "required"),
]


@pytest.mark.parametrize(("table", "key_col", "key", "field", "value", "check"), CASES,
                         ids=[f"{c[0]}.{c[3]}-{c[5]}" for c in CASES])
def test_one_broken_cell_is_reported_at_its_row_and_field(copy, table, key_col, key, field, value, check):
    row = _row_of(copy, table, key_col, key)
    _edit(copy, table, row, field, value)
    assert [table, row, field, check] in _flat(check_package(copy))


def test_a_duplicated_id_is_reported(copy):
    path = copy / "data" / "items.csv"
    frame = read_table(path)
    frame = pd.concat([frame, frame.iloc[[5]]], ignore_index=True)
    frame.to_csv(path, index=False, lineterminator="\n")
    flat = _flat(check_package(copy))
    assert ["items", len(frame) + 1, "item_id", "unique"] in flat
