"""A corpus: a corpus.toml naming packages that are read, built and searched together.

The packages are made by `lcplan ingest` from texts written for the tests; every count is
the sum of what each package holds on its own.
"""

from __future__ import annotations

import pytest

from conftest import REPO, ingest_two_bodies, run_lcplan


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("corpus")
    ingest_two_bodies(root / "south")
    north = run_lcplan("ingest", str(REPO / "tests" / "plans" / "ingest" / "kingsbridge-plan-2024-28.txt"),
                       "--document-id", "kb-cp-2024-28", "--organisation", "Kingsbridge Council", "--title",
                       "Kingsbridge council plan", "--plan-year", "2024/28", "--out", str(root / "north"))
    assert north.returncode == 0, north.stderr
    for folder in ("south", "north"):
        added = run_lcplan("corpus", "add", folder, cwd=root)
        assert added.returncode == 0 and "added to" in added.stdout, added.stderr
    again = run_lcplan("corpus", "add", str(root / "north"), "--corpus", str(root / "corpus.toml"))
    assert again.returncode == 0 and "already in" in again.stdout
    return root


def test_the_corpus_file_names_its_packages_relative_to_itself(corpus):
    from lcplan.corpus.corpus import read_corpus

    read = read_corpus(corpus)
    assert [p.name for p in read.packages] == ["south", "north"]
    assert 'packages = ["south", "north"]' in (corpus / "corpus.toml").read_text(encoding="utf-8")
    listed = run_lcplan("corpus", "list", "--corpus", str(corpus))
    assert listed.stdout.split() == [str(corpus / "south"), str(corpus / "north")]


def test_build_and_load_every_package_at_once(corpus):
    import lcplan

    built = run_lcplan("corpus", "build", "--corpus", str(corpus))
    assert built.returncode == 0 and "2 of 2 package(s) built and valid" in built.stdout, built.stderr
    items = lcplan.load("items", corpus=corpus)
    alone = {name: lcplan.load("items", corpus / name) for name in ("south", "north")}
    assert len(items) == sum(len(f) for f in alone.values())
    assert items.groupby("package").size().to_dict() == {name: len(f) for name, f in alone.items()}
    bodies = items.drop_duplicates("document_id").set_index("document_id")["organisation"].to_dict()
    assert bodies == {"rv-bp-2025-26": "Riverside Council", "hc-cs-2025-30": "Harbour City Council",
                      "kb-cp-2024-28": "Kingsbridge Council"}
    docs = lcplan.load("documents", corpus=corpus)
    assert sorted(docs["package"]) == ["north", "south", "south"]
    with pytest.raises(ValueError, match="not both"):
        lcplan.load("items", corpus / "north", corpus=corpus)


def test_search_a_whole_corpus(corpus, tmp_path):
    import os

    env = {**os.environ, "LCPLAN_CACHE": str(tmp_path / "cache")}
    found = run_lcplan("search", "council", "--corpus", str(corpus), "--format", "csv", "--limit", "500", env=env)
    assert found.returncode == 0, found.stderr
    bodies = {line.split(",")[1] for line in found.stdout.splitlines()[1:]}
    assert {"Riverside Council", "Harbour City Council", "Kingsbridge Council"} <= bodies


def test_a_corpus_that_is_not_one_is_refused_plainly(tmp_path):
    missing = run_lcplan("corpus", "list", "--corpus", str(tmp_path / "nowhere.toml"))
    assert missing.returncode == 2 and "no such file" in missing.stderr
    bad = tmp_path / "corpus.toml"
    bad.write_text('[corpus]\npackages = ["not-a-package"]\n', encoding="utf-8")
    (tmp_path / "not-a-package").mkdir()
    result = run_lcplan("corpus", "build", "--corpus", str(bad))
    assert result.returncode == 2 and "entry 1" in result.stderr and "not-a-package" in result.stderr
    bad.write_text("[corpus\n", encoding="utf-8")
    result = run_lcplan("corpus", "list", "--corpus", str(tmp_path))
    assert result.returncode == 2 and "not valid TOML" in result.stderr and "Traceback" not in result.stderr
    result = run_lcplan("corpus", "add", str(tmp_path / "not-a-package"), "--corpus", str(tmp_path / "new.toml"))
    assert result.returncode == 2 and "not a package" in result.stderr
    assert not (tmp_path / "new.toml").exists()


def test_the_analysis_compares_bodies_across_a_corpus(corpus, tmp_path):
    """A corpus given where a package goes: topics by body and targets by body, each body's figures
    those of its own package. The steward adopts each package's drafted topics (the first
    suggestion of each statement as its primary topic) and builds the corpus again."""
    import csv

    from lcplan import analysis, charts

    for name in ("south", "north"):
        rows = []
        for draft in sorted((corpus / name / "drafts").glob("*-topics.csv")):
            with open(draft, encoding="utf-8", newline="") as fh:
                seen = set()
                for row in csv.DictReader(fh):
                    if row["item_id"] not in seen:
                        seen.add(row["item_id"])
                        rows.append({"item_id": row["item_id"], "topic_code": row["topic_code"], "primary": "true"})
        assert rows, f"{name}: ingest drafted no topics"
        (corpus / name / "reviewed").mkdir(exist_ok=True)
        with open(corpus / name / "reviewed" / "item_topics.csv", "w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=["item_id", "topic_code", "primary"], lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
    built = run_lcplan("corpus", "build", "--corpus", str(corpus))
    assert built.returncode == 0, built.stdout + built.stderr

    by_body = analysis.topic_attention(plans="all", package=corpus, by="organisation")
    assert list(by_body.columns) == ["organisation", "topic", "items", "share"]
    alone = {name: int(analysis.topic_attention(plans="all", package=corpus / name)["items"].sum())
             for name in ("south", "north")}
    assert int(by_body["items"].sum()) == sum(alone.values()) > 0
    north = by_body[by_body["organisation"].astype(str) == "Kingsbridge Council"]
    assert int(north["items"].sum()) == alone["north"]
    south = analysis.topic_attention(plans="all", package=corpus / "south")  # plan labels name the body here
    south_bodies = {body for body in ("Riverside Council", "Harbour City Council")
                    if south["plan"].astype(str).str.startswith(body).any()}
    assert set(by_body["organisation"].astype(str)) == south_bodies | {"Kingsbridge Council"}
    assert by_body.groupby("organisation", observed=True)["share"].sum().round(9).eq(1).all()
    chart = charts.topic_shares(by_body).to_dict()
    assert chart["encoding"]["color"]["field"] == "organisation" and chart["encoding"]["color"]["title"] == "Body"

    targets = analysis.targets(package=corpus)
    per_package = sum(len(analysis.targets(package=corpus / name)) for name in ("south", "north"))
    assert len(targets) == per_package and targets["organisation"].notna().all()
    if targets["due"].notna().any():
        timeline = charts.targets_timeline(targets, by="organisation").to_dict()
        assert timeline["encoding"]["color"]["field"] == "organisation"


def test_a_corpus_of_eight_real_plans_reports_and_searches(pdf_corpus, pdf_corpus_report, tmp_path):
    """The eight shortest PDFs of ../shared/corpus, drafted with no review, as one corpus: the
    report over it lists every plan with its statements and offers every table, and a search
    finds statements of the bodies whose documents hold the words."""
    import json
    import os
    import re

    import lcplan
    from conftest import pdf_corpus_documents

    from lcplan.corpus.corpus import read_corpus

    documents = pdf_corpus_documents()
    assert len(read_corpus(pdf_corpus).packages) == len(documents) == 8
    items = lcplan.load("items", corpus=pdf_corpus)
    docs = lcplan.load("documents", corpus=pdf_corpus)
    assert sorted(docs["title"]) == sorted(r["title"] for r in documents)
    assert set(docs["organisation"]) == {r["organisation"] for r in documents}

    index = pdf_corpus_report.read_text(encoding="utf-8")
    listed = re.findall(r'<li><a href="source-([^"]+)\.html">[^<]*</a> \(.*?, ([0-9,]+) statements\)</li>', index)
    per_doc = items.groupby("document_id").size()
    assert {d: int(n.replace(",", "")) for d, n in listed} == per_doc.to_dict()
    for name in lcplan.tables(pdf_corpus):
        assert (pdf_corpus_report.parent / "data" / f"{name}.csv").is_file(), name
    meta = (pdf_corpus_report.parent / "search" / "meta.js").read_text(encoding="utf-8")
    assert json.loads(meta[meta.index("(") + 1:meta.rindex(")")])["count"] == len(items)
    for page in sorted(pdf_corpus_report.parent.glob("0*.html")):
        assert "internal error" not in page.read_text(encoding="utf-8"), page.name

    env = {**os.environ, "LCPLAN_CACHE": str(tmp_path / "cache")}
    found = run_lcplan("search", "open government", "--corpus", str(pdf_corpus), "--format", "csv", "--limit", "1000",
                       env=env)
    assert found.returncode == 0, found.stderr
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(found.stdout)))
    holding = {d for d, t in zip(items["document_id"], items["text"])
               if re.search(r"\bopen\b", t, re.I) and re.search(r"\bgovernment", t, re.I)}
    # the index also searches each statement's title and stems words (governance, opening), so it may
    # find more documents than those whose statements print both words; never fewer
    assert holding and holding <= {r["document_id"] for r in rows} <= set(docs["document_id"])
