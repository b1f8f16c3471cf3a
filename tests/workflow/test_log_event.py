"""log_event as a domain function: the cool-down and the posted-reply check, without HTTP."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from parsers.review import Review
from server.errors import CooldownActive, InvalidField
from server.replies import vocabulary
from server.reviews.ingest import ingest
from server.workflow.events import StaffEvent, log_event

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)


@pytest.fixture
def review(store):
    [review_id] = ingest(store, [Review(platform="google", platform_review_id="r1", reviewer_name="Dana Whitfield", rating=2,
                                        text="The wait was long.")], NOW).review_ids
    return store.get_review(review_id)


def test_a_reply_inside_the_cooldown_is_refused_with_the_minutes_left(store, review):
    log_event(store, review, StaffEvent("viewed"), NOW)
    with pytest.raises(CooldownActive) as refused:
        log_event(store, review, StaffEvent("replied"), NOW + timedelta(minutes=10))
    assert refused.value.minutes_left == 20
    assert [event["type"] for event in store.review_events(review["id"])] == ["viewed"]


def test_events_from_the_future_are_refused(store, review):
    with pytest.raises(InvalidField):
        log_event(store, review, StaffEvent("drafted", at="2026-11-23T09:05:00Z"), NOW)


def test_the_checker_loads_before_the_write_lock_is_taken(store, review, monkeypatch):
    lock_held_while_loading = []
    monkeypatch.setattr(vocabulary, "is_ready", lambda: False)
    monkeypatch.setattr(vocabulary, "warm_up", lambda: lock_held_while_loading.append(store.db.conn.in_transaction))
    log_event(store, review, StaffEvent("replied", text="Thank you for the feedback.", override_reason="manager approved"), NOW)
    assert lock_held_while_loading == [False]


@pytest.mark.usefixtures("reply_checker")
def test_a_posted_reply_that_breaks_the_policy_is_logged_with_a_warning(store, review):
    log_event(store, review, StaffEvent("viewed"), NOW)
    logged = log_event(store, review, StaffEvent("replied", text="Sorry about your wait, Dana."), NOW + timedelta(minutes=31))
    assert logged.state["stage"] == "follow_up"
    assert any("names_reviewer" in warning for warning in logged.warnings)
