"""Plain text (``text/plain``) and Markdown (``text/markdown``): taken as they are.

The file is the source ``lcplan`` stores, byte for byte; it must be UTF-8 with ``\\n`` line
ends. There is no layout to read: the draft's hints are guessed from the text alone.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from lcplan.ingest.model import Extracted, IngestError
from lcplan.text import source_lines

MEDIA_TYPES = {".txt": "text/plain", ".md": "text/markdown"}
SUFFIXES = tuple(MEDIA_TYPES)
EXTRA = ""


def read(path: Path, progress: Callable[[int, int], None] | None = None) -> Extracted:
    data = path.read_bytes()
    try:
        lines = source_lines(data)
    except UnicodeDecodeError as exc:
        raise IngestError(f"{path}: not UTF-8 (byte {exc.start}); save the text as UTF-8") from None
    if b"\r" in data:
        raise IngestError(f"{path}: has CR line ends; save it with LF (\\n) line ends")
    return Extracted(lines, data, path.suffix.lower())
