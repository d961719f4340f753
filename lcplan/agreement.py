"""Two readers, one record: agreement between independent codings, and their adjudication.

A curated table (topic codes, crosswalk relations, pledge links) is coded twice, blind, in
``reviewed/<table>.csv`` (first reader) and ``reviewed/<table>.second.csv`` (second reader).
Every disagreement is decided, with a note, in ``reviewed/<table>.adjudication.csv``, which
may also change a record both readers agreed on (a review finding). The build makes the table
from the first coding with the decisions applied, and stops when a disagreement has no
decision or a decision no longer matches the codings it decided between.

:func:`agreement` measures the readers before adjudication: percent agreement and Cohen's
kappa. Standard library only.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from lcplan.dictionary import read_records

__all__ = ["cohen_kappa", "topic_codes", "adjudicate", "agreement", "against_shipped", "check_verdicts",
           "AdjudicationError", "READINGS"]

# the readings a curated table may have in reviewed/, by file suffix: the first coding is the
# table's own file; a later blind reading (``.blind.csv``) was made under a protocol committed
# before it (its instructions, inputs and adjudication are named in the data dictionary)
READINGS = {"": "the first reading", ".second": "the second reading", ".blind": "the blind reading"}


class AdjudicationError(Exception):
    """A disagreement without a decision, or a decision that no longer matches the codings."""


def cohen_kappa(a: list[Any], b: list[Any]) -> float:
    """Cohen's kappa of two readers' labels for the same units: (po - pe) / (1 - pe)."""
    if len(a) != len(b) or not a:
        raise ValueError("two lists of labels of one length are needed")
    n = len(a)
    po = sum(x == y for x, y in zip(a, b)) / n
    ca, cb = Counter(a), Counter(b)
    pe = sum(ca[k] * cb[k] for k in ca) / (n * n)
    return 1.0 if pe == 1 else (po - pe) / (1 - pe)


def topic_codes(rows: Iterable[dict[str, str]]) -> dict[str, str]:
    """item_id -> its codes written ``13*;6;12``: the primary with a star, then the others ascending."""
    primary: dict[str, str] = {}
    others: dict[str, list[int]] = defaultdict(list)
    for r in rows:
        if r["primary"] == "true":
            primary[r["item_id"]] = r["topic_code"]
        else:
            others[r["item_id"]].append(int(r["topic_code"]))
    return {i: ";".join([f"{primary.get(i, '?')}*", *map(str, sorted(others[i]))])
            for i in dict.fromkeys([*primary, *others])}


def _records(table: str, rows: list[dict[str, str]]) -> dict[tuple[str, ...], str]:
    """The coding as unit -> value: an item's codes, a pair's relation, a link's yes."""
    if table == "item_topics":
        return {(i,): v for i, v in topic_codes(rows).items()}
    if table == "crosswalk":
        return {(r["from_item_id"], r["to_item_id"]): r["relation"] for r in rows}
    return {(r["pledge_item_id"], r["work_area_item_id"]): "yes" for r in rows}


def _document(item_id: str) -> str:
    return item_id.split("/", 1)[0]  # an item ID starts with its document's ID (schemas/items.schema.json)


def _scope(table: str, second: dict[tuple[str, ...], str]) -> Callable[[tuple[str, ...]], bool]:
    """Which units the second reading covers: the items it coded; the pairs of documents, or the
    documents, it linked. A plan coded once (added later) is the first reading's alone."""
    if table == "item_topics":
        return lambda key: key in second
    docs = {tuple(_document(i) for i in key if i) for key in second}
    if table == "crosswalk":
        pairs = {d for d in docs if len(d) == 2}
        singles = {x for d in pairs for x in d}
        return lambda key: (tuple(_document(i) for i in key if i) in pairs if all(key)
                            else _document(next(i for i in key if i)) in singles)
    linked = {d[0] for d in docs}
    return lambda key: _document(key[0]) in linked


KEYS = {"item_topics": ("item_id",), "crosswalk": ("from_item_id", "to_item_id"),
        "pledge_links": ("pledge_item_id", "work_area_item_id")}
ABSENT = {"item_topics": "", "crosswalk": "none", "pledge_links": "no"}


def adjudicate(reviewed: Path, table: str) -> list[dict[str, str]]:
    """The table's rows: the first coding with every adjudicated decision applied.

    Without a second coding the first coding is the table. Raises AdjudicationError when a
    disagreement is not decided, or a decision's ``first``/``second`` differ from the codings.
    """
    first_rows = read_records(reviewed / f"{table}.csv", missing_ok=True)
    second_path = reviewed / f"{table}.second.csv"
    if not second_path.is_file():
        return first_rows
    first, second = _records(table, first_rows), _records(table, read_records(second_path, missing_ok=True))
    log = read_records(reviewed / f"{table}.adjudication.csv", missing_ok=True)
    decided: dict[tuple[str, ...], dict[str, str]] = {}
    absent = ABSENT[table]
    for n, r in enumerate(log, start=2):
        key = tuple(r[k] for k in KEYS[table])
        where = f"reviewed/{table}.adjudication.csv row {n}"
        if key in decided:
            raise AdjudicationError(f"{where}: {key} is decided twice")
        if (r["first"], r["second"]) != (first.get(key, absent), second.get(key, absent)):
            raise AdjudicationError(f"{where}: says first {r['first']!r} and second {r['second']!r}, but the codings "
                                    f"now say {first.get(key, absent)!r} and {second.get(key, absent)!r}: decide again")
        if r["first"] == r["second"] == r["decided"] or not r.get("note"):
            raise AdjudicationError(f"{where}: a decision changes something and says why (note)")
        decided[key] = r
    covered = _scope(table, second)
    undecided = [k for k in set(first) | set(second) if covered(k) and first.get(k, absent) != second.get(k, absent)
                 and k not in decided]
    if undecided:
        raise AdjudicationError(f"reviewed/{table}.adjudication.csv: {len(undecided)} disagreement(s) between the two "
                                f"codings have no decision, e.g. {sorted(undecided)[:3]}")
    return _apply(table, first_rows, read_records(second_path, missing_ok=True), decided)


def _apply(table: str, first_rows: list[dict[str, str]], second_rows: list[dict[str, str]],
           decided: dict[tuple[str, ...], dict[str, str]]) -> list[dict[str, str]]:
    keys = KEYS[table]
    key_of: Callable[[dict[str, str]], tuple[str, ...]] = lambda r: tuple(r[k] for k in keys)  # noqa: E731
    out: list[dict[str, str]] = []
    if table == "item_topics":
        done: set[tuple[str, ...]] = set()
        for r in first_rows:
            key = key_of(r)
            if key not in decided:
                out.append(r)
            elif key not in done:  # the decided codes, where the item's first codes stood
                done.add(key)
                for k, code in enumerate(decided[key]["decided"].split(";")):
                    out.append({"item_id": key[0], "topic_code": code.rstrip("*"),
                                "primary": "true" if code.endswith("*") else "false"})
        return out
    second_note = {key_of(r): r.get("note", "") for r in second_rows}
    present = {key_of(r) for r in first_rows}
    for r in first_rows:
        d = decided.get(key_of(r))
        if d is None:
            out.append(r)
        elif d["decided"] not in ("none", "no"):
            out.append({**r, **({"relation": d["decided"]} if table == "crosswalk" else {})})
    for key, d in decided.items():  # records only the second reader made, decided in
        if key not in present and d["decided"] not in ("none", "no"):
            row = dict(zip(keys, key))
            if table == "crosswalk":
                row["relation"] = d["decided"]
            row["note"] = second_note.get(key, "")
            out.append(row)
    return out


def _verdicts(reviewed: Path, evidence: list[dict[str, Any]]) -> tuple[dict[str, str], dict[str, str]] | None:
    """Evidence verdicts of the first reading (the built rows, from research.toml) and of the second
    (``reviewed/evidence.second.csv``), by evidence_id; None without a second reading."""
    path = reviewed / "evidence.second.csv"
    if not path.is_file():
        return None
    first = {r["evidence_id"]: r["verdict"] for r in evidence}
    second = {r["evidence_id"]: r["verdict"] for r in read_records(path, missing_ok=True)}
    return first, second


def check_verdicts(reviewed: Path, evidence: list[dict[str, Any]]) -> None:
    """Every evidence row the second reader judged otherwise has a decision in
    ``reviewed/evidence.adjudication.csv`` that still matches both readings, and the decided
    verdict is the one the data carries (research.toml is where a verdict is changed)."""
    both = _verdicts(reviewed, evidence)
    if both is None:
        return
    first, second = both
    where = reviewed / "evidence.adjudication.csv"
    decided = {r["evidence_id"]: (n, r) for n, r in enumerate(read_records(where, missing_ok=True), start=2)}
    for eid in sorted(set(first) | set(second)):
        a, b = first.get(eid, "none"), second.get(eid, "none")
        if eid not in decided:
            if a != b:
                raise AdjudicationError(f"{where}: evidence {eid}: the readers disagree ({a} / {b}) and no row decides it")
            continue
        n, r = decided[eid]
        if (r["first"], r["second"]) != (a, b):
            raise AdjudicationError(f"{where} row {n}: says first {r['first']!r} and second {r['second']!r}, but the "
                                    f"readings now say {a!r} and {b!r}: decide again")
        if not (r.get("note") or "").strip():
            raise AdjudicationError(f"{where} row {n}: a decision with no note")
        if r["decided"] != a:
            raise AdjudicationError(f"{where} row {n}: decided {r['decided']!r} but research.toml gives {a!r}: "
                                    f"change the verdict in research.toml and the row's first to match")


def agreement(reviewed: Path, evidence: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """Agreement of the two readers before adjudication, for each table coded twice (and the
    evidence verdicts, given the built evidence rows)."""
    out = []
    both = _verdicts(reviewed, evidence) if evidence is not None else None
    if both is not None:
        first, second = both
        units = sorted(set(first) | set(second))
        out.append(_stat("evidence: verdict", "evidence rows", [first.get(u, "none") for u in units],
                         [second.get(u, "none") for u in units]))
    for table in KEYS:
        if not (reviewed / f"{table}.second.csv").is_file():
            continue
        first = _records(table, read_records(reviewed / f"{table}.csv", missing_ok=True))
        second = _records(table, read_records(reviewed / f"{table}.second.csv", missing_ok=True))
        if table == "item_topics":
            items = sorted(set(first) & set(second))
            p1 = [first[i].split(";")[0] for i in items]
            p2 = [second[i].split(";")[0] for i in items]
            out.append(_stat("topics: primary topic", "items", p1, p2))
            topics = sorted({c.rstrip("*") for v in (*first.values(), *second.values()) for c in v.split(";")})
            has1 = [t in {c.rstrip("*") for c in first[i].split(";")} for i in items for t in topics]
            has2 = [t in {c.rstrip("*") for c in second[i].split(";")} for i in items for t in topics]
            out.append(_stat("topics: any code (item x topic)", "item-topic pairs", has1, has2))
            same = sum(first[i] == second[i] for i in items)
            out[-1]["identical_sets"] = f"{same} of {len(items)} items have identical code sets"
        elif table == "crosswalk":
            covered = _scope(table, second)
            units = sorted(u for u in set(first) | set(second) if covered(u))
            out.append(_stat("crosswalk: relation of each linked pair (none if unlinked)", "pairs",
                             [first.get(u, "none") for u in units], [second.get(u, "none") for u in units]))
        else:
            covered = _scope(table, second)
            first = {u: v for u, v in first.items() if covered(u)}
            commitments = sorted({u[0] for u in (*first, *second)})
            work = sorted({u[1] for u in (*first, *second)})
            units = [(c, w) for c in commitments for w in work]
            out.append(_stat("pledge links: linked or not (pledge x work area)", "pairs",
                             [u in first for u in units], [u in second for u in units]))
            both = len(set(first) & set(second))
            out[-1]["identical_sets"] = (f"{both} links made by both readers, {len(first) - both} by the first only, "
                                         f"{len(second) - both} by the second only")
    return out


def against_shipped(reviewed: Path, tables: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """Agreement of the shipped (adjudicated) tables with each reading of them in ``reviewed``
    (:data:`READINGS`), on the units each reading covers: an item's primary topic, the relation
    of each pair either links, each pledge x work area linked or not, each evidence row's verdict.
    ``tables``: the built rows of ``item_topics``, ``crosswalk``, ``pledge_links`` and ``evidence``."""
    out = []
    for table in (*KEYS, "evidence"):
        shipped_rows = [{k: ("" if v is None else str(v)) for k, v in r.items()} for r in tables.get(table, [])]
        for suffix, name in READINGS.items():
            path = reviewed / f"{table}{suffix}.csv"
            if table == "evidence":
                if not suffix or not path.is_file():
                    continue  # the evidence's first reading is research.toml, decisions applied
                shipped = {r["evidence_id"]: r["verdict"] for r in shipped_rows}
                reading = {r["evidence_id"]: r["verdict"] for r in read_records(path)}
                units = sorted(reading)
                out.append(_stat(f"evidence: verdict, against {name}", "evidence rows",
                                 [shipped.get(u, "none") for u in units], [reading[u] for u in units]))
                continue
            if not path.is_file():
                continue
            shipped, reading = _records(table, shipped_rows), _records(table, read_records(path))
            if table == "item_topics":
                items = sorted(reading)
                out.append(_stat(f"topics: primary topic, against {name}", "items",
                                 [shipped.get(i, "?*").split(";")[0] for i in items],
                                 [reading[i].split(";")[0] for i in items]))
                same = sum(shipped.get(i) == reading[i] for i in items)
                out[-1]["identical_sets"] = f"{same} of {len(items)} items have the same set of codes as {name}"
                continue
            covered = _scope(table, reading)
            if table == "crosswalk":
                units = sorted(u for u in set(shipped) | set(reading) if covered(u))
                out.append(_stat(f"crosswalk: relation of each linked pair, against {name}", "pairs",
                                 [shipped.get(u, "none") for u in units], [reading.get(u, "none") for u in units]))
            else:
                shipped = {u: v for u, v in shipped.items() if covered(u)}
                commitments = sorted({u[0] for u in (*shipped, *reading)})
                work = sorted({u[1] for u in (*shipped, *reading)})
                units = [(c, w) for c in commitments for w in work]
                out.append(_stat(f"pledge links: linked or not, against {name}", "pairs",
                                 [u in shipped for u in units], [u in reading for u in units]))
    return [s for s in out if s["units"]]  # a header-only reading compares nothing


def _stat(what: str, unit: str, a: list[Any], b: list[Any]) -> dict[str, Any]:
    if not a:  # a reading with no units (a header-only file): nothing to compare
        return {"measure": what, "units": 0, "unit": unit, "agree": 0, "percent": 0.0, "kappa": float("nan")}
    agree = sum(x == y for x, y in zip(a, b))
    return {"measure": what, "units": len(a), "unit": unit, "agree": agree,
            "percent": round(100 * agree / len(a), 1), "kappa": round(cohen_kappa(a, b), 3)}
