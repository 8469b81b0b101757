"""The stock llama-index pipeline a user would otherwise build, kept only to measure against.

VectorStoreIndex over a Chroma collection, the same int8 MiniLM model run as shipped (float32
products, ONNX Runtime's default threading; ours computes in int8), llama-index's
``SentenceSplitter`` at 256 tokens with 20 overlapping (this reproduces the baseline the project
was specified against: 5,696 chunks for the BBC corpus), default metadata handling, and
Chroma's default distance. Like sentence-transformers, it silently cuts texts to the model's window;
``model.truncated`` counts how often. Its answer is the naive one: the sentence of the
top chunk closest to the question, abstaining below a cosine threshold.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..search.chroma import open_collection
from ..search.embedding import MiniLM
from ..text.sentences import sentence_spans


class StockPipeline:
    def __init__(
        self, store_dir: str | Path, chunk_size: int = 256, abstain_below: float = 0.0, chunk_overlap: int = 20
    ) -> None:
        from llama_index.core import StorageContext
        from llama_index.vector_stores.chroma import ChromaVectorStore

        from ..search.llama import MiniLMEmbedding

        collection = open_collection(store_dir, "stock")  # Chroma's default distance, as a stock user gets
        self.vector_store = ChromaVectorStore(chroma_collection=collection)
        self.storage = StorageContext.from_defaults(vector_store=self.vector_store)
        self.model = MiniLM(truncate_documents=True, int8_arithmetic=False)
        self.embed_model = MiniLMEmbedding(self.model)
        self.chunk_size = chunk_size
        self.chunk_overlap = chunk_overlap
        self.abstain_below = abstain_below
        self.index = None
        self.chunks = 0
        self.node_texts: list[str] = []

    def _splitter(self):
        from llama_index.core.node_parser import SentenceSplitter

        return SentenceSplitter(chunk_size=self.chunk_size, chunk_overlap=self.chunk_overlap)

    def ingest_documents(self, documents: list) -> int:
        """Index llama-index ``Document``s; returns the number of chunks."""
        from llama_index.core import VectorStoreIndex
        from llama_index.core.schema import MetadataMode

        nodes = self._splitter().get_nodes_from_documents(documents)
        # what the stock pipeline embeds: each chunk's text with its metadata (paths, dates) prepended
        self.node_texts = [n.get_content(metadata_mode=MetadataMode.EMBED) for n in nodes]
        self.index = VectorStoreIndex(
            nodes, storage_context=self.storage, embed_model=self.embed_model, show_progress=False
        )
        self.chunks += len(nodes)
        return len(nodes)

    def ingest_dir(self, path: str | Path) -> int:
        """What the tutorials do: ``SimpleDirectoryReader`` (which drops undecodable bytes) + index."""
        from llama_index.core import SimpleDirectoryReader

        documents = SimpleDirectoryReader(str(path), recursive=True, required_exts=[".txt"]).load_data()
        return self.ingest_documents(documents)

    def retrieve(self, question: str, k: int = 10) -> list[tuple[str, float]]:
        """(chunk text, similarity) of the top ``k`` chunks."""
        nodes = self.index.as_retriever(similarity_top_k=k).retrieve(question)
        return [(n.node.get_content(), float(n.score or 0.0)) for n in nodes]

    def answer(self, question: str) -> tuple[str, bool, float]:
        """(sentence, abstained, top cosine): the top chunk's sentence closest to the question."""
        top = self.retrieve(question, 1)
        if not top:
            return "", True, 0.0
        text, _ = top[0]
        q = np.asarray(self.embed_model.get_query_embedding(question))
        chunk_cos = float(q @ np.asarray(self.model.embed(text, allow_truncation=True)))
        sentences = [text[s:e] for s, e in sentence_spans(text)] or [text]
        scores = [float(q @ np.asarray(self.model.embed(s, allow_truncation=True))) for s in sentences]
        best = sentences[int(np.argmax(scores))]
        return best, chunk_cos < self.abstain_below, chunk_cos
