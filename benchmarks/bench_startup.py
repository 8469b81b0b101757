"""Start-up: how long a user waits for a one-shot command, and for the first question after a
start or an ingest compared with the questions after it.

    python benchmarks/bench_startup.py [--bbc-store DIR] [--runs 5]

Wall times of whole commands (``assistant --version``, ``docs``, a one-shot ``ask``) on the seeds
store and, given ``--bbc-store`` (a store of BBC + seeds, e.g. the one bench_ingest_query.py
keeps), on BBC + seeds; then, in one process: the first question after opening a store (with and
without ``warm_up``, as the web page and a bare API user do), the p95 of the questions after it,
and the first question after an ingest. Writes benchmarks/results/startup.json.

``--pythonpath DIR --cli-module M`` runs another checkout the same way (a before/after comparison).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
SEEDS = ROOT / "data" / "articles"
QUESTIONS = [  # for the one-shot commands, in turn
    "what did Cavusoglu say about Patriots?",
    "What did Stoltenberg say about interoperability?",
    "How much was the S-400 deal worth?",
    "Who won the 2018 World Cup?",
    "What did the chancellor say about the economy?",
]
SEED_SET = ROOT / "benchmarks" / "questions" / "seed_questions.jsonl"
BBC = ROOT.parent / "shared" / "corpora" / "bbc"


def distinct_questions(with_bbc: bool) -> list[str]:
    """Questions asked once each in one process: the seed set's, and for BBC + seeds questions
    from BBC headlines (as bench_ingest_query.py asks them)."""
    questions = [json.loads(line)["question"] for line in SEED_SET.read_text(encoding="utf-8").splitlines() if line]
    if with_bbc and BBC.is_dir():
        files = sorted(f for f in BBC.rglob("*.txt") if f.name.lower() != "readme.txt")
        rng = random.Random(11)
        for f in rng.sample(files, 60):
            title = f.read_bytes().decode("utf-8", errors="replace").splitlines()[0].strip().rstrip(".")
            questions.append(rng.choice(["What happened with {}?", "What do the articles say about {}?"]).format(title))
    return list(dict.fromkeys(questions))


IN_PROCESS = r"""
import json, sys, time
t0 = time.perf_counter()
from assistant import Assistant
store, warm, questions, extra = sys.argv[1], sys.argv[2] == "warm", json.loads(sys.argv[3]), sys.argv[4]
a = Assistant(store_dir=store)
if warm:
    a.warm_up()
opened = time.perf_counter() - t0
t = time.perf_counter(); a.ask(questions[0]); first = time.perf_counter() - t
later = []
for q in questions[1:-1]:  # all different: nothing is cached for them but what any question leaves
    t = time.perf_counter(); a.ask(q); later.append(time.perf_counter() - t)
after_ingest = None
if extra:
    a.ingest([extra])
    t = time.perf_counter(); a.ask(questions[-1]); after_ingest = time.perf_counter() - t
later.sort()
print(json.dumps({"open_s": opened, "first_ms": first * 1000, "p95_ms": later[int(len(later) * 0.95) - 1] * 1000,
                  "p50_ms": later[len(later) // 2] * 1000,
                  "first_after_ingest_ms": None if after_ingest is None else after_ingest * 1000}))
"""


def wall(cmd: list[str], env: dict[str, str], cwd: Path) -> float:
    t0 = time.perf_counter()
    out = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True, timeout=600)
    seconds = time.perf_counter() - t0
    if out.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{out.stderr}")
    return seconds


def summary(values: list[float]) -> dict[str, float]:
    return {"median_s": round(statistics.median(values), 3), "min_s": round(min(values), 3), "runs": len(values)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bbc-store", type=Path, default=None)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--pythonpath", type=Path, default=None, help="run another checkout's code")
    parser.add_argument("--cli-module", default="assistant.interfaces.cli")
    parser.add_argument("--out", type=Path, default=RESULTS / "startup.json")
    args = parser.parse_args()
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    if args.pythonpath:
        env["PYTHONPATH"] = str(args.pythonpath)
    cli = [sys.executable, "-m", args.cli_module]
    results: dict = {"commands": {}, "in_process": {}}
    with tempfile.TemporaryDirectory(prefix="bench-startup-") as tmp:
        work = Path(tmp)
        seeds = work / "seeds"
        subprocess.run(
            [*cli, "ingest", str(SEEDS), "--store", str(seeds)], env=env, cwd=work, check=True, capture_output=True
        )
        extra = work / "extra.txt"
        extra.write_text(
            "Harbour council backs ferry plan\n\nThe harbour council of Vellmar backed a new ferry plan on Monday, "
            "its chair Ingrid Solberg said, after a vote of nine to two.\n",
            encoding="utf-8",
        )
        stores = {"seeds": seeds} | ({"bbc+seeds": args.bbc_store} if args.bbc_store else {})
        wall([*cli, "--version"], env, work)  # file-system caches warm, as for any second command
        results["commands"]["--version"] = summary([wall([*cli, "--version"], env, work) for _ in range(args.runs)])
        for name, store in stores.items():
            wall([*cli, "docs", "--store", str(store)], env, work)
            results["commands"][f"docs ({name})"] = summary(
                [wall([*cli, "docs", "--store", str(store)], env, work) for _ in range(args.runs)]
            )
            asks = [
                wall([*cli, "ask", QUESTIONS[i % len(QUESTIONS)], "--store", str(store)], env, work)
                for i in range(args.runs)
            ]
            results["commands"][f"one-shot ask ({name})"] = summary(asks)
            asked = distinct_questions(with_bbc=name != "seeds")
            for mode in ("warm", "cold"):
                copy = work / f"{name}-{mode}"
                subprocess.run(["cp", "-r", str(store), str(copy)], check=True)
                out = subprocess.run(
                    [sys.executable, "-c", IN_PROCESS, str(copy), mode, json.dumps(asked), str(extra)],
                    env=env,
                    cwd=work,
                    capture_output=True,
                    text=True,
                    timeout=900,
                    check=True,
                )
                figures = json.loads(out.stdout.strip().splitlines()[-1])
                label = "after warm_up (web page, bot)" if mode == "warm" else "no warm_up (one API call)"
                results["in_process"][f"{name}, {label}"] = {
                    k: round(v, 2) if v is not None else None for k, v in figures.items()
                }
    sys.path.insert(0, str(ROOT))
    from assistant.evaluation.runner import run_info

    results |= {"code": str(args.pythonpath or ROOT), "cli_module": args.cli_module} | run_info()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=1) + "\n")
    for name, v in results["commands"].items():
        print(f"{name:<32} median {v['median_s']:.2f} s  (min {v['min_s']:.2f})")
    for name, v in results["in_process"].items():
        print(
            f"{name:<48} first {v['first_ms']:.0f} ms, then p50 {v['p50_ms']:.0f} / p95 {v['p95_ms']:.0f} ms; "
            f"first after an ingest {v['first_after_ingest_ms']:.0f} ms; opening {v['open_s']:.2f} s"
        )
    print(f"-> {args.out}")


if __name__ == "__main__":
    main()
