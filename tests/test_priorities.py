"""Topic coding, pledge links and the agenda measures."""

from __future__ import annotations

import math

import pytest

import lcplan
from lcplan import analysis

# The CAP master codebook's 21 major topics (comparativeagendas.net/pages/master-codebook)
CAP = {1: "Macroeconomics", 2: "Civil Rights", 3: "Health", 4: "Agriculture", 5: "Labor", 6: "Education",
       7: "Environment", 8: "Energy", 9: "Immigration", 10: "Transportation", 12: "Law and Crime",
       13: "Social Welfare", 14: "Housing", 15: "Domestic Commerce", 16: "Defense", 17: "Technology",
       18: "Foreign Trade", 19: "International Affairs", 20: "Government Operations", 21: "Public Lands",
       23: "Culture"}


def test_topics_are_the_cap_major_topics():
    topics = lcplan.load("topics")
    assert dict(zip(topics["topic_code"].astype(int), topics["topic"])) == CAP


@pytest.mark.parametrize(("kind", "n"), [("pledge", 55), ("work_area", 55), ("priority", 54), ("theme_commitment", 15)])
def test_every_listed_item_has_one_primary_topic(items, kind, n):
    codes = lcplan.load("item_topics")
    wanted = set(items[items["kind"] == kind]["item_id"])
    assert len(wanted) == n
    primaries = codes[codes["primary"]].groupby("item_id").size()
    assert all(primaries.get(i, 0) == 1 for i in wanted)


def test_pledge_links_join_pledges_to_work_areas_of_2019_20(items):
    links = lcplan.load("pledge_links")
    kind = items.set_index("item_id")["kind"]
    assert (links["pledge_item_id"].map(kind) == "pledge").all()
    assert (links["work_area_item_id"].map(kind) == "work_area").all()
    support = analysis.pledge_support()
    assert len(support) == 46
    # the one pledge Appendix Two gives no work area: devolving offender rehabilitation
    assert support.loc[~support["supported"], "item_id"].tolist() == ["lc-bp-2019-20/pledge/crime-and-public-protection/7"]


def test_agenda_measures_match_their_definition():
    codes = lcplan.load("item_topics")
    items = lcplan.load("items")
    numbered = items[items["kind"].isin(["priority", "work_area"])][["item_id", "document_id"]]
    primary = codes[codes["primary"]].merge(numbered, on="item_id")
    measures = analysis.agenda_measures().set_index("plan")
    for doc, year in (("lc-bp-2017-18", "2017/18"), ("lc-bp-2019-20", "2019/20")):
        counts = primary[primary["document_id"] == doc]["topic_code"].value_counts()
        shares = counts / counts.sum()
        assert measures.loc[year, "scope"] == len(counts)
        assert measures.loc[year, "entropy"] == pytest.approx(-sum(p * math.log(p) for p in shares), abs=1e-3)
        assert measures.loc[year, "items"] == (54 if doc == "lc-bp-2017-18" else 55)


def test_services_and_policy_add_up():
    sp = analysis.services_vs_policy().set_index(["plan", "work_type"])["items"]
    assert sp["2017/18"].sum() == 54 and sp["2019/20"].sum() == 55
    assert sp[("2017/18", "policy")] == 24  # Appendix One, Policy and Public Affairs: priorities 1-24


def test_tables_for_people_escape_html():
    """A statement may hold `<` or `</script>`: shown as text, never as markup."""
    import pandas as pd

    from lcplan import analysis

    html = analysis.show(pd.DataFrame({"text": ["fewer than <5% & </td></table><script>x=1</script>"]}),
                         "caption <b>").to_html()
    assert "<script>x=1" not in html and "&lt;script&gt;" in html and "caption &lt;b&gt;" in html
