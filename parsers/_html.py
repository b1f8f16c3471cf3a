"""Helpers the platform parsers share: fast lxml parsing, CSS selection, visible text, numbers in labels."""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import urljoin

import lxml.html
from lxml import etree
from lxml.cssselect import CSSSelector

HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
FIRST_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
SKIPPED_TAGS = frozenset({"script", "style", "noscript", "template", "button"})


def parse_html(html: str) -> lxml.html.HtmlElement | None:
    """A document tree for a whole page or a fragment; None when there is nothing to parse."""
    if not html or not html.strip():
        return None
    html = html.replace("\x00", "")
    try:
        return lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return None


@lru_cache(maxsize=None)
def _compiled(css: str) -> CSSSelector:
    return CSSSelector(css)


def select(element, css: str) -> list:
    return _compiled(css)(element)


def select_one(element, *selectors: str):
    """The first element matching the first selector that matches anything (stable anchors first)."""
    for css in selectors:
        found = _compiled(css)(element)
        if found:
            return found[0]
    return None


def outermost(elements: list) -> list:
    """Drop elements nested inside another element of the list (repeated ids on descendants)."""
    chosen = set(elements)
    return [el for el in elements if not any(ancestor in chosen for ancestor in el.iterancestors())]


def is_hidden(element) -> bool:
    return bool(HIDDEN_STYLE.search(element.get("style", ""))) or element.get("hidden") is not None or element.get("aria-hidden") == "true"


def visible_text(element, skip=None) -> str:
    """The text a person sees in ``element``: no scripts, buttons or hidden parts; spaces collapsed.

    ``skip`` is a predicate for further descendants to leave out (e.g. a translation block).
    """
    if element is None:
        return ""
    parts: list[str] = []

    def walk(node) -> None:
        if not isinstance(node.tag, str) or node.tag in SKIPPED_TAGS or is_hidden(node) or (skip and skip(node)):
            return  # its tail, outside it, is added by the parent
        if node.tag == "br":
            parts.append("\n")
        if node.text:
            parts.append(node.text)
        for child in node:
            walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(element)
    return normalise_space("".join(parts))


def normalise_space(text: str) -> str:
    """Collapse runs of spaces; keep paragraph breaks as single newlines."""
    lines = [" ".join(line.split()) for line in text.replace("\r", "\n").split("\n")]
    paragraphs: list[str] = []
    for line in lines:
        if line:
            paragraphs.append(line)
    return "\n".join(paragraphs).strip()


def first_number(label: str | None) -> float | None:
    """The first number in a label: " 5 stars " → 5, "Rated 4.0 out of 5," → 4.0, "4,5 estrellas" → 4.5."""
    if not label:
        return None
    match = FIRST_NUMBER.search(label)
    return float(match.group().replace(",", ".")) if match else None


def star_rating(label: str | None) -> int | None:
    value = first_number(label)
    if value is None or not 1 <= value <= 5 or value != int(value):
        return None
    return int(value)


def absolute_url(base: str, href: str | None) -> str | None:
    if not href or not href.strip() or href.strip().lower().startswith("javascript:"):
        return None
    return urljoin(base, href.strip())
