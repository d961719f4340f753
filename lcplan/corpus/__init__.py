"""Many packages at once: a full-text index of their statements, and search over it.

The index is derived data, rebuilt from the packages whenever their tables change, and kept
out of the packages themselves (in lcplan's cache folder: ``$LCPLAN_CACHE``, else
``$XDG_CACHE_HOME/lcplan``, else ``~/.cache/lcplan``), as datasette keeps its search apart
from the data it serves. :mod:`lcplan.corpus.index` builds it (SQLite FTS5, from the
standard library); :mod:`lcplan.corpus.search` queries it.
"""

from __future__ import annotations

from lcplan.corpus.search import SearchError, search

__all__ = ["search", "SearchError"]
