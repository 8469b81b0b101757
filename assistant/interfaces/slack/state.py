"""What the bot remembers across requests, processes and restarts, in ``slack.sqlite3`` beside
the store: which deliveries it has already taken (so a retry, a redelivery or the ``message``
twin of an ``app_mention`` is answered once), the answers its buttons point to, and each user's
recent questions (the rate limit).

Every check-and-record is one SQLite ``BEGIN IMMEDIATE`` transaction, so it is atomic across
threads and processes (two bots on one store, or a bot restarting while Slack retries). Old
rows are pruned on write, so the file stays small.
"""

from __future__ import annotations

import json
import sqlite3
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

STATE_FILE = "slack.sqlite3"
SEEN_SECONDS = 7 * 86400  # Slack retries within about an hour; a week covers any redelivery
ANSWER_SECONDS = 30 * 86400  # how long 👍/👎 and "Post to channel" work on an answer

_SCHEMA = """
CREATE TABLE IF NOT EXISTS seen (key TEXT PRIMARY KEY, at REAL NOT NULL, reply TEXT);
CREATE INDEX IF NOT EXISTS seen_at ON seen (at);
CREATE TABLE IF NOT EXISTS answers (id TEXT PRIMARY KEY, at REAL NOT NULL, answer TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS answers_at ON answers (at);
CREATE TABLE IF NOT EXISTS asks (user TEXT NOT NULL, at REAL NOT NULL);
CREATE INDEX IF NOT EXISTS asks_user_at ON asks (user, at);
"""


class BotState:
    """The bot's small persistent memory; one per store directory, safe to share between threads."""

    def __init__(self, store_dir: str | Path, *, clock: Callable[[], float] = time.time) -> None:
        self.path = Path(store_dir) / STATE_FILE
        self._clock = clock
        with self._connect() as db:
            db.execute("PRAGMA journal_mode=WAL")  # readers never wait for a writer
            db.executescript(_SCHEMA)  # each statement is idempotent, so two processes may race here

    def first_delivery(self, keys: Iterable[str]) -> bool:
        """Record the delivery ``keys`` (an event id, a message's channel and ts...); True when
        none had been recorded before, i.e. this delivery is the one to answer."""
        keys = list(keys)
        now = self._clock()
        with self._transaction() as db:
            marks = ",".join("?" * len(keys))
            seen = db.execute(f"SELECT count(*) FROM seen WHERE key IN ({marks})", keys).fetchone()[0]
            db.executemany("INSERT OR IGNORE INTO seen (key, at) VALUES (?, ?)", [(k, now) for k in keys])
            db.execute("DELETE FROM seen WHERE at < ?", (now - SEEN_SECONDS,))
        return seen == 0

    def reply_for(self, key: str) -> tuple[bool, str | None]:
        """For a platform that takes its reply in the HTTP response: (first delivery?, the reply
        already given to an earlier delivery of ``key``, if any) so a retry gets the same reply."""
        now = self._clock()
        with self._transaction() as db:
            row = db.execute("SELECT reply FROM seen WHERE key = ?", (key,)).fetchone()
            if row is None:
                db.execute("INSERT INTO seen (key, at) VALUES (?, ?)", (key, now))
            db.execute("DELETE FROM seen WHERE at < ?", (now - SEEN_SECONDS,))
        return row is None, row[0] if row else None

    def remember_reply(self, key: str, reply: str) -> None:
        with self._transaction() as db:
            db.execute("UPDATE seen SET reply = ? WHERE key = ?", (reply, key))

    def remember_answer(self, answer: dict[str, Any]) -> str:
        """Keep an answer (``Answer.to_dict()``) for its buttons; returns the id they carry."""
        answer_id = uuid.uuid4().hex
        now = self._clock()
        with self._transaction() as db:
            db.execute(
                "INSERT INTO answers (id, at, answer) VALUES (?, ?, ?)",
                (answer_id, now, json.dumps(answer, ensure_ascii=False)),
            )
            db.execute("DELETE FROM answers WHERE at < ?", (now - ANSWER_SECONDS,))
        return answer_id

    def answer(self, answer_id: str) -> dict[str, Any] | None:
        """The answer a button refers to, or None when it is unknown or older than 30 days."""
        with self._connect() as db:
            row = db.execute(
                "SELECT answer FROM answers WHERE id = ? AND at >= ?", (answer_id, self._clock() - ANSWER_SECONDS)
            ).fetchone()
        return json.loads(row[0]) if row else None

    def take_turn(self, user: str, rate: tuple[int, float] | None) -> float | None:
        """Count a question by ``user`` if ``rate`` (questions, seconds) allows it and return
        None; otherwise count nothing and return the seconds until the next one is allowed."""
        if rate is None:
            return None
        limit, window = rate
        now = self._clock()
        with self._transaction() as db:
            recent = [
                at
                for (at,) in db.execute(
                    "SELECT at FROM asks WHERE user = ? AND at > ? ORDER BY at", (user, now - window)
                ).fetchall()
            ]
            if len(recent) >= limit:
                return max(recent[len(recent) - limit] + window - now, 0.0)
            db.execute("INSERT INTO asks (user, at) VALUES (?, ?)", (user, now))
            db.execute("DELETE FROM asks WHERE at < ?", (now - max(window, 86400.0),))
        return None

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            yield db
        finally:
            db.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._connect() as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")
