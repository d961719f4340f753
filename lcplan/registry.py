"""The registry of tables: one list, read from ``schemas/``, that drives the builder's
descriptor, the loaders, the validator, the docs and the parametrised tests.

A table is a ``schemas/<name>.schema.json`` file. Tables are ordered so that every
foreign key points to a table listed before it (or to itself).
"""

from __future__ import annotations

import json
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from lcplan.tableschema import TableSchema

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


@cache
def schema(name: str) -> "TableSchema":
    """The typed view of ``schemas/<name>.schema.json`` (lcplan.tableschema)."""
    from lcplan.tableschema import TableSchema

    return TableSchema.from_descriptor(_schemas()[name] if name in _schemas() else table_schema(name), name)


def table_schema(name: str) -> dict[str, Any]:
    """The Table Schema of ``name`` as stored in ``schemas/`` (a fresh copy)."""
    try:
        return json.loads(json.dumps(_schemas()[name]))
    except KeyError:
        raise KeyError(f"no table {name!r}; the tables are: {', '.join(table_names())}") from None


def categories(table: str, field: str) -> list[dict[str, Any]]:
    """The defined values of an enum field (Table Schema v2 ``categories``): value, label,
    description and lcplan's own properties (a kind's ``role``, ``inCrosswalk``, ``topicCoded``)."""
    spec = schema(table).field(field)
    return list(spec.categories) or [{"value": v} for v in (spec.enum or ())]


def kinds_where(prop: str, value: Any = True) -> tuple[str, ...]:
    """Item kinds whose category has ``prop`` equal to ``value`` (e.g. ``kinds_where("role", "work")``)."""
    return tuple(c["value"] for c in categories("items", "kind") if c.get(prop) == value)


def kind_roles() -> dict[str, str]:
    """Item kind -> its role: purpose, commitment, work, measure, narrative or apparatus."""
    return {c["value"]: c["role"] for c in categories("items", "kind")}


def coded_kinds() -> tuple[str, ...]:
    """Kinds that are topic-coded: in a coded document, every item of these has a topic."""
    return kinds_where("topicCoded")


def crosswalk_kinds() -> tuple[str, ...]:
    """Kinds the crosswalk covers: in a linked pair of documents, every item of these is linked."""
    return kinds_where("inCrosswalk")


def boolean_values(field: Any) -> tuple[set[str], set[str]]:
    """The texts a Table Schema boolean field (a Field, or its JSON) reads as true and as false."""
    from lcplan.tableschema import Field

    f = field if isinstance(field, Field) else Field.from_descriptor(field)
    return set(f.true_values), set(f.false_values)
