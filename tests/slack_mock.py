"""A local stand-in for Slack, for the bot's tests: its Web API as a real HTTP server on
127.0.0.1 (a random port) that records every call, a Socket Mode WebSocket server, and signed
requests as Slack sends them. Modelled on bolt-python's ``tests/mock_web_api_server`` and
``tests/adapter_tests/socket_mode/mock_socket_mode_server.py``.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

BOT_TOKEN = "xoxb-1111-2222-testbottoken"
APP_TOKEN = "xapp-1-A111-3333-testapptoken"
SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
BOT_USER = "UBOT0001"
BOT_ID = "BBOT0001"
TEAM = "T0TEST01"


@dataclass
class Call:
    """One request the mock received: a Web API method, or a post to a response_url."""

    method: str  # "chat.postMessage"... or "response_url"
    params: dict[str, Any]
    path: str = ""
    response: dict[str, Any] = field(default_factory=dict)  # what the mock answered
    at: float = field(default_factory=time.monotonic)


class MockSlack:
    """Slack's Web API on loopback. ``threads`` feeds ``conversations.replies``; ``fail`` makes a
    method return an error; ``calls`` is everything received, in order."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.threads: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self.socket_url = ""  # what apps.connections.open hands out
        self._failures: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        self._ts = itertools.count(1)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        host, port = self._server.server_address[:2]
        self.base = f"http://{host}:{port}"
        self.url = f"{self.base}/api/"
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def __enter__(self) -> MockSlack:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def response_url(self, name: str) -> str:
        return f"{self.base}/response/{name}"

    def fail(self, method: str, error: str, *, times: int = 1, **match: Any) -> None:
        """The next ``times`` calls of ``method`` whose params include ``match`` answer ``error``."""
        with self._lock:
            self._failures.append({"method": method, "error": error, "times": times, "match": match})

    # --- what tests read -----------------------------------------------------------------
    def calls_to(self, method: str, **match: Any) -> list[Call]:
        with self._lock:
            return [c for c in self.calls if c.method == method and _matches(c.params, match)]

    def responses(self, name: str) -> list[Call]:
        """What arrived at ``response_url(name)``."""
        with self._lock:
            return [c for c in self.calls if c.method == "response_url" and c.path == f"/response/{name}"]

    def wait_for_response(self, name: str, count: int = 1, timeout: float = 90) -> list[Call]:
        deadline = time.monotonic() + timeout
        while len(self.responses(name)) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"{count} post(s) to response_url {name} never arrived")
            time.sleep(0.02)
        return self.responses(name)

    def in_channel(self, channel: str) -> list[Call]:
        """Every call about one channel (a test gives each case its own channel)."""
        with self._lock:
            return [c for c in self.calls if c.params.get("channel") == channel]

    def wait_for(self, method: str, count: int = 1, timeout: float = 90, **match: Any) -> list[Call]:
        """Poll until ``count`` calls of ``method`` matching ``match`` arrived (the bot answers
        after acknowledging, on its own threads); fail with what did arrive."""
        deadline = time.monotonic() + timeout
        while True:
            found = self.calls_to(method, **match)
            if len(found) >= count:
                return found
            if time.monotonic() > deadline:
                raise AssertionError(f"{count} {method} {match} never arrived; got {[c.method for c in self.calls]}")
            time.sleep(0.02)

    # --- the server ----------------------------------------------------------------------
    def _answer(self, method: str, params: dict[str, Any], headers: dict[str, str]) -> dict[str, Any]:
        token = headers.get("authorization", "").removeprefix("Bearer ").strip() or params.get("token", "")
        expected = APP_TOKEN if method == "apps.connections.open" else BOT_TOKEN
        if token != expected:
            return {"ok": False, "error": "invalid_auth"}
        with self._lock:
            for failure in self._failures:
                if failure["method"] == method and failure["times"] > 0 and _matches(params, failure["match"]):
                    failure["times"] -= 1
                    return {"ok": False, "error": failure["error"]}
        if method == "auth.test":
            return {
                "ok": True,
                "url": "https://test.example/",
                "team": "Test",
                "user": "newsbot",
                "team_id": TEAM,
                "user_id": BOT_USER,
                "bot_id": BOT_ID,
            }
        if method == "apps.connections.open":
            return {"ok": True, "url": self.socket_url}
        if method == "chat.postMessage":
            ts = f"{1_800_000_000 + next(self._ts)}.000100"
            return {"ok": True, "channel": params.get("channel"), "ts": ts, "message": {"text": params.get("text")}}
        if method == "chat.update":
            return {"ok": True, "channel": params.get("channel"), "ts": params.get("ts"), "text": params.get("text")}
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": f"{1_800_000_000 + next(self._ts)}.000200"}
        if method in ("reactions.add", "reactions.remove"):
            return {"ok": True}
        if method == "conversations.replies":
            messages = self.threads.get((params.get("channel", ""), params.get("ts", "")))
            if messages is None:
                return {"ok": False, "error": "thread_not_found"}
            return {"ok": True, "messages": messages, "has_more": False}
        return {"ok": False, "error": "unknown_method"}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        mock = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:  # quiet
                pass

            def do_GET(self) -> None:
                self._handle(b"")

            def do_POST(self) -> None:
                self._handle(self.rfile.read(int(self.headers.get("Content-Length") or 0)))

            def _handle(self, body: bytes) -> None:
                url = urlsplit(self.path)
                params: dict[str, Any] = {k: v[0] for k, v in parse_qs(url.query).items()}
                if body:
                    if "json" in (self.headers.get("Content-Type") or ""):
                        params.update(json.loads(body))
                    else:
                        params.update({k: v[0] for k, v in parse_qs(body.decode()).items()})
                for key in ("blocks", "attachments"):
                    if isinstance(params.get(key), str):
                        params[key] = json.loads(params[key])
                headers = {k.lower(): v for k, v in self.headers.items()}
                if url.path.startswith("/response/"):
                    with mock._lock:
                        mock.calls.append(Call("response_url", params, url.path))
                    self._send(200, b"ok", "text/plain")
                    return
                method = url.path.removeprefix("/api/")
                answer = mock._answer(method, params, headers)
                with mock._lock:
                    mock.calls.append(Call(method, params, url.path, answer))
                self._send(200, json.dumps(answer).encode(), "application/json")

            def _send(self, status: int, body: bytes, kind: str) -> None:
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        return Handler


def _matches(params: dict[str, Any], match: dict[str, Any]) -> bool:
    return all(params.get(k) == v for k, v in match.items())


class MockSocketMode:
    """Slack's Socket Mode endpoint: a WebSocket server that pushes envelopes to the connected
    bot and records its acknowledgements (``{"envelope_id": ..., "payload": ...}``)."""

    def __init__(self) -> None:
        from websockets.sync.server import serve

        self.acks: list[dict[str, Any]] = []
        self._connection = None
        self._connected = threading.Event()
        self._server = serve(self._serve, "127.0.0.1", 0)
        port = self._server.socket.getsockname()[1]
        self.url = f"ws://127.0.0.1:{port}/link"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> MockSocketMode:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()

    def _serve(self, connection) -> None:
        self._connection = connection
        self._connected.set()
        for message in connection:
            self.acks.append(json.loads(message))

    def send(self, envelope: dict[str, Any], connect_timeout: float = 120) -> None:
        """Push ``envelope`` to the bot, once it has connected (it connects after its start-up)."""
        if not self._connected.wait(connect_timeout):
            raise AssertionError("the bot never connected to the Socket Mode server")
        self._connection.send(json.dumps(envelope))

    def wait_for_ack(self, envelope_id: str, timeout: float = 30) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for ack in list(self.acks):
                if ack.get("envelope_id") == envelope_id:
                    return ack
            time.sleep(0.02)
        raise AssertionError(f"envelope {envelope_id} was never acknowledged; acks: {self.acks}")


# --- requests as Slack signs them -------------------------------------------------------
def signature(body: str, timestamp: int, secret: str = SIGNING_SECRET) -> str:
    """Slack's request signature, computed here from its definition (not with the SDK the bot uses)."""
    base = f"v0:{timestamp}:{body}".encode()
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


def post(
    url: str,
    body: str,
    content_type: str,
    *,
    signed: bool = True,
    timestamp: int | None = None,
    secret: str = SIGNING_SECRET,
    headers: dict[str, str] | None = None,
) -> tuple[int, str]:
    """POST ``body`` to the bot as Slack would; returns (status, response body)."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    all_headers = {"Content-Type": content_type}
    if signed:
        all_headers["X-Slack-Request-Timestamp"] = str(timestamp)
        all_headers["X-Slack-Signature"] = signature(body, timestamp, secret)
    all_headers.update(headers or {})  # last, so a test can forge any of them
    request = urllib.request.Request(url, data=body.encode(), headers=all_headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def event_body(event: dict[str, Any], event_id: str) -> str:
    """An Events API delivery (``event_callback``) of ``event``."""
    return json.dumps(
        {
            "token": "legacy-unused",
            "team_id": TEAM,
            "api_app_id": "A0TEST01",
            "event": event,
            "type": "event_callback",
            "event_id": event_id,
            "event_time": int(time.time()),
            "authorizations": [{"team_id": TEAM, "user_id": BOT_USER, "is_bot": True}],
        }
    )


def form(fields: dict[str, Any]) -> str:
    return urlencode(fields)


_ids = itertools.count(1)


def new_id(prefix: str) -> str:
    """A fresh Slack-style id ("C0000042"), so each test case has its own channel, user, event."""
    return f"{prefix}{next(_ids):07d}{int(time.time() * 1000) % 100000:05d}"


_stamps = itertools.count(1)


def new_ts() -> str:
    """A fresh message timestamp, later than every one handed out before (but earlier than the
    mock's own, which start at 1,800,000,000)."""
    return f"{1_700_000_000 + next(_stamps)}.000300"


@contextmanager
def running(server_factory: Callable[[], Any]) -> Iterator[Any]:
    server = server_factory()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
