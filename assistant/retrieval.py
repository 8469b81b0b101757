"""Hybrid retrieval: dense (MiniLM in Chroma) and BM25, fused by weighted reciprocal rank.

BM25 catches exact names, numbers and rare words the small embedding model blurs; the
dense side catches paraphrase. Misspelt names are mapped to their corpus spelling on
both sides (variant terms for BM25, a corrected question for the embedding).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from llama_index.core.retrievers import BaseRetriever
from llama_index.core.schema import NodeWithScore, QueryBundle, TextNode

from .embedding import MiniLMEmbedding
from .keyword import KeywordIndex
from .store import Store


@dataclass
class RetrievedChunk:
    chunk_id: str
    doc_id: str
    start: int
    end: int
    text: str
    score: float  # fused
    dense: float | None = None  # cosine similarity, if the dense side found it
    keyword: float | None = None  # BM25, if the keyword side found it
    rank: int = 0


@dataclass
class Retrieval:
    """What a search returned, with what it searched for (reused by the answer engine)."""

    question: str
    dense_question: str
    terms: dict[str, float]
    chunks: list[RetrievedChunk]
    timings_ms: dict[str, float] = field(default_factory=dict)


class HybridSearcher:
    """Runs both searches and fuses them; needs a keyword index matching the store."""

    def __init__(
        self,
        store: Store,
        keyword: KeywordIndex,
        chunk_rows: dict[str, tuple[str, int, int, str]],
        embed_model: MiniLMEmbedding,
        *,
        candidates: int = 40,
        dense_weight: float = 1.0,
        keyword_weight: float = 1.0,
        rrf_k: int = 60,
    ) -> None:
        self.store = store
        self.keyword = keyword
        self.chunk_rows = chunk_rows  # chunk_id -> (doc_id, start, end, text)
        self.embed_model = embed_model
        self.candidates = candidates
        self.dense_weight = dense_weight
        self.keyword_weight = keyword_weight
        self.rrf_k = rrf_k

    def search(self, question: str, k: int) -> Retrieval:
        t0 = time.perf_counter()
        weighted = self.keyword.query_terms(question)
        dense_question = self.keyword.normalise_question(question)
        t1 = time.perf_counter()
        sparse = self.keyword.search(weighted, self.candidates)
        t2 = time.perf_counter()
        dense = self.store.dense_search(self.embed_model.get_query_embedding(dense_question), self.candidates)
        t3 = time.perf_counter()
        fused: dict[str, float] = {}
        dense_score = dict(dense)
        keyword_score = dict(sparse)
        for weight, ranking in ((self.dense_weight, dense), (self.keyword_weight, sparse)):
            for rank, (cid, _) in enumerate(ranking):
                fused[cid] = fused.get(cid, 0.0) + weight / (self.rrf_k + rank + 1)
        best = sorted(fused, key=lambda c: (-fused[c], c))[:k]
        chunks = []
        for rank, cid in enumerate(best):
            if cid not in self.chunk_rows:  # vector present but article gone: skip, never cite it
                continue
            doc_id, start, end, text = self.chunk_rows[cid]
            chunks.append(
                RetrievedChunk(
                    cid, doc_id, start, end, text, fused[cid], dense_score.get(cid), keyword_score.get(cid), rank
                )
            )
        timings = {
            "terms": (t1 - t0) * 1000,
            "keyword": (t2 - t1) * 1000,
            "dense": (t3 - t2) * 1000,
            "fuse": (time.perf_counter() - t3) * 1000,
        }
        return Retrieval(question, dense_question, weighted, chunks, timings)


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
