"""The protocol every answer engine follows, so the extractive default and later generative
engines plug into ``Assistant`` the same way."""

from __future__ import annotations

from typing import Protocol

from ..keyword import KeywordIndex
from ..models import Answer, DocumentInfo
from ..retrieval import Retrieval


class Corpus(Protocol):
    """What an engine may read: documents by id, and corpus statistics."""

    keyword: KeywordIndex

    def document(self, doc_id: str) -> DocumentInfo: ...

    def document_text(self, doc_id: str) -> str: ...

    def size(self) -> int: ...

    def passage_vector(self, doc_id: str, start: int, end: int) -> tuple[float, ...]:
        """The embedding of ``document_text(doc_id)[start:end]`` (cached)."""
        ...


class AnswerEngine(Protocol):
    name: str

    def answer(self, question: str, interpreted: str, retrieval: Retrieval, corpus: Corpus) -> Answer:
        """Answer ``interpreted`` (the standalone form of ``question``) from ``retrieval``.

        Every citation must quote ``corpus.document_text(doc_id)[start:end]`` exactly;
        with no support in the articles, return an answer with ``abstained=True``.
        """
        ...
