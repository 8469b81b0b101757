"""SQuAD 2.0 as a yardstick for retrieval (hit@k, MRR), answers and abstention, ours against the
stock llama-index pipeline.

SQuAD's 16 articles are split by article: the even-numbered ones are the *dev* split (anything
tuned is tuned there), the odd-numbered ones the held-out *test* split. Both are reported.
"""

from __future__ import annotations

import json
import random
import re
import string
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..answering.abstention import default_model
from ..answering.extractive import ExtractiveEngine
from ..api import Assistant
from ..config import Settings
from ..search.retrieval import Retrieval


@dataclass
class SquadQuestion:
    id: str
    article: int
    question: str
    answers: list[str]

    @property
    def answerable(self) -> bool:
        return bool(self.answers)

    @property
    def split(self) -> str:
        return "dev" if self.article % 2 == 0 else "test"


@dataclass
class Squad:
    titles: list[str]
    texts: list[str]
    questions: list[SquadQuestion]


def load_squad(path: str | Path) -> Squad:
    data = json.loads(Path(path).read_text(encoding="utf-8"))["data"]
    titles, texts, questions = [], [], []
    for i, article in enumerate(data):
        title = article["title"].replace("_", " ")
        titles.append(title)
        texts.append(title + "\n\n" + "\n\n".join(p["context"].strip() for p in article["paragraphs"]))
        for p in article["paragraphs"]:
            for qa in p["qas"]:
                answers = [] if qa.get("is_impossible") else sorted({a["text"] for a in qa["answers"]})
                questions.append(SquadQuestion(qa["id"], i, qa["question"], answers))
    return Squad(titles, texts, questions)


def normalise(text: str) -> str:
    """SQuAD's answer normalisation: lower case, no punctuation, no articles, single spaces."""
    text = text.lower()
    text = "".join(ch for ch in text if ch not in set(string.punctuation) | {"‘", "’", "“", "”"})
    text = re.sub(r"\b(a|an|the)\b", " ", text)
    return " ".join(text.split())


def contains_answer(passage: str, answers: Sequence[str]) -> bool:
    p = normalise(passage)
    return any(normalise(a) and normalise(a) in p for a in answers)


@dataclass
class SystemResult:
    """Per-question outcomes of one system; ``metrics`` turns them into the reported figures."""

    name: str
    ranks: list[int | None] = field(default_factory=list)  # rank (1-based) of the first hit in the top 10
    answered: list[bool] = field(default_factory=list)
    answer_hit: list[bool] = field(default_factory=list)
    answer_words: list[int] = field(default_factory=list)
    cited: list[tuple[int, int]] = field(default_factory=list)  # (cited passages with an answer, cited)
    answerable: list[bool] = field(default_factory=list)
    ask_ms: list[float] = field(default_factory=list)
    threshold: float | None = None  # the stock pipeline's fitted abstention threshold
    answered_product: list[bool] = field(default_factory=list)  # ours at the product's default threshold


def metrics(r: SystemResult) -> dict[str, float]:
    ans = [i for i, a in enumerate(r.answerable) if a]
    una = [i for i, a in enumerate(r.answerable) if not a]
    out: dict[str, float] = {"answerable": len(ans), "unanswerable": len(una)}
    if ans:
        for k in (1, 3, 5):
            out[f"hit@{k}"] = sum(1 for i in ans if r.ranks[i] is not None and r.ranks[i] <= k) / len(ans)
        out["mrr@10"] = sum(1 / r.ranks[i] for i in ans if r.ranks[i] is not None) / len(ans)
        # the answer each system gives when made to answer, abstention aside
        out["answer_contains_gold"] = sum(r.answer_hit[i] for i in ans) / len(ans)
        out["answered_and_correct"] = sum(r.answer_hit[i] and r.answered[i] for i in ans) / len(ans)
        words = [r.answer_words[i] for i in ans]
        out["answer_words_mean"] = sum(words) / len(words) if words else 0.0
        cited = [r.cited[i] for i in ans]
        total = sum(c for _, c in cited)
        out["citation_precision"] = sum(h for h, _ in cited) / total if total else 0.0
        out["answered_rate_answerable"] = sum(r.answered[i] for i in ans) / len(ans)
    if una:
        out["abstention_rate_unanswerable"] = sum(not r.answered[i] for i in una) / len(una)
    if ans and una:
        out["abstention_balanced_accuracy"] = (
            out["answered_rate_answerable"] + out["abstention_rate_unanswerable"]
        ) / 2
    if ans and una and r.answered_product:
        answered = sum(r.answered_product[k] for k in ans) / len(ans)
        abstained = sum(not r.answered_product[k] for k in una) / len(una)
        out["abstention_balanced_accuracy_product_default"] = (answered + abstained) / 2
    if r.ask_ms:
        ordered = sorted(r.ask_ms)
        out["ask_ms_p50"] = ordered[len(ordered) // 2]
        out["ask_ms_p95"] = ordered[int(len(ordered) * 0.95) - 1]
    return out


def _first_hit(passages: Sequence[str], answers: Sequence[str]) -> int | None:
    for rank, text in enumerate(passages[:10], 1):
        if contains_answer(text, answers):
            return rank
    return None


def ingest_squad(squad: Squad, store_dir: Path, **settings: Any) -> Assistant:
    """SQuAD's articles, written as JSONL and ingested through the real pipeline."""
    articles = store_dir / "squad.jsonl"
    articles.parent.mkdir(parents=True, exist_ok=True)
    with articles.open("w", encoding="utf-8") as f:
        for title, text in zip(squad.titles, squad.texts, strict=True):
            f.write(json.dumps({"title": title, "text": text.split("\n\n", 1)[1]}) + "\n")
    assistant = Assistant(store_dir=store_dir / "ours", **settings)
    assistant.ingest([articles])
    return assistant


def run_ours(
    squad: Squad,
    questions: Sequence[SquadQuestion],
    store_dir: Path,
    *,
    answer_sentences: int = 2,
    progress: Callable[[int, int], None] | None = None,
) -> SystemResult:
    # the model never vetoes here; its probability is applied below at each operating point
    assistant = ingest_squad(squad, Path(store_dir), answer_sentences=answer_sentences, abstain_confidence="0")
    model = default_model()
    model_threshold = model.threshold if model else 0.0
    product_threshold = Settings().answer.abstain_confidence or 0.0
    # the same engine, made to always quote its best passages: measures selection apart from abstention
    forced = ExtractiveEngine(max_passages=answer_sentences, abstain=False)
    result = SystemResult(f"ours ({answer_sentences} sentence{'s' if answer_sentences > 1 else ''})")
    for n, q in enumerate(questions):
        retrieval = assistant.retrieve(q.question, 10)
        t0 = time.perf_counter()
        answer = assistant.ask(q.question)
        result.ask_ms.append((time.perf_counter() - t0) * 1000)
        result.answerable.append(q.answerable)
        result.ranks.append(_first_hit([c.text for c in retrieval.chunks], q.answers) if q.answerable else None)
        passed_rules = not answer.abstained
        confidence = answer.confidence if answer.confidence is not None else 1.0
        result.answered.append(passed_rules and confidence >= model_threshold)
        result.answered_product.append(passed_rules and confidence >= product_threshold)
        top = Retrieval(q.question, retrieval.chunks[: assistant.settings.search.top_k])
        quotes = [c.quote for c in forced.answer(q.question, q.question, top, assistant.index).citations]
        result.answer_hit.append(contains_answer(" ".join(quotes), q.answers))
        result.answer_words.append(len(" ".join(quotes).split()))
        result.cited.append((sum(contains_answer(t, q.answers) for t in quotes), len(quotes)))
        if progress:
            progress(n + 1, len(questions))
    assistant.close()
    return result


def run_stock(
    squad: Squad,
    questions: Sequence[SquadQuestion],
    store_dir: Path,
    *,
    calibrate_on: Sequence[SquadQuestion] = (),
    progress: Callable[[int, int], None] | None = None,
) -> SystemResult:
    """The stock pipeline; its cosine abstention threshold is fitted on ``calibrate_on`` (dev)."""
    from llama_index.core import Document

    from .baseline import StockPipeline

    stock = StockPipeline(Path(store_dir) / "stock", chunk_size=256)
    stock.ingest_documents(
        [Document(text=t, metadata={"title": title}) for title, t in zip(squad.titles, squad.texts, strict=True)]
    )
    if calibrate_on:
        scored = [(stock.answer(q.question)[2], q.answerable) for q in calibrate_on]
        stock.abstain_below = _best_threshold(scored)
    result = SystemResult(f"stock llama-index (abstain below cos {stock.abstain_below:.2f})")
    result.threshold = stock.abstain_below
    for n, q in enumerate(questions):
        t0 = time.perf_counter()
        sentence, abstained, _ = stock.answer(q.question)
        result.ask_ms.append((time.perf_counter() - t0) * 1000)
        passages = [t for t, _ in stock.retrieve(q.question, 10)]
        result.answerable.append(q.answerable)
        result.ranks.append(_first_hit(passages, q.answers) if q.answerable else None)
        result.answered.append(not abstained)
        result.answer_hit.append(contains_answer(sentence, q.answers))
        result.answer_words.append(len(sentence.split()))
        result.cited.append((int(contains_answer(sentence, q.answers)), 1))
        if progress:
            progress(n + 1, len(questions))
    result.name += f", {stock.model.truncated} of {stock.chunks} chunks cut by the model's window"
    return result


def _best_threshold(scored: Sequence[tuple[float, bool]]) -> float:
    """The cosine threshold maximising balanced accuracy of abstaining on these questions."""
    best, best_acc = 0.0, -1.0
    pos = [s for s, a in scored if a]
    neg = [s for s, a in scored if not a]
    if not pos or not neg:
        return 0.0
    for t in sorted({round(s, 3) for s, _ in scored}):
        acc = (sum(s >= t for s in pos) / len(pos) + sum(s < t for s in neg) / len(neg)) / 2
        if acc > best_acc:
            best, best_acc = t, acc
    return best


def evaluate_squad(
    path: str | Path,
    *,
    sample: int | None = None,
    limit: int | None = None,
    seed: int = 0,
    baseline: bool = True,
    answer_sentences: Sequence[int] = (2, 1),
    progress: Callable[[str, int, int], None] | None = None,
) -> dict[str, Any]:
    """Run our pipeline (and the stock one) on SQuAD 2.0; figures per split (dev / held-out test)."""
    squad = load_squad(path)
    questions = squad.questions
    if sample:
        questions = random.Random(seed).sample(questions, min(sample, len(questions)))
    if limit:
        questions = questions[:limit]
    report: dict[str, Any] = {"questions": len(questions), "systems": {}}
    with tempfile.TemporaryDirectory(prefix="squad-eval-") as tmp:
        runs = []
        for n in answer_sentences:
            cb = (lambda i, t, n=n: progress(f"ours ({n})", i, t)) if progress else None
            runs.append(run_ours(squad, questions, Path(tmp) / f"s{n}", answer_sentences=n, progress=cb))
        if baseline:
            dev = [q for q in squad.questions if q.split == "dev"]
            calib = random.Random(seed + 1).sample(dev, min(400, len(dev)))
            cb = (lambda i, t: progress("stock", i, t)) if progress else None
            stock_run = run_stock(squad, questions, Path(tmp), calibrate_on=calib, progress=cb)
            report["stock_threshold"] = stock_run.threshold
            runs.append(stock_run)
    for run in runs:
        report["systems"][run.name] = {
            split: metrics(_subset(run, [q.split == split for q in questions])) for split in ("dev", "test")
        } | {"all": metrics(run)}
    return report


def _subset(r: SystemResult, keep: list[bool]) -> SystemResult:
    def pick(values: list) -> list:
        return [v for v, k in zip(values, keep, strict=True) if k]

    return SystemResult(
        r.name,
        pick(r.ranks),
        pick(r.answered),
        pick(r.answer_hit),
        pick(r.answer_words),
        pick(r.cited),
        pick(r.answerable),
        pick(r.ask_ms),
        r.threshold,
        pick(r.answered_product) if r.answered_product else [],
    )
