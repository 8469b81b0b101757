"""The Slack bot with a generative engine: a real SmolLM2-135M behind an OpenAI-compatible server on
loopback, the real Bolt app behind its HTTP server, Slack's Web API mocked on loopback. The
placeholder shows the draft as the model writes it (chat.update, throttled), then the checked answer."""

from __future__ import annotations

import itertools
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from assistant import Assistant
from assistant.interfaces.render import DRAFT_LABEL, quoted

from .slack_mock import MockSlack
from .test_slack import Harness, action_values, in_articles, quotes_by_source, serving, texts

pytest_plugins = ["tests.llm_server"]  # the session fixture llm_server: a real SmolLM2 on loopback

QUESTION = "What did Çavuşoğlu say about Patriots?"


@pytest.fixture(scope="module")
def generative(seeded_store: Path, llm_server: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Assistant]:
    store = tmp_path_factory.mktemp("slack-stream") / "store"
    shutil.copytree(seeded_store, store)
    small = {"llm_context_tokens": 400, "llm_max_tokens": 40, "llm_timeout": 300.0}
    with Assistant(store, engine="openai", llm_base_url=llm_server, llm_model="smollm2", create=False, **small) as a:
        yield a


@pytest.fixture(scope="module")
def slack() -> Iterator[MockSlack]:
    with MockSlack() as mock:
        yield mock


@contextmanager
def bot(assistant: Assistant, slack: MockSlack, draft_interval: float) -> Iterator[Harness]:
    with serving(assistant, slack, rate=None) as harness:
        harness.bot.draft_interval = draft_interval
        yield harness


def _is_draft(call: Any) -> bool:
    return call.params["text"].startswith(DRAFT_LABEL)


def _draft_shown(call: Any) -> str:
    return call.params["blocks"][1]["elements"][0]["elements"][0]["text"]


def _asked(h: Harness, slack: MockSlack) -> tuple[list[Any], list[Any]]:
    """Ask in a DM; the placeholder's posts and its updates, in order, once the bot is done."""
    channel, _ = h.dm(QUESTION)
    h.answered(channel)
    calls = slack.in_channel(channel)
    posted = [c for c in calls if c.method == "chat.postMessage"]
    updates = [c for c in calls if c.method == "chat.update"]
    assert [c.method for c in calls][:2] == ["reactions.add", "chat.postMessage"]
    assert all(u.params["ts"] == posted[0].response["ts"] for u in updates), "only the placeholder is updated"
    return posted, updates


def test_the_placeholder_shows_the_draft_then_the_checked_answer(generative: Assistant, slack: MockSlack) -> None:
    with bot(generative, slack, draft_interval=0.0) as h:
        posted, updates = _asked(h, slack)
    assert posted[0].params["text"].startswith("Searching")
    *drafts, final = updates
    assert len(drafts) >= 2 and all(_is_draft(u) for u in drafts), [u.params["text"][:60] for u in updates]
    shown = [_draft_shown(u) for u in drafts]
    assert all(later.startswith(earlier) for earlier, later in itertools.pairwise(shown)), "the draft grows"
    assert not _is_draft(final)
    stored = h.bot.state.answer(action_values(final.params["blocks"])["feedback_up"])
    assert stored is not None and stored["generated"].startswith(shown[-1])
    # the checked answer, not the draft: its text, its notice, its sources quoted exactly
    seen = texts(final.params["blocks"])
    assert stored["text"] in seen
    if stored["notice"]:
        assert stored["notice"] in seen
    for check in stored["checks"]:
        if not check["supported"]:
            assert check["sentence"].strip() in seen and all(r in seen for r in check["reasons"])
    quotes = quotes_by_source(final.params["blocks"])
    assert quotes == {c["n"]: quoted(c["quote"]) for c in stored["citations"]}
    assert all(in_articles(generative, q) for q in quotes.values())


def test_draft_updates_are_throttled(generative: Assistant, slack: MockSlack) -> None:
    with bot(generative, slack, draft_interval=3600.0) as h:  # nothing after the first words
        _, updates = _asked(h, slack)
    assert [_is_draft(u) for u in updates] == [True, False]
