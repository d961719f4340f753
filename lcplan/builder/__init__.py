"""Build a data package from its plans: Load, Process, Save, then validate.

A package folder in lcplan's layout holds the inputs beside the outputs::

    package.toml          the package's own metadata (name, title, licences, contributors)
    plans/<doc>.toml      one per document: metadata, reading hints, reviewed claims
    sources/              the plan texts (never edited), and any original PDFs
    reviewed/             curated inputs: crosswalk.csv, item_topics.csv, pledge_links.csv,
                          research.toml (evidence, fiscal_balance), topics.toml (the package's own
                          terms added to lcplan's topic codebook) (all optional)
    data/*.csv, datapackage.json, DATA_DICTIONARY.md      <- written by the build

- Load: the plans and reviewed inputs, the Table Schemas, and each parsed plan's source,
  whose SHA-256 must match its plan file.
- Process: read each plan's text into sections and items (:mod:`lcplan.reader`), add the
  claims, evidence and curated tables, and keep every row of the existing tables that
  belongs to a document the build does not read (a plan curated as tables).
- Save: write the CSV tables and ``datapackage.json``, byte-for-byte reproducible, after
  running :func:`lcplan.validate` on the result: the build and the validator apply one set
  of rules, so a package the build writes is one ``lcplan validate`` passes.
  ``check=True`` compares instead of writing.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import tempfile
import tomllib
from dataclasses import asdict
from pathlib import Path
from typing import Any

from lcplan.codebook import CodebookError, codebook
from lcplan._version import __version__
from lcplan.dictionary import dictionary_markdown, read_records
from lcplan.paths import checkout, shipped_package_dir
from lcplan.plans import Plan, PlanError, load_plans
from lcplan.reader import ReadError, read_plan_text
from lcplan.registry import schema, table_names, table_schema

__all__ = ["BuildError", "build", "render"]


class BuildError(Exception):
    """The inputs disagree with each other, with the sources, or with the rules: the build stops."""


def _toml(path: Path, required: bool = True) -> dict[str, Any]:
    if not path.is_file():
        if required:
            raise BuildError(f"{path}: missing")
        return {}
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise BuildError(f"{path}: not valid TOML: {exc}") from None


def _claims(items: list[dict[str, Any]], plans: list[Plan]) -> list[dict[str, Any]]:
    """The extractor's claims in every item, with the reviewed fields; every claim reviewed."""
    from lcplan.claims import extract_claims, kinds_without_claims

    reviewed = {}
    for plan in plans:
        for r in plan.claims:
            if not r.item_id.startswith(plan.document_id + "/"):
                raise BuildError(f"{plan.path}: [[claims]] {r.item_id} is not an item of {plan.document_id}")
            reviewed[(r.item_id, r.quote, r.occurrence)] = (plan, r)
    used: set[tuple[str, str, int]] = set()
    rows = []
    skip = kinds_without_claims()
    for item in items:
        if item["kind"] in skip:
            continue
        n = 0
        seen: dict[str, int] = {}
        for claim in extract_claims(item["text"]):
            seen[claim.quote] = seen.get(claim.quote, 0) + 1
            key = (item["item_id"], claim.quote, seen[claim.quote])
            if key not in reviewed:
                again = f" (occurrence = {key[2]})" if key[2] > 1 else ""
                raise BuildError(f"{item['item_id']}: claim {claim.quote!r}{again} is not reviewed: add a [[claims]] "
                                 f"entry to plans/{item['document_id']}.toml")
            used.add(key)
            r = reviewed[key][1]
            if r.exclude:
                continue
            n += 1
            rows.append({
                "claim_id": f"{item['item_id']}/claim/{n}", "item_id": item["item_id"],
                "document_id": item["document_id"], **claim.to_dict(),
                "claim_type": r.claim_type, "subject": r.subject,
                "target_date": r.target_date if r.target_date is not None else claim.target_date,
            })
    stale = sorted(set(reviewed) - used)
    if stale:
        raise BuildError("[[claims]] entries that match no extracted claim: "
                         + "; ".join(f"{reviewed[k][0].path.name}: {k}" for k in stale))
    return rows


def _evidence(claims: list[dict[str, Any]], research: dict[str, Any]) -> list[dict[str, Any]]:
    claim_of = {(c["item_id"], c["quote"]): c["claim_id"] for c in claims}
    rows, counts = [], {}
    for e in research.get("evidence", []):
        claim_id = claim_of.get((e["item_id"], e["quote"]))
        if claim_id is None:
            raise BuildError(f"reviewed/research.toml evidence for {e['item_id']} {e['quote']!r}: no such claim")
        counts[claim_id] = counts.get(claim_id, 0) + 1
        rows.append({"evidence_id": f"{claim_id}/evidence/{counts[claim_id]}", "claim_id": claim_id,
                     "accessed": research["accessed"], **{k: v for k, v in e.items() if k not in ("item_id", "quote")}})
    return rows


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return int(value)  # 32500000000, not 32500000000.0
    return value


def _as_text(row: dict[str, Any], fields: list[str]) -> tuple[str, ...]:
    return tuple(str(_cell(row.get(f))) for f in fields)


def _csv(rows: list[dict[str, Any]], fields: list[str]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(fields)
    for r in rows:
        w.writerow([_cell(r.get(f)) for f in fields])
    return buf.getvalue().encode("utf-8")


def _keep_curated(rows: dict[str, list[dict[str, Any]]], existing: dict[str, list[dict[str, str]]],
                  parsed: set[str]) -> dict[str, list[dict[str, Any]]]:
    """Add the existing rows the build did not make and that touch a document it does not read.

    A row belongs to the documents its keys lead to (a ``document_id``, or an item, section or
    claim of a document). Rows that touch only documents read from text, or no document at all
    (``topics``, ``fiscal_balance``), are the build's own and are made afresh; every other row is
    a steward's (a plan curated as tables) and is kept as it is, after the rows the build made.
    """
    doc_of: dict[tuple[str, str], str] = {}
    for table, id_col in (("documents", "document_id"), ("sections", "section_id"), ("items", "item_id"),
                          ("claims", "claim_id")):
        for r in [*rows.get(table, []), *existing.get(table, [])]:
            if r.get(id_col) and r.get("document_id"):
                doc_of[(table, str(r[id_col]))] = str(r["document_id"])
    out = {}
    for table in table_names():
        ts = schema(table)
        fields = ts.field_names
        pk = list(ts.primary_key) or fields
        made = {_as_text(r, pk) for r in rows[table]}
        links = [(fk.fields[0], fk.resource) for fk in ts.foreign_keys]
        if "document_id" in fields:
            links.append(("document_id", "documents"))
        kept = []
        for r in existing.get(table, []):
            if _as_text(r, pk) in made:
                continue
            docs = {doc_of.get((ref, r[col] or "")) for col, ref in links if r.get(col)}
            if table == "evidence":  # an evidence row belongs to its claim's document
                docs |= {doc_of.get(("claims", r.get("claim_id") or ""))}
            docs.discard(None)
            if docs and not docs <= parsed:
                kept.append({f: (r.get(f) or None) for f in fields})
        out[table] = [*rows[table], *kept]
    return out


def _descriptor(meta: dict[str, Any], plans: list[Plan], documents: list[dict[str, Any]],
                topics: dict[str, Any]) -> dict[str, Any]:
    pkg = meta["package"]
    by_doc = {p.document_id: p for p in plans}
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
    sources = []
    for d in documents:
        stem = Path(d["source_path"]).stem
        fmt = Path(d["source_path"]).suffix.lstrip(".")
        resources.append({
            "name": stem,
            "path": d["source_path"],
            "scheme": "file",
            "format": fmt,
            "mediatype": "text/markdown" if fmt == "md" else "text/plain",
            "encoding": "utf-8",
            "title": f"{d['title']}: raw text (never edited)",
            "hash": f"sha256:{d['source_sha256']}",
        })
        plan = by_doc.get(d["document_id"])
        prov = plan.provenance if plan else {}
        original = plan.original if plan else None
        if original:
            resources.append({
                "name": f"{stem}-original",
                "path": original["path"],
                "scheme": "file",
                "format": Path(original["path"]).suffix.lstrip("."),
                "mediatype": original.get("mediatype") or ("application/pdf" if original["path"].endswith(".pdf")
                                                           else "application/octet-stream"),
                "title": f"{d['title']}: the original document as published",
                "hash": f"sha256:{original['sha256']}",
            })
        sources.append({
            "title": d["title"],
            "path": d["source_path"],
            "sha256": d["source_sha256"],
            **({"url": d["source_url"]} if d.get("source_url") else {}),
            **({"producer": prov["producer"]} if prov.get("producer") else {}),
            "rightsHolder": d["organisation"],
            **({k: prov[k] for k in ("rights", "accessed") if prov.get(k)}),
            **({"description": prov["format_note"]} if prov.get("format_note") else {}),
        })
    if topics:
        local = (f"; this package adds its own terms to {len(topics['local'])} topics' descriptions "
                 "(reviewed/topics.toml)" if topics.get("local") else "")
        sources.append({"title": topics["source_title"], "path": topics["source_path"],
                        "description": f"The {len(topics['topics'])} major topics of the topics table, as lcplan's "
                                       f"codebook ships them; the item_topics codes follow its definitions{local}."})
    return {
        "$schema": "https://datapackage.org/profiles/2.0/datapackage.json",
        "name": pkg["name"],
        "title": pkg["title"],
        "description": pkg["description"],
        "version": __version__,
        "created": pkg["created"],
        "keywords": pkg.get("keywords", []),
        "licenses": pkg.get("licenses", []),
        "contributors": pkg.get("contributors", []),
        "sources": sources,
        "resources": resources,
        # lcplan's own property: how the analysis groups the statements (package.toml [analysis])
        **({"lcplan": {"analysis": meta["analysis"]}} if meta.get("analysis") else {}),
    }


def _read_plans(package: Path) -> tuple[list[Plan], dict[str, Any]]:
    try:
        plans = load_plans(package)
    except PlanError as exc:
        raise BuildError(str(exc)) from None
    parsed = {}
    for plan in plans:
        if not plan.parsed:
            continue
        try:
            result = read_plan_text(plan.document_id, plan.source_lines(package), plan.hints)
            plan.check_used(result.used)
        except (ReadError, PlanError) as exc:
            raise BuildError(f"{plan.path}: {exc}") from None
        parsed[plan.document_id] = result
    return plans, parsed


def _adjudicated(reviewed: Path, table: str) -> list[dict[str, str]]:
    """A curated table: the first coding, with the adjudicated decisions where a second reader
    disagreed (lcplan.agreement)."""
    from lcplan.agreement import AdjudicationError, adjudicate

    try:
        return adjudicate(reviewed, table)
    except AdjudicationError as exc:
        raise BuildError(str(exc)) from None


def _checked_verdicts(reviewed: Path, evidence: list[dict]) -> list[dict]:
    """The evidence rows, once every verdict the second reader judged otherwise is decided."""
    from lcplan.agreement import AdjudicationError, check_verdicts

    try:
        check_verdicts(reviewed, evidence)
    except AdjudicationError as exc:
        raise BuildError(str(exc)) from None
    return evidence


def _agreement_markdown(reviewed: Path, tables: dict[str, list[dict]]) -> str:
    """The data dictionary's sections on the readers' agreement and on the shipped tables against
    each reading, computed from reviewed/ and the built ``tables``."""
    from lcplan.agreement import against_shipped, agreement

    stats = [s for s in agreement(reviewed, tables.get("evidence")) if s["units"]]
    if not stats:
        return ""
    lines = ["", "## Agreement between readers", "",
             "Topic codes, crosswalk relations, pledge links and evidence verdicts were coded twice, the "
             "second time blind to the first (`reviewed/<table>.second.csv`; for verdicts, by the written rules "
             "of the `verdict` categories); every disagreement was then decided with a note "
             "(`reviewed/<table>.adjudication.csv`), and the tables are the first coding with those decisions. "
             "Agreement before adjudication:", "",
             "| measure | units | agree | % | Cohen's kappa |", "|---|---:|---:|---:|---:|"]
    for s in stats:
        lines.append(f"| {s['measure']} | {s['units']:,} {s['unit']} | {s['agree']:,} | {s['percent']} | {s['kappa']} |")
    notes = [s["identical_sets"] for s in stats if "identical_sets" in s]
    if notes:
        lines += ["", *[f"- {n}." for n in notes]]
    shipped = against_shipped(reviewed, tables)
    if shipped:
        lines += ["", "## The shipped tables against each reading", "",
                  "How far each table as shipped (every decision applied) agrees with each reading of it: the "
                  "first reading (`reviewed/<table>.csv`), the second (`reviewed/<table>.second.csv`, whose "
                  "blindness to the first cannot be shown) and a blind reading (`reviewed/<table>.blind.csv`), made "
                  "under a protocol whose instructions and inputs were committed before the reading, on a "
                  "sample of the items for topics (the protocol, inputs, the reading's own file and its "
                  "adjudication are in the lcplan repository's `benchmarks/gold/`: `topics-shipped/`, "
                  "`crosswalk-shipped/`, `pledge-links-shipped/`, `evidence-shipped/`). Each on the units the "
                  "reading covers:", "",
                  "| measure | units | agree | % | Cohen's kappa |", "|---|---:|---:|---:|---:|"]
        for s in shipped:
            lines.append(f"| {s['measure']} | {s['units']:,} {s['unit']} | {s['agree']:,} | {s['percent']} | "
                         f"{s['kappa']} |")
        notes = [s["identical_sets"] for s in shipped if "identical_sets" in s]
        if notes:
            lines += ["", *[f"- {n}." for n in notes]]
    return "\n".join(lines) + "\n"


def _existing(package: Path) -> dict[str, list[dict[str, str]]]:
    out = {}
    for name in table_names():
        path = package / "data" / f"{name}.csv"
        if path.is_file():
            out[name] = read_records(path, missing_ok=True)
    return out


def _derive_total(row: dict) -> dict:
    """A fiscal-balance row that gives per_head and population, not value: value = per_head x
    population, labelled derived (``value_basis``); a total given as published is labelled so."""
    if row.get("value") is None and row.get("per_head") is not None and row.get("population") is not None:
        return {**row, "value": round(row["per_head"] * row["population"]), "value_basis": "derived"}
    return {**row, "value_basis": "published"} if row.get("value") is not None else row


def render(package: Path | None = None) -> dict[str, bytes]:
    """Every generated file of a data package, by path relative to the package folder."""
    package = package or shipped_package_dir()
    # Load
    meta = _toml(package / "package.toml")
    plans, parsed = _read_plans(package)
    reviewed = package / "reviewed"
    research = _toml(reviewed / "research.toml", required=False)
    try:
        book = codebook(package)
    except CodebookError as exc:
        raise BuildError(str(exc)) from None
    topics = {"source_title": book.source_title, "source_path": book.source_path, "topics": book.topics,
              "local": book.local}
    # Process
    items = [asdict(i) for p in parsed.values() for i in p.items]
    for it in items:
        it.pop("slug_path", None)
    claims = _claims(items, plans)
    rows = {
        "documents": [p.document for p in plans],
        "sections": [{k: v for k, v in asdict(s).items() if k != "slug_path"} for p in parsed.values()
                     for s in p.sections],
        "items": items,
        "claims": claims,
        "evidence": _checked_verdicts(reviewed, _evidence(claims, research)),
        "fiscal_balance": [_derive_total(r) for r in research.get("fiscal_balance", [])],
        "crosswalk": [{k: (v or None) for k, v in r.items()} for r in _adjudicated(reviewed, "crosswalk")],
        "topics": [{"topic_code": int(c), "topic": name} for c, name in book.topics.items()],
        "item_topics": _adjudicated(reviewed, "item_topics"),
        "pledge_links": [{k: (v or None) for k, v in r.items()} for r in _adjudicated(reviewed, "pledge_links")],
    }
    unbuilt = set(table_names()) - set(rows)
    if unbuilt:
        raise BuildError(f"schemas/ has tables the build does not make: {sorted(unbuilt)}")
    rows = _keep_curated(rows, _existing(package), set(parsed))
    # Save (in memory), by path relative to the package folder
    out: dict[str, bytes] = {}
    for name in table_names():
        out[f"data/{name}.csv"] = _csv(rows[name], schema(name).field_names)
    descriptor = _descriptor(meta, plans, rows["documents"], topics)
    out["datapackage.json"] = (json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    records = {n: list(csv.DictReader(io.StringIO(out[f"data/{n}.csv"].decode("utf-8")))) for n in table_names()}
    out["DATA_DICTIONARY.md"] = (dictionary_markdown(records, __version__, meta["package"]["name"])
                                 + _agreement_markdown(reviewed, records)).encode("utf-8")
    _validate(out, package)
    return out


def _validate(out: dict[str, bytes], package: Path) -> None:
    """Run the validator on the files about to be written: one set of rules for build and validate."""
    from lcplan.validate import format_problem, validate

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "package"
        for rel, data in out.items():
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_bytes(data)
        descriptor = json.loads(out["datapackage.json"])
        for res in descriptor["resources"]:
            if res.get("type") != "table":
                src = package / res["path"]
                if src.is_file():
                    (root / res["path"]).parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(src, root / res["path"])
        report = validate(root)
    if not report.ok:
        lines = [format_problem(p, root) for p in report.errors.itertuples()]
        raise BuildError(f"the package would not pass `lcplan validate` ({len(lines)} error(s)):\n  "
                         + "\n  ".join(lines[:50]) + ("\n  ..." if len(lines) > 50 else ""))


def _release_date(default: str) -> str:
    """The date of this version's heading in the checkout's CHANGELOG.md (``## 0.2.0 (2026-11-29)``),
    or ``default`` (the package's creation date) when it has none."""
    import re

    changelog = checkout() / "CHANGELOG.md"
    if changelog.is_file():
        m = re.search(rf"^## {re.escape(__version__)} \((\d{{4}}-\d{{2}}-\d{{2}})\)", changelog.read_text(encoding="utf-8"), re.M)
        if m:
            return m.group(1)
    return default


def _citation(package: Path, files: dict[str, bytes]) -> str:
    """CITATION.cff for the dataset version, from the package metadata (YAML, written plainly)."""
    pkg = _toml(package / "package.toml")["package"]
    documents = list(csv.DictReader(io.StringIO(files["data/documents.csv"].decode("utf-8"))))
    rights = {p.document_id: p.provenance.get("rights", "") for p in load_plans(package)}
    q = json.dumps  # a JSON string is a valid YAML scalar
    lines = [
        "# Generated by `lcplan build` from the package's package.toml and plans/; do not edit by hand.",
        "cff-version: 1.2.0",
        f"message: {q('If you use this dataset, please cite it as below.')}",
        "type: dataset",
        f"title: {q(pkg['title'])}",
        f"version: {q(__version__)}",
        f"date-released: {q(_release_date(pkg['created'][:10]))}",
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
            f"    notes: {q(rights.get(d['document_id'], ''))}",
        ]
    return "\n".join(lines) + "\n"


def build(check: bool = False, package: Path | None = None) -> list[str]:
    """Write the generated files; with ``check``, write nothing and list the files that differ.

    ``package``: a package folder in lcplan's layout (default: the checkout's shipped package,
    whose build also writes the checkout's ``CITATION.cff``).
    """
    folder = Path(package) if package is not None else shipped_package_dir()
    files = {folder / rel: data for rel, data in render(folder).items()}
    if package is None:
        files[checkout() / "CITATION.cff"] = _citation(folder, {str(p.relative_to(folder)): d for p, d in files.items()}).encode("utf-8")
    differ = []
    for path, data in files.items():
        if path.is_file() and path.read_bytes() == data:
            continue
        differ.append(str(path))
        if not check:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
    return differ
