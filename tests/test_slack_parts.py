"""The bot's parts on their own: rendering, on constructed answers far beyond what the seeds give
(Slack's limits hold for every message, nothing of an answer is lost or cut silently); reading
Slack's messages; its settings, credentials and the redaction of its secrets in logs."""

from __future__ import annotations

import os
import random
import subprocess
import sys

import pytest

from assistant.config import Settings
from assistant.errors import ConfigError
from assistant.interfaces.render import (
    SLACK_MAX_BLOCKS,
    SLACK_MAX_CHARS,
    chat_text,
    quoted,
    searching_text,
    slack_chars,
    slack_messages,
    split_text,
)
from assistant.interfaces.slack.bot import feedback_buttons, is_question, question_text
from assistant.interfaces.slack.server import Credentials
from assistant.interfaces.slack.state import BotState
from assistant.logs import redact
from assistant.models import Answer, Citation

from .conftest import ROOT
from .test_slack import quotes_by_source, texts


def _citation(n: int, quote: str, speaker: str | None = "Jens Stoltenberg") -> Citation:
    return Citation(n, f"doc{n}", f"Title {n} & <co>", f"src/{n}.txt", quote, 0, len(quote), 1.0, "Outlet", speaker)


def _long_answer(rng: random.Random) -> Answer:
    words = ["NATO", "said", "Turkey", "*bold*", "_it_", "S-400", "&", "<@U1>", "missile", "\n"]
    quotes = [" ".join(rng.choice(words) for _ in range(rng.randint(3, 400))) for _ in range(69)]
    quotes.insert(17, "x" * 30_000)  # one quote longer than a whole message
    text = " ".join(f"{q[:80]} [{n}]" for n, q in enumerate(quotes, 1)) * 2
    return Answer("q?", text, [_citation(n, q) for n, q in enumerate(quotes, 1)], False, "q?")


def _rich_texts(blocks: list[dict]) -> list[str]:
    return [e["text"] for b in blocks if b["type"] == "rich_text" for s in b["elements"] for e in s["elements"]]


def test_a_huge_answer_is_split_within_slacks_limits_and_loses_nothing() -> None:
    answer = _long_answer(random.Random(11))
    trailer = [feedback_buttons("a" * 32)]
    messages = slack_messages(answer, trailer, notes=["_a note_"])
    assert len(messages) > 5
    for k, m in enumerate(messages, 1):
        assert len(m["blocks"]) <= SLACK_MAX_BLOCKS and slack_chars(m["blocks"]) <= SLACK_MAX_CHARS
        assert all(len(t) <= 3000 for t in _rich_texts(m["blocks"]))
        if k > 1:
            assert m["text"] == f"Continued: part {k} of {len(messages)}"
            assert texts(m["blocks"][0]) == f"_Continued: part {k} of {len(messages)}_"
        assert (m["blocks"][-1] == trailer[0]) == (k == len(messages))
        body = [b for b in m["blocks"] if b["type"] != "actions"]
        assert body[-1]["type"] not in ("divider", "section"), "a heading must not end a message"
    blocks = [b for m in messages for b in m["blocks"]]
    assert texts(blocks[0]) == "_a note_"
    # the answer's text, whole, before the sources; then every quote, whole and in order
    sources_at = next(i for i, b in enumerate(blocks) if b["type"] == "divider")
    assert "".join(_rich_texts(blocks[:sources_at])) == answer.text
    assert quotes_by_source(blocks) == {c.n: quoted(c.quote) for c in answer.citations}
    assert "[18] continued" in texts(blocks)  # a quote that goes on says so
    assert len(messages[0]["text"]) <= 3000 and messages[0]["text"].endswith("…")


def test_small_limits_still_keep_every_source_whole() -> None:
    answer = Answer("q", "An answer [1] [2] [3].", [_citation(n, f"quote {n} " * 50) for n in (1, 2, 3)], False)
    messages = slack_messages(answer, max_blocks=4, max_chars=1500)
    assert all(len(m["blocks"]) <= 4 and slack_chars(m["blocks"]) <= 1500 for m in messages)
    blocks = [b for m in messages for b in m["blocks"]]
    assert quotes_by_source(blocks) == {c.n: quoted(c.quote) for c in answer.citations}


def test_a_refusal_shows_related_passages_as_not_an_answer() -> None:
    related = [_citation(1, "NATO allies met in Brussels.", speaker=None)]
    refusal = Answer("who won?", "The indexed articles don't answer this.", [], True, related=related)
    (message,) = slack_messages(refusal)
    shown = texts(message["blocks"])
    assert "Sources" not in shown and "[1]" not in shown
    assert "*Related passages*: what the articles do say. _Not an answer._" in shown
    assert "“NATO allies met in Brussels.”" in shown
    assert slack_messages(Answer("q", "No.", [], True))[0]["blocks"][0]["type"] == "rich_text"  # nothing else


def test_split_text_rejoins_exactly() -> None:
    rng = random.Random(3)
    for _ in range(200):
        text = "".join(rng.choice("ab. \n") for _ in range(rng.randint(0, 500))) + "z" * rng.randint(0, 300)
        limit = rng.randint(2, 120)
        pieces = split_text(text, limit)
        assert "".join(pieces) == text and all(0 < len(p) <= limit for p in pieces)


def test_placeholder_counts_articles_with_a_thousands_separator() -> None:
    assert searching_text(2230) == "Searching 2,230 articles…"
    assert searching_text(1) == "Searching 1 article…"


def test_chat_text_stays_under_its_limit_and_names_what_it_left_out() -> None:
    answer = _long_answer(random.Random(5))
    text = chat_text(answer, limit=4000)
    assert len(text) <= 4000
    assert text.rstrip().endswith("characters)") and "more sources not shown" in text
    assert "(answer shortened to fit this chat's 4,000 characters)" in text


def test_question_text_and_what_counts_as_a_question() -> None:
    assert question_text("<@UBOT> what did <@U2> say about <https://x.org|NATO> &amp; <#C1|news>?", "UBOT") == (
        "what did <@U2> say about NATO & #news?"
    )
    person = {"type": "message", "user": "U1", "text": "hi", "ts": "1.0", "channel": "D1", "channel_type": "im"}
    assert is_question(person, "UBOT")
    assert not is_question({**person, "bot_id": "B1"}, "UBOT")
    assert not is_question({**person, "user": "UBOT"}, "UBOT")
    assert not is_question({**person, "subtype": "message_changed"}, "UBOT")
    channel = {**person, "channel": "C1", "channel_type": "channel"}
    assert not is_question(channel, "UBOT")
    assert is_question({**channel, "text": "<@UBOT> hi"}, "UBOT")
    assert not is_question({**channel, "text": "<@UBOTTY> hi"}, "UBOT")
    assert is_question({**channel, "type": "app_mention"}, "UBOT")


def test_credentials_name_what_is_missing_and_never_echo_a_secret() -> None:
    with pytest.raises(ConfigError, match="SLACK_BOT_TOKEN is not set"):
        Credentials.from_env({"SLACK_SIGNING_SECRET": "s3cr3t"})
    with pytest.raises(ConfigError, match="SLACK_SIGNING_SECRET is not set") as missing:
        Credentials.from_env({"SLACK_BOT_TOKEN": "xoxb-1-2-abc"})
    assert "xoxb" not in str(missing.value)
    with pytest.raises(ConfigError, match="must be a bot token") as wrong:
        Credentials.from_env({"SLACK_BOT_TOKEN": "xoxp-user-token-123", "SLACK_SIGNING_SECRET": "s"})
    assert "user-token-123" not in str(wrong.value)
    socket = Credentials.from_env({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1"})
    assert socket.socket_mode and socket.signing_secret is None
    both = Credentials.from_env(
        {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s", "ASSISTANT_WEBHOOK_TOKEN": "a, b"}
    )
    assert not both.socket_mode and both.webhook_tokens == ("a", "b")


def test_rate_limit_setting() -> None:
    assert Settings.load({"slack_rate_limit": "10/minute"}).slack.rate() == (10, 60.0)
    assert Settings.load({"slack_rate_limit": "off"}).slack.rate() is None
    for wrong in ("ten/minute", "10/fortnight", "0/minute", "10"):
        with pytest.raises(ConfigError, match="rate limit must look like 10/minute"):
            Settings.load({"slack_rate_limit": wrong})


def test_slack_secrets_are_redacted_whatever_their_shape(monkeypatch: pytest.MonkeyPatch) -> None:
    secret, webhook = "8f742231b10e8888abcd99yyyzzz85a5", "mm-outgoing-token-1234"
    monkeypatch.setenv("SLACK_SIGNING_SECRET", secret)
    monkeypatch.setenv("ASSISTANT_WEBHOOK_TOKEN", f"{webhook},rc-token-5678")
    line = f"verifying with {secret}; webhook {webhook} or rc-token-5678; xapp-1-A111-3333-x and xoxb-1-2-abc"
    assert (
        redact(line)
        == "verifying with [redacted]; webhook [redacted] or [redacted]; xapp-[redacted] and xoxb-[redacted]"
    )


def test_state_forgets_by_age(tmp_path) -> None:
    now = [1_000_000.0]
    state = BotState(tmp_path, clock=lambda: now[0])
    assert state.first_delivery(["event:E1", "message:C1:1.0"])
    assert not state.first_delivery(["event:E2", "message:C1:1.0"])  # the twin: same message
    answer_id = state.remember_answer({"question": "q"})
    assert state.answer(answer_id) == {"question": "q"}
    assert [state.take_turn("U1", (2, 60.0)) for _ in range(3)] == [None, None, 60.0]
    now[0] += 61
    assert state.take_turn("U1", (2, 60.0)) is None  # a minute later, a new turn
    now[0] += 8 * 86400
    assert state.first_delivery(["event:E3"])  # (a write prunes what is older than a week)
    assert state.first_delivery(["event:E1"])  # forgotten after a week: Slack stopped retrying long ago
    now[0] += 30 * 86400
    assert state.answer(answer_id) is None


def test_state_gives_each_delivery_to_one_process_only(tmp_path) -> None:
    """Four processes race for the same 250 deliveries, each in its own order: every delivery is
    taken by exactly one. A barrier after each one's first claim holds them until all four are
    claiming, so on a loaded machine one cannot take everything before the others start."""
    code = (
        "import pathlib, random, sys, time\n"
        "from assistant.interfaces.slack.state import BotState\n"
        "folder, n = pathlib.Path(sys.argv[1]), int(sys.argv[2])\n"
        "state = BotState(folder)\n"
        "order = [i for i in range(250) if i != n]\n"
        "random.Random(n).shuffle(order)\n"
        "order.insert(0, n)  # each starts on its own delivery, the rest in its own order\n"
        "won = []\n"
        "for k, i in enumerate(order):\n"
        "    if state.first_delivery([f'event:E{i}', f'message:C:{i}']):\n"
        "        won.append(i)\n"
        "    if k == 0:\n"
        "        (folder / f'in{n}').touch()\n"
        "        while len(list(folder.glob('in*'))) < 4:\n"
        "            time.sleep(0.001)\n"
        "print(' '.join(map(str, won)))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    racers = [
        subprocess.Popen([sys.executable, "-c", code, str(tmp_path), str(n)], stdout=subprocess.PIPE, env=env)
        for n in range(4)
    ]
    taken = [[int(i) for i in out.split()] for out, _ in (r.communicate(timeout=120) for r in racers)]
    assert all(r.returncode == 0 for r in racers)
    assert sorted(i for won in taken for i in won) == list(range(250))
    assert [won[0] for won in taken] == [0, 1, 2, 3], "each racer's first claim, before the barrier, is its own"
