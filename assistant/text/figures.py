"""The figures a passage states: counts, sums of money and shares, told from the dates and the numbers
the question itself gives. A "how many / how much" question, of the articles or of a speaker's words, is
answered only by a passage stating the kind of figure asked for."""

from __future__ import annotations

import re

from .dates import date_spans

AMOUNT = re.compile(
    r"\d+(?:[.,]\d+)*|\b(single|none|half|quarter|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen"
    r"|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty"
    r"|ninety|hundred|thousand|million|billion|trillion|dozen|dozens|hundreds|thousands|millions"
    r"|billions)\b",
    re.I,
)
VAGUE_AMOUNTS = {"dozens", "hundreds", "thousands", "millions", "billions"}
# the words that ask for a sum ("how much did it cost"): they say what kind of figure is wanted,
# not what it is the figure of
PRICE_WORDS = (
    r"money|cash|worth|cost|costs|costing|pay|paid|pays|paying|spend|spent|spending|price|priced|value|valued"
    r"|charge|charged|charging|earn|earned|earning|raise|raised|raising|sell|sold|selling|buy|bought|buying"
    r"|invest|invested|investing"
)
MONEY_QUESTION = re.compile(
    rf"\bhow much\b.*\b(?:{PRICE_WORDS}|fund|funding|budget|deal|contract|loan|debt|fine|fined)\b"
    r"|\bwhat (price|sum)\b",
    re.I,
)
PRICE_WORD = re.compile(rf"(?:{PRICE_WORDS})", re.I)
MONEY = re.compile(
    r"[$€£¥]\s?\d|\d\s?(million|billion|trillion|bn|m|k)\b|\b(dollars?|euros?|pounds?|lira|liras|roubles?"
    r"|rubles?|yuan|yen|rupees?|francs?|cents?|pence)\b|\b(USD|EUR|GBP|TRY|RUB)\b",
    re.I,
)
SHARE_QUESTION = re.compile(r"\bwhat (percentage|proportion|share|fraction)\b", re.I)
SHARE = re.compile(
    r"%|\bper ?cent\b|\bpercentage\b|\b(half|quarter|third|two-thirds|three-quarters|majority|minority)\b", re.I
)


def stated_figures(text: str, question: str) -> list[re.Match[str]]:
    """The figures a passage states that the question does not give (the 35 of "F-35" answers
    nothing), dates and vague plurals ("thousands of his possessions") left out."""
    asked = {m.group(0).lower() for m in AMOUNT.finditer(question)}
    dates = date_spans(text)  # "released on 16 November", "March 6", "in 2004"
    return [
        m
        for m in AMOUNT.finditer(text)
        if m.group(0).lower() not in asked | VAGUE_AMOUNTS
        and not any(start <= m.start() and m.end() <= end for start, end in dates)
        and not (m.group(0).lower() == "one" and _ONE_OF.match(text, m.end()))
    ]


_ONE_OF = re.compile(r"\s+of\b")  # "one of Labour's most senior Asians": a member of a group, no count


def has_amount(text: str, question: str) -> bool:
    """Does the passage state the kind of quantity asked for (a sum of money for "how much was it
    worth", a share for "what percentage", else any number), beyond the numbers the question
    itself contains and the dates (``stated_figures``)?"""
    stated = [m.group(0).lower() for m in stated_figures(text, question)]
    if not stated:
        return False
    if MONEY_QUESTION.search(question):
        return bool(MONEY.search(text))
    if SHARE_QUESTION.search(question):
        return bool(SHARE.search(text))
    return True
