"""Cleaning, sentence splitting, chunking and name folding on the seeds and made-up edge cases."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from assistant.ingest.chunking import chunk_article, count_tokens
from assistant.ingest.cleaning import clean
from assistant.ingest.loading import load_file
from assistant.models import RawDocument
from assistant.search.embedding import MAX_WORDPIECES, count_wordpieces
from assistant.text.names import NameVariants
from assistant.text.sentences import sentence_spans
from assistant.text.terms import fold, terms

from .conftest import SEEDS


def _seed(name: str):
    return clean(load_file(SEEDS / name, 10**7)[0])


def test_seed_noise_is_removed_and_metadata_found() -> None:
    a = _seed("000_497468fe3386531b.txt")
    assert a.title == "NATO says Turkey's purchase of S-400 poses a risk to alliance"
    assert a.outlet == "Duvar English"
    assert "Duvar English" not in a.text
    assert "saysTalks" not in a.text and "Talks on second S-400 shipment" not in a.text
    assert "Oct. 5" in a.dates and "Sept. 27" in a.dates

    b = _seed("003_eec6349a4f158b67.txt")
    assert b.title.startswith("Turkey firmly rejects US threat of sanctions")
    assert b.outlet == "Press TV"
    for noise in ("News", "(Photo by AFP)", "can also be accessed", "Roku"):
        assert noise not in b.text.split("\n\n")[0] if noise == "News" else noise not in b.text
    assert "Kay Bailey Hutchison (L) for a foreign ministers meeting" in b.text  # caption kept, credit gone

    c = _seed("004_8414f159b6fe6297.txt")
    assert c.outlet == "The Kabul Times"
    assert c.title == "NATO Chief visits Ankara in bid to block Russian missile sale"
    for noise in ("Related posts", "uses cookies", "Monitoring Desk", "Kabul times"):
        assert noise not in c.text

    d = _seed("002_10fb3947b5fe55a9.txt")
    assert "This block is broken or missing" not in d.text
    assert "December 2017" in d.dates


def test_clean_is_stable_and_ids_follow_content() -> None:
    raw = RawDocument(source="x.txt", text="Title here\n\nBody sentence one. Body sentence two.")
    a, b = clean(raw), clean(RawDocument(source="y.txt", text=raw.text))
    assert a.doc_id == b.doc_id and a.content_hash == b.content_hash
    assert clean(RawDocument(source="x.txt", text=raw.text + " More.")).doc_id != a.doc_id


def test_html_entities_and_hard_wrapped_lines() -> None:
    text = (
        "Caf&#233; chain expands\n\nThe caf&eacute; chain said on Monday it would open twelve new\n"
        "shops across the region next year, creating about two hundred\njobs in total, its chief said.\n"
    )
    a = clean(RawDocument(source="x.txt", text=text))
    assert a.title == "Café chain expands"
    assert "The café chain said on Monday it would open twelve new shops across the region" in a.text


def test_sentences_respect_news_abbreviations() -> None:
    text = 'Stoltenberg said on Oct. 5 that U.S. sanctions loom. "We are concerned," he said.\nNext paragraph.'
    spans = [text[s:e] for s, e in sentence_spans(text)]
    assert spans == [
        "Stoltenberg said on Oct. 5 that U.S. sanctions loom.",
        '"We are concerned," he said.',
        "Next paragraph.",
    ]


@pytest.mark.parametrize("seed", sorted(p.name for p in SEEDS.glob("*.txt")))
def test_chunks_have_exact_offsets_and_fit_the_model(seed: str) -> None:
    article = _seed(seed)
    chunks = chunk_article(article, budget=200)
    assert chunks
    for chunk in chunks:
        assert article.text[chunk.start : chunk.end] == chunk.text
        assert chunk.wordpieces == count_wordpieces(chunk.text) <= MAX_WORDPIECES
        assert chunk.tokens == count_tokens(chunk.text)
    # in order, no overlap, and nothing but whitespace between consecutive chunks
    for prev, nxt in itertools.pairwise(chunks):
        assert prev.end <= nxt.start and not article.text[prev.end : nxt.start].strip()
    assert chunks[0].start == 0 and not article.text[chunks[-1].end :].strip()


def test_overlong_sentence_is_split_never_cut() -> None:
    sentence = " ".join(f"Zorblatt{i} Kvaxington-Mbeki" for i in range(200)) + "."
    article = clean(RawDocument(source="x.txt", text="A title\n\n" + sentence))
    chunks = chunk_article(article, budget=200)
    assert len(chunks) > 2
    assert all(c.wordpieces <= MAX_WORDPIECES for c in chunks)
    covered = "".join(article.text[c.start : c.end] for c in chunks).replace(" ", "").replace("\n", "")
    assert covered == article.text.replace(" ", "").replace("\n", "")


def test_folding_makes_names_match_however_typed() -> None:
    assert fold("Çavuşoğlu") == "Cavusoglu"
    assert fold("Mevlüt Çavuşoğlu, İstanbul, Łódź, Ørsted") == "Mevlut Cavusoglu, Istanbul, Lodz, Orsted"
    assert terms("Çavuşoğlu's Patriots") == terms("cavusoglu patriot")


def test_name_variants_learned_from_the_corpus() -> None:
    texts = [p.read_text(encoding="utf-8") for p in Path(SEEDS).glob("*.txt")]
    names = NameVariants.from_texts(texts)
    assert "stoltenberg" in names.variants("stoltenburg")
    assert "stoltenburg" in names.variants("stoltenberg")
    assert "cavusoglu" in names.variants("cavusolgu")
    assert "hutchinson" in names.variants("hutchison")
    assert "cavusoglu" in names.variants("cavusgolu")  # a typo not in the corpus at all
    assert names.canonical("cavusgolu") == "cavusoglu"
    assert names.variants("sanctions") == {"sanctions": 1.0}  # not a name: no fuzzy neighbours
