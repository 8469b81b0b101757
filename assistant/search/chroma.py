"""Chroma set-up in one place: a client on a folder, telemetry off, never an embedding function
of Chroma's own (its default would download a model: we always pass our vectors in).

Embedded Chroma keeps each collection's vector index in the memory of the process that opened
it, and caches one client per folder for the life of the process, so vectors another process
added later are invisible to it (``count`` sees them, ``query`` does not). ``fresh=True``
drops the cached client so the folder is read again from disk: the store does this when
another process has written since it opened the folder.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


class CollectionMissing(LookupError):
    """The Chroma folder has no collection of that name (a foreign or damaged folder)."""


def open_collection(
    path: str | Path, name: str, metadata: dict[str, Any] | None = None, *, create: bool = True, fresh: bool = False
):  # -> chromadb Collection
    """The collection ``name`` in the persistent Chroma folder ``path`` (created if missing and
    ``create``; else ``CollectionMissing``). ``fresh``: read the folder again, not the copy
    this process already holds."""
    import chromadb
    from chromadb.api.shared_system_client import SharedSystemClient
    from chromadb.config import Settings as ChromaSettings

    if fresh:
        # Forget this process's client for the folder; one still in use elsewhere keeps working
        # on its old view until it is dropped.
        SharedSystemClient._identifier_to_system.pop(str(path), None)
        SharedSystemClient._identifier_to_refcount.pop(str(path), None)
    client = chromadb.PersistentClient(path=str(path), settings=ChromaSettings(anonymized_telemetry=False))
    if create:
        return client.get_or_create_collection(name, metadata=metadata, embedding_function=None)
    if name not in {c.name for c in client.list_collections()}:
        raise CollectionMissing(name)
    return client.get_collection(name, embedding_function=None)


def max_batch(collection) -> int:
    """The most records one Chroma call may carry (writes past it raise)."""
    return int(collection._client.get_max_batch_size())


def in_batches(call, **columns: list) -> None:
    """``call`` (a collection's upsert/update/delete) over the columns, sliced to the largest
    batch Chroma accepts."""
    ids = columns["ids"]
    step = max_batch(call.__self__)
    for i in range(0, len(ids), step):
        call(**{name: values[i : i + step] for name, values in columns.items()})
