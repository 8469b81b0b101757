"""The model runtime (#14): how long a user waits for a generated answer from the bundled models.

    python benchmarks/bench_llm.py [--models smollm2,gemma3] [--sizes 300,800,1200] [--runs 2] [--threads N]

For each bundled model, both ways the product runs one: in this process (``connect("local", ...)``)
and behind a real OpenAI-compatible server on loopback (``connect("openai", ...)``, the server from
tests/gguf_server.py in its own process). Reports the model's load time, then for prompts of about
300, 800 and 1,200 tokens (cl100k_base, counted with tiktoken; numbered passages from the sample
articles, a question and the answer instructions) with max_tokens 128: time to the first token,
total time, and llama.cpp's own prompt-evaluation and generation speeds (it reports them in the last
streamed chunk). Each run asks llama.cpp not to reuse a cached prompt, so every run pays for its whole
prompt, as a new question does. Writes benchmarks/results/llm_runtime.json with date and machine.

The issue's target: first token <= 2 s and full answer <= 10 s with the 135M model (smollm2).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import assistant.offline  # noqa: E402, F401  (tiktoken's file from llama-index-core, no download)
from assistant.answering.llm import connect  # noqa: E402
from assistant.config import LLMSettings  # noqa: E402
from assistant.ingest.chunking import count_tokens  # noqa: E402
from tests.llm_server import gguf_server  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
SEEDS = ROOT / "data" / "articles"
MAX_TOKENS = 128
SYSTEM = (
    "Answer the question using only the numbered sources below. After each sentence, cite the source "
    "it comes from as [n]. If the sources do not say, answer: The articles don't say."
)
QUESTION = "What did Jens Stoltenberg say about Turkey's purchase of the S-400 system?"


def passages() -> list[str]:
    """The sample articles' paragraphs, the NATO/S-400 article first (the question is about it)."""
    out = []
    for f in sorted(SEEDS.glob("*.txt")):
        paragraphs = [p.strip() for p in f.read_text(encoding="utf-8").split("\n\n")]
        out.extend(p for p in paragraphs[1:] if len(p.split()) >= 12)  # the title line is not a passage
    return out


def prompt_of(size: int) -> tuple[list[Any], int]:
    """Chat messages whose text is about ``size`` tokens: numbered passages added until the next one
    would pass it."""
    from llama_index.core.llms import ChatMessage

    def build(chosen: list[str]) -> list[ChatMessage]:
        sources = "\n\n".join(f"[{i}] {p}" for i, p in enumerate(chosen, 1))
        return [
            ChatMessage(role="system", content=SYSTEM),
            ChatMessage(role="user", content=f"Sources:\n\n{sources}\n\nQuestion: {QUESTION}"),
        ]

    def tokens(messages: list[ChatMessage]) -> int:
        return sum(count_tokens(m.content or "") for m in messages)

    chosen: list[str] = []
    for p in passages():
        if tokens(build([*chosen, p])) > size:
            break
        chosen.append(p)
    messages = build(chosen)
    return messages, tokens(messages)


def timings_of(raw: Any) -> dict[str, Any] | None:
    """llama.cpp's timings from a streamed chunk: a dict in process, an OpenAI chunk object over HTTP."""
    if raw is None:
        return None
    if isinstance(raw, dict):
        return raw.get("timings")
    extra = getattr(raw, "model_extra", None) or {}
    return extra.get("timings")


def run_once(llm: Any, messages: list[Any], over_http: bool, cpu: Callable[[], float]) -> dict[str, Any]:
    """One streamed answer: first-token and total seconds (wall, and CPU of the process running the
    model: what the answer costs whatever else the machine runs), pieces streamed, llama.cpp's timings."""
    kwargs = {"extra_body": {"cache_prompt": False}} if over_http else {"cache_prompt": False}
    started = time.perf_counter()
    cpu_started = cpu()
    first = first_cpu = None
    pieces = 0
    timings = None
    text = ""
    for chunk in llm.stream_chat(messages, **kwargs):
        if chunk.delta:
            pieces += 1
            if first is None:
                first = time.perf_counter() - started
                first_cpu = cpu() - cpu_started
        timings = timings_of(chunk.raw) or timings
        text = chunk.message.content or ""
    total = time.perf_counter() - started
    total_cpu = cpu() - cpu_started
    row: dict[str, Any] = {
        "first_token_s": round(first or total, 3),
        "total_s": round(total, 3),
        "pieces": pieces,
        "first_token_cpu_s": round(first_cpu or total_cpu, 3),
        "total_cpu_s": round(total_cpu, 3),
        "answer_start": text[:80],
    }
    if timings:
        row |= {
            "prompt_tokens": timings.get("prompt_n"),
            "prompt_tok_per_s": round(timings.get("prompt_per_second", 0.0), 1),
            "generated_tokens": timings.get("predicted_n"),
            "gen_tok_per_s": round(timings.get("predicted_per_second", 0.0), 1),
        }
    return row


def median_row(rows: list[dict[str, Any]]) -> dict[str, Any]:
    out = dict(rows[-1])
    for key in ("first_token_s", "total_s", "first_token_cpu_s", "total_cpu_s", "prompt_tok_per_s", "gen_tok_per_s"):
        values = [r[key] for r in rows if r.get(key) is not None]
        if values:
            out[key] = round(statistics.median(values), 3)
    out["runs"] = len(rows)
    out["first_token_s_all"] = [r["first_token_s"] for r in rows]
    out["total_s_all"] = [r["total_s"] for r in rows]
    return out


def bench(llm: Any, sizes: list[int], runs: int, over_http: bool, cpu: Callable[[], float]) -> list[dict[str, Any]]:
    out = []
    from llama_index.core.llms import ChatMessage

    list(llm.stream_chat([ChatMessage(role="user", content="Hi")], max_tokens=2))  # untimed: first-use costs
    for size in sizes:
        messages, counted = prompt_of(size)
        rows = [run_once(llm, messages, over_http, cpu) for _ in range(runs)]
        row = {"target_tokens": size, "tiktoken_tokens": counted, **median_row(rows)}
        out.append(row)
        print(
            f"    ~{size:>5} tok: first {row['first_token_s']:.2f} s, total {row['total_s']:.2f} s "
            f"(CPU {row['first_token_cpu_s']:.2f} / {row['total_cpu_s']:.2f} s), "
            f"prompt {row.get('prompt_tok_per_s', '?')} tok/s, gen {row.get('gen_tok_per_s', '?')} tok/s",
            flush=True,
        )
    return out


def server_cpu() -> Callable[[], float]:
    """CPU seconds used so far by the model server this process started (tests/gguf_server.py)."""
    (server,) = [p for p in psutil.Process().children() if "gguf_server.py" in " ".join(p.cmdline())]

    def cpu() -> float:
        times = server.cpu_times()
        return times.user + times.system

    return cpu


def load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--models", default="smollm2,gemma3")
    parser.add_argument("--sizes", default="300,800,1200")
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--threads", type=int, default=0, help="0 = one per core, as ASSISTANT_LLM_THREADS=0")
    parser.add_argument("--via", default="local,openai", help="local (in process), openai (loopback server)")
    parser.add_argument("--out", default=str(RESULTS / "llm_runtime.json"))
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    threads = args.threads or os.cpu_count() or 1
    results: dict[str, Any] = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version()},
        "load_average_before": load_average(),
        "threads": threads,
        "max_tokens": MAX_TOKENS,
        "models": {},
    }
    for model in args.models.split(","):
        settings = LLMSettings(gguf=model, threads=threads, max_tokens=MAX_TOKENS, timeout=600)
        entry: dict[str, Any] = {}
        vias = args.via.split(",")
        results["models"][model] = entry
        if "local" in vias:
            print(f"{model}, in process (connect('local')), {threads} threads", flush=True)
            llm = connect("local", settings)
            entry["local"] = {
                "load_s": round(llm.load(), 3),
                "sizes": bench(llm, sizes, args.runs, False, time.process_time),
            }
            print(f"    load {entry['local']['load_s']:.2f} s", flush=True)
        if "openai" not in vias:
            continue
        print(f"{model}, loopback server (connect('openai'))", flush=True)
        started = time.perf_counter()
        with (
            tempfile.TemporaryDirectory() as tmp,
            gguf_server(model, threads=threads, log_path=Path(tmp) / "log") as url,
        ):
            ready = time.perf_counter() - started
            http = connect("openai", LLMSettings(base_url=url, model=model, max_tokens=MAX_TOKENS, timeout=600))
            entry["openai_loopback"] = {
                "start_and_load_s": round(ready, 3),  # a new Python process: imports plus the model load
                "sizes": bench(http, sizes, args.runs, True, server_cpu()),
            }
        print(f"    server start + load {ready:.2f} s", flush=True)
    results["load_average_after"] = load_average()
    results["git"] = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=False
    ).stdout.strip()
    print_table(results)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {out}")


def print_table(results: dict[str, Any]) -> None:
    print()
    print(
        "| model | via | load s | tokens (tiktoken) | first token s | total s | first token CPU s | total CPU s "
        "| prompt tok/s | gen tok/s | gen tokens |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for model, entry in results["models"].items():
        for via, data in entry.items():
            load = data.get("load_s", data.get("start_and_load_s"))
            for row in data["sizes"]:
                print(
                    f"| {model} | {via} | {load:.2f} | {row['tiktoken_tokens']} | {row['first_token_s']:.2f} | "
                    f"{row['total_s']:.2f} | {row['first_token_cpu_s']:.2f} | {row['total_cpu_s']:.2f} | "
                    f"{row.get('prompt_tok_per_s', '')} | {row.get('gen_tok_per_s', '')} | "
                    f"{row.get('generated_tokens', '')} |"
                )


if __name__ == "__main__":
    main()
