"""The store on a Chroma server (``ASSISTANT_CHROMA_URL``): every app process, on any machine,
reads and writes the same store through Chroma's HTTP client, and nothing of it lives only on
one machine's disk.

Everything the embedded store keeps in SQLite lives in Chroma collections named
``<prefix>-<what>`` (prefix ``news`` by default, so one server can hold several stores):

- ``chunks``: one vector per chunk, with its article, position and token counts;
- ``documents``: one record per article: the text of record as the document, the metadata,
  sentence spans and statements (quotes) as JSON in its metadata. Chroma requires a vector
  per record: these carry a constant one-dimensional placeholder, never searched;
- ``log``: one record per write. Its count is the store's generation: it only grows, and two
  writers adding at once both count (a read-modify-write counter would lose one);
- ``pending``: chunk ids a write is about to add or delete, with the writer's id;
- ``locks``: the writers' lease (see below);
- ``meta``: the embedding model and quote extractor that built the store;
- ``signatures``: each article's MinHash signature (``ingest.dedup``), so an ingest finds
  syndicated copies without reading every article again; ``pairs``: the confirmed copies
  (article, copy, exact Jaccard), as the embedded store's ``dup_signatures``/``dup_pairs``.
  Both are written before the article record and read only for articles that have one, so an
  interrupted write leaves nothing a reader sees;
- ``outlets``: every outlet an article was stored with (listed without reading every article's
  record; a name whose articles are all gone is checked and left out).

Chroma has no transactions, so a write is ordered to be safe at every step: vectors first
(recorded in ``pending``), then the article record (the commit: searches only use chunks whose
article exists), then the log record; deletions remove the article record first.

Writers on any machine take turns on a lease kept in ``locks``: Chroma's ``add`` never
overwrites an existing id, so of several writers adding the lease record the first wins, and
each reads the record back to see whether it was theirs. The holder renews the lease every few
seconds; a lease left to expire (its writer died) is taken over with a delete conditioned on
the dead owner. While a writer holds the lease no other write is in flight, so ``pending``
entries it finds are an interrupted write's to settle.

The local store directory only caches what can be rebuilt (the saved keyword index).
"""

from __future__ import annotations

import base64
import json
import logging
import threading
import time
import uuid
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from ..errors import DocumentNotFound, StoreError, StoreNotFound
from ..models import Article, Chunk, ChunkRow, DocumentInfo, QuoteRow, SearchFilter
from .chroma import in_batches
from .embedding import MODEL_ID
from .migrations import extract_stored_quotes, quote_columns
from .store import (
    Addition,
    VectorProblems,
    check_additions,
    chroma_where,
    id_slices,
    published_day,
    quote_row,
    split_present,
    stale_model,
)

log = logging.getLogger(__name__)

LEASE_S = 30.0  # a writer's lease lasts this long unless renewed (every third of it, while held)
LOCK_ID = "write-lock"
PLACEHOLDER = [1.0]  # the vector of a record that is not searched by meaning
PAGE = 5000  # records read per request
KINDS = ("chunks", "documents", "log", "pending", "locks", "meta", "signatures", "pairs", "outlets")


def connect(url: str):  # -> chromadb ClientAPI
    """An HTTP client for ``url`` (http://host:port), checked: reachable, and the same Chroma
    version as this client (mismatched client and server versions fail in obscure ways)."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise StoreError(f"chroma_url must look like http://host:port, not {url!r}")
    port = parsed.port or (443 if parsed.scheme == "https" else 8000)
    try:
        client = chromadb.HttpClient(
            host=parsed.hostname,
            port=port,
            ssl=parsed.scheme == "https",
            settings=ChromaSettings(anonymized_telemetry=False),
        )
        server = client.get_version()
    except Exception as exc:  # connection errors come from httpx, value errors from chromadb
        raise StoreError(f"cannot reach the Chroma server at {url}: {exc}") from exc
    if server.split(".")[0] != chromadb.__version__.split(".")[0]:
        raise StoreError(
            f"the Chroma server at {url} speaks API {server}, this client is chromadb {chromadb.__version__}: "
            "run the server from the same chromadb package (`chroma run` from this environment)"
        )
    log.info("Chroma server %s: API %s, client chromadb %s", url, server, chromadb.__version__)
    return client


class ChromaServerStore:
    """The ``Store`` interface over a Chroma server."""

    # group syndicated copies at ingest (``ingest.dedup``), as the embedded store does
    group_duplicates = True

    def __init__(
        self,
        url: str,
        prefix: str,
        cache_dir: str | Path,
        *,
        create: bool = True,
        vectors_required: bool = True,
    ) -> None:
        self.url, self.prefix = url, prefix
        self._client = connect(url)
        names = {kind: f"{prefix}-{kind}" for kind in KINDS}
        existing = {c.name for c in self._client.list_collections()}
        if names["documents"] not in existing and not create:
            raise StoreNotFound(
                f"no store named {prefix!r} on the Chroma server {url}: check --chroma-prefix (or "
                f"ASSISTANT_CHROMA_PREFIX); `assistant ingest FILES` with the same settings creates it."
            )
        if names["documents"] in existing and names["chunks"] not in existing and vectors_required:
            raise StoreError(f"the Chroma server {url} has {names['documents']} but no {names['chunks']}: damaged")
        self._c = {
            kind: self._client.get_or_create_collection(
                name, metadata={"hnsw:space": "cosine"} if kind == "chunks" else None, embedding_function=None
            )
            for kind, name in names.items()
        }
        host = urlparse(url)
        self.directory = Path(cache_dir) / f"chroma-server-{host.hostname}-{host.port}-{prefix}"
        self.directory.mkdir(parents=True, exist_ok=True)
        self.path = url
        self._lock = threading.RLock()
        self._depth = 0
        self.writer_id = uuid.uuid4().hex
        self.stale_model: str | None = None
        self._dups: Any = None  # ingest.dedup.DuplicateIndex, built on the first ingest
        self._dups_generation = -1  # the generation the LSH above is in step with
        self._check_model()
        self._check_quotes()
        self._check_dates()
        self._check_duplicates()
        self._check_outlets()

    # --- what the store was built with ------------------------------------------------------
    def _meta(self, key: str) -> str | None:
        got = self._c["meta"].get(ids=[key], include=["documents"])
        return got["documents"][0] if got["ids"] else None

    def _set_meta(self, key: str, value: str) -> None:
        self._c["meta"].upsert(ids=[key], documents=[value], embeddings=[PLACEHOLDER])

    def _check_model(self) -> None:
        stored = self._meta("embedding_model")
        if stored is None:
            self._set_meta("embedding_model", MODEL_ID)
        else:
            self.stale_model = stale_model(
                stored, f"store {self.prefix!r} on {self.url}", "use another --chroma-prefix"
            )

    def _check_quotes(self) -> None:
        """Statements found by an older extractor are found again from the stored texts."""
        from ..text.quote_version import EXTRACTOR_VERSION

        if self._meta("quote_extractor") == str(EXTRACTOR_VERSION):
            return
        with self.writing():
            for ids, texts, metas in self._pages(self._c["documents"], ["documents", "metadatas"]):
                for doc_id, text, meta in zip(ids, texts, metas, strict=True):
                    meta["quotes"] = json.dumps(extract_stored_quotes(doc_id, text, meta["sentences"]))
                    self._c["documents"].update(ids=[doc_id], metadatas=[meta])
            self._set_meta("quote_extractor", str(EXTRACTOR_VERSION))
            self._log("quotes")

    def _check_dates(self) -> None:
        """Articles stored before publication dates were recorded are dated once from their
        metadata date, else their text (an article without an outlet gets its URL's), and their
        chunks' metadata gets the day (YYYYMMDD) that date filters compare."""
        from ..ingest.cleaning import outlet_of_url
        from ..text.dates import day_number, publication_date

        if self._meta("chunk_dates") == "1":
            return
        with self.writing():
            changed = 0
            for ids, texts, metas in self._pages(self._c["documents"], ["documents", "metadatas"]):
                for doc_id, text, meta in zip(ids, texts, metas, strict=True):
                    if "published_day" in meta:
                        continue  # written by this version
                    when = publication_date(meta.get("published") or None, text)
                    update = {"published": when.iso or "", "published_day": day_number(when.day)}
                    update["published_source"] = when.source
                    if not meta.get("outlet"):
                        outlet = outlet_of_url(meta.get("url") or None)
                        update["outlet"], update["outlet_source"] = outlet or "", "url" if outlet else "unknown"
                    self._c["documents"].update(ids=[doc_id], metadatas=[update])
                    chunk_ids = self._c["chunks"].get(where={"doc_id": doc_id}, include=[])["ids"]
                    chunk_meta = {"published_day": update["published_day"]}
                    if "outlet" in update:
                        chunk_meta["outlet"] = update["outlet"]
                    if chunk_ids:
                        in_batches(self._c["chunks"].update, ids=chunk_ids, metadatas=[chunk_meta] * len(chunk_ids))
                    changed += 1
            self._set_meta("chunk_dates", "1")
            if changed:
                self._log("dates")
                log.warning("store %r on %s: %d articles dated", self.prefix, self.url, changed)

    def _check_duplicates(self) -> None:
        """Articles stored before the server store grouped copies are grouped once, all
        together (what migration ``m007`` does for the embedded store)."""
        from ..ingest import dedup

        if self._meta("duplicates") == "1":
            return
        with self.writing():
            if self._meta("duplicates") == "1":
                return  # another process did it while we waited for the lease
            metas = self._doc_metas()
            order = sorted(metas, key=lambda doc_id: (metas[doc_id]["added_at"], doc_id))
            sigs, pairs = dedup.group_all(list(self._texts(order).items()))
            self._write_duplicates(sigs, pairs)
            self._set_meta("duplicates", "1")
            if order:
                self._log("duplicates")
                log.warning(
                    "store %r on %s: %d articles grouped, %d copies", self.prefix, self.url, len(order), len(pairs)
                )

    def _check_outlets(self) -> None:
        """Stores written before ``outlets`` was kept get it filled once from the articles."""
        if self._meta("outlets") == "1":
            return
        with self.writing():
            self._record_outlets(meta.get("outlet") for meta in self._doc_metas().values())
            self._set_meta("outlets", "1")

    # --- generation, writers ----------------------------------------------------------------
    @property
    def generation(self) -> int:
        """How many writes the store has seen (the log only grows)."""
        return self._c["log"].count()

    def _log(self, what: str) -> None:
        self._c["log"].add(
            ids=[uuid.uuid4().hex],
            embeddings=[PLACEHOLDER],
            metadatas=[{"what": what, "writer": self.writer_id, "at": time.time()}],
        )

    @contextmanager
    def writing(self) -> Iterator[None]:
        """Hold the writers' lease for one write (re-entrant; across processes and machines)."""
        with self._lock:
            if self._depth == 0:
                self._acquire()
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
                if self._depth == 0:
                    self._release()

    def _acquire(self) -> None:
        locks, waited = self._c["locks"], False
        while True:
            locks.add(
                ids=[LOCK_ID],
                embeddings=[PLACEHOLDER],
                metadatas=[{"owner": self.writer_id, "expires": time.time() + LEASE_S}],
            )
            got = locks.get(ids=[LOCK_ID], include=["metadatas"])
            if got["ids"]:
                holder = got["metadatas"][0]
                if holder["owner"] == self.writer_id:
                    break
                if holder["expires"] < time.time():  # its writer died: take it over
                    log.warning("store %s: taking over the write lease of a writer that stopped", self.prefix)
                    locks.delete(ids=[LOCK_ID], where={"owner": holder["owner"]})
                    continue
            if not waited:
                log.info("store %s on %s: waiting for another writer", self.prefix, self.url)
                waited = True
            time.sleep(0.1)
        self._renewing = threading.Event()
        threading.Thread(target=self._renew, args=(self._renewing,), name="lease", daemon=True).start()

    def _renew(self, stop: threading.Event) -> None:
        while not stop.wait(LEASE_S / 3):
            try:
                self._c["locks"].update(
                    ids=[LOCK_ID], metadatas=[{"owner": self.writer_id, "expires": time.time() + LEASE_S}]
                )
            except Exception as exc:  # the next renewal tries again; the write itself reports failures
                log.warning("store %s: could not renew the write lease: %s", self.prefix, exc)

    def _release(self) -> None:
        self._renewing.set()
        self._c["locks"].delete(ids=[LOCK_ID], where={"owner": self.writer_id})

    # --- reads ------------------------------------------------------------------------------
    def _pages(self, collection, include: list[str], where: dict | None = None) -> Iterator[tuple[list, ...]]:
        offset = 0
        while True:
            got = collection.get(include=include, where=where, limit=PAGE, offset=offset)
            if not got["ids"]:
                return
            yield (got["ids"], *(got[key] for key in include))
            offset += len(got["ids"])

    def _doc_metas(self) -> dict[str, dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {}
        for ids, metas in self._pages(self._c["documents"], ["metadatas"]):
            out.update(zip(ids, metas, strict=True))
        return out

    def _doc_ids(self) -> set[str]:
        """The ids of the stored articles (no metadata read: it carries every article's quotes)."""
        return {doc_id for (ids,) in self._pages(self._c["documents"], []) for doc_id in ids}

    def count(self) -> int:
        return self._c["documents"].count()

    def documents(self) -> list[DocumentInfo]:
        infos = [_info(doc_id, meta) for doc_id, meta in self._doc_metas().items()]
        return sorted(infos, key=lambda d: (d.added_at, d.source))

    def document(self, doc_id: str) -> DocumentInfo:
        got = self._c["documents"].get(ids=[doc_id], include=["metadatas"])
        if not got["ids"]:
            raise DocumentNotFound(f"no indexed document has id {doc_id!r}")
        return _info(doc_id, got["metadatas"][0])

    def document_text(self, doc_id: str) -> str:
        got = self._c["documents"].get(ids=[doc_id], include=["documents"])
        if not got["ids"]:
            raise DocumentNotFound(f"no indexed document has id {doc_id!r}")
        return got["documents"][0]

    def document_sentences(self, doc_id: str) -> list[tuple[int, int]] | None:
        got = self._c["documents"].get(ids=[doc_id], include=["metadatas"])
        if not got["ids"]:
            raise DocumentNotFound(f"no indexed document has id {doc_id!r}")
        spans = json.loads(got["metadatas"][0]["sentences"])
        return [tuple(span) for span in spans] or None

    def find_by_hash(self, content_hash: str) -> str | None:
        got = self._c["documents"].get(where={"content_hash": content_hash}, include=[], limit=1)
        return got["ids"][0] if got["ids"] else None

    def find_by_source(self, source: str) -> list[str]:
        return self._c["documents"].get(where={"source": source}, include=[])["ids"]

    def doc_ids(self) -> set[str]:
        return self._doc_ids()

    def outlets(self) -> set[str]:
        """The outlets the stored articles name: the recorded names, each checked to still
        have an article (one small request per outlet, no article record read)."""
        names = {name for (ids,) in self._pages(self._c["outlets"], []) for name in ids}
        return {name for name in names if self._c["documents"].get(where={"outlet": name}, include=[], limit=1)["ids"]}

    def duplicate_pairs(self) -> list[tuple[str, str, float]]:
        """Every confirmed (article, copy, Jaccard) pair between stored articles; ``ingest.dedup.groups``
        makes the groups."""
        docs = self._doc_ids()
        return [
            (m["doc_id"], m["other"], m["jaccard"])
            for _, metas in self._pages(self._c["pairs"], ["metadatas"])
            for m in metas
            if m["doc_id"] in docs and m["other"] in docs
        ]

    def _texts(self, doc_ids: Collection[str]) -> dict[str, str]:
        texts: dict[str, str] = {}
        for part in id_slices(doc_ids):
            got = self._c["documents"].get(ids=part, include=["documents"])
            texts.update(zip(got["ids"], got["documents"], strict=True))
        return texts

    def _read_signatures(self, doc_ids: Collection[str]) -> Iterator[tuple[str, Any]]:
        from ..ingest.dedup import from_blob

        for part in id_slices(doc_ids):
            got = self._c["signatures"].get(ids=part, include=["documents"])
            for doc_id, text in zip(got["ids"], got["documents"], strict=True):
                yield doc_id, from_blob(base64.b64decode(text))

    def _sync_duplicates(self) -> None:
        """With the lease held, before a batch: the in-memory LSH holds exactly the signatures
        of stored articles (built once per process; afterwards only the difference is read)."""
        from ..ingest import dedup

        generation = self.generation
        if self._dups is not None and generation == self._dups_generation:
            return  # nobody else wrote since this process's last write
        if self._dups is None:
            self._dups = dedup.DuplicateIndex()
        signed = {doc_id for (ids,) in self._pages(self._c["signatures"], []) for doc_id in ids}
        self._dups.sync(signed & self._doc_ids(), self._read_signatures)
        self._dups_generation = generation

    def _group(self, additions: Sequence[Addition]) -> None:
        """With the lease held, before the articles' records are written: each article's
        signature, and a pair with every stored (or earlier in the batch) article the LSH
        proposes whose exact shingle Jaccard confirms it a copy."""
        from ..ingest import dedup

        batch = {a.article.doc_id: a.article.text for a in additions}

        def shingles_of(doc_id: str) -> set[int] | None:
            text = batch.get(doc_id) or self._texts([doc_id]).get(doc_id)
            return dedup.shingles(text) if text else None

        sigs, pairs = {}, []
        for a in additions:
            for old in a.replaces:
                self._dups.discard(old)
            doc_id = a.article.doc_id
            sigs[doc_id], found = dedup.group_one(doc_id, a.article.text, self._dups, shingles_of)
            pairs += [(doc_id, other, j) for other, j in found]
        self._write_duplicates(sigs, pairs)

    def _write_duplicates(self, sigs: dict[str, Any], pairs: Sequence[tuple[str, str, float]]) -> None:
        from ..ingest.dedup import to_blob

        if sigs:
            in_batches(
                self._c["signatures"].upsert,
                ids=list(sigs),
                documents=[base64.b64encode(to_blob(sig)).decode("ascii") for sig in sigs.values()],
                embeddings=[PLACEHOLDER] * len(sigs),
            )
        if pairs:
            self._upsert(
                self._c["pairs"],
                [f"{a}>{b}" for a, b, _ in pairs],
                [{"doc_id": a, "other": b, "jaccard": j} for a, b, j in pairs],
            )

    def _forget_duplicates(self, doc_id: str) -> None:
        """After ``doc_id``'s record is deleted: its signature and pairs go (the groups stay the
        connected components of the pairs that remain)."""
        self._c["signatures"].delete(ids=[doc_id])
        self._c["pairs"].delete(where={"$or": [{"doc_id": doc_id}, {"other": doc_id}]})
        if self._dups is not None:
            self._dups.discard(doc_id)

    def _record_outlets(self, outlets) -> None:
        names = sorted({o for o in outlets if o})
        if names:
            self._upsert(self._c["outlets"], names, [{"outlet": n} for n in names])

    def quote_rows(self, doc_ids: Collection[str] | None = None) -> list[QuoteRow]:
        if doc_ids is None:
            metas = list(self._doc_metas().values())
        else:
            metas = []
            for part in id_slices(doc_ids):
                metas += self._c["documents"].get(ids=part, include=["metadatas"])["metadatas"]
        rows = [quote_row(columns) for meta in metas for columns in json.loads(meta.get("quotes") or "[]")]
        return sorted(rows, key=lambda r: (r.doc_id, r.seq))

    def chunk_rows(self, doc_ids: Collection[str] | None = None) -> list[ChunkRow]:
        """Every chunk of a stored article (of ``doc_ids``, default all; a chunk whose article
        record is not written yet, or was deleted, belongs to a write in progress and is left out)."""
        docs = self._doc_ids()
        if doc_ids is None:
            pages = self._pages(self._c["chunks"], ["metadatas"])
        else:
            pages = (
                page
                for part in id_slices(set(doc_ids) & docs)
                for page in self._pages(self._c["chunks"], ["metadatas"], where={"doc_id": {"$in": part}})
            )
        rows = []
        for ids, metas in pages:
            for chunk_id, m in zip(ids, metas, strict=True):
                if m["doc_id"] in docs:
                    rows.append(
                        ChunkRow(
                            chunk_id,
                            m["doc_id"],
                            m["seq"],
                            m["start"],
                            m["end"],
                            m["outlet"] or None,
                            int(m.get("published_day") or 0),
                        )
                    )
        return sorted(rows, key=lambda r: r.chunk_id)

    def chunk_texts(self, rows: Sequence[ChunkRow] | None = None) -> Iterator[tuple[ChunkRow, str]]:
        rows = self.chunk_rows() if rows is None else rows
        texts: dict[str, str] = {}
        for part in id_slices({r.doc_id for r in rows}):
            got = self._c["documents"].get(ids=part, include=["documents"])
            texts.update(zip(got["ids"], got["documents"], strict=True))
        for row in rows:
            yield row, texts[row.doc_id][row.start : row.end]

    def dense_search(
        self, embedding: Sequence[float], k: int, filters: SearchFilter | None = None
    ) -> list[tuple[str, float]]:
        n = self._c["chunks"].count()
        if n == 0:
            return []
        result = self._c["chunks"].query(
            query_embeddings=[list(embedding)], n_results=min(k, n), where=chroma_where(filters), include=["distances"]
        )
        return [(cid, 1.0 - float(d)) for cid, d in zip(result["ids"][0], result["distances"][0], strict=True)]

    def embeddings(self, chunk_ids: list[str]) -> dict[str, list[float]]:
        if not chunk_ids:
            return {}
        got = self._c["chunks"].get(ids=chunk_ids, include=["embeddings"])
        return {cid: list(v) for cid, v in zip(got["ids"], got["embeddings"], strict=True)}

    def vector_count(self) -> int:
        return self._c["chunks"].count()

    @property
    def collection(self):  # -> chromadb Collection (the chunk vectors)
        return self._c["chunks"]

    def current_collection(self):  # the server is always current
        return self._c["chunks"]

    def open_vectors_in_background(self) -> None:
        """Nothing to open: the client connected at start-up."""

    # --- writes -----------------------------------------------------------------------------
    def add_many(self, additions: Sequence[Addition]) -> list[str]:
        """Store articles (see the module docstring for the order). Returns the doc ids not
        stored because their text is already there."""
        check_additions(additions)
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with self.writing():
            present, additions = split_present(self, additions)
            if not additions:
                return present
            self.write_vectors(additions)
            self._record_outlets(a.article.outlet for a in additions)
            try:
                if self.group_duplicates:
                    self._sync_duplicates()
                    self._group(additions)
                for a in additions:
                    for old in a.replaces:
                        self._mark_pending(old)
                        self._c["documents"].delete(ids=[old])
                        self._forget_duplicates(old)
                for a in additions:  # the commit: one record per article, each whole
                    self._c["documents"].upsert(
                        ids=[a.article.doc_id],
                        documents=[a.article.text],
                        embeddings=[PLACEHOLDER],
                        metadatas=[_doc_meta(a.article, len(a.chunks), now)],
                    )
                self._log("add")
            except Exception:
                self._dups = None  # it may hold articles never stored: rebuilt on next use
                raise
            if self.group_duplicates:
                self._dups_generation = self.generation  # the LSH holds this write
            self._settle()
        return present

    def write_vectors(self, additions: Sequence[Addition]) -> None:
        """Record the chunk ids as pending, then write the vectors (not yet owned: no article
        record points at them)."""
        with self.writing():
            ids = [c.chunk_id for a in additions for c in a.chunks]
            self._upsert(
                self._c["pending"],
                ids,
                [{"doc_id": a.article.doc_id, "writer": self.writer_id} for a in additions for _ in a.chunks],
            )
            in_batches(
                self._c["chunks"].upsert,
                ids=ids,
                embeddings=[list(e) for a in additions for e in a.embeddings],
                metadatas=[_chunk_meta(a.article, c) for a in additions for c in a.chunks],
            )

    def _upsert(self, collection, ids: list[str], metas: list[dict]) -> None:
        """Records that are not searched by meaning (their vector is the placeholder)."""
        in_batches(collection.upsert, ids=ids, embeddings=[PLACEHOLDER] * len(ids), metadatas=metas)

    def _mark_pending(self, doc_id: str) -> None:
        ids = self._c["chunks"].get(where={"doc_id": doc_id}, include=[])["ids"]
        self._upsert(self._c["pending"], ids, [{"doc_id": doc_id, "writer": self.writer_id}] * len(ids))

    def _settle(self) -> int:
        """With the lease held: delete the pending vectors whose article has no record, forget
        the entries. Returns how many vectors went."""
        entries: dict[str, str] = {}
        for ids, metas in self._pages(self._c["pending"], ["metadatas"]):
            entries.update((cid, m["doc_id"]) for cid, m in zip(ids, metas, strict=True))
        if not entries:
            return 0
        stored: set[str] = set()
        for part in id_slices(set(entries.values())):
            stored.update(self._c["documents"].get(ids=part, include=[])["ids"])
        strays = [cid for cid, doc in entries.items() if doc not in stored]
        in_batches(self._c["chunks"].delete, ids=strays)
        in_batches(self._c["pending"].delete, ids=list(entries))
        return len(strays)

    def replace_vectors(self, chunk_ids: list[str], embeddings: list[list[float]]) -> None:
        with self.writing():
            in_batches(self._c["chunks"].update, ids=chunk_ids, embeddings=embeddings)
            self._log("reembed")

    def mark_model_current(self) -> None:
        self._set_meta("embedding_model", MODEL_ID)
        self.stale_model = None

    def remove(self, doc_id: str) -> DocumentInfo:
        with self.writing():
            info = self.document(doc_id)
            self._mark_pending(doc_id)
            self._c["documents"].delete(ids=[doc_id])
            self._forget_duplicates(doc_id)
            self._log("remove")
            self._settle()
        return info

    def reconcile(self) -> int:
        """Settle what interrupted writes left pending (with the lease held, no other write is
        in flight); report damage, delete nothing else."""
        with self.writing():
            settled = self._settle()
            if settled:
                log.warning("store %s on %s: removed %d vectors of interrupted writes", self.prefix, self.url, settled)
                self._log("reconcile")
            problems = self.vector_problems()
        if problems.missing:
            raise StoreError(
                f"{problems.missing} chunks of stored articles have no vector on {self.url}: "
                "ingest the articles again into a new --chroma-prefix. Nothing was changed."
            )
        if problems.strays:
            raise StoreError(
                f"{len(problems.strays)} vectors in {self.prefix}-chunks on {self.url} belong to no article and no "
                "recorded write. Nothing was changed: `assistant doctor --delete-stray-vectors` deletes them."
            )
        return settled

    def vector_problems(self) -> VectorProblems:
        """Chunks each article record expects against the vectors present (pending ones aside)."""
        docs = self._doc_metas()
        pending: set[str] = set()
        for ids, _ in self._pages(self._c["pending"], ["metadatas"]):
            pending.update(ids)
        per_doc: dict[str, int] = {}
        strays, vectors = [], 0
        for ids, metas in self._pages(self._c["chunks"], ["metadatas"]):
            vectors += len(ids)
            for cid, m in zip(ids, metas, strict=True):
                if m["doc_id"] in docs:
                    per_doc[m["doc_id"]] = per_doc.get(m["doc_id"], 0) + 1
                elif cid not in pending:
                    strays.append(cid)
        missing = sum(max(0, meta["chunks"] - per_doc.get(doc_id, 0)) for doc_id, meta in docs.items())
        return VectorProblems(vectors=vectors, missing=missing, strays=sorted(strays))

    def delete_stray_vectors(self) -> int:
        with self.writing():
            strays = self.vector_problems().strays
            in_batches(self._c["chunks"].delete, ids=strays)
            if strays:
                self._log("delete strays")
        return len(strays)

    def stored_articles(self) -> Iterator[tuple[Article, list[Chunk]]]:
        raise StoreError("rebuilding vectors is for embedded stores; on a server, ingest into a new --chroma-prefix")

    def set_aside_vectors(self) -> Path | None:
        raise StoreError("rebuilding vectors is for embedded stores; on a server, ingest into a new --chroma-prefix")

    def settle(self) -> int:
        with self.writing():
            return self._settle()

    def close(self) -> None:
        """Nothing held open (the HTTP client's connections close with it)."""


def _doc_meta(art: Article, chunks: int, added_at: str) -> dict[str, Any]:
    return {
        "source": art.source,
        "title": art.title,
        "outlet": art.outlet or "",
        "url": art.url or "",
        "published": art.published or "",
        "published_day": published_day(art),
        "published_source": art.published_source,
        "outlet_source": art.outlet_source,
        "dates": json.dumps(art.dates),
        "content_hash": art.content_hash,
        "added_at": added_at,
        "chars": len(art.text),
        "chunks": chunks,
        "sentences": json.dumps(art.sentences or [], separators=(",", ":")),
        "quotes": json.dumps(quote_columns(art.doc_id, art.quotes), separators=(",", ":")),
    }


def _chunk_meta(art: Article, c: Chunk) -> dict[str, Any]:
    return {
        "doc_id": art.doc_id,
        "seq": c.seq,
        "start": c.start,
        "end": c.end,
        "tokens": c.tokens,
        "wordpieces": c.wordpieces,
        "title": art.title,
        "source": art.source,
        "outlet": art.outlet or "",
        "published_day": published_day(art),
    }


def _info(doc_id: str, m: dict[str, Any]) -> DocumentInfo:
    return DocumentInfo(
        doc_id=doc_id,
        title=m["title"],
        source=m["source"],
        outlet=m["outlet"] or None,
        url=m["url"] or None,
        published=m["published"] or None,
        dates=json.loads(m["dates"]),
        chars=m["chars"],
        chunks=m["chunks"],
        content_hash=m["content_hash"],
        added_at=m["added_at"],
        published_source=m.get("published_source") or "unknown",
        outlet_source=m.get("outlet_source"),
    )
