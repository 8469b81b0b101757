"""``assistant doctor``: read a store without changing it and say what is wrong and what to do.

It opens the SQLite file read-only (so a damaged file is never written to), checks it with
SQLite's own ``integrity_check``, counts what it holds, then compares the chunks with the
vectors in Chroma. Repairs happen only when the user asks for one by name:
``--rebuild-vectors`` (embed the stored texts again; the old Chroma folder is kept aside) and
``--delete-stray-vectors``.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import AssistantError
from .chroma import CollectionMissing, open_collection
from .store import COLLECTION, DATABASE, VECTORS


@dataclass
class Diagnosis:
    """What a store holds and what is wrong with it (``problems`` empty: healthy)."""

    directory: str
    counts: dict[str, int] = field(default_factory=dict)
    facts: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @property
    def healthy(self) -> bool:
        return not self.problems

    def to_dict(self) -> dict:
        return {
            "directory": self.directory,
            "healthy": self.healthy,
            "counts": self.counts,
            "facts": self.facts,
            "problems": self.problems,
        }


def diagnose(directory: str | Path) -> Diagnosis:
    """Check the store in ``directory``; never writes to it."""
    directory = Path(directory)
    found = Diagnosis(str(directory))
    path = directory / DATABASE
    if not directory.is_dir():
        found.problems.append(f"{directory} does not exist (mistyped --store?)")
        return found
    if not path.is_file():
        found.problems.append(f"{path} is missing: the article texts are gone; restore it from a backup or re-ingest")
        return found
    if path.stat().st_size == 0:
        found.problems.append(f"{path} is empty (0 bytes): restore it from a backup or re-ingest")
        return found
    chunk_ids = _read_sqlite(path, found)
    if chunk_ids is None:
        return found
    _compare_vectors(directory, chunk_ids, found)
    saved = sorted(p.name for p in (directory / "keyword").glob("generation-*"))
    found.facts["keyword index saved"] = ", ".join(saved) or "none (built on the next question)"
    return found


def _read_sqlite(path: Path, found: Diagnosis) -> set[str] | None:
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            result = [r[0] for r in db.execute("PRAGMA integrity_check")]
            if result != ["ok"]:
                found.problems.append(f"{path} fails SQLite's integrity check: {'; '.join(result[:5])}")
            tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if "documents" not in tables or "chunks" not in tables:
                found.problems.append(f"{path} is not a news-assistant store (tables: {', '.join(sorted(tables))})")
                return None
            for table in ("documents", "chunks", "quotes", "pending_vectors"):
                if table in tables:
                    found.counts[table] = db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            meta = dict(db.execute("SELECT key, value FROM meta")) if "meta" in tables else {}
            for key in ("schema_version", "generation", "embedding_model", "quote_extractor"):
                if key in meta:
                    found.facts[key] = meta[key]
            if found.counts.get("pending_vectors"):
                found.facts["interrupted write"] = (
                    f"{found.counts['pending_vectors']} vector ids recorded by a write that did not finish; the next "
                    "ingest settles them"
                )
            return {r[0] for r in db.execute("SELECT chunk_id FROM chunks")}
        finally:
            db.close()
    except sqlite3.DatabaseError as exc:
        found.problems.append(f"cannot read {path}: {exc}; restore it from a backup or re-ingest")
        return None


def _compare_vectors(directory: Path, chunk_ids: set[str], found: Diagnosis) -> None:
    folder = directory / VECTORS
    rebuild = f"`assistant doctor --rebuild-vectors --store {directory}` embeds the stored texts again"
    if not (folder / "chroma.sqlite3").is_file():
        if chunk_ids:
            found.problems.append(f"{folder} is missing: {len(chunk_ids)} chunks have no vector; {rebuild}")
        return
    try:
        collection = open_collection(folder, COLLECTION, create=False, fresh=True)
        ids = set(collection.get(include=[])["ids"])
    except CollectionMissing:
        found.problems.append(f"{folder} holds no '{COLLECTION}' collection (foreign or damaged); {rebuild}")
        return
    except Exception as exc:  # Chroma's own errors on a damaged folder have no common base class
        found.problems.append(f"cannot read {folder}: {type(exc).__name__}: {exc}; {rebuild}")
        return
    found.counts["vectors"] = len(ids)
    missing, strays = len(chunk_ids - ids), len(ids - chunk_ids)
    if missing:
        found.problems.append(f"{missing} chunks have no vector; {rebuild}")
    if strays:
        found.problems.append(
            f"{strays} vectors belong to no article and no recorded write (was {DATABASE} replaced or restored "
            "from an older backup?); `assistant doctor --delete-stray-vectors` deletes them"
        )


def diagnose_server(store) -> Diagnosis:
    """Check a store kept on a Chroma server (``server_store.ChromaServerStore``); never writes."""
    found = Diagnosis(f"{store.url} (collections {store.prefix}-*)")
    found.counts["documents"] = store.count()
    found.counts["quotes"] = len(store.quote_rows())
    problems = store.vector_problems()
    found.counts["chunks"] = sum(d.chunks for d in store.documents())
    found.counts["vectors"] = problems.vectors
    found.counts["pending_vectors"] = store._c["pending"].count()
    found.facts["generation"] = str(store.generation)
    found.facts["embedding_model"] = store._meta("embedding_model") or "?"
    found.facts["quote_extractor"] = store._meta("quote_extractor") or "?"
    if problems.missing:
        found.problems.append(f"{problems.missing} chunks have no vector: ingest again into a new --chroma-prefix")
    if problems.strays:
        found.problems.append(
            f"{len(problems.strays)} vectors belong to no article and no recorded write; "
            "`assistant doctor --delete-stray-vectors` deletes them"
        )
    return found


def require_repairable(found: Diagnosis) -> None:
    """A vector rebuild needs readable texts of record."""
    if "documents" not in found.counts:
        raise AssistantError("cannot rebuild the vectors: " + "; ".join(found.problems))
