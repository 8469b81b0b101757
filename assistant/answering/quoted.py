"""Answer "what did X say (about Y)?" from the quote index: X's own statements, ranked by meaning
against Y, each cited with its attribution; never a sentence that merely mentions X.

X is found in the people directory by name (typos forgiven) or role ("the NATO chief"). Y is
matched by the embedding model (the quote against the question) and by Y's words in the quote's
sentence; a statement on Y must clear one of the two bars. If X is quoted but never on Y, the
answer says so and shows X's closest statements as related passages, not as an answer.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from ..models import Answer, Citation, QuoteRow
from ..search.bm25 import TermGroup, idf_coverage, soft_weights
from ..search.people import Person, close_spelling
from ..text.countries import abbreviations
from ..text.dates import resolved_in
from ..text.figures import has_amount
from ..text.passages import Passage
from ..text.sentences import rough_sentence_spans
from ..text.speakers import ORG_NOUNS, first_name_gender
from ..text.speech import lemma_of
from ..text.terms import STOPWORDS, fold, terms
from .base import Corpus
from .copies import add_copies, add_copy, copy_entry, matches, same_passage

# A statement is on the topic when the quote's sentence holds this share of the topic's words
# (idf-weighted)...
ON_TOPIC_COVERAGE = 0.5
# ...or the embedding model finds the quote this close to the question (cosine, MiniLM).
ON_TOPIC_SIMILARITY = 0.45
# ...or nearly both: the sum of the two this high with the cosine at least the second figure (on the
# tuning sets, the refused answerable statements summed 0.71-0.90, the unanswerable ones' best 0.44 at most)
ON_TOPIC_COMBINED = 0.7
ON_TOPIC_NEARLY_SIMILARITY = 0.3
# When no statement clears either bar, an article whose headline and first paragraph are this close
# to the topic (cosine, MiniLM) is about it: the speaker's statements there are their comments on
# it, although a reaction ("the episode painted an unflattering picture") seldom repeats the topic.
# 0.5 on the tuning sets' 330 questions (0.6 was set on one): 0.45 lets in a near miss whose article
# is on the topic (lead 0.47) while the speaker spoke of something else in it.
LEAD_SIMILARITY = 0.5
# A name the topic gives that only the story before a statement holds is the story's own when the
# statement is this close to the topic (cosine, MiniLM; above ``ON_TOPIC_SIMILARITY``)
FAR_NAMES_SIMILARITY = 0.55
LEAD_ARTICLES = 3  # articles whose lead is compared, those of the best-ranked statements first
# The topic's words are looked for this many sentences either side of the statement, within its
# paragraph (and in the sentence before it): a long paragraph moves from one subject to the next,
# so its far end says nothing of what the statement is about ("ahead of a meeting in London ..."
# five sentences before Straw speaks of Syria).
CONTEXT_SENTENCES = 2
# A passage this long (characters) is sentences the splitter ran together (quotation marks out of
# balance: '... from Europe." When he was in Tokyo ...'): only its part near the statement is read
# (1 BBC passage in 140 is longer; a sentence of this length is rare)
LONG_SENTENCE = 500
EMBEDDED_PER_QUESTION = 6  # statements compared by embedding, the best by topic words and search score first
EMBEDDED_FROM_STORY = 3  # and in a follow-up, this many more from the story the conversation is on
ATTRIBUTION_GAP = 40  # an attribution this close to its quote is cited with it
DIRECT_BONUS = 0.1
# "what did X tweet / write / warn?": a statement made that way outranks X's other words
ASKED_VERB_BONUS = 0.3
# "Henry explained why he paused": a reporter naming what the speaker talked about, not their words;
# it follows the statements that hold them
DESCRIBED_PENALTY = 0.3
# "The bookmaker said ..." given to the bookmaker's spokesman: a description the speaker's own role
# does not fit is the firm or another person as often as it is them; such statements follow the
# ones surely theirs (``_rank_key``)
_DESCRIBING_CUE = re.compile(r"^(?:explain|describ|recall|outlin|detail|discuss|emphasi[sz]|reveal)", re.IGNORECASE)
_INDIRECT_QUESTION = re.compile(r"^(?:why|how|what|whether)\b", re.IGNORECASE)
# a follow-up pointing back at the story ("what did the NATO chief say that Friday?"): the
# statements of the articles the conversation's latest answer quoted come first
CONVERSATION_BONUS = 0.2
FOLLOW_RATIO = 0.7  # further statements cited when they score this close to the best
REPRINTS_LOOKED_AT = 20  # statements past the cited ones compared with them, for their reprints
# two printings of one statement share at least this many index terms: ``copies._same`` needs
# 70% of at least 5, ``copies._inside`` a run of 8 words (only two identical quotes of under
# four content words are left uncompared: too little to tell a reprint from a coincidence)
STATEMENT_SHARED_TERMS = 4
# a mention several people fit equally: this many of them (most quoted first) are ranked on the topic
SPEAKER_CANDIDATES = 4


_MARKS = "\"“”«»„‘’'"
_CLOSE_MARKS = "\"”»’'"


@dataclass
class RankedQuote:
    row: QuoteRow
    start: int  # the cited span: the quote with its attribution when they are adjacent
    end: int
    coverage: float
    similarity: float
    names_missing: bool = False  # a name the topic gives ("Taiwan") is not around the quote
    asked_verb: bool = False  # made with the verb the question asks about ("tweeted" for "tweet")
    described: bool = False  # what the speaker talked about, in the reporter's words ("explained why ...")
    in_conversation: bool = False  # in an article the conversation is on (a follow-up pointing back)
    doubtful: bool = False  # attributed through a description the speaker's role does not fit
    far_names: bool = False  # the names ``names_missing`` misses are further up the story (``on_topic``)
    # the topic's words in the cited words themselves (the coverage of the statement's neighbours
    # too): measured for the statements compared by embedding, the others keep ``coverage``
    own_coverage: float | None = None

    @property
    def score(self) -> float:
        # the speaker's own words in quotation marks before a reporter's paraphrase of them
        direct = DIRECT_BONUS if self.row.quote.kind == "direct" else 0.0
        asked = ASKED_VERB_BONUS if self.asked_verb else 0.0
        story = CONVERSATION_BONUS if self.in_conversation else 0.0
        # a statement's own words weigh as much as its neighbours': a reporter's sentence on the
        # topic must not carry the speaker's next, unrelated one ("aware of the threat United
        # posed" lends "we are all very happy to return" every word of the question)
        own = self.coverage if self.own_coverage is None else self.own_coverage
        return (
            self.similarity
            + 0.25 * (self.coverage + own)
            + direct
            + asked
            + story
            - (DESCRIBED_PENALTY if self.described else 0.0)
        )

    @property
    def on_topic(self) -> bool:
        if not self.names_found:
            return False
        return self.coverage >= ON_TOPIC_COVERAGE or self.similarity >= ON_TOPIC_SIMILARITY

    @property
    def names_found(self) -> bool:
        """The names the topic gives are around the statement, or further up a story it belongs to.
        Near misses: "what did Straw say about Taiwan" answered by Straw on China. In the story a
        conversation is on, a name further up it is the story's own ("and what did he think about
        facing Ireland at Lansdowne Road?", named two paragraphs before); so it is for a statement as
        close to the topic as ``FAR_NAMES_SIMILARITY`` ("BT's proposals to Ofcom": "today we are
        making a set of far-reaching proposals", the regulator named in the paragraph before)."""
        story_names = self.far_names and (self.in_conversation or self.similarity >= FAR_NAMES_SIMILARITY)
        return not self.names_missing or story_names

    @property
    def nearly_on_topic(self) -> bool:
        """Nearly both bars: close in meaning and the topic's words mostly around it ("the way the
        photographers had behaved": "she understood the photographers were entitled to earn a living").
        Only when no statement is ``on_topic``: one that is comes first whatever its score."""
        if not self.names_found:
            return False
        return self.similarity >= ON_TOPIC_NEARLY_SIMILARITY and self.similarity + self.coverage >= ON_TOPIC_COMBINED


def cited_span(row: QuoteRow, text: str) -> tuple[int, int]:
    """The quote's words, in their own quotation marks, plus its attribution when it sits next to
    them ("..., he said"): the citation shows the reader exactly what the article prints."""
    q = row.quote
    start, end = q.spans[0][0], q.spans[-1][1]
    if q.kind == "direct":
        while start > 0 and text[start - 1] in _MARKS:
            start -= 1
        while end < len(text) and text[end] in _MARKS + ",.!?" and text[end - 1] not in _CLOSE_MARKS:
            end += 1
    if q.attribution:
        a_start, a_end = q.attribution
        if 0 <= start - a_end <= ATTRIBUTION_GAP:
            start = a_start
        elif 0 <= a_start - end <= ATTRIBUTION_GAP:
            end = a_end
    return start, end


def rank_quotes(
    quotes: list[QuoteRow],
    topic: str | None,
    corpus: Corpus,
    allowed_docs: Callable[[str], bool] | None = None,
    chunk_scores: dict[tuple[str, int, int], float] | None = None,
    verb: str | None = None,
    conversation: Sequence[str] = (),
    occasion: bool = False,
) -> list[RankedQuote]:
    """``quotes`` best first for ``topic``. The topic's words around the quote pick the
    candidates (with the search's own chunk scores), the embedding model then compares each
    candidate with the topic itself (not the question, whose speaker name every quote shares).
    ``verb`` is the lemma the question asks with; any verb but "say" prefers statements made so.
    ``conversation``: the articles a follow-up's conversation is on, whose statements are compared first.
    ``occasion``: the topic is where, when or to whom the words were spoken ("at the news conference"), so
    the attribution's words ("told a news conference") count as the statement's context."""
    groups = corpus.keyword.term_groups(topic) if topic else []
    # "Stoltenberg's stance", "the match itself": the speaker's words on it need not say "stance"
    # or "itself" (the soft words count for as little as in the other answers' coverage)
    weights = soft_weights(groups)
    # names the user gives must be around the quote (``_context_terms``); names carried over from an earlier
    # question ("it (Henry's free-kick against Chelsea)") only in its article
    own = re.sub(r"\([^)]*\)", " ", topic) if topic else ""
    named = [g for g in groups if own and _is_named(g.word, own)]
    names = _names(named, own)
    carried = [g for g in groups if topic and g not in named and _is_named(g.word, topic)]
    countries = [g for g in groups if abbreviations(g.word)]  # "American": "the US" around a statement
    chunks_of: dict[str, list[tuple[int, int, float]]] = {}  # the search's chunks, by article
    for (doc, c_start, c_end), score in (chunk_scores or {}).items():
        chunks_of.setdefault(doc, []).append((c_start, c_end, score))
    specific_verb = verb not in (None, "say")
    wanted = frozenset(t for g in groups for t in g.stems)  # what the context's words are read for
    ranked = []
    prior: dict[int, float] = {}
    lead_codes: dict[str, frozenset[str]] = {}  # per article: the topic's countries its lead writes as codes
    for row in quotes:
        if allowed_docs is not None and not allowed_docs(row.doc_id):
            continue
        text = corpus.document_text(row.doc_id)
        if borrowed_attribution(row, text):
            continue
        start, end = cited_span(row, text)
        attribution = None if occasion else row.quote.attribution
        context_terms, leading_terms = _context_terms(corpus, row.doc_id, start, end, attribution, wanted)
        initials = _initials_found(names, leading_terms, corpus, row.doc_id, start, end, own)
        initials |= _countries_abbreviated(countries, leading_terms, corpus, row.doc_id, start, end)
        # the speaker's own name in the topic ("Gordon Brown's International Finance Facility",
        # asked of Brown after "his"): a statement of theirs is on them, whether it names them or not
        found = initials | _name_terms(row.quote.speaker)
        context_terms, leading_terms = context_terms | found, leading_terms | found
        coverage = idf_coverage(groups, context_terms, weights) if groups else 0.0
        if names and row.doc_id not in lead_codes:
            lead_codes[row.doc_id] = _countries_in_lead(countries, corpus, row.doc_id)
        named_near = leading_terms | lead_codes.get(row.doc_id, frozenset())
        unnamed = [name for name in names if _name_missing(name, named_near, corpus, row.doc_id, own)]
        missing = bool(unnamed)
        before = _terms_before(corpus, row.doc_id, start) if missing else frozenset()
        far = missing and all(g.found_in(before) for n in unnamed for g in n)
        if far and all(_referred_back(n, own, text[start:end]) for n in unnamed):
            missing = far = False  # "the Belmarsh detainees": "the detainees" the story named in full before
        if missing and _body_in_attribution(unnamed, row, text):
            missing = far = False  # "X, the man behind OptInRealBig.com, said lawsuits had forced the company ..."
        if carried and not missing:
            in_article = article_terms(corpus, row.doc_id)
            missing = any(not g.found_in(in_article) for g in carried)
        describes = described(row, text)
        # "How did Duff explain what went wrong?": "Duff explained what went wrong when ..." names the
        # explanation; his words are it, so the verb asked earns the description nothing
        asked = specific_verb and bool(row.quote.cue) and lemma_of(row.quote.cue.split()[-1]) == verb and not describes
        r = RankedQuote(row, start, end, coverage, 0.0, missing, asked, describes)
        r.far_names = far
        r.doubtful = doubtful_mention(row)
        r.in_conversation = row.doc_id in conversation
        in_chunk = max(
            (s for c_start, c_end, s in chunks_of.get(row.doc_id, ()) if c_start <= start < c_end), default=0.0
        )
        prior[id(r)] = coverage + (ASKED_VERB_BONUS if asked else 0.0) + in_chunk
        ranked.append(r)
    ranked.sort(key=lambda r: -prior[id(r)])
    if topic:
        topic_vector = np.asarray(corpus.query_vector(topic))
        # a follow-up's story: its statements are compared too, whatever their words
        story = [r for r in ranked[EMBEDDED_PER_QUESTION:] if r.in_conversation][:EMBEDDED_FROM_STORY]
        for r in ranked[:EMBEDDED_PER_QUESTION] + story:
            vector = np.asarray(corpus.passage_vector(r.row.doc_id, r.start, r.end))
            r.similarity = float(topic_vector @ vector)
            if r.described:  # "explained why he rested his captain": the topic is the reporter's label
                r.own_coverage = 0.0
                continue
            own_terms = frozenset(terms(corpus.document_text(r.row.doc_id)[r.start : r.end]))
            r.own_coverage = idf_coverage(groups, own_terms | _name_terms(r.row.quote.speaker), weights)
        _described_words_follow(ranked)
        ranked.sort(key=_rank_key)
    return ranked


DESCRIBED_REACH = 400  # characters: the speaker's words a description labels start this close after it


def _described_words_follow(ranked: list[RankedQuote]) -> None:
    """ "Duff explained what went wrong when he fluffed a chance. ... "I lost it in the lights," said the
    Chelsea star": the reporter's label says what the speaker's next words are about, so they are on it as
    much as the label is, and are theirs."""
    for r in ranked:
        if not r.described:
            continue
        after = [
            n
            for n in ranked
            if n.row.doc_id == r.row.doc_id
            and n.row.quote.speaker == r.row.quote.speaker
            and not n.described
            and 0 <= n.start - r.end < DESCRIBED_REACH
        ]
        if after:
            words = min(after, key=lambda n: n.start)
            words.similarity = max(words.similarity, r.similarity)
            words.coverage = max(words.coverage, r.coverage)
            # and the label, naming the speaker, says whose they are ("said the Chelsea star" is Duff)
            words.doubtful = words.doubtful and r.doubtful


def _rank_key(r: RankedQuote) -> tuple[bool, float]:
    """Best first; a statement given through a doubtful description after those surely theirs."""
    return r.doubtful, -r.score


def lead_similarity(corpus: Corpus, doc_id: str, topic: str) -> float:
    """Cosine between the topic and the article's headline with its first paragraph: where a
    reporter says what the story is about."""
    lead = _lead_passages(corpus, doc_id)
    if not lead:
        return 0.0
    topic_vector = np.asarray(corpus.query_vector(topic))
    return float(topic_vector @ np.asarray(corpus.passage_vector(doc_id, lead[0].start, lead[-1].end)))


def about_topic_articles(ranked: list[RankedQuote], topic: str, corpus: Corpus) -> list[RankedQuote]:
    """The statements (best first) of articles whose lead is on ``topic``, for a speaker none of
    whose statements is on it by its own words: a paraphrased topic ("civil servants shredding
    documents") that the speaker's reaction never repeats. A name the topic gives must still be in
    the sentences around the statement or in the lead, so a near miss ("Straw on Taiwan") stays
    refused. By meaning only: a lead holding the topic's words lets in anyone the story quotes on
    anything else (Akar on Armenia in a story on the S-400)."""
    docs: list[str] = []
    for r in ranked:
        if not r.names_missing and r.row.doc_id not in docs:  # no lead is embedded for nothing
            docs.append(r.row.doc_id)
        if len(docs) == LEAD_ARTICLES:
            break
    about = {d for d in docs if lead_similarity(corpus, d, topic) >= LEAD_SIMILARITY}
    return [r for r in ranked if r.row.doc_id in about and not r.names_missing]


_SENTENCE_ENDED = re.compile(r"[.!?][\"”’']?[.!?]?[\"”’']?\s*")
_CLAUSE_FOLLOWS = re.compile(r"\s+(?:that\s+)?[a-z]")


def borrowed_attribution(row: QuoteRow, text: str) -> bool:
    """A direct quote given the attribution of the next sentence, which reports a clause of its
    own: in '"... under very close scrutiny." Fellow Lib Dem Norman Baker said the episode ...',
    "Baker said" governs "the episode ...", and the quote before it is the previous speaker's.
    Such a quote is never cited as the named speaker's (43 of 10,752 BBC + seeds statements)."""
    q = row.quote
    if q.kind != "direct" or not q.attribution or q.attribution[0] < q.spans[-1][1]:
        return False
    between = text[q.spans[-1][1] - 1 : q.attribution[0]]
    return bool(
        _SENTENCE_ENDED.fullmatch(between) and _CLAUSE_FOLLOWS.match(text, q.attribution[1], q.attribution[1] + 40)
    )


_PRONOUN_MENTION = re.compile(r"(?i:he|she|they|we|i|it)")
_PLAIN_WORD = re.compile(r"[a-z0-9]+")
_DETERMINERS = frozenset({"the", "a", "an", "his", "her", "its", "their"})


def doubtful_mention(row: QuoteRow) -> bool:
    """Is the statement given to its speaker through a description that neither names them nor
    fits the role the article gives them ("The bookmaker said ..." for William Hill spokesman
    Rupert Adams)? A pronoun continues the speaker before it and is not doubted."""
    q = row.quote
    mention = q.mention.strip()
    if not mention or not q.cue or _PRONOUN_MENTION.fullmatch(mention) or q.speaker_type != "person":
        return False
    return _doubtful(mention, q.speaker, q.role)


@lru_cache(maxsize=16384)
def _doubtful(mention: str, speaker: str, role: str) -> bool:
    """``doubtful_mention`` by the words alone (cached: a prolific speaker's rows repeat them)."""
    mentioned = _PLAIN_WORD.findall(fold(mention).lower())
    if any(close_spelling(m, w) for m in mentioned for w in _PLAIN_WORD.findall(fold(speaker).lower())):
        return False  # the speaker's name, as this article spells it ("Stoltenburg" for "Stoltenberg")
    # word by word, hyphens apart: "the secretary-general" fits "NATO Secretary General"
    words = set(mentioned) - _DETERMINERS
    return not (role and words <= set(_PLAIN_WORD.findall(fold(role).lower())))


def described(row: QuoteRow, text: str) -> bool:
    """A reported statement that is an indirect question after a verb of describing ("explained
    why he paused", "described how it affected him"): it names what the speaker talked about, not
    what they said, so their own words on it come first. Asking verbs ("asked why") are the
    speaker's own question and stay as they are."""
    q = row.quote
    if q.kind == "direct" or not q.cue or not q.spans:
        return False
    first = text[q.spans[0][0] : q.spans[0][1]]
    return bool(_DESCRIBING_CUE.match(q.cue.split()[-1]) and _INDIRECT_QUESTION.match(first))


def article_terms(corpus: Corpus, doc_id: str) -> frozenset[str]:
    """The article's words, from its passages' term sets (computed once per article)."""
    return frozenset().union(*(p.terms for p in corpus.passages(doc_id)))


# the lower-case words inside a name: "Ruud van Nistelrooy", "Luiz Inacio Lula da Silva"
_NAME_PARTICLES = frozenset({"van", "von", "der", "den", "de", "da", "di", "du", "del", "la", "le", "bin", "al"})


def _names(named: list[TermGroup], topic: str) -> list[list[TermGroup]]:
    """The names the topic gives, each as its words' groups in order: capitalised words written
    one after the other ("Patrick Vieira", "Tel Aviv", with a particle: "Ruud van Nistelrooy") are
    one name, which a possessive ends ("Livingstone's Nazi jibe")."""
    names: list[list[TermGroup]] = []
    last_end = -2
    for m in re.finditer(r"[\w'’\-]+", topic):
        group = next((g for g in named if _is_named(g.word, m.group(0))), None)
        if group is None:
            if m.group(0) not in _NAME_PARTICLES:  # "Ruud van Nistelrooy" is one name
                last_end = -2
            elif last_end >= 0:
                last_end = m.end()
            continue
        if names and topic[last_end : m.start()].isspace():
            names[-1].append(group)
        else:
            names.append([group])
        last_end = -2 if m.group(0)[-2:] in ("'s", "’s") else m.end()
    names.extend([g] for g in named if not any(g in name for name in names))
    return names


def _name_missing(
    name: list[TermGroup],
    leading: frozenset[str],
    corpus: Corpus,
    doc_id: str,
    topic: str = "",
) -> bool:
    """Is a name the topic gives missing from around a statement? It must be in the statement's
    sentences or those before it (``leading``), or in the story's lead (headline and first
    paragraph), which says what the whole story is about: its speakers talk about that ("Unilever"
    in the lead; its chairman's words on "markets tougher than we had expected" paragraphs later).
    A name only elsewhere in the story says nothing of this statement: one written after it is the
    reporter's own story ("... China could threaten Taiwan", after Straw spoke of China).

    A name of several words is there when its last word is and the others are in the article:
    after "Patrick Vieira", a reporter writes "Vieira"; or when its first word is a first name and
    the whole name is in the article: a speaker says "Ruud is the best striker in Europe" of Ruud
    van Nistelrooy. Its initials ("the U.S.") count as the name (``_initials_found``)."""
    head = name[-1]
    near = head.found_in(leading) or head.found_in(_lead_terms(corpus, doc_id))
    article = article_terms(corpus, doc_id)
    if not near and len(name) > 1 and name[0].found_in(leading) and _is_first_name(name[0], topic):
        near = head.found_in(article)
    if not near:
        return True
    return any(not g.found_in(article) for g in name[:-1] if not g.found_in(leading))


def _initials_found(
    names: list[list[TermGroup]],
    leading: frozenset[str],
    corpus: Corpus,
    doc_id: str,
    start: int,
    end: int,
    topic: str,
) -> frozenset[str]:
    """The words of the topic's names of several words that the statement's sentences (or the one
    before) write as initials ("the U.S." or "the US" for "the United States", "the EU" for "the
    European Union"): to be counted there, as the name itself would be. A person's name ("Gordon
    Brown", not "GB") is never abbreviated so."""
    unwritten = [
        name
        for name in names
        if len(name) > 1 and not all(g.found_in(leading) for g in name) and not _is_first_name(name[0], topic)
    ]
    if not unwritten:
        return frozenset()
    text = _leading_text(corpus, doc_id, start, end)
    return frozenset(t for name in unwritten if _acronym(name).search(text) for g in name for t in g.stems)


def _countries_abbreviated(
    countries: list[TermGroup], leading: frozenset[str], corpus: Corpus, doc_id: str, start: int, end: int
) -> frozenset[str]:
    """The stems of the topic's country words ("America", "American", "British") whose country the
    statement's sentences (or the one before) write as its code ("the US", "U.S.", "the UK"),
    which only its capitals tell from a word ("us")."""
    unwritten = [g for g in countries if not g.found_in(leading)]
    if not unwritten:
        return frozenset()
    return _codes_in(unwritten, _leading_text(corpus, doc_id, start, end))


def _codes_in(countries: list[TermGroup], text: str) -> frozenset[str]:
    """The stems of the country words whose code ``text`` prints."""
    return frozenset(
        t for g in countries if any(_code_pattern(code).search(text) for code in abbreviations(g.word)) for t in g.stems
    )


def _countries_in_lead(countries: list[TermGroup], corpus: Corpus, doc_id: str) -> frozenset[str]:
    """The stems of the topic's country words whose code the story's lead prints ("British
    manufacturing" in a story whose lead is on "the UK economy"): the lead says what the whole
    story is about, for a country as for any name (``_name_missing``)."""
    lead = _lead_passages(corpus, doc_id) if countries else []
    if not lead:
        return frozenset()
    return _codes_in(countries, corpus.document_text(doc_id)[lead[0].start : lead[-1].end])


@lru_cache(maxsize=64)
def _code_pattern(code: str) -> re.Pattern[str]:
    """A country code as printed: "US", "U.S.", "U.S"."""
    return re.compile(r"(?<![\w.])" + r"\.?".join(map(re.escape, code)) + r"\.?(?!\w)")


def _acronym(name: list[TermGroup]) -> re.Pattern[str]:
    """The name's initials as an article abbreviates it: "US", "U.S.", "U.S" for "United States"."""
    letters = [re.escape(g.word[0].upper()) for g in name]
    return re.compile(r"(?<![\w.])" + r"\.?".join(letters) + r"\.?(?!\w)")


def _leading_text(corpus: Corpus, doc_id: str, start: int, end: int) -> str:
    """The statement's sentences and the one before them, as printed."""
    passages = corpus.passages(doc_id)
    touching = [p for p in passages if p.start < end and p.end > start]
    if not touching:
        return corpus.document_text(doc_id)[start:end]
    first = passages[max(touching[0].index - 1, 0)]
    return corpus.document_text(doc_id)[first.start : touching[-1].end]


def _is_first_name(group: TermGroup, topic: str) -> bool:
    """Is the name's word, as the topic writes it, a first name ("Ruud", "Wayne")?"""
    return _first_name_in(group.word, topic)


@lru_cache(maxsize=1024)
def _first_name_in(word: str, topic: str) -> bool:
    """``_is_first_name`` by the strings (cached: it is asked for every statement of a speaker)."""
    return any(
        first_name_gender(m.group(0)) is not None and word in set(terms(m.group(0))) | {m.group(0).lower()}
        for m in re.finditer(r"[\w'’\-]+", topic)
    )


@lru_cache(maxsize=4096)
def _name_terms(name: str) -> frozenset[str]:
    """A speaker's name as index terms (cached: a prolific speaker's rows repeat it)."""
    return frozenset(terms(name))


def _terms_before(corpus: Corpus, doc_id: str, start: int) -> frozenset[str]:
    """The words of the article's sentences ending before character ``start``."""
    return frozenset().union(*(p.terms for p in corpus.passages(doc_id) if p.end <= start))


def _lead_terms(corpus: Corpus, doc_id: str) -> frozenset[str]:
    """The words of the article's headline and first paragraph (``lead_similarity``'s lead)."""
    return frozenset().union(*(p.terms for p in _lead_passages(corpus, doc_id)))


def _lead_passages(corpus: Corpus, doc_id: str) -> list[Passage]:
    """The article's headline and first paragraph: where a reporter says what the story is about."""
    passages = corpus.passages(doc_id)
    first = passages[0].paragraph if passages else 0
    return [p for p in passages if p.paragraph <= first + 1]


def _referred_back(name: list[TermGroup], topic: str, words: str) -> bool:
    """Does a statement refer back to what a name in the topic qualifies ("the Belmarsh detainees": "some
    of the detainees' home countries"), the story having named it in full before? The name is a noun's
    modifier in the topic, and the statement writes that noun after a definite word."""
    after = re.search(rf"\b{re.escape(name[-1].word)}['’]?s?\s+([a-z][\w-]+)", topic, re.IGNORECASE)
    if after is None or after.group(1) in STOPWORDS:
        return False  # "at Lansdowne Road", "against Arsenal": no noun it qualifies
    noun = set(terms(after.group(1)))
    definite = re.finditer(r"\b(?:the|these|those|their|its)\s+(?:[a-z][\w-]*\s+)?([a-z][\w'’-]*)", words, re.I)
    return bool(noun) and any(noun & set(terms(m.group(1))) for m in definite)


_HOW_MUCH = re.compile(r"(?:how|just how)\s+(?:much|many)\b", re.IGNORECASE)


def _body_in_attribution(names: list[list[TermGroup]], row: QuoteRow, text: str) -> bool:
    """Are the missing names in the statement's own attribution, a body its words then refer back to ("Scott
    Richter, the man behind OptInRealBig.com, said lawsuits had forced the company into Chapter 11")? The
    attribution is left out of a statement's context (it says who speaks, not about what), but "the company"
    in the words is the one it names."""
    if not row.quote.attribution:
        return False
    said = " ".join(text[s:e] for s, e in row.quote.spans)
    if not _BODY_REFERRED.search(said):
        return False
    attribution = frozenset(terms(text[slice(*row.quote.attribution)]))
    return all(g.found_in(attribution) for name in names for g in name)


_BODY_REFERRED = re.compile(rf"\b(?:the|its|our)\s+(?:{'|'.join(sorted(ORG_NOUNS))})\b", re.IGNORECASE)


def _is_named(word: str, topic: str) -> bool:
    """Is ``word`` a name the topic gives ("Taiwan", "Syria's"), capitalised mid-question? The
    word is compared stemmed, as the index holds it: "Leeds" is indexed as "leed"."""
    stems = set(terms(word)) | {word}
    for m in re.finditer(r"[\w'’\-]+", topic):
        if m.group(0)[:1].isupper() and stems & set(terms(m.group(0))):
            return True
    return False


def _context_terms(
    corpus: Corpus,
    doc_id: str,
    start: int,
    end: int,
    attribution: tuple[int, int] | None = None,
    wanted: frozenset[str] = frozenset(),
) -> tuple[frozenset[str], frozenset[str]]:
    """The words of the quote's sentences, of up to ``CONTEXT_SENTENCES`` sentences either side in
    its paragraph and of the sentence before it: where a reporter names the topic a speaker goes on
    to talk about ("On Nagorno-Karabakh, Stoltenberg said ...").
    Read from the passages' own term sets (computed once per article), not the text again, except
    in the sentence holding the ``attribution``: its words say who speaks, not about what ("The
    actor, whose films include Michael Collins, said: ..." is not about Michael Collins). That
    sentence is read again only when it holds one of the ``wanted`` terms (the topic's): otherwise
    leaving the attribution out could not change what is found, and re-reading every statement's
    sentence doubled the ranking's cost for a speaker with hundreds of statements. A run-on passage
    (``LONG_SENTENCE``) holding such a term is read only near the statement.

    Returned twice: all of them, and those of the statement's sentences and the ones before it.
    A name the topic gives must be in the latter: a reporter names what a speaker goes on to talk
    about before the statement; the sentences after it are the reporter's own story ("Mr Straw
    said many of Washington's objections were based on a lack of information ... Washington is
    thought to fear ... China could threaten Taiwan": Straw did not speak of Taiwan)."""
    passages = corpus.passages(doc_id)
    touching = [p for p in passages if p.start < end and p.end > start]
    if not touching:
        own = frozenset(terms(corpus.document_text(doc_id)[start:end]))
        return own, own
    first, last = touching[0], touching[-1]
    around = [
        p
        for p in passages
        if p.paragraph in (first.paragraph, last.paragraph)
        and first.index - CONTEXT_SENTENCES <= p.index <= last.index + CONTEXT_SENTENCES
    ]
    if first.index > 0:
        around.append(passages[first.index - 1])
    a_start, a_end = attribution or (0, 0)
    found: set[str] = set()
    after: set[str] = set()  # the terms only the sentences after the statement hold
    text = ""
    for p in around:
        into = after if p.start >= end else found
        if not p.terms & wanted:  # nothing it holds is looked for: what part is read changes nothing
            into.update(p.terms)
            continue
        long = p.end - p.start > LONG_SENTENCE
        attributed = p.start < a_end and p.end > a_start
        if not (long or attributed):
            into.update(p.terms)
            continue
        text = text or corpus.document_text(doc_id)
        lo, hi = _near_statement(text, p.start, p.end, start, end) if long else (p.start, p.end)
        if attributed:  # the attribution's sentence, without it
            cut_start, cut_end = min(hi, max(lo, a_start)), max(lo, min(hi, a_end))
            into.update(terms(text[lo:cut_start] + " " + text[cut_end:hi]))
        else:
            into.update(terms(text[lo:hi]))
    return frozenset(found | after), frozenset(found)


def _near_statement(text: str, p_start: int, p_end: int, start: int, end: int) -> tuple[int, int]:
    """The part of a run-on passage (``LONG_SENTENCE``) within ``CONTEXT_SENTENCES`` sentences of
    the statement at ``start:end``, its sentences told by full stops alone."""
    spans = rough_sentence_spans(text, p_start, p_end)
    inside = [i for i, (s, e) in enumerate(spans) if s < end and e > start]
    if inside:
        lo, hi = inside[0] - CONTEXT_SENTENCES, inside[-1] + CONTEXT_SENTENCES
    elif p_end <= start:  # before the statement: its last sentences
        lo, hi = len(spans) - CONTEXT_SENTENCES, len(spans) - 1
    else:  # after it: its first
        lo, hi = 0, CONTEXT_SENTENCES - 1
    lo, hi = max(lo, 0), min(hi, len(spans) - 1)
    return spans[lo][0], spans[hi][1]


def citation(n: int, r: RankedQuote, corpus: Corpus) -> Citation:
    doc = corpus.document(r.row.doc_id)
    text = corpus.document_text(doc.doc_id)
    return Citation(
        n=n,
        doc_id=doc.doc_id,
        title=doc.title,
        source=doc.source,
        quote=text[r.start : r.end],
        start=r.start,
        end=r.end,
        score=round(r.score, 4),
        outlet=doc.outlet,
        speaker=r.row.quote.speaker,
        published=doc.published,
        published_source=doc.published_source,
        dates=resolved_in(text, r.start, r.end, doc.published),
    )


def distinct_citations(
    ranked: list[RankedQuote],
    corpus: Corpus,
    limit: int,
    follow_ratio: float = 0.0,
    allowed_docs: Callable[[str], bool] | None = None,
    retrieved: list[tuple[str, int, int]] | None = None,
) -> list[Citation]:
    """The best ``limit`` statements, each counted once however many articles printed it: a
    reprint (or a syndicated copy) of a chosen statement goes in its ``also_in``. Statements
    scoring under ``follow_ratio`` of the best are left out."""
    chosen: list[RankedQuote] = []
    copies: dict[int, list[RankedQuote]] = {}  # a chosen statement's reprints in other articles
    probes: dict[int, list[str]] = {}
    extra = 0
    for r in ranked:
        if chosen and r.score < follow_ratio * chosen[0].score:
            break
        if any(c.row.doc_id == r.row.doc_id and c.start < r.end and r.start < c.end for c in chosen):
            continue
        same = next((c for c in chosen if _same_statement(c, r, corpus, probes)), None)
        if same is not None:  # one statement, however many outlets ran it
            copies.setdefault(id(same), []).append(r)
            continue
        if len(chosen) >= limit:
            extra += 1
            if extra > REPRINTS_LOOKED_AT:
                break
            continue  # still looking for reprints of the chosen statements
        chosen.append(r)
    citations = [citation(n, r, corpus) for n, r in enumerate(chosen, 1)]
    for c, r in zip(citations, chosen, strict=True):
        for other in copies.get(id(r), []):
            add_copy(c, copy_entry(corpus, other.row.doc_id, other.start, other.end))
        add_copies(c, corpus, _probes(r, corpus, probes), allowed_docs, retrieved or ())
    return citations


def _probes(r: RankedQuote, corpus: Corpus, cache: dict[int, list[str]] | None = None) -> list[str]:
    """What a reprint of the statement would repeat: the cited words, the quote's own words
    (without the attribution another outlet rewrites), and the sentences it stands in."""
    if cache is not None and id(r) in cache:
        return cache[id(r)]
    text = corpus.document_text(r.row.doc_id)
    own = " ".join(text[s:e] for s, e in r.row.quote.spans)
    around = [p.text for p in corpus.passages(r.row.doc_id) if p.start < r.end and r.start < p.end]
    out = [text[r.start : r.end], own, *around]
    if cache is not None:
        cache[id(r)] = out
    return out


def statement_groups(quotes: Sequence[QuoteRow], corpus: Corpus) -> list[list[QuoteRow]]:
    """One speaker's ``quotes`` as statements: the rows printing one statement in several
    articles (a reprint, a syndicated copy: what ``distinct_citations`` cites once) in one
    group, its first row first. A row is compared only with the statements of other articles
    whose passages share ``STATEMENT_SHARED_TERMS`` words with its own (``_same_statement``
    cannot find two texts the same with fewer, but for two short identical quotes), so a
    speaker quoted hundreds of times costs far less than every pair."""
    groups: list[list[RankedQuote]] = []
    probes: dict[int, list[str]] = {}
    by_term: dict[str, list[int]] = {}  # a word of a statement's first row -> the groups holding it
    for row in quotes:
        r = RankedQuote(row, *cited_span(row, corpus.document_text(row.doc_id)), 0.0, 0.0)
        words = frozenset().union(
            *(p.terms for p in corpus.passages(row.doc_id) if p.start < r.end and r.start < p.end)
        )
        shared = Counter(g for t in words for g in by_term.get(t, ()))
        same = next(
            (
                g
                for g, n in shared.most_common()
                if n >= STATEMENT_SHARED_TERMS
                and groups[g][0].row.doc_id != row.doc_id
                and _same_statement(groups[g][0], r, corpus, probes)
            ),
            None,
        )
        if same is not None:
            groups[same].append(r)
            continue
        for t in words:
            by_term.setdefault(t, []).append(len(groups))
        groups.append([r])
    return [[r.row for r in g] for g in groups]


def _same_statement(a: RankedQuote, b: RankedQuote, corpus: Corpus, cache: dict[int, list[str]]) -> bool:
    """The same statement printed by two articles (a reprint or a syndicated copy)."""
    if a.row.doc_id == b.row.doc_id:
        return False
    a_probes, b_probes = _probes(a, corpus, cache), _probes(b, corpus, cache)
    return any(same_passage(x, y) for x in a_probes for y in b_probes) or any(
        matches(a_probes, p) for p in corpus.passages(b.row.doc_id) if p.start < b.end and b.start < p.end
    )


def answer_from_quotes(
    question: str,
    standalone: str,
    mention: str,
    topic: str | None,
    people: list[Person],
    corpus: Corpus,
    *,
    max_quotes: int = 3,
    allowed_docs: Callable[[str], bool] | None = None,
    chunk_scores: dict[tuple[str, int, int], float] | None = None,
    engine: str = "extractive",
    verb: str | None = None,
    conversation: Sequence[str] = (),
    occasion: bool = False,
) -> Answer:
    """The answer for a speaker the directory found (``people``, best match first).
    ``conversation``: for a follow-up ("the row", "did he say ..."), the articles the latest answer quoted."""
    # a mention several people fit equally ("the home secretary": Blunkett in 2004, Clarke after
    # him; "Brown") is decided by the topic: their statements are ranked together, and the person
    # whose statement is best on it is the one meant
    candidates = people[: SPEAKER_CANDIDATES if topic else 1]
    owner = {id(row): p for p in candidates for row in p.quotes}
    rows = [row for p in candidates for row in p.quotes]
    ranked = rank_quotes(rows, topic, corpus, allowed_docs, chunk_scores, verb, conversation, occasion)
    person = candidates[0]
    name = person.name
    if not ranked:
        return Answer(
            question,
            f"The articles in this search don't quote {name}.",
            [],
            True,
            standalone,
            f"no statement by {name} in the allowed articles",
            engine,
        )
    on_topic = [r for r in ranked if r.on_topic] if topic else ranked
    if topic and not on_topic:
        on_topic = [r for r in ranked if r.nearly_on_topic]
    if topic and not on_topic:
        on_topic = about_topic_articles(ranked, topic, corpus)
    if topic and _HOW_MUCH.match(topic):
        # "what did X say about how much it could cost": only their words with a figure answer it
        on_topic = [r for r in on_topic if has_amount(corpus.document_text(r.row.doc_id)[r.start : r.end], topic)]
    if topic and not on_topic and conversation:
        # "the row" is the story the conversation is on: the speaker's statements in its articles
        on_topic = [r for r in ranked if r.row.doc_id in conversation and not r.names_missing]
    if on_topic:
        person = owner[id(on_topic[0].row)]
        name = person.name
        on_topic = [r for r in on_topic if owner[id(r.row)] is person]
    else:
        related = [citation(n, r, corpus) for n, r in enumerate(ranked[:max_quotes], 1)]
        quoted = (
            f"{name} ({person.statements} statements)"
            if len(candidates) == 1
            else f"{mention} ({', '.join(p.name for p in candidates)})"
        )
        return Answer(
            question,
            f"The articles quote {quoted}, but not on {topic}. "
            f"Their closest statements are shown below as related passages; they don't answer the question.",
            [],
            True,
            standalone,
            f"{name} is quoted, never on the topic (best similarity {ranked[0].similarity:.2f}, "
            f"coverage {ranked[0].coverage:.0%})",
            engine,
            related=related,
        )
    retrieved = [(doc, start, end) for doc, start, end in (chunk_scores or {})]
    citations = distinct_citations(on_topic, corpus, max_quotes, FOLLOW_RATIO, allowed_docs, retrieved)
    lines = []
    for c in citations:
        where = c.outlet or c.title
        names = c.also_in_outlets()
        also = f" (also in {', '.join(names)})" if names else ""
        lines.append(f"{c.quote} — {c.speaker}, {where}{also} [{c.n}]")
    role = f" ({person.roles[0]})" if person.roles else ""
    header = f"{name}{role}" + (f" on {topic}:" if topic else ", quoted in the articles:")
    reason = f"{len(citations)} statement(s) by {name}" + (f" on {topic}" if topic else "")
    return Answer(question, header + "\n" + "\n".join(lines), citations, False, standalone, reason, engine)
