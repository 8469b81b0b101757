"""A store written before the restructure (schema 1, committed as a fixture by that code) opens
with today's code, is upgraded in place once, loses nothing, and answers exactly as a store that
today's code ingests from the same articles: the upgrade fills in everything added since (sentence
spans, the quote index), so nobody has to re-ingest."""

from __future__ import annotations

import json
import logging
import shutil
import sqlite3
from pathlib import Path

import pytest

from assistant import Assistant, StoreError
from assistant.search.migrations import MIGRATIONS

from .conftest import check_citations

FIXTURE = Path(__file__).parent / "fixtures" / "store_schema1"


@pytest.fixture
def old_store(tmp_path: Path) -> Path:
    target = tmp_path / "store"
    shutil.copytree(FIXTURE / "store", target)
    return target


def _migrations(store: Path) -> list[str]:
    with sqlite3.connect(store / "documents.sqlite3") as db:
        return [r[0] for r in db.execute("SELECT name FROM migrations ORDER BY rowid")]


def test_schema_1_store_is_upgraded_once_and_answers_as_before(old_store: Path, seeded: Assistant, caplog) -> None:
    with sqlite3.connect(old_store / "documents.sqlite3") as db:
        assert db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == "1"
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert "migrations" not in tables, "the fixture must be a store from before migrations existed"
    # the 49 seed questions (with their follow-up histories) the old code answered when it wrote the fixture
    recorded = json.loads((FIXTURE / "answers.json").read_text(encoding="utf-8"))
    assert len(recorded) == 49

    with caplog.at_level(logging.WARNING), Assistant(store_dir=old_store) as a:
        assert "upgraded in place: m002_generation" in caplog.text
        assert len(a.docs()) == 5 and sum(d.chunks for d in a.docs()) == 25 == a.store.vector_count()
        assert {d.doc_id for d in a.docs()} == {d.doc_id for d in seeded.docs()}
        # the quote index the upgrade extracted is the one a fresh ingest stores
        assert [(r.doc_id, r.seq, r.quote) for r in a.store.quote_rows()] == [
            (r.doc_id, r.seq, r.quote) for r in seeded.store.quote_rows()
        ]
        assert len(a.store.quote_rows()) > 40
        for case in recorded:
            answer = a.ask(case["question"], history=case["history"] or None)
            fresh = seeded.ask(case["question"], history=case["history"] or None)
            assert answer.text == fresh.text, case["question"]
            assert answer.abstained == fresh.abstained
            assert answer.standalone_question == fresh.standalone_question
            assert [(c.doc_id, c.start, c.end, c.quote, c.speaker) for c in answer.citations] == [
                (c.doc_id, c.start, c.end, c.quote, c.speaker) for c in fresh.citations
            ]
            check_citations(a, answer)
    assert _migrations(old_store) == [m.__name__ for m in MIGRATIONS]

    caplog.clear()
    with caplog.at_level(logging.WARNING), Assistant(store_dir=old_store) as a:
        assert "upgraded" not in caplog.text, "a store is migrated once"
        assert len(a.docs()) == 5
    assert _migrations(old_store) == [m.__name__ for m in MIGRATIONS]


def test_store_from_a_newer_version_is_refused_untouched(old_store: Path) -> None:
    Assistant(store_dir=old_store).close()
    with sqlite3.connect(old_store / "documents.sqlite3") as db:
        db.execute("INSERT INTO migrations VALUES ('m999_from_the_future', '2030-01-01')")
    before = (old_store / "documents.sqlite3").read_bytes()
    with pytest.raises(StoreError, match=r"newer version of news-assistant.*m999_from_the_future.*upgrade"):
        Assistant(store_dir=old_store)
    assert (old_store / "documents.sqlite3").read_bytes() == before


def test_foreign_sqlite_file_is_refused(tmp_path: Path) -> None:
    store = tmp_path / "store"
    store.mkdir()
    with sqlite3.connect(store / "documents.sqlite3") as db:
        db.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
        db.execute("INSERT INTO invoices VALUES (1, 9.5)")
    with pytest.raises(StoreError, match="not a news-assistant store"):
        Assistant(store_dir=store)
    with sqlite3.connect(store / "documents.sqlite3") as db:
        assert db.execute("SELECT total FROM invoices").fetchone()[0] == 9.5


def test_upgrade_stores_each_articles_sentence_spans(old_store: Path) -> None:
    from assistant.text.sentences import sentence_spans

    with sqlite3.connect(old_store / "documents.sqlite3") as db:
        columns = {r[1] for r in db.execute("PRAGMA table_info(documents)")}
    assert "sentences" not in columns
    with Assistant(store_dir=old_store) as a:
        for doc in a.docs():
            assert a.store.document_sentences(doc.doc_id) == sentence_spans(a.document_text(doc.doc_id))


def test_quote_index_from_an_older_extractor_is_extracted_again(fresh_copy: Path, caplog) -> None:
    from assistant.text.quote_version import EXTRACTOR_VERSION

    db_path = fresh_copy / "documents.sqlite3"
    with sqlite3.connect(db_path) as db:
        current = db.execute("SELECT * FROM quotes ORDER BY doc_id, seq").fetchall()
        texts = db.execute("SELECT doc_id, text FROM documents ORDER BY doc_id").fetchall()
        assert db.execute("SELECT value FROM meta WHERE key = 'quote_extractor'").fetchone()[0] == str(
            EXTRACTOR_VERSION
        )
        # as an older version left it: an older extractor's version, and one statement it never found
        db.execute("UPDATE meta SET value = '1' WHERE key = 'quote_extractor'")
        db.execute("DELETE FROM quotes WHERE seq = 0")
    with caplog.at_level(logging.WARNING), Assistant(store_dir=fresh_copy) as a:
        assert "quote index extracted again with extractor version" in caplog.text
        assert a.people()[0].name == "Jens Stoltenberg"
    with sqlite3.connect(db_path) as db:
        assert db.execute("SELECT * FROM quotes ORDER BY doc_id, seq").fetchall() == current
        assert db.execute("SELECT doc_id, text FROM documents ORDER BY doc_id").fetchall() == texts
    caplog.clear()
    with caplog.at_level(logging.WARNING), Assistant(store_dir=fresh_copy):
        assert "extracted again" not in caplog.text, "once per extractor version"
