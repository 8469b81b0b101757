"""The people (and organisations) the articles quote: one entry per speaker however the
articles or the user spell them (Çavuşoğlu/Cavusoglu/Cavusolgu), with the roles the articles
give them, found by name, by a misspelt or lower-case name, or by role ("the NATO chief").

Built from the stored quotes (``Store.quote_rows``) in one pass; the search index keeps one per
store generation.
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache

import jellyfish
from rapidfuzz.distance import OSA

from ..models import QuoteRow
from ..text.countries import nation_forms
from ..text.names import SENTENCE_OPENERS
from ..text.roles import is_role_word
from ..text.speakers import (
    GENERIC_HEADS,
    ORG_NOUNS,
    PUBLICATION_NOUNS,
    ROLE_HEADS,
    ROLE_WORDS,
    first_name_gender,
    is_person_noun,
    nicknames,
    role_fits,
)
from ..text.terms import STOPWORDS, fold, terms

_WORD = re.compile(r"[\w'’\-]+")
_CAPITALISED_RUN = re.compile(r"(?:\b[A-Z][\w.\-]*\w\s*)+")
_NOT_NAME_WORDS = STOPWORDS | {"mr", "mrs", "ms", "dr", "sir", "lord", "lady", "the"}


@dataclass
class Person:
    """A speaker: ``name`` as the articles most often write it in full."""

    name: str
    kind: str  # person | organisation
    spellings: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)  # most frequent first
    quotes: list[QuoteRow] = field(default_factory=list)  # every printing, reprints included
    # a statement printed in several articles (a reprint, a syndicated copy): its first row's
    # (doc_id, seq) -> the other rows printing it. Counted once: see ``statements``
    reprints: dict[tuple[str, int], list[QuoteRow]] = field(default_factory=dict)

    @property
    def articles(self) -> int:
        return len({q.doc_id for q in self.quotes})

    @property
    def statements(self) -> int:
        """How many statements the articles quote, each once however many outlets ran it."""
        return len(self.quotes) - sum(len(rows) for rows in self.reprints.values())

    def to_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "kind": self.kind,
            "spellings": self.spellings,
            "roles": self.roles,
            "quotes": self.statements,
            "reprints": len(self.quotes) - self.statements,  # further printings of those statements
            "articles": self.articles,
        }


@lru_cache(maxsize=65536)
def _tokens(name: str) -> tuple[str, ...]:
    """Folded lower-case words of a name or role (cached: every question compares against all spellings)."""
    # quotes around a word are no part of it: "Ahmed 'Mido' Hossam", "Lord Dubs' bill"
    return tuple(fold(w).lower().removesuffix("'s").strip("'’") for w in _WORD.findall(name) if w.strip("'’"))


def surname_forms(name: tuple[str, ...]) -> frozenset[str]:
    """A name's surname as one word, however it is spaced or hyphenated: "Robert Kilroy-Silk" and
    "Robert Kilroy Silk" -> "kilroysilk", "Simon Le Bon" -> "lebon" (and "bon")."""
    forms = {name[-1].replace("-", "")} if name else set()
    if len(name) >= 3:
        forms.add((name[-2] + name[-1]).replace("-", ""))
    return frozenset(forms)


# a mention's first word that tells the person's gender
_MENTION_GENDER = {
    "he": "m",
    "mr": "m",
    "sir": "m",
    "lord": "m",
    "she": "f",
    "ms": "f",
    "mrs": "f",
    "miss": "f",
    "lady": "f",
}


def _contains_run(words: tuple[str, ...] | list[str], run: list[str]) -> bool:
    """Do ``words`` hold ``run`` as consecutive words ("bonn university" in a role)?"""
    n = len(run)
    return any(list(words[i : i + n]) == run for i in range(len(words) - n + 1))


def _joined_surname(joined: Iterable[str], name: tuple[str, ...]) -> bool:
    """Is one of the question's words run together the name's surname as one word, a typo forgiven ("magnenat
    thalmann" for Magnenat-Thalman)?"""
    forms = surname_forms(name)
    return any(close_spelling(j, f) for j in joined for f in forms)


def _joined_words(words: Iterable[str]) -> frozenset[str]:
    """A question's name words as a surname might be one word: "lebon", "le bon", "kilroy silk"."""
    words = list(words)
    return frozenset(
        [w.replace("-", "") for w in words] + [(a + b).replace("-", "") for a, b in itertools.pairwise(words)]
    )


def close_spelling(a: str, b: str) -> bool:
    """Same word, or a typo of it (one edit; two in long words), same first letter."""
    if a == b:
        return True
    if len(a) < 4 or len(b) < 4 or a[0] != b[0]:
        return False
    if (a.startswith(b) or b.startswith(a)) and abs(len(a) - len(b)) >= 2:
        return False  # "commission" is not a typo of "commissioner"
    return OSA.distance(a, b) <= (1 if min(len(a), len(b)) < 7 else 2)


SUBJECT_WORDS = 4  # words a lower-case subject may run to ("jose luis rodriguez zapatero")
COUNTRY_ARTICLES = 5  # a person's articles read for a country their role does not name


def _first_of_full_name(spelling: str) -> str | None:
    """The first name of a spelling with a surname too ("jill" of "Jill Tolley"), else None."""
    tokens = _tokens(spelling)
    return tokens[0] if len(tokens) > 1 else None


def _best(scored: list[tuple[int, int, Person]], closeness: dict[int, tuple[int, int]] | None = None) -> list[Person]:
    """The people with the top score (several when a mention fits several), the closest fit first
    (``closeness``: by person id, fewest words beyond the mention), then the most quoted."""
    if not scored:
        return []
    top = max(s[0] for s in scored)
    closeness = closeness or {}
    ordered = sorted(scored, key=lambda s: (-s[0], closeness.get(id(s[2]), (0, 0)), -s[1]))
    return [p for s, _, p in ordered if s == top]


# words that make a role another office than the one they qualify: a shadow home secretary, a
# former or deputy prime minister, an under-secretary is not the Home Secretary, the prime
# minister, the secretary
_OFFICE_CHANGING = frozenset({"shadow", "former", "ex", "deputy", "vice", "acting", "assistant", "under", "junior"})


# a role whose owner the role names by a common noun: "the programme's chief co-ordinator", "the club's chairman"
_COMMON_OWNER = re.compile(r"^(?:the\s+)?[a-z]+['’]s?\s")


def _shortened(word: str, role_word: str) -> bool:
    """``word`` is ``role_word`` cut short, as parties and bodies are ("Lib Dem" for "Liberal
    Democrat", "Con", "Lab"): three letters at least, and never of an office ("man" is no "manager")."""
    return len(word) >= 3 and role_word.startswith(word) and role_word not in ROLE_WORDS


def _other_office(role_words: tuple[str, ...], mention: list[str]) -> bool:
    """Does the role hold a word making it another office ("shadow", "ex-") the mention lacks?"""
    said = {part for w in mention for part in w.split("-")}
    return any(part in _OFFICE_CHANGING and part not in said for w in role_words for part in w.split("-")[:-1] or [w])


def _other_country(roles: Iterable[str], mention: list[str]) -> bool:
    """Do the person's roles name a country, never the one the mention names ("Argentina's economy
    minister" for "Germany's economy minister"; Putin, "Russia's president", for "the French president"
    though another article calls him "President")? Capitalised words only: "us" is no country."""
    asked = frozenset().union(*(nation_forms(w) for w in mention))
    if not asked:
        return False
    named = [nation_forms(w.lower()) for role in roles for w in re.findall(r"[A-Z][\w-]*", role)]
    named = [forms for forms in named if forms]
    return bool(named) and not any(forms & asked for forms in named)


def _other_first_name(words: list[str], name: list[str]) -> bool:
    """Does the mention give a first name that is not this person's (nor another spelling of it)?"""
    if len(name) < 2 or len(words) < 2:
        return False
    others = [
        w for w in words if not any(close_spelling(w, n) or OSA.distance(w, n) <= 1 or sounds_alike(w, n) for n in name)
    ]
    if first_name_gender(name[0]) is None:
        # a first name no list knows is as often the article's typo ("Heronry Nozaki" for Henry): a name
        # two edits from it, same initial, may be the one meant
        others = [w for w in others if not (w[:1] == name[0][:1] and OSA.distance(w, name[0]) <= 2)]
    return any(first_name_gender(w) is not None and w not in ROLE_WORDS for w in others)


def sounds_alike(a: str, b: str) -> bool:
    """Two spellings of one name that sound alike ("meera" and "mira", "steven" and "stephen"): the
    same first letter and Metaphone key, at most two edits apart (a name spelled by ear, not another
    name: "mark" and "mike" differ in sound, "john" and "joan" in two letters' worth of sound)."""
    if a == b:
        return True
    if len(a) < 3 or len(b) < 3 or a[0] != b[0] or OSA.distance(a, b) > 2:
        return False
    return jellyfish.metaphone(a) == jellyfish.metaphone(b)


StatementGroups = Callable[[list[QuoteRow]], list[list[QuoteRow]]]


def _group_noun(row: QuoteRow, common_word: Callable[[str], bool]) -> bool:
    """Is the speaker a plural noun for people opening a sentence ("Critics say ...", "Reports
    said ..."), which the speaker rules took for a body's name: one capitalised word ending in
    "s", written bare (or continued by "they"), that the corpus mostly writes in lower case? Such
    a statement is nobody's in the directory ("the Observer's film critic" was found as
    "Critics"); "the Times", written with its article, and "Reuters", always capitalised, stay."""
    name = row.quote.speaker
    return (
        " " not in name
        and name.endswith("s")
        and name[:1].isupper()
        and (row.quote.mention.strip() == name or row.quote.mention.strip().lower() in ("they", "it", ""))
        and common_word(name.lower())
    )


class PeopleDirectory:
    def __init__(
        self,
        rows: Iterable[QuoteRow],
        statements: StatementGroups | None = None,
        common_word: Callable[[str], bool] | None = None,
        text_of: Callable[[str], str] | None = None,
    ) -> None:
        """``statements`` groups one person's rows into statements (the rows printing one
        statement in several articles together, first row first), so a reprinted statement
        counts once; without it every row is a statement. ``common_word``: is a (lower-case)
        word one the corpus mostly writes in lower case (``_group_noun``)? ``text_of``: an
        article's text, for a role's country the articles give but the role does not
        (``_in_country``)."""
        self._text_of = text_of
        self._common_word = common_word
        self._story_cache: dict[tuple[int, str], bool] = {}
        groups: dict[str, list[QuoteRow]] = defaultdict(list)
        for row in rows:
            if row.quote.speaker_type != "unnamed" and not (common_word and _group_noun(row, common_word)):
                groups[row.quote.speaker].append(row)
        self.people: list[Person] = []
        self._merge_index: dict[str, list[Person]] = defaultdict(list)  # by the initial of the name's last word
        # full names first, so "Cavusoglu" joins "Mevlüt Çavuşoğlu" rather than the other way round
        for name, quotes in sorted(groups.items(), key=lambda kv: (-min(len(_tokens(kv[0])), 2), -len(kv[1]))):
            kind = quotes[0].quote.speaker_type
            target = self._same_as(name, kind)
            if target is None:
                target = Person(name, kind)
                self.people.append(target)
                for initial in {form[:1] for form in surname_forms(_tokens(name))}:
                    self._merge_index[initial].append(target)
            target.spellings.append(name)
            # "Mido" (not "Head" of "Brian 'Head' Welch": a common word is no name in a text)
            target.spellings.extend(
                n
                for n in nicknames(name)
                if n not in target.spellings and len(n) > 2 and not (common_word and common_word(n.lower()))
            )
            target.quotes.extend(quotes)
        for p in self.people:
            roles = Counter(q.quote.role for q in p.quotes if q.quote.role)
            p.roles = [r for r, _ in roles.most_common()]
            p.quotes.sort(key=lambda q: (q.doc_id, q.seq))
            if statements is not None and p.articles > 1:
                p.reprints = {(g[0].doc_id, g[0].seq): g[1:] for g in statements(p.quotes) if len(g) > 1}
        self.people.sort(key=lambda p: (-p.statements, p.name))
        # by the first letter of each spelling's surname: a name only matches a surname that starts alike
        self._by_initial: dict[str, list[Person]] = defaultdict(list)
        for p in self.people:
            for initial in {f[:1] for s in p.spellings if _tokens(s) for f in surname_forms(_tokens(s))}:
                self._by_initial[initial].append(p)
        self._by_surname: dict[str, list[Person]] = defaultdict(list)  # "simonetti" -> people of that surname
        for p in self.people:
            if p.kind == "person":
                for surname in {_tokens(s)[-1] for s in p.spellings if len(_tokens(s)) > 1}:
                    self._by_surname[surname].append(p)
        self._by_role_word: dict[str, list[Person]] = defaultdict(list)  # "minister" -> who has such a role
        for p in self.people:
            for word in {w for role in p.roles for w in _tokens(role)}:
                self._by_role_word[word].append(p)

    def _same_as(self, name: str, kind: str) -> Person | None:
        """An entry already made for another spelling of ``name`` ("Kay Bailey Hutchinson" ~ "...Hutchison")."""
        tokens = _tokens(name)
        if not tokens:
            return None
        # every rule below needs the last words equal or close (or the same run together), so starting alike
        forms = surname_forms(tokens)
        candidates = {id(p): p for f in forms for p in self._merge_index.get(f[:1], ())}
        for p in candidates.values():
            other = _tokens(p.name)
            if p.kind != kind:
                # a lone surname the article never introduced ("Cavusoglu said") is that person; only
                # the same surname: a word a typo away is as often a body or a place ("Gartner" is
                # not Jason Gardener, "Reuters" not Hans Reckers, "England" not Jan Egeland)
                lone = tokens if kind == "organisation" else other
                if len(lone) == 1 and len(lone[0]) >= 5 and tokens[-1] == other[-1]:
                    p.kind = "person"
                    return p
                continue
            if kind == "person" and other:
                # same surname (or a typo of it), and the same first name when both give one
                same_surname = close_spelling(tokens[-1], other[-1]) or bool(forms & surname_forms(other))
                if same_surname and (len(tokens) == 1 or len(other) == 1 or close_spelling(tokens[0], other[0])):
                    return p
            elif tokens == other:
                return p
        return None

    def __iter__(self):
        return iter(self.people)

    def __len__(self) -> int:
        return len(self.people)

    def find(self, mention: str) -> list[Person]:
        """The people a question's mention means: by name (typos and case forgiven), else by role.
        Best first; several when the mention fits several equally ("Brown")."""
        own = re.split(r"\s+(?:of|from|at)\s+(?:the\s+)?(?=\w)", mention.strip(), maxsplit=1)
        before = _tokens(own[0])
        if len(own) > 1 and before and (is_role_word(before[-1]) or before[-1] in self._by_role_word):
            # a role holding the mention's words in another order: "the BBC's controller of entertainment
            # commissioning" is the "controller of entertainment commissioning", not the "BBC Two
            # controller" that "BBC's controller" alone would find
            rest = [w for w in _tokens(mention) if w not in _NOT_NAME_WORDS and w != before[-1]]
            found = self._by_role([*rest, before[-1]]) if rest else []
            if found:
                return found
        if len(own) > 1 and before and is_role_word(before[-1]):
            # "the chief executive of Yukos", "the labour economist at Bonn University": the body's
            # role, as "Yukos's chief executive" (not whoever "the chief executive" alone is)
            role = re.sub(r"^(?:the|a|an)\s+", "", own[0], flags=re.IGNORECASE)
            found = self.find(f"{own[1]}'s {role}")
            if found:
                return found
            # a role the articles word otherwise ("the labour economist at Bonn University": "director of the
            # Institute for the Study of Labour at Bonn University"): the one person whose role names the body;
            # never the body itself, found by its last word
            body = [w for w in _tokens(own[1]) if w not in _NOT_NAME_WORDS]
            holders = [
                p
                for p in self.people
                if p.kind == "person" and body and any(_contains_run(_tokens(r), body) for r in p.roles)
            ]
            return holders if len(holders) == 1 else []
        elif len(own) > 1:  # "paul leclark of the new york public library": the person before the affiliation
            found = self.find(own[0])
            if found and found[0].kind == "person":
                return found
        owner = re.match(r"(.+?)['’]s\s+(\S.*)$", mention.strip())
        named = _tokens(owner.group(2)) if owner else ()
        if len(named) >= 2 and first_name_gender(named[0]) is not None:
            # "William Hill's Rupert Adams": a first and last name, after whom they work for
            # ("Michael Jackson's mother" is not any mother the articles quote)
            found = self.find(owner.group(2))
            if found and found[0].kind == "person":
                return found
        words = [w for w in _tokens(mention) if w not in _NOT_NAME_WORDS]
        if not words:
            return []
        role_word = words[-1] in ROLE_WORDS and len(words) > 1  # "Commons Speaker" (a lone "King" is a name first)
        if words[-1] in ROLE_HEADS or words[-1].removesuffix("s") in ROLE_HEADS or role_word:
            by_role = self._by_role(words)  # "the prime minister", "the University of Michigan librarian"
            if by_role:
                return by_role
            # a role nobody in the directory holds ("the Fire Brigades Union's pensions officer") is no
            # name like it ("Office", "Commons Speaker" for Shearer): who the articles give it to decides.
            # It may be a surname ("John Major"), as written
            return [p for p in self._by_name(words) if any(_tokens(s)[-1:] == (words[-1],) for s in p.spellings)]
        if len(words) > 1 and words[-1] not in ROLE_WORDS:
            # "Economy minister Gref", "Russian tennis chief Tarpishchev": the last word is the
            # name; the words before it describe the person, and a body they name ("the Economy
            # Ministry", "Russia") is not the speaker
            headed = self._by_name(words, head=words[-1])
            if headed:
                return headed
        by_name = self._by_name(words)
        # the last word, or the last two run together, as a surname: "lebon", "kilroy silk" (not "jackson" of
        # "michael jackson mother")
        last = {"".join(words[-k:]).replace("-", "") for k in (1, 2)}
        names_head = any(
            any(
                close_spelling(words[-1], n)
                or (len(words) > 1 and len(words[-1]) >= 3 and OSA.distance(words[-1], n) <= 1)
                for n in name
            )
            or _joined_surname(last, name)
            for p in by_name
            for name in map(_tokens, p.spellings)
            if name
        )
        if by_name and names_head:
            return by_name
        # "Turkey's defence minister": the last word is a role, not a name: the role decides, and a
        # body it names ("University" of "the University of Michigan librarian") is not the speaker
        by_role = self._by_role(words)
        if by_role or len(words) != 1:
            return by_role
        # "Jill", as "Fletcher's daughter Jill" is named: the people of that first name
        first = [
            (1, p.statements, p)
            for p in self.people  # (rare: a single word that is nobody's surname nor role)
            if p.kind == "person" and any(_first_of_full_name(s) == words[0] for s in p.spellings)
        ]
        return _best(first)

    def _by_name(self, words: list[str], head: str | None = None) -> list[Person]:
        """People whose name the words give, best first; with ``head``, only those whose surname
        it is (typos forgiven)."""
        scored: list[tuple[int, int, Person]] = []
        # close_spelling needs the same first letter: only people with a surname starting like a word given
        joined = _joined_words(words)  # "simon lebon": Simon Le Bon; "kilroy silk": Kilroy-Silk
        initials = [head] if head else [*words, *joined]
        candidates = {id(p): p for w in initials for p in self._by_initial.get(w[:1], ())}
        for p in candidates.values():
            best = 0
            for spelling in p.spellings:
                name = _tokens(spelling)
                if not name:
                    continue
                surname = name[-1]
                if head and not (
                    close_spelling(head, surname) or (len(head) >= 3 and OSA.distance(head, surname) <= 1)
                ):
                    continue
                if not any(close_spelling(w, surname) for w in words) and not _joined_surname(joined, name):
                    # a short surname mistyped ("kamal nat" for Kamal Nath): only with the first name given
                    first_given = len(name) > 1 and any(close_spelling(w, name[0]) for w in words)
                    if not (first_given and any(len(w) >= 3 and OSA.distance(w, surname) <= 1 for w in words)):
                        continue
                if _other_first_name(words, name):
                    continue  # "Glenn Maguire" is not Mike McGuire
                matched = sum(any(close_spelling(w, n) for n in name) for w in words)
                if p.kind == "organisation" and matched < len(name):
                    continue
                # the surname counts most, then the first name ("paul leclark" is Paul LeClerc), a
                # first name spelled by ear ("meera nair" for Mira Nair) a little less
                first = len(name) > 1 and any(close_spelling(w, name[0]) for w in words)
                by_ear = len(name) > 1 and not first and any(sounds_alike(w, name[0]) for w in words)
                best = max(best, 2 * (matched + 2) + 2 * first + by_ear)
            if best:
                scored.append((best, p.statements, p))
        return _best(scored)

    def _by_role(self, words: list[str]) -> list[Person]:
        head = words[-1]
        qualifiers = [w for w in words[:-1] if w not in _NOT_NAME_WORDS]
        scored: list[tuple[int, int, Person]] = []
        parts = set(head.split("-"))
        wanted = [w for w in self._by_role_word if w in parts or (w[:1] == head[:1] and close_spelling(head, w))]
        # "the NATO chief" is whoever leads NATO; "the trade commissioner's spokesman" is not the commissioner
        generic_head = head in GENERIC_HEADS and not head.startswith("spokes")
        if generic_head:
            wanted += [w for w in words[:-1] if w in self._by_role_word]
        candidates = {id(p): p for w in wanted for p in self._by_role_word[w]}
        # words a role has beyond the mention: "the US vice-president" is the Vice-President before a
        # "senior vice president of technology and manufacturing at IBM"
        beyond: dict[int, tuple[int, int]] = {}
        for p in candidates.values():
            best = 0
            if _other_country(p.roles, words):
                continue  # Germany's economy minister is not Argentina's
            for role in p.roles:
                role_words = _tokens(role)
                if _other_office(role_words, words):
                    continue  # "the Home Secretary" is not the shadow home secretary
                heads = any(close_spelling(head, r) or set(head.split("-")) <= set(role_words) for r in role_words)
                # "the NATO chief": a generic head fits any role of the body it names
                generic = generic_head and any(w in role_words for w in words[:-1])
                if not (heads or generic):
                    continue
                # "the Commission's spokeswoman" for the "EC spokeswoman": a body's acronym ends with its head noun
                acronyms = [a.lower() for a in re.findall(r"\b[A-Z]{2,5}\b", role)]
                owner = _COMMON_OWNER.match(role)
                in_role = [
                    any(close_spelling(w, r) or w[:5] == r[:5] or _shortened(w, r) for r in role_words)
                    or (w in ORG_NOUNS and any(a[-1] == w[0] for a in acronyms))
                    for w in qualifiers
                ]
                fits = sum(
                    said or self._in_country(p, w) or (owner is not None and self._names_owner(p, owner, w))
                    for w, said in zip(qualifiers, in_role, strict=True)
                )
                if qualifiers and 2 * fits < len(qualifiers):
                    continue  # "the University of Michigan librarian" is not the Academy's librarian
                # a role with the head noun itself ("Arsenal boss") before one a generic head only
                # names the body of ("Arsenal's Brazilian midfielder" for "the Arsenal boss")
                score = 2 * fits + 1 + heads
                # on a tie, the role with the fewest words beyond the mention's (a word of the mention's in
                # another form, "German" for "Germany's", is none); then a role whose own words say all
                # ("German Economy minister") before one whose story names the country (Argentina's
                # economy minister, in a story that names Germany)
                beyond_words = {
                    w for w in role_words if w not in _NOT_NAME_WORDS and not any(q[:5] == w[:5] for q in qualifiers)
                }
                extra = (len(beyond_words - set(words) - parts), int(fits != sum(in_role)))
                if score > best or (score == best and extra < beyond[id(p)]):
                    best, beyond[id(p)] = score, extra
            if best:
                scored.append((best, p.statements, p))
        return _best(scored, beyond) or self._only_one_with(qualifiers)

    def _only_one_with(self, qualifiers: list[str]) -> list[Person]:
        """ "the PBS executive" when nobody holds an office of PBS's the articles name: the one person they give
        only as PBS's ("PBS' Jacoba Atlas"), if only one; several ("Arsenal's" players for "the Arsenal
        manager") say nothing of who holds the office."""
        if not qualifiers:
            return []
        with_them = {
            id(p): p
            for p in self._by_role_word.get(qualifiers[0], ())
            if p.kind == "person"
            and any(
                not any(is_role_word(w) for w in _tokens(role)) and set(qualifiers) <= set(_tokens(role))
                for role in p.roles
            )
        }
        return list(with_them.values()) if len(with_them) == 1 else []

    def _names_owner(self, person: Person, owner: re.Match[str], word: str) -> bool:
        """Is ``word`` in a name the story gives the thing a role is of ("the programme's chief
        co-ordinator" in a story on Meeting Point, asked as "Meeting Point's chief co-ordinator")?
        Read in the article where the person holds the role, as a capitalised word."""
        if self._text_of is None or len(word) < 3:
            return False
        key = (id(person), f"owner:{word}")
        if key not in self._story_cache:
            pattern = re.compile(rf"(?<![\w-]){re.escape(word[:1].upper() + word[1:])}(?![\w-])")
            docs = dict.fromkeys(q.doc_id for q in person.quotes if q.quote.role == owner.string)
            self._story_cache[key] = any(pattern.search(self._text_of(d)) for d in list(docs)[:COUNTRY_ARTICLES])
        return self._story_cache[key]

    def _in_country(self, person: Person, word: str) -> bool:
        """Does ``word`` name a country the articles quoting ``person`` name ("the US vice-president":
        "Vice-President Dick Cheney" in a story on the US budget)? A role rarely says whose it is;
        the story does. Short codes count in capitals only ("US", not "us")."""
        forms = nation_forms(word)
        if not forms or self._text_of is None:
            return False
        key = (id(person), word)
        if key not in self._story_cache:
            pattern = re.compile(
                "|".join(
                    rf"(?<![\w-]){re.escape(f.upper()) if len(f) <= 3 else '(?i:' + re.escape(f) + ')'}(?![\w-])"
                    for f in sorted(forms)
                )
            )
            docs = list(dict.fromkeys(q.doc_id for q in person.quotes))[:COUNTRY_ARTICLES]
            self._story_cache[key] = any(pattern.search(self._without_name(person, self._text_of(d))) for d in docs)
        return self._story_cache[key]

    @staticmethod
    def _without_name(person: Person, text: str) -> str:
        """``text`` with the person's own name blanked: "German Gref" names no country."""
        for spelling in sorted(person.spellings, key=len, reverse=True):
            text = text.replace(spelling, " ")
        return text

    def holder_in(
        self,
        mention: str,
        doc_ids: Iterable[str],
        text_of: Callable[[str], str],
        sentences_of: Callable[[str], list[str]],
    ) -> Person | None:
        """The person a role mention means when no role the directory holds fits it ("Plus.net's
        chief executive", "his friend and fellow broadcaster"): a person quoted in that article
        whom it names in the sentence that gives the role (the role's head noun written in lower
        case there, so a mistyped name is never taken for a role), two thirds of the mention's
        words within two sentences of it; the name nearest the head noun. ``doc_ids``: the
        articles to look in, best first; ``sentences_of``: an article's sentences as stored at
        ingest (a question never splits sentences). None when no sentence gives the role."""
        wanted = set(terms(mention))
        # the role's own noun, before what qualifies it: "chairman" of "chairman of the working party on
        # Russia's WTO membership", "co-ordin" of "the EFF's co-ordinator"
        noun = re.split(r"\s+(?:of|on|for|at|in|with|from)\s+", mention.strip(), maxsplit=1)[0].split()
        head = next(iter(terms(noun[-1])), None) if noun else None
        if head is None or not wanted:
            return None
        # the names the mention gives ("Plus.net", "Foundation", "Fletcher": each capitalised run's
        # last word) must be within two sentences of the role, not only its common words
        owners = [
            run.split()[-1]
            for part in re.split(r"['’]s?\b", mention)  # a possessive ends a name: "Foundation's European"
            for run in _CAPITALISED_RUN.findall(part)
            if run.split()[-1].lower() not in _NOT_NAME_WORDS
        ]
        prefix = fold(noun[-1]).lower()[:4]  # a cheap first test: "exec", "co-o", "broa"
        for doc_id in doc_ids:
            quoted = self._quoted_in(doc_id)
            text = text_of(doc_id) if quoted else ""
            if not quoted or prefix not in text.lower() or not all(o in text for o in owners):
                continue
            sentences = sentences_of(doc_id)
            best: tuple[int, Person] | None = None
            for i, sentence in enumerate(sentences):
                heads = [
                    m.start()
                    for m in _WORD.finditer(sentence)
                    if m.group(0).islower() and terms(m.group(0))[:1] == [head]
                ]
                if not heads:
                    continue
                window = " ".join(sentences[max(0, i - 2) : i + 3])
                if 3 * len(wanted & set(terms(window))) < 2 * len(wanted):
                    continue
                if not all(re.search(rf"(?<![\w.]){re.escape(o)}(?![\w])", window) for o in owners):
                    continue
                for person in quoted:
                    for spelling in person.spellings:
                        at = sentence.find(spelling)
                        if at >= 0:
                            distance = min(abs(at - h) for h in heads)
                            if best is None or distance < best[0]:
                                best = (distance, person)
            if best:
                return best[1]  # the best-ranked article giving the role
        return None

    def gender(self, mention: str) -> str | None:
        """ "m" or "f" as the articles write the person a mention finds ("Ms Gavron", "she said"), None when
        they don't, or when it is no person."""
        found = self.find(mention)
        if not found or found[0].kind != "person":
            return None
        votes: Counter[str] = Counter()
        for row in found[0].quotes:
            said = row.quote.mention.split()
            if said:
                votes[_MENTION_GENDER.get(said[0].lower().rstrip("."), "")] += 1
        votes.pop("", None)
        if not votes or (votes["m"] and votes["f"]):
            return None
        return next(iter(votes))

    def speaker_at(self, doc_id: str, start: int, end: int) -> str | None:
        """Who the quote index says speaks in ``doc_id[start:end]``: the speaker of the statement
        overlapping it most, None when no named person or body does. A passage's own regex
        attribution ("Despite the Republicans ... John McCain, a Republican Senator, said") is never
        shown as a speaker."""
        best, most = None, 0
        for row_start, row_end, person in self._statements_by_article.get(doc_id, ()):
            overlap = min(end, row_end) - max(start, row_start)
            if overlap > most:
                best, most = person, overlap
        return best.name if best is not None else None

    @functools.cached_property
    def _statements_by_article(self) -> dict[str, list[tuple[int, int, Person]]]:
        """Each article's statements as (start, end, speaker); built on the first call."""
        by_article: dict[str, list[tuple[int, int, Person]]] = defaultdict(list)
        for p in self.people:
            for row in p.quotes:
                by_article[row.doc_id].append((row.quote.spans[0][0], row.quote.spans[-1][1], p))
        return by_article

    def holder_quoted_in(self, mention: str, doc_ids: Iterable[str]) -> Person | None:
        """The one person quoted in ``doc_ids`` (the articles a conversation is on, first first) whose
        role a role mention names; an owner in lower case is the story's own ("the film's director": the
        director of the film the story is about, "Director Anurag Kashyap"). None when nobody there holds
        it, or several do (their names must tell them apart)."""
        story_mention = _STORY_OWNER.sub("", mention)
        for doc_id in doc_ids:
            fits = [p for p in self._quoted_in(doc_id) if any(role_fits(story_mention, r) for r in p.roles)]
            if fits:
                return fits[0] if len(fits) == 1 else None
        return None

    def _quoted_in(self, doc_id: str) -> list[Person]:
        """The people (not bodies) quoted in one article."""
        return self._people_by_article.get(doc_id, [])

    @functools.cached_property
    def _people_by_article(self) -> dict[str, list[Person]]:
        """Built on the first role lookup that needs it, not with the directory."""
        by_article: dict[str, list[Person]] = defaultdict(list)
        for p in self.people:
            if p.kind == "person":
                for doc_id in {q.doc_id for q in p.quotes}:
                    by_article[doc_id].append(p)
        return by_article

    def subject_of(self, words: str) -> tuple[str, str] | None:
        """Where lower-case words that open with a person split: the mention and the rest ("meera nair
        pick reese witherspoon to play becky sharp": "meera nair", "pick reese ..."): the longest
        run of up to ``SUBJECT_WORDS`` words, none one the corpus mostly writes in lower case, that
        names a person the articles quote. None when no run does."""
        tokens = words.split()
        run = 0
        while run < min(len(tokens) - 1, SUBJECT_WORDS):
            word = fold(tokens[run]).lower().strip("'’")
            if not word.isalpha() or word in _NOT_NAME_WORDS or (self._common_word and self._common_word(word)):
                break
            run += 1
        for n in range(run, 0, -1):
            found = self.find(" ".join(tokens[:n]))
            if found and found[0].kind == "person":
                return " ".join(tokens[:n]), " ".join(tokens[n:])
        return None

    def named_in(self, text: str) -> list[Person]:
        """People whose name (any spelling) appears in ``text`` as whole words, in order of
        appearance ("Ian" is not named in "Brian", nor "A Labour" in "a Labour MP's")."""
        folded = fold(text).lower()
        found = []
        for p in self.people:
            if p.kind != "person":
                continue
            positions = [_word_at(folded, fold(s).lower()) for s in p.spellings]
            positions = [i for i in positions if i >= 0]
            if positions:
                found.append((min(positions), p))
        # "Ms Simonetti announced ...": a title and a surname name the one person the articles give it
        for m in _TITLED_SURNAME.finditer(folded):
            holders = self._by_surname.get(m.group("surname"), [])
            if len(holders) == 1 and all(p is not holders[0] for _, p in found):
                found.append((m.start(), holders[0]))
        return [p for _, p in sorted(found, key=lambda x: x[0])]


_STORY_OWNER = re.compile(r"(?<![\w'’-])[a-z][\w-]*['’]s?\s+(?=\S)")  # "film's " of "the film's director"
_TITLED_SURNAME = re.compile(r"\b(?:mr|mrs|ms|miss|dr|sir|lady|dame)\.?\s+(?P<surname>[a-z][\w'’-]+)")


def _word_at(text: str, words: str) -> int:
    """Where ``words`` first stand in ``text`` as whole words, or -1."""
    i = text.find(words)
    while i >= 0:
        j = i + len(words)
        if (i == 0 or not text[i - 1].isalnum()) and (j == len(text) or not text[j].isalnum()):
            return i
        i = text.find(words, i + 1)
    return -1


def attribute_roles(rows: Iterable[QuoteRow], text_of: Callable[[str], str]) -> list[QuoteRow]:
    """Statements an article attributes only to a role ("the prime minister said") given to the
    person the rest of the corpus gives that role, when this article names them too: news writes
    "Prime Minister Tony Blair" in one article and "Mr Blair ... the prime minister" in the next.
    A role nobody named in the article holds stays unattributed.

    One pass over the rows: who may hold a mention is worked out once per distinct mention, and
    whether an article names a holder is a set lookup in that article's words (at 22,000 articles
    matching every holder's surname against every article's text took a minute)."""
    rows = list(rows)
    holders: dict[str, Counter[str]] = defaultdict(Counter)  # role as written -> people holding it
    roles_of: dict[str, str] = {}
    for row in rows:
        q = row.quote
        if q.speaker_type == "person" and q.role:
            holders[q.role][q.speaker] += 1
            roles_of.setdefault(q.speaker, q.role)
    by_word: dict[str, list[str]] = defaultdict(list)  # a role's word -> the roles holding it
    for role in holders:
        for word in set(_tokens(role)):
            by_word[word].append(role)
    candidates: dict[str, list[tuple[str, int, str]]] = {}  # mention -> (holder, quotes in the role, surname)
    articles: dict[str, _ArticleSpeakers] = {}
    named_speakers: dict[str, list[QuoteRow]] = defaultdict(list)  # article -> its statements by named people
    for row in rows:
        if row.quote.speaker_type == "person":
            named_speakers[row.doc_id].append(row)
    words_of: dict[str, _ArticleWords] = {}
    holder_of: dict[tuple[str, str], str | None] = {}
    out = []
    for row in rows:
        q = row.quote
        if row.doc_id not in articles:
            articles[row.doc_id] = _ArticleSpeakers(row.doc_id, text_of)
        article = articles[row.doc_id]
        mention = q.speaker.strip()  # unnamed: the role as written, also for a pronoun that continued it
        if q.mention.endswith(" " + mention) and q.mention.split()[0].lower() in ("a", "an", "the"):
            mention = q.mention  # "A PR expert", resolved as "PR expert" for its acronym
        words = _tokens(mention)
        # a definite role ("the prime minister"); "a senior US official" only as the lead's (``_ArticleSpeakers``)
        described = bool(words) and words[0] in ("the", "a", "an") and is_person_noun(words[-1])
        if q.speaker_type != "unnamed" or not described:
            out.append(row)
            article.spoke(row)
            continue
        key = (row.doc_id, mention.lower())
        if key not in holder_of and words[0] == "the" and words[-1] in ROLE_WORDS:
            if mention not in candidates:
                candidates[mention] = _role_candidates(mention, words[-1], by_word, holders)
            if row.doc_id not in words_of:
                words_of[row.doc_id] = _ArticleWords(text_of(row.doc_id))
            holder_of[key] = _role_holder(candidates[mention], words_of[row.doc_id])
        name = holder_of.get(key)
        role = roles_of.get(name, "") if name else " ".join(mention.split()[1:])  # "Veritas leader"
        if name is None:
            name = article.described(row, named_speakers[row.doc_id])
        if name is None:
            out.append(row)
            continue
        out.append(
            QuoteRow(row.doc_id, row.seq, dataclasses.replace(q, speaker=name, speaker_type="person", role=role))
        )
        article.spoke(out[-1])
    return [_unless_named_within(row, articles[row.doc_id]) for row in out]


def _unless_named_within(row: QuoteRow, article: _ArticleSpeakers) -> QuoteRow:
    """The statement, given to nobody when its own words name its speaker as someone else would ("his family"
    said "Sir Nicholas Scott has died"; "he" said "Mr Blair's government was bossy" in a story on Howard; "I
    wasn't advised by Scott Sullivan" was Sullivan's): a wrong name is worse than none. People only: a body's
    statement names it often ("Deutsche Boerse is convinced ...")."""
    q = row.quote
    if q.speaker_type != "person" or not _THIRD_PERSON_NAME.search(q.speaker):
        return row
    words = q.speaker.split()
    if len(words) > 1 and first_name_gender(words[0]) is None and words[0] not in _TITLES:
        return row  # "Deutsche Boerse": no person's name, whatever the extractor took it for
    first_name = len(words) > 1 and bool(first_name_gender(words[0]))
    said = [article.text[start:end] for start, end in q.spans]
    if not any(words[-1] in text or (first_name and words[0] in text) for text in said):
        return row  # (the usual case, told without a pattern: building one per speaker took a second per corpus)
    if not any(_named_within(q.speaker, first_name).search(text) for text in said):
        return row
    return QuoteRow(row.doc_id, row.seq, dataclasses.replace(q, speaker=q.mention, speaker_type="unnamed", role=""))


@lru_cache(maxsize=4096)
def _named_within(speaker: str, first_name: bool) -> re.Pattern[str]:
    """How a statement names its speaker as someone else would: title and surname, possessive, full name, or
    (``first_name``) the first name alone ("I said to Harry"); not an attribution run into the statement's span
    ("... Mr Milburn said: ...")."""
    words = speaker.split()
    surname = re.escape(words[-1])
    full = rf"|\b{re.escape(speaker)}\b" if len(words) > 1 else ""
    if first_name:
        full += rf"|\b{re.escape(words[0])}\b(?!\s+[A-Z])"
    return re.compile(
        rf"(?:\b(?:Mr|Mrs|Ms|Miss|Dr|Sir|Lord|Lady)\.?\s+{surname}\b|\b{surname}['’]s?\s{full})(?!,?\s+(?:{_CUES})\b)"
    )


_THIRD_PERSON_NAME = re.compile(r"[A-Z][\w'’-]+$")  # a name to look for (not "the spokesman")
_TITLES = frozenset({"Mr", "Mrs", "Ms", "Miss", "Dr", "Sir", "Lord", "Lady", "Gen", "General", "President", "Judge"})
_CUES = "said|says|told|tells|added|adds|explained|insisted|argued|claimed|warned|admitted"


DESCRIBED_REACH = 1500  # characters: a description this far from the person's statement may still be them


class _ArticleSpeakers:
    """One article's named speakers so far, for the roles nobody in the corpus holds: news names
    someone, then goes on with a description of them ("Robert Kilroy-Silk has attacked ... The
    Veritas leader said", "Alun Michael has said. The rural affairs minister said"), or opens with
    the description and names them in the next paragraph ("..., the lord chancellor has said.
    Lord Falconer said ...", "A PR expert has told the trial ... Ann Kite told the court")."""

    def __init__(self, doc_id: str, text_of: Callable[[str], str]) -> None:
        self._doc_id, self._text_of = doc_id, text_of
        self.last: QuoteRow | None = None  # the latest statement by a named person

    @functools.cached_property
    def text(self) -> str:
        """Read only for an article with a description to resolve, not for every article quoted."""
        return self._text_of(self._doc_id)

    @functools.cached_property
    def lead_end(self) -> int:
        """Where the first paragraph after the headline ends (-1: no paragraph break)."""
        body = self.text.find("\n\n")
        return self.text.find("\n\n", body + 2) if body >= 0 else -1

    def spoke(self, row: QuoteRow) -> None:
        if row.quote.speaker_type == "person":
            self.last = row

    def described(self, row: QuoteRow, named: list[QuoteRow]) -> str | None:
        """The named person a description (``row``'s unresolved speaker) means, if any: the one who
        spoke just before, or, for the lead's description when nobody has, the one who speaks first
        in the next paragraph. Only when nobody else is named between the two; never a spokesman,
        who speaks for someone else; never a description naming someone ("the Financial Times'
        correspondent", "chairman Peter Ainsworth MP")."""
        q = row.quote
        mention = q.speaker
        words = _tokens(mention)
        cut = next((i for i, w in enumerate(words) if w in _PREPOSITIONS), len(words))
        head = words[cut - 1] if cut else ""  # "a new book about the chancellor": a book
        if (
            not is_person_noun(head)
            or head in PUBLICATION_NOUNS
            or head.startswith("spokes")
            or _names_someone(mention)
            or _named(self.text[slice(*q.attribution)] if q.attribution else "")  # "The minister, Kim Howells, said"
        ):
            return None
        if head not in ROLE_WORDS and re.search(r"['’]s?\s", mention):
            return None  # "the Stefan's murder": a noun shaped like a person's ("-er") after someone's
        if self.last is not None and words[0] == "the":
            other, start, end = self.last, _extent(self.last)[1], _extent(row)[0]
        elif self.last is None and 0 <= q.start < self.lead_end:
            other = next((r for r in named if r.quote.start > q.end), None)
            if other is None or self.text.count("\n\n", q.end, other.quote.start) > 1:
                return None
            start, end = _extent(row)[1], _extent(other)[0]
        else:
            return None
        between = self.text[start:end]
        if _ACRONYM.search(other.quote.speaker) or other.quote.speaker.split()[0] in SENTENCE_OPENERS:
            return None  # "China Central Television CCTV", "The Da Vinci Code": no person's name
        own = set(_tokens(other.quote.speaker))
        if len(between) > DESCRIBED_REACH or _named(between) - own:
            return None
        if own & _named(self.text[q.start : q.end]):
            return None  # "The former finance officer said Mr Ebbers knew ...": nobody names themselves so
        return other.quote.speaker


_TITLED_NAME = re.compile(r"\b(?:Mr|Mrs|Ms|Dr|Sir|Lord|Lady|Miss)\.?\s+([A-Z][\w'’\-]+)")
_FULL_NAME = re.compile(r"\b(?=([A-Z][a-z]+)\s+([A-Z][\w'’\-]+))")  # (overlapping: "Minister David Lammy")
_PREPOSITIONS = {"of", "for", "at", "from", "with", "about", "on", "in", "to"}
_ACRONYM = re.compile(r"\b[A-Z]{2,}\b")
_NOT_FIRST_NAMES = SENTENCE_OPENERS | {"He", "She", "They", "We", "Man"}  # ("The", "Man": names to gender_guesser)


def _extent(row: QuoteRow) -> tuple[int, int]:
    """A statement's span with its attribution: what lies between two statements is neither's."""
    q = row.quote
    a_start, a_end = q.attribution or (q.start, q.end)
    return min(q.start, a_start), max(q.end, a_end)


def _named(text: str) -> set[str]:
    """The surnames of the people ``text`` names: after a title, or after a first name."""
    named = {fold(m.group(1)).lower() for m in _TITLED_NAME.finditer(text)}
    return named | {
        fold(m.group(2)).lower()
        for m in _FULL_NAME.finditer(text)
        if m.group(1) not in _NOT_FIRST_NAMES and first_name_gender(m.group(1)) is not None
    }


def _names_someone(mention: str) -> bool:
    """ "chairman Peter Ainsworth MP", "Mr Sigarchi's lawyer": not a description of someone named before."""
    return bool(_named(mention))


class _ArticleWords:
    """Does an article contain a word (as a whole word, diacritics and case folded)?"""

    def __init__(self, text: str) -> None:
        self.text = fold(text).lower()
        self.words = set(_SIMPLE_WORD.findall(self.text))

    def __contains__(self, word: str) -> bool:
        if _SIMPLE_WORD.fullmatch(word):
            return word in self.words
        return re.search(rf"\b{re.escape(word)}\b", self.text) is not None  # "o'brien", "smith-jones"

    def names(self, name: str) -> bool:
        """Does the article name this person: their surname, once at least not after another first name
        ("International Development Minister Gareth Thomas" is not Rhodri Glyn Thomas)?"""
        words = _tokens(name)
        if not words or words[-1] not in self:
            return False
        own = set(words[:-1])
        for m in re.finditer(rf"(?:(\w+)\s+)?\b{re.escape(words[-1])}\b", self.text):
            before = m.group(1) or ""
            if before in own or first_name_gender(before) is None:
                return True
        return False


_SIMPLE_WORD = re.compile(r"\w+")


def _role_candidates(
    mention: str, head: str, by_word: dict[str, list[str]], holders: dict[str, Counter[str]]
) -> list[tuple[str, int, str]]:
    """Everyone holding a role ``mention`` names, with how often, in corpus order."""
    found: list[tuple[str, int, str]] = []
    for role in by_word.get(head, ()):
        if role_fits(mention, role):
            found.extend((name, n, _tokens(name)[-1]) for name, n in holders[role].items())
    return found


def _role_holder(candidates: list[tuple[str, int, str]], article: _ArticleWords) -> str | None:
    """Who, of the people this article names, holds the role most often in the corpus."""
    counts: Counter[str] = Counter()
    for name, n, _surname in candidates:
        if article.names(name):
            counts[name] += n
    return counts.most_common(1)[0][0] if counts else None
