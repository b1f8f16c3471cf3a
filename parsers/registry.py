"""``parse_page``: pick the platform parser for a captured page by its host, apply the schema.org
fallback when its layouts find nothing, and never raise."""

from __future__ import annotations

import logging
from datetime import datetime
from urllib.parse import urlsplit

from parsers import _html as h
from parsers import limits
from parsers._abstract import PlatformParser
from parsers.facebook import FacebookParser
from parsers.generic import FALLBACK_SOURCES
from parsers.google import GoogleParser
from parsers.page import BLOCKED, NO_REVIEWS, OK, UNSUPPORTED, Capture, PageResult, TooManyReviews, aware
from parsers.review import Review
from parsers.yelp import YelpParser

log = logging.getLogger(__name__)

# Asked in this order; each is checked when it is created (a parser missing a part fails at import).
PARSERS: tuple[PlatformParser, ...] = (GoogleParser(), YelpParser(), FacebookParser())


class UnsupportedSite(LookupError):
    """No parser reads reviews from this address."""

    def __init__(self, url: str):
        super().__init__(f"ReviewDesk does not read reviews from {url[:200]}")
        self.url = url


def parser_for(url: str) -> PlatformParser:
    """The parser that reads reviews from ``url``'s host; raises UnsupportedSite for any other address."""
    if not isinstance(url, str) or len(url) > limits.URL_CHARS:
        raise UnsupportedSite(str(url)[:80])
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower().rstrip(".")
    except ValueError:  # "http://[::1" and other addresses urlsplit refuses
        raise UnsupportedSite(url) from None
    if parts.scheme.lower() not in limits.URL_SCHEMES:  # ftp:, file:, javascript: at a review site's name
        raise UnsupportedSite(url)
    for parser in PARSERS:
        if parser.matches(host, parts.path):
            return parser
    raise UnsupportedSite(url)


def _dedupe(reviews: list[Review]) -> list[Review]:
    """One review per identity (a card shown twice): the copy with the fuller text wins."""
    seen: dict[str, Review] = {}
    for review in reviews:
        key = f"id:{review.platform_review_id}" if review.platform_review_id else f"fp:{review.fingerprint}"
        if key not in seen or (len(review.text) > len(seen[key].text) and not review.text_truncated):
            seen[key] = review
    return list(seen.values())


def fallback_reviews(parser: PlatformParser, doc, capture: Capture) -> list[Review]:
    """The schema.org reviews of a page the parser's own layouts found nothing in.

    Applied once, by the registry, for every platform: the first of ``parser.fallback_sources`` that
    finds reviews wins, ``capture.layout`` becomes ``parser.fallback_layout``, and the reviews get
    ``parser.place_of(...)`` when ``parser.fallback_sets_place``. A parser without a
    ``fallback_layout`` has no fallback.
    """
    if not parser.fallback_layout:
        return []
    for source in parser.fallback_sources:
        reviews = FALLBACK_SOURCES[source](doc, capture, parser.platform)
        if reviews:
            break
    else:
        return []
    if parser.fallback_sets_place:
        place = parser.place_of(doc, capture)
        for review in reviews:
            review.place = place
    capture.layout = parser.fallback_layout
    return reviews


def parse_page(url: str, html: str, captured_at: datetime, lang: str | None = "en") -> PageResult:
    """The reviews in a captured page, with a status: ok, blocked, no_reviews or unsupported."""
    try:
        parser = parser_for(url)
    except UnsupportedSite as error:
        return PageResult(url, None, UNSUPPORTED, warnings=[f"{error}; open the practice's Google, Yelp or Facebook reviews."])
    if not isinstance(captured_at, datetime):
        return PageResult(str(url), parser.platform, NO_REVIEWS, warnings=["The capture has no valid capture time."])
    capture = Capture(url=url, captured_at=aware(captured_at), lang=(lang if isinstance(lang, str) and lang else "en"))
    result = PageResult(url, parser.platform, NO_REVIEWS, warnings=capture.warnings)
    html = html if isinstance(html, str) else ""
    doc = h.parse_html(html)
    if doc is None:
        capture.warn("The captured page is empty; reload the page and capture again.")
        return result
    try:
        reviews = parser.parse(doc, capture) or fallback_reviews(parser, doc, capture)
        blocked = not reviews and parser.is_blocked(doc, html)
    except TooManyReviews:
        result.too_many = True
        return result
    except Exception:  # a parser bug must not lose the capture or crash the server
        log.exception("parser for %s failed", parser.platform)
        capture.warn(f"The {parser.platform} reader failed on this page; the server log has the details.")
        return result
    if blocked:
        result.status = BLOCKED
        capture.warn(f"{parser.platform.capitalize()} showed a block or captcha page instead of reviews; "
                     "solve it in the browser, then capture again.")
        return result
    result.reviews = _dedupe(reviews)
    result.layout = capture.layout
    if result.reviews:
        result.status = OK
        truncated = sum(review.text_truncated for review in result.reviews)
        if truncated:
            capture.warn(f"{truncated} review(s) were cut short (\"More\"); expand them and capture again for the full text.")
    elif parser.looks_like_review_page(doc, capture):
        capture.warn(f"No reviews found although this looks like a {parser.platform} review page: "
                     "the site's layout may have changed. Please report it.")
    return result
