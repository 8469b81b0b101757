"""The committed seed question set (``benchmarks/questions/seed_questions.jsonl``): questions on the
five sample articles, judged on the words each answer must quote, for our pipeline and the stock one."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..api import Assistant
from ..models import Answer


@dataclass
class SeedQuestion:
    id: str
    type: str
    question: str
    answerable: bool
    expect: list[str]
    doc_id: str | None = None
    history: list[dict[str, str]] = field(default_factory=list)


def load_seed_questions(path: str | Path) -> list[SeedQuestion]:
    with open(path, encoding="utf-8") as f:
        return [SeedQuestion(**json.loads(line)) for line in f if line.strip()]


def judge_seed(assistant: Assistant, q: SeedQuestion, answer: Answer) -> tuple[bool, str]:
    """(correct, why not): answered with the expected words, cited exactly, from the right article."""
    if not q.answerable:
        return (answer.abstained and not answer.citations), "did not abstain"
    if answer.abstained:
        return False, f"abstained: {answer.reason}"
    for c in answer.citations:
        if assistant.document_text(c.doc_id)[c.start : c.end] != c.quote:
            return False, f"citation [{c.n}] does not match its source"
    missing = [e for e in q.expect if not any(e in c.quote for c in answer.citations)]
    if missing:
        return False, f"no cited passage contains {missing}"
    if q.doc_id and answer.citations[0].doc_id != q.doc_id:
        return False, f"first citation from {answer.citations[0].doc_id}, expected {q.doc_id}"
    return True, ""


def evaluate_seed(assistant: Assistant, questions: Sequence[SeedQuestion]) -> dict[str, Any]:
    rows = []
    for q in questions:
        answer = assistant.ask(q.question, history=q.history or None)
        ok, why = judge_seed(assistant, q, answer)
        rows.append({"id": q.id, "type": q.type, "question": q.question, "correct": ok, "why": why})
    answerable = [r for r, q in zip(rows, questions, strict=True) if q.answerable]
    unanswerable = [r for r, q in zip(rows, questions, strict=True) if not q.answerable]
    return {
        "questions": len(rows),
        "correct": sum(r["correct"] for r in rows),
        "answerable_correct": f"{sum(r['correct'] for r in answerable)}/{len(answerable)}",
        "unanswerable_abstained": f"{sum(r['correct'] for r in unanswerable)}/{len(unanswerable)}",
        "failures": [r for r in rows if not r["correct"]],
    }


def evaluate_seed_stock(questions: Sequence[SeedQuestion], articles: Path, abstain_below: float) -> dict[str, Any]:
    """The stock pipeline on the same questions (no follow-up handling: it sees the question alone)."""
    from .baseline import StockPipeline

    with tempfile.TemporaryDirectory(prefix="seed-stock-") as tmp:
        stock = StockPipeline(tmp, chunk_size=256, abstain_below=abstain_below)
        stock.ingest_dir(articles)
        correct = []
        for q in questions:
            sentence, abstained, _ = stock.answer(q.question)
            if q.answerable:
                correct.append(not abstained and all(e in sentence for e in q.expect))
            else:
                correct.append(abstained)
    answerable = [c for c, q in zip(correct, questions, strict=True) if q.answerable]
    unanswerable = [c for c, q in zip(correct, questions, strict=True) if not q.answerable]
    return {
        "questions": len(questions),
        "correct": sum(correct),
        "answerable_correct": f"{sum(answerable)}/{len(answerable)}",
        "unanswerable_abstained": f"{sum(unanswerable)}/{len(unanswerable)}",
    }
