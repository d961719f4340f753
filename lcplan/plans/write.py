"""A :class:`~lcplan.plans.model.Plan` written as a plan file: the format
:mod:`lcplan.plans.read` reads, key for key. Only what differs from a default is written, so
a drafted file stays short; comments (what a draft guessed, its coverage) go where a reviewer
reads them. A plan written and read again is the same plan (tested on every shipped plan)."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import fields
from pathlib import Path
from typing import Any

from lcplan.plans.model import DOCUMENT_FIELDS, ClaimReview, Plan

__all__ = ["plan_text", "write_plan", "toml_value"]


def toml_value(value: Any) -> str:
    """A TOML value: a JSON string or number is one (DEL, which JSON leaves as it is, escaped)."""
    return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")


_NOT_IN_COMMENT = re.compile("[\x00-\x08\x0a-\x1f\x7f\u2028\u2029]")  # TOML comments hold no control characters


def _comments(lines: Sequence[str]) -> list[str]:
    return [f"# {_NOT_IN_COMMENT.sub(' ', line)}".rstrip() for line in lines]


def _claim(c: ClaimReview) -> list[str]:
    out = ["[[claims]]"]
    for f in fields(ClaimReview):
        value = getattr(c, f.name)
        if f.name in ("item_id", "quote") or value != f.default:
            out.append(f"{f.name} = {toml_value(value)}")
    return out + [""]


def plan_text(plan: Plan, header: Sequence[str] = (), coverage: Sequence[str] = (), notes: Sequence[str] = ()) -> str:
    """The plan file's text. ``header`` comments open the file, ``coverage`` comments stand above
    ``[reader]`` and ``notes`` (what a draft guessed, for review) close it."""
    hints = plan.hints
    out = [*_comments(header), *([""] if header else []),
           "[document]", *[f"{k} = {toml_value(plan.document.get(k, ''))}" for k in DOCUMENT_FIELDS], "",
           "[provenance]", *[f"{k} = {toml_value(v)}" for k, v in plan.provenance.items()], ""]
    if plan.original:
        out += ["[original]", f"path = {toml_value(plan.original['path'])}", f"sha256 = {toml_value(plan.original['sha256'])}",
                *([f"mediatype = {toml_value(plan.original['mediatype'])}"] if plan.original.get("mediatype") else []), ""]
    if plan.pages:
        out += ["# The first line of each page of the original.", "[pages]", f"first_lines = {toml_value(list(plan.pages))}", ""]
    if coverage:
        out += [*_comments(coverage), ""]
    out += ["[reader]"]
    out += [f"kind = {toml_value(plan.reader)}"] if plan.reader != "text" else []
    out += [f"wrapped = {'true' if hints.wrapped else 'false'}"]
    out += [f"paragraphs = {toml_value(hints.paragraphs)}"] if hints.paragraphs != "sentences" else []
    out += [f"bullets = {json.dumps(list(hints.bullets))}"] if hints.bullets else []  # escaped: glyphs are unprintable
    out += ["strict = false  # numbers out of sequence and the like are read as printed (listed at the end)"] \
        if not hints.strict else []
    out += ["guess = false"] if not hints.guess else []
    out.append("")
    for t in hints.tables:
        out += ["[[reader.tables]]", f"lines = {toml_value(list(t.lines))}", f"kind = {toml_value(t.kind)}", f"text = {toml_value(t.text)}"]
        out += ["header = false"] if not t.header else []
        if t.fields:
            out.append("fields = { " + ", ".join(f"{toml_value(k)} = {toml_value(v)}" for k, v in t.fields.items()) + " }")
        out.append("")
    for k in hints.kinds:
        out += ["[[reader.kinds]]", f"lines = {toml_value(list(k.lines))}", f"kind = {toml_value(k.kind)}", ""]
    for n in hints.numbered:
        out += ["[[reader.numbered]]", f"style = {toml_value(n.style)}", f"kind = {toml_value(n.kind)}"]
        out += [f"scope = {toml_value(n.scope)}"] if n.scope != "document" else []
        out.append("")
    for t in hints.titled:
        out += ["[[reader.titled]]", f"kind = {toml_value(t.kind)}"]
        out += [f"marker = {toml_value(t.marker)}"] if t.marker else [f"names = {toml_value(list(t.names))}"]
        out += [f"children = {toml_value(t.children)}", ""] if t.children else [""]
    for r in hints.lists:
        out += ["[[reader.lists]]", f"lead_in = {toml_value(r.lead_in)}" if r.lead_in else f"section = {toml_value(r.section)}",
                f"kind = {toml_value(r.kind)}"]
        out += [f"scope = {toml_value(r.scope)}"] if r.scope != "document" else []
        out.append("")
    for f in hints.furniture:
        out += ["[[reader.furniture]]", f"lines = {toml_value(list(f.lines))}", f"starts = {toml_value(f.starts)}"]
        out += [f"why = {toml_value(f.why)}"] if f.why else []
        out.append("")
    for h in hints.headings:
        out += ["[[reader.headings]]", f"title = {toml_value(h.title)}", f"level = {h.level}"]
        out += [f"slug = {toml_value(h.slug)}"] if h.slug else []
        out += ["printed = false"] if not h.printed else []
        out += [f"note = {toml_value(h.note)}"] if h.note else []
        out.append("")
    for c in plan.claims:
        out += _claim(c)
    if notes:
        out += ["# What the draft guessed, for review:", *_comments(notes)]
    return "\n".join(out).rstrip("\n") + "\n"


def write_plan(plan: Plan, path: Path | None = None, **comments: Sequence[str]) -> Path:
    """Write ``plan`` to ``path`` (default: the file it was read from); ``comments`` as for
    :func:`plan_text`. Returns the path written."""
    path = path or plan.path
    path.write_text(plan_text(plan, **comments), encoding="utf-8")
    return path
