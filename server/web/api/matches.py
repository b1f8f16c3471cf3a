"""Matching a review's reviewer to contacts: ranked candidates, and staff confirming or rejecting one."""

from __future__ import annotations

from flask import Blueprint

from server.web.api.common import json_body, ok, review_or_404, store
from server.web.errors import ApiError
from server.contacts.matching import candidates_for
from server.storage import utc_now

bp = Blueprint("matches", __name__)
DECISIONS = ("confirm", "reject")


def _answer(review: dict):
    candidates, note = candidates_for(store(), review)
    return ok(review_id=review["id"], reviewer_name=review["reviewer_name"], note=note,
              candidates=[candidate.as_json() for candidate in candidates])


@bp.get("/reviews/<int:review_id>/matches")
def matches(review_id: int):
    return _answer(review_or_404(review_id))


@bp.post("/reviews/<int:review_id>/match")
def decide(review_id: int):
    review = review_or_404(review_id)
    body = json_body()
    if not isinstance(body, dict) or "contact_id" not in body or "decision" not in body:
        raise ApiError(400, "missing_field", "Send {\"contact_id\": <id>, \"decision\": \"confirm\" or \"reject\"}.")
    contact_id, decision = body["contact_id"], body["decision"]
    if decision not in DECISIONS:
        raise ApiError(422, "invalid_value", f"'decision' must be confirm or reject, got {decision!r}.")
    if isinstance(contact_id, bool) or not isinstance(contact_id, int) or store().get_contact(contact_id) is None:
        raise ApiError(404, "not_found", f"There is no contact {contact_id!r}.")
    staff = body.get("staff") if isinstance(body.get("staff"), str) else None
    store().decide_match(review_id, contact_id, decision, utc_now(), staff)
    return _answer(review)
