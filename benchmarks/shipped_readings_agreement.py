"""The blind second readings of the shipped crosswalk, pledge links and evidence verdicts
(``benchmarks/gold/<table>-shipped/reader-c.csv``, reader C) against the shipped table and
against the earlier second reading (``reviewed/<table>.second.csv``), with the units the data
dictionary uses: the relation of each pair either reading links ("none" where one does not), each
pledge x work-area pair linked or not, each evidence row's verdict.

    python benchmarks/shipped_readings_agreement.py [--disagreements]
    python benchmarks/shipped_readings_agreement.py --install   # the readings into the package

``--install`` writes each blind reading, in its table's layout, to the package's
``reviewed/<table>.blind.csv`` (topics included, from ``gold/topics-shipped/reader-c.csv``), where
the build reports the shipped tables' agreement with it in the data dictionary.
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

from lcplan.agreement import cohen_kappa

ROOT = Path(__file__).resolve().parents[1]
GOLD = Path(__file__).resolve().parent / "gold"
PACKAGE = ROOT / "datasets" / "london-councils-plans"


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def crosswalk(path: Path) -> dict[tuple[str, str], str]:
    return {(r["from_item_id"], r["to_item_id"]): r["relation"] for r in _rows(path)}


def links(path: Path) -> dict[tuple[str, str], str]:
    return {(r["pledge_item_id"], r["work_area_item_id"]): "linked" for r in _rows(path)}


def verdicts(path: Path) -> dict[tuple[str], str]:
    return {(r["evidence_id"],): r["verdict"] for r in _rows(path)}


def units(table: str, a: dict, b: dict) -> list[tuple]:
    """The units compared, as the data dictionary counts them (``lcplan.agreement``): every pair
    either reading links; every pledge x work area of the pledges and work areas either links;
    every evidence row."""
    if table == "pledge links":
        pledges, work = sorted({u[0] for u in (*a, *b)}), sorted({u[1] for u in (*a, *b)})
        return [(p, w) for p in pledges for w in work]
    return sorted(set(a) | set(b))


TABLES = {
    "crosswalk": (crosswalk, GOLD / "crosswalk-shipped", PACKAGE / "data" / "crosswalk.csv",
                  PACKAGE / "reviewed" / "crosswalk.second.csv", "relation of each linked pair"),
    "pledge links": (links, GOLD / "pledge-links-shipped", PACKAGE / "data" / "pledge_links.csv",
                     PACKAGE / "reviewed" / "pledge_links.second.csv", "pledge x work area, linked or not"),
    "evidence": (verdicts, GOLD / "evidence-shipped", PACKAGE / "data" / "evidence.csv",
                 PACKAGE / "reviewed" / "evidence.second.csv", "verdict of each evidence row"),
}


def install() -> None:
    """Each reader C file, in its table's layout, as the package's ``reviewed/<table>.blind.csv``."""
    reviewed = PACKAGE / "reviewed"
    topics = []
    for r in _rows(GOLD / "topics-shipped" / "reader-c.csv"):
        topics.append({"item_id": r["item_id"], "topic_code": r["primary"], "primary": "true"})
        topics += [{"item_id": r["item_id"], "topic_code": c, "primary": "false"} for c in r["secondary"].split(";") if c]
    files = {"item_topics": topics,
             "crosswalk": _rows(GOLD / "crosswalk-shipped" / "reader-c.csv"),
             "pledge_links": _rows(GOLD / "pledge-links-shipped" / "reader-c.csv"),
             "evidence": _rows(GOLD / "evidence-shipped" / "reader-c.csv")}
    for table, rows in files.items():
        with open(reviewed / f"{table}.blind.csv", "w", newline="", encoding="utf-8") as f:
            w = csv.DictWriter(f, list(rows[0]), lineterminator="\n")
            w.writeheader()
            w.writerows(rows)
        print(f"reviewed/{table}.blind.csv: {len(rows)} rows")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--disagreements", action="store_true", help="list reader C's differences from the shipped table")
    ap.add_argument("--install", action="store_true", help="write the readings into the package's reviewed/")
    args = ap.parse_args()
    if args.install:
        install()
        return
    print("| table | reader C against | units | agree | % | kappa |\n|---|---|---:|---:|---:|---:|")
    found = {}
    for table, (read, folder, shipped, earlier, what) in TABLES.items():
        c = read(folder / "reader-c.csv")
        for name, path in (("the shipped table", shipped), ("the earlier second reading", earlier)):
            other = read(path)
            us = units(table, c, other)
            x = [c.get(u, "none") for u in us]
            y = [other.get(u, "none") for u in us]
            agree = sum(a == b for a, b in zip(x, y))
            print(f"| {table}: {what} | {name} | {len(us)} | {agree} | {100 * agree / len(us):.1f} | "
                  f"{cohen_kappa(x, y):.3f} |")
            if name == "the shipped table":
                found[table] = [(u, a, b) for u, a, b in zip(us, x, y) if a != b]
    if args.disagreements:
        for table, rows in found.items():
            print(f"\n{table}: {len(rows)} differences (unit, reader C, shipped)")
            for u, a, b in rows:
                print(" ", " -> ".join(u), "|", a, "|", b)


if __name__ == "__main__":
    main()
