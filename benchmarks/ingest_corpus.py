"""`lcplan ingest` over every PDF of the development corpus (``../shared/corpus``), with no hints.

For each document: whether a draft was written, what `lcplan validate` said of it, statements,
headings, tables, furniture lines, coverage (the share of the text's characters in statements and
headings), lines in nothing (should be 0) and seconds. Then, on the hand-segmented gold
(``benchmarks/gold/segmentation/gold.csv``: page ranges of 9 documents, two blind readers,
adjudicated), statement precision and recall:

- *by text*: a gold statement is found when an item of the draft has exactly its text (runs of
  white space as one space); precision counts the draft's items that start on the gold's pages,
  except notes, captions and a figure's words (kinds whose role is apparatus, which the gold's
  protocol records as skipped, not as statements);
- *by lines*: found when an item cites exactly the lines that hold the gold statement in the text;
- *table rows with fields*: a gold table row is found with its fields when an item has its text and
  the same other cells (responsible, due and the rest, as a set of cell texts).

    python benchmarks/ingest_corpus.py               # every PDF, two at a time
    python benchmarks/ingest_corpus.py --only uk-dh  # the documents whose name has this
    python benchmarks/ingest_corpus.py --timing 3    # and the median of 3 runs of the longest PDF

Prints Markdown tables for the README.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import statistics
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
GOLD = Path(__file__).resolve().parent / "gold" / "segmentation"


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def doc_id(stem: str) -> str:
    letters = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")
    return f"c-{letters[:40].strip('-')}-2020-21"


def run_one(pdf: str) -> dict:
    """Ingest one PDF into a scratch package; everything measured about it."""
    from lcplan.ingest import IngestError, ingest

    path = Path(pdf)
    out = {"document": path.stem, "pages": 0}
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        try:
            result = ingest(path, doc_id(path.stem), "Corpus", path.stem, "2020/21", out=Path(tmp) / "pkg")
        except IngestError as exc:
            out.update(written=False, error=str(exc)[:200], seconds=time.perf_counter() - t0)
            return out
        seconds = time.perf_counter() - t0
        d = result.draft
        lines = (result.package / "sources" / f"{_slug(path.stem)}.txt").read_text(encoding="utf-8").split("\n")
        items = [{"text": i.text, "title": i.title, "start": i.line_start, "end": i.line_end, "kind": i.kind,
                  "responsible": i.responsible, "due": i.due, "fields": i.fields} for i in d.parsed.items]
        plan = result.plan_path.read_text(encoding="utf-8")
        m = re.search(r"first_lines = (\[[^\]]*\])", plan)
        out.update(written=True, ok=result.report.ok, errors=len(result.report.errors),
                   warnings=len(result.report.warnings), statements=len(d.parsed.items),
                   headings=sum(1 for s in d.parsed.sections if s.line_start is not None),
                   tables=len(d.hints.tables), furniture=len(d.coverage.furniture),
                   coverage=d.coverage.share, unaccounted=len(d.coverage.unaccounted), seconds=seconds,
                   pages=len(json.loads(m[1])) if m else 0, first_lines=json.loads(m[1]) if m else [],
                   items=items, lines=lines)
    return out


def run_pypdf(pdf: str) -> dict:
    """The reading this replaces, for comparison: pypdf's text layer page by page (lines as pypdf
    joins them, bullet glyphs as extracted), and hints guessed from that text alone."""
    import logging

    import pypdf

    from lcplan.ingest import IngestError, draft

    logging.disable(logging.WARNING)
    path = Path(pdf)
    t0 = time.perf_counter()
    lines: list[str] = []
    pages: list[int] = []
    for page in pypdf.PdfReader(str(path)).pages:
        pages.append(len(lines) + 1)
        lines += [ln.rstrip() for ln in (page.extract_text() or "").split("\n")] + [""]
    out = {"document": path.stem, "pages": len(pages), "first_lines": pages, "lines": lines}
    try:
        d = draft(doc_id(path.stem), lines, path.stem, None, pages, None)
    except IngestError as exc:
        out.update(written=False, error=str(exc)[:200], seconds=time.perf_counter() - t0)
        return out
    out.update(written=True, seconds=time.perf_counter() - t0, items=[
        {"text": i.text, "title": i.title, "start": i.line_start, "end": i.line_end, "kind": i.kind,
         "responsible": i.responsible, "due": i.due, "fields": i.fields} for i in d.parsed.items])
    return out


def _slug(stem: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")


def gold_rows() -> list[dict[str, str]]:
    with (GOLD / "gold.csv").open(newline="", encoding="utf-8") as f:
        return [r for r in csv.DictReader(f) if r["unit"] in ("statement", "table_row")]


def page_of(first_lines: list[int], line: int) -> int:
    import bisect

    return bisect.bisect_right(first_lines, line)


def gold_span(lines: list[str], text: str) -> tuple[int, int] | None:
    """The fewest whole lines of the text whose joined text holds ``text``."""
    from lcplan.text import join_lines

    target = norm(text)
    words = target.split()
    if not words:
        return None
    head = words[0]
    for i, ln in enumerate(lines):
        if head not in ln and not ln.rstrip().endswith("-"):
            continue
        for j in range(i, min(i + 60, len(lines))):
            joined = norm(join_lines(lines[i:j + 1]))
            if target in joined:
                while i < j and target in norm(join_lines(lines[i + 1:j + 1])):
                    i += 1  # the fewest lines: start as late as the text allows
                return i + 1, j + 1
            if len(joined) > len(target) + 400:
                break
    return None


APPARATUS: set[str] = set()


def score(results: dict[str, dict]) -> list[tuple]:
    from lcplan.registry import kinds_where

    APPARATUS.update(kinds_where("role", "apparatus"))
    with (GOLD / "documents.csv").open(newline="", encoding="utf-8") as f:
        ranges = {r["document"]: (int(r["first_page"]), int(r["last_page"])) for r in csv.DictReader(f)}
    gold = gold_rows()
    rows = []
    for doc, (a, b) in ranges.items():
        r = results.get(doc)
        g = [x for x in gold if x["document"] == doc]
        if not r or not r.get("written"):
            rows.append((doc, len(g), 0, 0, 0, 0, 0, 0))
            continue
        # the draft's statements on the gold's pages: notes, captions and a figure's words are kept as
        # items of their own kinds (role apparatus), which the gold's protocol does not count as statements
        mine = [i for i in r["items"] if a <= page_of(r["first_lines"], i["start"]) <= b
                and i["kind"] not in APPARATUS]
        texts = Counter(norm(f"{i['title']} {i['text']}" if i["title"] else i["text"]) for i in mine)
        texts_all = Counter(norm(f"{i['title']} {i['text']}" if i["title"] else i["text"]) for i in r["items"])
        gold_texts = Counter(norm(x["text"]) for x in g)
        hit_recall = sum((gold_texts & texts_all).values())
        hit_precision = sum((texts & gold_texts).values())
        spans = {(i["start"], i["end"]) for i in r["items"]}
        by_lines = sum(1 for x in g if gold_span(r["lines"], x["text"]) in spans)
        rows_g = [x for x in g if x["unit"] == "table_row"]
        with_fields = 0
        for x in rows_g:
            cells = Counter(norm(c.split(": ", 1)[-1]) for c in x["fields"].split(" | ") if c.strip())
            for i in r["items"]:
                if norm(i["text"]) == norm(x["text"]):
                    mine_cells = Counter(norm(v) for v in [i["responsible"], i["due"],
                                                          *json.loads(i["fields"] or "{}").values()] if v)
                    if mine_cells == cells:
                        with_fields += 1
                        break
        rows.append((doc, len(g), len(mine), hit_recall, hit_precision, by_lines, len(rows_g), with_fields))
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", default="", help="only the PDFs whose name contains this")
    ap.add_argument("--timing", type=int, default=0, help="runs of the longest PDF to time (median)")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--baseline", action="store_true",
                    help="also read every PDF as before this reader (pypdf's text layer, hints from the text) and "
                         "score it on the gold")
    args = ap.parse_args(argv)
    if not (CORPUS / "pdf").is_dir():
        print(f"no corpus at {CORPUS}: nothing to measure", file=sys.stderr)
        return 0
    pdfs = sorted(str(p) for p in (CORPUS / "pdf").glob("*.pdf") if args.only in p.name)
    load = os.getloadavg()[0]
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        results = {r["document"]: r for r in pool.map(run_one, pdfs)}
    print(f"\n`lcplan ingest` with no hints over {len(pdfs)} corpus PDFs ({args.jobs} at a time, "
          f"load {load:.2f} at the start)\n")
    print("| document | pages | draft | validate | statements | headings | tables | furniture lines | coverage | "
          "lines in nothing | seconds |")
    print("|---|---:|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for doc in sorted(results):
        r = results[doc]
        if not r["written"]:
            print(f"| {doc} | - | **no**: {r['error'][:80]} | - | - | - | - | - | - | - | {r['seconds']:.1f} |")
            continue
        verdict = "passes" if r["ok"] else f"FAILS ({r['errors']})"
        print(f"| {doc} | {r['pages']} | yes | {verdict} | {r['statements']} | {r['headings']} | {r['tables']} | "
              f"{r['furniture']} | {r['coverage']:.1%} | {r['unaccounted']} | {r['seconds']:.1f} |")
    written = [r for r in results.values() if r["written"]]
    print(f"| **total** | {sum(r['pages'] for r in written)} | {len(written)} of {len(results)} | "
          f"{sum(1 for r in written if r['ok'])} pass | {sum(r['statements'] for r in written)} | "
          f"{sum(r['headings'] for r in written)} | {sum(r['tables'] for r in written)} | "
          f"{sum(r['furniture'] for r in written)} | min {min((r['coverage'] for r in written), default=0):.1%} | "
          f"{sum(r['unaccounted'] for r in written)} | {sum(r['seconds'] for r in results.values()):.1f} |")
    if (GOLD / "gold.csv").is_file():
        rows = score(results)
        print("\nStatements against the hand-segmented gold (no hints)\n")
        print("| document | gold | draft's on those pages | recall (text) | precision (text) | recall (lines) | "
              "table rows | with fields |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|")
        for doc, ng, nm, hr, hp, bl, nt, wf in rows:
            print(f"| {doc} | {ng} | {nm} | {hr / ng if ng else 0:.1%} | {hp / nm if nm else 0:.1%} | "
                  f"{bl / ng if ng else 0:.1%} | {nt} | {wf} |")
        ng, nm, hr, hp, bl, nt, wf = (sum(r[k] for r in rows) for k in range(1, 8))
        print(f"| **total** | {ng} | {nm} | {hr / ng:.1%} | {hp / nm if nm else 0:.1%} | {bl / ng:.1%} | {nt} | "
              f"{wf} ({wf / nt if nt else 0:.0%}) |")
    if args.baseline:
        with ProcessPoolExecutor(max_workers=args.jobs) as pool:
            base = {r["document"]: r for r in pool.map(run_pypdf, pdfs)}
        written = [r for r in base.values() if r["written"]]
        print(f"\nThe reading this replaces (pypdf's text layer, hints from the text): drafts read for "
              f"{len(written)} of {len(base)} PDFs in {sum(r['seconds'] for r in base.values()):.1f} s")
        if (GOLD / "gold.csv").is_file():
            rows = score(base)
            ng, nm, hr, hp, bl, nt, wf = (sum(r[k] for r in rows) for k in range(1, 8))
            print(f"on the gold: recall (text) {hr / ng:.1%}, precision (text) {hp / nm if nm else 0:.1%}, "
                  f"recall (lines) {bl / ng:.1%}, table rows with fields {wf} of {nt}")
    if args.timing:
        longest = max(pdfs, key=lambda p: results[Path(p).stem].get("pages", 0))
        times = [run_one(longest)["seconds"] for _ in range(args.timing)]
        print(f"\n{Path(longest).stem} ({results[Path(longest).stem]['pages']} pages): median "
              f"{statistics.median(times):.1f} s of {args.timing} runs ({', '.join(f'{t:.1f}' for t in times)}), "
              f"load {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
