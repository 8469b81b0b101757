"""The default engine: answer with verbatim passages from the articles, each cited, or abstain.

No model writes anything, so nothing can be invented: the answer is the best one to three
passages among the retrieved chunks, scored by how much of the question they cover
(idf-weighted, name variants included), where they ranked, and, for "what did X say"
questions, whether the passage is X's own attributed words. It abstains when the question
names something no indexed article mentions, or when no passage covers enough of it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from itertools import takewhile

import numpy as np
from bm25s.stopwords import STOPWORDS_EN_PLUS

from ..models import Answer, Citation, DocumentInfo
from ..search.bm25 import TermGroup, idf_coverage, soft_weights
from ..search.retrieval import Retrieval
from ..text.countries import country_forms
from ..text.dates import extract_dates, resolved_in
from ..text.figures import (
    PRICE_WORD,
    has_amount,
    stated_figures,
)
from ..text.names import MID_SENTENCE_CAPITALISED
from ..text.passages import Passage
from ..text.question import Question, analyse, asked_person_nouns
from ..text.terms import SOFT_WORDS, fold, terms, words
from .abstention import AbstentionModel, Evidence, default_model, features
from .base import Corpus
from .copies import SAME_CONTAINMENT, add_copies, add_copy, copy_entry, same_passage
from .quoted import answer_from_quotes, article_terms

_NUMBER = re.compile(
    r"\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|hundred|thousand|million|billion|dozen)\b", re.I
)
_YEAR_OR_DAY = re.compile(
    r"\b(1[89]\d\d|20\d\d|monday|tuesday|wednesday|thursday|friday|saturday|sunday"
    r"|yesterday|today|last (week|month|year))\b",
    re.I,
)
# Questions whose answer must be a figure ("how long/often" may be answered in words: "for decades").
_COUNT_QUESTION = re.compile(r"\bhow (many|much)\b|\bwhat (percentage|proportion|number|amount|price|sum)\b", re.I)
RANK_WEIGHT = 2.0  # how much the chunk's retrieval score counts beside the passage's own coverage
KIND_WEIGHT = 0.25  # a passage holding what was asked for (a number for "how many"...)
# passages compared to the question by embedding (a MiniLM run each, about 6 ms on these 2 cores).
# 3, not 4: on 1,000 SQuAD questions, every quality figure was the same with 3 (seed set and
# who-said tuning sets too), with a fifth fewer model runs a question (1,180 -> 957 on 240
# BBC benchmark questions)
PASSAGE_RERANK = 3
PASSAGE_DENSE_WEIGHT = 1.0
# A passage answers by meaning when the embedding model finds it this close to the question and it
# holds at least this share of the question's words (tuned on the who-said tune half).
MEANING_SIMILARITY = 0.6
MEANING_MIN_COVERAGE = 0.3
# (weights tuned on the SQuAD dev split; see docs/BENCHMARKS.md)


@dataclass
class Scored:
    passage: Passage
    doc: DocumentInfo
    score: float
    coverage: float
    speaker_match: float
    chunk_rank: int
    similarity: float = 0.0  # the embedding model's cosine to the question (best few passages only)


class ExtractiveEngine:
    """Compose answers from verbatim source passages. See the module docstring."""

    name = "extractive"

    def __init__(
        self,
        max_passages: int = 3,
        min_coverage: float = 0.5,
        follow_ratio: float = 0.8,
        abstain: bool = True,
        abstention_model: AbstentionModel | str | None = "default",
        abstain_confidence: float | None = None,
    ) -> None:
        self.max_passages = max_passages
        self.min_coverage = min_coverage
        self.follow_ratio = follow_ratio
        self.abstain = abstain  # False: always quote the best passage (to measure selection alone)
        self.model = default_model() if abstention_model == "default" else abstention_model
        # None: the model's own (SQuAD-calibrated) threshold
        self.abstain_confidence = abstain_confidence

    def answer(self, question: str, standalone: str, retrieval: Retrieval, corpus: Corpus) -> Answer:
        q = analyse(standalone)
        subject = corpus.people.subject_of(q.unsplit) if q.unsplit else None
        if subject is not None:  # "why did meera nair pick ...": the directory tells the name from the deed
            q = q.with_subject(*subject)

        def abstain(reason: str, text: str) -> Answer:
            return Answer(question, text, [], True, standalone, reason, self.name)

        if not self.abstain:
            return self._best_effort(question, standalone, q, retrieval, corpus)

        if corpus.size() == 0:
            return abstain(
                "empty store", "No articles are indexed yet, so I can't answer. Add some with `assistant ingest PATH`."
            )
        speaker_groups, topic_groups = _question_groups(q, standalone, retrieval, corpus)
        hard = [g for g in topic_groups + speaker_groups if g.word not in SOFT_WORDS]

        if q.speaker:
            people = corpus.people.find(q.speaker)
            if not people:  # a role no entry holds: who the retrieved articles give it to
                holder = corpus.people.holder_in(
                    q.speaker,
                    dict.fromkeys(c.doc_id for c in retrieval.chunks),
                    corpus.document_text,
                    lambda doc_id: [p.text for p in corpus.passages(doc_id)],
                )
                people = [holder] if holder else []
            if q.loose:
                people = [p for p in people if p.kind == "person"]  # a guess: only a person quoted by name
            if people:
                quoted = answer_from_quotes(
                    question,
                    standalone,
                    q.speaker,
                    q.topic_of_possessor,
                    people,
                    corpus,
                    max_quotes=self.max_passages,
                    allowed_docs=allowed_docs(retrieval, corpus),
                    chunk_scores=_chunk_scores(retrieval),
                    engine=self.name,
                    verb=q.verb,
                    conversation=retrieval.conversation,
                    occasion=q.occasion,
                )
                if not (q.deed and quoted.abstained):
                    return quoted
            elif not q.loose and not any(g.in_corpus for g in speaker_groups if g.word not in SOFT_WORDS):
                return abstain(
                    f"speaker not in any article: {q.speaker}",
                    f"The indexed articles don't mention {q.speaker}: none of the {corpus.size()} articles names them.",
                )
            if q.loose:
                # a guessed speaker nobody quotes ("the company" in "when did the company announce
                # ..."), or a deed their words don't explain ("why did Schenck refuse to show it?"):
                # the question is asked of the articles at large
                q = q.as_plain()
                speaker_groups, topic_groups = _question_groups(q, standalone, retrieval, corpus)
                hard = [g for g in topic_groups + speaker_groups if g.word not in SOFT_WORDS]
        # a name or a figure the question gives that no article has: the articles can't be about it
        unknown = [g.word for g in hard if not g.in_corpus and _names_something(g.word, standalone)]
        if not retrieval.chunks or not topic_groups + speaker_groups:
            return abstain("nothing retrieved", "I found nothing in the indexed articles that answers this.")

        scored = self._score(q, topic_groups, speaker_groups, retrieval, corpus)
        if unknown:
            listed = ", ".join(f"“{w}”" for w in unknown[:4])
            answer = abstain(
                f"not in any article: {', '.join(unknown)}",
                f"The indexed articles don't answer this: none of the {corpus.size()} articles mentions {listed}.",
            )
            answer.related = self._related(scored, corpus)
            return answer
        if q.speaker:
            # their own attributed words only: a sentence that merely names them is not their words
            attributed = [s for s in scored if s.speaker_match >= 1.0]
            if not attributed:
                answer = abstain(
                    f"no passage attributed to {q.speaker}",
                    f"The indexed articles mention {q.speaker} but don't quote them"
                    + (f" on {q.topic}." if q.topic else ".")
                    + " The passages that mention them are shown below as related passages.",
                )
                answer.related = self._related(scored, corpus)
                return answer
            scored = attributed
        # only passages that cover enough of the question may be quoted; the best of those answers
        eligible = [
            s
            for s in scored
            if s.coverage >= self.min_coverage
            or (s.similarity >= MEANING_SIMILARITY and s.coverage >= MEANING_MIN_COVERAGE)
        ]
        names = [g for g in hard if not q.speaker and _names_something(g.word, standalone) and g.word.isalpha()]
        if names and eligible:
            # a passage from an article that never names what the question names ("the Lord of the Rings
            # musical in Toronto" answered from a story on the film) is about something else: neither
            # answers nor follows the answer
            named_by: dict[str, bool] = {}

            def on_subject(s: Scored) -> bool:
                doc = s.passage.doc_id
                if doc not in named_by:
                    named_by[doc] = all(_names_in(g, article_terms(corpus, s.passage.doc_id)) for g in names)
                return named_by[doc]

            if not any(on_subject(s) for s in eligible):
                closest = article_terms(corpus, max(eligible, key=lambda s: s.score).passage.doc_id)
                absent = [g.word for g in names if not _names_in(g, closest)]
                answer = abstain(
                    f"the closest passages' articles don't mention: {', '.join(absent)}",
                    "The indexed articles don't answer this: the closest passages are from articles that don't "
                    f"mention {', '.join(f'“{w}”' for w in absent[:4])}.",
                )
                answer.related = self._related(scored, corpus)
                return answer
            eligible = [s for s in eligible if on_subject(s)]
            scored = [s for s in scored if on_subject(s)]
        best = max(eligible, key=lambda s: s.score, default=None)
        if best is None:
            best = max(scored, key=lambda s: s.coverage, default=None)
            missing = [g.word for g in hard if best is None or not g.found_in(_context_terms(best, corpus))]
            detail = (
                f" The closest passage doesn't mention {', '.join(f'“{w}”' for w in missing[:4])}." if missing else ""
            )
            answer = abstain(
                f"best passage covers {best.coverage:.0%} of the question" if best else "no passage",
                "The indexed articles don't answer this." + detail,
            )
            answer.related = self._related(scored, corpus)
            return answer
        confidence = None
        if not q.speaker and self.model is not None:
            # attributed quotes carry their own evidence; other questions also ask the learned model
            evidence = self._evidence(standalone, topic_groups, scored, corpus)
            confidence = self.model.p_answerable(features(evidence, retrieval))
            threshold = self.model.threshold if self.abstain_confidence is None else self.abstain_confidence
            if confidence < threshold:
                answer = abstain(
                    f"the closest passage does not seem to answer it (confidence {confidence:.2f})",
                    "The indexed articles don't seem to answer this: the closest passages mention its words "
                    "but don't say what it asks.",
                )
                answer.confidence = confidence
                answer.related = self._related(scored, corpus)
                return answer
        chosen = self._choose(best, scored, self.min_coverage)
        if _COUNT_QUESTION.search(standalone) and not any(has_amount(s.passage.text, standalone) for s in chosen):
            # the figure is often in the next sentence, whose words lean on the one before ("the
            # sale of these two businesses ... "This has saved over 40 jobs""): a passage nearly as
            # good that states it, with its neighbours holding the question's words, answers
            figure = self._figure_passage(best, scored, standalone, topic_groups, corpus)
            if figure is not None:
                chosen = [figure, *(s for s in chosen if not _overlaps(s, figure))][: self.max_passages]
        nouns = asked_person_nouns(standalone)
        asked = {w.lower() for w in words(standalone)}
        if nouns and not any(_names_someone(s.passage.text, asked, nouns) for s in chosen):
            # "Which classical composer spoke alongside Kapranos?" is answered by a name: the passage that
            # gives someone the noun asked ("classical composer James MacMillan"), else one nearly as good
            # that names someone the question doesn't
            named = self._named_passage(best, scored, nouns, asked, topic_groups, corpus)
            if named is not None:
                chosen = [named, *(s for s in chosen if not _overlaps(s, named))][: self.max_passages]
        if _COUNT_QUESTION.search(standalone) and not any(has_amount(s.passage.text, standalone) for s in chosen):
            # "how much was the deal worth?" answered by a passage with no figure is no answer
            context = _context_terms(best, corpus)
            named = [f"“{g.word}”" for g in hard if g.found_in(context)][:3]
            answer = abstain(
                "no figure in the closest passages",
                "The indexed articles don't give a figure for this"
                + (f": the closest passages mention {', '.join(named)} but no amount." if named else "."),
            )
            answer.confidence = confidence
            answer.related = self._related(scored, corpus)
            return answer
        if q.speaker:  # their own quoted words first, then reported speech
            chosen.sort(key=lambda s: (not s.passage.quoted, -s.score))
        answer = self._compose(question, standalone, q, chosen, speaker_groups, scored, corpus, retrieval)
        answer.confidence = confidence
        return answer

    def evidence(self, question: str, retrieval: Retrieval, corpus: Corpus) -> Evidence | None:
        """The abstention features' inputs for a question (used to train the model too)."""
        groups = _groups_of(question, retrieval, corpus)
        scored = self._score(analyse(question), groups, [], retrieval, corpus)
        return self._evidence(question, groups, scored, corpus) if scored else None

    def _evidence(self, question: str, groups: list[TermGroup], scored: list[Scored], corpus: Corpus) -> Evidence:
        ranked = sorted(scored, key=lambda s: -s.score)
        best = ranked[0]
        same_chunk = [s.passage.terms for s in scored if s.chunk_rank == best.chunk_rank]
        return Evidence(
            question=question,
            hard_groups=[g for g in groups if g.word not in SOFT_WORDS],
            best_terms=best.passage.terms,
            best_text=best.passage.text,
            context_terms=_context_terms(best, corpus),
            chunk_terms=frozenset().union(*same_chunk),
            best_score=best.score,
            second_score=ranked[1].score if len(ranked) > 1 else 0.0,
            best_coverage=best.coverage,
            max_coverage=max(s.coverage for s in scored),
            kind_cue=_kind_cue(analyse(question).kind, best.passage.text, {w.lower() for w in words(question)}),
        )

    def _best_effort(self, question: str, standalone: str, q: Question, retrieval: Retrieval, corpus: Corpus) -> Answer:
        speaker_groups, topic_groups = _question_groups(q, standalone, retrieval, corpus)
        scored = self._score(q, topic_groups, speaker_groups, retrieval, corpus)
        if not scored:
            return Answer(question, "No passage retrieved.", [], True, standalone, "nothing retrieved", self.name)
        best = max(scored, key=lambda s: s.score)
        chosen = self._choose(best, scored, 0.0)
        return self._compose(question, standalone, q, chosen, speaker_groups, scored, corpus, retrieval)

    def _related(self, scored: list[Scored], corpus: Corpus, n: int = 3) -> list[Citation]:
        """The closest passages, shown beside a refusal (never as its evidence)."""
        chosen: list[Scored] = []
        for s in sorted(scored, key=lambda s: -s.score):
            if len(chosen) >= n:
                break
            if not any(_overlaps(s, c) or _same_passage(s, c) for c in chosen):
                chosen.append(s)
        return _with_copies([_citation(n, s, corpus) for n, s in enumerate(chosen, 1)], chosen, scored, corpus, None)

    def _figure_passage(
        self, best: Scored, scored: list[Scored], question: str, topic_groups: list[TermGroup], corpus: Corpus
    ) -> Scored | None:
        """For "how many / how much": the best passage scoring nearly as well as ``best`` that states
        the kind of figure asked for, when it and its neighbours in the paragraph hold enough of the
        question's words (a passage's own words seldom repeat what the sentence before it named); else
        one from the best passage's article whose figure has a word of the question beside it."""
        weights = soft_weights(topic_groups)
        ranked = sorted(scored, key=lambda s: -s.score)
        for s in ranked:
            if s.score < self.follow_ratio * best.score:
                break
            if not has_amount(s.passage.text, question):
                continue
            if idf_coverage(topic_groups, _context_terms(s, corpus), weights) >= self.min_coverage:
                return s
        # the story the best passage tells, further down: a figure beside a word of the question ("how
        # many people left the Bernabeu": "More than 70,000 people abandoned the ground", the paragraph
        # after the lead naming the stadium). Not a figure beside other words ("the £1,950 throne" for
        # what Evans paid for a sofa the same sentence names).
        asked = [g for g in topic_groups if g.word not in _FIGURE_FILLERS and not PRICE_WORD.fullmatch(g.word)]
        for s in ranked:
            if s.passage.doc_id != best.passage.doc_id or not has_amount(s.passage.text, question):
                continue
            beside = _figure_words(s.passage.text, question)
            if any(g.found_in(beside) for g in asked):
                return s
        return None

    def _named_passage(
        self,
        best: Scored,
        scored: list[Scored],
        nouns: list[str],
        asked: set[str],
        topic_groups: list[TermGroup],
        corpus: Corpus,
    ) -> Scored | None:
        """For "which <person>": the best passage giving someone that noun, else the best scoring nearly as
        well as ``best`` that names someone the question doesn't; either in the best passage's article (the
        story asked about) or with its paragraph holding enough of the question's words."""
        weights = soft_weights(topic_groups)
        ranked = sorted(scored, key=lambda s: -s.score)

        def in_story(s: Scored) -> bool:  # the best passage's article, or a paragraph on the question
            same = s.passage.doc_id == best.passage.doc_id
            return same or idf_coverage(topic_groups, _context_terms(s, corpus), weights) >= self.min_coverage

        by_noun = (s for s in ranked if _names_someone(s.passage.text, asked, nouns) and in_story(s))
        nearly = takewhile(lambda s: s.score >= self.follow_ratio * best.score, ranked)
        by_name = (s for s in nearly if _names_someone(s.passage.text, asked) and in_story(s))
        return next(by_noun, None) or next(by_name, None)

    def _choose(self, best: Scored, scored: list[Scored], min_coverage: float) -> list[Scored]:
        """The best passage, then others nearly as good, never overlapping or repeating one."""
        chosen = [best]
        for s in sorted(scored, key=lambda s: -s.score):
            if len(chosen) >= self.max_passages:
                break
            if s is best or s.score < self.follow_ratio * best.score or s.coverage < min_coverage:
                continue
            if not any(_overlaps(s, c) or _same_passage(s, c) for c in chosen):
                chosen.append(s)
        return chosen

    # --- scoring --------------------------------------------------------------------------
    def _score(
        self,
        q: Question,
        topic_groups: list[TermGroup],
        speaker_groups: list[TermGroup],
        retrieval: Retrieval,
        corpus: Corpus,
    ) -> list[Scored]:
        weights = soft_weights(topic_groups)
        seen: set[tuple[str, int]] = set()
        out: list[Scored] = []
        top_score = max((c.score for c in retrieval.chunks), default=1.0) or 1.0
        asked = {w.lower() for w in words(q.text)}
        for rank, chunk in enumerate(retrieval.chunks):
            doc = corpus.document(chunk.doc_id)
            for p in corpus.passages(chunk.doc_id):
                if p.end <= chunk.start or p.start >= chunk.end or (p.doc_id, p.index) in seen:
                    continue
                seen.add((p.doc_id, p.index))
                coverage = idf_coverage(topic_groups, p.terms, weights) if topic_groups else 1.0
                speaker_match = _speaker_match(p, speaker_groups) if speaker_groups else 0.0
                score = coverage + RANK_WEIGHT * chunk.score / top_score
                if q.speaker:
                    score += 0.6 * speaker_match + (0.15 if p.quoted else 0.0)
                score += KIND_WEIGHT * _kind_cue(q.kind, p.text, asked)
                if p.index == 0 and fold(p.text).strip() == fold(doc.title).strip():
                    score -= 0.15  # a headline is a summary, not the reporting
                if len(p.text) > 450:
                    score -= 0.1
                out.append(Scored(p, doc, score, coverage, speaker_match, rank))
        # the few best passages also get their own dense similarity to the question
        if retrieval.query_vector and out:
            question_vector = np.asarray(retrieval.query_vector)
            for s in sorted(out, key=lambda s: -s.score)[:PASSAGE_RERANK]:
                vector = np.asarray(corpus.passage_vector(s.passage.doc_id, s.passage.start, s.passage.end))
                s.similarity = float(question_vector @ vector)
                s.score += PASSAGE_DENSE_WEIGHT * s.similarity
        return out

    # --- composing ------------------------------------------------------------------------
    def _compose(
        self,
        question: str,
        standalone: str,
        q: Question,
        chosen: list[Scored],
        speaker_groups: list[TermGroup],
        scored: list[Scored] | None = None,
        corpus: Corpus | None = None,
        retrieval: Retrieval | None = None,
    ) -> Answer:
        citations = [_citation(n, s, corpus) for n, s in enumerate(chosen, 1)]
        if corpus is not None:
            allowed = allowed_docs(retrieval, corpus) if retrieval is not None else None
            citations = _with_copies(citations, chosen, scored or [], corpus, allowed)
        lines = [f"{s.passage.text} [{n}]" for n, s in enumerate(chosen, 1)]
        if q.speaker:
            name = _speaker_as_written(chosen, speaker_groups) or q.speaker
            text = f"{name}, in the articles' words:\n" + "\n".join(lines)
            reason = f"{len(chosen)} passage(s) attributed to {name}"
        else:
            text = " ".join(lines)
            reason = f"best passage covers {chosen[0].coverage:.0%} of the question"
        return Answer(question, text, citations, False, standalone, reason, self.name)


def _citation(n: int, s: Scored, corpus: Corpus | None = None) -> Citation:
    """``s`` cited; its speaker is the quote index's (``PeopleDirectory.speaker_at``) when there is a corpus."""
    p = s.passage
    speaker = corpus.people.speaker_at(p.doc_id, p.start, p.end) if corpus is not None else p.speaker or None
    return Citation(
        n=n,
        doc_id=p.doc_id,
        title=s.doc.title,
        source=s.doc.source,
        quote=p.text,
        start=p.start,
        end=p.end,
        score=round(s.score, 4),
        outlet=s.doc.outlet,
        speaker=speaker,
        published=s.doc.published,
        published_source=s.doc.published_source,
        dates=resolved_in(p.text, 0, len(p.text), s.doc.published, offset=p.start),
    )


def _chunk_scores(retrieval: Retrieval) -> dict[tuple[str, int, int], float]:
    """The search's chunks as (doc, start, end) -> score relative to the best."""
    top = max((c.score for c in retrieval.chunks), default=0.0) or 1.0
    return {(c.doc_id, c.start, c.end): c.score / top for c in retrieval.chunks}


def allowed_docs(retrieval: Retrieval, corpus: Corpus) -> Callable[[str], bool] | None:
    """Which articles a filtered search may cite (None: all), asked per statement's article."""
    f = retrieval.filters
    if f is None or f.empty:
        return None

    def allowed(doc_id: str) -> bool:
        doc = corpus.document(doc_id)
        return f.allows_document(doc_id, doc.outlet, doc.published_day)

    return allowed


def _names_something(word: str, question: str) -> bool:
    """Is ``word`` a name or a figure in the question ("Zelensky", "F-35", "2019")? A plain word the
    articles never use may be a paraphrase; a name they never use means they are about something else."""
    if any(ch.isdigit() for ch in word):
        return True
    for m in re.finditer(r"[\w'’\-]+", question):
        token = m.group(0)
        if terms(token) and word in terms(token) and token[:1].isupper() and m.start() > 0:
            return True
    return False


def _question_groups(
    q: Question, standalone: str, retrieval: Retrieval, corpus: Corpus
) -> tuple[list[TermGroup], list[TermGroup]]:
    """(speaker's words, topic's words): for "what did X say about Y", X and Y; else ([], question)."""
    if not q.speaker:
        return [], _groups_of(standalone, retrieval, corpus)
    speaker_groups = corpus.keyword.term_groups(q.speaker)
    speaker_words = {g.word for g in speaker_groups}
    return speaker_groups, [g for g in corpus.keyword.term_groups(q.topic or "") if g.word not in speaker_words]


def _groups_of(text: str, retrieval: Retrieval, corpus: Corpus) -> list[TermGroup]:
    """The text's term groups, reusing those the search computed for the same question."""
    if retrieval.groups and retrieval.question == text:
        return retrieval.groups
    return corpus.keyword.term_groups(text)


def _speaker_match(p: Passage, speaker_groups: list[TermGroup]) -> float:
    """1.0 if the passage is attributed to the speaker, 0.7 if it names them, else 0."""
    distinctive = [g for g in speaker_groups if g.in_corpus] or speaker_groups
    attributed = set(terms(p.speaker)) if p.speaker else set()
    if any(g.found_in(attributed) for g in distinctive):
        return 1.0
    if any(g.found_in(p.terms) for g in distinctive):
        return 0.7
    return 0.0


FIGURE_REACH = 3  # index terms either side of a figure that say what it counts or prices ("people have been banned")
# a figure's words end at a clause's edge: "the £1,950 throne and "Bob Dylan's old sofa"" prices no sofa
_FIGURE_EDGE = re.compile(r"[,;:.!?()\"“”‘’\[\]–—]|\s-\s|\b(?:and|or|but|while|which|who|that|as|with)\b", re.I)


# function words (NLTK's English list, as bm25s ships it) and approximators beside a figure say nothing of
# what it counts ("about 20,000 people have been banned"); terms() keeps most of them
_FIGURE_FILLERS = frozenset(terms(" ".join(STOPWORDS_EN_PLUS))) | frozenset(terms("around nearly almost roughly"))


def _figure_words(text: str, question: str) -> frozenset[str]:
    """The index terms beside each figure the passage states that the question does not: what it counts
    or prices ("70,000 people", "the £1,950 throne", "will cost $150"), within its clause."""
    found: set[str] = set()
    for m in stated_figures(text, question):
        before = _FIGURE_EDGE.split(text[max(0, m.start() - 80) : m.start()])[-1]
        after = _FIGURE_EDGE.split(text[m.end() : m.end() + 80])[0]
        found.update([t for t in terms(before) if t not in _FIGURE_FILLERS][-FIGURE_REACH:])
        found.update([t for t in terms(after) if t not in _FIGURE_FILLERS][:FIGURE_REACH])
    return frozenset(found)


# a person's name: "Ms Simonetti", "James MacMillan" (two or three capitalised words)
_PERSON_NAME = (
    r"(?:(?:Mr|Mrs|Ms|Miss|Dr|Sir|Lord|Lady)\.?\s+[A-Z][\w'’-]+|[A-Z][a-z][\w'’-]*(?:\s+[A-Z][a-z][\w'’-]*){1,2})"
)


def _names_someone(text: str, asked: set[str], nouns: list[str] | None = None) -> bool:
    """Does a passage name a person the question doesn't; with ``nouns``, give them one of those nouns
    ("classical composer James MacMillan", "James MacMillan, the composer")?"""
    if nouns:
        noun = "|".join(re.escape(n) for n in nouns)
        before = rf"\b(?:{noun})\s+(?P<a>{_PERSON_NAME})"  # "classical composer James MacMillan"
        after = rf"(?P<b>{_PERSON_NAME}),\s+(?:an?\s+|the\s+)?(?:[\w'’-]+\s+){{0,5}}?(?:{noun})\b"  # "X, the composer"
        pattern = f"{before}|{after}"
    else:
        pattern = rf"(?P<a>{_PERSON_NAME})"
    for m in re.finditer(pattern, text):
        name = m.group("a") or m.groupdict().get("b") or ""
        if not {w.lower() for w in words(name)} & asked:
            return True
    return False


def _kind_cue(kind: str, text: str, asked: set[str]) -> float:
    """Does the passage hold the kind of thing asked for, beyond the question's own words?"""
    if kind == "how_many":
        return 1.0 if any(m.group(0).lower() not in asked for m in _NUMBER.finditer(text)) else 0.0
    if kind == "when":
        dates = extract_dates(text, limit=3) + [m.group(0) for m in _YEAR_OR_DAY.finditer(text)]
        return 1.0 if any(d.lower() not in " ".join(asked) for d in dates) else 0.0
    if kind in ("who", "where"):
        names = [m.group(0).strip().lower() for m in MID_SENTENCE_CAPITALISED.finditer(text)]
        return 1.0 if any(n not in asked for n in names) else 0.0
    return 0.0


def _context_terms(s: Scored, corpus: Corpus) -> frozenset[str]:
    """Terms of the passage and its neighbours in the same paragraph."""
    passages = corpus.passages(s.passage.doc_id)
    i = s.passage.index
    near = [p for p in passages[max(0, i - 1) : i + 2] if p.paragraph == s.passage.paragraph]
    return frozenset().union(*(p.terms for p in near))


def _names_in(group: TermGroup, article: frozenset[str]) -> bool:
    """Does an article name what a question's word names: the word, or another form of the country
    it is ("US" in a story printing "U.S." and "American")?"""
    if group.found_in(article):
        return True
    return any(set(terms(form)) <= article for form in country_forms(group.word))


def _overlaps(a: Scored, b: Scored) -> bool:
    pa, pb = a.passage, b.passage
    return pa.doc_id == pb.doc_id and pa.start < pb.end and pb.start < pa.end


def _same_text(a: Scored, b: Scored) -> bool:
    """Syndicated copies repeat the same sentence: cite it once."""
    return " ".join(words(a.passage.text)) == " ".join(words(b.passage.text))


def _same_passage(a: Scored, b: Scored) -> bool:
    """The same sentence, or the same passage nearly word for word in another article (a reprint)."""
    pa, pb = a.passage, b.passage
    ta, tb = pa.terms, pb.terms
    if ta != tb and (not ta or not tb or len(ta & tb) < SAME_CONTAINMENT * min(len(ta), len(tb))):
        return False  # cheap: the same words have the same terms, a near copy most of them
    if _same_text(a, b):
        return True
    return pa.doc_id != pb.doc_id and same_passage(pa.text, pb.text, ta, tb)


def _with_copies(
    citations: list[Citation],
    chosen: list[Scored],
    scored: list[Scored],
    corpus: Corpus,
    allowed: Callable[[str], bool] | None,
) -> list[Citation]:
    """Each citation with the other articles that carry its passage: those among the scored
    passages (retrieved too), then its article's syndicated copies (``Corpus.copies``)."""
    for citation, s in zip(citations, chosen, strict=True):
        for other in sorted(scored, key=lambda o: -o.score):
            if other.passage.doc_id != s.passage.doc_id and _same_passage(other, s):
                p = other.passage
                add_copy(citation, copy_entry(corpus, p.doc_id, p.start, p.end))
        # the search's own chunks hold a reprint of a passage that ranks this well: no second search
        add_copies(citation, corpus, allowed=allowed, search=False)
    return citations


def _speaker_as_written(chosen: list[Scored], speaker_groups: list[TermGroup]) -> str | None:
    """The speaker's name as the article spells it ("Çavuşoğlu" for a question typed "cavusoglu")."""
    for s in chosen:
        for token in re.findall(r"[\w'’\-]+", s.passage.speaker or s.passage.text):
            if any(g.found_in(set(terms(token))) for g in speaker_groups if g.in_corpus):
                return token.removesuffix("’s").removesuffix("'s")
    return None
