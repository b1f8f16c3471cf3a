"""The inbox's stage filter is a query over stored progress, and agrees with the state derived from events."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from parsers.review import Review
from server.reviews.ingest import ingest
from server.storage import ReviewFilter, Store
from server.workflow.events import StaffEvent, derive_missing_progress, log_event
from server.workflow.inbox import inbox
from server.workflow.state import STAGES

START = datetime(2026, 11, 23, 9, 0, 0, 250_000, tzinfo=timezone.utc)  # a moment with a fraction of a second


def _stages_by_filter(store: Store, now: datetime) -> dict[int, str]:
    found = {}
    for stage in STAGES:
        reviews, total = inbox(store, ReviewFilter(limit=500), stage, now)
        assert total == len(reviews)
        for review in reviews:
            assert review["id"] not in found, f"review {review['id']} is both {found[review['id']]} and {stage}"
            assert review["state"]["stage"] == stage
            found[review["id"]] = stage
    return found


@pytest.mark.usefixtures("reply_checker")  # logging a reply checks it
def test_every_review_is_found_at_exactly_its_derived_stage_over_time(store):
    reviews = [Review(platform="google", platform_review_id=f"r{i}", reviewer_name=f"Reviewer {i}", rating=1 + i % 5,
                      text="The wait was long.") for i in range(10)]
    ids = ingest(store, reviews, START).review_ids
    log_event(store, store.get_review(ids[0]), StaffEvent("viewed"), START + timedelta(minutes=5))
    log_event(store, store.get_review(ids[1]), StaffEvent("viewed"), START + timedelta(minutes=1))
    log_event(store, store.get_review(ids[1]), StaffEvent("replied", text="Thank you for the feedback."), START + timedelta(hours=1))
    log_event(store, store.get_review(ids[2]), StaffEvent("escalated"), START)
    log_event(store, store.get_review(ids[3]), StaffEvent("ignored"), START)
    log_event(store, store.get_review(ids[4]), StaffEvent("viewed"), START)
    log_event(store, store.get_review(ids[4]), StaffEvent("replied", override_reason="manager approved"), START + timedelta(minutes=2))
    log_event(store, store.get_review(ids[4]), StaffEvent("resolved"), START + timedelta(days=1))
    # Check at the cool-down's and the response target's edges, to the second and between seconds.
    for offset in (timedelta(0), timedelta(minutes=34, seconds=59), timedelta(minutes=35), timedelta(minutes=35, seconds=0.5),
                   timedelta(hours=24), timedelta(hours=24, seconds=0.75), timedelta(hours=24, seconds=1), timedelta(days=3)):
        now = START + offset
        found = _stages_by_filter(store, now)
        assert sorted(found) == sorted(ids), f"at +{offset} some reviews are at no stage"


def test_reviews_stored_before_progress_was_kept_get_it_at_start(store):
    ids = ingest(store, [Review(platform="yelp", reviewer_name="Bo K.", rating=2, text="Slow")], START).review_ids
    store.db.conn.execute("UPDATE reviews SET settled_stage = NULL")  # as a database from an older version
    assert derive_missing_progress(store) == 1
    reviews, total = inbox(store, ReviewFilter(), "new", START)
    assert total == 1 and reviews[0]["id"] == ids[0]
