"""Counts per plan and kind, as the documents state or show them.

Each expected number is read off the plan texts (line numbers given), not off the build.
"""

from __future__ import annotations

import pytest

# (document, kind) -> how many statements of that kind the document prints
EXPECTED = {
    # 2017/18
    ("lc-bp-2017-18", "purpose_role"): 4,  # the four "•" bullets, lines 88-114
    ("lc-bp-2017-18", "theme"): 5,  # "1) Resourcing London" ... "5) Influencing ...", lines 117-199
    ("lc-bp-2017-18", "theme_commitment"): 15,  # three "−" bullets under each theme
    ("lc-bp-2017-18", "principle"): 5,  # "The way we work", lines 236-256
    ("lc-bp-2017-18", "organisational_commitment"): 5,  # "Organisational Implications", lines 264-285
    ("lc-bp-2017-18", "workplan_area"): 0,  # lines 287-291 list the appendices: a table of contents, furniture
    ("lc-bp-2017-18", "priority"): 24 + 16 + 14,  # numbered 1-24, 1-16 and 1-14 in the three appendices
    ("lc-bp-2017-18", "pledge"): 0,
    ("lc-bp-2017-18", "work_area"): 0,
    ("lc-bp-2017-18", "narrative"): 17,  # the prose paragraphs up to line 285 (the lead-in at 287 opens the list of appendices)
    # 2019/20
    ("lc-bp-2019-20", "purpose_role"): 4,  # voice, hub, brokering, provider: lines 26-29
    ("lc-bp-2019-20", "theme"): 5,  # "Key themes", lines 35-53
    ("lc-bp-2019-20", "theme_commitment"): 0,
    ("lc-bp-2019-20", "principle"): 6,  # lines 107-112
    ("lc-bp-2019-20", "organisational_commitment"): 6,  # lines 95-101
    ("lc-bp-2019-20", "workplan_area"): 14,  # lines 71-84, "Grants and Community Services" twice
    ("lc-bp-2019-20", "pledge"): 46 + 9,  # "46 key pledges" (lines 59, 145) and nine sub-bullets
    ("lc-bp-2019-20", "work_area"): 55,  # numbered 1-55, lines 253-390
    ("lc-bp-2019-20", "priority"): 0,
}


@pytest.mark.parametrize(("doc", "kind"), sorted(EXPECTED))
def test_count_per_plan_and_kind(items, doc, kind):
    got = int(((items["document_id"] == doc) & (items["kind"] == kind)).sum())
    assert got == EXPECTED[(doc, kind)]


def test_46_key_pledges_in_seven_areas(items):
    pledges = items[(items["kind"] == "pledge") & items["parent_item_id"].isna()]
    assert len(pledges) == 46  # "In this plan we list 46 key pledges" (line 145)
    assert pledges["section_id"].nunique() == 7  # "divided these into seven key areas" (line 145)
    per_area = pledges.groupby("section_id").size().to_dict()
    assert per_area == {
        "lc-bp-2019-20/appendix-one/housing": 4,
        "lc-bp-2019-20/appendix-one/crime-and-public-protection": 9,
        "lc-bp-2019-20/appendix-one/better-health-and-care": 5,
        "lc-bp-2019-20/appendix-one/supporting-business-and-inclusive-growth": 8,
        "lc-bp-2019-20/appendix-one/transport-and-environment": 10,
        "lc-bp-2019-20/appendix-one/funding-london": 6,
        "lc-bp-2019-20/appendix-one/new-ways-of-working": 4,
    }


def test_pledge_sub_bullets_hang_off_a_pledge(items):
    subs = items[(items["kind"] == "pledge") & items["parent_item_id"].notna()]
    parents = items.set_index("item_id").loc[subs["parent_item_id"]]
    assert (parents["kind"] == "pledge").all()
    assert subs["item_id"].tolist()[:3] == [
        "lc-bp-2019-20/pledge/housing/2.1",
        "lc-bp-2019-20/pledge/housing/2.2",
        "lc-bp-2019-20/pledge/housing/2.3",
    ]


@pytest.mark.parametrize(
    ("doc", "kind", "section_prefix", "last"),
    [
        ("lc-bp-2019-20", "work_area", "lc-bp-2019-20/appendix-two", 55),
        ("lc-bp-2017-18", "priority", "lc-bp-2017-18/policy-and-public-affairs", 24),
        ("lc-bp-2017-18", "priority", "lc-bp-2017-18/transport-and-mobility", 16),
        ("lc-bp-2017-18", "priority", "lc-bp-2017-18/services", 14),
    ],
)
def test_every_printed_number_present_once_in_order(items, doc, kind, section_prefix, last):
    rows = items[(items["kind"] == kind) & items["section_id"].str.startswith(section_prefix)]
    rows = rows.sort_values("position")
    assert rows["label"].astype(int).tolist() == list(range(1, last + 1))


def test_theme_names_as_printed(items):
    themes = items[items["kind"] == "theme"].sort_values("position")
    names_2019 = themes[themes["document_id"] == "lc-bp-2019-20"]["title"].tolist()
    assert names_2019 == [
        "Resourcing London",
        "Shaping London and its localities",
        "Reforming London's public services",
        "Supporting London to deliver",
        "Influencing and strengthening London local government's wider contribution",
    ]
    names_2017 = themes[themes["document_id"] == "lc-bp-2017-18"]["title"].tolist()
    assert names_2017[4] == "Influencing and strengthening London local government’s wider contribution"


def test_known_statements_have_exact_text(items):
    by_id = items.set_index("item_id")["text"]
    assert by_id["lc-bp-2019-20/work-area/17"] == (
        "Act to ensure every Londoner feels safe, supported by both front line policing "
        "and borough commitment to crime prevention."
    )
    assert by_id["lc-bp-2019-20/pledge/funding-london/2"].endswith(
        "where London contributes £32.5 billion in taxes after funding its own public services."
    )
    assert by_id["lc-bp-2017-18/priority/transport-and-mobility/16"] == (
        "Through LEPT, develop and submit the second stage bid proposal for the PTPCommute "
        "project proposal under the EU Horizon 2020 funding programme"
    )
    # markdown emphasis dropped, the bullet removed
    assert by_id["lc-bp-2019-20/purpose-role/2"].startswith("a hub for co-ordination")


def test_committee_furniture_is_not_an_item(items):
    text = " ".join(items["text"])
    for furniture in ("020 7934 9509", "Leaders' Committee is asked to note", "Claire Kober OBE",
                      "approved budgetary provision", "no direct equalities implications"):
        assert furniture not in text


def test_work_areas_48_and_49_recorded_where_the_text_puts_them(items):
    sections = items.set_index("item_id")["section_id"]
    for n in (45, 48, 49):
        assert sections[f"lc-bp-2019-20/work-area/{n}"] == "lc-bp-2019-20/appendix-two/grants-and-community-services"


def test_summary_says_what_the_pledge_count_includes():
    from conftest import run_lcplan

    out = run_lcplan("summary").stdout
    # "46 key pledges" (line 145) and the nine sub-bullets printed under them
    assert "pledge lc-bp-2019-20 (2019/20): 55 rows = 46 pledge statements + 9 sub-bullets under them" in out
