"""The verbs of speech, in one table: which forms attribute words to a speaker in news text
("..., he said", "Stoltenberg warns"), and which forms a question uses to ask what someone said
("what did Stoltenberg say about ...").

The two views differ on purpose: a question verb turns the question into a who-said question,
so verbs that mostly mean something else in questions ("confirm", "reject", "continue") are
attribution-only, and mental verbs ("feel", "mean", "suggest") are question-only.
"""

from __future__ import annotations

import re
from functools import lru_cache

# lemma: (forms that attribute speech in news text | forms a question asks with)
_VERBS: dict[str, tuple[str, str]] = {
    "say": ("said|says", "say|said"),
    "tell": ("told|tells", "tell|told"),
    "add": ("added|adds", "add|added"),
    "tweet": ("tweeted", "tweet|tweeted"),
    "state": ("stated|states", "state|stated"),
    "warn": ("warned|warns", "warn|warned"),
    "note": ("noted|notes", ""),
    "emphasise": ("emphasi[sz]ed", "emphasi[sz]e|emphasi[sz]ed"),
    "insist": ("insisted", "insist|insisted"),
    "urge": ("urged|urges", "urge|urged"),
    "stress": ("stressed", "stress|stressed"),
    "explain": ("explained", ""),
    "argue": ("argued", "argue|argued"),
    "ask": ("asked", ""),
    "declare": ("declared", ""),
    "write": ("wrote|writes", "write|wrote"),
    "claim": ("claimed|claims", "claim|claimed"),
    "reiterate": ("reiterated", ""),
    "underscore": ("underscored", ""),
    "continue": ("continued", ""),
    "conclude": ("concluded", ""),
    "reply": ("replied", "reply|replied"),
    "respond": ("responded", "respond|responded"),
    "remark": ("remarked", "remark|remarked"),
    "announce": ("announced", "announce|announced"),
    "acknowledge": ("acknowledged", "acknowledge|acknowledged"),
    "admit": ("admitted", "admit|admitted"),
    "concede": ("conceded|concedes", "concede|conceded"),
    "caution": ("cautioned", ""),
    "vow": ("vowed", ""),
    "condemn": ("condemned", ""),
    "welcome": ("welcomed", ""),
    "dismiss": ("dismissed", ""),
    "reject": ("rejected", ""),
    "deny": ("denied", ""),
    "affirm": ("affirmed", ""),
    "confirm": ("confirmed", ""),
    "believe": ("believes", "believe"),
    "think": ("thinks", "think|thought"),
    "comment": ("", "comment|commented"),
    "mean": ("", "mean|meant"),
    "feel": ("", "feel"),
    "call for": ("", "call for"),
    "react": ("", "react|reacted"),
    "suggest": ("", "suggest|suggested"),
    "recall": ("", "recall|recalled|remember|remembered"),  # "what did McGuinness remember about U2?"
}

# regex alternations (a form may hold a character class: "emphasi[sz]ed")
ATTRIBUTION_VERBS = "|".join(forms for forms, _ in _VERBS.values() if forms)
QUESTION_VERBS = "|".join(forms for _, forms in _VERBS.values() if forms)


@lru_cache(maxsize=1024)
def lemma_of(form: str) -> str | None:
    """ "tweeted" -> "tweet", "wrote" -> "write": the lemma a verb form of either view belongs to
    (cached: ranking asks it of every statement's cue)."""
    word = form.lower()
    for lemma, (attributing, asking) in _VERBS.items():
        alternation = "|".join(f for f in (attributing, asking) if f)
        if word == lemma or re.fullmatch(f"(?:{alternation})", word):
            return lemma
    return None
