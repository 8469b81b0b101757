"""Settings, with one precedence everywhere:

  explicit arguments (CLI flags, ``Assistant(...)`` keywords)
> environment variables ``ASSISTANT_<NAME>``
> the config file (``ASSISTANT_CONFIG``, else ``./assistant.toml`` if present)
> built-in defaults.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from .errors import ConfigError

ENV_PREFIX = "ASSISTANT_"
DEFAULT_CONFIG_FILE = "assistant.toml"


@dataclass(frozen=True)
class Settings:
    store_dir: str = "vectorstore"
    # chunking: token budget in cl100k_base tokens; the embedding model's 256-wordpiece
    # window is enforced separately, so no chunk is ever cut.
    chunk_tokens: int = 200
    # ingest: texts embedded at once, one per core by default (0)
    embed_workers: int = 0
    # retrieval
    top_k: int = 8
    candidates: int = 40
    dense_weight: float = 1.0
    keyword_weight: float = 1.0
    bigram_weight: float = 0.25
    passage_weight: float = 1.0
    # answering
    answer_sentences: int = 3
    # The learned abstention model answers only when P(answerable) >= this. Its SQuAD-calibrated
    # threshold (0.5-ish) suits SQuAD 2.0's 50% adversarial unanswerables; real questions are
    # mostly answerable, so the product default is lower. "model" uses the model's own threshold.
    abstain_confidence: str = "0.3"
    # loading
    max_file_mb: float = 20.0
    # web page
    host: str = "127.0.0.1"
    port: int = 7860
    auth: str = ""  # "user:password,user2:password2"

    @classmethod
    def load(cls, overrides: dict[str, Any] | None = None, config_file: str | None = None) -> Settings:
        """Build settings from defaults < config file < environment < ``overrides``."""
        values: dict[str, Any] = {}
        values.update(_from_file(config_file))
        values.update(_from_env())
        values.update({k: v for k, v in (overrides or {}).items() if v is not None})
        unknown = set(values) - {f.name for f in fields(cls)}
        if unknown:
            raise ConfigError(f"unknown setting(s): {', '.join(sorted(unknown))}")
        return cls()._with(values)

    def _with(self, values: dict[str, Any]) -> Settings:
        converted = {}
        for f in fields(self):
            if f.name in values:
                converted[f.name] = _convert(f.name, values[f.name], type(getattr(self, f.name)))
        settings = replace(self, **converted)
        settings.validate()
        return settings

    def validate(self) -> None:
        if not 32 <= self.chunk_tokens <= 240:
            raise ConfigError(f"chunk_tokens must be between 32 and 240 (got {self.chunk_tokens})")
        if self.embed_workers < 0:
            raise ConfigError(f"embed_workers must be 0 (one per core) or more (got {self.embed_workers})")
        if self.top_k < 1 or self.candidates < self.top_k:
            raise ConfigError("top_k must be >= 1 and candidates >= top_k")
        if self.answer_sentences < 1:
            raise ConfigError("answer_sentences must be >= 1")
        if self.abstain_confidence != "model" and not 0 <= float(self.abstain_confidence) <= 1:
            raise ConfigError("abstain_confidence must be 'model' or a probability between 0 and 1")
        if self.max_file_mb <= 0:
            raise ConfigError("max_file_mb must be positive")

    def auth_pairs(self) -> list[tuple[str, str]]:
        """Parse ``auth`` ("u:p,u2:p2") into pairs; empty means no login."""
        pairs = []
        for item in filter(None, (p.strip() for p in self.auth.split(","))):
            user, sep, password = item.partition(":")
            if not sep or not user or not password:
                raise ConfigError("ASSISTANT_AUTH must look like 'user:password[,user2:password2]'")
            pairs.append((user, password))
        return pairs


def _from_env() -> dict[str, Any]:
    names = {f.name for f in fields(Settings)}
    out = {}
    for key, value in os.environ.items():
        if key.startswith(ENV_PREFIX):
            name = key[len(ENV_PREFIX) :].lower()
            if name in names:
                out[name] = value
    return out


def _from_file(config_file: str | None) -> dict[str, Any]:
    path_str = config_file or os.environ.get(ENV_PREFIX + "CONFIG")
    explicit = path_str is not None
    path = Path(path_str) if path_str else Path(DEFAULT_CONFIG_FILE)
    if not path.exists():
        if explicit:
            raise ConfigError(f"config file not found: {path}")
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot parse config file {path}: {exc}") from exc
    # allow either top-level keys or an [assistant] table
    return dict(data.get("assistant", data))


def _convert(name: str, value: Any, kind: type) -> Any:
    if isinstance(value, kind):
        return value
    try:
        if kind is bool:
            return str(value).strip().lower() in ("1", "true", "yes", "on")
        return kind(value)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"setting {name!r} expects {kind.__name__}, got {value!r}") from exc
