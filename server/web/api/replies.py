"""Replies: triage and suggestions for a review, and the policy check of any draft (it runs as staff type)."""

from __future__ import annotations

from flask import Blueprint

from parsers import limits
from server.replies.drafts import check_draft
from server.web.api.common import json_body, ok, review_or_404, store
from server.web.errors import ApiError
from server.workflow.advice import advice

bp = Blueprint("replies", __name__)


def _review_of(body: dict) -> dict:
    if "review_id" in body:
        review_id = body["review_id"]
        if isinstance(review_id, bool) or not isinstance(review_id, int):
            raise ApiError(422, "invalid_value", "'review_id' must be a review's id (a whole number).")
        return review_or_404(review_id)
    if not isinstance(body["review"], dict):
        raise ApiError(422, "invalid_value", "'review' must be an object with text, reviewer_name, platform and rating.")
    return body["review"]


@bp.post("/replies/check")
def check_reply():
    body = json_body()
    if not isinstance(body, dict) or "reply" not in body or ("review_id" not in body and "review" not in body):
        raise ApiError(400, "missing_field", "Send {\"reply\": ..., \"review_id\": ...} or {\"reply\": ..., \"review\": {text, reviewer_name, platform, rating}}.")
    reply = body["reply"]
    if not isinstance(reply, str) or len(reply) > limits.REPLY_CHARS:
        raise ApiError(422, "invalid_value", f"'reply' must be text of at most {limits.REPLY_CHARS} characters.")
    return ok(**check_draft(store(), reply, _review_of(body)).as_json())


@bp.get("/reviews/<int:review_id>/suggestions")
def suggest(review_id: int):
    return ok(**advice(store(), review_or_404(review_id)))
