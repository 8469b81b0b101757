"""BM25 over chunk texts, kept in segments so that a change costs what changed, not the corpus.

The keyword index is a list of immutable **segments** (Lucene's design): a large base and a few
small deltas holding the chunks added since. Each segment stores, per field, an inverted index
of raw term counts (term -> rows, counts) and each row's length: single words and consecutive
word pairs for BM25, and the words the names vocabulary counts (all uses, capitalised uses).
Saved segments are memory-mapped, vocabulary included (sorted terms searched by bisection), so
opening one costs next to nothing however large it is.

Scores are computed at question time from statistics summed over the *live* rows of every
segment (chunk count, document frequency, average length), with the BM25 variant bm25s built
before (``lucene``, k1 = 1.5, b = 0.75) and the same float operations as its precomputed matrix,
so a base plus deltas, minus rows whose article was removed, scores every chunk exactly (bit for
bit) as an index built from scratch over the live chunks; removed rows score 0, so they can never
crowd live chunks out of the top of a ranking. The names vocabulary is summed over live rows the
same way. ``search.keyword_segments`` decides when segments are added, merged and saved; this
module builds, merges, saves, opens and scores them.

The index also serves the statistics the answer scorer needs (term document frequencies, the
names vocabulary) and ``coverage``, the one formula for how much of a question a passage holds.
"""

from __future__ import annotations

import bisect
import itertools
import json
import math
import re
from array import array
from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..text.countries import country_forms
from ..text.names import NameVariants
from ..text.terms import QUESTION_WORDS, SOFT_WEIGHT, STOPWORDS, expand_hyphens, fold, is_soft, stem, terms, words

K1, B = 1.5, 0.75  # bm25s's defaults, which the index has always used
FORMAT = 1  # of a saved segment
FIELDS = ("words", "pairs", "names", "capitals")


@dataclass(frozen=True)
class TermGroup:
    """A question word and the index terms that count as it (its stem, its variants' stems)."""

    word: str
    stems: dict[str, float]
    idf: float
    in_corpus: bool

    def found_in(self, passage_terms: frozenset[str] | set[str]) -> float:
        """The weight with which the passage contains this word (0 if it does not)."""
        return max((w for t, w in self.stems.items() if t in passage_terms), default=0.0)


def idf_coverage(
    groups: Sequence[TermGroup], passage_terms: frozenset[str], weights: Sequence[float] | None = None
) -> float:
    """The share of the question's words a passage holds, each weighted by its idf (or by
    ``weights``); name variants count with their variant weight."""
    weights = [g.idf for g in groups] if weights is None else weights
    total = sum(weights) or 1.0
    return sum(w * g.found_in(passage_terms) for g, w in zip(groups, weights, strict=True)) / total


def soft_weights(groups: Sequence[TermGroup]) -> list[float]:
    """Each question word's weight for ``idf_coverage``: its idf, less for a word that shapes the
    question more than it names the subject ("stance", "view", "itself")."""
    return [g.idf * (SOFT_WEIGHT if is_soft(g.word) else 1.0) for g in groups]


class _Vocab:
    """A segment's terms in sorted order; a term's position is its column. Built in memory from a
    sorted list; loaded from disk as one UTF-8 blob (each term followed by a newline, which no
    term contains) and the position of each newline, searched by bisection, so opening a
    vocabulary of millions of word pairs reads nothing up front."""

    def __init__(
        self, sorted_terms: list[str] | None = None, blob: np.ndarray | None = None, ends: np.ndarray | None = None
    ) -> None:
        if sorted_terms is not None:
            blob = np.frombuffer(("\n".join(sorted_terms) + "\n").encode("utf-8"), dtype=np.uint8)
            ends = np.flatnonzero(blob == 10) if sorted_terms else np.zeros(0, np.int64)
        assert blob is not None and ends is not None
        self.blob, self.ends = blob, ends
        self._keys = _Keys(blob, ends)

    def __len__(self) -> int:
        return len(self.ends)

    def column(self, term: str) -> int:
        """The term's column, or -1 if the segment does not hold it."""
        key = term.encode("utf-8")
        i = bisect.bisect_left(self._keys, key)
        return i if i < len(self._keys) and self._keys[i] == key else -1

    def terms(self) -> list[str]:
        if not len(self):
            return []
        return bytes(self.blob[:-1]).decode("utf-8").split("\n")


class _Keys(Sequence[bytes]):
    """The vocabulary blob's terms as a sequence of bytes, for ``bisect`` (UTF-8 byte order is
    code point order, the order ``sorted`` gives strings)."""

    def __init__(self, blob: np.ndarray, ends: np.ndarray) -> None:
        self._blob, self._ends = blob, ends

    def __len__(self) -> int:
        return len(self._ends)

    def __getitem__(self, i):  # type: ignore[override]
        start = int(self._ends[i - 1]) + 1 if i else 0
        return self._blob[start : int(self._ends[i])].tobytes()


class Postings:
    """One field of a segment: for each term, the rows holding it (ascending) and how often,
    in compressed-column form (row ``r`` of column ``c`` is ``rows[indptr[c]:indptr[c+1]]``),
    plus each row's length in terms."""

    def __init__(
        self, vocab: _Vocab, indptr: np.ndarray, rows: np.ndarray, counts: np.ndarray, lengths: np.ndarray
    ) -> None:
        self.vocab = vocab
        self.indptr = indptr
        self.rows = rows
        self.counts = counts
        self.lengths = lengths
        self.total_length = int(lengths.sum(dtype=np.int64))

    def column(self, term: str) -> tuple[np.ndarray, np.ndarray] | None:
        """(rows, counts) of ``term``, or None."""
        c = self.vocab.column(term)
        if c < 0:
            return None
        start, end = int(self.indptr[c]), int(self.indptr[c + 1])
        return self.rows[start:end], self.counts[start:end]

    @classmethod
    def merge(cls, parts: Sequence[Postings], keeps: Sequence[np.ndarray]) -> Postings:
        """One field holding the kept rows of ``parts`` in order (terms left without a row go)."""
        vocabs = [p.vocab.terms() for p in parts]
        # each vocabulary is sorted: sorting their concatenation merges runs (linear time)
        union = [t for t, _ in itertools.groupby(sorted(itertools.chain.from_iterable(vocabs)))]
        column = dict(zip(union, range(len(union)), strict=True))
        all_rows, all_cols, all_counts, offset = [], [], [], 0
        for part, vocab, keep in zip(parts, vocabs, keeps, strict=True):
            remap = np.fromiter(map(column.__getitem__, vocab), dtype=np.int64, count=len(vocab))
            new_row = np.cumsum(keep, dtype=np.int64) - 1 + offset
            old_cols = np.repeat(np.arange(len(vocab), dtype=np.int64), np.diff(part.indptr))
            selected = keep[part.rows]
            all_rows.append(new_row[part.rows[selected]])
            all_cols.append(remap[old_cols[selected]])
            all_counts.append(np.asarray(part.counts)[selected])
            offset += int(keep.sum())
        rows, cols, counts = (
            np.concatenate(a) if a else np.zeros(0, np.int64) for a in (all_rows, all_cols, all_counts)
        )
        present = np.bincount(cols, minlength=len(union)) > 0
        if not present.all():
            cols = (np.cumsum(present) - 1)[cols]
            union = list(itertools.compress(union, present.tolist()))
        order = np.argsort(cols * max(offset, 1) + rows)  # by term, then row (the keys are unique)
        lengths = [np.asarray(p.lengths)[k] for p, k in zip(parts, keeps, strict=True)]
        return cls._assemble(union, cols[order], rows[order], counts[order], np.concatenate(lengths))

    @classmethod
    def _assemble(
        cls, vocab: list[str], cols: np.ndarray, rows: np.ndarray, counts: np.ndarray, lengths: np.ndarray
    ) -> Postings:
        indptr = np.zeros(len(vocab) + 1, dtype=np.int64)
        np.cumsum(np.bincount(cols, minlength=len(vocab)), out=indptr[1:])
        return cls(
            _Vocab(vocab),
            indptr,
            rows.astype(np.int32),
            counts.astype(np.int32),
            lengths.astype(np.int32),
        )

    def save(self, directory: Path, field: str) -> None:
        np.save(directory / f"{field}.vocab.npy", np.asarray(self.vocab.blob))
        np.save(directory / f"{field}.vocab_ends.npy", np.asarray(self.vocab.ends))
        for name in ("indptr", "rows", "counts", "lengths"):
            np.save(directory / f"{field}.{name}.npy", np.asarray(getattr(self, name)))

    @classmethod
    def load(cls, directory: Path, field: str) -> Postings:
        def array(name: str) -> np.ndarray:
            return _load_array(directory / f"{field}.{name}.npy")

        vocab = _Vocab(blob=array("vocab"), ends=array("vocab_ends"))
        return cls(vocab, array("indptr"), array("rows"), array("counts"), array("lengths"))


def _load_array(path: Path) -> np.ndarray:
    try:
        # a plain array view of the memory-mapped file: still read lazily, without np.memmap's
        # Python-level indexing, which made each term lookup (about 18 steps of bisection)
        # cost about 1 ms, and a reprint search's hundreds of word pairs tens of ms
        return np.load(path, mmap_mode="r", allow_pickle=False).view(np.ndarray)
    except ValueError:  # an empty array cannot be memory-mapped
        return np.load(path, allow_pickle=False)


class _PostingsBuilder:
    """Collects one field's postings row by row: only each row's distinct terms and counts are
    kept (as integers), never the row's tokens, so building over ~70,000 chunks holds the
    vocabulary and a few integer arrays, not every word-pair string of the corpus."""

    def __init__(self) -> None:
        self._ids: defaultdict[str, int] = defaultdict(itertools.count().__next__)  # term -> id, in order met
        self._cols = array("i")  # 32 bits: fewer than 2**31 terms and rows, and counts that small
        self._rows = array("i")
        self._counts = array("i")
        self._lengths = array("q")

    def add(self, counts: Mapping[str, int], length: int) -> None:
        """The next row: its terms with their counts, and its length in terms."""
        self._cols.extend(map(self._ids.__getitem__, counts.keys()))
        self._counts.extend(counts.values())
        self._rows.extend(itertools.repeat(len(self._lengths), len(counts)))
        self._lengths.append(length)

    def postings(self) -> Postings:
        vocab = sorted(self._ids)
        column = np.empty(len(vocab), dtype=np.int64)  # id -> column (the term's place in sorted order)
        column[np.fromiter(map(self._ids.__getitem__, vocab), dtype=np.int64, count=len(vocab))] = np.arange(len(vocab))
        cols = column[np.frombuffer(self._cols, dtype=np.int32)] if self._cols else np.zeros(0, np.int64)
        rows = np.frombuffer(self._rows, dtype=np.int32) if self._rows else np.zeros(0, np.int32)
        counts = np.frombuffer(self._counts, dtype=np.int32) if self._counts else np.zeros(0, np.int32)
        lengths = np.frombuffer(self._lengths, dtype=np.int64) if self._lengths else np.zeros(0, np.int64)
        order = np.argsort(cols * max(len(lengths), 1) + rows)  # by term, then row
        return Postings._assemble(vocab, cols[order], rows[order], counts[order], lengths)


class Segment:
    """An immutable slice of the keyword index: some chunks (rows) and their postings in four
    fields: ``words`` and ``pairs`` (BM25's), ``names`` and ``capitals`` (every word as the names
    vocabulary counts it, and its capitalised uses: per row, so a removed row leaves it exactly).
    Saved, it is a directory."""

    def __init__(
        self, chunk_ids: list[str], spans: np.ndarray, fields: dict[str, Postings], name: str | None = None
    ) -> None:
        self.chunk_ids = chunk_ids
        self.spans = spans  # (start, end) of each row's chunk in its article: a row is valid for that text only
        self.fields = fields
        self.name = name  # the directory it is saved in (None: in memory only)
        self.size = len(chunk_ids)
        self._row_of: dict[str, int] | None = None
        self._names: NameVariants | None = None
        self._name_totals: tuple[dict[str, int], dict[str, int]] | None = None

    @property
    def row_of(self) -> dict[str, int]:
        if self._row_of is None:
            self._row_of = {cid: i for i, cid in enumerate(self.chunk_ids)}
        return self._row_of

    def postings(self, field: str) -> Postings:
        return self.fields[field]

    @property
    def words(self) -> Postings:
        return self.fields["words"]

    @property
    def pairs(self) -> Postings:
        return self.fields["pairs"]

    @property
    def names(self) -> NameVariants:
        """The names vocabulary of all the segment's rows."""
        if self._names is None:
            self._names = _names([self], None)
        return self._names

    def name_totals(self) -> tuple[dict[str, int], dict[str, int]]:
        """How often each word occurs in the segment's rows, and capitalised (computed once)."""
        if self._name_totals is None:
            names, capitals = (_column_totals(self.fields[f], None) for f in ("names", "capitals"))
            self._name_totals = (names, capitals)
        return self._name_totals

    @classmethod
    def build(
        cls, chunk_ids: list[str], texts: Sequence[str], spans: Sequence[tuple[int, int]] | None = None
    ) -> Segment:
        """Tokenise ``texts`` (the chunks ``chunk_ids``) into a new segment, one text at a time."""
        fields = {f: _PostingsBuilder() for f in FIELDS}
        for text in texts:
            tokens = terms(text)
            fields["words"].add(Counter(tokens), len(tokens))
            # word pairs: questions often reuse a phrase of the passage that answers them; a chunk
            # without any holds the empty pair (as bm25s's index did, so lengths stay the same)
            pairs = Counter(bigrams(tokens)) or Counter([""])
            fields["pairs"].add(pairs, pairs.total())
            vocabulary = NameVariants()
            vocabulary.add_text(text)
            fields["names"].add(vocabulary.counts, vocabulary.counts.total())
            fields["capitals"].add(vocabulary.capitalised, vocabulary.capitalised.total())
        span_array = np.asarray(spans if spans is not None else [(0, 0)] * len(chunk_ids), dtype=np.int64)
        postings = {f: builder.postings() for f, builder in fields.items()}
        return cls(list(chunk_ids), span_array.reshape(-1, 2), postings)

    @classmethod
    def merge(cls, segments: Sequence[Segment], keeps: Sequence[np.ndarray]) -> Segment:
        """One segment holding the kept rows of ``segments``, without tokenising anything again."""
        chunk_ids = [c for s, k in zip(segments, keeps, strict=True) for c in itertools.compress(s.chunk_ids, k)]
        spans = np.concatenate([np.asarray(s.spans)[k] for s, k in zip(segments, keeps, strict=True)])
        fields = {f: Postings.merge([s.postings(f) for s in segments], keeps) for f in FIELDS}
        return cls(chunk_ids, spans.reshape(-1, 2), fields)

    def save(self, directory: Path) -> None:
        """Write the segment into ``directory`` (which must not exist yet)."""
        directory.mkdir(parents=True)
        for field in FIELDS:
            self.postings(field).save(directory, field)
        np.save(directory / "spans.npy", np.asarray(self.spans))
        meta = {"format": FORMAT, "chunk_ids": self.chunk_ids}
        (directory / "meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, directory: Path) -> Segment:
        """Open a segment written by ``save``; its arrays are memory-mapped."""
        meta = json.loads((directory / "meta.json").read_text(encoding="utf-8"))
        if meta.get("format") != FORMAT:
            raise ValueError(f"segment format {meta.get('format')!r}, expected {FORMAT}")
        spans = _load_array(directory / "spans.npy").reshape(-1, 2)
        return cls(meta["chunk_ids"], spans, {f: Postings.load(directory, f) for f in FIELDS}, name=directory.name)


def _names(segments: Sequence[Segment], dead: np.ndarray | None) -> NameVariants:
    """The names vocabulary of the live rows of ``segments``: word counts summed over rows, in
    sorted word order (rapidfuzz's ties and ``max`` follow the order), so any split of the same
    rows into segments, with or without dead rows, gives the same vocabulary."""
    names = NameVariants()
    offset = 0
    for segment in segments:
        alive = None if dead is None else ~dead[offset : offset + segment.size]
        offset += segment.size
        if alive is None or alive.all():
            counts, capitalised = segment.name_totals()
        else:
            counts, capitalised = (_column_totals(segment.postings(f), alive) for f in ("names", "capitals"))
        names.counts.update(counts)
        names.capitalised.update(capitalised)
    if len(segments) > 1:  # one segment's words are sorted already
        names.counts = Counter(dict(sorted(names.counts.items())))
        names.capitalised = Counter(dict(sorted(names.capitalised.items())))
    return names.freeze()


def _column_totals(postings: Postings, alive: np.ndarray | None) -> dict[str, int]:
    """Each term's count summed over the (``alive``) rows; terms summing to 0 left out."""
    counts = np.asarray(postings.counts, dtype=np.int64)
    if alive is not None:
        counts = counts * alive[postings.rows]
    totals = np.diff(np.concatenate(([0], np.cumsum(counts)))[postings.indptr])
    return {t: n for t, n in zip(postings.vocab.terms(), totals.tolist(), strict=True) if n}


class KeywordIndex:
    """BM25 over the live rows of a list of segments; row ``i`` of every score array is
    ``chunk_ids[i]`` (segments one after the other). Rows marked ``dead`` (their article was
    removed or replaced) count in no statistic and always score 0."""

    def __init__(self, segments: Sequence[Segment], dead: np.ndarray | None = None) -> None:
        self.segments = list(segments)
        self.offsets = list(itertools.accumulate((s.size for s in self.segments), initial=0))
        self.size = self.offsets[-1]  # rows, live or not: the length of every score array
        self.chunk_ids: list[str] = list(itertools.chain.from_iterable(s.chunk_ids for s in self.segments))
        self.dead = dead if dead is not None and dead.any() else None
        if self.dead is not None:
            self.row_of = {cid: i for i, cid in enumerate(self.chunk_ids) if not self.dead[i]}
        elif len(self.segments) == 1:
            self.row_of = self.segments[0].row_of
        else:
            self.row_of = {}
            for segment, offset in zip(self.segments, self.offsets, strict=False):
                self.row_of.update((cid, offset + i) for cid, i in segment.row_of.items())
        self.documents = self.size - (int(self.dead.sum()) if self.dead is not None else 0)  # BM25's N
        self._avgdl = {field: self._total_length(field) / max(self.documents, 1) for field in ("words", "pairs")}
        if len(self.segments) == 1 and self.dead is None:
            self.names = self.segments[0].names
        else:
            self.names = _names(self.segments, self.dead)
        self.doc_freq: Mapping[str, int] = _DocFreq(self)
        self._df_cache: dict[str, int] = {}

    @classmethod
    def build(cls, chunk_ids: list[str], texts: list[str]) -> KeywordIndex:
        """An index over ``texts`` in one segment (what a full rebuild gives)."""
        return cls([Segment.build(chunk_ids, texts)])

    def _total_length(self, field: str) -> int:
        total = sum(s.postings(field).total_length for s in self.segments)
        if self.dead is not None:
            for segment, offset in zip(self.segments, self.offsets, strict=False):
                dead = self.dead[offset : offset + segment.size]
                if dead.any():
                    total -= int(np.asarray(segment.postings(field).lengths)[dead].sum(dtype=np.int64))
        return total

    def _postings(self, field: str, term: str) -> tuple[int, list[tuple[int, np.ndarray, np.ndarray, np.ndarray]]]:
        """The live document frequency of ``term`` and its postings in each segment holding it."""
        df, hits = 0, []
        for segment, offset in zip(self.segments, self.offsets, strict=False):
            postings = segment.postings(field)
            found = postings.column(term)
            if found is None:
                continue
            rows, counts = found
            df += len(rows) - (int(self.dead[offset + rows].sum()) if self.dead is not None else 0)
            hits.append((offset, rows, counts, postings.lengths))
        return df, hits

    def df(self, term: str) -> int:
        """In how many live chunks the (stemmed) term occurs."""
        cached = self._df_cache.get(term)
        if cached is None:
            cached = self._postings("words", term)[0]
            if len(self._df_cache) > 100_000:
                self._df_cache.clear()
            self._df_cache[term] = cached
        return cached

    def _scores(self, field: str, weighted: Sequence[tuple[str, float | None]]) -> np.ndarray:
        """Sum over ``weighted`` terms of (weight times) each chunk's BM25 score for the term,
        with the statistics of the live rows: bm25s's ``lucene`` formula and float steps."""
        total = np.zeros(self.size, dtype=np.float32)
        n, avgdl = self.documents, self._avgdl[field]
        for term, weight in weighted:
            df, hits = self._postings(field, term)
            if df <= 0:
                continue
            idf = np.float32(math.log(1 + (n - df + 0.5) / (df + 0.5)))
            for offset, rows, counts, lengths in hits:
                tf = counts.astype(np.float64)
                score = (idf * (tf / (K1 * ((1 - B) + B * lengths[rows] / avgdl) + tf))).astype(np.float32)
                total[offset + rows] += score if weight is None else np.float32(weight) * score
        if self.dead is not None:
            total[self.dead] = 0.0
        return total

    def idf(self, term: str) -> float:
        """BM25's idf; unseen terms get the highest value (they are the most telling)."""
        df = self.df(term)
        return math.log(1 + (self.documents - df + 0.5) / (df + 0.5))

    def term_groups(self, text: str) -> list[TermGroup]:
        """One group per content word of ``text``: its stem plus the stems of its corpus spellings.

        A hyphenated word is one group that its parts also satisfy ("Nagorno-Karabakh").
        """
        groups: dict[str, TermGroup] = {}
        for word in words(text):
            if word in STOPWORDS or word in QUESTION_WORDS or word in groups:
                continue
            stems: dict[str, float] = {}
            for form in expand_hyphens([word]):
                options = self.names.variants(form)
                # "American" is "America", "British" is "Britain": a country's other one-word forms.
                # Its codes ("US", "UK") are told from words ("us") only by their capitals, which a
                # question's words have lost: ``answering.quoted`` looks for them in the text itself
                for other in country_forms(form) if len(form) > 3 else ():
                    if len(other) > 3 and " " not in other:
                        options.setdefault(other, 0.9)
                options[form] = 1.0
                for variant, weight in options.items():
                    term = stem(variant)
                    stems[term] = max(stems.get(term, 0.0), weight if form == word else 0.9 * weight)
            known = [t for t in stems if t in self.doc_freq]
            if not known and len(word) > 2 and word.endswith("s"):
                owner = stem(word[:-1])  # a possessive typed without its apostrophe ("BTs offer")
                if owner in self.doc_freq:
                    stems[owner] = 1.0
                    known = [owner]
            idf = max((self.idf(t) for t in known), default=self.idf(stem(word)))
            groups[word] = TermGroup(word, stems, idf, bool(known))
        return list(groups.values())

    @staticmethod
    def weighted_terms(groups: list[TermGroup]) -> dict[str, float]:
        """Flatten term groups into index terms with their weights (the best weight wins)."""
        weighted: dict[str, float] = {}
        for group in groups:
            for term, weight in group.stems.items():
                weighted[term] = max(weighted.get(term, 0.0), weight)
        return weighted

    def normalise_question(self, question: str) -> str:
        """The question with misspelt names replaced by their corpus spelling (for the dense query)."""
        out = question
        for word in set(words(question)):
            if word in STOPWORDS or word in self.names.counts:
                continue
            best = self.names.canonical(word)
            if best != word:
                out = _replace_word(out, word, best)
        return out

    def scores(self, weighted_terms: dict[str, float]) -> np.ndarray:
        """BM25 score of every chunk for the weighted terms."""
        return self._scores("words", list(weighted_terms.items()))

    def bigram_scores(self, question: str) -> np.ndarray:
        """BM25 over consecutive term pairs of the question (zeros if none occur)."""
        return self._scores("pairs", [(pair, None) for pair in bigrams(terms(question))])


class _DocFreq(Mapping[str, int]):
    """Live document frequencies, looked up in every segment on demand (never copied)."""

    def __init__(self, index: KeywordIndex) -> None:
        self._index = index

    def __getitem__(self, term: str) -> int:
        df = self._index.df(term)
        if df <= 0:
            raise KeyError(term)
        return df

    def __contains__(self, term: object) -> bool:
        return isinstance(term, str) and self._index.df(term) > 0

    def __iter__(self) -> Iterator[str]:
        seen: set[str] = set()
        for segment in self._index.segments:
            for term in segment.words.vocab.terms():
                if term not in seen and term in self:
                    seen.add(term)
                    yield term

    def __len__(self) -> int:
        return sum(1 for _ in self)


def bigrams(tokens: list[str]) -> list[str]:
    return [f"{a}_{b}" for a, b in itertools.pairwise(tokens)]


_QUESTION_WORD = re.compile(r"[A-Za-z0-9]+(?:'[A-Za-z]+)?")


def _replace_word(text: str, folded_word: str, replacement: str) -> str:
    """Replace a word given in folded form wherever it appears (accents or not) in ``text``."""
    folded = fold(text)
    if len(folded) != len(text):  # a fold changed the length (ß -> ss): fall back to the folded text
        text = folded
    out, last = [], 0
    for m in _QUESTION_WORD.finditer(folded):
        base = m.group(0).lower().removesuffix("'s")
        if base == folded_word:
            out.append(text[last : m.start()])
            out.append(replacement.capitalize() + text[m.start() + len(base) : m.end()])
            last = m.end()
    out.append(text[last:])
    return "".join(out)
