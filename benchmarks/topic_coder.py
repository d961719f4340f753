"""The automatic topic coder out of sample: trained on one plan, tested on the other.

For each direction, trains lcplan.topics.TopicCoder on one plan's hand-coded items (their
adjudicated primary topic) plus the topic descriptions, and codes the other plan's items:
top-1 and top-3 accuracy and Cohen's kappa (top-1 against the adjudicated primary), beside
the two human readers' agreement on the primary topic, and a majority-class baseline.

    python benchmarks/topic_coder.py
"""

from __future__ import annotations

import time
from collections import Counter

import lcplan
from lcplan.agreement import agreement, cohen_kappa
from lcplan.paths import package_dir
from lcplan.topics import TopicCoder, training_data


def main() -> None:
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
              f"{base:>8.1%} {secs:>8.2f}")
    print(f"human readers, primary topic: {human['percent']}% agreement, kappa {human['kappa']} "
          f"({human['units']} items, before adjudication)")


if __name__ == "__main__":
    main()
