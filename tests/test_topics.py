"""The topic coder: its reading of a statement (its context), its scores tilted by its
training's topic shares, and `lcplan topics` on odd input.

Frames and files here are written for the tests; expectations come from the rule stated in
lcplan.topics (parent's title, or its text without one; then the section's heading).
"""

from __future__ import annotations

import csv

import numpy as np
import pandas as pd
import pytest

from conftest import run_lcplan
from lcplan.topics import coder_input, item_context

ITEMS = pd.DataFrame({
    "item_id": ["d/area/1", "d/pledge/1", "d/pledge/2", "d/sub/1", "d/loose/1"],
    "section_id": ["d/housing", "d/housing", "d/housing", pd.NA, pd.NA],
    "parent_item_id": [pd.NA, "d/area/1", "d/orphan", "d/pledge/1", pd.NA],
    "title": ["Homes for Londoners", pd.NA, "", pd.NA, pd.NA],
    "text": ["Build homes.", "Deliver 500 homes.", "Cut rough sleeping.", "Half for social rent.", "Publish a report."],
}).astype("string")
SECTIONS = pd.DataFrame({"section_id": ["d/housing"], "title": ["Housing and planning"]}).astype("string")


def test_context_is_the_parents_title_or_text_then_the_section_heading():
    got = item_context(ITEMS, SECTIONS)
    assert got == {
        "d/area/1": "Housing and planning",  # no parent
        "d/pledge/1": "Homes for Londoners Housing and planning",  # the parent's title
        "d/pledge/2": "Housing and planning",  # a parent not in the table reads as none
        "d/sub/1": "Deliver 500 homes.",  # a parent without a title gives its text; no section
        "d/loose/1": "",
    }
    assert item_context(ITEMS, SECTIONS, ("section",))["d/pledge/1"] == "Housing and planning"
    assert item_context(ITEMS, SECTIONS, ())["d/pledge/1"] == ""
    with pytest.raises(ValueError, match="unknown context"):
        item_context(ITEMS, SECTIONS, ("grandparent",))


def test_the_coder_reads_title_text_then_context():
    read = coder_input(ITEMS, SECTIONS)
    assert read["d/area/1"] == "Homes for Londoners Build homes. Housing and planning"
    assert read["d/loose/1"] == "Publish a report."
    assert coder_input(ITEMS, SECTIONS, ())["d/pledge/1"] == "Deliver 500 homes."


def test_code_topics_refuses_a_string_where_a_list_is_due():
    from lcplan.topics import code_topics

    with pytest.raises(TypeError):
        code_topics(["Publish a report."], context="Health")
    with pytest.raises(ValueError, match="top must be at least 1"):
        code_topics(["Publish a report."], top=0)


def test_lcplan_topics_headings_bom_and_hash_statements(tmp_path):
    """A UTF-8 byte order mark does not hide the first heading; '#1 priority' is a statement."""
    file = tmp_path / "plan.md"
    file.write_bytes("\ufeff# Policing and community safety\r\n#1 priority: publish an annual report.\r\n"
                     "Work with partners to improve outcomes.\r\n".encode("utf-8"))
    result = run_lcplan("topics", str(file), "--top", "1")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(result.stdout.splitlines()))
    assert [r["text"] for r in rows] == ["#1 priority: publish an annual report.",
                                         "Work with partners to improve outcomes."]
    assert [r["topic_code"] for r in rows] == ["12", "12"]  # both read under the policing heading
    only_headings = tmp_path / "headings.md"
    only_headings.write_text("# One\n## Two\n", encoding="utf-8")
    result = run_lcplan("topics", str(only_headings))
    assert result.returncode == 2 and "no statements" in result.stderr
    result = run_lcplan("topics", str(file), "--top", "0")
    assert result.returncode == 2 and "at least 1" in result.stderr and "Traceback" not in result.stderr


def test_the_coded_statements_lcplan_learns_from_are_the_gold():
    """lcplan/codebooks/cap_coded_statements.csv is the primary topics of every round's gold
    (benchmarks/gold/topics*/gold.csv), statement for statement, with each statement's text and
    section as the gold reads it."""
    import csv

    from conftest import REPO
    from lcplan.topics import coded_statements

    statements, gold = [], {}
    for gold_dir in sorted((REPO / "benchmarks" / "gold").glob("topics*")):
        if not (gold_dir / "statements.csv").exists() or gold_dir.name.endswith("-shipped"):
            continue
        read = lambda name: list(csv.DictReader(open(gold_dir / name, encoding="utf-8", newline="")))  # noqa: E731
        statements += [{**r, "round": gold_dir.name} for r in read("statements.csv")]  # a round numbers its own
        gold |= {(gold_dir.name, r["document"], r["statement"]): int(r["primary"]) for r in read("gold.csv")}
    shipped = coded_statements()
    assert len(shipped) == len(statements) == len(gold)
    rounds = {}  # no statement is given in two rounds
    for s in statements:
        rounds.setdefault((s["document"], s["text"]), set()).add(s["round"])
    assert all(len(r) == 1 for r in rounds.values())
    assert shipped["organisation"].nunique() >= 5 and shipped["document"].nunique() >= 10
    for (_, row), s in zip(shipped.iterrows(), statements):
        assert (row["document"], row["text"], row["section"]) == (s["document"], s["text"], s["section"])
        assert row["topic_code"] == gold[(s["round"], s["document"], s["statement"])]
        assert row["document_title"]


def test_codebook_examples_are_names_and_description_phrases():
    from lcplan.codebook import codebook

    examples = codebook().examples()
    assert ("Energy", 8) in examples and ("alternative", 8) in examples and ("renewable energy", 8) in examples
    assert ("Environment", 7) in examples and ("air pollution", 7) in examples
    assert {c for _, c in examples} == set(codebook().topics)


def test_codebook_anchors_name_each_phrase_after_its_topic():
    from lcplan.codebook import codebook

    book = codebook()
    anchors = book.anchors()
    assert ("Energy", 8) in anchors and ("Energy: renewable energy", 8) in anchors
    assert ("Transportation: its safety", 10) in anchors and ("its safety", 10) not in anchors
    assert len(anchors) == len(book.examples())  # one anchor an example, in the same order
    assert [c for _, c in anchors] == [c for _, c in book.examples()]
    # every topic has the phrases the zero-shot coder takes the nearest of (ANCHOR_NEAREST)
    from collections import Counter

    from lcplan.topics import ANCHOR_NEAREST

    assert min(Counter(c for _, c in anchors).values()) >= ANCHOR_NEAREST


def test_only_a_first_suggestion_at_or_above_the_threshold_is_confident():
    from lcplan.topics import CONFIDENT, code_topics

    texts, context = ["Build 500 new council homes for social rent by 2028.", "Publish a report."], ["Housing strategy", None]
    plain = code_topics(texts, top=3, context=context, adapt=False)
    assert not plain.loc[plain["rank"] > 1, "confident"].any()
    first = plain[plain["rank"] == 1]
    assert (first["confident"] == (first["score"] >= CONFIDENT)).all()
    assert first["confident"].iloc[0] and not first["confident"].iloc[1]  # homes under a housing title; a bare report
    # adapted to the statements given, the confidence is still the first coder's score
    adapted = code_topics(texts, top=3, context=context)
    a_first = adapted[adapted["rank"] == 1].reset_index(drop=True)
    for k in range(2):
        if a_first.loc[k, "topic_code"] == first["topic_code"].iloc[k]:
            assert a_first.loc[k, "confident"] == first["confident"].iloc[k]


def test_the_coder_adapts_to_the_statements_it_codes():
    """Self-training: the coder is trained again with the statements' own first suggestions
    scoring at least the threshold, labelled so; none scoring that high leaves it as it was."""
    from lcplan.topics import TopicCoder

    coder = TopicCoder(["build homes", "social housing", "plant trees", "clean air", "new homes for rent",
                        "reduce pollution"], [14, 14, 7, 7, 14, 7])
    texts = ["more homes", "cleaner air and fewer emissions", "the annual report"]
    again, first = coder.adapted(texts, threshold=0.0, rounds=1)
    assert again is not coder and len(again.texts) == len(coder.texts) + 3
    assert again.labels[-3:] == [int(coder.model.classes_[p.argmax()]) for p in first]
    assert again.labels[-3:-1] == [14, 7]
    same, _ = coder.adapted(texts, threshold=1.01)
    assert same is coder


def test_balanced_divides_by_the_shares_to_the_power():
    """balanced(): each row over the prior to the power, summing to 1 again; computed by hand."""
    from lcplan.topics import balanced

    scores = np.array([[0.6, 0.4], [0.0, 0.0]])
    prior = [0.75, 0.25]
    assert np.allclose(balanced(scores, prior, 1.0)[0], [1 / 3, 2 / 3])  # 0.8 and 1.6, over 2.4
    assert np.allclose(balanced(scores, prior, 2.0)[0], [0.6 / 0.5625 / 7.4667, 6.4 / 7.4667], atol=1e-4)
    assert np.allclose(balanced(scores, prior, 0)[0], [0.6, 0.4])
    assert np.allclose(balanced(scores, prior, 1.0)[1], [0, 0])  # a row of zeros stays zeros, no division by 0
    assert np.allclose(scores[0], [0.6, 0.4])  # not changed
    for bad in ([0.5], [1.0, 0.0], [0.5, np.nan], 0.5):
        with pytest.raises(ValueError, match="share above 0"):
            balanced(scores, bad)
    for bad in ([0.6, 0.4], [[0.6, np.nan]], [[1.2, -0.2]]):  # not a table; not finite; below 0
        with pytest.raises(ValueError, match="table"):
            balanced(bad, prior)
    with pytest.raises(ValueError, match="power"):
        balanced(scores, prior, -1)


def test_a_coder_keeps_its_training_shares_when_it_adapts():
    """TopicCoder.prior: the shares of its training labels in its classes' order; a coder trained
    again on its own suggestions keeps the first one's (what it was given, not what it guessed)."""
    from lcplan.topics import TopicCoder

    coder = TopicCoder(["build homes", "social housing", "homes to rent", "plant trees", "clean air", "bus lanes"],
                       [14, 14, 14, 7, 7, 10])
    assert list(coder.model.classes_) == [7, 10, 14]
    assert np.allclose(coder.prior, [2 / 6, 1 / 6, 3 / 6])
    adapted, _ = coder.adapted(["more homes for rent", "new homes", "affordable homes"], threshold=0.0)
    assert len(adapted.labels) == 9 and adapted.labels.count(14) > 3  # it learnt from its own suggestions
    assert np.allclose(adapted.prior, coder.prior)


def test_without_anchors_the_tf_idf_scores_are_not_balanced():
    """The coder alone (no sentence embeddings): its scores are its model's, not divided by its
    training's shares, although those shares are uneven here."""
    from lcplan.topics import TopicCoder

    coder = TopicCoder(["build homes", "social housing", "homes to rent", "plant trees", "clean air", "bus lanes"],
                       [14, 14, 14, 7, 7, 10])
    texts = ["new homes for rent", "fewer cars on the road"]
    got = coder.suggest(texts, top=3, digits=None)
    proba = coder.model.predict_proba(texts)
    for row in got.itertuples():
        assert row.score == pytest.approx(proba[row.text_index, list(coder.model.classes_).index(row.topic_code)],
                                          abs=1e-12)
