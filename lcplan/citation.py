"""How to cite the dataset: ``lcplan.cite()`` as text or BibTeX, from the installed descriptor."""

from __future__ import annotations

import json

from pathlib import Path

from lcplan._version import __version__
from lcplan.paths import package_path

__all__ = ["cite"]


def cite(style: str = "text", package: str | Path | None = None) -> str:
    """The citation of this version of the dataset (or of ``package``, a folder or its
    datapackage.json): ``style`` is ``"text"`` or ``"bibtex"``."""
    path = package_path() if package is None else Path(package)
    path = path / "datapackage.json" if path.is_dir() else path
    d = json.loads(path.read_text(encoding="utf-8"))
    author = d["contributors"][0]["title"]
    year = d["created"][:4]
    holders = ", ".join(c["title"] for c in d["contributors"] if "rightsHolder" in c.get("roles", []))
    if style == "text":
        return (f"{author} ({year}). {d['title']} (data package {d['name']}, version {d['version']}) "
                f"[Data set]. Plan texts © {holders}.")
    if style == "bibtex":
        key = f"lcplan_{d['name'].replace('-', '_')}_{d['version'].replace('.', '_')}"
        return (f"@misc{{{key},\n  author = {{{{{author}}}}},\n  title = {{{d['title']}}},\n"
                f"  year = {{{year}}},\n  version = {{{d['version']}}},\n  howpublished = {{Data package "
                f"{d['name']}, lcplan {__version__}}},\n  note = {{Plan texts \\copyright{{}} {holders}}}\n}}")
    raise ValueError(f"unknown citation style {style!r}: use 'text' or 'bibtex'")
