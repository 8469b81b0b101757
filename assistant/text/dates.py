"""Dates as news text writes them ("Oct. 5", "April 16, 2018", "2019-07-12"), found by pattern,
and put on the calendar.

Used at ingest (the dates an article mentions; its publication date and how it was found) and
by the answer engine (does a passage hold a date, for a "when" question). A publication date
is only ever what the metadata says, or what the text states with its year (a dateline, or the
latest full date it mentions, labelled as estimated from the text): a date without a year is
never completed by guessing one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from email.utils import parsedate_to_datetime
from functools import lru_cache
from typing import Literal

_MONTHS = (
    r"(?:Jan(?:uary|\.)?|Feb(?:ruary|\.)?|Mar(?:ch|\.)?|Apr(?:il|\.)?|May|June?|July?|Aug(?:ust|\.)?|"
    r"Sep(?:tember|t\.|\.)?|Oct(?:ober|\.)?|Nov(?:ember|\.)?|Dec(?:ember|\.)?)"
)
_DATE = re.compile(
    rf"\b(?:{_MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,\s*\d{{4}})?"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTHS}(?:\s+\d{{4}})?"
    rf"|{_MONTHS}\s+\d{{4}}"
    r"|\d{4}-\d{2}-\d{2})(?![\w])"
)

# The parts of one date as ``_DATE`` finds it (month-day-year, day-month-year, ISO).
_MDY = re.compile(rf"^(?P<m>{_MONTHS})\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?:,\s*(?P<y>\d{{4}}))?$")
_DMY = re.compile(rf"^(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m>{_MONTHS})(?:\s+(?P<y>\d{{4}}))?$")
_ISO = re.compile(r"^(?P<y>\d{4})-(?P<mm>\d{2})-(?P<d>\d{2})$")
_MONTH_NUMBER = {m: i for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)}
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY = re.compile(r"\b(?:on |last |this |next )?(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b")
_RELATIVE_DAY = re.compile(r"\b(yesterday|today|tomorrow)\b", re.IGNORECASE)
# a span of time counted from the day of writing: "last week", "next month", "two years ago"
_COUNT = r"(?:\d{1,2}|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
_RELATIVE_SPAN = re.compile(
    rf"\b(?:(?:last|next|this) (?:week|month|year)|{_COUNT} (?:days?|weeks?|months?|years?) ago)\b", re.IGNORECASE
)

# A line at the top that states when the article appeared: "Published: 5 October 2020",
# "Updated Oct. 5, 2020 10:30 GMT", "ANKARA, Oct. 5, 2020 (AA) -", or a date alone on a line.
_DATELINE_CUE = re.compile(
    r"^(?:(?i:published|posted|updated|last updated|date|first published)(?i: on)?\s*:?\s*"
    r"|(?:[A-Z][A-Z.'’ -]{1,30},\s*|[A-Z][a-z]+(?: [A-Z][a-z]+){0,2},\s*)?"  # ANKARA, / New York,
    r"(?:(?:Mon|Tues?|Wed(?:nes)?|Thu(?:rs)?|Fri|Sat(?:ur)?|Sun)(?:day)?,?\s+)?)"
)
# what may follow the date on a line of its own: a time, a zone ("10:30 GMT", "| Updated ...")
_DATELINE_REST = re.compile(
    r"^(?:[,|·]?\s*(?:\d{1,2}[:.]\d{2}\s*(?:[AaPp]\.?[Mm]\.?)?\s*(?:[A-Z]{2,5})?)?)?\s*(?:\|.*)?$"
)
_DATELINE_PARAGRAPHS = 4  # a dateline sits in the first few paragraphs
_DATELINE_MAX = 120  # characters: a dateline is short, or starts the first paragraph

_YEAR = re.compile(r"(?<![\w$£€.,-])((?:19|20)\d\d)(?![\w%]|[.,]\d)")  # a year, not "$2018" or "2,018"

DateSource = Literal["metadata", "text", "unknown"]
MIN_DAY, MAX_DAY = 10000101, 99991231


@dataclass(frozen=True)
class Published:
    """An article's publication date and how it was found: ``metadata`` (the file said so),
    ``text`` (a dateline, or estimated from the latest full date the text mentions: see
    ``estimate_from_text`` and ``evidence``), or ``unknown`` (``day`` is None)."""

    day: date | None
    source: DateSource
    evidence: str = ""

    @property
    def iso(self) -> str | None:
        return self.day.isoformat() if self.day else None


def extract_dates(text: str, limit: int = 20) -> list[str]:
    """Dates mentioned in the text, in order of first mention ("Oct. 5", "April 16, 2018")."""
    seen: dict[str, None] = {}
    for match in _DATE.finditer(text):
        seen.setdefault(match.group(0), None)
        if len(seen) >= limit:
            break
    return list(seen)


def date_spans(text: str) -> list[tuple[int, int]]:
    """Where the text writes a date or a year ("16 November", "April 16, 2018", "in 2004"): numbers
    that count nothing."""
    return [m.span() for pattern in (_DATE, _YEAR) for m in pattern.finditer(text)]


_LATEST = re.compile(
    r"\b(?:latest|most recent(?:ly)?|newest|recent(?:ly)?|now|currently|these days|nowadays|today|current)\b",
    re.IGNORECASE,
)


def asks_for_latest(question: str) -> bool:
    """Does the question ask for what is newest ("the latest on...", "what does X say now")?"""
    return _LATEST.search(question) is not None


def day_number(day: date | None) -> int:
    """A date as the integer YYYYMMDD (0 for none): what the store filters on."""
    return day.year * 10000 + day.month * 100 + day.day if day else 0


def from_day_number(number: int | None) -> date | None:
    if not number:
        return None
    try:
        return date(number // 10000, number // 100 % 100, number % 100)
    except ValueError:
        return None


def _month(name: str) -> int:
    return _MONTH_NUMBER[name[:3].lower()]


def calendar_day(mention: str, year: int | None = None) -> date | None:
    """A full date as ``_DATE`` finds it ("April 16, 2018", "5 Oct 2020", "2019-07-12") on the
    calendar; one without a year only when ``year`` is given; None for a month alone."""
    mention = " ".join(mention.split())
    for pattern in (_MDY, _DMY, _ISO):
        m = pattern.match(mention)
        if not m:
            continue
        groups = m.groupdict()
        y = int(groups["y"]) if groups.get("y") else year
        if y is None:
            return None
        month = int(groups["mm"]) if groups.get("mm") else _month(groups["m"])
        try:
            return date(y, month, int(groups["d"]))
        except ValueError:
            return None
    return None


def parse_date(value: str | None) -> date | None:
    """A date as metadata writes it: ISO 8601 (with or without a time and zone), RFC 2822
    ("Mon, 05 Oct 2020 10:00:00 GMT"), YYYYMMDD, Unix time, or a written date with its year ("October 5,
    2020"). The day as the publisher wrote it (no conversion between time zones). None when
    it is none of these: never a guess."""
    if not value:
        return None
    value = " ".join(str(value).split())
    m = re.match(r"^(\d{4})-(\d{2})-(\d{2})(?:$|[T ])", value)
    if m:
        try:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return None
    if re.fullmatch(r"\d{8}", value):
        return from_day_number(int(value))
    if re.fullmatch(r"\d{9,10}(?:\.\d+)?|\d{13}", value):  # Unix time, in seconds or milliseconds (UTC)
        seconds = float(value) / (1000 if len(value) == 13 else 1)
        return datetime.fromtimestamp(seconds, UTC).date()
    try:
        return parsedate_to_datetime(value).date()
    except (TypeError, ValueError, IndexError):
        pass
    cleaned = re.sub(r"^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,?\s+", "", value, flags=re.IGNORECASE)
    found = _DATE.match(cleaned)
    if found:
        return calendar_day(found.group(0))
    return None


def _plausible(day: date) -> bool:
    return 1900 <= day.year <= datetime.now().year + 1


def publication_date(metadata: str | None, text: str) -> Published:
    """When the article was published: its metadata's date when it has a readable one, else
    what its text states (``estimate_from_text``), else unknown."""
    day = parse_date(metadata)
    if day is not None and _plausible(day):
        return Published(day, "metadata", f"metadata: {metadata}")
    return estimate_from_text(text)


def estimate_from_text(text: str) -> Published:
    """A dateline near the top ("Published: 5 Oct 2020", "ANKARA, Oct. 5, 2020 (AA) -"); else
    the latest full date (with its year) the text mentions, when the text mentions it twice,
    names its weekday ("on Friday") and no later year: news reporting an event of that day,
    which the article cannot predate and is usually published within days of; else unknown.
    Never a date without a year."""
    paragraphs = [p.strip() for p in text.split("\n") if p.strip()][:_DATELINE_PARAGRAPHS]
    for para in paragraphs:
        head = para[:_DATELINE_MAX]
        cue = _DATELINE_CUE.match(head)
        found = _DATE.match(head, cue.end()) if cue else None
        if found is None:
            continue
        day = calendar_day(found.group(0))
        rest = head[found.end() :].lstrip()
        alone = len(para) <= _DATELINE_MAX and _DATELINE_REST.match(rest) is not None
        if day and _plausible(day) and (alone or rest[:1] in ("(", "-", "—", "–", "/", "|", ":")):
            return Published(day, "text", f"dateline: {found.group(0)}")
    latest: tuple[date, str] | None = None
    mentions: dict[date, int] = {}
    for match in _DATE.finditer(text):
        if "\n" in match.group(0):
            continue  # "Friday, 25 February\n\n2000 GMT": a fixture's day, then its kick-off time
        day = calendar_day(match.group(0))
        if day and _plausible(day):
            mentions[day] = mentions.get(day, 0) + 1
            if latest is None or day > latest[0]:
                latest = (day, match.group(0))
    if latest:
        # Alone, the latest date is often not the news day (a birth date, a deadline to come, an
        # anniversary: 40 of BBC's 2,225 articles): it counts only when the text comes back to
        # it (mentioned twice: a caption, a dateline and the lead), reports by its weekday ("a
        # Friday presser", "said on Friday"), and names no later year ("the 2006 finals").
        weekday = latest[0].strftime("%A")
        later_year = any(int(y) > latest[0].year for y in _YEAR.findall(text))
        if mentions[latest[0]] >= 2 and re.search(rf"\b{weekday}\b", text) and not later_year:
            return Published(
                latest[0],
                "text",
                f"estimated: the latest date the text mentions ({latest[1]}, {mentions[latest[0]]} times), "
                f"a {weekday} it names",
            )
    return Published(None, "unknown")


def _distance(day: date, published: date) -> int:
    return (published - day).days if day <= published else 3 * (day - published).days


Precision = Literal["day", "week", "month", "year"]


@dataclass(frozen=True)
class DateMention:
    """A date the text mentions, where, and the calendar day it means (None when the text
    does not say enough: "Oct. 5" in an article of unknown date). ``relative``: the text alone
    does not give the date ("on Friday", "Oct. 5", "last December"); it was worked out from
    the publication date. A week, month or year ("last week", "in June", "two years ago") is
    held as its first day, with ``precision`` saying how much of the date is known."""

    text: str
    start: int
    end: int
    day: date | None
    precision: Precision = "day"
    relative: bool = False

    @property
    def iso(self) -> str | None:
        """The date to the precision the text gives: "2019-04-12", "2019-W15", "2018-12", "2017"."""
        if self.day is None:
            return None
        if self.precision == "week":
            year, week, _ = self.day.isocalendar()
            return f"{year}-W{week:02d}"
        return self.day.isoformat()[: {"day": 10, "month": 7, "year": 4}[self.precision]]


_FULL_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
# a month named alone: "in June", "last December", "this March", "since September"
_BARE_MONTH = re.compile(rf"\b(in|last|this|since|until|by|early|late|mid-?)\s+({_FULL_MONTHS})\b(?![ ,]*\d)")
_MONTH_YEAR = re.compile(rf"^{_MONTHS}\s+\d{{4}}$")


@lru_cache(maxsize=8192)
def _dateparser(phrase: str, base: date, prefer: Literal["past", "future"]) -> tuple[date, Precision] | None:
    """``phrase`` on the calendar as ``dateparser`` reads it from ``base`` (English only, so no
    word of another language is read as a date; a month or year held as its first day, never
    with a day borrowed from ``base``), with the precision it gives. Cached: about 1-4 ms a
    phrase, and the same cited passages come back."""
    from dateparser.date import DateDataParser  # about 0.6 s to import: only when a date needs it

    parser = DateDataParser(
        languages=["en"],
        settings={
            "RELATIVE_BASE": datetime.combine(base, time()),
            "PREFER_DATES_FROM": prefer,
            "PREFER_DAY_OF_MONTH": "first",
            "RETURN_AS_TIMEZONE_AWARE": False,
        },
    )
    found = parser.get_date_data(phrase)
    if found.date_obj is None:
        return None
    day = found.date_obj.date()
    precision: Precision = found.period if found.period in ("day", "week", "month", "year") else "day"
    if precision == "month":
        day = day.replace(day=1)
    elif precision == "year":
        day = date(day.year, 1, 1)
    return day, precision


def _relative_day(phrase: str, published: date) -> tuple[date, Precision] | None:
    """A weekday, "yesterday", "last week", "two years ago"... from the publication date.

    News dates by the weekday events of the past week, the day of writing included: "said on
    Friday" in a Friday article is that day, and in a Tuesday article the Friday before
    (dateparser's "past" would skip the day of writing itself, so it reads bare weekdays from
    the day after); "last Friday" is a Friday before the day of writing; "next ..." reads
    forward."""
    words = phrase.lower().split()
    if words[0] == "next":
        return _dateparser(phrase, published, "future")
    if words[-1] in _WEEKDAYS and words[0] != "last":
        return _dateparser(words[-1], published + timedelta(days=1), "past")
    return _dateparser(phrase, published, "past")


def resolve_dates(text: str, published: date | None) -> list[DateMention]:
    """The dates ``text`` mentions, on the calendar: full dates as written; "Oct. 5" in the
    year that puts it nearest the publication date (past preferred: news reports what was
    said, but also what is to come, so not the past alone); "on Friday", "yesterday", "last
    week", "next month", "two years ago" as ``dateparser`` reads them from the publication
    date (``_relative_day``); "December 2017", and "in June", "last December" (the latest
    such month up to the publication's, before it for "last") as months. Only phrases these
    patterns find are read ("may", "march" as words never are), and relative dates stay
    unresolved (None) when the publication date is unknown: never a guess."""
    out: list[DateMention] = []
    for m in _DATE.finditer(text):
        s = m.group(0)
        day = calendar_day(s)
        relative = False
        if day is None and published is not None and (_MDY.match(" ".join(s.split())) or _DMY.match(s)):
            years = (published.year - 1, published.year, published.year + 1)
            candidates = [d for y in years if (d := calendar_day(s, y))]
            if candidates:
                # the nearest, a day before publication counting three times less far than one after
                day = min(candidates, key=lambda d: _distance(d, published))
                relative = True
        if day is None and _MONTH_YEAR.match(" ".join(s.split())):
            month, year = s.split()
            out.append(DateMention(s, m.start(), m.end(), date(int(year), _month(month), 1), "month"))
            continue
        out.append(DateMention(s, m.start(), m.end(), day, relative=relative))
    for m in _BARE_MONTH.finditer(text):
        day = None
        if published is not None:
            month = _month(m.group(2))
            # the latest such month up to the publication's ("last": before it)
            strictly = m.group(1).lower() == "last"
            year = (
                published.year
                if (month < published.month or (month == published.month and not strictly))
                else (published.year - 1)
            )
            day = date(year, month, 1)
        out.append(DateMention(m.group(0), m.start(), m.end(), day, "month", relative=True))
    for pattern in (_WEEKDAY, _RELATIVE_DAY, _RELATIVE_SPAN):
        for m in pattern.finditer(text):
            found = _relative_day(m.group(0), published) if published is not None else None
            day, precision = found if found else (None, "day")
            out.append(DateMention(m.group(0), m.start(), m.end(), day, precision, relative=True))
    return sorted(out, key=lambda x: x.start)


ResolvedDate = tuple[int, int, str, str]  # (start, end, phrase as written, ISO date to its precision)


def resolved_in(text: str, start: int, end: int, published: str | None, *, offset: int = 0) -> tuple[ResolvedDate, ...]:
    """The dates in ``text[start:end]`` (a cited passage) that only the publication date
    (ISO, or None when unknown: then none) puts on the calendar, each as (start, end in the
    article, the phrase, its date; ``offset``: where ``text`` starts in the article): what a
    citation shows as "on Friday (= 2019-04-12)"."""
    day = parse_date(published) if published else None
    if day is None:
        return ()
    return tuple(
        (offset + start + m.start, offset + start + m.end, m.text, m.iso)
        for m in resolve_dates(text[start:end], day)
        if m.relative and m.iso is not None
    )
