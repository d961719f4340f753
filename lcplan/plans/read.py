"""A plan file read into a :class:`~lcplan.plans.model.Plan`, checked for shape: unknown
keys, wrong types and hints that cannot be right are refused by name (:class:`PlanError`)."""

from __future__ import annotations

import tomllib
from dataclasses import fields
from pathlib import Path
from typing import Any

from lcplan.plans.model import (DOCUMENT_FIELDS, FIELDS, PARAGRAPHS, PROVENANCE_FIELDS, READERS, SCOPES, STYLES,
                                ClaimReview, Furniture, Heading, Hints, Kind, ListRule, Numbered, Plan, PlanError, Table,
                                Titled)

__all__ = ["read_plan", "load_plans", "parse_reader"]


def _table(raw: dict[str, Any], key: str, where: str) -> dict[str, Any]:
    value = raw.get(key, {})
    if not isinstance(value, dict):
        raise PlanError(f"{where}: [{key}] must be a table")
    return value


def _make(cls: type, raw: Any, where: str) -> Any:
    """A dataclass from a TOML table: unknown keys and wrong types are refused by name."""
    if not isinstance(raw, dict):
        raise PlanError(f"{where}: must be a table, not {raw!r}")
    known = {f.name: f for f in fields(cls)}
    unknown = sorted(set(raw) - set(known))
    if unknown:
        raise PlanError(f"{where}: unknown key(s) {unknown}; known: {sorted(known)}")
    kw = {}
    for name, value in raw.items():
        if name in ("lines", "names", "bullets"):
            if not isinstance(value, list):
                raise PlanError(f"{where}: {name} must be a list")
            value = tuple(value)
        kw[name] = value
    try:
        obj = cls(**kw)
    except TypeError as exc:
        raise PlanError(f"{where}: {exc}") from None
    for f in fields(cls):
        v = getattr(obj, f.name)
        expected = {"int": int, "str": str, "bool": bool, "dict[str, str]": dict}.get(str(f.type))
        if expected is not None and not isinstance(v, expected):
            raise PlanError(f"{where}: {f.name} must be a {expected.__name__}, not {v!r}")
    return obj


def parse_reader(raw: dict[str, Any], where: str) -> tuple[str, Hints]:
    """A plan file's [reader] (given the whole file as parsed TOML): its reader kind and its hints, checked."""
    reader = _table(raw, "reader", where)
    kind = reader.get("kind", "text")
    if kind not in READERS:
        raise PlanError(f"{where}: [reader] kind must be one of {list(READERS)}, not {kind!r}")
    allowed = {"kind", "wrapped", "paragraphs", "bullets", "guess", "strict", "headings", "furniture", "lists", "numbered",
               "titled", "tables", "kinds"}
    unknown = sorted(set(reader) - allowed)
    if unknown:
        raise PlanError(f"{where}: [reader] has unknown key(s) {unknown}; known: {sorted(allowed)}")

    def many(key: str, cls: type) -> tuple[Any, ...]:
        entries = reader.get(key, [])
        if not isinstance(entries, list):
            raise PlanError(f"{where}: reader.{key} must be an array of tables ([[reader.{key}]])")
        return tuple(_make(cls, e, f"{where}: [[reader.{key}]] {i + 1}") for i, e in enumerate(entries))

    paragraphs = reader.get("paragraphs", "sentences")
    if paragraphs not in PARAGRAPHS:
        raise PlanError(f"{where}: [reader] paragraphs must be one of {list(PARAGRAPHS)}, not {paragraphs!r}")
    bullets = reader.get("bullets", [])
    if not isinstance(bullets, list) or not all(isinstance(b, str) and b.strip() and " " not in b for b in bullets):
        raise PlanError(f"{where}: [reader] bullets must be a list of markers, each a glyph or word with no space "
                        f"(e.g. [\"\\uf0b7\", \"n\"]), not {bullets!r}")
    for key in ("wrapped", "guess", "strict"):
        if key in reader and not isinstance(reader[key], bool):
            raise PlanError(f"{where}: [reader] {key} must be true or false, not {reader[key]!r}")
    hints = Hints(wrapped=bool(reader.get("wrapped", False)), paragraphs=paragraphs, bullets=tuple(bullets),
                  guess=reader.get("guess", True), strict=reader.get("strict", True), headings=many("headings", Heading),
                  furniture=many("furniture", Furniture), lists=many("lists", ListRule),
                  numbered=many("numbered", Numbered), titled=many("titled", Titled), tables=many("tables", Table),
                  kinds=many("kinds", Kind))
    for key, entries in (("furniture", hints.furniture), ("tables", hints.tables), ("kinds", hints.kinds)):
        for i, f in enumerate(entries):
            if len(f.lines) != 2 or not all(isinstance(n, int) for n in f.lines) or not 1 <= f.lines[0] <= f.lines[1]:
                raise PlanError(f"{where}: [[reader.{key}]] {i + 1}: lines must be [first, last], 1 <= first <= last")
    for i, t in enumerate(hints.tables):
        bad = {k: v for k, v in t.fields.items() if v not in FIELDS}
        if bad:
            raise PlanError(f"{where}: [[reader.tables]] {i + 1}: fields map a column to one of {list(FIELDS)}, "
                            f"not {bad}")
    for i, r in enumerate(hints.lists):
        if bool(r.lead_in) == bool(r.section):
            raise PlanError(f"{where}: [[reader.lists]] {i + 1}: give exactly one of lead_in or section")
    for rule in (*hints.lists, *hints.numbered):
        if rule.scope not in SCOPES:
            raise PlanError(f"{where}: scope {rule.scope!r} is not one of {list(SCOPES)}")
    for n in hints.numbered:
        if n.style not in STYLES:
            raise PlanError(f"{where}: [[reader.numbered]] style {n.style!r} is not one of {list(STYLES)}")
    for t in hints.titled:
        if bool(t.marker) == bool(t.names):
            raise PlanError(f"{where}: [[reader.titled]]: give exactly one of marker or names")
    return kind, hints


def read_plan(path: Path) -> Plan:
    """One plan file, checked for shape (not yet against its text)."""
    where = str(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise PlanError(f"{where}: not valid TOML: {exc}") from None
    unknown = sorted(set(raw) - {"document", "provenance", "reader", "claims", "original", "pages"})
    if unknown:
        raise PlanError(f"{where}: unknown table(s) {unknown}")
    doc = _table(raw, "document", where)
    extra = sorted(set(doc) - set(DOCUMENT_FIELDS))
    missing = [k for k in ("document_id", "source_path", "source_sha256") if not doc.get(k)]
    if extra or missing:
        raise PlanError(f"{where}: [document] " + (f"unknown key(s) {extra}" if extra else f"needs {missing}"))
    if doc["document_id"] != path.stem:
        raise PlanError(f"{where}: the file must be named after its document_id ({doc['document_id']}.toml)")
    document = {k: str(doc.get(k, "")) for k in DOCUMENT_FIELDS}
    prov = _table(raw, "provenance", where)
    extra = sorted(set(prov) - set(PROVENANCE_FIELDS))
    if extra:
        raise PlanError(f"{where}: [provenance] unknown key(s) {extra}")
    kind, hints = parse_reader(raw, where)
    claims = raw.get("claims", [])
    if not isinstance(claims, list):
        raise PlanError(f"{where}: claims must be an array of tables ([[claims]])")
    reviews = tuple(_make(ClaimReview, c, f"{where}: [[claims]] {i + 1}") for i, c in enumerate(claims))
    for i, r in enumerate(reviews):
        missing = [k for k in ("item_id", "quote") if not getattr(r, k)] + \
                  ([] if r.subject or r.exclude else ["subject (or exclude, saying why it is not a claim)"])
        if missing:
            raise PlanError(f"{where}: [[claims]] {i + 1} ({r.item_id or '?'}, {r.quote or '?'!r}) lacks "
                            f"{', '.join(missing)}")
        if not isinstance(r.occurrence, int) or r.occurrence < 1:
            raise PlanError(f"{where}: [[claims]] {i + 1}: occurrence must be a whole number from 1")
    original = raw.get("original")
    if original is not None and (not isinstance(original, dict) or not {"path", "sha256"} <= set(original)
                                 or not set(original) <= {"path", "sha256", "mediatype"}):
        raise PlanError(f"{where}: [original] needs path and sha256, and may give mediatype")
    pages = _table(raw, "pages", where).get("first_lines", [])
    if not isinstance(pages, list) or not all(isinstance(n, int) and n >= 1 for n in pages) or pages != sorted(pages):
        raise PlanError(f"{where}: [pages] first_lines must be rising line numbers")
    return Plan(path=path, document=document, provenance={k: str(prov.get(k, "")) for k in PROVENANCE_FIELDS},
                reader=kind, hints=hints, claims=reviews, original=original, pages=tuple(pages))


def load_plans(package: Path) -> list[Plan]:
    """Every plan of a package folder (``plans/*.toml``), oldest first (by period, then ID)."""
    plans = [read_plan(p) for p in sorted((package / "plans").glob("*.toml"))]
    return sorted(plans, key=lambda p: (p.document["period_start"], p.document_id))
