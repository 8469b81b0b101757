"""Filtered questions on BBC + seeds: answer latency with search filters against the same
questions unfiltered, on a store an earlier run built (``bench_ingest_query.py --keep-store``).

    python benchmarks/bench_filters.py --store DIR

The questions are the seed set's and 60 from BBC headlines (as ``bench_startup.py`` asks them),
each asked once unfiltered first (warming every cache a question leaves), then timed under:
no filter; one outlet (Press TV); a date range (since 2018: the dated articles only); the
articles of one BBC section (``bbc/politics/``, about 400 ids); a random half of the corpus
(about 1,100 ids, the widest id filter). Every filtered answer's citations are checked to lie
inside its filter. Writes benchmarks/results/filters_bbc.json (the issue's target: p95 ≤ 60 ms).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from assistant import Assistant, SearchFilter  # noqa: E402
from assistant.evaluation.runner import run_info  # noqa: E402
from benchmarks.bench_scale import git_commit  # noqa: E402
from benchmarks.bench_startup import distinct_questions  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))], 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--out", type=Path, default=RESULTS / "filters_bbc.json")
    args = parser.parse_args()
    questions = distinct_questions(with_bbc=True)
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
        for name, f in kinds.items():
            times = []
            for q in questions:
                started = time.perf_counter()
                answer = a.ask(q, filters=f)
                times.append((time.perf_counter() - started) * 1000)
                for c in answer.citations:
                    info = a.document(c.doc_id)
                    if f is not None and not f.allows_document(c.doc_id, info.outlet, info.published_day):
                        raise SystemExit(f"{name}: {q!r} cited {c.doc_id} ({info.published}) outside the filter")
            results[name] = {"n": len(times), "p50": percentile(times, 0.5), "p95": percentile(times, 0.95)}
            print(f"{name:<32} p50 {results[name]['p50']:>7} ms   p95 {results[name]['p95']:>7} ms", flush=True)
        out = run_info() | {"git": git_commit(), "store": str(args.store), "articles": len(docs), "ask_ms": results}
    args.out.write_text(json.dumps(out, indent=2, ensure_ascii=False) + "\n")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
