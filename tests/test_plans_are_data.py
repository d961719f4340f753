"""Plans are data: no document ID, plan year or source name of a plan is written into the code,
the notebooks or the benchmarks; every plan is read from its plans/<document_id>.toml."""

from __future__ import annotations

import json
import re

import pytest

import lcplan
from conftest import REPO

SCANNED = [*sorted((REPO / "lcplan").rglob("*.py")), *sorted((REPO / "benchmarks").glob("*.py")),
           *sorted((REPO / "notebooks").glob("*.ipynb"))]


def _names() -> list[str]:
    """What names a plan: its document ID, its plan year and its source file's name."""
    docs = lcplan.load("documents")
    names = set(docs["document_id"]) | set(docs["plan_year"])
    names |= {p.rsplit("/", 1)[-1].rsplit(".", 1)[0] for p in docs["source_path"]}
    return sorted(names)


def _text(path) -> str:
    if path.suffix == ".ipynb":  # every cell, code and prose
        return "\n".join("".join(c["source"]) for c in json.loads(path.read_text(encoding="utf-8"))["cells"])
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize("path", SCANNED, ids=[str(p.relative_to(REPO)) for p in SCANNED])
def test_no_plan_is_named_in_code(path):
    text = _text(path)
    found = [n for n in _names() if re.search(rf"(?<![\w/-]){re.escape(n)}(?![\w-])", text)]
    assert not found, f"{path.name} names {found}: take plans from the package (lcplan.analysis.select_plans)"


def test_the_scan_would_catch_a_plan_name(tmp_path):
    bad = tmp_path / "x.py"
    bad.write_text(f"OLD = {_names()[0]!r}\n", encoding="utf-8")
    with pytest.raises(AssertionError):
        test_no_plan_is_named_in_code(bad)


def test_every_document_has_its_plan_file(pkg):
    from lcplan.plans import load_plans

    plans = load_plans(pkg)
    assert [p.document_id for p in plans] == list(lcplan.load("documents")["document_id"])
    for plan in plans:
        assert plan.path.name == f"{plan.document_id}.toml"
        assert plan.parsed and plan.hints.headings  # both shipped plans are read from their text


def test_every_category_defines_exactly_the_enum():
    from lcplan.registry import table_names, table_schema

    seen = 0
    for table in table_names():
        for field in table_schema(table)["fields"]:
            if "categories" in field:
                seen += 1
                assert [c["value"] for c in field["categories"]] == field["constraints"]["enum"], (table, field["name"])
                assert all(c.get("label") and c.get("description") for c in field["categories"])
    assert seen >= 4  # document types, kinds, relations, verdicts
    kinds = {c["value"]: c for c in table_schema("items")["fields"][4]["categories"]}
    assert {c["role"] for c in kinds.values()} == {"purpose", "commitment", "work", "measure", "narrative", "apparatus"}
    assert {"objective", "commitment", "action", "measure", "target"} <= set(kinds)
