"""The inbox: reviews with their workflow state, filtered by stage with a query (not a filter over everything)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from server.storage import ReviewFilter, Store
from server.workflow.advice import list_triage
from server.workflow.state import WorkflowSettings, stage_condition, state


def inbox(store: Store, query: ReviewFilter, stage: str | None, now: datetime) -> tuple[list[dict[str, Any]], int]:
    """A page of reviews matching ``query`` (and at ``stage`` now, if given), each with its ``state`` and
    ``triage`` (``{action, reason, staff}``: what the list shows to do next)."""
    settings = WorkflowSettings.of(store.settings())
    if stage is not None:
        query = replace(query, stage=stage_condition(stage, settings, now))
    reviews, total = store.list_reviews(query)
    events = store.events_for([review["id"] for review in reviews])
    for review in reviews:
        review_events = events.get(review["id"], [])
        review["state"] = state(review, review_events, settings, now)
        review["triage"] = list_triage(review, review_events)
    return reviews, total


def review_detail(store: Store, review: dict[str, Any], now: datetime) -> dict[str, Any]:
    """One review with its state, earlier versions and events (oldest first)."""
    events = store.review_events(review["id"])
    return {"review": review, "state": state(review, events, WorkflowSettings.of(store.settings()), now),
            "history": store.review_history(review["id"]), "events": events}


ATTENTION_STAGES = ("new", "ready", "overdue")


def attention(store: Store, now: datetime) -> dict[str, int]:
    """How many reviews need someone now (new, ready, overdue), for the toolbar's badge."""
    settings = WorkflowSettings.of(store.settings())
    counts = {stage: store.list_reviews(ReviewFilter(stage=stage_condition(stage, settings, now), limit=0))[1]
              for stage in ATTENTION_STAGES}
    return {**counts, "total": sum(counts.values())}
