"""Syndicated and near-duplicate articles, grouped at ingest.

An article's text is cut into paragraphs; datelines ("ANKARA (AP) —", "LONDON, Oct 5 (Reuters) -")
and boilerplate lines (copyright, "follow us", "reporting by", sharing prompts) are dropped; the
rest is folded to lower-case words and cut into word shingles *within* each paragraph, so
paragraphs put in another order keep their shingles. A MinHash signature (``datasketch``) of the
shingles goes into an LSH index whose candidates are then confirmed by the exact Jaccard of
the two shingle sets: only a pair at or above ``JACCARD`` is recorded. Groups are the connected
components of the recorded pairs, so removing an article (its pairs go with it) leaves the
groups the remaining pairs make, never a stale group id.

The thresholds were chosen on BBC News (2,225 articles) with planted rewritten copies: see
``benchmarks/bench_dedup.py`` and ``benchmarks/results/dedup.json``.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterable, Sequence
from functools import lru_cache

import numpy as np

from ..text.terms import words

NUM_PERM = 128
SHINGLE_WORDS = 5
# The LSH's own threshold: pairs with an estimated Jaccard near or above it become candidates.
# Lower than ``JACCARD`` so the estimate's error (±0.09 at 128 permutations) loses no true pair.
LSH_THRESHOLD = 0.3
# Exact Jaccard of the shingle sets at or above which two articles are copies of one story.
JACCARD = 0.45
_SEED = 13
SCHEME = "affine32"  # datasketch 2.x: stored signatures record no scheme, so it is fixed here

# "ANKARA (AP) —", "LONDON, Oct. 5 (Reuters) -", "WASHINGTON —", "Brussels, 12 March:" at a paragraph's start
_DATELINE = re.compile(
    r"^\s*(?:[A-Z][A-Za-z.'’\- ]{1,40}?|[A-Z][A-Z.'’\- ]{1,40}?)"
    r"(?:,\s*(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2}|\d{1,2}\s+[A-Z][a-z]{2,8}\.?)(?:,?\s*\d{4})?)?"
    r"\s*(?:\((?:[A-Z][\w.&’' -]{0,30})\))?\s*(?:[—–:]|-(?=\s))\s*"
)
_BOILERPLATE = re.compile(
    r"copyright|all rights reserved|©|\(c\)\s*\d{4}|follow (?:us|him|her)|subscribe|sign up|newsletter"
    r"|reporting by|editing by|additional reporting|read more|click here|share this|share on|related:"
    r"|this (?:article|story) (?:was|first|originally)|originally (?:appeared|published)|with (?:agency|wire) reports"
    r"|contributed to this report|republished|all material|terms of use|privacy policy|advertisement",
    re.I,
)


def paragraphs(text: str) -> list[list[str]]:
    """The article's paragraphs as folded words, datelines and boilerplate lines left out."""
    out = []
    for para in re.split(r"\n\s*\n|\n", text):
        para = para.strip()
        if not para:
            continue
        tokens = words(para)
        if len(tokens) < 40 and _BOILERPLATE.search(para):
            continue  # a footer, credit line or sharing prompt: the same on every copy of an outlet
        m = _DATELINE.match(para)
        if m and m.end() < len(para) and len(words(m.group(0))) <= 8:
            tokens = words(para[m.end() :])
        if tokens:
            out.append(tokens)
    return out


def shingles(text: str, size: int = SHINGLE_WORDS) -> set[int]:
    """Hashed word ``size``-grams within each paragraph (a short paragraph is one shingle)."""
    out: set[int] = set()
    for tokens in paragraphs(text):
        if len(tokens) < size:
            out.add(zlib.crc32(" ".join(tokens).encode()))
            continue
        for i in range(len(tokens) - size + 1):
            out.add(zlib.crc32(" ".join(tokens[i : i + size]).encode()))
    return out


def jaccard(a: set[int], b: set[int]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def _identity(x: int) -> int:
    return x


def signature(shingle_set: Iterable[int]) -> np.ndarray:
    """The MinHash signature (``NUM_PERM`` uint64 values) of a shingle set."""
    from datasketch import MinHash

    m = MinHash(num_perm=NUM_PERM, seed=_SEED, hashfunc=_identity, scheme=SCHEME, permutations=_permutations())
    values = list(shingle_set)
    if values:
        m.update_batch(values)
    return m.hashvalues


@lru_cache(maxsize=1)
def _permutations():
    """The MinHash permutations (drawn from ``_SEED``): made once, not per article."""
    from datasketch import MinHash

    return MinHash(num_perm=NUM_PERM, seed=_SEED, scheme=SCHEME).permutations


def _lean(sig: np.ndarray):
    from datasketch import LeanMinHash

    return LeanMinHash(seed=_SEED, hashvalues=sig, scheme=SCHEME)


def to_blob(sig: np.ndarray) -> bytes:
    return np.asarray(sig, dtype=np.uint64).tobytes()


def from_blob(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype=np.uint64).copy()


class DuplicateIndex:
    """MinHash LSH over the stored articles' signatures, kept in memory by one process and
    brought in step with the store by difference (``sync``), never rebuilt on every ingest."""

    def __init__(self, threshold: float = LSH_THRESHOLD) -> None:
        from datasketch import MinHashLSH

        self._lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        self.keys: set[str] = set()

    def add(self, doc_id: str, sig: np.ndarray) -> None:
        if doc_id in self.keys:
            return
        self._lsh.insert(doc_id, _lean(sig))
        self.keys.add(doc_id)

    def discard(self, doc_id: str) -> None:
        if doc_id in self.keys:
            self._lsh.remove(doc_id)
            self.keys.discard(doc_id)

    def candidates(self, sig: np.ndarray) -> list[str]:
        return list(self._lsh.query(_lean(sig)))

    def sync(self, stored: set[str], read: callable) -> None:
        """Make the index hold exactly ``stored``; ``read(ids)`` yields (doc_id, signature) for
        the ids it lacks (written by another process, or before this process started)."""
        for gone in self.keys - stored:
            self.discard(gone)
        missing = stored - self.keys
        if missing:
            for doc_id, sig in read(missing):
                self.add(doc_id, sig)


def find_copies(
    doc_id: str,
    own: set[int],
    sig: np.ndarray,
    index: DuplicateIndex,
    shingles_of: callable,
) -> list[tuple[str, float]]:
    """The indexed articles whose exact shingle Jaccard with ``own`` is at least ``JACCARD``."""
    found = []
    for other in index.candidates(sig):
        if other == doc_id:
            continue
        theirs = shingles_of(other)
        if theirs is None:
            continue
        j = jaccard(own, theirs)
        if j >= JACCARD:
            found.append((other, round(j, 4)))
    return found


def groups(pairs: Iterable[tuple[str, str]]) -> dict[str, tuple[str, ...]]:
    """Connected components of the pairs: each member's id -> its whole group (sorted)."""
    parent: dict[str, str] = {}

    def root(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    members: dict[str, list[str]] = {}
    for x in parent:
        members.setdefault(root(x), []).append(x)
    out: dict[str, tuple[str, ...]] = {}
    for group in members.values():
        ordered = tuple(sorted(group))
        for x in group:
            out[x] = ordered
    return out


def group_one(
    doc_id: str, text: str, index: DuplicateIndex, shingles_of: callable
) -> tuple[np.ndarray, list[tuple[str, float]]]:
    """An article about to be stored: its signature and its confirmed copies among the indexed
    articles (``shingles_of(other)`` gives theirs), and it joins ``index`` (each store's ingest)."""
    own = shingles(text)
    sig = signature(own)
    found = find_copies(doc_id, own, sig, index, shingles_of)
    index.add(doc_id, sig)
    return sig, found


def group_all(texts: Sequence[tuple[str, str]]) -> tuple[dict[str, np.ndarray], list[tuple[str, str, float]]]:
    """Signatures and confirmed pairs for a whole collection at once (a store's migration, the
    benchmark): ``texts`` is (doc_id, text) pairs."""
    index = DuplicateIndex()
    sets: dict[str, set[int]] = {}
    sigs: dict[str, np.ndarray] = {}
    pairs: list[tuple[str, str, float]] = []
    for doc_id, text in texts:
        own = shingles(text)
        sig = signature(own)
        for other, j in find_copies(doc_id, own, sig, index, sets.get):
            pairs.append((doc_id, other, j))
        index.add(doc_id, sig)
        sets[doc_id] = own
        sigs[doc_id] = sig
    return sigs, pairs
