"""Where every line of a plan's text went: into a statement, a heading, or furniture with its reason.

One rule for ``lcplan ingest`` (a draft's coverage, printed and written in its plan file) and
``lcplan summary`` (a package's, plan by plan): a line is in a statement when an item cites it, in a
heading when a section does (a table's header row and the rule under it count as its headings),
and furniture when the plan's hints list it so, with why. Coverage is the share of the text's
characters (blank lines aside) in statements and headings.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

__all__ = ["Coverage", "coverage", "package_coverage"]


@dataclass
class Coverage:
    """How a text's lines are accounted for."""

    chars: int
    in_statements: int
    in_headings: int
    furniture: list[tuple[int, str, str]]  # (line, why, text)
    unaccounted: list[int]  # lines in none of the three (a reading that dropped them: should be none)

    @property
    def share(self) -> float:
        return (self.in_statements + self.in_headings) / self.chars if self.chars else 1.0


def coverage(lines: list[str], hints: Any, statements: Iterable[tuple[int, int]],
             headings: Iterable[tuple[int, int]]) -> Coverage:
    """Where every non-blank line of ``lines`` went, given the plan's hints (its furniture and
    tables) and the line spans of its items and of its printed section headings."""
    from lcplan.text import is_rule_row

    size = {i: len(ln.strip()) for i, ln in enumerate(lines, start=1) if ln.strip()}
    why = {}
    for f in hints.furniture:
        for n in range(f.lines[0], f.lines[1] + 1):
            why[n] = f.why or "furniture"
    in_statement: set[int] = set()
    for a, b in statements:
        in_statement.update(range(a, b + 1))
    in_heading: set[int] = set()
    for a, b in headings:
        in_heading.update(range(a, b + 1))
    for t in hints.tables:  # a table's header row and the rule under it
        for n in range(t.lines[0], t.lines[1] + 1):
            if (n == t.lines[0] and t.header) or (n <= len(lines) and is_rule_row(lines[n - 1])):
                in_heading.add(n)
    in_statement -= in_heading
    furniture = [(n, why[n], lines[n - 1].strip()) for n in sorted(size)
                 if n in why and n not in in_statement and n not in in_heading]
    return Coverage(chars=sum(size.values()), in_statements=sum(size[n] for n in in_statement if n in size),
                    in_headings=sum(size[n] for n in in_heading if n in size), furniture=furniture,
                    unaccounted=[n for n in sorted(size)
                                 if n not in in_statement and n not in in_heading and n not in why])


def package_coverage(package: str | Path | None = None) -> dict[str, Coverage]:
    """Each read plan's coverage in a built package (a folder or its datapackage.json; None: the
    shipped package), by document ID; plans curated as tables have none."""
    import csv

    from lcplan.paths import package_dir
    from lcplan.plans import load_plans

    package = package_dir() if package is None else Path(package)
    package = package.parent if package.name == "datapackage.json" else package

    def rows(name: str) -> list[dict[str, str]]:
        path = package / "data" / f"{name}.csv"
        if not path.is_file():
            return []
        with path.open(newline="", encoding="utf-8") as f:
            return list(csv.DictReader(f))

    items, sections = rows("items"), rows("sections")
    out = {}
    for plan in load_plans(package):
        if not plan.parsed:
            continue
        doc = plan.document_id
        spans = [(int(r["line_start"]), int(r["line_end"])) for r in items if r["document_id"] == doc]
        heads = [(int(r["line_start"]), int(r["line_end"])) for r in sections
                 if r["document_id"] == doc and r.get("line_start")]
        out[doc] = coverage(plan.source_lines(package), plan.hints, spans, heads)
    return out
