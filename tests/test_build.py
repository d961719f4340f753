"""`lcplan build` regenerates the committed files exactly; `--check` says when they differ."""

from __future__ import annotations

import os
import shutil

from conftest import REPO, run_lcplan


def test_build_check_passes_on_the_committed_files():
    result = run_lcplan("build", "--check", cwd=REPO)
    assert result.returncode == 0, result.stderr


def _checkout_copy(tmp_path):
    dest = tmp_path / "checkout"
    for part in ("lcplan", "datasets", "schemas"):
        shutil.copytree(REPO / part, dest / part, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "pyproject.toml", dest / "pyproject.toml")
    env = {**os.environ, "PYTHONPATH": str(dest)}
    return dest, env


def test_build_check_names_a_hand_edited_table_and_fixes_it(tmp_path):
    dest, env = _checkout_copy(tmp_path)
    items = dest / "datasets" / "london-councils-plans" / "data" / "items.csv"
    original = items.read_bytes()
    items.write_bytes(original.replace(b"Deliver Notify for borough Housing Directors.", b"Deliver Notify."))
    result = run_lcplan("build", "--check", cwd=tmp_path, env=env)
    assert result.returncode == 1
    assert "data/items.csv" in result.stderr
    assert items.read_bytes() != original  # --check writes nothing
    assert run_lcplan("build", cwd=tmp_path, env=env).returncode == 0
    assert items.read_bytes() == original


def test_build_refuses_an_edited_source(tmp_path):
    dest, env = _checkout_copy(tmp_path)
    src = dest / "datasets" / "london-councils-plans" / "sources" / "london-councils-business-plan-2017-18.txt"
    src.write_bytes(src.read_bytes().replace(b"Freedom Pass", b"Freedom  Pass", 1))
    result = run_lcplan("build", cwd=tmp_path, env=env)
    assert result.returncode == 2
    assert "sha256" in result.stderr and "Traceback" not in result.stderr
