"""``Assistant``: the one public door. Every interface (CLI, web page, bot) goes through it.

    load -> clean -> chunk -> embed/store -> retrieve -> answer

It owns the store, the embedding model, the keyword index (rebuilt when the store
changes) and the answer engine, and checks every citation against the text of record
before an answer leaves it.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from .answering import AnswerEngine, ExtractiveEngine
from .chunking import chunk_article
from .cleaning import clean
from .config import Settings
from .embedding import MODEL_ID, MiniLMEmbedding, ParallelEmbedder, cached_embedding
from .errors import AssistantError, DocumentNotFound, LoadError, StoreError
from .followup import standalone
from .keyword import KeywordIndex
from .loading import discover, load_file
from .models import Answer, Article, Chunk, DocumentInfo, IngestItem, IngestReport, RawDocument
from .passages import CACHE_DOCS, passages_of
from .retrieval import HybridRetriever, HybridSearcher, Retrieval
from .store import Addition, Store

log = logging.getLogger(__name__)

MAX_QUESTION_CHARS = 2000


BATCH_ARTICLES = 32  # articles per store write
REBUILD_WHILE_INGESTING_S = 10.0


@dataclass
class _Prepared:
    """An article cleaned, chunked and handed to the embedder, not yet stored."""

    article: Article
    chunks: list[Chunk]
    vectors: list[Future[np.ndarray]]
    replaces: tuple[str, ...]
    item: IngestItem


class _StoreQueue:
    """Prepared articles waiting for their vectors, stored in order ``BATCH_ARTICLES`` at a time.

    Preparation runs up to two batches ahead of storage, so the embedder always has queued
    work while the caller loads, cleans and chunks the next files.
    """

    def __init__(self, store: Store) -> None:
        self.store = store
        self._queue: deque[_Prepared] = deque()
        self.by_hash: dict[str, Article] = {}  # prepared, not yet stored

    def put(self, prepared: _Prepared) -> None:
        self._queue.append(prepared)
        self.by_hash[prepared.article.content_hash] = prepared.article
        if len(self._queue) >= 2 * BATCH_ARTICLES:
            self._store_batch()

    def drain(self) -> None:
        while self._queue:
            self._store_batch()

    def _store_batch(self) -> None:
        """Store the oldest batch in one write; if that fails, article by article, so only a
        culprit fails. An article whose embedding failed is marked failed, the rest stored."""
        batch = [self._queue.popleft() for _ in range(min(BATCH_ARTICLES, len(self._queue)))]
        ready: list[tuple[Addition, IngestItem]] = []
        for p in batch:
            try:
                vectors = [f.result().tolist() for f in p.vectors]
            except AssistantError as exc:
                p.item.status, p.item.reason, p.item.chunks = "failed", str(exc), 0
                continue
            ready.append((Addition(p.article, p.chunks, vectors, p.replaces), p.item))
        try:
            self._store(ready)
        finally:
            for p in batch:
                self.by_hash.pop(p.article.content_hash, None)

    def _store(self, ready: list[tuple[Addition, IngestItem]]) -> None:
        if not ready:
            return
        try:
            self.store.add_many([addition for addition, _ in ready])
            return
        except (StoreError, sqlite3.Error) as exc:
            log.warning("storing %d articles at once failed (%s); storing them one by one", len(ready), exc)
        for addition, item in ready:
            try:
                self.store.add_many([addition])
            except (StoreError, sqlite3.Error) as exc:
                item.status, item.reason, item.chunks = "failed", f"could not store: {exc}", 0


@dataclass
class IngestProgress:
    """Reported after each file: enough for a progress bar with rate and ETA."""

    files_done: int
    files_total: int
    articles_done: int
    chunks_done: int
    elapsed: float
    current: str
    items: list[IngestItem] = field(default_factory=list)  # this file's outcomes


class Assistant:
    """Ingest news articles and answer questions with exactly-quoted, cited passages."""

    def __init__(
        self,
        store_dir: str | os.PathLike[str] | None = None,
        *,
        settings: Settings | None = None,
        engine: AnswerEngine | None = None,
        **overrides: Any,
    ) -> None:
        if store_dir is not None:
            overrides["store_dir"] = str(store_dir)
        self.settings = settings or Settings.load(overrides)
        self.store = Store(self.settings.store_dir)
        self.embed_model = MiniLMEmbedding()
        confidence = self.settings.abstain_confidence
        self.engine: AnswerEngine = engine or ExtractiveEngine(
            max_passages=self.settings.answer_sentences,
            abstain_confidence=None if confidence == "model" else float(confidence),
        )
        # Writers (ingest, remove) take turns; questions only wait for an index rebuild, so
        # they are answered while an upload is being ingested.
        self._write_lock = threading.RLock()
        self._index_lock = threading.RLock()
        self._ingesting = 0
        self._index_built_at = 0.0
        self._index_generation = -1
        self._keyword: KeywordIndex | None = None
        self._searcher: HybridSearcher | None = None
        if self.store.stale_model:
            self._reembed()

    def _reembed(self) -> None:
        """Recompute every vector of a store embedded by an earlier version (same weights, other
        arithmetic). The texts are kept, so nothing is lost; the model is recorded only at the
        end, so an interrupted run simply starts again next time."""
        rows = list(self.store.iter_chunks())
        log.warning(
            "store %s was embedded with %s; re-embedding its %d chunks with %s (once)",
            self.store.directory,
            self.store.stale_model,
            len(rows),
            MODEL_ID,
        )
        step, pending = 256, deque()

        def write_oldest() -> None:
            ids, futures = pending.popleft()
            self.store.replace_vectors(ids, [f.result().tolist() for f in futures])

        with ParallelEmbedder(self.embed_model, self.settings.embed_workers) as embedder:
            for i in range(0, len(rows), step):
                part = rows[i : i + step]
                pending.append(([row[0] for row in part], [embedder.submit(row[4]) for row in part]))
                if len(pending) > 2:  # embedding keeps two steps ahead of writing
                    write_oldest()
            while pending:
                write_oldest()
        self.store.mark_model_current()

    # --- ingest ---------------------------------------------------------------------------
    def ingest(
        self,
        paths: Iterable[str | os.PathLike[str]] | str | os.PathLike[str],
        *,
        progress: Callable[[IngestProgress], None] | None = None,
        names: dict[str, str] | None = None,
    ) -> IngestReport:
        """Add files and folders. Unchanged articles are skipped, changed ones replaced.

        ``names`` maps a path to the name to record as its source (e.g. an upload's
        original filename). Returns per-article outcomes; one bad file never stops the rest.
        """
        if isinstance(paths, (str, os.PathLike)):
            paths = [paths]
        started = time.perf_counter()
        report = IngestReport()
        with (
            self._write_lock,
            self._ingest_running(),
            ParallelEmbedder(self.embed_model, self.settings.embed_workers) as embedder,
        ):
            self.store.reconcile()
            found = discover(paths)
            report.skipped = found.skipped
            for missing in found.missing:
                report.items.append(IngestItem(source=missing, status="failed", reason="no such file or folder"))
            max_bytes = int(self.settings.max_file_mb * 1_000_000)
            queue = _StoreQueue(self.store)
            for i, path in enumerate(found.files):
                name = (names or {}).get(str(path)) or _display_path(path)
                items = self._ingest_file(path, name, max_bytes, queue, embedder)
                report.items += items
                if progress:
                    elapsed = time.perf_counter() - started
                    articles = len(report.items) - len(found.missing)
                    progress(IngestProgress(i + 1, len(found.files), articles, report.chunks, elapsed, name, items))
            queue.drain()
        report.seconds = time.perf_counter() - started
        return report

    @contextmanager
    def _ingest_running(self) -> Iterator[None]:
        self._ingesting += 1
        try:
            yield
        finally:
            self._ingesting -= 1

    def _ingest_file(
        self, path: Path, name: str, max_bytes: int, queue: _StoreQueue, embedder: ParallelEmbedder
    ) -> list[IngestItem]:
        """Load, clean and chunk one file's articles and queue them for embedding and storing;
        returns their outcomes, in order ("added"/"replaced" ones become "failed" if embedding
        or storing fails)."""
        try:
            raws = load_file(path, max_bytes, display_name=name)
        except LoadError as exc:
            return [IngestItem(source=name, status="failed", reason=str(exc))]
        except OSError as exc:
            return [IngestItem(source=name, status="failed", reason=f"cannot read file: {exc.strerror or exc}")]
        items = []
        for raw in raws:
            try:
                items.append(self._prepare_article(raw, queue, embedder))
            except AssistantError as exc:
                items.append(IngestItem(source=raw.source, status="failed", reason=str(exc), warnings=raw.warnings))
        return items

    def _prepare_article(self, raw: RawDocument, queue: _StoreQueue, embedder: ParallelEmbedder) -> IngestItem:
        article = clean(raw)
        if len(article.text.split()) < 3:
            raise LoadError("no article text left after removing page furniture (cookie banners, links...)")
        existing = self.store.find_by_hash(article.content_hash)
        pending = queue.by_hash.get(article.content_hash)
        if existing or pending:
            stored_source = self.document(existing).source if existing else pending.source
            note = None if stored_source == article.source else f"same text as {stored_source} (stored once)"
            doc_id = existing or pending.doc_id
            return IngestItem(raw.source, "unchanged", doc_id, article.title, 0, reason=note, warnings=article.warnings)
        previous = tuple(d for d in self.store.find_by_source(article.source) if d != article.doc_id)
        chunks = chunk_article(article, budget=self.settings.chunk_tokens)
        status = "replaced" if previous else "added"
        item = IngestItem(raw.source, status, article.doc_id, article.title, len(chunks), warnings=article.warnings)
        item.replaced_doc_id = previous[0] if previous else None
        queue.put(_Prepared(article, chunks, [embedder.submit(c.text) for c in chunks], previous, item))
        return item

    # --- ask ------------------------------------------------------------------------------
    def ask(self, question: str, history: Sequence[dict[str, Any]] | None = None) -> Answer:
        """Answer from the indexed articles, citing exact passages; abstain when they don't say.

        ``history`` is the conversation so far as ``[{"role": "user"|"assistant", "content": str}]``;
        follow-ups such as "and what did he say about sanctions?" are resolved against it.
        """
        started = time.perf_counter()
        question = _check_question(question)
        interpreted = standalone(question, history)
        try:
            retrieval, answer = self._answer(question, interpreted)
        except DocumentNotFound:
            # an ingest replaced an article between the search and the answer: search afresh, once
            with self._index_lock:
                self._index_built_at = 0.0
                self._index_generation = -1
            retrieval, answer = self._answer(question, interpreted)
        answer.timings_ms = {k: round(v, 2) for k, v in retrieval.timings_ms.items()}
        answer.timings_ms["total"] = round((time.perf_counter() - started) * 1000, 2)
        return answer

    def _answer(self, question: str, interpreted: str) -> tuple[Retrieval, Answer]:
        retrieval = self.retrieve(interpreted)
        answer = self.engine.answer(question, interpreted, retrieval, self)
        self._verify(answer)
        return retrieval, answer

    def retrieve(self, question: str, k: int | None = None) -> Retrieval:
        """The hybrid search alone: the top ``k`` chunks for ``question``."""
        return self._ensure_index()[1].search(question, k or self.settings.top_k)

    def as_retriever(self, k: int | None = None) -> HybridRetriever:
        """The hybrid search as a llama-index retriever."""
        return HybridRetriever(self._ensure_index()[1], k or self.settings.top_k)

    def _verify(self, answer: Answer) -> None:
        for c in answer.citations:
            if self.document_text(c.doc_id)[c.start : c.end] != c.quote:
                raise AssistantError(f"internal error: citation [{c.n}] does not match its source text")
        if answer.abstained and answer.citations:
            raise AssistantError("internal error: an abstention must not carry citations")

    # --- documents ------------------------------------------------------------------------
    def docs(self) -> list[DocumentInfo]:
        """Every indexed article, oldest first."""
        return self.store.documents()

    def document(self, doc_id: str) -> DocumentInfo:
        return _cached_document(self.store, doc_id)

    def document_text(self, doc_id: str) -> str:
        """The cleaned text of record that citation offsets index into."""
        return _cached_text(self.store, doc_id)

    def remove(self, doc_id: str) -> DocumentInfo:
        """Remove an article and its chunks from the store."""
        with self._write_lock:
            info = self.store.remove(doc_id)
            _cached_text.cache_clear()
            _cached_document.cache_clear()
            return info

    def size(self) -> int:
        return self.store.count()

    def passage_vector(self, doc_id: str, start: int, end: int) -> tuple[float, ...]:
        """Embedding of a span of an article, cached: answer engines compare passages to questions."""
        return cached_embedding(self.document_text(doc_id)[start:end])

    @property
    def keyword(self) -> KeywordIndex:
        return self._ensure_index()[0]

    def _ensure_index(self) -> tuple[KeywordIndex, HybridSearcher]:
        """The keyword index and searcher over what is stored now. While an ingest runs, the last
        index serves for up to ``REBUILD_WHILE_INGESTING_S`` (a BBC-sized rebuild takes about 3 s);
        the search only scores chunks that still have vectors, so a stale index never cites a
        removed article."""
        with self._index_lock:
            changed = self._searcher is None or self._index_generation != self.store.generation
            recent = time.monotonic() - self._index_built_at < REBUILD_WHILE_INGESTING_S
            if changed and not (self._ingesting and self._searcher is not None and recent):
                generation = self.store.generation
                rows = list(self.store.iter_chunks())
                self._keyword = KeywordIndex([r[0] for r in rows], [r[4] for r in rows])
                s = self.settings
                self._searcher = HybridSearcher(
                    self.store,
                    self._keyword,
                    {r[0]: (r[1], r[2], r[3], r[4]) for r in rows},
                    self.embed_model,
                    self.document_text,
                    candidates=s.candidates,
                    dense_weight=s.dense_weight,
                    keyword_weight=s.keyword_weight,
                    bigram_weight=s.bigram_weight,
                    passage_weight=s.passage_weight,
                )
                self._index_generation = generation
                self._index_built_at = time.monotonic()
            return self._keyword, self._searcher

    def warm_up(self) -> None:
        """Load the model, build the keyword index and split every article into passages now,
        rather than on the first questions (a server does this once at start-up)."""
        self._ensure_index()
        self.embed_model.get_query_embedding("warm up")
        for info in self.docs()[:CACHE_DOCS]:
            passages_of(info.doc_id, self.document_text(info.doc_id))

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Assistant:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# Articles are immutable (their id is their content hash), so caching by id is safe.
@lru_cache(maxsize=4096)
def _cached_text(store: Store, doc_id: str) -> str:
    return store.document_text(doc_id)


@lru_cache(maxsize=4096)
def _cached_document(store: Store, doc_id: str) -> DocumentInfo:
    return store.document(doc_id)


def _check_question(question: str) -> str:
    if not isinstance(question, str):
        raise TypeError("question must be a string")
    question = question.strip()
    if not question:
        raise AssistantError("the question is empty")
    if len(question) > MAX_QUESTION_CHARS:
        raise AssistantError(f"the question is {len(question)} characters long; the limit is {MAX_QUESTION_CHARS}")
    return question


def _display_path(path: Path) -> str:
    """Relative to the working directory when inside it, else absolute: the article's source key."""
    resolved = path.resolve()
    try:
        return str(resolved.relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(resolved)
