"""No input gets a 500: every JSON route of the API, driven with generated bodies (Hypothesis) and with the
bodies a hostile probe sent, answers 2xx or 4xx, and every 4xx in the one error shape."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from server.storage import Store
from server.contacts.importing import import_contacts
from tests.conftest import review

JSON_ROUTES = ("/api/reviews", "/api/captures", "/api/reviews/1/match", "/api/replies/check", "/api/settings",
               "/api/reviews/1/events", "/api/review-requests/sent", "/api/contacts/1/opt-out")
METHOD = {"/api/settings": "PUT"}
SEARCHES = (("/api/reviews", "q"), ("/api/contacts", "q"), ("/api/follow-ups", "assignee"))

# Values a probe would try in any field: the edges of each JSON type, dates a datetime cannot hold, control characters.
EDGE_VALUES = st.sampled_from([
    None, True, False, 0, -1, 2**63, -(2**63) - 1, 10**29, 1e308, -1e308, 5e-324, 0.5, "", " ", "\x00", "\u2028",
    "9999-12-31T23:59:59-23:59", "0001-01-01T00:00:00+23:59", "0000-00-00", "2026-02-30", "99999-01-01",
    "javascript:alert(1)", "file:///etc/passwd", "=HYPERLINK(\"x\")", "A" * 5000, "<style>" * 100,
    "google", "yelp", "facebook", "replied", "escalate", "confirm", "reject", "genuine",
])
KEYS = st.sampled_from(["reviews", "url", "html", "captured_at", "lang", "platform", "reviewer_name", "text", "rating",
                        "recommends", "created_at", "owner_reply", "reply", "review", "settings", "type", "at", "note",
                        "override_reason", "staff", "contact_id", "decision", "contact_ids", "opted_out", "action",
                        "category", "outcome", "assignee", "practice_name", "office_phones", "time_zone", "cooldown_minutes"])
JSON_VALUES = st.recursive(
    st.one_of(EDGE_VALUES, st.integers(), st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=40)),
    lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(KEYS, children, max_size=6)),
    max_leaves=20,
)
BODIES = st.dictionaries(KEYS, JSON_VALUES, max_size=8)


@pytest.fixture
def stored(app, auth, client):
    """A review (id 1) and a contact (id 1) for the routes that name one."""
    assert client.post("/api/reviews", json={"reviews": [review()]}, headers=auth).status_code == 200
    with Store.connect(app.config["DATABASE"]) as store:
        import_contacts(store, b"First Name,Last Name\nAva,Reed\n", "contacts.csv", now=datetime.now(timezone.utc))
    return app


def assert_answered_in_shape(answer) -> None:
    assert answer.status_code < 500, answer.get_data(as_text=True)[:500]
    if answer.status_code >= 400:
        body = answer.get_json()
        assert body["ok"] is False and isinstance(body["error"], str) and len(body["message"]) > 10


def send(client, auth, route: str, body: str):
    return client.open(route, method=METHOD.get(route, "POST"), data=body, content_type="application/json", headers=auth)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(route=st.sampled_from(JSON_ROUTES), body=st.one_of(BODIES, JSON_VALUES))
def test_generated_bodies_never_get_a_500(stored, client, auth, route, body):
    """Objects with the API's field names and edge values in them, and bodies that are no object at all."""
    assert_answered_in_shape(send(client, auth, route, json.dumps(body)))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(search=st.sampled_from(SEARCHES), text=st.text(max_size=60))
def test_any_search_text_gets_an_answer(stored, client, auth, search, text):
    path, parameter = search
    assert_answered_in_shape(client.get(path, query_string={parameter: text}, headers=auth))


RAW_BODIES = {
    "nested 1,000 deep": "[" * 1000 + "]" * 1000,
    "nested 100,000 deep": '{"reviews":' + "[" * 100_000 + "]" * 100_000 + "}",
    "an integer past Python's digit limit": '{"reviews": [{"platform": "google", "reviewer_name": "A", "text": "x", "rating": '
                                            + "9" * 5000 + "}]}",
    "NaN stars": '{"reviews": [{"platform": "google", "reviewer_name": "A", "text": "x", "rating": NaN}]}',
    "Infinity stars": '{"reviews": [{"platform": "google", "reviewer_name": "A", "text": "x", "rating": -Infinity}]}',
    "1e400 stars": '{"reviews": [{"platform": "google", "reviewer_name": "A", "text": "x", "rating": 1e400}]}',
    "a lone surrogate in a name": '{"reviews": [{"platform": "google", "reviewer_name": "\\ud800", "text": "x"}]}',
    "a lone surrogate in a key": '{"\\udfff": 1}',
    "a lone surrogate in a reply": '{"reply": "Thanks \\udc00", "review": {}}',
}


@pytest.mark.parametrize("route", JSON_ROUTES)
@pytest.mark.parametrize("what", list(RAW_BODIES))
def test_json_that_nothing_could_store_is_a_400(stored, client, auth, route, what):
    answer = send(client, auth, route, RAW_BODIES[what])
    assert_answered_in_shape(answer)
    assert answer.status_code == 400 and answer.get_json()["error"] == "bad_json"


@pytest.mark.parametrize("moment", ["9999-12-31T23:59:59-23:59", "0001-01-01T00:00:00+23:59", "2026-13-01T00:00:00Z"])
def test_dates_out_of_range_are_refused_not_500(stored, client, auth, moment):
    for route, body in (("/api/reviews", {"reviews": [{**review(), "created_at": moment}]}),
                        ("/api/captures", {"url": "https://www.google.com/maps/place/x", "html": "<div></div>", "captured_at": moment}),
                        ("/api/reviews/1/events", {"type": "escalated", "at": moment, "note": "to the manager"})):
        answer = client.post(route, json=body, headers=auth)
        assert_answered_in_shape(answer)
        assert answer.status_code in (400, 422)


@pytest.mark.parametrize("text", ["a\x00b", "x" * 50_000, "\x1b[31m"])
def test_odd_search_text_is_a_400(stored, client, auth, text):
    for path in ("/api/reviews", "/api/contacts"):
        answer = client.get(path, query_string={"q": text}, headers=auth)
        assert_answered_in_shape(answer)
        assert answer.status_code == 400 and answer.get_json()["error"] == "invalid_parameter"
