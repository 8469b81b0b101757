"""Shared fixtures: a real on-disk store with the five seed articles, embedded by the real model."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from assistant import Assistant

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "data" / "articles"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def seeded_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store directory holding the seeds; copy it before changing it."""
    store = tmp_path_factory.mktemp("seeded") / "store"
    with Assistant(store_dir=store) as a:
        report = a.ingest([SEEDS])
        assert report.added == 5 and report.failed == 0, report.to_dict()
    return store


@pytest.fixture(scope="session")
def seeded(seeded_store: Path) -> Assistant:
    """A read-only assistant over the seeds (tests must not ingest or remove with it)."""
    return Assistant(store_dir=seeded_store)


@pytest.fixture
def fresh_copy(seeded_store: Path, tmp_path: Path) -> Path:
    """A private copy of the seeded store that a test may change."""
    target = tmp_path / "store"
    shutil.copytree(seeded_store, target)
    return target


def check_citations(assistant: Assistant, answer) -> None:
    """The product's core promise: every citation's offsets slice out exactly its quote."""
    for c in answer.citations:
        assert assistant.document_text(c.doc_id)[c.start : c.end] == c.quote
        assert c.quote.strip(), "empty quote"
        assert f"[{c.n}]" in answer.text


def ingest_articles(folder: Path, articles: dict[str, str]) -> Assistant:
    """A store in ``folder`` holding ``articles`` (file name stem -> text) and the seeds."""
    for name, text in articles.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    assistant = Assistant(store_dir=folder / "store")
    report = assistant.ingest([*(folder / f"{name}.txt" for name in articles), SEEDS])
    assert report.failed == 0
    return assistant


def assert_quoted(assistant: Assistant, question: str, speaker: str, words: str, history=None):
    """``question`` is answered, first with ``speaker``'s own statement holding ``words``, every
    citation exact; the answer, for more checks."""
    answer = assistant.ask(question, history=history)
    assert not answer.abstained, answer.text
    first = answer.citations[0]
    assert first.speaker == speaker and words in first.quote, answer.text
    check_citations(assistant, answer)
    return answer


def assert_refused(assistant: Assistant, question: str, history=None):
    """``question`` is refused with no citation (a near miss, a statement nobody made)."""
    answer = assistant.ask(question, history=history)
    assert answer.abstained and not answer.citations, answer.text
    return answer


def after(answer) -> list[dict[str, str]]:
    """The conversation history once ``answer`` was given: its question, then its text."""
    return [{"role": "user", "content": answer.question}, {"role": "assistant", "content": answer.text}]


PEOPLE_ARTICLE = """Harbour town opens floating library

The town of Vellmar Bay opened a floating library on Tuesday, moored at the old ferry pier.
"Books should go where people are," said the harbour master, Ingrid Solberg.
The barge holds 4,000 books and will visit three villages along the coast each summer.
"""


def _directory(assistant: Assistant) -> list[tuple]:
    return [(p.name, p.kind, p.spellings, p.roles, [(q.doc_id, q.seq) for q in p.quotes]) for p in assistant.people()]


def _scratch_directory(assistant: Assistant) -> list[tuple]:
    """The directory built from every stored statement at once, by an assistant opened afresh."""
    fresh = Assistant(settings=assistant.settings, create=False)
    try:
        return _directory(fresh)
    finally:
        fresh.close()


def _indexed_chunks(assistant: Assistant) -> list[str]:
    return sorted(assistant.index.keyword.row_of)  # the live rows


def assert_people_follow_changes(writer: Assistant, reader: Assistant, folder: Path) -> None:
    """A reader's people directory and keyword index, built before a change, follow another
    assistant's additions and removals, and equal ones built from scratch each time (they are
    updated from the articles added or removed, not rebuilt)."""
    before = _directory(reader)
    assert "Ingrid Solberg" not in {p[0] for p in before}
    chunks_before = _indexed_chunks(reader)
    article = folder / "harbour-people.txt"
    article.write_text(PEOPLE_ARTICLE, encoding="utf-8")
    (item,) = writer.ingest([article]).items
    assert item.status == "added"
    after = _directory(reader)
    solberg = [p for p in after if p[0] == "Ingrid Solberg"]
    assert solberg and solberg[0][4] == [(item.doc_id, 0)], solberg
    assert after == _scratch_directory(reader)
    assert reader.retrieve("floating library in Vellmar Bay", 3).chunks[0].doc_id == item.doc_id
    assert _indexed_chunks(reader) == sorted(row.chunk_id for row in reader.store.chunk_rows()) != chunks_before
    writer.remove(item.doc_id)
    assert _directory(reader) == before == _scratch_directory(reader)
    assert item.doc_id not in {c.doc_id for c in reader.retrieve("floating library in Vellmar Bay", 10).chunks}
    assert _indexed_chunks(reader) == chunks_before


def run_python(code: str) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a new interpreter (what another process, or a fresh start, sees)."""
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory: pytest.TempPathFactory):
    """A real Chroma server on loopback (``chroma run`` from this environment's chromadb, the
    same version as the client), for the tests of the store kept on a server."""
    import socket
    import time
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    chroma = Path(sys.executable).parent / "chroma"
    data = tmp_path_factory.mktemp("chroma-server")
    log = open(data / "server.log", "w")  # open for the server's whole life
    server = subprocess.Popen(
        [str(chroma), "run", "--path", str(data / "db"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=1).read()
            break
        except OSError as exc:
            if server.poll() is not None or time.monotonic() > deadline:
                tail = (data / "server.log").read_text()[-2000:]
                raise RuntimeError(f"the Chroma server did not start: {tail}") from exc
            time.sleep(0.2)
    yield url
    server.terminate()
    server.wait(timeout=30)
    log.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    """Mark a test whose body failed, so its fixtures can print what explains the failure."""
    report = yield
    if report.when == "call" and report.failed:
        item.failed_call = True  # type: ignore[attr-defined]
    return report
