"""Slack-style platforms: Mattermost and Rocket.Chat send their outgoing webhooks and slash
commands in Slack's older formats (form-encoded or JSON, with ``token``, ``text``,
``user_name``, ``channel_id``, ``post_id``/``message_id``, ``trigger_word``, ``command``...)
and post the JSON reply they get back. One endpoint, ``POST /compat/webhook``, takes them all.

The reply is the whole answer as one Markdown message (``render.chat_text``), threaded under
the question where the format allows: Mattermost's ``"response_type": "comment"``, Rocket.Chat's
``tmid``; a slash command's reply is ephemeral. A delivery seen before (a platform's retry) gets
the reply already given, not a second answer.
"""

from __future__ import annotations

import hmac
import json
import logging
from collections.abc import Sequence
from typing import Any
from urllib.parse import parse_qs

from ...api import Assistant
from ..render import chat_text
from ..service import ask_typed
from .bot import failure_text
from .state import BotState

log = logging.getLogger(__name__)

USAGE = "Ask me about the news articles, e.g. “What did Stoltenberg say about Turkey?”"


class CompatWebhook:
    """The ``/compat/webhook`` handler: token check, then one answer per delivery."""

    def __init__(
        self, assistant: Assistant, state: BotState, tokens: Sequence[str], rate: tuple[int, float] | None
    ) -> None:
        """``tokens``: the tokens the platforms were given (each outgoing webhook and slash command
        has its own), from ``ASSISTANT_WEBHOOK_TOKEN`` (comma-separated)."""
        if not tokens:
            raise ValueError("the compat webhook needs at least one token")
        self.assistant = assistant
        self.state = state
        self.tokens = [t.encode() for t in tokens]
        self.rate = rate

    def handle(self, body: bytes, content_type: str) -> tuple[int, dict[str, Any]]:
        """(HTTP status, JSON reply) for one request."""
        try:
            fields = parse_body(body, content_type)
        except ValueError as exc:
            return 400, {"text": f"bad request: {exc}"}
        if not self._token_ok(str(fields.get("token") or "")):
            log.warning("compat webhook: a request with a missing or wrong token was refused")
            return 401, {"text": "invalid token"}
        if fields.get("bot"):  # Rocket.Chat marks bots' messages (a bot's answer must not trigger another)
            return 200, {}
        slash = bool(fields.get("command"))
        question = _question(fields)
        if not question:
            return 200, self._reply(fields, slash, USAGE)
        key = _delivery_key(fields)
        if key is not None:
            first, earlier = self.state.reply_for(key)
            if not first:
                log.info("compat webhook: %s delivered again; replying as before", key)
                return 200, json.loads(earlier) if earlier else {}
        user = str(fields.get("user_id") or fields.get("user_name") or "unknown")
        wait = self.state.take_turn(f"compat:{user}", self.rate)
        if wait is not None:
            text = f"You've asked as many questions as I take for now; please ask again in {max(1, round(wait))} s."
        else:
            try:
                text = chat_text(ask_typed(self.assistant, question))
            except Exception as exc:
                log.exception("compat webhook: answering %r failed", question)
                text = failure_text(exc)
        reply = self._reply(fields, slash, text)
        if key is not None:
            self.state.remember_reply(key, json.dumps(reply, ensure_ascii=False))
        return 200, reply

    def _token_ok(self, token: str) -> bool:
        """Constant-time against every configured token (no early exit on a match)."""
        given = token.encode()
        ok = False
        for expected in self.tokens:
            ok |= hmac.compare_digest(given, expected)
        return ok

    @staticmethod
    def _reply(fields: dict[str, Any], slash: bool, text: str) -> dict[str, Any]:
        if slash:
            return {"response_type": "ephemeral", "text": text}
        reply: dict[str, Any] = {"text": text, "response_type": "comment"}  # Mattermost: reply in the thread
        root = fields.get("tmid") or fields.get("message_id")  # Rocket.Chat: the thread, or start one
        if root:
            reply["tmid"] = str(root)
        return reply


def parse_body(body: bytes, content_type: str) -> dict[str, Any]:
    """The fields of a JSON or form-encoded body; ``ValueError`` says why it is neither."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError("the body is not UTF-8") from exc
    if "json" in content_type.lower() or text.lstrip().startswith("{"):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ValueError(f"the body is not valid JSON ({exc.msg} at character {exc.pos})") from exc
        if not isinstance(data, dict):
            raise ValueError("the JSON body must be an object")
        return data
    if "x-www-form-urlencoded" in content_type.lower() or "=" in text:
        return {k: v[0] for k, v in parse_qs(text, keep_blank_values=True).items()}
    raise ValueError("expected a JSON object or form fields (token, text, ...)")


def _question(fields: dict[str, Any]) -> str:
    """The text without the trigger word that fired the webhook ("@news what did...")."""
    text = str(fields.get("text") or "").strip()
    trigger = str(fields.get("trigger_word") or "").strip()
    if trigger and text.lower().startswith(trigger.lower()):
        text = text[len(trigger) :]
    return " ".join(text.lstrip(" :,").split())


def _delivery_key(fields: dict[str, Any]) -> str | None:
    post = fields.get("post_id") or fields.get("message_id")
    if not post:
        return None  # a slash command has no message id: each one is a new request
    return f"compat:{fields.get('channel_id') or ''}:{post}"
