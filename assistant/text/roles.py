"""Words for a person's office ("minister", "spokesman", "coach"): in one light module, because the
question parser and the follow-up rules read them too, and must not load the search stack."""

from __future__ import annotations

# capitalised words that make a run a role, not (part of) a name ("Foreign Secretary", "shadow chancellor")
ROLE_WORDS = set(
    """minister secretary secretary-general president vice-president chancellor prime foreign home defence defense
    chief executive director chairman chairwoman chair commissioner ambassador general governor senator leader
    spokesman spokeswoman spokesperson professor judge justice king queen prince princess pope archbishop bishop mayor
    mp deputy shadow attorney speaker coach manager captain editor head boss founder analyst economist
    officer official envoy premier emir sheikh colonel major lieutenant admiral inspector commander
    correspondent chairperson vice chief-executive representative""".split()
)

# nouns that head a role written before a name ("Tory leader Michael Howard", "Arsenal striker Henry")
ROLE_HEADS = set(
    """minister secretary leader chief head chairman chairwoman spokesman spokeswoman president director professor
    analyst economist mp boss manager coach striker captain editor ambassador commissioner chancellor governor
    senator executive founder librarian lawyer officer official judge referee player singer actor actress star
    producer writer author expert adviser advisor campaigner spokesperson deputy envoy premier mayor chair
    strategist partner trader dealer secretary-general midfielder defender goalkeeper winger batsman bowler jockey
    rapper drummer guitarist bassist presenter comedian playwright novelist bishop archbishop""".split()
)


def is_role_word(word: str) -> bool:
    """Is a (lower-case) word one of a role's ("spokesman", "foreign", "director")?"""
    return word in ROLE_WORDS or word in ROLE_HEADS


# what a body or a person publishes, whose words are its author's: "the report said", "Professor Allsop's research"
DOCUMENT_NOUNS = frozenset(
    {
        "report",
        "study",
        "survey",
        "statement",
        "document",
        "letter",
        "filing",
        "lawsuit",
        "suit",
        "research",
        "paper",
        "review",
        "analysis",
        "figures",
        "data",
        "poll",
        "release",
    }
)
