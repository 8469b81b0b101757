"""Countries as news writes them: a country, its short forms and its people's adjective name one
place ("the US", "the USA", "America", "American"; "the UK", "Britain", "British"). A question
on "American aid" is on a statement about "the money pledged by the US".

The names, alternative spellings and demonyms are ``countryinfo``'s; it lacks only the informal
names below, which English news uses for three countries as often as their own.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .terms import fold

# informal names that countryinfo does not list
_INFORMAL = {"United States": ("America",), "United Kingdom": ("Britain",), "Netherlands": ("Holland",)}
# the codes news prints as a country's name; the others (ISO's "TUR", "MAC", "IT") are not
_NEWS_CODES = frozenset({"US", "USA", "UK", "UAE"})
_LATIN = re.compile(r"[A-Za-z][A-Za-z .'\-]*")


@lru_cache(maxsize=1)
def _countries() -> tuple[dict[str, frozenset[str]], frozenset[str]]:
    """(form -> every form of its country, lower case; the demonyms), built once (~30 ms). A form
    two countries share ("American": the US and the Northern Mariana Islands; "Chinese": China
    and Hong Kong) is the more populous one's."""
    from countryinfo import all_countries  # loaded on the first question that needs it

    owner: dict[str, tuple[int, frozenset[str]]] = {}
    demonyms: set[str] = set()
    for country in all_countries():
        name = country.name()
        if not name:
            continue
        name = name.title() if name.islower() else name
        forms = {name, *country.alt_spellings(), *_INFORMAL.get(name, ())}
        for d in (country.demonym() or "").split(","):  # "Antiguan,Barbudan"
            if d.strip():
                forms.add(d.strip())
                demonyms.add(fold(d.strip()).lower())
        kept = frozenset(fold(f).lower() for f in forms if _LATIN.fullmatch(f) and (len(f) > 3 or f in _NEWS_CODES))
        population = country.population() or 0
        for form in kept:
            if form not in owner or owner[form][0] < population:
                owner[form] = (population, kept)
    return {form: forms for form, (_, forms) in owner.items()}, frozenset(demonyms)


def country_forms(word: str) -> frozenset[str]:
    """Every form (lower case) of the country ``word`` names or describes, itself included; empty
    when it names none ("american" -> {"american", "america", "us", "usa", "united states", ...})."""
    return _countries()[0].get(fold(word).lower().strip(".'’"), frozenset())


# the home nations countryinfo lacks (it lists Scotland and Wales), which sport news names as countries
_HOME_NATIONS = {form: frozenset({"england", "english"}) for form in ("england", "english")} | {
    "northern ireland": frozenset({"northern ireland"})
}


def nation_forms(word: str) -> frozenset[str]:
    """``country_forms`` with England and Northern Ireland: whose office a role names ("the England
    coach" is not the Wales coach). Not for search: "English" as often names the language."""
    return country_forms(word) or _HOME_NATIONS.get(fold(word).lower().strip(".'’"), frozenset())


def is_demonym(word: str) -> bool:
    """Is ``word`` a people's adjective ("American", "Iraqi", "Turkish")?"""
    return fold(word).lower() in _countries()[1]


def abbreviations(word: str) -> list[str]:
    """The country's short forms as articles print them, in capitals ("US", "USA", "UK"): a word
    like "us" can only be told from the pronoun by its case."""
    return sorted(f.upper() for f in country_forms(word) if len(f) <= 3 and f.isalpha())
