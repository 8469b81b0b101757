"""Answer engines: one per module, all following ``base.AnswerEngine``."""

from .base import AnswerEngine, Corpus
from .extractive import ExtractiveEngine

__all__ = ["AnswerEngine", "Corpus", "ExtractiveEngine"]
