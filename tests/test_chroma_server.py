"""The store kept on a real Chroma server (started on loopback by the ``chroma_server``
fixture): the core behaviour — ingest, the seed questions, replace, remove, crash recovery —
with nothing of the store on the asking process's disk."""

from __future__ import annotations

import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from assistant import Assistant, StoreError, StoreNotFound
from assistant.evaluation.runner import DEFAULT_SEED_SET
from assistant.evaluation.seed import judge_seed, load_seed_questions
from assistant.models import Article, Chunk
from assistant.search.store import Addition

from .conftest import SEEDS, assert_people_follow_changes, check_citations

CLI = [sys.executable, "-c", "from assistant.interfaces.cli import main; main()"]


def _on_server(url: str, prefix: str, tmp_path: Path, **kw) -> Assistant:
    """An assistant on the server store ``prefix``, with a local cache folder of its own (as on
    another machine)."""
    return Assistant(store_dir=tmp_path / f"cache-{uuid.uuid4().hex[:6]}", chroma_url=url, chroma_prefix=prefix, **kw)


@pytest.fixture(scope="module")
def server_seeds(chroma_server: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The seeds ingested into the server by another process (the CLI); returns the prefix."""
    cache = tmp_path_factory.mktemp("ingest-cache")
    done = subprocess.run(
        [*CLI, "--chroma-url", chroma_server, "ingest", "--store", str(cache), str(SEEDS)],
        capture_output=True,
        text=True,
        timeout=300,
        env={**__import__("os").environ, "ASSISTANT_CHROMA_PREFIX": "seeds"},
    )
    assert done.returncode == 0 and "5 added" in done.stdout, done.stdout + done.stderr
    return "seeds"


def test_seed_questions_answered_from_the_server(chroma_server: str, server_seeds: str, tmp_path: Path) -> None:
    questions = load_seed_questions(DEFAULT_SEED_SET)
    with _on_server(chroma_server, server_seeds, tmp_path, create=False) as a:
        assert a.size() == 5
        failures = []
        for q in questions:
            answer = a.ask(q.question, history=q.history or None)
            check_citations(a, answer)
            ok, why = judge_seed(a, q, answer)
            if not ok:
                failures.append(f"{q.id}: {why}")
        assert not failures, failures
        people = {p.name for p in a.people()}
        assert {"Jens Stoltenberg", "Mevlüt Çavuşoğlu"} <= people
        assert a.quotes("stoltenburg", topic="Nagorno-Karabakh", limit=1)[0].speaker == "Jens Stoltenberg"


def test_doctor_reports_a_server_store(chroma_server: str, server_seeds: str) -> None:
    import json
    import os

    env = {**os.environ, "ASSISTANT_CHROMA_PREFIX": server_seeds}
    done = subprocess.run(
        [*CLI, "--chroma-url", chroma_server, "doctor", "--json"], capture_output=True, text=True, env=env, timeout=120
    )
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    assert found["healthy"] and found["counts"]["documents"] == 5
    assert found["counts"]["vectors"] == found["counts"]["chunks"] == 25


def test_ingest_replace_remove_and_another_machine_sees_it(chroma_server: str, tmp_path: Path) -> None:
    article = tmp_path / "ferry.txt"
    article.write_text("Ferry news\n\nThe ferry to Oban now leaves at nine, the port said on Friday.\n", "utf-8")
    prefix = "replace-" + uuid.uuid4().hex[:6]
    with _on_server(chroma_server, prefix, tmp_path) as writer, _on_server(chroma_server, prefix, tmp_path) as reader:
        assert writer.ingest([article]).added == 1
        answer = reader.ask("When does the ferry to Oban leave?")
        assert not answer.abstained and "leaves at nine" in answer.citations[0].quote
        assert writer.ingest([article]).unchanged == 1
        article.write_text("Ferry news\n\nThe ferry to Oban now leaves at ten, the port said on Monday.\n", "utf-8")
        report = writer.ingest([article])
        assert report.replaced == 1 and reader.size() == 1
        answer = reader.ask("When does the ferry to Oban leave?")
        assert "leaves at ten" in answer.citations[0].quote and "nine" not in answer.text
        assert reader.store.vector_problems().strays == []
        writer.remove(report.items[0].doc_id)
        assert reader.size() == 0 and reader.store.vector_count() == 0
        assert reader.ask("When does the ferry to Oban leave?").abstained


def test_people_directory_follows_another_machines_changes(
    chroma_server: str, server_seeds: str, tmp_path: Path
) -> None:
    with (
        _on_server(chroma_server, server_seeds, tmp_path) as writer,
        _on_server(chroma_server, server_seeds, tmp_path) as reader,
    ):
        assert_people_follow_changes(writer, reader, tmp_path)


def test_writers_take_turns_and_an_interrupted_write_is_settled(chroma_server: str, tmp_path: Path) -> None:
    import threading

    prefix = "crash-" + uuid.uuid4().hex[:6]
    text = "Harbour news. The harbour of Kilkee reopened on Monday after repairs."
    article = Article("kilkee0000000000", "kilkee.txt", "Harbour", text, "hash-kilkee")
    chunk = Chunk("kilkee0000000000-0", article.doc_id, 0, 0, len(text), text, 14, 16)
    vector = [1.0] + [0.0] * 383
    with _on_server(chroma_server, prefix, tmp_path) as a, _on_server(chroma_server, prefix, tmp_path) as b:
        settled: list[int] = []
        other = threading.Thread(target=lambda: settled.append(b.store.reconcile()))
        with a.store.writing():  # a writer mid-write: its vectors written, no article yet
            a.store.write_vectors([Addition(article, [chunk], [vector])])
            other.start()  # another writer's clean-up must wait for it, not delete its vectors
            other.join(timeout=3)
            assert other.is_alive() and b.store.vector_count() == 1
        # the write ended without its commit (as if the writer died): the waiting clean-up settles it
        other.join(timeout=60)
        assert settled == [1] and b.store.vector_count() == 0


def test_a_mistyped_prefix_or_an_unreachable_server_is_a_clear_error(chroma_server: str, tmp_path: Path) -> None:
    with pytest.raises(StoreNotFound, match="no store named 'nosuchstore'"):
        _on_server(chroma_server, "nosuchstore", tmp_path, create=False)
    done = subprocess.run(
        [*CLI, "--chroma-url", "http://127.0.0.1:9", "docs"], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 2 and "cannot reach the Chroma server at http://127.0.0.1:9" in done.stderr
    with pytest.raises(StoreError):
        Assistant(store_dir=tmp_path / "c", chroma_url="http://127.0.0.1:9")


def test_date_and_outlet_filters_on_the_server_and_an_older_store_dated(chroma_server: str, tmp_path: Path) -> None:
    import json
    from datetime import date

    from assistant import SearchFilter

    folder = tmp_path / "articles"
    folder.mkdir()
    for name in ("000_497468fe3386531b.txt", "003_eec6349a4f158b67.txt"):
        (folder / name).write_text((SEEDS / name).read_text(encoding="utf-8"), encoding="utf-8")
    record = {
        "title": "Stoltenberg on the S-400",
        "date": "2019-07-12",
        "source": "Wire One",
        "text": 'Jens Stoltenberg said the S-400 cannot be integrated into NATO systems. "We are concerned about '
        'the S-400 and sanctions," Stoltenberg said in Brussels.',
    }
    (folder / "wire.json").write_text(json.dumps(record), encoding="utf-8")
    prefix = "dates-" + uuid.uuid4().hex[:6]
    with _on_server(chroma_server, prefix, tmp_path) as a:
        assert a.ingest([folder]).added == 3
        days = {d.outlet: (d.published, d.published_source) for d in a.docs()}
        assert days == {
            "Duvar English": (None, "unknown"),
            "Press TV": ("2018-04-27", "text"),
            "Wire One": ("2019-07-12", "metadata"),
        }
        by_outlet = {d.doc_id: d.outlet for d in a.docs()}
        for f, expected in (
            (SearchFilter(since=date(2019, 1, 1)), {"Wire One"}),
            (SearchFilter(until=date(2018, 12, 31)), {"Press TV"}),
            (SearchFilter(since=date(2018, 1, 1), outlets={"Press TV"}), {"Press TV"}),
        ):
            got = a.retrieve("S-400 sanctions", k=10, filters=f)
            assert got.chunks and {by_outlet[c.doc_id] for c in got.chunks} == expected, f
            answer = a.ask("what did Stoltenberg say about the S-400 and sanctions?", filters=f)
            assert {by_outlet[c.doc_id] for c in answer.citations + answer.related} <= expected
        # make it a store written before dates were recorded: no day in any metadata
        store = a.store
        ids = list(store._doc_ids())
        old = [{"published_day": None, "published_source": None} for _ in ids]
        for meta, doc_id in zip(old, ids, strict=True):
            if by_outlet[doc_id] == "Press TV":
                meta["published"] = ""  # an older version kept only the metadata's date
        store._c["documents"].update(ids=ids, metadatas=old)
        chunk_ids = store._c["chunks"].get(include=[])["ids"]
        store._c["chunks"].update(ids=chunk_ids, metadatas=[{"published_day": None}] * len(chunk_ids))
        store._c["meta"].delete(ids=["chunk_dates"])
        assert store._c["chunks"].get(where={"published_day": {"$gte": 1}}, include=[])["ids"] == []
    with _on_server(chroma_server, prefix, tmp_path) as b:  # opening it dates it again, once
        assert {d.outlet: (d.published, d.published_source) for d in b.docs()} == {
            "Duvar English": (None, "unknown"),
            "Press TV": ("2018-04-27", "text"),
            "Wire One": ("2019-07-12", "metadata"),
        }
        got = b.retrieve("S-400 sanctions", k=10, filters=SearchFilter(since=date(2018, 1, 1)))
        assert {by_outlet[c.doc_id] for c in got.chunks} == {"Press TV", "Wire One"}


def test_copies_grouped_on_the_server_as_in_the_embedded_store(chroma_server: str, tmp_path: Path) -> None:
    """Syndicated copies are grouped at ingest on a server store too (signatures and pairs in
    its own collections): another machine sees the groups, answers cite one copy with the
    others under also_in, removal keeps the groups the remaining pairs make, and a store written
    before the server grouped copies is grouped once when opened."""
    from .test_dedup import ORIGINAL, UNRELATED, rewritten

    original = ORIGINAL.read_text(encoding="utf-8")
    folder = tmp_path / "new"
    folder.mkdir()
    (folder / ORIGINAL.name).write_text(original, encoding="utf-8")
    (folder / "copy.txt").write_text(rewritten(original), encoding="utf-8")
    (folder / "copy2.txt").write_text(rewritten(original).replace("ANKARA, Oct. 6", "ISTANBUL, Oct. 7"), "utf-8")
    (folder / "unrelated.txt").write_text(UNRELATED, encoding="utf-8")
    prefix = "dups-" + uuid.uuid4().hex[:6]

    def pairs(a: Assistant) -> set[frozenset[str]]:
        return {frozenset((x, y)) for x, y, _ in a.store.duplicate_pairs()}

    with _on_server(chroma_server, prefix, tmp_path) as writer, _on_server(chroma_server, prefix, tmp_path) as reader:
        report = writer.ingest([folder])
        assert report.added == 4, report.to_dict()
        ids = {Path(i.source).name: i.doc_id for i in report.items}
        orig, copy, copy2 = ids[ORIGINAL.name], ids["copy.txt"], ids["copy2.txt"]
        assert pairs(reader) == {frozenset(p) for p in [(orig, copy), (orig, copy2), (copy, copy2)]}
        assert set(reader.index.copies(orig)) == {copy, copy2}
        assert reader.index.copies(ids["unrelated.txt"]) == ()
        assert {d.doc_id for d in reader.copies(copy)} == {orig, copy2}
        assert reader.outlets() == sorted({d.outlet for d in reader.docs() if d.outlet}, key=str.casefold)
        assert {"Duvar English", "Hürriyet Daily News"} <= set(reader.outlets())

        answer = reader.ask("What did Stoltenberg say about a peaceful, negotiated solution?")
        check_citations(reader, answer)
        assert answer.citations, answer.text
        assert len({orig, copy, copy2} & {c.doc_id for c in answer.citations}) == 1, "one passage cited twice"
        first = answer.citations[0]
        assert {e["doc_id"] for e in first.also_in} == {orig, copy, copy2} - {first.doc_id}

        writer.remove(orig)
        assert pairs(reader) == {frozenset((copy, copy2))} and reader.index.copies(copy) == (copy2,)
        assert "Duvar English" not in reader.outlets()
        writer.remove(copy2)
        assert pairs(reader) == set() and reader.index.copies(copy) == ()
        again = writer.ingest([ORIGINAL])  # the writer's in-memory LSH follows the removals
        assert again.added == 1 and pairs(reader) == {frozenset((again.items[0].doc_id, copy))}

        # make it a store written before the server grouped copies or listed outlets
        store = writer.store
        for kind in ("signatures", "pairs", "outlets"):
            gone = store._c[kind].get(include=[])["ids"]
            assert gone, kind
            store._c[kind].delete(ids=gone)
        store._c["meta"].delete(ids=["duplicates", "outlets"])
        assert pairs(reader) == set() and reader.outlets() == []
    with _on_server(chroma_server, prefix, tmp_path) as opened:  # opening it groups the articles once
        assert pairs(opened) == {frozenset((again.items[0].doc_id, copy))}
        assert len(opened.store._c["signatures"].get(include=[])["ids"]) == opened.size() == 3
        assert opened.outlets() == sorted({d.outlet for d in opened.docs() if d.outlet}, key=str.casefold)
