"""Syndicated copies: grouped at ingest (MinHash LSH, confirmed by exact Jaccard), kept
consistent on removal, and cited once with "also in" (whole copies and reprinted passages)."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from assistant import Assistant
from assistant.ingest import dedup
from assistant.interfaces.render import chat_text, plain_text, slack_messages

from .conftest import SEEDS, SHARED, check_citations

ORIGINAL = SEEDS / "000_497468fe3386531b.txt"  # Duvar English, NATO on the S-400
PRESS_TV = "ddff8ffa0951e1db"  # reprints Daily Sabah's report of Stoltenberg (and Hutchinson)
DAILY_SABAH = "e1a68450fcac8a05"


def rewritten(text: str) -> str:
    """A syndicated copy as another outlet runs it: its own dateline, paragraphs in another
    order, a sentence cut, its own outlet line and a footer."""
    paras = [p for p in text.split("\n\n") if p.strip()]
    title, lead, outlet, body = paras[0], paras[1], paras[2], paras[3:]
    assert outlet.strip() == "Duvar English"
    lead = "ANKARA, Oct. 6 (Reuters) - " + lead
    body = body[1::2] + body[0::2]  # reordered
    cut = body[0].split(". ")
    body[0] = ". ".join(cut[1:]) if len(cut) > 1 else body[0]
    del body[-1]  # and the last paragraph cut
    footer = "Copyright 2020 Hurriyet Daily News. All rights reserved. Follow us on Twitter for more."
    return "\n\n".join([title, lead, "Hurriyet Daily News", *body, footer]) + "\n"


UNRELATED = """Harbour town opens floating library

The town of Vellmar Bay opened a floating library on Tuesday, moored at the old ferry pier.

"Books should go where people are," said the harbour master, Ingrid Solberg.

The barge holds 4,000 books and will visit three villages along the coast each summer.
"""


def test_shingles_ignore_datelines_and_footers() -> None:
    plain = "NATO chief urges Turkey to talk with Washington about the missile system this week."
    dated = "ANKARA (AP) — " + plain + "\n\nCopyright 2020 The Associated Press. All rights reserved."
    assert dedup.shingles(plain) == dedup.shingles(dated)
    text = ORIGINAL.read_text(encoding="utf-8")
    copy = dedup.shingles(rewritten(text))
    assert dedup.jaccard(dedup.shingles(text), copy) >= dedup.JACCARD
    assert dedup.jaccard(dedup.shingles(UNRELATED), copy) < 0.05


def test_groups_are_connected_components() -> None:
    assert dedup.groups([("a", "b"), ("c", "b"), ("x", "y")]) == {
        "a": ("a", "b", "c"),
        "b": ("a", "b", "c"),
        "c": ("a", "b", "c"),
        "x": ("x", "y"),
        "y": ("x", "y"),
    }


def _pairs(store: Path) -> set[frozenset[str]]:
    with sqlite3.connect(store / "documents.sqlite3") as db:
        return {frozenset(r) for r in db.execute("SELECT doc_id, other FROM dup_pairs")}


def test_copy_grouped_at_ingest_unrelated_not_and_removal_keeps_groups(fresh_copy: Path, tmp_path: Path) -> None:
    original = ORIGINAL.read_text(encoding="utf-8")
    folder = tmp_path / "new"
    folder.mkdir()
    (folder / "copy.txt").write_text(rewritten(original), encoding="utf-8")
    (folder / "copy2.txt").write_text(rewritten(original).replace("ANKARA, Oct. 6", "ISTANBUL, Oct. 7"), "utf-8")
    (folder / "unrelated.txt").write_text(UNRELATED, encoding="utf-8")
    with Assistant(store_dir=fresh_copy) as a:
        assert _pairs(fresh_copy) == set(), "the seeds hold no syndicated copy"
        report = a.ingest([folder])
        assert report.added == 3, report.to_dict()
        ids = {Path(i.source).name: i.doc_id for i in report.items}
        orig = next(d.doc_id for d in a.docs() if d.source.endswith(ORIGINAL.name))
        copy, copy2, unrelated = ids["copy.txt"], ids["copy2.txt"], ids["unrelated.txt"]
        assert _pairs(fresh_copy) == {frozenset(p) for p in [(orig, copy), (orig, copy2), (copy, copy2)]}
        assert set(a.index.copies(orig)) == {copy, copy2}
        assert a.index.copies(unrelated) == ()
        assert a.document(copy).outlet == "Hürriyet Daily News"
        assert {d.doc_id for d in a.copies(copy)} == {orig, copy2}

        # a question the copies answer: one citation, the other copies under also_in
        answer = a.ask("What did Stoltenberg say about a peaceful, negotiated solution?")
        check_citations(a, answer)
        assert answer.citations, answer.text
        cited = [c.doc_id for c in answer.citations]
        assert len({orig, copy, copy2} & set(cited)) == 1, "the same passage cited from two copies"
        first = answer.citations[0]
        assert {e["doc_id"] for e in first.also_in} == {orig, copy, copy2} - {first.doc_id}
        for e in first.also_in:
            assert a.document_text(e["doc_id"])[e["start"] : e["end"]] == e["quote"]

        # removal: the removed article's pairs go, the others' group remains
        a.remove(orig)
        assert _pairs(fresh_copy) == {frozenset((copy, copy2))}
        assert a.index.copies(copy) == (copy2,)
        a.remove(copy2)
        assert _pairs(fresh_copy) == set()
        assert a.index.copies(copy) == ()
        # the in-memory LSH follows: the original comes back and is grouped again
        again = a.ingest([ORIGINAL])
        assert again.added == 1
        assert _pairs(fresh_copy) == {frozenset((again.items[0].doc_id, copy))}


def test_reprinted_statement_cited_once_with_also_in(seeded: Assistant) -> None:
    """Press TV reprints Daily Sabah's report of Stoltenberg: one citation, "also in Press TV"."""
    answer = seeded.ask("what did Stoltenberg say about dialogue with Ankara?")
    check_citations(seeded, answer)
    about = [c for c in answer.citations if "dialogue" in c.quote]
    assert len(about) == 1, [c.quote for c in answer.citations]
    assert [e["doc_id"] for e in about[0].also_in] == [PRESS_TV]
    assert "also in Press TV" in answer.text
    assert "also in Press TV" in plain_text(answer)
    assert "also in Press TV" in chat_text(answer)
    assert "also in Press TV" in str(slack_messages(answer))


def test_reprinted_quote_counted_once_by_who_said(seeded: Assistant) -> None:
    """Hutchinson's words in Daily Sabah, reprinted by Press TV ("the daily also quoted the US
    NATO envoy as saying..."): counted once, with the reprint under also_in."""
    answer = seeded.ask("What did Hutchinson say?")
    check_citations(seeded, answer)
    ally = [c for c in answer.citations if "strong ally" in c.quote]
    assert len(ally) == 1 and ally[0].doc_id == DAILY_SABAH
    assert [e["doc_id"] for e in ally[0].also_in] == [PRESS_TV]


def test_extractive_answer_cites_a_reprinted_passage_once(seeded: Assistant) -> None:
    answer = seeded.ask("Did NATO say the S-400 purchase was Turkey's national decision?")
    check_citations(seeded, answer)
    reiterated = [c for c in answer.citations if "reiterated on Friday" in c.quote]
    assert len(reiterated) == 1
    assert PRESS_TV in {e["doc_id"] for e in reiterated[0].also_in} | {reiterated[0].doc_id}
    assert DAILY_SABAH in {e["doc_id"] for e in reiterated[0].also_in} | {reiterated[0].doc_id}


def test_older_store_grouped_when_opened(fresh_copy: Path) -> None:
    """m007 groups the articles a store held before it: here, after its tables are emptied."""
    with sqlite3.connect(fresh_copy / "documents.sqlite3") as db:
        assert db.execute("SELECT count(*) FROM dup_signatures").fetchone()[0] == 5
        db.execute("DELETE FROM dup_signatures")
        db.execute("DELETE FROM migrations WHERE name = 'm007_duplicates'")
    with Assistant(store_dir=fresh_copy) as a:
        assert a.size() == 5
    with sqlite3.connect(fresh_copy / "documents.sqlite3") as db:
        assert db.execute("SELECT count(*) FROM dup_signatures").fetchone()[0] == 5


BBC = SHARED / "corpora" / "bbc"


@pytest.mark.skipif(not BBC.is_dir(), reason=f"BBC News corpus not found at {BBC} (../shared/corpora/bbc)")
def test_bbc_planted_copies_found_and_no_stranger_grouped() -> None:
    """A quick form of benchmarks/bench_dedup.py: ten planted rewritten copies among the first
    politics articles each join their original only."""
    files = sorted((BBC / "politics").glob("*.txt"))[:120]
    texts = [(f.name, f.read_text(encoding="latin-1")) for f in files]
    planted = []
    for name, text in texts[:10]:
        paras = [p for p in text.split("\n\n") if p.strip()]
        title, body = paras[0], paras[1:]
        body = ["LONDON (Reuters) - " + body[1], body[0], *body[3:], body[2].split(". ", 1)[-1]]
        planted.append((f"copy-{name}", "\n\n".join([title, *body, "Copyright Reuters 2005. All rights reserved."])))
    _, base_pairs = dedup.group_all(texts)
    base = dedup.groups((a, b) for a, b, _ in base_pairs)
    _, pairs = dedup.group_all(texts + planted)
    grouped = dedup.groups((a, b) for a, b, _ in pairs)
    for name, _ in texts[:10]:
        story = set(base.get(name, (name,)))  # the original and the copies BBC itself holds
        assert set(grouped[name]) == story | {f"copy-{m}" for m in story if f"copy-{m}" in dict(planted)}, name


def test_two_writers_keep_one_lsh_view(fresh_copy: Path, tmp_path: Path) -> None:
    """Each writer's in-memory LSH catches up with what the other stored or removed."""
    original = ORIGINAL.read_text(encoding="utf-8")
    one, two, three = (tmp_path / f"{n}.txt" for n in ("one", "two", "three"))
    one.write_text(rewritten(original), encoding="utf-8")
    two.write_text(rewritten(original).replace("ANKARA, Oct. 6", "ISTANBUL, Oct. 7"), encoding="utf-8")
    three.write_text(rewritten(original).replace("ANKARA, Oct. 6", "IZMIR, Oct. 8"), encoding="utf-8")
    with Assistant(store_dir=fresh_copy) as a, Assistant(store_dir=fresh_copy) as b:
        orig = next(d.doc_id for d in a.docs() if d.source.endswith(ORIGINAL.name))
        first = a.ingest([one]).items[0].doc_id  # a's LSH is built here
        b.remove(orig)
        second = b.ingest([two]).items[0].doc_id
        third = a.ingest([three]).items[0].doc_id  # a must see b's removal and addition
        assert _pairs(fresh_copy) == {frozenset(p) for p in [(first, second), (first, third), (second, third)]}


def test_statement_listing_counts_a_reprint_once(seeded: Assistant) -> None:
    listed = seeded.quotes("Hutchinson", limit=10)
    ally = [c for c in listed if "strong ally" in c.quote]
    # printed by Daily Sabah and by Press TV (as "the US NATO envoy"): listed once, the other under also_in
    assert len(ally) == 1 and {ally[0].doc_id, *(e["doc_id"] for e in ally[0].also_in)} == {PRESS_TV, DAILY_SABAH}
    assert [c.n for c in listed] == list(range(1, len(listed) + 1))


def test_people_directory_counts_a_reprinted_statement_once(seeded: Assistant) -> None:
    """Stoltenberg's "Turkey's national decision" is printed by Daily Sabah (as two statements:
    the decision, and the call for dialogue) and reprinted by Press TV (as one): the directory
    counts it once, as the statement listing lists it once, with the reprint under also_in."""
    (stoltenberg,) = [p for p in seeded.people() if p.name == "Jens Stoltenberg"]
    # every printing is still searchable (extractor 12 also finds "..., NATO Secretary-General Jens
    # Stoltenberg said on Oct. 5." and "... and called on all allies to provide more support";
    # extractor 13 finds '"Decisions about military procurement are for nations to make," he said'
    # and no longer gives him the US envoy's "She further added ..." or the senators' words in Press TV;
    # extractor 19 finds Press TV's "Stoltenberg was also cited as saying that he was aware of American
    # threats", a reprint of Daily Sabah's "he is aware of ...")
    assert len(stoltenberg.quotes) == 30
    groups = {first: [(r.doc_id, r.seq) for r in rows] for first, rows in stoltenberg.reprints.items()}
    assert groups == {(PRESS_TV, 8): [(DAILY_SABAH, 0), (DAILY_SABAH, 1)], (PRESS_TV, 9): [(DAILY_SABAH, 2)]}
    assert stoltenberg.statements == 27 == stoltenberg.to_dict()["quotes"]
    assert stoltenberg.to_dict()["reprints"] == 3
    listed = seeded.quotes("Stoltenberg", limit=100)
    assert len(listed) == stoltenberg.statements
    decision = [c for c in listed if c.doc_id == PRESS_TV and "national decision" in c.quote]
    assert len(decision) == 1 and [e["doc_id"] for e in decision[0].also_in] == [DAILY_SABAH]
    # Hutchinson's words printed by both (Press TV's one statement is Daily Sabah's two): counted once
    (hutchinson,) = seeded.people("Hutchinson")
    assert len(hutchinson.quotes) == 6 and hutchinson.statements == 4
    assert {first: [(r.doc_id, r.seq) for r in rows] for first, rows in hutchinson.reprints.items()} == {
        (PRESS_TV, 10): [(DAILY_SABAH, 6), (DAILY_SABAH, 7)]
    }


def test_people_listings_show_statements_not_printings(seeded_store: Path) -> None:
    from assistant.interfaces.web import WebApp

    # in its own process: the command sets up logging, which must not leak into later tests
    result = subprocess.run(
        [sys.executable, "-c", "from assistant.interfaces.cli import main; main()", "people", "--store", seeded_store],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    line = next(x for x in out.splitlines() if x.startswith("Jens Stoltenberg"))
    assert ": 27 statement(s) in 5 article(s), 3 more printing(s) of them in other articles" in line
    with Assistant(store_dir=seeded_store) as a:
        table, _ = WebApp(a).people_view("Stoltenberg")
    assert "<td class='num'>27</td>" in table
