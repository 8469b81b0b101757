"""``Assistant``: the one public door. Every interface (CLI, web page, bot) goes through it.

    load -> clean -> chunk -> embed/store -> retrieve -> answer

It wires the parts and does little itself: the store (``search.store``), the ingest pipeline
(``ingest.pipeline``), the search index engines read (``search.index``) and the answer engine
(``answering.create``). It resolves follow-ups, checks every citation against the text of
record before an answer leaves it, and lets writers take turns while questions go on.
"""

from __future__ import annotations

import logging
import os
import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from .config import Settings
from .errors import AssistantError, DocumentNotFound
from .models import Answer, Citation, DocumentInfo, Draft, IngestProgress, IngestReport, SearchFilter, final_answer
from .search.embedding import MiniLM
from .search.store import open_store
from .text.dates import resolved_in
from .text.followup import asked_about, refers_back, standalone_question
from .text.question import analyse, asked_person_nouns

if TYPE_CHECKING:  # imported when first used: ``docs`` and ``remove`` never load the search stack
    from .answering import AnswerEngine
    from .search.index import SearchIndex
    from .search.llama import HybridRetriever
    from .search.people import Person
    from .search.retrieval import Retrieval

log = logging.getLogger(__name__)

MAX_QUESTION_CHARS = 2000
_CITED_LINE = re.compile(r"\[\d+\]")  # a line of an answer that quotes an article cites it: "... [2]"


class Assistant:
    """Ingest news articles and answer questions with exactly-quoted, cited passages."""

    def __init__(
        self,
        store_dir: str | os.PathLike[str] | None = None,
        *,
        settings: Settings | None = None,
        engine: AnswerEngine | str | None = None,
        create: bool = True,
        **overrides: Any,
    ) -> None:
        """``overrides`` are settings by their flat names (``top_k=5``); ``engine`` is an engine
        name for ``answering.create`` or an engine object. ``create=False`` raises
        ``StoreNotFound`` instead of creating an empty store where none exists."""
        if store_dir is not None:
            overrides["store_dir"] = str(store_dir)
        if isinstance(engine, str):
            overrides["engine"] = engine
        self.settings = settings.with_values(overrides) if settings else Settings.load(overrides)
        self._engine = engine if engine is not None and not isinstance(engine, str) else None
        if self._engine is None:
            from .answering import check_name

            check_name(self.settings.answer.engine)  # a misspelt engine fails now, not at the first question
        self.store = open_store(self.settings.store, create=create)
        self.model = MiniLM()
        self._index: SearchIndex | None = None
        # Writers (ingest, remove) take turns; questions only wait for an index rebuild, so
        # they are answered while an upload is being ingested.
        self._write_lock = threading.RLock()
        self._parts_lock = threading.Lock()
        if self.store.stale_model:
            from .ingest.pipeline import reembed

            reembed(self.store, self.model, self.settings.store.embed_workers)

    @property
    def index(self) -> SearchIndex:
        """The search index over the store: what questions are answered from."""
        with self._parts_lock:
            if self._index is None:
                from .search.index import SearchIndex

                self._index = SearchIndex(self.store, self.model, self.settings.search)
            return self._index

    @property
    def engine(self) -> AnswerEngine:
        """The answer engine, made by name from the ``[answer]`` settings unless one was given."""
        with self._parts_lock:
            if self._engine is None:
                from . import answering

                self._engine = answering.create(self.settings.answer.engine, self.settings)
            return self._engine

    # --- ingest ---------------------------------------------------------------------------
    def ingest(
        self,
        paths: Iterable[str | os.PathLike[str]] | str | os.PathLike[str],
        *,
        progress: Callable[[IngestProgress], None] | None = None,
        names: dict[str, str] | None = None,
    ) -> IngestReport:
        """Add files and folders. Unchanged articles are skipped, changed ones replaced.

        ``names`` maps a path to the name to record as its source (e.g. an upload's
        original filename). Returns per-article outcomes; one bad file never stops the rest.
        """
        if isinstance(paths, (str, os.PathLike)):
            paths = [paths]
        from .ingest.pipeline import IngestPipeline

        with self._write_lock, self.index.writing():
            pipeline = IngestPipeline(self.store, self.model, self.settings.store)
            return pipeline.run(paths, progress=progress, names=names)

    # --- ask ------------------------------------------------------------------------------
    def ask(
        self,
        question: str,
        history: Sequence[dict[str, Any]] | None = None,
        *,
        filters: SearchFilter | None = None,
    ) -> Answer:
        """Answer from the indexed articles, citing exact passages; abstain when they don't say.

        ``history`` is the conversation so far as ``[{"role": "user"|"assistant", "content": str}]``;
        follow-ups such as "and what did he say about sanctions?" are resolved against it.
        ``filters`` limits which articles may answer.
        """
        return final_answer(self.ask_stream(question, history, filters=filters))

    def ask_stream(
        self,
        question: str,
        history: Sequence[dict[str, Any]] | None = None,
        *,
        filters: SearchFilter | None = None,
    ) -> Iterator[Draft | Answer]:
        """``ask``, as it happens: a generative engine's draft, piece by piece as the model writes
        it (``Draft``: not yet checked, show it as such), then the checked ``Answer``, always last.
        The extractive engine yields the answer alone."""
        started = time.perf_counter()
        question = _check_question(question)
        answered, asked_about_ = self._people_answered(history), self._people_asked_about(history)
        standalone = standalone_question(
            question, history, answered, asked_about_, lambda name: self.index.people.gender(name)
        )
        if standalone is None:  # "what did he say?" with nobody in the conversation he could be
            yield Answer(
                question,
                "Who do you mean? Nobody named earlier in this conversation fits; ask again with the "
                "person's name (for example “What did Stoltenberg say about Turkey?”).",
                [],
                True,
                question,
                "a pronoun with nobody to refer to",
                self.settings.answer.engine,
                clarify=True,
            )
            return
        if history:
            standalone = self._holder_in_conversation(standalone, [*asked_about_, *answered], history)
        standalone = self._condensed(question, standalone, history)
        drafted = False
        try:
            retrieval = self.index.search(standalone, self.settings.search.top_k, filters)
            retrieval.conversation = self._answered_articles(question, history)
            answer = None
            for event in self._engine_events(question, standalone, retrieval):
                if isinstance(event, Answer):
                    answer = event
                else:
                    drafted = True
                    yield event
        except DocumentNotFound:
            if drafted:
                raise
            # an ingest replaced an article between the search and the answer: search afresh, once
            self.index.invalidate()
            retrieval = self.index.search(standalone, self.settings.search.top_k, filters)
            retrieval.conversation = self._answered_articles(question, history)
            answer = self.engine.answer(question, standalone, retrieval, self.index)
        assert answer is not None
        self._verify(answer)
        answer.timings_ms = {**{k: round(v, 2) for k, v in retrieval.timings_ms.items()}, **answer.timings_ms}
        answer.timings_ms["total"] = round((time.perf_counter() - started) * 1000, 2)
        yield answer

    def _engine_events(self, question: str, standalone: str, retrieval: Retrieval) -> Iterator[Draft | Answer]:
        stream = getattr(self.engine, "stream", None)  # engines that write answers stream them
        if stream is None:
            yield self.engine.answer(question, standalone, retrieval, self.index)
        else:
            yield from stream(question, standalone, retrieval, self.index)

    def _condensed(self, question: str, standalone: str, history: Sequence[dict[str, Any]] | None) -> str:
        """A follow-up made standalone by the language model, when the engine has one and the
        conversation has history; else (or when its rewrite fails the engine's checks) the rules'."""
        condense = getattr(self.engine, "condense", None)
        if not history or condense is None:
            return standalone
        rewrite = condense(question, history)
        if not rewrite:
            return standalone
        # whom the rules resolved "he" to must survive the model's rewrite (a small model may drop it)
        resolved = set(re.findall(r"\b[A-Z][\w'’-]+", standalone)) - set(re.findall(r"\b[A-Z][\w'’-]+", question))
        return rewrite if all(name in rewrite for name in resolved) else standalone

    def _answered_articles(self, question: str, history: Sequence[dict[str, Any]] | None) -> tuple[str, ...]:
        """The articles the latest answer quoted, found by its lines' words (a history holds only
        text), when the follow-up's topic is only a reference back ("the row") or its speaker is a
        pronoun ("did he say anything about Rooney?"): the story the conversation is on, whatever
        words the earlier question used for it."""
        if not history or not (refers_back(question) or analyse(question).speaker_is_pronoun):
            return ()
        return self._latest_answer_articles(history)

    def _latest_answer_articles(self, history: Sequence[dict[str, Any]]) -> tuple[str, ...]:
        """The articles the latest answer quoted, found by its cited lines' words."""
        latest = next(
            (m for m in reversed(history) if isinstance(m, dict) and m.get("role") == "assistant"),
            None,
        )
        docs: list[str] = []
        for line in str((latest or {}).get("content", "")).splitlines():
            if not _CITED_LINE.search(line):
                continue  # a refusal's or a header's words are no article's
            for doc_id, _, _ in self.index.passages_like(line, n=1):
                if doc_id not in docs:
                    docs.append(doc_id)
        return tuple(docs)

    def _people_answered(self, history: Sequence[dict[str, Any]] | None) -> list[str]:
        """People the assistant's earlier answers named, latest answer first (for "he" in a follow-up)."""
        if not history:
            return []
        names: list[str] = []
        for message in reversed(history):
            if isinstance(message, dict) and message.get("role") == "assistant":
                for person in self.index.people.named_in(str(message.get("content", ""))):
                    if person.name not in names:
                        names.append(person.name)
        return names

    def _holder_in_conversation(
        self, standalone: str, conversation: Sequence[str], history: Sequence[dict[str, Any]]
    ) -> str:
        """A role several people hold ("and what did the minister say about it?") is, in a
        follow-up, the one of them the conversation is about: named by the user's last question or
        by the answers (``conversation``, in that order), not the most quoted holder; else the one
        person quoted in the story the latest answer told who holds it ("and what did the film's
        director say?" after an answer naming nobody)."""
        parsed = analyse(standalone)
        if not parsed.speaker or parsed.speaker_is_pronoun:
            return standalone
        holders = self.index.people.find(parsed.speaker)
        names = {p.name for p in holders}
        chosen = next((name for name in conversation if name in names), None) if len(holders) > 1 else None
        if chosen is None and parsed.speaker.split()[-1].islower():  # a role, not a name
            in_story = self.index.people.holder_quoted_in(parsed.speaker, self._latest_answer_articles(history))
            chosen = in_story.name if in_story is not None else None
        if chosen is None or (len(holders) == 1 and chosen == holders[0].name):
            return standalone  # (several holders, the first the chosen: named, so the others' words don't compete)
        mention = re.compile(rf"\b(?:(?:the|a|an)\s+)?{re.escape(parsed.speaker)}\b", re.IGNORECASE)
        return mention.sub(chosen, standalone, count=1)

    def _people_asked_about(self, history: Sequence[dict[str, Any]] | None) -> list[str]:
        """The person the user's latest message asked about ("Who is Gordon Brown?", "What did kamal
        nat say ...?"), else the people it names, in order: for "he" in the next question, the person
        asked about, not whoever the answer happened to name first."""
        messages = [m for m in history or [] if isinstance(m, dict)]
        at = next((i for i in range(len(messages) - 1, -1, -1) if messages[i].get("role") == "user"), None)
        if at is None:
            return []
        text = str(messages[at].get("content", ""))
        parsed = analyse(text)
        who = asked_about(text) or parsed.speaker  # "who is john prescot?", "what did kamal nat say"
        if who and parsed.speaker_is_pronoun:
            who = None
        found = [p.name for p in self.index.people.find(who)[:1] if p.kind == "person"] if who else []
        nouns = asked_person_nouns(text)
        if not who and (parsed.kind == "who" or nouns):
            # "Which classical composer spoke alongside Alex Kapranos?", "Who scored Ireland's goal?": the
            # person asked about is the one the answer names, not the people the question gives; of those,
            # the one the articles give the noun asked ("Medical Research Council Professor Nancy Rothwell",
            # not Ruth Kelly whom the answer's first line names)
            answer = " ".join(str(m.get("content", "")) for m in messages[at + 1 :] if m.get("role") == "assistant")
            singular = {n.removesuffix("s") for n in nouns}
            asked = set(re.findall(r"[a-z]+", text.lower()))
            # the question's words the role shares, most first; then the one the answer names first
            fits: list[tuple[int, int, str]] = []
            for i, p in enumerate(self.index.people.named_in(answer)):
                roles = [set(re.findall(r"[a-z]+", r.lower())) for r in p.roles]
                if p.kind == "person" and any(singular & r for r in roles):
                    fits.append((-max(len(asked & r) for r in roles), i, p.name))
            return [min(fits)[2]] if fits else []
        return found or [p.name for p in self.index.people.named_in(text)]

    # --- people and their statements -----------------------------------------------------
    def people(self, query: str | None = None) -> list[Person]:
        """Everyone the articles quote (people and organisations), most quoted first, each with
        the spellings and roles the articles give them; with ``query`` (a name, a misspelling or
        a role), those it fits, best first."""
        if query:
            return list(self.index.people.find(query))
        return list(self.index.people)

    def quotes(self, person: str, topic: str | None = None, *, limit: int = 10) -> list[Citation]:
        """``person``'s statements (a name, a misspelling or a role), best first for ``topic``; each
        one a citation of the article's exact words with its attribution. Raises ``AssistantError``
        when the articles quote nobody by that name or role."""
        from .answering.quoted import distinct_citations, rank_quotes

        found = self.index.people.find(person)
        if not found:
            raise AssistantError(f"the articles quote nobody called {person!r}; see `assistant people`")
        ranked = rank_quotes(found[0].quotes, topic, self.index)
        out = distinct_citations(ranked, self.index, limit)  # a reprinted statement once, with also_in
        self._check_quoted(out)
        return out

    def retrieve(self, question: str, k: int | None = None, *, filters: SearchFilter | None = None) -> Retrieval:
        """The hybrid search alone: the top ``k`` chunks for ``question``."""
        return self.index.search(question, k or self.settings.search.top_k, filters)

    def as_retriever(self, k: int | None = None, *, filters: SearchFilter | None = None) -> HybridRetriever:
        """The hybrid search as a llama-index retriever."""
        from .search.llama import HybridRetriever

        return HybridRetriever(self.index, k or self.settings.search.top_k, filters)

    def _verify(self, answer: Answer) -> None:
        self._check_quoted(answer.citations)
        if answer.abstained and answer.citations:
            raise AssistantError("internal error: an abstention must not carry citations")

    def _check_quoted(self, citations: Sequence[Citation]) -> None:
        """Every citation's words are exactly its article's characters at its offsets."""
        for c in citations:
            if self.document_text(c.doc_id)[c.start : c.end] != c.quote:
                raise AssistantError(f"internal error: citation [{c.n}] does not match its source text")
            for copy in c.also_in:  # each other copy of the passage is checked the same way
                if self.document_text(copy["doc_id"])[copy["start"] : copy["end"]] != copy["quote"]:
                    raise AssistantError(f"internal error: a copy of citation [{c.n}] does not match its source text")

    # --- documents ------------------------------------------------------------------------
    def docs(self) -> list[DocumentInfo]:
        """Every indexed article, oldest first."""
        return self.store.documents()

    def outlets(self) -> list[str]:
        """The outlets of the indexed articles, alphabetically (what an outlet filter can name)."""
        return sorted(self.store.outlets(), key=str.casefold)

    def document(self, doc_id: str) -> DocumentInfo:
        return self.index.document(doc_id)

    def copies(self, doc_id: str) -> list[DocumentInfo]:
        """The other articles of ``doc_id``'s syndication group (near-duplicates grouped at ingest)."""
        return [self.index.document(other) for other in self.index.copies(doc_id)]

    def document_text(self, doc_id: str) -> str:
        """The cleaned text of record that citation offsets index into."""
        return self.index.document_text(doc_id)

    def remove(self, doc_id: str) -> DocumentInfo:
        """Remove an article and its chunks from the store."""
        with self._write_lock, self.index.writing():
            info = self.store.remove(doc_id)
            self.index.forget(doc_id)
            return info

    def size(self) -> int:
        return self.store.count()

    def warm_up(self) -> None:
        """Load everything a question needs now, rather than on the first questions (a server
        does this once at start-up): the model, the keyword index, every article's passages, the
        answer engine, the date parser (about 1 s to load its English data), and one question
        through the whole path."""
        self.index.warm_up()
        resolved_in("on Friday", 0, 9, "2020-01-01")
        warm = getattr(self.engine, "warm_up", None)  # a generative engine loads its model, writes nothing
        if warm is not None:
            warm(self.index)
        else:
            self.engine.answer("warm up", "warm up", self.index.search("warm up"), self.index)

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Assistant:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _check_question(question: str) -> str:
    if not isinstance(question, str):
        raise TypeError("question must be a string")
    question = question.strip()
    if not question:
        raise AssistantError("the question is empty")
    if len(question) > MAX_QUESTION_CHARS:
        raise AssistantError(f"the question is {len(question)} characters long; the limit is {MAX_QUESTION_CHARS}")
    return question
