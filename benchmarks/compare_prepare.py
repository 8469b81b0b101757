"""Does ingest still prepare normal articles exactly as an earlier version of the code did?

    git archive <rev> assistant | tar -x -C /tmp/before
    python benchmarks/compare_prepare.py /tmp/before [--bbc N]

Writes article files to a temporary folder: the seed articles, BBC articles from
``../shared/corpora/bbc`` (the first N, default all), the repository's own Markdown files, and
Markdown, HTML, JSON and JSONL versions of BBC articles (headings, bold, italics, links,
images, rules, block quotes, lists, tables, captions, page furniture). Then runs, once with
this checkout's ``assistant`` package and once with the one in the folder given, every step
ingest runs before embedding -- ``load_file``, ``clean``, ``sentence_spans``,
``extract_quotes``, ``chunk_article`` -- and reports, step by step, the documents whose output
differs (raw text and fields, cleaned text and metadata, sentence spans, quotes with their
offsets and speakers, chunk offsets and token counts). Markdown with underscores inside words
(snake_case_name) is expected to differ, since such an underscore is no emphasis any more:
those files are counted apart, with their first difference shown. Exits 1 if any other
document differs. Nothing is written to the repository.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BBC = ROOT.parent / "shared" / "corpora" / "bbc"
STEPS = ("raw", "clean", "sentences", "quotes", "chunks")


def write_inputs(folder: Path, bbc_limit: int | None) -> None:
    for seed in sorted((ROOT / "data" / "articles").glob("*.txt")):
        (folder / f"seed_{seed.name}").write_bytes(seed.read_bytes())
    for i, md in enumerate(sorted(ROOT.glob("**/*.md"))):
        if not any(part.startswith(".") or part == "node_modules" for part in md.relative_to(ROOT).parts):
            (folder / f"repo_{i:03d}_{md.name}").write_bytes(md.read_bytes())
    files = sorted(BBC.glob("*/*.txt"))[:bbc_limit] if BBC.is_dir() else []
    if not files:
        print(f"(no BBC corpus at {BBC}: seeds and the repository's Markdown only)")
    rng = random.Random(7)
    records = []
    for f in files:
        data = f.read_bytes()
        name = f"bbc_{f.parent.name}_{f.stem}"
        (folder / f"{name}.txt").write_bytes(data)
        text = data.decode("utf-8", errors="replace")
        title, _, body = text.strip().partition("\n")
        paras = [p.strip() for p in body.split("\n") if p.strip()]
        if not paras:
            continue
        (folder / f"{name}.md").write_text(_markdown(title, paras, rng, snake_case=False), encoding="utf-8")
        if len(records) % 10 == 0:  # underscores inside words: kept now, stripped before (expected to differ)
            (folder / f"snake_{name}.md").write_text(_markdown(title, paras, rng, snake_case=True), encoding="utf-8")
        (folder / f"{name}.html").write_text(_html(title, paras, rng), encoding="utf-8")
        records.append({"title": title, "text": "\n\n".join(paras), "url": f"https://example.org/{name}"})
    for i in range(0, len(records), 50):
        (folder / f"bbc_records_{i:04d}.json").write_text(json.dumps({"articles": records[i : i + 50]}))
        lines = "\n".join(json.dumps(r) for r in records[i : i + 50])
        (folder / f"bbc_records_{i:04d}.jsonl").write_text(lines, encoding="utf-8")


def _markdown(title: str, paras: list[str], rng: random.Random, snake_case: bool) -> str:
    out = [f"# {title}", ""]
    for i, p in enumerate(paras):
        words = p.split(" ")
        if len(words) > 6:
            j = rng.randrange(len(words) - 3)
            style = rng.choice(["**{}**", "_{}_", "*{}*", "__{}__", "[{}](https://example.org/x_(y))"])
            words[j] = style.format(words[j])
            if snake_case:
                words[j + 2] = f"snake_case_{words[j + 2]}"
        line = " ".join(words)
        if i % 7 == 3:
            line = "> " + line
        elif i % 11 == 5:
            line = "- " + line
        out += [line, ""]
        if i % 5 == 2:
            out += ["![A photo](https://example.org/photo.jpg)", "", "---" if i % 2 else "* * *", ""]
        if i % 9 == 4:
            out += [f"## {words[0]} section", ""]
    return "\n".join(out)


def _html(title: str, paras: list[str], rng: random.Random) -> str:
    body = []
    for i, p in enumerate(paras):
        p = p.replace("&", "&amp;").replace("<", "&lt;")
        if i % 6 == 2:
            body.append(f"<ul><li><p>{p}</p></li></ul>")
        elif i % 6 == 4:
            body.append(f"<blockquote><p>{p}</p></blockquote>")
        elif i % 10 == 7:
            body.append(f"<figure><img src='x.jpg'><figcaption>{p}</figcaption></figure>")
        elif i % 13 == 9:
            body.append(f"<table><tr><td>{p}</td></tr></table>")
        else:
            body.append(f"<p>{p}</p>")
    return (
        f"<html><head><title>{title} | BBC</title><meta property='og:site_name' content='BBC News'>"
        f"<meta property='og:title' content='{title.replace(chr(39), '&#39;')}'></head><body>"
        "<header><nav><a href='/'>Home</a> | <a href='/news'>News</a></nav></header>"
        f"<main><article><h1>{title}</h1>{''.join(body)}</article></main>"
        "<script>var x = '<p>not text</p>';</script><footer>Cookie policy</footer></body></html>"
    )


def dump(code: Path, folder: Path, out: Path) -> None:
    """Run every step with the ``assistant`` package under ``code``; write a digest per document."""
    sys.path.insert(0, str(code))
    from assistant.errors import AssistantError
    from assistant.ingest.chunking import chunk_article
    from assistant.ingest.cleaning import clean
    from assistant.ingest.loading import load_file
    from assistant.text.quotes import extract_quotes
    from assistant.text.sentences import sentence_spans

    assert Path(sys.modules["assistant"].__file__).is_relative_to(code), "imported the wrong package"
    result: dict[str, dict[str, str]] = {}
    for path in sorted(folder.iterdir()):
        try:
            raws = load_file(path, 10**8)
        except AssistantError as exc:
            result[path.name] = {"raw": f"error: {exc}"}
            continue
        for raw in raws:
            key = f"{path.name}#{raw.source.rpartition('#')[2]}" if "#" in raw.source else path.name
            steps = {"raw": [raw.text, raw.title, raw.url, raw.published, raw.outlet, raw.warnings]}
            article = clean(raw)
            steps["clean"] = [article.text, article.title, article.outlet, article.dates, article.doc_id]
            article.sentences = sentence_spans(article.text)
            steps["sentences"] = article.sentences
            article.quotes = extract_quotes(article.text, article.sentences)
            steps["quotes"] = [repr(q) for q in article.quotes]
            chunks = chunk_article(article) if article.text.strip() else []
            steps["chunks"] = [(c.start, c.end, c.tokens, c.wordpieces) for c in chunks]
            result[key] = {step: _digest(value) for step, value in steps.items()}
            if path.suffix == ".md" and _INTRAWORD_UNDERSCORE.search(
                path.read_text(encoding="utf-8", errors="replace")
            ):
                result[key]["_text"] = raw.text  # underscores inside words: expected to differ
    out.write_text(json.dumps(result))


_INTRAWORD_UNDERSCORE = re.compile(r"[^\W_]_+[^\W_]")


def _digest(value: object) -> str:
    return hashlib.sha256(json.dumps(value, ensure_ascii=False).encode("utf-8", "surrogatepass")).hexdigest()[:16]


def main(before: Path, bbc_limit: int | None) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "inputs"
        folder.mkdir()
        write_inputs(folder, bbc_limit)
        dumps = {}
        for label, code in (("before", before), ("after", ROOT)):
            out = Path(tmp) / f"{label}.json"
            subprocess.run([sys.executable, __file__, "--dump", str(code), str(folder), str(out)], check=True)
            dumps[label] = json.loads(out.read_text())
        before_d, after_d = dumps["before"], dumps["after"]
        keys = sorted(set(before_d) | set(after_d))
        kinds: dict[str, int] = {}
        for k in keys:
            kind = Path(k.split("#")[0]).suffix
            kinds[kind] = kinds.get(kind, 0) + 1
        counts = ", ".join(f"{n} {k}" for k, n in sorted(kinds.items()))
        print(f"{len(keys)} documents from {len(list(folder.iterdir()))} files: {counts}")
        differ = 0
        for step in STEPS:
            changed = [k for k in keys if before_d.get(k, {}).get(step) != after_d.get(k, {}).get(step)]
            expected = [k for k in changed if "_text" in after_d.get(k, {})]
            unexpected = [k for k in changed if k not in expected]
            differ += len(unexpected)
            note = f" (+ {len(expected)} Markdown files with snake_case words, expected to differ)" if expected else ""
            print(f"  {step:10s} {len(keys) - len(changed)} same, {len(unexpected)} differ{note}")
            for k in unexpected[:10]:
                print(f"      {k}")
        print("  where Markdown with underscores inside words differs (first difference, first 8 files):")
        for k in [k for k in keys if "_text" in after_d.get(k, {})][:8]:
            old, new = before_d[k]["_text"], after_d[k]["_text"]
            at = next((i for i, (a, b) in enumerate(zip(old, new, strict=False)) if a != b), min(len(old), len(new)))
            print(f"    {k}: {old[max(0, at - 30) : at + 30]!r}")
            print(f"    {' ' * len(k)}  now {new[max(0, at - 30) : at + 30]!r}")
        return 1 if differ else 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--dump"]:
        dump(Path(sys.argv[2]).resolve(), Path(sys.argv[3]), Path(sys.argv[4]))
    else:
        args = sys.argv[1:]
        limit = int(args[args.index("--bbc") + 1]) if "--bbc" in args else None
        sys.exit(main(Path(args[0]).resolve(), limit))
