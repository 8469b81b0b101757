"""BM25 over chunk texts (bm25s), with per-term weights so name variants count a bit less.

Built in memory from the store's chunks (about a second for the 2,225-article BBC corpus)
and rebuilt when the store changes; it also carries the corpus statistics the answer
scorer needs (term document frequencies, the names vocabulary).
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from dataclasses import dataclass

import bm25s
import numpy as np

from .names import NameVariants
from .terms import QUESTION_WORDS, STOPWORDS, expand_hyphens, fold, stem, terms, words


@dataclass(frozen=True)
class TermGroup:
    """A question word and the index terms that count as it (its stem, its variants' stems)."""

    word: str
    stems: dict[str, float]
    idf: float
    in_corpus: bool

    def found_in(self, passage_terms: frozenset[str] | set[str]) -> float:
        """The weight with which the passage contains this word (0 if it does not)."""
        return max((w for t, w in self.stems.items() if t in passage_terms), default=0.0)


class KeywordIndex:
    """BM25 over chunks; row ``i`` of every array is ``chunk_ids[i]``."""

    def __init__(self, chunk_ids: list[str], texts: list[str]) -> None:
        self.chunk_ids = chunk_ids
        self.row_of = {cid: i for i, cid in enumerate(chunk_ids)}
        tokenised = [terms(t) for t in texts]
        self.doc_freq: Counter[str] = Counter()
        for toks in tokenised:
            self.doc_freq.update(set(toks))
        self.size = len(chunk_ids)
        self.names = NameVariants.from_texts(texts)
        self._bm25: bm25s.BM25 | None = None
        self._bigrams: bm25s.BM25 | None = None
        if self.size:
            self._bm25 = bm25s.BM25()
            self._bm25.index(tokenised, show_progress=False)
            # word pairs: questions often reuse a phrase of the passage that answers them
            self._bigrams = bm25s.BM25()
            self._bigrams.index([bigrams(t) or [""] for t in tokenised], show_progress=False)

    def idf(self, term: str) -> float:
        """BM25's idf; unseen terms get the highest value (they are the most telling)."""
        df = self.doc_freq.get(term, 0)
        return math.log(1 + (self.size - df + 0.5) / (df + 0.5))

    def term_groups(self, text: str) -> list[TermGroup]:
        """One group per content word of ``text``: its stem plus the stems of its corpus spellings.

        A hyphenated word is one group that its parts also satisfy ("Nagorno-Karabakh").
        """
        groups: dict[str, TermGroup] = {}
        for word in words(text):
            if word in STOPWORDS or word in QUESTION_WORDS or word in groups:
                continue
            stems: dict[str, float] = {}
            for form in expand_hyphens([word]):
                options = self.names.variants(form)
                options[form] = 1.0
                for variant, weight in options.items():
                    term = stem(variant)
                    stems[term] = max(stems.get(term, 0.0), weight if form == word else 0.9 * weight)
            known = [t for t in stems if t in self.doc_freq]
            idf = max((self.idf(t) for t in known), default=self.idf(stem(word)))
            groups[word] = TermGroup(word, stems, idf, bool(known))
        return list(groups.values())

    @staticmethod
    def weighted_terms(groups: list[TermGroup]) -> dict[str, float]:
        """Flatten term groups into index terms with their weights (the best weight wins)."""
        weighted: dict[str, float] = {}
        for group in groups:
            for term, weight in group.stems.items():
                weighted[term] = max(weighted.get(term, 0.0), weight)
        return weighted

    def normalise_question(self, question: str) -> str:
        """The question with misspelt names replaced by their corpus spelling (for the dense query)."""
        out = question
        for word in set(words(question)):
            if word in STOPWORDS or word in self.names.counts:
                continue
            best = self.names.canonical(word)
            if best != word:
                out = _replace_word(out, word, best)
        return out

    def scores(self, weighted_terms: dict[str, float]) -> np.ndarray:
        """BM25 score of every chunk for the weighted terms."""
        total = np.zeros(self.size, dtype=np.float32)
        if self._bm25 is None:
            return total
        for term, weight in weighted_terms.items():
            if term in self._bm25.vocab_dict:
                total += weight * self._bm25.get_scores([term])
        return total

    def bigram_scores(self, question: str) -> np.ndarray:
        """BM25 over consecutive term pairs of the question (zeros if none occur)."""
        if self._bigrams is None:
            return np.zeros(self.size, dtype=np.float32)
        pairs = [b for b in bigrams(terms(question)) if b in self._bigrams.vocab_dict]
        return self._bigrams.get_scores(pairs) if pairs else np.zeros(self.size, dtype=np.float32)


def bigrams(tokens: list[str]) -> list[str]:
    return [f"{a}_{b}" for a, b in itertools.pairwise(tokens)]


_QUESTION_WORD = re.compile(r"[A-Za-z0-9]+(?:'[A-Za-z]+)?")


def _replace_word(text: str, folded_word: str, replacement: str) -> str:
    """Replace a word given in folded form wherever it appears (accents or not) in ``text``."""
    folded = fold(text)
    if len(folded) != len(text):  # a fold changed the length (ß -> ss): fall back to the folded text
        text = folded
    out, last = [], 0
    for m in _QUESTION_WORD.finditer(folded):
        base = m.group(0).lower().removesuffix("'s")
        if base == folded_word:
            out.append(text[last : m.start()])
            out.append(replacement.capitalize() + text[m.start() + len(base) : m.end()])
            last = m.end()
    out.append(text[last:])
    return "".join(out)
