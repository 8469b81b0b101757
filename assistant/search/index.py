"""The search index: the store plus everything derived from it that questions need, kept in step
with the store. It is also the corpus answer engines read (``answering.base.Corpus``).

- The keyword index (BM25, word pairs, name variants) is a base plus small deltas, saved beside
  the store (``keyword_segments``): a process seeing a new store generation opens what is saved
  (memory-mapped) and tokenises only the chunks added since, never the whole corpus again.
- While a writer (ingest, remove) is running in this process, the last index serves for up to
  ``REBUILD_WHILE_INGESTING_S``, so questions keep being answered during an upload; the search
  only scores chunks that still have an article, so a stale index never cites a removed one.
- Article texts, passages and passage vectors are cached per index, never per process: two
  assistants on two stores never see each other's caches.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Iterator
from contextlib import contextmanager
from typing import Generic, TypeVar

from ..config import SearchSettings
from ..models import ChunkRow, DocumentInfo, QuoteRow, SearchFilter
from ..text.passages import Passage, split_passages
from .bm25 import KeywordIndex
from .embedding import MiniLM
from .keyword_segments import KeywordSegments
from .people import PeopleDirectory, attribute_roles
from .retrieval import HybridSearcher, Retrieval
from .store import Store

log = logging.getLogger(__name__)

REBUILD_WHILE_INGESTING_S = 10.0
CACHED_DOCS = 16384  # articles whose texts and passages stay in memory
CACHED_PASSAGE_VECTORS = 20_000

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
R = TypeVar("R", ChunkRow, QuoteRow)


class _LRU(Generic[K, V]):
    """A small thread-safe least-recently-used cache owned by one index."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: K, compute: Callable[[], V]) -> V:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = compute()
        with self._lock:
            self._items[key] = value
            if len(self._items) > self.size:
                self._items.popitem(last=False)
        return value

    def discard(self, predicate: Callable[[K], bool]) -> None:
        with self._lock:
            for key in [k for k in self._items if predicate(k)]:
                del self._items[key]


class _ByArticle(Generic[R]):
    """Rows the store holds per article (chunks, statements), kept across store changes: an
    article never changes (its id is its content hash), so after a change only the articles
    added since are read, and removed ones dropped. At 22,000 articles re-reading every row after
    each change took seconds, over HTTP on a Chroma server many more."""

    def __init__(self, read: Callable[[set[str]], Iterable[R]]) -> None:
        self._read = read
        self._rows: dict[str, list[R]] = {}

    def update(self, stored: set[str]) -> int:
        """Bring the rows up to the articles ``stored``; returns how many articles were read."""
        for gone in self._rows.keys() - stored:
            del self._rows[gone]
        added = stored - self._rows.keys()
        if added:
            for doc_id in added:
                self._rows[doc_id] = []
            for row in self._read(added):
                self._rows[row.doc_id].append(row)
        return len(added)

    def rows(self) -> list[R]:
        """Every row, by article, in the order the store gave them."""
        return [row for doc_id in sorted(self._rows) for row in self._rows[doc_id]]


class SearchIndex:
    """Searches the store and serves engines the articles, passages and statistics they read."""

    def __init__(self, store: Store, model: MiniLM, settings: SearchSettings) -> None:
        self.store = store
        self.model = model
        self.settings = settings
        self._lock = threading.RLock()
        self._writers = 0
        self._built_at = 0.0
        self._generation = -1
        self._keyword: KeywordIndex | None = None
        self.keyword_segments = KeywordSegments(store)  # how the keyword index is kept up to date
        self.refresh_seconds = 0.0  # the last update after a store change: chunk rows, keyword index, searcher
        self._searcher: HybridSearcher | None = None
        self._texts: _LRU[str, str] = _LRU(CACHED_DOCS)
        self._infos: _LRU[str, DocumentInfo] = _LRU(CACHED_DOCS)
        self._passages: _LRU[str, tuple[Passage, ...]] = _LRU(CACHED_DOCS)
        self._vectors: _LRU[str, tuple[float, ...]] = _LRU(CACHED_PASSAGE_VECTORS)
        self._people: tuple[int, PeopleDirectory] | None = None
        self._groups: tuple[int, dict[str, tuple[str, ...]]] | None = None
        self._quotes: _ByArticle[QuoteRow] = _ByArticle(store.quote_rows)  # what ``people`` is built from
        self._chunks: _ByArticle[ChunkRow] = _ByArticle(store.chunk_rows)  # what the keyword index covers

    # --- what engines read (the Corpus protocol) ------------------------------------------
    @property
    def keyword(self) -> KeywordIndex:
        return self._current()[0]

    def document(self, doc_id: str) -> DocumentInfo:
        return self._infos.get(doc_id, lambda: self.store.document(doc_id))

    def document_text(self, doc_id: str) -> str:
        """The cleaned text of record that citation offsets index into (articles are immutable:
        their id is their content hash, so caching by id is safe)."""
        return self._texts.get(doc_id, lambda: self.store.document_text(doc_id))

    def passages(self, doc_id: str) -> tuple[Passage, ...]:
        """The article split into citable passages with their speakers."""
        return self._passages.get(
            doc_id,
            lambda: split_passages(doc_id, self.document_text(doc_id), self.store.document_sentences(doc_id)),
        )

    def passage_vector(self, doc_id: str, start: int, end: int) -> tuple[float, ...]:
        """Embedding of ``document_text(doc_id)[start:end]``, cached by text."""
        text = self.document_text(doc_id)[start:end]
        return self._vectors.get(text, lambda: tuple(self.model.embed(text, allow_truncation=True)))

    def size(self) -> int:
        return self.store.count()

    def query_vector(self, text: str) -> tuple[float, ...]:
        """The embedding of a question or a topic, cached."""
        return self._vectors.get(("query", text), lambda: tuple(self.model.query_vector(text)))

    def copies(self, doc_id: str) -> tuple[str, ...]:
        """The other articles of ``doc_id``'s syndication group (near-duplicates found at
        ingest, ``ingest.dedup``), or () when it has none."""
        with self._lock:
            generation = self.store.generation
            if self._groups is None or self._groups[0] != generation:
                from ..ingest.dedup import groups

                self._groups = (generation, groups((a, b) for a, b, _ in self.store.duplicate_pairs()))
            return tuple(d for d in self._groups[1].get(doc_id, ()) if d != doc_id)

    def passages_like(self, text: str, n: int = 5, ratio: float = 0.5) -> list[tuple[str, int, int]]:
        """The chunks (doc id, start, end) sharing most word pairs with ``text``, scoring at least
        ``ratio`` of the best (the passage's own chunk): where another article reprinting the
        passage would have it."""
        return self._current()[1].keyword_chunks(text, n, ratio)

    @property
    def people(self) -> PeopleDirectory:
        """Everyone the articles quote, with their statements (rebuilt when the store changes,
        reading only the statements of articles added since: at 22,000 articles reading and
        parsing all 130,000 took longer than the rest of the build)."""
        with self._lock:
            generation = self.store.generation
            if self._people is None or self._people[0] != generation:
                started = time.perf_counter()
                added = self._quotes.update(self.store.doc_ids())
                from ..answering.quoted import statement_groups  # (the answering layer reads this one)

                rows = attribute_roles(self._quotes.rows(), self.document_text)
                names = self._current()[0].names
                self._people = (
                    generation,
                    PeopleDirectory(
                        rows, lambda quotes: statement_groups(quotes, self), names.mostly_lower_case, self.document_text
                    ),
                )
                log.info(
                    "people directory built in %.3fs (statements of %d articles read)",
                    time.perf_counter() - started,
                    added,
                )
            return self._people[1]

    # --- searching ------------------------------------------------------------------------
    def search(self, question: str, k: int | None = None, filters: SearchFilter | None = None) -> Retrieval:
        """The top ``k`` chunks for ``question`` among those ``filters`` allows."""
        k = k or self.settings.top_k
        if filters is not None and (filters.doc_ids == frozenset() or filters.outlets == frozenset()):
            return Retrieval(question, [], filters=filters)  # a filter that allows nothing finds nothing
        return self._current()[1].search(question, k, filters)

    # --- keeping up with the store --------------------------------------------------------
    @contextmanager
    def writing(self) -> Iterator[None]:
        """Mark a write (ingest, remove) in progress in this process: the last index keeps
        serving questions meanwhile; afterwards the index is brought up to date and saved, so
        the next question (in any process) does not pay for the rebuild."""
        with self._lock:
            self._writers += 1
        try:
            yield
        finally:
            with self._lock:
                self._writers -= 1
        self.refresh()

    def forget(self, doc_id: str) -> None:
        """Drop what this index cached about a removed article."""
        self._texts.discard(lambda key: key == doc_id)
        self._infos.discard(lambda key: key == doc_id)
        self._passages.discard(lambda key: key == doc_id)

    def invalidate(self) -> None:
        """Rebuild before the next search (an article changed under a question being answered)."""
        with self._lock:
            self._generation = -1
            self._built_at = 0.0

    def refresh(self) -> None:
        """Bring the keyword index up to the store's generation now (after this process wrote:
        it also merges segments when they outgrow their bound, and saves the index)."""
        with self._lock:
            if self._writers == 0:
                self._current(writer=True)

    def warm_up(self) -> None:
        """Load the model and the index and split every article into passages now, rather than
        on the first questions (a server does this once at start-up)."""
        self._current()
        self.model.query_vector("warm up")
        _ = self.people
        for info in self.store.documents()[:CACHED_DOCS]:
            self.passages(info.doc_id)

    def _current(self, writer: bool = False) -> tuple[KeywordIndex, HybridSearcher]:
        with self._lock:
            generation = self.store.generation
            changed = self._searcher is None or self._generation != generation
            recent = time.monotonic() - self._built_at < REBUILD_WHILE_INGESTING_S
            if changed and not (self._writers and self._searcher is not None and recent):
                started = time.perf_counter()
                self.store.open_vectors_in_background()  # the dense search will need it next
                self._chunks.update(self.store.doc_ids())  # only new articles' chunks are read
                rows = sorted(self._chunks.rows(), key=lambda row: row.chunk_id)
                self._keyword = self.keyword_segments.update(generation, rows, save=not self._writers, writer=writer)
                row_of = self._keyword.row_of  # a chunk the index could not read (removed meanwhile) is left out
                self._searcher = HybridSearcher(
                    self.store,
                    self._keyword,
                    {row.chunk_id: row for row in rows if row.chunk_id in row_of},
                    self.model,
                    self.document_text,
                    self.passages,
                    self.settings,
                )
                self._generation = generation
                self._built_at = time.monotonic()
                self.refresh_seconds = time.perf_counter() - started
            assert self._keyword is not None and self._searcher is not None
            return self._keyword, self._searcher
