"""The blind second reading of the shipped topic codes (``benchmarks/gold/topics-shipped/``,
reader C) against the shipped table and against the earlier second reading, on the 80 sampled
items: primary topic agreement and Cohen's kappa, and identical code sets.

    python benchmarks/topics_shipped_agreement.py
"""

from __future__ import annotations

import csv
from pathlib import Path

from lcplan.agreement import cohen_kappa

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent / "gold" / "topics-shipped"
PACKAGE = ROOT / "datasets" / "london-councils-plans"


def codes_of(path: Path) -> dict[str, tuple[str, frozenset[str]]]:
    """item_id -> (primary, every code) from a file in the item_topics layout (one row a code)."""
    primary, every = {}, {}
    with open(path, newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            every.setdefault(r["item_id"], set()).add(r["topic_code"])
            if r["primary"].lower() == "true":
                primary[r["item_id"]] = r["topic_code"]
    return {i: (primary.get(i, ""), frozenset(c)) for i, c in every.items()}


def reader_c() -> dict[str, tuple[str, frozenset[str]]]:
    with open(HERE / "reader-c.csv", newline="", encoding="utf-8") as f:
        return {r["item_id"]: (r["primary"], frozenset({r["primary"], *filter(None, r["secondary"].split(";"))}))
                for r in csv.DictReader(f)}



def main() -> None:
    c = reader_c()
    others = {"the shipped table": codes_of(PACKAGE / "data" / "item_topics.csv"),
              "the first reading (before adjudication)": codes_of(PACKAGE / "reviewed" / "item_topics.csv"),
              "the earlier second reading": codes_of(PACKAGE / "reviewed" / "item_topics.second.csv")}
    items = list(c)
    print("| reader C against | items | same primary | kappa | same set of codes |\n|---|---:|---:|---:|---:|")
    for name, other in others.items():
        x = [c[i][0] for i in items]
        y = [other.get(i, ("", frozenset()))[0] for i in items]
        same = sum(a == b for a, b in zip(x, y))
        sets = sum(c[i][1] == other.get(i, ("", frozenset()))[1] for i in items)
        print(f"| {name} | {len(items)} | {same} ({same / len(items):.1%}) | {cohen_kappa(x, y):.3f} | {sets} |")


if __name__ == "__main__":
    main()
