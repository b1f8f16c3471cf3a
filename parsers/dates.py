"""Displayed review dates ("a week ago", "3/24/2016", "Yesterday at 15:28", "11 mos") become ranges.

A page shows a rounded date, so a review's date is a range ``[start, end]`` with a precision, relative
to the moment the page was captured. Re-capturing later narrows it (:func:`intersect`). English forms
are read by the patterns below (fast, exact); other languages go through dateparser with the page's
language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import cached_property, lru_cache

from dateutil.relativedelta import relativedelta

from parsers import limits
from parsers.isotime import iso_utc, parse_iso

UNITS = {
    "minute": ("m", "min", "mins", "minute", "minutes"),
    "hour": ("h", "hr", "hrs", "hour", "hours"),
    "day": ("d", "day", "days"),
    "week": ("w", "wk", "wks", "week", "weeks"),
    "month": ("mo", "mos", "mth", "mths", "month", "months"),
    "year": ("y", "yr", "yrs", "year", "years"),
}
UNIT_BY_WORD = {word: unit for unit, words in UNITS.items() for word in words}
NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
                "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}

# "Edited 2 months ago" in the languages Google shows it in; the rest is the (edit's) date.
EDITED = re.compile(
    r"^\s*(edited|updated(?: review)?|editado|editada|bearbeitet|modifié|modifiée|modificato|modificata|diedit|bewerkt|"
    r"editad[oa]|изменено|編集済み)\s*[:\-–·]?\s*",
    re.I,
)
RELATIVE = re.compile(
    r"^(?P<n>\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s*"
    r"(?P<unit>[a-z]+?)\.?(?:\s+ago)?$",
    re.I,
)
CLOCK = r"(?P<hour>\d{1,2})(?::(?P<minute>\d{2}))?\s*(?P<ampm>[ap]\.?m\.?)?"
DAY_AT = re.compile(rf"^(?P<day>today|yesterday)(?:\s+at\s+{CLOCK})?$", re.I)
NUMERIC_DATE = re.compile(r"^(?P<a>\d{1,2})[/.](?P<b>\d{1,2})[/.](?P<year>\d{4}|\d{2})$")
ISO_DATE = re.compile(r"^(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})")
MONTHS = {name: index for index, names in enumerate(
    [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",), ("jun", "june"),
     ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
     ("dec", "december")], start=1) for name in names}
MONTH_DATE = re.compile(
    rf"^(?P<month>[a-z]+)\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<year>\d{{4}}))?(?:\s+at\s+{CLOCK})?$", re.I
)
MONTH_YEAR = re.compile(r"^(?P<month>[a-z]+)\.?\s+(?P<year>\d{4})$", re.I)


@dataclass(frozen=True)
class DateRange:
    """When something happened: between ``start`` and ``end`` (UTC), known to ``precision``."""

    start: datetime
    end: datetime
    precision: str
    edited: bool = False

    def iso(self) -> tuple[str, str]:
        return self._iso

    @cached_property
    def _iso(self) -> tuple[str, str]:  # a capture's reviews share a few shown dates, each read once (see _parse_shown_date)
        return iso_utc(self.start), iso_utc(self.end)


def intersect(old: tuple[str, str] | None, new: tuple[str, str] | None) -> tuple[str, str] | None:
    """The narrower range both captures allow; the newer one when they disagree (a rounding we got wrong)."""
    if old is None or None in old:
        return new
    if new is None or None in new:
        return old
    start, end = max(old[0], new[0], key=parse_iso), min(old[1], new[1], key=parse_iso)
    return (start, end) if parse_iso(start) <= parse_iso(end) else new


def _step(unit: str, count: int) -> relativedelta:
    if unit == "week":
        return relativedelta(weeks=count)
    return relativedelta(**{unit + "s": count})


def _relative(count: int, unit: str, captured_at: datetime) -> DateRange:
    # "3 weeks ago" means at least 3 and under 4 weeks before the capture.
    return DateRange(captured_at - _step(unit, count + 1), captured_at - _step(unit, count), unit)


def _day(moment: datetime, precision: str = "day") -> DateRange:
    start = moment.replace(hour=0, minute=0, second=0, microsecond=0)
    return DateRange(start, start + timedelta(days=1) - timedelta(seconds=1), precision)


def _clock(match: re.Match, day: datetime) -> DateRange:
    hour, minute = int(match["hour"]), int(match["minute"] or 0)
    ampm = (match["ampm"] or "").replace(".", "").lower()
    if ampm == "pm" and hour < 12:
        hour += 12
    elif ampm == "am" and hour == 12:
        hour = 0
    if hour > 23 or minute > 59:
        raise ValueError("not a time")
    start = day.replace(hour=hour, minute=minute, second=0, microsecond=0)
    return DateRange(start, start + timedelta(seconds=59), "minute")


def _year_for(month: int, day: int, captured_at: datetime) -> int:
    """A date shown without a year is this year, unless that is in the future."""
    candidate = captured_at.replace(month=month, day=day, hour=0, minute=0, second=0, microsecond=0)
    return captured_at.year if candidate <= captured_at else captured_at.year - 1


def _english(text: str, captured_at: datetime, lang: str) -> DateRange | None:
    lowered = text.lower().strip()
    if lowered in ("just now", "now", "moments ago", "a moment ago"):
        return DateRange(captured_at - timedelta(hours=1), captured_at, "hour")
    if match := RELATIVE.match(lowered):
        unit = UNIT_BY_WORD.get(match["unit"])
        if unit:
            count = NUMBER_WORDS.get(match["n"]) or int(match["n"])
            return _relative(count, unit, captured_at)
    if match := DAY_AT.match(lowered):
        day = captured_at - timedelta(days=1 if match["day"] == "yesterday" else 0)
        return _clock(match, day) if match["hour"] else _day(day)
    if match := NUMERIC_DATE.match(lowered):
        a, b, year = int(match["a"]), int(match["b"]), int(match["year"])
        year += 2000 if year < 100 else 0
        month, day = (a, b) if lang.lower() in ("", "en", "en-us") else (b, a)
        return _day(captured_at.replace(year=year, month=month, day=day))
    if match := ISO_DATE.match(lowered):  # a date or a date-time's date: that calendar day where the capture was made
        shown = parse_iso(match.group())
        return _day(captured_at.replace(year=shown.year, month=shown.month, day=shown.day))
    if (match := MONTH_DATE.match(lowered)) and match["month"] in MONTHS:
        month, day = MONTHS[match["month"]], int(match["day"])
        year = int(match["year"]) if match["year"] else _year_for(month, day, captured_at)
        date = captured_at.replace(year=year, month=month, day=day)
        return _clock(match, date) if match["hour"] else _day(date)
    if (match := MONTH_YEAR.match(lowered)) and match["month"] in MONTHS:
        start = captured_at.replace(year=int(match["year"]), month=MONTHS[match["month"]], day=1, hour=0, minute=0, second=0, microsecond=0)
        return DateRange(start, start + relativedelta(months=1) - timedelta(seconds=1), "month")
    return None


DATEPARSER_PERIODS = {"time": "minute", "day": "day", "week": "week", "month": "month", "year": "year"}
ABSOLUTE_HINT = re.compile(r"\d{1,4}[/.\-]\d{1,2}|\d{4}")


def _other_language(text: str, captured_at: datetime, lang: str) -> DateRange | None:
    from dateparser.date import DateDataParser  # slow to import: only when a page is not in English

    language = lang.split("-")[0].lower() if lang else None
    try:
        parser = DateDataParser(
            languages=[language] if language else None,
            settings={"RELATIVE_BASE": captured_at.replace(tzinfo=None), "RETURN_TIME_AS_PERIOD": True,
                      "PREFER_DATES_FROM": "past"},
        )
        data = parser.get_date_data(text)
    except (ValueError, KeyError, OverflowError):
        return None
    if data.date_obj is None:
        return None
    moment = data.date_obj.replace(tzinfo=captured_at.tzinfo)
    precision = DATEPARSER_PERIODS.get(data.period or "day", "day")
    named_day = precision == "day" and (moment.time() == datetime.min.time() or not any(ch.isdigit() for ch in text))
    if ABSOLUTE_HINT.search(text) or named_day:  # "5 de marzo", "ayer", "gestern": a calendar day
        if precision == "minute":
            return DateRange(moment, moment + timedelta(seconds=59), "minute")
        return _day(moment)
    # A relative date such as "hace una semana": the point dateparser returns is the recent end.
    unit = "hour" if precision == "minute" and moment < captured_at - timedelta(minutes=59) else precision
    return DateRange(moment - _step(unit, 1), moment, unit)


def parse_shown_date(text: str | None, captured_at: datetime, lang: str = "en") -> DateRange | None:
    """The range a displayed date stands for, or None when it cannot be read (never raises)."""
    if not text or not text.strip() or len(text) > limits.SHOWN_DATE_CHARS:  # no date is shown in more words
        return None
    if captured_at.tzinfo is None:
        captured_at = captured_at.replace(tzinfo=timezone.utc)
    return _parse_shown_date(text, captured_at, captured_at.utcoffset(), lang)


@lru_cache(maxsize=4096)
def _parse_shown_date(text: str, captured_at: datetime, utc_offset: timedelta, lang: str) -> DateRange | None:
    """Many reviews of one capture share a shown date ("a week ago"): read each once.

    ``utc_offset`` is part of the cache key because equal moments in different time zones compare
    equal, while "Yesterday at 15:28" means different moments in them.
    """
    text = " ".join(text.split())
    edited = False
    if match := EDITED.match(text):
        edited, text = True, text[match.end():]
    lang = (lang or "en").strip()
    try:
        found = _english(text, captured_at, lang) if lang.lower().startswith("en") else None
        if found is None:
            found = _other_language(text, captured_at.replace(second=0, microsecond=0), lang)
    except (ValueError, OverflowError):
        return None
    if found is None:
        return None
    return DateRange(found.start, found.end, found.precision, edited)
