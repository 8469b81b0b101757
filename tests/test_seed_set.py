"""The committed seed question set: every answerable question answered with a correct,
exactly-quoted citation from the right article; every unanswerable one abstained."""

from __future__ import annotations

import pytest

from assistant import Assistant
from assistant.evaluation.runner import DEFAULT_SEED_SET
from assistant.evaluation.seed import judge_seed, load_seed_questions

QUESTIONS = load_seed_questions(DEFAULT_SEED_SET)


def test_seed_set_covers_what_users_ask() -> None:
    kinds = {q.type for q in QUESTIONS}
    assert len(QUESTIONS) >= 40
    assert {"speaker", "name", "number", "date", "followup", "unanswerable"} <= kinds


@pytest.mark.parametrize("q", QUESTIONS, ids=[q.id for q in QUESTIONS])
def test_seed_question(seeded: Assistant, q) -> None:
    answer = seeded.ask(q.question, history=q.history or None)
    ok, why = judge_seed(seeded, q, answer)
    assert ok, f"{q.question!r}: {why}\n{answer.text}"
