"""The question analyser and follow-up resolution, pure text (no store, no model): punctuation
and fillers around "what did he say" don't hide the speaker, and a pronoun with nobody to refer
to is noticed, while a pronoun the question itself binds is not."""

from __future__ import annotations

import pytest

from assistant.text.followup import standalone_question
from assistant.text.question import analyse, normalise

FIRST = "what did Çavuşoğlu say about Patriots?"
HISTORY = [
    {"role": "user", "content": FIRST},
    {"role": "assistant", "content": "Mevlüt Çavuşoğlu (Turkish Foreign Minister) on Patriots: ..."},
]

# (question, speaker, topic): the forms that used to slip past the analyser, and their kin
PRONOUN_FORMS = [
    ("and what did he say…", "he", None),  # U+2026 at the end
    ("and what did he say...", "he", None),
    ("and what did he say?!", "he", None),
    ("and what did he say… about Patriots", "he", "Patriots"),  # a pause inside
    ("and what did he say... about Patriots?", "he", "Patriots"),
    ("and what did he say — about Patriots?", "he", "Patriots"),
    ("“and what did he say about Patriots?”", "he", "Patriots"),  # quoted whole
    ("and what did he say about Patriots?”", "he", "Patriots"),  # a closing quote left over
    ("what else did he say", "he", None),
    ("what else did he say about sanctions?", "he", "sanctions"),
    ("what exactly did he say?", "he", None),
    ("what more did she say?!", "she", None),
    ("So, what else did he say?", "he", None),
    ("what did he actually say about sanctions?", "he", "sanctions"),
    ("what did he say about sanctions, exactly?", "he", "sanctions"),
    ("how exactly did he describe the purchase?", "he", "the purchase"),
    ("what was his view on sanctions?", "his", "sanctions"),
    ("what did his spokesman say about sanctions?", "his spokesman", "sanctions"),
]

# a pronoun bound inside the question: nobody from the conversation is needed
BOUND = [
    "What did Stoltenberg say about his trip?",
    "Did Erdogan say he would buy more?",
    "Who said he would impose sanctions?",
]


@pytest.mark.parametrize(("question", "speaker", "topic"), PRONOUN_FORMS)
def test_the_speaker_is_found_whatever_the_punctuation_and_fillers(
    question: str, speaker: str, topic: str | None
) -> None:
    q = analyse(question)
    assert (q.speaker, q.topic, q.kind) == (speaker, topic, "said"), q
    assert q.speaker_is_pronoun


@pytest.mark.parametrize(
    "variant",
    [
        "What did Stoltenberg say about the S-400…",
        "What did Stoltenberg say about the S-400?!",
        "What did Stoltenberg say... about the S-400",
        "What did Stoltenberg say — about the S-400?",
        '"What did Stoltenberg say about the S-400?"',
        "and what else did Stoltenberg say about the S-400?",
        "so what exactly did Stoltenberg say about the S-400?",
        "What did Stoltenberg actually say about the S-400, exactly?",
    ],
)
def test_punctuation_and_fillers_change_nothing_about_a_named_speaker(variant: str) -> None:
    plain = analyse("What did Stoltenberg say about the S-400?")
    q = analyse(variant)
    assert (q.speaker, q.topic, q.kind, q.verb) == (plain.speaker, plain.topic, plain.kind, plain.verb)
    assert (q.speaker, q.topic) == ("Stoltenberg", "the S-400")
    assert not q.speaker_is_pronoun


def test_normalising_keeps_what_belongs_to_the_words() -> None:
    assert normalise("What did he say about the F-35 and the S-400?") == "What did he say about the F-35 and the S-400"
    assert normalise("What did he say about the 2019–20 budget?") == "What did he say about the 2019–20 budget"
    assert normalise("According to Ulgen, what will happen?") == "According to Ulgen, what will happen"
    assert normalise('What did Erdogan say about "Patriots"?') == 'What did Erdogan say about "Patriots"'
    assert normalise("  what did he   say…  ") == "what did he say"
    assert analyse("What did Erdogan say about the U.S.?").topic == "the U.S"  # as before: end marks go
    # a capitalised word before the verb stays part of the name (the fillers are lower case)
    assert analyse("What did Ali Then say about it?").speaker == "Ali Then"


@pytest.mark.parametrize(("question", "speaker", "topic"), PRONOUN_FORMS)
def test_a_first_question_with_a_pronoun_asks_who_is_meant(question: str, speaker: str, topic: str | None) -> None:
    assert standalone_question(question, None) is None
    assert standalone_question(question, []) is None


@pytest.mark.parametrize(("question", "speaker", "topic"), PRONOUN_FORMS)
def test_the_pronoun_is_the_person_asked_about_before(question: str, speaker: str, topic: str | None) -> None:
    standalone = standalone_question(question, HISTORY)
    assert standalone and "Çavuşoğlu" in standalone, standalone
    resolved = analyse(standalone)
    assert resolved.speaker.startswith("Çavuşoğlu") and not resolved.speaker_is_pronoun, resolved
    assert resolved.topic == topic


def test_the_pronoun_is_the_person_an_earlier_answer_named() -> None:
    """A thread can hold only the assistant's replies: the person they named is who "he" is."""
    replies = [{"role": "assistant", "content": "Mevlüt Çavuşoğlu (Turkish Foreign Minister) on Patriots: ..."}]
    assert (
        standalone_question("and what did he say…", replies, ["Mevlüt Çavuşoğlu"]) == "what did Mevlüt Çavuşoğlu say…"
    )
    assert standalone_question("and what did he say…", replies, []) is None


def test_a_follow_up_naming_its_speaker_and_topic_carries_nothing_along() -> None:
    """ "and what did Çavuşoğlu say about sanctions?" after any question is whole: the earlier
    question's words appended as context only diluted its topic (the answer was refused)."""
    earlier = [
        {"role": "user", "content": "and what did he say…"},
        {"role": "assistant", "content": "Who do you mean?"},
    ]
    question = "and what did Çavuşoğlu say about sanctions?"
    assert standalone_question(question, earlier) == question
    # a topic that points back still takes the earlier one along
    asked = [{"role": "user", "content": "What did Stoltenberg say about the S-400?"}]
    assert "S-400" in standalone_question("and what did Çavuşoğlu say about it?", asked)


@pytest.mark.parametrize("question", BOUND)
def test_a_pronoun_bound_inside_the_question_needs_nobody(question: str) -> None:
    assert standalone_question(question, None) == question
    assert standalone_question(question, []) == question
    assert not analyse(question).speaker_is_pronoun
    # nor does it take the person asked about before: that would put words in another's mouth
    assert standalone_question(question, HISTORY) == question


def test_what_about_after_a_speaker_question_takes_the_punctuation_off() -> None:
    assert standalone_question("what about the F-35…", HISTORY) == "What did Çavuşoğlu say about the F-35?"
    other = [{"role": "user", "content": "How much was the S-400 deal worth…"}]
    assert (
        standalone_question("and what about the F-35?!", other)
        == "How much was the S-400 deal worth: what about the F-35?"
    )


def test_a_name_after_the_pronoun_does_not_bind_it() -> None:
    assert standalone_question("and is he meeting Pompeo?", HISTORY) == "is Çavuşoğlu meeting Pompeo?"
    # with someone named before it, the pronoun is left as asked rather than given the wrong name
    # ("a rift between him and Blair" in a question about Gordon Brown is Brown)
    assert standalone_question("is Pompeo meeting him?", HISTORY) == "is Pompeo meeting him?"
    brown = "What did Gordon Brown say about the union leader's claims of a rift between him and Blair?"
    assert standalone_question(brown, HISTORY) == brown


def test_a_view_asked_with_how_names_its_speaker_and_topic() -> None:
    q = analyse("How does Martin Corry think England are coping with the pressure after their defeats?")
    assert (q.speaker, q.topic, q.kind) == (
        "Martin Corry",
        "England are coping with the pressure after their defeats",
        "said",
    )
    assert analyse("How did she feel the talks went?").speaker_is_pronoun
    assert analyse("How do you think the vote went?").speaker is None  # the reader's view: no speaker
    assert analyse("How does the engine work?").speaker is None


def test_him_in_the_topic_is_the_person_owning_the_speaker() -> None:
    q = analyse("What did Michael Jackson's mother say about the charges against him?")
    assert (q.speaker, q.topic) == ("Michael Jackson's mother", "the charges against Michael Jackson")
    assert analyse("What did Gordon Brown say about his budget?").topic == "his budget"  # his own
    assert analyse("What did the BBC's chairman say about him?").topic == "him"  # a body owns no "him"


def test_a_possessive_pronoun_in_the_topic_is_the_person_the_speaker_is_named_by() -> None:
    assert analyse("What did Cyril Fletcher's daughter say after his death?").topic_of_possessor == (
        "Cyril Fletcher's death"
    )
    assert analyse("What did Erdogan's spokesman say about his health?").topic_of_possessor == "Erdogan's health"
    # the speaker's own pronoun: "her husband" after "Blair's wife"; a woman's name is no "his"
    assert analyse("What did Blair's wife say about her husband?").topic_of_possessor == "her husband"
    assert analyse("What did Susan Smith's lawyer say about his fees?").topic_of_possessor == "his fees"
    assert analyse("What did the NATO chief say about his trip?").topic_of_possessor == "his trip"


@pytest.mark.parametrize(
    ("question", "speaker", "topic", "verb"),
    [
        (
            "Did the Ofcom chairman rule out regulating content on the internet?",
            "Ofcom chairman",
            "regulating content on the internet",
            None,
        ),
        ("Has Blair denied the claims?", "Blair", "the claims", "deny"),
        ("Did Brown welcome the report?", "Brown", "the report", "welcome"),
        ("Who had the minister criticised over the delays?", "minister", "the delays", None),
        (
            "What did Barbara Roche propose for monitoring UK immigration figures?",
            "Barbara Roche",
            "monitoring UK immigration figures",
            None,
        ),
        ("What had the inquiry's chairman recommended?", "inquiry's chairman", None, None),
    ],
)
def test_an_act_done_by_saying_asks_what_the_speaker_said(question: str, speaker: str, topic: str, verb) -> None:
    # a guess (``loose``): kept only when the directory knows the speaker as a person
    q = analyse(question)
    assert (q.speaker, q.topic, q.verb, q.loose) == (speaker, topic, verb, True)
