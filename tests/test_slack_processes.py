"""The bot as operators run it: ``assistant slack`` in its own process, beside the web page on one
store, restarted on the same store, and refusing to start with a clear error (exit 2)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from filelock import FileLock

from assistant.interfaces.service import FeedbackLog

from .conftest import ROOT
from .slack_mock import (
    APP_TOKEN,
    BOT_TOKEN,
    SIGNING_SECRET,
    MockSlack,
    MockSocketMode,
    event_body,
    form,
    new_id,
    new_ts,
    post,
)
from .web_server import free_port, running_app

CLI = [sys.executable, "-c", "from assistant.interfaces.cli import main; main()"]
PATRIOTS = "what did Çavuşoğlu say about Patriots?"
PATRIOT_QUOTE = "Since we could not get the Patriot"


def _env(slack: MockSlack, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "ASSISTANT_"))}
    return {
        **env,
        "PYTHONPATH": str(ROOT),  # this checkout's code, whatever is installed
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "ASSISTANT_SLACK_API_URL": slack.url,
        **extra,
    }


@contextmanager
def bot_process(store: Path, slack: MockSlack, log: Path, *args: str) -> Iterator[str]:
    """``assistant slack`` on ``store`` in HTTP mode on a free port; yields its base URL. Stopped
    with SIGTERM, which it must survive cleanly (exit 0)."""
    port = free_port()
    command = [*CLI, *args, "slack", "--store", str(store), "--port", str(port)]
    with log.open("w") as out:
        proc = subprocess.Popen(command, cwd=ROOT, env=_env(slack), stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"{url}/healthz", timeout=2):
                    break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"the bot did not start ({proc.poll()}):\n{log.read_text()}") from None
                time.sleep(0.2)
        yield url
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            code = proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            raise
    assert code == 0, log.read_text()


def _dm(url: str, question: str, *, channel: str, ts: str, event_id: str, retry: bool = False) -> int:
    event = {"type": "message", "channel_type": "im", "channel": channel, "user": "U0PROC01", "text": question}
    event |= {"ts": ts, "event_ts": ts}
    headers = {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"} if retry else None
    return post(f"{url}/slack/events", event_body(event, event_id), "application/json", headers=headers)[0]


def test_bot_and_web_page_answer_from_one_store_in_separate_processes(fresh_copy: Path, tmp_path: Path) -> None:
    gradio_client = pytest.importorskip("gradio_client")
    with MockSlack() as slack, running_app(fresh_copy, tmp_path / "web.log") as web_url:
        with bot_process(fresh_copy, slack, tmp_path / "bot.log", "--log-level", "debug") as bot_url:
            channel = new_id("D")
            assert _dm(bot_url, PATRIOTS, channel=channel, ts=new_ts(), event_id=new_id("Ev")) == 200
            web = gradio_client.Client(web_url, verbose=False).predict(PATRIOTS, None, api_name="/ask")
            update = slack.wait_for("chat.update", channel=channel)[0]
            assert PATRIOT_QUOTE in web["citations"][0]["quote"]
            assert PATRIOT_QUOTE in json.dumps(update.params["blocks"], ensure_ascii=False)

            # 👍 in Slack goes to the store's feedback file, the one the page's thumbs write
            answer_id = next(b for b in update.params["blocks"] if b["type"] == "actions")["elements"][0]["value"]
            payload = {
                "type": "block_actions",
                "user": {"id": "U0PROC01"},
                "channel": {"id": channel},
                "response_url": slack.response_url("thumbs"),
                "actions": [{"action_id": "feedback_up", "value": answer_id, "type": "button"}],
            }
            post(f"{bot_url}/slack/events", form({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded")
            slack.wait_for_response("thumbs")
            # the page still answers, with the bot's files (state, feedback) beside the store
            again = gradio_client.Client(web_url, verbose=False).predict(
                "How much was the S-400 deal worth?", None, api_name="/ask"
            )
            assert "$2.5 billion" in json.dumps(again)
    record = json.loads((fresh_copy / "feedback.jsonl").read_text(encoding="utf-8").splitlines()[-1])
    assert record["rating"] == "up" and record["question"] == PATRIOTS
    log = (tmp_path / "bot.log").read_text()
    assert "Slack bot listening (5 articles): Slack: http://127.0.0.1:" in log
    assert "DEBUG" in log and "chat.update" in log  # the debug log shows the Web API calls...
    for secret in (BOT_TOKEN, BOT_TOKEN.split("-", 1)[1], SIGNING_SECRET):  # ...never the secrets
        assert secret not in log


def test_a_redelivery_after_a_restart_is_not_answered_again(fresh_copy: Path, tmp_path: Path) -> None:
    channel, ts, event_id = new_id("D"), new_ts(), new_id("Ev")
    with MockSlack() as slack:
        with bot_process(fresh_copy, slack, tmp_path / "first.log") as url:
            assert _dm(url, PATRIOTS, channel=channel, ts=ts, event_id=event_id) == 200
            slack.wait_for("reactions.remove", channel=channel)
        answered = [c.method for c in slack.in_channel(channel)]
        assert answered == ["reactions.add", "chat.postMessage", "chat.update", "reactions.remove"]

        with bot_process(fresh_copy, slack, tmp_path / "second.log") as url:
            assert _dm(url, PATRIOTS, channel=channel, ts=ts, event_id=event_id, retry=True) == 200
            barrier = new_id("D")  # a new question, answered after the redelivery was refused
            assert (
                _dm(url, "How much was the S-400 deal worth?", channel=barrier, ts=new_ts(), event_id=new_id("E"))
                == 200
            )
            slack.wait_for("reactions.remove", channel=barrier)
        assert [c.method for c in slack.in_channel(channel)] == answered


def test_socket_mode_process_answers_and_stops_cleanly(fresh_copy: Path, tmp_path: Path) -> None:
    """``assistant slack`` with SLACK_APP_TOKEN: no HTTP server and no signing secret; Slack's
    traffic over the WebSocket it opens (the URL from apps.connections.open)."""
    log = tmp_path / "socket.log"
    with MockSlack() as slack, MockSocketMode() as socket_server:
        slack.socket_url = socket_server.url
        env = {k: v for k, v in _env(slack, SLACK_APP_TOKEN=APP_TOKEN).items() if k != "SLACK_SIGNING_SECRET"}
        with log.open("w") as out:
            proc = subprocess.Popen(
                [*CLI, "slack", "--store", str(fresh_copy)], cwd=ROOT, env=env, stdout=out, stderr=out
            )
        try:
            channel, ts = new_id("D"), new_ts()
            event = {"type": "message", "channel_type": "im", "channel": channel, "user": "U0SOCK01", "text": PATRIOTS}
            delivery = json.loads(event_body(event | {"ts": ts, "event_ts": ts}, new_id("Ev")))
            envelope = {"envelope_id": "sock-1", "type": "events_api", "accepts_response_payload": False}
            socket_server.send({**envelope, "payload": delivery, "retry_attempt": 0, "retry_reason": ""})
            socket_server.wait_for_ack("sock-1")
            slack.wait_for("reactions.remove", channel=channel)
            assert PATRIOT_QUOTE in json.dumps(slack.calls_to("chat.update", channel=channel)[0].params["blocks"])
            assert slack.calls_to("apps.connections.open")  # with the app token (the mock checks it)
        finally:
            proc.send_signal(signal.SIGTERM)
            code = proc.wait(timeout=60)
    assert code == 0, log.read_text()
    assert "Slack bot connected in Socket Mode (5 articles)" in log.read_text()


def test_feedback_appends_from_two_processes_take_turns(fresh_copy: Path) -> None:
    answer = {"question": "q", "text": "t", "abstained": False, "citations": [{"quote": "x" * 200_000}]}
    code = (
        "import json, sys\n"
        "from assistant.interfaces.service import FeedbackLog\n"
        f"log = FeedbackLog({str(fresh_copy)!r}, lock_timeout=float(sys.argv[1]))\n"
        "answer = {'question': 'q', 'text': 't', 'abstained': False, 'citations': [{'quote': 'x' * 200_000}]}\n"
        "try:\n"
        "    for _ in range(int(sys.argv[2])):\n"
        "        log.record('up', answer)\n"
        "    print('WROTE')\n"
        "except Exception as exc:\n"
        "    print(type(exc).__name__)\n"
    )
    python, env = [sys.executable, "-c", code], {**os.environ, "PYTHONPATH": str(ROOT)}
    feedback = fresh_copy / "feedback.jsonl"
    # while another process holds the lock, an append waits (here: gives up) rather than writing
    with FileLock(str(feedback) + ".lock"):
        held = subprocess.run([*python, "0.3", "1"], capture_output=True, text=True, timeout=120, cwd=ROOT, env=env)
    assert held.stdout.strip() == "Timeout", held.stderr
    assert not feedback.exists() or feedback.read_text() == ""
    writers = [
        subprocess.Popen([*python, "60", "40"], stdout=subprocess.PIPE, text=True, cwd=ROOT, env=env) for _ in range(2)
    ]
    assert [w.communicate(timeout=120)[0].strip() for w in writers] == ["WROTE", "WROTE"]
    FeedbackLog(fresh_copy).record("down", answer)  # and this process, through the same lock
    lines = feedback.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 81 and all(json.loads(line)["citations"] == answer["citations"] for line in lines)


def test_the_bot_refuses_to_start_with_a_clear_error(tmp_path: Path, fresh_copy: Path) -> None:
    with MockSlack() as slack:
        env = _env(slack)

        def start(*args: str, **changes: str | None) -> subprocess.CompletedProcess[str]:
            run_env = {**env, **changes}
            run_env = {k: v for k, v in run_env.items() if v is not None}
            return subprocess.run(
                [*CLI, "slack", *args], cwd=tmp_path, env=run_env, capture_output=True, text=True, timeout=180
            )

        for changes, message in [
            ({"SLACK_BOT_TOKEN": None}, "error: SLACK_BOT_TOKEN is not set"),
            ({"SLACK_SIGNING_SECRET": None}, "error: SLACK_SIGNING_SECRET is not set"),
            ({"SLACK_APP_TOKEN": "xoxb-not-an-app-token"}, "error: SLACK_APP_TOKEN must be an app-level token"),
        ]:
            out = start("--store", str(fresh_copy), **changes)
            assert out.returncode == 2 and out.stderr.strip().startswith(message), out.stderr
        out = start("--store", str(tmp_path / "typo"))
        assert out.returncode == 2 and "error: no store at" in out.stderr and not (tmp_path / "typo").exists()
        out = start("--store", str(fresh_copy), "--rate-limit", "lots")
        assert out.returncode == 2 and "rate limit must look like 10/minute" in out.stderr
        out = start("--store", str(fresh_copy), SLACK_BOT_TOKEN="xoxb-revoked-token")
        assert out.returncode == 2 and "error: Slack refused SLACK_BOT_TOKEN" in out.stderr
        assert "revoked-token" not in out.stderr
        assert "Traceback" not in out.stderr
        assert not (fresh_copy / "slack.sqlite3").exists()  # refused before writing anything beside the store
        out = start("--store", str(fresh_copy), SLACK_APP_TOKEN="xapp-1-revoked-app-token")
        assert out.returncode == 2, out.stderr
        assert "error: Slack refused a Socket Mode connection with SLACK_APP_TOKEN (invalid_auth)" in out.stderr
        assert "revoked-app-token" not in out.stderr
