"""Ingest ../shared/corpora/bbc plus the seed articles into a fresh store, then time questions.

Prints and writes (benchmarks/results/ingest_query.{json,md}):
  ingest: articles/s, chunks/s, seconds, peak RSS; the pure embedding rate on a sample of the
          same chunks (so pipeline overhead is visible); re-ingest of the unchanged corpus
  query:  full `ask` latency p50/p95/p99 over >= 200 questions (plus retrieval alone)

    python benchmarks/bench_ingest_query.py [--corpus DIR] [--questions N] [--store DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant import Assistant  # noqa: E402

SEED_QUESTIONS = [
    "What did Çavuşoğlu say about Patriots?",
    "what did cavusoglu say about patriots",
    "What did Stoltenburg say about interoperability?",
    "How much was the S-400 deal worth?",
    "When did the fighting in Nagorno-Karabakh begin?",
    "How many F-35 aircraft does Turkey plan to buy?",
    "What did Hutchison say about the Russian missile system?",
    "Who won the 2018 World Cup?",
    "What did Stoltenberg say about climate change?",
    "What is the population of Ankara?",
]


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def bbc_questions(corpus: Path, n: int, rng: random.Random) -> list[str]:
    """Questions a reader might ask about BBC stories, built from their headlines."""
    files = sorted(corpus.rglob("*.txt"))
    files = [f for f in files if f.name.lower() != "readme.txt"]
    templates = ["What happened with {}?", "What do the articles say about {}?", "{}: what was reported?", "Why {}?"]
    out = []
    for f in rng.sample(files, min(n, len(files))):
        title = f.read_bytes().decode("utf-8", errors="replace").splitlines()[0].strip()
        out.append(rng.choice(templates).format(title.rstrip(".")))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpora" / "bbc")
    parser.add_argument("--questions", type=int, default=240)
    parser.add_argument("--store", type=Path, default=None, help="store directory (default: a new temp dir)")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results")
    args = parser.parse_args()
    if not args.corpus.is_dir():
        sys.exit(f"corpus not found: {args.corpus} (expected ../shared/corpora/bbc)")
    store = args.store or Path(tempfile.mkdtemp(prefix="bench-store-"))
    rng = random.Random(2026)

    assistant = Assistant(store_dir=store)
    rss_start = peak_rss_mib()
    t0 = time.perf_counter()
    report = assistant.ingest([args.corpus, ROOT / "data" / "articles"])
    ingest_s = time.perf_counter() - t0
    rss_ingest = peak_rss_mib()
    articles = report.added + report.replaced
    print(f"ingest: {report.summary()}")
    if report.failures:
        for item in report.failures[:5]:
            print(f"  failed {item.source}: {item.reason}")

    t0 = time.perf_counter()
    again = assistant.ingest([args.corpus, ROOT / "data" / "articles"])
    reingest_s = time.perf_counter() - t0
    print(f"re-ingest of the unchanged corpus: {again.summary()}")

    # the pure embedding rate on a sample of the same chunks
    rows = list(assistant.store.iter_chunks())
    sample = [r[4] for r in rng.sample(rows, min(300, len(rows)))]
    t0 = time.perf_counter()
    for text in sample:
        assistant.embed_model.embed(text)
    embed_rate = len(sample) / (time.perf_counter() - t0)
    max_wordpieces = max(c[0] for c in assistant.store._db.execute("SELECT max(wordpieces) FROM chunks"))

    questions = SEED_QUESTIONS + bbc_questions(args.corpus, args.questions - len(SEED_QUESTIONS), rng)
    assistant.warm_up()
    ask_ms, retrieve_ms, abstained = [], [], 0
    for q in questions:
        t0 = time.perf_counter()
        answer = assistant.ask(q)
        ask_ms.append((time.perf_counter() - t0) * 1000)
        abstained += answer.abstained
        t0 = time.perf_counter()
        assistant.retrieve(q)
        retrieve_ms.append((time.perf_counter() - t0) * 1000)
    rss_end = peak_rss_mib()

    results = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version()},
        "corpus": str(args.corpus.name) + " + seeds",
        "ingest": {
            "articles": articles,
            "failed": report.failed,
            "chunks": report.chunks,
            "seconds": round(ingest_s, 2),
            "articles_per_s": round(articles / ingest_s, 2),
            "chunks_per_s": round(report.chunks / ingest_s, 2),
            "pure_embedding_chunks_per_s": round(embed_rate, 2),
            "max_chunk_wordpieces": max_wordpieces,
            "peak_rss_mib": round(rss_ingest, 1),
            "rss_before_ingest_mib": round(rss_start, 1),
            "reingest_unchanged_seconds": round(reingest_s, 2),
        },
        "query": {
            "questions": len(questions),
            "abstained": abstained,
            "ask_ms": {p: round(percentile(ask_ms, int(p[1:])), 2) for p in ("p50", "p95", "p99")},
            "ask_ms_mean": round(statistics.mean(ask_ms), 2),
            "retrieve_ms": {p: round(percentile(retrieve_ms, int(p[1:])), 2) for p in ("p50", "p95", "p99")},
            "peak_rss_mib": round(rss_end, 1),
        },
    }
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "ingest_query.json").write_text(json.dumps(results, indent=2) + "\n")
    i, q = results["ingest"], results["query"]
    r = q["retrieve_ms"]
    table = f"""# Ingest and query benchmark

Run {results["date"]} on {results["machine"]["cpus"]} CPUs ({results["machine"]["platform"]}),
`python benchmarks/bench_ingest_query.py`, corpus: {results["corpus"]}.

| measure | value |
|---|---|
| articles ingested | {i["articles"]} ({i["failed"]} failed) |
| chunks | {i["chunks"]} (largest: {i["max_chunk_wordpieces"]} wordpieces of 256; none cut) |
| ingest time | {i["seconds"]} s |
| ingest rate | {i["articles_per_s"]} articles/s, {i["chunks_per_s"]} chunks/s |
| pure embedding rate (same chunks) | {i["pure_embedding_chunks_per_s"]} chunks/s |
| peak RSS after ingest | {i["peak_rss_mib"]} MiB |
| re-ingest, unchanged corpus | {i["reingest_unchanged_seconds"]} s |
| questions timed | {q["questions"]} ({q["abstained"]} abstained) |
| `ask` latency p50 / p95 / p99 | {q["ask_ms"]["p50"]} / {q["ask_ms"]["p95"]} / {q["ask_ms"]["p99"]} ms |
| retrieval alone p50 / p95 / p99 | {r["p50"]} / {r["p95"]} / {r["p99"]} ms |
| peak RSS after queries | {q["peak_rss_mib"]} MiB |
"""
    (args.out / "ingest_query.md").write_text(table)
    print(table)


if __name__ == "__main__":
    main()
