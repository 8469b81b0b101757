"""Questions on the seed articles, answered through the real store and model."""

from __future__ import annotations

import pytest

from assistant import Assistant
from assistant.text.terms import fold

from .conftest import check_citations

PATRIOT_QUOTE = (
    "Since we could not get the Patriot or any other air defense systems from our allies, we had to buy S-400"
)

# (question, words the answer must contain, doc id the first citation must come from)
ANSWERABLE = [
    ("what did Çavuşoğlu say about Patriots?", [PATRIOT_QUOTE], "9fe05aa7faee94d4"),
    ("what did cavusoglu say about patriots", [PATRIOT_QUOTE], "9fe05aa7faee94d4"),  # no diacritics
    ("What did Cavusgolu say about the Patriot?", [PATRIOT_QUOTE], "9fe05aa7faee94d4"),  # misspelt
    ("What did Stoltenburg say about interoperability?", ["interoperability of our armed forces"], "6dd106ff1520a262"),
    ("What did Cavusolgu tweet?", ["made evaluations on a wide range of issues"], "6dd106ff1520a262"),
    ("What did Hutchison say about the Russian missile system?", ["obstacle to our ability to work together"], None),
    ("How much was the S-400 deal worth?", ["$2.5 billion"], None),
    ("When did the fighting in Nagorno-Karabakh begin?", ["Sept. 27"], "9fe05aa7faee94d4"),
    ("How many F-35 aircraft does Turkey plan to buy?", ["more than 100"], "ddff8ffa0951e1db"),
    ("Who is the head of Edam?", ["Sinan Ulgen"], "6dd106ff1520a262"),
    ("What did the US Senate pass in June?", ["passed a bill"], "1531ce2fc03ba8eb"),
    ("What did Erdogan say about terrorism?", ["threats such as terrorism"], "6dd106ff1520a262"),
    ("What did Stoltenberg say about a military solution in Nagorno-Karabakh?", ["no military solution"], None),
    ("Where was Andrew Brunson's church?", ["Izmir"], "ddff8ffa0951e1db"),
]

UNANSWERABLE = [
    "What did Stoltenberg say about climate change?",
    "Who won the 2018 World Cup?",
    "What is the population of Ankara?",
    "What did Putin say about the S-400 deal?",
]


@pytest.mark.parametrize(("question", "expected", "doc_id"), ANSWERABLE)
def test_answerable(seeded: Assistant, question: str, expected: list[str], doc_id: str | None) -> None:
    answer = seeded.ask(question)
    assert not answer.abstained, answer.text
    assert answer.citations
    for phrase in expected:
        assert phrase in answer.text
        assert any(phrase in c.quote for c in answer.citations), "the supporting passage must be cited"
    if doc_id:
        assert answer.citations[0].doc_id == doc_id
    check_citations(seeded, answer)


def test_speaker_answer_attributes_and_names_the_article(seeded: Assistant) -> None:
    answer = seeded.ask("what did Çavuşoğlu say about Patriots?")
    # the full name and role the article gives him, though the question gave the surname only
    assert answer.text.startswith("Mevlüt Çavuşoğlu (Turkish Foreign Minister)")
    first = answer.citations[0]
    assert PATRIOT_QUOTE in first.quote
    assert first.title == "NATO says Turkey's purchase of S-400 poses a risk to alliance"
    assert first.outlet == "Duvar English"
    assert first.source.endswith("000_497468fe3386531b.txt")
    assert first.speaker == "Mevlüt Çavuşoğlu"


@pytest.mark.parametrize("question", UNANSWERABLE)
def test_unanswerable_abstains(seeded: Assistant, question: str) -> None:
    answer = seeded.ask(question)
    assert answer.abstained, answer.text
    assert answer.citations == []
    assert "don't" in answer.text


def test_figure_question_answered_without_a_figure_abstains(seeded: Assistant) -> None:
    """The articles discuss the F-35 deal but never say what it was worth: quoting a passage
    about it (or the S-400's $2.5 billion) would answer a question nobody asked."""
    answer = seeded.ask("How much was the F-35 deal with Lockheed Martin worth?")
    assert answer.abstained and not answer.citations, answer.text
    assert answer.reason == "no figure in the closest passages"
    assert "don't give a figure" in answer.text and "f-35" in answer.text.lower()
    # the same kind of question with a figure in the articles is answered
    worth = seeded.ask("How much was the S-400 deal worth?")
    assert not worth.abstained and "$2.5 billion" in worth.citations[0].quote
    count = seeded.ask("How many US senators introduced a measure to block the F-35 transfer?")
    assert not count.abstained and "three US senators" in count.citations[0].quote


def test_follow_up_uses_history(seeded: Assistant) -> None:
    history = [
        {"role": "user", "content": "what did Çavuşoğlu say about Patriots?"},
        {"role": "assistant", "content": "..."},
    ]
    answer = seeded.ask("and what did he say about sanctions?", history=history)
    assert not answer.abstained
    assert "Çavuşoğlu" in answer.standalone_question
    assert "I will impose sanctions if you buy" in answer.citations[0].quote
    assert all(c.speaker and "Cavusoglu" in c.speaker for c in answer.citations)
    check_citations(seeded, answer)


@pytest.mark.parametrize(
    "question",
    [
        "and what did he say…",
        "and what did he say… about Patriots",
        "what else did he say",
        "what exactly did she say?!",
    ],
)
def test_first_question_with_a_pronoun_asks_who_is_meant(seeded: Assistant, question: str) -> None:
    """However it is punctuated or padded, "what did he say" first in a conversation has nobody
    to refer to: the assistant asks who is meant instead of quoting whoever "he" is in a passage."""
    answer = seeded.ask(question)
    assert answer.abstained and answer.citations == [], answer.text
    assert answer.reason == "a pronoun with nobody to refer to"
    assert answer.text.startswith("Who do you mean?")


@pytest.mark.parametrize(
    ("question", "quote"),
    [
        ("and what did he say… about Patriots", PATRIOT_QUOTE),
        ("what else did he say about sanctions?!", "I will impose sanctions if you buy"),
    ],
)
def test_follow_up_with_a_pronoun_and_punctuation_uses_history(seeded: Assistant, question: str, quote: str) -> None:
    first = seeded.ask("what did Çavuşoğlu say about Patriots?")
    history = [
        {"role": "user", "content": "what did Çavuşoğlu say about Patriots?"},
        {"role": "assistant", "content": first.text},
    ]
    answer = seeded.ask(question, history=history)
    assert not answer.abstained, answer.text
    assert "Çavuşoğlu" in answer.standalone_question and " he " not in answer.standalone_question
    assert quote in answer.citations[0].quote
    assert all(c.speaker and "cavus" in fold(c.speaker).lower() for c in answer.citations)
    check_citations(seeded, answer)
    bare = seeded.ask("and what did he say…", history=history)
    assert not bare.abstained and "Çavuşoğlu" in bare.standalone_question, bare.text


@pytest.mark.parametrize(
    "question",
    [
        "What did Stoltenberg say about his trip?",
        "Did Erdogan say he would buy more?",
        "Who said he would impose sanctions?",
    ],
)
def test_pronoun_bound_inside_the_question_is_not_asked_about(seeded: Assistant, question: str) -> None:
    answer = seeded.ask(question)
    assert answer.reason != "a pronoun with nobody to refer to", answer.text
    assert answer.standalone_question == question


def test_follow_up_what_about(seeded: Assistant) -> None:
    history = [{"role": "user", "content": "What did Erdogan say about terrorism?"}]
    answer = seeded.ask("what about NATO's founding values?", history=history)
    assert not answer.abstained
    assert "founding values" in answer.citations[0].quote


def test_to_dict_is_json_ready(seeded: Assistant) -> None:
    import json

    d = seeded.ask("How much was the S-400 deal worth?").to_dict()
    data = json.loads(json.dumps(d))
    assert set(data["citations"][0]) >= {"n", "doc_id", "title", "source", "quote", "start", "end", "score"}
    assert data["abstained"] is False


def test_retriever_is_a_llama_index_retriever(seeded: Assistant) -> None:
    nodes = seeded.as_retriever(k=3).retrieve("Patriot air defense systems from allies")
    assert len(nodes) == 3
    assert any("Patriot" in n.node.get_content() for n in nodes)


@pytest.mark.parametrize("bad", ["", "   ", "x" * 2001])
def test_bad_questions_are_rejected_clearly(seeded: Assistant, bad: str) -> None:
    from assistant import AssistantError

    with pytest.raises(AssistantError):
        seeded.ask(bad)


def test_learned_abstention_model_is_shipped_and_consulted(seeded: Assistant) -> None:
    from assistant.answering.abstention import default_model

    model = default_model()
    assert model is not None and len(model.names) == len(model.weights)
    assert "test_balanced_accuracy" in model.info
    answer = seeded.ask("How much was the S-400 deal worth?")
    assert answer.confidence is not None and 0.0 <= answer.confidence <= 1.0
    # a question that reuses the articles' words but asks what they don't say
    tricky = seeded.ask("When did Turkey sign the F-35 agreement?")
    assert tricky.abstained, tricky.text


FILM = (
    "Fantasy sequel tops box office\n\n"
    "The Dragon Crown: Return of the Heir took nearly £10m over its opening weekend, although tickets for "
    "games cost four to five times more than cinema tickets.\n"
)
MUSICAL = (
    "Dragon Crown stage show announced\n\n"
    "A stage musical of The Dragon Crown will open at the Princess Theatre in Oslo next year, its producers "
    "said. Rehearsals start in the spring.\n"
)


def test_a_passage_from_an_article_that_never_names_the_subject_does_not_answer(tmp_path) -> None:
    from .conftest import ingest_articles

    with ingest_articles(tmp_path, {"film": FILM, "musical": MUSICAL}) as a:
        # the figure and the tickets are the film's; the musical's story names Oslo but gives no price
        refused = a.ask("How much will tickets for the Dragon Crown musical cost in Oslo?")
        assert refused.abstained and not refused.citations, refused.text
        answered = a.ask("How much did the Dragon Crown sequel take over its opening weekend?")
        assert not answered.abstained and "£10m" in answered.citations[0].quote, answered.text


STALL = (
    "Broadcaster sells his belongings\n\n"
    "Broadcaster Jo Bright has begun selling thousands of his possessions from a stall in a London market. "
    "Among them are a leather sofa and a jukebox.\n"
)


def test_a_vague_plural_is_no_figure(tmp_path) -> None:
    from .conftest import ingest_articles

    with ingest_articles(tmp_path, {"stall": STALL}) as a:
        # "thousands of his possessions" says how many things, not what he asks for the sofa
        answer = a.ask("How much was Jo Bright asking for the leather sofa at his market stall?")
        assert answer.abstained and not answer.citations, answer.text
