"""Token counts in cl100k_base (tiktoken), the one measure of length for chunk budgets and for
the context sent to a language model, so both agree on what "200 tokens" means."""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def _encoding():
    import tiktoken

    return tiktoken.get_encoding("cl100k_base")


def count_tokens(text: str) -> int:
    """cl100k_base tokens in ``text``."""
    return len(_encoding().encode(text, disallowed_special=()))
