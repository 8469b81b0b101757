"""Hybrid retrieval: BM25 (with word pairs) and dense MiniLM similarity, fused by score.

BM25 catches exact names, numbers and rare words the small embedding model blurs; the
dense side catches paraphrase. Candidates from both searches are scored together:

    score = keyword_weight * bm25 / max bm25 + dense_weight * cosine
          + bigram_weight * pair-bm25 / max + passage_weight * best passage coverage

where *best passage coverage* is the idf-weighted share of the question's words found in
the chunk's best single passage (answers sit in one sentence, not spread over a chunk).
Score fusion beat reciprocal-rank fusion on the SQuAD dev split (hit@1 0.81 vs 0.78 before
the pair and passage features, 0.85 with them; docs/BENCHMARKS.md). Misspelt names are
mapped to their corpus spelling on both sides.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from llama_index.core.retrievers import BaseRetriever
from llama_index.core.schema import NodeWithScore, QueryBundle, TextNode

from .embedding import MiniLMEmbedding
from .keyword import KeywordIndex, TermGroup
from .passages import passages_of
from .store import Store


@dataclass
class RetrievedChunk:
    chunk_id: str
    doc_id: str
    start: int
    end: int
    text: str
    score: float  # fused
    dense: float = 0.0  # cosine similarity
    keyword: float = 0.0  # BM25
    rank: int = 0


@dataclass
class Retrieval:
    """What a search returned, with what it searched for (reused by the answer engine)."""

    question: str
    dense_question: str
    terms: dict[str, float]
    chunks: list[RetrievedChunk]
    groups: list[TermGroup] = field(default_factory=list)
    query_vector: list[float] = field(default_factory=list)
    timings_ms: dict[str, float] = field(default_factory=dict)


PASSAGE_CANDIDATES = 16  # chunks whose passages are scored against the question


class HybridSearcher:
    """Runs both searches and fuses their scores; needs a keyword index matching the store."""

    def __init__(
        self,
        store: Store,
        keyword: KeywordIndex,
        chunk_rows: dict[str, tuple[str, int, int, str]],
        embed_model: MiniLMEmbedding,
        document_text: Callable[[str], str],
        *,
        candidates: int = 40,
        dense_weight: float = 1.0,
        keyword_weight: float = 1.0,
        bigram_weight: float = 0.25,
        passage_weight: float = 1.0,
    ) -> None:
        self.store = store
        self.keyword = keyword
        self.chunk_rows = chunk_rows  # chunk_id -> (doc_id, start, end, text)
        self.embed_model = embed_model
        self.document_text = document_text
        self.candidates = candidates
        self.dense_weight = dense_weight
        self.keyword_weight = keyword_weight
        self.bigram_weight = bigram_weight
        self.passage_weight = passage_weight

    def search(self, question: str, k: int) -> Retrieval:
        t0 = time.perf_counter()
        groups = self.keyword.term_groups(question)
        weighted = self.keyword.weighted_terms(groups)
        dense_question = self.keyword.normalise_question(question)
        bm25 = self.keyword.scores(weighted)
        pairs = self.keyword.bigram_scores(question)
        t1 = time.perf_counter()
        query_vector = self.embed_model.get_query_embedding(dense_question)
        dense = dict(self.store.dense_search(query_vector, self.candidates))
        t2 = time.perf_counter()

        n = self.candidates
        keyword_top = [self.keyword.chunk_ids[i] for i in np.argsort(-bm25)[:n] if bm25[i] > 0]
        missing = [c for c in keyword_top if c not in dense]
        q = np.asarray(query_vector)
        for cid, vector in self.store.embeddings(missing).items():
            dense[cid] = float(q @ np.asarray(vector))
        bm25_max = float(bm25.max()) if bm25.size and bm25.max() > 0 else 1.0
        pairs_max = float(pairs.max()) if pairs.size and pairs.max() > 0 else 1.0
        scored: list[RetrievedChunk] = []
        for cid, cosine in dense.items():
            if cid not in self.chunk_rows:  # a vector whose article is gone: never cite it
                continue
            row = self.keyword.row_of[cid]
            doc_id, start, end, text = self.chunk_rows[cid]
            score = (
                self.keyword_weight * float(bm25[row]) / bm25_max
                + self.dense_weight * cosine
                + self.bigram_weight * float(pairs[row]) / pairs_max
            )
            scored.append(RetrievedChunk(cid, doc_id, start, end, text, score, cosine, float(bm25[row])))
        # the passage feature is the costly one: only the best candidates so far get it
        scored.sort(key=lambda c: (-c.score, c.chunk_id))
        total_idf = sum(g.idf for g in groups) or 1.0
        if groups and self.passage_weight:
            for c in scored[: max(k, PASSAGE_CANDIDATES)]:
                c.score += self.passage_weight * self._best_passage_coverage(
                    groups, c.doc_id, c.start, c.end, total_idf
                )
        scored.sort(key=lambda c: (-c.score, c.chunk_id))
        chunks = scored[:k]
        for rank, chunk in enumerate(chunks):
            chunk.rank = rank
        timings = {
            "keyword": (t1 - t0) * 1000,
            "dense": (t2 - t1) * 1000,
            "fuse": (time.perf_counter() - t2) * 1000,
        }
        return Retrieval(question, dense_question, weighted, chunks, groups, query_vector, timings)

    def _best_passage_coverage(self, groups: list[TermGroup], doc_id: str, start: int, end: int, total: float) -> float:
        best = 0.0
        for p in passages_of(doc_id, self.document_text(doc_id)):
            if p.end > start and p.start < end:
                best = max(best, sum(g.idf * g.found_in(p.terms) for g in groups) / total)
        return best


class HybridRetriever(BaseRetriever):
    """The same search as a llama-index retriever, for pipelines built on llama-index."""

    def __init__(self, searcher: HybridSearcher, top_k: int = 8) -> None:
        super().__init__()
        self._searcher = searcher
        self._top_k = top_k

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        result = self._searcher.search(query_bundle.query_str, self._top_k)
        return [
            NodeWithScore(
                node=TextNode(
                    id_=c.chunk_id,
                    text=c.text,
                    start_char_idx=c.start,
                    end_char_idx=c.end,
                    metadata={"doc_id": c.doc_id},
                ),
                score=c.score,
            )
            for c in result.chunks
        ]
