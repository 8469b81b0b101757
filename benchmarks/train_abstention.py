"""Train the abstention model on SQuAD 2.0's dev-split articles; report the held-out test split.

    python benchmarks/train_abstention.py [--squad PATH]

Writes assistant/data/abstention.json (feature means/stds, weights, threshold, and the figures
below). A class-balanced logistic regression, fitted with plain numpy; the threshold maximises
balanced accuracy on the dev split. The test split's articles are never seen in training.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.answering import ExtractiveEngine  # noqa: E402
from assistant.answering.abstention import AbstentionModel, features  # noqa: E402
from assistant.evaluation.runner import DEFAULT_SQUAD  # noqa: E402
from assistant.evaluation.squad import ingest_squad, load_squad  # noqa: E402


def fit(x: np.ndarray, y: np.ndarray, l2: float = 1e-2, iters: int = 4000, lr: float = 0.1) -> tuple[np.ndarray, float]:
    w, b = np.zeros(x.shape[1]), 0.0
    class_weight = np.where(y == 1, 0.5 / y.mean(), 0.5 / (1 - y.mean()))
    for _ in range(iters):
        p = 1 / (1 + np.exp(-(x @ w + b)))
        g = (p - y) * class_weight
        w -= lr * (x.T @ g / len(y) + l2 * w)
        b -= lr * g.mean()
    return w, b


def balanced_accuracy(p: np.ndarray, y: np.ndarray, threshold: float) -> float:
    answer = p >= threshold
    return float((answer[y == 1].mean() + (~answer[y == 0]).mean()) / 2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--squad", type=Path, default=DEFAULT_SQUAD)
    args = parser.parse_args()
    squad = load_squad(args.squad)
    engine = ExtractiveEngine(abstention_model=None)
    rows: dict[str, list] = {"dev": [], "test": []}
    with tempfile.TemporaryDirectory(prefix="train-abstention-") as tmp:
        assistant = ingest_squad(squad, Path(tmp))
        for i, q in enumerate(squad.questions):
            retrieval = assistant.retrieve(q.question)
            evidence = engine.evidence(q.question, retrieval, assistant)
            if evidence is not None:
                rows[q.split].append((features(evidence, retrieval), float(q.answerable)))
            if (i + 1) % 1000 == 0:
                print(f"  features: {i + 1}/{len(squad.questions)}", file=sys.stderr)
        assistant.close()
    names = tuple(rows["dev"][0][0])
    x_dev = np.array([[f[n] for n in names] for f, _ in rows["dev"]])
    y_dev = np.array([y for _, y in rows["dev"]])
    x_test = np.array([[f[n] for n in names] for f, _ in rows["test"]])
    y_test = np.array([y for _, y in rows["test"]])
    mean, std = x_dev.mean(0), x_dev.std(0) + 1e-9
    w, b = fit((x_dev - mean) / std, y_dev)
    p_dev = 1 / (1 + np.exp(-(((x_dev - mean) / std) @ w + b)))
    p_test = 1 / (1 + np.exp(-(((x_test - mean) / std) @ w + b)))
    threshold = max(np.linspace(0.2, 0.8, 121), key=lambda t: balanced_accuracy(p_dev, y_dev, t))
    info = {
        "trained": datetime.now(UTC).isoformat(timespec="seconds"),
        "trained_on": "SQuAD 2.0 dev-split articles (even-numbered): " + ", ".join(squad.titles[0::2]),
        "held_out": "SQuAD 2.0 test-split articles (odd-numbered): " + ", ".join(squad.titles[1::2]),
        "dev_questions": len(y_dev),
        "test_questions": len(y_test),
        "dev_balanced_accuracy": round(balanced_accuracy(p_dev, y_dev, threshold), 4),
        "test_balanced_accuracy": round(balanced_accuracy(p_test, y_test, threshold), 4),
    }
    model = AbstentionModel(
        names, tuple(mean.tolist()), tuple(std.tolist()), tuple(w.tolist()), float(b), float(threshold), info
    )
    out = ROOT / "assistant" / "data" / "abstention.json"
    out.write_text(model.to_json() + "\n")
    print(f"wrote {out}")
    for key, value in info.items():
        print(f"{key}: {value}")
    for name, weight in sorted(zip(names, w, strict=True), key=lambda t: -abs(t[1])):
        print(f"  {name:18s} {weight:+.3f}")


if __name__ == "__main__":
    main()
