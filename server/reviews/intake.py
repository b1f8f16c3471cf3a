"""Validate the reviews the toolbar or an import sends (``POST /api/reviews``) into :class:`Review` records."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from parsers import limits
from parsers.isotime import iso_date_or_utc
from parsers.review import PLATFORMS, UNKNOWN, OwnerReply, Review
from server.errors import MissingField, TooLarge, ValidationError


class Problem(Exception):
    """One invalid field of one review: ``missing`` (400) or ``invalid`` (422)."""

    def __init__(self, kind: str, field: str, message: str):
        super().__init__(message)
        self.kind = kind
        self.field = field
        self.message = message


def _string(item: dict, name: str, *, required: bool = False, allow_empty: bool = True, limit: int = limits.SHORT_TEXT_CHARS) -> str | None:
    if name not in item or item[name] is None:
        if required:
            raise Problem("missing", name, f"'{name}' is required")
        return None
    value = item[name]
    if not isinstance(value, str):
        raise Problem("invalid", name, f"'{name}' must be a string, got {type(value).__name__}")
    value = value.strip()
    if not value and not allow_empty:
        raise Problem("invalid", name, f"'{name}' must not be empty")
    if len(value) > limit:
        raise Problem("invalid", name, f"'{name}' is longer than {limit} characters")
    return value


# An address urlsplit certainly reads as http(s) with a host: most links of a capture (each reviewer's own).
PLAIN_WEB_ADDRESS = re.compile(r"https?://[A-Za-z0-9.-]+(?:[/?#]|\Z)")


@lru_cache(maxsize=1024)  # a captured page's address is every one of its reviews' link
def is_web_address(url: str) -> bool:
    """An ``http(s)`` address with a host: what a review's link may be (never ``javascript:`` or ``file:``)."""
    if PLAIN_WEB_ADDRESS.match(url):
        return True
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme.lower() in limits.URL_SCHEMES and bool(parts.netloc)


def _web_address(item: dict, name: str) -> str | None:
    url = _string(item, name, limit=limits.URL_CHARS)
    if url and not is_web_address(url):
        raise Problem("invalid", name, f"'{name}' must be an http:// or https:// address, got {url[:80]!r}")
    return url or None


def parse_timestamp(value: Any, name: str) -> str | None:
    """An ISO 8601 date or date-time; date-times are stored in UTC (``...Z``)."""
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise Problem("invalid", name, f"'{name}' must be an ISO 8601 date or date-time such as 2026-11-05T14:30:00Z")
    try:
        return iso_date_or_utc(value)
    except ValueError:
        raise Problem(
            "invalid", name, f"'{name}' must be an ISO 8601 date or date-time such as 2026-11-05T14:30:00Z, got {value!r}"
        ) from None


def _rating(item: dict) -> int | None:
    value = item.get("rating")
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != int(value) or not 1 <= value <= 5:
        raise Problem("invalid", "rating", f"'rating' must be a whole number of stars from 1 to 5, got {value!r}")
    return int(value)


def _recommends(item: dict) -> bool | None:
    value = item.get("recommends")
    if value is None or isinstance(value, bool):
        return value
    raise Problem("invalid", "recommends", f"'recommends' must be true or false, got {value!r}")


def _owner_reply(item: dict) -> OwnerReply | None | object:
    if "owner_reply" not in item:
        return UNKNOWN
    value = item["owner_reply"]
    if value is None:
        return None
    if isinstance(value, str):
        value = {"text": value}
    if not isinstance(value, dict):
        raise Problem("invalid", "owner_reply", "'owner_reply' must be null, a string or an object with 'text'")
    text = _string(value, "text", required=True, allow_empty=False, limit=limits.REVIEW_TEXT_CHARS)
    return OwnerReply(
        text=text,
        date_text=_string(value, "date_text"),
        created_at=parse_timestamp(value.get("created_at"), "owner_reply.created_at"),
    )


def review_from_json(item: Any) -> Review:
    if not isinstance(item, dict):
        raise Problem("invalid", "review", "each review must be a JSON object")
    platform = _string(item, "platform", required=True)
    if platform not in PLATFORMS:
        raise Problem("invalid", "platform", f"'platform' must be one of {', '.join(PLATFORMS)}, got {platform!r}")
    return Review(
        platform=platform,
        platform_review_id=_string(item, "platform_review_id", limit=limits.REVIEW_ID_CHARS) or None,
        reviewer_name=_string(item, "reviewer_name", required=True, allow_empty=False, limit=limits.REVIEWER_NAME_CHARS),
        reviewer_url=_web_address(item, "reviewer_url"),
        rating=_rating(item),
        recommends=_recommends(item),
        text=_string(item, "text", required=True, limit=limits.REVIEW_TEXT_CHARS),
        date_text=_string(item, "date_text", limit=200),
        created_at=parse_timestamp(item.get("created_at"), "created_at"),
        url=_web_address(item, "url"),
        place=_string(item, "place", limit=limits.REVIEW_ID_CHARS),
        owner_reply=_owner_reply(item),
    )


def _describe(index: int, item: Any) -> str:
    label = f"reviews[{index}]"
    if isinstance(item, dict):
        name = item.get("platform_review_id") or item.get("reviewer_name")
        if isinstance(name, str) and name.strip():
            label += f" ({name.strip()[:60]})"
    return label


def reviews_from_payload(payload: Any) -> list[Review]:
    """All reviews of a request, or a MissingField/ValidationError naming every invalid review and field."""
    if not isinstance(payload, dict) or "reviews" not in payload:
        raise MissingField("reviews", "Send a JSON object with a 'reviews' list: {\"reviews\": [{...}, ...]}.")
    items = payload["reviews"]
    if not isinstance(items, list):
        raise ValidationError("reviews", "'reviews' must be a list of review objects.")
    if len(items) > limits.REVIEWS_PER_REQUEST:
        raise TooLarge(f"Send at most {limits.REVIEWS_PER_REQUEST} reviews per request, in several requests.")
    reviews, problems = [], []
    for index, item in enumerate(items):
        try:
            reviews.append(review_from_json(item))
        except Problem as problem:
            problems.append({"review": index, "field": problem.field, "kind": problem.kind,
                             "message": f"{_describe(index, item)}: {problem.message}"})
    if problems:
        kind = MissingField if problems[0]["kind"] == "missing" else ValidationError
        others = len(problems) - 1
        more = f" ({others} more problem{'s' if others > 1 else ''} listed in 'details')" if others else ""
        raise kind(problems[0]["field"], f"{problems[0]['message']}{more}. Nothing was stored; fix the reviews and send them again.",
                   details=problems)
    return reviews


CAPTURED_CAPS = (("reviewer_name", limits.REVIEWER_NAME_CHARS), ("text", limits.REVIEW_TEXT_CHARS),
                 ("platform_review_id", limits.REVIEW_ID_CHARS), ("place", limits.REVIEW_ID_CHARS),
                 ("date_text", limits.SHORT_TEXT_CHARS))


def captured_within_caps(reviews: list[Review]) -> list[Review]:
    """The reviews a captured page gave, held to the caps of ``POST /api/reviews``: a page with a longer field
    than any real page has is refused (ValidationError; the page's reader stops at limits.REVIEWS_PER_CAPTURE
    reviews itself); a review's link that is not an http(s) address (``javascript:void(0)``) is dropped."""
    for index, review in enumerate(reviews):
        for name, limit in CAPTURED_CAPS:
            value = getattr(review, name) or ""
            if len(value) > limit:
                raise ValidationError(name, f"Review {index + 1} of the page has a '{name}' longer than {limit} characters, "
                                            "which no review site allows; nothing was stored. Capture the practice's own review page.")
        for name in ("url", "reviewer_url"):
            value = getattr(review, name)
            if value and (len(value) > limits.URL_CHARS or not is_web_address(value)):
                setattr(review, name, None)
    return reviews
