"""Every refusal of the local server, in the one error shape, and the dashboard's session with CSRF."""

from __future__ import annotations

import re

import pytest

from server.web.app import create_app
from server.config import ConfigFile
from tests.conftest import review

EXTENSION = "chrome-extension://" + "abcdefghijklmnopabcdefghijklmnop"
FIREFOX_EXTENSION = "moz-extension://0b9f2c7e-3d4a-4f51-9a57-6e1f0c2d8b44"


def assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    body = response.get_json()
    assert body["ok"] is False and body["error"] == code
    assert isinstance(body["message"], str) and len(body["message"]) > 20
    return body


def test_api_without_token_is_401(client):
    body = assert_error(client.get("/api/reviews"), 401, "unauthorized")
    assert "reviewdesk token" in body["message"]


def test_api_with_wrong_token_is_401(client, token):
    assert_error(client.get("/api/reviews", headers={"Authorization": "Bearer " + token[:-2] + "xx"}), 401, "invalid_token")
    assert_error(client.get("/api/reviews", headers={"Authorization": token}), 401, "unauthorized")
    assert_error(client.get("/api/reviews", headers={"Authorization": "Basic " + token}), 401, "unauthorized")


def test_api_with_token_is_allowed(client, auth):
    answer = client.get("/api/health", headers=auth)
    assert answer.status_code == 200
    assert answer.json["ok"] is True and answer.json["database"]["ok"] is True
    assert answer.json["database"]["journal_mode"] == "wal"


@pytest.mark.parametrize("host", ["evil.example", "evil.example:5151", "127.0.0.1.evil.example", "192.168.1.20:5151", "",
                                  "localhost:5151@evil.example", "127.0.0.1:evil.example", "localhost:", "[::1", "localhost:5151:80"])
def test_foreign_host_is_403_over_http(live_server, host):
    answer = live_server.request("GET", "/api/health", headers={"Host": host})
    assert answer.status == 403
    assert answer.json["error"] == "forbidden_host"


@pytest.mark.parametrize("host", ["127.0.0.1:5151", "localhost:5151", "LOCALHOST", "[::1]:5151", "localhost."])
def test_loopback_hosts_are_allowed(client, auth, host):
    assert client.get("/api/health", headers={**auth, "Host": host}).status_code == 200


def test_web_page_preflight_is_refused_without_cors_headers(client):
    answer = client.options(
        "/api/reviews",
        headers={"Origin": "https://attacker.example", "Access-Control-Request-Method": "POST",
                 "Access-Control-Request-Headers": "authorization, content-type"},
    )
    assert_error(answer, 403, "forbidden_origin")
    assert "Access-Control-Allow-Origin" not in answer.headers


def test_web_page_request_is_refused_even_with_the_token(client, auth):
    answer = client.post("/api/reviews", headers={**auth, "Origin": "http://127.0.0.1:8000"}, json={"reviews": [review()]})
    assert_error(answer, 403, "forbidden_origin")
    assert client.get("/api/reviews", headers=auth).json["total"] == 0


def test_opaque_null_origin_is_refused(client, auth):
    assert_error(client.get("/api/reviews", headers={**auth, "Origin": "null"}), 403, "forbidden_origin")


@pytest.mark.parametrize("origin", [EXTENSION, FIREFOX_EXTENSION])
def test_extension_preflight_is_allowed_for_that_origin_only(client, origin):
    answer = client.options(
        "/api/reviews",
        headers={"Origin": origin, "Access-Control-Request-Method": "POST",
                 "Access-Control-Request-Headers": "authorization, content-type"},
    )
    assert answer.status_code == 200
    assert answer.headers["Access-Control-Allow-Origin"] == origin
    assert "authorization" in answer.headers["Access-Control-Allow-Headers"].lower()
    assert "Access-Control-Allow-Credentials" not in answer.headers


def test_extension_request_gets_cors_headers_even_on_errors(client, auth):
    ok = client.get("/api/reviews", headers={**auth, "Origin": EXTENSION})
    assert ok.status_code == 200 and ok.headers["Access-Control-Allow-Origin"] == EXTENSION
    refused = client.get("/api/reviews", headers={"Origin": EXTENSION})
    assert refused.status_code == 401 and refused.headers["Access-Control-Allow-Origin"] == EXTENSION


def test_extension_allow_list_refuses_other_extensions(data_dir):
    allowed_id = "ponmlkjihgfedcbaponmlkjihgfedcba"
    app = create_app({"TESTING": True, "DATA_DIR": str(data_dir), "EXTENSION_IDS": [allowed_id]})
    client = app.test_client()
    preflight = {"Access-Control-Request-Method": "GET"}
    assert client.options("/api/reviews", headers={"Origin": f"chrome-extension://{allowed_id}", **preflight}).status_code == 200
    assert_error(client.options("/api/reviews", headers={"Origin": EXTENSION, **preflight}), 403, "forbidden_origin")


def test_forty_megabyte_capture_is_refused_with_413(live_server):
    body = b'{"reviews": [{"text": "' + b"x" * (40 * 1024 * 1024) + b'"}]}'
    answer = live_server.request("POST", "/api/reviews", body, {"Content-Type": "application/json"})
    assert answer.status == 413
    assert answer.json["error"] == "payload_too_large"
    assert "10 MB" in answer.json["message"]


def test_malformed_json_is_400(client, auth):
    body = assert_error(client.post("/api/reviews", headers=auth, data='{"reviews": [', content_type="application/json"), 400, "bad_json")
    assert "not valid JSON" in body["message"]
    assert_error(client.post("/api/reviews", headers=auth, data=b"\xff\xfe{}", content_type="application/json"), 400, "bad_json")
    assert_error(client.post("/api/reviews", headers=auth, data="", content_type="application/json"), 400, "bad_json")


def test_non_json_body_is_415(client, auth):
    assert_error(client.post("/api/reviews", headers=auth, data="reviews=1", content_type="application/x-www-form-urlencoded"), 415, "unsupported_media_type")


def test_unknown_path_and_wrong_method_use_the_error_shape(client, auth):
    assert_error(client.get("/api/nothing-here", headers=auth), 404, "not_found")
    assert_error(client.delete("/api/reviews", headers=auth), 405, "method_not_allowed")


def test_unexpected_failure_is_500_without_a_traceback(app, auth):
    def explode():
        raise RuntimeError("secret internal detail at /home/someone/db")

    app.add_url_rule("/api/explode", "explode", explode)
    answer = app.test_client().get("/api/explode", headers=auth)
    body = assert_error(answer, 500, "internal_error")
    text = answer.get_data(as_text=True)
    assert "Traceback" not in text and "secret internal detail" not in text and "RuntimeError" not in text
    assert "Try again" in body["message"]


def test_every_response_is_nosniff_and_html_has_a_strict_csp(client, auth):
    for response in (client.get("/api/health", headers=auth), client.get("/api/reviews"), client.get("/login")):
        assert response.headers["X-Content-Type-Options"] == "nosniff"
    page = client.get("/login")
    csp = page.headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp


# -- the dashboard's session --------------------------------------------------------------------


def login(client, token: str):
    page = client.get("/login")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True)).group(1)
    return client.post("/login", data={"token": token, "csrf_token": csrf})


def csrf_of(client) -> str:
    page = client.get("/").get_data(as_text=True)
    return re.search(r'<meta name="csrf-token" content="([^"]+)"', page).group(1)


def test_dashboard_redirects_to_sign_in(client):
    answer = client.get("/")
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/login")


def test_sign_in_with_a_wrong_token_is_refused(client):
    answer = login(client, "not-the-token")
    assert answer.status_code == 401
    assert "reviewdesk token" in answer.get_data(as_text=True)
    assert client.get("/api/reviews").status_code == 401


def test_sign_in_form_needs_its_csrf_token(client, token):
    assert_error(client.post("/login", data={"token": token}), 403, "csrf_failed")


def test_session_reads_same_origin_and_writes_only_with_csrf(client, token):
    assert login(client, token).status_code == 302
    cookie = client.get_cookie("reviewdesk_session")
    assert cookie.http_only and cookie.same_site == "Strict"

    assert client.get("/api/reviews").status_code == 200
    assert_error(client.post("/api/reviews", json={"reviews": [review()]}), 403, "csrf_failed")
    assert_error(client.post("/api/reviews", json={"reviews": [review()]}, headers={"X-CSRF-Token": "forged"}), 403, "csrf_failed")
    answer = client.post("/api/reviews", json={"reviews": [review()]}, headers={"X-CSRF-Token": csrf_of(client)})
    assert answer.status_code == 200 and answer.json["created"] == 1


def test_session_refuses_cross_site_fetches(client, token):
    login(client, token)
    assert_error(client.get("/api/reviews", headers={"Sec-Fetch-Site": "cross-site"}), 403, "forbidden_origin")
    assert_error(client.get("/api/reviews", headers={"Sec-Fetch-Site": "same-site"}), 403, "forbidden_origin")
    assert_error(client.get("/api/reviews", headers={"Origin": "http://localhost:3000"}), 403, "forbidden_origin")


def test_rotating_the_token_ends_sessions_and_old_tokens(app, client, token, data_dir):
    login(client, token)
    assert client.get("/api/reviews").status_code == 200
    new = ConfigFile(data_dir).rotate_token()  # what `reviewdesk token --rotate` does, while the server runs
    assert client.get("/api/reviews").status_code == 401
    assert client.get("/api/reviews", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert client.get("/api/reviews", headers={"Authorization": f"Bearer {new}"}).status_code == 200


def test_sign_out_ends_the_session(client, token):
    login(client, token)
    csrf = csrf_of(client)
    assert client.post("/logout", data={"csrf_token": csrf}).status_code == 302
    assert client.get("/api/reviews").status_code == 401


def test_a_copy_of_the_cookie_taken_before_sign_out_no_longer_works(app, client, token):
    """Sessions live on the server: signing out ends the session, not just the browser's copy of it."""
    login(client, token)
    copied = client.get_cookie("reviewdesk_session").value
    assert client.post("/logout", data={"csrf_token": csrf_of(client)}).status_code == 302
    thief = app.test_client()
    thief.set_cookie("reviewdesk_session", copied)
    assert_error(thief.get("/api/reviews"), 401, "unauthorized")
    assert thief.get("/").status_code == 302  # back to the sign-in page


def test_rotating_the_token_from_the_dashboard_ends_every_other_session(app, client, token):
    login(client, token)
    other = app.test_client()
    login(other, token)
    assert other.get("/api/reviews").status_code == 200
    rotated = client.post("/api/pairing/rotate", headers={"X-CSRF-Token": csrf_of(client)})
    assert rotated.status_code == 200, rotated.json
    assert client.get("/api/reviews").status_code == 200  # this one goes on
    assert_error(other.get("/api/reviews"), 401, "unauthorized")


def test_the_database_keeps_no_cookie_that_works(app, client, token):
    import sqlite3

    login(client, token)
    with sqlite3.connect(app.config["DATABASE"]) as db:
        kept = [row[0] for row in db.execute("SELECT id_hash FROM dashboard_sessions")]
    assert len(kept) == 1 and client.get_cookie("reviewdesk_session").value not in kept[0]


def test_data_folder_and_config_are_made_owner_only_at_start(data_dir, caplog):
    import os
    import stat

    create_app({"TESTING": True, "DATA_DIR": str(data_dir)})
    os.chmod(data_dir, 0o755)
    os.chmod(data_dir / "config.json", 0o644)
    with caplog.at_level("WARNING"):
        create_app({"TESTING": True, "DATA_DIR": str(data_dir)})
    assert stat.S_IMODE(os.stat(data_dir).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(data_dir / "config.json").st_mode) == 0o600
    assert sum("open to other users" in record.getMessage() for record in caplog.records) == 2


def test_every_write_of_a_signed_in_session_needs_the_csrf_token(app, client, token):
    """Every route that changes something (the API's and the dashboard's forms), found in the app itself:
    a signed-in session without the page's CSRF token, or with a forged one, changes nothing."""
    login(client, token)
    stored = client.post("/api/reviews", json={"reviews": [review()]}, headers={"X-CSRF-Token": csrf_of(client)}).json
    writes = sorted(
        (method, re.sub(r"<[^>]+>", "1", rule.rule))
        for rule in app.url_map.iter_rules()
        for method in rule.methods & {"POST", "PUT", "PATCH", "DELETE"}
    )
    assert len(writes) >= 10, writes
    for method, path in writes:
        for headers in ({}, {"X-CSRF-Token": "forged"}):
            answer = client.open(path, method=method, json={}, headers=headers)
            assert_error(answer, 403, "csrf_failed")
    assert client.get("/api/reviews").json["total"] == 1 and stored["created"] == 1
    assert [event["type"] for event in client.get(f"/api/reviews/{stored['review_ids'][0]}").json["events"]] == []
