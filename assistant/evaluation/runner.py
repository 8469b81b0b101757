"""``assistant eval``: the seed question set, then SQuAD 2.0, ours and the stock pipeline side by
side; and ``run_info``, the date and machine every results file records."""

from __future__ import annotations

import os
import platform
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..api import Assistant
from .seed import evaluate_seed, evaluate_seed_stock, load_seed_questions
from .squad import evaluate_squad

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SEED_SET = ROOT / "benchmarks" / "questions" / "seed_questions.jsonl"
DEFAULT_SQUAD = ROOT.parent / "shared" / "corpora" / "squad-dev-v2.0.json"
SAMPLE_ARTICLES = ROOT / "data" / "articles"


def run_info() -> dict[str, Any]:
    """When and on what a measurement ran, stored beside every results file."""
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version()},
    }


def run_evaluation(
    *,
    seed_set: str | Path | None = None,
    squad: str | Path | None = None,
    include_squad: bool = True,
    sample: int | None = None,
    limit: int | None = None,
    baseline: bool = True,
    whosaid: bool = True,
    progress: Callable[[str, int, int], None] | None = None,
) -> dict[str, Any]:
    """Everything ``assistant eval`` reports: the seed set, the independent who-said sets (the BBC
    one when ../shared is present), then SQuAD 2.0 (``squad``, else the shared copy when present)
    unless ``include_squad`` is False."""
    from ..errors import AssistantError

    results: dict[str, Any] = {}
    questions = load_seed_questions(seed_set or DEFAULT_SEED_SET)
    with tempfile.TemporaryDirectory(prefix="seed-eval-") as tmp:
        with Assistant(store_dir=tmp) as assistant:
            assistant.ingest([SAMPLE_ARTICLES])
            results["seed"] = {"ours": evaluate_seed(assistant, questions)}
    if whosaid:
        from .whosaid import run_whosaid

        results["whosaid"] = run_whosaid(bbc=include_squad)
    squad_path = Path(squad) if squad else DEFAULT_SQUAD
    if include_squad and (squad or squad_path.exists()):
        if not squad_path.exists():
            raise AssistantError(f"SQuAD file not found: {squad_path}")
        results["squad"] = evaluate_squad(squad_path, sample=sample, limit=limit, baseline=baseline, progress=progress)
    if baseline:
        threshold = 0.5
        if "squad" in results:
            threshold = results["squad"].get("stock_threshold", threshold)
        results["seed"]["stock"] = evaluate_seed_stock(questions, SAMPLE_ARTICLES, threshold)
    return results | run_info()
