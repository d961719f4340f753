"""The topic-coding gold of corpus statements (``benchmarks/gold/topics/``, and the second and
third rounds' ``benchmarks/gold/topics-2/`` and ``topics-3/``): the two readers' agreement, and
``gold.csv`` made from their codings and ``adjudication.csv``.

    python benchmarks/topics_gold.py [--round 2|3]             # agreement: readers, and the gold against each
    python benchmarks/topics_gold.py [--round 2|3] --make-gold # gold.csv: agreed codes, and the adjudicated ones
    python benchmarks/topics_gold.py --ship                    # every round's gold as lcplan's coder learns it

Where the readers give the same primary topic, the gold takes it with reader A's secondary codes;
where they differ, the row of ``adjudication.csv`` decides (``decision`` a or b) with its note.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter
from pathlib import Path

from lcplan.agreement import cohen_kappa

sys.path.insert(0, str(Path(__file__).resolve().parent))
from topics_inputs import ROUNDS  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
MANIFEST = ROOT.parent / "shared" / "corpus" / "MANIFEST.csv"
SHIPPED = ROOT / "lcplan" / "codebooks" / "cap_coded_statements.csv"
GOLD = Path(__file__).resolve().parent / "gold" / ROUNDS[1][0]  # the round read; --round sets it


def read(name: str) -> list[dict[str, str]]:
    with open(GOLD / name, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def keyed(name: str) -> dict[tuple[str, str], dict[str, str]]:
    return {(r["document"], r["statement"]): r for r in read(name)}


def agreement() -> None:
    a, b = keyed("reader-a.csv"), keyed("reader-b.csv")
    keys = [(r["document"], r["statement"]) for r in read("statements.csv")]
    pairs = {"reader A against reader B": (a, b)}
    if (GOLD / "gold.csv").exists():
        g = keyed("gold.csv")
        pairs |= {"the gold against reader A": (g, a), "the gold against reader B": (g, b)}
    print("| codings | statements | same primary | kappa | same set of codes |\n|---|---:|---:|---:|---:|")
    for name, (x, y) in pairs.items():
        px, py = [x[k]["primary"] for k in keys], [y[k]["primary"] for k in keys]
        sets = sum({x[k]["primary"], *filter(None, x[k]["secondary"].split(";"))}
                   == {y[k]["primary"], *filter(None, y[k]["secondary"].split(";"))} for k in keys)
        same = sum(p == q for p, q in zip(px, py))
        print(f"| {name} | {len(keys)} | {same} ({same / len(keys):.1%}) | {cohen_kappa(px, py):.3f} | {sets} |")


def make_gold() -> None:
    a, b = keyed("reader-a.csv"), keyed("reader-b.csv")
    decided = {(r["document"], r["statement"]): r for r in read("adjudication.csv")}
    rows, used = [], set()
    statements = read("statements.csv")
    for s in statements:
        k = (s["document"], s["statement"])
        if a[k]["primary"] == b[k]["primary"]:
            rows.append({**a[k], "organisation": s["organisation"], "decided": ""})
            continue
        if k not in decided:
            raise SystemExit(f"no adjudication for {k}: A {a[k]['primary']}, B {b[k]['primary']}")
        used.add(k)
        pick = {"a": a, "b": b}[decided[k]["decision"]][k]
        rows.append({**pick, "organisation": s["organisation"], "decided": decided[k]["decision"]})
    stale = set(decided) - used
    if stale:
        raise SystemExit(f"adjudications where the readers agree: {sorted(stale)}")
    with open(GOLD / "gold.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, ["document", "organisation", "statement", "primary", "secondary", "decided"],
                           lineterminator="\n", extrasaction="ignore")
        w.writeheader()
        w.writerows(rows)
    print(f"gold.csv: {len(rows)} statements, {len(used)} adjudicated; primary topics: "
          f"{dict(Counter(r['primary'] for r in rows).most_common())}")


def ship() -> None:
    """``lcplan/codebooks/cap_coded_statements.csv``: each gold statement with its document's title
    (from the corpus manifest), its section and its primary topic, the hand-coded examples lcplan's
    topic coder learns from besides a package's own coded items."""
    global GOLD
    with open(MANIFEST, newline="", encoding="utf-8") as f:
        titles = {Path(r["file"]).stem: r["title"] for r in csv.DictReader(f)}
    rows = []
    for folder, *_ in ROUNDS.values():
        GOLD = Path(__file__).resolve().parent / "gold" / folder
        if not (GOLD / "gold.csv").exists():
            print(f"{folder}: no gold.csv yet, not shipped")
            continue
        gold = keyed("gold.csv")
        rows += [{"document": s["document"], "organisation": s["organisation"], "document_title": titles[s["document"]],
                  "section": s["section"], "text": s["text"],
                  "topic_code": gold[(s["document"], s["statement"])]["primary"]} for s in read("statements.csv")]
    with open(SHIPPED, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    print(f"{SHIPPED.relative_to(ROOT)}: {len(rows)} statements of {len(titles.keys() & {r['document'] for r in rows})} documents")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--make-gold", action="store_true")
    ap.add_argument("--ship", action="store_true", help="write every round's gold as lcplan's coder learns it")
    ap.add_argument("--round", type=int, default=1, choices=sorted(ROUNDS))
    args = ap.parse_args()
    global GOLD
    GOLD = Path(__file__).resolve().parent / "gold" / ROUNDS[args.round][0]
    if args.make_gold:
        make_gold()
    elif args.ship:
        ship()
    else:
        agreement()


if __name__ == "__main__":
    main()
