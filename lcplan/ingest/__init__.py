"""``lcplan ingest``: from a plan's document to a validated draft package, for a short review.

The stages, one module each:

- one module a format (:mod:`~lcplan.ingest.pdf`, :mod:`~lcplan.ingest.docx`,
  :mod:`~lcplan.ingest.html`, :mod:`~lcplan.ingest.text`), each with its suffixes, media type and
  extra, turns a file into the text lcplan stores and what its layout showed
  (:class:`~lcplan.ingest.model.Extracted`); :mod:`~lcplan.ingest.extract` picks the module;
- :mod:`~lcplan.ingest.hints` guesses the hints the text and layout do not say outright, and
  :mod:`~lcplan.ingest.kinds` the kinds of lists and numbers (no I/O in either);
- :mod:`~lcplan.ingest.drafting` reads the text with them, as the build will (it writes nothing);
- :mod:`~lcplan.ingest.package` writes into a package folder in one transaction;
- :mod:`~lcplan.ingest.review` writes the review drafts (topics, crosswalk);
- :mod:`~lcplan.ingest.pipeline` runs them in turn: :func:`ingest`.

The plan file itself is written by :mod:`lcplan.plans.write`, beside the reader of the format.
"""

from lcplan.ingest.drafting import Draft, draft
from lcplan.ingest.extract import extract
from lcplan.ingest.hints import guess_hints
from lcplan.ingest.kinds import KindGuesser
from lcplan.ingest.model import Extracted, IngestError, Layout, Note, TableSpan
from lcplan.ingest.pipeline import Result, ingest, progress_bar

__all__ = ["IngestError", "Note", "Extracted", "Layout", "TableSpan", "Draft", "Result", "extract", "guess_hints",
           "KindGuesser", "draft", "ingest", "progress_bar"]
