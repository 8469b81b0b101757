"""A real OpenAI-compatible model server on loopback (llama.cpp's, via xllamacpp) serving a bundled
GGUF model, in its own process so the tests' process stays independent of it.

    pytest_plugins = ["tests.llm_server"]  # in a test module: the fixtures ``llm_server``, ``silent_endpoint``
"""

from __future__ import annotations

import json
import selectors
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent / "gguf_server.py"


@contextmanager
def gguf_server(
    model: str = "smollm2",
    threads: int = 1,
    ctx: int = 4096,
    log_path: Path | None = None,
    startup_timeout: float = 180.0,
) -> Iterator[str]:
    """Start ``tests/gguf_server.py`` for ``model``; yield its OpenAI base URL once /health says ok;
    stop it (close its stdin, then terminate, then kill) on exit. One thread by default: on a machine
    shared with other work, llama.cpp's threads wait on each other and more of them run slower."""
    log = (log_path or Path("/dev/null")).open("w")
    proc = subprocess.Popen(
        [sys.executable, str(SCRIPT), model, "--threads", str(threads), "--ctx", str(ctx)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
    )
    try:
        url = _wait_ready(proc, startup_timeout, log_path)
        yield url + "/v1"
    finally:
        assert proc.stdin is not None
        proc.stdin.close()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        log.close()


def _wait_ready(proc: subprocess.Popen, timeout: float, log_path: Path | None) -> str:
    assert proc.stdout is not None
    deadline = time.monotonic() + timeout
    with selectors.DefaultSelector() as sel:
        sel.register(proc.stdout, selectors.EVENT_READ)
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or proc.poll() is not None:
                where = f" (its log: {log_path})" if log_path else ""
                raise RuntimeError(f"the model server did not start, exit code {proc.returncode}{where}")
            if sel.select(timeout=min(left, 1.0)):
                line = proc.stdout.readline()
                if line.startswith("ready "):
                    url = line.split()[1].rstrip("/")
                    break
    while True:  # the model is loaded when "ready" is printed; /health confirms the HTTP side answers
        try:
            with urllib.request.urlopen(url + "/health", timeout=5) as response:
                if json.load(response).get("status") == "ok":
                    return url
        except OSError:
            if time.monotonic() > deadline:
                raise
        time.sleep(0.2)


@pytest.fixture(scope="session")
def llm_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The OpenAI base URL of a real SmolLM2-135M server on loopback, shared by the whole session."""
    log_path = tmp_path_factory.mktemp("llm-server") / "server.log"
    with gguf_server("smollm2", log_path=log_path) as url:
        yield url


@pytest.fixture
def silent_endpoint() -> Iterator[str]:
    """A loopback socket that accepts connections (the kernel completes them from the backlog) and
    never answers: a hung server."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen(16)
        yield f"http://127.0.0.1:{s.getsockname()[1]}/v1"
