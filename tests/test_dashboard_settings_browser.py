"""The settings page in real Chromium: change and save settings, a refused value shown at its field,
hostile text as text, and the pairing token (show, copy, rotate).

Screenshots go to a temporary folder whose path is printed (run with ``-s`` to see it)."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.test_dashboard_browser import sign_in
from tests.test_review_page_browser import shots  # noqa: F401  (the screenshots folder fixture)

HOSTILE_NAME = '<img src=x onerror="window.__pwned = 1">Maple <b>Dental</b> <script>window.__pwned = 2</script>'
HOSTILE_STAFF = "<script>window.__pwned = 3</script>Dr. Lee"


def open_settings(page, live_server):
    page.set_viewport_size({"width": 1200, "height": 900})
    sign_in(page, live_server)
    page.wait_for_url(live_server.url + "/")
    page.goto(live_server.url + "/settings")
    expect(page.locator("#settings-form")).to_be_visible()


def field(page, name):
    return page.locator(f"[data-setting={name}]")


def stored(live_server) -> dict:
    return live_server.request("GET", "/api/settings").json["settings"]


def test_change_settings_and_see_them_kept_after_a_reload(live_server, page, shots):
    open_settings(page, live_server)
    assert page.locator("fieldset legend").all_inner_texts() == [
        "Practice details used in replies", "Cool-down, targets and follow-up calls", "Review requests and the rating target"]
    cooldown = field(page, "cooldown_minutes")
    assert cooldown.locator("input").input_value() == "30"
    assert "Default: 30." in cooldown.locator(".help").inner_text()
    assert "never below 15" in cooldown.locator(".help").inner_text()
    assert field(page, "time_zone").locator("option").first.inner_text().startswith("This computer's time zone (")
    page.screenshot(path=str(shots / "1-settings.png"), full_page=True)

    page.fill("#setting-practice_name", "Maple Family Dental")
    page.fill("#setting-cooldown_minutes", "45")
    page.fill("#setting-staff_names", "Dr. Lee\n\n  Karen Ortiz  \n")
    page.uncheck("#setting-suggest_positive")
    page.select_option("#setting-time_zone", "America/Chicago")
    page.click("[data-action=save]")
    expect(page.locator("#save-status")).to_have_text(
        "Saved: Practice name, Staff names allowed in replies, Suggest thank-you replies for positive reviews, "
        "Cool-down before replying (minutes), Time zone.")
    settings = stored(live_server)
    assert settings["practice_name"] == "Maple Family Dental" and settings["cooldown_minutes"] == 45
    assert settings["staff_names"] == ["Dr. Lee", "Karen Ortiz"] and settings["suggest_positive"] is False
    assert settings["time_zone"] == "America/Chicago" and settings["contact_role"] == "our office manager"
    page.screenshot(path=str(shots / "2-saved.png"), full_page=True)

    page.reload()
    expect(page.locator("#settings-form")).to_be_visible()
    assert page.input_value("#setting-practice_name") == "Maple Family Dental"
    assert page.input_value("#setting-cooldown_minutes") == "45"
    assert page.input_value("#setting-staff_names") == "Dr. Lee\nKaren Ortiz"
    assert not page.is_checked("#setting-suggest_positive")
    assert page.input_value("#setting-time_zone") == "America/Chicago"
    page.click("[data-action=save]")
    expect(page.locator("#save-status")).to_have_text("Nothing to save: no setting was changed.")


def test_a_refused_value_is_explained_at_its_field_and_the_other_changes_stay(live_server, page, shots):
    open_settings(page, live_server)
    page.fill("#setting-practice_name", "Maple Family Dental")
    page.fill("#setting-cooldown_minutes", "5")
    page.fill("#setting-office_emails", "frontdesk@maple.example\nnot an address")
    page.click("[data-action=save]")
    error = field(page, "cooldown_minutes").locator("[data-role=field-error]")
    expect(error).to_be_visible()
    assert "never shorter than 15 minutes" in error.inner_text()
    assert "'not an address' is not a valid e-mail address" in field(page, "office_emails").locator("[data-role=field-error]").inner_text()
    assert field(page, "practice_name").locator("[data-role=field-error]").is_hidden()
    expect(page.locator("#save-status")).to_have_text(
        "Nothing was saved: Office e-mail addresses, Cool-down before replying (minutes) need another value "
        "(see the message under each). Your other changes are still in the form.")
    assert page.input_value("#setting-practice_name") == "Maple Family Dental"  # nothing typed is lost
    assert page.evaluate("document.activeElement.id") == "setting-office_emails"  # the first refused field, in the form's order
    assert stored(live_server)["practice_name"] == ""
    page.screenshot(path=str(shots / "3-refused.png"), full_page=True)

    page.fill("#setting-cooldown_minutes", "20")
    expect(error).to_be_hidden()
    page.fill("#setting-office_emails", "frontdesk@maple.example")
    page.click("[data-action=save]")
    expect(page.locator("#save-status")).to_contain_text("Saved: Practice name, Office e-mail addresses")
    assert stored(live_server)["cooldown_minutes"] == 20


def test_hostile_text_in_settings_shows_as_text(live_server, page, shots):
    live_server.request("PUT", "/api/settings", {"practice_name": HOSTILE_NAME, "staff_names": [HOSTILE_STAFF, "Karen"]})
    open_settings(page, live_server)
    assert page.input_value("#setting-practice_name") == HOSTILE_NAME
    assert page.input_value("#setting-staff_names") == f"{HOSTILE_STAFF}\nKaren"
    assert page.locator("main img, main b, main script").count() == 0
    page.fill("#setting-contact_role", "our practice manager")
    page.click("[data-action=save]")
    expect(page.locator("#save-status")).to_have_text("Saved: Who readers are invited to contact.")
    assert stored(live_server)["practice_name"] == HOSTILE_NAME  # kept as typed, only the changed value was sent
    assert page.evaluate("window.__pwned") is None
    page.screenshot(path=str(shots / "4-hostile.png"), full_page=True)


def test_show_copy_and_rotate_the_pairing_token(live_server, page, shots):
    old = live_server.token
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    open_settings(page, live_server)
    token = page.locator("#pairing-token")
    expect(page.locator("#server-address")).to_have_value(live_server.url)
    expect(token).to_have_value(old)
    assert token.get_attribute("type") == "password"  # hidden until asked
    page.locator("#pairing").screenshot(path=str(shots / "5-pairing-hidden.png"))

    page.click("[data-action=show-token]")
    assert token.get_attribute("type") == "text"
    expect(page.locator("[data-action=show-token]")).to_have_text("Hide")
    page.click("[data-action=copy-token]")
    expect(page.locator("#pairing-status")).to_have_text("The pairing token is copied. Paste it into the toolbar's options.")
    assert page.evaluate("navigator.clipboard.readText()") == old
    page.click("[data-action=show-token]")
    assert token.get_attribute("type") == "password"

    page.click("[data-action=rotate]")
    confirm = page.locator("#rotate-confirm")
    expect(confirm).to_be_visible()
    assert "stops sending reviews until you paste the new token" in confirm.inner_text()
    page.locator("#pairing").screenshot(path=str(shots / "6-rotate-confirm.png"))
    page.click("[data-action=rotate-cancel]")
    expect(confirm).to_be_hidden()
    assert live_server.request("GET", "/api/reviews").status == 200  # cancelled: nothing changed

    page.click("[data-action=rotate]")
    page.click("[data-action=rotate-confirm]")
    expect(page.locator("#pairing-status")).to_contain_text("A new token is made")
    new = token.input_value()
    assert new != old and token.get_attribute("type") == "text"
    page.locator("#pairing").screenshot(path=str(shots / "7-rotated.png"))

    assert live_server.request("GET", "/api/reviews").status == 401  # the old token, as the toolbar still has it
    assert live_server.request("GET", "/api/reviews", headers={"Authorization": f"Bearer {new}"}).status == 200
    page.reload()  # this window stays signed in and can still save
    expect(page.locator("#pairing-token")).to_have_value(new)
    page.fill("#setting-practice_name", "Maple Family Dental")
    page.click("[data-action=save]")
    expect(page.locator("#save-status")).to_have_text("Saved: Practice name.")
