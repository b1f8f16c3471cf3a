"""Reviews: ingestion from the toolbar and imports, the list, and one review with its history."""

from __future__ import annotations

from flask import Blueprint, request

from parsers.review import PLATFORMS
from server.api.common import int_arg, json_body, ok, store
from server.errors import ApiError
from server.ingest import reviews_from_payload
from server.storage import ReviewFilter

bp = Blueprint("reviews", __name__)

MAX_PAGE = 500


@bp.post("/reviews")
def ingest():
    reviews = reviews_from_payload(json_body())
    result = store().ingest_reviews(reviews)
    return ok(created=result.created, updated=result.updated, unchanged=result.unchanged, review_ids=result.review_ids)


def _bool_arg(name: str) -> bool | None:
    raw = request.args.get(name)
    if raw in (None, ""):
        return None
    if raw.lower() in ("1", "true", "yes"):
        return True
    if raw.lower() in ("0", "false", "no"):
        return False
    raise ApiError(400, "invalid_parameter", f"'{name}' must be true or false, got {raw!r}.")


@bp.get("/reviews")
def list_reviews():
    platform = request.args.get("platform") or None
    if platform is not None and platform not in PLATFORMS:
        raise ApiError(400, "invalid_parameter", f"'platform' must be one of {', '.join(PLATFORMS)}, got {platform!r}.")
    query = ReviewFilter(
        platform=platform,
        q=(request.args.get("q") or "").strip() or None,
        rating=int_arg("rating", None, minimum=1, maximum=5),
        has_owner_reply=_bool_arg("replied"),
        limit=int_arg("limit", 50, minimum=1, maximum=MAX_PAGE),
        offset=int_arg("offset", 0, minimum=0, maximum=10**9),
    )
    reviews, total = store().list_reviews(query)
    return ok(reviews=reviews, total=total, limit=query.limit, offset=query.offset)


@bp.get("/reviews/<int:review_id>")
def get_review(review_id: int):
    db = store()
    review = db.get_review(review_id)
    if review is None:
        raise ApiError(404, "not_found", f"There is no review {review_id}; it may have been captured into another data directory.")
    return ok(review=review, history=db.review_history(review_id), events=db.review_events(review_id))
