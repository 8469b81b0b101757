"""One citation per passage, however many articles carry it.

Syndicated copies (grouped at ingest, ``ingest.dedup``) and outlets reprinting one another's
reporting repeat a passage word for word or nearly so ("reiterated on Friday again that..."
/ "reiterated on Friday that..."). An answer cites one copy and lists the others under
``Citation.also_in``; a who-said answer counts such a statement once.

Two passages are the same passage when their words are the same, or when their index terms
(stemmed, stopwords out) overlap by ``SAME_JACCARD`` and the shorter one's terms are
``SAME_CONTAINMENT`` inside the longer's. Chosen on the seed articles: the reprinted
Stoltenberg and Hutchinson passages score 0.52-0.67 / 0.74-0.86; the closest different
statements 0.37 / 0.57 (two reports of one press conference in other words) and 0.27 / 0.90
(a short sentence inside a long one).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ..models import Citation
from ..text.passages import Passage
from ..text.terms import terms, words
from .base import Corpus

SAME_JACCARD = 0.45
SAME_CONTAINMENT = 0.7
MIN_TERMS = 5  # shorter passages must have the same words
REPRINT_CHUNKS = 4  # chunks sharing most word pairs with a cited passage, looked at for its reprints
INSIDE_MIN_WORDS = 8  # a quote this long found word for word inside another article's passage


@dataclass(frozen=True)
class _Text:
    """A text as the comparisons read it (computed once per text)."""

    words: tuple[str, ...]
    joined: str  # " w1 w2 ... " for runs of words
    terms: frozenset[str]


@lru_cache(maxsize=4096)  # a who-said answer compares each statement's texts with several others
def _prepare(text: str, text_terms: frozenset[str] | None = None) -> _Text:
    w = tuple(words(text))
    return _Text(w, f" {' '.join(w)} ", text_terms if text_terms is not None else frozenset(terms(text)))


def _same(a: _Text, b: _Text) -> bool:
    if a.words == b.words:
        return True
    if min(len(a.terms), len(b.terms)) < MIN_TERMS:
        return False
    shared = len(a.terms & b.terms)
    union = len(a.terms) + len(b.terms) - shared  # no union set: a BBC people directory runs this 10^5 times
    return shared / union >= SAME_JACCARD and shared / min(len(a.terms), len(b.terms)) >= SAME_CONTAINMENT


def _inside(a: _Text, b: _Text) -> bool:
    """Does either text's wording run word for word inside the other's (a cited span shorter
    than a sentence; a quote of two sentences that another article prints as two passages)?"""
    if min(len(a.words), len(b.words)) < INSIDE_MIN_WORDS:
        return False
    shorter, longer = (a, b) if len(a.words) <= len(b.words) else (b, a)
    return shorter.joined in longer.joined


def same_passage(a: str, b: str, a_terms: frozenset[str] | None = None, b_terms: frozenset[str] | None = None) -> bool:
    """Do ``a`` and ``b`` say the same thing in (nearly) the same words?"""
    return _same(_prepare(a, a_terms), _prepare(b, b_terms))


def copy_entry(corpus: Corpus, doc_id: str, start: int, end: int) -> dict[str, Any]:
    """What ``Citation.also_in`` holds for one other copy of a passage."""
    doc = corpus.document(doc_id)
    return {
        "doc_id": doc_id,
        "title": doc.title,
        "outlet": doc.outlet,
        "source": doc.source,
        "quote": corpus.document_text(doc_id)[start:end],
        "start": start,
        "end": end,
    }


def add_copy(citation: Citation, entry: dict[str, Any]) -> None:
    """Record one more copy of the cited passage (an article is listed once)."""
    if entry["doc_id"] != citation.doc_id and all(e["doc_id"] != entry["doc_id"] for e in citation.also_in):
        citation.also_in.append(entry)


def _copies(corpus: Corpus, doc_id: str) -> tuple[str, ...]:
    copies = getattr(corpus, "copies", None)  # a corpus without syndication groups has none
    return tuple(copies(doc_id)) if copies is not None else ()


def matches(probes: Sequence[str], passage: Passage) -> bool:
    """Is ``passage`` the same as one of ``probes`` (nearly the same words, or a probe's words
    run inside it: a reprint that drops an attribution or adds one)?"""
    return _matches([_prepare(t) for t in probes], passage)


def _matches(probes: Sequence[_Text], passage: Passage) -> bool:
    p = _prepare(passage.text, passage.terms)
    return any(_same(t, p) or _inside(t, p) for t in probes)


def add_copies(
    citation: Citation,
    corpus: Corpus,
    probes: Sequence[str] = (),
    allowed: Callable[[str], bool] | None = None,
    retrieved: Iterable[tuple[str, int, int]] = (),
    search: bool = True,
) -> None:
    """The same passage in other articles: the cited article's syndicated copies (grouped at
    ingest; not always retrieved, since the search ranks copies alike) and the other articles'
    retrieved chunks (``retrieved``: doc id, start, end). ``probes`` are the texts to look for
    (default the quote itself). ``search``: also look in the chunks sharing most word pairs
    with the first probes (``Corpus.passages_like``, about 2 ms each on BBC)."""
    probes = [t for t in (probes or [citation.quote]) if t]
    like = getattr(corpus, "passages_like", None) if search else None  # reprints the search did not bring
    if like is not None:
        retrieved = [*retrieved, *(hit for t in probes[:2] for hit in like(t, REPRINT_CHUNKS))]
    where: dict[str, list[tuple[int, int]] | None] = {d: None for d in _copies(corpus, citation.doc_id)}
    for doc_id, start, end in retrieved:
        if doc_id not in where:
            where[doc_id] = []
        if where[doc_id] is not None:
            where[doc_id].append((start, end))
    prepared = [_prepare(t) for t in probes]
    for other, spans in where.items():
        if other == citation.doc_id or any(e["doc_id"] == other for e in citation.also_in):
            continue
        if allowed is not None and not allowed(other):
            continue
        for p in corpus.passages(other):
            if spans is not None and not any(p.start < e and s < p.end for s, e in spans):
                continue
            if _matches(prepared, p):
                add_copy(citation, copy_entry(corpus, other, p.start, p.end))
                break
