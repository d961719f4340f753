"""Search at scale: the FTS5 index of a synthetic package of wrapped, plan-shaped statements.

Builds a valid synthetic package (``benchmarks/synthetic.py``, shape ``wrapped``: 12 to 40 words
of plan vocabulary a statement, with pound signs, curly quotes and accents), then times, on this
machine, beside a baseline of reading the same items with ``lcplan.load``:

- building the index from scratch (aim: under 30 s at 100,000 statements);
- queries against the built index, in process (``lcplan.search``) and as a whole
  ``lcplan search`` process (aim: under 100 ms a query after the index is built);

medians of the runs given, with the load average printed.

    python benchmarks/search.py [--items 100000] [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

QUERIES = ("council services", '"fair funding"', "transport investment", "naïve café", "zzzqqq")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--items", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    from synthetic import make_package

    import lcplan
    from lcplan.corpus.index import index_for
    from lcplan.loaders import forget

    with tempfile.TemporaryDirectory() as tmp:
        os.environ["LCPLAN_CACHE"] = str(Path(tmp) / "cache")
        pkg = make_package(Path(tmp) / "pkg", args.items, shape="wrapped")
        lcplan.load("items", pkg)  # validated once, as a search validates it before indexing
        loads, builds = [], []
        for _ in range(args.runs):
            forget()
            t0 = time.perf_counter()
            lcplan.load("items", pkg)
            loads.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            index_for([pkg], rebuild=True)
            builds.append(time.perf_counter() - t0)
        size = index_for([pkg]).stat().st_size
        print(f"{args.items:,} statements; load average {os.getloadavg()[0]:.2f}; medians of {args.runs} runs\n")
        load, build = statistics.median(loads), statistics.median(builds)
        print("| step | seconds | against the baseline |\n|---|---:|---:|")
        print(f"| baseline: lcplan.load('items') | {load:.2f} | 1.0x |")
        print(f"| build the index (aim under 30 s) | {build:.2f} | {build / load:.1f}x |")
        print(f"\nindex: {size / 1e6:.1f} MB\n")
        print("| query | results | in process, ms | whole `lcplan search` process, ms |\n|---|---:|---:|---:|")
        env = {**os.environ, "LCPLAN_CACHE": os.environ["LCPLAN_CACHE"]}
        for q in QUERIES:
            inproc = []
            for _ in range(args.runs):
                t0 = time.perf_counter()
                found = lcplan.search(q, packages=[pkg], limit=50)
                inproc.append(time.perf_counter() - t0)
            n = len(lcplan.search(q, packages=[pkg], limit=None))
            whole = []
            for _ in range(args.runs):
                t0 = time.perf_counter()
                subprocess.run([sys.executable, "-m", "lcplan.cli", "search", q, "--package", str(pkg)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
                whole.append(time.perf_counter() - t0)
            print(f"| `{q}` | {n:,} | {1000 * statistics.median(inproc):.1f} | {1000 * statistics.median(whole):.0f} |")
            del found


if __name__ == "__main__":
    main()
