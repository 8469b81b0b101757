"""The ingest pipeline: files → load → clean → chunk → embed → store, in batches.

The calling thread loads, cleans and chunks; the embedder works on every core meanwhile
(``search.embedding.ParallelEmbedder``); prepared articles are stored in order,
``BATCH_ARTICLES`` at a time, each batch one vector write and one transaction. One bad file
never stops the rest: its failure is reported with a reason. Also here: re-embedding a store
whose vectors came from an earlier arithmetic of the same model.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FuturesTimeout
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import numpy as np

from ..config import StoreSettings
from ..errors import AssistantError, LoadError, StoreError
from ..models import Article, Chunk, IngestItem, IngestProgress, IngestReport, RawDocument
from ..search.embedding import MODEL_ID, MiniLM, ParallelEmbedder
from ..search.store import Addition, Store
from ..text.quotes import extract_quotes
from ..text.sentences import sentence_spans
from .chunking import chunk_article
from .cleaning import clean
from .loading import discover, display_name, load_file

log = logging.getLogger(__name__)

BATCH_ARTICLES = 32  # articles per store write
TICK_S = 0.5  # progress is reported this often while vectors are awaited
T = TypeVar("T")


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

    def __init__(self, store: Store, waiting: Callable[[], None] | None = None) -> None:
        self.store = store
        self._queue: deque[_Prepared] = deque()
        self.by_hash: dict[str, Article] = {}  # prepared, not yet stored
        self._waiting = waiting  # called every half second while waiting for vectors
        self._last_tick = time.monotonic()

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
                vectors = [self._result(f).tolist() for f in p.vectors]
            except AssistantError as exc:
                p.item.status, p.item.reason, p.item.chunks = "failed", str(exc), 0
                continue
            ready.append((Addition(p.article, p.chunks, vectors, p.replaces), p.item))
        try:
            self._store(ready)
        finally:
            for p in batch:
                self.by_hash.pop(p.article.content_hash, None)

    def _result(self, future: Future[np.ndarray]) -> np.ndarray:
        """The future's vector; meanwhile ``waiting`` is called every half second."""
        if self._waiting is None:
            return future.result()
        while True:
            if time.monotonic() - self._last_tick >= TICK_S:
                self._last_tick = time.monotonic()
                self._waiting()
            try:
                return future.result(timeout=TICK_S)
            except FuturesTimeout:
                continue

    def _store(self, ready: list[tuple[Addition, IngestItem]]) -> None:
        if not ready:
            return
        try:
            present = self.store.add_many([addition for addition, _ in ready])
            _mark_present(ready, present)
            return
        except (StoreError, sqlite3.Error) as exc:
            log.warning("storing %d articles at once failed (%s); storing them one by one", len(ready), exc)
        for addition, item in ready:
            try:
                _mark_present([(addition, item)], self.store.add_many([addition]))
            except (StoreError, sqlite3.Error) as exc:
                item.status, item.reason, item.chunks = "failed", f"could not store: {exc}", 0


class _CountingEmbedder:
    """``ParallelEmbedder.submit``, counting the chunks handed over and those finished (for the
    progress bar)."""

    def __init__(self, embedder: ParallelEmbedder) -> None:
        self._embedder = embedder
        self._lock = threading.Lock()
        self._total = self._done = 0

    def submit(self, text: str) -> Future[np.ndarray]:
        with self._lock:
            self._total += 1
        future = self._embedder.submit(text)
        future.add_done_callback(self._finished)
        return future

    def counts(self) -> tuple[int, int]:
        """(chunks embedded, chunks handed over)."""
        with self._lock:
            return self._done, self._total

    def _finished(self, _future: Future) -> None:
        with self._lock:
            self._done += 1


def _mark_present(stored: list[tuple[Addition, IngestItem]], present: list[str]) -> None:
    """Articles another process stored while this one prepared them are unchanged, not added."""
    for addition, item in stored:
        if addition.article.doc_id in present:
            item.status, item.chunks = "unchanged", 0
            item.reason = "stored meanwhile by another process"


class IngestPipeline:
    """One ingest run's machinery over a store: ``run`` adds files and folders."""

    def __init__(self, store: Store, model: MiniLM, settings: StoreSettings) -> None:
        self.store = store
        self.model = model
        self.settings = settings

    def run(
        self,
        paths: Iterable[str | os.PathLike[str]],
        *,
        progress: Callable[[IngestProgress], None] | None = None,
        names: dict[str, str] | None = None,
    ) -> IngestReport:
        """Add files and folders. Unchanged articles are skipped, changed ones replaced.

        ``names`` maps a path to the name to record as its source (e.g. an upload's original
        filename). Returns per-article outcomes; one bad file never stops the rest."""
        started = time.perf_counter()
        report = IngestReport()
        with ParallelEmbedder(self.model, self.settings.embed_workers) as embedder:
            self.store.reconcile()
            found = discover(paths, exclude=[self.store.directory])
            report.skipped = found.skipped
            report.skipped_reasons = found.skipped_reasons
            for missing in found.missing:
                report.items.append(IngestItem(source=missing, status="failed", reason="no such file or folder"))
            max_bytes = int(self.settings.max_file_mb * 1_000_000)
            state = {"files": 0, "name": ""}
            counted = _CountingEmbedder(embedder)

            def report_progress(items: list[IngestItem]) -> None:
                if progress:
                    elapsed = time.perf_counter() - started
                    articles = len(report.items) - len(found.missing)
                    progress(
                        IngestProgress(
                            state["files"], len(found.files), articles, elapsed, state["name"], items, *counted.counts()
                        )
                    )

            queue = _StoreQueue(self.store, waiting=(lambda: report_progress([])) if progress else None)
            for i, path in enumerate(found.files):
                name = (names or {}).get(str(path)) or _display_path(path)
                state["name"] = name
                items = self._ingest_file(path, name, max_bytes, queue, counted)
                report.items += items
                state["files"] = i + 1
                report_progress(items)
            queue.drain()
        report.seconds = time.perf_counter() - started
        return report

    def _ingest_file(
        self, path: Path, name: str, max_bytes: int, queue: _StoreQueue, embedder: _CountingEmbedder
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
        except Exception as exc:  # any other failure is this file's, not the run's
            return [IngestItem(source=name, status="failed", reason=_unexpected("reading", name, exc))]
        items = []
        for raw in raws:
            try:
                items.append(self._prepare_article(raw, queue, embedder))
            except AssistantError as exc:
                items.append(IngestItem(source=raw.source, status="failed", reason=str(exc), warnings=raw.warnings))
            except Exception as exc:  # cleaning, hashing, splitting one article
                reason = _unexpected("preparing", raw.source, exc)
                items.append(IngestItem(source=raw.source, status="failed", reason=reason, warnings=raw.warnings))
        return items

    def _prepare_article(self, raw: RawDocument, queue: _StoreQueue, embedder: _CountingEmbedder) -> IngestItem:
        article = clean(raw)
        if len(article.text.split()) < 3:
            raise LoadError("no article text left after removing page furniture (cookie banners, links...)")
        existing = self.store.find_by_hash(article.content_hash)
        pending = queue.by_hash.get(article.content_hash)
        if existing or pending:
            stored_source = self.store.document(existing).source if existing else pending.source
            note = None if stored_source == article.source else f"same text as {stored_source} (stored once)"
            doc_id = existing or pending.doc_id
            return IngestItem(raw.source, "unchanged", doc_id, article.title, 0, reason=note, warnings=article.warnings)
        previous = tuple(d for d in self.store.find_by_source(article.source) if d != article.doc_id)
        article.sentences = sentence_spans(article.text)
        article.quotes = extract_quotes(article.text, article.sentences)
        chunks = chunk_article(article, budget=self.settings.chunk_tokens)
        status = "replaced" if previous else "added"
        item = IngestItem(raw.source, status, article.doc_id, article.title, len(chunks), warnings=article.warnings)
        item.replaced_doc_id = previous[0] if previous else None
        queue.put(_Prepared(article, chunks, [embedder.submit(c.text) for c in chunks], previous, item))
        return item


def reembed(store: Store, model: MiniLM, workers: int = 0) -> None:
    """Recompute every vector of a store embedded by an earlier version (same weights, other
    arithmetic). The texts are kept, so nothing is lost; the model is recorded only at the
    end, so an interrupted run simply starts again next time."""
    chunks = list(store.chunk_texts())
    log.warning(
        "store %s was embedded with %s; re-embedding its %d chunks with %s (once)",
        store.directory,
        store.stale_model,
        len(chunks),
        MODEL_ID,
    )
    step = 256
    parts = (chunks[i : i + step] for i in range(0, len(chunks), step))
    _embed_in_order(
        model,
        workers,
        (([row.chunk_id for row, _ in part], [text for _, text in part]) for part in parts),
        store.replace_vectors,
        ahead=2,  # embedding keeps two steps ahead of writing
    )
    store.mark_model_current()


def rebuild_vectors(store: Store, model: MiniLM, workers: int = 0) -> int:
    """Embed every stored chunk again into an empty Chroma collection (the folder was lost or
    damaged; the texts of record are intact), ``BATCH_ARTICLES`` articles per write. Returns
    the number of vectors written."""
    written = 0

    def batches() -> Iterator[tuple[list[tuple[Article, list[Chunk]]], list[str]]]:
        batch: list[tuple[Article, list[Chunk]]] = []
        for article, chunks in store.stored_articles():
            batch.append((article, chunks))
            if len(batch) == BATCH_ARTICLES:
                yield batch, [c.text for _, cs in batch for c in cs]
                batch = []
        if batch:
            yield batch, [c.text for _, cs in batch for c in cs]

    def write(batch: list[tuple[Article, list[Chunk]]], vectors: list[list[float]]) -> None:
        nonlocal written
        additions, at = [], 0
        for article, chunks in batch:
            additions.append(Addition(article, chunks, vectors[at : at + len(chunks)]))
            at += len(chunks)
        store.write_vectors(additions)
        written += at

    _embed_in_order(model, workers, batches(), write, ahead=2)
    store.settle()
    return written


def _embed_in_order(
    model: MiniLM,
    workers: int,
    groups: Iterable[tuple[T, list[str]]],
    write: Callable[[T, list[list[float]]], None],
    ahead: int,
) -> None:
    """Embed each group's texts on every core and ``write`` the groups' vectors in order, the
    embedding kept ``ahead`` groups ahead of the writing (re-embedding and rebuilding a store)."""
    pending: deque[tuple[T, list[Future[np.ndarray]]]] = deque()

    def write_oldest() -> None:
        key, futures = pending.popleft()
        write(key, [f.result().tolist() for f in futures])

    with ParallelEmbedder(model, workers) as embedder:
        for key, texts in groups:
            pending.append((key, [embedder.submit(text) for text in texts]))
            if len(pending) > ahead:
                write_oldest()
        while pending:
            write_oldest()


def _unexpected(stage: str, source: str, exc: Exception) -> str:
    """The reason shown for a failure no check anticipated; the traceback goes to the log."""
    log.warning("unexpected error while %s %s", stage, source, exc_info=exc)
    return f"unexpected error while {stage} this file ({type(exc).__name__}: {exc}); please report it"


def _display_path(path: Path) -> str:
    """Relative to the working directory when inside it, else absolute: the article's source key
    (as valid text: bytes of a file name that are not UTF-8 show as U+FFFD)."""
    resolved = path.resolve()
    try:
        return display_name(resolved.relative_to(Path.cwd().resolve()))
    except ValueError:
        return display_name(resolved)
