"""Memory while serving: start the web app on a store, ask it questions over HTTP, read its RSS.

    python benchmarks/serve_memory.py STORE_DIR [--questions N]

Writes benchmarks/results/serve_memory.json: resident memory after start-up and after the
questions, and the peak (VmHWM), read from /proc for the server process.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.evaluation.runner import run_info  # noqa: E402
from tests.web_server import running_app  # noqa: E402


def rss_of(pid: int) -> dict[str, float]:
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            fields[key] = round(int(value.split()[0]) / 1024, 1)
    return fields


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("store", type=Path)
    parser.add_argument("--questions", type=int, default=100)
    args = parser.parse_args()
    import random

    from gradio_client import Client

    from benchmarks.bench_ingest_query import questions_for

    questions = questions_for(ROOT.parent / "shared" / "corpora" / "bbc", args.questions, random.Random(11))
    log = args.store.parent / "serve.log"
    with running_app(args.store, log) as url:
        pid = int(_pid_listening(url))
        time.sleep(2)
        after_start = rss_of(pid)
        client = Client(url, verbose=False)
        t0 = time.perf_counter()
        for q in questions:
            client.predict(q, None, api_name="/ask")
        seconds = time.perf_counter() - t0
        after = rss_of(pid)
    result = {
        "questions": len(questions),
        "seconds_over_http": round(seconds, 2),
        "rss_after_start_mib": after_start.get("VmRSS"),
        "rss_after_questions_mib": after.get("VmRSS"),
        "peak_rss_mib": after.get("VmHWM"),
    } | run_info()
    out = ROOT / "benchmarks" / "results" / "serve_memory.json"
    out.write_text(json.dumps(result, indent=1) + "\n")
    print(result)


def _pid_listening(url: str) -> str:
    """The pid of the process listening on the app's port (the server we started)."""
    port = int(url.rstrip("/").rsplit(":", 1)[1])
    inode = None
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        parts = line.split()
        if int(parts[1].split(":")[1], 16) == port and parts[3] == "0A":
            inode = parts[9]
    for fd_dir in Path("/proc").glob("[0-9]*/fd"):
        try:
            for fd in fd_dir.iterdir():
                if inode and fd.readlink().name == f"socket:[{inode}]":
                    return fd_dir.parent.name
        except OSError:
            continue
    raise RuntimeError(f"no process listens on port {port}")


if __name__ == "__main__":
    main()
