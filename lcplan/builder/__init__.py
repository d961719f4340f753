"""Build the data package from the plan texts: Load, Process, Save.

- Load: origin metadata and reviewed overrides (``metadata.toml``, ``overrides.toml``),
  the Table Schemas, and the raw texts, whose SHA-256 must match the metadata.
- Process: parse each plan into sections and items, then check invariants inline
  (ids unique, parents and sections known, every item verbatim at its lines, every
  override used).
- Save: write the CSV tables and ``datapackage.json``, byte-for-byte reproducible.
  ``check=True`` compares instead of writing.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import tomllib
from dataclasses import asdict
from pathlib import Path
from typing import Any

from lcplan._version import __version__
from lcplan.builder.parse import BuildError, Parsed, parse_document
from lcplan.dictionary import dictionary_markdown
from lcplan.paths import PACKAGE_NAME, builder_dir, checkout
from lcplan.registry import CODED_KINDS, CROSSWALK_KINDS, table_names, table_schema
from lcplan.text import source_lines, statement_occurs

__all__ = ["BuildError", "build", "render"]

# Which parser reads which document's layout.
LAYOUTS = {"lc-bp-2017-18": "2017", "lc-bp-2019-20": "2019"}



def _toml(name: str) -> dict[str, Any]:
    with open(builder_dir() / name, "rb") as fh:
        return tomllib.load(fh)


def read_source(path: Path, sha256: str) -> list[str]:
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != sha256:
        raise BuildError(f"{path}: sha256 {digest} differs from metadata.toml's {sha256}; sources are never edited")
    return source_lines(data)


def _check_invariants(documents: list[dict[str, Any]], parsed: dict[str, Parsed],
                      sources: dict[str, list[str]], overrides: dict[str, Any]) -> None:
    section_ids = [s.section_id for p in parsed.values() for s in p.sections]
    item_ids = [i.item_id for p in parsed.values() for i in p.items]
    for name, ids in (("section", section_ids), ("item", item_ids)):
        dupes = {x for x in ids if ids.count(x) > 1}
        if dupes:
            raise BuildError(f"duplicate {name} ids: {sorted(dupes)}")
    known_items, known_sections = set(item_ids), set(section_ids)
    for doc_id, p in parsed.items():
        lines = sources[doc_id]
        for it in p.items:
            if it.section_id not in known_sections or (it.parent_item_id and it.parent_item_id not in known_items):
                raise BuildError(f"{it.item_id}: unknown section or parent")
            span = lines[it.line_start - 1 : it.line_end]
            if not statement_occurs(it.title, it.text, span):
                raise BuildError(f"{it.item_id}: text not found verbatim at lines {it.line_start}-{it.line_end}")
    used = set().union(*(p.used_lead_ins for p in parsed.values()))
    stale = {r["lead_in"] for r in overrides["list_kinds"]} - used
    if stale:
        raise BuildError(f"overrides.toml [[list_kinds]] that match no lead-in: {sorted(stale)}")
    if [d["document_id"] for d in documents] != list(parsed):
        raise BuildError("metadata.toml documents and parsed documents differ")


def _claims(items: list[dict[str, Any]], review: dict[str, Any]) -> list[dict[str, Any]]:
    """The extractor's claims in every item, with the reviewed fields; every claim reviewed."""
    from lcplan.claims import extract_claims

    reviewed = {(r["item_id"], r["quote"]): r for r in review["claims"]}
    used: set[tuple[str, str]] = set()
    rows = []
    for item in items:
        n = 0
        for claim in extract_claims(item["text"]):
            key = (item["item_id"], claim.quote)
            if key not in reviewed:
                raise BuildError(f"{item['item_id']}: claim {claim.quote!r} is not reviewed in claims_review.toml")
            used.add(key)
            r = reviewed[key]
            if r.get("exclude"):
                continue
            n += 1
            assert item["text"][claim.char_start:claim.char_end] == claim.quote
            rows.append({
                "claim_id": f"{item['item_id']}/claim/{n}", "item_id": item["item_id"],
                "document_id": item["document_id"], **claim.to_dict(),
                "claim_type": r["claim_type"], "subject": r["subject"],
                "target_date": r.get("target_date", claim.target_date),
            })
    stale = set(reviewed) - used
    if stale:
        raise BuildError(f"claims_review.toml entries that match no extracted claim: {sorted(stale)}")
    return rows


def _evidence(claims: list[dict[str, Any]], research: dict[str, Any]) -> list[dict[str, Any]]:
    claim_of = {(c["item_id"], c["quote"]): c["claim_id"] for c in claims}
    rows, counts = [], {}
    for e in research["evidence"]:
        claim_id = claim_of.get((e["item_id"], e["quote"]))
        if claim_id is None:
            raise BuildError(f"research.toml evidence for {e['item_id']} {e['quote']!r}: no such claim")
        counts[claim_id] = counts.get(claim_id, 0) + 1
        rows.append({"evidence_id": f"{claim_id}/evidence/{counts[claim_id]}", "claim_id": claim_id,
                     "accessed": research["accessed"], **{k: v for k, v in e.items() if k not in ("item_id", "quote")}})
    missing = set(claim_of.values()) - set(counts)
    if missing:
        raise BuildError(f"claims with no evidence row (add one, with verdict not_found if need be): {sorted(missing)}")
    return rows


def _crosswalk(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The reviewed crosswalk, checked: known items, the right plan on each side, relations
    consistent with empty sides, no pair twice, and every item it must cover covered."""
    with open(builder_dir() / "crosswalk.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    doc_of = {i["item_id"]: i["document_id"] for i in items}
    kind_of = {i["item_id"]: i["kind"] for i in items}
    old, new = "lc-bp-2017-18", "lc-bp-2019-20"
    seen = set()
    for n, r in enumerate(rows, start=2):
        f, t, rel = r["from_item_id"], r["to_item_id"], r["relation"]
        where = f"crosswalk.csv row {n}"
        if (f and doc_of.get(f) != old) or (t and doc_of.get(t) != new):
            raise BuildError(f"{where}: from_item_id must be a {old} item and to_item_id a {new} item")
        if (rel == "dropped") != (not t) or (rel == "new") != (not f) or not (f or t):
            raise BuildError(f"{where}: relation {rel!r} does not fit the empty sides")
        if f and t and kind_of[f] != kind_of[t] and {kind_of[f], kind_of[t]} != {"priority", "work_area"}:
            raise BuildError(f"{where}: links a {kind_of[f]} to a {kind_of[t]}")
        if (f, t) in seen:
            raise BuildError(f"{where}: the pair appears twice")
        seen.add((f, t))
    covered = {x for pair in seen for x in pair if x}
    missing = [i["item_id"] for i in items if i["kind"] in CROSSWALK_KINDS and i["item_id"] not in covered]
    if missing:
        raise BuildError(f"crosswalk.csv does not cover: {missing}")
    return [{k: (v or None) for k, v in r.items()} for r in rows]


def _reviewed_csv(name: str) -> list[dict[str, str]]:
    with open(builder_dir() / name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _item_topics(items: list[dict[str, Any]], topics: dict[str, str]) -> list[dict[str, Any]]:
    """Hand codes, checked: known items and topics, one primary per item, every coded kind covered."""
    rows = _reviewed_csv("item_topics.csv")
    kind_of = {i["item_id"]: i["kind"] for i in items}
    primaries: dict[str, int] = {}
    for n, r in enumerate(rows, start=2):
        if r["item_id"] not in kind_of or r["topic_code"] not in topics or r["primary"] not in ("true", "false"):
            raise BuildError(f"item_topics.csv row {n}: unknown item, topic or primary flag: {r}")
        primaries[r["item_id"]] = primaries.get(r["item_id"], 0) + (r["primary"] == "true")
    wrong = sorted(i for i, k in primaries.items() if k != 1)
    missing = [i["item_id"] for i in items if i["kind"] in CODED_KINDS and i["item_id"] not in primaries]
    if wrong or missing:
        raise BuildError(f"item_topics.csv: items without exactly one primary topic {wrong}, uncoded {missing}")
    return [{**r, "topic_code": int(r["topic_code"])} for r in rows]


def _pledge_links(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    rows = _reviewed_csv("pledge_links.csv")
    kind_of = {i["item_id"]: i["kind"] for i in items}
    for n, r in enumerate(rows, start=2):
        if kind_of.get(r["pledge_item_id"]) != "pledge" or kind_of.get(r["work_area_item_id"]) != "work_area":
            raise BuildError(f"pledge_links.csv row {n}: needs a pledge and a work area: {r}")
    return [{k: (v or None) for k, v in r.items()} for r in rows]


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return int(value)  # 32500000000, not 32500000000.0
    return value


def _csv(rows: list[dict[str, Any]], fields: list[str]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(fields)
    for r in rows:
        w.writerow([_cell(r.get(f)) for f in fields])
    return buf.getvalue().encode("utf-8")


def _descriptor(meta: dict[str, Any], documents: list[dict[str, Any]], topics: dict[str, Any]) -> dict[str, Any]:
    pkg = meta["package"]
    resources = []
    for name in table_names():
        resources.append({
            "name": name,
            "type": "table",
            "path": f"data/{name}.csv",
            "scheme": "file",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "title": table_schema(name).get("title", name),
            "description": table_schema(name).get("description", ""),
            "schema": table_schema(name),
        })
    for d in documents:
        resources.append({
            "name": d["source_path"].removeprefix("sources/").removesuffix(".txt"),
            "path": d["source_path"],
            "scheme": "file",
            "format": "txt",
            "mediatype": "text/plain",
            "encoding": "utf-8",
            "title": f"{d['title']}: raw text (never edited)",
            "hash": f"sha256:{d['source_sha256']}",
        })
    return {
        "$schema": "https://datapackage.org/profiles/2.0/datapackage.json",
        "name": pkg["name"],
        "title": pkg["title"],
        "description": pkg["description"],
        "version": __version__,
        "created": pkg["created"],
        "keywords": pkg["keywords"],
        "licenses": pkg["licenses"],
        "contributors": pkg["contributors"],
        "sources": [
            {
                "title": d["title"],
                "path": d["source_path"],
                "sha256": d["source_sha256"],
                **({"url": d["source_url"]} if d["source_url"] else {}),
                "producer": d["producer"],
                "rightsHolder": d["organisation"],
                "rights": d["rights"],
                "accessed": d["accessed"],
                "description": d["format_note"],
            }
            for d in documents
        ] + [{"title": topics["source_title"], "path": topics["source_path"],
              "description": "The 21 major topics of the topics table; the item_topics codes follow its definitions."}],
        "resources": resources,
    }


def render() -> dict[str, bytes]:
    """Every generated file of the data package, by path relative to the package folder."""
    # Load
    meta, overrides = _toml("metadata.toml"), _toml("overrides.toml")
    pkg_dir = checkout() / "datasets" / PACKAGE_NAME
    documents = meta["documents"]
    sources = {d["document_id"]: read_source(pkg_dir / d["source_path"], d["source_sha256"]) for d in documents}
    # Process
    parsed = {
        d["document_id"]: parse_document(d["document_id"], LAYOUTS[d["document_id"]], sources[d["document_id"]], overrides)
        for d in documents
    }
    _check_invariants(documents, parsed, sources, overrides)
    items = [asdict(i) for p in parsed.values() for i in p.items]
    claims = _claims(items, _toml("claims_review.toml"))
    research = _toml("research.toml")
    topics = _toml("topics.toml")
    rows = {
        "documents": documents,
        "sections": [asdict(s) for p in parsed.values() for s in p.sections],
        "items": items,
        "claims": claims,
        "evidence": _evidence(claims, research),
        "fiscal_balance": research["fiscal_balance"],
        "crosswalk": _crosswalk(items),
        "topics": [{"topic_code": int(c), "topic": name} for c, name in topics["topics"].items()],
        "item_topics": _item_topics(items, topics["topics"]),
        "pledge_links": _pledge_links(items),
    }
    # Save (in memory), by path relative to the checkout
    pkg = f"datasets/{PACKAGE_NAME}"
    out: dict[str, bytes] = {}
    unbuilt = set(table_names()) - set(rows)
    if unbuilt:
        raise BuildError(f"schemas/ has tables the build does not make: {sorted(unbuilt)}")
    for name in table_names():
        fields = [f["name"] for f in table_schema(name)["fields"]]
        out[f"{pkg}/data/{name}.csv"] = _csv(rows[name], fields)
    descriptor = _descriptor(meta, documents, topics)
    out[f"{pkg}/datapackage.json"] = (json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    records = {n: list(csv.DictReader(io.StringIO(out[f"{pkg}/data/{n}.csv"].decode("utf-8")))) for n in table_names()}
    out[f"{pkg}/DATA_DICTIONARY.md"] = dictionary_markdown(records, __version__).encode("utf-8")
    out["CITATION.cff"] = _citation(meta, documents).encode("utf-8")
    return out


def _citation(meta: dict[str, Any], documents: list[dict[str, Any]]) -> str:
    """CITATION.cff for the dataset version, from the package metadata (YAML, written plainly)."""
    pkg = meta["package"]
    q = json.dumps  # a JSON string is a valid YAML scalar
    lines = [
        "# Generated by `lcplan build` from lcplan/builder/metadata.toml; do not edit by hand.",
        "cff-version: 1.2.0",
        f"message: {q('If you use this dataset, please cite it as below.')}",
        "type: dataset",
        f"title: {q(pkg['title'])}",
        f"version: {q(__version__)}",
        f"date-released: {q(pkg['created'][:10])}",
        f"abstract: {q(pkg['description'])}",
        "authors:",
        f"  - name: {q(pkg['contributors'][0]['title'])}",
        f"license: {q(pkg['licenses'][0]['name'])}",
        "keywords:",
        *[f"  - {q(k)}" for k in pkg["keywords"]],
        "references:",
    ]
    for d in documents:
        lines += [
            "  - type: report",
            f"    title: {q(d['title'])}",
            "    authors:",
            f"      - name: {q(d['organisation'])}",
            f"    year: {int(d['period_start'][:4])}",
            f"    notes: {q(d['rights'])}",
        ]
    return "\n".join(lines) + "\n"


def build(check: bool = False) -> list[str]:
    """Write the generated files; with ``check``, write nothing and list the files that differ."""
    root = checkout()
    differ = []
    for rel, data in render().items():
        path = root / rel
        if path.is_file() and path.read_bytes() == data:
            continue
        differ.append(rel)
        if not check:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
    return differ
