"""The corpus file: a small ``corpus.toml`` naming the packages a steward keeps together.

::

    # corpus.toml
    [corpus]
    title = "Council plans of the South West"
    packages = ["packages/harbour-city", "packages/riverside"]   # folders, relative to this file

One package a body, or any split the steward likes. ``read_corpus`` reads it (a folder holding a
``corpus.toml``, or the file); ``add_package`` adds a package to it (making the file if need
be); ``lcplan.load(name, corpus=...)`` gives one table of every package at once, and
``lcplan search --corpus`` searches them all.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from lcplan.plans.write import toml_value

__all__ = ["Corpus", "CorpusError", "read_corpus", "add_package", "is_corpus", "FILE"]

FILE = "corpus.toml"


class CorpusError(ValueError):
    """A corpus file that cannot be read or names what is not a package."""


@dataclass(frozen=True)
class Corpus:
    path: Path  # the corpus.toml
    title: str
    packages: tuple[Path, ...]  # package folders, resolved


def _file(where: str | Path) -> Path:
    path = Path(where).expanduser()
    return path / FILE if path.is_dir() else path


def is_corpus(where: object) -> bool:
    """Whether ``where`` names a corpus rather than one package: a ``corpus.toml``, or a folder
    that holds one and is not itself a package (no ``datapackage.json``)."""
    if where is None or not isinstance(where, (str, Path)):
        return False
    path = Path(where).expanduser()
    if path.is_dir():
        return (path / FILE).is_file() and not (path / "datapackage.json").is_file()
    return path.name == FILE and path.is_file()


def read_corpus(where: str | Path) -> Corpus:
    """The corpus described by ``where`` (a ``corpus.toml``, or the folder that holds one)."""
    path = _file(where)
    if not path.is_file():
        raise CorpusError(f"{path}: no such file (a corpus is a {FILE} naming its packages: lcplan corpus add PATH)")
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise CorpusError(f"{path}: not valid TOML: {exc}") from None
    body = raw.get("corpus")
    if not isinstance(body, dict) or not isinstance(body.get("packages", []), list):
        raise CorpusError(f"{path}: needs a [corpus] table whose packages is a list of folders")
    packages = []
    for n, rel in enumerate(body.get("packages", []), start=1):
        if not isinstance(rel, str) or not rel.strip():
            raise CorpusError(f"{path}: [corpus] packages, entry {n}: {rel!r} is not a folder's path")
        folder = (path.parent / rel).resolve()
        if not (folder / "datapackage.json").is_file() and not (folder / "package.toml").is_file():
            raise CorpusError(f"{path}: [corpus] packages, entry {n}: {rel}: not a package in lcplan's layout "
                              "(no datapackage.json or package.toml there)")
        packages.append(folder)
    return Corpus(path=path.resolve(), title=str(body.get("title", "")), packages=tuple(packages))



def add_package(where: str | Path, package: str | Path) -> tuple[Corpus, bool]:
    """Add ``package`` (a folder) to the corpus file ``where`` (made if missing); returns the
    corpus and whether the package was new to it. The file is written again whole, its title kept."""
    path = _file(where)
    folder = Path(package).expanduser().resolve()
    if folder.name == "datapackage.json":
        folder = folder.parent
    if not (folder / "datapackage.json").is_file() and not (folder / "package.toml").is_file():
        raise CorpusError(f"{package}: not a package in lcplan's layout (no datapackage.json or package.toml)")
    corpus = read_corpus(path) if path.is_file() else Corpus(path.resolve(), "", ())
    if folder in corpus.packages:
        return corpus, False
    import os

    listed = [*corpus.packages, folder]
    rel = [Path(os.path.relpath(p, path.parent.resolve())).as_posix() for p in listed]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join([
        "# A corpus: the packages lcplan reads together (lcplan corpus add PATH; paths relative to this file).",
        "[corpus]", f"title = {toml_value(corpus.title)}",
        "packages = [" + ", ".join(toml_value(r) for r in rel) + "]", ""]), encoding="utf-8")
    return read_corpus(path), True
