"""Extract: a plan's file read by the module of its format (one module a format, each
declaring its suffixes, media type and extra) into :class:`~lcplan.ingest.model.Extracted`."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from lcplan.ingest import docx as docx_format
from lcplan.ingest import html as html_format
from lcplan.ingest import pdf as pdf_format
from lcplan.ingest import text as text_format
from lcplan.ingest.model import Extracted, IngestError

__all__ = ["FORMATS", "extract"]

FORMATS = (text_format, pdf_format, html_format, docx_format)  # one module a format, each with its media type


def extract(path: Path, progress: Callable[[int, int], None] | None = None) -> Extracted:
    """The text of a plan file, read by the module of its format; for a PDF, by its layout."""
    suffix = path.suffix.lower()
    if path.is_dir():
        raise IngestError(f"{path}: is a folder; give the plan's file (PDF, Word, web page, .txt or .md)")
    if not path.is_file():
        raise IngestError(f"{path}: no such file")
    for fmt in FORMATS:
        if suffix in fmt.SUFFIXES:
            return fmt.read(path, progress)
    known = ", ".join(s for fmt in FORMATS for s in fmt.SUFFIXES)
    raise IngestError(f"{path}: a plan is a file of one of these kinds: {known}")
