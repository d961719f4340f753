"""Claims: the extractor on text it has not seen, the curated table, and the evidence."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import lcplan
from lcplan.claims import extract_claims
from lcplan.registry import categories

from conftest import run_lcplan

# Sentences written for these tests, not taken from the plans:
# (text, [(quote, value, unit, qualifier, per, target_date, value_high), ...])
FINDS = [
    ("The scheme cost £3.2bn last year.", [("£3.2bn", 3.2e9, "GBP", "exactly", "", "", None)]),
    ("Boroughs spent £540k on it.", [("£540k", 540000, "GBP", "exactly", "", "", None)]),
    ("A grant of £12m for libraries.", [("£12m", 12e6, "GBP", "exactly", "", "", None)]),
    ("Around £1,250 per head.", [("Around £1,250", 1250, "GBP", "about", "head", "", None)]),
    ("We will build up to 3,000 homes by March 2024.", [("up to 3,000", 3000, "count", "up_to", "", "2024-03", None)]),
    ("Over 40 per cent of pupils.", [("Over 40 per cent", 0.40, "share", "at_least", "", "", None)]),
    ("Nearly 12.5% of households.", [("Nearly 12.5%", 0.125, "share", "up_to", "", "", None)]),
    ("Half of all rough sleepers.", [("Half", 0.5, "share", "exactly", "", "", None)]),
    ("Three quarters of the budget.", [("Three quarters", 0.75, "share", "exactly", "", "", None)]),
    ("A fifth of the workforce.", [("A fifth", 0.2, "share", "exactly", "", "", None)]),
    ("One in four children.", [("One in four", 0.25, "share", "exactly", "", "", None)]),
    ("½ million visits.", [("½ million", 500000, "count", "exactly", "", "", None)]),
    ("We run nine depots.", [("nine", 9, "count", "exactly", "", "", None)]),
    ("Twenty-one councils agreed.", [("Twenty-one", 21, "count", "exactly", "", "", None)]),
    ("Between 40,000 and 45,000 journeys.", [("Between 40,000 and 45,000", 40000, "count", "exactly", "", "", 45000)]),
    ("We fund 12 hubs and 40 libraries.", [("12", 12, "count", "exactly", "", "", None),
                                           ("40", 40, "count", "exactly", "", "", None)]),
    ("Funding for 5,000-6,000 places.", [("5,000-6,000", 5000, "count", "exactly", "", "", 6000)]),
    ("At least 10 parks in each borough by 2030.", [("At least 10", 10, "count", "at_least", "borough", "2030", None)]),
    ("Plant one hedge for every household.", [("one", 1, "count", "exactly", "household", "", None)]),
    ("A plan over the next three years.", [("three", 3, "years", "exactly", "", "", None)]),
    ("Costs of £2 billion a year.", [("£2 billion", 2e9, "GBP", "exactly", "year", "", None)]),
    ("Costs of £40 to £60 million.", [("£40 to £60 million", 40e6, "GBP", "exactly", "", "", 60e6)]),
    ("Some 5-10 million journeys.", [("Some 5-10 million", 5e6, "count", "about", "", "", 10e6)]),
    ("Between 3 and 4 million homes.", [("Between 3 and 4 million", 3e6, "count", "exactly", "", "", 4e6)]),
    ("About 1 in 3 children.", [("About 1 in 3", 0.3333, "share", "about", "", "", None)]),
]

# Numbers that are not claims
SILENT = [
    "Call us on 020 7934 9509 or 0207 123 4567.",
    "The 2019/20 budget and the 2014-20 programme, and 2017-2021 grants.",
    "Noted on 4 June 2019 and again in March 2020.",
    "Deals under section 106 and Part 2 of the Act.",
    "Item no: 19 of the agenda, Appendix Two.",
    "12. Deliver the programme.",
    "Ready for the 21st century.",
    "Fund HS2, CR2 and the A406.",
    "Provision for 16 to 19-year olds and 14-19 provision.",
    "The new 0 to 25 Special Educational Needs system.",
    "No one voice can speak for everyone.",
    "In 2022 we will review it.",
]


@pytest.mark.parametrize(("text", "expected"), FINDS, ids=[t for t, _ in FINDS])
def test_extractor_finds_quantities_in_new_text(text, expected):
    got = [(c.quote, c.value, c.unit, c.qualifier, c.per, c.target_date, c.value_high) for c in extract_claims(text)]
    assert got == [(q, pytest.approx(v), u, ql, p, t, None if h is None else pytest.approx(h))
                   for q, v, u, ql, p, t, h in expected]


@pytest.mark.parametrize("text", SILENT)
def test_extractor_ignores_what_is_not_a_claim(text):
    assert extract_claims(text) == []


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_extractor_never_raises_and_offsets_slice_the_quote(text):
    for c in extract_claims(text):
        assert text[c.char_start:c.char_end] == c.quote
        assert 0 <= c.char_start < c.char_end <= len(text)


NUMBERISH = st.lists(st.sampled_from(
    ["£", "€", "$", "%", " per cent", "bn", "m", "k", " million", "about ", "at least ", "up to ", "½", "¾",
     "two thirds", "one in ", "1", "23", "4.5", "6,000", "2019", "/20", "-", " to ", " and ", "seven", " per ",
     " borough", " by ", "March ", "2022", ".", ", ", "\n", "section ", "020 ", "year-olds", " "]),
    max_size=25).map("".join)


@settings(max_examples=500, deadline=None)
@given(NUMBERISH)
def test_extractor_on_number_soup(text):
    for c in extract_claims(text):
        assert text[c.char_start:c.char_end] == c.quote
        assert c.value == c.value and c.value >= 0  # a number, not NaN
        assert c.unit in UNITS_OF_SCHEMA  # e.g. "1km" from "1", "k", "m" is a length, and km is a unit


UNITS_OF_SCHEMA = {c["value"] for c in categories("claims", "unit")}


# The quantities the plans print, read off the texts (item, quote, value)
PLAN_CLAIMS = [
    ("lc-bp-2017-18/organisational-commitment/2", "five", 5),  # "over the next five years"
    ("lc-bp-2019-20/narrative/3", "32", 32),
    ("lc-bp-2019-20/narrative/4", "46", 46),
    ("lc-bp-2019-20/organisational-commitment/3", "four", 4),  # "over the next four years"
    ("lc-bp-2019-20/narrative/14", "32", 32),
    ("lc-bp-2019-20/narrative/15", "three", 3),
    ("lc-bp-2019-20/narrative/16", "46", 46),
    ("lc-bp-2019-20/narrative/16", "seven", 7),
    ("lc-bp-2019-20/pledge/supporting-business-and-inclusive-growth/7", "55,000", 55000),
    ("lc-bp-2019-20/pledge/transport-and-environment/2", "at least 2500", 2500),
    ("lc-bp-2019-20/pledge/transport-and-environment/2", "20", 20),
    ("lc-bp-2019-20/pledge/transport-and-environment/3", "one", 1),
    ("lc-bp-2019-20/pledge/funding-london/2", "£32.5 billion", 32_500_000_000),
    ("lc-bp-2019-20/pledge/funding-london/3", "34%", 0.34),
    ("lc-bp-2019-20/pledge/funding-london/3", "two thirds", 0.6667),
    ("lc-bp-2019-20/pledge/funding-london/3", "£54 million", 54_000_000),
    ("lc-bp-2019-20/work-area/4", "¾ million", 750_000),
    ("lc-bp-2019-20/narrative/28", "eleven", 11),
]


@pytest.fixture(scope="module")
def claims():
    return lcplan.load("claims")


def test_every_figure_of_both_plans_is_a_claim_with_its_value(claims):
    got = sorted((r.item_id, r.quote, r.value) for r in claims.itertuples())
    assert got == sorted((i, q, pytest.approx(v)) for i, q, v in PLAN_CLAIMS)


def test_extractor_finds_every_curated_claim_with_the_same_value(claims, items):
    text_of = items.set_index("item_id")["text"]
    for r in claims.itertuples():
        found = {(c.char_start, c.quote): c for c in extract_claims(text_of[r.item_id])}
        c = found[(r.char_start, r.quote)]
        assert c.value == pytest.approx(r.value) and c.unit == r.unit and c.qualifier == r.qualifier


def test_quotes_are_exact_substrings_at_their_offsets(claims, items):
    text_of = items.set_index("item_id")["text"]
    for r in claims.itertuples():
        assert text_of[r.item_id][r.char_start:r.char_end] == r.quote


def test_normalised_values_and_units(claims):
    by_quote = claims.set_index("quote")
    assert by_quote.loc["£32.5 billion", "unit"] == "GBP"
    assert by_quote.loc["34%", "unit"] == "share"
    assert by_quote.loc["at least 2500", "qualifier"] == "at_least"
    assert by_quote.loc["at least 2500", "target_date"] == "2022"
    assert by_quote.loc["20", "per"] == "borough"
    assert by_quote.loc["¾ million", "target_date"] == "2020-03"


def test_every_claim_has_evidence_or_an_honest_verdict(claims):
    evidence = lcplan.load("evidence")
    assert set(claims["claim_id"]) == set(evidence["claim_id"])
    found = evidence[evidence["verdict"].isin(["supports", "partly_supports", "contradicts"])]
    assert found["value"].notna().all() and found["publisher"].notna().all()
    not_found = evidence[evidence["verdict"] == "not_found"]
    assert not_found["method_note"].notna().all()


def test_derived_fiscal_figure_shows_its_arithmetic():
    """£3,698 per head x 8,787,892 people, the mid-2016 estimate as first published (shared/research/evidence.md) = the recorded value."""
    fb = lcplan.load("fiscal_balance").set_index(["reference_period", "series"])
    row = fb.loc[("2016/17", "ons_first_published")]
    assert row["value"] == 3698 * 8_787_892 == row["per_head"] * row["population"]
    assert "3,698" in row["method_note"] and "8,787,892" in row["method_note"]


def test_claims_command_csv_and_json(tmp_path):
    f = tmp_path / "plan.txt"
    f.write_text("Tel 020 7934 9509. We will plant 300 trees in each borough by 2025.\n", encoding="utf-8")
    out = run_lcplan("claims", str(f), "--format", "json")
    assert out.returncode == 0
    rows = json.loads(out.stdout)
    assert [(r["quote"], r["value"], r["per"], r["target_date"]) for r in rows] == [("300", 300, "borough", "2025")]
    csv_out = run_lcplan("claims", str(f))
    assert csv_out.stdout.splitlines()[0].startswith("quote,char_start,char_end,value,unit")
    assert run_lcplan("claims", str(tmp_path / "missing.txt")).returncode == 2


@pytest.mark.parametrize("quote, value, tolerance", [
    ("£32.5 billion", 32.5e9, 0.05e9),   # to the nearest £0.1bn
    ("34%", 0.34, 0.005),                # to the nearest point
    ("£54 million", 54e6, 0.5e6),
    ("55,000", 55000, 0.5),
    ("seven", 7, 0.5),                   # a whole number in words is exact
    ("¾ million", 750000, 3750),         # a glyph: half a percent
])
def test_printed_tolerance(quote, value, tolerance):
    from lcplan.claims import printed_tolerance

    assert printed_tolerance(quote, value) == pytest.approx(tolerance)
