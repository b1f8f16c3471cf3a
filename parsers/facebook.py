"""Facebook page reviews ("recommendations").

Facebook's markup is atomic CSS, useless as anchors. The stable parts are the rendering roles: the
header ``profile_name`` reads "<Name> recommends <Page>" or "<Name> doesn't recommend <Page>" (the
recommendation comes from that header, never from the review text), ``story_message`` holds the text,
and ``aria-posinset`` marks feed items.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from parsers import _html as h
from parsers._abstract import PlatformParser
from parsers.page import Capture
from parsers.review import UNKNOWN, Review
from parsers.text import strip_more

PLATFORM = "facebook"
HOST = re.compile(r"^(?:www\.|m\.|web\.|mbasic\.)?facebook\.com$")

HEADER = "[data-ad-rendering-role='profile_name']"
MESSAGE = "[data-ad-rendering-role='story_message']"
PERMALINK = ("a[href*='/posts/']", "a[href*='story_fbid=']", "a[href*='/permalink/']")
COMMENT = "[role='article'][aria-label^='Comment by']"

RECOMMENDS = re.compile(r"^(?P<name>.+?)\s+(?P<verdict>recommends|doesn[’']t recommend|does not recommend)\b", re.I)
REVIEWED = re.compile(r"^(?P<name>.+?)\s+(?:reviewed|rated)\b", re.I)
STARS_IN_TEXT = re.compile(r"\b([1-5])\s*(?:stars?|★)", re.I)
MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*"
DATE_HINT = re.compile(
    r"^(?:just now|(?:yesterday|today)(?:\s+at\s+.+)?|\d+\s*(?:m|min|mins|h|hr|hrs|d|w|wk|wks|mo|mos|mth|mths|y|yr|yrs)\b"
    rf"|{MONTH}\s+\d{{1,2}}(?:,\s*\d{{4}})?(?:\s+at\s+.+)?)$",
    re.I,
)
BLOCKED_MARKERS = ("you must log in to continue", "log in to continue", "checkpoint/block", "temporarily blocked")
# The page whose reviews these are: /<page>/reviews, /pg/<page>/reviews, /people/<Name>/<id>/, profile.php?id=<id>.
PAGE_FROM_URL = (
    re.compile(r"facebook\.com/profile\.php\?(?:.*&)?id=(\d+)"),
    re.compile(r"facebook\.com/people/[^/?#]+/(\d+)"),
    re.compile(r"facebook\.com/pg/([^/?#]+)"),
    re.compile(r"facebook\.com/(?!profile\.php|people/|pg/)([^/?#]+)"),
)


def _skip_buttons(node) -> bool:
    return node.get("role") == "button"


def _card_of(header):
    """The recommendation around a header: its feed item, or the largest block holding only this header."""
    card = header.getparent()
    for ancestor in header.iterancestors():
        if ancestor.get("aria-posinset") is not None:
            return ancestor
        if len(h.select(ancestor, HEADER)) > 1:
            return card  # the next block up holds another reviewer's recommendation too
        card = ancestor
    return card


def _review_id(card, capture: Capture) -> tuple[str | None, str | None]:
    link = h.select_one(card, *PERMALINK)
    if link is None:
        return None, None
    href = h.absolute_url(capture.url, link.get("href")) or ""
    parts = urlsplit(href)
    query = parse_qs(parts.query)
    if "story_fbid" in query:
        return query["story_fbid"][0], href
    match = re.search(r"/(?:posts|permalink)/([^/?#]+)", parts.path)
    return (match.group(1) if match else None), href


def _date_text(card, header) -> str | None:
    """The review's own time stamp: a short date-like link text outside the header and the comments."""
    comments = h.select(card, COMMENT)
    for element in card.iter("a", "span", "abbr"):
        if any(a is header or a in comments for a in element.iterancestors()):
            continue
        text = h.visible_text(element)
        if text and len(text) < 40 and DATE_HINT.match(text) and element.find(".//span") is None:
            return text
    return None


def _review(header, capture: Capture, place: str | None) -> Review | None:
    heading = h.visible_text(header)
    card = _card_of(header)
    recommends, rating = None, None
    if match := RECOMMENDS.match(heading):
        recommends = match["verdict"].lower() == "recommends"
        name = match["name"]
    elif match := REVIEWED.match(heading):
        name = match["name"]
        star = h.select_one(card, "[role='img'][aria-label]")
        rating = h.star_rating(star.get("aria-label")) if star is not None else None
        if rating is None and (stars := STARS_IN_TEXT.search(heading)):
            rating = int(stars.group(1))
    else:
        return None
    name_link = header.find(".//a")
    if name_link is not None and h.visible_text(name_link) and heading.startswith(h.visible_text(name_link)):
        name = h.visible_text(name_link)
    message = h.select_one(card, MESSAGE)
    text, truncated = strip_more(h.visible_text(message, skip=_skip_buttons)) if message is not None else ("", False)
    review_id, permalink = _review_id(card, capture)
    return capture.dated(Review(
        platform=PLATFORM,
        platform_review_id=review_id,
        reviewer_name=name.strip(),
        reviewer_url=h.absolute_url(capture.url, name_link.get("href")) if name_link is not None else None,
        rating=rating,
        recommends=recommends,
        text=text,
        text_truncated=truncated,
        date_text=_date_text(card, header),
        url=permalink or capture.url,
        place=place,
        owner_reply=_page_reply(card, place, capture),
    ))


def _link_owner(href: str | None) -> str:
    """The profile or page a facebook.com link points to: its first path segment, or the id of profile.php."""
    for pattern in PAGE_FROM_URL:
        if match := pattern.search(href or ""):
            return match.group(1)
    return ""


def _page_reply(card, place: str | None, capture: Capture):
    """A comment on the recommendation written by the page itself (its author link is the page)."""
    if not place:
        return UNKNOWN  # without knowing the page, no comment can be told to be its reply
    for comment in h.select(card, COMMENT):
        links = comment.findall(".//a")
        if not any(_link_owner(link.get("href")).lower() == place.lower() for link in links):
            continue
        # The message is what is left without the author's links, the actions and the time stamp.
        text = h.visible_text(comment, skip=lambda node: node.tag in ("a", "ul") or _skip_buttons(node))
        times = [h.visible_text(link) for link in links if DATE_HINT.match(h.visible_text(link) or "-")]
        return capture.reply(text, times[-1] if times else None)
    return None


def _recommendations(doc, capture: Capture, place: str | None) -> list[Review]:
    headers = h.outermost(h.select(doc, HEADER))
    return [review for review in (_review(header, capture, place) for header in headers) if review]


class FacebookParser(PlatformParser):
    platform = PLATFORM
    hosts = HOST
    block_markers = BLOCKED_MARKERS
    block_scan_chars = 50_000
    review_anchor = HEADER  # a login prompt beside recommendations is not a login wall
    review_url_markers = ("/reviews",)
    layouts = (("facebook_reviews", _recommendations),)
    fallback_layout = "facebook_generic"  # microdata, then JSON-LD

    def place_of(self, doc, capture: Capture) -> str | None:
        """The page whose reviews these are, from the capture's URL."""
        return _link_owner(capture.url) or None
