"""The one way ReviewDesk reads and writes moments: ISO 8601, stored in UTC to the second with "Z".

Every module that reads an ISO date or date-time (a request's ``at``, an export's ``createTime``, a
stored column) uses :func:`parse_iso`; every moment written uses :func:`iso_utc`. Shown dates
("a week ago") are :mod:`parsers.dates`' job.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timezone

DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def iso_utc(moment: datetime) -> str:
    """``moment`` as ISO 8601 in UTC, to the second, with "Z" (a naive moment is taken as UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


def parse_iso(value: str) -> datetime:
    """An ISO 8601 date or date-time as an aware datetime (UTC when it names no offset).

    Raises ValueError (with the value in the message) for anything else, including dates outside
    what a datetime can hold once converted to UTC.
    """
    if not isinstance(value, str):
        raise ValueError(f"not an ISO 8601 date-time: {value!r}")
    text = value.strip()
    try:
        moment = datetime.fromisoformat(text[:-1] + "+00:00" if text[-1:] in "Zz" and text else text)
    except ValueError:
        raise ValueError(f"not an ISO 8601 date-time: {value!r}") from None
    moment = moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
    try:
        moment.astimezone(timezone.utc)
    except OverflowError:
        raise ValueError(f"date-time out of range: {value!r}") from None
    return moment


def iso_date_or_utc(value: str) -> str:
    """How a given date or date-time is stored: a date alone stays a date ("2026-11-05"), a date-time
    becomes UTC ("2026-11-05T14:30:00Z"). Raises ValueError like :func:`parse_iso`."""
    text = value.strip() if isinstance(value, str) else value
    if isinstance(text, str) and DATE_ONLY.match(text):
        try:
            return date.fromisoformat(text).isoformat()
        except ValueError:
            raise ValueError(f"not an ISO 8601 date: {value!r}") from None
    return iso_utc(parse_iso(text))


def timestamp_range(value: str) -> tuple[str, str]:
    """An exact timestamp as a range; a date alone ("2024-01-05") covers that whole day."""
    if len(value) == 10:
        return f"{value}T00:00:00Z", f"{value}T23:59:59Z"
    return value, value
