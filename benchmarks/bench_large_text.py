"""Where the time goes preparing one large plain-text file (no embedding, no store).

    python benchmarks/bench_large_text.py [--skip-quotes] [--one-line] [MB ...]   (default: 1 5 10)

Builds one plain-text file of about each size by concatenating BBC articles from
``../shared/corpora/bbc`` (cycling through the corpus when it is too small), writes it to a
temporary folder, and times each step ingest runs on it before embedding, as
``ingest.pipeline`` does: ``load_file``, ``clean``, ``sentence_spans``, ``extract_quotes``,
``chunk_article``. Prints seconds and seconds per MB for each step and size (wall clock, and
the process's CPU time, steadier on a shared machine), so a step whose cost per MB grows with
the size stands out. ``--one-line`` joins the articles into one line (a file with no line
breaks: one paragraph of megabytes). Nothing is written to the repository.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.ingest.chunking import chunk_article  # noqa: E402
from assistant.ingest.cleaning import clean  # noqa: E402
from assistant.ingest.loading import load_file  # noqa: E402
from assistant.text.quotes import extract_quotes  # noqa: E402
from assistant.text.sentences import sentence_spans  # noqa: E402

BBC = ROOT.parent / "shared" / "corpora" / "bbc"


def corpus_text(megabytes: float) -> str:
    """BBC articles joined by blank lines until the text holds ``megabytes`` MB of UTF-8."""
    files = sorted(BBC.glob("*/*.txt"))
    if not files:
        sys.exit(f"no BBC corpus at {BBC}")
    target, parts, size, i = int(megabytes * 1_000_000), [], 0, 0
    while size < target:
        part = files[i % len(files)].read_bytes().decode("utf-8", errors="replace").strip()
        parts.append(part)
        size += len(part.encode("utf-8")) + 2
        i += 1
    return "\n\n".join(parts)


def time_steps(path: Path, quotes: bool = True) -> dict[str, float]:
    times: dict[str, float] = {}

    megabytes = path.stat().st_size / 1e6

    def timed(name, fn, *args, **kwargs):
        started, cpu = time.perf_counter(), time.process_time()
        result = fn(*args, **kwargs)
        times[name] = s = time.perf_counter() - started
        cpu = time.process_time() - cpu
        print(f"    {name:15s} {s:8.2f} s  {s / megabytes:7.2f} s/MB  (CPU {cpu:.2f} s)", flush=True)
        return result

    raw = timed("load_file", load_file, path, 10**9)[0]
    article = timed("clean", clean, raw)
    article.sentences = timed("sentence_spans", sentence_spans, article.text)
    if quotes:
        article.quotes = timed("extract_quotes", extract_quotes, article.text, article.sentences)
    chunks = timed("chunk_article", chunk_article, article)
    times["_chunks"] = len(chunks)
    return times


def main(sizes: list[float], quotes: bool = True, one_line: bool = False) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for mb in sizes:
            path = Path(tmp) / f"big_{mb:g}mb.txt"
            text = corpus_text(mb)
            path.write_text(" ".join(text.split()) if one_line else text, encoding="utf-8")
            real_mb = path.stat().st_size / 1e6
            print(f"{real_mb:6.2f} MB", flush=True)
            times = time_steps(path, quotes)
            print(f"    {times['_chunks']} chunks", flush=True)
            total = sum(s for step, s in times.items() if not step.startswith("_"))
            print(f"    {'total':15s} {total:8.2f} s  {total / real_mb:7.2f} s/MB", flush=True)


if __name__ == "__main__":
    args = sys.argv[1:]
    sizes = [float(a) for a in args if not a.startswith("--")] or [1, 5, 10]
    main(sizes, quotes="--skip-quotes" not in args, one_line="--one-line" in args)
