"""A news question-answering assistant: ask in plain language, get an answer whose every
claim is a cited, exactly-quoted passage from the articles, or a plain "not in the articles".

    >>> from assistant import Assistant
    >>> a = Assistant(store_dir="vectorstore")
    >>> a.ingest(["data/articles"]).summary()
    >>> a.ask("what did Çavuşoğlu say about Patriots?").text

The names below are imported on first use, so ``import assistant`` (and ``assistant --version``)
stays fast; the heavy libraries load only where they are needed.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from . import offline  # noqa: F401  (first: keeps every library below offline)

__version__ = "0.1.0"

_EXPORTS = {
    "Assistant": "api",
    "IngestProgress": "api",
    "Settings": "config",
    "AssistantError": "errors",
    "ConfigError": "errors",
    "DocumentNotFound": "errors",
    "FilterError": "errors",
    "LoadError": "errors",
    "ModelError": "errors",
    "StoreError": "errors",
    "StoreNotFound": "errors",
    "Answer": "models",
    "Citation": "models",
    "DocumentInfo": "models",
    "IngestItem": "models",
    "IngestReport": "models",
    "SearchFilter": "models",
    "AnswerEngine": "answering",
}
__all__ = [
    "Answer",
    "AnswerEngine",
    "Assistant",
    "AssistantError",
    "Citation",
    "ConfigError",
    "DocumentInfo",
    "DocumentNotFound",
    "FilterError",
    "IngestItem",
    "IngestProgress",
    "IngestReport",
    "LoadError",
    "ModelError",
    "SearchFilter",
    "Settings",
    "StoreError",
    "StoreNotFound",
]

if TYPE_CHECKING:
    from .answering import AnswerEngine
    from .api import Assistant, IngestProgress
    from .config import Settings
    from .errors import (
        AssistantError,
        ConfigError,
        DocumentNotFound,
        FilterError,
        LoadError,
        ModelError,
        StoreError,
        StoreNotFound,
    )
    from .models import Answer, Citation, DocumentInfo, IngestItem, IngestReport, SearchFilter


def __getattr__(name: str) -> Any:
    if name == "answering":
        return import_module(".answering", __name__)
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'assistant' has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value
