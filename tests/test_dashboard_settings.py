"""The dashboard's settings page (/settings): the form's description from the settings table, saving,
refused values named by setting, and the pairing token that only the signed-in dashboard may see or rotate."""

from __future__ import annotations

import re

import pytest

from server.settings import SECTIONS, SETTINGS
from tests.test_security import csrf_of, login


@pytest.fixture
def signed_in(client, token):
    """The test client signed in to the dashboard; returns the headers of its API writes (the CSRF token)."""
    login(client, token)
    return {"X-CSRF-Token": csrf_of(client)}


def test_the_settings_page_needs_a_session_and_loads_its_script_under_the_strict_policy(client, token):
    assert client.get("/settings").headers["Location"].endswith("/login")
    login(client, token)
    answer = client.get("/settings")
    html = answer.get_data(as_text=True)
    assert answer.status_code == 200 and "script-src 'self'" in answer.headers["Content-Security-Policy"]
    assert '<script type="module" src="/static/settings.js"></script>' in html
    assert '<link rel="stylesheet" href="/static/settings.css">' in html
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html) and "style=" not in html
    assert token not in html  # the token comes from the API when the page asks, never in the page's source
    script = client.get("/static/settings.js").get_data(as_text=True)
    assert "innerHTML" not in script and 'from "./page.js"' in script


def test_the_form_is_described_by_the_settings_table(client, signed_in):
    body = client.get("/api/settings").json
    fields = {field["name"]: field for field in body["fields"]}
    assert [field["name"] for field in body["fields"]] == [setting.name for setting in SETTINGS]
    assert [section["name"] for section in body["sections"]] == list(SECTIONS)
    for setting in SETTINGS:
        field = fields[setting.name]
        assert (field["default"], field["help"], field["label"]) == (setting.default, setting.help, setting.label)
        assert field["section"] in SECTIONS and body["settings"][setting.name] == setting.default
    assert {key: fields["cooldown_minutes"][key] for key in ("kind", "min", "max", "step")} == {
        "kind": "number", "min": 15, "max": 1440, "step": 1}
    assert fields["rating_target"]["min"] == 1 and fields["rating_target"]["max"] == 5
    assert fields["suggest_positive"]["kind"] == "yes_no" and fields["staff_names"]["kind"] == "list"
    assert fields["google_review_link"]["kind"] == "link"
    zone = fields["time_zone"]
    assert zone["kind"] == "time_zone" and "America/Chicago" in zone["choices"] and "UTC" in zone["choices"]
    assert "posixrules" not in zone["choices"] and zone["local"]


def test_saving_changed_values_keeps_the_others(client, signed_in):
    client.put("/api/settings", json={"contact_role": "our practice manager"}, headers=signed_in)
    answer = client.put("/api/settings", json={"practice_name": "  Maple Family Dental ", "cooldown_minutes": 45,
                                               "staff_names": ["Dr. Lee", "Karen"]}, headers=signed_in)
    assert answer.status_code == 200
    settings = client.get("/api/settings").json["settings"]
    assert settings["practice_name"] == "Maple Family Dental" and settings["cooldown_minutes"] == 45
    assert settings["staff_names"] == ["Dr. Lee", "Karen"] and settings["contact_role"] == "our practice manager"


def test_a_write_without_the_csrf_token_is_refused(client, signed_in):
    answer = client.put("/api/settings", json={"practice_name": "Evil"})
    assert answer.status_code == 403 and answer.json["error"] == "csrf_failed"
    assert client.get("/api/settings").json["settings"]["practice_name"] == ""


def test_refused_values_name_each_setting_and_nothing_is_saved(client, signed_in):
    answer = client.put("/api/settings", json={"practice_name": "Maple", "cooldown_minutes": 5,
                                               "office_emails": ["front desk"]}, headers=signed_in)
    assert answer.status_code == 422 and answer.json["error"] == "invalid_value"
    assert "never shorter than 15" in answer.json["message"] and "Nothing was saved" in answer.json["message"]
    refused = {detail["field"]: detail["message"] for detail in answer.json["details"]}
    assert set(refused) == {"cooldown_minutes", "office_emails"}
    assert refused["cooldown_minutes"].startswith("Cool-down before replying (minutes) must be a whole number from 15 to 1440")
    assert refused["office_emails"] == "Office e-mail addresses: 'front desk' is not a valid e-mail address."
    assert client.get("/api/settings").json["settings"]["practice_name"] == ""


def test_the_signed_in_dashboard_sees_the_token_and_the_server_address(client, signed_in, token):
    body = client.get("/api/pairing").json
    assert body == {"ok": True, "token": token, "server": "http://localhost"}  # the address the browser used


@pytest.mark.parametrize("method, path", [("GET", "/api/pairing"), ("POST", "/api/pairing/rotate")])
def test_the_toolbar_token_cannot_read_or_rotate_the_token(client, auth, token, method, path):
    answer = client.open(path, method=method, headers=auth)
    assert answer.status_code == 403 and answer.json["error"] == "dashboard_only"
    assert "dashboard" in answer.json["message"] and token not in answer.get_data(as_text=True)
    assert client.get("/api/reviews", headers=auth).status_code == 200  # the token still works: nothing rotated


@pytest.mark.parametrize("method, path", [("GET", "/api/pairing"), ("POST", "/api/pairing/rotate")])
def test_the_pairing_routes_need_the_dashboard_session(client, signed_in, auth, token, method, path):
    """Without a session (another client), with the session plus a Bearer header, or from another origin: refused."""
    outsider = client.application.test_client()
    assert outsider.open(path, method=method).status_code == 401
    both = client.open(path, method=method, headers={**signed_in, **auth})
    assert both.status_code == 403 and both.json["error"] == "dashboard_only"
    foreign = client.open(path, method=method, headers={**signed_in, "Origin": "https://coupons.example"})
    assert foreign.status_code == 403 and token not in foreign.get_data(as_text=True)
    # The toolbar's own pages may use the API, but never read the token through the dashboard's session.
    toolbar = client.open(path, method=method, headers={**signed_in, "Origin": "chrome-extension://" + "abcdefghijklmnop" * 2})
    assert toolbar.status_code == 403 and toolbar.json["error"] == "dashboard_only"
    typed = client.open(path, method=method, headers={**signed_in, "Sec-Fetch-Site": "none"})
    assert typed.status_code == 403 and token not in typed.get_data(as_text=True)
    assert client.get("/api/pairing").json["token"] == token


def test_rotating_keeps_this_session_and_ends_the_old_token_and_other_sessions(client, signed_in, token, auth):
    other = client.application.test_client()
    login(other, token)
    assert other.get("/api/reviews").status_code == 200
    assert client.post("/api/pairing/rotate").status_code == 403  # a write needs the page's CSRF token

    answer = client.post("/api/pairing/rotate", headers=signed_in)
    assert answer.status_code == 200
    new = answer.json["token"]
    assert new != token and len(new) >= 32
    assert client.get("/api/pairing").json["token"] == new  # this session goes on, with the same CSRF token
    assert client.put("/api/settings", json={"practice_name": "Maple"}, headers=signed_in).status_code == 200
    assert client.get("/settings").status_code == 200

    assert client.get("/api/reviews", headers=auth).status_code == 401  # the toolbar's old token
    assert client.get("/api/reviews", headers={"Authorization": f"Bearer {new}"}).status_code == 200
    assert other.get("/api/reviews").status_code == 401  # another dashboard session
    assert other.get("/settings").headers["Location"].endswith("/login")
    assert client.application.extensions["reviewdesk.config_file"].load()["token"] == new  # kept in config.json
