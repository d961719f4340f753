"""The topic codebook ships with lcplan: every package has its topics, and a package's own terms are
kept apart as local additions."""

from __future__ import annotations

import csv

from conftest import REPO, run_lcplan

from lcplan.codebook import CodebookError, codebook


def test_the_codebook_is_the_cap_major_topics_without_local_terms():
    book = codebook()
    assert len(book.topics) == 21 and book.topics[7] == "Environment" and book.topics[23] == "Culture"
    assert sorted(book.topics) == [*range(1, 11), *range(12, 22), 23]  # CAP's codes are not consecutive
    words = " ".join(book.descriptions.values()).lower()
    for local in ("london", "borough", "freedom pass", "taxicard", "council"):
        assert local not in words
    assert book.local == {}


def test_a_packages_own_terms_are_local_additions(tmp_path):
    book = codebook(REPO / "datasets" / "london-councils-plans")
    assert "freedom pass" in book.local[10].lower() and "freedom pass" not in book.descriptions[10].lower()
    assert book.description(10).startswith(book.descriptions[10]) and book.local[10] in book.description(10)


def test_a_package_cannot_rename_a_topic(tmp_path):
    (tmp_path / "reviewed").mkdir()
    (tmp_path / "reviewed" / "topics.toml").write_text('[topics]\n7 = "Climate"\n', encoding="utf-8")
    try:
        codebook(tmp_path)
    except CodebookError as exc:
        assert "topics.toml" in str(exc) and "Climate" in str(exc)
    else:
        raise AssertionError("a renamed topic was accepted")


def test_a_new_package_has_its_codebook_and_adopting_drafted_topics_builds(tmp_path):
    pkg = tmp_path / "hb"
    source = REPO / "tests" / "plans" / "ingest" / "harbour-strategy-2025-30.md"
    result = run_lcplan("ingest", str(source), "--document-id", "hc-cs-2025-30", "--organisation", "Harbour City Council",
                        "--title", "Harbour City climate strategy", "--plan-year", "2025/30", "--out", str(pkg))
    assert result.returncode == 0, result.stderr
    with open(pkg / "data" / "topics.csv", encoding="utf-8") as f:
        assert len(list(csv.DictReader(f))) == 21
    with open(pkg / "drafts" / "hc-cs-2025-30-topics.csv", encoding="utf-8") as f:
        first = [r for r in csv.DictReader(f) if r["rank"] == "1"]
    assert first and {r["status"] for r in first} <= {"suggested", "to review"}
    # a reviewer accepts the suggested codes and codes the rest; here the coder's first guess stands in
    (pkg / "reviewed").mkdir(exist_ok=True)
    with open(pkg / "reviewed" / "item_topics.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["item_id", "topic_code", "primary"])
        w.writerows([r["item_id"], r["topic_code"], "true"] for r in first)
    assert run_lcplan("build", "--package", str(pkg)).returncode == 0
    checked = run_lcplan("validate", str(pkg))
    assert checked.returncode == 0, checked.stdout
    with open(pkg / "data" / "item_topics.csv", encoding="utf-8") as f:
        assert len(list(csv.DictReader(f))) == len(first)
