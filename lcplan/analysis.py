"""Analysis helpers behind the notebooks: each returns a DataFrame ready to show or chart.
Notebooks narrate and plot; the logic lives here. Imports pandas only.
"""

from __future__ import annotations

import pandas as pd

from lcplan.loaders import load, plan_items

__all__ = ["claims_table", "claims_with_evidence", "fiscal_context", "closest_release"]

VERDICT_RANK = {"supports": 0, "partly_supports": 1, "contradicts": 2, "not_found": 3, "not_checkable": 4}
SERIES_LABELS = {"ons_first_published": "ONS, as first published", "ons_revised": "ONS, revised",
                 "cebr": "City of London Corporation / Cebr"}


def claims_table() -> pd.DataFrame:
    """Every claim with its plan year and the statement it comes from."""
    claims = load("claims")
    items = plan_items().set_index("item_id")
    return claims.assign(
        plan_year=claims["item_id"].map(items["plan_year"]).astype("string"),
        kind=claims["item_id"].map(items["kind"].astype("string")).astype("string"),
        statement=claims["item_id"].map(items["text"]).astype("string"),
    )[["claim_id", "plan_year", "kind", "quote", "value", "value_high", "unit", "qualifier", "claim_type",
       "subject", "per", "target_date", "statement"]]


def claims_with_evidence() -> pd.DataFrame:
    """One row per claim: its best verdict, the number of sources, and the main figure found.

    ``ratio`` is the figure found divided by the claim's value where both share a unit.
    """
    claims = claims_table()
    ev = load("evidence").assign(rank=lambda d: d["verdict"].astype("string").map(VERDICT_RANK))
    best = ev.sort_values(["claim_id", "rank", "evidence_id"]).groupby("claim_id", as_index=False).first()
    out = claims.merge(best[["claim_id", "verdict", "value", "unit", "reference_period", "publisher", "method_note"]],
                       on="claim_id", how="left", suffixes=("", "_found"))
    out = out.merge(ev.groupby("claim_id").size().rename("sources").reset_index(), on="claim_id", how="left")
    same_unit = out["unit"].astype("string") == out["unit_found"].astype("string")
    out["ratio"] = (out["value_found"] / out["value"]).where(same_unit)
    where = out["claim_id"].str.extract(r"^[^/]+/([^/]+)/(?:[^/]+/)?([0-9.]+)/claim")
    out["label"] = (out["quote"] + " — " + out["subject"] + " (" + out["plan_year"] + ", "
                    + where[0].str.replace("-", " ") + " " + where[1] + ")").astype("string")
    out["verdict"] = pd.Categorical(out["verdict"].astype("string"), categories=list(VERDICT_RANK))
    return out.sort_values(["verdict", "plan_year", "claim_id"]).reset_index(drop=True)


def fiscal_context() -> pd.DataFrame:
    """London's net fiscal balance by year and series, in £bn, with readable series names."""
    fb = load("fiscal_balance")
    return fb.assign(
        value_bn=fb["value"] / 1e9,
        series_label=fb["series"].astype("string").map(SERIES_LABELS).astype("string"),
    ).sort_values(["series", "reference_period"]).reset_index(drop=True)


def closest_release(value: float, series: str = "ons_first_published") -> pd.Series:
    """The year of ``series`` whose published total is nearest ``value``: the figure a plan most likely used."""
    fb = fiscal_context()
    fb = fb[(fb["series"] == series) & fb["value"].notna()]
    return fb.loc[(fb["value"] - value).abs().idxmin()]
