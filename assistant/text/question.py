"""What a question asks: who is speaking (for "what did X say about Y"), about what, and of
which kind (who/when/how many...), so the answer engine can prefer the right passages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from .roles import DOCUMENT_NOUNS, is_role_word
from .speech import QUESTION_VERBS, lemma_of

_SAY = QUESTION_VERBS
# "and/so/but/also/well, what did he say": a conversational opening (any case, even where the
# rest of a pattern is case-sensitive)
_LEAD = r"(?i:(?:and|so|but|also|then|well|ok|okay)\s*,?\s+)?"
# "what else / exactly / more did he say", "how exactly did she describe": a filler between the
# question word and its auxiliary, which changes nothing about who is asked about
_WH_FILLERS = ("else", "exactly", "precisely", "specifically", "actually", "really", "more", "further", "then")
_AFTER_WH = rf"(?:\s+(?:{'|'.join(_WH_FILLERS)}))?"
# "what did he actually / also / ever say": the same between speaker and verb; lower case only,
# so that a capitalised word there stays part of a name
_BEFORE_VERB = (
    r"(?-i:\s+(?:else|exactly|precisely|specifically|actually|really|also|ever|just|then|first|last|later|publicly))?"
)
# "what did he say about it, exactly": the same at the end
_TRAILING = r"(?:,?\s+(?:exactly|precisely|specifically|again|then))?"
_TOPIC = (
    r"(?:\s+(?P<prep>about|on|regarding|of|over|concerning|in response to|to|at|in|during|after|when)\s+"
    r"(?P<topic>.+?))?"
)
# "say at the news conference where ...", "say after the match", "tell the Labour conference": the topic is
# where or when the words were spoken (or to whom), which is what the attribution gives
_OCCASION_PREPOSITIONS = {"at", "in", "during", "after", "when"}
# "say when (he was) asked about the money": what was asked is the topic, no occasion
_ASKED_ABOUT = re.compile(
    r"(?:(?:he|she|they|it|[A-Z][\w'’-]*)\s+(?:was|were)\s+)?(?:asked|questioned|pressed)\s+"
    r"(?:(?:about|on|over|regarding)\s+)?(?P<topic>.+)$",
    re.IGNORECASE,
)
# "respond on Newsnight to the campaign", "react at the meeting to the news": what was answered is the topic
_ANSWERING_VERBS = {"respond", "react", "reply"}
_ANSWERED_TO = re.compile(r"(?:[\w'’-]+\s+){1,4}?to\s+(?P<topic>.+)$")
_OCCASION_CLAUSE = re.compile(r"\s+(?:where|at which|in which|during which|when)\s+", re.IGNORECASE)
# nouns for an act of speech ("what pitch did X make", "what warning did Y give")
_SPEECH_NOUNS = (
    r"pitch|case|argument|appeal|plea|promise|pledge|claim|point|warning|comments?|remarks?|statement"
    r"|proposals?|suggestions?|request|demand|call|prediction|forecast|assurances?|apology|admission|speech"
    r"|reasons?|explanation|justification|excuse|advice|message|answer|verdict"
)
# Questions reach the patterns normalised (see normalise): no end punctuation, no inner pauses.
_SPEAKER_PATTERNS = [
    re.compile(
        rf"^{_LEAD}(?:what|how){_AFTER_WH}\s+(?:did|does|do|has|have|had|would|will)\s+(?P<speaker>.+?){_BEFORE_VERB}"
        rf"\s+(?P<verb>{_SAY})\b{_TOPIC}{_TRAILING}$",
        re.IGNORECASE,
    ),
    re.compile(
        # "what was Gul's view on ...", and "what was his view on ..." (the speaker "his")
        rf"^{_LEAD}what{_AFTER_WH}\s+(?:was|is|were|are)\s+(?P<speaker>.+?)(?:['’]s?|(?<=\bhis)|(?<=\bher)|(?<=\btheir))"
        r"\s+(?:view|views|position|stance|opinion|response|reaction|assessment|take|thoughts|feelings|judge?ment"
        rf"|analysis|criticism|praise|{_SPEECH_NOUNS})\s+"
        rf"(?:on|about|regarding|of|to|over)\s+(?P<topic>.+?){_TRAILING}$",
        re.IGNORECASE,
    ),
    re.compile(
        rf"^{_LEAD}(?:did|does|has|have)\s+(?P<speaker>.+?){_BEFORE_VERB}\s+(?P<verb>{_SAY}|mention|mentioned)\s+"
        rf"(?:anything\s+)?(?:about|on|regarding)\s+(?P<topic>.+?){_TRAILING}$",
        re.IGNORECASE,
    ),
    # "what pitch did India's defence minister make to aerospace firms", "what warning did X give about Y": an
    # act of speech named by its noun, made to or about someone
    re.compile(
        rf"^{_LEAD}what\s+(?P<topic>(?:{_SPEECH_NOUNS})\s+)(?:did|does|has|had)\s+(?P<speaker>.+?){_BEFORE_VERB}"
        r"\s+(?:make|made|give|gave|given|issue|issued|deliver|delivered|offer|offered|put\s+forward)"
        rf"(?:\s+(?P<rest>(?:to|about|on|for|regarding|over)\s+.+?))?{_TRAILING}$",
        re.IGNORECASE,
    ),
    re.compile(rf"^{_LEAD}according to\s+(?P<speaker>[^,]+),\s*(?P<topic>.+?)$", re.IGNORECASE),
    # "Why did Ask Jeeves buy Bloglines, according to Jim Lanzone?": the source named last
    re.compile(rf"^{_LEAD}(?P<topic>.+?),?\s+according to\s+(?P<speaker>[^,]+?)$", re.IGNORECASE),
    # "how did jack straw describe the london meeting", "how does Maguire see the fallout"
    re.compile(
        rf"^{_LEAD}how{_AFTER_WH}\s+(?:did|does|do|has|have|would)\s+(?P<speaker>.+?){_BEFORE_VERB}\s+(?P<verb>describe"
        r"|characteri[sz]e|see|view|assess|judge|rate|explain|justify|defend|react to|respond to|sum up)\s+"
        rf"(?P<topic>.+?){_TRAILING}$",
        re.IGNORECASE,
    ),
    # "how does Corry think England are coping", "how did she feel the talks went": a view asked
    # as "how"; the clause they hold a view on is the topic
    re.compile(
        rf"^{_LEAD}how{_AFTER_WH}\s+(?:did|does|do)\s+(?P<speaker>(?:\S+\s+){{0,5}}?\S+){_BEFORE_VERB}"
        r"\s+(?P<verb>think|thinks|feel|feels|believe|believes|reckon|reckons)\s+(?:that\s+)?"
        rf"(?P<topic>.+?){_TRAILING}$",
        re.IGNORECASE,
    ),
    # "what did cavusoglu say nato should do": what they said is the topic
    re.compile(
        rf"^{_LEAD}what{_AFTER_WH}\s+(?:did|does|has|had)\s+(?P<speaker>(?:\S+\s+){{0,5}}?\S+){_BEFORE_VERB}"
        rf"\s+(?P<verb>{_SAY})\s+(?:that\s+)?(?P<topic>.+?){_TRAILING}$",
        re.IGNORECASE,
    ),
    re.compile(
        rf"^{_LEAD}(?i:what)\s+(?P<speaker>[A-Z\u00c0-\u024f].+?){_BEFORE_VERB}\s+(?P<verb>{_SAY})\s+"
        rf"(?:about|on|regarding)\s+(?P<topic>.+?){_TRAILING}$"
    ),
]
# Any what/how/why/who question in which someone does a verb of speech or opinion after an
# auxiliary ("Did Lindsay say money was a factor?", "Who did Errigo expect to win?", "What did
# Lovenduski make of the findings?", "Why did the Treasury Under-Secretary say ..."): the patterns
# above are the forms whose speaker and topic are sure; this one is a guess at them, which the
# answer engine keeps only when the people directory knows the speaker as a person
# (``Question.loose``). Verbs that are as often deeds as words ("reject", "defend", "call",
# "want") are left out: "Who did Kublai reject as ruler of Korea?" asks what happened.
_OPINION_VERBS = (
    r"say|tell|think|expect|believe|make\s+of|react|respond|reply|explain|feel|predict|claim|warn|hope|fear"
    r"|argue|admit|insist|suggest|urge|describe|reckon|comment"
    # acts done by saying: "Did the Ofcom chairman rule out regulating the net?", "Who did Ferguson blame?"
    r"|rule\s+out|deny|critici[sz]e|welcome|condemn|praise|blame|dismiss|accuse|apologi[sz]e|promise|pledge|vow"
    r"|concede|acknowledge|confirm|announce|propose|recommend|demand"
)
# the forms after "has/have/had": "what has Brown said / thought / made of ..."
_OPINION_PARTICIPLES = (
    r"said|told|thought|felt|made\s+of|(?:expect|believ|react|respond|repli|explain|predict|claim|warn|hop|fear"
    r"|argu|admitt|insist|suggest|urg|describ|reckon|comment|ruled\s+out|criticis|criticiz|welcom|condemn|prais"
    r"|blam|dismiss|accus|apologis|apologiz|promis|pledg|vow|conced|acknowledg|confirm|announc|propos|recommend"
    r"|demand)e?d|denied"
)
_LOOSE_SPEAKER = re.compile(
    rf"^{_LEAD}(?:(?P<wh>what|how|why|who|whom|which)(?:\s+(?P<asked>\w+))?\s+)?"
    rf"(?:(?:did|does|do|would|will)\s+(?P<speaker>(?:\S+\s+){{0,7}}?\S+){_BEFORE_VERB}\s+(?P<verb>{_OPINION_VERBS})"
    rf"|(?:has|have|had)\s+(?P<speaker2>(?:\S+\s+){{0,5}}?\S+){_BEFORE_VERB}\s+(?P<verb2>{_OPINION_PARTICIPLES}))\b"
    r"(?:\s+(?:about|on|regarding|of|over|concerning|to|that|at|as|for|with|in)\b)?\s*(?P<topic>.*?)$",
    re.IGNORECASE,
)
# "When does Germany's economy minister think joblessness will fall?", "When did Dyke expect a decision?":
# someone's view of a time, which their own words give; only verbs of a view (and "say"), since "When did
# the club announce ..." asks when a deed was done. A guess (``loose``), as above
_WHEN_VIEW = re.compile(
    rf"^{_LEAD}when\s+(?:did|does|do|would|will)\s+(?P<speaker>(?:\S+\s+){{0,5}}?\S+){_BEFORE_VERB}\s+"
    r"(?P<verb>say|think|expect|believe|predict|reckon|forecast|estimate|hope|fear|feel|anticipate)\b"
    r"(?:\s+that\b)?\s*(?P<topic>.*?)$",
    re.IGNORECASE,
)
# "Why did Schenck refuse to show the programme?", "Does Sturrock want to go back to Dundee United?":
# a decision or a wish of someone, which their own words often explain; a guess (``loose``) as
# above, and a deed (``Question.deed``): when their words don't answer it, the articles at large may.
# Only "why" and yes/no forms: "Who did Kublai reject as ruler?" asks what happened, not what was said.
# "How does Negroponte plan to get the price down?" asks the same of the plan; "Is he planning any
# changes to the site?", "Why is Weitz refusing ...": the deed under way
_DEED_VERBS = r"want|wants|refuse|refused|plan|intend|decide|agree|reject"
_DEEDS_UNDER_WAY = r"wanting|refusing|planning|intending|deciding|agreeing|rejecting"
_DEED_SPEAKER = re.compile(
    rf"^{_LEAD}(?:(?:why|how)\s+)?(?:(?:did|does|do|would|will)\s+(?P<speaker>(?:\S+\s+){{0,5}}?\S+){_BEFORE_VERB}"
    rf"\s+(?P<verb>{_DEED_VERBS})|(?:is|was|are|were)\s+(?P<speaker2>(?:\S+\s+){{0,5}}?\S+){_BEFORE_VERB}"
    rf"\s+(?P<verb2>{_DEEDS_UNDER_WAY}))\b\s*(?P<topic>.*?)\??$",
    re.IGNORECASE,
)
# "Why does the Danish Dairy Board's spokesman object to ...", "How did the foreign secretary answer
# fears about ...", "How does Roderick Lindblom want the lawsuit to affect ...": why or how someone
# named (a capitalised name, a role) did something; read by ``_deed_subject``, a deed as above
_WH_DEED = re.compile(
    rf"^{_LEAD}(?:why|how)\s+(?:did|does|do|would|will|has|have|had|could|should)\s+(?P<rest>.+?)$",
    re.IGNORECASE,
)
# "How optimistic was TNT's chief operating officer about digital TV?", "Is the SNP's Holyrood leader
# confident that the policy is funded?", "Was McCain happy with the budget?": their stance on the topic
_STANCES = (
    r"optimistic|pessimistic|confident|worried|concerned|happy|unhappy|pleased|upset|angry|critical|positive"
    r"|negative|enthusiastic|keen|sure|hopeful|sceptical|skeptical|disappointed|satisfied|comfortable|convinced"
    r"|surprised|shocked|delighted|relieved|frustrated|proud|furious|annoyed|embarrassed"
)
_HOW_STANCE = re.compile(
    rf"^{_LEAD}how\s+(?:\w+\s+)?(?:{_STANCES})\s+"
    r"(?:was|is|were|are|has\s+been|had\s+been)\s+(?P<speaker>.+?)\s+(?:about|on|over|with|regarding|that)\s+"
    r"(?P<topic>.+?)$",
    re.IGNORECASE,
)
_IS_STANCE = re.compile(  # "is Howard worried about ...", "why is Steve Green worried about ..."
    rf"^{_LEAD}(?:why\s+)?(?:is|was|were|are)\s+(?P<speaker>(?:\S+\s+){{0,5}}?\S+)\s+(?:still\s+|very\s+|really\s+|not\s+)?"
    rf"(?:{_STANCES})\s+(?:about|on|over|with|regarding|that|by|after|when|following|at)\s+(?P<topic>.+?)$",
    re.IGNORECASE,
)
_DETERMINERS = {"the", "a", "an", "his", "her", "their", "its"}
# words that never start a verb phrase after a subject
_NOT_VERBS = {"to", "of", "about", "on", "in", "at", "for", "with", "by", "from", "and", "or", "not", "been", "be"}


def _deed_subject(rest: str) -> tuple[str, str] | None:
    """(subject, what they did) in the words after "why/how did": the subject is a capitalised name or a
    role ("the Danish Dairy Board's spokesman", "the foreign secretary"), the deed starts at the first
    lower-case word that is no role. None for an all lower-case name ("tommy schenk refuse"): the
    verb cannot be told from the name."""
    tokens = rest.split()
    taken: list[str] = []
    for i, token in enumerate(tokens):
        low = token.lower().strip("'’")
        if not taken and low in _DETERMINERS:
            taken.append(token)
        elif token[:1].isupper() or low.endswith(("'s", "’s")):
            taken.append(token)
        elif taken and is_role_word(low):
            taken.append(token)  # "the foreign secretary" (a listed role: "want", "answer" end like nouns for people)
        else:
            named = [t for t in taken if t.lower() not in _DETERMINERS]
            last = named[-1].lower().strip("'’") if named else ""
            if not named or low in _NOT_VERBS or not low.isalpha() or i + 1 >= len(tokens):
                return None
            if not (named[-1][:1].isupper() or is_role_word(last)):
                return None  # "the government's plans ...": no person ends the subject
            return " ".join(taken), " ".join(tokens[i:])
    return None


# who a question may ask "what did ... say" of that is no speaker: the reader, or the indexed
# texts themselves (compared without the determiner: "the articles" -> "articles")
_NOT_SPEAKERS = {
    *("you", "i", "we", "it", "this", "that", "these", "those"),
    *("article", "articles", "story", "stories", "text", "texts", "piece", "pieces", "document", "documents"),
    *("report", "reports", "news", "news articles", "news stories", "indexed articles", "sources"),
}
PRONOUNS = {"he", "she", "they", "him", "her", "them", "his", "hers", "their"}
_POSSESSIVES = {"his", "her", "their"}
_KINDS = [
    (
        "how_many",
        re.compile(
            r"\bhow (many|much|long|old|far|big|large|often)\b|\bwhat (percentage|number|amount|price)\b",
            re.I,
        ),
    ),
    ("when", re.compile(r"\bwhen\b|\bwhat (year|day|date|month|time)\b|\bwhich (year|day|date|month)\b", re.I)),
    (
        "where",
        re.compile(r"\bwhere\b|\bwhich (city|country|place|region)\b|\bwhat (city|country|place|region)\b", re.I),
    ),
    ("who", re.compile(r"\bwho(m|se)?\b|\bwhich (person|official|minister|leader|country)\b", re.I)),
    ("why", re.compile(r"\bwhy\b|\bwhat (caused|led to)\b|\breason\b", re.I)),
]


@dataclass(frozen=True)
class Question:
    text: str
    speaker: str | None = None  # "Çavuşoğlu", "the NATO chief", or a pronoun before resolution
    topic: str | None = None
    kind: str = "what"
    verb: str | None = None  # the speech verb asked with, as a lemma ("tweet" for "what did X tweet?")
    # the speaker and topic are a guess (``_LOOSE_SPEAKER``): a speaker question only if the
    # people directory knows the speaker, else a plain question
    loose: bool = False
    # the verb is a deed as often as words ("refuse", "want"): a plain question when the speaker's
    # statements don't answer it
    deed: bool = False
    # "why did meera nair pick reese witherspoon ...": the words after "why/how did", all in lower
    # case, where only the people the articles quote can tell the subject from the deed
    # (``PeopleDirectory.subject_of``; then ``with_subject``)
    unsplit: str | None = None
    # the topic is the occasion the words were spoken at, or their audience ("say at the news conference",
    # "tell MPs"): the attribution, which a statement's context otherwise leaves out, says so
    occasion: bool = False

    def with_subject(self, speaker: str, deed: str) -> Question:
        """The question with its lower-case subject told from its deed: a guessed speaker, as above."""
        return Question(self.text, speaker=speaker, topic=deed, kind="said", loose=True, deed=True)

    def as_plain(self) -> Question:
        """The question without its guessed speaker (``loose``): asked of the articles at large."""
        return Question(self.text, kind=question_kind(self.text))

    @property
    def speaker_pronoun(self) -> str | None:
        """The pronoun that says who the speaker is, when only the conversation can: "he" in
        "what did he say", "his" in "what was his view" and "what did his spokesman say"."""
        if self.speaker is None:
            return None
        first = self.speaker.split()[0].lower()
        if self.speaker.lower() in PRONOUNS or first in _POSSESSIVES:
            return first
        return None

    @property
    def speaker_is_pronoun(self) -> bool:
        """The speaker is a pronoun, or someone a pronoun owns ("his spokesman")."""
        return self.speaker_pronoun is not None

    @property
    def topic_of_possessor(self) -> str | None:
        """The topic with "his"/"her" read as the person the speaker is named by: in "what did Cyril
        Fletcher's daughter say after his death?" the death is Cyril Fletcher's. Unchanged when the
        speaker names nobody so, or the pronoun's gender is not the person's ("Blair's wife ... her
        husband")."""
        owner = _POSSESSOR.match(self.speaker or "")
        if not self.topic or owner is None:
            return self.topic
        from .speakers import first_name_gender

        name = owner.group("name")
        gender = first_name_gender(name.split()[0]) if len(name.split()) > 1 else None
        own_gender = _GENDERED.get(self.speaker.split()[-1].lower(), "")  # "her husband" after "Blair's wife"

        def own(m: re.Match[str]) -> str:
            wanted = "m" if m.group(0).lower() == "his" else "f"
            fits = gender in (None, "", wanted) and own_gender != wanted
            return f"{name}'s" if fits else m.group(0)

        return re.sub(r"\b(?:his|her)\b", own, self.topic, flags=re.IGNORECASE)


_GENDERED = {
    **dict.fromkeys(("wife", "daughter", "mother", "sister", "widow", "girlfriend", "granddaughter"), "f"),
    **dict.fromkeys(("husband", "son", "father", "brother", "widower", "boyfriend", "grandson"), "m"),
}
# a speaker named by someone else's name: "Cyril Fletcher's daughter", "Blair's spokesman"
_POSSESSOR = re.compile(r"^(?:the\s+)?(?P<name>(?:[A-Z][\w'’.-]*\s+){0,3}[A-Z][\w.-]*)['’]s?\s+[a-z]")


_END = re.compile(r"[\s?!.…,;:—–―-]+$")  # "?", "?!", "...", "…", " —" closing the question
_START = re.compile(r"^[\s.…,;:—–―-]+")  # "… and what did he say", "- what did she say"
# "say… about", "say... about", "say—about", "say – about", "say - about" (not "2019–20", "F-35")
_PAUSE = re.compile(r"\s*(?:…|\.{2,}|[—―])\s*|\s+(?:[–-]{1,2})\s+")
_QUOTE_PAIRS = {'"': '"', "“": "”", "„": "“", "«": "»", "‘": "’", "'": "'"}
_CLOSING = {'"': '"', "”": "“", "»": "«"}  # a closing mark dropped when nothing opened it


def normalise(text: str) -> str:
    """The question as the patterns read it: whitespace collapsed, the punctuation around it
    (end marks, quotes wrapping it, ellipses) gone and pauses inside it ("say… about",
    "say — about") made plain spaces, so "and what did he say…" reads as "and what did he say".
    Hyphens inside words (F-35, S-400) and commas stay."""
    text = " ".join(text.split())
    while True:
        before = text
        text = _START.sub("", _END.sub("", text))
        opening, closing = text[:1], text[-1:]
        if (
            len(text) > 1
            and _QUOTE_PAIRS.get(opening) == closing
            and opening not in text[1:-1]
            and closing not in text[1:-1]
        ):
            text = text[1:-1]  # “what did he say?”
        elif closing in _CLOSING and text.count(closing) == 1 and _CLOSING[closing] not in text[:-1]:
            text = text[:-1]  # what did he say?” (the opening lost)
        elif (
            opening in _QUOTE_PAIRS
            and opening not in ("'", "‘")
            and text.count(opening) == 1
            and _QUOTE_PAIRS[opening] not in text[1:]
        ):
            text = text[1:]  # “what did he say?
        if text == before:
            break
    return " ".join(_PAUSE.sub(" ", text).split())


# "Which classical composer spoke ...", "Which Delta flight attendant was fired ...", "Which Medical Research
# Council professor raised ...": the noun after "which" (lower case, within three words past the names, before
# any auxiliary) is a person's, so the answer is a name
_WHICH_NOUN = re.compile(r"\b(?i:which)\s+((?:[A-Z][\w'’-]*\s+)*(?:[\w'’-]+\s+){0,3})")
_AUXILIARY = re.compile(r"\b(?:did|does|do|was|is|were|are|has|have|had|will|would|can|could)\b")


def asked_person_nouns(text: str) -> list[str]:
    """The nouns for a person a "which" question asks after ("composer", "attendant", "players"); not
    "Which film did the director make?" (the director is not what is asked)."""
    which = _WHICH_NOUN.search(text)
    if which is None:
        return []
    from .speakers import is_person_noun  # not at import: `assistant docs` loads no search stack

    phrase = _AUXILIARY.split(which.group(1))[0]
    return [
        w for w in phrase.split() if w.islower() and (is_person_noun(w) or (w.endswith("s") and is_person_noun(w[:-1])))
    ]


def question_kind(text: str) -> str:
    """who / when / where / why / how_many, or "what" for anything else ("which composer ...": see
    ``asked_person_nouns``)."""
    return next((name for name, pattern in _KINDS if pattern.search(text)), "what")


def analyse(text: str) -> Question:
    """Parse the question's speaker/topic (if it asks what someone said) and its kind."""
    text = normalise(text)
    kind = question_kind(text)
    # several forms may fit; the speaker is the phrase the auxiliary opens, up to its own verb: the
    # shortest ("how did the chairman of the working party describe the state of the talks" is not
    # "the chairman ... describe the" stating something "of the talks")
    matches = [m for m in (pattern.match(text) for pattern in _SPEAKER_PATTERNS) if m]
    match = min(matches, key=lambda m: len(m.group("speaker")), default=None)
    said = (
        _said(
            text,
            match.group("speaker"),
            # "what pitch did X make to aerospace firms": the act's noun and whom or what it was about
            " ".join(p.strip() for p in (match.groupdict().get("topic"), match.groupdict().get("rest")) if p),
            match.groupdict().get("verb"),
        )
        if match
        else None
    )
    if match and said is not None:  # None also for "what do the articles say about ...": the corpus itself
        prep = (match.groupdict().get("prep") or "").lower()
        told = said.verb == "tell" and not prep  # "what did Blair tell the Labour conference"
        asked_about = _ASKED_ABOUT.match(said.topic or "") if prep == "when" else None
        answering = (
            _ANSWERED_TO.match(said.topic or "")
            if said.verb in _ANSWERING_VERBS and prep in ("on", "in", "at", "during", "after")
            else None
        )
        if answering:
            said = replace(said, topic=answering.group("topic"))  # "respond on Newsnight to the campaign": the campaign
        elif asked_about:
            said = replace(said, topic=asked_about.group("topic"))  # "say when asked about the money": the money
        elif said.topic and (prep in _OCCASION_PREPOSITIONS or told):
            # "the news conference where they made peace": the occasion is the news conference; what
            # the clause tells of it is the reporter's story, not the statement's words
            occasion = _OCCASION_CLAUSE.split(said.topic, maxsplit=1)[0].strip() or said.topic
            said = replace(said, topic=occasion, occasion=True)
        return said
    # a figure asked of someone ("how much did BT say it would cost?") wants the passage with the figure
    match = _LOOSE_SPEAKER.match(text) if kind != "how_many" else None
    if match:
        who = match.group("speaker") or match.group("speaker2")
        verb = (match.group("verb") or match.group("verb2")).split()[0]
        topic = match.group("topic")
        asked = match.group("asked")
        if asked and match.group("wh").lower() in ("what", "which") and asked.lower() not in _WH_FILLERS:
            topic = f"{asked} {topic}"  # "What outcome did the lawyer expect from the hearing?": the outcome is asked
        said = _said(text, who, topic, verb, loose=True)
        if said is not None:
            return said
    match = _WHEN_VIEW.match(text)
    said = _said(text, match.group("speaker"), match.group("topic"), match.group("verb"), loose=True) if match else None
    if said is not None:
        return said
    match = _HOW_STANCE.match(text) or _IS_STANCE.match(text)
    said = _said(text, match.group("speaker"), match.group("topic"), None, loose=True, deed=True) if match else None
    if said is not None:
        return said
    match = _WH_DEED.match(text) if kind != "how_many" else None
    subject = _deed_subject(match.group("rest")) if match else None
    said = _said(text, subject[0], subject[1], None, loose=True, deed=True) if subject else None
    if said is not None:
        return said
    first = match.group("rest").split()[0] if match else ""
    unsplit = match.group("rest") if first.islower() and first not in _DETERMINERS else None
    match = _DEED_SPEAKER.match(text) if kind != "how_many" else None
    if match and match.group("topic"):
        # the deed is the topic: "refuse to show Who's Your Daddy" (what they said of showing it is no answer)
        verb = match.group("verb") or match.group("verb2")
        deed = f"{verb} {match.group('topic')}"
        said = _said(text, match.group("speaker") or match.group("speaker2"), deed, verb, loose=True, deed=True)
        if said is not None:
            return said
    return Question(text, kind=kind, unsplit=unsplit)


def _said(
    text: str, who: str, topic: str | None, verb: str | None, loose: bool = False, deed: bool = False
) -> Question | None:
    """The speaker question a pattern matched, or None when its speaker is none: the reader or the
    articles themselves (``_NOT_SPEAKERS``), or, for a guessed form, the subject of a passive ("have
    X been described as" names who is described)."""
    speaker = re.sub(r"^(the|a|an)\s+", "", who.strip(), flags=re.IGNORECASE)
    document = _OWNED_DOCUMENT.match(speaker)
    if document and document.group("noun").lower() in DOCUMENT_NOUNS:
        speaker = document.group("owner")  # "according to Professor Allsop's research": Allsop's words
    if speaker.lower() in _NOT_SPEAKERS or (loose and re.search(r"\b(?:been|being)\b", speaker, re.IGNORECASE)):
        return None
    if speaker.split()[0].lower() in DOCUMENT_NOUNS:
        return None  # "according to the report on the care plans": a document nobody is named for, the articles
    topic = topic.strip() if topic else None
    return Question(
        text,
        speaker=speaker,
        topic=_owner_for_pronoun(topic, speaker) if topic else None,
        kind="said",
        verb=lemma_of(verb) if verb else None,
        loose=loose,
        deed=deed,
    )


# a document someone owns: "Professor Allsop's research", "the IFS's report"
_OWNED_DOCUMENT = re.compile(r"^(?P<owner>.+?)['’]s?\s+(?:(?:new|latest|own|recent)\s+)?(?P<noun>[a-z]+)$")
# a person's full name owning the speaker ("Michael Jackson's mother"), not a body ("the BBC's chairman")
_OWNER = re.compile(r"^(?P<owner>(?:[A-Z\u00c0-\u024f][\w'’.-]*\s+){1,3}[A-Z\u00c0-\u024f][\w.-]*)['’]s?\s+\S")
_OBJECT_PRONOUN = re.compile(r"\b(him|her)\b")  # "his plans" are the speaker's own


def _owner_for_pronoun(topic: str, speaker: str) -> str:
    """ "What did Michael Jackson's mother say about the charges against him?": "him" is the person
    whose mother speaks, named in the question itself; the topic says so, so that it can be matched
    (a pronoun a follow-up leaves is the conversation's business, see ``followup``)."""
    owner = _OWNER.match(speaker)
    if not owner or not _OBJECT_PRONOUN.search(topic):
        return topic
    return _OBJECT_PRONOUN.sub(owner.group("owner"), topic)
