"""The workflow each review goes through (docs/design.md, W1, W2, W6, W9), derived from its append-only event log.

Events are never edited: the state (stage, cool-down, due dates) is recomputed from them and the
settings each time, at a given moment (``now``), so tests inject time instead of sleeping. A stage is
either *settled* by the events alone (escalated, ignored, replied, follow-up, resolved, closed) or
*open* and then a matter of time (new, cooling down, ready, overdue): storage keeps the settled stage
and the first view of each review, so the inbox filters stages with a query (:func:`stage_condition`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo
from typing import Any

from parsers.isotime import iso_utc, parse_iso
from server.settings import all_settings, local_time_zone
from server.storage.reviews import StageFilter

EVENT_TYPES = ("viewed", "drafted", "replied", "followup_call", "resolved", "not_resolved", "ignored", "reported",
               "escalated", "triage_changed", "assigned", "match_confirmed", "review_updated", "request_sent", "check_overridden")
# Events staff log through the API (the others are logged by ReviewDesk itself). A check_overridden (staff say a
# sentence the checker's learned layer blocked is safe) changes no stage.
LOGGABLE = ("viewed", "drafted", "replied", "followup_call", "resolved", "not_resolved", "ignored", "reported", "escalated",
            "triage_changed", "assigned", "check_overridden")
TRIAGE_ACTIONS = ("reply", "do_not_reply", "escalate")
CALL_OUTCOMES = ("reached", "voicemail", "unreachable")
STAGES = ("new", "cooling_down", "ready", "overdue", "replied", "follow_up", "resolved", "closed", "ignored", "escalated")
SETTLED_STAGES = ("replied", "follow_up", "resolved", "closed", "ignored", "escalated")
OPEN = "open"  # the settled stage of a review still waiting for a reply
MINIMUM_COOLDOWN_MINUTES = 15


@dataclass(frozen=True)
class WorkflowSettings:
    cooldown_minutes: int = 30
    response_target_hours: int = 24
    followup_business_days: int = 2
    followup_assignee: str = "our office manager"
    time_zone: str = "UTC"  # the practice's, for business days

    @classmethod
    def of(cls, stored: dict[str, Any]) -> "WorkflowSettings":
        """The workflow's view of the practice's stored settings."""
        values = all_settings(stored)
        return cls(cooldown_minutes=values["cooldown_minutes"], response_target_hours=values["response_target_hours"],
                   followup_business_days=values["followup_business_days"], followup_assignee=values["followup_assignee"],
                   time_zone=values["time_zone"] or local_time_zone())

    @property
    def cooldown(self) -> timedelta:
        return timedelta(minutes=max(self.cooldown_minutes, MINIMUM_COOLDOWN_MINUTES))

    @property
    def response_target(self) -> timedelta:
        return timedelta(hours=self.response_target_hours)


def cooldown_ends(first_viewed: datetime, settings: WorkflowSettings) -> datetime:
    """When a reply may be posted (W1): the cool-down after the first view."""
    return first_viewed + settings.cooldown


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


def staff_triage(events: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The latest decision staff made over the triage (``triage_changed``: action, category, reason), or None."""
    changed = _last(events, "triage_changed")
    if changed is None:
        return None
    return {"action": changed.get("action"), "category": changed.get("category"), "reason": changed.get("note"),
            "staff": changed.get("staff"), "at": changed["at"]}


def followup_assignee(events: list[dict[str, Any]], settings: WorkflowSettings) -> str:
    """Who makes the follow-up call (W6): the latest ``assigned`` event's assignee, else the setting."""
    assigned = _last(events, "assigned")
    return assigned["assignee"] if assigned and assigned.get("assignee") else settings.followup_assignee


def first_view(events: list[dict[str, Any]]) -> str | None:
    """When a person first read the review (its first ``viewed`` event), ISO UTC."""
    viewed = _first(events, "viewed")
    return viewed["at"] if viewed else None


def _follows_up(review: dict[str, Any], events: list[dict[str, Any]], replied: dict | None) -> bool:
    return (replied is not None and needs_follow_up(review, events, replied["at"])
            and not replied.get("already_replied_when_first_seen"))


def follows_up(review: dict[str, Any], events: list[dict[str, Any]]) -> bool:
    """Whether the review's reply calls for a follow-up call (W6)."""
    return _follows_up(review, events, _first(events, "replied"))


def replied_before_cooldown(events: list[dict[str, Any]], settings: WorkflowSettings) -> bool:
    """Whether the reply was posted before the cool-down after the first view ended, or with an override (W1)."""
    replied = _first(events, "replied")
    viewed_at = first_view(events)
    cooldown_end = cooldown_ends(parse_iso(viewed_at), settings) if viewed_at else None
    return bool(replied and (replied.get("override_reason") or _before_cooldown(replied, cooldown_end)))


def settled_stage(review: dict[str, Any], events: list[dict[str, Any]]) -> str:
    """The stage the events alone decide, or ``OPEN`` when the review still waits for a reply."""
    replied = _first(events, "replied")
    outcome = _last(events, "resolved", "not_resolved")
    if _last(events, "escalated") and not outcome and not replied:
        return "escalated"
    if _last(events, "ignored", "reported") and not replied:
        return "ignored"
    if outcome:
        return "resolved" if outcome["type"] == "resolved" else "closed"
    if replied:
        return "follow_up" if _follows_up(review, events, replied) else "replied"
    return OPEN


def open_stage(first_seen: datetime, first_viewed: datetime | None, settings: WorkflowSettings, now: datetime) -> str:
    """The stage of a review waiting for a reply, at ``now``."""
    if first_viewed is not None and now < cooldown_ends(first_viewed, settings):
        return "cooling_down"
    if now > first_seen + settings.response_target:
        return "overdue"
    return "ready" if first_viewed is not None else "new"


def _whole_second_after(moment: datetime) -> datetime:
    return moment if moment.microsecond == 0 else moment.replace(microsecond=0) + timedelta(seconds=1)


def stage_condition(stage: str, settings: WorkflowSettings, now: datetime) -> StageFilter:
    """The query for reviews at ``stage`` at ``now``: the same decision as :func:`open_stage`, over
    stored whole-second ISO moments (cooling down: first viewed after ``now - cool-down``; overdue:
    first seen before ``now - target``)."""
    if stage in SETTLED_STAGES:
        return StageFilter(settled=stage)
    cooling_since = iso_utc(now - settings.cooldown)  # viewed later than this: still cooling down
    due_since = iso_utc(_whole_second_after(now - settings.response_target))  # seen before this: overdue
    if stage == "cooling_down":
        return StageFilter(OPEN, viewed=True, viewed_after=cooling_since)
    if stage == "overdue":
        return StageFilter(OPEN, viewed_not_after=cooling_since, seen_before=due_since)
    if stage == "ready":
        return StageFilter(OPEN, viewed=True, viewed_not_after=cooling_since, seen_not_before=due_since)
    if stage == "new":
        return StageFilter(OPEN, viewed=False, seen_not_before=due_since)
    raise ValueError(f"unknown stage {stage!r}")


def state(review: dict[str, Any], events: list[dict[str, Any]], settings: WorkflowSettings, now: datetime) -> dict[str, Any]:
    """Where a review stands: its stage and the moments that matter (ISO UTC), from its events."""
    first_seen = parse_iso(review["first_seen_at"])
    viewed_at = first_view(events)
    first_viewed = parse_iso(viewed_at) if viewed_at else None
    cooldown_end = cooldown_ends(first_viewed, settings) if first_viewed else None
    reply_due = first_seen + settings.response_target
    replied = _first(events, "replied")
    replied_at = parse_iso(replied["at"]) if replied else None
    follow_up = _follows_up(review, events, replied)
    followup_due = add_business_days(replied_at, settings.followup_business_days, settings.time_zone) if follow_up else None
    outcome = _last(events, "resolved", "not_resolved")
    stage = settled_stage(review, events)
    if stage == OPEN:
        stage = open_stage(first_seen, first_viewed, settings, now)
    calls = [event for event in events if event["type"] == "followup_call"]
    return {
        "stage": stage,
        "as_of": iso_utc(now),  # the server's moment: a countdown counts from it, not from the browser's clock
        "first_seen_at": iso_utc(first_seen),
        "first_viewed_at": iso_utc(first_viewed) if first_viewed else None,
        "cooldown_ends_at": iso_utc(cooldown_end) if cooldown_end else None,
        "cooldown_minutes_left": minutes_until(cooldown_end, now) if cooldown_end else 0,
        "reply_due_at": iso_utc(reply_due),
        # Ignored, escalated and closed reviews are not waiting for a reply.
        "overdue": stage in ("overdue", "cooling_down") and now > reply_due,
        "replied_at": iso_utc(replied_at) if replied_at else None,
        "replied_before_cooldown": replied_before_cooldown(events, settings),
        "followup_due_at": iso_utc(followup_due) if followup_due else None,
        "followup_assignee": followup_assignee(events, settings) if follow_up else None,
        "followup_overdue": bool(followup_due and not calls and not outcome and now > followup_due),
        "calls": len(calls),
    }


def minutes_until(moment: datetime, now: datetime) -> int:
    """Whole minutes left until ``moment`` (rounded up), 0 once it has passed."""
    return math.ceil((moment - now).total_seconds() / 60) if now < moment else 0


def _before_cooldown(replied: dict, cooldown_ends: datetime | None) -> bool:
    if cooldown_ends is None:
        return False
    latest = replied.get("date_max") or replied["at"]
    return parse_iso(latest) < cooldown_ends


