"""The full-text index of packages' statements: one SQLite file with an FTS5 table.

``index_for(packages)`` returns the index of those packages, building it when it is missing
or when a package's tables have changed since (the file is named by the packages' folders and
the size and time of their ``items`` and ``documents`` tables). Opening a built index needs
no pandas, so a search from the command line starts fast. Each statement is indexed with its
title and text (Porter stemming over Unicode words), and carries its ID, package,
organisation, document, plan year, kind and source lines.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from pathlib import Path

from lcplan.paths import package_folder

__all__ = ["cache_dir", "index_for", "COLUMNS"]

# what a search result carries besides the text (stored, not searched)
COLUMNS = ("item_id", "package", "organisation", "document_id", "plan_year", "kind", "line_start", "line_end")
VERSION = "1"  # the index's layout: a change rebuilds every index


def cache_dir() -> Path:
    """Where derived indexes live: ``$LCPLAN_CACHE``, else ``$XDG_CACHE_HOME/lcplan``, else ``~/.cache/lcplan``."""
    if os.environ.get("LCPLAN_CACHE"):
        return Path(os.environ["LCPLAN_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "lcplan"


def _fingerprint(folders: list[Path]) -> str:
    """The packages' folders and the size and modification time of their items and documents
    tables (as make compares files: a table written again gives a new index)."""
    h = hashlib.sha256(VERSION.encode())
    for folder in folders:
        h.update(str(folder).encode("utf-8") + b"\0")
        for table in ("items", "documents"):
            path = folder / "data" / f"{table}.csv"
            st = path.stat() if path.is_file() else None
            h.update(f"{st.st_size}:{st.st_mtime_ns}".encode() if st else b"-")
        if not (folder / "datapackage.json").is_file():
            raise FileNotFoundError(f"{folder}: no such file (give a datapackage.json or the folder that holds one)")
    return h.hexdigest()[:24]


def _private_temp(name: str) -> Path:
    """The fallback when the cache folder cannot be made (a read-only home): a folder of the
    system's temporary folder that only this user can write, refused if another could."""
    import stat
    import tempfile

    folder = Path(tempfile.gettempdir()) / f"lcplan-{os.getuid() if hasattr(os, 'getuid') else 'user'}"
    folder.mkdir(mode=0o700, exist_ok=True)
    st = folder.stat()
    if (hasattr(os, "getuid") and st.st_uid != os.getuid()) or st.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        raise PermissionError(f"{folder}: not this user's own folder; set LCPLAN_CACHE to a folder of your own")
    return folder / name


def index_for(packages: list[str | Path | None] | tuple | None = None, rebuild: bool = False) -> Path:
    """The index of ``packages`` (default, for None: the shipped one), built now if missing,
    stale or asked. Two processes building one index at once each write a file of their own and
    the last to finish puts it in place: a reader always opens a whole index."""
    given = [None] if packages is None else list(dict.fromkeys(packages))  # each package once
    if not given:
        raise ValueError("no package to search: the list of packages (or the corpus) is empty")
    folders = list(dict.fromkeys(package_folder(p) for p in given))
    given = [next(g for g in given if package_folder(g) == f) for f in folders]
    name = f"{_fingerprint(folders)}.sqlite"
    path = cache_dir() / "search" / name
    if path.is_file() and not rebuild:
        return path
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError:
        path = _private_temp(name)
        if path.is_file() and not rebuild:
            return path
    import tempfile

    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=name, suffix=".partial")
    os.close(fd)
    try:
        con = sqlite3.connect(tmp)
        try:
            con.execute("CREATE VIRTUAL TABLE statements USING fts5(title, text, "
                        + ", ".join(f"{c} UNINDEXED" for c in COLUMNS) + ", tokenize = 'porter unicode61')")
            for folder, package in zip(folders, given):
                _add(con, folder, package)
            con.execute("INSERT INTO statements(statements) VALUES ('optimize')")
            con.commit()
        finally:
            con.close()
        os.replace(tmp, path)  # atomic: a reader never sees a half-built index
    finally:
        Path(tmp).unlink(missing_ok=True)
    return path


def _add(con: sqlite3.Connection, folder: Path, package: str | Path | None) -> None:
    from lcplan.loaders import load  # pandas, and the package validated, only when an index is built

    items = load("items", package)
    docs = load("documents", package).set_index("document_id")
    name = folder.name
    rows = []
    for r in items.itertuples(index=False):
        doc = r.document_id
        rows.append((r.title if isinstance(r.title, str) else "", r.text, r.item_id, name,
                     str(docs.at[doc, "organisation"]), doc, str(docs.at[doc, "plan_year"]), str(r.kind),
                     int(r.line_start), int(r.line_end)))
    con.executemany(f"INSERT INTO statements VALUES ({', '.join('?' * (2 + len(COLUMNS)))})", rows)
