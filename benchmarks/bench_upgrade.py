"""How long opening a store made before syndicated-copy grouping takes: migration ``m007``
groups every stored article once (MinHash of each text, LSH candidates, exact Jaccard), inside
the open that upgrades it, so the first command after an upgrade waits for it.

    python benchmarks/bench_upgrade.py --store DIR      # a store bench_ingest_query.py --keep-store built

Each run copies the store (the original is never written), turns the copy back into a pre-m007
store the way the migration tests do (its ``dup_signatures``/``dup_pairs`` tables and the
migration's record dropped), and times opening it; the same open of an up-to-date copy is the
baseline, timed in the same run. The pairs the migration finds are checked against those the
store recorded at ingest. Writes benchmarks/results/upgrade_m007.json with the date and machine.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from functools import wraps
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from assistant.evaluation.runner import run_info  # noqa: E402
from assistant.search import migrations  # noqa: E402
from assistant.search.store import DATABASE, Store  # noqa: E402
from benchmarks.bench_scale import git_commit  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"


def pairs(store: Path) -> set[frozenset[str]]:
    with sqlite3.connect(store / DATABASE) as db:
        return {frozenset(r) for r in db.execute("SELECT doc_id, other FROM dup_pairs")}


def make_pre_m007(store: Path) -> None:
    """The copy as a store written before m007 (what the migration tests do to a seeds store)."""
    with sqlite3.connect(store / DATABASE) as db:
        db.execute("DROP INDEX IF EXISTS dup_pairs_other")
        db.execute("DROP TABLE dup_pairs")
        db.execute("DROP TABLE dup_signatures")
        db.execute("DELETE FROM migrations WHERE name = 'm007_duplicates'")


def timed_open(store: Path) -> float:
    started = time.perf_counter()
    Store(store, create=False).close()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path, default=RESULTS / "upgrade_m007.json")
    args = parser.parse_args()
    with sqlite3.connect(args.store / DATABASE) as db:
        articles = db.execute("SELECT count(*) FROM documents").fetchone()[0]
        chars = db.execute("SELECT sum(length(text)) FROM documents").fetchone()[0]
    recorded = pairs(args.store)
    m007_s: list[float] = []
    index = next(i for i, fn in enumerate(migrations.MIGRATIONS) if fn.__name__ == "m007_duplicates")
    original = migrations.MIGRATIONS[index]

    @wraps(original)
    def timed_m007(db: sqlite3.Connection) -> None:
        started = time.perf_counter()
        original(db)
        m007_s.append(time.perf_counter() - started)

    migrations.MIGRATIONS[index] = timed_m007
    upgrading, current, load = [], [], [os.getloadavg()[0]]
    with tempfile.TemporaryDirectory(prefix="upgrade-") as tmp:
        for run in range(args.runs):
            up, same = Path(tmp) / f"old-{run}", Path(tmp) / f"current-{run}"
            shutil.copytree(args.store, up)
            shutil.copytree(args.store, same)
            make_pre_m007(up)
            current.append(timed_open(same))
            upgrading.append(timed_open(up))
            found = pairs(up)
            if found != recorded:
                raise SystemExit(f"m007 found {len(found)} pairs, the store recorded {len(recorded)} at ingest")
            print(
                f"run {run + 1}: open upgrading {upgrading[-1]:.2f} s (m007 {m007_s[-1]:.2f} s), "
                f"open up to date {current[-1]:.2f} s",
                flush=True,
            )
            shutil.rmtree(up)
            shutil.rmtree(same)
            load.append(os.getloadavg()[0])
    out = run_info() | {
        "git": git_commit(),
        "load_average_1m": [round(x, 1) for x in load],  # before and after each run: the machine may be shared
        "store": str(args.store),
        "articles": articles,
        "text_chars": chars,
        "pairs": len(recorded),
        "runs": args.runs,
        "m007_s": {"median": round(statistics.median(m007_s), 2), "all": [round(s, 2) for s in m007_s]},
        "open_upgrading_s": {"median": round(statistics.median(upgrading), 2), "all": [round(s, 2) for s in upgrading]},
        "open_up_to_date_s": {"median": round(statistics.median(current), 2), "all": [round(s, 2) for s in current]},
        "m007_ms_per_article": round(1000 * statistics.median(m007_s) / articles, 2),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(out, indent=2, ensure_ascii=False) + "\n")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
