"""The ``lcplan`` command: build, check and summarise the dataset."""

from __future__ import annotations

import argparse
import sys


def _build(args: argparse.Namespace) -> int:
    from lcplan.builder import BuildError, build

    try:
        differ = build(check=args.check)
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

    items = plan_items()
    table = pd.crosstab(items["kind"], items["plan_year"], margins=True, margins_name="total")
    print("Items per plan and kind")
    print(table.to_string())
    docs = load("documents")
    print(f"\n{len(docs)} documents, {len(load('sections'))} sections, {len(items)} items")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="lcplan", description="London Councils business plans: dataset and toolkit.")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("build", help="generate the tables and datapackage.json from the plan texts")
    p.add_argument("--check", action="store_true", help="write nothing; exit 1 if the committed files differ")
    p.set_defaults(func=_build)
    p = sub.add_parser("summary", help="print items per plan and kind")
    p.set_defaults(func=_summary)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
