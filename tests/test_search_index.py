"""The search index: saved with the store and reused by other processes, in step with changes
made elsewhere, private to each store, and filterable inside the search."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

from assistant import Assistant, SearchFilter
from assistant.search.bm25 import KeywordIndex, Segment

from .conftest import check_citations, run_python

DUVAR = "9fe05aa7faee94d4"  # 000: Duvar English, Çavuşoğlu on the S-400 and Patriots
SPUTNIK = "e1a68450fcac8a05"  # 001


def test_keyword_index_is_saved_and_loaded_by_a_new_process(fresh_copy: Path, monkeypatch) -> None:
    with Assistant(store_dir=fresh_copy) as a:
        a.ask("what did Cavusoglu say about Patriots?")
        generation = a.store.generation
    listed = fresh_copy / "keyword" / f"generation-{generation}.json"
    (name,) = json.loads(listed.read_text())["segments"]
    saved = fresh_copy / "keyword" / name
    assert (saved / "meta.json").is_file() and (saved / "words.rows.npy").is_file()

    # another process answering from the same store must load it, not rebuild it
    code = (
        "import sys\n"
        "from assistant import Assistant\n"
        "from assistant.search.bm25 import Segment\n"
        "def refuse(*a, **k): raise SystemExit('rebuilt the keyword index instead of loading it')\n"
        "Segment.build = refuse\n"
        f"a = Assistant(store_dir={str(fresh_copy)!r})\n"
        "ans = a.ask('what did Cavusoglu say about Patriots?')\n"
        "print(ans.citations[0].quote)\n"
    )
    out = run_python(code)
    assert out.returncode == 0, out.stderr
    assert "Since we could not get the Patriot" in out.stdout

    # the loaded index gives the same search as a fresh build
    pairs = list(Assistant(store_dir=fresh_copy).store.chunk_texts())
    built = KeywordIndex.build([row.chunk_id for row, _ in pairs], [text for _, text in pairs])
    loaded = KeywordIndex([Segment.load(saved)])
    groups = built.term_groups("Çavuşoğlu Patriots S-400 sanctions")
    assert (built.scores(built.weighted_terms(groups)) == loaded.scores(loaded.weighted_terms(groups))).all()
    assert (built.bigram_scores("air defense systems") == loaded.bigram_scores("air defense systems")).all()


def test_a_change_made_by_another_assistant_is_seen(fresh_copy: Path) -> None:
    reader, writer = Assistant(store_dir=fresh_copy), Assistant(store_dir=fresh_copy)
    before = reader.ask("what did Cavusoglu say about Patriots?")
    assert before.citations[0].doc_id == DUVAR
    writer.remove(DUVAR)
    after = reader.ask("what did Cavusoglu say about Patriots?")
    assert all(c.doc_id != DUVAR for c in after.citations), "a removed article must not be cited"
    assert reader.size() == 4


def test_caches_belong_to_one_store(seeded_store: Path, tmp_path: Path) -> None:
    """Removing an article from one store leaves another store's assistant untouched."""
    copy = tmp_path / "copy"
    shutil.copytree(seeded_store, copy)
    a, b = Assistant(store_dir=seeded_store), Assistant(store_dir=copy)
    assert a.document_text(DUVAR) == b.document_text(DUVAR)
    b.remove(DUVAR)
    assert "Patriot" in a.document_text(DUVAR)
    assert a.ask("what did Cavusoglu say about Patriots?").citations[0].doc_id == DUVAR
    assert a.index is not b.index


def test_filter_by_article_searches_inside_it(seeded: Assistant) -> None:
    unfiltered = seeded.retrieve("What did Stoltenberg say about the S-400?", 8)
    assert {c.doc_id for c in unfiltered.chunks} != {SPUTNIK}
    only = SearchFilter(doc_ids={SPUTNIK})
    filtered = seeded.retrieve("What did Stoltenberg say about the S-400?", 8, filters=only)
    assert filtered.chunks and {c.doc_id for c in filtered.chunks} == {SPUTNIK}
    # the best in-filter chunk is first: the same order the unfiltered search gives its chunks
    in_unfiltered = [c.chunk_id for c in seeded.retrieve("What did Stoltenberg say about the S-400?", 40).chunks]
    ranks = [in_unfiltered.index(c.chunk_id) for c in filtered.chunks if c.chunk_id in in_unfiltered]
    assert ranks == sorted(ranks)
    answer = seeded.ask("What did Stoltenberg say about the S-400?", filters=only)
    assert not answer.abstained and {c.doc_id for c in answer.citations} == {SPUTNIK}
    check_citations(seeded, answer)


def test_filter_by_outlet_and_a_filter_that_allows_nothing(seeded: Assistant) -> None:
    answer = seeded.ask("what did Çavuşoğlu say about Patriots?", filters=SearchFilter(outlets={"Duvar English"}))
    assert not answer.abstained and all(c.outlet == "Duvar English" for c in answer.citations)
    none = seeded.ask("what did Çavuşoğlu say about Patriots?", filters=SearchFilter(doc_ids=set()))
    assert none.abstained and not none.citations
    # dates filter inside the search too: no seed article is known to be from 2019 or later
    later = seeded.ask("what did Çavuşoğlu say about Patriots?", filters=SearchFilter(since=dt.date(2019, 1, 1)))
    assert later.abstained and not later.citations and not later.related


def test_llama_index_retriever_takes_the_same_filter(seeded: Assistant) -> None:
    nodes = seeded.as_retriever(3, filters=SearchFilter(doc_ids={SPUTNIK})).retrieve("Stoltenberg S-400")
    assert nodes and {n.node.metadata["doc_id"] for n in nodes} == {SPUTNIK}


def test_questions_use_the_sentence_spans_stored_at_ingest(fresh_copy: Path) -> None:
    """Sentences are split once, at ingest (or by the schema migration for older stores): a
    question never loads the sentence splitter (NLTK, and with it SciPy, scikit-learn...)."""
    from assistant.text.sentences import sentence_spans

    with Assistant(store_dir=fresh_copy) as a:
        for doc in a.docs():
            assert a.store.document_sentences(doc.doc_id) == sentence_spans(a.document_text(doc.doc_id))
    code = (
        "import sys\n"
        "from assistant import Assistant\n"
        f"a = Assistant(store_dir={str(fresh_copy)!r})\n"
        "print(a.ask('what did Cavusoglu say about Patriots?').citations[0].doc_id)\n"
        "print('NLTK', 'nltk' in sys.modules)\n"
    )
    out = run_python(code)
    assert out.returncode == 0, out.stderr
    assert DUVAR in out.stdout and "NLTK False" in out.stdout


def test_a_wide_filter_searched_unfiltered_finds_the_same_passages(seeded: Assistant, monkeypatch) -> None:
    """A filter letting most chunks through is searched without Chroma's ``where=`` and masked
    (``HybridSearcher._dense``): it must return exactly the nearest in-filter chunks Chroma's
    own filtered search returns, and search with ``where=`` when the unfiltered ranking it took
    holds too few of them."""
    from assistant.search import retrieval

    searcher = seeded.index._current()[1]
    store = seeded.store
    docs = sorted(d.doc_id for d in seeded.docs())
    vector = seeded.index.query_vector("What did Stoltenberg say about the S-400 and sanctions?")
    filters = [SearchFilter(doc_ids={d}) for d in docs] + [SearchFilter(doc_ids=set(docs) - {d}) for d in docs]
    filters.append(SearchFilter(outlets={"Duvar English", "Press TV"}))

    def check(n: int) -> list[int]:
        depths: list[int] = []
        real = store.dense_search

        def watched(embedding, k, f=None):
            depths.append(-1 if f is not None else k)  # -1: Chroma's filtered search
            return real(embedding, k, f)

        monkeypatch.setattr(store, "dense_search", watched)
        for f in filters:
            got = searcher._dense(list(vector), n, f, searcher._mask(f))
            expected = real(list(vector), n, f)
            assert list(got) == [cid for cid, _ in expected], f
            assert all(abs(got[cid] - cos) < 1e-6 for cid, cos in expected)
            assert all(f.allows(searcher.rows[cid]) for cid in got)
        monkeypatch.setattr(store, "dense_search", real)
        return depths

    assert -1 not in check(3), "a wide filter must not take Chroma's filtered search"
    monkeypatch.setattr(retrieval, "OVERFETCH", 0.05)  # too shallow: it must fall back
    assert -1 in check(3)
    # a narrow filter (a small share of the chunks) goes to Chroma's where= directly
    monkeypatch.setattr(retrieval, "OVERFETCH", 100.0)  # deep enough that a wide one never falls back
    monkeypatch.setattr(retrieval, "MAX_DEPTH", 1000)
    narrow = sum(1 for f in filters if 5 / searcher._mask(f).mean() * 100 + 1 > 1000)
    assert 0 < narrow < len(filters) and check(5).count(-1) == narrow


def test_outlets_listed_in_one_query_as_before(fresh_copy: Path) -> None:
    """``Assistant.outlets`` reads the distinct outlets, not every article's record; the list
    is what reading every record gave, and follows removals."""
    with Assistant(store_dir=fresh_copy) as a:
        expected = sorted({d.outlet for d in a.docs() if d.outlet}, key=str.casefold)
        assert a.outlets() == expected and len(expected) >= 3
        plan = a.store._db.execute("EXPLAIN QUERY PLAN SELECT DISTINCT outlet FROM documents WHERE outlet != ''")
        assert "COVERING INDEX documents_outlet" in str(plan.fetchall()), "the outlets are read from their index"
        only = [d for d in a.docs() if d.outlet == expected[0]]
        for d in only:
            a.remove(d.doc_id)
        assert a.outlets() == expected[1:]
