"""Running the bot: the credentials from the environment, one WSGI application for everything
that arrives over HTTP, and ``run`` (what ``assistant slack`` calls).

HTTP mode (no ``SLACK_APP_TOKEN``): Slack's events, ``/ask`` and button clicks all arrive at
``POST /slack/events`` (Bolt's handler, which refuses a missing, wrong or stale signature with
401); ``POST /compat/webhook`` takes Mattermost and Rocket.Chat; ``GET /healthz`` says the bot
is up. Socket Mode (``SLACK_APP_TOKEN`` set): Slack's traffic comes over a WebSocket the bot
opens, and the HTTP server runs only for the compat webhook, when ``ASSISTANT_WEBHOOK_TOKEN``
is set.

The HTTP server is the standard library's WSGI server, one thread per request: Slack sends a
request per question and the work runs after the acknowledgement, so a light server suffices;
``BotServer`` is a plain WSGI application should a larger server be wanted.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from http import HTTPStatus
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from slack_sdk.errors import SlackApiError, SlackClientError

from ...config import Settings
from ...errors import ConfigError
from .bot import SlackBot
from .compat import CompatWebhook

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
COMPAT_PATH = "/compat/webhook"
HEALTH_PATH = "/healthz"
MAX_BODY = 1 << 20  # Slack's payloads are a few kilobytes


@dataclass(frozen=True)
class Credentials:
    """The bot's secrets, read from the environment only (never from settings or files)."""

    bot_token: str
    signing_secret: str | None = None
    app_token: str | None = None
    webhook_tokens: tuple[str, ...] = ()

    @property
    def socket_mode(self) -> bool:
        return self.app_token is not None

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Credentials:
        """Raises ``ConfigError`` naming what is missing or malformed (never echoing a secret)."""
        env = os.environ if env is None else env
        bot = env.get("SLACK_BOT_TOKEN", "").strip()
        app = env.get("SLACK_APP_TOKEN", "").strip() or None
        secret = env.get("SLACK_SIGNING_SECRET", "").strip() or None
        webhook = tuple(t.strip() for t in env.get("ASSISTANT_WEBHOOK_TOKEN", "").split(",") if t.strip())
        if not bot:
            raise ConfigError("SLACK_BOT_TOKEN is not set: the bot's token (xoxb-…) from the app's OAuth page")
        if not bot.startswith("xoxb-"):
            raise ConfigError("SLACK_BOT_TOKEN must be a bot token, starting xoxb-")
        if app is not None and not app.startswith("xapp-"):
            raise ConfigError("SLACK_APP_TOKEN must be an app-level token with connections:write, starting xapp-")
        if app is None and secret is None:
            raise ConfigError(
                "SLACK_SIGNING_SECRET is not set: HTTP mode needs it to verify Slack's requests "
                "(or set SLACK_APP_TOKEN to use Socket Mode)"
            )
        return cls(bot, secret, app, webhook)


class BotServer:
    """The WSGI application: Bolt's handler at ``/slack/events``, the compat webhook, a health check."""

    def __init__(self, bot: SlackBot, *, slack_events: bool = True, compat: CompatWebhook | None = None) -> None:
        """``slack_events=False`` in Socket Mode, where Slack's requests never come over HTTP."""
        from slack_bolt.adapter.wsgi import SlackRequestHandler

        if slack_events and not bot.signing_secret:
            raise ConfigError("HTTP mode needs SLACK_SIGNING_SECRET to verify Slack's requests")
        self.bot = bot
        self.slack = SlackRequestHandler(bot.app, path=EVENTS_PATH) if slack_events else None
        self.compat = compat

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path, method = environ.get("PATH_INFO", ""), environ.get("REQUEST_METHOD", "GET")
        if path == HEALTH_PATH and method == "GET":
            return _json(start_response, 200, {"ok": True, "articles": self.bot.assistant.size()})
        if path not in (EVENTS_PATH, COMPAT_PATH):
            return _json(start_response, 404, {"error": f"no such endpoint: {path}"})
        if method != "POST":
            return _json(start_response, 405, {"error": "POST only"})
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return _json(start_response, 400, {"error": "bad Content-Length"})
        if length > MAX_BODY:
            return _json(start_response, 413, {"error": f"body larger than {MAX_BODY} bytes"})
        if path == EVENTS_PATH:
            if self.slack is None:
                return _json(start_response, 404, {"error": "Slack's events arrive over Socket Mode here"})
            return self.slack(environ, start_response)
        if self.compat is None:
            return _json(start_response, 404, {"error": "the compat webhook is off: set ASSISTANT_WEBHOOK_TOKEN"})
        body = environ["wsgi.input"].read(length) if length else b""
        try:
            status, reply = self.compat.handle(body, environ.get("CONTENT_TYPE", ""))
        except Exception:  # the state file, say: logged here, not printed raw by the WSGI server
            log.exception("the compat webhook failed")
            status, reply = 500, {"text": "⚠️ Something went wrong on the assistant's side; the error is logged."}
        return _json(start_response, status, reply)


class _ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    allow_reuse_address = True


class _LoggingHandler(WSGIRequestHandler):
    """Requests to the log (at info), not to stderr."""

    def log_message(self, format: str, *args: Any) -> None:
        log.info("%s %s", self.address_string(), format % args)


def http_server(app: BotServer, host: str, port: int) -> WSGIServer:
    """The bot's HTTP server, bound (port 0: any free port; see ``server_address``); call
    ``serve_forever()`` to take requests."""
    try:
        return make_server(host, port, app, server_class=_ThreadingWSGIServer, handler_class=_LoggingHandler)
    except OSError as exc:
        raise ConfigError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc


def run(settings: Settings, env: Mapping[str, str] | None = None) -> None:
    """Start the bot as configured and serve until SIGINT or SIGTERM; answers under way finish."""
    from ..service import open_for_serving

    credentials = Credentials.from_env(env)  # before the slow start-up, so a missing token fails at once
    rate = settings.slack.rate()
    assistant = open_for_serving(settings, create=False)
    bot = socket = server = None
    stop = threading.Event()
    try:
        bot = SlackBot(
            assistant,
            bot_token=credentials.bot_token,
            signing_secret=credentials.signing_secret,
            api_url=settings.slack.api_url,
            rate=rate,
        )
        compat = None
        if credentials.webhook_tokens:
            compat = CompatWebhook(assistant, bot.state, credentials.webhook_tokens, rate)
        if credentials.socket_mode:
            socket = bot.socket_mode(credentials.app_token or "")
            try:
                socket.connect()
            except (SlackClientError, OSError) as exc:
                reason = exc.response.get("error") if isinstance(exc, SlackApiError) else exc
                raise ConfigError(f"Slack refused a Socket Mode connection with SLACK_APP_TOKEN ({reason})") from exc
            _say(f"Slack bot connected in Socket Mode ({assistant.size():,} articles)")
        if not credentials.socket_mode or compat is not None:
            app = BotServer(bot, slack_events=not credentials.socket_mode, compat=compat)
            server = http_server(app, settings.slack.host, settings.slack.port)
            host, port = server.server_address[:2]
            urls = [] if credentials.socket_mode else [f"Slack: http://{host}:{port}{EVENTS_PATH}"]
            urls += [f"Mattermost/Rocket.Chat: http://{host}:{port}{COMPAT_PATH}"] if compat else []
            _say(f"Slack bot listening ({assistant.size():,} articles): " + ", ".join(urls))
        running = server
        signal.signal(signal.SIGTERM, lambda *_: stop.set() if running is None else _stop_server(running))
        if server is not None:
            server.serve_forever(poll_interval=0.5)
        else:
            stop.wait()
    except KeyboardInterrupt:
        pass
    finally:
        if socket is not None:
            socket.close()
        if server is not None:
            server.server_close()
        if bot is not None:
            bot.close()
        assistant.close()


def _stop_server(server: WSGIServer) -> None:
    # shutdown() waits for serve_forever to return, which runs on this (the main) thread
    threading.Thread(target=server.shutdown, daemon=True).start()


def _say(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def _json(start_response: Callable[..., Any], status: int, data: dict[str, Any]) -> list[bytes]:
    body = json.dumps(data, ensure_ascii=False).encode("utf-8")
    start_response(
        f"{status} {HTTPStatus(status).phrase}",
        [("Content-Type", "application/json; charset=utf-8"), ("Content-Length", str(len(body)))],
    )
    return [body]
