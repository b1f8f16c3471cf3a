"""Helpers the platform parsers share: fast lxml parsing, CSS selection, visible text, numbers in labels."""

from __future__ import annotations

import re
import threading
from functools import lru_cache
from urllib.parse import urljoin

from lxml import etree
from cssselect import HTMLTranslator
from lxml.cssselect import CSSSelector

HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
FIRST_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
SKIPPED_TAGS = frozenset({"script", "style", "noscript", "template", "button"})
# Paragraph-like elements: their text stands on lines of its own.
BLOCK_TAGS = frozenset({"div", "p", "li", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol"})
EMOJI_ALT_MAX = 8
LEAF_SPECIAL = SKIPPED_TAGS | {"br", "img"}  # leaves whose visible text is not simply their own
ABSOLUTE_WEB_ADDRESS = re.compile(r"https?://[A-Za-z0-9.-]+(?:[/?#][!#-~]*)?(?<![?#])\Z")  # a link urljoin returns unchanged


# Parts of a capture that never hold review data but make up most of its size: icons (inline SVG),
# style sheets and Google's event-wiring attributes. Dropping them from the text before building the
# tree roughly halves the parse time of a 2 MB capture. The bounds keep an unclosed <svg> in a cut
# capture from swallowing more than an icon's worth of what follows.
NOISE_BOUNDS = {"svg": 20_000, "style": 200_000}
NOISE_OPENING = re.compile(r"<(svg|style)\b", re.I)
NOISE_CLOSING = {tag: re.compile(rf"</{tag}\s*>", re.I) for tag in NOISE_BOUNDS}
NOISE_ATTRIBUTE_NAMES = ("jsaction", "jslog", "jsname", "jscontroller", "jsan", "jstcache", "jsdata")
NOISE_ATTRIBUTES = re.compile(rf'\s(?:{"|".join(NOISE_ATTRIBUTE_NAMES)})="[^"]*"')
NOISE_ATTRIBUTE = re.compile(rf'js(?:{"|".join(name.removeprefix("js") for name in NOISE_ATTRIBUTE_NAMES)})="')  # one is there


def without_noise(html: str) -> str:
    """``html`` without its inline SVG icons and style sheets, each no longer than its bound.

    In one pass: the closing tag after an opening is looked for once and remembered for the openings
    before it, so a capture full of unclosed ``<style`` costs its length, not its length times the bound.
    """
    kept, position = [], 0
    next_closing: dict[str, tuple[int, int] | None] = {}  # tag -> (start, end) of its next closing, None: none left
    for opening in NOISE_OPENING.finditer(html):
        if opening.start() < position:  # inside what was just dropped
            continue
        tag = opening.group(1).lower()
        known = next_closing.get(tag, (-1, -1))
        if known is not None and known[0] < opening.end():
            found = NOISE_CLOSING[tag].search(html, opening.end())
            known = next_closing[tag] = (found.start(), found.end()) if found else None
        if known is None or known[0] - opening.start() > NOISE_BOUNDS[tag]:
            continue  # unclosed, or longer than any icon or style sheet: left for the parser
        kept.append(html[position:opening.start()])
        position = known[1]
    kept.append(html[position:])
    return "".join(kept)


_parsers = threading.local()


def _parser() -> etree.HTMLParser:
    """lxml's HTML parser without lxml.html's element classes: those are looked up by a Python call for each
    element the parsers touch (a fifth of a capture's parse time), and nothing here uses their extra methods."""
    if not hasattr(_parsers, "html"):
        _parsers.html = etree.HTMLParser(default_doctype=False)
    return _parsers.html


def parse_html(html: str) -> etree._Element | None:
    """A document tree for a whole page or a fragment; None when there is nothing to parse."""
    if not html or not html.strip():
        return None
    html = without_noise(html.replace("\x00", ""))
    if NOISE_ATTRIBUTE.search(html):  # the toolbar's cards come without them
        html = NOISE_ATTRIBUTES.sub("", html)
    try:
        return etree.fromstring(html, _parser())
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return None


class _FastClassTranslator(HTMLTranslator):
    """CSS to XPath where ``.name`` is a substring test of the class attribute.

    cssselect's exact form (``contains(concat(' ', normalize-space(@class), ' '), ' name ')``) costs
    about three times as much on a 2 MB capture; the class names anchored on are long obfuscated
    tokens ("kvMYJc") or fragments meant as substrings anyway ("comment__").
    """

    def xpath_class(self, class_selector):
        xpath = self.xpath(class_selector.selector)
        return xpath.add_condition(f"contains(@class, {self.xpath_literal(class_selector.class_name)})")


_TRANSLATOR = _FastClassTranslator()


@lru_cache(maxsize=256)
def _compiled(css: str) -> CSSSelector:
    return CSSSelector(css, translator=_TRANSLATOR)


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


def visible_text(element, skip=None, *, include_hidden: bool = False) -> str:
    """The text a person sees in ``element``: no scripts, buttons or hidden parts; spaces collapsed.

    ``skip`` is a predicate for further descendants to leave out (e.g. a translation block);
    ``include_hidden`` keeps hidden parts (a full text hidden behind "More" is still the full text).
    """
    if element is None:
        return ""
    if not len(element) and skip is None and element.tag not in LEAF_SPECIAL and isinstance(element.tag, str):
        # a leaf (most reads: a name, a date, a review's text): its own text, unless it is hidden
        return normalise_space(element.text or "") if include_hidden or not is_hidden(element) else ""
    parts: list[str] = []

    def walk(node) -> None:
        if (not isinstance(node.tag, str) or node.tag in SKIPPED_TAGS or (not include_hidden and is_hidden(node))
                or (skip and skip(node))):
            return  # its tail, outside it, is added by the parent
        if node.tag == "br" or node.tag in BLOCK_TAGS:
            parts.append("\n")
        elif node.tag == "img" and 0 < len(node.get("alt", "")) <= EMOJI_ALT_MAX:
            parts.append(node.get("alt"))  # emoji drawn as images (Facebook)
        if node.text:
            parts.append(node.text)
        for child in node:
            walk(child)
            if child.tail:
                parts.append(child.tail)
        if node.tag in BLOCK_TAGS:
            parts.append("\n")

    walk(element)
    return normalise_space("".join(parts))


def normalise_space(text: str) -> str:
    """Collapse runs of spaces; keep paragraph breaks as single newlines."""
    if "\n" not in text and "\r" not in text:
        return " ".join(text.split())
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
    if ABSOLUTE_WEB_ADDRESS.match(href):  # most links on a captured page: nothing to join
        return href
    try:
        return urljoin(base, href.strip())
    except ValueError:  # "http://[x": a malformed link is no link
        return None


class CardIndex:
    """Selector matches of a whole page, grouped by the review card that holds each one.

    One query per selector over the page instead of one per card: on a 200-review capture this is
    most of the parse time saved.
    """

    def __init__(self, doc, cards: list):
        self._doc = doc
        self._cards = set(cards)
        self._groups: dict[str, dict] = {}

    def find_all(self, card, css: str) -> list:
        if css not in self._groups:
            groups: dict = {}
            for element in select(self._doc, css):
                for ancestor in element.iterancestors():
                    if ancestor in self._cards:
                        groups.setdefault(ancestor, []).append(element)
                        break
            self._groups[css] = groups
        return self._groups[css].get(card, [])

    def find(self, card, *selectors: str):
        """Within ``card``, the first match of the first selector that matches there."""
        for css in selectors:
            found = self.find_all(card, css)
            if found:
                return found[0]
        return None

    def find_inside(self, card, container, *selectors: str):
        """Within ``container`` (a part of ``card``, such as its owner's reply), the first match of the first
        selector that matches there."""
        for css in selectors:
            found = next((element for element in self.find_all(card, css)
                          if element is container or container in element.iterancestors()), None)
            if found is not None:
                return found
        return None
