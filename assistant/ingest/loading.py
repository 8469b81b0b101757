"""Read article files of each supported format into ``RawDocument``s, or fail with a reason.

Encoding is detected, never guessed silently: UTF-8 first, then charset-normalizer's best
match with a warning that names the encoding used. Binary, empty, undecodable and oversized
files raise ``LoadError`` with a message fit to show a user.
"""

from __future__ import annotations

import codecs
import html
import json
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import LoadError
from ..models import RawDocument

log = logging.getLogger(__name__)

TEXT_SUFFIXES = {".txt", ".text"}
MARKDOWN_SUFFIXES = {".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm"}
JSON_SUFFIXES = {".json"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | MARKDOWN_SUFFIXES | HTML_SUFFIXES | JSON_SUFFIXES | JSONL_SUFFIXES
# Files a folder of articles commonly carries that are not articles.
_NOT_ARTICLES = re.compile(r"^(readme|license|licence|changelog|copying)(\.|$)", re.IGNORECASE)

_ENTITY = re.compile(r"&(#\d+|#x[0-9a-fA-F]+|[a-zA-Z][a-zA-Z0-9]{1,31});")


@dataclass
class Discovery:
    """The files to ingest, found under the given paths, plus what was passed over and why."""

    files: list[Path] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


def discover(paths: Iterable[str | Path], exclude: Iterable[str | Path] = ()) -> Discovery:
    """Expand files and folders (recursively) into a sorted, de-duplicated list of files.

    A file named explicitly is always attempted (and fails with a reason if unsupported);
    inside folders, hidden files, unsupported types and README/LICENSE files are skipped, and
    so is everything under ``exclude`` (the store itself, when it sits inside a folder ingested).
    """
    found = Discovery()
    seen: set[Path] = set()
    excluded = [Path(e).resolve() for e in exclude]

    def add(p: Path) -> None:
        rp = p.resolve()
        if rp not in seen:
            seen.add(rp)
            found.files.append(p)

    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            for child in sorted(p.rglob("*")):
                if not child.is_file():
                    continue
                rel_parts = child.relative_to(p).parts
                if any(part.startswith(".") for part in rel_parts):
                    continue
                if any(child.resolve().is_relative_to(e) for e in excluded):
                    found.skipped.append(str(child))
                    continue
                if child.suffix.lower() not in SUPPORTED_SUFFIXES or _NOT_ARTICLES.match(child.name):
                    found.skipped.append(str(child))
                    continue
                add(child)
        elif p.is_file():
            add(p)
        else:
            found.missing.append(str(p))
    return found


def load_file(path: Path, max_bytes: int, display_name: str | None = None) -> list[RawDocument]:
    """Read one file into one or more raw documents (JSON/JSONL may hold many)."""
    name = display_name or str(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise LoadError(
            f"unsupported file type {suffix or '(none)'}; expected one of " + ", ".join(sorted(SUPPORTED_SUFFIXES))
        )
    size = path.stat().st_size
    if size > max_bytes:
        raise LoadError(
            f"file is {size / 1e6:.1f} MB, over the {max_bytes / 1e6:.1f} MB limit "
            "(raise it with --max-file-mb or ASSISTANT_MAX_FILE_MB)"
        )
    data = path.read_bytes()
    text, warnings = decode_bytes(data)
    if suffix in JSON_SUFFIXES:
        docs = _from_json_records(_parse_json(text), name)
    elif suffix in JSONL_SUFFIXES:
        docs = _from_json_records(_parse_jsonl(text), name)
    elif suffix in HTML_SUFFIXES:
        docs = [_from_html(text, name)]
    elif suffix in MARKDOWN_SUFFIXES:
        docs = [RawDocument(source=name, text=markdown_to_text(text))]
    else:
        docs = [RawDocument(source=name, text=text)]
    for doc in docs:
        doc.warnings[:0] = warnings
    return docs


def decode_bytes(data: bytes) -> tuple[str, list[str]]:
    """Decode file bytes to text: UTF-8 (with or without BOM), UTF-16 with BOM, else detect."""
    if not data.strip():
        raise LoadError("empty file")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16"), []
    if b"\x00" in data[:65536]:
        raise LoadError("binary file (contains NUL bytes), not a text article")
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        bad_at = exc.start
    # Western news that is not UTF-8 is almost always Windows-1252/Latin-1; statistical
    # detection misreads a lone "£" as Japanese, so try that first and detect only otherwise.
    try:
        text, encoding = data.decode("cp1252"), "cp1252 (Windows Latin-1)"
    except UnicodeDecodeError:
        from charset_normalizer import from_bytes  # imported lazily: rarely needed

        best = from_bytes(data).best()
        if best is None:
            raise LoadError(
                f"cannot decode: not UTF-8 (invalid byte at offset {bad_at}) and no other text encoding fits"
            ) from None
        text, encoding = str(best), best.encoding
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f")
    if controls > max(2, len(text) // 200):
        raise LoadError(f"cannot decode: bytes look binary ({controls} control characters when read as {encoding})")
    return text, [f"not valid UTF-8 (invalid byte at offset {bad_at}); decoded as {encoding}"]


def unescape_entities(text: str) -> str:
    """Decode HTML entities such as ``&#233;`` or ``&amp;`` that scraped text often carries."""
    return html.unescape(text) if _ENTITY.search(text) else text


# --- JSON / JSONL -------------------------------------------------------------------------

_TEXT_KEYS = ("text", "content", "body", "article", "story", "maintext")
_TITLE_KEYS = ("title", "headline", "name")
_URL_KEYS = ("url", "link", "permalink")
_DATE_KEYS = ("date", "published", "published_at", "publishedAt", "pubDate", "date_publish", "datetime")
_OUTLET_KEYS = ("outlet", "source", "publisher", "site_name", "source_domain")


def _parse_json(text: str) -> list[Any]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise LoadError(f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}") from exc
    if isinstance(data, dict):
        for key in ("articles", "documents", "items", "data"):
            if isinstance(data.get(key), list):
                return data[key]
        return [data]
    if isinstance(data, list):
        return data
    raise LoadError("JSON must be an object or a list of objects")


def _parse_jsonl(text: str) -> list[Any]:
    records = []
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError as exc:
            raise LoadError(f"invalid JSON on line {lineno}: {exc.msg}") from exc
    return records


def _first(record: dict[str, Any], keys: tuple[str, ...]) -> str | None:
    for key in keys:
        value = record.get(key)
        if isinstance(value, dict):  # e.g. {"source": {"name": "Reuters"}}
            value = value.get("name") or value.get("title")
        if isinstance(value, list):
            value = "\n\n".join(str(v) for v in value if v)
        if value not in (None, ""):
            return str(value)
    return None


def _from_json_records(records: list[Any], name: str) -> list[RawDocument]:
    docs = []
    problems = []
    for i, record in enumerate(records):
        if not isinstance(record, dict):
            problems.append(f"record {i} is not an object")
            continue
        text = _first(record, _TEXT_KEYS)
        if not text or not text.strip():
            problems.append(f"record {i} has no text (looked for {', '.join(_TEXT_KEYS)})")
            continue
        docs.append(
            RawDocument(
                source=f"{name}#{i}" if len(records) > 1 else name,
                text=text,
                title=_first(record, _TITLE_KEYS),
                url=_first(record, _URL_KEYS),
                published=_first(record, _DATE_KEYS),
                outlet=_first(record, _OUTLET_KEYS),
            )
        )
    if not docs:
        raise LoadError("no articles found: " + ("; ".join(problems[:3]) if problems else "the file holds no records"))
    if problems:
        docs[0].warnings.append(f"{len(problems)} record(s) skipped: " + "; ".join(problems[:3]))
    return docs


# --- HTML / Markdown ----------------------------------------------------------------------

_HTML_DROP = "script, style, noscript, nav, footer, aside, form, iframe, svg, header"
_HTML_BLOCKS = "h1, h2, h3, h4, h5, h6, p, li, blockquote, pre, td, figcaption"


def _from_html(text: str, name: str) -> RawDocument:
    from selectolax.lexbor import LexborHTMLParser as HTMLParser

    tree = HTMLParser(text)

    def meta(*names: str) -> str | None:
        for n in names:
            node = tree.css_first(f'meta[property="{n}"]') or tree.css_first(f'meta[name="{n}"]')
            if node is not None and node.attributes.get("content"):
                return node.attributes["content"].strip()
        return None

    title = meta("og:title", "twitter:title")
    if not title:
        h1 = tree.css_first("h1")
        title_node = h1 or tree.css_first("title")
        title = title_node.text(strip=True) if title_node is not None else None
    outlet = meta("og:site_name", "application-name")
    published = meta("article:published_time", "date", "pubdate", "dc.date")
    canonical = tree.css_first('link[rel="canonical"]')
    url = meta("og:url") or (canonical.attributes.get("href") if canonical is not None else None)
    for node in tree.css(_HTML_DROP):
        node.decompose()
    root = tree.css_first("article") or tree.css_first("main") or tree.body or tree.root
    blocks = []
    if root is not None:
        for node in root.css(_HTML_BLOCKS):
            # skip blocks nested in another block we already take (li > p ...)
            if node.parent is not None and node.parent.tag in ("li", "blockquote", "td"):
                continue
            block = " ".join(node.text(separator=" ").split())
            if block:
                blocks.append(block)
        if not blocks:
            blocks = [line.strip() for line in root.text(separator="\n").splitlines() if line.strip()]
    body = "\n\n".join(blocks)
    if not body.strip():
        raise LoadError("HTML page has no readable text")
    return RawDocument(source=name, text=body, title=title, url=url, published=published, outlet=outlet)


_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+", re.MULTILINE)
_MD_QUOTE = re.compile(r"^\s{0,3}>\s?", re.MULTILINE)
# Runs of whole lines holding only -, *, _ and spaces: one with three or more marks is a rule.
_MD_RULE_BLOCK = re.compile(r"^[-*_\s]*$", re.MULTILINE)
_MD_EMPHASIS_MARK = re.compile(r"[*_]")
_MD_DELIMITERS = {"*": ("**", "*"), "_": ("__", "_")}


def markdown_to_text(text: str) -> str:
    """Strip Markdown markup so citations quote what a reader sees, not the syntax.

    In time linear in the text: each step is a scan that never goes back over what it passed
    (Markdown of 120 KB of ``_x _x ...`` took 48 s with the regular expressions this replaced,
    whose output it keeps, except that ``_`` inside a word (snake_case_name) is no emphasis)."""
    text = _strip_links(text, image=True)
    text = _strip_links(text, image=False)
    text = _MD_HEADING.sub("", text)
    text = _MD_RULE_BLOCK.sub(_drop_rule, text)
    text = _MD_QUOTE.sub("", text)
    return _strip_emphasis(text)


def _drop_rule(m: re.Match[str]) -> str:
    block = m.group(0)
    return "" if block.count("-") + block.count("*") + block.count("_") >= 3 else block


def _strip_links(text: str, image: bool) -> str:
    r"""``![alt](src)`` -> "" (``image``), else ``[text](url)`` -> "text": what the expressions
    ``!\[[^\]]*\]\([^)]*\)`` and ``\[([^\]]+)\]\([^)]*\)`` did, in one forward scan. An opening
    bracket's text ends at the first "]" after it and its address at the first ")" after that,
    so the next "]" and ")" are found once and reused by every bracket before them."""
    opener = "![" if image else "["
    out: list[str] = []
    pos = 0  # text[:pos] is done
    close_bracket = close_paren = -1  # the first "]" / ")" at or after where last looked (-1: none)
    i = text.find(opener)
    while i >= 0:
        inner = i + len(opener)
        if close_bracket < inner:
            close_bracket = text.find("]", inner)
            if close_bracket < 0:
                break  # no "]" after here: no later bracket closes either
        if close_bracket > inner or image:  # a link's text is never empty; an image's alt may be
            if close_bracket + 1 < len(text) and text[close_bracket + 1] == "(":
                if close_paren < close_bracket + 2:
                    close_paren = text.find(")", close_bracket + 2)
                    if close_paren < 0:
                        break  # no ")" after here: no later link closes either
                out.append(text[pos:i])
                if not image:
                    out.append(text[inner:close_bracket])
                pos = close_paren + 1
                i = text.find(opener, pos)
                continue
        i = text.find(opener, i + 1)
    out.append(text[pos:])
    return "".join(out)


def _strip_emphasis(text: str) -> str:
    r"""``**bold**``, ``__bold__``, ``*it*``, ``_it_`` -> their text, as the expression
    ``(\*\*|__|\*|_)(?=\S)(.+?)(?<=\S)\1`` did (within one line; the first closing mark that
    follows a non-space ends it; ``**`` tried before ``*``), but ``_`` only at a word's edge, and
    in one forward scan: for each kind of mark, the next mark that could close is found once
    and reused by every opening mark before it."""
    n = len(text)
    closers: dict[str, int] = {}  # mark -> the first closing position at or after where last looked
    looked_from: dict[str, int] = {}
    line_end = -1  # the end of the line holding the current opening mark

    def closer(mark: str, start: int) -> int:
        """The first position >= start where ``mark`` can close emphasis (n if none)."""
        if looked_from.get(mark, n + 1) <= start <= closers[mark]:
            return closers[mark]
        j = text.find(mark, start)
        while j >= 0 and (
            text[j - 1].isspace() or (mark[0] == "_" and j + len(mark) < n and text[j + len(mark)].isalnum())
        ):
            j = text.find(mark, j + 1)
        closers[mark], looked_from[mark] = (j if j >= 0 else n), start
        return closers[mark]

    out: list[str] = []
    pos = 0  # text[:pos] is done
    for m in _MD_EMPHASIS_MARK.finditer(text):
        i = m.start()
        if i < pos:
            continue  # inside emphasis already taken
        for mark in _MD_DELIMITERS[text[i]]:
            start = i + len(mark)
            if not text.startswith(mark, i) or start >= n or text[start].isspace():
                continue
            if mark[0] == "_" and i > 0 and text[i - 1].isalnum():
                continue  # snake_case: inside a word, not emphasis
            if line_end < start:
                line_end = text.find("\n", start)
                if line_end < 0:
                    line_end = n
            j = closer(mark, start + 1)
            if j < line_end:
                out.append(text[pos:i])
                out.append(text[start:j])
                pos = j + len(mark)
                break
    out.append(text[pos:])
    return "".join(out)
