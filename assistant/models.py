"""The values that flow between stages: raw documents, articles, chunks, answers, reports.

Plain dataclasses with ``to_dict`` so every interface (CLI ``--json``, web, bot) serialises
them the same way.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any, Literal


@dataclass
class RawDocument:
    """What a loader read from one file (or one record of a JSON/JSONL file), before cleaning."""

    source: str  # path, or path#record for JSON/JSONL records
    text: str
    title: str | None = None
    url: str | None = None
    published: str | None = None
    outlet: str | None = None
    warnings: list[str] = field(default_factory=list)


@dataclass
class Article:
    """A cleaned article. ``text`` is the document of record: citations are offsets into it."""

    doc_id: str
    source: str
    title: str
    text: str
    content_hash: str
    outlet: str | None = None
    url: str | None = None
    published: str | None = None
    dates: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # sentence spans of ``text``, found once at ingest and stored, so answering never re-splits
    sentences: list[tuple[int, int]] = field(default_factory=list)
    # who said what in it (``text.quotes.Quote``), found at ingest and stored
    quotes: list[Any] = field(default_factory=list)


@dataclass(frozen=True)
class QuoteRow:
    """A stored statement: ``quote`` (a ``text.quotes.Quote``) is the ``seq``-th of article ``doc_id``."""

    doc_id: str
    seq: int
    quote: Any


@dataclass
class DocumentInfo:
    """What the store knows about an indexed article, without its text."""

    doc_id: str
    title: str
    source: str
    outlet: str | None
    url: str | None
    published: str | None
    dates: list[str]
    chars: int
    chunks: int
    content_hash: str
    added_at: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Chunk:
    """A span of an article's text, sized to be embedded whole."""

    chunk_id: str
    doc_id: str
    seq: int
    start: int
    end: int
    text: str
    tokens: int  # cl100k_base tokens
    wordpieces: int  # embedding-model tokens, including [CLS]/[SEP]


@dataclass(frozen=True)
class ChunkRow:
    """A stored chunk as the store hands it to the search: where it sits in its article.

    The text is not held here: it is ``document_text(doc_id)[start:end]``, read when needed."""

    chunk_id: str
    doc_id: str
    seq: int
    start: int
    end: int
    outlet: str | None = None


@dataclass(frozen=True)
class SearchFilter:
    """Which articles a search may return; an empty filter allows all.

    Applied inside the search (Chroma ``where=`` and a mask on keyword scores), never by
    dropping results afterwards, so a filtered question still gets its best passages."""

    doc_ids: frozenset[str] | None = None
    outlets: frozenset[str] | None = None
    since: date | None = None
    until: date | None = None

    def __post_init__(self) -> None:
        # accept any iterable of ids/outlets, and keep the value hashable
        for name in ("doc_ids", "outlets"):
            value = getattr(self, name)
            if value is not None and not isinstance(value, frozenset):
                if isinstance(value, str):
                    value = (value,)
                object.__setattr__(self, name, frozenset(value))

    @property
    def empty(self) -> bool:
        return self.doc_ids is None and self.outlets is None and self.since is None and self.until is None

    def allows(self, row: ChunkRow) -> bool:
        """Does a chunk pass the id and outlet conditions? (Dates are checked by the store.)"""
        return self.allows_document(row.doc_id, row.outlet)

    def allows_document(self, doc_id: str, outlet: str | None) -> bool:
        """Does an article pass the id and outlet conditions?"""
        if self.doc_ids is not None and doc_id not in self.doc_ids:
            return False
        return self.outlets is None or (outlet or "") in self.outlets


@dataclass
class Citation:
    """A quoted passage backing a claim: ``document_text(doc_id)[start:end] == quote``."""

    n: int
    doc_id: str
    title: str
    source: str
    quote: str
    start: int
    end: int
    score: float
    outlet: str | None = None
    speaker: str | None = None
    # the same passage (or statement) in other articles, cited once here: syndicated copies and
    # reprints, each {"doc_id", "title", "outlet", "source", "quote", "start", "end"} with
    # ``document_text(doc_id)[start:end] == quote``; outlets to show as "also in Daily Sabah, Press TV"
    also_in: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def also_in_outlets(self) -> list[str]:
        """The other copies' outlets (their titles when the outlet is unknown), each once, in order."""
        names: list[str] = []
        for copy in self.also_in:
            outlet = copy.get("outlet")
            # another article of the same outlet is named by its title
            name = outlet if outlet and outlet != self.outlet else copy.get("title") or copy.get("doc_id", "")
            if name and name not in names:
                names.append(name)
        return names


@dataclass
class Answer:
    """A short answer; every claim in ``text`` carries an ``[n]`` pointing into ``citations``."""

    question: str  # as asked
    text: str
    citations: list[Citation]
    abstained: bool
    # the question made self-contained (a follow-up's pronouns resolved); what was searched for
    standalone_question: str | None = None
    reason: str | None = None  # why we abstained, or how the answer was chosen
    engine: str = "extractive"
    # the learned abstention model's probability that the articles answer this, when consulted
    confidence: float | None = None
    timings_ms: dict[str, float] = field(default_factory=dict)
    # with a refusal: the closest passages, so the reader sees what the articles do say. Never
    # evidence for the answer, so never cited in ``text``.
    related: list[Citation] = field(default_factory=list)
    # the question's "he"/"she" could mean nobody in the conversation: the text asks who is meant
    clarify: bool = False

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["citations"] = [c.to_dict() for c in self.citations]
        d["related"] = [c.to_dict() for c in self.related]
        return d


@dataclass
class IngestProgress:
    """Reported after each file, and every half second while chunks are being embedded (a
    large file is most of a run): enough for a progress bar with rate and ETA."""

    files_done: int
    files_total: int
    articles_done: int
    elapsed: float
    current: str
    items: list[IngestItem] = field(default_factory=list)  # this file's outcomes (empty mid-file)
    chunks_done: int = 0  # chunks embedded so far
    chunks_total: int = 0  # chunks found so far (grows as files are read)


ItemStatus = Literal["added", "unchanged", "replaced", "failed"]


@dataclass
class IngestItem:
    """The outcome for one article (or one file, when the file could not be read at all)."""

    source: str
    status: ItemStatus
    doc_id: str | None = None
    title: str | None = None
    chunks: int = 0
    reason: str | None = None
    warnings: list[str] = field(default_factory=list)
    replaced_doc_id: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class IngestReport:
    """Counts and per-item outcomes of one ``Assistant.ingest`` call."""

    items: list[IngestItem] = field(default_factory=list)
    seconds: float = 0.0
    skipped: list[str] = field(default_factory=list)  # what in the folders was passed over, not ingested
    skipped_reasons: dict[str, str] = field(default_factory=dict)  # each ``skipped`` entry -> why

    def _count(self, status: ItemStatus) -> int:
        return sum(1 for item in self.items if item.status == status)

    @property
    def added(self) -> int:
        return self._count("added")

    @property
    def unchanged(self) -> int:
        return self._count("unchanged")

    @property
    def replaced(self) -> int:
        return self._count("replaced")

    @property
    def failed(self) -> int:
        return self._count("failed")

    @property
    def failures(self) -> list[IngestItem]:
        return [item for item in self.items if item.status == "failed"]

    @property
    def chunks(self) -> int:
        return sum(item.chunks for item in self.items if item.status in ("added", "replaced"))

    def summary(self) -> str:
        return (
            f"{self.added} added, {self.unchanged} unchanged, {self.replaced} replaced, "
            f"{self.failed} failed ({self.chunks} chunks embedded in {self.seconds:.1f}s)"
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "added": self.added,
            "unchanged": self.unchanged,
            "replaced": self.replaced,
            "failed": self.failed,
            "chunks": self.chunks,
            "seconds": round(self.seconds, 3),
            "skipped": list(self.skipped),
            "skipped_reasons": dict(self.skipped_reasons),
            "items": [item.to_dict() for item in self.items],
        }
