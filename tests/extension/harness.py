"""What the toolbar's end-to-end tests (and benchmarks/capture_to_panel.py) share: the real server in this
process on a temporary data folder with a clock the test moves, the synthetic fixture pages at their real
addresses, and Chromium with the unpacked extension loaded.

No test here sleeps to let time pass: the server's clock is a ``ControlledClock`` (real time plus an
offset the test advances), so a cool-down of 30 minutes ends the moment the test says so, while the
browser's own clock (``captured_at``) stays close to the server's.
"""

from __future__ import annotations

import http.client
import json
import re
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable
from urllib.parse import urldefrag

import waitress

from server.web.app import create_app

ROOT = Path(__file__).resolve().parents[2]
EXTENSION_DIR = ROOT / "extension"
FIXTURES = ROOT / "tests" / "parsers" / "fixtures"

# Hosts whose pages the content scripts read, and hosts of the images and scripts those pages load:
# on this closed network the latter are answered at once (empty) instead of waiting for DNS.
# Lines for the end of the test run (screenshot folders), printed by tests/extension/conftest.py.
REPORT_LINES: list[str] = []

SUBRESOURCE_HOSTS = ("*.googleusercontent.com", "*.gstatic.com", "*.yelpcdn.com", "*.fbcdn.net", "*.ggpht.com")


class ControlledClock:
    """The server's clock: real time plus an offset that only the test moves (``advance``)."""

    def __init__(self) -> None:
        self.offset = timedelta(0)

    def __call__(self) -> datetime:
        return datetime.now(timezone.utc) + self.offset

    def advance(self, **delta: float) -> None:
        self.offset += timedelta(**delta)


@dataclass
class Response:
    status: int
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body)


class InProcessServer:
    """ReviewDesk's real app served by waitress on 127.0.0.1 in a thread of this process, as
    ``reviewdesk serve`` does; it can be stopped and started again on the same port and data folder."""

    def __init__(self, data_dir: Path, clock: Callable[[], datetime] | None = None, wrap: Callable | None = None) -> None:
        self.data_dir = Path(data_dir)
        self.clock = clock
        self.wrap = wrap  # a WSGI middleware around the app (benchmarks time requests with it)
        self.port = 0
        self.app = None
        self._server = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def running(self) -> bool:
        return self._server is not None

    @property
    def token(self) -> str:
        return self.app.extensions["reviewdesk.config_file"].token()

    def start(self) -> "InProcessServer":
        config = {"TESTING": True, "DATA_DIR": str(self.data_dir)}
        if self.clock is not None:
            config["CLOCK"] = self.clock
        self.app = create_app(config)  # a new app each time, like a restarted server
        deadline = time.monotonic() + 10
        while True:  # the port of a server just stopped may take a moment to be free again
            try:
                self._server = waitress.create_server(
                    self.wrap(self.app) if self.wrap else self.app, host="127.0.0.1", port=self.port, threads=8,
                    max_request_body_size=8 * self.app.config["MAX_CONTENT_LENGTH"],
                )
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        self.port = self._server.effective_port
        self._thread = threading.Thread(target=self._server.run, name=f"waitress-{self.port}", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is None:
            return
        from tests.conftest import stop_waitress

        stop_waitress(self._server, self._thread)
        self._server = self._thread = None

    def request(self, method: str, path: str, body: Any = None, *, timeout: float = 30) -> Response:
        headers = {"Host": f"127.0.0.1:{self.port}", "Authorization": f"Bearer {self.token}"}
        if body is not None:
            body = json.dumps(body)
            headers["Content-Type"] = "application/json"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            connection.request(method, path, body=body, headers=headers)
            answer = connection.getresponse()
            return Response(answer.status, answer.read())
        finally:
            connection.close()

    def get(self, path: str) -> Any:
        answer = self.request("GET", path)
        assert answer.status == 200, (path, answer.status, answer.body[:500])
        return answer.json

    def reviews(self, **query: Any) -> list[dict]:
        query.setdefault("limit", 500)
        return self.get("/api/reviews?" + "&".join(f"{key}={value}" for key, value in query.items()))["reviews"]

    def events(self, review_id: int) -> list[dict]:
        return self.get(f"/api/reviews/{review_id}")["events"]

    def state(self, review_id: int) -> dict:
        return self.get(f"/api/reviews/{review_id}")["state"]


@dataclass
class FixturePage:
    """A synthetic page from tests/parsers/fixtures with the address it was 'captured' from."""

    name: str
    url: str
    html: str
    expected: dict = field(repr=False)

    @property
    def host(self) -> str:
        return self.url.split("/")[2]

    @property
    def key(self) -> str:
        return urldefrag(self.url).url  # a browser never sends the fragment

    @property
    def document(self) -> str:
        """The page as a browser gets it: a fixture that holds only the reviews list (a fragment) is
        wrapped in a document declaring the page's language, as the site's own page does."""
        if re.search(r"<html[\s>]", self.html[:2000], re.IGNORECASE):
            return self.html
        lang = self.expected.get("lang", "en")
        return (f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>Maple Family Dental</title></head>'
                f"<body>{self.html}</body></html>")

    @property
    def reviewer_names(self) -> list[str]:
        return [review["reviewer_name"] for review in self.expected["reviews"]]


def fixture_page(name: str) -> FixturePage:
    """``fixture_page("google/maps_list_fragment_pretty")``."""
    expected = json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))
    return FixturePage(name, expected["url"], (FIXTURES / f"{name}.html").read_text(encoding="utf-8"), expected)


class Site:
    """Pages served at their real https addresses to a Playwright browser context.

    Routes are registered per host (``https://www.google.com/**``), never context-wide: a ``**/*`` route
    also catches the extension service worker's requests to the local server, and Chromium then leaves
    them hanging."""

    def __init__(self, context) -> None:
        self.context = context
        self.pages: dict[str, str] = {}
        self.hosts: set[str] = set()
        self.served: list[str] = []
        for pattern in SUBRESOURCE_HOSTS:
            context.route(f"https://{pattern}/**", lambda route: route.fulfill(status=204, body=b""))

    def add(self, url: str, html: str) -> str:
        self.pages[urldefrag(url).url] = html
        host = url.split("/")[2]
        if host not in self.hosts:
            self.hosts.add(host)
            self.context.route(f"https://{host}/**", self._answer)
        return url

    def add_fixture(self, page: FixturePage) -> str:
        return self.add(page.url, page.document)

    def _answer(self, route) -> None:
        url = urldefrag(route.request.url).url
        html = self.pages.get(url)
        if html is None:  # the page's own images, scripts, beacons
            route.fulfill(status=404, content_type="text/plain", body="")
            return
        self.served.append(url)
        route.fulfill(status=200, content_type="text/html; charset=utf-8", body=html)


def wait_until(page, predicate: Callable[[], Any], timeout: float = 20, message: str = "condition", interval_ms: int = 100,
               show: Callable[[], Any] | None = None) -> Any:
    """Poll ``predicate`` until it returns something truthy (``show()``, else its last value, goes into the
    timeout's message). Waits with ``page.wait_for_timeout`` (not
    time.sleep) so Playwright keeps dispatching its events (the route handlers above) meanwhile."""
    deadline = time.monotonic() + timeout
    last = None
    while True:
        last = predicate()
        if last:
            return last
        if time.monotonic() > deadline:
            seen = show() if show is not None else last
            raise AssertionError(f"timed out after {timeout} s waiting for {message}; last seen: {seen!r}")
        page.wait_for_timeout(interval_ms)


# --- Chromium with the unpacked extension ---------------------------------------------------------

@dataclass
class ExtensionBrowser:
    context: Any
    extension_id: str
    site: Site
    profile: Path

    @property
    def origin(self) -> str:
        return f"chrome-extension://{self.extension_id}"

    def url(self, path: str) -> str:
        return f"{self.origin}/{path.lstrip('/')}"

    def worker(self):
        """The extension's service worker (should Chromium stop an idle worker, opening an extension
        page starts it again)."""
        found = self._find()
        if found is not None:
            return found
        page = self.context.new_page()
        try:
            try:
                with self.context.expect_event("serviceworker", timeout=10_000) as started:
                    page.goto(self.url("options/options.html"))
                return started.value
            except Exception:
                found = self._find()
                if found is None:
                    raise
                return found
        finally:
            page.close()

    def _find(self):
        return next((w for w in self.context.service_workers if w.url.startswith(self.origin)), None)

    def evaluate(self, expression: str) -> Any:
        """Run ``expression`` (may return a promise) in the service worker."""
        return self.worker().evaluate(expression)

    def tab_id(self, url_pattern: str) -> int:
        return self.evaluate(f"chrome.tabs.query({{url: {json.dumps(url_pattern)}}}).then(tabs => tabs.length ? tabs[0].id : null)")


def launch_chromium_with_extension(playwright, profile: Path, chromium: str, launch_args: list[str], extension_dir: Path = EXTENSION_DIR) -> ExtensionBrowser:
    context = playwright.chromium.launch_persistent_context(
        str(profile), executable_path=chromium, headless=True,
        args=[f"--disable-extensions-except={extension_dir}", f"--load-extension={extension_dir}", *launch_args],
        viewport={"width": 1280, "height": 800},
    )
    try:
        worker = context.service_workers[0] if context.service_workers else context.wait_for_event("serviceworker", timeout=20_000)
    except Exception:
        context.close()
        raise
    extension_id = worker.url.split("/")[2]
    return ExtensionBrowser(context, extension_id, Site(context), profile)
