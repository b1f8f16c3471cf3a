"""The practice's settings used in replies: its name, its own contact lines, who to name as the contact,
staff allowed to appear, the longest reply, and whether to suggest replies to positive reviews."""

from __future__ import annotations

import re
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from server.web.errors import ApiError
from server.replies.policy import PracticeSettings
from server.replies.policy import practice_settings as policy_settings

DEFAULTS: dict[str, Any] = {
    "practice_name": "",
    "office_phones": [],
    "office_emails": [],
    "contact_role": "our office manager",
    "staff_names": [],
    "max_sentences": 3,
    "suggest_positive": True,
    # The workflow (W1, W2, W6, W8).
    "cooldown_minutes": 30,
    "response_target_hours": 24,
    "followup_business_days": 2,
    "followup_assignee": "our office manager",
    "google_review_link": "",
    "facebook_review_link": "",
    "request_recent_days": 14,
    "request_cap_days": 90,
    "rating_target": 4.5,
    "time_zone": "",  # IANA name ("America/Chicago"); empty: this computer's
}
INTEGER_RANGES = {"max_sentences": (1, 10), "cooldown_minutes": (15, 24 * 60), "response_target_hours": (1, 24 * 14),
                  "followup_business_days": (1, 20), "request_recent_days": (1, 365), "request_cap_days": (1, 3650)}
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _text(name: str, value: Any, limit: int = 200) -> str:
    if not isinstance(value, str) or len(value.strip()) > limit:
        raise ApiError(422, "invalid_value", f"'{name}' must be text of at most {limit} characters.")
    return value.strip()


def _list(name: str, value: Any, check=None, what: str = "text") -> list[str]:
    if not isinstance(value, list) or len(value) > 20:
        raise ApiError(422, "invalid_value", f"'{name}' must be a list of at most 20 {what} values.")
    items = [_text(name, item) for item in value]
    for item in items:
        if check and not check(item):
            raise ApiError(422, "invalid_value", f"'{name}': {item!r} is not a valid {what}.")
    return [item for item in items if item]


def validate(changes: Any) -> dict[str, Any]:
    """The changes of a ``PUT /api/settings``, checked; unknown keys and bad values are refused."""
    if not isinstance(changes, dict):
        raise ApiError(400, "missing_field", "Send a JSON object of settings, e.g. {\"practice_name\": \"Maple Family Dental\"}.")
    unknown = sorted(set(changes) - set(DEFAULTS))
    if unknown:
        raise ApiError(422, "invalid_value", f"Unknown setting(s): {', '.join(unknown)}. Known: {', '.join(DEFAULTS)}.")
    clean: dict[str, Any] = {}
    for name, value in changes.items():
        if name in ("practice_name", "contact_role", "followup_assignee"):
            clean[name] = _text(name, value)
        elif name in ("google_review_link", "facebook_review_link"):
            link = _text(name, value, limit=500)
            if link and not re.match(r"^https://[^\s]+$", link):
                raise ApiError(422, "invalid_value", f"'{name}' must be an https:// link (the platform's 'write a review' link).")
            if name == "facebook_review_link" and link and "facebook.com" not in link:
                raise ApiError(422, "invalid_value", "'facebook_review_link' must be a facebook.com link.")
            clean[name] = link
        elif name == "time_zone":
            zone = _text(name, value, limit=64)
            if zone:
                try:
                    ZoneInfo(zone)
                except (ZoneInfoNotFoundError, ValueError):
                    raise ApiError(422, "invalid_value", f"'time_zone' must be a time zone name such as America/Chicago, got {zone!r}.") from None
            clean[name] = zone
        elif name == "rating_target":
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not 1 <= value <= 5:
                raise ApiError(422, "invalid_value", "'rating_target' must be a number of stars from 1 to 5.")
            clean[name] = float(value)
        elif name == "office_phones":
            clean[name] = _list(name, value, lambda v: len(re.sub(r"\D", "", v)) >= 7, "phone number")
        elif name == "office_emails":
            clean[name] = _list(name, value, EMAIL.match, "e-mail address")
        elif name == "staff_names":
            clean[name] = _list(name, value)
        elif name in INTEGER_RANGES:
            low, high = INTEGER_RANGES[name]
            if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
                extra = " (the cool-down is never shorter than 15 minutes)" if name == "cooldown_minutes" else ""
                raise ApiError(422, "invalid_value", f"'{name}' must be a whole number from {low} to {high}{extra}.")
            clean[name] = value
        elif name == "suggest_positive":
            if not isinstance(value, bool):
                raise ApiError(422, "invalid_value", "'suggest_positive' must be true or false.")
            clean[name] = value
    return clean


def all_settings(stored: dict[str, Any]) -> dict[str, Any]:
    return {**DEFAULTS, **stored}


def workflow_settings(stored: dict[str, Any]):
    from server.workflow.state import WorkflowSettings

    values = all_settings(stored)
    return WorkflowSettings(cooldown_minutes=values["cooldown_minutes"], response_target_hours=values["response_target_hours"],
                            followup_business_days=values["followup_business_days"], followup_assignee=values["followup_assignee"],
                            time_zone=values["time_zone"] or local_time_zone())


def local_time_zone() -> str:
    """This computer's time zone name (the practice's, since ReviewDesk runs at the practice)."""
    try:
        from tzlocal import get_localzone_name

        name = get_localzone_name()
        ZoneInfo(name)
        return name
    except Exception:  # no zone configured on the machine, or an unknown name: business days in UTC
        return "UTC"


def practice_settings(stored: dict[str, Any]) -> PracticeSettings:
    return policy_settings(all_settings(stored))
