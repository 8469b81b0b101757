"""Spelling variants of names, learned from the corpus itself.

Reporters and users misspell names: the seeds alone hold Stoltenberg/Stoltenburg,
Cavusoglu/Cavusolgu and Hutchinson/Hutchison. A word counts as a name when the corpus
mostly capitalises it; a query word then matches every corpus name one edit away
(two for long words), including transpositions. Exact matches always weigh most.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from rapidfuzz import process
from rapidfuzz.distance import OSA

from .terms import STOPWORDS, fold

_CAPITALISED = re.compile(r"[A-Za-z][A-Za-z'-]+")
# A capitalised word that does not open a sentence: in news text and questions, most likely a
# name ("...met Erdogan in Ankara"), where a sentence's first word is capitalised anyway.
MID_SENTENCE_CAPITALISED = re.compile(r"(?<!^)(?<![.?!] )\b[A-Z][a-z]+")
# One token of a name as news writes it: accented letters, O'Brien, Al-Sisi, U.S. (a regex piece).
NAME_TOKEN = r"[A-Z\u00c0-\u024f][\w'’.\-\u00c0-\u024f]*"
VARIANT_WEIGHT = 0.85  # a variant spelling counts a little less than the word as typed
COMMON_SEEN = 5  # occurrences before a word's case says anything


class NameVariants:
    """Vocabulary of the corpus's words, with which of them behave like names."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self.capitalised: Counter[str] = Counter()
        self._names: list[str] = []
        self._vocab: list[str] = []

    def add_text(self, text: str) -> None:
        for raw in _CAPITALISED.findall(fold(text)):
            word = raw.lower().removesuffix("'s")
            self.counts[word] += 1
            if raw[0].isupper():
                self.capitalised[word] += 1

    def freeze(self) -> NameVariants:
        """Finish building: decide which words are names. Call after the last ``add_text``."""
        self._vocab = [w for w in self.counts if len(w) >= 4 and w not in STOPWORDS]
        self._names = [w for w in self._vocab if self.is_name(w)]
        return self

    def is_name(self, word: str) -> bool:
        n = self.counts.get(word, 0)
        # ignore words only ever seen capitalised once at a sentence start...
        return n > 0 and self.capitalised[word] >= 0.6 * n and (n >= 2 or len(word) >= 6)

    def mostly_lower_case(self, word: str) -> bool:
        """Is ``word`` (lower-case) a common word of the corpus, written in lower case more often
        than not (seen at least ``COMMON_SEEN`` times)?"""
        n = self.counts.get(word, 0)
        return n >= COMMON_SEEN and self.capitalised.get(word, 0) < 0.5 * n

    def variants(self, word: str) -> dict[str, float]:
        """Corpus spellings of ``word`` (folded, lower-case) with weights; includes itself if known."""
        word = word.lower()
        out: dict[str, float] = {}
        known = word in self.counts
        if known:
            out[word] = 1.0
        if len(word) < 5 or word.isdigit():
            return out
        max_edits = 1 if len(word) < 8 else 2
        if known:
            if not self.is_name(word) or len(word) < 6:
                return out
            pool, max_edits = self._names, 1  # a known name: only near-identical other names
        else:
            pool = self._vocab  # a typo: any corpus word close enough
        for candidate, distance, _ in process.extract(word, pool, scorer=OSA.distance, score_cutoff=max_edits, limit=8):
            if candidate != word and candidate[0] == word[0]:
                out.setdefault(candidate, VARIANT_WEIGHT - 0.1 * (distance - 1))
        return out

    def canonical(self, word: str) -> str:
        """The corpus spelling a reader most likely meant (most frequent variant)."""
        options = self.variants(word)
        if not options or word.lower() in self.counts:
            return word
        return max(options, key=lambda w: (options[w], self.counts[w]))

    def to_dict(self) -> dict[str, dict[str, int]]:
        return {"counts": dict(self.counts), "capitalised": dict(self.capitalised)}

    @classmethod
    def from_dict(cls, data: dict[str, dict[str, int]]) -> NameVariants:
        names = cls()
        names.counts = Counter(data["counts"])
        names.capitalised = Counter(data["capitalised"])
        return names.freeze()

    @classmethod
    def from_texts(cls, texts: Iterable[str]) -> NameVariants:
        names = cls()
        for text in texts:
            names.add_text(text)
        return names.freeze()


# capitalised words that open a sentence or clause and are never (part of) a name
SENTENCE_OPENERS = frozenset(
    """The A An In On At But And It This That These Those For With As After Before During Until Since When
    While If Meanwhile However Under Unlike Despite Amid Following Throughout""".split()
)
