"""Year-on-year matching: candidate links between the statements of two plans.

``match_items(old, new)`` scores every pair of items by TF-IDF cosine similarity over word
n-grams (1-2, English stop words dropped) and character n-grams (3-5, within words), which
suits short policy statements that reword ("Accelerating housing delivery" / "Accelerate
housing delivery"), plus a little weight for the similarity of their section titles. It then
assigns links one-to-few: best pairs first, each item taking at most ``max_links`` partners
and a second partner only when it scores within ``margin`` of its first.

``draft_crosswalk(old_doc, new_doc)`` turns the links into a draft crosswalk for a person to
review (same / revised / related by score, and dropped / new for what is left), and
``evaluate(draft, curated)`` gives precision, recall and F1 against a reviewed crosswalk.
Imports scikit-learn (the ``analysis`` extra).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd

__all__ = ["MatchSettings", "match_items", "draft_crosswalk", "evaluate", "default_groups"]


def default_groups(package: Any = None) -> list[tuple[str, ...]]:
    """The groups of kinds to match within: the kinds the package's curated crosswalk links to
    each other (a priority with a work area, a theme with a theme, ...), or, with no crosswalk,
    the kinds of each role (work, commitment, purpose) from ``schemas/``."""
    from lcplan.loaders import load

    cw = load("crosswalk", package)
    kind = load("items", package).set_index("item_id")["kind"].astype(str)
    parent: dict[str, str] = {}

    def find(k: str) -> str:
        while parent.setdefault(k, k) != k:
            k = parent[k]
        return k

    for a, b in zip(cw["from_item_id"].map(kind), cw["to_item_id"].map(kind)):
        for k in (a, b):
            if isinstance(k, str):
                find(k)
        if isinstance(a, str) and isinstance(b, str):
            parent[find(a)] = find(b)
    groups: dict[str, list[str]] = {}
    for k in parent:
        groups.setdefault(find(k), []).append(k)
    if groups:
        return [tuple(sorted(g)) for g in sorted(groups.values())]
    from lcplan.registry import kinds_where

    return [kinds_where("role", role) for role in ("work", "commitment", "purpose")]


@dataclass(frozen=True)
class MatchSettings:
    threshold: float = 0.18  # lowest score that makes a link
    same: float = 0.85  # a link this strong is 'same' wording
    revised: float = 0.25  # ... this strong "revised"; weaker links are "related"
    max_links: int = 2
    margin: float = 0.08
    word_weight: float = 0.5
    context_weight: float = 0.0  # section titles were renamed between the plans: no help measured


def _text(frame: pd.DataFrame) -> pd.Series:
    title = frame["title"].fillna("") if "title" in frame else ""
    return (title + " " + frame["text"].fillna("")).str.strip().str.replace("’", "'", regex=False)


def similarity(old: pd.DataFrame, new: pd.DataFrame, settings: MatchSettings = MatchSettings(),
               scorer: Callable[[list[str], list[str]], Any] | None = None) -> pd.DataFrame:
    """Scores of every (old, new) pair: ``word``, ``char``, ``context`` and the combined ``score``.

    ``scorer(old_texts, new_texts)`` replaces TF-IDF with any similarity matrix (e.g. from
    sentence embeddings); the assignment that follows is the same.
    """
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer

    a, b = _text(old), _text(new)
    if scorer is not None:
        sim = np.asarray(scorer(a.tolist(), b.tolist()), dtype=float)
        i, j = np.meshgrid(np.arange(len(old)), np.arange(len(new)), indexing="ij")
        return pd.DataFrame({"from_item_id": old["item_id"].to_numpy()[i.ravel()],
                             "to_item_id": new["item_id"].to_numpy()[j.ravel()], "score": sim.ravel()})
    corpus = pd.concat([a, b], ignore_index=True)
    word = TfidfVectorizer(analyzer="word", ngram_range=(1, 2), stop_words="english", sublinear_tf=True).fit(corpus)
    char = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True).fit(corpus)
    sim_word = (word.transform(a) @ word.transform(b).T).toarray()
    sim_char = (char.transform(a) @ char.transform(b).T).toarray()
    sim = settings.word_weight * sim_word + (1 - settings.word_weight) * sim_char
    if settings.context_weight and "section_title" in old and "section_title" in new:
        ctx_a = old["section_title"].fillna("").astype(str)
        ctx_b = new["section_title"].fillna("").astype(str)
        ctx = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5)).fit(pd.concat([ctx_a, ctx_b]))
        sim_ctx = (ctx.transform(ctx_a) @ ctx.transform(ctx_b).T).toarray()
        sim = (1 - settings.context_weight) * sim + settings.context_weight * sim_ctx
    else:
        sim_ctx = np.zeros_like(sim)
    i, j = np.meshgrid(np.arange(len(old)), np.arange(len(new)), indexing="ij")
    return pd.DataFrame({
        "from_item_id": old["item_id"].to_numpy()[i.ravel()],
        "to_item_id": new["item_id"].to_numpy()[j.ravel()],
        "score": sim.ravel(), "word": sim_word.ravel(), "char": sim_char.ravel(), "context": sim_ctx.ravel(),
    })


def match_items(old: pd.DataFrame, new: pd.DataFrame, settings: MatchSettings = MatchSettings(),
                scorer: Callable[[list[str], list[str]], Any] | None = None) -> pd.DataFrame:
    """Candidate links between ``old`` and ``new`` items (frames with item_id, text and
    optionally title and section_title), best first, one-to-few."""
    pairs = similarity(old, new, settings, scorer)
    pairs = pairs[pairs["score"] >= settings.threshold].sort_values("score", ascending=False, kind="stable")
    best_from: dict[str, float] = {}
    best_to: dict[str, float] = {}
    n_from: dict[str, int] = {}
    n_to: dict[str, int] = {}
    keep = []
    for row in pairs.itertuples():
        f, t, s = row.from_item_id, row.to_item_id, row.score
        if n_from.get(f, 0) >= settings.max_links or n_to.get(t, 0) >= settings.max_links:
            continue
        if (f in best_from and s < best_from[f] - settings.margin) or (t in best_to and s < best_to[t] - settings.margin):
            continue
        best_from.setdefault(f, s)
        best_to.setdefault(t, s)
        n_from[f] = n_from.get(f, 0) + 1
        n_to[t] = n_to.get(t, 0) + 1
        keep.append(row.Index)
    return pairs.loc[keep].reset_index(drop=True)


def _relation(score: float, settings: MatchSettings) -> str:
    return "same" if score >= settings.same else "revised" if score >= settings.revised else "related"


def draft_crosswalk(old_doc: str, new_doc: str, settings: MatchSettings = MatchSettings(),
                    groups: list[tuple[str, ...]] | None = None,
                    scorer: Callable[[list[str], list[str]], Any] | None = None,
                    package: Any = None) -> pd.DataFrame:
    """A draft crosswalk between two documents of a package (default: the shipped one), for review.

    ``groups``: the kinds compared with each other (default: :func:`default_groups`).
    """
    from lcplan.loaders import plan_items

    items = plan_items(package)
    rows = []
    for group in groups or default_groups(package):
        old = items[(items["document_id"] == old_doc) & items["kind"].isin(group)].reset_index(drop=True)
        new = items[(items["document_id"] == new_doc) & items["kind"].isin(group)].reset_index(drop=True)
        if old.empty and new.empty:
            continue
        links = match_items(old, new, settings, scorer) if len(old) and len(new) else pd.DataFrame(
            columns=["from_item_id", "to_item_id", "score"])
        for r in links.itertuples():
            rows.append((r.from_item_id, r.to_item_id, _relation(r.score, settings), round(float(r.score), 3)))
        for f in sorted(set(old["item_id"]) - set(links["from_item_id"]), key=list(old["item_id"]).index):
            rows.append((f, pd.NA, "dropped", pd.NA))
        for t in sorted(set(new["item_id"]) - set(links["to_item_id"]), key=list(new["item_id"]).index):
            rows.append((pd.NA, t, "new", pd.NA))
    out = pd.DataFrame(rows, columns=["from_item_id", "to_item_id", "relation", "score"])
    out["note"] = "draft: " + out["score"].map(lambda s: f"score {s}" if pd.notna(s) else "no candidate above threshold")
    return out.astype({"from_item_id": "string", "to_item_id": "string", "relation": "string", "note": "string"})


def evaluate(draft: pd.DataFrame, curated: pd.DataFrame, relations: tuple[str, ...] = ("same", "revised")) -> dict:
    """Precision, recall and F1 of the draft's links against the curated links of ``relations``.

    A draft link counts when its pair is among the curated pairs whose relation is in
    ``relations`` (the draft's own relation label is not scored).
    """
    def pairs(frame: pd.DataFrame, rels: tuple[str, ...]) -> set[tuple[str, str]]:
        f = frame[frame["relation"].isin(rels) & frame["from_item_id"].notna() & frame["to_item_id"].notna()]
        return set(zip(f["from_item_id"], f["to_item_id"]))

    gold = pairs(curated, relations)
    pred = pairs(draft, ("same", "revised", "related")) if "related" in relations else pairs(draft, ("same", "revised"))
    tp = len(pred & gold)
    precision = tp / len(pred) if pred else 0.0
    recall = tp / len(gold) if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"relations": "+".join(relations), "gold": len(gold), "predicted": len(pred), "true_positives": tp,
            "precision": round(precision, 3), "recall": round(recall, 3), "f1": round(f1, 3)}
