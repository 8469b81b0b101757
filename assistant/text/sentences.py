"""Sentence spans with exact character offsets, tuned for news prose.

NLTK's Punkt (shipped with llama-index) does the splitting, given the abbreviations news
uses ("Oct. 5", "U.S. sanctions", "Gen."); paragraphs are split first so a headline never
runs into the lead. Offsets always index the original text.
"""

from __future__ import annotations

import re
from functools import lru_cache

from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer

_ABBREVIATIONS = """
jan feb mar apr jun jul aug sep sept oct nov dec mon tue wed thu fri sat sun
mr mrs ms dr prof gen lt col maj capt sgt adm gov sen rep rev st mt ft jr sr
no nos vol fig art sec ch ed eds est approx dept univ corp inc ltd co bros vs etc al
u.s u.k u.n e.u u.s.a d.c n.y l.a e.g i.e a.m p.m
""".split()

_PARAGRAPH = re.compile(r"[^\n]+")
_STARTS_LOWER = re.compile(r"""^["“”'‘’(\[]*[a-z0-9]""")


@lru_cache(maxsize=1)
def _tokenizer() -> PunktSentenceTokenizer:
    params = PunktParameters()
    params.abbrev_types = set(_ABBREVIATIONS)
    return PunktSentenceTokenizer(params)


def sentence_spans(text: str, offset: int = 0) -> list[tuple[int, int]]:
    """(start, end) of every sentence in ``text``, shifted by ``offset``; never crosses a newline."""
    tokenizer = _tokenizer()
    spans: list[tuple[int, int]] = []
    for para in _PARAGRAPH.finditer(text):
        p_start = para.start()
        para_spans: list[list[int]] = []
        for s, e in tokenizer.span_tokenize(para.group(0)):
            if para_spans and _STARTS_LOWER.match(para.group(0)[s:e]):
                para_spans[-1][1] = e  # "said on Oct." + "5 that ..." belong together
            else:
                para_spans.append([s, e])
        spans.extend((offset + p_start + s, offset + p_start + e) for s, e in para_spans)
    return spans
