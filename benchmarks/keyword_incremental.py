"""The incremental keyword index on a real store: its cost against a full rebuild, and whether
it ranks as a full rebuild does.

On a private copy of a store built from the BBC corpus (e.g. by ``bench_ingest_query.py
--keep-store``; the articles' source files must still be where they were ingested from):

 1. time a full build of the keyword index (what every process paid after every change before);
 2. remove ``--share`` of the articles and start from a fresh base over the rest, then add them
    back in ``--batches`` ingests (each a delta segment) and remove ``--dead`` others (dead rows);
 3. time adding one article: the keyword update in the writer, in a reader open before the
    change, and in a fresh process;
 4. compare the top-10 retrieval and the answers of several hundred questions (those of
    bench_ingest_query.py and the BBC who-said set) with an assistant whose keyword index is
    built from scratch over the same store; then merge the segments into one and compare again.

Writes benchmarks/results/keyword_incremental.json.

    python benchmarks/keyword_incremental.py --store /tmp/bbcR
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_ingest_query import questions_for  # noqa: E402
from bench_scale import fresh_process, git_commit  # noqa: E402

from assistant import Assistant  # noqa: E402
from assistant.evaluation.runner import run_info  # noqa: E402
from assistant.search import keyword_segments  # noqa: E402
from assistant.search.keyword_segments import KeywordSegments  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
BBC = ROOT.parent / "shared" / "corpora" / "bbc"


def full_build_seconds(a: Assistant, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        rows = a.store.chunk_rows()
        full = KeywordSegments(a.store)
        full._manifests = lambda: {}  # type: ignore[method-assign]  # as if nothing were saved
        full._save = lambda *args: None  # type: ignore[method-assign]
        full.update(a.store.generation, rows, save=False, writer=True)
        assert full.last == ("rebuilt",)
        out.append(round(full.last_seconds, 3))
    return out


def rebuilt_assistant(store: Path) -> Assistant:
    """An assistant whose keyword index is built from scratch, leaving the saved one alone."""
    fresh = Assistant(store_dir=store)
    segments = fresh.index.keyword_segments
    segments._manifests = lambda: {}  # type: ignore[method-assign]
    segments._save = lambda *args: None  # type: ignore[method-assign]
    fresh.retrieve("warm up", 3)
    assert segments.last == ("rebuilt",)
    return fresh


def agreement(a: Assistant, b: Assistant, questions: list[str]) -> dict:
    same_top10 = same_answer = 0
    overlaps, differing = [], []
    for q in questions:
        x = [c.chunk_id for c in a.retrieve(q, 10).chunks]
        y = [c.chunk_id for c in b.retrieve(q, 10).chunks]
        same_top10 += x == y
        overlaps.append(len(set(x) & set(y)) / max(len(y), 1))
        if x != y:
            differing.append(q)
        same_answer += a.ask(q).text == b.ask(q).text
    return {
        "questions": len(questions),
        "identical_top10": same_top10,
        "mean_overlap_at_10": round(statistics.mean(overlaps), 4),
        "identical_answers": same_answer,
        "differing_questions": differing[:20],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, required=True, help="a BBC store (copied, never changed)")
    parser.add_argument("--share", type=float, default=0.10, help="articles removed then added back as deltas")
    parser.add_argument("--batches", type=int, default=3)
    parser.add_argument("--dead", type=int, default=50, help="articles removed after the base was built")
    parser.add_argument("--questions", type=int, default=240)
    parser.add_argument("--out", type=Path, default=RESULTS / "keyword_incremental.json")
    args = parser.parse_args()
    rng = random.Random(2026)
    work = Path(tempfile.mkdtemp(prefix="keyword-incremental-"))
    store = work / "store"
    try:
        shutil.copytree(args.store, store)
        results: dict = {"source_store": str(args.store)}
        a = Assistant(store_dir=store)
        results["full_build_s"] = full_build_seconds(a, 3)
        docs = a.docs()
        results["articles"], results["chunks"] = len(docs), sum(d.chunks for d in docs)
        print(f"full build over {results['chunks']} chunks: {results['full_build_s']} s", flush=True)

        picked = rng.sample(docs, int(len(docs) * args.share) + args.dead + 1)
        later, dead, single = picked[: -args.dead - 1], picked[-args.dead - 1 : -1], picked[-1]
        for d in [*later, single]:
            a.remove(d.doc_id)
        a.close()
        shutil.rmtree(store / "keyword")
        writer = Assistant(store_dir=store)
        writer.retrieve("warm up", 3)  # a fresh base over the rest
        steps = [list(writer.index.keyword_segments.last)]
        batches = [later[i :: args.batches] for i in range(args.batches)]
        for batch in batches:
            writer.ingest([d.source for d in batch])
            update = writer.index.keyword_segments
            steps.append([*update.last, round(update.last_seconds, 3)])
        for d in dead:
            writer.remove(d.doc_id)
        steps.append(list(writer.index.keyword_segments.last))
        print(f"base, deltas, removals: {steps}", flush=True)

        # one article added: the update in the writer, in an open reader, in a fresh process
        reader = Assistant(store_dir=store)
        reader.retrieve("warm up", 3)
        report = writer.ingest([single.source])
        assert report.added == 1
        question = f"What happened with {single.title}?"
        w, r = writer.index, reader.index
        found = single.doc_id in [c.doc_id for c in writer.retrieve(question, 10).chunks]
        found_reader = single.doc_id in [c.doc_id for c in reader.retrieve(question, 10).chunks]
        results["one_article_added"] = {
            "writer": {
                "steps": list(w.keyword_segments.last),
                "keyword_update_s": round(w.keyword_segments.last_seconds, 4),
                "refresh_s": round(w.refresh_seconds, 4),
                "found": found,
            },
            "reader": {
                "steps": list(r.keyword_segments.last),
                "keyword_update_s": round(r.keyword_segments.last_seconds, 4),
                "refresh_s": round(r.refresh_seconds, 4),
                "found": found_reader,
            },
            "fresh_process": fresh_process(store, question, single.doc_id),
        }
        reader.close()
        keyword = writer.index.keyword
        results["segments"] = [s.size for s in keyword.segments]
        results["dead_rows"] = keyword.size - keyword.documents
        results["steps"] = steps
        print(f"one article: {json.dumps(results['one_article_added'])}", flush=True)

        questions = questions_for(BBC, args.questions, random.Random(7))
        whosaid = ROOT / "benchmarks" / "whosaid" / "questions_bbc.jsonl"
        questions += [json.loads(line)["question"] for line in whosaid.read_text(encoding="utf-8").splitlines()]
        full = rebuilt_assistant(store)
        results["agreement_base_plus_deltas"] = agreement(writer, full, questions)
        print(f"base + deltas vs full rebuild: {json.dumps(results['agreement_base_plus_deltas'])}", flush=True)

        keyword_segments.MIN_DELTA_ROWS = results["dead_rows"] + 1  # the deltas exceed it, the dead rows do not
        keyword_segments.DELTA_FRACTION = 0.0
        writer.index.invalidate()
        writer.index.refresh()
        results["merge"] = {
            "steps": list(writer.index.keyword_segments.last),
            "seconds": round(writer.index.keyword_segments.last_seconds, 3),
        }
        results["agreement_merged"] = agreement(writer, full, questions)
        print(f"merged {results['merge']} vs full rebuild: {json.dumps(results['agreement_merged'])}", flush=True)
        writer.close()
        full.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    results |= run_info() | {"git": git_commit()}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=1) + "\n")
    print(f"-> {args.out}")


if __name__ == "__main__":
    main()
