"""Two readers and their adjudication: kappa on hand-computed cases, the build refusing an
undecided or stale disagreement, and the review findings applied in the shipped tables."""

from __future__ import annotations

import shutil

import pytest

import lcplan
from conftest import REPO, run_lcplan
from lcplan.agreement import cohen_kappa


def test_kappa_by_hand():
    # po = 3/4; first reader 1,1,2,2 and second 1,2,2,2: pe = (2*1 + 2*3) / 16 = 1/2; kappa = (3/4 - 1/2) / (1/2)
    assert cohen_kappa([1, 1, 2, 2], [1, 2, 2, 2]) == pytest.approx(0.5)
    assert cohen_kappa(["a", "b"], ["a", "b"]) == 1.0
    assert cohen_kappa([True, False, True, False], [False, True, False, True]) == pytest.approx(-1.0)


def _package(tmp_path):
    dest = tmp_path / "pkg"
    shutil.copytree(REPO / "datasets" / "london-councils-plans", dest)
    return dest


def test_a_disagreement_without_a_decision_stops_the_build(tmp_path):
    pkg = _package(tmp_path)
    log = pkg / "reviewed" / "pledge_links.adjudication.csv"
    lines = log.read_text(encoding="utf-8").splitlines(keepends=True)
    log.write_text("".join(lines[:-1]), encoding="utf-8")  # forget the last decision
    result = run_lcplan("build", "--package", str(pkg))
    assert result.returncode == 2 and "have no decision" in result.stderr and "Traceback" not in result.stderr


def test_a_stale_decision_stops_the_build(tmp_path):
    pkg = _package(tmp_path)
    second = pkg / "reviewed" / "item_topics.second.csv"
    text = second.read_text(encoding="utf-8")
    # the second reader's primary for an item whose disagreement was decided changes: decide again
    second.write_text(text.replace("lc-bp-2017-18/priority/policy-and-public-affairs/12,13,true",
                                   "lc-bp-2017-18/priority/policy-and-public-affairs/12,6,true"), encoding="utf-8")
    result = run_lcplan("build", "--package", str(pkg))
    assert result.returncode == 2 and "decide again" in result.stderr


def test_the_review_findings_are_in_the_tables():
    cw = lcplan.load("crosswalk")
    pairs = set(zip(cw["from_item_id"].fillna(""), cw["to_item_id"].fillna(""), cw["relation"].astype(str)))
    assert ("lc-bp-2017-18/priority/transport-and-mobility/10", "lc-bp-2019-20/work-area/2", "related") in pairs
    assert ("lc-bp-2017-18/priority/policy-and-public-affairs/6", "lc-bp-2019-20/work-area/43", "related") in pairs
    assert ("", "lc-bp-2019-20/work-area/43", "new") not in pairs
    assert ("lc-bp-2017-18/priority/policy-and-public-affairs/14", "lc-bp-2019-20/work-area/25", "related") in pairs
    links = lcplan.load("pledge_links")
    linked = set(zip(links["pledge_item_id"], links["work_area_item_id"]))
    assert ("lc-bp-2019-20/pledge/transport-and-environment/3", "lc-bp-2019-20/work-area/23") in linked  # trees
    codes = lcplan.load("item_topics")
    primary = codes[codes["primary"]].set_index("item_id")["topic_code"]
    assert primary["lc-bp-2019-20/work-area/55"] == 20  # public employees: Government Operations
    assert 17 not in set(codes["topic_code"])  # Technology coded nowhere: it was the instrument
    esf = codes[codes["item_id"] == "lc-bp-2017-18/priority/services/7"]["topic_code"]
    assert {19, 5} <= set(esf)  # EU funding; and the employment support it names (an independent reading)
    # decided again after the blind reading: a narrowed aim is related; the Taxicard portal strand carries on
    assert ("lc-bp-2017-18/priority/policy-and-public-affairs/18", "lc-bp-2019-20/work-area/37", "related") in pairs
    assert ("lc-bp-2017-18/priority/transport-and-mobility/5", "lc-bp-2019-20/work-area/6", "related") in pairs
    assert ("lc-bp-2017-18/priority/transport-and-mobility/5", "", "dropped") not in pairs


def test_a_derived_fiscal_total_says_so_and_cites_its_population():
    fb = lcplan.load("fiscal_balance")
    derived = fb[fb["population"].notna()]
    assert len(derived) >= 1 and (derived["value_basis"] == "derived").all()
    assert derived["population_source"].str.contains("Population estimates").all()
    published = fb[fb["value"].notna() & fb["population"].isna()]
    assert (published["value_basis"] == "published").all()
    ev = lcplan.load("evidence").set_index("evidence_id")
    fiscal = ev.loc["lc-bp-2019-20/pledge/funding-london/2/claim/1/evidence/1", "method_note"]
    assert "8,787,892" in fiscal and "Population estimates" in fiscal and "22 June 2017" in fiscal


def test_an_undecided_verdict_disagreement_stops_the_build(tmp_path):
    pkg = _package(tmp_path)
    (pkg / "reviewed" / "evidence.adjudication.csv").write_text("evidence_id,first,second,decided,note\n",
                                                                 encoding="utf-8")
    result = run_lcplan("build", "--package", str(pkg))
    assert result.returncode == 2 and "no row decides it" in result.stderr and "Traceback" not in result.stderr


def test_a_verdict_decided_otherwise_than_the_data_stops_the_build(tmp_path):
    pkg = _package(tmp_path)
    log = pkg / "reviewed" / "evidence.adjudication.csv"
    text = log.read_text(encoding="utf-8")
    log.write_text(text.replace(",not_found,not_checkable,not_found,", ",not_found,not_checkable,not_checkable,"),
                   encoding="utf-8")
    result = run_lcplan("build", "--package", str(pkg))
    assert result.returncode == 2 and "change the verdict in research.toml" in result.stderr


def test_the_evidence_findings_are_in_the_tables():
    """Issue 14's evidence findings, each by the written rules."""
    ev = lcplan.load("evidence").set_index("evidence_id")
    claims = lcplan.load("claims").set_index("claim_id")
    by_quote = {}  # (item, quote) -> the claim's first evidence row
    for e, c in ev["claim_id"].items():
        by_quote.setdefault((claims.loc[c, "item_id"], claims.loc[c, "quote"]), e)
    boroughs = ev.loc[by_quote[("lc-bp-2019-20/narrative/3", "32")]]
    assert boroughs["verdict"] == "supports" and "London Government Act 1963" in boroughs["title"]
    assert ev.loc[by_quote[("lc-bp-2019-20/pledge/transport-and-environment/2", "at least 2500")], "verdict"] \
        == "partly_supports"
    assert ev.loc[by_quote[("lc-bp-2019-20/narrative/15", "three")], "verdict"] == "supports"
    assert ev.loc[by_quote[("lc-bp-2019-20/pledge/funding-london/2", "£32.5 billion")], "value"] == 3698 * 8_787_892
    homeless = ev.loc[by_quote[("lc-bp-2019-20/pledge/funding-london/3", "two thirds")]]
    assert "September 2017" in homeless["reference_period"] and "2017" in homeless["title"]
    assert "october-to-december-2018" not in homeless["url"]  # the address is the release the period comes from


def test_the_shipped_tables_against_each_reading(tmp_path):
    """against_shipped on tables written for the test: a blind reading that differs from the shipped
    table on one item of three, and on one crosswalk pair of two."""
    from lcplan.agreement import against_shipped

    reviewed = tmp_path / "reviewed"
    reviewed.mkdir()
    (reviewed / "item_topics.blind.csv").write_text(
        "item_id,topic_code,primary\nd/1,14,true\nd/2,7,true\nd/2,8,false\nd/3,10,true\n", encoding="utf-8")
    (reviewed / "crosswalk.blind.csv").write_text(
        "from_item_id,to_item_id,relation,note\na/1,b/1,same,\na/2,b/2,related,\n", encoding="utf-8")
    tables = {"item_topics": [{"item_id": "d/1", "topic_code": "14", "primary": "true"},
                              {"item_id": "d/2", "topic_code": "7", "primary": "true"},
                              {"item_id": "d/3", "topic_code": "3", "primary": "true"},
                              {"item_id": "d/9", "topic_code": "1", "primary": "true"}],  # not in the reading
              "crosswalk": [{"from_item_id": "a/1", "to_item_id": "b/1", "relation": "same"},
                            {"from_item_id": "a/2", "to_item_id": "b/2", "relation": "revised"}]}
    got = {s["measure"]: s for s in against_shipped(reviewed, tables)}
    topics = got["topics: primary topic, against the blind reading"]
    assert (topics["units"], topics["agree"]) == (3, 2)
    assert topics["identical_sets"].startswith("1 of 3")  # d/2 has 8 in the reading only; d/3 differs
    pairs = got["crosswalk: relation of each linked pair, against the blind reading"]
    assert (pairs["units"], pairs["agree"]) == (2, 1)
    assert not any("first reading" in m for m in got)  # the tables' own files are not there


def test_the_blind_readings_in_the_package_are_the_readers_files():
    """reviewed/<table>.blind.csv holds reader C's reading as committed in benchmarks/gold/, row for row."""
    import csv

    gold = REPO / "benchmarks" / "gold"
    reviewed = REPO / "datasets" / "london-councils-plans" / "reviewed"
    read = lambda p: list(csv.DictReader(open(p, encoding="utf-8", newline="")))  # noqa: E731
    for folder, table in (("crosswalk-shipped", "crosswalk"), ("pledge-links-shipped", "pledge_links"),
                          ("evidence-shipped", "evidence")):
        assert read(reviewed / f"{table}.blind.csv") == read(gold / folder / "reader-c.csv"), table
    codes = {(r["item_id"], r["topic_code"], r["primary"]) for r in read(reviewed / "item_topics.blind.csv")}
    want = set()
    for r in read(gold / "topics-shipped" / "reader-c.csv"):
        want |= {(r["item_id"], r["primary"], "true")} | {(r["item_id"], c, "false") for c in r["secondary"].split(";") if c}
    assert codes == want
