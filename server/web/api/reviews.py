"""Reviews: ingestion from the toolbar and imports, the inbox list, and one review with its history."""

from __future__ import annotations

from flask import Blueprint, request

from parsers import limits
from parsers.review import PLATFORMS
from server.reviews.ingest import ingest
from server.reviews.intake import reviews_from_payload
from server.storage import ReviewFilter
from server.web.api.common import int_arg, json_body, now, ok, review_or_404, store, text_arg
from server.web.errors import ApiError
from server.workflow.inbox import attention, inbox, review_detail
from server.workflow.state import STAGES

bp = Blueprint("reviews", __name__)



def _ids() -> tuple[int, ...] | None:
    raw = request.args.get("ids")
    if not raw:
        return None
    parts = raw.split(",")
    if len(parts) > limits.PAGE_SIZE or not all(part.strip().isdigit() and 0 < int(part) < 2**63 for part in parts):
        raise ApiError(400, "invalid_parameter", f"'ids' must be up to {limits.PAGE_SIZE} review ids separated by commas, got {raw[:80]!r}.")
    return tuple(dict.fromkeys(int(part) for part in parts))


@bp.post("/reviews")
def store_reviews():
    result = ingest(store(), reviews_from_payload(json_body()), now())
    return ok(created=result.created, updated=result.updated, unchanged=result.unchanged, review_ids=result.review_ids)


def _choice(name: str, choices: tuple[str, ...]) -> str | None:
    value = request.args.get(name) or None
    if value is not None and value not in choices:
        raise ApiError(400, "invalid_parameter", f"'{name}' must be one of {', '.join(choices)}, got {value!r}.")
    return value


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
    query = ReviewFilter(
        platform=_choice("platform", PLATFORMS),
        q=text_arg("q"),
        rating=int_arg("rating", None, minimum=1, maximum=5),
        has_owner_reply=_bool_arg("replied"),
        ids=_ids(),
        limit=int_arg("limit", 50, minimum=1, maximum=limits.PAGE_SIZE),
        offset=int_arg("offset", 0, minimum=0, maximum=10**9),
    )
    by_attention = _choice("order", ("newest", "attention")) == "attention"
    reviews, total = inbox(store(), query, _choice("stage", STAGES), now(), by_attention=by_attention)
    return ok(reviews=reviews, total=total, limit=query.limit, offset=query.offset)


@bp.get("/reviews/attention")
def needing_attention():
    return ok(**attention(store(), now()))


@bp.get("/reviews/<int:review_id>")
def get_review(review_id: int):
    return ok(**review_detail(store(), review_or_404(review_id), now()))
