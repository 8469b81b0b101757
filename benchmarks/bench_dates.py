"""Dates and filters (#13): ingest rate on the seeds, and answer latency with and without
search filters.

    python benchmarks/bench_dates.py [--runs 5] [--ingest-only]

Ingest: the seeds into a fresh store, ``--runs`` times after one untimed run (the model
loaded once per process), articles/s median. Ask: every seed-set question (``questions/
seed_questions.jsonl``) asked unfiltered and under three filters (since 2018; outlet Press
TV; since 2018 until 2019), after asking them all once, p50/p95 per kind. ``--ingest-only`` measures only
the ingest (it also runs on a checkout without filters, for a before/after comparison:
``PYTHONPATH=../main python benchmarks/bench_dates.py --ingest-only``). Prints JSON.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "data" / "articles"
SEED_SET = ROOT / "benchmarks" / "questions" / "seed_questions.jsonl"


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--ingest-only", action="store_true")
    args = parser.parse_args()

    import assistant
    from assistant import Assistant

    out: dict = {
        "run": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.platform()}, {__import__('os').cpu_count()} CPUs",
        "code": str(Path(assistant.__file__).parent.parent),
    }
    rates = []
    with tempfile.TemporaryDirectory() as tmp:
        for run in range(args.runs + 1):
            with Assistant(store_dir=Path(tmp) / f"s{run}") as a:
                started = time.perf_counter()
                report = a.ingest([SEEDS])
                seconds = time.perf_counter() - started
            assert report.added == 5, report.to_dict()
            if run:  # the first run loads the model and caches
                rates.append(report.added / seconds)
        out["ingest_articles_per_s_median"] = round(statistics.median(rates), 2)
        out["ingest_articles_per_s_all"] = [round(r, 2) for r in rates]
        if not args.ingest_only:
            from assistant import SearchFilter

            questions = [json.loads(line) for line in SEED_SET.read_text(encoding="utf-8").splitlines() if line]
            kinds = {
                "unfiltered": None,
                "since 2018": SearchFilter(since=date(2018, 1, 1)),
                "outlet Press TV": SearchFilter(outlets={"Press TV"}),
                "2018..2019": SearchFilter(since=date(2018, 1, 1), until=date(2019, 12, 31)),
            }
            with Assistant(store_dir=Path(tmp) / "s1") as a:
                for q in questions:  # warm-up: every article's passages and caches
                    a.ask(q["question"], history=q.get("history") or None)
                for name, f in kinds.items():
                    times = []
                    for q in questions:
                        started = time.perf_counter()
                        a.ask(q["question"], history=q.get("history") or None, filters=f)
                        times.append((time.perf_counter() - started) * 1000)
                    out[f"ask_ms {name}"] = {
                        "n": len(times),
                        "p50": round(_pct(times, 0.5), 1),
                        "p95": round(_pct(times, 0.95), 1),
                    }
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
