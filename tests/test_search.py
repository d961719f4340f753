"""Search over packages' statements: a derived FTS5 index kept out of the packages.

Counts come from the statements themselves (a regular expression over the same table), not
from the index; the packages searched are the shipped one and ones made by `lcplan ingest`
from texts written for the tests.
"""

from __future__ import annotations

import pytest

import lcplan
from conftest import REPO, ingest_two_bodies, run_lcplan


@pytest.fixture(autouse=True)
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("LCPLAN_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache"


def _files(folder):
    return sorted((p.relative_to(folder), p.stat().st_mtime_ns) for p in folder.rglob("*") if p.is_file())


def test_every_word_must_occur_stemmed_and_every_match_is_found():
    from lcplan.corpus import search

    items = lcplan.load("items")
    read = (items["title"].fillna("") + " " + items["text"]).str.lower()
    want = items.loc[read.str.contains(r"\bfreedom\b") & read.str.contains(r"\bpass(?:es|ed|ing)?\b"), "item_id"]
    got = search("Freedom Pass", limit=None)
    assert len(want) > 0 and set(got["item_id"]) == set(want)
    assert got["score"].is_monotonic_increasing  # best (lowest BM25) first
    whole = items.set_index("item_id")["text"]
    assert (got.set_index("item_id")["text"] == whole[got["item_id"]]).all()  # the statement whole


def test_filters_by_plan_year_kind_and_organisation():
    from lcplan.corpus import search

    items = lcplan.plan_items()
    year = str(items["plan_year"].iloc[-1])
    got = search("London", years=year, kind="work_area", limit=None)
    mine = items[(items["plan_year"].astype(str) == year) & (items["kind"] == "work_area")]
    want = mine.loc[(mine["title"].fillna("") + " " + mine["text"]).str.contains(r"\bLondon", case=False), "item_id"]
    assert set(got["item_id"]) == set(want) and len(want) > 0
    assert search("London", organisation="Nobody Council").empty


def test_several_packages_a_phrase_and_a_rebuilt_index(tmp_path, cache):
    pkg = ingest_two_bodies(tmp_path / "two-bodies")
    before = _files(pkg)
    from lcplan.corpus import search

    got = search('"net zero"', packages=[pkg, None], limit=None)
    assert list(got["organisation"].unique()) == ["Harbour City Council"]  # the shipped plans say no net zero
    assert got["text"].str.contains("net zero").all()
    both = search("council", packages=[pkg, None], limit=None)
    assert {"Riverside Council", "Harbour City Council", "London Councils"} <= set(both["organisation"])
    assert set(both["package"]) == {"two-bodies", "london-councils-plans"}
    assert _files(pkg) == before  # the index lives in the cache, never in a package
    assert len(list((cache / "search").glob("*.sqlite"))) == 1
    # a plan added to the package: its statements are found, from an index built again
    added = run_lcplan("ingest", str(REPO / "tests" / "plans" / "ingest" / "kingsbridge-plan-2024-28.txt"),
                       "--document-id", "kb-cp-2024-28", "--organisation", "Kingsbridge Council", "--title",
                       "Kingsbridge council plan", "--plan-year", "2024/28", "--into", str(pkg))
    assert added.returncode == 0, added.stderr
    lcplan.loaders.forget()
    assert "Kingsbridge Council" in set(search("council", packages=[pkg], limit=None)["organisation"])


def test_the_command_line(tmp_path, cache):  # the cache reaches the command through the environment
    found = run_lcplan("search", "Freedom Pass", "--limit", "2")
    assert found.returncode == 0 and "London Councils" in found.stdout and "2 statement(s)" in found.stdout
    csv_out = run_lcplan("search", "Freedom Pass", "--format", "csv")
    assert csv_out.stdout.splitlines()[0].startswith("item_id,organisation,plan_year,kind")
    none = run_lcplan("search", "zzzqqqxxy")
    assert none.returncode == 1 and "no statement matches" in none.stderr
    for query in ('" ( *', ""):
        bad = run_lcplan("search", query)
        assert bad.returncode == 2 and "nothing to search for" in bad.stderr and "Traceback" not in bad.stderr
    syntax = run_lcplan("search", "housing NEAR(")  # FTS5 syntax is read as words, never as a query
    assert syntax.returncode in (0, 1) and "Traceback" not in syntax.stderr
    missing = run_lcplan("search", "housing", "--package", str(tmp_path / "nowhere"))
    assert missing.returncode == 2 and "no such file" in missing.stderr and "internal error" not in missing.stderr


def test_an_empty_corpus_searches_nothing_and_a_package_given_twice_counts_once(tmp_path):
    from lcplan.corpus import search

    (tmp_path / "corpus.toml").write_text("[corpus]\npackages = []\n", encoding="utf-8")
    empty = run_lcplan("search", "council", "--corpus", str(tmp_path))
    assert empty.returncode == 2 and "empty" in empty.stderr and "London" not in empty.stdout
    with pytest.raises(ValueError, match="empty"):
        search("council", packages=[])
    shipped = REPO / "datasets" / "london-councils-plans"
    once = search("Freedom Pass", packages=[shipped], limit=None)
    twice = search("Freedom Pass", packages=(shipped, shipped / "datapackage.json"), limit=None)
    assert len(once) > 0 and list(twice["item_id"]) == list(once["item_id"])
    assert len(search("Freedom Pass", organisation="LONDON COUNCILS", limit=None)) == len(once)  # case-blind
