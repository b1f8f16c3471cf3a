"""A page the toolbar captured becomes stored reviews, through the same ingestion as ``POST /api/reviews``."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from parsers import limits, parse_page
from parsers.isotime import parse_iso
from parsers.page import UNSUPPORTED
from server.errors import TooLarge, Unsupported, ValidationError
from server.reviews.ingest import IngestResult, ingest
from server.reviews.intake import captured_within_caps
from server.storage import Store

# A capture time a little ahead of the server's clock is the browser's clock, not the future.
MAX_CLOCK_SKEW = timedelta(minutes=10)
CAPTURED_AT_EXAMPLE = "an ISO 8601 date-time such as 2026-11-23T13:00:00Z"


@dataclass
class Captured:
    platform: str | None
    status: str
    layout: str | None
    warnings: list[str]
    stored: IngestResult
    reviews: list[dict[str, Any]] = field(default_factory=list)


def captured_moment(value: Any, now: datetime) -> datetime:
    """When the page was captured, in the browser's time zone (its UTC offset says what "Yesterday at
    15:28" on the page means); relative dates count back from it. None: now."""
    if value is None:
        return now
    if not isinstance(value, str):
        raise ValidationError("captured_at", f"'captured_at' must be {CAPTURED_AT_EXAMPLE}.")
    try:
        moment = parse_iso(value)
    except ValueError:
        raise ValidationError("captured_at", f"'captured_at' must be {CAPTURED_AT_EXAMPLE}, got {value!r}.") from None
    if moment > now + MAX_CLOCK_SKEW:
        raise ValidationError("captured_at", "'captured_at' is in the future; check this computer's clock and capture again.")
    return moment


def store_capture(store: Store, url: str, html: str, captured_at: Any, lang: str, now: datetime) -> Captured:
    """Parse a captured page and store its reviews; a site ReviewDesk does not read is Unsupported."""
    result = parse_page(url, html, captured_moment(captured_at, now), lang)
    if result.status == UNSUPPORTED:
        raise Unsupported(result.warnings[0], extra={"status": UNSUPPORTED, "platform": None})
    if result.too_many:
        raise TooLarge(f"The page holds more than {limits.REVIEWS_PER_CAPTURE} reviews, more than a capture may store; capture the "
                       "practice's review panel sorted by newest, before scrolling to its end.")
    stored = ingest(store, captured_within_caps(result.reviews), now)
    by_id = {review["id"]: review for review in store.reviews_by_id(list(dict.fromkeys(stored.review_ids)))}
    return Captured(result.platform, result.status, result.layout, result.warnings, stored,
                    [by_id[review_id] for review_id in stored.review_ids])
