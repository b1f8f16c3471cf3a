"""Every saved page fixture parses to exactly the reviews in the JSON file beside it.

``tests/parsers/fixtures/<platform>/<case>.html`` holds a synthetic page (made-up people) that
reproduces a real layout; ``<case>.json`` holds the capture context and the expected result. Only the
fields an expected review lists are compared, and the number of reviews must match exactly.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from parsers import parse_page
from parsers.registry import PARSERS

FIXTURES = Path(__file__).parent / "fixtures"
CASES = sorted(FIXTURES.glob("*/*.html"))


def load_case(page: Path) -> dict:
    expected = page.with_suffix(".json")
    assert expected.exists(), f"{page.name} has no expected result {expected.name}"
    return json.loads(expected.read_text(encoding="utf-8"))


def actual_review(review) -> dict:
    reply = review.owner_reply
    return {
        "platform": review.platform,
        "platform_review_id": review.platform_review_id,
        "reviewer_name": review.reviewer_name,
        "reviewer_url": review.reviewer_url,
        "rating": review.rating,
        "recommends": review.recommends,
        "text": review.text,
        "text_truncated": review.text_truncated,
        "date_text": review.date_text,
        "date_min": review.date_min,
        "date_max": review.date_max,
        "date_precision": review.date_precision,
        "edited": review.edited,
        "url": review.url,
        "place": review.place,
        "language": review.language,
        "owner_reply": None if not reply else {"text": reply.text, "date_text": reply.date_text,
                                                "date_min": reply.date_min, "date_max": reply.date_max},
    }


@pytest.mark.parametrize("page", CASES, ids=[f"{p.parent.name}/{p.stem}" for p in CASES])
def test_fixture_parses_exactly(page: Path):
    case = load_case(page)
    result = parse_page(case["url"], page.read_text(encoding="utf-8"), datetime.fromisoformat(case["captured_at"].replace("Z", "+00:00")), case.get("lang", "en"))
    assert result.status == case["status"], result.warnings
    if "layout" in case:
        assert result.layout == case["layout"]
    for warning in case.get("warnings_contain", []):
        assert any(warning in actual for actual in result.warnings), result.warnings
    assert len(result.reviews) == len(case["reviews"]), [r.reviewer_name for r in result.reviews]
    for index, (review, expected) in enumerate(zip(result.reviews, case["reviews"])):
        actual = actual_review(review)
        if isinstance(expected.get("owner_reply"), dict) and actual["owner_reply"]:
            actual["owner_reply"] = {k: actual["owner_reply"][k] for k in expected["owner_reply"]}
        compared = {key: actual[key] for key in expected}
        assert compared == expected, f"review {index} ({review.reviewer_name})"


def test_every_registered_parser_has_fixtures():
    covered = {page.parent.name for page in CASES}
    missing = [parser.platform for parser in PARSERS if parser.platform not in covered]
    assert not missing, f"parsers without fixtures: {missing}"
