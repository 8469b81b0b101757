"""Check that every exact-substring field in the whosaid sets occurs verbatim in its source file.
Reads only the corpora and the three jsonl files in this folder.  Run: python3 verify_substrings.py"""

import collections
import json
import os
import sys
from pathlib import Path

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = Path(HERE).resolve().parents[2] / "shared"  # ../shared beside the checkout


def load(f):
    p = ROOT / ("corpora/" + f if f.startswith("bbc/") else f)
    raw = p.read_bytes()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")  # bbc/sport/199.txt


def rows(name):
    with open(os.path.join(HERE, name), encoding="utf-8") as f:
        return [json.loads(line) for line in f]


bad = 0


def check(s, text, where):
    global bad
    if s is not None and s not in text:
        bad += 1
        print("MISSING", where, repr(s[:80]))


# 1. annotated quotes
Q = rows("quotes_annotated.jsonl")
split_by_file = collections.defaultdict(set)
for r in Q:
    t = load(r["file"])
    for c in r["content"]:
        check(c, t, r["id"] + " content")
    check(r["speaker_mention"], t, r["id"] + " speaker_mention")
    check(r["attribution"], t, r["id"] + " attribution")
    split_by_file[r["file"]].add(r["split"])
assert len({r["id"] for r in Q}) == len(Q), "duplicate quote ids"
# 2. questions
qfiles = {}
for name in ("questions_bbc.jsonl", "questions_seeds.jsonl"):
    R = rows(name)
    assert len({r["id"] for r in R}) == len(R), "duplicate ids in " + name
    for r in R:
        if r["kind"] == "unanswerable":
            assert r["file"] is None and not r["answers"] and r["checked"], r["id"]
            if r.get("related_file"):
                split_by_file[("q", r["related_file"])].add(r["split"])
            continue
        t = load(r["file"])
        assert r["answers"], r["id"]
        for a in r["answers"]:
            check(a, t, r["id"] + " answer")
        split_by_file[("q", r["file"])].add(r["split"])
        if name == "questions_bbc.jsonl":
            qfiles[r["file"]] = 1
mixed = [k for k, v in split_by_file.items() if len(v) > 1]
overlap = set(qfiles) & {r["file"] for r in Q}
print(
    f"{len(Q)} quotes checked; question files checked; missing={bad}; files with mixed split={mixed}; "
    f"bbc question/annotation article overlap={sorted(overlap)}"
)
sys.exit(1 if bad or mixed or overlap else 0)
