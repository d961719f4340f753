"""A corpus of the development PDFs, searched: ingest each PDF of ``../shared/corpus`` into a
package of its own (no hints; the organisation and title from the corpus's MANIFEST.csv), name
them all in a ``corpus.toml``, build the corpus, index it, and time ``lcplan search "net zero"``.

Prints per document the statements its draft holds, then the timings on this machine: the
corpus build, the index build (from scratch), and queries after the index is built, in process
(``lcplan.search``) and as a whole ``lcplan search --corpus`` process, medians of ``--runs``,
with the load average. Aim (issue 21): under 100 ms a query after the index is built.

    python benchmarks/corpus_search.py [--runs 5] [--keep FOLDER]
"""

from __future__ import annotations

import argparse
import csv
import os
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
sys.path.insert(0, str(Path(__file__).resolve().parent))
QUERIES = ("net zero", "open data", '"road safety"', "housing for older people", "zzzqqq")


def _ingest(args: tuple[str, str, str, str]) -> tuple[str, int, str]:
    from ingest_corpus import doc_id

    pdf, organisation, title, out = args
    result = subprocess.run([sys.executable, "-m", "lcplan.cli", "ingest", pdf, "--document-id",
                             doc_id(Path(pdf).stem), "--organisation", organisation, "--title", title,
                             "--plan-year", "2020/21", "--out", out], capture_output=True, text=True)
    return Path(pdf).stem, result.returncode, result.stderr[-300:]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--keep", help="build the corpus here and keep it (default: a temporary folder)")
    args = ap.parse_args()
    if not CORPUS.is_dir():
        raise SystemExit(f"no corpus at {CORPUS}")
    with open(CORPUS / "MANIFEST.csv", newline="", encoding="utf-8") as f:
        manifest = {Path(r["file"]).stem: r for r in csv.DictReader(f)}
    root = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="lcplan-corpus-"))
    root.mkdir(parents=True, exist_ok=True)
    os.environ["LCPLAN_CACHE"] = str(root / "cache")
    pdfs = sorted((CORPUS / "pdf").glob("*.pdf"))
    jobs = [(str(p), manifest[p.stem]["organisation"], manifest[p.stem]["title"], str(root / "packages" / p.stem))
            for p in pdfs if not (root / "packages" / p.stem / "datapackage.json").is_file()]
    t0 = time.perf_counter()
    with ProcessPoolExecutor(2) as pool:
        for stem, code, err in pool.map(_ingest, jobs):
            if code:
                print(f"  {stem}: not drafted ({err.strip().splitlines()[-1] if err.strip() else code})")
    ingest_s = time.perf_counter() - t0
    from lcplan.corpus.corpus import add_package

    for p in pdfs:
        if (root / "packages" / p.stem / "datapackage.json").is_file():
            add_package(root, root / "packages" / p.stem)
    import lcplan
    from lcplan.corpus.corpus import read_corpus
    from lcplan.corpus.index import index_for

    corpus = read_corpus(root)
    t0 = time.perf_counter()
    built = subprocess.run([sys.executable, "-m", "lcplan.cli", "corpus", "build", "--corpus", str(root)],
                           capture_output=True, text=True)
    build_s = time.perf_counter() - t0
    items = lcplan.load("items", corpus=root)
    print(f"{len(corpus.packages)} of {len(pdfs)} PDFs drafted into packages in {ingest_s:.0f} s; corpus build "
          f"exit {built.returncode} in {build_s:.1f} s; {len(items):,} statements\n")
    print("| package | organisation | statements |\n|---|---|---:|")
    for (pkg, org), n in items.groupby(["package", "organisation"]).size().items():
        print(f"| {pkg} | {org} | {n} |")
    packages = list(corpus.packages)
    t0 = time.perf_counter()
    index_for(packages, rebuild=True)
    index_s = time.perf_counter() - t0
    print(f"\nindex built from scratch in {index_s:.2f} s; load average {os.getloadavg()[0]:.2f}; "
          f"medians of {args.runs} runs\n")
    print("| query | results | in process, ms | whole `lcplan search --corpus` process, ms |\n|---|---:|---:|---:|")
    for q in QUERIES:
        inproc, whole = [], []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            lcplan.search(q, packages=packages, limit=50)
            inproc.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            subprocess.run([sys.executable, "-m", "lcplan.cli", "search", q, "--corpus", str(root)],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            whole.append(time.perf_counter() - t0)
        n = len(lcplan.search(q, packages=packages, limit=None))
        print(f"| `{q}` | {n:,} | {1000 * statistics.median(inproc):.1f} | {1000 * statistics.median(whole):.0f} |")


if __name__ == "__main__":
    main()
