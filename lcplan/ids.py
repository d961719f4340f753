"""Identifier lists of a release, so that a later release can prove no ID changed meaning.

Each row: table, id, fingerprint (a hash of what the row means: an item's kind, title and
text; a section's title; a claim's item, quote and value; a document's source checksum).
At a release, save the list: ``python -m lcplan.ids > releases/<version>-ids.tsv``.
"""

from __future__ import annotations

import hashlib
import sys

from lcplan.dictionary import read_records
from lcplan.paths import package_dir

__all__ = ["id_list", "MEANING"]

# table -> (id column, columns whose values make its meaning)
MEANING = {
    "documents": ("document_id", ("source_sha256",)),
    "sections": ("section_id", ("document_id", "title")),
    "items": ("item_id", ("kind", "title", "text")),
    "claims": ("claim_id", ("item_id", "quote", "value")),
    "evidence": ("evidence_id", ("claim_id", "value", "verdict")),
}


def _fingerprint(row: dict[str, str], columns: tuple[str, ...]) -> str:
    return hashlib.sha256("\x1f".join(row.get(c, "") for c in columns).encode("utf-8")).hexdigest()[:16]


def id_list() -> list[tuple[str, str, str]]:
    out = []
    for table, (id_col, columns) in MEANING.items():
        for row in read_records(package_dir() / "data" / f"{table}.csv"):
            out.append((table, row[id_col], _fingerprint(row, columns)))
    return out


if __name__ == "__main__":
    sys.stdout.write("table\tid\tfingerprint\n")
    for row in id_list():
        sys.stdout.write("\t".join(row) + "\n")
