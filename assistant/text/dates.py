"""Dates as news text writes them ("Oct. 5", "April 16, 2018", "2019-07-12"), found by pattern.

Used at ingest (the dates an article mentions) and by the answer engine (does a passage hold a
date, for a "when" question). Resolving them to calendar days belongs here too, when it comes.
"""

from __future__ import annotations

import re

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


def extract_dates(text: str, limit: int = 20) -> list[str]:
    """Dates mentioned in the text, in order of first mention ("Oct. 5", "April 16, 2018")."""
    seen: dict[str, None] = {}
    for match in _DATE.finditer(text):
        seen.setdefault(match.group(0), None)
        if len(seen) >= limit:
            break
    return list(seen)
