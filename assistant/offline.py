"""Make every library we use work with no internet, before any of them is imported.

tiktoken wants to download ``cl100k_base``; llama-index-core ships the file, so we point
tiktoken's cache there. Chroma and Gradio phone home for telemetry unless told not to.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path


def _llama_index_static_dir() -> Path | None:
    spec = importlib.util.find_spec("llama_index.core")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "_static"


def configure() -> None:
    """Set the environment so no library reaches for the network. Idempotent."""
    static = _llama_index_static_dir()
    if static is not None:
        os.environ.setdefault("TIKTOKEN_CACHE_DIR", str(static / "tiktoken_cache"))
        os.environ.setdefault("NLTK_DATA", str(static / "nltk_cache"))
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    # llama-index otherwise tries to resolve a default OpenAI LLM/embedding.
    os.environ.setdefault("LLAMA_INDEX_CACHE_DIR", str(Path.home() / ".cache" / "llama_index"))


configure()
