"""Load time: `import lcplan; lcplan.load("items")` against a bare `import pandas`, and the
whole-process validation of the shipped package (`lcplan validate`, aim 0.7 s).

Whole processes, run alternately in one session so that both see the same machine.
Prints the median of each, the gap and the ratio.

    python benchmarks/load_time.py [--runs 15]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

CASES = {
    "baseline: import pandas": "import pandas",
    "import lcplan": "import lcplan",
    "lcplan.load('items')": "import lcplan; lcplan.load('items')",
    "lcplan.plan_items()": "import lcplan; lcplan.plan_items()",
    "lcplan validate (shipped)": "import sys; from lcplan.cli import main; from lcplan.paths import package_dir; "
                                 "sys.argv = ['lcplan', 'validate', str(package_dir())]; main()",
}


def _time(code: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    for code in CASES.values():  # warm the file cache
        _time(code)
    samples: dict[str, list[float]] = {name: [] for name in CASES}
    for _ in range(args.runs):
        for name, code in CASES.items():
            samples[name].append(_time(code))
    base = statistics.median(samples["baseline: import pandas"])
    print(f"{'case':<28} {'median s':>9} {'gap s':>7} {'ratio':>6}   ({args.runs} runs each, whole process)")
    for name, values in samples.items():
        med = statistics.median(values)
        print(f"{name:<28} {med:9.3f} {med - base:7.3f} {med / base:6.2f}")


if __name__ == "__main__":
    main()
