"""Official API responses and exports: Google Business Profile, Yelp Fusion, Facebook Graph ratings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from parsers.exports import ExportError, parse_export

EXPORTS = Path(__file__).parent / "exports"


def load(name: str):
    return parse_export(json.loads((EXPORTS / name).read_text(encoding="utf-8")))


def test_google_business_profile_reviews():
    result = load("google_business_profile_api.json")
    assert result.platform == "google"
    first, translated, anonymous = result.reviews
    assert (first.platform_review_id, first.reviewer_name, first.rating) == ("AIe9_BGn4kLmQpRsTuV", "Harriet Okafor", 2)
    assert first.text == "Front desk lost my paperwork twice.\nStill waiting on a call back."
    assert first.created_at == "2026-10-02T15:04:11Z" and first.edited is True
    assert (first.date_min, first.date_max, first.date_precision) == ("2026-10-02T15:04:11Z", "2026-10-02T15:04:11Z", "second")
    assert first.owner_reply.text.startswith("Thank you for your feedback")
    assert first.owner_reply.created_at == "2026-10-10T12:30:00Z"
    assert translated.text == "Personal muy amable."  # the original, not Google's translation
    assert translated.owner_reply is None and translated.edited is None
    assert anonymous.reviewer_name == "A Google user" and anonymous.text == "" and anonymous.rating == 4


def test_google_takeout_list_of_reviews():
    data = json.loads((EXPORTS / "google_business_profile_api.json").read_text())["reviews"]
    assert len(parse_export(data).reviews) == 3


def test_yelp_fusion_reviews_are_excerpts_in_pacific_time():
    result = load("yelp_fusion.json")
    assert result.platform == "yelp"
    first, second = result.reviews
    assert first.reviewer_name == "Priya R." and first.rating == 5 and first.text_truncated
    assert first.created_at == "2026-07-05T01:30:00Z"  # 18:30 PDT
    assert second.created_at == "2026-01-15T16:05:00Z"  # 08:05 PST
    assert first.reviewer_url == "https://www.yelp.com/user_details?userid=W8UK02IDdRS2GL_66fuq6w"
    assert any("excerpts" in warning for warning in result.warnings)


def test_facebook_ratings():
    result = load("facebook_ratings.json")
    assert result.platform == "facebook"
    negative, stars = result.reviews
    assert negative.recommends is False and negative.rating is None and negative.platform_review_id == "2874651923381029"
    assert negative.created_at == "2026-05-01T14:22:09Z"
    assert stars.rating == 5 and stars.recommends is None and stars.text == ""


@pytest.mark.parametrize("data", [{}, {"items": []}, [1, 2], {"data": [{"message": "hi"}]}, "text"])
def test_unknown_json_says_what_it_expected(data):
    with pytest.raises(ExportError, match="Google Business Profile"):
        parse_export(data)


def test_a_malformed_entry_is_skipped_not_fatal():
    data = {"reviews": [{"reviewer": "not an object", "starRating": "FIVE"},
                        {"reviewer": {"displayName": "Ivy Chen"}, "starRating": "FOUR", "comment": 42},
                        {"reviewer": {"displayName": "Sam Ortiz"}, "starRating": "THREE", "comment": "Fine."}]}
    result = parse_export(data)
    assert [r.reviewer_name for r in result.reviews] == ["Sam Ortiz"]
    assert len([w for w in result.warnings if "expected shape" in w]) == 2


def test_export_times_are_read_as_iso_8601_and_an_impossible_one_is_left_out():
    result = parse_export({"reviews": [
        {"reviewer": {"displayName": "Ann Example"}, "starRating": "FIVE", "createTime": "2026-10-02T15:04:11.5+02:00"},
        {"reviewer": {"displayName": "Bo Example"}, "starRating": "FOUR", "createTime": "2026-10-02t15:04:11z"},
        {"reviewer": {"displayName": "Cy Example"}, "starRating": "ONE", "createTime": "0001-01-01T00:00:00+01:00"},
    ]})
    assert [review.created_at for review in result.reviews] == ["2026-10-02T13:04:11Z", "2026-10-02T15:04:11Z", None]
    assert result.reviews[2].date_min is None and result.warnings == []
