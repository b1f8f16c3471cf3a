"""The stats page in real Chromium: seeded reviews and events (on an injected clock, months back) show as
charts whose text alternatives carry the right numbers; the calculator answers a typed target; hostile
review text runs nothing. Screenshots go to a temporary folder (printed; run with ``-s`` to see it)."""

from __future__ import annotations

import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.test_dashboard_browser import sign_in

HOSTILE_NAME = "<script>window.__pwned = 'name'</script>Lee"
HOSTILE_TEXT = '<img src=x onerror="window.__pwned = \'text\'">Awful <b>wait</b>'


class Clock:
    def __init__(self, moment: datetime):
        self.moment = moment

    def __call__(self) -> datetime:
        return self.moment

    def set(self, moment: datetime) -> None:
        self.moment = moment

    def advance(self, hours: float) -> None:
        self.moment += timedelta(hours=hours)


@pytest.fixture(scope="module")
def shots() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="reviewdesk-stats-shots-"))
    print(f"\nscreenshots: {folder}")
    return folder


def at(month: int, day: int, hour: int = 9) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=timezone.utc)


def seed(live_server, clock: Clock) -> None:
    """Three months of a small practice (see the expected figures in the test)."""

    def add(moment: datetime, key: str, platform: str = "google", **fields) -> int:
        clock.set(moment)
        item = {"platform": platform, "platform_review_id": key, "reviewer_name": "Sam Ortiz", "text": "Fine.",
                "created_at": moment.isoformat().replace("+00:00", "Z"), **fields}
        return live_server.request("POST", "/api/reviews", {"reviews": [item]}).json["review_ids"][0]

    def event(review_id: int, kind: str, **fields) -> None:
        answer = live_server.request("POST", f"/api/reviews/{review_id}/events", {"type": kind, **fields})
        assert answer.status == 200, answer.json

    def answered(review_id: int, after_hours: float) -> None:
        event(review_id, "viewed")
        clock.advance(after_hours)
        event(review_id, "replied")

    assert live_server.request("PUT", "/api/settings", {"time_zone": "UTC"}).status == 200
    answered(add(at(9, 10), "g-sep-5", rating=5), 3)
    answered(add(at(9, 12), "g-sep-4", rating=4), 30)
    unhappy = add(at(10, 3), "g-oct-2", rating=2, text="Long wait at the desk.")
    answered(unhappy, 2)
    clock.advance(20)
    event(unhappy, "followup_call", outcome="reached")
    event(unhappy, "resolved")
    clock.advance(24)
    live_server.request("POST", "/api/reviews", {"reviews": [
        {"platform": "google", "platform_review_id": "g-oct-2", "reviewer_name": "Sam Ortiz", "rating": 4,
         "text": "Long wait, kind call after."}]})
    answered(add(at(10, 8), "g-oct-5", rating=5), 5)
    mixed = add(at(10, 9), "y-oct-3", platform="yelp", rating=3)
    answered(mixed, 50)
    event(mixed, "followup_call", outcome="voicemail")
    answered(add(at(10, 14), "f-oct-yes", platform="facebook", recommends=True), 10)
    hostile = add(at(11, 2), "g-nov-1", rating=1, reviewer_name=HOSTILE_NAME, text=HOSTILE_TEXT)
    answered(hostile, 1)
    clock.advance(30)
    event(hostile, "followup_call", outcome="unreachable")
    event(hostile, "not_resolved")
    add(at(11, 4), "g-nov-5", rating=5)  # never answered: overdue
    answered(add(at(11, 5), "y-nov-5", platform="yelp", rating=5), 20)
    answered(add(at(11, 6), "f-nov-no", platform="facebook", recommends=False), 4)
    clock.set(at(11, 20, 15))


def numbers(page, chart: str) -> list[list[str]]:
    """The rows of a chart's table of numbers (its text alternative)."""
    rows = page.locator(f"figure[data-chart={chart}] table tbody tr")
    return [[cell.strip() for cell in row.locator("th, td").all_text_contents()] for row in rows.all()]


def test_the_stats_page_draws_the_practice_figures_and_answers_a_target(app, live_server, page, shots):
    clock = Clock(at(9, 1))
    app.config["CLOCK"] = clock
    seed(live_server, clock)
    problems = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server)
    page.goto(live_server.url + "/stats")
    expect(page.locator("#calculator")).to_be_visible()

    # This month (November): 4 new reviews, 3 of 4 due replied within the target, 1 call.
    assert page.locator("[data-figure=reviews] .tile-value").inner_text() == "4"
    assert page.locator("[data-figure=within-target] .tile-value").inner_text() == "75%"
    assert "3 of 4 due" in page.locator("[data-figure=within-target]").inner_text()
    assert page.locator("[data-figure=calls] .tile-value").inner_text() == "1"

    # The rating trend: 12 months, Google's public average 4.50 in September and October, 4.00 in November.
    ratings = numbers(page, "ratings")
    assert len(ratings) == 12 and ratings[0][0] == "December 2025" and ratings[-1][0] == "November 2026"
    by_month = {row[0]: row[1:] for row in ratings}
    assert by_month["September 2026"] == ["2", "4.50", "4.50", "0", "–", "–"]
    assert by_month["October 2026"] == ["2", "4.50", "4.50", "1", "3.00", "3.00"]
    assert by_month["November 2026"] == ["2", "3.00", "4.00", "1", "5.00", "4.00"]
    svg = page.locator("figure[data-chart=ratings] svg.chart-svg")
    assert svg.get_attribute("role") == "img"
    assert "Google: 4.00 now, from 6 reviews." in svg.locator("desc").text_content()
    assert svg.locator("path.line.p-google").count() == 1 and svg.locator("path.line.p-yelp").count() == 1
    assert numbers(page, "recommendations")[-2:] == [["October 2026", "1", "0"], ["November 2026", "0", "1"]]

    # Time to reply against the 24-hour target, by the month the review came in.
    replies = {row[0]: row[1:] for row in numbers(page, "replies")}
    assert replies["September 2026"] == ["2", "2", "17 h", "1 (50%)"]
    assert replies["October 2026"] == ["4", "4", "7.5 h", "3 (75%)"]
    assert replies["November 2026"] == ["4", "3", "4.0 h", "3 (75%)"]
    assert page.locator("figure[data-chart=replies] svg.chart-svg .bar.over").count() == 0
    assert "Target: 24 h" in page.locator("figure[data-chart=replies] svg.chart-svg").text_content()
    assert "70%" in page.locator("[data-slot=replies-summary]").inner_text()  # 7 of 10

    # Follow-ups: one call of each outcome, one resolved, one not; one review raised by 2 stars after a call.
    assert numbers(page, "calls") == [["Reached", "1"], ["Left a voicemail", "1"], ["Unreachable", "1"]]
    assert numbers(page, "outcomes") == [["Resolved", "1"], ["Not resolved", "1"]]
    summary = page.locator("[data-slot=follow-ups-summary]").inner_text()
    assert "3 calls" in summary and "1 review was updated" in summary and "+2.0 stars" in summary
    page.screenshot(path=str(shots / "1-stats-12-months.png"), full_page=True)
    page.locator("#follow-ups").screenshot(path=str(shots / "1b-follow-ups.png"))

    # The calculator: 8 ratings averaging 4.00; a typed target of 4.5 takes 8 more 5-star reviews.
    overall = page.locator("#rating-table tr[data-platform=overall]")
    assert overall.locator("td").all_inner_texts()[:3] == ["8", "4.00", "3.67"]
    page.fill("#target", "4.5")
    page.click("#target-form button[type=submit]")
    expect(overall.locator("[data-role=needed]")).to_have_text("8")
    expect(page.locator("#target-answer")).to_contain_text("from 4.00 to 4.5, it takes 8 more 5-star reviews")
    assert page.locator("#rating-table tr[data-platform=google] [data-role=needed]").inner_text() == "6"
    assert page.locator("#rating-table tr[data-platform=yelp] [data-role=needed]").inner_text() == (
        "Never asked: Yelp forbids asking for reviews")
    assert "yelp" not in page.locator("#what-if-platform option").evaluate_all("options => options.map(o => o.value)")
    page.fill("#what-if-count", "10")
    page.dispatch_event("#what-if-count", "input")
    expect(page.locator("#what-if-answer")).to_contain_text("from 4.00 to 4.56 (18 reviews): at or above the 4.5 target")
    page.select_option("#what-if-platform", "google")
    page.fill("#what-if-count", "1")
    page.dispatch_event("#what-if-count", "input")
    expect(page.locator("#what-if-answer")).to_contain_text("on Google would go from 4.00 to 4.14 (7 reviews): still below")
    page.fill("#target", "7")
    page.click("#target-form button[type=submit]")
    expect(page.locator("#target-error")).to_contain_text("from 1 to 5")
    page.locator("#calculator").screenshot(path=str(shots / "2-calculator.png"))

    # The last 3 months go per week.
    page.select_option("#period", "3")
    expect(page.locator("figure[data-chart=ratings] .chart-title")).to_contain_text("per week, the last 3 months")
    weeks = numbers(page, "ratings")
    assert weeks[0][0].startswith("Week of") and len(weeks) == 12
    page.screenshot(path=str(shots / "3-stats-3-months.png"), full_page=True)
    assert page.evaluate("window.__pwned") is None
    assert page.locator("main img, main script, main b").count() == 0
    assert problems == []  # no script error, nothing refused by the Content-Security-Policy


def test_with_no_reviews_the_page_says_where_the_figures_come_from(live_server, page, shots):
    sign_in(page, live_server)
    page.goto(live_server.url + "/stats")
    expect(page.locator("#status")).to_contain_text("No reviews yet")
    assert page.locator("#ratings").is_hidden() and page.locator("#calculator").is_hidden()
    page.screenshot(path=str(shots / "4-no-reviews.png"), full_page=True)
