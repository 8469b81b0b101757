"""Turn a follow-up ("and what did he say about sanctions?") into a standalone question,
using the conversation so far. Deterministic: no model needed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from .question import analyse, normalise
from .roles import is_role_word

_WHAT_ABOUT = re.compile(r"^(?:and\s+)?(?:what|how)\s+about\s+(?P<topic>.+)$", re.IGNORECASE)  # on normalise()d text
_ANAPHORA = re.compile(r"\b(that|this|it|there|then|those|these)\b", re.IGNORECASE)
_PERSONAL = re.compile(r"\b(he|she|him|her|his|hers)\b", re.IGNORECASE)  # "they/it" rarely mean the last speaker
_VAGUE_TOPIC = re.compile(
    r"^(?:it|that|this|them|those|these|the (?:(?:row|issue|matter|decision|move|plan|proposal|claim|change|reform|"
    r"scheme|ruling|report|finding|allegation|comment|affair|case|dispute|situation|incident|deal|story|talk)s?|news)"
    # "that idea", "these proposals", "the same claims": a demonstrative names no new subject
    r"|(?:that|this|those|these|the same)(?:\s+[a-z][\w-]*){1,2})$",
    re.IGNORECASE,
)
# "what about the EFF's co-ordinator, what did he think of ...": the person, then the question
_WHAT_ABOUT_WHO = re.compile(r"^(?:and\s+)?(?:what|how)\s+about\s+(?P<who>[^,]+),\s*(?P<rest>.+)$", re.IGNORECASE)
_PRONOUN_GENDER = {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f", "hers": "f"}
_LEADING_AND = re.compile(r"^(and|so|but|also)\s+", re.IGNORECASE)
# "those claims", "this meeting": a topic a demonstrative points back with
_POINTED_TOPIC = re.compile(r"^(?:this|that|these|those)\s+\w", re.IGNORECASE)
# "what did he say that Friday / that day": a short topic after "that" (a "that" opening a
# reported clause, "say that Turkey must ...", is followed by the clause's verb)
_POINTED_BEFORE = re.compile(r"\b(?:this|that|these|those)\s+$", re.IGNORECASE)
_SHORT_TOPIC = 2  # words


def refers_back(question: str) -> bool:
    """Does the question ask a speaker about a topic that is only a reference to the story asked
    about before ("and what did the shadow chancellor say about the row?", "what did the NATO
    chief say that Friday?")?"""
    parsed = analyse(" ".join(question.split()))
    if not (parsed.speaker and parsed.topic):
        return False
    if _VAGUE_TOPIC.match(parsed.topic) or _POINTED_TOPIC.match(parsed.topic):
        return True
    before = parsed.text[: parsed.text.rfind(parsed.topic)]
    return len(parsed.topic.split()) <= _SHORT_TOPIC and bool(_POINTED_BEFORE.search(before))


_WHO_IS = re.compile(r"^(?:and\s+)?(?:who|what)\s+(?:is|was|'s)\s+(?P<who>.+?)$", re.IGNORECASE)  # on normalise()d text


def asked_about(question: str) -> str | None:
    """Whom a "who is X?" question asks about ("gordon brown", "the information commissioner")."""
    m = _WHO_IS.match(normalise(question))
    # "who is the Newcastle manager who fell out with Bellamy?": the person is the role, not Bellamy
    return re.split(r"\s+(?:who|whom|whose|that|which)\s+", m.group("who"), maxsplit=1)[0] if m else None


def previous_questions(history: Sequence[dict[str, Any]] | None) -> list[str]:
    """The user's earlier messages, oldest first."""
    out = []
    for message in history or []:
        if not isinstance(message, dict):
            raise TypeError("history must be a list of {'role': ..., 'content': ...} dicts")
        if message.get("role") == "user" and isinstance(message.get("content"), str):
            out.append(message["content"])
    return out


def last_speaker(questions: Sequence[str]) -> str | None:
    """The most recent named (non-pronoun) speaker the user asked about."""
    for q in reversed(questions):
        parsed = analyse(q)
        if parsed.speaker and not parsed.speaker_is_pronoun:
            return parsed.speaker
    return None


def standalone_question(
    question: str,
    history: Sequence[dict[str, Any]] | None,
    answered: Sequence[str] = (),
    named: Sequence[str] = (),
    gender_of: Callable[[str], str | None] | None = None,
) -> str | None:
    """The question made self-contained; unchanged when it already is or there is no history.

    A pronoun means the person last asked about: the speaker of the last question, else the first
    person it names (``named``: "Who is Gordon Brown?"), else the first person the last answers
    named (``answered``, latest first); the first of them the pronoun can mean ("she" is not a
    man's first name). None when the question asks what "he" said (or "his" view,
    or what "his spokesman" said) and nobody fits: the caller asks who is meant rather than
    guess. A pronoun the question binds itself ("Did Erdogan say he would ...") needs nobody."""
    earlier = previous_questions(history)
    q = " ".join(question.split())
    what_about_who = _WHAT_ABOUT_WHO.match(normalise(q))
    if what_about_who and analyse(what_about_who.group("rest")).speaker_is_pronoun:
        # "what about X, what did he think of Y?": he is X, whoever was asked about before
        return _replace_pronouns(what_about_who.group("rest"), what_about_who.group("who")) + "?"
    parsed = analyse(q)
    pronoun = _PERSONAL.search(parsed.speaker or "") if parsed.speaker_is_pronoun else _PERSONAL.search(q)
    candidates = [
        *([last_speaker(earlier[-1:])] if earlier else []),
        *(named[:1] if earlier else []),
        *answered,
        *([last_speaker(earlier)] if earlier else []),
    ]
    # "his friend" is not the woman asked about before: a pronoun takes the first person it fits
    speaker = next((c for c in candidates if c and _fits(pronoun, c, gender_of)), None)
    if parsed.speaker_is_pronoun and not speaker:
        return None
    if not earlier:  # no question before, but perhaps answers naming someone (a thread's replies)
        return _replace_pronouns(q, speaker) if parsed.speaker_is_pronoun and speaker else question

    if parsed.speaker and parsed.topic and _VAGUE_TOPIC.match(parsed.topic):
        # "and what did the shadow chancellor say about the row?": the row asked about before
        previous = next((t for t in (analyse(e).topic for e in reversed(earlier)) if t), None)
        proposed = _SAID_BEFORE.match(parsed.topic) and _ASKED_WHAT_PROPOSED.search(earlier[-1])
        said = _first_statement(history) if proposed else None
        if previous:
            # "how did the Migration Watch chairman respond to that idea?" after "what did Roche propose for
            # ...?": the idea is what the last answer quoted first ("... called for an independent body to be
            # set up"); after "what did Oaten say about allowing phone tapping evidence?" it is the topic asked
            carried = f" ({previous}: {said})" if said else f" ({previous})"
            q = _LEADING_AND.sub("", _after_last(q, parsed.topic, carried))
            parsed = analyse(q)
            if not parsed.speaker_is_pronoun:
                return q
    if parsed.speaker_is_pronoun and speaker:
        return _replace_pronouns(q, speaker)
    what_about = _WHAT_ABOUT.match(normalise(q))
    if what_about:
        frame = analyse(earlier[-1])
        who = what_about.group("topic")
        if frame.speaker and frame.topic and _names_a_role(who):
            # "what about the CML's director general?" after what an economist said of the figures: the
            # same topic, asked of the person the role names
            return f"What did {who} say about {frame.topic}?"
        if frame.speaker and speaker:
            return f"What did {speaker} say about {what_about.group('topic')}?"
        return f"{normalise(earlier[-1])}: what about {what_about.group('topic')}?"
    words = q.split()
    pronoun = _PERSONAL.search(q)
    if pronoun and speaker and not _binds_own_pronoun(q, pronoun, parsed):
        return _replace_pronouns(q, speaker)
    if parsed.speaker and not parsed.speaker_is_pronoun and parsed.topic and not _ANAPHORA.search(parsed.topic):
        # "and what did Çavuşoğlu say about sanctions?" names whom and what: nothing to carry along
        # (the earlier question's words would only dilute the topic)
        return question
    if parsed.speaker and not parsed.speaker_is_pronoun and not parsed.topic:
        frame = analyse(earlier[-1])
        if frame.speaker and frame.topic and not frame.speaker_is_pronoun:
            # "and what did the club's chairman say?" after what Wenger said about signing his new contract: the
            # same topic, its "his" Wenger's (carried as context, the earlier speaker would be asked about again)
            topic = re.sub(r"\b(?:his|her)\b", f"{frame.speaker}'s", frame.topic, flags=re.IGNORECASE)
            who = re.search(rf"(?:\b(?:the|a|an)\s+)?{re.escape(parsed.speaker)}", q, re.IGNORECASE)
            return f"What did {who.group(0) if who else parsed.speaker} say about {topic}?"
    if len(words) <= 8 and (_ANAPHORA.search(q) or _LEADING_AND.match(q)):
        # "and when was that?" -> carry the previous question's subject along
        return f"{_LEADING_AND.sub('', q)} (context: {earlier[-1]})"
    return question


# "that idea", "this proposal", "those remarks", "it": what was said before, not the story ("the row")
_SAID_BEFORE = re.compile(r"^(?:it|that|this|(?:that|this|those|these)(?:\s+[a-z][\w-]*){1,2})$", re.IGNORECASE)
# a question whose answer is an idea: "what did Roche propose for ...?", "what did he call for?"
_ASKED_WHAT_PROPOSED = re.compile(
    r"\bwhat\b.*\b(?:propos|suggest|recommend|call(?:s|ed)?\s+for|urg|demand|advocat)\w*", re.IGNORECASE
)
_ANSWER_LINE = re.compile(r"^(?P<said>.+?)\s+—\s+[^—]+\[\d+\]\s*$")  # "<statement> — <speaker>, <headline> [1]"


def _first_statement(history: Sequence[dict[str, Any]] | None) -> str | None:
    """The first statement the latest answer quoted, as its line gives it."""
    latest = next((m for m in reversed(history or []) if isinstance(m, dict) and m.get("role") == "assistant"), None)
    for line in str((latest or {}).get("content", "")).splitlines():
        m = _ANSWER_LINE.match(line.strip())
        if m:
            return m.group("said").strip()
    return None


def _names_a_role(words: str) -> bool:
    """Does a phrase end with a word for a person's office ("the CML's director general", "his
    spokeswoman"), so that "what about ..." asks about someone, not something?"""
    return bool(words.split()) and is_role_word(words.split()[-1].lower().strip(".,?!"))


def _fits(pronoun: re.Match[str] | None, name: str, gender_of: Callable[[str], str | None] | None = None) -> bool:
    """Can the pronoun mean this person: "she" not a man's first name, "he" not a woman's (a name
    of either or unknown gender fits both). ``gender_of``: the gender the articles give the person
    ("Ms Gavron", "she said"), which a first name list may get wrong ("Nicky")."""
    from .speakers import first_name_gender

    wanted = _PRONOUN_GENDER.get(pronoun.group(0).lower()) if pronoun else None
    if not wanted:
        return True
    gender = gender_of(name) if gender_of is not None else None
    if gender is None:
        gender = first_name_gender(name.split()[0]) if len(name.split()) > 1 else None
    return not gender or gender == wanted


def _after_last(q: str, words: str, added: str) -> str:
    """``q`` with ``added`` after the last whole-word occurrence of ``words`` (the topic "it" is not
    the "it" of "committee" or "capital")."""
    found = list(re.finditer(rf"(?<!\w){re.escape(words)}(?!\w)", q))
    if not found:
        return q
    end = found[-1].end()
    return q[:end] + added + q[end:]


_NAME_BEFORE = re.compile(r"\s[A-Z\u00c0-\u00de][\w'’.-]*")


def _binds_own_pronoun(q: str, pronoun: re.Match[str], parsed: Any) -> bool:
    """Does the question give its pronoun its own person? It names its speaker, asks who, or
    names someone before the pronoun ("Did Erdogan say he would ..."). Then the person asked
    about before must not replace it: after a question about Çavuşoğlu, "what did Stoltenberg
    say about his trip?" is about Stoltenberg's trip. When unsure ("is Pompeo meeting him?"),
    the pronoun is left as asked: a search for "him" misleads nobody, a wrong name would."""
    if (parsed.speaker and not parsed.speaker_is_pronoun) or parsed.kind == "who":
        return True
    return bool(_NAME_BEFORE.search(q[: pronoun.start()]))


def _replace_pronouns(q: str, speaker: str) -> str:
    """The speaker for the first personal pronoun and those of its gender: in "what did she say
    about the charges against him?", "him" is someone else."""
    first = _PERSONAL.search(q)
    gender = _PRONOUN_GENDER[first.group(0).lower()] if first else None

    def sub(match: re.Match[str]) -> str:
        word = match.group(0).lower()
        if _PRONOUN_GENDER[word] != gender:
            return match.group(0)
        return f"{speaker}'s" if word in ("his", "hers") else speaker

    out = _PERSONAL.sub(sub, q)
    return _LEADING_AND.sub("", out)
