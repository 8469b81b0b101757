"""Check benchmarks/verifier/sentences.jsonl: every passage is verbatim in its article, labels and kinds are valid.

Article paths are relative: ``data/...`` against the repository root, ``bbc/...`` against ``../shared/corpora``.
BBC items are skipped with a message when that folder is absent. A passage may carry its own ``article`` when
it comes from a different file than the item's. Whitespace runs are collapsed on both sides before comparing.
Exits 1 on any problem.

    python benchmarks/verifier/check_sentences.py
"""

import json
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BBC_ROOT = ROOT.parent / "shared" / "corpora"
SET = Path(__file__).with_name("sentences.jsonl")
SUPPORTED = {"paraphrase", "summary", "direct_quote", "combined", "hard_paraphrase"}
UNSUPPORTED = {
    "fabricated_quote",
    "wrong_citation",
    "swapped_speaker",
    "wrong_figure",
    "outside_knowledge",
    "overclaim",
    "negation",
    "nonexistent_citation",
    "mixed",
}


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def article_text(rel: str) -> str | None:
    path = BBC_ROOT / rel if rel.startswith("bbc/") else ROOT / rel
    if not path.is_file():
        return None
    raw = path.read_bytes()
    try:
        return norm(raw.decode("utf-8"))
    except UnicodeDecodeError:  # sport/199.txt is Latin-1
        return norm(raw.decode("latin-1"))


def main() -> int:
    errors, skipped, counts = [], 0, Counter()
    ids = set()
    for line_no, line in enumerate(SET.read_text(encoding="utf-8").splitlines(), 1):
        item = json.loads(line)
        iid = item.get("id", f"line {line_no}")
        if iid in ids:
            errors.append(f"{iid}: duplicate id")
        ids.add(iid)
        kind, label = item.get("kind"), item.get("label")
        if kind not in SUPPORTED | UNSUPPORTED:
            errors.append(f"{iid}: unknown kind {kind!r}")
        elif label != ("supported" if kind in SUPPORTED else "unsupported"):
            errors.append(f"{iid}: label {label!r} does not fit kind {kind!r}")
        if item.get("split") not in {"tune", "heldout"}:
            errors.append(f"{iid}: bad split {item.get('split')!r}")
        passages = item.get("passages") or []
        if not 1 <= len(passages) <= 3 or [p["n"] for p in passages] != list(range(1, len(passages) + 1)):
            errors.append(f"{iid}: passages must be 1-3, numbered 1..n")
        if not re.search(r"\[\d+\]", item.get("sentence", "")):
            errors.append(f"{iid}: sentence has no citation marker")
        counts[(item.get("split"), kind)] += 1
        for p in passages:
            rel = p.get("article", item["article"])
            text = article_text(rel)
            if text is None:
                if rel.startswith("bbc/") and not BBC_ROOT.joinpath("bbc").is_dir():
                    skipped += 1
                    continue
                errors.append(f"{iid}: article {rel} not found")
            elif norm(p["text"]) not in text:
                errors.append(f"{iid}: passage [{p['n']}] is not verbatim in {rel}")
    if skipped:
        print(f"skipped {skipped} BBC passages: {BBC_ROOT / 'bbc'} is absent")
    for kind in sorted({k for _, k in counts}, key=str):
        print(f"{kind:22} tune={counts[('tune', kind)]:3} heldout={counts[('heldout', kind)]:3}")
    print(f"{len(ids)} items, {len(errors)} problems")
    for err in errors:
        print("ERROR", err)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
