"""An answer rendered for people: plain text (terminal), text and Markdown to copy with their
sources (the chat page), Slack Block Kit messages (the bot), and chat text for Slack-style
platforms (Mattermost, Rocket.Chat); the chat page's HTML is in ``page.py``. Every interface
renders through here, so an answer reads the same wherever it is asked; a new interface adds
its form here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from pathlib import PurePath
from typing import Any

from ..models import Answer, Citation

_QUOTE_OPENERS = ('"', "“", "«", "'", "‘")
_MARKER = re.compile(r"\[(\d+)\]")
_MD_SPECIAL = re.compile(r"([\\`*_{}<>#|~])")

_QUOTE_MARKS = ('"', "“", "”", "«", "»", "„")


def quoted(text: str) -> str:
    """A passage set in quotation marks once: one that opens with its own quotation mark
    (direct speech) is shown as it is, not wrapped a second time."""
    return text if text.lstrip().startswith(_QUOTE_OPENERS) else f"“{text}”"


def also_in_label(c: Citation) -> str:
    """Where else the cited passage appeared ("also in Daily Sabah, Press TV"), or ""."""
    names = c.also_in_outlets()
    return f"also in {', '.join(names)}" if names else ""


def dates_label(c: Citation) -> str:
    """The quote's dates that the publication date resolves ("on Friday (= 2019-04-12); last
    December (= 2018-12)"), marked as estimated when the publication date is; "" when none."""
    if not c.dates:
        return ""
    listed = "; ".join(f"{phrase} (= {iso})" for _, _, phrase, iso in c.dates)
    basis = "an estimated publication date" if c.published_source == "text" else "the publication date"
    return f"dates in the quote, from {basis}: {listed}"


def plain_text(answer: Answer) -> str:
    """The answer and its numbered sources, for a terminal."""
    out = [answer.text]
    if answer.standalone_question and answer.standalone_question != answer.question:
        out.insert(0, f"(understood as: {answer.standalone_question})")
    if answer.citations:
        out.append("\nSources:")
        for c in answer.citations:
            outlet = f" — {c.outlet}" if c.outlet else ""
            out.append(f"[{c.n}] {c.title}{outlet}, {citation_date(c)}")
            out.append(f"    {c.source}  (doc {c.doc_id}, chars {c.start}-{c.end})")
            out.append(f"    {quoted(c.quote)}")
            if c.dates:
                out.append(f"    ({dates_label(c)})")
            if c.also_in:
                out.append(f"    ({also_in_label(c)})")
    if answer.related:
        out.append("\nRelated passages (what the articles do say; not an answer):")
        for c in answer.related:
            out.append(f"- {quoted(c.quote)}")
            out.append(
                f"    {c.title}{f' — {c.outlet}' if c.outlet else ''}, {citation_date(c)}  "
                f"(doc {c.doc_id}, chars {c.start}-{c.end})"
            )
    return "\n".join(out)


def quote_line(c: Citation) -> str:
    """One statement for a listing: the words, who said them, where."""
    outlet = f", {c.outlet}" if c.outlet else ""
    also = f"; {also_in_label(c)}" if c.also_in else ""
    dates = f"\n    ({dates_label(c)})" if c.dates else ""
    return (
        f"[{c.n}] {quoted(c.quote)}\n    — {c.speaker}{outlet}, {citation_date(c)}: {c.title} "
        f"(doc {c.doc_id}, chars {c.start}-{c.end}){also}{dates}"
    )


def marker_spans(answer: Answer) -> list[tuple[int, int, int]]:
    """Where ``answer.text`` cites its sources: ``(start, end, n)`` of each ``[n]`` marker.

    An ``[n]`` inside a quoted passage is the article's own text (a footnote, a list number),
    not a citation: the text of every cited quote is found in the answer and markers inside it
    are left alone. A refusal cites nothing."""
    if answer.abstained or not answer.citations:
        return []
    numbers = {c.n for c in answer.citations}
    verbatim: list[tuple[int, int]] = []
    for c in answer.citations:
        at = answer.text.find(c.quote) if c.quote else -1
        while at != -1:
            verbatim.append((at, at + len(c.quote)))
            at = answer.text.find(c.quote, at + 1)
    return [
        (m.start(), m.end(), int(m.group(1)))
        for m in _MARKER.finditer(answer.text)
        if int(m.group(1)) in numbers and not any(s <= m.start() and m.end() <= e for s, e in verbatim)
    ]


def published_label(published: str | None) -> str:
    """A publication date as a reader writes it ("5 Oct 2020"), the stored text when it is not
    an ISO date, "date unknown" when there is none."""
    if not published:
        return "date unknown"
    try:
        when = date.fromisoformat(published[:10])
    except ValueError:
        return published
    return f"{when.day} {when.strftime('%b %Y')}"


def date_label(published: str | None, source: str | None = None) -> str:
    """A publication date with how sure it is: "5 Oct 2020" (from the metadata), "27 Apr 2018
    (estimated from the text)", or "date unknown"."""
    label = published_label(published)
    if published and source == "text":
        label += " (estimated from the text)"
    return label


def citation_date(c: Citation) -> str:
    """A source's publication date as ``date_label`` writes it."""
    return date_label(c.published, c.published_source)


def file_label(source: str) -> str:
    """A source's short file name: never the server's own path."""
    return PurePath(source.replace("\\", "/")).name or source


def who_label(c: Citation) -> str:
    """Who said the cited words: the speaker, "speaker unknown" for a quotation nobody is named
    for, and "reporting (not a quotation)" for the article's own words."""
    if c.speaker:
        return c.speaker
    return "speaker unknown" if any(mark in c.quote for mark in _QUOTE_MARKS) else "reporting (not a quotation)"


def source_lines(c: Citation, *, numbered: bool = True) -> list[str]:
    """One source for a plain-text list: number, title, outlet and date; file and offsets; who; the quote."""
    number = f"[{c.n}] " if numbered else "- "
    pad = " " * len(number)
    return [
        f"{number}{c.title} — {c.outlet or 'outlet unknown'}, {citation_date(c)}",
        f"{pad}{file_label(c.source)} (doc {c.doc_id}, chars {c.start}-{c.end}); who: {who_label(c)}",
        f"{pad}{quoted(c.quote)}",
    ] + [f"{pad}({label})" for label in (dates_label(c), also_in_label(c)) if label]


def export_text(answer: Answer) -> str:
    """The question, the answer and its numbered sources as plain text, for pasting into notes."""
    out = [f"Q: {answer.question}"]
    if answer.standalone_question and answer.standalone_question != answer.question:
        out.append(f"(understood as: {answer.standalone_question})")
    out.append(answer.text)
    if answer.citations:
        out.append("\nSources:")
        for c in answer.citations:
            out += source_lines(c)
    if answer.related:
        out.append("\nRelated passages (what the articles do say; not an answer):")
        for c in answer.related:
            out += source_lines(c, numbered=False)
    return "\n".join(out)


def markdown_escape(text: str) -> str:
    """Text that Markdown shows as written (a quote's * or _ is not emphasis)."""
    return _MD_SPECIAL.sub(r"\\\1", text)


def export_markdown(answer: Answer) -> str:
    """The question, the answer and a numbered source list as Markdown (quotes as block quotes)."""
    out = [f"### {markdown_escape(answer.question)}", ""]
    if answer.standalone_question and answer.standalone_question != answer.question:
        out += [f"_Understood as: {markdown_escape(answer.standalone_question)}_", ""]
    out += [line + "  " for line in markdown_escape(answer.text).splitlines()]
    for heading, sources, numbered in (
        ("**Sources**", answer.citations, True),
        ("**Related passages** (what the articles do say; not an answer)", answer.related, False),
    ):
        if not sources:
            continue
        out += ["", heading, ""]
        for c in sources:
            lead = f"{c.n}. " if numbered else "- "
            pad = " " * len(lead)
            out.append(
                f"{lead}**{markdown_escape(c.title)}** — {markdown_escape(c.outlet or 'outlet unknown')}, "
                f"{citation_date(c)} · `{file_label(c.source)}` "
                f"(doc `{c.doc_id}`, chars {c.start}–{c.end})"
            )
            out += [f"{pad}> {markdown_escape(line)}" for line in quoted(c.quote).splitlines() or [""]]
            out.append(f"{pad}> — {markdown_escape(who_label(c))}")
            if c.dates:
                out.append(f"{pad}_{markdown_escape(dates_label(c))}_")
            if c.also_in:
                out.append(f"{pad}_{markdown_escape(also_in_label(c))}_")
    return "\n".join(out).rstrip() + "\n"


# --- Slack ------------------------------------------------------------------------------
# Slack refuses a message with more than 50 blocks, a section text over 3,000 characters, or
# blocks totalling about 13,200 characters (msg_blocks_too_long); a long answer is split into
# several messages under these limits, never cut. Quotes and the answer go in rich-text blocks,
# whose text Slack shows literally: mrkdwn would read a quote's * or _ as formatting.
SLACK_MAX_BLOCKS = 50
SLACK_MAX_TEXT = 3000  # one section's text; also used for one rich-text element
SLACK_MAX_CHARS = 12_000  # all text in one message's blocks, with a margin under Slack's limit
SLACK_FALLBACK_CHARS = 3000  # the notification text that goes with the blocks
SLACK_MAX_TITLE = 300  # a source's title as shown (the title only: quotes are never shortened)

_CONTINUED = "Continued: part {k} of {n}"


def searching_text(articles: int) -> str:
    """The placeholder shown while an answer is looked for: "Searching 2,230 articles…"."""
    return f"Searching {articles:,} article{'' if articles == 1 else 's'}…"


def slack_escape(text: str) -> str:
    """Text for a Slack mrkdwn field: &, < and > are Slack's control characters there."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def split_text(text: str, limit: int) -> list[str]:
    """``text`` in pieces of at most ``limit`` characters that join back to exactly ``text``,
    broken at a line end, else a sentence end, else a space (a hard cut only inside a word
    longer than half the limit)."""
    if limit < 2:
        raise ValueError("limit must be at least 2")
    pieces = []
    while len(text) > limit:
        window = text[:limit]
        cut = limit
        for separator in ("\n", ". ", " "):
            at = window.rfind(separator)
            if at >= limit // 2:
                cut = at + len(separator)
                break
        pieces.append(text[:cut])
        text = text[cut:]
    if text:
        pieces.append(text)
    return pieces


def slack_messages(
    answer: Answer,
    trailer: Sequence[dict[str, Any]] = (),
    *,
    notes: Sequence[str] = (),
    max_blocks: int = SLACK_MAX_BLOCKS,
    max_chars: int = SLACK_MAX_CHARS,
) -> list[dict[str, Any]]:
    """The answer as Slack messages, each ``{"text": fallback, "blocks": [...]}``, in reading order.

    The answer with its ``[n]`` markers, then the numbered sources (title, outlet, speaker where
    known, the quoted passage); a refusal has no sources, and the related passages it carries are
    labelled as not an answer. ``notes`` (mrkdwn) open the first message; ``trailer`` (the bot's
    buttons) closes the last. Everything is kept: whatever exceeds one message's limits goes on in
    the next, each later part labelled as a continuation, and a quote too long for one part says
    where it continues."""
    units: list[list[dict[str, Any]]] = [[_context(note)] for note in notes]
    if answer.standalone_question and answer.standalone_question != answer.question:
        units.append([_context(f"_Understood as: {slack_escape(answer.standalone_question)}_")])
    units.append([_rich([_rich_section([_rich_text(p)])]) for p in split_text(answer.text, SLACK_MAX_TEXT)])
    for heading, sources, numbered in (
        ("*Sources*", answer.citations, True),
        ("*Related passages*: what the articles do say. _Not an answer._", answer.related, False),
    ):
        if sources:  # the heading goes with the first source, never alone at the end of a message
            units += [_citation_blocks(c, numbered=numbered) for c in sources]
            units[-len(sources)][:0] = [{"type": "divider"}, _section(heading)]
    parts = _pack(units, list(trailer), max_blocks, max_chars)
    messages = []
    for k, blocks in enumerate(parts, 1):
        if k == 1:
            text = _fallback(answer.text, SLACK_FALLBACK_CHARS)
        else:
            text = _CONTINUED.format(k=k, n=len(parts))
            blocks[0] = _context(f"_{text}_")
        messages.append({"text": text, "blocks": blocks})
    return messages


def _fallback(text: str, limit: int) -> str:
    """The notification text: the answer escaped for Slack, cut to ``limit`` characters (an
    entity such as &amp; is never cut in two); the blocks carry the whole answer."""
    out: list[str] = []
    used = 0
    for char in text:
        escaped = slack_escape(char)
        if used + len(escaped) > limit - 1:
            return "".join(out) + "…"
        out.append(escaped)
        used += len(escaped)
    return "".join(out)


def slack_chars(blocks: Any) -> int:
    """The characters of text in ``blocks`` (what Slack's per-message limit counts)."""
    if isinstance(blocks, dict):
        own = len(blocks["text"]) if isinstance(blocks.get("text"), str) else 0
        return own + sum(slack_chars(v) for k, v in blocks.items() if k != "text" or not isinstance(v, str))
    if isinstance(blocks, list):
        return sum(slack_chars(b) for b in blocks)
    return 0


def _pack(
    units: list[list[dict[str, Any]]], trailer: list[dict[str, Any]], max_blocks: int, max_chars: int
) -> list[list[dict[str, Any]]]:
    """Units of blocks into messages: a unit stays whole in one message when it fits in one;
    later messages open with a continuation label (filled in by the caller)."""
    label = _context("_" + _CONTINUED.format(k=99, n=99) + "_")  # the longest label, for sizing
    parts: list[list[dict[str, Any]]] = [[]]

    def fits(blocks: list[dict[str, Any]]) -> bool:
        current = parts[-1]
        return len(current) + len(blocks) <= max_blocks and slack_chars(current) + slack_chars(blocks) <= max_chars

    def new_part() -> None:
        if parts[-1]:  # (the first message, still empty, needs no label)
            parts.append([label])

    for unit in [*units, trailer]:
        if not unit or fits(unit):
            parts[-1] += unit
            continue
        if len(unit) + 1 <= max_blocks and slack_chars(unit) + slack_chars(label) <= max_chars:
            new_part()  # the whole unit fits in a fresh message: keep it together
            parts[-1] += unit
            continue
        for block in unit:  # larger than a message: block by block
            if not fits([block]):
                new_part()
                if not fits([block]):
                    raise ValueError("a single Slack block exceeds one message's limits")
            parts[-1].append(block)
    return [part for part in parts if part]


def _citation_blocks(c: Citation, *, numbered: bool) -> list[dict[str, Any]]:
    """One source: its head line (number, title, outlet, speaker) and its quote, continued over
    more blocks when the quote is longer than one block's text."""
    head = [_rich_text(f"[{c.n}] ", bold=True)] if numbered else []
    title = c.title if len(c.title) <= SLACK_MAX_TITLE else c.title[: SLACK_MAX_TITLE - 1] + "…"
    head.append(_rich_text(title, bold=True))
    if c.outlet:
        head.append(_rich_text(f" — {c.outlet}"))
    head.append(_rich_text(f", {citation_date(c)}"))
    if c.speaker:
        head.append(_rich_text(f" · {c.speaker}", italic=True))
    if c.also_in:
        head.append(_rich_text(f" ({also_in_label(c)})", italic=True))
    if c.dates:
        head.append(_rich_text(f" ({dates_label(c)})", italic=True))
    room = SLACK_MAX_TEXT - sum(len(e["text"]) for e in head)
    pieces = split_text(quoted(c.quote), max(room, SLACK_MAX_TEXT // 2))
    blocks = [_rich([_rich_section(head), _rich_quote(pieces[0])])]
    label = f"[{c.n}] continued" if numbered else f"{title}, continued"
    for piece in pieces[1:]:
        blocks.append(_rich([_rich_section([_rich_text(label, italic=True)]), _rich_quote(piece)]))
    return blocks


def _rich(elements: list[dict[str, Any]]) -> dict[str, Any]:
    return {"type": "rich_text", "elements": elements}


def _rich_section(elements: list[dict[str, Any]]) -> dict[str, Any]:
    return {"type": "rich_text_section", "elements": elements}


def _rich_quote(text: str) -> dict[str, Any]:
    return {"type": "rich_text_quote", "elements": [_rich_text(text)]}


def _rich_text(text: str, **style: bool) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "text", "text": text}
    if style:
        element["style"] = style
    return element


def _section(mrkdwn: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": mrkdwn}}


def _context(mrkdwn: str) -> dict[str, Any]:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": mrkdwn}]}


# --- Slack-style platforms (Mattermost, Rocket.Chat) ------------------------------------
CHAT_MAX_CHARS = 4000  # Rocket.Chat's default message limit is 5,000 characters; Mattermost's 16,383


def chat_text(answer: Answer, limit: int = CHAT_MAX_CHARS) -> str:
    """The answer as one chat message in Markdown, for platforms that take a single reply: the
    answer with its markers, then whole sources (title, outlet, speaker, the quote) while they fit
    in ``limit``; sources left out are named, never dropped silently."""
    head = []
    if answer.standalone_question and answer.standalone_question != answer.question:
        head.append(f"_(understood as: {answer.standalone_question})_")
    text = answer.text
    if len(text) > limit // 2:
        text = (
            split_text(text, limit // 2)[0].rstrip() + f"\n(answer shortened to fit this chat's {limit:,} characters)"
        )
    head.append(text)
    sources = [(f"[{c.n}] ", c) for c in answer.citations]
    title = "Sources:"
    if not sources and answer.related:
        sources = [("", c) for c in answer.related]
        title = "Related passages (what the articles do say; not an answer):"
    out = "\n".join(head)
    if not sources:
        return out
    out += f"\n\n{title}"
    for i, (number, c) in enumerate(sources):
        outlet = f" — {c.outlet}" if c.outlet else ""
        speaker = f" · {c.speaker}" if c.speaker else ""
        also = f" _({also_in_label(c)})_" if c.also_in else ""
        quote = "\n".join("> " + line for line in quoted(c.quote).splitlines())
        dates = f"\n_({dates_label(c)})_" if c.dates else ""
        entry = f"\n{number}**{c.title}**{outlet}, {citation_date(c)}{speaker}{also}\n{quote}{dates}"
        rest = len(sources) - i
        note = (
            f"\n\n({rest} more source{'s' if rest > 1 else ''} not shown: the reply would exceed {limit:,} characters)"
        )
        if len(out) + len(entry) + len(note) > limit:
            return out + note
        out += entry
    return out
