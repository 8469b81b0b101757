"""Write a larger news corpus made from the BBC one: ``--variants`` versions of each article
(10 by default: about 22,250 articles, ten times BBC) into a folder outside the repository.

Variant 0 is the article as published; variants 1.. differ from it and from each other in the
people named (a person is swapped, everywhere in the article, for another from a pool of
people the corpus quotes, "First Last said": a heuristic, so a few organisations slip in), in
the numbers (most are scaled by a random factor, years stay), and in a few sentences (one may
be dropped, two neighbours may swap). Each text is distinct (the store stores identical texts
once), so the store grows by as many articles as written. Deterministic for a given
``--seed``. The BBC corpus is only read; nothing is written beside it or into the repository.

    python benchmarks/make_scale_corpus.py [--out /tmp/bbc10x] [--variants 10] [--limit N]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import shutil
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpora" / "bbc"
DEFAULT_OUT = Path("/tmp/bbc10x")
MARKER = ".scale_corpus.json"  # what a folder holds (hidden: ingest skips it)

# "First Last said" / "said First Last": people, as opposed to places and organisations
_NAME = r"([A-Z][a-z]{2,}) ([A-Z][a-z]{2,}(?:-[A-Z][a-z]+)?)"
_SPEAKER = [re.compile(_NAME + r",? (?:said|says|told|added)\b"), re.compile(r"\b(?:said|says|told) " + _NAME)]
_NOT_FIRST = set(
    """The But And This That Mr Mrs Ms Dr Sir Lord In On At It Home Foreign Deutsche Standard Sky White Downing
    Wall Prime Labour Tory Liberal Conservative Royal Lib General European United National Daily Financial Sunday
    New West East North South Premier World Real Inter Aston Crystal Manchester Sinn Radio Channel Time""".split()
)
_NOT_LAST = set(
    """Office Bank News Boerse Chartered Party Council Commission Court House Street League United City Group
    Ministry Department Agency Union Association Club Times Post Journal Airways Motors Records Music Games
    Studios Pictures Service Services Board Authority Police Fund Exchange Markets Capital International""".split()
)
_NUMBER = re.compile(r"(?<![\w.,])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?![\d,])")  # 1,200 / 3.5bn / £600m
_SENTENCE = re.compile(r"(?<=[.!?\"])\s+(?=[A-Z\"])")


def read_article(path: Path) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def corpus_files(corpus: Path, limit: int | None) -> list[Path]:
    files = [f for f in sorted(corpus.rglob("*.txt")) if f.name.lower() != "readme.txt"]
    if limit is not None:  # an even spread over the sections, not the first section only
        step = max(1, len(files) // limit)
        files = files[::step][:limit]
    return files


def people_pool(texts: list[str]) -> list[tuple[str, str]]:
    """(first, last) names the corpus quotes, most often first; a first name must come with
    several surnames ("Time Warner said" is a company)."""
    counts: Counter[tuple[str, str]] = Counter()
    for text in texts:
        for pattern in _SPEAKER:
            for first, last in pattern.findall(text):
                if first not in _NOT_FIRST and last not in _NOT_LAST:
                    counts[(first, last)] += 1
    surnames = Counter(first for first, _ in counts)
    return [name for name, _ in counts.most_common() if surnames[name[0]] >= 2]


def swap_people(text: str, pool: list[tuple[str, str]], rng: random.Random) -> str:
    """Give everyone of the pool named in the article another name from it (full name and surname)."""
    present = [(f, last) for f, last in pool if f"{f} {last}" in text]
    if not present:
        return text
    mapping: dict[str, str] = {}
    for first, last in present:
        new_first, new_last = rng.choice(pool)
        if (new_first, new_last) == (first, last):
            continue
        mapping[f"{first} {last}"] = f"{new_first} {new_last}"
        mapping.setdefault(last, new_last)
    if not mapping:
        return text
    pattern = re.compile(r"\b(" + "|".join(re.escape(k) for k in sorted(mapping, key=len, reverse=True)) + r")\b")
    return pattern.sub(lambda m: mapping[m.group(1)], text)


def perturb_numbers(text: str, rng: random.Random, share: float = 0.7) -> str:
    def change(m: re.Match[str]) -> str:
        whole, fraction = m.group(1), m.group(2) or ""
        value = int(whole.replace(",", ""))
        if (1900 <= value <= 2030 and not fraction) or rng.random() > share:  # years stay
            return m.group(0)
        scaled = max(1, round(value * rng.uniform(0.7, 1.4))) if value > 1 else value + rng.randint(1, 3)
        out = f"{scaled:,}" if "," in whole else str(scaled)
        if fraction:
            out += "." + "".join(str(rng.randint(0, 9)) for _ in fraction[1:])
        return out

    return _NUMBER.sub(change, text)


def perturb_sentences(body: list[str], rng: random.Random) -> list[str]:
    """Maybe drop one sentence (never a paragraph's only one) and swap two neighbours."""
    paragraphs = [_SENTENCE.split(p) for p in body]
    long = [i for i, p in enumerate(paragraphs) if len(p) > 1]
    if long and rng.random() < 0.6:
        p = paragraphs[rng.choice(long)]
        del p[rng.randrange(len(p))]
    long = [i for i, p in enumerate(paragraphs) if len(p) > 1]
    if long and rng.random() < 0.5:
        p = paragraphs[rng.choice(long)]
        j = rng.randrange(len(p) - 1)
        p[j], p[j + 1] = p[j + 1], p[j]
    return [" ".join(p) for p in paragraphs]


def variant(text: str, k: int, pool: list[tuple[str, str]], rng: random.Random) -> str:
    if k == 0:
        return text
    lines = text.strip().split("\n")
    title, body = lines[0], [p for p in "\n".join(lines[1:]).split("\n") if p.strip()]
    body = perturb_sentences(body, rng)
    out = title + "\n\n" + "\n\n".join(body) + "\n"
    return perturb_numbers(swap_people(out, pool, rng), rng)


def _fingerprint(text: str) -> str:
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()


def make(corpus: Path, out: Path, variants: int, limit: int | None, seed: int) -> dict[str, int]:
    files = corpus_files(corpus, limit)
    texts = [read_article(f) for f in files]
    pool = people_pool([read_article(f) for f in corpus_files(corpus, None)])
    out.mkdir(parents=True, exist_ok=True)
    seen: set[str] = set()
    written = retried = 0
    for f, text in zip(files, texts, strict=True):
        rng = random.Random(f"{seed}:{f.parent.name}/{f.name}")
        for k in range(variants):
            candidate = variant(text, k, pool, rng)
            attempts = 0
            while _fingerprint(candidate) in seen:  # a duplicate in BBC itself, or a variant no change reached
                attempts += 1
                retried += 1
                candidate = variant(text, max(k, 1), pool, rng)
                if attempts > 5:
                    candidate = candidate.rstrip("\n") + f"\n\nThis is edition {k} of the report.\n"
            seen.add(_fingerprint(candidate))
            target = out / f.parent.name / f"{f.stem}_v{k:02d}.txt"
            target.parent.mkdir(exist_ok=True)
            target.write_text(candidate, encoding="utf-8")
            written += 1
    return {"articles": written, "source_articles": len(files), "variants": variants, "redrawn": retried}


def ensure(corpus: Path, out: Path, variants: int, limit: int | None, seed: int) -> dict[str, int]:
    """The corpus in ``out``, written unless a previous run wrote it with the same parameters.
    A folder this script did not write is never touched."""
    if out.resolve().is_relative_to(ROOT):
        raise SystemExit(f"write the corpus outside the repository, not into {out}")
    params = {"corpus": str(corpus.resolve()), "variants": variants, "limit": limit, "seed": seed}
    marker = out / MARKER
    if marker.is_file():
        recorded = json.loads(marker.read_text(encoding="utf-8"))
        if recorded["params"] == params:
            return recorded["stats"]
        for child in out.iterdir():  # ours, with other parameters: written again
            if child.is_dir():
                shutil.rmtree(child)
        marker.unlink()
    elif out.exists() and any(out.iterdir()):
        raise SystemExit(f"{out} is not empty and was not written by this script: choose another --out")
    stats = make(corpus, out, variants, limit, seed)
    marker.write_text(json.dumps({"params": params, "stats": stats}), encoding="utf-8")
    return stats


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="a folder outside the repository")
    parser.add_argument("--variants", type=int, default=10, help="versions of each article (1 = BBC as is)")
    parser.add_argument("--limit", type=int, default=None, help="use this many BBC articles (spread over sections)")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    if not args.corpus.is_dir():
        sys.exit(f"corpus not found: {args.corpus}")
    stats = ensure(args.corpus, args.out, args.variants, args.limit, args.seed)
    print(f"{stats['articles']} articles ({stats['source_articles']} x {stats['variants']}) written to {args.out}")


if __name__ == "__main__":
    main()
