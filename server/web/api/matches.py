"""Matching a review's reviewer to contacts: ranked candidates, and staff confirming or rejecting one."""

from __future__ import annotations

from flask import Blueprint

from server.contacts.matching import candidates_for, decide
from server.web.api.common import json_body, now, ok, review_or_404, store
from server.web.errors import ApiError

bp = Blueprint("matches", __name__)


def _answer(review: dict):
    candidates, note = candidates_for(store(), review)
    return ok(review_id=review["id"], reviewer_name=review["reviewer_name"], note=note,
              candidates=[candidate.as_json() for candidate in candidates])


@bp.get("/reviews/<int:review_id>/matches")
def matches(review_id: int):
    return _answer(review_or_404(review_id))


@bp.post("/reviews/<int:review_id>/match")
def match(review_id: int):
    review = review_or_404(review_id)
    body = json_body()
    if not isinstance(body, dict) or "contact_id" not in body or "decision" not in body:
        raise ApiError(400, "missing_field", "Send {\"contact_id\": <id>, \"decision\": \"confirm\" or \"reject\"}.")
    staff = body.get("staff") if isinstance(body.get("staff"), str) else None
    decide(store(), review, body["contact_id"], body["decision"], now(), staff)
    return _answer(review)
