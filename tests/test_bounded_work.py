"""No text can make the server work for long: every reader of untrusted text (names, reviews, replies, shown
dates, captured pages) finishes in well under a second on text as long as its cap allows, made of the
repetitions that make a backtracking regex or a look-back per word quadratic."""

from __future__ import annotations

import time
from datetime import datetime, timezone

import pytest

from parsers import limits, parse_page
from parsers.dates import parse_shown_date
from server.contacts.names import contact_name, shown_name
from server.replies.policy import check, practice_settings, review_context
from server.replies.suggest import suggestions
from server.replies.triage import triage

# Each repeated to the cap: runs of capitals, of word characters, of sentence marks, of digits and separators,
# of half-opened tags, of e-mail and web-address fragments, of abbreviations.
UNITS = ("A", "a", "a ", "A ", ".", "a.", "A.", "..", "Dr. ", "1", "1.", "55", "+1", "5-", "a-", "_", "a_", "Aa", "aA", "é",
         "<", "<a", "@", "a@b.", "www.", "ab.", "Ab ", "I ", "'", "\n")
NOW = datetime(2026, 11, 30, tzinfo=timezone.utc)
SETTINGS = practice_settings({"practice_name": "Maple Family Dental"})


def _review(text: str = "Bad visit.", name: str = "Ann B") -> dict:
    return {"text": text, "reviewer_name": name, "rating": 1, "platform": "google"}


READERS = {
    # name: (what reads the text, how long the text may be)
    "a reviewer's display name": (lambda text: shown_name(text), 32_000),  # names stored before the cap are read too
    "a contact's name": (lambda text: contact_name(full=text), limits.NAME_CHARS),
    "triage of a review": (lambda text: triage(review_context(_review(text))), limits.REVIEW_TEXT_CHARS),
    "triage of a reviewer's name": (lambda text: triage(review_context(_review(name=text))), limits.REVIEWER_NAME_CHARS),
    "the check of a reply": (lambda text: check(text, _review(), SETTINGS), limits.REPLY_CHARS),
    "the check against a review": (lambda text: check("Thank you for your feedback.", _review(text), SETTINGS),
                                   limits.REVIEW_TEXT_CHARS),
    "suggestions for a review": (lambda text: suggestions(review_context(_review(text)), "negative", SETTINGS, []),
                                 limits.REVIEW_TEXT_CHARS),
    "a shown date": (lambda text: parse_shown_date(text, NOW, "en"), limits.SHORT_TEXT_CHARS),
    "a captured page": (lambda text: parse_page("https://www.google.com/maps/place/x", f"<div>{text}</div>", NOW), 2_000_000),
}


@pytest.fixture(scope="module", autouse=True)
def warm():
    for read, _ in READERS.values():  # the models load on first use: not what is measured
        read("Warm up. Call us.")


@pytest.mark.parametrize("reader", list(READERS))
def test_no_text_up_to_the_cap_takes_a_second(reader):
    read, cap = READERS[reader]
    slowest = (0.0, "")
    for unit in UNITS:
        text = (unit * (cap // len(unit) + 1))[:cap]
        started = time.perf_counter()
        read(text)
        slowest = max(slowest, (time.perf_counter() - started, unit))
    assert slowest[0] < 1.0, f"{reader}: {cap:,} characters of {slowest[1]!r} took {slowest[0]:.2f} s"


def test_a_capture_of_unclosed_style_and_svg_tags_is_read_in_linear_time():
    html = "<div>" + "<style a>xxxxxxxxxx<svg b>yyyyyyyyy" * 10_000 + "</div>"  # 370 KB, no tag ever closed
    started = time.perf_counter()
    parse_page("https://www.google.com/maps/place/x", html, NOW)
    assert time.perf_counter() - started < 1.0
