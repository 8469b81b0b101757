"""Search filters as people write them: ``--since 2019 --outlet "Press TV"`` on the command line,
or ``since:2019 until:2020-06 outlet:"Press TV"`` inside a question (for a chat bot, which has
only the message). Both become one ``SearchFilter``; a bad date or an outlet no article has is a
``FilterError`` that says what is accepted.

Dates may be a year (``2019``), a month (``2019-03``, ``March 2019``) or a day (``2019-03-05``,
``5 March 2019``, ``March 5, 2019``): ``since`` takes the first day of it, ``until`` the last, so
``until:2019`` includes all of 2019.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Callable, Iterable
from datetime import date

from ..errors import FilterError
from ..models import SearchFilter
from .dates import calendar_day

_MONTH_NAMES = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
_MONTH_NAMES.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
_ACCEPTED = "a year (2019), a month (2019-03, March 2019) or a day (2019-03-05, 5 March 2019)"

# since:2019  until:"March 2020"  outlet:"Press TV"  outlet:Reuters  doc:9fe05aa7faee94d4
_TOKEN = re.compile(
    r"""(?<!\S)(?P<key>since|after|from|until|before|to|outlet|source|doc):"""
    r"""(?:"(?P<quoted>[^"]*)"|“(?P<curly>[^”]*)”|(?P<bare>\S+))""",
    re.IGNORECASE,
)
_KEYS = {"since": "since", "after": "since", "from": "since", "until": "until", "before": "until", "to": "until"}


def parse_day(value: str, *, end: bool = False) -> date:
    """A date as a person writes it, as the first day it covers (or the last, ``end=True``)."""
    text = " ".join(str(value).replace(",", ", ").split()).strip().rstrip(".")
    m = re.fullmatch(r"(\d{4})", text)
    if m:
        return date(int(m.group(1)), 12, 31) if end else date(int(m.group(1)), 1, 1)
    m = re.fullmatch(r"(\d{4})-(\d{1,2})", text) or re.fullmatch(r"(\d{4})/(\d{1,2})", text)
    month = None
    if m:
        year, month = int(m.group(1)), int(m.group(2))
    else:
        m = re.fullmatch(r"([A-Za-z]+)\.? (\d{4})", text)
        if m and m.group(1).lower() in _MONTH_NAMES:
            year, month = int(m.group(2)), _MONTH_NAMES[m.group(1).lower()]
    if month is not None:
        if not 1 <= month <= 12:
            raise FilterError(f"not a date: {value!r} (month {month}); use {_ACCEPTED}")
        return date(year, month, calendar.monthrange(year, month)[1] if end else 1)
    m = re.fullmatch(r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})", text)
    if m:
        try:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError as exc:
            raise FilterError(f"not a date: {value!r} ({exc}); use {_ACCEPTED}") from None
    day = calendar_day(text.replace(", ", ","))
    if day is None:
        day = calendar_day(text)
    if day is not None:
        return day
    raise FilterError(f"not a date: {value!r}; use {_ACCEPTED}")


def _outlet_key(name: str) -> str:
    key = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    key = " ".join(re.sub(r"[^a-z0-9]+", " ", key).split())
    return key[4:] if key.startswith("the ") else key


def resolve_outlets(names: Iterable[str], known: Iterable[str | None]) -> frozenset[str]:
    """The stored outlet names that ``names`` mean, ignoring case, accents, punctuation and a
    leading "The" ("press tv" is "Press TV"); a name no article has is a ``FilterError``."""
    by_key: dict[str, set[str]] = {}
    for outlet in known:
        if outlet:
            by_key.setdefault(_outlet_key(outlet), set()).add(outlet)
    chosen: set[str] = set()
    for name in names:
        found = by_key.get(_outlet_key(name))
        if not found:
            listed = ", ".join(sorted({o for group in by_key.values() for o in group})) or "none"
            raise FilterError(f"no article is from the outlet {name!r}; the outlets are: {listed}")
        chosen |= found
    return frozenset(chosen)


def make_filter(
    since: str | date | None = None,
    until: str | date | None = None,
    outlets: Iterable[str] | None = None,
    doc_ids: Iterable[str] | None = None,
) -> SearchFilter | None:
    """A ``SearchFilter`` from what a person typed (None when nothing was given)."""
    low = parse_day(since) if isinstance(since, str) else since
    high = parse_day(until, end=True) if isinstance(until, str) else until
    if low and high and low > high:
        raise FilterError(f"the range is empty: since {low.isoformat()} is after until {high.isoformat()}")
    outlets = list(outlets) if outlets else None
    doc_ids = list(doc_ids) if doc_ids else None
    if low is None and high is None and not outlets and not doc_ids:
        return None
    return SearchFilter(doc_ids=doc_ids, outlets=outlets, since=low, until=high)


def split_filters(question: str) -> tuple[str, dict[str, object]]:
    """The question without its filter tokens, and what they asked for: ``{"since": "2019",
    "until": ..., "outlets": [...], "doc_ids": [...]}`` (only the keys given; pass them to
    ``make_filter``). ``since:``/``after:``/``from:``, ``until:``/``before:``/``to:``,
    ``outlet:``/``source:`` (repeatable; quote a name with spaces) and ``doc:``."""
    found: dict[str, object] = {}

    def take(m: re.Match[str]) -> str:
        key = m.group("key").lower()
        value = next(v for v in (m.group("quoted"), m.group("curly"), m.group("bare")) if v is not None).strip()
        if not value:
            raise FilterError(f'{key}: needs a value (e.g. {key}:2019 or outlet:"Press TV")')
        if key in _KEYS:
            if _KEYS[key] in found:
                raise FilterError(f"two {_KEYS[key]} dates given: keep one")
            found[_KEYS[key]] = value
        elif key in ("outlet", "source"):
            found.setdefault("outlets", []).append(value)  # type: ignore[union-attr]
        else:
            found.setdefault("doc_ids", []).append(value)  # type: ignore[union-attr]
        return " "

    rest = _TOKEN.sub(take, question)
    return " ".join(rest.split()), found


def filter_from_question(
    question: str, known_outlets: Iterable[str | None] | Callable[[], Iterable[str | None]] = ()
) -> tuple[str, SearchFilter | None]:
    """``split_filters`` then ``make_filter``: the question to ask and its filter. Outlets are
    matched to ``known_outlets`` (the store's) when given; pass a function (``Assistant.outlets``)
    and it is called only when the question names an outlet, so a question without one never
    reads the store's article list."""
    rest, found = split_filters(question)
    outlets = found.get("outlets")
    if outlets:
        known = known_outlets() if callable(known_outlets) else known_outlets
        if known:
            outlets = sorted(resolve_outlets(outlets, known))  # type: ignore[arg-type]
    return rest, make_filter(found.get("since"), found.get("until"), outlets, found.get("doc_ids"))  # type: ignore[arg-type]
