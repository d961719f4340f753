"""Identifier lists of a release, so that a later release can prove no ID changed meaning unsaid.

Each row of ``releases/<version>-ids.tsv``: table, id, fingerprint (a hash of what the row
means: an item's kind, title and text; a section's title; a claim's item, quote and value; an
evidence row's claim, value and verdict; a document's source checksum). At a release, save the
list: ``python -m lcplan.ids > releases/<version>-ids.tsv``.

An ID never silently changes meaning. A release that corrects what a released ID says (an
evidence verdict after a written rule) or withdraws it (a table of contents read as items)
declares each one in ``releases/<version>-changes.tsv`` (table, id, change, reason), with
``change`` ``corrected`` (the ID stays, its meaning is corrected) or ``withdrawn`` (the ID is
gone and is never used again). :func:`undeclared_changes` lists what breaks this.
"""

from __future__ import annotations

import csv
import hashlib
import re
import sys
from collections import Counter
from pathlib import Path

from lcplan.dictionary import read_records
from lcplan.paths import package_dir

__all__ = ["id_list", "MEANING", "CHANGES", "undeclared_changes"]

# table -> (id column, columns whose values make its meaning)
MEANING = {
    "documents": ("document_id", ("source_sha256",)),
    "sections": ("section_id", ("document_id", "title")),
    "items": ("item_id", ("kind", "title", "text")),
    "claims": ("claim_id", ("item_id", "quote", "value")),
    "evidence": ("evidence_id", ("claim_id", "value", "verdict")),
}
# the changes a release may declare of a released ID
CHANGES = ("corrected", "withdrawn")


def _fingerprint(row: dict[str, str], columns: tuple[str, ...]) -> str:
    return hashlib.sha256("\x1f".join(row.get(c, "") for c in columns).encode("utf-8")).hexdigest()[:16]


def id_list(package: Path | None = None) -> list[tuple[str, str, str]]:
    package = package or package_dir()
    out = []
    for table, (id_col, columns) in MEANING.items():
        for row in read_records(package / "data" / f"{table}.csv"):
            out.append((table, row[id_col], _fingerprint(row, columns)))
    return out


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(p) for p in text.split("."))


def _tsv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def _files(releases: Path, kind: str) -> dict[tuple[int, ...], Path]:
    out = {}
    for path in releases.glob(f"*-{kind}.tsv"):
        m = re.fullmatch(rf"(\d+\.\d+\.\d+)-{kind}\.tsv", path.name)
        if m:
            out[_version(m.group(1))] = path
    return dict(sorted(out.items()))


def undeclared_changes(releases: Path, version: str, now: list[tuple[str, str, str]] | None = None) -> list[str]:
    """Every way the current data breaks the released ID lists in ``releases``, as sentences.

    A released ID whose meaning differs now must be declared ``corrected``, and one that is
    gone ``withdrawn``, in the changes file of a later version no newer than ``version`` (the
    current one). A declaration must be a real change against the release before it (no stale
    lines), name a known change, and a withdrawn ID must stay gone."""
    now_rows = now if now is not None else id_list()
    current = {(t, i): fp for t, i, fp in now_rows}
    problems = [f"{t} {i} appears more than once in the data" for (t, i), n in
                Counter((t, i) for t, i, _ in now_rows).items() if n > 1]
    for path in sorted(releases.glob("*.tsv")):
        if not re.fullmatch(r"\d+\.\d+\.\d+-(ids|changes)\.tsv", path.name):
            problems.append(f"{path.name}: not a release file's name (<major>.<minor>.<patch>-ids.tsv or -changes.tsv)")
    lists = {v: {(r["table"], r["id"]): r["fingerprint"] for r in _tsv(p)} for v, p in _files(releases, "ids").items()}
    changes = {v: _tsv(p) for v, p in _files(releases, "changes").items()}
    mine = _version(version)
    for v, rows in changes.items():
        name = ".".join(map(str, v))
        if v > mine:
            problems.append(f"{name}-changes.tsv is for a version after the current {version}")
        before = [u for u in lists if u < v]
        if not before:
            problems.append(f"{name}-changes.tsv declares changes but no earlier release lists IDs")
            continue
        released = lists[before[-1]]
        # what the declaration is about: the data as released in that version (its ID list),
        # or the current data while that version is not yet released
        then = lists.get(v, current)
        for n, r in enumerate(rows, start=2):
            key = (r.get("table", ""), r.get("id", ""))
            where = f"{name}-changes.tsv row {n}"
            if r.get("change") not in CHANGES:
                problems.append(f"{where}: change {r.get('change')!r} is not one of {', '.join(CHANGES)}")
            elif not (r.get("reason") or "").strip():
                problems.append(f"{where}: no reason given")
            elif key not in released:
                problems.append(f"{where}: {key[0]} {key[1]} was not released in {'.'.join(map(str, before[-1]))}")
            elif r["change"] == "withdrawn" and key in then:
                problems.append(f"{where}: {key[0]} {key[1]} is withdrawn but still in the data")
            elif r["change"] == "withdrawn" and key in current:
                problems.append(f"{where}: {key[0]} {key[1]} was withdrawn and is used again")
            elif r["change"] == "corrected" and then.get(key) in (None, released[key]):
                problems.append(f"{where}: {key[0]} {key[1]} is declared corrected but "
                                f"{'is gone' if key not in then else 'means what it did'}")
    for v, released in lists.items():
        later = [r for w, rows in changes.items() if v < w <= mine for r in rows]
        declared = {(r.get("table"), r.get("id")): r.get("change") for r in later}
        for key, fp in released.items():
            now_fp = current.get(key)
            if now_fp == fp:
                continue
            change = "withdrawn" if now_fp is None else "corrected"
            if declared.get(key) != change:
                problems.append(f"{key[0]} {key[1]} (released in {'.'.join(map(str, v))}) is {change} "
                                f"but not declared so in a later releases/<version>-changes.tsv")
    return problems


if __name__ == "__main__":
    sys.stdout.write("table\tid\tfingerprint\n")
    for row in id_list():
        sys.stdout.write("\t".join(row) + "\n")
