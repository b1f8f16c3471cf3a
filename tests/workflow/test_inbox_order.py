"""The inbox's order across pages (``GET /api/reviews?order=attention``): escalations, then overdue reviews
and overdue follow-up calls, then new, ready, cooling down, follow-ups and the rest; newest first within each."""

from __future__ import annotations

import pytest

from tests.test_workflow import app, clock  # noqa: F401 (fixtures: the app on a clock starting Monday 2 November 2026, 09:00 UTC)

THREAT = "My attorney will be contacting you about what happened."


def add(client, auth, key: str, text: str = "The wait was long and the magazines were old.", rating: int = 2) -> int:
    review = {"platform": "google", "platform_review_id": key, "reviewer_name": f"Reviewer {key}", "rating": rating, "text": text}
    return client.post("/api/reviews", headers=auth, json={"reviews": [review]}).json["review_ids"][0]


def log(client, auth, review_id: int, event_type: str, **fields) -> None:
    answer = client.post(f"/api/reviews/{review_id}/events", headers=auth, json={"type": event_type, **fields})
    assert answer.status_code == 200, answer.json


def listed(client, auth, **params) -> list[tuple[int, str]]:
    answer = client.get("/api/reviews", headers=auth, query_string={"order": "attention", "limit": 500, **params})
    assert answer.status_code == 200, answer.json
    return [(review["id"], review["attention"]) for review in answer.json["reviews"]]


def test_an_escalation_written_first_leads_the_first_page_of_many(client, auth):
    threat = add(client, auth, "threat", THREAT, rating=1)
    for number in range(60):
        add(client, auth, f"plain-{number}")
    newest_first = client.get("/api/reviews", headers=auth, query_string={"limit": 50}).json["reviews"]
    assert threat not in [review["id"] for review in newest_first]  # without the order it is on page 2
    page = client.get("/api/reviews", headers=auth, query_string={"order": "attention", "limit": 50}).json
    assert page["total"] == 61
    assert (page["reviews"][0]["id"], page["reviews"][0]["attention"]) == (threat, "escalate")
    assert page["reviews"][0]["triage"]["action"] == "escalate"
    assert {review["attention"] for review in page["reviews"][1:]} == {"new"}


@pytest.mark.usefixtures("reply_checker")
def test_each_group_in_order_and_time_moves_reviews_between_them(client, auth, clock):
    old = add(client, auth, "old")
    clock.advance(hours=30)  # 'old' is now past the 24-hour target
    threat = add(client, auth, "threat", THREAT, rating=1)
    cooling = add(client, auth, "cooling")
    ready = add(client, auth, "ready")
    fresh = add(client, auth, "fresh")
    called = add(client, auth, "called", rating=1)
    calling = add(client, auth, "calling", rating=1)
    for review_id in (ready, called, calling):
        log(client, auth, review_id, "viewed")
    clock.advance(minutes=31)
    for review_id in (called, calling):
        log(client, auth, review_id, "replied", text="Thank you for telling us; please call our office manager.")
    log(client, auth, called, "followup_call", outcome="reached")
    log(client, auth, cooling, "viewed")
    settled = add(client, auth, "settled")
    log(client, auth, settled, "ignored")
    order = listed(client, auth)
    assert order == [(threat, "escalate"), (old, "overdue"), (fresh, "new"), (ready, "ready"), (cooling, "cooling_down"),
                     (calling, "follow_up"), (called, "follow_up"), (settled, "other")]

    clock.advance(days=3)  # Thursday: the call on 'calling' (due two business days after the reply) is late
    order = dict(listed(client, auth))
    assert order[calling] == "overdue" and order[called] == "follow_up"
    assert order[cooling] == "overdue" and order[fresh] == "overdue"


def test_staff_decisions_and_changed_text_move_a_review(client, auth):
    threat = add(client, auth, "threat", THREAT, rating=1)
    plain = add(client, auth, "plain")
    assert listed(client, auth)[0] == (threat, "escalate")
    log(client, auth, threat, "triage_changed", action="reply", note="A patient joking about their lawyer friend.")
    log(client, auth, plain, "triage_changed", action="escalate", note="Describes a billing dispute the owner must see.")
    assert listed(client, auth)[0] == (plain, "escalate")
    assert dict(listed(client, auth))[threat] == "new"

    changed = add(client, auth, "later")
    assert dict(listed(client, auth))[changed] == "new"  # triaged and stored as 'reply'
    add(client, auth, "later", text=THREAT, rating=1)  # the reviewer edits it into a threat: triaged again
    assert dict(listed(client, auth))[changed] == "escalate"


def test_filters_keep_the_order(client, auth):
    threat = add(client, auth, "threat", THREAT, rating=1)
    add(client, auth, "plain", rating=4)
    assert listed(client, auth, rating=1) == [(threat, "escalate")]
    assert listed(client, auth, stage="new", q="attorney") == [(threat, "escalate")]
    assert client.get("/api/reviews", headers=auth, query_string={"order": "loudest"}).status_code == 400


@pytest.mark.usefixtures("reply_checker")
def test_a_call_is_late_exactly_when_its_own_due_date_has_passed_across_a_weekend(client, auth, clock):
    """Business days keep the reply's time of day, so a Friday-night reply is due after a Saturday-morning one."""
    replies = {"friday-morning": "2026-11-06T11:00:00Z", "friday-night": "2026-11-06T23:00:00Z", "saturday": "2026-11-07T10:00:00Z"}
    ids = {}
    for key in replies:
        ids[key] = add(client, auth, key, rating=1)
        log(client, auth, ids[key], "viewed")
    clock.advance(days=8, hours=3)  # Tuesday 10 November, 12:00 UTC
    for key, at in replies.items():
        log(client, auth, ids[key], "replied", at=at, text="Thank you for telling us; please call our office manager.")
    order = dict(listed(client, auth))
    states = {key: client.get(f"/api/reviews/{review_id}", headers=auth).json["state"] for key, review_id in ids.items()}
    assert {key: order[review_id] for key, review_id in ids.items()} == {
        "friday-morning": "overdue", "friday-night": "follow_up", "saturday": "overdue"}
    assert {key: state["followup_overdue"] for key, state in states.items()} == {
        "friday-morning": True, "friday-night": False, "saturday": True}


def test_the_ordered_inbox_reads_without_waiting_for_a_writer(app, client, auth):
    import sqlite3
    import time

    threat = add(client, auth, "threat", THREAT, rating=1)
    assert listed(client, auth)[0] == (threat, "escalate")  # triaged and stored
    add(client, auth, "threat", THREAT, rating=1)  # captured again, unchanged: nothing to triage again
    writer = sqlite3.connect(app.config["DATABASE"], isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # an import holding the write lock
    try:
        started = time.monotonic()
        assert listed(client, auth)[0] == (threat, "escalate")
        assert time.monotonic() - started < 5
    finally:
        writer.execute("ROLLBACK")
        writer.close()
