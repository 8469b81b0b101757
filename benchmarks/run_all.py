"""Run every benchmark, each system in its own process, then regenerate docs/BENCHMARKS.md.

    python benchmarks/run_all.py [--skip-eval]

1. ingest + query on BBC + seeds: ours, then the stock llama-index pipeline (same machine, same run)
2. memory while serving: the web app on the store ours built, answering over HTTP
3. start-up: one-shot commands and first questions, on the seeds and on that store
4. ingest speed, change by change (benchmarks/ingest_ablation.py)
5. quality: `assistant eval` (seed set + SQuAD 2.0, ours vs stock)
6. generative answers' model runtime: both bundled models, in process and over a loopback server
7. benchmarks/report.py: tables with ratios, plots
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"


def run(*args: str) -> None:
    print("$", " ".join(args), flush=True)
    subprocess.run([sys.executable, *args], cwd=ROOT, check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--skip-eval", action="store_true", help="keep the existing eval.json")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-all-") as tmp:
        store = Path(tmp) / "ours"
        run("benchmarks/bench_ingest_query.py", "--system", "ours", "--keep-store", str(store))
        run("benchmarks/bench_ingest_query.py", "--system", "stock")
        run("benchmarks/serve_memory.py", str(store))
        run("benchmarks/bench_startup.py", "--bbc-store", str(store))
    run("benchmarks/ingest_ablation.py")
    run("benchmarks/bench_web.py")
    run("benchmarks/bench_llm.py")
    if not args.skip_eval:
        run("-m", "assistant.interfaces.cli", "eval", "--out", str(RESULTS / "eval.json"))
    run("benchmarks/report.py")


if __name__ == "__main__":
    main()
