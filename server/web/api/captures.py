"""``POST /api/captures``: a page the toolbar captured becomes stored reviews, through the same upsert."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from flask import Blueprint

from parsers import parse_page
from parsers.page import UNSUPPORTED
from parsers.dates import iso_utc
from server.web.api.common import json_body, now, ok, store
from server.web.errors import ApiError, error_response

bp = Blueprint("captures", __name__)

MAX_CLOCK_SKEW = timedelta(minutes=10)


def _captured_at(value) -> datetime:
    """When the page was captured, in the browser's time zone (its UTC offset says what "Yesterday at
    15:28" on the page means); relative dates count back from it."""
    current = now()
    if value is None:
        return current
    if not isinstance(value, str):
        raise ApiError(422, "invalid_value", "'captured_at' must be an ISO 8601 date-time such as 2026-11-23T13:00:00Z.")
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise ApiError(422, "invalid_value", f"'captured_at' must be an ISO 8601 date-time such as 2026-11-23T13:00:00Z, got {value!r}.") from None
    moment = moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment
    if moment > current + MAX_CLOCK_SKEW:
        raise ApiError(422, "invalid_value", "'captured_at' is in the future; check this computer's clock and capture again.")
    return moment


@bp.post("/captures")
def capture():
    body = json_body()
    if not isinstance(body, dict):
        raise ApiError(400, "missing_field", "Send a JSON object: {\"url\": ..., \"html\": ..., \"captured_at\": ..., \"lang\": ...}.")
    for name in ("url", "html"):
        if name not in body:
            raise ApiError(400, "missing_field", f"'{name}' is required: the page's address and its captured HTML.")
        if not isinstance(body[name], str):
            raise ApiError(422, "invalid_value", f"'{name}' must be a string.")
    lang = body.get("lang") or "en"
    if not isinstance(lang, str) or len(lang) > 35:
        raise ApiError(422, "invalid_value", "'lang' must be the page's language tag, such as 'en' or 'es-MX'.")
    result = parse_page(body["url"], body["html"], _captured_at(body.get("captured_at")), lang)
    if result.status == UNSUPPORTED:
        return error_response(422, "unsupported", result.warnings[0], status=UNSUPPORTED, platform=None)
    db = store()
    stored = db.ingest_reviews(result.reviews, seen_at=iso_utc(now()))
    return ok(
        platform=result.platform,
        status=result.status,
        layout=result.layout,
        warnings=result.warnings,
        reviews=[db.get_review(review_id) for review_id in stored.review_ids],
        created=stored.created,
        updated=stored.updated,
        unchanged=stored.unchanged,
    )
