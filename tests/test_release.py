"""Citation, versioning and identifier stability."""

from __future__ import annotations

import json
import re
import tomllib

import pytest

import lcplan
from lcplan.ids import MEANING, id_list, undeclared_changes

from conftest import REPO, run_lcplan


def test_one_version_everywhere(pkg):
    version = lcplan.__version__
    assert re.fullmatch(r"\d+\.\d+\.\d+", version)
    assert json.loads((pkg / "datapackage.json").read_text(encoding="utf-8"))["version"] == version
    cff = (REPO / "CITATION.cff").read_text(encoding="utf-8")
    assert f'version: "{version}"' in cff
    changelog = (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
    assert re.search(r"^## (\S+)", changelog, re.M).group(1) == version
    released = re.search(rf"^## {re.escape(version)} \((\d{{4}}-\d{{2}}-\d{{2}})\)", changelog, re.M)
    assert released and f'date-released: "{released.group(1)}"' in cff  # the CHANGELOG's date, by the build
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["tool"]["hatch"]["version"]["path"] == "lcplan/_version.py"


def test_released_ids_keep_their_meaning_or_say_why():
    """Every released ID still exists and means what it meant, unless a later release declares
    it corrected or withdrawn in releases/<version>-changes.tsv, with a reason."""
    assert sorted((REPO / "releases").glob("*-ids.tsv")), "no released ID list"
    assert undeclared_changes(REPO / "releases", lcplan.__version__) == []


def _release(tmp_path, ids, changes=None, version="0.2.0"):
    (tmp_path / "0.1.0-ids.tsv").write_text("table\tid\tfingerprint\n" + "".join(f"{t}\t{i}\t{f}\n" for t, i, f in ids),
                                            encoding="utf-8")
    if changes is not None:
        (tmp_path / f"{version}-changes.tsv").write_text(
            "table\tid\tchange\treason\n" + "".join("\t".join(r) + "\n" for r in changes), encoding="utf-8")
    return tmp_path


def test_undeclared_changes_are_found_and_declared_ones_pass(tmp_path):
    released = [("items", "a/1", "f1"), ("items", "a/2", "f2"), ("evidence", "e/1", "f3")]
    now = [("items", "a/1", "f1"), ("evidence", "e/1", "CHANGED")]  # a/2 gone, e/1 changed
    (tmp_path / "bare").mkdir()
    bare = undeclared_changes(_release(tmp_path / "bare", released), "0.2.0", now)
    assert len(bare) == 2
    assert "a/2 (released in 0.1.0) is withdrawn" in bare[0] and "e/1 (released in 0.1.0) is corrected" in bare[1]
    (tmp_path / "declared").mkdir()
    ok = _release(tmp_path / "declared", released, [("items", "a/2", "withdrawn", "a table of contents"),
                                              ("evidence", "e/1", "corrected", "a written rule")])
    assert undeclared_changes(ok, "0.2.0", now) == []
    # a declaration for a version after the current one does not count
    assert len(undeclared_changes(ok, "0.1.0", now)) == 3


@pytest.mark.parametrize("row, says", [
    (("items", "a/2", "corrected", "why"), "is gone"),               # gone, but declared corrected
    (("items", "a/1", "withdrawn", "why"), "still in the data"),     # withdrawn ID still there
    (("items", "a/1", "corrected", "why"), "means what it did"),     # a stale declaration
    (("items", "zz/9", "withdrawn", "why"), "was not released"),
    (("items", "a/2", "renamed", "why"), "not one of"),
    (("items", "a/2", "withdrawn", " "), "no reason"),
])
def test_bad_declarations_are_refused(tmp_path, row, says):
    released = [("items", "a/1", "f1"), ("items", "a/2", "f2")]
    now = [("items", "a/1", "f1")]
    problems = undeclared_changes(_release(tmp_path, released, [row]), "0.2.0", now)
    assert any(says in p for p in problems), problems


def test_id_fingerprints_notice_a_change_of_meaning(monkeypatch):
    import lcplan.ids as ids

    real = ids.read_records

    def edited(path):
        rows = real(path)
        if path.name == "items.csv":
            rows[0] = {**rows[0], "text": rows[0]["text"] + " (edited)"}
        return rows

    monkeypatch.setattr(ids, "read_records", edited)
    before = {(t, i): fp for t, i, fp in id_list()}
    monkeypatch.setattr(ids, "read_records", real)
    after = {(t, i): fp for t, i, fp in id_list()}
    differ = [k for k in before if before[k] != after[k]]
    assert differ == [("items", "lc-bp-2017-18/narrative/1")]
    assert set(MEANING) <= set(lcplan.tables())


def test_cite_text_and_bibtex():
    text = lcplan.cite()
    assert lcplan.__version__ in text and "London Councils" in text
    bib = lcplan.cite("bibtex")
    assert bib.startswith("@misc{") and f"version = {{{lcplan.__version__}}}" in bib
    with pytest.raises(ValueError):
        lcplan.cite("apa")


def test_info_and_describe_commands(pkg):
    info = run_lcplan("info")
    assert info.returncode == 0
    assert f"lcplan {lcplan.__version__}" in info.stdout and str(pkg) in info.stdout
    assert "items" in info.stdout and "278 rows" in info.stdout
    assert "be9094e0282e5889cbc9ec3da01d2fc26144acb8bc3e8c021306d0f2453d9575" in info.stdout
    described = run_lcplan("describe", "claims")
    assert described.returncode == 0 and "## claims" in described.stdout and "`quote`" in described.stdout
    assert run_lcplan("describe", "nope").returncode == 2


def test_data_dictionary_is_generated_from_the_schemas(pkg):
    """Every field of every schema is in the committed dictionary; `build --check` keeps it current."""
    text = (pkg / "DATA_DICTIONARY.md").read_text(encoding="utf-8")
    for name in lcplan.tables():
        assert f"## {name}\n" in text
        for field in lcplan.loaders.schema(name)["fields"]:
            assert f"| `{field['name']}` |" in text


def _write(folder, name, header, rows):
    (folder / name).write_text(header + "\n" + "".join("\t".join(r) + "\n" for r in rows), encoding="utf-8")


def test_a_correction_then_a_withdrawal_across_releases_passes(tmp_path):
    ids, changes = "table\tid\tfingerprint", "table\tid\tchange\treason"
    _write(tmp_path, "0.1.0-ids.tsv", ids, [("items", "x/1", "A"), ("items", "x/2", "B")])
    _write(tmp_path, "0.2.0-changes.tsv", changes, [("items", "x/1", "corrected", "a rule")])
    _write(tmp_path, "0.2.0-ids.tsv", ids, [("items", "x/1", "C"), ("items", "x/2", "B")])
    _write(tmp_path, "0.3.0-changes.tsv", changes, [("items", "x/1", "withdrawn", "furniture")])
    assert undeclared_changes(tmp_path, "0.3.0", [("items", "x/2", "B")]) == []
    # used again after its withdrawal was released
    _write(tmp_path, "0.3.0-ids.tsv", ids, [("items", "x/2", "B")])
    again = undeclared_changes(tmp_path, "0.4.0", [("items", "x/1", "D"), ("items", "x/2", "B")])
    assert any("used again" in p for p in again)


def test_duplicated_ids_and_misnamed_lists_are_refused(tmp_path):
    _write(tmp_path, "0.1.0-ids.tsv", "table\tid\tfingerprint", [("items", "x/1", "A")])
    twice = undeclared_changes(tmp_path, "0.1.0", [("items", "x/1", "CHANGED"), ("items", "x/1", "A")])
    assert any("more than once" in p for p in twice)
    _write(tmp_path, "0.1-ids.tsv", "table\tid\tfingerprint", [("items", "x/1", "A")])
    assert any("0.1-ids.tsv: not a release file's name" in p
               for p in undeclared_changes(tmp_path, "0.1.0", [("items", "x/1", "A")]))
