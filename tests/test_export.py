"""Every export reads back to the same data; keys are declared; formulas are made safe."""

from __future__ import annotations

import pandas as pd
import pytest

import lcplan
from lcplan.export import FORMATS, export, read_export

from conftest import run_lcplan


def _ordered(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.sort_values(list(frame.columns[:2]), kind="stable").reset_index(drop=True)


@pytest.mark.parametrize("fmt", FORMATS)
def test_export_round_trips_every_table(fmt, tmp_path):
    files = export(fmt, tmp_path)
    assert files and all(f.stat().st_size > 0 for f in files)
    back = read_export(fmt, tmp_path)
    assert sorted(back) == sorted(lcplan.tables())
    for name in lcplan.tables():
        pd.testing.assert_frame_equal(_ordered(back[name]), _ordered(lcplan.load(name)))


def test_sqlite_declares_and_enforces_keys(tmp_path):
    import sqlite3

    (path,) = export("sqlite", tmp_path)
    con = sqlite3.connect(path)
    con.execute("PRAGMA foreign_keys = ON")
    fks = con.execute("PRAGMA foreign_key_list(items)").fetchall()
    assert {(r[2], r[3], r[4]) for r in fks} >= {("documents", "document_id", "document_id"),
                                                ("sections", "section_id", "section_id"),
                                                ("items", "parent_item_id", "item_id")}
    pk = [r[1] for r in con.execute("PRAGMA table_info(items)").fetchall() if r[5]]
    assert pk == ["item_id"]
    with pytest.raises(sqlite3.IntegrityError):
        con.execute("INSERT INTO items (item_id, document_id, section_id, kind, text, position, line_start, line_end)"
                    " VALUES ('x/y/1', 'nope', 'nope', 'narrative', 't', 1, 1, 1)")


def test_duckdb_declares_keys(tmp_path):
    import duckdb

    (path,) = export("duckdb", tmp_path)
    con = duckdb.connect(str(path), read_only=True)
    kinds = {r[0] for r in con.execute(
        "SELECT constraint_type FROM duckdb_constraints() WHERE table_name = 'items'").fetchall()}
    assert {"PRIMARY KEY", "FOREIGN KEY"} <= kinds


def test_xlsx_has_a_readme_and_never_a_formula(tmp_path, monkeypatch):
    from openpyxl import load_workbook

    import lcplan.export as ex

    real = ex._frames

    def with_formula(package=None):
        frames = real(package)
        frames["crosswalk"].loc[0, "note"] = "=HYPERLINK(\"http://example.invalid\")"
        return frames

    monkeypatch.setattr(ex, "_frames", with_formula)
    (path,) = export("xlsx", tmp_path)
    wb = load_workbook(path)
    assert wb.sheetnames[0] == "README" and set(lcplan.tables()) <= set(wb.sheetnames)
    cell = wb["crosswalk"]["D2"]
    assert cell.value.startswith("=HYPERLINK") and cell.data_type == "s"


def test_export_command(tmp_path):
    result = run_lcplan("export", "--format", "json", "--out", str(tmp_path))
    assert result.returncode == 0 and (tmp_path / "items.json").is_file()
    assert run_lcplan("export", "--format", "csv", "--out", str(tmp_path)).returncode == 2
