"""The automatic topic coder out of sample: trained on one plan, tested on the other.

For each direction, trains lcplan.topics.TopicCoder on one plan's hand-coded items (their
adjudicated primary topic) plus the topic descriptions, and codes the other plan's items:
top-1 and top-3 accuracy and Cohen's kappa (top-1 against the adjudicated primary), beside
the two human readers' agreement on the primary topic, and a majority-class baseline.

    python benchmarks/topic_coder.py [--embedding-python /path/to/venv/bin/python]

With ``--embedding-python PY`` (an interpreter with the ``wordllama`` package, which ships its
256-dimension static embeddings: no download), it also scores local sentence embeddings with
a logistic regression (C = 1, 4 and 16: a sweep, not a choice made on the test plan), and the
average of their probabilities with TF-IDF's.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import time
from collections import Counter

import lcplan
from lcplan.agreement import agreement, cohen_kappa
from lcplan.paths import package_dir
from lcplan.topics import TopicCoder, training_data


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


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--embedding-python", help="an interpreter with wordllama installed")
    args = ap.parse_args()
    docs = list(lcplan.load("documents")["document_id"])
    codes = lcplan.load("item_topics")
    items = lcplan.load("items").set_index("item_id")
    primary = codes[codes["primary"]].set_index("item_id")["topic_code"]
    human = next(s for s in agreement(package_dir() / "reviewed") if s["measure"].startswith("topics: primary"))
    print(f"{'train':<16} {'test':<16} {'items':>5} {'top-1':>6} {'top-3':>6} {'kappa':>6} {'majority':>8} {'seconds':>8}")
    for train, test in ((docs[0], docs[1]), (docs[1], docs[0])):
        t0 = time.perf_counter()
        coder = TopicCoder(*training_data(documents=[train]))
        test_ids = [i for i in primary.index if items.loc[i, "document_id"] == test]
        texts = [" ".join(x for x in (items.loc[i, "title"], items.loc[i, "text"]) if isinstance(x, str))
                 for i in test_ids]
        got = coder.suggest(texts, top=3)
        secs = time.perf_counter() - t0
        gold = [int(primary[i]) for i in test_ids]
        first = got[got["rank"] == 1].sort_values("text_index")["topic_code"].tolist()
        top3 = got.groupby("text_index")["topic_code"].apply(set)
        acc1 = sum(a == b for a, b in zip(first, gold)) / len(gold)
        acc3 = sum(g in top3[k] for k, g in enumerate(gold)) / len(gold)
        train_gold = [int(primary[i]) for i in primary.index if items.loc[i, "document_id"] == train]
        majority = Counter(train_gold).most_common(1)[0][0]
        base = sum(g == majority for g in gold) / len(gold)
        print(f"{train:<16} {test:<16} {len(gold):>5} {acc1:>6.1%} {acc3:>6.1%} {cohen_kappa(first, gold):>6.3f} "
              f"{base:>8.1%} {secs:>8.2f}  tf-idf")
        if args.embedding_python:
            from sklearn.linear_model import LogisticRegression

            train_texts, train_labels = training_data(documents=[train])
            t0 = time.perf_counter()
            e_train, e_test = _embed(args.embedding_python, train_texts), _embed(args.embedding_python, texts)
            p_tfidf = coder.model.predict_proba(texts)
            for c in (1, 4, 16):
                lr = LogisticRegression(C=c, max_iter=5000, class_weight="balanced").fit(e_train, train_labels)
                assert list(lr.classes_) == list(coder.model.classes_)
                p_emb = lr.predict_proba(e_test)
                for name, p in ((f"embeddings C={c}", p_emb), (f"average C={c}", (p_emb + p_tfidf) / 2)):
                    a1, a3, top = _scores(p, lr.classes_, gold)
                    print(f"{train:<16} {test:<16} {len(gold):>5} {a1:>6.1%} {a3:>6.1%} {cohen_kappa(top, gold):>6.3f} "
                          f"{base:>8.1%} {time.perf_counter() - t0:>8.2f}  {name}")
    print(f"human readers, primary topic: {human['percent']}% agreement, kappa {human['kappa']} "
          f"({human['units']} items, before adjudication)")


if __name__ == "__main__":
    main()
