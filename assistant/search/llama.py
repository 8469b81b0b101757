"""The seams with llama-index, imported only where they are used (ingest writes, ``as_retriever``,
the stock baseline), so answering a question never pays llama-index's import time:

- ``chunk_nodes``: chunks as ``TextNode``s for ``ChromaVectorStore``, which writes them;
- ``MiniLMEmbedding``: our MiniLM as a llama-index ``BaseEmbedding``;
- ``HybridRetriever``: our hybrid search as a llama-index ``BaseRetriever``.
"""

from __future__ import annotations

from typing import Any

from llama_index.core.base.embeddings.base import BaseEmbedding
from llama_index.core.retrievers import BaseRetriever
from llama_index.core.schema import NodeRelationship, NodeWithScore, QueryBundle, RelatedNodeInfo, TextNode
from pydantic import PrivateAttr

from ..models import Article, Chunk, SearchFilter
from .embedding import MODEL_ID, MiniLM
from .store import published_day

_METADATA_KEYS = ["doc_id", "seq", "title", "source", "outlet", "published_day"]


def chunk_nodes(article: Article, chunks: list[Chunk], embeddings: list[list[float]]) -> list[TextNode]:
    """One node per chunk, with its vector and the metadata searches filter on."""
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
                    # YYYYMMDD, 0 unknown: Chroma's range filters compare numbers only
                    "published_day": published_day(article),
                },
                # The vectors embed the chunk text alone: metadata (paths, titles) is kept out.
                excluded_embed_metadata_keys=_METADATA_KEYS,
                excluded_llm_metadata_keys=["doc_id", "seq", "source", "published_day"],
                relationships={NodeRelationship.SOURCE: RelatedNodeInfo(node_id=article.doc_id)},
            )
        )
    return nodes


class MiniLMEmbedding(BaseEmbedding):
    """``embedding.MiniLM`` behind llama-index's embedding interface."""

    model_name: str = MODEL_ID
    embed_batch_size: int = 1
    _model: MiniLM = PrivateAttr()

    def __init__(self, model: MiniLM | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._model = model or MiniLM()

    @classmethod
    def class_name(cls) -> str:
        return "MiniLMEmbedding"

    @property
    def model(self) -> MiniLM:
        return self._model

    def _get_query_embedding(self, query: str) -> list[float]:
        return self._model.query_vector(query)

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._model.embed(text)

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return [self._model.embed(t) for t in texts]


class HybridRetriever(BaseRetriever):
    """The hybrid search as a llama-index retriever, for pipelines built on llama-index."""

    def __init__(self, index: Any, top_k: int = 8, filters: SearchFilter | None = None) -> None:
        super().__init__()
        self._index = index  # a search.index.SearchIndex
        self._top_k = top_k
        self._filters = filters

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        result = self._index.search(query_bundle.query_str, self._top_k, self._filters)
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
