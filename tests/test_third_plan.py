"""Plans are data: a third plan in another layout joins the package by adding data files only.

tests/plans/kb-cp-2024-28/ holds a borough corporate plan written for these tests (markdown,
numbered headings, "1.1" commitments with "(a)" measures, a wrapped line, a word hyphenated at
a wrap, a running footer), its plans/<document_id>.toml and its topic codes. The counts below
are read off that text by hand, not taken from the build.
"""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

import lcplan
from conftest import REPO, run_lcplan

THIRD = Path(__file__).parent / "plans" / "kb-cp-2024-28"
DOC = "kb-cp-2024-28"


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _copy_package(dest: Path) -> Path:
    shutil.copytree(REPO / "datasets" / "london-councils-plans", dest)
    return dest


def _add_third_plan(pkg: Path) -> None:
    """Data files only: the plan file, its source, and its rows of the reviewed topic codes."""
    shutil.copy(THIRD / "plans" / f"{DOC}.toml", pkg / "plans")
    for src in (THIRD / "sources").iterdir():
        shutil.copy(src, pkg / "sources")
    with open(THIRD / "reviewed" / "item_topics.csv", encoding="utf-8") as fh:
        extra = fh.read().split("\n", 1)[1]
    with open(pkg / "reviewed" / "item_topics.csv", "a", encoding="utf-8") as fh:
        fh.write(extra)


@pytest.fixture(scope="module")
def three(tmp_path_factory) -> Path:
    pkg = _copy_package(tmp_path_factory.mktemp("three") / "pkg")
    _add_third_plan(pkg)
    result = run_lcplan("build", "--package", str(pkg))
    assert result.returncode == 0, result.stderr
    return pkg


def test_the_build_reads_the_third_plan_as_the_text_says(three):
    items = [r for r in _rows(three / "data" / "items.csv") if r["document_id"] == DOC]
    kinds = [r["kind"] for r in items]
    # the text: a foreword paragraph, six commitments 1.1-3.2, six lettered measures, a closing paragraph
    assert kinds.count("narrative") == 2 and kinds.count("commitment") == 6 and kinds.count("measure") == 6
    assert [r["label"] for r in items if r["kind"] == "commitment"] == ["1.1", "1.2", "2.1", "2.2", "3.1", "3.2"]
    assert [r["label"] for r in items if r["kind"] == "measure"] == ["a", "b", "a", "a", "a", "b"]
    by_id = {r["item_id"]: r for r in items}
    # measures hang from the commitment above them
    assert by_id[f"{DOC}/measure/1.2.1"]["parent_item_id"] == f"{DOC}/commitment/1.2"
    assert by_id[f"{DOC}/measure/3.2.2"]["parent_item_id"] == f"{DOC}/commitment/3.2"
    # a wrapped line joined with one space, a hyphenated word rejoined
    wrapped = by_id[f"{DOC}/commitment/1.2"]
    assert wrapped["text"] == "End the use of bed and breakfast for families with children, except in an emergency."
    assert (wrapped["line_start"], wrapped["line_end"]) == ("14", "15")
    assert by_id[f"{DOC}/commitment/2.2"]["text"] == "Plant a tree for every child born in the borough."
    # the footer is furniture: no statement mentions it
    assert not any("Page 2" in r["text"] for r in items)
    sections = [r for r in _rows(three / "data" / "sections.csv") if r["document_id"] == DOC]
    assert [(r["title"], r["level"]) for r in sections] == [
        ("Kingsbridge Council Corporate Plan 2024–2028", "1"), ("Foreword", "2"), ("Our priorities", "2"),
        ("1. Homes for everyone", "3"), ("2. A greener borough", "3"), ("3. Safe and healthy streets", "3"),
        ("How we will report", "2")]


def test_the_shipped_plans_are_untouched_by_the_third(three):
    shipped = REPO / "datasets" / "london-councils-plans" / "data"
    for table in ("sections", "items", "crosswalk", "pledge_links", "evidence"):
        mine = [r for r in _rows(three / "data" / f"{table}.csv") if DOC not in json.dumps(r)]
        assert mine == _rows(shipped / f"{table}.csv"), table


def test_the_package_with_three_plans_validates(three):
    result = run_lcplan("validate", str(three), "--format", "json")
    assert result.returncode == 0, result.stdout
    assert json.loads(result.stdout)["summary"]["rows"]["documents"] == 3


def test_loaders_read_the_package_with_its_types(three):
    pi = lcplan.plan_items(package=three)
    mine = pi[pi["document_id"] == DOC]
    assert len(mine) == 14 and set(mine["plan_year"]) == {"2024/28"}
    assert str(lcplan.load("items", package=three)["kind"].dtype) == "category"
    assert lcplan.load("documents", package=three / "datapackage.json")["document_type"].tolist()[-1] == "corporate_plan"


def test_analysis_takes_any_plans(three):
    from lcplan import analysis

    assert analysis.select_plans(package=three) == [DOC]  # the latest plan's organisation has one plan
    every = analysis.select_plans("all", package=three)
    assert every[-1] == DOC and len(every) == 3
    labels = analysis.plan_labels(three)
    assert labels[DOC] == "Kingsbridge Council 2024/28"  # two organisations: labels name them
    measures = analysis.agenda_measures(kinds=("commitment",), plans="all", package=three).set_index("plan")
    # six commitments: 1.1 and 1.2 housing, 2.1 and 2.2 environment, 3.1 crime, 3.2 social welfare
    assert measures.loc["Kingsbridge Council 2024/28", "items"] == 6
    assert measures.loc["Kingsbridge Council 2024/28", "scope"] == 4


def test_notebook_01_runs_over_three_plans(three):
    import nbclient
    import nbformat

    path = REPO / "notebooks" / "01-priorities.ipynb"
    nb = nbformat.read(path, as_version=4)
    cell = next(c for c in nb.cells if "PACKAGE = None" in c.source)
    cell.source = cell.source.replace("PACKAGE = None", f"PACKAGE = {str(three)!r}").replace(
        "PLANS = None", 'PLANS = "all"')
    nbclient.NotebookClient(nb, timeout=300, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}}).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    text = json.dumps([o.get("data", {}).get("text/plain", "") for o in outputs])
    for label in ("London Councils 2017/18", "London Councils 2019/20", "Kingsbridge Council 2024/28"):
        assert label in text


def test_notebook_01_runs_on_a_package_of_one_plan_without_pledge_links(tmp_path):
    """The third plan alone, as `lcplan ingest` makes a package of it, with its topic codes:
    no commitment is linked to work, and the notebook says so instead of failing."""
    import nbclient
    import nbformat

    pkg = tmp_path / "kb"
    source = next((THIRD / "sources").iterdir())
    result = run_lcplan("ingest", str(source), "--document-id", DOC, "--organisation", "Kingsbridge Council",
                        "--title", "Kingsbridge Council Corporate Plan 2024-28", "--plan-year", "2024/28",
                        "--hints", str(THIRD / "plans" / f"{DOC}.toml"), "--out", str(pkg))
    assert result.returncode == 0, result.stderr
    (pkg / "reviewed").mkdir()
    shutil.copy(THIRD / "reviewed" / "item_topics.csv", pkg / "reviewed")
    shutil.copy(REPO / "datasets" / "london-councils-plans" / "reviewed" / "topics.toml", pkg / "reviewed")
    assert run_lcplan("build", "--package", str(pkg)).returncode == 0
    path = REPO / "notebooks" / "01-priorities.ipynb"
    nb = nbformat.read(path, as_version=4)
    cell = next(c for c in nb.cells if "PACKAGE = None" in c.source)
    cell.source = cell.source.replace("PACKAGE = None", f"PACKAGE = {str(pkg)!r}")
    nbclient.NotebookClient(nb, timeout=300, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}}).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    said = [o["data"]["text/markdown"] for o in outputs if "text/markdown" in o.get("data", {})]
    assert sum("links no commitments" in s for s in said) == 2
    text = json.dumps([o.get("data", {}).get("text/plain", "") for o in outputs])
    assert "2024/28" in text  # the plan is shown by its year


def test_a_hint_that_no_longer_matches_stops_the_build(tmp_path):
    pkg = _copy_package(tmp_path / "pkg")
    _add_third_plan(pkg)
    plan = pkg / "plans" / f"{DOC}.toml"
    plan.write_text(plan.read_text(encoding="utf-8").replace('starts = "---"', 'starts = "***"'), encoding="utf-8")
    result = run_lcplan("build", "--package", str(pkg))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert f"{DOC}.toml" in result.stderr and "furniture" in result.stderr


# ----------------------------------------------------------------------------- curated plans


CURATED_SOURCE = "Our plan\n\nWe will keep every library open.\nWe will fix every pothole\nwithin a week.\n"


def _add_curated_rows(pkg: Path, text: str = "We will fix every pothole within a week.") -> None:
    """What the README tells a steward to do: a source, and the plan's rows added to the tables."""
    import hashlib

    (pkg / "sources" / "ashford-plan-2025-26.txt").write_text(CURATED_SOURCE, encoding="utf-8")
    sha = hashlib.sha256(CURATED_SOURCE.encode("utf-8")).hexdigest()
    data = pkg / "data"
    with open(data / "documents.csv", "a", encoding="utf-8") as fh:
        fh.write(f"ash-cp-2025-26,Ashford Borough,Ashford Plan 2025/26,2025/26,2025-04-01,2026-03-31,corporate_plan,,"
                 f"sources/ashford-plan-2025-26.txt,{sha},\n")
    with open(data / "sections.csv", "a", encoding="utf-8") as fh:
        fh.write("ash-cp-2025-26/our-plan,ash-cp-2025-26,,Our plan,1,1,1,1,\n")
    with open(data / "items.csv", "a", encoding="utf-8") as fh:
        fh.write("ash-cp-2025-26/commitment/1,ash-cp-2025-26,ash-cp-2025-26/our-plan,,commitment,,,"
                 "We will keep every library open.,1,3,3,,,\n")
        fh.write(f"ash-cp-2025-26/commitment/2,ash-cp-2025-26,ash-cp-2025-26/our-plan,,commitment,,,{text},2,4,5,,,\n")


def test_a_plan_curated_as_tables_survives_the_build(tmp_path):
    pkg = _copy_package(tmp_path / "pkg")
    _add_curated_rows(pkg)
    assert run_lcplan("validate", str(pkg)).returncode == 0
    for _ in range(2):  # the build keeps the rows it did not make, every time
        result = run_lcplan("build", "--package", str(pkg))
        assert result.returncode == 0, result.stderr
        ids = [r["item_id"] for r in _rows(pkg / "data" / "items.csv")]
        assert ids[-2:] == ["ash-cp-2025-26/commitment/1", "ash-cp-2025-26/commitment/2"]
        assert len(ids) == len(_rows(REPO / "datasets" / "london-councils-plans" / "data" / "items.csv")) + 2
    descriptor = json.loads((pkg / "datapackage.json").read_text(encoding="utf-8"))
    assert "sources/ashford-plan-2025-26.txt" in [r["path"] for r in descriptor["resources"]]
    assert run_lcplan("validate", str(pkg)).returncode == 0


def test_build_and_validate_give_a_steward_the_same_verdict(tmp_path):
    pkg = _copy_package(tmp_path / "pkg")
    _add_curated_rows(pkg, text="We will fix every pothole within a day.")  # not what the source says
    before = (pkg / "data" / "items.csv").read_bytes()
    check = run_lcplan("validate", str(pkg), "--format", "json")
    assert check.returncode == 1
    assert [["items", p["field"], p["check"]] for p in json.loads(check.stdout)["errors"]] == [
        ["items", "text", "text_verbatim_at_lines"]]
    build = run_lcplan("build", "--package", str(pkg))
    assert build.returncode == 2 and "text_verbatim_at_lines" in build.stderr and "data/items.csv" in build.stderr
    assert (pkg / "data" / "items.csv").read_bytes() == before  # nothing written
