"""staff_corrections: what ``reviewdesk retrain`` reads of the practice's own corrections, from the event log."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from parsers.review import Review
from server.errors import InvalidField
from server.reviews.ingest import ingest
from server.workflow.corrections import staff_corrections
from server.workflow.events import StaffEvent, log_event

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)
LEARNED = "Congratulations on the new little one!"


def stored(store, key: str, text: str, rating: int = 2) -> dict:
    [review_id] = ingest(store, [Review(platform="google", platform_review_id=key, reviewer_name="Dana Whitfield", rating=rating,
                                        text=text)], NOW).review_ids
    return store.get_review(review_id)


def change(store, review, action, category=None, note="Because.", minutes=0):
    return log_event(store, review, StaffEvent("triage_changed", action=action, category=category, note=note),
                     NOW + timedelta(minutes=minutes))


def test_nothing_corrected_reads_empty(store):
    corrections = staff_corrections(store)
    assert (corrections.triage, corrections.reply_sentences) == ([], [])
    assert corrections.counts == {"triage": 0, "reply_sentences": 0, "skipped": 0}


def test_the_latest_decision_per_review_with_its_text_and_category(store):
    threat = stored(store, "t", "My lawyer will hear about this.", rating=1)
    plain = stored(store, "p", "Staff were rude when I asked about the bill.")
    empty = stored(store, "e", "", rating=1)
    change(store, threat, "escalate", "violence")
    change(store, threat, "reply", note="A joke about a lawyer friend.", minutes=1)  # the later decision wins
    change(store, plain, "do_not_reply", "harassment", minutes=2)
    change(store, empty, "escalate", "legal", minutes=3)  # no text to learn from
    corrections = staff_corrections(store)
    assert corrections.triage == [("My lawyer will hear about this.", "genuine"),
                                  ("Staff were rude when I asked about the bill.", "harassment")]
    assert corrections.counts == {"triage": 2, "reply_sentences": 0, "skipped": 1}


def test_an_action_without_category_teaches_nothing_but_a_reply_is_genuine(store):
    review = stored(store, "x", "The wait was long.")
    change(store, review, "escalate")
    assert staff_corrections(store).triage == [] and staff_corrections(store).skipped == 1
    change(store, review, "reply", minutes=1)
    assert staff_corrections(store).triage == [("The wait was long.", "genuine")]


def test_a_category_of_another_action_is_refused_and_nothing_is_logged(store):
    review = stored(store, "x", "The wait was long.")
    with pytest.raises(InvalidField) as refused:
        change(store, review, "do_not_reply", "legal")
    assert refused.value.field == "category" and "spam" in refused.value.message
    assert store.review_events(review["id"]) == []


@pytest.mark.usefixtures("reply_checker")
def test_approved_sentences_are_listed_once_each(store):
    first, second = stored(store, "a", "Lovely team.", rating=5), stored(store, "b", "Lovely team again.", rating=5)
    draft = f"Thank you for the kind words! {LEARNED}"
    for review, sentence in ((first, LEARNED), (second, "  Congratulations on the NEW   little one! ")):
        logged = log_event(store, review, StaffEvent("check_overridden", reply=draft.replace(LEARNED, sentence.strip()),
                                                     text=sentence, note="Public news."), NOW)
        assert logged.state["stage"] == "new"  # an override changes no stage
    corrections = staff_corrections(store)
    assert corrections.reply_sentences == [LEARNED]
    assert corrections.counts["reply_sentences"] == 1
    assert [event["type"] for event in store.review_events(first["id"])] == ["check_overridden"]
