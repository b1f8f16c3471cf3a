"""Whether the practice follows the workflow, and the rating math of asking for reviews (docs/design.md, W2, W6, W8, W9).

:func:`practice_stats` is what the API and ``reviewdesk report`` both show."""

from __future__ import annotations

import math
import statistics
from collections import Counter
from datetime import datetime
from typing import Any

from parsers.isotime import parse_iso
from server.settings import all_settings
from server.storage import Store
from server.workflow.state import WorkflowSettings, needs_follow_up, state


def _percentile(values: list[float], share: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    # nearest-rank: the smallest value with at least `share` of the values at or below it
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def rating_math(ratings: list[int], target: float) -> dict[str, Any]:
    """The average, what one more 1-star review does to it, and how many 5-star reviews reach the target."""
    count, total = len(ratings), sum(ratings)
    if not count:
        return {"count": 0, "average": None, "after_one_more_1_star": None, "five_stars_to_reach_target": None, "target": target}
    average = total / count
    needed = 0 if average >= target else (math.inf if target >= 5 else math.ceil((target * count - total) / (5 - target) - 1e-9))
    return {
        "count": count,
        "average": round(average, 2),
        "after_one_more_1_star": round((total + 1) / (count + 1), 2),
        "five_stars_to_reach_target": None if needed == math.inf else needed,
        "target": target,
    }


def practice_stats(store: Store, now: datetime, target: float | None = None) -> dict[str, Any]:
    """The practice's figures at ``now``; the rating math aims at ``target`` (default: the setting)."""
    settings = store.settings()
    return compute(store.all_reviews(), store.events_for(None), WorkflowSettings.of(settings), now,
                   target if target is not None else all_settings(settings)["rating_target"])


def compute(reviews: list[dict], events: dict[int, list[dict]], settings: WorkflowSettings, now: datetime,
            rating_target: float) -> dict[str, Any]:
    platforms: dict[str, list[int]] = {}
    for review in reviews:
        if review["rating"] is not None:
            platforms.setdefault(review["platform"], []).append(review["rating"])
    recommendations = Counter(("recommends" if r["recommends"] else "doesn't recommend") for r in reviews if r["recommends"] is not None)

    hours_to_reply, within_target, due, before_cooldown = [], 0, 0, 0
    follow_ups = called = resolved = not_resolved = 0
    outcomes: Counter = Counter()
    updated_after_follow_up: list[float] = []
    stages: Counter = Counter()
    for review in reviews:
        log = events.get(review["id"], [])
        current = state(review, log, settings, now)
        stages[current["stage"]] += 1
        replied = next((e for e in log if e["type"] == "replied"), None)
        historical = bool(replied and replied.get("already_replied_when_first_seen"))
        if not historical and (replied or current["overdue"]):  # ignored and escalated reviews are not due
            due += 1
        if replied and not historical:
            hours = (parse_iso(replied["at"]) - parse_iso(review["first_seen_at"])).total_seconds() / 3600
            hours_to_reply.append(max(hours, 0.0))
            within_target += hours <= settings.response_target_hours
            before_cooldown += current["replied_before_cooldown"]
        if replied and not historical and needs_follow_up(review, log, replied["at"]):
            follow_ups += 1
            calls = [e for e in log if e["type"] == "followup_call"]
            called += bool(calls)
            outcomes.update(e.get("outcome") for e in calls)
            resolved += any(e["type"] == "resolved" for e in log)
            not_resolved += any(e["type"] == "not_resolved" for e in log)
            if calls:
                first_call = calls[0]["at"]
                for event in log:
                    rating = (event.get("changes") or {}).get("rating")
                    if event["type"] == "review_updated" and event["at"] >= first_call and rating and None not in (rating["old"], rating["new"]):
                        updated_after_follow_up.append(rating["new"] - rating["old"])
    all_ratings = [rating for ratings in platforms.values() for rating in ratings]
    return {
        "reviews": len(reviews),
        "stages": dict(stages),
        "ratings": {"overall": rating_math(all_ratings, rating_target),
                    **{platform: rating_math(ratings, rating_target) for platform, ratings in sorted(platforms.items())}},
        "facebook_recommendations": dict(recommendations),
        "replies": {
            "count": len(hours_to_reply),
            "median_hours_to_reply": round(statistics.median(hours_to_reply), 2) if hours_to_reply else None,
            "p90_hours_to_reply": round(_percentile(hours_to_reply, 0.9), 2) if hours_to_reply else None,
            "share_within_target": round(within_target / due, 3) if due else None,
            "target_hours": settings.response_target_hours,
            "before_cooldown": before_cooldown,
        },
        "follow_ups": {
            "needed": follow_ups,
            "called": called,
            "rate": round(called / follow_ups, 3) if follow_ups else None,
            "outcomes": {outcome: outcomes.get(outcome, 0) for outcome in ("reached", "voicemail", "unreachable")},
            "resolved": resolved,
            "not_resolved": not_resolved,
            "resolution_rate": round(resolved / follow_ups, 3) if follow_ups else None,
            "reviews_updated_after_follow_up": len(updated_after_follow_up),
            "average_rating_change": round(statistics.mean(updated_after_follow_up), 2) if updated_after_follow_up else None,
        },
    }
