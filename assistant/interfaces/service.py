"""What every long-running interface needs beyond ``Assistant`` (the web page, the Slack bot):
opening the store for serving, taking uploaded files, and recording feedback. Kept here so a
second interface calls these rather than copying them.
"""

from __future__ import annotations

import json
import logging
import shutil
import threading
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from filelock import FileLock

from ..api import Assistant
from ..config import Settings
from ..errors import AssistantError
from ..models import Answer, DocumentInfo, Draft, IngestProgress, IngestReport
from ..text.filters import filter_from_question

log = logging.getLogger(__name__)

SAMPLE_ARTICLES = Path(__file__).resolve().parents[2] / "data" / "articles"
FEEDBACK_FILE = "feedback.jsonl"
UPLOADS_DIR = "uploads"
REMOVED_DIR = "removed"
RATINGS = ("up", "down", "withdrawn")  # "withdrawn": a reader took back their earlier rating


def open_for_serving(settings: Settings, *, create: bool = True) -> Assistant:
    """The assistant a server answers from, with the model and index loaded before the first
    question arrives. ``create=True`` (the web page, which starts on the samples): a missing or
    empty store gets the sample articles. ``create=False`` (the bot, which serves a newsroom's
    store): a store that doesn't exist is ``StoreNotFound``, like every reading command."""
    assistant = Assistant(settings=settings, create=create)
    if assistant.size() == 0:
        if create and SAMPLE_ARTICLES.is_dir():
            report = assistant.ingest([SAMPLE_ARTICLES])
            log.warning("store was empty: ingested the sample articles (%s)", report.summary())
        else:
            log.warning("store %s holds no articles: every question will be answered 'not found'", settings.store.dir)
    assistant.warm_up()
    return assistant


def ask_typed(assistant: Assistant, typed: str, history: list[dict[str, str]] | None = None) -> Answer:
    """Answer a question typed into a chat, where filters are written in the question:
    ``what did Stoltenberg say since:2019 outlet:"Press TV"``. A malformed filter is a
    ``FilterError`` (an ``AssistantError``: the chat says what is accepted)."""
    question, filters = filter_from_question(typed, assistant.outlets)
    return assistant.ask(question, history, filters=filters)


def ask_typed_stream(
    assistant: Assistant, typed: str, history: list[dict[str, str]] | None = None
) -> Iterator[Draft | Answer]:
    """``ask_typed`` as it happens (``Assistant.ask_stream``): a generative engine's unchecked
    draft, then the checked answer, always last. A malformed filter raises here, before any event."""
    question, filters = filter_from_question(typed, assistant.outlets)
    return assistant.ask_stream(question, history, filters=filters)


def ingest_uploads(
    assistant: Assistant,
    files: Iterable[str | Path],
    progress: Callable[[IngestProgress], None] | None = None,
) -> IngestReport:
    """Copy uploaded files beside the store (``uploads/``) and ingest them under their own names."""
    uploads = Path(assistant.settings.store.dir) / UPLOADS_DIR
    uploads.mkdir(parents=True, exist_ok=True)
    paths, names = [], {}
    for f in files:
        src = Path(f)
        dest = uploads / src.name
        shutil.copyfile(src, dest)
        paths.append(dest)
        names[str(dest)] = f"{UPLOADS_DIR}/{src.name}"
    return assistant.ingest(paths, progress=progress, names=names)


def remove_keeping_copy(assistant: Assistant, doc_id: str) -> DocumentInfo:
    """Remove an article from the store, first writing it, text and metadata, to
    ``removed/<doc id>.json`` beside the store: the page's Undo puts it back from there, and
    nothing a reader removes by mistake is lost."""
    info = assistant.document(doc_id)
    record = {
        "title": info.title,
        "outlet": info.outlet,
        "url": info.url,
        # a date estimated from the text is found again from it: kept as metadata it would pass for one
        "published": info.published if info.published_source == "metadata" else None,
        "source": info.source,
        "text": assistant.document_text(doc_id),
    }
    folder = Path(assistant.settings.store.dir) / REMOVED_DIR
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{info.doc_id}.json"
    path.write_text(json.dumps(record, ensure_ascii=False, indent=1), encoding="utf-8")
    return assistant.remove(doc_id)


def restore_removed(assistant: Assistant, doc_id: str) -> IngestReport:
    """Put back an article ``remove_keeping_copy`` removed, under its original file name."""
    path = Path(assistant.settings.store.dir) / REMOVED_DIR / f"{doc_id}.json"
    if not path.is_file():
        raise AssistantError(f"no removed copy of article {doc_id} to restore")
    source = json.loads(path.read_text(encoding="utf-8")).get("source") or path.name
    return assistant.ingest([path], names={str(path): source})


class FeedbackLog:
    """Thumbs up/down on answers, one JSON line each in ``feedback.jsonl`` beside the store,
    with the question, answer and citations, for later review.

    The web page and the bot are separate processes appending to one file, and a long record is
    written in several pieces, so each append holds a file lock (``feedback.jsonl.lock``) as
    well as a thread lock: lines never interleave."""

    def __init__(self, store_dir: str | Path, *, lock_timeout: float = 30.0) -> None:
        """``lock_timeout``: seconds to wait for another process's append before raising ``filelock.Timeout``."""
        self.path = Path(store_dir) / FEEDBACK_FILE
        self._lock = threading.Lock()
        self._file_lock = FileLock(str(self.path) + ".lock", timeout=lock_timeout)

    def record(self, rating: str, answer: dict[str, Any]) -> dict[str, Any]:
        """Append one rating of an answer (``Answer.to_dict()``): "up", "down", or "withdrawn"
        when a reader takes back the rating they gave. Returns the record."""
        if rating not in RATINGS:
            raise ValueError(f"rating must be one of {', '.join(RATINGS)}, not {rating!r}")
        record = {
            "time": datetime.now(UTC).isoformat(timespec="seconds"),
            "rating": rating,
            "question": answer["question"],
            "standalone_question": answer.get("standalone_question"),
            "answer": answer["text"],
            "abstained": answer["abstained"],
            "citations": answer["citations"],
        }
        line = json.dumps(record, ensure_ascii=False) + "\n"
        with self._lock, self._file_lock, self.path.open("a", encoding="utf-8") as f:
            f.write(line)
        return record
