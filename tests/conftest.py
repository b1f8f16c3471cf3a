"""Shared fixtures: an app on a temporary data directory, its test client, and the real server over HTTP."""

from __future__ import annotations

import http.client
import json
import threading
from dataclasses import dataclass
from typing import Any

import pytest
import waitress

from server.web.app import create_app


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    # Never touch the user's real data directory, whatever the environment says.
    monkeypatch.delenv("REVIEWDESK_DATA_DIR", raising=False)
    path = tmp_path / "data"
    return path


@pytest.fixture
def app(data_dir):
    return create_app({"TESTING": True, "DATA_DIR": str(data_dir)})


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def token(app):
    return app.extensions["reviewdesk.config_file"].token()


@pytest.fixture
def auth(token):
    return {"Authorization": f"Bearer {token}"}


@dataclass
class HttpResponse:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class LiveServer:
    """The ReviewDesk app served by waitress on 127.0.0.1, as ``reviewdesk serve`` does."""

    app: Any
    port: int
    token: str

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def request(self, method: str, path: str, body: Any = None, headers: dict | None = None, *, authorised: bool = True) -> HttpResponse:
        sent_headers = {"Host": f"127.0.0.1:{self.port}"}
        if authorised:
            sent_headers["Authorization"] = f"Bearer {self.token}"
        if body is not None and not isinstance(body, (bytes, str)):
            body = json.dumps(body)
            sent_headers["Content-Type"] = "application/json"
        sent_headers.update(headers or {})
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            connection.request(method, path, body=body, headers=sent_headers)
            response = connection.getresponse()
            return HttpResponse(response.status, response.headers, response.read())
        finally:
            connection.close()


def _stop_in_loop_thread(server) -> None:
    """Close every channel, the listening socket and the trigger. Run in waitress's own loop thread
    (through its trigger), so the loop never selects on a socket another thread has closed; with its
    socket map empty, ``server.run()`` returns."""
    socket_map = server._map
    for channel in list(server.active_channels.values()):
        channel.handle_close()  # also closes the channel's buffers (large bodies spool to temporary files)
    server.close()  # the listening socket and the trigger
    for leftover in list(socket_map.values()):
        leftover.close()
    socket_map.clear()


@pytest.fixture
def live_server(app, token):
    server = waitress.create_server(app, host="127.0.0.1", port=0, threads=8, max_request_body_size=8 * app.config["MAX_CONTENT_LENGTH"])
    thread = threading.Thread(target=server.run, name="waitress-loop", daemon=True)
    thread.start()
    try:
        yield LiveServer(app, server.effective_port, token)
    finally:
        # As waitress's own close(): let the request threads finish and stop them, then close the
        # sockets. The trigger wakes the loop at once, so teardown does not wait out its 1 s select.
        server.task_dispatcher.shutdown(timeout=5)
        if thread.is_alive():
            server.trigger.pull_trigger(lambda: _stop_in_loop_thread(server))
            thread.join(timeout=5)
        if thread.is_alive():
            pytest.fail("the waitress loop did not stop within 5 s")
        if server._map:  # the loop thread died early: nothing selects any more, close from here
            _stop_in_loop_thread(server)


def review(**fields) -> dict:
    """A valid review for POST /api/reviews, with made-up content."""
    base = {
        "platform": "google",
        "platform_review_id": "ChdDSUhNMG9nS0VJQ0FnSURfcmV2aWV3MQ",
        "reviewer_name": "Dana Whitfield",
        "rating": 2,
        "text": "Waited a long time at the front desk.",
        "date_text": "a week ago",
    }
    base.update(fields)
    return {k: v for k, v in base.items() if v is not ...}


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (Playwright's own browser download does not work here)."""
    from tests.browser import LAUNCH_ARGS, chromium_path, why_missing

    path = chromium_path()
    if path is None:
        pytest.skip(why_missing())
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=path, headless=True, args=LAUNCH_ARGS)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    opened = context.new_page()
    try:
        yield opened
    finally:
        context.close()
