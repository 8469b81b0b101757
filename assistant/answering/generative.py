"""Generated answers from a language model, every sentence checked against the source it cites.

    retrieval -> numbered sources (context.pack_sources, a token budget)
              -> prompt (prompts/answer.txt) -> model, streamed
              -> each sentence checked (verify.Verifier) -> supported sentences, cited exactly

What is shown as final holds only sentences the checker found supported; each citation is the
cited source's best-matching sentence(s), quoted exactly from the article. When the model is
unreachable, fails, times out, declines, or nothing it wrote survives the checks, the answer is
the extractive engine's, and ``Answer.notice`` says why. The model (``answering.llm.connect``)
is any llama-index LLM: an OpenAI-compatible endpoint, or a GGUF file run in this process.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from ..config import Settings
from ..errors import AssistantError
from ..models import Answer, Citation, Draft, final_answer
from ..text.dates import resolved_in
from ..text.terms import terms, words
from . import prompts
from .base import Corpus
from .context import Source, format_sources, pack_sources
from .copies import add_copies
from .extractive import allowed_docs
from .verify import MARKER, SentenceCheck, Verifier, cited_numbers

if TYPE_CHECKING:
    from llama_index.core.llms import LLM

    from ..search.retrieval import Retrieval

log = logging.getLogger(__name__)


class GenerativeEngine:
    """Answers with a language model's words, keeping only what the cited sources support."""

    def __init__(self, name: str, settings: Settings) -> None:
        from . import create

        self.name = name
        self.settings = settings
        self._llm: LLM | None = None
        self._lock = threading.Lock()
        self.fallback = create("extractive", settings)  # the same extractive engine the setting would give
        self.nli = None
        if settings.llm.nli_model:  # a wrong folder is a ConfigError when the engine is made (a server's warm-up)
            from .nli import nli_model

            self.nli = nli_model(settings.llm.nli_model)

    # --- the model -----------------------------------------------------------------------
    def llm(self) -> LLM:
        """The model, connected on first use (a local model loads then)."""
        with self._lock:
            if self._llm is None:
                from .llm import connect

                self._llm = connect(self.name, self.settings.llm)
            return self._llm

    def _generate(self, prompt: str) -> Iterator[str]:
        """The model's reply to ``prompt``, piece by piece; ``LLMUnavailable`` when it can't."""
        from llama_index.core.llms import ChatMessage

        from ..errors import LLMUnavailable

        deadline = time.monotonic() + self.settings.llm.timeout
        try:
            for response in self.llm().stream_chat([ChatMessage(role="user", content=prompt)]):
                if response.delta:
                    yield response.delta
                if time.monotonic() > deadline:
                    raise LLMUnavailable(f"the model took longer than {self.settings.llm.timeout:g} s")
        except AssistantError:  # LLMUnavailable from the runtime, ConfigError: already what to report
            raise
        except Exception as exc:  # the model's client raised: report it by kind, keep the cause
            raise LLMUnavailable(f"the model failed: {type(exc).__name__}: {_redact(str(exc), self.settings)}") from exc

    def warm_up(self, corpus: Corpus) -> None:
        """Ready everything but a generation: the extractive fallback, and a local model's weights
        (a remote endpoint is not called: a server starting must not spend a model answer)."""
        from ..search.retrieval import Retrieval
        from ..text.tokens import count_tokens

        self.fallback.answer("warm up", "warm up", Retrieval("warm up", []), corpus)
        count_tokens("warm up")  # tiktoken reads its vocabulary on first use: 0.3 s of the first answer
        for name in ("answer", "refuse", "condense"):
            prompts.load(name)
        if self.nli is not None:
            self.nli.load()
        load = getattr(self.llm(), "load", None)
        if load is not None:
            load()

    # --- answering -----------------------------------------------------------------------
    def answer(self, question: str, standalone: str, retrieval: Retrieval, corpus: Corpus) -> Answer:
        return final_answer(self.stream(question, standalone, retrieval, corpus))

    def stream(self, question: str, standalone: str, retrieval: Retrieval, corpus: Corpus) -> Iterator[Draft | Answer]:
        """The model's draft as it is written, then the checked answer (always last)."""
        from ..errors import LLMUnavailable
        from .llm import context_budget

        started = time.perf_counter()
        sources = pack_sources(retrieval, corpus, context_budget(self.name, self.settings.llm))
        if not sources:
            yield self._fallback(question, standalone, retrieval, corpus, "no passage was found to give the model")
            return
        prompt = prompts.render(
            "answer",
            sources=format_sources(sources),
            question=standalone,
            max_sentences=self.settings.answer.sentences,
            refusal_rule=prompts.load("refuse").strip(),
        )
        pieces: list[str] = []
        first_token = None
        try:
            for piece in self._generate(prompt):
                if first_token is None:
                    first_token = time.perf_counter()
                pieces.append(piece)
                yield Draft(piece)
        except LLMUnavailable as exc:
            log.warning("%s engine: %s; answering extractively", self.name, exc)
            yield self._fallback(question, standalone, retrieval, corpus, f"the language model could not answer: {exc}")
            return
        generated = "".join(pieces).strip()
        written = time.perf_counter()
        answer = self._checked(question, standalone, generated, sources, retrieval, corpus)
        answer.timings_ms["generate"] = round((written - started) * 1000, 2)
        answer.timings_ms["check"] = round((time.perf_counter() - written) * 1000, 2)
        if first_token is not None:
            answer.timings_ms["first_token"] = round((first_token - started) * 1000, 2)
        yield answer

    def condense(self, question: str, history: Sequence[dict[str, Any]]) -> str | None:
        """``question`` rewritten by the model to stand alone, or None when the model fails or
        its rewrite brings in a name the conversation never used (a guess, not a rewrite)."""
        from ..errors import LLMUnavailable

        lines = [f"{m.get('role', 'user')}: {m.get('content', '')}" for m in history[-6:] if isinstance(m, dict)]
        prompt = prompts.render("condense", history="\n".join(lines), question=question)
        try:
            text = "".join(self._generate(prompt)).strip().strip('"“”').splitlines()
        except LLMUnavailable as exc:
            log.warning("%s engine could not condense the follow-up: %s", self.name, exc)
            return None
        rewrite = text[0].strip() if text else ""
        return rewrite if acceptable_rewrite(question, "\n".join(lines), rewrite) else None

    # --- checking ------------------------------------------------------------------------
    def verifier(self, corpus: Corpus) -> Verifier:
        def embed(text: str) -> np.ndarray:
            return np.asarray(corpus.query_vector(text), dtype=np.float32)

        return Verifier(embed, entail=self.nli.entailment_probabilities if self.nli else None)

    def _checked(
        self,
        question: str,
        standalone: str,
        generated: str,
        sources: list[Source],
        retrieval: Retrieval,
        corpus: Corpus,
    ) -> Answer:
        by_number = {s.n: s for s in sources}
        checks = self.verifier(corpus).check_answer(generated, {s.n: s.text for s in sources})
        kept = [c for c in checks if c.supported]
        records = [_record(c) for c in checks]
        if not kept:
            why = (
                "the model said the articles don't say"
                if _declined(generated)
                else ("nothing the model wrote was supported by the sources it cited")
            )
            answer = self._fallback(question, standalone, retrieval, corpus, why)
            answer.generated, answer.checks = generated, records
            return answer
        citations, text = self._cite(kept, by_number, retrieval, corpus)
        removed = len(checks) - len(kept)
        notice = None
        if removed:
            notice = f"{removed} of {len(checks)} generated sentences removed: not supported by the sources they cite."
        return Answer(
            question,
            text,
            citations,
            False,
            standalone,
            f"generated by the {self.name} engine; {len(kept)} of {len(checks)} sentences supported by their sources",
            self.name,
            generated=generated,
            checks=records,
            notice=notice,
        )

    def _cite(
        self, kept: list[SentenceCheck], sources: dict[int, Source], retrieval: Retrieval, corpus: Corpus
    ) -> tuple[list[Citation], str]:
        """Citations of the exact sentences that support the kept sentences, numbered in order of
        first use, and the answer text with its markers renumbered to them."""
        citations: list[Citation] = []
        index: dict[tuple[str, int, int], int] = {}
        allowed = allowed_docs(retrieval, corpus)
        sentences = []
        for check in kept:
            numbers = []
            for n in check.cited:
                source = sources[n]
                start, end = check.evidence.get(n, (0, len(source.text)))
                key = (source.doc_id, source.start + start, source.start + end)
                if key not in index:
                    citation = _citation(len(citations) + 1, source, key[1], key[2], corpus)
                    add_copies(citation, corpus, allowed=allowed, search=False)
                    citations.append(citation)
                    index[key] = citation.n
                if index[key] not in numbers:
                    numbers.append(index[key])
            claim = MARKER.sub("", check.sentence).rstrip()
            end_mark = claim[-1] if claim and claim[-1] in ".!?" else ""
            body = claim[:-1].rstrip() if end_mark else claim
            sentences.append(f"{body} {''.join(f'[{n}]' for n in numbers)}{end_mark or '.'}")
        return citations, " ".join(sentences)

    def _fallback(self, question: str, standalone: str, retrieval: Retrieval, corpus: Corpus, why: str) -> Answer:
        answer = self.fallback.answer(question, standalone, retrieval, corpus)
        answer.notice = f"{why[0].upper()}{why[1:]}, so this is the extractive answer (quoted passages)."
        answer.reason = f"{answer.reason or ''} (fallback from the {self.name} engine: {why})".strip()
        return answer


def acceptable_rewrite(question: str, conversation: str, rewrite: str) -> bool:
    """Is ``rewrite`` a rewrite of ``question`` rather than a guess or an answer? It keeps at least
    half of the question's words, adds only names the conversation used, and stays short."""
    if not rewrite or len(rewrite) > 2 * len(question) + 200:
        return False
    known = set(words(question + " " + conversation))
    names = set(words(" ".join(re.findall(r"\b[A-Z][\w'’-]+", rewrite))))
    asked = set(terms(question))
    kept = len(asked & set(terms(rewrite))) / len(asked) if asked else 1.0
    return names <= known and kept >= 0.5


def _citation(n: int, source: Source, start: int, end: int, corpus: Corpus) -> Citation:
    text = corpus.document_text(source.doc_id)
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    info = corpus.document(source.doc_id)
    speaker = corpus.people.speaker_at(source.doc_id, start, end)
    return Citation(
        n=n,
        doc_id=source.doc_id,
        title=info.title,
        source=info.source,
        quote=text[start:end],
        start=start,
        end=end,
        score=1.0,
        outlet=info.outlet,
        speaker=speaker,
        published=info.published,
        published_source=info.published_source,
        dates=resolved_in(text, start, end, info.published),
    )


def _record(check: SentenceCheck) -> dict[str, Any]:
    return {
        "sentence": check.sentence,
        "supported": check.supported,
        "reasons": list(check.reasons),
        "cited": list(check.cited),
        "dropped": list(check.dropped),
        "lexical": round(check.lexical, 3),
        "meaning": round(check.meaning, 3),
        "entailment": None if check.entailment is None else round(check.entailment, 3),
    }


def _declined(generated: str) -> bool:
    """Did the model say the sources don't answer (the refusal prompts/refuse.txt asks for)?"""
    refusal = prompts.load("refuse")
    phrase = refusal.rsplit(":", 1)[-1].strip().rstrip(".").casefold()
    return bool(phrase) and phrase in generated.casefold() and not cited_numbers(generated)


def _redact(message: str, settings: Settings) -> str:
    key = settings.llm.api_key
    return message.replace(key, "[key]") if key else message


__all__ = ["GenerativeEngine", "acceptable_rewrite"]
