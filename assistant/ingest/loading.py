"""Read article files of each supported format into ``RawDocument``s, or fail with a reason.

Encoding is detected, never guessed silently: UTF-8 first, then charset-normalizer's best
match with a warning that names the encoding used. Binary, empty, undecodable and oversized
files raise ``LoadError`` with a message fit to show a user.

Files are untrusted: every step here takes time linear in the file's size (no regular
expression that backtracks over the rest of a line for each character, no nested HTML block
read once per ancestor), JSON nested too deeply is refused before the parser recurses, text
extracted from a file is held to the same size limit as the file, and strings that cannot be
stored (lone surrogates from a JSON ``"\\ud800"``, undecodable bytes in a file name) are
replaced with U+FFFD, with a warning saying so.
"""

from __future__ import annotations

import codecs
import dataclasses
import errno
import html
import json
import logging
import os
import re
import stat
import sys
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


# What common files that are not articles are, for the reason a folder's file is passed over.
_FILE_KINDS = {
    ".png": "PNG image",
    ".jpg": "JPEG image",
    ".jpeg": "JPEG image",
    ".gif": "GIF image",
    ".webp": "WebP image",
    ".svg": "SVG image",
    ".bmp": "bitmap image",
    ".tif": "TIFF image",
    ".tiff": "TIFF image",
    ".ico": "icon",
    ".pdf": "PDF document",
    ".doc": "Word document",
    ".docx": "Word document",
    ".odt": "OpenDocument text",
    ".rtf": "RTF document",
    ".epub": "e-book",
    ".xls": "spreadsheet",
    ".xlsx": "spreadsheet",
    ".ods": "spreadsheet",
    ".csv": "CSV table",
    ".tsv": "TSV table",
    ".xml": "XML data",
    ".rss": "RSS feed",
    ".zip": "ZIP archive",
    ".gz": "gzip archive",
    ".tgz": "gzip archive",
    ".bz2": "bzip2 archive",
    ".xz": "xz archive",
    ".tar": "tar archive",
    ".7z": "7-Zip archive",
    ".rar": "RAR archive",
    ".mp3": "audio",
    ".wav": "audio",
    ".ogg": "audio",
    ".m4a": "audio",
    ".mp4": "video",
    ".mov": "video",
    ".webm": "video",
    ".avi": "video",
    ".exe": "program",
    ".dll": "library",
    ".so": "library",
    ".sqlite": "database",
    ".db": "database",
    ".py": "source code",
    ".js": "source code",
    ".css": "stylesheet",
}


@dataclass
class Discovery:
    """The files to ingest, found under the given paths, plus what was passed over and why.

    ``skipped`` lists what inside the folders was passed over (files, and folders not entered),
    as text fit to print (see ``display_name``); ``skipped_reasons`` maps each of those entries
    to why, e.g. "hidden file (name starts with '.')", "unsupported type .png (PNG image)",
    "symlink loop". ``missing`` lists paths given that do not exist.
    """

    files: list[Path] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    skipped_reasons: dict[str, str] = field(default_factory=dict)

    def skip(self, path: str | Path, reason: str) -> None:
        name = display_name(path)
        if name not in self.skipped_reasons:
            self.skipped.append(name)
            self.skipped_reasons[name] = reason


def display_name(path: str | os.PathLike[str] | bytes) -> str:
    """A path as valid text, fit to show, store and encode as UTF-8.

    On Linux a file name is bytes; Python hands a name that is not UTF-8 over with each bad
    byte as a surrogate escape (b"bad\\xffname.txt" -> "bad\\udcffname.txt"), which cannot be
    encoded. Such bytes become U+FFFD ("bad\\ufffdname.txt"); valid names come back unchanged.
    """
    name = os.fspath(path)
    if isinstance(name, bytes):
        return name.decode(sys.getfilesystemencoding(), "replace")
    if not _SURROGATE.search(name):
        return name
    try:
        raw = os.fsencode(name)  # the original bytes of surrogate-escaped characters
    except UnicodeEncodeError:  # a surrogate that escapes no byte (not from the file system)
        return _SURROGATE.sub("\ufffd", name)
    return _SURROGATE.sub("\ufffd", raw.decode(sys.getfilesystemencoding(), "replace"))


def discover(paths: Iterable[str | Path], exclude: Iterable[str | Path] = ()) -> Discovery:
    """Expand files and folders (recursively) into a sorted, de-duplicated list of files.

    A file named explicitly is always attempted (and fails with a reason if unsupported).
    Inside folders every entry is either taken or recorded in ``skipped`` with its reason:
    hidden files and folders, unsupported types, README/LICENSE files, everything under
    ``exclude`` (the store itself, when it sits inside a folder ingested), special files,
    broken links and symlink loops. Symlinked folders are followed once; a link back to a
    folder that contains it is reported as a loop, never followed.
    """
    found = Discovery()
    seen: dict[str, str] = {}  # real path of each file taken -> the path it was taken as
    excluded = [os.path.realpath(e) for e in exclude]

    def add(p: Path, real: str, explicit: bool) -> None:
        if real not in seen:
            seen[real] = str(p)
            found.files.append(p)
        elif not explicit and seen[real] != str(p):
            found.skip(p, f"same file as {display_name(seen[real])} (already included)")

    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            taken, passed = _walk(p, excluded)
            for path, real in sorted(taken):
                add(path, real, explicit=False)
            for path, reason in sorted(passed):
                found.skip(path, reason)
        elif os.path.lexists(p):  # a symlink loop or a special file fails in load_file, with its reason
            add(p, os.path.realpath(p), explicit=True)
        else:
            found.missing.append(display_name(p))
    return found


def _walk(root: Path, excluded: list[str]) -> tuple[list[tuple[Path, str]], list[tuple[Path, str]]]:
    """Every file under ``root`` to take, as (path, real path), and every entry passed over,
    as (path, reason). Iterative, so neither deep trees nor symlink loops can recurse forever."""
    taken: list[tuple[Path, str]] = []
    passed: list[tuple[Path, str]] = []
    root_real = os.path.realpath(root)
    visited: dict[str, Path] = {root_real: root}  # real path of each folder entered -> as which path
    stack: list[tuple[Path, tuple[str, ...]]] = [(root, (root_real,))]  # folder, real paths of it and its ancestors
    while stack:
        folder, ancestors = stack.pop()
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            passed.append((folder, f"cannot read folder: {exc.strerror or exc}"))
            continue
        for entry in entries:
            path = folder / entry.name
            is_link = entry.is_symlink()
            try:
                mode: int | None = entry.stat().st_mode  # through a symlink
            except OSError as exc:
                mode, error = None, exc
            if entry.name.startswith("."):
                kind = "folder" if mode is not None and stat.S_ISDIR(mode) else "file"
                passed.append((path, f"hidden {kind} (name starts with '.')"))
                continue
            if mode is None:
                passed.append((path, _unreadable_reason(error, is_link)))
                continue
            is_dir, is_file = stat.S_ISDIR(mode), stat.S_ISREG(mode)
            real = os.path.realpath(path)
            store = next((e for e in excluded if _is_within(real, e)), None)
            if store is not None:
                passed.append((path, "the store directory" if real == store else "inside the store directory"))
                continue
            if is_dir:
                if real in ancestors:
                    passed.append((path, "symlink loop (links back to a folder that contains it)"))
                elif is_link and _is_within(real, root_real):
                    where = display_name(root / os.path.relpath(real, root_real))
                    passed.append((path, f"symlink to {where}, whose files are read there"))
                elif real in visited:
                    passed.append((path, f"same folder as {display_name(visited[real])} (already included)"))
                else:
                    visited[real] = path
                    stack.append((path, (*ancestors, real)))
                continue
            if not is_file:
                passed.append((path, "not a regular file (a device, socket or named pipe)"))
                continue
            reason = _not_article_reason(entry.name)
            if reason:
                passed.append((path, reason))
            else:
                taken.append((path, real))
    return taken, passed


def _is_within(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def _unreadable_reason(error: OSError, is_link: bool) -> str:
    if error.errno == errno.ELOOP:
        return "symlink loop"
    if is_link and error.errno == errno.ENOENT:
        return "broken symlink (its target does not exist)"
    return f"cannot read: {error.strerror or error}"


def _not_article_reason(filename: str) -> str | None:
    """Why a file found in a folder is not taken as an article, or None when it is."""
    if _NOT_ARTICLES.match(filename):
        return "not an article (README/LICENSE/CHANGELOG/COPYING)"
    suffix = Path(filename).suffix.lower()
    if suffix in SUPPORTED_SUFFIXES:
        return None
    if not suffix:
        return "unsupported type (no file extension)"
    kind = _FILE_KINDS.get(suffix)
    return f"unsupported type {suffix} ({kind})" if kind else f"unsupported type {suffix}"


def load_file(path: Path, max_bytes: int, display_name: str | None = None) -> list[RawDocument]:
    """Read one file into one or more raw documents (JSON/JSONL may hold many).

    ``max_bytes`` limits the file's size, and also each document's text as extracted (in
    UTF-8 bytes), so no markup can expand past what a file of that size may hold."""
    name = _display_name(display_name or str(path))
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise LoadError(
            f"unsupported file type {suffix or '(none)'}; expected one of " + ", ".join(sorted(SUPPORTED_SUFFIXES))
        )
    try:
        info = path.stat()
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise LoadError("symlink loop (the link leads back to itself)") from None
        raise
    if not stat.S_ISREG(info.st_mode):
        raise LoadError("not a regular file (a folder, device, socket or named pipe)")
    too_big = (
        f"file is {{size:.1f}} MB, over the {max_bytes / 1e6:.1f} MB limit "
        "(raise it with --max-file-mb or ASSISTANT_MAX_FILE_MB)"
    )
    if info.st_size > max_bytes:
        raise LoadError(too_big.format(size=info.st_size / 1e6))
    with path.open("rb") as f:
        data = f.read(max_bytes + 1)  # the file may have grown since
    if len(data) > max_bytes:
        raise LoadError(too_big.format(size=len(data) / 1e6))
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
        _check_extracted_size(doc, max_bytes, len(docs) > 1)
        doc.warnings[:0] = warnings
        replace_surrogates(doc)
    return docs


_display_name = display_name  # ``load_file``'s parameter of that name hides the function


def _check_extracted_size(doc: RawDocument, max_bytes: int, several: bool) -> None:
    """Refuse a document whose text, as extracted, is over the size limit (in UTF-8 bytes)."""
    n = len(doc.text)
    if n * 4 <= max_bytes:  # a character is at most 4 bytes in UTF-8
        return
    size = n if n > max_bytes else len(doc.text.encode("utf-8", "surrogatepass"))
    if size > max_bytes:
        where = f"{doc.source}: " if several else ""
        raise LoadError(
            f"{where}extracted text is {size / 1e6:.1f} MB (UTF-8), over the {max_bytes / 1e6:.1f} MB limit "
            "(raise it with --max-file-mb or ASSISTANT_MAX_FILE_MB)"
        )


# a lone surrogate: not a character, so text holding one cannot be encoded, hashed or stored
_SURROGATE = re.compile("[\ud800-\udfff]")


def replace_surrogates(doc: RawDocument) -> RawDocument:
    """Replace lone surrogates in every string field of ``doc`` with U+FFFD, in place, and add a
    warning naming the fields changed. JSON can escape one (``"\\ud800"``); no text holds one."""
    changed = []
    for f in dataclasses.fields(doc):
        value = getattr(doc, f.name)
        if isinstance(value, str) and _SURROGATE.search(value):
            setattr(doc, f.name, _SURROGATE.sub("\ufffd", value))
            changed.append(f.name)
        elif isinstance(value, list) and any(isinstance(v, str) and _SURROGATE.search(v) for v in value):
            setattr(doc, f.name, [_SURROGATE.sub("\ufffd", v) if isinstance(v, str) else v for v in value])
    if changed:
        doc.warnings.append(
            "invalid Unicode (lone surrogate code points, e.g. an escaped \\ud800 in JSON) in "
            + ", ".join(changed)
            + " replaced with U+FFFD"
        )
    return doc


def decode_bytes(data: bytes) -> tuple[str, list[str]]:
    """Decode file bytes to text: UTF-8 (with or without BOM), UTF-16 with BOM, else detect."""
    if not data.strip():
        raise LoadError("empty file")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), []
        except UnicodeDecodeError as exc:
            return data.decode("utf-16", "replace"), [
                f"invalid UTF-16 (at byte {exc.start}: {exc.reason}); replaced with U+FFFD"
            ]
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
    controls = sum(1 for _ in _CONTROL.finditer(text))
    if controls > max(2, len(text) // 200):
        raise LoadError(f"cannot decode: bytes look binary ({controls} control characters when read as {encoding})")
    return text, [f"not valid UTF-8 (invalid byte at offset {bad_at}); decoded as {encoding}"]


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")  # control characters other than \t \n \f \r


def unescape_entities(text: str) -> str:
    """Decode HTML entities such as ``&#233;`` or ``&amp;`` that scraped text often carries."""
    return html.unescape(text) if _ENTITY.search(text) else text


# --- JSON / JSONL -------------------------------------------------------------------------

_TEXT_KEYS = ("text", "content", "body", "article", "story", "maintext")
_TITLE_KEYS = ("title", "headline", "name")
_URL_KEYS = ("url", "link", "permalink")
_DATE_KEYS = ("date", "published", "published_at", "publishedAt", "pubDate", "date_publish", "datetime")
_OUTLET_KEYS = ("outlet", "source", "publisher", "site_name", "source_domain")


MAX_JSON_DEPTH = 100  # levels of [ ] and { }: news records nest a few; the parser recurses per level


def _parse_json(text: str) -> list[Any]:
    _check_json_depth(text)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise LoadError(f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}") from exc
    except RecursionError:
        raise LoadError("JSON nested too deeply for the parser") from None
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
            _check_json_depth(line)
            records.append(json.loads(line))
        except LoadError as exc:
            raise LoadError(f"{exc} (line {lineno})") from None
        except json.JSONDecodeError as exc:
            raise LoadError(f"invalid JSON on line {lineno}: {exc.msg}") from exc
        except RecursionError:
            raise LoadError(f"JSON nested too deeply for the parser (line {lineno})") from None
    return records


_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)  # brackets inside strings do not nest
_NOT_BRACKETS = re.compile(r"[^\[\]{}]+")


def _check_json_depth(text: str) -> None:
    """Refuse JSON nested deeper than ``MAX_JSON_DEPTH`` before ``json`` recurses into it (a
    file of 100,000 ``[`` would otherwise raise RecursionError), in time linear in its size."""
    if text.count("[") + text.count("{") <= MAX_JSON_DEPTH:
        return
    import numpy as np  # imported lazily: only for JSON with many brackets

    outside_strings = _JSON_STRING.sub("", text)
    if '"' in outside_strings:
        return  # an unterminated string: the parser reports it (nesting before it fails as RecursionError)
    brackets = _NOT_BRACKETS.sub("", outside_strings).encode("ascii")
    depth = 0
    block = 1 << 20
    for i in range(0, len(brackets), block):  # in blocks, so memory stays small
        codes = np.frombuffer(brackets, dtype=np.uint8, count=min(block, len(brackets) - i), offset=i)
        levels = np.cumsum(np.where((codes == ord("[")) | (codes == ord("{")), 1, -1), dtype=np.int64) + depth
        if levels.max() > MAX_JSON_DEPTH:
            raise LoadError(f"JSON nested too deeply (more than {MAX_JSON_DEPTH} levels of [ ] or {{ }})")
        depth = int(levels[-1])


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
_HTML_BLOCKS = frozenset("h1 h2 h3 h4 h5 h6 p li blockquote pre td figcaption".split())
# Deeper than this, the HTML parser takes time quadratic in the depth (100,000 nested <div>s:
# 71 s), so such a page is read as plain text instead. Real pages nest a few dozen levels.
MAX_HTML_DEPTH = 512


def _from_html(text: str, name: str) -> RawDocument:
    from selectolax.lexbor import LexborHTMLParser as HTMLParser

    if _html_depth(text, MAX_HTML_DEPTH) > MAX_HTML_DEPTH:
        body = _html_as_text(text)
        if not body.strip():
            raise LoadError("HTML page has no readable text")
        warning = f"HTML nested more than {MAX_HTML_DEPTH} elements deep: read as plain text, page furniture kept"
        return RawDocument(source=name, text=body, warnings=[warning])
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
    linked = _json_ld(tree)
    outlet = meta("og:site_name", "application-name") or linked.get("publisher")
    published = (
        meta("article:published_time", "og:article:published_time", "datePublished", "date", "pubdate", "dc.date")
        or linked.get("datePublished")
        or _itemprop_date(tree)
        or _markup_date(text)
    )
    canonical = tree.css_first('link[rel="canonical"]')
    url = meta("og:url") or (canonical.attributes.get("href") if canonical is not None else None)
    for node in tree.css(_HTML_DROP):
        node.decompose()
    root = tree.css_first("article") or tree.css_first("main") or tree.body or tree.root
    blocks = []
    if root is not None:
        blocks = [b for b in (" ".join(node.text(separator=" ").split()) for node in _outermost_blocks(root)) if b]
        if not blocks:
            blocks = [line.strip() for line in root.text(separator="\n").splitlines() if line.strip()]
    body = "\n\n".join(blocks)
    if not body.strip():
        raise LoadError("HTML page has no readable text")
    return RawDocument(source=name, text=body, title=title, url=url, published=published, outlet=outlet)


def _json_ld(tree: Any) -> dict[str, str]:
    """``datePublished`` and the publisher's name from a page's JSON-LD (schema.org NewsArticle),
    the first found; a block that is not valid JSON is passed over."""
    found: dict[str, str] = {}

    def visit(node: Any, depth: int = 0) -> None:
        if depth > 8 or len(found) == 2:
            return
        if isinstance(node, list):
            for item in node[:50]:
                visit(item, depth + 1)
        elif isinstance(node, dict):
            when = node.get("datePublished")
            if isinstance(when, str) and when.strip():
                found.setdefault("datePublished", when.strip())
            publisher = node.get("publisher")
            name = publisher.get("name") if isinstance(publisher, dict) else None
            if isinstance(name, str) and name.strip():
                found.setdefault("publisher", name.strip())
            if "@graph" in node:
                visit(node["@graph"], depth + 1)

    for script in tree.css('script[type="application/ld+json"]')[:20]:
        try:
            visit(json.loads(script.text() or "null"))
        except (ValueError, RecursionError):
            continue
    return found


# <meta property="article:modified_time">, <time itemprop="dateModified">, "dateModified": "..."
_MODIFIED_MARKUP = re.compile(
    r"<(?:meta|time)\b[^>]*(?:modified|updated)[^>]*>|\"dateModified\"\s*:\s*\"[^\"]*\",?", re.IGNORECASE
)


def _markup_date(html: str) -> str | None:
    """The publication date the rest of a page's markup gives, read by ``htmldate`` when the
    usual metadata has none: a byline's ``<time datetime>``, other publishers' meta names
    (``parsely-pub-date``, ``DC.date.issued``, ...), a dated URL. Its markup search only: its
    "extensive" search guesses from the text (a footer's "© 2023" read as 1 Jan 2023), which
    would be a guess presented as fact. A modification date is not a publication date: markup
    naming one is taken out first (htmldate falls back to it when it finds nothing else).
    Offline; None when it finds nothing or fails."""
    import logging

    from htmldate import find_date

    logging.getLogger("htmldate").setLevel(logging.ERROR)
    html = _MODIFIED_MARKUP.sub("", html)
    try:
        return find_date(html, extensive_search=False, original_date=True)
    except Exception:  # a page htmldate cannot read is a page without a date, not a failed file
        return None


def _itemprop_date(tree: Any) -> str | None:
    """``<time itemprop="datePublished" datetime="...">`` (or any element with that itemprop)."""
    node = tree.css_first('[itemprop="datePublished"]')
    if node is None:
        return None
    value = node.attributes.get("datetime") or node.attributes.get("content") or node.text(strip=True)
    return value.strip() if value else None


def _outermost_blocks(root: Any) -> Iterable[Any]:
    """The block elements (paragraphs, list items, ...) under ``root`` that no other block
    contains, in document order: a block inside a block (``li > p``, ``pre > pre``) is read
    once, with the outer one. One walk over the tree, never into a block taken."""
    node, depth = root.child, 1
    while node is not None:
        if node.tag in _HTML_BLOCKS:
            yield node
            below = None
        else:
            below = node.child
        if below is not None:
            node, depth = below, depth + 1
            continue
        while node is not None and node.next is None:  # climb to the nearest next sibling
            node, depth = node.parent, depth - 1
            if depth == 0:
                return
        if node is not None:
            node = node.next


_HTML_TOKEN = re.compile(r"<!--|<(/?)([a-zA-Z][a-zA-Z0-9:-]*)([^<>]*)>")
_HTML_VOID = frozenset(
    "area base basefont bgsound br col embed frame hr img input keygen link meta param source track wbr".split()
)
# end tags that may be left out: the parser closes these itself, so they never pile up
_HTML_OPTIONAL_END = frozenset(
    "p li dt dd tr td th option optgroup rb rt rtc rp thead tbody tfoot colgroup caption html head body".split()
)
_HTML_RAW_TEXT = frozenset("script style textarea title xmp iframe noembed noframes".split())
_HTML_LINE_BREAKING = frozenset(
    """address article aside blockquote br caption center dd details dialog dir div dl dt fieldset figcaption
    figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr li main menu nav ol p pre section summary table
    tbody td tfoot th thead tr ul""".split()
)


def _html_tokens(text: str) -> Iterable[tuple[str, str, int, int]]:
    """(kind, tag name, start, end) for each start tag ("start", or "void" when it cannot hold
    anything), end tag ("end") and comment ("comment") in order; a raw-text element's contents
    (script, style, ...) belong to its start tag's span. A rough tokenizer that never goes back:
    for sizing a page up, and reading it when the HTML parser cannot be trusted with it."""
    pos, n = 0, len(text)
    foreign = 0  # open <svg>/<math> elements: inside them "/>" closes a tag
    while pos < n:
        m = _HTML_TOKEN.search(text, pos)
        if m is None:
            return
        if m.group(0) == "<!--":
            end = text.find("-->", m.end())
            pos = n if end < 0 else end + 3
            yield "comment", "", m.start(), pos
            continue
        pos = m.end()
        tag = m.group(2).lower()
        if m.group(1):
            if tag in ("svg", "math"):
                foreign = max(0, foreign - 1)
            yield "end", tag, m.start(), pos
            continue
        if tag in _HTML_RAW_TEXT:
            close = re.compile(f"</{tag}", re.IGNORECASE).search(text, pos)
            pos = n if close is None else close.start()
            yield "void", tag, m.start(), pos
            continue
        if tag == "plaintext":  # the rest of the page is text
            yield "void", tag, m.start(), pos
            return
        self_closed = m.group(3).rstrip().endswith("/") and (foreign or tag in ("svg", "math"))
        if tag in _HTML_VOID or self_closed:
            yield "void", tag, m.start(), pos
            continue
        if tag in ("svg", "math"):
            foreign += 1
        yield "start", tag, m.start(), pos


def _html_depth(text: str, limit: int) -> int:
    """How deep the page's elements nest, about as the HTML parser will build them (an end tag
    closes what was left open inside it); counting stops past ``limit``. Linear time."""
    stack: list[str] = []
    open_count: dict[str, int] = {}
    for kind, tag, _, _ in _html_tokens(text):
        if kind == "start" and tag not in _HTML_OPTIONAL_END:
            stack.append(tag)
            open_count[tag] = open_count.get(tag, 0) + 1
            if len(stack) > limit:
                return len(stack)
        elif kind == "end" and open_count.get(tag):
            while True:  # each element is pushed once and popped once
                top = stack.pop()
                open_count[top] -= 1
                if top == tag:
                    break
    return len(stack)


def _html_as_text(text: str) -> str:
    """The page's text without the HTML parser: tags dropped (block tags end a line), entities
    decoded, one paragraph per line."""
    parts: list[str] = []
    pos = 0
    for _, tag, start, end in _html_tokens(text):
        parts.append(text[pos:start])
        if tag in _HTML_LINE_BREAKING:
            parts.append("\n")
        pos = end
    parts.append(text[pos:])
    lines = (" ".join(html.unescape(line).split()) for line in "".join(parts).split("\n"))
    return "\n\n".join(line for line in lines if line)


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
