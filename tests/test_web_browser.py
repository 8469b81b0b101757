"""The chat page in a real headless Chromium: ask, read the streamed answer and its highlighted
source, give feedback, follow up, upload an article and ask about it. Screenshots go to
test-output/screenshots/.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest

from .conftest import ROOT
from .web_server import running_app

pytestmark = pytest.mark.browser
playwright_api = pytest.importorskip("playwright.sync_api")

CHROMIUM = os.environ.get("ASSISTANT_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
SHOTS = ROOT / "test-output" / "screenshots"
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
NEW_ARTICLE = """Harbour town opens floating library

The town of Vellmar Bay opened a floating library on Tuesday, moored at the old ferry pier.
"Books should go where people are," said the harbour master, Ingrid Solberg.
The barge holds 4,000 books and will visit three villages along the coast each summer.
"""


@pytest.fixture(scope="module")
def page_url(seeded_store: Path, tmp_path_factory: pytest.TempPathFactory):
    if not CHROMIUM:
        pytest.skip("no Chromium found: install Debian's 'chromium' package (CI does) or set ASSISTANT_CHROMIUM")
    store = tmp_path_factory.mktemp("web-browser") / "store"
    shutil.copytree(seeded_store, store)
    with running_app(store, store.parent / "app.log") as url:
        yield url, store


@pytest.fixture(scope="module")
def page(page_url):
    url, _ = page_url
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        pg = context.new_page()
        pg.set_default_timeout(30_000)
        pg.goto(url)
        pg.locator("#question textarea").wait_for()
        yield pg
        browser.close()


def _ask(page, question: str, expect: str) -> list[int]:
    """Ask, wait for ``expect`` to appear and the streamed answer to settle; returns the lengths seen."""
    page.locator("#question textarea").fill(question)
    # record every change of the chat's text from before the click, so no streamed step is missed
    page.evaluate(
        """() => {
            window.__lengths = [];
            const chat = document.querySelector('#chat');
            new MutationObserver(() => window.__lengths.push(chat.innerText.length))
                .observe(chat, {subtree: true, childList: true, characterData: true});
        }"""
    )
    page.locator("#ask").click()
    page.locator("#chat").get_by_text(expect, exact=False).last.wait_for()
    seen: list[int] = []
    for _ in range(100):  # until the text is unchanged for half a second (bounded: 10 s)
        seen.append(len(page.locator("#chat").inner_text()))
        if len(seen) >= 6 and len(set(seen[-6:])) == 1:
            break
        page.wait_for_timeout(100)
    return page.evaluate("window.__lengths")


def test_ask_shows_answer_with_highlighted_source(page) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    # the example questions are on the page at first load
    assert page.get_by_text("What did Çavuşoğlu say about Patriots?").first.is_visible()
    lengths = _ask(page, "What did Çavuşoğlu say about Patriots?", "Since we could not get the Patriot")
    assert len(set(lengths)) > 3, "the answer streams in, a few words at a time"
    chat_text = page.locator("#chat").inner_text()
    # the speaker named in full with the role the articles give, each statement with its attribution
    assert "Mevlüt Çavuşoğlu (Turkish Foreign Minister) on Patriots:" in chat_text
    assert re.search(r"— Mevlüt Çavuşoğlu, Duvar English \[1\]", chat_text)
    mark = page.locator("#sources mark").first
    mark.wait_for()
    assert "Since we could not get the Patriot" in mark.inner_text()
    head = page.locator("#source-1 .source-head").inner_text()
    assert "NATO says Turkey's purchase of S-400 poses a risk to alliance" in head and "Duvar English" in head
    # the highlighted quote sits inside its paragraph: there is text around it
    context = page.locator("#source-1 .source-context").inner_text()
    assert len(context) >= len(mark.inner_text())
    assert "000_497468fe3386531b.txt" in page.locator("#source-1 .source-meta").inner_text()
    page.screenshot(path=str(SHOTS / "answer-with-sources.png"), full_page=True)


def test_feedback_is_stored(page, page_url) -> None:
    _, store = page_url
    feedback = store / "feedback.jsonl"
    page.locator("#chat button[aria-label='Like']").last.click()
    page.locator("#feedback-note").get_by_text("feedback saved").wait_for()
    record = json.loads(feedback.read_text(encoding="utf-8").splitlines()[-1])
    assert record["rating"] == "up"
    assert record["question"] == "What did Çavuşoğlu say about Patriots?"
    assert "Since we could not get the Patriot" in record["citations"][0]["quote"]
    assert record["time"]


def test_follow_up_and_clear(page) -> None:
    _ask(page, "and what did he say about sanctions?", "I will impose sanctions if you buy")
    page.locator("#clear").click()
    page.wait_for_function("!document.querySelector('#chat').innerText.includes('impose sanctions')")
    assert "Sources for the latest answer appear here" in page.locator("#sources").inner_text()


def test_abstains_plainly_without_sources(page) -> None:
    _ask(page, "Who won the 2018 World Cup?", "don't answer this")
    assert "No sources" in page.locator("#sources").inner_text()
    assert page.locator("#sources mark").count() == 0


def test_upload_article_then_ask_about_it(page, tmp_path: Path) -> None:
    article = tmp_path / "floating-library.txt"
    article.write_text(NEW_ARTICLE, encoding="utf-8")
    page.get_by_role("tab", name="Articles").click()
    page.locator("#doc-summary").get_by_text("5 articles indexed").wait_for()
    page.locator("#upload input[type=file]").set_input_files(str(article))
    page.locator("#upload").get_by_text("floating-library.txt").first.wait_for()
    page.locator("#add").click()
    page.wait_for_function("document.querySelector('#upload-results').innerText.includes('floating library')")
    results = page.locator("#upload-results").inner_text()
    assert "floating-library.txt" in results and re.search(r"\badded\b", results)
    page.locator("#doc-summary").get_by_text("6 articles indexed").wait_for()
    page.screenshot(path=str(SHOTS / "upload-result.png"), full_page=True)

    page.get_by_role("tab", name="Ask").click()
    _ask(page, "What did Ingrid Solberg say?", "Books should go where people are")
    assert "floating-library.txt" in page.locator("#sources").inner_text()
