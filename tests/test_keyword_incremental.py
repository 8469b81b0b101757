"""The keyword index follows the store incrementally: a change tokenises only what changed (a
delta segment beside the saved base), in this process and in any other, and the result ranks
exactly as a full rebuild does."""

from __future__ import annotations

import json
from pathlib import Path

import bm25s
import numpy as np
import pytest

from assistant import Assistant
from assistant.search import keyword_segments
from assistant.search.bm25 import FIELDS, KeywordIndex, Segment, bigrams
from assistant.text.terms import terms

from .conftest import check_citations, run_python

DUVAR = "9fe05aa7faee94d4"  # 000: Duvar English, Çavuşoğlu on the S-400 and Patriots

MARATHON = """Zorblax Quintavalle wins the Glimmerfield marathon

Zorblax Quintavalle won the Glimmerfield marathon on Sunday in a record time of two hours and four minutes.

"I trained for this race for eleven years," Quintavalle said after crossing the line in Glimmerfield.
The organisers said more than 30,000 runners took part in the marathon, which began at dawn.
"""

QUESTIONS = [
    "What did Cavusoglu say about Patriots?",
    "What did Stoltenberg say about the S-400?",
    "Who won the Glimmerfield marathon?",
    "How many runners took part in the marathon?",
    "What did the harbour authority say about the ferry?",
    "When did the fighting in Nagorno-Karabakh begin?",
    "How much was the S-400 deal worth?",
    "What did Hutchison say about the Russian missile system?",
]


def _articles(folder: Path, count: int, start: int = 0) -> list[Path]:
    """Short, distinct made-up articles (the store dedups identical texts)."""
    folder.mkdir(parents=True, exist_ok=True)
    towns = ["Varnholm", "Keltrava", "Ostmere", "Brindle Cove", "Harrowgate", "Sulvane", "Pemberfield", "Doruna"]
    out = []
    for i in range(start, start + count):
        town = towns[i % len(towns)]
        text = (
            f"{town} ferry service resumes after storm number {i}\n\n"
            f"The {town} harbour authority said on Monday that the ferry to the island would run again "
            f"from Thursday, {i + 3} days after a storm damaged the pier.\n\n"
            f'"We expect {120 + i} passengers on the first crossing," harbour master Ilse Marquardt-{i} said. '
            f"Repairs cost {i + 2} million euros, the council of {town} said.\n"
        )
        path = folder / f"ferry_{i:03d}.txt"
        path.write_text(text, encoding="utf-8")
        out.append(path)
    return out


def _rankings(a: Assistant) -> list[list[str]]:
    return [[c.chunk_id for c in a.retrieve(q, 10).chunks] for q in QUESTIONS]


def _full_rebuild_rankings(store: Path) -> list[list[str]]:
    """What an assistant that builds its keyword index from scratch ranks (same store, same
    vectors: only the keyword index differs)."""
    with Assistant(store_dir=store) as fresh:
        segments = fresh.index.keyword_segments
        segments._manifests = lambda: {}  # type: ignore[method-assign]  # as if nothing were saved
        segments._save = lambda *args: None  # type: ignore[method-assign]  # and leave the files alone
        rankings = _rankings(fresh)
        assert segments.last == ("rebuilt",) and len(fresh.index.keyword.segments) == 1
    return rankings


def _scores_by_chunk(index: KeywordIndex, question: str, groups=None) -> dict[str, tuple[float, float]]:
    groups = index.term_groups(question) if groups is None else groups
    words, pairs = index.scores(index.weighted_terms(groups)), index.bigram_scores(question)
    return {cid: (float(words[i]), float(pairs[i])) for cid, i in index.row_of.items()}


@pytest.fixture
def built_sizes(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many chunks each tokenising segment build covered, in order."""
    sizes: list[int] = []
    build = Segment.build.__func__  # type: ignore[attr-defined]

    def recording(cls, chunk_ids, texts, spans=None):
        sizes.append(len(chunk_ids))
        return build(cls, chunk_ids, texts, spans)

    monkeypatch.setattr(Segment, "build", classmethod(recording))
    return sizes


def test_one_added_article_is_a_delta_found_here_and_in_another_process(
    fresh_copy: Path, tmp_path: Path, built_sizes: list[int]
) -> None:
    (tmp_path / "new").mkdir()
    (tmp_path / "new" / "marathon.txt").write_text(MARATHON, encoding="utf-8")
    with Assistant(store_dir=fresh_copy) as a, Assistant(store_dir=fresh_copy) as reader:
        a.ask("what did Cavusoglu say about Patriots?")
        reader.ask("what did Cavusoglu say about Patriots?")
        assert reader.index.keyword_segments.last == ("loaded",)  # saved when the store was built
        articles_before = a.store.count()
        built_before = list(built_sizes)

        report = a.ingest([tmp_path / "new"])
        assert report.added == 1
        segments = a.index.keyword_segments
        assert segments.last == ("delta",), "one new article must not rebuild the index"
        assert built_sizes[len(built_before) :] == [report.chunks], "only the new article's chunks are tokenised"
        assert len(a.index.keyword.segments) == 2 and a.store.count() == articles_before + 1

        found = a.retrieve("Glimmerfield marathon Quintavalle", 3).chunks
        assert found and found[0].text.startswith("Zorblax Quintavalle wins")
        answer = a.ask("Who won the Glimmerfield marathon?")
        assert not answer.abstained and "Quintavalle" in answer.text
        check_citations(a, answer)

        # an assistant open before the change opens the saved delta: it tokenises nothing
        built = len(built_sizes)
        assert reader.retrieve("Glimmerfield marathon Quintavalle", 3).chunks[0].doc_id == found[0].doc_id
        assert reader.index.keyword_segments.last == ("loaded",) and len(built_sizes) == built

    # a new process opens the saved base and delta (building anything would fail)
    code = (
        "from assistant import Assistant\n"
        "from assistant.search.bm25 import Segment\n"
        "def refuse(*a, **k): raise SystemExit('tokenised instead of opening the saved index')\n"
        "Segment.build = refuse\n"
        f"a = Assistant(store_dir={str(fresh_copy)!r})\n"
        "print(a.retrieve('Glimmerfield marathon Quintavalle', 3).chunks[0].text.splitlines()[0])\n"
        "print('steps', a.index.keyword_segments.last, len(a.index.keyword.segments))\n"
    )
    out = run_python(code)
    assert out.returncode == 0, out.stderr
    assert "Zorblax Quintavalle wins the Glimmerfield marathon" in out.stdout
    assert "steps ('loaded',) 2" in out.stdout


def test_another_process_tokenises_only_what_is_newer_than_the_saved_index(fresh_copy: Path, tmp_path: Path) -> None:
    """When nothing is saved for the current generation (the writer could not save yet), a
    process opens the newest saved index and builds a delta for the rest, not a full index."""
    (tmp_path / "new").mkdir()
    (tmp_path / "new" / "marathon.txt").write_text(MARATHON, encoding="utf-8")
    with Assistant(store_dir=fresh_copy) as a:
        a.ask("what did Cavusoglu say about Patriots?")
        a.ingest([tmp_path / "new"])
        generation = a.store.generation
    (fresh_copy / "keyword" / f"generation-{generation}.json").unlink()
    code = (
        "from assistant import Assistant\n"
        "from assistant.search.bm25 import Segment\n"
        "build = Segment.build.__func__\n"
        "def recording(cls, ids, texts, spans=None):\n"
        "    print('built', len(ids))\n"
        "    return build(cls, ids, texts, spans)\n"
        "Segment.build = classmethod(recording)\n"
        f"a = Assistant(store_dir={str(fresh_copy)!r})\n"
        "print(a.retrieve('Glimmerfield marathon Quintavalle', 3).chunks[0].text.splitlines()[0])\n"
        "print('steps', a.index.keyword_segments.last)\n"
    )
    out = run_python(code)
    assert out.returncode == 0, out.stderr
    assert "Zorblax Quintavalle wins the Glimmerfield marathon" in out.stdout
    assert "steps ('loaded', 'delta')" in out.stdout
    assert out.stdout.count("built ") == 1 and "built 1\n" in out.stdout  # the one new chunk
    assert (fresh_copy / "keyword" / f"generation-{generation}.json").is_file()  # and it saved it


def test_a_removed_article_never_appears(fresh_copy: Path, tmp_path: Path, built_sizes: list[int]) -> None:
    with Assistant(store_dir=fresh_copy) as a, Assistant(store_dir=fresh_copy) as reader:
        assert a.retrieve("Cavusoglu Patriots", 8).chunks[0].doc_id == DUVAR
        reader.retrieve("Cavusoglu Patriots", 8)
        a.ingest(_articles(tmp_path / "ferries", 2))  # a delta, so the removal hits base rows
        builds = len(built_sizes)
        a.remove(DUVAR)
        assert a.index.keyword_segments.last == ("unchanged",) and len(built_sizes) == builds  # filtered, not rebuilt
        keyword = a.index.keyword
        assert keyword.documents == keyword.size - sum(c.startswith(DUVAR) for c in keyword.chunk_ids)
        dead_rows = [i for i, cid in enumerate(keyword.chunk_ids) if cid.startswith(DUVAR)]
        scores = keyword.scores(keyword.weighted_terms(keyword.term_groups("Cavusoglu Patriots S-400 Duvar")))
        assert dead_rows and (scores[dead_rows] == 0).all() and scores.max() > 0
        for assistant in (a, reader):
            for question in ["Cavusoglu Patriots", "what did Cavusoglu say about Patriots?", "Duvar English S-400"]:
                assert all(c.doc_id != DUVAR for c in assistant.retrieve(question, 40).chunks)
                assert all(c.doc_id != DUVAR for c in assistant.ask(question).citations)
    code = (
        f"from assistant import Assistant\na = Assistant(store_dir={str(fresh_copy)!r})\n"
        "print(sorted({c.doc_id for c in a.retrieve('Cavusoglu Patriots Duvar', 40).chunks}))\n"
    )
    out = run_python(code)
    assert out.returncode == 0, out.stderr
    assert DUVAR not in out.stdout


def test_rankings_equal_a_full_rebuild_with_deltas_merges_and_removals(
    fresh_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Base + deltas, merged deltas, a merged base, and removals all search exactly as a keyword
    index built from scratch over the same chunks does (the same scores, names, rankings)."""
    monkeypatch.setattr(keyword_segments, "MIN_DELTA_ROWS", 6)  # a small bound, so merges happen here
    monkeypatch.setattr(keyword_segments, "MAX_DELTAS", 2)
    steps: list[tuple[str, ...]] = []
    with Assistant(store_dir=fresh_copy) as a:
        a.retrieve("warm up")
        (tmp_path / "new").mkdir()
        (tmp_path / "new" / "marathon.txt").write_text(MARATHON, encoding="utf-8")
        a.ingest([tmp_path / "new"])
        steps.append(a.index.keyword_segments.last)
        assert _rankings(a) == _full_rebuild_rankings(fresh_copy)
        for n in range(4):
            a.ingest(_articles(tmp_path / f"batch{n}", 2, start=2 * n))
            steps.append(a.index.keyword_segments.last)
            assert _rankings(a) == _full_rebuild_rankings(fresh_copy), steps
        assert ("delta", "merged-deltas") in steps and ("delta", "merged") in steps, steps

        # removals: dead rows count in no statistic and no name, until a merge drops them
        monkeypatch.setattr(keyword_segments, "MIN_DELTA_ROWS", 20)
        a.ingest(_articles(tmp_path / "batch9", 1, start=40))
        steps.append(a.index.keyword_segments.last)
        a.remove(DUVAR)
        steps.append(a.index.keyword_segments.last)
        keyword = a.index.keyword
        assert keyword.size > keyword.documents, "the removed article's rows are still there, dead"
        assert _rankings(a) == _full_rebuild_rankings(fresh_copy)
        pairs = list(a.store.chunk_texts())
        full = KeywordIndex.build([row.chunk_id for row, _ in pairs], [text for _, text in pairs])
        for question in QUESTIONS:
            assert _scores_by_chunk(keyword, question) == _scores_by_chunk(full, question)
            assert keyword.normalise_question(question) == full.normalise_question(question)
        assert dict(keyword.doc_freq) == dict(full.doc_freq)
        assert keyword.names.to_dict() == full.names.to_dict()
        monkeypatch.setattr(keyword_segments, "MIN_DELTA_ROWS", 6)
        a.remove("e1a68450fcac8a05")  # more dead rows than the bound: merged away, not rebuilt
        steps.append(a.index.keyword_segments.last)
        assert steps[-1] == ("merged",) and a.index.keyword.size == a.index.keyword.documents
        assert _rankings(a) == _full_rebuild_rankings(fresh_copy)
        assert not any("rebuilt" in s for s in steps), steps


def test_scores_are_bm25s_scores_bit_for_bit(seeded: Assistant) -> None:
    """The scores are those of bm25s's precomputed matrix (the index it replaced)."""
    pairs = list(seeded.store.chunk_texts())
    texts = [text for _, text in pairs]
    index = KeywordIndex.build([row.chunk_id for row, _ in pairs], texts)
    tokenised = [terms(t) for t in texts]
    words, word_pairs = bm25s.BM25(), bm25s.BM25()
    words.index(tokenised, show_progress=False)
    word_pairs.index([bigrams(t) or [""] for t in tokenised], show_progress=False)
    for question in QUESTIONS:
        for term in terms(question):
            expected = words.get_scores([term]) if term in words.vocab_dict else np.zeros(len(texts), np.float32)
            assert np.array_equal(index.scores({term: 1.0}), expected), term
        known = [p for p in bigrams(terms(question)) if p in word_pairs.vocab_dict]
        expected = word_pairs.get_scores(known) if known else np.zeros(len(texts), np.float32)
        assert np.array_equal(index.bigram_scores(question), expected), question


def test_a_segment_survives_saving_and_merging(tmp_path: Path) -> None:
    texts = [p.read_text(encoding="utf-8") for p in _articles(tmp_path / "a", 6)] + [MARATHON, ""]
    ids = [f"c{i}" for i in range(len(texts))]
    whole = Segment.build(ids, texts, [(0, len(t)) for t in texts])
    whole.save(tmp_path / "saved")
    loaded = Segment.load(tmp_path / "saved")
    assert loaded.chunk_ids == ids and loaded.words.vocab.terms() == whole.words.vocab.terms()
    parts = [Segment.build(ids[:3], texts[:3]), Segment.build(ids[3:], texts[3:])]
    keep = [np.array([True, False, True]), np.ones(len(texts) - 3, dtype=bool)]
    merged = Segment.merge(parts, keep)
    survivors = [i for i in range(len(texts)) if i != 1]
    rebuilt = Segment.build([ids[i] for i in survivors], [texts[i] for i in survivors])
    assert merged.chunk_ids == rebuilt.chunk_ids
    for field in FIELDS:
        m, r = merged.postings(field), rebuilt.postings(field)
        assert m.vocab.terms() == r.vocab.terms()
        for name in ("indptr", "rows", "counts", "lengths"):
            assert np.array_equal(getattr(m, name), getattr(r, name)), (field, name)
    for question in QUESTIONS:
        assert _scores_by_chunk(KeywordIndex([loaded]), question) == _scores_by_chunk(KeywordIndex([whole]), question)
    assert json.loads((tmp_path / "saved" / "meta.json").read_text())["format"] == 1
