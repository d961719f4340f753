"""Agreement of the two blind readings of the segmentation gold, and the adjudicated gold.

    python benchmarks/segmentation_gold.py            # agreement of reader A and reader B
    python benchmarks/segmentation_gold.py --gold     # agreement of each reader with gold.csv

A statement (``statement`` or ``table_row``) of one reading is matched by one of the other with the
same document and the same text (runs of white space as one space). Per document and in total:
the statements of each, the matched, and F1 = 2 x matched / (A + B); headings likewise.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent / "gold" / "segmentation"
STATEMENTS = ("statement", "table_row")


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def read(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def units(rows: list[dict[str, str]], kinds: tuple[str, ...]) -> dict[str, Counter]:
    out: dict[str, Counter] = {}
    for r in rows:
        if r["unit"] in kinds:
            out.setdefault(r["document"], Counter())[norm(r["text"])] += 1
    return out


def compare(a: list[dict[str, str]], b: list[dict[str, str]], kinds: tuple[str, ...]) -> list[tuple]:
    ua, ub = units(a, kinds), units(b, kinds)
    rows = []
    for doc in sorted(set(ua) | set(ub)):
        ca, cb = ua.get(doc, Counter()), ub.get(doc, Counter())
        both = sum((ca & cb).values())
        na, nb = sum(ca.values()), sum(cb.values())
        rows.append((doc, na, nb, both, 2 * both / (na + nb) if na + nb else 1.0))
    return rows


def table(title: str, rows: list[tuple], left: str, right: str) -> None:
    print(f"\n{title}\n")
    print(f"| document | {left} | {right} | same text | F1 |")
    print("|---|---:|---:|---:|---:|")
    for doc, na, nb, both, f1 in rows:
        print(f"| {doc} | {na} | {nb} | {both} | {f1:.3f} |")
    na, nb, both = (sum(r[k] for r in rows) for k in (1, 2, 3))
    print(f"| **total** | {na} | {nb} | {both} | {2 * both / (na + nb) if na + nb else 1:.3f} |")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", action="store_true", help="each reader against the adjudicated gold.csv")
    args = ap.parse_args(argv)
    a, b = read(HERE / "reader-a.csv"), read(HERE / "reader-b.csv")
    if args.gold:
        gold = read(HERE / "gold.csv")
        for name, reading in (("reader A", a), ("reader B", b)):
            table(f"Statements: {name} and the gold", compare(reading, gold, STATEMENTS), name, "gold")
        return 0
    table("Statements (statement and table_row): reader A and reader B", compare(a, b, STATEMENTS), "A", "B")
    table("Headings: reader A and reader B", compare(a, b, ("heading",)), "A", "B")
    return 0


if __name__ == "__main__":
    sys.exit(main())
