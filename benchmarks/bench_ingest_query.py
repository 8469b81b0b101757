"""Ingest ../shared/corpora/bbc plus the seed articles into a fresh store, then time questions,
for one system: ours, or the stock llama-index pipeline (``--system stock``).

Writes benchmarks/results/ingest_query_<system>.json with:
  ingest: articles/s, chunks/s, seconds, peak RSS, chunks cut by the model's window, and the
          pure embedding rate on a sample of the same chunks (so pipeline overhead is visible)
  reingest: seconds to ingest the unchanged corpus again
  query:  full answer latency p50/p95/p99 over >= 200 questions, retrieval alone, RSS after

Run both and compare with ``python benchmarks/run_all.py``; one system:
    python benchmarks/bench_ingest_query.py --system ours [--corpus DIR] [--questions N]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant import Assistant  # noqa: E402
from assistant.evaluation.baseline import StockPipeline  # noqa: E402
from assistant.evaluation.runner import run_info  # noqa: E402
from assistant.search.embedding import ParallelEmbedder  # noqa: E402

SEEDS = ROOT / "data" / "articles"
RESULTS = ROOT / "benchmarks" / "results"
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


def current_rss_mib() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def percentiles(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)

    def at(p: float) -> float:
        k = (len(ordered) - 1) * p / 100
        lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
        return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)

    return {"p50": round(at(50), 2), "p95": round(at(95), 2), "p99": round(at(99), 2)}


def questions_for(corpus: Path, n: int, rng: random.Random) -> list[str]:
    """The seed questions plus questions a reader might ask about BBC stories, from their headlines."""
    files = [f for f in sorted(corpus.rglob("*.txt")) if f.name.lower() != "readme.txt"]
    templates = ["What happened with {}?", "What do the articles say about {}?", "{}: what was reported?", "Why {}?"]
    out = list(SEED_QUESTIONS)
    for f in rng.sample(files, min(n - len(out), len(files))):
        title = f.read_bytes().decode("utf-8", errors="replace").splitlines()[0].strip()
        out.append(rng.choice(templates).format(title.rstrip(".")))
    return out


def timed(fn: Callable[[], object]) -> float:
    t0 = time.perf_counter()
    fn()
    return (time.perf_counter() - t0) * 1000


def bench_ours(corpus: Path, store: Path, questions: list[str], rng: random.Random) -> dict:
    assistant = Assistant(store_dir=store)
    t0 = time.perf_counter()
    report = assistant.ingest([corpus, SEEDS])
    ingest_s = time.perf_counter() - t0
    peak_ingest = peak_rss_mib()
    articles = report.added + report.replaced + report.unchanged  # every article read (duplicates stored once)
    t0 = time.perf_counter()
    again = assistant.ingest([corpus, SEEDS])
    reingest_s = time.perf_counter() - t0
    texts = [text for _, text in assistant.store.chunk_texts()]
    sample = rng.sample(texts, min(300, len(texts)))
    embed_rate = len(sample) / (sum(timed(lambda t=t: assistant.model.embed(t)) for t in sample) / 1000)
    with ParallelEmbedder(assistant.model) as embedder:
        t0 = time.perf_counter()
        for future in [embedder.submit(t) for t in sample]:
            future.result()
        parallel_rate = len(sample) / (time.perf_counter() - t0)
        workers = embedder.workers
    max_wordpieces = assistant.store._db.execute("SELECT max(wordpieces) FROM chunks").fetchone()[0]
    assistant.warm_up()
    ask_ms, retrieve_ms, abstained = [], [], 0
    for q in questions:
        t0 = time.perf_counter()
        abstained += assistant.ask(q).abstained
        ask_ms.append((time.perf_counter() - t0) * 1000)
        retrieve_ms.append(timed(lambda q=q: assistant.retrieve(q)))
    return {
        "ingest": {
            "articles": articles,
            "stored_once_duplicates": report.unchanged,
            "failed": report.failed,
            "chunks": report.chunks,
            "chunks_cut": 0,
            "max_chunk_wordpieces": max_wordpieces,
            "seconds": round(ingest_s, 2),
            "articles_per_s": round(articles / ingest_s, 2),
            "chunks_per_s": round(report.chunks / ingest_s, 2),
            "pure_embedding_chunks_per_s": round(embed_rate, 2),
            "pure_parallel_embedding_chunks_per_s": round(parallel_rate, 2),
            "embed_workers": workers,
            "peak_rss_mib": round(peak_ingest, 1),
        },
        "reingest": {"seconds": round(reingest_s, 2), "summary": again.summary()},
        "query": {
            "questions": len(questions),
            "abstained": abstained,
            "answer_ms": percentiles(ask_ms),
            "answer_ms_mean": round(statistics.mean(ask_ms), 2),
            "answer_ms_all": [round(x, 2) for x in ask_ms],
            "retrieve_ms": percentiles(retrieve_ms),
            "rss_mib": round(current_rss_mib(), 1),
        },
    }


def bench_stock(corpus: Path, store: Path, questions: list[str], rng: random.Random) -> dict:
    from llama_index.core import SimpleDirectoryReader

    stock = StockPipeline(store, chunk_size=256, abstain_below=0.0)
    t0 = time.perf_counter()
    documents = SimpleDirectoryReader(str(corpus), recursive=True, required_exts=[".txt"]).load_data()
    documents += SimpleDirectoryReader(str(SEEDS), required_exts=[".txt"]).load_data()
    chunks = stock.ingest_documents(documents)
    ingest_s = time.perf_counter() - t0
    peak_ingest = peak_rss_mib()
    sample = rng.sample(stock.node_texts, min(300, len(stock.node_texts)))
    embed = stock.model
    embed_rate = len(sample) / (sum(timed(lambda t=t: embed.embed(t, allow_truncation=True)) for t in sample) / 1000)
    ask_ms, retrieve_ms = [], []
    for q in questions:
        ask_ms.append(timed(lambda q=q: stock.answer(q)))
        retrieve_ms.append(timed(lambda q=q: stock.retrieve(q, 8)))
    return {
        "ingest": {
            "articles": len(documents),
            "failed": 0,
            "chunks": chunks,
            "chunks_cut": embed.truncated,
            "seconds": round(ingest_s, 2),
            "articles_per_s": round(len(documents) / ingest_s, 2),
            "chunks_per_s": round(chunks / ingest_s, 2),
            "pure_embedding_chunks_per_s": round(embed_rate, 2),
            "peak_rss_mib": round(peak_ingest, 1),
        },
        "reingest": {"seconds": None, "summary": "no change detection: re-ingesting re-embeds (and duplicates) all"},
        "query": {
            "questions": len(questions),
            "answer_ms": percentiles(ask_ms),
            "answer_ms_mean": round(statistics.mean(ask_ms), 2),
            "answer_ms_all": [round(x, 2) for x in ask_ms],
            "retrieve_ms": percentiles(retrieve_ms),
            "rss_mib": round(current_rss_mib(), 1),
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--system", choices=["ours", "stock"], default="ours")
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpora" / "bbc")
    parser.add_argument("--questions", type=int, default=240)
    parser.add_argument("--keep-store", type=Path, default=None, help="build the store here and keep it")
    args = parser.parse_args()
    if not args.corpus.is_dir():
        sys.exit(f"corpus not found: {args.corpus} (expected ../shared/corpora/bbc)")
    rng = random.Random(2026)
    questions = questions_for(args.corpus, args.questions, random.Random(7))
    bench = bench_ours if args.system == "ours" else bench_stock
    if args.keep_store:
        results = bench(args.corpus, args.keep_store, questions, rng)
    else:
        with tempfile.TemporaryDirectory(prefix=f"bench-{args.system}-") as store:
            results = bench(args.corpus, Path(store), questions, rng)
    results |= {"system": args.system, "corpus": f"{args.corpus.name} + seeds"} | run_info()
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"ingest_query_{args.system}.json"
    out.write_text(json.dumps(results, indent=1) + "\n")
    i, q = results["ingest"], results["query"]
    print(
        f"{args.system}: {i['articles']} articles, {i['chunks']} chunks ({i['chunks_cut']} cut) in {i['seconds']} s"
        f" = {i['articles_per_s']} articles/s, {i['chunks_per_s']} chunks/s (pure embedding "
        f"{i['pure_embedding_chunks_per_s']} chunks/s); peak RSS {i['peak_rss_mib']} MiB; "
        f"answer p50/p95/p99 {q['answer_ms']['p50']}/{q['answer_ms']['p95']}/{q['answer_ms']['p99']} ms -> {out}"
    )


if __name__ == "__main__":
    main()
