"""Typed loaders: types from the schemas, and nothing heavy on the load path."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

import lcplan
from lcplan.registry import table_names, table_schema


def test_tables_lists_the_registry():
    assert lcplan.tables() == table_names()
    assert {"documents", "sections", "items"} <= set(lcplan.tables())


@pytest.mark.parametrize("name", table_names())
def test_load_gives_each_field_its_declared_type(name):
    frame = lcplan.load(name)
    schema = table_schema(name)
    assert list(frame.columns) == [f["name"] for f in schema["fields"]]
    for field in schema["fields"]:
        dtype = frame[field["name"]].dtype
        enum = field.get("constraints", {}).get("enum")
        if field["type"] == "integer":
            assert dtype == "Int64", field["name"]
        elif field["type"] == "number":
            assert dtype == "Float64", field["name"]
        elif field["type"] == "boolean":
            assert dtype == "boolean", field["name"]
        elif field["type"] == "date":
            assert pd.api.types.is_datetime64_any_dtype(dtype), field["name"]
        elif enum:
            assert isinstance(dtype, pd.CategoricalDtype) and list(dtype.categories) == enum, field["name"]
        else:
            assert isinstance(dtype, pd.StringDtype), field["name"]


def test_empty_cells_are_missing_not_empty_strings():
    items = lcplan.load("items")
    assert items["parent_item_id"].isna().sum() > 0
    assert not (items["parent_item_id"] == "").any()
    docs = lcplan.load("documents").set_index("document_id")
    assert pd.isna(docs.loc["lc-bp-2017-18", "published"])
    assert docs.loc["lc-bp-2019-20", "published"] == pd.Timestamp("2019-06-04")


def test_package_path_points_at_the_descriptor():
    path = lcplan.package_path()
    assert path.name == "datapackage.json" and path.is_file()


def test_plan_items_adds_plan_year_and_section_path():
    pi = lcplan.plan_items()
    row = pi.set_index("item_id").loc["lc-bp-2019-20/work-area/3"]
    assert row["plan_year"] == "2019/20"
    assert row["top_section"] == "Appendix Two"
    assert row["subsection"] == "Transport & Environment"
    assert row["section_title"] == "Freedom Pass"
    assert row["section_path"] == "Appendix Two > Transport & Environment > Transport and Mobility Services > Freedom Pass"
    assert len(pi) == len(lcplan.load("items"))
    # ready for groupby
    per_area = pi[pi["kind"] == "pledge"].groupby("subsection").size()
    assert per_area["Housing"] == 13


def test_unknown_table_names_the_known_ones():
    with pytest.raises(KeyError, match="documents"):
        lcplan.load("nope")


def test_import_is_light_and_loading_imports_only_pandas():
    code = (
        "import sys, lcplan\n"
        "assert 'pandas' not in sys.modules, 'import lcplan imported pandas'\n"
        "import pandas\n"
        "before = {m.split('.')[0] for m in sys.modules}\n"
        "lcplan.load('items'); lcplan.plan_items()\n"
        "added = {m.split('.')[0] for m in sys.modules} - before - {'lcplan'}\n"
        "heavy = added & {'pandera', 'frictionless', 'altair', 'pyarrow', 'duckdb', 'numpy', 'scipy'}\n"
        "assert not heavy, heavy\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_another_package_is_validated_before_it_is_loaded(tmp_path):
    import shutil

    import pytest

    import lcplan
    from lcplan.validate import ValidationError

    from conftest import REPO

    pkg = tmp_path / "pkg"
    shutil.copytree(REPO / "datasets" / "london-councils-plans", pkg)
    assert len(lcplan.load("items", package=pkg)) == len(lcplan.load("items"))
    items = pkg / "data" / "items.csv"
    items.write_text(items.read_text(encoding="utf-8").replace(",work_area,", ",wish,", 1), encoding="utf-8")
    with pytest.raises(ValidationError):
        lcplan.load("items", package=pkg)
