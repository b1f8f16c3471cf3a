"""The workflow log with injected time (no test sleeps): cool-down, overdue, follow-ups, overrides,
detection across captures, every stat on a hand-computed log, and the review-request rules."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta, timezone

import pytest

from server.web.app import create_app
from tests.conftest import Clock
from server.contacts.importing import import_contacts
from server.workflow.stats import rating_math
from server.reviews.ingest import ingest
from server.storage import Store

IMPORTED_AT = datetime(2026, 11, 20, 9, 0, tzinfo=timezone.utc)  # when the test imports its contacts

START = datetime(2026, 11, 2, 9, 0, tzinfo=timezone.utc)  # a Monday


@pytest.fixture
def clock():
    return Clock(START)


@pytest.fixture
def app(data_dir, clock):
    return create_app({"TESTING": True, "DATA_DIR": str(data_dir), "CLOCK": clock})


def add(client, auth, rating: int | None = 1, **fields) -> int:
    review = {"platform": "google", "reviewer_name": "Dana Whitfield", "rating": rating, "text": "Long wait.", **fields}
    return client.post("/api/reviews", headers=auth, json={"reviews": [review]}).json["review_ids"][0]


def log(client, auth, review_id: int, event_type: str, **fields):
    return client.post(f"/api/reviews/{review_id}/events", headers=auth, json={"type": event_type, **fields})


def stage(client, auth, review_id: int) -> str:
    return client.get(f"/api/reviews/{review_id}", headers=auth).json["state"]["stage"]


@pytest.mark.usefixtures("reply_checker")  # logging a reply checks it
def test_the_cool_down_refuses_a_reply_until_it_ends(client, auth, clock):
    review_id = add(client, auth)
    assert stage(client, auth, review_id) == "new"
    viewed = log(client, auth, review_id, "viewed").json["state"]
    assert viewed["stage"] == "cooling_down" and viewed["cooldown_ends_at"] == "2026-11-02T09:30:00Z"
    clock.advance(minutes=29, seconds=30)
    refused = log(client, auth, review_id, "replied", text="Thank you for the feedback; please call our office manager.")
    assert refused.status_code == 409 and refused.json["error"] == "cooldown"
    assert "1 more minute" in refused.json["message"]
    clock.advance(seconds=30)  # exactly the end of the cool-down
    assert stage(client, auth, review_id) == "ready"
    accepted = log(client, auth, review_id, "replied", text="Thank you for the feedback; please call our office manager.")
    assert accepted.status_code == 200 and accepted.json["state"]["replied_at"] == "2026-11-02T09:30:00Z"


def test_a_reply_without_viewing_first_is_refused_too(client, auth):
    review_id = add(client, auth)
    assert log(client, auth, review_id, "replied").status_code == 409


def test_an_override_is_accepted_and_counted(client, auth, clock):
    review_id = add(client, auth)
    log(client, auth, review_id, "viewed")
    clock.advance(minutes=5)
    answer = log(client, auth, review_id, "replied", override_reason="Owner replied from the phone app.")
    assert answer.status_code == 200 and answer.json["state"]["replied_before_cooldown"] is True
    assert "override" in answer.json["warnings"][0]
    assert client.get("/api/stats", headers=auth).json["stats"]["replies"]["before_cooldown"] == 1


def test_overdue_after_the_response_target(client, auth, clock):
    review_id = add(client, auth)
    clock.advance(hours=24)
    assert stage(client, auth, review_id) == "new"
    clock.advance(seconds=1)
    assert stage(client, auth, review_id) == "overdue"
    listing = client.get("/api/reviews?stage=overdue", headers=auth).json
    assert listing["total"] == 1 and listing["reviews"][0]["state"]["overdue"] is True
    assert client.get("/api/reviews?stage=new", headers=auth).json["total"] == 0


def test_a_reply_to_a_negative_review_opens_a_follow_up_due_in_two_business_days(client, auth, clock):
    client.put("/api/settings", headers=auth, json={"time_zone": "UTC"})
    clock.moment = datetime(2026, 11, 6, 15, 0, tzinfo=timezone.utc)  # a Friday
    review_id = add(client, auth, rating=2)
    log(client, auth, review_id, "viewed")
    clock.advance(hours=1)
    state = log(client, auth, review_id, "replied").json["state"]
    assert state["stage"] == "follow_up" and state["followup_due_at"] == "2026-11-10T16:00:00Z"  # Tuesday
    assert state["followup_assignee"] == "our office manager"
    warned = log(client, auth, review_id, "followup_call", outcome="reached", note="Asked her to update her review.")
    assert "never ask" in warned.json["warnings"][0]
    assert log(client, auth, review_id, "resolved").json["state"]["stage"] == "resolved"


def test_business_days_follow_the_practices_calendar(client, auth, clock):
    client.put("/api/settings", headers=auth, json={"time_zone": "America/New_York"})
    clock.moment = datetime(2026, 11, 7, 1, 0, tzinfo=timezone.utc)  # Friday 20:00 in New York, Saturday in UTC
    review_id = add(client, auth, rating=1)
    log(client, auth, review_id, "viewed")
    clock.advance(hours=1)
    state = log(client, auth, review_id, "replied").json["state"]
    assert state["followup_due_at"] == "2026-11-11T02:00:00Z"  # Tuesday 21:00 in New York
    refused = client.put("/api/settings", headers=auth, json={"time_zone": "Mars/Olympus"})
    assert refused.status_code == 422 and "America/Chicago" in refused.json["message"]


def test_a_positive_review_needs_no_follow_up(client, auth, clock):
    review_id = add(client, auth, rating=5)
    log(client, auth, review_id, "viewed")
    clock.advance(minutes=31)
    assert log(client, auth, review_id, "replied").json["state"]["stage"] == "replied"


def test_bad_events_are_refused_clearly(client, auth, clock):
    review_id = add(client, auth)
    assert log(client, auth, review_id, "party").status_code == 400
    assert "ReviewDesk logs it itself" in log(client, auth, review_id, "review_updated").json["message"]
    assert log(client, auth, review_id, "followup_call").status_code == 400
    assert log(client, auth, review_id, "followup_call", outcome="maybe").status_code == 400
    future = log(client, auth, review_id, "drafted", at="2026-11-03T09:00:00Z")
    assert future.status_code == 400 and "future" in future.json["message"]
    assert log(client, auth, review_id, "drafted", at="2026-11-01T09:00:00Z").status_code == 200  # logged late: fine
    assert log(client, auth, review_id, "drafted", at="0001-01-01T00:30:00+01:00").status_code == 400
    # A view starts the cool-down, so it is stamped by the server: a back-dated view cannot shorten it.
    viewed = log(client, auth, review_id, "viewed", at="2026-11-01T09:00:00Z")
    assert viewed.json["state"]["first_viewed_at"] == "2026-11-02T09:00:00Z"
    assert log(client, auth, review_id, "replied").status_code == 409
    assert client.post("/api/reviews/999/events", headers=auth, json={"type": "viewed"}).status_code == 404
    assert client.post(f"/api/reviews/{2**64}/events", headers=auth, json={"type": "viewed"}).status_code == 404
    assert client.get(f"/api/contacts/{2**64}", headers=auth).status_code == 404


def test_ignored_reviews_are_not_overdue(client, auth, clock):
    review_id = add(client, auth)
    log(client, auth, review_id, "ignored")
    clock.advance(days=3)
    state = client.get(f"/api/reviews/{review_id}", headers=auth).json["state"]
    assert state["stage"] == "ignored" and state["overdue"] is False
    assert client.get("/api/stats", headers=auth).json["stats"]["replies"]["share_within_target"] is None


def test_a_posted_reply_that_breaks_the_policy_is_logged_with_a_warning(client, auth, clock):
    review_id = add(client, auth)
    log(client, auth, review_id, "viewed")
    clock.advance(hours=1)
    answer = log(client, auth, review_id, "replied", text="Dana, sorry about your visit.")
    assert answer.status_code == 200 and "names_reviewer" in answer.json["warnings"][0]


def card(rating: int, reply: str | None = None) -> str:
    reply_html = (f'<div class="CDe7pd"><span class="nM6d2c">Response from the owner</span> <span class="DZSIDd">a day ago</span>'
                  f'<div class="wiI7pd">{reply}</div></div>') if reply else ""
    return (f'<div class="jftiEf" aria-label="Dana Whitfield" data-review-id="rid-42"><div class="DU9Pgb">'
            f'<span class="kvMYJc" role="img" aria-label="{rating} stars"></span><span class="rsqaWe">a week ago</span></div>'
            f'<div class="MyEned" id="rid-42"><span class="wiI7pd">Long wait.</span></div>{reply_html}</div>')


def test_recapture_detects_a_reply_and_a_rating_change(client, auth, clock):
    url = "https://www.google.com/maps/place/Maple+Family+Dental/@30.2,-97.7,17z"
    first = client.post("/api/captures", headers=auth, json={"url": url, "html": card(1), "captured_at": "2026-11-02T09:00:00Z"}).json
    review_id = first["reviews"][0]["id"]
    log(client, auth, review_id, "viewed")
    clock.advance(days=3)
    client.post("/api/captures", headers=auth, json={"url": url, "html": card(1, "Thank you for the feedback."),
                                                     "captured_at": iso(clock.moment)})
    clock.advance(days=7)
    client.post("/api/captures", headers=auth, json={"url": url, "html": card(4, "Thank you for the feedback."),
                                                     "captured_at": iso(clock.moment)})
    detail = client.get(f"/api/reviews/{review_id}", headers=auth).json
    replied = [e for e in detail["events"] if e["type"] == "replied"]
    assert len(replied) == 1 and replied[0]["source"] == "capture"
    assert replied[0]["at"] == "2026-11-04T09:00:00Z"  # "a day ago" on Nov 5: at the latest the 4th
    updated = [e for e in detail["events"] if e["type"] == "review_updated" and "rating" in e["changes"]]
    assert updated[0]["changes"]["rating"] == {"old": 1, "new": 4}
    assert detail["state"]["replied_at"] == "2026-11-04T09:00:00Z" and detail["state"]["replied_before_cooldown"] is False


def iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def test_every_stat_on_a_hand_computed_log(client, auth, clock):
    # Review A (google, 1 star): viewed, replied 2 h after first seen, called (reached), resolved, updated to 4 stars.
    a = add(client, auth, rating=1, platform_review_id="a")
    # Review B (yelp, 5 stars): replied after 30 hours (outside the 24 h target).
    b = add(client, auth, rating=5, platform="yelp", platform_review_id="b", reviewer_name="Ava R.")
    # Review C (google, 3 stars): replied 1 h after first seen with an override; called twice (voicemail, unreachable).
    c = add(client, auth, rating=3, platform_review_id="c", reviewer_name="Noah Kim")
    # Review D (google, 4 stars): never replied, overdue.
    add(client, auth, rating=4, platform_review_id="d", reviewer_name="Mei Chen")
    for review_id in (a, b, c):
        log(client, auth, review_id, "viewed")
    clock.advance(hours=1)
    log(client, auth, c, "replied", override_reason="Owner insisted.")
    clock.advance(hours=1)
    log(client, auth, a, "replied")
    log(client, auth, a, "followup_call", outcome="reached")
    log(client, auth, c, "followup_call", outcome="voicemail")
    log(client, auth, c, "followup_call", outcome="unreachable")
    log(client, auth, a, "resolved")
    clock.advance(hours=28)
    log(client, auth, b, "replied")
    client.post("/api/reviews", headers=auth, json={"reviews": [
        {"platform": "google", "platform_review_id": "a", "reviewer_name": "Dana Whitfield", "rating": 4, "text": "Long wait."}]})
    stats = client.get("/api/stats?target=4", headers=auth).json["stats"]
    # Ratings now: google 4, 3, 4 and yelp 5.
    assert stats["ratings"]["overall"] == {"count": 4, "average": 4.0, "after_one_more_1_star": 3.4,
                                           "five_stars_to_reach_target": 0, "target": 4.0}
    assert stats["ratings"]["google"]["average"] == 3.67 and stats["ratings"]["google"]["five_stars_to_reach_target"] == 1
    replies = stats["replies"]
    assert replies["count"] == 3 and replies["median_hours_to_reply"] == 2.0 and replies["p90_hours_to_reply"] == 30.0
    assert replies["share_within_target"] == round(2 / 4, 3)  # A and C on time, B late, D overdue
    assert replies["before_cooldown"] == 1
    follow = stats["follow_ups"]
    assert (follow["needed"], follow["called"], follow["rate"]) == (2, 2, 1.0)
    assert follow["outcomes"] == {"reached": 1, "voicemail": 1, "unreachable": 1}
    assert (follow["resolved"], follow["not_resolved"], follow["resolution_rate"]) == (1, 0, 0.5)
    assert (follow["reviews_updated_after_follow_up"], follow["average_rating_change"]) == (1, 3.0)
    assert stats["stages"] == {"resolved": 1, "replied": 1, "follow_up": 1, "overdue": 1}


@pytest.mark.parametrize("ratings, target, after, needed", [
    ([5] * 50 + [1], 4.5, 4.85, 0), ([5, 5, 5, 5, 1], 4.5, 3.67, 3), ([1], 4.0, 1.0, 3), ([4, 4], 5.0, 3.0, None),
])
def test_rating_math(ratings, target, after, needed):
    math_ = rating_math(ratings, target)
    assert math_["after_one_more_1_star"] == after and math_["five_stars_to_reach_target"] == needed


def test_review_requests_follow_the_rules(app, client, auth, clock):
    client.put("/api/settings", headers=auth, json={"google_review_link": "https://g.page/r/maple/review",
                                                    "facebook_review_link": "https://www.facebook.com/maple/reviews"})
    contacts = ("Contact Id,First Name,Last Name,Email,Last Visit\n"
                "1,Ava,Reed,ava@example.com,2026-10-30\n"        # recent
                "2,Noah,Kim,noah@example.com,2026-10-01\n"       # not seen recently
                "3,Mei,Chen,mei@example.com,2026-10-25\n"        # recent, but will opt out
                "4,Luis,Ortega,luis@example.com,2026-10-28\n")   # recent, unhappy reviewer: still asked
    with Store.connect(app.config["DATABASE"]) as store:
        import_contacts(store, contacts.encode(), "c.csv", now=IMPORTED_AT)
    client.post("/api/reviews", headers=auth, json={"reviews": [{"platform": "google", "reviewer_name": "Luis Ortega", "rating": 1, "text": "Awful."}]})
    listing = client.get("/api/review-requests", headers=auth).json
    names = [c["name"] for c in listing["contacts"]]
    assert names == ["Ava Reed", "Luis Ortega", "Mei Chen"]
    assert set(listing["links"]) == {"google", "facebook"} and "Yelp" in listing["note"]
    mei = next(c for c in listing["contacts"] if c["name"] == "Mei Chen")
    client.post(f"/api/contacts/{mei['contact_id']}/opt-out", headers=auth, json={"opted_out": True})
    ava = next(c for c in listing["contacts"] if c["name"] == "Ava Reed")
    assert client.post("/api/review-requests/sent", headers=auth, json={"contact_ids": [ava["contact_id"]]}).json["marked"] == 1
    assert [c["name"] for c in client.get("/api/review-requests", headers=auth).json["contacts"]] == ["Luis Ortega"]
    clock.advance(days=91)  # the 90-day cap has passed; nobody has been seen in the last 14 days any more
    assert client.get("/api/review-requests", headers=auth).json["contacts"] == []
    exported = client.get("/api/review-requests?format=csv", headers=auth)
    assert exported.mimetype == "text/csv"
    header = next(csv.reader(io.StringIO(exported.get_data(as_text=True))))
    assert header == ["name", "phone", "email", "last_seen_at", "google_review_link", "facebook_review_link"]
    assert "yelp" not in exported.get_data(as_text=True).lower()


def test_settings_refuse_a_cool_down_under_fifteen_minutes(client, auth):
    refused = client.put("/api/settings", headers=auth, json={"cooldown_minutes": 10})
    assert refused.status_code == 422 and "never shorter than 15" in refused.json["message"]
    assert client.put("/api/settings", headers=auth, json={"cooldown_minutes": 45}).status_code == 200


def test_report_prints_the_figures(tmp_path):
    from click.testing import CliRunner

    from server.cli import cli

    data_dir = tmp_path / "d"
    app = create_app({"DATA_DIR": str(data_dir)})
    with Store.connect(app.config["DATABASE"]) as store:
        from parsers import Review

        ingest(store, [Review(platform="google", reviewer_name="Ann Lee", rating=5, text="Great"),
                       Review(platform="yelp", reviewer_name="Bo K.", rating=2, text="Slow")], IMPORTED_AT)
    result = CliRunner().invoke(cli, ["report", "--target", "4.5", "--data-dir", str(data_dir)])
    assert result.exit_code == 0, result.output
    assert "overall" in result.output and "3.5" in result.output and "Follow-ups" in result.output


def test_the_badge_counts_new_ready_and_overdue_reviews(client, auth, clock):
    first, second, third = (add(client, auth, platform_review_id=f"b{i}", reviewer_name=f"Reviewer {i}") for i in range(3))
    assert client.get("/api/reviews/attention", headers=auth).json == {"ok": True, "new": 3, "ready": 0, "overdue": 0, "total": 3}
    log(client, auth, first, "viewed")
    log(client, auth, second, "ignored")
    clock.advance(minutes=31)
    counts = client.get("/api/reviews/attention", headers=auth).json
    assert (counts["new"], counts["ready"], counts["overdue"], counts["total"]) == (1, 1, 0, 2)
    clock.advance(hours=24)
    counts = client.get("/api/reviews/attention", headers=auth).json
    assert (counts["new"], counts["ready"], counts["overdue"]) == (0, 0, 2)
    assert client.get(f"/api/reviews?ids={third},{first}", headers=auth).json["total"] == 2


def test_the_state_says_the_servers_moment_so_a_countdown_does_not_trust_the_browsers_clock(client, auth, clock):
    review_id = add(client, auth)
    log(client, auth, review_id, "viewed")
    clock.advance(minutes=10)
    state = client.get(f"/api/reviews/{review_id}", headers=auth).json["state"]
    assert state["as_of"] == "2026-11-02T09:10:00Z" and state["cooldown_ends_at"] == "2026-11-02T09:30:00Z"


def test_staff_can_overrule_the_triage_with_a_reason(client, auth):
    review_id = add(client, auth, text="My lawyer will hear about this long wait.")
    assert client.get(f"/api/reviews/{review_id}/suggestions", headers=auth).json["action"] == "escalate"
    refused = log(client, auth, review_id, "triage_changed", action="reply")
    assert refused.status_code == 400 and "reason" in refused.json["message"]
    assert log(client, auth, review_id, "triage_changed", action="shout", note="x").status_code == 400
    assert log(client, auth, review_id, "triage_changed", action="reply", note="The lawyer is a friend who recommended us.",
               staff="Maria").status_code == 200
    advice = client.get(f"/api/reviews/{review_id}/suggestions", headers=auth).json
    assert advice["action"] == "reply" and advice["triage"]["action"] == "escalate"
    assert advice["staff_decision"]["reason"] == "The lawyer is a friend who recommended us." and advice["suggestions"]
