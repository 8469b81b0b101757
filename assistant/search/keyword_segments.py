"""Keeping the keyword index in step with the store at the cost of what changed, not of the corpus.

The index is a base segment plus a few small delta segments (``bm25.Segment``); on disk, under
``<store>/keyword/``:

    segment-<generation>-<id>/   one immutable segment, memory-mapped when opened
    generation-<N>.json          the segments the index of store generation N is made of

When a process sees a new store generation (the counter every write bumps in SQLite), it starts
from the segments saved for the newest generation it can find (opening only those it does not
hold already) or from its own, whichever is newer, and adds a delta segment over the chunks
added since: only those are read and tokenised. Which rows of the segments are live is never
read from the files: it is decided each time from the store's chunk rows (a row whose chunk is
gone, or whose article text changed, is dead), so a stale or half-written file can cost time but
never give a wrong answer. BM25 statistics and the names vocabulary are those of the live rows
only (``bm25``), so the index searches exactly as one rebuilt from scratch would.

The bound. Live rows in deltas plus dead rows anywhere are at most
``max(MIN_DELTA_ROWS, DELTA_FRACTION * live base rows)``, and there are at most ``MAX_DELTAS``
deltas. Beyond that, segments are merged by merging their postings, dropping dead rows (nothing
is tokenised again): the deltas into one delta when there are too many, everything into a new
base when the bound is exceeded. So the work a change costs is proportional to the change, plus
an occasional merge proportional to the index (a few numpy passes, no text processing), amortised
over at least ``DELTA_FRACTION`` of the corpus in changes; the whole corpus is tokenised only
when nothing usable is saved. The process that wrote (ingest, remove) does the merging and saves
the result; a process that only reads merges only when the bound is exceeded twice over, so
readers rarely repeat the writer's work.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from ..errors import DocumentNotFound
from ..models import ChunkRow
from .bm25 import KeywordIndex, Segment
from .store import Store

log = logging.getLogger(__name__)

KEYWORD_DIR = "keyword"  # beside documents.sqlite3
MIN_DELTA_ROWS = 1000
DELTA_FRACTION = 0.10
MAX_DELTAS = 4
READER_SLACK = 2  # a process that did not write merges only this many times beyond the bound
GRACE_S = 120.0  # an unlisted segment younger than this may be about to be listed by another process
PER_ARTICLE_READS = 500  # up to this many new articles, texts are read one by one (else all at once)

_MANIFEST = re.compile(r"generation-(\d+)\.json")


class KeywordSegments:
    """The keyword index of one store, updated incrementally. ``steps`` counts how updates were
    made: ``loaded`` (segments saved by a process opened), ``delta`` (the new chunks tokenised
    into a delta), ``rebuilt`` (the whole corpus tokenised), ``merged``, ``merged-deltas``;
    ``last`` holds the steps of the latest update, ``("unchanged",)`` when none was needed
    (tests and benchmarks read them)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.directory = store.directory / KEYWORD_DIR
        self._segments: list[Segment] = []
        self._generation = -1  # the store generation ``_segments`` were brought up to
        self.steps: Counter[str] = Counter()
        self.last: tuple[str, ...] = ()
        self.last_seconds = 0.0

    def update(self, generation: int, rows: Sequence[ChunkRow], *, save: bool, writer: bool) -> KeywordIndex:
        """The keyword index over ``rows`` (the store's chunk rows at ``generation``)."""
        started = time.perf_counter()
        steps: list[str] = []
        segments = self._starting_point(generation, steps)
        live = {row.chunk_id: row for row in rows}
        keeps, claimed = _claim(segments, live)
        new_rows = [row for row in rows if row.chunk_id not in claimed]
        if new_rows:
            live_in_segments = sum(int(k.sum()) for k in keeps)
            if len(new_rows) >= live_in_segments:  # more new than old: tokenising it all costs at most twice
                segments, keeps = self._rebuild(rows, steps)
            else:
                texts = self._texts(new_rows)
                added = [row for row in new_rows if row.chunk_id in texts]
                segments.append(_build(added, texts))
                keeps.append(np.ones(len(added), dtype=bool))
                steps.append("delta")
        segments, keeps = self._bounded(segments, keeps, steps, READER_SLACK if not writer else 1)
        dead = ~np.concatenate(keeps) if keeps else None
        index = KeywordIndex(segments, dead)
        self._segments, self._generation = segments, generation
        if save and any(s.name is None for s in segments) and self.store.generation == generation:
            self._save(generation, segments)
        self.last = tuple(steps) or ("unchanged",)
        self.steps.update(self.last)
        self.last_seconds = time.perf_counter() - started
        log.info(
            "keyword index at generation %d (%s): %d segments, %d live chunks, %d dead, in %.3fs",
            generation,
            "+".join(self.last),
            len(segments),
            index.documents,
            index.size - index.documents,
            self.last_seconds,
        )
        return index

    # --- where to start from ---------------------------------------------------------------
    def _starting_point(self, generation: int, steps: list[str]) -> list[Segment]:
        """The newest segments available: those saved for the newest generation up to
        ``generation`` (else the newest saved), unless this process's own are as new."""
        saved = self._manifests()
        below = [g for g in saved if g <= generation]
        newest = max(below) if below else max(saved, default=-1)
        if newest > self._generation or (newest >= 0 and not self._segments):
            opened = self._open(saved[newest])
            if opened is not None:
                if any(s.name not in {m.name for m in self._segments} for s in opened):
                    steps.append("loaded")
                return opened
        return list(self._segments)

    def _manifests(self) -> dict[int, Path]:
        try:
            entries = list(self.directory.iterdir())
        except OSError:
            return {}
        found = {}
        for path in entries:
            m = _MANIFEST.fullmatch(path.name)
            if m:
                found[int(m.group(1))] = path
        return found

    def _open(self, manifest: Path) -> list[Segment] | None:
        """The segments a manifest lists (those already open are reused); None if unreadable."""
        held = {s.name: s for s in self._segments if s.name}
        try:
            names = json.loads(manifest.read_text(encoding="utf-8"))["segments"]
            return [held.get(name) or Segment.load(self.directory / name) for name in names]
        except (OSError, ValueError, KeyError, TypeError) as exc:
            log.warning("saved keyword index %s is unreadable (%s): building what is missing", manifest, exc)
            return None

    # --- building ----------------------------------------------------------------------------
    def _texts(self, rows: Sequence[ChunkRow]) -> dict[str, str]:
        """chunk_id -> text of ``rows``; rows whose article has just been removed are left out
        (the next generation drops them anyway)."""
        doc_ids = list(dict.fromkeys(row.doc_id for row in rows))
        if len(doc_ids) > PER_ARTICLE_READS:
            try:
                return {row.chunk_id: text for row, text in self.store.chunk_texts(rows)}
            except KeyError:  # an article went meanwhile: read the survivors one by one
                pass
        articles = {}
        for doc_id in doc_ids:
            try:
                articles[doc_id] = self.store.document_text(doc_id)
            except DocumentNotFound:
                continue
        return {row.chunk_id: articles[row.doc_id][row.start : row.end] for row in rows if row.doc_id in articles}

    def _rebuild(self, rows: Sequence[ChunkRow], steps: list[str]) -> tuple[list[Segment], list[np.ndarray]]:
        """One segment over every chunk of ``rows``, tokenised from the texts."""
        started = time.perf_counter()
        texts = self._texts(rows)
        kept = [row for row in rows if row.chunk_id in texts]
        segment = _build(kept, texts)
        steps.append("rebuilt")
        log.info("keyword index over %d chunks built in %.2fs", len(kept), time.perf_counter() - started)
        return [segment], [np.ones(len(kept), dtype=bool)]

    def _bounded(
        self, segments: list[Segment], keeps: list[np.ndarray], steps: list[str], slack: int
    ) -> tuple[list[Segment], list[np.ndarray]]:
        """Merge when the deltas and dead rows have outgrown the bound, or the deltas are too many."""
        if len(segments) < 2 and (not keeps or keeps[0].all()):
            return segments, keeps
        base_live = int(keeps[0].sum())
        changed = sum(int(k.sum()) for k in keeps[1:]) + sum(int((~k).sum()) for k in keeps)
        if changed > slack * max(MIN_DELTA_ROWS, DELTA_FRACTION * base_live):
            merged = Segment.merge(segments, keeps)
            steps.append("merged")
            return [merged], [np.ones(merged.size, dtype=bool)]
        if len(segments) - 1 > slack * MAX_DELTAS:
            merged = Segment.merge(segments[1:], keeps[1:])
            steps.append("merged-deltas")
            return [segments[0], merged], [keeps[0], np.ones(merged.size, dtype=bool)]
        return segments, keeps

    # --- saving ------------------------------------------------------------------------------
    def _save(self, generation: int, segments: list[Segment]) -> None:
        """Write the new segments, each into a temporary folder renamed into place, then the list
        for this generation (replaced atomically): a reader never sees half of either. A
        read-only store keeps the index in memory only."""
        try:
            self.directory.mkdir(exist_ok=True)
            for segment in segments:
                if segment.name is None:
                    name = f"segment-{generation}-{uuid.uuid4().hex[:8]}"
                    tmp = Path(tempfile.mkdtemp(prefix=".building-", dir=self.directory))
                    try:
                        segment.save(tmp / name)
                        os.rename(tmp / name, self.directory / name)
                    finally:
                        shutil.rmtree(tmp, ignore_errors=True)
                    segment.name = name
            manifest = {"generation": generation, "segments": [s.name for s in segments]}
            fd, tmp_name = tempfile.mkstemp(prefix=".generation-", dir=self.directory)
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(manifest, f)
            os.replace(tmp_name, self.directory / f"generation-{generation}.json")
            self._prune(generation)
        except OSError as exc:
            log.warning("could not save the keyword index in %s (%s): it stays in memory", self.directory, exc)

    def _prune(self, generation: int) -> None:
        """Remove lists older than the two newest, segments no kept list names (once they are
        old enough not to be another process's, just saved and not yet listed), and the
        single-folder indexes of earlier versions. A process that has a removed segment open
        keeps reading it (the files stay until it lets go of them)."""
        manifests = self._manifests()
        keep = sorted(manifests, reverse=True)[:2]
        listed: set[str] = set()
        for g in keep:
            try:
                listed.update(json.loads(manifests[g].read_text(encoding="utf-8"))["segments"])
            except (OSError, ValueError, KeyError):
                continue
        for g, path in manifests.items():
            if g not in keep:
                path.unlink(missing_ok=True)
        now = time.time()
        for path in self.directory.iterdir():
            if path.name.startswith("generation-") and path.is_dir():  # the format before segments
                shutil.rmtree(path, ignore_errors=True)
            elif path.name.startswith(("segment-", ".building-", ".generation-")) and path.name not in listed:
                try:
                    old = now - path.stat().st_mtime > GRACE_S
                except OSError:
                    continue
                if old:
                    shutil.rmtree(path, ignore_errors=True) if path.is_dir() else path.unlink(missing_ok=True)


def _claim(segments: Sequence[Segment], live: dict[str, ChunkRow]) -> tuple[list[np.ndarray], set[str]]:
    """Which rows of each segment are live: the chunk still exists with the same span in its
    article, and no newer segment holds it. Returns a mask per segment and the chunks held."""
    claimed: set[str] = set()
    keeps: list[np.ndarray] = [np.zeros(0, dtype=bool)] * len(segments)
    for n in range(len(segments) - 1, -1, -1):
        segment = segments[n]
        keep = np.zeros(segment.size, dtype=bool)
        spans = np.asarray(segment.spans).tolist()
        for i, (cid, (start, end)) in enumerate(zip(segment.chunk_ids, spans, strict=True)):
            row = live.get(cid)
            if row is not None and row.start == start and row.end == end and cid not in claimed:
                keep[i] = True
                claimed.add(cid)
        keeps[n] = keep
    return keeps, claimed


def _build(rows: Sequence[ChunkRow], texts: dict[str, str]) -> Segment:
    return Segment.build(
        [row.chunk_id for row in rows], [texts[row.chunk_id] for row in rows], [(row.start, row.end) for row in rows]
    )
