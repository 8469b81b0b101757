"""The who-said grading on the real seeded store: a wrong speaker fails, a refusal of an
unanswerable passes, and the untouched split (heldout2) is reported as totals only."""

from __future__ import annotations

import dataclasses
import json

import pytest

from assistant.api import Assistant
from assistant.evaluation import quotes
from assistant.evaluation.whosaid import SPLITS, TUNING, WhoSaidQuestion, evaluate, judge

PATRIOT = "Since we could not get the Patriot or any other air defense systems from our allies"


def _cavusoglu(split: str, speaker: str) -> WhoSaidQuestion:
    return WhoSaidQuestion(
        f"{split}-{speaker}",
        "who_said",
        "What did Çavuşoğlu say about the Patriots?",
        split,
        file="seeds/000_497468fe3386531b.txt",
        speaker=speaker,
        answers=[PATRIOT],
    )


def test_speaker_is_graded_and_the_untouched_split_shows_totals_only(seeded: Assistant) -> None:
    assert "heldout2" in SPLITS and "heldout2" not in TUNING
    assert "heldout3" in SPLITS and "heldout3" not in TUNING and "tune3" in TUNING
    assert (
        "heldout4" in SPLITS
        and "heldout4" not in TUNING
        and {"tune5", "tune6", "tune7", "tune8", "tune9"} <= set(TUNING)
    )
    unanswerable = WhoSaidQuestion("u", "unanswerable", "What did Jacinda Ardern say about the S-400?", "tune")
    questions = [
        _cavusoglu("tune", "Mevlut Cavusoglu"),
        unanswerable,
        _cavusoglu("heldout", "Mevlut Cavusoglu"),
        # the same answer listed under the wrong file: a citation from elsewhere must not pass
        WhoSaidQuestion(
            "wrong-file",
            "who_said",
            "What did Çavuşoğlu say about the Patriots?",
            "heldout",
            file="seeds/001_x.txt",
            speaker="Mevlut Cavusoglu",
            answers=[PATRIOT],
        ),
        _cavusoglu("heldout2", "Mevlut Cavusoglu"),
        WhoSaidQuestion(
            "h2-wrong",
            "who_said",
            "What did Çavuşoğlu say about the Patriots?",
            "heldout2",
            file="seeds/001_x.txt",
            speaker="Mevlut Cavusoglu",
            answers=[PATRIOT],
        ),
    ]
    report = evaluate(seeded, questions)
    assert report["tune"]["passed"] == 2 and report["tune"]["failures"] == []
    assert report["heldout"]["passed"] == 1
    assert [f["id"] for f in report["heldout"]["failures"]] == ["wrong-file"]
    assert report["heldout2"]["passed"] == 1 and report["heldout2"]["questions"] == 2
    assert "failures" not in report["heldout2"], "the untouched half is reported as figures only"


def test_the_right_words_given_to_someone_else_fail(seeded: Assistant) -> None:
    """Graded on the speaker too: the same cited words pass as Çavuşoğlu's and fail as Stoltenberg's."""
    answer = seeded.ask("What did Çavuşoğlu say about the Patriots?")
    question = _cavusoglu("tune", "Mevlut Cavusoglu")
    assert judge(question, answer) == (True, "")
    misattributed = dataclasses.replace(
        answer, citations=[dataclasses.replace(answer.citations[0], speaker="Jens Stoltenberg")]
    )
    ok, why = judge(question, misattributed)
    assert not ok and "Stoltenberg" in why


def test_a_statement_cited_from_another_outlets_printing_passes_through_its_copies(seeded: Assistant) -> None:
    """The same statement run by two outlets is cited once, the other printing in ``also_in``: the
    listed file's printing counts there, and only when it prints the listed words."""
    answer = seeded.ask("What did Çavuşoğlu say about the Patriots?")
    question = _cavusoglu("tune", "Mevlut Cavusoglu")
    first = answer.citations[0]
    elsewhere = {"source": "/x/seeds/009_other.txt", "quote": first.quote}
    moved = dataclasses.replace(
        first, source="/x/seeds/009_other.txt", also_in=[{"source": first.source, "quote": first.quote}]
    )
    assert judge(question, dataclasses.replace(answer, citations=[moved])) == (True, "")
    other_words = dataclasses.replace(
        first, source="/x/seeds/009_other.txt", also_in=[{"source": first.source, "quote": "Talks went well."}]
    )
    assert not judge(question, dataclasses.replace(answer, citations=[other_words]))[0]
    nowhere = dataclasses.replace(first, source="/x/seeds/009_other.txt", also_in=[elsewhere])
    assert not judge(question, dataclasses.replace(answer, citations=[nowhere]))[0]


def test_a_person_the_gold_names_by_first_name_only_is_the_same_speaker() -> None:
    from assistant.evaluation.quotes import same_speaker

    assert same_speaker("Jill Fletcher", "Jill", "person")  # "Fletcher's daughter Jill"
    assert not same_speaker("Cyril Fletcher", "Jill", "person")
    assert not same_speaker("Jill", "Emily", "person")


def test_every_quote_annotation_split_is_evaluated_and_the_untouched_ones_never_listed() -> None:
    found = {json.loads(line)["split"] for path in quotes.ANNOTATIONS for line in path.read_text().splitlines()}
    assert found == set(quotes.SPLITS), found  # a new file's split is scored, not silently left out
    assert {"heldout2", "qheld4"}.isdisjoint(quotes.TUNING) and "qtune5" in quotes.TUNING
    with pytest.raises(ValueError, match="tuning split"):
        quotes.evaluate(splits=("qheld4",), show="qheld4")
