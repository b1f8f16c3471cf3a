"""The stats' series for the dashboard (server.workflow.stats): periods, averages per platform and the running
average the public sees, when a review was written, the practice's calendar, reply times against the target,
follow-up outcomes, and this month's figures. Reviews and events are stored in a real SQLite database, as the
server stores them; the figures are then summed in SQL."""

from __future__ import annotations

import secrets
import tempfile
from dataclasses import asdict
from datetime import datetime, timezone
from itertools import count
from pathlib import Path

from server.storage import Store, initialise
from server.workflow.events import refresh_progress
from server.workflow.state import WorkflowSettings
from server.workflow.stats import practice_stats

NOW = datetime(2026, 11, 20, 15, 0, tzinfo=timezone.utc)
UTC = WorkflowSettings(time_zone="UTC")
ids = count(1)


def review(platform: str = "google", rating: int | None = 5, *, seen: str = "2026-11-02T09:00:00Z", written: str | None = None,
           written_between: tuple[str, str] | None = None, recommends: bool | None = None) -> dict:
    low, high = written_between or (None, None)
    return {"id": next(ids), "platform": platform, "rating": rating, "recommends": recommends, "created_at": written,
            "date_min": low, "date_max": high, "first_seen_at": seen}


def event(kind: str, at: str, **data) -> dict:
    return {"type": kind, "at": at, **data}


def _stored(path: Path) -> Store:
    initialise(path)
    return Store.connect(path)


def stats(reviews: list[dict], events: dict | None = None, months: int | None = None, settings: WorkflowSettings = UTC) -> dict:
    """The stats of these reviews and events (by review id), stored in a new database as the server stores them."""
    with tempfile.TemporaryDirectory() as folder, _stored(Path(folder) / "stats.db") as store:
        with store.write():
            stored = {}
            for item in reviews:
                stored[item["id"]] = store.insert_review({
                    "platform": item["platform"], "fingerprint": secrets.token_hex(8), "reviewer_name": f"Reviewer {item['id']}",
                    "rating": item["rating"], "recommends": item["recommends"], "created_at": item["created_at"],
                    "date_min": item["date_min"], "date_max": item["date_max"], "first_seen_at": item["first_seen_at"],
                    "last_seen_at": item["first_seen_at"], "changed_at": item["first_seen_at"]})
            for review_id, log in (events or {}).items():
                for entry in log:
                    data = {key: value for key, value in entry.items() if key not in ("type", "at")}
                    store.append_event(stored[review_id], entry["type"], at=entry["at"], recorded_at=entry["at"], data=data)
            refresh_progress(store, list(stored.values()))
        values = asdict(settings)
        store.update_settings({name: values[name] for name in ("cooldown_minutes", "response_target_hours", "followup_business_days",
                                                               "time_zone")}, "2026-11-01T00:00:00Z")
        return practice_stats(store, NOW, 4.5, months)


def test_ratings_per_month_and_platform_with_the_running_average():
    reviews = [
        review(rating=5, written="2026-07-10T10:00:00Z"), review(rating=4, written="2026-07-20T10:00:00Z"),
        review(rating=1, written="2026-10-03T10:00:00Z"),
        review("yelp", 2, written="2026-08-05T10:00:00Z"),
    ]
    trend = stats(reviews)["trend"]  # four months and more: per month
    assert trend["unit"] == "month" and trend["periods"] == ["2026-07", "2026-08", "2026-09", "2026-10", "2026-11"]
    assert trend["platforms"]["google"] == [
        {"period": "2026-07", "count": 2, "average": 4.5, "running_count": 2, "running_average": 4.5},
        {"period": "2026-08", "count": 0, "average": None, "running_count": 2, "running_average": 4.5},
        {"period": "2026-09", "count": 0, "average": None, "running_count": 2, "running_average": 4.5},
        {"period": "2026-10", "count": 1, "average": 1.0, "running_count": 3, "running_average": 3.33},
        {"period": "2026-11", "count": 0, "average": None, "running_count": 3, "running_average": 3.33},
    ]
    assert [point["running_average"] for point in trend["platforms"]["yelp"]] == [None, 2.0, 2.0, 2.0, 2.0]


def test_a_review_is_dated_when_written_else_when_first_seen():
    reviews = [
        # shown as "3 months ago": the middle of its range is August 4 (its exact time is not known)
        review(rating=2, written_between=("2026-07-25T00:00:00Z", "2026-08-14T23:59:59Z"), written="2026-11-01T00:00:00Z"),
        review(rating=4, written="2026-09-30T12:00:00Z", seen="2026-11-02T09:00:00Z"),
        review(rating=3, seen="2026-10-15T09:00:00Z"),
    ]
    google = {point["period"]: point["count"] for point in stats(reviews)["trend"]["platforms"]["google"]}
    assert google == {"2026-08": 1, "2026-09": 1, "2026-10": 1, "2026-11": 0}


def test_months_follow_the_practice_calendar():
    late_evening = review(rating=5, written="2026-11-01T03:00:00Z")  # still October 31 in Chicago
    chicago = stats([late_evening], months=6, settings=WorkflowSettings(time_zone="America/Chicago"))["trend"]
    assert {point["period"]: point["count"] for point in chicago["platforms"]["google"]}["2026-10"] == 1
    in_utc = stats([late_evening], months=6)["trend"]
    assert {point["period"]: point["count"] for point in in_utc["platforms"]["google"]}["2026-11"] == 1


def test_a_short_span_goes_per_week_and_a_window_keeps_earlier_reviews_in_the_running_average():
    reviews = [review(rating=1, written="2025-01-10T10:00:00Z"), review(rating=5, written="2026-11-17T10:00:00Z")]
    recent = stats(reviews, months=3)["trend"]
    assert recent["unit"] == "week" and recent["months"] == 3
    assert recent["periods"][0] == "2026-08-31" and recent["periods"][-1] == "2026-11-16"  # Mondays, Sep 1 to today
    assert recent["platforms"]["google"][0]["running_count"] == 1 and recent["platforms"]["google"][-1]["running_average"] == 3.0
    year = stats(reviews, months=12)["trend"]
    assert year["unit"] == "month" and year["periods"][0] == "2025-12" and len(year["periods"]) == 12
    everything = stats(reviews)["trend"]
    assert everything["periods"][0] == "2025-01" and len(everything["periods"]) == 23
    only_recent = stats([review(rating=5, written="2026-11-03T10:00:00Z")])["trend"]
    assert only_recent["unit"] == "week" and only_recent["periods"] == ["2026-11-02", "2026-11-09", "2026-11-16"]


def test_facebook_recommendations_are_counted_not_averaged():
    reviews = [review("facebook", None, recommends=True, written="2026-10-02T10:00:00Z"),
               review("facebook", None, recommends=False, written="2026-11-02T10:00:00Z"),
               review("facebook", None, recommends=True, written="2026-11-05T10:00:00Z")]
    result = stats(reviews, months=4)
    assert result["trend"]["facebook_recommendations"][-2:] == [{"period": "2026-10", "recommends": 1, "doesnt_recommend": 0},
                                                           {"period": "2026-11", "recommends": 1, "doesnt_recommend": 1}]
    assert all(point["count"] == 0 for point in result["trend"]["platforms"]["facebook"])
    assert result["star_counts"] == {"overall": {"1": 0, "2": 0, "3": 0, "4": 0, "5": 0}}


def test_reply_times_per_month_against_the_target():
    on_time = review(rating=5, seen="2026-07-05T09:00:00Z")
    late = review(rating=5, seen="2026-07-06T09:00:00Z")
    waiting = review(rating=5, seen="2026-11-18T09:00:00Z")  # not replied, past the 24 h target
    quick = review(rating=4, seen="2026-11-19T09:00:00Z")
    events = {
        on_time["id"]: [event("viewed", "2026-07-05T09:10:00Z"), event("replied", "2026-07-05T13:00:00Z")],   # 4 h
        late["id"]: [event("viewed", "2026-07-06T09:10:00Z"), event("replied", "2026-07-08T09:00:00Z")],      # 48 h
        quick["id"]: [event("viewed", "2026-11-19T09:10:00Z"), event("replied", "2026-11-19T10:00:00Z")],     # 1 h
    }
    result = stats([on_time, late, waiting, quick], events)
    assert result["trend"]["target_hours"] == 24
    assert [point for point in result["trend"]["replies"] if point["due"]] == [
        {"period": "2026-07", "due": 2, "replied": 2, "median_hours": 26.0, "within_target": 1, "share_within_target": 0.5},
        {"period": "2026-11", "due": 2, "replied": 1, "median_hours": 1.0, "within_target": 1, "share_within_target": 0.5},
    ]
    assert result["trend"]["replies_in_window"]["share_within_target"] == 0.5
    assert result["this_month"] == {"period": "2026-11", "reviews": 2, "replies_due": 2, "replied": 1, "within_target": 1,
                                    "share_within_target": 0.5, "follow_up_calls": 0}


def test_follow_up_outcomes_and_rating_changes_in_the_window():
    september = review(rating=2, seen="2026-09-01T09:00:00Z")
    november = review(rating=1, seen="2026-11-02T09:00:00Z")
    events = {
        september["id"]: [event("viewed", "2026-09-01T09:05:00Z"), event("replied", "2026-09-01T12:00:00Z"),
                          event("followup_call", "2026-09-02T12:00:00Z", outcome="reached"),
                          event("resolved", "2026-09-02T12:05:00Z")],
        november["id"]: [event("viewed", "2026-11-02T09:05:00Z"), event("replied", "2026-11-02T12:00:00Z"),
                         event("followup_call", "2026-11-03T12:00:00Z", outcome="voicemail"),
                         event("followup_call", "2026-11-04T12:00:00Z", outcome="reached"),
                         event("resolved", "2026-11-04T12:05:00Z"),
                         event("review_updated", "2026-11-06T12:00:00Z", changes={"rating": {"old": 1, "new": 4}})],
    }
    recent = stats([september, november], events, months=2)
    assert recent["trend"]["follow_ups"] == {"calls": {"reached": 1, "voicemail": 1, "unreachable": 0}, "resolved": 1,
                                             "not_resolved": 0, "reviews_updated_after_follow_up": 1,
                                             "average_rating_change": 3.0}
    assert recent["this_month"]["follow_up_calls"] == 2
    assert stats([september, november], events)["trend"]["follow_ups"]["calls"]["reached"] == 2
    assert recent["follow_ups"]["outcomes"] == {"reached": 2, "voicemail": 1, "unreachable": 0}  # all time, as before


def test_star_counts_let_the_page_redo_the_rating_math():
    result = stats([review(rating=5), review(rating=5), review("yelp", 1)])
    assert result["star_counts"]["overall"] == {"1": 1, "2": 0, "3": 0, "4": 0, "5": 2}
    assert result["star_counts"]["yelp"] == {"1": 1, "2": 0, "3": 0, "4": 0, "5": 0}
    assert result["ratings"]["overall"]["average"] == 3.67


def test_no_reviews_is_an_empty_current_period():
    result = stats([])
    trend = result["trend"]
    assert trend["platforms"] == {} and trend["unit"] == "week" and trend["periods"] == ["2026-11-16"]
    assert result["this_month"]["reviews"] == 0 and result["this_month"]["share_within_target"] is None


def test_a_date_without_a_time_is_that_day_on_the_practices_calendar():
    # Exports give a bare day; its range is the whole UTC day, which in Chicago starts the evening before.
    reviews = [review(rating=2, written="2026-10-01", written_between=("2026-10-01T00:00:00Z", "2026-10-01T23:59:59Z"))]
    chicago = WorkflowSettings(time_zone="America/Chicago")
    google = {point["period"]: point["count"] for point in stats(reviews, months=12, settings=chicago)["trend"]["platforms"]["google"]}
    assert google["2026-10"] == 1 and google.get("2026-09", 0) == 0


def test_a_facebook_review_with_stars_and_a_recommendation_counts_in_both():
    reviews = [review("facebook", 4, recommends=True, written="2026-11-03T10:00:00Z"),
               review("facebook", None, recommends=False, written="2026-11-04T10:00:00Z")]
    figures = stats(reviews, months=12)
    assert figures["facebook_recommendations"] == {"recommends": 1, "doesn't recommend": 1}
    assert figures["ratings"]["facebook"]["count"] == 1
    november = figures["trend"]["facebook_recommendations"][-1]
    assert (november["recommends"], november["doesnt_recommend"]) == (1, 1)
