"""Speakers asked by a role the article gives in another form (issue #9, tune5 failures):
- a party or body cut short ("the Lib Dem health spokesman") is the role written in full
  ("Liberal Democrat health spokesman"), not another office of the same party;
- a person with two descriptions ("Kerr's coach at the Falcons, former Scotland and Lions prop
  Hamish Boyd") is found by either;
- a role whose owner the article names by a common noun ("the programme's chief co-ordinator" in a
  story on Open Door) is found by the owner's name, and by no other programme's;
- an office with the holder's honorifics after it ("The Bishop of Lindford, the Rt Rev Dr Alan
  Marsh,") makes the named person the speaker, with the office as his role."""

from __future__ import annotations

import pytest

from assistant import Assistant
from assistant.text.question import analyse

from .conftest import assert_quoted, ingest_articles

HEALTH = (
    "\n\n".join(
        [
            "Parties clash over hospital waiting lists",
            "Liberal Democrat health spokesman Tim Farrow said waiting lists for hip operations had doubled "
            "in two years.",
            "Lib Dem home affairs spokesman Mark Ellis said the police needed more funding.",
            "Mr Ellis said hospital security staff were also stretched.",
        ]
    )
    + "\n"
)

PROP = (
    "\n\n".join(
        [
            "Coach backs Kerr for Scotland",
            "Scotland coach Ian Doig says Jamie Kerr is ready for international rugby. Doig's view was backed "
            "by Kerr's coach at the Falcons, former Scotland and Lions prop Hamish Boyd.",
            '"Jamie works harder at his scrummaging than anyone at the club," Boyd told reporters.',
            '"He has a big future," said Doig.',
        ]
    )
    + "\n"
)

SHOW = (
    "\n\n".join(
        [
            "Radio show reunites families",
            "Open Door has become the country's most listened-to programme, reuniting hundreds of families "
            "separated by the floods.",
            '"At first the crowds outside the studio were enormous," Lucia Ferreira, the programme\'s chief '
            "co-ordinator, told the World Service.",
        ]
    )
    + "\n"
)

BISHOP = (
    "\n\n".join(
        [
            "Bishop pans best-selling thriller",
            "The Bishop of Lindford, the Rt Rev Dr Alan Marsh, described the novel as a good read but bad history.",
            'Writing in the Lindford Gazette, the Bishop said: "The evidence for the early church is '
            'remarkably strong."',
        ]
    )
    + "\n"
)


@pytest.fixture(scope="module")
def assistant(tmp_path_factory) -> Assistant:
    folder = tmp_path_factory.mktemp("roles_given")
    a = ingest_articles(folder, {"health": HEALTH, "prop": PROP, "show": SHOW, "bishop": BISHOP})
    yield a
    a.close()


def test_a_party_cut_short_is_the_role_written_in_full(assistant: Assistant) -> None:
    assert [p.name for p in assistant.people("the Lib Dem health spokesman")] == ["Tim Farrow"]
    assert_quoted(
        assistant, "What did the Lib Dem health spokesman say about hospitals?", "Tim Farrow", "hip operations"
    )


def test_a_person_described_twice_is_found_by_either_description(assistant: Assistant) -> None:
    boyd = assistant.people("Hamish Boyd")[0]
    assert "Kerr's coach at the Falcons" in boyd.roles[0] and "Lions prop" in boyd.roles[0]
    assert_quoted(
        assistant,
        "What did Jamie Kerr's coach at the Falcons say about his scrummaging?",
        "Hamish Boyd",
        "works harder",
    )


def test_a_role_of_the_programme_is_found_by_the_programme_s_name(assistant: Assistant) -> None:
    assert [p.name for p in assistant.people("Open Door's chief co-ordinator")] == ["Lucia Ferreira"]
    assert assistant.people("Night Watch's chief co-ordinator") == []
    assert_quoted(
        assistant,
        "How did Open Door's chief co-ordinator describe the crowds?",
        "Lucia Ferreira",
        "crowds outside the studio",
    )


def test_an_office_with_the_holder_s_honorifics_after_it_is_the_holder_s_role(assistant: Assistant) -> None:
    marsh = assistant.people("Alan Marsh")[0]
    assert marsh.roles == ["Bishop of Lindford"] and marsh.statements == 2
    assert not assistant.people("The Bishop of Lindford")[0].name.startswith("The")
    assert_quoted(
        assistant, "What did the Bishop of Lindford say about the early church?", "Alan Marsh", "remarkably strong"
    )


def test_the_noun_a_question_asks_for_is_part_of_its_topic() -> None:
    q = analyse("What outcome did the Greek sprinters' lawyer expect from the hearing?")
    assert q.speaker == "Greek sprinters' lawyer" and q.topic == "outcome from the hearing"
    assert analyse("What else did Brown say about it?").topic == "it"
