"""The review drafts beside a drafted plan, in the package's ``drafts/``: suggested topics for
the statements that are coded, and a crosswalk against the body's latest earlier plan."""

from __future__ import annotations

from pathlib import Path
from typing import Any

__all__ = ["topics_draft", "crosswalk_draft"]


def topics_draft(package: Path, document_id: str, items: list[Any], sections: list[Any],
                 embeddings: bool = False) -> Path | None:
    """Suggested topics for the statements of the kinds that are coded, each read with its
    context (parent, section and the document's title), for review (needs the analysis extra;
    with ``embeddings``, the embeddings extra too: see :func:`lcplan.topics.code_topics`).
    ``status`` says what to do with each row: ``suggested`` is a confident first topic (score at
    least :data:`lcplan.topics.CONFIDENT`; with embeddings, :data:`lcplan.topics.EMBEDDING_CONFIDENT`),
    ``alternative`` another topic of that statement, and
    ``to review`` every topic of a statement the coder is not confident of: a reader codes it."""
    from dataclasses import asdict

    import pandas as pd

    from lcplan.loaders import forget, load
    from lcplan.registry import coded_kinds

    try:
        from lcplan.topics import code_topics, item_context, statement
    except ImportError:
        return None
    coded = [i for i in items if i.kind in coded_kinds()]
    if not coded:
        return None
    frame = pd.DataFrame([asdict(i) for i in items]).assign(document_id=document_id)
    headings = pd.DataFrame([asdict(s) for s in sections]) if sections else pd.DataFrame(columns=["section_id", "title"])
    forget()
    documents = load("documents", package)
    context = item_context(frame, headings, documents=documents[documents["document_id"] == document_id])
    try:
        got = code_topics([statement(asdict(i)) for i in coded], context=[context[i.item_id] for i in coded],
                          embeddings=embeddings)
    except ImportError:  # scikit-learn is not installed: no suggestions, unless embeddings were asked for
        if embeddings:
            raise
        return None
    per = len(got) // len(coded)  # the same number of suggestions for every statement, in order
    got.insert(0, "item_id", [i.item_id for i in coded for _ in range(per)])
    sure = set(got.loc[got["confident"], "item_id"])
    got["status"] = ["suggested" if c else "alternative" if i in sure else "to review"
                     for i, c in zip(got["item_id"], got["confident"])]
    path = package / "drafts" / f"{document_id}-topics.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    got.drop(columns="confident").to_csv(path, index=False)
    return path


def crosswalk_draft(package: Path, document_id: str, organisation: str, start: str) -> Path | None:
    """A draft crosswalk against the organisation's latest earlier plan, with both texts, for review."""
    from lcplan.loaders import forget, load

    forget()
    docs = load("documents", package)
    earlier = docs[(docs["organisation"] == organisation) & (docs["period_start"] < start)]
    if earlier.empty:
        return None
    try:
        from lcplan.matching import draft_crosswalk
    except ImportError:
        return None
    from lcplan.registry import kinds_where

    old = earlier.sort_values("period_start")["document_id"].iloc[-1]
    # statements are compared within a role (work with work, commitments with commitments, ...)
    groups = [kinds_where("role", role) for role in ("work", "commitment", "purpose")]
    cw = draft_crosswalk(old, document_id, groups=groups, package=package)
    text = load("items", package).set_index("item_id")["text"]
    cw = cw.assign(from_text=cw["from_item_id"].map(text), to_text=cw["to_item_id"].map(text))
    path = package / "drafts" / f"{document_id}-crosswalk.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    cw.to_csv(path, index=False)
    return path
