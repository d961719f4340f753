"""Validation by shape and size: `lcplan validate` beside `frictionless validate` and a bare read.

For each shape of data (see synthetic.py) and each size, generates a valid package and times
three whole processes side by side, one after the other, with their peak memory (max RSS):

- `lcplan validate PKG`
- `frictionless validate PKG/datapackage.json` (the official CLI; only up to --frictionless-max)
- the baseline: `pyarrow.csv.read_csv(items.csv)` in a bare interpreter

and prints the ratios (frictionless / lcplan, lcplan / bare read) and how lcplan's time grows
from one size to the next (1.0 per 10x size means linear). With ``--repeat N`` each process
runs N times, in turn with the others (alternating, so that a change in the machine's load
falls on all of them), and the medians are printed, with lcplan's CPU seconds (user + system)
and the load average before and after. With ``--baseline DIR`` a checkout of lcplan at another
commit runs beside this one, in the same turns (its time, memory, and this one's ratio to it).

Shapes (see synthetic.py): `single` (one line a statement, ASCII), `wrapped` (statements over
one to five lines, hyphenation, curly quotes, pound signs, accents, a sub-item in five), `deep`
(parent chains 100 deep), `manydocs` (a document per 100 items), `unicode` (long statements in
several scripts), `invalid` (one row in ten broken; lcplan must exit 1).

    python benchmarks/validate_shapes.py [--sizes 10000 100000 1000000] [--frictionless-max 100000]
        [--repeat 3] [--baseline /path/to/other/checkout]
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from validate_1m import BIN, measure  # noqa: E402

REPO = Path(__file__).resolve().parents[1]

BARE = ("import sys, pyarrow.csv as c; t = c.read_csv(sys.argv[1], "
        "parse_options=c.ParseOptions(newlines_in_values=True)); print(t.num_rows)")


def _lcplan(checkout: Path, pkg: Path) -> tuple[list[str], dict, str]:
    """The command, environment and working folder that run ``lcplan validate`` from a checkout."""
    env = {**os.environ, "PYTHONPATH": str(checkout)}
    return [sys.executable, "-m", "lcplan.cli", "validate", str(pkg)], env, "/"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    ap.add_argument("--shapes", nargs="+", default=["single", "wrapped", "deep", "manydocs", "unicode", "invalid"])
    ap.add_argument("--frictionless-max", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--baseline", type=Path, default=None, help="another checkout of lcplan to run beside this one")
    ap.add_argument("--baseline-max", type=int, default=10**9, help="the largest size the baseline runs at")
    args = ap.parse_args()
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}; {os.cpu_count()} CPUs; "
          f"medians of {args.repeat} alternating run(s)")
    base = f" {'base s':>7} {'base MiB':>8} {'base/now':>8}" if args.baseline else ""
    print(f"{'shape':<8} {'items':>9} {'lcplan s':>9} {'cpu s':>6} {'MiB':>6} {'bare s':>7} {'frictionless s':>15} "
          f"{'MiB':>6} {'fl/lcplan':>10} {'lcplan/bare':>12} {'growth':>7}{base}")
    with tempfile.TemporaryDirectory() as tmp:
        for shape in args.shapes:
            last = first = None
            for n in args.sizes:
                pkg = Path(tmp) / f"{shape}-{n}"
                # made in a process of its own, so that this one stays small: a child's peak memory
                # (max RSS) counts what it inherits before it starts the program measured
                subprocess.run([sys.executable, "-c", "import sys; sys.path.insert(0, sys.argv[1]); "
                                "from synthetic import make_package; from pathlib import Path; "
                                "make_package(Path(sys.argv[2]), int(sys.argv[3]), shape=sys.argv[4])",
                                str(Path(__file__).parent), str(pkg), str(n), shape], check=True)
                runs: dict[str, list] = {"lcplan": [], "bare": [], "fl": [], "base": []}
                for _ in range(args.repeat):  # in turn, so that the machine's load falls on each alike
                    cmd, env, cwd = _lcplan(REPO, pkg)
                    runs["lcplan"].append(measure(cmd, env, cwd))
                    code = runs["lcplan"][-1][3]
                    assert code == (1 if shape == "invalid" else 0), f"{shape} {n}: lcplan validate exit {code}"
                    if args.baseline and n <= args.baseline_max:
                        runs["base"].append(measure(*_lcplan(args.baseline, pkg)))
                    runs["bare"].append(measure([sys.executable, "-c", BARE, str(pkg / "data" / "items.csv")]))
                    if n <= args.frictionless_max:
                        runs["fl"].append(measure([str(BIN / "frictionless"), "validate",
                                                   str(pkg / "datapackage.json")]))

                def med(kind: str, k: int) -> float:
                    return statistics.median(r[k] for r in runs[kind])

                secs, cpu, mem, bare = med("lcplan", 0), med("lcplan", 1), med("lcplan", 2), med("bare", 0)
                if runs["fl"]:
                    fl, fl_mem = med("fl", 0), med("fl", 2)
                    fl_cells = f"{fl:>15.2f} {fl_mem:>6.0f} {fl / secs:>10.1f}"
                else:
                    fl_cells = f"{'-':>15} {'-':>6} {'-':>10}"
                growth = (f"{math.log(secs / last[1]) / math.log(n / last[0]):>7.2f}" if last else f"{'-':>7}")
                base_cells = (f" {med('base', 0):>7.2f} {med('base', 2):>8.0f} {med('base', 0) / secs:>8.2f}"
                              if runs["base"] else f" {'-':>7} {'-':>8} {'-':>8}" if args.baseline else "")
                print(f"{shape:<8} {n:>9,} {secs:>9.2f} {cpu:>6.2f} {mem:>6.0f} {bare:>7.2f} {fl_cells} "
                      f"{secs / bare:>12.1f} {growth}{base_cells}", flush=True)
                last = (n, secs)
                first = first or last
            if first and last and last[0] > first[0]:
                print(f"{shape:<8} growth from {first[0]:,} to {last[0]:,} items: "
                      f"{math.log(last[1] / first[1]) / math.log(last[0] / first[0]):.2f}", flush=True)
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
