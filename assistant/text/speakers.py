"""Who an attribution's words refer to, inside one article: "Mr Howard", "he", "the home
secretary" and "the NATO chief" resolved to the fullest name the article gives ("Michael
Howard", "Jens Stoltenberg"), with the role it gives them ("Tory leader").

News introduces a person once in full, usually with a role ("Home Secretary Charles Clarke",
"Michael Howard, the Tory leader,") and then uses the surname, a title or a pronoun; so the
article is scanned once for people and their roles, and each mention is resolved to the
nearest compatible one before it.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz.distance import OSA

from .countries import country_forms, is_demonym
from .names import SENTENCE_OPENERS
from .roles import DOCUMENT_NOUNS, ROLE_HEADS, ROLE_WORDS, is_role_word
from .speech import ATTRIBUTION_VERBS
from .terms import fold

# a name set off after an office with its honorifics: "The Bishop of Durham, [the Rt Rev Dr Tom Wright],"
HONOURED_NAME = re.compile(
    r"the\s+(?P<honours>(?:(?:Rt|Right|Very|Most)\.?\s+)?(?:Rev(?:erend|d)?|Hon(?:ourable)?)\.?\s+"
    r"(?:(?:Dr|Canon|Professor|Prof)\.?\s+)?)(?P<name>[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){1,3})"
)
# the office before it: "[The Bishop of Durham], the Rt Rev ..."
_OFFICE_BEFORE_HONOURS = re.compile(
    r"(?:^|(?<=[\s(]))(?:[Tt]he\s+)?(?P<role>[A-Z][\w'’-]*(?:\s+(?:of|for|and|the|[A-Z][\w'’-]*)){0,5}),\s+the\s+$"
)
# a sentence opening on a definite description: "The Tory leader was asked", "The foreign secretary said"
_ROLE_SUBJECT = re.compile(r"\b[Tt]he\s+(?=(?P<words>(?:[\w'’\-]+\s+){1,5}[\w'’\-]+))")
# where a sentence opens, perhaps on a conjunction: "... cat. [The Tory leader]", "\n\nBut [the chancellor]"
_SENTENCE_OPENS = re.compile(r"(?:^|[.!?][\"”’']?\s+|\n\s*)(?:(?:But|And|However,|Meanwhile,|Now)\s+)?$")
# a sentence's opening adverb run into the role after it: "However Nintendo president Satoru Iwata",
# "Meanwhile Lib Dem leader Charles Kennedy", "Earlier Tory leader Michael Howard"
_OPENING_ADVERB = re.compile(
    r"^(?:However|Meanwhile|Yet|Earlier|Later|Now|Still|Instead|Indeed|Separately|Elsewhere|Similarly|But|And)"
    r",?\s+(?=\S)"
)
# words after a role that carry it on: "The singer [of] Because the Night", "The actress [and] singer"
_ROLE_GOES_ON = set("of for at in on to with from by and or who which whose that".split())
GENERIC_HEADS = {"chief", "head", "boss", "leader", "official", "spokesman", "spokeswoman", "envoy"}

_TOKEN = r"[A-Z\u00c0-\u024f][\w'’.\-\u00c0-\u024f]*"
_PARTICLE = r"(?:de|del|van|von|der|den|bin|al|da|di|du|le|la|dos|das|ibn|el)"
# a nickname in quotes inside a name: "Ahmed 'Mido' Hossam" (never opening or closing a run)
_NICKNAME = r"['‘\"“][A-Z][\w-]*['’\"”](?=\s+[A-Z])"
_RUN = re.compile(rf"{_TOKEN}(?:(?:\s|-)(?:{_PARTICLE}\s)?(?:{_TOKEN}|{_NICKNAME}))*")
_TITLE_OF_NAME = {
    "mr",
    "mrs",
    "ms",
    "miss",
    "dr",
    "sir",
    "lord",
    "lady",
    "dame",
    "prof",
    "professor",
    "mr.",
    "mrs.",
    "ms.",
    "dr.",
    "rev",
    "baroness",
    "judge",
    "sen",
    "sen.",
}
_FEMALE = {"mrs", "ms", "miss", "lady", "dame", "baroness", "mrs.", "ms."}
_MALE = {"mr", "sir", "lord", "mr."}
_ORG_WORDS = set(
    """bank party ltd plc inc group association council union commission office agency corporation corp institute
    university ministry department committee federation organisation organization fund reserve board court
    service services network airways airlines motors trust times news bbc league club fa uefa fifa police
    government parliament assembly foundation society company co records studios entertainment pictures
    authority administration command forces army navy ofcom ofgem research communications media journal magazine
    telecom energy digest software electronics games interactive wireless systems technologies networks
    partners associates securities holdings capital consulting""".split()
)
# a publication named by its kind ("the newspaper", "the weekly magazine"): nobody it quoted
PUBLICATION_NOUNS = frozenset({"newspaper", "paper", "magazine", "daily", "weekly", "tabloid"})  # no person
_PUBLICATION = re.compile(rf"^[Tt]he\s+(?:[a-z-]+\s+)?(?:{'|'.join(sorted(PUBLICATION_NOUNS))})$")
ORG_NOUNS = set(
    """firm company group bank government ministry party union club airline retailer carrier agency
    organisation organization body regulator watchdog department council team side league federation
    commission network channel broadcaster studio label chain maker manufacturer operator insurer lender""".split()
)
_NOT_NAMES = SENTENCE_OPENERS | set(
    """He She They We I His Her Their Its There Some Many Last Next Monday Tuesday Wednesday Thursday
    Friday Saturday Sunday January February March April May June July August September October November
    December Speaking Asked According Also Now Yet So Such Both Other Others Can Could Should Would Does Did Is Are
    Was Were Has Have Had Said Says Added Adds""".split()
    # a question's verb opening a headline: "Can Yahoo dominate next decade?"; an inverted cue: "Said Mr Fogg:"
)
# a day or a month, as news writes them ("on Thursday", "in September")
WEEKDAY = r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day"
MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
_LEADING = re.compile(
    r"^(?:(?:but|and|however|meanwhile|yet|so|now|also|instead|still|then|earlier|later|separately|indeed|already"
    r"|in a statement|in an interview|on \w+day|last \w+|this \w+|on \w+"
    rf"|(?:until|since|in|by|from|after|before) (?:{MONTH}|{WEEKDAY}|\d{{4}}))\s*,?\s+)+",  # "Until December Microsoft"
    re.IGNORECASE,
)
# a date run into the subject's name: "on Thursday Intel announced", "Furse on Thursday", "in December BT
# said" (a month before an acronym; "June Grewcock" is a name, "Sunday Times" a paper)
_DATE_BEFORE_NAME = re.compile(rf"^(?:(?!Sun){WEEKDAY}|{MONTH}(?=\s+[A-Z]{{2,}}\b))\s+(?=[A-Z])")
_DATE_AFTER_NAME = re.compile(rf"\s+on\s+{WEEKDAY}$")
_MAKER_OF = re.compile(r"(?<=^(?:the|The)\s)((?:[a-z][\w-]*\s+){0,2}[a-z][\w-]*)\s+behind\s+.*$")
_PRONOUNS = {"he": "m", "she": "f", "they": "", "it": ""}
_THEY_REACH = 400  # characters: "they" goes on with unnamed people who spoke this far back at most
# others "they" may mean, named since: "Lord Justice Rix and Mr Justice Forbes", "The Lib Dems"
_OTHER_PLURAL = re.compile(
    r"\b[A-Z][\w'’-]+\s+and\s+(?:[A-Z][\w'’.-]+\s+)*[A-Z]|\b[Tt]he\s+(?:[A-Z][\w-]*\s+)*[A-Z][\w-]*s\b"
)
_IT_REACH = 600  # characters: "it said" means a body that spoke this far back at most
_SUBORDINATORS = {
    "after",
    "before",
    "when",
    "since",
    "until",
    "because",
    "although",
    "though",
    "whereas",
    "if",
    "which",
}
# capitalised words that are never a speaker's name on their own ("Some said", "Many believe")
_NEVER_SUBJECTS = SENTENCE_OPENERS | set(
    """He She They We I His Her Their Its There Some Many Both Other Others Such So Yet Now Also According
    Asked Speaking Instead Still""".split()
)
# words that put a name after them out of subject position: prepositions, verbs, relative pronouns
# a name followed by more names and an "and" before the last: a list (`Clive Owen, Jamie Foxx and Alan Alda`)
_NAME = r"(?:[A-Z][\w'’.-]+\s+){0,3}[A-Z][\w'’.-]+"
_LIST_AHEAD = re.compile(rf"{_NAME}(?:,\s+{_NAME})*,?\s+and\s+{_NAME}")
_NOT_BEFORE_SUBJECT = set(
    """for to with by at in on from about against between than into over under after before despite like
    including as of among without towards toward is was were are be been has have had told
    which who whom whose that what when where whereas if because although though
    particularly especially notably namely""".split()
)


@lru_cache(maxsize=1)
def _first_names():  # -> gender_guesser Detector (about 0.3 s to load: only ingest needs it)
    import gender_guesser.detector

    return gender_guesser.detector.Detector(case_sensitive=False)


def first_name_gender(token: str) -> str | None:
    """ "m"/"f"/"" for a known first name (""= either), None when the token is no first name."""
    if len(token) > 1 and token.isupper():
        return None  # an acronym ("NATO", "BBC") is a body, whatever a name list says
    guess = _first_names().get_gender(fold(token))
    if guess == "unknown" and "-" in token.strip("-"):
        # "Jean-Philippe", "Hans-Peter": a double first name is as its first part (not "Lewis-Francis")
        first, second = token.split("-", 1)
        if second[:1].isupper() and first_name_gender(first) is not None and first_name_gender(second) is not None:
            guess = _first_names().get_gender(fold(first))
    if guess == "unknown":
        return None
    return {"male": "m", "female": "f"}.get(guess, "")


@dataclass
class Speaker:
    name: str
    kind: str  # person | organisation | unnamed
    role: str = ""


@dataclass
class _Person:
    name: str
    key: str  # folded surname
    position: int
    gender: str = ""  # from a title (Mr, Mrs): certain
    likely_gender: str = ""  # from the first name: usually right ("Kay" is mostly male)
    roles: list[str] = field(default_factory=list)
    mentions: list[int] = field(default_factory=list)
    titled: bool = False  # known only as "Lord Janner" / "Mr Herron" so far: a full name may come later
    shared_surname: bool = False  # the surname alone named something else first ("band Kasabian", "Linda Kasabian")
    affiliations: set[str] = field(default_factory=set)  # roles that only say whom they are with ("Roma's [X]")


def strip_leading(who: str) -> str:
    """ "But the home secretary" -> "the home secretary"."""
    return _LEADING.sub("", who.strip()).strip()


_INSTITUTION_WORDS = {"college", "school", "academy", "centre", "center", "hospital", "institution"}
# a person named with the body they speak for after them: `David Noone from Intervoice`, `Mr Hirsch
# from Retail Banking Research`, `Detective Inspector Paul Miller of Thames Valley Police` (a first name
# or a title before the surname: not `Bank of England`, `Secretary of State`)
_PERSON_OF_BODY = re.compile(
    r"^(?P<person>(?:[\w'’.\-]+\s+)*?(?P<first>[A-Z][\w'’.\-]+)\s+(?P<surname>[A-Z][\w'’\-]+))"
    r",?\s+(?:of|from|at)\s+(?:the\s+)?[A-Z][^,;:]*$"
)


def person_of_body(mention: str) -> str | None:
    """The person in a mention naming them with their body after them (`Paul Miller of Thames Valley
    Police` -> `Paul Miller`); None when the mention is a body's own name (`Bank of England`)."""
    m = _PERSON_OF_BODY.match(mention)
    if m and _person_first(m.group("first")) and not _institution(m.group("surname")):
        return m.group("person")
    return None


# a child, parent or sibling named by first name after a named person's: they share the surname
# (not a wife or husband, who may not)
_FAMILY_BEFORE = re.compile(
    r"\b(?P<surname>[A-Z][\w\-]+)(?:['’]s|['’])\s+(?:daughter|son|brother|sister|father|mother|grandson"
    r"|granddaughter|grandfather|grandmother|niece|nephew|uncle|aunt|twin)\s+$"
)


def _family_surname(before: str) -> str | None:
    """ "Eavis" in "Mr Eavis' daughter " (before the first name "Emily")."""
    m = _FAMILY_BEFORE.search(before)
    return m.group("surname") if m else None


def _institution(word: str) -> bool:
    """A word naming a body ("Royal College", "London Institute"), never a surname."""
    return _org_word(word) or word.lower() in _INSTITUTION_WORDS


def _person_first(word: str) -> bool:
    """A first name or a title: the start of a person's name, not of a body's (`Royal College`)."""
    if word in _NOT_NAMES:  # ("The": a first name to the name list)
        return False
    return word.lower() in _TITLE_OF_NAME or (not _org_word(word) and first_name_gender(word) is not None)


def _paragraph_start(text: str, end: int) -> int:
    """Where the paragraph after the line break at ``end`` starts, past blank lines."""
    start = end + 1
    while start < len(text) and text[start] == "\n":
        start += 1
    return start


def _last_sentence_start(text: str, at: int) -> int:
    """Where the sentence holding ``at`` starts (after the last full stop or paragraph break)."""
    # (a full stop right before ``at`` ends a sentence too: "... analysts Gartner. [He said]")
    ends = [m.end() for m in re.finditer(r"[.!?][\"”’']?\s+(?=[\"“A-Z]|$)|\n", text[max(0, at - 600) : at])]
    return max(0, at - 600) + ends[-1] if ends else max(0, at - 600)


# what may open a sentence before its subject: nothing, a conjunction, or a phrase and its comma ("At 3GSM, ")
_OPENS_SENTENCE = re.compile(r"\s*(?:(?:But|And|However|Meanwhile|Now),?\s+|[A-Z][^,;:.\"“”]{0,40},\s+)?")
# a subject's verb right after it: "Siemens showed off", "Siemens has unveiled"
_DOES = re.compile(r"\s+(?:has\s+|had\s+|have\s+)?(?!(?:is|was|has|had|as|its|this|us)\b)[a-z]+(?:ed|s)\b")


class SpeakerResolver:
    """Resolve attribution mentions in one article, in reading order (call ``resolve`` with
    increasing positions: a pronoun means the last person spoken of)."""

    def __init__(self, text: str, quoted: list[tuple[int, int]] | None = None) -> None:
        self.text = text
        # quotations (open to close mark): a person named inside someone's quote is not who "he said" means
        self.quoted = sorted(quoted or [])
        self.people: list[_Person] = []
        self.organisations: list[tuple[int, str]] = []
        self.last: Speaker | None = None
        self.last_person: Speaker | None = None
        self.last_at = -1
        self.last_org: Speaker | None = None  # the organisation that spoke last: "the company" says more
        self.last_org_at = -1
        self.group: Speaker | None = None  # an unnamed "they" that spoke: quotes may go on with it, "he" may not
        self.group_at = -1
        self.plural: Speaker | None = None  # unnamed people who spoke ("analysts"): "They also said" may be them
        self.plural_at = -1
        self.described: list[tuple[int, str]] = []  # bodies the article calls a firm, a group, ...
        self.heads: dict[str, Speaker] = {}  # "a World Bank report" named: "the report" is the World Bank's
        # photo captions name people but tell no story: a pronoun never refers back into one
        self.captions = [(m.start(), m.end()) for m in _CAPTION.finditer(text)]
        # two-word names whose first name no list knows, by folded surname: a person once the surname speaks
        self.possible_names: dict[str, tuple[str, int]] = {}
        self.lead_role: tuple[int, str] | None = None  # the lead's role and where its holder is first named
        self._scan()
        self._role_subjects: list[tuple[int, _Person]] | None = None  # found on the first pronoun

    # --- the article's people ---------------------------------------------------------------
    def _scan(self) -> None:
        by_key: dict[str, _Person] = {}  # surname -> the person named last with it
        singles: set[str] = set()  # single words named in the body before any person with them as surname
        headline_end = self.text.find("\n")
        for run_start, run in _runs(self.text):
            tokens = run.split()
            start = run_start
            if tokens and tokens[0] in _NOT_NAMES:
                start += len(tokens[0]) + 1
                tokens = tokens[1:]
            if not tokens:
                continue
            role, name_tokens = _split_role(tokens)
            affiliation = ""
            before = self.text[max(0, start - 60) : start]
            end = run_start + len(run)
            raw_before = before[-16:].split()[-1] if before.endswith(" ") and before[-2:-1].isalpha() else ""
            word_before = raw_before.lower()
            if not role and (
                (self.text[end : end + 1] == "," and _ORG_APPOSITION.match(self.text, end, end + 80))
                or (word_before in _DESCRIBING_NOUNS and (len(tokens) == 1 or first_name_gender(tokens[0]) is None))
            ):
                # "Cairn Energy, a UK oil firm,", "network monitoring company Sandvine": a body, whatever its words
                # (not "games maker Peter Molyneux")
                name = " ".join(tokens).removesuffix("'s").removesuffix("’s")
                self.organisations.append((start, name))
                self.described.append((start, name))
                continue
            title = name_tokens[0].lower() if name_tokens else ""
            title_word = name_tokens[0] if title in _TITLE_OF_NAME else ""
            if title in _TITLE_OF_NAME:
                name_tokens = name_tokens[1:]
            if not name_tokens:
                continue
            if len(name_tokens) == 1 and title not in _TITLE_OF_NAME and not _org_word(name_tokens[0]):
                # a surname alone ("Jones, who says she is innocent") is the person named before in full; a
                # single name after a person's role ("Arsenal's Brazilian midfielder Edu") is a person too
                bare = _bare_name(name_tokens)
                key = fold(bare).lower()
                person = by_key.get(key)
                if person is not None and (
                    person.shared_surname or (start > headline_end and max(person.mentions, default=0) < headline_end)
                ):
                    person = None  # "Can Yahoo dominate ...?" in a headline: "Yahoo" in the story is no surname
                prefix = role
                if not prefix and raw_before.islower():  # a noun for a person right before it ("midfielder Edu")
                    if word_before in ROLE_HEADS and word_before not in _BODY_ROLES:
                        prefix = _role_before(before)  # not "Big Brother producer Endemol"
                    elif person is None and word_before.endswith(("ist", "ian")) and is_person_noun(word_before):
                        prefix = _noun_role_before(
                            before
                        )  # "US comedian Brand": not "Oil giant Shell", "browser Opera"
                if person is None and prefix and not bare.isupper():
                    # "Mr Eavis' daughter Emily": Emily Eavis, so that her full name finds her
                    family = _family_surname(before)
                    person = _Person(f"{bare} {family}" if family else bare, key, start)
                    self.people.append(person)
                    by_key[key] = person
                if person is None and start > headline_end:
                    singles.add(key)
                if person is not None:
                    if not any(s <= start < e for s, e in self.captions):
                        person.mentions.append(start)
                    if prefix and prefix not in person.roles:
                        person.roles.append(prefix)
                    continue
            owner, name_tokens = _owner_and_name(name_tokens)  # "Russia's Elena Dementieva" -> Elena Dementieva
            if (
                owner
                and not role
                and not (len(owner.split()) > 1 and first_name_gender(owner.split()[0]))  # "Tony Blair's [X]"
                and not self.text[start - 1 : start].isalpha()  # "eBay's": "Bay's"
                and not _NAME_GOES_ON.search(self.text, max(0, start - 30), start)  # "War on Want's": "Want's"
            ):
                # "PBS' Jacoba Atlas", "the BBC's Mark Thompson": whom they speak for is all the role given
                role = affiliation = owner
            if any(_org_word(t) for t in name_tokens) or (len(name_tokens) == 1 and title not in _TITLE_OF_NAME):
                sentence_first = re.search(r"(?:^|[.!?\"”]\s+|\n|[\"“‘'])$", self.text[max(0, start - 3) : start])
                if not role and (not sentence_first or len(name_tokens) > 1 or name_tokens[0].isupper()):
                    body = " ".join(name_tokens).removesuffix("'s").removesuffix("’s").rstrip("'’")  # "Airlines'"
                    self.organisations.append((start, body))
                continue
            if any(t.endswith(("'s", "’s")) for t in name_tokens[:-1]) or any(
                t.lower() in ("of", "to", "for") for t in name_tokens
            ):
                continue  # "Martin Scorsese's Gangs Of New York": a title or a body, not a person
            name = _bare_name(name_tokens)
            key = fold(name.split()[-1]).lower()
            person = self._find(key, start) if len(name_tokens) == 1 else self._find_full(name, key)
            if person is None and len(name_tokens) > 2:
                first = _first_name_at(name_tokens)
                if first > 0:  # "NATO Kay Bailey Hutchinson", "Fellow Lib Dem Norman Baker": words before a first name
                    if any(is_role_word(fold(t).lower()) for t in name_tokens[:first]):  # "Drummer Larry Mullen Jr"
                        role = role or " ".join(name_tokens[:first])
                    name_tokens = name_tokens[first:]
                    name = _bare_name(name_tokens)
                    person = self._find_full(name, key)
            if person is None:
                gender = first_name_gender(name_tokens[0]) if len(name_tokens) >= 2 else None
                has_role = bool(role or _role_before(before))
                if gender is None and title not in _TITLE_OF_NAME and not (has_role and len(name_tokens) >= 2):
                    if (
                        len(name_tokens) == 2
                        and not any(t.isupper() or t in _NOT_NAMES or is_role_word(t.lower()) for t in name_tokens)
                        and not country_forms(name_tokens[0])
                        and not re.search(r"(?:^|[.!?\"“”]\s*|\n)$", self.text[max(0, start - 3) : start])
                    ):
                        # "Lleyton Hewitt": a first name no list knows, a person if "Hewitt" speaks later
                        self.possible_names.setdefault(key, (name, start))
                    continue  # "North East Says No", "Final Wars": no first name, no title: not a person
                if len(name_tokens) < 2 and title not in _TITLE_OF_NAME:
                    continue
                if len(name_tokens) < 2:  # "Lord Janner" with no full name: a person a pronoun may mean
                    name = f"{title_word} {name}"
                    person = _Person(name, key, start, titled=True)
                else:
                    person = _Person(name, key, start, likely_gender=gender or "", shared_surname=key in singles)
                self.people.append(person)
                by_key[key] = person
            if not any(s <= start < e for s, e in self.captions):
                person.mentions.append(start)
            if title in _MALE:
                person.gender = "m"
            elif title in _FEMALE:
                person.gender = "f"
            prefix = role or _role_before(before)
            if not prefix and title not in _TITLE_OF_NAME and raw_before.islower() and len(raw_before) > 3:
                prefix = _noun_role_before(before, person=True)  # not "the BBC website [Mr X]"
            if not prefix and before.endswith(", the ") and HONOURED_NAME.match(self.text, start - 4):
                office = _OFFICE_BEFORE_HONOURS.search(self.text[max(0, start - 80) : start])
                words = office.group("role").split() if office else []
                # "The Bishop of Durham, the Rt Rev Dr Tom Wright,"; "Lord Campbell of Alloway and the Bishop of
                # Winchester, the Rt Rev Michael Scott-Joynt,": from the last office word on
                at = max((i for i, w in enumerate(words) if w.lower() in ROLE_WORDS), default=-1)
                prefix = " ".join(words[at:]) if at >= 0 else ""
            if not prefix and before.endswith(", "):
                wide = self.text[max(0, start - 160) : start - 2]
                prefix = _role_set_off(wide)  # "Washington's envoy to NATO, Kay Hutchison,"
            elif prefix:
                prefix = _role_set_off_before(self.text[max(0, start - 160) : start], prefix) or prefix
            if prefix and prefix not in person.roles:
                person.roles.append(prefix)
                if prefix == affiliation:
                    person.affiliations.add(prefix)
            end = run_start + len(run)
            # (or its cue, the closing comma left out: `Lisa Power, head of policy at the Terrence Higgins Trust said`)
            after = re.match(
                r",\s+(?:the |a |an )?(?P<role>[^,.;:()\"“”]{3,100}?)(?P<end>[,.]|\s(?=(?:said|says|told|tells)\b))",
                self.text[end : end + 140],
            )
            if (
                after
                and (after.group("end") != "," or len(after.group("role")) > ROLE_AFTER_CHARS)
                and not set(re.split(r"[\s-]+", after.group("role").lower())) & ROLE_HEADS
            ):
                # `said John Wilkin, a University of Michigan librarian.` yes; `..., 45.` no; a long phrase
                # only with a head noun: `Helmut Schneider, director of the Institute for the Study of Labour
                # at Bonn University` yes, `Gordon Brown, the obvious unfairness of our ... system` no
                after = None
            # "head of distribution at Universal which released nominee Ray": the role ends where a relative
            # clause about its body begins
            role_after = re.split(r"\s+(?:which|who|whose|that)\s", after.group("role"), maxsplit=1)[0] if after else ""
            if after and len(role_after.split()) > 1 and _role_after_name(role_after):
                if role_after not in person.roles:
                    person.roles.append(role_after)
            office = _OFFICE_CLAUSE.match(self.text, end)
            if office and any(is_role_word(w) for w in re.split(r"[\s-]+", office.group("role").lower())):
                # "Baroness Boothroyd, who was the first woman to be Commons Speaker, said"
                if office.group("role") not in person.roles:
                    person.roles.append(office.group("role"))
        self.people.sort(key=lambda p: p.position)
        self._identify_the_lead_role()

    def _identify_the_lead_role(self) -> None:
        """A story opening on someone's role, named only in the next paragraph ("India's defence minister has
        opened the air show ..." / "Pranab Mukherjee said ..."): the person opening that paragraph holds the
        role, when the lead names nobody and they were given no role of their own."""
        headline_end = self.text.find("\n")
        lead_start = _paragraph_start(self.text, headline_end)
        lead_end = self.text.find("\n", lead_start)
        if headline_end < 0 or lead_end < 0:
            return
        opening = _LEAD_ROLE.match(self.text, lead_start, lead_end)
        if opening is None or not is_role_word(opening.group("head").lower()):
            return
        if any(lead_start <= pos < lead_end for p in self.people for pos in p.mentions):
            return  # the lead names someone: the role may be theirs
        next_start = _paragraph_start(self.text, lead_end)
        opener = next((p for p in self.people if next_start in p.mentions and len(p.name.split()) > 1), None)
        role = " ".join(w for w in (opening.group("owner"), opening.group("words").strip(), opening.group("head")) if w)
        if opener is not None and not opener.roles:
            opener.roles.append(role)
        elif opener is None:
            self.lead_role = (next_start, role)  # a name no first-name list knows: given when it speaks there

    def _find_full(self, name: str, key: str) -> _Person | None:
        folded = fold(name).lower()
        for p in self.people:
            if p.titled and p.key == key:  # "Mr Herron" first, "Neil Herron" later: one person
                p.name, p.titled = name, False
                return p
            if fold(p.name).lower() == folded or (p.key == key and fold(p.name).lower().endswith(folded)):
                return p
            if p.key == key and folded.split()[0] == fold(p.name).lower().split()[0]:
                return p
        return None

    def _find(self, key: str, at: int) -> _Person | None:
        """The person whose surname is ``key`` (a typo's edit away counts), the one named last before ``at``."""
        best: _Person | None = None
        for p in self.people:
            close = p.key == key or (len(key) >= 6 and OSA.distance(p.key, key) <= 1)
            if not close:
                # "Bailey" of "Kay Bailey Hutchison", "Mido" of "Ahmed 'Mido' Hossam"
                close = key in (w[1:-1] if _is_nickname(w) else w for w in fold(p.name).lower().split())
            if close and (best is None or (p.position <= at and (best.position > at or p.position > best.position))):
                best = p
        return best

    # --- mentions ---------------------------------------------------------------------------
    def resolve(self, mention: str, at: int) -> Speaker | None:
        """The speaker a mention refers to; None when it is no plausible speaker."""
        who = _DATE_AFTER_NAME.sub("", _DATE_BEFORE_NAME.sub("", strip_leading(mention)))
        # "the director behind JFK", "the man behind OptInRealBig.com": the maker of the work named, not the work
        who = _MAKER_OF.sub(r"\1", who)
        if re.match(r"^(?:[Tt]he|[Aa]n?)\s+[A-Z]{2,}\b", who):
            who = re.sub(r"^(?:[Tt]he|[Aa]n?)\s+", "", who)  # "The IFS" -> "IFS"
        person = person_of_body(who)
        if person:
            who = person  # "David Noone from Intervoice": the person; the body only places them
        low = who.lower()
        if low in _PRONOUNS:
            speaker = self._pronoun(low, at)
            individual = speaker is not None and speaker.kind == "person" and _person_first(speaker.name.split()[0])
            if low == "they" and individual:
                # "Michael Howard and John Redwood launched ... They say", "union officials denied ...
                # They said": a plural is never the one person who spoke last
                self.group, self.group_at = Speaker(who, "unnamed"), at
                return self.group
        else:
            speaker = self._named(who, at)
            if speaker is not None and speaker.kind == "person" and self.lead_role and self.lead_role[0] == at:
                person = self._person_named(speaker.name)  # "Pranab Mukherjee said" after the lead's role
                if person is not None and not person.roles:
                    person.roles.append(self.lead_role[1])
                    speaker = self._speaker(person)
            if speaker is not None and speaker.kind == "unnamed" and _plural(low.split()[-1]):
                # "A party of councillors from Nottingham agreed ... Iraq, they insisted": "they" goes on with them
                self.plural, self.plural_at = speaker, at
        if speaker is not None and speaker.kind == "person" and _PUBLICATION.match(who):
            return Speaker(who, "unnamed")  # "the newspaper reported": the paper, never the person it last quoted
        if (speaker is not None and speaker.kind != "unnamed") or low in _PRONOUNS or _singular_role(speaker):
            embedded = (
                speaker is not None
                and speaker.kind == "person"
                and self.last is not None
                and self.last.kind == "person"
                and low not in _PRONOUNS
                and self._subordinate(at)
            )
            if not embedded:  # `The comments come a day after John Snow said ...`: Snow is no new topic
                self._remember(speaker, at)  # "The Spectator editor told ... "..." he said": still the editor
        return speaker

    def continuing(self, at: int, subject: bool = False) -> Speaker | None:
        """Who a quote with no attribution of its own continues: the last speaker (an unnamed "they" too)."""
        if self.group is not None and self.group_at > self.last_at:
            return self.group
        return self._pronoun("", at)

    def _pronoun(self, pronoun: str, at: int) -> Speaker | None:
        """The last speaker, unless a person named since as a sentence's subject is more recent; a title's
        gender must agree with the pronoun, a first name's gender breaks ties among the named."""
        if pronoun == "they":  # `three US senators introduced ..., over what they described as`: the plural subject
            start = max(self.text.rfind(". ", 0, at), self.text.rfind("\n", 0, at), at - 300) + 1
            plural = [
                m for m in _PLURAL_PEOPLE.finditer(self.text, start, at) if _people_noun(m.group("noun")[:-1].lower())
            ]
            if plural and not self._in_quote(plural[-1].start()):
                return Speaker(plural[-1].group(0), "unnamed")
            if (
                self.plural is not None
                and self.plural_at > self.last_at
                and at - self.plural_at < _THEY_REACH
                and not _OTHER_PLURAL.search(self.text, self.plural_at + len(self.plural.name), at)
            ):
                return self.plural
        if pronoun == "it":  # a body, never a person: the one that spoke last, if lately
            if self.last is not None and self.last.kind == "organisation":
                return self.last
            return self.last_org if self.last_org is not None and at - self.last_org_at < _IT_REACH else None
        gender = _PRONOUNS.get(pronoun, "")
        last_person = self._person_named(self.last.name) if self.last is not None else None
        mentioned = sorted(
            [
                *(
                    (pos, p)
                    for p in self.people
                    for pos in p.mentions
                    if pos < at
                    and self._sentence_initial(pos)
                    and not self._in_quote(pos)
                    and not (p is not last_person and self._in_last_speakers_sentence(pos))
                ),
                *((pos, p) for pos, p in self._subject_roles() if pos < at),
            ],
            key=lambda x: -x[0],
        )
        introduced = self._introduced_before(at, gender) if gender else None
        if introduced is not None and introduced is not last_person:
            return self._speaker(introduced)
        if self.last is not None and (not mentioned or self.last_at >= mentioned[0][0]):
            agrees = last_person is None or not gender or last_person.gender in ("", gender)
            if agrees and (not gender or self.last.kind != "organisation"):
                if last_person is None or not gender or last_person.likely_gender in ("", gender):
                    return self.last
                # "she said" after a James: a woman named as a subject, if any, else still him ("Kay" is
                # mostly a man's name, but not always)
                for _, p in mentioned:
                    if (p.gender or p.likely_gender) == gender:
                        return self._speaker(p)
                since = self._named_since(self.last_at, at, gender)
                return self._speaker(since) if since is not None else self.last
        for _, p in mentioned:
            if not gender or (p.gender or p.likely_gender) in ("", gender):
                return self._speaker(p)
        if mentioned:
            since = self._named_since(mentioned[0][0], at, gender) if gender else None
            return self._speaker(since if since is not None else mentioned[0][1])
        if self.last is None and gender:
            # nobody named as a subject or quoted yet: the person named last (`The biggest cheer was
            # reserved for Leonardo DiCaprio ... He said`), whose gender does not contradict
            anywhere = sorted(
                ((pos, p) for p in self.people for pos in p.mentions if pos < at and not self._in_quote(pos)),
                key=lambda x: -x[0],
            )
            for _, p in anywhere:
                if (p.gender or p.likely_gender) in ("", gender):
                    return self._speaker(p)
            ahead = self._named_next(at, gender)
            if ahead is not None:
                return self._speaker(ahead)
        if gender and self.last is not None and self.last.kind == "organisation":
            # a body spoke last, which "he" cannot mean: a person named in its attribution's sentence or since
            # ("The research, carried out by professor Richard Allsop, says ... He estimates")
            since = self._named_since(_last_sentence_start(self.text, self.last_at) - 1, at, gender)
            if since is not None:
                return self._speaker(since)
        return self.last if not gender or self.last is None or self.last.kind == "person" else self.last_person

    def _in_last_speakers_sentence(self, pos: int) -> bool:
        """Is a name (another person's: the caller leaves out the speaker's own, "Authenti-corp's CEO, Cynthia
        Musselman, told") after the last speaker's attribution, in its sentence: in what they said or in their
        description ("Sandford said Clarke was keener on deportation than his predecessor, David Blunkett. But
        he said ..." goes on with Sandford), not a new subject?"""
        if self.last is None or self.last.kind != "person" or not 0 <= self.last_at < pos:
            return False
        if _last_sentence_start(self.text, pos) > self.last_at:
            return False
        if re.search(r"\b(?:but|while|whereas|although|though)\s+$", self.text[max(0, pos - 12) : pos]):
            return False  # "... claimed the race would be his, but McIlroy is unfazed": a clause of its own
        # after the cue, in what they said: not in the subject ("Authenti-corp's CEO, Cynthia Musselman, told")
        return _SPEECH_CUE.search(self.text, self.last_at, pos) is not None

    def _subject_roles(self) -> list[tuple[int, _Person]]:
        """Sentences opening on a named person's whole role as their subject ("The Tory leader was asked
        ... He replies"): a subject a pronoun may go on with, as much as a name is. Not a role in a clause
        ("Mr Abbas said the British prime minister was"), nor one the story never gave ("The actress and
        singer", "The election of the US president")."""
        if self._role_subjects is None:
            self._role_subjects = []
            for m in _ROLE_SUBJECT.finditer(self.text):
                if self._in_quote(m.start()) or not _SENTENCE_OPENS.search(
                    self.text[max(0, m.start() - 30) : m.start()]
                ):
                    continue
                tokens = m.group("words").split()
                for k in range(1, len(tokens)):
                    word, nxt = tokens[k - 1], tokens[k]
                    if is_role_word(word.lower()) and nxt[:1].islower() and not is_role_word(nxt.lower()):
                        if nxt.lower() not in _ROLE_GOES_ON:
                            who = " ".join(tokens[:k])
                            holder = self._role_holder(who, _role_words(who), m.start(), whole=True)
                            if holder is not None:
                                self._role_subjects.append((m.start(), holder))
                        break
        return self._role_subjects

    def _named_next(self, at: int, gender: str) -> _Person | None:
        """Nobody named yet: the person the paragraph goes on to name, when the story opened with a
        description ("A user of Apple's iTunes service is suing the firm ... He says Apple is
        breaking the law ... Californian Thomas Slattery filed the suit"): the first one named after
        ``at`` in its paragraph, if their gender fits."""
        end = self.text.find("\n\n", at)
        end = len(self.text) if end < 0 else end
        ahead = sorted(
            (pos, p) for p in self.people for pos in p.mentions if at < pos < end and not self._in_quote(pos)
        )
        if ahead and (ahead[0][1].gender or ahead[0][1].likely_gender) in ("", gender):
            return ahead[0][1]
        return None

    def _remember(self, speaker: Speaker | None, at: int) -> None:
        if speaker is not None:
            self.last, self.last_at = speaker, at
            if speaker.kind == "person":
                self.last_person = speaker
            elif (
                speaker.kind == "organisation"
                and not (speaker.name.isupper() and len(speaker.name) <= 2)
                and speaker.name.split()[-1].lower() not in _SELF_STANDING
            ):
                # not "US", "UK", "Indian government": a country is no company
                self.last_org, self.last_org_at = speaker, at

    def _person_named(self, name: str) -> _Person | None:
        return next((p for p in self.people if p.name == name), None)

    def _sentence_initial(self, pos: int) -> bool:
        """Is the name at ``pos`` a sentence's (or a clause's) subject: only its role, a determiner or a
        conjunction before it ("But Lib Dem leader Charles Kennedy"), no preposition or verb
        ("... enough for Mr Sarkozy", "which included goals from Noe Pamarot")?"""
        if _LIST_AHEAD.match(self.text, pos):
            return False  # `Clive Owen, Jamie Foxx and Alan Alda`: names in a list, the sentence's object as often
        head = self.text[max(0, pos - 40) : pos]
        line_start = head.rfind("\n")
        head = head[line_start + 1 :] if line_start >= 0 else head
        words = head.split()
        if head and not head[-1].isspace():
            words = words[:-1]  # the name's own first characters
        for i, word in enumerate(reversed(words)):
            j = len(words) - 1 - i
            if re.search(r"[.!?,][\"”’']?$", word) or word.lower() in ("but", "while"):
                return True  # a sentence or clause starts after it
            if word.lower() == "and":
                listed = j > 0 and words[j - 1].rstrip(",")[:1].isupper()
                if not listed:
                    return True  # `..., and Mr X said`
                if i == 0 and j > 1 and words[j - 2][:1].isupper():
                    return False  # `Tom Price and Ali Demir`: a list's second name
                # `Economy and Labour Minister Wolfgang Clement`: the role's own "and"; read on
            w = word.strip("\"“”‘'()")
            starts = (j == 0 and (line_start >= 0 or pos < 40)) or (
                j > 0 and re.search(r"[.!?][\"”’']?$", words[j - 1])
            )
            if w[:1].isupper() and w.lower() in _NOT_BEFORE_SUBJECT and starts and i < 4:
                return True  # `On Monday Tony Blair insisted`: an adverbial opens the sentence, the name is its subject
            if i >= 4 or w.lower() in _NOT_BEFORE_SUBJECT or (w[:1].islower() and w.endswith(("ed", "ing"))):
                return False
        return len(words) <= 4 and (line_start >= 0 or pos < 40)

    def _subordinate(self, pos: int) -> bool:
        """Is the name at ``pos`` inside a subordinate clause (`a day after John Snow said`)?"""
        head = self.text[max(0, pos - 60) : pos]
        head = re.split(r"[.!?;:\n\"“”]", head)[-1]
        return bool(_SUBORDINATORS & {w.lower().strip(",") for w in head.split()[-6:]})

    def _named_since(self, since: int, at: int, gender: str) -> _Person | None:
        """The last person of the pronoun's gender named between ``since`` (where the one a pronoun would
        otherwise mean, of the other gender, was) and ``at``, as a subject or not: "the brainchild of IBM
        researcher Jim Levine. "...," he said" after Karen Walsh spoke."""
        named = [
            (pos, p)
            for p in self.people
            for pos in p.mentions
            if since < pos < at and not self._in_quote(pos) and (p.gender or p.likely_gender) == gender
        ]
        return max(named, key=lambda x: x[0])[1] if named else None

    def _introduced_before(self, at: int, gender: str) -> _Person | None:
        """The one person the sentence before ``at``'s names (a person with a role, nobody the sentence's
        subject, nobody speaking in it: `Staunton is also the personal choice of Steven Gaydos, executive editor of
        Variety. But while he tipped Swank`): the new person is who "he" means, not the last speaker."""
        cur = _last_sentence_start(self.text, at)
        if re.search(r"[;:\"“”]", self.text[cur:at]):
            return None
        prev = _last_sentence_start(self.text, max(0, cur - 2))
        if self.last_at >= prev:
            return None  # someone spoke in the sentence before: "he" goes on with them
        named = [
            pos
            for p in self.people
            for pos in p.mentions
            if prev <= pos < at and (p.gender or p.likely_gender) in ("", gender)  # not `Staunton is` for "he"
        ]
        if any(self._sentence_initial(pos) or pos >= cur for pos in named):
            return None  # `Dawson ... has fallen out of favour with coach Andy Robinson. However he hopes`: Dawson
        if _ABOUT_SOMEONE_ALREADY.match(self.text, prev):
            # `He started out ... looking after Hank Williams Jr. He wrote`, `The prime minister shrugged off
            # claims from ... Michael Howard ... He said`: the sentence is about someone already, whom "he" goes on with
            return None
        new = [
            p
            for p in self.people
            if set(p.roles) - p.affiliations  # an office, not only whom they are with ("Roma's Olivier Dacourt")
            and len(p.name.split()) > 1
            and (p.gender or p.likely_gender) in ("", gender)
            and any(prev <= pos < cur and not self._in_quote(pos) for pos in p.mentions)
        ]
        return new[0] if len(new) == 1 else None

    def _in_quote(self, pos: int) -> bool:
        i = bisect.bisect_right(self.quoted, (pos, len(self.text) + 1)) - 1
        return i >= 0 and self.quoted[i][0] < pos < self.quoted[i][1]

    def _named(self, who: str, at: int) -> Speaker | None:
        tokens = who.split()
        caps = [t for t in tokens if t[:1].isupper() and t not in _NOT_NAMES]
        if (
            len(tokens) == 1
            and tokens[0][:1].isupper()
            and _plural(tokens[0])
            and is_person_noun(tokens[0][:-1].lower())
        ):
            return Speaker(who, "unnamed")  # "Analysts said", "Campaigners say": people, never one body
        if len(tokens) == 1 and not caps and tokens[0][:1].isupper() and tokens[0] not in _NEVER_SUBJECTS:
            caps = tokens  # "Next has said": a word that opens sentences, here the subject of a speech verb
        noun_at = next((t for t in tokens[1:4] if t.lower() in ("for", "of", "at", "from", "with")), None)
        noun = tokens[tokens.index(noun_at) - 1].lower() if noun_at else ""
        if len(tokens) > 1 and tokens[0].lower() in ("a", "an", "one") and noun in _BODIES_SHAPED_AS_PEOPLE:
            return Speaker(who, "unnamed")  # "a committee of MPs": a body the story does not name
        if len(tokens) > 1 and tokens[1][:1].islower() and is_person_noun(noun):
            if tokens[0].lower() in ("a", "an", "one"):
                return Speaker(who, "unnamed")  # "a spokeswoman for the St David's Centre in Cardiff", not Cardiff
            named_after = re.search(r",\s+(?:\S+\s+){0,3}[A-Z][\w'’.\-]+\s+[A-Z][\w'’.\-]+$", who)
            if tokens[0].lower() == "the" and not named_after:  # "The star of Rain Man": a role, not the film
                # (but "the chairman of the committee, Labour MP Barry Sheerman" names him)
                person = self._role(" ".join(tokens[: tokens.index(noun_at)]), at)
                if person.kind == "person":
                    return person
        if len(tokens) == 2 and tokens[0].lower() == "the" and _nationality(tokens[1]):
            if self._find(fold(tokens[1]).lower(), at) is None:
                person = self._pronoun("", at)  # "the Dutchman", "The Russian": the person last spoken of
                if person is not None and person.kind == "person":
                    return person
        if caps:
            trailing: list[str] = []
            for t in reversed(tokens):  # "Regent Street Association director Annie Walker" -> Annie Walker
                if not (t[:1].isupper() or t.lower() in ("of", "to", "for")):
                    break
                trailing.insert(0, t)
            _, name_tokens = _split_role(trailing or [t for t in tokens if t[:1].isupper()])
            titles = [i for i, t in enumerate(name_tokens) if t.lower() in _TITLE_OF_NAME]
            if titles:  # "the Foreign Policy Centre Mr Straw": the name begins at its title
                name_tokens = name_tokens[titles[-1] + 1 :]
            _, name_tokens = _owner_and_name(name_tokens)  # "PBS' Jacoba Atlas": the person the scan found
            lowercase_head = tokens[-1][:1].islower()
            if lowercase_head and tokens[0].lower() in ("a", "an", "one") and is_person_noun(tokens[-1].lower()):
                return Speaker(who, "unnamed")  # "a senior US official": someone the story leaves unnamed
            if name_tokens and not lowercase_head:
                name = _bare_name(name_tokens)
                key = fold(name_tokens[-1]).lower().removesuffix("'s")
                person = self._find_full(name, key) if len(name_tokens) > 1 else self._find(key, at)
                first = _first_name_at(name_tokens) if person is None and len(name_tokens) > 2 else 0
                if first and any(is_role_word(fold(t).lower()) for t in name_tokens[:first]):
                    # "Guitarist Amy Rourke said": the person the scan found from her first name on, her role before
                    person = self._find_full(_bare_name(name_tokens[first:]), key)
                if person is not None and person.shared_surname and len(tokens) == 1:
                    person = None  # "Kasabian said" after "band Kasabian": the band, not Linda Kasabian
                if person is not None:
                    return self._speaker(person)
                if len(name_tokens) > 1 and not any(t.lower() in _ORG_WORDS for t in name_tokens):
                    name_tokens = name_tokens[_first_name_at(name_tokens) :]
                    name = _bare_name(name_tokens)
                    person = _Person(name, key, at, mentions=[at])
                    self.people.append(person)
                    return self._speaker(person)
                gender = first_name_gender(name_tokens[0]) if len(name_tokens) == 1 and len(tokens) > 1 else None
                if gender is not None and tokens[-2][:1].islower() and is_person_noun(tokens[-2].lower()):
                    # "Fletcher's daughter Jill", "his wife Mary": a first name after a word for a person
                    family = _family_surname(" ".join(tokens[:-1]) + " ")
                    person = _Person(
                        f"{name} {family}" if family else name, key, at, likely_gender=gender, mentions=[at]
                    )
                    person.roles.append(" ".join(tokens[:-1]))
                    self.people.append(person)
                    return self._speaker(person)
                possible = self.possible_names.get(key) if len(name_tokens) == 1 and len(tokens) == 1 else None
                if possible is not None and possible[1] < at and self._sentence_initial(at):
                    # "Hewitt said" after "criticism of the playing surface by Lleyton Hewitt": that person
                    person = _Person(possible[0], key, possible[1], mentions=[possible[1], at])
                    self.people.append(person)
                    return self._speaker(person)
                if len(name_tokens) == 1:  # "Cairn" after "Cairn Energy, a UK oil firm": the body named in full
                    full = next(
                        (
                            n
                            for pos, n in reversed(self.organisations)
                            if pos < at and n.startswith(name + " ") and " and " not in n
                        ),
                        None,
                    )
                    name = full or name
                return Speaker(self._spelled_out(name), "organisation")
            # "the NATO chief", "Turkey's defence minister": a role naming its organisation
            return self._role(who, at)
        if re.match(
            r"^(?:a|an|one|some|two|three|several|many|other)\b", who, re.IGNORECASE
        ) or not who.lower().startswith(("the ", "his ", "her ", "its ", "their ")):
            return Speaker(who, "unnamed")  # "a spokesman for the firm", "analysts"
        return self._role(who, at)

    def _role(self, who: str, at: int) -> Speaker:
        """ "the home secretary" -> the person the article gave that role; "the firm" -> its last organisation."""
        words = _role_words(who)
        if not words:
            return Speaker(who, "unnamed")
        head = words[-1]
        possessor = who.split()[0].lower()
        if possessor in ("his", "her") and (head in _OWN_WORDS_NOUNS or head in DOCUMENT_NOUNS):
            # "His sales pitch adds:", "her blog says": their own words; not "his family", "her lawyers", "his wife"
            person = self._pronoun("he" if possessor == "his" else "she", at)
            if person is not None and person.kind == "person":
                return person
        if _plural(head) and head not in ORG_NOUNS and head not in DOCUMENT_NOUNS:
            return Speaker(who, "unnamed")  # "Turkish officials", "analysts": never one person
        holder = self._role_holder(who, words, at)
        if holder is not None:
            return self._speaker(holder)
        if head in ORG_NOUNS or head in DOCUMENT_NOUNS:
            body = [
                w.removesuffix("'s").removesuffix("’s")
                for w in who.split()
                if w[:1].isupper() and w not in _NOT_NAMES and not w.endswith("-based")  # "The Canada-based firm"
            ]
            if head not in _SELF_STANDING and all(_DEMONYM.fullmatch(w) or w in ("UK", "US", "EU") for w in body):
                body = []  # "the Australian firm", "the UK company": the firm the story is about, not a name
            elif (
                body and head in _COMPANY_NOUNS and not self._named_body(" ".join(body), at) and self._spoke_lately(at)
            ):
                body = []  # "The High Street retailer" right after the firm spoke: a description of it
            if not body and head in self.heads and who.split()[0].lower() in ("the", "this", "that"):
                return self.heads[head]  # "the report": the one "a World Bank report" named
            # (a country is no firm, party or study's author: "The party says" after "... in Britain")
            earlier = [name for pos, name in self.organisations if pos < at and not country_forms(name)]
            if body:
                name = " ".join([*body, head] if head in _SELF_STANDING else body)  # "Indian government"
                speaker = Speaker(name, "organisation")  # "the World Bank report": the World Bank
                self.heads[head] = speaker
                return speaker
            if head in DOCUMENT_NOUNS and head not in ORG_NOUNS and self.last_org is not None:
                return self.last_org  # "the paper said", "the report warned": the body that spoke last
            named_so = [name for name in earlier if head in fold(name).lower().split()]
            if named_so:  # "the federation": the Police Federation, whatever was named since
                return Speaker(named_so[-1], "organisation")
            if head in _SELF_STANDING:
                return Speaker(who, "organisation")  # "the government" is no firm named before it
            company = self._company(at) if head in _COMPANY_NOUNS else None
            if company is not None:
                return company  # "the company", "the industry body": the one that spoke or acted last
            if earlier:
                return Speaker(earlier[-1], "organisation")
        elif head not in ROLE_WORDS and not _plural(head) and _person_shaped(head):
            if re.search(r"[\w.-]['’]s?\s", who) or who.split()[0].lower() in ("his", "her", "their", "its"):
                # "Mr Sigarchi's lawyer", "the 25-year-old's agent", "his family": someone's, not the person last
                # spoken of
                return Speaker(who, "unnamed")
            # "the Dutchman", "the 27-year-old", "the entrepreneur": the person last spoken of
            person = self._pronoun("", at)
            if person is not None and person.role and head in set(_role_words(person.role)) - _own_words(person.role):
                return Speaker(who, "unnamed")  # "The woman" after "the woman's lawyer, X,": not X
            if person is not None and person.kind == "person":
                return person
            if head in ("man", "woman") and _singular_role(person):
                return person  # "a make-up artist who claimed ..." ... "The woman said": that person
        elif _BASED.search(who) and not is_person_noun(head):
            company = self._company(at)  # "the Paris-based economics think tank": the body that spoke
            if company is not None and not country_forms(company.name):
                return company  # a country is based nowhere: "the Newport-based athlete" is not Britain
        return Speaker(who, "unnamed")

    def _role_holder(self, who: str, words: list[str], at: int, whole: bool = False) -> _Person | None:
        """The person the article gave the role ``who`` (its folded ``words``), the closest role first,
        then the one mentioned last before ``at``; ``whole``: a role holding every one of the words."""
        head = words[-1]
        head_parts = set(head.split("-"))
        named = {fold(w).lower() for w in re.findall(r"[A-Z][\w\-]+", who) if w not in _NOT_NAMES}
        best: tuple[int, int, _Person] | None = None
        for p in self.people:
            for role in p.roles:
                role_words = {_possessive(fold(w).lower()) for w in re.findall(r"[\w'’]+", role)}
                own_words = _own_words(role)
                if (head in ORG_NOUNS or head in DOCUMENT_NOUNS) and _possessive(
                    fold(role.split()[-1]).lower()
                ) != head:
                    continue  # "the federation", "the report" (its "report author") are no person; "the veteran
                    # game maker" is the games maker
                generic = head in GENERIC_HEADS and named and named <= role_words  # "the NATO chief"
                if whole and not set(words) <= role_words:
                    continue
                qualifiers = {part for w in named - _DETERMINER_WORDS for part in w.split("-")}
                if qualifiers and not generic and not any(_same_word(q, r) for q in qualifiers for r in role_words):
                    continue  # "the Two Ronnies star" is not the "Horses star"
                if (head_parts <= own_words or generic) and not (_QUALIFIERS & role_words) - set(words):
                    overlap = len(set(words) & role_words)
                    last = max((m for m in p.mentions if m < at), default=-1)
                    if best is None or (overlap, last) > best[:2]:
                        best = (overlap, last, p)
        return best[2] if best is not None else None

    def _spoke_lately(self, at: int) -> bool:
        """Did a firm speak just before ``at`` (its sentence or the one before)?"""
        return self.last_org is not None and at - self.last_org_at < 300

    def _named_body(self, name: str, at: int) -> bool:
        """Does the story name a body ``name`` before ``at`` ("World Bank" after "a World Bank report")?"""
        return any(pos < at and name in other for pos, other in self.organisations)

    def _company(self, at: int) -> Speaker | None:
        """The organisation "the company" means: the one that spoke last, else the last one named as a
        subject, not one named in passing ("legal sites like Movielink and CinemaNow"); one named as a subject
        since the last spoke is the newer subject ("..., says the GSA. At 3GSM, Siemens showed off a system. The
        German company said")."""
        if self.last_org is not None:
            since = [
                name
                for pos, name in self.organisations
                if self.last_org_at < pos < at
                and self._sentence_initial(pos)
                and not self._in_quote(pos)
                and not name.isupper()
                and not country_forms(name)
                and not is_demonym(name)
                and name != self.last_org.name
                and _OPENS_SENTENCE.fullmatch(self.text, _last_sentence_start(self.text, pos), pos)
                and _DOES.match(self.text, pos + len(name))
            ]
            return Speaker(since[-1], "organisation") if since else self.last_org
        described = [name for pos, name in self.described if pos < at]
        if described:
            return Speaker(described[-1], "organisation")  # "Cairn Energy, a UK oil firm, ..."
        named = [
            name
            for pos, name in self.organisations
            if pos < at and self._sentence_initial(pos) and not self._in_quote(pos) and not name.isupper()
        ]
        return Speaker(named[-1], "organisation") if named else None

    def _spelled_out(self, name: str) -> str:
        """ "IFS" -> "Institute for Fiscal Studies" when the article spells the acronym out."""
        if not (2 <= len(name) <= 6 and name.isupper() and name.isalpha()):
            return name
        for m in re.finditer(r"(?:[A-Z][\w'’&-]*\s+(?:(?:of|for|and|on|the)\s+)*){1,7}[A-Z][\w'’&-]*", self.text):
            words = [w for w in m.group(0).split() if w[:1].isupper()]
            for skip in (0, 1):  # "US Environmental Protection Agency" spells out "EPA" from its second word
                spelled = words[skip:]
                if "".join(w[0] for w in spelled) == name and not any(len(w) > 1 and w.isupper() for w in spelled):
                    full = m.group(0)  # never from acronyms: "BT and Telewest" spells out neither
                    return full[full.index(spelled[0]) :] if skip else full
        return name

    def _speaker(self, p: _Person) -> Speaker:
        """The person with the role the story first gives them, in its fullest form: "manager Frank
        Mallory" in the lead, "Rovers manager Frank Mallory" later is the Rovers manager. An office before
        whom they are with ("Germany's Tommy Haas", then "third seed Haas")."""
        roles = [r for r in p.roles if r not in p.affiliations] + [r for r in p.roles if r in p.affiliations]
        roles = [_OPENING_ADVERB.sub("", r) for r in roles]  # "However Nintendo president": the sentence's word
        role = roles[0] if roles else ""
        fuller = [r for r in roles[1:] if role and r.lower().endswith(f" {role.lower()}")]
        return Speaker(p.name, "person", max(fuller, key=len) if fuller else role)


# a lead sentence's subject that is a role ("India's defence minister has opened ...", "The England coach
# has named ..."): an owner or an article, up to four modifiers, a role's head, then its verb
_LEAD_ROLE = re.compile(
    r"(?:(?P<owner>(?:[A-Z][\w.&\-]*\s+)*[A-Z][\w.&\-]*['’]s?)\s+|(?:The|A|An)\s+)"
    r"(?P<words>(?:[a-z][\w-]*\s+){0,4}?)(?P<head>[a-z][\w-]*)\s+(?:has|have|had|is|was|will|would|[a-z]+ed|[a-z]+s)\b"
)
_SPEECH_CUE = re.compile(rf"\b(?:{ATTRIBUTION_VERBS})\b")
# an office given in a clause after a name: ", who is UKIP Scotland chairman,", ", who was also
# Bombardier's president,"; a role word must be in it ("who is facing ...", "who is Catholic" are none)
_OFFICE_CLAUSE = re.compile(
    r",\s+who\s+(?:is|was)\s+(?:(?:now|also|currently|then)\s+)?(?:the\s+|a\s+|an\s+)?"
    r"(?P<role>(?!not\b)[^,.;:()\"“”]{3,60}?)(?=,|\.(?:\s|$))"
)


def _role_after_name(phrase: str) -> bool:
    """Is a phrase set off after a name a role? Not a clause ("who ...", "said ..."); "and" may join a
    role's nouns after its head ("senior vice president of digital development and distribution at EMI"),
    not names ("Tony Blair, Gordon Brown and John Prescott,")."""
    if re.search(r"\b(said|says|told|who|whose|which)\b", phrase):
        return False
    before_and = re.split(r"\band\b", phrase, maxsplit=1)
    return len(before_and) == 1 or bool(set(re.split(r"[\s-]+", before_and[0].lower())) & ROLE_HEADS)


ROLE_AFTER_CHARS = 60  # a role set off after a name may run longer only with a head noun ("director of ...")
# role words that only qualify a head ("Foreign Secretary", "Prime Minister"): alone they are no role
_ROLE_MODIFIERS = {"prime", "foreign", "home", "defence", "defense", "shadow", "deputy", "vice"}

# a sentence about someone named before: a pronoun or a role opens it ("The prime minister shrugged off ...")
_ABOUT_SOMEONE_ALREADY = re.compile(
    r"\s*(?:(?:But|And|However|Meanwhile),?\s+)?(?:He|She|The\s+(?:[a-z][\w-]*\s+){0,2}?"
    rf"(?:{'|'.join(sorted(ROLE_WORDS - _ROLE_MODIFIERS))}))\b"
)

# words that make a role another office: "the foreign secretary" is not the shadow foreign secretary
_QUALIFIERS = {"shadow", "former", "ex", "deputy", "vice", "assistant", "acting", "junior", "interim", "outgoing"}


def role_fits(mention: str, role: str) -> bool:
    """Does a role mention ("the prime minister") name this role ("Prime Minister", "Britain's prime
    minister"), and not another office ("deputy prime minister", "former prime minister")? Its last word is
    one of the role's own, not its owner's ("the woman" is not "the unidentified woman's lawyer")."""
    words = [_possessive(fold(w).lower()) for w in re.findall(r"[\w'’\-]+", mention)]
    words = [w for w in words if w not in ("the", "a", "an", "his", "her", "its", "their")]
    role_words = {_possessive(fold(w).lower()) for w in re.findall(r"[\w'’\-]+", role)}
    return (
        bool(words)
        and set(words) <= role_words
        and words[-1] in _own_words(role)
        and not (_QUALIFIERS & role_words) - set(words)
    )


def _own_words(role: str) -> set[str]:
    """A role's words but its owner's: "unidentified", "lawyer" of "the unidentified woman's lawyer"."""
    own = [fold(w).lower() for w in re.findall(r"[\w'’\-]+", role) if not w.endswith(("'s", "’s", "s'", "s’"))]
    return {*own, *(part for w in own for part in w.split("-"))}  # "co-founder": "co", "founder" too


# a photo caption: one present-tense sentence ending in its date, or with its photo credit
# ("US Secretary of State, Mike Pompeo gives a press conference ... in Brussels on April 27, 2018.")
_CAPTION = re.compile(
    r"^[^\n.“”\"]*\b(?:gives|arrives|speaks|attends|holds|meets|walks|poses|looks|listens|waves|shakes|delivers"
    r"|addresses|talks|leaves|visits|greets|reviews|inspects|sits|stands|gestures|smiles|chats)\b[^\n“”\"]*"
    rf"(?:\b{MONTH}\s+\d{{1,2}},?"
    r"\s+\d{4}\.|\((?:Photo|Picture|Image|Photograph)s?\b[^)\n]*\))[ \t]*$",
    re.MULTILINE,
)

# nouns for a person ("the entrepreneur", "the 27-year-old", "the veteran"), not a thing ("the software")
_PERSON_NOUN = re.compile(r"(?:er|or|ist|ian|man|woman|eur|ant|ent|old|star|ee|ie|an|ate|ess)$")
# bodies whose names end like a person's ("trustee", "agent"): "the cross-party committee stated" is
# the committee, not the person last quoted
_BODIES_SHAPED_AS_PEOPLE = {"committee", "parliament", "management", "establishment", "movement", "senate"}

# a nationality standing for a person ("the Dutchman", "the Russian"), not a body ("the Kremlin")
# (countryinfo knows no UK nations: "the Scot")
_DEMONYM = re.compile(r"[A-Z][a-z]+(?:man|woman|ian|ese|ard|ish|ch)|Scot")


def _nationality(word: str) -> bool:
    """A people's name or adjective: "Dutchman", "Spaniard" by their endings, "American", "Iraqi"
    as ``countries`` knows them."""
    return bool(_DEMONYM.fullmatch(word)) or (word[:1].isupper() and is_demonym(word))


# nouns for a firm or a body that stand for the one the story is about ("the company said")
_COMPANY_NOUNS = {
    "firm",
    "company",
    "group",
    "retailer",
    "carrier",
    "airline",
    "agency",
    "body",
    "chain",
    "maker",
    "manufacturer",
    "operator",
    "insurer",
    "lender",
    "bank",
    "broadcaster",
    "network",
    "label",
    "studio",
}
_DESCRIBING_NOUNS = ORG_NOUNS - {"party", "side", "team", "body"}  # "research firm [The Yankee Group]"
_ORG_NOUN_ALTERNATION = "|".join(sorted(_DESCRIBING_NOUNS, key=len, reverse=True))
# a body described after its name (`Cairn Energy, a UK oil firm,`) or before it (`research firm The Yankee Group`)
_ORG_APPOSITION = re.compile(
    rf",\s+(?:an?|the)\s+(?:[\w'’&-]+\s+){{0,4}}?(?:{_ORG_NOUN_ALTERNATION})"
    r"(?=\s*[,.;:)]|\s+(?:in|based|which|that|whose|with)\b)"  # `, a UK oil firm,`, not `, the firm's chief`
)

# people in the plural, counted or determined: "three US senators", "Several analysts", "the ministers"
_PLURAL_PEOPLE = re.compile(
    r"\b(?:[Tt]he|[Tt]wo|[Tt]hree|[Ff]our|[Ff]ive|[Ss]ix|[Ss]everal|[Mm]any|[Ss]ome|\d+)\s+(?:[A-Z][\w.\-]*\s+){0,3}"
    r"(?P<noun>[a-z][\w\-]*[^s\W]s)\b"
)


def _people_noun(noun: str) -> bool:
    """ "senator", "official", "campaigner": a noun for a person, not "plan" ("the Tory plans")."""
    if noun in ROLE_HEADS or noun in ROLE_WORDS:
        return True
    return noun.endswith(("er", "or", "ist", "ian", "ant", "ent")) and is_person_noun(noun)


_BASED = re.compile(r"\b[A-Z][\w.]*-based\b")  # "the Paris-based think tank", "the London-based bank"

# bodies that are themselves, not the last organisation named ("the government said")
_SELF_STANDING = {"government", "ministry", "department"}


def is_person_noun(noun: str) -> bool:
    """ "spokeswoman", "official", "lawyer": a noun for a person, not a document or a body."""
    if is_role_word(noun):
        return True
    return bool(noun) and noun not in DOCUMENT_NOUNS and noun not in ORG_NOUNS and _person_shaped(noun)


# what holds a person's own words: "his sales pitch", "her blog", "his autobiography"
_OWN_WORDS_NOUNS = frozenset(
    "pitch book autobiography memoir memoirs blog website column article essay speech message note email e-mail "
    "diary tweet post manifesto account remarks comments words notes".split()
)


def _same_word(word: str, role_word: str) -> bool:
    """One word, or one country in two forms ("French" in a mention, "France" in the role)."""
    return word == role_word or bool(country_forms(word) & country_forms(role_word))


_DETERMINER_WORDS = frozenset({"the", "a", "an", "our", "their", "his", "her", "its", "this", "that", "these", "those"})


def _person_shaped(noun: str) -> bool:
    """Does a noun end like one for a person ("trainee", "Dutchman", "reporter"), bodies aside?"""
    return noun not in _BODIES_SHAPED_AS_PEOPLE and bool(_PERSON_NOUN.search(noun))


def _singular_role(speaker: Speaker | None) -> bool:
    """ "the prime minister", "The Spectator editor": one unnamed person a pronoun may go on to mean."""
    if speaker is None or speaker.kind != "unnamed":
        return False
    words = speaker.name.lower().split()
    if len(words) >= 2 and words[0] == "the" and words[-1] in ROLE_HEADS | ROLE_WORDS:
        return True
    # "one dealer, who asked not to be named", "a spokeswoman for the centre": one person, unnamed
    head = next(
        (words[i - 1] for i in range(1, len(words)) if words[i] in ("for", "of", "at", "from", "with")), words[-1]
    )
    return len(words) >= 2 and words[0] in ("a", "an", "one", "the") and not _plural(head) and is_person_noun(head)


def _first_name_at(tokens: list[str]) -> int:
    """Where a name starts in a capitalised run: at its first name when words that are no first
    names come before it and a surname after it (0 when the run starts with one, or has none)."""
    if first_name_gender(tokens[0]) is not None:
        return 0
    for i in range(1, len(tokens) - 1):
        if first_name_gender(tokens[i]) is not None:
            return i
    return 0


_NAME_GOES_ON = re.compile(r"[A-Z][\w'’-]*\s+(?:of|on|for|and|in|at|to|de|du|la|le|the)\s+$")


def _owner_and_name(tokens: list[str]) -> tuple[str, list[str]]:
    """A possessive before a first name and surname, and the name: "PBS' Jacoba Atlas" -> ("PBS", [Jacoba,
    Atlas]); ("", tokens) when there is none."""
    owners = [i for i, t in enumerate(tokens[:-2]) if t.lower().endswith(("'s", "’s", "s'", "s’"))]
    if not owners or first_name_gender(tokens[owners[-1] + 1]) is None:
        return "", tokens
    return re.sub(r"['’]s?$", "", " ".join(tokens[: owners[-1] + 1])), tokens[owners[-1] + 1 :]


def _bare_name(tokens: list[str]) -> str:
    """ "Gordon Brown's" -> "Gordon Brown"; "Ricky Gervais'" -> "Ricky Gervais"."""
    name = " ".join(tokens).removesuffix("'s").removesuffix("’s")
    return name[:-1] if name.endswith(("s'", "s’")) else name


def _possessive(word: str) -> str:
    """ "nato's" -> "nato"; "officials" stays plural."""
    return word.removesuffix("'s").removesuffix("’s").strip("'’")


def _plural(noun: str) -> bool:
    return noun.endswith("s") and not noun.endswith(("ss", "us", "is"))


def _runs(text: str) -> list[tuple[int, str]]:
    """Capitalised runs, cut where a token ends a sentence ("S-400. And" is two runs)."""
    out = []
    for m in _RUN.finditer(text):
        start = m.start()
        piece = []
        pos = start
        for tok in re.finditer(r"\S+", m.group(0)):
            piece.append(tok.group(0))
            word = tok.group(0)
            if word.endswith(".") and not re.fullmatch(
                r"(?:[A-Z]\.)+|(?:Mr|Mrs|Ms|Dr|St|Jr|Sr|Prof|Gen|Sen|Rev)\.", word
            ):
                out.append((pos, " ".join(piece).rstrip(".")))
                piece = []
                pos = start + tok.end() + 1
        if piece:
            out.append((pos, " ".join(piece)))
    return out


# a capitalised compound whose other parts are lower case describes ("Man-of-the-match", "Award-winning");
# a name's parts are capitalised ("Kilroy-Silk", "Jean-Marc")
_DESCRIBING_COMPOUND = re.compile(r"[A-Z][a-z]*(?:-[a-z]+)+")


def _role_words(who: str) -> list[str]:
    """ "the home secretary's" -> ["home", "secretary"]: a role's folded words, determiners left out."""
    words = [_possessive(fold(w).lower()) for w in re.findall(r"[\w'’\-]+", who)]
    return [w for w in words if w not in ("the", "a", "an", "his", "her", "its", "their", "s")]


def _is_nickname(token: str) -> bool:
    """ "'Mido'", "\"LA\"": a word in quotes inside a name."""
    return len(token) > 2 and token[0] in "'‘\"“" and token[-1] in "'’\"”"


def nicknames(name: str) -> list[str]:
    """ "Ahmed 'Mido' Hossam" -> ["Mido"]: the names in quotes a full name holds, each one the person goes by."""
    return [t[1:-1] for t in name.split() if _is_nickname(t)]


def _split_role(tokens: list[str]) -> tuple[str, list[str]]:
    """["Home", "Secretary", "Charles", "Clarke"] -> ("Home Secretary", ["Charles", "Clarke"])."""
    last_role = -1
    for i, t in enumerate(tokens):
        word = fold(t).lower().strip(".,")
        if _is_nickname(t):
            continue  # "Brian 'Head' Welch": a name, whatever the word
        if word in ROLE_WORDS or _possessive(word) in ROLE_WORDS:
            if word not in _ROLE_MODIFIERS:
                last_role = i  # "Defence" alone is no role: "NATO Defense Ministerial Meeting"
    # "Man-of-the-match Duff", "Film-maker Spike Lee": a description opening the name is no part of it (nor
    # an office: "Paris-based Euronext")
    described = 1 if len(tokens) > 1 and _DESCRIBING_COMPOUND.fullmatch(tokens[0]) else 0
    if last_role < 0:
        return "", tokens[described:]
    rest = tokens[last_role + 1 :]
    while len(rest) > 2 and rest[0].lower() in ("to", "of", "for"):
        rest = rest[2:]  # "Ambassador to NATO Kay Bailey Hutchison"
    return " ".join(tokens[: last_role + 1]), rest


# a role written just before a name, ending with a head noun ("Tory leader", "University of Michigan librarian")
_ROLE_NOUN = re.compile(
    r"(?:^|\s)(?P<role>(?:[\w'’\-]+\s){0,4}(?:"
    + "|".join(sorted(ROLE_HEADS - {"mp"}, key=len, reverse=True))
    + r"|MP))\s+$"
)


def _org_word(token: str) -> bool:
    """ "Bank", "Systems", "Times", "FIFA's": a word that makes a name a body (a possessive's "'s" aside, not
    every final s: "Mike Banks" is a person)."""
    return _possessive(token.lower().strip(".,")).strip("'’") in _ORG_WORDS


# role heads a body can hold too: a single name after them is no person ("producer Endemol", "rival Tesco")
_BODY_ROLES = {"producer", "partner", "dealer", "trader", "player", "star", "expert", "founder", "head", "chief"}
_NOT_ROLE_NOUNS = {"over", "under", "after", "other", "never", "ever", "either", "whether", "rather", "than", "when"}
# a role ending in a noun for a person that no list holds, after a capitalised word:
# "Leading British computer games maker [Peter Molyneux]", "Arsenal's Brazilian midfielder [Edu]"
_NOUN_ROLE = re.compile(
    r"(?:^|[\s(])(?P<role>(?:[A-Z][\w'’\-]*\s+){1,3}(?:[a-z][\w\-]*\s+){0,3}?(?P<noun>[a-z][\w\-]{3,}))\s+$"
)


def _noun_role_before(before: str, person: bool = False) -> str:
    """A role :data:`_NOUN_ROLE` finds before a name; a name with a first name (``person``) is one whatever
    its noun ("games maker"), a single name only when the noun is one for a person ("midfielder")."""
    tail = re.split(r"[,.;:()\"“”\n]", before)[-1]
    m = _NOUN_ROLE.search(tail)
    if m is None or m.group("noun").endswith(("ing", "ed", "ly")) or m.group("noun") in _NOT_ROLE_NOUNS:
        return ""
    if _plural(m.group("noun")):
        return ""  # one person's role is singular: "Greg Rusedski takes [Tim Henman's place]" is a verb's
    if any(w in _NOT_IN_ROLE_WORDS for w in m.group("role").split()):
        return ""  # a clause, not a role: "Southampton are set to unveil [Harry Redknapp]"
    if not person and not is_person_noun(m.group("noun")):
        return ""
    words = m.group("role").split()
    while words and words[0] in _NOT_NAMES:
        words = words[1:]  # "The", "But"
    return " ".join(words) if len(words) >= 2 and words[0][:1].isupper() else ""


# a role set off by a comma before the name: "Washington's envoy to the NATO military alliance, [Kay ...]"
_ROLE_SET_OFF_BEFORE = re.compile(
    r"(?:\b(?:[Tt]he|[Aa]n?|[Ii]ts|[Hh]is|[Hh]er|[Tt]heir)\s+|[\w.]+['’]s\s+)(?P<role>(?:[\w'’\-]+\s+){0,3}?(?:"
    + "|".join(sorted(ROLE_HEADS - {"mp"}, key=len, reverse=True))
    + r")(?:\s+(?:to|of|for|at|in)\s+(?:the\s+)?(?:[\w'’\-]+\s+){0,3}[\w'’\-]+)?)$"
)


def _role_set_off(before: str) -> str:
    """The role :data:`_ROLE_SET_OFF_BEFORE` finds at the end of ``before``, with whose it is
    ("Yapp's coach at the Blues": the owner tells which coach)."""
    m = _ROLE_SET_OFF_BEFORE.search(before)
    if m is None or _NOT_A_ROLE.search(m.group("role")):
        return ""
    owner = _OWNER.search(before, 0, m.start("role"))
    if owner is None:
        return m.group("role")
    words = before[owner.start() : m.start("role")].split()
    while len(words) > 1 and (words[0] in _NOT_NAMES or words[0] in _DAYS_BEFORE):
        words = words[1:]  # "But PwC's", "Yesterday Argentina's"
    return " ".join(words) + " " + m.group("role")


# a clause, not a role: "their co-founder and bassist to leave the band", "DOD's leaders but his lawyer"
_NOT_A_ROLE = re.compile(r"\b(?:but|who|which|when|while)\b|\bto\s+(?!the\b)[a-z]")
# whose role it is, in full: "the Scottish National Party's [Holyrood leader]", "Yapp's [coach]"
_OWNER = re.compile(r"(?<![\w.'’])(?:[A-Z][\w.&\-]*\s+)*[A-Z][\w.&\-]*['’]s\s+$")


def _role_set_off_before(before: str, prefix: str) -> str:
    """Both roles of "Yapp's coach at the Blues, former Wales and Lions prop Dai Young": the one set
    off by a comma before the description that ``prefix`` ends; a question may name him by either."""
    comma = before.rfind(", ")
    description = before[comma + 2 :].split()
    if comma < 0 or not before.rstrip().endswith(prefix) or len(description) > 6:
        return ""
    if any(w[:1].islower() and w not in _DESCRIPTION_WORDS for w in description[: -len(prefix.split())]):
        return ""  # "the Blues, said the former prop ...": not one description
    set_off = _role_set_off(before[:comma])
    return f"{set_off}, {prefix}" if set_off else ""


_DAYS_BEFORE = {"Yesterday", "Today", "Tonight", "Earlier", "Later", "Recently"}

# lower-case words a description before a name may hold besides its role: "former Wales and Lions prop"
_DESCRIPTION_WORDS = {"former", "ex", "and", "the", "one-time", "veteran", "fellow", "then"}


_TIME_WORD = f"{WEEKDAY}|{MONTH}"
# words no role before a name holds, and what comes before them: "... game in allowing Arsenal striker "
_NOT_IN_ROLE = (
    r"the|a|an|by|and|but|with|from|to|of|in|on|at|for|as|after|before|told"
    r"|if|when|while|whether|that|who|which|because|than|unless|since|until|so|then|had|has|have|was|were"
    r"|is|are|be|been|would|could|should|will|not"
)


_NOT_IN_ROLE_SET = frozenset(_NOT_IN_ROLE.split("|"))
# words no role holds, but those of a role's own phrase ("Head of Sales", "Bank of England")
_NOT_IN_ROLE_WORDS = _NOT_IN_ROLE_SET - {"of", "for", "the", "and"}


# words after which an -ing word is a participle, not a noun in a role ("after criticising referee")
_PARTICIPLE_AFTER = _NOT_IN_ROLE_SET - {"the", "a", "an", "and", "but", "or"} | {
    "including",
    "without",
    "while",
    "when",
}


def _participle_cut(tail: str, word_before: str) -> str:
    """``tail`` from after a participle ("fans, including former Scotland manager", "Reporters covering singer"):
    an -ing word after nothing, a function word or a plural is a verb's; after a name, an owner or a modifier it
    is a noun of the role ("Real Madrid sporting director", "chief operating officer")."""
    words = tail.split()
    for i, word in enumerate(words[:-1]):
        if not (word.islower() and word.endswith("ing")):
            continue
        before = words[i - 1] if i else word_before
        plural = before and not before.isupper() and _plural(before.lower()) and not before.endswith(("'s", "’s"))
        if not before or before.lower() in _PARTICIPLE_AFTER or plural:
            return " ".join(words[i + 1 :]) + " "
    return tail


def _role_before(before: str) -> str:
    """A role written just before a name: "Tory leader " / "Turkey's defence minister "."""
    tail = re.split(r"[,.;:()\"“”\n]", before)[-1]
    # a participle cuts the role off ("in allowing Arsenal striker"), not a noun in -ing before the role's own
    # lower-case words ("housing minister", "marketing director")
    cut = re.sub(rf"^.*\b(?:{_NOT_IN_ROLE}|[Ss]aid|[Ss]ays|[a-z]+ing(?!\s+[a-z])|[a-z]+ed)\s+", "", tail)
    tail = _participle_cut(cut, (tail[: len(tail) - len(cut)].split() or [""])[-1])
    # "sacked if Sheffield Wednesday manager "; a sentence's first word too ("And Microsoft chief "), and the
    # time it opens ("In October Tory leader "); an article stays: "The company's new chief executive"
    tail = re.sub(rf"^\s*(?!(?i:the|an?)\s)(?i:{_NOT_IN_ROLE})\s+(?:{_TIME_WORD}\s+)?", "", tail)
    m = _ROLE_NOUN.search(" " + tail)
    return m.group("role").strip() if m else ""
