"""Answer engines are made by name and read the search index, never the ``Assistant``."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant import Answer, Assistant, ConfigError, answering
from assistant.answering.extractive import ExtractiveEngine
from assistant.config import AnswerSettings
from assistant.search.index import SearchIndex


def test_factory_makes_the_extractive_engine_from_settings() -> None:
    engine = answering.create("extractive", AnswerSettings(sentences=2, abstain_confidence=None))
    assert isinstance(engine, ExtractiveEngine)
    assert engine.max_passages == 2 and engine.abstain_confidence is None
    assert "extractive" in answering.available()


def test_unknown_engine_is_a_clear_error_at_start(fresh_copy: Path) -> None:
    with pytest.raises(ConfigError, match="unknown answer engine 'nope'; available: extractive"):
        Assistant(store_dir=fresh_copy, engine="nope")


def test_a_registered_engine_is_chosen_by_name_and_reads_the_index(fresh_copy: Path) -> None:
    seen = {}

    class Echo:
        name = "echo"

        def answer(self, question, standalone, retrieval, corpus) -> Answer:
            seen["corpus"] = corpus
            top = retrieval.chunks[0]
            assert top.text == corpus.document_text(top.doc_id)[top.start : top.end]
            return Answer(question, f"{len(corpus.passages(top.doc_id))} passages", [], True, standalone, "test")

    answering.register("echo", lambda settings: Echo())
    try:
        with Assistant(store_dir=fresh_copy, engine="echo") as a:
            answer = a.ask("Who is the head of Edam?")
            assert answer.text.endswith("passages") and answer.abstained
            assert isinstance(seen["corpus"], SearchIndex) and not isinstance(seen["corpus"], Assistant)
    finally:
        answering._MAKERS.pop("echo")
