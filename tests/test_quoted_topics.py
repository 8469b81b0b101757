"""Who-said answers whose topic the speaker's own words never repeat (issue #9): the article's lead
says what the story is about, and a named place must still be in the statement's paragraph."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant import Assistant
from assistant.answering.quoted import _is_named, borrowed_attribution, rank_quotes
from assistant.models import QuoteRow
from assistant.text.followup import refers_back
from assistant.text.quotes import Quote

from .conftest import SEEDS, SHARED, after, assert_quoted, assert_refused, check_citations

# A reaction that never names its topic: "the episode", "these decisions". Only the headline and
# the first paragraph say that the story is about shredding planning files.
SHREDDING = (
    "\n\n".join(
        [
            "Town hall shredding of planning files soars",
            "Council officials have sharply increased the shredding of planning documents ahead of a public "
            "inquiry, figures obtained by residents suggest.",
            "The council destroyed more than 4,000 files last year, up from 900 the year before. A council "
            "spokesman said staff were following the rules on keeping records.",
            'Local campaigner Maria Okafor said the episode was "a betrayal of everyone who trusted the town '
            'hall". "People deserve to know how these decisions were made," she said.',
            "The inquiry opens in March.",
        ]
    )
    + "\n"
)


# A long paragraph moving from one subject to the next: the summit in Vienna at its start, five
# sentences before Eva Kovacs speaks of farmers.
DANUBE = (
    "\n\n".join(
        [
            "Ministers meet on river clean-up",
            "Environment ministers from six countries met on Monday to agree a plan to clean up the Danube.",
            "In an interview ahead of a summit in Vienna on river pollution, Austrian minister Karl Brenner said "
            "the talks were overdue. The meeting will be chaired by Austria. Delegates from Hungary, Slovakia and "
            "Romania will attend. Officials expect a funding deal. Some farmers oppose new rules on fertiliser. "
            "Hungarian minister Eva Kovacs said farmers would need compensation for any new limits on fertiliser.",
        ]
    )
    + "\n"
)


# The reporter's summary of what the coach talked about, then his own words on it.
CAPTAIN = (
    "\n\n".join(
        [
            "Reyes defends resting captain",
            "Rovers coach Tom Reyes explained why he rested his captain for the cup tie against City on Saturday.",
            '"He has played every minute since August and we have a final on Sunday," Reyes said. "I would make '
            'the same choice again."',
        ]
    )
    + "\n"
)


# Ann Lowe's quote, then a sentence whose attribution governs its own clause: the quote is not Patel's.
TRAM = (
    "\n\n".join(
        [
            "Tram plan divides council",
            "Councillor Ann Lowe said the new tram line would cut traffic in the city centre. "
            '"It is the best plan we have had in twenty years." Opposition leader Raj Patel said the tram plan '
            'was "far too expensive".',
        ]
    )
    + "\n"
)

# The attribution describes the speaker by his films; what he says is about the theatre.
THEATRE = (
    "\n\n".join(
        [
            "Film star backs theatre appeal",
            "Film star Sean Doyle has backed an appeal to save the Grand Theatre in Cork, where he began acting.",
            "The Oscar-nominated actor, whose films include Harbour Lights and Night Train, said: "
            '"The Grand is too important to this town to be left to fall apart. It gave me my start."',
        ]
    )
    + "\n"
)


@pytest.fixture(scope="module")
def shredding(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    folder = tmp_path_factory.mktemp("shredding")
    (folder / "shredding.txt").write_text(SHREDDING, encoding="utf-8")
    (folder / "danube.txt").write_text(DANUBE, encoding="utf-8")
    (folder / "captain.txt").write_text(CAPTAIN, encoding="utf-8")
    (folder / "tram.txt").write_text(TRAM, encoding="utf-8")
    (folder / "theatre.txt").write_text(THEATRE, encoding="utf-8")
    a = Assistant(store_dir=Path(folder) / "store")
    names = ("shredding", "danube", "captain", "tram", "theatre")
    report = a.ingest([*(folder / f"{name}.txt" for name in names), SEEDS])
    assert report.failed == 0
    yield a
    a.close()


@pytest.mark.parametrize(
    "topic",
    [
        "officials shredding planning documents",
        # further from the lead's words (cosine 0.54): still what the story is about
        "destroying planning papers",
    ],
)
def test_a_paraphrased_topic_is_answered_from_an_article_whose_lead_is_on_it(shredding: Assistant, topic: str) -> None:
    person = shredding.people("Maria Okafor")[0]
    # her words alone clear neither bar: the lead is what answers
    assert not any(r.on_topic for r in rank_quotes(person.quotes, topic, shredding.index))
    answer = shredding.ask(f"What did Maria Okafor say about {topic}?")
    assert not answer.abstained, answer.text
    first = answer.citations[0]
    assert first.speaker == "Maria Okafor" and first.source.endswith("shredding.txt")
    assert "betrayal" in first.quote or "People deserve" in first.quote
    check_citations(shredding, answer)


@pytest.mark.parametrize(
    "topic",
    [
        "the football season",  # the lead is not on it
        "the shredding of planning documents in Ankara",  # a place the paragraph doesn't name
        "the shredding of planning documents in Leeds",  # one no article names ("Leeds" stems to "leed")
    ],
)
def test_a_topic_the_speaker_did_not_speak_on_is_still_refused(shredding: Assistant, topic: str) -> None:
    answer = assert_refused(shredding, f"What did Maria Okafor say about {topic}?")
    assert answer.related


def test_a_name_is_recognised_whatever_its_stem() -> None:
    assert _is_named("leeds", "the files in Leeds")
    assert _is_named("taiwan", "the danger to Taiwan")
    assert not _is_named("leeds", "the files in leeds")  # lower case: not given as a name


def test_a_statement_is_on_the_topic_of_the_sentences_around_it_not_of_its_whole_paragraph(
    shredding: Assistant,
) -> None:
    answer = shredding.ask("What did Eva Kovacs say about compensation for farmers?")
    assert not answer.abstained and answer.citations[0].speaker == "Eva Kovacs", answer.text
    check_citations(shredding, answer)
    # the paragraph names Vienna five sentences before she speaks: she did not speak of the summit
    assert_refused(shredding, "What did Eva Kovacs say about the summit in Vienna?")


def test_the_speakers_own_words_come_before_a_summary_of_what_he_talked_about(shredding: Assistant) -> None:
    person = shredding.people("Tom Reyes")[0]
    assert any(
        q.quote.kind == "reported"
        and "why he rested" in shredding.document_text(q.doc_id)[q.quote.spans[0][0] : q.quote.spans[0][1]]
        for q in person.quotes
    )  # the summary is one of his statements...
    answer = shredding.ask("What did Tom Reyes say about resting his captain for the cup tie against City?")
    assert not answer.abstained, answer.text
    assert "He has played every minute" in answer.citations[0].quote  # ...but his words answer first
    check_citations(shredding, answer)


MILAN = SHARED / "corpora" / "bbc" / "sport" / "152.txt"


@pytest.mark.skipif(not MILAN.is_file(), reason=f"BBC News corpus not found at {MILAN.parent.parent}")
def test_a_statement_is_ranked_by_its_own_words_not_by_the_sentence_after_it(tmp_path: Path) -> None:
    # Ancelotti's "we are all very happy to return" is followed by "Ancelotti said he was aware of the
    # threat United posed": the question's words are around both, but only the second speaks of it
    with Assistant(store_dir=tmp_path / "store") as a:
        a.ingest([MILAN])
        topic = "the threat posed by Manchester United"
        ranked = rank_quotes(a.people("Carlo Ancelotti")[0].quotes, topic, a.index)
        happy = next(r for r in ranked if "happy to return" in a.document_text(r.row.doc_id)[r.start : r.end])
        assert happy.coverage > happy.own_coverage  # its coverage is its neighbours'
        assert_quoted(a, f"What did Carlo Ancelotti say about {topic}?", "Carlo Ancelotti", "aware of the threat")


BT = SHARED / "corpora" / "bbc" / "business" / "252.txt"


@pytest.mark.skipif(not BT.is_file(), reason=f"BBC News corpus not found at {BT.parent.parent}")
def test_a_name_further_up_the_story_is_its_own_for_a_statement_close_to_the_topic(tmp_path: Path) -> None:
    # Ofcom is named two paragraphs before Verwaayen's "today we are making a set of far-reaching
    # proposals"; his statement is close in meaning to the whole topic
    with Assistant(store_dir=tmp_path / "store") as a:
        a.ingest([BT])
        assert_quoted(a, "What did Ben Verwaayen say about BT's proposals to Ofcom?", "Ben Verwaayen", "proposals")
        # the same name, with a topic he never spoke of, stays a near miss
        assert_refused(a, "What did Ben Verwaayen say about the Ofcom deadline?")


def test_a_follow_up_about_the_story_is_answered_from_the_articles_the_last_answer_quoted(
    shredding: Assistant,
) -> None:
    first = shredding.ask("What did Karl Brenner say about the talks?")
    assert not first.abstained and first.citations[0].source.endswith("danube.txt"), first.text
    history = after(first)
    # Eva Kovacs speaks of farmers, five sentences after the talks are named: "the issue" is the
    # story the conversation is on, the one the last answer quoted
    assert_quoted(
        shredding, "And what did Eva Kovacs say about the issue?", "Eva Kovacs", "compensation", history=history
    )
    # after an answer from another story, the same follow-up is refused
    other = shredding.ask("What did Maria Okafor say about officials shredding planning documents?")
    history = after(other)
    assert_refused(shredding, "And what did Eva Kovacs say about the issue?", history=history)


def test_refers_back_is_only_a_vague_topic() -> None:
    assert refers_back("And what did the shadow chancellor say about the row?")
    assert not refers_back("What did the shadow chancellor say about taxes?")
    assert not refers_back("what did he say about having to buy an iPod?")


def test_a_quote_before_another_speakers_attribution_is_not_theirs(shredding: Assistant) -> None:
    statements = shredding.quotes("Raj Patel")
    assert any("far too expensive" in c.quote for c in statements)
    assert not any("best plan" in c.quote for c in statements)  # Ann Lowe's words
    answer = shredding.ask("What did Raj Patel say about the tram plan?")
    assert not answer.abstained and not any("best plan" in c.quote for c in answer.citations), answer.text
    check_citations(shredding, answer)


def test_a_borrowed_attribution_is_told_from_ones_own() -> None:
    text = TRAM.split("\n\n", 1)[1]
    quote_start = text.index("It is")
    clause = text.index(" the tram plan was")
    attribution = (text.index("Opposition"), clause)
    borrowed = Quote(
        ((quote_start, text.index('."') + 1),), "direct", "Raj Patel", "person", "Raj Patel", "said", attribution
    )
    assert borrowed_attribution(QuoteRow("d", 0, borrowed), text)
    own = Quote(
        ((clause + 1, len(text.rstrip())),),
        "reported",
        "Raj Patel",
        "person",
        "Raj Patel",
        "said",
        attribution,
    )
    assert not borrowed_attribution(QuoteRow("d", 1, own), text)
    # '"...," Raj Patel said.' is the quote's own attribution
    said = '"It is too dear," Raj Patel said.'
    after = Quote(((1, 15),), "direct", "Raj Patel", "person", "Raj Patel", "said", (17, 31))
    assert not borrowed_attribution(QuoteRow("d", 2, after), said)


def test_a_follow_up_after_a_refusal_has_no_story_to_refer_to(shredding: Assistant) -> None:
    refusal = shredding.ask("What did Karl Brenner say about the football season?")
    assert refusal.abstained
    history = after(refusal)
    assert_refused(shredding, "And what did Eva Kovacs say about the issue?", history=history)


def test_words_describing_the_speaker_in_the_attribution_are_not_the_statements_topic(shredding: Assistant) -> None:
    """ "The actor, whose films include ... Night Train, said: ..." is not a statement on Night Train."""
    answer = shredding.ask("What did Sean Doyle say about the Grand Theatre?")
    assert not answer.abstained and answer.citations[0].speaker == "Sean Doyle", answer.text
    assert "too important to this town" in answer.citations[0].quote
    check_citations(shredding, answer)
    near_miss = assert_refused(shredding, "What did Sean Doyle say about making the film Night Train?")
    assert near_miss.related


FAREWELL = (
    "Veteran comic Ray Tolley dies\n\n"
    "Veteran comedian and broadcaster Ray Tolley has died at the age of 91 at his home in Guernsey.\n\n"
    "He was best known for his comic odes on television in the 1970s. Tolley's daughter Jill said her "
    'father would be sorely missed. "He was greatly loved by the public and he loved them back," she said.\n'
)


def test_a_first_name_after_a_word_for_a_person_is_a_person_with_that_role(tmp_path: Path) -> None:
    (tmp_path / "farewell.txt").write_text(FAREWELL, encoding="utf-8")
    with Assistant(store_dir=tmp_path / "store") as a:
        a.ingest([tmp_path / "farewell.txt"])
        # "Tolley's daughter Jill": Jill Tolley, found by the name the article gives her too
        (jill,) = a.people("Jill")
        assert jill.name == "Jill Tolley" and jill.kind == "person" and "Tolley's daughter" in jill.roles
        assert [p.name for p in a.people("Jill Tolley")] == ["Jill Tolley"]
        # "his death" is the death of the man the speaker is named by
        assert_quoted(a, "What did Ray Tolley's daughter say after his death?", "Jill Tolley", "sorely missed")
