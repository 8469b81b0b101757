"""Numbered schema migrations for the store's SQLite file (the shape of simonw/llm's).

Each migration is a function ``mNNN_what(db)`` registered in order with ``@migration``; the
``migrations`` table records which ran. Opening a store applies the missing ones, each in its
own transaction with its record, so an interrupted upgrade resumes where it stopped and a
store is upgraded in place once, losing nothing. A store that records a migration this
version does not know was written by a newer version and is refused. Never edit a released
migration: add the next one.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from ..errors import StoreError

log = logging.getLogger(__name__)

Migration = Callable[[sqlite3.Connection], None]
MIGRATIONS: list[Migration] = []


def migration(fn: Migration) -> Migration:
    MIGRATIONS.append(fn)
    return fn


@migration
def m001_initial(db: sqlite3.Connection) -> None:
    """Schema 1: article texts of record, chunk offsets, and a key-value meta table."""
    for statement in _SCHEMA_1.split(";"):
        if statement.strip():
            db.execute(statement)


_SCHEMA_1 = """
        CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS documents (
            doc_id TEXT PRIMARY KEY,
            source TEXT NOT NULL,
            title TEXT NOT NULL,
            outlet TEXT,
            url TEXT,
            published TEXT,
            dates TEXT NOT NULL,
            content_hash TEXT NOT NULL UNIQUE,
            text TEXT NOT NULL,
            added_at TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS documents_source ON documents(source);
        CREATE TABLE IF NOT EXISTS chunks (
            chunk_id TEXT PRIMARY KEY,
            doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
            seq INTEGER NOT NULL,
            start INTEGER NOT NULL,
            end INTEGER NOT NULL,
            tokens INTEGER NOT NULL,
            wordpieces INTEGER NOT NULL
        );
        CREATE INDEX IF NOT EXISTS chunks_doc ON chunks(doc_id);
"""


@migration
def m002_generation(db: sqlite3.Connection) -> None:
    """A change counter kept in the file, not in one process's memory: every write bumps it, so
    derived indexes (the keyword index on disk, another process's copy) know they are stale."""
    db.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('generation', '1')")


@migration
def m003_sentence_spans(db: sqlite3.Connection) -> None:
    """Each article's sentence spans, found at ingest (as chunking already did) and kept, so a
    question never loads the sentence splitter; existing articles are split once here."""
    import json

    from ..text.sentences import sentence_spans

    db.execute("ALTER TABLE documents ADD COLUMN sentences TEXT")
    rows = db.execute("SELECT doc_id, text FROM documents").fetchall()
    db.executemany(
        "UPDATE documents SET sentences = ? WHERE doc_id = ?",
        [(json.dumps(sentence_spans(text), separators=(",", ":")), doc_id) for doc_id, text in rows],
    )


@migration
def m004_quotes(db: sqlite3.Connection) -> None:
    """Who said what (``text.quotes``): one row per statement, found at ingest; articles stored
    before this version are read once here, so their quotes are indexed too."""

    db.execute(QUOTES_TABLE)
    db.execute("CREATE INDEX IF NOT EXISTS quotes_doc ON quotes(doc_id)")
    extract_all_quotes(db)


@migration
def m005_pending_vectors(db: sqlite3.Connection) -> None:
    """The ids of vectors a write is about to add or delete, recorded before it touches Chroma:
    after a crash, exactly these are settled, and any other vector without an article is
    reported as damage rather than deleted as an "orphan" (it may be another process's)."""
    db.execute("CREATE TABLE IF NOT EXISTS pending_vectors (chunk_id TEXT PRIMARY KEY, doc_id TEXT NOT NULL)")


@migration
def m006_publication_dates(db: sqlite3.Connection) -> None:
    """Each article's publication date as an integer day (YYYYMMDD, 0 unknown: what date
    filters compare, in SQLite and in Chroma's chunk metadata) with how it was found, and how
    its outlet was found. Stored articles are dated here from their metadata date, else their
    text; an article without an outlet gets its URL's. Their chunks' Chroma metadata is updated
    when the store next opens its vectors (``meta.chunk_dates`` = 0 until then)."""
    from ..ingest.cleaning import outlet_of_url
    from ..text.dates import day_number, publication_date

    db.execute("ALTER TABLE documents ADD COLUMN published_day INTEGER NOT NULL DEFAULT 0")
    db.execute("ALTER TABLE documents ADD COLUMN published_source TEXT NOT NULL DEFAULT 'unknown'")
    db.execute("ALTER TABLE documents ADD COLUMN outlet_source TEXT")
    db.execute("CREATE INDEX IF NOT EXISTS documents_published ON documents(published_day)")
    updates = []
    for doc_id, published, text, outlet, url in db.execute(
        "SELECT doc_id, published, text, outlet, url FROM documents"
    ).fetchall():
        when = publication_date(published, text)
        outlet_source = None  # an outlet stored before this version: how it was found was not recorded
        if not outlet:
            outlet = outlet_of_url(url)
            outlet_source = "url" if outlet else "unknown"
        updates.append((when.iso, day_number(when.day), when.source, outlet, outlet_source, doc_id))
    db.executemany(
        "UPDATE documents SET published = ?, published_day = ?, published_source = ?, outlet = ?, outlet_source = ? "
        "WHERE doc_id = ?",
        updates,
    )
    if db.execute("SELECT 1 FROM chunks LIMIT 1").fetchone() is not None:
        db.execute(
            "INSERT INTO meta (key, value) VALUES ('chunk_dates', '0') "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value"
        )


@migration
def m007_duplicates(db: sqlite3.Connection) -> None:
    """Syndicated and near-duplicate articles (``ingest.dedup``): each article's MinHash signature,
    kept so an ingest queries the LSH without reading every article again, and the confirmed
    pairs with their exact Jaccard; groups are the pairs' connected components, so removing an
    article (its rows go with it) keeps them consistent. Stored articles are grouped once here."""
    db.execute(DUP_SIGNATURES_TABLE)
    db.execute(DUP_PAIRS_TABLE)
    db.execute("CREATE INDEX IF NOT EXISTS dup_pairs_other ON dup_pairs(other)")
    group_all_stored(db)


@migration
def m008_outlet_index(db: sqlite3.Connection) -> None:
    """An index on the articles' outlet: listing the outlets (``Store.outlets``, the page's
    outlet picker) reads it instead of every article's row and text (11 ms to 0.13 ms on BBC)."""
    db.execute("CREATE INDEX IF NOT EXISTS documents_outlet ON documents(outlet)")


DUP_SIGNATURES_TABLE = """
        CREATE TABLE IF NOT EXISTS dup_signatures (
            doc_id TEXT PRIMARY KEY REFERENCES documents(doc_id) ON DELETE CASCADE,
            signature BLOB NOT NULL
        )"""
DUP_PAIRS_TABLE = """
        CREATE TABLE IF NOT EXISTS dup_pairs (
            doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
            other TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
            jaccard REAL NOT NULL,
            PRIMARY KEY (doc_id, other)
        )"""


def group_all_stored(db: sqlite3.Connection) -> int:
    """(Re)group every stored article, inside the caller's transaction; returns the pair count."""
    from ..ingest import dedup

    db.execute("DELETE FROM dup_pairs")
    db.execute("DELETE FROM dup_signatures")
    rows = db.execute("SELECT doc_id, text FROM documents ORDER BY added_at, doc_id").fetchall()
    sigs, pairs = dedup.group_all(rows)
    db.executemany(
        "INSERT INTO dup_signatures (doc_id, signature) VALUES (?, ?)", [(d, dedup.to_blob(s)) for d, s in sigs.items()]
    )
    db.executemany("INSERT INTO dup_pairs (doc_id, other, jaccard) VALUES (?, ?, ?)", pairs)
    return len(pairs)


def extract_all_quotes(db: sqlite3.Connection) -> int:
    """(Re)build the quote index from every stored article, inside the caller's transaction, and
    record the extractor version that built it; returns the number of statements."""
    from ..text.quote_version import EXTRACTOR_VERSION

    db.execute("DELETE FROM quotes")
    count = 0
    for doc_id, text, sentences in db.execute("SELECT doc_id, text, sentences FROM documents").fetchall():
        rows = extract_stored_quotes(doc_id, text, sentences)
        db.executemany(QUOTE_INSERT, rows)
        count += len(rows)
    db.execute(
        "INSERT INTO meta (key, value) VALUES ('quote_extractor', ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (str(EXTRACTOR_VERSION),),
    )
    return count


def extract_stored_quotes(doc_id: str, text: str, sentences: str | None) -> list[dict]:
    """The ``quotes`` rows of a stored article, found again from its text and its stored
    sentence spans (JSON; split afresh when there are none)."""
    import json

    from ..text.quotes import extract_quotes
    from ..text.sentences import sentence_spans

    spans = [tuple(s) for s in json.loads(sentences)] if sentences else []
    return quote_columns(doc_id, extract_quotes(text, spans or sentence_spans(text)))


QUOTES_TABLE = """
        CREATE TABLE IF NOT EXISTS quotes (
            doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
            seq INTEGER NOT NULL,
            kind TEXT NOT NULL,
            speaker TEXT NOT NULL,
            speaker_type TEXT NOT NULL,
            mention TEXT NOT NULL,
            cue TEXT NOT NULL,
            role TEXT NOT NULL,
            spans TEXT NOT NULL,
            attribution_start INTEGER,
            attribution_end INTEGER,
            PRIMARY KEY (doc_id, seq)
        )"""
QUOTE_INSERT = (
    "INSERT INTO quotes (doc_id, seq, kind, speaker, speaker_type, mention, cue, role, spans, attribution_start, "
    "attribution_end) VALUES (:doc_id, :seq, :kind, :speaker, :speaker_type, :mention, :cue, :role, :spans, "
    ":attribution_start, :attribution_end)"
)


def quote_columns(doc_id: str, quotes) -> list[dict]:
    """The ``quotes`` rows of one article's ``text.quotes.Quote`` list."""
    import json

    return [
        {
            "doc_id": doc_id,
            "seq": i,
            "kind": q.kind,
            "speaker": q.speaker,
            "speaker_type": q.speaker_type,
            "mention": q.mention,
            "cue": q.cue,
            "role": q.role,
            "spans": json.dumps(q.spans, separators=(",", ":")),
            "attribution_start": q.attribution[0] if q.attribution else None,
            "attribution_end": q.attribution[1] if q.attribution else None,
        }
        for i, q in enumerate(quotes)
    ]


def migrations_needed(db: sqlite3.Connection, path: Path) -> bool:
    """Whether opening the store must write (a new store, or migrations this version adds):
    only then does the opener wait for the write lock. A newer store is refused here."""
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if "migrations" not in tables:
        return True
    done = {r[0] for r in db.execute("SELECT name FROM migrations")}
    known = [m.__name__ for m in MIGRATIONS]
    if done - set(known):
        migrate(db, path)  # raises the "newer version" error
    return not set(known) <= done


def migrate(db: sqlite3.Connection, path: Path) -> list[str]:
    """Bring the store's schema up to date; returns the names of the migrations applied."""
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    known = [m.__name__ for m in MIGRATIONS]
    if "migrations" not in tables:
        if tables and "documents" not in tables:
            raise StoreError(
                f"{path} is an SQLite file of something else, not a news-assistant store: "
                "choose another --store directory"
            )
        with db:
            db.execute("CREATE TABLE migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
            if "documents" in tables:  # schema 1 predates this table: it is m001's schema
                db.execute("INSERT INTO migrations VALUES (?, ?)", (known[0], _now()))
    done = {r[0] for r in db.execute("SELECT name FROM migrations")}
    newer = sorted(done - set(known))
    if newer:
        raise StoreError(
            f"store {path.parent} was written by a newer version of news-assistant (schema migration "
            f"{newer[-1]}; this version knows up to {known[-1]}): upgrade news-assistant to open it"
        )
    applied = []
    for fn in MIGRATIONS:
        if fn.__name__ in done:
            continue
        with db:  # the migration and its record commit together (DDL included: explicit BEGIN)
            db.execute("BEGIN")
            fn(db)
            db.execute("INSERT INTO migrations VALUES (?, ?)", (fn.__name__, _now()))
            db.execute(
                "INSERT INTO meta (key, value) VALUES ('schema_version', ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (str(known.index(fn.__name__) + 1),),
            )
        applied.append(fn.__name__)
    if applied and done:
        log.warning("store %s upgraded in place: %s", path.parent, ", ".join(applied))
    return applied


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
