"""Settings, grouped by concern (``[store]``, ``[search]``, ``[answer]``, ``[llm]``, ``[web]``,
``[slack]``), with one precedence everywhere:

  explicit arguments (CLI flags, ``Assistant(...)`` keywords)
> environment variables ``ASSISTANT_<NAME>``
> the config file (``ASSISTANT_CONFIG``, else ``./assistant.toml`` if present)
> built-in defaults.

Every setting has one flat name (``top_k``, ``store_dir``...) that works as a keyword, an
environment variable and a top-level config key, as it always has; in the config file it may
also sit in its section (``[search] top_k = 5``). A new concern (``[slack]``, ``[llm]``,
``[chroma]``) adds a section class and its entries in ``_FIELDS``.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from .errors import ConfigError

ENV_PREFIX = "ASSISTANT_"
DEFAULT_CONFIG_FILE = "assistant.toml"


@dataclass(frozen=True)
class StoreSettings:
    dir: str = "vectorstore"
    # chunking: token budget in cl100k_base tokens; the embedding model's 256-wordpiece
    # window is enforced separately, so no chunk is ever cut.
    chunk_tokens: int = 200
    # ingest: texts embedded at once, one per core by default (0)
    embed_workers: int = 0
    max_file_mb: float = 20.0
    # a Chroma server (http://host:port) holding the whole store, shared by every process on
    # every machine; empty: the embedded store in ``dir``. ``dir`` then only caches.
    chroma_url: str = ""
    chroma_prefix: str = "news"  # the store's collections on the server are <prefix>-chunks, ...


@dataclass(frozen=True)
class SearchSettings:
    top_k: int = 8  # chunks passed to the answer engine
    candidates: int = 40  # chunks taken from each search before fusion
    dense_weight: float = 1.0
    keyword_weight: float = 1.0
    bigram_weight: float = 0.25
    passage_weight: float = 1.0


@dataclass(frozen=True)
class AnswerSettings:
    engine: str = "extractive"
    sentences: int = 3  # most passages quoted in one answer
    # The learned abstention model answers only when P(answerable) >= this. Its SQuAD-calibrated
    # threshold (0.5-ish) suits SQuAD 2.0's 50% adversarial unanswerables; real questions are
    # mostly answerable, so the product default is lower. None: the model's own threshold
    # (written "model" in a flag, variable or config file).
    abstain_confidence: float | None = 0.3


@dataclass(frozen=True)
class LLMSettings:
    """The model behind a generative engine: an OpenAI-compatible endpoint (engine ``openai``) or a
    GGUF file run in this process (engine ``local``). The API key is read like any setting but is
    kept out of ``repr`` (and so out of logs and error messages)."""

    base_url: str = ""  # openai: http(s)://host:port/v1 of any OpenAI-compatible chat endpoint
    model: str = ""  # openai: the model name the endpoint expects
    api_key: str = field(default="", repr=False)
    gguf: str = ""  # local: path of a .gguf file, or the name of a bundled model (smollm2, gemma3)
    timeout: float = 30.0  # seconds to wait for the model before answering extractively instead
    max_tokens: int = 256  # most tokens the model may write for one answer
    # passages packed into the prompt, counted with tiktoken; 0 = automatic (400 for a bundled model
    # run locally, else 1,200: answering/llm.context_budget)
    context_tokens: int = 0
    temperature: float = 0.0
    threads: int = 0  # local: CPU threads reading the prompt, 0 = one per core
    # local: CPU threads writing the answer, 0 = automatic (one for a model file under 1 GiB, else as
    # ``threads``): a small model's token is too little work to share, and the threads' waiting on
    # each other costs more than the second core gives (SmolLM2-135M: 56 tok/s on one, 23 on two)
    generation_threads: int = 0
    # the checker's optional stronger test: the folder of an ONNX NLI model (answering/nli.py)
    nli_model: str = ""


@dataclass(frozen=True)
class WebSettings:
    host: str = "127.0.0.1"
    port: int = 7860
    auth: str = ""  # "user:password,user2:password2"

    def auth_pairs(self) -> list[tuple[str, str]]:
        """Parse ``auth`` ("u:p,u2:p2") into pairs; empty means no login."""
        pairs = []
        for item in filter(None, (p.strip() for p in self.auth.split(","))):
            user, sep, password = item.partition(":")
            if not sep or not user or not password:
                raise ConfigError("ASSISTANT_AUTH must look like 'user:password[,user2:password2]'")
            pairs.append((user, password))
        return pairs


@dataclass(frozen=True)
class SlackSettings:
    """The Slack bot's own settings; its tokens and secrets are read from the environment only
    (``SLACK_BOT_TOKEN``...), never from here, so a config file never holds one."""

    host: str = "127.0.0.1"  # HTTP mode: where Slack's requests (and the compat webhook) arrive
    port: int = 3000
    rate_limit: str = "10/minute"  # questions per user: "N/second|minute|hour", or "off"
    api_url: str = ""  # Slack's Web API base URL; empty: Slack's own (a local mock in tests)

    def rate(self) -> tuple[int, float] | None:
        """``rate_limit`` as (questions, seconds), or None when off."""
        text = self.rate_limit.strip().lower()
        if text in ("", "0", "off", "none"):
            return None
        count, sep, period = text.partition("/")
        seconds = {"second": 1.0, "sec": 1.0, "s": 1.0, "minute": 60.0, "min": 60.0, "m": 60.0, "hour": 3600.0}
        seconds |= {"h": 3600.0, "day": 86400.0, "d": 86400.0}
        if not sep or not count.strip().isdigit() or int(count) < 1 or period.strip() not in seconds:
            raise ConfigError(
                f"rate limit must look like 10/minute (N/second, N/minute, N/hour or N/day) or off, "
                f"not {self.rate_limit!r}"
            )
        return int(count), seconds[period.strip()]


# flat name -> (section, field): the names users type, kept stable across regroupings
_FIELDS: dict[str, tuple[str, str]] = {
    "store_dir": ("store", "dir"),
    "chunk_tokens": ("store", "chunk_tokens"),
    "embed_workers": ("store", "embed_workers"),
    "max_file_mb": ("store", "max_file_mb"),
    "chroma_url": ("store", "chroma_url"),
    "chroma_prefix": ("store", "chroma_prefix"),
    "top_k": ("search", "top_k"),
    "candidates": ("search", "candidates"),
    "dense_weight": ("search", "dense_weight"),
    "keyword_weight": ("search", "keyword_weight"),
    "bigram_weight": ("search", "bigram_weight"),
    "passage_weight": ("search", "passage_weight"),
    "engine": ("answer", "engine"),
    "answer_sentences": ("answer", "sentences"),
    "abstain_confidence": ("answer", "abstain_confidence"),
    "llm_base_url": ("llm", "base_url"),
    "llm_model": ("llm", "model"),
    "llm_api_key": ("llm", "api_key"),
    "llm_gguf": ("llm", "gguf"),
    "llm_timeout": ("llm", "timeout"),
    "llm_max_tokens": ("llm", "max_tokens"),
    "llm_context_tokens": ("llm", "context_tokens"),
    "llm_temperature": ("llm", "temperature"),
    "llm_threads": ("llm", "threads"),
    "llm_generation_threads": ("llm", "generation_threads"),
    "nli_model": ("llm", "nli_model"),
    "host": ("web", "host"),
    "port": ("web", "port"),
    "auth": ("web", "auth"),
    "slack_host": ("slack", "host"),
    "slack_port": ("slack", "port"),
    "slack_rate_limit": ("slack", "rate_limit"),
    "slack_api_url": ("slack", "api_url"),
}
_SECTIONS = {
    "store": StoreSettings,
    "search": SearchSettings,
    "answer": AnswerSettings,
    "llm": LLMSettings,
    "web": WebSettings,
    "slack": SlackSettings,
}
_BY_SECTION = {(section, name): flat for flat, (section, name) in _FIELDS.items()}


@dataclass(frozen=True)
class Settings:
    store: StoreSettings = field(default_factory=StoreSettings)
    search: SearchSettings = field(default_factory=SearchSettings)
    answer: AnswerSettings = field(default_factory=AnswerSettings)
    llm: LLMSettings = field(default_factory=LLMSettings)
    web: WebSettings = field(default_factory=WebSettings)
    slack: SlackSettings = field(default_factory=SlackSettings)

    @classmethod
    def load(cls, overrides: dict[str, Any] | None = None, config_file: str | None = None) -> Settings:
        """Build settings from defaults < config file < environment < ``overrides`` (flat names;
        a value of None means "not given")."""
        values: dict[str, Any] = {}
        values.update(_from_file(config_file))
        values.update(_from_env())
        values.update({k: v for k, v in (overrides or {}).items() if v is not None})
        return cls().with_values(values)

    def with_values(self, values: dict[str, Any]) -> Settings:
        """A copy with flat-named values applied, converted and validated."""
        unknown = set(values) - set(_FIELDS)
        if unknown:
            raise ConfigError(f"unknown setting(s): {', '.join(sorted(unknown))}")
        changes: dict[str, dict[str, Any]] = {}
        for flat, value in values.items():
            section, name = _FIELDS[flat]
            changes.setdefault(section, {})[name] = _convert(flat, value, _annotation(section, name))
        settings = replace(self, **{s: replace(getattr(self, s), **c) for s, c in changes.items()})
        settings.validate()
        return settings

    def validate(self) -> None:
        store, search, answer = self.store, self.search, self.answer
        if not 32 <= store.chunk_tokens <= 240:
            raise ConfigError(f"chunk_tokens must be between 32 and 240 (got {store.chunk_tokens})")
        if store.embed_workers < 0:
            raise ConfigError(f"embed_workers must be 0 (one per core) or more (got {store.embed_workers})")
        if store.max_file_mb <= 0:
            raise ConfigError("max_file_mb must be positive")
        if store.chroma_url and not store.chroma_url.startswith(("http://", "https://")):
            raise ConfigError(f"chroma_url must look like http://host:port (got {store.chroma_url!r})")
        if not (3 <= len(store.chroma_prefix) <= 50 and store.chroma_prefix.replace("-", "").isalnum()):
            raise ConfigError(f"chroma_prefix must be 3-50 letters, digits or '-' (got {store.chroma_prefix!r})")
        if search.top_k < 1 or search.candidates < search.top_k:
            raise ConfigError("top_k must be >= 1 and candidates >= top_k")
        if answer.sentences < 1:
            raise ConfigError("answer_sentences must be >= 1")
        if answer.abstain_confidence is not None and not 0 <= answer.abstain_confidence <= 1:
            raise ConfigError("abstain_confidence must be 'model' or a probability between 0 and 1")
        for name, port in (("port", self.web.port), ("slack_port", self.slack.port)):
            if not 0 <= port <= 65535:
                raise ConfigError(f"{name} must be between 0 and 65535 (got {port})")
        llm = self.llm
        if llm.base_url and not llm.base_url.startswith(("http://", "https://")):
            raise ConfigError(f"llm_base_url must look like http://host:port/v1 (got {llm.base_url!r})")
        if (
            llm.timeout <= 0
            or llm.max_tokens < 1
            or 0 < llm.context_tokens < 100
            or llm.context_tokens < 0
            or llm.threads < 0
            or llm.generation_threads < 0
        ):
            raise ConfigError(
                "llm_timeout must be positive, llm_max_tokens >= 1, llm_context_tokens 0 (automatic) or >= 100, "
                "and llm_threads and llm_generation_threads >= 0"
            )
        if not 0 <= llm.temperature <= 2:
            raise ConfigError(f"llm_temperature must be between 0 and 2 (got {llm.temperature})")
        self.slack.rate()  # raises on a malformed rate limit
        if self.slack.api_url and not self.slack.api_url.startswith(("http://", "https://")):
            raise ConfigError(f"slack_api_url must look like https://host/api/ (got {self.slack.api_url!r})")


def _annotation(section: str, name: str) -> str:
    return next(f.type for f in fields(_SECTIONS[section]) if f.name == name)


def _from_env() -> dict[str, Any]:
    out = {}
    for key, value in os.environ.items():
        if key.startswith(ENV_PREFIX):
            name = key[len(ENV_PREFIX) :].lower()
            if name in _FIELDS:
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
    # flat keys at the top level or under [assistant]; or sectioned: [store], [search]...
    data = dict(data.get("assistant", data))
    flat: dict[str, Any] = {}
    for key, value in data.items():
        if key in _SECTIONS and isinstance(value, dict):
            for name, v in value.items():
                if (key, name) not in _BY_SECTION:
                    raise ConfigError(f"unknown setting [{key}] {name} in {path}")
                flat[_BY_SECTION[(key, name)]] = v
        else:
            flat[key] = value
    return flat


def _convert(name: str, value: Any, annotation: str) -> Any:
    """Turn a flag, environment or file value into the field's type (annotations are strings)."""
    kind = {"int": int, "float": float, "str": str, "bool": bool, "float | None": float}[annotation]
    if annotation == "float | None" and (value is None or str(value).strip().lower() == "model"):
        return None
    if isinstance(value, kind) and not (kind is int and isinstance(value, bool)):
        return value
    try:
        if kind is bool:
            return str(value).strip().lower() in ("1", "true", "yes", "on")
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            return float(value)
        return kind(value)
    except (TypeError, ValueError) as exc:
        type_name = "float or 'model'" if annotation == "float | None" else kind.__name__
        raise ConfigError(f"setting {name!r} expects {type_name}, got {value!r}") from exc
