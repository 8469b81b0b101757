"""Quote extraction against the independent annotations (``benchmarks/whosaid/quotes_annotated*.jsonl``).

Splits: *tune*; *heldout*, the first set's other half, reported as totals only until 2026-11-22 and
tuned on since; *heldout2* (``quotes_annotated2.jsonl``, articles no earlier set used), the untouched
half: its errors are never listed; *qtune3* (``quotes_annotated3.jsonl``), tuned on; *qheld4*
(``quotes_annotated4.jsonl``, 296 annotations on 20 articles, 2026-11-22), untouched: errors never listed;
*qtune5* (``quotes_annotated5.jsonl``, 162 annotations on 14 articles, 2026-11-23), tuned on.

Each article is loaded and cleaned as ingest does, quotes are extracted from the text of record,
and the annotated spans are located in that text. Scores, per split:

- **precision**: extracted quotes that match an annotated one (borderline items count as matches:
  they are quotes some annotators would skip, so finding them is not an error);
- **recall**: non-borderline annotated quotes matched by an extracted one;
- a match is *overlap* when the shared characters are at least half of the longer of the two
  (the usual partial-match rule), *exact* when the spans agree up to surrounding punctuation;
- **speaker accuracy**: of the matched non-borderline quotes, those whose speaker is the annotated
  one (same surname for people, same words for organisations and unnamed speakers, spelling folded).
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rapidfuzz.distance import OSA

from ..ingest.cleaning import clean
from ..ingest.loading import load_file
from ..models import QuoteRow
from ..search.people import attribute_roles
from ..text.quotes import Quote, extract_quotes
from ..text.sentences import sentence_spans
from ..text.terms import fold

ROOT = Path(__file__).resolve().parents[2]
ANNOTATIONS = sorted((ROOT / "benchmarks" / "whosaid").glob("quotes_annotated*.jsonl"))
SPLITS = ("tune", "heldout", "heldout2", "qtune3", "qheld4", "qtune5")
TUNING = ("tune", "heldout", "qtune3", "qtune5")  # the splits whose errors may be read
SHARED = ROOT.parent / "shared"
_PUNCT = " \t\n.,;:!?\"'“”‘’-—–"


@dataclass
class Gold:
    id: str
    spans: list[tuple[int, int]]
    speaker: str
    speaker_type: str
    kind: str
    borderline: bool
    split: str


def article_path(file: str) -> Path:
    """``bbc/politics/034.txt`` -> the corpus file; ``seeds/000_...txt`` -> the seeds folder."""
    if file.startswith("bbc/"):
        return SHARED / "corpora" / file
    return SHARED / file


def load_article(path: Path):
    raw = load_file(path, max_bytes=10_000_000)[0]
    article = clean(raw)
    article.sentences = sentence_spans(article.text)
    return article


def _locate(text: str, piece: str) -> tuple[int, int] | None:
    i = text.find(piece)
    if i >= 0:
        return i, i + len(piece)
    # the text of record normalises whitespace: match on a whitespace-tolerant pattern
    pattern = r"\s+".join(re.escape(w) for w in piece.split())
    m = re.search(pattern, text)
    return (m.start(), m.end()) if m else None


def _chars(spans: Sequence[tuple[int, int]]) -> set[int]:
    return {i for s, e in spans for i in range(s, e)}


def _strip(text: str, spans: Sequence[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    out = []
    for s, e in spans:
        while s < e and text[s] in _PUNCT:
            s += 1
        while e > s and text[e - 1] in _PUNCT:
            e -= 1
        out.append((s, e))
    return tuple(out)


def _name_words(name: str) -> list[str]:
    return [w for w in re.findall(r"\w+", fold(name).lower()) if w not in ("the", "a", "an", "mr", "mrs", "ms", "dr")]


def _acronym_of(short: str, full: str) -> bool:
    letters = re.sub(r"^(?:the|a|an)\s+", "", short.strip(), flags=re.IGNORECASE)
    capitals = "".join(w[0] for w in full.split() if w[:1].isupper() and w.lower() not in ("the", "a", "an"))
    return letters.isupper() and len(letters) >= 2 and letters == capitals


def same_speaker(predicted: str, gold: str, gold_type: str) -> bool:
    p, g = _name_words(predicted), _name_words(gold)
    if not p or not g:
        return False
    if _acronym_of(predicted, gold) or _acronym_of(gold, predicted):
        return True  # "WSIS" / "World Summit on the Information Society"
    if gold_type == "person":  # the surname, allowing the article's misspelling (Hutchinson/Hutchison)
        if len(g) == 1 and len(p) > 1 and p[0] == g[0]:
            return True  # a person the article names by first name only ("Fletcher's daughter Jill")
        return p[-1] == g[-1] or (len(g) > 1 and g[-1] in p) or (len(g[-1]) >= 6 and OSA.distance(p[-1], g[-1]) <= 1)
    return len(set(p) & set(g)) / len(set(g)) >= 0.5 or len(set(p) & set(g)) / len(set(p)) >= 0.5


def evaluate(splits: Sequence[str] = SPLITS, show: str | None = None) -> dict[str, Any]:
    """Precision, recall and speaker accuracy per split (and for all); ``show`` a tuning split to list
    its errors."""
    if show is not None and show not in TUNING:
        raise ValueError(f"only a tuning split's errors can be listed ({', '.join(TUNING)}), not {show!r}")
    rows = [
        json.loads(line)
        for path in ANNOTATIONS
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    by_file: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        by_file[r["file"]].append(r)
    totals: dict[str, dict[str, float]] = {}
    errors: list[str] = []
    missing_files = []
    prepared = []
    for file, annotated in sorted(by_file.items()):
        split = annotated[0]["split"]
        if split not in splits:
            continue
        path = article_path(file)
        if not path.exists():
            missing_files.append(file)
            continue
        article = load_article(path)
        text = article.text
        gold: list[Gold] = []
        for r in annotated:
            spans = [_locate(text, c) for c in r["content"]]
            if any(s is None for s in spans):
                continue  # cleaning dropped the paragraph (a headline or scraped noise)
            gold.append(Gold(r["id"], spans, r["speaker_norm"], r["speaker_type"], r["kind"], r["borderline"], split))
        prepared.append((file, split, text, gold, extract_quotes(text, article.sentences)))
    predicted_by_file = _with_corpus_roles({file: (text, quotes) for file, _, text, _, quotes in prepared})
    for file, split, text, gold, _ in prepared:
        t = totals.setdefault(split, defaultdict(float))
        _score(text, gold, predicted_by_file[file], t, errors if show == split else None, file)
    report: dict[str, Any] = {}
    for split, t in totals.items():
        report[split] = _figures(t)
    if len(totals) > 1:
        merged: dict[str, float] = defaultdict(float)
        for t in totals.values():
            for k, v in t.items():
                merged[k] += v
        report["all"] = _figures(merged)
    if missing_files:
        report["missing_files"] = missing_files
    if show:
        report["errors"] = errors
    return report


def _with_corpus_roles(articles: dict[str, tuple[str, list[Quote]]]) -> dict[str, list[Quote]]:
    """Speakers as the store gives them: a role-only attribution ("the prime minister said") is
    resolved against the roles the whole corpus gives people (``attribute_roles``), so the other
    BBC articles are extracted too when the corpus is present."""
    texts = {file: text for file, (text, _) in articles.items()}
    rows = [QuoteRow(file, i, q) for file, (_, quotes) in articles.items() for i, q in enumerate(quotes)]
    corpus = SHARED / "corpora" / "bbc"
    if corpus.is_dir():
        for path in sorted(corpus.glob("*/*.txt")):
            file = "bbc/" + path.relative_to(corpus).as_posix()
            if file in articles:
                continue
            article = load_article(path)
            texts[file] = article.text
            rows.extend(QuoteRow(file, i, q) for i, q in enumerate(extract_quotes(article.text, article.sentences)))
    out: dict[str, list[Quote]] = {file: [] for file in articles}
    for row in attribute_roles(rows, texts.__getitem__):
        if row.doc_id in out:
            out[row.doc_id].append(row.quote)
    return out


def _score(text: str, gold: list[Gold], predicted: list[Quote], t: dict[str, float], errors, file: str) -> None:
    gold_chars = [_chars(g.spans) for g in gold]
    pred_chars = [_chars(q.spans) for q in predicted]
    matched_gold: dict[int, int] = {}
    for pi, pc in enumerate(pred_chars):
        best, best_overlap = None, 0.0
        for gi, gc in enumerate(gold_chars):
            if not gc or not pc:
                continue
            overlap = len(pc & gc) / max(len(pc), len(gc))
            if overlap > best_overlap:
                best, best_overlap = gi, overlap
        if best is not None and best_overlap >= 0.5:
            t["pred_matched"] += 1
            g = gold[best]
            if best not in matched_gold:
                matched_gold[best] = pi
            if _strip(text, predicted[pi].spans) == _strip(text, g.spans):
                t["pred_exact"] += 1
        elif errors is not None:
            q = predicted[pi]
            errors.append(f"FALSE {file} [{q.speaker} | {q.mention} | {q.cue}] {q.text(text)[:140]!r}")
        t["predicted"] += 1
    for gi, g in enumerate(gold):
        if g.borderline:
            continue
        t["gold"] += 1
        if gi in matched_gold:
            t["gold_matched"] += 1
            q = predicted[matched_gold[gi]]
            if _strip(text, q.spans) == _strip(text, g.spans):
                t["gold_exact"] += 1
            if same_speaker(q.speaker, g.speaker, g.speaker_type):
                t["speaker_ok"] += 1
            elif errors is not None:
                errors.append(
                    f"SPEAKER {file} {g.id}: got {q.speaker!r} (mention {q.mention!r}) want {g.speaker!r}: "
                    f"{q.text(text)[:90]!r}"
                )
        elif errors is not None:
            errors.append(f"MISSED {file} {g.id} [{g.speaker}] {' … '.join(text[s:e] for s, e in g.spans)[:140]!r}")


def _figures(t: dict[str, float]) -> dict[str, Any]:
    def ratio(a: float, b: float) -> float:
        return round(a / b, 3) if b else 0.0

    p, r = ratio(t["pred_matched"], t["predicted"]), ratio(t["gold_matched"], t["gold"])
    pe, re_ = ratio(t["pred_exact"], t["predicted"]), ratio(t["gold_exact"], t["gold"])
    return {
        "annotated": int(t["gold"]),
        "extracted": int(t["predicted"]),
        "precision": p,
        "recall": r,
        "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0,
        "exact_precision": pe,
        "exact_recall": re_,
        "exact_f1": round(2 * pe * re_ / (pe + re_), 3) if pe + re_ else 0.0,
        "speaker_accuracy": ratio(t["speaker_ok"], t["gold_matched"]),
    }


if __name__ == "__main__":
    import sys

    from .runner import run_info

    args = sys.argv[1:]
    out_file = args[args.index("--out") + 1] if "--out" in args else None
    show = next((a for a in args if a in TUNING), None)  # the untouched half is reported as figures only
    result = evaluate(splits=(show,) if show else SPLITS, show=show)
    for line in result.pop("errors", []):
        print(line)
    print(json.dumps(result, indent=1))
    if out_file:
        Path(out_file).write_text(json.dumps({**result, **run_info()}, indent=1) + "\n", encoding="utf-8")
