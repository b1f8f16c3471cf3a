"""The practice's settings, declared once: each one's name, default, check and help.

The table validates ``PUT /api/settings``, gives the defaults, and documents them (the docs test holds
it against the README). The checker and the workflow read their views of it
(:func:`server.replies.policy.practice_settings`, :meth:`server.workflow.state.WorkflowSettings.of`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from server.errors import MissingField, ValidationError

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MAX_LIST = 20


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    check: Callable[[str, Any], Any]  # the clean value, or ValidationError
    help: str


def text(limit: int = 200) -> Callable[[str, Any], str]:
    def check(name: str, value: Any) -> str:
        if not isinstance(value, str) or len(value.strip()) > limit:
            raise ValidationError(name, f"'{name}' must be text of at most {limit} characters.")
        return value.strip()
    return check


def whole_number(low: int, high: int, note: str = "") -> Callable[[str, Any], int]:
    def check(name: str, value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ValidationError(name, f"'{name}' must be a whole number from {low} to {high}{note}.")
        return value
    return check


def text_list(is_valid: Callable[[str], Any] | None = None, what: str = "text") -> Callable[[str, Any], list[str]]:
    def check(name: str, value: Any) -> list[str]:
        if not isinstance(value, list) or len(value) > MAX_LIST:
            raise ValidationError(name, f"'{name}' must be a list of at most {MAX_LIST} {what} values.")
        items = [text()(name, item) for item in value]
        for item in items:
            if is_valid and not is_valid(item):
                raise ValidationError(name, f"'{name}': {item!r} is not a valid {what}.")
        return [item for item in items if item]
    return check


def review_link(host: str | None = None) -> Callable[[str, Any], str]:
    def check(name: str, value: Any) -> str:
        link = text(500)(name, value)
        if link and not re.match(r"^https://[^\s]+$", link):
            raise ValidationError(name, f"'{name}' must be an https:// link (the platform's 'write a review' link).")
        if host and link and host not in link:
            raise ValidationError(name, f"'{name}' must be a {host} link.")
        return link
    return check


def time_zone(name: str, value: Any) -> str:
    zone = text(64)(name, value)
    if zone:
        try:
            ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValidationError(name, f"'time_zone' must be a time zone name such as America/Chicago, got {zone!r}.") from None
    return zone


def stars(name: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 1 <= value <= 5:
        raise ValidationError(name, f"'{name}' must be a number of stars from 1 to 5.")
    return float(value)


def yes_no(name: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValidationError(name, f"'{name}' must be true or false.")
    return value


def _phone(value: str) -> bool:
    return len(re.sub(r"\D", "", value)) >= 7


SETTINGS: tuple[Setting, ...] = (
    Setting("practice_name", "", text(), "the practice's name, used in suggested replies"),
    Setting("office_phones", [], text_list(_phone, "phone number"), "the office's own phone numbers (allowed in replies)"),
    Setting("office_emails", [], text_list(EMAIL.match, "e-mail address"), "the office's own e-mail addresses (allowed in replies)"),
    Setting("contact_role", "our office manager", text(), "who replies invite the reader to contact"),
    Setting("staff_names", [], text_list(), "staff names allowed to appear in replies"),
    Setting("max_sentences", 3, whole_number(1, 10), "the longest reply, in sentences"),
    Setting("suggest_positive", True, yes_no, "whether positive reviews get suggested thank-you replies"),
    Setting("cooldown_minutes", 30, whole_number(15, 24 * 60, " (the cool-down is never shorter than 15 minutes)"),
            "minutes between first reading a review and replying, never below 15 (W1)"),
    Setting("response_target_hours", 24, whole_number(1, 24 * 14), "hours after a review is first seen before it is overdue (W2)"),
    Setting("followup_business_days", 2, whole_number(1, 20), "business days after a reply by which the follow-up call is due (W6)"),
    Setting("followup_assignee", "our office manager", text(), "who makes follow-up calls"),
    Setting("google_review_link", "", review_link(), "the practice's Google 'write a review' link, for review requests (W8)"),
    Setting("facebook_review_link", "", review_link("facebook.com"), "the practice's Facebook review link, for review requests (W8)"),
    Setting("request_recent_days", 14, whole_number(1, 365), "contacts seen within these days are on the request list"),
    Setting("request_cap_days", 90, whole_number(1, 3650), "nobody is asked again within these days"),
    Setting("rating_target", 4.5, stars, "the average rating the rating math aims for (W8)"),
    Setting("time_zone", "", time_zone, "IANA time zone for business days, such as `America/Chicago`; empty: this computer's"),
)
BY_NAME = {setting.name: setting for setting in SETTINGS}
DEFAULTS: dict[str, Any] = {setting.name: setting.default for setting in SETTINGS}


def validate(changes: Any) -> dict[str, Any]:
    """The changes of a ``PUT /api/settings``, checked; unknown keys and bad values are refused."""
    if not isinstance(changes, dict):
        raise MissingField("settings", "Send a JSON object of settings, e.g. {\"practice_name\": \"Maple Family Dental\"}.")
    unknown = sorted(set(changes) - set(BY_NAME))
    if unknown:
        raise ValidationError(unknown[0], f"Unknown setting(s): {', '.join(unknown)}. Known: {', '.join(BY_NAME)}.")
    return {name: BY_NAME[name].check(name, value) for name, value in changes.items()}


def all_settings(stored: dict[str, Any]) -> dict[str, Any]:
    """Every setting: the stored values over the defaults."""
    return {**DEFAULTS, **stored}


def local_time_zone() -> str:
    """This computer's time zone name (the practice's, since ReviewDesk runs at the practice)."""
    try:
        from tzlocal import get_localzone_name

        name = get_localzone_name()
        ZoneInfo(name)
        return name
    except Exception:  # no zone configured on the machine, or an unknown name: business days in UTC
        return "UTC"
