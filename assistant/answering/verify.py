"""Checks every sentence a language model wrote against the sources it cites, before the answer
is shown: the one thing that makes a generated answer's citations trustworthy.

A sentence is supported only when all of these hold:

- it cites at least one source that was provided (citations to others are dropped);
- anything it puts in quotation marks is, word for word, in a cited source;
- every number and every name it mentions is in a cited source;
- when it says who said something, a cited source attributes those words to that person and
  not to someone else;
- it does not flip the meaning of the source sentence it matches (a "not" added or lost);
- its content words are mostly in the cited sources (lexical support), and it means what a
  cited sentence or pair of sentences means (MiniLM cosine similarity).

No NLI model installs offline here, so these are rules and the product's own embedding model;
the thresholds were chosen on labelled sentences (benchmarks/verifier/, tune half) and are
reported on the held-out half in docs/GENERATIVE.md.

With an NLI model (``ASSISTANT_NLI_MODEL``, answering/nli.py) the last three soft tests (lexical
support, meaning, negation and hedges) give way to one: the cited passages must entail the
sentence. The hard rules (citations, verbatim quotes, numbers, names, speakers) still apply.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from rapidfuzz import fuzz

from ..text.sentences import sentence_spans
from ..text.terms import STOPWORDS, fold, terms, words

# thresholds chosen on the tune half of benchmarks/verifier/sentences.jsonl (see docs/GENERATIVE.md)
LEXICAL_MIN = 0.4  # share of the sentence's content words found in its cited sources
MEANING_MIN = 0.55  # cosine with the best-matching cited sentence or pair of sentences

MARKER = re.compile(r"\[\s*(?:sources?\s*)?(\d+(?:\s*(?:,|and|&)\s*(?:sources?\s*)?\d+)*)\s*\]", re.IGNORECASE)
# "... yes. [1] Then ...": markers written after a full stop end the sentence there
_MARKERS_AFTER_STOP = re.compile(r"([.!?][\"”’]?)((?:\s*\[[^\]\n]{1,20}\])+)")
_QUOTED = re.compile(r"[\"“”]([^\"“”]{2,}?)[\"“”]")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_NUMBER_WORDS = {
    w: str(i)
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
        "sixteen seventeen eighteen nineteen twenty".split()
    )
}
_NEGATIONS = frozenset("not no never nor neither none nobody nothing without cannot n't".split())
# words that negate by meaning: "failed to get" is "did not get", "denies" is "says it did not"
_NEGATING_STEMS = ("fail", "refus", "deni", "deny", "unabl", "lack")
# what marks a statement as possible, planned or feared rather than done ("can lead to sanctions",
# "is considering raising prices", "was due to light the flame", "warning of sanctions")
_HEDGES = re.compile(
    r"\b(?:may|might|(?:could|can)(?! not| never)|consider\w*|weigh\w*|plan\w*|propos\w*|expect\w*|likely|possib\w*"
    r"|potential\w*|chance|due to|warn\w* of|fear\w*|hope\w*|set to)\b",
    re.IGNORECASE,
)
_CUE_VERBS = (
    "said|says|told|tells|added|adds|warned|warns|urged|urges|claimed|claims|argued|argues|insisted|insists"
    "|stressed|stresses|noted|notes|announced|announces|confirmed|confirms|stated|states|explained|explains"
    "|described|describes|called|calls|accused|accuses|denied|denies|believes|thinks|wrote|writes|vowed|vows"
)
_NAME = r"(?P<who>(?:[A-Z][\w'’.-]+\s+){0,3}[A-Z][\w'’.-]+)"
_SAYS = re.compile(rf"\b{_NAME}\s+(?:has\s+|had\s+|also\s+)?(?:{_CUE_VERBS})\b")
# "..., said Jens Stoltenberg." (the name closes the clause; "said Turkey would" is not this)
_SAID_BY = re.compile(rf"\b(?:{_CUE_VERBS})\s+{_NAME}\s*(?:[,.;:!?]|\[|$)")
_ACCORDING = re.compile(rf"\b(?i:according) to {_NAME}")
_TITLES = frozenset("mr mrs ms dr prof sir lord lady president minister secretary general chancellor".split())
# words a sentence uses to report rather than to claim: not evidence either way
_REPORTING = frozenset(terms("said says told added according stated noted explained described reported article"))

Embed = Callable[[str], np.ndarray]
# (premise, hypothesis) pairs -> probability each premise entails its hypothesis
Entail = Callable[[list[tuple[str, str]]], list[float]]
NLI_MIN = 0.5  # entailment probability a sentence needs from its cited passages


@dataclass
class SentenceCheck:
    """The verdict on one generated sentence."""

    sentence: str  # as written, markers included
    claim: str  # the sentence without its markers
    cited: tuple[int, ...]  # provided sources it cites
    supported: bool
    reasons: list[str] = field(default_factory=list)  # why not (empty when supported)
    lexical: float = 0.0
    meaning: float = 0.0
    dropped: tuple[int, ...] = ()  # cited numbers that were not provided
    evidence: dict[int, tuple[int, int]] = field(default_factory=dict)  # source -> best span (offsets in it)
    entailment: float | None = None  # the NLI model's probability (lowest over clauses), when one is set


def split_sentences(text: str) -> list[str]:
    """The answer's sentences, each with its markers (a marker written after the full stop
    belongs to the sentence before it)."""
    text = _MARKERS_AFTER_STOP.sub(lambda m: m.group(1) + m.group(2) + "\n", text)
    out: list[str] = []
    for start, end in sentence_spans(text):
        piece = text[start:end].strip()
        if out and MARKER.sub("", piece).strip() == "":
            out[-1] += " " + piece
        elif piece:
            out.append(piece)
    return out


def cited_numbers(sentence: str) -> list[int]:
    """The source numbers a sentence cites, in order, each once."""
    found: list[int] = []
    for match in MARKER.finditer(sentence):
        for n in re.findall(r"\d+", match.group(1)):
            if int(n) not in found:
                found.append(int(n))
    return found


def strip_markers(sentence: str) -> str:
    return re.sub(r"\s+([.,;:!?])", r"\1", MARKER.sub("", sentence)).strip()


class Verifier:
    """Checks sentences against numbered source texts. ``embed`` gives a unit vector for a text
    (the product's MiniLM); without it only the rule checks and lexical support run. ``entail``
    (an NLI model) replaces the soft tests with entailment by the cited passages."""

    def __init__(
        self,
        embed: Embed | None,
        lexical_min: float = LEXICAL_MIN,
        meaning_min: float = MEANING_MIN,
        entail: Entail | None = None,
        nli_min: float = NLI_MIN,
    ):
        self.embed = embed
        self.lexical_min = lexical_min
        self.meaning_min = meaning_min
        self.entail = entail
        self.nli_min = nli_min

    def check_answer(self, text: str, sources: dict[int, str]) -> list[SentenceCheck]:
        return [self.check(sentence, sources) for sentence in split_sentences(text)]

    def check(self, sentence: str, sources: dict[int, str]) -> SentenceCheck:
        """Whether ``sentence`` is supported by the sources it cites (``sources``: number -> text)."""
        numbers = cited_numbers(sentence)
        cited = tuple(n for n in numbers if n in sources)
        dropped = tuple(n for n in numbers if n not in sources)
        claim = strip_markers(sentence)
        check = SentenceCheck(sentence, claim, cited, False, dropped=dropped)
        if not cited:
            check.reasons.append("cites a source that was not provided" if dropped else "cites no source")
            return check
        evidence = "\n".join(sources[n] for n in cited)
        check.reasons.extend(_quotes_not_verbatim(claim, evidence))
        check.reasons.extend(_missing_numbers(claim, evidence))
        check.reasons.extend(_missing_names(claim, "\n".join(sources.values())))
        soft: list[str] = []  # the tests an NLI model replaces
        check.lexical = lexical_support(claim, evidence)
        if check.lexical < self.lexical_min:
            soft.append(f"only {check.lexical:.0%} of its words are in the cited source")
        speakers = _attributed(claim)
        known = set(words("\n".join(sources.values())))
        for speaker in speakers:  # a speaker opening the sentence escapes the name check above
            if not any(fuzz.ratio(speaker, w) >= 85 for w in known):
                check.reasons.append(f"the name “{speaker}” is not in the sources")
        check.meaning = 1.0
        pairs: list[tuple[str, str]] = []
        for part, part_cited in _segments(sentence, sources):
            part_sources = {n: sources[n] for n in part_cited}
            best_text, spans = self._best_match(part, part_sources)
            for n, span in spans.items():
                check.evidence.setdefault(n, span)
            if not best_text:
                continue
            pairs.append(("\n".join(part_sources.values()), strip_markers(part)))
            if self.embed is not None and self.entail is None and len(terms(part)) >= 3:
                check.meaning = min(check.meaning, float(np.dot(self.embed(part), self.embed(best_text))))
            if not _mostly_quoted(part) and _negated(part) != _negated(best_text):
                soft.append("it reverses the cited sentence (a negation added or lost)")
            if not _mostly_quoted(part) and _HEDGES.search(best_text) and not _HEDGES.search(part):
                soft.append("it states as done what the cited source gives as possible, planned or feared")
            check.reasons.extend(_wrong_speaker(part, _attributed(part) or speakers, part_sources))
            check.reasons.extend(_quote_not_theirs(part, _attributed(part) or speakers, part_sources))
        if self.entail is not None:
            check.entailment = min(self.entail(pairs), default=0.0)
            if check.entailment < self.nli_min:
                check.reasons.append(f"the cited source does not entail it (NLI entailment {check.entailment:.2f})")
        else:
            check.reasons.extend(soft)
            if self.embed is not None and check.meaning < self.meaning_min:
                check.reasons.append(f"its meaning differs from the cited source (similarity {check.meaning:.2f})")
        check.reasons = list(dict.fromkeys(check.reasons))
        check.supported = not check.reasons
        return check

    def _best_match(self, claim: str, sources: dict[int, str]) -> tuple[str, dict[int, tuple[int, int]]]:
        """The cited sentence (or pair of adjacent sentences) closest to ``claim`` in words, and
        per source its best span."""
        claim_terms = set(terms(claim))
        best, best_score, spans = "", -1.0, {}
        for n, text in sources.items():
            windows = _windows(text)
            scored = [(len(claim_terms & words) / (1 + 0.02 * (e - s) / 10), s, e) for s, e, words in windows]
            if not scored:
                continue
            score, s, e = max(scored)
            spans[n] = (s, e)
            if score > best_score:
                best, best_score = text[s:e], score
        return best, spans


def _segments(sentence: str, sources: dict[int, str]) -> list[tuple[str, tuple[int, ...]]]:
    """The sentence's clauses with their own markers: "A [1], while B [2]." is A from [1] and B
    from [2]; words after the last marker belong to the last clause."""
    parts: list[tuple[str, tuple[int, ...]]] = []
    last = 0
    for run in re.finditer(r"(?:\s*\[[^\]\n]{1,20}\])+", sentence):
        numbers = tuple(n for n in cited_numbers(run.group(0)) if n in sources)
        text = sentence[last : run.start()].strip(" ,;")
        if numbers and text:
            parts.append((text, numbers))
        last = run.end()
    tail = sentence[last:].strip(" ,;.!?")
    if tail and parts:
        parts[-1] = (parts[-1][0] + " " + tail, parts[-1][1])
    return parts


def lexical_support(claim: str, evidence: str) -> float:
    """Share of the claim's content words (stemmed) that the evidence contains."""
    claim_terms = [t for t in dict.fromkeys(terms(claim)) if t not in _REPORTING]
    if not claim_terms:
        return 1.0
    have = set(terms(evidence))
    return sum(1 for t in claim_terms if t in have) / len(claim_terms)


# Every sentence of an answer is checked against the same few sources: what is read from a
# source's text is computed once per text, not once per sentence and clause.
@lru_cache(maxsize=256)
def _spans(text: str) -> tuple[tuple[int, int], ...]:
    return tuple(sentence_spans(text))


@lru_cache(maxsize=256)
def _windows(text: str) -> tuple[tuple[int, int, frozenset[str]], ...]:
    """Each sentence and each pair of adjacent sentences of ``text``, with its index terms."""
    spans = list(_spans(text)) or [(0, len(text))]
    pairs = [(a[0], b[1]) for a, b in itertools.pairwise(spans)]
    return tuple((s, e, frozenset(terms(text[s:e]))) for s, e in spans + pairs)


@lru_cache(maxsize=256)
def _quotes_in(text: str) -> tuple[tuple[frozenset[str], str], ...]:
    """The statements ``text`` attributes, as (their index terms, the speaker)."""
    from ..text.quotes import extract_quotes

    return tuple((frozenset(terms(q.text(text))), q.speaker) for q in extract_quotes(text, list(_spans(text))))


def _normal(text: str) -> str:
    return " ".join(words(text))


def _quotes_not_verbatim(claim: str, evidence: str) -> list[str]:
    folded_evidence = _normal(evidence)
    out = []
    for match in _QUOTED.finditer(fold(claim)):
        quoted = _normal(match.group(1))
        if quoted and f" {quoted} " not in f" {folded_evidence} ":
            out.append(f"the quotation “{match.group(1).strip()}” is not word for word in the cited source")
    return out


def _numbers(text: str, spelled: bool) -> set[str]:
    found = {n.replace(",", "") for n in _NUMBER.findall(text)}
    if spelled:  # "three" in a source backs a "3" in the claim
        found |= {_NUMBER_WORDS[w] for w in words(text) if w in _NUMBER_WORDS}
    return found


def _missing_numbers(claim: str, evidence: str) -> list[str]:
    """Figures must be in the source, in digits or words ("one analyst" is not a figure)."""
    spelled = {_NUMBER_WORDS[w] for w in words(claim) if w in _NUMBER_WORDS and w not in ("one", "zero")}
    missing = sorted((_numbers(claim, spelled=False) | spelled) - _numbers(evidence, spelled=True))
    return [f"the figure {n} is not in the cited source" for n in missing]


def _names(claim: str) -> list[str]:
    """Capitalised words inside the sentence (its first word is capitalised anyway)."""
    out = []
    for match in re.finditer(r"(?<=\s)[\"“‘(]?([A-Z][\w'’-]*)", claim):
        low = fold(match.group(1)).lower()
        for suffix in ("'s", "’s", "'", "’"):
            low = low.removesuffix(suffix)
        if len(low) > 1 and low not in STOPWORDS and low not in _TITLES:
            out.append(low)
    return out


def _missing_names(claim: str, evidence: str) -> list[str]:
    """Names must come from the sources ("Russian" from "Russia", "Patriot" from "Patriots")."""
    have = set(words(evidence))
    stems = {w[:5] for w in have if len(w) >= 5}
    missing = []
    for name in dict.fromkeys(_names(claim)):
        first = name.split("-")[0]
        if name in have or first in have or (len(name) >= 5 and name[:5] in stems):
            continue
        missing.append(name)
    return [f"the name “{n}” is not in the sources" for n in missing]


def _mostly_quoted(claim: str) -> bool:
    """Is most of the claim a quotation (checked word for word, so its polarity is the source's)?"""
    quoted = sum(len(m.group(1)) for m in _QUOTED.finditer(claim))
    return quoted >= 0.5 * len(claim)


def _negated(text: str) -> bool:
    tokens = re.findall(r"[a-z]+(?:n't)?", fold(text).lower())
    return any(t in _NEGATIONS or t.endswith("n't") or t.startswith(_NEGATING_STEMS) for t in tokens)


def _attributed(claim: str) -> list[str]:
    """Whom the claim says spoke: "Stoltenberg said", "said Jens Stoltenberg", "according to X"."""
    people = []
    for pattern in (_SAYS, _SAID_BY, _ACCORDING):
        for match in pattern.finditer(fold(claim)):
            name = [w for w in words(match.group("who")) if w not in _TITLES and w not in STOPWORDS]
            if name:
                people.append(name[-1])
    return people


def _quote_not_theirs(claim: str, speakers: list[str], sources: dict[int, str]) -> list[str]:
    """Words the claim quotes and gives to someone must not be, in the source, another named
    person's: the attribution next to them (their sentence, the two before, the one after) names
    someone else and not the claimed speaker."""
    if not speakers:
        return []
    out = []
    for match in _QUOTED.finditer(fold(claim)):
        quoted = _normal(match.group(1))
        for text in sources.values():
            spans = _spans(text)
            for i, (start, end) in enumerate(spans):
                if f" {quoted} " not in f" {_normal(text[start:end])} ":
                    continue
                nearby = text[spans[max(0, i - 2)][0] : spans[min(len(spans) - 1, i + 1)][1]]
                if any(fuzz.ratio(s, w) >= 85 for s in speakers for w in words(nearby)):
                    continue
                others = _attributed(nearby)
                if others:
                    out.append(
                        f"the cited source gives “{match.group(1).strip()}” to {others[0].title()}, "
                        f"not to {speakers[0].title()}"
                    )
    return out


def _wrong_speaker(claim: str, speakers: list[str], sources: dict[int, str]) -> list[str]:
    """A claim that names who spoke must name whom the source attributes the matching words to."""
    if not speakers:
        return []
    claim_terms = set(terms(claim))
    best: tuple[float, str] | None = None
    for text in sources.values():
        for said, speaker in _quotes_in(text):
            if not said:
                continue
            overlap = len(claim_terms & said) / min(len(said), len(claim_terms) or 1)
            if overlap >= 0.5 and (best is None or overlap > best[0]):
                best = (overlap, speaker)
    if best is None or not best[1][:1].isupper():
        return []  # the source's speaker is unnamed or unresolved here: nothing to contradict
    source_names = words(best[1])
    if any(fuzz.ratio(s, name) >= 85 for s in speakers for name in source_names):
        return []
    return [f"the cited source attributes these words to {best[1]}, not to {speakers[0].title()}"]
