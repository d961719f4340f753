"""Analysis helpers behind the notebooks: each returns a DataFrame ready to show or chart.
Notebooks narrate and plot; the logic lives here. Imports pandas only.
"""

from __future__ import annotations

import pandas as pd

from lcplan.loaders import load, plan_items
from lcplan.registry import CODED_KINDS

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


# ----------------------------------------------------------------------------- year on year

OLD, NEW = "lc-bp-2017-18", "lc-bp-2019-20"
RELATIONS = ["same", "revised", "related", "new", "dropped"]


def crosswalk_items() -> pd.DataFrame:
    """The crosswalk with both sides' text, kind and sections.

    ``from_area`` is the 2017/18 heading a priority sits under (e.g. "Housing and Planning"),
    ``to_portfolio`` the 2019/20 portfolio of a work area (e.g. "Crime and Public Protection").
    """
    cw = load("crosswalk")
    pi = plan_items().set_index("item_id")
    area = pi["subsection"].fillna(pi["section_title"])
    out = cw.assign(
        kind=cw["from_item_id"].fillna(cw["to_item_id"]).map(pi["kind"].astype("string")).astype("string"),
        from_text=cw["from_item_id"].map(pi["text"]).astype("string"),
        to_text=cw["to_item_id"].map(pi["text"]).astype("string"),
        from_area=cw["from_item_id"].map(area).astype("string"),
        to_portfolio=cw["to_item_id"].map(area).astype("string"),
        from_appendix=cw["from_item_id"].map(pi["top_section"]).astype("string"),
    )
    out["relation"] = pd.Categorical(out["relation"].astype("string"), categories=RELATIONS)
    return out


def change_counts(by: str = "to_portfolio") -> pd.DataFrame:
    """Kept, revised, related, new and dropped per portfolio (2019/20) or area (2017/18).

    ``by``: ``"to_portfolio"`` counts each 2019/20 work area once, by its best relation;
    ``"from_area"`` counts each 2017/18 priority once.
    """
    cw = crosswalk_items()
    cw = cw[cw["kind"].isin(["priority", "work_area"])]
    side = "to_item_id" if by == "to_portfolio" else "from_item_id"
    best = cw.dropna(subset=[side]).sort_values("relation").groupby(side, observed=True).first()
    table = pd.crosstab(best[by], best["relation"]).reindex(columns=RELATIONS, fill_value=0)
    return table.loc[:, (table != 0).any()]


def word_diff(old: str, new: str) -> pd.DataFrame:
    """A word-level diff of two statements: one row per run of words, ``op`` equal/delete/insert."""
    import difflib

    a, b = old.split(), new.split()
    rows = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op in ("equal", "delete", "replace"):
            rows.append(("equal" if op == "equal" else "delete", " ".join(a[i1:i2])))
        if op in ("insert", "replace"):
            rows.append(("insert", " ".join(b[j1:j2])))
    return pd.DataFrame(rows, columns=["op", "words"])


def diff_markup(old: str, new: str) -> str:
    """The diff as text: ``[-removed-]`` and ``{+added+}`` around changed words."""
    parts = {"equal": "{}", "delete": "[-{}-]", "insert": "{{+{}+}}"}
    return " ".join(parts[r.op].format(r.words) for r in word_diff(old, new).itertuples())


def revised_diffs() -> pd.DataFrame:
    """Every same or revised pair of the crosswalk with its word diff and share of words kept."""
    import difflib

    cw = crosswalk_items()
    pairs = cw[cw["relation"].isin(["same", "revised"])].copy()
    pairs["diff"] = [diff_markup(a, b) for a, b in zip(pairs["from_text"], pairs["to_text"])]
    pairs["similarity"] = [round(difflib.SequenceMatcher(a=a.split(), b=b.split()).ratio(), 2)
                           for a, b in zip(pairs["from_text"], pairs["to_text"])]
    return pairs[["from_item_id", "to_item_id", "kind", "relation", "similarity", "diff", "note"]].reset_index(drop=True)


def continuity(kind: str) -> pd.DataFrame:
    """Themes or principles of both plans side by side, by crosswalk link."""
    cw = crosswalk_items()
    pi = plan_items().set_index("item_id")
    rows = cw[cw["kind"] == kind].copy()
    if kind == "theme":
        rows["from_title"] = rows["from_item_id"].map(pi["title"])
        rows["to_title"] = rows["to_item_id"].map(pi["title"])
    return rows.drop(columns=["from_area", "to_portfolio", "from_appendix"]).reset_index(drop=True)


def structure_flow() -> pd.DataFrame:
    """How the 2017/18 directorate areas map onto the 2019/20 portfolios: links per pair."""
    cw = crosswalk_items()
    links = cw[cw["kind"].isin(["priority", "work_area"]) & cw["from_item_id"].notna() & cw["to_item_id"].notna()]
    flow = links.groupby(["from_appendix", "from_area", "to_portfolio"], observed=True).size()
    return flow.rename("links").reset_index()


def structure() -> pd.DataFrame:
    """The two plans' outlines: how many sections, items and numbered statements each has."""
    pi = plan_items()
    sections = load("sections")
    rows = []
    for doc, year in ((OLD, "2017/18"), (NEW, "2019/20")):
        items = pi[pi["document_id"] == doc]
        numbered = items[items["kind"].isin(["priority", "work_area"])]
        rows.append({
            "plan_year": year,
            "arranged_by": "directorate (three appendices)" if doc == OLD else "portfolio (Appendix Two)",
            "top_sections": int(((sections["document_id"] == doc) & (sections["level"] == 1)).sum()),
            "areas": numbered["subsection"].nunique(),
            "numbered_statements": len(numbered),
            "pledges": int((items["kind"] == "pledge").sum()),
        })
    return pd.DataFrame(rows)


def horizons() -> pd.DataFrame:
    """Stated horizons and dated commitments of each plan, from the claims table."""
    claims = claims_table()
    dated = claims[(claims["unit"] == "years") | claims["target_date"].notna()]
    return dated[["plan_year", "quote", "value", "unit", "target_date", "subject", "statement"]].reset_index(drop=True)


# ----------------------------------------------------------------------------- priorities

def coded_items(kinds: tuple[str, ...] = CODED_KINDS) -> pd.DataFrame:
    """Coded items with their primary topic name, plan year and area (portfolio or 2017/18 area)."""
    pi = plan_items()
    pi = pi[pi["kind"].isin(kinds)]
    codes = load("item_topics")
    topics = load("topics").set_index("topic_code")["topic"]
    primary = codes[codes["primary"]].set_index("item_id")["topic_code"]
    out = pi.assign(topic_code=pi["item_id"].map(primary).astype("Int64"))
    out["topic"] = out["topic_code"].map(topics).astype("string")
    out["area"] = out["subsection"].fillna(out["section_title"]).astype("string")
    out["work_type"] = out["section_path"].str.contains("Policy and Public Affairs").map(
        {True: "policy", False: "services"}).astype("string")
    return out


def topic_attention(kinds: tuple[str, ...] = ("priority", "work_area")) -> pd.DataFrame:
    """Items per primary CAP topic and plan, as counts and shares of the plan's items."""
    items = coded_items(kinds)
    counts = items.groupby(["plan_year", "topic"], observed=True).size().rename("items").reset_index()
    counts["share"] = counts["items"] / counts.groupby("plan_year")["items"].transform("sum")
    return counts.sort_values(["plan_year", "items"], ascending=[True, False]).reset_index(drop=True)


def agenda_measures(kinds: tuple[str, ...] = ("priority", "work_area")) -> pd.DataFrame:
    """Agenda-setting measures per plan: scope (topics with any attention) and Shannon entropy.

    ``entropy`` is H = -sum(p log p) over primary-topic shares (natural log); ``entropy_norm``
    divides by log 21 (all CAP major topics), so 1 is attention spread evenly over all of them.
    """
    import math

    rows = []
    for year, g in topic_attention(kinds).groupby("plan_year"):
        p = g["share"].to_numpy()
        h = float(-(p * pd.Series(p).map(math.log).to_numpy()).sum())
        rows.append({"plan_year": year, "items": int(g["items"].sum()), "scope": int(len(g)),
                     "entropy": round(h, 3), "entropy_norm": round(h / math.log(21), 3),
                     "top_topic": g.iloc[0]["topic"], "top_share": round(float(g.iloc[0]["share"]), 3)})
    return pd.DataFrame(rows)


def area_attention() -> pd.DataFrame:
    """Numbered statements per area: 2017/18 priority areas and 2019/20 portfolios."""
    items = coded_items(("priority", "work_area"))
    return items.groupby(["plan_year", "area"], observed=True).size().rename("items").reset_index()


def services_vs_policy() -> pd.DataFrame:
    """Numbered statements of policy work (Policy and Public Affairs) and of services, per plan."""
    items = coded_items(("priority", "work_area"))
    out = items.groupby(["plan_year", "work_type"], observed=True).size().rename("items").reset_index()
    out["share"] = out["items"] / out.groupby("plan_year")["items"].transform("sum")
    return out


def pledge_support() -> pd.DataFrame:
    """Each 2019/20 pledge (top level) with the number of work areas that deliver it."""
    pi = plan_items()
    pledges = pi[(pi["kind"] == "pledge") & pi["parent_item_id"].isna()]
    links = load("pledge_links")
    # a pledge is delivered by work areas linked to it or to its sub-bullets
    parent = pi.set_index("item_id")["parent_item_id"]
    top = links["pledge_item_id"].map(lambda i: parent.get(i) if pd.notna(parent.get(i)) else i)
    per = links.assign(pledge=top).groupby("pledge")["work_area_item_id"].nunique()
    out = pledges[["item_id", "subsection", "text"]].rename(columns={"subsection": "pledge_area"})
    out = out.assign(work_areas=out["item_id"].map(per).fillna(0).astype(int))
    out["supported"] = out["work_areas"] > 0
    return out.reset_index(drop=True)


def pledge_areas() -> pd.DataFrame:
    """The seven pledge areas side by side: pledges, sub-bullets, supported pledges, main topic."""
    support = pledge_support()
    items = coded_items(("pledge",))
    rows = []
    for area, g in items.groupby("subsection", sort=False):
        top = g[g["parent_item_id"].isna()]
        s = support[support["pledge_area"] == area]
        rows.append({"pledge_area": area, "pledges": len(top), "sub_bullets": len(g) - len(top),
                     "supported": int(s["supported"].sum()), "work_areas": int(s["work_areas"].sum()),
                     "main_topic": g["topic"].value_counts().index[0]})
    return pd.DataFrame(rows)
