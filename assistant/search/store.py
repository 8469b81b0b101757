"""The on-disk store: article texts of record in SQLite, chunk vectors in Chroma.

Chroma holds one vector per chunk (written through llama-index's ``ChromaVectorStore``);
SQLite holds each article's cleaned text, metadata and chunk offsets, so a citation can always
be checked against the exact text it quotes.

Several processes may share one store (a web page, a bot, a nightly ingest):
- writers take turns on a file lock (``write.lock``), so a write is never interleaved with
  another process's;
- writes are ordered so a crash loses nothing already stored: the ids of vectors about to be
  written (or deleted) are recorded in ``pending_vectors`` first, vectors are written before the
  SQLite commit that makes them visible, old vectors are deleted only after it. ``reconcile``
  (under the lock, so no write is in flight) settles exactly those recorded ids; a vector
  nobody recorded is damage to report, never deleted on a guess;
- the generation counter lives in SQLite: a process that sees it move reopens its Chroma view
  (embedded Chroma holds vectors in each process's memory).

A store that is missing, emptied, truncated or foreign is refused with an error that names
the file and the way out (``assistant doctor``); nothing is deleted to "repair" it.

SQLite's schema is upgraded by numbered migrations (``migrations.py``). Chroma is opened on
first use, so commands that only read articles (``docs``) never load it.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
import time
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout

from ..config import StoreSettings
from ..errors import DocumentNotFound, StoreError, StoreNotFound
from ..models import Article, Chunk, ChunkRow, DocumentInfo, QuoteRow, SearchFilter
from .chroma import CollectionMissing, in_batches, max_batch, open_collection
from .embedding import DIMENSIONS, MODEL_ID, REEMBEDDABLE_MODELS
from .migrations import QUOTE_INSERT, extract_all_quotes, migrate, migrations_needed, quote_columns

log = logging.getLogger(__name__)

COLLECTION = "chunks"
DATABASE = "documents.sqlite3"
VECTORS = "chroma"
WRITE_LOCK = "write.lock"

_DOC_COLUMNS = (
    "doc_id, title, source, outlet, url, published, dates, length(text), content_hash, added_at, published_source, "
    "outlet_source"
)


@dataclass(frozen=True)
class VectorProblems:
    """How the vectors in Chroma compare with the chunks in SQLite."""

    vectors: int
    missing: int  # chunks without a vector
    strays: list[str]  # vectors without a chunk


@dataclass(frozen=True)
class Addition:
    """An article to store, with its chunks, their vectors, and the ids it replaces."""

    article: Article
    chunks: list[Chunk]
    embeddings: list[list[float]]
    replaces: tuple[str, ...] = ()


class Store:
    """One store directory: ``documents.sqlite3`` plus Chroma's files under ``chroma/``.

    ``create=False`` (every command that only reads) refuses a directory that holds no store,
    so a mistyped ``--store`` is an error, not a new empty store. ``vectors_required=False``
    opens a store whose Chroma folder is gone or foreign (``assistant doctor`` rebuilds it).
    """

    # group syndicated copies at ingest (``ingest.dedup``); off only to measure what it costs
    group_duplicates = True

    def __init__(self, directory: str | Path, *, create: bool = True, vectors_required: bool = True) -> None:
        self.directory = Path(directory)
        self.path = self.directory / DATABASE
        self._check_files(create)
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create store directory {self.directory}: {exc}") from exc
        self._lock = threading.RLock()
        self._file_lock = FileLock(self.directory / WRITE_LOCK)
        # Set when the vectors came from the same model computed another way: the owner must
        # re-embed (``replace_vectors`` then ``mark_model_current``) before searching.
        self.stale_model: str | None = None
        self._chroma: Any = None  # the Chroma collection, opened on first use
        self._chroma_lock = threading.Lock()  # apart from ``_lock``: opening Chroma never holds up SQLite
        self._llama_store: Any = None  # llama-index's ChromaVectorStore over it, for writes
        self._seen_generation = -1  # the generation this process's Chroma view includes
        self._vectors_required = vectors_required
        self._dups: Any = None  # ingest.dedup.DuplicateIndex, built on the first ingest
        self._dups_generation = -1  # the store generation the LSH above is in step with
        try:
            self._db = sqlite3.connect(self.path, check_same_thread=False, timeout=60)
            self._db.execute("PRAGMA foreign_keys = ON")
            self._db.execute("PRAGMA journal_mode = WAL")
            if vectors_required:
                self._check_vectors_present()  # before any upgrade writes to a damaged store
            if migrations_needed(self._db, self.path):
                with self.writing():
                    migrate(self._db, self.path)
        except sqlite3.DatabaseError as exc:
            raise self._damaged(exc) from exc
        self._check_model()
        self._check_quotes()
        if vectors_required:
            self._check_chunk_dates()

    # --- opening, and refusing what is not a sound store --------------------------------------
    def _check_files(self, create: bool) -> None:
        """Refuse a missing store (unless creating one) and a store whose text file is gone or
        empty while its vectors remain: opening it as new would hide every article and let the
        next ingest's clean-up see all the vectors as strays."""
        vectors = self.directory / VECTORS
        has_vectors = vectors.is_dir() and any(vectors.iterdir())
        if self.path.is_file() and self.path.stat().st_size > 0:
            return
        if has_vectors:
            state = "is empty (0 bytes)" if self.path.is_file() else "is missing"
            raise StoreError(
                f"{self.path} {state}, but {vectors} holds vectors: the article texts of this store are gone. "
                f"Restore {DATABASE} from a backup, or ingest the articles again into a new --store directory. "
                "Nothing was changed."
            )
        if not create:
            what = "does not exist" if not self.directory.exists() else f"holds no {DATABASE}"
            raise StoreNotFound(
                f"no store at {self.directory}: the directory {what}. Check --store (or ASSISTANT_STORE_DIR); "
                f"`assistant ingest --store {self.directory} FILES` creates a store."
            )

    def _damaged(self, exc: sqlite3.DatabaseError) -> StoreError:
        return StoreError(
            f"cannot read {self.path}: {exc}. The file is damaged or is not a news-assistant store: restore it "
            "from a backup, or ingest the articles again into a new --store directory. Nothing was changed "
            f"(`assistant doctor --store {self.directory}` reports what it can read)."
        )

    @contextmanager
    def _reading(self) -> Iterator[None]:
        """Hold the thread lock for a read; a damaged file becomes a ``StoreError`` naming it."""
        with self._lock:
            try:
                yield
            except sqlite3.DatabaseError as exc:
                if type(exc) is sqlite3.DatabaseError:  # malformed / not a database, not "locked"
                    raise self._damaged(exc) from exc
                raise

    def _check_vectors_present(self) -> None:
        """Chunks whose vector folder is gone would quietly never be found: say so at open."""
        with self._reading():
            tables = {r[0] for r in self._db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            chunks = self._db.execute("SELECT count(*) FROM chunks").fetchone()[0] if "chunks" in tables else 0
        if chunks and not (self.directory / VECTORS / "chroma.sqlite3").is_file():
            raise StoreError(
                f"{self.directory / VECTORS} is missing or empty, but {self.path} has {chunks} chunks: "
                f"rebuild the vectors from the stored texts with `assistant doctor --rebuild-vectors --store "
                f"{self.directory}`, or restore {VECTORS}/ from a backup. Nothing was changed."
            )

    def _check_model(self) -> None:
        with self._reading():
            stored = self._meta("embedding_model")
        if stored is None:
            with self.writing(), self._db:
                if self._meta("embedding_model") is None:
                    self._db.execute("INSERT INTO meta VALUES ('embedding_model', ?)", (MODEL_ID,))
        else:
            self.stale_model = stale_model(
                stored,
                f"store {self.directory}",
                "ingest into a new --store directory (or delete this one and re-ingest)",
            )

    def _check_quotes(self) -> None:
        """A quote index an older extractor built is extracted again from the stored articles:
        it is derived data, and the newer rules find more statements and better speakers."""
        from ..text.quote_version import EXTRACTOR_VERSION

        with self._reading():
            if self._meta("quote_extractor") == str(EXTRACTOR_VERSION):
                return
        started = time.perf_counter()
        with self.writing():
            if self._meta("quote_extractor") == str(EXTRACTOR_VERSION):
                return  # another process did it while we waited for the lock
            with self._db:
                count = extract_all_quotes(self._db)
                self._bump_generation()
        log.warning(
            "store %s: quote index extracted again with extractor version %s (%d statements, %.1fs)",
            self.directory,
            EXTRACTOR_VERSION,
            count,
            time.perf_counter() - started,
        )

    def _check_chunk_dates(self) -> None:
        """Chunks stored before publication dates were recorded (``m006``) get their article's
        date and outlet in their Chroma metadata, once, so date and outlet filters see them."""
        with self._reading():
            if self._meta("chunk_dates") != "0":
                return
        with self.writing():
            if self._meta("chunk_dates") != "0":
                return  # another process did it while we waited for the lock
            rows = self._db.execute(
                "SELECT c.chunk_id, d.published_day, d.outlet FROM chunks c JOIN documents d USING (doc_id) "
                "ORDER BY c.chunk_id"
            ).fetchall()
            if rows:
                in_batches(
                    self.collection.update,
                    ids=[r[0] for r in rows],
                    metadatas=[{"published_day": int(r[1] or 0), "outlet": r[2] or ""} for r in rows],
                )
            with self._db:
                self._db.execute("UPDATE meta SET value = '1' WHERE key = 'chunk_dates'")
                self._bump_generation()
        log.warning("store %s: publication dates added to %d chunks' metadata", self.directory, len(rows))

    def _meta(self, key: str) -> str | None:
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    @property
    def generation(self) -> int:
        """A counter every write bumps, kept in the file: derived indexes compare it to know
        they are stale, whichever process made the change."""
        with self._reading():
            return int(self._meta("generation") or 0)

    def _bump_generation(self) -> None:
        """Inside a write transaction."""
        self._db.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'generation'")

    # --- taking turns with other writers ----------------------------------------------------
    @contextmanager
    def writing(self) -> Iterator[None]:
        """Hold the store's write lock (across threads and processes) for one write. Re-entrant.
        A writer first catches up with what other processes wrote, so its Chroma view is whole."""
        with self._lock:
            try:
                self._file_lock.acquire(timeout=2)
            except Timeout:
                log.info("store %s: waiting for another process's write to finish", self.directory)
                self._file_lock.acquire()
            try:
                if self._file_lock.lock_counter == 1 and self._chroma is not None:
                    self._catch_up()
                yield
                if self._file_lock.lock_counter == 1:
                    self._seen_generation = int(self._meta("generation") or 0)
            finally:
                self._file_lock.release()

    def _catch_up(self) -> None:
        """Reopen Chroma if another process wrote since this one last looked (under ``_lock``)."""
        state = self._vector_state()
        if state[0] != self._seen_generation:
            with self._chroma_lock:
                self._open_collection(*state)

    @property
    def collection(self):  # -> chromadb Collection
        if self._chroma is None:
            state = self._vector_state()  # read before taking ``_chroma_lock``: locks are taken in one order
            with self._chroma_lock:
                if self._chroma is None:
                    self._open_collection(*state)
        return self._chroma

    def current_collection(self):  # -> chromadb Collection
        """The collection, read again from disk if another process has written since (for
        searches: a question sees articles another process added within one search)."""
        collection = self.collection
        if self.generation != self._seen_generation:
            with self._lock:
                state = self._vector_state()
                if state[0] != self._seen_generation:
                    with self._chroma_lock:
                        self._open_collection(*state)
            collection = self._chroma
        return collection

    def _vector_state(self) -> tuple[int, bool]:
        """(generation, whether the store has chunks): what opening Chroma needs to know."""
        with self._reading():
            generation = int(self._meta("generation") or 0)
            has_chunks = self._db.execute("SELECT 1 FROM chunks LIMIT 1").fetchone() is not None
        return generation, has_chunks

    def _open_collection(self, generation: int, has_chunks: bool) -> None:
        """Under ``_chroma_lock``: read the folder from disk (never a view this process opened
        earlier, which may predate other processes' writes). A store that has chunks must find
        its collection: creating an empty one would make every question quietly find nothing."""
        path = self.directory / VECTORS
        try:
            # cosine space; no embedding function: vectors are always passed in
            self._chroma = open_collection(
                path,
                COLLECTION,
                {"hnsw:space": "cosine"},
                create=not (has_chunks and self._vectors_required),
                fresh=True,
            )
        except CollectionMissing:
            raise StoreError(
                f"{path} holds no '{COLLECTION}' collection (a foreign or damaged Chroma folder), but {self.path} "
                f"has chunks: rebuild the vectors with `assistant doctor --rebuild-vectors --store {self.directory}`,"
                " or restore it from a backup. Nothing was changed."
            ) from None
        self._llama_store = None
        self._seen_generation = generation

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
        with self._reading():
            return self._db.execute("SELECT count(*) FROM documents").fetchone()[0]

    def documents(self) -> list[DocumentInfo]:
        with self._reading():
            rows = self._db.execute(
                f"SELECT {_DOC_COLUMNS}, (SELECT count(*) FROM chunks c WHERE c.doc_id = d.doc_id) "
                "FROM documents d ORDER BY added_at, source"
            ).fetchall()
        return [_info(row) for row in rows]

    def document(self, doc_id: str) -> DocumentInfo:
        with self._reading():
            row = self._db.execute(
                f"SELECT {_DOC_COLUMNS}, (SELECT count(*) FROM chunks c WHERE c.doc_id = d.doc_id) "
                "FROM documents d WHERE doc_id = ?",
                (doc_id,),
            ).fetchone()
        if row is None:
            raise DocumentNotFound(f"no indexed document has id {doc_id!r}")
        return _info(row)

    def document_text(self, doc_id: str) -> str:
        with self._reading():
            row = self._db.execute("SELECT text FROM documents WHERE doc_id = ?", (doc_id,)).fetchone()
        if row is None:
            raise DocumentNotFound(f"no indexed document has id {doc_id!r}")
        return row[0]

    def document_sentences(self, doc_id: str) -> list[tuple[int, int]] | None:
        """The sentence spans stored with an article (None if it was stored without them)."""
        with self._reading():
            row = self._db.execute("SELECT sentences FROM documents WHERE doc_id = ?", (doc_id,)).fetchone()
        if row is None:
            raise DocumentNotFound(f"no indexed document has id {doc_id!r}")
        return [tuple(span) for span in json.loads(row[0])] if row[0] else None

    def find_by_hash(self, content_hash: str) -> str | None:
        with self._reading():
            row = self._db.execute("SELECT doc_id FROM documents WHERE content_hash = ?", (content_hash,)).fetchone()
        return row[0] if row else None

    def find_by_source(self, source: str) -> list[str]:
        with self._reading():
            return [r[0] for r in self._db.execute("SELECT doc_id FROM documents WHERE source = ?", (source,))]

    def doc_ids(self) -> set[str]:
        """The ids of the stored articles."""
        with self._reading():
            return {row[0] for row in self._db.execute("SELECT doc_id FROM documents")}

    def outlets(self) -> set[str]:
        """The outlets the stored articles name (one query over the outlet index, ``m008``:
        listing them for a filter picker must not read every article's record)."""
        with self._reading():
            return {r[0] for r in self._db.execute("SELECT DISTINCT outlet FROM documents WHERE outlet != ''")}

    def quote_rows(self, doc_ids: Collection[str] | None = None) -> list[QuoteRow]:
        """Every stored statement (of the articles ``doc_ids``, default all), in article and reading order."""
        select = f"SELECT {', '.join(QUOTE_FIELDS)} FROM quotes"
        rows = self._select_articles(select, "doc_id", doc_ids, "doc_id, seq")
        return [quote_row(dict(zip(QUOTE_FIELDS, row, strict=True))) for row in rows]

    def chunk_rows(self, doc_ids: Collection[str] | None = None) -> list[ChunkRow]:
        """Every chunk (of the articles ``doc_ids``, default all), in a stable order (by chunk id)."""
        select = (
            "SELECT c.chunk_id, c.doc_id, c.seq, c.start, c.end, d.outlet, d.published_day "
            "FROM chunks c JOIN documents d USING (doc_id)"
        )
        rows = self._select_articles(select, "c.doc_id", doc_ids, "c.chunk_id")
        return sorted((ChunkRow(*row) for row in rows), key=lambda r: r.chunk_id)

    def _select_articles(
        self, select: str, doc_column: str, doc_ids: Collection[str] | None, order: str
    ) -> list[tuple]:
        """``select``'s rows, all or those of the articles ``doc_ids``, ordered by ``order``
        within each slice of ids (slices in id order)."""
        with self._reading():
            if doc_ids is None:
                return self._db.execute(f"{select} ORDER BY {order}").fetchall()
            rows: list[tuple] = []
            for part in id_slices(doc_ids):
                marks = ", ".join("?" * len(part))
                rows += self._db.execute(f"{select} WHERE {doc_column} IN ({marks}) ORDER BY {order}", part)
            return rows

    def chunk_texts(self, rows: Sequence[ChunkRow] | None = None) -> Iterator[tuple[ChunkRow, str]]:
        """Each chunk of ``rows`` (default: ``chunk_rows()``) with its text, in that order."""
        with self._reading():
            texts = dict(self._db.execute("SELECT doc_id, text FROM documents"))
        for row in self.chunk_rows() if rows is None else rows:
            yield row, texts[row.doc_id][row.start : row.end]

    def dense_search(
        self, embedding: Sequence[float], k: int, filters: SearchFilter | None = None
    ) -> list[tuple[str, float]]:
        """(chunk_id, cosine similarity) of the ``k`` nearest chunks that pass ``filters``."""
        collection = self.current_collection()
        n = collection.count()
        if n == 0:
            return []
        result = collection.query(
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
        got = self.current_collection().get(ids=chunk_ids, include=["embeddings"])
        return dict(zip(got["ids"], got["embeddings"], strict=True))

    def vector_count(self) -> int:
        return self.collection.count()

    # --- writes ---------------------------------------------------------------------------
    def add_many(self, additions: Sequence[Addition]) -> list[str]:
        """Store several articles in one vector write and one transaction (Chroma's per-call
        cost is a quarter of ingest time otherwise). All or nothing. Returns the doc ids of
        articles not stored because their text was already there (stored meanwhile by another
        process): the store holds each text once."""
        check_additions(additions)
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with self.writing():
            present, additions = split_present(self, additions)
            if not additions:
                return present
            self.write_vectors(additions)
            if self.group_duplicates:
                self._sync_duplicates()
            new_ids = [(c.chunk_id,) for a in additions for c in a.chunks]
            try:
                with self._db:
                    for a in additions:
                        for old in a.replaces:
                            self._mark_pending(old)
                            self._db.execute("DELETE FROM documents WHERE doc_id = ?", (old,))
                        self._insert_document(a.article, now)
                        self._db.executemany(QUOTE_INSERT, quote_columns(a.article.doc_id, a.article.quotes))
                        if self.group_duplicates:
                            self._group(a.article, a.replaces)
                        self._db.executemany(
                            "INSERT INTO chunks (chunk_id, doc_id, seq, start, end, tokens, wordpieces) "
                            "VALUES (:chunk_id, :doc_id, :seq, :start, :end, :tokens, :wordpieces)",
                            [_chunk_columns(c) for c in a.chunks],
                        )
                    self._db.executemany("DELETE FROM pending_vectors WHERE chunk_id = ?", new_ids)
                    self._bump_generation()
                if self.group_duplicates:
                    self._dups_generation = int(self._meta("generation") or 0)  # the LSH holds this write
            except sqlite3.Error:
                self._dups = None  # it may hold articles the rollback took back: rebuilt on next use
                self._settle_pending()  # the vectors nobody will own go
                raise
            self._settle_pending()  # the replaced articles' vectors go
        return present

    def _sync_duplicates(self) -> None:
        """Under the write lock, before a batch: the in-memory LSH holds exactly the stored
        signatures (built once per process; afterwards only what others added or removed is read)."""
        from ..ingest import dedup

        generation = int(self._meta("generation") or 0)
        if self._dups is not None and generation == self._dups_generation:
            return  # nobody else wrote since this process's last write
        if self._dups is None:
            self._dups = dedup.DuplicateIndex()
        stored = {r[0] for r in self._db.execute("SELECT doc_id FROM dup_signatures")}
        self._dups.sync(stored, self._read_signatures)
        self._dups_generation = generation

    def _group(self, art: Article, replaces: Sequence[str]) -> None:
        """Inside ``add_many``'s transaction: the article's MinHash signature, and a pair with
        every stored article the LSH proposes whose exact shingle Jaccard confirms it a copy."""
        from ..ingest import dedup

        for old in replaces:
            self._dups.discard(old)

        def shingles_of(doc_id: str) -> set[int] | None:
            row = self._db.execute("SELECT text FROM documents WHERE doc_id = ?", (doc_id,)).fetchone()
            return dedup.shingles(row[0]) if row else None

        sig, pairs = dedup.group_one(art.doc_id, art.text, self._dups, shingles_of)
        self._db.execute(
            "INSERT OR REPLACE INTO dup_signatures (doc_id, signature) VALUES (?, ?)", (art.doc_id, dedup.to_blob(sig))
        )
        self._db.executemany(
            "INSERT OR IGNORE INTO dup_pairs (doc_id, other, jaccard) VALUES (?, ?, ?)",
            [(art.doc_id, other, j) for other, j in pairs],
        )

    def _read_signatures(self, doc_ids: Collection[str]) -> Iterator[tuple[str, Any]]:
        from ..ingest.dedup import from_blob

        for ids in id_slices(doc_ids):
            marks = ",".join("?" * len(ids))
            for doc_id, blob in self._db.execute(
                f"SELECT doc_id, signature FROM dup_signatures WHERE doc_id IN ({marks})", ids
            ).fetchall():
                yield doc_id, from_blob(blob)

    def duplicate_pairs(self) -> list[tuple[str, str, float]]:
        """Every confirmed (article, copy, Jaccard) pair; ``ingest.dedup.groups`` makes the groups."""
        with self._reading():
            return [tuple(r) for r in self._db.execute("SELECT doc_id, other, jaccard FROM dup_pairs")]

    def write_vectors(self, additions: Sequence[Addition]) -> None:
        """The first half of ``add_many``: record the chunk ids as pending, then write the
        vectors, not yet owned by any article (``reconcile`` removes them if the SQLite commit
        never follows). Writes respect Chroma's largest batch, so an article of any size fits."""
        from .llama import chunk_nodes

        nodes = [n for a in additions for n in chunk_nodes(a.article, a.chunks, a.embeddings)]
        if not nodes:
            return
        with self.writing():
            with self._db:
                self._db.executemany(
                    "INSERT OR IGNORE INTO pending_vectors (chunk_id, doc_id) VALUES (?, ?)",
                    [(c.chunk_id, a.article.doc_id) for a in additions for c in a.chunks],
                )
            writer, step = self._vector_writer(), max_batch(self.collection)
            for i in range(0, len(nodes), step):
                writer.add(nodes[i : i + step])

    def _mark_pending(self, doc_id: str) -> None:
        """Inside the transaction that deletes ``doc_id``: its vectors are to be deleted after."""
        self._db.execute(
            "INSERT OR IGNORE INTO pending_vectors (chunk_id, doc_id) SELECT chunk_id, doc_id FROM chunks "
            "WHERE doc_id = ?",
            (doc_id,),
        )

    def _settle_pending(self) -> int:
        """Under the write lock: delete the vectors of recorded writes that no chunk owns (a
        failed or interrupted write, a deleted article), then forget the records. Returns how
        many vectors went."""
        strays = [
            r[0]
            for r in self._db.execute(
                "SELECT p.chunk_id FROM pending_vectors p LEFT JOIN chunks c USING (chunk_id) WHERE c.chunk_id IS NULL"
            )
        ]
        if strays:
            self._delete_vectors(strays)
        with self._db:
            self._db.execute("DELETE FROM pending_vectors")
        return len(strays)

    def _insert_document(self, art: Article, added_at: str) -> None:
        self._db.execute(
            "INSERT INTO documents (doc_id, source, title, outlet, url, published, dates, content_hash, text, "
            "added_at, sentences, published_day, published_source, outlet_source) VALUES (:doc_id, :source, "
            ":title, :outlet, :url, :published, :dates, :content_hash, :text, :added_at, :sentences, "
            ":published_day, :published_source, :outlet_source)",
            {
                "published_day": published_day(art),
                "published_source": art.published_source,
                "outlet_source": art.outlet_source,
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
        with self.writing():
            in_batches(self.collection.update, ids=chunk_ids, embeddings=embeddings)
            with self._db:
                self._bump_generation()

    def mark_model_current(self) -> None:
        """Record that every vector now comes from this version's model (after re-embedding)."""
        with self.writing(), self._db:
            self._db.execute("UPDATE meta SET value = ? WHERE key = 'embedding_model'", (MODEL_ID,))
        self.stale_model = None

    def remove(self, doc_id: str) -> DocumentInfo:
        """Remove an article and its vectors; returns what was removed."""
        with self.writing():
            info = self.document(doc_id)
            with self._db:
                self._mark_pending(doc_id)
                # its signature and pairs go with it (ON DELETE CASCADE): the groups stay the
                # connected components of the pairs that remain
                before = int(self._meta("generation") or 0)
                self._db.execute("DELETE FROM documents WHERE doc_id = ?", (doc_id,))
                self._bump_generation()
            if self._dups is not None:
                self._dups.discard(doc_id)
                if before == self._dups_generation:  # in step before, so in step after
                    self._dups_generation = before + 1
            self._settle_pending()
        return info

    def reconcile(self) -> int:
        """Before an ingest: finish what an interrupted write left (delete the vectors it
        recorded that no article owns); returns how many. Vectors nobody recorded, and chunks
        without a vector, are damage: reported, never deleted on a guess."""
        with self.writing():
            settled = self._settle_pending()
            if settled:
                log.warning("store %s: removed %d vectors an interrupted write left", self.directory, settled)
                with self._db:
                    self._bump_generation()
            problems = self.vector_problems()
        if problems.missing:
            raise StoreError(
                f"{problems.missing} chunks have no vector in {self.directory / VECTORS}: the vector store was "
                f"changed outside the assistant. Rebuild the vectors from the stored texts with `assistant doctor "
                f"--rebuild-vectors --store {self.directory}`. Nothing was changed."
            )
        if problems.strays:
            raise StoreError(
                f"{len(problems.strays)} vectors in {self.directory / VECTORS} belong to no article and no recorded "
                f"write (was {DATABASE} replaced or restored from an older backup?). Nothing was changed: "
                f"`assistant doctor --store {self.directory}` reports the store; `assistant doctor "
                "--delete-stray-vectors` deletes them if you are sure."
            )
        return settled

    def vector_problems(self) -> VectorProblems:
        """Compare the chunks SQLite holds with the vectors Chroma holds."""
        with self._reading():
            known = {r[0] for r in self._db.execute("SELECT chunk_id FROM chunks")}
        ids = set(self.current_collection().get(include=[])["ids"])
        return VectorProblems(vectors=len(ids), missing=len(known - ids), strays=sorted(ids - known))

    def delete_stray_vectors(self) -> int:
        """Delete vectors no article owns (only when a user asks: ``assistant doctor``)."""
        with self.writing():
            strays = self.vector_problems().strays
            if strays:
                self._delete_vectors(strays)
                with self._db:
                    self._bump_generation()
        return len(strays)

    def set_aside_vectors(self) -> Path | None:
        """Rename the Chroma folder out of the way (kept, never deleted) so vectors can be
        rebuilt from the stored texts; returns its new name."""
        with self.writing(), self._chroma_lock:
            source = self.directory / VECTORS
            if not source.exists():
                return None
            target = self.directory / f"{VECTORS}.set-aside-{datetime.now(UTC).strftime('%Y%m%dT%H%M%S')}"
            source.rename(target)
            self._chroma, self._llama_store = None, None
            return target

    def stored_articles(self) -> Iterator[tuple[Article, list[Chunk]]]:
        """Every stored article with its chunks, rebuilt from the texts of record (to embed again)."""
        with self._reading():
            docs = self._db.execute(
                "SELECT doc_id, source, title, text, content_hash, outlet, published FROM documents "
                "ORDER BY added_at, source"
            ).fetchall()
        for doc_id, source, title, text, content_hash, outlet, published in docs:
            with self._reading():
                rows = self._db.execute(
                    "SELECT chunk_id, seq, start, end, tokens, wordpieces FROM chunks WHERE doc_id = ? ORDER BY seq",
                    (doc_id,),
                ).fetchall()
            article = Article(doc_id, source, title, text, content_hash, outlet, published=published)
            chunks = [Chunk(cid, doc_id, seq, a, b, text[a:b], tok, wp) for cid, seq, a, b, tok, wp in rows]
            yield article, chunks

    def settle(self) -> int:
        """After writing vectors for stored chunks (a rebuild): clear the records, bump the
        generation so every process reopens its view."""
        with self.writing():
            settled = self._settle_pending()
            with self._db:
                self._bump_generation()
        return settled

    def _vector_writer(self):  # -> llama-index ChromaVectorStore
        if self._llama_store is None:
            from llama_index.vector_stores.chroma import ChromaVectorStore

            self._llama_store = ChromaVectorStore(chroma_collection=self.collection)
        return self._llama_store

    def _delete_vectors(self, chunk_ids: Sequence[str]) -> None:
        in_batches(self.collection.delete, ids=list(chunk_ids))

    def close(self) -> None:
        with self._lock:
            self._db.close()


def stale_model(stored: str, store: str, remedy: str) -> str | None:
    """The model a store records, checked against this version's: None if it is this one, the
    stored name if its vectors only need re-embedding, else a ``StoreError`` saying ``remedy``."""
    if stored == MODEL_ID:
        return None
    if stored in REEMBEDDABLE_MODELS:
        return stored
    raise StoreError(f"{store} was built with embedding_model={stored!r}, this version uses {MODEL_ID!r}: {remedy}")


def check_additions(additions: Sequence[Addition]) -> None:
    """One vector of the model's size per chunk (a bug upstream otherwise, never stored)."""
    for a in additions:
        if len(a.chunks) != len(a.embeddings):
            raise StoreError("internal error: one embedding per chunk is required")
        if any(len(e) != DIMENSIONS for e in a.embeddings):
            raise StoreError(f"internal error: embeddings must have {DIMENSIONS} dimensions")


def split_present(store, additions: Sequence[Addition]) -> tuple[list[str], list[Addition]]:
    """(doc ids whose text is already stored — by another process meanwhile —, the rest)."""
    present = [a.article.doc_id for a in additions if store.find_by_hash(a.article.content_hash)]
    return present, [a for a in additions if a.article.doc_id not in present]


QUOTE_FIELDS = (
    "doc_id",
    "seq",
    "kind",
    "speaker",
    "speaker_type",
    "mention",
    "cue",
    "role",
    "spans",
    "attribution_start",
    "attribution_end",
)


ID_SLICE = 500  # ids per query: SQLite limits a statement's parameters; Chroma's get is paged


def id_slices(ids: Collection[str]) -> Iterator[list[str]]:
    """``ids`` sorted, in slices one query can take."""
    wanted = sorted(ids)
    for i in range(0, len(wanted), ID_SLICE):
        yield wanted[i : i + ID_SLICE]


def quote_row(columns: dict[str, Any]) -> QuoteRow:
    """A stored statement from its columns (``migrations.quote_columns``'s shape)."""
    from ..text.quotes import Quote

    start, end = columns["attribution_start"], columns["attribution_end"]
    quote = Quote(
        tuple(tuple(span) for span in json.loads(columns["spans"])),
        columns["kind"],
        columns["speaker"],
        columns["speaker_type"],
        columns["mention"],
        columns["cue"],
        (start, end) if start is not None else None,
        columns["role"],
    )
    return QuoteRow(columns["doc_id"], columns["seq"], quote)


def open_store(settings: StoreSettings, *, create: bool = True, vectors_required: bool = True):
    """The store the settings name: on a Chroma server when ``chroma_url`` is set, else the
    embedded one in ``dir``. -> ``Store`` | ``server_store.ChromaServerStore``"""
    if settings.chroma_url:
        from .server_store import ChromaServerStore

        return ChromaServerStore(
            settings.chroma_url, settings.chroma_prefix, settings.dir, create=create, vectors_required=vectors_required
        )
    return Store(settings.dir, create=create, vectors_required=vectors_required)


def chroma_where(filters: SearchFilter | None) -> dict[str, Any] | None:
    """A ``SearchFilter`` as Chroma's ``where=`` over the chunk metadata (None: no filter)."""
    if filters is None or filters.empty:
        return None
    conditions: list[dict[str, Any]] = []
    if filters.doc_ids is not None:
        conditions.append({"doc_id": {"$in": sorted(filters.doc_ids)}})
    if filters.outlets is not None:
        conditions.append({"outlet": {"$in": sorted(filters.outlets)}})
    if filters.dated:  # Chroma compares numbers only: the day as YYYYMMDD (0, unknown, is never inside)
        low, high = filters.day_range()
        conditions.append({"published_day": {"$gte": low}})
        if filters.until is not None:
            conditions.append({"published_day": {"$lte": high}})
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


def published_day(art: Article) -> int:
    """An article's publication date as YYYYMMDD (0 when unknown)."""
    from ..text.dates import day_number, parse_date

    return day_number(parse_date(art.published)) if art.published else 0


def _info(row: tuple) -> DocumentInfo:
    doc_id, title, source, outlet, url, published, dates, chars, content_hash, added_at = row[:10]
    published_source, outlet_source, chunks = row[10:]
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
        published_source=published_source,
        outlet_source=outlet_source,
    )
