"""``lcplan ingest``, step by step: extract the file (:mod:`~lcplan.ingest.extract`), guess the
hints (:mod:`~lcplan.ingest.hints`), draft the reading (:mod:`~lcplan.ingest.drafting`), write the
plan file (:mod:`lcplan.plans.write`), the source and the original into the package in one
transaction (:mod:`~lcplan.ingest.package`), build and validate it (a reading that does not
validate is read again plainly), and write the review drafts (:mod:`~lcplan.ingest.review`).

Given ``hints`` (a plan file, or just its ``[reader]``), what they say is used as it is and what
they leave out entirely is guessed (unless ``[reader] guess = false``), so a reviewed draft is
rebuilt with the same IDs for unchanged statements.
"""

from __future__ import annotations

import hashlib
import re
import sys
import tomllib
from dataclasses import dataclass, fields, replace
from datetime import date
from pathlib import Path
from typing import Any, Callable

from lcplan.claims import UNREVIEWED
from lcplan.ingest.drafting import Draft, claim_reviews, draft
from lcplan.ingest.extract import extract
from lcplan.ingest.hints import guess_hints
from lcplan.ingest.model import IngestError, Note
from lcplan.ingest.package import Transaction, package_toml, with_body
from lcplan.ingest.review import crosswalk_draft, topics_draft
from lcplan.plans import ClaimReview, Hints, Plan, PlanError, parse_reader, plan_text
from lcplan.reader import slugify

__all__ = ["Result", "ingest", "progress_bar"]


@dataclass
class Result:
    package: Path
    plan_path: Path
    draft: Draft
    claims: int
    report: Any
    crosswalk_draft: Path | None = None
    topics_draft: Path | None = None


def _period(plan_year: str, start: str | None, end: str | None) -> tuple[str, str]:
    m = re.fullmatch(r"([0-9]{4})/([0-9]{2})", plan_year)
    if not m:
        raise IngestError(f"--plan-year {plan_year!r}: write it as YYYY/YY (2024/25, or 2024/28 for several years)")
    first = int(m[1])
    last = (first // 100) * 100 + int(m[2])
    last += 100 if last < first else 0
    start, end = start or f"{first}-04-01", end or f"{max(last, first + 1)}-03-31"
    for option, value in (("--period-start", start), ("--period-end", end)):
        try:
            date.fromisoformat(value)
            ok = bool(re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value))
        except ValueError:
            ok = False
        if not ok:
            raise IngestError(f"{option} {value!r}: a date written YYYY-MM-DD (e.g. 2024-04-01)")
    if start > end:
        raise IngestError(f"--period-start {start} is after --period-end {end}")
    return start, end


def _document_type(title: str) -> str:
    low = title.lower()
    for words, kind in (("corporate plan", "corporate_plan"), ("council plan", "corporate_plan"),
                        ("strategy", "strategy"), ("annual report", "annual_report"), ("manifesto", "manifesto"),
                        ("committee", "committee_report")):
        if words in low:
            return kind
    return "business_plan"


def _read_hints(path: Path) -> tuple[Hints, set[str], dict[tuple[str, str, int], dict[str, Any]], dict[str, str]]:
    """The hints of a plan file (or a file with just its [reader]), the [reader] keys it gives, its
    reviewed claims by (item_id, quote, occurrence), and its provenance."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise IngestError(f"{path}: cannot read the hints: {exc}") from None
    try:
        hints = parse_reader(raw, str(path))[1]
    except PlanError as exc:
        raise IngestError(str(exc)) from None
    claims: dict[tuple[str, str, int], dict[str, Any]] = {}
    entries = raw.get("claims", [])
    for i, c in enumerate(entries if isinstance(entries, list) else [], start=1):
        if not isinstance(c, dict):
            raise IngestError(f"{path}: [[claims]] entry {i} is not a table")
        missing = [k for k in ("item_id", "quote") if not c.get(k) or not isinstance(c.get(k), str)] + \
                  ([] if c.get("exclude") or c.get("subject") else ["subject (or exclude)"])
        if not isinstance(c.get("occurrence", 1), int) or c.get("occurrence", 1) < 1:
            missing.append("occurrence as a whole number from 1")
        if missing:
            raise IngestError(f"{path}: [[claims]] entry {i} ({c.get('item_id', '?')!r}, {c.get('quote', '?')!r}) "
                              f"lacks {', '.join(missing)}")
        unknown = sorted(set(c) - {f.name for f in fields(ClaimReview)})
        if unknown:
            raise IngestError(f"{path}: [[claims]] entry {i} has unknown key(s) {unknown}; known: "
                              f"{[f.name for f in fields(ClaimReview)]}")
        key = (c["item_id"], c["quote"], int(c.get("occurrence", 1)))
        claims[key] = c
    prov = raw.get("provenance") if isinstance(raw.get("provenance"), dict) else {}
    reader = raw.get("reader") if isinstance(raw.get("reader"), dict) else {}
    return hints, set(reader), claims, {k: str(v) for k, v in prov.items()}


def _with_guesses(given: Hints, keys: set[str], guessed: Hints) -> Hints:
    """The given hints, and for what they do not say at all (no such key in [reader]), the guesses."""
    take = {}
    for name in ("wrapped", "paragraphs", "bullets", "headings", "furniture", "titled", "tables", "kinds"):
        if name not in keys:
            take[name] = getattr(guessed, name)
    return replace(given, **take)


def _header(title: str) -> list[str]:
    return [f"{title}: drafted by `lcplan ingest` on {date.today().isoformat()}.",
            "Review the guesses (listed at the end of this file), correct the hints, and run `lcplan build`."]


def _coverage(d: Draft) -> list[str]:
    cover = d.coverage
    if cover is None:
        return []
    return [f"Coverage: {cover.share:.1%} of the text's characters are in statements and headings; "
            f"{len(cover.furniture)} line(s) are furniture, each listed below with why"
            + (f"; {len(cover.unaccounted)} line(s) in none of these: {cover.unaccounted[:20]}"
               if cover.unaccounted else "") + "."]


def _notes(d: Draft) -> list[str]:
    return [f"  line {n.line or '-'}: {n.what}: {' '.join(n.detail.split())}" for n in d.notes]


def ingest(source: Path, document_id: str, organisation: str, title: str, plan_year: str, *,
           out: Path | None = None, into: Path | None = None, period_start: str | None = None,
           period_end: str | None = None, hints: Path | None = None, document_type: str | None = None,
           progress: Callable[[int, int], None] | None = None, embeddings: bool = False) -> Result:
    """Draft a plan from ``source`` into a new package ``out`` or an existing package ``into``;
    build and validate it. With ``embeddings``, the topic coder reads the statements with
    sentence embeddings too (the ``embeddings`` extra, :func:`lcplan.topics.code_topics`)."""
    from lcplan.builder import BuildError, build

    if embeddings:  # before any work: MissingExtra says what to install
        from lcplan.embedding import require_extra

        require_extra()

    if (out is None) == (into is None):
        raise IngestError("give exactly one of --out DIR (a new package) or --into PACKAGE (an existing one)")
    if not re.fullmatch(r"[a-z][a-z0-9]*(-[a-z0-9]+)*-[0-9]{4}-[0-9]{2}", document_id):
        raise IngestError(f"--document-id {document_id!r}: lower case, hyphens, ending in the years "
                          "(e.g. kb-cp-2024-28)")
    start, end = _period(plan_year, period_start, period_end)
    package = Path(into or out)
    if package.exists() and not package.is_dir():
        raise IngestError(f"{package}: is a file, not a folder; give a folder for the package")
    if into is not None and not (package / "package.toml").is_file():
        raise IngestError(f"{package}: not a package in lcplan's layout (no package.toml); use --out for a new one")
    if out is not None and package.exists() and any(package.iterdir()) and not (package / "package.toml").is_file():
        raise IngestError(f"{package}: exists and is not an lcplan package; give an empty or new folder")
    if (package / "plans" / f"{document_id}.toml").is_file() and hints is None:
        plan = package / "plans" / f"{document_id}.toml"
        raise IngestError(f"{plan} is already there, perhaps reviewed: to read the plan again with its review, "
                          f"give --hints {plan}; to start afresh, remove it first")
    got = extract(Path(source), progress)
    given, keys, reviewed, given_provenance = _read_hints(hints) if hints else (None, set(), {}, {})
    guess_notes: list[Note] = []
    if given is not None and given.guess:  # --hints: what they leave out is still guessed
        guessed, guess_notes = guess_hints(got.lines, title, got.pages, got.layout)
        given = _with_guesses(given, keys, guessed)
        guess_notes = [n for n in guess_notes if n.what in ("heading", "furniture", "table", "titled")
                       and ({"heading": "headings", "furniture": "furniture", "table": "tables",
                             "titled": "titled"}[n.what] not in keys)]
    d = draft(document_id, got.lines, title, given, got.pages, got.layout)
    d.notes = sorted(d.notes + guess_notes, key=lambda n: (n.line or 0, n.what))
    reviews, claim_notes = claim_reviews(d.parsed.items)
    # a claim reviewed in the hints file keeps its review; the others are drafted afresh. A review
    # a person wrote that matches no claim now stops the run, as it stops the build (a draft's
    # placeholder that no longer matches, after the structure was corrected, is drafted again)
    def key(r: dict[str, Any]) -> tuple[str, str, int]:
        return r["item_id"], r["quote"], int(r.get("occurrence", 1))

    drafted = {key(r) for r in reviews}
    stale = sorted(k for k, r in reviewed.items()
                   if k not in drafted and not str(r.get("subject", "")).startswith(UNREVIEWED))
    if stale:
        raise IngestError("[[claims]] entries of the hints that match no claim of this reading (has the "
                          "statement's item_id changed?): " + "; ".join(f"{k}" for k in stale))
    reviews = [reviewed.get(key(r), r) for r in reviews]
    d.notes += [n for n, r in zip(claim_notes, reviews) if str(r.get("subject", "")).startswith(UNREVIEWED)]
    stem = slugify(Path(source).stem) or document_id
    text_rel = f"sources/{stem}{got.suffix}"
    plan_rel = f"plans/{document_id}.toml"
    document = {"document_id": document_id, "organisation": organisation, "title": title, "plan_year": plan_year,
                "period_start": start, "period_end": end, "document_type": document_type or _document_type(title),
                "published": "", "source_path": text_rel, "source_sha256": hashlib.sha256(got.text).hexdigest(),
                "source_url": ""}
    provenance = {"producer": organisation, "rights": f"© {organisation}", "accessed": date.today().isoformat(),
                  "format_note": (got.format_note or f"{got.suffix.lstrip('.')} text")
                                 + (", hard-wrapped" if d.hints.wrapped else ""),
                  **given_provenance}
    original = None
    files: dict[str, bytes] = {text_rel: got.text}
    if got.original is not None:
        original = {"path": f"sources/{stem}{got.original_suffix}", "sha256": hashlib.sha256(got.original).hexdigest(),
                    **({"mediatype": got.media_type} if got.media_type else {})}
        files[original["path"]] = got.original

    def plan_file(d: Draft, reviews: list[dict[str, Any]]) -> bytes:
        plan = Plan(path=package / plan_rel, document=document, provenance=provenance, hints=d.hints,
                    claims=tuple(ClaimReview(**r) for r in reviews), original=original, pages=tuple(got.pages or ()))
        return plan_text(plan, header=_header(title), coverage=_coverage(d), notes=_notes(d)).encode("utf-8")

    files[plan_rel] = plan_file(d, reviews)
    for rel in (text_rel, *([original["path"]] if original else [])):
        existing = package / rel
        if existing.exists() and existing.read_bytes() != files[rel]:
            raise IngestError(f"{existing}: a different file is already there; sources are never replaced "
                              "(rename the source file)")
    existed = (package / "package.toml").is_file()
    if existed:
        widened = with_body((package / "package.toml").read_text(encoding="utf-8"), organisation)
        if widened is not None:
            files["package.toml"] = widened.encode("utf-8")
    else:
        files = {"package.toml": package_toml(package, organisation, title).encode("utf-8"), **files}
    transaction = Transaction(package)
    transaction.write(files)
    try:
        try:
            build(package=package)
        except BuildError as exc:
            if given is not None:
                raise
            # never all-or-nothing: the reading did not pass validation, so read the text plainly (every
            # list and number a narrative statement, nothing out of sequence stops it) and say why
            d = draft(document_id, got.lines, title, None, got.pages, got.layout, plain=True)
            d.notes.insert(0, Note("plain reading", None, f"the structured reading did not validate ({exc}); "
                                                          "lists and numbers are read as narrative: correct the "
                                                          "hints and read it again"))
            reviews, _ = claim_reviews(d.parsed.items)
            transaction.write({plan_rel: plan_file(d, reviews)})
            build(package=package)
    except BuildError as exc:
        if existed:  # leave an existing package as it was
            transaction.restore()
            raise IngestError(f"the draft does not build, so {package} is left as it was: {exc}") from None
        raise IngestError(f"the draft does not build: {exc}\nThe plan file is at {package / plan_rel}: correct "
                          f"its hints and run `lcplan ingest ... --hints {package / plan_rel}` again.") from None
    from lcplan.validate import validate

    result = Result(package, package / plan_rel, d, len(reviews), validate(package))
    result.crosswalk_draft = crosswalk_draft(package, document_id, organisation, start)
    result.topics_draft = topics_draft(package, document_id, d.parsed.items, d.parsed.sections, embeddings)
    return result


def progress_bar(stream: Any = sys.stderr) -> Callable[[int, int], None]:
    """A progress bar for long documents: redrawn in place on a terminal, every 10% otherwise."""
    def show(k: int, n: int) -> None:
        if n < 10:
            return
        filled = int(30 * k / n)
        line = f"pages [{'#' * filled}{'.' * (30 - filled)}] {k}/{n}"
        if stream.isatty():
            stream.write("\r" + line + ("\n" if k == n else ""))
        elif k == n or k % max(1, n // 10) == 0:
            stream.write(line + "\n")
        stream.flush()

    return show
