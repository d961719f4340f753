"""Typed loaders: the data package's tables as pandas DataFrames.

Types come from the Table Schemas embedded in ``datapackage.json``, not from what
``read_csv`` guesses: enum fields are categoricals (categories in schema order),
integers nullable ``Int64``, dates ``datetime64``, text the ``string`` dtype.
Only pandas is imported here.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

from lcplan.paths import package_dir, package_folder
from lcplan.tableschema import Field, TableSchema

__all__ = ["load", "descriptor", "tables", "plan_items", "schema", "table", "typed", "forget", "package_folder", "PackageLike"]

PackageLike = str | Path | None  # a package folder or its datapackage.json; None: the shipped package


def forget() -> None:
    """Forget the descriptors read so far (a package was just written): the next load reads them again."""
    _descriptor_at.cache_clear()


@cache
def _descriptor_at(folder: Path) -> dict[str, Any]:
    path = folder / "datapackage.json"
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such file (give a package folder or its datapackage.json)")
    return json.loads(path.read_text(encoding="utf-8"))


def descriptor(package: PackageLike = None) -> dict[str, Any]:
    """The package's ``datapackage.json``, read."""
    return _descriptor_at(package_folder(package))


def _resource(name: str, package: PackageLike = None) -> dict[str, Any]:
    for res in descriptor(package)["resources"]:
        if res["name"] == name and res.get("type") == "table":
            return res
    raise KeyError(f"no table {name!r}; the tables are: {', '.join(tables(package))}")


def tables(package: PackageLike = None) -> list[str]:
    """The names of the tables in the data package, referenced tables first; of a corpus (a
    ``corpus.toml`` or its folder), the tables any of its packages has."""
    from lcplan.corpus.corpus import is_corpus, read_corpus

    if is_corpus(package):
        names = [n for folder in read_corpus(package).packages for n in tables(folder)]
        return list(dict.fromkeys(names))
    return [r["name"] for r in descriptor(package)["resources"] if r.get("type") == "table"]


def schema(name: str, package: PackageLike = None) -> dict[str, Any]:
    """The Table Schema of a table, as embedded in the descriptor."""
    return _resource(name, package)["schema"]


def _typed_column(col: pd.Series, field: Field, table: str) -> pd.Series:
    kind, enum = field.type, field.enum
    if kind == "integer":
        return col.astype("Int64")
    if kind == "number":
        return col.astype("Float64")
    if kind == "boolean":
        true, false = set(field.true_values), set(field.false_values)
        bad = col.dropna()[~col.dropna().isin(true | false)]
        if len(bad):
            raise ValueError(f"{table}.{field.name}: {bad.iloc[0]!r} is not a boolean")
        return col.map(lambda v: pd.NA if pd.isna(v) else v in true).astype("boolean")
    if kind == "date":
        return pd.to_datetime(col, format="%Y-%m-%d")
    if enum is not None:
        bad = col.dropna()[~col.dropna().isin(enum)]
        if len(bad):
            raise ValueError(f"{table}.{field.name}: {bad.iloc[0]!r} is not one of {list(enum)}")
        return col.astype(pd.CategoricalDtype(categories=list(enum)))
    return col


def typed(frame: pd.DataFrame, table_schema: dict[str, Any] | TableSchema, table: str = "table") -> pd.DataFrame:
    """Give a frame of strings (missing as NA) the pandas types its Table Schema declares."""
    ts = table_schema if isinstance(table_schema, TableSchema) else TableSchema.from_descriptor(table_schema, table)
    out = frame.copy()
    for field in ts.fields:
        out[field.name] = _typed_column(out[field.name], field, table)
    return out


def table(name: str, package: PackageLike = None) -> TableSchema:
    """The typed view of a table's schema, as embedded in the descriptor (lcplan.tableschema)."""
    return TableSchema.from_descriptor(schema(name, package), name)


def _stamp(folder: Path) -> tuple[float, ...]:
    """When the package's descriptor and tables last changed: a new stamp validates again."""
    files = [folder / "datapackage.json", *sorted((folder / "data").glob("*.csv"))]
    return tuple(f.stat().st_mtime_ns for f in files if f.is_file())


@cache
def _validated(folder: Path, stamp: tuple[float, ...]) -> None:
    from lcplan.validate import validate

    validate(folder).raise_for_errors()


def load(name: str, package: PackageLike = None, corpus: PackageLike = None) -> pd.DataFrame:
    """Load one table of a data package as a typed DataFrame.

    ``package``: a package folder in lcplan's layout (or its ``datapackage.json``); by
    default the shipped package. Another package is validated first (once while its files
    are unchanged; the ``validate`` extra): an invalid one raises
    :class:`lcplan.validate.ValidationError`, as ``lcplan validate`` would report it.

    ``corpus``: a ``corpus.toml`` (or its folder, :mod:`lcplan.corpus.corpus`) instead of one
    package: the table of every package it names that has it, one after another, with
    ``package`` (the package's folder name) and, where the table has a ``document_id``,
    ``organisation``. A corpus given as ``package`` is read the same way, so every analysis
    function (and notebook) that takes a package takes a corpus too.

    >>> items = load("items")
    >>> items.groupby(["document_id", "kind"], observed=True).size()
    """
    from lcplan.corpus.corpus import is_corpus, read_corpus

    if corpus is None and is_corpus(package):
        package, corpus = None, package
    if corpus is not None:
        if package is not None:
            raise ValueError("give a package or a corpus, not both")

        frames = []
        for folder in read_corpus(corpus).packages:
            if name not in tables(folder):
                continue
            frame = load(name, folder).assign(package=folder.name)
            if "document_id" in frame.columns and name != "documents":
                bodies = load("documents", folder).set_index("document_id")["organisation"]
                frame = frame.assign(organisation=frame["document_id"].map(bodies))
            frames.append(frame)
        if not frames:
            return load(name).iloc[0:0].assign(package=pd.Series(dtype="string"))
        out = pd.concat(frames, ignore_index=True)
        return out.astype({c: "string" for c in ("package", "organisation") if c in out.columns})
    if package is not None and package_folder(package) != package_dir():
        _validated(package_folder(package), _stamp(package_folder(package)))
    res = _resource(name, package)
    fields = TableSchema.from_descriptor(res["schema"], name).field_names
    frame = pd.read_csv(
        package_folder(package) / res["path"],
        dtype="string",
        keep_default_na=False,
        na_values=[""],
        encoding="utf-8",
        usecols=fields,
    )[fields]
    return typed(frame, res["schema"], name)


def plan_items(package: PackageLike = None) -> pd.DataFrame:
    """Items with their plan year and section path, ready for groupby.

    Adds ``plan_year``, ``organisation``, ``period_start``, ``section_title`` (the item's own section), ``top_section``
    (level 1), ``subsection`` (level 2, NA for items at level 1) and ``section_path``
    (the titles from the top down, joined with " > ").
    """
    items = load("items", package)
    sections = load("sections", package).set_index("section_id")
    documents = load("documents", package).set_index("document_id")
    titles = sections["title"].to_dict()
    parents = sections["parent_section_id"].to_dict()

    def path(section_id: str) -> list[str]:
        chain = []
        while isinstance(section_id, str):
            chain.append(titles[section_id])
            section_id = parents[section_id]
        return chain[::-1]

    paths = {sid: path(sid) for sid in sections.index}
    sid = items["section_id"]
    out = items.assign(
        plan_year=items["document_id"].map(documents["plan_year"]).astype("string"),
        organisation=items["document_id"].map(documents["organisation"]).astype("string"),
        period_start=items["document_id"].map(documents["period_start"]),
        section_title=sid.map(titles).astype("string"),
        top_section=sid.map(lambda s: paths[s][0]).astype("string"),
        subsection=sid.map(lambda s: paths[s][1] if len(paths[s]) > 1 else pd.NA).astype("string"),
        section_path=sid.map(lambda s: " > ".join(paths[s])).astype("string"),
    )
    return out
