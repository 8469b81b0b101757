"""Logging for every interface: levelled, optionally one JSON object per line, and never a
secret. Tokens, passwords and API keys are masked in every record, whatever logged them
(our code, Slack's SDK, HTTP clients), because a log is read by more people than a config."""

from __future__ import annotations

import json
import logging
import os
import re
import sys

_SECRETS = [
    re.compile(r"\b(xox[abposr]-|xapp-)[A-Za-z0-9-]+"),  # Slack tokens
    re.compile(r"\bsk-[A-Za-z0-9_-]{8,}"),  # OpenAI-style API keys
    re.compile(r"(?i)\b(bearer)\s+[A-Za-z0-9._~+/=-]+"),
    re.compile(r"(?i)\b(password|passwd|secret|token|api[_-]?key|signing[_-]?secret)(\"?\s*[=:]\s*\"?)[^\s\",;&]+"),
    re.compile(r"(?i)(https?://[^/\s:@]+:)[^@\s/]+(@)"),  # credentials in a URL
]


# whatever these hold is masked wherever it appears, whatever its shape (a signing secret is plain hex)
_SECRET_VARIABLES = (
    "ASSISTANT_AUTH",
    "ASSISTANT_WEBHOOK_TOKEN",
    "SLACK_BOT_TOKEN",
    "SLACK_SIGNING_SECRET",
    "SLACK_APP_TOKEN",
    "OPENAI_API_KEY",
)


def redact(text: str) -> str:
    """``text`` with anything shaped like a token, key or password replaced by ``[redacted]``."""
    text = _SECRETS[0].sub(lambda m: m.group(1) + "[redacted]", text)
    text = _SECRETS[1].sub("sk-[redacted]", text)
    text = _SECRETS[2].sub(lambda m: m.group(1) + " [redacted]", text)
    text = _SECRETS[3].sub(lambda m: m.group(1) + m.group(2) + "[redacted]", text)
    text = _SECRETS[4].sub(lambda m: m.group(1) + "[redacted]" + m.group(2), text)
    for name in _SECRET_VARIABLES:
        for secret in _configured_secrets(os.environ.get(name, "")):
            text = text.replace(secret, "[redacted]")
    return text


def _configured_secrets(value: str) -> list[str]:
    """The secret parts of a configured value ("user:password,user2:pw2" gives the passwords)."""
    parts = [p.split(":", 1)[1] if ":" in p else p for p in value.split(",")]
    return [p for p in parts if len(p) >= 4]


class _Redacting(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage())
        record.args = None
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        return True


class _JSONFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_text:
            entry["exception"] = record.exc_text
        return json.dumps(entry, ensure_ascii=False)


def configure(level: str | None = None, as_json: bool | None = None) -> None:
    """Send logs to stderr at ``level`` (flag > ``ASSISTANT_LOG_LEVEL`` > warning)."""
    level = (level or os.environ.get("ASSISTANT_LOG_LEVEL") or "warning").upper()
    if level not in ("DEBUG", "INFO", "WARNING", "ERROR"):
        from .errors import ConfigError

        raise ConfigError(f"log level must be debug, info, warning or error, not {level.lower()!r}")
    if as_json is None:
        as_json = os.environ.get("ASSISTANT_LOG_JSON", "") not in ("", "0", "false")
    handler = logging.StreamHandler(sys.stderr)
    handler.setLevel(level)  # libraries that set their own loggers' levels lower are held to it too
    handler.addFilter(_Redacting())
    handler.setFormatter(
        _JSONFormatter() if as_json else logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    )
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(level)
