"""Sentence spans with exact character offsets, tuned for news prose.

NLTK's Punkt (shipped with llama-index) does the splitting, given the abbreviations news
uses ("Oct. 5", "U.S. sanctions", "Gen."); paragraphs are split first so a headline never
runs into the lead. Offsets always index the original text.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from nltk.tokenize.punkt import PunktSentenceTokenizer

_ABBREVIATIONS = """
jan feb mar apr jun jul aug sep sept oct nov dec mon tue wed thu fri sat sun
mr mrs ms dr prof gen lt col maj capt sgt adm gov sen rep rev st mt ft jr sr
no nos vol fig art sec ch ed eds est approx dept univ corp inc ltd co bros vs etc al
u.s u.k u.n e.u u.s.a d.c n.y l.a e.g i.e a.m p.m
""".split()

_ABBREVIATION_SET = frozenset(_ABBREVIATIONS)
_PARAGRAPH = re.compile(r"[^\n]+")
_STARTS_LOWER = re.compile(r"""^["“”'‘’(\[]*[a-z0-9]""")


@lru_cache(maxsize=1)
def _tokenizer() -> PunktSentenceTokenizer:
    """Loaded on first use: a question reads the sentences stored at ingest, and must not pay for
    NLTK (and the SciPy it brings) when it only needs ``rough_sentence_spans``."""
    from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer

    params = PunktParameters()
    params.abbrev_types = set(_ABBREVIATIONS)
    return PunktSentenceTokenizer(params)


def sentence_spans(text: str, offset: int = 0) -> list[tuple[int, int]]:
    """(start, end) of every sentence in ``text``, shifted by ``offset``; never crosses a newline."""
    tokenizer = _tokenizer()
    spans: list[tuple[int, int]] = []
    for para in _PARAGRAPH.finditer(text):
        p_start, p_text = para.start(), para.group(0)
        para_spans: list[list[int]] = []
        for piece_start, piece_end in _pieces(p_text):
            for s, e in tokenizer.span_tokenize(p_text[piece_start:piece_end]):
                s, e = s + piece_start, e + piece_start
                if para_spans and _STARTS_LOWER.match(p_text[s:e]):
                    para_spans[-1][1] = e  # "said on Oct." + "5 that ..." belong together
                else:
                    para_spans.append([s, e])
        spans.extend((offset + p_start + s, offset + p_start + e) for s, e in para_spans)
    return spans


# NLTK gives Punkt's expressions 5 s of wall clock per call (its guard against runaway
# regular expressions), which a paragraph of 8 MB (a file with no line breaks) exceeds:
# TimeoutError. A paragraph longer than _LONG_PARAGRAPH is handed over in pieces of at most
# _PIECE characters, each cut after a full stop that ends a sentence (else between words).
_LONG_PARAGRAPH = 50_000
_PIECE = 20_000
_SENTENCE_END = re.compile(r"(?<=[^\s.])([.!?][\"'”’)\]]*)(\s+)(?=[\"“‘(\[]*[A-Z])")
_SPACE_RUN = re.compile(r"\s+")


def rough_sentence_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """(start, end) of the sentences of ``text[start:end]`` by full stops alone: for reading a
    passage ``sentence_spans`` could not split (quotation marks out of balance run a paragraph's
    sentences together), not for building passages."""
    spans = []
    for m in _SENTENCE_END.finditer(text, start, end):
        word = text[text.rfind(" ", start, m.start()) + 1 : m.start()]
        if len(word) > 1 and "." not in word and word.lower() not in _ABBREVIATION_SET:
            spans.append((start, m.end(1)))
            start = m.end(2)
    if start < end:
        spans.append((start, end))
    return spans


def _pieces(text: str) -> list[tuple[int, int]]:
    """(start, end) of the pieces of a paragraph to split one at a time: all of it, unless long."""
    if len(text) <= _LONG_PARAGRAPH:
        return [(0, len(text))]
    pieces = []
    start = 0
    while len(text) - start > _PIECE:
        lo, hi = start + _PIECE // 2, start + _PIECE
        cut = None
        for m in _SENTENCE_END.finditer(text, lo, hi):
            word = text[text.rfind(" ", start, m.start()) + 1 : m.start()]
            if len(word) > 1 and "." not in word and word.lower() not in _ABBREVIATION_SET:
                cut = (m.end(1), m.end(2))
        if cut is None:  # no sentence ends here: between words, or inside a "word" that long
            spaces = list(_SPACE_RUN.finditer(text, lo, hi))
            cut = (spaces[-1].start(), spaces[-1].end()) if spaces else (hi, hi)
        pieces.append((start, cut[0]))
        start = cut[1]
    pieces.append((start, len(text)))
    return pieces
