"""The workflow each review goes through (DESIGN W1, W2, W6, W9), derived from its append-only event log.

Events are never edited: the state (stage, cool-down, due dates) is recomputed from them and the
settings each time, at a given moment (``now``), so tests inject time instead of sleeping.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo
from typing import Any

from parsers.dates import iso_utc, parse_iso

EVENT_TYPES = ("viewed", "drafted", "replied", "followup_call", "resolved", "not_resolved", "ignored", "reported",
               "escalated", "match_confirmed", "review_updated", "request_sent")
# Events staff log through the API (the others are logged by ReviewDesk itself).
LOGGABLE = ("viewed", "drafted", "replied", "followup_call", "resolved", "not_resolved", "ignored", "reported", "escalated")
CALL_OUTCOMES = ("reached", "voicemail", "unreachable")
STAGES = ("new", "cooling_down", "ready", "overdue", "replied", "follow_up", "resolved", "closed", "ignored", "escalated")
MINIMUM_COOLDOWN_MINUTES = 15


@dataclass(frozen=True)
class WorkflowSettings:
    cooldown_minutes: int = 30
    response_target_hours: int = 24
    followup_business_days: int = 2
    followup_assignee: str = "our office manager"
    time_zone: str = "UTC"  # the practice's, for business days


def add_business_days(moment: datetime, days: int, time_zone: str = "UTC") -> datetime:
    """``days`` working days (Monday to Friday, on the practice's calendar) after ``moment``."""
    result = moment.astimezone(ZoneInfo(time_zone))
    while days > 0:
        result += timedelta(days=1)
        if result.weekday() < 5:
            days -= 1
    return result


def needs_follow_up(review: dict[str, Any], events: list[dict[str, Any]] = (), moment: str | None = None) -> bool:
    """Negative and mixed reviews get a private follow-up call after the reply (W6): judged on the review
    as it was at ``moment`` (a review later raised to 4 stars after a good call still needed the call)."""
    rating, recommends = review.get("rating"), review.get("recommends")
    if moment is not None:
        for event in events:
            changes = event.get("changes") or {}
            if event["type"] == "review_updated" and event["at"] > moment:
                if "rating" in changes:
                    rating = changes["rating"]["old"]
                if "recommends" in changes:
                    recommends = changes["recommends"]["old"]
                break
    if rating is not None:
        return rating <= 3
    return recommends is False or recommends == 0


def _first(events: list[dict], *types: str) -> dict | None:
    return next((event for event in events if event["type"] in types), None)


def _last(events: list[dict], *types: str) -> dict | None:
    return next((event for event in reversed(events) if event["type"] in types), None)


def state(review: dict[str, Any], events: list[dict[str, Any]], settings: WorkflowSettings, now: datetime) -> dict[str, Any]:
    """Where a review stands: its stage and the moments that matter (ISO UTC), from its events."""
    first_seen = parse_iso(review["first_seen_at"])
    viewed = _first(events, "viewed")
    first_viewed = parse_iso(viewed["at"]) if viewed else None
    cooldown_ends = first_viewed + timedelta(minutes=max(settings.cooldown_minutes, MINIMUM_COOLDOWN_MINUTES)) if first_viewed else None
    reply_due = first_seen + timedelta(hours=settings.response_target_hours)
    replied = _first(events, "replied")
    replied_at = parse_iso(replied["at"]) if replied else None
    follow_up = (replied_at is not None and needs_follow_up(review, events, replied["at"])
                 and not replied.get("already_replied_when_first_seen"))
    followup_due = add_business_days(replied_at, settings.followup_business_days, settings.time_zone) if follow_up else None
    outcome = _last(events, "resolved", "not_resolved")
    if _last(events, "escalated") and not outcome and not replied:
        stage = "escalated"
    elif _last(events, "ignored", "reported") and not replied:
        stage = "ignored"
    elif outcome:
        stage = "resolved" if outcome["type"] == "resolved" else "closed"
    elif replied:
        stage = "follow_up" if follow_up else "replied"
    elif cooldown_ends and now < cooldown_ends:
        stage = "cooling_down"
    elif now > reply_due:
        stage = "overdue"
    elif viewed:
        stage = "ready"
    else:
        stage = "new"
    calls = [event for event in events if event["type"] == "followup_call"]
    return {
        "stage": stage,
        "first_seen_at": iso_utc(first_seen),
        "first_viewed_at": iso_utc(first_viewed) if first_viewed else None,
        "cooldown_ends_at": iso_utc(cooldown_ends) if cooldown_ends else None,
        "cooldown_minutes_left": math.ceil((cooldown_ends - now).total_seconds() / 60) if cooldown_ends and now < cooldown_ends else 0,
        "reply_due_at": iso_utc(reply_due),
        # Ignored, escalated and closed reviews are not waiting for a reply.
        "overdue": stage in ("overdue", "cooling_down") and now > reply_due,
        "replied_at": iso_utc(replied_at) if replied_at else None,
        "replied_before_cooldown": bool(replied and (replied.get("override_reason") or _before_cooldown(replied, cooldown_ends))),
        "followup_due_at": iso_utc(followup_due) if followup_due else None,
        "followup_assignee": settings.followup_assignee if follow_up else None,
        "followup_overdue": bool(followup_due and not calls and not outcome and now > followup_due),
        "calls": len(calls),
    }


def _before_cooldown(replied: dict, cooldown_ends: datetime | None) -> bool:
    if cooldown_ends is None:
        return False
    latest = replied.get("date_max") or replied["at"]
    return parse_iso(latest) < cooldown_ends


