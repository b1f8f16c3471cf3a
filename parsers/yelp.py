"""Yelp business pages (www.yelp.com/biz/...) and, best effort, the owner inbox on biz.yelp.com.

Yelp's class names are hashed CSS modules that change every few months, so this reads, in order:
the embedded review JSON (older pages' ``reviewFeedQueryProps``, newer pages' GraphQL feed), the
review cards by their stable anchors (star-rating aria labels, ``comment__``/``raw__`` class
fragments, ``user_details`` and ``hrid`` links), the older microdata, then schema.org JSON-LD.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from html import unescape
from typing import Any
from urllib.parse import parse_qs, urlsplit

from parsers import _html as h
from parsers._abstract import PlatformParser
from parsers.page import Capture
from parsers.review import Review

PLATFORM = "yelp"
HOST = re.compile(r"^(?:www\.|m\.|biz\.)?yelp\.[a-z.]{2,6}$")

BIZ_ID = "meta[name='yelp-biz-id']"
SCRIPTS_WITH_JSON = "script[type='application/json'], script[data-hypernova-key], script[data-apollo-state]"
STARS = "[role='img'][aria-label$='star rating']"
USER_LINK = "a[href*='user_details?userid=']"
REVIEW_LINK = "a[href*='hrid=']"
COMMENT = "[class*='comment__']"
RAW_TEXT = "[class*='raw__']"
# Older pages: one microdata card per review, owner replies in their own block.
OLD_CARD = "div.review[data-review-id]"
OLD_NAME = ("[itemprop='author'] [itemprop='name']", "[itemprop='author']", ".user-name a")
OLD_RATING = ("[itemprop='ratingValue']",)
OLD_DATE = ("[itemprop='datePublished']", ".rating-qualifier")
OLD_TEXT = ("[itemprop='description']", "p[lang]")
OLD_REPLY = "div.biz-owner-reply"
OLD_REPLY_DATE = (".bullet-after", "span.rating-qualifier")
OLD_REPLY_TEXT = (".biz-owner-reply-body", "span.js-content-toggleable", "p")

OWNER_LABEL = re.compile(r"\b(business owner|comment from)\b", re.I)
UPDATED_LABEL = re.compile(r"^\s*updated review\s*", re.I)
UPDATED_SUFFIX = re.compile(r"\s*updated review\s*$", re.I)
DATE_LIKE = re.compile(r"^(?:\d{1,2}/\d{1,2}/\d{4}|[A-Z][a-z]{2,8}\.? \d{1,2}, \d{4})$")
BLOCKED_MARKERS = ("captcha-delivery.com", "please enable js and disable any ad blocker", "datadome")
BIZ_PATH = re.compile(r"/biz/([^/?#]+)")


def _plain(html_text: Any) -> str:
    """Text of an HTML snippet from Yelp's JSON ("Great&amp;quick<br>staff")."""
    if not isinstance(html_text, str):
        return ""
    return h.normalise_space(unescape(re.sub(r"<br\s*/?>", "\n", re.sub(r"<(?!br)[^>]+>", "", html_text))))


def _json_values(doc) -> Iterator[Any]:
    for script in h.select(doc, SCRIPTS_WITH_JSON):
        raw = (script.text or "").strip()
        if raw.startswith("<!--"):
            raw = raw[4:]
        if raw.endswith("-->"):
            raw = raw[:-3]
        try:
            yield json.loads(raw)
        except (json.JSONDecodeError, RecursionError):
            continue


def _find(value: Any, predicate, depth: int = 0) -> Iterator[Any]:
    if depth > 40:
        return
    if predicate(value):
        yield value
    if isinstance(value, dict):
        for child in value.values():
            yield from _find(child, predicate, depth + 1)
    elif isinstance(value, list):
        for child in value:
            yield from _find(child, predicate, depth + 1)


def _object(value: Any) -> dict:
    """A JSON object from a feed, or an empty one when the feed has something else there."""
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []


def _user_url(capture: Capture, link: Any) -> str | None:
    return h.absolute_url(capture.url, link) if isinstance(link, str) else None


def _feed_reviews(doc, capture: Capture, place: str | None) -> list[Review]:
    """Older pages: ``reviewFeedQueryProps.reviews[]``."""
    reviews = []
    for data in _json_values(doc):
        for props in _find(data, lambda v: isinstance(v, dict) and isinstance(v.get("reviewFeedQueryProps"), dict)):
            for item in _list(props["reviewFeedQueryProps"].get("reviews")):
                if not isinstance(item, dict) or not item.get("id"):
                    continue
                user = _object(item.get("user"))
                replies = [r for r in _list(item.get("businessOwnerReplies")) if isinstance(r, dict)]
                reply = None
                if replies:
                    last = replies[-1]
                    date_text = last.get("localizedDate") if isinstance(last.get("localizedDate"), str) else None
                    reply = capture.reply(_plain(last.get("comment") or last.get("text")), date_text)
                comment = item.get("comment") or {}
                reviews.append(capture.dated(Review(
                    platform=PLATFORM,
                    platform_review_id=str(item["id"]),
                    reviewer_name=_plain(user.get("markupDisplayName") or user.get("displayName") or user.get("name")),
                    reviewer_url=_user_url(capture, user.get("link")),
                    rating=h.star_rating(str(item.get("rating"))),
                    text=_plain(comment.get("text") if isinstance(comment, dict) else comment),
                    date_text=item.get("localizedDate") if isinstance(item.get("localizedDate"), str) else None,
                    url=capture.url,
                    place=place,
                    language=comment.get("language") if isinstance(comment, dict) else None,
                    owner_reply=reply,
                )))
    return [review for review in reviews if review.reviewer_name]


def _graphql_reviews(doc, capture: Capture, place: str | None) -> list[Review]:
    """Newer pages: the GraphQL feed's ``edges[].node`` (``encid``, ``text.full``, ``createdAt``)."""
    reviews = []
    for data in _json_values(doc):
        for node in _find(data, lambda v: isinstance(v, dict) and "encid" in v and isinstance(v.get("text"), dict)):
            author = _object(node.get("author"))
            created = _object(node.get("createdAt")).get("utcDateTime")
            created = created if isinstance(created, str) else None
            review = Review(
                platform=PLATFORM,
                platform_review_id=str(node["encid"]),
                reviewer_name=_plain(author.get("displayName")),
                reviewer_url=_user_url(capture, author.get("link") or (f"/user_details?userid={author['encid']}" if author.get("encid") else None)),
                rating=h.star_rating(str(node.get("rating"))),
                text=_plain(node["text"].get("full")),
                date_text=created,
                created_at=created,
                url=capture.url,
                place=place,
            )
            if review.reviewer_name:
                reviews.append(capture.dated(review))
    return reviews


def _card_of(user_link):
    """The review card around a reviewer's link: the nearest ancestor that also holds a star rating.

    Climbing from the reviewer (not from the stars) keeps the page's rating summary and filter
    widgets, which have stars but no reviewer, out of every card.
    """
    for ancestor in user_link.iterancestors():
        if h.select(ancestor, STARS):
            return ancestor
    return None


def _own_text(element) -> str:
    return " ".join("".join(element.itertext()).split())


def _in_text(element) -> bool:
    """Inside a review or reply text (where "the business owner yelled" is not a label)."""
    return any("comment__" in a.get("class", "") or "raw__" in a.get("class", "") for a in (element, *element.iterancestors()))


def _reply_block(card):
    """The owner's reply inside a card: the nearest block around a "Business Owner" label holding text."""
    for label in card.iter():
        own_text = " ".join((label.text or "").split()) if isinstance(label.tag, str) else ""
        if own_text and len(own_text) < 120 and OWNER_LABEL.search(own_text) and not _in_text(label):
            for ancestor in label.iterancestors():
                if ancestor is card:
                    break
                if h.select(ancestor, COMMENT) or h.select(ancestor, RAW_TEXT):
                    return ancestor
    return None


def _dom_reviews(doc, capture: Capture, place: str | None) -> list[Review]:
    found = [_card_of(link) for link in h.select(doc, USER_LINK)]
    cards = list(dict.fromkeys(card for card in found if card is not None))
    cards = [card for card in cards if len({link.get("href") for link in h.select(card, USER_LINK)}) == 1]
    reviews = []
    for card in cards:
        user = next((link for link in h.select(card, USER_LINK) if h.visible_text(link)), None)
        if user is None:
            continue
        comments = h.outermost(h.select(card, COMMENT) or h.select(card, RAW_TEXT))
        reply_block = _reply_block(card)
        inside = set(reply_block.iter()) if reply_block is not None else set()
        review_comments = [c for c in comments if c not in inside]
        reply_comments = [c for c in comments if c in inside]
        text = h.visible_text(review_comments[0]) if review_comments else ""
        review_link = h.select_one(card, REVIEW_LINK)
        review_id = card.get("data-review-id")
        if review_link is not None:
            review_id = (parse_qs(urlsplit(review_link.get("href", "")).query).get("hrid") or [review_id])[0]
        dates = [_own_text(span) for span in card.iter("span") if span not in inside and DATE_LIKE.match(_own_text(span))]
        star = h.select_one(card, STARS)
        reply = None
        if reply_comments:
            reply_dates = [_own_text(span) for span in reply_block.iter("span") if DATE_LIKE.match(_own_text(span))]
            reply = capture.reply(h.visible_text(reply_comments[0]), reply_dates[0] if reply_dates else None)
        updated = any(UPDATED_LABEL.match(_own_text(el)) for el in card.iter("span", "p", "div"))
        reviews.append(capture.dated(Review(
            platform=PLATFORM,
            platform_review_id=review_id or None,
            reviewer_name=h.visible_text(user),
            reviewer_url=h.absolute_url(capture.url, user.get("href")),
            rating=h.star_rating(star.get("aria-label")) if star is not None else None,
            text=text,
            date_text=dates[0] if dates else None,
            edited=True if updated else None,
            url=capture.url,
            place=place,
            owner_reply=reply,
        )))
    return reviews


def _microdata_reviews(doc, capture: Capture, place: str | None) -> list[Review]:
    reviews = []
    for card in h.outermost(h.select(doc, OLD_CARD)):
        name_element = h.select_one(card, *OLD_NAME)
        rating_element = h.select_one(card, *OLD_RATING)
        date_element = h.select_one(card, *OLD_DATE)
        text_element = h.select_one(card, *OLD_TEXT)
        reply_block = h.select_one(card, OLD_REPLY)
        if name_element is None:
            continue
        reply = None
        if reply_block is not None:
            reply_date = h.visible_text(h.select_one(reply_block, *OLD_REPLY_DATE)) or None
            reply = capture.reply(h.visible_text(h.select_one(reply_block, *OLD_REPLY_TEXT)), reply_date)
        user = h.select_one(card, USER_LINK)
        rating_value = (rating_element.get("content") or h.visible_text(rating_element)) if rating_element is not None else None
        shown_dates = (UPDATED_SUFFIX.sub("", _own_text(el)) for el in card.iter("span"))
        shown_date = next((text for text in shown_dates if DATE_LIKE.match(text)), None)
        date_value = shown_date or ((date_element.get("content") or h.visible_text(date_element)) if date_element is not None else None)
        updated = any(UPDATED_LABEL.match(_own_text(el)) for el in card.iter("span", "small", "p", "div"))
        reviews.append(capture.dated(Review(
            platform=PLATFORM,
            platform_review_id=card.get("data-review-id"),
            reviewer_name=h.visible_text(name_element) or (name_element.get("content") or "").strip(),
            reviewer_url=h.absolute_url(capture.url, user.get("href")) if user is not None else None,
            rating=h.star_rating(rating_value),
            text=h.visible_text(text_element),
            date_text=date_value,
            edited=True if updated else None,
            url=capture.url,
            place=place,
            owner_reply=reply,
        )))
    return [review for review in reviews if review.reviewer_name]


class YelpParser(PlatformParser):
    platform = PLATFORM
    hosts = HOST
    block_markers = BLOCKED_MARKERS
    block_scan_chars = 50_000
    review_anchor = STARS  # a DataDome script on a page with star ratings is not a block page
    review_url_markers = ("/biz/",)
    layouts = (
        ("yelp_feed_json", _feed_reviews),
        ("yelp_graphql", _graphql_reviews),
        ("yelp_cards", _dom_reviews),
        ("yelp_microdata", _microdata_reviews),
    )
    # Yelp's own microdata layout comes first; the fallback reads JSON-LD only and keeps the place.
    fallback_layout = "yelp_json_ld"
    fallback_sources = ("json_ld",)
    fallback_sets_place = True

    def looks_like_review_page(self, doc, capture: Capture) -> bool:
        return super().looks_like_review_page(doc, capture) or bool(h.select(doc, BIZ_ID))

    def place_of(self, doc, capture: Capture) -> str | None:
        """The business id in the page's meta tag, else the /biz/<alias> of the URL."""
        meta = h.select_one(doc, BIZ_ID)
        if meta is not None and meta.get("content"):
            return meta.get("content").strip()
        match = BIZ_PATH.search(capture.url)
        return match.group(1) if match else None
