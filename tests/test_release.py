"""Citation, versioning and identifier stability."""

from __future__ import annotations

import csv
import json
import re
import tomllib

import pytest

import lcplan
from lcplan.ids import MEANING, id_list

from conftest import REPO, run_lcplan


def test_one_version_everywhere(pkg):
    version = lcplan.__version__
    assert re.fullmatch(r"\d+\.\d+\.\d+", version)
    assert json.loads((pkg / "datapackage.json").read_text(encoding="utf-8"))["version"] == version
    cff = (REPO / "CITATION.cff").read_text(encoding="utf-8")
    assert f'version: "{version}"' in cff
    changelog = (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
    assert re.search(r"^## (\S+)", changelog, re.M).group(1) == version
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["tool"]["hatch"]["version"]["path"] == "lcplan/_version.py"


@pytest.mark.parametrize("release", sorted((REPO / "releases").glob("*-ids.tsv")), ids=lambda p: p.name)
def test_released_ids_keep_their_meaning(release):
    now = {(t, i): fp for t, i, fp in id_list()}
    with open(release, encoding="utf-8", newline="") as fh:
        old = list(csv.DictReader(fh, delimiter="\t"))
    assert old, "an empty ID list"
    changed = [(r["table"], r["id"]) for r in old if now.get((r["table"], r["id"])) != r["fingerprint"]]
    assert changed == []  # every released ID still exists and means what it meant


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
    assert "items" in info.stdout and "282 rows" in info.stdout
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
