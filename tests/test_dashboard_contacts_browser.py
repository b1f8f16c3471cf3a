"""The contacts pages in real Chromium: import an export through the upload form (preview, a changed
column, progress, report), search, a contact's page with the reviews matched to it, and hostile names.

Screenshots go to a temporary folder whose path is printed (run with ``-s`` to see it)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.conftest import review
from tests.test_dashboard_browser import sign_in

HOSTILE_IMG = "<img src=x onerror=window.__pwned=1>Ines"
HOSTILE_SCRIPT = "<script>window.__pwned=2</script>Ruiz"
EXPORT = (
    "PatNum,LName,FName,Known As,Cell,Email,Ward,DateLastVisit\n"
    "p1,Okafor,Adaeze,Ada,512-555-0110,ada@example.com,North,2026-11-02\n"
    "p2,Lindqvist,Soren,,512-555-0111,,South,11/03/2026\n"
    "p3,Marchetti,Giulia,Giu,,giulia@example.com,East,\n"
    "p4,,,,512-555-0112,nobody@example.com,North,\n"
    f"p5,{HOSTILE_SCRIPT},{HOSTILE_IMG},,512-555-0113,,West,2026-10-30\n"
    "p6,Haddad,Karim,,512-555-0114,karim@example,South,2026-09-12\n"
).encode()


@pytest.fixture(scope="module")
def shots() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="reviewdesk-contacts-shots-"))
    print(f"\nscreenshots: {folder}")
    return folder


def _choose(page, content: bytes, name: str = "patients.csv") -> None:
    page.set_input_files("#file", files=[{"name": name, "mimeType": "text/csv", "buffer": content}])


def _mapping_select(page, column: str):
    return page.locator(f"#preview-table select[data-column='{column}']")


def test_import_a_contacts_file_through_the_upload_form_and_read_the_report(live_server, page, shots):
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server)
    page.goto(live_server.url + "/contacts")
    expect(page.locator("#status")).to_have_text("No contacts yet. Import your practice's contact list above.")

    _choose(page, EXPORT)
    expect(page.locator("#preview")).to_be_visible()
    expect(page.locator("#preview-summary")).to_contain_text("patients.csv: 6 rows (text encoding utf-8). The first 5 are shown.")
    headings = page.locator("#preview-table thead tr").first.locator("th").all_inner_texts()
    assert headings == ["Row", "PatNum", "LName", "FName", "Known As", "Cell", "Email", "Ward", "DateLastVisit"]
    assert _mapping_select(page, "FName").input_value() == "first_name"
    assert _mapping_select(page, "Cell").input_value() == "phone"
    assert _mapping_select(page, "Known As").input_value() == "ignore"
    first_row = page.locator("#preview-table tbody tr").first.locator("th, td").all_inner_texts()
    assert first_row == ["2", "p1", "Okafor", "Adaeze", "Ada", "512-555-0110", "ada@example.com", "North", "2026-11-02"]
    assert page.locator("#preview-table tbody tr").count() == 5
    hostile_row = page.locator("#preview-table tbody tr").nth(4)
    assert hostile_row.locator("td").nth(1).inner_text() == HOSTILE_SCRIPT
    assert page.locator("#preview-table img, #preview-table script").count() == 0
    assert page.locator("#name-warning").is_hidden()
    expect(page.locator("#scroll-hint")).to_be_visible()  # eight columns do not fit at 1280 pixels

    _mapping_select(page, "Known As").select_option("preferred_name")
    expect(page.locator("#start-import")).to_have_text("Import 6 rows")
    page.screenshot(path=str(shots / "1-contacts-preview.png"), full_page=True)
    page.click("#start-import")

    expect(page.locator("#report")).to_be_visible(timeout=20_000)
    counts = {role: page.locator(f"#report [data-count={role}] .value").inner_text()
              for role in ("imported", "updated", "unchanged", "activities", "skipped")}
    assert counts == {"imported": "5", "updated": "0", "unchanged": "0", "activities": "4", "skipped": "1"}
    assert page.locator("#report table.skipped tbody tr").all_inner_texts() == ["5\tNo name"]
    expect(page.locator("#report ul.warnings")).to_contain_text(
        "Row 7: 'karim@example' is not an e-mail address; it was left out.")
    columns_used = page.locator("#report ul.columns-used li").all_inner_texts()
    assert "Known As → Preferred name" in columns_used and not any(line.startswith("Ward") for line in columns_used)
    assert page.locator("#preview").is_hidden()
    expect(page.locator("#status")).to_have_text("Contacts 1–5 of 5")
    page.screenshot(path=str(shots / "2-contacts-report.png"), full_page=True)

    page.fill("#search input[name=q]", "Okafor")
    page.click("#search button[type=submit]")
    expect(page.locator("#status")).to_have_text("Contacts 1–1 of 1")
    row = page.locator("#contacts tbody tr")
    assert row.locator("td").all_inner_texts()[:4] == ["Adaeze Okafor", "(512) 555-0110", "ada@example.com", "Nov 2, 2026"]
    row.locator("td.name a").click()
    page.wait_for_url("**/contacts/*")
    expect(page.locator("#contact-name")).to_have_text("Adaeze Okafor")
    expect(page.locator("#details")).to_contain_text("Preferred name")
    expect(page.locator("#details")).to_contain_text("Ada")
    expect(page.locator("#activities table tbody tr")).to_have_count(1)
    assert page.locator("#reviews").inner_text() == "No review is matched to this contact yet."
    assert page.evaluate("window.__pwned") is None


def test_a_file_without_a_recognised_name_column_asks_which_column_is_the_name(live_server, page, shots):
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in(page, live_server)
    page.goto(live_server.url + "/contacts")
    _choose(page, "Nom complet;Téléphone\nAmélie Durand;0102030405\nBastien Roux;0102030406\n".encode("cp1252"), "export.csv")
    warning = page.locator("#name-warning")
    expect(warning).to_be_visible()
    expect(warning).to_contain_text("choose which column holds the name")
    expect(page.locator("#start-import")).to_be_disabled()
    assert page.locator("#preview-table tbody tr").first.locator("td").first.inner_text() == "Amélie Durand"
    page.screenshot(path=str(shots / "3-contacts-no-name.png"), full_page=True)

    _mapping_select(page, "Nom complet").select_option("name")
    expect(warning).to_be_hidden()
    page.click("#start-import")
    expect(page.locator("#report [data-count=imported] .value")).to_have_text("2", timeout=20_000)


def test_an_unreadable_file_says_what_to_do(live_server, page):
    sign_in(page, live_server)
    page.goto(live_server.url + "/contacts")
    page.set_input_files("#file", files=[
        {"name": "patients.xlsx", "mimeType": "application/octet-stream", "buffer": b"PK\x03\x04 broken"}])
    message = page.locator("#import-status")
    expect(message).to_contain_text("patients.xlsx could not be read.")
    expect(message).to_contain_text("save it again as .xlsx or CSV")
    assert page.locator("#preview").is_hidden()


def test_a_large_import_shows_its_progress(live_server, page, shots):
    rows = "".join(f"c{i},Person{i},Family{i % 997},512{i:07d},2026-10-{1 + i % 28:02d}\n" for i in range(25_000))
    sign_in(page, live_server)
    page.goto(live_server.url + "/contacts")
    _choose(page, ("Contact Id,First Name,Last Name,Phone,Last Visit\n" + rows).encode(), "large.csv")
    expect(page.locator("#start-import")).to_have_text("Import 25,000 rows", timeout=20_000)
    page.evaluate("""() => {
        window.__progress = [];
        new MutationObserver(() => window.__progress.push(document.getElementById('progress-text').textContent))
            .observe(document.getElementById('progress-text'), {childList: true, characterData: true, subtree: true});
    }""")
    page.click("#start-import")
    expect(page.locator("#progress-text")).to_have_text("Saving contacts…", timeout=60_000)
    page.screenshot(path=str(shots / "6-contacts-saving.png"))
    expect(page.locator("#report [data-count=imported] .value")).to_have_text("25,000", timeout=60_000)
    shown = page.evaluate("window.__progress")
    assert "Saving contacts…" in shown, shown  # the write after the last row is checked has a step of its own
    phases = [next((word for word in ("Sending", "Reading", "Checking", "Saving") if text.startswith(word)), text)
              for text in shown if text]
    order = list(dict.fromkeys(phases))
    assert order == sorted(order, key=["Sending", "Reading", "Checking", "Saving"].index), shown
    assert all(text.endswith(" of 25,000") for text in shown if text.startswith("Checking contacts: ")), shown
    assert page.locator("#progress-box").is_hidden()
    assert page.locator("#progress").get_attribute("aria-labelledby") == "progress-text"


def _import_with_polls_answered_by(live_server, page, answer) -> list[str]:
    """Starts importing EXPORT with each progress poll answered by ``answer(route, poll_number)``; the
    answer to the start says the import is still running (a small file may be done by then)."""
    def started(route):
        response = route.fetch()
        route.fulfill(response=response, json={**response.json(), "status": "running", "phase": "reading", "total": None})

    polls: list[str] = []

    def poll(route):
        polls.append(route.request.url)
        answer(route, len(polls))

    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server)
    page.goto(live_server.url + "/contacts")
    page.route("**/api/contacts/imports", started)
    page.route("**/api/contacts/imports/*", poll)
    _choose(page, EXPORT)
    page.click("#start-import")
    return polls


def test_an_import_whose_progress_cannot_be_read_once_carries_on(live_server, page):
    polls = _import_with_polls_answered_by(  # the server does not answer the first two polls
        live_server, page, lambda route, number: route.abort() if number <= 2 else route.continue_())
    expect(page.locator("#report [data-count=imported] .value")).to_have_text("5", timeout=20_000)
    assert page.locator("#import-status").is_hidden() and len(polls) == 3


def test_an_import_whose_progress_cannot_be_read_says_so_and_lets_staff_go_on(live_server, page, shots):
    failure = {"ok": False, "error": "internal_error", "message": "Something went wrong inside ReviewDesk."}
    polls = _import_with_polls_answered_by(live_server, page, lambda route, number: route.fulfill(status=500, json=failure))
    expect(page.locator("#start-import")).to_be_disabled()
    message = page.locator("#import-status")
    expect(message).to_contain_text("Something went wrong inside ReviewDesk. The import may still be running", timeout=20_000)
    assert len(polls) == 4  # the first poll and three more tries
    expect(page.locator("#start-import")).to_be_enabled()
    expect(page.locator("#cancel-preview")).to_be_enabled()
    assert page.locator("#progress-box").is_hidden()
    expect(page.locator("#status")).to_have_text("Contacts 1–5 of 5")  # the list shows what the import saved meanwhile
    page.screenshot(path=str(shots / "5-contacts-progress-unreadable.png"), full_page=True)


def test_a_contact_page_shows_the_matched_reviews_and_hostile_names_as_text(live_server, page, shots):
    body = (b"--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"patients.csv\"\r\nContent-Type: text/csv\r\n\r\n"
            + EXPORT + b"\r\n--b--\r\n")
    answer = live_server.request("POST", "/api/contacts/import", body, {"Content-Type": "multipart/form-data; boundary=b"})
    assert answer.status == 200, answer.body
    hostile = live_server.request("GET", "/api/contacts?q=p5").json["contacts"][0]
    review_ids = live_server.request("POST", "/api/reviews", {"reviews": [
        review(platform_review_id="m1", reviewer_name="Ruiz I.", text="<b>Long</b> wait <script>window.__pwned=3</script>",
               rating=2, created_at="2026-11-04T15:00:00Z"),
        review(platform="yelp", platform_review_id="m2", reviewer_name="Ines R.", text="Friendly and quick at the desk.",
               rating=5, created_at="2026-11-06T15:00:00Z"),
    ]}).json["review_ids"]
    for review_id in review_ids:
        decision = {"contact_id": hostile["id"], "decision": "confirm"}
        decided = live_server.request("POST", f"/api/reviews/{review_id}/match", decision)
        assert decided.status == 200, decided.body

    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server)
    page.goto(live_server.url + "/contacts")
    expect(page.locator("#status")).to_have_text("Contacts 1–5 of 5")
    link = page.locator(f"#contacts tbody tr[data-contact-id='{hostile['id']}'] td.name a")
    assert link.inner_text() == f"{HOSTILE_IMG} {HOSTILE_SCRIPT}"
    assert page.locator("#contacts img, #contacts script").count() == 0
    link.click()
    expect(page.locator("#contact-name")).to_have_text(f"{HOSTILE_IMG} {HOSTILE_SCRIPT}")
    rows = page.locator("#reviews table tbody tr")
    expect(rows).to_have_count(2)
    assert rows.first.get_attribute("data-review-id") == str(review_ids[1])  # newest first
    assert rows.first.locator("td").nth(1).inner_text() == "Yelp"
    assert rows.nth(1).locator("td.rating").inner_text() == "★★☆☆☆"
    assert rows.nth(1).locator("td.review-text").inner_text() == "<b>Long</b> wait <script>window.__pwned=3</script>"
    assert page.locator("main img, main script, main b").count() == 0
    expect(page.locator("#details")).to_contain_text("(512) 555-0113")
    expect(page.locator("main")).to_contain_text("confirmed, on the review's page, that this contact wrote it")
    page.screenshot(path=str(shots / "4-contact-page.png"), full_page=True)
    assert page.evaluate("window.__pwned") is None

    rows.nth(1).locator("td.review-text a").click()
    page.wait_for_url(f"**/reviews/{review_ids[0]}")
    assert page.evaluate("window.__pwned") is None
