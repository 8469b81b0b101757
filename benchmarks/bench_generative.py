"""Generated answers end to end on the seed articles, for each bundled model run in-process
(engine ``local``): time to first token, total time, the context sent, tokens written per second,
the checker's own cost, and what the checker kept.

Each model runs in its own child process (a model is loaded once per process). The questions are
the seed set's answerable ones (benchmarks/questions/seed_questions.jsonl). Every generated
sentence, with the sources it was given, is also written to
benchmarks/verifier/model_output.jsonl, for labelling by reading.

Writes benchmarks/results/generative.json with the date, the machine and the git commit. The
issue's target: first token <= 2 s and a whole answer <= 10 s with the 135M model, on 2 cores.

    python benchmarks/bench_generative.py                      # both models, 8 questions: minutes
    python benchmarks/bench_generative.py --models smollm2 --questions 3 --context 400
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

OUT = ROOT / "benchmarks" / "results" / "generative.json"
SENTENCES = ROOT / "benchmarks" / "verifier" / "model_output.jsonl"
QUESTIONS = ROOT / "benchmarks" / "questions" / "seed_questions.jsonl"


def child(model: str, store: str, n: int, context: int, max_tokens: int, threads: int) -> None:
    """One model: answer ``n`` questions, print one JSON line per answer."""
    from assistant import Assistant
    from assistant.answering.context import pack_sources
    from assistant.answering.llm import connect
    from assistant.models import Answer
    from assistant.text.tokens import count_tokens

    questions = [json.loads(line) for line in QUESTIONS.read_text(encoding="utf-8").splitlines() if line.strip()]
    questions = [q for q in questions if q.get("answerable")][:n]
    settings = {"llm_gguf": model, "llm_context_tokens": context, "llm_max_tokens": max_tokens}
    with Assistant(store, engine="local", llm_threads=threads, llm_timeout=600, **settings) as a:
        started = time.perf_counter()
        a.warm_up()  # as the web page and the bot do at start: the model's weights, the index, the people
        load_s = time.perf_counter() - started
        assert connect  # the engine connects through answering.llm
        for q in questions:
            started = time.perf_counter()
            first = None
            answer = None
            for event in a.ask_stream(q["question"]):
                if isinstance(event, Answer):
                    answer = event
                elif first is None:
                    first = time.perf_counter() - started
            total = time.perf_counter() - started
            assert answer is not None
            sources = pack_sources(a.retrieve(q["question"]), a.index, context)
            written = count_tokens(answer.generated or "")
            row = {
                "model": model,
                "id": q["id"],
                "warm_up_s": round(load_s, 2),
                "first_token_s": round(first, 2) if first is not None else None,
                "total_s": round(total, 2),
                "context_tokens": sum(s.tokens for s in sources),
                "written_tokens": written,
                "tokens_per_s": round(written / max(total - (first or 0), 1e-6), 1),
                "check_ms": answer.timings_ms.get("check"),
                "sentences": len(answer.checks),
                "supported": sum(1 for c in answer.checks if c["supported"]),
                "fell_back": answer.engine != "local",
                "notice": answer.notice,
            }
            print(json.dumps(row), flush=True)
            for check in answer.checks:
                print(
                    json.dumps(
                        {
                            "sentence_of": q["id"],
                            "model": model,
                            "sentence": check["sentence"],
                            "verdict": check["supported"],
                            "reasons": check["reasons"],
                            "passages": [{"n": s.n, "doc_id": s.doc_id, "text": s.text} for s in sources],
                        }
                    ),
                    flush=True,
                )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--models", nargs="+", default=["smollm2", "gemma3"])
    parser.add_argument("--questions", type=int, default=8)
    parser.add_argument("--context", type=int, default=0, help="context budget in tokens; 0 = the product's own")
    parser.add_argument("--max-tokens", type=int, default=128)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--child", nargs=2, metavar=("MODEL", "STORE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], args.child[1], args.questions, args.context, args.max_tokens, args.threads)
        return
    from bench_scale import git_commit

    from assistant import Assistant
    from assistant.evaluation.runner import run_info

    rows, sentences = [], []
    with tempfile.TemporaryDirectory() as tmp:
        store = str(Path(tmp) / "store")
        with Assistant(store) as a:
            a.ingest([ROOT / "data" / "articles"])
        for model in args.models:
            command = [sys.executable, __file__, "--child", model, store, "--questions", str(args.questions)]
            command += ["--context", str(args.context), "--max-tokens", str(args.max_tokens)]
            command += ["--threads", str(args.threads)]
            out = subprocess.run(command, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
            if out.returncode != 0:
                raise SystemExit(f"{model} failed:\n{out.stderr[-3000:]}")
            for line in out.stdout.splitlines():
                item = json.loads(line)
                (sentences if "sentence_of" in item else rows).append(item)
    summary = {}
    print(
        f"{'model':8} {'first token p50/max':>20} {'total p50/max':>16} {'context':>8} {'tok/s':>6} {'check':>8}  kept"
    )
    for model in args.models:
        mine = [r for r in rows if r["model"] == model]
        firsts = [r["first_token_s"] for r in mine if r["first_token_s"] is not None]
        totals = [r["total_s"] for r in mine]
        summary[model] = {
            "answers": len(mine),
            "warm_up_s": mine[0]["warm_up_s"] if mine else None,
            "first_token_s_p50": round(statistics.median(firsts), 2) if firsts else None,
            "first_token_s_max": max(firsts) if firsts else None,
            "total_s_p50": round(statistics.median(totals), 2),
            "total_s_max": max(totals),
            "context_tokens_mean": round(statistics.mean(r["context_tokens"] for r in mine)),
            "tokens_per_s_p50": statistics.median(r["tokens_per_s"] for r in mine),
            "check_ms_p50": statistics.median(r["check_ms"] or 0 for r in mine),
            "sentences": sum(r["sentences"] for r in mine),
            "sentences_kept": sum(r["supported"] for r in mine),
            "answers_fell_back": sum(r["fell_back"] for r in mine),
        }
        s = summary[model]
        print(
            f"{model:8} {s['first_token_s_p50']!s:>9}/{s['first_token_s_max']!s:<9}"
            f" {s['total_s_p50']:>7}/{s['total_s_max']:<7}"
            f" {s['context_tokens_mean']:>8} {s['tokens_per_s_p50']:>6} {s['check_ms_p50']:>7}ms"
            f"  {s['sentences_kept']}/{s['sentences']} sentences;"
            f" {s['answers_fell_back']}/{s['answers']} answers fell back"
        )
    load = os.getloadavg()
    out = {
        "settings": vars(args) | {"child": None},
        "summary": summary,
        "answers": rows,
        "load_average_at_end": [round(x, 2) for x in load],
        "target": "first token <= 2 s, whole answer <= 10 s with the 135M model",
        **run_info(),
        "git": git_commit(),
    }
    OUT.write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    SENTENCES.write_text("".join(json.dumps(s, ensure_ascii=False) + "\n" for s in sentences), encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)} and {SENTENCES.relative_to(ROOT)} ({len(sentences)} sentences)")


if __name__ == "__main__":
    main()
