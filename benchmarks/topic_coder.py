"""The automatic topic coder out of sample: across organisations first, then from one plan to the other.

The headline is leave one organisation out (``benchmarks/topic_coder_looo.py``, which has the full
sweep, the calibration and the recall per topic): the shipped coder beside the coder as shipped
before it learnt from other bodies' plans. Then, for each direction between the shipped plans, trains lcplan.topics.TopicCoder on one plan's hand-coded items (their
adjudicated primary topic), the coded statements that ship with lcplan and the codebook, and codes the other plan's items:
top-1 and top-3 accuracy and Cohen's kappa (top-1 against the adjudicated primary), beside
the two human readers' agreement on the primary topic, and a majority-class baseline. Each
direction is run with each reading of a statement: alone, with its parent's title, with its
section's heading, with both, and with both and the document's title (lcplan.topics.coder_input;
the shipped coder reads all three); and as the shipped reading without the statements of other
bodies' plans.
A second estimate follows: 5-fold cross-validation within each plan (folds fixed by a seed).

    python benchmarks/topic_coder.py [--embedding-python /path/to/venv/bin/python] [--embeddings]

With ``--embeddings`` (lcplan's ``embeddings`` extra installed), the shipped reading is scored
with sentence embeddings too, as ``code_topics(embeddings=True)`` mixes them
(``TopicCoder.suggest(anchors=..., groups=...)``, the codebook's named phrases as anchors and
each statement's context as its group).

With ``--embedding-python PY`` (an interpreter with the ``wordllama`` package, which ships its
256-dimension static embeddings: no download), it also scores local sentence embeddings with
a logistic regression (C = 1, 4 and 16: a sweep, not a choice made on the test plan), and the
average of their probabilities with TF-IDF's.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import lcplan  # noqa: E402
from lcplan.agreement import agreement, cohen_kappa  # noqa: E402
from lcplan.codebook import codebook  # noqa: E402
from lcplan.paths import package_dir  # noqa: E402
from lcplan.topics import CONTEXT, TopicCoder, coder_input, item_context, training_data  # noqa: E402


EMBED = """
import json, sys, wordllama
from pathlib import Path
from wordllama import WordLlama
# its own folder as the cache: the weights and the tokenizer ship in the package (no download)
wl = WordLlama.load(cache_dir=Path(wordllama.__file__).parent, disable_download=True)
print(json.dumps(wl.embed(json.load(sys.stdin), norm=True).tolist()))
"""


def _embed(python: str, texts: list[str]):
    import numpy as np

    out = subprocess.run([python, "-c", EMBED], input=json.dumps(texts), capture_output=True, text=True, check=True)
    return np.array(json.loads(out.stdout))


def _scores(proba, classes, gold) -> tuple[float, float, list[int]]:
    import numpy as np

    order = np.argsort(-proba, axis=1)
    first = [int(c) for c in classes[order[:, 0]]]
    top3 = classes[order[:, :3]]
    return (float(np.mean([a == b for a, b in zip(first, gold)])),
            float(np.mean([g in t for g, t in zip(gold, top3)])), first)


READINGS = (CONTEXT, (), ("parent",), ("section",), ("parent", "section"))  # the shipped reading first


def _name(context: tuple[str, ...]) -> str:
    return ("tf-idf, " + (" + ".join(("statement", *context)) if context else "statement alone")
            + (" (shipped)" if context == CONTEXT else ""))


def _accuracy(coder: TopicCoder, texts: list[str], gold: list[int],
              anchors: list[tuple[str, int]] | None = None,
              groups: list[str | None] | None = None) -> tuple[float, float, list[int]]:
    got = coder.suggest(texts, top=3, anchors=anchors, groups=groups)
    first = got[got["rank"] == 1].sort_values("text_index")["topic_code"].tolist()
    top3 = got.groupby("text_index")["topic_code"].apply(set)
    return (sum(a == b for a, b in zip(first, gold)) / len(gold),
            sum(g in top3[k] for k, g in enumerate(gold)) / len(gold), first)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--embedding-python", help="an interpreter with wordllama installed")
    ap.add_argument("--embeddings", action="store_true", help="score the shipped reading with lcplan's embeddings too")
    args = ap.parse_args()
    import topic_coder_looo

    topic_coder_looo.headline([topic_coder_looo.SHIPPED, topic_coder_looo.BEFORE])
    print("\nFrom one shipped plan to the other\n")
    documents = lcplan.load("documents")
    docs = list(documents["document_id"])
    codes = lcplan.load("item_topics")
    frame = lcplan.load("items")
    items = frame.set_index("item_id")
    sections = lcplan.load("sections")
    read = {parts: coder_input(frame, sections, parts, documents) for parts in READINGS}
    context_of = item_context(frame, sections, CONTEXT, documents)
    primary = codes[codes["primary"]].set_index("item_id")["topic_code"]
    human = next(s for s in agreement(package_dir() / "reviewed") if s["measure"].startswith("topics: primary"))
    print(f"{'train':<16} {'test':<16} {'items':>5} {'top-1':>6} {'top-3':>6} {'kappa':>6} {'majority':>8} "
          f"{'seconds':>8}  method")
    for train, test in ((docs[0], docs[1]), (docs[1], docs[0])):
        test_ids = [i for i in primary.index if items.loc[i, "document_id"] == test]
        gold = [int(primary[i]) for i in test_ids]
        train_gold = [int(primary[i]) for i in primary.index if items.loc[i, "document_id"] == train]
        majority = Counter(train_gold).most_common(1)[0][0]
        base = sum(g == majority for g in gold) / len(gold)
        for context in READINGS:
            t0 = time.perf_counter()
            coder = TopicCoder(*training_data(documents=[train], context=context))
            texts = [read[context][i] for i in test_ids]
            acc1, acc3, first = _accuracy(coder, texts, gold)
            secs = time.perf_counter() - t0
            print(f"{train:<16} {test:<16} {len(gold):>5} {acc1:>6.1%} {acc3:>6.1%} {cohen_kappa(first, gold):>6.3f} "
                  f"{base:>8.1%} {secs:>8.2f}  {_name(context)}")
            if args.embeddings and context == CONTEXT:
                t0 = time.perf_counter()
                # anchors: lcplan's codebook, without the package's local terms (which code_topics would add)
                groups = [context_of[i] for i in test_ids]  # the contexts code_topics is given
                acc1, acc3, first = _accuracy(coder, texts, gold, anchors=codebook().anchors(), groups=groups)
                print(f"{train:<16} {test:<16} {len(gold):>5} {acc1:>6.1%} {acc3:>6.1%} "
                      f"{cohen_kappa(first, gold):>6.3f} {base:>8.1%} {secs + time.perf_counter() - t0:>8.2f}  "
                      f"{_name(context)}, with sentence embeddings (code_topics(embeddings=True), not adapted, "
                      "anchors without local terms)")
            if args.embedding_python and not context:
                _embeddings(args.embedding_python, train, test, coder, texts, gold, base)
        t0 = time.perf_counter()
        coder = TopicCoder(*training_data(documents=[train], library=False))
        acc1, acc3, first = _accuracy(coder, [read[CONTEXT][i] for i in test_ids], gold)
        print(f"{train:<16} {test:<16} {len(gold):>5} {acc1:>6.1%} {acc3:>6.1%} {cohen_kappa(first, gold):>6.3f} "
              f"{base:>8.1%} {time.perf_counter() - t0:>8.2f}  {_name(CONTEXT)}, without other bodies' statements")
    print(f"human readers, primary topic: {human['percent']}% agreement, kappa {human['kappa']} "
          f"({human['units']} items, before adjudication)")
    _cross_validation(docs, items, primary, read)
    _shared_headings_and_descriptions(docs, items, sections, primary, read)


def _shared_headings_and_descriptions(docs, items, sections, primary, read) -> None:
    """The shipped reading, split by whether a test item's context (its parent's title or its
    section's heading) is also the context of some coded item of the training plan; and trained with the topic descriptions as written, with
    only the codebook's words (no local additions), or with no codebook words."""
    from lcplan.topics import item_context

    frame = items.reset_index()
    contexts = [item_context(frame, sections, (part,)) for part in ("parent", "section")]

    def context_of(i: str) -> set[str]:
        return {c[i] for c in contexts if c[i]}

    local = codebook(package_dir())
    variants = {"descriptions as written": local.examples(),
                "codebook words only": codebook().examples(),
                "no descriptions": []}
    print(f"\n{'train':<16} {'test':<16} {'items':>5} {'top-1':>6} {'top-3':>6}  shipped reading, on")
    for train, test in ((docs[0], docs[1]), (docs[1], docs[0])):
        train_ids = [i for i in primary.index if items.loc[i, "document_id"] == train]
        test_ids = [i for i in primary.index if items.loc[i, "document_id"] == test]
        seen = set().union(*(context_of(i) for i in train_ids))
        texts, labels = training_data(documents=[train], examples=False)
        for name, desc in variants.items():
            coder = TopicCoder(texts + [t for t, _ in desc], labels + [c for _, c in desc])
            groups = {"all items": test_ids} if name != "descriptions as written" else {
                "all items": test_ids,
                "items whose context the training plan has": [i for i in test_ids if context_of(i) & seen],
                "items whose context it lacks": [i for i in test_ids if not context_of(i) & seen]}
            for label, ids in groups.items():
                if ids:
                    a1, a3, _ = _accuracy(coder, [read[CONTEXT][i] for i in ids], [int(primary[i]) for i in ids])
                    print(f"{train:<16} {test:<16} {len(ids):>5} {a1:>6.1%} {a3:>6.1%}  {label}, {name}")


def _cross_validation(docs, items, primary, read) -> None:
    """5-fold cross-validation within each plan, with and without context (a second estimate)."""
    import numpy as np
    from sklearn.model_selection import KFold

    from lcplan.topics import coded_statements

    described = codebook(package_dir()).examples()
    shipped = coded_statements()  # read as the shipped coder reads them
    library = ([f"{r['text']} {r['section']} {r['document_title']}" for _, r in shipped.iterrows()]
               + [t for t, _ in described], shipped["topic_code"].tolist() + [c for _, c in described])
    print(f"\n{'plan (5-fold, within)':<33} {'items':>5} {'top-1':>6} {'top-3':>6}  method")
    for doc in docs:
        ids = np.array([i for i in primary.index if items.loc[i, "document_id"] == doc])
        for context in READINGS:
            hit1 = hit3 = 0
            for tr, te in KFold(5, shuffle=True, random_state=0).split(ids):
                texts = [read[context][i] for i in ids[tr]] + library[0]
                labels = [int(primary[i]) for i in ids[tr]] + library[1]
                gold = [int(primary[i]) for i in ids[te]]
                a1, a3, _ = _accuracy(TopicCoder(texts, labels), [read[context][i] for i in ids[te]], gold)
                hit1, hit3 = hit1 + a1 * len(gold), hit3 + a3 * len(gold)
            print(f"{doc:<33} {len(ids):>5} {hit1 / len(ids):>6.1%} {hit3 / len(ids):>6.1%}  {_name(context)}")


def _embeddings(python, train, test, coder, texts, gold, base) -> None:
    """WordLlama embeddings with a logistic regression, alone and averaged with TF-IDF (statements alone)."""
    from sklearn.linear_model import LogisticRegression

    train_texts, train_labels = training_data(documents=[train], context=())
    t0 = time.perf_counter()
    e_train, e_test = _embed(python, train_texts), _embed(python, texts)
    p_tfidf = coder.model.predict_proba(texts)
    for c in (1, 4, 16):
        lr = LogisticRegression(C=c, max_iter=5000, class_weight="balanced").fit(e_train, train_labels)
        assert list(lr.classes_) == list(coder.model.classes_)
        p_emb = lr.predict_proba(e_test)
        for name, p in ((f"embeddings C={c}", p_emb), (f"average C={c}", (p_emb + p_tfidf) / 2)):
            a1, a3, top = _scores(p, lr.classes_, gold)
            print(f"{train:<16} {test:<16} {len(gold):>5} {a1:>6.1%} {a3:>6.1%} {cohen_kappa(top, gold):>6.3f} "
                  f"{base:>8.1%} {time.perf_counter() - t0:>8.2f}  {name}")


if __name__ == "__main__":
    main()
