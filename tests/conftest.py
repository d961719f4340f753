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


def run_lcplan(*args: str, cwd: Path | None = None, env: dict | None = None, input: str | None = None):
    import subprocess

    return subprocess.run([sys.executable, "-m", "lcplan.cli", *args], capture_output=True, text=True,
                          cwd=cwd, env=env, input=input)


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


SHARED_CORPUS = REPO.parent / "shared" / "corpus"


def pdf_corpus_documents(n: int = 8) -> list[dict[str, str]]:
    """The ``n`` shortest PDFs of the development corpus (../shared/corpus), by the pages its
    MANIFEST.csv gives, with their organisation and title."""
    import csv

    with open(SHARED_CORPUS / "MANIFEST.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return sorted(rows, key=lambda r: (int(r["pages"]), r["file"]))[:n]


@pytest.fixture(scope="session")
def pdf_corpus(tmp_path_factory) -> Path:
    """A corpus of the eight shortest development PDFs, each drafted by `lcplan ingest` into a
    package of its own (no hints, no review), named in a corpus.toml and built."""
    import re

    if not SHARED_CORPUS.is_dir():
        pytest.skip("the development corpus (../shared/corpus) is not beside this checkout")
    root = tmp_path_factory.mktemp("pdf-corpus")
    for row in pdf_corpus_documents():
        stem = Path(row["file"]).stem
        year = int(re.search(r"(?:19|20)[0-9]{2}", stem + row["title"])[0])
        slug = re.sub(r"[^a-z0-9]+", "-", stem.lower())[:30].strip("-")
        done = run_lcplan("ingest", str(SHARED_CORPUS / row["file"]), "--document-id",
                          f"{slug}-{year}-{(year + 1) % 100:02d}", "--organisation", row["organisation"],
                          "--title", row["title"], "--plan-year", f"{year}/{(year + 1) % 100:02d}",
                          "--out", str(root / "packages" / stem))
        assert done.returncode == 0, done.stderr
        added = run_lcplan("corpus", "add", str(root / "packages" / stem), "--corpus", str(root / "corpus.toml"))
        assert added.returncode == 0, added.stderr
    built = run_lcplan("corpus", "build", "--corpus", str(root))
    assert built.returncode == 0, built.stdout + built.stderr
    return root


@pytest.fixture(scope="session")
def pdf_corpus_report(pdf_corpus, tmp_path_factory) -> Path:
    """`lcplan report --corpus` over :func:`pdf_corpus`: the report's index.html."""
    out = tmp_path_factory.mktemp("pdf-corpus-report")
    done = run_lcplan("report", "--corpus", str(pdf_corpus), "--out", str(out))
    assert done.returncode == 0, done.stdout + done.stderr
    return out / "index.html"
