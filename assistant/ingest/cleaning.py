"""Turn a scraped ``RawDocument`` into a clean ``Article``: the text of record plus metadata.

Scraped news carries noise a reader never meant to quote: outlet and section lines, cookie
banners, "Related posts", CMS error blocks, photo credits, footer links, and related-story
headlines glued twice onto one line. We drop those paragraph by paragraph and keep the
rest verbatim, so every citation quotes what the article actually said.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import unicodedata
from functools import lru_cache
from importlib import resources

from ..models import Article, RawDocument
from ..text.dates import extract_dates, publication_date
from .loading import replace_surrogates, unescape_entities

# Paragraphs that are never article content (matched against the whole paragraph).
_NOISE = [
    re.compile(p, re.IGNORECASE)
    for p in (
        r"\b(this|our) (web)?site uses cookies\b",
        r"\bwe use cookies\b",
        r"\b(accept|allow) (all )?cookies\b",
        r"\bcookie (policy|settings|preferences|consent)\b",
        r"^related (posts|articles|stories|news|content|coverage)\s*:?$",
        r"^(read more|see also|more on this( story)?|most read|recommended( for you)?)\s*:?$",
        r"^(advertisement|sponsored( content)?)\s*:?$",
        r"^(share|share this( article| story)?|subscribe|sign up( for our newsletter)?|follow us( on \w+)?)\s*:?$",
        r"^this block is broken or missing\b",
        r"^(you may be missing content|javascript is (disabled|required))\b",
        r"^(all rights reserved|copyright ©|©)",
        r"^(photo|image|picture|video)( credit)?\s*(by|:)\s",
    )
]
# "Press TV's website can also be accessed at ..." ends the article: the rest is footer.
_FOOTER_START = re.compile(r"^(?P<outlet>.{2,60}?)['’]s website can also be accessed\b", re.IGNORECASE)
# A trailing photo credit on a caption: "... in Brussels on April 27, 2018. (Photo by AFP)". The
# spaces before it are stripped apart: a leading \s* would rescan a run of spaces from each one.
_PHOTO_CREDIT = re.compile(r"\((photo|image|picture|credit|source)s?(\s+by|\s*:)[^)]{1,80}\)\s*$", re.IGNORECASE)
# Breadcrumbs such as "News / Turkey".
_BREADCRUMB = re.compile(r"^[\w'’.&-]+(?: [\w'’.&-]+){0,3}(?:\s+[/|>»]\s+[\w'’.&-]+(?: [\w'’.&-]+){0,3})+$")
_TERMINAL = re.compile(r"""[.!?:;"”'’)\]]$""")

_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]")


@lru_cache(maxsize=1)
def known_outlets() -> dict[str, str]:
    """Folded outlet name -> display name, from ``assistant/data/outlets.txt``."""
    text = resources.files("assistant").joinpath("data/outlets.txt").read_text(encoding="utf-8")
    names = [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return {_outlet_key(name): name for name in names}


def _outlet_key(name: str) -> str:
    key = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    key = re.sub(r"[^a-z0-9 ]+", " ", key)
    key = re.sub(r"^the\s+", "", key.strip())
    return " ".join(key.split())


@lru_cache(maxsize=1)
def outlet_domains() -> dict[str, str]:
    """Domain -> outlet name, from ``assistant/data/outlet_domains.txt``."""
    text = resources.files("assistant").joinpath("data/outlet_domains.txt").read_text(encoding="utf-8")
    rows = (line.split("\t", 1) for line in text.splitlines() if line.strip() and not line.startswith("#"))
    return {domain.strip().lower(): name.strip() for domain, name in rows}


def outlet_of_url(url: str | None) -> str | None:
    """The outlet a URL belongs to: a known outlet's name, else its bare domain; None for no URL."""
    if not url:
        return None
    from urllib.parse import urlparse

    try:
        host = (urlparse(url if "//" in url else f"//{url}").hostname or "").lower().rstrip(".")
    except ValueError:
        return None
    if not host or "." not in host or host.replace(".", "").isdigit():
        return None
    domains = outlet_domains()
    parts = host.split(".")
    for i in range(len(parts) - 1):
        name = domains.get(".".join(parts[i:]))
        if name:
            return name
    return host[4:] if host.startswith("www.") else host


def outlet_of_line(line: str) -> str | None:
    """The outlet a standalone line names ("The Kabul times, Afghanistan ...") or None."""
    if len(line) > 90:
        return None
    outlets = known_outlets()
    head = line.split(",")[0].split(" - ")[0].split(" | ")[0]
    for candidate in (line, head):
        key = _outlet_key(candidate)
        if key in outlets:
            return "The " + outlets[key] if candidate.strip().lower().startswith("the ") else outlets[key]
    return None


def normalise_whitespace(text: str) -> str:
    """Unify newlines and spaces, remove invisible characters, decode entities."""
    text = unescape_entities(text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _INVISIBLE.sub("", text)
    return "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n"))


def paragraphs(text: str) -> list[str]:
    """Split into paragraphs; re-join hard-wrapped lines inside a blank-line-separated block."""
    out: list[str] = []
    for block in re.split(r"\n\s*\n", text):
        lines = [line for line in block.split("\n") if line]
        if not lines:
            continue
        unterminated = sum(1 for line in lines[:-1] if not _TERMINAL.search(line))
        if len(lines) > 2 and unterminated >= 0.6 * (len(lines) - 1) and all(len(x) > 30 for x in lines[:-1]):
            out.append(" ".join(lines))  # hard-wrapped prose
        else:
            out.extend(lines)
    return out


def clean(raw: RawDocument) -> Article:
    """Strip scrape noise, find title/outlet/dates; the result's text is the document of record."""
    raw = replace_surrogates(dataclasses.replace(raw, warnings=list(raw.warnings)))  # storable text only
    paras = paragraphs(normalise_whitespace(raw.text))
    outlet = raw.outlet.strip() if raw.outlet and raw.outlet.strip() else None
    outlet_source = "metadata" if outlet else "unknown"
    kept: list[str] = []
    for para in paras:
        footer = _FOOTER_START.match(para)
        if footer:
            if not outlet:
                outlet, outlet_source = footer.group("outlet").strip(), "text"
            break
        named = outlet_of_line(para)
        if named:
            if not outlet:
                outlet, outlet_source = named, "text"
            continue
        if is_doubled(para) or _BREADCRUMB.match(para) or any(p.search(para) for p in _NOISE):
            continue
        credit = _PHOTO_CREDIT.search(para)
        if credit:
            para = para[: credit.start()].rstrip()
        if para:
            kept.append(para)
    # bylines and footer fragments left at the very end ("Monitoring Desk", "Press TV News Roku")
    while len(kept) > 1 and len(kept[-1].split()) < 5 and not _TERMINAL.search(kept[-1]):
        kept.pop()
    title = " ".join(raw.title.split()) if raw.title else None
    if title and (not kept or _fold(kept[0]) != _fold(title)):
        kept.insert(0, title)
    if not title:
        title = kept[0] if kept else ""
    if len(title) > 200:
        title = title[:197].rsplit(" ", 1)[0] + "..."
    text = "\n\n".join(kept)
    content_hash = hashlib.sha256(text.encode("utf-8")).hexdigest()
    if not outlet:
        outlet = outlet_of_url(raw.url)
        outlet_source = "url" if outlet else "unknown"
    when = publication_date(raw.published, text)
    warnings = list(raw.warnings)
    if raw.published and when.source != "metadata":
        warnings.append(f"publication date in the metadata not understood: {raw.published[:60]!r}")
    return Article(
        doc_id=content_hash[:16],
        source=raw.source,
        title=title,
        text=text,
        content_hash=content_hash,
        outlet=outlet,
        url=raw.url,
        published=when.iso,
        dates=extract_dates(text),
        warnings=warnings,
        published_source=when.source,
        outlet_source=outlet_source,
    )


def is_doubled(para: str) -> bool:
    """A related-story headline glued twice onto itself: "X saysX says" (with or without a space)."""
    n = len(para)
    if n < 24:
        return False
    half = n // 2
    return para[:half] == para[half:] or (n % 2 == 1 and para[:half] == para[half + 1 :] and para[half] == " ")


def _fold(s: str) -> str:
    return " ".join(s.lower().split())
