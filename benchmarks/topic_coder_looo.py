"""The topic coder across organisations: leave one organisation out.

Data: the hand-coded statements of work of 12 corpus documents (``benchmarks/gold/topics/gold.csv``:
605 statements, 9 publishers, two blind readers, adjudicated), each read with its section heading,
and the shipped plans' coded items (London Councils, read with parent and section as the shipped
coder reads them). For each organisation, a coder is trained on every other organisation's
statements and on the descriptions of lcplan's codebook (no package's local additions), and codes
the held-out organisation's statements. Pooled over all held-out statements: top-1, top-3 and
Cohen's kappa of the first suggestion against the gold primary topic; the share and top-1 of the
*confident* suggestions (the first topic's probability at or above a threshold: 0.4, 0.5 and 0.6
are printed, a sweep fixed beforehand); recall per topic.

    python benchmarks/topic_coder_looo.py [--embedding-python /path/to/venv/bin/python]

Methods: TF-IDF (word and character n-grams) logistic regression as lcplan ships it, with the
section as context and without; the codebook's descriptions alone (a zero-shot coder: nothing
hand-coded); and, with ``--embedding-python`` (an interpreter with ``wordllama``, which ships its
embeddings: no download), WordLlama embeddings with a logistic regression, alone and averaged with
TF-IDF.
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOLD = Path(__file__).resolve().parent / "gold" / "topics"
THRESHOLDS = (0.4, 0.5, 0.6)
EMBED = """
import json, sys, wordllama
from pathlib import Path
from wordllama import WordLlama
wl = WordLlama.load(cache_dir=Path(wordllama.__file__).parent, disable_download=True)
print(json.dumps(wl.embed(json.load(sys.stdin), norm=True).tolist()))
"""


def corpus_rows() -> list[dict]:
    with open(GOLD / "statements.csv", newline="", encoding="utf-8") as f:
        statements = {(r["document"], r["statement"]): r for r in csv.DictReader(f)}
    with open(GOLD / "gold.csv", newline="", encoding="utf-8") as f:
        gold = list(csv.DictReader(f))
    out = []
    for g in gold:
        s = statements[(g["document"], g["statement"])]
        out.append({"organisation": s["organisation"], "alone": s["text"],
                    "context": f"{s['text']} {s['section']}".strip(), "topic": int(g["primary"])})
    return out


def shipped_rows() -> list[dict]:
    sys.path.insert(0, str(ROOT))
    import lcplan
    from lcplan.topics import coder_input

    items, sections = lcplan.load("items"), lcplan.load("sections")
    codes = lcplan.load("item_topics")
    primary = codes[codes["primary"]].set_index("item_id")["topic_code"]
    organisation = lcplan.load("documents").set_index("document_id")["organisation"]
    read, alone = coder_input(items, sections), coder_input(items, sections, ())
    by_id = items.set_index("item_id")
    return [{"organisation": str(organisation[by_id.loc[i, "document_id"]]), "alone": alone[i], "context": read[i],
             "topic": int(t)} for i, t in primary.items()]


def descriptions(phrases: bool = False) -> tuple[list[str], list[int]]:
    """The codebook's descriptions, one text a topic; or (``phrases``) each description cut at its
    commas into the subtopics it lists, each an example of its topic."""
    from lcplan.codebook import codebook

    book = codebook()
    if not phrases:
        return [book.description(c) for c in book.topics], list(book.topics)
    texts, labels = [], []
    for c, name in book.topics.items():
        body = book.description(c).split(":", 1)[-1]
        for part in [name, *body.replace(" and ", ", ").split(",")]:
            if part.strip():
                texts.append(part.strip())
                labels.append(c)
    return texts, labels


def tfidf(texts: list[str], labels: list[int], c: float | None = None):
    """lcplan's TopicCoder as shipped (C = 20), or at another regularisation ``c``."""
    from lcplan.topics import TopicCoder

    return (TopicCoder(texts, labels) if c is None else TopicCoder(texts, labels, c)).model



def embed(python: str, texts: list[str]):
    import numpy as np

    out = subprocess.run([python, "-c", EMBED], input=json.dumps(texts), capture_output=True, text=True, check=True)
    return np.array(json.loads(out.stdout))


def evaluate(rows: list[dict], method: str, python: str | None = None) -> dict:
    """Leave each organisation out; pooled scores of ``method`` on the held-out statements."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    from lcplan.agreement import cohen_kappa

    d_texts, d_labels = descriptions(phrases="phrases" in method)
    orgs = sorted({r["organisation"] for r in rows})
    gold, first, top3, conf = [], [], [], []
    by_org = {}
    vectors = None
    if method in ("embeddings", "average"):
        vectors = embed(python, [r["alone"] for r in rows] + d_texts)
    for org in orgs:
        train = [i for i, r in enumerate(rows) if r["organisation"] != org]
        test = [i for i, r in enumerate(rows) if r["organisation"] == org]
        reading = "alone" if method == "tf-idf, statement alone" else "context"
        if method.startswith("descriptions only"):
            model = tfidf(d_texts, d_labels)
            proba, classes = model.predict_proba([rows[i][reading] for i in test]), model.classes_
        elif method in ("embeddings", "average"):
            x = np.vstack([vectors[train], vectors[len(rows):]])
            y = [rows[i]["topic"] for i in train] + d_labels
            lr = LogisticRegression(C=4, max_iter=3000, class_weight="balanced").fit(x, y)
            proba, classes = lr.predict_proba(vectors[test]), lr.classes_
            if method == "average":
                model = tfidf([rows[i]["context"] for i in train] + d_texts, [rows[i]["topic"] for i in train] + d_labels)
                other = model.predict_proba([rows[i]["context"] for i in test])
                assert list(model.classes_) == list(classes)
                proba = (proba + other) / 2
        else:
            c = float(method.rsplit("C=", 1)[1]) if "C=" in method else None
            model = tfidf([rows[i][reading] for i in train] + d_texts, [rows[i]["topic"] for i in train] + d_labels, c)
            proba, classes = model.predict_proba([rows[i][reading] for i in test]), model.classes_
        order = np.argsort(-proba, axis=1)
        g = [rows[i]["topic"] for i in test]
        f = [int(classes[o[0]]) for o in order]
        t3 = [{int(c) for c in classes[o[:3]]} for o in order]
        gold += g
        first += f
        top3 += t3
        conf += [float(proba[k, o[0]]) for k, o in enumerate(order)]
        by_org[org] = (len(g), sum(a == b for a, b in zip(f, g)) / len(g), sum(a in s for a, s in zip(g, t3)) / len(g))
    n = len(gold)
    out = {"method": method, "n": n, "top1": sum(a == b for a, b in zip(first, gold)) / n,
           "top3": sum(a in s for a, s in zip(gold, top3)) / n, "kappa": cohen_kappa(first, gold), "by_org": by_org,
           "confident": {}, "recall": {}}
    for t in THRESHOLDS:
        keep = [k for k in range(n) if conf[k] >= t]
        out["confident"][t] = (len(keep) / n, sum(first[k] == gold[k] for k in keep) / len(keep) if keep else float("nan"))
    counts = Counter(gold)
    hits = defaultdict(int)
    for a, b in zip(first, gold):
        hits[b] += a == b
    out["recall"] = {t: (counts[t], hits[t] / counts[t]) for t in sorted(counts)}
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--embedding-python", help="an interpreter with wordllama installed")
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT))
    from lcplan.codebook import codebook

    names = codebook().topics
    rows = corpus_rows() + shipped_rows()
    orgs = Counter(r["organisation"] for r in rows)
    print(f"{len(rows)} hand-coded statements of {len(orgs)} organisations; each left out in turn\n")
    methods = ["tf-idf, statement + section (shipped)", "tf-idf, statement alone", "descriptions only",
               "descriptions only, phrases", "tf-idf, statement + section, description phrases",
               "tf-idf, statement + section, description phrases, C=4",
               "tf-idf, statement + section, description phrases, C=1"]
    if args.embedding_python:
        methods += ["embeddings", "average"]
    results = [evaluate(rows, m, args.embedding_python) for m in methods]
    head = " | ".join(f"confident ≥{t}: share, top-1" for t in THRESHOLDS)
    print(f"| method | statements | top-1 | top-3 | kappa | {head} |")
    print("|---|---:|---:|---:|---:|" + "---:|" * len(THRESHOLDS))
    for r in results:
        conf = " | ".join(f"{s:.0%}, {a:.1%}" for s, a in r["confident"].values())
        print(f"| {r['method']} | {r['n']} | {r['top1']:.1%} | {r['top3']:.1%} | {r['kappa']:.3f} | {conf} |")
    best = results[0]
    print("\n| held-out organisation (shipped method) | statements | top-1 | top-3 |\n|---|---:|---:|---:|")
    for org, (n, a1, a3) in best["by_org"].items():
        print(f"| {org} | {n} | {a1:.1%} | {a3:.1%} |")
    print("\n| topic | statements | " + " | ".join(r["method"] for r in results) + " |")
    print("|---|---:|" + "---:|" * len(results))
    for t, (n, _) in best["recall"].items():
        print(f"| {t} {names[t]} | {n} | " + " | ".join(f"{r['recall'][t][1]:.2f}" for r in results) + " |")


if __name__ == "__main__":
    main()
