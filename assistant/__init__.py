"""A news question-answering assistant: ask in plain language, get an answer whose every
claim is a cited, exactly-quoted passage from the articles, or a plain "not in the articles".

    >>> from assistant import Assistant
    >>> a = Assistant(store_dir="vectorstore")
    >>> a.ingest(["data/articles"]).summary()
    >>> a.ask("what did Çavuşoğlu say about Patriots?").text
"""

from . import offline  # noqa: F401  (first: keeps every library below offline)
from .api import Assistant, IngestProgress
from .config import Settings
from .errors import AssistantError, ConfigError, DocumentNotFound, LoadError, StoreError
from .models import Answer, Citation, DocumentInfo, IngestItem, IngestReport

__all__ = [
    "Answer",
    "Assistant",
    "AssistantError",
    "Citation",
    "ConfigError",
    "DocumentInfo",
    "DocumentNotFound",
    "IngestItem",
    "IngestProgress",
    "IngestReport",
    "LoadError",
    "Settings",
    "StoreError",
]

__version__ = "0.1.0"
