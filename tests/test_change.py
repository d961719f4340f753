"""Year on year: the curated crosswalk, the matcher's quality floor, `lcplan match`, diffs."""

from __future__ import annotations

import pytest

import lcplan
from lcplan import analysis
from lcplan.matching import MatchSettings, draft_crosswalk, evaluate, match_items

from conftest import run_lcplan


@pytest.fixture(scope="module")
def crosswalk():
    return lcplan.load("crosswalk")


@pytest.mark.parametrize(("doc", "kind", "n"), [
    ("lc-bp-2017-18", "priority", 54), ("lc-bp-2019-20", "work_area", 55),
    ("lc-bp-2017-18", "theme", 5), ("lc-bp-2019-20", "theme", 5),
    ("lc-bp-2017-18", "principle", 5), ("lc-bp-2019-20", "principle", 6),
])
def test_crosswalk_covers_every_item_it_must(crosswalk, items, doc, kind, n):
    wanted = set(items[(items["document_id"] == doc) & (items["kind"] == kind)]["item_id"])
    assert len(wanted) == n  # as printed in the plans
    covered = set(crosswalk["from_item_id"].dropna()) | set(crosswalk["to_item_id"].dropna())
    assert wanted <= covered


def test_relations_fit_their_sides(crosswalk):
    dropped = crosswalk["relation"] == "dropped"
    new = crosswalk["relation"] == "new"
    assert crosswalk.loc[dropped, "to_item_id"].isna().all() and crosswalk.loc[dropped, "from_item_id"].notna().all()
    assert crosswalk.loc[new, "from_item_id"].isna().all() and crosswalk.loc[new, "to_item_id"].notna().all()
    linked = ~(dropped | new)
    assert crosswalk.loc[linked, ["from_item_id", "to_item_id"]].notna().all().all()
    assert crosswalk["from_item_id"].dropna().str.startswith("lc-bp-2017-18/").all()
    assert crosswalk["to_item_id"].dropna().str.startswith("lc-bp-2019-20/").all()


def test_what_the_plans_show_is_in_the_crosswalk(crosswalk):
    pairs = set(zip(crosswalk["from_item_id"].fillna(""), crosswalk["to_item_id"].fillna(""), crosswalk["relation"]))
    # identical statements (2017/18 priority 15 and 2019/20 work area 20 differ only in tense)
    assert ("lc-bp-2017-18/priority/policy-and-public-affairs/15", "lc-bp-2019-20/work-area/20", "same") in pairs
    # LOTI appears only in 2019/20
    assert ("", "lc-bp-2019-20/work-area/42", "new") in pairs
    # the 2019/20 principle on campaigning has no 2017/18 counterpart
    assert ("", "lc-bp-2019-20/principle/4", "new") in pairs


def test_matcher_quality_floor(crosswalk):
    draft = draft_crosswalk("lc-bp-2017-18", "lc-bp-2019-20", groups=[("priority", "work_area"), ("theme",), ("principle",)])
    strict = evaluate(draft, crosswalk)
    loose = evaluate(draft, crosswalk, ("same", "revised", "related"))
    assert strict["f1"] >= 0.80 and strict["precision"] >= 0.90
    assert loose["f1"] >= 0.70


def test_match_items_on_new_text():
    import pandas as pd

    old = pd.DataFrame({"item_id": ["a/x/1", "a/x/2", "a/x/3"], "text": [
        "Review the parking code of practice", "Negotiate the annual bus pass settlement with operators",
        "Plant street trees in every ward"]})
    new = pd.DataFrame({"item_id": ["b/x/1", "b/x/2"], "text": [
        "Negotiating the annual bus pass settlements with transport operators", "Publish a cycling strategy"]})
    links = match_items(old, new, MatchSettings())
    assert list(zip(links["from_item_id"], links["to_item_id"])) == [("a/x/2", "b/x/1")]


def test_lcplan_match_drafts_for_any_two_documents(tmp_path):
    out = tmp_path / "draft.csv"
    result = run_lcplan("match", "lc-bp-2019-20", "lc-bp-2017-18", "--out", str(out))
    assert result.returncode == 0, result.stderr
    import pandas as pd

    draft = pd.read_csv(out)
    assert set(draft["relation"]) <= {"same", "revised", "related", "new", "dropped"}
    assert draft["from_item_id"].dropna().str.startswith("lc-bp-2019-20/").all()
    assert run_lcplan("match", "lc-bp-2017-18", "nope").returncode == 2
    # both texts and the score beside the IDs, for review
    linked = draft.dropna(subset=["from_item_id", "to_item_id"])
    assert len(linked) and linked["from_text"].notna().all() and linked["to_text"].notna().all()
    assert linked["score"].between(0, 1).all()


def test_lcplan_match_compares_the_kinds_the_crosswalk_links_or_those_asked(tmp_path):
    import pandas as pd

    from lcplan.matching import default_groups

    # the curated crosswalk links priorities with work areas, themes with themes, principles with principles
    assert default_groups() == [("principle",), ("priority", "work_area"), ("theme",)]
    out = tmp_path / "themes.csv"
    assert run_lcplan("match", "lc-bp-2017-18", "lc-bp-2019-20", "--kinds", "theme", "--out", str(out)).returncode == 0
    kinds = pd.read_csv(out)["from_item_id"].dropna().str.split("/").str[1]
    assert set(kinds) == {"theme"} and len(kinds) >= 5  # five themes in each plan
    bad = run_lcplan("match", "lc-bp-2017-18", "lc-bp-2019-20", "--kinds", "wish")
    assert bad.returncode == 2 and "no items of kind" in bad.stderr


def test_word_diff_marks_removed_and_added_words():
    assert analysis.diff_markup("Delivering fair levels of funding", "Deliver fair levels of funding") == (
        "[-Delivering-] {+Deliver+} fair levels of funding")


def test_change_counts_count_each_work_area_once(crosswalk):
    counts = analysis.change_counts("to_portfolio")
    assert counts.to_numpy().sum() == 55
    assert analysis.change_counts("from_area").to_numpy().sum() == 54
