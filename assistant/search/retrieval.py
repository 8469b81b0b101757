"""Hybrid retrieval: BM25 (with word pairs) and dense MiniLM similarity, fused by score.

BM25 catches exact names, numbers and rare words the small embedding model blurs; the
dense side catches paraphrase. Candidates from both searches are scored together:

    score = keyword_weight * bm25 / max bm25 + dense_weight * cosine
          + bigram_weight * pair-bm25 / max + passage_weight * best passage coverage

where *best passage coverage* is the idf-weighted share of the question's words found in
the chunk's best single passage (answers sit in one sentence, not spread over a chunk).
Score fusion beat reciprocal-rank fusion on the SQuAD dev split (hit@1 0.81 vs 0.78 before
the pair and passage features, 0.85 with them; docs/BENCHMARKS.md). Misspelt names are
mapped to their corpus spelling on both sides. A ``SearchFilter`` is applied inside both
searches (a mask on the BM25 scores; on the vectors Chroma's ``where=``, or, for a filter
that lets a large share of the chunks through, an unfiltered search taken deep enough to hold
the ``candidates`` best in-filter chunks: Chroma's ``where=`` costs time in proportion to the
chunks it lets through, 39 ms for a 1,066-article ``$in`` on BBC against 3 ms for 200
unfiltered neighbours; see ``_dense``).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from ..config import SearchSettings
from ..models import ChunkRow, SearchFilter
from ..text.dates import asks_for_latest, from_day_number
from ..text.passages import Passage
from .bm25 import KeywordIndex, TermGroup, idf_coverage
from .embedding import MiniLM
from .store import Store


def _ordinal(day: int) -> int:
    """A YYYYMMDD day as a count of days (0 for unknown), so spans are measured in days."""
    found = from_day_number(day)
    return found.toordinal() if found else 0


@dataclass
class RetrievedChunk:
    chunk_id: str
    doc_id: str
    start: int
    end: int
    text: str
    score: float  # fused
    dense: float = 0.0  # cosine similarity


@dataclass
class Retrieval:
    """What a search returned, with what it searched for (reused by the answer engine)."""

    question: str
    chunks: list[RetrievedChunk]
    groups: list[TermGroup] = field(default_factory=list)
    query_vector: list[float] = field(default_factory=list)
    timings_ms: dict[str, float] = field(default_factory=dict)
    filters: SearchFilter | None = None  # what the search was restricted to (answers keep to it too)
    # a follow-up about "the row": the articles the conversation's latest answer quoted (the story it is on)
    conversation: tuple[str, ...] = ()


# A filtered vector search ranks the chunks unfiltered, ``OVERFETCH`` times deeper than the
# filter's share of the chunks needs, and masks (``_dense``), when that depth is at most
# ``MAX_DEPTH``; a narrower filter goes to Chroma's ``where=``. On BBC + seeds (6,830 chunks) an
# unfiltered search of 1,700 took 13 ms at p50 against 16 ms for a 403-article ``$in``; at
# OVERFETCH 6, 5 of 109 questions with that filter found too few allowed chunks (36 at 2).
OVERFETCH = 6.0
MAX_DEPTH = 1500
MASKS_KEPT = 8  # filters whose chunk masks a searcher keeps (a page or bot repeats its filter)
PASSAGE_CANDIDATES = 16  # chunks whose passages are scored against the question
# "latest"/"most recent"/"now" questions: the newest dated article among the candidates gains
# this much (the oldest none, undated ones none), on a fused score whose parts are each 0..1
RECENCY_WEIGHT = 0.3


class HybridSearcher:
    """Runs both searches and fuses their scores over one snapshot of the keyword index."""

    def __init__(
        self,
        store: Store,
        keyword: KeywordIndex,
        rows: dict[str, ChunkRow],
        model: MiniLM,
        document_text: Callable[[str], str],
        passages: Callable[[str], tuple[Passage, ...]],
        settings: SearchSettings,
    ) -> None:
        self.store = store
        self.keyword = keyword
        self.rows = rows  # chunk_id -> where the chunk sits; a chunk missing here is never returned
        self.model = model
        self.document_text = document_text
        self.passages = passages
        self.settings = settings
        self._row_list = [rows.get(cid) for cid in keyword.chunk_ids]
        # per keyword row, its article's position in ``_docs`` (len(_docs): a row with no chunk):
        # a filter is then judged once per article, not once per chunk
        self._docs = sorted({(r.doc_id, r.outlet, r.published_day) for r in rows.values()})
        position = {doc[0]: i for i, doc in enumerate(self._docs)}
        self._row_doc = np.fromiter(
            (len(self._docs) if r is None else position[r.doc_id] for r in self._row_list),
            dtype=np.int64,
            count=len(self._row_list),
        )
        self._masks: dict[SearchFilter, np.ndarray] = {}

    def search(self, question: str, k: int, filters: SearchFilter | None = None) -> Retrieval:
        s = self.settings
        t0 = time.perf_counter()
        groups = self.keyword.term_groups(question)
        weighted = self.keyword.weighted_terms(groups)
        bm25 = self.keyword.scores(weighted)
        pairs = self.keyword.bigram_scores(question)
        if filters is not None and not filters.empty:
            mask = self._mask(filters)
            bm25, pairs = bm25 * mask, pairs * mask
        t1 = time.perf_counter()
        query_vector = self.model.query_vector(self.keyword.normalise_question(question))
        dense = self._dense(
            query_vector, s.candidates, filters, mask if filters is not None and not filters.empty else None
        )
        t2 = time.perf_counter()

        n = s.candidates
        keyword_top = [self.keyword.chunk_ids[i] for i in np.argsort(-bm25)[:n] if bm25[i] > 0]
        missing = [c for c in keyword_top if c not in dense]
        q = np.asarray(query_vector)
        for cid, vector in self.store.embeddings(missing).items():
            dense[cid] = float(q @ np.asarray(vector))
        bm25_max = float(bm25.max()) if bm25.size and bm25.max() > 0 else 1.0
        pairs_max = float(pairs.max()) if pairs.size and pairs.max() > 0 else 1.0
        scored: list[RetrievedChunk] = []
        for cid, cosine in dense.items():
            row = self.rows.get(cid)
            if row is None:  # a vector whose article is gone: never cite it
                continue
            i = self.keyword.row_of[cid]
            score = (
                s.keyword_weight * float(bm25[i]) / bm25_max
                + s.dense_weight * cosine
                + s.bigram_weight * float(pairs[i]) / pairs_max
            )
            text = self.document_text(row.doc_id)[row.start : row.end]
            scored.append(RetrievedChunk(cid, row.doc_id, row.start, row.end, text, score, cosine))
        if asks_for_latest(question):
            self._prefer_recent(scored)
        # the passage feature is the costly one: only the best candidates so far get it
        scored.sort(key=lambda c: (-c.score, c.chunk_id))
        if groups and s.passage_weight:
            for c in scored[: max(k, PASSAGE_CANDIDATES)]:
                c.score += s.passage_weight * self._best_passage_coverage(groups, c)
        scored.sort(key=lambda c: (-c.score, c.chunk_id))
        timings = {
            "keyword": (t1 - t0) * 1000,
            "dense": (t2 - t1) * 1000,
            "fuse": (time.perf_counter() - t2) * 1000,
        }
        return Retrieval(question, scored[:k], groups, query_vector, timings, filters)

    def keyword_chunks(self, text: str, n: int, ratio: float = 0.0) -> list[tuple[str, int, int]]:
        """The ``n`` chunks sharing most word pairs with ``text`` (doc id, start, end), each
        scoring at least ``ratio`` of the best: where a reprint of a passage would sit, found
        without the embedding model."""
        pairs = self.keyword.bigram_scores(text)
        if not pairs.size or pairs.max() <= 0:
            return []
        floor = max(ratio * float(pairs.max()), 1e-9)
        top = np.argpartition(-pairs, min(n, pairs.size - 1))[:n] if pairs.size > n else np.arange(pairs.size)
        out = []
        for i in sorted(top, key=lambda i: -pairs[i]):
            row = self._row_list[i]
            if pairs[i] >= floor and row is not None:
                out.append((row.doc_id, row.start, row.end))
        return out

    def _prefer_recent(self, scored: list[RetrievedChunk]) -> None:
        """Newer articles first, other things equal: a boost growing with the publication day
        across the dated candidates (by days between the oldest and the newest)."""
        days = {c.chunk_id: _ordinal(self.rows[c.chunk_id].published_day) for c in scored}
        dated = [d for d in days.values() if d]
        if not dated or max(dated) == min(dated):
            return
        low, span = min(dated), max(dated) - min(dated)
        for c in scored:
            if days[c.chunk_id]:
                c.score += RECENCY_WEIGHT * (days[c.chunk_id] - low) / span

    def _mask(self, filters: SearchFilter) -> np.ndarray:
        """1.0 for each keyword row ``filters`` allows, else 0.0 (kept for the last few filters)."""
        mask = self._masks.get(filters)
        if mask is None:
            allowed = np.fromiter(
                (filters.allows_document(*doc) for doc in self._docs), dtype=bool, count=len(self._docs)
            )
            mask = np.append(allowed, False)[self._row_doc].astype(np.float32)
            if len(self._masks) >= MASKS_KEPT:
                self._masks = {}  # replaced, not emptied in place: another thread may be reading it
            self._masks[filters] = mask
        return mask

    def _dense(
        self, query_vector: list[float], n: int, filters: SearchFilter | None, mask: np.ndarray | None
    ) -> dict[str, float]:
        """The ``n`` nearest chunks ``filters`` allows, as chunk id -> cosine. A filter letting
        through a large share of the chunks is searched without ``where=``, ``OVERFETCH`` times
        deeper than that share needs (at most ``MAX_DEPTH``), and masked: the first ``n``
        allowed chunks of an unfiltered ranking are the ``n`` nearest allowed ones. When fewer
        than ``n`` are found that deep (the question's neighbours lie outside the filter), it
        searches with ``where=`` after all, so the result is never short."""
        if mask is None:
            return dict(self.store.dense_search(query_vector, n))
        allowed = int(mask.sum())
        if allowed == 0:
            return {}
        depth = int(n * mask.size / allowed * OVERFETCH) + 1
        if depth <= MAX_DEPTH:
            inside: dict[str, float] = {}
            ranked = self.store.dense_search(query_vector, depth)
            for cid, cosine in ranked:
                i = self.keyword.row_of.get(cid)
                if i is not None and mask[i]:
                    inside[cid] = cosine
                    if len(inside) == n:
                        return inside
            if len(ranked) < depth:  # every vector was ranked: there are no more allowed ones
                return inside
        return dict(self.store.dense_search(query_vector, n, filters))

    def _best_passage_coverage(self, groups: list[TermGroup], chunk: RetrievedChunk) -> float:
        best = 0.0
        for p in self.passages(chunk.doc_id):
            if p.end > chunk.start and p.start < chunk.end:
                best = max(best, idf_coverage(groups, p.terms))
        return best
