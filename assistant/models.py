"""The values that flow between stages: raw documents, articles, chunks, answers, reports.

Plain dataclasses with ``to_dict`` so every interface (CLI ``--json``, web, bot) serialises
them the same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any, Literal

from .errors import AssistantError


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
    published: str | None = None  # ISO date (YYYY-MM-DD) when known, else None
    dates: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # how ``published`` was found: "metadata", "text" (a dateline, or estimated from the dates
    # the text mentions), "unknown"; and ``outlet``: "metadata", "text", "url", "unknown"
    published_source: str = "unknown"
    outlet_source: str = "unknown"
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
    published_source: str = "unknown"  # "metadata", "text", "unknown" (see ``Article``)
    outlet_source: str | None = None  # "metadata", "text", "url", "unknown"; None: stored before it was recorded

    @property
    def published_day(self) -> int:
        """``published`` as YYYYMMDD (0 when unknown): what date filters compare."""
        p = self.published or ""
        if len(p) >= 10 and p[4] == "-" and p[7] == "-" and p[:4].isdigit() and p[5:7].isdigit() and p[8:10].isdigit():
            return int(p[:4] + p[5:7] + p[8:10])
        return 0

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
    published_day: int = 0  # the article's publication date as YYYYMMDD, 0 when unknown


@dataclass(frozen=True)
class SearchFilter:
    """Which articles a search may return; an empty filter allows all.

    Applied inside the search (Chroma ``where=`` and a mask on keyword scores), never by
    dropping results afterwards, so a filtered question still gets its best passages.
    ``since``/``until`` are inclusive publication days; an article whose date is unknown is
    outside any date range (it cannot be shown to be inside)."""

    doc_ids: frozenset[str] | None = None
    outlets: frozenset[str] | None = None
    since: date | None = None
    until: date | None = None

    def __post_init__(self) -> None:
        for name in ("since", "until"):
            value = getattr(self, name)
            if isinstance(value, datetime):
                object.__setattr__(self, name, value.date())
            elif value is not None and not isinstance(value, date):
                raise TypeError(f"SearchFilter.{name} must be a date, not {type(value).__name__}")
        if self.since and self.until and self.since > self.until:
            from .errors import FilterError

            raise FilterError(f"the date range is reversed: since {self.since} is after until {self.until}")
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

    @property
    def dated(self) -> bool:
        return self.since is not None or self.until is not None

    def day_range(self) -> tuple[int, int]:
        """The date range as inclusive YYYYMMDD integers (unknown dates, 0, fall outside)."""
        low = self.since.year * 10000 + self.since.month * 100 + self.since.day if self.since else 10000101
        high = self.until.year * 10000 + self.until.month * 100 + self.until.day if self.until else 99991231
        return low, high

    def allows(self, row: ChunkRow) -> bool:
        """Does a chunk pass every condition?"""
        return self.allows_document(row.doc_id, row.outlet, row.published_day)

    def allows_document(self, doc_id: str, outlet: str | None, published_day: int | None = None) -> bool:
        """Does an article pass the conditions? (``published_day`` YYYYMMDD, 0/None unknown;
        it must be given when the filter has a date range.)"""
        if self.doc_ids is not None and doc_id not in self.doc_ids:
            return False
        if self.outlets is not None and (outlet or "") not in self.outlets:
            return False
        if self.dated:
            low, high = self.day_range()
            return low <= (published_day or 0) <= high
        return True


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
    # the article's publication date (ISO YYYY-MM-DD, None when unknown) and how it was found:
    # "metadata", "text" (a dateline or estimated from the text: show it as such), "unknown"
    published: str | None = None
    published_source: str = "unknown"
    # the same passage (or statement) in other articles, cited once here: syndicated copies and
    # reprints, each {"doc_id", "title", "outlet", "source", "quote", "start", "end"} with
    # ``document_text(doc_id)[start:end] == quote``; outlets to show as "also in Daily Sabah, Press TV"
    also_in: list[dict[str, Any]] = field(default_factory=list)
    # the dates in the quote that only the publication date puts on the calendar ("on Friday",
    # "last December"), each (start, end, phrase, ISO date to its precision: "2019-04-12",
    # "2019-W15", "2018-12", "2017") with ``document_text(doc_id)[start:end] == phrase``; none
    # when the publication date is unknown (``text.dates.resolved_in``)
    dates: tuple[tuple[int, int, str, str], ...] = ()

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
    # a generative engine's work: what the model wrote, and the checker's verdict on each of its
    # sentences ({"sentence", "supported", "reasons", "cited", "dropped", "lexical", "meaning"});
    # ``text`` holds only the supported ones
    generated: str | None = None
    checks: list[dict[str, Any]] = field(default_factory=list)
    # said to the reader with the answer: why this is not what they asked for (a language model
    # was unreachable, so this is the extractive answer; sentences were removed by the checker)
    notice: str | None = None

    @property
    def removed(self) -> list[dict[str, Any]]:
        """The generated sentences the checker removed, each with its reasons."""
        return [c for c in self.checks if not c["supported"]]

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["citations"] = [c.to_dict() for c in self.citations]
        d["related"] = [c.to_dict() for c in self.related]
        return d


@dataclass(frozen=True)
class Draft:
    """The next words of a generated answer as the model writes them: a draft, not yet checked
    against the sources (``Assistant.ask_stream`` ends with the checked ``Answer``)."""

    text: str


def final_answer(events: Iterable[Draft | Answer]) -> Answer:
    """The checked answer that ends a stream of events (``Assistant.ask_stream``, an engine's
    ``stream``), its drafts passed over."""
    answer = None
    for event in events:
        if isinstance(event, Answer):
            answer = event
    if answer is None:
        raise AssistantError("internal error: an answer stream ended without an answer")
    return answer


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
