"""Where an unfiltered answer's time goes on BBC + seeds: each cost #13 added, switched off in
turn in one process, timed back to back with the code as it is (the machine is shared and
noisy: separate runs minutes apart differ by more than the costs measured).

    python benchmarks/bench_ask_costs.py --store DIR [--rounds 2]

On a store an earlier run built (``bench_ingest_query.py --keep-store``). Every question (the
seed set's and 60 BBC headlines, as ``bench_filters.py`` asks them) is asked once to warm the
caches, then in each round asked once under every variant, the variants' order rotating per
question. The variants:

- ``as is``: the code as committed;
- ``no reprint search``: ``Citation.also_in`` without the word-pair search for reprints the
  retrieval did not bring (``Corpus.passages_like``, who-said answers);
- ``no copy groups``: no syndication groups (``Corpus.copies``) consulted;
- ``no latest boost``: "latest" questions not boosted to newer articles;
- ``no resolved dates``: a quote's relative dates not resolved (``Citation.dates``);
- ``index arrays via np.memmap``: the keyword index's arrays (vocabulary, postings) indexed
  through ``np.memmap`` objects, as before 3481df5; the rest as is.

Prints p50/p95 per variant and the median per-question difference from ``as is``; writes
benchmarks/results/ask_costs_bbc.json with the date and machine.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from assistant import Assistant  # noqa: E402
from assistant.answering import extractive, quoted  # noqa: E402
from assistant.evaluation.runner import run_info  # noqa: E402
from assistant.search import retrieval  # noqa: E402
from benchmarks.bench_filters import percentile  # noqa: E402
from benchmarks.bench_scale import git_commit  # noqa: E402
from benchmarks.bench_startup import distinct_questions  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"


@contextmanager
def patched(obj: object, name: str, value: object) -> Iterator[None]:
    old = getattr(obj, name)
    setattr(obj, name, value)
    try:
        yield
    finally:
        setattr(obj, name, old)


@contextmanager
def memmap_index(a: Assistant) -> Iterator[None]:
    """The keyword index's arrays read as they were (before 3481df5): through ``np.memmap``
    objects, whose indexing runs Python code at every step of a term lookup."""
    keyword = a.index._current()[1].keyword
    postings = [p for s in keyword.segments for p in s.fields.values()]
    names = ("indptr", "rows", "counts", "lengths")
    saved = [(p.vocab._keys._blob, p.vocab._keys._ends, *(getattr(p, n) for n in names)) for p in postings]
    for p in postings:
        p.vocab._keys._blob = p.vocab._keys._blob.view(np.memmap)
        p.vocab._keys._ends = p.vocab._keys._ends.view(np.memmap)
        for n in names:
            setattr(p, n, getattr(p, n).view(np.memmap))
    try:
        yield
    finally:
        for p, (blob, ends, *arrays) in zip(postings, saved, strict=True):
            p.vocab._keys._blob, p.vocab._keys._ends = blob, ends
            for n, array in zip(names, arrays, strict=True):
                setattr(p, n, array)


def variants(a: Assistant) -> dict[str, Callable[[], AbstractContextManager]]:
    index = a.index
    return {
        "as is": nullcontext,
        "no reprint search": lambda: patched(index, "passages_like", lambda *_a, **_k: []),
        "no copy groups": lambda: patched(index, "copies", lambda doc_id: ()),
        "no latest boost": lambda: patched(retrieval, "asks_for_latest", lambda q: False),
        "no resolved dates": _no_dates,
        "index arrays via np.memmap": lambda: memmap_index(a),
    }


@contextmanager
def _no_dates() -> Iterator[None]:
    with patched(extractive, "resolved_in", lambda *a, **k: ()), patched(quoted, "resolved_in", lambda *a, **k: ()):
        yield


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--out", type=Path, default=RESULTS / "ask_costs_bbc.json")
    args = parser.parse_args()
    questions = distinct_questions(with_bbc=True)
    with Assistant(store_dir=args.store, create=False) as a:
        a.warm_up()
        for q in questions:
            a.ask(q)
        kinds = variants(a)
        names = list(kinds)
        times: dict[str, list[float]] = {n: [] for n in names}
        per_question: dict[str, list[float]] = {n: [] for n in names}
        for _ in range(args.rounds):
            for i, q in enumerate(questions):
                here: dict[str, float] = {}
                for name in names[i % len(names) :] + names[: i % len(names)]:  # rotated order
                    with kinds[name]():
                        started = time.perf_counter()
                        a.ask(q)
                        here[name] = (time.perf_counter() - started) * 1000
                for name, ms in here.items():
                    times[name].append(ms)
                    per_question[name].append(ms - here["as is"])
        results = {}
        for name in names:
            results[name] = {
                "n": len(times[name]),
                "p50": percentile(times[name], 0.5),
                "p95": percentile(times[name], 0.95),
                "median_diff_vs_as_is": round(statistics.median(per_question[name]), 2),
                "mean_diff_vs_as_is": round(statistics.fmean(per_question[name]), 2),
            }
            r = results[name]
            print(
                f"{name:<26} p50 {r['p50']:>7} ms  p95 {r['p95']:>7} ms  "
                f"vs as is: median {r['median_diff_vs_as_is']:>+7} ms, mean {r['mean_diff_vs_as_is']:>+7} ms",
                flush=True,
            )
        out = run_info() | {
            "git": git_commit(),
            "store": str(args.store),
            "questions": len(questions),
            "rounds": args.rounds,
            "ask_ms": results,
        }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(out, indent=2, ensure_ascii=False) + "\n")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
