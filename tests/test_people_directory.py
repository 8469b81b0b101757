"""The people directory on a real store: one entry per person whatever the spelling, and never a
body or a place merged into a person because its name is a typo away from theirs."""

from __future__ import annotations

from pathlib import Path

from assistant import Assistant
from assistant.text.speakers import role_fits

from .conftest import after

SPRINT = """Gardener eyes indoor sprint title

Sprinter Jason Gardener says he is ready to defend his European indoor 60m title in Madrid next month.

"I have trained harder this winter than ever before," Jason Gardener said. "The legs feel fresh."

Gardener added that he would skip the Birmingham meeting to rest.
"""

ANALYSTS = """Tablet sales set to double

Sales of tablet computers will double next year, according to research firm Gartner.

"Prices are falling fast and buyers are following," Gartner said in its annual forecast.

Gartner also predicted that phone makers would enter the market.
"""

NEVER_INTRODUCED = """Ministers meet over missile deal

Talks on the missile purchase continued in Ankara on Tuesday.

"We have made our decision and it is final," Cavusoglu said after the meeting.
"""

INTRODUCED = """Turkey defends missile purchase

Turkish Foreign Minister Mevlut Cavusoglu defended the purchase on Monday.

"Nobody can tell us what to buy," Mevlut Cavusoglu said.
"""


def _ingested(tmp_path: Path, **articles: str) -> Assistant:
    """A store holding only ``articles`` (file name stem -> text)."""
    docs = tmp_path / "docs"
    docs.mkdir()
    for name, text in articles.items():
        (docs / f"{name}.txt").write_text(text, encoding="utf-8")
    assistant = Assistant(store_dir=tmp_path / "store")
    assistant.ingest([docs])
    return assistant


def test_a_body_a_typo_away_from_a_person_stays_apart_and_a_lone_surname_joins(tmp_path: Path) -> None:
    with _ingested(tmp_path, sprint=SPRINT, analysts=ANALYSTS, lone=NEVER_INTRODUCED, full=INTRODUCED) as a:
        people = {p.name: p for p in a.people()}
        gardener = people["Jason Gardener"]
        assert all("Gartner" not in s for s in gardener.spellings), gardener.spellings
        assert all(q.doc_id != a.people("Gartner")[0].quotes[0].doc_id for q in gardener.quotes)
        assert a.people("Gartner")[0].name == "Gartner" and a.people("Gartner")[0].kind == "organisation"
        # the same surname, never introduced in its article, is the person introduced elsewhere
        cavusoglu = a.people("Cavusoglu")
        assert len(cavusoglu) == 1 and cavusoglu[0].name == "Mevlut Cavusoglu"
        assert cavusoglu[0].articles == 2
        answer = a.ask("What did Jason Gardener say about his training?")
        assert not answer.abstained and all("sprint" in c.source for c in answer.citations), answer.text


HOME_OFFICE = """Row over house arrest plans

Home Secretary Charles Clarke said the house arrest plans would be used only in serious cases.

"We must protect the public," Mr Clarke said.

Shadow home secretary David Davis said the house arrest plans were "deeply worrying".

Former home secretary Michael Howard said the courts should decide on house arrest.
"""


def test_the_home_secretary_is_not_the_shadow_or_the_former_one(tmp_path: Path) -> None:
    with _ingested(tmp_path, home=HOME_OFFICE) as a:
        assert [p.name for p in a.people("the Home Secretary")] == ["Charles Clarke"]
        assert [p.name for p in a.people("the shadow home secretary")] == ["David Davis"]
        assert a.people("the former home secretary")[0].name == "Michael Howard"
        # and in a conversation about the shadow home secretary, "the Home Secretary" is still Clarke
        first = a.ask("What did David Davis say about the house arrest plans?")
        history = after(first)
        answer = a.ask("What did the Home Secretary say about them?", history=history)
        assert not answer.abstained and answer.citations[0].speaker == "Charles Clarke", answer.text


STADIUM = """Stadium plan divides city

The stadium plan has many critics. Local critics met on Monday. Some critics want a referendum, other
critics want a smaller ground, and the critics' group will fight on.

Critics say the plan is too costly. They also said the roads could not take the traffic.

"We will build it," said mayor Anna Berg.

The Harbour Trust said the council had approved the plan.
"""


def test_a_plural_noun_opening_a_sentence_is_nobody_in_the_directory(tmp_path: Path) -> None:
    with _ingested(tmp_path, stadium=STADIUM) as a:
        names = {p.name for p in a.people()}
        assert "Critics" not in names and {"Anna Berg", "The Harbour Trust"} <= names, names


AIRLINES = """Airlines fight compensation rules

New EU rules on compensation for delayed passengers came into force on Thursday.

EC spokeswoman Marta Lind conceded there were "grey areas" in the rules, she said.

The Electoral Commission's chairman, Sam Yardley, said turnout had fallen again.

BP chief executive Lord Brome said oil prices would stay high.
"""


def test_a_role_naming_a_body_by_its_head_noun_fits_the_body_s_acronym(tmp_path: Path) -> None:
    with _ingested(tmp_path, airlines=AIRLINES) as a:
        # "the Commission" is the EC; the Electoral Commission's chairman is no spokeswoman
        assert [p.name for p in a.people("the Commission's spokeswoman")] == ["Marta Lind"]
        # only a body's head noun stands for the last letter of its acronym: "Plus.net" is not BP
        assert "Lord Brome" not in [p.name for p in a.people("Plus.net's chief executive")]


LEVY = """Minister defends harbour levy

The harbour levy is fair and "long overdue", Helen Marsh has said.

The fisheries minister said the money would pay for new sea walls at Kilkee and Ardmore.

Councillor Tom Reid said the levy was too high. Mayor Anna Berg met the harbour master, Paul Dean, on
Friday. The port director said the levy would go ahead anyway.

Gail Brennan, head of the boat owners' group, said members would pay under protest. The spokesman said the
group would meet on Monday.
"""

FALLOUT = """Expert tells trial of TV 'disaster'

A PR expert has told a court that the documentary at the heart of the case was an "absolute disaster".

Ann Kitely told the court in Santa Maria that she was hired to manage the fallout from the film.
"""

PM_FIRST = """Blair backs new schools

Prime Minister Tony Blair said the new schools would open in September.
"""

PM_LATER = """Row over schools plan

Tony Blair is under pressure over the schools plan. Opposition leader Michael Hardy said the plan was
"a shambles" and would be dropped.

The prime minister said the schools would open on time.
"""


def test_a_description_nobody_holds_is_the_person_just_named(tmp_path: Path) -> None:
    """News names someone, then describes them ("Helen Marsh has said. The fisheries minister said"), or
    describes them in the lead and names them in the next paragraph. Not a spokesman (who speaks for
    someone else), not when someone else is named between, and never over a role the corpus gives
    someone the article names ("the prime minister" is Blair, not the last speaker)."""
    articles = {"levy": LEVY, "fallout": FALLOUT, "pm_first": PM_FIRST, "pm_later": PM_LATER}
    with _ingested(tmp_path, **articles) as a:

        def speaker(words: str) -> str | None:
            """Who the directory gives the statement holding ``words`` to (None: nobody named)."""
            text = a.index.document_text
            found = [p.name for p in a.people() for q in p.quotes if words in q.quote.text(text(q.doc_id))]
            assert len(found) <= 1, found
            return found[0] if found else None

        assert speaker("new sea walls") == "Helen Marsh"
        assert "fisheries minister" in a.people("Helen Marsh")[0].roles
        assert speaker("absolute disaster") == "Ann Kitely"  # the lead's "A PR expert", named next
        assert speaker("go ahead anyway") is None  # Anna Berg and Paul Dean were named between
        assert speaker("meet on Monday") is None  # speaks for the group, is not Gail Brennan
        assert speaker("open on time") == "Tony Blair"  # the role's holder elsewhere, not Michael Hardy
        answer = a.ask("What did the fisheries minister say about the harbour levy?")
        assert not answer.abstained and answer.citations[0].speaker == "Helen Marsh", answer.text


ALLIANCE = """Alliance chief warns on budgets

Alliance Secretary-General Jonas Berg said members must spend more on defence.

"Every ally has to carry its share," Mr Berg said.
"""


def test_a_spokesman_of_a_body_is_not_whoever_else_holds_a_role_there(tmp_path: Path) -> None:
    with _ingested(tmp_path, alliance=ALLIANCE) as a:
        assert [p.name for p in a.people("the Alliance chief")] == ["Jonas Berg"]  # a generic head: its leader
        assert a.people("the Alliance spokesman") == []  # speaks for the alliance; not its secretary-general
        assert a.people("the secretary-general's spokesman") == []


BUDGET = """Budget cuts unveiled

Vice-President Dan Quill said the budget was the toughest in a decade.

"It is fair and responsible," Mr Quill said.
"""

PHONES = """Phone maker sees music boom

"Music on phones will grow fast," said Rita Moss, senior vice president of sales and marketing at Vexcorp.

She said sales in Asia had doubled. "Buyers want songs everywhere," she said. "Prices are falling."

Ms Moss added that Vexcorp would open a music store in the spring.
"""


def test_a_role_joined_by_and_is_kept_and_the_closest_office_comes_first(tmp_path: Path) -> None:
    with _ingested(tmp_path, budget=BUDGET, phones=PHONES) as a:
        moss = a.people("Rita Moss")[0]
        # "and" joins a role's nouns after its head: the whole role is hers
        assert "senior vice president of sales and marketing at Vexcorp" in moss.roles, moss.roles
        assert a.people("Vexcorp's senior vice president of sales")[0].name == "Rita Moss"
        # "the vice-president" is the Vice-President before a senior vice president of sales, however
        # often she is quoted
        assert moss.statements > a.people("Dan Quill")[0].statements
        assert a.people("the vice-president")[0].name == "Dan Quill"
        answer = a.ask("How did the vice-president describe the budget?")
        assert not answer.abstained and answer.citations[0].speaker == "Dan Quill", answer.text


NICKNAMED = """Striker says sorry to fans

Ahmed 'Mido' Hossam has apologised to the national team's supporters.

Mido said: "I came from England specially to say sorry to the people."

Mido added that he would play whenever the coach called him.
"""


def test_a_nickname_in_quotes_finds_the_person_who_goes_by_it(tmp_path: Path) -> None:
    with _ingested(tmp_path, mido=NICKNAMED) as a:
        found = a.people("mido")
        assert [p.name for p in found] == ["Ahmed 'Mido' Hossam"], found
        assert "Mido" in found[0].spellings and found[0].statements == 2
        answer = a.ask("What did Mido say about the people?")
        assert not answer.abstained and answer.citations[0].speaker == "Ahmed 'Mido' Hossam", answer.text


HYPHENATED = """MEP quits party

Euro MP Robert Kilroy-Silk has quit the party he joined last year.

"I cannot stay in a party that will not change," Mr Kilroy-Silk said.
"""

SPACED = """MEP attacked with slurry

Robert Kilroy Silk said a man threw a bucket of slurry over him outside a shop in Derbyshire.
"""

PARTICLE = """Band back on tour

Singer Simon Le Bon said the band would tour America again next year.
"""


def test_a_surname_spaced_hyphenated_or_run_together_is_one_person(tmp_path: Path) -> None:
    with _ingested(tmp_path, hyphenated=HYPHENATED, spaced=SPACED, particle=PARTICLE) as a:
        for asked in ("robert kilroy silk", "Kilroy-Silk", "robert kilroysilk"):
            found = a.people(asked)
            assert [p.name for p in found] == ["Robert Kilroy-Silk"] and found[0].articles == 2, (asked, found)
        for asked in ("simon lebon", "Le Bon"):
            assert [p.name for p in a.people(asked)] == ["Simon Le Bon"], asked


def test_a_role_mention_names_the_roles_own_noun_not_its_owners() -> None:
    assert role_fits("the lawyer", "unidentified woman's lawyer")
    assert role_fits("the woman's lawyer", "unidentified woman's lawyer")
    assert not role_fits("the woman", "unidentified woman's lawyer")
    assert not role_fits("the club", "club's chairman")
    assert role_fits("the co-founder", "Skype's co-founder")


BANKS = """Banks deepen ties

Two Japanese banks will work more closely together.

"Cross-selling opportunities between banks and brokers are increasing," said Heronry Okafor, an analyst at Nikko.
"""


def test_a_first_name_no_list_knows_is_found_by_the_name_it_misspells(tmp_path: Path) -> None:
    with _ingested(tmp_path, banks=BANKS) as a:
        # the article's "Heronry" is a typo of Henry: asked by the right name, the person is found
        assert [p.name for p in a.people("Henry Okafor")] == ["Heronry Okafor"]
        # another known first name is another person
        assert a.people("Glenn Okafor") == []
        answer = a.ask("What did Henry Okafor say about banks and brokers?")
        assert not answer.abstained and answer.citations[0].speaker == "Heronry Okafor", answer.text


RUSSIA_ECONOMY = """Russia sees growth

Economy minister German Grev said growth would reach 6% this year.

"Oil prices keep us strong," Mr Grev said.
"""

GERMANY_JOBS = """Germany nears jobless record

Unemployment in Germany rose again in January.

"I don't expect a strong turnaround until 2006," German Economy minister Wolfgang Klemen said.
"""


def test_a_first_name_that_is_a_nationality_names_no_country_of_the_persons_role(tmp_path: Path) -> None:
    with _ingested(tmp_path, russia=RUSSIA_ECONOMY, germany=GERMANY_JOBS) as a:
        # "German" is Grev's first name, not the country of his office
        assert [p.name for p in a.people("Germany's economy minister")] == ["Wolfgang Klemen"]
        answer = a.ask("What does Germany's economy minister think about a turnaround?")
        assert not answer.abstained and answer.citations[0].speaker == "Wolfgang Klemen", answer.text


ARGENTINA_DEBT = """Argentina closes debt swap

Argentina's economy minister Roberto Lavano said the swap had drawn bondholders in Germany and Italy.

"This is the end of the default," Mr Lavano said.
"""

SIX_NATIONS = """Wales eye Grand Slam after win

England coach Andy Robbins said his side had lost to a better team.

"They were sharper at the breakdown," Robbins said.

Wales coach Mike Rudd said: "We kept our heads when England came back."
"""


def test_a_role_that_names_another_country_is_not_the_asked_countrys_office(tmp_path: Path) -> None:
    with _ingested(tmp_path, argentina=ARGENTINA_DEBT, germany=GERMANY_JOBS, rugby=SIX_NATIONS) as a:
        # Argentina's minister's story names Germany; his own role names Argentina
        assert [p.name for p in a.people("Germany's economy minister")] == ["Wolfgang Klemen"]
        assert [p.name for p in a.people("the Argentine economy minister")] == ["Roberto Lavano"]
        # England is a country here too: the England coach is not the Welsh coach
        assert [p.name for p in a.people("the Welsh coach")] == ["Mike Rudd"]
        assert [p.name for p in a.people("the English coach")] == ["Andy Robbins"]
        answer = a.ask("When does Germany's economy minister think the turnaround will come?")
        assert not answer.abstained and answer.citations[0].speaker == "Wolfgang Klemen", answer.text


HEALTH_WAITS = """Waiting targets attacked

Health Minister Jane Hutton said waits were falling.

Rhodri Glyn Tomos, Plaid Cymru health spokesman said: "It's exactly the same target she set in 1999."

Lisa Powers, head of policy at Aids charity the Terrence Higgins Trust said the policy was prejudice-based.
"""

TSUNAMI_OFFER = """Gurkhas offered for tsunami relief

International Development Minister Gareth Tomos said the assistance offer would help.

However a spokesman pointed out that there were particular difficulties in Indonesia.

The spokesman said: "The government has formally offered the assistance of a company of Gurkhas."
"""


def test_a_role_set_off_after_a_name_with_no_closing_comma_is_the_persons(tmp_path: Path) -> None:
    with _ingested(tmp_path, health=HEALTH_WAITS, tsunami=TSUNAMI_OFFER) as a:
        power = a.people("Lisa Powers")
        assert power and "head of policy at Aids charity the Terrence Higgins Trust" in power[0].roles
        said = [c.speaker for c in a.quotes("the Plaid Cymru health spokesman")]
        assert said and set(said) == {"Rhodri Glyn Tomos"}, said
        # another spokesman, in a story naming another Tomos, is not him
        assert not any("Gurkhas" in c.quote for c in a.quotes("Rhodri Glyn Tomos"))


WORLDCOM_TRIAL = """Ebbers aware of fraud, says witness

Former WorldCom chief Bernie Ebbs knew of the fraud, his former finance chief Scott Sullivane has told a court.

Mr Ebbs has always insisted that he was unaware of any hidden shortfalls. The former finance officer said Mr Ebbs
knew the figures were false.
"""


def test_a_description_is_not_the_person_its_own_statement_names(tmp_path: Path) -> None:
    with _ingested(tmp_path, trial=WORLDCOM_TRIAL) as a:
        said = [c.quote for c in a.quotes("Bernie Ebbs")]
        assert any("unaware" in q for q in said), said
        assert not any("figures were false" in q for q in said), said


OBITUARY = """Former minister Scott dies

Former Northern Ireland minister Sir Nicolas Scot has died at a London hospice, his family said.

Mr Scot, 71, served in the Commons for 31 years. "He was a man of great courtesy," said Tory leader Michael Hobbard.

"I come from an ordinary
family," Mr Hobbard said. Deutsche Borse said Deutsche Borse would not change its bid.

Villa defender Olof Melberg was sent off. "I've had more than a quiet word with Olof," he said.
"""


def test_a_statement_naming_its_speaker_as_someone_else_would_is_given_to_nobody(tmp_path: Path) -> None:
    with _ingested(tmp_path, obituary=OBITUARY) as a:
        scot = [c.quote for p in a.people("Nicolas Scot") for c in a.quotes(p.name)] if a.people("Nicolas Scot") else []
        assert not any("has died" in q for q in scot), scot
        hobbard = [c.quote for c in a.quotes("Michael Hobbard")]
        assert any("ordinary" in q for q in hobbard) and any("courtesy" in q for q in hobbard), hobbard
        # his first name alone, as someone else speaks to or of him
        assert "Olof Melberg" not in [p.name for p in a.people()]


LABOUR_COSTS = (
    "Germany's jobless count rises\n\nThe real solution is to cut the wages of low skilled workers, says Helmut "
    "Schnieder, director of the Institute for the Study of Labour at Bonn University.\n\nBonn University said "
    "the institute was independent of the government.\n"
)


def test_a_role_at_a_body_worded_otherwise_is_the_one_person_whose_role_names_the_body(tmp_path: Path) -> None:
    with _ingested(tmp_path, labour=LABOUR_COSTS, russia=RUSSIA_ECONOMY) as a:
        assert [p.name for p in a.people("the labour economist at Bonn University")] == ["Helmut Schnieder"]
        # a role at a body nobody's role names is nobody: not the body found by its last word
        assert a.people("the chief executive of Gazprom") == []
