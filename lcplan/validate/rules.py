"""Stage 5, the rules of the curated tables, one definition each, used by ``lcplan validate``
and so by ``lcplan build`` (which validates what it is about to write). The registry here
also holds the structural rules of :mod:`lcplan.validate.integrity`.

A rule is one :class:`Rule`: its name (the ``check`` of a report), the table and field it
reports on, its message and hint, the tables it needs, and a function that takes the
package's frames (text as read from the CSV files, missing values NA) and returns a boolean
Series over the rule's table: True where the row keeps the rule. A row whose values are
missing or of the wrong type passes here; the field's own checks report it.

Vocabularies (kinds and their roles, which kinds are coded or linked, which verdicts need a
source) come from the categories of ``schemas/``.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from lcplan.registry import categories, coded_kinds, crosswalk_kinds, kind_roles
from lcplan.validate.rule import RULES, Frames, Rule, rule

__all__ = ["Frames", "Rule", "RULES", "rule", "rules_for"]


def rules_for(frames: Frames) -> list[Rule]:
    """The rules whose tables (and sources, where a rule reads them) are all present."""
    from lcplan.validate.integrity import foreign_key_rules  # registers the structural rules too

    have = set(frames) | ({"sources"} if frames.sources else set())
    return [r for r in [*foreign_key_rules(), *RULES] if all(t in have for t in r.needs)]


# ----------------------------------------------------------------------------- helpers


def _map(keys: pd.Series, frame: pd.DataFrame, key: str, value: str) -> pd.Series:
    """``frame[value]`` of the row whose ``frame[key]`` equals each key (NA where none)."""
    lookup = frame.dropna(subset=[key]).drop_duplicates(key).set_index(key)[value]
    return keys.map(lookup)


def _doc(ids: pd.Series, frames: Frames) -> pd.Series:
    return _map(ids, frames["items"], "item_id", "document_id")


def _known(*series: pd.Series) -> pd.Series:
    out = series[0].notna()
    for s in series[1:]:
        out &= s.notna()
    return out


def _int(series: pd.Series) -> pd.Series:
    return pd.to_numeric(series.where(series.astype("string").str.fullmatch(r"-?[0-9]{1,15}").fillna(False)),
                         errors="coerce")


def _true(series: pd.Series) -> pd.Series:
    from lcplan.registry import schema

    return series.isin(schema("item_topics").field("primary").true_values)


# ----------------------------------------------------------------------------- crosswalk


@rule("relation_fits_sides", "crosswalk", "relation",
      "the relation does not fit the empty sides: 'dropped' has no later item, 'new' no earlier item, "
      "every other relation both",
      "Fill in both items, or use 'dropped' (no to_item_id) or 'new' (no from_item_id).")
def _relation_fits_sides(f: Frames) -> pd.Series:
    cw = f["crosswalk"]
    has_from, has_to, rel = cw["from_item_id"].notna(), cw["to_item_id"].notna(), cw["relation"]
    ok = (has_from | has_to) & ((rel == "dropped") == ~has_to) & ((rel == "new") == ~has_from)
    return ok.fillna(True) | rel.isna()


@rule("sides_in_different_documents", "crosswalk", "to_item_id",
      "both items are in the same document; a crosswalk links two plans",
      "Name an item of the earlier plan in from_item_id and one of the later plan in to_item_id.", ("items",))
def _different_documents(f: Frames) -> pd.Series:
    a, b = _doc(f["crosswalk"]["from_item_id"], f), _doc(f["crosswalk"]["to_item_id"], f)
    return ~_known(a, b) | (a != b)


@rule("sides_same_organisation", "crosswalk", "to_item_id",
      "the two items belong to plans of different organisations",
      "A crosswalk links plans of one organisation from year to year.", ("items", "documents"))
def _same_organisation(f: Frames) -> pd.Series:
    docs = f["documents"]
    a = _map(_doc(f["crosswalk"]["from_item_id"], f), docs, "document_id", "organisation")
    b = _map(_doc(f["crosswalk"]["to_item_id"], f), docs, "document_id", "organisation")
    return ~_known(a, b) | (a == b)


@rule("earlier_plan_first", "crosswalk", "from_item_id",
      "from_item_id's plan does not start before to_item_id's plan",
      "Put the earlier plan's item in from_item_id and the later plan's in to_item_id.", ("items", "documents"))
def _earlier_first(f: Frames) -> pd.Series:
    docs = f["documents"]
    da, db = _doc(f["crosswalk"]["from_item_id"], f), _doc(f["crosswalk"]["to_item_id"], f)
    a = pd.to_datetime(_map(da, docs, "document_id", "period_start"), errors="coerce", format="%Y-%m-%d")
    b = pd.to_datetime(_map(db, docs, "document_id", "period_start"), errors="coerce", format="%Y-%m-%d")
    return ~_known(a, b) | (da == db) | (a < b)  # one document on both sides is its own rule


@rule("one_side_in_its_place", "crosswalk", "relation",
      "a 'new' item must belong to a later plan, and a 'dropped' item to an earlier plan, of a pair the "
      "crosswalk links",
      "Check the item: a statement new in the later plan goes in to_item_id, one dropped from the earlier "
      "plan in from_item_id.", ("items",))
def _one_side_in_place(f: Frames) -> pd.Series:
    cw = f["crosswalk"]
    da, db = _doc(cw["from_item_id"], f), _doc(cw["to_item_id"], f)
    both = _known(da, db)
    earlier, later = set(da[both]), set(db[both])
    new_ok = ~(cw["relation"] == "new").fillna(False) | db.isna() | db.isin(later)
    dropped_ok = ~(cw["relation"] == "dropped").fillna(False) | da.isna() | da.isin(earlier)
    return new_ok & dropped_ok


@rule("linked_kinds_match", "crosswalk", "to_item_id",
      "links statements of different kinds and roles",
      "Link a statement to one of the same kind, or of a kind with the same role (see the kinds' categories).",
      ("items",))
def _kinds_match(f: Frames) -> pd.Series:
    items = f["items"]
    a = _map(f["crosswalk"]["from_item_id"], items, "item_id", "kind")
    b = _map(f["crosswalk"]["to_item_id"], items, "item_id", "kind")
    roles = kind_roles()
    return ~_known(a, b) | (a == b) | (a.map(roles) == b.map(roles)).fillna(False)


@rule("pair_unique", "crosswalk", "to_item_id", "the same pair of items appears twice",
      "Give each link one row.")
def _pair_unique(f: Frames) -> pd.Series:
    cw = f["crosswalk"]
    return ~cw.duplicated(["from_item_id", "to_item_id"], keep="first")


@rule("crosswalk_covers_item", "items", "item_id",
      "the crosswalk links this plan to another but leaves this item out",
      "In a pair of plans the crosswalk links, give every item of the kinds it covers a row "
      "('dropped' or 'new' if it has no counterpart).", ("crosswalk",))
def _crosswalk_covers(f: Frames) -> pd.Series:
    items, cw = f["items"], f["crosswalk"]
    linked = pd.concat([cw["from_item_id"], cw["to_item_id"]]).dropna()
    docs = set(_map(linked, items, "item_id", "document_id").dropna())
    must = items["kind"].isin(crosswalk_kinds()) & items["document_id"].isin(docs)
    return ~must | items["item_id"].isin(set(linked))


# ----------------------------------------------------------------------------- topics


@rule("one_primary_topic", "item_topics", "primary",
      "the item does not have exactly one primary topic",
      "Mark one code of each item primary = true and the others false.")
def _one_primary(f: Frames) -> pd.Series:
    codes = f["item_topics"]
    primaries = _true(codes["primary"]).groupby(codes["item_id"]).transform("sum")
    return (primaries == 1) | codes["item_id"].isna()


@rule("coded_item_has_topic", "items", "item_id",
      "the plan is topic-coded but this item has no topic",
      "In a coded plan, code every item of the coded kinds (see the kinds' categories).", ("item_topics",))
def _coded(f: Frames) -> pd.Series:
    items, codes = f["items"], f["item_topics"]
    docs = set(_map(codes["item_id"], items, "item_id", "document_id").dropna())
    must = items["kind"].isin(coded_kinds()) & items["document_id"].isin(docs)
    return ~must | items["item_id"].isin(set(codes["item_id"].dropna()))


# ----------------------------------------------------------------------------- pledge links


def _role_rule(column: str, role: str, what: str) -> Callable[[Frames], pd.Series]:
    def test(f: Frames) -> pd.Series:
        kind = _map(f["pledge_links"][column], f["items"], "item_id", "kind")
        return kind.isna() | (kind.map(kind_roles()) == role).fillna(False)

    test.__doc__ = what
    return test


rule("pledge_is_commitment", "pledge_links", "pledge_item_id",
     "the item is not a commitment (a pledge or another kind with the role commitment)",
     "Link from a pledge or commitment; see the roles of the kinds in the data dictionary.",
     ("items",))(_role_rule("pledge_item_id", "commitment", "pledge side"))
rule("work_delivers", "pledge_links", "work_area_item_id",
     "the item is not work that delivers (a work area or another kind with the role work)",
     "Link to a work area, priority or action; see the roles of the kinds in the data dictionary.",
     ("items",))(_role_rule("work_area_item_id", "work", "work side"))


@rule("link_within_document", "pledge_links", "work_area_item_id",
      "the commitment and the work are in different documents",
      "Link a commitment to work of the same plan.", ("items",))
def _same_document(f: Frames) -> pd.Series:
    a, b = _doc(f["pledge_links"]["pledge_item_id"], f), _doc(f["pledge_links"]["work_area_item_id"], f)
    return ~_known(a, b) | (a == b)


# ----------------------------------------------------------------------------- claims and evidence


@rule("claim_in_item_document", "claims", "document_id",
      "the claim's document_id is not its item's document",
      "Give the claim the document_id of the item it is quoted from.", ("items",))
def _claim_document(f: Frames) -> pd.Series:
    claims = f["claims"]
    doc = _doc(claims["item_id"], f)
    return ~_known(doc, claims["document_id"]) | (doc == claims["document_id"])


@rule("quote_in_item_text", "claims", "quote",
      "not the item's text from char_start to char_end",
      "Copy the quote from the item's text and count char_start and char_end from 0 in that text.", ("items",),
      per_row=True)
def _quote(f: Frames) -> pd.Series:
    claims = f["claims"]
    text = _map(claims["item_id"], f.cited("items", "item_id", claims["item_id"]), "item_id", "text")
    a, b = _int(claims["char_start"]), _int(claims["char_end"])
    ok = [not isinstance(t, str) or pd.isna(i) or pd.isna(j) or not isinstance(q, str) or t[int(i):int(j)] == q
          for t, i, j, q in zip(text, a, b, claims["quote"])]
    return pd.Series(ok, index=claims.index)


@rule("claim_has_figure_or_end_state", "claims", "value",
      "a claim needs a value and a unit, or else a named end state (and then it is a target, with no value or unit)",
      "Give the claim its value and unit; a target whose level is a state (net zero, carbon neutral) has end_state "
      "set, claim_type target, and value and unit empty.")
def _figure_or_state(f: Frames) -> pd.Series:
    claims = f["claims"]
    empty = pd.Series(pd.NA, index=claims.index, dtype="string")

    def given(column: str) -> pd.Series:
        values = claims[column] if column in claims else empty
        return values.astype("string").str.strip().fillna("").ne("")

    figure = given("value") & given("unit")
    state = given("end_state") & ~given("value") & ~given("unit") & claims["claim_type"].astype("string").eq("target")
    return (figure & ~given("end_state")) | state.fillna(False)


@rule("verdict_names_source", "evidence", "publisher",
      "a verdict that rests on a source names none (publisher, title or url)",
      "Say who published the figure and where: fill in publisher, title or url.", per_row=True)
def _names_source(f: Frames) -> pd.Series:
    ev = f["evidence"]
    needs = {c["value"] for c in categories("evidence", "verdict") if c.get("namesSource")}
    named = ev["publisher"].notna() | ev["title"].notna() | ev["url"].notna()
    return ~ev["verdict"].isin(needs) | named


@rule("claim_has_evidence", "claims", "claim_id",
      "the plan's claims have evidence, but not this one",
      "Add an evidence row for the claim, with verdict not_found if no source was found.", ("evidence",))
def _has_evidence(f: Frames) -> pd.Series:
    claims = f["claims"]
    found = set(f["evidence"]["claim_id"].dropna())
    docs = set(claims.loc[claims["claim_id"].isin(found), "document_id"].dropna())
    return ~claims["document_id"].isin(docs) | claims["claim_id"].isin(found)


def _figures_agree(f: Frames) -> tuple[pd.Series, pd.Series, pd.Series, pd.Series]:
    """Per evidence row: whether its figure and its claim's can be compared (both present and
    finite, one unit), whether the figure keeps the claim (by the qualifier's side, at the
    precision the plan prints; within the range of a claim with value_high), whether it lies
    within 10% of the claim (of the range), and whether the claim is one-sided (at least, up to)."""
    import numpy as np

    from lcplan.claims import printed_tolerance

    ev, claims = f["evidence"], f["claims"]
    side = {c["value"]: c.get("side", "both") for c in categories("claims", "qualifier")}
    found = pd.to_numeric(ev["value"], errors="coerce")
    low = pd.to_numeric(_map(ev["claim_id"], claims, "claim_id", "value"), errors="coerce")
    high = pd.to_numeric(_map(ev["claim_id"], claims, "claim_id", "value_high"), errors="coerce")
    high = high.where(high.notna() & (high >= low), low)
    quote = _map(ev["claim_id"], f.cited("claims", "claim_id", ev["claim_id"]), "claim_id", "quote")
    qualifier = _map(ev["claim_id"], claims, "claim_id", "qualifier").map(side)
    unit = _map(ev["claim_id"], claims, "claim_id", "unit")
    finite = pd.Series(np.isfinite(found.to_numpy(dtype="float64", na_value=np.nan))
                       & np.isfinite(low.to_numpy(dtype="float64", na_value=np.nan))
                       & np.isfinite(high.to_numpy(dtype="float64", na_value=np.nan)), index=ev.index)
    comparable = finite & (unit == ev["unit"]).fillna(False)
    tol = pd.Series([printed_tolerance(q if isinstance(q, str) else "", c) if pd.notna(c) else 0.0
                     for q, c in zip(quote, low)], index=ev.index, dtype="float64")
    below, above = found - low, found - high  # below < 0: under the claim; above > 0: over it
    one_sided = qualifier.isin(["above", "below"])
    keeps = ((qualifier == "above") & (below >= -tol)) | ((qualifier == "below") & (above <= tol)) \
        | (~one_sided & (below >= -tol) & (above <= tol))
    near = (below >= -0.1 * low.abs()) & (above <= 0.1 * high.abs())
    return comparable, keeps.fillna(False), near.fillna(False), one_sided.fillna(False)


@rule("verdict_follows_figures", "evidence", "verdict",
      "the verdict does not follow from the figures (its written rule in the schema's categories)",
      "supports needs the source's figure to round to the claim at the precision the plan prints it (or lie on "
      "the claimed side of 'at least' or 'up to', or within a claimed range); contradicts needs it to miss by "
      "more than 10%, or to lie on the wrong side of 'at least' or 'up to'. Otherwise the verdict is "
      "partly_supports; or correct the value or unit.", ("claims",))
def _verdict_figures(f: Frames) -> pd.Series:
    figures = {c["value"]: c.get("figures") for c in categories("evidence", "verdict")}
    want = f["evidence"]["verdict"].map(figures)
    comparable, keeps, near, one_sided = _figures_agree(f)
    bad = comparable & (((want == "agree") & ~keeps) | ((want == "disagree") & (keeps | (near & ~one_sided))))
    return ~bad.fillna(False)


@rule("figure_has_period", "evidence", "reference_period",
      "a figure with no reference period",
      "Say which period (or date) the source's figure describes, as the source states it.", per_row=True)
def _figure_period(f: Frames) -> pd.Series:
    ev = f["evidence"]
    return ev["value"].isna() | (ev["reference_period"].astype("string").str.strip().str.len() > 0).fillna(False)


@rule("derived_total", "fiscal_balance", "value",
      "value is not per_head x population, though a population is given to derive it",
      "Leave value empty in research.toml and let the build derive it, or give the population used.")
def _derived_total(f: Frames) -> pd.Series:
    fb = f["fiscal_balance"]
    value, per_head, population = (pd.to_numeric(fb[c], errors="coerce") for c in ("value", "per_head", "population"))
    derived = value.notna() & per_head.notna() & population.notna()
    return ~derived | ((per_head * population - value).abs() <= 1)


@rule("derived_total_labelled", "fiscal_balance", "value_basis",
      "a total derived from a population is not labelled derived with the population's source, or one labelled "
      "derived gives no population",
      "Give the population and its source (population_source) and leave value empty: the build derives the total "
      "and labels it derived.", per_row=True)
def _derived_total_labelled(f: Frames) -> pd.Series:
    fb = f["fiscal_balance"]
    population = pd.to_numeric(fb["population"], errors="coerce").notna()
    derived = (fb["value_basis"].astype("string") == "derived").fillna(False)
    cited = (fb["population_source"].astype("string").str.strip().str.len() > 0).fillna(False)
    return (population & derived & cited) | (~population & ~derived)
