"""The dashboard's stats page (/stats) and the fields GET /api/stats adds for it: the trend, this month's
figures, the star counts behind the rating calculator, and the span (``months``)."""

from __future__ import annotations

import re
from pathlib import Path

from tests.conftest import review
from tests.test_security import login

STATIC = Path(__file__).resolve().parent.parent / "server" / "web" / "static"


def test_the_stats_page_needs_a_session(client):
    answer = client.get("/stats")
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/login")


def test_the_stats_page_loads_its_script_and_styles_under_a_strict_policy(client, token):
    login(client, token)
    answer = client.get("/stats")
    assert answer.status_code == 200
    html = answer.get_data(as_text=True)
    assert '<script type="module" src="/static/stats.js"></script>' in html
    assert '<link rel="stylesheet" href="/static/stats.css">' in html
    assert 'aria-current="page">Stats</a>' in html
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "no inline script"
    assert "style=" not in html
    for option in ("the last 3 months", "the last 6 months", "the last 12 months", "all the time"):
        assert option in html
    assert 'id="target"' in html and 'id="what-if-count"' in html
    csp = answer.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp


def test_the_stats_scripts_are_served_and_write_text_only(client):
    for name in ("stats.js", "charts.js", "stats.css"):
        assert client.get(f"/static/{name}").status_code == 200
    for name in ("stats.js", "charts.js"):
        source = (STATIC / name).read_text(encoding="utf-8")
        assert "innerHTML" not in source and "insertAdjacentHTML" not in source and "outerHTML" not in source
        assert "setAttribute(\"style\"" not in source and "http://" not in source.replace("http://www.w3.org/2000/svg", "")


def test_the_signed_in_page_reads_the_stats_with_its_session(client, auth, token):
    client.post("/api/reviews", headers=auth, json={"reviews": [
        review(platform_review_id="a", rating=5), review(platform_review_id="b", rating=2),
        review(platform="facebook", platform_review_id="c", rating=None, recommends=True)]})
    login(client, token)
    stats = client.get("/api/stats?target=4.5&months=3").json["stats"]
    assert stats["ratings"]["overall"]["count"] == 2 and stats["ratings"]["overall"]["five_stars_to_reach_target"] == 4
    assert stats["star_counts"]["overall"] == {"1": 0, "2": 1, "3": 0, "4": 0, "5": 1}
    trend = stats["trend"]
    assert trend["unit"] == "week" and trend["months"] == 3 and trend["target_hours"] == 24
    assert sum(point["count"] for point in trend["platforms"]["google"]) == 2
    assert trend["platforms"]["google"][-1]["running_average"] == 3.5
    assert sum(point["recommends"] for point in trend["facebook_recommendations"]) == 1
    assert set(trend["follow_ups"]) == {"calls", "resolved", "not_resolved", "reviews_updated_after_follow_up",
                                        "average_rating_change"}
    assert stats["this_month"]["reviews"] == 3
    assert set(stats) >= {"reviews", "stages", "ratings", "facebook_recommendations", "replies", "follow_ups"}  # as before


def test_the_span_must_be_a_number_of_months(client, auth):
    for bad in ("0", "abc", "121"):
        answer = client.get(f"/api/stats?months={bad}", headers=auth)
        assert answer.status_code == 400 and answer.json["error"] == "invalid_parameter"
        assert "'months' must be a whole number from 1 to 120" in answer.json["message"]
    assert client.get("/api/stats?months=", headers=auth).json["stats"]["trend"]["months"] is None
