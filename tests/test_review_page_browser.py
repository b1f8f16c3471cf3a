"""The inbox that tells what to do next, and the review page on the shared workbench, in real Chromium.

Screenshots go to a temporary folder whose path is printed (run with ``-s`` to see it)."""

from __future__ import annotations

import re
import tempfile
from datetime import datetime, timezone
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.conftest import Clock, review
from tests.test_dashboard_browser import sign_in

THREAT = "My lawyer will be in touch about this."
HOSTILE_NAME = "<script>window.__pwned = 'name'</script>Lee"
HOSTILE_TEXT = '<img src=x onerror="window.__pwned = \'text\'">Terrible <b>service</b> & "rude" staff <script>window.__pwned = 3</script>'
UNSAFE_REPLY = "Alicia, we are so glad your root canal went well!"


@pytest.fixture(scope="module")
def shots() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="reviewdesk-dashboard-shots-"))
    print(f"\nscreenshots: {folder}")
    return folder


def _ingest(live_server) -> dict[str, int]:
    answer = live_server.request("POST", "/api/reviews", {"reviews": [
        review(platform_review_id="threat", reviewer_name="Morgan P.", text=THREAT, rating=1),
        review(platform_review_id="hostile", reviewer_name=HOSTILE_NAME, text=HOSTILE_TEXT, rating=1),
        review(platform="yelp", platform_review_id="kind", reviewer_name="Alicia Gomez",
               text="The hygienist was gentle and the front desk was lovely.", rating=5),
    ]})
    threat, hostile, kind = answer.json["review_ids"]
    return {"threat": threat, "hostile": hostile, "kind": kind}


def test_the_escalated_review_is_first_and_marked_and_hostile_text_is_text(live_server, page, shots):
    ids = _ingest(live_server)
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in(page, live_server)
    expect(page.locator("#status")).to_have_text("Reviews 1–3 of 3")
    rows = page.locator("#reviews tbody tr")
    first = rows.first
    assert first.get_attribute("data-review-id") == str(ids["threat"])
    assert first.get_attribute("data-group") == "escalate"
    assert first.locator("[data-role=flag]").inner_text().lower() == "escalate"
    assert first.locator("td.next").inner_text().startswith("Escalate")
    assert rows.nth(1).locator("[data-role=flag]").count() == 0
    assert "Read it" in rows.nth(1).locator("td.next").inner_text()
    hostile = page.locator(f"#reviews tbody tr[data-review-id='{ids['hostile']}']")
    assert hostile.locator("td.reviewer").inner_text() == HOSTILE_NAME
    assert hostile.locator("td.text").inner_text() == HOSTILE_TEXT
    assert page.locator("#reviews img, #reviews b, #reviews script").count() == 0
    assert hostile.locator("td.reviewer a").get_attribute("href") == f"/reviews/{ids['hostile']}"
    page.screenshot(path=str(shots / "1-inbox.png"), full_page=True)

    page.select_option("select[name=platform]", "yelp")
    page.click("#filters button[type=submit]")
    expect(page.locator("#status")).to_have_text("Reviews 1–1 of 1")
    page.select_option("select[name=platform]", "")
    page.select_option("select[name=rating]", "5")
    page.click("#filters button[type=submit]")
    expect(page.locator("#status")).to_have_text("Reviews 1–1 of 1")
    assert page.locator("#reviews tbody tr td.rating").inner_text() == "★★★★★"
    page.select_option("select[name=rating]", "")
    page.fill("input[name=q]", "lawyer")
    page.click("#filters button[type=submit]")
    expect(page.locator("#status")).to_have_text("Reviews 1–1 of 1")
    assert page.locator("#reviews tbody tr").first.get_attribute("data-group") == "escalate"
    assert page.evaluate("window.__pwned") is None


def test_the_review_page_checks_a_typed_reply_and_runs_nothing(live_server, page, shots):
    ids = _ingest(live_server)
    refused = []
    page.on("console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None)
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server)
    page.wait_for_selector("#reviews tbody tr")
    page.locator(f"#reviews tbody tr[data-review-id='{ids['hostile']}'] td.text").click()
    page.wait_for_url(f"**/reviews/{ids['hostile']}")
    bench = page.locator(f"article.wb[data-review-id='{ids['hostile']}']")
    expect(bench).to_have_attribute("data-loaded", "true", timeout=30_000)
    assert bench.locator("[data-role=review-text]").inner_text() == HOSTILE_TEXT
    assert HOSTILE_NAME in bench.locator("header").inner_text()
    assert page.locator("main img, main b, main script").count() == 0
    assert bench.locator("[data-role=stage]").inner_text() == "Cooling down"
    assert bench.locator("[data-role=triage]").first.is_visible()
    assert bench.locator("[data-role=countdown]").get_attribute("data-state") == "running"
    expect(page.locator("#timeline li")).to_have_count(1)
    assert "Viewed" in page.locator("#timeline li").first.inner_text()

    bench.locator("textarea[data-role=reply]").fill(UNSAFE_REPLY.replace("Alicia", "Lee"))
    expect(bench.locator("[data-role=check-status]")).to_have_attribute("data-state", "blocked", timeout=15_000)
    rules = {bench.locator("[data-role=violation]").nth(i).get_attribute("data-rule")
             for i in range(bench.locator("[data-role=violation]").count())}
    assert "phi_treatment" in rules, rules
    marked = "".join(bench.locator("[data-role=marks] mark").all_inner_texts())
    assert "root canal" in marked, marked
    assert bench.locator("[data-action=copy]").is_disabled()
    page.screenshot(path=str(shots / "2-review-unsafe-reply.png"), full_page=True)
    assert page.evaluate("window.__pwned") is None and not refused
    events = live_server.request("GET", f"/api/reviews/{ids['hostile']}").json["events"]
    assert [event["type"] for event in events] == ["viewed"]


def open_review(page, live_server, review_id: int):
    """Sign in, open the review's page and wait for its workbench: the workbench's locator."""
    page.set_viewport_size({"width": 1280, "height": 1000})
    sign_in(page, live_server)
    page.wait_for_selector("#reviews tbody tr")
    page.goto(live_server.url + f"/reviews/{review_id}")
    bench = page.locator(f"article.wb[data-review-id='{review_id}']")
    expect(bench).to_have_attribute("data-loaded", "true", timeout=30_000)
    return bench


def test_the_escalated_review_page_offers_nothing_to_copy(live_server, page, shots):
    ids = _ingest(live_server)
    bench = open_review(page, live_server, ids["threat"])
    assert bench.locator("[data-role=triage]").first.get_attribute("data-triage") == "escalate"
    copy = bench.locator("[data-action=copy]")
    assert copy.count() == 0 or copy.is_disabled() or not copy.is_visible()
    page.screenshot(path=str(shots / "3-review-escalated.png"), full_page=True)


def test_an_unknown_review_page_is_not_found(live_server, page):
    sign_in(page, live_server)
    page.wait_for_selector("#reviews")
    answer = page.goto(live_server.url + "/reviews/424242")
    assert answer.status == 404


@pytest.mark.usefixtures("reply_checker")
def test_answer_a_review_after_the_cool_down_then_log_the_call_and_see_the_stage_follow(live_server, page, shots):
    clock = Clock()
    live_server.app.config["CLOCK"] = clock
    review_id = live_server.request("POST", "/api/reviews", {"reviews": [
        review(platform_review_id="wait", reviewer_name="Jordan Ames", rating=2, text="Waited 50 minutes past my appointment time.")]}
    ).json["review_ids"][0]
    bench = open_review(page, live_server, review_id)
    assert bench.locator("[data-role=stage]").inner_text() == "Cooling down"
    assert bench.locator("[data-action=posted]").is_disabled()

    clock.advance(minutes=31)
    page.reload()
    expect(bench).to_have_attribute("data-loaded", "true", timeout=30_000)
    expect(bench.locator("[data-role=stage]")).to_have_text("Ready to reply")
    bench.locator("textarea[data-role=reply]").fill(
        "Thank you for telling us about the wait. We would like to hear more: please call our office manager.")
    expect(bench.locator("[data-role=check-status]")).to_have_attribute("data-state", "allowed", timeout=15_000)
    expect(bench.locator("[data-action=posted]")).to_be_enabled()
    bench.locator("[data-action=posted]").click()
    expect(bench.locator("[data-role=stage]")).to_have_text("Follow-up")
    expect(page.locator("#timeline li", has_text="Reply posted")).to_have_count(1)

    follow_up = bench.locator("[data-role=follow-up]")
    expect(follow_up).to_be_visible()
    follow_up.locator("[data-role=call-outcome][value=voicemail]").check()
    follow_up.locator("[data-action=call]").click()
    expect(follow_up.locator("[data-role=follow-up-due]")).to_contain_text("1 call logged")
    follow_up.locator("[data-action=resolved]").click()
    expect(bench.locator("[data-role=stage]")).to_have_text("Resolved")
    expect(page.locator("#timeline li", has_text="outcome voicemail")).to_have_count(1)
    expect(page.locator("#timeline li", has_text="Resolved")).to_have_count(1)
    types = [event["type"] for event in live_server.request("GET", f"/api/reviews/{review_id}").json["events"]]
    assert types == ["viewed", "viewed", "replied", "followup_call", "resolved"]

    live_server.request("POST", "/api/reviews", {"reviews": [
        review(platform_review_id="wait", reviewer_name="Jordan Ames", rating=4, text="Update: they called me and sorted it out.")]})
    page.reload()
    expect(page.locator("#versions li")).to_have_count(1)
    assert "Waited 50 minutes" in page.locator("#versions li").inner_text()
    expect(bench.locator("[data-role=review-text]")).to_have_text("Update: they called me and sorted it out.")
    expect(page.locator("#timeline li", has_text="Review changed on the platform")).to_have_count(1)
    page.screenshot(path=str(shots / "4-review-answered-and-resolved.png"), full_page=True)


def test_confirm_who_wrote_it_and_reject_a_namesake(live_server, page, shots):
    from server.contacts.importing import import_contacts
    from server.storage import Store

    export = ("Patient ID,First Name,Last Name,Phone,Last Visit\n"
              "P-100,Priya,Raman,555-301-2211,2026-11-20\n"
              "P-200,Priya,Raman,555-301-9988,2025-02-03\n").encode()  # two patients of the same name
    with Store.connect(live_server.app.config["DATABASE"]) as store:
        import_contacts(store, export, "patients.csv", now=datetime.now(timezone.utc))
    review_id = live_server.request("POST", "/api/reviews", {"reviews": [
        review(platform_review_id="priya", reviewer_name="Priya Raman", rating=3, text="Fine visit, long wait.")]}
    ).json["review_ids"][0]
    bench = open_review(page, live_server, review_id)
    candidates = bench.locator("[data-role=candidate]")
    expect(candidates).to_have_count(2, timeout=15_000)
    recent = bench.locator("[data-role=candidate]", has_text="2026-11-20")
    assert recent.locator(".wb-candidate-name").inner_text() == "Priya Raman"
    assert recent.locator(".wb-reasons li").count() >= 2
    recent_id = recent.get_attribute("data-contact-id")
    recent.locator("[data-action=confirm]").click()
    expect(bench.locator("[data-role=candidate][data-decision=confirmed]")).to_have_count(1)
    expect(page.locator("#timeline li", has_text="Contact confirmed")).to_have_count(1)
    other = bench.locator(f"[data-role=candidate]:not([data-contact-id='{recent_id}'])")
    other.locator("[data-action=reject]").click()
    expect(bench.locator("[data-role=candidate][data-decision=rejected]")).to_have_count(1)
    page.screenshot(path=str(shots / "5-review-who-wrote-it.png"), full_page=True)
    decided = {str(c["contact_id"]): c["decision"] for c in live_server.request("GET", f"/api/reviews/{review_id}/matches").json["candidates"]}
    assert decided.pop(recent_id) == "confirmed" and list(decided.values()) == ["rejected"]


def test_the_inbox_counts_a_cool_down_down_and_moves_the_review_when_it_ends(live_server, page):
    clock = Clock()
    live_server.app.config["CLOCK"] = clock
    review_id = live_server.request("POST", "/api/reviews", {"reviews": [
        review(platform_review_id="calm", reviewer_name="Sam Ortiz", rating=2, text="The billing office took a week to answer my question.")]}
    ).json["review_ids"][0]
    live_server.request("POST", f"/api/reviews/{review_id}/events", {"type": "viewed"})
    clock.advance(minutes=29, seconds=57)  # three seconds of cool-down left
    sign_in(page, live_server)
    row = page.locator(f"#reviews tbody tr[data-review-id='{review_id}']")
    expect(row).to_have_attribute("data-group", "cooling_down")
    first = row.locator("td.next").inner_text()
    assert re.fullmatch(r"Reply after the cool-down: 0:0[0-3] left\.", first), first
    clock.advance(seconds=3)  # the server's clock reaches the end as the page's count does
    expect(row).to_have_attribute("data-group", "ready", timeout=10_000)
    expect(row.locator("td.next")).to_have_text("Reply now.")


def test_staff_change_the_decision_with_its_category_and_see_it(live_server, page, shots):
    review_id = live_server.request("POST", "/api/reviews", {"reviews": [
        review(platform_review_id="desk", reviewer_name="Chris N.", rating=2, text="The wait was long and the parking was full.")]}
    ).json["review_ids"][0]
    bench = open_review(page, live_server, review_id)
    triage = bench.locator("[data-role=triage]").first
    triage.locator("[data-action=change-triage]").click()
    choice = triage.locator("[data-role=triage-choice]")
    expect(choice).to_be_visible()
    assert choice.locator("optgroup").evaluate_all("groups => groups.map(group => group.label)") == ["Do not reply", "Escalate"]
    choice.select_option(label="Escalate — violence")
    triage.locator("[data-role=triage-reason]").fill("A veiled threat against our receptionist.")
    triage.locator("[data-action=save-triage]").click()
    expect(triage).to_have_attribute("data-triage", "escalate")
    expect(triage.locator("[data-role=triage-category]")).to_have_text("Category: violence")
    expect(triage.locator("[data-role=triage-staff-decision]")).to_contain_text("Escalate — violence")
    expect(triage.locator("[data-role=triage-staff-decision]")).to_contain_text("A veiled threat against our receptionist.")
    expect(page.locator("#timeline li", has_text="Triage changed")).to_contain_text("now Escalate — violence")
    page.screenshot(path=str(shots / "6-review-decision-changed.png"), full_page=True)
    (changed,) = [event for event in live_server.request("GET", f"/api/reviews/{review_id}").json["events"]
                  if event["type"] == "triage_changed"]
    assert (changed["action"], changed["category"]) == ("escalate", "violence")
    assert changed["text"] == "The wait was long and the parking was full." and changed["was_action"] == "reply"


@pytest.mark.usefixtures("reply_checker")
def test_staff_override_a_sentence_only_the_learned_checker_blocks(live_server, page, shots):
    clock = Clock()
    live_server.app.config["CLOCK"] = clock
    review_id = live_server.request("POST", "/api/reviews", {"reviews": [
        review(platform_review_id="beach", reviewer_name="Robin K.", rating=5, text="Friendly team, on time, easy parking.")]}
    ).json["review_ids"][0]
    live_server.request("POST", f"/api/reviews/{review_id}/events", {"type": "viewed"})
    clock.advance(minutes=31)
    bench = open_review(page, live_server, review_id)
    expect(bench.locator("[data-role=stage]")).to_have_text("Ready to reply")
    sentence = "Enjoy the beach this summer!"
    bench.locator("textarea[data-role=reply]").fill(f"Thank you for the kind words! {sentence}")
    expect(bench.locator("[data-role=check-status]")).to_have_attribute("data-state", "blocked", timeout=15_000)
    blocked = bench.locator("[data-role=violation][data-rule=confirms_patient]")
    expect(blocked).to_have_count(1)
    expect(bench.locator("[data-action=copy]")).to_be_disabled()
    override = blocked.locator("[data-action=override-check]")
    assert "teaches the checker" in override.get_attribute("aria-label")
    override.click()
    form = blocked.locator("[data-role=override-form]")
    expect(form).to_be_visible()
    expect(form).to_contain_text("ReviewDesk will stop flagging this sentence")
    form.locator("[data-role=override-reason]").fill("A general summer wish, nothing about the reader's care.")
    page.screenshot(path=str(shots / "7-review-override-form.png"), full_page=True)
    form.locator("[data-action=save-override]").click()
    expect(bench.locator("[data-role=check-status]")).to_have_attribute("data-state", "allowed", timeout=15_000)
    expect(bench.locator("[data-role=violation][data-rule=confirms_patient]")).to_have_count(0)
    expect(bench.locator("[data-action=copy]")).to_be_enabled()
    expect(bench.locator("[data-role=override-note]")).to_contain_text(sentence)
    expect(page.locator("#timeline li", has_text="Checker overridden")).to_contain_text(f"“{sentence}” is safe")
    page.screenshot(path=str(shots / "8-review-overridden.png"), full_page=True)
    overrides = [event for event in live_server.request("GET", f"/api/reviews/{review_id}").json["events"]
                 if event["type"] == "check_overridden"]
    assert [(event["text"], event["label"]) for event in overrides] == [(sentence, "safe")]
    assert live_server.request("GET", f"/api/reviews/{review_id}").json["state"]["stage"] == "ready"
