"""The chat page as a reader meets it: how long until the page can take a question, and how long
until the first answer is on screen with its sources, in a real headless Chromium against the
real app (``python app.py``) on loopback.

    python benchmarks/bench_web.py [--store DIR] [--runs 15] [--question Q]

Without ``--store`` the five seed articles are ingested into a temporary store. Each run opens a
fresh browser context (no cache, a new conversation) and measures:

- ``dom_content_loaded_ms`` / ``load_ms``: the browser's navigation timing;
- ``ready_ms``: from navigation start until the Ask tab has loaded the index's size, outlets and
  examples (the page can take a question);
- ``first_answer_ms``: from pressing Ask until the answer and its source cards are in the page,
  measured inside the page; ``server_ms`` is the part the assistant spent answering
  (``timings_ms.total``), the rest is the round trip and rendering.

The very first question after the server starts is reported apart (``cold_first_answer_ms``).
Writes benchmarks/results/web_page.json with date, machine and git commit.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from assistant.evaluation.runner import run_info  # noqa: E402
from benchmarks.bench_scale import git_commit  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
SEEDS = ROOT / "data" / "articles"
QUESTION = "What did Çavuşoğlu say about Patriots?"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]

# Press Ask and wait, inside the page, until the answer and its cards are there.
FIRST_ANSWER = """async (question) => {
  const box = document.querySelector('#question');
  box.value = question;
  const done = () => document.querySelector('.turn[data-state=done], .turn[data-state=error]');
  const t0 = performance.now();
  document.querySelector('#ask').click();
  await new Promise((resolve) => {
    const observer = new MutationObserver(() => { if (done()) { observer.disconnect(); resolve(); } });
    observer.observe(document.querySelector('#conversation'), {subtree: true, attributes: true, childList: true});
  });
  const elapsed = performance.now() - t0;
  const turn = done();
  const data = JSON.parse(turn.querySelector('.turn-json pre').textContent || '{}');
  return {ms: elapsed, state: turn.dataset.state, cards: turn.querySelectorAll('.card').length,
          server_ms: (data.timings_ms || {}).total};
}"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_up(url: str, proc: subprocess.Popen, log: Path) -> float:
    t0 = time.perf_counter()
    while True:
        if proc.poll() is not None:
            raise SystemExit(f"the app exited:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return time.perf_counter() - t0
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            if time.perf_counter() - t0 > 180:
                raise SystemExit(f"the app did not come up:\n{log.read_text()}") from None
            time.sleep(0.2)


def summary(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {
        "p50": round(statistics.median(ordered), 1),
        "p95": round(ordered[max(0, round(0.95 * len(ordered)) - 1)], 1),
        "min": round(ordered[0], 1),
        "max": round(ordered[-1], 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", help="an existing store (copied; default: the seeds in a temporary store)")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--question", default=QUESTION)
    parser.add_argument("--chromium", default=os.environ.get("ASSISTANT_CHROMIUM") or shutil.which("chromium"))
    parser.add_argument("--out", default=str(RESULTS / "web_page.json"))
    args = parser.parse_args()
    if not args.chromium:
        raise SystemExit("no Chromium: apt-get install chromium, or pass --chromium PATH")
    env = {**os.environ, "GRADIO_ANALYTICS_ENABLED": "False", "HF_HUB_OFFLINE": "1"}
    with tempfile.TemporaryDirectory(prefix="bench-web-") as tmp:
        store = Path(tmp) / "store"
        if args.store:
            shutil.copytree(args.store, store)
        else:
            subprocess.run(
                [sys.executable, "-m", "assistant.interfaces.cli", "ingest", "--store", str(store), str(SEEDS)],
                cwd=ROOT,
                env=env,
                check=True,
                capture_output=True,
            )
        port = free_port()
        url = f"http://127.0.0.1:{port}/"
        log = Path(tmp) / "app.log"
        with log.open("w") as out:
            proc = subprocess.Popen(
                [sys.executable, str(ROOT / "app.py"), "--port", str(port), "--store", str(store)],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        try:
            start_s = wait_up(url, proc, log)
            runs = measure(url, args)
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    cold, warm = runs[0], runs[1:]
    results = run_info() | {
        "git": git_commit(),
        "store": args.store or "the five seed articles",
        "articles": runs[0]["articles"],
        "question": args.question,
        "runs": len(warm),
        "server_start_s": round(start_s, 2),
        "cold_first_answer_ms": round(cold["first_answer_ms"], 1),
        "dom_content_loaded_ms": summary([r["dom_content_loaded_ms"] for r in warm]),
        "load_ms": summary([r["load_ms"] for r in warm]),
        "ready_ms": summary([r["ready_ms"] for r in warm]),
        "first_answer_ms": summary([r["first_answer_ms"] for r in warm]),
        "server_ms": summary([r["server_ms"] for r in warm]),
        "cards": warm[0]["cards"],
    }
    results["machine"]["browser"] = "Debian Chromium (headless), " + runs[0]["browser"]
    Path(args.out).write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps({k: v for k, v in results.items() if k not in ("machine", "git")}, indent=2, ensure_ascii=False))
    print(f"wrote {args.out}")


def measure(url: str, args: argparse.Namespace) -> list[dict]:
    """One untimed-for-statistics cold run, then ``args.runs`` runs, each in a fresh context."""
    out = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=args.chromium, headless=True, args=CHROMIUM_ARGS)
        for _ in range(args.runs + 1):
            context = browser.new_context(viewport={"width": 1366, "height": 900})
            page = context.new_page()
            page.goto(url)
            page.locator("#chat-app [data-ready=true]").wait_for(state="attached", timeout=60_000)
            # the page marks "assistant-ready" when the Ask tab is filled (times from navigation start)
            timing = page.evaluate(
                """() => { const n = performance.getEntriesByType('navigation')[0];
                          const ready = performance.getEntriesByName('assistant-ready')[0];
                          return {dcl: n.domContentLoadedEventEnd, load: n.loadEventEnd, ready: ready.startTime,
                                  articles: document.querySelector('#article-count').textContent}; }"""
            )
            answer = page.evaluate(FIRST_ANSWER, args.question)
            if answer["state"] != "done" or not answer["cards"]:
                raise SystemExit(f"no answer with sources for {args.question!r}: {answer}")
            out.append(
                {
                    "dom_content_loaded_ms": timing["dcl"],
                    "load_ms": timing["load"],
                    "ready_ms": timing["ready"],
                    "first_answer_ms": answer["ms"],
                    "server_ms": answer["server_ms"] or 0.0,
                    "cards": answer["cards"],
                    "browser": browser.version,
                    "articles": timing["articles"],
                }
            )
            context.close()
        browser.close()
    return out


if __name__ == "__main__":
    main()
