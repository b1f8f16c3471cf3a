"""Reviews from files (``reviewdesk import-reviews``): an official export (JSON) or a saved review page (HTML)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from html import unescape
from pathlib import Path

from parsers import parse_page
from parsers.exports import ExportError, parse_export
from parsers.page import OK
from parsers.review import Review
from server.errors import UnreadableFile

SAVED_FROM = re.compile(r"<!--\s*saved from url=\(\d+\)(\S+?)\s*-->", re.I)
CANONICAL = re.compile(r"<link[^>]+rel=[\"']canonical[\"'][^>]*href=[\"']([^\"']+)", re.I)
OG_URL = re.compile(r"<meta[^>]+property=[\"']og:url[\"'][^>]*content=[\"']([^\"']+)", re.I)
EXPORT_SUFFIXES = (".json",)
PAGE_SUFFIXES = (".html", ".htm")


@dataclass
class ReviewFile:
    """The reviews read from one file, what kind of file it was, and what to warn about."""

    kind: str
    reviews: list[Review]
    warnings: list[str] = field(default_factory=list)


def saved_page_url(html: str) -> str | None:
    """The address a saved page came from: the browser's "saved from" note, else its canonical link."""
    head = html[:200_000]
    for pattern in (SAVED_FROM, CANONICAL, OG_URL):
        if match := pattern.search(head):
            return unescape(match.group(1))
    return None


def read_review_file(path: Path, url: str | None = None, lang: str = "en") -> ReviewFile:
    """The reviews in one export or saved page; an unreadable file raises UnreadableFile naming it.

    A saved page's relative dates ("a week ago") count from the file's modification time.
    """
    raw = path.read_bytes()
    text = raw.decode("utf-8-sig", errors="replace")
    suffix = path.suffix.lower()
    if suffix in EXPORT_SUFFIXES:
        try:
            result = parse_export(json.loads(text))
        except json.JSONDecodeError as error:
            raise UnreadableFile(f"{path}: not valid JSON ({error.msg} at line {error.lineno}).") from None
        except ExportError as error:
            raise UnreadableFile(f"{path}: {error}") from None
        return ReviewFile(f"{result.platform} export", result.reviews, result.warnings)
    if suffix not in PAGE_SUFFIXES:
        raise UnreadableFile(f"{path}: give a .json export or a saved .html page.")
    page_url = url or saved_page_url(text)
    if not page_url:
        raise UnreadableFile(f"{path}: the saved page does not say which address it came from; pass --url.")
    captured_at = datetime.fromtimestamp(path.stat().st_mtime, tz=timezone.utc)
    result = parse_page(page_url, text, captured_at, lang)
    if result.status != OK:
        raise UnreadableFile(f"{path}: {result.status.replace('_', ' ')}. {' '.join(result.warnings)}")
    return ReviewFile(f"{result.platform} page ({result.layout})", result.reviews, result.warnings)
