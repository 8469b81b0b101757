"""Who said what in one article: every direct quote and reported statement, with exact spans,
the cue verb, and the speaker resolved to the fullest name the article gives.

News attribution is formulaic, so rules over the article's own sentences do it fast (about a
millisecond an article) and exactly: quotation marks are paired per paragraph (a quote left
open at a paragraph's end continues in the next one that opens with a mark), a quote takes
the attribution next to it (`"...," he said.` / `Mr X told MPs: "..."`), a quote with none of
its own continues the previous speaker, and reported speech is a clause governed by a cue verb
(`X said (that) ...`, `..., X said.`, `according to X, ...`). Speakers are resolved by
``speakers.SpeakerResolver``. spaCy's parser was measured as the alternative (see
docs/QUOTES.md): on this corpus it costs 5x the whole ingest budget for no better spans.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, replace

from .speakers import (
    DOCUMENT_NOUNS,
    HONOURED_NAME,
    MONTH,
    ORG_NOUNS,
    WEEKDAY,
    Speaker,
    SpeakerResolver,
    first_name_gender,
    is_person_noun,
    person_of_body,
    strip_leading,
)
from .speakers import ROLE_HEADS as _ROLE_HEADS
from .speakers import ROLE_WORDS as _ROLE_WORDS

OPENING = "“«„"
CLOSING = "”»"
# cue verbs in -ing: they open "..., saying ...", and only they follow "is"/"was" in an attribution
_ING_CUES = (
    r"saying|adding|warning|insisting|claiming|arguing|suggesting|telling|explaining|describing"
    r"|branding|indicating|noting|stressing|calling on|calling for|admitting|conceding|denying|accusing"
    r"|predicting|stating|urging"
)
# cue verbs of attribution, as they appear next to a speaker
_CUES = (
    "said|says|say|told|tells|added|adds|warned|warns|urged|urges|claimed|claims|argued|argues|insisted|insists"
    "|believes|believe|admitted|admits|conceded|concedes|denied|denies|accused|accuses|stressed|stresses"
    "|explained|explains|noted|notes|announced|announces|confirmed|confirms|suggested|suggests|predicted|predicts"
    "|reported|reports|tweeted|wrote|writes|declared|declares|maintained|maintains|acknowledged|acknowledges"
    "|revealed|reveals|described|describes|branded|brands|estimated|estimates|asked|asks"
    "|replied|replies|responded|responds|complained|complains|agreed|agrees|disagreed|pointed out|points out"
    "|called on|calls on|called for|calls for|questioned|questions|dismissed|dismisses|defended|defends"
    "|reiterated|reiterates|emphasised|emphasized|emphasises|vowed|vows|promised|promises|pledged|pledges"
    "|condemned|condemns|criticised|criticized|criticises|blamed|blames|hoped|hopes|feared|fears|thinks|thought"
    "|speculated|stated|states|remarked|observed|cautioned|indicated|indicates|recalled|recalls|continued"
    "|forecast|forecasts|expects|expected|accepted|accepts|apologised|apologized"
    "|concluded|concludes|" + _ING_CUES
)
_ING = re.compile(rf"^({_ING_CUES})$")
# "is"/"was" only before a cue in -ing ("Mr Blair is saying"): before "accused", "told", "asked" or
# "expected" the cue is passive and its subject the one spoken of, not the speaker ("Mr Ebbers is
# accused of", "Ms Simonetti was told her suspension ...", "The PlayStation 3 is expected in 2006");
# "Mr Kapor is reported as saying" is Kapor's
_CUE = r"(?:(?:has|had|have|also|has also|had also|then|later|earlier|previously|once|recently|would|will|"
_CUE += rf"(?:is|was)(?= (?:{_ING_CUES})\b| reported as\b)|had earlier|has already|had already) )?(?P<cue>{_CUES})"
# "said X" after a quote or a clause: the speaker follows the verb
# a speaker's words, an initial's full stop among them ("George W. Bush", "Mr R. Sridharan")
_WHO_WORDS = r"(?:[^,.;:!?\"“”]|(?<=\s[A-Z])\.(?=\s[A-Z]))+?"
_CUE_THEN_SPEAKER = re.compile(
    rf"^\s*[,.!?;:-]*\s*(?P<cue>{_CUES})\s+(?P<who>{_WHO_WORDS})\s*(?:[,;:!?]|(?<!\s[A-Z])\.|$)"
)
_SPEAKER_THEN_CUE = re.compile(rf"^\s*[,.!?;:-]*\s*(?P<who>{_WHO_WORDS})\s+{_CUE}\b")
# the speaker as the object of a report: `The daily also quoted the US NATO envoy as [saying, "]`
_QUOTED_OBJECT_AS = r"\b(?:quoted|cited)\s+(?!by\b)(?P<who>[^,;:\x00]+?)\s+as"
_QUOTED_AS = re.compile(_QUOTED_OBJECT_AS + r"\s+(?:saying|telling \w+)\s*[,:]?\s*$")
# a name set off after a role: `said the harbour master, Ingrid Solberg.`
_NAME_IN_APPOSITION = re.compile(r"^\s*,\s*(?P<name>[A-Z][\w'’\-]+(?:\s+[A-Z][\w'’\-]+){1,3})\s*(?:[.;]|$)")
_NAME_APPOSITIVE_CUE = re.compile(
    rf"^\s*[,.!?;:-]*\s*(?P<who>(?:(?:Mr|Mrs|Ms|Dr|Sir|Lord|Lady)\.?\s)?[A-Z][\w'’.-]+(?: [A-Z][\w'’.-]+){{0,3}})"
    rf"(?:,\s+[^,\x00]{{2,80}},|\s+[-–—]\s+[^\x00.!?;]{{2,160}}?\s+[-–—])\s+{_CUE}\b"
)
_ROLE_NAME_APPOSITIVE_CUE = re.compile(
    rf"^\s*,?\s*(?P<role>(?:the|a|an|its|his|her|their)\s+[^,\x00]{{2,60}}),\s+"
    rf"(?P<who>(?:(?:Mr|Mrs|Ms|Dr|Sir|Lord|Lady)\.?\s)?[A-Z][\w'’.-]+(?: [A-Z][\w'’.-]+){{1,3}}),\s+{_CUE}\b"
)
_ACCORDING = re.compile(r"\baccording to (?P<who>[^,.;:!?\"“”]+)", re.IGNORECASE)
_MIN_WORDS = 4  # a shorter quotation is a phrase quoted inside a sentence, not speech of its own
# what may sit between a cue and the reported clause
_CLAUSE_LEAD = re.compile(
    r"^\s*(?:(?:on|last|this|earlier|late|in|at|during)\s+(?:[A-Z][a-z]+day|the \w+|a \w+ \w+|an \w+ \w+|\w+)"
    r"(?:\s+(?:night|morning|evening|afternoon|week|month|year))?\s*,?\s*|yesterday\s*,?\s*|today\s*,?\s*)*"
    r"(?:that\s+)?",
)
# (and a relative clause on them: `urged Bogdanovic, who has had run-ins with officials, to seize his chance`)
_TOLD_OBJECT = re.compile(
    r"(?:^\s*(?:the |a |an )?(?:(?:[A-Z][\w'’.&-]*|\d+|of|and|'s|’s)\s*){1,8}(?:programme|newspaper|magazine|conference"
    r"|radio|television|channel|website|committee|reporters|journalists|MPs|delegates)?\s*|^\s*(?:reporters|journalists"
    r"|MPs|delegates|peers|investors|analysts|shareholders|staff|fans|members|him|her|them|us|me|the \w+(?: \w+)?)\s+)"
    r"(?:,\s*who\s[^,;\x00]*,\s*)?"
)


@dataclass(frozen=True)
class Quote:
    """One statement: what was said (``spans``, exact offsets into the article) and who said it."""

    spans: tuple[tuple[int, int], ...]
    kind: str  # "direct" (inside quotation marks) or "reported"
    speaker: str  # resolved: "Mevlüt Çavuşoğlu", or the mention as written when unresolved ("analysts")
    speaker_type: str  # "person", "organisation" or "unnamed"
    mention: str  # how the attribution names the speaker here: "He", "the minister", "Mr Howard"
    cue: str  # "said", "told", "according to"; "" when a quote continues the previous speaker
    attribution: tuple[int, int] | None  # span of the attribution words
    role: str = ""  # the speaker's role as the article gives it: "Turkish Foreign Minister"

    @property
    def start(self) -> int:
        return self.spans[0][0]

    @property
    def end(self) -> int:
        return self.spans[-1][1]

    def text(self, article: str) -> str:
        """The quoted words; pieces of a split quote joined with " … "."""
        return " … ".join(article[s:e] for s, e in self.spans)


@dataclass
class _Segment:
    start: int  # inside the marks
    end: int
    open_start: int  # the opening mark's offset
    close_end: int  # after the closing mark (paragraph end when left open)
    closed: bool
    paragraph: int


# Speakers are resolved against everyone named earlier in the text, so the work grows with
# the square of its length: 25 s for 1 MB, 20 minutes for 5 MB of articles glued into one
# file. A text longer than this (no single article is) is read in windows of about this many
# characters, cut where a paragraph ends; a pronoun never refers back across a cut.
WINDOW_CHARS = 100_000


def extract_quotes(text: str, sentences: list[tuple[int, int]]) -> list[Quote]:
    """Every direct quote and reported statement in ``text`` (an article of record), in order."""
    if len(text) <= WINDOW_CHARS or any(a[0] > b[0] for a, b in itertools.pairwise(sentences)):
        return _Extractor(text, sentences).run()
    quotes: list[Quote] = []
    for start, end, spans in _windows(text, sentences):
        part = [(s - start, e - start) for s, e in spans]
        for q in _Extractor(text[start:end], part, headline=start == 0).run():
            attribution = None if q.attribution is None else (q.attribution[0] + start, q.attribution[1] + start)
            quotes.append(replace(q, spans=tuple((s + start, e + start) for s, e in q.spans), attribution=attribution))
    return quotes


def _windows(text: str, sentences: list[tuple[int, int]]) -> list[tuple[int, int, list[tuple[int, int]]]]:
    """(start, end, sentence spans) of consecutive windows covering ``text``, each about
    ``WINDOW_CHARS`` long: cut before a sentence that opens a paragraph, or before any sentence
    when no paragraph ends within twice that, or between words of a sentence that long."""
    windows: list[tuple[int, int, list[tuple[int, int]]]] = []
    start, spans = 0, []
    for s, e in sentences:
        if spans and s - start >= WINDOW_CHARS and ("\n" in text[spans[-1][1] : s] or s - start >= 2 * WINDOW_CHARS):
            windows.append((start, s, spans))
            start, spans = s, []
        while e - start > 2 * WINDOW_CHARS:  # a "sentence" of hundreds of kilobytes
            gap = _SPACE.search(text, max(s, start + WINDOW_CHARS), e)
            if gap is None:
                break
            spans.append((s, gap.start()))
            windows.append((start, gap.start(), spans))
            start, spans, s = gap.start(), [], gap.end()
        spans.append((s, e))
    windows.append((start, len(text), spans))
    return windows


_SPACE = re.compile(r"\s+")


class _Extractor:
    def __init__(self, text: str, sentences: list[tuple[int, int]], headline: bool = True) -> None:
        self.text = text
        self.sentences = sentences
        self.headline = headline  # does the text start with the article's headline
        self.segments = _segments(text)
        self.resolver = SpeakerResolver(text, [(seg.open_start, seg.close_end) for seg in self.segments])
        # the text with every quotation blanked (same length), so cues and names are looked for outside quotes
        chars = list(text)
        for seg in self.segments:
            for i in range(seg.open_start, min(seg.close_end, len(chars))):
                if chars[i] != "\n":
                    chars[i] = "\x00"
        self.outside = "".join(chars)

    def run(self) -> list[Quote]:
        direct = self._direct_quotes()
        reported = self._reported(direct)
        events = sorted(direct + reported, key=lambda q: q[0])
        quotes: list[Quote] = []
        for _, make in events:
            q = make()
            if q is not None:
                quotes.append(q)
        return quotes

    # --- direct quotes ---------------------------------------------------------------------
    def _direct_quotes(self) -> list[tuple[int, object]]:
        """(position, maker) per direct quote; makers run in text order so pronouns resolve in order."""
        out: list[tuple[int, object]] = []
        groups: list[list[_Segment]] = []
        attributions: list[tuple[str, str, tuple[int, int] | None]] = []
        text = self.text
        for seg in self.segments:
            content = text[seg.start : seg.end]
            after = self._after(seg)
            before = self._before(seg)
            if len(content.split()) < _MIN_WORDS:
                # a short quotation is speech only when it opens its sentence as a whole one (`"No."`) or
                # with its own attribution (`"I'm not pleased," the sheriff said.`), not a phrase or a
                # title inside a sentence (`under the headline: "Harry the Nazi."`)
                opens = not self.outside[self._sentence_start(seg.open_start) : seg.open_start].strip()
                whole = re.search(r"[.!?]$", content.strip())
                if not (before and whole) and not (opens and (whole or (after and len(content.split()) >= 3))):
                    continue
            if (
                before is None
                and self._mid_sentence(seg)
                and not (after and (self._subject_only_before(seg) or _opens_sentence(content)))
            ):
                continue  # `After finishing the "productive meeting ...," Stoltenberg said`: a phrase
            attribution = after or before
            prev = groups[-1] if groups else None
            continues = prev is not None and (
                (prev[-1].paragraph == seg.paragraph and self._between_is_attribution_only(prev[-1], seg))
                or (not prev[-1].closed and seg.paragraph == prev[-1].paragraph + 1)
            )
            if attribution is None and prev is not None and continues:
                prev.append(seg)  # "X," he said. "Y."  /  a quote running into the next paragraph
                continue
            if (
                attribution is not None
                and prev is not None
                and continues
                and not prev[-1].closed
                and (attributions[-1][2] is None or attribution[0].lower() in ("he", "she", "they", ""))
            ):
                # one quotation left open runs into this one (`"A. "B," he said.`): the run is one quote
                run = len(prev) - 1
                while run > 0 and not prev[run - 1].closed:
                    run -= 1
                if run == 0:
                    prev.append(seg)  # the run opened the group: it keeps the group's own attribution
                    if attributions[-1][2] is None:
                        attributions[-1] = attribution
                    continue
                if attributions[-1][2] is not None:
                    # `"A," he said. "B. "C," he said.`: B opens the quote C's attribution closes
                    groups.append([*prev[run:], seg])
                    del prev[run:]
                    attributions.append(attribution)
                    continue
            if attribution is not None and prev is not None and continues and attributions[-1][2] is None:
                # the previous piece had no attribution of its own: this one gives it for both
                prev.append(seg)
                attributions[-1] = attribution
                continue
            if before is None and after is None and self._inside_reported(seg):
                continue  # a phrase quoted inside a reported clause belongs to that clause
            groups.append([seg])
            attributions.append(attribution or ("", "", None))
        for group, (mention, cue, span) in zip(groups, attributions, strict=True):
            out.append((group[0].open_start, self._direct_maker(group, mention, cue, span)))
        return out

    def _direct_maker(self, group: list[_Segment], mention: str, cue: str, span: tuple[int, int] | None):
        def make() -> Quote | None:
            spans = tuple(_trim(self.text, s.start, s.end) for s in group)
            spans = tuple(s for s in spans if s[1] > s[0])
            if not spans:
                return None
            if mention:
                speaker = self.resolver.resolve(mention, at=span[0] if span else group[0].start)
            else:
                speaker = self.resolver.continuing(at=group[0].start)
            if speaker is None:
                return None
            return _quote(spans, "direct", speaker, mention, cue, span)

        return make

    def _after(self, seg: _Segment) -> tuple[str, str, tuple[int, int]] | None:
        """An attribution right after the closing mark: `, he said.` / `, said Mr X.` / ` Mr X told the BBC.`"""
        if not seg.closed:
            return None
        end = self._sentence_end(seg.close_end)
        tail = self.outside[seg.close_end : end]
        sentence = tail
        nul = tail.find("\x00")
        if nul >= 0:
            tail = tail[:nul]
            if tail.rstrip().endswith(":") and _after_full_stop(self.text, seg.close_end):
                return None  # `... wise." The Foreign Secretary told the BBC: "`: it introduces the next quote
        return self._attribution_in(tail, seg.close_end, sentence)

    def _before(self, seg: _Segment) -> tuple[str, str, tuple[int, int]] | None:
        """An attribution leading into the opening mark: `He told MPs: "` / `Mr X said that "`."""
        start = self._sentence_start(seg.open_start)
        head = self.outside[start : seg.open_start]
        nul = head.rfind("\x00")
        if nul >= 0:
            head = head[nul + 1 :]
            start = seg.open_start - len(head)
        relative = re.search(rf"(?P<who>{_ANY_NAME}),\s+who\s+(?:also\s+)?{_CUE}\s*$", head)
        if relative and _looks_like_speaker(relative.group("who")):
            # `It is a view shared by Rooney, who believes "...`: the relative clause's antecedent
            who = relative.group("who")
            return who, relative.group("cue"), (start + relative.start("who"), start + len(head.rstrip()))
        if not re.search(r"(?:[:,]|\bthat|\b(?:said|says|added|told \w+|saying|adding))\s*$", head):
            return None
        match = None
        for m in re.finditer(rf"(?<![\w-]){_CUE}\b", head):
            match = m
        if match is None:
            according = _ACCORDING.search(head)
            if according:
                return according.group("who"), "according to", (start + according.start(), seg.open_start)
            verb = _VERB_THEN_COLON.search(head)
            who = _subject_before(head[: verb.start()]) if verb else None
            if verb and who and _looks_like_speaker(who) and who.lower() not in _PRONOUN_WORDS:
                # `However, Linford Christie countered: "...`: a verb no list holds, but the colon hands the
                # quote to its subject, not to the last speaker
                return who, verb.group("verb"), (start + head.find(who), start + len(head.rstrip()))
            return None
        cue = match.group("cue")
        quoted_as = _QUOTED_AS.search(head)
        if quoted_as and _looks_like_speaker(quoted_as.group("who")):  # `The daily quoted the envoy as saying, "`
            who = quoted_as.group("who")
            return who, cue, (start + quoted_as.start("who"), start + len(head.rstrip()))
        who = _subject_before(head[: match.start()])
        if _ING.match(cue) and not (who and _WITH_SUBJECT.search(head[: match.start()])):
            return "", cue, (start + match.start(), start + len(head.rstrip()))  # ", saying:" -> the clause's subject
        if not who:
            return None
        return who, cue, (start + head.find(who), start + len(head.rstrip()))

    def _attribution_in(self, tail: str, offset: int, sentence: str = "") -> tuple[str, str, tuple[int, int]] | None:
        """The attribution ``tail`` (the words after a closing mark) opens with; ``sentence`` is the rest of
        its sentence, quotations blanked, to tell `"..." X said on Monday.` from `"..." X said <a clause>.`"""
        m = _CUE_THEN_SPEAKER.match(tail)
        if m and m.group("cue") not in _LISTENER_CUES and _looks_like_speaker(_trim_postverbal(m.group("who"))):
            who = _trim_postverbal(m.group("who"))
            named = _NAME_IN_APPOSITION.match(tail[m.start("who") + len(who) :])
            if named and who[:1].islower():  # `said the harbour master, Ingrid Solberg.`
                who = tail[m.start("who") : m.start("who") + len(who) + named.end("name")]
            return who, m.group("cue"), (offset + m.start("cue"), offset + m.start("who") + len(who))
        m = _SPEAKER_THEN_CUE.match(tail)
        rest = (sentence or tail)[m.end() :] if m else ""
        if m and _after_full_stop(self.text, offset) and _clause_follows(rest, m.group("cue")):
            m = None  # `... about that." Henry explained why he paused ...`: a new sentence, not its attribution
        if m and _looks_like_speaker(m.group("who")):
            who = m.group("who").strip()
            reported = _reported_as(who)  # `"...," the newspaper quoted chief executive Geoff Dixon as saying.`
            if reported:
                at = offset + m.start("who") + who.rfind(reported)
                return reported, m.group("cue"), (at, offset + m.end("cue"))
            return who, m.group("cue"), (offset + m.start("who"), offset + m.end("cue"))
        # `policy," Glenn Maguire, chief economist at SocGen, told AFP.`, `"...," Andrei Illarionov - then ... - told`
        m = _NAME_APPOSITIVE_CUE.match(tail)
        if m and not _after_full_stop(self.text, offset):  # not after `... spin doctors."`
            return m.group("who"), m.group("cue"), (offset + m.start("who"), offset + m.end("cue"))
        m = _ROLE_NAME_APPOSITIVE_CUE.match(tail)  # `hypocrisy," the play's organiser, Sarah Mukasa, told the BBC`
        if m and not _after_full_stop(self.text, offset):
            return m.group("who"), m.group("cue"), (offset + m.start("role"), offset + m.end("cue"))
        m = re.match(r"^\s*[,.]?\s*according to (?P<who>[^,.;:!?]+)", tail)
        if m:
            return m.group("who").strip(), "according to", (offset + m.start(), offset + m.end())
        return None

    def _mid_sentence(self, seg: _Segment) -> bool:
        """Does the quotation open inside a sentence, after words that don't introduce speech?"""
        start = self._sentence_start(seg.open_start)
        head = self.outside[start : seg.open_start]
        nul = head.rfind("\x00")
        head = head[nul + 1 :] if nul >= 0 else head
        return bool(head.strip()) and not re.search(r"(?:[:,.;!?]|\bthat|\bas|\bsaying|\badding)\s*$", head)

    def _subject_only_before(self, seg: _Segment) -> bool:
        """`We "made evaluations ...," X tweeted`: only the speaker's own pronoun opens the sentence."""
        head = self.outside[self._sentence_start(seg.open_start) : seg.open_start]
        return head.strip().lower() in ("we", "i", "they", "he", "she", "it", "you")

    def _between_is_attribution_only(self, a: _Segment, b: _Segment) -> bool:
        between = self.text[a.close_end : b.open_start]
        if len(between.split()) > 20 or "\n" in between:
            return False
        if not re.search(r"\w", between):
            return True
        if between.rstrip().endswith(":") and _after_full_stop(self.text, a.close_end):
            return False  # `"A." X agreed: "B."`: the attribution introduces B only
        # `"X," he said on Monday. "Y"` continues; `"X." The NATO chief said they also discussed Syria. "Y"`
        # is a reported statement of its own between two quotes
        attribution = self._attribution_in(between, a.close_end)
        if attribution is None or attribution[2] is None:
            return False
        rest = self.outside[attribution[2][1] : b.open_start]
        if attribution[1] in _LISTENER_CUES:  # `told BBC Radio 4's Today programme.`
            listener = _TOLD_OBJECT.match(rest)
            rest = rest[listener.end() :] if listener else rest
        if rest.lstrip().startswith(",") and not re.search(rf"\b{_CUE}\b", rest):
            return True  # `said Nick Bubb, an analyst at Evolution Securities.`
        return len(rest.split()) <= 4

    def _inside_reported(self, seg: _Segment) -> bool:
        start = self._sentence_start(seg.open_start)
        head = self.outside[start : seg.open_start]
        return bool(re.search(rf"\b{_CUE}\b", head)) and not head.rstrip().endswith((":", ","))

    def _sentence_start(self, pos: int) -> int:
        for s, e in self.sentences:
            if s <= pos < e or (pos == e):
                return s
        return self.text.rfind("\n", 0, pos) + 1

    def _sentence_end(self, pos: int) -> int:
        for s, e in self.sentences:
            if s <= pos < e:
                return e
        nl = self.text.find("\n", pos)
        return len(self.text) if nl < 0 else nl

    # --- reported speech ---------------------------------------------------------------------
    def _reported(self, direct: list[tuple[int, object]]) -> list[tuple[int, object]]:
        out: list[tuple[int, object]] = []
        for s, e in self.sentences:
            if s == 0 and self.headline and not re.search(r"[.!?\"”]\s*$", self.text[s:e]):
                continue  # the headline: a summary of the article, not a statement in it
            sent = self.outside[s:e]
            if not sent.strip():
                continue
            if _mostly_quote(sent) and not _CLAUSE_INTO_QUOTE.match(sent) and not _REPORTED_INTO_QUOTE.match(sent):
                out.extend(self._adding_after_quote(sent, s))
                continue
            for position, maker in self._reported_in(sent, s):
                out.append((position, maker))
        return out

    def _known_subject(self, who: str) -> bool:
        """Is a sentence's subject someone who can speak: a pronoun, a name of two words or more
        ("Hazel Blears", "the Fed"), or a single word the article names elsewhere ("Oxfam"), not a
        capitalised opener ("Oil [fears ...]", "Realising")?"""
        words = who.split()
        prefixed = re.match(r"(?:Ex|Anti|Non|Pro)-", words[0]) and not _ENDS_IN_NAME.search(who)
        if words[0] in _ADVERBS or words[0].endswith("ing") or prefixed:
            return False  # "Anti-war protesters", not "Ex-chatshow host Robert Kilroy-Silk"
        if len(words) > 1 or who.lower() in ("he", "she", "they"):
            return True
        key = who.lower()
        return any(name.lower() == key for _, name in self.resolver.organisations) or any(
            p.key == key for p in self.resolver.people
        )

    def _adding_after_quote(self, sent: str, offset: int) -> list[tuple[int, object]]:
        """`"...," Cavusoglu said, adding this was one of the issues ...`: the quote's speaker goes on in
        reported speech after its attribution."""
        m = _ADDING.search(sent, sent.rfind("\x00") + 1)
        if m is None or len(sent[m.end() :].split()) < 3:
            return []
        attribution = (offset + m.start("cue"), offset + m.end("cue"))
        return [
            (
                offset + m.start("cue"),
                self._reported_maker("", m.group("cue"), attribution, (offset + m.end(), offset + len(sent))),
            )
        ]

    def _reported_in(self, sent: str, offset: int) -> list[tuple[int, object]]:
        """Reported statements in one sentence (quotations blanked): one per cue that governs a clause,
        a coordinated cue (`..., adding that ...`, `... and called on ...`) starting the next one."""
        m = _ACCORDING.search(sent)
        if m:
            who = _trim_postverbal(m.group("who"))
            if sent[: m.start()].strip() == "":
                clause = (offset + m.end(), offset + len(sent))
            else:
                clause = (offset, offset + m.start())
            attribution = (offset + m.start(), offset + m.start("who") + len(who))
            return [(offset, self._reported_maker(who, "according to", attribution, clause))]
        found: list[list] = []  # [who, cue, attribution, clause_start, clause_end]
        relative_end = -1  # where a statement in a relative clause (`Jones, who says she is innocent, ...`) ends
        final = self._final_attribution(sent, offset)
        if final is not None:
            return final
        for m in re.finditer(rf"(?<![\w-]){_CUE}\b", sent):
            before = sent[: m.start()].split()
            named_subject = len(before) > 1 and before[-1][:1].isupper()  # `the ADB fears are ...`: its verb
            if _PLURAL_NOUN_CUE.match(sent, m.start()) and not named_subject:
                continue  # `Some 95% of insurance claims were for ...`, `If press reports are to be believed`: a noun
            cue = m.group("cue")
            adjunct_at = -1  # a participle cue after a comma (`..., saying`): its subject opens the sentence
            head, tail = sent[: m.start()], sent[m.end() :]
            lead_in = tail.split("\x00")[0]
            if (
                tail.lstrip(" ,").startswith(("\x00", ":"))
                and not tail.lstrip(" ,:\x00")[:1].isalpha()
                and (tail.strip(" ,:\x00.").strip() == "" or tail.lstrip().startswith(":"))
            ) or ("\x00" in tail and lead_in.rstrip().endswith(":") and len(lead_in.split()) <= 6):
                # introduces a direct quote (`said of the Tory leader: "`), handled there; a clause reported
                # before it ends where it begins (`X said he ... but argued: "`, `..., saying: "`)
                if found:
                    between = sent[found[-1][3] - offset : m.start()]
                    cut = _COORDINATION.search(between)
                    if cut:
                        found[-1][4] = found[-1][3] + cut.start()
                continue
            if found:
                prev = found[-1]
                between = sent[prev[3] - offset : m.start()]
                pronoun = None if _ING.match(cue) else _AND_PRONOUN.search(between)
                if pronoun or re.search(
                    r"(?:,\s*(?:and\s+|but\s+)?|\s(?:and|but)\s+)(?:also\s+|then\s+|later\s+)?$", between
                ):
                    # "X said A, adding that B" / "... and called on Y to B" / "X said A and he said B": the same
                    # speaker's next statement
                    cut = pronoun or re.search(
                        r"\s*(?:,\s*(?:and|but)?|\s(?:and|but))\s*(?:also\s+|then\s+|later\s+)?$", between
                    )
                    prev[4] = prev[3] + (cut.start() if cut else len(between))
                    start = self._clause_start(sent, m, cue)
                    if start is not None:
                        at = prev[3] + pronoun.start("who") if pronoun else offset + m.start()
                        found.append([prev[0], cue, (at, offset + m.end()), offset + start, offset + len(sent)])
                    continue
                contrast = _CONTRAST.search(between)
                if (
                    contrast
                    and contrast.group("who")[:1].isupper()
                    and not _ING.match(cue)
                    and _looks_like_speaker(contrast.group("who"))
                ):
                    # `X said A, whereas Cavusoglu urged B`: a second speaker's statement ends the first
                    start = self._clause_start(sent, m, cue)
                    if start is not None:
                        prev[4] = prev[3] + contrast.start()
                        who_at = offset + prev[3] - offset + contrast.start("who")
                        found.append(
                            [contrast.group("who"), cue, (who_at, offset + m.end()), offset + start, offset + len(sent)]
                        )
                if not 0 <= relative_end <= offset + m.start():
                    continue  # otherwise a cue nested inside the reported clause
            relative = _RELATIVE_CUE.search(head)
            if relative and not found and not re.match(r"\s*(?:not\s+)?to\s", tail):  # not `who asked not to be named`
                # `Jones, who says she is innocent, could lose ...`: the statement ends with the relative clause
                who = _subject_before(head[: relative.start() + 1])
                start = self._clause_start(sent, m, cue) if who else None
                close = sent.find(",", start) if start is not None else -1
                if (
                    who
                    and close > 0
                    and len(self.text[offset + start : offset + close].split()) >= 3
                    and not _NOUN_PHRASE_ONLY.match(sent[start:close])
                ):
                    attribution = (offset + head.rfind(who), offset + m.end())
                    found.append([who, cue, attribution, offset + start, offset + close])
                    relative_end = offset + close
                continue
            inverted = _INVERTED_NO_COMMA.match(tail) if cue in _INVERTING_CUES else None
            if inverted and len(head.replace("\x00", " ").split()) >= 4 and "\x00" not in head[-3:]:
                # `... hold on to bandwidth-hungry gamers said Lindsay Schroth, an analyst with ...`: the comma
                # before an inverted attribution left out; a name and its appositive end the sentence
                who = inverted.group("who").removesuffix(".")  # `says Mr Dean.`
                attribution = (offset + m.start(), offset + m.end() + inverted.start("who") + len(who))
                found.append([who, cue, attribution, offset, offset + len(head.rstrip(" ,;"))])
                break
            if (re.search(r"[,;]\s*$", head) or self._comma_closes_quote(head, offset)) and (
                head.strip() and not _set_off_subject(head)
            ):
                after = _CUE_THEN_SPEAKER.match(sent[m.start() :])
                if (
                    after
                    and cue not in _LISTENER_CUES
                    and not _ING.match(cue)  # `..., explaining Syria's alleged involvement`: what, not who
                    and _looks_like_speaker(_trim_postverbal(after.group("who")))
                ):
                    who = _trim_postverbal(after.group("who"))
                    attribution = (offset + m.start(), offset + m.start() + after.start("who") + len(who))
                    found.append([who, cue, attribution, offset, offset + len(head.rstrip(" ,;"))])
                    rest = _PARENTHETICAL_REST.match(sent, m.start() + after.end("who"))
                    if rest and after.group(0).rstrip().endswith(",") and not _appositive(rest.group("rest")):
                        found[-1].append((offset + rest.start("rest"), offset + len(sent)))
                    elif rest and after.group(0).rstrip().endswith(","):
                        # `What this means, said X, senior vice president of Y, is that ...`: past the
                        # speaker's appositive, the clause's verb goes on
                        appositive_end = sent.find(",", rest.start("rest"))
                        verb = _PREDICATE_REST.match(sent, appositive_end + 1) if appositive_end > 0 else None
                        if verb:
                            found[-1].append((offset + verb.start("rest"), offset + len(sent)))
                    break
                if not _set_off_subject(head):
                    if not _ING.match(cue) or _PASSIVE_BY.search(head):
                        continue  # "CLAUSE, X said" did not parse, and no "X, the firm's chief, said" either
                    # `X criticised Y for ..., saying it was time ...`: the sentence subject's, read below, when it
                    # opens the sentence (not `The guitarist with US rock band Korn has quit, saying`: "US")
                    adjunct_at = head.find(",")
            before_comma = head.rfind(",")
            rest = _PARENTHETICAL_REST.match(tail)
            rest = None if rest is None or _appositive(rest.group("rest")) else rest
            if before_comma >= 0 and rest and head[:before_comma].strip() and not found:
                who = head[before_comma + 1 :].strip()  # "A, they said, but B": one statement around its attribution
                if _looks_like_speaker(who) and len(head[:before_comma].split()) >= 3:
                    start = offset + before_comma + 1 + head[before_comma + 1 :].find(who)
                    clause = (offset, offset + before_comma)
                    found.append(
                        [
                            who,
                            cue,
                            (start, offset + m.end()),
                            *clause,
                            (offset + m.end() + rest.start("rest"), offset + len(sent)),
                        ]
                    )
                    break
            if _TIME_TAIL.fullmatch(tail) and not found:
                role_name = _ROLE_NAME_TAIL.search(head)
                if role_name and len(head[: role_name.start()].replace("\x00", " ").split()) >= 3:
                    # `The woman waited two years to sue, her lawyer, Perry Wander, said.`
                    who = role_name.group("who")
                    start = offset + role_name.start("role")
                    found.append([who, cue, (start, offset + m.end()), offset, offset + role_name.start()])
                    break
                quoted = _QUOTE_THEN_SUBJECT.search(head)
                if quoted and _looks_like_speaker(quoted.group("who")):
                    # `Disney and ABC "failed to provide a safe place for my client," he said.`: the comma in the quote
                    who = quoted.group("who")
                    lead = head[: quoted.start("quote")]
                    if self._clause_runs_into_quote(
                        lead, offset + quoted.start("quote"), offset + quoted.end("quote")
                    ) and not re.search(rf"\b{_CUE}\b", lead):  # a cue before it: the quote is that clause's
                        start = offset + quoted.start("who")
                        found.append([who, cue, (start, offset + m.end()), offset, offset + quoted.end("quote")])
                        break
            if before_comma >= 0 and _TIME_TAIL.fullmatch(tail) and head[:before_comma].strip():
                who = head[before_comma + 1 :].strip()
                if _looks_like_speaker(who) or who.lower() == "it":  # "CLAUSE, X said.", "CLAUSE, it said."
                    start = offset + before_comma + 1 + head[before_comma + 1 :].find(who)
                    found.append([who, cue, (start, offset + m.end()), offset, offset + before_comma])
                    break
                continue
            if _NOT_SAYING.search(head):
                continue  # `declined to say what ...`: nothing said
            if (_ING.match(cue) and not _WITH_SUBJECT.search(head)) or re.search(
                r"\b(?:and|but)\s+(?:also\s+)?$", head
            ):
                # `Blears defended the move saying ...`, `Dementieva is angry and says that ...`: the sentence's subject
                who = _sentence_subject(head)
                for comma in re.finditer(r",\s+", head) if who is None else ():
                    # `In a statement released through her lawyer, Jones repeated ... and vowed ...`: past an opener
                    who = _sentence_subject(head[comma.end() :])
                    if who:
                        break
                who = who if who and self._known_subject(who) else None
                reported = _reported_as(head.rstrip())
                if reported and _looks_like_speaker(reported):
                    # `Geoff Dixon was quoted by The Australian as saying ...`, `it quoted Mr Dixon as saying ...`
                    start = self._clause_start(sent, m, cue)
                    if start is not None:
                        attribution = (offset + head.rfind(reported), offset + m.end())
                        found.append([reported, cue, attribution, offset + start, offset + len(sent)])
                    continue
                if (
                    who
                    and adjunct_at >= 0
                    and (
                        not re.match(rf"\W*(?:(?:But|And|However|Meanwhile),?\s+)?{re.escape(who)}\b", head)
                        or _NOUN_WITH_PHRASE.match(who)  # `The guitarist with US [rock band Korn]`: cut short
                    )
                ):
                    who = None
                if (
                    _ING.match(cue)
                    and not re.match(r"\s*(?:that|he|she|it|they|there|we|i)\b", tail, re.IGNORECASE)
                    and not (cue in _CLAUSE_ING and _FINITE_CLAUSE.match(tail))
                ):
                    who = None  # `..., adding Jackie Stallone to the house`, `claiming a 400m victory`: no clause
                start = self._clause_start(sent, m, cue) if who else None
                if who and start is not None:
                    attribution = (offset + head.find(who), offset + m.end())
                    found.append([who, cue, attribution, offset + start, offset + len(sent)])
                continue
            if head.lstrip().startswith("\x00") and _PREPOSITION.match(tail):
                continue  # `"...," Stoltenberg said at a press conference`: the cue attributes the quotation
            who = _subject_before(head)
            if not who or (who.lower() == "it" and re.match(r"(?:is|was)\b", m.group(0))):
                continue  # `It is said ...`: nobody says it
            start = self._clause_start(sent, m, cue)
            if start is None:
                continue
            found.append([who, cue, (offset + head.rfind(who), offset + m.end()), offset + start, offset + len(sent)])
        return [(f[2][0], self._reported_maker(f[0], f[1], f[2], (f[3], f[4]), *f[5:])) for f in found]

    def _comma_closes_quote(self, head: str, offset: int) -> bool:
        """Does ``head`` (a sentence up to its cue) end with a quotation that goes on with the
        reporter's clause and closes on its comma: `Filing for bankruptcy was "a last resort to
        preserve the rights of our shareholders," said Steven Theede.`? The comma before the
        inverted attribution is inside the marks (blanked in ``outside``), as in `"...", said X`
        it is outside them."""
        quoted = re.search(r"\x00+(?=\s*$)", head)
        return quoted is not None and self._clause_runs_into_quote(
            head[: quoted.start()], offset + quoted.start(), offset + quoted.end()
        )

    def _clause_runs_into_quote(self, lead: str, open_at: int, close_at: int) -> bool:
        """Does the quotation at ``open_at:close_at`` (its marks included) go on with the reporter's
        clause ``lead`` opened (a capitalised sentence of two words or more, with no colon or sentence
        end), opening in lower case and closing on a comma: `Disney and ABC "failed to provide a safe
        place for my client," he said.`? Not a quotation opening its sentence: that is a direct quote."""
        return (
            len(lead.split()) >= 2
            and lead.lstrip()[:1].isupper()
            and self.text[open_at + 1 : open_at + 2].islower()
            and self.text[close_at - 2] in ",;"
            and not re.search(r":|[.!?]\s", lead)
        )

    def _final_attribution(self, sent: str, offset: int) -> list[tuple[int, object]] | None:
        """`The barrister had said the rules were unfair, said Mr Clarke.`: an attribution closing the
        sentence reports all of it, cues inside included."""
        m = _FINAL_CUE_SPEAKER.search(sent)
        if m is not None and m.group("cue") not in _INVERTING_CUES:
            m = None  # `..., called for a new inquiry.`: the cue's object, no speaker
        m = m or _FINAL_SPEAKER_CUE.search(sent)
        if m is None or m.group("cue") in _LISTENER_CUES or m.group("cue") in ("reported", "reports"):
            return None  # `X said that ..., Anadolu Agency reported.`: the agency relays X's statement
        head = sent[: m.start()]
        if not re.search(rf"\b{_CUE}\b", head) or len(head.replace("\x00", " ").split()) < 4:
            return None  # one cue only: the usual reading does it; or a direct quote's attribution
        who = _trim_postverbal(m.group("who"))
        if not _looks_like_speaker(who) or not (who[:1].isupper() or who.split()[0].lower() in _DETERMINERS):
            return None
        start = offset + m.start("who")
        attribution = (min(start, offset + m.start("cue")), max(start + len(who), offset + m.end("cue")))
        return [(offset, self._reported_maker(who, m.group("cue"), attribution, (offset, offset + m.start())))]

    def _clause_start(self, sent: str, m: re.Match[str], cue: str) -> int | None:
        """Where the clause a cue governs begins: past a listener (`told MPs`), a time (`on Oct. 5`), `that`."""
        tail = sent[m.end() :]
        skipped = 0
        if cue in _LISTENER_CUES:
            obj = _TOLD_OBJECT.match(tail)
            if obj:
                skipped = obj.end()
        listener_end = skipped
        words = list(re.finditer(r"\S+", tail[skipped:]))
        has_that = False
        for i, w in enumerate(words[:7]):
            if w.group(0).lower() == "that":
                # `told MPs that`, `told his party that`: a listener before the clause
                listener = cue in _LISTENER_CUES and i <= 4 and words[0].group(0).lower() in _POSSESSIVES
                if listener or all(_lead_word(x.group(0)) for x in words[:i]):
                    skipped += w.end() + 1
                    has_that = True
                break
        else:
            lead = _CLAUSE_LEAD.match(tail[skipped:])
            skipped += lead.end() if lead else 0
        if (
            cue in _OBJECT_CUES
            and not has_that
            and not _PRONOUN_CLAUSE.match(tail, skipped)
            and not _SUBJECT_CLAUSE.match(tail, listener_end)
        ):
            return None  # `Brown criticised a union leader who ...`: an act on someone, not words reported
        if re.match(r"\s*by\s", tail) or (cue.startswith(("repl", "respond")) and re.match(r"\s*with\s", tail)):
            return None  # `responded by using his shareholding`, `almost replied with a try`: an act, not words
        if cue not in _LISTENER_CUES and not cue.startswith("call") and _INFINITIVE.match(tail):
            return None  # `The unit is expected to make a loss`, `is reported to have won`: nothing said
        start = m.end() + skipped
        if len(sent[start:].split()) < 3 or "\x00" in sent[start : start + 2]:
            return None
        return start

    def _reported_maker(
        self, who: str, cue: str, attribution: tuple[int, int], clause: tuple[int, int], rest: tuple[int, int] = ()
    ):
        """``rest``: the clause's second part after a parenthetical attribution (`A, said X, B`)."""

        def make() -> Quote | None:
            span = _trim(self.text, *clause)
            spans = (span, _trim(self.text, *rest)) if rest else (span,)
            words = sum(len(self.text[s:e].split()) for s, e in spans)
            if span[1] - span[0] < 8 or words < 3:
                return None
            speaker = (
                self.resolver.resolve(who, at=attribution[0])
                if who
                else self.resolver.continuing(at=attribution[0], subject=True)
            )
            if speaker is None and rest and who.lower() == "they":
                speaker = Speaker(who, "unnamed")  # `A, they said, but B`: a statement, whoever "they" are
            if speaker is None:
                return None
            return _quote(spans, "reported", speaker, who, cue, attribution)

        return make


# a relative clause opening right before its cue: `Jones, who says ...`, `Mr Barber, who has said ...`
_RELATIVE_CUE = re.compile(r"[\w'’.)],\s+who\s+(?:also\s+)?$")
# what a relative clause's cue governs when it is a thing, not words: `Tim Henman, who announced his Davis Cup
# retirement earlier this year, believes ...` (a determiner, and no verb nor quotation after it)
_NOUN_PHRASE_ONLY = re.compile(
    r"\s*(?:his|her|their|its|the|a|an)\s(?![^\x00]*(?:\b(?:is|was|are|were|has|had|have|will|would|could|should|can"
    r"|may|might|must|did|does|do|\w+ed)\b|[\"“”]))[^\x00]*$",
    re.IGNORECASE,
)
# a clause with a pronoun subject and its auxiliary: `vowed she would be cleared`, `accepted they had erred`
_PRONOUN_CLAUSE = re.compile(
    r"\s*(?:he|she|they|it|we|I)\s+(?:would|will|had|has|have|was|is|were|are|could|should|must|can|did)\b"
)
# the same with a noun's subject: `Laporte accepted his side had not played well`, `Megson conceded his team did
# not deserve anything` (not `conceded a penalty and was sent off`, `accepted the offer, which was ...`)
_SUBJECT_CLAUSE = re.compile(
    r"\s*(?:(?:the|a|an|his|her|its|their|our|my)\s+)?(?:(?!(?:and|but|or|nor|which|who|whom|whose|that|to|what|whatever"
    r"|how|why|where|when|while|as|after|before|because|since|if|unless|although|though|whereas|until|on|in|at|for"
    r"|with|by|from|over|about|into|against|under|between)\b)[\w'’-]+\s+){1,4}?"
    r"(?:is|was|are|were|has|had|have|will|would|could|should|can|may|might|must|did|does|do)\b"
)

# `..., with finance minister Herve Gaymard telling parliament: "`: the -ing cue has a subject of its own
_WITH_SUBJECT = re.compile(r"\bwith\s+(?:(?:the|a|an|his|her|its|their)\s+)?(?:[\w'’.-]+\s+){0,5}$")

# "to" and a verb after a cue: `expected to make`, `reported to have won` (not `wrote to all three parties`)
_INFINITIVE = re.compile(
    r"\s*to\s+(?!(?:the|a|an|all|his|her|their|its|our|my|your|this|that|these|those|some|every|each|both|him|them"
    r"|us|me|it|one|two|three|several|many|other|others|parliament|reporters|journalists)\b)[a-z]+\b"
)

# `..., her lawyer, Perry Wander, [said].`: a role and a name set off before a closing cue
_ROLE_NAME_TAIL = re.compile(
    r",\s*(?P<role>(?:his|her|its|their|the|a|an)\s[^,;:\x00]{2,60}),\s+"
    r"(?P<who>(?:(?:Mr|Mrs|Ms|Dr|Sir|Lord|Lady)\.?\s)?[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){1,3}),\s*$"
)
# a quotation (blanked) ending a clause, then its speaker: `Disney and ABC "failed ... client," he [said]`
_QUOTE_THEN_SUBJECT = re.compile(
    r"(?P<quote>\x00+)\s+(?P<who>[Hh]e|[Ss]he|[Tt]hey|[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){0,3})\s+$"
)
# a sentence whose words open outside a quotation that ends it, before a closing cue: `Disney and ABC "..." he said.`
# a reported clause whose words run into a partial quote: `He said his Budget struck a balance "between
# ..."`, `The Green Party said the Budget was a "wasted opportunity" ..., adding: "..."`; the cue is
# followed by at least three words of the clause before the quotation opens
_REPORTED_INTO_QUOTE = re.compile(rf"^[^\x00]{{0,80}}?\b{_CUE}\b(?:\s+that)?\s+(?:[^\x00\s:]+\s+){{3,}}[^\x00:]*\x00")
_CLAUSE_INTO_QUOTE = re.compile(r"^\s*[^\x00\s]+\s+[^\x00\s]+\s+[^\x00]*\x00+\s+[^\x00]{2,40}$")
# `said [analyst] Lindsay Schroth[, an analyst with ...].` closing a sentence: the name, then nothing or an appositive
_INVERTED_NO_COMMA = re.compile(
    r"\s+(?P<who>(?:(?!(?:in|on|at|of|for|to|by|with|from|its|his|her|their|the|a|an)\s)[a-z][\w-]*\s+){0,3}?"
    r"(?:(?:Mr|Mrs|Ms|Dr|Sir|Lord|Lady)\.?\s)?[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){1,3})"
    r"(?:\s*,\s*(?:an?|the|who|whose)\b[^\x00]*?)?\s*[.!?]?\s*$"
)
# cues that are inverted after the statement they report (`..., said X`): not `told X`, `blamed X`
_INVERTING_CUES = set(
    """said says added adds warned warns argued argues explained insisted insists claimed claims wrote writes stated
    noted notes admitted conceded replied responded continued concluded declared stressed maintained observed
    remarked""".split()
)

# a short time or place after a closing cue: `..., Stoltenberg said on Oct. 5.`
_TIME_TAIL = re.compile(
    r"\s*(?:(?:on|in|at|last|this|earlier|late|during)\s[^,;:!?\x00]{0,25}?|yesterday|today)?\s*[.!?]?[\s\x00]*"
)
_FINAL_CUE_SPEAKER = re.compile(rf",\s*(?P<cue>{_CUES})\s+(?P<who>[^,.;:!?\x00]+?)\s*[.!?]?\s*$")
_FINAL_SPEAKER_CUE = re.compile(
    rf",\s*(?P<who>[^,;:!?\x00]+?)\s+(?:has |had |also )?(?P<cue>{_CUES})"
    r"(?:\s+(?:on|in|at|last|this|earlier)\s[^,;:!?\x00]{0,25}?|\s+(?:yesterday|today))?\s*[.!?]?\s*$"
)

# what follows a parenthetical attribution: `The comments, said X, were "too weak"` / `A, they said, but B`
# (not an appositive after the speaker, `said X, deputy head of ...`, nor a cue of its own, `, adding that`)
_PARENTHETICAL_REST = re.compile(
    r"\s*,\s*(?P<rest>(?:\x00+|(?!(?:the|a|an|his|her|its|their|who|which|whose|deputy|chief|head|former)\b)"
    r"[a-z][\w'’-]*(?<!ing))(?:\s+\S+){1,}\s*[.!?]?\s*)$"
)

# the verb of a clause a parenthetical attribution and its appositive parted from its subject: `is that ...`
_PREDICATE_REST = re.compile(
    r"\s*(?P<rest>(?:is|was|are|were|has|have|had|will|would|could|should|may|might|must|can)\s+[^\x00]+?)\s*$"
)

# a second subject after a contrast, right before its own cue: `..., whereas Cavusoglu [urged]`
_CONTRAST = re.compile(r",\s*(?:whereas|while|but)\s+(?P<who>[^\W\d_][^,;:\x00]{1,60}?)\s*$")

# a cue that is also a plural noun, a verb right after it: the noun (`insurance claims were`, `press reports are`)
_PLURAL_NOUN_CUE = re.compile(
    r"(?:claims|reports|estimates|forecasts|notes|hopes|fears|questions|promises|pledges)\s+"
    r"(?:were|are|have|had|will|would|could|may|might|suggest|say|show)\b"
)

# what joins a second cue to the first one's clause: `X said A, and added ...`, `... but argued: "`
_COORDINATION = re.compile(r"\s*(?:,\s*(?:and|but)?|\s(?:and|but))\s*(?:also\s+|then\s+|later\s+)?$")

# cues that take an object unless a "that" clause follows: `X criticised Y` reports no statement
_OBJECT_CUES = {
    "criticised",
    "criticized",
    "criticises",
    "condemned",
    "condemns",
    "blamed",
    "blames",
    "accepted",
    "accepts",
    "apologised",
    "apologized",
    "agreed",
    "agrees",
    "acknowledged",
    "acknowledges",
    "defended",
    "defends",
    "continued",
    "maintained",
    "maintains",
    "vowed",
    "vows",
    "pledged",
    "pledges",
}
# `declined to say`, `is expected to announce`: nothing said (but `prompted the minister to say` is)
_NOT_SAYING = re.compile(
    r"\b(?:declined|declines|refused|refuses|failed|fails|wanted|wants|want|unwilling|reluctant|able|unable|going"
    r"|expected|likely|due|set|plans|planned|hopes|hoped|would like|will|would|could|may|might|did not|does not"
    r"|didn't|doesn't|won't|cannot|can't)\s+(?:to\s+)?$"
)
_PREPOSITION = re.compile(r"\s*(?:at|in|on|during|after|before|with|to|from|for|by|while|when|as)\b")
# `... with a £6bn surplus and he said public borrowing would fall`: a second statement by the subject ("they"
# is as often the people the first was about: `urged councils to limit increases but they have warned`)
_AND_PRONOUN = re.compile(r"\s*,?\s+(?:and|but)\s+(?P<who>he|she)\s+(?:also\s+|then\s+|later\s+)?$")
# `Mars is being sued by his ex-girlfriend ..., claiming`: the participle is the agent's, not the subject's
_PASSIVE_BY = re.compile(r"\b(?:is|are|was|were|been|being)\s+(?:\w+\s+)?\w+(?:ed|en)\s+by\b")
_NOUN_WITH_PHRASE = re.compile(r"(?:The|A|An)\s+[a-z][\w-]*\s+(?:with|of|at|for|from|in|on)\s")
# the speaker of `... as saying` when someone else reports them: `The daily quoted the envoy as`, `Geoff Dixon was
# quoted by The Australian newspaper as`
_QUOTED_OBJECT = re.compile(_QUOTED_OBJECT_AS + "$")
_QUOTED_SUBJECT = re.compile(
    r"^\W*(?P<who>[^,;:\x00]+?)\s+(?:is|was|were|has been|had been)\s+(?:also\s+)?(?:quoted|cited)\b[^;:\x00]*\bas$"
)


def _reported_as(head: str) -> str | None:
    """Who speaks in a report of them (`quoted X as [saying]`, `X was quoted by Y as [saying]`), or None."""
    m = _QUOTED_OBJECT.search(head) or _QUOTED_SUBJECT.match(head)
    return m.group("who").strip() if m else None


# participles that report a clause whatever its subject (`rejected that idea saying intercept evidence is
# only a small part ...`), when a finite verb follows within a few words; "adding" or "claiming" as often
# take a thing (`adding Jackie Stallone to the house`, `claiming a 400m victory`)
_CLAUSE_ING = {"saying", "insisting", "arguing", "stressing", "stating", "warning"}
_FINITE_CLAUSE = re.compile(
    r"\s*(?:the\s+|a\s+|an\s+|his\s+|her\s+|its\s+|their\s+)?(?:[\w'’-]+\s+){0,4}?"
    r"(?:is|was|are|were|has|had|have|will|would|could|should|can|may|might|must|did|does|do)\b"
)
_POSSESSIVES = {"his", "her", "their", "its", "our", "my", "your"}
_LISTENER_CUES = {
    "told",
    "tells",
    "telling",
    "asked",
    "asks",
    "urged",
    "urges",
    "urging",
    "called on",
    "calls on",
    "calling on",
    "accused",
    "accuses",
    "accusing",
}
_LEAD_WORDS = set(
    """on in at last this earlier again also the a an week month year morning afternoon evening night statement
    interview letter speech recently yesterday today previously later briefly repeatedly publicly privately
    conference news press weekend""".split()
)


def _lead_word(word: str) -> bool:
    w = word.strip(",.")
    return w.lower() in _LEAD_WORDS or w[:1].isupper() or w[:1].isdigit()


def _opens_sentence(content: str) -> bool:
    """Does a quotation read as whole sentences of its own (`... a sympathetic ear in Brussels "The EU has
    reiterated that we support ...," said X`: a heading run into the paragraph, its full stop lost), not
    a phrase of the reporter's sentence (`the "productive meeting with ...," Stoltenberg said`)?"""
    words = content.split()
    return len(words) >= _SENTENCE_WORDS and words[0] in _SENTENCE_OPENING_WORDS


_SENTENCE_WORDS = 6
# words a sentence opens with and a name or a title seldom does
_SENTENCE_OPENING_WORDS = set("The We I It This There They He She You Our My Their That These Those".split())


def _after_full_stop(text: str, offset: int) -> bool:
    """Does the quotation closing at ``offset`` end its sentence (`... about that."`)?"""
    return bool(re.search(r"[.!?]\W*$", text[max(0, offset - 4) : offset]))


def _clause_follows(rest: str, cue: str) -> bool:
    """Does a clause of its own follow the cue (`explained why he paused ...`), beyond a listener
    or a time (`told the BBC.`, `said on Monday.`)?"""
    rest = rest.split(".")[0]
    if cue in _LISTENER_CUES:
        listener = _TOLD_OBJECT.match(rest)
        rest = rest[listener.end() :] if listener else rest
    return len(rest.split()) > 4


def _quote(spans, kind: str, speaker: Speaker, mention: str, cue: str, attribution) -> Quote:
    return Quote(spans, kind, speaker.name, speaker.kind, mention, cue, attribution, speaker.role)


def _segments(text: str) -> list[_Segment]:
    """Quotations, per paragraph. A mark opens or closes by what surrounds it (a straight mark after a
    space and before a word opens), so one missing closing mark (`"A. "B," he said.`) ends the
    open quotation where the next one opens instead of inverting every pair after it."""
    out: list[_Segment] = []
    pos = 0
    paragraph = -1
    for line in text.split("\n"):
        if line.strip():
            paragraph += 1  # blank lines between paragraphs don't part a quote running on into the next
        current: int | None = None  # offset in line just after the open mark
        for i, ch in enumerate(line):
            if ch not in OPENING and ch not in CLOSING and ch != '"':
                continue
            before = line[i - 1] if i else " "
            after = line[i + 1] if i + 1 < len(line) else " "
            if ch in OPENING:
                opens = True
            elif ch in CLOSING:
                opens = False
            else:
                opens = (before.isspace() or before in "([{—–-/\u00a0") and not after.isspace()
                if current is None and not opens and i == 0:
                    opens = True
            if opens:
                if current is not None:
                    out.append(_Segment(pos + current, pos + i, pos + current - 1, pos + i, False, paragraph))
                current = i + 1
            elif current is not None:
                out.append(_Segment(pos + current, pos + i, pos + current - 1, pos + i + 1, True, paragraph))
                current = None
        if current is not None:
            out.append(_Segment(pos + current, pos + len(line), pos + current - 1, pos + len(line), False, paragraph))
        pos += len(line) + 1
    return out


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop surrounding spaces, a trailing comma before a closing mark, and a reported clause's full stop."""
    while start < end and text[start] in " \t\x00\"“”'‘’":
        start += 1
    limit = end
    while end > start and text[end - 1] in ' \t,;:\x00"“”':
        end -= 1
    span = text[start:end]
    if span.count('"') % 2 or span.count("“") > span.count("”"):  # `policies "abhorrent"`: keep its closing mark
        close = next((i for i in range(end, limit) if text[i] in '"”'), None)
        end = end if close is None else close + 1
    return start, end


def _mostly_quote(sent: str) -> bool:
    return sent.count("\x00") > 0.6 * len(sent.strip())


_NP_STOP = set(
    """to by with from in on at for after before since that which who whom whose when while as because although
    though if so and but or than was were is are be been being has had have having did does do not no it its this
    these those there here what prompted led asked forced caused made let allowed despite amid against about over
    into through during without under among including""".split()
)
_TRAILING_ADVERBS = {
    "further",
    "also",
    "again",
    "then",
    "later",
    "once",
    "still",
    "earlier",
    "previously",
    "newly",
    "meanwhile",
    "however",
    "too",
    "though",
    "instead",
}
_DETERMINERS = {"the", "a", "an", "his", "her", "its", "their", "our", "one"}


# a subject set off by commas before its verb: `Mr Smith, the firm's chief executive, said` /
# `Mr Johnson, who was forced to apologise last year ..., said` / `Size, whose album won ..., said`
_SET_OFF_SUBJECT = re.compile(
    r"(?:^|[,;:]\s|\b(?:and|but|while)\s|^\W*(?:However|But|And|Meanwhile),\s)\s*"
    r"(?P<name>(?:(?:Mr|Mrs|Ms|Dr|Sir|Lord|Lady)\.?\s)?[A-Z][\w'’.-]+(?: [A-Z][\w'’.-]+){0,3}),\s+"
    r"(?P<app>(?:the |a |an |its |his |her )?[^,\x00]{2,130}|(?:who|whose)\b[^\x00]{2,200}?),\s*$"
)
# the same with the appositive's closing comma left out: a full name, then a role opening on its office
_UNCLOSED_ROLE = re.compile(
    r"(?:^|[,;:]\s|\b(?:and|but|while)\s|^\W*(?:However|But|And|Meanwhile),\s)\s*"
    r"(?P<name>(?:(?:Mr|Mrs|Ms|Dr|Sir|Lord|Lady)\.?\s)?[A-Z][\w'’.-]+(?: [A-Z][\w'’.-]+){1,3}),\s+"
    r"(?:the\s+)?(?P<office>[a-z][\w-]+)\s+(?:of|at|for|with|in)\s[^,;:\x00]{2,100}$"
)
# the same after an opening clause whose comma is left out: a lower-case word, then a person's full name
_SET_OFF_AFTER_CLAUSE = re.compile(
    r"\b[a-z]+\s+(?P<name>(?P<first>[A-Z][a-z]+)(?: [A-Z][\w'’.-]+){1,2}),\s+(?P<app>[a-z][^,\x00]{2,130}),\s*$"
)
SET_OFF_CHARS = 70  # an appositive may run longer only when it opens with a person's role: `Linda Knox, Director
# of the Scottish Local Authority Management Centre at Strathclyde University, said`


# the same with the subject's words before the first comma or dash, when no name opens the sentence:
# `Former Labour MP Lord Janner, who ..., said`, `Mr Johnson, MP for Henley-on-Thames, Oxfordshire, said`,
# `But Mr Herron - who ... - said`, `The director of public prosecutions, Ken Macdonald, says`
_SET_OFF_PHRASE = re.compile(
    r"^(?P<np>[^\x00\n]*?[\w'’)])\s*(?P<sep>,|\s[-–—])\s+"
    r"(?P<app>(?:who|whose|which)\b[^\n]{2,200}?|[^,\x00\n]{2,70}?(?:,\s+[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){0,2})?)"
    r"\s*(?:,|\s[-–—])\s*$"
)
_CLAUSE_OPENER = re.compile(r"(?:but|yet|so|and|or|although|though|because)\s")  # never opens an appositive
# the same between dashes, where a longer phrase fits (`Ginepri - six years older than ... - admitted`)
_DASHED_PHRASE = re.compile(r"^(?P<np>[^\x00\n]*?[\w'’)])\s+[-–—]\s+(?P<app>[^\x00\n]{2,160}?)\s+[-–—]\s*$")
# a role written before a name in apposition: `US playwright Eve Ensler`, `its chief executive Jo Bloggs`
_ROLE_THEN_NAME = re.compile(
    r"(?:(?:[A-Z][\w'’.-]*|[a-z][\w'’-]*)\s+){0,4}(?P<noun>[a-z][\w-]*)\s+"
    r"(?P<name>(?:(?:Mr|Mrs|Ms|Dr|Sir|Lord|Lady)\.?\s)?[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){1,3})"
)
_ANY_NAME = r"(?:(?:Mr|Mrs|Ms|Dr|Sir|Lord|Lady)\.?\s)?[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){0,3}"
_NAME_ONLY = re.compile(r"(?:(?:Mr|Mrs|Ms|Dr|Sir|Lord|Lady)\.?\s)?[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){1,3}")
# a name in apposition with where the person is from: `Ambassador Stefan Johannesson of Iceland`
_NAME_FROM_PLACE = re.compile(rf"(?P<name>{_NAME_ONLY.pattern})(?:\s+of\s+[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){{0,2}})?")


# a person described by a prepositional phrase: `a spokeswoman for the St David's Shopping Centre in Cardiff`
_PP_SUBJECT = re.compile(
    r"(?:^|[,;:]\s+|\b(?:and|but)\s+)(?P<np>(?:[Aa]n?|[Oo]ne|[Tt]he)\s+(?:[\w'’-]+\s+){0,3}?(?P<noun>[a-z][\w-]*)"
    r"\s+(?:for|of|at|from|with)\s+(?:(?:the\s+)?[A-Z][\w'’&.-]*(?:\s+(?:[A-Z][\w'’&.-]*|\([A-Z]+\)|of|for|and|the|in|on))*"
    r"|(?:the|its|their)\s+(?:" + "|".join(sorted(ORG_NOUNS)) + r")))\s*$"  # `A spokesman for the firm [said]`
)


# a name with the body the person speaks for after it, up to the cue (``person_of_body`` decides it is a person's):
# `Dr Erel Avineri, of the Centre for Transport at the University of the West of England in Bristol [said]`
_NAME_OF_BODY_END = re.compile(
    r"(?:^|(?<=[\s(]))(?P<np>(?:(?:Mr|Mrs|Ms|Dr|Sir|Lord|Lady|Professor|Prof)\.?\s+)?[A-Z][\w'’\-]+(?:\s+[A-Z][\w'’\-]+){0,2}"
    r",?\s+(?:from|of|at)\s+(?:the\s+)?[A-Z][\w'’&.\-]*(?:\s+(?:[A-Z][\w'’&.\-]*|of|for|and|the|at|in|\([A-Z]+\)))*)$"
)


# a sentence opening with a role and a phrase after it, up to the cue: the role is the subject
_OPENING_NP_WITH_PP = re.compile(
    r"^\s*(?:(?:But|And|However|Meanwhile),?\s+)?(?P<np>(?:The|A|An|One)\s+(?:[\w'’-]+\s+){0,3}?(?P<noun>[a-z][\w-]*))"
    r"\s+(?P<prep>at|of|in|from|for|with|on|behind)\s+(?P<rest>(?:[^\s,;:\x00]+\s+){0,9}[^\s,;:\x00]+)$"
)

_OPENING_NP_WITH_RELATIVE = re.compile(
    r"^\s*(?:(?:But|And|However|Meanwhile),?\s+)?(?P<np>(?:The|A|An|One)\s+(?:[\w'’-]+\s+){0,3}?(?P<noun>[a-z][\w-]*))"
    r"\s+who\s+(?:[^\s,;:\x00]+\s+){1,14}[^\s,;:\x00]+$"
)

_OF_GROUP = re.compile(r"(?:[A-Z][\w'’-]*|[a-z][\w-]*s)(?:\s+(?:and\s+)?(?:[A-Z][\w'’-]*|[a-z][\w-]*s))?\b")


def _modifiers_only(opening: re.Match[str]) -> bool:
    """Are the words between a phrase's determiner and its head noun modifiers: names, possessives, numbers or a
    single lower-case word ("A National Audit Office report", "A senior barrister"), not a verb's clause ("The
    figures echo similar research")?"""
    words = opening.group("np").split()[1:-1]
    lower = [w for w in words if w[:1].islower() and not w.endswith(("'s", "’s", "'"))]
    return len(lower) <= 1


def _body_with_qualifier(opening: re.Match[str]) -> str | None:
    """The speaker a body or a document opening the sentence gives, past what qualifies it: `A National Audit
    Office report on the 20 biggest projects [says]`, `The government in Cairo now [believes]`, `A group of MPs
    and peers [has called for]`. None when the qualifier names the speaker (`A survey of 280 schemes by Incomes
    Data Services [said]`, `A statement from the band's record company Universal [said]`) or the words are no
    such phrase."""
    noun, prep, rest = opening.group("noun"), opening.group("prep"), opening.group("rest")
    if not (noun in ORG_NOUNS or noun in DOCUMENT_NOUNS) or not _modifiers_only(opening):
        return None
    if noun in DOCUMENT_NOUNS and re.search(r"\b(?:by|from|in)\s(?:.*\s)?[A-Z]", f"{prep} {rest}"):
        return None  # the document's author or publisher is named: the words before the cue give them
    if prep == "of" and noun in ORG_NOUNS:
        group = _OF_GROUP.match(rest)  # "A group of MPs and peers", "A party of councillors"
        return f"{opening.group('np')} of {group.group(0)}" if group else None
    return opening.group("np")


def _appositive(words: str) -> bool:
    """Does a phrase open with a description of a person (`senior manager in Symantec's security group`)?"""
    return any(len(w) >= 6 and is_person_noun(w.lower().strip(",.")) for w in words.split()[:4])


def _set_off_subject(head: str) -> str | None:
    """The subject of a cue when an appositive or a relative clause parts it from the cue."""
    m = _SET_OFF_SUBJECT.search(head)
    if m and (len(m.group("app")) <= SET_OFF_CHARS or m.group("app").startswith("who") or _appositive(m.group("app"))):
        return m.group("name").strip()
    m = _SET_OFF_AFTER_CLAUSE.search(head)
    if m and first_name_gender(m.group("first")) and _appositive(m.group("app")):
        # `Speaking after the investigation was announced Bob Neill, leader of the London Assembly Conservatives,
        # said`: an opening clause, its comma left out, then the subject and its role
        return m.group("name")
    m = _DASHED_PHRASE.match(head.rstrip())
    if m and not m.group("app").startswith(("who", "whose", "which", "where", "when")):
        # a phrase between dashes: `Andrei Illarionov - then economic adviser to President Putin - told`,
        # `Deutsche Bank - itself a target of a Yukos lawsuit - said`: the subject before it
        np = m.group("np")
        who = _subject_before(np)
        if not _plausible_subject(who) and "," in np:
            who = _set_off_subject(np + ",")  # `Paul Myers, chief executive of Wippit - a ... service -`
        return who if _plausible_subject(who) else None
    m = _SET_OFF_PHRASE.match(head.rstrip())
    if m is None:
        return None
    np, app = m.group("np"), m.group("app").strip()
    opener = _CLAUSE_OPENER.match(app)
    if opener:
        # a clause after a conjunction is no appositive: its own subject, set off, or none (`... cutting the
        # unemployment system, but the real solution is ..., says Helmut Schneider`; `... criticised the
        # approach, and European Union ambassador to the WTO, Carlo Trojan, said`)
        return _set_off_subject(app[opener.end() :] + ",")
    role_np = re.search(r"\b[a-z][\w-]*$", np) or any(w.lower() in _ROLE_WORDS for w in np.split()[:4])
    named_from = _NAME_FROM_PLACE.fullmatch(app)
    if named_from and role_np and not app.startswith(("The ", "A ")):
        # `The director of public prosecutions, Ken Macdonald, says`, `The Shadow Secretary of State for
        # the Family, Theresa May, said`, `the chairman of the working party, Ambassador Stefan Johannesson
        # of Iceland, warned`
        return named_from.group("name")
    honoured = HONOURED_NAME.fullmatch(app)
    if honoured and role_np:
        return honoured.group("name")  # `The Bishop of Durham, the Rt Rev Dr Tom Wright, described`
    named = _ROLE_THEN_NAME.fullmatch(app)
    head_noun = re.search(r"\b[a-z][\w-]*$", np)
    if named and head_noun and is_person_noun(head_noun.group(0)) and is_person_noun(named.group("noun")):
        return named.group("name")  # `But the work's author, US playwright Eve Ensler, says`
    if m.group("sep") != "," and not app.startswith(("who", "whose", "which")):
        return None
    first = np.split(",")[0].strip()
    if "," in np and app.startswith(("who", "whose", "which")) and _NAME_ONLY.fullmatch(first):
        return first  # `Rory O'Neill, editor of Hazards magazine, which conducted the research, said`
    who = _subject_before(np)
    return who if _plausible_subject(who) else None


def _plausible_subject(who: str | None) -> bool:
    """A set-off subject is a name or a determined noun phrase ("the firm"), not a stray word."""
    return bool(who) and (who[:1].isupper() or who.split()[0].lower() in _DETERMINERS) and who not in _ADVERBS


_AUXILIARIES = {"had", "has", "have", "was", "were", "is", "are", "would", "will", "could", "should", "may", "might"}
_ADVERBS = {"However", "But", "And", "Meanwhile", "Yet", "So", "Still", "Also", "Now", "Instead", "Indeed", "Later"}


_ADDING = re.compile(r"[,;]\s*(?P<cue>adding|saying|insisting|arguing|warning)\b\s+(?:that\s+)?")
_SUBJECT_WORDS = {"of", "the", "and", "for"}


def _describes_next_name(words: list[str]) -> bool:
    """Are ``words`` lower-case nouns, then a full name ("host Robert Kilroy-Silk", "show host Robert
    Kilroy-Silk")? A verb would end in -ed, -s or -ing, and a name has two capitalised words."""
    k = 0
    while k < len(words) and words[k][:1].islower():
        if not words[k].isalpha() or words[k].endswith(("ed", "s", "ing")) or words[k] in _FUNCTION_WORDS:
            return False
        k += 1
    name = words[k : k + 2]
    return (
        0 < k <= 3
        and len(name) == 2
        and all(w[:1].isupper() and w[1:2].islower() for w in name)
        and not name[1].endswith(("'s", "’s", "'", "’"))  # "upheld Ms Villalba's claim": a possessor, no subject
    )


_VERB_THEN_COLON = re.compile(r"\s(?P<verb>[a-z]{3,}(?:ed|es))\s*:\s*$")
_PRONOUN_WORDS = {"he", "she", "they", "it", "we", "i", "you"}
_ENDS_IN_NAME = re.compile(r"\b[A-Z][a-z][\w'’-]*\s+[A-Z][a-z][\w'’-]*$")
_FUNCTION_WORDS = {"and", "or", "but", "the", "a", "an", "to", "of", "in", "on", "at", "for", "with", "by", "from"}


def _sentence_subject(head: str) -> str | None:
    """The subject opening a sentence, read up to its verb: the first lower-case word after a capitalised
    one that is no role ("Home Office minister Hazel Blears [defended]", "He [also defended]")."""
    words = list(re.finditer(r"\S+", head))
    for i in range(1, len(words)):
        word, prev = words[i].group(0), words[i - 1].group(0)
        if (
            i >= 2
            and word[:1].islower()
            and prev.lower() in _ROLE_HEADS
            and words[i - 2].group(0)[:1].isupper()
            and word.lower() not in _ROLE_HEADS | _ROLE_WORDS
            and not is_person_noun(word.lower())  # `A chief constable`
            and word.lower() not in ("with", "of", "at", "for", "from", "in", "on", "who", "whose", "which")
        ):
            # `A Labour Party spokesman criticised Michael Howard's record`: the role ends the subject
            if any("\x00" in w.group(0) for w in words[:i]):
                return None
            who = _subject_before(head[: words[i].start()])
            return who if who and who[:1].isupper() else None
        if not word[:1].islower() or not prev[:1].isupper():
            continue
        if word.lower() in _ROLE_HEADS or word.lower() in _ROLE_WORDS or word in _SUBJECT_WORDS:
            continue
        if i + 1 < len(words) and words[i + 1].group(0)[:1].isupper() and is_person_noun(word.lower()):
            continue  # `Ireland hooker Shane Byrne [echoed]`: a person's description before the name
        if _describes_next_name([w.group(0) for w in words[i:]]):
            continue  # `Ex-chatshow host Robert Kilroy-Silk [has attacked]`, `Chat show host ...`
        if any("\x00" in w.group(0) for w in words[:i]):
            return None
        who = _subject_before(head[: words[i].start()])
        return who if who and (who[:1].isupper() or who.lower() in ("he", "she", "they")) else None
    return None


# "it" opening a sentence or a clause right before its cue: `It said ...`, `..., and it also warned ...`
_IT_SUBJECT = re.compile(r"(?:^|[,;]\s*|\b(?:and|but)\s+)\s*[Ii]t(?:\s+(?:also|further|later|then|again))?$")


# a time between a subject and its cue: `The Electoral Commission on Thursday [said]`, `The firm last week [said]`
# (`in September this year`)
_TIME_BEFORE_CUE = re.compile(
    rf"(?:\s+(?:(?:on|last|this|next|late|early)\s+(?:{WEEKDAY}|week|month|year|night|morning|afternoon|evening"
    rf"|weekend)|in\s+{MONTH}|yesterday|earlier|later))+$"
)


def _subject_before(head: str) -> str | None:
    """The noun phrase ending just before a cue verb: "Tory leader Michael Howard" in
    "On Thursday, Tory leader Michael Howard has"; None when it is not a plausible speaker."""
    head = head.rstrip()
    # "Labour has always [maintained]", "Jones, who ..., has continually [denied]", "It now [estimates]", "who have
    # all [denied]": the subject before the auxiliary and its adverbs
    head = _AUXILIARY_ADVERBS.sub("", head)
    if not head or "\x00" in head[-3:]:
        return None
    when = _TIME_BEFORE_CUE.search(head)
    if when and when.start() > 0:  # `The Electoral Commission on Thursday [said]`: the subject before the time
        return _subject_before(head[: when.start()])
    pronoun = re.search(r"(?:^|[\s\"“”,])(?P<p>[Hh]e|[Ss]he|[Tt]hey)$", head)
    if pronoun:  # `On the Asian tsunami he [said]`, `out of the blue," he [said]`: the pronoun alone
        return pronoun.group("p")
    if _IT_SUBJECT.search(head):  # `It also said ...`: the body that spoke (the resolver's "it")
        return "It" if head.lstrip()[:1] == "I" else "it"
    # an appositive or a relative clause: "Mr Smith, the firm's chief executive," / "Mr Johnson, who ...," -> the name
    set_off = _set_off_subject(head)
    if set_off:
        return set_off
    unclosed = _UNCLOSED_ROLE.search(head)
    if unclosed and unclosed.group("office").lower() in _ROLE_HEADS | _ROLE_WORDS:
        return unclosed.group(
            "name"
        )  # `Christoph Caselitz, president of the mobile networks division at the firm [says]`
    pp = _PP_SUBJECT.search(head)
    if pp and is_person_noun(pp.group("noun")):  # `A spokeswoman for the St David's Centre in Cardiff [said]`
        return pp.group("np")
    affiliated = _NAME_OF_BODY_END.search(head)
    if affiliated and person_of_body(affiliated.group("np")):
        return affiliated.group("np")  # `Nigel McCune from the Musicians' Union [said]`: he, not the union
    opening = _OPENING_NP_WITH_PP.match(head)
    if opening and opening.group("noun") in _ROLE_HEADS | _ROLE_WORDS:
        return opening.group("np")  # `The Belgian sports minister at the centre of the doping row [says]`
    if opening:
        body = _body_with_qualifier(opening)
        if body:
            return body
    relative = _OPENING_NP_WITH_RELATIVE.match(head)
    if relative and is_person_noun(relative.group("noun")) and _modifiers_only(relative):
        return relative.group("np")  # `A senior barrister who has resigned in protest over the laws [says]`
    relative = re.search(r"(?<!,)\s+who$", head)
    if relative:  # `... by Home Secretary Charles Clarke who [said]`, `angering a sheriff who [says]`
        return _subject_before(head[: relative.start()])
    head = re.sub(r"\s+to$", "", head)  # "prompted the prime minister to [say]"
    words = head.split(" ")
    taken: list[str] = []
    lower = 0
    for i, w in enumerate(reversed(words)):
        bare = w.strip("(),;:")
        if bare in ("-", "–", "—"):
            break  # a dash ends the phrase before it (`The figures - released on Tuesday - [showed]`)
        if not bare or (w.endswith((",", ";", ":", "(")) and taken) or "\x00" in bare:
            break  # a clause boundary, or a quotation before the subject (`After the "meeting," X said`)
        low = bare.lower()
        if low in _DETERMINERS:
            taken.append(bare)
            break
        inside_name = bare[:1].isupper() and taken and taken[-1][:1].isupper() and i + 1 < len(words)
        left = words[-(i + 2)] if inside_name else ""
        if inside_name and left[:1].isupper() and not left.endswith(".") and bare not in _ADVERBS:
            taken.append(bare)  # "Reporters Without Borders", "Doctors Without Borders": a name's own small word
            continue
        before_in = words[-(i + 2)] if i + 1 < len(words) else ""
        if low == "in" and len(taken) == 1 and taken[0][:1].isupper() and before_in.isalpha() and before_in.islower():
            if before_in not in ("and", "but", "or", "so", "then"):
                return None  # "EU leaders at a summit in Lisbon [pledged]": a place; who spoke is further back
        if low in _NP_STOP and not (taken and low in ("of", "for", "to") and bare.islower() and lower == 0):
            break
        if bare[:1].isupper() or bare[:1].isdigit():
            taken.append(bare)
            continue
        lower += 1
        if lower > 3:
            break
        taken.append(bare)
    # "She further [added]", "Stoltenberg recently [drew]" (not "daughter Emily [said]", "Ms Kelly [said]")
    while len(taken) > 1 and _adverb(taken[0]):
        taken = taken[1:]
    who = " ".join(reversed(taken)).strip()
    who = strip_leading(who)
    if not who or who.lower() in _DETERMINERS or len(who.split()) > 9 or not _looks_like_speaker(who):
        return None
    if who in _ADVERBS:
        return None  # "Now reports say that ...": a sentence adverb, no subject
    if who.split()[0].lower() in _DETERMINERS and len(who.split()) == 1:
        return None
    return who


_FLOATING_ADVERBS = r"always|often|never|already|now|still|all|both"
_AUXILIARY_ADVERBS = re.compile(
    rf"(?:\s+(?:has|have|had)(?:\s+(?:{_FLOATING_ADVERBS}|long|in the past|[a-z]+ly))+"
    rf"|(?:\s+(?:{_FLOATING_ADVERBS}))+)$"
)


def _adverb(word: str) -> bool:
    return word.lower() in _TRAILING_ADVERBS or (word.endswith("ly") and word.islower())


_NOT_SPEAKERS = re.compile(
    r"^(it|this|that|there|what|which|these|those|one|some|such|here|its"
    r"|the (?:move|plan|report's|deal|bill|law|figures)|i|we|you)$",
    re.IGNORECASE,
)


# a role in lower case, then a name: `housing minister Yvette Cooper`, `managing director Karen Brady`
_ROLE_NOUN_THEN_NAME = re.compile(r"(?:[a-z-]+\s+){0,3}(?P<head>[a-z-]+)\s+(?:[A-Z][\w'’.-]*\s+){0,3}[A-Z][\w'’.-]*$")


def _named_role(who: str) -> bool:
    """Is ``who`` a role in lower case, then a name (`housing minister Yvette Cooper`)?"""
    role_name = _ROLE_NOUN_THEN_NAME.match(who)
    return role_name is not None and is_person_noun(role_name.group("head"))


def _looks_like_speaker(who: str) -> bool:
    who = who.strip()
    if not who or "\x00" in who or len(who.split()) > 10:
        return False
    if _NOT_SPEAKERS.match(who) or re.fullmatch(_CUES, who):
        return False  # `is said to [believe]`: the cue itself, not who
    first = who.split()[0]
    if first.lower() in ("he", "she", "they") and len(who.split()) > 1:
        return False  # `said he would have ...`: a clause, not who said it
    if _AUXILIARIES & set(who.lower().split()):
        return False  # `said the affair had damaged the council`: a clause
    words = who.split()
    if first.islower() and (first in _NP_STOP or first.endswith(("ing", "ly")) or first in ("made", "proved")):
        if not (first.endswith("ing") and _named_role(who)):  # not `said housing minister Yvette Cooper`
            return False  # `with 7.9% growth [expected]`, `widely [expected]`, `boosting their Oscars [hopes]`
    if len(words) > 1 and words[-1].lower() in _DETERMINERS:
        return False  # `made the [claims]`
    if who.split()[-1].endswith("ing") and who.split()[-1].islower() and len(who.split()) > 1:
        return False  # `the region highlighting [claimed improvements]`: a verb, not a noun phrase
    lower_words = [w for w in who.split() if w[:1].islower()]
    # a speaker is a name, a pronoun, or a short noun phrase ("the minister", "analysts", "a spokesman for Next")
    if first[:1].isupper() or first.lower() in ("he", "she", "they", "the", "a", "an", "his", "her", "their", "its"):
        return True
    return len(lower_words) <= 4


def _trim_postverbal(who: str) -> str:
    """`said Junya Tanase, an analyst` stops at the comma already; drop a trailing time phrase, and
    the affiliation after a name (`professor Huseyin Bagci of Ankara's Middle East Technical University`)."""
    who = re.sub(
        r"\s+(?:on|in|at|last|this|yesterday|today|earlier|following|after|before|during|as|while|when)\b.*$",
        "",
        who.strip(),
    )
    m = _AFFILIATION.search(who)
    if m and not any(w.lower() in _ROLE_WORDS for w in m.group("name").split()):
        who = who[: m.end("name")]
    return who


# " of <Body>" after a capitalised name that is not itself a role ("Secretary of State" keeps its "of"), the
# body's name perhaps after "the" and a word or two ("Rafael Marques of the pro-democracy George Soros Foundation")
_AFFILIATION = re.compile(
    r"(?P<name>\b[A-Z][\w\u00c0-\u024f'’\-]+ [A-Z][\w\u00c0-\u024f'’\-]+)\s+(?:of|from|at)\s+"
    r"(?:the\s+(?:[a-z][\w\-]*\s+){0,2})?[A-Z]"
)
