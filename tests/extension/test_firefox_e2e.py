"""The toolbar end to end in Firefox ESR: tests/extension/firefox_e2e.mjs (puppeteer-core over WebDriver
BiDi) installs the unpacked extension, pairs it through the options page with the real server started
here, opens a synthetic Google Maps page at its real address, and prints what it saw as JSON; this test
checks that and, independently, what reached the server."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from tests.extension.harness import EXTENSION_DIR, REPORT_LINES, ROOT, InProcessServer, fixture_page

SCRIPT = Path(__file__).with_name("firefox_e2e.mjs")
MAPS = fixture_page("google/maps_list_fragment_pretty")
EXTENSION_UUID = "3f1b6a52-8d2c-4e7a-9b0d-5c4e2a7f9e10"


def missing() -> str | None:
    from tests.browser import firefox_path, node_path, npm_ready, why_firefox_missing, why_npm_missing

    if firefox_path() is None:
        return why_firefox_missing()
    if node_path() is None or not npm_ready():
        return why_npm_missing()
    if not (EXTENSION_DIR / "manifest.json").exists():
        return "extension/manifest.json does not exist yet"
    return None


@pytest.fixture(scope="module")
def run(tmp_path_factory, reply_checker):
    if (why := missing()) is not None:
        pytest.skip(why)
    from tests.browser import firefox_path

    server = InProcessServer(tmp_path_factory.mktemp("firefox-e2e") / "data").start()
    shots = Path(tempfile.mkdtemp(prefix="reviewdesk-firefox-screenshots-"))
    page_file = shots / "page.html"
    page_file.write_text(MAPS.document, encoding="utf-8")
    try:
        env = {
            **os.environ,
            "RD_SERVER_URL": server.url,
            "RD_TOKEN": server.token,
            "RD_PAGE_URL": MAPS.url,
            "RD_PAGE_HTML": str(page_file),
            "RD_EXPECTED_REVIEWS": str(len(MAPS.reviewer_names)),
            "RD_EXTENSION_DIR": str(EXTENSION_DIR),
            "RD_EXTENSION_UUID": EXTENSION_UUID,
            "RD_FIREFOX": firefox_path(),
            "RD_SCREENSHOTS": str(shots),
        }
        completed = subprocess.run(
            [shutil.which("node"), str(SCRIPT)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=240,
        )
        lines = [line for line in completed.stdout.splitlines() if line.startswith("{")]
        assert lines, f"firefox_e2e.mjs printed no JSON (exit {completed.returncode}):\n{completed.stdout[-2000:]}\n{completed.stderr[-3000:]}"
        report = json.loads(lines[-1])
        report["_stderr"] = completed.stderr[-3000:]
        report["_screenshots"] = str(shots)
        yield report, server
    finally:
        server.stop()
        REPORT_LINES.append(f"Firefox screenshots: {shots}")


def test_firefox_pairs_and_captures_a_maps_page_into_the_server(run):
    report, server = run
    assert report["ok"], f"{report.get('error')}\nsteps: {report['steps']}\nconsole: {report['console'][-20:]}\n{report['_stderr']}"
    assert report["addon_id"] == "toolbar@reviewdesk.local"
    assert report["options"]["state"] == "connected", report["options"]
    assert report["options"]["stored"] == {"serverUrl": server.url, "token": server.token}
    assert report["served"], "the page was never requested"
    stored = {r["reviewer_name"]: r for r in server.reviews(platform="google")}
    assert sorted(stored) == sorted(MAPS.reviewer_names)
    for expected in MAPS.expected["reviews"]:
        assert stored[expected["reviewer_name"]]["text"] == expected["text"]


def test_firefox_panel_lists_the_captured_reviews(run):
    report, server = run
    if not report["ok"]:
        pytest.fail(f"the Firefox run failed before the panel: {report.get('error')}")
    panel = report["panel"]
    assert panel["connection"] == "connected"
    assert panel["capture"] == "ok"
    assert sorted(panel["review_ids"]) == sorted(r["id"] for r in server.reviews(platform="google"))
    for name in MAPS.reviewer_names:
        assert name in panel["text"]
