"""The reply API as the toolbar and dashboard use it: settings, triage with suggestions, checking drafts."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.usefixtures("reply_checker")


def add_review(client, auth, **fields) -> int:
    review = {"platform": "google", "reviewer_name": "Dana Whitfield", "rating": 1,
              "text": "The root canal hurt and the front desk was rude.", **fields}
    return client.post("/api/reviews", headers=auth, json={"reviews": [review]}).json["review_ids"][0]


def test_settings_are_validated_and_kept(client, auth):
    assert client.get("/api/settings", headers=auth).json["settings"]["max_sentences"] == 3
    answer = client.put("/api/settings", headers=auth, json={"practice_name": "Maple Family Dental",
                                                             "office_phones": ["(512) 555-0100"], "staff_names": ["Dr. Lee"]})
    assert answer.status_code == 200 and answer.json["settings"]["office_phones"] == ["(512) 555-0100"]
    assert client.get("/api/settings", headers=auth).json["settings"]["practice_name"] == "Maple Family Dental"
    for bad, says in (({"office_phones": ["call us"]}, "phone number"), ({"office_emails": ["nope"]}, "e-mail"),
                      ({"max_sentences": 0}, "1 to 10"), ({"colour": "blue"}, "Unknown setting"), ({"suggest_positive": "yes"}, "true or false")):
        refused = client.put("/api/settings", headers=auth, json=bad)
        assert refused.status_code == 422 and says in refused.json["message"]


def test_suggestions_for_a_negative_review_use_the_practice_line(client, auth):
    client.put("/api/settings", headers=auth, json={"office_phones": ["(512) 555-0100"]})
    review_id = add_review(client, auth)
    body = client.get(f"/api/reviews/{review_id}/suggestions", headers=auth).json
    assert body["action"] == "reply" and body["sentiment"] == "negative"
    assert len(body["suggestions"]) >= 3
    for suggestion in body["suggestions"]:
        assert "(512) 555-0100" in suggestion["text"] and "root canal" not in suggestion["text"]
        assert suggestion["violations"] == []


def test_a_legal_threat_gets_no_suggestions_but_an_escalation(client, auth):
    review_id = add_review(client, auth, text="My attorney will contact you about this malpractice.")
    body = client.get(f"/api/reviews/{review_id}/suggestions", headers=auth).json
    assert body["action"] == "escalate" and body["suggestions"] == [] and body["notify"]


@pytest.mark.usefixtures("profanity_model")
def test_a_troll_gets_the_platform_report_path(client, auth):
    review_id = add_review(client, auth, platform="yelp", text="You are all idiots and losers, rot in hell")
    body = client.get(f"/api/reviews/{review_id}/suggestions", headers=auth).json
    assert body["action"] == "do_not_reply" and "Yelp" in body["report_path"]


def test_positive_suggestions_can_be_turned_off(client, auth):
    review_id = add_review(client, auth, rating=5, text="Lovely team!")
    assert client.get(f"/api/reviews/{review_id}/suggestions", headers=auth).json["suggestions"]
    client.put("/api/settings", headers=auth, json={"suggest_positive": False})
    assert client.get(f"/api/reviews/{review_id}/suggestions", headers=auth).json["suggestions"] == []


def test_checking_a_draft_against_a_stored_or_inline_review(client, auth):
    client.put("/api/settings", headers=auth, json={"office_phones": ["(512) 555-0100"]})
    review_id = add_review(client, auth)
    draft = "Dana, we're sorry about your root canal. Please call (512) 555-0100."
    body = client.post("/api/replies/check", headers=auth, json={"reply": draft, "review_id": review_id}).json
    assert body["allowed"] is False
    rules = {v["rule"]: draft[v["start"]:v["end"]] for v in body["violations"]}
    assert rules["names_reviewer"] == "Dana" and rules["phi_treatment"] == "root canal"
    inline = client.post("/api/replies/check", headers=auth, json={
        "reply": "Thank you for the feedback; please call our office manager at (512) 555-0100.",
        "review": {"text": "Rude.", "reviewer_name": "Sam K.", "platform": "yelp", "rating": 2}}).json
    assert inline["allowed"] is True and inline["violations"] == []


def test_check_refusals(client, auth):
    assert client.post("/api/replies/check", headers=auth, json={"reply": "x"}).status_code == 400
    assert client.post("/api/replies/check", headers=auth, json={"reply": 5, "review": {}}).status_code == 422
    assert client.post("/api/replies/check", headers=auth, json={"reply": "x", "review_id": 999}).status_code == 404
    assert client.get("/api/reviews/999/suggestions", headers=auth).status_code == 404
