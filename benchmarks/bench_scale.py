"""The scale benchmark: ingest ten times BBC (about 22,250 articles, ~70,000 chunks; made by
``make_scale_corpus.py``) plus the seed articles into a fresh store, then measure what grows
with the corpus:

  ingest        articles/s, chunks/s, seconds, peak RSS
  keyword       a full build of the keyword index in a process of its own (what every process
                paid after every change before it was incremental: time, peak RSS), a merge
                of the whole base, and opening the saved index in a fresh process
  update        adding one article, ``--updates`` times: the keyword index update in the
                process that ingested it, in a long-running reader (another assistant on the
                store, open before the change) and in a fresh process; each must find it.
                Also the people directory: its first build, and its update after the change
                (only the new article's statements are read)
  ask           answer latency p50/p95/p99 over the questions bench_ingest_query.py asks
  rss           peak and current RSS

Writes benchmarks/results/scale_10x.json (at full scale; smaller runs write
scale_<variants>x<limit>.json) with the date, the machine and the git commit.

    python benchmarks/bench_scale.py                               # full: ~40 min of both cores
    python benchmarks/bench_scale.py --variants 1 --limit 300      # a smoke test: a few minutes

``--reuse-store DIR`` measures everything after the ingest on a store this benchmark built
before (the 45-minute ingest is not repeated): the ingest figures are carried over from the
results file, which records where they came from.

``--chroma-url URL`` keeps the store on a Chroma server (passed on as ASSISTANT_CHROMA_URL; use
a fresh ASSISTANT_CHROMA_PREFIX); ``--store`` is then only the local cache.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_ingest_query import SEEDS, percentiles, questions_for  # noqa: E402
from make_scale_corpus import DEFAULT_CORPUS, DEFAULT_OUT, corpus_files, ensure, read_article, variant  # noqa: E402

from assistant import Assistant  # noqa: E402
from assistant.evaluation.runner import run_info  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def rss_mib() -> float:
    return psutil.Process().memory_info().rss / 2**20


def git_commit() -> dict[str, object]:
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False).stdout.strip()

    return {"commit": git("rev-parse", "HEAD"), "dirty": bool(git("status", "--porcelain", "--untracked-files=no"))}


FRESH_PROCESS = """
import json, sys, time
t0 = time.perf_counter()
from assistant import Assistant
a = Assistant(store_dir=sys.argv[1])
t1 = time.perf_counter()
chunks = a.retrieve(sys.argv[2], 10).chunks
t2 = time.perf_counter()
s = a.index.keyword_segments
print(json.dumps({
    "open_s": round(t1 - t0, 3),
    "first_retrieve_s": round(t2 - t1, 3),
    "keyword_steps": list(s.last),
    "keyword_update_s": round(s.last_seconds, 4),
    "refresh_s": round(a.index.refresh_seconds, 4),
    "segments": len(a.index.keyword.segments),
    "found": sys.argv[3] in [c.doc_id for c in chunks],
}))
"""


def fresh_process(store: Path, question: str, doc_id: str) -> dict:
    """What a new process pays to answer from the store as it is now."""
    env = os.environ | {"PYTHONPATH": str(ROOT)}
    out = subprocess.run(
        [sys.executable, "-c", FRESH_PROCESS, str(store), question, doc_id],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=False,
    )
    if out.returncode != 0:
        raise RuntimeError(f"fresh process failed: {out.stderr[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


FULL_BUILD = """
import json, sys, time
import numpy as np
from assistant.search.bm25 import Segment
from assistant.search.keyword_segments import KeywordSegments
from assistant.config import Settings
from assistant.search.store import open_store
def peak_rss_mib():  # this process's own peak (ru_maxrss would count the parent's, from the fork)
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
store = open_store(Settings.load({"store_dir": sys.argv[1]}).store, create=False)  # embedded or server
t0 = time.perf_counter()
rows = store.chunk_rows()
rows_s = time.perf_counter() - t0
full = KeywordSegments(store)
full._manifests = lambda: {}  # as if nothing were saved
full._save = lambda *args: None
index = full.update(store.generation, rows, save=False, writer=True)
assert full.last == ("rebuilt",), full.last
build_s = full.last_seconds
base = index.segments[0]
t0 = time.perf_counter()
Segment.merge([base], [np.ones(base.size, dtype=bool)])  # what merging deltas into the base costs
merge_s = time.perf_counter() - t0
print(json.dumps({
    "chunks": index.documents,
    "chunk_rows_read_s": round(rows_s, 3),
    "full_build_s": round(build_s, 2),
    "base_merge_s": round(merge_s, 2),
    "words_vocabulary": len(base.words.vocab),
    "pairs_vocabulary": len(base.pairs.vocab),
    "peak_rss_mib": peak_rss_mib(),
}))
"""


def keyword_figures(store: Path) -> dict:
    """A full build of the keyword index from the store, in a process of its own (its time and
    peak memory), then a merge of that whole base (the cost of folding deltas into it)."""
    out = subprocess.run(
        [sys.executable, "-c", FULL_BUILD, str(store)],
        capture_output=True,
        text=True,
        env=os.environ | {"PYTHONPATH": str(ROOT)},
        timeout=3600,
        check=False,
    )
    if out.returncode != 0:
        raise RuntimeError(f"full build failed: {out.stderr[-2000:]}")
    figures = json.loads(out.stdout.strip().splitlines()[-1])
    on_disk = sum(f.stat().st_size for f in store.rglob("*") if f.is_file() and "keyword" in f.parts)
    return figures | {"saved_mib": round(on_disk / 2**20, 1)}


def new_article(bbc: Path, i: int) -> tuple[str, str]:
    """An article not in the corpus (another variant of a BBC one), with a question about it."""
    files = corpus_files(bbc, None)
    rng = random.Random(f"update:{i}")
    source = rng.choice(files)
    text = variant(read_article(source), 1000 + i, [("Zorblax", "Quintavalle"), ("Ilse", "Marquardt")], rng)
    title = text.splitlines()[0].strip()
    text = text.replace(title, f"{title} (Glimmerfield edition {i})", 1)
    return text, f"What happened with {title} in the Glimmerfield edition {i}?"


def bench_updates(assistant: Assistant, bbc: Path, store: Path, count: int, workdir: Path) -> list[dict]:
    reader = Assistant(store_dir=store)  # a long-running reader: another assistant on the same store
    reader.retrieve("warm up", 3)
    out = []
    first = assistant.store.count()  # a reused store already holds the earlier runs' additions
    for i in range(first, first + count):
        text, question = new_article(bbc, i)
        path = workdir / f"update_{i}.txt"
        path.write_text(text, encoding="utf-8")
        t0 = time.perf_counter()
        report = assistant.ingest([path])
        ingest_s = time.perf_counter() - t0
        assert report.added == 1, report.summary()
        (doc_id,) = [item.doc_id for item in report.items if item.status == "added"]
        writer = assistant.index.keyword_segments
        t0 = time.perf_counter()
        found_here = doc_id in [c.doc_id for c in assistant.retrieve(question, 10).chunks]
        retrieve_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        found_reader = doc_id in [c.doc_id for c in reader.retrieve(question, 10).chunks]
        reader_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        _ = assistant.index.people  # brought up to date after a change (who-said questions)
        people_s = time.perf_counter() - t0
        figures = {
            "chunks_added": report.chunks,
            "ingest_s": round(ingest_s, 3),
            "writer": {
                "keyword_steps": list(writer.last),
                "keyword_update_s": round(writer.last_seconds, 4),
                "refresh_s": round(assistant.index.refresh_seconds, 4),
                "segments": len(assistant.index.keyword.segments),
                "retrieve_s": round(retrieve_s, 4),
                "found": found_here,
                "people_directory_s": round(people_s, 3),
            },
            "reader": {
                "keyword_steps": list(reader.index.keyword_segments.last),
                "keyword_update_s": round(reader.index.keyword_segments.last_seconds, 4),
                "refresh_s": round(reader.index.refresh_seconds, 4),
                "first_retrieve_s": round(reader_s, 4),
                "found": found_reader,
            },
            "fresh_process": fresh_process(store, question, doc_id),
        }
        print(f"  update {i}: {json.dumps(figures)}", flush=True)
        out.append(figures)
    reader.close()
    return out


def bench(args: argparse.Namespace, store: Path, workdir: Path, previous: dict | None) -> dict:
    if previous is not None:  # --reuse-store: the store is built; its ingest was measured before
        assistant = Assistant(store_dir=store)
        # the run that ingested: that of the previous results, or the one they carried over
        carried = previous["ingest"].get("carried_from") or {k: previous[k] for k in ("date", "git") if k in previous}
        corpus_stats, ingest = previous["corpus"], previous["ingest"] | {"carried_from": carried}
        return measure_built(args, assistant, store, workdir, corpus_stats, ingest)
    t0 = time.perf_counter()
    corpus_stats = ensure(args.bbc, args.corpus_out, args.variants, args.limit, args.seed)
    corpus_s = time.perf_counter() - t0
    print(f"corpus: {corpus_stats['articles']} articles in {args.corpus_out} ({corpus_s:.0f}s)", flush=True)

    assistant = Assistant(store_dir=store)
    t0 = time.perf_counter()
    report = assistant.ingest([args.corpus_out, SEEDS])
    ingest_s = time.perf_counter() - t0
    articles = report.added + report.replaced + report.unchanged
    ingest = {
        "articles": articles,
        "stored": assistant.store.count(),
        "failed": report.failed,
        "chunks": report.chunks,
        "seconds": round(ingest_s, 1),
        "articles_per_s": round(articles / ingest_s, 2),
        "chunks_per_s": round(report.chunks / ingest_s, 2),
        "keyword_at_end_of_ingest": {
            "steps": list(assistant.index.keyword_segments.last),
            "seconds": round(assistant.index.keyword_segments.last_seconds, 2),
        },
        "peak_rss_mib": round(peak_rss_mib(), 1),
        "store_mib": {  # on this machine's disk (on a Chroma server: only the keyword cache)
            part: round(sum(f.stat().st_size for f in store.rglob("*") if f.is_file() and part in f.parts) / 2**20, 1)
            for part in ("chroma", "keyword")
        }
        | {"sqlite": round(sum(f.stat().st_size for f in store.glob("documents.sqlite3")) / 2**20, 1)},
    }
    print(f"ingest: {json.dumps(ingest)}", flush=True)
    corpus_stats = {"generated_in": str(args.corpus_out), **corpus_stats, "plus": "the 5 seed articles"}
    return measure_built(args, assistant, store, workdir, corpus_stats, ingest)


def measure_built(
    args: argparse.Namespace, assistant: Assistant, store: Path, workdir: Path, corpus_stats: dict, ingest: dict
) -> dict:
    """Everything but the ingest, on the built store."""
    keyword = keyword_figures(store)
    opened = fresh_process(store, "What did Tony Blair say about the election?", "")
    keyword["fresh_process_open"] = opened
    print(f"keyword: {json.dumps(keyword)}", flush=True)

    t0 = time.perf_counter()
    people = len(assistant.index.people)
    people_first_s = time.perf_counter() - t0
    print(f"people directory: {people} speakers, first build {people_first_s:.2f} s", flush=True)

    questions = questions_for(args.bbc, args.questions, random.Random(7))
    assistant.warm_up()
    ask_ms, abstained = [], 0
    for q in questions:
        t0 = time.perf_counter()
        abstained += assistant.ask(q).abstained
        ask_ms.append((time.perf_counter() - t0) * 1000)
    query = {
        "questions": len(questions),
        "abstained": abstained,
        "answer_ms": percentiles(ask_ms),
        "answer_ms_mean": round(statistics.mean(ask_ms), 2),
        "rss_mib": round(rss_mib(), 1),
    }
    print(f"ask: {json.dumps(query)}", flush=True)
    keyword["people_directory"] = {"speakers": people, "first_build_s": round(people_first_s, 2)}

    updates = bench_updates(assistant, args.bbc, store, args.updates, workdir)
    assistant.close()
    return {
        "corpus": corpus_stats,
        "ingest": ingest,
        "keyword": keyword,
        "query": query,
        "updates": updates,
        "peak_rss_mib": round(peak_rss_mib(), 1),
    }


def summary(results: dict) -> str:
    i, k, q, u = results["ingest"], results["keyword"], results["query"], results["updates"]
    writer = statistics.median(x["writer"]["keyword_update_s"] for x in u) if u else float("nan")
    reader = statistics.median(x["reader"]["keyword_update_s"] for x in u) if u else float("nan")
    fresh = statistics.median(x["fresh_process"]["keyword_update_s"] for x in u) if u else float("nan")
    people = statistics.median(x["writer"]["people_directory_s"] for x in u) if u else float("nan")
    return (
        f"{i['articles']} articles, {i['chunks']} chunks in {i['seconds']} s = {i['articles_per_s']} articles/s; "
        f"keyword index: full build {k['full_build_s']} s (peak RSS {k['peak_rss_mib']} MiB), base merge "
        f"{k['base_merge_s']} s, opened by a fresh process in "
        f"{k['fresh_process_open']['keyword_update_s']} s; after adding one article (median of {len(u)}): "
        f"{writer:.3f} s in the writer, {reader:.3f} s in an open reader, {fresh:.3f} s in a fresh process; "
        f"people directory after adding one article {people:.2f} s; "
        f"ask p50/p95 {q['answer_ms']['p50']}/{q['answer_ms']['p95']} ms; peak RSS {results['peak_rss_mib']} MiB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bbc", type=Path, default=DEFAULT_CORPUS, help="the BBC corpus (read only)")
    parser.add_argument("--corpus-out", type=Path, default=DEFAULT_OUT, help="where the generated corpus goes")
    parser.add_argument("--variants", type=int, default=10, help="versions of each BBC article (1 = BBC as is)")
    parser.add_argument("--limit", type=int, default=None, help="use this many BBC articles (default: all)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--store", type=Path, default=None, help="build the store here and keep it (must be new)")
    parser.add_argument("--questions", type=int, default=240)
    parser.add_argument("--updates", type=int, default=3, help="single-article additions to time")
    parser.add_argument(
        "--chroma-url",
        default=None,
        help="keep the store on this Chroma server (passed on as ASSISTANT_CHROMA_URL)",
    )
    parser.add_argument(
        "--reuse-store",
        type=Path,
        default=None,
        help="measure on a store this benchmark built before (the ingest figures are carried over)",
    )
    parser.add_argument("--out", type=Path, default=None, help="results file (default: benchmarks/results/...)")
    args = parser.parse_args()
    if not args.bbc.is_dir():
        sys.exit(f"BBC corpus not found: {args.bbc}")
    if args.chroma_url:
        os.environ["ASSISTANT_CHROMA_URL"] = args.chroma_url
    if args.store is not None and args.store.exists() and any(args.store.iterdir()):
        sys.exit(f"--store {args.store} is not empty: the benchmark needs a fresh store")
    full = args.variants == 10 and args.limit is None
    out = args.out or RESULTS / ("scale_10x.json" if full else f"scale_{args.variants}x{args.limit or 'all'}.json")
    previous = None
    if args.reuse_store is not None:
        if not (args.reuse_store / "documents.sqlite3").is_file() and not args.chroma_url:
            sys.exit(f"--reuse-store {args.reuse_store}: no store there")
        if not out.is_file():
            sys.exit(f"--reuse-store needs the results of the run that built it ({out}) for its ingest figures")
        previous = json.loads(out.read_text())

    workdir = Path(tempfile.mkdtemp(prefix="bench-scale-"))
    try:
        store = args.reuse_store or args.store or workdir / "store"
        results = bench(args, store, workdir, previous)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    results |= {
        "params": {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items() if k != "out"},
        "chroma_url": args.chroma_url,
    }
    results |= run_info() | {"git": git_commit()}
    results["machine"]["memory_gib"] = round(psutil.virtual_memory().total / 2**30, 1)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=1) + "\n")
    print(summary(results) + f" -> {out}")


if __name__ == "__main__":
    main()
