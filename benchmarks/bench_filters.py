"""Filtered questions on BBC + seeds: answer latency with search filters against the same
questions unfiltered, on a store an earlier run built (``bench_ingest_query.py --keep-store``).

    python benchmarks/bench_filters.py --store DIR

The questions are the seed set's and 60 from BBC headlines (as ``bench_startup.py`` asks them),
each asked once unfiltered first (warming every cache a question leaves), then timed under:
no filter; one outlet (Press TV); a date range (since 2018: the dated articles only); the
articles of one BBC section (``bbc/politics/``, about 400 ids); a random half of the corpus
(about 1,100 ids, the widest id filter). Every filtered answer's citations are checked to lie
inside its filter. Writes benchmarks/results/filters_bbc.json (the issue's target: p95 ≤ 60 ms).

Each filtered question is also asked the way the code before the wide-filter change searched
(Chroma's ``where=`` whatever the filter's size, a mask judged chunk by chunk), alternating
with the current way question by question, so the two are compared under the same load on a
shared machine (``where_in_search_ms``). ``--repeat N`` asks each question N times each way and
keeps each question's fastest time, the figure least disturbed by other work on a shared machine.
``Assistant.outlets()`` is timed against reading every article's record, as it did before.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from assistant import Assistant, SearchFilter  # noqa: E402
from assistant.evaluation.runner import run_info  # noqa: E402
from assistant.search import retrieval  # noqa: E402
from benchmarks.bench_scale import git_commit  # noqa: E402
from benchmarks.bench_startup import distinct_questions  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))], 1)


@contextmanager
def where_in_search() -> Iterator[None]:
    """Search as before the wide-filter change: always Chroma's ``where=``, and the keyword
    mask judged chunk by chunk in Python (the previous ``HybridSearcher._mask``)."""

    def per_chunk_mask(self, filters: SearchFilter) -> np.ndarray:
        return np.fromiter((row is not None and filters.allows(row) for row in self._row_list), dtype=np.float32)

    depth, mask = retrieval.MAX_DEPTH, retrieval.HybridSearcher._mask
    retrieval.MAX_DEPTH, retrieval.HybridSearcher._mask = 0, per_chunk_mask
    try:
        yield
    finally:
        retrieval.MAX_DEPTH, retrieval.HybridSearcher._mask = depth, mask


def timed_ms(call) -> tuple[float, object]:
    started = time.perf_counter()
    out = call()
    return (time.perf_counter() - started) * 1000, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--out", type=Path, default=RESULTS / "filters_bbc.json")
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="ask each question this many times each way and keep the fastest "
        "(on a shared machine, the time least disturbed by other work)",
    )
    args = parser.parse_args()
    questions = distinct_questions(with_bbc=True)
    load_at_start = os.getloadavg()[0]
    with Assistant(store_dir=args.store, create=False) as a:
        a.warm_up()
        docs = a.docs()
        rng = random.Random(13)
        politics = {d.doc_id for d in docs if "politics/" in d.source}
        half = {d.doc_id for d in rng.sample(docs, len(docs) // 2)}
        kinds = {
            "unfiltered": None,
            "outlet Press TV": SearchFilter(outlets={"Press TV"}),
            "since 2018": SearchFilter(since=date(2018, 1, 1)),
            f"one section ({len(politics)} ids)": SearchFilter(doc_ids=politics),
            f"half the corpus ({len(half)} ids)": SearchFilter(doc_ids=half),
        }
        for q in questions:
            a.ask(q)
        results: dict[str, dict[str, float]] = {}
        before: dict[str, dict[str, float]] = {}
        store, where_calls = a.store, [0]
        real_search = store.dense_search

        def counted(embedding, k, filters=None):
            where_calls[0] += filters is not None
            return real_search(embedding, k, filters)

        store.dense_search = counted
        for name, f in kinds.items():
            times, old_times, where_calls[0] = [], [], 0
            for i, q in enumerate(questions):
                now, then = [], []
                for r in range(args.repeat):
                    for current in ((i + r) % 2 == 0, (i + r) % 2 == 1):  # alternate which goes first
                        if current:
                            counted_so_far = where_calls[0]
                            took, answer = timed_ms(lambda q=q, f=f: a.ask(q, filters=f))
                            now.append(took)
                            if r:  # each question's where= searches counted once
                                where_calls[0] = counted_so_far
                        elif f is not None:
                            counted_so_far = where_calls[0]  # only the current way's where= searches count
                            with where_in_search():
                                then.append(timed_ms(lambda q=q, f=f: a.ask(q, filters=f))[0])
                            where_calls[0] = counted_so_far
                times.append(min(now))  # the least-disturbed of the repeats
                if then:
                    old_times.append(min(then))
                for c in answer.citations:
                    info = a.document(c.doc_id)
                    if f is not None and not f.allows_document(c.doc_id, info.outlet, info.published_day):
                        raise SystemExit(f"{name}: {q!r} cited {c.doc_id} ({info.published}) outside the filter")
            results[name] = {"n": len(times), "p50": percentile(times, 0.5), "p95": percentile(times, 0.95)}
            line = f"{name:<32} p50 {results[name]['p50']:>7} ms   p95 {results[name]['p95']:>7} ms"
            if old_times:
                before[name] = {"p50": percentile(old_times, 0.5), "p95": percentile(old_times, 0.95)}
                results[name]["chroma_where_searches"] = where_calls[0]
                line += f"   (where= in search: p50 {before[name]['p50']:>7} p95 {before[name]['p95']:>7})"
            print(line, flush=True)
        store.dense_search = real_search
        outlets_ms = {
            "one query": percentile([timed_ms(a.outlets)[0] for _ in range(20)], 0.5),
            "reading every record": percentile(
                [
                    timed_ms(lambda: sorted({d.outlet for d in a.docs() if d.outlet}, key=str.casefold))[0]
                    for _ in range(20)
                ],
                0.5,
            ),
        }
        print(f"outlets(): {outlets_ms}")
        out = run_info() | {
            "git": git_commit(),
            "load_average_1m": [round(load_at_start, 1), round(os.getloadavg()[0], 1)],
            "store": str(args.store),
            "articles": len(docs),
            "chunks": store.vector_count(),
            "max_depth": retrieval.MAX_DEPTH,
            "repeat": args.repeat,
            "overfetch": retrieval.OVERFETCH,
            "ask_ms": results,
            "where_in_search_ms": before,
            "outlets_ms_p50": outlets_ms,
        }
    args.out.write_text(json.dumps(out, indent=2, ensure_ascii=False) + "\n")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
