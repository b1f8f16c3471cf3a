"""Replies: triage and suggestions for a review, and the policy check of any draft (it runs as staff type)."""

from __future__ import annotations

from flask import Blueprint

from server.web.api.common import json_body, ok, review_or_404, store
from server.web.errors import ApiError
from server.replies.policy import check, review_context
from server.settings import practice_settings
from server.replies.suggest import suggestions
from server.replies.triage import REPLY, triage

bp = Blueprint("replies", __name__)
MAX_REPLY_CHARS = 5000


def _stored_review(review_id) -> dict:
    if isinstance(review_id, bool) or not isinstance(review_id, int):
        raise ApiError(422, "invalid_value", "'review_id' must be a review's id (a whole number).")
    return review_or_404(review_id)


@bp.post("/replies/check")
def check_reply():
    body = json_body()
    if not isinstance(body, dict) or "reply" not in body or ("review_id" not in body and "review" not in body):
        raise ApiError(400, "missing_field", "Send {\"reply\": ..., \"review_id\": ...} or {\"reply\": ..., \"review\": {text, reviewer_name, platform, rating}}.")
    reply = body["reply"]
    if not isinstance(reply, str) or len(reply) > MAX_REPLY_CHARS:
        raise ApiError(422, "invalid_value", f"'reply' must be text of at most {MAX_REPLY_CHARS} characters.")
    if "review_id" in body:
        review = _stored_review(body["review_id"])
    elif isinstance(body["review"], dict):
        review = body["review"]
    else:
        raise ApiError(422, "invalid_value", "'review' must be an object with text, reviewer_name, platform and rating.")
    result = check(reply, review_context(review), practice_settings(store().settings()))
    return ok(**result.as_json())


@bp.get("/reviews/<int:review_id>/suggestions")
def suggest(review_id: int):
    db = store()
    review = _stored_review(review_id)
    context = review_context(review)
    settings = practice_settings(db.settings())
    decision = triage(context)
    replies = []
    if decision.action == REPLY and (decision.sentiment not in ("positive", "rating_only") or settings.suggest_positive):
        replies = [
            {"text": s.text, "violations": [v.__dict__ for v in s.violations]}
            for s in suggestions(context, decision.sentiment, settings, db.recent_owner_replies(), seed=str(review_id))
        ]
    return ok(**decision.as_json(), suggestions=replies)
