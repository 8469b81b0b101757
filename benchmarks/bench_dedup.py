"""Syndicated and near-duplicate articles on BBC News (``assistant.ingest.dedup``).

  groups     the near-duplicate groups found among BBC's 2,225 articles (as the store keeps
             them: one article per distinct cleaned text), the Jaccard of every LSH candidate
             pair, and the closest pairs left ungrouped (where the threshold sits)
  precision  a seeded sample of 20 grouped pairs, each judged by reading both articles; the
             verdicts are kept in ``benchmarks/dedup_review.json`` (a pair without one is
             reported as unreviewed, never counted as right)
  recall     ``--planted`` (default 40) rewritten copies of random articles: another dateline,
             paragraphs reordered, a sentence cut, a footer added (and for half, a changed
             headline); a copy is found when it joins its original's group, and a false
             group when it joins anything else
  cost       the grouping's own time per article; the in-memory LSH built from 22,250 stored
             signatures (the scale benchmark's size); with ``--ingest``, a whole BBC ingest
             into a fresh store with grouping on and off (articles/s)

Writes benchmarks/results/dedup.json with the date, the machine and the git commit.

    python benchmarks/bench_dedup.py                 # groups, precision, recall, cost: ~30 s
    python benchmarks/bench_dedup.py --ingest        # plus two whole BBC ingests: ~8 min
    python benchmarks/bench_dedup.py --ingest --limit 400
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_scale import git_commit  # noqa: E402
from make_scale_corpus import DEFAULT_CORPUS, corpus_files  # noqa: E402

from assistant.evaluation.runner import run_info  # noqa: E402
from assistant.ingest import dedup  # noqa: E402
from assistant.ingest.cleaning import clean  # noqa: E402
from assistant.ingest.loading import load_file  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
REVIEW = ROOT / "benchmarks" / "dedup_review.json"
SEEDS = ROOT / "data" / "articles"

DATELINES = ["LONDON (Reuters) - ", "WASHINGTON, Feb 3 (AP) — ", "Paris, 4 March: ", "NEW YORK (AFP) - "]
FOOTERS = [
    "Copyright 2005 Reuters. All rights reserved.",
    "Follow us on Twitter and sign up for our daily newsletter.",
    "Got a story? Tell our newsdesk what is happening where you live.",  # no boilerplate word: kept
    "Reporting by our correspondents; editing by the desk.",
]


def load_bbc(corpus: Path, limit: int | None) -> list[tuple[str, str, str, str]]:
    """(doc_id, file, title, text) per distinct cleaned text, in file order (as a store keeps them)."""
    seen: set[str] = set()
    out = []
    for f in corpus_files(corpus, limit):
        for raw in load_file(f, 10**8):
            art = clean(raw)
            if art.doc_id not in seen:
                seen.add(art.doc_id)
                out.append((art.doc_id, str(f.relative_to(corpus)), art.title, art.text))
    return out


def rewrite(text: str, rng: random.Random, i: int) -> str:
    """A syndicated copy: dateline, paragraphs reordered, a sentence cut, a footer; half retitled."""
    paras = [p for p in text.split("\n\n") if p.strip()]
    title, body = paras[0], paras[1:]
    if i % 2:
        title = "UPDATE 1-" + title
    body = body[:]
    rng.shuffle(body)
    longest = max(range(len(body)), key=lambda k: len(body[k]))
    sentences = re.split(r"(?<=[.!?])\s+", body[longest])
    if len(sentences) > 1:
        del sentences[rng.randrange(len(sentences))]
        body[longest] = " ".join(sentences)
    elif len(body) > 2:
        del body[longest]
    body[0] = DATELINES[i % len(DATELINES)] + body[0]
    return "\n\n".join([title, *body, FOOTERS[i % len(FOOTERS)]]) + "\n"


def summary(values: list[float]) -> dict[str, float]:
    values = sorted(values)
    return {
        "min": round(values[0], 3),
        "p5": round(values[int(0.05 * (len(values) - 1))], 3),
        "median": round(statistics.median(values), 3),
        "max": round(values[-1], 3),
    }


def groups_section(docs: list[tuple[str, str, str, str]]) -> tuple[dict, list[tuple[str, str, float]]]:
    texts = [(d, t) for d, _, _, t in docs]
    t0 = time.perf_counter()
    _, pairs = dedup.group_all(texts)
    seconds = time.perf_counter() - t0
    groups = dedup.groups((a, b) for a, b, _ in pairs)
    distinct = {g for g in groups.values()}
    # every LSH candidate's exact Jaccard, grouped or not: where the threshold sits
    sets = {d: dedup.shingles(t) for d, t in texts}
    low = dedup.DuplicateIndex(threshold=0.2)
    near = []
    for d, _ in texts:
        sig = dedup.signature(sets[d])
        for other in low.candidates(sig):
            near.append((dedup.jaccard(sets[d], sets[other]), d, other))
        low.add(d, sig)
    file_of = {d: f for d, f, _, _ in docs}
    below = sorted((x for x in near if x[0] < dedup.JACCARD), reverse=True)[:8]
    histogram = Counter(f"{int(j * 10) / 10:.1f}" for j, _, _ in near)
    return {
        "articles": len(docs),
        "pairs": len(pairs),
        "groups": len(distinct),
        "articles_in_groups": sum(len(g) for g in distinct),
        "group_sizes": dict(sorted(Counter(len(g) for g in distinct).items())),
        "identical_shingles_pairs": sum(1 for _, _, j in pairs if j >= 0.999),
        "candidate_jaccard_histogram": dict(sorted(histogram.items())),
        "closest_ungrouped": [{"jaccard": round(j, 3), "a": file_of[a], "b": file_of[b]} for j, a, b in below],
        "seconds": round(seconds, 2),
        "ms_per_article": round(1000 * seconds / len(docs), 2),
    }, pairs


def precision_section(docs, pairs, n: int = 20) -> dict:
    file_of = {d: f for d, f, _, _ in docs}
    title_of = {d: t for d, _, t, _ in docs}
    rng = random.Random(13)
    sample = rng.sample(sorted(pairs), min(n, len(pairs)))
    verdicts = json.loads(REVIEW.read_text(encoding="utf-8")) if REVIEW.exists() else {}
    rows = []
    for a, b, j in sample:
        key = " | ".join(sorted([file_of[a], file_of[b]]))
        v = verdicts.get(key, {})
        rows.append(
            {
                "pair": key,
                "jaccard": j,
                "titles": [title_of[a], title_of[b]],
                "same_story": v.get("same_story"),
                "note": v.get("note", "unreviewed"),
            }
        )
    judged = [r for r in rows if r["same_story"] is not None]
    ungrouped = verdicts.get("_closest_ungrouped_read", {})
    right = sum(1 for r in judged if r["same_story"])
    return {
        "sampled_pairs": len(rows),
        "reviewed": len(judged),
        "correct": right,
        "precision": round(right / len(judged), 3) if judged else None,
        "how": "each pair read in full (both files); same_story = one article republished or lightly rewritten",
        "sample": rows,
        "closest_ungrouped_read": ungrouped,
    }


def recall_section(docs, planted: int) -> dict:
    rng = random.Random(2005)
    originals = rng.sample(docs, planted)
    texts = [(d, t) for d, _, _, t in docs]
    copies = [(f"planted-{i}", rewrite(t, rng, i)) for i, (_, _, _, t) in enumerate(originals)]
    _, base_pairs = dedup.group_all(texts)
    base = dedup.groups((a, b) for a, b, _ in base_pairs)
    _, pairs = dedup.group_all(texts + copies)
    grouped = dedup.groups((a, b) for a, b, _ in pairs)
    found, wrong, jaccards, missed = 0, 0, [], []
    file_of = {d: f for d, f, _, _ in docs}
    for (copy_id, copy_text), (orig, f, _, orig_text) in zip(copies, originals, strict=True):
        story = set(base.get(orig, (orig,)))
        members = set(grouped.get(copy_id, ())) - {copy_id}
        jaccards.append(dedup.jaccard(dedup.shingles(orig_text), dedup.shingles(copy_text)))
        if orig in members:
            found += 1
        else:
            missed.append({"file": f, "jaccard": round(jaccards[-1], 3)})
        strangers = {m for m in members if not m.startswith("planted-") and m not in story}
        if strangers:
            wrong += 1
            missed.append({"file": f, "wrongly_with": sorted(file_of[m] for m in strangers)})
    return {
        "planted": planted,
        "found": found,
        "recall": round(found / planted, 3),
        "copies_grouped_with_another_story": wrong,
        "jaccard_copy_vs_original": summary(jaccards),
        "rewrite": "dateline added (4 styles), body paragraphs shuffled, one sentence cut from the longest "
        "paragraph, a footer added (4 kinds, one not boilerplate), every other headline changed",
        "misses": missed,
    }


def lsh_at_scale(docs, n: int = 22_250) -> dict:
    """The in-memory LSH built from ``n`` stored signatures (as a process does on its first
    ingest into a store that size), read from SQLite as the store does."""
    sets = [dedup.shingles(t) for _, _, _, t in docs]
    tmp = Path(tempfile.mkdtemp())
    try:
        db = sqlite3.connect(tmp / "s.sqlite3")
        db.execute("CREATE TABLE dup_signatures (doc_id TEXT PRIMARY KEY, signature BLOB)")
        t0 = time.perf_counter()
        rows = []
        for i in range(n):
            salt = (i // len(sets)) * 0x9E3779B1
            s = {(x ^ salt) & 0xFFFFFFFF for x in sets[i % len(sets)]}  # a distinct article per copy
            rows.append((f"doc{i}", dedup.to_blob(dedup.signature(s))))
        signing = time.perf_counter() - t0
        db.executemany("INSERT INTO dup_signatures VALUES (?, ?)", rows)
        db.commit()
        t0 = time.perf_counter()
        index = dedup.DuplicateIndex()
        ids = {r[0] for r in db.execute("SELECT doc_id FROM dup_signatures")}
        index.sync(
            ids,
            lambda wanted: (
                (d, dedup.from_blob(b)) for d, b in db.execute("SELECT doc_id, signature FROM dup_signatures")
            ),
        )
        build = time.perf_counter() - t0
        t0 = time.perf_counter()
        for _ in range(3):
            index.sync({r[0] for r in db.execute("SELECT doc_id FROM dup_signatures")}, lambda wanted: iter(()))
        resync = (time.perf_counter() - t0) / 3
        t0 = time.perf_counter()
        queries = 200
        for i in range(queries):
            index.candidates(dedup.from_blob(rows[i * 97 % n][1]))
        query = (time.perf_counter() - t0) / queries
        db.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return {
        "signatures": n,
        "signing_ms_per_article": round(1000 * signing / n, 3),
        "lsh_build_from_store_s": round(build, 2),
        "lsh_resync_per_batch_ms": round(1000 * resync, 2),
        "lsh_query_ms": round(1000 * query, 3),
        "note": "built once per process on its first ingest; afterwards each batch of 32 articles only "
        "reads the ids (resync) and the signatures other processes added",
    }


def ingest_section(corpus: Path, limit: int | None) -> dict:
    from assistant import Assistant
    from assistant.search.store import Store

    files = corpus_files(corpus, limit)
    staging = Path(tempfile.mkdtemp())
    out = {}
    try:
        folder = staging / "in"
        folder.mkdir()
        for f in files:
            target = folder / f"{f.parent.name}-{f.name}"
            shutil.copy(f, target)
        for seed in SEEDS.glob("*.txt"):
            shutil.copy(seed, folder / seed.name)
        for label, on in (("grouping_on", True), ("grouping_off", False)):
            Store.group_duplicates = on
            store = staging / f"store-{label}"
            with Assistant(store_dir=store) as a:
                t0 = time.perf_counter()
                report = a.ingest([folder])
                seconds = time.perf_counter() - t0
                pairs = len(a.store.duplicate_pairs())
            out[label] = {
                "articles": report.added,
                "seconds": round(seconds, 1),
                "articles_per_s": round(report.added / seconds, 2),
                "pairs_recorded": pairs,
            }
            shutil.rmtree(store, ignore_errors=True)
    finally:
        Store.group_duplicates = True
        shutil.rmtree(staging, ignore_errors=True)
    on, off = out["grouping_on"]["articles_per_s"], out["grouping_off"]["articles_per_s"]
    out["slowdown"] = round(off / on, 3)
    out["files"] = len(files) + len(list(SEEDS.glob("*.txt")))
    return out


def answers_section(store: Path, corpus: Path) -> dict:
    """Answer latency with the copies looked up (``also_in``) and without, question by question
    in alternating order on one store (so the machine's load falls on both alike)."""
    from bench_ingest_query import questions_for

    import assistant.answering.extractive as extractive
    import assistant.answering.quoted as quoted
    from assistant import Assistant

    questions = questions_for(corpus, 240, random.Random(7))
    questions += [
        "What did Blair say about Iraq?",
        "What did Brown say about the economy?",
        "What did Howard say about immigration?",
        "What did Mourinho say?",
        "What did Wenger say about the referee?",
    ] * 4
    real = (extractive._with_copies, quoted.add_copies)

    def on() -> None:
        extractive._with_copies, quoted.add_copies = real

    def off() -> None:
        extractive._with_copies = lambda citations, *a, **k: citations
        quoted.add_copies = lambda *a, **k: None

    times: dict[str, list[float]] = {"on": [], "off": []}
    with_copies = 0
    with Assistant(store_dir=store) as a:
        a.warm_up()
        for q in questions[:20]:
            a.ask(q)
        try:
            for i, q in enumerate(questions):
                for label, mode in (("on", on), ("off", off)) if i % 2 else (("off", off), ("on", on)):
                    mode()
                    t0 = time.perf_counter()
                    answer = a.ask(q)
                    times[label].append(1000 * (time.perf_counter() - t0))
                    if label == "on" and any(c.also_in for c in answer.citations):
                        with_copies += 1
        finally:
            on()

    def pct(values: list[float], p: float) -> float:
        values = sorted(values)
        return round(values[int(p * (len(values) - 1))], 1)

    return {
        "questions": len(questions),
        "answers_with_also_in": with_copies,
        "ms_with_copies_p50_p95": [pct(times["on"], 0.5), pct(times["on"], 0.95)],
        "ms_without_p50_p95": [pct(times["off"], 0.5), pct(times["off"], 0.95)],
        "store": "BBC + seeds, grouped at ingest",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--planted", type=int, default=40)
    parser.add_argument("--ingest", action="store_true", help="also ingest BBC twice (grouping on, off)")
    parser.add_argument("--limit", type=int, default=None, help="BBC files for --ingest (default all)")
    parser.add_argument("--answers", type=Path, default=None, help="a BBC store: answer latency with/without")
    parser.add_argument("--shared", default="", help="note on what else ran on the machine meanwhile")
    parser.add_argument("--out", type=Path, default=RESULTS / "dedup.json")
    args = parser.parse_args()
    if not args.corpus.is_dir():
        sys.exit(f"BBC News corpus not found at {args.corpus} (expected ../shared/corpora/bbc)")
    docs = load_bbc(args.corpus, None)
    result = {**run_info(), "git": git_commit(), "shared_machine": args.shared or None}
    result["thresholds"] = {
        "shingle_words": dedup.SHINGLE_WORDS,
        "num_perm": dedup.NUM_PERM,
        "lsh_threshold": dedup.LSH_THRESHOLD,
        "jaccard": dedup.JACCARD,
    }
    result["groups"], pairs = groups_section(docs)
    print(json.dumps(result["groups"], indent=1))
    result["precision"] = precision_section(docs, pairs)
    print({k: v for k, v in result["precision"].items() if k != "sample"})
    result["recall"] = recall_section(docs, args.planted)
    print({k: v for k, v in result["recall"].items() if k != "misses"}, result["recall"]["misses"][:5])
    result["lsh_at_scale"] = lsh_at_scale(docs)
    print(result["lsh_at_scale"])
    if args.ingest:
        result["ingest"] = ingest_section(args.corpus, args.limit)
        print(result["ingest"])
    elif args.out.exists():  # keep the last ingest measurement, marked as such
        previous = json.loads(args.out.read_text(encoding="utf-8"))
        if "ingest" in previous:
            result["ingest"] = {**previous["ingest"], "carried_over_from": previous.get("date")}
    if args.answers:
        result["answers"] = answers_section(args.answers, args.corpus)
        print(result["answers"])
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
