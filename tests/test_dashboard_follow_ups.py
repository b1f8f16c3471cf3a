"""The follow-up calls (W6) with injected time: the list most urgent first, by assignee, the ``assigned``
event, and the /follow-ups page."""

from __future__ import annotations

import re
from datetime import datetime, timezone

from server.storage import Store
from server.workflow.follow_ups import open_follow_ups
from tests.test_security import login
from tests.test_workflow import add, app, clock, log  # noqa: F401  (the app with the injected clock)


def replied(client, auth, clock, name: str, rating: int = 1) -> int:
    """A negative review answered now (after its cool-down): its follow-up call is open."""
    review_id = add(client, auth, rating=rating, reviewer_name=name, platform_review_id=name)
    log(client, auth, review_id, "viewed")
    clock.advance(minutes=31)
    assert log(client, auth, review_id, "replied").json["state"]["stage"] == "follow_up"
    return review_id


def listing(client, auth, query: str = "") -> dict:
    answer = client.get(f"/api/follow-ups{query}", headers=auth)
    assert answer.status_code == 200, answer.json
    return answer.json


def test_open_follow_ups_come_overdue_first_then_by_due_date(client, auth, clock):
    client.put("/api/settings", headers=auth, json={"time_zone": "UTC"})
    oldest = replied(client, auth, clock, "Ada Oldest")           # replied Monday 09:31: due Wednesday 09:31
    called = replied(client, auth, clock, "Bo Called")            # replied Monday 10:02: due Wednesday 10:02
    clock.advance(days=1)
    newest = replied(client, auth, clock, "Cy Newest", rating=3)  # replied Tuesday 10:33: due Thursday 10:33
    positive = add(client, auth, rating=5, reviewer_name="Dee Happy", platform_review_id="happy")
    log(client, auth, positive, "viewed")
    clock.advance(minutes=31)
    log(client, auth, positive, "replied")  # a 5-star review needs no call
    log(client, auth, called, "followup_call", outcome="voicemail", note="Left our number.")
    clock.moment = datetime(2026, 11, 4, 12, 0, tzinfo=timezone.utc)  # Wednesday noon: both Wednesday calls are past due

    follow_ups = listing(client, auth)["follow_ups"]
    assert [item["review_id"] for item in follow_ups] == [oldest, called, newest]
    first, second, third = follow_ups
    assert (first["overdue"], second["overdue"], third["overdue"]) == (True, False, False)  # a call was made: not overdue
    assert first["due_at"] == "2026-11-04T09:31:00Z" and third["due_at"] == "2026-11-05T10:33:00Z"
    assert first["reviewer_name"] == "Ada Oldest" and first["platform"] == "google" and first["rating"] == 1
    assert first["text"] == "Long wait." and first["calls"] == [] and first["assignee"] == "our office manager"
    assert second["calls"] == [{"at": "2026-11-03T11:04:00Z", "outcome": "voicemail", "note": "Left our number.", "staff": None}]

    log(client, auth, oldest, "followup_call", outcome="reached")
    log(client, auth, oldest, "resolved")
    log(client, auth, newest, "not_resolved")
    assert [item["review_id"] for item in listing(client, auth)["follow_ups"]] == [called]


def test_the_list_is_read_through_the_stage_query(app, client, auth, clock, monkeypatch):
    replied(client, auth, clock, "Ada Oldest")
    add(client, auth, reviewer_name="Not Answered Yet", platform_review_id="open")
    asked = []
    with Store.connect(app.config["DATABASE"]) as store:
        original = store.list_reviews
        monkeypatch.setattr(store, "list_reviews", lambda query: asked.append(query) or original(query))
        found = open_follow_ups(store, clock())
    assert [item["reviewer_name"] for item in found["follow_ups"]] == ["Ada Oldest"]
    assert asked and all(query.stage is not None and query.stage.settled == "follow_up" for query in asked)


def test_a_follow_up_is_reassigned_and_the_list_filters_by_assignee(client, auth, clock):
    client.put("/api/settings", headers=auth, json={"staff_names": ["Dr. Lee", "Sam Ortiz"]})
    first = replied(client, auth, clock, "Ada Oldest")
    second = replied(client, auth, clock, "Bo Called")
    answer = log(client, auth, first, "assigned", assignee="  Dr. Lee ")
    assert answer.status_code == 200 and answer.json["state"]["followup_assignee"] == "Dr. Lee"
    assert log(client, auth, first, "assigned", assignee="Sam Ortiz").json["state"]["followup_assignee"] == "Sam Ortiz"
    assert log(client, auth, first, "assigned", assignee="Dr. Lee").json["state"]["followup_assignee"] == "Dr. Lee"  # latest wins

    everyone = listing(client, auth)
    assignees = {item["review_id"]: item["assignee"] for item in everyone["follow_ups"]}
    assert assignees == {first: "Dr. Lee", second: "our office manager"}
    assert everyone["assignees"] == [{"name": "Dr. Lee", "open": 1}, {"name": "our office manager", "open": 1},
                                     {"name": "Sam Ortiz", "open": 0}]
    assert [item["review_id"] for item in listing(client, auth, "?assignee=Dr.%20Lee")["follow_ups"]] == [first]
    assert [item["review_id"] for item in listing(client, auth, "?assignee=our%20office%20manager")["follow_ups"]] == [second]
    assert listing(client, auth, "?assignee=Sam%20Ortiz")["follow_ups"] == []
    events = client.get(f"/api/reviews/{first}", headers=auth).json["events"]
    assert [event.get("assignee") for event in events if event["type"] == "assigned"] == ["Dr. Lee", "Sam Ortiz", "Dr. Lee"]


def test_an_assignment_needs_a_name_of_at_most_200_characters(client, auth, clock):
    review_id = replied(client, auth, clock, "Ada Oldest")
    for body in ({}, {"assignee": "   "}, {"assignee": None}):
        refused = log(client, auth, review_id, "assigned", **body)
        assert refused.status_code == 400 and refused.json["error"] == "invalid_field"
        assert "'assignee'" in refused.json["message"]
    for bad in ("x" * 201, 42, ["Dr. Lee"]):
        refused = log(client, auth, review_id, "assigned", assignee=bad)
        assert refused.status_code == 400 and "at most 200 characters" in refused.json["message"]
    assert log(client, auth, review_id, "assigned", assignee="x" * 200).status_code == 200
    assert "assigned" in client.post(f"/api/reviews/{review_id}/events", headers=auth, json={}).json["message"]


def test_a_call_note_asking_for_removal_is_flagged(client, auth, clock):
    review_id = replied(client, auth, clock, "Ada Oldest")
    answer = log(client, auth, review_id, "followup_call", outcome="reached", note="Asked her to take down the review.")
    assert answer.status_code == 200 and "never ask" in answer.json["warnings"][0]
    assert listing(client, auth)["follow_ups"][0]["calls"][0]["note"] == "Asked her to take down the review."


def test_nothing_due_is_an_empty_list_with_the_default_assignee(client, auth):
    assert listing(client, auth) == {"ok": True, "follow_ups": [], "assignees": [{"name": "our office manager", "open": 0}]}


def test_the_follow_ups_page_needs_a_session_and_loads_its_script(client, token):
    answer = client.get("/follow-ups")
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/login")
    login(client, token)
    answer = client.get("/follow-ups")
    html = answer.get_data(as_text=True)
    assert answer.status_code == 200 and '<script type="module" src="/static/follow-ups.js"></script>' in html
    assert "/static/lists.css" in html and 'aria-current="page">Follow-ups' in html
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html) and "style=" not in html
    script = client.get("/static/follow-ups.js").get_data(as_text=True)
    assert "innerHTML" not in script and "insertAdjacentHTML" not in script


def test_the_dashboard_session_reads_the_list(client, token, clock, auth):
    replied(client, auth, clock, "Ada Oldest")
    login(client, token)
    answer = client.get("/api/follow-ups", headers={"Sec-Fetch-Site": "same-origin"})
    assert answer.status_code == 200 and answer.json["follow_ups"][0]["reviewer_name"] == "Ada Oldest"

