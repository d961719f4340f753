"""The data package as frictionless and a data steward see it."""

from __future__ import annotations

import hashlib
import json

import pytest

import lcplan
from lcplan.registry import table_names, table_schema

from conftest import REPO


@pytest.fixture(scope="module")
def descriptor(pkg):
    return json.loads((pkg / "datapackage.json").read_text(encoding="utf-8"))


def test_frictionless_validates_the_package(pkg):
    from frictionless import validate

    report = validate(str(pkg / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_frictionless_reports_a_broken_copy(pkg, tmp_path):
    """The official validator is not a rubber stamp: a dangling key and an edited source fail."""
    import shutil

    from frictionless import validate

    copy = tmp_path / "pkg"
    shutil.copytree(pkg, copy)
    items = copy / "data" / "items.csv"
    items.write_text(items.read_text(encoding="utf-8").replace(
        ",lc-bp-2019-20/appendix-two/london-regional-employers,", ",lc-bp-2019-20/appendix-nine,", 1),
        encoding="utf-8")
    src = copy / "sources" / "london-councils-business-plan-2019-20.txt"
    src.write_bytes(src.read_bytes() + b"\n")
    report = validate(str(copy / "datapackage.json"))
    flat = report.flatten(["type"])
    assert ["foreign-key"] in flat and ["hash-count"] in flat


@pytest.mark.parametrize("name", table_names())
def test_descriptor_embeds_the_schema_files(descriptor, name):
    res = next(r for r in descriptor["resources"] if r["name"] == name)
    on_disk = json.loads((REPO / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8"))
    assert res["schema"] == on_disk == table_schema(name)


@pytest.mark.parametrize("name", table_names())
def test_every_field_has_title_and_description(name):
    for field in table_schema(name)["fields"]:
        assert field.get("title") and field.get("description"), field["name"]


def test_descriptor_metadata(descriptor, pkg):
    assert descriptor["name"] == "london-councils-plans"
    assert descriptor["version"] == lcplan.__version__
    assert descriptor["$schema"].endswith("/2.0/datapackage.json")
    assert descriptor["licenses"] and descriptor["contributors"] and descriptor["created"]
    holders = [c for c in descriptor["contributors"] if "rightsHolder" in c.get("roles", [])]
    assert [c["title"] for c in holders] == ["London Councils"]
    plans = [s for s in descriptor["sources"] if "sha256" in s]
    assert len(plans) == 2  # the two plan texts, with checksums
    for source in plans:
        data = (pkg / source["path"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == source["sha256"]
        assert source["rightsHolder"] == "London Councils"
    # the topic codebook is cited
    assert any("comparativeagendas.net" in s["path"] for s in descriptor["sources"])


# sha256 of the raw texts as received in shared/sources (November 2026)
ORIGINALS = {
    "sources/london-councils-business-plan-2017-18.txt": "be9094e0282e5889cbc9ec3da01d2fc26144acb8bc3e8c021306d0f2453d9575",
    "sources/london-councils-business-plan-2019-20.txt": "108f32722a0ec18bbf2475800c5dbbeec828372f5e4f79bc33a0b0dfe51179a5",
}


def test_sources_are_the_originals_byte_for_byte(pkg):
    for rel, sha in ORIGINALS.items():
        assert hashlib.sha256((pkg / rel).read_bytes()).hexdigest() == sha


def test_documents_record_checksums_of_their_sources(pkg):
    docs = lcplan.load("documents")
    for rel, sha in zip(docs["source_path"], docs["source_sha256"]):
        assert hashlib.sha256((pkg / rel).read_bytes()).hexdigest() == sha


def test_pandera_checks_pass_on_the_package(pkg):
    from lcplan.validate import validate

    assert validate(pkg).errors.empty
