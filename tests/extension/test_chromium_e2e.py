"""The toolbar end to end in Debian's Chromium: the unpacked extension, the real server in this process
(temporary data folder, a clock the test moves), pairing through the options page, synthetic review
pages served at their real addresses, and the side panel page.

One browser and one server for the whole module; the tests run in order and build on each other (the
pairing, the captured page, the opened review), as a person at the front desk would. Screenshots of
the panel go to a temporary folder whose path is printed at the end of the run ("toolbar end to end").
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from tests.extension.harness import (
    EXTENSION_DIR,
    REPORT_LINES,
    ControlledClock,
    InProcessServer,
    fixture_page,
    launch_chromium_with_extension,
    wait_until,
)

MAPS = fixture_page("google/maps_whole_page")
MAPS_ES = fixture_page("google/maps_list_fragment_es")  # another page, other reviewers: the server-down capture
# What waits in the worker's queue (chrome.storage.local "queue"): [kind, url or review id] per item.
WAITING = "chrome.storage.local.get('queue').then(r => (r.queue || []).map(item => [item.kind, item.payload?.url ?? item.payload?.review_id ?? null]))"
PANEL_SIZE = {"width": 420, "height": 1000}  # about a side panel's width
REVIEWER = "Alicia Romero"  # 5 stars, no owner reply yet: a thank-you is wanted
UNSAFE_REPLY = "Alicia, we are so glad your root canal went well!"
HOSTILE_NAME = "<script>window.__pwned = 'name'</script>Lee"
HOSTILE_TEXT = '<img src=x onerror="window.__pwned = \'text\'; alert(1)">Terrible <b>service</b> & "rude" staff <script>alert(2)</script>'


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def hostile_maps_page(review_id: str) -> str:
    """A Google Maps reviews list (the structure of benchmarks/parse.py's cards) whose one review was
    written with HTML and script in its name and text: Google shows them escaped, as text."""
    return (
        "<!doctype html><html lang=en><head><meta charset=utf-8><title>Maple Family Dental - Google Maps</title></head><body>"
        "<div class='m6QErb' role='feed'>"
        f'<div class="jftiEf fontBodyMedium" aria-label="{escape(HOSTILE_NAME)}" data-review-id="{review_id}">'
        f'<div class="WNxzHc"><button class="al6Kxe" data-review-id="{review_id}" data-href="https://www.google.com/maps/contrib/1234/reviews?hl=en">'
        f'<div class="d4r55">{escape(HOSTILE_NAME)}</div></button></div>'
        '<div class="DU9Pgb"><span class="kvMYJc" role="img" aria-label="1 star"></span><span class="rsqaWe">a day ago</span></div>'
        f'<div class="MyEned" lang="en" id="{review_id}"><span class="wiI7pd">{escape(HOSTILE_TEXT)}</span></div>'
        "</div></div></body></html>"
    )


# --- the module's browser, server and screenshots ---------------------------------------------------

@pytest.fixture(scope="module")
def shots():
    folder = Path(tempfile.mkdtemp(prefix="reviewdesk-panel-screenshots-"))
    yield folder
    taken = sorted(path.name for path in folder.glob("*.png"))
    REPORT_LINES.append(f"Chromium panel screenshots ({len(taken)}): {folder}")


def shoot(page, part, path: Path) -> None:
    """What the panel shows with ``part`` scrolled into view (its end: the buttons, the marks), as a
    person sees it in the side panel, under the panel's sticky header."""
    part.evaluate("element => element.scrollIntoView({block: 'end'})")
    page.screenshot(path=str(path))


@pytest.fixture(scope="module")
def clock():
    return ControlledClock()


@pytest.fixture(scope="module")
def server(tmp_path_factory, clock, reply_checker):
    running = InProcessServer(tmp_path_factory.mktemp("toolbar-e2e") / "data", clock).start()
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="module")
def ext(playwright_driver, tmp_path_factory):
    from tests.browser import LAUNCH_ARGS, chromium_path, why_missing

    chromium = chromium_path()
    if chromium is None:
        pytest.skip(why_missing())
    if not (EXTENSION_DIR / "manifest.json").exists():
        pytest.skip("extension/manifest.json does not exist yet")
    launched = launch_chromium_with_extension(playwright_driver, tmp_path_factory.mktemp("chromium-profile"), chromium, LAUNCH_ARGS)
    launched.context.grant_permissions(["clipboard-read", "clipboard-write"])  # to read back what "Copy reply" copied
    try:
        yield launched
    finally:
        launched.context.close()


@pytest.fixture(scope="module")
def paired(ext, server, shots):
    """Pairs the toolbar as a person does: the options page, the server's address and the token, Save,
    Test connection. Returns what the options page said."""
    page = ext.context.new_page()
    page.goto(ext.url("options/options.html"))
    page.fill("#server-url", server.url)
    page.fill("#token", server.token)
    page.click("[data-action=save]")
    result = page.locator("[data-role=result]")
    wait_until(page, lambda: result.is_visible() and result.get_attribute("data-state") not in (None, "", "checking", "saving"),
               message="the options page to save")
    page.click("[data-action=test]")
    wait_until(page, lambda: result.get_attribute("data-state") not in (None, "", "checking") and not result.inner_text().startswith("Saved"),
               message="the connection test's result")
    outcome = {"state": result.get_attribute("data-state"), "text": result.inner_text()}
    page.screenshot(path=str(shots / "1-pairing-options.png"), full_page=True)
    stored = ext.evaluate("chrome.storage.local.get(['serverUrl', 'token'])")
    page.close()
    return {**outcome, "stored": stored}


@pytest.fixture(scope="module")
def maps_tab(ext, paired, server):
    """The Maps reviews page open in a tab, its capture stored on the server."""
    ext.site.add_fixture(MAPS)
    page = ext.context.new_page()
    page.goto(MAPS.url)
    stored = wait_until(page, lambda: sorted(r["reviewer_name"] for r in server.reviews(platform="google"))
                        if len(server.reviews(platform="google")) >= len(MAPS.reviewer_names) else None,
                        timeout=30, message="the Maps page's reviews on the server")
    return {"page": page, "tab_id": ext.tab_id("https://www.google.com/*"), "stored": stored}


def open_panel(ext, tab_id: int, expected: int | None = None):
    page = ext.context.new_page()
    page.set_viewport_size(PANEL_SIZE)
    page.goto(ext.url(f"panel/panel.html?tab={tab_id}"))
    page.wait_for_selector("[data-role=reviews][data-loaded=true]", timeout=20_000)
    if expected is not None:
        wait_until(page, lambda: page.locator("[data-review-id]").count() == expected, timeout=20,
                   message=f"{expected} reviews in the panel")
    return page


@pytest.fixture(scope="module")
def panel(ext, maps_tab):
    return open_panel(ext, maps_tab["tab_id"], len(MAPS.reviewer_names))


def review_id_of(server, name: str) -> int:
    return next(r["id"] for r in server.reviews(limit=500) if r["reviewer_name"] == name)


def workbench(panel, review_id: int):
    return panel.locator(f"article[data-review-id='{review_id}']")


# --- the tests, in the order a person works -----------------------------------------------------------

def test_pairing_through_the_options_page(paired, server):
    assert paired["state"] == "connected", paired
    assert paired["stored"] == {"serverUrl": server.url, "token": server.token}


def test_a_maps_page_is_captured_into_the_server(maps_tab, server):
    assert maps_tab["stored"] == sorted(MAPS.reviewer_names)
    reviews = {r["reviewer_name"]: r for r in server.reviews(platform="google")}
    for expected in MAPS.expected["reviews"]:
        stored = reviews[expected["reviewer_name"]]
        assert stored["platform_review_id"] == expected["platform_review_id"]
        assert stored["rating"] == expected["rating"] and stored["text"] == expected["text"]
    assert isinstance(maps_tab["tab_id"], int)


def test_the_panel_lists_the_pages_reviews(panel, server, shots):
    expect_connection(panel, "connected")
    listed = panel.locator("[data-review-id]")
    ids = {int(listed.nth(i).get_attribute("data-review-id")) for i in range(listed.count())}
    assert ids == {r["id"] for r in server.reviews(platform="google")}
    text = panel.locator("[data-role=reviews]").inner_text()
    for name in MAPS.reviewer_names:
        assert name in text
    panel.screenshot(path=str(shots / "2-panel-list.png"), full_page=True)


def expect_connection(page, state: str):
    wait_until(page, lambda: page.locator("[data-role=connection]").get_attribute("data-state") == state,
               message=f"the connection state {state}")


def test_opening_a_review_logs_viewed_and_locks_copy(panel, server, shots):
    review_id = review_id_of(server, REVIEWER)
    assert [e["type"] for e in server.events(review_id)] == []
    card = workbench(panel, review_id)
    card.locator("[data-action=open]").click()
    panel.wait_for_selector(f"article[data-review-id='{review_id}'][data-loaded=true]", timeout=20_000)

    assert "viewed" in [e["type"] for e in server.events(review_id)]
    assert server.state(review_id)["stage"] == "cooling_down"
    assert card.locator("[data-role=stage]").first.inner_text().strip() != ""
    assert card.locator("[data-role=triage]").first.is_visible()
    countdown = card.locator("[data-role=countdown]")
    assert countdown.get_attribute("data-state") == "running"
    assert 28 * 60 <= int(countdown.get_attribute("data-remaining-seconds")) <= 30 * 60
    card.locator("[data-action=use-suggestion]").first.click()
    wait_until(panel, lambda: card.locator("[data-role=check-status]").get_attribute("data-state") == "allowed",
               message="the suggestion to pass the checker")
    assert card.locator("[data-action=copy]").is_disabled()
    assert "cool-down" in card.locator("[data-role=lock-reason]").inner_text().lower()
    shoot(panel, card.locator("[data-role=reply-section]"), shots / "3-review-locked.png")


def test_a_typed_unsafe_reply_is_marked(panel, server, shots):
    review_id = review_id_of(server, REVIEWER)
    card = workbench(panel, review_id)
    card.locator("textarea[data-role=reply]").fill(UNSAFE_REPLY)
    violations = card.locator("[data-role=violation]")
    wait_until(panel, lambda: {"names_reviewer", "phi_treatment"} <= {violations.nth(i).get_attribute("data-rule") for i in range(violations.count())},
               message="marks for the reviewer's name and the treatment")
    assert card.locator("[data-role=check-status]").get_attribute("data-state") == "blocked"
    assert card.locator("[data-action=copy]").is_disabled()
    assert "“root canal”" in card.locator("[data-role=violation][data-rule=phi_treatment]").first.inner_text()
    assert "“Alicia”" in card.locator("[data-role=violation][data-rule=names_reviewer]").first.inner_text()
    marked = "".join(card.locator("[data-role=marks] mark").all_inner_texts())  # the draft, its offending spans marked
    assert "Alicia" in marked and "root canal" in marked, marked
    shoot(panel, card.locator("[data-role=violations]"), shots / "4-reply-marks.png")


def test_copy_unlocks_once_the_server_says_the_cool_down_is_over(panel, server, clock, shots):
    review_id = review_id_of(server, REVIEWER)
    card = workbench(panel, review_id)
    card.locator("[data-action=use-suggestion]").first.click()
    wait_until(panel, lambda: card.locator("[data-role=check-status]").get_attribute("data-state") == "allowed",
               message="the suggestion to pass the checker")
    assert card.locator("[data-action=copy]").is_disabled()  # still cooling down

    clock.advance(minutes=31)  # the server's clock; the panel learns it when it asks again
    card.locator("[data-role=countdown] [data-action=recheck]").click()
    wait_until(panel, lambda: card.locator("[data-role=countdown]").get_attribute("data-state") == "ended",
               message="the countdown to end")
    assert server.state(review_id)["stage"] == "ready"
    assert card.locator("[data-action=copy]").is_enabled()
    card.locator("[data-action=copy]").click()
    wait_until(panel, lambda: "Copied" in card.locator("[data-role=message]").inner_text(), message="the copy to be confirmed")
    suggestion = card.locator("textarea[data-role=reply]").input_value()
    assert panel.evaluate("navigator.clipboard.readText()") == suggestion
    shoot(panel, card.locator("[data-role=reply-section]"), shots / "5-review-unlocked.png")


def test_i_posted_it_logs_the_reply(panel, server, shots):
    review_id = review_id_of(server, REVIEWER)
    card = workbench(panel, review_id)
    posted_text = card.locator("textarea[data-role=reply]").input_value()
    card.locator("[data-action=posted]").click()
    state = wait_until(panel, lambda: (s := server.state(review_id))["stage"] in ("replied", "follow_up") and s,
                       message="the review to be replied")
    assert state["stage"] == "replied"  # a positive review: no follow-up call
    replied = [e for e in server.events(review_id) if e["type"] == "replied"]
    assert len(replied) == 1 and replied[0].get("text", posted_text) == posted_text
    wait_until(panel, lambda: card.get_attribute("data-stage") == "replied", message="the panel to show it replied")
    shoot(panel, card, shots / "6-review-replied.png")


def test_a_capture_taken_while_the_server_is_down_arrives_once_it_is_back(ext, server, shots):
    port = server.port
    server.stop()
    ext.site.add_fixture(MAPS_ES)
    page = ext.context.new_page()
    page.goto(MAPS_ES.url)
    queued = wait_until(page, lambda: ext.evaluate(WAITING), timeout=20, message="the capture to wait in the queue")
    assert [kind for kind, _ in queued] == ["capture"], queued
    tab_id = ext.evaluate("chrome.tabs.query({url: 'https://www.google.com/*hl=es*'}).then(t => t[0].id)")
    down_panel = open_panel(ext, tab_id)
    expect_connection(down_panel, "server_down")
    assert down_panel.locator("[data-role=capture]").get_attribute("data-status") == "queued"
    down_panel.screenshot(path=str(shots / "7-panel-server-down.png"), full_page=True)
    down_panel.close()

    server.start()  # a new server process on the same port and data folder
    assert server.port == port
    back_panel = open_panel(ext, tab_id)  # opening the panel checks the connection, which sends what waits
    names = wait_until(back_panel, lambda: (found := {r["reviewer_name"] for r in server.reviews(limit=500)}) >= set(MAPS_ES.reviewer_names) and found,
                       timeout=30, message="the queued capture's reviews on the server")
    assert set(MAPS_ES.reviewer_names) <= names
    # the worker empties its queue once the server has answered (just after the reviews are stored)
    wait_until(back_panel, lambda: ext.evaluate(WAITING) == [], timeout=20, message="the toolbar's queue to be empty",
               show=lambda: ext.evaluate(WAITING))
    expect_connection(back_panel, "connected")
    wait_until(back_panel, lambda: back_panel.locator("[data-review-id]").count() == len(MAPS_ES.reviewer_names),
               message="the panel to list the delivered reviews")
    back_panel.screenshot(path=str(shots / "8-panel-after-server-back.png"), full_page=True)
    back_panel.close()
    page.close()


def test_a_review_written_with_html_and_script_shows_as_text(ext, server, shots):
    review_id = "ChZDSUhNMG9nS0VJQ0FnSUNob3N0aWxl"
    posted = server.request("POST", "/api/reviews", {"reviews": [{
        "platform": "google", "platform_review_id": review_id, "reviewer_name": HOSTILE_NAME, "rating": 1, "text": HOSTILE_TEXT,
    }]})
    assert posted.status == 200, posted.body
    url = "https://www.google.com/maps/place/Maple+Family+Dental/@30.2672,-97.7431,17z/data=!4m8!3m7!9m1!1b1?hl=en&hostile=1"
    ext.site.add(url, hostile_maps_page(review_id))
    page = ext.context.new_page()
    page.goto(url)
    tab_id = ext.evaluate("chrome.tabs.query({url: 'https://www.google.com/*hostile=1*'}).then(t => t[0].id)")
    wait_until(page, lambda: ext.evaluate(f"chrome.storage.session.get('tabCapture:{tab_id}').then(r => r['tabCapture:{tab_id}']?.status || null)"),
               message="the hostile page's capture")
    stored = [r for r in server.reviews(limit=500) if r["platform_review_id"] == review_id]
    assert len(stored) == 1 and stored[0]["text"] == HOSTILE_TEXT and stored[0]["reviewer_name"] == HOSTILE_NAME

    panel = open_panel(ext, tab_id, expected=1)
    dialogs: list[str] = []
    panel.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    card = panel.locator(f"article[data-review-id='{stored[0]['id']}']")
    card.locator("[data-action=open]").click()
    panel.wait_for_selector(f"article[data-review-id='{stored[0]['id']}'][data-loaded=true]", timeout=20_000)
    assert card.locator("[data-role=review-text]").inner_text() == HOSTILE_TEXT
    assert HOSTILE_NAME in card.locator("[data-role=reviewer]").inner_text()
    assert panel.locator("[data-role=reviews] img, [data-role=reviews] b, [data-role=reviews] script").count() == 0
    assert panel.evaluate("window.__pwned") is None
    panel.wait_for_timeout(200)  # an onerror would have fired by now
    assert dialogs == [] and panel.evaluate("window.__pwned") is None
    panel.screenshot(path=str(shots / "9-hostile-review-as-text.png"), full_page=True)
    panel.close()
    page.close()


def test_a_reviewer_name_with_non_ascii_letters_is_marked_too(server):
    answer = server.request("POST", "/api/reviews", {"reviews": [
        {"platform": "google", "platform_review_id": f"unicode-{i}", "reviewer_name": name, "rating": 2, "text": "Long wait."}
        for i, name in enumerate(("Zoë Adams", "María José Gutiérrez", "Олег Петренко"))
    ]}).json
    for review_id, first in zip(answer["review_ids"], ("Zoë", "María", "Олег")):
        check = server.request("POST", "/api/replies/check", {"reply": f"{first}, we are sorry to read this.", "review_id": review_id}).json
        assert "names_reviewer" in {v["rule"] for v in check["violations"]}, (first, check["violations"])
