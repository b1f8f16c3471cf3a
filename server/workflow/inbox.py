"""The inbox: reviews with their workflow state, filtered by stage with a query (not a filter over everything)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from parsers.isotime import parse_iso
from server.replies.triage import triage_version
from server.storage import AttentionOrder, ReviewFilter, Store
from server.workflow.advice import list_triage
from server.workflow.state import WorkflowSettings, add_business_days, stage_condition, state

TRIAGE_BATCH = 500  # open reviews triaged per write transaction when the stored triage is missing or old


def inbox(store: Store, query: ReviewFilter, stage: str | None, now: datetime, *,
          by_attention: bool = False) -> tuple[list[dict[str, Any]], int]:
    """A page of reviews matching ``query`` (and at ``stage`` now, if given), each with its ``state`` and
    ``triage`` (``{action, reason, staff}``: what the list shows to do next); newest first, or
    ``by_attention``: in the order staff should work through them, each with its ``attention`` group
    (escalate, overdue, new, ready, cooling_down, follow_up, other) across all pages."""
    settings = WorkflowSettings.of(store.settings())
    if stage is not None:
        query = replace(query, stage=stage_condition(stage, settings, now))
    if by_attention:
        triage_open_reviews(store)
        query = replace(query, order=attention_order(store, settings, now))
    reviews, total = store.list_reviews(query)
    events = store.events_for([review["id"] for review in reviews])
    for review in reviews:
        review_events = events.get(review["id"], [])
        review["state"] = state(review, review_events, settings, now)
        review["triage"] = list_triage(review, review_events)
    return reviews, total


def attention_order(store: Store, settings: WorkflowSettings, now: datetime) -> AttentionOrder:
    """The inbox's order at ``now``: the same moments as the stages' (:func:`stage_condition`), and the
    follow-ups whose call is late (each decided as :func:`state` does: business days after its reply)."""
    return AttentionOrder(
        overdue_seen_before=stage_condition("overdue", settings, now).seen_before,
        cooling_viewed_after=stage_condition("cooling_down", settings, now).viewed_after,
        late_calls=tuple(review_id for review_id, replied_at in store.follow_ups_awaiting_a_call()
                         if replied_at and now > add_business_days(parse_iso(replied_at), settings.followup_business_days,
                                                                   settings.time_zone)),
    )


def triage_open_reviews(store: Store) -> int:
    """Store the action of the open reviews whose stored one is missing (new, changed, or with new events)
    or was decided by other triage rules: the triage's, or the staff's decision over it, as the list
    shows it (the inbox's order needs it). Returns how many."""
    done, version = 0, triage_version()
    while store.needs_triage(version):  # a read first: the inbox takes the write lock only when there is work
        with store.write():  # read, decide and store at once: a capture or an event cannot slip in between
            pending = store.reviews_to_triage(version, TRIAGE_BATCH)
            events = store.events_for([review["id"] for review in pending])
            store.set_triage([(list_triage(review, events.get(review["id"], []))["action"], version, review["id"])
                              for review in pending])
        done += len(pending)
    return done


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
