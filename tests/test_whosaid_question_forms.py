"""Who-said questions in forms a newcomer types that the engine read as plain questions, and roles
asked in forms the directory did not know (issue #9, tune6 failures):
- a stance asked yes or no ("Is the SNP's Holyrood leader confident that ...?", "Was McCain happy
  with ...?"), a deed under way ("Is he planning ...?") and how someone plans to do something
  ("how does X plan to ...?") ask for the person's words first;
- "..., according to X?" names the source last;
- "the chief executive of Yukos" is the body's chief executive, not whoever "the chief executive"
  alone is; a role word is never a typo of a surname ("Commons Speaker" is nobody called Shearer);
- "Who is the Newcastle manager who fell out with Bellamy?" asks about the manager: "he" in the
  next question is the manager, not Bellamy."""

from __future__ import annotations

import pytest

from assistant import Assistant
from assistant.text.followup import refers_back
from assistant.text.question import analyse

from .conftest import after, assert_quoted, ingest_articles


@pytest.mark.parametrize(
    ("question", "speaker", "topic"),
    [
        (
            "Is the SNP's Holyrood leader confident that free personal care for the elderly is properly funded?",
            "SNP's Holyrood leader",
            "free personal care for the elderly is properly funded",
        ),
        ("Was John McCain happy with the administration's budget?", "John McCain", "the administration's budget"),
        # a stance after an event, and a feeling about it
        ("Was Felix Magath pleased after Bayern beat Arsenal 3-1?", "Felix Magath", "Bayern beat Arsenal 3-1"),
        (
            "Was Nigel Waterson surprised that the agency's head had not left?",
            "Nigel Waterson",
            "the agency's head had not left",
        ),
        ("Is he planning any big changes to the site?", "he", "planning any big changes to the site"),
        (
            "how does nicolas negroponte plan to get his laptop's price under $100?",
            "nicolas negroponte",
            "plan to get his laptop's price under $100",
        ),
    ],
)
def test_a_stance_or_a_plan_asked_yes_or_no_or_how_asks_for_the_persons_words(
    question: str, speaker: str, topic: str
) -> None:
    q = analyse(question)
    assert q.loose and q.deed and (q.speaker, q.topic) == (speaker, topic), q


def test_a_source_named_last_is_the_speaker() -> None:
    q = analyse("Why did Ask Jeeves buy Bloglines, according to Jim Lanzone?")
    assert (q.speaker, q.topic, q.loose) == ("Jim Lanzone", "Why did Ask Jeeves buy Bloglines", False), q
    # "the report" is no speaker: the question is asked of the articles
    assert analyse("How many jobs will go, according to the report?").speaker is None


def test_being_sure_of_something_is_not_asked_of_a_thing() -> None:
    # no stance word: a plain question about the subject
    assert analyse("Is the stadium big enough for the final?").speaker is None


FIRM = (
    "\n\n".join(
        [
            "Tarn Oil seeks court protection",
            "Tarn Oil has asked a US court for bankruptcy protection to halt the sale of its main field.",
            '"It was a last resort to protect our shareholders and our staff," said Tarn Oil chief executive '
            "Paul Renner.",
            "Harbour League chief executive Dora Wilkes said clubs would cut ticket prices next season.",
            '"Every club has agreed," Ms Wilkes said.',
            "Harbour League chief executive Dora Wilkes said the television deal was worth more than ever.",
            "The Commons voted on the budget on Tuesday, and MPs cheered Alan Spearer, who retires in May.",
            '"I have loved every day of it," said Alan Spearer.',
        ]
    )
    + "\n"
)


@pytest.fixture(scope="module")
def firm(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    with ingest_articles(tmp_path_factory.mktemp("forms"), {"firm": FIRM}) as assistant:
        yield assistant


def test_the_role_of_a_body_is_that_bodys_role_holder(firm: Assistant) -> None:
    # "the chief executive" alone is the most quoted one (Wilkes); "of Tarn Oil" says whose
    assert [p.name for p in firm.people("the chief executive of Tarn Oil")] == ["Paul Renner"]
    assert_quoted(firm, "Why did the chief executive of Tarn Oil go to a US court?", "Paul Renner", "a last resort")


def test_a_role_word_is_no_typo_of_a_surname(firm: Assistant) -> None:
    # "speaker" is two letters from "Spearer": a role nobody holds is nobody, not Alan Spearer
    assert firm.people("the Commons Speaker") == []
    assert [p.name for p in firm.people("Alan Spearer")] == ["Alan Spearer"]


CLUB = (
    "\n\n".join(
        [
            "Rovers fine striker after row",
            "Rovers have fined striker Dean Hollis two weeks' wages after his row with manager Frank Mallory.",
            '"When I heard what the manager was saying I was in shock," Hollis said.',
            "Mallory said Hollis was not good enough for a club like Rovers.",
            '"He has scored nine goals a season. That is not good enough for a striker here," said Rovers manager '
            "Frank Mallory.",
        ]
    )
    + "\n"
)


def test_who_is_the_role_who_did_something_makes_he_the_role_holder(tmp_path_factory) -> None:
    with ingest_articles(tmp_path_factory.mktemp("club"), {"club": CLUB}) as a:
        first = a.ask("Who is the Rovers manager who fell out with Dean Hollis?")
        assert_quoted(
            a,
            "Why did he say Hollis wasn't good enough for the club?",
            "Frank Mallory",
            "not good enough",
            history=after(first),
        )


FILM = (
    "\n\n".join(
        [
            "Kosta defends her choice of Pike",
            "Director Mira Kosta has defended her decision to cast American actress Jo Pike as Anna, although "
            "the rest of the cast is British.",
            '"I cast by instinct. Jo had the mischief Anna needs, and you cannot teach that," said Ms Kosta.',
            "Producer Stephen Hallam said the film would open in March.",
        ]
    )
    + "\n"
)


@pytest.fixture(scope="module")
def film(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    with ingest_articles(tmp_path_factory.mktemp("film"), {"film": FILM}) as assistant:
        yield assistant


def test_a_lower_case_subject_is_told_from_its_deed_by_who_the_articles_quote(film: Assistant) -> None:
    q = analyse("why did meera kosta pick jo pike to play anna?")
    assert q.speaker is None and q.unsplit == "meera kosta pick jo pike to play anna", q
    assert_quoted(film, "why did meera kosta pick jo pike to play anna?", "Mira Kosta", "cast by instinct")
    # the articles' words, not a name: "the film" opens no subject
    assert analyse("why did the film open in march?").unsplit is None


def test_a_first_name_spelled_by_ear_is_the_persons(film: Assistant) -> None:
    assert [p.name for p in film.people("meera kosta")] == ["Mira Kosta"]
    assert [p.name for p in film.people("steven hallam")] == ["Stephen Hallam"]
    # another first name is another person
    assert film.people("mike kosta") == []


LORDS = (
    "\n\n".join(
        [
            "Former Speaker calls for Lords reform",
            "Baroness Hollins, who was the first woman to be Commons Speaker, said peers should elect their own "
            "Speaker.",
            '"The chamber works well," said Tom Pell, who is facing questions over his expenses.',
            '"The lord chancellor should not preside over us," Lady Hollins told the BBC.',
        ]
    )
    + "\n"
)


def test_an_office_given_in_a_clause_after_a_name_is_the_persons_role(tmp_path_factory) -> None:
    with ingest_articles(tmp_path_factory.mktemp("lords"), {"lords": LORDS}) as a:
        assert [p.name for p in a.people("the first woman to be Commons Speaker")] == ["Baroness Hollins"]
        # "who is facing questions" gives no office
        assert next(p for p in a.people() if p.name == "Tom Pell").roles == []
        assert_quoted(
            a,
            "What did the first woman to be Commons Speaker think about the lord chancellor presiding?",
            "Baroness Hollins",
            "should not preside",
        )


FEUD = (
    "\n\n".join(
        [
            "Rapper ends feud with protege",
            "Rapper Big Vance and his former protege Kid Arlo have ended their feud with a donation to schools.",
            "The row blew up when Big Vance threw Kid Arlo out of his crew and accused him of being disloyal.",
            'Kid Arlo told a news conference: "I want to apologise. I am almost ashamed of the last few weeks."',
            "Earlier, Kid Arlo had said his new album would sell more than any record by Big Vance.",
        ]
    )
    + "\n"
)


def test_what_someone_said_at_an_occasion_is_found_by_the_attribution(tmp_path_factory) -> None:
    q = analyse("What did Kid Arlo say at the news conference where they made peace?")
    # the occasion is the news conference; the clause about it is no words of the statement
    assert (q.topic, q.occasion) == ("the news conference", True), q
    assert analyse("What did Blair tell the Labour conference?").occasion
    assert not analyse("What did Blair say about the Labour conference?").occasion
    # what someone was asked about is the topic, not when they spoke
    for question in (
        "What did Blair say when asked about the war?",
        "What did Blair say when he was asked about the war?",
    ):
        assert (analyse(question).topic, analyse(question).occasion) == ("the war", False)
    with ingest_articles(tmp_path_factory.mktemp("feud"), {"feud": FEUD}) as a:
        assert_quoted(a, "What did Kid Arlo say at the news conference where they made peace?", "Kid Arlo", "apologise")


NETWORK = (
    "\n\n".join(
        [
            "US network trims war drama",
            "A US TV network is editing the drama Silent Harbour to avoid showing a nude scene.",
            'It is not worth showing "non-essential" nude scenes when complaints are pursued by watchdogs, said '
            "NBS' Maria Quint.",
            "Film critic Dan Orley of the Daily Post said the cut was a shame.",
            "The film's director Tom Vail said he understood the network's position.",
        ]
    )
    + "\n"
)


def test_whom_a_person_speaks_for_is_their_role_when_no_other_is_given(tmp_path_factory) -> None:
    with ingest_articles(tmp_path_factory.mktemp("network"), {"network": NETWORK}) as a:
        # "NBS' Maria Quint": NBS is all the article says of her office; nobody else is NBS's
        assert [p.name for p in a.people("the NBS executive")] == ["Maria Quint"]
        assert_quoted(
            a, "Why did the NBS executive say the network was trimming the scene?", "Maria Quint", "not worth"
        )


MISS = """Coach frustrated at narrow win

Republic of Ireland coach Owen Tierney admitted he was frustrated his side scored only once against Croatia.

"We had more good chances. It is a shame we did not take them," said Tierney.

Winger Declan Roche was a constant threat down the left. Man-of-the-match Roche explained what went wrong
when he fluffed a chance to make it 2-0 midway through the second half. He chose to chest the cross down
and shoot against the bar when a header looked the best option. "I would have headed that every time but
I completely lost it in the floodlights," said the Chelsea winger. "I was desperate to score myself."
"""


def test_a_reporters_label_of_what_someone_explained_gives_way_to_their_words(tmp_path_factory) -> None:
    with ingest_articles(tmp_path_factory.mktemp("miss"), {"miss": MISS}) as a:
        # "Man-of-the-match" describes him: it is no part of his name
        assert "Man-of-the-match Roche" not in {p.name for p in a.people()}
        answer = assert_quoted(
            a,
            "How did Declan Roche explain what went wrong with his missed chance against Croatia?",
            "Declan Roche",
            "lost it in the floodlights",
        )
        # the label, if cited, comes after the words it labels
        assert "explained what went wrong" not in answer.citations[0].quote, answer.text


def test_remembering_and_judging_ask_what_someone_said() -> None:
    remembered = analyse("What did Paul McGuinness remember about U2 when he first met the band?")
    assert (remembered.speaker, remembered.verb) == ("Paul McGuinness", "recall"), remembered
    judged = analyse("How did the Saints boss judge his player's outburst?")
    assert (judged.speaker, judged.topic, judged.loose) == ("Saints boss", "his player's outburst", False), judged


def test_what_someone_responded_to_is_the_topic_not_where_they_responded() -> None:
    on_air = analyse("How did the Culture Secretary respond on Newsnight to the campaign against the changes?")
    assert (on_air.speaker, on_air.topic, on_air.occasion) == (
        "Culture Secretary",
        "the campaign against the changes",
        False,
    )
    # a "to" inside what was responded to stays in it
    assert analyse("How did Blair respond to plans to cut taxes?").topic == "plans to cut taxes"
    assert analyse("How did Blair respond in Parliament to plans to cut taxes?").topic == "plans to cut taxes"


def test_an_act_of_speech_named_by_its_noun_asks_what_someone_said() -> None:
    pitch = analyse("What pitch did India's defence minister make to foreign aerospace companies?")
    assert (pitch.speaker, pitch.topic) == ("India's defence minister", "pitch to foreign aerospace companies"), pitch
    warning = analyse("What warning did the central bank give about house prices?")
    assert (warning.speaker, warning.topic) == ("central bank", "warning about house prices"), warning
    reasons = analyse("What reasons did Judge Clark give for throwing out the case?")
    assert (reasons.speaker, reasons.topic) == ("Judge Clark", "reasons for throwing out the case"), reasons
    # an offer for a player is a deed, not words
    assert analyse("What offer did Chelsea make for Drogba?").speaker is None


def test_according_to_someones_research_is_according_to_them() -> None:
    research = analyse("How many lives would a lower limit save, according to Professor Allsop's research?")
    assert research.speaker == "Professor Allsop", research
    assert analyse("What did the IFS's latest report say about taxes?").speaker == "IFS"
    # a person owning a person is the person asked about
    assert analyse("What did Michael Jackson's mother say about the charges?").speaker == "Michael Jackson's mother"


def test_when_someone_thinks_something_will_happen_asks_their_view() -> None:
    view = analyse("When does Germany's Economy minister think joblessness will really start to fall?")
    assert (view.speaker, view.topic, view.loose) == (
        "Germany's Economy minister",
        "joblessness will really start to fall",
        True,
    ), view
    expected = analyse("When did Greg Dyke expect a decision on the licence fee?")
    assert (expected.speaker, expected.topic) == ("Greg Dyke", "a decision on the licence fee"), expected
    # when a deed was done, or when something happens, is no one's view
    assert analyse("When did the club announce the signing?").speaker is None
    assert analyse("When does Kisna - the Warrior Poet open in the UK?").speaker is None


def test_a_verdict_or_an_assessment_asks_for_someones_words() -> None:
    verdict = analyse("What was Jimmy Floyd Hasselbaink's verdict on Middlesbrough's performance against Graz?")
    assert (verdict.speaker, verdict.topic) == ("Jimmy Floyd Hasselbaink", "Middlesbrough's performance against Graz")
    assessment = analyse("What was the manager's assessment of the match?")
    assert (assessment.speaker, assessment.topic) == ("manager", "the match"), assessment


def test_according_to_a_report_nobody_is_named_for_asks_the_articles() -> None:
    report = analyse("How many people need care, according to the report on the government's care plans?")
    assert (report.speaker, report.kind) == (None, "how_many"), report
    assert analyse("According to the survey, how many people use broadband?").speaker is None
    # a document someone owns is theirs
    assert analyse("What did the IFS's latest report say about taxes?").speaker == "IFS"


def test_the_plans_or_the_ruling_in_a_follow_up_refer_back_to_the_story() -> None:
    assert refers_back("And what did the Tory spokesman say about the plans?")
    assert refers_back("What did she say about the ruling?")
    assert not refers_back("What did Blair say about the reforms to the NHS?")


def test_a_speaker_named_with_their_body_may_run_to_eight_words() -> None:
    why = analyse("Why did Steve Lewis of the Welsh Rugby Union think the fundraiser was worthwhile?")
    assert (why.speaker, why.topic) == ("Steve Lewis of the Welsh Rugby Union", "the fundraiser was worthwhile"), why
