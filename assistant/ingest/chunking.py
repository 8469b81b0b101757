"""Sentence-aware, token-budgeted chunks with exact offsets into the article text.

Two budgets hold for every chunk: about ``budget`` cl100k_base tokens (tiktoken, the
project's unit for context budgets), and never more than the embedding model's window in
its own wordpieces, which run longer than tiktoken's count on names and numbers. A chunk
is never cut: a sentence that alone exceeds the window is split between words.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ..models import Article, Chunk
from ..search.embedding import MAX_WORDPIECES, count_wordpieces
from ..text.sentences import sentence_spans
from ..text.tokens import count_tokens


def chunk_article(
    article: Article,
    budget: int = 200,
    max_wordpieces: int = MAX_WORDPIECES,
    wordpieces: Callable[[str], int] = count_wordpieces,
) -> list[Chunk]:
    """Pack whole sentences into chunks; prefer to end a chunk where a paragraph ends.
    The article's sentence spans are used when it has them (the pipeline splits once)."""
    text = article.text
    units: list[tuple[int, int, int]] = []  # (start, end, tokens), each fits the window alone
    for start, end in article.sentences or sentence_spans(text):
        units.extend(_fit_window(text, start, end, max_wordpieces, wordpieces))

    chunks: list[Chunk] = []
    i = 0
    while i < len(units):
        start, end, tokens = units[i]
        j = i + 1
        while j < len(units) and tokens + units[j][2] <= budget:
            paragraph_break = "\n" in text[end : units[j][0]]
            if paragraph_break and tokens >= 0.6 * budget:
                break
            end, tokens = units[j][1], tokens + units[j][2]
            j += 1
        # shrink until the real wordpiece count fits (joins can add a few)
        while j - i > 1 and wordpieces(text[start:end]) > max_wordpieces:
            j -= 1
            end = units[j - 1][1]
        piece = text[start:end]
        chunks.append(
            Chunk(
                chunk_id=f"{article.doc_id}:{len(chunks):04d}",
                doc_id=article.doc_id,
                seq=len(chunks),
                start=start,
                end=end,
                text=piece,
                tokens=count_tokens(piece),
                wordpieces=wordpieces(piece),
            )
        )
        i = j
    return chunks


_WORD = re.compile(r"\S+")
# No unit is longer than this many characters, whatever its wordpiece count: prose fills the
# window in a tenth of it, but a "word" the tokenizer reads as one [UNK] can run to megabytes
# (and the tokenizers take time worse than linear on such words). Longer sentences are cut as
# they are read, never handed to the tokenizer whole.
_MAX_UNIT_CHARS = 20_000


def _fit_window(
    text: str, start: int, end: int, max_wordpieces: int, wordpieces: Callable[[str], int]
) -> list[tuple[int, int, int]]:
    """The sentence as one unit, or split between words into units that each fit the window.

    Each unit takes as many whole words as fit. The words that fit are found by counting
    1, 2, 4, 8 ... words ahead and then halving the gap, not by recounting the unit word by
    word (which cost a tokenizer call per word on text as long as the window: two minutes a
    megabyte for text with no full stops). The cuts are the same, as a count of words only
    grows as words are added, except that no unit is longer than ``_MAX_UNIT_CHARS``."""
    if end - start <= _MAX_UNIT_CHARS and wordpieces(text[start:end]) <= max_wordpieces:
        return [_unit(text, start, end)]
    words = _Words(text, start, end)
    pieces: list[tuple[int, int, int]] = []
    piece_start, k = start, 0  # the unit being built starts at piece_start, in word k

    def fits(j: int) -> bool:  # the unit from piece_start through word j fits the window
        unit_end = words.end(j)
        return unit_end - piece_start <= _MAX_UNIT_CHARS and wordpieces(text[piece_start:unit_end]) <= max_wordpieces

    while words.exists(k):
        guess = None  # while word k alone is longer than the window, cut it by characters
        while True:
            cut = _longest_prefix(text, piece_start, words.end(k), max_wordpieces, wordpieces, guess)
            if cut == words.end(k):
                break
            pieces.append(_unit(text, piece_start, cut))
            guess, piece_start = cut - piece_start, _skip_space(text, cut)
        # the last word the unit can take: gallop ahead from k, then halve the gap
        good, step, bad = k, 1, None
        while bad is None:
            j = good + step
            if not words.exists(j):
                j = words.last()
                if j == good or fits(j):
                    good = j
                    break
                bad = j
            elif fits(j):
                good, step = j, step * 2
            else:
                bad = j
        if bad is None:
            break  # the rest of the sentence fits
        while bad - good > 1:
            mid = (good + bad) // 2
            if fits(mid):
                good = mid
            else:
                bad = mid
        pieces.append(_unit(text, piece_start, words.end(good)))
        piece_start, k = _skip_space(text, words.end(good)), bad
        words.forget_before(k)
    if piece_start < end:
        pieces.append(_unit(text, piece_start, end))
    return pieces


class _Words:
    """The ends of the words of ``text[start:end]`` by index, read only as far as asked for."""

    def __init__(self, text: str, start: int, end: int) -> None:
        self._found = _WORD.finditer(text, start, end)
        self._ends: list[int] = []
        self._first = 0  # index of the word self._ends[0] ends
        self._all_read = False

    def exists(self, i: int) -> bool:
        while not self._all_read and i - self._first >= len(self._ends):
            m = next(self._found, None)
            if m is None:
                self._all_read = True
            else:
                self._ends.append(m.end())
        return i - self._first < len(self._ends)

    def end(self, i: int) -> int:
        return self._ends[i - self._first]

    def last(self) -> int:
        return self._first + len(self._ends) - 1

    def forget_before(self, i: int) -> None:
        if i - self._first > 4096:
            del self._ends[: i - self._first]
            self._first = i


def _unit(text: str, start: int, end: int) -> tuple[int, int, int]:
    return (start, end, count_tokens(text[start:end]))


def _skip_space(text: str, i: int) -> int:
    while i < len(text) and text[i].isspace():
        i += 1
    return i


def _longest_prefix(
    text: str, start: int, end: int, limit: int, wordpieces: Callable[[str], int], guess: int | None = None
) -> int:
    """The end of the longest prefix of ``text[start:end]`` that fits ``limit`` wordpieces and
    ``_MAX_UNIT_CHARS`` characters (``end`` when all of it does).

    The whole is counted first, unless it is too long to be one unit or a ``guess`` is given
    (the length of the previous cut in the same word). Then prefixes from the guess (else
    ``limit`` characters) on, one, two, four ... characters longer or shorter, until the fit
    changes, and the gap is halved. So cutting a "word" of megabytes costs about two counts of
    each piece, where counting the rest of the word at each cut took time quadratic in it."""
    cap = min(end, start + _MAX_UNIT_CHARS)

    def fits(i: int) -> bool:
        return wordpieces(text[start:i]) <= limit

    if guess is None and cap == end and fits(end):
        return end
    lo, hi = start + 1, cap  # the prefix ending at lo fits (one character always does); none past hi
    probe = min(max(start + (guess or limit), lo), hi)
    step = 1
    if fits(probe):  # gallop up
        lo = probe
        while lo < hi:
            probe = min(lo + step, hi)
            if not fits(probe):
                hi = probe - 1
                break
            lo, step = probe, step * 2
    else:  # gallop down
        hi = probe - 1
        while lo < hi:
            probe = max(hi - step + 1, lo)
            if fits(probe):
                lo = probe
                break
            hi, step = probe - 1, step * 2
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if fits(mid):
            lo = mid
        else:
            hi = mid - 1
    return lo
