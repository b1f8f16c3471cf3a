"""The workflow log: staff log what they did with a review; ReviewDesk enforces the cool-down (W1)."""

from __future__ import annotations

import math
from datetime import timedelta

from flask import Blueprint

from parsers.dates import iso_utc, parse_iso
from server.web.api.common import json_body, now, ok, review_or_404, store
from server.web.errors import ApiError
from server.replies.policy import REMOVAL, check, review_context
from server.settings import practice_settings, workflow_settings
from server.workflow.state import CALL_OUTCOMES, EVENT_TYPES, LOGGABLE, MINIMUM_COOLDOWN_MINUTES, state

bp = Blueprint("events", __name__)
MAX_NOTE = 5000


def _text(body: dict, name: str) -> str | None:
    value = body.get(name)
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > MAX_NOTE:
        raise ApiError(400, "invalid_field", f"'{name}' must be text of at most {MAX_NOTE} characters.")
    return value.strip() or None


def _moment(body: dict, current) -> str:
    if body.get("at") is None:
        return iso_utc(current)
    try:
        moment = parse_iso(str(body["at"]))
        iso_utc(moment)
    except (ValueError, OverflowError):
        raise ApiError(400, "invalid_field", "'at' must be an ISO 8601 date-time such as 2026-11-23T14:05:00Z.") from None
    if moment > current + timedelta(minutes=1):
        raise ApiError(400, "invalid_field", "'at' is in the future: log what happened, when it happened (past times are fine).")
    return iso_utc(moment)


@bp.post("/reviews/<int:review_id>/events")
def log_event(review_id: int):
    db, review = store(), review_or_404(review_id)
    body = json_body()
    if not isinstance(body, dict) or "type" not in body:
        raise ApiError(400, "missing_field", f"Send {{\"type\": ...}}; types you can log: {', '.join(LOGGABLE)}.")
    event_type = body["type"]
    if event_type not in LOGGABLE:
        known = "ReviewDesk logs it itself" if event_type in EVENT_TYPES else f"types you can log: {', '.join(LOGGABLE)}"
        raise ApiError(400, "invalid_field", f"'type' {event_type!r} cannot be logged here ({known}).")
    current = now()
    # A view starts the cool-down: it is stamped by the server, so a back-dated view cannot shorten it.
    at = iso_utc(current) if event_type == "viewed" else _moment(body, current)
    data: dict = {}
    for name in ("note", "override_reason", "text"):
        if (value := _text(body, name)) is not None:
            data[name] = value
    staff = _text(body, "staff")
    settings = db.settings()
    warnings: list[str] = []
    events = db.review_events(review_id)
    if event_type == "followup_call":
        outcome = body.get("outcome")
        if outcome not in CALL_OUTCOMES:
            raise ApiError(400, "invalid_field", f"A follow-up call needs 'outcome': one of {', '.join(CALL_OUTCOMES)}.")
        data["outcome"] = outcome
        if data.get("note") and any(p.search(data["note"]) for p in REMOVAL):
            warnings.append("The call note mentions removing or changing the review: never ask for that; the FTC rule "
                            "on consumer reviews forbids it. Call to resolve the concern, nothing else.")
    if event_type == "replied":
        before = state(review, events, workflow_settings(settings), parse_iso(at))
        # Replying without a view: the cool-down starts now.
        cooldown_ends = parse_iso(before["cooldown_ends_at"]) if before["cooldown_ends_at"] else \
            parse_iso(at) + timedelta(minutes=max(workflow_settings(settings).cooldown_minutes, MINIMUM_COOLDOWN_MINUTES))
        if parse_iso(at) < cooldown_ends and "override_reason" not in data:
            minutes_left = math.ceil((cooldown_ends - parse_iso(at)).total_seconds() / 60)
            raise ApiError(409, "cooldown", f"Wait before replying: the cool-down has {minutes_left} more minute"
                                            f"{'s' if minutes_left != 1 else ''}. Step away, then reply calmly; "
                                            "or give an 'override_reason' (overrides are reported).")
        if "override_reason" in data:
            warnings.append("Replied before the cool-down ended; the override is counted in the stats.")
        if data.get("text"):
            result = check(data["text"], review_context(review), practice_settings(settings))
            data["violations"] = [v.rule for v in result.violations]
            if not result.allowed:
                warnings.append("The posted reply breaks the reply policy (" + ", ".join(sorted({v.rule for v in result.violations if v.severity == 'block'}))
                                + "): edit it on the platform now.")
    event_id = db.log_event(review_id, event_type, at, data, staff)
    events = db.review_events(review_id)
    return ok(event_id=event_id, warnings=warnings, state=state(review, events, workflow_settings(settings), current))
