"""Chroma set-up in one place: a client on a folder, telemetry off, never an embedding function
of Chroma's own (its default would download a model: we always pass our vectors in)."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def open_collection(path: str | Path, name: str, metadata: dict[str, Any] | None = None):  # -> chromadb Collection
    """The collection ``name`` in the persistent Chroma folder ``path``, created if missing."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    client = chromadb.PersistentClient(path=str(path), settings=ChromaSettings(anonymized_telemetry=False))
    return client.get_or_create_collection(name, metadata=metadata, embedding_function=None)
