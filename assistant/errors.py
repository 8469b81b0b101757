"""The errors the assistant raises on purpose, each with a message a user can act on."""

from __future__ import annotations


class AssistantError(Exception):
    """Base class: anything the assistant reports to a user as a clear failure."""


class LoadError(AssistantError):
    """A file could not be read as an article (binary, empty, undecodable, too large...)."""


class ConfigError(AssistantError):
    """A setting has a value the assistant cannot use."""


class FilterError(AssistantError, ValueError):
    """A search filter (a date, an outlet, a ``since:`` token) the assistant cannot use."""


class StoreError(AssistantError):
    """The on-disk store is missing, incompatible or inconsistent."""


class StoreNotFound(StoreError):
    """No store exists where one was expected to be read (a mistyped ``--store``?)."""


class ModelError(AssistantError):
    """The embedding model or its tokenizer is missing or cannot be loaded (an installation problem)."""


class DocumentNotFound(AssistantError, KeyError):
    """No indexed document has the requested id."""

    def __str__(self) -> str:  # KeyError would otherwise quote the message
        return str(self.args[0]) if self.args else "document not found"


class ChunkTooLong(AssistantError):
    """A chunk would be cut off by the embedding model: a bug in chunking, never silent."""


class LLMUnavailable(AssistantError):
    """The answer model could not be used: its endpoint is unreachable, timed out or answered an HTTP
    error, or a local model file failed to load or to generate. Generative engines catch it and
    answer extractively instead; its message says which failure it was and never holds the API key."""
