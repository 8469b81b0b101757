"""The on-disk store: article texts of record in SQLite, chunk vectors in Chroma.

Chroma holds one vector per chunk (written through llama-index's ``ChromaVectorStore``);
SQLite holds each article's cleaned text, metadata and chunk offsets, so a citation can always
be checked against the exact text it quotes. Writes are ordered so a crash loses nothing
already stored: vectors are written before the SQLite commit that makes them visible, old
vectors are deleted only after it, and ``reconcile`` removes vectors no article owns.

SQLite's schema is upgraded by numbered migrations (``migrations.py``). Chroma is opened on
first use, so commands that only read articles (``docs``) never load it.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..errors import AssistantError, DocumentNotFound, StoreError
from ..models import Article, Chunk, ChunkRow, DocumentInfo, QuoteRow, SearchFilter
from .chroma import open_collection
from .embedding import DIMENSIONS, MODEL_ID, REEMBEDDABLE_MODELS
from .migrations import QUOTE_INSERT, extract_all_quotes, migrate, quote_columns

log = logging.getLogger(__name__)

COLLECTION = "chunks"
DATABASE = "documents.sqlite3"

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
        path = self.directory / DATABASE
        try:
            self._db = sqlite3.connect(path, check_same_thread=False)
            self._db.execute("PRAGMA foreign_keys = ON")
            self._db.execute("PRAGMA journal_mode = WAL")
            migrate(self._db, path)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"cannot open {path}: {exc}") from exc
        self._check_model()
        self._check_quotes()
        self._chroma: Any = None  # the Chroma collection, opened on first use
        self._chroma_lock = threading.Lock()  # apart from ``_lock``: opening Chroma never holds up SQLite
        self._llama_store: Any = None  # llama-index's ChromaVectorStore over it, for writes

    def _check_model(self) -> None:
        with self._lock, self._db:
            stored = self._meta("embedding_model")
            if stored is None:
                self._db.execute("INSERT INTO meta VALUES ('embedding_model', ?)", (MODEL_ID,))
            elif stored in REEMBEDDABLE_MODELS:
                self.stale_model = stored
            elif stored != MODEL_ID:
                raise StoreError(
                    f"store {self.directory} was built with embedding_model={stored!r}, this version uses "
                    f"{MODEL_ID!r}: ingest into a new --store directory (or delete this one and re-ingest)"
                )

    def _check_quotes(self) -> None:
        """A quote index an older extractor built is extracted again from the stored articles:
        it is derived data, and the newer rules find more statements and better speakers."""
        from ..text.quote_version import EXTRACTOR_VERSION

        with self._lock:
            if self._meta("quote_extractor") == str(EXTRACTOR_VERSION):
                return
            started = time.perf_counter()
            with self._db:
                self._db.execute("BEGIN IMMEDIATE")
                if self._meta("quote_extractor") == str(EXTRACTOR_VERSION):
                    return  # another process did it while we waited for the lock
                count = extract_all_quotes(self._db)
            log.warning(
                "store %s: quote index extracted again with extractor version %s (%d statements, %.1fs)",
                self.directory,
                EXTRACTOR_VERSION,
                count,
                time.perf_counter() - started,
            )

    def _meta(self, key: str) -> str | None:
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    @property
    def generation(self) -> int:
        """A counter every write bumps, kept in the file: derived indexes compare it to know
        they are stale, whichever process made the change."""
        with self._lock:
            return int(self._meta("generation") or 0)

    def _bump_generation(self) -> None:
        """Inside a write transaction."""
        self._db.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'generation'")

    @property
    def collection(self):  # -> chromadb Collection
        with self._chroma_lock:
            if self._chroma is None:
                # cosine space; no embedding function: vectors are always passed in
                self._chroma = open_collection(self.directory / "chroma", COLLECTION, {"hnsw:space": "cosine"})
            return self._chroma

    def open_vectors_in_background(self) -> None:
        """Start opening Chroma (importing it takes most of a second) on another thread, while
        the caller loads the keyword index and the model. A failure there is left for the
        caller's own first use of ``collection`` to raise."""
        if self._chroma is None:
            threading.Thread(target=self._open_quietly, name="open-chroma", daemon=True).start()

    def _open_quietly(self) -> None:
        try:
            self.collection  # noqa: B018 (opening is the point)
        except Exception as exc:  # raised again, in full, where the collection is first used
            log.debug("opening Chroma in the background failed: %s", exc)

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

    def document_sentences(self, doc_id: str) -> list[tuple[int, int]] | None:
        """The sentence spans stored with an article (None if it was stored without them)."""
        with self._lock:
            row = self._db.execute("SELECT sentences FROM documents WHERE doc_id = ?", (doc_id,)).fetchone()
        if row is None:
            raise DocumentNotFound(f"no indexed document has id {doc_id!r}")
        return [tuple(span) for span in json.loads(row[0])] if row[0] else None

    def find_by_hash(self, content_hash: str) -> str | None:
        with self._lock:
            row = self._db.execute("SELECT doc_id FROM documents WHERE content_hash = ?", (content_hash,)).fetchone()
        return row[0] if row else None

    def find_by_source(self, source: str) -> list[str]:
        with self._lock:
            return [r[0] for r in self._db.execute("SELECT doc_id FROM documents WHERE source = ?", (source,))]

    def quote_rows(self) -> list[QuoteRow]:
        """Every stored statement, in article and reading order."""
        from ..text.quotes import Quote

        with self._lock:
            rows = self._db.execute(
                "SELECT doc_id, seq, kind, speaker, speaker_type, mention, cue, role, spans, attribution_start, "
                "attribution_end FROM quotes ORDER BY doc_id, seq"
            ).fetchall()
        return [
            QuoteRow(
                doc_id,
                seq,
                Quote(
                    tuple(tuple(span) for span in json.loads(spans)),
                    kind,
                    speaker,
                    speaker_type,
                    mention,
                    cue,
                    (a_start, a_end) if a_start is not None else None,
                    role,
                ),
            )
            for doc_id, seq, kind, speaker, speaker_type, mention, cue, role, spans, a_start, a_end in rows
        ]

    def chunk_rows(self) -> list[ChunkRow]:
        """Every chunk, in a stable order (by chunk id)."""
        with self._lock:
            rows = self._db.execute(
                "SELECT c.chunk_id, c.doc_id, c.seq, c.start, c.end, d.outlet "
                "FROM chunks c JOIN documents d USING (doc_id) ORDER BY c.chunk_id"
            ).fetchall()
        return [ChunkRow(*row) for row in rows]

    def chunk_texts(self, rows: Sequence[ChunkRow] | None = None) -> Iterator[tuple[ChunkRow, str]]:
        """Each chunk of ``rows`` (default: ``chunk_rows()``) with its text, in that order."""
        with self._lock:
            texts = dict(self._db.execute("SELECT doc_id, text FROM documents"))
        for row in self.chunk_rows() if rows is None else rows:
            yield row, texts[row.doc_id][row.start : row.end]

    def dense_search(
        self, embedding: Sequence[float], k: int, filters: SearchFilter | None = None
    ) -> list[tuple[str, float]]:
        """(chunk_id, cosine similarity) of the ``k`` nearest chunks that pass ``filters``."""
        n = self.collection.count()
        if n == 0:
            return []
        result = self.collection.query(
            query_embeddings=[list(embedding)],
            n_results=min(k, n),
            where=chroma_where(filters),
            include=["distances"],
        )
        # Chroma's cosine distance is 1 - cos
        return [(cid, 1.0 - float(d)) for cid, d in zip(result["ids"][0], result["distances"][0], strict=True)]

    def embeddings(self, chunk_ids: list[str]) -> dict[str, list[float]]:
        """Stored vectors of the given chunks (to score candidates the dense search did not return)."""
        if not chunk_ids:
            return {}
        got = self.collection.get(ids=chunk_ids, include=["embeddings"])
        return dict(zip(got["ids"], got["embeddings"], strict=True))

    def vector_count(self) -> int:
        return self.collection.count()

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
            self.write_vectors(additions)
            try:
                with self._db:
                    for a in additions:
                        for old in a.replaces:
                            self._db.execute("DELETE FROM documents WHERE doc_id = ?", (old,))
                        self._insert_document(a.article, now)
                        self._db.executemany(QUOTE_INSERT, quote_columns(a.article.doc_id, a.article.quotes))
                        self._db.executemany(
                            "INSERT INTO chunks (chunk_id, doc_id, seq, start, end, tokens, wordpieces) "
                            "VALUES (:chunk_id, :doc_id, :seq, :start, :end, :tokens, :wordpieces)",
                            [_chunk_columns(c) for c in a.chunks],
                        )
                    self._bump_generation()
            except sqlite3.Error:
                for a in additions:  # undo the vectors nobody will own
                    self._delete_vectors(a.article.doc_id)
                raise
            for a in additions:
                for old in a.replaces:
                    self._delete_vectors(old)

    def write_vectors(self, additions: Sequence[Addition]) -> None:
        """The first half of ``add_many``: the vectors alone, not yet owned by any article
        (``reconcile`` removes them if the SQLite commit never follows)."""
        from .llama import chunk_nodes

        nodes = [n for a in additions for n in chunk_nodes(a.article, a.chunks, a.embeddings)]
        if nodes:
            self._vector_writer().add(nodes)

    def _insert_document(self, art: Article, added_at: str) -> None:
        self._db.execute(
            "INSERT INTO documents (doc_id, source, title, outlet, url, published, dates, content_hash, text, "
            "added_at, sentences) VALUES (:doc_id, :source, :title, :outlet, :url, :published, :dates, "
            ":content_hash, :text, :added_at, :sentences)",
            {
                "doc_id": art.doc_id,
                "source": art.source,
                "title": art.title,
                "outlet": art.outlet,
                "url": art.url,
                "published": art.published,
                "dates": json.dumps(art.dates),
                "content_hash": art.content_hash,
                "text": art.text,
                "added_at": added_at,
                "sentences": json.dumps(art.sentences, separators=(",", ":")) if art.sentences else None,
            },
        )

    def replace_vectors(self, chunk_ids: list[str], embeddings: list[list[float]]) -> None:
        """Overwrite the vectors of stored chunks (texts and offsets stay as they are)."""
        with self._lock:
            self.collection.update(ids=chunk_ids, embeddings=embeddings)
            with self._db:
                self._bump_generation()

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
                self._bump_generation()
            self._delete_vectors(doc_id)
        return info

    def reconcile(self) -> int:
        """Delete vectors whose article is not in SQLite (left by a crash); returns how many."""
        with self._lock:
            known = {r[0] for r in self._db.execute("SELECT chunk_id FROM chunks")}
            ids = self.collection.get(include=[])["ids"]
            orphans = [i for i in ids if i not in known]
            if orphans:
                log.warning("removing %d vectors left without an article (interrupted ingest?)", len(orphans))
                self.collection.delete(ids=orphans)
                with self._db:
                    self._bump_generation()
            missing = len(known) - (len(ids) - len(orphans))
            if missing:
                raise StoreError(
                    f"{missing} chunks have no vector in {self.directory / 'chroma'}: the vector store was "
                    "changed outside the assistant; re-ingest into a new --store directory"
                )
            return len(orphans)

    def _vector_writer(self):  # -> llama-index ChromaVectorStore
        if self._llama_store is None:
            from llama_index.vector_stores.chroma import ChromaVectorStore

            self._llama_store = ChromaVectorStore(chroma_collection=self.collection)
        return self._llama_store

    def _delete_vectors(self, doc_id: str) -> None:
        self.collection.delete(where={"doc_id": doc_id})

    def close(self) -> None:
        with self._lock:
            self._db.close()


def chroma_where(filters: SearchFilter | None) -> dict[str, Any] | None:
    """A ``SearchFilter`` as Chroma's ``where=`` over the chunk metadata (None: no filter)."""
    if filters is None or filters.empty:
        return None
    if filters.since is not None or filters.until is not None:
        raise AssistantError("filtering by publication date is not supported yet: this store records no dates")
    conditions: list[dict[str, Any]] = []
    if filters.doc_ids is not None:
        conditions.append({"doc_id": {"$in": sorted(filters.doc_ids)}})
    if filters.outlets is not None:
        conditions.append({"outlet": {"$in": sorted(filters.outlets)}})
    return conditions[0] if len(conditions) == 1 else {"$and": conditions}


def _chunk_columns(c: Chunk) -> dict[str, Any]:
    return {
        "chunk_id": c.chunk_id,
        "doc_id": c.doc_id,
        "seq": c.seq,
        "start": c.start,
        "end": c.end,
        "tokens": c.tokens,
        "wordpieces": c.wordpieces,
    }


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
