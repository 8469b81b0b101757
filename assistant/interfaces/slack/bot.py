"""The Slack app: Bolt listeners over one ``Assistant``.

A question (a mention in a channel, or any message in a DM) is taken in two steps, because
Slack wants its request acknowledged within 3 seconds and an answer can take longer:

1. on the request (``_gate``, a global middleware): drop what is not a question (bots, edits,
   channel chatter without a mention) and what was already taken (retries, redeliveries, the
   ``message`` twin of an ``app_mention``), then acknowledge;
2. after the acknowledgement (a Bolt lazy listener, on the bot's thread pool): 👀 on the
   question, a "Searching N articles…" placeholder in its thread, the thread's earlier messages
   as the conversation, ``Assistant.ask``, and the placeholder replaced by the answer (long
   answers go on in further thread messages). Any failure is logged and said in the thread.

``/ask`` answers only the asker, with a "Post to channel" button; 👍/👎 on every answer go to
the feedback file the web page writes.
"""

from __future__ import annotations

import functools
import logging
import re
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from slack_bolt import App, BoltResponse
from slack_bolt.error import BoltError
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from ...api import Assistant
from ...errors import AssistantError, ConfigError
from ...logs import redact
from ...models import Answer, Citation, Draft
from ..render import searching_text, slack_draft, slack_escape, slack_messages
from ..service import FeedbackLog, ask_typed, ask_typed_stream
from .state import BotState

log = logging.getLogger(__name__)

FEEDBACK_ACTIONS = {"feedback_up": "up", "feedback_down": "down"}
POST_ACTION = "post_to_channel"
MAX_HISTORY = 20  # earlier thread messages passed as the conversation
# Slack rate-limits chat.update (about one a second per message): a draft is shown at most this often
DRAFT_INTERVAL = 1.0
HELP = (
    "Ask me about the news articles, e.g. “What did Stoltenberg say about Turkey?”. I answer in the thread, "
    "quoting and citing the articles; follow-up questions in the thread use the conversation so far. "
    'Limit a question with `since:2019`, `until:2020-06` or `outlet:"Press TV"`.'
)
USAGE = (
    'Usage: `/ask QUESTION`, e.g. `/ask what did Stoltenberg say about Turkey? since:2019 outlet:"Press TV"` '
    "(only you see the answer)."
)
# message subtypes that are still a person writing; every other subtype (edits, deletions, joins,
# bot_message...) is not a question
_PERSON_SUBTYPES = (None, "thread_broadcast", "file_share")
_MENTION = re.compile(r"<@([A-Z0-9]+)(?:\|[^>]*)?>")
_LINK = re.compile(r"<((?:https?|mailto):[^|>]+)(?:\|([^>]*))?>")
_CHANNEL = re.compile(r"<#[A-Z0-9]+\|([^>]*)>")
# what a Web API call may raise: Slack's refusal (SlackApiError), or no answer at all
_SLACK_FAILURES = (SlackClientError, OSError)


@dataclass(frozen=True)
class Where:
    """A thread: where the question was asked and every reply to it goes."""

    channel: str
    thread_ts: str


class SlackBot:
    """The Bolt ``App`` and its listeners; ``app`` is served over HTTP (``server.BotServer``) or
    Socket Mode (``socket_mode``)."""

    def __init__(
        self,
        assistant: Assistant,
        *,
        bot_token: str,
        signing_secret: str | None = None,
        api_url: str = "",
        rate: tuple[int, float] | None = None,
        workers: int = 4,
        draft_interval: float = DRAFT_INTERVAL,
    ) -> None:
        """``signing_secret`` is required to take Slack's HTTP requests (Socket Mode needs none);
        ``api_url`` is Slack's Web API base URL (empty: Slack's own); ``rate`` is (questions,
        seconds) per user; ``workers`` answers are computed at once; a generated answer's draft
        updates the placeholder at most once every ``draft_interval`` seconds. Raises ``ConfigError`` when
        Slack refuses the token or can't be reached."""
        self.assistant = assistant
        self.rate = rate
        self.draft_interval = draft_interval
        self.signing_secret = signing_secret
        # the work after each acknowledgement runs on this pool; its threads outnumber the answers
        # computed at once (``workers``, as many as the web page's), so that 👀 and the placeholder
        # appear at once even while every answering slot is busy
        self.executor = ThreadPoolExecutor(max_workers=4 * workers, thread_name_prefix="slack-bot")
        self._answering = threading.BoundedSemaphore(workers)
        # with the default URL, Bolt makes its client from the token (a client given as well would
        # make it warn that SLACK_BOT_TOKEN in the environment goes unused)
        connection: dict[str, Any] = {"token": bot_token}
        if api_url:
            connection = {"client": WebClient(token=bot_token, base_url=api_url.rstrip("/") + "/")}
            logging.getLogger("slack_bolt.App").addFilter(_client_given_as_well)
        try:
            self.app = App(
                **connection,
                signing_secret=signing_secret or "",
                # acknowledge only after the gate has recorded the delivery; the work is lazy
                process_before_response=True,
                request_verification_enabled=signing_secret is not None,
                listener_executor=self.executor,
            )
        except BoltError as exc:  # auth.test said no
            self.executor.shutdown(wait=False)
            raise ConfigError(f"Slack refused SLACK_BOT_TOKEN: {redact(str(exc))}") from exc
        except OSError as exc:
            self.executor.shutdown(wait=False)
            raise ConfigError(f"cannot reach Slack's Web API at {api_url or WebClient.BASE_URL}: {exc}") from exc
        # only once Slack has accepted the token: a bot refused at start-up leaves nothing behind
        store_dir = Path(assistant.settings.store.dir)
        self.state = BotState(store_dir)
        self.feedback = FeedbackLog(store_dir)
        self.app.use(self._gate)
        for event in ("app_mention", "message"):
            self.app.event(event)(ack=_acknowledge, lazy=[_logged(self._answer_event)])
        self.app.command("/ask")(ack=self._acknowledge_command, lazy=[_logged(self._answer_command)])
        for action in FEEDBACK_ACTIONS:
            self.app.action(action)(ack=_acknowledge, lazy=[_logged(self._record_feedback)])
        self.app.action(POST_ACTION)(ack=_acknowledge, lazy=[_logged(self._post_to_channel)])

    def socket_mode(self, app_token: str):
        """A Socket Mode connection for this app (``connect()`` it, ``close()`` it): events come
        over a WebSocket that the bot opens, so no public URL is needed."""
        from slack_bolt.adapter.socket_mode import SocketModeHandler

        return SocketModeHandler(self.app, app_token=app_token)

    def close(self) -> None:
        """Finish the answers under way, then stop."""
        self.executor.shutdown(wait=True)

    # --- events ---------------------------------------------------------------------------
    def _gate(self, body: dict[str, Any], context, next, ack) -> BoltResponse | None:
        """Let through only new questions: everything else is acknowledged and dropped here,
        before any listener runs, so it can never be answered."""
        event = body.get("event") if body.get("type") == "event_callback" else None
        if not isinstance(event, dict) or event.get("type") not in ("app_mention", "message"):
            return next()
        if not is_question(event, context.bot_user_id):
            log.debug("not a question: %s event, subtype %s", event.get("type"), event.get("subtype"))
            return ack()
        keys = [f"message:{event.get('channel')}:{event.get('ts')}"]  # the same for an app_mention and its twin
        if body.get("event_id"):
            keys.append(f"event:{body['event_id']}")
        if not self.state.first_delivery(keys):
            log.info("already taken: event %s (%s), not answered again", body.get("event_id"), event.get("type"))
            return ack()
        return next()

    def _answer_event(self, body: dict[str, Any], client: WebClient, context) -> None:
        event = body["event"]
        where = Where(event["channel"], event.get("thread_ts") or event["ts"])
        question = question_text(event.get("text") or "", context.bot_user_id)
        if not question:
            self._post(client, where, text=HELP)
            return
        wait = self.state.take_turn(f"slack:{event['user']}", self.rate)
        if wait is not None:
            self._call(
                client.chat_postEphemeral,
                channel=where.channel,
                user=event["user"],
                thread_ts=where.thread_ts,
                text=_slow_down(self.rate, wait),
            )
            return
        reacted = self._call(client.reactions_add, channel=where.channel, timestamp=event["ts"], name="eyes")
        try:
            placeholder = self._post(client, where, text=searching_text(self.assistant.size()))
            if placeholder is None:
                return  # Slack refused the placeholder (logged): nowhere to answer
            notes: list[str] = []
            history = self._history(client, event, context, notes)
            try:
                with self._answering:
                    answer = self._stream(
                        client, where, placeholder, ask_typed_stream(self.assistant, question, history)
                    )
            except Exception as exc:
                log.exception("answering %r in %s failed", question, where.channel)
                self._replace(client, where, placeholder, {"text": failure_text(exc)})
                return
            answer_id = self.state.remember_answer(answer.to_dict())
            parts = slack_messages(answer, [feedback_buttons(answer_id)], notes=notes)
            self._deliver(client, where, placeholder, parts)
        finally:
            if reacted:
                self._call(client.reactions_remove, channel=where.channel, timestamp=event["ts"], name="eyes")

    def _stream(self, client: WebClient, where: Where, placeholder: str, events) -> Answer:
        """Show a generated answer's draft in the placeholder as it is written (the first words
        at once, then at most once every ``draft_interval`` seconds: Slack rate-limits
        chat.update), and return the checked answer, which the caller puts in its place. A
        refused draft update is logged and the answer goes on."""
        draft: list[str] = []
        shown_at = None
        for event in events:
            if not isinstance(event, Draft):
                return event
            draft.append(event.text)
            now = time.monotonic()
            if shown_at is None or now - shown_at >= self.draft_interval:
                shown_at = now
                self._call(client.chat_update, channel=where.channel, ts=placeholder, **slack_draft("".join(draft)))
        raise RuntimeError("the answer stream ended without an answer")

    def _history(self, client: WebClient, event: dict[str, Any], context, notes: list[str]) -> list[dict[str, str]]:
        """The thread's earlier messages as the conversation: the bot's own are the assistant's,
        people's are the user's; other bots' are left out."""
        thread_ts = event.get("thread_ts")
        if not thread_ts or thread_ts == event["ts"]:
            return []
        messages: list[dict[str, Any]] = []
        cursor = None
        try:
            for _ in range(5):  # up to 1,000 messages; only the last few are used
                page = client.conversations_replies(channel=event["channel"], ts=thread_ts, limit=200, cursor=cursor)
                messages += page.get("messages") or []
                cursor = (page.get("response_metadata") or {}).get("next_cursor")
                if not cursor:
                    break
        except _SLACK_FAILURES as exc:
            error = _reason(exc)
            log.warning("cannot read thread %s in %s (%s): answering without it", thread_ts, event["channel"], error)
            notes.append(f"_I couldn't read this thread's earlier messages ({error}), so I answered this on its own._")
            return []
        return thread_history(messages, event["ts"], context.bot_user_id, context.bot_id)

    def _deliver(self, client: WebClient, where: Where, placeholder: str, parts: list[dict[str, Any]]) -> None:
        """The first part replaces the placeholder; the others follow it in the thread."""
        if self._replace(client, where, placeholder, parts[0]):
            self._deliver_rest(client, where, parts)

    def _deliver_rest(self, client: WebClient, where: Where, parts: list[dict[str, Any]]) -> None:
        """Parts 2, 3... of an answer in its thread; a part Slack refuses is said, not skipped."""
        for k, part in enumerate(parts[1:], 2):
            if self._post(client, where, **part) is None:
                self._post(client, where, text=f"⚠️ Part {k} of {len(parts)} could not be posted; the error is logged.")
                return

    def _replace(self, client: WebClient, where: Where, ts: str, message: dict[str, Any]) -> bool:
        """Update the placeholder; if Slack refuses, say so in it (or under it) rather than
        leave "Searching…" standing."""
        try:
            client.chat_update(channel=where.channel, ts=ts, **message)
            return True
        except _SLACK_FAILURES as exc:
            error = _reason(exc)
            log.exception("Slack refused to update message %s in %s (%s)", ts, where.channel, error)
        text = f"⚠️ Slack refused my reply ({error}). The error is logged."
        try:
            client.chat_update(channel=where.channel, ts=ts, text=text)
        except _SLACK_FAILURES:
            log.exception("Slack refused the error note too; posting it as a new message")
            self._post(client, where, text=text)
        return False

    def _post(self, client: WebClient, where: Where, **message: Any) -> str | None:
        """Post in the thread; returns the new message's ts, or None (logged) if Slack refused."""
        try:
            return client.chat_postMessage(channel=where.channel, thread_ts=where.thread_ts, **message)["ts"]
        except _SLACK_FAILURES as exc:
            log.exception("Slack refused a message in %s (%s)", where.channel, _reason(exc))
            return None

    @staticmethod
    def _call(method, **kwargs: Any) -> bool:
        """A Web API call whose failure must not stop the answer (a reaction, a notice): logged."""
        try:
            method(**kwargs)
            return True
        except _SLACK_FAILURES as exc:
            log.exception("Slack refused %s (%s)", method.__name__, _reason(exc))
            return False

    # --- /ask -----------------------------------------------------------------------------
    def _acknowledge_command(self, ack, command: dict[str, Any]) -> None:
        if not question_text(command.get("text") or "", None):
            ack(text=USAGE, response_type="ephemeral")
        else:
            ack(text=searching_text(self.assistant.size()), response_type="ephemeral")

    def _answer_command(self, command: dict[str, Any], respond) -> None:
        """Answer only the asker (ephemeral, through the command's response_url)."""
        question = question_text(command.get("text") or "", None)
        if not question:
            return
        wait = self.state.take_turn(f"slack:{command['user_id']}", self.rate)
        if wait is not None:
            _respond(respond, text=_slow_down(self.rate, wait))
            return
        try:
            with self._answering:
                answer = ask_typed(self.assistant, question)
        except Exception as exc:
            log.exception("answering /ask %r failed", question)
            _respond(respond, text=failure_text(exc))
            return
        answer_id = self.state.remember_answer(answer.to_dict())
        for part in slack_messages(answer, [feedback_buttons(answer_id, post_button=True)]):
            if not _respond(respond, **part):
                _respond(respond, text="⚠️ Slack refused part of this answer; the error is logged.")
                return

    # --- buttons --------------------------------------------------------------------------
    def _record_feedback(self, body: dict[str, Any], respond) -> None:
        """👍/👎: one line in the feedback file, as the web page's thumbs write it."""
        action = body["actions"][0]
        rating = FEEDBACK_ACTIONS[action["action_id"]]
        answer = self.state.answer(action.get("value") or "")
        if answer is None:
            _respond(respond, text="That answer is no longer stored (answers are kept 30 days); feedback not saved.")
            return
        try:
            self.feedback.record(rating, answer)
        except Exception:
            log.exception("recording feedback in %s failed", self.feedback.path)
            _respond(respond, text="⚠️ Your feedback could not be saved; the error is logged.")
            return
        _respond(respond, text=f"Thanks — feedback saved ({'👍' if rating == 'up' else '👎'}).")

    def _post_to_channel(self, body: dict[str, Any], client: WebClient, respond) -> None:
        """Post an ``/ask`` answer, seen so far by its asker only, to the channel for everyone."""
        action = body["actions"][0]
        data = self.state.answer(action.get("value") or "")
        if data is None:
            _respond(respond, text="That answer is no longer stored (answers are kept 30 days); ask again.")
            return
        answer = answer_from_dict(data)
        user, channel = body["user"]["id"], (body.get("channel") or {}).get("id")
        note = f"<@{user}> asked with /ask: “{slack_escape(answer.question)}”"
        parts = slack_messages(answer, [feedback_buttons(action["value"])], notes=[note])
        try:
            ts = client.chat_postMessage(channel=channel, **parts[0])["ts"]
        except _SLACK_FAILURES as exc:
            error = _reason(exc)
            log.exception("posting an answer to %s failed (%s)", channel, error)
            hint = (
                " Invite me to the channel (/invite) first." if error in ("not_in_channel", "channel_not_found") else ""
            )
            _respond(respond, text=f"⚠️ I couldn't post in this conversation ({error}).{hint}")
            return
        self._deliver_rest(client, Where(channel, ts), parts)
        _respond(respond, text="Posted to the channel.", replace_original=True)


def is_question(event: dict[str, Any], bot_user_id: str | None) -> bool:
    """Is this event a person asking the bot? A mention anywhere, or any message in a DM; never
    a bot's message (this bot's or another's), an edit, a deletion or other housekeeping."""
    if event.get("bot_id") or event.get("bot_profile") or event.get("subtype") not in _PERSON_SUBTYPES:
        return False
    if not event.get("user") or event.get("user") == bot_user_id or not event.get("channel") or not event.get("ts"):
        return False
    if event.get("type") == "app_mention" or event.get("channel_type") == "im":
        return True
    return bool(bot_user_id) and any(m.group(1) == bot_user_id for m in _MENTION.finditer(event.get("text") or ""))


def thread_history(
    messages: list[dict[str, Any]], before_ts: str, bot_user_id: str | None, bot_id: str | None
) -> list[dict[str, str]]:
    """A thread's messages older than ``before_ts`` as the conversation for ``Assistant.ask``: this
    bot's messages are the assistant's, people's the user's (mention removed); other bots',
    edits and housekeeping are left out. The last ``MAX_HISTORY`` are kept."""
    history = []
    for m in sorted(messages, key=lambda m: _ts(m.get("ts"))):
        if _ts(m.get("ts")) >= _ts(before_ts):
            continue
        if (bot_id and m.get("bot_id") == bot_id) or (bot_user_id and m.get("user") == bot_user_id):
            role, text = "assistant", m.get("text") or ""
        elif m.get("bot_id") or m.get("subtype") not in _PERSON_SUBTYPES or not m.get("user"):
            continue
        else:
            role, text = "user", question_text(m.get("text") or "", bot_user_id)
        if text:
            history.append({"role": role, "content": text})
    return history[-MAX_HISTORY:]


def question_text(text: str, bot_user_id: str | None) -> str:
    """A Slack message as a question: the bot's mention removed, links and channels as their
    names, Slack's &amp; &lt; &gt; decoded."""
    text = _MENTION.sub(lambda m: "" if m.group(1) == bot_user_id else m.group(0), text)
    text = _LINK.sub(lambda m: m.group(2) or m.group(1), text)
    text = _CHANNEL.sub(lambda m: f"#{m.group(1)}", text)
    text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    return " ".join(text.split())


def failure_text(exc: BaseException) -> str:
    """What the thread is told when answering failed: the reason when it is the user's to fix,
    a plain apology otherwise (the details are in the log)."""
    if isinstance(exc, AssistantError):
        return f"⚠️ I couldn't answer that: {exc}"
    return f"⚠️ Something went wrong while answering ({type(exc).__name__}); the error is logged. Please try again."


def feedback_buttons(answer_id: str, *, post_button: bool = False) -> dict[str, Any]:
    """The actions block under an answer; every button carries the stored answer's id."""
    buttons = [
        _button("👍 Helpful", "feedback_up", answer_id),
        _button("👎 Not helpful", "feedback_down", answer_id),
    ]
    if post_button:
        buttons.insert(0, _button("Post to channel", POST_ACTION, answer_id, style="primary"))
    return {"type": "actions", "block_id": "answer_actions", "elements": buttons}


def answer_from_dict(data: dict[str, Any]) -> Answer:
    """An ``Answer`` back from ``Answer.to_dict()`` (as the state keeps it)."""
    fields = dict(data)
    fields["citations"] = [Citation(**c) for c in data.get("citations", [])]
    fields["related"] = [Citation(**c) for c in data.get("related", [])]
    return Answer(**fields)


def _button(label: str, action_id: str, value: str, style: str | None = None) -> dict[str, Any]:
    button = {"type": "button", "text": {"type": "plain_text", "text": label}, "action_id": action_id, "value": value}
    if style:
        button["style"] = style
    return button


def _slow_down(rate: tuple[int, float] | None, wait: float) -> str:
    count, window = rate or (0, 0)
    period = {1.0: "second", 60.0: "minute", 3600.0: "hour", 86400.0: "day"}.get(window, f"{window:g} seconds")
    return (
        f"You've asked {count} questions in the last {period}, which is as many as I take. "
        f"Please ask again in {max(1, round(wait))} seconds."
    )


def _respond(respond, **message: Any) -> bool:
    """A reply through the response_url (ephemeral unless said otherwise); False if refused (logged)."""
    message.setdefault("response_type", "ephemeral")
    message.setdefault("replace_original", False)
    try:
        response = respond(**message)
    except Exception:
        log.exception("replying through the response_url failed")
        return False
    if response is not None and getattr(response, "status_code", 200) != 200:
        log.error("the response_url refused a reply: %s %s", response.status_code, getattr(response, "body", ""))
        return False
    return True


def _client_given_as_well(record: logging.LogRecord) -> bool:
    """Drop Bolt's warning that SLACK_BOT_TOKEN in the environment goes unused when a client is
    given: with a custom API URL the client is made from that same token."""
    return "`token` will be unused" not in record.getMessage()


def _logged(listener: Callable[..., None]) -> Callable[..., None]:
    """A lazy listener whose failure is logged with its traceback (Bolt logs one line, without)."""

    @functools.wraps(listener)  # Bolt reads the listener's parameters through this
    def run(**kwargs: Any) -> None:
        try:
            listener(**kwargs)
        except Exception:
            log.exception("the Slack %s listener failed", listener.__name__)

    return run


def _reason(exc: BaseException) -> str:
    """Slack's error code ("not_in_channel"), or what went wrong on the way to Slack."""
    if isinstance(exc, SlackApiError):
        return str(exc.response.get("error"))
    return f"{type(exc).__name__}: {exc}"


def _acknowledge(ack) -> None:
    ack()


def _ts(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0
