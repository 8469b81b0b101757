"""Several processes on one store (a web page, a bot, a nightly ingest): real separate processes.

Two ingests of the same folder run at once into one store while a third process asks
throughout; afterwards the store must equal a single clean ingest, and the asking process must
have seen the new articles within seconds, with no errors.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from assistant import Assistant

from .conftest import SEEDS

ARTICLES = 200
CLI = [sys.executable, "-c", "from assistant.interfaces.cli import main; main()"]

READER = r"""
import json, pathlib, sys, time
from assistant import Assistant

store, stop, out = sys.argv[1:4]
a = Assistant(store_dir=store, create=False)  # on a Chroma server when ASSISTANT_CHROMA_URL is set
question = "How much were the Kotor harbour repairs in vote 199 worth?"
asked = errors = 0
found_after = None
stopped_at = None
while True:
    try:
        answer = a.ask(question)
        for c in answer.citations:
            assert a.document_text(c.doc_id)[c.start : c.end] == c.quote, "citation off its text"
        found = not answer.abstained and "1393 thousand euros" in answer.citations[0].quote
    except Exception as exc:
        errors += 1
        found = False
        print(repr(exc), file=sys.stderr)
    asked += 1
    if stopped_at is None and pathlib.Path(stop).exists():
        stopped_at = time.monotonic()
    if stopped_at is not None and (found or time.monotonic() - stopped_at > 20):
        found_after = time.monotonic() - stopped_at if found else None
        break
    time.sleep(0.05)
pathlib.Path(out).write_text(json.dumps({"asked": asked, "errors": errors, "found_after_s": found_after}))
"""


def _write_articles(folder: Path) -> None:
    folder.mkdir()
    towns = ["Vellmar", "Ostrava", "Kilkee", "Tarbes", "Lund", "Zadar", "Oban", "Narvik", "Sete", "Kotor"]
    for i in range(ARTICLES):
        town = towns[i % len(towns)]
        (folder / f"{i:03d}.txt").write_text(
            f"{town} council vote number {i}\n\nThe council of {town} voted {i} to {ARTICLES - i} on Monday "
            f"to fund harbour repairs worth {i * 7} thousand euros, the mayor said after meeting {i}. "
            f'"We waited {i % 9 + 2} years for this," said councillor Anna Berg{i}.\n',
            encoding="utf-8",
        )


def _contents(a: Assistant) -> dict[str, set]:
    """Everything a store holds that a clean ingest determines (not the times it was added)."""
    docs = a.docs()
    return {
        "documents": {(d.doc_id, d.source, d.title, d.content_hash, a.document_text(d.doc_id)) for d in docs},
        "chunks": set(a.store.chunk_rows()),
        "quotes": {(r.doc_id, r.seq, r.quote.kind, r.quote.speaker, r.quote.spans) for r in a.store.quote_rows()},
    }


@pytest.mark.parametrize("where", ["embedded", "server"])
def test_two_ingests_and_a_reader_in_separate_processes(
    where: str, seeded_store: Path, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    folder = tmp_path / "nightly"
    _write_articles(folder)
    shared, clean = tmp_path / "shared", tmp_path / "clean"
    shutil.copytree(seeded_store, clean)
    env = dict(os.environ)
    if where == "server":  # every process on its own local folder (as on its own machine)
        env["ASSISTANT_CHROMA_URL"] = request.getfixturevalue("chroma_server")
        env["ASSISTANT_CHROMA_PREFIX"] = "nightly-" + uuid.uuid4().hex[:6]
        seeded = subprocess.run([*CLI, "ingest", "--store", str(tmp_path / "seeding"), str(SEEDS)], env=env)
        assert seeded.returncode == 0
    else:
        shutil.copytree(seeded_store, shared)
    stop, out = tmp_path / "ingests-done", tmp_path / "reader.json"

    reader = subprocess.Popen(
        [
            sys.executable,
            "-c",
            READER,
            str(tmp_path / "reader-cache" if where == "server" else shared),
            str(stop),
            str(out),
        ],
        text=True,
        env=env,
    )
    time.sleep(3)  # the reader is answering (abstaining) before the writers start
    writers = [
        subprocess.Popen(
            [
                *CLI,
                "ingest",
                "--json",
                "--store",
                str(tmp_path / f"writer{i}" if where == "server" else shared),
                str(folder),
            ],
            stdout=subprocess.PIPE,
            env=env,
        )
        for i in range(2)
    ]
    reports = [json.loads(w.communicate(timeout=300)[0]) for w in writers]
    stop.touch()
    assert reader.wait(timeout=120) == 0
    assert [w.returncode for w in writers] == [0, 0]

    # every article stored once: each is "added" by one writer and "unchanged" for the other
    added = [sum(i["status"] == "added" for i in r["items"]) for r in reports]
    assert sum(added) == ARTICLES, added
    print("articles added by each writer:", added)
    for r in reports:
        assert len(r["items"]) == ARTICLES and not [i for i in r["items"] if i["status"] == "failed"]

    # the asking process never failed, and saw the new articles within seconds of the ingests ending
    seen = json.loads(out.read_text())
    assert seen["errors"] == 0 and seen["asked"] >= 10, seen
    assert seen["found_after_s"] is not None and seen["found_after_s"] < 10, seen

    # the store is what one clean ingest makes, vectors included, and nothing is left pending
    with Assistant(store_dir=clean) as a:
        assert a.ingest([folder]).added == ARTICLES
        expected = _contents(a)
    settings = {}
    if where == "server":
        settings = {"chroma_url": env["ASSISTANT_CHROMA_URL"], "chroma_prefix": env["ASSISTANT_CHROMA_PREFIX"]}
    with Assistant(store_dir=tmp_path / "check" if where == "server" else shared, create=False, **settings) as a:
        assert _contents(a) == expected
        problems = a.store.vector_problems()
        assert problems.vectors == len(expected["chunks"]) and not problems.missing and not problems.strays
        assert a.store.reconcile() == 0  # nothing left pending


@pytest.mark.parametrize("where", ["embedded", "server"])
def test_ingest_killed_at_random_points_then_rerun_equals_a_clean_ingest(
    where: str, seeded_store: Path, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """SIGKILL (no clean-up of any kind) while batches are being stored; the next run settles
    what the killed one left and finishes. On a server the killed writer's lease must expire
    and be taken over."""
    import random

    folder = tmp_path / "nightly"
    _write_articles(folder)
    store, clean = tmp_path / "store", tmp_path / "clean"
    shutil.copytree(seeded_store, clean)
    env = dict(os.environ)
    if where == "server":
        env["ASSISTANT_CHROMA_URL"] = request.getfixturevalue("chroma_server")
        env["ASSISTANT_CHROMA_PREFIX"] = "killed-" + uuid.uuid4().hex[:6]
        assert (
            subprocess.run([*CLI, "ingest", "--store", str(tmp_path / "seeding"), str(SEEDS)], env=env).returncode == 0
        )
    else:
        shutil.copytree(seeded_store, store)

    def stored() -> int:
        if where == "server":
            import chromadb

            url = env["ASSISTANT_CHROMA_URL"].rsplit(":", 1)
            client = chromadb.HttpClient(host=url[0].split("//")[1], port=int(url[1]))
            return client.get_collection(f"{env['ASSISTANT_CHROMA_PREFIX']}-documents").count()
        import sqlite3

        with sqlite3.connect(f"file:{store / 'documents.sqlite3'}?mode=ro", uri=True) as db:
            return db.execute("SELECT count(*) FROM documents").fetchone()[0]

    rng = random.Random(7)
    for _ in range(3 if where == "embedded" else 1):
        before = stored()
        run = subprocess.Popen([*CLI, "ingest", "--store", str(store), str(folder)], env=env, stdout=subprocess.DEVNULL)
        deadline = time.monotonic() + 180
        while stored() == before and run.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)  # a batch is stored: now kill it at a random point of what follows
        time.sleep(rng.uniform(0.0, 1.5))
        run.kill()
        run.wait()
    final = subprocess.run([*CLI, "ingest", "--json", "--store", str(store), str(folder)], env=env, capture_output=True)
    assert final.returncode == 0, final.stderr
    report = json.loads(final.stdout)
    assert not [i for i in report["items"] if i["status"] == "failed"]
    statuses = [i["status"] for i in report["items"]]
    assert statuses.count("unchanged") > 0, "the killed runs stored nothing: the test killed too early"

    with Assistant(store_dir=clean) as a:
        a.ingest([folder])
        expected = _contents(a)
    settings = {}
    if where == "server":
        settings = {"chroma_url": env["ASSISTANT_CHROMA_URL"], "chroma_prefix": env["ASSISTANT_CHROMA_PREFIX"]}
    with Assistant(store_dir=store, create=False, **settings) as a:
        assert _contents(a) == expected
        problems = a.store.vector_problems()
        assert problems.vectors == len(expected["chunks"]) and not problems.missing and not problems.strays
