"""Validation by shape and size: `lcplan validate` beside `frictionless validate` and a bare read.

For each shape of data (see synthetic.py) and each size, generates a valid package and times
three whole processes side by side, one after the other, with their peak memory (max RSS):

- `lcplan validate PKG`
- `frictionless validate PKG/datapackage.json` (the official CLI; only up to --frictionless-max)
- the baseline: `pyarrow.csv.read_csv(items.csv)` in a bare interpreter

and prints the ratios (frictionless / lcplan, lcplan / bare read) and how lcplan's time grows
from one size to the next (1.0 per 10x size means linear).

Shapes (see synthetic.py): `single` (one line a statement, ASCII), `wrapped` (statements over
one to five lines, hyphenation, curly quotes, pound signs, accents, a sub-item in five), `deep`
(parent chains 100 deep), `manydocs` (a document per 100 items), `unicode` (long statements in
several scripts), `invalid` (one row in ten broken; lcplan must exit 1).

    python benchmarks/validate_shapes.py [--sizes 10000 100000 1000000] [--frictionless-max 100000]
"""

from __future__ import annotations

import argparse
import math
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from validate_1m import BIN, run  # noqa: E402

BARE = ("import sys, pyarrow.csv as c; t = c.read_csv(sys.argv[1], "
        "parse_options=c.ParseOptions(newlines_in_values=True)); print(t.num_rows)")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    ap.add_argument("--shapes", nargs="+", default=["single", "wrapped", "deep", "manydocs", "unicode", "invalid"])
    ap.add_argument("--frictionless-max", type=int, default=100_000)
    args = ap.parse_args()
    print(f"{'shape':<8} {'items':>9} {'lcplan s':>9} {'MiB':>6} {'bare s':>7} {'frictionless s':>15} {'MiB':>6} "
          f"{'fl/lcplan':>10} {'lcplan/bare':>12} {'growth':>7}")
    with tempfile.TemporaryDirectory() as tmp:
        for shape in args.shapes:
            last = None
            for n in args.sizes:
                pkg = Path(tmp) / f"{shape}-{n}"
                # made in a process of its own, so that this one stays small: a child's peak memory
                # (max RSS) counts what it inherits before it starts the program measured
                subprocess.run([sys.executable, "-c", "import sys; sys.path.insert(0, sys.argv[1]); "
                                "from synthetic import make_package; from pathlib import Path; "
                                "make_package(Path(sys.argv[2]), int(sys.argv[3]), shape=sys.argv[4])",
                                str(Path(__file__).parent), str(pkg), str(n), shape], check=True)
                secs, mem, code, _ = run([str(BIN / "lcplan"), "validate", str(pkg)])
                assert code == (1 if shape == "invalid" else 0), f"{shape} {n}: lcplan validate exit {code}"
                bare, _, _, _ = run([sys.executable, "-c", BARE, str(pkg / "data" / "items.csv")])
                if n <= args.frictionless_max:
                    fl, fl_mem, fl_code, _ = run([str(BIN / "frictionless"), "validate",
                                                  str(pkg / "datapackage.json")])
                    fl_cells = f"{fl:>15.2f} {fl_mem:>6.0f} {fl / secs:>10.1f}"
                else:
                    fl_cells = f"{'-':>15} {'-':>6} {'-':>10}"
                growth = (f"{math.log(secs / last[1]) / math.log(n / last[0]):>7.2f}" if last else f"{'-':>7}")
                print(f"{shape:<8} {n:>9,} {secs:>9.2f} {mem:>6.0f} {bare:>7.2f} {fl_cells} {secs / bare:>12.1f} "
                      f"{growth}", flush=True)
                last = (n, secs)


if __name__ == "__main__":
    main()
