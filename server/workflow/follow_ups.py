"""The follow-up calls still open (docs/design.md, W6): every replied negative review whose call has no
outcome yet, with who calls, by when, and the calls made so far; overdue ones first, then by due date."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from server.settings import all_settings
from server.storage import ReviewFilter, Store
from server.workflow.state import WorkflowSettings, stage_condition, state


def open_follow_ups(store: Store, now: datetime, assignee: str | None = None) -> dict[str, Any]:
    """``follow_ups``: the open follow-ups (only ``assignee``'s when given), most urgent first;
    ``assignees``: each person a follow-up is or can be assigned to (the staff names and the default
    assignee from the settings), with how many open follow-ups they have."""
    stored = store.settings()
    settings = WorkflowSettings.of(stored)
    condition = stage_condition("follow_up", settings, now)
    total = store.list_reviews(ReviewFilter(stage=condition, limit=0))[1]
    reviews, _ = store.list_reviews(ReviewFilter(stage=condition, limit=total))
    events = store.events_for([review["id"] for review in reviews])
    follow_ups = [_follow_up(review, events.get(review["id"], []), settings, now) for review in reviews]
    follow_ups.sort(key=lambda item: (not item["overdue"], item["due_at"] or "", item["review_id"]))
    counts: dict[str, int] = {}
    for item in follow_ups:
        counts[item["assignee"]] = counts.get(item["assignee"], 0) + 1
    for name in [settings.followup_assignee, *all_settings(stored)["staff_names"]]:
        counts.setdefault(name, 0)
    if assignee:
        follow_ups = [item for item in follow_ups if item["assignee"] == assignee]
    names = sorted(counts, key=str.casefold)
    return {"follow_ups": follow_ups, "assignees": [{"name": name, "open": counts[name]} for name in names]}


def _follow_up(review: dict[str, Any], events: list[dict[str, Any]], settings: WorkflowSettings, now: datetime) -> dict[str, Any]:
    current = state(review, events, settings, now)
    calls = [{"at": event["at"], "outcome": event.get("outcome"), "note": event.get("note"), "staff": event.get("staff")}
             for event in events if event["type"] == "followup_call"]
    return {
        "review_id": review["id"],
        "reviewer_name": review["reviewer_name"],
        "platform": review["platform"],
        "rating": review["rating"],
        "recommends": review["recommends"],
        "text": review["text"],
        "url": review["url"],
        "replied_at": current["replied_at"],
        "due_at": current["followup_due_at"],
        "overdue": current["followup_overdue"],
        "assignee": current["followup_assignee"],
        "calls": calls,
        "state": current,
    }
