"""The registry of tables: one list, read from ``schemas/``, that drives the builder's
descriptor, the loaders, the validator, the docs and the parametrised tests.

A table is a ``schemas/<name>.schema.json`` file. Tables are ordered so that every
foreign key points to a table listed before it (or to itself).
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from lcplan.paths import schemas_dir


@cache
def _schemas() -> dict[str, dict[str, Any]]:
    found = {}
    for path in sorted(schemas_dir().glob("*.schema.json")):
        found[path.name.removesuffix(".schema.json")] = json.loads(path.read_text(encoding="utf-8"))
    return found


def _order(schemas: dict[str, dict[str, Any]]) -> list[str]:
    done: list[str] = []
    pending = sorted(schemas)
    while pending:
        ready = [
            n for n in pending
            if all(fk["reference"].get("resource", n) in (*done, n, "") for fk in schemas[n].get("foreignKeys", []))
        ]
        if not ready:
            raise ValueError(f"foreign keys between {pending} form a cycle")
        done += ready
        pending = [n for n in pending if n not in ready]
    return done


def table_names() -> list[str]:
    """Names of the tables, referenced tables first."""
    return _order(_schemas())


def table_schema(name: str) -> dict[str, Any]:
    """The Table Schema of ``name`` as stored in ``schemas/`` (a fresh copy)."""
    try:
        return json.loads(json.dumps(_schemas()[name]))
    except KeyError:
        raise KeyError(f"no table {name!r}; the tables are: {', '.join(table_names())}") from None


# Coverage rules of the curated tables (what the build checks and the analysis defaults to)
CODED_KINDS = ("pledge", "work_area", "priority", "theme_commitment")  # every item of these has a CAP topic
CROSSWALK_KINDS = ("priority", "work_area", "theme", "principle")  # every item of these is in the crosswalk


def boolean_values(field: dict[str, Any]) -> tuple[set[str], set[str]]:
    """The texts a Table Schema boolean field reads as true and as false (spec defaults)."""
    return (set(field.get("trueValues", ["true", "True", "TRUE", "1"])),
            set(field.get("falseValues", ["false", "False", "FALSE", "0"])))
