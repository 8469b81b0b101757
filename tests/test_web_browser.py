"""The chat page in a real headless Chromium (Debian's), against the real app on a real store:
one test per defect a journalist reported, plus sources, copy/export, the article view, the
Articles and People tabs, keyboard use, and an axe-core accessibility check. The screenshots in
docs/screenshots/ are written here (desktop 1366×900, phone 390×844).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from .conftest import ROOT
from .web_server import running_app

pytestmark = pytest.mark.browser
playwright_api = pytest.importorskip("playwright.sync_api")

CHROMIUM = os.environ.get("ASSISTANT_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
AXE = ROOT / "tests" / "browser" / "node_modules" / "axe-core" / "axe.min.js"
SHOTS = ROOT / "docs" / "screenshots"
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
# Flags that keep Chromium off the network entirely (it is closed here) and quiet.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
# Holds the page's "ask" calls for window.__askDelay ms: an answer that takes a while, so the
# test can type and press Enter while one is on its way.
SLOW_ANSWERS = """
const realFetch = window.fetch.bind(window);
window.fetch = async (input, init) => {
  const url = String((input && input.url) || input);
  if (url.includes('component_server') && init && String(init.body).includes('"fn_name":"ask"')) {
    await new Promise((resolve) => setTimeout(resolve, window.__askDelay || 0));
  }
  return realFetch(input, init);
};
"""
LIBRARY_ARTICLE = """Harbour town opens floating library

The town of Vellmar Bay opened a floating library on Tuesday, moored at the old ferry pier.
"We counted every book twice [2] before the barge left the pier," said the harbour master, Ingrid Solberg.
The barge holds 4,000 books and will visit three villages along the coast each summer.
"""


@pytest.fixture(scope="module")
def app(seeded_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    if not CHROMIUM:
        pytest.skip("no Chromium found: install Debian's 'chromium' package (make test does, as root)")
    store = tmp_path_factory.mktemp("web-browser") / "store"
    shutil.copytree(seeded_store, store)
    with running_app(store, store.parent / "app.log") as url:
        yield url, store


@contextmanager
def chromium() -> Iterator[Any]:
    """Debian's Chromium, headless and kept off the network."""
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def browser(app):
    with chromium() as b:
        yield b


def open_page(browser, url: str, viewport: dict[str, int] = DESKTOP, **options):
    """A fresh page (a new conversation) that has loaded the index's outlets and examples."""
    context = browser.new_context(viewport=viewport, **options)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=url.rstrip("/"))
    context.add_init_script(SLOW_ANSWERS)
    page = context.new_page()
    page.set_default_timeout(30_000)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.network = record_network(page)  # type: ignore[attr-defined]
    page.goto(url)
    page.locator("#chat-app [data-ready=true]").wait_for(state="attached")
    page.errors = errors  # type: ignore[attr-defined]
    return page


def record_network(page) -> list[str]:
    """Every request the page makes, with when it started and how it ended: printed when a test
    fails, so a wait that timed out shows which call the server never answered."""
    start = time.monotonic()
    log: list[str] = []

    def line(kind: str, request, extra: str = "") -> None:
        if "/assets/" not in request.url and not request.url.endswith((".js", ".css", ".woff2")):
            log.append(f"{time.monotonic() - start:7.2f}s {kind:8} {request.method} {request.url} {extra}".rstrip())

    page.on("request", lambda r: line("sent", r))
    page.on("response", lambda r: line("answered", r.request, str(r.status)))
    page.on("requestfinished", lambda r: line("finished", r))
    page.on("requestfailed", lambda r: line("failed", r, str(r.failure)))
    page.on("console", lambda m: log.append(f"{time.monotonic() - start:7.2f}s console  {m.type}: {m.text}"))
    return log


@pytest.fixture
def page(browser, app, request):
    pg = open_page(browser, app[0])
    yield pg
    if getattr(request.node, "failed_call", False):
        log = app[1].parent / "app.log"
        print("the page's requests:\n" + "\n".join(pg.network[-80:]))
        print("the app's log (end):\n" + (log.read_text(encoding="utf-8")[-4000:] if log.exists() else "(none)"))
    assert pg.errors == [], f"the page's script failed: {pg.errors}"
    pg.context.close()


def ask(page, question: str, *, enter: bool = False):
    """Ask through the box (the Ask button, or Enter); returns the new turn, once answered."""
    n = page.locator(".turn").count()
    page.locator("#question").fill(question)
    if enter:
        page.locator("#question").press("Enter")
    else:
        page.locator("#ask").click()
    turn = page.locator(".turn").nth(n)
    page.locator(f"#{turn.get_attribute('id')}[data-state=done]").wait_for()
    return turn


def wait_until_uploaded(page, name: str) -> None:
    """Until the upload box lists the file as uploaded. Its row prints the stem and the extension
    apart ("name .json"): the whole name is only in the cell's label. (Waiting for the name as
    text matched only the brief "Uploading..." line, and timed out whenever the upload finished
    before the wait began.)"""
    page.locator(f'#upload td.filename[aria-label="{name}"]').wait_for()


def feedback_lines(store: Path) -> list[dict]:
    path = store / "feedback.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []


def axe_violations(page, context: str = "body") -> list[dict]:
    """axe-core's serious and critical violations on the page as it is now (WCAG 2 A/AA rules)."""
    if not AXE.exists():
        pytest.skip("axe-core is not installed: `make browser` installs it from the npm registry (needs npm)")
    # Gradio dims a component while its event runs: check what a reader sees once it is done
    page.wait_for_function("document.querySelectorAll('.pending, .generating, .translucent').length === 0")
    page.wait_for_timeout(300)
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async (context) => await axe.run(document.querySelector(context), {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']},
        })""",
        context,
    )
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


# --- the reported defects, one test each ------------------------------------------------------
def test_each_answer_keeps_its_own_sources(page) -> None:
    """Defect 1: after a second question, the first answer's [1] still opens the first answer's source."""
    first = ask(page, "What did Çavuşoğlu say about Patriots?")
    second = ask(page, "How much was the S-400 deal worth?")
    first_card_title = first.locator(".card").first.locator(".card-title").inner_text()
    second_card_title = second.locator(".card").first.locator(".card-title").inner_text()
    assert "NATO says Turkey's purchase of S-400 poses a risk to alliance" in first_card_title
    assert first_card_title != second_card_title

    first.locator("a.cite").first.click()
    focused = page.evaluate("document.activeElement.id")
    assert focused == f"{first.get_attribute('id')}-s1", "the first answer's [1] opens the first answer's card"
    assert "Since we could not get the Patriot" in page.locator(f"#{focused} mark").first.inner_text()
    assert "selected" in (page.locator(f"#{focused}").get_attribute("class") or ""), "the clicked card is marked"
    # the card sits inside its own answer, and the card is on screen
    assert page.locator(f"#{first.get_attribute('id')} #{focused}").count() == 1
    assert page.locator(f"#{focused}").is_visible()

    second.locator("a.cite").first.click()
    assert page.evaluate("document.activeElement.id") == f"{second.get_attribute('id')}-s1"
    # only one card is marked as the one clicked
    assert page.locator(".card.selected").count() == 1

    # hovering a marker previews its quote and source
    first.locator("a.cite").first.hover()
    preview = page.locator("#cite-preview")
    preview.wait_for()
    assert "Since we could not get the Patriot" in preview.inner_text() and "Duvar English" in preview.inner_text()


def test_literal_marker_inside_an_article_is_not_a_link(page, app, tmp_path: Path) -> None:
    """Defect 2: an article's own "[2]" inside a verbatim quote stays text, not a citation link."""
    article = tmp_path / "floating-library.txt"
    article.write_text(LIBRARY_ARTICLE, encoding="utf-8")
    page.get_by_role("tab", name="Articles").click()
    page.locator("#upload input[type=file]").set_input_files(str(article))
    wait_until_uploaded(page, "floating-library.txt")
    page.locator("#add").click()
    page.wait_for_function("document.querySelector('#upload-results').innerText.includes('floating library')")
    page.get_by_role("tab", name="Ask").click()

    turn = ask(page, "What did Ingrid Solberg say about the books?")
    answer = turn.locator(".turn-answer")
    assert "We counted every book twice [2] before the barge left the pier" in answer.inner_text()
    citations = json.loads(turn.locator(".turn-json pre").text_content())["citations"]
    links = answer.locator("a.cite")
    # exactly one link per citation marker the engine wrote, each to a card that exists
    assert links.count() == len(citations) >= 1
    for i in range(links.count()):
        target = links.nth(i).get_attribute("data-card")
        assert page.locator(f"#{target}").count() == 1
    # the "[2]" of the article is plain text inside the quote, not a link
    assert "twice [2] before" in answer.inner_html()


def test_typing_while_an_answer_is_on_its_way_is_kept(page) -> None:
    """Defect 3: nothing typed during an answer is erased, a quick second Enter is not dropped,
    and Ask is disabled while busy."""
    page.evaluate("window.__askDelay = 1500")
    box = page.locator("#question")
    box.fill("What did Çavuşoğlu say about Patriots?")
    box.press("Enter")
    box.fill("How much was the S-400 deal worth?")
    box.press("Enter")  # at once: queued, not dropped
    assert page.locator("#ask").is_disabled(), "Ask is disabled while an answer is on its way"
    assert "Queued" in page.locator("#ask-status").inner_text()
    box.press_sequentially("and what did he say abou", delay=40)  # typing on while answers arrive
    page.locator(".turn[data-state=done]").nth(1).wait_for()
    page.wait_for_timeout(300)
    assert box.input_value() == "and what did he say abou", "what was typed during the answers is intact"
    turns = page.locator(".turn")
    assert turns.count() == 2
    assert "Since we could not get the Patriot" in turns.nth(0).inner_text()
    assert "$2.5 billion" in turns.nth(1).inner_text()
    assert page.locator("#ask").is_enabled()
    page.evaluate("window.__askDelay = 0")


def test_taking_back_a_thumb_is_not_a_thumbs_down(page, app) -> None:
    """Defect 4: 👍 then 👍 again withdraws the rating; it never records a 👎."""
    _, store = app
    turn = ask(page, "What did Stoltenberg say about interoperability?")
    before = len(feedback_lines(store))
    up = turn.get_by_role("button", name="Helpful", exact=True)
    down = turn.get_by_role("button", name="Not helpful")
    up.click()
    turn.locator(".turn-note").get_by_text("feedback saved (helpful)").wait_for()
    assert up.get_attribute("aria-pressed") == "true"
    up.click()
    turn.locator(".turn-note").get_by_text("withdrawn").wait_for()
    assert up.get_attribute("aria-pressed") == "false" and down.get_attribute("aria-pressed") == "false"
    down.click()
    turn.locator(".turn-note").get_by_text("not helpful").wait_for()
    assert down.get_attribute("aria-pressed") == "true" and up.get_attribute("aria-pressed") == "false"
    records = feedback_lines(store)[before:]
    assert [r["rating"] for r in records] == ["up", "withdrawn", "down"]
    assert all(r["question"] == "What did Stoltenberg say about interoperability?" for r in records)
    assert records[0]["citations"] and records[0]["citations"][0]["quote"]


def test_new_conversation_clears_answers_sources_and_data(page) -> None:
    """Defect 5: clearing the conversation takes its sources and data with it; follow-ups start afresh."""
    ask(page, "What did Çavuşoğlu say about Patriots?")
    assert page.locator(".card").count() >= 1
    page.get_by_role("button", name="New conversation").click()
    assert page.locator(".turn").count() == 0
    assert page.locator(".card").count() == 0 and page.locator(".turn-json").count() == 0
    assert "Patriot" not in page.locator("#conversation").inner_text()
    # "he" no longer means Çavuşoğlu: the new conversation names nobody
    turn = ask(page, "and what did he say about sanctions?")
    assert "Who do you mean" in turn.inner_text()


def test_copy_gives_the_answer_with_its_numbered_sources(page) -> None:
    """Defect 6: Copy gives readable text with the sources (title, outlet, date, file, quote),
    Markdown copy and the conversation export give Markdown with a numbered source list."""
    turn = ask(page, "What did Çavuşoğlu say about Patriots?")
    turn.get_by_role("button", name="Copy answer and sources").click()
    turn.locator(".turn-note").get_by_text("Copied").wait_for()
    text = page.evaluate("navigator.clipboard.readText()")
    assert text.startswith("Q: What did Çavuşoğlu say about Patriots?")
    assert "](#" not in text and "[[1]]" not in text
    assert (
        "\nSources:\n[1] NATO says Turkey's purchase of S-400 poses a risk to alliance — Duvar English, date unknown"
        in text
    )
    assert "000_497468fe3386531b.txt (doc 9fe05aa7faee94d4, chars 1817-1985); who: Mevlüt Çavuşoğlu" in text
    assert '"Since we could not get the Patriot or any other air defense systems from our allies' in text

    turn.get_by_role("button", name="Copy as Markdown").click()
    markdown = page.evaluate("navigator.clipboard.readText()")
    assert markdown.startswith("### What did Çavuşoğlu say about Patriots?")
    assert (
        "**Sources**" in markdown and "1. **NATO says Turkey's purchase of S-400 poses a risk to alliance**" in markdown
    )
    assert "   > — Mevlüt Çavuşoğlu" in markdown

    ask(page, "How much was the S-400 deal worth?")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download conversation (.md)").click()
    exported = Path(download.value.path()).read_text(encoding="utf-8")
    assert exported.count("**Sources**") == 2
    assert (
        "### What did Çavuşoğlu say about Patriots?" in exported
        and "### How much was the S-400 deal worth?" in exported
    )


def test_articles_tab_shows_whole_reasons_and_removal_asks_and_can_be_undone(page, tmp_path: Path) -> None:
    """Defect 7: a failed file's reason and the list's file/date columns are shown whole; removing
    asks first, and can be undone."""
    bad = tmp_path / "broken-feed-export-with-a-long-name.json"
    bad.write_text('{"title": "unfinished', encoding="utf-8")
    page.get_by_role("tab", name="Articles").click()
    page.locator("#upload input[type=file]").set_input_files(str(bad))
    wait_until_uploaded(page, bad.name)
    page.locator("#add").click()
    row = page.locator("#upload-results tr.status-failed")
    row.wait_for()
    reason = row.locator("td.details")
    assert "JSON" in reason.inner_text() or "json" in reason.inner_text()
    for cell in (reason, row.locator("td.file")):  # nothing cut off: no hidden overflow, inside the page
        assert cell.evaluate("e => e.scrollWidth <= e.clientWidth + 1")
        box = cell.bounding_box()
        assert box and box["x"] + box["width"] <= DESKTOP["width"]
    assert bad.name in row.locator("td.file").inner_text()

    table = page.locator("#doc-table table")
    assert "000_497468fe3386531b.txt" in table.inner_text() and "date unknown" in table.inner_text()
    for cell in table.locator("td").all():
        assert cell.evaluate("e => e.scrollWidth <= e.clientWidth + 1"), cell.inner_text()
    one_line = "e => { const r = document.createRange(); r.selectNodeContents(e); return r.getClientRects().length; }"
    for cell in table.locator("td.file").all():  # a file name is never broken mid-token
        assert cell.evaluate(one_line) == 1, cell.inner_text()

    count_before = table.locator("tbody tr").count()
    page.locator("#remove-choice input").click()
    page.get_by_role("option", name=re.compile("NATO Chief visits Ankara")).click()
    page.locator("#remove").click()
    page.locator("#remove-note").get_by_text("Remove “NATO Chief visits Ankara").wait_for()
    page.locator("#remove-cancel").click()
    page.locator("#remove-note").get_by_text("Nothing removed").wait_for()
    assert table.locator("tbody tr").count() == count_before

    page.locator("#remove-choice input").click()
    page.get_by_role("option", name=re.compile("NATO Chief visits Ankara")).click()
    page.locator("#remove").click()
    page.locator("#remove-confirm").click()
    page.locator("#remove-note").get_by_text("Removed “NATO Chief visits Ankara").wait_for()
    page.wait_for_function(f"document.querySelectorAll('#doc-table tbody tr').length === {count_before - 1}")
    page.locator("#remove-undo").click()
    page.locator("#remove-note").get_by_text("Restored “NATO Chief visits Ankara").wait_for()
    page.wait_for_function(f"document.querySelectorAll('#doc-table tbody tr').length === {count_before}")
    assert "6dd106ff1520a262" in table.inner_text(), "the same article is back, under the same id"


def test_cards_show_who_where_when_and_no_server_paths(page, app) -> None:
    """Defect 8: cards name the speaker, outlet, date and short file name (no server path), ids
    don't wrap, and the whole article opens scrolled to the quote."""
    _, store = app
    turn = ask(page, "What did Çavuşoğlu say about Patriots?")
    card = turn.locator(".card").first
    meta = card.locator(".card-meta").inner_text()
    for label in ("Who", "Outlet", "Published", "File", "Doc"):
        assert label in meta
    assert "Mevlüt Çavuşoğlu" in meta and "Duvar English" in meta and "date unknown" in meta
    assert card.locator(".attribution").inner_text() == "— Mevlüt Çavuşoğlu, Duvar English, date unknown [1]"
    assert card.locator("blockquote mark").count() == 1
    html = page.locator("#chat-app").inner_html()
    assert str(ROOT) not in html and str(store) not in html, "no server path on the page"
    doc_cell = card.locator(".card-meta dd.nowrap").last
    assert doc_cell.evaluate("e => getComputedStyle(e).whiteSpace") == "nowrap"
    # two cards never show the same paragraph twice
    paragraphs = [c.inner_text() for c in turn.locator(".card blockquote").all()]
    assert len(paragraphs) == len(set(paragraphs))

    card.get_by_role("button", name="Read the whole article").click()
    dialog = page.locator("#article-view")
    dialog.wait_for()
    assert (
        dialog.locator("#article-title").inner_text() == "NATO says Turkey's purchase of S-400 poses a risk to alliance"
    )
    quote = dialog.locator("#article-quote")
    assert "Since we could not get the Patriot" in quote.inner_text()
    assert quote.evaluate(
        """q => { const d = q.closest('dialog').getBoundingClientRect(), r = q.getBoundingClientRect();
                   return r.top >= d.top && r.bottom <= d.bottom; }"""
    ), "the article opens scrolled to the quote"
    page.keyboard.press("Escape")
    dialog.wait_for(state="hidden")
    assert page.evaluate("document.activeElement.textContent") == "Read the whole article", "focus returns"


def test_phone_marker_jump_is_short_and_comes_back(browser, app) -> None:
    """Defect 8 on a phone: tapping [1] goes to the card just below and flashes it; "Back to the
    answer" returns to the marker. Also the phone screenshot."""
    page = open_page(browser, app[0], PHONE, is_mobile=True, has_touch=True)
    try:
        turn = ask(page, "What did Çavuşoğlu say about Patriots?")
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=str(SHOTS / "phone-answer.png"))
        # [1]: the first tap previews the quote, the second goes to the card just below
        cite = turn.locator("a.cite").first
        cite.scroll_into_view_if_needed()
        y0 = page.evaluate("window.scrollY")
        cite.tap()
        preview = page.locator("#cite-preview")
        preview.wait_for()
        assert "Since we could not get the Patriot" in preview.inner_text()
        cite.tap()
        card_id = f"{turn.get_attribute('id')}-s1"
        page.wait_for_function(f"document.activeElement.id === '{card_id}'")
        page.wait_for_timeout(600)  # the smooth scroll
        assert abs(page.evaluate("window.scrollY") - y0) < 900, "the card is just below the answer"
        # the last marker, further down: through the preview's button, then back to the marker
        cite = turn.locator("a.cite").last
        n = turn.locator("a.cite").count()
        assert n >= 2, "the answer cites the statement and its paraphrase"
        cite.scroll_into_view_if_needed()
        cite.tap()
        preview.get_by_role("button", name=f"Go to source [{n}]").tap()
        card_id = f"{turn.get_attribute('id')}-s{n}"
        page.wait_for_function(f"document.activeElement.id === '{card_id}'")
        page.wait_for_timeout(600)
        assert page.locator(f"#{card_id}").is_visible()
        assert "flash" in (page.locator(f"#{card_id}").get_attribute("class") or "")
        page.locator(f"#{card_id} a.back-to-answer").tap()
        page.wait_for_timeout(600)
        assert page.evaluate("document.activeElement.textContent") == f"[{n}]"
        on_screen = (
            "(() => { const r = document.activeElement.getBoundingClientRect();"
            " return r.top >= 0 && r.bottom <= innerHeight; })()"
        )
        assert page.evaluate(on_screen)
    finally:
        page.context.close()


def test_pronoun_first_question_is_shown_back(page) -> None:
    """Defect 10: "and what did he say…" asked first is not answered under "he" (the engine no
    longer loses the pronoun to the "…"): the page asks who is meant and puts the question back
    in the box, the pronoun selected; named, it is answered."""
    turn = ask(page, "and what did he say…")
    text = turn.inner_text()
    assert "Who do you mean by “he”?" in text and "You asked" in text
    assert "in the articles' words" not in text
    assert turn.locator(".turn-answer mark").inner_text() == "he"
    assert turn.locator(".card").count() == 0
    box = page.locator("#question")
    assert box.input_value() == "and what did he say…"
    selected = (
        "(() => { const b = document.querySelector('#question');"
        " return b.value.slice(b.selectionStart, b.selectionEnd); })()"
    )
    assert page.evaluate(selected) == "he"
    box.fill("and what did Çavuşoğlu say about sanctions?")
    box.press("Enter")
    page.locator(".turn[data-state=done]").nth(1).wait_for()
    assert "I will impose sanctions if you buy" in page.locator(".turn").nth(1).inner_text()


# --- beyond the defects ----------------------------------------------------------------------
def test_refusal_is_plain_and_follow_up_resolves(page) -> None:
    turn = ask(page, "Who won the 2018 World Cup?")
    assert "don't answer this" in turn.inner_text() or "don't" in turn.locator(".turn-answer").inner_text()
    assert turn.locator(".sources:not(.related) .card").count() == 0
    assert turn.locator("a.cite").count() == 0
    first = ask(page, "What did Çavuşoğlu say about Patriots?", enter=True)
    assert first.locator("a.cite").count() >= 1
    follow = ask(page, "and what did he say about sanctions?")
    assert "Understood as: what did Çavuşoğlu say about sanctions?" in follow.inner_text()
    assert "I will impose sanctions if you buy" in follow.locator(".card mark").first.inner_text()


def test_refusal_shows_related_passages_as_not_an_answer(page) -> None:
    turn = ask(page, "What did Stoltenberg say about Brexit?")
    assert turn.locator("a.cite").count() == 0, "a refusal cites nothing"
    related = turn.locator(".sources.related")
    assert "Not an answer." in related.locator(".sources-head").inner_text()
    assert related.locator(".card").count() >= 1 and related.locator(".card mark").count() >= 1
    assert "[1]" not in related.inner_text(), "related passages are not numbered sources"


def test_outlet_filter_limits_the_sources(page) -> None:
    page.locator("#outlet-filter").select_option("Duvar English")
    turn = ask(page, "What did Stoltenberg say about the S-400?")
    assert "Only from Duvar English" in turn.locator(".understood").inner_text()
    outlets = turn.locator(".card-meta div:has(dt:text-is('Outlet')) dd").all_inner_texts()
    assert outlets and set(outlets) == {"Duvar English"}


def test_date_range_limits_the_sources_to_dated_articles(page) -> None:
    """Only one seed article has a date (Press TV's, estimated from its text): a range around it
    gives only that article's passages, each card saying how the date was found."""
    page.locator("#since-filter").fill("2018-01-01")
    page.locator("#until-filter").fill("2018-12-31")
    turn = ask(page, "What did Çavuşoğlu say about sanctions?")
    assert "published 1 Jan 2018 to 31 Dec 2018" in turn.locator(".understood").inner_text()
    dates = turn.locator(".card-meta div:has(dt:text-is('Published')) dd").all_inner_texts()
    assert dates and set(dates) == {"27 Apr 2018 (estimated from the text)"}
    assert "I will impose sanctions if you buy" in turn.locator(".card mark").first.inner_text()


def test_a_reversed_date_range_is_a_clear_error(page) -> None:
    page.locator("#since-filter").fill("2021-01-01")
    page.locator("#until-filter").fill("2020-01-01")
    page.locator("#question").fill("What did Stoltenberg say about the S-400?")
    page.locator("#ask").click()
    turn = page.locator(".turn[data-state=error]")
    turn.wait_for()
    assert "the date range is reversed: 2021-01-01 is after 2020-01-01" in turn.inner_text()
    assert page.locator("#ask").is_enabled(), "an error ends the wait"


def test_keyboard_only_use(page) -> None:
    """Ask, open a source, read the article and come back without a mouse; focus is always visible."""
    page.locator("#question").focus()
    page.keyboard.type("What did Çavuşoğlu say about Patriots?")
    page.keyboard.press("Enter")
    page.locator(".turn[data-state=done]").first.wait_for()
    page.locator(".turn a.cite").first.focus()
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    assert page.locator("#cite-preview").is_visible(), "a focused marker previews its source"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.classList.contains('card')")
    page.keyboard.press("Tab")  # into the card: "Read the whole article"
    assert page.evaluate("document.activeElement.textContent") == "Read the whole article"
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    page.keyboard.press("Enter")
    page.locator("#article-view").wait_for()
    assert page.evaluate("document.activeElement.id") == "article-close"
    page.keyboard.press("Escape")
    page.locator("#article-view").wait_for(state="hidden")
    page.wait_for_function("document.activeElement.textContent === 'Read the whole article'")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Back to the answer"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.textContent") == "[1]"


def test_people_tab_lists_who_is_quoted_with_their_words(page) -> None:
    page.get_by_role("tab", name="People").click()
    table = page.locator("#people-table table")
    table.wait_for()
    assert "Jens Stoltenberg" in table.inner_text()
    page.locator("#person-choice input").click()
    page.get_by_role("option", name=re.compile("Jens Stoltenberg")).click()
    cards = page.locator("#person-quotes .card")
    cards.first.wait_for()
    # the speaker as that article spells the name ("Stoltenburg" in one of them)
    assert re.match(r"— Jens Stoltenb[eu]rg, ", cards.first.locator(".attribution").inner_text())
    assert cards.first.locator("mark").count() == 1


def test_accessibility_and_screenshots(page) -> None:
    """axe-core finds no serious or critical problem on the answered page, the article view, and
    the other tabs; the desktop screenshots for the README are taken here."""
    ask(page, "What did Çavuşoğlu say about Patriots?")
    ask(page, "and what did he say about sanctions?")
    page.locator(".turn").first.locator("a.cite").first.click()
    page.wait_for_timeout(400)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(SHOTS / "answer-with-sources.png"))
    assert axe_violations(page) == []
    page.locator(".turn .card").first.get_by_role("button", name="Read the whole article").click()
    page.locator("#article-view").wait_for()
    page.screenshot(path=str(SHOTS / "article-view.png"))
    assert axe_violations(page, "#article-view") == []
    page.keyboard.press("Escape")
    page.get_by_role("tab", name="People").click()
    page.locator("#people-table table").wait_for()
    assert axe_violations(page) == []
    page.get_by_role("tab", name="Articles").click()
    page.locator("#doc-table table").wait_for()
    page.screenshot(path=str(SHOTS / "articles.png"))
    assert axe_violations(page) == []


def test_dark_theme_passes_the_same_checks(browser, app) -> None:
    page = open_page(browser, app[0] + "?__theme=dark")
    try:
        turn = ask(page, "What did Çavuşoğlu say about Patriots?")
        turn.locator("a.cite").first.click()
        assert page.evaluate("document.body.classList.contains('dark')")
        assert axe_violations(page) == []
        assert page.errors == []
    finally:
        page.context.close()
