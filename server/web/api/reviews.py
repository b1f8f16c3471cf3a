"""Reviews: ingestion from the toolbar and imports, the list, and one review with its history."""

from __future__ import annotations

from flask import Blueprint, request

from parsers.review import PLATFORMS
from parsers.dates import iso_utc
from server.web.api.common import int_arg, json_body, now, ok, review_or_404, store
from server.web.errors import ApiError
from server.reviews.intake import reviews_from_payload
from server.settings import workflow_settings
from server.storage import ReviewFilter
from server.workflow.state import STAGES, state

bp = Blueprint("reviews", __name__)

MAX_PAGE = 500


@bp.post("/reviews")
def ingest():
    reviews = reviews_from_payload(json_body())
    result = store().ingest_reviews(reviews, seen_at=iso_utc(now()))
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
    stage = request.args.get("stage") or None
    if stage is not None and stage not in STAGES:
        raise ApiError(400, "invalid_parameter", f"'stage' must be one of {', '.join(STAGES)}, got {stage!r}.")
    limit = int_arg("limit", 50, minimum=1, maximum=MAX_PAGE)
    offset = int_arg("offset", 0, minimum=0, maximum=10**9)
    query = ReviewFilter(
        platform=platform,
        q=(request.args.get("q") or "").strip() or None,
        rating=int_arg("rating", None, minimum=1, maximum=5),
        has_owner_reply=_bool_arg("replied"),
        # The stage is derived from events: filter after deriving it, over every matching review.
        limit=10**9 if stage else limit,
        offset=0 if stage else offset,
    )
    db = store()
    reviews, total = db.list_reviews(query)
    settings, current = workflow_settings(db.settings()), now()
    events = db.events_for([review["id"] for review in reviews])
    for review in reviews:
        review["state"] = state(review, events.get(review["id"], []), settings, current)
    if stage:
        reviews = [review for review in reviews if review["state"]["stage"] == stage]
        total, reviews = len(reviews), reviews[offset:offset + limit]
    return ok(reviews=reviews, total=total, limit=limit, offset=offset)


@bp.get("/reviews/<int:review_id>")
def get_review(review_id: int):
    db, review = store(), review_or_404(review_id)
    events = db.review_events(review_id)
    return ok(review=review, state=state(review, events, workflow_settings(db.settings()), now()),
              history=db.review_history(review_id), events=events)
