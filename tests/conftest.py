from __future__ import annotations

import sys
from pathlib import Path

import pytest

from lcplan.paths import package_dir

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def pkg() -> Path:
    return package_dir()


@pytest.fixture(scope="session")
def items():
    import lcplan

    return lcplan.load("items")


@pytest.fixture(scope="session")
def source_lines(pkg):
    """document_id -> the source's lines, read here with no help from lcplan."""
    import lcplan

    docs = lcplan.load("documents")
    out = {}
    for doc, rel in zip(docs["document_id"], docs["source_path"]):
        out[doc] = (pkg / rel).read_bytes().decode("utf-8").split("\n")
    return out


def run_lcplan(*args: str, cwd: Path | None = None, env: dict | None = None):
    import subprocess

    return subprocess.run([sys.executable, "-m", "lcplan.cli", *args], capture_output=True, text=True,
                          cwd=cwd, env=env)


def ingest_two_bodies(pkg: Path, second_year: str = "2025/30") -> Path:
    """A package made by `lcplan ingest` alone from two bodies' plans written for the tests
    (Riverside Council's business plan 2025/26, then Harbour City Council's climate strategy,
    of plan year ``second_year``); returns its folder."""
    texts = REPO / "tests" / "plans" / "ingest"
    doc = "hc-cs-" + second_year.replace("/", "-")
    for source, args in ((texts / "riverside-business-plan-2025-26.txt",
                          ("--document-id", "rv-bp-2025-26", "--organisation", "Riverside Council", "--title",
                           "Riverside business plan", "--plan-year", "2025/26", "--out", str(pkg))),
                         (texts / "harbour-strategy-2025-30.md",
                          ("--document-id", doc, "--organisation", "Harbour City Council", "--title",
                           "Harbour City climate strategy", "--plan-year", second_year, "--into", str(pkg)))):
        result = run_lcplan("ingest", str(source), *args)
        assert result.returncode == 0, result.stderr
    return pkg
