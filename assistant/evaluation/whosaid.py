"""The independent who-said question sets (``benchmarks/whosaid/``): questions written by readers
who saw the articles only, never the engine, split by article.

Splits: *tune*; *heldout*, the first set's other half, measured as totals only until 2026-11-22 and
tuned on since (its failures are read); *tune2* (``questions_bbc4.jsonl``), more questions to tune on,
written the same way; *tune3* (``questions_bbc6.jsonl``), more of the same; *heldout2*, later sets
on articles no earlier set used (``questions_bbc2.jsonl``, ``questions_bbc3.jsonl``), untouched:
reported as totals only; *heldout3* (``questions_bbc5.jsonl``, 2026-11-22), a fresh untouched set
written while heldout2 was getting worn (run six times): reported as totals only; *heldout4*
(``questions_bbc7.jsonl``, 2026-11-22, session 15), another fresh untouched set on articles no
earlier set used: reported as totals only; *tune4* (``questions_bbc8.jsonl``, written with it, on
other articles): tuned on; *tune5* (``questions_bbc9.jsonl``, 2026-11-23, session 16, on articles no
earlier set used): tuned on, its first run recorded as a fresh measurement; *tune6*
(``questions_bbc10.jsonl``, session 17, the same way, 8 of its 40 follow-ups): likewise; *tune7*
(``questions_bbc11.jsonl``, session 19, the same way): likewise; *tune8* (``questions_bbc12.jsonl``,
session 21, the same way): likewise; *tune9* (``questions_bbc13.jsonl``, session 23, the same way):
likewise; *tune10* (``questions_bbc14.jsonl``, session 24, the same way): likewise; *tune11* (``questions_bbc15.jsonl``,
session 24, the same way, written while tune10 was being tuned on): likewise; *tune12*
(``questions_bbc16.jsonl``, session 25, the same way): likewise; *tune13* (``questions_bbc17.jsonl``,
session 25, written while tune12 was being tuned on): likewise.

Grading, per kind:
- ``who_said`` and ``followup``: answered, and the **first** citation is one of the speaker's own
  statements the annotator listed, attributed to that speaker when the answer names one (so
  quoting another person, a sentence that only mentions the speaker, or the right words given
  to someone else fails: the speaker is graded, not only the words);
- ``fact``: answered, and a citation holds the short answer or one of the listed passages;
- ``unanswerable``: abstained, with no citation.

A cited passage "is" a listed statement when it comes from the listed file and shares at least
half of the statement's words (the text of record is cleaned, so exact offsets can differ).
"""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..api import Assistant
from ..models import Answer, Citation
from .quotes import same_speaker

ROOT = Path(__file__).resolve().parents[2]
WHOSAID = ROOT / "benchmarks" / "whosaid"
SHARED = ROOT.parent / "shared"
SPLITS = (
    "tune",
    "heldout",
    "tune2",
    "tune3",
    "tune4",
    "tune5",
    "tune6",
    "tune7",
    "tune8",
    "tune9",
    "tune10",
    "tune11",
    "tune12",
    "tune13",
    "heldout2",
    "heldout3",
    "heldout4",
)
# the splits run for totals only, never read
UNTOUCHED = ("heldout2", "heldout3", "heldout4")
# the splits whose failures may be read
TUNING = tuple(split for split in SPLITS if split not in UNTOUCHED)
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass
class WhoSaidQuestion:
    id: str
    kind: str
    question: str
    split: str
    file: str | None = None
    speaker: str | None = None
    answers: list[str] = field(default_factory=list)
    short_answer: str | None = None
    history: list[str] = field(default_factory=list)


def load_questions(path: str | Path) -> list[WhoSaidQuestion]:
    out = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        r = json.loads(line)
        out.append(
            WhoSaidQuestion(
                r["id"],
                r["kind"],
                r["question"],
                r["split"],
                r.get("file"),
                r.get("speaker_norm") or r.get("speaker"),
                list(r.get("answers") or []),
                r.get("short_answer"),
                list(r.get("history") or []),
            )
        )
    return out


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def _from_file(source: str, file: str | None) -> bool:
    """Is ``source`` the listed file? Seeds by file name (``data/articles`` holds copies of
    ``seeds/``), BBC articles by folder and name (``politics/001.txt``)."""
    if file is None:
        return False
    listed, cited = Path(file), Path(source)
    return cited.name == listed.name and (listed.parts[0] == "seeds" or cited.parent.name == listed.parent.name)


def _is_listed(c: Citation, q: WhoSaidQuestion) -> bool:
    """Does the citation print one of the listed statements from the listed file, itself or as
    one of its copies (``also_in``: the same statement another outlet ran, cited once)?"""
    printings = [(c.source, c.quote)] + [(copy["source"], copy["quote"]) for copy in c.also_in]
    for source, text in printings:
        if not _from_file(source, q.file):
            continue
        quote = set(_words(text))
        for listed in q.answers:
            words = _words(listed)
            if words and sum(w in quote for w in words) / len(words) >= 0.5:
                return True
    return False


def judge(q: WhoSaidQuestion, answer: Answer) -> tuple[bool, str]:
    """(correct, why not) under the rules in the module docstring."""
    if q.kind == "unanswerable":
        return (answer.abstained and not answer.citations), "answered a question the articles don't answer"
    if answer.abstained or not answer.citations:
        return False, f"refused: {answer.reason}"
    if q.kind in ("who_said", "followup") and q.speaker:
        first = answer.citations[0]
        if first.speaker and not same_speaker(first.speaker, q.speaker, "person"):
            return False, f"the speaker's words cited as {first.speaker}'s"
        if _is_listed(first, q):
            return True, ""
        return False, "first citation is not one of the speaker's listed statements"
    short = " ".join(_words(q.short_answer or ""))
    for c in answer.citations:
        if (short and short in " ".join(_words(c.quote))) or _is_listed(c, q):
            return True, ""
    return False, "no citation holds the answer"


def ask_with_history(assistant: Assistant, q: WhoSaidQuestion) -> Answer:
    """Ask the earlier turns first, so a follow-up's history holds the assistant's real answers."""
    history: list[dict[str, str]] = []
    for earlier in q.history:
        reply = assistant.ask(earlier, history=history or None)
        history += [{"role": "user", "content": earlier}, {"role": "assistant", "content": reply.text}]
    return assistant.ask(q.question, history=history or None)


def evaluate(
    assistant: Assistant,
    questions: Sequence[WhoSaidQuestion],
    *,
    show_failures: Sequence[str] = TUNING,
) -> dict[str, Any]:
    """Pass rates by split and kind; failures listed only for ``show_failures`` splits (the
    untouched half is reported as figures, never read question by question while tuning)."""
    rows = []
    for q in questions:
        answer = ask_with_history(assistant, q)
        ok, why = judge(q, answer)
        rows.append((q, ok, why, answer))
    report: dict[str, Any] = {}
    for split in SPLITS:
        mine = [(q, ok, why, a) for q, ok, why, a in rows if q.split == split]
        kinds: dict[str, dict[str, Any]] = {}
        for q, ok, _, _ in mine:
            k = kinds.setdefault(q.kind, {"passed": 0, "questions": 0})
            k["passed"] += ok
            k["questions"] += 1
        for k in kinds.values():
            k["rate"] = round(k["passed"] / k["questions"], 3)
        if not mine:
            continue
        report[split] = {"kinds": kinds, "passed": sum(ok for _, ok, _, _ in mine), "questions": len(mine)}
        if split in show_failures:
            report[split]["failures"] = [
                {"id": q.id, "kind": q.kind, "question": q.question, "why": why, "answer": a.text[:300]}
                for q, ok, why, a in mine
                if not ok
            ]
    return report


def run_whosaid(
    *,
    bbc: bool = True,
    show_failures: Sequence[str] = TUNING,
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """The seed questions on the five sample articles; with ``bbc``, the BBC questions on BBC +
    seeds (all 2,230 articles, so an unanswerable question is checked against everything)."""
    results: dict[str, Any] = {}
    seeds = ROOT / "data" / "articles"
    with tempfile.TemporaryDirectory(prefix="whosaid-") as tmp:
        with Assistant(store_dir=Path(tmp) / "seeds") as a:
            a.ingest([seeds])
            results["seeds"] = evaluate(
                a, load_questions(WHOSAID / "questions_seeds.jsonl"), show_failures=show_failures
            )
        corpus = SHARED / "corpora" / "bbc"
        if bbc and corpus.is_dir():
            if progress:
                progress("ingesting BBC + seeds for the BBC questions")
            with Assistant(store_dir=Path(tmp) / "bbc") as a:
                a.ingest([corpus, seeds])
                questions = [q for path in sorted(WHOSAID.glob("questions_bbc*.jsonl")) for q in load_questions(path)]
                results["bbc"] = evaluate(a, questions, show_failures=show_failures)
    return results
