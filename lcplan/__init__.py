"""lcplan: the plans of public bodies as a dataset and a toolkit.

>>> import lcplan
>>> items = lcplan.load("items")          # every statement of the shipped package, typed
>>> lcplan.load("items", "path/to/pkg")   # or of any package in lcplan's layout
>>> lcplan.tables()                        # the table names
>>> lcplan.plan_items()                    # items with plan year and section path

Importing lcplan is light: pandas is imported on the first load, and pandera,
frictionless and altair only by the functions that need them.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from lcplan._version import __version__

__all__ = ["__version__", "load", "tables", "package_path", "plan_items", "validate", "extract_claims", "match_items", "cite", "code_topics", "search"]

_LAZY = {
    "load": "lcplan.loaders",
    "tables": "lcplan.loaders",
    "plan_items": "lcplan.loaders",
    "package_path": "lcplan.paths",
    "validate": "lcplan.validate",
    "extract_claims": "lcplan.claims",
    "match_items": "lcplan.matching",
    "cite": "lcplan.citation",
    "code_topics": "lcplan.topics",
    "search": "lcplan.corpus.search",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'lcplan' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
