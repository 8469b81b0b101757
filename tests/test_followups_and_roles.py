"""Follow-ups and role mentions on a real store (issue #9): "that idea" is the idea asked about
before; "what about X, what did he think" is about X; "she" never means a man; a role the
articles give in passing ("his friend and fellow broadcaster Michael Pointon") finds its holder;
a follow-up keeps to the story the conversation is on."""

from __future__ import annotations

import pytest

from assistant import Assistant
from assistant.text.followup import standalone_question

from .conftest import after, assert_quoted, assert_refused, check_citations, ingest_articles


def _article(title: str, *paragraphs: str) -> str:
    return "\n\n".join([title, *paragraphs]) + "\n"


FORMATS = _article(
    "Format wars could confuse users",
    "Technology firms are backing rival systems to protect digital music, analysts say.",
    "Ian Fogg, an analyst at Jupiter Research, said the rival systems were like the Betamax and VHS formats "
    'of the past. "Consumers will be confused," said Mr Fogg.',
    "Cory Doctorow, European co-ordinator for the Electronic Frontier Foundation which campaigns for consumers "
    "on many cyber-rights issues, expressed doubts that the new Marlin system would achieve its aims. "
    '"Not one of these systems has ever prevented piracy," he said.',
)

OBITUARY = _article(
    "Veteran comic Harold Penrose dies",
    "The comedian Harold Penrose, known for his odd odes on television, has died aged 92.",
    'Penrose was described as a "consummate professional" by his friend and fellow broadcaster Michael Pointon. '
    '"It really was a pleasure to work with him - he had met everyone and done everything," Mr Pointon said.',
    'Penrose\'s former co-star Esther Rantzen said he was "so lovely" to work with.',
)

TAPPING = _article(
    "Opposition grows to house arrests",
    "The Liberal Democrats want phone tapping evidence allowed in terror trials instead of house arrest.",
    "Lib Dem spokesman Mark Oaten said allowing intercept evidence would let suspects be prosecuted in open court.",
    "Home Secretary Charles Clarke said intercept evidence was only a small part of the case against terror "
    "suspects and could put the lives of informants at risk.",
)

CITIZENSHIP = _article(
    "Citizenship ceremony for 18-year-olds",
    "Teenagers could attend a ceremony when they reach voting age, under plans from the Home Office.",
    "Home Secretary Charles Clarke said the evidence from pilot schemes showed that the ceremonies worked, "
    "and the evidence would be published.",
)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    root = tmp_path_factory.mktemp("followups")
    docs = root / "docs"
    docs.mkdir()
    for name, text in [
        ("formats", FORMATS),
        ("obituary", OBITUARY),
        ("tapping", TAPPING),
        ("citizenship", CITIZENSHIP),
    ]:
        (docs / f"{name}.txt").write_text(text, encoding="utf-8")
    a = Assistant(store_dir=root / "store")
    a.ingest([docs])
    return a


def _history(*turns: str) -> list[dict[str, str]]:
    return [m for q in turns for m in ({"role": "user", "content": q}, {"role": "assistant", "content": "..."})]


def test_a_demonstrative_topic_is_the_topic_asked_about_before() -> None:
    history = _history("What did Mark Oaten say about allowing phone tapping evidence in terror trials?")
    standalone = standalone_question("How did the Home Secretary respond to that idea?", history)
    assert standalone and "phone tapping evidence in terror trials" in standalone and "Home Secretary" in standalone


def test_what_about_someone_then_a_question_with_he_is_about_them() -> None:
    history = _history("What did Ian Fogg say about the rival systems?")
    standalone = standalone_question(
        "What about the Electronic Frontier Foundation's co-ordinator, what did he think of the Marlin system?", history
    )
    assert standalone == "what did the Electronic Frontier Foundation's co-ordinator think of the Marlin system?"


def test_a_pronoun_takes_the_person_it_can_mean() -> None:
    history = _history("What did Gordon Brown say about pensions?")
    assert standalone_question("And what did she say about the tax?", history, ["Gordon Brown", "Patricia Hewitt"]) == (
        "what did Patricia Hewitt say about the tax?"
    )
    # nobody named fits "she": ask who is meant rather than give a man's words as hers
    assert standalone_question("And what did she say about the tax?", history, ["Gordon Brown"]) is None
    assert (
        standalone_question("And what did he say about the tax?", history) == "what did Gordon Brown say about the tax?"
    )


def test_a_role_given_in_passing_finds_its_holder(store: Assistant) -> None:
    answer = store.ask(
        "What did the Electronic Frontier Foundation's European co-ordinator think of the Marlin system?"
    )
    assert not answer.abstained, answer.text
    assert answer.citations[0].speaker == "Cory Doctorow" and "Not one of these systems" in answer.citations[0].quote
    check_citations(store, answer)
    friend = store.ask("What did Harold Penrose's friend and fellow broadcaster say about working with him?")
    assert not friend.abstained and friend.citations[0].speaker == "Michael Pointon", friend.text
    # a name nobody in the articles has is no role: refused, not given to someone nearby
    assert_refused(store, "What did Anton Weller say about the Marlin system?")


def test_a_follow_up_keeps_to_the_story_the_conversation_is_on(store: Assistant) -> None:
    # asked afresh, his words on evidence in the terror story lead
    alone = store.ask("What did Charles Clarke say about the evidence?")
    assert not alone.abstained and "tapping" in alone.citations[0].source, alone.text
    question = "What did Charles Clarke say about the citizenship ceremony?"
    first = store.ask(question)
    assert not first.abstained and "citizenship" in first.citations[0].source, first.text
    history = after(first)
    # in a conversation on the ceremony, "he" on evidence means what he said in that story first
    answer = store.ask("And what did he say about the evidence?", history=history)
    assert not answer.abstained, answer.text
    assert "citizenship" in answer.citations[0].source and "pilot schemes" in answer.citations[0].quote
    check_citations(store, answer)


def test_asking_what_the_articles_say_is_no_question_about_a_speaker(store: Assistant) -> None:
    """ "What do the articles say about ..." asks the articles, not someone called "articles"."""
    for question in ("What do the articles say about the Marlin system?", "What does the article say about Penrose?"):
        answer = store.ask(question)
        assert not answer.abstained and answer.citations, answer.text
        check_citations(store, answer)


def test_a_follow_ups_story_has_its_speakers_statements_compared_by_meaning(seeded: Assistant) -> None:
    """Only the best few statements by topic words are embedded; in a follow-up, those of the story
    the conversation is on are among them, whatever their words (a reaction seldom repeats them)."""
    from assistant.answering.quoted import rank_quotes

    person = seeded.index.people.find("Stoltenberg")[0]
    topic = "the alliance's unity"
    plain = rank_quotes(person.quotes, topic, seeded.index)
    unread = {r.row.doc_id for r in plain} - {r.row.doc_id for r in plain if r.similarity != 0.0}
    assert unread, "some article's statements are never compared by meaning"
    story = sorted(unread)[0]
    followed = rank_quotes(person.quotes, topic, seeded.index, conversation=(story,))
    mine = [r for r in followed if r.row.doc_id == story]
    assert all(r.in_conversation for r in mine)
    assert any(r.similarity != 0.0 for r in mine)


def test_what_about_a_role_asks_that_person_about_the_same_topic() -> None:
    history = [
        {"role": "user", "content": "What did Philip Shaw think of the mortgage lending figures?"},
        {"role": "assistant", "content": "Philip Shaw on the mortgage lending figures: ..."},
    ]
    assert (
        standalone_question("What about the CML's director general?", history)
        == "What did the CML's director general say about the mortgage lending figures?"
    )
    # a name after "what about" stays the topic asked of the same speaker
    assert standalone_question("What about Rooney?", history) == "What did Philip Shaw say about Rooney?"


MIGRATION = (
    "\n\n".join(
        [
            "UK 'needs true migration data'",
            "A former Home Office minister has called for an independent body to be set up to monitor UK migration.",
            "Rita Vance said an organisation should monitor and publish figures and be independent of government.",
            "Sir Alan Greer, chairman of Border Watch, says he opposes large-scale migration on the grounds of "
            "overcrowding.",
            'He said: "Over the next 20 years one household in three will be due to migration."',
            "Sir Alan says there is no need for an independent body because Office of National Statistics data are "
            "accurate.",
        ]
    )
    + "\n"
)


def test_that_idea_after_asking_what_someone_proposed_is_the_idea_the_answer_quoted(tmp_path_factory) -> None:
    with ingest_articles(tmp_path_factory.mktemp("idea"), {"idea": MIGRATION}) as a:
        first = a.ask("What did Rita Vance propose for monitoring UK migration figures?")
        assert first.citations and first.citations[0].speaker == "Rita Vance", first.text
        assert_quoted(
            a,
            "How did the Border Watch chairman respond to that idea?",
            "Alan Greer",
            "no need for an independent body",
            history=after(first),
        )


LECTURE = _article(
    "Singer seeks state help for music",
    "Rock singer Callum Reith has called for more state help for musicians, while taking part in a Glasgow "
    "Lectures discussion on Scotland's music.",
    '"Music needs some public money to thrive," he said. But Reith warned against bands growing too close to '
    'politicians, at the university event. "Our job is to question them," he said.',
    'Fellow speaker and classical composer Ewan Lorimer agreed: "We must learn to listen again." Previous '
    "speakers at the Glasgow Lectures series have included a former prime minister and a novelist.",
)

BLOG = _article(
    "Airline sacks blogging attendant",
    "A US airline attendant suspended over pictures on her blog - web diary - says she has now been fired.",
    "Ms Halloway announced on her blog that she had been fired over the pictures on Monday.",
    "Dana Halloway, who writes under the name Sky Queen, posted pictures of herself in uniform.",
    '"I never meant to harm the airline and I do not see how the pictures hurt it," Ms Halloway said.',
)


def test_which_person_is_answered_by_a_name_and_he_then_means_that_person(tmp_path_factory) -> None:
    with ingest_articles(tmp_path_factory.mktemp("which"), {"lecture": LECTURE, "blog": BLOG}) as a:
        # the answer to "which composer" is the passage giving someone that noun, not the lead about Reith
        first = a.ask("Which classical composer spoke alongside Callum Reith at the Glasgow Lectures?")
        assert not first.abstained and "Ewan Lorimer" in first.citations[0].quote, first.text
        check_citations(a, first)
        # "he" is the person the question asked for, not the one it named
        assert_quoted(a, "And what did he say at the event?", "Ewan Lorimer", "learn to listen", history=after(first))
        # no passage gives the noun to a name: one nearly as good that names her ("Ms Halloway") answers,
        # and "she" is that person, whom the answer gave only by title and surname
        second = a.ask("Which airline attendant was fired over the pictures on her blog?")
        assert not second.abstained and "Halloway" in second.citations[0].quote, second.text
        assert_quoted(
            a,
            "Does she think the blog did the airline any harm?",
            "Dana Halloway",
            "never meant",
            history=after(second),
        )


SCIENCE = _article(
    "Scientists fear minister's views",
    "Scientists have expressed concerns that new education secretary Joan Marley's religious views could hamper "
    'stem cell research. Ms Marley said: "My faith is a private matter."',
    "Professor Ann Pike, head of genetics at the National Institute, said she had seen the same confusion in the "
    "US. Science Council Professor Helen Stroud said Ms Marley's views mattered as she was responsible for "
    'training future scientists. She said: "The views of ministers do matter as they are responsible for '
    'training the next generation of scientists."',
)


def test_which_professor_then_she_is_the_one_the_articles_give_that_role_not_the_first_named(
    tmp_path_factory,
) -> None:
    with ingest_articles(tmp_path_factory.mktemp("professor"), {"science": SCIENCE}) as a:
        question = "Which Science Council professor raised concerns about Joan Marley's religious views?"
        first = a.ask(question)
        assert not first.abstained and "Helen Stroud" in first.text, first.text
        # an answer naming the minister and another professor before her (as an answer citing the
        # paragraph's other sentences first does): "she" is the one the articles call a Science Council
        # professor, not the first woman the answer names
        answer = (
            'Ms Marley said: "My faith is a private matter." [1] Professor Ann Pike, head of genetics at the '
            "National Institute, said she had seen the same confusion in the US. [2] Science Council Professor "
            "Helen Stroud said Ms Marley's views mattered as she was responsible for training future scientists. [3]"
        )
        assert_quoted(
            a,
            "What did she say about ministers and the training of scientists?",
            "Helen Stroud",
            "next generation",
            history=[{"role": "user", "content": question}, {"role": "assistant", "content": answer}],
        )


PREMIERE = _article(
    "Riot film release postponed",
    "The release of a film about the 1995 port riots has been postponed after protests by those on trial.",
    "Director Omar Vale said the release should not be delayed as the book has been on sale for years.",
    'Their lawyer, Kim Adair, said: "A film cannot tell the true story while the court is still finding it."',
)
OTHER_FILM = _article(
    "Costume drama opens festival",
    'The film\'s director, Jan Brock, said: "I cast as many non-actors as actors in this film."',
    'Critic Lee Moss said the film\'s director had "a fine eye".',
)


def test_a_role_owned_by_the_story_in_a_follow_up_is_its_holder_in_the_story_the_answer_told(
    tmp_path_factory,
) -> None:
    with ingest_articles(tmp_path_factory.mktemp("story"), {"premiere": PREMIERE, "other": OTHER_FILM}) as a:
        question = "Why was the release of the port riots film postponed?"
        first = a.ask(question)
        assert not first.abstained and "postponed" in first.text and "Omar Vale" not in first.text, first.text
        history = [{"role": "user", "content": question}, {"role": "assistant", "content": first.text}]
        # the answer names nobody: "the film's director" is the director the story quotes, not the one
        # another article calls "the film's director" in those very words
        assert_quoted(
            a,
            "And what did the film's director say about that decision?",
            "Omar Vale",
            "should not be delayed",
            history=history,
        )
        # without the conversation, the words fit the other article's director
        alone = a.ask("What did the film's director say about non-actors?")
        assert "Jan Brock" in alone.text, alone.text


TWICKENHAM = """Yachvilli savours France comeback

Dimitri Yachvilli kicked all of France's points as they beat England at Twickenham. "We are very proud to beat
England at Twickenham," he said.

France coach Bernard Laport accepted his side had not played well. "We know we have to play better," he said.
"""

TENNIS_COACH = """Gilbertson backs Roddick for Paris

Coach Brad Gilbertson said the comeback win at Twickenham-style venues in France proved his player could beat
anyone. "That comeback win against England's best was the proudest of my career," Gilbertson said of the France
tie.
"""


def test_a_role_several_hold_in_a_follow_up_is_the_one_the_story_quotes_alone(tmp_path_factory) -> None:
    with ingest_articles(tmp_path_factory.mktemp("coach"), {"rugby": TWICKENHAM, "tennis": TENNIS_COACH}) as a:
        question = "What did Dimitri Yachvilli say about France's comeback win over England at Twickenham?"
        first = a.ask(question)
        assert not first.abstained and "proud" in first.text, first.text
        history = [{"role": "user", "content": question}, {"role": "assistant", "content": first.text}]
        assert_quoted(
            a, "And what did the France coach say about that?", "Bernard Laport", "played well", history=history
        )


MAYOR = (
    "Probe launched on mayor's jibe\n\nDeputy Mayor Nicky Gavrin told the BBC she believed the mayor would say sorry. "
    'Ms Gavrin said she thought his comments were inappropriate. She said: "He is in no way anti-Jewish."\n'
)


def test_she_is_a_woman_the_articles_call_ms_though_a_name_list_calls_her_first_name_a_mans(
    tmp_path_factory,
) -> None:
    with ingest_articles(tmp_path_factory.mktemp("mayor"), {"mayor": MAYOR}) as a:
        question = "What did Nicky Gavrin say about whether the mayor is anti-Jewish?"
        first = a.ask(question)
        assert not first.abstained, first.text
        history = [{"role": "user", "content": question}, {"role": "assistant", "content": first.text}]
        assert_quoted(a, "And did she think he would apologise?", "Nicky Gavrin", "say sorry", history=history)


def test_a_role_asked_with_no_topic_after_a_question_about_someone_is_asked_the_same_topic() -> None:
    history = [{"role": "user", "content": "What did Arsene Wenger say about signing his new contract?"}]
    assert (
        standalone_question("And what did the club's chairman say?", history)
        == "What did the club's chairman say about signing Arsene Wenger's new contract?"
    )
