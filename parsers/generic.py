"""The fallback for any review page: schema.org reviews in JSON-LD or microdata.

Used when a platform's own anchors find nothing (a redesigned page, an owner view with little public
evidence), so that a layout change degrades to fewer details rather than to no reviews. The registry
applies it once for every platform (:func:`parsers.registry.fallback_reviews`), as the parser's ``fallback_*``
attributes say.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from parsers import _html as h
from parsers.page import Capture
from parsers.review import Review
from parsers.text import original_text


LD_JSON = "script[type='application/ld+json']"
MICRODATA_REVIEW = "[itemtype*='schema.org/Review']"


def _walk(value: Any) -> Iterator[dict]:
    """Every schema.org Review object in a JSON-LD value, however it is nested."""
    if isinstance(value, list):
        for item in value:
            yield from _walk(item)
    elif isinstance(value, dict):
        kind = value.get("@type")
        if kind == "Review" or (isinstance(kind, list) and "Review" in kind):
            yield value
        for key in ("review", "reviews", "@graph", "itemListElement", "item", "mainEntity"):
            if key in value:
                yield from _walk(value[key])


def _name(value: Any) -> str:
    if isinstance(value, dict):
        value = value.get("name")
    if isinstance(value, list) and value:
        return _name(value[0])
    return " ".join(str(value).split()) if isinstance(value, (str, int)) else ""


def _rating(value: Any) -> int | None:
    if isinstance(value, dict):
        value = value.get("ratingValue")
    return h.star_rating(str(value)) if value is not None else None


def from_json_ld(doc, capture: Capture, platform: str) -> list[Review]:
    reviews = []
    for script in h.select(doc, LD_JSON):
        try:
            data = json.loads(script.text or "")
        except (json.JSONDecodeError, RecursionError):
            capture.warn("A structured-data block of the page is not valid JSON; it was skipped.")
            continue
        for item in _walk(data):
            name = _name(item.get("author"))
            if not name:
                continue
            text, _ = original_text(h.normalise_space(str(item.get("reviewBody") or item.get("description") or "")))
            published = item.get("datePublished")
            review = Review(
                platform=platform,
                platform_review_id=str(item["@id"]) if item.get("@id") else None,
                reviewer_name=name,
                rating=_rating(item.get("reviewRating")),
                text=text,
                date_text=str(published) if published else None,
                url=capture.url,
            )
            reviews.append(capture.dated(review))
    return reviews


def _itemprop(element, name: str):
    found = h.select(element, f"[itemprop='{name}']")
    return found[0] if found else None


def _itemprop_value(element) -> str:
    if element is None:
        return ""
    return (element.get("content") or element.get("datetime") or h.visible_text(element)).strip()


def from_microdata(doc, capture: Capture, platform: str) -> list[Review]:
    reviews = []
    for card in h.outermost(h.select(doc, MICRODATA_REVIEW)):
        author = _itemprop(card, "author")
        author_name = _itemprop(author, "name") if author is not None else None
        name = _itemprop_value(author_name if author_name is not None else author)
        if not name:
            continue
        text_element = _itemprop(card, "reviewBody")
        if text_element is None:  # an lxml element without children is false: compare with None
            text_element = _itemprop(card, "description")
        text, _ = original_text(h.visible_text(text_element))
        review = Review(
            platform=platform,
            platform_review_id=card.get("data-review-id") or None,
            reviewer_name=name,
            rating=h.star_rating(_itemprop_value(_itemprop(card, "ratingValue"))),
            text=text,
            date_text=_itemprop_value(_itemprop(card, "datePublished")) or None,
            url=capture.url,
        )
        reviews.append(capture.dated(review))
    return reviews


FALLBACK_SOURCES = {"microdata": from_microdata, "json_ld": from_json_ld}
