"""Official API responses and exports become reviews: Google Business Profile (API and Takeout),
Yelp Fusion and Facebook Graph ratings. Each has its own shape; :func:`parse_export` recognises it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from parsers.isotime import iso_utc, parse_iso, timestamp_range
from parsers.review import OwnerReply, Review
from parsers.text import original_text

GOOGLE_STARS = {"ONE": 1, "TWO": 2, "THREE": 3, "FOUR": 4, "FIVE": 5}
YELP_TIME_ZONE = ZoneInfo("America/Los_Angeles")  # Fusion's time_created is Pacific time


class ExportError(ValueError):
    """A file that is not one of the review exports ReviewDesk reads; the message says what it expected."""


@dataclass
class ExportResult:
    platform: str
    reviews: list[Review] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _rfc3339(value: Any) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return iso_utc(parse_iso(value))
    except ValueError:
        return None


def _dated(review: Review) -> Review:
    if review.created_at:
        review.date_min, review.date_max = timestamp_range(review.created_at)
        review.date_precision = "second"
    return review


def _google_review(item: dict) -> Review | None:
    reviewer = item.get("reviewer") or {}
    name = (reviewer.get("displayName") or "").strip() or ("A Google user" if reviewer.get("isAnonymous") else "")
    if not name:
        return None
    reply = item.get("reviewReply")
    text, _ = original_text(item.get("comment") or "")
    created = _rfc3339(item.get("createTime"))
    updated = _rfc3339(item.get("updateTime"))
    return _dated(Review(
        platform="google",
        platform_review_id=item.get("reviewId") or (item.get("name") or "").rsplit("/", 1)[-1] or None,
        reviewer_name=name,
        rating=GOOGLE_STARS.get(str(item.get("starRating", "")).upper()),
        text=text,
        created_at=created,
        edited=True if created and updated and updated != created else None,
        owner_reply=OwnerReply(reply["comment"], created_at=_rfc3339(reply.get("updateTime"))) if isinstance(reply, dict) and reply.get("comment") else None,
    ))


def _yelp_time(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    try:
        local = datetime.strptime(value.strip(), "%Y-%m-%d %H:%M:%S").replace(tzinfo=YELP_TIME_ZONE)
    except ValueError:
        return _rfc3339(value)
    return iso_utc(local)


def _yelp_review(item: dict) -> Review | None:
    user = item.get("user") or {}
    if not user.get("name"):
        return None
    return _dated(Review(
        platform="yelp",
        platform_review_id=item.get("id"),
        reviewer_name=user["name"].strip(),
        reviewer_url=user.get("profile_url"),
        rating=item.get("rating") if item.get("rating") in (1, 2, 3, 4, 5) else None,
        text=" ".join((item.get("text") or "").split()),
        text_truncated=True,  # Fusion returns an excerpt of at most 160 characters
        created_at=_yelp_time(item.get("time_created")),
        url=item.get("url"),
    ))


def _facebook_review(item: dict) -> Review | None:
    reviewer = item.get("reviewer") or {}
    if not reviewer.get("name"):
        return None
    recommendation = item.get("recommendation_type")
    story = item.get("open_graph_story") or {}
    return _dated(Review(
        platform="facebook",
        platform_review_id=story.get("id") or None,
        reviewer_name=reviewer["name"].strip(),
        reviewer_url=f"https://www.facebook.com/{reviewer['id']}" if reviewer.get("id") else None,
        rating=item.get("rating") if item.get("rating") in (1, 2, 3, 4, 5) else None,
        recommends={"positive": True, "negative": False}.get(recommendation),
        text=" ".join((item.get("review_text") or "").split()),
        created_at=_rfc3339(item.get("created_time")),
    ))


def _items(data: Any, key: str) -> list[dict] | None:
    if isinstance(data, dict) and isinstance(data.get(key), list):
        return [item for item in data[key] if isinstance(item, dict)]
    return None


def parse_export(data: Any) -> ExportResult:
    """Reviews from a parsed JSON export; raises ExportError for a shape it does not know."""
    if isinstance(data, list):  # Takeout files may hold a bare list of Google reviews
        data = {"reviews": data}
    reviews = _items(data, "reviews")
    facebook = _items(data, "data")
    empty_google_export = isinstance(data, dict) and data.get("reviews") == []
    if empty_google_export or (reviews and any("starRating" in item or "reviewer" in item for item in reviews)):
        platform, read, items = "google", _google_review, reviews
    elif reviews and any("time_created" in item or "user" in item for item in reviews):
        platform, read, items = "yelp", _yelp_review, reviews
    elif facebook and any("recommendation_type" in item or "reviewer" in item for item in facebook):
        platform, read, items = "facebook", _facebook_review, facebook
    else:
        raise ExportError(
            "This JSON is not a review export ReviewDesk knows: expected a Google Business Profile review list "
            "(reviews[].starRating), a Yelp Fusion response (reviews[].time_created) or Facebook ratings (data[].reviewer)."
        )
    result = ExportResult(platform)
    for index, item in enumerate(items):
        try:
            review = read(item)
        except (AttributeError, TypeError, ValueError, KeyError):  # a field of an unexpected type
            result.warnings.append(f"Entry {index} is not in the expected shape and was skipped.")
            continue
        if review is None:
            result.warnings.append(f"Entry {index} has no reviewer name and was skipped.")
        else:
            result.reviews.append(review)
    if platform == "yelp" and result.reviews:
        result.warnings.append("Yelp's API gives only excerpts of reviews; capture the Yelp page for the full texts.")
    return result
