"""The follow-up calls and the review requests in real Chromium: one-click call logging until the review
leaves the list, reassignment, marking patients asked, opting one out (and undoing it), the CSV
download, and hostile names shown as text.

Screenshots go to a temporary folder whose path is printed (run with ``-s`` to see it)."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta, timezone
from pathlib import Path

from playwright.sync_api import expect

from parsers.isotime import iso_utc
from server.contacts.importing import import_contacts
from server.storage import Store
from tests.conftest import review
from tests.test_dashboard_browser import sign_in
from tests.test_review_page_browser import shots  # noqa: F401  (screenshots to a temporary folder)

HOSTILE_NAME = "<img src=x onerror=window.__pwned=1>Lee"
HOSTILE_TEXT = 'Rude <b>staff</b> <script>window.__pwned = 2</script> and a long wait.'


def replied_review(live_server, platform_review_id: str, name: str, text: str, *, days_ago: int = 0, rating: int = 1) -> int:
    """A negative review answered ``days_ago`` days ago (logged late, with the reason): its call is open."""
    answer = live_server.request("POST", "/api/reviews", {"reviews": [
        review(platform_review_id=platform_review_id, reviewer_name=name, text=text, rating=rating)]})
    review_id = answer.json["review_ids"][0]
    live_server.request("POST", f"/api/reviews/{review_id}/events", {"type": "viewed"})
    at = iso_utc(datetime.now(timezone.utc) - timedelta(days=days_ago, minutes=1))
    logged = live_server.request("POST", f"/api/reviews/{review_id}/events",
                                 {"type": "replied", "at": at, "override_reason": "Posted from the phone app; logged late."})
    assert logged.json["state"]["stage"] == "follow_up", logged.json
    return review_id


def test_log_calls_with_one_click_until_the_review_leaves_the_list(live_server, page, shots):
    live_server.request("PUT", "/api/settings", {"staff_names": ["Dr. Lee", "Sam Ortiz"]})
    late = replied_review(live_server, "late", "Dana Whitfield", "The front desk lost my paperwork twice.", days_ago=10)
    hostile = replied_review(live_server, "hostile", HOSTILE_NAME, HOSTILE_TEXT, rating=2)
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server)
    page.goto(live_server.url + "/follow-ups")
    expect(page.locator("#status")).to_have_text("2 calls to make, 1 overdue. Overdue calls come first, then by due date.")

    items = page.locator("article.follow-up")
    assert [items.nth(i).get_attribute("data-review-id") for i in range(2)] == [str(late), str(hostile)]
    first = items.first
    assert first.locator("[data-role=flag]").inner_text().lower() == "overdue"
    assert items.nth(1).locator("[data-role=flag]").count() == 0
    assert first.locator("a.who").get_attribute("href") == f"/reviews/{late}"
    assert "Google" in first.locator("header").inner_text() and first.locator(".rating").inner_text() == "★☆☆☆☆"
    assert first.locator("[data-role=calls]").inner_text() == "No call logged yet."
    assert page.locator(".assignee-group h2").inner_text() == "our office manager · 2 calls"
    assert "Call due" in first.locator("[data-role=due]").inner_text()

    hostile_item = page.locator(f"article[data-review-id='{hostile}']")
    assert hostile_item.locator("a.who").inner_text() == HOSTILE_NAME
    assert hostile_item.locator(".review-text").inner_text() == HOSTILE_TEXT
    assert page.locator("#follow-ups img, #follow-ups b, #follow-ups script").count() == 0
    assert page.evaluate("window.__pwned") is None
    page.screenshot(path=str(shots / "1-follow-ups.png"), full_page=True)

    first.locator("input[name=note]").fill("Apologised; she asked us to call back Friday. Asked her to update her review.")
    first.get_by_role("button", name="Reached: Dana Whitfield", exact=True).click()  # each button names the patient
    expect(page.locator("#status")).to_have_text("Call to Dana Whitfield logged: reached.")
    expect(page.locator("#warning")).to_contain_text("never ask for that")
    first = page.locator(f"article[data-review-id='{late}']")
    expect(first.locator("[data-role=calls]")).to_contain_text("1 call so far:")
    assert "Reached" in first.locator("[data-role=calls] li").inner_text()
    assert first.locator("input[name=note]").input_value() == ""
    page.screenshot(path=str(shots / "2-call-logged-with-warning.png"), full_page=True)

    first.get_by_role("button", name="Resolved: Dana Whitfield", exact=True).click()
    expect(page.locator("#status")).to_have_text("Dana Whitfield: marked resolved. It has left the list.")
    expect(page.locator(f"article[data-review-id='{late}']")).to_have_count(0)
    events = live_server.request("GET", f"/api/reviews/{late}").json["events"]
    assert [(event["type"], event.get("outcome")) for event in events][-2:] == [("followup_call", "reached"), ("resolved", None)]
    assert live_server.request("GET", f"/api/reviews/{late}").json["state"]["stage"] == "resolved"

    hostile_item.locator("input[name=assignee]").fill("Dr. Lee")
    assert hostile_item.get_by_role("button", name=f"Left a voicemail: {HOSTILE_NAME}", exact=True).count() == 1
    hostile_item.get_by_role("button", name=f"Reassign the call to {HOSTILE_NAME}", exact=True).click()
    expect(page.locator("#status")).to_have_text(f"The call to {HOSTILE_NAME} is now assigned to Dr. Lee.")
    expect(page.locator(".assignee-group h2")).to_have_text("Dr. Lee · 1 call")
    assert page.locator("#staff-names option").evaluate_all("options => options.map(o => o.value)") == [
        "Dr. Lee", "our office manager", "Sam Ortiz"]
    page.select_option("#assignee", "Sam Ortiz")
    expect(page.locator("#status")).to_have_text("No follow-up calls are due for Sam Ortiz.")
    assert page.url.endswith("?assignee=Sam+Ortiz")
    page.select_option("#assignee", "Dr. Lee")
    expect(page.locator("article.follow-up")).to_have_count(1)
    page.screenshot(path=str(shots / "3-reassigned-and-filtered.png"), full_page=True)

    page.get_by_role("button", name=f"Not resolved: {HOSTILE_NAME}", exact=True).click()
    expect(page.locator("#status")).to_have_text(
        f"{HOSTILE_NAME}: marked not resolved. It has left the list. No follow-up calls are due for Dr. Lee.")
    page.select_option("#assignee", "")
    expect(page.locator("#status")).to_have_text(
        "No follow-up calls are due. A call appears here when a reply is posted to a negative review.")
    assert page.evaluate("window.__pwned") is None
    page.screenshot(path=str(shots / "4-no-calls-due.png"), full_page=True)


def _contacts(live_server) -> None:
    today = datetime.now(timezone.utc).date()
    rows = [("1", "Ava", "Reed", "(512) 555-0101", "ava@example.com", today - timedelta(days=2)),
            ("2", HOSTILE_NAME, "<script>window.__pwned=3</script>", "(512) 555-0102", "lee@example.com",
             today - timedelta(days=3)),
            ("3", "Mei", "Chen", "", "mei@example.com", today - timedelta(days=5)),
            ("4", "Noah", "Kim", "(512) 555-0104", "noah@example.com", today - timedelta(days=60))]  # not seen recently
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["Contact Id", "First Name", "Last Name", "Phone", "Email", "Last Visit"])
    writer.writerows([*row[:5], row[5].isoformat()] for row in rows)
    with Store.connect(live_server.app.config["DATABASE"]) as store:
        import_contacts(store, buffer.getvalue().encode(), "contacts.csv", now=datetime.now(timezone.utc))


def names_listed(page) -> list[str]:
    return page.locator("#contacts tbody td.name").all_inner_texts()


def test_ask_for_reviews_mark_asked_opt_out_and_download(live_server, page, shots):
    _contacts(live_server)
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server)
    page.goto(live_server.url + "/requests")
    expect(page.locator("#status")).to_have_text("3 patients to ask.")
    hostile_full = f"{HOSTILE_NAME} <script>window.__pwned=3</script>"
    assert sorted(names_listed(page)) == sorted(["Ava Reed", hostile_full, "Mei Chen"])
    assert page.locator("#contacts img, #contacts script").count() == 0 and page.evaluate("window.__pwned") is None
    rules = page.locator("#rules").inner_text()
    assert "whatever you think of their visit" in rules and "review gating" in rules and "Yelp" in rules
    google = page.locator("#links li[data-platform=google]")
    assert "no link yet" in google.inner_text() and google.locator("a").get_attribute("href") == "/settings"
    ava = page.locator("#contacts tbody tr", has_text="Ava Reed")
    assert ava.locator("td.phone").inner_text() == "(512) 555-0101" and ava.locator("td.day").nth(1).inner_text() == "Never"
    page.screenshot(path=str(shots / "5-requests-no-links.png"), full_page=True)

    live_server.request("PUT", "/api/settings", {"google_review_link": "https://g.page/r/maple-dental/review",
                                                 "facebook_review_link": "https://www.facebook.com/mapledental/reviews"})
    page.reload()
    expect(page.locator("#status")).to_have_text("3 patients to ask.")
    assert page.locator("#links li[data-platform=google] a").get_attribute("href") == "https://g.page/r/maple-dental/review"

    assert page.locator("#mark-sent").is_disabled()
    page.get_by_label("Select Ava Reed").check()
    expect(page.locator("#mark-sent")).to_have_text("Mark 1 selected patient as asked")
    page.click("#mark-sent")
    expect(page.locator("#status")).to_contain_text("Marked 1 patient as asked.")
    assert sorted(names_listed(page)) == sorted([hostile_full, "Mei Chen"])

    page.get_by_role("button", name="Opt out Mei Chen", exact=True).click()  # the button names the patient
    expect(page.locator("#status")).to_have_text("Mei Chen will not be asked for a review again. Undo")
    assert names_listed(page) == [hostile_full]
    page.screenshot(path=str(shots / "6-requests-opted-out.png"), full_page=True)
    page.locator("#status").get_by_role("button", name="Undo").click()
    expect(page.locator("#status")).to_have_text("Mei Chen is back on the list.")
    assert sorted(names_listed(page)) == sorted([hostile_full, "Mei Chen"])

    with page.expect_download() as downloading:
        page.click("#download")
    download = downloading.value
    assert download.suggested_filename == "review-requests.csv"
    rows = list(csv.reader(io.StringIO(Path(download.path()).read_text(encoding="utf-8"))))
    assert rows[0] == ["name", "phone", "email", "last_seen_at", "google_review_link", "facebook_review_link"]
    assert sorted(row[0] for row in rows[1:]) == sorted([hostile_full, "Mei Chen"])
    assert all(row[4] == "https://g.page/r/maple-dental/review" for row in rows[1:])
    assert page.evaluate("window.__pwned") is None
    page.screenshot(path=str(shots / "7-requests-after.png"), full_page=True)


def test_a_long_request_list_comes_a_hundred_at_a_time(live_server, page):
    """250 patients seen lately: the page shows the hundred seen most recently, pages on, and marking a whole last
    page asked brings back the page before it."""
    today = datetime.now(timezone.utc).date()
    rows = "".join(f"p{i},Patient,Number{i:03d},5125550{i:03d},p{i}@example.com,{today - timedelta(days=i % 10)}\n" for i in range(250))
    with Store.connect(live_server.app.config["DATABASE"]) as store:
        import_contacts(store, ("Contact Id,First Name,Last Name,Phone,Email,Last Visit\n" + rows).encode(), "contacts.csv",
                        now=datetime.now(timezone.utc))
    sign_in(page, live_server)
    page.goto(live_server.url + "/requests")
    expect(page.locator("#status")).to_have_text("250 patients to ask; showing 1–100, most recently seen first.")
    assert page.locator("#contacts tbody tr").count() == 100 and page.locator("#previous").is_disabled()
    first_page = live_server.request("GET", "/api/review-requests?limit=100").json["contacts"]
    assert [c["last_seen_at"] for c in first_page] == sorted((c["last_seen_at"] for c in first_page), reverse=True)
    assert names_listed(page) == [c["name"] for c in first_page]
    page.click("#next")
    page.click("#next")
    expect(page.locator("#status")).to_have_text("250 patients to ask; showing 201–250, most recently seen first.")
    assert page.locator("#next").is_disabled() and page.locator("#contacts tbody tr").count() == 50
    page.locator("#select-all").check()
    page.click("#mark-sent")
    expect(page.locator("#status")).to_contain_text("Marked 50 patients as asked.")
    assert page.locator("#contacts tbody tr").count() == 100 and page.locator("#next").is_disabled()
    assert live_server.request("GET", "/api/review-requests?limit=1").json["total"] == 200
