"""A damaged or mistyped store is reported with what to do, and nothing stored is deleted.

Each case damages a copy of a real store the way an operator might (an emptied or deleted
SQLite file, a truncated one, a deleted or foreign Chroma folder, a text file restored from
an older backup), then checks the error, the exit code of the commands, and that every file
left in the store is byte-for-byte what it was.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from assistant import Assistant, StoreError, StoreNotFound
from assistant.models import Article, Chunk
from assistant.search.doctor import diagnose
from assistant.search.store import Addition, Store

CLI = [sys.executable, "-c", "from assistant.interfaces.cli import main; main()"]
QUESTION = "What did Stoltenberg say about Nagorno-Karabakh?"


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=180)


def _snapshot(store: Path) -> dict[str, str]:
    """Every file under the store with the hash of its bytes (SQLite's -wal/-shm and the lock
    aside). Chroma's own catalogue (chroma.sqlite3) is rewritten by Chroma whenever a client
    opens the folder, so only its presence is compared; its collections are checked apart."""
    return {
        str(p.relative_to(store)): "present"
        if p.name == "chroma.sqlite3"
        else hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(store.rglob("*"))
        if p.is_file() and not p.name.endswith(("-wal", "-shm", ".lock"))
    }


def _assert_refused(store: Path, message: str, listing: bool = True) -> None:
    """Reading and writing commands both refuse, exit 2 with one line, and change nothing.
    (``docs`` never opens Chroma, so with ``listing=False`` it may still list the articles.)"""
    before = _snapshot(store)
    commands = [["ask", QUESTION], ["ingest", str(store.parent / "new.txt")]] + ([["docs"]] if listing else [])
    for args in commands:
        done = _cli(*args, "--store", str(store))
        assert done.returncode == 2, (args, done.stdout, done.stderr)
        assert message in done.stderr and "Traceback" not in done.stderr, done.stderr
    doctor = _cli("doctor", "--store", str(store))
    assert doctor.returncode == 2 and "problem:" in doctor.stdout, doctor.stdout
    assert _snapshot(store) == before, "a damaged store was changed"


@pytest.fixture
def new_article(tmp_path: Path) -> Path:
    path = tmp_path / "new.txt"
    path.write_text("Ferry news\n\nThe ferry to Oban now leaves at nine, the port said on Friday.\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("damage", ["emptied", "deleted"])
def test_lost_texts_are_reported_not_replaced_by_an_empty_store(fresh_copy: Path, new_article: Path, damage) -> None:
    database = fresh_copy / "documents.sqlite3"
    if damage == "emptied":
        database.write_bytes(b"")
    else:
        database.unlink()
    _assert_refused(fresh_copy, "the article texts of this store are gone")
    with pytest.raises(StoreError, match=r"Restore documents\.sqlite3 from a backup"):
        Assistant(store_dir=fresh_copy)


def test_truncated_database_is_one_clear_error(fresh_copy: Path, new_article: Path) -> None:
    database = fresh_copy / "documents.sqlite3"
    os.truncate(database, database.stat().st_size * 3 // 4)
    _assert_refused(fresh_copy, "database disk image is malformed")
    assert "malformed" in diagnose(fresh_copy).problems[0]


@pytest.mark.parametrize("damage", ["deleted", "foreign"])
def test_lost_vectors_are_reported_then_rebuilt_on_request(fresh_copy: Path, new_article: Path, damage) -> None:
    with Assistant(store_dir=fresh_copy, create=False) as a:
        before = a.ask(QUESTION)
    shutil.rmtree(fresh_copy / "chroma")
    if damage == "foreign":  # a Chroma folder of something else (made by another program)
        code = "import chromadb, sys; chromadb.PersistentClient(sys.argv[1]).create_collection('other')"
        subprocess.run([sys.executable, "-c", code, str(fresh_copy / "chroma")], check=True, timeout=120)
    message = "is missing or empty" if damage == "deleted" else "holds no 'chunks' collection"
    _assert_refused(fresh_copy, message, listing=damage == "deleted")
    if damage == "foreign":
        code = (
            "import chromadb, sys; print([c.name for c in chromadb.PersistentClient(sys.argv[1]).list_collections()])"
        )
        listed = subprocess.run(
            [sys.executable, "-c", code, str(fresh_copy / "chroma")], capture_output=True, text=True
        )
        assert listed.stdout.strip() == "['other']", "the foreign collection must be left as it was"

    rebuilt = _cli("doctor", "--rebuild-vectors", "--store", str(fresh_copy))
    assert rebuilt.returncode == 0 and "healthy" in rebuilt.stdout, rebuilt.stdout + rebuilt.stderr
    assert "rebuilt 25 vectors" in rebuilt.stderr
    kept = list(fresh_copy.glob("chroma.set-aside-*"))
    assert len(kept) == (1 if damage == "foreign" else 0), "the old folder must be kept, not deleted"
    with Assistant(store_dir=fresh_copy, create=False) as a:
        after = a.ask(QUESTION)
    assert [(c.doc_id, c.start, c.end) for c in after.citations] == [
        (c.doc_id, c.start, c.end) for c in before.citations
    ]


def test_texts_from_an_older_backup_leave_stray_vectors_alone(fresh_copy: Path, new_article: Path, tmp_path) -> None:
    """Restoring documents.sqlite3 from before the last ingest: the newer vectors belong to no
    article. They are reported; ingest refuses rather than deleting them; the user may."""
    backup = tmp_path / "backup.sqlite3"
    shutil.copy(fresh_copy / "documents.sqlite3", backup)
    with Assistant(store_dir=fresh_copy) as a:
        assert a.ingest([new_article]).added == 1
    shutil.copy(backup, fresh_copy / "documents.sqlite3")
    for suffix in ("-wal", "-shm"):
        (fresh_copy / f"documents.sqlite3{suffix}").unlink(missing_ok=True)
    vectors = len(list(_snapshot(fresh_copy)))
    done = _cli("ingest", "--store", str(fresh_copy), str(new_article))
    assert done.returncode == 2 and "1 vectors in" in done.stderr and "belong to no article" in done.stderr
    assert len(list(_snapshot(fresh_copy))) == vectors
    assert _cli("doctor", "--store", str(fresh_copy)).returncode == 2
    fixed = _cli("doctor", "--delete-stray-vectors", "--store", str(fresh_copy))
    assert fixed.returncode == 0 and "deleted 1 stray vectors" in fixed.stderr, fixed.stderr
    assert _cli("ingest", "--store", str(fresh_copy), str(new_article)).returncode == 0


def test_a_mistyped_store_is_not_created(fresh_copy: Path, tmp_path: Path) -> None:
    typo = tmp_path / "stroe"
    for args in (["ask", QUESTION], ["docs"], ["people"], ["quotes", "Stoltenberg"], ["remove", "abc"]):
        done = _cli(*args, "--store", str(typo))
        assert done.returncode == 2 and f"no store at {typo}" in done.stderr, (args, done.stderr)
    assert _cli("doctor", "--store", str(typo)).returncode == 2
    assert not typo.exists()
    with pytest.raises(StoreNotFound):
        Assistant(store_dir=typo, create=False)
    (typo).mkdir()  # an existing folder that holds no store is not one either
    with pytest.raises(StoreNotFound, match=r"holds no documents\.sqlite3"):
        Assistant(store_dir=typo, create=False)


def test_an_article_larger_than_one_chroma_batch_is_stored(tmp_path: Path) -> None:
    """Chroma refuses writes over its batch limit (5,461 here); a long article has more chunks."""
    store = Store(tmp_path / "store")
    limit = store.collection._client.get_max_batch_size()
    count = limit + 500
    sentences = [f"Sentence {i} of a very long report. " for i in range(count)]
    text = "".join(sentences)
    article = Article("bigdoc", "big.txt", "A long report", text, "hash-big")
    chunks, start = [], 0
    for i, s in enumerate(sentences):
        chunks.append(Chunk(f"bigdoc-{i}", "bigdoc", i, start, start + len(s), s, 8, 10))
        start += len(s)
    vectors = np.random.default_rng(0).normal(size=(count, 384)).astype(float)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    assert store.add_many([Addition(article, chunks, vectors.tolist())]) == []
    assert store.vector_count() == count
    removed = store.remove("bigdoc")
    assert removed.chunks == count and store.vector_count() == 0
