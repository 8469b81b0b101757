"""The sources a language model answers from: the retrieved chunks, most relevant first, each
numbered and labelled with its article, outlet, date and speakers, packed into a token budget.

The budget is counted with tiktoken over the text exactly as it will be sent. A chunk that does
not fit whole is cut to its first sentences that do (never mid-sentence); one that cannot fit
even so is left out and the next, shorter one tried, so the order of relevance is kept. A
syndicated copy of a source already packed is left out: the model should not see one wire story
as two sources, and the answer cites one copy with its "also in".
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ..search.retrieval import Retrieval, RetrievedChunk
from ..text.terms import terms
from ..text.tokens import count_tokens
from .base import Corpus

# copies of a source share this share of its words: a reprint, not a second account
_COPY_OVERLAP = 0.8
_PRONOUNS = frozenset({"he", "she", "they", "it", "we", "i", "you", "his", "her", "their"})


@dataclass(frozen=True)
class Source:
    """One numbered source: ``text == corpus.document_text(doc_id)[start:end]``."""

    n: int
    doc_id: str
    start: int
    end: int
    text: str
    title: str
    outlet: str | None
    published: str | None
    speakers: tuple[str, ...]
    tokens: int  # of ``entry()``, as sent

    def header(self) -> str:
        """``[2] "Title" (Press TV, 2019-04-12; quoting Jens Stoltenberg)``."""
        facts = [self.outlet or "outlet unknown", self.published or "date unknown"]
        label = ", ".join(facts)
        if self.speakers:
            label += "; quoting " + ", ".join(self.speakers)
        return f'[{self.n}] "{self.title}" ({label})'

    def entry(self) -> str:
        return f"{self.header()}\n{self.text}"


def pack_sources(retrieval: Retrieval, corpus: Corpus, budget: int) -> list[Source]:
    """The retrieved chunks as numbered sources within ``budget`` tokens, in retrieval order."""
    sources: list[Source] = []
    packed_terms: list[tuple[str, frozenset[str]]] = []
    used = 0
    for chunk in retrieval.chunks:
        chunk_terms = frozenset(terms(chunk.text))
        if _copy_of_packed(chunk, chunk_terms, packed_terms, corpus):
            continue
        source = _fit(chunk, corpus, len(sources) + 1, budget - used)
        if source is None:
            continue
        sources.append(source)
        packed_terms.append((chunk.doc_id, chunk_terms))
        used += source.tokens + 1  # the blank line between entries
    return sources


def format_sources(sources: list[Source]) -> str:
    return "\n\n".join(s.entry() for s in sources)


def _copy_of_packed(
    chunk: RetrievedChunk, chunk_terms: frozenset[str], packed: list[tuple[str, frozenset[str]]], corpus: Corpus
) -> bool:
    copies = set(corpus.copies(chunk.doc_id))
    for doc_id, packed_words in packed:
        if doc_id in copies and chunk_terms and packed_words:
            if len(chunk_terms & packed_words) / min(len(chunk_terms), len(packed_words)) >= _COPY_OVERLAP:
                return True
    return False


def _fit(chunk: RetrievedChunk, corpus: Corpus, n: int, room: int) -> Source | None:
    """Source ``n`` from ``chunk``, whole or cut to its leading sentences, within ``room`` tokens."""
    info = corpus.document(chunk.doc_id)
    text = corpus.document_text(chunk.doc_id)
    passages = [p for p in corpus.passages(chunk.doc_id) if p.start < chunk.end and p.end > chunk.start]
    ends = sorted({min(p.end, chunk.end) for p in passages if p.end > chunk.start} | {chunk.end}, reverse=True)
    for end in ends:  # the whole chunk first, then ever fewer sentences
        start = chunk.start
        while start < end and text[start].isspace():
            start += 1
        if end <= start:
            continue
        speakers = _speakers([p for p in passages if p.start < end])
        source = Source(
            n, chunk.doc_id, start, end, text[start:end], info.title, info.outlet, info.published, speakers, 0
        )
        tokens = count_tokens(source.entry())
        if tokens <= room:
            return replace(source, tokens=tokens)
    return None


def _speakers(passages: list) -> tuple[str, ...]:
    """Who the passages are attributed to, by name (a bare "he" tells the model nothing)."""
    names: list[str] = []
    for passage in passages:
        who = passage.speaker.strip()
        if who and who[0].isupper() and who.casefold() not in _PRONOUNS and who not in names:
            names.append(who)
    return tuple(names)
