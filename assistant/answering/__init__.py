"""Answer engines: one per module, all following ``base.AnswerEngine``, made by name.

    engine = answering.create("extractive", settings)

An engine module registers a maker with ``register`` (the way neuml/txtai's factories and
simonw/llm's ``get_model`` pick implementations by name); makers import their module only
when asked for, so an engine's dependencies cost nothing until it is chosen.
"""

from __future__ import annotations

from collections.abc import Callable

from ..config import AnswerSettings, Settings
from ..errors import ConfigError
from .base import AnswerEngine, Corpus

EngineMaker = Callable[[Settings], AnswerEngine]
_MAKERS: dict[str, EngineMaker] = {}


def register(name: str, maker: EngineMaker) -> None:
    """Make ``create(name, ...)`` build an engine with ``maker(settings)``."""
    _MAKERS[name] = maker


def available() -> list[str]:
    return sorted(_MAKERS)


def check_name(name: str) -> None:
    """Raise ``ConfigError`` unless an engine is registered under ``name``."""
    if name not in _MAKERS:
        raise ConfigError(f"unknown answer engine {name!r}; available: {', '.join(available())}")


def create(name: str, settings: Settings | AnswerSettings | None = None) -> AnswerEngine:
    """The engine called ``name``, configured from ``settings`` (all of them: a generative engine
    reads ``[answer]`` and ``[llm]``); an ``AnswerSettings`` alone means defaults elsewhere."""
    check_name(name)
    if settings is None or isinstance(settings, AnswerSettings):
        settings = Settings(answer=settings or AnswerSettings())
    return _MAKERS[name](settings)


def _extractive(settings: Settings) -> AnswerEngine:
    from .extractive import ExtractiveEngine

    answer = settings.answer
    return ExtractiveEngine(max_passages=answer.sentences, abstain_confidence=answer.abstain_confidence)


def _generative(name: str) -> EngineMaker:
    def make(settings: Settings) -> AnswerEngine:
        from .generative import GenerativeEngine

        return GenerativeEngine(name, settings)

    return make


register("extractive", _extractive)
register("openai", _generative("openai"))  # any OpenAI-compatible chat endpoint
register("local", _generative("local"))  # a GGUF file run in this process

__all__ = ["AnswerEngine", "Corpus", "available", "check_name", "create", "register"]
