"""Write the inputs of the blind second reading of the shipped topic codes
(``benchmarks/gold/topics-shipped/``): a random sample of the shipped package's coded items, each
with its section heading and its parent's title, and nothing of their codes.

    python benchmarks/topics_shipped_inputs.py

The coding rules the reader gets are the README's (copied into PROTOCOL.md by hand at the commit
that adds the inputs: the rules as versioned).
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

import lcplan

GOLD = Path(__file__).resolve().parent / "gold" / "topics-shipped"
SEED = 80612026
SAMPLE = 80


def main() -> None:
    items = lcplan.load("items")
    sections = lcplan.load("sections").set_index("section_id")["title"]
    codes = lcplan.load("item_topics")
    coded = sorted(set(codes.loc[codes["primary"], "item_id"]))
    picked = sorted(random.Random(SEED).sample(coded, SAMPLE))
    by_id = items.set_index("item_id")
    rows = []
    for item_id in picked:
        r = by_id.loc[item_id]
        parent = r["parent_item_id"] if isinstance(r["parent_item_id"], str) else ""
        rows.append({"item_id": item_id, "kind": r["kind"],
                     "section": sections.get(r["section_id"], "") if isinstance(r["section_id"], str) else "",
                     "parent": (by_id.loc[parent, "title"] if isinstance(by_id.loc[parent, "title"], str)
                                else by_id.loc[parent, "text"]) if parent else "",
                     "title": r["title"] if isinstance(r["title"], str) else "", "text": r["text"]})
    GOLD.mkdir(parents=True, exist_ok=True)
    with open(GOLD / "items.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    print(len(rows), "items of", len(coded))


if __name__ == "__main__":
    main()
