"""The review-merge rules, as a pure function of the stored row and the new copy (no HTTP, no database)."""

from __future__ import annotations

from parsers.review import UNKNOWN, OwnerReply, Review
from server.reviews.merge import identify, merge

FIRST_SEEN = "2026-11-20T10:00:00Z"
LATER = "2026-11-23T10:00:00Z"


def captured(**fields) -> Review:
    base = dict(platform="google", platform_review_id="r1", reviewer_name="Dana Whitfield", rating=2,
                text="Waited a long time at the front desk.", owner_reply=None)
    base.update(fields)
    return Review(**base)


def stored(review: Review) -> dict:
    """The row a first capture stores (with the id storage would give it)."""
    return {"id": 7, **merge(None, review, FIRST_SEEN).values}


def test_a_new_review_is_a_whole_row_first_seen_now():
    changes = merge(None, captured(), FIRST_SEEN)
    assert changes.new and not changes.events
    assert changes.values["first_seen_at"] == changes.values["last_seen_at"] == FIRST_SEEN
    assert changes.values["version"] == 1 and changes.values["rating"] == 2


def test_a_new_review_that_already_has_a_reply_logs_it_as_replied_before_we_saw_it():
    changes = merge(None, captured(owner_reply=OwnerReply("Thank you for the feedback.", date_min="2026-11-18T00:00:00Z",
                                                          date_max="2026-11-18T23:59:59Z")), FIRST_SEEN)
    [(kind, at, data)] = changes.events
    assert kind == "replied" and at == "2026-11-18T23:59:59Z" and data["already_replied_when_first_seen"] is True


def test_the_same_review_again_changes_nothing_but_when_it_was_last_seen():
    changes = merge(stored(captured()), captured(), LATER)
    assert not changes.new and not changes.changed and not changes.events and changes.earlier_version is None
    assert changes.values["last_seen_at"] == LATER and "text" not in changes.values


def test_a_changed_rating_keeps_the_earlier_version_and_logs_old_and_new():
    changes = merge(stored(captured()), captured(rating=4), LATER)
    assert changes.changed and changes.values["rating"] == 4 and changes.values["version"] == 2
    assert changes.earlier_version["rating"] == 2 and changes.earlier_version["replaced_at"] == LATER
    assert changes.events == [("review_updated", LATER, {"changes": {"rating": {"old": 2, "new": 4}}})]


def test_a_copy_cut_short_by_more_never_replaces_the_full_text():
    full = stored(captured(text="Waited a long time at the front desk, then the hygienist was lovely."))
    changes = merge(full, captured(text="Waited a long time at the front desk, then…", text_truncated=True), LATER)
    assert not changes.changed and "text" not in changes.values


def test_the_full_text_of_a_shortened_copy_completes_it_without_a_new_version():
    short = stored(captured(text="Waited a long time at the front desk, then…", text_truncated=True))
    changes = merge(short, captured(text="Waited a long time at the front desk, then left."), LATER)
    assert not changes.changed and changes.values["text"] == "Waited a long time at the front desk, then left."
    assert changes.values["text_truncated"] == 0


def test_a_reply_that_appears_is_a_change_and_a_detected_reply():
    changes = merge(stored(captured()), captured(owner_reply=OwnerReply("We are sorry to hear this.")), LATER)
    assert [kind for kind, _, _ in changes.events] == ["review_updated", "replied"]
    assert changes.events[1][2]["already_replied_when_first_seen"] is False


def test_a_source_that_does_not_show_replies_keeps_the_known_one():
    with_reply = stored(captured(owner_reply=OwnerReply("We are sorry to hear this.")))
    changes = merge(with_reply, captured(owner_reply=UNKNOWN), LATER)
    assert not changes.changed and "owner_reply_text" not in changes.values


def test_shown_date_ranges_narrow_to_what_both_captures_allow():
    week = stored(captured(date_min="2026-11-09T00:00:00Z", date_max="2026-11-16T23:59:59Z", date_precision="week"))
    changes = merge(week, captured(date_min="2026-11-12T00:00:00Z", date_max="2026-11-20T23:59:59Z", date_precision="week"), LATER)
    assert (changes.values["date_min"], changes.values["date_max"]) == ("2026-11-12T00:00:00Z", "2026-11-16T23:59:59Z")


def test_an_id_shown_later_is_adopted():
    without_id = stored(captured(platform_review_id=None))
    assert merge(without_id, captured(platform_review_id="r9"), LATER).values["platform_review_id"] == "r9"


def test_a_review_is_its_platform_id_else_an_unambiguous_fingerprint():
    with_id, without_id, other = {"id": 1, "platform_review_id": "r1"}, {"id": 2, "platform_review_id": None}, {"id": 3, "platform_review_id": "r3"}

    def fingerprints(*rows):
        return lambda without_id_only: [row for row in rows if not without_id_only or row["platform_review_id"] is None]

    assert identify(captured(), [with_id], fingerprints(without_id)) == with_id
    assert identify(captured(), [], fingerprints(without_id, other)) == without_id  # captured earlier without an id: adopted
    assert identify(captured(), [], fingerprints(other)) is None  # a different review of the same person with its own id
    assert identify(captured(platform_review_id=None), [], fingerprints(other)) == other  # only one fits
    assert identify(captured(platform_review_id=None), [], fingerprints(other, {"id": 4, "platform_review_id": "r4"})) is None
