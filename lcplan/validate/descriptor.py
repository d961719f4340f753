"""Stage 1, the descriptor: read it safely and map the tables lcplan knows to their files.

Nothing outside the package's folder is read: URLs, absolute paths, ``..``, links that lead
out (the descriptor itself included) and loops of links are refused (:class:`Unusable`, exit 2).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from lcplan.registry import table_names, table_schema
from lcplan.validate.files import safe_path
from lcplan.validate.problems import Problems, Unusable, printable

REQUIRED_TABLES = ("documents", "sections", "items")
MAX_DESCRIPTOR_BYTES = 10_000_000


def locate(path: str | Path) -> Path:
    """The descriptor to read: a regular file inside the package folder (a link to a file
    elsewhere is refused, so nothing outside the folder is ever read)."""
    p = Path(path)
    try:
        if p.is_dir():
            p = p / "datapackage.json"
        if p.is_symlink():
            target = p.resolve(strict=True)
            if not target.is_relative_to(p.parent.resolve()):
                raise Unusable(f"{printable(str(p))}: refused: the descriptor is a link to a file outside the "
                               "package folder")
        if p.is_dir():
            raise Unusable(f"{printable(str(p))}: is a folder, not a descriptor (give a datapackage.json or "
                           "the folder that holds one)")
        if not p.is_file():
            raise Unusable(f"{printable(str(path))}: no such file (give a datapackage.json or the folder that "
                           "holds one)")
    except RuntimeError:
        raise Unusable(f"{printable(str(path))}: its links form a loop") from None
    except OSError as exc:
        import errno

        if exc.errno == errno.ENAMETOOLONG:  # no file can have that name
            raise Unusable(f"{printable(str(path))}: no such file: the name is longer than the file system allows "
                           "(a folder or file name over 255 bytes, or the path over 4,096)") from None
        raise Unusable(f"{printable(str(path))}: cannot be read: {exc.strerror or exc}") from None
    return p


def _no_json_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON (write a number or null)")


def read_descriptor(file: Path) -> dict[str, Any]:
    shown = printable(str(file))
    try:
        if file.stat().st_size > MAX_DESCRIPTOR_BYTES:
            raise Unusable(f"{shown}: the descriptor is larger than {MAX_DESCRIPTOR_BYTES:,} bytes")
        data = file.read_bytes()
    except OSError as exc:
        raise Unusable(f"{shown}: cannot be read: {exc.strerror or exc}") from None
    file = shown
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise Unusable(f"{file}: not UTF-8 (byte {exc.start})") from None
    try:
        descriptor = json.loads(text, parse_constant=_no_json_constant)
    except ValueError as exc:
        if not isinstance(exc, json.JSONDecodeError):  # NaN or Infinity, or an integer of 4,300+ digits
            why = (f"an integer of more than {sys.get_int_max_str_digits():,} digits is not a number a "
                   "descriptor holds" if "integer string conversion" in str(exc) else str(exc))
            raise Unusable(f"{file}: not valid JSON: {why}") from None
        raise Unusable(f"{file}: not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}") from None
    except json.JSONDecodeError as exc:
        raise Unusable(f"{file}: not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}") from None
    except RecursionError:
        raise Unusable(f"{file}: the JSON is nested too deeply to be a descriptor") from None
    if not isinstance(descriptor, dict) or not isinstance(descriptor.get("resources"), list):
        raise Unusable(f"{file}: not a Data Package descriptor (a JSON object with a 'resources' list)")
    return descriptor


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value] if isinstance(value, str) else []


def _schema_key(schema: Any) -> dict[str, Any]:
    """What must equal ours for a table to be read with our rules (any JSON in, never an exception)."""
    schema = schema if isinstance(schema, dict) else {}
    fields = [(str(f.get("name")), str(f.get("type", "string"))) for f in _listed(schema.get("fields"))
              if isinstance(f, dict)]
    fks = []
    for fk in _listed(schema.get("foreignKeys")):
        if isinstance(fk, dict):
            ref = fk.get("reference") if isinstance(fk.get("reference"), dict) else {}
            fks.append((tuple(map(str, _listed(fk.get("fields")))), str(ref.get("resource") or ""),
                        tuple(map(str, _listed(ref.get("fields"))))))
        else:
            fks.append(((), repr(fk), ()))
    return {"fields": fields, "primaryKey": [str(k) for k in _listed(schema.get("primaryKey"))],
            "foreignKeys": sorted(fks)}


def check_descriptor(descriptor: dict[str, Any], folder: Path, label: str, out: Problems) -> dict[str, Path]:
    """Known tables -> their files. Unsafe paths raise Unusable."""
    profile = str(descriptor.get("$schema") or descriptor.get("profile") or "")
    if profile and "datapackage" not in profile.replace("-", "").replace("_", "") and profile not in (
            "data-package", "tabular-data-package"):
        out.error(None, label, "profile", f"the descriptor's profile {profile!r} is not a Data Package profile")
    known = set(table_names())
    files: dict[str, Path] = {}
    seen: set[str] = set()
    for i, res in enumerate(descriptor["resources"]):
        if not isinstance(res, dict):
            out.error(None, label, "profile", f"resource {i + 1} is not a JSON object")
            continue
        name = res.get("name")
        if not isinstance(name, str) or not name:
            out.error(None, label, "profile", f"resource {i + 1} has no name (a non-empty string)")
            continue
        what = f"{label}: resource {name!r}"
        if "path" not in res:
            out.error(name, label, "missing_file", "the resource has no path (inline data is not supported)")
            continue
        path = safe_path(folder, res["path"], what)
        if name in seen:
            out.error(name, label, "profile", f"two resources are named {name!r}")
            continue
        seen.add(name)
        if name not in known:
            if not str(res["path"]).startswith("sources/"):
                out.warning(name, label, "unknown_resource", f"resource {name!r} is not a table lcplan knows; not checked")
            continue
        ours, theirs = _schema_key(table_schema(name)), _schema_key(res.get("schema") or {})
        if not isinstance(res.get("schema"), dict):
            out.error(name, label, "schema_mismatch", "the schema must be embedded in the descriptor as an object")
        elif theirs != ours:
            for (fn, ft), (gn, gt) in zip(ours["fields"], theirs["fields"]):
                if (fn, ft) != (gn, gt):
                    out.error(name, label, "schema_mismatch", f"field {gn!r} ({gt}) where lcplan has {fn!r} ({ft})",
                              field=gn)
                    break
            else:
                out.error(name, label, "schema_mismatch",
                          "fields, primary key or foreign keys differ from lcplan's schema")
        files[name] = path
    for name in REQUIRED_TABLES:
        if name not in files and name in known:
            out.error(name, label, "missing_table", f"the descriptor has no resource {name!r}")
    return files
