"""BM25 over chunk texts (bm25s), with per-term weights so name variants count a bit less.

Built from the store's chunks (about three seconds for the 2,225-article BBC corpus), saved
beside the store and loaded from there by every later process (``save``/``load``); it also
carries the corpus statistics the answer scorer needs (term document frequencies, the names
vocabulary) and ``coverage``, the one formula for how much of a question a passage holds.
"""

from __future__ import annotations

import itertools
import json
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import bm25s
import numpy as np

from ..text.names import NameVariants
from ..text.terms import QUESTION_WORDS, STOPWORDS, expand_hyphens, fold, stem, terms, words


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


def idf_coverage(
    groups: Sequence[TermGroup], passage_terms: frozenset[str], weights: Sequence[float] | None = None
) -> float:
    """The share of the question's words a passage holds, each weighted by its idf (or by
    ``weights``); name variants count with their variant weight."""
    weights = [g.idf for g in groups] if weights is None else weights
    total = sum(weights) or 1.0
    return sum(w * g.found_in(passage_terms) for g, w in zip(groups, weights, strict=True)) / total


class KeywordIndex:
    """BM25 over chunks; row ``i`` of every array is ``chunk_ids[i]``."""

    def __init__(
        self,
        chunk_ids: list[str],
        doc_freq: Counter[str],
        names: NameVariants,
        bm25: bm25s.BM25 | None,
        pairs: bm25s.BM25 | None,
    ) -> None:
        self.chunk_ids = chunk_ids
        self.row_of = {cid: i for i, cid in enumerate(chunk_ids)}
        self.doc_freq = doc_freq
        self.size = len(chunk_ids)
        self.names = names
        self._bm25 = bm25
        self._bigrams = pairs

    @classmethod
    def build(cls, chunk_ids: list[str], texts: list[str]) -> KeywordIndex:
        tokenised = [terms(t) for t in texts]
        doc_freq: Counter[str] = Counter()
        for toks in tokenised:
            doc_freq.update(set(toks))
        bm25 = pairs = None
        if chunk_ids:
            bm25 = bm25s.BM25()
            bm25.index(tokenised, show_progress=False)
            # word pairs: questions often reuse a phrase of the passage that answers them
            pairs = bm25s.BM25()
            pairs.index([bigrams(t) or [""] for t in tokenised], show_progress=False)
        return cls(chunk_ids, doc_freq, NameVariants.from_texts(texts), bm25, pairs)

    def save(self, directory: Path) -> None:
        """Write the index into ``directory`` (which must not exist yet)."""
        directory.mkdir(parents=True)
        if self._bm25 is not None and self._bigrams is not None:
            self._bm25.save(str(directory / "bm25"), show_progress=False)
            self._bigrams.save(str(directory / "pairs"), show_progress=False)
        stats = {"chunk_ids": self.chunk_ids, "doc_freq": self.doc_freq, "names": self.names.to_dict()}
        (directory / "stats.json").write_text(json.dumps(stats, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, directory: Path) -> KeywordIndex:
        """Read an index written by ``save``; the score matrices are memory-mapped."""
        stats = json.loads((directory / "stats.json").read_text(encoding="utf-8"))
        bm25 = pairs = None
        if stats["chunk_ids"]:
            bm25 = bm25s.BM25.load(str(directory / "bm25"), mmap=True, show_progress=False, verbosity=0)
            pairs = bm25s.BM25.load(str(directory / "pairs"), mmap=True, show_progress=False, verbosity=0)
        names = NameVariants.from_dict(stats["names"])
        return cls(stats["chunk_ids"], Counter(stats["doc_freq"]), names, bm25, pairs)

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
