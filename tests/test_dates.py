"""Issue #13: when each article was published and by whom, how that was found, and search
filters by date and outlet applied inside the search (embedded store here; the Chroma server in
``test_chroma_server.py``)."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from assistant import Assistant, SearchFilter
from assistant.errors import FilterError
from assistant.ingest.cleaning import clean
from assistant.ingest.loading import load_file
from assistant.interfaces.page import cards_html
from assistant.interfaces.render import (
    chat_text,
    dates_label,
    export_markdown,
    export_text,
    plain_text,
    quote_line,
    slack_messages,
)
from assistant.text.dates import asks_for_latest, estimate_from_text, parse_date, publication_date, resolve_dates
from assistant.text.filters import filter_from_question, make_filter, parse_day, resolve_outlets, split_filters

from .conftest import ROOT, SEEDS, check_citations

# Written by reading each seed article, before running the extractor:
# 000 names its outlet on a line of its own ("Duvar English") and dates its event "on Oct. 5"
#     without a year anywhere in the text: the date is unknown (a year is never guessed).
# 001 names no outlet (it mentions "a question by Daily Sabah", a newspaper asking, not a credit
#     line) and no date ("on Friday", "earlier this month"): both unknown.
# 002 reports what "Anadolu Agency reported" and "Sputnik reported": sources, not its outlet;
#     "in December 2017" is a month, not a publication day: both unknown.
# 003 ends with "Press TV's website can also be accessed...": Press TV. Its photo captions date
#     the meeting "on April 27, 2018", the latest full date it mentions: 27 Apr 2018, estimated
#     from the text (it reports a "Friday presser"; 27 April 2018 was a Friday).
# 004 opens and closes with "The Kabul times, Afghanistan Trustable News Agency.": The Kabul Times.
#     It says "Monday", "Sunday" and "In 2020, Turkey will take command" (a future year): unknown.
SEED_EXPECTED = {
    "000_497468fe3386531b.txt": ("Duvar English", "text", None, "unknown"),
    "001_17c3880eb98f23c3.txt": (None, "unknown", None, "unknown"),
    "002_10fb3947b5fe55a9.txt": (None, "unknown", None, "unknown"),
    "003_eec6349a4f158b67.txt": ("Press TV", "text", "2018-04-27", "text"),
    "004_8414f159b6fe6297.txt": ("The Kabul Times", "text", None, "unknown"),
}

EXTRA_RECORDS = [
    {
        "title": "Stoltenberg says S-400 cannot be integrated into NATO air defence",
        "date": "2019-07-12T09:30:00Z",
        "source": "Wire One",
        "text": "NATO Secretary General Jens Stoltenberg said the S-400 system cannot be integrated into the "
        "alliance's integrated air and missile defence. \"We are concerned about the potential consequences "
        'of the S-400 decision," Stoltenberg said in Brussels. Russia began delivering the system to Ankara '
        "this week.",
    },
    {
        "title": "Stoltenberg urges dialogue with Turkey over the S-400",
        "date": "2021-03-15",
        "source": "Wire Two",
        "text": "NATO Secretary General Jens Stoltenberg said allies should keep talking with Turkey about the "
        'S-400. "The S-400 remains a concern for all allies and I urge Ankara to find a solution," '
        "Stoltenberg said. Turkey has said the purchase is final.",
    },
    {
        "title": "Stoltenberg comments on the S-400 again",
        "date": "Mon, 05 Oct 2020 10:00:00 GMT",
        "url": "https://www.presstv.ir/Detail/2020/10/05/1",
        "text": 'Jens Stoltenberg said on Monday that the S-400 poses a risk to allied aircraft. "The S-400 '
        'cannot be integrated into NATO systems," Stoltenberg said in Ankara on Oct. 5.',
    },
]

HTML_META = """<html><head><title>Alliance summit</title>
<meta property="article:published_time" content="2022-06-29T08:00:00+02:00">
<meta property="og:site_name" content="Example Herald">
</head><body><article><h1>Stoltenberg opens the Madrid summit</h1>
<p>Jens Stoltenberg opened the summit in Madrid. "This is a historic summit," Stoltenberg said about the S-400 and
other matters that divide the allies.</p></article></body></html>"""

HTML_JSON_LD = """<html><head><title>Ministers meet</title>
<script type="application/ld+json">{"@context": "https://schema.org", "@graph": [{"@type": "NewsArticle",
"datePublished": "2023-02-14T10:00:00Z", "publisher": {"@type": "Organization", "name": "Ledger Daily"}}]}</script>
</head><body><article><p>Defence ministers met in Brussels to discuss ammunition for Ukraine and air defence
systems for the eastern flank.</p></article></body></html>"""


def _clean_file(path: Path):
    return [clean(raw) for raw in load_file(path, 10_000_000)]


# --- each article's date and outlet, and how they were found --------------------------------
@pytest.mark.parametrize("name", sorted(SEED_EXPECTED))
def test_seed_articles_dated_and_credited_as_the_text_says(name: str) -> None:
    (art,) = _clean_file(SEEDS / name)
    assert (art.outlet, art.outlet_source, art.published, art.published_source) == SEED_EXPECTED[name]


def test_metadata_dates_from_json_html_meta_and_json_ld(tmp_path: Path) -> None:
    (tmp_path / "records.jsonl").write_text("\n".join(json.dumps(r) for r in EXTRA_RECORDS), encoding="utf-8")
    (tmp_path / "summit.html").write_text(HTML_META, encoding="utf-8")
    (tmp_path / "ministers.html").write_text(HTML_JSON_LD, encoding="utf-8")
    one, two, three = _clean_file(tmp_path / "records.jsonl")
    assert (one.published, one.published_source, one.outlet, one.outlet_source) == (
        "2019-07-12",
        "metadata",
        "Wire One",
        "metadata",
    )
    assert (two.published, two.published_source) == ("2021-03-15", "metadata")
    # an RFC 2822 date; no outlet in the record or the text: the URL's
    assert (three.published, three.published_source, three.outlet, three.outlet_source) == (
        "2020-10-05",
        "metadata",
        "Press TV",
        "url",
    )
    (summit,) = _clean_file(tmp_path / "summit.html")
    # the day as the publisher wrote it (08:00 at +02:00 is still 29 June)
    assert (summit.published, summit.published_source, summit.outlet) == ("2022-06-29", "metadata", "Example Herald")
    (ministers,) = _clean_file(tmp_path / "ministers.html")
    assert (ministers.published, ministers.published_source, ministers.outlet) == (
        "2023-02-14",
        "metadata",
        "Ledger Daily",
    )


_STORY = "<p>Defence ministers met in Brussels on Friday to discuss air defence for the eastern flank.</p>"
HTML_MARKUP_DATES = {
    # markup the loader's own reading misses, read by htmldate (its markup search only)
    "byline.html": (
        f"<html><body><article><p>By A. Writer <time datetime='2020-11-03'>3 Nov</time></p>{_STORY}",
        "2020-11-03",
    ),
    "parsely.html": (
        f"<html><head><meta name='parsely-pub-date' content='2019-02-01T08:00:00Z'></head><body>{_STORY}",
        "2019-02-01",
    ),
    "dc.html": (f"<html><head><meta name='DC.date.issued' content='2018-03-09'></head><body>{_STORY}", "2018-03-09"),
    "url.html": (
        f"<html><head><link rel='canonical' href='https://example.org/2017/06/21/ministers'></head><body>{_STORY}",
        "2017-06-21",
    ),
    # never a guess: a modification date, a footer's copyright year, a date the story mentions
    "modified.html": (
        f"<html><head><meta property='article:modified_time' content='2022-01-10'></head><body>{_STORY}",
        None,
    ),
    "footer.html": (
        f"<html><body><article>{_STORY}</article><footer>© 2023 Example Herald.</footer></body></html>",
        None,
    ),
    "story.html": (
        f"<html><body><article><p>The treaty of 12 March 2015 came up.</p>{_STORY}</article></body></html>",
        None,
    ),
}


@pytest.mark.parametrize("name", sorted(HTML_MARKUP_DATES))
def test_html_dates_from_other_markup_and_never_guessed(tmp_path: Path, name: str) -> None:
    html, expected = HTML_MARKUP_DATES[name]
    (tmp_path / name).write_text(html, encoding="utf-8")
    (page,) = _clean_file(tmp_path / name)
    assert (page.published, page.published_source) == ((expected, "metadata") if expected else (None, "unknown"))


def test_unreadable_metadata_date_is_not_guessed(tmp_path: Path) -> None:
    record = {"title": "T", "date": "sometime last spring", "text": "Nothing here is dated at all, said the minister."}
    (tmp_path / "a.json").write_text(json.dumps(record), encoding="utf-8")
    (art,) = _clean_file(tmp_path / "a.json")
    assert (art.published, art.published_source) == (None, "unknown")
    assert any("not understood" in w for w in art.warnings)


def test_dates_in_text() -> None:
    assert parse_date("2020-10-05T23:30:00-05:00") == date(2020, 10, 5)
    assert parse_date("Mon, 05 Oct 2020 10:00:00 GMT") == date(2020, 10, 5)
    assert parse_date("October 5, 2020") == parse_date("5 Oct 2020") == parse_date("20201005") == date(2020, 10, 5)
    assert parse_date("1601892000") == parse_date("1601892000000") == date(2020, 10, 5)
    assert parse_date("Oct. 5") is None and parse_date("yesterday") is None and parse_date("") is None
    dateline = estimate_from_text("ANKARA, Oct. 5, 2020 (AA) - Turkey said the S-400 was bought. On Sept. 27, 2020...")
    assert (dateline.day, dateline.source) == (date(2020, 10, 5), "text") and "dateline" in dateline.evidence
    assert estimate_from_text("Title\n\nPublished: 5 October 2020\n\nBody").day == date(2020, 10, 5)
    assert estimate_from_text("He spoke on Oct. 5 and again on Friday.").source == "unknown"
    # the latest full date counts only when mentioned twice, with its weekday named and no later year
    reported = estimate_from_text(
        "Ministers met on Friday. Talks in Brussels on April 27, 2018 ended late.\n\nA photo on April 27, 2018."
    )
    assert (reported.day, reported.source) == (date(2018, 4, 27), "text") and "Friday" in reported.evidence
    for not_news in (
        "The novelist died on Friday. Born in Luton on 5 April 1920, he wrote thirty books.",  # a Monday
        "The deadline was moved until 15 July 2006, the commission said on Monday.",  # a Saturday to come
        "Talks on Friday, April 27, 2018 led to the 2020 agreement.",  # a later year: not the news day
        "Leeds v Saracens\n\nFriday, 25 February\n\n2000 GMT\n\nThe game got the go-ahead on Friday.",
        "Ministers met on Friday. Talks in Brussels on April 27, 2018 ended late.",  # mentioned once
    ):
        assert estimate_from_text(not_news).source == "unknown", not_news
    assert publication_date("2019-01-02", "On April 27, 2018 ...").source == "metadata"
    # relative dates resolved against the publication date (a Tuesday)
    found = {m.text: m.day for m in resolve_dates("on Friday, on Oct. 5, last Tuesday, yesterday", date(2020, 10, 6))}
    assert found == {
        "on Friday": date(2020, 10, 2),
        "Oct. 5": date(2020, 10, 5),
        "last Tuesday": date(2020, 9, 29),
        "yesterday": date(2020, 10, 5),
    }
    # "Oct. 5" in a January article is last October's; without a publication date, unresolved
    assert [m.day for m in resolve_dates("on Oct. 5", date(2021, 1, 10))] == [date(2020, 10, 5)]
    assert [m.day for m in resolve_dates("on Friday and on Oct. 5", None)] == [None, None]
    months = resolve_dates("signed in December 2017; the Senate in June; last December; in April", date(2018, 4, 27))
    assert [(m.text, m.day, m.precision) for m in months] == [
        ("December 2017", date(2017, 12, 1), "month"),
        ("in June", date(2017, 6, 1), "month"),
        ("last December", date(2017, 12, 1), "month"),
        ("in April", date(2018, 4, 1), "month"),
    ]
    assert asks_for_latest("What is the latest on the S-400?") and not asks_for_latest("What did he say?")


# --- filters as people write them --------------------------------------------------------------
def test_filter_tokens_and_dates() -> None:
    rest, found = split_filters('what did Stoltenberg say about the S-400 since:2019 outlet:"Press TV" until:2020-06')
    assert rest == "what did Stoltenberg say about the S-400"
    assert found == {"since": "2019", "outlets": ["Press TV"], "until": "2020-06"}
    rest, f = filter_from_question("S-400 outlet:“press tv” outlet:reuters before:2019", ["Press TV", "Reuters"])
    assert rest == "S-400" and f == SearchFilter(outlets={"Press TV", "Reuters"}, until=date(2019, 12, 31))
    assert filter_from_question("no filters here")[1] is None
    assert parse_day("2019") == date(2019, 1, 1) and parse_day("2019", end=True) == date(2019, 12, 31)
    assert parse_day("2020-02", end=True) == date(2020, 2, 29) and parse_day("March 2019") == date(2019, 3, 1)
    assert parse_day("5 March 2019") == parse_day("March 5, 2019") == parse_day("2019-03-05") == date(2019, 3, 5)
    for bad in ("2019-13", "yesterday", "2019-02-30"):
        with pytest.raises(FilterError, match="not a date"):
            parse_day(bad)
    with pytest.raises(FilterError, match="range is empty"):
        make_filter("2020", "2019")
    with pytest.raises(FilterError, match="reversed: since 2020-01-01 is after until 2019-01-01"):
        SearchFilter(since=date(2020, 1, 1), until=date(2019, 1, 1))
    with pytest.raises(FilterError, match=r"no article is from the outlet 'Reuter'.*Press TV"):
        resolve_outlets(["Reuter"], ["Press TV", "Duvar English"])
    assert resolve_outlets(["kabul times"], ["The Kabul Times"]) == {"The Kabul Times"}


# --- filtered search on a store ----------------------------------------------------------------
@pytest.fixture(scope="module")
def dated(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    """The seeds plus dated articles from JSON and HTML metadata."""
    folder = tmp_path_factory.mktemp("dated-articles")
    for seed in SEEDS.iterdir():
        shutil.copy(seed, folder / seed.name)
    (folder / "records.jsonl").write_text("\n".join(json.dumps(r) for r in EXTRA_RECORDS), encoding="utf-8")
    (folder / "summit.html").write_text(HTML_META, encoding="utf-8")
    a = Assistant(store_dir=tmp_path_factory.mktemp("dated") / "store")
    report = a.ingest([folder])
    assert report.added == 9 and report.failed == 0, report.to_dict()
    yield a
    a.close()


FILTERS = [
    SearchFilter(since=date(2019, 1, 1)),
    SearchFilter(until=date(2019, 12, 31)),
    SearchFilter(since=date(2020, 1, 1), until=date(2021, 12, 31)),
    SearchFilter(outlets={"Press TV"}, since=date(2019, 1, 1)),
    SearchFilter(outlets={"Wire One", "Wire Two"}),
]


@pytest.mark.parametrize("f", FILTERS, ids=lambda f: f"{f.since}..{f.until} {sorted(f.outlets or [])}")
@pytest.mark.parametrize("question", ["what did Stoltenberg say about the S-400?", "S-400 integrated air defence"])
def test_filtered_search_keeps_inside_and_ranks_as_unfiltered(dated: Assistant, f: SearchFilter, question: str) -> None:
    docs = {d.doc_id: d for d in dated.docs()}
    inside = {i for i, d in docs.items() if f.allows_document(i, d.outlet, d.published_day)}
    assert inside, "each filter lets some article in"
    filtered = dated.retrieve(question, k=5, filters=f)
    assert filtered.chunks and {c.doc_id for c in filtered.chunks} <= inside
    # the unfiltered ranking of every chunk, restricted to the filter, starts with the same best passage
    everything = dated.retrieve(question, k=len(dated.store.chunk_rows()))
    restricted = [c.chunk_id for c in everything.chunks if c.doc_id in inside]
    assert filtered.chunks[0].chunk_id == restricted[0]
    answer = dated.ask(question, filters=f)
    check_citations(dated, answer)
    for c in answer.citations + answer.related:
        assert c.doc_id in inside
        assert (c.published, c.published_source) == (docs[c.doc_id].published, docs[c.doc_id].published_source)
        if f.since or f.until:
            assert c.published and (f.since or date.min) <= date.fromisoformat(c.published) <= (f.until or date.max)


def test_date_filter_leaves_out_undated_articles(dated: Assistant) -> None:
    answer = dated.ask("what did Çavuşoğlu say about Patriots?", filters=SearchFilter(since=date(2015, 1, 1)))
    # the Patriots quote is in the Duvar English article, whose year the text never gives
    assert all(c.doc_id != "9fe05aa7faee94d4" for c in answer.citations + answer.related)


def test_latest_question_prefers_newer_articles(dated: Assistant) -> None:
    plain = dated.retrieve("what did Stoltenberg say about the S-400?", k=10)
    latest = dated.retrieve("what did Stoltenberg say most recently about the S-400?", k=10)
    day = {d.doc_id: d.published_day for d in dated.docs()}
    first_dated = [day[c.doc_id] for c in latest.chunks if day[c.doc_id]]
    assert first_dated[0] == max(day.values())  # the newest article leads among dated ones
    assert [c.chunk_id for c in plain.chunks] != [c.chunk_id for c in latest.chunks]


def test_citations_show_their_date_everywhere(dated: Assistant) -> None:
    answer = dated.ask("what did Stoltenberg say about the S-400?", filters=SearchFilter(outlets={"Wire One"}))
    assert answer.citations and answer.citations[0].published == "2019-07-12"
    assert answer.to_dict()["citations"][0]["published_source"] == "metadata"
    assert "— Wire One, 12 Jul 2019" in plain_text(answer)
    assert "12 Jul 2019" in json.dumps(slack_messages(answer)) and "12 Jul 2019" in chat_text(answer)
    press = dated.ask("what did Cavusoglu say about sanctions?", filters=SearchFilter(outlets={"Press TV"}))
    assert "27 Apr 2018 (estimated from the text)" in plain_text(press)
    undated = dated.ask("what did Çavuşoğlu say about Patriots?", filters=SearchFilter(outlets={"Duvar English"}))
    assert "Duvar English, date unknown" in plain_text(undated)
    quotes = dated.quotes("Stoltenberg", topic="S-400", limit=20)
    assert any("date unknown" in quote_line(c) for c in quotes) and any("Jul 2019" in quote_line(c) for c in quotes)


def test_relative_dates_in_a_quote_resolved_against_its_publication_date() -> None:
    """dateparser reads only phrases the date patterns find: words that are also month names
    ("may", "march", Theresa May) are not dates, and a month or a year never borrows its day
    from the publication date."""
    published = date(2020, 10, 6)  # a Tuesday
    text = (
        "Theresa May said they may march on Friday, as they did two years ago and last week; "
        "the deal was signed last year and talks resume next month, or on Tuesday, a second time."
    )
    found = [(m.text, m.iso) for m in resolve_dates(text, published) if m.relative]
    assert found == [
        ("on Friday", "2020-10-02"),
        ("two years ago", "2018"),
        ("last week", "2020-W40"),
        ("last year", "2019"),
        ("next month", "2020-11"),
        ("on Tuesday", "2020-10-06"),  # the day of writing: news reports the day's events
    ]
    assert [m.day for m in resolve_dates(text, None) if m.relative] == [None] * 6
    # a full date is not relative: the text says it all
    assert [m.relative for m in resolve_dates("on April 16, 2018 and in December 2017", published)] == [False, False]


def test_citations_carry_and_show_resolved_dates(dated: Assistant) -> None:
    answer = dated.ask(
        "what did Stoltenberg say about the risk to allied aircraft?",
        filters=SearchFilter(outlets={"Press TV"}, since=date(2020, 1, 1)),
    )
    check_citations(dated, answer)
    monday = [c for c in answer.citations if "on Monday" in c.quote]
    assert monday, [c.quote for c in answer.citations]
    c = monday[0]
    assert c.published == "2020-10-05" and ("on Monday", "2020-10-05") in [(p, iso) for _, _, p, iso in c.dates]
    for start, end, phrase, _ in c.dates:  # the contract: offsets slice the phrase out of the article
        assert dated.document_text(c.doc_id)[start:end] == phrase
        assert c.start <= start < end <= c.end
    shown = "on Monday (= 2020-10-05)"
    assert shown in plain_text(answer) and shown in chat_text(answer) and shown in json.dumps(slack_messages(answer))
    assert shown in export_markdown(answer) and shown in export_text(answer)
    assert "“on Monday” = <time datetime='2020-10-05'>2020-10-05</time>" in cards_html(
        answer, "t1", dated.document_text
    )
    assert json.loads(json.dumps(answer.to_dict()))["citations"][0]["dates"]


def test_resolved_dates_only_where_the_article_is_dated(dated: Assistant) -> None:
    """The Press TV seed (dated 27 Apr 2018 from its text, a Friday) and Daily Sabah (undated)
    both say Stoltenberg "reiterated on Friday": resolved in the first, shown as resolved from
    an estimated date; never in the second."""
    press = dated.ask(
        "Did Stoltenberg say the S-400 was Turkey's national decision?", filters=SearchFilter(outlets={"Press TV"})
    )
    friday = [c for c in press.citations if "on Friday" in c.quote]
    assert friday and [(p, iso) for _, _, p, iso in friday[0].dates] == [("on Friday", "2018-04-27")]
    assert "from an estimated publication date: on Friday (= 2018-04-27)" in plain_text(press)
    sabah = dated.ask("Did Stoltenberg say the S-400 was Turkey's national decision?")
    undated = [c for c in sabah.citations if "on Friday" in c.quote and c.published is None]
    assert undated and all(c.dates == () for c in undated)
    assert all(dates_label(c) == "" for c in undated)


# --- stores from before this version ----------------------------------------------------------
OLD_STORE = ROOT / "tests" / "fixtures" / "store_schema1" / "store"


def test_old_store_is_dated_on_upgrade_and_filters(tmp_path: Path) -> None:
    store = tmp_path / "store"
    shutil.copytree(OLD_STORE, store)
    with Assistant(store_dir=store) as a:
        docs = {Path(d.source).name: d for d in a.docs()}
        assert {n: (d.outlet, d.published, d.published_source) for n, d in docs.items()} == {
            n: (e[0], e[2], e[3]) for n, e in SEED_EXPECTED.items()
        }
        metas = a.store.collection.get(include=["metadatas"])["metadatas"]
        assert {m["published_day"] for m in metas} == {0, 20180427}
        got = a.retrieve("sanctions", k=5, filters=SearchFilter(since=date(2018, 1, 1)))
        assert got.chunks and {c.doc_id for c in got.chunks} == {docs["003_eec6349a4f158b67.txt"].doc_id}
    with sqlite3.connect(store / "documents.sqlite3") as db:
        assert db.execute("SELECT value FROM meta WHERE key = 'chunk_dates'").fetchone() == ("1",)


# --- the command line -------------------------------------------------------------------------
def _cli(*args: str, input: str | None = None) -> subprocess.CompletedProcess[str]:
    code = "from assistant.interfaces.cli import main; main()"
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=300, input=input)


def test_cli_filters(seeded_store: Path) -> None:
    store = str(seeded_store)
    out = _cli("ask", "what did Cavusoglu say about sanctions?", "--store", store, "--since", "2018", "--until", "2018")
    assert out.returncode == 0, out.stderr
    assert "— Press TV, 27 Apr 2018 (estimated from the text)" in out.stdout
    out = _cli("ask", "what did Stoltenberg say?", "--store", store, "--outlet", "duvar english", "--json")
    assert out.returncode == 0, out.stderr
    cited = json.loads(out.stdout)["citations"]
    assert cited and {c["outlet"] for c in cited} == {"Duvar English"}
    assert {c["published"] for c in cited} == {None}
    out = _cli("ask", "anything", "--store", store, "--since", "2019-13-01")
    assert out.returncode == 2 and "Invalid value for '--since': not a date: '2019-13-01'" in out.stderr
    out = _cli("ask", "anything", "--store", store, "--outlet", "Reuters")
    assert out.returncode == 2 and "no article is from the outlet 'Reuters'" in out.stderr


def test_rebuilt_vectors_keep_their_dates(fresh_copy: Path) -> None:
    from assistant.ingest.pipeline import rebuild_vectors
    from assistant.search.embedding import MiniLM
    from assistant.search.store import Store

    store = Store(fresh_copy, create=False, vectors_required=False)
    store.set_aside_vectors()
    assert rebuild_vectors(store, MiniLM()) == 25
    metas = store.collection.get(include=["metadatas"])["metadatas"]
    assert sorted({m["published_day"] for m in metas}) == [0, 20180427]
    store.close()


def test_chat_reads_filters_in_the_question(seeded_store: Path) -> None:
    typed = (
        'what did Cavusoglu say about sanctions? since:2018 outlet:"press tv"\nwhat did he say? until:2019-13\n:quit\n'
    )
    out = _cli("chat", "--store", str(seeded_store), input=typed)
    assert out.returncode == 0, out.stderr
    assert "— Press TV, 27 Apr 2018 (estimated from the text)" in out.stdout
    assert "(understood as" not in out.stdout.split("Sources:")[0]  # the tokens are not part of the question
    assert "error: not a date: '2019-13'" in out.stderr


def test_removed_and_restored_articles_keep_how_their_date_was_found(fresh_copy: Path, tmp_path: Path) -> None:
    from assistant.interfaces.service import remove_keeping_copy, restore_removed

    (tmp_path / "wire.json").write_text(json.dumps(EXTRA_RECORDS[0]), encoding="utf-8")
    with Assistant(store_dir=fresh_copy) as a:
        assert a.ingest([tmp_path / "wire.json"]).added == 1
        before = {d.doc_id: (d.published, d.published_source, d.outlet) for d in a.docs()}
        for doc_id, (published, _, _) in before.items():
            if published:  # Press TV's estimated from its text, Wire One's from its metadata
                remove_keeping_copy(a, doc_id)
                assert restore_removed(a, doc_id).added == 1
        assert {d.doc_id: (d.published, d.published_source, d.outlet) for d in a.docs()} == before
        assert sorted(v[1] for v in before.values() if v[0]) == ["metadata", "text"]
