"""The layout keeps its promises: no import cycle among lcplan's modules, no module reaching
into another module's private names, one line grammar, and the plan file read and written in
one place so that a plan read, written and read again is the same plan."""

from __future__ import annotations

import ast
from dataclasses import replace
from pathlib import Path

import pytest

from conftest import REPO

PACKAGE = REPO / "lcplan"


def _modules() -> dict[str, Path]:
    mods = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(REPO).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        mods[".".join(parts)] = path
    return mods


def _imports(name: str, path: Path, mods: dict[str, Path]) -> tuple[set[str], list[str]]:
    """The lcplan modules ``name`` imports (at the top or inside a function), and the private
    names of other modules it takes (``from m import _x``, or ``m._x`` after importing ``m``)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    edges: set[str] = set()
    private: list[str] = []
    aliases: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if not target.startswith("lcplan"):
                continue
            for alias in node.names:
                full = f"{target}.{alias.name}"
                if full in mods:
                    edges.add(full)
                    aliases[alias.asname or alias.name] = full
                elif target in mods:
                    edges.add(target)
                    if alias.name.startswith("_") and not alias.name.startswith("__") and target != name:
                        private.append(f"{name}: from {target} import {alias.name}")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in mods:
                    edges.add(alias.name)
                    if alias.asname:
                        aliases[alias.asname] = alias.name
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in aliases:
            attr = node.attr
            if attr.startswith("_") and not attr.startswith("__") and aliases[node.value.id] != name:
                private.append(f"{name}: {aliases[node.value.id]}.{attr}")
    edges.discard(name)
    return edges, private


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan), each a cycle of imports."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


def _graph() -> tuple[dict[str, set[str]], list[str]]:
    mods = _modules()
    edges, private = {}, []
    for name, path in mods.items():
        edges[name], p = _imports(name, path, mods)
        private += p
    # importing lcplan.a.b runs lcplan.a first: a package depends on nothing but what it imports itself
    return edges, private


def test_no_import_cycle_in_lcplan():
    edges, _ = _graph()
    assert _cycles(edges) == []


def test_the_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_module_takes_another_modules_private_names():
    _, private = _graph()
    assert private == []


def test_the_private_name_finder_sees_both_forms(tmp_path):
    mods = {"lcplan.a": tmp_path / "a.py", "lcplan.b": tmp_path / "b.py"}
    mods["lcplan.b"].write_text("from lcplan.a import _x\nimport lcplan.a as m\nm._y()\nm.__name__\n")
    _, private = _imports("lcplan.b", mods["lcplan.b"], mods)
    assert private == ["lcplan.b: from lcplan.a import _x", "lcplan.b: lcplan.a._y"]


def test_the_line_grammar_is_defined_once():
    """Bullets, numbered markers and Markdown headings are recognised by lcplan.text alone."""
    definitions = {"bullet": "•−▪◦●", "heading": "#{1,6}", "marker": "(?P<dotted>"}
    found = {what: sorted(str(p.relative_to(REPO)) for p in PACKAGE.rglob("*.py") if pattern in p.read_text(encoding="utf-8"))
             for what, pattern in definitions.items()}
    assert found == {"bullet": ["lcplan/text.py"], "heading": ["lcplan/text.py"], "marker": ["lcplan/text.py"]}
    from lcplan.text import BULLETS, bullet_pattern, markdown_heading, marker, starts_item

    assert all(bullet_pattern().match(f"{b} text") for b in BULLETS)
    assert bullet_pattern().match("- text") and not bullet_pattern().match("-text")
    assert marker("1.2 Text") == ("dotted", "1.2", ".", "Text") and marker("(iv) Text")[0] == "roman"
    assert markdown_heading("## Our priorities ##") == (2, "Our priorities") and markdown_heading("#hashtag") is None
    assert starts_item("a) Text") and starts_item("• Text") and not starts_item("2030 is the year")


def _plans() -> list[Path]:
    plans = sorted((REPO / "datasets").glob("*/plans/*.toml"))
    plans += sorted((REPO / "tests").rglob("plans/*.toml"))
    return plans


@pytest.mark.parametrize("path", _plans(), ids=lambda p: str(p.relative_to(REPO)))
def test_a_plan_read_written_and_read_again_is_the_same(path, tmp_path):
    from lcplan.plans import PlanError, plan_text, read_plan

    try:
        plan = read_plan(path)
    except PlanError:
        pytest.skip("a plan made wrong on purpose (a bad-package fixture)")
    again = tmp_path / path.name
    again.write_text(plan_text(plan, header=["written again"], notes=["  line 1: a note\nover two lines"]),
                     encoding="utf-8")
    assert replace(read_plan(again), path=path) == plan


_PDF = REPO.parent / "shared" / "corpus" / "pdf" / "us-federal-data-strategy-action-plan-2021.pdf"  # tables, notes


@pytest.mark.parametrize("path", [*sorted((REPO / "tests" / "plans" / "ingest").iterdir()), _PDF],
                         ids=lambda p: p.name)
def test_a_drafted_plan_written_and_read_is_the_same(path, tmp_path):
    """The hints a draft guesses (headings, furniture with its reason, lists, numbered and titled
    statements, tables with their fields, kinds), with claims to review and a page map, survive
    the plan file."""
    from lcplan.ingest import draft, extract
    from lcplan.ingest.drafting import claim_reviews
    from lcplan.plans import DOCUMENT_FIELDS, PROVENANCE_FIELDS, ClaimReview, Plan, plan_text, read_plan

    if not path.is_file():
        pytest.skip("the development corpus (../shared/corpus) is not beside this checkout")
    got = extract(path)
    d = draft("tst-rt-2025-26", got.lines, "A plan", None, got.pages, got.layout)
    reviews, _ = claim_reviews(d.parsed.items)
    document = {k: "" for k in DOCUMENT_FIELDS} | {"document_id": "tst-rt-2025-26", "source_path": "sources/x.txt",
                                                     "source_sha256": "0" * 64, "title": 'A "quoted" plan\x7f'}
    plan = Plan(path=tmp_path / "tst-rt-2025-26.toml", document=document,
                provenance={k: "" for k in PROVENANCE_FIELDS}, hints=d.hints,
                claims=tuple(ClaimReview(**r) for r in reviews), pages=(1, 40, 80))
    plan.path.write_text(plan_text(plan, notes=[f"line {n.line}: {n.what}: {n.detail}" for n in d.notes]),
                         encoding="utf-8")
    assert read_plan(plan.path) == plan
    assert d.hints.lists or d.hints.numbered or d.hints.tables or d.hints.titled  # the draft guessed something to carry
