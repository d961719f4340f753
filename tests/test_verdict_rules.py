"""The verdict rule against the figures, on claims written for it (ranges, one-sided
qualifiers, zero, non-finite values) and the rounding tolerance of a printed number."""

from __future__ import annotations

import pandas as pd
import pytest

from lcplan.validate.rules import RULES, Frames


def _rule(name):
    return next(r for r in RULES if r.name == name)


def _frames(quote, value, value_high, qualifier, found, verdict, period="2019/20", unit="count"):
    s = "string[pyarrow]"
    claims = pd.DataFrame({"claim_id": ["c/claim/1"], "quote": [quote], "value": [value], "value_high": [value_high],
                           "qualifier": [qualifier], "unit": [unit]}).astype(s)
    evidence = pd.DataFrame({"evidence_id": ["c/claim/1/evidence/1"], "claim_id": ["c/claim/1"], "value": [found],
                             "unit": ["count"], "verdict": [verdict], "reference_period": [period]}).astype(s)
    return Frames({"claims": claims, "evidence": evidence})


@pytest.mark.parametrize("quote, value, high, qualifier, found, verdict, keeps", [
    ("500", "500", None, "exactly", "500", "supports", True),
    ("500", "500", None, "exactly", "520", "supports", False),            # does not round to 500
    ("500", "500", None, "exactly", "520", "contradicts", False),         # within 10%: partly, not contradicts
    ("500", "500", None, "exactly", "600", "contradicts", True),
    ("20-25", "20", "25", "exactly", "23", "supports", True),             # inside a claimed range
    ("20-25", "20", "25", "exactly", "30", "supports", False),
    ("at least 500", "500", None, "at_least", "900", "supports", True),   # on the claimed side
    ("at least 500", "500", None, "at_least", "480", "contradicts", True),  # the wrong side of "at least"
    ("up to 500", "500", None, "up_to", "520", "contradicts", True),
    ("0%", "0", None, "exactly", "0.3", "supports", False),               # "0%": to the nearest point
    ("0%", "0", None, "exactly", "0.004", "supports", True),
    ("500", "1e400", None, "exactly", "1e400", "supports", True),         # not finite: not compared here
    ("500", "500", None, "exactly", "abc", "supports", True),             # not a number: its field reports it
])
def test_verdict_follows_figures(quote, value, high, qualifier, found, verdict, keeps):
    got = _rule("verdict_follows_figures").test(_frames(quote, value, high, qualifier, found, verdict))
    assert bool(got.iloc[0]) is keeps


def test_units_that_differ_are_not_compared():
    frames = _frames("£54 million", "54000000", None, "exactly", "2900", "supports", unit="GBP")
    assert bool(_rule("verdict_follows_figures").test(frames).iloc[0])


@pytest.mark.parametrize("period, keeps", [("2019/20", True), ("", False), (" ", False), (None, False)])
def test_a_figure_needs_a_reference_period(period, keeps):
    frames = _frames("500", "500", None, "exactly", "500", "supports", period=period)
    assert bool(_rule("figure_has_period").test(frames).iloc[0]) is keeps
