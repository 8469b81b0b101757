"""What the chat page and the copy buttons are made of, checked on answers from the real
engine over the seed articles, and on citations whose text holds the traps a reader met: a
literal "[2]" inside a quote, two citations from one paragraph, a blank outlet and date."""

from __future__ import annotations

import html
from pathlib import Path

import pytest

from assistant import Assistant
from assistant.interfaces.page import answer_html, article_html, cards_html
from assistant.interfaces.render import export_markdown, export_text, marker_spans, published_label
from assistant.models import Answer, Citation

TEXT = (
    "Harbour town opens floating library\n"
    '"We counted every book twice [2] before the barge left," said Ingrid Solberg. "Not one was missing," she added.\n'
    "The barge holds 4,000 books.\n"
)


def _citation(n: int, quote: str, **extra) -> Citation:
    start = TEXT.index(quote)
    fields = {"title": "Harbour town opens floating library", "source": "/srv/news/uploads/library.txt"}
    fields.update(extra)
    return Citation(n, "d1", quote=quote, start=start, end=start + len(quote), score=1.0, **fields)


@pytest.fixture(scope="module")
def library_answer() -> Answer:
    first = _citation(
        1, '"We counted every book twice [2] before the barge left," said Ingrid Solberg.', speaker="Ingrid Solberg"
    )
    second = _citation(2, '"Not one was missing," she added.', speaker="Ingrid Solberg")
    text = f"Ingrid Solberg on the books:\n{first.quote} [1]\n{second.quote} [2]"
    return Answer("What did Solberg say about the books?", text, [first, second], False, None)


def facts(doc_id: str) -> str:
    return TEXT


def test_only_the_engines_markers_are_links(library_answer: Answer) -> None:
    spans = marker_spans(library_answer)
    assert [n for _, _, n in spans] == [1, 2]
    assert all(library_answer.text[s:e] == f"[{n}]" for s, e, n in spans)
    body = answer_html(library_answer, "t4")
    assert body.count("class='cite'") == 2
    assert "twice [2] before" in body  # the article's own [2]: text
    assert "href='#t4-s1'" in body and "href='#t4-s2'" in body  # this turn's cards, no other's
    assert body.count("<p>") == 3  # each line its own paragraph: a heading never runs into a quote


def test_cards_name_who_where_when_and_never_repeat_a_paragraph(library_answer: Answer) -> None:
    cards = cards_html(library_answer, "t4", facts)
    assert cards.count("<article class='card'") == 2
    assert "id='t4-s1'" in cards and "id='t4-s2'" in cards
    assert "— Ingrid Solberg, outlet unknown, date unknown [1]" in cards
    assert "library.txt" in cards and "/srv/news" not in cards  # the file's name, not the server's path
    # both quotes are in one paragraph: the second card shows its quote alone and says so
    assert cards.count("the barge left") == 1
    assert "(in the same paragraph as [1])" in cards


def test_article_text_is_escaped_everywhere() -> None:
    text = 'Headline <script>alert(1)</script>\n"A & B <b>bold</b>," said Al.\n'
    quote = '"A & B <b>bold</b>," said Al.'
    start, end = text.index(quote), text.index(quote) + len(quote)
    c = Citation(1, "d1", "T <i>", "a.txt", quote, start, end, 1.0, "O&O", "Al", published="2020-10-05")
    answer = Answer("q", f"{quote} [1]", [c], False, None)
    rendered = answer_html(answer, "t1") + cards_html(answer, "t1", lambda d: text)
    rendered += article_html(text, c.start, c.end)
    assert "<script>" not in rendered and "<b>" not in rendered and "<i>" not in rendered
    assert html.escape("<b>bold</b>") in rendered
    assert "O&amp;O, 5 Oct 2020 [1]" in rendered


def test_refusal_shows_related_passages_as_not_an_answer() -> None:
    related = _citation(1, "The barge holds 4,000 books.")
    refusal = Answer("How much did the barge cost?", "The articles don't say.", [], True, None, related=[related])
    assert "class='cite'" not in answer_html(refusal, "t2")
    cards = cards_html(refusal, "t2", facts)
    assert "Not an answer." in cards and "id='t2-r1'" in cards and "[1]" not in cards
    assert "Related passages (what the articles do say; not an answer):" in export_text(refusal)


def test_clarification_shows_the_question_back() -> None:
    ask = Answer("and what did he say…", "Who do you mean?", [], True, None, clarify=True)
    body = answer_html(ask, "t1")
    assert "Who do you mean by “he”?" in body and "You asked: “and what did <mark>he</mark> say…”" in body


def test_published_label() -> None:
    assert published_label("2020-10-05T09:00:00Z") == "5 Oct 2020"
    assert published_label(None) == "date unknown"
    assert published_label("Monday") == "Monday"


def test_copies_of_a_real_answer_carry_their_sources(seeded_store: Path) -> None:
    with Assistant(store_dir=seeded_store, create=False) as a:
        answer = a.ask("What did Çavuşoğlu say about Patriots?")
        text = export_text(answer)
        markdown = export_markdown(answer)
    assert text.splitlines()[0] == "Q: What did Çavuşoğlu say about Patriots?"
    for c in answer.citations:
        assert f"[{c.n}] {c.title} — {c.outlet}, date unknown" in text
        assert f"(doc {c.doc_id}, chars {c.start}-{c.end}); who: {c.speaker}" in text
        assert f"{c.n}. **{c.title}** — {c.outlet}, date unknown" in markdown
    assert "](#" not in text and "](#" not in markdown


def test_a_reprinted_statement_is_one_card_that_names_its_copies(seeded_store: Path) -> None:
    with Assistant(store_dir=seeded_store, create=False) as a:
        answer = a.ask("what did Stoltenberg say about dialogue with Ankara?")
        cards = cards_html(answer, "t1", a.document_text)
    reprinted = [c for c in answer.citations if c.also_in]
    assert reprinted, "the seeds hold a statement Press TV reprinted"
    assert cards.count("(also in Press TV)") == len(reprinted)
    assert "The same words in 1 other article" in cards and "Press TV: " in cards


def test_the_streaming_server_functions_give_what_ask_gives(seeded: Assistant) -> None:
    """ask_start/ask_poll (the page's path for a generative engine) on the extractive engine: no
    draft, then exactly the reply ``ask`` gives; a job is polled to its end once, then forgotten."""
    from assistant.interfaces.web import WebApp

    app = WebApp(seeded)
    request = {"question": "What did Çavuşoğlu say about Patriots?", "turn": "t1"}
    job = app.ask_start(request)["job"]
    steps = [app.ask_poll({"job": job, "since": 0})]
    while not steps[-1]["done"]:
        steps.append(app.ask_poll({"job": job, "since": steps[-1]["length"]}))
    assert all(s["draft"] == "" and s["length"] == 0 for s in steps)
    reply, direct = steps[-1]["reply"], app.ask(request)
    for key in ("html", "cards", "plain", "markdown", "text"):
        assert reply[key] == direct[key]
    assert app.ask_poll({"job": job, "since": 0})["error"].startswith("That answer is no longer being written")
    assert app.ask_start({"question": "", "turn": "t2"}) == {"error": "Type a question first."}
    assert "malformed" in app.ask_start({"question": "x", "turn": "<b>"})["error"]
    assert app.start()["streams"] is False and "extractive" in app.start()["engine_label"]
