"""An answer rendered for people: plain text (terminal), Markdown with linked markers (chat
page), HTML source cards, Slack Block Kit messages (the bot), and chat text for Slack-style
platforms (Mattermost, Rocket.Chat). Every interface renders through here, so an answer reads
the same wherever it is asked; a new interface adds its form here.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from typing import Any

from ..models import Answer, Citation

_QUOTE_OPENERS = ('"', "“", "«", "'", "‘")
_MARKER = re.compile(r"\[(\d+)\]")
_MD_SPECIAL = re.compile(r"([\\`*_{}<>#|~])")

NO_SOURCES_HTML = "<div class='no-sources'>No sources: the indexed articles don't contain the answer.</div>"


def quoted(text: str) -> str:
    """A passage set in quotation marks once: one that opens with its own quotation mark
    (direct speech) is shown as it is, not wrapped a second time."""
    return text if text.lstrip().startswith(_QUOTE_OPENERS) else f"“{text}”"


def plain_text(answer: Answer) -> str:
    """The answer and its numbered sources, for a terminal."""
    out = [answer.text]
    if answer.standalone_question and answer.standalone_question != answer.question:
        out.insert(0, f"(understood as: {answer.standalone_question})")
    if answer.citations:
        out.append("\nSources:")
        for c in answer.citations:
            outlet = f" — {c.outlet}" if c.outlet else ""
            out.append(f"[{c.n}] {c.title}{outlet}")
            out.append(f"    {c.source}  (doc {c.doc_id}, chars {c.start}-{c.end})")
            out.append(f"    {quoted(c.quote)}")
    if answer.related:
        out.append("\nRelated passages (what the articles do say; not an answer):")
        for c in answer.related:
            out.append(f"- {quoted(c.quote)}")
            out.append(
                f"    {c.title}{f' — {c.outlet}' if c.outlet else ''}  (doc {c.doc_id}, chars {c.start}-{c.end})"
            )
    return "\n".join(out)


def quote_line(c: Citation) -> str:
    """One statement for a listing: the words, who said them, where."""
    outlet = f", {c.outlet}" if c.outlet else ""
    return f"[{c.n}] {quoted(c.quote)}\n    — {c.speaker}{outlet}: {c.title} (doc {c.doc_id}, chars {c.start}-{c.end})"


def linked_markdown(answer: Answer) -> str:
    """The answer as Markdown, with each [n] linking to its source card."""
    text = _MD_SPECIAL.sub(r"\\\1", answer.text)
    if answer.abstained:
        return text
    return _MARKER.sub(lambda m: f"[[{m.group(1)}]](#source-{m.group(1)})", text)


def unlink_markers(text: str) -> str:
    """Markdown from ``linked_markdown`` back to plain ``[n]`` markers (for the next question's history)."""
    return re.sub(r"\[\[(\d+)\]\]\(#source-\d+\)", r"[\1]", text)


def sources_html(answer: Answer, document_text: Callable[[str], str]) -> str:
    """One card per citation: title, outlet, file, and the quote highlighted in its paragraph."""
    if answer.abstained or not answer.citations:
        return NO_SOURCES_HTML
    cards = [source_card_html(c, document_text(c.doc_id)) for c in answer.citations]
    return "<div class='sources'>" + "".join(cards) + "</div>"


def source_card_html(c: Citation, text: str) -> str:
    """A citation's card; ``text`` is its article's text of record."""
    para_start = text.rfind("\n", 0, c.start) + 1
    para_end = text.find("\n", c.end)
    para_end = len(text) if para_end == -1 else para_end
    before, quote, after = text[para_start : c.start], text[c.start : c.end], text[c.end : para_end]
    context = f"{html.escape(before)}<mark>{html.escape(quote)}</mark>{html.escape(after)}"
    if not before.strip() and not after.strip():  # the quote is the whole paragraph: show its neighbours
        previous = text[:para_start].rstrip().rsplit("\n", 1)[-1]
        following = text[para_end:].lstrip().split("\n", 1)[0]
        if previous:
            context = f"<span class='source-near'>{html.escape(previous)}</span><br>{context}"
        if following:
            context = f"{context}<br><span class='source-near'>{html.escape(following)}</span>"
    outlet = f" — {html.escape(c.outlet)}" if c.outlet else ""
    return (
        f"<div class='source' id='source-{c.n}'>"
        f"<div class='source-head'><span class='source-badge'>[{c.n}]</span>{html.escape(c.title)}{outlet}</div>"
        f"<div class='source-meta'>{html.escape(c.source)} · doc {c.doc_id} · chars {c.start}–{c.end}</div>"
        f"<p class='source-context'>{context}</p>"
        "</div>"
    )


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
    if c.speaker:
        head.append(_rich_text(f" · {c.speaker}", italic=True))
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
        quote = "\n".join("> " + line for line in quoted(c.quote).splitlines())
        entry = f"\n{number}**{c.title}**{outlet}{speaker}\n{quote}"
        rest = len(sources) - i
        note = (
            f"\n\n({rest} more source{'s' if rest > 1 else ''} not shown: the reply would exceed {limit:,} characters)"
        )
        if len(out) + len(entry) + len(note) > limit:
            return out + note
        out += entry
    return out
