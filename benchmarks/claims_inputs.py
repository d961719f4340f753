"""Write the inputs of the claims gold (``benchmarks/gold/claims/``): the statements of the chosen
corpus documents as ``lcplan ingest`` reads them with no hints, keeping those that hold any figure
or the words a figure or end state is written in.

    python benchmarks/claims_inputs.py   # rewrites statements.csv and documents.csv

Run once, before the readings; the gold is then made by hand against ``statements.csv`` and the
PDFs. A statement with none of the cues below cannot hold a quantity or a target as the protocol
defines them, so the readers are not given it (the cue list is printed in PROTOCOL.md).
"""

from __future__ import annotations

import csv
import hashlib
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ingest_corpus import CORPUS, run_one

GOLD = Path(__file__).resolve().parent / "gold" / "claims"
DOCUMENTS = [  # seven documents of six publishers; chosen for figures, targets and layouts
    "uk-decc-2015-the-uk-s-position-on-phase-iv-of-eu-ets",
    "uk-defra-2017-uk-climate-change-risk-assessment",
    "uk-beis-2018-industrial-strategy",
    "uk-mhclg-cm-9692-housing-for-older-people-web-version",
    "uk-fco-beyond-the-ice-uk-policy-towards-the-arctic",
    "us-federal-data-strategy-action-plan-2021",
    "us-open-government-national-action-plan-5-2022",
]
CUES = re.compile(
    r"\d|[%£$€½⅓⅔¼¾]|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
    r"fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundreds?|"
    r"thousands?|millions?|billions?|trillions?|dozens?|half|halve[sd]?|halving|thirds?|quarters?|fifths?|tenths?|"
    r"double[sd]?|doubling|triple[sd]?|treble[sd]?|zero|neutral|percent|cent)\b",
    re.IGNORECASE,
)


def main() -> None:
    GOLD.mkdir(parents=True, exist_ok=True)
    docs, rows = [], []
    for name in DOCUMENTS:
        pdf = CORPUS / "pdf" / f"{name}.pdf"
        got = run_one(str(pdf))
        items = got.get("items") or []
        docs.append({"document": name, "statements_read": len(items),
                     "pdf_sha256": hashlib.sha256(pdf.read_bytes()).hexdigest()})
        for n, item in enumerate(items, start=1):
            text = re.sub(r"\s+", " ", item["text"]).strip()
            if CUES.search(text):
                rows.append({"document": name, "statement": n, "text": text})
        docs[-1]["statements_given"] = sum(1 for r in rows if r["document"] == name)
    with open(GOLD / "documents.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, ["document", "statements_read", "statements_given", "pdf_sha256"], lineterminator="\n")
        w.writeheader()
        w.writerows(docs)
    with open(GOLD / "statements.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, ["document", "statement", "text"], lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    for d in docs:
        print(d["document"], d["statements_read"], d["statements_given"])
    print("statements given:", len(rows), "characters:", sum(len(r["text"]) for r in rows))


if __name__ == "__main__":
    main()
