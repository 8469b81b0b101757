"""The Slack bot end to end: the real Bolt app behind its real HTTP server on loopback, a real
``Assistant`` on a copy of the seeded store, and a local mock of Slack's Web API that records
every call. Requests are signed as Slack signs them; each case has its own channel, and what
the mock received is asserted exactly.

The bot answers after acknowledging, on its own threads: tests poll the mock for the calls they
expect. A case that must produce *no* call ends with ``settle()``: one more question, asked
after it and waited for, so that anything the earlier deliveries had wrongly started would have
reached the mock by then.
"""

from __future__ import annotations

import json
import logging
import shutil
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from assistant import Assistant, Settings
from assistant.interfaces.render import SLACK_MAX_BLOCKS, SLACK_MAX_CHARS, SLACK_MAX_TEXT, quoted, slack_chars
from assistant.interfaces.slack import BotServer, CompatWebhook, SlackBot, http_server
from assistant.interfaces.slack.bot import thread_history
from assistant.models import Answer

from .conftest import ROOT
from .slack_mock import (
    APP_TOKEN,
    BOT_ID,
    BOT_TOKEN,
    BOT_USER,
    SIGNING_SECRET,
    TEAM,
    MockSlack,
    MockSocketMode,
    event_body,
    form,
    new_id,
    new_ts,
    post,
    running,
)

RATE = (3, 3600.0)  # per user; every case but the rate limit's uses fresh users
COMPAT_TOKENS = ("mm-outgoing-token-1234", "rc-integration-token-5678")
PATRIOTS = "what did Çavuşoğlu say about Patriots?"
PATRIOT_QUOTE = "Since we could not get the Patriot"
PATRIOT_TITLE = "NATO says Turkey's purchase of S-400 poses a risk to alliance"
JSON = "application/json"
FORM = "application/x-www-form-urlencoded"


# --- fixtures ----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def store(seeded_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("slack") / "store"
    shutil.copytree(seeded_store, target)
    return target


@pytest.fixture(scope="module")
def slack() -> Iterator[MockSlack]:
    with MockSlack() as mock:
        yield mock


@pytest.fixture(scope="module")
def assistant(store: Path) -> Iterator[Assistant]:
    a = Assistant(store_dir=store, create=False)
    a.warm_up()
    yield a
    a.close()


class Harness:
    """The bot as Slack sees it: its URL, and deliveries signed as Slack signs them."""

    def __init__(self, bot: SlackBot, url: str, slack: MockSlack) -> None:
        self.bot, self.url, self.slack = bot, url, slack
        self.events = f"{url}/slack/events"
        self.compat = f"{url}/compat/webhook"

    def deliver(self, event: dict[str, Any], event_id: str | None = None, **kwargs: Any) -> int:
        return post(self.events, event_body(event, event_id or new_id("Ev")), JSON, **kwargs)[0]

    def dm(self, text: str, *, channel: str | None = None, user: str | None = None) -> tuple[str, str]:
        """A question in a DM; returns (channel, ts)."""
        channel, ts = channel or new_id("D"), new_ts()
        assert self.deliver(message(channel, text, user=user or new_id("U"), ts=ts, channel_type="im")) == 200
        return channel, ts

    def answered(self, channel: str, count: int = 1) -> list[Any]:
        """The answer's updates of the placeholder, once the bot is done (its 👀 taken back)."""
        self.slack.wait_for("reactions.remove", channel=channel)
        return self.slack.wait_for("chat.update", count, channel=channel)

    def settle(self) -> None:
        channel, _ = self.dm("How much was the S-400 deal worth?")
        self.answered(channel)

    def click(self, action_id: str, value: str, *, channel: str, user: str, response: str, ephemeral: bool) -> int:
        payload = {
            "type": "block_actions",
            "user": {"id": user, "username": "ana", "team_id": TEAM},
            "api_app_id": "A0TEST01",
            "token": "legacy-unused",
            "container": {"type": "message", "message_ts": new_ts(), "channel_id": channel, "is_ephemeral": ephemeral},
            "trigger_id": "1.2.3",
            "team": {"id": TEAM, "domain": "test"},
            "channel": {"id": channel, "name": "news"},
            "response_url": self.slack.response_url(response),
            "actions": [
                {
                    "action_id": action_id,
                    "block_id": "answer_actions",
                    "value": value,
                    "type": "button",
                    "action_ts": "1",
                }
            ],
        }
        return post(self.events, form({"payload": json.dumps(payload)}), FORM)[0]

    def command(self, text: str, *, channel: str, user: str, response: str, command: str = "/ask") -> tuple[int, str]:
        fields = {
            "token": "legacy-unused",
            "team_id": TEAM,
            "channel_id": channel,
            "channel_name": "news",
            "user_id": user,
            "user_name": "ana",
            "command": command,
            "text": text,
            "response_url": self.slack.response_url(response),
            "trigger_id": "1.2.3",
        }
        return post(self.events, form(fields), FORM)


@contextmanager
def serving(assistant: Assistant, slack: MockSlack, rate: tuple[int, float] | None = RATE) -> Iterator[Harness]:
    """A bot on ``assistant`` behind its HTTP server on a free loopback port."""
    bot = SlackBot(assistant, bot_token=BOT_TOKEN, signing_secret=SIGNING_SECRET, api_url=slack.url, rate=rate)
    compat = CompatWebhook(assistant, bot.state, COMPAT_TOKENS, rate)
    try:
        with running(lambda: http_server(BotServer(bot, compat=compat), "127.0.0.1", 0)) as server:
            host, port = server.server_address[:2]
            yield Harness(bot, f"http://{host}:{port}", slack)
    finally:
        bot.close()


@pytest.fixture(scope="module")
def h(assistant: Assistant, slack: MockSlack) -> Iterator[Harness]:
    with serving(assistant, slack) as harness:
        yield harness


# --- helpers -----------------------------------------------------------------------------
def mention(channel: str, text: str, *, user: str, ts: str, thread_ts: str | None = None) -> dict[str, Any]:
    event = {"type": "app_mention", "user": user, "text": text, "ts": ts, "channel": channel, "event_ts": ts}
    if thread_ts:
        event["thread_ts"] = thread_ts
    return event


def message(channel: str, text: str, *, user: str | None, ts: str, channel_type: str = "channel", **extra: Any):
    event = {
        "type": "message",
        "text": text,
        "ts": ts,
        "channel": channel,
        "event_ts": ts,
        "channel_type": channel_type,
    }
    if user:
        event["user"] = user
    return {**event, **extra}


def texts(blocks: Any) -> str:
    """Every text in ``blocks``, joined (what a reader sees, without layout)."""
    if isinstance(blocks, dict):
        own = [blocks["text"]] if isinstance(blocks.get("text"), str) else []
        return " ".join(own + [texts(v) for k, v in blocks.items() if k != "text" or not isinstance(v, str)]).strip()
    if isinstance(blocks, list):
        return " ".join(texts(b) for b in blocks).strip()
    return ""


def quotes_by_source(blocks: list[dict[str, Any]]) -> dict[int, str]:
    """Source number -> its quote as shown, with the pieces of a quote continued over blocks joined."""
    found: dict[int, str] = {}
    current = None
    for block in blocks:
        if block.get("type") != "rich_text":
            continue
        for element in block["elements"]:
            if element["type"] == "rich_text_section":
                first = element["elements"][0]["text"]
                if first.startswith("[") and "]" in first:
                    current = int(first[1 : first.index("]")])
            elif element["type"] == "rich_text_quote" and current is not None:
                found[current] = found.get(current, "") + "".join(e["text"] for e in element["elements"])
    return found


def action_values(blocks: list[dict[str, Any]]) -> dict[str, str]:
    return {e["action_id"]: e["value"] for b in blocks if b["type"] == "actions" for e in b["elements"]}


def methods(calls: list[Any]) -> list[str]:
    return [c.method for c in calls]


def in_articles(assistant: Assistant, shown: str) -> bool:
    """Is a quote as shown (in “…” unless it has its own marks) an article's exact words?"""
    corpus = "\n".join(assistant.document_text(d.doc_id) for d in assistant.docs())
    return shown in corpus or (shown.startswith("“") and shown.endswith("”") and shown[1:-1] in corpus)


# --- questions in channels and DMs -------------------------------------------------------
def test_a_mention_gets_one_answer_in_its_thread_quoting_the_articles(h, slack, assistant) -> None:
    channel, user, ts, event_id = new_id("C"), new_id("U"), new_ts(), new_id("Ev")
    text = f"<@{BOT_USER}> {PATRIOTS}"
    assert h.deliver(mention(channel, text, user=user, ts=ts), event_id) == 200
    # Slack sends a mention in a channel twice, as app_mention and as message; and retries
    assert h.deliver(message(channel, text, user=user, ts=ts), new_id("Ev")) == 200
    retry = {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
    assert h.deliver(mention(channel, text, user=user, ts=ts), event_id, headers=retry) == 200

    h.answered(channel)
    h.settle()
    calls = slack.in_channel(channel)
    assert methods(calls) == ["reactions.add", "chat.postMessage", "chat.update", "reactions.remove"]
    react, placeholder, update, unreact = calls
    for reaction in (react, unreact):
        assert [reaction.params[k] for k in ("channel", "timestamp", "name")] == [channel, ts, "eyes"]
    assert placeholder.params["thread_ts"] == ts
    assert placeholder.params["text"] == f"Searching {assistant.size():,} articles…" == "Searching 5 articles…"
    assert update.params["ts"] == placeholder.response["ts"]  # the placeholder itself becomes the answer

    blocks = update.params["blocks"]
    shown = texts(blocks)
    assert (
        PATRIOT_QUOTE in shown and PATRIOT_TITLE in shown and "Duvar English" in shown and "Mevlüt Çavuşoğlu" in shown
    )
    assert "[1]" in update.params["text"]  # the notification fallback is the answer with its markers
    quotes = quotes_by_source(blocks)
    assert sorted(quotes) == list(range(1, len(quotes) + 1)) and len(quotes) >= 1
    assert all(in_articles(assistant, q) for q in quotes.values()), quotes
    assert set(action_values(blocks)) == {"feedback_up", "feedback_down"}


def test_a_dm_is_answered_in_its_thread_and_bots_edits_and_chatter_are_ignored(h, slack) -> None:
    dm, user, other = new_id("D"), new_id("U"), new_id("C")
    ignored = [
        message(dm, "What did Stoltenberg say?", user=BOT_USER, ts=new_ts(), channel_type="im", bot_id=BOT_ID),
        message(dm, "What did Stoltenberg say?", user=None, ts=new_ts(), channel_type="im", subtype="bot_message")
        | {"bot_id": "BOTHER01", "username": "otherbot"},
        message(dm, "What did Stoltenberg say?", user="UOTHERBOT", ts=new_ts(), channel_type="im", bot_id="BOTHER01"),
        message(dm, "", user=None, ts=new_ts(), channel_type="im", subtype="message_changed")
        | {"message": {"type": "message", "user": user, "text": "What did Stoltenberg say?", "ts": new_ts()}},
        message(dm, "", user=None, ts=new_ts(), channel_type="im", subtype="message_deleted"),
        message(other, "What did Stoltenberg say?", user=user, ts=new_ts()),  # no mention in a channel
    ]
    for event in ignored:
        assert h.deliver(event) == 200
    _, ts = h.dm("What did Stoltenberg say about interoperability?", channel=dm, user=user)
    h.answered(dm)
    h.settle()
    calls = slack.in_channel(dm)
    assert methods(calls) == ["reactions.add", "chat.postMessage", "chat.update", "reactions.remove"]
    assert calls[1].params["thread_ts"] == ts and calls[0].params["timestamp"] == ts
    assert "Stoltenberg" in texts(calls[2].params["blocks"])
    assert slack.in_channel(other) == []


def test_a_bare_mention_gets_help_and_a_refusal_says_so_without_sources(h, slack) -> None:
    channel, user, ts = new_id("C"), new_id("U"), new_ts()
    assert h.deliver(mention(channel, f"<@{BOT_USER}>", user=user, ts=ts)) == 200
    help_reply = slack.wait_for("chat.postMessage", channel=channel)[0].params
    assert help_reply["thread_ts"] == ts and help_reply["text"].startswith("Ask me about the news articles")

    dm, _ = h.dm("Who won the 2018 World Cup?")
    shown = texts(h.answered(dm)[0].params["blocks"])
    assert shown.startswith("The indexed articles don't answer this")
    assert "Sources" not in shown and "[1]" not in shown
    assert "*Related passages*: what the articles do say. _Not an answer._" in shown
    h.settle()
    assert methods(slack.in_channel(channel)) == ["chat.postMessage"]  # no 👀, no placeholder: nothing to search


def test_a_follow_up_in_a_thread_uses_the_thread_as_the_conversation(h, slack, assistant) -> None:
    channel, user = new_id("C"), new_id("U")
    root, answer_ts, aside, follow = new_ts(), new_ts(), new_ts(), new_ts()
    earlier = assistant.ask(PATRIOTS).text  # what the bot replied to the thread's first question
    slack.threads[(channel, root)] = [
        {"type": "message", "user": user, "text": f"<@{BOT_USER}> {PATRIOTS}", "ts": root, "thread_ts": root},
        {"type": "message", "user": BOT_USER, "bot_id": BOT_ID, "text": earlier, "ts": answer_ts, "thread_ts": root},
        {"type": "message", "subtype": "bot_message", "bot_id": "BOTHER01", "text": "Build passed.", "ts": aside},
        {"type": "message", "user": user, "text": f"<@{BOT_USER}> and what did he say about sanctions?", "ts": follow},
    ]
    event = mention(
        channel, f"<@{BOT_USER}> and what did he say about sanctions?", user=user, ts=follow, thread_ts=root
    )
    assert h.deliver(event) == 200
    update = h.answered(channel)[0]
    calls = slack.in_channel(channel)
    assert slack.calls_to("conversations.replies", channel=channel)[0].params["ts"] == root
    assert methods(calls) == [
        "reactions.add",
        "chat.postMessage",
        "conversations.replies",
        "chat.update",
        "reactions.remove",
    ]
    assert calls[1].params["thread_ts"] == root  # the reply stays in the thread
    shown = texts(update.params["blocks"])
    assert "I will impose sanctions if you buy" in shown
    assert "Understood as: what did Çavuşoğlu say about sanctions?" in shown
    # without the thread, "he" has nobody to refer to: the history is what answered it
    assert assistant.ask("and what did he say about sanctions?").abstained

    # a thread the bot cannot read (here: one the mock doesn't know) is answered alone, and says so
    lost, asked = new_ts(), new_ts()
    event = mention(
        channel, f"<@{BOT_USER}> What did Stoltenberg say about Turkey?", user=user, ts=asked, thread_ts=lost
    )
    assert h.deliver(event) == 200
    shown = texts(h.answered(channel, count=2)[1].params["blocks"])
    assert "I couldn't read this thread's earlier messages (thread_not_found)" in shown and "Stoltenberg" in shown


def test_thread_history_roles() -> None:
    messages = [
        {"user": "U1", "text": f"<@{BOT_USER}> what did Çavuşoğlu say?", "ts": "1.0"},
        {"user": BOT_USER, "bot_id": BOT_ID, "text": "He said “…” [1]", "ts": "2.0"},
        {"bot_id": "BOTHER01", "subtype": "bot_message", "text": "Build passed.", "ts": "3.0"},
        {"user": "UOTHER", "bot_id": "BOTHER01", "text": "a bot with a user id", "ts": "3.5"},
        {"user": "U1", "subtype": "channel_join", "text": "<@U1> has joined", "ts": "4.0"},
        {"user": "U2", "text": "and &lt;sanctions&gt;?", "ts": "5.0"},
        {"user": "U1", "text": "the question being answered", "ts": "6.0"},
        {"user": "U1", "text": "a later message", "ts": "7.0"},
    ]
    assert thread_history(messages, "6.0", BOT_USER, BOT_ID) == [
        {"role": "user", "content": "what did Çavuşoğlu say?"},
        {"role": "assistant", "content": "He said “…” [1]"},
        {"role": "user", "content": "and <sanctions>?"},
    ]


# --- failures are said, never silent ------------------------------------------------------
class _ExplodingEngine:
    name = "exploding"

    def answer(self, *args: Any) -> Answer:
        raise RuntimeError("engine exploded")


def test_an_assistant_failure_replaces_the_placeholder_and_is_logged(store, slack, caplog) -> None:
    caplog.set_level(logging.ERROR, logger="assistant.interfaces.slack.bot")
    broken = Assistant(store_dir=store, create=False, engine=_ExplodingEngine())
    with serving(broken, slack) as harness:
        channel, ts = harness.dm(PATRIOTS)
        update = harness.answered(channel)[0]
        calls = slack.wait_for("reactions.remove", channel=channel)
    assert update.params["text"] == (
        "⚠️ Something went wrong while answering (RuntimeError); the error is logged. Please try again."
    )
    assert methods(slack.in_channel(channel)) == [
        "reactions.add",
        "chat.postMessage",
        "chat.update",
        "reactions.remove",
    ]
    assert calls[0].params["timestamp"] == ts
    logged = [r for r in caplog.records if r.exc_info and "engine exploded" in str(r.exc_info[1])]
    assert logged, "the exception must be logged"
    broken.close()


class _HeldEngine:
    """The real engine, held at the door until the test lets it answer."""

    name = "held"

    def __init__(self, settings) -> None:
        from assistant import answering

        self.engine = answering.create("extractive", settings.answer)
        self.entered = threading.Event()
        self.release = threading.Event()

    def answer(self, *args: Any) -> Answer:
        self.entered.set()
        assert self.release.wait(120), "never released"
        return self.engine.answer(*args)


def test_the_placeholder_comes_at_once_even_while_every_answering_slot_is_busy(store, slack) -> None:
    settings = Settings.load({"store_dir": str(store)})
    engine = _HeldEngine(settings)
    held = Assistant(settings=settings, engine=engine, create=False)
    bot = SlackBot(held, bot_token=BOT_TOKEN, signing_secret=SIGNING_SECRET, api_url=slack.url, workers=1)
    try:
        with running(lambda: http_server(BotServer(bot), "127.0.0.1", 0)) as server:
            harness = Harness(bot, "http://{}:{}".format(*server.server_address[:2]), slack)
            first, _ = harness.dm(PATRIOTS)
            assert engine.entered.wait(60)  # the only answering slot is taken, and stays taken
            second, _ = harness.dm("How much was the S-400 deal worth?")
            placeholder = slack.wait_for("chat.postMessage", channel=second)[0]
            assert placeholder.params["text"] == "Searching 5 articles…"
            assert slack.calls_to("chat.update", channel=first) == []  # still answering the first
            engine.release.set()
            harness.answered(first)
            assert "$2.5 billion" in texts(harness.answered(second)[0].params["blocks"])
    finally:
        engine.release.set()
        bot.close()
        held.close()


def test_a_question_the_assistant_refuses_is_answered_with_the_reason(h, slack) -> None:
    channel, _ = h.dm("why " * 525)
    update = h.answered(channel)[0]
    assert update.params["text"] == "⚠️ I couldn't answer that: the question is 2099 characters long; the limit is 2000"


def test_filters_written_in_a_question_limit_the_sources(h, slack) -> None:
    # only the Press TV article is dated (27 Apr 2018, estimated from its text)
    channel, _ = h.dm('what did Çavuşoğlu say about sanctions? since:2018 outlet:"press tv"')
    shown = texts(h.answered(channel)[0].params["blocks"])
    assert "I will impose sanctions if you buy" in shown
    assert "Press TV" in shown and "Duvar English" not in shown
    assert "since:" not in shown and "outlet:" not in shown  # the tokens are not part of the question
    channel, _ = h.dm("what did Çavuşoğlu say about sanctions? since:yesterday")
    update = h.answered(channel)[0]
    assert update.params["text"].startswith("⚠️ I couldn't answer that:") and "not a date" in update.params["text"]


def test_slack_refusing_the_answer_is_said_in_the_placeholder(h, slack, caplog) -> None:
    caplog.set_level(logging.ERROR, logger="assistant.interfaces.slack.bot")
    channel = new_id("D")
    slack.fail("chat.update", "invalid_blocks", channel=channel)
    h.dm(PATRIOTS, channel=channel)
    first, second = h.answered(channel, count=2)
    assert "blocks" in first.params and first.response == {"ok": False, "error": "invalid_blocks"}
    assert second.params["text"] == "⚠️ Slack refused my reply (invalid_blocks). The error is logged."
    assert second.params["ts"] == first.params["ts"]
    assert any("invalid_blocks" in r.getMessage() and r.exc_info for r in caplog.records)


# --- requests that must not reach the assistant -------------------------------------------
def test_unsigned_forged_and_stale_requests_get_401(h, slack) -> None:
    channel = new_id("C")
    body = event_body(mention(channel, f"<@{BOT_USER}> {PATRIOTS}", user=new_id("U"), ts=new_ts()), new_id("Ev"))
    now = int(time.time())
    assert post(h.events, body, JSON, signed=False)[0] == 401
    assert post(h.events, body, JSON, secret="not-the-signing-secret")[0] == 401
    assert post(h.events, body, JSON, timestamp=now - 6 * 60)[0] == 401  # a replay of an old request
    assert post(h.events, body, JSON, headers={"X-Slack-Request-Timestamp": str(now + 1)})[0] == 401
    command = {"command": "/ask", "text": PATRIOTS, "channel_id": channel, "user_id": new_id("U")}
    command["response_url"] = slack.response_url("forged-" + channel)
    assert post(h.events, form(command), FORM, secret="wrong")[0] == 401
    click = {"type": "block_actions", "user": {"id": "U1"}, "actions": [{"action_id": "feedback_up", "value": "x"}]}
    click["response_url"] = slack.response_url("forged-" + channel)
    assert post(h.events, form({"payload": json.dumps(click)}), FORM, signed=False)[0] == 401
    h.settle()
    assert slack.in_channel(channel) == [] and slack.responses("forged-" + channel) == []


def test_url_verification_health_and_unknown_paths(h) -> None:
    status, body = post(h.events, json.dumps({"type": "url_verification", "challenge": "c4a11", "token": "x"}), JSON)
    assert status == 200 and "c4a11" in body
    with urllib.request.urlopen(f"{h.url}/healthz", timeout=10) as response:
        assert json.loads(response.read()) == {"ok": True, "articles": 5}
    assert post(f"{h.url}/nowhere", "{}", JSON)[0] == 404


# --- /ask and the buttons -------------------------------------------------------------------
def test_ask_command_answers_only_the_asker_then_posts_to_the_channel(h, slack, assistant) -> None:
    channel, user = new_id("C"), new_id("U")
    status, body = h.command(PATRIOTS, channel=channel, user=user, response="cmd-" + channel)
    assert status == 200 and json.loads(body)["text"] == "Searching 5 articles…"
    reply = slack.wait_for_response("cmd-" + channel)[0].params
    assert reply["response_type"] == "ephemeral" and PATRIOT_QUOTE in texts(reply["blocks"])
    values = action_values(reply["blocks"])
    assert list(values) == ["post_to_channel", "feedback_up", "feedback_down"] and len(set(values.values())) == 1
    assert slack.in_channel(channel) == []  # nobody else has seen it

    assert (
        h.click(
            "post_to_channel",
            values["post_to_channel"],
            channel=channel,
            user=user,
            response="click-" + channel,
            ephemeral=True,
        )
        == 200
    )
    posted = slack.wait_for("chat.postMessage", channel=channel)[0].params
    shown = texts(posted["blocks"])
    assert PATRIOT_QUOTE in shown and f"<@{user}> asked with /ask: “{PATRIOTS}”" in shown
    assert "thread_ts" not in posted and set(action_values(posted["blocks"])) == {"feedback_up", "feedback_down"}
    done = slack.wait_for_response("click-" + channel)[0].params
    assert done["text"] == "Posted to the channel." and done["replace_original"] is True

    # in a conversation the bot is not in, the asker is told why nothing was posted
    elsewhere = new_id("C")
    slack.fail("chat.postMessage", "not_in_channel", channel=elsewhere)
    h.click(
        "post_to_channel",
        values["post_to_channel"],
        channel=elsewhere,
        user=user,
        response="x-" + elsewhere,
        ephemeral=True,
    )
    refused = slack.wait_for_response("x-" + elsewhere)[0].params["text"]
    assert (
        refused == "⚠️ I couldn't post in this conversation (not_in_channel). Invite me to the channel (/invite) first."
    )

    status, body = h.command("", channel=channel, user=user, response="empty-" + channel)
    assert status == 200 and json.loads(body)["text"].startswith("Usage: `/ask QUESTION`")


def test_thumbs_are_stored_in_the_web_pages_feedback_file(h, slack, store) -> None:
    channel, user = new_id("D"), new_id("U")
    h.dm(PATRIOTS, channel=channel, user=user)
    answer_id = action_values(h.answered(channel)[0].params["blocks"])["feedback_up"]
    feedback = store / "feedback.jsonl"
    before = feedback.read_text(encoding="utf-8").splitlines() if feedback.exists() else []

    assert (
        h.click("feedback_down", answer_id, channel=channel, user=user, response="fb-" + channel, ephemeral=False)
        == 200
    )
    assert slack.wait_for_response("fb-" + channel)[0].params["text"] == "Thanks — feedback saved (👎)."
    assert h.click(
        "feedback_up", "no-such-answer", channel=channel, user=user, response="fb2-" + channel, ephemeral=False
    )
    assert "no longer stored" in slack.wait_for_response("fb2-" + channel)[0].params["text"]

    lines = feedback.read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(before) + 1
    record = json.loads(lines[-1])
    # the web page's record: the same keys, written by the same FeedbackLog
    assert set(record) == {"time", "rating", "question", "standalone_question", "answer", "abstained", "citations"}
    assert record["rating"] == "down" and record["question"] == PATRIOTS and record["abstained"] is False
    assert PATRIOT_QUOTE in record["citations"][0]["quote"] and "[1]" in record["answer"]


def test_a_user_asking_too_often_is_told_politely(h, slack) -> None:
    user, channels = new_id("U"), [new_id("D") for _ in range(RATE[0] + 1)]
    for channel in channels:  # one after the other, so which one is refused is known
        h.dm("How much was the S-400 deal worth?", channel=channel, user=user)
        if channel != channels[-1]:
            h.answered(channel)
    refused = slack.wait_for("chat.postEphemeral", channel=channels[-1])[0].params
    h.settle()
    assert refused["user"] == user and "You've asked 3 questions in the last hour" in refused["text"]
    assert methods(slack.in_channel(channels[-1])) == ["chat.postEphemeral"]


# --- a long answer -----------------------------------------------------------------------------
def test_a_long_answer_goes_on_in_the_thread_whole_and_within_slacks_limits(store, slack) -> None:
    question = "What did Stoltenberg say?"
    wordy = Assistant(store_dir=store, create=False, answer_sentences=40)  # every statement he made
    expected = wordy.ask(question)
    with serving(wordy, slack) as harness:
        channel, ts = harness.dm(question)
        harness.answered(channel)
        slack.wait_for("reactions.remove", channel=channel)
    wordy.close()
    calls = slack.in_channel(channel)
    parts = [c.params for c in calls if c.method in ("chat.update", "chat.postMessage") and "blocks" in c.params]
    assert len(parts) >= 2, "the answer should need more than one message"
    assert methods(calls) == ["reactions.add", "chat.postMessage", "chat.update"] + ["chat.postMessage"] * (
        len(parts) - 1
    ) + ["reactions.remove"]
    for k, part in enumerate(parts, 1):
        assert len(part["blocks"]) <= SLACK_MAX_BLOCKS and slack_chars(part["blocks"]) <= SLACK_MAX_CHARS
        for block in part["blocks"]:
            if block["type"] == "section":
                assert len(block["text"]["text"]) <= SLACK_MAX_TEXT
        if k > 1:
            assert part["thread_ts"] == ts and texts(part["blocks"][0]) == f"_Continued: part {k} of {len(parts)}_"
        assert bool(action_values(part["blocks"])) == (k == len(parts))  # the buttons close the answer
    every_block = [b for part in parts for b in part["blocks"]]
    shown = quotes_by_source(every_block)
    assert shown == {c.n: quoted(c.quote) for c in expected.citations}  # every source, whole, in order
    assert len(expected.citations) > 10


# --- Mattermost and Rocket.Chat ---------------------------------------------------------
def test_mattermost_outgoing_webhook_reply_is_threaded_and_given_once(h) -> None:
    fields = {
        "token": COMPAT_TOKENS[0],
        "team_id": "mmteam",
        "team_domain": "news",
        "channel_id": new_id("mm"),
        "channel_name": "town-square",
        "timestamp": "1700000000",
        "user_id": new_id("mmu"),
        "user_name": "ana",
        "post_id": new_id("post"),
        "file_ids": "",
        "text": f"newsbot {PATRIOTS}",
        "trigger_word": "newsbot",
    }
    status, body = post(h.compat, form(fields), FORM, signed=False)
    reply = json.loads(body)
    assert status == 200 and reply["response_type"] == "comment"
    assert PATRIOT_QUOTE in reply["text"] and f"**{PATRIOT_TITLE}** — Duvar English" in reply["text"]
    assert post(h.compat, form(fields), FORM, signed=False) == (200, body)  # redelivered: the same reply
    assert post(h.compat, form({**fields, "token": "guess"}), FORM, signed=False)[0] == 401
    assert post(h.compat, form({k: v for k, v in fields.items() if k != "token"}), FORM, signed=False)[0] == 401
    command = {"token": COMPAT_TOKENS[0], "command": "/news", "text": PATRIOTS, "user_name": "ana", "channel_id": "c"}
    status, body = post(h.compat, form(command), FORM, signed=False)
    assert status == 200 and json.loads(body)["response_type"] == "ephemeral" and PATRIOT_QUOTE in body


def test_rocket_chat_outgoing_webhook_reply_names_the_thread(h) -> None:
    thread = new_id("tm")
    payload = {
        "token": COMPAT_TOKENS[1],
        "bot": False,
        "channel_id": new_id("rc"),
        "channel_name": "general",
        "message_id": new_id("msg"),
        "tmid": thread,
        "timestamp": "2026-11-21T10:00:00.000Z",
        "user_id": new_id("rcu"),
        "user_name": "ana",
        "text": "@newsbot How much was the S-400 deal worth?",
        "trigger_word": "@newsbot",
        "siteUrl": "http://chat.example",
    }
    status, body = post(h.compat, json.dumps(payload), JSON, signed=False)
    reply = json.loads(body)
    assert status == 200 and reply["tmid"] == thread and "$2.5 billion" in reply["text"]
    bot_said = {**payload, "message_id": new_id("msg"), "bot": {"i": "otherbot"}}
    assert post(h.compat, json.dumps(bot_said), JSON, signed=False) == (200, "{}")
    assert post(h.compat, "{not json", JSON, signed=False)[0] == 400


# --- Socket Mode --------------------------------------------------------------------------
def test_socket_mode_answers_events_and_commands_over_the_websocket(assistant, slack) -> None:
    with MockSocketMode() as socket_server:
        slack.socket_url = socket_server.url
        bot = SlackBot(assistant, bot_token=BOT_TOKEN, api_url=slack.url, rate=RATE)  # no signing secret needed
        handler = bot.socket_mode(APP_TOKEN)
        handler.connect()
        try:
            channel, user, ts, event_id = new_id("C"), new_id("U"), new_ts(), new_id("Ev")
            delivery = json.loads(event_body(mention(channel, f"<@{BOT_USER}> {PATRIOTS}", user=user, ts=ts), event_id))
            envelope = {"type": "events_api", "accepts_response_payload": False, "payload": delivery}
            socket_server.send({**envelope, "envelope_id": "env-1", "retry_attempt": 0, "retry_reason": ""})
            socket_server.wait_for_ack("env-1")
            update = slack.wait_for("chat.update", channel=channel)[0]
            assert PATRIOT_QUOTE in texts(update.params["blocks"])
            socket_server.send({**envelope, "envelope_id": "env-2", "retry_attempt": 1, "retry_reason": "timeout"})
            socket_server.wait_for_ack("env-2")

            command = {
                "command": "/ask",
                "text": "How much was the S-400 deal worth?",
                "user_id": user,
                "channel_id": channel,
                "team_id": TEAM,
                "response_url": slack.response_url("socket-" + channel),
            }
            socket_server.send(
                {"envelope_id": "env-3", "type": "slash_commands", "accepts_response_payload": True, "payload": command}
            )
            assert socket_server.wait_for_ack("env-3")["payload"]["text"] == "Searching 5 articles…"
            assert "$2.5 billion" in texts(slack.wait_for_response("socket-" + channel)[0].params["blocks"])

            barrier, barrier_ts = new_id("D"), new_ts()
            dm = json.loads(
                event_body(message(barrier, "What did Stoltenberg say?", user=user, ts=barrier_ts), new_id("Ev"))
            )
            dm["event"]["channel_type"] = "im"
            socket_server.send({**envelope, "payload": dm, "envelope_id": "env-4", "retry_attempt": 0})
            slack.wait_for("chat.update", channel=barrier)
            assert methods(slack.in_channel(channel)) == [
                "reactions.add",
                "chat.postMessage",
                "chat.update",
                "reactions.remove",
            ]
            # in Socket Mode the HTTP server serves only the compat webhook
            compat = CompatWebhook(assistant, bot.state, COMPAT_TOKENS, RATE)
            with running(lambda: http_server(BotServer(bot, slack_events=False, compat=compat), "127.0.0.1", 0)) as web:
                url = "http://{}:{}".format(*web.server_address[:2])
                assert post(f"{url}/slack/events", event_body({}, new_id("Ev")), JSON)[0] == 404
                webhook = {"token": COMPAT_TOKENS[0], "text": PATRIOTS, "post_id": new_id("p"), "channel_id": "c"}
                assert PATRIOT_QUOTE in post(f"{url}/compat/webhook", form(webhook), FORM, signed=False)[1]
        finally:
            handler.close()
            bot.close()


# --- the app manifest -----------------------------------------------------------------------
def test_the_manifest_asks_for_what_the_bot_uses(h) -> None:
    import yaml

    manifest = yaml.safe_load((ROOT / "slack" / "manifest.yml").read_text(encoding="utf-8"))
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    assert {
        "app_mentions:read",
        "chat:write",
        "reactions:write",
        "im:history",
        "channels:history",
        "groups:history",
        "im:read",
        "commands",
    } <= scopes
    settings = manifest["settings"]
    assert set(settings["event_subscriptions"]["bot_events"]) == {"app_mention", "message.im", "message.channels"}
    assert settings["interactivity"]["is_enabled"] is True and settings["socket_mode_enabled"] is True
    for command in manifest["features"]["slash_commands"]:  # every command it declares is one the bot takes
        status, body = h.command("", channel=new_id("C"), user=new_id("U"), response="m", command=command["command"])
        assert status == 200 and json.loads(body)["text"].startswith("Usage:")
