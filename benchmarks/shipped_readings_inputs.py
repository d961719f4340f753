"""Write the inputs of the blind second readings of the shipped package's curated layers other
than topics: the crosswalk (``benchmarks/gold/crosswalk-shipped/``), the pledge links
(``pledge-links-shipped/``) and the evidence verdicts (``evidence-shipped/``).

    python benchmarks/shipped_readings_inputs.py

Each reader gets the statements (and, for verdicts, the claims and the sources' figures), never
the curated rows, an earlier reading, an adjudication or a review note. Which statements: those
of the kinds the curated table links (read from the table, so no document or kind is named here).
The rules each reader gets are copied into the folder's PROTOCOL.md at the commit that adds the
inputs (the rules as versioned).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

import lcplan

GOLD = Path(__file__).resolve().parent / "gold"


def _write(path: Path, rows: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    print(f"{path.relative_to(GOLD.parent.parent)}: {len(rows)} rows")


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _statements(items: pd.DataFrame, chosen: pd.Series) -> list[dict]:
    """The chosen items in their plans' order, each with its plan, kind, heading and parent."""
    sections = lcplan.load("sections").set_index("section_id")["title"]
    docs = lcplan.load("documents").set_index("document_id")
    by_id = items.set_index("item_id")
    rows = []
    for _, r in items[chosen].sort_values(["document_id", "position"]).iterrows():
        parent = _text(r["parent_item_id"])
        rows.append({"item_id": r["item_id"], "plan": docs.loc[r["document_id"], "title"],
                     "kind": r["kind"], "section": _text(sections.get(r["section_id"], "")),
                     "parent": (_text(by_id.loc[parent, "title"]) or by_id.loc[parent, "text"]) if parent else "",
                     "title": _text(r["title"]), "text": r["text"]})
    return rows


def crosswalk() -> None:
    """Every statement of the kinds the curated crosswalk links, in both plans."""
    items = lcplan.load("items")
    cw = lcplan.load("crosswalk")
    named = set(cw["from_item_id"].dropna()) | set(cw["to_item_id"].dropna())
    kinds = set(items.loc[items["item_id"].isin(named), "kind"])
    docs = set(items.loc[items["item_id"].isin(named), "document_id"])
    _write(GOLD / "crosswalk-shipped" / "items.csv",
           _statements(items, items["kind"].isin(kinds) & items["document_id"].isin(docs)))


def pledge_links() -> None:
    """The commitments and the work of the plans the curated links cover."""
    items = lcplan.load("items")
    links = lcplan.load("pledge_links")
    named = set(links["pledge_item_id"]) | set(links["work_area_item_id"])
    docs = set(items.loc[items["item_id"].isin(named), "document_id"])
    in_docs = items["document_id"].isin(docs)
    pledges = set(items.loc[items["item_id"].isin(links["pledge_item_id"]), "kind"])
    work = set(items.loc[items["item_id"].isin(links["work_area_item_id"]), "kind"])
    _write(GOLD / "pledge-links-shipped" / "commitments.csv", _statements(items, in_docs & items["kind"].isin(pledges)))
    _write(GOLD / "pledge-links-shipped" / "work.csv", _statements(items, in_docs & items["kind"].isin(work)))


def evidence() -> None:
    """Each evidence row's claim (statement, quote, figure) and what the source gives, without
    the researcher's method note or verdict."""
    items = lcplan.load("items").set_index("item_id")
    claims = lcplan.load("claims").set_index("claim_id")
    docs = lcplan.load("documents").set_index("document_id")
    rows = []
    for _, e in lcplan.load("evidence").iterrows():
        c = claims.loc[e["claim_id"]]
        item = items.loc[c["item_id"]]
        doc = docs.loc[c["document_id"]]
        rows.append({
            "evidence_id": e["evidence_id"], "plan": doc["title"], "plan_published": str(doc["published"])[:10],
            "statement": item["text"], "claim_quote": c["quote"],
            "claim_value": "" if pd.isna(c["value"]) else c["value"],
            "claim_value_high": "" if pd.isna(c["value_high"]) else c["value_high"],
            "claim_unit": _text(c["unit"]), "claim_qualifier": _text(c["qualifier"]), "claim_per": _text(c["per"]),
            "claim_target_date": _text(c["target_date"]),
            "source_value": "" if pd.isna(e["value"]) else e["value"], "source_unit": _text(e["unit"]),
            "reference_period": _text(e["reference_period"]), "geography": _text(e["geography"]),
            "publisher": _text(e["publisher"]), "title": _text(e["title"]), "url": _text(e["url"]),
            "published": "" if pd.isna(e["published"]) else str(e["published"])[:10],
        })
    _write(GOLD / "evidence-shipped" / "evidence.csv", rows)


if __name__ == "__main__":
    crosswalk()
    pledge_links()
    evidence()
