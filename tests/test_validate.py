"""`lcplan validate`: the bad-input corpus, output formats, exit codes, and the shipped package.

Each folder of tests/bad_packages/ is a small package laid over `_base` (a valid one) with
an `expected.json`: the exit code and the problems that must be reported, flattened as
[table, row, field, check] (rows as in the CSV, header = 1).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest

from lcplan.registry import table_names, table_schema

from conftest import run_lcplan

CORPUS = Path(__file__).parent / "bad_packages"
CASES = sorted(p.name for p in CORPUS.iterdir() if p.is_dir() and not p.name.startswith("_"))


def _descriptor(edits: dict, tables: list[str]) -> dict:
    resources = [{"name": n, "type": "table", "path": f"data/{n}.csv", "format": "csv", "schema": table_schema(n)}
                 for n in tables]
    for name, edit in edits.items():
        if "add" in edit:
            resources.append(edit["add"])
            continue
        res = next(r for r in resources if r["name"] == name)
        if "path" in edit:
            res["path"] = edit["path"]
        if "schema_raw" in edit:
            res["schema"] = edit["schema_raw"]
        if "schema_field_type" in edit:
            field, type_ = edit["schema_field_type"]
            next(f for f in res["schema"]["fields"] if f["name"] == field)["type"] = type_
    return {"$schema": "https://datapackage.org/profiles/2.0/datapackage.json", "name": "test-plans",
            "resources": resources}


def assemble(case: str, tmp_path: Path) -> tuple[Path, dict]:
    expected = json.loads((CORPUS / case / "expected.json").read_text(encoding="utf-8"))
    pkg = tmp_path / "pkg"
    shutil.copytree(CORPUS / "_base", pkg)
    # overlays (folders starting with "_") and then the case itself, file by file
    for layer in (*expected.get("overlays", []), case):
        for src in (CORPUS / layer).rglob("*"):
            if src.is_file() and src.name != "expected.json":
                dest = pkg / src.relative_to(CORPUS / layer)
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(src, dest)
    # every table of lcplan's with a file in data/ is a resource (documents, sections, items always)
    tables = [n for n in table_names() if n in ("documents", "sections", "items") or (pkg / "data" / f"{n}.csv").exists()]
    if not (CORPUS / case / "datapackage.json").exists():  # a case may bring its own descriptor
        descriptor = _descriptor(expected.get("descriptor", {}), tables)
        (pkg / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    for rel in expected.get("remove", []):
        (pkg / rel).unlink()
    (tmp_path / "outside.csv").write_text("secret\n", encoding="utf-8")
    for rel, target in expected.get("symlinks", {}).items():
        os.symlink(target, pkg / rel)
    return pkg, expected


def _digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and not p.is_symlink()}


def _flat(problems: list[dict]) -> list[list]:
    return [[p["table"], p["row"], p["field"], p["check"]] for p in problems]


@pytest.mark.parametrize("case", CASES)
def test_bad_input_corpus(case, tmp_path):
    pkg, expected = assemble(case, tmp_path)
    before = _digest(tmp_path)
    result = run_lcplan("validate", str(pkg), "--format", "json")
    assert "Traceback" not in result.stdout + result.stderr
    assert result.returncode == expected["exit"], result.stdout + result.stderr
    assert _digest(tmp_path) == before  # inputs untouched
    if expected["exit"] == 2:
        assert expected["message"] in result.stderr
        assert result.stdout == ""
        return
    report = json.loads(result.stdout)
    flat = _flat(report["errors"])
    for problem in expected["errors"]:
        assert problem in flat, flat
    if not expected["errors"]:
        assert flat == []
    for problem in expected.get("warnings", []):
        assert problem in _flat(report["warnings"])
    for problem in expected.get("absent", []):
        assert problem not in flat
    if "message" in expected:
        assert any(expected["message"] in p["message"] for p in report["errors"]), report["errors"]
    for p in report["errors"] + report["warnings"]:
        assert p["message"] and p["file"], p
    if "strict_exit" in expected:
        assert run_lcplan("validate", str(pkg), "--strict").returncode == expected["strict_exit"]


def test_the_shipped_package_is_valid(pkg):
    result = run_lcplan("validate", str(pkg), "--format", "json")
    assert result.returncode == 0, result.stdout
    report = json.loads(result.stdout)
    assert report["valid"] and report["errors"] == []
    assert report["summary"]["rows"]["items"] == 278
    # legal but suspicious: the 2019/20 work plan list names Grants and Community Services twice
    assert [[w["table"], w["field"], w["check"], w["value"]] for w in report["warnings"]] == [
        ["items", "text", "duplicate_text", "Grants and Community Services"]]


def test_strict_turns_warnings_into_failure(pkg):
    assert run_lcplan("validate", str(pkg), "--strict").returncode == 1


def test_text_output_names_file_row_column_value_and_hint(tmp_path):
    pkg, _ = assemble("dangling-key", tmp_path)
    result = run_lcplan("validate", str(pkg))
    assert result.returncode == 1
    out = result.stdout
    assert "items.csv" in out and "row 3" in out and "column section_id" in out
    assert "'tst-bp-2020-21/appendix-two/transport'" in out and "hint:" in out and "INVALID" in out


def test_github_format_is_workflow_commands(tmp_path):
    pkg, _ = assemble("impossible-date", tmp_path)
    result = run_lcplan("validate", str(pkg), "--format", "github")
    assert result.returncode == 1
    errors = [line for line in result.stdout.splitlines() if line.startswith("::error ")]
    assert errors and "file=" in errors[0] and "line=2" in errors[0] and "documents.published" in errors[0]


def test_python_api_mirrors_the_command(tmp_path):
    from lcplan.validate import ValidationError, validate

    pkg, _ = assemble("bad-enum", tmp_path)
    report = validate(pkg)
    assert not report.ok
    assert list(report.errors.columns) == ["severity", "table", "file", "row", "line", "field", "value", "check",
                                           "message", "hint"]
    assert ["items", 2, "kind", "isin"] in report.errors[["table", "row", "field", "check"]].values.tolist()
    with pytest.raises(ValidationError):
        report.raise_for_errors()


def test_lcplan_validate_is_exported():
    import lcplan

    assert callable(lcplan.validate)


@pytest.mark.parametrize("edit", [
    {"name": ["items"]},
    {"path": "data/it\u0000ems.csv"},
    {"schema": {"fields": "x", "foreignKeys": [{"fields": "section_id", "reference": "x"}]}},
])
def test_malformed_descriptors_never_crash(edit, tmp_path):
    pkg, _ = assemble("bad-enum", tmp_path)
    d = json.loads((pkg / "datapackage.json").read_text(encoding="utf-8"))
    d["resources"][2].update(edit)
    (pkg / "datapackage.json").write_text(json.dumps(d), encoding="utf-8")
    result = run_lcplan("validate", str(pkg))
    assert result.returncode in (1, 2) and "internal error" not in result.stderr and "Traceback" not in result.stderr


def test_deeply_nested_descriptor_is_unusable(tmp_path):
    (tmp_path / "datapackage.json").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    result = run_lcplan("validate", str(tmp_path))
    assert result.returncode == 2 and "nested too deeply" in result.stderr


def test_usage_errors_exit_2():
    assert run_lcplan("validate").returncode == 2
    assert run_lcplan("validate", "x", "--format", "xml").returncode == 2


def test_no_network_and_no_frictionless_on_the_validation_path(tmp_path):
    """Validation imports no network client and never hands the descriptor to frictionless."""
    import subprocess
    import sys

    pkg, _ = assemble("url-path", tmp_path)
    code = ("import sys, socket\n"
            "def refuse(*a, **k): raise AssertionError('network access')\n"
            "socket.socket.connect = refuse\nsocket.create_connection = refuse\n"
            "from lcplan.validate import validate, Unusable\n"
            f"try:\n    validate({str(pkg)!r})\nexcept Unusable:\n    pass\n"
            f"validate({str(Path(__file__).parents[1] / 'datasets' / 'london-councils-plans')!r})\n"
            )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_an_empty_cell_is_reported_as_no_value(tmp_path):
    pkg, _ = assemble("evidence-supports-without-source", tmp_path)
    report = json.loads(run_lcplan("validate", str(pkg), "--format", "json").stdout)
    problem = next(p for p in report["errors"] if p["check"] == "verdict_names_source")
    assert problem["value"] is None and problem["hint"]
