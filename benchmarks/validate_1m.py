"""Validation at scale: `lcplan validate` against `frictionless validate` and a bare read.

Generates a valid synthetic package (1,000,000 items by default, documents and sections to
match, see synthetic.py), then times three whole processes side by side, one run each in
turn, and reports wall time and peak memory (max RSS of that process):

- `lcplan validate PKG`
- `frictionless validate PKG/datapackage.json` (the official CLI)
- the baseline: `pyarrow.csv.read_csv(items.csv)` in a bare interpreter

Then it injects 100 known errors of ten kinds at known rows and requires every one to be
reported at its row, field and check.

    python benchmarks/validate_1m.py [--items 1000000] [--skip-frictionless]
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from synthetic import make_package  # noqa: E402

BIN = Path(sys.executable).parent


def run(cmd: list[str], env: dict | None = None, cwd: str | None = None) -> tuple[float, float, int, str]:
    """(seconds, peak MiB, exit code, stdout) of one whole process."""
    secs, _, mem, code, out = measure(cmd, env, cwd)
    return secs, mem, code, out


def measure(cmd: list[str], env: dict | None = None, cwd: str | None = None) -> tuple[float, float, float, int, str]:
    """(wall seconds, CPU seconds (user + system), peak MiB, exit code, stdout) of one whole process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env, cwd=cwd)
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return (time.perf_counter() - start, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, proc.returncode,
            out)


# ten kinds of error, ten of each: (field, new value from the row, the check that must report it)
KINDS = [
    ("kind", lambda r: "wish", "isin"),
    ("position", lambda r: "x", "coerce_dtype"),
    ("section_id", lambda r: r["section_id"] + "-gone", "foreign_key"),
    ("text", lambda r: r["text"].replace("London", "Paris"), "text_verbatim_at_lines"),
    ("line_end", lambda r: "99999999", "lines_inside_source"),
    ("line_start", lambda r: str(int(r["line_end"]) + 1), "lines_in_order"),
    ("parent_item_id", lambda r: r["item_id"] + "9999", "foreign_key"),
    ("text", lambda r: "", "required"),
    ("label", lambda r: "abc", "str_matches"),
    ("label", lambda r: "0", "labels_in_order"),
]


def inject(pkg: Path, seed: int = 7) -> list[list]:
    """Break 100 rows of items.csv in place; return [row, field, check] for each."""
    path = pkg / "data" / "items.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    header = next(csv.reader([lines[0]]))
    rng = random.Random(seed)
    # rows spaced apart, never the first of a section (labels_in_order needs a predecessor)
    candidates = [i for i in range(2, len(lines) - 1, 7)
                  if int(next(csv.reader([lines[i]]))[5]) % 100 != 1]
    rows = sorted(rng.sample(candidates, 100))
    expected = []
    for n, i in enumerate(rows):
        rec = dict(zip(header, next(csv.reader([lines[i]]))))
        field, value, check = KINDS[n % len(KINDS)]
        rec[field] = value(rec)
        buf = io.StringIO()
        csv.writer(buf, lineterminator="").writerow([rec[h] for h in header])
        lines[i] = buf.getvalue()
        expected.append([i + 1, field, check])  # line i (0-based) is CSV row i + 1
    path.write_text("\n".join(lines), encoding="utf-8")
    return expected


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--skip-frictionless", action="store_true", help="skip the slow official validator")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        pkg = make_package(Path(tmp) / "pkg", args.items)
        size = (pkg / "data" / "items.csv").stat().st_size / 1e6
        print(f"synthetic package: {args.items:,} items ({size:.0f} MB items.csv), "
              f"{sum(1 for _ in open(pkg / 'data' / 'sections.csv')) - 1:,} sections, 10 documents")
        cases = {
            "baseline: pyarrow.csv.read_csv": [sys.executable, "-c",
                                               f"import pyarrow.csv as c; c.read_csv({str(pkg / 'data' / 'items.csv')!r})"],
            "lcplan validate": [str(BIN / "lcplan"), "validate", str(pkg)],
        }
        if not args.skip_frictionless:
            cases["frictionless validate"] = [str(BIN / "frictionless"), "validate", str(pkg / "datapackage.json")]
        results = {name: run(cmd) for name, cmd in cases.items()}
        base = results["baseline: pyarrow.csv.read_csv"][0]
        lc = results["lcplan validate"][0]
        print(f"\n{'process':<34} {'seconds':>8} {'peak MiB':>9} {'exit':>5} {'x baseline':>11} {'x lcplan':>9}")
        for name, (secs, mem, code, _) in results.items():
            print(f"{name:<34} {secs:8.2f} {mem:9.0f} {code:5d} {secs / base:11.2f} {secs / lc:9.2f}")
        assert results["lcplan validate"][2] == 0, "the synthetic package must validate clean"
        if "frictionless validate" in results:
            print(f"\nlcplan validate is {results['frictionless validate'][0] / lc:.1f} times faster than "
                  f"frictionless validate and takes {lc / base:.1f} times the bare read")
        from lcplan.paths import package_dir

        secs, mem, code, _ = run([str(BIN / "lcplan"), "validate", str(package_dir())])
        print(f"\nthe shipped package: lcplan validate {secs:.2f} s, {mem:.0f} MiB, exit {code}")
        expected = inject(pkg)
        secs, mem, code, out = run([str(BIN / "lcplan"), "validate", str(pkg), "--format", "json"])
        reported = {(p["row"], p["field"], p["check"]) for p in json.loads(out)["errors"]}
        found = [e for e in expected if tuple(e) in reported]
        missing = [e for e in expected if tuple(e) not in reported]
        print(f"\ninjected 100 errors of {len(KINDS)} kinds: {len(found)} reported at their row, field and check "
              f"(exit {code}, {secs:.2f} s, {mem:.0f} MiB, {len(reported)} problems in all)")
        if missing:
            print("missing:", missing[:10])
            sys.exit(1)


if __name__ == "__main__":
    main()
