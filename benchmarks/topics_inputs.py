"""Write the inputs of the topic-coding gold (``benchmarks/gold/topics/``; for the second and
third rounds, ``benchmarks/gold/topics-2/`` and ``topics-3/``): a random sample of the statements
of work and commitments of corpus documents, as ``lcplan ingest`` reads them with no hints, each
with its section heading as printed.

    python benchmarks/topics_inputs.py [--round 2|3]   # rewrites that round's statements.csv and documents.csv

Run once a round, before its readings. The sample is drawn with the round's seed from the items
whose kind has the role work or commitment in the items schema (``registry.kind_roles``) and whose
text has at least 40 characters; at most the round's number a document. The first round took
twelve documents of nine publishers, chosen for their many statements of work; the second takes
the other twelve documents of the corpus (one more publisher, the Department of Health, and more
documents of the others), fewer statements a document. The third takes more statements of the
documents whose statements the first two rounds did not exhaust. A document's pool then leaves
out each statement an earlier round gave: the same text, spaces aside, or, where today's reading
cuts a statement elsewhere, the statement sharing at least 90% of the shorter text. No statement
is given again verbatim; one printed twice in a document, or cut differently, may overlap an
earlier one (five of the third round do, listed in its PROTOCOL.md).
"""

from __future__ import annotations

import argparse
import csv
import difflib
import hashlib
import random
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ingest_corpus import CORPUS, doc_id

ROUNDS = {  # round -> (folder, seed, statements a document at most, documents)
    1: ("topics", 20261206, 60, [
        "uk-decc-2014-final-version-policy-scoping-document-psd",
        "uk-defra-2013-adapting-to-climate-change-ensuring-progress-in-key-sec",
        "uk-defra-2017-uk-climate-change-risk-assessment",
        "uk-dfe-2016-keep-on-caring",
        "uk-dft-2011-strategicframework-for-road-safety",
        "uk-hmg-2013-govt-response-to-heseltine-review",
        "uk-mhclg-cm-9692-housing-for-older-people-web-version",
        "uk-fco-2017-annual-reports-to-the-treaty-on-european-union",
        "uk-beis-2018-industrial-strategy",
        "us-open-government-national-action-plan-2-2013",
        "us-open-government-national-action-plan-3-2015",
        "us-federal-data-strategy-action-plan-2021",
    ]),
    2: ("topics-2", 20261207, 40, [
        "uk-decc-2015-the-uk-s-position-on-phase-iv-of-eu-ets",
        "uk-dfe-2013-more-20great-20childcare-20v2",
        "uk-dh-2016-dementia-nursing-strategy",
        "uk-beis-2017-post-implementation-review-of-the-supply-of-machinery-s",
        "uk-defra-code-of-practice-welfare-of-laying-hens-pullets",
        "uk-fco-beyond-the-ice-uk-policy-towards-the-arctic",
        "uk-defra-draft-animal-welfare-bill-171212",
        "us-open-government-national-action-plan-1-2011",
        "us-open-government-national-action-plan-4-2019",
        "us-open-government-national-action-plan-5-2022",
        "us-open-government-new-nap-commitments-2016",
        "us-federal-data-strategy-action-plan-2019-20-draft",
    ]),
    3: ("topics-3", 20261208, 40, [
        "uk-decc-2014-final-version-policy-scoping-document-psd",
        "uk-defra-2013-adapting-to-climate-change-ensuring-progress-in-key-sec",
        "uk-dfe-2016-keep-on-caring",
        "uk-dft-2011-strategicframework-for-road-safety",
        "uk-hmg-2013-govt-response-to-heseltine-review",
        "uk-fco-2017-annual-reports-to-the-treaty-on-european-union",
        "us-open-government-national-action-plan-3-2015",
        "uk-dfe-2013-more-20great-20childcare-20v2",
        "uk-defra-code-of-practice-welfare-of-laying-hens-pullets",
    ]),
}
GOLD_FOLDERS = [Path(__file__).resolve().parent / "gold" / folder for folder, *_ in ROUNDS.values()]


def contained(a: str, b: str) -> float:
    """How much of the shorter text the longest passage the two share is (1.0: one holds the other)."""
    m = difflib.SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b))
    return m.size / max(1, min(len(a), len(b)))


def earlier(number: int) -> set[tuple[str, str]]:
    """(document, text) of every statement the rounds before ``number`` gave their readers."""
    out = set()
    for k, (folder, *_) in ROUNDS.items():
        path = Path(__file__).resolve().parent / "gold" / folder / "statements.csv"
        if k < number:
            with open(path, newline="", encoding="utf-8") as f:
                out |= {(r["document"], r["text"]) for r in csv.DictReader(f)}
    return out


def main() -> None:
    import pandas as pd

    from lcplan.ingest import ingest
    from lcplan.registry import kind_roles

    ap = argparse.ArgumentParser()
    ap.add_argument("--round", type=int, default=1, choices=sorted(ROUNDS))
    number = ap.parse_args().round
    folder, seed, per_document, documents = ROUNDS[number]
    gold = Path(__file__).resolve().parent / "gold" / folder
    given = earlier(number)
    roles = kind_roles()
    manifest = {Path(r["file"]).stem: r for r in csv.DictReader(open(CORPUS / "MANIFEST.csv", encoding="utf-8"))}
    gold.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    docs, rows = [], []
    for name in documents:
        pdf = CORPUS / "pdf" / f"{name}.pdf"
        with tempfile.TemporaryDirectory() as tmp:
            result = ingest(pdf, doc_id(name), "Corpus", name, "2020/21", out=Path(tmp) / "pkg")
            data = result.package / "data"
            items = pd.read_csv(data / "items.csv", dtype=str, keep_default_na=False)
            sections = pd.read_csv(data / "sections.csv", dtype=str, keep_default_na=False).set_index("section_id")
        pool = items[items["kind"].map(roles).isin(["work", "commitment"]) & (items["text"].str.len() >= 40)]
        texts = pool["text"].map(lambda t: " ".join(t.split()))
        seen = {t for d, t in given if d == name}
        for t in seen - set(texts):  # read a little differently today: the closest statement of the pool
            ratio, closest = max(((contained(t, u), u) for u in texts), default=(0.0, ""))
            if ratio < 0.9:
                raise SystemExit(f"{name}: a statement of an earlier round is not in today's reading "
                                 f"(closest {ratio:.2f}), so it cannot be left out of the pool: {t[:80]}")
            print(f"  read differently today ({ratio:.2f} alike), left out: {t[:60]}")
            seen.add(closest)
        pool = pool[~texts.isin(seen)]
        picked = sorted(rng.sample(range(len(pool)), min(per_document, len(pool))))
        for n, i in enumerate(picked, start=1):
            item = pool.iloc[i]
            section = sections["title"].get(item["section_id"], "") if item["section_id"] else ""
            rows.append({"document": name, "organisation": manifest[name]["organisation"], "statement": n,
                         "kind": item["kind"], "section": " ".join(str(section).split()),
                         "text": " ".join(item["text"].split())})
        docs.append({"document": name, "organisation": manifest[name]["organisation"], "pool": len(pool),
                     "given": len(picked), "pdf_sha256": hashlib.sha256(pdf.read_bytes()).hexdigest()})
        print(name, len(pool), len(picked), flush=True)
    with open(gold / "documents.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, list(docs[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(docs)
    with open(gold / "statements.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, ["document", "organisation", "statement", "kind", "section", "text"], lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    print("statements:", len(rows), "organisations:", len({r["organisation"] for r in rows}))


if __name__ == "__main__":
    main()
