"""Ingest on a real on-disk store: idempotence, replacement, removal, bad files, crash recovery."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from assistant import Assistant, DocumentNotFound, StoreError

from .conftest import SEEDS, SHARED, assert_people_follow_changes

NEW_ARTICLE = """Harbour town opens floating library

The town of Vellmar Bay opened a floating library on Tuesday, moored at the old ferry pier.
"Books should go where people are," said the harbour master, Ingrid Solberg.
The barge holds 4,000 books and will visit three villages along the coast each summer.
"""


def _counts(a: Assistant) -> tuple[int, int, int]:
    docs = a.docs()
    return len(docs), sum(d.chunks for d in docs), a.store.vector_count()


def test_reingest_unchanged_adds_nothing(fresh_copy: Path) -> None:
    with Assistant(store_dir=fresh_copy) as a:
        before = _counts(a)
        report = a.ingest([SEEDS])
        assert (report.added, report.unchanged, report.replaced, report.failed) == (0, 5, 0, 0)
        assert report.chunks == 0
        assert _counts(a) == before
        assert before[1] == before[2], "one vector per chunk"


def test_changed_file_replaces_its_chunks(fresh_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    article = tmp_path / "harbour.txt"
    article.write_text(NEW_ARTICLE, encoding="utf-8")
    with Assistant(store_dir=fresh_copy) as a:
        first = a.ingest([article]).items[0]
        assert first.status == "added"
        docs_before, _, _ = _counts(a)

        article.write_text(NEW_ARTICLE.replace("4,000 books", "5,500 books"), encoding="utf-8")
        second = a.ingest([article]).items[0]
        assert second.status == "replaced"
        assert second.replaced_doc_id == first.doc_id
        docs_after, chunks, vectors = _counts(a)
        assert docs_after == docs_before and chunks == vectors
        with pytest.raises(DocumentNotFound):
            a.document_text(first.doc_id)
        answer = a.ask("How many books does the floating library barge hold?")
        assert "5,500 books" in answer.text and "4,000" not in answer.text


def test_ingest_then_answer_new_article_and_remove_it(fresh_copy: Path, tmp_path: Path) -> None:
    article = tmp_path / "harbour.md"
    article.write_text("# " + NEW_ARTICLE, encoding="utf-8")
    with Assistant(store_dir=fresh_copy) as a:
        item = a.ingest([article]).items[0]
        assert item.status == "added" and item.title == "Harbour town opens floating library"
        answer = a.ask("What did Ingrid Solberg say?")
        assert not answer.abstained
        assert "Books should go where people are" in answer.citations[0].quote
        removed = a.remove(item.doc_id)
        assert removed.doc_id == item.doc_id
        assert item.doc_id not in {d.doc_id for d in a.docs()}
        assert a.ask("What did Ingrid Solberg say?").abstained
        n, chunks, vectors = _counts(a)
        assert n == 5 and chunks == vectors
        with pytest.raises(DocumentNotFound):
            a.remove(item.doc_id)


def test_people_directory_follows_another_assistants_changes(fresh_copy: Path, tmp_path: Path) -> None:
    with Assistant(store_dir=fresh_copy) as writer, Assistant(store_dir=fresh_copy) as reader:
        assert_people_follow_changes(writer, reader, tmp_path)


def test_bad_files_fail_alone_with_clear_reasons(fresh_copy: Path, tmp_path: Path) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "good.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 4)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "blank.md").write_text("   \n\n  ", encoding="utf-8")
    (folder / "undecodable.txt").write_bytes(b"\x81\x8d\x8f\x90\x9d" * 200 + b"\xff\xfe\xfa" * 50)
    (folder / "huge.txt").write_bytes(b"word " * 300_000)  # 1.5 MB, over the limit set below
    (folder / "broken.json").write_text('{"title": "x", "text": ', encoding="utf-8")
    (folder / "notext.jsonl").write_text('{"title": "only a title"}\n', encoding="utf-8")
    (folder / "picture.png").write_bytes(b"\x89PNG\r\n\x1a\n")  # skipped: not an article type
    with Assistant(store_dir=fresh_copy, max_file_mb=1) as a:
        before = _counts(a)
        report = a.ingest([folder, tmp_path / "missing.txt"])
        reasons = {Path(i.source).name: i.reason for i in report.failures}
        assert report.added == 1, report.to_dict()
        assert "binary" in reasons["binary.txt"]
        assert reasons["empty.txt"] == "empty file"
        assert reasons["blank.md"] == "empty file"
        assert "cannot decode" in reasons["undecodable.txt"] or "binary" in reasons["undecodable.txt"]
        assert "over the 1.0 MB limit" in reasons["huge.txt"]
        assert "invalid JSON" in reasons["broken.json"]
        assert "no text" in reasons["notext.jsonl"]
        assert reasons["missing.txt"] == "no such file or folder"
        assert any(s.endswith("picture.png") for s in report.skipped)
        docs, chunks, vectors = _counts(a)
        assert docs == before[0] + 1 and chunks == vectors, "the rest ingested, nothing lost"


def test_explicit_unsupported_file_is_reported(fresh_copy: Path, tmp_path: Path) -> None:
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    with Assistant(store_dir=fresh_copy) as a:
        item = a.ingest([pdf]).items[0]
        assert item.status == "failed" and "unsupported file type .pdf" in item.reason


def test_json_jsonl_and_html_articles(fresh_copy: Path, tmp_path: Path) -> None:
    records = [
        {
            "title": "Lighthouse keeper retires",
            "text": "After 41 years, keeper Tomas Berg retired from the Skerry light on Friday.",
            "url": "https://example.org/a",
            "date": "2021-03-05",
            "source": {"name": "Coast Weekly"},
        },
        {
            "headline": "Ferry fares frozen",
            "content": "The island council froze ferry fares for 2022, councillor Ana Ruiz said.",
        },
    ]
    (tmp_path / "feed.jsonl").write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    (tmp_path / "one.json").write_text(json.dumps({"articles": [records[0] | {"title": "Keeper retires (copy)"}]}))
    (tmp_path / "page.html").write_text(
        "<html><head><title>Site</title><meta property='og:site_name' content='Harbour Herald'></head><body>"
        "<nav>Home | News</nav><article><h1>Tide mill restored</h1><p>The tide mill at Oster Creek grinds "
        "flour again after a restoration costing &pound;2.1 million, volunteers said.</p>"
        "<script>var x = 1;</script></article><footer>Cookie policy</footer></body></html>",
        encoding="utf-8",
    )
    with Assistant(store_dir=fresh_copy) as a:
        report = a.ingest([tmp_path])
        assert report.added == 4 and report.failed == 0, report.to_dict()
        by_title = {d.title: d for d in a.docs()}
        keeper = by_title["Lighthouse keeper retires"]
        assert keeper.outlet == "Coast Weekly" and keeper.url == "https://example.org/a"
        assert keeper.source.endswith("feed.jsonl#0")
        mill = by_title["Tide mill restored"]
        assert mill.outlet == "Harbour Herald"
        text = a.document_text(mill.doc_id)
        assert "£2.1 million" in text and "var x" not in text and "Home | News" not in text
        answer = a.ask("How much did the tide mill restoration cost?")
        assert "£2.1 million" in answer.text


@pytest.mark.parametrize("origin", ["bbc", "made"])
def test_latin1_file_is_decoded_with_a_warning(fresh_copy: Path, tmp_path: Path, origin: str) -> None:
    bbc = SHARED / "corpora" / "bbc" / "sport" / "199.txt"
    if origin == "bbc":
        if not bbc.exists():
            pytest.skip("../shared/corpora/bbc not present")
        shutil.copy(bbc, tmp_path / "199.txt")
        expected = "a £15.8m signing"
    else:
        (tmp_path / "199.txt").write_bytes("Café owner wins award\n\nThe café in Sète won a prize.".encode("latin-1"))
        expected = "The café in Sète won"
    with Assistant(store_dir=fresh_copy) as a:
        item = a.ingest([tmp_path / "199.txt"]).items[0]
        assert item.status == "added", item
        assert any("not valid UTF-8" in w and "cp1252" in w for w in item.warnings)
        assert expected in a.document_text(item.doc_id)


def test_interrupted_ingest_leaves_no_orphans(
    fresh_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Simulate a crash after vectors were written but before the article was committed."""
    article = tmp_path / "harbour.txt"
    article.write_text(NEW_ARTICLE, encoding="utf-8")
    with Assistant(store_dir=fresh_copy) as a:
        before = _counts(a)

        original_add_many = a.store.add_many

        def add_then_crash(additions):
            a.store.write_vectors(additions)  # vectors written...
            raise KeyboardInterrupt("power cut")  # ...then the process dies before the commit

        monkeypatch.setattr(a.store, "add_many", add_then_crash)
        with pytest.raises(KeyboardInterrupt):
            a.ingest([article])
        assert a.store.vector_count() > before[2], "the crash left orphan vectors behind"
        monkeypatch.setattr(a.store, "add_many", original_add_many)
    with Assistant(store_dir=fresh_copy) as a:
        report = a.ingest([article])  # reconciles first, then ingests cleanly
        assert report.added == 1
        docs, chunks, vectors = _counts(a)
        assert docs == before[0] + 1 and chunks == vectors


def test_ctrl_c_mid_ingest_keeps_what_was_stored_and_a_rerun_finishes(fresh_copy: Path, tmp_path: Path) -> None:
    """Interrupted while batches are stored and others are still being embedded: what was stored
    stays whole, the embedding threads stop, and running the same ingest again adds the rest."""
    import threading

    folder = tmp_path / "many"
    folder.mkdir()
    towns = ["Vellmar", "Ostrava", "Kilkee", "Tarbes", "Lund", "Zadar", "Oban", "Narvik", "Sete", "Kotor"]
    for i in range(150):
        town = towns[i % len(towns)]
        (folder / f"{i:03d}.txt").write_text(
            f"{town} council vote number {i}\n\nThe council of {town} voted {i} to {150 - i} on Monday "
            f"to fund harbour repairs worth {i * 7} thousand euros, the mayor said after meeting {i}.\n",
            encoding="utf-8",
        )

    def stop_after_120(progress) -> None:
        if progress.files_done == 120:
            raise KeyboardInterrupt("user pressed Ctrl-C")

    with Assistant(store_dir=fresh_copy) as a:
        with pytest.raises(KeyboardInterrupt):
            a.ingest([folder], progress=stop_after_120)
        docs, chunks, vectors = _counts(a)
        assert 5 < docs < 5 + 120, "some batches were stored before the interrupt, not all"
        assert chunks == vectors
        assert not [t for t in threading.enumerate() if t.name.startswith("embed")], "embedding threads left running"
    with Assistant(store_dir=fresh_copy) as a:
        report = a.ingest([folder])
        assert report.failed == 0 and report.added == 150 - (docs - 5) and report.unchanged == docs - 5
        assert _counts(a) == (155, a.store.vector_count(), a.store.vector_count())
        answer = a.ask("How much were the Kotor harbour repairs in vote 149 worth?")
        assert not answer.abstained and "1043 thousand euros" in answer.citations[0].quote


def test_questions_are_answered_while_an_ingest_runs(fresh_copy: Path, tmp_path: Path) -> None:
    """A web upload or bot ingest must not hold every question until it ends; what has been
    stored becomes searchable while it runs, and nothing half-stored is ever cited."""
    import threading
    import time

    folder = tmp_path / "slow"
    folder.mkdir()
    for i in range(80):
        (folder / f"{i:03d}.txt").write_text(
            f"Ferry timetable {i}\n\nThe ferry to island {i} now leaves at {i % 12 + 1} o'clock, "
            f"the port authority of Bergsund said on Friday, after {i * 3} complaints.\n",
            encoding="utf-8",
        )
    with Assistant(store_dir=fresh_copy) as a:
        a.warm_up()

        def slow_progress(progress) -> None:
            time.sleep(0.05)  # about 4 s in all: long enough to ask during it

        errors: list[BaseException] = []

        def run() -> None:
            try:
                a.ingest([folder], progress=slow_progress)
            except BaseException as exc:  # re-raised in the test thread below
                errors.append(exc)

        ingest = threading.Thread(target=run)
        ingest.start()
        answered_during = 0
        while ingest.is_alive():
            answer = a.ask("What did Cavusoglu say about Patriots?")
            assert not answer.abstained and answer.citations[0].speaker == "Mevlüt Çavuşoğlu"
            answered_during += ingest.is_alive()
        ingest.join()
        assert not errors, errors
        assert answered_during >= 3, "questions waited for the whole ingest"
        assert a.size() == 85
        answer = a.ask("When does the ferry to island 79 leave?")
        assert not answer.abstained and "island 79 now leaves at 8 o'clock" in answer.citations[0].quote, answer.text
        # function words ("get", "about") need not appear in the passage that answers
        answer = a.ask("How many complaints did the port authority get about the ferry to island 79?")
        assert not answer.abstained and "237 complaints" in answer.citations[0].quote, answer.text


def test_duplicate_texts_in_one_batch_are_stored_once(fresh_copy: Path, tmp_path: Path) -> None:
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text(NEW_ARTICLE, encoding="utf-8")
    with Assistant(store_dir=fresh_copy) as a:
        report = a.ingest([tmp_path])
        assert [i.status for i in report.items] == ["added", "unchanged"]
        assert report.items[1].reason.startswith("same text as") and report.items[1].doc_id == report.items[0].doc_id
        docs, chunks, vectors = _counts(a)
        assert docs == 6 and chunks == vectors


def test_store_from_another_model_is_refused(tmp_path: Path) -> None:
    import sqlite3

    store = tmp_path / "store"
    Assistant(store_dir=store).close()
    with sqlite3.connect(store / "documents.sqlite3") as db:
        db.execute("UPDATE meta SET value = 'some-other-model' WHERE key = 'embedding_model'")
    with pytest.raises(StoreError, match="some-other-model"):
        Assistant(store_dir=store)


def test_store_embedded_by_the_float_path_is_reembedded_once(fresh_copy: Path, caplog) -> None:
    """Stores from before int8 arithmetic hold the same model's float-path vectors: they are
    re-embedded from their texts when opened, losing nothing."""
    import sqlite3

    import numpy as np

    from assistant.search.embedding import MODEL_FILE, MODEL_ID, MiniLM

    with Assistant(store_dir=fresh_copy) as a:
        rows = list(a.store.chunk_texts())
        ids = [row.chunk_id for row, _ in rows]
        float_path = MiniLM(int8_arithmetic=False)
        a.store.replace_vectors(ids, [float_path.embed(text) for _, text in rows])
    with sqlite3.connect(fresh_copy / "documents.sqlite3") as db:
        db.execute("UPDATE meta SET value = ? WHERE key = 'embedding_model'", (MODEL_FILE,))
    with caplog.at_level("WARNING"), Assistant(store_dir=fresh_copy) as a:
        assert f"re-embedding its {len(rows)} chunks" in caplog.text
        stored = a.store.embeddings(ids)
        model = MiniLM()
        for row, text in rows:
            assert np.allclose(stored[row.chunk_id], model.vector(text), atol=2e-3), row.chunk_id
        answer = a.ask("What did Cavusoglu say about Patriots?")
        assert not answer.abstained and answer.citations[0].source.startswith("data/articles/000")
        assert a.size() == 5
    with sqlite3.connect(fresh_copy / "documents.sqlite3") as db:
        assert db.execute("SELECT value FROM meta WHERE key = 'embedding_model'").fetchone()[0] == MODEL_ID
    caplog.clear()
    with caplog.at_level("WARNING"), Assistant(store_dir=fresh_copy):
        assert "re-embedding" not in caplog.text


def test_store_dir_default_and_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ASSISTANT_STORE_DIR", str(tmp_path / "from-env"))
    with Assistant() as a:
        assert a.settings.store.dir == str(tmp_path / "from-env")
    monkeypatch.delenv("ASSISTANT_STORE_DIR")
    with Assistant() as a:
        assert a.settings.store.dir == "vectorstore"
        assert (tmp_path / "vectorstore" / "documents.sqlite3").exists()
    assert os.getcwd() == str(tmp_path)


def test_progress_is_reported_within_a_large_file(fresh_copy: Path, tmp_path: Path) -> None:
    """A large file is most of a run: the progress reports chunks embedded while it is stored."""
    paragraphs = [
        f"Report part {i}. The committee heard {i} witnesses on the harbour plan, and its chair said the "
        f"evidence from section {i} would be published with the final findings next spring. " * 3
        for i in range(240)
    ]
    big = tmp_path / "inquiry.txt"
    big.write_text("Harbour inquiry\n\n" + "\n\n".join(paragraphs), encoding="utf-8")
    seen: list[tuple[int, int, int]] = []
    with Assistant(store_dir=fresh_copy) as a:
        report = a.ingest([big], progress=lambda p: seen.append((p.files_done, p.chunks_done, p.chunks_total)))
        chunks = report.items[0].chunks
    assert report.added == 1 and chunks > 100
    within = [s for s in seen if 0 < s[1] < s[2]]
    assert len(within) >= 2 and within == sorted(within), seen  # several reports, chunks going up
    assert all(total == chunks for _, _, total in within)


def test_hostile_files_in_one_ingest_each_fail_alone_and_every_file_is_accounted_for(
    fresh_copy: Path, tmp_path: Path
) -> None:
    """The operator's hostile folder: each bad file gets its own reason, everything else is
    stored in the same call, and every entry found is in the report (stored, failed or skipped)."""
    folder = tmp_path / "scrapes"
    folder.mkdir()
    (folder / "deep.json").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    (folder / "surrogate.json").write_text(
        '{"title": "Bridge", "text": "The council said the bridge \\ud800 would open in May after years of delay."}',
        encoding="utf-8",
    )
    (folder / "emphasis.md").write_text("_x " * 40_000, encoding="utf-8")
    (folder / "pre.html").write_text("<pre>" * 8000 + "x" + "</pre>" * 8000, encoding="utf-8")
    (folder / "good.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    (folder / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    (folder / ".draft.txt").write_text(NEW_ARTICLE.replace("Vellmar", "Draft"), encoding="utf-8")
    (folder / "loop").mkdir()
    (folder / "loop" / "up").symlink_to("..")
    bad_name = os.fsencode(folder) + b"/bad\xffname.txt"
    with open(bad_name, "wb") as f:
        f.write(b"Ferry news\n\nThe ferry to Oban now leaves at nine, the port said on Friday morning.\n")
    with Assistant(store_dir=fresh_copy) as a:
        report = a.ingest([folder])
        by_name = {Path(i.source).name: i for i in report.items}
        assert by_name["good.txt"].status == "added"
        assert by_name["bad\ufffdname.txt"].status == "added"
        assert by_name["surrogate.json"].status == "added" and "\ufffd" in a.document_text(
            by_name["surrogate.json"].doc_id
        )
        assert any("surrogate" in w for w in by_name["surrogate.json"].warnings)
        assert "nested too deeply" in by_name["deep.json"].reason
        for name in ("emphasis.md", "pre.html"):  # no readable article in them: a reason, quickly
            assert by_name[name].status == "failed" and by_name[name].reason, by_name[name]
        reasons = {Path(name).name: report.skipped_reasons[name] for name in report.skipped}
        assert "PNG" in reasons["photo.png"] and "hidden" in reasons[".draft.txt"]
        assert any("symlink loop" in r for r in reasons.values())
        entries = {p.name for p in folder.iterdir()} - {"loop"}
        assert entries <= set(by_name) | set(reasons) | {os.fsdecode(b"bad\xffname.txt")}
        assert len(report.items) == 6 and "Traceback" not in str(report.to_dict())
        answer = a.ask("When does the ferry to Oban leave?")
        assert not answer.abstained and "leaves at nine" in answer.citations[0].quote
