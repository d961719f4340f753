"""A valid synthetic data package of any size, in our layout, for benchmarks and tests.

``make_package(folder, n_items)`` writes documents, sections, items and one source text
per document, so that every item is verbatim at its lines. ``inject_errors`` then breaks
it in known ways and returns where each error is.
"""

from __future__ import annotations

import csv
import hashlib
import json
import random
import shutil
from pathlib import Path

from lcplan.registry import table_names, table_schema

ITEMS_PER_SECTION = 100
VERBS = ["Deliver", "Support", "Campaign for", "Lobby for", "Review", "Promote", "Secure", "Develop"]
OBJECTS = ["housing supply", "clean air", "skills devolution", "fair funding", "safer streets",
           "public health", "digital services", "the Freedom Pass", "temporary accommodation"]


def _doc_ids(n_docs: int) -> list[str]:
    return [f"syn-bp-{2000 + i}-{(i + 1) % 100:02d}" for i in range(n_docs)]


def make_package(folder: Path, n_items: int, n_docs: int = 10, seed: int = 1) -> Path:
    """Write a valid package with ``n_items`` items under ``folder``; returns the folder."""
    rng = random.Random(seed)
    if folder.exists():
        shutil.rmtree(folder)
    (folder / "data").mkdir(parents=True)
    (folder / "sources").mkdir()
    docs = _doc_ids(n_docs)
    per_doc = [n_items // n_docs + (1 if i < n_items % n_docs else 0) for i in range(n_docs)]
    doc_rows, sec_rows = [], []
    with open(folder / "data" / "items.csv", "w", encoding="utf-8", newline="") as items_fh:
        items = csv.writer(items_fh, lineterminator="\n")
        items.writerow([f["name"] for f in table_schema("items")["fields"]])
        for d, (doc, count) in enumerate(zip(docs, per_doc)):
            src_lines: list[str] = []
            position = 0
            n_sections = max(1, -(-count // ITEMS_PER_SECTION))
            top = f"{doc}/appendix"
            sec_rows.append([top, doc, "", "Appendix", 1, 1, "", "", ""])
            for s in range(n_sections):
                sid = f"{top}/area-{s + 1}"
                src_lines.append(f"Area {s + 1}")
                sec_rows.append([sid, doc, top, f"Area {s + 1}", 2, s + 2, len(src_lines), len(src_lines), ""])
                first = s * ITEMS_PER_SECTION
                for k in range(first, min(first + ITEMS_PER_SECTION, count)):
                    position += 1
                    label = k + 1
                    text = (f"{rng.choice(VERBS)} {rng.choice(OBJECTS)} in area {s + 1}, "
                            f"statement {label}, with partners across London.")
                    src_lines.append(f"{label}. {text}")
                    line = len(src_lines)
                    items.writerow([f"{doc}/work-area/{label}", doc, sid, "", "work_area", label, "",
                                    text, position, line, line])
            src = ("\n".join(src_lines) + "\n").encode("utf-8")
            rel = f"sources/{doc}.txt"
            (folder / rel).write_bytes(src)
            doc_rows.append([doc, "Synthetic Borough Partnership", f"Synthetic plan {d}", f"{2000 + d}/{(d + 1) % 100:02d}",
                             f"{2000 + d}-04-01", f"{2001 + d}-03-31", "business_plan", "", rel,
                             hashlib.sha256(src).hexdigest(), ""])
    for name, rows in (("documents", doc_rows), ("sections", sec_rows)):
        with open(folder / "data" / f"{name}.csv", "w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh, lineterminator="\n")
            w.writerow([f["name"] for f in table_schema(name)["fields"]])
            w.writerows(rows)
    descriptor = {
        "$schema": "https://datapackage.org/profiles/2.0/datapackage.json",
        "name": "synthetic-plans",
        "resources": [
            {"name": n, "type": "table", "path": f"data/{n}.csv", "format": "csv", "mediatype": "text/csv",
             "encoding": "utf-8", "schema": table_schema(n)}
            for n in table_names() if n in ("documents", "sections", "items")
        ],
    }
    (folder / "datapackage.json").write_text(json.dumps(descriptor, indent=2), encoding="utf-8")
    return folder
