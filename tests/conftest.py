"""Shared fixtures: an app on a temporary data directory, its test client, the real server over HTTP,
``reviewdesk serve`` as a real process, and the reply checker loaded once."""

from __future__ import annotations

import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
import waitress

from server.web.app import create_app


@pytest.fixture(scope="session", autouse=True)
def cache_dir(tmp_path_factory):
    """The derived tables ReviewDesk caches go in a folder of this test run, not the user's cache (servers started
    by the tests inherit it)."""
    folder = tmp_path_factory.mktemp("cache")
    previous = os.environ.get("REVIEWDESK_CACHE_DIR")
    os.environ["REVIEWDESK_CACHE_DIR"] = str(folder)
    yield folder
    if previous is None:
        os.environ.pop("REVIEWDESK_CACHE_DIR", None)
    else:
        os.environ["REVIEWDESK_CACHE_DIR"] = previous


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


@pytest.fixture
def live_server(app, token):
    server = waitress.create_server(app, host="127.0.0.1", port=0, threads=8, max_request_body_size=8 * app.config["MAX_CONTENT_LENGTH"])
    thread = threading.Thread(target=server.run, name="waitress-loop", daemon=True)
    thread.start()
    try:
        yield LiveServer(app, server.effective_port, token)
    finally:
        stop_waitress(server, thread)


def stop_waitress(server, thread: threading.Thread) -> None:
    """Stop a waitress server running ``server.run()`` in ``thread``, at once and without a race.

    Closing its sockets from this thread while the loop selects on them fails ("bad file descriptor"),
    and the loop only notices a closed server after its 1 s select timeout. Instead: let the request
    threads finish and stop them (as waitress's own ``close()`` does first), then have the loop's own
    thread empty its socket map through the trigger (the trigger's pipe wakes the select at once), so
    ``run()`` returns; only then close the channels, the listening socket and the trigger's pipe.
    The pipe stays open until the loop has returned: the loop may run the callable before
    ``pull_trigger`` has written its wake-up byte.
    """
    server.task_dispatcher.shutdown(timeout=5)
    server.trigger.pull_trigger(server._map.clear)
    thread.join(timeout=5)
    if thread.is_alive():
        pytest.fail("waitress did not stop within 5 s")
    for channel in list(server.active_channels.values()):
        channel.handle_close()  # also closes its buffers (large bodies spool to temporary files)
    server.close()  # the listening socket and the trigger


class Clock:
    """The server's clock (``app.config["CLOCK"]``), moved on by a test instead of sleeping."""

    def __init__(self, moment: datetime | None = None):
        self.moment = moment or datetime.now(timezone.utc)

    def __call__(self) -> datetime:
        return self.moment

    def advance(self, **delta) -> None:
        self.moment += timedelta(**delta)


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


def reviewdesk_command() -> list[str]:
    script = Path(sys.executable).with_name("reviewdesk")
    return [str(script)] if script.exists() else [sys.executable, "-m", "server.cli"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ServeProcess:
    """``reviewdesk serve`` as a user starts it: a real process, on a free port, with its own data folder."""

    def __init__(self) -> None:
        self.data_dir = Path(tempfile.mkdtemp(prefix="reviewdesk-served-"))
        self.port = free_port()
        self.process = subprocess.Popen(
            [*reviewdesk_command(), "serve", "--port", str(self.port), "--data-dir", str(self.data_dir)],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )
        self._lines: list[str] | None = None

    def startup_lines(self) -> list[str]:
        """What it printed on starting, up to "Press Ctrl+C"."""
        if self._lines is None:
            self._lines = []
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                line = self.process.stdout.readline()
                if not line:
                    break
                self._lines.append(line.rstrip("\n"))
                if line.startswith("Press Ctrl+C"):
                    break
        return self._lines

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.process.stdout.close()
        shutil.rmtree(self.data_dir, ignore_errors=True)


SERVE_PROCESS = pytest.StashKey[ServeProcess]()


def pytest_collection_finish(session):
    """Start ``reviewdesk serve`` as soon as the tests are collected, if a selected test uses it: after
    starting, the server spends several seconds loading the reply checker's vocabularies before its
    health check reports the checker ready, and it can do that on another CPU while earlier tests run."""
    if session.config.option.collectonly:
        return
    if any("served" in getattr(item, "fixturenames", ()) for item in session.items):
        session.config.stash[SERVE_PROCESS] = ServeProcess()


def pytest_sessionfinish(session):
    if (serve := session.config.stash.get(SERVE_PROCESS, None)) is not None:
        serve.stop()  # also when no test got to use it (-x, Ctrl+C)


@pytest.fixture(scope="session")
def served(request):
    """``reviewdesk serve`` running as a real process; yields (port, printed lines, data dir)."""
    serve = request.config.stash.get(SERVE_PROCESS, None)
    if serve is None:
        serve = request.config.stash[SERVE_PROCESS] = ServeProcess()
    yield serve.port, serve.startup_lines(), serve.data_dir
    serve.stop()


@pytest.fixture(scope="session")
def reply_checker():
    """The reply checker, ready: its vocabularies (ICD-10-CM conditions, 100,000 drug names) take several
    seconds to build, once per process. Tests that check replies (directly, or through the API or the
    workflow) use this fixture, so the cost is paid once per session, here, and not inside whichever
    test happens to check a reply first."""
    from server.replies import vocabulary
    from server.replies.policy import check

    vocabulary.warm_up()  # what ``reviewdesk serve`` runs at start
    check("Thank you for your feedback.")  # and the sentiment lexicon the tone rule reads


@pytest.fixture(scope="session")
def profanity_model():
    """Triage's profanity model (scikit-learn): a couple of seconds to load, once per session."""
    from profanity_check import predict_prob

    predict_prob(["warm up"])


@pytest.fixture(scope="session")
def playwright_driver():
    """One Playwright driver for the whole session, shared by every browser the tests launch (the sync
    API allows one running driver per thread)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_driver):
    """Debian's Chromium driven by Playwright (Playwright's own browser download does not work here)."""
    from tests.browser import LAUNCH_ARGS, chromium_path, why_missing

    path = chromium_path()
    if path is None:
        pytest.skip(why_missing())
    launched = playwright_driver.chromium.launch(executable_path=path, headless=True, args=LAUNCH_ARGS)
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
