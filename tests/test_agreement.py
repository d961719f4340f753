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
    assert 19 in set(esf)


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
