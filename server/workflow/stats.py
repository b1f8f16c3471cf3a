"""Whether the practice follows the workflow, and the rating math of asking for reviews (docs/design.md, W2, W6, W8, W9).

:func:`practice_stats` is what the API and ``reviewdesk report`` both show. Besides the all-time figures it
gives the series the dashboard draws (``trend``): ratings per platform, time to reply against the target and
follow-up outcomes, per month (per week over a short span), over the last ``months`` or all the time; and
``this_month``'s headline figures. Each review's figures are derived once and kept (server/storage/figures.py):
the figures are sums in SQL, whatever the number of reviews."""

from __future__ import annotations

import math
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from parsers.isotime import DATE_ONLY, parse_iso
from server.settings import all_settings
from server.storage import Store
from server.workflow.state import CALL_OUTCOMES, OPEN, WorkflowSettings, follows_up, replied_before_cooldown, stage_condition

WEEKLY_UP_TO_DAYS = 92  # a span this short is drawn per week: three months are too few points for a trend


def _percentile(values: list[float], share: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    # nearest-rank: the smallest value with at least `share` of the values at or below it
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def rating_math(ratings: list[int] | Counter, target: float) -> dict[str, Any]:
    """The average, what one more 1-star review does to it, and how many 5-star reviews reach the target
    (``ratings``: the stars of each review, or how many reviews have each number of stars)."""
    stars = ratings if isinstance(ratings, Counter) else Counter(ratings)
    count, total = sum(stars.values()), sum(rating * times for rating, times in stars.items())
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


FIGURES_FORMAT = 1  # raise when review_figures() changes: every review's figures are derived again
FIGURES_BATCH = 2000  # reviews whose figures are derived in one transaction


def practice_stats(store: Store, now: datetime, target: float | None = None, months: int | None = None) -> dict[str, Any]:
    """The practice's figures at ``now``; the rating math aims at ``target`` (default: the setting); the
    trend covers the last ``months`` calendar months, this one included (None: all the time).

    Each review's figures are derived once (:func:`derive_figures`) and summed in SQL; only the reviews
    followed up by a call are read with their events."""
    stored = store.settings()
    settings = WorkflowSettings.of(stored)
    derive_figures(store, settings)
    return _stats(store, settings, now, target if target is not None else all_settings(stored)["rating_target"], months)


def figures_version(settings: WorkflowSettings) -> str:
    """What a review's stored figures depend on besides the review and its events: the calendar and the cool-down."""
    return f"{FIGURES_FORMAT}|{settings.time_zone}|{settings.cooldown_minutes}"


def review_figures(review: dict[str, Any], events: list[dict[str, Any]], settings: WorkflowSettings,
                   days: "_LocalDays") -> tuple[Any, ...]:
    """What the stats count of one review, in the order of server.storage.figures.FIGURES_COLUMNS: the day it was
    written and first seen (practice's calendar), its reply through ReviewDesk (hours to it, before the cool-down?),
    and whether that reply calls for a follow-up call."""
    replied = next((event for event in events if event["type"] == "replied"), None)
    counted = bool(replied and not replied.get("already_replied_when_first_seen"))
    hours = max((parse_iso(replied["at"]) - days.moment(review["first_seen_at"])).total_seconds() / 3600, 0.0) if counted else None
    return (written_day(review, days).isoformat(), days(review["first_seen_at"]).isoformat(), int(counted), hours,
            int(counted and replied_before_cooldown(events, settings)), int(follows_up(review, events)))


def derive_figures(store: Store, settings: WorkflowSettings) -> int:
    """Derive and store the figures of the reviews that have none (new, changed, with new events) or were derived
    under other settings; returns how many. Read, derived and stored under the write lock, batch by batch, so a
    capture or an event cannot slip in between."""
    version, days, done = figures_version(settings), _LocalDays(settings.time_zone), 0
    while store.reviews_needing_figures(version, 1):  # a read first: the lock is taken only when there is work
        with store.write():
            ids = store.reviews_needing_figures(version, FIGURES_BATCH)
            events = store.events_for(ids)
            store.set_figures([(review["id"], *review_figures(review, events.get(review["id"], []), settings, days))
                               for review in store.reviews_by_id(ids)], version)
        done += len(ids)
    return done


class _LocalDays:
    """ISO moments as days on the practice's calendar. Reviews captured together share their moments, so
    each is read once (days are remembered to the minute: every time zone's offset is whole minutes)."""

    def __init__(self, time_zone: str) -> None:
        self.zone = ZoneInfo(time_zone)
        self.days: dict[str, date] = {}
        self.moments: dict[str, datetime] = {}

    def __call__(self, moment: str) -> date:
        key = moment[:16]
        day = self.days.get(key)
        if day is None:
            day = self.days[key] = parse_iso(moment).astimezone(self.zone).date()
        return day

    def moment(self, moment: str) -> datetime:
        """``moment`` read as a datetime, once (for the moments many reviews share, such as first seen)."""
        read = self.moments.get(moment)
        if read is None:
            read = self.moments[moment] = parse_iso(moment)
        return read


def written_day(review: dict[str, Any], days: _LocalDays) -> date:
    """When the review was written: the day an export gives (a date without a time is that day on any
    calendar), else the middle of the range its shown date allows, else its exact time, else when
    ReviewDesk first saw it."""
    if isinstance(review["created_at"], str) and DATE_ONLY.match(review["created_at"]):
        return date.fromisoformat(review["created_at"])
    if review["date_min"] and review["date_max"]:
        low, high = days(review["date_min"]), days(review["date_max"])
        return low + timedelta(days=(high - low).days // 2)
    return days(review["created_at"] or review["first_seen_at"])


def _counts() -> list[int]:
    return [0, 0]


@dataclass
class _Series:
    """What happened on each day of the practice's calendar, gathered during the pass over the reviews.

    Kept per day, not per review: the pass allocates as little as it can (at 23,000 reviews, per-review
    records cost more in garbage collection than the series take to compute)."""

    # platform → written day → [ratings, sum of stars]
    stars: dict[str, dict[date, list[int]]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(_counts)))
    recommendations: dict[date, list[int]] = field(default_factory=lambda: defaultdict(_counts))  # recommends, doesn't
    # first seen → [reviews due a reply, replied within the target, hours to each reply]
    replies: dict[date, list] = field(default_factory=lambda: defaultdict(lambda: [0, 0, []]))
    calls: dict[date, Counter] = field(default_factory=lambda: defaultdict(Counter))  # outcome → calls
    outcomes: dict[date, Counter] = field(default_factory=lambda: defaultdict(Counter))  # resolved / not_resolved
    rating_changes: list[tuple[date, float]] = field(default_factory=list)  # reviews updated after a call

    def add_reply(self, first_seen: date, hours: float | None, target_hours: int) -> None:
        """A review due a reply; ``hours`` to its reply (None: not replied yet)."""
        day = self.replies[first_seen]
        day[0] += 1
        if hours is not None:
            day[1] += hours <= target_hours
            day[2].append(hours)

    def first_day(self) -> date | None:
        days = [day for by_day in self.stars.values() for day in by_day] + [*self.recommendations, *self.replies, *self.calls]
        return min(days) if days else None


def _period_start(day: date, weekly: bool) -> date:
    return day - timedelta(days=day.weekday()) if weekly else day.replace(day=1)


def _next_period(start: date, weekly: bool) -> date:
    return start + timedelta(days=7) if weekly else (start + timedelta(days=32)).replace(day=1)


def _label(start: date, weekly: bool) -> str:
    return start.isoformat() if weekly else start.isoformat()[:7]


def _window(series: _Series, today: date, months: int | None) -> tuple[date, bool]:
    """The first day shown and whether it is drawn per week."""
    if months:
        first = today.replace(day=1)
        for _ in range(months - 1):
            first = (first - timedelta(days=1)).replace(day=1)
    else:
        first = min(series.first_day() or today, today)
    weekly = (today - first).days <= WEEKLY_UP_TO_DAYS
    return _period_start(first, weekly), weekly


def _average(count: int, total: float) -> float | None:
    return round(total / count, 2) if count else None


def _ratings_per_period(series: _Series, platform: str, periods: list[date], weekly: bool) -> list[dict[str, Any]]:
    """Each period's new ratings on ``platform`` and the running average the public sees at its end."""
    per_period: dict[date, list[int]] = defaultdict(lambda: [0, 0])
    before = [0, 0]
    for day, (count, total) in series.stars[platform].items():
        bucket = before if day < periods[0] else per_period[_period_start(day, weekly)]
        bucket[0] += count
        bucket[1] += total
    points, running = [], before
    for start in periods:
        count, total = per_period.get(start, (0, 0))
        running = [running[0] + count, running[1] + total]
        points.append({"period": _label(start, weekly), "count": count, "average": _average(count, total),
                       "running_count": running[0], "running_average": _average(*running)})
    return points


def _recommendations_per_period(series: _Series, periods: list[date], weekly: bool) -> list[dict[str, Any]]:
    per_period: dict[date, list[int]] = defaultdict(lambda: [0, 0])
    for day, (yes, no) in series.recommendations.items():
        if day >= periods[0]:
            per_period[_period_start(day, weekly)][0] += yes
            per_period[_period_start(day, weekly)][1] += no
    return [{"period": _label(start, weekly), "recommends": per_period.get(start, (0, 0))[0],
             "doesnt_recommend": per_period.get(start, (0, 0))[1]} for start in periods]


def _reply_figures(days: list[list]) -> dict[str, Any]:
    """Reviews due a reply, how many were answered, the median hours and the share within the target (see
    :meth:`_Series.add_reply`)."""
    due, within = sum(day[0] for day in days), sum(day[1] for day in days)
    hours = [value for day in days for value in day[2]]
    return {"due": due, "replied": len(hours), "median_hours": round(statistics.median(hours), 2) if hours else None,
            "within_target": within, "share_within_target": round(within / due, 3) if due else None}


def _follow_up_figures(series: _Series, since: date) -> dict[str, Any]:
    calls = sum((counts for day, counts in series.calls.items() if day >= since), Counter())
    outcomes = sum((counts for day, counts in series.outcomes.items() if day >= since), Counter())
    changes = [change for day, change in series.rating_changes if day >= since]
    return {
        "calls": {outcome: calls.get(outcome, 0) for outcome in CALL_OUTCOMES},
        "resolved": outcomes.get("resolved", 0),
        "not_resolved": outcomes.get("not_resolved", 0),
        "reviews_updated_after_follow_up": len(changes),
        "average_rating_change": round(statistics.mean(changes), 2) if changes else None,
    }


def trend(series: _Series, settings: WorkflowSettings, today: date, months: int | None) -> dict[str, Any]:
    """The series the dashboard draws, from the first period shown to the current one."""
    first, weekly = _window(series, today, months)
    periods = [first]
    while _next_period(periods[-1], weekly) <= today:
        periods.append(_next_period(periods[-1], weekly))
    replies: dict[date, list] = defaultdict(list)
    for day, figures in series.replies.items():
        if day >= first:
            replies[_period_start(day, weekly)].append(figures)
    platforms = sorted(set(series.stars) | ({"facebook"} if series.recommendations else set()))
    return {
        "unit": "week" if weekly else "month",
        "months": months,
        "periods": [_label(start, weekly) for start in periods],
        "platforms": {platform: _ratings_per_period(series, platform, periods, weekly) for platform in platforms},
        "facebook_recommendations": _recommendations_per_period(series, periods, weekly),
        "replies": [{"period": _label(start, weekly), **_reply_figures(replies.get(start, []))} for start in periods],
        "replies_in_window": _reply_figures([figures for day_figures in replies.values() for figures in day_figures]),
        "target_hours": settings.response_target_hours,
        "follow_ups": _follow_up_figures(series, first),
    }


def this_month(series: _Series, today: date) -> dict[str, Any]:
    """The headline figures of the current calendar month."""
    first = today.replace(day=1)
    reviews = sum(count for by_day in series.stars.values() for day, (count, _) in by_day.items() if day >= first) + \
        sum(yes + no for day, (yes, no) in series.recommendations.items() if day >= first)
    replies = _reply_figures([figures for day, figures in series.replies.items() if day >= first])
    return {"period": _label(first, False), "reviews": reviews, "replies_due": replies["due"], "replied": replies["replied"],
            "within_target": replies["within_target"], "share_within_target": replies["share_within_target"],
            "follow_up_calls": sum(sum(counts.values()) for day, counts in series.calls.items() if day >= first)}


def _stats(store: Store, settings: WorkflowSettings, now: datetime, rating_target: float, months: int | None) -> dict[str, Any]:
    days = _LocalDays(settings.time_zone)
    series = _Series()
    stars: dict[str, Counter] = defaultdict(Counter)  # platform → stars → reviews
    for platform, day, rating, count in store.stars_by_written_day():
        stars[platform][rating] += count
        bucket = series.stars[platform][date.fromisoformat(day)]
        bucket[0] += count
        bucket[1] += rating * count
    recommendations: Counter = Counter()
    for day, recommends, count in store.recommendations_by_written_day():
        recommendations["recommends" if recommends else "doesn't recommend"] += count
        series.recommendations[date.fromisoformat(day)][0 if recommends else 1] += count
    hours_to_reply, within_target, due, before_cooldown = [], 0, 0, 0
    for day, hours, early in store.counted_replies():
        hours_to_reply.append(hours)
        within_target += hours <= settings.response_target_hours
        before_cooldown += early
        due += 1
        series.add_reply(date.fromisoformat(day), hours, settings.response_target_hours)
    stages, overdue = _stages(store, settings, now)
    for day, count in overdue.items():  # waiting for a reply past the target (ignored and escalated reviews are not due)
        due += count
        series.replies[date.fromisoformat(day)][0] += count
    follow_ups = _follow_ups(store, series, days)
    all_ratings = sum(stars.values(), Counter())
    today = now.astimezone(days.zone).date()
    return {
        "reviews": store.count_reviews(),
        "stages": stages,
        "ratings": {"overall": rating_math(all_ratings, rating_target),
                    **{platform: rating_math(counts, rating_target) for platform, counts in sorted(stars.items())}},
        "star_counts": {name: {str(rating): counts.get(rating, 0) for rating in range(1, 6)}
                        for name, counts in (("overall", all_ratings), *sorted(stars.items()))},
        "facebook_recommendations": dict(recommendations),
        "replies": {
            "count": len(hours_to_reply),
            "median_hours_to_reply": round(statistics.median(hours_to_reply), 2) if hours_to_reply else None,
            "p90_hours_to_reply": round(_percentile(hours_to_reply, 0.9), 2) if hours_to_reply else None,
            "share_within_target": round(within_target / due, 3) if due else None,
            "target_hours": settings.response_target_hours,
            "before_cooldown": before_cooldown,
        },
        "follow_ups": follow_ups,
        "trend": trend(series, settings, today, months),
        "this_month": this_month(series, today),
    }


def _stages(store: Store, settings: WorkflowSettings, now: datetime) -> tuple[dict[str, int], Counter]:
    """How many reviews are at each stage at ``now`` (the same decision as :func:`server.workflow.state.state`'s),
    and the reviews waiting for a reply past the target by the day they were first seen: one pass over an index,
    and the few reviews cooling down (viewed within the cool-down) read one by one."""
    cooling_since = stage_condition("cooling_down", settings, now).viewed_after
    due_since = stage_condition("overdue", settings, now).seen_before
    stages: Counter = Counter()
    overdue: Counter = Counter()  # day first seen → reviews waiting past the target
    for settled, day, seen_before_due, viewed_since_due, count in store.count_by_settled_stage_and_day(due_since):
        if settled == OPEN:
            overdue[day] += seen_before_due
            stages["overdue"] += seen_before_due
            stages["ready"] += viewed_since_due
            stages["new"] += count - seen_before_due - viewed_since_due
        else:
            stages[settled] += count
    for first_seen in store.first_seen_of_cooling(cooling_since):  # counted above as overdue or ready
        stages["cooling_down"] += 1
        stages["overdue" if first_seen < due_since else "ready"] -= 1
    return {stage: count for stage, count in stages.items() if count}, +overdue


def _follow_ups(store: Store, series: _Series, days: _LocalDays) -> dict[str, Any]:
    """The follow-up calls (W6) of the reviews whose reply called for one, read with their events."""
    ids = store.reviews_followed_up()
    events = store.events_for(ids)
    called = resolved = not_resolved = 0
    outcomes: Counter = Counter()
    updated_after_follow_up: list[float] = []
    for review_id in ids:
        log = events.get(review_id, [])
        calls = [e for e in log if e["type"] == "followup_call"]
        called += bool(calls)
        outcomes.update(e.get("outcome") for e in calls)
        for call in calls:
            series.calls[days(call["at"])][call.get("outcome")] += 1
        resolved += any(e["type"] == "resolved" for e in log)
        not_resolved += any(e["type"] == "not_resolved" for e in log)
        for event in log:
            if event["type"] in ("resolved", "not_resolved"):
                series.outcomes[days(event["at"])][event["type"]] += 1
        if calls:
            first_call = calls[0]["at"]
            for event in log:
                rating = (event.get("changes") or {}).get("rating")
                if event["type"] == "review_updated" and event["at"] >= first_call and rating and None not in (rating["old"], rating["new"]):
                    updated_after_follow_up.append(rating["new"] - rating["old"])
                    series.rating_changes.append((days(event["at"]), rating["new"] - rating["old"]))
    return {
        "needed": len(ids),
        "called": called,
        "rate": round(called / len(ids), 3) if ids else None,
        "outcomes": {outcome: outcomes.get(outcome, 0) for outcome in CALL_OUTCOMES},
        "resolved": resolved,
        "not_resolved": not_resolved,
        "resolution_rate": round(resolved / len(ids), 3) if ids else None,
        "reviews_updated_after_follow_up": len(updated_after_follow_up),
        "average_rating_change": round(statistics.mean(updated_after_follow_up), 2) if updated_after_follow_up else None,
    }
