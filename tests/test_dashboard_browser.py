"""The dashboard in real Chromium: sign-in, the inbox, hostile review text, and hostile web pages."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import expect

from tests.conftest import review

HOSTILE_TEXT = '<img src=x onerror="window.__pwned = 1">Terrible <b>service</b> & "rude" staff'
HOSTILE_NAME = "<script>window.__pwned = 2</script>Lee"


def sign_in(page, live_server, token=None):
    page.goto(live_server.url + "/")
    assert page.url.endswith("/login")
    page.fill("#token", token or live_server.token)
    page.click("button[type=submit]")


def test_sign_in_and_see_the_inbox_with_review_text_as_text(live_server, page):
    live_server.request("POST", "/api/reviews", {"reviews": [
        review(platform_review_id="h1", reviewer_name=HOSTILE_NAME, text=HOSTILE_TEXT, rating=1),
        review(platform="yelp", platform_review_id="y1", reviewer_name="Ava R.", text="Lovely front desk.", rating=5),
    ]})
    sign_in(page, live_server)
    expect(page.locator("#status")).to_have_text("Reviews 1–2 of 2")

    hostile_row = page.locator("#reviews tbody tr", has_text="Terrible")
    assert hostile_row.locator("td.text").inner_text() == HOSTILE_TEXT
    assert hostile_row.locator("td.reviewer").inner_text() == HOSTILE_NAME
    assert hostile_row.locator("td.rating").inner_text() == "★☆☆☆☆"
    assert hostile_row.locator("td.rating").get_attribute("aria-label") == "1 of 5 stars"  # what a screen reader says
    assert hostile_row.locator("td.stage").inner_text() == "New"
    assert page.locator("#reviews img, #reviews b, #reviews script").count() == 0
    assert page.evaluate("window.__pwned") is None

    # The keyboard goes from the filters to each reviewer's link (not to the rows), and Enter opens the review.
    assert page.locator("#reviews tbody [tabindex]").count() == 0
    page.focus("#filters button[type=submit]")
    page.keyboard.press("Tab")
    first_link = page.locator("#reviews tbody tr").first.locator("td.reviewer a")
    expect(first_link).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.locator("#reviews tbody tr").nth(1).locator("td.reviewer a")).to_be_focused()
    page.keyboard.press("Shift+Tab")
    first_review = first_link.get_attribute("href")
    page.keyboard.press("Enter")
    page.wait_for_url(live_server.url + first_review)
    page.go_back()
    expect(page.locator("#status")).to_have_text("Reviews 1–2 of 2")

    hostile_row.locator("td.reviewer a").click()
    page.wait_for_selector("article.wb[data-loaded=true]")
    assert page.locator("[data-role=review-text]").inner_text() == HOSTILE_TEXT
    assert page.evaluate("window.__pwned") is None
    page.go_back()

    expect(page.locator("#status")).to_have_text("Reviews 1–2 of 2")
    page.select_option("select[name=platform]", "yelp")
    page.click("#filters button[type=submit]")
    expect(page.locator("#status")).to_have_text("Reviews 1–1 of 1")
    assert page.locator("#reviews tbody tr td.reviewer").all_inner_texts() == ["Ava R."]


def test_wrong_token_shows_how_to_get_the_right_one(live_server, page):
    sign_in(page, live_server, token="guessing")
    assert "reviewdesk token" in page.locator(".error").inner_text()
    assert page.url.endswith("/login")


def test_sign_out(live_server, page):
    sign_in(page, live_server)
    page.wait_for_selector("#reviews")
    page.wait_for_load_state("load")  # the inbox fully loaded before the form is sent (CI once clicked too early)
    with page.expect_navigation(url="**/login"):
        page.click(".logout button")
    page.goto(live_server.url + "/")
    assert page.url.endswith("/login")


@pytest.fixture
def attacker_site():
    """A web page on another local origin, like any site the staff might have open."""

    class Page(BaseHTTPRequestHandler):
        def do_GET(self):
            body = b"<!doctype html><title>Coupons</title><p>Hello</p>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Page)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()  # returns within one poll interval
        server.server_close()
        thread.join(timeout=5)


def test_a_web_page_cannot_read_or_write_even_while_the_dashboard_is_signed_in(live_server, page, attacker_site):
    live_server.request("POST", "/api/reviews", {"reviews": [review(text="Private review text")]})
    sign_in(page, live_server)
    page.wait_for_selector("#reviews tbody tr")

    page.goto(attacker_site)
    read = page.evaluate(
        """async (url) => {
            try { const r = await fetch(url + '/api/reviews', {credentials: 'include'}); return await r.text(); }
            catch (error) { return 'blocked: ' + error.name; }
        }""",
        live_server.url,
    )
    assert read.startswith("blocked")
    page.evaluate(
        """async (url) => {
            await fetch(url + '/api/reviews', {method: 'POST', mode: 'no-cors', credentials: 'include',
                headers: {'Content-Type': 'text/plain'},
                body: JSON.stringify({reviews: [{platform: 'google', reviewer_name: 'Forged', text: 'spam'}]})});
        }""",
        live_server.url,
    )
    total = live_server.request("GET", "/api/reviews?q=Forged").json["total"]
    assert total == 0


def test_the_sign_in_link_signs_in_and_leaves_no_token_in_the_address(live_server, page):
    page.goto(live_server.url + f"/login#token={live_server.token}")
    page.wait_for_url(live_server.url + "/")
    expect(page.locator("#status")).to_have_text("No reviews yet. Capture a review page with the toolbar.")
    assert live_server.token not in page.url
    page.go_back()
    assert live_server.token not in page.url


def test_the_sign_in_link_opened_again_while_signed_in_leaves_no_token_in_the_address(live_server, page):
    sign_in(page, live_server)
    expect(page.locator("#status")).to_have_text("No reviews yet. Capture a review page with the toolbar.")
    page.goto(live_server.url + f"/login#token={live_server.token}")  # the server sends a signed-in session to /
    expect(page.locator("#status")).to_have_text("No reviews yet. Capture a review page with the toolbar.")
    expect(page).to_have_url(live_server.url + "/")  # the address bar: no "#token=…"
    assert live_server.token not in page.evaluate("location.href")
    page.go_back()
    assert live_server.token not in page.url


def test_a_stale_sign_in_link_says_what_to_do(live_server, page):
    page.goto(live_server.url + "/login#token=an-old-token-from-before-rotation")
    expect(page.locator("[role=alert]")).to_contain_text("That is not the pairing token")
    assert "an-old-token" not in page.url


def test_a_write_from_the_dashboard_page_without_its_csrf_token_is_refused(live_server, page):
    review_id = live_server.request("POST", "/api/reviews", {"reviews": [review(platform_review_id="c1")]}).json["review_ids"][0]
    sign_in(page, live_server)
    page.wait_for_selector("#reviews tbody tr")
    refused = page.evaluate("""async (id) => {
        const answer = await fetch(`/api/reviews/${id}/events`, {method: "POST", credentials: "same-origin",
            headers: {"Content-Type": "application/json"}, body: JSON.stringify({type: "ignored"})});
        return {status: answer.status, body: await answer.json()};
    }""", review_id)
    assert refused["status"] == 403 and refused["body"]["error"] == "csrf_failed"
    assert "Reload the dashboard" in refused["body"]["message"]
    assert live_server.request("GET", f"/api/reviews/{review_id}").json["events"] == []
