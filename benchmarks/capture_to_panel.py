"""Capture to panel: how long from opening a Google Maps page of 200 reviews to the toolbar's side panel
listing all 200 (target: a few seconds; not a test).

The real extension (extension/, unpacked) in Debian's Chromium, paired with the real server started in
this process on a temporary data folder; the page (benchmarks/parse.py's synthetic Maps cards, about
2 MB) is served at its real address by the browser's request routing. The panel page is open on the
tab (as the side panel is) before the tab navigates. Each run opens a new place with 200 new reviews.
It prints each run and the median, split into: navigation to the page's load event, to the capture
reaching the server (the content script's 800 ms debounce, collecting the cards, the worker's
request), the server storing the capture
(parse and ingest), and the capture's answer to all 200 listed in the panel (the worker's broadcast,
GET /api/reviews?ids=..., building 200 review entries).

Run: python benchmarks/capture_to_panel.py [--reviews 200] [--runs 5]
Needs: python tests/browser.py (Chromium) and the extension's manifest.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from parse import google_card  # noqa: E402  (benchmarks/parse.py: Maps cards in their real structure)

from tests.browser import LAUNCH_ARGS, chromium_path, why_missing  # noqa: E402
from tests.extension.harness import EXTENSION_DIR, InProcessServer, launch_chromium_with_extension  # noqa: E402

PLACEHOLDER = "https://www.google.com/maps/place/Benchmark+Start/@30.26,-97.74,17z"


class CaptureTimer:
    """WSGI middleware: when each POST /api/captures arrived and was answered (perf_counter)."""

    def __init__(self) -> None:
        self.captures: list[tuple[float, float]] = []
        self.lock = threading.Lock()

    def __call__(self, app):
        def timed(environ, start_response):
            if environ.get("PATH_INFO") != "/api/captures" or environ.get("REQUEST_METHOD") != "POST":
                return app(environ, start_response)
            started = time.perf_counter()
            body = b"".join(app(environ, start_response))
            with self.lock:
                self.captures.append((started, time.perf_counter()))
            return [body]
        return timed


def maps_page(run: int, reviews: int) -> tuple[str, str]:
    url = f"https://www.google.com/maps/place/Maple+Family+Dental+{run}/@30.26,-97.74,17z/data=!4m8!3m7!9m1!1b1?hl=en"
    cards = "".join(google_card(run * 100_000 + i) for i in range(reviews))
    html = (f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Maple Family Dental {run} - Google Maps</title></head>"
            f"<body><div class='m6QErb' role='feed'>{cards}</div></body></html>")
    return url, html


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reviews", type=int, default=200)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    chromium = chromium_path()
    if chromium is None:
        sys.exit(why_missing())
    if not (EXTENSION_DIR / "manifest.json").exists():
        sys.exit("extension/manifest.json is missing")

    from playwright.sync_api import sync_playwright
    from server.replies import vocabulary

    vocabulary.warm_up()  # as `reviewdesk serve` does at start
    timer = CaptureTimer()
    work = Path(tempfile.mkdtemp(prefix="reviewdesk-capture-bench-"))
    server = InProcessServer(work / "data", wrap=timer).start()
    totals, page_load, to_server, storing, to_panel = [], [], [], [], []
    try:
        with sync_playwright() as playwright:
            ext = launch_chromium_with_extension(playwright, work / "profile", chromium, LAUNCH_ARGS)
            try:
                ext.evaluate(f"chrome.storage.local.set({{serverUrl: '{server.url}', token: '{server.token}'}})")
                ext.site.add(PLACEHOLDER, "<!doctype html><html lang='en'><title>Google Maps</title><body><p>Loading…</p></body></html>")
                pages = [maps_page(run, args.reviews) for run in range(args.runs)]
                size = len(pages[0][1].encode()) / 1e6
                for url, html in pages:
                    ext.site.add(url, html)
                for run, (url, _) in enumerate(pages):
                    tab = ext.context.new_page()
                    tab.goto(PLACEHOLDER)
                    tab_id = ext.tab_id(PLACEHOLDER.split("@")[0] + "*")
                    panel = ext.context.new_page()
                    panel.set_viewport_size({"width": 420, "height": 1000})
                    panel.goto(ext.url(f"panel/panel.html?tab={tab_id}"))
                    panel.wait_for_selector("[data-role=reviews][data-loaded=true]")
                    before = len(timer.captures)

                    loaded: list[float] = []
                    tab.once("load", lambda _: loaded.append(time.perf_counter()))
                    started = time.perf_counter()
                    tab.goto(url, wait_until="commit")
                    # (a locator, not wait_for_function: the panel's CSP forbids evaluating strings)
                    panel.locator("[data-review-id]").nth(args.reviews - 1).wait_for(state="attached", timeout=60_000)
                    listed = time.perf_counter()

                    captured = timer.captures[before:]
                    assert captured, "the capture never reached the server"
                    arrived, answered = captured[0]
                    totals.append(listed - started)
                    page_load.append((loaded[0] if loaded else arrived) - started)
                    to_server.append(arrived - started)
                    storing.append(answered - arrived)
                    to_panel.append(listed - answered)
                    print(f"run {run + 1}: {totals[-1] * 1000:.0f} ms (page loaded {page_load[-1] * 1000:.0f} ms, at the server {to_server[-1] * 1000:.0f} ms, "
                          f"stored in {storing[-1] * 1000:.0f} ms, then listed in the panel in {to_panel[-1] * 1000:.0f} ms; "
                          f"{len(captured)} capture request{'s' if len(captured) != 1 else ''})", flush=True)
                    panel.close()
                    tab.close()
            finally:
                ext.context.close()
    finally:
        server.stop()
    median = statistics.median
    print(f"Google Maps page, {args.reviews} reviews, {size:.1f} MB: navigation to all {args.reviews} listed in the panel: "
          f"median {median(totals) * 1000:.0f} ms, max {max(totals) * 1000:.0f} ms over {args.runs} runs "
          f"(page loaded {median(page_load) * 1000:.0f} ms; capture at the server {median(to_server) * 1000:.0f} ms, "
          f"after the content script's 800 ms debounce; "
          f"stored {median(storing) * 1000:.0f} ms; listed {median(to_panel) * 1000:.0f} ms)")


if __name__ == "__main__":
    main()
