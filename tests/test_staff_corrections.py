"""Staff corrections through the API as the toolbar and the dashboard send them (issue 12, item 4): a
changed triage carries its category and a snapshot of what was corrected; an override of the checker's
learned block is accepted only for such a block, changes no stage, and the practice's checker stops
flagging that sentence for every review while its rules still apply."""

from __future__ import annotations

from datetime import datetime, timezone

import json
import re
from pathlib import Path

import pytest

from server.web.app import create_app
from server.workflow.events import TRIAGE_CATEGORIES
from tests.conftest import Clock

pytestmark = pytest.mark.usefixtures("reply_checker")

THREAT = "My lawyer will hear about this long wait."
LEARNED = "Congratulations on the new little one!"  # the shipped sentence model blocks it; no rule has a word for it
DRAFT = f"Thank you so much for the kind words! {LEARNED}"


@pytest.fixture
def clock():
    return Clock(datetime(2026, 11, 2, 9, 0, tzinfo=timezone.utc))


@pytest.fixture
def app(data_dir, clock):
    return create_app({"TESTING": True, "DATA_DIR": str(data_dir), "CLOCK": clock})


def add(client, auth, key: str, text: str, rating: int = 5) -> int:
    review = {"platform": "google", "platform_review_id": key, "reviewer_name": "Dana Whitfield", "rating": rating, "text": text}
    return client.post("/api/reviews", headers=auth, json={"reviews": [review]}).json["review_ids"][0]


def log(client, auth, review_id: int, event_type: str, **fields):
    return client.post(f"/api/reviews/{review_id}/events", headers=auth, json={"type": event_type, **fields})


def events(client, auth, review_id: int) -> list[dict]:
    return client.get(f"/api/reviews/{review_id}", headers=auth).json["events"]


def checked(client, auth, review_id: int, reply: str) -> dict:
    return client.post("/api/replies/check", headers=auth, json={"reply": reply, "review_id": review_id}).json


# -- triage corrections --------------------------------------------------------------------------

def test_a_category_must_belong_to_the_chosen_action(client, auth):
    review_id = add(client, auth, "t", THREAT, rating=1)
    refused = log(client, auth, review_id, "triage_changed", action="escalate", category="spam", note="Looks like a threat.")
    assert refused.status_code == 400 and refused.json["error"] == "invalid_field"
    message = refused.json["message"]
    assert "'spam'" in message and all(category in message for category in ("clinical_harm", "violence", "self_harm", "legal"))
    assert log(client, auth, review_id, "triage_changed", action="reply", category="legal", note="x").status_code == 400
    assert log(client, auth, review_id, "triage_changed", action="do_not_reply", category="genuine", note="x").status_code == 400
    assert [event["type"] for event in events(client, auth, review_id)] == []


def test_a_changed_triage_keeps_the_text_and_what_the_triage_said(client, auth):
    review_id = add(client, auth, "t", THREAT, rating=1)
    answer = log(client, auth, review_id, "triage_changed", action="escalate", category="violence",
                 note="He came back to the desk and shouted threats.", text="ignored: the server takes the review's own text")
    assert answer.status_code == 200, answer.json
    (changed,) = events(client, auth, review_id)
    assert (changed["action"], changed["category"], changed["note"]) == ("escalate", "violence", "He came back to the desk and shouted threats.")
    assert (changed["text"], changed["was_action"], changed["was_category"]) == (THREAT, "escalate", "legal")
    advice = client.get(f"/api/reviews/{review_id}/suggestions", headers=auth).json
    assert advice["staff_decision"]["category"] == "violence" and advice["action"] == "escalate"

    # The review is re-captured with other words; the next decision snapshots those, and what staff had decided.
    client.post("/api/reviews", headers=auth, json={"reviews": [{"platform": "google", "platform_review_id": "t",
                                                                 "reviewer_name": "Dana Whitfield", "rating": 2,
                                                                 "text": "Update: they called me, all sorted."}]})
    assert log(client, auth, review_id, "triage_changed", action="reply", note="Sorted out on the phone.").status_code == 200
    latest = events(client, auth, review_id)[-1]
    assert (latest["category"], latest["text"]) == ("genuine", "Update: they called me, all sorted.")
    assert (latest["was_action"], latest["was_category"]) == ("escalate", "violence")


def test_an_action_without_a_category_is_still_accepted(client, auth):
    review_id = add(client, auth, "p", "Lovely front desk.", rating=5)
    assert log(client, auth, review_id, "triage_changed", action="escalate", note="The owner must see it.").status_code == 200
    (changed,) = events(client, auth, review_id)
    assert changed["action"] == "escalate" and changed["category"] is None


# -- checker overrides ---------------------------------------------------------------------------

def test_an_override_of_a_learned_block_is_logged_and_the_sentence_is_no_longer_flagged_for_any_review(client, auth):
    first, second = add(client, auth, "a", "Dr. Ames delivered our daughter, wonderful team."), add(client, auth, "b", "Great staff.")
    before = checked(client, auth, second, DRAFT)
    (blocked,) = [v for v in before["violations"] if v["severity"] == "block"]
    assert not before["allowed"] and blocked["learned"] is True and blocked["rule"] == "confirms_patient"
    sentence = DRAFT[blocked["start"]:blocked["end"]]
    assert sentence == LEARNED

    missing = log(client, auth, first, "check_overridden", reply=DRAFT, text=sentence)
    assert missing.status_code == 400 and missing.json["error"] == "invalid_field" and "note" in missing.json["message"]
    answer = log(client, auth, first, "check_overridden", reply=DRAFT, text=sentence, note="A birth announcement they made public.")
    assert answer.status_code == 200, answer.json
    assert answer.json["state"]["stage"] == "new"  # no stage changes
    (override,) = events(client, auth, first)
    assert {key: override[key] for key in ("text", "reply", "note", "label")} == {
        "text": LEARNED, "reply": DRAFT, "note": "A birth announcement they made public.", "label": "safe"}

    # Another review, the same sentence with other spacing and case: no longer flagged.
    after = checked(client, auth, second, "Thank you for the kind words!   Congratulations  on the NEW\nlittle one!")
    assert after["allowed"] is True and not [v for v in after["violations"] if v["severity"] == "block"]
    inline = client.post("/api/replies/check", headers=auth, json={"reply": DRAFT, "review": {"text": "Nice.", "rating": 5}}).json
    assert inline["allowed"] is True
    # A second override of the same sentence is no error (a retry from the toolbar's queue).
    assert log(client, auth, second, "check_overridden", reply=DRAFT, text=sentence, note="Same again.").status_code == 200


def test_the_rules_still_apply_to_an_approved_sentence(client, auth):
    review_id = add(client, auth, "a", "Dana here, great visit.")
    assert log(client, auth, review_id, "check_overridden", reply=DRAFT, text=LEARNED, note="Public news.").status_code == 200
    named = checked(client, auth, review_id, "Thank you for the kind words! Congratulations on the new little one, Dana!")
    assert "names_reviewer" in {v["rule"] for v in named["violations"] if v["severity"] == "block"}


def test_a_rule_block_cannot_be_overridden(client, auth):
    review_id = add(client, auth, "r", "The root canal hurt.", rating=2)
    draft = "Thank you for your feedback. We are sorry about your root canal."
    sentence = "We are sorry about your root canal."
    refused = log(client, auth, review_id, "check_overridden", reply=draft, text=sentence, note="It is fine.")
    assert refused.status_code == 422 and refused.json["error"] == "invalid_value"
    assert "phi_treatment" in refused.json["message"] and "cannot be overridden" in refused.json["message"]
    assert "rewrite" in refused.json["message"].lower()
    assert checked(client, auth, review_id, draft)["allowed"] is False
    assert events(client, auth, review_id) == []


def test_only_a_sentence_that_is_blocked_now_can_be_overridden(client, auth):
    review_id = add(client, auth, "s", "Great staff.")
    safe = "Thank you for the kind words! Our whole team appreciates it."
    refused = log(client, auth, review_id, "check_overridden", reply=safe, text="Our whole team appreciates it.", note="Fine.")
    assert refused.status_code == 422 and "nothing to override" in refused.json["message"]
    elsewhere = log(client, auth, review_id, "check_overridden", reply=safe, text=LEARNED, note="Fine.")
    assert elsewhere.status_code == 422  # not a sentence of the reply
    part = log(client, auth, review_id, "check_overridden", reply=DRAFT, text="the new little one", note="Fine.")
    assert part.status_code == 422 and "whole sentence" in part.json["message"]
    assert log(client, auth, review_id, "check_overridden", text=LEARNED, note="Fine.").status_code == 400  # no reply
    assert events(client, auth, review_id) == []


def test_a_posted_reply_is_checked_with_the_practices_approvals(client, auth, clock):
    first, second = add(client, auth, "a", "Wonderful team."), add(client, auth, "b", "Wonderful team again.")
    log(client, auth, second, "viewed")
    clock.advance(minutes=31)
    warned = log(client, auth, second, "replied", text=DRAFT).json
    assert any("confirms_patient" in warning for warning in warned["warnings"])
    log(client, auth, first, "check_overridden", reply=DRAFT, text=LEARNED, note="Public news.")
    log(client, auth, first, "viewed")
    clock.advance(minutes=31)
    answer = log(client, auth, first, "replied", text=DRAFT).json
    assert answer["warnings"] == [] and answer["state"]["stage"] == "replied"


def test_the_workbench_offers_the_servers_categories_of_each_action():
    source = (Path(__file__).resolve().parent.parent / "extension" / "workbench" / "format.js").read_text(encoding="utf-8")
    block = re.search(r"export const ACTION_CATEGORIES = (\{.*?\});", source, re.S).group(1)
    offered = json.loads(re.sub(r"(\w+):", r'"\1":', block).replace(",\n}", "\n}"))
    assert offered == {action: list(categories) for action, categories in TRIAGE_CATEGORIES.items()}
