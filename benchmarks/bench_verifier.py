"""The generated-sentence checker (``assistant.answering.verify``) on hand-labelled sentences.

benchmarks/verifier/sentences.jsonl holds answer sentences written and labelled by reading the
articles (supported, or one of nine kinds of unsupported: a fabricated quote, a wrong citation,
a swapped speaker, a wrong figure, outside knowledge, an overclaim, a negation, a citation to a
source that was not given, a half-invented sentence), split into a tune half and a held-out
half. Thresholds are chosen on the tune half only (``--grid``); the held-out half is reported
separately. The issue's target: catch >= 0.95 of unsupported sentences, remove <= 0.10 of
supported ones.

Writes benchmarks/results/verifier.json with the date, the machine and the git commit.

    python benchmarks/bench_verifier.py            # both halves at the shipped thresholds
    python benchmarks/bench_verifier.py --grid     # also: every threshold pair on the tune half
    python benchmarks/bench_verifier.py --show tune  # each wrong verdict on the tune half
    python benchmarks/bench_verifier.py --nli DIR  # with an ONNX NLI model -> results/verifier_nli.json
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_scale import git_commit  # noqa: E402

from assistant.answering.verify import LEXICAL_MIN, MEANING_MIN, Verifier  # noqa: E402
from assistant.evaluation.runner import run_info  # noqa: E402
from assistant.search.embedding import MiniLM  # noqa: E402

SET = ROOT / "benchmarks" / "verifier" / "sentences.jsonl"
# real model output (bench_generative.py), labelled by reading: reported on its own, never tuned on
MODEL_SET = ROOT / "benchmarks" / "verifier" / "model_sentences.jsonl"
OUT = ROOT / "benchmarks" / "results" / "verifier.json"


def load() -> list[dict]:
    files = [SET, MODEL_SET] if MODEL_SET.exists() else [SET]
    return [json.loads(line) for f in files for line in f.read_text(encoding="utf-8").splitlines() if line.strip()]


def measure(items: list[dict], verifier: Verifier) -> dict:
    """Catch rate on unsupported sentences, removal rate on supported ones, per kind."""
    by_kind: dict[str, list[bool]] = defaultdict(list)
    caught = removed = unsupported = supported = 0
    for item in items:
        sources = {p["n"]: p["text"] for p in item["passages"]}
        flagged = not verifier.check(item["sentence"], sources).supported
        by_kind[item["kind"]].append(flagged)
        if item["label"] == "unsupported":
            unsupported += 1
            caught += flagged
        else:
            supported += 1
            removed += flagged
    return {
        "sentences": len(items),
        "unsupported": unsupported,
        "supported": supported,
        "caught": round(caught / max(unsupported, 1), 3),
        "removed_supported": round(removed / max(supported, 1), 3),
        # precision of "unsupported" verdicts: of the sentences removed, the share that should be
        "precision": round(caught / max(caught + removed, 1), 3),
        "by_kind": {k: f"{sum(v)}/{len(v)} flagged" for k, v in sorted(by_kind.items())},
    }


def scores(items: list[dict], verifier: Verifier) -> list[tuple[dict, object]]:
    return [(item, verifier.check(item["sentence"], {p["n"]: p["text"] for p in item["passages"]})) for item in items]


SOFT = {"negation": "reverses the cited sentence", "hedge": "states as done"}


def grid(items: list[dict], model: MiniLM) -> list[dict]:
    """Every threshold pair, with and without each judgement rule (negation, hedge), on ``items``:
    checks run once with every rule on and no thresholds; the combinations are applied after."""
    base = Verifier(model.vector, lexical_min=0.0, meaning_min=-1.0)
    checked = scores(items, base)
    n_unsupported = sum(1 for i in items if i["label"] == "unsupported")
    rows = []
    for soft in ((), ("negation",), ("hedge",), ("negation", "hedge")):
        for lexical_min in (0.0, 0.3, 0.4, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8):
            for meaning_min in (0.0, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7):
                caught = removed = 0
                for item, check in checked:
                    hard = [r for r in check.reasons if not any(v in r for v in SOFT.values())]
                    kept_soft = [r for r in check.reasons if any(SOFT[k] in r for k in soft)]
                    flagged = bool(hard or kept_soft) or check.lexical < lexical_min or check.meaning < meaning_min
                    if item["label"] == "unsupported":
                        caught += flagged
                    else:
                        removed += flagged
                rows.append(
                    {
                        "rules": list(soft),
                        "lexical_min": lexical_min,
                        "meaning_min": meaning_min,
                        "caught": round(caught / n_unsupported, 3),
                        "removed_supported": round(removed / (len(items) - n_unsupported), 3),
                    }
                )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--grid", action="store_true", help="every threshold pair on the tune half")
    parser.add_argument("--show", choices=["tune", "model"], help="print each wrong verdict (never the held-out half)")
    parser.add_argument(
        "--nli", metavar="FOLDER", help="an ONNX NLI model folder (as ASSISTANT_NLI_MODEL): measure the checker with it"
    )
    args = parser.parse_args()
    items = load()
    halves = {s: [i for i in items if i["split"] == s] for s in ("tune", "heldout", "model")}
    halves = {name: half for name, half in halves.items() if half}
    model = MiniLM()
    entail = None
    if args.nli:
        from assistant.answering.nli import NLIModel

        entail = NLIModel(args.nli).entailment_probabilities
    verifier = Verifier(model.vector, entail=entail)
    started = time.perf_counter()
    result = {name: measure(half, verifier) for name, half in halves.items()}
    per_sentence_ms = (time.perf_counter() - started) * 1000 / len(items)
    for name, r in result.items():
        print(
            f"{name:8} {r['sentences']} sentences: caught {r['caught']:.3f} of unsupported, "
            f"removed {r['removed_supported']:.3f} of supported (precision {r['precision']:.3f})"
        )
        for kind, text in r["by_kind"].items():
            print(f"    {kind:22} {text}")
    print(f"cost: {per_sentence_ms:.1f} ms a sentence (both halves, embedding included)")
    if args.show:
        for item, check in scores(halves[args.show], verifier):
            if check.supported == (item["label"] == "supported"):
                continue
            print(f"\n{item['id']} {item['label']}/{item['kind']}: {item['sentence']}")
            print(f"   verdict: {'supported' if check.supported else check.reasons}")
            print(f"   lexical {check.lexical:.2f} meaning {check.meaning:.2f}")
        reasons = Counter(
            r.split(" (")[0].split("“")[0]
            for item, check in scores(halves[args.show], verifier)
            if item["label"] == "supported"
            for r in check.reasons
        )
        print("\nreasons given for supported sentences:", reasons.most_common())
    out = {
        "thresholds": {"lexical_min": LEXICAL_MIN, "meaning_min": MEANING_MIN},
        "nli_model": args.nli,
        "halves": result,
        "ms_per_sentence": round(per_sentence_ms, 2),
        "target": "caught >= 0.95 of unsupported, removed <= 0.10 of supported",
        **run_info(),
        "git": git_commit(),
    }
    if args.grid:
        rows = grid(halves["tune"], model)
        for limit in (0.10, 0.15, 0.20, 0.25):
            fits = [r for r in rows if r["removed_supported"] <= limit]
            best = max(fits, key=lambda r: (r["caught"], -r["removed_supported"])) if fits else None
            print(f"tune half, most caught with <= {limit:.2f} of supported removed:", best)
        out["tune_grid"] = rows
    target = OUT.with_name("verifier_nli.json") if args.nli else OUT  # the shipped checker's figures stay
    target.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {target.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
