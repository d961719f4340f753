"""The report's search page at scale, in headless Chromium (Debian's, driven by Playwright):
page load and query time over synthetic packages shaped like real plans (``synthetic.py``,
wrapped statements), for the static index of :mod:`lcplan.corpus.pages` against the baseline,
the page as lcplan 0.2.0 wrote it (every statement embedded in the page as JSON, scanned on
each key press), run side by side, medians of ``--runs`` alternating runs.

    python benchmarks/report_search.py                  # 10,000 and 100,000 statements, 3 runs
    python benchmarks/report_search.py --sizes 100000 --runs 5

*page* is the time to the page's load event (for the index, also its table of contents);
*query* the time from a query typed to its results drawn, the first query of a fresh page (it
loads its index files), measured in the page with ``performance.now()``. Prints Markdown.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

QUERIES = ("council services", "cafe", "transp", "zzzqqq")  # many hits, an accent, a prefix, none
BASELINE_COMMIT = "67221ba"  # the search page as released (0.2.0) and shipped until this index replaced it


def _baseline_script() -> str:
    """The search script of the page before the index (read from git, so the baseline is the code as it was)."""
    source = subprocess.run(["git", "show", f"{BASELINE_COMMIT}:lcplan/report.py"], cwd=ROOT, check=True,
                            capture_output=True, text=True).stdout
    namespace: dict = {}
    start = source.index('SEARCH_SCRIPT = """')
    exec(source[start:source.index('"""', start + 20) + 3], namespace)
    return namespace["SEARCH_SCRIPT"] + ("\nwindow.LCPLAN_SEARCH = {last: null};\nbox.addEventListener('input', "
                                         "function () { const t = performance.now(); run(); LCPLAN_SEARCH.last = "
                                         "{query: box.value, ms: performance.now() - t, hits: null}; });\n")


def _sites(folder: Path, n: int) -> dict[str, Path]:
    from synthetic import make_package

    from lcplan.corpus.pages import SEARCH_SCRIPT, write_index

    package = make_package(folder / "pkg", n, n_docs=max(10, n // 2500), shape="wrapped")
    items = pd.read_csv(package / "data" / "items.csv", dtype=str, keep_default_na=False)
    records = [{"id": r.item_id, "text": r.text, "plan": r.document_id, "kind": r.kind,
                "lines": f"{r.line_start}-{r.line_end}", "href": "#"} for r in items.itertuples()]
    shell = ('<!DOCTYPE html><html><head><meta charset="utf-8"></head><body><input id="q"><span id="count"></span>'
             '<ol id="results"></ol><script>{}</script></body></html>')
    index_site = folder / "index"
    started = time.perf_counter()
    write_index(records, index_site / "search")
    built = time.perf_counter() - started
    (index_site / "search.html").write_text(shell.format(SEARCH_SCRIPT), encoding="utf-8")
    base_site = folder / "baseline"
    base_site.mkdir()
    data = [{"id": r["id"], "text": r["text"], "kind": r["kind"], "plan": r["plan"], "lines": r["lines"],
             "href": r["href"]} for r in records]
    (base_site / "search.html").write_text(shell.format(
        "const ITEMS = " + json.dumps(data, ensure_ascii=False).replace("</", "<\\/") + ";\n" + _baseline_script()),
        encoding="utf-8")
    size = sum(p.stat().st_size for p in (index_site / "search").iterdir())
    print(f"{n:,} statements: index written in {built:.2f} s, {size / 1e6:.1f} MB in "
          f"{len(list((index_site / 'search').iterdir()))} files; the baseline page is "
          f"{(base_site / 'search.html').stat().st_size / 1e6:.1f} MB", file=sys.stderr)
    return {"index": index_site / "search.html", "baseline": base_site / "search.html"}


def _measure(browser, page_path: Path, query: str) -> tuple[float, float]:
    page = browser.new_page()
    page.goto(page_path.as_uri())
    page.wait_for_function("() => document.getElementById('count').textContent !== ''")
    loaded = page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd")
    page.fill("#q", query)
    page.wait_for_function("q => window.LCPLAN_SEARCH && LCPLAN_SEARCH.last && LCPLAN_SEARCH.last.query === q",
                           arg=query)
    ms = page.evaluate("LCPLAN_SEARCH.last.ms")
    page.close()
    return loaded, ms


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        print("needs Debian's chromium (make chromium)", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    load = os.getloadavg()[0]
    print(f"Machine load (1 min) at start: {load:.2f}; {os.cpu_count()} cores; medians of {args.runs} alternating "
          "runs, a fresh page each.\n")
    print("| statements | query | page, baseline (ms) | page, index (ms) | ratio | query, baseline (ms) | "
          "query, index (ms) | ratio |")
    print("|---:|---|---:|---:|---:|---:|---:|---:|")
    with sync_playwright() as p, tempfile.TemporaryDirectory() as tmp:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
        for n in args.sizes:
            sites = _sites(Path(tmp) / str(n), n)
            for query in QUERIES:
                got: dict[str, list[tuple[float, float]]] = {"baseline": [], "index": []}
                for _ in range(args.runs):
                    for name in ("baseline", "index"):
                        got[name].append(_measure(browser, sites[name], query))
                page = {k: statistics.median(v[0] for v in runs) for k, runs in got.items()}
                ms = {k: statistics.median(v[1] for v in runs) for k, runs in got.items()}
                print(f"| {n:,} | {query} | {page['baseline']:.0f} | {page['index']:.0f} | "
                      f"{page['baseline'] / max(page['index'], 1e-9):.1f}x | {ms['baseline']:.0f} | "
                      f"{ms['index']:.0f} | {ms['baseline'] / max(ms['index'], 1e-9):.1f}x |")
        browser.close()
    print(f"\nMachine load (1 min) at the end: {os.getloadavg()[0]:.2f}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
