"""How much of each shipped plan `lcplan ingest` recovers with no hints, and with the shipped hints.

For every plan of the shipped package, ingest its source into a scratch package twice: with no
hints (everything guessed) and with the plan's own reviewed hints (`--hints plans/<doc>.toml`).
A shipped statement is recovered when a draft item has exactly its text (title and text, as
the validator reads them); "same lines" also asks for its line_start and line_end, "same ID"
for its item_id. Prints one row per plan and mode, with the time to ingest.

    python benchmarks/ingest.py
"""

from __future__ import annotations

import csv
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from lcplan.paths import package_dir
from lcplan.plans import load_plans


def _items(folder: Path, doc: str) -> list[dict[str, str]]:
    with open(folder / "data" / "items.csv", encoding="utf-8", newline="") as fh:
        return [r for r in csv.DictReader(fh) if r["document_id"] == doc]


def _statement(r: dict[str, str]) -> str:
    return " ".join(x for x in (r["title"], r["text"]) if x)


def measure(plan, shipped: list[dict[str, str]], hints: Path | None) -> dict[str, object]:
    doc = plan.document
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "draft"
        cmd = [sys.executable, "-m", "lcplan.cli", "ingest", str(package_dir() / doc["source_path"]),
               "--document-id", doc["document_id"], "--organisation", doc["organisation"], "--title", doc["title"],
               "--plan-year", doc["plan_year"], "--out", str(out)]
        if hints:
            cmd += ["--hints", str(hints)]
        t0 = time.perf_counter()
        run = subprocess.run(cmd, capture_output=True, text=True)
        secs = time.perf_counter() - t0
        if run.returncode != 0:
            return {"ok": False, "error": run.stderr.strip().splitlines()[0], "secs": secs}
        draft = _items(out, doc["document_id"])
    texts = {_statement(r) for r in draft}
    spans = {(_statement(r), r["line_start"], r["line_end"]) for r in draft}
    ids = {(r["item_id"], _statement(r)) for r in draft}
    n = len(shipped)
    return {"ok": True, "secs": secs, "shipped": n, "draft": len(draft),
            "text": sum(_statement(r) in texts for r in shipped) / n,
            "lines": sum((_statement(r), r["line_start"], r["line_end"]) in spans for r in shipped) / n,
            "ids": sum((r["item_id"], _statement(r)) in ids for r in shipped) / n}


def main() -> None:
    print(f"{'plan':<16} {'hints':<8} {'shipped':>7} {'draft':>6} {'same text':>10} {'same lines':>11} "
          f"{'same ID':>8} {'seconds':>8}")
    for plan in load_plans(package_dir()):
        shipped = _items(package_dir(), plan.document_id)
        for label, hints in (("none", None), ("shipped", plan.path)):
            m = measure(plan, shipped, hints)
            if not m["ok"]:
                print(f"{plan.document_id:<16} {label:<8} failed: {m['error']}")
                continue
            print(f"{plan.document_id:<16} {label:<8} {m['shipped']:>7} {m['draft']:>6} {m['text']:>10.1%} "
                  f"{m['lines']:>11.1%} {m['ids']:>8.1%} {m['secs']:>8.2f}")


if __name__ == "__main__":
    main()
