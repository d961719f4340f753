"""Where things are: the one module that resolves paths.

Installed from a wheel, the data package and the schemas live inside the ``lcplan``
package (``lcplan/data``, ``lcplan/schemas``). In a checkout, editable install or not,
they are the repository's ``datasets/`` and ``schemas/``. Nothing depends on the
current working directory.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from pathlib import Path

_HERE = Path(__file__).resolve().parent


class NotACheckout(RuntimeError):
    """A developer command (build) was run from an installed wheel, not a source checkout."""


@cache
def repo_root() -> Path | None:
    """The source checkout this module sits in, or None when installed from a wheel."""
    root = _HERE.parent
    if (root / "pyproject.toml").is_file() and any((root / "datasets").glob("*/package.toml")):
        return root
    return None


def _resource_dir(installed: str, in_repo: str) -> Path:
    packaged = Path(str(files("lcplan") / installed))
    if packaged.is_dir():
        return packaged
    root = repo_root()
    if root is not None:
        return root / in_repo
    raise FileNotFoundError(f"lcplan's {installed!r} folder is missing: reinstall the package")


def data_root() -> Path:
    """The folder that holds the data packages (``datasets/`` in a checkout)."""
    return _resource_dir("data", "datasets")


def _shipped(root: Path, marker: str = "datapackage.json") -> Path:
    """The package shipped with lcplan: the one package folder under ``root`` (found by ``marker``;
    its name is the data's, not the code's)."""
    found = sorted(p.parent for p in root.glob(f"*/{marker}"))
    if len(found) != 1:
        raise FileNotFoundError(f"{root}: lcplan ships one data package here, found {len(found)}")
    return found[0]


@cache
def package_dir() -> Path:
    """The folder of the data package shipped with lcplan."""
    return _shipped(data_root())


def package_folder(package: str | Path | None = None) -> Path:
    """The folder of a package: the shipped one for None; a folder, or its datapackage.json."""
    if package is None:
        return package_dir()
    p = Path(package).expanduser().resolve()
    return p.parent if p.name == "datapackage.json" else p


def package_path() -> Path:
    """The path of ``datapackage.json``, for frictionless, R or any Data Package reader."""
    return package_dir() / "datapackage.json"


def schemas_dir() -> Path:
    """The Table Schema JSON files: the single source of truth for every table."""
    return _resource_dir("schemas", "schemas")


def notebooks_dir() -> Path:
    """The analysis notebooks (``notebooks/`` in a checkout; shipped in the wheel too)."""
    return _resource_dir("notebooks", "notebooks")


def checkout() -> Path:
    """The source checkout, for commands that write to it; a clear error otherwise."""
    root = repo_root()
    if root is None:
        raise NotACheckout("this command works in a source checkout of lcplan, not an installed wheel")
    return root


def shipped_package_dir() -> Path:
    """The shipped package's folder in the source checkout, where ``lcplan build`` writes."""
    return _shipped(checkout() / "datasets", "package.toml")
