"""Google reviews: the Maps reviews panel, the Search business panel (2018 and 2024 layouts) and the
Business Profile owner view.

Stable anchors (ids, aria labels, contributor links) come first; Google's obfuscated class names are
fallbacks. Every selector is here at the top: a layout change touches only this block.
"""

from __future__ import annotations

import re

from parsers import _html as h
from parsers._abstract import PlatformParser, Reader
from parsers.page import Capture
from parsers.review import UNKNOWN, OwnerReply, Review
from parsers.text import is_cut_short, original_text, strip_more

PLATFORM = "google"
HOST = re.compile(r"^(?:www\.|maps\.|business\.)?google\.[a-z.]{2,6}$")

# Google Maps place page, reviews panel.
MAPS_CARD = ("div[data-review-id][aria-label]", "div.jftiEf")
MAPS_NAME = (".d4r55",)
MAPS_PROFILE = ("[data-href*='/contrib/']", "a[href*='/contrib/']")
MAPS_STARS = ("span.kvMYJc[role='img']", "span[role='img'][aria-label]", "[role='img'][aria-label]")
MAPS_DATE = ("span.rsqaWe",)
MAPS_TEXT_BLOCK = ("div.MyEned",)
MAPS_TEXT = ("span.wiI7pd",)
MAPS_MORE = ("button.w8nwRe", "button[aria-label='See more']")
MAPS_REPLY = ("div.CDe7pd",)
MAPS_REPLY_DATE = ("span.DZSIDd",)
MAPS_REPLY_TEXT = ("div.wiI7pd",)

# Google Search business panel, "reviews" dialog: the 2018 layout has no review ids.
SEARCH_CARD = ("div.gws-localreviews__google-review", "div.WMbnJf")
SEARCH_NAME = (".TSUbDb a", ".TSUbDb")
SEARCH_PROFILE = ("a[href*='/contrib/']",)
SEARCH_STARS = ("g-review-stars span[aria-label]", "[aria-label*='out of']")
SEARCH_DATE = ("span.dehysf",)
SEARCH_FULL_TEXT = ("span.review-full-text",)
SEARCH_TEXT = (".Jtu6Td",)
SEARCH_REPLY = ("div.LfKETd",)
# The 2024+ layout.
SEARCH_2024_CARD = ("div.bwb7ce",)
SEARCH_2024_NAME = (".Vpc5Fe",)
SEARCH_2024_STARS = ("[aria-label*='out of']", "[role='img'][aria-label]")
SEARCH_2024_TEXT = (".OA1nbd",)
SEARCH_2024_DATE = (".y3Ibjb",)

# Business Profile owner view (business.google.com): best effort.
BUSINESS_CARD = ("div.GYpYWe",)
BUSINESS_NAME = (".XnNQm .k4kupc span a", ".XnNQm .k4kupc")
BUSINESS_TEXT = ("blockquote span", "blockquote")
BUSINESS_REPLY = (".Rhj72c .BNyFuc",)
BUSINESS_STARS = ("[role='img'][aria-label]",)

OWNER_REPLY_LABEL = re.compile(r"^\s*response from the (?:owner|business)\b", re.I)
PLACE_FROM_URL = re.compile(r"/maps/place/([^/@?]+)")
BLOCKED_MARKERS = ("/sorry/index", "unusual traffic from your computer network", "detected unusual traffic")
REVIEW_PAGE_HINTS = ("review", "reseña", "rezension", "avis", "ulasan")


def place_of(capture: Capture) -> str | None:
    match = PLACE_FROM_URL.search(capture.url)
    return match.group(1) if match else None


def _is_reply(node) -> bool:
    classes = node.get("class", "").split()
    return "CDe7pd" in classes or "LfKETd" in classes


def _first_rating(candidates) -> int | None:
    """The rating of the first star label that is the review's own (not a photo's, not in a reply)."""
    for element in candidates:
        label = element.get("aria-label", "")
        if "photo" in label.lower() or any(_is_reply(a) for a in element.iterancestors()):
            continue
        rating = h.star_rating(label)
        if rating is not None:
            return rating
    return None


def _stars(card, selectors) -> int | None:
    return _first_rating(el for css in selectors for el in h.select(card, css))


def _owner_reply(container, capture: Capture, date_selectors, text_selectors, find=h.select_one) -> OwnerReply | None:
    """The reply in ``container``: its date and text found with ``find(container, *selectors)``."""
    if container is None:
        return None
    date_element = find(container, *date_selectors) if date_selectors else None
    text_element = find(container, *text_selectors) if text_selectors else None
    date_text = h.visible_text(date_element) or None
    if text_element is not None:
        text = h.visible_text(text_element)
    else:  # "Response from the owner" · date · text, without known classes
        text = OWNER_REPLY_LABEL.sub("", h.visible_text(container, skip=lambda node: node is date_element)).strip()
        first_line, _, rest = text.partition("\n")
        if date_text is None and rest and capture.date(first_line) is not None:
            date_text, text = first_line, rest.strip()
    return capture.reply(text, date_text)


# A shown date at the start of a text: "2 days ago", "a week ago", "Edited 3 months ago", "hace 2 días",
# "hace una semana" (only these relative forms: a month's name or a number alone may start a sentence).
LEADING_DATE = re.compile(
    r"^\s*((?:edited\s+)?(?:a|an|one|\d{1,3})\s+(?:minute|hour|day|week|month|year)s?\s+ago|"
    r"(?:editado\s+)?hace\s+(?:un|una|\d{1,3})\s+(?:minutos?|horas?|d[ií]as?|semanas?|mes(?:es)?|años?))\b[\s·,:–-]*",
    re.I,
)


def _is_shown_date(text: str, capture: Capture) -> bool:
    found = LEADING_DATE.match(text)
    return found is not None and found.end() == len(text) and capture.date(found.group(1)) is not None


def _leading_date(text: str, capture: Capture) -> tuple[str | None, str]:
    """(the shown date a text starts with, the text after it), or (None, the text) when it starts with none."""
    found = LEADING_DATE.match(text)
    if found is None or not text[found.end():].strip() or capture.date(found.group(1)) is None:
        return None, text
    return found.group(1), text[found.end():]


def _reply_container(card):
    found = h.select_one(card, *MAPS_REPLY, *SEARCH_REPLY, *BUSINESS_REPLY)
    if found is not None:
        return found
    for element in card.iter():
        if isinstance(element.tag, str) and element.text and OWNER_REPLY_LABEL.match(element.text):
            return element.getparent()
    return None


def _maps_review(card, capture: Capture, index: h.CardIndex) -> Review | None:
    review_id = card.get("data-review-id")
    name = (card.get("aria-label") or "").strip() or h.visible_text(index.find(card, *MAPS_NAME))
    if not name:
        return None
    profile = index.find(card, *MAPS_PROFILE)
    reviewer_url = h.absolute_url(capture.url, profile.get("data-href") or profile.get("href")) if profile is not None else None
    block = index.find(card, *MAPS_TEXT_BLOCK)
    if block is None and review_id:  # the text block carries the review id as its element id
        block = next((el for el in card.iter() if el.get("id") == review_id), None)
    reply = index.find(card, *MAPS_REPLY)
    text_element = next((el for el in index.find_all(card, MAPS_TEXT[0]) if reply is None or reply not in el.iterancestors()), None)
    text, truncated = strip_more(h.visible_text(text_element))
    text, translation_only = original_text(text)
    if translation_only:
        capture.warn(f"{name}'s review shows only Google's translation; open 'See original' before capturing.")
    if is_cut_short(text) and index.find(card, *MAPS_MORE) is not None:
        truncated = True
    date_text = h.visible_text(index.find(card, *MAPS_DATE)) or None
    stars = next((found for css in MAPS_STARS if (found := index.find_all(card, css))), [])
    return capture.dated(Review(
        platform=PLATFORM,
        platform_review_id=review_id or None,
        reviewer_name=name,
        reviewer_url=reviewer_url,
        rating=_first_rating(stars),
        text=text,
        text_truncated=truncated,
        date_text=date_text,
        url=capture.url,
        place=place_of(capture),
        language=(block.get("lang") if block is not None else None) or None,
        owner_reply=_owner_reply(reply if reply is not None else _reply_container(card), capture, MAPS_REPLY_DATE, MAPS_REPLY_TEXT,
                                 find=lambda container, *selectors: index.find_inside(card, container, *selectors)),
    ))


def _search_review(card, capture: Capture, index: h.CardIndex) -> Review | None:
    name_element = h.select_one(card, *SEARCH_NAME)
    name = h.visible_text(name_element)
    if not name:
        return None
    profile = h.select_one(card, *SEARCH_PROFILE)
    reply_container = h.select_one(card, *SEARCH_REPLY)
    full = next((el for el in h.select(card, SEARCH_FULL_TEXT[0]) if not any(_is_reply(a) for a in el.iterancestors())), None)
    if full is not None:  # the full copy is in the page even while hidden behind "More"
        text, truncated = h.visible_text(full, include_hidden=True), False
    else:
        text_element = h.select_one(card, *SEARCH_TEXT)
        text, truncated = strip_more(h.visible_text(text_element, skip=_is_reply))
    text, _ = original_text(text)
    reply = None
    if reply_container is not None:
        reply_full = h.select_one(reply_container, *SEARCH_FULL_TEXT)
        date_element = reply_container.find(".//span")
        if date_element is not None and date_element.get("class") and not _is_shown_date(h.visible_text(date_element), capture):
            date_element = None  # a span of the reply's text ("review-snippet"), not its date
        reply_date = h.visible_text(date_element) or None if date_element is not None else None
        if reply_full is not None:
            reply_text = h.visible_text(reply_full, include_hidden=True)
        else:
            reply_text = OWNER_REPLY_LABEL.sub("", h.visible_text(reply_container, skip=lambda n: n is date_element or n.tag == "strong"))
        if reply_date is None:  # "2 days ago Thank you for …": the date written before the reply's text
            reply_date, reply_text = _leading_date(reply_text.strip(), capture)
        reply = capture.reply(reply_text.strip(), reply_date)
    return capture.dated(Review(
        platform=PLATFORM,
        reviewer_name=name,
        reviewer_url=h.absolute_url(capture.url, profile.get("href")) if profile is not None else None,
        rating=_stars(card, SEARCH_STARS),
        text=text,
        text_truncated=truncated,
        date_text=h.visible_text(h.select_one(card, *SEARCH_DATE)) or None,
        url=capture.url,
        owner_reply=reply,
    ))


def _search_2024_review(card, capture: Capture, index: h.CardIndex) -> Review | None:
    name = h.visible_text(h.select_one(card, *SEARCH_2024_NAME))
    if not name:
        return None
    profile = h.select_one(card, *SEARCH_PROFILE)
    text, truncated = strip_more(h.visible_text(h.select_one(card, *SEARCH_2024_TEXT)))
    text, _ = original_text(text)
    date_text = h.visible_text(h.select_one(card, *SEARCH_2024_DATE)) or None
    return capture.dated(Review(
        platform=PLATFORM,
        platform_review_id=card.get("data-review-id") or None,
        reviewer_name=name,
        reviewer_url=h.absolute_url(capture.url, profile.get("href")) if profile is not None else None,
        rating=_stars(card, SEARCH_2024_STARS),
        text=text,
        text_truncated=truncated,
        date_text=date_text,
        url=capture.url,
        owner_reply=_owner_reply(_reply_container(card), capture, (), ()),
    ))


def _business_review(card, capture: Capture, index: h.CardIndex) -> Review | None:
    name = h.visible_text(h.select_one(card, *BUSINESS_NAME))
    if not name:
        return None
    reply_element = h.select_one(card, *BUSINESS_REPLY)
    text, truncated = strip_more(h.visible_text(h.select_one(card, *BUSINESS_TEXT)))
    text, _ = original_text(text)
    # The owner view's reply selector is a best guess: when it finds nothing, say "not shown", not "none".
    reply = capture.reply(h.visible_text(reply_element)) if reply_element is not None else UNKNOWN
    return capture.dated(Review(
        platform=PLATFORM,
        platform_review_id=card.get("data-review-id") or None,
        reviewer_name=name,
        rating=_stars(card, BUSINESS_STARS),
        text=text,
        text_truncated=truncated,
        date_text=_shown_date(card, capture, skip=reply_element),
        url=capture.url,
        owner_reply=reply,
    ))


def _shown_date(card, capture: Capture, skip=None) -> str | None:
    """A layout without a known date element: the first short text in the card that reads as a date."""
    for element in card.iter("span", "div", "time"):
        if len(element) or (skip is not None and (element is skip or skip in element.iterancestors())):
            continue
        text = " ".join((element.text or "").split())
        looks_like_date = any(ch.isdigit() for ch in text) or text.lower().startswith(("a ", "an ", "yesterday"))
        if 0 < len(text) < 40 and looks_like_date and capture.date(text) is not None:
            return text
    return None


def _cards(card_selectors: tuple[str, ...], read_card) -> Reader:
    """A layout reader from a card selector list and a one-card reader.

    The first selector is the stable anchor; the others (obfuscated classes) are asked only when it
    finds no card.
    """
    def read(doc, capture: Capture, place: str | None) -> list[Review]:
        cards = h.outermost(h.select(doc, card_selectors[0])) or h.outermost(
            [el for css in card_selectors[1:] for el in h.select(doc, css)]
        )
        index = h.CardIndex(doc, cards)
        return [review for review in (read_card(card, capture, index) for card in cards) if review is not None]
    return read


class GoogleParser(PlatformParser):
    platform = PLATFORM
    hosts = HOST
    block_markers = BLOCKED_MARKERS  # Google's "unusual traffic" page
    block_scan_chars = 20_000
    review_url_markers = ("/maps/place/",)
    layouts = (
        ("google_maps", _cards(MAPS_CARD, _maps_review)),
        ("google_search", _cards(SEARCH_CARD, _search_review)),
        ("google_search_2024", _cards(SEARCH_2024_CARD, _search_2024_review)),
        ("google_business_profile", _cards(BUSINESS_CARD, _business_review)),
    )
    fallback_layout = "google_generic"  # microdata, then JSON-LD

    def looks_like_review_page(self, doc, capture: Capture) -> bool:
        if super().looks_like_review_page(doc, capture):
            return True
        title = " ".join(h.visible_text(el) for el in h.select(doc, "title, h1, h2")).lower()
        return any(hint in title for hint in REVIEW_PAGE_HINTS)
