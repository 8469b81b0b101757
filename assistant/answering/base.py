"""The protocol every answer engine follows, and the corpus it reads, so the extractive default
and later generative engines plug in the same way. An engine never sees the ``Assistant``:
it reads the search index (``search.index.SearchIndex`` implements ``Corpus``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # for annotations only: importing the protocol loads no search machinery
    from ..models import Answer, DocumentInfo
    from ..search.bm25 import KeywordIndex
    from ..search.people import PeopleDirectory
    from ..search.retrieval import Retrieval
    from ..text.passages import Passage


class Corpus(Protocol):
    """What an engine may read: articles by id, their passages, and corpus statistics."""

    @property
    def keyword(self) -> KeywordIndex: ...

    def document(self, doc_id: str) -> DocumentInfo: ...

    def document_text(self, doc_id: str) -> str: ...

    def passages(self, doc_id: str) -> tuple[Passage, ...]: ...

    def size(self) -> int: ...

    def query_vector(self, text: str) -> tuple[float, ...]:
        """The embedding of a question or topic (cached)."""
        ...

    @property
    def people(self) -> PeopleDirectory:
        """Everyone the articles quote, with their statements."""
        ...

    def passage_vector(self, doc_id: str, start: int, end: int) -> tuple[float, ...]:
        """The embedding of ``document_text(doc_id)[start:end]`` (cached)."""
        ...

    def copies(self, doc_id: str) -> tuple[str, ...]:
        """The other articles of ``doc_id``'s syndication group (near-duplicates), or ()."""
        ...


class AnswerEngine(Protocol):
    name: str

    def answer(self, question: str, standalone: str, retrieval: Retrieval, corpus: Corpus) -> Answer:
        """Answer ``standalone`` (``question`` as asked, made self-contained) from ``retrieval``.

        Every citation must quote ``corpus.document_text(doc_id)[start:end]`` exactly;
        with no support in the articles, return an answer with ``abstained=True``.
        """
        ...
