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
    """syn-bp-2000-01 ... ; beyond 100 documents the organisation code counts on (syn1, syn2, ...)."""
    return [f"syn{'' if i < 100 else i // 100}-bp-{2000 + i % 100}-{(i % 100 + 1) % 100:02d}" for i in range(n_docs)]


UNICODE = ["Ελληνικά", "русский текст", "中文文本", "日本語の文", "한국어 문장", "עברית", "العربية", "हिन्दी",
           "emoji 🏠🚲🌳", "naïve café façade", "Ærø Øresund", "“quoted” ‘text’", "£2.5m and €3m", "½ ¾ ⅓"]
WORDS = ["council", "residents", "boroughs", "partnership", "£2.5 million", "“fair funding”", "children’s",
         "services", "accommodation", "transport", "investment", "neighbourhoods", "improvement", "London’s",
         "commissioning", "infrastructure", "café", "naïve", "opportunities", "programme"]


def _wrapped_statement(rng: random.Random, label: int, area: int) -> tuple[str, list[str]]:
    """A statement of 12 to 40 words (curly quotes, pound signs, accents) and its printed lines:
    wrapped at about 45 characters, now and then hyphenating a long word at the wrap."""
    words = [rng.choice(VERBS)] + [rng.choice(WORDS) for _ in range(rng.randint(12, 40))] + [f"area {area}."]
    text = " ".join(words)
    lines, cur = [], f"{label}."
    for w in words:
        if len(cur) + 1 + len(w) <= 45:
            cur = f"{cur} {w}"
        elif len(w) >= 9 and w.isalpha() and w.islower() and rng.random() < 0.3:
            cut = len(w) // 2
            lines.append(f"{cur} {w[:cut]}-")  # "accommo-" / "dation"
            cur = w[cut:]
        else:
            lines.append(cur)
            cur = w
    lines.append(cur)
    return text, lines


class _Padded:
    """A CSV writer whose rows are padded with empty cells to the header's width: the rows here
    give the items' first eleven columns, and the columns the schema adds after them are empty."""

    def __init__(self, writer, width: int):
        self.writer, self.width = writer, width

    def writerow(self, row: list) -> None:
        self.writer.writerow(list(row) + [""] * (self.width - len(row)))


def make_package(folder: Path, n_items: int, n_docs: int = 10, seed: int = 1, shape: str = "single") -> Path:
    """Write a valid package with ``n_items`` items under ``folder``; returns the folder.

    ``shape``: ``single`` (one line a statement, ASCII); ``wrapped`` (statements wrapped over
    one to five lines with hyphenation, curly quotes, pound signs and accents, and every fifth
    item a sub-item of the one before); ``deep`` (each item of a section the sub-point of the
    one before: parent chains 100 deep); ``manydocs`` (a document for every 100 items);
    ``unicode`` (long statements in several scripts, with emoji); ``invalid`` (as ``single``,
    with one row in ten broken: an unknown kind, a missing section, text not at its lines).
    """
    if shape == "manydocs":
        n_docs = max(1, n_items // 100)
    rng = random.Random(seed)
    if folder.exists():
        shutil.rmtree(folder)
    (folder / "data").mkdir(parents=True)
    (folder / "sources").mkdir()
    docs = _doc_ids(n_docs)
    per_doc = [n_items // n_docs + (1 if i < n_items % n_docs else 0) for i in range(n_docs)]
    doc_rows, sec_rows = [], []
    with open(folder / "data" / "items.csv", "w", encoding="utf-8", newline="") as items_fh:
        header = [f["name"] for f in table_schema("items")["fields"]]
        items = _Padded(csv.writer(items_fh, lineterminator="\n"), len(header))
        items.writerow(header)
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
                parent = ""
                for k in range(first, min(first + ITEMS_PER_SECTION, count)):
                    position += 1
                    label = k + 1
                    if shape == "wrapped":
                        text, printed = _wrapped_statement(rng, label, s + 1)
                        sub = k % 5 == 4 and parent
                        if sub:  # a sub-item: a bullet under the statement before
                            printed = ["- " + printed[0].split(" ", 1)[1]] + printed[1:]
                        start = len(src_lines) + 1
                        src_lines.extend(printed)
                        if sub:
                            items.writerow([f"{doc}/narrative/{label}", doc, sid, parent, "narrative", "", "",
                                            text, position, start, len(src_lines)])
                        else:
                            parent = f"{doc}/work-area/{label}"
                            items.writerow([parent, doc, sid, "", "work_area", label, "", text, position, start,
                                            len(src_lines)])
                        continue
                    text = (f"{rng.choice(VERBS)} {rng.choice(OBJECTS)} in area {s + 1}, "
                            f"statement {label}, with partners across London.")
                    if shape == "unicode":
                        text = " ".join([text, *rng.sample(UNICODE, 6)])
                    src_lines.append(f"{label}. {text}")
                    line = len(src_lines)
                    if shape == "deep":  # a chain: each item the sub-point of the one before in its section
                        item_id = f"{doc}/narrative/{label}"
                        up = f"{doc}/narrative/{label - 1}" if k > first else ""
                        items.writerow([item_id, doc, sid, up, "narrative", "", "", text, position, line, line])
                        continue
                    row = [f"{doc}/work-area/{label}", doc, sid, "", "work_area", label, "", text, position, line,
                           line]
                    if shape == "invalid" and k % 10 == 9:  # one row in ten broken, three ways in turn
                        which = (k // 10) % 3
                        if which == 0:
                            row[4] = "wish"
                        elif which == 1:
                            row[2] = sid + "-gone"
                        else:
                            row[7] = text.replace("London", "Paris")
                    items.writerow(row)
            src = ("\n".join(src_lines) + "\n").encode("utf-8")
            rel = f"sources/{doc}.txt"
            (folder / rel).write_bytes(src)
            year = 2000 + d % 100
            doc_rows.append([doc, "Synthetic Borough Partnership", f"Synthetic plan {d}", f"{year}/{(year + 1) % 100:02d}",
                             f"{year}-04-01", f"{year + 1}-03-31", "business_plan", "", rel,
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
