"""What a question asks: who is speaking (for "what did X say about Y"), about what, and of
which kind (who/when/how many...), so the answer engine can prefer the right passages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .speech import QUESTION_VERBS, lemma_of

_SAY = QUESTION_VERBS
_TOPIC = r"(?:\s+(?:about|on|regarding|of|over|concerning|in response to|to|at|in|during|after|when)\s+(?P<topic>.+?))?"
_SPEAKER_PATTERNS = [
    re.compile(
        rf"^(?:and\s+|so\s+|but\s+)?(?:what|how)\s+(?:did|does|do|has|have|had|would|will)\s+(?P<speaker>.+?)\s+(?P<verb>{_SAY})\b{_TOPIC}\s*[?.!]*\s*$",
        re.IGNORECASE,
    ),
    re.compile(
        r"^(?:and\s+)?what\s+(?:was|is|were|are)\s+(?P<speaker>.+?)['’]s?\s+(?:view|views|position|stance|opinion|"
        r"comment|comments|response|reaction|message|answer|argument|statement|remarks?)\s+"
        r"(?:on|about|regarding|of|to|over)\s+(?P<topic>.+?)\s*[?.!]*\s*$",
        re.IGNORECASE,
    ),
    re.compile(
        rf"^(?:and\s+)?(?:did|does|has|have)\s+(?P<speaker>.+?)\s+(?P<verb>{_SAY}|mention|mentioned)\s+(?:anything\s+)?"
        r"(?:about|on|regarding)\s+(?P<topic>.+?)\s*[?.!]*\s*$",
        re.IGNORECASE,
    ),
    re.compile(r"^according to\s+(?P<speaker>[^,]+),\s*(?P<topic>.+?)\s*[?.!]*\s*$", re.IGNORECASE),
    # "how did jack straw describe the london meeting", "how does Maguire see the fallout"
    re.compile(
        r"^(?:and\s+)?how\s+(?:did|does|do|has|have|would)\s+(?P<speaker>.+?)\s+(?P<verb>describe|characteri[sz]e|see"
        r"|view|assess|explain|justify|defend|react to|respond to|sum up)\s+(?P<topic>.+?)\s*[?.!]*\s*$",
        re.IGNORECASE,
    ),
    # "what did cavusoglu say nato should do": what they said is the topic
    re.compile(
        rf"^(?:and\s+)?what\s+(?:did|does|has|had)\s+(?P<speaker>(?:\S+\s+){{0,5}}?\S+)\s+(?P<verb>{_SAY})\s+(?:that\s+)?"
        r"(?P<topic>.+?)\s*[?.!]*\s*$",
        re.IGNORECASE,
    ),
    re.compile(
        rf"^(?:and\s+)?what\s+(?P<speaker>[A-Z\u00c0-\u024f].+?)\s+(?P<verb>{_SAY})\s+(?:about|on|regarding)\s+(?P<topic>.+?)\s*[?.!]*\s*$"
    ),
]
PRONOUNS = {"he", "she", "they", "him", "her", "them", "his", "hers", "their"}
_KINDS = [
    (
        "how_many",
        re.compile(r"\bhow (many|much|long|old|far|big|large|often)\b|\bwhat (percentage|number|amount|price)\b", re.I),
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

    @property
    def speaker_is_pronoun(self) -> bool:
        return self.speaker is not None and self.speaker.lower() in PRONOUNS


def analyse(text: str) -> Question:
    """Parse the question's speaker/topic (if it asks what someone said) and its kind."""
    text = " ".join(text.split())
    kind = next((name for name, pattern in _KINDS if pattern.search(text)), "what")
    for pattern in _SPEAKER_PATTERNS:
        match = pattern.match(text)
        if match:
            speaker = re.sub(r"^(the|a|an)\s+", "", match.group("speaker").strip(), flags=re.IGNORECASE)
            topic = match.groupdict().get("topic")
            verb = match.groupdict().get("verb")
            if speaker.lower() in ("you", "i", "we", "it", "this", "that", "the article", "the articles"):
                break
            return Question(
                text,
                speaker=speaker,
                topic=topic.strip() if topic else None,
                kind="said",
                verb=lemma_of(verb) if verb else None,
            )
    return Question(text, kind=kind)
