"""The chat page's HTML, made on the server from an ``Answer``: the answer with its ``[n]``
markers linked to this answer's own source cards, the cards (who, where, when, and the quote
highlighted inside its paragraph), and the full-article view. Every piece of article text is
escaped here; the page's script only places what this returns.

Card and marker ids carry the answer's turn (``t3-s1``), so an earlier answer's ``[1]`` can
never open a later answer's source.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from ..models import Answer, Citation
from .render import (
    also_in_label,
    citation_date,
    file_label,
    generated_label,
    marker_spans,
    quoted,
    removed_line,
    who_label,
)

PREVIEW_CHARS = 220
_PRONOUN = re.compile(r"\b(he|she|him|her|his|hers|they|them|their)\b", re.IGNORECASE)


def answer_html(answer: Answer, turn: str) -> str:
    """The answer's text, escaped, one paragraph per line, each citation marker a link to this
    turn's card (with the quote as its preview). A literal ``[2]`` inside a quote stays text."""
    if answer.clarify:
        return clarify_html(answer)
    by_n = {c.n: c for c in answer.citations}
    parts: list[str] = []
    at = 0
    for start, end, n in marker_spans(answer):
        c = by_n[n]
        parts.append(html.escape(answer.text[at:start]))
        words = c.quote if len(c.quote) <= PREVIEW_CHARS else c.quote[: PREVIEW_CHARS - 1] + "…"
        preview = html.escape(f"{c.title} — {c.outlet or 'outlet unknown'}: {quoted(words)}", quote=True)
        parts.append(
            f"<a class='cite' href='#{turn}-s{n}' data-card='{turn}-s{n}' "
            f"aria-label='Source {n}: {html.escape(c.title, quote=True)}' data-preview='{preview}'>[{n}]</a>"
        )
        at = end
    parts.append(html.escape(answer.text[at:]))
    lines = "".join(parts).split("\n")
    return "".join(f"<p>{line}</p>" for line in lines if line.strip())


def checker_html(answer: Answer) -> str:
    """Under a generated answer: that it was generated and checked, the notice (a fallback to
    the extractive answer, sentences removed), and the removed sentences with their reasons in a
    collapsed list. Empty for an extractive answer. The model's words are escaped like article text."""
    parts = []
    label = generated_label(answer)
    if label:
        parts.append(f"<p class='engine-note'>{html.escape(label)}</p>")
    if answer.notice:
        parts.append(f"<p class='answer-notice' role='note'>{html.escape(answer.notice)}</p>")
    removed = answer.removed
    if removed:
        items = "".join(f"<li>{html.escape(removed_line(c))}</li>" for c in removed)
        parts.append(
            f"<details class='removed'><summary>Removed by the checker ({len(removed)})</summary>"
            f"<ul>{items}</ul></details>"
        )
    return "".join(parts)


def clarify_html(answer: Answer) -> str:
    """A question whose "he" could mean nobody: the question is shown back with the pronoun
    marked, and the reader is asked who is meant (the page puts it back in the box to edit)."""
    asked = html.escape(answer.question)
    pronoun = _PRONOUN.search(answer.question)
    if pronoun:
        word = html.escape(pronoun.group(0))
        asked = _PRONOUN.sub(lambda m: f"<mark>{m.group(0)}</mark>", asked, count=1)
        ask = f"Who do you mean by “{word}”?"
    else:
        ask = "Who do you mean?"
    return (
        f"<p class='clarify-ask'><strong>{ask}</strong> You asked: “{asked}”.</p>"
        "<p>Nobody named earlier in this conversation fits, so I haven't guessed. "
        "Edit the question to name the person, e.g. “What did Stoltenberg say about Turkey?”.</p>"
        "<p><button type='button' class='edit-question'>Edit the question</button></p>"
    )


def cards_html(answer: Answer, turn: str, document_text: Callable[[str], str]) -> str:
    """This answer's sources: one card per citation, or for a refusal the closest passages,
    labelled as not an answer. Empty when there is nothing to show."""
    if answer.citations:
        cards = _cards(answer.citations, turn, document_text, numbered=True)
        return (
            f"<section class='sources' aria-label='Sources for this answer'>"
            f"<h4 class='sources-head'>Sources</h4>{cards}</section>"
        )
    if answer.related:
        cards = _cards(answer.related, turn, document_text, numbered=False)
        return (
            "<section class='sources related' aria-label='Related passages, not an answer'>"
            "<h4 class='sources-head'>Related passages: what the articles do say. "
            f"<em>Not an answer.</em></h4>{cards}</section>"
        )
    return ""


def statement_cards_html(name: str, citations: list[Citation], document_text: Callable[[str], str]) -> str:
    """One person's statements (the People tab), each a card like an answer's source."""
    cards = _cards(citations, "p", document_text, numbered=True, in_answer=False)
    return (
        f"<section class='sources' aria-label='Statements by {html.escape(name, quote=True)}'>"
        f"<h4 class='sources-head'>{len(citations)} statement(s) by {html.escape(name)}, best first</h4>"
        f"{cards}</section>"
    )


def _cards(
    citations: list[Citation],
    turn: str,
    document_text: Callable[[str], str],
    *,
    numbered: bool,
    in_answer: bool = True,
) -> str:
    shown: dict[tuple[str, int], int] = {}  # (doc, paragraph start) -> the card that shows it
    out = []
    for i, c in enumerate(citations, 1):
        text = document_text(c.doc_id)
        para_start, para_end = _paragraph(text, c.start, c.end)
        same = shown.get((c.doc_id, para_start))
        shown.setdefault((c.doc_id, para_start), c.n if numbered else i)
        out.append(
            _card(
                c,
                turn,
                text,
                para_start,
                para_end,
                numbered,
                same,
                back=numbered and in_answer,
                in_conversation=in_answer,
            )
        )
    return "".join(out)


def _paragraph(text: str, start: int, end: int) -> tuple[int, int]:
    para_start = text.rfind("\n", 0, start) + 1
    para_end = text.find("\n", end)
    return para_start, len(text) if para_end == -1 else para_end


def _card(
    c: Citation,
    turn: str,
    text: str,
    para_start: int,
    para_end: int,
    numbered: bool,
    same_as: int | None,
    *,
    back: bool,
    in_conversation: bool,
) -> str:
    card_id = f"{turn}-s{c.n}" if numbered else f"{turn}-r{c.n}"
    quote = f"<mark>{html.escape(text[c.start : c.end])}</mark>"
    if same_as is not None:  # the paragraph is already on an earlier card: the quote alone
        label = f"[{same_as}]" if numbered else "the card above"
        context = f"{quote}<span class='source-note'> (in the same paragraph as {label})</span>"
    else:
        before, after = text[para_start : c.start], text[c.end : para_end]
        context = f"{html.escape(before)}{quote}{html.escape(after)}"
        if not before.strip() and not after.strip():  # the quote is the whole paragraph: its neighbours
            previous = text[:para_start].rstrip().rsplit("\n", 1)[-1]
            following = text[para_end:].lstrip().split("\n", 1)[0]
            if previous:
                context = f"<span class='source-near'>{html.escape(previous)}</span>\n{context}"
            if following:
                context = f"{context}\n<span class='source-near'>{html.escape(following)}</span>"
    who = who_label(c)
    outlet = c.outlet or "outlet unknown"
    when = citation_date(c)
    badge = f"<span class='badge'>[{c.n}]</span> " if numbered else ""
    marker = f" [{c.n}]" if numbered else ""
    also = also_in_label(c)  # the same words in other articles (syndicated copies, reprints)
    copies = "".join(
        f"<li>{html.escape(copy.get('outlet') or 'outlet unknown')}: {html.escape(copy.get('title') or '')} "
        f"<span class='nowrap'>({html.escape(file_label(copy.get('source') or ''))})</span></li>"
        for copy in c.also_in
    )
    return (
        f"<article class='card' id='{card_id}' tabindex='-1' aria-labelledby='{card_id}-h'>"
        f"<h5 class='card-title' id='{card_id}-h'>{badge}{html.escape(c.title)}</h5>"
        f"<blockquote class='card-quote'>{context}</blockquote>"
        f"<p class='attribution'>— {html.escape(who)}, {html.escape(outlet)}, {html.escape(when)}{marker}"
        + (f" <span class='also-in'>({html.escape(also)})</span>" if also else "")
        + "</p>"
        "<dl class='card-meta'>"
        f"<div><dt>Who</dt><dd>{html.escape(who)}</dd></div>"
        f"<div><dt>Outlet</dt><dd>{html.escape(outlet)}</dd></div>"
        f"<div><dt>Published</dt><dd>{html.escape(when)}</dd></div>"
        + (  # "on Friday" in the quote, put on the calendar from the publication date
            f"<div class='quote-dates'><dt>Dates in the quote</dt><dd>{_dates_html(c)}</dd></div>" if c.dates else ""
        )
        + f"<div><dt>File</dt><dd class='nowrap'>{html.escape(file_label(c.source))}</dd></div>"
        f"<div><dt>Doc</dt><dd class='nowrap'>{c.doc_id} · chars {c.start}–{c.end}</dd></div>"
        "</dl>"
        + (
            f"<details class='copies'><summary>The same words in {len(c.also_in)} other "
            f"article{'s' if len(c.also_in) > 1 else ''}</summary><ul>{copies}</ul></details>"
            if copies
            else ""
        )
        + (  # the reading view and the way back live in the conversation (the People tab has neither)
            "<div class='card-actions'>"
            f"<button type='button' class='open-article' data-doc='{c.doc_id}' data-start='{c.start}' "
            f"data-end='{c.end}' aria-haspopup='dialog'>Read the whole article</button>"
            + ("<a class='back-to-answer' href='#'>Back to the answer</a>" if back else "")
            + "</div>"
            if in_conversation
            else ""
        )
        + "</article>"
    )


def _dates_html(c: Citation) -> str:
    """The quote's resolved dates for a card: "“on Friday” = <time>2019-04-12</time>", noting
    when the publication date they come from was estimated from the text."""
    items = "; ".join(
        f"“{html.escape(phrase)}” = <time datetime='{html.escape(iso, quote=True)}'>{html.escape(iso)}</time>"
        for _, _, phrase, iso in c.dates
    )
    return items + (" (from an estimated publication date)" if c.published_source == "text" else "")


def article_html(text: str, start: int, end: int) -> str:
    """A whole article's text for the reading view, the cited span marked (``mark#article-quote``)."""
    start, end = max(0, min(start, len(text))), max(0, min(end, len(text)))
    return (
        f"<div class='article-text'>{html.escape(text[:start])}"
        f"<mark id='article-quote'>{html.escape(text[start:end])}</mark>{html.escape(text[end:])}</div>"
    )
