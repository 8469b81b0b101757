"""Learned abstention: does the best passage found actually answer the question?

Coverage rules catch questions about things no article mentions; they cannot catch a question
that uses the articles' words but asks something they don't say (SQuAD 2.0's unanswerable
questions are written exactly that way). A logistic regression over question-level features
(how much of the question the best passage misses, how rare the missing words are, numbers and
names of the question absent from the passage, negation mismatch, retrieval scores) gives the
probability that the question is answerable. It is trained by ``benchmarks/train_abstention.py``
on the SQuAD dev split's articles only, and shipped as ``assistant/data/abstention.json``.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from ..search.bm25 import TermGroup
from ..search.retrieval import Retrieval
from ..text.names import MID_SENTENCE_CAPITALISED
from ..text.terms import QUESTION_WORDS, STOPWORDS, terms, words

_NEGATIONS = {"not", "never", "no", "none", "nor", "without", "cannot", "neither"}
_NUMBER = re.compile(r"\d+")


@dataclass(frozen=True)
class Evidence:
    """What the engine found for a question, as the features need it."""

    question: str
    hard_groups: Sequence[TermGroup]  # the question's words that a passage should contain
    best_terms: frozenset[str]  # terms of the best passage
    best_text: str
    context_terms: frozenset[str]  # best passage and its neighbours
    chunk_terms: frozenset[str]  # the best passage's whole chunk
    best_score: float
    second_score: float
    best_coverage: float
    max_coverage: float
    kind_cue: float


def features(evidence: Evidence, retrieval: Retrieval) -> dict[str, float]:
    e = evidence
    hard = list(e.hard_groups)
    total = sum(g.idf for g in hard) or 1.0
    max_idf = max((g.idf for g in hard), default=0.0) or 1.0
    miss_p = [g for g in hard if not g.found_in(e.best_terms)]
    miss_c = [g for g in hard if not g.found_in(e.context_terms)]
    miss_k = [g for g in hard if not g.found_in(e.chunk_terms)]
    chunks = retrieval.chunks
    question_words = set(words(e.question))
    passage_words = set(words(e.best_text))
    numbers = _NUMBER.findall(e.question)
    passage_numbers = set(_NUMBER.findall(e.best_text))  # "S-400" holds 400
    names = [
        n
        for n in MID_SENTENCE_CAPITALISED.findall(e.question)
        if n.lower() not in STOPWORDS and n.lower() not in QUESTION_WORDS
    ]
    return {
        "cov_best": e.best_coverage,
        "cov_max": e.max_coverage,
        "score_best": e.best_score,
        "score_gap": e.best_score - e.second_score,
        "chunk_score": chunks[0].score if chunks else 0.0,
        "chunk_gap": chunks[0].score - chunks[1].score if len(chunks) > 1 else 0.0,
        "chunk_cos": chunks[0].dense if chunks else 0.0,
        "miss_idf_max_p": max((g.idf for g in miss_p), default=0.0) / max_idf,
        "miss_idf_max_c": max((g.idf for g in miss_c), default=0.0) / max_idf,
        "miss_frac_p": sum(g.idf for g in miss_p) / total,
        "miss_frac_c": sum(g.idf for g in miss_c) / total,
        "miss_frac_k": sum(g.idf for g in miss_k) / total,
        "n_miss_c": float(len(miss_c)),
        "unknown": float(any(not g.in_corpus for g in hard)),
        # a negated question over an affirmative passage (the adversarial "which X did NOT ...")
        "neg_mismatch": float(bool(question_words & _NEGATIONS) and not passage_words & _NEGATIONS),
        "rarest_missing_p": float(bool(hard) and max(hard, key=lambda g: g.idf) in miss_p),
        "kind_cue": e.kind_cue,
        "num_missing": float(any(n not in passage_numbers for n in numbers)),
        "entity_missing": (sum(1 for n in names if not set(terms(n)) & e.context_terms) / len(names) if names else 0.0),
    }


@dataclass(frozen=True)
class AbstentionModel:
    names: tuple[str, ...]
    mean: tuple[float, ...]
    std: tuple[float, ...]
    weights: tuple[float, ...]
    bias: float
    threshold: float
    info: dict[str, Any]

    def p_answerable(self, values: dict[str, float]) -> float:
        z = self.bias
        for name, mu, sd, w in zip(self.names, self.mean, self.std, self.weights, strict=True):
            z += w * (values[name] - mu) / sd
        return 1.0 / (1.0 + math.exp(-z))

    def to_json(self) -> str:
        return json.dumps(
            {
                "features": list(self.names),
                "mean": list(self.mean),
                "std": list(self.std),
                "weights": list(self.weights),
                "bias": self.bias,
                "threshold": self.threshold,
                "info": self.info,
            },
            indent=1,
        )

    @classmethod
    def from_json(cls, text: str) -> AbstentionModel:
        d = json.loads(text)
        return cls(
            tuple(d["features"]),
            tuple(d["mean"]),
            tuple(d["std"]),
            tuple(d["weights"]),
            float(d["bias"]),
            float(d["threshold"]),
            d.get("info", {}),
        )


@lru_cache(maxsize=1)
def default_model() -> AbstentionModel | None:
    """The shipped model, or None when it has not been trained (then only the rules abstain)."""
    path = resources.files("assistant").joinpath("data/abstention.json")
    if not path.is_file():
        return None
    return AbstentionModel.from_json(path.read_text(encoding="utf-8"))
