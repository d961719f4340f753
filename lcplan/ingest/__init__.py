"""``lcplan ingest``: from a plan's document to a validated draft package, for a short review.

One module a format (:mod:`lcplan.ingest.pdf`, :mod:`lcplan.ingest.docx`, :mod:`lcplan.ingest.html`,
:mod:`lcplan.ingest.text`), each with its media type,
turns a file into the text ``lcplan`` stores and what its layout showed
(:class:`lcplan.ingest.model.Extracted`); :mod:`lcplan.ingest.drafting` guesses the hints the text and
layout do not say outright, reads the plan, and writes and builds the package.
"""

from lcplan.ingest.drafting import (KindGuesser, Draft, Result, draft, extract, guess_hints, ingest, plan_toml,
                                 progress_bar)
from lcplan.ingest.model import Extracted, IngestError, Layout, Note, TableSpan

__all__ = ["IngestError", "Note", "Extracted", "Layout", "TableSpan", "Draft", "Result", "extract", "guess_hints",
           "KindGuesser", "draft", "ingest", "plan_toml", "progress_bar"]
