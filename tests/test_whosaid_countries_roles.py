"""Who-said questions that name a country another way than the article, or a speaker by a role
several people held (issue #9, tune2/tune3 failures):
- "America", "American" and "the US" are one country: a statement on "the money pledged by the
  US" is on "American aid"; "told us" is not;
- a role two people held ("the home secretary") is decided by the topic: the one whose
  statement is on it is meant;
- a role written as one ("the union's pensions officer") that no directory entry holds is found
  through the article that gives it, not taken for a name like it ("Office" in the BBC corpus);
- a plain answer's citation names the speaker the quote index gives, never the passage regex's
  guess ("Despite")."""

from __future__ import annotations

import pytest

from assistant import Assistant
from assistant.text.countries import abbreviations, country_forms, is_demonym

from .conftest import assert_quoted, assert_refused, ingest_articles

SUMMIT = (
    "\n\n".join(
        [
            "Finance ministers split on Africa aid",
            "South Africa's finance minister Thabo Mkhize criticised rich nations at the London meeting.",
            '"The donors told us last year that the cheques were in the post," Mr Mkhize said.',
            "He said much of the money pledged to Africa by the US had not yet been dispensed.",
            "The meeting ends on Saturday.",
        ]
    )
    + "\n"
)

POLICING_2004 = (
    "\n\n".join(
        [
            "Blunkett unveils neighbourhood police plan",
            "Home Secretary Daniel Marsh has set out plans for a national non-emergency police number.",
            "Mr Marsh said people calling the police about problems that were not emergencies should get "
            "through within minutes.",
        ]
    )
    + "\n"
)

PRISONS_2005 = (
    "\n\n".join(
        [
            "New home secretary targets prison places",
            "Home Secretary Alan Crewe said the prison building programme would be speeded up.",
            "Mr Crewe said 2,000 new places would open by the end of the year.",
            "Home Secretary Alan Crewe told MPs the prison estate was full.",
            "Mr Crewe said sentencing reform was overdue.",
        ]
    )
    + "\n"
)

PENSIONS = (
    "\n\n".join(
        [
            "Firefighters threaten strike over pensions",
            "The Fire Brigades Union has warned of strikes over plans to raise the retirement age.",
            'Pensions officer Gary Wolstenholme said: "The pensions of millions of public sector workers '
            'are under threat."',
            "The Office said the figures it published on Tuesday were provisional.",
        ]
    )
    + "\n"
)

BUDGET = (
    "\n\n".join(
        [
            "Senators react to budget",
            "Despite the Republicans holding a majority in both houses, the plans will be contested.",
            "Harold Beck, a Republican senator, said he was pleased the administration was prepared to "
            "tackle the deficit.",
        ]
    )
    + "\n"
)


# a role that does not say whose it is ("Vice-President"), in a story on the US; and a vice president
# whose role names the US as where his firm is
SPENDING = (
    "\n\n".join(
        [
            "Bush unveils tight budget",
            "The US president has sent Congress a budget that cuts spending on farm subsidies.",
            'Vice-President Ed Carver said the budget was the "tightest" so far and that it was fair.',
        ]
    )
    + "\n"
)
SEARCH = (
    "\n\n".join(
        [
            "Search firm buys blog reader",
            "Paul Ryland, vice president of search properties at Jeeves in the US, said the deal was not a "
            "move into blog publishing.",
            "Mr Ryland said search engines were about discovering information.",
        ]
    )
    + "\n"
)


@pytest.fixture(scope="module")
def assistant(tmp_path_factory) -> Assistant:
    folder = tmp_path_factory.mktemp("countries_roles")
    a = ingest_articles(
        folder,
        {
            "summit": SUMMIT,
            "policing": POLICING_2004,
            "prisons": PRISONS_2005,
            "pensions": PENSIONS,
            "budget": BUDGET,
            "spending": SPENDING,
            "search": SEARCH,
        },
    )
    yield a
    a.close()


def test_a_country_s_forms_are_one_country_and_a_shared_adjective_is_the_larger_country_s() -> None:
    assert {"america", "us", "usa", "united states"} <= country_forms("American")
    assert "northern mariana islands" not in country_forms("American")  # also "American", far smaller
    assert {"britain", "uk", "united kingdom"} <= country_forms("British")
    assert country_forms("us") == country_forms("US") and country_forms("in") == frozenset()
    assert abbreviations("America") == ["US", "USA"] and abbreviations("Turkey") == []  # not ISO's "TUR"
    assert is_demonym("Iraqi") and not is_demonym("Iraq")


def test_american_is_the_us_a_statement_names_by_its_code(assistant: Assistant) -> None:
    assert_quoted(
        assistant,
        "What did Thabo Mkhize say about American aid to Africa?",
        "Thabo Mkhize",
        "pledged to Africa by the US",
    )


def test_told_us_is_not_the_us(assistant: Assistant) -> None:
    from assistant.answering.quoted import rank_quotes

    person = assistant.index.people.find("Thabo Mkhize")[0]
    ranked = rank_quotes(person.quotes, "American money", assistant.index)
    by_words = {assistant.index.document_text(r.row.doc_id)[r.start : r.end]: r for r in ranked}
    told = next(r for words, r in by_words.items() if "donors told us" in words)
    pledged = next(r for words, r in by_words.items() if "pledged to Africa" in words)
    # "American" is found beside "the US", never in "told us" (nor in the lead before it)
    assert pledged.coverage == pytest.approx(1.0) and told.coverage == 0.0


def test_a_role_two_people_held_is_decided_by_the_topic(assistant: Assistant) -> None:
    assert [p.name for p in assistant.index.people.find("the home secretary")][:2] == ["Alan Crewe", "Daniel Marsh"]
    assert_quoted(
        assistant,
        "What did the home secretary say about calling the police when it isn't an emergency?",
        "Daniel Marsh",
        "not emergencies",
    )
    assert_quoted(assistant, "What did the home secretary say about prison places?", "Alan Crewe", "prison")


def test_a_role_nobody_in_the_directory_holds_is_no_name_like_it(assistant: Assistant) -> None:
    assert assistant.index.people.find("the Fire Brigades Union's pensions officer") == []
    assert_quoted(
        assistant,
        "What did the Fire Brigades Union's pensions officer say about public sector pensions?",
        "Gary Wolstenholme",
        "under threat",
    )


def test_a_plain_answer_cites_the_quote_index_speaker(assistant: Assistant) -> None:
    answer = assistant.ask("Was Harold Beck pleased with the administration's deficit plans?")
    assert not answer.abstained, answer.text
    assert [c.speaker for c in answer.citations if "pleased" in c.quote] == ["Harold Beck"]
    assert all(c.speaker != "Despite" for c in answer.citations)


def test_a_near_miss_by_role_stays_refused(assistant: Assistant) -> None:
    assert_refused(assistant, "What did the home secretary say about the Olympic bid?")


def test_a_country_the_role_does_not_name_is_the_one_its_story_gives(assistant: Assistant) -> None:
    # Carver's role is "Vice-President", his story is on the US budget; Ryland's role names the US
    assert {p.name for p in assistant.people("the US vice-president")} == {"Ed Carver", "Paul Ryland"}
    assert_quoted(assistant, "How did the US vice-president describe the budget?", "Ed Carver", "tightest")
    assert not assistant.people("the French vice-president")
