"""The on-disk store: article texts of record in SQLite, chunk vectors in Chroma.

Chroma (through llama-index's ``ChromaVectorStore``) holds one vector per chunk; SQLite
holds each article's cleaned text, metadata and chunk offsets, so a citation can always be
checked against the exact text it quotes. Writes are ordered so a crash loses nothing
already stored: vectors are written before the SQLite commit that makes them visible, old
vectors are deleted only after it, and ``reconcile`` removes vectors no article owns.
"""

from __future__ import annotations

import json
import logging
import math
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from .embedding import DIMENSIONS, MODEL_ID, REEMBEDDABLE_MODELS
from .errors import DocumentNotFound, StoreError
from .models import Article, Chunk, DocumentInfo

log = logging.getLogger(__name__)

SCHEMA_VERSION = "1"
COLLECTION = "chunks"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    doc_id TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    title TEXT NOT NULL,
    outlet TEXT,
    url TEXT,
    published TEXT,
    dates TEXT NOT NULL,
    content_hash TEXT NOT NULL UNIQUE,
    text TEXT NOT NULL,
    added_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS documents_source ON documents(source);
CREATE TABLE IF NOT EXISTS chunks (
    chunk_id TEXT PRIMARY KEY,
    doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    tokens INTEGER NOT NULL,
    wordpieces INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS chunks_doc ON chunks(doc_id);
"""

_DOC_COLUMNS = "doc_id, title, source, outlet, url, published, dates, length(text), content_hash, added_at"


@dataclass(frozen=True)
class Addition:
    """An article to store, with its chunks, their vectors, and the ids it replaces."""

    article: Article
    chunks: list[Chunk]
    embeddings: list[list[float]]
    replaces: tuple[str, ...] = ()


class Store:
    """One store directory: ``documents.sqlite3`` plus Chroma's files under ``chroma/``."""

    def __init__(self, directory: str | Path) -> None:
        self.directory = Path(directory)
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create store directory {self.directory}: {exc}") from exc
        self._lock = threading.RLock()
        # Set when the vectors came from the same model computed another way: the owner must
        # re-embed (``replace_vectors`` then ``mark_model_current``) before searching.
        self.stale_model: str | None = None
        self._db = sqlite3.connect(self.directory / "documents.sqlite3", check_same_thread=False)
        self._db.execute("PRAGMA foreign_keys = ON")
        self._db.execute("PRAGMA journal_mode = WAL")
        self._db.executescript(_SCHEMA)
        self._check_meta()
        self._vectors = _open_chroma(self.directory / "chroma")
        self.generation = 0  # bumped on every change, so derived indexes know to rebuild

    # --- schema ---------------------------------------------------------------------------
    def _check_meta(self) -> None:
        expected = {"schema_version": SCHEMA_VERSION, "embedding_model": MODEL_ID}
        with self._lock, self._db:
            stored = dict(self._db.execute("SELECT key, value FROM meta"))
            for key, value in expected.items():
                if key not in stored:
                    self._db.execute("INSERT INTO meta VALUES (?, ?)", (key, value))
                elif key == "embedding_model" and stored[key] in REEMBEDDABLE_MODELS:
                    self.stale_model = stored[key]
                elif stored[key] != value:
                    raise StoreError(
                        f"store {self.directory} was built with {key}={stored[key]!r}, this version uses "
                        f"{value!r}: ingest into a new --store directory (or delete this one and re-ingest)"
                    )

    # --- reads ----------------------------------------------------------------------------
    def count(self) -> int:
        with self._lock:
            return self._db.execute("SELECT count(*) FROM documents").fetchone()[0]

    def documents(self) -> list[DocumentInfo]:
        with self._lock:
            rows = self._db.execute(
                f"SELECT {_DOC_COLUMNS}, (SELECT count(*) FROM chunks c WHERE c.doc_id = d.doc_id) "
                "FROM documents d ORDER BY added_at, source"
            ).fetchall()
        return [_info(row) for row in rows]

    def document(self, doc_id: str) -> DocumentInfo:
        with self._lock:
            row = self._db.execute(
                f"SELECT {_DOC_COLUMNS}, (SELECT count(*) FROM chunks c WHERE c.doc_id = d.doc_id) "
                "FROM documents d WHERE doc_id = ?",
                (doc_id,),
            ).fetchone()
        if row is None:
            raise DocumentNotFound(f"no indexed document has id {doc_id!r}")
        return _info(row)

    def document_text(self, doc_id: str) -> str:
        with self._lock:
            row = self._db.execute("SELECT text FROM documents WHERE doc_id = ?", (doc_id,)).fetchone()
        if row is None:
            raise DocumentNotFound(f"no indexed document has id {doc_id!r}")
        return row[0]

    def find_by_hash(self, content_hash: str) -> str | None:
        with self._lock:
            row = self._db.execute("SELECT doc_id FROM documents WHERE content_hash = ?", (content_hash,)).fetchone()
        return row[0] if row else None

    def find_by_source(self, source: str) -> list[str]:
        with self._lock:
            return [r[0] for r in self._db.execute("SELECT doc_id FROM documents WHERE source = ?", (source,))]

    def iter_chunks(self) -> Iterator[tuple[str, str, int, int, str]]:
        """(chunk_id, doc_id, start, end, chunk text) for every chunk, in a stable order."""
        with self._lock:
            texts = dict(self._db.execute("SELECT doc_id, text FROM documents"))
            rows = self._db.execute("SELECT chunk_id, doc_id, start, end FROM chunks ORDER BY chunk_id").fetchall()
        for chunk_id, doc_id, start, end in rows:
            yield chunk_id, doc_id, start, end, texts[doc_id][start:end]

    def dense_search(self, embedding: list[float], k: int) -> list[tuple[str, float]]:
        """(chunk_id, cosine similarity) of the ``k`` nearest chunks."""
        from llama_index.core.vector_stores.types import VectorStoreQuery

        n = self._vectors.client.count()
        if n == 0:
            return []
        result = self._vectors.query(VectorStoreQuery(query_embedding=embedding, similarity_top_k=min(k, n)))
        # Chroma's cosine distance is 1 - cos; the llama-index wrapper reports exp(-distance)
        return [
            (cid, 1.0 + math.log(max(sim, 1e-12)))
            for cid, sim in zip(result.ids or [], result.similarities or [], strict=True)
        ]

    def embeddings(self, chunk_ids: list[str]) -> dict[str, list[float]]:
        """Stored vectors of the given chunks (to score candidates the dense search did not return)."""
        if not chunk_ids:
            return {}
        got = self._vectors.client.get(ids=chunk_ids, include=["embeddings"])
        return dict(zip(got["ids"], got["embeddings"], strict=True))

    # --- writes ---------------------------------------------------------------------------
    def add_many(self, additions: Sequence[Addition]) -> None:
        """Store several articles in one vector write and one transaction (Chroma's per-call
        cost is a quarter of ingest time otherwise). All or nothing."""
        for a in additions:
            if len(a.chunks) != len(a.embeddings):
                raise StoreError("internal error: one embedding per chunk is required")
            if any(len(e) != DIMENSIONS for e in a.embeddings):
                raise StoreError(f"internal error: embeddings must have {DIMENSIONS} dimensions")
        if not additions:
            return
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with self._lock:
            nodes = [n for a in additions for n in _nodes(a.article, a.chunks, a.embeddings)]
            if nodes:
                self._vectors.add(nodes)
            try:
                with self._db:
                    for a in additions:
                        for old in a.replaces:
                            self._db.execute("DELETE FROM documents WHERE doc_id = ?", (old,))
                        art = a.article
                        self._db.execute(
                            "INSERT INTO documents VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                            (
                                art.doc_id,
                                art.source,
                                art.title,
                                art.outlet,
                                art.url,
                                art.published,
                                json.dumps(art.dates),
                                art.content_hash,
                                art.text,
                                now,
                            ),
                        )
                        self._db.executemany(
                            "INSERT INTO chunks VALUES (?, ?, ?, ?, ?, ?, ?)",
                            [(c.chunk_id, c.doc_id, c.seq, c.start, c.end, c.tokens, c.wordpieces) for c in a.chunks],
                        )
            except sqlite3.Error:
                for a in additions:  # undo the vectors nobody will own
                    self._delete_vectors(a.article.doc_id)
                raise
            for a in additions:
                for old in a.replaces:
                    self._delete_vectors(old)
            self.generation += 1

    def replace_vectors(self, chunk_ids: list[str], embeddings: list[list[float]]) -> None:
        """Overwrite the vectors of stored chunks (texts and offsets stay as they are)."""
        with self._lock:
            self._vectors.client.update(ids=chunk_ids, embeddings=embeddings)
            self.generation += 1

    def mark_model_current(self) -> None:
        """Record that every vector now comes from this version's model (after re-embedding)."""
        with self._lock, self._db:
            self._db.execute("UPDATE meta SET value = ? WHERE key = 'embedding_model'", (MODEL_ID,))
        self.stale_model = None

    def remove(self, doc_id: str) -> DocumentInfo:
        """Remove an article and its vectors; returns what was removed."""
        with self._lock:
            info = self.document(doc_id)
            with self._db:
                self._db.execute("DELETE FROM documents WHERE doc_id = ?", (doc_id,))
            self._delete_vectors(doc_id)
            self.generation += 1
        return info

    def reconcile(self) -> int:
        """Delete vectors whose article is not in SQLite (left by a crash); returns how many."""
        with self._lock:
            known = {r[0] for r in self._db.execute("SELECT chunk_id FROM chunks")}
            ids = self._vectors.client.get(include=[])["ids"]
            orphans = [i for i in ids if i not in known]
            if orphans:
                log.warning("removing %d vectors left without an article (interrupted ingest?)", len(orphans))
                self._vectors.delete_nodes(node_ids=orphans)
                self.generation += 1
            missing = len(known) - (len(ids) - len(orphans))
            if missing:
                raise StoreError(
                    f"{missing} chunks have no vector in {self.directory / 'chroma'}: the vector store was "
                    "changed outside the assistant; re-ingest into a new --store directory"
                )
            return len(orphans)

    def vector_count(self) -> int:
        return self._vectors.client.count()

    def _delete_vectors(self, doc_id: str) -> None:
        self._vectors.delete(doc_id)

    def close(self) -> None:
        with self._lock:
            self._db.close()


def _open_chroma(path: Path):  # -> ChromaVectorStore
    import chromadb
    from chromadb.config import Settings as ChromaSettings
    from llama_index.vector_stores.chroma import ChromaVectorStore

    client = chromadb.PersistentClient(path=str(path), settings=ChromaSettings(anonymized_telemetry=False))
    # No embedding function: Chroma's default would download a model. We pass vectors in.
    collection = client.get_or_create_collection(COLLECTION, metadata={"hnsw:space": "cosine"}, embedding_function=None)
    return ChromaVectorStore(chroma_collection=collection)


def _nodes(article: Article, chunks: list[Chunk], embeddings: list[list[float]]):
    from llama_index.core.schema import NodeRelationship, RelatedNodeInfo, TextNode

    metadata_keys = ["doc_id", "seq", "title", "source", "outlet"]
    nodes = []
    for chunk, embedding in zip(chunks, embeddings, strict=True):
        nodes.append(
            TextNode(
                id_=chunk.chunk_id,
                text=chunk.text,
                embedding=embedding,
                start_char_idx=chunk.start,
                end_char_idx=chunk.end,
                metadata={
                    "doc_id": article.doc_id,
                    "seq": chunk.seq,
                    "title": article.title,
                    "source": article.source,
                    "outlet": article.outlet or "",
                },
                # The vectors embed the chunk text alone: metadata (paths, titles) is kept out.
                excluded_embed_metadata_keys=metadata_keys,
                excluded_llm_metadata_keys=["doc_id", "seq", "source"],
                relationships={NodeRelationship.SOURCE: RelatedNodeInfo(node_id=article.doc_id)},
            )
        )
    return nodes


def _info(row: tuple) -> DocumentInfo:
    doc_id, title, source, outlet, url, published, dates, chars, content_hash, added_at, chunks = row
    return DocumentInfo(
        doc_id=doc_id,
        title=title,
        source=source,
        outlet=outlet,
        url=url,
        published=published,
        dates=json.loads(dates),
        chars=chars,
        chunks=chunks,
        content_hash=content_hash,
        added_at=added_at,
    )
