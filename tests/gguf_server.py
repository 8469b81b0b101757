"""A real OpenAI-compatible server for a GGUF model, on loopback, for tests and benchmarks.

    python tests/gguf_server.py smollm2 [--threads N] [--ctx N]

llama.cpp's own server (started by ``xllamacpp.Server``) binds 127.0.0.1 on a free port, loads the
model, then prints ``ready http://127.0.0.1:PORT`` on one line. It serves until its standard input
closes, so it also ends when the process that started it dies."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assistant.answering.llm import generation_threads_for, resolve_gguf


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("gguf", help="a .gguf path or a bundled model name (smollm2, gemma3)")
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--ctx", type=int, default=4096)
    args = parser.parse_args()

    import xllamacpp

    params = xllamacpp.CommonParams()
    path = resolve_gguf(args.gguf)
    params.model.path = str(path)
    params.n_ctx = args.ctx
    params.n_parallel = 1
    params.cpuparams.n_threads = generation_threads_for(path, args.threads)  # as the local engine does
    params.cpuparams_batch.n_threads = args.threads
    params.hostnames = ["127.0.0.1"]
    params.port = 0  # a free port, chosen by the OS: no race with other test runs
    params.verbosity = 1
    params.ui = False
    server = xllamacpp.Server(params)
    print("ready", server.listening_address, flush=True)
    sys.stdin.read()  # until the parent closes our stdin (or dies)


if __name__ == "__main__":
    main()
