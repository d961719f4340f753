"""A typed view of a Table Schema: the one place that reads ``schemas/*.schema.json`` shapes.

Fields with their type and constraints, the primary key and foreign keys normalised (a key
written as a string or a list is a tuple here), boolean values, enum values and categories.
Used by the validator, the loaders, the exports, the builder and the data dictionary.
Standard library only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["Field", "ForeignKey", "TableSchema", "csv_row"]

TRUE_VALUES = ("true", "True", "TRUE", "1")  # Table Schema's defaults
FALSE_VALUES = ("false", "False", "FALSE", "0")
HEADER_ROWS = 1


def csv_row(index: int) -> int:
    """The CSV row of a record at 0-based position ``index``: the header is row 1."""
    return int(index) + HEADER_ROWS + 1


def _tuple(value: Any) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(value or ())


@dataclass(frozen=True)
class Field:
    name: str
    type: str = "string"
    title: str = ""
    description: str = ""
    constraints: dict[str, Any] = field(default_factory=dict)
    true_values: tuple[str, ...] = TRUE_VALUES
    false_values: tuple[str, ...] = FALSE_VALUES
    categories: tuple[dict[str, Any], ...] = ()

    @property
    def required(self) -> bool:
        return bool(self.constraints.get("required"))

    @property
    def unique(self) -> bool:
        return bool(self.constraints.get("unique"))

    @property
    def enum(self) -> tuple[Any, ...] | None:
        return tuple(self.constraints["enum"]) if "enum" in self.constraints else None

    @property
    def pattern(self) -> str | None:
        return self.constraints.get("pattern")

    @classmethod
    def from_descriptor(cls, d: dict[str, Any]) -> Field:
        return cls(name=d["name"], type=d.get("type", "string"), title=d.get("title", ""),
                   description=d.get("description", ""), constraints=dict(d.get("constraints", {})),
                   true_values=tuple(d.get("trueValues", TRUE_VALUES)),
                   false_values=tuple(d.get("falseValues", FALSE_VALUES)),
                   categories=tuple(d.get("categories", ())))


@dataclass(frozen=True)
class ForeignKey:
    fields: tuple[str, ...]
    resource: str  # the referenced table; the table itself where the descriptor leaves it empty
    reference: tuple[str, ...]


@dataclass(frozen=True)
class TableSchema:
    name: str
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...] = ()
    foreign_keys: tuple[ForeignKey, ...] = ()
    title: str = ""
    description: str = ""

    @property
    def field_names(self) -> list[str]:
        return [f.name for f in self.fields]

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(f"{self.name} has no field {name!r}")

    @classmethod
    def from_descriptor(cls, d: dict[str, Any], name: str) -> TableSchema:
        fks = tuple(ForeignKey(_tuple(fk["fields"]), fk["reference"].get("resource") or name,
                               _tuple(fk["reference"]["fields"])) for fk in d.get("foreignKeys", []))
        return cls(name=name, fields=tuple(Field.from_descriptor(f) for f in d["fields"]),
                   primary_key=_tuple(d.get("primaryKey")), foreign_keys=fks, title=d.get("title", ""),
                   description=d.get("description", ""))
