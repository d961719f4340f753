"""The ``lcplan`` command: build, check and summarise the dataset."""

from __future__ import annotations

import argparse
import sys


def _build(args: argparse.Namespace) -> int:
    from lcplan.builder import BuildError, build
    from lcplan.paths import NotACheckout

    try:
        differ = build(check=args.check, package=args.package)
    except NotACheckout:
        print("lcplan build: with no --package, this builds the shipped package of a source checkout of lcplan; "
              "give --package FOLDER to build your own package", file=sys.stderr)
        return 2
    except BuildError as exc:
        print(f"lcplan build: {exc}", file=sys.stderr)
        return 2
    if args.check:
        if differ:
            print("lcplan build --check: the committed files differ from a fresh build:", file=sys.stderr)
            for rel in differ:
                print(f"  {rel}", file=sys.stderr)
            print("Run `lcplan build` and commit the result (never edit generated files by hand).", file=sys.stderr)
            return 1
        print("lcplan build --check: the committed tables and descriptor equal a fresh build.")
        return 0
    print(f"lcplan build: {len(differ)} file(s) written" + (f": {', '.join(differ)}" if differ else " (all current)"))
    return 0


def _summary(args: argparse.Namespace) -> int:
    import pandas as pd

    from lcplan.loaders import load, plan_items

    package = args.package
    items = plan_items(package)
    docs = load("documents", package).set_index("document_id")
    # one column a document (two bodies' plans of one year are two columns), in the order of their periods
    order = list(docs.sort_values(["period_start", "organisation"]).index)
    items = items.assign(document=pd.Categorical(items["document_id"].astype(str), categories=order, ordered=True))
    table = pd.crosstab(items["kind"], items["document"], margins=True, margins_name="total")
    print("Items per document and kind")
    for doc in order:
        print(f"  {doc}: {docs.loc[doc, 'organisation']}, {docs.loc[doc, 'title']} ({docs.loc[doc, 'plan_year']})")
    print(table.to_string())
    # what a count includes: rows under another item of their own kind (sub-bullets)
    kind_of = items.set_index("item_id")["kind"]
    sub = items[items["parent_item_id"].map(kind_of) == items["kind"]]
    for (kind, doc), n in sub.groupby(["kind", "document"], observed=True).size().items():
        total = int(((items["kind"] == kind) & (items["document"] == doc)).sum())
        print(f"  {kind} {doc} ({docs.loc[doc, 'plan_year']}): {total} rows = {total - n} {kind} statements + "
              f"{n} sub-bullets under them")
    print(f"\n{len(docs)} documents, {len(load('sections', package))} sections, {len(items)} items")
    _print_coverage(package)
    return 0


def _print_coverage(package) -> None:
    """Each read plan's coverage: the share of its text in statements and headings, and its furniture."""
    from collections import Counter

    from lcplan.coverage import package_coverage

    try:
        covers = package_coverage(package)
    except Exception as exc:  # a package whose plans or sources cannot be read: say so, the counts stand
        print(f"\ncoverage: not computed ({exc})")
        return
    if not covers:
        return
    print("\nCoverage: the share of each text's characters in statements and headings; the rest is furniture")
    for doc, c in covers.items():
        reasons = Counter(why for _, why, _ in c.furniture)
        print(f"  {doc}: {c.share:.1%}; {len(c.furniture)} furniture line(s)"
              + (": " + "; ".join(f"{n} {why}" for why, n in reasons.most_common()) if reasons else "")
              + (f"; {len(c.unaccounted)} line(s) in none of these" if c.unaccounted else ""))


def _validate(args: argparse.Namespace) -> int:
    from lcplan.extras import require

    require("validate", "pyarrow")  # MissingExtra: main() says which extra to install
    from lcplan.validate import EXIT_UNUSABLE, Unusable, format_github, format_json, format_text, validate

    _return_freed_memory()
    try:
        report = validate(args.path)
    except Unusable as exc:
        print(f"lcplan validate: {exc}", file=sys.stderr)
        return EXIT_UNUSABLE
    code = report.exit_code(strict=args.strict)
    out = {"text": format_text, "json": format_json, "github": format_github}[args.format](report, args.strict)
    try:
        print(out)
        sys.stdout.flush()
    except BrokenPipeError:  # the reader went away (`| head -1`): the verdict still follows the data
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return code


JEMALLOC_DECAY_MS = 100  # pyarrow's freed pages go back to the system after this long


def _return_freed_memory() -> None:
    """Have the allocators give freed memory back to the system (glibc at once, pyarrow soon).

    A validation reads a large package in batches, freeing each one's arrays. glibc raises its
    threshold for returning memory as it sees large blocks freed, and keeps them; pyarrow's
    allocator keeps freed pages for a while. Either way the process would stay at its largest
    batches many times over. Measured at a million wrapped items: 1,049 MiB peak as installed,
    868 with glibc's threshold fixed at 1 MiB; at three million, 1,862 MiB with that alone and
    1,666 with pyarrow's jemalloc returning pages at once. The threshold is 16 MiB, not 1: each
    block above it is fresh pages from the system, and the faults cost time (three million
    wrapped items, side by side: 1,606 MiB in 40.8 s at 1 MiB, 1,615 MiB in 35.0 s at 16 MiB).
    pyarrow's jemalloc gives pages back after :data:`JEMALLOC_DECAY_MS`, not at once: at once,
    each batch faulted its pages in afresh (pyarrow 26; whole processes side by side, medians of 3
    alternating: a million wrapped items 4.46 s and 709 MiB at once, 3.91 s and 750 MiB after
    100 ms; three million, 13.87 s and 1,662 MiB against 12.59 s and 1,710 MiB).
    Where the C library is not glibc or pyarrow has no jemalloc, that part is left as it is."""
    import ctypes
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.mallopt(ctypes.c_int(-3), ctypes.c_int(16 << 20))  # M_MMAP_THRESHOLD
    except (OSError, AttributeError):
        pass
    import pyarrow as pa

    try:
        pa.set_memory_pool(pa.jemalloc_memory_pool())
        pa.jemalloc_set_decay_ms(JEMALLOC_DECAY_MS)
    except (NotImplementedError, AttributeError, pa.ArrowException):
        pass


def _positive(value: str) -> int:
    """An argument that must be a whole number of at least 1."""
    if not value.strip().isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number of at least 1")
    return int(value)


def _read_input(file: str, command: str) -> str | None:
    """A UTF-8 text file's text (``-``: standard input), or None after saying why it cannot be read."""
    try:
        return sys.stdin.read() if file == "-" else open(file, encoding="utf-8-sig").read()
    except (OSError, UnicodeDecodeError) as exc:
        reason = f"not UTF-8 ({exc.reason} at byte {exc.start})" if isinstance(exc, UnicodeDecodeError) \
            else (exc.strerror or str(exc))
        print(f"lcplan {command}: cannot read {file!r}: {reason}", file=sys.stderr)
        return None


def _claims(args: argparse.Namespace) -> int:
    import csv
    import json

    from lcplan.claims import Claim, extract_claims

    text = _read_input(args.file, "claims")
    if text is None:
        return 2
    # the table's columns and the extractor's two guesses for review (is it a target, and of what)
    claims = [{**c.to_dict(), "is_target": c.is_target, "subject": c.subject} for c in extract_claims(text)]
    if args.format == "json":
        print(json.dumps(claims, indent=2, ensure_ascii=False))
    else:
        writer = csv.DictWriter(sys.stdout, fieldnames=list(Claim.__dataclass_fields__), lineterminator="\n")
        writer.writeheader()
        writer.writerows(claims)
    return 0


def _match(args: argparse.Namespace) -> int:
    from lcplan.loaders import load
    from lcplan.matching import draft_crosswalk

    package = args.package
    docs = set(load("documents", package)["document_id"])
    for doc in (args.old, args.new):
        if doc not in docs:
            print(f"lcplan match: no document {doc!r}; the documents are: {', '.join(sorted(docs))}", file=sys.stderr)
            return 2
    groups = [tuple(k.strip() for k in g.split(",") if k.strip()) for g in args.kinds] if args.kinds else None
    known = set(load("items", package)["kind"].astype(str))
    unknown = sorted({k for g in groups or [] for k in g} - known)
    if unknown:
        print(f"lcplan match: no items of kind {unknown}; the kinds are: {', '.join(sorted(known))}", file=sys.stderr)
        return 2
    draft = draft_crosswalk(args.old, args.new, groups=groups, package=package)
    text_of = load("items", package).set_index("item_id")["text"]
    draft = draft.assign(from_text=draft["from_item_id"].map(text_of), to_text=draft["to_item_id"].map(text_of))
    draft = draft[["from_item_id", "to_item_id", "relation", "score", "from_text", "to_text", "note"]]
    text = draft.to_csv(index=False, lineterminator="\n")
    if args.out:
        with open(args.out, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        counts = draft["relation"].value_counts().to_dict()
        print(f"lcplan match: {len(draft)} draft rows written to {args.out} ({counts}); review before use")
    else:
        sys.stdout.write(text)
    return 0


def _report(args: argparse.Namespace) -> int:
    from pathlib import Path

    from lcplan.report import build_report

    from lcplan.paths import NotACheckout

    if args.corpus and args.package:
        print("lcplan report: give --package or --corpus, not both", file=sys.stderr)
        return 2
    if args.corpus:
        from lcplan.corpus.corpus import CorpusError, read_corpus

        try:
            read_corpus(args.corpus)
        except CorpusError as exc:
            print(f"lcplan report: {exc}", file=sys.stderr)
            return 2
    try:
        index = build_report(Path(args.out) if args.out else None, package=args.corpus or args.package)
    except NotACheckout as exc:
        print(f"lcplan report: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # a notebook that failed on this package: its name and the error's last line
        if type(exc).__name__ != "CellExecutionError":
            raise
        import re

        last = [line for line in re.sub(r"\x1b\[[0-9;]*m", "", str(exc)).splitlines() if line.strip()]
        print(f"lcplan report: a notebook failed on this package: {last[-1] if last else type(exc).__name__}",
              file=sys.stderr)
        return 1
    print(f"lcplan report: {index} (open it in a browser; it works offline, from file://)")
    return 0


def _export(args: argparse.Namespace) -> int:
    from pathlib import Path

    from lcplan.export import export

    files = export(args.format, Path(args.out), package=args.package)  # a missing library: main() names the extra
    for f in files:
        print(f)
    return 0


def _describe(args: argparse.Namespace) -> int:
    from lcplan.dictionary import read_records, table_markdown
    from lcplan.loaders import load, package_folder, tables

    if args.table not in tables():
        print(f"lcplan describe: no table {args.table!r}; the tables are: {', '.join(tables())}", file=sys.stderr)
        return 2
    load("documents", args.package)  # a package given is validated first (main() reports a bad one)
    folder = package_folder(args.package)
    print(table_markdown(args.table, read_records(folder / "data" / f"{args.table}.csv", missing_ok=True)))
    return 0


def _info(args: argparse.Namespace) -> int:
    import json

    from lcplan._version import __version__
    from lcplan.loaders import load, package_folder

    load("documents", args.package)  # a package given is validated first (main() reports a bad one)
    folder = package_folder(args.package)
    d = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    print(f"lcplan {__version__}; data package {d['name']} {d['version']}")
    print(f"data: {folder}")
    print("\ntables:")
    for res in d["resources"]:
        if res.get("type") == "table":
            with open(folder / res["path"], encoding="utf-8") as fh:
                rows = sum(1 for _ in fh) - 1
            print(f"  {res['name']:<16} {rows:>6} rows  {res['path']}")
    print("\nsources:")
    for s in d.get("sources", []):
        print(f"  {s['title']}\n    {s.get('path', '')}" + (f"\n    sha256 {s['sha256']}" if "sha256" in s else ""))
    return 0


def _ingest(args: argparse.Namespace) -> int:
    from pathlib import Path

    from lcplan.ingest import IngestError, ingest, progress_bar

    try:
        result = ingest(Path(args.source), args.document_id, args.organisation, args.title, args.plan_year,
                        out=Path(args.out) if args.out else None, into=Path(args.into) if args.into else None,
                        period_start=args.period_start, period_end=args.period_end,
                        hints=Path(args.hints) if args.hints else None, document_type=args.document_type,
                        progress=progress_bar(), embeddings=args.embeddings)
    except IngestError as exc:
        print(f"lcplan ingest: {exc}", file=sys.stderr)
        return 2
    d = result.draft
    kinds: dict[str, int] = {}
    for item in d.parsed.items:
        kinds[item.kind] = kinds.get(item.kind, 0) + 1
    print(f"lcplan ingest: {args.document_id} -> {result.package}")
    print(f"  plan file: {result.plan_path} (review it: the guesses are listed at its end)")
    print(f"  {len(d.parsed.sections)} sections, {len(d.parsed.items)} items: "
          + ", ".join(f"{n} {k}" for k, n in sorted(kinds.items(), key=lambda kv: -kv[1])))
    if d.coverage is not None:
        c = d.coverage
        print(f"  coverage: {c.share:.1%} of the text's characters in statements and headings; "
              f"{len(c.furniture)} line(s) are furniture, each with its reason in the plan file"
              + (f"; {len(c.unaccounted)} line(s) in none of these" if c.unaccounted else ""))
    todo = sum(n.what == "claim" for n in d.notes)
    print(f"  {result.claims} claims found; {todo} to review (write the subject of their [[claims]] entries)")
    if result.crosswalk_draft:
        print(f"  draft crosswalk against the organisation's earlier plan: {result.crosswalk_draft}")
    if result.topics_draft:
        import csv

        with open(result.topics_draft, newline="", encoding="utf-8") as f:
            status = [r["status"] for r in csv.DictReader(f) if r["rank"] == "1"]
        coder = "automatic coder, with sentence embeddings" if args.embeddings else "automatic coder"
        print(f"  topics ({coder}): a confident suggestion for {status.count('suggested')} of {len(status)} "
              f"statements, the rest marked to review: {result.topics_draft}")
    unsure = [n for n in d.notes if n.what != "claim"]
    if unsure:
        print(f"  unsure of {len(unsure)} thing(s):")
        for n in unsure:
            print(f"    line {n.line if n.line else '-':>5}: {n.what}: {n.detail}")
    verdict = "passes" if result.report.ok else "FAILS"
    print(f"  lcplan validate {verdict}: {len(result.report.errors)} error(s), {len(result.report.warnings)} warning(s)")
    return 0 if result.report.ok else 1


def _topics(args: argparse.Namespace) -> int:
    from lcplan.text import markdown_heading
    from lcplan.topics import code_topics

    text = _read_input(args.file, "topics")
    if text is None:
        return 2
    statements, context, heading = [], [], None
    for line in text.splitlines():
        line = line.strip()
        md = markdown_heading(line)
        if md or set(line) == {"#"}:  # a Markdown heading: the context of the statements after it
            heading = md[1] if md else None
        elif line:
            statements.append(line)
            context.append(heading)
    if not statements:
        print("lcplan topics: no statements (one a line)", file=sys.stderr)
        return 2
    title = args.title.strip()
    out = code_topics(statements, top=args.top, package=args.package,
                      context=[" ".join(filter(None, (c, title))) for c in context], embeddings=args.embeddings)
    print(out.to_csv(index=False), end="")
    return 0


def _search(args: argparse.Namespace) -> int:
    import csv
    import textwrap

    from lcplan.corpus.search import RESULT, SearchError, search_rows

    try:
        packages = args.package or None
        if args.corpus:
            from lcplan.corpus.corpus import read_corpus

            packages = [*(packages or []), *read_corpus(args.corpus).packages]
        found = search_rows(args.query, packages=packages, organisation=args.organisation,
                            kind=args.kind, years=args.years, limit=args.limit)
    except (SearchError, OSError, ValueError) as exc:  # nothing to look for; a package, corpus or cache not there
        print(f"lcplan search: {exc}", file=sys.stderr)
        return 2
    if args.format == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=[c for c in RESULT if c != "score"], extrasaction="ignore",
                                lineterminator="\n")
        writer.writeheader()
        writer.writerows(found)
        return 0
    if not found:
        print(f"lcplan search: no statement matches {args.query!r}", file=sys.stderr)
        return 1
    for r in found:
        title = f"{r['title']}: " if r["title"] else ""
        print(f"{r['organisation']} {r['plan_year']} · {r['kind']} · {r['item_id']} "
              f"(lines {r['line_start']}-{r['line_end']})")
        print(textwrap.indent(textwrap.fill(title + r["text"], width=100), "  "))
    print(f"\n{len(found)} statement(s)" + (" (the first --limit)" if len(found) == args.limit else ""))
    return 0


def _corpus(args: argparse.Namespace) -> int:
    from lcplan.corpus.corpus import CorpusError, add_package, read_corpus

    if args.action == "add" and not args.path:
        print("lcplan corpus add: give the package's folder (lcplan corpus add PATH)", file=sys.stderr)
        return 2
    try:
        if args.action == "add":
            corpus, new = add_package(args.corpus, args.path)
            print(f"lcplan corpus: {args.path} {'added to' if new else 'is already in'} {corpus.path} "
                  f"({len(corpus.packages)} package(s))")
            return 0
        corpus = read_corpus(args.corpus)
    except CorpusError as exc:
        print(f"lcplan corpus: {exc}", file=sys.stderr)
        return 2
    if args.action == "list":
        for folder in corpus.packages:
            print(folder)
        return 0
    from lcplan.builder import BuildError, build
    from lcplan.loaders import forget, load

    failed = 0
    for folder in corpus.packages:  # build each package, then read it (validated): one line each
        try:
            written = build(package=folder)
            forget()
            docs = load("documents", folder)
            print(f"  {folder.name}: built ({len(written)} file(s) written), {len(docs)} document(s) of "
                  f"{docs['organisation'].nunique()} organisation(s)")
        except BuildError as exc:
            failed += 1
            print(f"  {folder.name}: does not build: {exc}", file=sys.stderr)
    print(f"lcplan corpus: {len(corpus.packages) - failed} of {len(corpus.packages)} package(s) built and valid")
    return 1 if failed else 0


def _cite(args: argparse.Namespace) -> int:
    from lcplan.citation import cite

    print(cite(args.style, package=args.package))
    return 0


PACKAGE_HELP = ("a package in lcplan's layout (its folder or datapackage.json), validated first; "
                "default: the shipped one")
EMBEDDINGS_HELP = ("the topic coder also reads the statements with sentence embeddings (all-MiniLM-L6-v2, "
                   "local): better suggestions across bodies' plans; needs the embeddings extra")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="lcplan", description="The plans of public bodies as data: build, validate, ingest, analyse.")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("build", help="generate the tables and datapackage.json from the plan texts")
    p.add_argument("--check", action="store_true", help="write nothing; exit 1 if the committed files differ")
    p.add_argument("--package", help="a package folder in lcplan's layout (package.toml, plans/, sources/); "
                                     "default: the checkout's shipped package")
    p.set_defaults(func=_build)
    p = sub.add_parser(
        "validate", help="check a data package in lcplan's layout",
        description="Check a data package (a datapackage.json or its folder): descriptor, files, rows, "
                    "integrity and warnings. Exit 0 valid, 1 invalid data, 2 unusable input or usage.")
    p.add_argument("path", help="datapackage.json or the folder that holds it")
    p.add_argument("--format", choices=("text", "json", "github"), default="text",
                   help="text for people (default), json (stable shape), github (Actions annotations)")
    p.add_argument("--strict", action="store_true", help="exit 1 on warnings too")
    p.set_defaults(func=_validate)
    p = sub.add_parser(
        "ingest", help="draft a plan from its PDF or text into a validated package, for review",
        description="Read a plan (PDF, .txt or .md) into a draft: guessed hints in plans/<document_id>.toml, "
                    "the source (and PDF) in sources/, the tables built and validated. Re-run with --hints "
                    "(the reviewed plan file) to rebuild it.")
    p.add_argument("source", help="the plan: a .pdf, .txt or .md file")
    p.add_argument("--document-id", required=True, help="e.g. kb-cp-2024-28: organisation, document, years")
    p.add_argument("--organisation", required=True)
    p.add_argument("--title", required=True)
    p.add_argument("--plan-year", required=True, help="YYYY/YY, e.g. 2024/25 (or 2024/28 for several years)")
    p.add_argument("--period-start", help="YYYY-MM-DD (default: 1 April of the first year)")
    p.add_argument("--period-end", help="YYYY-MM-DD (default: 31 March after the last year)")
    p.add_argument("--document-type", help="default: guessed from the title")
    p.add_argument("--hints", help="a plan file (or its [reader] table) to use instead of guessing")
    where = p.add_mutually_exclusive_group(required=True)
    where.add_argument("--out", help="write a new package here")
    where.add_argument("--into", help="add the plan to this existing package")
    p.add_argument("--embeddings", action="store_true", help=EMBEDDINGS_HELP)
    p.set_defaults(func=_ingest)
    p = sub.add_parser("topics", help="suggest Comparative Agendas Project major topics for statements, with scores")
    p.add_argument("file", help="a UTF-8 text file with one statement a line, or - for standard input; a "
                   "Markdown heading (# and a space) is read as the context of the statements under it")
    p.add_argument("--top", type=_positive, default=3, help="suggestions per statement (default 3)")
    p.add_argument("--title", default="", help="the document's title, read as context of every statement")
    p.add_argument("--package", help=PACKAGE_HELP + "; the coder also learns from its coded statements")
    p.add_argument("--embeddings", action="store_true", help=EMBEDDINGS_HELP)
    p.set_defaults(func=_topics)
    p = sub.add_parser("claims", help="list the quantities a text asserts, with normalised values and offsets")
    p.add_argument("file", help="a UTF-8 text file, or - for standard input")
    p.add_argument("--format", choices=("csv", "json"), default="csv")
    p.set_defaults(func=_claims)
    p = sub.add_parser("match", help="draft a crosswalk between two documents of the package, for review")
    p.add_argument("old", help="document_id of the earlier plan (see `lcplan info`)")
    p.add_argument("new", help="document_id of the later plan")
    p.add_argument("--kinds", action="append", metavar="KIND[,KIND...]",
                   help="kinds compared with each other, e.g. --kinds priority,work_area --kinds theme "
                        "(default: the kinds the curated crosswalk links)")
    p.add_argument("--out", help="write the draft CSV here (default: standard output)")
    p.add_argument("--package", help=PACKAGE_HELP)
    p.set_defaults(func=_match)
    p = sub.add_parser("report", help="execute the notebooks and write the HTML report (build/report)")
    p.add_argument("--out", help="output folder (default: build/report in the checkout)")
    p.add_argument("--package", help=PACKAGE_HELP)
    p.add_argument("--corpus", help="a corpus.toml, or its folder: a report of every plan of every package it names")
    p.set_defaults(func=_report)
    p = sub.add_parser("export", help="write every table as parquet, sqlite, duckdb, xlsx or json")
    p.add_argument("--format", required=True, choices=("parquet", "sqlite", "duckdb", "xlsx", "json"))
    p.add_argument("--out", required=True, help="output folder")
    p.add_argument("--package", help=PACKAGE_HELP)
    p.set_defaults(func=_export)
    p = sub.add_parser("describe", help="print one table's part of the data dictionary")
    p.add_argument("table")
    p.add_argument("--package", help=PACKAGE_HELP)
    p.set_defaults(func=_describe)
    p = sub.add_parser("info", help="version, tables, row counts, sources and where the data lives")
    p.add_argument("--package", help=PACKAGE_HELP)
    p.set_defaults(func=_info)
    p = sub.add_parser("cite", help="how to cite this version of the dataset")
    p.add_argument("--style", choices=("text", "bibtex"), default="text")
    p.add_argument("--package", help=PACKAGE_HELP)
    p.set_defaults(func=_cite)
    p = sub.add_parser("search", help="find statements by their words, across one or more packages")
    p.add_argument("query", help='words that must all occur (stemmed); "quoted words" must occur together')
    p.add_argument("--package", action="append", help=PACKAGE_HELP + "; give it again to search several")
    p.add_argument("--corpus", help="every package of this corpus.toml (or its folder)")
    p.add_argument("--organisation", action="append", help="only this body's plans (again for several)")
    p.add_argument("--kind", action="append", help="only statements of this kind (again for several)")
    p.add_argument("--years", action="append", help="only plans of this plan year, as the documents table prints it")
    p.add_argument("--limit", type=_positive, default=50, help="at most this many results (default 50)")
    p.add_argument("--format", choices=("text", "csv"), default="text")
    p.set_defaults(func=_search)
    p = sub.add_parser("corpus", help="a corpus.toml naming packages read together: add one, list, or build them all")
    p.add_argument("action", choices=("add", "list", "build"))
    p.add_argument("path", nargs="?", help="with add: the package folder to add")
    p.add_argument("--corpus", default="corpus.toml", help="the corpus file (or its folder; default ./corpus.toml)")
    p.set_defaults(func=_corpus)
    p = sub.add_parser("summary", help="print items per document and kind")
    p.add_argument("--package", help=PACKAGE_HELP)
    p.set_defaults(func=_summary)
    args = parser.parse_args(argv)
    import os

    try:
        os.getcwd()
    except OSError:  # the working directory was deleted: some libraries ask for it on import
        os.chdir(os.path.expanduser("~") if os.path.isdir(os.path.expanduser("~")) else os.sep)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 130
    except ImportError as exc:  # one helper (lcplan.extras) says which extra to install
        from lcplan.extras import missing

        extra = missing(exc)
        msg = str(extra) if extra else f"{exc.name or 'a library'} is not installed ({exc})"
        print(f"lcplan {args.command}: {msg}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # the reader went away (e.g. `| head`): not an error
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:  # never a traceback for the user; say what broke
        problems = sys.modules.get("lcplan.validate.problems")  # loaded if a package was validated
        if problems is not None and isinstance(exc, problems.ValidationError):
            print(f"lcplan {args.command}: the package is not valid: {exc} (`lcplan validate "
                  f"{exc.report.path}` lists them)", file=sys.stderr)
            return 1
        if problems is not None and isinstance(exc, problems.Unusable):
            print(f"lcplan {args.command}: {exc}", file=sys.stderr)
            return 2
        print(f"lcplan {args.command}: internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
