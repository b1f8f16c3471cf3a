"""``POST /api/reviews/<id>/events``: staff log what they did with a review (the workflow enforces the cool-down)."""

from __future__ import annotations

from flask import Blueprint

from parsers import limits
from server.web.api.common import json_body, now, ok, optional_text, review_or_404, store
from server.web.errors import ApiError
from server.workflow.events import StaffEvent, log_event
from server.workflow.state import LOGGABLE

bp = Blueprint("events", __name__)


@bp.post("/reviews/<int:review_id>/events")
def log(review_id: int):
    review = review_or_404(review_id)
    body = json_body()
    if not isinstance(body, dict) or "type" not in body:
        raise ApiError(400, "missing_field", f"Send {{\"type\": ...}}; types you can log: {', '.join(LOGGABLE)}.")
    event = StaffEvent(
        type=body["type"], at=None if body.get("at") is None else str(body["at"]), outcome=body.get("outcome"),
        action=body.get("action"), category=body.get("category"), assignee=optional_text(body, "assignee", limits.NAME_OF_STAFF_CHARS),
        **{name: optional_text(body, name, limits.NOTE_CHARS) for name in ("note", "text", "override_reason", "staff", "reply")},
    )
    logged = log_event(store(), review, event, now())
    return ok(event_id=logged.event_id, warnings=logged.warnings, state=logged.state)
