"""What each ingest-speed change bought: the same BBC sample ingested four ways, each in its own
process, one after the other in one run (so machine noise hits them alike).

    python benchmarks/ingest_ablation.py [--corpus DIR] [--every 3]

  embedding workers: 1 = one chunk at a time over all cores (ONNX Runtime's default threading),
                     2 = one chunk per core at a time, each run single-threaded (shipped)
  arithmetic:        float = the model file as shipped (int8 weights turned back into float32),
                     int8  = the same int8 weights multiplied with int8 instructions (shipped)

Writes benchmarks/results/ingest_ablation.json; benchmarks/report.py renders it.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "benchmarks" / "results"

from assistant.evaluation.runner import run_info  # noqa: E402

CONFIGS = [(1, False), (2, False), (1, True), (2, True)]


def sample(corpus: Path, every: int) -> list[Path]:
    files = sorted(p for p in corpus.rglob("*.txt") if p.name.lower() != "readme.txt")
    return files[::every]


def one(corpus: Path, every: int, workers: int, int8: bool) -> dict:
    """Ingest the sample into a fresh store with this configuration (run in a child process)."""
    from assistant import Assistant

    files = sample(corpus, every)
    with tempfile.TemporaryDirectory(prefix="ablation-") as store:
        assistant = Assistant(store_dir=store, embed_workers=workers)
        assistant.model.int8_arithmetic = int8
        assistant.model.embed("load the model before timing")
        t0 = time.perf_counter()
        report = assistant.ingest(files)
        seconds = time.perf_counter() - t0
        assistant.close()
    return {
        "embed_workers": workers,
        "arithmetic": "int8" if int8 else "float",
        "articles": len(files),
        "chunks": report.chunks,
        "seconds": round(seconds, 2),
        "articles_per_s": round(len(files) / seconds, 2),
        "chunks_per_s": round(report.chunks / seconds, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpora" / "bbc")
    parser.add_argument("--every", type=int, default=3, help="take every Nth file of the corpus")
    parser.add_argument("--one", nargs=2, metavar=("WORKERS", "INT8"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not args.corpus.is_dir():
        sys.exit(f"corpus not found: {args.corpus} (expected ../shared/corpora/bbc)")
    if args.one:
        print(json.dumps(one(args.corpus, args.every, int(args.one[0]), args.one[1] == "1")))
        return
    rows = []
    for workers, int8 in CONFIGS:
        child = ["--corpus", str(args.corpus), "--every", str(args.every), "--one", str(workers), str(int(int8))]
        out = subprocess.run(
            [sys.executable, __file__, *child],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        rows.append(json.loads(out.strip().splitlines()[-1]))
        print(rows[-1], flush=True)
    base = rows[0]["seconds"]
    for row in rows:
        row["speed_vs_first"] = round(base / row["seconds"], 2)
    result = {
        "what": f"one BBC file in {args.every} ({rows[0]['articles']} articles), ingested into a fresh store "
        "by each configuration in its own process, one after the other",
        "rows": rows,
    } | run_info()
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "ingest_ablation.json").write_text(json.dumps(result, indent=1) + "\n")
    print(f"-> {RESULTS / 'ingest_ablation.json'}")


if __name__ == "__main__":
    main()
