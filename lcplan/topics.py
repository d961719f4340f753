"""An automatic topic coder: Comparative Agendas Project major topics suggested for statements.

``code_topics(texts)`` returns, for each text, the ``top`` most likely major topics with a
score (a probability). The model is a TF-IDF (word 1-2 grams and character 3-5 grams) logistic
regression trained on the hand-coded, adjudicated items of a package (their primary topic)
and one example text per topic: its description in lcplan's codebook
(:mod:`lcplan.codebook`), with the package's local terms from ``reviewed/topics.toml``.

A statement is read, as a human coder reads it, with its context: its parent's title (or,
without one, its text) and its section's title (:func:`coder_input`). ``code_topics`` takes
the context of each text as ``context``; ``lcplan ingest`` passes the new plan's own. Its
accuracy out of sample is measured by ``benchmarks/topic_coder.py`` (trained on one plan,
tested on the other). Needs the ``analysis`` extra (scikit-learn).
"""

from __future__ import annotations

from functools import cache
from typing import Any

import pandas as pd

from lcplan.loaders import PackageLike, _folder, load

__all__ = ["TopicCoder", "code_topics", "coder_input", "item_context", "statement", "training_data", "with_context"]


CONTEXT = ("parent", "section")  # what the shipped coder reads a statement with


def training_data(package: PackageLike = None, documents: list[str] | None = None,
                  context: tuple[str, ...] = CONTEXT) -> tuple[list[str], list[int]]:
    """Texts and primary topics to train on: the coded items (of ``documents`` if given), read
    with their ``context`` (:func:`coder_input`; ``()`` for the statement alone), and one
    description per topic."""
    codes = load("item_topics", package)
    items = load("items", package)
    primary = codes[codes["primary"]].set_index("item_id")["topic_code"]
    if documents is not None:
        in_docs = items.loc[items["document_id"].isin(documents), "item_id"]
        primary = primary[primary.index.isin(in_docs)]
    read = coder_input(items, load("sections", package), context)
    texts = [read[i] for i in primary.index]
    labels = [int(c) for c in primary]
    for code, text in _descriptions(package).items():
        texts.append(text)
        labels.append(code)
    return texts, labels


def statement(row: Any) -> str:
    """What the coder reads of an item: its title (a titled statement's name) and its text."""
    title = row["title"] if isinstance(row["title"], str) else ""
    return f"{title} {row['text']}".strip()


def with_context(text: str, context: str | None) -> str:
    """A statement followed by its context, as the coder reads it."""
    return f"{text} {context}".strip() if isinstance(context, str) and context.strip() else text


def item_context(items: pd.DataFrame, sections: pd.DataFrame, parts: tuple[str, ...] = CONTEXT) -> dict[str, str]:
    """item_id -> the context a reader codes the item in: its parent's title (or, without one,
    its text: ``"parent"``) and its section's title (``"section"``), those named in ``parts``.
    Frames with the columns of ``items`` and ``sections``."""
    unknown = set(parts) - set(CONTEXT)
    if unknown:
        raise ValueError(f"unknown context {sorted(unknown)}: choose from {list(CONTEXT)}")
    statement = {r["item_id"]: (r["title"] if isinstance(r["title"], str) and r["title"] else r["text"])
                 for _, r in items.iterrows()}
    heading = dict(zip(sections["section_id"], sections["title"]))
    out = {}
    for _, r in items.iterrows():
        found = [statement.get(r["parent_item_id"]) if "parent" in parts and isinstance(r["parent_item_id"], str)
                 else None,
                 heading.get(r["section_id"]) if "section" in parts and isinstance(r["section_id"], str) else None]
        out[r["item_id"]] = " ".join(p for p in found if isinstance(p, str) and p)
    return out


def coder_input(items: pd.DataFrame, sections: pd.DataFrame, parts: tuple[str, ...] = CONTEXT) -> dict[str, str]:
    """item_id -> the item as the coder reads it: title and text, then its context (:func:`item_context`)."""
    context = item_context(items, sections, parts)
    return {r["item_id"]: with_context(statement(r), context[r["item_id"]]) for _, r in items.iterrows()}


def _descriptions(package: PackageLike) -> dict[int, str]:
    """Topic code -> what the coder reads as the topic's example: lcplan's codebook description,
    then the package's local terms (:mod:`lcplan.codebook`)."""
    from lcplan.codebook import codebook

    book = codebook(_folder(package))
    return {code: book.description(code) for code in book.topics}


class TopicCoder:
    """Fit on texts and topic codes; suggest the ``top`` topics of new texts with scores."""

    def __init__(self, texts: list[str], labels: list[int], c: float = 20):
        from lcplan.extras import require

        require("analysis", "sklearn")
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline, make_union

        features = make_union(
            TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True, min_df=1, stop_words="english"),
            TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, min_df=1),
        )
        self.model = make_pipeline(features, LogisticRegression(C=c, max_iter=2000, class_weight="balanced"))
        self.model.fit(texts, labels)

    def suggest(self, texts: list[str], top: int = 3) -> pd.DataFrame:
        """One row per text and suggestion: ``text_index``, ``rank`` (1 best), ``topic_code``, ``score``."""
        if top < 1:
            raise ValueError(f"top must be at least 1, not {top}")
        proba = self.model.predict_proba(list(texts))
        classes = self.model.classes_
        rows = []
        for i, p in enumerate(proba):
            for rank, k in enumerate(p.argsort()[::-1][:top], start=1):
                rows.append({"text_index": i, "rank": rank, "topic_code": int(classes[k]), "score": round(float(p[k]), 3)})
        return pd.DataFrame(rows)


@cache
def _shipped_coder() -> TopicCoder:
    return TopicCoder(*training_data())


def code_topics(texts: list[str], top: int = 3, package: PackageLike = None,
                context: list[str | None] | None = None) -> pd.DataFrame:
    """Suggested major topics for ``texts``: ``text``, ``rank``, ``topic_code``, ``topic``, ``score``.

    ``context``, one per text (or None), is what the statement is read under: its parent
    statement's title and its section's heading (see :func:`item_context`); it helps, as it
    helps a human coder. Trained on the shipped package's coded items (or ``package``'s).
    """
    if isinstance(texts, str) or isinstance(context, str):
        raise TypeError("texts and context are lists of strings, one entry a statement")
    texts = list(texts)
    if context is not None and len(context) != len(texts):
        raise ValueError(f"context has {len(context)} entries for {len(texts)} texts")
    read = texts if context is None else [with_context(t, c) for t, c in zip(texts, context)]
    coder = _shipped_coder() if package is None else TopicCoder(*training_data(package))
    out = coder.suggest(read, top)
    names = load("topics", package).set_index("topic_code")["topic"]
    out["topic"] = out["topic_code"].map(names).astype("string")
    out.insert(0, "text", [texts[i] for i in out["text_index"]])
    return out.drop(columns="text_index")
