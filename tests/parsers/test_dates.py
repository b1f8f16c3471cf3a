"""Shown dates become ranges relative to the capture, in English and other languages."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from parsers.dates import intersect, parse_shown_date

CAPTURED = datetime(2026, 11, 23, 13, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    "shown, lang, start, end, precision",
    [
        ("a week ago", "en", "2026-11-09T13:00:00Z", "2026-11-16T13:00:00Z", "week"),
        ("4 weeks ago", "en", "2026-10-19T13:00:00Z", "2026-10-26T13:00:00Z", "week"),
        ("a month ago", "en", "2026-09-23T13:00:00Z", "2026-10-23T13:00:00Z", "month"),
        ("9 months ago", "en", "2026-01-23T13:00:00Z", "2026-02-23T13:00:00Z", "month"),
        ("a year ago", "en", "2024-11-23T13:00:00Z", "2025-11-23T13:00:00Z", "year"),
        ("3/24/2016", "en", "2016-03-24T00:00:00Z", "2016-03-24T23:59:59Z", "day"),
        ("3/4/2020", "en-GB", "2020-04-03T00:00:00Z", "2020-04-03T23:59:59Z", "day"),
        ("Jan 5, 2024", "en", "2024-01-05T00:00:00Z", "2024-01-05T23:59:59Z", "day"),
        ("Yesterday at 15:28", "en", "2026-11-22T15:28:00Z", "2026-11-22T15:28:59Z", "minute"),
        ("Oct 1 at 1:00 PM", "en", "2026-10-01T13:00:00Z", "2026-10-01T13:00:59Z", "minute"),
        ("Dec 24 at 9:15 AM", "en", "2025-12-24T09:15:00Z", "2025-12-24T09:15:59Z", "minute"),  # no year: not the future
        ("October 16, 2019 at 11:00 PM", "en", "2019-10-16T23:00:00Z", "2019-10-16T23:00:59Z", "minute"),
        ("1 wk", "en", "2026-11-09T13:00:00Z", "2026-11-16T13:00:00Z", "week"),
        ("11 mos", "en", "2025-11-23T13:00:00Z", "2025-12-23T13:00:00Z", "month"),
        ("4 mths", "en", "2026-06-23T13:00:00Z", "2026-07-23T13:00:00Z", "month"),
        ("16 hrs", "en", "2026-11-22T20:00:00Z", "2026-11-22T21:00:00Z", "hour"),
        ("1h", "en", "2026-11-23T11:00:00Z", "2026-11-23T12:00:00Z", "hour"),
        ("Just now", "en", "2026-11-23T12:00:00Z", "2026-11-23T13:00:00Z", "hour"),
        ("hace una semana", "es", "2026-11-09T13:00:00Z", "2026-11-16T13:00:00Z", "week"),
        ("vor 2 Monaten", "de", "2026-08-23T13:00:00Z", "2026-09-23T13:00:00Z", "month"),
        ("il y a 3 jours", "fr", "2026-11-19T13:00:00Z", "2026-11-20T13:00:00Z", "day"),
        ("24.3.2016", "de", "2016-03-24T00:00:00Z", "2016-03-24T23:59:59Z", "day"),
    ],
)
def test_shown_date_becomes_a_range(shown, lang, start, end, precision):
    found = parse_shown_date(shown, CAPTURED, lang)
    assert found is not None, shown
    assert found.iso() == (start, end)
    assert found.precision == precision


def test_edited_dates_are_marked():
    found = parse_shown_date("Edited 2 months ago", CAPTURED, "en")
    assert found.edited and found.iso() == ("2026-08-23T13:00:00Z", "2026-09-23T13:00:00Z")


@pytest.mark.parametrize("shown", ["", "   ", None, "recently-ish", "13/45/2020", "Feb 30, 2024", "99 bananas ago"])
def test_unreadable_dates_give_none_not_an_error(shown):
    assert parse_shown_date(shown, CAPTURED, "en") is None


def test_recapturing_narrows_the_range():
    first = parse_shown_date("a week ago", CAPTURED, "en").iso()
    later = parse_shown_date("2 weeks ago", datetime(2026, 11, 27, 13, 0, tzinfo=timezone.utc), "en").iso()
    assert intersect(first, later) == ("2026-11-09T13:00:00Z", "2026-11-13T13:00:00Z")


def test_disagreeing_ranges_keep_the_newer_one():
    assert intersect(("2020-01-01T00:00:00Z", "2020-01-02T00:00:00Z"), ("2021-01-01T00:00:00Z", "2021-01-02T00:00:00Z")) == (
        "2021-01-01T00:00:00Z", "2021-01-02T00:00:00Z")


def test_clock_times_and_days_are_the_browsers_local_time():
    central = datetime(2026, 11, 23, 7, 0, tzinfo=timezone(__import__("datetime").timedelta(hours=-6)))
    assert parse_shown_date("Yesterday at 15:28", central, "en").iso() == ("2026-11-22T21:28:00Z", "2026-11-22T21:28:59Z")
    assert parse_shown_date("3/24/2016", central, "en").iso() == ("2016-03-24T06:00:00Z", "2016-03-25T05:59:59Z")
    assert parse_shown_date("a week ago", central, "en").iso() == ("2026-11-09T13:00:00Z", "2026-11-16T13:00:00Z")


@pytest.mark.parametrize("shown, lang, start, end", [
    ("5 de marzo", "es", "2026-03-05T00:00:00Z", "2026-03-05T23:59:59Z"),
    ("ayer", "es", "2026-11-22T00:00:00Z", "2026-11-22T23:59:59Z"),
])
def test_other_languages_calendar_days_cover_the_day(shown, lang, start, end):
    assert parse_shown_date(shown, CAPTURED, lang).iso() == (start, end)


def test_localised_edited_prefix():
    found = parse_shown_date("Editado hace 2 meses", CAPTURED, "es")
    assert found.edited and found.precision == "month"
