"""Sentence-aware, token-budgeted chunks with exact offsets into the article text.

Two budgets hold for every chunk: about ``budget`` cl100k_base tokens (tiktoken, the
project's unit for context budgets), and never more than the embedding model's window in
its own wordpieces, which run longer than tiktoken's count on names and numbers. A chunk
is never cut: a sentence that alone exceeds the window is split between words.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from ..models import Article, Chunk
from ..search.embedding import MAX_WORDPIECES, count_wordpieces
from ..text.sentences import sentence_spans


@lru_cache(maxsize=1)
def _encoding():
    import tiktoken

    return tiktoken.get_encoding("cl100k_base")


def count_tokens(text: str) -> int:
    """cl100k_base tokens in ``text``."""
    return len(_encoding().encode(text, disallowed_special=()))


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


def _fit_window(
    text: str, start: int, end: int, max_wordpieces: int, wordpieces: Callable[[str], int]
) -> list[tuple[int, int, int]]:
    """The sentence as one unit, or split between words into units that each fit the window."""
    if wordpieces(text[start:end]) <= max_wordpieces:
        return [_unit(text, start, end)]
    pieces: list[tuple[int, int, int]] = []
    piece_start = last_end = start
    for word in _WORD.finditer(text, start, end):
        while wordpieces(text[piece_start : word.end()]) > max_wordpieces:
            if last_end > piece_start:  # close the piece before this word
                cut = last_end
            else:  # a single "word" longer than the window: cut it by characters
                cut = _longest_prefix(text, piece_start, word.end(), max_wordpieces, wordpieces)
            pieces.append(_unit(text, piece_start, cut))
            piece_start = last_end = _skip_space(text, cut)
        last_end = word.end()
    if piece_start < end:
        pieces.append(_unit(text, piece_start, end))
    return pieces


def _unit(text: str, start: int, end: int) -> tuple[int, int, int]:
    return (start, end, count_tokens(text[start:end]))


def _skip_space(text: str, i: int) -> int:
    while i < len(text) and text[i].isspace():
        i += 1
    return i


def _longest_prefix(text: str, start: int, end: int, limit: int, wordpieces: Callable[[str], int]) -> int:
    lo, hi = start + 1, end
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if wordpieces(text[start:mid]) <= limit:
            lo = mid
        else:
            hi = mid - 1
    return lo
