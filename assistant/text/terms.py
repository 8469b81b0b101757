"""Words as the keyword index and the answer scorer see them: folded, lower-cased, stemmed.

Folding strips diacritics so "Çavuşoğlu", "Cavusoglu" and "cavusoglu" are one term,
including letters Unicode does not decompose (ı, ł, ø, ß...).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import Stemmer
from bm25s.stopwords import STOPWORDS_EN

# Letters NFKD leaves alone but readers treat as their base letter.
_EXTRA_FOLDS = str.maketrans(
    {
        "ı": "i",
        "İ": "I",
        "ł": "l",
        "Ł": "L",
        "ø": "o",
        "Ø": "O",
        "đ": "d",
        "Đ": "D",
        "ß": "ss",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "þ": "th",
        "ð": "d",
        "‘": "'",
        "’": "'",
        "ʼ": "'",
        "“": '"',
        "”": '"',
        "–": "-",
        "—": "-",
    }
)
_WORD = re.compile(r"[A-Za-z0-9]+(?:[-'][A-Za-z0-9]+)*")
# Possessive "'s" is not part of a name ("Turkey's" -> "turkey").
_POSSESSIVE = re.compile(r"'s$")

STOPWORDS = frozenset(STOPWORDS_EN) | {
    "s",
    "t",
    "also",
    "would",
    "could",
    "said",
    "says",
    "say",
    "told",
    "tell",
}
# Words a question may use that an answering passage need not contain.
SOFT_WORDS = frozenset(
    """view views position stance opinion opinions comment comments response reaction statement statements
    remark remarks main key latest recent important happening situation issue issues thing things
    purpose role example way ways people person size number amount total rate level percentage share count
    figure type kind date year time place
    about from have has had having get gets got getting over than very just some any can should may might must
    own so too""".split()
)
SOFT_WEIGHT = 0.3  # a soft word's share of the question's words, beside its idf
# a reflexive pronoun ("the match itself", "the minister herself") stresses the word before it; it
# is never what a passage answering the question has to repeat
_REFLEXIVE = re.compile(r"(?:my|your|him|her|it|our|them|one)sel(?:f|ves)")


def is_soft(word: str) -> bool:
    """A word of the question an answering passage need not contain (see ``SOFT_WORDS``)."""
    return word in SOFT_WORDS or _REFLEXIVE.fullmatch(word) is not None


# Words that shape a question but are not what it is about.
QUESTION_WORDS = frozenset(
    """what which who whom whose when where why how did does do done is are was were be been
    say says said saying tell told think thinks thought mention mentioned according describe
    describes described explain explained happen happened many much kind type name names
    anything something article articles report reported news""".split()
)


class _FoldTable(dict):
    """What each character folds to, worked out the first time it is seen. Folding character
    by character equals folding the whole text: NFKD decomposes each character on its own, and
    the only thing it reorders, combining marks, are all removed."""

    def __missing__(self, code: int) -> str:
        decomposed = unicodedata.normalize("NFKD", chr(code).translate(_EXTRA_FOLDS))
        folded = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
        if len(self) < _FOLDS_KEPT:  # a file of every code point must not grow it without bound
            self[code] = folded
        return folded


_FOLDS_KEPT = 65536


_FOLDS = _FoldTable()


def fold(text: str) -> str:
    """Remove diacritics and unify quotes/dashes; keeps length-changing folds (ß -> ss)."""
    return text.translate(_FOLDS)


@lru_cache(maxsize=1)
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("english")


def words(text: str) -> list[str]:
    """Folded lower-case word tokens, possessives removed, hyphenated forms kept whole."""
    return [_POSSESSIVE.sub("", w) for w in _WORD.findall(fold(text).lower())]


def expand_hyphens(tokens: list[str]) -> list[str]:
    """Add the parts of hyphenated words ('secretary-general' -> + 'secretary', 'general');
    codes like 's-400' stay whole, since their parts are too short or numeric to mean anything."""
    out = []
    for tok in tokens:
        out.append(tok)
        if "-" in tok:
            parts = [p for p in tok.split("-") if len(p) > 1 and not p.isdigit()]
            if len(parts) > 1:
                out.extend(parts)
    return out


# Irregular past forms the Snowball stemmer leaves alone ("began" must match "begin").
_IRREGULAR = dict(
    pair.split(":")
    for pair in """began:begin begun:begin won:win went:go gone:go took:take taken:take gave:give given:give
    made:make met:meet bought:buy sold:sell held:hold came:come became:become brought:bring found:find
    lost:lose paid:pay sent:send spent:spend built:build led:lead ran:run wrote:write written:write
    chose:choose chosen:choose fell:fall fallen:fall rose:rise risen:rise knew:know known:know got:get
    gotten:get struck:strike fought:fight drew:draw drawn:draw grew:grow grown:grow threw:throw
    thrown:throw broke:break broken:break spoke:speak spoken:speak beaten:beat sang:sing sung:sing
    stood:stand understood:understand taught:teach caught:catch kept:keep felt:feel dealt:deal
    meant:mean sought:seek shot:shoot wore:wear worn:wear flew:fly flown:fly forgot:forget
    forgotten:forget hid:hide hidden:hide froze:freeze frozen:freeze swore:swear sworn:swear
    ate:eat eaten:eat drove:drive driven:drive rode:ride ridden:ride sank:sink sunk:sink
    shook:shake shaken:shake slept:sleep won't:will wept:weep lent:lend bent:bend fled:flee
    sped:speed stole:steal stolen:steal woke:wake woken:wake arose:arise arisen:arise""".split()
)


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    return _stemmer().stemWord(_IRREGULAR.get(word, word))


def terms(text: str) -> list[str]:
    """Index terms: folded, stemmed, stopwords removed (keeps order and repeats)."""
    return [stem(w) for w in expand_hyphens(words(text)) if w not in STOPWORDS]
