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
