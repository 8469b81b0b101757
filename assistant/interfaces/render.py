"""An answer rendered for people: plain text (terminal), Markdown with linked markers (chat
page), HTML source cards. Every interface renders through here, so an answer reads the same
wherever it is asked; a new interface (a Slack bot's Block Kit) adds its form here.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

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
