"""Citable passages of an article: sentences, with a multi-sentence quotation kept whole,
and who each passage is attributed to ("..., he said" resolved to the last named speaker).

A passage is the unit an answer quotes, so its span is exact text of record.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .names import NAME_TOKEN, SENTENCE_OPENERS
from .speech import ATTRIBUTION_VERBS
from .terms import terms

_SAY_VERBS = ATTRIBUTION_VERBS
_BEFORE_VERB = re.compile(
    rf"(?P<who>(?:{NAME_TOKEN} ){{0,5}}{NAME_TOKEN}) (?:also |has |had |have |then )?(?:{_SAY_VERBS})\b"
)
_AFTER_VERB = re.compile(
    rf"\b(?:{_SAY_VERBS}) (?P<who>(?:(?:the|a|an) )?(?:[a-z\-]+ ){{0,2}}{NAME_TOKEN}(?: {NAME_TOKEN}){{0,5}})"
)
_PRONOUN_SPEECH = re.compile(
    rf"\b(?:he|she|they)\s+(?:also\s+)?(?:{_SAY_VERBS})\b|\b(?:{_SAY_VERBS})\s+(?:he|she)\b"
    rf"|\bthe (?:[a-z\-]+ ){{0,3}}(?:[a-z\-]+)\s+(?:{_SAY_VERBS})\b|\b(?:for (?:his|her) part)\b",
    re.IGNORECASE,
)
_QUOTE_CHARS = set('"“”«»')
# A passage opening with a name and then a lower-case word names who acts in it.
_SUBJECT = re.compile(rf"^(?P<who>{NAME_TOKEN}(?: {NAME_TOKEN}){{0,3}}) (?!of\b|and\b)[a-z]")
_NOT_SUBJECTS = SENTENCE_OPENERS


@dataclass(frozen=True)
class Passage:
    doc_id: str
    index: int
    start: int
    end: int
    text: str
    terms: frozenset[str]
    speaker: str  # who the passage is attributed to, as written ("" if nobody)
    quoted: bool  # contains direct speech
    paragraph: int


def _unbalanced(text: str) -> bool:
    """Does this text open a quotation it does not close?"""
    curly_open = sum(text.count(c) for c in "“«")
    curly_close = sum(text.count(c) for c in "”»")
    straight = text.count('"')
    return curly_open > curly_close or straight % 2 == 1


def _speaker_in(text: str) -> str | None:
    match = _BEFORE_VERB.search(text)
    if match and not _is_sentence_start_word(text, match):
        return match.group("who").strip()
    match = _AFTER_VERB.search(text)
    if match:
        return match.group("who").strip()
    return None


def _is_sentence_start_word(text: str, match: re.Match[str]) -> bool:
    """'Turkey said' is an attribution; 'The' or 'And' alone at the start are not names."""
    who = match.group("who")
    return who in ("The", "And", "But", "He", "She", "They", "It", "We", "I", "This", "That")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """The sentence splitter, imported only when an article has no stored spans (it loads NLTK)."""
    from .sentences import sentence_spans as split

    return split(text)


def split_passages(doc_id: str, text: str, sentences: list[tuple[int, int]] | None = None) -> tuple[Passage, ...]:
    """Split an article into passages with attribution, from its sentence spans (found here when
    not given). The search index caches the result: an article's text never changes."""
    spans = sentences if sentences is not None else sentence_spans(text)
    # merge sentences that sit inside one quotation (same paragraph)
    merged: list[list[int]] = []
    open_quote = False
    for start, end in spans:
        if merged and open_quote and "\n" not in text[merged[-1][1] : start] and end - merged[-1][0] < 1200:
            merged[-1][1] = end
        else:
            merged.append([start, end])
        open_quote = _unbalanced(text[merged[-1][0] : merged[-1][1]])

    passages: list[Passage] = []
    last_speaker = ""  # the last person named as speaking or acting: who "he said" refers to
    paragraph = 0
    prev_end = 0
    for i, (start, end) in enumerate(merged):
        if "\n" in text[prev_end:start]:
            paragraph += 1
        prev_end = end
        body = text[start:end]
        quoted = any(c in _QUOTE_CHARS for c in body)
        explicit = _speaker_in(_outside_quotes(body))
        if explicit:
            speaker = explicit
        elif _PRONOUN_SPEECH.search(body) or (quoted and body.lstrip()[:1] in '"“'):
            speaker = last_speaker  # "..., he said" or a bare quotation continuing the last speaker
        else:
            speaker = ""
        if explicit:
            last_speaker = explicit
        elif not _PRONOUN_SPEECH.search(body):  # "the NATO chief said" still means the last speaker
            subject = _SUBJECT.match(body)
            if subject and subject.group("who").split(" ")[0] not in _NOT_SUBJECTS:
                last_speaker = subject.group("who")  # "Stoltenberg recently drew attention..."
        passages.append(Passage(doc_id, i, start, end, body, frozenset(terms(body)), speaker, quoted, paragraph))
    return tuple(passages)


def _outside_quotes(text: str) -> str:
    """The text with quoted speech blanked out, so names inside a quote are not speakers."""
    out = []
    depth = 0
    straight_open = False
    for ch in text:
        if ch in "“«":
            depth += 1
            out.append(" ")
        elif ch in "”»":
            depth = max(0, depth - 1)
            out.append(" ")
        elif ch == '"':
            straight_open = not straight_open
            out.append(" ")
        else:
            out.append(" " if depth or straight_open else ch)
    return "".join(out)
